import ArgumentParser
import SqlitchCore

/// `plan`: not implemented yet.
struct PlanCommand: PendingCommand {
    static let configuration = CommandConfiguration(commandName: "plan", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
