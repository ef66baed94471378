/// `upgrade`: brings a target's registry to the current release by running the engine's
/// upgrade scripts in order, recording each release (Sqitch's `Command::upgrade` and
/// `Engine::upgrade_registry`).
public struct UpgradeAction {
    public var target: String?
    /// `--registry`, `--client`, `--db-*`.
    public var overrides: TargetOverrides
    public let runner: ProcessRunner

    public init(target: String? = nil, overrides: TargetOverrides = TargetOverrides(), runner: ProcessRunner = SpawnRunner()) {
        self.target = target
        self.overrides = overrides
        self.runner = runner
    }

    /// Runs the command over its positional arguments (targets only).
    public func execute(_ sqitch: Sqitch, arguments: [String]) throws {
        let parsed = try Target.parseArguments(
            sqitch: sqitch, command: "upgrade", arguments: arguments, target: target, noChanges: true,
            overrides: overrides, isChange: { _, _ in false })
        guard let target = parsed.targets.first else {
            throw SqitchError("upgrade", "No project configuration found. Run the \"init\" command to initialize a project")
        }
        if parsed.targets.count > 1 {
            sqitch.console.warn("Too many targets specified; using \(target.name)")
        }
        let engine = try VerifyAction.makeEngine(sqitch: sqitch, target: target, runner: runner)
        let upgrades: [RegistryUpgrade]
        switch engine {
        case is SQLiteEngine: upgrades = SQLiteRegistrySchema.upgrades
        default: upgrades = []
        }
        try RegistryUpgrader(sqitch: sqitch, engine: engine, available: upgrades).run()
    }
}

/// Upgrades one engine's registry: reports it up to date, or runs each missing step.
public struct RegistryUpgrader {
    public let sqitch: Sqitch
    public let engine: any Engine
    /// The engine's upgrade scripts, any order.
    public let available: [RegistryUpgrade]

    public init(sqitch: Sqitch, engine: any Engine, available: [RegistryUpgrade]) {
        self.sqitch = sqitch
        self.engine = engine
        self.available = available
    }

    /// `Upgrading registry {registry} to version {version}` and the steps, or
    /// `Registry {registry} is up-to-date at version {version}`.
    public func run() throws {
        let reader = RegistryChangeQueries(connection: try engine.registry(), dialect: engine.dialect, project: "")
        let installed = try reader.registryVersion()
        let destination = engine.registryDestination
        if installed == .current {
            sqitch.console.info("Registry \(destination) is up-to-date at version \(RegistryRelease.current)")
            return
        }
        sqitch.console.info("Upgrading registry \(destination) to version \(RegistryRelease.current)")
        try upgrade(from: installed)
    }

    /// Sqitch's `upgrade_registry` from `installed`: the banner, then per script
    /// `  * From {old} to {new}`, the script and the recorded release.
    public func upgrade(from installed: RegistryRelease) throws {
        let steps = try RegistryUpgradePlan.steps(from: installed, available: available, engine: type(of: engine).key)
        sqitch.console.info(RegistryUpgradePlan.banner(from: installed))
        var old = installed
        for step in steps {
            sqitch.console.info(RegistryUpgradePlan.stepLine(from: old, to: step.release))
            try engine.runUpgrade(step)
            let identity = try Identity.resolve(sqitch)
            try Registry.recordRelease(step.release, installerName: identity.name, installerEmail: identity.email,
                                       connection: try engine.registry(), dialect: engine.dialect)
            old = step.release
        }
    }
}
