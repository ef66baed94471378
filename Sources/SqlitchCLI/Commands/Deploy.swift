import ArgumentParser
import SqlitchCore

/// `deploy`: deploys pending changes to a target (options read with Getopt::Long's rules).
struct DeployCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "deploy", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try withUsage("deploy", sqitch) {
            let parsed = Getopt(CommandOptions.specs["deploy"] ?? []).parse(arguments)
            if !parsed.errors.isEmpty { throw SqitchError.usage(parsed.errors.joined(separator: "\n")) }
            try DeployAction(parsed: parsed).execute(sqitch)
            return 0
        }
    }
}
