import ArgumentParser
import SqlitchCore

/// `verify`: runs the verify scripts of the deployed changes.
struct VerifyCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "verify", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try VerifyCommand.run(.verify, arguments, sqitch)
    }

    /// Shared by `verify` and `check`: options read with Getopt::Long's rules, then one call
    /// into SqlitchCore; usage errors print the command's usage, exit 2.
    static func run(_ kind: VerifyAction.Kind, _ arguments: [String], _ sqitch: Sqitch) throws -> Int32 {
        let command = kind.rawValue
        do {
            let parsed = Getopt(CommandOptions.specs[command] ?? []).parse(arguments)
            if !parsed.errors.isEmpty { throw SqitchError.usage(parsed.errors.joined(separator: "\n")) }
            try VerifyAction(kind, options: VerifyOptions(parsed)).execute(sqitch, arguments: parsed.arguments)
            return 0
        } catch let error as SqitchError where error.ident == "usage" {
            if !error.message.isEmpty { sqitch.console.vent(error.message) }
            sqitch.console.ventLiteral(HelpText.usage(for: command))
            return 2
        }
    }
}
