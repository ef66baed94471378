import ArgumentParser
import SqlitchCore

/// `init <project>`: writes the configuration, plan and script directories of a project.
struct InitCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "init", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try withUsage("init", sqitch) {
            let parsed = try TargetConfigArguments.parse(arguments, command: "init")
            return try InitAction(options: parsed.options, uri: parsed.uri)
                .execute(sqitch, project: parsed.positional.first)
        }
    }
}
