import GRDB
import GRDBSQLite

/// A prepared statement whose values are bound one by one through SQLite's C API.
///
/// GRDB's `execute(arguments:)` boxes every value of every row into an array of `DatabaseValue`;
/// on the millions of rows a large night writes, that costs more than SQLite's own work. The
/// commit binds directly instead: values in the statement's order, then `insert()`.
struct BulkInsert {
    /// Keeps the `sqlite3_stmt` alive; GRDB finalizes it.
    private let statement: Statement
    private let handle: OpaquePointer
    private var index: Int32 = 0

    /// SQLite copies the bytes before `bind` returns, so Swift may release them at once.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    private static let empty: StaticString = ""

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    mutating func bind(_ value: String) {
        index += 1
        var value = value
        value.withUTF8 { bytes in
            // A null pointer would bind NULL: an empty string must stay an empty string.
            let pointer = bytes.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(Self.empty.utf8Start)
            sqlite3_bind_text(handle, index, pointer.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
        }
    }

    mutating func bind(_ value: String?) {
        guard let value else { index += 1; sqlite3_bind_null(handle, index); return }
        bind(value)
    }

    mutating func bind(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(handle, index, value)
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    mutating func bind(_ value: Int64?) {
        guard let value else { index += 1; sqlite3_bind_null(handle, index); return }
        bind(value)
    }

    mutating func bind(_ value: Int?) { bind(value.map(Int64.init)) }

    mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    /// Runs the statement with the values bound since the last row.
    mutating func insert() throws {
        index = 0
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw StateStore.StoreError.sqlite(String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))) + " (\(statement.sql))")
        }
    }
}
