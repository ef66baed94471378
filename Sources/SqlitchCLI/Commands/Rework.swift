import ArgumentParser
import SqlitchCore

/// `rework`: not implemented yet.
struct ReworkCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "rework", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
