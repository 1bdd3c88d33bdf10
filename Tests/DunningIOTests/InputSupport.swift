import DunningCore
import Foundation
import Testing
@testable import DunningIO

/// A throw-away input directory under the system temporary directory.
final class TempInput {
    let directory: URL
    var path: String { directory.path }

    init(_ files: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dunning-io-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, content) in files {
            try Data(content.utf8).write(to: directory.appendingPathComponent(name))
        }
    }

    /// The name diagnostics use for `file`: the path inside the directory.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func load(asOf: String = "2026-03-20", tolerance: Money = .zero) throws(InputError) -> Inputs {
        try InputLoader(directory: path, strategy: ioStrategy(tolerance: tolerance), asOf: Day(iso: asOf)!).load()
    }
}

func ioStrategy(tolerance: Money = .zero) -> Strategy {
    Strategy(name: "io-test", contentHash: String(repeating: "0", count: 64), businessTimeZone: "Asia/Shanghai",
             defaultCustomerTimeZone: "Asia/Shanghai", currency: "CNY", stages: StageSchedule(),
             penalty: PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: nil, rounding: .halfUp),
             paidTolerance: tolerance,
             buckets: BucketScheme([Bucket(name: "M0", minDPD: 1, maxDPD: 30), Bucket(name: "M1", minDPD: 31, maxDPD: nil)]),
             segments: [SegmentRule(name: "other")])
}

func key(_ customer: String, _ product: String) -> CaseKey { CaseKey(customerID: customer, product: product) }

extension Inputs {
    /// `line:column message` of every problem in `file` (by its name inside the directory).
    func problems(in name: String) -> [String] {
        problems.filter { ($0.file as NSString).lastPathComponent == name }.map { "\($0.line):\($0.column) \($0.message)" }
    }
}

let ledgerHeader = "loan_id,customer_id,product,instalment,due_date,amount_due,amount_paid\n"
