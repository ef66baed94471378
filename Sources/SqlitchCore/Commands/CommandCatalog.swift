import FoundationEssentials

/// A command's typed options: a fresh value and the grammar that fills it.
public protocol CommandOptionSet {
    init()
    static var grammar: CommandGrammar<Self> { get }
}

/// What a command learns from outside its own options.
public struct CommandInvocation: Sendable {
    /// `-v`/`--verbose` was given among the core options (`target` and `engine` list verbosely).
    public var verbose: Bool
    /// Standard output is a terminal (`--color auto`).
    public var outputIsTerminal: Bool

    public init(verbose: Bool = false, outputIsTerminal: Bool = false) {
        self.verbose = verbose
        self.outputIsTerminal = outputIsTerminal
    }
}

/// One command: its name, its options (for help pages and completions), and how it runs.
/// The grammar is built only when it is used: a run builds one command's grammar, not all.
public struct CommandDefinition {
    public let name: String
    private let describe: () -> [(title: String?, options: [OptionDescription])]
    /// Reads the command's words with its grammar and runs it; returns the exit code. Throws
    /// `UsageError` for a bad command line and a `SqitchFailure` for a failure.
    public let run: (Sqitch, [String], CommandInvocation) throws -> Int32
    /// For tests: the command's grammar read over `words`, as the options read and bare
    /// options described, and the arguments left (what `run` skips for an option-free line).
    let parseWithGrammar: ([String]) throws -> (read: String, bare: String, arguments: [String])

    init<Options: CommandOptionSet>(
        _ name: String, _ type: Options.Type,
        grammar: @autoclosure @escaping () -> CommandGrammar<Options> = Options.grammar,
        run: @escaping (Options, [String], Sqitch, CommandInvocation) throws -> Int32
    ) {
        self.name = name
        self.describe = { grammar().description }
        self.parseWithGrammar = { words in
            let (options, arguments) = try grammar().parse(words, into: Options())
            return (String(describing: options), String(describing: Options()), arguments)
        }
        self.run = { sqitch, words, invocation in
            let (options, arguments) = Getopt.hasOptionWords(words)
                ? try grammar().parse(words, into: Options()) : (Options(), words)
            return try run(options, arguments, sqitch, invocation)
        }
    }

    /// The option groups, without storage.
    public var options: [(title: String?, options: [OptionDescription])] { describe() }

    /// Every option the command reads or shows.
    public var allOptions: [OptionDescription] { options.flatMap(\.options) }
}

/// The commands, by name: Sqitch's, and sqlitch's own `completion` and `manpages`.
public enum CommandCatalog {
    /// The commands Sqitch does not have (see docs/DIFFERENCES.md).
    public static let sqlitchOnly = ["completion", "manpages"]

    /// Every command, alphabetically.
    public static var all: [CommandDefinition] {
        [
            CommandDefinition("add", AddAction.Options.self) { options, arguments, sqitch, _ in
                try AddAction(options: options).execute(sqitch, arguments: arguments)
                return 0
            },
            CommandDefinition("bundle", BundleOptions.self) { options, arguments, sqitch, _ in
                try BundleAction(options: options).execute(sqitch, arguments: arguments)
                return 0
            },
            CommandDefinition("check", VerifyOptions.self, grammar: VerifyOptions.grammar(verb: "check")) { options, arguments, sqitch, _ in
                try VerifyAction(.check, options: options).execute(sqitch, arguments: arguments)
                return 0
            },
            CommandDefinition("checkout", CheckoutOptions.self) { options, arguments, sqitch, _ in
                try CheckoutAction(options: options.options).execute(sqitch, arguments: arguments)
                return 0
            },
            CommandDefinition("completion", CompletionOptions.self) { options, arguments, sqitch, _ in
                try options.run(arguments, sqitch)
            },
            CommandDefinition("config", ConfigAction.Options.self) { options, arguments, sqitch, _ in
                try ConfigAction(options: options).execute(sqitch, arguments)
            },
            CommandDefinition("deploy", DeployOptions.self) { options, arguments, sqitch, _ in
                try DeployAction(options: options).execute(sqitch, arguments: arguments)
                return 0
            },
            CommandDefinition("engine", EngineOptions.self) { options, arguments, sqitch, invocation in
                let json = try JSONOutput.isJSON(format: options.format, json: options.json, command: "engine")
                sqitch.console.jsonErrors = json
                return try EngineAction(options: options.settings, verbose: invocation.verbose, json: json)
                    .execute(sqitch, arguments)
            },
            CommandDefinition("help", HelpOptions.self) { options, arguments, sqitch, _ in
                // Words after the topic are ignored, as Sqitch ignores them.
                try HelpDocuments.help(topic: arguments.first, guide: options.guide, sqitch: sqitch)
                return 0
            },
            CommandDefinition("init", InitOptions.self) { options, arguments, sqitch, _ in
                try InitAction(options: options.settings, uri: options.uri).execute(sqitch, project: arguments.first)
            },
            CommandDefinition("log", LogAction.Options.self) { options, arguments, sqitch, invocation in
                var options = options
                options.outputIsTerminal = invocation.outputIsTerminal
                let action = try LogAction(options: options, config: sqitch.config, environment: sqitch.environment)
                return try action.execute(sqitch, arguments: arguments)
            },
            CommandDefinition("manpages", ManPagesOptions.self) { options, arguments, sqitch, _ in
                try options.run(arguments, sqitch)
            },
            CommandDefinition("plan", PlanReport.Options.self) { options, arguments, sqitch, invocation in
                var options = options
                options.outputIsTerminal = invocation.outputIsTerminal
                let report = try PlanReport(options: options, config: sqitch.config, environment: sqitch.environment)
                return try report.execute(sqitch, arguments: arguments)
            },
            CommandDefinition("rebase", RebaseOptions.self) { options, arguments, sqitch, _ in
                try RebaseAction(options: options).execute(sqitch, arguments: arguments)
                return 0
            },
            CommandDefinition("revert", RevertOptions.self) { options, arguments, sqitch, _ in
                try RevertAction(options: options).execute(sqitch, arguments: arguments)
                return 0
            },
            CommandDefinition("rework", ReworkAction.Options.self) { options, arguments, sqitch, _ in
                try ReworkAction(options: options).execute(sqitch, arguments: arguments)
                return 0
            },
            CommandDefinition("show", ShowObject.Options.self) { options, arguments, sqitch, _ in
                let show = try ShowObject(options: options, config: sqitch.config, console: sqitch.console)
                return try show.execute(sqitch, type: arguments.first, key: arguments.dropFirst().first)
            },
            CommandDefinition("status", StatusAction.Options.self) { options, arguments, sqitch, _ in
                let action = try StatusAction(options: options, config: sqitch.config)
                return try action.execute(sqitch, arguments: arguments)
            },
            CommandDefinition("tag", TagAction.Options.self) { options, arguments, sqitch, _ in
                try TagAction(options: options).execute(sqitch, arguments: arguments)
                return 0
            },
            CommandDefinition("target", TargetOptions.self) { options, arguments, sqitch, invocation in
                let json = try JSONOutput.isJSON(format: options.format, json: options.json, command: "target")
                sqitch.console.jsonErrors = json
                return try TargetAction(options: options.settings, verbose: invocation.verbose, json: json)
                    .execute(sqitch, arguments)
            },
            CommandDefinition("upgrade", UpgradeOptions.self) { options, arguments, sqitch, _ in
                try UpgradeAction(connection: options.connection).execute(sqitch, arguments: arguments)
                return 0
            },
            CommandDefinition("verify", VerifyOptions.self) { options, arguments, sqitch, _ in
                try VerifyAction(.verify, options: options).execute(sqitch, arguments: arguments)
                return 0
            },
        ]
    }

    /// The command named `name`, if Sqitch has one.
    public static func command(named name: String) -> CommandDefinition? {
        all.first { $0.name == name }
    }

    /// Every command's name, alphabetically.
    public static var names: [String] { all.map(\.name) }
}

/// The options of `help`.
public struct HelpOptions: CommandOptionSet {
    public var guide = false
    public init() {}

    public static var grammar: CommandGrammar<HelpOptions> {
        CommandGrammar([.flag("-g --guide", \.guide, "list the guides")])
    }
}

/// The options of `upgrade`: the target and the connection settings.
public struct UpgradeOptions: CommandOptionSet {
    public var connection = ConnectionOptions()
    public init() {}

    public static var grammar: CommandGrammar<UpgradeOptions> {
        CommandGrammar([SharedOptions.target(\.connection.target)] + SharedOptions.connection(\.connection))
    }
}

/// The options of `bundle` (the command itself is not built yet).
public struct BundleOptions: CommandOptionSet {
    public var destDir: String?
    public var all: Bool?
    public var from: String?
    public var to: String?
    public var context = PlanContextOptions()
    public init() {}

    public static var grammar: CommandGrammar<BundleOptions> {
        CommandGrammar([
            .text("--dest-dir --dir", \.destDir, "<dir>", "where to write the bundle (default: bundle)",
                  complete: .directory),
            .text("--from", \.from, "<change>", "first change to include", complete: .changeOrTag),
            .text("--to", \.to, "<change>", "last change to include", complete: .changeOrTag),
            SharedOptions.all(\.all, "bundle every plan of the project"),
        ] + SharedOptions.context(planFile: \.context.planFile, topDir: \.context.topDir))
    }
}
