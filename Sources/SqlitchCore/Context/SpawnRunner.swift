import FoundationEssentials
import Glibc

/// The real runner: `posix_spawn` and `poll`, entirely synchronous.
///
/// The library is synchronous (the C clients block, and so do the native clients), so child
/// processes are run without Swift concurrency: an asynchronous process API bridged back to
/// synchronous code must block a thread while it waits for the cooperative pool, and callers
/// that are themselves pool threads (tests, async commands) can then deadlock it.
public struct SpawnRunner: ProcessRunner {
    public init() {}

    public func execute(_ command: ProcessCommand, environment: Environment, files: FileSystem, console: Console) throws -> ProcessResult {
        if command.executable.isEmpty {
            throw ProcessError("Entirely blank command passed: \"\"")
        }
        guard let path = command.launchPath ?? SpawnRunner.resolve(command.executable, environment: environment, files: files) else {
            throw ProcessFailure.startError(command.executable, cause: String(cString: strerror(ENOENT)))
        }
        var variables = environment.variables
        for (name, value) in command.environment { variables[name] = value }
        let directory = files.absolute(command.workingDirectory ?? ".")
        if command.output == .passThrough || command.error == .passThrough {
            console.flush()
        }
        return try SpawnRunner.start(
            path: path, arguments: command.arguments, environment: variables, directory: directory,
            input: command.input, output: command.output, error: command.error).finish()
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
}

/// A child started by `SpawnRunner.start` and not yet waited for. Used by one thread at a
/// time: whoever calls `finish()` owns it until it returns.
public final class RunningProcess: @unchecked Sendable {
    private var child: ChildProcess
    /// The child's process ID.
    public var pid: Int32 { child.pid }

    init(_ child: ChildProcess) { self.child = child }

    /// Feeds the input, drains the captured streams, and waits for the child to end.
    public func finish() -> ProcessResult {
        let (out, err) = child.communicate()
        let (status, signal) = child.wait()
        return ProcessResult(
            exitStatus: status, signal: signal,
            standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self))
    }

    /// Sends the child SIGTERM (it is still to be waited for with `finish()`).
    public func terminate() {
        kill(child.pid, SIGTERM)
    }
}

extension SpawnRunner {
    /// Starts the program at `path` and returns at once: the caller chooses where to wait for
    /// it (`finish()`), so several children can run side by side. Nothing of the context is
    /// used: the environment and the working directory are given whole.
    public static func start(path: String, arguments: [String], environment: [String: String], directory: String,
                             input: String? = nil, output: ProcessOutput = .capture,
                             error: ProcessOutput = .capture) throws -> RunningProcess {
        RunningProcess(try ChildProcess.spawn(
            path: path, arguments: arguments, environment: environment, directory: directory,
            input: input.map { Array($0.utf8) }, output: output, error: error))
    }
}

/// One spawned child and the parent's ends of its pipes.
struct ChildProcess {
    var pid: pid_t
    /// Parent's write end of the child's standard input, with the bytes still to write.
    var inputFD: Int32?
    var input: [UInt8]
    var outputFD: Int32?
    var errorFD: Int32?

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    /// glibc's `posix_spawn_file_actions_addchdir_np`, which Swift's Glibc module does not show.
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+): the child gets no descriptor
    /// above standard error, even one another library opened without close-on-exec.
    private static let addCloseFrom: AddCloseFrom? = {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            .map { unsafeBitCast($0, to: AddCloseFrom.self) }
    }()

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    /// `pipe2`, likewise not shown by Swift's Glibc module.
    private static let pipe2: Pipe2? = {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    }()

    static func spawn(path: String, arguments: [String], environment: [String: String], directory: String,
                      input: [UInt8]?, output: ProcessOutput, error: ProcessOutput) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var toClose: [Int32] = []
        defer { toClose.forEach { close($0) } }

        func pipePair() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            // Close-on-exec from the start, so a child spawned by another thread meanwhile
            // cannot inherit our ends of the pipe (and keep it open).
            let rc = pipe2.map { $0(&fds, O_CLOEXEC) } ?? pipe(&fds)
            guard rc == 0 else {
                throw ProcessFailure.startError(path, cause: String(cString: strerror(errno)))
            }
            if pipe2 == nil {
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            }
            return (fds[0], fds[1])
        }

        var child = ChildProcess(pid: 0, inputFD: nil, input: input ?? [], outputFD: nil, errorFD: nil)
        if input != nil {
            let p = try pipePair()
            posix_spawn_file_actions_adddup2(&actions, p.read, 0)
            toClose.append(p.read)
            // Non-blocking, so a write never waits for the child to read everything while
            // the child waits for us to drain its output.
            _ = fcntl(p.write, F_SETFL, fcntl(p.write, F_GETFL) | O_NONBLOCK)
            child.inputFD = p.write
        }
        for (kind, target) in [(output, Int32(1)), (error, Int32(2))] {
            switch kind {
            case .passThrough:
                break
            case .discard:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case .capture:
                let p = try pipePair()
                posix_spawn_file_actions_adddup2(&actions, p.write, target)
                toClose.append(p.write)
                if target == 1 { child.outputFD = p.read } else { child.errorFD = p.read }
            }
        }

        _ = addCloseFrom.map { $0(&actions, 3) }

        var executable = path
        var argv = [path] + arguments
        if directory != FileManager.default.currentDirectoryPath {
            if let addChdir = addChdir {
                _ = addChdir(&actions, directory)
            } else {
                executable = "/bin/sh"
                argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + argv
            }
        }

        // The child gets default signal handling back (we ignore SIGPIPE while feeding it, and
        // SIGXFSZ).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGXFSZ)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // Nor does it inherit the calling thread's blocked signals (dispatch's worker threads
        // block most of them), or `kill -TERM` would not end it.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        if input != nil { signal(SIGPIPE, SIG_IGN) }

        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnv)
        if rc != 0 {
            [child.inputFD, child.outputFD, child.errorFD].compactMap { $0 }.forEach { close($0) }
            throw ProcessFailure.startError(path, cause: String(cString: strerror(rc)))
        }
        child.pid = pid
        return child
    }

    /// Feeds standard input and drains the captured pipes together, so no pipe can fill up
    /// and stall the child; returns the captured bytes.
    mutating func communicate() -> (output: [UInt8], error: [UInt8]) {
        var output: [UInt8] = []
        var error: [UInt8] = []
        var written = 0
        if let fd = inputFD, input.isEmpty {
            close(fd)
            inputFD = nil
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while inputFD != nil || outputFD != nil || errorFD != nil {
            var fds: [pollfd] = []
            if let fd = inputFD { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            if let fd = outputFD { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if let fd = errorFD { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == inputFD {
                    let n = input.withUnsafeBytes { raw in
                        Glibc.write(entry.fd, raw.baseAddress! + written, raw.count - written)
                    }
                    if n > 0 { written += n }
                    if n < 0 && errno != EINTR && errno != EAGAIN || written >= input.count {
                        close(entry.fd)
                        inputFD = nil
                    }
                    continue
                }
                let n = buffer.withUnsafeMutableBytes { raw in read(entry.fd, raw.baseAddress!, raw.count) }
                if n > 0 {
                    if entry.fd == outputFD { output += buffer[0..<n] } else { error += buffer[0..<n] }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    if entry.fd == outputFD { outputFD = nil } else { errorFD = nil }
                }
            }
        }
        return (output, error)
    }

    /// Waits for the child; returns its exit value (128 + signal when killed) and the signal.
    func wait() -> (Int32, Int32?) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return (127, nil) }
        }
        let low = status & 0x7f
        if low == 0 { return ((status >> 8) & 0xff, nil) }
        return (128 + low, low)
    }
}
