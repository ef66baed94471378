import ArgumentParser
import Foundation
import SqlitchCore

/// `log`: lists the events recorded in a target's registry.
struct LogCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "log", helpNames: [])

    @Option(name: .customLong("event"), parsing: .unconditionalSingleValue) var events: [String] = []
    @Option(name: .customLong("target"), parsing: .unconditional) var target: String?
    @Option(name: .customLong("change-pattern"), parsing: .unconditional) var changePattern: String?
    @Option(name: .customLong("project-pattern"), parsing: .unconditional) var projectPattern: String?
    @Option(name: .customLong("committer-pattern"), parsing: .unconditional) var committerPattern: String?
    @Option(name: .customLong("format"), parsing: .unconditional) var format: String?
    @Option(name: .customLong("date-format"), parsing: .unconditional) var dateFormat: String?
    @Option(name: .customLong("max-count"), parsing: .unconditional) var maxCount: Int?
    @Option(name: .customLong("skip"), parsing: .unconditional) var skip: Int?
    @Flag(name: .customLong("reverse"), inversion: .prefixedNo) var reverse: Bool?
    @Option(name: .customLong("color"), parsing: .unconditional) var color: String?
    @Flag(name: .customLong("no-color")) var noColor = false
    @Option(name: .customLong("abbrev"), parsing: .unconditional) var abbrev: Int?
    @Flag(name: .customLong("oneline")) var oneline = false
    @Flag(name: .customLong("headers"), inversion: .prefixedNo) var headers: Bool?
    @OptionGroup var connection: ConnectionArguments

    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try withUsage("log", sqitch) {
            var options = LogAction.Options()
            options.target = target
            options.events = events.isEmpty ? nil : events
            options.changePattern = changePattern
            options.projectPattern = projectPattern
            options.committerPattern = committerPattern
            options.format = format
            options.dateFormat = dateFormat
            options.maxCount = maxCount
            options.skip = skip
            options.reverse = reverse
            options.color = color
            options.noColor = noColor
            options.abbrev = abbrev
            options.oneline = oneline
            options.headers = headers
            options.connection = connection.connectionOptions()
            options.outputIsTerminal = isatty(1) != 0
            let action = try LogAction(options: options, config: sqitch.config, environment: sqitch.environment)
            return try action.execute(sqitch, arguments: arguments)
        }
    }
}
