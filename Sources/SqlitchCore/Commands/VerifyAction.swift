/// The options `verify` and `check` share, as parsed by the CLI.
public struct VerifyOptions: Sendable, Equatable {
    public var fromChange: String?
    public var toChange: String?
    /// `--set k=v`, in order (later wins).
    public var variables: [String] = []
    /// `--target`, `--registry`, `--client`, `--db-*`, `--plan-file`, `--top-dir`.
    public var connection = ConnectionOptions()

    public init() {}

    /// Reads the options from Getopt's result over `verify`'s or `check`'s specifications.
    public init(_ parsed: Getopt.Result) {
        self.init()
        connection = ConnectionOptions(parsed)
        for (name, value) in parsed.options {
            switch (name, value) {
            case ("from-change", .text(let text)): fromChange = text
            case ("to-change", .text(let text)): toChange = text
            case ("set", .pair(let key, let value)): variables.append(key + "=" + value)
            default: break
            }
        }
    }
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
        var connection = options.connection
        connection.topDir = Target.truthy(connection.topDir)
        connection.planFile = Target.truthy(connection.planFile)
        let connected = try EngineSession.connect(
            sqitch: sqitch, command: kind.rawValue, arguments: arguments, options: connection, runner: runner)
        var changes = connected.changes
        let from = options.fromChange ?? (changes.isEmpty ? nil : changes.removeFirst())
        let to = options.toChange ?? (changes.isEmpty ? nil : changes.removeFirst())
        if !changes.isEmpty {
            let verb = kind == .verify ? "verifying" : "checking"
            sqitch.console.warn("Too many changes specified; \(verb) from \"\(from ?? "")\" to \"\(to ?? "")\"")
        }

        let session = connected.session
        session.variables = variables(for: session)
        let verification = Verification(session: session)
        switch kind {
        case .verify: try verification.verify(from: from, to: to)
        case .check: try verification.check(from: from, to: to)
        }
    }

    /// The client variables: `core.variables` < `deploy.variables` < `<command>.variables` <
    /// the target's (engine's and target's) < `--set`.
    func variables(for session: EngineSession) -> [(name: String, value: String)] {
        session.collectVariables(sections: ["deploy.variables", "\(kind.rawValue).variables"], overrides: setVariables)
    }

    /// `--set` values as name and value pairs, in order.
    var setVariables: [(name: String, value: String)] {
        options.variables.map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: String(parts[0]), value: parts.count > 1 ? String(parts[1]) : "")
        }
    }
}
