import GRDB
import DunningCore
import GRDBSQLite

/// A read statement stepped with SQLite's C API, its columns read in place.
///
/// The nightly reads bring back millions of rows (every milestone, every case's last assignment);
/// through GRDB's `Row` each value is boxed and each text column becomes a `String`. Here text
/// columns are bytes until the caller keeps one, and dates are parsed from those bytes.
struct RawCursor {
    /// Keeps the `sqlite3_stmt` alive; GRDB finalizes it.
    private let statement: Statement
    private let handle: OpaquePointer

    init(_ db: Database, sql: String, arguments: StatementArguments = []) throws {
        statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        handle = statement.sqliteStatement
    }

    /// Moves to the next row; false after the last.
    func next() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw StateStore.StoreError.sqlite(String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))) + " (\(statement.sql))")
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The column's UTF-8 bytes, valid until the next step.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let text = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func string(_ column: Int32) -> String { String(decoding: bytes(column), as: UTF8.self) }

    func day(_ column: Int32) -> Day? { Day.parse(bytes(column)) }
}
