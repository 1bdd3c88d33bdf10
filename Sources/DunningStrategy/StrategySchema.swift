import DunningCore

/// The JSON Schema (draft-07) of strategy files, printed by `dunning schema` and committed as
/// `strategies/strategy.schema.json`, so that editors complete and check keys as analysts type.
///
/// It describes the shape (keys, types, enums, ranges, patterns); `dunning validate` remains the
/// judge of everything across keys (bucket ladders, known treatments, shares adding up). A test
/// keeps each object's keys equal to the keys the loader accepts.
public enum StrategySchema {
    public static let id = "https://dunning.example/strategy.schema.json"

    public static var document: JSONValue {
        .object([
            ("$schema", .string("http://json-schema.org/draft-07/schema#")),
            ("$id", .string(id)),
            ("title", .string("dunning collection strategy")),
            ("description", .string("A dunning strategy file (docs/strategy.md). Check it with: dunning validate FILE")),
            ("type", .string("object")),
            ("additionalProperties", .bool(false)),
            ("required", strings(["name", "business_time_zone", "currency", "segments"])),
            ("properties", .object(topProperties)),
            ("definitions", .object(definitions)),
        ])
    }

    /// The schema text, as `dunning schema` prints it.
    public static var text: String { document.rendered() + "\n" }

    // MARK: Top level

    static var topProperties: [(String, JSONValue)] {
        [
            ("name", text("The strategy's name, shown in every summary.")),
            ("description", text("Free text for the analysts.")),
            ("business_time_zone", ref("zone", "IANA zone whose calendar defines today and every DPD, e.g. Asia/Shanghai.")),
            ("customer_time_zone", ref("zone", "IANA zone assumed for a customer without one (default: business_time_zone).")),
            ("currency", .object([("description", .string("ISO 4217 code of amounts without one, e.g. CNY.")),
                                  ("type", .string("string")), ("pattern", .string("^[A-Z]{3}$"))])),
            ("paid_tolerance", ref("amount", "Overpayment accepted as paid (default 0.00).")),
            ("stages", closed("When each stage starts.", [
                ("pre_collection", ref("day", "Case opens, D-2 by default (D0 or earlier).")),
                ("penalty", ref("day", "Penalty interest from, D+2 by default.")),
                ("credit_notice", ref("day", "The borrower is told about credit reporting, D+5 by default.")),
                ("credit_report", ref("day", "Reported to the credit bureau, D+8 by default.")),
                ("credit_notice_lead_days", int("Days between the notice and the report (default 1).", 1, 60)),
                ("litigation", .object([("description", .string("Referral to litigation, months after the due date: M12 by default.")),
                                        ("type", .string("string")), ("pattern", .string("^[Mm][0-9]{1,3}$"))])),
            ])),
            ("penalty", closed("Penalty interest.", [
                ("daily_rate", ref("rate", "Daily rate on the overdue amount, e.g. \"0.0005\" (0.05% a day; at most 1%).")),
                ("cap_ratio", ref("rate", "The penalty never exceeds this fraction of the loan's overdue amount.")),
                ("rounding", enumeration("Rounding of the penalty to the minor unit (default half_up).", RoundingRule.allCases.map(\.rawValue))),
            ])),
            ("buckets", .object([
                ("description", .string("Contiguous DPD buckets, ascending; the last has no 'to'.")),
                ("type", .string("array")), ("minItems", .number(1)),
                ("items", closed("A bucket.", [
                    ("name", text("The bucket's name, e.g. M1 (not 'current').")),
                    ("from", int("First DPD of the bucket.", -366, 36600)),
                    ("to", int("Last DPD of the bucket (absent on the last bucket).", -366, 36600)),
                ], required: ["name", "from"])),
            ])),
            ("segments", .object([
                ("description", .string("Segmentation rules, first match wins; the last one must be a catch-all (only a name).")),
                ("type", .string("array")), ("minItems", .number(1)),
                ("items", ref("segment")),
            ])),
            ("contact", contact),
            ("templates", .object([
                ("description", .string("Message templates by name.")),
                ("type", .string("object")),
                ("additionalProperties", closed("A template.", [
                    ("channel", ref("channel", "The channel it is sent on.")),
                    ("class", enumeration("What it may say.", TemplateClass.allCases.map(\.rawValue))),
                ], required: ["channel", "class"])),
            ])),
            ("notices", closed("Stage messages, sent the night their milestone is acted on.",
                               NoticeKind.allCases.map { ($0.rawValue, notice) })),
            ("treatments", .object([
                ("description", .string("Contact cadences by name: lists of steps.")),
                ("type", .string("object")),
                ("additionalProperties", .object([("type", .string("array")), ("items", ref("step"))])),
            ])),
            ("allocation", allocation),
            ("safety", closed("What a night refuses without an explicit yes (docs/operations.md#safety-rails).", [
                ("require_manifest", boolean("The input directory must hold a manifest.json (default false).")),
                ("max_missing_share", .object([
                    ("description", .string("Most of the open cases that may be missing from tonight's ledger.csv or customers.csv, e.g. 2% (the default).")),
                    ("type", .string("string")), ("pattern", .string("^[0-9]{1,3}(\\.[0-9]{1,2})?%$"))])),
                ("max_missed_nights", int("Most nights since the last committed one without --accept-missed-nights (default 14).", 0, 3660)),
            ])),
        ]
    }

    static func boolean(_ description: String) -> JSONValue {
        .object([("description", .string(description)), ("type", .string("boolean"))])
    }

    static var notice: JSONValue {
        closed("A stage notice.", [
            ("channel", ref("channel", "Channel of the notice (not call when the strategy allocates).")),
            ("template", text("A template of class notice or reminder.")),
            ("required", .object([("description", .string("Goes out under suppressions that spare required notices.")), ("type", .string("boolean"))])),
            ("valid_days", int("Nights it may wait for a free slot.", 1, 30)),
        ], required: ["channel", "template"])
    }

    // MARK: Contact

    static var contact: JSONValue {
        closed("Windows, caps, capacity, emergency contacts, complaints and promises.", [
            ("window", ref("band", "Contact window, inside 08:00-21:00 (may only narrow it).")),
            ("exclude", .object([("description", .string("Bands with no contact, e.g. lunch.")), ("type", .string("array")),
                                 ("items", ref("band", "A band with no contact."))])),
            ("holidays", .object([("description", .string("Dates with no contact except required notices.")), ("type", .string("array")),
                                  ("items", .object([("type", .string("string")), ("pattern", .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]))])),
            ("calendar", .object([("description", .string("Holiday calendar CSV file(s), relative to the strategy file, read as one calendar; each declares the dates it covers ('# covers: FROM..TO').")),
                                  ("anyOf", .array([.object([("type", .string("string")), ("minLength", .number(1))]),
                                                    .object([("type", .string("array")), ("minItems", .number(1)),
                                                             ("items", .object([("type", .string("string")), ("minLength", .number(1))]))])]))])),
            ("holidays_optional", boolean("A night outside the calendar's dates runs without holidays, with a warning, instead of exiting 78 (default false).")),
            ("per_customer_per_day", int("Contacts per customer per day, every channel (default 4).", 0, 20)),
            ("channels", closed("Per-channel windows, caps and capacity.", Channel.allCases.map { ($0.rawValue, channelRules($0)) })),
            ("emergency_contact", closed("When a third party may be called.", [
                ("after_failed_attempts", int("Failed attempts on the debtor first (default 6).", 3, 100)),
                ("over_days", int("... spread over at least this many days (default 3).", 1, 30)),
                ("per_day", int("Third-party contacts per customer per day (default 1).", 0, 1)),
                ("not_within_days_of_reach", int("None while the debtor was reached within this many days (default 7).", 7, 30)),
            ])),
            ("complaint", closed("What a complaint does.", [
                ("pause_days", int("Days every contact but required notices pauses (default 7).", 1, 365)),
                ("then", text("The treatment after the pause.")),
                ("gentle_days", int("Days the gentle treatment lasts (default 90).", 0, 3650)),
            ])),
            ("promise_to_pay", closed("What a promise to pay does.", [
                ("holds", .object([("description", .string("Channels held until the promised date; must include call.")),
                                   ("anyOf", .array([ref("channel", "A channel."), .object([("type", .string("array")), ("items", ref("channel", "A channel."))])]))])),
                ("max_days", int("A promised date further ahead counts as this far (default 30).", 1, 366)),
                ("reminder", closed("The reminder on the promised date.", [
                    ("channel", ref("channel", "Its channel.")),
                    ("template", text("Its template.")),
                ], required: ["channel", "template"])),
            ])),
        ])
    }

    static func channelRules(_ channel: Channel) -> JSONValue {
        let call = channel == .call
        var properties: [(String, JSONValue)] = [
            ("window", ref("band", "Narrows the window for this channel.")),
            ("per_day", int("Contacts per customer per local day.", 0, 50)),
            ("per_7_days", int(call ? "Calls per customer in any 7 days (at most 7: Regulation F)." : "Contacts per customer in any 7 days.", 0,
                               call ? ContactPolicy.maxCallsPer7Days : 350)),
            ("daily_capacity", int("Contacts the platform takes a night.", 0, 100_000_000)),
            ("hourly_capacity", int("Contacts per clock hour.", 1, 10_000_000)),
        ]
        if call {
            properties.append(("quiet_days_after_conversation",
                               int("No call or IVR for this many days after a conversation (at least 7).", ContactPolicy.minCallQuietDays, 30)))
        }
        return closed("Rules of the \(channel.rawValue) channel.", properties)
    }

    // MARK: Allocation

    static var allocation: JSONValue {
        closed("Case allocation: collector groups, first match wins (docs/allocation.md).", [
            ("rebalance_limit", ref("limit", "Kept cases a group may move a night, default 5%.")),
            ("groups", .object([
                ("description", .string("Collector groups; every bucket needs one.")),
                ("type", .string("array")), ("minItems", .number(1)),
                ("items", closed("A collector group.", [
                    ("name", ref("code", "The group's name, as agents.csv names it.")),
                    ("kind", enumeration("Who works its cases (default agents).", GroupKind.allCases.map(\.rawValue))),
                    ("products", ref("words", "Products it serves (default all).")),
                    ("buckets", ref("words", "Buckets it serves (default all).")),
                    ("segments", ref("words", "Segments it serves (default all).")),
                    ("balance", enumeration("How it splits cases (default count_and_amount; agency: amount).", BalanceRule.allCases.map(\.rawValue))),
                    ("shares", .object([("description", .string("Agency groups: target share of the amount per agency, whole percent adding up to 100.")),
                                        ("type", .string("object")),
                                        ("additionalProperties", .object([("type", .string("integer")), ("minimum", .number(1)), ("maximum", .number(100))]))])),
                    ("rebalance_limit", ref("limit", "Overrides allocation.rebalance_limit.")),
                    ("treatment", text("Replaces the segment's treatment for the group's cases.")),
                    ("skills", .object([("description", .string("Segment to skill: those cases go only to agents with the skill.")),
                                        ("type", .string("object")), ("additionalProperties", ref("code", "A skill."))])),
                ], required: ["name"])),
            ])),
        ], required: ["groups"])
    }

    // MARK: Definitions

    static var definitions: [(String, JSONValue)] {
        [
            ("zone", .object([("type", .string("string")), ("pattern", .string("^([A-Za-z_]+/[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)?|UTC)$"))])),
            ("day", .object([("description", .string("A day relative to the due date: D-2, D0, D+8 (or a whole number).")),
                             ("anyOf", .array([
                                 .object([("type", .string("integer")), ("minimum", .number(-366)), ("maximum", .number(3660))]),
                                 .object([("type", .string("string")), ("pattern", .string("^([Dd][+-]?[0-9]{1,4}|-?[0-9]{1,4})$"))]),
                             ]))])),
            ("amount", .object([("description", .string("An amount with at most two decimals, e.g. \"5000.00\".")),
                                ("type", strings(["string", "number"])), ("pattern", .string("^[0-9]+(\\.[0-9]{1,2})?$")), ("minimum", .number(0))])),
            ("rate", .object([("description", .string("A decimal with at most nine decimals, e.g. \"0.0005\".")),
                              ("type", strings(["string", "number"])), ("pattern", .string("^[0-9]+(\\.[0-9]{1,9})?$")), ("minimum", .number(0))])),
            ("band", .object([("description", .string("A local time band HH:MM-HH:MM, e.g. 09:00-12:00.")),
                              ("type", .string("string")), ("pattern", .string("^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$"))])),
            ("code", .object([("type", .string("string")), ("pattern", .string("^[A-Za-z0-9_.-]{1,64}$"))])),
            ("words", .object([("description", .string("A word or a list of words.")),
                               ("anyOf", .array([.object([("type", .string("string"))]),
                                                 .object([("type", .string("array")), ("minItems", .number(1)), ("items", .object([("type", .string("string"))]))])]))])),
            ("channel", enumeration("A channel.", Channel.allCases.map(\.rawValue))),
            ("limit", .object([("description", .string("A number of cases (200) or a percentage of the group's cases (5%).")),
                               ("anyOf", .array([.object([("type", .string("integer")), ("minimum", .number(0))]),
                                                 .object([("type", .string("string")), ("pattern", .string("^[0-9]{1,3}%$"))])]))])),
            ("percent", .object([("description", .string("A percentage above 0 and at most 100, at most two decimals.")),
                                 ("type", strings(["number", "string"])), ("pattern", .string("^[0-9]{1,3}(\\.[0-9]{1,2})?$")),
                                 ("exclusiveMinimum", .number(0)), ("maximum", .number(100))])),
            ("segment", closed("A segment: every condition given must hold.", [
                ("name", text("The segment's name.")),
                ("buckets", ref("words", "Buckets (current included).")),
                ("score", .object([("description", .string("Collection score range, or the word unscored.")),
                                   ("anyOf", .array([.object([("type", .string("string")), ("enum", strings(["unscored"]))]),
                                                     closed("A score range.", [("min", int("Lowest score.", 0, 1000)), ("max", int("Highest score.", 0, 1000))])]))])),
                ("amount", closed("Overdue amount bounds, inclusive.", [("min", ref("amount", "Lowest amount.")), ("max", ref("amount", "Highest amount."))])),
                ("products", ref("words", "Products.")),
                ("treatment", text("The treatment its cases follow (none: notices only).")),
                ("window", ref("band", "Narrows the contact window for its cases.")),
                ("experiment", closed("A champion/challenger split between treatments (docs/strategy.md#experiments).", [
                    ("name", ref("code", "Salts the split (default: the segment's name).")),
                    ("variants", .object([("type", .string("array")), ("minItems", .number(2)), ("items", closed("A variant.", [
                        ("name", ref("code", "The variant's name, in cases.csv and contacts.csv.")),
                        ("treatment", text("The treatment its customers follow.")),
                        ("percent", ref("percent", "Its share of the segment's customers; all add up to 100.")),
                    ], required: ["name", "treatment", "percent"]))])),
                ], required: ["variants"])),
            ], required: ["name"])),
            ("step", closed("A treatment step: days, or from with optional to and every.", [
                ("id", text("Stable key of the step in the audit trail.")),
                ("channel", ref("channel", "Its channel.")),
                ("template", text("Its template.")),
                ("target", enumeration("Who it reaches (default debtor).", ContactTarget.allCases.map(\.rawValue))),
                ("days", .object([("type", .string("array")), ("minItems", .number(1)), ("items", ref("day", "A day."))])),
                ("from", ref("day", "First day.")),
                ("to", ref("day", "Last day (default: while the case is open).")),
                ("every", int("Days between occurrences (default 1).", 1, 365)),
                ("band", ref("band", "Preferred local band.")),
                ("priority", int("1 (first deferred under capacity) to 99 (default 50).", 1, 99)),
                ("valid_days", int("Nights an occurrence may wait (default 1).", 1, 14)),
            ], required: ["channel", "template"])),
        ]
    }

    // MARK: Builders

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    static func text(_ description: String) -> JSONValue {
        .object([("description", .string(description)), ("type", .string("string")), ("minLength", .number(1))])
    }

    static func int(_ description: String, _ minimum: Int, _ maximum: Int) -> JSONValue {
        .object([("description", .string(description)), ("type", .string("integer")),
                 ("minimum", .number(minimum)), ("maximum", .number(maximum))])
    }

    static func enumeration(_ description: String, _ values: [String]) -> JSONValue {
        .object([("description", .string(description)), ("type", .string("string")), ("enum", strings(values))])
    }

    static func ref(_ definition: String, _ description: String? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("$ref", .string("#/definitions/\(definition)"))]
        if let description { pairs.insert(("description", .string(description)), at: 0) }
        return .object(pairs)
    }

    /// An object with exactly these keys.
    static func closed(_ description: String, _ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("description", .string(description)), ("type", .string("object")),
                                            ("additionalProperties", .bool(false))]
        if !required.isEmpty { pairs.append(("required", strings(required))) }
        pairs.append(("properties", .object(properties)))
        return .object(pairs)
    }
}
