import FoundationEssentials

// A first sketch of what each database engine provides to the shared algorithms (deploy,
// revert, verify, status, log) and to the shared registry code. Sqitch splits this between
// `Engine.pm` (abstract methods), `Role/DBIEngine.pm` (the SQL hooks) and `Engine/<key>.pm`.

/// The bookkeeping connection to an engine's registry, used by the shared registry SQL.
/// Statements are written once with `?` placeholders; each connection renders them in its
/// database's style (`$1` for PostgreSQL). Values are bound, never interpolated. Errors are
/// `EngineError`s that carry the database's own code (`databaseCode`).
public protocol RegistryConnection: AnyObject {
    /// Runs statements without parameters or results (`PRAGMA`, `SET`, DDL).
    func execute(_ sql: String) throws
    /// Runs one statement with parameters; returns the number of rows changed.
    @discardableResult
    func run(_ sql: String, _ parameters: [DatabaseValue]) throws -> Int
    /// All rows of one query with parameters.
    func query(_ sql: String, _ parameters: [DatabaseValue]) throws -> [DatabaseRow]
    /// Opens the bookkeeping transaction (SQLite: `BEGIN IMMEDIATE`; PG also locks `changes`;
    /// MySQL locks the registry tables).
    func begin() throws
    func commit() throws
    /// Rolls back the open transaction, if any.
    func rollback() throws
    /// Runs a batch of bookkeeping transactions (a deploy's or revert's changes). A
    /// connection may prepare for many commits in a row, and undoes it when `body` ends.
    func batch(_ body: () throws -> Void) throws
}

extension RegistryConnection {
    public func batch(_ body: () throws -> Void) throws { try body() }
}

/// The SQL that differs between registries (`Role/DBIEngine.pm`'s `_` hooks). The shared
/// registry code builds its statements from these.
public protocol RegistryDialect: Sendable {
    /// Returns the registry release as text (`1.1`), or fails with a "no such table" error.
    var versionQuery: String { get }
    /// The query returning one row with a true value when the `changes` table of the
    /// registry named `registry` (PostgreSQL's schema) exists, and its parameters.
    func initializedQuery(registry: String) -> (sql: String, parameters: [DatabaseValue])
    /// The regular-expression match operator (`REGEXP`, `~`).
    var regexOperator: String { get }
    /// A column name as the registry's statements write it unqualified: MySQL quotes
    /// `change`, a reserved word there (Sqitch's `_quote_idents`).
    func column(_ name: String) -> String
    /// The `LIMIT` to use when only an `OFFSET` is given (SQLite `-1`), or nil.
    var limitDefault: String? { get }
    /// The expression for "now" in inserted rows (SQLite `strftime('%Y-%m-%d %H:%M:%f')`).
    var timestampDefault: String { get }
    /// `column` rendered as `year:YYYY:month:MM:day:DD:hour:HH:minute:MM:second:SS:time_zone:UTC`.
    func timestampText(_ column: String) -> String
    /// An aggregate collecting `expression` over a group into a list: text joined with single
    /// spaces (SQLite, MySQL) or an array (PostgreSQL).
    func listAggregate(_ expression: String) -> String
    /// A list bound into an event's `tags`, `requires` or `conflicts`: text joined with
    /// `separator` where the column is text, an array where it is one.
    func listParameter(_ items: [String], separator: String) -> DatabaseValue
    /// The items of a list read back from the registry (an array, or space-joined text).
    func listItems(_ value: DatabaseValue) -> [String]
    /// A plan timestamp as bound into `planned_at` (SQLite `YYYY-MM-DD HH:MM:SS` in UTC).
    func timestampParameter(_ date: Date) -> String
    /// True when the error's database code says the table does not exist (registry not
    /// created yet).
    func isNoTableError(_ error: EngineError) -> Bool
    /// True when the error's database code says a column does not exist (registry older
    /// than 1.0).
    func isNoColumnError(_ error: EngineError) -> Bool
    /// True when the error's database code is a unique-constraint violation.
    func isUniqueError(_ error: EngineError) -> Bool
    /// Where `committed_at` keeps whole seconds only (MySQL before 5.6.4), the query (one
    /// parameter: the project) that is true while the newest row of `table` was logged in
    /// the current second: logging waits until it is false, or the order of rows would be
    /// lost (Sqitch's `_prepare_to_log`). Nil where timestamps have fractions of a second.
    func sameSecondQuery(table: String) -> String?
}

extension RegistryDialect {
    /// Timestamps have fractions of a second.
    public func sameSecondQuery(table: String) -> String? { nil }

    /// Names as they are.
    public func column(_ name: String) -> String { name }

    /// Lists as text joined with `separator` (SQLite and MySQL store them in text columns).
    public func listParameter(_ items: [String], separator: String) -> DatabaseValue {
        .text(items.joined(separator: separator))
    }

    /// An array value's items, or space-joined text split as Sqitch's `_parse_array` does.
    public func listItems(_ value: DatabaseValue) -> [String] {
        value.list ?? Registry.parseList(value.text)
    }
}

/// One database engine: how to reach its registry, how to create and upgrade the registry,
/// and how to run a change script through the engine's command-line client.
///
/// Scripts always run in a separate client process, one per script, with the path as
/// configured; the registry connection only does bookkeeping.
public protocol Engine: AnyObject {
    /// `sqlite`, `pg`, `mysql`: the engine's key in configuration and URIs.
    static var key: String { get }
    /// `SQLite`, `PostgreSQL`, `MySQL`: the name in messages.
    static var name: String { get }
    /// The client run when neither `--client` nor `engine.<key>.client` names one.
    static var defaultClient: String { get }

    /// The context (console, files, environment) scripts run in.
    var sqitch: Sqitch { get }
    /// Runs the client processes.
    var runner: ProcessRunner { get }
    /// The target this engine works on (URI, registry name, client, variables).
    var target: Target { get }
    var dialect: RegistryDialect { get }

    /// Where changes go, as shown in `Deploying changes to {destination}`.
    var destination: String { get }
    /// Where the registry lives, as shown in `Adding registry tables to {destination}`.
    var registryDestination: String { get }

    /// The bookkeeping connection, opened on first use and kept (a session-level lock, if
    /// the engine takes one, lives as long as it).
    func registry() throws -> RegistryConnection
    /// Starts opening the bookkeeping connection on another thread, for a command that
    /// does other work (reads its plan) before its first use; that use waits for it, and
    /// gets what opening it gave, the connection or the error. Engines whose connections
    /// open at once do nothing.
    func prefetchRegistryConnection()

    /// Fails unless the client can be run and is recent enough (SQLite: `<client> -version`).
    func checkClient() throws

    /// True when the registry's tables exist (Sqitch's `initialized`).
    func registryExists() throws -> Bool
    /// Whether the registry exists, found without creating anything (an SQLite registry
    /// file is not created): what a dry run asks.
    func registryIsPresent() throws -> Bool
    /// What a dry run says of the target's database, found without creating anything.
    func targetDatabaseState() throws -> TargetDatabaseState
    /// Creates the registry tables by running the engine's DDL through the client, with
    /// `record`'s row in `releases` in the same script (see `Registry.script(_:recording:)`);
    /// without one, the caller records the release (`Registry.recordRelease`).
    func createRegistry(recording record: ReleaseRecord?) throws
    /// Runs one upgrade step through the client, recording `record` as `createRegistry` does.
    func runUpgrade(_ upgrade: RegistryUpgrade, recording record: ReleaseRecord?) throws
    /// The registry release recorded in the database (`0` without a `releases` table).
    func registryRelease() throws -> RegistryRelease
    /// The upgrade steps this engine has, in any order.
    var upgrades: [RegistryUpgrade] { get }

    /// Tries to take the destination lock that keeps other instances out while deploying
    /// or reverting, without waiting (Sqitch's `try_lock`): true when taken. Engines without
    /// such a lock (SQLite) return true.
    func tryLock() throws -> Bool
    /// Waits up to `timeout` seconds for the destination lock (Sqitch's `wait_lock`): true
    /// when taken, false when the time ran out.
    func waitLock(timeout: Int) throws -> Bool

    /// The client invocation that runs the script at `path` (relative to the working
    /// directory, as configured) with the given client variables.
    func scriptCommand(path: String, variables: [(name: String, value: String)]) throws -> ProcessCommand
    /// The client invocation that runs SQL given on standard input (Sqitch's `run_handle`).
    func inputCommand(_ sql: String, variables: [(name: String, value: String)]) throws -> ProcessCommand
}

extension Engine {
    /// The engine's configuration key (`sqlite`).
    public var key: String { Self.key }
    /// The engine's display name (`SQLite`).
    public var name: String { Self.name }

    /// Runs a deploy or revert script through the client; its output passes through.
    public func runScript(_ path: String, variables: [(name: String, value: String)]) throws {
        try runner.run(scriptCommand(path: path, variables: variables), sqitch: sqitch)
    }

    /// Runs a verify script: its standard output is shown only at verbosity 2 or more.
    /// `quiet` captures the output at any verbosity (`verify --format json`: standard
    /// output holds the document only).
    public func runVerify(_ path: String, variables: [(name: String, value: String)], quiet: Bool = false) throws {
        var command = try scriptCommand(path: path, variables: variables)
        if quiet || sqitch.console.verbosity < 2 { command.output = .capture }
        try runner.run(command, sqitch: sqitch)
    }
}

extension Engine {
    /// SQLite opens its registry at once: nothing to start ahead.
    public func prefetchRegistryConnection() {}
}

extension Engine {
    /// Servers: asking creates nothing.
    public func registryIsPresent() throws -> Bool { try registryExists() }
    /// PostgreSQL: the registry lives in the target's database, so reaching it says it is there.
    public func targetDatabaseState() throws -> TargetDatabaseState { .present }
}

/// A target's database as a dry run finds it.
public enum TargetDatabaseState: Sendable, Equatable {
    case present
    /// Not there, and the client makes it on the first script (an SQLite file).
    case createdByFirstScript(String)
    /// Not there, and the client fails on the first script with this message.
    case missing(String)
}

extension Engine {
    /// Creates the registry; the caller records the release.
    public func createRegistry() throws { try createRegistry(recording: nil) }
    /// Runs one upgrade step; the caller records the release.
    public func runUpgrade(_ upgrade: RegistryUpgrade) throws { try runUpgrade(upgrade, recording: nil) }
}
