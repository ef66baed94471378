import ArgumentParser
import SqlitchCore

/// `init <project>`: writes the configuration, plan and script directories of a project.
struct InitCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "init", helpNames: [])

    @Option(name: .customLong("uri")) var uri: String?
    @Option(name: .customLong("engine")) var engine: String?
    @Option(name: .customLong("target")) var target: String?
    @OptionGroup var shared: TargetConfigArguments
    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        var options = shared.options
        options.engine = engine
        options.target = target
        return try withUsage("init", sqitch) {
            try InitAction(options: options, uri: uri).execute(sqitch, project: arguments.first)
        }
    }
}
