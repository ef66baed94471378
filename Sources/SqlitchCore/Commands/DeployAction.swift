import Foundation

/// Option values of `deploy`, `revert` and `rebase` as Getopt read them, by canonical name.
struct ReadOptions {
    var text: [String: String] = [:]
    var flags: [String: Bool] = [:]
    var pairs: [String: [(name: String, value: String)]] = [:]

    init(_ parsed: Getopt.Result) {
        for (name, value) in parsed.options {
            switch value {
            case .on: flags[name] = true
            case .off: flags[name] = false
            case .text(let t): text[name] = t
            case .integer(let n): text[name] = String(n)
            case .pair(let key, let t):
                pairs[name, default: []].removeAll { $0.name == key }
                pairs[name, default: []].append((key, t))
            }
        }
    }
}

/// Perl's truth of a raw configuration value: set, not empty and not `0`.
private func perlTrue(_ value: String?) -> Bool {
    guard let value else { return false }
    return !value.isEmpty && value != "0"
}

/// Shared settings of the commands that deploy and revert.
enum EngineCommand {
    /// `mode` from the option or the configuration keys, checked against Sqitch's enum.
    static func mode(_ option: String?, keys: [String], config: ConfigStack) throws -> DeployMode {
        var raw = option.flatMap { perlTrue($0) ? $0 : nil }
        for key in keys where raw == nil {
            raw = try config.get(key).flatMap { perlTrue($0) ? $0 : nil }
        }
        let value = raw ?? "all"
        guard let mode = DeployMode(rawValue: value) else {
            throw SqitchError(
                "deploy", "Value \"\(value)\" did not pass type constraint \"Enum[all,change,tag]\" (in $args->{\"mode\"})")
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
    static func lockTimeout(_ options: ReadOptions) -> Int {
        options.text["lock-timeout"].flatMap { Int($0) } ?? EngineSession.defaultLockTimeout
    }
}

/// `deploy`: deploys the plan's pending changes to a target (Sqitch's `Command/deploy.pm`).
public struct DeployAction {
    let parsed: Getopt.Result

    /// `parsed`: the command line read against `CommandOptions.specs["deploy"]`.
    public init(parsed: Getopt.Result) { self.parsed = parsed }

    public func execute(_ sqitch: Sqitch, runner: ProcessRunner = SpawnRunner()) throws {
        let options = ReadOptions(parsed)
        let config = sqitch.config
        let mode = try EngineCommand.mode(options.text["mode"], keys: ["deploy.mode"], config: config)
        let verify = try options.flags["verify"] ?? EngineCommand.bool(["deploy.verify"], config: config) ?? false
        let connection = try EngineSession.connect(
            sqitch: sqitch, command: "deploy", arguments: parsed.arguments, options: ConnectionOptions(parsed),
            runner: runner)
        var changes = connection.changes
        let change = options.text["to-change"] ?? (changes.isEmpty ? nil : changes.removeFirst())
        if !changes.isEmpty {
            sqitch.console.warn("Too many changes specified; deploying to \"\(change ?? "")\"")
        }
        let session = connection.session
        session.withVerify = verify
        session.logOnly = options.flags["log-only"] ?? false
        session.lockTimeout = EngineCommand.lockTimeout(options)
        session.variables = session.collectVariables(
            sections: ["deploy.variables"], overrides: options.pairs["set"] ?? [])
        try session.deploy(to: change, mode: mode)
    }
}

/// `revert`: reverts deployed changes from a target (Sqitch's `Command/revert.pm`).
public struct RevertAction {
    let parsed: Getopt.Result

    /// `parsed`: the command line read against `CommandOptions.specs["revert"]`.
    public init(parsed: Getopt.Result) { self.parsed = parsed }

    public func execute(_ sqitch: Sqitch, runner: ProcessRunner = SpawnRunner()) throws {
        let options = ReadOptions(parsed)
        let config = sqitch.config
        let noPrompt = try (options.flags["y"] ?? false) || (config.bool("revert.no_prompt") ?? false)
        let promptAccept = try config.bool("revert.prompt_accept") ?? true
        let strict = perlTrue(try config.get("revert.strict"))
        let connection = try EngineSession.connect(
            sqitch: sqitch, command: "revert", arguments: parsed.arguments, options: ConnectionOptions(parsed),
            runner: runner)
        let session = connection.session
        var changes = connection.changes
        let change: String?
        if options.flags["modified"] == true {
            change = try session.plannedDeployedCommonAncestorID()
        } else {
            change = options.text["to-change"] ?? (changes.isEmpty ? nil : changes.removeFirst())
        }
        if change == nil && strict {
            throw SqitchError("revert:strict", "Must specify a target revision in strict mode", exitCode: 1)
        }
        if !changes.isEmpty {
            if strict { throw SqitchError("revert:strict", "Too many changes specified") }
            sqitch.console.warn("Too many changes specified; reverting to \"\(change ?? "")\"")
        }
        session.logOnly = options.flags["log-only"] ?? false
        session.lockTimeout = EngineCommand.lockTimeout(options)
        session.variables = session.collectVariables(
            sections: ["deploy.variables", "revert.variables"], overrides: options.pairs["set"] ?? [])
        try session.revert(to: change, prompt: !noPrompt, promptDefault: promptAccept)
    }
}

/// `rebase`: reverts to a change, then deploys again (Sqitch's `Command/rebase.pm` with
/// `Role/RevertDeployCommand.pm`).
public struct RebaseAction {
    let parsed: Getopt.Result

    /// `parsed`: the command line read against `CommandOptions.specs["rebase"]`.
    public init(parsed: Getopt.Result) { self.parsed = parsed }

    public func execute(_ sqitch: Sqitch, runner: ProcessRunner = SpawnRunner()) throws {
        let command = "rebase"
        let options = ReadOptions(parsed)
        let config = sqitch.config
        if try EngineCommand.bool(["\(command).strict", "revert.strict"], config: config) == true {
            throw SqitchError(
                command,
                "\"\(command)\" cannot be used in strict mode.\\nUse explicity revert and deploy commands instead.")
        }
        let verify = try options.flags["verify"]
            ?? EngineCommand.bool(["\(command).verify", "deploy.verify"], config: config) ?? false
        let mode = try EngineCommand.mode(options.text["mode"], keys: ["\(command).mode", "deploy.mode"], config: config)
        let noPrompt = try (options.flags["y"] ?? false)
            || (EngineCommand.bool(["\(command).no_prompt", "revert.no_prompt"], config: config) ?? false)
        let promptAccept = try EngineCommand.bool(["\(command).prompt_accept", "revert.prompt_accept"], config: config)
            ?? true

        let connection = try EngineSession.connect(
            sqitch: sqitch, command: command, arguments: parsed.arguments, options: ConnectionOptions(parsed),
            runner: runner)
        let session = connection.session
        var changes = connection.changes
        let onto: String?
        if options.flags["modified"] == true {
            onto = try session.plannedDeployedCommonAncestorID()
        } else {
            onto = options.text["onto-change"] ?? (changes.isEmpty ? nil : changes.removeFirst())
        }
        let upto = options.text["upto-change"] ?? (changes.isEmpty ? nil : changes.removeFirst())
        if !changes.isEmpty {
            sqitch.console.warn(
                "Too many changes specified; rebasing onto \"\(onto ?? "")\" up to \"\(upto ?? "")\"")
        }
        session.withVerify = verify
        session.logOnly = options.flags["log-only"] ?? false
        session.lockTimeout = EngineCommand.lockTimeout(options)
        let set = options.pairs["set"] ?? []
        let revertVariables = session.collectVariables(
            sections: ["deploy.variables", "revert.variables"], overrides: set + (options.pairs["set-revert"] ?? []))
        let deployVariables = session.collectVariables(
            sections: ["deploy.variables"], overrides: set + (options.pairs["set-deploy"] ?? []))
        try session.rebase(onto: onto, upto: upto, mode: mode, prompt: !noPrompt, promptDefault: promptAccept,
                           revertVariables: revertVariables, deployVariables: deployVariables)
    }
}
