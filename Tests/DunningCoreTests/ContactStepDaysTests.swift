@testable import DunningCore
import Testing

@Suite("Contact: StepDays.contains")
struct ContactStepDaysTests {
    /// "SMS template 1 on D+1, D+7, D+15, D+21".
    @Test func listContainsExactlyItsDays() {
        let days = StepDays.list([1, 7, 15, 21])
        #expect((-5...40).filter(days.contains) == [1, 7, 15, 21])
        #expect(StepDays.list([-2]).contains(-2))
        #expect(!StepDays.list([]).contains(0))
    }

    /// "every 3 days from D+31 to D+60".
    @Test func rangeWithEveryAndTo() {
        let days = StepDays.range(from: 31, to: 60, every: 3)
        #expect((0...100).filter(days.contains) == Array(stride(from: 31, through: 60, by: 3)))
        #expect(days.contains(58))
        #expect(!days.contains(60))
        #expect(!days.contains(61))
        #expect(!days.contains(28))
    }

    @Test func rangeIncludesToWhenOnTheStride() {
        let days = StepDays.range(from: 24, to: 30, every: 3)
        #expect((0...40).filter(days.contains) == [24, 27, 30])
    }

    @Test func openRangeRunsWhileTheCaseIsOpen() {
        let days = StepDays.range(from: 1, to: nil, every: 1)
        #expect(!days.contains(0))
        #expect(days.contains(1))
        #expect(days.contains(3650))
        let weekly = StepDays.range(from: 45, to: nil, every: 7)
        #expect((40...80).filter(weekly.contains) == [45, 52, 59, 66, 73, 80])
    }

    @Test func negativeDaysBeforeTheDueDate() {
        let days = StepDays.range(from: -5, to: 0, every: 2)
        #expect((-10...10).filter(days.contains) == [-5, -3, -1])
        let single = StepDays.range(from: -2, to: -2, every: 1)
        #expect((-10...10).filter(single.contains) == [-2])
    }
}
