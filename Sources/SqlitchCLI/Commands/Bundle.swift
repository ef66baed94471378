import ArgumentParser
import SqlitchCore

/// `bundle`: not implemented yet.
struct BundleCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "bundle", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
