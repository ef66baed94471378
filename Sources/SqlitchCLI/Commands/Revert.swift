import ArgumentParser
import SqlitchCore

/// `revert`: reverts deployed changes from a target, asking first unless `-y`.
struct RevertCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "revert", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try withUsage("revert", sqitch) {
            let parsed = Getopt(CommandOptions.specs["revert"] ?? []).parse(arguments)
            if !parsed.errors.isEmpty { throw SqitchError.usage(parsed.errors.joined(separator: "\n")) }
            try RevertAction(parsed: parsed).execute(sqitch)
            return 0
        }
    }
}
