import FoundationEssentials

/// What happens to one output stream of a child process.
public enum ProcessOutput: Sendable, Equatable {
    /// The child writes straight to our own stream (after the console is flushed), as
    /// Sqitch's clients do when running deploy and revert scripts.
    case passThrough
    /// The text is collected and returned in the `ProcessResult`.
    case capture
    /// The text is thrown away.
    case discard
}

/// One program to run: the executable (a name looked up on the injected `PATH`, or a path),
/// its arguments, environment overrides, optional standard input and where its output goes.
public struct ProcessCommand: Sendable, Equatable {
    /// As the user gave it (`sqlite3`, `/usr/bin/psql`); error messages quote it this way.
    public var executable: String
    public var arguments: [String]
    /// Changes to the injected environment: a value sets a variable, nil removes it.
    public var environment: [String: String?]
    /// Text written to the child's standard input, then closed; nil = the child shares our
    /// standard input, as Sqitch's clients (and the editor) do.
    public var input: String?
    public var output: ProcessOutput
    public var error: ProcessOutput
    /// The child's working directory; nil = the context's working directory.
    public var workingDirectory: String?
    /// The file to start when the engine has already chosen it; nil = `executable`, looked
    /// up on `PATH`. Messages still name `executable`.
    public var launchPath: String?

    public init(
        _ executable: String,
        _ arguments: [String] = [],
        environment: [String: String?] = [:],
        input: String? = nil,
        output: ProcessOutput = .passThrough,
        error: ProcessOutput = .passThrough,
        workingDirectory: String? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.input = input
        self.output = output
        self.error = error
        self.workingDirectory = workingDirectory
    }

    /// `[executable] + arguments`.
    public var argv: [String] { [executable] + arguments }
}

/// How a child process ended, with whatever output was captured.
public struct ProcessResult: Sendable, Equatable {
    /// The exit value; for a child killed by a signal, 128 + the signal number.
    public var exitStatus: Int32
    /// The signal that killed the child, if one did.
    public var signal: Int32?
    /// Captured standard output (empty unless `.capture` was asked for).
    public var standardOutput: String
    /// Captured standard error (empty unless `.capture` was asked for).
    public var standardError: String

    public init(exitStatus: Int32, signal: Int32? = nil, standardOutput: String = "", standardError: String = "") {
        self.exitStatus = exitStatus
        self.signal = signal
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    public var succeeded: Bool { exitStatus == 0 && signal == nil }
}

/// Runs child processes (database clients) synchronously. The domain only sees this
/// protocol, so tests can substitute a recorder.
public protocol ProcessRunner: Sendable {
    /// Runs `command` with the injected `environment` (never the process's own) as its base
    /// and the working directory of `files`; flushes `console` before the child may write.
    /// Returns however the child ended; throws only when it could not be started
    /// (Sqitch's `"<program>" failed to start: "<reason>"`).
    func execute(_ command: ProcessCommand, environment: Environment, files: FileSystem, console: Console) throws -> ProcessResult
}

extension ProcessRunner {
    /// Runs `command` and fails as Sqitch's `run`/`capture` do when the child does not exit 0:
    /// any captured standard error, then `"<program>" unexpectedly returned exit value <n>`.
    @discardableResult
    public func run(_ command: ProcessCommand, sqitch: Sqitch) throws -> ProcessResult {
        let result = try execute(command, environment: sqitch.environment, files: sqitch.files, console: sqitch.console)
        if let failure = ProcessFailure.message(for: command, result: result) {
            throw ProcessError(failure)
        }
        return result
    }

    /// Sqitch's `run`: output and errors pass through; non-zero exit is an error.
    public func run(_ argv: [String], environment: [String: String?] = [:], sqitch: Sqitch) throws {
        try run(ProcessCommand(argv.first ?? "", Array(argv.dropFirst()), environment: environment), sqitch: sqitch)
    }

    /// Sqitch's `capture`: returns standard output; standard error passes through.
    public func capture(_ argv: [String], environment: [String: String?] = [:], sqitch: Sqitch) throws -> String {
        try run(ProcessCommand(argv.first ?? "", Array(argv.dropFirst()), environment: environment, output: .capture),
                sqitch: sqitch).standardOutput
    }

    /// Sqitch's `spool`: `input` is the child's standard input; output passes through.
    public func spool(_ input: String, _ argv: [String], environment: [String: String?] = [:], sqitch: Sqitch) throws {
        try run(ProcessCommand(argv.first ?? "", Array(argv.dropFirst()), environment: environment, input: input), sqitch: sqitch)
    }
}

/// The messages IPC::System::Simple gives Sqitch for a child that failed.
public enum ProcessFailure {
    /// Nil when the child succeeded. The message ends with a newline, as Sqitch's does
    /// (its reporter then prints an empty line after it).
    public static func message(for command: ProcessCommand, result: ProcessResult) -> String? {
        if result.succeeded { return nil }
        let prefix = command.error == .capture ? result.standardError : ""
        if let signal = result.signal {
            return prefix + "\"\(command.executable)\" died to signal \"\(signalName(signal))\" (\(signal))\n"
        }
        return prefix + "\"\(command.executable)\" unexpectedly returned exit value \(result.exitStatus)\n"
    }

    /// `"<program>" failed to start: "<reason>"`, with a newline.
    public static func startMessage(_ executable: String, reason: String) -> String {
        "\"\(executable)\" failed to start: \"\(reason)\"\n"
    }

    /// The failure of a program that could not be started.
    public static func startError(_ executable: String, cause: String) -> ProcessError {
        ProcessError(startMessage(executable, reason: cause), reason: .failedToStart(program: executable, cause: cause))
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            1: "HUP", 2: "INT", 3: "QUIT", 4: "ILL", 5: "TRAP", 6: "ABRT", 7: "BUS", 8: "FPE", 9: "KILL",
            10: "USR1", 11: "SEGV", 12: "USR2", 13: "PIPE", 14: "ALRM", 15: "TERM",
        ]
        return names[signal] ?? "NUM\(signal)"
    }
}

