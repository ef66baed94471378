import Foundation
import SqlitchCore
import SqlitchTestSupport
import Testing

/// Passwords stay out of output, errors and the command lines of the clients sqlitch starts
/// (read from /proc/<pid>/cmdline while they run), except where Sqitch itself puts one there:
/// the MySQL client's `--password=`, kept as docs/DIFFERENCES.md explains and left off when
/// the password comes from the option files. And text with quotes, backslashes, semicolons,
/// newlines and non-ASCII letters goes through the plan, the registry and the clients as it
/// is, without being read as SQL.
@Suite("Secrets and odd text")
struct SecretsTests {
    static let password = "s3cret"

    /// Runs sqlitch to its end while reading the command line of every process it starts.
    func runWatchingClients(_ target: ReliabilityTarget, _ arguments: [String]) throws -> (ParityOutput, [String]) {
        let child = try target.start(arguments)
        var seen: Set<String> = []
        while Watchdog.isRunning(child.pid) {
            for pid in Watchdog.descendants(of: child.pid) {
                if let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty {
                    seen.insert(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " "))
                }
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return (Watchdog.finish(child, seconds: 120), seen.sorted())
    }

    func user(_ engine: ReliabilityEngine) -> String {
        engine == .pg ? PostgresServer.passwordUser : MySQLServer.passwordUser
    }

    /// The password in the URI, or in `SQITCH_PASSWORD`: every command's output is free of
    /// it; on PostgreSQL no client sees it in its arguments (it gets `PGPASSWORD`).
    @Test(arguments: ReliabilityEngine.servers)
    func passwordsStayOutOfOutputAndArguments(_ engine: ReliabilityEngine) throws {
        for fromEnvironment in [false, true] {
            let target = try ReliabilityTarget(engine, changes: 3, prefix: "secret", user: user(engine),
                                               password: fromEnvironment ? nil : Self.password)
            if fromEnvironment { target.environment["SQITCH_PASSWORD"] = Self.password }
            // The second change sleeps, so that its client is seen running.
            let sleep = engine == .pg ? "SELECT pg_sleep(0.5);\n" : "SELECT SLEEP(0.5);\n"
            try target.directory.write("deploy/c002.sql", sleep + "CREATE TABLE IF NOT EXISTS c002 (id INTEGER);\n")
            let (deploy, commandLines) = try runWatchingClients(target, ["deploy", "--verify"])
            #expect(deploy.exitCode == 0, "\(deploy)")
            #expect(commandLines.contains { $0.contains(engine == .pg ? "psql" : "mysql") || $0.contains("mariadb") },
                    "no client seen: \(commandLines)")
            let withPassword = commandLines.filter { $0.contains(Self.password) }
            if engine == .pg {
                #expect(withPassword.isEmpty, "\(withPassword)")
            } else {
                // Sqitch's own `--password=` (see docs/DIFFERENCES.md), on the clients alone; the
                // client overwrites it with `x`s once it has read it, so it may be seen either way.
                #expect(withPassword.allSatisfy { $0.contains("--password=\(Self.password)") }, "\(withPassword)")
                #expect(commandLines.contains { $0.contains("--password=") }, "\(fromEnvironment): \(commandLines)")
            }
            var outputs = [deploy]
            for arguments in [["status"], ["log"], ["verify"], ["plan"], ["show", "change", "c001"], ["target"],
                              ["revert", "-y", "--to", "@HEAD^"], ["deploy", "--to", "nonexistent"]] {
                outputs.append(try target.run(arguments))
            }
            for output in outputs {
                #expect(!output.stdout.contains(Self.password) && !output.stderr.contains(Self.password), "\(output)")
            }
        }
    }

    /// With the password in `~/.my.cnf`, neither tool puts it on the client's command line.
    @Test(.enabled(if: ReliabilityEngine.servers.contains(.mysql)))
    func aMySQLPasswordFromTheOptionFileStaysOffTheCommandLine() throws {
        let target = try ReliabilityTarget(.mysql, changes: 2, prefix: "mycnf", user: MySQLServer.passwordUser)
        try target.directory.write("home/.my.cnf", "[client]\npassword=\(Self.password)\n")
        try target.directory.write("deploy/c002.sql", "SELECT SLEEP(0.5);\nCREATE TABLE IF NOT EXISTS c002 (id INTEGER);\n")
        let (deploy, commandLines) = try runWatchingClients(target, ["deploy"])
        #expect(deploy.exitCode == 0, "\(deploy)")
        #expect(!commandLines.isEmpty && !commandLines.contains { $0.contains(Self.password) || $0.contains("--password") },
                "\(commandLines)")
    }

    /// A wrong password: the connection fails with a clear error that does not repeat it.
    @Test(arguments: ReliabilityEngine.servers)
    func aWrongPasswordIsNotRepeated(_ engine: ReliabilityEngine) throws {
        let wrong = "Wr0ng-pa55"
        let target = try ReliabilityTarget(engine, changes: 1, prefix: "wrongpw", user: user(engine), password: wrong)
        for arguments in [["deploy"], ["status"], ["log"], ["revert", "-y"], ["verify"]] {
            let output = try target.run(arguments)
            #expect(output.exitCode == 2, "\(arguments): \(output)")
            #expect(output.stderr.contains("password") || output.stderr.contains("Access denied"), "\(output)")
            #expect(!output.stdout.contains(wrong) && !output.stderr.contains(wrong), "\(output)")
        }
    }

    /// A change name, a note, a planner's name and a client variable full of quoting and
    /// SQL punctuation arrive in the registry and the database exactly as written.
    @Test(arguments: ReliabilityEngine.testable)
    func oddTextRoundTrips(_ engine: ReliabilityEngine) throws {
        let target = try ReliabilityTarget(engine, changes: 1, prefix: "oddtext")
        let planner = "O'Brien \"Bob\"; DROP TABLE c001; -- \\ é"
        // Sqitch's MySQL registry tables are `utf8` (three bytes a character at most): a
        // character outside the Basic Multilingual Plane is stored there as `?`.
        let note = "It's a \"note\"; DROP TABLE c001; -- back\\slash, ünïcödé" + (engine == .mysql ? "" : " 🚀")
        let value = "O'Reilly \"quoted\"; DROP TABLE c001; --\nsecond line \\ \\' é"
        let name = "café-übersicht"
        target.environment["SQITCH_FULLNAME"] = planner
        let add = try target.run(["add", name, "-n", note])
        #expect(add.exitCode == 0, "\(add)")
        let script: String
        switch engine {
        case .sqlite: script = "CREATE TABLE vals (v TEXT);\nINSERT INTO vals VALUES ('fixed');\n"
        case .pg: script = "CREATE TABLE vals (v TEXT);\nINSERT INTO vals VALUES (:'odd');\n"
        case .mysql: script = "CREATE TABLE vals (v TEXT);\nINSERT INTO vals VALUES (@odd);\n"
        }
        try target.directory.write("deploy/\(name).sql", script)
        let deploy = try target.run(["deploy", "--set", "odd=\(value)"])
        #expect(deploy.exitCode == 0, "\(deploy)")
        #expect(try target.tables() == ["c001"], "an injected statement ran: \(deploy)")

        let registrySQL = "SELECT change, note, planner_name FROM %@changes WHERE change = ?"
        let row: DatabaseRow?
        let stored: String?
        switch engine {
        case .sqlite:
            let registry = try SQLiteConnection(path: target.directory.path + "/sqitch.db", flags: [.readOnly])
            row = try registry.query(registrySQL.replacingOccurrences(of: "%@", with: ""), [.text(name)]).first
            let db = try SQLiteConnection(path: target.directory.path + "/k.db", flags: [.readOnly])
            stored = try db.query("SELECT v FROM vals").first?[0].text
        case .pg:
            row = try target.pg().query(registrySQL.replacingOccurrences(of: "%@", with: "sqitch."), [.text(name)]).first
            stored = try target.pg().query("SELECT v FROM vals").first?[0].text
        case .mysql:
            row = try target.my().query(
                registrySQL.replacingOccurrences(of: "%@", with: "`\(target.database)_reg`.")
                    .replacingOccurrences(of: "SELECT change", with: "SELECT `change`")
                    .replacingOccurrences(of: "WHERE change", with: "WHERE `change`"), [.text(name)]).first
            stored = try target.my().query("SELECT v FROM `\(target.database)`.vals").first?[0].text
        }
        #expect(row?.values.map(\.text) == [name, note, planner])
        #expect(stored == (engine == .sqlite ? "fixed" : value))
        let log = try target.run(["log", "--format", "format:%n|%s|%{planner_name}a"])
        #expect(log.stdout.contains("\(name)|\(note)|planner_name \(planner)\n"), "\(log)")
    }
}

/// A server that takes connections and never answers them.
@Suite struct SilentServerTests {
    /// A command that fails before it uses the registry (here on its plan, read to sort its
    /// arguments) fails at once, as Sqitch does, though its registry connection started
    /// opening ahead (its target, a URI argument, was certain): it does not wait for a
    /// connection that a silent server would hold until the system gives up.
    @Test(arguments: ["pg", "mysql"])
    func aCommandThatFailsFirstDoesNotWaitForItsConnection(_ engine: String) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        try #require(bound)
        let port = UInt16(bigEndian: address.sin_port)

        let directory = try TemporaryDirectory(prefix: "silent")
        try "[core]\n\tengine = \(engine)\n".write(toFile: directory.path + "/sqitch.conf", atomically: true, encoding: .utf8)
        // Long enough to read that the connection starts before the error at its end.
        let changes = (1...5_000).map { "c\($0) 2024-01-02T03:04:05Z A <a@example.com>\n" }.joined()
        try "%project=silent\n\n\(changes)this line is no change\n".write(
            toFile: directory.path + "/sqitch.plan", atomically: true, encoding: .utf8)
        let started = Date()
        let child = try ParityHarness.start(
            try ReliabilityTarget.sqlitch(), ["status", "db:\(engine)://someone@127.0.0.1:\(port)/nowhere"],
            in: directory.path, environment: ParityHarness.isolatedEnvironment(root: directory.path))
        let output = Watchdog.finish(child, seconds: 60)
        #expect(output.exitCode == 2 && output.stderr.contains("Syntax error in sqitch.plan"), "\(output)")
        #expect(Date().timeIntervalSince(started) < 20, "\(output)")
        // It did start connecting: the connection waits in the listener's queue.
        var pending = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pending, 1, 0) == 1, "no connection was attempted")
    }
}
