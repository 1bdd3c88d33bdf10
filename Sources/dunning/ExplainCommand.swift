import ArgumentParser
import DunningCore
import DunningEngine
import Foundation

/// `dunning explain`: why a customer is where it is, from the state store's audit trail.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a customer's stage, bucket, segment, variant, group and agent, and its contacts, on a committed night.",
        discussion: """
            Reads the state store only. Without --as-of, the last committed night; a date without a \
            run shows the last run before it. Exits 66 when the store, the night or the customer is \
            not found.
            """
    )

    @Argument(help: "The customer ID, as in customers.csv.")
    var customer: String

    @Option(name: .customLong("as-of"), help: "The night to explain (YYYY-MM-DD; default: the last committed one).")
    var asOf: String?

    @OptionGroup var store: StoreOption

    @Flag(help: "Print the explanation as JSON.")
    var json = false

    mutating func validate() throws {
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of '\(asOf)' is not a valid date (YYYY-MM-DD)") }
    }

    func run() throws {
        let explanation: Explanation
        do {
            explanation = try CaseExplainer(storePath: store.path).explain(customer: customer, asOf: asOf.flatMap { Day(iso: $0) })
        } catch {
            error.exit()
        }
        if json { FileHandle.standardOutput.write(Data(explanation.json())) } else { print(explanation.text(), terminator: "") }
    }
}
