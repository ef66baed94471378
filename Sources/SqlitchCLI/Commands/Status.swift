import ArgumentParser
import SqlitchCore

/// `status`: shows the deployed state of a target against its plan.
struct StatusCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "status", helpNames: [])

    @Option(name: .customLong("project"), parsing: .unconditional) var project: String?
    @Option(name: .customLong("target"), parsing: .unconditional) var target: String?
    @Flag(name: .customLong("show-tags")) var showTags = false
    @Flag(name: .customLong("show-changes")) var showChanges = false
    @Option(name: .customLong("date-format"), parsing: .unconditional) var dateFormat: String?
    @OptionGroup var connection: ConnectionArguments
    @Option(name: .customLong("plan-file"), parsing: .unconditional) var planFile: String?
    @Option(name: .customLong("top-dir"), parsing: .unconditional) var topDir: String?

    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try withUsage("status", sqitch) {
            var options = StatusAction.Options()
            options.target = target
            options.project = project
            options.showTags = showTags ? true : nil
            options.showChanges = showChanges ? true : nil
            options.dateFormat = dateFormat
            options.connection = connection.connectionOptions(planFile: planFile, topDir: topDir)
            let action = try StatusAction(options: options, config: sqitch.config)
            return try action.execute(sqitch, arguments: arguments)
        }
    }
}

extension ConnectionArguments {
    /// The connection and context options for the library's `EngineSession`.
    func connectionOptions(planFile: String? = nil, topDir: String? = nil) -> ConnectionOptions {
        ConnectionOptions(registry: registry, client: client, dbName: dbName, dbUser: dbUser, dbHost: dbHost,
                          dbPort: dbPort.map { String(Int($0) ?? 0) }, planFile: planFile, topDir: topDir)
    }
}
