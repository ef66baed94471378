import Foundation
import SqlitchCore

/// The MySQL server the tests may use: the throwaway MariaDB server `scripts/test` starts
/// (`scripts/my-server`), found through `SQLITCH_TEST_MYSQL_HOST`, `SQLITCH_TEST_MYSQL_PORT`
/// and `SQLITCH_TEST_MYSQL_USER`. Tests create their own databases on it and drop them afterwards.
///
/// It talks to the server through the `mariadb` (or `mysql`) client in a child process,
/// independent of sqlitch's own MySQL engine, always over TCP and without reading any
/// option file (`--no-defaults`).
public struct MySQLServer: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// A user with every privilege that needs no password.
    public var user: String

    /// The user that must authenticate with a password (from 127.0.0.1), and its password;
    /// it has every privilege, WITH GRANT OPTION.
    public static let passwordUser = "mytest_pw"
    public static let password = "s3cret"

    public init(host: String = "127.0.0.1", port: Int, user: String = "root") {
        self.host = host
        self.port = port
        self.user = user
    }

    /// The server described by `environment`, or nil when `SQLITCH_TEST_MYSQL_PORT` is unset or not a port.
    public init?(environment: [String: String]) {
        guard let text = environment["SQLITCH_TEST_MYSQL_PORT"], let port = Int(text), (1...65535).contains(port) else {
            return nil
        }
        let host = environment["SQLITCH_TEST_MYSQL_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let user = environment["SQLITCH_TEST_MYSQL_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "root"
        self.init(host: host, port: port, user: user)
    }

    /// The server of this process's environment; nil when it is not configured.
    public static let shared: MySQLServer? = MySQLServer(environment: ProcessInfo.processInfo.environment)

    /// True when a server is configured.
    public static var isAvailable: Bool { shared != nil }

    /// Why no server is configured (nil when one is).
    public static var unavailableReason: String? {
        guard shared == nil else { return nil }
        if let text = ProcessInfo.processInfo.environment["SQLITCH_TEST_MYSQL_PORT"], !text.isEmpty {
            return "SQLITCH_TEST_MYSQL_PORT is not a port number: \(text)"
        }
        return "SQLITCH_TEST_MYSQL_PORT is not set (run ./scripts/test)"
    }

    /// Whether MySQL tests should run: true when a server is configured, and in CI
    /// (`CI=true`) always, so that a missing server fails there instead of skipping. Prints
    /// the reason when they are skipped.
    public static var shouldRun: Bool {
        if shared != nil || ParityHarness.inCI { return true }
        print("MySQL tests skipped: \(unavailableReason ?? "no server")")
        return false
    }

    /// The configured server, or an error saying why there is none.
    public static func require() throws -> MySQLServer {
        guard let server = shared else {
            throw MySQLServerError("no MySQL test server: \(unavailableReason ?? "not configured")")
        }
        return server
    }

    public var description: String { "MySQL at \(host):\(port) as \(user)" }

    // MARK: - Databases

    /// Creates a database with a fresh name (`prefix_` and 32 hex digits, lower case) and
    /// returns that name. It has the server's default character set (utf8mb4 on the
    /// server `scripts/my-server` starts).
    @discardableResult
    public func createDatabase(prefix: String = "sqlitch_test") throws -> String {
        let name = Self.uniqueName(prefix: prefix)
        try sql(sql: "CREATE DATABASE \(Self.identifier(name))")
        return name
    }

    /// Drops `name` if it exists, first ending the sessions that have it as their current
    /// database (MySQL has no `DROP DATABASE ... FORCE`). Waits at most a minute for locks.
    public func dropDatabase(_ name: String) throws {
        let sessions = try sql(sql: """
            SELECT ID FROM information_schema.PROCESSLIST WHERE DB = \(Self.literal(name)) AND ID <> CONNECTION_ID()
            """)
        for id in sessions.split(separator: "\n") where Int(id) != nil {
            // The session may have ended meanwhile.
            _ = try? sql(sql: "KILL CONNECTION \(id)")
        }
        try sql(sql: "SET SESSION lock_wait_timeout = 60; DROP DATABASE IF EXISTS \(Self.identifier(name))")
    }

    /// True when a database called `name` exists.
    public func databaseExists(_ name: String) throws -> Bool {
        try sql(sql: "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(Self.literal(name))") == "1"
    }

    /// The Sqitch target URI of `database`: `db:mysql://root@127.0.0.1:PORT/DATABASE`
    /// (with `user`, and `:password` when given, instead of the password-less user).
    public func uri(database: String, user: String? = nil, password: String? = nil) -> String {
        var userInfo = Self.percentEncoded(user ?? self.user)
        if let password { userInfo += ":" + Self.percentEncoded(password) }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "db:mysql://\(userInfo)@\(hostPart):\(port)/\(Self.percentEncoded(database))"
    }

    // MARK: - Client

    /// The client program: `mariadb`, else `mysql`, from PATH.
    static var clientPath: String? {
        ParityHarness.findOnPath("mariadb") ?? ParityHarness.findOnPath("mysql")
    }

    /// Runs `sql` (one or more statements, stopping at the first error) with the client over
    /// TCP, in `database` when given, and returns its output in batch form: one row a line,
    /// tab-separated columns, no column names, NULL as `NULL`, without the final newline.
    /// Values are escaped (`\n`, `\t`, `\\`) unless `raw`. The session's time zone is UTC
    /// and its character set utf8mb4.
    @discardableResult
    public func sql(database: String? = nil, sql: String, user: String? = nil, password: String? = nil,
                    raw: Bool = false) throws -> String {
        guard let client = Self.clientPath else {
            throw MySQLServerError("the mariadb (or mysql) client is not on PATH (run ./scripts/install-deps)")
        }
        let script = "SET time_zone = '+00:00';\n" + sql
        // --no-defaults must come first: otherwise the system's option files are read.
        var arguments = ["--no-defaults", "--protocol=TCP", "--host=\(host)", "--port=\(port)",
                         "--user=\(user ?? self.user)", "--batch", "--skip-column-names",
                         "--default-character-set=utf8mb4", "--connect-timeout=20"]
        if raw { arguments.append("--raw") }
        if let database { arguments.append("--database=\(database)") }
        return try ServerClient.output(client, arguments, environment: Self.clientEnvironment(password: password),
                                       input: script) { status, error in
            MySQLServerError("the mysql client failed (exit \(status))" + (database.map { " on \($0)" } ?? "") + ": " + error)
        }
    }

    /// Starts a client session connected to `database` that sleeps for `seconds`.
    public func startSleepingSession(database: String, seconds: Int = 60) throws -> RunningProcess {
        guard let client = Self.clientPath else {
            throw MySQLServerError("the mariadb (or mysql) client is not on PATH (run ./scripts/install-deps)")
        }
        return try ServerClient.start(client, ["--no-defaults", "--protocol=TCP", "--host=\(host)", "--port=\(port)",
                                               "--user=\(user)", "--database=\(database)", "--execute=SELECT SLEEP(\(seconds))"],
                                      environment: Self.clientEnvironment(password: nil))
    }

    /// The client's environment: ours without any `MYSQL_*` variable, then the password.
    static func clientEnvironment(password: String?) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MYSQL") && $0.key != "MARIADB_HOME" }
        if let password { env["MYSQL_PWD"] = password }
        return env
    }

    // MARK: - Dump

    /// Comparable text of everything in `database` (see `MySQLDump`).
    public func dump(database: String) throws -> String {
        try MySQLDump.dump(databases: [database], server: self)
    }

    /// Comparable text of everything in `databases`, one after another (see `MySQLDump`).
    public func dump(databases: [String]) throws -> String {
        try MySQLDump.dump(databases: databases, server: self)
    }

    // MARK: - Quoting

    /// `name` as an SQL identifier (`` `name` ``).
    public static func identifier(_ name: String) -> String {
        "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }

    /// `text` as an SQL string literal (backslashes escaped, as the default SQL mode needs).
    public static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A fresh database name: `prefix` reduced to `[a-z0-9_]` (at most 24 characters), `_`,
    /// then 32 hex digits.
    public static func uniqueName(prefix: String) -> String {
        PostgresServer.uniqueName(prefix: prefix)
    }

    static func percentEncoded(_ text: String) -> String {
        PostgresServer.percentEncoded(text)
    }
}

/// A failure of the MySQL test server or of its client.
public struct MySQLServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
