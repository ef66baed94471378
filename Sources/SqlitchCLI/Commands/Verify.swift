import ArgumentParser
import SqlitchCore

/// `verify`: not implemented yet.
struct VerifyCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "verify", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
