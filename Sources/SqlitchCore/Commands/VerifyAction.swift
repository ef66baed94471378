/// The options `verify` and `check` share, as parsed by the CLI.
public struct VerifyOptions: CommandOptionSet, Sendable, Equatable {
    public var fromChange: String?
    public var toChange: String?
    /// `--set k=v`, in order (later wins).
    public var variables: [KeyValue] = []
    /// `--format text|json`, `--json` (sqlitch's addition).
    public var format: String?
    public var json = false
    /// `--target`, `--registry`, `--client`, `--db-*`, `--plan-file`, `--top-dir`.
    public var connection = ConnectionOptions()

    public init() {}

    /// The grammar of `verify`.
    public static var grammar: CommandGrammar<VerifyOptions> { grammar(verb: "verify") }

    /// `verify`'s and `check`'s: the same options, read by the verb.
    static func grammar(verb: String) -> CommandGrammar<VerifyOptions> {
        CommandGrammar([
            SharedOptions.target(\.connection.target),
            .text("--from --from-change", \.fromChange, "<change>", "first change to \(verb)", complete: .changeOrTag),
            .text("--to --to-change", \.toChange, "<change>", "last change to \(verb)", complete: .changeOrTag),
            SharedOptions.set(\.variables),
            .text("--format", \.format, "<format>", "text (the default) or json"),
            .flag("--json", \.json, "same as --format json"),
        ] + SharedOptions.connection(\.connection) + SharedOptions.context(\.connection))
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
        let json = try JSONOutput.isJSON(format: options.format, json: options.json, command: kind.rawValue)
        sqitch.console.jsonErrors = json
        var connection = options.connection
        connection.topDir = Perl.truthy(connection.topDir)
        connection.planFile = Perl.truthy(connection.planFile)
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
        verification.json = json
        // In JSON mode the document comes first, then (for failed changes) the error.
        defer {
            if json && verification.report.finished {
                sqitch.console.emit(JSONOutput.line(JSONOutput.VerifyDocument(command: kind.rawValue, verification.report)))
            }
        }
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
        options.variables.map { (name: $0.key, value: $0.value) }
    }
}
