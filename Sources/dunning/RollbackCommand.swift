import ArgumentParser
import DunningEngine
import Foundation

/// `dunning rollback`: undoes the last committed night from the backup taken before it.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Undo the last committed night: the store returns to exactly what it held before it.",
        discussion: """
            Uses the backup each committing run takes before it commits (--keep-backups, default 3). \
            The night's output files are left as they are, and the store it replaces is kept as \
            undone-<night>.sqlite in <db>.backups/. Contacts the night planned may have been made: \
            report them in events.csv before that night is run again. Rolling back further than the \
            kept backups is refused. Exits 0, 64 (bad path), 65 (the backup does not match the store), \
            66 (no store, no committed night, or no backup), 73 (not a dunning store), 74 (the swap \
            failed) or 75 (a run holds the store). See docs/operations.md#undoing-the-last-night.
            """
    )

    @OptionGroup var store: StoreOption

    func run() throws {
        let report: StoreSetup.RollbackReport
        do { report = try StoreSetup.rollback(path: store.path) } catch { error.exit() }
        print("rolled back \(report.undone): the state store \(store.path) is as it was \(report.lastNight.map { "after \($0)" } ?? "when it was created (no committed night)")")
        print("  undone    the replaced store is kept as \(report.undoneCopy)")
        print("  outputs   the night's output files are left as they were; contacts it planned may have been made: report them in events.csv before running \(report.undone) again")
        print("  backups   \(report.backupsLeft.isEmpty ? "none left" : report.backupsLeft.map { "before \($0)" }.joined(separator: ", "))")
    }
}
