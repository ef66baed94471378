import Foundation
import SqlitchCore

/// The PostgreSQL server the tests may use: the throwaway server `scripts/test` starts
/// (`scripts/pg-server`), found through `SQLITCH_TEST_PG_HOST`, `SQLITCH_TEST_PG_PORT` and
/// `SQLITCH_TEST_PG_USER`. Tests create their own databases on it and drop them afterwards.
///
/// It talks to the server through the `psql` client in a child process, independent of
/// sqlitch's own PostgreSQL engine.
public struct PostgresServer: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// A superuser that needs no password (trust authentication).
    public var user: String

    /// The role that must authenticate with a password (scram-sha-256) over TCP, and its
    /// password; it may create databases.
    public static let passwordUser = "pgtest_pw"
    public static let password = "s3cret"

    public init(host: String = "127.0.0.1", port: Int, user: String = "postgres") {
        self.host = host
        self.port = port
        self.user = user
    }

    /// The server described by `environment`, or nil when `SQLITCH_TEST_PG_PORT` is unset or not a port.
    public init?(environment: [String: String]) {
        guard let text = environment["SQLITCH_TEST_PG_PORT"], let port = Int(text), (1...65535).contains(port) else {
            return nil
        }
        let host = environment["SQLITCH_TEST_PG_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let user = environment["SQLITCH_TEST_PG_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        self.init(host: host, port: port, user: user)
    }

    /// The server of this process's environment; nil when it is not configured.
    public static let shared: PostgresServer? = PostgresServer(environment: ProcessInfo.processInfo.environment)

    /// True when a server is configured.
    public static var isAvailable: Bool { shared != nil }

    /// Why no server is configured (nil when one is).
    public static var unavailableReason: String? {
        guard shared == nil else { return nil }
        if let text = ProcessInfo.processInfo.environment["SQLITCH_TEST_PG_PORT"], !text.isEmpty {
            return "SQLITCH_TEST_PG_PORT is not a port number: \(text)"
        }
        return "SQLITCH_TEST_PG_PORT is not set (run ./scripts/test)"
    }

    /// Whether PostgreSQL tests should run: true when a server is configured, and in CI
    /// (`CI=true`) always, so that a missing server fails there instead of skipping. Prints
    /// the reason when they are skipped.
    public static var shouldRun: Bool {
        if shared != nil || ParityHarness.inCI { return true }
        print("PostgreSQL tests skipped: \(unavailableReason ?? "no server")")
        return false
    }

    /// The configured server, or an error saying why there is none.
    public static func require() throws -> PostgresServer {
        guard let server = shared else {
            throw PostgresServerError("no PostgreSQL test server: \(unavailableReason ?? "not configured")")
        }
        return server
    }

    public var description: String { "PostgreSQL at \(host):\(port) as \(user)" }

    // MARK: - Databases

    /// Creates a database with a fresh name (`prefix_` and 32 hex digits, lower case) and
    /// returns that name. `owner` is the role owning it (default: the superuser).
    @discardableResult
    public func createDatabase(prefix: String = "sqlitch_test", owner: String? = nil) throws -> String {
        let name = Self.uniqueName(prefix: prefix)
        var sql = "CREATE DATABASE \(Self.identifier(name)) TEMPLATE template0 ENCODING 'UTF8'"
        if let owner { sql += " OWNER \(Self.identifier(owner))" }
        try psql(database: "postgres", sql: sql)
        return name
    }

    /// Drops `name` if it exists, ending its open sessions (`WITH (FORCE)`).
    public func dropDatabase(_ name: String) throws {
        try psql(database: "postgres", sql: "DROP DATABASE IF EXISTS \(Self.identifier(name)) WITH (FORCE)")
    }

    /// True when a database called `name` exists.
    public func databaseExists(_ name: String) throws -> Bool {
        try psql(database: "postgres", sql: "SELECT count(*) FROM pg_database WHERE datname = \(Self.literal(name))") == "1"
    }

    /// The Sqitch target URI of `database`: `db:pg://postgres@127.0.0.1:PORT/DATABASE`
    /// (with `user`, and `:password` when given, instead of the superuser).
    public func uri(database: String, user: String? = nil, password: String? = nil) -> String {
        var userInfo = Self.percentEncoded(user ?? self.user)
        if let password { userInfo += ":" + Self.percentEncoded(password) }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "db:pg://\(userInfo)@\(hostPart):\(port)/\(Self.percentEncoded(database))"
    }

    // MARK: - psql

    /// Runs `sql` (one or more statements, stopping at the first error) in `database` with
    /// `psql` over TCP, and returns its output in tuples-only unaligned form (`|` between
    /// columns, one row a line), without the final newline. The session's time zone is UTC.
    @discardableResult
    public func psql(database: String = "postgres", sql: String, user: String? = nil, password: String? = nil,
                     fieldSeparator: String = "|") throws -> String {
        guard let psql = ParityHarness.findOnPath("psql") else {
            throw PostgresServerError("the psql client is not on PATH (run ./scripts/install-deps)")
        }
        let arguments = ["--no-psqlrc", "--no-password", "--quiet", "--no-align", "--tuples-only", "--set", "ON_ERROR_STOP=1",
                         "--field-separator", fieldSeparator,
                         "--host", host, "--port", String(port), "--username", user ?? self.user,
                         "--dbname", database, "--file", "-"]
        return try ServerClient.output(psql, arguments, environment: Self.clientEnvironment(password: password),
                                       input: sql) { status, error in
            PostgresServerError("psql failed (exit \(status)) on \(database): " + error)
        }
    }

    /// Starts a `psql` session connected to `database` that sleeps for `seconds`.
    public func startSleepingSession(database: String, seconds: Int = 60) throws -> RunningProcess {
        guard let psql = ParityHarness.findOnPath("psql") else {
            throw PostgresServerError("the psql client is not on PATH (run ./scripts/install-deps)")
        }
        return try ServerClient.start(psql, ["--no-psqlrc", "--host", host, "--port", String(port), "--username", user,
                                             "--dbname", database, "--command", "SELECT pg_sleep(\(seconds))"],
                                      environment: Self.clientEnvironment(password: nil))
    }

    /// psql's environment: ours without any `PG*` variable, then UTC, UTF-8, and the password.
    static func clientEnvironment(password: String?) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        env["PGTZ"] = "UTC"
        env["PGCLIENTENCODING"] = "UTF8"
        env["PGCONNECT_TIMEOUT"] = "20"
        env["PGAPPNAME"] = "sqlitch-tests"
        if let password { env["PGPASSWORD"] = password }
        return env
    }

    // MARK: - Dump

    /// Comparable text of everything in `database` (see `PostgresDump`).
    public func dump(database: String) throws -> String {
        try PostgresDump.dump(database: database, server: self)
    }

    // MARK: - Quoting

    /// `name` as an SQL identifier (`"name"`).
    public static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` as an SQL string literal (standard conforming strings).
    public static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A fresh database name: `prefix` reduced to `[a-z0-9_]` (at most 24 characters), `_`,
    /// then 32 hex digits.
    static func uniqueName(prefix: String) -> String {
        var clean = String(prefix.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" }.prefix(24))
        if clean.isEmpty || clean.first!.isNumber { clean = "db_" + clean }
        let hex = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return clean + "_" + hex
    }

    static func percentEncoded(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// A failure of the PostgreSQL test server or of its client.
public struct PostgresServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
