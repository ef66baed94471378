import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

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
    /// Text written to the child's standard input, then closed; nil = no input at all.
    public var input: String?
    public var output: ProcessOutput
    public var error: ProcessOutput
    /// The child's working directory; nil = the context's working directory.
    public var workingDirectory: String?

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
            throw SqitchError("ipc", failure)
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

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            1: "HUP", 2: "INT", 3: "QUIT", 4: "ILL", 5: "TRAP", 6: "ABRT", 7: "BUS", 8: "FPE", 9: "KILL",
            10: "USR1", 11: "SEGV", 12: "USR2", 13: "PIPE", 14: "ALRM", 15: "TERM",
        ]
        return names[signal] ?? "NUM\(signal)"
    }
}

/// The real runner, over swift-subprocess. Its asynchronous API is bridged to our synchronous
/// library by running it in a detached task on a private executor and blocking the calling
/// thread on a semaphore until it finishes.
public struct SubprocessRunner: ProcessRunner {
    /// Upper bound for captured output of one stream.
    public var captureLimit: Int

    public init(captureLimit: Int = 1 << 30) { self.captureLimit = captureLimit }

    public func execute(_ command: ProcessCommand, environment: Environment, files: FileSystem, console: Console) throws -> ProcessResult {
        if command.executable.isEmpty {
            throw SqitchError("ipc", "Entirely blank command passed: \"\"")
        }
        guard let path = SubprocessRunner.resolve(command.executable, environment: environment, files: files) else {
            throw SqitchError("ipc", ProcessFailure.startMessage(command.executable, reason: String(cString: strerror(ENOENT))))
        }
        var variables = environment.variables
        for (name, value) in command.environment { variables[name] = value }
        let entries = variables.sorted { $0.key < $1.key }.map { Array("\($0.key)=\($0.value)\0".utf8) }
        let directory = files.absolute(command.workingDirectory ?? ".")
        if command.output == .passThrough || command.error == .passThrough { console.flush() }

        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        let limit = captureLimit
        let operation: @Sendable () async -> Void = {
            let outcome: Result<ProcessResult, Error>
            do {
                outcome = .success(try await SubprocessRunner.spawn(
                    path: path, command: command, environment: .custom(entries), directory: directory, limit: limit))
            } catch {
                outcome = .failure(error)
            }
            box.set(outcome)
            semaphore.signal()
        }
        // The task runs on its own dispatch queue, never on Swift's cooperative pool: the
        // caller may itself be a pool thread (a test, an async command), and blocking every
        // pool thread while the task waits for one would deadlock.
        if #available(macOS 15, *) {
            Task.detached(executorPreference: BlockingBridgeExecutor(), operation: operation)
        } else {
            Task.detached(operation: operation)
        }
        semaphore.wait()
        switch box.get()! {
        case .success(let result):
            return result
        case .failure(let error as SubprocessError):
            let reason = error.underlyingError.map { String(cString: strerror($0.rawValue)) } ?? "\(error)"
            throw SqitchError("ipc", ProcessFailure.startMessage(command.executable, reason: reason))
        case .failure(let error):
            throw SqitchError("ipc", ProcessFailure.startMessage(command.executable, reason: "\(error)"))
        }
    }

    /// The absolute path of `executable`: a name with a slash is taken relative to the working
    /// directory; a bare name is searched on the environment's `PATH`. Nil if not executable.
    public static func resolve(_ executable: String, environment: Environment, files: FileSystem) -> String? {
        if executable.isEmpty { return nil }
        if executable.contains("/") {
            let path = files.absolute(executable)
            return isExecutableFile(path) ? path : nil
        }
        let search = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in search.split(separator: ":", omittingEmptySubsequences: false) {
            let base = dir.isEmpty ? files.workingDirectory : files.absolute(String(dir))
            let candidate = base.hasSuffix("/") ? base + executable : base + "/" + executable
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    /// One spawn; the generic output kinds are fixed here, one overload per combination.
    static func spawn(path: String, command: ProcessCommand, environment: Subprocess.Environment,
                      directory: String, limit: Int) async throws -> ProcessResult {
        switch (command.output == .capture, command.error == .capture) {
        case (true, true):
            return try await spawn(path, command, environment, directory, .bytes(limit: limit), .bytes(limit: limit),
                                   { $0 }, { $0 })
        case (true, false):
            return try await spawn(path, command, environment, directory, .bytes(limit: limit),
                                   try descriptor(command.error, standard: .standardError), { $0 }, { _ in [] })
        case (false, true):
            return try await spawn(path, command, environment, directory,
                                   try descriptor(command.output, standard: .standardOutput), .bytes(limit: limit),
                                   { _ in [] }, { $0 })
        case (false, false):
            return try await spawn(path, command, environment, directory,
                                   try descriptor(command.output, standard: .standardOutput),
                                   try descriptor(command.error, standard: .standardError), { _ in [] }, { _ in [] })
        }
    }

    static func descriptor(_ output: ProcessOutput, standard: FileDescriptor) throws -> FileDescriptorOutput {
        if output == .discard {
            return .fileDescriptor(try FileDescriptor.open("/dev/null", .writeOnly), closeAfterSpawningProcess: true)
        }
        return .fileDescriptor(standard, closeAfterSpawningProcess: false)
    }

    static func spawn<Output: OutputProtocol, Failure: ErrorOutputProtocol>(
        _ path: String, _ command: ProcessCommand, _ environment: Subprocess.Environment, _ directory: String,
        _ output: Output, _ error: Failure,
        _ out: (Output.OutputType) -> [UInt8], _ err: (Failure.OutputType) -> [UInt8]
    ) async throws -> ProcessResult {
        let executable = Executable.path(FilePath(path))
        let arguments = Arguments(command.arguments)
        let workingDirectory = FilePath(directory)
        let collected: ExecutionResult<Void, Output, Failure>
        if let text = command.input {
            collected = try await Subprocess.run(
                executable, arguments: arguments, environment: environment, workingDirectory: workingDirectory,
                input: .string(text), output: output, error: error)
        } else {
            collected = try await Subprocess.run(
                executable, arguments: arguments, environment: environment, workingDirectory: workingDirectory,
                input: .none, output: output, error: error)
        }
        var result = ProcessResult(
            exitStatus: 0,
            standardOutput: String(decoding: out(collected.standardOutput), as: UTF8.self),
            standardError: String(decoding: err(collected.standardError), as: UTF8.self))
        switch collected.terminationStatus {
        case .exited(let code):
            result.exitStatus = Int32(code)
        case .signaled(let signal):
            result.signal = Int32(signal)
            result.exitStatus = 128 + Int32(signal)
        }
        return result
    }
}

/// Runs one bridged task's jobs on a serial dispatch queue of its own. A serial queue draws
/// its thread from dispatch's overcommitting pool, which grows when threads block, unlike
/// Swift's cooperative pool (one thread per core) that the blocked caller may belong to.
@available(macOS 15, *)
private final class BlockingBridgeExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "sqlitch.process-runner")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

/// Carries the detached task's outcome back to the blocked caller.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<ProcessResult, Error>?
    func set(_ value: Result<ProcessResult, Error>) { lock.withLock { self.value = value } }
    func get() -> Result<ProcessResult, Error>? { lock.withLock { value } }
}
