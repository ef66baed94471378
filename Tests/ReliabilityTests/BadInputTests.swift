import Foundation
import SqlitchCore
import SqlitchTestSupport
import Testing

/// One bad input: what is done to a project with three of its five changes deployed, and
/// the command then run. It must fail (non-zero exit) with a message of its own (no
/// Foundation or Swift runtime text), and leave every project file and the whole database
/// (registry included) exactly as they were.
struct BadInput: CustomStringConvertible, Sendable {
    var name: String
    var engine: ReliabilityEngine = .sqlite
    var arguments: [String]
    var environment: [String: String] = [:]
    /// Run as an unprivileged user (root reads and writes whatever its mode bits say).
    var unprivileged = false
    /// `RLIMIT_FSIZE` of the run, in bytes: a full disk for the files it writes.
    var fileSizeLimit: Int?
    var change: @Sendable (ReliabilityTarget) throws -> Void = { _ in }

    var description: String { "\(engine): \(name)" }
}

private func replace(_ target: ReliabilityTarget, _ file: String, _ old: String, _ new: String) throws {
    let text = target.directory.read(file) ?? ""
    try target.directory.write(file, text.replacingOccurrences(of: old, with: new))
}

private func append(_ target: ReliabilityTarget, _ file: String, _ text: String) throws {
    try target.directory.write(file, (target.directory.read(file) ?? "") + text)
}

private func writeBytes(_ target: ReliabilityTarget, _ file: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: target.directory.path + "/" + file))
}

private func chmod(_ target: ReliabilityTarget, _ file: String, _ mode: mode_t) {
    _ = Foundation.chmod(target.directory.path + "/" + file, mode)
}

private let line = " 2024-01-02T03:04:05Z Test User <test@example.com> # Note.\n"

let badInputs: [BadInput] = [
    // Plans.
    BadInput(name: "a plan line that is no change, tag or pragma", arguments: ["deploy"]) { try append($0, "sqitch.plan", "what is this?\n") },
    BadInput(name: "a change twice without a tag between", arguments: ["deploy"]) { try append($0, "sqitch.plan", "c005" + line) },
    BadInput(name: "a plan date that cannot exist", arguments: ["status"]) {
        try replace($0, "sqitch.plan", "c005 2024-01-02T03:04:05Z", "c005 2012-13-45T99:99:99Z")
    },
    BadInput(name: "a plan that is not UTF-8", arguments: ["deploy"]) {
        let plan = try Data(contentsOf: URL(fileURLWithPath: $0.directory.path + "/sqitch.plan"))
        try writeBytes($0, "sqitch.plan", [UInt8](plan) + Array("c006".utf8) + [0xFF] + Array(line.utf8))
    },
    BadInput(name: "a plan without %project", arguments: ["deploy"]) { try replace($0, "sqitch.plan", "%project=reliable\n", "") },
    BadInput(name: "a dependency on a change the plan lacks", arguments: ["deploy"]) {
        try replace($0, "sqitch.plan", "c004 2024", "c004 [nowhere] 2024")
    },
    BadInput(name: "a dependency on a later change", arguments: ["deploy"]) { try replace($0, "sqitch.plan", "c004 2024", "c004 [c005] 2024") },
    BadInput(name: "a conflict with a deployed change", arguments: ["deploy"]) { try replace($0, "sqitch.plan", "c004 2024", "c004 [!c001] 2024") },
    BadInput(name: "a tag before any change", arguments: ["deploy"]) {
        try replace($0, "sqitch.plan", "%project=reliable\n\n", "%project=reliable\n\n@early" + line)
    },
    BadInput(name: "a deployed change removed from the plan", arguments: ["deploy"]) {
        try replace($0, "sqitch.plan", "c003" + line.replacingOccurrences(of: "Note.", with: "Change c003."), "")
    },
    BadInput(name: "no plan file", arguments: ["deploy"]) { try FileManager.default.removeItem(atPath: $0.directory.path + "/sqitch.plan") },
    // (`status` says "Status unknown" and succeeds there, as Sqitch does.)
    BadInput(name: "a plan that is a directory", arguments: ["deploy"]) {
        try FileManager.default.removeItem(atPath: $0.directory.path + "/sqitch.plan")
        try FileManager.default.createDirectory(atPath: $0.directory.path + "/sqitch.plan", withIntermediateDirectories: false)
    },
    BadInput(name: "a plan file that cannot be read", arguments: ["deploy"], unprivileged: true) { chmod($0, "sqitch.plan", 0o600) },
    BadInput(name: "a plan file named in the configuration that does not exist", arguments: ["deploy"]) {
        try append($0, "sqitch.conf", "[core]\n\tplan_file = missing.plan\n")
    },
    // Configuration.
    BadInput(name: "a configuration section never closed", arguments: ["deploy"]) { try append($0, "sqitch.conf", "[core\n") },
    BadInput(name: "a configuration line without a section", arguments: ["status"]) {
        try replace($0, "sqitch.conf", "[core]\n", "engine = sqlite\n[core]\n")
    },
    BadInput(name: "an unknown engine", arguments: ["deploy"]) { try replace($0, "sqitch.conf", "engine = sqlite", "engine = nope") },
    BadInput(name: "a target URI of no engine", arguments: ["deploy"]) { try replace($0, "sqitch.conf", "db:sqlite:k.db", "db:nope:k.db") },
    BadInput(name: "a target that is no URI", arguments: ["deploy"]) { try replace($0, "sqitch.conf", "db:sqlite:k.db", "k.db") },
    BadInput(name: "an unknown target name", arguments: ["deploy", "--target", "nowhere"]),
    BadInput(name: "a configuration file that cannot be read", arguments: ["status"], unprivileged: true) { chmod($0, "sqitch.conf", 0o600) },
    BadInput(name: "an SQLite database in a missing directory", arguments: ["deploy"]) {
        try replace($0, "sqitch.conf", "db:sqlite:k.db", "db:sqlite:missing/dir/k.db")
    },
    BadInput(name: "a client that does not exist", arguments: ["verify"]) {
        try append($0, "sqitch.conf", "[engine \"sqlite\"]\n\tclient = /nonexistent/sqlite3\n")
    },
    // Commands asked for what is not there.
    BadInput(name: "deploy to an unknown change", arguments: ["deploy", "--to", "nowhere"]),
    BadInput(name: "deploy to a deployed change", arguments: ["deploy", "--to", "c001"]),
    BadInput(name: "revert to an unknown change", arguments: ["revert", "-y", "--to", "nowhere"]),
    BadInput(name: "revert to an unknown tag", arguments: ["revert", "-y", "--to", "@nowhere"]),
    BadInput(name: "revert to a change not deployed", arguments: ["revert", "-y", "--to", "c005"]),
    BadInput(name: "rebase onto an unknown change", arguments: ["rebase", "-y", "--onto", "nowhere"]),
    BadInput(name: "verify from an unknown change", arguments: ["verify", "--from", "nowhere"]),
    BadInput(name: "show an unknown change", arguments: ["show", "change", "nowhere"]),
    BadInput(name: "show an unknown object type", arguments: ["show", "nothing", "c001"]),
    BadInput(name: "an unknown deploy mode", arguments: ["deploy", "--mode", "bogus"]),
    BadInput(name: "a lock timeout that is no number", arguments: ["deploy", "--lock-timeout", "soon"]),
    BadInput(name: "an unknown date format", arguments: ["status", "--date-format", "bogus"]),
    BadInput(name: "an unknown log format", arguments: ["log", "--format", "nope"]),
    BadInput(name: "an unknown command", arguments: ["deplyo"]),
    BadInput(name: "an unknown option", arguments: ["deploy", "--bogus"]),
    // Authoring commands that must not write.
    BadInput(name: "add a change that exists", arguments: ["add", "c001", "-n", "again"]),
    BadInput(name: "add a change with an invalid name", arguments: ["add", "bad name!", "-n", "x"]),
    BadInput(name: "add from a template that does not exist", arguments: ["add", "c006", "-n", "x", "--template", "nowhere"]),
    BadInput(name: "tag a name that exists", arguments: ["tag", "@t5"]) { try append($0, "sqitch.plan", "@t5" + line) },
    BadInput(name: "rework a change that does not exist", arguments: ["rework", "nowhere", "-n", "x"]),
    BadInput(name: "add an engine that exists", arguments: ["engine", "add", "sqlite"]) {
        try append($0, "sqitch.conf", "[engine \"sqlite\"]\n\ttarget = db:sqlite:k.db\n")
    },
    BadInput(name: "alter a target that does not exist", arguments: ["target", "alter", "nowhere", "--uri", "db:sqlite:x.db"]),
    BadInput(name: "add a change in a read-only project", arguments: ["add", "c006", "-n", "x"], unprivileged: true),
    BadInput(name: "tag in a read-only project", arguments: ["tag", "@t6", "-n", "x"], unprivileged: true),
    BadInput(name: "deploy to a database that cannot be written", arguments: ["deploy"], unprivileged: true),
    BadInput(name: "tag on a full disk", arguments: ["tag", "@t7", "-n", "x"], fileSizeLimit: 64),
    BadInput(name: "add a change on a full disk", arguments: ["add", "c006", "-n", "x"], fileSizeLimit: 64),
    BadInput(name: "set a configuration value on a full disk", arguments: ["config", "core.verbosity", "2"], fileSizeLimit: 64),
    // Servers.
    BadInput(name: "a server that is not running", engine: .pg, arguments: ["deploy"]) {
        try replace($0, "sqitch.conf", "@127.0.0.1:\(PostgresServer.shared?.port ?? 0)/", "@127.0.0.1:9/")
    },
    BadInput(name: "a wrong password", engine: .pg, arguments: ["deploy"]) {
        try replace($0, "sqitch.conf", "postgres@", "\(PostgresServer.passwordUser):wrong@")
    },
    BadInput(name: "a database that does not exist", engine: .pg, arguments: ["deploy"]) {
        try replace($0, "sqitch.conf", "/reliability_bad", "/nowhere_bad")
    },
    BadInput(name: "deploy to an unknown change", engine: .pg, arguments: ["deploy", "--to", "nowhere"]),
    BadInput(name: "a server that is not running", engine: .mysql, arguments: ["deploy"]) {
        try replace($0, "sqitch.conf", "@127.0.0.1:\(MySQLServer.shared?.port ?? 0)/", "@127.0.0.1:9/")
    },
    BadInput(name: "a wrong password", engine: .mysql, arguments: ["deploy"]) {
        try replace($0, "sqitch.conf", "root@", "\(MySQLServer.passwordUser):wrong@")
    },
    BadInput(name: "revert to an unknown change", engine: .mysql, arguments: ["revert", "-y", "--to", "nowhere"]),
]

@Suite("Bad input changes nothing")
struct BadInputTests {
    static let cases = badInputs.filter { ReliabilityEngine.testable.contains($0.engine) }

    /// Every file under the project (contents and mode) and the whole database.
    func snapshot(_ target: ReliabilityTarget) throws -> [String: String] {
        var state: [String: String] = [:]
        let root = target.directory.path
        if let walker = FileManager.default.enumerator(atPath: root) {
            while let relative = walker.nextObject() as? String {
                let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + relative)
                let mode = (attributes[.posixPermissions] as? Int).map { String($0, radix: 8) } ?? "?"
                let data = FileManager.default.contents(atPath: root + "/" + relative)
                state[relative] = "\(attributes[.type] ?? "") \(mode) " + (data.map { $0.base64EncodedString() } ?? "")
            }
        }
        switch target.engine {
        case .sqlite: break
        case .pg: state["<database>"] = try PostgresServer.require().dump(database: target.database)
        case .mysql: state["<database>"] = try MySQLServer.require().dump(databases: [target.database, target.database + "_reg"])
        }
        return state
    }

    @Test(arguments: cases)
    func failsClearlyAndChangesNothing(_ input: BadInput) throws {
        let target = try ReliabilityTarget(input.engine, changes: 5, prefix: "reliability_bad")
        let setup = try target.run(["deploy", "--to", "c003"])
        #expect(setup.exitCode == 0, "\(setup)")
        try input.change(target)
        for (key, value) in input.environment { target.environment[key] = value }
        let before = try snapshot(target)

        var arguments = input.arguments
        var program: String? = nil
        if input.unprivileged && getuid() == 0 {
            program = "/usr/bin/setpriv"
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", try ReliabilityTarget.sqlitch()] + arguments
        }
        if let limit = input.fileSizeLimit {
            let limited = try program ?? ReliabilityTarget.sqlitch()
            arguments = ["--fsize=\(limit)", limited] + arguments
            program = "/usr/bin/prlimit"
        }
        let output: ParityOutput
        if let program {
            let child = try ParityHarness.start(program, arguments, in: target.directory.path, environment: target.environment)
            output = Watchdog.finish(child, seconds: 120)
        } else {
            output = try target.run(arguments)
        }

        // Not ended by a signal (255 is Sqitch's exit for a configuration it cannot parse).
        #expect(output.exitCode != 0 && (output.exitCode < 128 || output.exitCode == 255), "\(input): \(output)")
        // Exit 1 is Sqitch's soft failure, said on standard output.
        let message = output.exitCode == 1 ? output.stdout + output.stderr : output.stderr
        #expect(!message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(input): \(output)")
        for foreign in ["The operation could not be completed", "NSCocoaErrorDomain", "Error Domain=", "Fatal error",
                        "Swift/", "Foundation."] {
            #expect(!message.contains(foreign), "\(input): \(output)")
        }
        let after = try snapshot(target)
        #expect(after == before, "\(input): changed \(Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }.sorted())")
    }

    @Test func theMatrixIsLargeEnough() {
        #expect(badInputs.count >= 40)
        print("Bad inputs: \(badInputs.count) (\(Self.cases.count) on the engines here)")
    }
}

/// Files sqlitch may not write, beside Sqitch: the same message (the system's words, not
/// Foundation's), the same exit code, and nothing written by either.
@Suite("Unwritable project, beside Sqitch", .enabled(if: ParityHarness.shouldRun))
struct UnwritableProjectParityTests {
    @Test(arguments: [["add", "c006", "-n", "x"], ["tag", "@t6", "-n", "x"], ["config", "core.verbosity", "2"]])
    func sameWordsAsSqitch(_ arguments: [String]) throws {
        let target = try ReliabilityTarget(.sqlite, changes: 5, prefix: "unwritable")
        let sqitch = try #require(ParityHarness.referencePath)
        // Root writes whatever the mode bits say: the programs then run as nobody, who may
        // read the project (0755/0644) but write nothing in it; otherwise the folders lose
        // their write bits for the run.
        let asRoot = getuid() == 0
        var folders: [String] = []
        if !asRoot {
            folders = [target.directory.path] + ["deploy", "revert", "verify"].map { target.directory.path + "/" + $0 }
            for folder in folders { _ = Foundation.chmod(folder, 0o555) }
        }
        defer { for folder in folders { _ = Foundation.chmod(folder, 0o755) } }
        func run(_ program: String) throws -> ParityOutput {
            let (executable, argv) = asRoot
                ? ("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", program] + arguments)
                : (program, arguments)
            let child = try ParityHarness.start(executable, argv, in: target.directory.path, environment: target.environment)
            return Watchdog.finish(child, seconds: 120)
        }
        let before = ParityHarness.snapshot(target.directory.path)
        let expected = try run(sqitch)
        let actual = try run(try ReliabilityTarget.sqlitch())
        #expect(actual.exitCode == expected.exitCode, "Sqitch: \(expected)\nsqlitch: \(actual)")
        #expect(actual.stderr == expected.stderr, "Sqitch: \(expected)\nsqlitch: \(actual)")
        #expect(expected.stderr.contains("Permission denied"), "\(expected)")
        #expect(ParityHarness.snapshot(target.directory.path) == before)
    }
}
