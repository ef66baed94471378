import Foundation
import SqlitchCore
import SqlitchTestSupport

/// The engines the reliability suites run on.
enum ReliabilityEngine: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, pg, mysql

    var description: String { rawValue }

    /// Whether the engine can be tested here; prints why not when it cannot.
    var isAvailable: Bool {
        switch self {
        case .sqlite: return true
        case .pg:
            if PostgresServer.isAvailable { return true }
            print("PostgreSQL reliability tests skipped: \(PostgresServer.unavailableReason ?? "no server")")
            return false
        case .mysql:
            if MySQLServer.isAvailable { return true }
            print("MySQL reliability tests skipped: \(MySQLServer.unavailableReason ?? "no server")")
            return false
        }
    }

    /// Engines whose tests run here; in CI every engine must be there.
    static var testable: [ReliabilityEngine] {
        allCases.filter { $0.isAvailable || ParityHarness.inCI }
    }

    static var servers: [ReliabilityEngine] { testable.filter { $0 != .sqlite } }
}

/// A project of numbered changes (`c001`, `c002`, ...) deployed to a fresh database of one
/// engine, and what the tests read of that database: the changes its registry lists and the
/// tables the changes' scripts created (each change creates the table of its name).
///
/// The scripts can run twice: `CREATE TABLE IF NOT EXISTS` and `DROP TABLE IF EXISTS`.
/// A run killed while a client runs a script leaves that client running (neither Sqitch
/// nor sqlitch can stop a child when they are killed): its script completes, and its change
/// is not recorded; the next run must be able to run it again.
final class ReliabilityTarget: @unchecked Sendable {
    let engine: ReliabilityEngine
    let directory: TemporaryDirectory
    let changes: [String]
    var environment: [String: String]
    private(set) var database = ""
    private var registry = ""
    private var postgres: PostgresConnection?
    private var mysql: MySQLConnection?

    /// `user` and `password` go into the target's URI (PostgreSQL: `user` owns the database).
    init(_ engine: ReliabilityEngine, changes count: Int, tagEvery: Int = 50, prefix: String = "reliability",
         user: String? = nil, password: String? = nil) throws {
        self.engine = engine
        directory = try TemporaryDirectory(prefix: prefix)
        changes = (1...count).map { String(format: "c%03d", $0) }
        environment = ParityHarness.isolatedEnvironment(root: directory.path)
        let conf: String
        switch engine {
        case .sqlite:
            conf = "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:k.db\n"
        case .pg:
            let server = try PostgresServer.require()
            database = try server.createDatabase(prefix: prefix, owner: user)
            conf = "[core]\n\tengine = pg\n[engine \"pg\"]\n\ttarget = \(server.uri(database: database, user: user, password: password))\n"
        case .mysql:
            let server = try MySQLServer.require()
            database = try server.createDatabase(prefix: prefix)
            registry = database + "_reg"
            conf = "[core]\n\tengine = mysql\n[engine \"mysql\"]\n\ttarget = \(server.uri(database: database, user: user, password: password))\n"
                + "\tregistry = \(registry)\n"
        }
        var plan = "%syntax-version=1.0.0\n%project=reliable\n\n"
        for (index, name) in changes.enumerated() {
            plan += "\(name) 2024-01-02T03:04:05Z Test User <test@example.com> # Change \(name).\n"
            if (index + 1) % tagEvery == 0 {
                plan += "@t\(index + 1) 2024-01-02T03:04:06Z Test User <test@example.com> # Tag.\n"
            }
        }
        try directory.write("sqitch.conf", conf)
        try directory.write("sqitch.plan", plan)
        for name in changes {
            try directory.write("deploy/\(name).sql", "CREATE TABLE IF NOT EXISTS \(name) (id INTEGER);\n")
            try directory.write("revert/\(name).sql", "DROP TABLE IF EXISTS \(name);\n")
            try directory.write("verify/\(name).sql", "SELECT id FROM \(name) WHERE 1 = 0;\n")
        }
    }

    deinit {
        postgres?.close()
        mysql?.close()
        switch engine {
        case .sqlite: break
        case .pg: try? PostgresServer.require().dropDatabase(database)
        case .mysql:
            try? MySQLServer.require().dropDatabase(database)
            try? MySQLServer.require().dropDatabase(registry)
        }
    }

    /// The engine's registry dialect, which knows its "no such table" errors.
    var dialect: RegistryDialect {
        switch engine {
        case .sqlite: return SQLiteDialect()
        case .pg: return PostgresDialect()
        case .mysql: return MySQLDialect()
        }
    }

    /// True for an error saying the registry (or its database or schema) is not there.
    func isMissingRegistry(_ error: EngineError) -> Bool {
        dialect.isNoTableError(error) || (engine == .pg && error.databaseCode == "3F000")
    }

    /// The changes the registry lists, sorted (their names sort in plan order); none when
    /// there is no registry yet.
    func recorded() throws -> [String] {
        switch engine {
        case .sqlite:
            let path = directory.path + "/sqitch.db"
            guard FileManager.default.fileExists(atPath: path) else { return [] }
            let connection = try SQLiteConnection(path: path, flags: [.readOnly])
            do {
                return try connection.query("SELECT change FROM changes").compactMap { $0.values[0].text }.sorted()
            } catch let error as EngineError where isMissingRegistry(error) {
                return []
            }
        case .pg:
            do {
                return try pg().query("SELECT change FROM sqitch.changes").compactMap { $0[0].text }.sorted()
            } catch let error as EngineError where isMissingRegistry(error) {
                return []
            }
        case .mysql:
            do {
                return try my().query("SELECT `change` FROM `\(registry)`.changes").compactMap { $0[0].text }.sorted()
            } catch let error as EngineError where isMissingRegistry(error) {
                return []
            }
        }
    }

    /// The changes' tables in the database, sorted.
    func tables() throws -> [String] {
        let names: [String]
        switch engine {
        case .sqlite:
            let path = directory.path + "/k.db"
            guard FileManager.default.fileExists(atPath: path) else { return [] }
            let connection = try SQLiteConnection(path: path, flags: [.readOnly])
            names = try connection.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.values[0].text }
        case .pg:
            names = try pg().query("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public'")
                .compactMap { $0[0].text }
        case .mysql:
            names = try my().query("SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
                                   [.text(database)]).compactMap { $0[0].text }
        }
        return names.filter { $0.hasPrefix("c") }.sorted()
    }

    /// The rows of the registry's `changes` and `events` tables by change, for duplicates.
    func registryRowCounts() throws -> (changes: Int, distinctChanges: Int, events: Int) {
        let sql = { (schema: String, quote: String) in
            "SELECT (SELECT COUNT(*) FROM \(schema)changes), (SELECT COUNT(DISTINCT \(quote)change\(quote)) FROM \(schema)changes), "
                + "(SELECT COUNT(*) FROM \(schema)events)"
        }
        let row: DatabaseRow?
        switch engine {
        case .sqlite:
            let connection = try SQLiteConnection(path: directory.path + "/sqitch.db", flags: [.readOnly])
            row = try connection.query(sql("", "\"")).first
        case .pg: row = try pg().query(sql("sqitch.", "\"")).first
        case .mysql: row = try my().query(sql("`\(registry)`.", "`")).first
        }
        let values = row?.values.map { Int($0.text ?? "") ?? -1 } ?? [-1, -1, -1]
        return (values[0], values[1], values[2])
    }

    func pg() throws -> PostgresConnection {
        if let postgres { return postgres }
        let server = try PostgresServer.require()
        let opened = try PostgresConnection(parameters: [
            ("host", server.host), ("port", String(server.port)), ("user", server.user), ("dbname", database),
        ])
        postgres = opened
        return opened
    }

    func my() throws -> MySQLConnection {
        if let mysql { return mysql }
        let server = try MySQLServer.require()
        let opened = try MySQLConnection(.init(host: server.host, port: server.port, user: server.user))
        mysql = opened
        return opened
    }

    // MARK: Running sqlitch

    /// Starts sqlitch in the project.
    func start(_ arguments: [String]) throws -> RunningProcess {
        let sqlitch = try ReliabilityTarget.sqlitch()
        return try ParityHarness.start(sqlitch, arguments, in: directory.path, environment: environment)
    }

    /// Runs sqlitch in the project to its end (at most `seconds`, then it is killed).
    func run(_ arguments: [String], seconds: Double = 300) throws -> ParityOutput {
        let child = try start(arguments)
        return Watchdog.finish(child, seconds: seconds)
    }

    static func sqlitch() throws -> String {
        guard let path = ParityHarness.sqlitchPath else { throw EngineError("the sqlitch binary was not found") }
        return path
    }
}

/// Waiting for programs with a deadline, and for the clients a killed program left behind.
enum Watchdog {
    /// Waits for `child`; kills it (and fails the wait's result with exit 124) after `seconds`.
    static func finish(_ child: RunningProcess, seconds: Double) -> ParityOutput {
        let done = DispatchSemaphore(value: 0)
        let pid = child.pid
        let timedOut = LockedFlag()
        Thread.detachNewThread {
            if done.wait(timeout: .now() + seconds) == .timedOut {
                timedOut.set()
                kill(pid, SIGKILL)
            }
        }
        let result = child.finish()
        done.signal()
        return ParityOutput(stdout: result.standardOutput, stderr: result.standardError,
                            exitCode: timedOut.value ? 124 : result.exitStatus)
    }

    /// The processes descended from `pid` (children, their children, ...), from /proc.
    static func descendants(of pid: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[child] = parent }
        }
        var found: [Int32] = []
        var frontier = [pid]
        while let next = frontier.popLast() {
            let children = parents.filter { $0.value == next }.map(\.key)
            found += children
            frontier += children
        }
        return found
    }

    /// True while `pid` runs (a zombie no longer runs).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// Waits (up to `seconds`) until none of `pids` runs; returns whether they all ended.
    static func awaitEnd(of pids: [Int32], seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while pids.contains(where: isRunning) {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return true
    }
}

/// A flag set from one thread and read from another.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.withLock { flag = true } }
    var value: Bool { lock.withLock { flag } }
}

/// A small deterministic random source (SplitMix64), so a failing run can be repeated.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
