import FoundationEssentials

/// The options every command that connects to a database accepts (Sqitch's
/// ConnectingCommand and ContextCommand): the target, the `--db-*` URI overrides,
/// `--registry`, `--client`, `--plan-file` and the deprecated `--top-dir`.
public struct ConnectionOptions: Sendable, Equatable {
    /// `--target|-t`.
    public var target: String?
    public var registry: String?
    public var client: String?
    public var dbName: String?
    public var dbUser: String?
    public var dbHost: String?
    public var dbPort: String?
    public var planFile: String?
    public var topDir: String?

    public init(target: String? = nil, registry: String? = nil, client: String? = nil, dbName: String? = nil,
                dbUser: String? = nil, dbHost: String? = nil, dbPort: String? = nil, planFile: String? = nil,
                topDir: String? = nil) {
        self.target = target
        self.registry = registry
        self.client = client
        self.dbName = dbName
        self.dbUser = dbUser
        self.dbHost = dbHost
        self.dbPort = dbPort
        self.planFile = planFile
        self.topDir = topDir
    }

    /// The overrides handed to every target the command resolves.
    public var overrides: TargetOverrides {
        TargetOverrides(user: dbUser, host: dbHost, port: dbPort, dbname: dbName, registry: registry,
                        client: client, topDir: topDir, planFile: planFile)
    }

    /// Reads the connecting and context options out of Getopt's result (`target`,
    /// `registry`, `client`, `db-*`, `plan-file`, `top-dir`); other options are ignored.
    public init(_ parsed: Getopt.Result) {
        self.init()
        for (name, value) in parsed.options {
            let text: String
            switch value {
            case .text(let t): text = t
            case .integer(let n): text = String(n)
            default: continue
            }
            switch name {
            case "target": target = text
            case "registry": registry = text
            case "client": client = text
            case "db-name": dbName = text
            case "db-user": dbUser = text
            case "db-host": dbHost = text
            case "db-port": dbPort = text
            case "plan-file": planFile = text
            case "top-dir": topDir = text
            default: break
            }
        }
    }
}

/// Builds the engine for a target's engine key.
public enum EngineFactory {
    /// The engine for `target`: SQLite, PostgreSQL or MySQL; other engines fail with Sqitch's
    /// `Unknown engine: {engine}` until sqlitch drives them.
    public static func engine(for target: Target, sqitch: Sqitch, runner: ProcessRunner = SpawnRunner()) throws -> Engine {
        switch target.engine {
        case SQLiteEngine.key: return SQLiteEngine(sqitch: sqitch, target: target, runner: runner)
        case PostgresEngine.key: return PostgresEngine(sqitch: sqitch, target: target, runner: runner)
        case MySQLEngine.key: return MySQLEngine(sqitch: sqitch, target: target, runner: runner)
        default: throw EngineError("Unknown engine: \(target.engine)")
        }
    }
}

/// A command's connection to one target: the target, its engine, its plan (read on first
/// use), the project's registry, and the settings of this run (`--log-only`, `--verify`,
/// `--lock-timeout`, client variables). The engine algorithms (deploy, revert, rebase)
/// are methods on it; `status`, `log`, `verify` and `check` read through `registry()`.
public final class EngineSession {
    public let sqitch: Sqitch
    public let target: Target
    public let engine: Engine

    /// Skip running scripts; only record (`--log-only`).
    public var logOnly = false
    /// Run each change's verify script after deploying it (`--verify`).
    public var withVerify = false
    /// Seconds to wait for the destination lock (`--lock-timeout`).
    public var lockTimeout = EngineSession.defaultLockTimeout
    /// Client variables for the scripts (engines that have them), lowest first.
    public var variables: [(name: String, value: String)] = []

    /// Sqitch's `default_lock_timeout`.
    public static let defaultLockTimeout = 60

    private var loadedPlan: Plan?
    private var identity: Identity?
    private var locked = false

    public init(sqitch: Sqitch, target: Target, engine: Engine) {
        self.sqitch = sqitch
        self.target = target
        self.engine = engine
    }

    /// A session for `target` with the engine `EngineFactory` builds for it.
    public convenience init(sqitch: Sqitch, target: Target, runner: ProcessRunner = SpawnRunner()) throws {
        self.init(sqitch: sqitch, target: target, engine: try EngineFactory.engine(for: target, sqitch: sqitch, runner: runner))
    }

    /// What a connecting command's arguments resolved to.
    public struct Connection {
        public var session: EngineSession
        /// Positional arguments that are changes in the target's plan, in order.
        public var changes: [String]
    }

    /// Resolves a connecting command's target and change arguments as Sqitch's
    /// `parse_args` does (`--target`, positional targets, engines, plan files, changes) and
    /// opens a session on the first target, warning
    /// `Too many targets specified; connecting to {target}` when there are more.
    /// Prints the `--top-dir` deprecation warning first.
    public static func connect(
        sqitch: Sqitch, command: String, arguments: [String], options: ConnectionOptions,
        noChanges: Bool = false, runner: ProcessRunner = SpawnRunner()
    ) throws -> Connection {
        if let topDir = Perl.truthy(options.topDir) {
            sqitch.console.warn(
                "  Option --top-dir is deprecated for \(command) and other non-configuration commands.\n  Use --chdir instead.")
        }
        // When the target is certain before the arguments are sorted (which may read the
        // plan), its registry connection starts opening now.
        let early = Target.certainFirstTarget(
            sqitch: sqitch, arguments: arguments, target: options.target, overrides: options.overrides
        ).flatMap { try? EngineFactory.engine(for: $0, sqitch: sqitch, runner: runner) }
        early?.prefetchRegistryConnection()
        let plans = PlanCache(sqitch: sqitch)
        let parsed = try Target.parseArguments(
            sqitch: sqitch, command: command, arguments: arguments, target: options.target,
            noChanges: noChanges, overrides: options.overrides
        ) { target, argument in
            // Sqitch's `contains`: the first instance of a reworked name, no ambiguity error.
            try plans.contains(argument, in: target)
        }
        guard let target = parsed.targets.first else {
            throw TargetError("No engine specified; specify via target or core.engine")
        }
        if parsed.targets.count > 1 {
            sqitch.console.warn("Too many targets specified; connecting to \(target.name)")
        }
        let session: EngineSession
        if let early, early.target.name == target.name, early.target.uri == target.uri,
           early.target.registry == target.registry, early.target.client == target.client {
            session = EngineSession(sqitch: sqitch, target: target, engine: early)
        } else {
            session = try EngineSession(sqitch: sqitch, target: target, runner: runner)
        }
        // Every connecting command uses the registry, most of them after reading the plan.
        session.engine.prefetchRegistryConnection()
        session.loadedPlan = plans.loaded(target)
        return Connection(session: session, changes: parsed.changes)
    }

    /// The target's plan, read on first use.
    public func plan() throws -> Plan {
        // Read for the arguments without IDs: they are computed on first use, in place (a
        // copy would duplicate every change).
        if loadedPlan?.hasIDs == false { loadedPlan?.reindex() }
        if let loadedPlan { return loadedPlan }
        let plan = try Plan.load(path: target.planFile, sqitch: sqitch)
        loadedPlan = plan
        return plan
    }

    /// Replaces the plan the session works from (`checkout` deploys another branch's plan).
    public func use(plan: Plan) { loadedPlan = plan }

    /// Lets go of the plan read for the arguments, for a command that reads no more of it
    /// (`log`): a large plan then does not add to the memory the registry's rows take.
    public func releasePlan() { loadedPlan = nil }

    /// The project's registry over the engine's bookkeeping connection.
    public func registry() throws -> Registry {
        try Registry(engine: engine, project: try plan().project)
    }

    /// The user recorded as committer (`user.name`, `user.email` and friends), resolved once.
    public func user() throws -> Identity {
        if let identity { return identity }
        let resolved = try Identity.resolve(sqitch)
        identity = resolved
        return resolved
    }

    /// Where changes go, as messages show it.
    public var destination: String { engine.destination }

    /// Takes the engine's destination lock once per session (Sqitch's `lock_destination`):
    /// at once when it is free; otherwise says who blocks and waits up to `lockTimeout`
    /// seconds, then fails.
    public func lockDestination() throws {
        guard !locked else { return }
        if try !engine.tryLock() {
            sqitch.console.info(
                "Blocked by another instance of Sqitch working on \(destination); waiting \(lockTimeout) seconds...")
            guard try engine.waitLock(timeout: lockTimeout) else {
                throw EngineError("Timed out waiting \(lockTimeout) seconds for another instance of Sqitch to finish work on \(destination)")
            }
        }
        locked = true
    }

    /// Client variables for a command, merged lowest first: `core.variables`, then the
    /// given configuration sections (`deploy.variables`, ...), the target's (engine and
    /// target variables), then `overrides` (`--set`). Names compare case-insensitively.
    public func collectVariables(sections: [String], overrides: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var merged: [String: (String, String)] = [:]
        let config = sqitch.config
        for section in ["core.variables"] + sections {
            for (name, value) in config.section(section) { merged[name.lowercased()] = (name, value) }
        }
        for (name, value) in target.variables { merged[name.lowercased()] = (name, value) }
        for (name, value) in overrides { merged[name.lowercased()] = (name, value) }
        return merged.values.sorted { $0.0 < $1.0 }.map { (name: $0.0, value: $0.1) }
    }

    // MARK: Registry checks

    /// Fails unless the registry is at the current release (Sqitch's `_check_registry`):
    /// `No registry found in ...`, or a version mismatch.
    public func checkRegistry() throws {
        let installed = try engine.registryRelease()
        let initialized = installed == .current ? true : try engine.registryExists()
        if let error = RegistryUpgradePlan.checkError(
            installed: installed, initialized: initialized, destination: engine.registryDestination) {
            throw error
        }
    }

    /// Brings an older registry to the current release, announcing each step
    /// (Sqitch's `upgrade_registry`); nothing when it is current.
    public func upgradeRegistry() throws {
        let installed = try engine.registryRelease()
        guard installed != .current else { return }
        let steps = try RegistryUpgradePlan.steps(from: installed, available: engine.upgrades, engine: engine.key)
        sqitch.console.info(RegistryUpgradePlan.banner(from: installed))
        var old = installed
        let user = try self.user()
        for step in steps {
            sqitch.console.info(RegistryUpgradePlan.stepLine(from: old, to: step.release))
            try engine.runUpgrade(step, recording: ReleaseRecord(step.release, name: user.name, email: user.email))
            old = step.release
        }
    }

    /// Creates the registry (`Adding registry tables to {registry}` first) and records the
    /// current release.
    public func initializeRegistry() throws {
        sqitch.console.info("Adding registry tables to \(engine.registryDestination)")
        let user = try self.user()
        try engine.createRegistry(recording: ReleaseRecord(.current, name: user.name, email: user.email))
    }

    // MARK: Script files

    /// The path of one of `change`'s scripts (`deploy`, `revert`, `verify`), relative to
    /// the working directory as configured; reworked instances use the reworked dirs.
    public func scriptPath(_ kind: String, of change: Change) -> String {
        scriptPath(kind, of: change, exists: sqitch.files.exists)
    }

    /// The same, with `exists` saying which files are there.
    func scriptPath(_ kind: String, of change: Change, exists: (String) -> Bool) -> String {
        let directory: String
        let reworked: String
        switch kind {
        case "deploy": (directory, reworked) = (target.deployDir, target.reworkedDeployDir)
        case "revert": (directory, reworked) = (target.revertDir, target.reworkedRevertDir)
        default: (directory, reworked) = (target.verifyDir, target.reworkedVerifyDir)
        }
        return change.scriptPath(directory: directory, reworkedDirectory: reworked,
                                 reworkedDeployDirectory: target.reworkedDeployDir,
                                 extension: target.extension, exists: exists)
    }

    /// The SHA-1 of the change's deploy script, or nil without one (`script_hash`).
    public func scriptHash(of change: Change) -> String? {
        PlanIDs.scriptHash(path: scriptPath("deploy", of: change), files: sqitch.files)
    }
}
