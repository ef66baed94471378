import ArgumentParser
import SqlitchCore

/// A subcommand: a grammar (ArgumentParser) plus one call into SqlitchCore.
protocol SqitchCommand: ParsableCommand {
    /// Runs the command against the context and returns the exit code.
    func execute(_ sqitch: Sqitch) throws -> Int32
}

extension SqitchCommand {
    /// Sqitch's commands have no `-h`/`--help` of their own: `-h` is `--db-host`, and `--help`
    /// is a core option handled before the command is parsed.
    static var sqitchConfiguration: CommandConfiguration {
        CommandConfiguration(helpNames: [])
    }
}

/// A command that sqlitch does not implement yet: it says so and exits 2.
protocol PendingCommand: SqitchCommand {}

extension PendingCommand {
    func execute(_ sqitch: Sqitch) throws -> Int32 {
        throw SqitchError("sqitch", "The \"\(Self._commandName)\" command is not implemented in sqlitch yet")
    }
}
