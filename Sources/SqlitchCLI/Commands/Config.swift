import ArgumentParser
import SqlitchCore

/// `config`: not implemented yet.
struct ConfigCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "config", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
