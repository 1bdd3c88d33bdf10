import ArgumentParser
import DunningCore
import DunningEngine
import Foundation

/// `dunning init`: makes a new state store; the only command that creates one.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new, empty state store (and its directory); refuse a path where any file already is.",
        discussion: """
            Every other command refuses a store that does not exist, so a mistyped --db cannot start \
            a new book. A new book's first night acts on every milestone that fell due, however old. \
            To take over a book from another system, give --adopt-before DATE (the go-live night, \
            within 31 days of today): milestones that fell due before DATE are recorded as already \
            acted on by that system (marked adopted, with no notice and no contact), on whichever \
            night they appear, and the rest are acted on. \
            See docs/operations.md#going-live-on-an-existing-book. Exits 0, 64 (bad flag or path) \
            or 73 (the path exists or cannot be created).
            """
    )

    @OptionGroup var store: StoreOption

    @Option(name: .customLong("adopt-before"), help: "Go-live date YYYY-MM-DD: milestones due before it are the previous system's.")
    var adoptBefore: String?

    @Flag(help: "Accept an --adopt-before date more than a month ahead or ten years back (simulations).")
    var allowAnyDate = false

    mutating func validate() throws {
        if let adoptBefore, Day(iso: adoptBefore) == nil {
            throw ValidationError("--adopt-before '\(adoptBefore.prefix(40))' is not a valid date (YYYY-MM-DD)")
        }
    }

    func run() throws {
        // The bounds are a month and ten years: the calendar date in UTC is near enough.
        let day = adoptBefore.flatMap { Day(iso: $0) }
        do {
            print(try StoreSetup.initialize(path: store.path, adoptBefore: day, zone: "UTC", now: allowAnyDate ? nil : Date()),
                  terminator: "")
        } catch {
            error.exit()
        }
    }
}
