import CClientLibraries
import FoundationEssentials

/// A connection to a MySQL or MariaDB server through MariaDB Connector/C, the library
/// Debian's DBD::mysql and DBD::MariaDB link.
///
/// Statements take `?` placeholders, filled on the client as DBD::mysql does: texts are
/// escaped by the library for the connection's character set and quoted, numbers written
/// as numbers, nil as `NULL`. Errors carry the server's error number.
public final class MySQLConnection {
    private var handle: UnsafeMutablePointer<MYSQL>?

    /// Statements run before the transaction of `begin()` (the engine's table locks).
    public var beforeBegin: [String] = []
    /// Statements run after `commit()` and `rollback()` (releasing those locks).
    public var afterEnd: [String] = []

    /// What to connect to: nil parts are left to the library's defaults.
    public struct Parameters: Sendable, Equatable {
        public var host: String?
        public var port: Int?
        public var user: String?
        public var password: String?
        public var database: String?
        public var socket: String?

        public init(host: String? = nil, port: Int? = nil, user: String? = nil, password: String? = nil,
                    database: String? = nil, socket: String? = nil) {
            self.host = host
            self.port = port
            self.user = user
            self.password = password
            self.database = database
            self.socket = socket
        }
    }

    /// Connects, with UTF-8 (`utf8mb4`) as the connection's character set. A failure raises
    /// the library's message with its error number.
    public init(_ parameters: Parameters) throws {
        try ClientLibrary.mariadb.require()
        guard let mysql = mysql_init(nil) else { throw EngineError("out of memory") }
        _ = "utf8mb4".withCString { mysql_options(mysql, MYSQL_SET_CHARSET_NAME, $0) }
        let connected = mysql_real_connect(
            mysql, parameters.host, parameters.user, parameters.password, parameters.database,
            UInt32(parameters.port ?? 0), parameters.socket, 0)
        if connected == nil {
            let error = MySQLConnection.error(mysql)
            mysql_close(mysql)
            throw error
        }
        handle = mysql
    }

    deinit { close() }

    /// Closes the connection (a `GET_LOCK` lock goes with it).
    public func close() {
        if let handle { mysql_close(handle) }
        handle = nil
    }

    /// The server's version as a number (`101119` for 10.11.19).
    public var serverVersion: Int { handle.map { Int(mysql_get_server_version($0)) } ?? 0 }

    /// The server's version text (`10.11.19-MariaDB-0+deb12u1`).
    public var serverInfo: String { handle.flatMap { mysql_get_server_info($0) }.map { String(cString: $0) } ?? "" }

    static func error(_ mysql: UnsafeMutablePointer<MYSQL>) -> EngineError {
        let code = String(mysql_errno(mysql))
        return EngineError(String(cString: mysql_error(mysql)), databaseCode: code)
    }

    private func conn() throws -> UnsafeMutablePointer<MYSQL> {
        guard let handle else { throw EngineError("MySQL connection is closed") }
        return handle
    }

    /// `text` escaped for the connection's character set, in single quotes.
    func quote(_ text: String) throws -> String {
        let conn = try conn()
        let bytes = Array(text.utf8)
        var buffer = [CChar](repeating: 0, count: bytes.count * 2 + 1)
        let length = bytes.withUnsafeBufferPointer { source in
            source.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(bytes.count, 1)) { pointer in
                mysql_real_escape_string(conn, &buffer, pointer, UInt(bytes.count))
            }
        }
        let escaped = buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }
        return "'" + String(decoding: escaped, as: UTF8.self) + "'"
    }

    /// The SQL literal of a value.
    func literal(_ value: DatabaseValue) throws -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let number): return String(number)
        case .real(let number): return String(number)
        default: return try quote(value.text ?? "")
        }
    }

    /// `sql` with its placeholders filled.
    func render(_ sql: String, _ parameters: [DatabaseValue]) throws -> String {
        guard !parameters.isEmpty else { return sql }
        let literals = try parameters.map(literal)
        var count = 0
        let rendered = Placeholders.render(sql) { index in
            count = max(count, index)
            return index <= literals.count ? literals[index - 1] : "?"
        }
        if count != literals.count {
            throw EngineError("called with \(literals.count) bind variables when \(count) are needed")
        }
        return rendered
    }

    /// Runs one statement; returns its result set, if it has one.
    private func perform(_ sql: String) throws -> UnsafeMutablePointer<MYSQL_RES>? {
        let conn = try conn()
        let bytes = Array(sql.utf8)
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(bytes.count, 1)) {
                mysql_real_query(conn, $0, UInt(bytes.count))
            }
        }
        if status != 0 { throw MySQLConnection.error(conn) }
        let result = mysql_store_result(conn)
        if result == nil, mysql_field_count(conn) != 0 { throw MySQLConnection.error(conn) }
        return result
    }

    /// Runs one statement without parameters or results.
    public func execute(_ sql: String) throws {
        if let result = try perform(sql) { mysql_free_result(result) }
    }

    /// Runs one statement with parameters; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ parameters: [DatabaseValue] = []) throws -> Int {
        if let result = try perform(render(sql, parameters)) { mysql_free_result(result) }
        return Int(mysql_affected_rows(try conn()))
    }

    /// All rows of one query.
    public func query(_ sql: String, _ parameters: [DatabaseValue] = []) throws -> [DatabaseRow] {
        guard let result = try perform(render(sql, parameters)) else { return [] }
        defer { mysql_free_result(result) }
        let count = Int(mysql_num_fields(result))
        var names: [String] = []
        var integers: [Bool] = []
        if let fields = mysql_fetch_fields(result) {
            for index in 0..<count {
                names.append(String(cString: fields[index].name))
                switch fields[index].type {
                case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_INT24:
                    integers.append(true)
                default:
                    integers.append(false)
                }
            }
        }
        var rows: [DatabaseRow] = []
        while let row = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            var values: [DatabaseValue] = []
            for index in 0..<count {
                guard let field = row[index] else {
                    values.append(.null)
                    continue
                }
                let bytes = UnsafeRawBufferPointer(start: field, count: Int(lengths[index]))
                let text = String(decoding: bytes, as: UTF8.self)
                values.append(integers[index] ? (Int64(text).map(DatabaseValue.integer) ?? .text(text)) : .text(text))
            }
            rows.append(DatabaseRow(columns: names, values: values))
        }
        return rows
    }

    /// `beforeBegin`, then `START TRANSACTION`.
    public func begin() throws {
        for statement in beforeBegin { try execute(statement) }
        try execute("START TRANSACTION")
    }

    public func commit() throws {
        try execute("COMMIT")
        for statement in afterEnd { try execute(statement) }
    }

    public func rollback() throws {
        try execute("ROLLBACK")
        for statement in afterEnd { try execute(statement) }
    }
}

extension MySQLConnection: RegistryConnection {}
