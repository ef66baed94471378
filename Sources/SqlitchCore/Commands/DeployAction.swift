import FoundationEssentials

/// The options of `deploy`.
public struct DeployOptions: CommandOptionSet {
    public var toChange: String?
    public var mode: String?
    public var variables: [KeyValue] = []
    public var verify: Bool?
    public var logOnly = false
    public var lockTimeout: Int?
    /// `--dry-run`, `--format`, `--json` (sqlitch's additions).
    public var dryRun = DryRunOptions()
    /// `--target`, `--registry`, `--client`, `--db-*`, `--plan-file`, `--top-dir`.
    public var connection = ConnectionOptions()
    public init() {}

    public static var grammar: CommandGrammar<DeployOptions> {
        CommandGrammar([
            SharedOptions.target(\.connection.target),
            .text("--to --to-change --change", \.toChange, "<change>", "deploy up to and including this change",
                  complete: .changeOrTag),
            SharedOptions.mode(\.mode),
            SharedOptions.set(\.variables),
            SharedOptions.verify(\.verify),
            SharedOptions.logOnly(\.logOnly),
            SharedOptions.lockTimeout(\.lockTimeout),
        ] + DryRunOptions.specs(\.dryRun) + SharedOptions.connection(\.connection) + SharedOptions.context(\.connection))
    }
}

/// The options of `revert`.
public struct RevertOptions: CommandOptionSet {
    public var toChange: String?
    public var modified = false
    public var variables: [KeyValue] = []
    public var logOnly = false
    public var lockTimeout: Int?
    public var noPrompt = false
    /// `--dry-run`, `--format`, `--json` (sqlitch's additions).
    public var dryRun = DryRunOptions()
    public var connection = ConnectionOptions()
    public init() {}

    public static var grammar: CommandGrammar<RevertOptions> {
        CommandGrammar([
            SharedOptions.target(\.connection.target),
            .text("--to --to-change --change", \.toChange, "<change>", "revert the changes after this one",
                  complete: .changeOrTag),
            .flag("-m --modified", \.modified, "revert to just before the first modified change"),
            SharedOptions.set(\.variables),
            SharedOptions.logOnly(\.logOnly),
            SharedOptions.lockTimeout(\.lockTimeout),
            SharedOptions.noPrompt(\.noPrompt),
        ] + DryRunOptions.specs(\.dryRun) + SharedOptions.connection(\.connection) + SharedOptions.context(\.connection))
    }
}

/// The options of the commands that revert, then deploy (Sqitch's RevertDeployCommand):
/// `checkout`, and `rebase`, which adds `--onto`, `--upto` and `--modified`.
public struct RebaseOptions: CommandOptionSet {
    public var onto: String?
    public var upto: String?
    public var modified = false
    public var mode: String?
    public var verify: Bool?
    public var variables: [KeyValue] = []
    public var revertVariables: [KeyValue] = []
    public var deployVariables: [KeyValue] = []
    public var logOnly = false
    public var lockTimeout: Int?
    public var noPrompt = false
    /// `--dry-run`, `--format`, `--json` (sqlitch's additions).
    public var dryRun = DryRunOptions()
    public var connection = ConnectionOptions()
    public init() {}

    public static var grammar: CommandGrammar<RebaseOptions> {
        CommandGrammar([
            .text("--onto --onto-change", \.onto, "<change>", "revert down to this change", complete: .changeOrTag),
            .text("--upto --upto-change", \.upto, "<change>", "then deploy up to this change", complete: .changeOrTag),
            .flag("-m --modified", \.modified, "revert to just before the first modified change"),
        ] + revertDeploy)
    }

    /// The options `checkout` shares with `rebase`.
    static var revertDeploy: [OptionSpec<RebaseOptions>] {
        [
            SharedOptions.target(\.connection.target),
            SharedOptions.mode(\.mode),
            SharedOptions.verify(\.verify),
            SharedOptions.set(\.variables),
            .pairs("-r --set-revert", \.revertVariables, "<key>=<value>", "a client variable for reverting only"),
            .pairs("-e --set-deploy", \.deployVariables, "<key>=<value>", "a client variable for deploying only"),
            SharedOptions.logOnly(\.logOnly),
            SharedOptions.lockTimeout(\.lockTimeout),
            SharedOptions.noPrompt(\.noPrompt),
        ] + DryRunOptions.specs(\.dryRun) + SharedOptions.connection(\.connection) + SharedOptions.context(\.connection)
    }
}

/// The options of `checkout` (the command itself is not built yet).
public struct CheckoutOptions: CommandOptionSet {
    public var options = RebaseOptions()
    public init() {}

    public static var grammar: CommandGrammar<CheckoutOptions> {
        CommandGrammar(RebaseOptions.revertDeploy.map { $0.lifted(\.options) })
    }
}


/// `--dry-run` and its output format (sqlitch's additions to `deploy` and `revert`).
public struct DryRunOptions: Sendable {
    public var enabled = false
    public var format: String?
    public var json = false
    public init() {}

    static func specs<Options>(_ path: WritableKeyPath<Options, DryRunOptions>) -> [OptionSpec<Options>] {
        [
            .flag("--dry-run", path.appending(path: \.enabled), "show what would be done; change nothing"),
            .text("--format", path.appending(path: \.format), "<format>", "text (the default) or json, with --dry-run"),
            .flag("--json", path.appending(path: \.json), "same as --format json"),
        ]
    }

    /// Whether to write JSON; JSON is only for dry runs.
    func wantsJSON(command: String) throws -> Bool {
        let json = try JSONOutput.isJSON(format: format, json: self.json, command: command)
        if json && !enabled { throw CommandError("--format json is only available with --dry-run") }
        return json
    }

    /// Prints the preview as text or JSON, then fails as the run would when a step would.
    func emit(_ preview: DryRunPreview, json: Bool, console: Console) throws {
        try emit(text: preview.text, document: JSONOutput.DryRunDocument(preview), failure: preview.finalError,
                 json: json, console: console)
    }

    /// The same for a rebase's or checkout's preview.
    func emit(_ preview: RevertDeployPreview, json: Bool, console: Console) throws {
        try emit(text: preview.text, document: JSONOutput.RevertDeployDocument(preview), failure: preview.finalError,
                 json: json, console: console)
    }

    private func emit(text: String, document: some Encodable, failure: String?, json: Bool, console: Console) throws {
        if json {
            console.emit(JSONOutput.line(document))
        } else {
            console.emitLiteral(text)
        }
        if let failure { throw EngineError(failure) }
    }
}

/// Shared settings of the commands that deploy and revert.
enum EngineCommand {
    /// `mode` from the option or the configuration keys, checked against Sqitch's enum.
    static func mode(_ option: String?, keys: [String], config: ConfigStack) throws -> DeployMode {
        var raw = Perl.truthy(option)
        for key in keys where raw == nil {
            raw = Perl.truthy(try config.get(key))
        }
        let value = raw ?? "all"
        guard let mode = DeployMode(rawValue: value) else {
            throw EngineError("Value \"\(value)\" did not pass type constraint \"Enum[all,change,tag]\" (in $args->{\"mode\"})")
        }
        return mode
    }

    /// The first of the boolean configuration keys that is set.
    static func bool(_ keys: [String], config: ConfigStack) throws -> Bool? {
        for key in keys {
            if let value = try config.bool(key) { return value }
        }
        return nil
    }

    /// `--lock-timeout`, or Sqitch's default.
    static func lockTimeout(_ option: Int?) -> Int {
        option ?? EngineSession.defaultLockTimeout
    }
}

/// `deploy`: deploys the plan's pending changes to a target (Sqitch's `Command/deploy.pm`).
public struct DeployAction {
    let options: DeployOptions

    public init(options: DeployOptions) { self.options = options }

    public func execute(_ sqitch: Sqitch, arguments: [String], runner: ProcessRunner = SpawnRunner()) throws {
        let config = sqitch.config
        let mode = try EngineCommand.mode(options.mode, keys: ["deploy.mode"], config: config)
        let json = try options.dryRun.wantsJSON(command: "deploy")
        sqitch.console.jsonErrors = json
        let verify = try options.verify ?? EngineCommand.bool(["deploy.verify"], config: config) ?? false
        let connection = try EngineSession.connect(
            sqitch: sqitch, command: "deploy", arguments: arguments, options: options.connection, runner: runner)
        var changes = connection.changes
        let change = options.toChange ?? (changes.isEmpty ? nil : changes.removeFirst())
        if !changes.isEmpty {
            sqitch.console.warn("Too many changes specified; deploying to \"\(change ?? "")\"")
        }
        let session = connection.session
        session.withVerify = verify
        session.logOnly = options.logOnly
        session.lockTimeout = EngineCommand.lockTimeout(options.lockTimeout)
        session.variables = session.collectVariables(
            sections: ["deploy.variables"], overrides: KeyValue.lastWins(options.variables))
        if options.dryRun.enabled {
            try options.dryRun.emit(try session.previewDeploy(to: change, mode: mode), json: json, console: sqitch.console)
            return
        }
        try session.deploy(to: change, mode: mode)
    }
}

/// `revert`: reverts deployed changes from a target (Sqitch's `Command/revert.pm`).
public struct RevertAction {
    let options: RevertOptions

    public init(options: RevertOptions) { self.options = options }

    public func execute(_ sqitch: Sqitch, arguments: [String], runner: ProcessRunner = SpawnRunner()) throws {
        let config = sqitch.config
        let noPrompt = try options.noPrompt || (config.bool("revert.no_prompt") ?? false)
        let promptAccept = try config.bool("revert.prompt_accept") ?? true
        let strict = Perl.isTrue(try config.get("revert.strict"))
        let json = try options.dryRun.wantsJSON(command: "revert")
        sqitch.console.jsonErrors = json
        let connection = try EngineSession.connect(
            sqitch: sqitch, command: "revert", arguments: arguments, options: options.connection, runner: runner)
        let session = connection.session
        var changes = connection.changes
        let change: String?
        if options.modified {
            // A dry run must not open (and so create) an SQLite registry that is not there.
            if options.dryRun.enabled { try session.requireRegistryForDryRun() }
            change = try session.plannedDeployedCommonAncestorID()
        } else {
            change = options.toChange ?? (changes.isEmpty ? nil : changes.removeFirst())
        }
        if change == nil && strict {
            throw EngineError("Must specify a target revision in strict mode", exitCode: 1)
        }
        if !changes.isEmpty {
            if strict { throw EngineError("Too many changes specified") }
            sqitch.console.warn("Too many changes specified; reverting to \"\(change ?? "")\"")
        }
        session.logOnly = options.logOnly
        session.lockTimeout = EngineCommand.lockTimeout(options.lockTimeout)
        session.variables = session.collectVariables(
            sections: ["deploy.variables", "revert.variables"], overrides: KeyValue.lastWins(options.variables))
        if options.dryRun.enabled {
            try options.dryRun.emit(try session.previewRevert(to: change, prompt: !noPrompt, promptDefault: promptAccept),
                                    json: json, console: sqitch.console)
            return
        }
        try session.revert(to: change, prompt: !noPrompt, promptDefault: promptAccept)
    }
}

/// `rebase`: reverts to a change, then deploys again (Sqitch's `Command/rebase.pm` with
/// `Role/RevertDeployCommand.pm`).
/// The settings `rebase` and `checkout` read (Sqitch's RevertDeployCommand role): strict mode
/// refused, then `--verify`, `--mode`, `-y` and the prompt default from the options, the
/// command's section, and the `deploy`/`revert` sections.
struct RevertDeploySettings {
    let verify: Bool
    let mode: DeployMode
    let noPrompt: Bool
    let promptAccept: Bool

    init(command: String, options: RebaseOptions, config: ConfigStack) throws {
        if try EngineCommand.bool(["\(command).strict", "revert.strict"], config: config) == true {
            throw CommandError(
                "\"\(command)\" cannot be used in strict mode.\\nUse explicity revert and deploy commands instead.")
        }
        verify = try options.verify
            ?? EngineCommand.bool(["\(command).verify", "deploy.verify"], config: config) ?? false
        mode = try EngineCommand.mode(options.mode, keys: ["\(command).mode", "deploy.mode"], config: config)
        noPrompt = try options.noPrompt
            || (EngineCommand.bool(["\(command).no_prompt", "revert.no_prompt"], config: config) ?? false)
        promptAccept = try EngineCommand.bool(["\(command).prompt_accept", "revert.prompt_accept"], config: config)
            ?? true
    }

    /// Applies `--verify`, `--log-only` and `--lock-timeout` to the session.
    func configure(_ session: EngineSession, options: RebaseOptions) {
        session.withVerify = verify
        session.logOnly = options.logOnly
        session.lockTimeout = EngineCommand.lockTimeout(options.lockTimeout)
    }

    /// The client variables for the revert and for the deploy.
    static func variables(_ session: EngineSession, options: RebaseOptions)
        -> (revert: [(name: String, value: String)], deploy: [(name: String, value: String)]) {
        let set = KeyValue.lastWins(options.variables)
        return (session.collectVariables(sections: ["deploy.variables", "revert.variables"],
                                         overrides: set + KeyValue.lastWins(options.revertVariables)),
                session.collectVariables(sections: ["deploy.variables"],
                                         overrides: set + KeyValue.lastWins(options.deployVariables)))
    }
}

/// `rebase`: reverts to a change, then deploys again (Sqitch's `Command/rebase.pm` with
/// `Role/RevertDeployCommand.pm`).
public struct RebaseAction {
    let options: RebaseOptions

    public init(options: RebaseOptions) { self.options = options }

    public func execute(_ sqitch: Sqitch, arguments: [String], runner: ProcessRunner = SpawnRunner()) throws {
        let command = "rebase"
        let settings = try RevertDeploySettings(command: command, options: options, config: sqitch.config)
        let json = try options.dryRun.wantsJSON(command: command)
        sqitch.console.jsonErrors = json
        let connection = try EngineSession.connect(
            sqitch: sqitch, command: command, arguments: arguments, options: options.connection, runner: runner)
        let session = connection.session
        var changes = connection.changes
        let onto: String?
        if options.modified {
            // A dry run must not open (and so create) an SQLite registry that is not there.
            if options.dryRun.enabled { try session.requireRegistryForDryRun() }
            onto = try session.plannedDeployedCommonAncestorID()
        } else {
            onto = options.onto ?? (changes.isEmpty ? nil : changes.removeFirst())
        }
        let upto = options.upto ?? (changes.isEmpty ? nil : changes.removeFirst())
        if !changes.isEmpty {
            sqitch.console.warn(
                "Too many changes specified; rebasing onto \"\(onto ?? "")\" up to \"\(upto ?? "")\"")
        }
        settings.configure(session, options: options)
        let variables = RevertDeploySettings.variables(session, options: options)
        if options.dryRun.enabled {
            try options.dryRun.emit(
                try session.previewRevertDeploy(command: command, onto: onto, upto: upto, mode: settings.mode,
                                                prompt: !settings.noPrompt, promptDefault: settings.promptAccept,
                                                revertVariables: variables.revert, deployVariables: variables.deploy),
                json: json, console: sqitch.console)
            return
        }
        try session.rebase(onto: onto, upto: upto, mode: settings.mode, prompt: !settings.noPrompt,
                           promptDefault: settings.promptAccept,
                           revertVariables: variables.revert, deployVariables: variables.deploy)
    }
}

/// `checkout`: reverts the database to the last change the current branch's plan shares with
/// another branch's, checks that branch out with the version control client, and deploys its
/// plan (Sqitch's `Command/checkout.pm`).
public struct CheckoutAction {
    let options: RebaseOptions

    public init(options: RebaseOptions) { self.options = options }

    public func execute(_ sqitch: Sqitch, arguments: [String], runner: ProcessRunner = SpawnRunner()) throws {
        let command = "checkout"
        let config = sqitch.config
        let console = sqitch.console
        let settings = try RevertDeploySettings(command: command, options: options, config: config)
        let json = try options.dryRun.wantsJSON(command: command)
        console.jsonErrors = json
        AuthoringNote.warnTopDir(options.connection.topDir, command: command, sqitch: sqitch)
        let parsed = try Target.parseArguments(
            sqitch: sqitch, command: command, arguments: arguments, target: options.connection.target,
            names: [nil], noChanges: true, overrides: options.connection.overrides, isChange: { _, _ in false })
        guard let branch = parsed.names.first ?? nil, !branch.isEmpty else { throw UsageError("") }
        guard let target = parsed.targets.first else {
            throw TargetError("No engine specified; specify via target or core.engine")
        }
        if parsed.targets.count > 1 {
            console.warn("Too many targets specified; connecting to \(target.name)")
        }
        let session = try EngineSession(sqitch: sqitch, target: target, runner: runner)
        settings.configure(session, options: options)

        let git = try Perl.truthy(config.get("core.vcs.client")) ?? "git"
        let current = String(try runner.capture([git, "rev-parse", "--abbrev-ref", "HEAD"], sqitch: sqitch)
            .split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        if current == branch {
            throw CommandError("Already on branch \(branch)", exitCode: 1)
        }
        let fromPlan = try Plan.load(path: target.planFile, sqitch: sqitch)
        // Git reads a path relative to the repository's root unless it starts with `./`.
        let toText = try runner.capture([git, "show", "\(branch):./\(target.planFile)"], sqitch: sqitch)
        let toPlan = try PlanParser.parse(text: toText, file: target.planFile)

        var lastCommon: Change?
        for change in toPlan.changes {
            guard try fromPlan.change(change.id) != nil else { break }
            lastCommon = change
        }
        guard let lastCommon else {
            throw CommandError("Branch \(branch) has no changes in common with current branch \(current)")
        }
        let variables = RevertDeploySettings.variables(session, options: options)
        if options.dryRun.enabled {
            // The deploy would read the scripts as the switch leaves them: the branch's
            // files, and files Git does not track, which stay. Asked of Git's trees (`./`
            // makes Git read the path from here, `..` and all).
            func inTree(_ tree: String, _ path: String) -> Bool {
                let relative = path.hasPrefix("/") ? path : "./" + path
                let command = ProcessCommand(git, ["cat-file", "-e", "\(tree):\(relative)"],
                                             output: .discard, error: .discard)
                return (try? runner.run(command, sqitch: sqitch)) != nil
            }
            func inBranch(_ path: String) -> Bool {
                inTree(branch, path) || (sqitch.files.exists(path) && !inTree("HEAD", path))
            }
            session.use(plan: fromPlan)
            var preview = try session.previewRevertDeploy(
                command: command, onto: lastCommon.id, upto: nil, mode: settings.mode,
                prompt: !settings.noPrompt, promptDefault: settings.promptAccept,
                revertVariables: variables.revert, deployVariables: variables.deploy, toPlan: toPlan,
                toFiles: inBranch)
            preview.lastCommonChange = lastCommon.formatNameWithTags
            preview.checkout = [git, "checkout", branch]
            try options.dryRun.emit(preview, json: json, console: console)
            return
        }
        console.info("Last change before the branches diverged: \(lastCommon.formatNameWithTags)")

        session.variables = variables.revert
        session.use(plan: fromPlan)
        do {
            try session.revert(to: lastCommon.id, prompt: !settings.noPrompt, promptDefault: settings.promptAccept)
        } catch let error as any SqitchFailure
            where error.exitCode <= 1 && (error as? EngineError)?.reason != .revertDeclined {
            console.info(error.message)
        }
        try runner.run([git, "checkout", branch], sqitch: sqitch)
        session.variables = variables.deploy
        session.use(plan: toPlan)
        try session.deploy(to: nil, mode: settings.mode)
    }
}
