import ArgumentParser
import SqlitchCore

/// `check`: compares the deploy scripts recorded in the registry with the plan's.
struct CheckCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "check", helpNames: [])

    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try VerifyCommand.run(.check, arguments, sqitch)
    }
}
