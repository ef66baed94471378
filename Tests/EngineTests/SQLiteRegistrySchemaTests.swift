import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// A one-change SQLite project, deployable by real Sqitch and usable by our engine.
func makeSQLiteProject(_ context: TestContext) throws {
    let directory = context.directory
    try directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:flipr.db\n")
    try directory.write(
        "sqitch.plan",
        "%syntax-version=1.0.0\n%project=flipr\n\nusers 2024-01-02T03:04:05Z Test User <test@example.com> # Users\n")
    try directory.write("deploy/users.sql", "BEGIN;\nCREATE TABLE users (name TEXT PRIMARY KEY);\nCOMMIT;\n")
    try directory.write("revert/users.sql", "BEGIN;\nDROP TABLE users;\nCOMMIT;\n")
    try directory.write("verify/users.sql", "SELECT name FROM users WHERE 0;\n")
}

/// The one-change SQLite project in a new directory, its context (which keeps the
/// directory: hold it while the engine runs) and its engine.
func sqliteProjectEngine() throws -> (TestContext, Sqitch, SQLiteEngine) {
    let context = try processContext()
    try makeSQLiteProject(context)
    let sqitch = try context.sqitch()
    return (context, sqitch, SQLiteEngine(sqitch: sqitch, target: try Target(sqitch: sqitch)))
}

/// `.schema` as the sqlite3 client prints it.
func clientSchema(_ file: String, _ sqitch: Sqitch) throws -> String {
    try SpawnRunner().capture(["sqlite3", file, ".schema"], sqitch: sqitch)
}

/// The schema text with whitespace differences removed: runs of white space become one
/// space, and none is kept next to parentheses and commas.
func normalizedSchema(_ schema: String) -> String {
    var text = schema.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    for mark in ["(", ")", ","] {
        text = text.replacingOccurrences(of: " " + mark, with: mark).replacingOccurrences(of: mark + " ", with: mark)
    }
    return text
}

/// Column, key, index and check details of every table, read through PRAGMAs.
func schemaStructure(_ file: String) throws -> [String] {
    let db = try SQLiteConnection(path: file, flags: .readOnly)
    var lines: [String] = []
    for table in try db.query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name") {
        let name = table[0].text!
        for pragma in ["table_xinfo", "foreign_key_list", "index_list"] {
            for row in try db.query("PRAGMA \(pragma)(\(name))") {
                lines.append("\(name) \(pragma) \(row.values)")
            }
        }
        for index in try db.query("PRAGMA index_list(\(name))") {
            for column in try db.query("PRAGMA index_info(\(index["name"].text!))") {
                lines.append("\(name) index \(index["name"].text!) \(column.values)")
            }
        }
    }
    return lines
}

@Suite struct SQLiteRegistrySchemaTests {
    /// Runs real Sqitch in the context's directory with its isolated environment.
    func sqitchCommand(_ context: TestContext, _ arguments: [String]) throws -> ProcessResult {
        try SpawnRunner().run(
            ProcessCommand("sqitch", arguments, output: .capture, error: .capture), sqitch: context.sqitch())
    }

    @Test func registryMatchesOneMadeByRealSqitch() async throws {
        do {
            let theirs = try processContext()
            try makeSQLiteProject(theirs)
            let deployed = try sqitchCommand(theirs, ["deploy"])
            #expect(deployed.standardOutput == """
                Adding registry tables to db:sqlite:sqitch.db
                Deploying changes to db:sqlite:flipr.db
                  + users .. ok

                """)

            let ours = try processContext()
            try makeSQLiteProject(ours)
            let sqitch = try ours.sqitch()
            let engine = SQLiteEngine(sqitch: sqitch, target: try Target(sqitch: sqitch))
            #expect(engine.registryFile == "sqitch.db")
            #expect(engine.registryDestination == "db:sqlite:sqitch.db")
            #expect(try !engine.registryExists())
            #expect(try engine.registryRelease() == .none)
            try engine.createRegistry()
            #expect(try engine.registryExists())
            try Registry.recordRelease(
                .current, installerName: "Test User", installerEmail: "test@example.com",
                connection: engine.registry(), dialect: engine.dialect)
            #expect(try engine.registryRelease() == .current)
            #expect(try engine.registryRelease().text == "1.1")

            // Same statements; only the layout of the CREATE TABLE text differs.
            let theirSchema = try clientSchema(theirs.directory.path + "/sqitch.db", theirs.sqitch())
            let ourSchema = try clientSchema(ours.directory.path + "/sqitch.db", sqitch)
            #expect(normalizedSchema(ourSchema) == normalizedSchema(theirSchema))
            #expect(ourSchema.split(separator: "\n").filter { $0.hasPrefix("CREATE") }
                == theirSchema.split(separator: "\n").filter { $0.hasPrefix("CREATE") })
            #expect(try schemaStructure(ours.directory.path + "/sqitch.db")
                == schemaStructure(theirs.directory.path + "/sqitch.db"))

            // The releases row has the same shape as Sqitch's.
            let release = try engine.registryConnection().query(
                "SELECT version, typeof(version), installer_name, installer_email, length(installed_at) FROM releases")
            let theirRelease = try SQLiteConnection(path: theirs.directory.path + "/sqitch.db").query(
                "SELECT version, typeof(version), installer_name, installer_email, length(installed_at) FROM releases")
            #expect(release == theirRelease)

            // A second creation is refused.
            #expect(throws: EngineError("Sqitch database sqitch.db already initialized")) {
                try engine.createRegistry()
            }
        }
    }

    /// A registry as Sqitch made it before release 1.0: no `releases` table, no
    /// `changes.script_hash`, no `merge` events, unnamed check constraints.
    static let preReleaseRegistry = RegistryFixtures.sqlitePreRelease + """
        INSERT INTO projects (project, creator_name, creator_email) VALUES ('flipr', 'Old User', 'old@example.com');
        INSERT INTO changes VALUES ('0123abcd', 'legacy', 'flipr', 'Old', '2014-01-01 00:00:00.000',
          'Old User', 'old@example.com', '2014-01-01 00:00:00', 'Old User', 'old@example.com');
        INSERT INTO events VALUES ('deploy', '0123abcd', 'legacy', 'flipr', 'Old', '', '', '',
          '2014-01-01 00:00:00.000', 'Old User', 'old@example.com', '2014-01-01 00:00:00', 'Old User', 'old@example.com');

        """

    @Test func upgradeMatchesRealSqitchUpgrade() async throws {
        do {
            let theirs = try processContext()
            try makeSQLiteProject(theirs)
            let ours = try processContext()
            try makeSQLiteProject(ours)
            for context in [theirs, ours] {
                let db = try SQLiteConnection(path: context.directory.path + "/sqitch.db")
                try db.execute(Self.preReleaseRegistry)
                db.close()
            }

            let upgraded = try sqitchCommand(theirs, ["upgrade"])
            #expect(upgraded.standardOutput == """
                Upgrading registry db:sqlite:sqitch.db to version 1.1
                Upgrading the Sqitch registry from 0 to 1.1
                  * From 0 to 1.0
                  * From 1.0 to 1.1

                """)

            let sqitch = try ours.sqitch()
            let engine = SQLiteEngine(sqitch: sqitch, target: try Target(sqitch: sqitch))
            let installed = try engine.registryRelease()
            #expect(installed == .none)
            #expect(try engine.registryExists())
            var lines = [RegistryUpgradePlan.banner(from: installed)]
            var from = installed
            for step in try RegistryUpgradePlan.steps(from: installed, available: SQLiteRegistrySchema.upgrades, engine: "sqlite") {
                lines.append(RegistryUpgradePlan.stepLine(from: from, to: step.release))
                try engine.runUpgrade(step)
                try Registry.recordRelease(
                    step.release, installerName: "Test User", installerEmail: "test@example.com",
                    connection: engine.registry(), dialect: engine.dialect)
                from = step.release
            }
            #expect(lines.joined(separator: "\n") + "\n" == upgraded.standardOutput.split(separator: "\n", maxSplits: 1)[1])
            #expect(try engine.registryRelease() == .current)

            let theirSchema = try clientSchema(theirs.directory.path + "/sqitch.db", theirs.sqitch())
            let ourSchema = try clientSchema(ours.directory.path + "/sqitch.db", sqitch)
            #expect(theirSchema.contains("CREATE TABLE IF NOT EXISTS \"changes\""))
            #expect(normalizedSchema(ourSchema) == normalizedSchema(theirSchema))
            #expect(try schemaStructure(ours.directory.path + "/sqitch.db")
                == schemaStructure(theirs.directory.path + "/sqitch.db"))

            let versions = "SELECT version FROM releases ORDER BY version"
            #expect(try engine.registryConnection().query(versions).map { $0[0] } == [.real(1.0), .real(1.1)])
            #expect(try SQLiteConnection(path: theirs.directory.path + "/sqitch.db").query(versions).map { $0[0] }
                == [.real(1.0), .real(1.1)])
            // The old change keeps its row, with its ID as script hash (Sqitch's upgrade command
            // then clears hashes of changes the plan does not know).
            #expect(try engine.registryConnection().query("SELECT change_id, script_hash, change FROM changes").map(\.values)
                == [["0123abcd", "0123abcd", "legacy"]])
            #expect(try engine.registryConnection().scalar("SELECT count(*) FROM events") == .integer(1))
        }
    }

    /// A reader of the registry (another run's `status`) when the client commits the
    /// registry script: the client waits for it, as the registry connection would, instead
    /// of failing with `database is locked` (the sqlite3 client's default).
    @Test func registryCreationWaitsForAReader() async throws {
        do {
            let (context, _, engine) = try sqliteProjectEngine()
            defer { withExtendedLifetime(context) {} }
            final class Holder: @unchecked Sendable {
                let connection: SQLiteConnection
                init(_ connection: SQLiteConnection) { self.connection = connection }
            }
            let reader = Holder(try SQLiteConnection(path: context.directory.path + "/sqitch.db"))
            try reader.connection.execute("BEGIN")
            #expect(try reader.connection.scalar("SELECT count(*) FROM sqlite_master") == .integer(0))
            let started = Date()
            let thread = Thread {
                Thread.sleep(forTimeInterval: 0.5)
                try? reader.connection.execute("COMMIT")
            }
            thread.start()
            try engine.createRegistry(recording: nil)
            #expect(Date().timeIntervalSince(started) >= 0.4)
            #expect(try engine.registryExists())
        }
    }

    @Test func upgradeErrorsMatchSqitchsLineNumbers() async throws {
        do {
            // `sqitch upgrade` on a database without a registry fails in the 1.0 script with
            // `Parse error near line 26: no such table: changes` (Sqitch 1.3.1, exit 2).
            // The context keeps the project directory, the client's working directory.
            let (context, sqitch, engine) = try sqliteProjectEngine()
            defer { withExtendedLifetime(context) {} }
            var command = try engine.registryCommand(SQLiteRegistrySchema.upgradeTo1_0)
            #expect(command.argv
                == ["sqlite3", "-noheader", "-bail", "-batch", "-csv", "-cmd", ".timeout 30000", "sqitch.db"])
            command.error = .capture
            let error = #expect(throws: ProcessError.self) { try SpawnRunner().run(command, sqitch: sqitch) }
            #expect(error?.message
                == "Parse error near line 26: no such table: changes\n\"sqlite3\" unexpectedly returned exit value 1\n")
        }
    }

    @Test func upgradePlanning() throws {
        let available = SQLiteRegistrySchema.upgrades
        #expect(try RegistryUpgradePlan.steps(from: .none, available: available, engine: "sqlite").map(\.release.text)
            == ["1.0", "1.1"])
        #expect(try RegistryUpgradePlan.steps(from: RegistryRelease("1.0")!, available: available, engine: "sqlite")
            .map(\.release.text) == ["1.1"])
        #expect(throws: CommandError("Registry version is 1.2 but 1.1 is the latest known. Please upgrade Sqitch.")) {
            try RegistryUpgradePlan.steps(from: RegistryRelease("1.2")!, available: available, engine: "sqlite")
        }
        #expect(throws: EngineError("Cannot upgrade to 1.1: Cannot find upgrade script \"sqlite-1.1.*\"")) {
            try RegistryUpgradePlan.steps(from: .none, available: [available[0]], engine: "sqlite")
        }

        #expect(RegistryUpgradePlan.checkError(installed: .current, initialized: true, destination: "x") == nil)
        #expect(RegistryUpgradePlan.checkError(installed: .none, initialized: false, destination: "db:sqlite:sqitch.db")
            == EngineError("No registry found in db:sqlite:sqitch.db. Have you ever deployed?"))
        #expect(RegistryUpgradePlan.checkError(installed: RegistryRelease("1.0")!, initialized: true, destination: "x")
            == EngineError("Registry is at version 1.0 but latest is 1.1. Please run the \"upgrade\" command"))
        #expect(RegistryUpgradePlan.checkError(installed: RegistryRelease("1.2")!, initialized: true, destination: "x")
            == EngineError("Registry version is 1.2 but 1.1 is the latest known. Please upgrade Sqitch"))
    }

    @Test func revertWithoutRegistryMatchesSqitch() async throws {
        do {
            // Real Sqitch on a project that was never deployed.
            let context = try processContext()
            try makeSQLiteProject(context)
            let reverted = try SpawnRunner().execute(
                ProcessCommand("sqitch", ["revert", "-y"], output: .capture, error: .capture),
                environment: context.environment, files: FileSystem(workingDirectory: context.directory.path),
                console: try context.sqitch().console)
            #expect(reverted.exitStatus == 2)

            let sqitch = try context.sqitch()
            let engine = SQLiteEngine(sqitch: sqitch, target: try Target(sqitch: sqitch))
            let error = RegistryUpgradePlan.checkError(
                installed: try engine.registryRelease(), initialized: try engine.registryExists(),
                destination: engine.registryDestination)
            #expect(error.map { $0.message + "\n" } == reverted.standardError)
        }
    }
}
