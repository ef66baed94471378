import ArgumentParser
import SqlitchCore

/// `target [list|add|alter|remove|rm|rename|show]`: manages `[target "<name>"]` settings.
struct TargetCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "target", helpNames: [])

    @Option(name: .customLong("uri")) var uri: String?
    @OptionGroup var shared: TargetConfigArguments
    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        var options = shared.options
        options.uri = uri
        let verbose = (Sqlitch.verbosityOption ?? 0) > 0
        return try withUsage("target", sqitch) {
            try TargetAction(options: options, verbose: verbose).execute(sqitch, arguments)
        }
    }
}
