import ArgumentParser
import SqlitchCore

/// `help`: not implemented yet.
struct HelpCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "help", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
