import ArgumentParser
import SqlitchCore

/// `add`: not implemented yet.
struct AddCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "add", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
