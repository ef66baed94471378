import Foundation
import SqlitchCore

// The parity harness: runs one scenario with the reference `sqitch` (from PATH) and with the
// built `sqlitch` binary, each in a fresh temporary copy of the same files and an isolated
// environment, and reports every difference in output, exit code and written files.

/// One command line of a scenario, with any deliberate difference sqlitch has on it.
public struct ParityStep: Sendable, CustomStringConvertible {
    /// The arguments after the program name.
    public var arguments: [String]
    /// What sqlitch does differently on purpose; empty when it must match Sqitch exactly.
    public var deviations: [ParityDeviation]
    /// Why sqlitch differs (a row of docs/DIFFERENCES.md, or a fact sheet §12 item).
    public var reason: String?
    /// A setup step: this program (looked up on PATH, e.g. `sqitch` or `sqlite3`) runs in both
    /// runs instead of the program under test, and its output is not compared.
    public var program: String?
    /// Run with the reference `sqitch` in both runs (interoperability: a database deployed
    /// by Sqitch, then extended by sqlitch, compared with an all-Sqitch run).
    public var byReference: Bool
    /// Text on standard input (answers to prompts); nil = /dev/null.
    public var input: String?

    public init(_ arguments: [String], deviations: [ParityDeviation] = [], reason: String? = nil,
                byReference: Bool = false, input: String? = nil) {
        precondition(deviations.isEmpty || reason != nil, "a deviation needs a reason")
        self.arguments = arguments
        self.deviations = deviations
        self.reason = reason
        self.byReference = byReference
        self.input = input
    }

    /// A step that runs `program` in both runs (setup such as `sqitch deploy` or `sqlite3`).
    public static func setup(_ program: String, _ arguments: [String]) -> ParityStep {
        var step = ParityStep(arguments)
        step.program = program
        return step
    }

    public var description: String {
        ([program ?? "sqitch"] + arguments).map(ParityStep.quote).joined(separator: " ")
    }

    static func quote(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=@:^~,+".contains($0) }) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A deliberate difference on one step: what is expected of sqlitch instead of Sqitch's
/// behaviour. Use these for docs/DIFFERENCES.md rows and for Sqitch 1.6 behaviour that the
/// installed reference (1.3.1) does not have.
public enum ParityDeviation: Sendable, Equatable {
    /// sqlitch exits with this code (Sqitch's code is not compared).
    case exitCode(Int32)
    /// sqlitch prints exactly this on standard output (after normalization).
    case stdout(String)
    /// sqlitch prints exactly this on standard error (after normalization).
    case stderr(String)
    /// Only the first line of standard error is compared.
    case stderrFirstLine
    /// Standard output is not compared.
    case ignoreStdout
    /// Standard error is not compared.
    case ignoreStderr
    /// In Sqitch's standard output and error, this text is replaced before comparing
    /// (for a message that changed wording in 1.6, e.g. `you@host.com` -> `you@example.com`).
    case replacing(String, with: String)
}

/// A scenario: files laid out in a project directory, then command lines run one after
/// another there. After the last step every file of the run's tree is compared too.
public struct ParityScenario: Sendable, CustomStringConvertible {
    /// A short name, shown in test results.
    public var name: String
    /// A folder of `Fixtures/` copied into the project directory first, if any.
    public var fixture: String?
    /// Files written into the project directory (relative path -> text), after the fixture.
    public var files: [String: String]
    /// The command lines.
    public var steps: [ParityStep]
    /// Files compared for presence only, not bytes: file names (`sqitch.db`) or `*suffix`
    /// patterns. SQLite databases hold times and page layouts that differ between any two runs.
    public var presenceOnly: [String]
    /// Variables added to both runs' isolated environment (e.g. `PGPASSWORD`); the
    /// PostgreSQL tokens are replaced in their values.
    public var environment: [String: String]
    /// Each run gets a fresh database on the PostgreSQL test server (`PostgresServer.shared`),
    /// dumped after the last step into the run's files as `postgres.dump`, then dropped. In
    /// step arguments and input, in `files` texts and in `environment` values,
    /// `@PGURI@` becomes `db:pg://USER@HOST:PORT/DBNAME`, `@PGDB@` the database's name,
    /// `@PGHOST@` and `@PGPORT@` the server's host and port. In the outputs and files, the
    /// database's name becomes `<PGDB>`.
    public var postgres: Bool
    /// Each run gets a fresh database on the MySQL test server (`MySQLServer.shared`) and a
    /// fresh registry name, since the default registry (`sqitch`) would be shared by the two
    /// runs: scenarios name it with `registry = @MYREG@` in sqitch.conf's `[engine "mysql"]`
    /// section, or `--registry @MYREG@`. In step arguments and input, in `files` texts and in
    /// `environment` values, `@MYURI@` becomes `db:mysql://USER@HOST:PORT/DBNAME`, `@MYDB@`
    /// the database's name, `@MYREG@` the registry's, `@MYHOST@` and `@MYPORT@` the server's
    /// host and port. After the last step both databases (the registry when it exists) are
    /// dumped into the run's files as `mysql.dump`, then dropped. In the outputs and files,
    /// the database's name becomes `<MYDB>` and the registry's `<MYREG>`.
    public var mysql: Bool

    public init(_ name: String, fixture: String? = nil, files: [String: String] = [:], steps: [ParityStep],
                presenceOnly: [String] = ["*.db", "*.sqlite", "*.sqlite3"],
                environment: [String: String] = [:], postgres: Bool = false, mysql: Bool = false) {
        self.name = name
        self.fixture = fixture
        self.files = files
        self.steps = steps
        self.presenceOnly = presenceOnly
        self.environment = environment
        self.postgres = postgres
        self.mysql = mysql
    }

    /// Whether `path` is compared for presence only.
    func isPresenceOnly(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return presenceOnly.contains { pattern in
            pattern.hasPrefix("*") ? name.hasSuffix(pattern.dropFirst()) : (name == pattern || path == pattern)
        }
    }

    /// A one-step scenario in an empty project directory.
    public static func run(_ name: String, _ arguments: [String],
                           deviations: [ParityDeviation] = [], reason: String? = nil) -> ParityScenario {
        ParityScenario(name, steps: [ParityStep(arguments, deviations: deviations, reason: reason)])
    }

    public var description: String { name }
}

/// What one program printed and returned on one step.
public struct ParityOutput: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32

    public init(stdout: String, stderr: String, exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}

/// The result of one program's run over a whole scenario.
public struct ParityRun: Sendable {
    public var outputs: [ParityOutput]
    /// Every file under the run's root (project, home, etc), by relative path; with
    /// `postgres`, also the database's dump as `postgres.dump`; with `mysql`, the dump of the
    /// MySQL database and registry as `mysql.dump`.
    public var files: [String: Data]
    /// With `postgres`: the name of the run's database (dropped by the end of the run).
    public var postgresDatabase: String?
    /// With `mysql`: the name of the run's MySQL database (dropped by the end of the run).
    public var mysqlDatabase: String?
    /// With `mysql`: the name of the run's MySQL registry database (dropped by the end of the run).
    public var mysqlRegistry: String?

    public init(outputs: [ParityOutput], files: [String: Data], postgresDatabase: String? = nil,
                mysqlDatabase: String? = nil, mysqlRegistry: String? = nil) {
        self.outputs = outputs
        self.files = files
        self.postgresDatabase = postgresDatabase
        self.mysqlDatabase = mysqlDatabase
        self.mysqlRegistry = mysqlRegistry
    }
}

/// One difference found between the two runs.
public struct ParityMismatch: Sendable, CustomStringConvertible {
    public var step: String
    public var what: String
    public var expected: String
    public var actual: String

    public var description: String {
        if what == "exit code" {
            return "\(step): exit code differs: sqitch \(expected), sqlitch \(actual)"
        }
        return "\(step): \(what) differs\n" + ParityReport.diff(expected: expected, actual: actual)
    }
}

/// Runs scenarios and compares the two programs.
public enum ParityHarness {
    /// Waits for `child` on a thread of its own, not one of the cooperative pool: many
    /// children run side by side, and a pool thread blocked on each would starve the others.
    static func waitForExit(_ child: RunningProcess) async -> ProcessResult {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: child.finish()) }
        }
    }

    /// The reference program's name, looked up on PATH.
    public static let referenceName = "sqitch"

    /// The reference `sqitch` executable found on PATH, if any.
    public static let referencePath: String? = findOnPath(referenceName)

    /// The pseudo-path of the PostgreSQL database's dump among a run's files.
    public static let postgresDumpPath = "postgres.dump"

    /// The name `@PGDB@` stands for in outputs and files after a run.
    public static let postgresDatabasePlaceholder = "<PGDB>"

    /// The pseudo-path of the MySQL databases' dump among a run's files.
    public static let mysqlDumpPath = "mysql.dump"

    /// The name `@MYDB@` stands for in outputs and files after a run.
    public static let mysqlDatabasePlaceholder = "<MYDB>"

    /// The name `@MYREG@` stands for in outputs and files after a run.
    public static let mysqlRegistryPlaceholder = "<MYREG>"

    /// True when running in CI (`CI=true`): a missing reference is then a failure.
    public static var inCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return value == "true" || value == "1"
    }

    /// Whether parity tests should run; prints the reason when they are skipped.
    public static var shouldRun: Bool {
        if referencePath != nil || inCI { return true }
        print("Parity tests skipped: `\(referenceName)` is not on PATH (install Debian's sqitch package, or run ./scripts/install-deps).")
        return false
    }

    /// The built `sqlitch` binary: `$SQLITCH_BINARY`, or next to the running test bundle,
    /// or in the package's `.build/debug`.
    public static var sqlitchPath: String? {
        let fm = FileManager.default
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["SQLITCH_BINARY"], !explicit.isEmpty {
            candidates.append(explicit)
        }
        var dirs: [URL] = []
        if let first = CommandLine.arguments.first {
            dirs.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        dirs.append(Bundle.main.bundleURL.deletingLastPathComponent())
        dirs.append(Bundle.main.bundleURL)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            dirs.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for dir in dirs {
            var url = dir
            // Inside a bundle (Contents/MacOS), walk up to the build directory.
            for _ in 0..<4 {
                candidates.append(url.appendingPathComponent("sqlitch").path)
                url.deleteLastPathComponent()
            }
        }
        candidates.append(Fixtures.packageRoot + "/.build/debug/sqlitch")
        return candidates.first { path in
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue && fm.isExecutableFile(atPath: path)
        }
    }

    /// Runs `scenario` with both programs and returns the differences (empty = parity).
    public static func compare(_ scenario: ParityScenario) async throws -> [ParityMismatch] {
        guard let reference = referencePath else {
            throw CommandError("`\(referenceName)` is not on PATH")
        }
        guard let sqlitch = sqlitchPath else {
            throw CommandError("the sqlitch binary was not found; build it with `swift build`")
        }
        async let expected = run(scenario, executable: reference, isReference: true)
        async let actual = run(scenario, executable: sqlitch, isReference: false)
        return compare(scenario, expected: try await expected, actual: try await actual)
    }

    /// Compares two runs of `scenario` step by step, then their files.
    public static func compare(_ scenario: ParityScenario, expected: ParityRun, actual: ParityRun) -> [ParityMismatch] {
        var mismatches: [ParityMismatch] = []
        let idsDiffer = ParityNormalizer.timestamps(in: expected) != ParityNormalizer.timestamps(in: actual)
        let norm = ParityNormalizer(normalizeIDs: idsDiffer)
        for (index, step) in scenario.steps.enumerated() where step.program == nil {
            let label = "step \(index + 1) `\(step)`"
            var exp = expected.outputs[index]
            let act = actual.outputs[index]
            let devs = step.deviations
            for case let .replacing(old, new) in devs {
                exp.stdout = exp.stdout.replacingOccurrences(of: old, with: new)
                exp.stderr = exp.stderr.replacingOccurrences(of: old, with: new)
            }

            var expectedCode = exp.exitCode
            if let code = devs.lazy.compactMap({ if case .exitCode(let c) = $0 { c } else { nil } }).first {
                expectedCode = code
            }
            if expectedCode != act.exitCode {
                mismatches.append(ParityMismatch(step: label, what: "exit code",
                                                 expected: "\(expectedCode)", actual: "\(act.exitCode)"))
            }

            if !devs.contains(.ignoreStdout) {
                var want = norm.normalize(exp.stdout)
                if let text = devs.lazy.compactMap({ if case .stdout(let t) = $0 { t } else { nil } }).first {
                    want = text
                }
                let got = norm.normalize(act.stdout, fromSqlitch: true)
                if want != got {
                    mismatches.append(ParityMismatch(step: label, what: "stdout", expected: want, actual: got))
                }
            }

            if !devs.contains(.ignoreStderr) {
                var want = norm.normalize(exp.stderr)
                var got = norm.normalize(act.stderr, fromSqlitch: true)
                if let text = devs.lazy.compactMap({ if case .stderr(let t) = $0 { t } else { nil } }).first {
                    want = text
                }
                if devs.contains(.stderrFirstLine) {
                    want = String(want.prefix { $0 != "\n" })
                    got = String(got.prefix { $0 != "\n" })
                }
                if want != got {
                    mismatches.append(ParityMismatch(step: label, what: "stderr", expected: want, actual: got))
                }
            }
        }

        let paths = Set(expected.files.keys).union(actual.files.keys).sorted()
        for path in paths {
            switch (expected.files[path], actual.files[path]) {
            case (nil, _?):
                mismatches.append(ParityMismatch(step: "files", what: "\(path) (written only by sqlitch)",
                                                 expected: "<absent>", actual: "<present>"))
            case (_?, nil):
                mismatches.append(ParityMismatch(step: "files", what: "\(path) (written only by sqitch)",
                                                 expected: "<present>", actual: "<absent>"))
            case let (want?, got?):
                if want == got || (scenario.isPresenceOnly(path) && !DatabaseDump.isDump(want)) { continue }
                let wantText = norm.normalize(String(decoding: want, as: UTF8.self))
                let gotText = norm.normalize(String(decoding: got, as: UTF8.self), fromSqlitch: true)
                if wantText != gotText {
                    mismatches.append(ParityMismatch(step: "files", what: path, expected: wantText, actual: gotText))
                }
            case (nil, nil):
                break
            }
        }
        return mismatches
    }

    /// Lays out the scenario in a fresh temporary root and runs every step with `executable`.
    /// Layout: `<root>/project` (working directory), `<root>/home` (HOME, with the user
    /// configuration in `.sqitch/sqitch.conf`) and `<root>/etc/sqitch.conf` (system).
    public static func run(_ scenario: ParityScenario, executable: String, isReference: Bool) async throws -> ParityRun {
        let temp = try TemporaryDirectory(prefix: "parity")
        let root = temp.path
        let project = root + "/project"
        let fm = FileManager.default
        try fm.createDirectory(atPath: project, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/home", withIntermediateDirectories: true)
        if let fixture = scenario.fixture {
            let source = Fixtures.path(fixture)
            for item in try fm.contentsOfDirectory(atPath: source) {
                try fm.copyItem(atPath: source + "/" + item, toPath: project + "/" + item)
            }
        }
        // With `postgres`: a database of this run's own, dropped whatever happens.
        var server: PostgresServer?
        var database: String?
        if scenario.postgres {
            server = try PostgresServer.require()
            database = try server!.createDatabase(prefix: "parity_" + scenario.name)
        }
        defer {
            if let server, let database { try? server.dropDatabase(database) }
        }
        // With `mysql`: a database and a registry name of this run's own, both dropped
        // whatever happens.
        var myServer: MySQLServer?
        var myDatabase: String?
        var myRegistry: String?
        if scenario.mysql {
            myServer = try MySQLServer.require()
            myDatabase = try myServer!.createDatabase(prefix: "parity_" + scenario.name)
            myRegistry = MySQLServer.uniqueName(prefix: "parity_reg_" + scenario.name)
        }
        defer {
            if let myServer, let myDatabase, let myRegistry {
                try? myServer.dropDatabase(myDatabase)
                try? myServer.dropDatabase(myRegistry)
            }
        }
        let tokens = server.map { PostgresTokens(server: $0, database: database!) }
        let myTokens = myServer.map { MySQLTokens(server: $0, database: myDatabase!, registry: myRegistry!) }
        func substitute(_ text: String) -> String {
            let text = myTokens?.substitute(text) ?? text
            return tokens?.substitute(text) ?? text
        }

        for (path, text) in scenario.files {
            try temp.write("project/" + path, substitute(text))
        }

        var environment = isolatedEnvironment(root: root)
        for (key, value) in scenario.environment { environment[key] = substitute(value) }
        var outputs: [ParityOutput] = []
        for step in scenario.steps {
            let program = step.program.map { findOnPath($0) ?? $0 }
                ?? (step.byReference ? (referencePath ?? executable) : executable)
            outputs.append(try await execute(program, step.arguments.map(substitute), in: project,
                                             environment: environment, input: step.input.map(substitute)))
        }
        var output = ParityRun(outputs: outputs, files: [:], postgresDatabase: database,
                               mysqlDatabase: myDatabase, mysqlRegistry: myRegistry)
        for (path, data) in snapshot(root) { output.files[path] = data }
        // The captured streams are not part of the tree.
        output.files = output.files.filter { !$0.key.hasPrefix(".streams/") }
        output.files = DatabaseDump.dumpingDatabases(output.files, root: root)
        // Each run's database names become placeholders (`<PGDB>`, `<MYDB>`, `<MYREG>`).
        var placeholders: [(name: String, placeholder: String)] = []
        if let server, let database {
            output.files[postgresDumpPath] = Data(try server.dump(database: database).utf8)
            try server.dropDatabase(database)
            placeholders.append((database, postgresDatabasePlaceholder))
        }
        if let myServer, let myDatabase, let myRegistry {
            let databases = try myServer.databaseExists(myRegistry) ? [myDatabase, myRegistry] : [myDatabase]
            output.files[mysqlDumpPath] = Data(try myServer.dump(databases: databases).utf8)
            try myServer.dropDatabase(myDatabase)
            try myServer.dropDatabase(myRegistry)
            placeholders.append((myDatabase, mysqlDatabasePlaceholder))
            placeholders.append((myRegistry, mysqlRegistryPlaceholder))
        }
        if !placeholders.isEmpty {
            func replacing(_ text: String) -> String {
                placeholders.reduce(text) { $0.replacingOccurrences(of: $1.name, with: $1.placeholder) }
            }
            output.outputs = output.outputs.map {
                ParityOutput(stdout: replacing($0.stdout), stderr: replacing($0.stderr), exitCode: $0.exitCode)
            }
            output.files = output.files.mapValues { data in
                let text = String(decoding: data, as: UTF8.self)
                guard placeholders.contains(where: { text.contains($0.name) }) else { return data }
                return Data(replacing(text).utf8)
            }
        }
        // Make paths comparable: each run's root becomes `<TMP>`.
        output.outputs = output.outputs.map {
            ParityOutput(stdout: ParityNormalizer.replacingRoot(root, in: $0.stdout),
                         stderr: ParityNormalizer.replacingRoot(root, in: $0.stderr),
                         exitCode: $0.exitCode)
        }
        output.files = output.files.mapValues { data in
            let text = String(decoding: data, as: UTF8.self)
            guard text.contains(root) else { return data }
            return Data(ParityNormalizer.replacingRoot(root, in: text).utf8)
        }
        return output
    }

    /// The environment both programs get: only PATH from ours, the rest pinned.
    public static func isolatedEnvironment(root: String) -> [String: String] {
        var env: [String: String] = [
            "HOME": root + "/home",
            "SQITCH_USER_CONFIG": root + "/home/.sqitch/sqitch.conf",
            "SQITCH_SYSTEM_CONFIG": root + "/etc/sqitch.conf",
            "SQITCH_FULLNAME": "Test User",
            "SQITCH_EMAIL": "test@example.com",
            "TZ": "UTC",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        ]
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return env
    }

    /// Runs one command line; standard input is empty (or `input`), the streams are captured.
    /// Foundation's `Process` is not used: its launch on Linux copies whole directory entries
    /// of /proc/self/fd and crashed the test process when many descriptors were open.
    public static func execute(_ executable: String, _ arguments: [String], in directory: String,
                               environment: [String: String], input: String? = nil) async throws -> ParityOutput {
        await finish(try start(executable, arguments, in: directory, environment: environment, input: input))
    }

    /// Starts one command line and returns at once (see `execute`): the program runs even
    /// while the cooperative pool is busy, until `finish` collects it.
    public static func start(_ executable: String, _ arguments: [String], in directory: String,
                             environment: [String: String], input: String? = nil) throws -> RunningProcess {
        try SpawnRunner.start(path: executable, arguments: arguments, environment: environment,
                              directory: directory, input: input ?? "")
    }

    /// Waits for a program `start` started and returns its outputs.
    public static func finish(_ child: RunningProcess) async -> ParityOutput {
        let result = await waitForExit(child)
        return ParityOutput(stdout: result.standardOutput, stderr: result.standardError, exitCode: result.exitStatus)
    }

    /// Every regular file under `root`, by path relative to it.
    public static func snapshot(_ root: String) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
        while let relative = walker.nextObject() as? String {
            let full = root + "/" + relative
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue else { continue }
            files[relative] = FileManager.default.contents(atPath: full) ?? Data()
        }
        return files
    }

    public static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") {
            let candidate = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// The PostgreSQL tokens of a scenario and what they stand for in one run.
struct PostgresTokens {
    var server: PostgresServer
    var database: String

    func substitute(_ text: String) -> String {
        guard text.contains("@PG") else { return text }
        return text
            .replacingOccurrences(of: "@PGURI@", with: server.uri(database: database))
            .replacingOccurrences(of: "@PGDB@", with: database)
            .replacingOccurrences(of: "@PGHOST@", with: server.host)
            .replacingOccurrences(of: "@PGPORT@", with: String(server.port))
    }
}

/// The MySQL tokens of a scenario and what they stand for in one run.
struct MySQLTokens {
    var server: MySQLServer
    var database: String
    var registry: String

    func substitute(_ text: String) -> String {
        guard text.contains("@MY") else { return text }
        return text
            .replacingOccurrences(of: "@MYURI@", with: server.uri(database: database))
            .replacingOccurrences(of: "@MYDB@", with: database)
            .replacingOccurrences(of: "@MYREG@", with: registry)
            .replacingOccurrences(of: "@MYHOST@", with: server.host)
            .replacingOccurrences(of: "@MYPORT@", with: String(server.port))
    }
}

/// The normalizations applied before comparing: nothing else is forgiven.
public struct ParityNormalizer: Sendable {
    /// Replace 40-hex IDs by their order of appearance (only when timestamps differed, since
    /// change and tag IDs hash the planned time).
    public var normalizeIDs: Bool

    public init(normalizeIDs: Bool) { self.normalizeIDs = normalizeIDs }

    nonisolated(unsafe) static let isoTimestamp = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/
    nonisolated(unsafe) static let dateTime = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}/
    nonisolated(unsafe) static let hexID = /\b[0-9a-f]{40}\b/
    nonisolated(unsafe) static let programName = /\bsqlitch/

    /// Applies every normalization to `text`; `fromSqlitch` also maps the program's name.
    public func normalize(_ text: String, fromSqlitch: Bool = false) -> String {
        var result = Self.replacingHelpText(in: text)
        if fromSqlitch {
            result = result.replacing(Self.programName, with: "sqitch")
        }
        result = result.replacing(Self.isoTimestamp, with: "<TIMESTAMP>")
        result = result.replacing(Self.dateTime, with: "<DATE>")
        if normalizeIDs {
            var seen: [Substring: Int] = [:]
            result = result.replacing(Self.hexID) { match in
                let id = match.output
                if let n = seen[id] { return "<ID\(n)>" }
                seen[id] = seen.count + 1
                return "<ID\(seen.count)>"
            }
        }
        return result
    }

    /// Help text is sqlitch's own (DIFFERENCES: usage and help text): the command list
    /// printed after an unknown command, and the usage block after an option error, are
    /// replaced by `<command list>` and `<usage>`, each to the end of the stream.
    static func replacingHelpText(in text: String) -> String {
        for marker in ["Name\n    sqitchcommands - ", HelpDocuments.commandList] {
            if let range = text.range(of: marker) {
                return text[..<range.lowerBound] + "<command list>\n"
            }
        }
        if text.hasPrefix("Usage:\n") { return "<usage>\n" }
        if let range = text.range(of: "\nUsage:\n") {
            return text[..<range.lowerBound] + "\n<usage>\n"
        }
        return text
    }

    /// The ISO timestamps a run produced, in order (outputs first, then files by path).
    static func timestamps(in run: ParityRun) -> [String] {
        var texts = run.outputs.flatMap { [$0.stdout, $0.stderr] }
        texts += run.files.keys.sorted().map { String(decoding: run.files[$0]!, as: UTF8.self) }
        return texts.flatMap { text in
            text.matches(of: isoTimestamp).map { String($0.output) }
                + text.matches(of: dateTime).map { String($0.output) }
        }
    }

    /// `text` with the run's temporary root replaced by `<TMP>`.
    static func replacingRoot(_ root: String, in text: String) -> String {
        var result = text.replacingOccurrences(of: root, with: "<TMP>")
        // macOS reports /var/... as /private/var/...
        if root.hasPrefix("/var/") {
            result = result.replacingOccurrences(of: "/private<TMP>", with: "<TMP>")
        }
        return result
    }
}

/// Formatting of mismatches for test failures.
public enum ParityReport {
    /// A line diff: `-` lines are Sqitch's (expected), `+` lines sqlitch's (actual).
    public static func diff(expected: String, actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Longest common subsequence, fine for outputs of a few hundred lines.
        let n = a.count, m = b.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var lines: [String] = ["  --- sqitch (expected)", "  +++ sqlitch (actual)"]
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                lines.append("    " + visible(a[i])); i += 1; j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                lines.append("  - " + visible(a[i])); i += 1
            } else {
                lines.append("  + " + visible(b[j])); j += 1
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Shows trailing spaces and tabs, which matter in Sqitch's output.
    static func visible(_ line: String) -> String {
        var text = line.replacingOccurrences(of: "\t", with: "→")
        if text.hasSuffix(" ") { text += "⏎" }
        return text
    }

    /// All mismatches of a scenario as one message.
    public static func describe(_ scenario: ParityScenario, _ mismatches: [ParityMismatch]) -> String {
        "Scenario \"\(scenario.name)\": \(mismatches.count) difference(s) between sqitch and sqlitch\n"
            + mismatches.map(\.description).joined(separator: "\n\n")
    }
}
