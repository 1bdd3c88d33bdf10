import DunningCore
@testable import DunningStrategy
import Testing

/// The contact keys' mistakes, each with its line:column (1-based, counted by hand on the YAML).
@Suite("StrategyLoader: contact diagnostics")
struct ContactStrategyDiagnosticsTests {
    static let templates = "templates:\n  SMS_R: {channel: sms, class: reminder}\n  TP: {channel: call, class: third_party}\n"

    /// A treatment `t` with one step (line 9) after two templates (lines 5-6).
    static func step(_ flow: String) -> String {
        Load.minimal(templates + "treatments:\n  t:\n    - \(flow)\n")
    }

    /// Each mistake alone is reported once, at the value that is wrong.
    @Test(arguments: [
        (Load.minimal("contact:\n  window: \"07:00-20:00\"\n"),
         "5:11 contact.window 07:00-20:00 widens the legal contact window: contacts may only be planned between 08:00 and 21:00 local time; a strategy may narrow it, never widen it"),
        (Load.minimal("contact:\n  window: \"21:00-08:00\"\n"),
         "5:11 contact.window must be a time band such as 09:00-12:00 (24-hour clock, start before end), not '21:00-08:00'"),
        (Load.minimal("contact:\n  exclude: [\"8:00-9:00\"]\n"),
         "5:13 each entry of contact.exclude must be a time band such as 09:00-12:00 (24-hour clock, start before end), not '8:00-9:00'"),
        (Load.minimal("contact:\n  channels:\n    call: {per_7_days: 8}\n"),
         "6:24 contact.channels.call.per_7_days may not exceed 7: more than 7 calls in 7 days is presumed harassment (Regulation F); lower it, never raise it"),
        (Load.minimal("contact:\n  channels:\n    call: {quiet_days_after_conversation: 6}\n"),
         "6:43 contact.channels.call.quiet_days_after_conversation may not be below 7: no call within 7 days of a conversation (Regulation F); raise it, never lower it"),
        (Load.minimal("contact:\n  emergency_contact: {after_failed_attempts: 2}\n"),
         "5:46 contact.emergency_contact.after_failed_attempts must be between 3 and 100, not 2"),
        (Self.step("{channel: sms, template: NOPE, days: [D+1]}"),
         "9:32 unknown template 'NOPE': declare it under templates with its channel and class"),
        (Self.step("{channel: call, template: SMS_R, days: [D+1]}"),
         "9:33 template 'SMS_R' is a sms template, not call"),
        (Self.step("{channel: sms, template: SMS_R, target: emergency_contact, days: [D+1]}"),
         "9:32 template 'SMS_R' has class reminder; here it must be third_party"),
        (Self.step("{channel: call, template: TP, days: [D+1]}"),
         "9:33 template 'TP' has class third_party; here it must be reminder or collection or notice"),
        (Self.step("{channel: sms, template: SMS_R, days: [D+1], from: D+1}"),
         "9:45 treatment t step: use either days or from/to/every, not both"),
        (Self.step("{channel: sms, template: SMS_R, days: [D+1], band: \"20:00-21:01\"}"),
         "9:58 treatment t step band 20:00-21:01 widens the legal contact window: contacts may only be planned between 08:00 and 21:00 local time; a strategy may narrow it, never widen it"),
        (Load.minimal(templates + "notices:\n  credit_notice: {channel: sms, template: SMS_R}\n"),
         "8:43 template 'SMS_R' has class reminder; here it must be notice"),
        (Load.minimal(segments: "segments:\n  - name: everyone\n    treatment: nope\n"),
         "6:16 segment 'everyone': unknown treatment 'nope' (no treatments are defined)"),
        (Load.minimal(segments: "segments:\n  - name: everyone\n    window: \"08:00-24:00\"\n"),
         "6:13 segment 'everyone' window 08:00-24:00 widens the legal contact window: contacts may only be planned between 08:00 and 21:00 local time; a strategy may narrow it, never widen it"),
        (Load.minimal("contact:\n  complaint: {then: nope}\n"),
         "5:21 contact.complaint.then: unknown treatment 'nope' (no treatments are defined)"),
        (Load.minimal("contact:\n  promise_to_pay: {holds: sms}\n"),
         "5:27 contact.promise_to_pay.holds must include call: a promise to pay stops calls until the promised date"),
        (Load.minimal(templates + "contact:\n  promise_to_pay:\n    reminder: {channel: call, template: TP}\n"),
         "9:41 template 'TP' has class third_party; here it must be reminder or collection"),
        (Load.minimal("contact:\n  holidays: [\"2026-02-30\"]\n"),
         "5:14 a holiday must be a date such as 2026-10-01"),
        (Load.minimal("contact:\n  channels:\n    ivr: {quiet_days_after_conversation: 7}\n"),
         "6:11 unknown key 'quiet_days_after_conversation' in contact.channels.ivr (allowed: window, per_day, per_7_days, daily_capacity, hourly_capacity)"),
    ])
    func eachMistakeAlone(yaml: String, expected: String) {
        #expect(Load.diagnostics(yaml).located == [expected])
    }

    /// Step ids are unique across treatments (the audit trail and "already served" use them).
    @Test func duplicateStepIDAcrossTreatments() {
        let yaml = Load.minimal(Self.templates + """
        treatments:
          a:
            - {id: x, channel: sms, template: SMS_R, days: [D+1]}
          b:
            - {id: x, channel: sms, template: SMS_R, days: [D+2]}

        """)
        #expect(Load.diagnostics(yaml).located == ["11:7 step id 'x' is used twice (first at line 9)"])
    }

    /// An explicit id may not take a default id of another step either.
    @Test func explicitIDCollidingWithADefaultID() {
        let yaml = Load.minimal(Self.templates + """
        treatments:
          t:
            - {channel: sms, template: SMS_R, days: [D+1]}
            - {id: "t#1", channel: sms, template: SMS_R, days: [D+2]}

        """)
        #expect(Load.diagnostics(yaml).located == ["10:7 step id 't#1' is used twice (first at line 9)"])
    }

    /// Every contact mistake of a file comes out in one pass, in file order.
    @Test func oneFileReportsEveryContactMistake() {
        let yaml = """
        name: contact-broken
        business_time_zone: Asia/Shanghai
        currency: CNY
        templates:
          SMS_R: {channel: sms, class: reminder}
          SMS_N: {channel: sms, class: notice}
          CALL_C: {channel: call, class: collection}
          CALL_TP: {channel: call, class: third_party}
        notices:
          credit_notice: {channel: sms, template: SMS_R}
        treatments:
          t:
            - {channel: sms, template: NOPE, days: [D+1]}
            - {channel: sms, template: CALL_C, days: [D+2]}
            - {channel: call, template: CALL_C, target: emergency_contact, days: [D+3]}
            - {channel: call, template: CALL_TP, days: [D+4]}
            - {channel: sms, template: SMS_R, days: [D+5], from: D+6}
            - {id: dup, channel: sms, template: SMS_R, days: [D+7]}
            - {id: dup, channel: sms, template: SMS_R, days: [D+8]}
        contact:
          window: "07:30-21:00"
          channels:
            call: {per_7_days: 8, quiet_days_after_conversation: 6}
          emergency_contact: {after_failed_attempts: 2}
          complaint: {then: soft}
          promise_to_pay: {holds: [sms]}
        segments:
          - name: everyone
            treatment: missing

        """
        let widen = "widens the legal contact window: contacts may only be planned between 08:00 and 21:00 local time; a strategy may narrow it, never widen it"
        #expect(Load.diagnostics(yaml).located == [
            "10:43 template 'SMS_R' has class reminder; here it must be notice",
            "13:32 unknown template 'NOPE': declare it under templates with its channel and class",
            "14:32 template 'CALL_C' is a call template, not sms",
            "15:33 template 'CALL_C' has class collection; here it must be third_party",
            "16:33 template 'CALL_TP' has class third_party; here it must be reminder or collection or notice",
            "17:45 treatment t step: use either days or from/to/every, not both",
            "19:7 step id 'dup' is used twice (first at line 18)",
            "21:11 contact.window 07:30-21:00 \(widen)",
            "23:24 contact.channels.call.per_7_days may not exceed 7: more than 7 calls in 7 days is presumed harassment (Regulation F); lower it, never raise it",
            "23:58 contact.channels.call.quiet_days_after_conversation may not be below 7: no call within 7 days of a conversation (Regulation F); raise it, never lower it",
            "24:46 contact.emergency_contact.after_failed_attempts must be between 3 and 100, not 2",
            "25:21 contact.complaint.then: unknown treatment 'soft' (known: t)",
            "26:27 contact.promise_to_pay.holds must include call: a promise to pay stops calls until the promised date",
            "29:16 segment 'everyone': unknown treatment 'missing' (known: t)",
        ])
    }

    /// Types, ranges and structure of the remaining keys, again in one pass.
    @Test func secondFileWithRangesAndShapes() {
        let yaml = """
        name: more
        business_time_zone: Asia/Shanghai
        currency: CNY
        templates:
          SMS_R: {channel: sms, class: reminder}
          CALL_TP: {channel: call, class: third_party}
          X: {channel: fax, class: reminder}
          Y: {channel: sms, class: gossip}
        notices:
          litigation: {channel: letter, template: SMS_R, required: maybe}
          pre_collection: {channel: sms, template: SMS_R, required: true}
        treatments:
          t:
            - {channel: sms, template: SMS_R, days: []}
            - {channel: sms, template: SMS_R, from: D+10, to: D+5}
            - {channel: sms, template: SMS_R, from: D+1, every: 0}
            - {channel: sms, template: SMS_R, days: [D+1], priority: 100, valid_days: 15}
            - {channel: sms, template: SMS_R, days: [D+1], target: neighbour}
            - {channel: sms, template: SMS_R, days: [D+1], band: "07:00-09:00"}
            - {channel: sms, template: SMS_R, days: [D+1], band: "8:00-9:00"}
            - {channel: sms, template: SMS_R}
            - {id: "a@b", channel: sms, template: SMS_R, days: [D+1]}
        contact:
          exclude: ["12:00-24:01"]
          holidays: [2026-02-30, "2026-10-01"]
          per_customer_per_day: 21
          channels:
            sms: {window: "21:00-08:00"}
            ivr: {window: "08:00-21:30", quiet_days_after_conversation: 7}
          emergency_contact: {over_days: 0, per_day: 2, not_within_days_of_reach: 6}
          complaint: {pause_days: 0}
          promise_to_pay:
            max_days: 0
            reminder: {channel: call, template: CALL_TP}
          windw: "09:00-20:00"
        segments:
          - name: everyone
            window: "08:00-24:00"

        """
        let widen = "widens the legal contact window: contacts may only be planned between 08:00 and 21:00 local time; a strategy may narrow it, never widen it"
        let band = "must be a time band such as 09:00-12:00 (24-hour clock, start before end)"
        #expect(Load.diagnostics(yaml).located == [
            "7:16 template X channel: unknown channel 'fax' (known: sms, ivr, call, push, email, letter)",
            "8:28 template Y: class must be one of reminder, collection, notice, third_party",
            "10:43 template 'SMS_R' is a sms template, not letter",
            "10:60 notices.litigation.required must be true or false",
            "11:44 template 'SMS_R' has class reminder; here it must be notice",
            "14:45 treatment t step: days must list at least one day",
            "15:55 treatment t step: to (D+5) is before from (D+10)",
            "16:57 treatment t step every must be between 1 and 365, not 0",
            "17:62 treatment t step priority must be between 1 and 99, not 100",
            "17:79 treatment t step valid_days must be between 1 and 14, not 15",
            "18:60 treatment t step target must be debtor or emergency_contact",
            "19:58 treatment t step band 07:00-09:00 \(widen)",
            "20:58 treatment t step band \(band), not '8:00-9:00'",
            "21:7 treatment t step needs days (a list such as [D+1, D+7]) or from (with optional to and every)",
            "22:12 step id 'a@b' may not contain '|' or '@', start with 'notice:' or be 'ptp_reminder'",
            "24:13 each entry of contact.exclude \(band), not '12:00-24:01'",
            "25:14 a holiday must be a date such as 2026-10-01",
            "26:25 contact.per_customer_per_day must be between 0 and 20, not 21",
            "28:19 contact.channels.sms.window \(band), not '21:00-08:00'",
            "29:19 contact.channels.ivr.window 08:00-21:30 \(widen)",
            "29:34 unknown key 'quiet_days_after_conversation' in contact.channels.ivr (allowed: window, per_day, per_7_days, daily_capacity, hourly_capacity)",
            "30:34 contact.emergency_contact.over_days must be between 1 and 30, not 0",
            "30:46 contact.emergency_contact.per_day must be between 0 and 1, not 2",
            "30:75 contact.emergency_contact.not_within_days_of_reach must be between 7 and 30, not 6",
            "31:27 contact.complaint.pause_days must be between 1 and 365, not 0",
            "33:15 contact.promise_to_pay.max_days must be between 1 and 366, not 0",
            "34:41 template 'CALL_TP' has class third_party; here it must be reminder or collection",
            "35:3 unknown key 'windw' in contact; did you mean 'window'? (allowed: window, exclude, holidays, calendar, holidays_optional, per_customer_per_day, channels, emergency_contact, complaint, promise_to_pay)",
            "38:13 segment 'everyone' window 08:00-24:00 \(widen)",
        ])
    }

    /// The limits that hold for calls are not the ones other channels get, nor their explanation.
    @Test func otherChannelsHaveTheirOwnWeeklyLimit() {
        #expect(Load.strategy(Load.minimal("contact:\n  channels:\n    sms: {per_7_days: 14}\n")) != nil)
        let diagnostics = Load.diagnostics(Load.minimal("contact:\n  channels:\n    sms: {per_7_days: 351}\n"))
        #expect(diagnostics.located == ["6:23 contact.channels.sms.per_7_days must be between 0 and 350, not 351"])
        #expect(diagnostics.first?.message.contains("Regulation F") == false)
    }
}
