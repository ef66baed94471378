import ArgumentParser
import SqlitchCore

/// `init`: not implemented yet.
struct InitCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "init", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
