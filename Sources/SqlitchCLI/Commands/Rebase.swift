import ArgumentParser
import SqlitchCore

/// `rebase`: not implemented yet.
struct RebaseCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "rebase", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
