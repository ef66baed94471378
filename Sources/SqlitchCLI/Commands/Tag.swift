import ArgumentParser
import SqlitchCore

/// `tag`: not implemented yet.
struct TagCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "tag", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
