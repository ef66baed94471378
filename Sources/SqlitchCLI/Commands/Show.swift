import ArgumentParser
import SqlitchCore

/// `show`: not implemented yet.
struct ShowCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "show", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
