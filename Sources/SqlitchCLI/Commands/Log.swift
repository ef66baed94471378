import ArgumentParser
import SqlitchCore

/// `log`: not implemented yet.
struct LogCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "log", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
