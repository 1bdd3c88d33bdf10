import DunningCore
import Foundation
import Testing
@testable import DunningIO

/// `agents.csv`: tonight's roster of agents and agencies. Columns of a row
/// "A1,m0,10,true,1,senior,100" under `header`, counted by hand: agent_id 1, group 4,
/// capacity 7, active 10, weight 15, skills 17, calls_per_day 24.
@Suite("InputLoader: agents.csv roster")
struct AgentRosterTests {
    static let header = "agent_id,group,capacity,active,weight,skills,calls_per_day\n"
    /// The agency rows every roster of `groups` needs (their shares name them).
    static let agencies = "AG_EAST,ag,1000,true,,,\nAG_WEST,ag,1000,true,,,\n"

    static let groups = [
        AllocationGroup(name: "pre_robot", kind: .robot, buckets: ["current"]),
        AllocationGroup(name: "m0", buckets: ["M0"]),
        AllocationGroup(name: "m1", buckets: ["M1"], skills: ["other": "senior"]),
        AllocationGroup(name: "ag", kind: .agency, shares: ["AG_EAST": 60, "AG_WEST": 40]),
    ]

    static func strategy(_ groups: [AllocationGroup]? = Self.groups) -> Strategy {
        let base = ioStrategy()
        return Strategy(name: base.name, contentHash: base.contentHash, businessTimeZone: base.businessTimeZone,
                        defaultCustomerTimeZone: base.defaultCustomerTimeZone, currency: base.currency,
                        stages: base.stages, penalty: base.penalty, paidTolerance: base.paidTolerance,
                        buckets: base.buckets, segments: base.segments,
                        allocation: groups.map { AllocationPolicy(groups: $0, anchor: SourceAnchor(file: "s.yaml", line: 3, column: 5)) })
    }

    /// An input directory with empty customers and ledger files, and `agents` as agents.csv (nil = no file).
    static func input(_ agents: String?, ledger: String = ledgerHeader) throws -> TempInput {
        var files = ["customers.csv": "customer_id,score\n", "ledger.csv": ledger]
        if let agents { files["agents.csv"] = agents }
        return try TempInput(files)
    }

    static func load(_ input: TempInput, groups: [AllocationGroup]? = Self.groups) throws(InputError) -> Inputs {
        try InputLoader(directory: input.path, strategy: strategy(groups), asOf: Day(iso: "2026-03-20")!).load()
    }

    /// Roster problems as `line:column message`.
    static func located(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map { "\($0.line):\($0.column) \($0.message)" } }

    // MARK: Good rosters

    /// Every column, in another order, header names in any case and padded, an extra column,
    /// CRLF line ends; the roster comes out sorted by ID.
    @Test func everyColumnInAnyOrderWithCRLF() throws {
        let input = try Self.input("""
        Calls_Per_Day, skills ,WEIGHT,active,capacity,group,agent_id,note\r
        100,senior|cn,0.5,true,20,m1,B2,hi\r
        ,,,yes,10,m0,A1,\r
        0,,100,FALSE,0,m0,Z9,\r
        10000,a.b-c_d,0.001,1,1000000,m1,C3,\r
        0,,2.25,No,5,ag,AG_WEST,\r
        ,,1.000,0,5,ag,AG_EAST,\r

        """)
        let inputs = try Self.load(input)
        #expect(inputs.problems.isEmpty)
        #expect(inputs.rosterProblems.isEmpty)
        #expect(inputs.rowCounts["agents.csv"] == 6)
        #expect(inputs.agents == [
            Agent(id: "A1", group: "m0", capacity: 10, active: true, weightMilli: 1000, skills: [], callsPerDay: nil),
            Agent(id: "AG_EAST", group: "ag", capacity: 5, active: false, weightMilli: 1000, skills: [], callsPerDay: nil),
            Agent(id: "AG_WEST", group: "ag", capacity: 5, active: false, weightMilli: 2250, skills: [], callsPerDay: 0),
            Agent(id: "B2", group: "m1", capacity: 20, active: true, weightMilli: 500, skills: ["senior", "cn"], callsPerDay: 100),
            Agent(id: "C3", group: "m1", capacity: 1_000_000, active: true, weightMilli: 1, skills: ["a.b-c_d"], callsPerDay: 10_000),
            Agent(id: "Z9", group: "m0", capacity: 0, active: false, weightMilli: 100_000, skills: [], callsPerDay: 0),
        ])
    }

    /// Only the required columns: weight 1, no skills, no call limit.
    @Test func requiredColumnsOnlyTakeTheDefaults() throws {
        let input = try Self.input("group,active,agent_id,capacity\nm0,true,A1,3\nag,true,AG_WEST,1\nag,false,AG_EAST,2\n")
        let inputs = try Self.load(input)
        #expect(inputs.problems.isEmpty)
        #expect(inputs.agents == [
            Agent(id: "A1", group: "m0", capacity: 3, active: true, weightMilli: 1000, skills: [], callsPerDay: nil),
            Agent(id: "AG_EAST", group: "ag", capacity: 2, active: false),
            Agent(id: "AG_WEST", group: "ag", capacity: 1, active: true),
        ])
        #expect(inputs.agents.allSatisfy { $0.weightMilli == 1000 && $0.skills.isEmpty && $0.callsPerDay == nil })
    }

    @Test("weights in thousandths", arguments: [
        ("1", 1000), ("0.5", 500), ("0.001", 1), ("100", 100_000), ("100.000", 100_000), ("2.25", 2250),
        ("007.10", 7100), ("1.0", 1000), ("99.999", 99_999), ("0.01", 10),
    ])
    func weightsInThousandths(text: String, milli: Int) throws {
        let input = try Self.input(Self.header + "A1,m0,10,true,\(text),,\n" + Self.agencies)
        let inputs = try Self.load(input)
        #expect(inputs.problems.isEmpty)
        #expect(inputs.agents.first { $0.id == "A1" }?.weightMilli == milli)
    }

    @Test("active flags", arguments: [
        ("true", true), ("TRUE", true), ("yes", true), ("Yes", true), ("1", true),
        ("false", false), ("False", false), ("no", false), ("NO", false), ("0", false),
    ])
    func activeFlags(text: String, active: Bool) throws {
        let input = try Self.input(Self.header + "A1,m0,10,\(text),,,\n" + Self.agencies)
        let inputs = try Self.load(input)
        #expect(inputs.problems.isEmpty)
        #expect(inputs.agents.first { $0.id == "A1" }?.active == active)
    }

    // MARK: Bad rows

    /// One bad field: reported at its line and column, in both problem lists, and the row is not loaded.
    @Test("one bad field per row", arguments: [
        ("A1,m0,-1,true,1,senior,100", "2:7 capacity '-1' must be a whole number from 0 to 1000000"),
        ("A1,m0,1000001,true,1,senior,100", "2:7 capacity '1000001' must be a whole number from 0 to 1000000"),
        ("A1,m0,ten,true,1,senior,100", "2:7 capacity 'ten' must be a whole number from 0 to 1000000"),
        ("A1,m0,2.5,true,1,senior,100", "2:7 capacity '2.5' must be a whole number from 0 to 1000000"),
        ("A1,m0,,true,1,senior,100", "2:7 capacity '' must be a whole number from 0 to 1000000"),
        ("A1,m0,10,maybe,1,senior,100", "2:10 active 'maybe' must be true or false"),
        ("A1,m0,10,,1,senior,100", "2:10 active '' must be true or false"),
        ("A1,m0,10,t,1,senior,100", "2:10 active 't' must be true or false"),
        ("A1,m0,10,true,0,senior,100", "2:15 weight '0' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,0.000,senior,100", "2:15 weight '0.000' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,100.001,senior,100", "2:15 weight '100.001' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,1.2345,senior,100", "2:15 weight '1.2345' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,-1,senior,100", "2:15 weight '-1' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,+1,senior,100", "2:15 weight '+1' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,1e2,senior,100", "2:15 weight '1e2' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,.5,senior,100", "2:15 weight '.5' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,1.,senior,100", "2:15 weight '1.' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,1.2.3,senior,100", "2:15 weight '1.2.3' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true, 1,senior,100", "2:15 weight ' 1' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,half,senior,100", "2:15 weight 'half' must be a decimal from 0.001 to 100 with at most three decimals"),
        ("A1,m0,10,true,1,senior staff,100", "2:17 skill 'senior staff' may use only letters, digits, '_', '-' and '.' (separate skills with |)"),
        ("A1,m0,10,true,1,senior;cn,100", "2:17 skill 'senior;cn' may use only letters, digits, '_', '-' and '.' (separate skills with |)"),
        ("A1,m0,10,true,1,senior|c n,100", "2:17 skill 'c n' may use only letters, digits, '_', '-' and '.' (separate skills with |)"),
        ("A1,m0,10,true,1,senior,-1", "2:24 calls_per_day '-1' must be a whole number from 0 to 10000"),
        ("A1,m0,10,true,1,senior,10001", "2:24 calls_per_day '10001' must be a whole number from 0 to 10000"),
        ("A1,m0,10,true,1,senior,1.5", "2:24 calls_per_day '1.5' must be a whole number from 0 to 10000"),
        ("A1,m0,10,true,1,senior,many", "2:24 calls_per_day 'many' must be a whole number from 0 to 10000"),
        (",m0,10,true,1,senior,100", "2:1 agent_id is empty"),
        ("A1,,10,true,1,senior,100", "2:4 group is empty"),
        ("A1,m9,10,true,1,senior,100", "2:4 group 'm9' is not an allocation group of the strategy (known: m0, m1, ag)"),
        ("A1,pre_robot,10,true,1,senior,100", "2:4 group 'pre_robot' is a robot group: it has no members (agents.csv lists agents and agencies)"),
        ("AG_NORTH,ag,10,true,1,,", "2:1 agency AG_NORTH has no share in group 'ag' (shares: AG_EAST, AG_WEST)"),
        ("A1,ag,10,true,1,,", "2:1 agency A1 has no share in group 'ag' (shares: AG_EAST, AG_WEST)"),
    ])
    func oneBadField(row: String, expected: String) throws {
        let input = try Self.input(Self.header + row + "\n" + Self.agencies)
        let inputs = try Self.load(input)
        #expect(inputs.problems(in: "agents.csv") == [expected])
        #expect(Self.located(inputs.rosterProblems) == [expected])
        #expect(inputs.rosterProblems.allSatisfy { $0.file == input.file("agents.csv") })
        #expect(inputs.agents.map(\.id) == ["AG_EAST", "AG_WEST"])
        #expect(inputs.rowCounts["agents.csv"] == 3)
    }

    /// Every problem of a file, several in one row, comes out sorted, in both lists.
    @Test func everyProblemOfTheFileInOnePass() throws {
        let input = try Self.input(Self.header + """
        A1,m0,10,true,1,senior,100
        A2,m7,ten,maybe,0,a b,-5
        A1,m1,5,true,1,,
        AG_EAST,ag,1000,true,,,
        AG_WEST,m0,1000,true,,,
        B1,pre_robot,1,true,1,,
        ,m0,1,true,1,,
        C1,m1,1,true,1

        """)
        let inputs = try Self.load(input)
        let expected = [
            "1:1 agency AG_WEST has a share in group 'ag' but is listed in group 'm0' (line 6); list it in group 'ag' (active false to pause it)",
            "3:4 group 'm7' is not an allocation group of the strategy (known: m0, m1, ag)",
            "3:7 capacity 'ten' must be a whole number from 0 to 1000000",
            "3:11 active 'maybe' must be true or false",
            "3:17 weight '0' must be a decimal from 0.001 to 100 with at most three decimals",
            "3:19 skill 'a b' may use only letters, digits, '_', '-' and '.' (separate skills with |)",
            "3:23 calls_per_day '-5' must be a whole number from 0 to 10000",
            "4:1 agent A1 is listed twice (first at line 2)",
            "7:4 group 'pre_robot' is a robot group: it has no members (agents.csv lists agents and agencies)",
            "8:1 agent_id is empty",
            "9:1 expected 7 fields as in the header, found 5",
        ]
        #expect(inputs.problems(in: "agents.csv") == expected)
        #expect(Self.located(inputs.rosterProblems) == expected)
        #expect(inputs.rejectedRowCount == 6) // lines 1, 3, 4, 7, 8, 9
        // The first row of a duplicated ID stays; AG_WEST is a valid m0 agent.
        #expect(inputs.agents.map { "\($0.id)/\($0.group)" } == ["A1/m0", "AG_EAST/ag", "AG_WEST/m0"])
        #expect(inputs.rowCounts["agents.csv"] == 8)
    }

    // MARK: Agencies

    /// A share names an agency the roster does not list: reported at line 1, once per agency.
    @Test func agencyWithAShareButNoRow() throws {
        let input = try Self.input(Self.header + "A1,m0,10,true,,,\nAG_EAST,ag,1000,true,,,\n")
        let inputs = try Self.load(input)
        let expected = ["1:1 agency AG_WEST has a share in group 'ag' but is not listed; add it (active false to pause it)"]
        #expect(inputs.problems(in: "agents.csv") == expected)
        #expect(Self.located(inputs.rosterProblems) == expected)
        #expect(inputs.rosterProblems.first?.file == input.file("agents.csv"))
        #expect(inputs.agents.map(\.id) == ["A1", "AG_EAST"])

        let none = try Self.load(try Self.input(Self.header + "A1,m0,10,true,,,\n"))
        #expect(Self.located(none.rosterProblems) == [
            "1:1 agency AG_EAST has a share in group 'ag' but is not listed; add it (active false to pause it)",
            "1:1 agency AG_WEST has a share in group 'ag' but is not listed; add it (active false to pause it)",
        ])
    }

    /// An agency listed in another group is not listed in its own: the row may be valid there.
    @Test func agencyListedInAnotherGroup() throws {
        let input = try Self.input(Self.header + "AG_EAST,ag,1000,true,,,\nAG_WEST,m1,1000,true,,,\n")
        let inputs = try Self.load(input)
        #expect(Self.located(inputs.rosterProblems) == [
            "1:1 agency AG_WEST has a share in group 'ag' but is listed in group 'm1' (line 3); list it in group 'ag' (active false to pause it)",
        ])
    }

    /// A bad row of the agency in its group is reported for what is wrong, not also as missing.
    @Test func badAgencyRowIsNotAlsoUnlisted() throws {
        let input = try Self.input(Self.header + "AG_EAST,ag,lots,true,,,\nAG_WEST,ag,1000,true,,,\n")
        let inputs = try Self.load(input)
        #expect(Self.located(inputs.rosterProblems) == ["2:12 capacity 'lots' must be a whole number from 0 to 1000000"])
        #expect(inputs.agents.map(\.id) == ["AG_WEST"])
    }

    // MARK: The two problem lists

    /// `rosterProblems` holds agents.csv's problems only; `problems` holds every file's, sorted.
    @Test func rosterProblemsAreAlsoProblems() throws {
        let input = try Self.input(Self.header + "A1,m0,x,true,,,\n" + Self.agencies,
                                   ledger: ledgerHeader + "L1,C1,cash,1,2026-02-30,100.00,0\n")
        let inputs = try Self.load(input)
        #expect(inputs.problems.map { ($0.file as NSString).lastPathComponent } == ["agents.csv", "ledger.csv", "ledger.csv"])
        #expect(inputs.problems(in: "agents.csv") == ["2:7 capacity 'x' must be a whole number from 0 to 1000000"])
        #expect(Self.located(inputs.rosterProblems) == ["2:7 capacity 'x' must be a whole number from 0 to 1000000"])
        #expect(inputs.problems == inputs.problems.sorted())
    }

    // MARK: Whether the file is needed

    @Test("missing when a group has members", arguments: [
        [AllocationGroup(name: "m0")],
        [AllocationGroup(name: "robot", kind: .robot, buckets: ["current"]),
         AllocationGroup(name: "ag", kind: .agency, shares: ["AG": 100])],
    ])
    func missingRosterWhenRequired(groups: [AllocationGroup]) throws {
        let input = try Self.input(nil)
        do {
            _ = try Self.load(input, groups: groups)
            Issue.record("expected InputError.missingFile")
        } catch {
            guard case .missingFile(let d) = error else {
                Issue.record("expected InputError.missingFile, got \(error)")
                return
            }
            #expect(d == Diagnostic(file: input.file("agents.csv"), line: 1, column: 1, message: "required input file not found"))
        }
    }

    /// Robots have no members: no roster needed.
    @Test func missingRosterWhenOnlyRobots() throws {
        let input = try Self.input(nil)
        let inputs = try Self.load(input, groups: [AllocationGroup(name: "robot", kind: .robot)])
        #expect(inputs.agents.isEmpty)
        #expect(inputs.problems.isEmpty)
        #expect(inputs.rosterProblems.isEmpty)
        #expect(inputs.rowCounts["agents.csv"] == nil)
    }

    /// A roster that is not needed is still checked when it is there.
    @Test func unneededRosterIsStillChecked() throws {
        let input = try Self.input(Self.header + "R1,robot,1,true,,,\nA1,m0,1,true,,,\n")
        let inputs = try Self.load(input, groups: [AllocationGroup(name: "robot", kind: .robot)])
        #expect(Self.located(inputs.rosterProblems) == [
            "2:4 group 'robot' is a robot group: it has no members (agents.csv lists agents and agencies)",
            "3:4 group 'm0' is not an allocation group of the strategy (it has no agents or agency groups)",
        ])
        #expect(inputs.agents.isEmpty)
    }

    /// Without an allocation section, agents.csv is not read at all.
    @Test func noAllocationIgnoresTheRoster() throws {
        let input = try Self.input("not,a,roster\n1,2\n")
        let inputs = try Self.load(input, groups: nil)
        #expect(inputs.problems.isEmpty)
        #expect(inputs.rosterProblems.isEmpty)
        #expect(inputs.agents.isEmpty)
        #expect(inputs.rowCounts["agents.csv"] == nil)
        #expect(try TempInput(["customers.csv": "customer_id,score\n", "ledger.csv": ledgerHeader]).load().agents.isEmpty)
    }

    // MARK: Unreadable rosters

    @Test("unreadable files", arguments: [
        ("agent_id,group,capacity\nA1,m0,1\n", "1:1 missing required column active"),
        ("agent_id;group;capacity;active\n", "1:1 missing required columns agent_id, group, capacity, active; the header looks delimited by something other than commas (dunning reads comma-separated CSV)"),
        ("", "1:1 file is empty; expected a header row with: agent_id, group, capacity, active"),
    ])
    func unreadableRoster(content: String, expected: String) throws {
        let input = try Self.input(content)
        do {
            _ = try Self.load(input)
            Issue.record("expected InputError.unreadable")
        } catch {
            guard case .unreadable(let ds) = error else {
                Issue.record("expected InputError.unreadable, got \(error)")
                return
            }
            #expect(Self.located(ds) == [expected])
            #expect(ds.allSatisfy { $0.file == input.file("agents.csv") })
        }
    }

    /// A header and no rows: nobody is listed, so the agencies' shares point at nothing.
    @Test func headerOnlyRoster() throws {
        let inputs = try Self.load(try Self.input(Self.header), groups: [AllocationGroup(name: "m0")])
        #expect(inputs.agents.isEmpty)
        #expect(inputs.problems.isEmpty)
        #expect(inputs.rowCounts["agents.csv"] == 0)
    }

    // MARK: Row helpers

    @Test("thousandths as decimals", arguments: [
        (1, "0.001"), (10, "0.01"), (500, "0.5"), (1000, "1"), (2250, "2.25"), (99_999, "99.999"), (100_000, "100"), (0, "0"),
    ])
    func thousandthsAsDecimals(milli: Int, text: String) {
        #expect(CSVTable.Row.decimal(milli: milli) == text)
    }
}
