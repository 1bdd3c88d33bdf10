import DunningCore
import DunningIO
import DunningStrategy
import Foundation

/// Fuzz targets for `make fuzz`: the CSV reader, the ledger loader (one thread against many, which
/// must agree exactly) and the strategy loader. Built with `-sanitize=fuzzer` (libFuzzer gives
/// `main`), or without it as a runner that replays files given on the command line, so a crash
/// the fuzzer found can be re-run and turned into a test.
enum FuzzTargets {
    static let target = ProcessInfo.processInfo.environment["DUNNING_FUZZ_TARGET"] ?? "csv"
    static let work: String = {
        let path = NSTemporaryDirectory() + "dunning-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try? Data("customer_id,score\nC1,700\nC2,\nC3,100\n".utf8).write(to: URL(fileURLWithPath: path + "/customers.csv"))
        return path
    }()

    static func run(_ bytes: [UInt8]) {
        switch target {
        case "csv": csv(bytes)
        case "ledger": ledger(bytes)
        case "strategy": strategy(bytes)
        default: fatalError("DUNNING_FUZZ_TARGET must be csv, ledger or strategy")
        }
    }

    /// Reads every record; each call must move forward, and the end must come.
    static func csv(_ bytes: [UInt8]) {
        var copy = bytes
        copy.withUnsafeMutableBufferPointer { buffer in
            var reader = CSVReader(buffer: buffer)
            var steps = 0
            while true {
                steps += 1
                precondition(steps <= bytes.count + 2, "the reader stopped advancing")
                do throws(CSVReader.SyntaxError) {
                    guard try reader.next() else { break }
                    for i in 0..<reader.fields.count {
                        _ = reader.string(i)
                        _ = reader.location(ofField: i)
                    }
                } catch {
                    precondition(error.line >= 1 && error.column >= 1, "a diagnostic without a position")
                }
            }
        }
    }

    /// The ledger read by one thread and by several on tiny chunks: the same loans, held cases
    /// and diagnostics, or a bug in the split.
    static func ledger(_ bytes: [UInt8]) {
        let header = Array("loan_id,customer_id,product,instalment,due_date,amount_due,amount_paid\n".utf8)
        try? Data(header + bytes).write(to: URL(fileURLWithPath: work + "/ledger.csv"))
        let strategy = Strategy(name: "fuzz", contentHash: String(repeating: "0", count: 64), businessTimeZone: "Asia/Shanghai",
                                defaultCustomerTimeZone: "Asia/Shanghai", currency: "CNY", stages: StageSchedule(),
                                penalty: PenaltyRule(dailyRate: Rate(nanos: 500_000), capRatio: nil, rounding: .halfUp),
                                paidTolerance: .zero,
                                buckets: BucketScheme([Bucket(name: "M0", minDPD: 1, maxDPD: nil)]),
                                segments: [SegmentRule(name: "all")])
        func load(_ workers: Int, _ chunk: Int) -> String {
            var loader = InputLoader(directory: work, strategy: strategy, asOf: Day(iso: "2026-03-20")!, workers: workers)
            loader.minimumChunkBytes = chunk
            guard let inputs = try? loader.load() else { return "unreadable" }
            var text = inputs.problems.map(\.description) + inputs.unattributableRows.map { "U \($0)" }
            text += inputs.heldCases.sorted().map { "H \($0.customerID)/\($0.product)" }
            for key in inputs.loansByCase.keys.sorted() {
                for loan in inputs.loansByCase[key]!.sorted(by: { $0.id < $1.id }) {
                    text.append("\(key.customerID)/\(key.product) \(loan.id) \(loan.instalments.map { "\($0.number)@\($0.due)" })")
                }
            }
            return text.joined(separator: "\n")
        }
        let one = load(1, 1 << 30)
        precondition(load(3, 16) == one, "three threads read the ledger differently from one")
    }

    /// Any bytes: a strategy, or diagnostics that all have a position.
    static func strategy(_ bytes: [UInt8]) {
        if case .failure(let error) = StrategyLoader.load(bytes: bytes, file: "fuzz.yaml") {
            precondition(!error.diagnostics.isEmpty && error.diagnostics.allSatisfy { $0.line >= 1 && $0.column >= 1 },
                         "a strategy error without a located diagnostic")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point under the target's name; it hands over to libFuzzer.
@_cdecl("dunning_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}
#else
/// Replays inputs: `dunning-fuzz FILE...` (set DUNNING_FUZZ_TARGET as for the fuzzer).
@main struct FuzzReplay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
            FuzzTargets.run([UInt8](data))
            print("ok \(path)")
        }
    }
}
#endif
