import ArgumentParser
import Foundation
import SqlitchCore

/// `log`: lists the events recorded in a target's registry.
struct LogCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "log", helpNames: [])

    /// The command line as Getopt canonicalized it; read again with the same specification,
    /// so empty values (`--format=`) survive.
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try withUsage("log", sqitch) {
            let parsed = try GetoptArguments.parse(arguments, command: "log")
            var options = LogAction.Options()
            options.connection = ConnectionOptions(parsed)
            for (name, value) in parsed.options {
                switch (name, value) {
                case ("event", .text(let text)): options.events = (options.events ?? []) + [text]
                case ("target", .text(let text)): options.target = text
                case ("change-pattern", .text(let text)): options.changePattern = text
                case ("project-pattern", .text(let text)): options.projectPattern = text
                case ("committer-pattern", .text(let text)): options.committerPattern = text
                case ("format", .text(let text)): options.format = text
                case ("date-format", .text(let text)): options.dateFormat = text
                case ("max-count", .integer(let number)): options.maxCount = number
                case ("skip", .integer(let number)): options.skip = number
                case ("reverse", .on): options.reverse = true
                case ("reverse", .off): options.reverse = false
                case ("color", .text(let text)): options.color = text
                case ("no-color", .on): options.noColor = true
                case ("abbrev", .integer(let number)): options.abbrev = number
                case ("oneline", .on): options.oneline = true
                case ("headers", .on): options.headers = true
                case ("headers", .off): options.headers = false
                default: break
                }
            }
            options.outputIsTerminal = isatty(1) != 0
            let action = try LogAction(options: options, config: sqitch.config, environment: sqitch.environment)
            return try action.execute(sqitch, arguments: parsed.arguments)
        }
    }
}
