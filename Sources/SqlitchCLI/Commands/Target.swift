import ArgumentParser
import SqlitchCore

/// `target`: not implemented yet.
struct TargetCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "target", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
