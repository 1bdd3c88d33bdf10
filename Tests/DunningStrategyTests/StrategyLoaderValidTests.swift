import DunningCore
@testable import DunningStrategy
import Foundation
import Testing

@Suite("StrategyLoader: valid strategies")
struct StrategyLoaderValidTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let defaultPath = repoRoot.appendingPathComponent("strategies/default.yaml").path

    @Test func repositoryDefaultStrategyLoads() throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.defaultPath))
        let strategy: Strategy
        switch StrategyLoader.load(bytes: [UInt8](bytes), file: Self.defaultPath) {
        case .success(let s): strategy = s
        case .failure(let e):
            Issue.record("default.yaml does not load:\n\(e)")
            return
        }
        #expect(strategy.name == "default")
        #expect(strategy.businessTimeZone == "Asia/Shanghai")
        #expect(strategy.defaultCustomerTimeZone == "Asia/Shanghai")
        #expect(strategy.currency == "CNY")
        #expect(strategy.paidTolerance == .zero)
        #expect(strategy.stages == StageSchedule())
        #expect(strategy.stages.preCollection == -2)
        #expect(strategy.stages.penalty == 2)
        #expect(strategy.stages.creditNotice == 5)
        #expect(strategy.stages.creditReport == 8)
        #expect(strategy.stages.creditNoticeLeadDays == 1)
        #expect(strategy.stages.litigationMonths == 12)
        #expect(strategy.penalty == PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: Rate(nanos: 240_000_000), rounding: .halfUp))
        #expect(strategy.buckets == BucketScheme([
            Bucket(name: "M0", minDPD: 1, maxDPD: 30), Bucket(name: "M1", minDPD: 31, maxDPD: 60),
            Bucket(name: "M2", minDPD: 61, maxDPD: 90), Bucket(name: "M3+", minDPD: 91, maxDPD: nil),
        ]))
        #expect(strategy.segments == [
            SegmentRule(name: "pre_due", buckets: ["current"]),
            SegmentRule(name: "early_low_risk", buckets: ["M0"], score: .range(min: 600, max: 1000), treatment: "gentle"),
            SegmentRule(name: "early_unscored", buckets: ["M0"], score: .unscored, treatment: "standard"),
            SegmentRule(name: "early_high_risk", buckets: ["M0"], experiment: Experiment(name: "m0_high_risk_sms_first", variants: [
                Experiment.Variant(name: "champion", treatment: "intensive", basisPoints: 8_000),
                Experiment.Variant(name: "sms_first", treatment: "intensive_sms_first", basisPoints: 2_000),
            ])),
            SegmentRule(name: "late_large", buckets: ["M1", "M2", "M3+"], minAmount: Money(minorUnits: 500_000), treatment: "late"),
            SegmentRule(name: "late_small", buckets: ["M1", "M2", "M3+"], treatment: "late",
                        window: TimeBand(start: 9 * 60, end: 20 * 60)),
            SegmentRule(name: "other", treatment: "standard"),
        ])
        #expect(Set(strategy.contact.treatments.keys) == ["gentle", "standard", "intensive", "intensive_sms_first", "late"])
        #expect(strategy.contact.notices[.creditNotice]?.required == true)
        #expect(strategy.contact.notices[.preCollection]?.required == false)
        #expect(strategy.contact.holidays.contains(Day(iso: "2026-10-01")!))
        // The version covers the strategy and the holiday calendar it reads.
        let calendar = try #require(FileManager.default.contents(atPath: Self.repoRoot.appendingPathComponent("strategies/calendars/cn-2026.csv").path))
        #expect(strategy.contentHash == SHA256.hex(Array(SHA256.hex([UInt8](bytes)).utf8) + [UInt8](calendar)))
        #expect(strategy.contentHash.count == 64)
    }

    @Test func loadByPath() {
        guard case .success(let s) = StrategyLoader.load(path: Self.defaultPath) else {
            Issue.record("load(path:) failed")
            return
        }
        #expect(s.name == "default")
    }

    @Test func missingFileByPath() {
        let path = "/nonexistent-\(UUID().uuidString)/s.yaml"
        guard case .failure(let e) = StrategyLoader.load(path: path) else {
            Issue.record("expected a failure")
            return
        }
        #expect(e.diagnostics.rendered == ["\(path):1:1: error: cannot read the strategy file (not found)"])
    }

    @Test func minimalStrategyTakesDefaults() throws {
        let s = try #require(Load.strategy(Load.minimal()))
        #expect(s.name == "minimal")
        #expect(s.defaultCustomerTimeZone == "Asia/Shanghai") // defaults to the business zone
        #expect(s.stages == StageSchedule())
        // Without cap_ratio there is no cap.
        #expect(s.penalty == PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: nil, rounding: .halfUp))
        #expect(s.paidTolerance == .zero)
        #expect(s.buckets.buckets.map(\.name) == ["M0", "M1", "M2", "M3+"])
        #expect(s.buckets.buckets.map(\.minDPD) == [1, 31, 61, 91])
        #expect(s.segments == [SegmentRule(name: "everyone")])
    }

    @Test func contentHashIsOfTheFileBytes() throws {
        let yaml = Load.minimal()
        let s = try #require(Load.strategy(yaml))
        #expect(s.contentHash == SHA256.hex(Array(yaml.utf8)))
        let t = try #require(Load.strategy(yaml + "# a comment changes the version\n"))
        #expect(t.contentHash != s.contentHash)
    }

    @Test func byteOrderMarkIsAccepted() throws {
        let s = try #require({ () -> Strategy? in
            if case .success(let s) = StrategyLoader.load(bytes: [0xEF, 0xBB, 0xBF] + Array(Load.minimal().utf8), file: "bom.yaml") { return s }
            return nil
        }())
        #expect(s.name == "minimal")
    }

    @Test func everyKeyWithNonDefaultValues() throws {
        let yaml = """
        name: custom
        description: all keys set
        business_time_zone: America/New_York
        customer_time_zone: Etc/GMT-8
        currency: USD
        paid_tolerance: .5
        stages:
          pre_collection: d-3
          penalty: 1
          credit_notice: D+4
          credit_report: D+10
          credit_notice_lead_days: 3
          litigation: m6
        penalty:
          daily_rate: .0003
          cap_ratio: 1.5
          rounding: half_even
        buckets:
          - {name: M1, from: 1, to: 30}
          - {name: M2, from: 31}
        segments:
          - name: overdue
            buckets: [M1, M2]
          - name: cash_only
            products: cash
            score: {}
            amount: {max: "100.00"}
          - name: rest

        """
        let s = try #require(Load.strategy(yaml))
        #expect(s.name == "custom")
        #expect(s.businessTimeZone == "America/New_York")
        #expect(s.defaultCustomerTimeZone == "Etc/GMT-8")
        #expect(s.currency == "USD")
        #expect(s.paidTolerance == Money(minorUnits: 50))
        #expect(s.stages.preCollection == -3)
        #expect(s.stages.penalty == 1)
        #expect(s.stages.creditNotice == 4)
        #expect(s.stages.creditReport == 10)
        #expect(s.stages.creditNoticeLeadDays == 3)
        #expect(s.stages.litigationMonths == 6)
        #expect(s.penalty == PenaltyRule(dailyRate: Rate(nanos: 300_000), capRatio: Rate(nanos: 1_500_000_000), rounding: .halfEven))
        #expect(s.buckets == BucketScheme([Bucket(name: "M1", minDPD: 1, maxDPD: 30), Bucket(name: "M2", minDPD: 31, maxDPD: nil)]))
        #expect(s.segments == [
            SegmentRule(name: "overdue", buckets: ["M1", "M2"]),
            SegmentRule(name: "cash_only", score: .range(min: 0, max: 1000), maxAmount: Money(minorUnits: 10_000), products: ["cash"]),
            SegmentRule(name: "rest"),
        ])
    }

    @Test("accepted scalar spellings", arguments: [
        "stages:\n  credit_report: d+8\n",
        "stages:\n  credit_report: 8\n",
        "stages:\n  pre_collection: D0\n",
        "stages:\n  pre_collection: -2\n",
        "stages:\n  litigation: M120\n",
        "penalty:\n  daily_rate: \"0.01\"\n",
        "penalty:\n  daily_rate: \"0.000000001\"\n  cap_ratio: 0\n",
        "penalty:\n  cap_ratio: .24\n",
        "customer_time_zone: UTC\n",
        "paid_tolerance: 0\n",
        "paid_tolerance: \"10000000000000.00\"\n",
        "buckets:\n  - {name: M0, from: 0, to: 0}\n  - {name: M1, from: 1}\n",
        "buckets:\n  - {name: A, from: -2, to: 30}\n  - {name: B, from: 31}\n",
    ])
    func acceptedSpellings(extra: String) {
        #expect(Load.strategy(Load.minimal(extra)) != nil)
    }

    @Test func scoreConditions() throws {
        let yaml = Load.minimal(segments: """
        segments:
          - name: u
            score: unscored
          - name: low
            score: {max: 299}
          - name: high
            score: {min: 700}
          - name: rest

        """)
        let s = try #require(Load.strategy(yaml))
        #expect(s.segments.map(\.score) == [.unscored, .range(min: 0, max: 299), .range(min: 700, max: 1000), nil])
    }
}
