import ArgumentParser
import DunningEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes to standard error without buffering surprises.
func printError(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    FileHandle.standardError.write(Data(line.utf8))
}

/// Writes to standard output at once (not through `print`'s buffer).
func printOutput(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    FileHandle.standardOutput.write(Data(line.utf8))
}

extension RunError {
    /// Prints the error and exits with its sysexits code.
    func exit() -> Never {
        printError(description)
        Glibc.exit(exitCode)
    }
}
