import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The parity harness compares SQLite files as dumps: registries as rows without times,
/// other databases as schema and rows.
@Suite struct DatabaseDumpTests {
    @Test func aRegistryDumpsAsRowsWithoutTheTimesOfWriting() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/sqitch.db"
        let connection = try SQLiteConnection(path: path)
        try connection.execute(SQLiteRegistrySchema.create.replacingOccurrences(of: "BEGIN;", with: "")
            .replacingOccurrences(of: "COMMIT;", with: ""))
        try connection.run(
            "INSERT INTO releases (version, installed_at, installer_name, installer_email) VALUES (1.1, ?, 'U', 'u@x')",
            ["2026-01-01 00:00:00.123"])
        try connection.run("INSERT INTO projects (project, uri, creator_name, creator_email) VALUES ('p', NULL, 'U', 'u@x')")
        connection.close()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(DatabaseDump.isDatabase(data))
        let dumped = DatabaseDump.dumpingDatabases(["sqitch.db": data, "x.txt": Data("x".utf8)], root: directory.path)
        #expect(dumped["x.txt"] == Data("x".utf8))
        let text = String(decoding: dumped["sqitch.db"]!, as: UTF8.self)
        #expect(text == """
            -- sqlite database dump
            -- registry
            releases(version=1.1, installed_at=<NOW>, installer_name='U', installer_email='u@x')
            projects(project='p', uri=NULL, created_at=<NOW>, creator_name='U', creator_email='u@x')

            """)
        #expect(DatabaseDump.isDump(dumped["sqitch.db"]!))
    }

    @Test func anyOtherDatabaseDumpsAsSchemaAndRows() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/flipr.db"
        let connection = try SQLiteConnection(path: path)
        try connection.execute("CREATE TABLE b (v); CREATE TABLE a (n INTEGER, t TEXT); INSERT INTO a VALUES (2, 'it''s'); INSERT INTO a VALUES (1, NULL)")
        connection.close()
        #expect(DatabaseDump.dump(path: path) == """
            -- sqlite database dump
            CREATE TABLE a (n INTEGER, t TEXT);
            CREATE TABLE b (v);
            a(n=2, t='it''s')
            a(n=1, t=NULL)

            """)
    }

    @Test func dumpsThatDifferAreReported() {
        let scenario = ParityScenario("s", steps: [ParityStep(["deploy"])])
        let output = [ParityOutput(stdout: "", stderr: "", exitCode: 0)]
        let want = ParityRun(outputs: output, files: ["project/sqitch.db": Data((DatabaseDump.marker + "x\n").utf8)])
        let got = ParityRun(outputs: output, files: ["project/sqitch.db": Data((DatabaseDump.marker + "y\n").utf8)])
        #expect(ParityHarness.compare(scenario, expected: want, actual: got).map(\.what) == ["project/sqitch.db"])
        #expect(ParityHarness.compare(scenario, expected: want, actual: want).isEmpty)
    }
}
