import ArgumentParser
import SqlitchCore

/// `status`: not implemented yet.
struct StatusCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "status", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
