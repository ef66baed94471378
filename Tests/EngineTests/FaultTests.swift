import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Databases that cannot be written: a registry another connection holds with
/// `BEGIN IMMEDIATE`. Sqitch (DBD::SQLite) waits 30 seconds before `database is locked`;
/// these tests shorten the wait through `SQLiteEngine.busyTimeout`. Expectations were
/// checked against `sqitch` 1.3.1 with a `sqlite3` shell holding the lock.
private func makeProject(_ context: TestContext) throws {
    let directory = context.directory
    try directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:flipr.db\n")
    try directory.write("sqitch.plan", """
        %syntax-version=1.0.0
        %project=flipr

        users 2024-01-02T03:04:05Z Test User <test@example.com> # Users
        widgets [users] 2024-01-02T03:05:05Z Test User <test@example.com> # Widgets

        """)
    for name in ["users", "widgets"] {
        try directory.write("deploy/\(name).sql", "CREATE TABLE \(name) (id INTEGER);\n")
        try directory.write("revert/\(name).sql", "DROP TABLE \(name);\n")
    }
}

private func session(_ context: TestContext, busyTimeout: Int32 = 50) throws -> EngineSession {
    let sqitch = try context.sqitch()
    let target = try Target(sqitch: sqitch)
    let engine = SQLiteEngine(sqitch: sqitch, target: target)
    engine.busyTimeout = busyTimeout
    return EngineSession(sqitch: sqitch, target: target, engine: engine)
}

private func rows(_ context: TestContext, _ file: String, _ sql: String) throws -> [String] {
    let connection = try SQLiteConnection(path: context.directory.path + "/" + file, flags: [.readOnly])
    return try connection.query(sql, []).map { row in row.values.map { $0.text ?? "NULL" }.joined(separator: "|") }
}

@Suite struct FaultTests {
    @Test func theBusyTimeoutIsDBDSQLitesThirtySeconds() throws {
        let context = try processContext()
        try makeProject(context)
        let sqitch = try context.sqitch()
        #expect(SQLiteEngine(sqitch: sqitch, target: try Target(sqitch: sqitch)).busyTimeout == 30_000)
    }

    /// The change's script runs; its first registry write fails, the revert script runs,
    /// and the `fail` event cannot be logged either: no `not ok`, the lock error twice.
    @Test func aLockedRegistryFailsTheChangeAfterItsScript() throws {
        let context = try processContext()
        try makeProject(context)
        try session(context).deploy(to: "users")
        let holder = try SQLiteConnection(path: context.directory.path + "/sqitch.db")
        try holder.begin()
        try holder.run("INSERT INTO releases (version, installer_name, installer_email) VALUES (9, 'x', 'y')")
        defer { try? holder.rollback() }

        #expect(throws: EngineError("Deploy failed")) { try session(context).deploy() }
        #expect(context.out.text.hasSuffix("""
            Deploying changes to db:sqlite:flipr.db
              + widgets .. 
            """))
        #expect(context.err.text == "database is locked\ndatabase is locked\n")
        try holder.rollback()
        #expect(try rows(context, "sqitch.db", "SELECT event, change FROM events ORDER BY rowid") == ["deploy|users"])
        #expect(try rows(context, "flipr.db", "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            == ["users"])
    }
}

@Suite struct FaultRevertTests {
    /// The revert script runs; the registry write fails on the lock: the error, `not ok`,
    /// `Revert failed`, and the registry still lists the change.
    @Test func aLockedRegistryFailsTheRevertAfterItsScript() throws {
        let context = try processContext()
        try makeProject(context)
        try session(context).deploy(to: "users")
        let holder = try SQLiteConnection(path: context.directory.path + "/sqitch.db")
        try holder.begin()
        try holder.run("INSERT INTO releases (version, installer_name, installer_email) VALUES (9, 'x', 'y')")
        defer { try? holder.rollback() }

        #expect(throws: EngineError("Revert failed")) {
            try session(context).revert(to: nil, prompt: false, promptDefault: true)
        }
        #expect(context.out.text.hasSuffix("""
            Reverting all changes from db:sqlite:flipr.db
              - users .. not ok

            """))
        #expect(context.err.text == "database is locked\n")
        try holder.rollback()
        #expect(try rows(context, "sqitch.db", "SELECT change FROM changes") == ["users"])
        #expect(try rows(context, "flipr.db", "SELECT name FROM sqlite_master WHERE type = 'table'") == [])
    }
}
