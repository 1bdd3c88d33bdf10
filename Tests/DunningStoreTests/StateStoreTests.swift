import DunningCore
import DunningStore
import Foundation
import Testing

@Suite struct StateStoreTests {
    let key = CaseKey(customerID: "C1", product: "cash")
    let d1 = Day(iso: "2026-03-01")!

    func run(_ day: Day) -> RunRecord {
        RunRecord(runDate: day, strategyName: "s", strategyHash: "h", engineVersion: "t", committedAt: "now",
                  openCases: 1, actions: 2, rejectedRows: 0, summaryJSON: "{}")
    }

    func actions(on day: Day) -> [Action] {
        [Action(caseKey: key, episode: 1, loanID: "", kind: .caseOpened, dueOn: day - 2, actedOn: day, amount: Money(minorUnits: 500)),
         Action(caseKey: key, episode: 1, loanID: "", kind: .bucketChanged, dueOn: day, actedOn: day, amount: nil, detail: "current->M0"),
         Action(caseKey: key, episode: 1, loanID: "L1", kind: .penaltyStarted, dueOn: day, actedOn: day, amount: Money(minorUnits: 500))]
    }

    @Test func committedMilestonesReplayIntoHistory() throws {
        let store = try StoreSupport.newStore("store")
        #expect(try store.lastRunDate() == nil)
        try store.commit(run: run(d1), actions: actions(on: d1), cases: [], events: [])
        #expect(try store.lastRunDate() == d1)
        #expect(try store.history(before: d1).isEmpty) // a re-run of d1 starts from before d1
        let history = try #require(try store.history(before: d1 + 1)[key])
        #expect(history.episode == 1)
        #expect(history.bucket == "M0")
        #expect(history.loanMilestones["L1"]?[.penaltyStarted] == d1)
        #expect(history.settledOn == nil)
    }

    @Test func recommittingTheSameNightReplacesIt() throws {
        let store = try StoreSupport.newStore("store")
        try store.commit(run: run(d1), actions: actions(on: d1), cases: [], events: [])
        try store.commit(run: run(d1), actions: actions(on: d1), cases: [], events: [])
        #expect(try store.tableCounts()["milestones"] == 3)
        #expect(try store.tableCounts()["runs"] == 1)
    }

    @Test func aMilestoneCannotBeRecordedTwiceForTheSameLoan() throws {
        let store = try StoreSupport.newStore("store")
        try store.commit(run: run(d1), actions: actions(on: d1), cases: [], events: [])
        // The unique index is the last line of defence against a double emission.
        #expect(throws: (any Error).self) {
            try store.commit(run: run(d1 + 1), actions: Array(actions(on: d1 + 1).suffix(1)), cases: [], events: [])
        }
        #expect(try store.lastRunDate() == d1)
    }

    @Test func readOnlyOpenOfAMissingStoreIsNil() throws {
        #expect(try StateStore.openReadOnly(path: "/nonexistent/dir/x.sqlite") == nil)
    }
}
