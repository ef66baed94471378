import ArgumentParser
import SqlitchCore

/// `upgrade`: brings the target's registry to the current release.
struct UpgradeCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "upgrade", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        do {
            let parsed = Getopt(CommandOptions.specs["upgrade"] ?? []).parse(arguments)
            if !parsed.errors.isEmpty { throw SqitchError.usage(parsed.errors.joined(separator: "\n")) }
            try UpgradeAction(connection: ConnectionOptions(parsed)).execute(sqitch, arguments: parsed.arguments)
            return 0
        } catch let error as SqitchError where error.ident == "usage" {
            if !error.message.isEmpty { sqitch.console.vent(error.message) }
            sqitch.console.ventLiteral(HelpText.usage(for: "upgrade"))
            return 2
        }
    }
}
