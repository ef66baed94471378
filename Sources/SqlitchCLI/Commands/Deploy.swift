import ArgumentParser
import SqlitchCore

/// `deploy`: not implemented yet.
struct DeployCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "deploy", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
