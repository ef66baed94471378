import Foundation

/// The options of `deploy`.
public struct DeployOptions: CommandOptionSet {
    public var toChange: String?
    public var mode: String?
    public var variables: [KeyValue] = []
    public var verify: Bool?
    public var logOnly = false
    public var lockTimeout: Int?
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
        ] + SharedOptions.connection(\.connection) + SharedOptions.context(\.connection))
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
        ] + SharedOptions.connection(\.connection) + SharedOptions.context(\.connection))
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
        ] + SharedOptions.connection(\.connection) + SharedOptions.context(\.connection)
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
        let connection = try EngineSession.connect(
            sqitch: sqitch, command: "revert", arguments: arguments, options: options.connection, runner: runner)
        let session = connection.session
        var changes = connection.changes
        let change: String?
        if options.modified {
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
        try session.revert(to: change, prompt: !noPrompt, promptDefault: promptAccept)
    }
}

/// `rebase`: reverts to a change, then deploys again (Sqitch's `Command/rebase.pm` with
/// `Role/RevertDeployCommand.pm`).
public struct RebaseAction {
    let options: RebaseOptions

    public init(options: RebaseOptions) { self.options = options }

    public func execute(_ sqitch: Sqitch, arguments: [String], runner: ProcessRunner = SpawnRunner()) throws {
        let command = "rebase"
        let config = sqitch.config
        if try EngineCommand.bool(["\(command).strict", "revert.strict"], config: config) == true {
            throw CommandError(
                "\"\(command)\" cannot be used in strict mode.\\nUse explicity revert and deploy commands instead.")
        }
        let verify = try options.verify
            ?? EngineCommand.bool(["\(command).verify", "deploy.verify"], config: config) ?? false
        let mode = try EngineCommand.mode(options.mode, keys: ["\(command).mode", "deploy.mode"], config: config)
        let noPrompt = try options.noPrompt
            || (EngineCommand.bool(["\(command).no_prompt", "revert.no_prompt"], config: config) ?? false)
        let promptAccept = try EngineCommand.bool(["\(command).prompt_accept", "revert.prompt_accept"], config: config)
            ?? true

        let connection = try EngineSession.connect(
            sqitch: sqitch, command: command, arguments: arguments, options: options.connection, runner: runner)
        let session = connection.session
        var changes = connection.changes
        let onto: String?
        if options.modified {
            onto = try session.plannedDeployedCommonAncestorID()
        } else {
            onto = options.onto ?? (changes.isEmpty ? nil : changes.removeFirst())
        }
        let upto = options.upto ?? (changes.isEmpty ? nil : changes.removeFirst())
        if !changes.isEmpty {
            sqitch.console.warn(
                "Too many changes specified; rebasing onto \"\(onto ?? "")\" up to \"\(upto ?? "")\"")
        }
        session.withVerify = verify
        session.logOnly = options.logOnly
        session.lockTimeout = EngineCommand.lockTimeout(options.lockTimeout)
        let set = KeyValue.lastWins(options.variables)
        let revertVariables = session.collectVariables(
            sections: ["deploy.variables", "revert.variables"], overrides: set + KeyValue.lastWins(options.revertVariables))
        let deployVariables = session.collectVariables(
            sections: ["deploy.variables"], overrides: set + KeyValue.lastWins(options.deployVariables))
        try session.rebase(onto: onto, upto: upto, mode: mode, prompt: !noPrompt, promptDefault: promptAccept,
                           revertVariables: revertVariables, deployVariables: deployVariables)
    }
}
