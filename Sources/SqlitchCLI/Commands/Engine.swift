import ArgumentParser
import SqlitchCore

/// `engine [list|add|alter|remove|rm|show]`: manages `[engine "<name>"]` settings.
struct EngineCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "engine", helpNames: [])

    @Option(name: .customLong("target")) var target: String?
    @OptionGroup var shared: TargetConfigArguments
    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        var options = shared.options
        options.target = target
        let verbose = (Sqlitch.verbosityOption ?? 0) > 0
        return try withUsage("engine", sqitch) {
            try EngineAction(options: options, verbose: verbose).execute(sqitch, arguments)
        }
    }
}
