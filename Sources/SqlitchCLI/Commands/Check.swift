import ArgumentParser
import SqlitchCore

/// `check`: not implemented yet.
struct CheckCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "check", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
