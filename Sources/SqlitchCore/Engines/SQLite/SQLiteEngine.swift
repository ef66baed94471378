import FoundationEssentials

extension SQLiteConnection: RegistryConnection {}

/// SQLite's registry SQL hooks (Sqitch's `Engine/sqlite.pm` overrides of `Role/DBIEngine.pm`).
public struct SQLiteDialect: RegistryDialect {
    public init() {}

    public var versionQuery: String { "SELECT CAST(ROUND(MAX(version), 1) AS TEXT) FROM releases" }
    /// The registry is a file of its own: its name does not enter the query.
    public func initializedQuery(registry: String) -> (sql: String, parameters: [DatabaseValue]) {
        ("SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'changes')", [])
    }
    public var regexOperator: String { "REGEXP" }
    public var limitDefault: String? { "-1" }
    public var timestampDefault: String { "strftime('%Y-%m-%d %H:%M:%f')" }

    public func timestampText(_ column: String) -> String {
        "strftime('year:%Y:month:%m:day:%d:hour:%H:minute:%M:second:%S:time_zone:UTC', \(column))"
    }

    public func listAggregate(_ expression: String) -> String { "group_concat(\(expression), ' ')" }

    public func timestampParameter(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let year = String(c.year ?? 0)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(c.month))-\(two(c.day)) "
            + "\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// SQLite reports a missing table or column with the generic `SQLITE_ERROR` (1) alone, so
    /// the code is checked first and the message's fixed prefix then tells the two apart, as
    /// Sqitch's own SQLite engine does.
    public func isNoTableError(_ error: EngineError) -> Bool {
        error.databaseCode == SQLiteDialect.genericError && error.message.hasPrefix("no such table:")
    }
    public func isNoColumnError(_ error: EngineError) -> Bool {
        error.databaseCode == SQLiteDialect.genericError && error.message.hasPrefix("no such column:")
    }
    /// `SQLITE_CONSTRAINT_UNIQUE` (2067) or, for a primary key, `SQLITE_CONSTRAINT_PRIMARYKEY` (1555).
    public func isUniqueError(_ error: EngineError) -> Bool {
        error.databaseCode == "2067" || error.databaseCode == "1555"
    }

    /// `SQLITE_ERROR`: SQLite's code for a missing table or column, among other errors.
    static let genericError = "1"

}

/// The SQLite engine: the registry is a separate SQLite file beside the target database,
/// reached through libsqlite3 for bookkeeping; scripts and registry DDL run through the
/// `sqlite3` client as `<client> -noheader -bail -batch -csv <database> ...`.
public final class SQLiteEngine: Engine {
    public static let key = "sqlite"
    public static let name = "SQLite"
    public static let defaultClient = "sqlite3"

    /// The oldest `sqlite3` client Sqitch accepts.
    public static let minimumClientVersion = [3, 3, 9]
    /// The oldest libsqlite3 Sqitch 1.6 accepts for the registry connection.
    public static let minimumLibraryVersion = [3, 8, 6]

    public let sqitch: Sqitch
    public let target: Target
    public let runner: ProcessRunner
    public let dialect: RegistryDialect = SQLiteDialect()

    /// How long the registry connection waits for another writer, in milliseconds:
    /// DBD::SQLite's 30 seconds, as Sqitch leaves it (tests shorten it).
    public var busyTimeout = SQLiteConnection.defaultBusyTimeout

    private var connection: SQLiteConnection?
    private var checkedClient: [String]?

    public init(sqitch: Sqitch, target: Target, runner: ProcessRunner = SpawnRunner()) {
        self.sqitch = sqitch
        self.target = target
        self.runner = runner
    }

    public var destination: String { target.destination(environment: sqitch.environment) }
    public var registryDestination: String { target.registryDestination(environment: sqitch.environment) }

    /// The registry file name as the URI gives it (`sqitch.db`, `/abs/sqitch.db`); empty when
    /// the target URI has no database name (SQLite then uses a temporary database).
    public var registryFile: String { target.registryURI.dbname ?? "" }

    /// The registry connection: `registryFile` opened read-write (created if missing),
    /// relative to the working directory.
    public func registry() throws -> RegistryConnection { try registryConnection() }

    /// The same, as the concrete SQLite connection.
    public func registryConnection() throws -> SQLiteConnection {
        if let connection { return connection }
        try SQLiteEngine.checkLibraryVersion(SQLiteConnection.libraryVersion())
        let file = registryFile
        let path = file.isEmpty || file == ":memory:" || file.hasPrefix("file:") ? file : sqitch.files.absolute(file)
        let opened = try SQLiteConnection(path: path, busyTimeout: busyTimeout)
        connection = opened
        return opened
    }

    /// Closes the registry connection (it is reopened on next use).
    public func disconnect() {
        connection?.close()
        connection = nil
    }

    /// `Sqitch requires SQLite 3.8.6 or later; DBD::SQLite was built with {version}`.
    public static func checkLibraryVersion(_ version: String) throws {
        if !atLeast(version, minimumLibraryVersion) {
            throw EngineError("Sqitch requires SQLite 3.8.6 or later; DBD::SQLite was built with \(version)")
        }
    }

    static func atLeast(_ version: String, _ minimum: [Int]) -> Bool {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        for (index, want) in minimum.enumerated() {
            let have = index < parts.count ? parts[index] : 0
            if have != want { return have > want }
        }
        return true
    }

    /// Runs `<client> -version` and checks it is 3.3.9 or later; then the target must name a
    /// database. Returns the client argv without the database name's final argument replaced:
    /// `[client, -noheader, -bail, -batch, -csv, <dbname>]`. Checked once.
    public func clientArguments() throws -> [String] {
        if let checkedClient { return checkedClient }
        let client = target.client
        let output = try runner.capture([client, "-version"], sqitch: sqitch)
        let first = output.split(separator: " ", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let version = first.split(separator: ".", omittingEmptySubsequences: false).joined(separator: ".")
        if !SQLiteEngine.atLeast(version, SQLiteEngine.minimumClientVersion) {
            throw EngineError("Sqitch requires SQLite 3.3.9 or later; \(client) is \(version)")
        }
        guard let dbname = target.uri.dbname, !dbname.isEmpty else {
            throw EngineError("Database name missing in URI \(target.uri)")
        }
        let argv = [client, "-noheader", "-bail", "-batch", "-csv", dbname]
        checkedClient = argv
        return argv
    }

    public func checkClient() throws { _ = try clientArguments() }

    /// `.read '<path>'`, the path quoted as an SQL string literal.
    public static func readCommand(_ path: String) -> String {
        ".read '" + path.replacingEvery("'", with: "''") + "'"
    }

    /// `<client> ... <dbname> ".read '<path>'"`. Client variables are ignored by SQLite.
    public func scriptCommand(path: String, variables: [(name: String, value: String)] = []) throws -> ProcessCommand {
        let argv = try clientArguments() + [SQLiteEngine.readCommand(path)]
        return ProcessCommand(argv[0], Array(argv.dropFirst()))
    }

    /// `<client> ... <dbname>` reading `sql` from standard input.
    public func inputCommand(_ sql: String, variables: [(name: String, value: String)] = []) throws -> ProcessCommand {
        let argv = try clientArguments()
        return ProcessCommand(argv[0], Array(argv.dropFirst()), input: sql)
    }

    /// The client run against the registry file with `sql` on standard input. Sqitch passes
    /// its installed `.sql` file with `.read`; ours is embedded, so it goes through standard
    /// input, which sqlite3 reads the same way (same error texts and line numbers).
    /// The script waits for readers of the registry as the registry connection does (the
    /// client's own default is to fail at once with `database is locked`); `-cmd` sets the
    /// wait, so that the script's line numbers in errors stay Sqitch's.
    public func registryCommand(_ sql: String) throws -> ProcessCommand {
        var argv = try clientArguments()
        argv[argv.count - 1] = "-cmd"
        argv += [".timeout \(busyTimeout)", registryFile]
        return ProcessCommand(argv[0], Array(argv.dropFirst()), input: sql)
    }

    /// The database file: the client creates it when it is not there.
    public func targetDatabaseState() throws -> TargetDatabaseState {
        let file = target.uri.dbname ?? ""
        if file.isEmpty || file == ":memory:" || file.hasPrefix("file:") || sqitch.files.exists(file) { return .present }
        return .createdByFirstScript(file)
    }

    /// False without opening (and so creating) the registry file when it is not there.
    public func registryIsPresent() throws -> Bool {
        let file = registryFile
        if !file.isEmpty, file != ":memory:", !file.hasPrefix("file:"), !sqitch.files.exists(file) { return false }
        return try registryExists()
    }

    public func registryExists() throws -> Bool {
        let query = dialect.initializedQuery(registry: target.registry)
        let value = try registryConnection().scalar(query.sql, query.parameters)
        return (value?.integer ?? 0) != 0
    }

    /// Runs the release 1.1 DDL through the client. Fails with
    /// `Sqitch database {file} already initialized` when the tables exist.
    public func createRegistry(recording record: ReleaseRecord?) throws {
        if try registryExists() {
            throw EngineError("Sqitch database \(registryFile) already initialized")
        }
        try runner.run(registryCommand(recording(record, in: SQLiteRegistrySchema.create)), sqitch: sqitch)
    }

    private func recording(_ record: ReleaseRecord?, in script: String) -> String {
        guard let record else { return script }
        return Registry.script(script, recording: record, table: "releases", dialect: dialect)
    }

    public var upgrades: [RegistryUpgrade] { SQLiteRegistrySchema.upgrades }

    /// SQLite takes no destination lock.
    public func tryLock() throws -> Bool { true }
    public func waitLock(timeout: Int) throws -> Bool { true }

    public func runUpgrade(_ upgrade: RegistryUpgrade, recording record: ReleaseRecord?) throws {
        try runner.run(registryCommand(recording(record, in: upgrade.script)), sqitch: sqitch)
    }

    /// The registry release recorded in the database: `MAX(version)` of `releases`, or `0`
    /// when there is no such table.
    public func registryRelease() throws -> RegistryRelease {
        do {
            guard let text = try registryConnection().scalar(dialect.versionQuery)?.text else { return .none }
            return RegistryRelease(text) ?? .none
        } catch let error as EngineError where dialect.isNoTableError(error) {
            return .none
        }
    }
}
