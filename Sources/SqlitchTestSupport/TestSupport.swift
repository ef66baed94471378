import Foundation
import SqlitchCore

/// A sink that keeps what was written, for assertions.
public final class RecordingSink: TextSink, @unchecked Sendable {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
}

/// A fresh temporary directory, removed when the value is dropped.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(prefix: String = "sqlitch-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        let path = base + "/" + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        self.path = path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `relative`, creating parent directories.
    public func write(_ relative: String, _ text: String) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    /// The text of `relative`, or nil when it does not exist.
    public func read(_ relative: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path + "/" + relative) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Copies a folder of `Fixtures/` into this directory.
    public func copyFixture(_ name: String) throws {
        let source = Fixtures.path(name)
        for item in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: source + "/" + item, toPath: path + "/" + item)
        }
    }
}

/// The repository's `Fixtures/` folder.
public enum Fixtures {
    public static func path(_ name: String, file: StaticString = #filePath) -> String {
        packageRoot + "/Fixtures/" + name
    }

    /// The package's root, found from this source file's location.
    public static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }
}

/// A `Sqitch` context over a temporary project, with recorded output and an isolated
/// environment (no user or system configuration unless the test writes one).
public struct TestContext {
    public let directory: TemporaryDirectory
    public let out = RecordingSink()
    public let err = RecordingSink()
    public var environment: Environment
    public var clock: Clock

    public init(directory: TemporaryDirectory? = nil, environment: [String: String] = [:],
                clock: Clock = FixedClock(Date(timeIntervalSince1970: 1_704_164_645))) throws {
        self.directory = try directory ?? TemporaryDirectory()
        var env: [String: String] = [
            "HOME": self.directory.path + "/home",
            "SQITCH_USER_CONFIG": self.directory.path + "/home/.sqitch/sqitch.conf",
            "SQITCH_SYSTEM_CONFIG": self.directory.path + "/etc/sqitch.conf",
            "SQITCH_FULLNAME": "Test User",
            "SQITCH_EMAIL": "test@example.com",
            "TZ": "UTC",
        ]
        env.merge(environment) { $1 }
        self.environment = Environment(env)
        self.clock = clock
    }

    /// A new context reading the project's current files.
    public func sqitch(input: InputSource = NoInput(), verbosity: Int = 1) throws -> Sqitch {
        try Sqitch(
            environment: environment,
            console: Console(out: out, err: err, verbosity: verbosity),
            files: FileSystem(workingDirectory: directory.path),
            clock: clock,
            input: input,
            etcPath: directory.path + "/etc"
        )
    }
}

/// Runs a test server's command-line client (`psql`, `mariadb`).
enum ServerClient {
    /// Starts `path` with empty input and its output thrown away, and returns at once.
    static func start(_ path: String, _ arguments: [String], environment: [String: String]) throws -> RunningProcess {
        try SpawnRunner.start(path: path, arguments: arguments, environment: environment,
                              directory: FileManager.default.currentDirectoryPath, input: "",
                              output: .discard, error: .discard)
    }

    /// Runs `path` with `input` on its standard input and returns its standard output without
    /// the final newlines; when it fails, throws `failure(exit value, trimmed standard error)`.
    static func output(_ path: String, _ arguments: [String], environment: [String: String], input: String,
                       failure: (Int32, String) -> Error) throws -> String {
        let result = try SpawnRunner.start(path: path, arguments: arguments, environment: environment,
                                           directory: FileManager.default.currentDirectoryPath, input: input).finish()
        guard result.exitStatus == 0 else {
            throw failure(result.exitStatus, result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var text = result.standardOutput
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
