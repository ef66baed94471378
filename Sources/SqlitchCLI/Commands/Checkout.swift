import ArgumentParser
import SqlitchCore

/// `checkout`: not implemented yet.
struct CheckoutCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "checkout", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
