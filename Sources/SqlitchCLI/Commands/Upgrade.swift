import ArgumentParser
import SqlitchCore

/// `upgrade`: brings the target's registry to the current release.
struct UpgradeCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "upgrade", helpNames: [])

    @Option(name: .customLong("target"), parsing: .unconditional) var target: String?
    @OptionGroup var connection: ConnectionArguments

    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        do {
            let action = UpgradeAction(target: target, overrides: connection.overrides())
            try action.execute(sqitch, arguments: arguments)
            return 0
        } catch let error as SqitchError where error.ident == "usage" {
            if !error.message.isEmpty { sqitch.console.vent(error.message) }
            sqitch.console.ventLiteral(HelpText.usage(for: "upgrade"))
            return 2
        }
    }
}
