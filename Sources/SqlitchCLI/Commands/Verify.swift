import ArgumentParser
import SqlitchCore

/// The options of `verify` and `check`: `--target`, `--from-change`, `--to-change`, `--set`,
/// the connection options and the context options (canonical names; Getopt has read the line).
struct VerifyArguments: ParsableArguments {
    @Option(name: .customLong("target"), parsing: .unconditional) var target: String?
    @Option(name: .customLong("from-change"), parsing: .unconditional) var fromChange: String?
    @Option(name: .customLong("to-change"), parsing: .unconditional) var toChange: String?
    @Option(name: .customLong("set"), parsing: .unconditionalSingleValue) var variables: [String] = []
    @OptionGroup var connection: ConnectionArguments
    @Option(name: .customLong("plan-file"), parsing: .unconditional) var planFile: String?
    @Option(name: .customLong("top-dir"), parsing: .unconditional) var topDir: String?

    @Argument var arguments: [String] = []

    /// The options for the library.
    func options() -> VerifyOptions {
        var options = VerifyOptions()
        options.target = target
        options.fromChange = fromChange
        options.toChange = toChange
        options.variables = variables
        options.overrides = connection.overrides()
        options.overrides.planFile = planFile
        options.overrides.topDir = topDir
        return options
    }
}

/// Sqitch's ConnectingCommand options, by canonical name: `--registry`, `--client`,
/// `--db-name`, `--db-user`, `--db-host`, `--db-port`.
struct ConnectionArguments: ParsableArguments {
    @Option(name: .customLong("registry"), parsing: .unconditional) var registry: String?
    @Option(name: .customLong("client"), parsing: .unconditional) var client: String?
    @Option(name: .customLong("db-name"), parsing: .unconditional) var dbName: String?
    @Option(name: .customLong("db-user"), parsing: .unconditional) var dbUser: String?
    @Option(name: .customLong("db-host"), parsing: .unconditional) var dbHost: String?
    @Option(name: .customLong("db-port"), parsing: .unconditional) var dbPort: String?

    /// The target overrides (Getopt has checked that the port is an integer).
    func overrides() -> TargetOverrides {
        TargetOverrides(user: dbUser, host: dbHost, port: dbPort.map { String(Int($0) ?? 0) }, dbname: dbName,
                        registry: registry, client: client)
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
            let action = VerifyAction(kind, options: arguments.options())
            try action.execute(sqitch, arguments: arguments.arguments)
            return 0
        } catch let error as SqitchError where error.ident == "usage" {
            if !error.message.isEmpty { sqitch.console.vent(error.message) }
            sqitch.console.ventLiteral(HelpText.usage(for: kind.rawValue))
            return 2
        }
    }
}
