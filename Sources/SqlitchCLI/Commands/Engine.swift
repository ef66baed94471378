import ArgumentParser
import SqlitchCore

/// `engine [list|add|alter|remove|rm|show]`: manages `[engine "<name>"]` settings.
struct EngineCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "engine", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        let verbose = (Sqlitch.verbosityOption ?? 0) > 0
        return try withUsage("engine", sqitch) {
            let parsed = try TargetConfigArguments.parse(arguments, command: "engine")
            return try EngineAction(options: parsed.options, verbose: verbose).execute(sqitch, parsed.positional)
        }
    }
}
