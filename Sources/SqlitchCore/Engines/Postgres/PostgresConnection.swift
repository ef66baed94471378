import CClientLibraries
import FoundationEssentials
import Glibc

/// A connection to a PostgreSQL server through libpq, the library DBD::Pg wraps: the
/// connection parameters that are not given come from libpq's own defaults (`PG*`
/// variables, `~/.pgpass`, service files), as they do for Sqitch and `psql`.
///
/// Statements take `?` placeholders, rendered as `$1`, `$2`, ... and bound as text; the
/// server infers each parameter's type from where it stands. Errors carry the SQLSTATE.
public final class PostgresConnection {
    private var handle: OpaquePointer?

    /// Statements run right after `BEGIN` (the engine's bookkeeping table lock).
    public var afterBegin: [String] = []

    /// Connects with the given libpq keywords (`user`, `password`, `dbname`, `host`,
    /// `port`, query parameters such as `sslmode`); keys with empty values are left to
    /// libpq's defaults. A failure raises libpq's message.
    public init(parameters: [(key: String, value: String)]) throws {
        try ClientLibrary.libpq.require()
        let given = parameters.filter { !$0.value.isEmpty }
        let keys = given.map { strdup($0.key) } + [nil]
        let values = given.map { strdup($0.value) } + [nil]
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let conn = keys.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                k.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: k.count) { kp in
                    v.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: v.count) { vp in
                        PQconnectdbParams(kp, vp, 0)
                    }
                }
            }
        }
        guard let conn else { throw EngineError("out of memory", databaseCode: "08006") }
        if PQstatus(conn) != CONNECTION_OK {
            let message = PostgresConnection.trimmed(String(cString: PQerrorMessage(conn)))
            PQfinish(conn)
            throw EngineError(message, databaseCode: "08006")
        }
        handle = conn
    }

    deinit { close() }

    /// Closes the connection (a session-level advisory lock goes with it).
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// The server's version as a number (`150020` for 15.20).
    public var serverVersion: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    private func conn() throws -> OpaquePointer {
        guard let handle else { throw EngineError("PostgreSQL connection is closed") }
        return handle
    }

    static func trimmed(_ message: String) -> String {
        var text = message
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// The error of a failed result, with its SQLSTATE as the ident (as DBI reports it) and
    /// the database code.
    private func error(_ result: OpaquePointer?, _ conn: OpaquePointer) -> EngineError {
        var code = "DEV"
        if let result, let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) {
            code = String(cString: state)
        }
        // The connection's message, as DBD::Pg reports it: for a connection the server
        // ended, it holds the server's FATAL notice before libpq's own words.
        let message = String(cString: PQerrorMessage(conn))
        let text = PostgresConnection.trimmed(
            message.isEmpty ? result.map { String(cString: PQresultErrorMessage($0)) } ?? "" : message)
        return EngineError(text, databaseCode: code)
    }

    /// Runs statements without parameters (several may be separated by semicolons).
    public func execute(_ sql: String) throws {
        let conn = try conn()
        let result = PQexec(conn, sql)
        defer { PQclear(result) }
        try check(result, conn)
    }

    private func check(_ result: OpaquePointer?, _ conn: OpaquePointer) throws {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        if status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY {
            throw error(result, conn)
        }
    }

    /// `sql` with each `?` outside quotes and identifiers replaced by `$n`.
    public static func numberedPlaceholders(_ sql: String) -> String {
        Placeholders.render(sql) { "$\($0)" }
    }

    /// The text a value is sent as: arrays in PostgreSQL's literal form (`{"a","b"}`).
    static func text(of value: DatabaseValue) -> String? {
        switch value {
        case .null: return nil
        case .list(let items):
            let quoted = items.map { item -> String in
                var escaped = "\""
                for char in item {
                    if char == "\"" || char == "\\" { escaped.append("\\") }
                    escaped.append(char)
                }
                return escaped + "\""
            }
            return "{" + quoted.joined(separator: ",") + "}"
        default: return value.text
        }
    }

    private func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> OpaquePointer? {
        let conn = try conn()
        let rendered = PostgresConnection.numberedPlaceholders(sql)
        let texts = parameters.map { PostgresConnection.text(of: $0).map { strdup($0) } ?? nil }
        defer { texts.forEach { free($0) } }
        let result = texts.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { pointers in
                    PQexecParams(conn, rendered, Int32(buffer.count), nil, pointers, nil, nil, 0)
                }
            } ?? PQexecParams(conn, rendered, 0, nil, nil, nil, nil, 0)
        }
        do {
            try check(result, conn)
        } catch {
            PQclear(result)
            throw error
        }
        return result
    }

    /// Runs one statement with parameters; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ parameters: [DatabaseValue] = []) throws -> Int {
        let result = try execute(sql, parameters)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// All rows of one query.
    public func query(_ sql: String, _ parameters: [DatabaseValue] = []) throws -> [DatabaseRow] {
        let result = try execute(sql, parameters)
        defer { PQclear(result) }
        let columnCount = PQnfields(result)
        let names = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        let types = (0..<columnCount).map { PQftype(result, $0) }
        var rows: [DatabaseRow] = []
        for row in 0..<PQntuples(result) {
            var values: [DatabaseValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(.null)
                    continue
                }
                let text = String(cString: PQgetvalue(result, row, column))
                values.append(PostgresConnection.value(text, type: types[Int(column)]))
            }
            rows.append(DatabaseRow(columns: names, values: values))
        }
        return rows
    }

    /// A column's text as a value of its type: integers, floats, text arrays, else text.
    static func value(_ text: String, type: Oid) -> DatabaseValue {
        switch type {
        case 20, 21, 23: return Int64(text).map(DatabaseValue.integer) ?? .text(text)
        case 700, 701: return Double(text).map(DatabaseValue.real) ?? .text(text)
        case 1009, 1015: return .list(parseArray(text))
        default: return .text(text)
        }
    }

    /// Parses a one-dimensional array literal (`{a,"b c",NULL}`); NULL elements are dropped.
    public static func parseArray(_ text: String) -> [String] {
        var items: [String] = []
        var chars = Array(text)
        guard chars.first == "{", chars.last == "}" else { return text.isEmpty ? [] : [text] }
        chars = Array(chars.dropFirst().dropLast())
        var index = 0
        while index < chars.count {
            var item = ""
            var quoted = false
            if chars[index] == "\"" {
                quoted = true
                index += 1
                while index < chars.count, chars[index] != "\"" {
                    if chars[index] == "\\", index + 1 < chars.count { index += 1 }
                    item.append(chars[index])
                    index += 1
                }
                index += 1
            } else {
                while index < chars.count, chars[index] != "," {
                    item.append(chars[index])
                    index += 1
                }
            }
            if quoted || item != "NULL" { items.append(item) }
            index += 1
        }
        return items
    }

    /// `BEGIN`, then `afterBegin`.
    public func begin() throws {
        try execute("BEGIN")
        for statement in afterBegin { try execute(statement) }
    }

    public func commit() throws { try execute("COMMIT") }

    public func rollback() throws {
        guard let handle, PQtransactionStatus(handle) != PQTRANS_IDLE else { return }
        try execute("ROLLBACK")
    }

    /// Sends `sql` without waiting for its result, then polls for it with exponential
    /// backoff (10 ms, doubling, at most 10 s a wait) for up to `timeout` seconds. True when
    /// it finished in time; otherwise the query is cancelled and false returned.
    public func awaitQuery(_ sql: String, timeout: Int) throws -> Bool {
        let conn = try conn()
        guard PQsendQuery(conn, sql) == 1 else { throw error(nil, conn) }
        let deadline = Date().addingTimeInterval(TimeInterval(timeout))
        var delay = 0.01
        while true {
            guard PQconsumeInput(conn) == 1 else { throw error(nil, conn) }
            if PQisBusy(conn) == 0 {
                try drainResults(conn)
                return true
            }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { break }
            usleep(UInt32(min(delay, remaining) * 1_000_000))
            delay = min(delay * 2, 10)
        }
        if let cancel = PQgetCancel(conn) {
            var buffer = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel, &buffer, Int32(buffer.count))
            PQfreeCancel(cancel)
        }
        while let result = PQgetResult(conn) { PQclear(result) }
        return false
    }

    private func drainResults(_ conn: OpaquePointer) throws {
        var failure: EngineError?
        while let result = PQgetResult(conn) {
            let status = PQresultStatus(result)
            if failure == nil, status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK {
                failure = error(result, conn)
            }
            PQclear(result)
        }
        if let failure { throw failure }
    }
}

extension PostgresConnection: RegistryConnection {}
