/// The options `verify` and `check` share, as parsed by the CLI.
public struct VerifyOptions: Sendable, Equatable {
    public var target: String?
    public var fromChange: String?
    public var toChange: String?
    /// `--set k=v`, in order (later wins).
    public var variables: [String] = []
    /// `--registry`, `--client`, `--db-*`, `--plan-file`, `--top-dir`.
    public var overrides = TargetOverrides()

    public init() {}
}

/// `verify` and `check`: resolve the target, warn about extra arguments, collect the client
/// variables and run the engine's verification (Sqitch's `Command::verify`/`Command::check`).
public struct VerifyAction {
    /// `verify` or `check`.
    public enum Kind: String, Sendable {
        case verify, check
    }

    public let kind: Kind
    public let options: VerifyOptions
    public let runner: ProcessRunner

    public init(_ kind: Kind, options: VerifyOptions, runner: ProcessRunner = SpawnRunner()) {
        self.kind = kind
        self.options = options
        self.runner = runner
    }

    /// Runs the command over its positional arguments.
    public func execute(_ sqitch: Sqitch, arguments: [String]) throws {
        let command = kind.rawValue
        var overrides = options.overrides
        overrides.topDir = Target.truthy(overrides.topDir)
        overrides.planFile = Target.truthy(overrides.planFile)
        if overrides.topDir != nil {
            sqitch.console.warn("  Option --top-dir is deprecated for \(command) and other non-configuration commands.\n  Use --chdir instead.")
        }
        var plans: [String: Plan] = [:]
        let parsed = try Target.parseArguments(
            sqitch: sqitch, command: command, arguments: arguments, target: options.target,
            overrides: overrides
        ) { target, argument in
            if plans[target.planFile] == nil { plans[target.planFile] = try Plan.load(path: target.planFile, sqitch: sqitch) }
            return try plans[target.planFile]!.contains(argument)
        }
        guard let target = parsed.targets.first else {
            throw SqitchError(command, "No project configuration found. Run the \"init\" command to initialize a project")
        }
        if parsed.targets.count > 1 {
            sqitch.console.warn("Too many targets specified; connecting to \(target.name)")
        }
        var changes = parsed.changes
        let from = options.fromChange ?? (changes.isEmpty ? nil : changes.removeFirst())
        let to = options.toChange ?? (changes.isEmpty ? nil : changes.removeFirst())
        if !changes.isEmpty {
            let verb = kind == .verify ? "verifying" : "checking"
            sqitch.console.warn("Too many changes specified; \(verb) from \"\(from ?? "")\" to \"\(to ?? "")\"")
        }

        let engine = try VerifyAction.makeEngine(sqitch: sqitch, target: target, runner: runner)
        let verification = Verification(sqitch: sqitch, engine: engine, runner: runner)
        verification.variables = try collectVariables(sqitch, target: target)
        switch kind {
        case .verify: try verification.verify(from: from, to: to)
        case .check: try verification.check(from: from, to: to)
        }
    }

    /// `core.variables` < `deploy.variables` < `<command>.variables` < the target's (engine's
    /// and target's) < `--set`, sorted by name.
    func collectVariables(_ sqitch: Sqitch, target: Target) throws -> [(name: String, value: String)] {
        var merged: [String: String] = [:]
        for section in ["core.variables", "deploy.variables", "\(kind.rawValue).variables"] {
            for (name, value) in sqitch.config.section(section) { merged[name] = value }
        }
        for (name, value) in target.variables { merged[name] = value }
        for pair in options.variables {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            merged[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return merged.keys.sorted().map { (name: $0, value: merged[$0]!) }
    }

    /// The engine for a target (until the shared engine plumbing serves every command).
    static func makeEngine(sqitch: Sqitch, target: Target, runner: ProcessRunner) throws -> any Engine {
        switch target.engine {
        case SQLiteEngine.key:
            return SQLiteEngine(sqitch: sqitch, target: target, runner: runner)
        default:
            throw SqitchError("engine", "The \(target.engine) engine is not implemented in sqlitch yet")
        }
    }
}
