import DunningCore
import Foundation
import Yams

/// Builds the contact part of a strategy (`contact`, `templates`, `notices`, `treatments`),
/// enforcing the hard rules no strategy may relax: the 08:00-21:00 window, Regulation F's call
/// presumptions, third-party templates for emergency contacts only.
extension StrategyBuilder {
    static let contactKeys = ["window", "exclude", "holidays", "calendar", "holidays_optional", "per_customer_per_day",
                              "channels", "emergency_contact", "complaint", "promise_to_pay"]

    mutating func contactPolicy(_ fields: [String: Node]) -> ContactPolicy {
        var policy = ContactPolicy()
        if let node = fields["templates"] { policy.templates = templates(node) }
        if let node = fields["treatments"] { policy.treatments = treatments(node, templates: policy.templates) }
        if let node = fields["notices"] { policy.notices = notices(node, templates: policy.templates) }
        guard let node = fields["contact"],
              let entries = reader.mapping(node, in: "contact", allowed: Self.contactKeys) else { return policy }
        for (key, _, value) in entries {
            switch key {
            case "window": if let band = window(value, "contact.window") { policy.window = band }
            case "exclude":
                for item in reader.sequence(value, "contact.exclude") ?? [] {
                    if let band = band(item, "each entry of contact.exclude") { policy.excluded.append(band) }
                }
            case "holidays":
                for item in reader.sequence(value, "contact.holidays") ?? [] {
                    if let text = reader.string(item, "a holiday"), let day = Day(iso: text) {
                        policy.holidays.insert(day)
                    } else if item.scalar != nil {
                        reader.error(at: item, "a holiday must be a date such as 2026-10-01")
                    }
                }
            case "calendar":
                let calendar = holidayCalendar(value)
                policy.holidays.formUnion(calendar.days)
                policy.calendar = calendar.calendar
            case "holidays_optional": reader.flag(value, "contact.holidays_optional").map { policy.holidaysOptional = $0 }
            case "per_customer_per_day":
                reader.int(value, "contact.per_customer_per_day", in: 0...20).map { policy.perCustomerPerDay = $0 }
            case "channels": channels(value, into: &policy)
            case "emergency_contact": policy.emergency = emergencyRule(value)
            case "complaint": policy.complaint = complaintRule(value, treatments: policy.treatments)
            case "promise_to_pay": policy.promise = promiseRule(value, templates: policy.templates)
            default: break
            }
        }
        return policy
    }

    // MARK: Times

    /// `HH:MM-HH:MM` with start before end.
    mutating func band(_ node: Node, _ what: String) -> TimeBand? {
        guard let text = reader.string(node, what) else { return nil }
        guard let band = TimeBand.parse(text), band.start < band.end else {
            reader.error(at: node, "\(what) must be a time band such as 09:00-12:00 (24-hour clock, start before end), not '\(text)'")
            return nil
        }
        return band
    }

    /// A contact window: a band that stays inside the legal 08:00-21:00.
    mutating func window(_ node: Node, _ what: String) -> TimeBand? {
        guard let band = band(node, what) else { return nil }
        guard band.start >= TimeBand.legal.start, band.end <= TimeBand.legal.end else {
            reader.error(at: node, "\(what) \(band) widens the legal contact window: contacts may only be planned between 08:00 and 21:00 local time; a strategy may narrow it, never widen it")
            return nil
        }
        return band
    }

    // MARK: Channels and caps

    private mutating func channel(_ node: Node, _ what: String) -> Channel? {
        guard let text = reader.string(node, what) else { return nil }
        guard let channel = Channel(rawValue: text) else {
            reader.error(at: node, "\(what): unknown channel '\(text)' (known: \(Channel.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        return channel
    }

    private mutating func channels(_ node: Node, into policy: inout ContactPolicy) {
        guard let entries = reader.mapping(node, in: "contact.channels", allowed: Channel.allCases.map(\.rawValue)) else { return }
        for (name, _, value) in entries {
            guard let channel = Channel(rawValue: name) else { continue }
            var rules = policy.rules(channel)
            var allowed = ["window", "per_day", "per_7_days", "daily_capacity", "hourly_capacity"]
            if channel == .call { allowed.append("quiet_days_after_conversation") }
            let what = "contact.channels.\(name)"
            guard let fields = reader.mapping(value, in: what, allowed: allowed) else { continue }
            for (key, _, v) in fields {
                switch key {
                case "window": rules.window = window(v, "\(what).window")
                case "per_day": reader.int(v, "\(what).per_day", in: 0...50).map { rules.perDay = $0 }
                case "per_7_days":
                    if channel != .call {
                        reader.int(v, "\(what).per_7_days", in: 0...350).map { rules.per7Days = $0 }
                    } else if let n = reader.int(v, "\(what).per_7_days", in: 0...1000) {
                        if n > ContactPolicy.maxCallsPer7Days {
                            reader.error(at: v, "\(what).per_7_days may not exceed \(ContactPolicy.maxCallsPer7Days): more than 7 calls in 7 days is presumed harassment (Regulation F); lower it, never raise it")
                        } else {
                            rules.per7Days = n
                        }
                    }
                case "quiet_days_after_conversation":
                    if let n = reader.int(v, "\(what).quiet_days_after_conversation", in: 0...30) {
                        if n < ContactPolicy.minCallQuietDays {
                            reader.error(at: v, "\(what).quiet_days_after_conversation may not be below \(ContactPolicy.minCallQuietDays): no call within 7 days of a conversation (Regulation F); raise it, never lower it")
                        } else {
                            rules.quietDaysAfterConversation = n
                        }
                    }
                case "daily_capacity": rules.dailyCapacity = reader.int(v, "\(what).daily_capacity", in: 0...100_000_000)
                case "hourly_capacity": rules.hourlyCapacity = reader.int(v, "\(what).hourly_capacity", in: 1...10_000_000)
                default: break
                }
            }
            policy.channels[channel] = rules
        }
    }

    private mutating func emergencyRule(_ node: Node) -> EmergencyContactRule {
        var rule = EmergencyContactRule()
        let allowed = ["after_failed_attempts", "over_days", "per_day", "not_within_days_of_reach"]
        guard let entries = reader.mapping(node, in: "contact.emergency_contact", allowed: allowed) else { return rule }
        for (key, _, v) in entries {
            let what = "contact.emergency_contact.\(key)"
            switch key {
            // Lower bounds: third parties only after repeated failure (China 2026: three failed contacts).
            case "after_failed_attempts": reader.int(v, what, in: 3...100).map { rule.afterFailedAttempts = $0 }
            case "over_days": reader.int(v, what, in: 1...30).map { rule.overDays = $0 }
            case "per_day": reader.int(v, what, in: 0...1).map { rule.perDay = $0 }
            // Attempt events are read back 46 days (NightlyRun.contactLookbackDays): keep within it.
            case "not_within_days_of_reach": reader.int(v, what, in: 7...30).map { rule.notWithinDaysOfReach = $0 }
            default: break
            }
        }
        return rule
    }

    private mutating func complaintRule(_ node: Node, treatments: [String: Treatment]) -> ComplaintRule {
        var rule = ComplaintRule()
        guard let entries = reader.mapping(node, in: "contact.complaint", allowed: ["pause_days", "then", "gentle_days"]) else { return rule }
        for (key, _, v) in entries {
            switch key {
            case "pause_days": reader.int(v, "contact.complaint.pause_days", in: 1...365).map { rule.pauseDays = $0 }
            case "gentle_days": reader.int(v, "contact.complaint.gentle_days", in: 0...3650).map { rule.gentleDays = $0 }
            case "then":
                if let name = reader.string(v, "contact.complaint.then") {
                    if treatments[name] == nil {
                        reader.error(at: v, "contact.complaint.then: unknown treatment '\(name)'\(known(treatments.keys))")
                    } else {
                        rule.treatmentAfter = name
                    }
                }
            default: break
            }
        }
        return rule
    }

    private mutating func promiseRule(_ node: Node, templates: [String: Template]) -> PromiseRule {
        var rule = PromiseRule()
        guard let entries = reader.mapping(node, in: "contact.promise_to_pay", allowed: ["holds", "max_days", "reminder"]) else { return rule }
        for (key, _, v) in entries {
            switch key {
            case "holds":
                var channels: Set<Channel> = []
                for word in reader.words(v, "contact.promise_to_pay.holds") ?? [] {
                    if let c = Channel(rawValue: word) { channels.insert(c) } else {
                        reader.error(at: v, "contact.promise_to_pay.holds: unknown channel '\(word)'")
                    }
                }
                if !channels.contains(.call) {
                    reader.error(at: v, "contact.promise_to_pay.holds must include call: a promise to pay stops calls until the promised date")
                }
                rule.holdsChannels = channels.union([.call])
            case "max_days": reader.int(v, "contact.promise_to_pay.max_days", in: 1...366).map { rule.maxDays = $0 }
            case "reminder":
                guard let fields = reader.mapping(v, in: "contact.promise_to_pay.reminder", allowed: ["channel", "template"]) else { continue }
                let map = Self.values(fields)
                let channel = required("channel", map, v).flatMap { self.channel($0, "reminder channel") }
                let template = required("template", map, v).flatMap { reader.string($0, "reminder template") }
                if let channel, let template, let node = map["template"],
                   checkTemplate(template, at: node, channel: channel, templates: templates, classes: [.reminder, .collection]) {
                    rule.reminder = (channel, template)
                }
            default: break
            }
        }
        return rule
    }

    // MARK: Templates, notices, treatments

    private mutating func templates(_ node: Node) -> [String: Template] {
        guard case .mapping(let mapping) = node else {
            reader.error(at: node, "templates must be a mapping of template name to {channel, class}")
            return [:]
        }
        var result: [String: Template] = [:]
        for (keyNode, value) in mapping {
            guard let name = reader.string(keyNode, "template name") else { continue }
            guard let fields = reader.mapping(value, in: "template \(name)", allowed: ["channel", "class"]) else { continue }
            let map = Self.values(fields)
            let channel = required("channel", map, value).flatMap { self.channel($0, "template \(name) channel") }
            var templateClass: TemplateClass?
            if let classNode = required("class", map, value) {
                let text = classNode.scalar?.string ?? ""
                templateClass = TemplateClass(rawValue: text)
                if templateClass == nil {
                    reader.error(at: classNode, "template \(name): class must be one of \(TemplateClass.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            if let channel, let templateClass { result[name] = Template(name: name, channel: channel, templateClass: templateClass) }
        }
        return result
    }

    /// Checks that `name` is a declared template of `channel` whose class is one of `classes`.
    mutating func checkTemplate(_ name: String, at node: Node, channel: Channel, templates: [String: Template],
                                classes: [TemplateClass]) -> Bool {
        guard let template = templates[name] else {
            reader.error(at: node, "unknown template '\(name)': declare it under templates with its channel and class")
            return false
        }
        if template.channel != channel {
            reader.error(at: node, "template '\(name)' is a \(template.channel.rawValue) template, not \(channel.rawValue)")
            return false
        }
        if !classes.contains(template.templateClass) {
            reader.error(at: node, "template '\(name)' has class \(template.templateClass.rawValue); here it must be \(classes.map(\.rawValue).joined(separator: " or "))")
            return false
        }
        return true
    }

    private mutating func notices(_ node: Node, templates: [String: Template]) -> [NoticeKind: NoticeRule] {
        var result: [NoticeKind: NoticeRule] = [:]
        guard let entries = reader.mapping(node, in: "notices", allowed: NoticeKind.allCases.map(\.rawValue)) else { return result }
        for (name, _, value) in entries {
            guard let kind = NoticeKind(rawValue: name),
                  let fields = reader.mapping(value, in: "notices.\(name)", allowed: ["channel", "template", "required", "valid_days"])
            else { continue }
            let map = Self.values(fields)
            let channel = required("channel", map, value).flatMap { self.channel($0, "notices.\(name).channel") }
            let template = required("template", map, value).flatMap { reader.string($0, "notices.\(name).template") }
            var isRequired = kind != .preCollection
            if let r = map["required"], let flag = reader.flag(r, "notices.\(name).required") { isRequired = flag }
            let valid = map["valid_days"].flatMap { reader.int($0, "notices.\(name).valid_days", in: 1...30) } ?? (kind == .preCollection ? 2 : 3)
            let classes: [TemplateClass] = isRequired ? [.notice] : [.notice, .reminder]
            if let channel, let template, let tnode = map["template"],
               checkTemplate(template, at: tnode, channel: channel, templates: templates, classes: classes) {
                result[kind] = NoticeRule(kind: kind, channel: channel, template: template, required: isRequired, validDays: valid)
            }
        }
        return result
    }

    private mutating func treatments(_ node: Node, templates: [String: Template]) -> [String: Treatment] {
        guard case .mapping(let mapping) = node else {
            reader.error(at: node, "treatments must be a mapping of treatment name to a list of steps")
            return [:]
        }
        var result: [String: Treatment] = [:]
        var ids: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let name = reader.string(keyNode, "treatment name") else { continue }
            if name.contains("#") || name.contains("|") || name.contains("@") {
                reader.error(at: keyNode, "treatment name '\(name)' may not contain '#', '|' or '@'")
            }
            guard let items = reader.sequence(value, "treatment \(name)") else { continue }
            var steps: [TreatmentStep] = []
            for (index, item) in items.enumerated() {
                guard let step = step(item, id: "\(name)#\(index + 1)", treatment: name, templates: templates) else { continue }
                if let earlier = ids[step.id] {
                    reader.error(at: item, "step id '\(step.id)' is used twice (first at line \(earlier.mark?.line ?? 0))")
                }
                ids[step.id] = item
                steps.append(step)
            }
            result[name] = Treatment(name: name, steps: steps)
        }
        return result
    }

    private mutating func step(_ node: Node, id defaultID: String, treatment: String,
                               templates: [String: Template]) -> TreatmentStep? {
        let allowed = ["id", "channel", "template", "target", "days", "from", "to", "every", "band", "priority", "valid_days"]
        let what = "treatment \(treatment) step"
        guard let fields = reader.mapping(node, in: what, allowed: allowed) else { return nil }
        let map = Self.values(fields)
        var id = defaultID
        if let n = map["id"], let text = reader.string(n, "step id") {
            if text.contains("|") || text.contains("@") || text.hasPrefix("notice:") || text == "ptp_reminder" {
                reader.error(at: n, "step id '\(text)' may not contain '|' or '@', start with 'notice:' or be 'ptp_reminder'")
            }
            id = text
        }
        let channel = required("channel", map, node).flatMap { self.channel($0, "\(what) channel") }
        let template = required("template", map, node).flatMap { reader.string($0, "\(what) template") }
        var target = ContactTarget.debtor
        if let t = map["target"] {
            if let value = t.scalar.flatMap({ ContactTarget(rawValue: $0.string) }) { target = value } else {
                reader.error(at: t, "\(what) target must be debtor or emergency_contact")
            }
        }
        var days: StepDays?
        if let list = map["days"] {
            if map["from"] != nil || map["to"] != nil || map["every"] != nil {
                reader.error(at: list, "\(what): use either days or from/to/every, not both")
            }
            if let items = reader.sequence(list, "\(what) days") {
                let values = items.compactMap { dayOffset($0, "\(what) day") }
                if items.isEmpty { reader.error(at: list, "\(what): days must list at least one day") }
                days = .list(values)
            }
        } else if let fromNode = map["from"] {
            let from = dayOffset(fromNode, "\(what) from")
            let to = map["to"].flatMap { dayOffset($0, "\(what) to") }
            let every = map["every"].flatMap { reader.int($0, "\(what) every", in: 1...365) } ?? 1
            if let from, let to, to < from { reader.error(at: map["to"], "\(what): to (D\(signed(to))) is before from (D\(signed(from)))") }
            if let from { days = .range(from: from, to: to, every: every) }
        } else {
            reader.error(at: node, "\(what) needs days (a list such as [D+1, D+7]) or from (with optional to and every)")
        }
        let band = map["band"].flatMap { window($0, "\(what) band") }
        let priority = map["priority"].flatMap { reader.int($0, "\(what) priority", in: 1...99) } ?? 50
        let valid = map["valid_days"].flatMap { reader.int($0, "\(what) valid_days", in: 1...14) } ?? 1
        guard let channel, let template, let days, let templateNode = map["template"] else { return nil }
        let classes: [TemplateClass] = target == .emergencyContact ? [.thirdParty] : [.reminder, .collection, .notice]
        // A third party never hears the debt's details; the debtor never gets a message meant for one.
        guard checkTemplate(template, at: templateNode, channel: channel, templates: templates, classes: classes) else { return nil }
        return TreatmentStep(id: id, channel: channel, template: template, target: target, days: days, band: band,
                             priority: priority, validDays: valid)
    }

    func known(_ names: some Collection<String>) -> String {
        names.isEmpty ? " (no treatments are defined)" : " (known: \(names.sorted().joined(separator: ", ")))"
    }
}
