import DunningCore
@testable import DunningStrategy
import Foundation
import Testing

/// The strategy's `allocation` section: what a valid one becomes, and every mistake with its
/// line:column (1-based, counted by hand on the YAML text).
@Suite("StrategyLoader: allocation section")
struct AllocationStrategyTests {
    // MARK: Valid sections

    static let valid = """
    name: alloc
    business_time_zone: Asia/Shanghai
    currency: CNY
    templates:
      SMS_R: {channel: sms, class: reminder}
      IVR_R: {channel: ivr, class: reminder}
      CALL_C: {channel: call, class: collection}
    treatments:
      gentle:
        - {channel: sms, template: SMS_R, days: [D+1]}
      robot_only:
        - {channel: ivr, template: IVR_R, days: [D+2]}
      calls:
        - {channel: call, template: CALL_C, days: [D+3]}
    segments:
      - name: early_low_risk
        buckets: [M0]
        score: {min: 600}
        treatment: calls
      - name: late_large
        amount: {min: "5000.00"}
        treatment: calls
      - name: other
        treatment: calls
    allocation:
      rebalance_limit: 200
      groups:
        - name: pre_due_robot
          kind: robot
          buckets: [current]
        - name: m0_card_robot
          kind: robot
          products: [card]
          buckets: M0
          treatment: robot_only
        - name: m0_cash
          products: [cash_loan, cash.v2]
          buckets: [M0]
          segments: [early_low_risk]
          balance: count
          rebalance_limit: 20%
          treatment: gentle
        - name: m0_other
          buckets: [M0]
        - name: late
          kind: agents
          buckets: [M1, M2]
          balance: amount
          rebalance_limit: 0
          skills: {late_large: senior, other: any-1.x}
        - name: m3_card_agency
          kind: agency
          products: [card]
          buckets: [M3+]
          balance: count
          shares: {AG_ONE: 100}
        - name: m3_agencies
          kind: agency
          buckets: [M3+]
          shares: {AG_EAST: 60, AG_WEST: 40}
          rebalance_limit: 0%

    """

    /// Kinds, per-kind balance defaults, the section's default limit, overrides, shares, skills,
    /// treatments and the anchor (the `groups` list: its first `-`, line 28 column 5).
    @Test func validSectionParsesIntoThePolicy() throws {
        let strategy = try #require(Load.strategy(Self.valid))
        let policy = try #require(strategy.allocation)
        #expect(policy.anchor == SourceAnchor(file: "test.yaml", line: 28, column: 5))
        #expect(policy.groups == [
            AllocationGroup(name: "pre_due_robot", kind: .robot, buckets: ["current"], rebalanceLimit: .cases(200)),
            AllocationGroup(name: "m0_card_robot", kind: .robot, products: ["card"], buckets: ["M0"],
                            rebalanceLimit: .cases(200), treatment: "robot_only"),
            AllocationGroup(name: "m0_cash", kind: .agents, products: ["cash_loan", "cash.v2"], buckets: ["M0"],
                            segments: ["early_low_risk"], balance: .count, rebalanceLimit: .percent(20), treatment: "gentle"),
            AllocationGroup(name: "m0_other", buckets: ["M0"], balance: .countAndAmount, rebalanceLimit: .cases(200)),
            AllocationGroup(name: "late", kind: .agents, buckets: ["M1", "M2"], balance: .amount, rebalanceLimit: .cases(0),
                            skills: ["late_large": "senior", "other": "any-1.x"]),
            AllocationGroup(name: "m3_card_agency", kind: .agency, products: ["card"], buckets: ["M3+"], balance: .count,
                            shares: ["AG_ONE": 100], rebalanceLimit: .cases(200)),
            AllocationGroup(name: "m3_agencies", kind: .agency, buckets: ["M3+"], balance: .amount,
                            shares: ["AG_EAST": 60, "AG_WEST": 40], rebalanceLimit: .percent(0)),
        ])
        // Defaults by kind: agents balance by count and amount, agencies by amount.
        #expect(policy.groups[3].balance == .countAndAmount)
        #expect(policy.groups[6].balance == .amount)
        #expect(policy.groups.map(\.hasMembers) == [false, false, true, true, true, true, true])
        // First match wins.
        #expect(policy.groupIndex(bucket: "M0", product: "card", segment: "early_low_risk") == 1)
        #expect(policy.groupIndex(bucket: "M0", product: "cash_loan", segment: "early_low_risk") == 2)
        #expect(policy.groupIndex(bucket: "M0", product: "cash_loan", segment: "other") == 3)
        #expect(policy.groupIndex(bucket: "M3+", product: "card", segment: "other") == 5)
        #expect(policy.groupIndex(bucket: "M3+", product: "auto", segment: "other") == 6)
    }

    /// Without `rebalance_limit` anywhere every group gets 5%; the anchor follows the file name.
    @Test func defaultRebalanceLimitIsFivePercent() throws {
        let yaml = Load.minimal("allocation:\n  groups:\n    - {name: robot, kind: robot, buckets: [current]}\n    - name: everyone\n")
        let policy = try #require(Load.strategy(yaml)?.allocation)
        #expect(AllocationPolicy.defaultRebalanceLimit == .percent(5))
        #expect(policy.groups == [
            AllocationGroup(name: "robot", kind: .robot, buckets: ["current"], rebalanceLimit: .percent(5)),
            AllocationGroup(name: "everyone", kind: .agents, balance: .countAndAmount, rebalanceLimit: .percent(5)),
        ])
        #expect(policy.anchor == SourceAnchor(file: "test.yaml", line: 6, column: 5))
        guard case .success(let named) = Load.result(yaml, file: "dir/s.yaml") else {
            Issue.record("expected a valid strategy")
            return
        }
        #expect(named.allocation?.anchor == SourceAnchor(file: "dir/s.yaml", line: 6, column: 5))
    }

    @Test("accepted rebalance limits", arguments: [
        ("0", RebalanceLimit.cases(0)), ("200", .cases(200)), ("10000000", .cases(10_000_000)),
        ("0%", .percent(0)), ("5%", .percent(5)), ("100%", .percent(100)), ("\"7%\"", .percent(7)),
    ])
    func acceptedRebalanceLimits(text: String, expected: RebalanceLimit) throws {
        let yaml = Load.minimal("allocation:\n  rebalance_limit: \(text)\n  groups:\n    - name: all\n")
        let policy = try #require(Load.strategy(yaml)?.allocation)
        #expect(policy.groups.map(\.rebalanceLimit) == [expected])
    }

    /// The repository's default strategy allocates (its calendar is read relative to the file).
    @Test func repositoryDefaultStrategyAllocates() throws {
        let path = StrategyLoaderValidTests.defaultPath
        guard case .success(let strategy) = StrategyLoader.load(path: path) else {
            Issue.record("default.yaml does not load")
            return
        }
        let policy = try #require(strategy.allocation)
        #expect(policy.groups.map(\.name) == ["pre_due_robot", "m0_cash", "m0_ecommerce", "m0_other", "m1_m2", "m3_agencies"])
        #expect(policy.groups.map(\.kind) == [.robot, .agents, .agents, .agents, .agents, .agency])
        #expect(policy.groups[4].skills == ["late_large": "senior"])
        #expect(policy.groups[4].rebalanceLimit == .cases(20))
        #expect(policy.groups[1].rebalanceLimit == .percent(5))
        #expect(policy.groups[5].shares == ["AG_EAST": 60, "AG_WEST": 40])
        #expect(policy.groups[5].balance == .amount)
        #expect(policy.anchor.file == path)
        #expect(policy.anchor.line > 1 && policy.anchor.column == 5)
    }

    @Test func strategiesWithoutAllocationHaveNone() throws {
        #expect(try #require(Load.strategy(Load.minimal())).allocation == nil)
        let withContact = Load.minimal(ContactStrategyDiagnosticsTests.templates
            + "treatments:\n  t:\n    - {channel: sms, template: SMS_R, days: [D+1]}\n",
            segments: "segments:\n  - name: everyone\n    treatment: t\n")
        let strategy = try #require(Load.strategy(withContact))
        #expect(strategy.allocation == nil)
        #expect(strategy.contact.treatments["t"] != nil)
    }

    // MARK: Each mistake alone

    /// A valid strategy whose allocation has a robot group (line 18), then `group` (line 19, a
    /// flow mapping: `{` at column 7, the first key after `name: g, ` at column 17), then a
    /// catch-all (line 20).
    static func group(_ group: String, last: String = "{name: rest}") -> String {
        """
        name: alloc
        business_time_zone: Asia/Shanghai
        currency: CNY
        templates:
          SMS_R: {channel: sms, class: reminder}
          CALL_C: {channel: call, class: collection}
        treatments:
          soft:
            - {channel: sms, template: SMS_R, days: [D+1]}
          calls:
            - {channel: call, template: CALL_C, days: [D+2]}
        segments:
          - name: early
            buckets: [M0]
          - name: other
        allocation:
          groups:
            - {name: robot, kind: robot, buckets: [current]}
            - \(group)
            - \(last)

        """
    }

    static let allowedGroupKeys = "name, kind, products, buckets, segments, balance, shares, rebalance_limit, treatment, skills"
    static let limitRule = "must be a number of cases from 0 to 10000000 (e.g. 200) or a percentage of the group's cases from 0% to 100% (e.g. 5%)"

    @Test func theGroupHelperIsValid() throws {
        let policy = try #require(Load.strategy(Self.group("{name: g, buckets: [M1]}"))?.allocation)
        #expect(policy.groups.map(\.name) == ["robot", "g", "rest"])
        #expect(policy.anchor.line == 18 && policy.anchor.column == 5)
    }

    /// One mistake per file, reported once, at the value (or key) that is wrong.
    @Test(arguments: [
        // Unknown keys, with a hint.
        ("{name: g, buckets: [M1], sharez: {A: 100}}",
         "19:32 unknown key 'sharez' in an allocation group; did you mean 'shares'? (allowed: \(allowedGroupKeys))"),
        ("{name: g, buckets: [M1], treatmnet: soft}",
         "19:32 unknown key 'treatmnet' in an allocation group; did you mean 'treatment'? (allowed: \(allowedGroupKeys))"),
        ("{name: g, buckets: [M1], colour: red}",
         "19:32 unknown key 'colour' in an allocation group (allowed: \(allowedGroupKeys))"),
        // Kind and balance.
        ("{name: g, buckets: [M1], kind: human}",
         "19:38 allocation group 'g': unknown kind 'human' (known: agents, robot, agency)"),
        ("{name: g, buckets: [M1], balance: even}",
         "19:41 allocation group 'g': unknown balance 'even' (known: count_and_amount, amount, count)"),
        ("{name: g, kind: robot, buckets: [M1], balance: count}",
         "19:54 allocation group 'g': a robot group has no members to balance; remove balance"),
        ("{name: g, kind: robot, buckets: [M1], rebalance_limit: 5}",
         "19:62 allocation group 'g': a robot group has no members to rebalance between; remove rebalance_limit"),
        // Conditions.
        ("{name: g, buckets: [M1, M9]}",
         "19:26 allocation group 'g': unknown bucket 'M9' (known: current, M0, M1, M2, M3+)"),
        ("{name: g, buckets: [M1], segments: [erly]}",
         "19:42 allocation group 'g': unknown segment 'erly' (known: early, other)"),
        ("{name: g, buckets: [M1], products: [cash loan]}",
         "19:42 allocation group 'g': product code 'cash loan' may use only letters, digits, '_', '-' and '.'"),
        ("{name: g, buckets: []}",
         "19:26 allocation group 'g': an empty buckets list matches nothing; remove the key to serve every bucket"),
        ("{name: g, buckets: [M1], products: []}",
         "19:42 allocation group 'g': an empty products list matches nothing; remove the key to serve every product"),
        ("{name: g, buckets: [M1], segments: []}",
         "19:42 allocation group 'g': an empty segments list matches nothing; remove the key to serve every segment"),
        // Treatment.
        ("{name: g, buckets: [M1], treatment: nope}",
         "19:43 allocation group 'g': unknown treatment 'nope' (known: calls, soft)"),
        ("{name: g, kind: robot, buckets: [M1], treatment: calls}",
         "19:56 allocation group 'g': a robot group's treatment may not have agent calls (nobody calls its cases), but treatment 'calls' has call step calls#1"),
        // Names.
        ("{name: rest, buckets: [M1]}",
         "20:7 allocation group name 'rest' is used twice (first at line 19)"),
        ("{name: g h, buckets: [M1]}",
         "19:14 allocation group name 'g h' may use only letters, digits, '_', '-' and '.'"),
        ("{kind: robot, buckets: [M1]}",
         "19:7 missing required key 'name' in an allocation group"),
        ("just_a_word",
         "19:7 an allocation group must be a mapping (key: value lines)"),
        // First match wins: a group behind one that takes all its cases.
        ("{name: g}",
         "20:7 allocation group 'rest' can never receive a case: group 'g' (line 19) takes all of its cases first"),
        ("{name: g, buckets: [current], products: [card]}",
         "19:7 allocation group 'g' can never receive a case: group 'robot' (line 18) takes all of its cases first"),
        // Shares.
        ("{name: g, kind: agency, buckets: [M1]}",
         "19:7 allocation group 'g': an agency group needs shares, e.g. shares: {AGENCY_A: 60, AGENCY_B: 40}"),
        ("{name: g, buckets: [M1], shares: {A: 100}}",
         "19:40 allocation group 'g': shares are for agency groups (kind: agency); agents are weighted in agents.csv"),
        ("{name: g, kind: robot, buckets: [M1], shares: {A: 100}}",
         "19:53 allocation group 'g': shares are for agency groups (kind: agency); a robot group has no members to share its cases"),
        ("{name: g, kind: agency, buckets: [M1], shares: {A: 60, B: 30}}",
         "19:54 allocation group 'g': shares add up to 90%, not 100%"),
        ("{name: g, kind: agency, buckets: [M1], shares: {A: 60, B: 50}}",
         "19:54 allocation group 'g': shares add up to 110%, not 100%"),
        ("{name: g, kind: agency, buckets: [M1], shares: {A: 0, B: 100}}",
         "19:58 allocation group 'g': the share of agency A (in percent) must be between 1 and 100, not 0"),
        ("{name: g, kind: agency, buckets: [M1], shares: {A: 101}}",
         "19:58 allocation group 'g': the share of agency A (in percent) must be between 1 and 100, not 101"),
        ("{name: g, kind: agency, buckets: [M1], shares: {A: lots}}",
         "19:58 allocation group 'g': the share of agency A (in percent) must be a whole number"),
        ("{name: g, kind: agency, buckets: [M1], shares: {}}",
         "19:54 allocation group 'g': shares must name at least one agency"),
        ("{name: g, kind: agency, buckets: [M1], shares: [A]}",
         "19:54 allocation group 'g' shares must be a mapping (name: value lines)"),
        ("{name: g, kind: agency, buckets: [M1], shares: {A B: 100}}",
         "19:55 allocation group 'g' shares: names may use only letters, digits, '_', '-' and '.'"),
        // Skills.
        ("{name: g, kind: robot, buckets: [M1], skills: {early: senior}}",
         "19:53 allocation group 'g': skills route cases to agents with the skill; a robot group has no agents (skills are for kind: agents)"),
        ("{name: g, kind: agency, buckets: [M1], shares: {A: 100}, skills: {early: senior}}",
         "19:72 allocation group 'g': skills route cases to agents with the skill; an agency group has no agents (skills are for kind: agents)"),
        ("{name: g, buckets: [M1], skills: {late: senior}}",
         "19:41 allocation group 'g' skills: unknown segment 'late' (known: early, other)"),
        ("{name: g, buckets: [M1], skills: {early: senior staff}}",
         "19:48 allocation group 'g' skill 'senior staff' may use only letters, digits, '_', '-' and '.'"),
        // Rebalance limits.
        ("{name: g, buckets: [M1], rebalance_limit: abc}",
         "19:49 allocation group 'g' rebalance_limit \(limitRule), not 'abc'"),
        ("{name: g, buckets: [M1], rebalance_limit: 150%}",
         "19:49 allocation group 'g' rebalance_limit \(limitRule), not '150%'"),
        ("{name: g, buckets: [M1], rebalance_limit: -1}",
         "19:49 allocation group 'g' rebalance_limit \(limitRule), not '-1'"),
        ("{name: g, buckets: [M1], rebalance_limit: -1%}",
         "19:49 allocation group 'g' rebalance_limit \(limitRule), not '-1%'"),
        ("{name: g, buckets: [M1], rebalance_limit: +5}",
         "19:49 allocation group 'g' rebalance_limit \(limitRule), not '+5'"),
        ("{name: g, buckets: [M1], rebalance_limit: 2.5%}",
         "19:49 allocation group 'g' rebalance_limit \(limitRule), not '2.5%'"),
        ("{name: g, buckets: [M1], rebalance_limit: 10000001}",
         "19:49 allocation group 'g' rebalance_limit \(limitRule), not '10000001'"),
        ("{name: g, buckets: [M1], rebalance_limit: [5]}",
         "19:49 allocation group 'g' rebalance_limit \(limitRule)"),
    ])
    func eachGroupMistakeAlone(group: String, expected: String) {
        #expect(Load.diagnostics(Self.group(group)).located == [expected])
    }

    /// Mistakes of the section itself (the allocation key is on line 4, its first entry on line 5).
    @Test(arguments: [
        ("allocation:\n  rebalance_limit: 5%\n",
         "5:3 missing required key 'groups' in allocation: list the collector groups (first match wins)"),
        ("allocation:\n  groups: []\n",
         "5:11 allocation.groups must list at least one group"),
        ("allocation:\n  groups: everyone\n",
         "5:11 allocation.groups must be a list"),
        ("allocation: yes\n",
         "4:13 allocation must be a mapping (key: value lines)"),
        ("allocation:\n  rebalance_limit: abc\n  groups:\n    - name: all\n",
         "5:20 allocation.rebalance_limit \(limitRule), not 'abc'"),
        ("allocation:\n  rebalance_limit: 150%\n  groups:\n    - name: all\n",
         "5:20 allocation.rebalance_limit \(limitRule), not '150%'"),
        ("allocation:\n  rebalance_limit: -1\n  groups:\n    - name: all\n",
         "5:20 allocation.rebalance_limit \(limitRule), not '-1'"),
        ("allocation:\n  rebalance_limit: {cases: 5}\n  groups:\n    - name: all\n",
         "5:20 allocation.rebalance_limit \(limitRule)"),
    ])
    func eachSectionMistakeAlone(section: String, expected: String) {
        #expect(Load.diagnostics(Load.minimal(section)).located == [expected])
    }

    /// A grups typo leaves groups missing too: both are reported.
    @Test func misspelledGroupsIsAlsoMissing() {
        let yaml = Load.minimal("allocation:\n  grups:\n    - name: all\n")
        // The typo is the only key, so the missing-key report is at the same place.
        #expect(Load.diagnostics(yaml).located == [
            "5:3 missing required key 'groups' in allocation: list the collector groups (first match wins)",
            "5:3 unknown key 'grups' in allocation; did you mean 'groups'? (allowed: rebalance_limit, groups)",
        ].sorted())
    }

    // MARK: Coverage: every open case needs a group

    /// The groups list starts on line 6, column 5 (`Load.minimal` puts allocation on line 4).
    static func groups(_ lines: String, segments: String = "segments:\n  - name: everyone\n") -> String {
        Load.minimal("allocation:\n  groups:\n" + lines, segments: segments)
    }

    @Test func bucketsNoGroupServesAreReportedAtTheGroupsList() {
        let yaml = Self.groups("    - {name: m0, buckets: [M0]}\n    - {name: m1, buckets: M1}\n")
        #expect(Load.diagnostics(yaml).located == [
            "6:5 no allocation group serves bucket M2: every open case needs a group; add one (a robot group for cases nobody calls)",
            "6:5 no allocation group serves bucket M3+: every open case needs a group; add one (a robot group for cases nobody calls)",
            "6:5 no allocation group serves bucket current (cases not yet overdue: pre-collection): every open case needs a group; add one (a robot group for cases nobody calls)",
        ])
    }

    @Test func currentNeedsAGroupToo() {
        let yaml = Self.groups("    - {name: overdue, buckets: [M0, M1, M2, M3+]}\n")
        #expect(Load.diagnostics(yaml).located == [
            "6:5 no allocation group serves bucket current (cases not yet overdue: pre-collection): every open case needs a group; add one (a robot group for cases nobody calls)",
        ])
    }

    /// A bucket served only for some segments: the segments its cases can fall into need groups too
    /// (first match wins, so `early` takes every M0 case and `other` cannot occur in M0).
    @Test func segmentsNoGroupServesInABucket() {
        let segments = "segments:\n  - name: early\n    buckets: [M0]\n  - name: scored\n    score: {min: 1}\n  - name: other\n"
        let good = Self.groups("    - {name: m0, buckets: [M0], segments: [early]}\n    - {name: rest, buckets: [current, M1, M2, M3+]}\n",
                               segments: segments)
        #expect(Load.strategy(good) != nil)
        let bad = Self.groups("    - {name: scored, segments: [scored]}\n    - {name: m0, buckets: [M0], segments: [early]}\n",
                              segments: segments)
        #expect(Load.diagnostics(bad).located == [
            "6:5 no allocation group serves segment 'other' in bucket M1: every open case needs a group; add one, or widen one's segments",
            "6:5 no allocation group serves segment 'other' in bucket M2: every open case needs a group; add one, or widen one's segments",
            "6:5 no allocation group serves segment 'other' in bucket M3+: every open case needs a group; add one, or widen one's segments",
            "6:5 no allocation group serves segment 'other' in bucket current (cases not yet overdue: pre-collection): every open case needs a group; add one, or widen one's segments",
        ])
    }

    /// Products are open-ended: a bucket served for some products only is found at run time.
    @Test func bucketsServedForSomeProductsOnlyAreAccepted() {
        let yaml = Self.groups("    - {name: cash, products: [cash_loan]}\n")
        #expect(Load.strategy(yaml)?.allocation?.groups.count == 1)
    }

    /// A group that matches nothing (an empty list) is reported once, not also as shadowed.
    @Test func anEmptyListIsNotAlsoShadowed() {
        let yaml = Self.groups("    - {name: all}\n    - {name: none, products: []}\n")
        #expect(Load.diagnostics(yaml).located == [
            "7:30 allocation group 'none': an empty products list matches nothing; remove the key to serve every product",
        ])
    }

    /// Shadowing compares every condition: a narrower earlier group hides nothing.
    @Test func narrowerEarlierGroupsShadowNothing() throws {
        let yaml = Self.groups("""
            - {name: a, buckets: [M0], products: [cash]}
            - {name: b, buckets: [M0, M1], segments: [everyone]}
            - {name: c, products: [cash, card]}
            - {name: d}

        """)
        #expect(try #require(Load.strategy(yaml)?.allocation).groups.map(\.name) == ["a", "b", "c", "d"])
        let shadowed = Self.groups("    - {name: wide, buckets: [M0, M1]}\n    - {name: narrow, buckets: [M1], products: [x], segments: [everyone]}\n    - {name: rest}\n")
        #expect(Load.diagnostics(shadowed).located == [
            "7:7 allocation group 'narrow' can never receive a case: group 'wide' (line 6) takes all of its cases first",
        ])
    }

    /// `agents.csv` lists an agency once, in one group: two groups cannot both give it a share.
    @Test func anAgencyBelongsToOneGroup() {
        let yaml = Self.groups("""
            - {name: east, kind: agency, products: [cash], shares: {AG_A: 50, AG_B: 50}}
            - {name: west, kind: agency, shares: {AG_C: 50, AG_A: 50}}

        """)
        #expect(Load.diagnostics(yaml).located == [
            "7:53 allocation group 'west': agency AG_A already has a share in group 'east' (line 6); an agency belongs to one group, as agents.csv lists it once",
        ])
    }

    // MARK: One pass

    /// Every allocation mistake of a file comes out in one pass, in file order.
    @Test func oneFileReportsEveryAllocationMistake() {
        let yaml = """
        name: alloc-broken
        business_time_zone: Asia/Shanghai
        currency: CNY
        templates:
          SMS_R: {channel: sms, class: reminder}
          CALL_C: {channel: call, class: collection}
        treatments:
          soft:
            - {channel: sms, template: SMS_R, days: [D+1]}
          calls:
            - {channel: call, template: CALL_C, days: [D+2]}
        segments:
          - name: early
            buckets: [M0]
          - name: other
        allocation:
          rebalance_limit: abc
          grups: 1
          groups:
            - name: robo
              kind: robot
              buckets: [M0]
              balance: count
              treatment: calls
              skills: {early: senior}
              shares: {A: 100}
              rebalance_limit: 3
            - name: m0
              kind: human
              bucket: [M0]
              buckets: [M0, M9]
              products: [cash loan]
              segments: [erly]
              balance: even
              treatment: nope
              rebalance_limit: 150%
            - name: robo
              buckets: []
              products: []
              segments: []
            - name: ag
              kind: agency
              buckets: [M1]
              skills: {early: senior}
            - name: ag2
              kind: agency
              buckets: [M2]
              shares: {A: 50, B: 40}
            - name: ag3
              kind: agency
              buckets: [M2]
              products: [x]
              shares: {C: 0, B: 101}
            - name: late
              buckets: [M2]
              rebalance_limit: -1
              skills: {late_large: senior}

        """
        let limit = Self.limitRule
        #expect(Load.diagnostics(yaml, file: "alloc.yaml").rendered == [
            "alloc.yaml:17:20: error: allocation.rebalance_limit \(limit), not 'abc'",
            "alloc.yaml:18:3: error: unknown key 'grups' in allocation; did you mean 'groups'? (allowed: rebalance_limit, groups)",
            "alloc.yaml:20:5: error: no allocation group serves bucket M3+: every open case needs a group; add one (a robot group for cases nobody calls)",
            "alloc.yaml:20:5: error: no allocation group serves bucket current (cases not yet overdue: pre-collection): every open case needs a group; add one (a robot group for cases nobody calls)",
            "alloc.yaml:23:16: error: allocation group 'robo': a robot group has no members to balance; remove balance",
            "alloc.yaml:24:18: error: allocation group 'robo': a robot group's treatment may not have agent calls (nobody calls its cases), but treatment 'calls' has call step calls#1",
            "alloc.yaml:25:15: error: allocation group 'robo': skills route cases to agents with the skill; a robot group has no agents (skills are for kind: agents)",
            "alloc.yaml:26:15: error: allocation group 'robo': shares are for agency groups (kind: agency); a robot group has no members to share its cases",
            "alloc.yaml:27:24: error: allocation group 'robo': a robot group has no members to rebalance between; remove rebalance_limit",
            "alloc.yaml:29:13: error: allocation group 'm0': unknown kind 'human' (known: agents, robot, agency)",
            "alloc.yaml:30:7: error: unknown key 'bucket' in an allocation group; did you mean 'buckets'? (allowed: \(Self.allowedGroupKeys))",
            "alloc.yaml:31:16: error: allocation group 'm0': unknown bucket 'M9' (known: current, M0, M1, M2, M3+)",
            "alloc.yaml:32:17: error: allocation group 'm0': product code 'cash loan' may use only letters, digits, '_', '-' and '.'",
            "alloc.yaml:33:17: error: allocation group 'm0': unknown segment 'erly' (known: early, other)",
            "alloc.yaml:34:16: error: allocation group 'm0': unknown balance 'even' (known: count_and_amount, amount, count)",
            "alloc.yaml:35:18: error: allocation group 'm0': unknown treatment 'nope' (known: calls, soft)",
            "alloc.yaml:36:24: error: allocation group 'm0' rebalance_limit \(limit), not '150%'",
            "alloc.yaml:37:7: error: allocation group name 'robo' is used twice (first at line 20)",
            "alloc.yaml:38:16: error: allocation group 'robo': an empty buckets list matches nothing; remove the key to serve every bucket",
            "alloc.yaml:39:17: error: allocation group 'robo': an empty products list matches nothing; remove the key to serve every product",
            "alloc.yaml:40:17: error: allocation group 'robo': an empty segments list matches nothing; remove the key to serve every segment",
            "alloc.yaml:41:7: error: allocation group 'ag': an agency group needs shares, e.g. shares: {AGENCY_A: 60, AGENCY_B: 40}",
            "alloc.yaml:44:15: error: allocation group 'ag': skills route cases to agents with the skill; an agency group has no agents (skills are for kind: agents)",
            "alloc.yaml:48:15: error: allocation group 'ag2': shares add up to 90%, not 100%",
            "alloc.yaml:49:7: error: allocation group 'ag3' can never receive a case: group 'ag2' (line 45) takes all of its cases first",
            "alloc.yaml:53:19: error: allocation group 'ag3': the share of agency C (in percent) must be between 1 and 100, not 0",
            "alloc.yaml:53:22: error: allocation group 'ag3': agency B already has a share in group 'ag2' (line 48); an agency belongs to one group, as agents.csv lists it once",
            "alloc.yaml:53:25: error: allocation group 'ag3': the share of agency B (in percent) must be between 1 and 100, not 101",
            "alloc.yaml:54:7: error: allocation group 'late' can never receive a case: group 'ag2' (line 45) takes all of its cases first",
            "alloc.yaml:56:24: error: allocation group 'late' rebalance_limit \(limit), not '-1'",
            "alloc.yaml:57:16: error: allocation group 'late' skills: unknown segment 'late_large' (known: early, other)",
        ])
    }

    /// Allocation mistakes come out together with mistakes elsewhere in the file.
    @Test func allocationMistakesJoinTheOtherSections() {
        let yaml = """
        name: mixed
        business_time_zone: Asia/Shanghai
        currency: cny
        segments:
          - name: everyone
            treatment: nope
        allocation:
          groups:
            - {name: all, treatment: nope, balanse: count}

        """
        #expect(Load.diagnostics(yaml).located == [
            "3:11 currency must be an ISO 4217 code such as CNY or USD, not 'cny'",
            "6:16 segment 'everyone': unknown treatment 'nope' (no treatments are defined)",
            "9:30 allocation group 'all': unknown treatment 'nope' (no treatments are defined)",
            "9:36 unknown key 'balanse' in an allocation group; did you mean 'balance'? (allowed: \(Self.allowedGroupKeys))",
        ])
    }

    /// An agent call cannot reach a robot-group or unassigned case, so with allocation no stage
    /// notice or promise reminder may go by call (without allocation the dialer assigns one).
    @Test func noticesAndPromiseRemindersMayNotGoByAgentCall() {
        let yaml = """
        name: n
        business_time_zone: Asia/Shanghai
        currency: CNY
        templates:
          CALL_NOTICE: {channel: call, class: notice}
          CALL_R: {channel: call, class: reminder}
        notices:
          credit_notice: {channel: call, template: CALL_NOTICE}
        contact:
          promise_to_pay:
            reminder: {channel: call, template: CALL_R}
        segments:
          - name: all
        allocation:
          groups:
            - name: robots
              kind: robot
        """
        let advice = "with allocation, a case in a robot group or left unassigned has no agent to call it; send it by sms, ivr, letter, email or push"
        #expect(Load.diagnostics(yaml).located == [
            "8:18 notices.credit_notice goes by agent call: \(advice)",
            "11:15 contact.promise_to_pay.reminder goes by agent call: \(advice)",
        ])
        let withoutAllocation = yaml.components(separatedBy: "allocation:")[0]
        #expect(Load.strategy(withoutAllocation) != nil)
    }
}

@Suite("StrategyLoader: experiments")
struct ExperimentStrategyTests {
    static let head = """
    name: e
    business_time_zone: Asia/Shanghai
    currency: CNY
    templates:
      SMS_R: {channel: sms, class: reminder}
    treatments:
      a: [{channel: sms, template: SMS_R, days: [D+1]}]
      b: [{channel: sms, template: SMS_R, days: [D+2]}]

    """

    @Test func anExperimentSplitsASegmentBetweenTreatments() throws {
        let yaml = Self.head + """
        segments:
          - name: early
            buckets: [M0]
            experiment:
              name: early_2026q4
              variants:
                - {name: champion, treatment: a, percent: 87.5}
                - {name: challenger, treatment: b, percent: 12.5}
          - name: rest
        """
        let strategy = try #require(Load.strategy(yaml))
        #expect(strategy.segments[0].experiment == Experiment(name: "early_2026q4", variants: [
            Experiment.Variant(name: "champion", treatment: "a", basisPoints: 8_750),
            Experiment.Variant(name: "challenger", treatment: "b", basisPoints: 1_250),
        ]))
        #expect(strategy.segments[0].treatment == nil)
        // Without a name the experiment is named after its segment.
        let unnamed = try #require(Load.strategy(yaml.replacingOccurrences(of: "      name: early_2026q4\n", with: "")))
        #expect(unnamed.segments[0].experiment?.name == "early")
    }

    @Test func everyExperimentMistakeIsLocated() {
        let yaml = Self.head + """
        segments:
          - name: early
            buckets: [M0]
            treatment: a
            experiment:
              variants:
                - {name: champion, treatment: a, percent: 80}
                - {name: champion, treatment: c, percent: 30}
          - name: late
            buckets: [M1]
            experiment:
              name: early
              variants:
                - {name: x, treatment: a, percent: "0"}
                - {name: y, treatment: b, percent: 12.345}
          - name: solo
            buckets: [M2]
            experiment:
              variants:
                - {name: only, treatment: a, percent: 100}
              colour: red
          - name: rest
        """
        // Positions are those of the YAML nodes: a mapping or list starts at its first entry.
        #expect(Load.diagnostics(yaml).located == [
            "14:7 segment 'early': an experiment names each variant's treatment; remove the segment's treatment",
            "15:9 segment 'early' experiment: variant percentages add up to 110%, not 100%",
            "16:11 segment 'early' experiment: variant name 'champion' is used twice",
            "16:39 segment 'early' experiment: unknown treatment 'c' (known: a, b)",
            "20:7 experiment name 'early' is used twice (first at line 14): each experiment splits customers on its own",
            "22:44 segment 'late' experiment: variant percent must be a percentage above 0 and at most 100 with at most two decimals (e.g. 20 or 12.5), not '0'",
            "23:44 segment 'late' experiment: variant percent must be a percentage above 0 and at most 100 with at most two decimals (e.g. 20 or 12.5), not '12.345'",
            "28:9 segment 'solo' experiment needs at least two variants (a champion and a challenger)",
            "29:7 unknown key 'colour' in segment 'solo' experiment (allowed: name, variants)",
        ])
    }
}
