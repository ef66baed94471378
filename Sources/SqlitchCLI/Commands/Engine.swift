import ArgumentParser
import SqlitchCore

/// `engine`: not implemented yet.
struct EngineCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "engine", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
