import FoundationEssentials

/// PostgreSQL's registry SQL hooks (Sqitch's `Engine/pg.pm` overrides of `Role/DBIEngine.pm`).
/// Event lists are `TEXT[]` columns, bound and read as arrays.
public struct PostgresDialect: RegistryDialect {
    public init() {}

    public var versionQuery: String { "SELECT MAX(version)::TEXT FROM releases" }

    /// The registry is a schema of the target database: its `changes` table is looked up
    /// in the catalog by schema name.
    public func initializedQuery(registry: String) -> (sql: String, parameters: [DatabaseValue]) {
        ("SELECT EXISTS(SELECT TRUE FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?)",
         [.text(registry), .text("changes")])
    }

    public var regexOperator: String { "~" }
    public var limitDefault: String? { nil }
    public var timestampDefault: String { "clock_timestamp()" }

    public func timestampText(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', "
            + "'\"year\":YYYY:\"month\":MM:\"day\":DD:\"hour\":HH24:\"minute\":MI:\"second\":SS:\"time_zone\":\"UTC\"')"
    }

    /// The sorted, non-null values of the group as an array (servers 9.3 and later).
    public func listAggregate(_ expression: String) -> String {
        "array_remove(array_agg(\(expression) ORDER BY \(expression)), NULL)"
    }

    public func listParameter(_ items: [String], separator: String) -> DatabaseValue { .list(items) }

    /// The plan time in UTC (`2026-11-24T19:14:29Z`): the same instant
    /// as Sqitch's local-time text, in a `TIMESTAMPTZ`.
    public func timestampParameter(_ date: Date) -> String {
        PlanText.rawTimestamp(date)
    }

    /// SQLSTATE `42P01` (undefined_table).
    public func isNoTableError(_ error: EngineError) -> Bool { error.databaseCode == "42P01" }
    /// SQLSTATE `42703` (undefined_column).
    public func isNoColumnError(_ error: EngineError) -> Bool { error.databaseCode == "42703" }
    /// SQLSTATE `23505` (unique_violation).
    public func isUniqueError(_ error: EngineError) -> Bool { error.databaseCode == "23505" }
}

/// The PostgreSQL engine: the registry is a schema (`sqitch` by default) in the target
/// database, reached through libpq for bookkeeping; scripts and the registry DDL run through
/// `psql` with the target's connection string, the client variables and `ON_ERROR_STOP`.
public final class PostgresEngine: Engine {
    public static let key = "pg"
    public static let name = "PostgreSQL"
    public static let defaultClient = "psql"

    /// The advisory lock key Sqitch instances share.
    public static let lockKey = 75474063

    public let sqitch: Sqitch
    public let target: Target
    public let runner: ProcessRunner
    public let dialect: RegistryDialect = PostgresDialect()

    private var connection: PostgresConnection?
    /// The registry connection being opened ahead of its first use, if any.
    private var opening: BackgroundTask<(PostgresConnection, String)>?
    /// False for YugabyteDB, which has neither advisory locks nor `EXCLUSIVE` table locks.
    private var isPostgres = true

    public init(sqitch: Sqitch, target: Target, runner: ProcessRunner = SpawnRunner()) {
        self.sqitch = sqitch
        self.target = target
        self.runner = runner
    }

    /// The target's name, or its URI without password; a URI without a database name gets
    /// the one libpq would use (`PGDATABASE`, the user, `PGUSER`, the system user).
    public var destination: String {
        target.destination(environment: sqitch.environment,
                           systemUser: Identity.systemUser(sqitch.environment, .current))
    }
    public var registryDestination: String { destination }

    // MARK: Connection

    /// The libpq parameters of the registry connection: the URI's parts that are given
    /// (query parameters included), the user and password Sqitch resolves, and UTF-8 as the
    /// client encoding. Everything else comes from libpq's defaults.
    public var connectionParameters: [(key: String, value: String)] {
        var parameters: [(key: String, value: String)] = []
        let uri = target.uri
        if let dbname = uri.dbname { parameters.append(("dbname", dbname)) }
        if let host = uri.host { parameters.append(("host", host)) }
        if let port = uri.explicitPort { parameters.append(("port", port)) }
        for (name, value) in uri.queryParameters { parameters.append((name, value)) }
        if let user = target.username { parameters.append(("user", user)) }
        if let password = target.password { parameters.append(("password", password)) }
        parameters.append(("client_encoding", "UTF8"))
        return parameters.filter { !$0.value.isEmpty }
    }

    public func registry() throws -> RegistryConnection { try registryConnection() }

    /// The bookkeeping connection: warnings only, the registry schema first on the search
    /// path, the server's provider noted (YugabyteDB takes no locks). The first use takes
    /// the one `prefetchRegistryConnection` opened, or its error.
    public func registryConnection() throws -> PostgresConnection {
        if let connection { return connection }
        let (opened, version) = try opening.takeResult()?.get()
            ?? PostgresEngine.open(parameters: connectionParameters, registry: target.registry)
        isPostgres = !version.contains("-YB-")
        opened.afterBegin = isPostgres ? ["LOCK TABLE changes IN EXCLUSIVE MODE"] : []
        connection = opened
        return opened
    }

    /// Opens the registry connection on another thread: libpq's loading and the server's
    /// start of a session then overlap what the command does before its first use.
    public func prefetchRegistryConnection() {
        guard connection == nil, opening == nil else { return }
        let parameters = connectionParameters
        let registry = target.registry
        opening = BackgroundTask { try PostgresEngine.open(parameters: parameters, registry: registry) }
    }

    /// A new registry connection and the server's version word (`16.4`, `11.2-YB-2.25.0.0`).
    private static func open(parameters: [(key: String, value: String)], registry: String) throws
        -> (PostgresConnection, String) {
        let opened = try PostgresConnection(parameters: parameters)
        try opened.execute("SET client_min_messages = WARNING")
        try opened.run("SET search_path = " + PostgresEngine.literal(registry))
        return (opened, try opened.query("SELECT split_part(version(), ' ', 2)").first?[0].text ?? "")
    }

    /// Closes the registry connection (it is reopened on next use).
    public func disconnect() {
        _ = opening.takeResult()
        connection?.close()
        connection = nil
    }

    /// `text` as an SQL string literal (`'` doubled), as DBI quotes a bound value it
    /// interpolates into a statement the server cannot prepare (`SET`).
    static func literal(_ text: String) -> String {
        "'" + text.replacingEvery("'", with: "''") + "'"
    }

    // MARK: Client

    /// `user=... dbname=... host=... port=...` then the query parameters sorted by name, as
    /// Sqitch passes them to `psql --dbname`: only the parts given, spaces, quotes and
    /// backslashes escaped with a backslash.
    public var conninfo: String {
        conninfoParts.map { key, value in
            var escaped = ""
            for char in value {
                if char == " " || char == "\"" || char == "'" || char == "\\" { escaped.append("\\") }
                escaped.append(char)
            }
            return "\(key)=\(escaped)"
        }.joined(separator: " ")
    }

    /// The keywords and values of `conninfo`, unescaped.
    var conninfoParts: [(key: String, value: String)] {
        let uri = target.uri
        var specs: [(String, String?)] = [
            ("user", target.username), ("dbname", uri.dbname), ("host", uri.host), ("port", uri.explicitPort),
        ]
        var query: [String: String] = [:]
        for (name, value) in uri.queryParameters { query[name] = value }
        specs += query.keys.sorted().map { ($0, query[$0]) }
        return specs.compactMap { key, value in
            guard let value, !value.isEmpty else { return nil }
            return (key, value)
        }
    }

    /// `psql [--dbname <conninfo>] [--set k=v ...] --quiet --no-psqlrc --no-align
    /// --tuples-only --set ON_ERROR_STOP=1 --set registry=<registry>`.
    public func clientArguments(variables: [(name: String, value: String)]) -> [String] {
        var argv = [target.client]
        let info = conninfo
        if !info.isEmpty { argv += ["--dbname", info] }
        for (name, value) in variables.sorted(by: { $0.name < $1.name }) { argv += ["--set", "\(name)=\(value)"] }
        argv += ["--quiet", "--no-psqlrc", "--no-align", "--tuples-only", "--set", "ON_ERROR_STOP=1",
                 "--set", "registry=\(target.registry)"]
        return argv
    }

    /// The client Debian's `pg_wrapper` would start for `psql`, when that is certain, and
    /// the environment it would give it (see `PgWrapper`); found once per engine.
    private lazy var directClient: (path: String, environment: [String: String?])? = {
        guard !target.client.isEmpty,
              let resolved = SpawnRunner.resolve(target.client, environment: sqitch.environment, files: sqitch.files) else {
            return nil
        }
        let given = Set(conninfoParts.map(\.key))
        return pgWrapper.directClient(invoked: resolved, environment: sqitch.environment,
                                      namesHostAndPort: given.contains("host") && given.contains("port"))
    }()

    /// Where Debian's postgresql-common lives (changed by tests, before the first command).
    public var pgWrapper = PgWrapper()

    /// `psql` with `argv`; the password reaches it through `PGPASSWORD` only, never its arguments.
    private func clientCommand(_ argv: [String], password: Bool = true, input: String? = nil) -> ProcessCommand {
        var command = ProcessCommand(argv[0], Array(argv.dropFirst()), input: input)
        if let direct = directClient {
            command.launchPath = direct.path
            command.environment = direct.environment
        }
        if password, let secret = target.password { command.environment["PGPASSWORD"] = secret }
        return command
    }

    private func command(_ extra: [String], variables: [(name: String, value: String)] = [],
                         input: String? = nil) -> ProcessCommand {
        clientCommand(clientArguments(variables: variables) + extra, input: input)
    }

    /// psql needs no check before it runs a script.
    public func checkClient() throws {}

    public func scriptCommand(path: String, variables: [(name: String, value: String)]) throws -> ProcessCommand {
        command(["--file", path], variables: variables)
    }

    public func inputCommand(_ sql: String, variables: [(name: String, value: String)]) throws -> ProcessCommand {
        command([], variables: variables, input: sql)
    }

    /// The first line of a `psql` run's output (Sqitch's `probe`).
    private func probe(_ extra: [String]) throws -> String {
        var probe = command(extra)
        probe.output = .capture
        let output = try runner.run(probe, sqitch: sqitch).standardOutput
        return String(output.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    /// The major version of the `psql` client (`psql (PostgreSQL) 15.20` -> 15; 0 if unknown).
    private func clientMajorVersion() throws -> Int {
        var version = clientCommand([target.client, "--version"], password: false)
        version.output = .capture
        let first = try runner.run(version, sqitch: sqitch).standardOutput
            .split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        let last = first.split(whereSeparator: { $0 == " " || $0 == "\t" }).last ?? ""
        return Int(last.prefix { $0.isNumber }) ?? 0
    }

    /// Runs registry DDL through `psql` as Sqitch runs its schema files: the server and
    /// client versions and Postgres-XC are probed first; the SQL goes on standard input with
    /// `registry` and `tableopts` set. Servers before 9.3 lack `CREATE SCHEMA IF NOT EXISTS`;
    /// clients before 9.0 lack `:"registry"`, which is then replaced by the quoted name.
    func runRegistrySQL(_ script: String) throws {
        let serverVersion = Int(try probe(["-c", "SHOW server_version_num"]).trimming(.whitespaces)) ?? 0
        let clientMajor = try clientMajorVersion()
        let xc = try probe(["-c", """
            SELECT count(*) FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON p.pronamespace = n.oid \
            WHERE nspname = 'pg_catalog' AND proname = 'pgxc_version';
            """]).trimming(.whitespaces)
        let tableOptions = (Int(xc) ?? 0) != 0 ? " DISTRIBUTE BY REPLICATION" : ""
        var sql = script
        if serverVersion < 90300 {
            sql = sql.replacingEvery("SCHEMA IF NOT EXISTS", with: "SCHEMA")
        }
        var extra = ["--file", "-"]
        if clientMajor < 9 {
            let quoted = try registryConnection().query("SELECT quote_ident(?)", [.text(target.registry)])
                .first?[0].text ?? target.registry
            sql = sql.replacingEvery(":\"registry\"", with: quoted)
        } else {
            extra += ["--set", "registry=\(target.registry)"]
        }
        extra += ["--set", "tableopts=\(tableOptions)"]
        try runner.run(command(extra, input: sql), sqitch: sqitch)
        try registryConnection().run("SET search_path = " + PostgresEngine.literal(target.registry))
    }

    // MARK: Registry

    public func registryExists() throws -> Bool {
        let query = dialect.initializedQuery(registry: target.registry)
        return Registry.isTrue(try registryConnection().query(query.sql, query.parameters).first?[0])
    }

    /// Runs the release 1.1 DDL through `psql`. Fails with
    /// `Sqitch schema "{schema}" already exists` when the registry tables exist.
    public func createRegistry(recording record: ReleaseRecord?) throws {
        if try registryExists() {
            throw EngineError("Sqitch schema \"\(target.registry)\" already exists")
        }
        try runRegistrySQL(recording(record, in: PostgresRegistrySchema.create))
    }

    /// The script with `record`'s row; `E''` literals, whatever `standard_conforming_strings` says.
    private func recording(_ record: ReleaseRecord?, in script: String) -> String {
        guard let record else { return script }
        return Registry.script(script, recording: record, table: ":\"registry\".releases", dialect: dialect) {
            "E" + Registry.literal($0, backslashEscapes: true)
        }
    }

    public var upgrades: [RegistryUpgrade] { PostgresRegistrySchema.upgrades }

    public func runUpgrade(_ upgrade: RegistryUpgrade, recording record: ReleaseRecord?) throws {
        try runRegistrySQL(recording(record, in: upgrade.script))
    }

    /// `MAX(version)` of `releases`, or `0` when the registry has no such table.
    public func registryRelease() throws -> RegistryRelease {
        do {
            guard let text = try registryConnection().query(dialect.versionQuery).first?[0].text else { return .none }
            return RegistryRelease(text) ?? .none
        } catch let error as EngineError where dialect.isNoTableError(error) {
            return .none
        }
    }

    // MARK: Lock

    /// `pg_try_advisory_lock` on Sqitch's key; YugabyteDB has no advisory locks.
    public func tryLock() throws -> Bool {
        let connection = try registryConnection()
        guard isPostgres else { return true }
        return Registry.isTrue(
            try connection.query("SELECT pg_try_advisory_lock(\(PostgresEngine.lockKey))").first?[0])
    }

    /// `pg_advisory_lock` sent without waiting, polled until it returns or `timeout` seconds
    /// pass (then cancelled).
    public func waitLock(timeout: Int) throws -> Bool {
        let connection = try registryConnection()
        guard isPostgres else { return true }
        return try connection.awaitQuery("SELECT pg_advisory_lock(\(PostgresEngine.lockKey))", timeout: timeout)
    }
}
