import ArgumentParser
import SqlitchCore

/// `status`: shows the deployed state of a target against its plan.
struct StatusCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "status", helpNames: [])

    /// The command line as Getopt canonicalized it; read again with the same specification,
    /// so empty values (`--date-format=`) survive.
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try withUsage("status", sqitch) {
            let parsed = try GetoptArguments.parse(arguments, command: "status")
            var options = StatusAction.Options()
            options.connection = ConnectionOptions(parsed)
            for (name, value) in parsed.options {
                switch (name, value) {
                case ("target", .text(let text)): options.target = text
                case ("project", .text(let text)): options.project = text
                case ("show-tags", .on): options.showTags = true
                case ("show-changes", .on): options.showChanges = true
                case ("date-format", .text(let text)): options.dateFormat = text
                default: break
                }
            }
            let action = try StatusAction(options: options, config: sqitch.config)
            return try action.execute(sqitch, arguments: parsed.arguments)
        }
    }
}

/// Reads a command's canonical arguments with its Getopt specification.
enum GetoptArguments {
    static func parse(_ arguments: [String], command: String) throws -> Getopt.Result {
        let parsed = Getopt(CommandOptions.specs[command] ?? []).parse(arguments)
        if !parsed.errors.isEmpty { throw SqitchError.usage(parsed.errors.joined(separator: "\n")) }
        return parsed
    }
}
