import ArgumentParser
import SqlitchCore

/// `target [list|add|alter|remove|rm|rename|show]`: manages `[target "<name>"]` settings.
struct TargetCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "target", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        let verbose = (Sqlitch.verbosityOption ?? 0) > 0
        return try withUsage("target", sqitch) {
            var parsed = try TargetConfigArguments.parse(arguments, command: "target")
            parsed.options.uri = parsed.uri
            return try TargetAction(options: parsed.options, verbose: verbose).execute(sqitch, parsed.positional)
        }
    }
}
