/// Options that override what a target reads from its URI and the configuration:
/// `--db-user/--db-host/--db-port/--db-name`, `--registry`, `--client`, and the
/// `--top-dir`/`--plan-file` of plan and connecting commands.
public struct TargetOverrides: Sendable, Equatable {
    public var user: String?
    public var host: String?
    public var port: String?
    public var dbname: String?
    public var registry: String?
    public var client: String?
    public var topDir: String?
    public var planFile: String?

    public init(user: String? = nil, host: String? = nil, port: String? = nil, dbname: String? = nil,
                registry: String? = nil, client: String? = nil, topDir: String? = nil, planFile: String? = nil) {
        self.user = user
        self.host = host
        self.port = port
        self.dbname = dbname
        self.registry = registry
        self.client = client
        self.topDir = topDir
        self.planFile = planFile
    }
}

/// A deployment target: a name, a database URI, and every setting resolved
/// `target.<name>.<key>` -> `engine.<engine>.<key>` -> `core.<key>` (Sqitch's Target).
public struct Target: Sendable {
    /// The target's name, or for a URI target the URI without its password.
    public let name: String
    /// The URI with any `--db-*` overrides applied (password included).
    public let uri: DatabaseURI
    /// The canonical engine key (`pg`, `sqlite`, `mysql`, ...).
    public let engine: String
    public let topDir: String
    public let planFile: String
    public let deployDir: String
    public let revertDir: String
    public let verifyDir: String
    public let reworkedDir: String
    public let reworkedDeployDir: String
    public let reworkedRevertDir: String
    public let reworkedVerifyDir: String
    public let `extension`: String
    public let registry: String
    public let client: String
    /// `engine.<engine>.variables.*` overlaid by `target.<name>.variables.*`, sorted by name.
    public let variables: [(name: String, value: String)]
    /// `$SQITCH_USERNAME` or the URI's user.
    public let username: String?
    /// `$SQITCH_PASSWORD` or the URI's password.
    public let password: String?

    /// Engines Sqitch knows, in its order.
    public static let engines = ["pg", "sqlite", "mysql", "oracle", "firebird", "vertica", "exasol",
                                 "snowflake", "cockroach", "clickhouse"]

    /// The client program each engine runs when none is configured.
    public static let defaultClients: [String: String] = [
        "pg": "psql", "sqlite": "sqlite3", "mysql": "mysql", "oracle": "sqlplus", "firebird": "isql-fb",
        "vertica": "vsql", "exasol": "exaplus", "snowflake": "snowsql", "cockroach": "psql",
        "clickhouse": "clickhouse",
    ]

    /// Resolves a target the way Sqitch does: `name` (a target name or a URI) or, when nil,
    /// `$SQITCH_TARGET`, `core.target`, `engine.<core.engine>.target`, `db:<core.engine>:`.
    public init(sqitch: Sqitch, name: String? = nil, overrides: TargetOverrides = TargetOverrides()) throws {
        try self.init(config: sqitch.config, environment: sqitch.environment, name: name, uri: nil,
                      overrides: overrides)
    }

    /// The target whose plan and scripts a command reads without connecting (`show`): `name`,
    /// else the default target; without `core.engine` and `core.target`, Sqitch's default is
    /// the engineless `db:`, whose paths come from `core.*` alone.
    public static func forPlan(sqitch: Sqitch, name: String?, overrides: TargetOverrides = TargetOverrides()) throws -> Target {
        if name == nil, Perl.truthy(try sqitch.config.get("core.engine")) == nil,
           Perl.truthy(try sqitch.config.get("core.target")) == nil {
            // A stand-in engine: only the paths matter. (They also read `engine.sqlite.*`,
            // which Sqitch's engineless target does not: a project with such keys and no
            // `core.engine` is the one case where the two could differ.)
            return try Target(sqitch: sqitch, uri: DatabaseURI("db:sqlite:"), overrides: overrides)
        }
        return try Target(sqitch: sqitch, name: name, overrides: overrides)
    }

    /// A target for a URI given directly (its name is the URI without password).
    public init(sqitch: Sqitch, uri: DatabaseURI, overrides: TargetOverrides = TargetOverrides()) throws {
        try self.init(config: sqitch.config, environment: sqitch.environment, name: nil, uri: uri,
                      overrides: overrides)
    }

    /// The same resolution over an explicit configuration and environment.
    public init(config: ConfigStack, environment: Environment, name: String? = nil, uri givenURI: DatabaseURI? = nil,
                overrides: TargetOverrides = TargetOverrides()) throws {
        var resolvedName: String?
        var uri: DatabaseURI
        if let givenURI {
            uri = givenURI
            resolvedName = name.flatMap { $0.isEmpty ? nil : $0 }
        } else {
            var name = name.flatMap { $0.isEmpty ? nil : $0 } ?? environment.nonEmpty("SQITCH_TARGET")
            if name == nil {
                if let core = Perl.truthy(try config.get("core.target")) {
                    name = core
                } else {
                    guard var engine = Perl.truthy(try config.get("core.engine")) else {
                        if config.localFile != nil {
                            throw TargetError("No engine specified; specify via target or core.engine")
                        }
                        throw TargetError("No project configuration found. Run the \"init\" command to initialize a project")
                    }
                    while let last = engine.last, last.isWhitespace { engine.removeLast() }
                    name = Perl.truthy(try config.get("engine.\(engine).target")) ?? "db:\(engine):"
                }
            }
            let chosen = name!
            let uriText: String
            if chosen.contains(":") {
                uriText = chosen
            } else {
                resolvedName = chosen
                guard let text = Perl.truthy(try config.get("target.\(chosen).uri")) else {
                    if config.section("target.\(chosen)").isEmpty {
                        throw TargetError("Cannot find target \"\(chosen)\"")
                    }
                    throw TargetError("No URI associated with target \"\(chosen)\"")
                }
                uriText = text
            }
            uri = DatabaseURI(uriText)
        }
        guard let engine = uri.canonicalEngine else {
            throw TargetError("No engine specified by URI \(uri); URI must start with \"db:$engine:\"")
        }
        if givenURI == nil {
            // Sqitch edits only URIs it resolved itself; a URI handed over is used as is.
            uri = uri.overriding(user: overrides.user, host: overrides.host, port: overrides.port,
                                 dbname: overrides.dbname)
        }
        let name = resolvedName ?? uri.withoutPassword.description
        self.name = name
        self.uri = uri
        self.engine = engine

        var given: [String: String] = [:]
        if let top = Perl.truthy(overrides.topDir) { given["top_dir"] = Target.canonicalPath(top) }
        if let plan = Perl.truthy(overrides.planFile) { given["plan_file"] = Target.filePath(plan) }
        if let registry = Perl.truthy(overrides.registry) { given["registry"] = registry }
        if let client = Perl.truthy(overrides.client) { given["client"] = client }
        let settings = try TargetSettings(config: config, name: name, engine: engine, given: given)
        topDir = settings.topDir
        planFile = settings.planFile
        reworkedDir = settings.reworkedDir
        deployDir = settings.deployDir
        revertDir = settings.revertDir
        verifyDir = settings.verifyDir
        reworkedDeployDir = settings.reworkedDeployDir
        reworkedRevertDir = settings.reworkedRevertDir
        reworkedVerifyDir = settings.reworkedVerifyDir
        `extension` = settings.extension
        registry = settings.registry
        client = settings.client
        var merged: [String: (String, String)] = [:]
        for section in ["engine.\(engine).variables", "target.\(name).variables"] {
            for (key, value) in config.section(section) { merged[key.lowercased()] = (key, value) }
        }
        variables = merged.values.sorted { $0.0 < $1.0 }.map { (name: $0.0, value: $0.1) }
        username = environment.nonEmpty("SQITCH_USERNAME") ?? uri.user.flatMap(Perl.truthy)
        password = environment.nonEmpty("SQITCH_PASSWORD") ?? uri.password.flatMap(Perl.truthy)
    }

    /// Fails with `Unknown engine: {engine}` unless sqlitch can drive this target's engine.
    public func requireSupportedEngine(_ supported: [String] = ["pg", "sqlite", "mysql"]) throws {
        guard supported.contains(engine) else {
            throw EngineError("Unknown engine: \(engine)")
        }
    }

    // MARK: Destinations

    /// How Sqitch names the database in messages (`Deploying changes to {destination}`):
    /// the target name, or the URI without password. PostgreSQL URI targets without a
    /// database name show `$PGDATABASE`, the user name, `$PGUSER` or the system user
    /// (`systemUser`, else `$SQITCH_ORIG_SYSUSER` or `$USER`).
    public func destination(environment: Environment, systemUser: String? = nil) -> String {
        if !name.contains(":") { return name }
        if engine == "pg" {
            if let db = uri.dbname, Perl.truthy(db) != nil { return name }
            var shown = uri.withoutPassword
            shown.dbname = environment.nonEmpty("PGDATABASE") ?? username ?? environment.nonEmpty("PGUSER")
                ?? systemUser ?? environment.nonEmpty("SQITCH_ORIG_SYSUSER") ?? environment.nonEmpty("USER") ?? ""
            return shown.description
        }
        return uri.withoutPassword.description
    }

    /// The URI of the registry: SQLite's separate file, MySQL's registry database, or the
    /// target's own URI for other engines.
    public var registryURI: DatabaseURI {
        switch engine {
        case "sqlite": return Target.sqliteRegistryURI(uri, registry: registry)
        case "mysql":
            var copy = uri
            copy.dbname = registry
            return copy
        default: return uri
        }
    }

    /// Where the registry lives, as shown in registry messages (`Adding registry tables to`,
    /// `No registry found in`, upgrade messages).
    public func registryDestination(environment: Environment, systemUser: String? = nil) -> String {
        switch engine {
        case "sqlite", "mysql": return registryURI.withoutPassword.description
        default: return destination(environment: environment, systemUser: systemUser)
        }
    }

    /// SQLite's registry file rule: an absolute registry is used as is; otherwise the file
    /// sits beside the database, named `<registry>` when the registry has a dot or the
    /// database name has none, else `<registry>.<everything after the first dot>`.
    static func sqliteRegistryURI(_ uri: DatabaseURI, registry: String) -> DatabaseURI {
        var copy = uri
        if registry.hasPrefix("/") {
            copy.dbname = registry
            return copy
        }
        let rawPath = uri.path
        guard !rawPath.isEmpty else {
            copy.dbname = nil
            return copy
        }
        var segments = rawPath.split(separator: "/", omittingEmptySubsequences: false).map {
            DatabaseURI.unescape(String($0))
        }
        let base = segments[segments.count - 1]
        if registry.contains(".") || !base.contains(".") {
            segments[segments.count - 1] = registry
        } else {
            let dot = base.firstIndex(of: ".")!
            segments[segments.count - 1] = registry + base[dot...]
        }
        let escaped = segments.map {
            $0.replacingEvery("%", with: "%25").replacingEvery(";", with: "%3B")
                .replacingEvery("/", with: "%2F")
        }
        copy.setRawPath(escaped.joined(separator: "/"))
        return copy
    }

    // MARK: Helpers

    /// Perl truth for a configuration value: nil, "" and "0" are false.
    /// A path tidied as Path::Class prints it: repeated and trailing slashes and `.`
    /// components removed (`./db/` -> `db`), `.` for nothing.
    public static func canonicalPath(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        let parts = path.split(separator: "/").filter { $0 != "." }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// A file path as Path::Class's `file` prints it: the directory part tidied like
    /// `canonicalPath`, the file name kept, so `./my.plan` stays `./my.plan` but
    /// `./db/my.plan` becomes `db/my.plan`.
    public static func filePath(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        let dir = String(path[..<slash])
        let file = path[path.index(after: slash)...]
        let tidied = dir.isEmpty ? "/" : canonicalPath(dir)
        return (tidied.hasSuffix("/") ? tidied : tidied + "/") + file
    }

    /// `dir`/`name`, tidied (`.` + `deploy` -> `deploy`).
    public static func join(_ dir: String, _ name: String) -> String {
        canonicalPath(dir + "/" + name)
    }
}
