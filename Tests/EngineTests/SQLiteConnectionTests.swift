import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

@Suite struct SQLiteConnectionTests {
    func open(_ directory: TemporaryDirectory, _ name: String = "test.db", busyTimeout: Int32 = 30_000) throws
        -> SQLiteConnection
    {
        try SQLiteConnection(path: directory.path + "/" + name, busyTimeout: busyTimeout)
    }

    @Test func boundParametersRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let db = try open(directory)
        try db.execute("CREATE TABLE t (a TEXT, b INTEGER, c REAL, d TEXT, e BLOB)")
        let inserted = try db.run(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?)", [.text("it's ü"), .integer(42), .real(1.5), .null, .blob([0, 1, 255])])
        #expect(inserted == 1)
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", ["x", 7, 2.25, .null, .null])

        let rows = try db.query("SELECT a, b, c, d, e FROM t WHERE b > ? ORDER BY b DESC", [.integer(1)])
        #expect(rows.count == 2)
        #expect(rows[0].values == [.text("it's ü"), .integer(42), .real(1.5), .null, .blob([0, 1, 255])])
        #expect(rows[0]["a"] == "it's ü")
        #expect(rows[0]["missing"] == .null)
        #expect(rows[1].columns == ["a", "b", "c", "d", "e"])
        #expect(rows[1][2] == .real(2.25))
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(2))
        #expect(try db.scalar("SELECT a FROM t WHERE 0") == nil)

        // A statement can be reused with new bindings.
        let statement = try db.prepare("SELECT b FROM t WHERE a = ?")
        try statement.bind(["x"])
        #expect(try statement.rows().map(\.values) == [[.integer(7)]])
        try statement.bind(["it's ü"])
        #expect(try statement.step())
        #expect(statement.value(at: 0) == .integer(42))
        #expect(try !statement.step())
    }

    @Test func errorsCarrySQLitesMessage() throws {
        let directory = try TemporaryDirectory()
        let db = try open(directory)
        #expect(throws: EngineError("no such table: nope", databaseCode: "1")) { try db.query("SELECT * FROM nope") }
        #expect(throws: EngineError("near \"SELEC\": syntax error", databaseCode: "1")) { try db.execute("SELEC 1") }
        #expect(throws: EngineError("called with 0 bind variables when 1 are needed")) {
            try db.run("SELECT ?")
        }
        try db.execute("CREATE TABLE u (a TEXT UNIQUE)")
        try db.run("INSERT INTO u VALUES (?)", ["one"])
        let error = #expect(throws: EngineError.self) { try db.run("INSERT INTO u VALUES (?)", ["one"]) }
        #expect(error?.message == "UNIQUE constraint failed: u.a")
        #expect(SQLiteDialect().isUniqueError(error!))
        #expect(SQLiteDialect().isNoTableError(EngineError("no such table: releases", databaseCode: "1")))
        #expect(!SQLiteDialect().isNoTableError(EngineError("no such table: releases")))
        #expect(error?.databaseCode == "2067")

        let missing = #expect(throws: EngineError.self) {
            try SQLiteConnection(path: directory.path + "/no/such/dir/x.db")
        }
        #expect(missing?.message == "unable to open database file")
    }

    @Test func foreignKeysAreEnforced() throws {
        let directory = try TemporaryDirectory()
        let db = try open(directory)
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1))
        try db.execute("CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE c (p TEXT REFERENCES p(id))")
        #expect(throws: EngineError("FOREIGN KEY constraint failed", databaseCode: "787")) {
            try db.run("INSERT INTO c VALUES (?)", ["ghost"])
        }
    }

    @Test func transactionsCommitAndRollBack() throws {
        let directory = try TemporaryDirectory()
        let db = try open(directory)
        try db.execute("CREATE TABLE t (a INTEGER)")
        try db.transaction { try db.run("INSERT INTO t VALUES (1)") }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (2)")
                #expect(db.inTransaction)
                throw Boom()
            }
        }
        #expect(!db.inTransaction)
        #expect(try db.query("SELECT a FROM t").map(\.values) == [[.integer(1)]])

        // As with DBD::SQLite, BEGIN IMMEDIATE goes out with the transaction's first
        // statement, and takes the write lock then: the other connection's first statement
        // after its begin() fails.
        let other = try open(directory, busyTimeout: 0)
        try db.begin()
        #expect(db.inTransaction)
        try other.begin()
        #expect(try db.scalar("SELECT 1") == .integer(1))
        #expect(throws: EngineError("database is locked", databaseCode: "5")) { try other.scalar("SELECT 1") }
        try other.rollback()
        try db.rollback()
        try other.begin()
        try other.run("INSERT INTO t VALUES (3)")
        try other.commit()
        #expect(!other.inTransaction)
        // A begin() with no statement before the commit changes nothing.
        try db.begin()
        try db.commit()
        #expect(!db.inTransaction)
    }

    @Test func regexpMatchesAsDBDSQLiteDoes() throws {
        let directory = try TemporaryDirectory()
        let db = try open(directory)
        // Results checked against DBD::SQLite 1.72 (Perl regexes).
        #expect(try db.scalar("SELECT 'abc' REGEXP '^a'") == .integer(1))
        #expect(try db.scalar("SELECT 'abc' REGEXP '^b'") == .integer(0))
        #expect(try db.scalar("SELECT NULL REGEXP 'a'") == .null)
        #expect(try db.scalar("SELECT 'a' REGEXP NULL") == .null)
        #expect(try db.scalar("SELECT 12 REGEXP '^1'") == .integer(1))
        #expect(try db.scalar("SELECT 'ABC' REGEXP '(?i)abc'") == .integer(1))
        #expect(try db.scalar("SELECT 'users' REGEXP ?", ["er"]) == .integer(1))
        #expect(throws: EngineError.self) { try db.scalar("SELECT 'a' REGEXP '('") }

        try db.execute("CREATE TABLE events (change TEXT)")
        for name in ["users", "widgets", "user_roles"] { try db.run("INSERT INTO events VALUES (?)", [.text(name)]) }
        let matched = try db.query("SELECT change FROM events WHERE change REGEXP ? ORDER BY change", ["^user"])
        #expect(matched.map { $0[0] } == ["user_roles", "users"])
    }

    @Test func libraryVersionIsChecked() throws {
        #expect(SQLiteEngine.atLeast(try SQLiteConnection.libraryVersion(), SQLiteEngine.minimumLibraryVersion))
        #expect(throws: EngineError("Sqitch requires SQLite 3.8.6 or later; DBD::SQLite was built with 3.8.5")) {
            try SQLiteEngine.checkLibraryVersion("3.8.5")
        }
        try SQLiteEngine.checkLibraryVersion("3.8.6")
        try SQLiteEngine.checkLibraryVersion("3.10.0")
    }

    @Test func dialectFormats() {
        let dialect = SQLiteDialect()
        #expect(dialect.timestampParameter(Date(timeIntervalSince1970: 1_704_164_645)) == "2024-01-02 03:04:05")
        #expect(dialect.listAggregate("t.tag") == "group_concat(t.tag, ' ')")
        #expect(dialect.timestampText("c.planned_at")
            == "strftime('year:%Y:month:%m:day:%d:hour:%H:minute:%M:second:%S:time_zone:UTC', c.planned_at)")
    }
}
