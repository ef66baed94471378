import FoundationEssentials

/// MySQL's registry SQL hooks (Sqitch's `Engine/mysql.pm` overrides of `Role/DBIEngine.pm`).
/// The registry connection runs in ANSI mode, so `"` quotes identifiers and `||` joins text.
public struct MySQLDialect: RegistryDialect {
    /// False for servers without fractional seconds (MySQL before 5.6.4, MariaDB before
    /// 5.3.5): times are then stamped to the second.
    public var fractionalSeconds: Bool

    public init(fractionalSeconds: Bool = true) { self.fractionalSeconds = fractionalSeconds }

    public var versionQuery: String { "SELECT CAST(ROUND(MAX(version), 1) AS CHAR) FROM releases" }

    /// The registry is a database of its own: its `changes` table is looked up by name.
    public func initializedQuery(registry: String) -> (sql: String, parameters: [DatabaseValue]) {
        ("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
         [.text(registry), .text("changes")])
    }

    public var regexOperator: String { "REGEXP" }
    /// MySQL needs a `LIMIT` before an `OFFSET`: the largest one it takes.
    public var limitDefault: String? { "18446744073709551615" }
    public var timestampDefault: String { fractionalSeconds ? "utc_timestamp(6)" : "utc_timestamp" }
    public func sameSecondQuery(table: String) -> String? {
        guard !fractionalSeconds else { return nil }
        return "SELECT UNIX_TIMESTAMP(committed_at) >= UNIX_TIMESTAMP() FROM \(table) WHERE project = ? "
            + "ORDER BY committed_at DESC LIMIT 1"
    }

    public func timestampText(_ column: String) -> String {
        "date_format(\(column), 'year:%Y:month:%m:day:%d:hour:%H:minute:%i:second:%S:time_zone:UTC')"
    }

    /// The sorted values of the group, joined with single spaces.
    public func listAggregate(_ expression: String) -> String {
        "GROUP_CONCAT(\(expression) ORDER BY \(expression) SEPARATOR ' ')"
    }

    /// `change` is a reserved word in MySQL.
    public func column(_ name: String) -> String { name == "change" ? "\"change\"" : name }

    /// The plan time in UTC without a zone (`2026-11-24T19:14:29`), as Sqitch binds it.
    public func timestampParameter(_ date: Date) -> String { String(PlanText.rawTimestamp(date).dropLast()) }

    /// `ER_NO_SUCH_TABLE` (1146), `ER_BAD_TABLE_ERROR` (1051), or `ER_BAD_DB_ERROR` (1049):
    /// the registry database itself is missing.
    public func isNoTableError(_ error: EngineError) -> Bool {
        ["1146", "1051", "1049"].contains(error.databaseCode ?? "")
    }
    /// `ER_BAD_FIELD_ERROR` (1054).
    public func isNoColumnError(_ error: EngineError) -> Bool { error.databaseCode == "1054" }
    /// `ER_DUP_ENTRY` (1062).
    public func isUniqueError(_ error: EngineError) -> Bool { error.databaseCode == "1062" }
}

/// The MySQL engine: the registry is a database of its own (`sqitch` by default) on the
/// target's server, reached through MariaDB Connector/C for bookkeeping; scripts and the
/// registry DDL run through the `mysql` client. The registry is created by the first
/// command that locks the destination, before anything is said about it.
public final class MySQLEngine: Engine {
    public static let key = "mysql"
    public static let name = "MySQL"
    public static let defaultClient = "mysql"

    /// Every registry table, write-locked for each change's bookkeeping.
    public static let lockTables =
        "LOCK TABLES releases WRITE, changes WRITE, dependencies WRITE, events WRITE, projects WRITE, tags WRITE"

    public let sqitch: Sqitch
    public let target: Target
    public let runner: ProcessRunner

    private var connection: MySQLConnection?
    /// The registry connection being opened ahead of its first use, if any.
    private var opening: BackgroundTask<MySQLConnection>?
    /// The connection holding the lock taken while there was no registry.
    private var lockConnection: MySQLConnection?
    private var fractionalSeconds = true
    private var clientBase: [String]?
    private var optionFile: MySQLOptionFile?

    public init(sqitch: Sqitch, target: Target, runner: ProcessRunner = SpawnRunner()) {
        self.sqitch = sqitch
        self.target = target
        self.runner = runner
    }

    public var dialect: RegistryDialect { MySQLDialect(fractionalSeconds: fractionalSeconds) }

    // MARK: Where

    /// The target's URI with `$MYSQL_HOST` and `$MYSQL_TCP_PORT` filling a missing host and
    /// port (the library itself does not read `MYSQL_HOST`).
    public var uri: DatabaseURI {
        var uri = target.uri
        let env = sqitch.environment
        if (uri.host ?? "").isEmpty, let host = env.nonEmpty("MYSQL_HOST") { uri.host = host }
        if uri.explicitPort == nil, let port = env.nonEmpty("MYSQL_TCP_PORT") { uri.explicitPort = port }
        return uri
    }

    public var destination: String { target.destination(environment: sqitch.environment) }

    /// The target's URI naming the registry database, without password.
    public var registryDestination: String {
        var registryURI = uri
        registryURI.dbname = target.registry
        return registryURI.withoutPassword.description
    }

    /// `user` and `password` of the `[client]` and `[mysql]` groups of the option files.
    private var options: MySQLOptionFile {
        if let optionFile { return optionFile }
        let loaded = MySQLOptionFile.load(home: sqitch.environment["HOME"])
        optionFile = loaded
        return loaded
    }

    /// `$SQITCH_USERNAME`, the URI's user, the option files' user, or the system user.
    public var username: String? {
        target.username ?? options.user ?? Identity.systemUser(sqitch.environment, .current)
    }

    /// `$SQITCH_PASSWORD`, the URI's password, `$MYSQL_PWD`, or the option files' password.
    public var password: String? {
        target.password ?? sqitch.environment.nonEmpty("MYSQL_PWD") ?? options.password
    }

    // MARK: Registry connection

    public func registry() throws -> RegistryConnection { try registryConnection() }

    /// The bookkeeping connection to the registry database, with Sqitch's session settings;
    /// fails for servers older than MySQL 5.1.0 or MariaDB 5.3.
    public func registryConnection() throws -> MySQLConnection {
        if let connection { return connection }
        let opened = try opening.takeResult()?.get() ?? MySQLEngine.open(connectionParameters(database: target.registry))
        let isMariaDB = opened.serverInfo.lowercased().contains("mariadb")
        let (rdbms, minimum, shown) = isMariaDB ? ("MariaDB", 50300, "5.3") : ("MySQL", 50100, "5.1.0")
        if opened.serverVersion < minimum {
            let version = try opened.query("SELECT version()").first?[0].text ?? opened.serverInfo
            throw EngineError("Sqitch requires \(rdbms) \(shown) or higher; this is \(version)")
        }
        fractionalSeconds = isMariaDB ? opened.serverVersion >= 50305 : opened.serverVersion >= 50604
        opened.beforeBegin = [MySQLEngine.lockTables]
        opened.afterEnd = ["UNLOCK TABLES"]
        connection = opened
        return opened
    }

    /// Opens the registry connection on another thread: the client library's loading and
    /// the server's handshake then overlap what the command does before its first use,
    /// which takes it, or its error.
    public func prefetchRegistryConnection() {
        guard connection == nil, opening == nil else { return }
        let parameters = connectionParameters(database: target.registry)
        opening = BackgroundTask { try MySQLEngine.open(parameters) }
    }

    /// A new registry connection with Sqitch's session settings.
    private static func open(_ parameters: MySQLConnection.Parameters) throws -> MySQLConnection {
        let opened = try MySQLConnection(parameters)
        for setting in [
            "character_set_client = 'utf8'", "character_set_server = 'utf8'", "time_zone = '+00:00'",
            "group_concat_max_len = 32768",
            "sql_mode = 'ansi,strict_trans_tables,no_auto_value_on_zero,no_zero_date,no_zero_in_date,"
                + "only_full_group_by,error_for_division_by_zero'",
        ] {
            try opened.execute("SET SESSION " + setting)
        }
        return opened
    }

    /// Closes the registry connection (it is reopened on next use).
    public func disconnect() {
        _ = opening.takeResult()
        connection?.close()
        connection = nil
    }

    // MARK: Client

    /// `mysql [--user U] [--database DB] [--host H] [--port P] [--password=PW] --skip-pager
    /// --silent --skip-column-names --skip-line-numbers [--abort-source-on-error] [options
    /// from the URI's query]`: `--password=` only when it differs from the option files',
    /// `--abort-source-on-error` for MariaDB clients that have it. Built once.
    public func clientArguments() throws -> [String] {
        if let clientBase { return clientBase }
        let uri = self.uri
        if (uri.dbname ?? "").isEmpty { sqitch.console.warn("Database name missing in URI \"\(uri)\"") }
        var argv = [target.client]
        for (option, value) in [("--user", username), ("--database", uri.dbname), ("--host", uri.host),
                                ("--port", uri.explicitPort)] {
            if let value = Perl.truthy(value) { argv += [option, value] }
        }
        if let password, password != (options.password ?? "") { argv.append("--password=\(password)") }
        argv += ["--skip-pager", "--silent", "--skip-column-names", "--skip-line-numbers"]
        if try clientAbortsSourceOnError() { argv.append("--abort-source-on-error") }
        for (name, value) in uri.queryParameters {
            switch name {
            case "mysql_compression": if Perl.truthy(value) != nil { argv.append("--compress") }
            case "mysql_ssl": if Perl.truthy(value) != nil { argv.append("--ssl") }
            case "mysql_connect_timeout": argv += ["--connect_timeout", value]
            case "mysql_init_command": argv += ["--init-command", value]
            case "mysql_socket": argv += ["--socket", value]
            case "mysql_ssl_client_key": argv += ["--ssl-key", value]
            case "mysql_ssl_client_cert": argv += ["--ssl-cert", value]
            case "mysql_ssl_ca_file": argv += ["--ssl-ca", value]
            case "mysql_ssl_ca_path": argv += ["--ssl-capath", value]
            case "mysql_ssl_cipher": argv += ["--ssl-cipher", value]
            default: break
            }
        }
        clientBase = argv
        return argv
    }

    /// True when `<client> --version` names MariaDB and a version after `Ver` or `client`
    /// above 5 (or 5.x.y with y >= 66). A client that cannot be run says no here; running
    /// the script then reports it.
    private func clientAbortsSourceOnError() throws -> Bool {
        let output: String
        do {
            output = try runner.run(ProcessCommand(target.client, ["--version"], output: .capture, error: .capture),
                                    sqitch: sqitch).standardOutput
        } catch {
            return false
        }
        let first = output.split(separator: "\n").first.map(String.init) ?? ""
        guard first.lowercased().contains("mariadb") else { return false }
        let words = first.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let index = words.firstIndex(where: { $0 == "Ver" || $0 == "client" }), index + 1 < words.count
        else { return false }
        let parts = words[index + 1].split(separator: ".", omittingEmptySubsequences: false).map { Int($0.prefix { $0.isNumber }) ?? 0 }
        let major = parts.first ?? 0
        let patch = parts.count > 2 ? parts[2] : 0
        return major > 5 || (major == 5 && patch >= 66)
    }

    /// `SET @"k" = 'v', ...;` and a newline, sorted by name (`"` doubled in names, `'` in
    /// values, as Sqitch does, and backslashes doubled in both, which Sqitch does not: a
    /// value ending in a backslash would otherwise end its literal early and run the rest of
    /// the value as SQL); empty without variables.
    public static func variablePrefix(_ variables: [(name: String, value: String)]) -> String {
        guard !variables.isEmpty else { return "" }
        let sets = variables.sorted { $0.name < $1.name }.map { name, value in
            let quotedName = name.replacingEvery("\\", with: "\\\\").replacingEvery("\"", with: "\"\"")
            return "@\"\(quotedName)\" = \(Registry.literal(value, backslashEscapes: true))"
        }
        return "SET " + sets.joined(separator: ", ") + ";\n"
    }

    /// The password reaches the client through `MYSQL_PWD` too, as Sqitch passes it.
    private var clientEnvironment: [String: String?] { password.map { ["MYSQL_PWD": $0] } ?? [:] }

    public func checkClient() throws {}

    /// `<client> ... --execute "<SET prefix>source <path>"`.
    public func scriptCommand(path: String, variables: [(name: String, value: String)]) throws -> ProcessCommand {
        let argv = try clientArguments()
        return ProcessCommand(argv[0], Array(argv.dropFirst()) + ["--execute", MySQLEngine.variablePrefix(variables) + "source \(path)"],
                              environment: clientEnvironment)
    }

    /// `<client> ...` with the SET prefix and `sql` on standard input.
    public func inputCommand(_ sql: String, variables: [(name: String, value: String)]) throws -> ProcessCommand {
        let argv = try clientArguments()
        return ProcessCommand(argv[0], Array(argv.dropFirst()), environment: clientEnvironment,
                              input: MySQLEngine.variablePrefix(variables) + sql)
    }

    /// Registry DDL through the client against the registry database, on standard input
    /// (Sqitch sources its installed file); as Sqitch, without `MYSQL_PWD`.
    private func runRegistrySQL(_ sql: String, recording record: ReleaseRecord?) throws {
        var argv = try clientArguments()
        if let index = argv.firstIndex(of: "--database"), index > 0 {
            argv[index + 1] = target.registry
        } else {
            argv += ["--database", target.registry]
        }
        let connection = try registryConnection()
        var script = sql
        if let record {
            script = Registry.script(sql, recording: record, table: "releases", dialect: dialect) {
                Registry.literal($0, backslashEscapes: true)
            }
        }
        let adapted = MySQLRegistrySchema.adapted(script, serverVersion: connection.serverVersion,
                                                  fractionalSeconds: fractionalSeconds)
        try runner.run(ProcessCommand(argv[0], Array(argv.dropFirst()), input: adapted), sqitch: sqitch)
    }

    // MARK: Registry

    /// True when the registry database has a `changes` table; false when the database
    /// does not exist.
    /// The target's database, found by connecting to it: when it is not there, the client
    /// fails on the first script (`ERROR 1049 (42000): Unknown database`).
    public func targetDatabaseState() throws -> TargetDatabaseState {
        guard let name = uri.dbname, !name.isEmpty else { return .present }
        do {
            _ = try MySQLConnection(connectionParameters(database: name))
            return .present
        } catch let error as EngineError where error.databaseCode == "1049" {
            return .missing("Unknown database '\(name)'")
        }
    }

    public func registryExists() throws -> Bool {
        do {
            let query = dialect.initializedQuery(registry: target.registry)
            return Registry.isTrue(try registryConnection().query(query.sql, query.parameters).first?[0])
        } catch let error as EngineError where error.databaseCode == "1049" {
            return false
        }
    }

    /// Creates the registry database through the client (`CREATE DATABASE IF NOT EXISTS`
    /// in ANSI mode), runs the release 1.1 DDL in it, and adds `checkit()` (servers 5.5
    /// and later; a server that refuses it for lack of privilege gets a warning).
    public func createRegistry(recording record: ReleaseRecord?) throws {
        if try registryExists() {
            throw EngineError("Sqitch database \(target.registry) already initialized")
        }
        let argv = try clientArguments()
        try runner.run(ProcessCommand(
            argv[0], Array(argv.dropFirst()) + [
                "--execute", "SET sql_mode = ansi; CREATE DATABASE IF NOT EXISTS \"\(target.registry)\"",
            ], environment: clientEnvironment), sqitch: sqitch)
        try runRegistrySQL(MySQLRegistrySchema.create, recording: record)
        let connection = try registryConnection()
        if connection.serverVersion >= 50500 {
            do {
                try connection.execute(MySQLRegistrySchema.checkit)
            } catch let error as EngineError where error.databaseCode == "1419" {
                sqitch.console.warn("Insufficient permissions to create the checkit() function; skipping.")
            }
        }
    }

    public var upgrades: [RegistryUpgrade] { MySQLRegistrySchema.upgrades }

    public func runUpgrade(_ upgrade: RegistryUpgrade, recording record: ReleaseRecord?) throws {
        try runRegistrySQL(upgrade.script, recording: record)
    }

    /// `MAX(version)` of `releases`, or `0` without the table or the registry database.
    public func registryRelease() throws -> RegistryRelease {
        do {
            guard let text = try registryConnection().query(dialect.versionQuery).first?[0].text else { return .none }
            return RegistryRelease(text) ?? .none
        } catch let error as EngineError where dialect.isNoTableError(error) {
            return .none
        }
    }

    // MARK: Lock

    /// `sqitch working on <database>`.
    public var lockName: String { "sqitch working on " + (uri.dbname ?? "") }

    /// `get_lock` without waiting. The lock lives on the registry connection; while there
    /// is no registry, on a connection to no database, held for the rest of the run, and
    /// the registry is created once the lock is taken, so that runs started at once on a
    /// new target do not race to create it (Sqitch creates it before locking, and all but
    /// one of such runs die on `Table 'releases' already exists`).
    public func tryLock() throws -> Bool { try lock(timeout: 0) }

    /// `get_lock` waiting up to `timeout` seconds on the server.
    public func waitLock(timeout: Int) throws -> Bool { try lock(timeout: timeout) }

    private func lock(timeout: Int) throws -> Bool {
        let query = "SELECT get_lock(?, ?)"
        let parameters: [DatabaseValue] = [.text(lockName), .integer(Int64(timeout))]
        if lockConnection == nil, try registryExists() {
            return Registry.isTrue(try registryConnection().query(query, parameters).first?[0])
        }
        let holder = try lockConnection ?? serverConnection()
        lockConnection = holder
        guard Registry.isTrue(try holder.query(query, parameters).first?[0]) else { return false }
        if try !registryExists() {
            let user = try Identity.resolve(sqitch)
            try createRegistry(recording: ReleaseRecord(.current, name: user.name, email: user.email))
        }
        return true
    }

    /// A connection to the server alone (no database), as the registry connection's user.
    private func serverConnection() throws -> MySQLConnection {
        try MySQLConnection(connectionParameters(database: nil))
    }

    /// The URI's host, port and `mysql_socket`, with the user and password.
    private func connectionParameters(database: String?) -> MySQLConnection.Parameters {
        let uri = self.uri
        return .init(
            host: uri.host.flatMap { $0.isEmpty ? nil : $0 }, port: uri.explicitPort.flatMap { Int($0) },
            user: username, password: password, database: database,
            socket: uri.queryParameters.last { $0.name == "mysql_socket" }?.value)
    }
}

/// The `user` and `password` that the MySQL option files give the `[client]` and `[mysql]`
/// groups (`/etc/my.cnf`, `/etc/mysql/my.cnf`, `~/.my.cnf`, later files winning), as
/// Sqitch reads them through MySQL::Config.
public struct MySQLOptionFile: Sendable, Equatable {
    public var user: String?
    public var password: String?

    public init(user: String? = nil, password: String? = nil) {
        self.user = user
        self.password = password
    }

    static func load(home: String?) -> MySQLOptionFile {
        var paths = ["/etc/my.cnf", "/etc/mysql/my.cnf"]
        if let home, !home.isEmpty { paths.append(home + "/.my.cnf") }
        var result = MySQLOptionFile()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            result.merge(parse(String(decoding: data, as: UTF8.self)))
        }
        return result
    }

    mutating func merge(_ other: MySQLOptionFile) {
        if let user = other.user { self.user = user }
        if let password = other.password { self.password = password }
    }

    /// The `user` and `password` of the `[client]` and `[mysql]` groups of one file.
    public static func parse(_ text: String) -> MySQLOptionFile {
        var result = MySQLOptionFile()
        var inGroup = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimming(.whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") || line.hasPrefix("!") { continue }
            if line.hasPrefix("[") {
                let group = line.dropFirst().prefix { $0 != "]" }.trimming(.whitespaces).lowercased()
                inGroup = group == "client" || group == "mysql"
                continue
            }
            guard inGroup else { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimming(.whitespaces) }
            var value = parts.count > 1 ? parts[1] : ""
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            switch parts[0].lowercased().replacingEvery("_", with: "-") {
            case "user": result.user = value
            case "password": result.password = value
            default: break
            }
        }
        return result
    }
}
