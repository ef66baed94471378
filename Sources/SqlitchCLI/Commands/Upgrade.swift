import ArgumentParser
import SqlitchCore

/// `upgrade`: not implemented yet.
struct UpgradeCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "upgrade", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
