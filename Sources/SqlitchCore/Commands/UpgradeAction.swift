/// `upgrade`: brings a target's registry to the current release by running the engine's
/// upgrade scripts in order, recording each release (Sqitch's `Command::upgrade` and
/// `Engine::upgrade_registry`).
public struct UpgradeAction {
    /// `--target`, `--registry`, `--client`, `--db-*`.
    public var connection: ConnectionOptions
    public let runner: ProcessRunner

    public init(connection: ConnectionOptions = ConnectionOptions(), runner: ProcessRunner = SpawnRunner()) {
        self.connection = connection
        self.runner = runner
    }

    /// Runs the command over its positional arguments (targets only).
    public func execute(_ sqitch: Sqitch, arguments: [String]) throws {
        let parsed = try Target.parseArguments(
            sqitch: sqitch, command: "upgrade", arguments: arguments, target: connection.target, noChanges: true,
            overrides: connection.overrides, isChange: { _, _ in false })
        guard let target = parsed.targets.first else {
            throw TargetError("No engine specified; specify via target or core.engine")
        }
        if parsed.targets.count > 1 {
            sqitch.console.warn("Too many targets specified; using \(target.name)")
        }
        let session = try EngineSession(sqitch: sqitch, target: target, runner: runner)
        try RegistryUpgrader(session: session).run()
    }
}

/// Upgrades one target's registry: reports it up to date, or runs each missing step.
public struct RegistryUpgrader {
    public let session: EngineSession

    public init(session: EngineSession) {
        self.session = session
    }

    /// `Upgrading registry {registry} to version {version}` and the steps, or
    /// `Registry {registry} is up-to-date at version {version}`.
    public func run() throws {
        let engine = session.engine
        let installed = try engine.registryRelease()
        let destination = engine.registryDestination
        if installed == .current {
            session.sqitch.console.info("Registry \(destination) is up-to-date at version \(RegistryRelease.current)")
            return
        }
        session.sqitch.console.info("Upgrading registry \(destination) to version \(RegistryRelease.current)")
        try session.upgradeRegistry()
    }
}
