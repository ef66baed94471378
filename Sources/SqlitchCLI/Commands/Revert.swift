import ArgumentParser
import SqlitchCore

/// `revert`: not implemented yet.
struct RevertCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "revert", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
