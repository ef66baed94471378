import ArgumentParser
import SqlitchCore

/// The options of `verify` and `check`: `--target`, `--from-change`, `--to-change`, `--set`,
/// the connection options and the context options.
struct VerifyArguments: ParsableArguments {
    @Option(name: [.customLong("target"), .customShort("t")], parsing: .unconditional) var target: String?
    @Option(name: [.customLong("from-change"), .customLong("from")], parsing: .unconditional) var fromChange: String?
    @Option(name: [.customLong("to-change"), .customLong("to")], parsing: .unconditional) var toChange: String?
    @Option(name: .customLong("set"), parsing: .unconditionalSingleValue) var setLong: [String] = []
    @Option(name: .customShort("s"), parsing: .unconditionalSingleValue) var setShort: [String] = []
    @OptionGroup var connection: ConnectionArguments
    @Option(name: [.customLong("plan-file"), .customShort("f")], parsing: .unconditional) var planFile: String?
    @Option(name: .customLong("top-dir"), parsing: .unconditional) var topDir: String?

    @Argument var arguments: [String] = []

    /// The options for the library; `--set` values must be `key=value`.
    func options() throws -> VerifyOptions {
        var options = VerifyOptions()
        options.target = target
        options.fromChange = fromChange
        options.toChange = toChange
        for (name, values) in [("set", setLong), ("s", setShort)] {
            for value in values where !value.contains("=") {
                throw SqitchError.usage("Option \(name), key \"\(value)\", requires a value")
            }
        }
        options.variables = setLong + setShort
        options.overrides = try connection.overrides()
        options.overrides.planFile = planFile
        options.overrides.topDir = topDir
        return options
    }
}

/// Sqitch's ConnectingCommand options: `--registry`, `--client|--db-client`,
/// `--db-name|-d`, `--db-user|--db-username|-u`, `--db-host|-h`, `--db-port|-p`.
struct ConnectionArguments: ParsableArguments {
    @Option(name: .customLong("registry"), parsing: .unconditional) var registry: String?
    @Option(name: [.customLong("client"), .customLong("db-client")], parsing: .unconditional) var client: String?
    @Option(name: [.customLong("db-name"), .customShort("d")], parsing: .unconditional) var dbName: String?
    @Option(name: [.customLong("db-user"), .customLong("db-username"), .customShort("u")], parsing: .unconditional)
    var dbUser: String?
    @Option(name: .customLong("db-host"), parsing: .unconditional) var dbHostLong: String?
    @Option(name: .customShort("h"), parsing: .unconditional) var dbHostShort: String?
    @Option(name: .customLong("db-port"), parsing: .unconditional) var dbPortLong: String?
    @Option(name: .customShort("p"), parsing: .unconditional) var dbPortShort: String?

    /// The target overrides; a port must be an integer (Getopt::Long's `=i`).
    func overrides() throws -> TargetOverrides {
        var overrides = TargetOverrides()
        overrides.registry = registry
        overrides.client = client
        overrides.dbname = dbName
        overrides.user = dbUser
        overrides.host = dbHostLong ?? dbHostShort
        for (name, value) in [("db-port", dbPortLong), ("p", dbPortShort)] {
            guard let value else { continue }
            guard value.wholeMatch(of: /[-+]?[0-9]+/) != nil else {
                throw SqitchError.usage("Value \"\(value)\" invalid for option \(name) (number expected)")
            }
            overrides.port = String(Int(value) ?? 0)
        }
        return overrides
    }
}

/// `verify`: runs the verify scripts of the deployed changes.
struct VerifyCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "verify", helpNames: [])

    @OptionGroup var options: VerifyArguments

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try VerifyCommand.run(.verify, options, sqitch)
    }

    /// Shared by `verify` and `check`: usage errors print the command's usage, exit 2.
    static func run(_ kind: VerifyAction.Kind, _ arguments: VerifyArguments, _ sqitch: Sqitch) throws -> Int32 {
        do {
            let action = VerifyAction(kind, options: try arguments.options())
            try action.execute(sqitch, arguments: arguments.arguments)
            return 0
        } catch let error as SqitchError where error.ident == "usage" {
            if !error.message.isEmpty { sqitch.console.vent(error.message) }
            sqitch.console.ventLiteral(HelpText.usage(for: kind.rawValue))
            return 2
        }
    }
}
