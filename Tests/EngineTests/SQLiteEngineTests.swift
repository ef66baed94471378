import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

@Suite struct SQLiteEngineTests {
    func engine(_ context: TestContext, uri: String? = nil, client: String? = nil) throws -> SQLiteEngine {
        let sqitch = try context.sqitch()
        let overrides = TargetOverrides(client: client)
        let target = try uri.map { try Target(sqitch: sqitch, uri: DatabaseURI($0), overrides: overrides) }
            ?? Target(sqitch: sqitch, overrides: overrides)
        return SQLiteEngine(sqitch: sqitch, target: target)
    }

    @Test func scriptArgvIsSqitchs() async throws {
        do {
            let context = try processContext()
            try makeSQLiteProject(context)
            let engine = try engine(context)
            #expect(engine.destination == "db:sqlite:flipr.db")
            #expect(try engine.scriptCommand(path: "deploy/users.sql").argv
                == ["sqlite3", "-noheader", "-bail", "-batch", "-csv", "flipr.db", ".read 'deploy/users.sql'"])
            #expect(SQLiteEngine.readCommand("it's.sql") == ".read 'it''s.sql'")
            let input = try engine.inputCommand("SELECT 1;")
            #expect(input.argv == ["sqlite3", "-noheader", "-bail", "-batch", "-csv", "flipr.db"])
            #expect(input.input == "SELECT 1;")
        }
    }

    @Test func scriptsRunThroughTheClient() async throws {
        do {
            let context = try processContext()
            try makeSQLiteProject(context)
            let engine = try engine(context)
            try SpawnRunner().run(try engine.scriptCommand(path: "deploy/users.sql"), sqitch: engine.sqitch)
            var verify = try engine.inputCommand("SELECT count(*) FROM users;")
            verify.output = .capture
            #expect(try SpawnRunner().run(verify, sqitch: engine.sqitch).standardOutput == "0\n")

            // A failing script: sqlite3's error, then Sqitch's message (verified on 1.3.1:
            // `"sqlite3" unexpectedly returned exit value 1`).
            try context.directory.write("deploy/broken.sql", "SELECT * FROM nope;\n")
            var broken = try engine.scriptCommand(path: "deploy/broken.sql")
            broken.error = .capture
            let error = #expect(throws: ProcessError.self) { try SpawnRunner().run(broken, sqitch: engine.sqitch) }
            #expect(error?.message
                == "Parse error near line 1: no such table: nope\n\"sqlite3\" unexpectedly returned exit value 1\n")
        }
    }

    @Test func clientVersionIsChecked() async throws {
        do {
            let context = try processContext()
            try makeSQLiteProject(context)
            try context.directory.write("oldc", "#!/bin/sh\necho \"3.3.8 2000-01-01 x\"\n")
            chmod(context.directory.path + "/oldc", 0o755)
            // Sqitch 1.3.1, `sqitch deploy --client ./oldc`.
            #expect(throws: EngineError("Sqitch requires SQLite 3.3.9 or later; ./oldc is 3.3.8")) {
                try engine(context, client: "./oldc").checkClient()
            }
            // `sqitch deploy --client /nonexistent`.
            #expect(throws: ProcessError("\"/nonexistent\" failed to start: \"No such file or directory\"\n",
                                       reason: .failedToStart(program: "/nonexistent", cause: "No such file or directory"))) {
                try engine(context, client: "/nonexistent").checkClient()
            }
            // `sqitch deploy db:sqlite:`.
            #expect(throws: EngineError("Database name missing in URI db:sqlite:")) {
                try engine(context, uri: "db:sqlite:").checkClient()
            }
            try engine(context).checkClient()
            #expect(SQLiteEngine.atLeast("3.40.1", [3, 3, 9]))
            #expect(!SQLiteEngine.atLeast("3.3", [3, 3, 9]))
            #expect(SQLiteEngine.atLeast("4", [3, 3, 9]))
        }
    }

    @Test func registryFileSitsBesideTheDatabase() async throws {
        do {
            let context = try processContext()
            try makeSQLiteProject(context)
            try FileManager.default.createDirectory(
                atPath: context.directory.path + "/db", withIntermediateDirectories: true)
            let engine = try engine(context, uri: "db:sqlite:db/flipr.db")
            #expect(engine.registryFile == "db/sqitch.db")
            _ = try engine.registryConnection()
            #expect(FileManager.default.fileExists(atPath: context.directory.path + "/db/sqitch.db"))
            #expect(try engine.registryConnection() === engine.registryConnection())
        }
    }
}
