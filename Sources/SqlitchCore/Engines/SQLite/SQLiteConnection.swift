import CClientLibraries
import FoundationEssentials
import Glibc
import Synchronization

/// A connection to a SQLite database file through the system libsqlite3, set up as Sqitch's
/// DBD::SQLite handle is: foreign keys on, a busy timeout, and a `REGEXP` function.
/// Errors are `EngineError`s carrying SQLite's own message.
public final class SQLiteConnection {
    /// How to open the file.
    public struct OpenFlags: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let readOnly = OpenFlags(rawValue: SQLITE_OPEN_READONLY)
        public static let readWrite = OpenFlags(rawValue: SQLITE_OPEN_READWRITE)
        public static let create = OpenFlags(rawValue: SQLITE_OPEN_CREATE)
        /// Accept `file:` URIs as file names.
        public static let uri = OpenFlags(rawValue: SQLITE_OPEN_URI)
        /// DBD::SQLite's default: read-write, created if missing.
        public static let `default`: OpenFlags = [.readWrite, .create]
    }

    /// The file name as opened.
    public let path: String
    private var handle: OpaquePointer?
    /// `begin()` was called and no `COMMIT` or `ROLLBACK` has ended it yet. As DBD::SQLite
    /// does, the `BEGIN IMMEDIATE` itself waits for the next statement, so that a locked
    /// registry fails on the first write of a change, after its script has run.
    private var begunWork = false
    /// The wall clock's millisecond when the last commit ended (see `startDeferredTransaction`).
    private var lastCommit: Int64 = 0

    /// DBD::SQLite's default busy timeout, in milliseconds.
    public static let defaultBusyTimeout: Int32 = 30_000

    /// Opens `path` (created when `flags` include `.create`), sets the busy timeout, turns
    /// `PRAGMA foreign_keys` on and registers `REGEXP`.
    public init(path: String, flags: OpenFlags = .default, busyTimeout: Int32 = SQLiteConnection.defaultBusyTimeout) throws {
        self.path = path
        try ClientLibrary.sqlite3.require()
        var db: OpaquePointer?
        var openFlags = flags.rawValue
        if path.hasPrefix("file:") { openFlags |= SQLITE_OPEN_URI }
        let code = sqlite3_open_v2(path, &db, openFlags, nil)
        if code != SQLITE_OK {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            let extended = db.map { sqlite3_extended_errcode($0) } ?? code
            sqlite3_close_v2(db)
            throw EngineError(message, databaseCode: String(extended))
        }
        handle = db
        sqlite3_extended_result_codes(db, 0)
        sqlite3_busy_timeout(db, busyTimeout)
        try execute("PRAGMA foreign_keys = ON")
        try registerRegexp()
    }

    deinit { close() }

    /// Closes the connection; later calls fail with `SQLite connection is closed`.
    public func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// The version of the libsqlite3 in use (`3.40.1`).
    public static func libraryVersion() throws -> String {
        try ClientLibrary.sqlite3.require()
        return String(cString: sqlite3_libversion())
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(try? db())) }

    /// True while a transaction is open (begun, even before its first statement).
    public var inTransaction: Bool { begunWork || ((try? db()).map { sqlite3_get_autocommit($0) == 0 } ?? false) }

    func db() throws -> OpaquePointer {
        guard let handle else { throw EngineError("SQLite connection is closed") }
        return handle
    }

    func error(_ code: Int32? = nil) -> EngineError {
        guard let handle else { return EngineError("SQLite connection is closed") }
        return SQLiteConnection.error(handle)
    }

    /// Issues the `BEGIN IMMEDIATE` that `begin()` deferred, once, before the first
    /// statement of the transaction. Waits up to the busy timeout for another writer.
    ///
    /// The registry's `committed_at` (`strftime('%f')`) keeps milliseconds, and deployed
    /// changes are ordered by it: two changes logged in one millisecond would tie, and their
    /// order (revert's, status's current change) would be the database's choice. So the
    /// transaction starts only once the millisecond of the last commit has passed. Waiting
    /// here, not in `begin()`, costs nothing when a script ran in between (as it does
    /// between a change's `begin()` and its first registry write), only in `--log-only` runs.
    private func startDeferredTransaction(_ db: OpaquePointer) throws {
        guard begunWork, sqlite3_get_autocommit(db) != 0 else { return }
        waitForNextMillisecond()
        if sqlite3_exec(db, "BEGIN IMMEDIATE", nil, nil, nil) != SQLITE_OK {
            throw SQLiteConnection.error(db)
        }
    }

    /// The connection's last error, with its extended result code.
    static func error(_ db: OpaquePointer, message: String? = nil) -> EngineError {
        EngineError(message ?? String(cString: sqlite3_errmsg(db)),
                    databaseCode: String(sqlite3_extended_errcode(db)))
    }

    /// Runs one or more statements without parameters or results.
    public func execute(_ sql: String) throws {
        let db = try db()
        try startDeferredTransaction(db)
        var message: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &message) != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(message)
            throw SQLiteConnection.error(db, message: text)
        }
    }

    /// Compiles one statement.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        let db = try db()
        try startDeferredTransaction(db)
        var statement: OpaquePointer?
        if sqlite3_prepare_v2(db, sql, -1, &statement, nil) != SQLITE_OK {
            throw error()
        }
        guard let statement else { throw EngineError("Empty SQL statement: \(sql)") }
        return SQLiteStatement(connection: self, statement: statement)
    }

    /// Runs one statement with bound parameters; returns the number of rows it changed.
    /// Outside a transaction the statement commits on its own, and keeps the millisecond
    /// rule too (a `fail` event logged right after a change's commit).
    @discardableResult
    public func run(_ sql: String, _ parameters: [DatabaseValue] = []) throws -> Int {
        let ownCommit = try !begunWork && sqlite3_get_autocommit(db()) != 0
        if ownCommit { waitForNextMillisecond() }
        let statement = try prepare(sql)
        try statement.bind(parameters)
        while try statement.step() {}
        if ownCommit { lastCommit = SQLiteConnection.nowMilliseconds() }
        return changes
    }

    /// Waits until the wall clock's millisecond is past the last commit's; at most a few
    /// milliseconds, so that a clock set back does not stall the run.
    private func waitForNextMillisecond() {
        var waits = 0
        while SQLiteConnection.nowMilliseconds() <= lastCommit, waits < 50 {
            waits += 1
            usleep(100)
        }
    }

    /// All rows of a query with bound parameters.
    public func query(_ sql: String, _ parameters: [DatabaseValue] = []) throws -> [DatabaseRow] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        return try statement.rows()
    }

    /// The first column of the first row, or nil when there is no row.
    public func scalar(_ sql: String, _ parameters: [DatabaseValue] = []) throws -> DatabaseValue? {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        return try statement.step() ? statement.value(at: 0) : nil
    }

    /// Starts a transaction as DBD::SQLite's `begin_work` does with
    /// `sqlite_use_immediate_transaction`: `BEGIN IMMEDIATE` is sent before the next
    /// statement, not now (see `startDeferredTransaction`).
    public func begin() throws {
        _ = try db()
        begunWork = true
    }

    /// Commits the open transaction; nothing when no statement ran since `begin()`.
    public func commit() throws {
        let db = try db()
        begunWork = false
        if sqlite3_get_autocommit(db) == 0 {
            try execute("COMMIT")
            lastCommit = SQLiteConnection.nowMilliseconds()
        }
    }

    /// Milliseconds since 1970 on the clock SQLite's `'now'` reads.
    private static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// Rolls back if a transaction is open.
    public func rollback() throws {
        let db = try db()
        begunWork = false
        if sqlite3_get_autocommit(db) == 0 { try execute("ROLLBACK") }
    }

    /// Runs many transactions with a write-ahead log (`journal_mode = WAL`): each commit then
    /// appends to the log and syncs it once, where the rollback journal costs four or five
    /// syncs (journal, its directory, its header, the database, the header zeroed), which
    /// was most of a change's bookkeeping time. Commits stay atomic and durable
    /// (`synchronous` is left as it is). The database's own mode is back when `body` ends:
    /// `DELETE` checkpoints the log into the database and removes it. Where WAL cannot be
    /// used (no shared memory, a read-only directory) the journal is kept between commits
    /// instead (`PERSIST`). Databases in another mode (WAL already, memory, a read-only file)
    /// are left as they are.
    public func batch(_ body: () throws -> Void) throws {
        func mode(_ statement: String) -> String? {
            try? query(statement, []).first?.values.first?.text?.lowercased()
        }
        var changed = false
        if mode("PRAGMA journal_mode") == "delete" {
            changed = mode("PRAGMA journal_mode = WAL") == "wal" || mode("PRAGMA journal_mode = PERSIST") == "persist"
        }
        defer {
            // Leaving WAL needs the only connection: another reader (a `status` run
            // meanwhile) delays it, so try for a few seconds before leaving WAL on.
            if changed {
                var tries = 0
                while mode("PRAGMA journal_mode = DELETE") == "wal", tries < 50 {
                    tries += 1
                    usleep(100_000)
                }
            }
        }
        try body()
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back
    /// when it throws.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try begin()
        do {
            let value = try body()
            try commit()
            return value
        } catch {
            try? rollback()
            throw error
        }
    }

    /// `X REGEXP Y` calls `regexp(Y, X)`: true when the pattern `Y` matches anywhere in `X`;
    /// NULL when either is NULL; an error for an invalid pattern. DBD::SQLite uses Perl
    /// regular expressions; ICU's accept the same common syntax.
    private func registerRegexp() throws {
        let code = sqlite3_create_function_v2(
            try db(), "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil,
            { context, count, arguments in
                guard let context, count == 2, let arguments,
                      let patternValue = arguments[0], let subjectValue = arguments[1],
                      sqlite3_value_type(patternValue) != SQLITE_NULL,
                      sqlite3_value_type(subjectValue) != SQLITE_NULL
                else {
                    sqlite3_result_null(context)
                    return
                }
                let pattern = String(cString: sqlite3_value_text(patternValue))
                let subject = String(cString: sqlite3_value_text(subjectValue))
                // Perl's empty pattern matches anything; ICU rejects it.
                if pattern.isEmpty {
                    sqlite3_result_int(context, 1)
                    return
                }
                do {
                    let regex = try SQLiteConnection.compiledRegex(pattern)
                    sqlite3_result_int(context, regex.matches(subject) ? 1 : 0)
                } catch {
                    sqlite3_result_error(context, "Invalid regular expression: \(pattern)", -1)
                }
            }, nil, nil, nil)
        if code != SQLITE_OK { throw self.error() }
    }

    private static let regexCache = RegexCache()

    static func compiledRegex(_ pattern: String) throws -> RegularExpression {
        if let cached = regexCache.get(pattern) { return cached }
        let regex = try RegularExpression(pattern)
        regexCache.set(pattern, regex)
        return regex
    }
}

/// Compiled patterns shared by all connections (patterns repeat across rows).
private final class RegexCache: Sendable {
    private let entries = Mutex<[String: RegularExpression]>([:])
    func get(_ pattern: String) -> RegularExpression? { entries.withLock { $0[pattern] } }
    func set(_ pattern: String, _ regex: RegularExpression) {
        entries.withLock {
            if $0.count > 64 { $0.removeAll() }
            $0[pattern] = regex
        }
    }
}

/// A compiled statement: bind parameters, step through rows, read columns.
public final class SQLiteStatement {
    private let connection: SQLiteConnection
    private var statement: OpaquePointer?

    init(connection: SQLiteConnection, statement: OpaquePointer) {
        self.connection = connection
        self.statement = statement
    }

    deinit { sqlite3_finalize(statement) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds `values` to parameters 1...n (after clearing earlier bindings and resetting).
    public func bind(_ values: [DatabaseValue]) throws {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard values.count == expected else {
            throw EngineError("called with \(values.count) bind variables when \(expected) are needed")
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(statement, index)
            case .integer(let number): code = sqlite3_bind_int64(statement, index, number)
            case .real(let number): code = sqlite3_bind_double(statement, index, number)
            case .text(let text): code = sqlite3_bind_text(statement, index, text, -1, SQLiteStatement.transient)
            case .list:
                // SQLite has no list type; the dialect binds lists as joined text.
                code = sqlite3_bind_text(statement, index, value.text ?? "", -1, SQLiteStatement.transient)
            case .blob(let bytes):
                code = bytes.withUnsafeBytes {
                    sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), SQLiteStatement.transient)
                }
            }
            if code != SQLITE_OK { throw connection.error() }
        }
    }

    /// Advances to the next row: true when there is one, false when the statement is done.
    public func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error()
            sqlite3_reset(statement)
            throw error
        }
    }

    /// Resets the statement so it can run again with the same bindings.
    public func reset() { sqlite3_reset(statement) }

    public var columnCount: Int { Int(sqlite3_column_count(statement)) }

    public var columnNames: [String] {
        (0..<sqlite3_column_count(statement)).map { String(cString: sqlite3_column_name(statement, $0)) }
    }

    /// The current row's value in column `index` (0-based).
    public func value(at index: Int) -> DatabaseValue {
        let column = Int32(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, column)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let base = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }

    /// The current row.
    public func row() -> DatabaseRow {
        DatabaseRow(columns: columnNames, values: (0..<columnCount).map(value(at:)))
    }

    /// Steps through all remaining rows.
    public func rows() throws -> [DatabaseRow] {
        var rows: [DatabaseRow] = []
        let names = columnNames
        while try step() {
            rows.append(DatabaseRow(columns: names, values: (0..<names.count).map(value(at:))))
        }
        return rows
    }
}
