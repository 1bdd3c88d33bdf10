import DunningCore
@testable import DunningStrategy
import Foundation
import Testing

/// What the contact keys of a valid strategy turn into.
@Suite("StrategyLoader: contact keys of valid strategies")
struct ContactStrategyValidTests {
    static let yaml = """
    name: contact-ok
    business_time_zone: Asia/Shanghai
    customer_time_zone: America/New_York
    currency: CNY
    templates:
      SMS_R: {channel: sms, class: reminder}
      SMS_N: {channel: sms, class: notice}
      CALL_C: {channel: call, class: collection}
      CALL_TP: {channel: call, class: third_party}
      LETTER_N: {channel: letter, class: notice}
    notices:
      pre_collection: {channel: sms, template: SMS_R}
      credit_notice: {channel: sms, template: SMS_N, valid_days: 4}
      litigation: {channel: letter, template: LETTER_N, required: true}
    treatments:
      standard:
        - {channel: sms, template: SMS_R, days: [D+1, D+7, D+15, D+21], valid_days: 2}
        - {id: agent, channel: call, template: CALL_C, from: D+31, to: D+60, every: 3, band: "09:00-12:00", priority: 70}
        - {channel: call, target: emergency_contact, template: CALL_TP, from: D+45}
      gentle:
        - {channel: sms, template: SMS_R, days: [D-2]}
    contact:
      window: "08:30-20:30"
      exclude: ["12:00-13:30"]
      holidays: ["2026-10-01", "2026-10-02"]
      per_customer_per_day: 3
      channels:
        sms: {window: "09:00-20:00", per_day: 1, per_7_days: 4, daily_capacity: 1000}
        call: {per_day: 2, per_7_days: 5, quiet_days_after_conversation: 10, hourly_capacity: 40}
      emergency_contact: {after_failed_attempts: 8, over_days: 4, per_day: 0, not_within_days_of_reach: 14}
      complaint: {pause_days: 10, then: gentle, gentle_days: 60}
      promise_to_pay:
        holds: [call]
        max_days: 14
        reminder: {channel: sms, template: SMS_R}
    segments:
      - name: late
        buckets: [M1]
        treatment: standard
        window: "10:00-18:00"
      - name: other
        treatment: gentle

    """

    @Test func everyKeyIsRead() throws {
        let s = try #require(Load.strategy(Self.yaml))
        let c = s.contact
        #expect(s.defaultCustomerTimeZone == "America/New_York")
        #expect(c.templates["CALL_TP"] == Template(name: "CALL_TP", channel: .call, templateClass: .thirdParty))
        #expect(c.templates.count == 5)
        // Notices: the pre-collection reminder is optional by default, the others required.
        #expect(c.notices[.preCollection] == NoticeRule(kind: .preCollection, channel: .sms, template: "SMS_R", required: false, validDays: 2))
        #expect(c.notices[.creditNotice] == NoticeRule(kind: .creditNotice, channel: .sms, template: "SMS_N", required: true, validDays: 4))
        #expect(c.notices[.litigation] == NoticeRule(kind: .litigation, channel: .letter, template: "LETTER_N", required: true, validDays: 3))
        // Treatments, with default ids, priorities and validity.
        #expect(c.treatments["standard"]?.steps == [
            TreatmentStep(id: "standard#1", channel: .sms, template: "SMS_R", days: .list([1, 7, 15, 21]), validDays: 2),
            TreatmentStep(id: "agent", channel: .call, template: "CALL_C", days: .range(from: 31, to: 60, every: 3),
                          band: TimeBand(start: 540, end: 720), priority: 70),
            TreatmentStep(id: "standard#3", channel: .call, template: "CALL_TP", target: .emergencyContact,
                          days: .range(from: 45, to: nil, every: 1)),
        ])
        #expect(c.treatments["gentle"]?.steps == [TreatmentStep(id: "gentle#1", channel: .sms, template: "SMS_R", days: .list([-2]))])
        // Window, bands, holidays, caps.
        #expect(c.window == TimeBand(start: 510, end: 1230))
        #expect(c.excluded == [TimeBand(start: 720, end: 810)])
        #expect(c.holidays == [Day(iso: "2026-10-01")!, Day(iso: "2026-10-02")!])
        #expect(c.perCustomerPerDay == 3)
        #expect(c.rules(.sms) == ChannelRules(window: TimeBand(start: 540, end: 1200), perDay: 1, per7Days: 4, dailyCapacity: 1000))
        #expect(c.rules(.call) == ChannelRules(perDay: 2, per7Days: 5, quietDaysAfterConversation: 10, hourlyCapacity: 40))
        #expect(c.rules(.ivr) == ContactPolicy.defaultChannels[.ivr])
        var emergency = EmergencyContactRule()
        emergency.afterFailedAttempts = 8
        emergency.overDays = 4
        emergency.perDay = 0
        emergency.notWithinDaysOfReach = 14
        #expect(c.emergency == emergency)
        #expect(c.complaint.pauseDays == 10 && c.complaint.treatmentAfter == "gentle" && c.complaint.gentleDays == 60)
        #expect(c.promise.holdsChannels == [.call])
        #expect(c.promise.maxDays == 14)
        #expect(c.promise.reminder?.channel == .sms && c.promise.reminder?.template == "SMS_R")
        #expect(s.segments == [
            SegmentRule(name: "late", buckets: ["M1"], treatment: "standard", window: TimeBand(start: 600, end: 1080)),
            SegmentRule(name: "other", treatment: "gentle"),
        ])
    }

    /// Without contact keys the legal defaults apply (Regulation F presumptions for calls).
    @Test func defaultsWithoutContactKeys() throws {
        let c = try #require(Load.strategy(Load.minimal())).contact
        #expect(c.window == .legal)
        #expect(c.excluded.isEmpty && c.holidays.isEmpty && c.treatments.isEmpty && c.notices.isEmpty)
        #expect(c.rules(.call).per7Days == 7)
        #expect(c.rules(.call).quietDaysAfterConversation == 7)
        #expect(c.emergency == EmergencyContactRule())
        #expect(c.emergency.afterFailedAttempts == 6 && c.emergency.overDays == 3 && c.emergency.perDay == 1)
        #expect(c.complaint.pauseDays == 7)
        #expect(c.promise.holdsChannels == [.call, .ivr])
    }

    /// The exact legal window, and stricter call limits, are accepted.
    @Test func legalEdgesAreAccepted() throws {
        let yaml = Load.minimal("""
        contact:
          window: "08:00-21:00"
          channels:
            call: {per_7_days: 7, quiet_days_after_conversation: 7}
            ivr: {window: "08:00-21:00", per_7_days: 0}
          emergency_contact: {after_failed_attempts: 3, not_within_days_of_reach: 7}

        """)
        let c = try #require(Load.strategy(yaml)).contact
        #expect(c.window == .legal)
        #expect(c.rules(.ivr).per7Days == 0)
        #expect(c.emergency.afterFailedAttempts == 3)
    }

    /// promise_to_pay.holds always keeps calls, whatever else it lists.
    @Test func promiseHoldsMayAddChannels() throws {
        let c = try #require(Load.strategy(Load.minimal("contact:\n  promise_to_pay: {holds: [call, sms]}\n"))).contact
        #expect(c.promise.holdsChannels == [.call, .sms])
    }

    /// The bundled contacts fixture strategy loads with its calendar.
    @Test func contactsFixtureLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("fixtures/contacts/strategy.yaml").path
        guard case .success(let s) = StrategyLoader.load(path: path) else {
            Issue.record("fixtures/contacts/strategy.yaml does not load")
            return
        }
        #expect(!s.contact.holidays.isEmpty)
        #expect(s.contact.holidays.contains(Day(iso: "2026-03-10")!))
        #expect(s.contact.treatments["daily"]?.steps.map(\.id) == ["daily#1", "collect_call", "daily#3", "third_party"])
        #expect(s.contact.complaint.treatmentAfter == "gentle")
    }
}
