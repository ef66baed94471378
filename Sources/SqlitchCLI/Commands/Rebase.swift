import ArgumentParser
import SqlitchCore

/// `rebase`: reverts to a change, then deploys again.
struct RebaseCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "rebase", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try withUsage("rebase", sqitch) {
            let parsed = Getopt(CommandOptions.specs["rebase"] ?? []).parse(arguments)
            if !parsed.errors.isEmpty { throw SqitchError.usage(parsed.errors.joined(separator: "\n")) }
            try RebaseAction(parsed: parsed).execute(sqitch)
            return 0
        }
    }
}
