import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

// One conformance suite run on every engine, over real databases (as Sqitch's own
// DBIEngineTest runs one suite on each engine): the same project is deployed, read,
// reverted and failed, and the registry rows are checked. Where Sqitch stores something
// differently per engine (event lists: joined text in SQLite, arrays in PostgreSQL), the
// expectation says so.

/// An engine under test and where its database lives.
enum EngineUnderTest: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case pg
    case mysql

    var testDescription: String { rawValue }
}

/// A throwaway target database for one test: a file in the project for SQLite, a fresh
/// database on the test server for PostgreSQL, a fresh target and registry database on the
/// test server for MySQL (dropped afterwards).
final class ConformanceDatabase {
    let engine: EngineUnderTest
    let context: TestContext
    let uri: String
    private var pgDatabase: String?
    private var myDatabases: [String] = []

    /// Nil (with the reason printed) when the engine's server is not configured outside CI.
    init?(_ engine: EngineUnderTest, registry: String? = nil) throws {
        self.engine = engine
        context = try processContext()
        switch engine {
        case .sqlite:
            uri = "db:sqlite:flipr.db"
        case .pg:
            guard PostgresServer.shouldRun else { return nil }
            let server = try PostgresServer.require()
            let name = try server.createDatabase(prefix: "conformance")
            pgDatabase = name
            uri = server.uri(database: name)
        case .mysql:
            guard MySQLServer.shouldRun else { return nil }
            let server = try MySQLServer.require()
            let name = try server.createDatabase(prefix: "conformance")
            // Each test's registry is a database of its own, so tests run side by side.
            myDatabases = [name, name + "_reg"]
            uri = server.uri(database: name)
        }
        var config = "[core]\n\tengine = \(engine.rawValue)\n[engine \"\(engine.rawValue)\"]\n\ttarget = \(uri)\n"
        if let registry = registry ?? myDatabases.last { config += "\tregistry = \(registry)\n" }
        try context.directory.write("sqitch.conf", config)
    }

    deinit {
        if let pgDatabase { try? PostgresServer.shared?.dropDatabase(pgDatabase) }
        for name in myDatabases { try? MySQLServer.shared?.dropDatabase(name) }
    }

    /// What `Deploying changes to` shows.
    var destination: String { uri }

    /// Where the registry is, as registry messages show it.
    var registryDestination: String {
        switch engine {
        case .sqlite: return "db:sqlite:sqitch.db"
        case .pg: return uri
        case .mysql: return uri.replacingOccurrences(of: "/" + myDatabases[0], with: "/" + myDatabases[1])
        }
    }

    /// The first lines of a first deploy: MySQL creates its registry silently, when it
    /// takes the lock.
    var firstDeployHeader: String {
        (engine == .mysql ? "" : "Adding registry tables to \(registryDestination)\n") + "Deploying changes to \(destination)\n"
    }

    /// A boolean as the database returns it.
    var yes: String { engine == .pg ? "t" : "1" }

    func session(input: InputSource = NoInput()) throws -> EngineSession {
        let sqitch = try context.sqitch(input: input)
        return try EngineSession(sqitch: sqitch, target: Target(sqitch: sqitch))
    }

    /// Rows of a registry query through the engine's own connection, each as `a|b|c`;
    /// lists (PostgreSQL arrays) as `{a,b}`, NULL as `NULL`.
    func rows(_ sql: String) throws -> [String] {
        let engine = try session().engine
        return try engine.registry().query(sql, []).map { row in
            row.values.map { value in
                if let items = value.list { return "{" + items.joined(separator: ",") + "}" }
                return value.text ?? "NULL"
            }.joined(separator: "|")
        }
    }

    /// A list as the registry stores it: `{a,b}` for arrays, the joined text otherwise.
    func list(_ items: [String], separator: String = " ") -> String {
        engine == .pg ? "{" + items.joined(separator: ",") + "}" : items.joined(separator: separator)
    }

    /// Everything a run could change: the project's files (SQLite databases as dumps) and,
    /// on servers, dumps of the target and registry databases.
    func state() throws -> String {
        let root = context.directory.path
        var text = DatabaseDump.dumpingDatabases(ParityHarness.snapshot(root), root: root)
            .sorted { $0.key < $1.key }
            .map { "== \($0.key)\n" + String(decoding: $0.value, as: UTF8.self) }
            .joined(separator: "\n")
        switch engine {
        case .sqlite: break
        case .pg: text += try PostgresDump.dump(database: pgDatabase!, server: PostgresServer.require())
        case .mysql: text += try MySQLDump.dump(databases: myDatabases, server: MySQLServer.require())
        }
        return text
    }

    /// Runs SQL in the target database itself (not the registry), for checks on what the
    /// scripts did.
    func targetTables() throws -> [String] {
        switch engine {
        case .sqlite:
            let connection = try SQLiteConnection(path: context.directory.path + "/flipr.db", flags: [.readOnly])
            return try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", [])
                .compactMap { $0[0].text }
        case .pg:
            let text = try PostgresServer.require().psql(
                database: pgDatabase!, sql: "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            return text.isEmpty ? [] : text.split(separator: "\n").map(String.init)
        case .mysql:
            let text = try MySQLServer.require().sql(
                database: myDatabases[0], sql: "SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = DATABASE() ORDER BY 1")
            return text.isEmpty ? [] : text.split(separator: "\n").map(String.init)
        }
    }
}

/// `users`, `widgets [users] @v1.0`, `flips [widgets users !other:gadgets]`, and `broken`
/// when asked; each script creates or drops a table.
private func makeProject(_ db: ConformanceDatabase, broken: Bool = false, failingVerify: Bool = false) throws {
    let directory = db.context.directory
    var plan = """
        %syntax-version=1.0.0
        %project=flipr

        users 2024-01-02T03:04:05Z Test User <test@example.com> # Users
        widgets [users] 2024-01-02T03:05:05Z Test User <test@example.com> # Widgets
        @v1.0 2024-01-02T03:06:05Z Test User <test@example.com> # Tagged
        flips [widgets users !other:gadgets] 2024-01-02T03:07:05Z Test User <test@example.com> # Flips

        """
    if broken { plan += "broken 2024-01-02T03:08:05Z Test User <test@example.com> # Broken\n" }
    try directory.write("sqitch.plan", plan)
    for name in ["users", "widgets", "flips"] {
        try directory.write("deploy/\(name).sql", "CREATE TABLE \(name) (id INTEGER);\n")
        try directory.write("revert/\(name).sql", "DROP TABLE \(name);\n")
        try directory.write("verify/\(name).sql", "SELECT id FROM \(name) WHERE 1 = 0;\n")
    }
    if failingVerify { try directory.write("verify/flips.sql", "SELECT nosuchcolumn FROM flips;\n") }
    try directory.write("deploy/broken.sql", "CREATE TABLE broken (;\n")
    try directory.write("revert/broken.sql", "DROP TABLE broken;\n")
}

@Suite(.serialized) struct EngineConformanceTests {
    @Test(arguments: EngineUnderTest.allCases)
    func deployCreatesTheRegistryAndLogsEveryRow(_ engine: EngineUnderTest) throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try makeProject(db)
        try db.session().deploy()
        #expect(db.context.out.text == db.firstDeployHeader + """
              + users .......... ok
              + widgets @v1.0 .. ok
              + flips .......... ok

            """)
        #expect(try db.rows("SELECT version, installer_name, installer_email FROM releases")
            == ["1.1|Test User|test@example.com"])
        #expect(try db.rows("SELECT project, uri, creator_name FROM projects") == ["flipr|NULL|Test User"])
        #expect(try db.rows("SELECT \"change\", note, planner_name FROM changes ORDER BY committed_at") == [
            "users|Users|Test User", "widgets|Widgets|Test User", "flips|Flips|Test User",
        ])
        #expect(try db.rows("SELECT tag, note FROM tags") == ["@v1.0|Tagged"])
        #expect(try db.rows(
            "SELECT d.type, d.dependency, d.dependency_id = c.change_id FROM dependencies d "
                + "LEFT JOIN changes c ON c.\"change\" = d.dependency ORDER BY d.change_id, d.dependency").sorted() == [
            "conflict|other:gadgets|NULL", "require|users|\(db.yes)", "require|users|\(db.yes)", "require|widgets|\(db.yes)",
        ])
        // Sqitch joins tags with spaces and dependencies with commas where lists are text.
        #expect(try db.rows("SELECT event, \"change\", tags, requires, conflicts FROM events ORDER BY committed_at") == [
            "deploy|users|\(db.list([]))|\(db.list([]))|\(db.list([]))",
            "deploy|widgets|\(db.list(["@v1.0"]))|\(db.list(["users"]))|\(db.list([]))",
            "deploy|flips|\(db.list([]))|\(db.list(["widgets", "users"], separator: ","))|\(db.list(["other:gadgets"]))",
        ])
        #expect(try db.targetTables() == ["flips", "users", "widgets"])

        try db.session().deploy()
        #expect(db.context.out.text.hasSuffix("Nothing to deploy (up-to-date)\n"))
    }

    @Test(arguments: EngineUnderTest.allCases)
    func registryReadsFollowDeployOrderAndReferences(_ engine: EngineUnderTest) throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try makeProject(db)
        let session = try db.session()
        try session.deploy()
        let registry = try session.registry()
        let plan = try session.plan()
        let state = try #require(try registry.currentState())
        #expect(state.name == "flips")
        #expect(state.tags == [])
        #expect(try registry.deployedChanges().map(\.name) == ["users", "widgets", "flips"])
        #expect(try registry.deployedChanges().map(\.tags) == [[], ["@v1.0"], []])
        #expect(try registry.change(forKey: "widgets@v1.0")?.name == "widgets")
        #expect(try registry.changeID(forKey: "@v1.0") == plan.changes[1].id)
        #expect(try registry.changeID(forKey: "HEAD^") == plan.changes[1].id)
        #expect(try registry.changeID(forKey: "@ROOT") == plan.changes[0].id)
        #expect(try registry.deployedChanges(since: plan.changes[0].id).map(\.name) == ["widgets", "flips"])
        #expect(try registry.changesRequiring(plan.changes[0].id).map(\.change).sorted() == ["flips", "widgets"])
        let dependents = try registry.dependentIDs(of: plan.changes.map(\.id))
        #expect(dependents[plan.changes[0].id]?.sorted() == [plan.changes[1].id, plan.changes[2].id].sorted())
        #expect(dependents[plan.changes[2].id] == nil)
        #expect(try registry.nameForChangeID(plan.changes[0].id) == "users@v1.0")
        #expect(try registry.nameForChangeID(plan.changes[2].id) == "flips@HEAD")
        #expect(try registry.currentTags().map(\.name) == ["@v1.0"])
        let events = try registry.searchEvents(EventSearch(change: "^w", limit: 5))
        #expect(events.map(\.change) == ["widgets"])
        #expect(events.first?.tags == ["@v1.0"])
        #expect(try registry.searchEvents(EventSearch(offset: 1, ascending: true)).map(\.change) == ["widgets", "flips"])
        #expect(try registry.registeredProjects() == ["flipr"])
    }

    @Test(arguments: EngineUnderTest.allCases)
    func revertDeletesRowsAndLogsWhatTheChangeHad(_ engine: EngineUnderTest) throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try makeProject(db)
        try db.session().deploy()
        // Each session holds the destination lock until it goes, as a Sqitch process does.
        try db.session().revert(to: "@v1.0", prompt: false, promptDefault: true)
        #expect(db.context.out.text.hasSuffix("""
            Reverting changes to widgets @v1.0 from \(db.destination)
              - flips .. ok

            """))
        #expect(try db.rows("SELECT \"change\" FROM changes ORDER BY committed_at") == ["users", "widgets"])
        try db.session().revert(prompt: false, promptDefault: true)
        #expect(try db.rows("SELECT count(*) FROM changes") == ["0"])
        #expect(try db.rows("SELECT count(*) FROM tags") == ["0"])
        #expect(try db.rows("SELECT count(*) FROM dependencies") == ["0"])
        // Revert events carry what the registry had, in the order the database reads it
        // (SQLite and MySQL by the primary key, PostgreSQL as inserted), comma-joined where
        // lists are text.
        let requires = engine == .pg ? db.list(["widgets", "users"]) : "users,widgets"
        #expect(try db.rows("SELECT event, \"change\", tags, requires, conflicts FROM events WHERE event = 'revert' ORDER BY committed_at") == [
            "revert|flips|\(db.list([]))|\(requires)|\(db.list(["other:gadgets"]))",
            "revert|widgets|\(db.list(["@v1.0"]))|\(db.list(["users"]))|\(db.list([]))",
            "revert|users|\(db.list([]))|\(db.list([]))|\(db.list([]))",
        ])
        #expect(try db.targetTables() == [])
    }

    @Test(arguments: EngineUnderTest.allCases)
    func aFailedDeployRevertsThisRunAndLogsTheFailure(_ engine: EngineUnderTest) throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try makeProject(db, broken: true)
        try db.session().deploy(to: "users")
        #expect(throws: EngineError("Deploy failed")) { try db.session().deploy(mode: .all) }
        #expect(db.context.out.text.hasSuffix("""
              + widgets @v1.0 .. ok
              + flips .......... ok
              + broken ......... not ok
              - flips .......... ok
              - widgets @v1.0 .. ok

            """))
        #expect(db.context.err.text.hasSuffix("unexpectedly returned exit value \(engine == .pg ? 3 : 1)\n\nReverting to users\n"))
        #expect(try db.rows("SELECT \"change\" FROM changes") == ["users"])
        #expect(try db.rows("SELECT event, \"change\" FROM events ORDER BY committed_at") == [
            "deploy|users", "deploy|widgets", "deploy|flips", "fail|broken", "revert|flips", "revert|widgets",
        ])
        #expect(try db.targetTables() == ["users"])

        #expect(throws: ProcessError.self) { try db.session().deploy(mode: .change) }
        #expect(try db.rows("SELECT \"change\" FROM changes ORDER BY committed_at") == ["users", "widgets", "flips"])
    }

    @Test(arguments: EngineUnderTest.allCases)
    func aFailingVerifyFailsTheChangeAndRunsItsRevert(_ engine: EngineUnderTest) throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try makeProject(db, failingVerify: true)
        let session = try db.session()
        session.withVerify = true
        #expect(throws: EngineError.self) { try session.deploy(mode: .change) }
        #expect(db.context.out.text.hasSuffix("  + flips .......... not ok\n"))
        #expect(try db.rows("SELECT \"change\" FROM changes ORDER BY committed_at") == ["users", "widgets"])
        #expect(try db.rows("SELECT event, \"change\" FROM events WHERE event = 'fail'") == ["fail|flips"])
        #expect(try db.targetTables() == ["users", "widgets"])
    }

    @Test(arguments: EngineUnderTest.allCases)
    func verifyAndCheckCompareTheRegistryWithThePlan(_ engine: EngineUnderTest) throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try makeProject(db)
        #expect(throws: EngineError("No registry found in \(db.registryDestination). Have you ever deployed?")) {
            try Verification(session: db.session()).verify(from: nil, to: nil)
        }
        try db.session().deploy()
        let out = db.context.out
        let before = out.text.count
        try Verification(session: db.session()).verify(from: nil, to: nil)
        try Verification(session: db.session()).check(from: nil, to: nil)
        #expect(String(out.text.dropFirst(before)) == """
            Verifying \(db.destination)
              * users .......... ok
              * widgets @v1.0 .. ok
              * flips .......... ok
            Verify successful
            Checking \(db.destination)
            Check successful

            """)
        try db.context.directory.write("deploy/widgets.sql", "CREATE TABLE widgets (id INTEGER, name TEXT);\n")
        #expect(throws: EngineError("Failed one check", exitCode: 1)) {
            try Verification(session: db.session()).check(from: nil, to: nil)
        }
        #expect(out.text.hasSuffix("Script signatures diverge at change widgets @v1.0\n"))
        try db.context.directory.write("verify/flips.sql", "SELECT nosuchcolumn FROM flips;\n")
        #expect(throws: EngineError.self) { try Verification(session: db.session()).verify(from: nil, to: nil) }
        #expect(out.text.contains("  * flips .......... # Verify script \"verify/flips.sql\" failed.\nnot ok\n"))
    }

    @Test(arguments: EngineUnderTest.allCases)
    func upgradeRunsEachStepAndRecordsItsRelease(_ engine: EngineUnderTest) throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try makeProject(db)
        try db.session().deploy()
        // Back to release 1.0: the 1.1 row goes and the 1.1 constraint is undone.
        switch engine {
        case .sqlite:
            try db.session().engine.registry().execute("DELETE FROM releases WHERE version > 1.0")
        case .mysql:
            // The 1.1 step drops the release 1.0 index on `script_hash`.
            for statement in ["DELETE FROM releases WHERE version > 1.0", "ALTER TABLE changes ADD UNIQUE(script_hash)"] {
                try db.session().engine.registry().execute(statement)
            }
        case .pg:
            try db.session().engine.registry().execute("""
                DELETE FROM releases WHERE version > 1.0;
                ALTER TABLE changes DROP CONSTRAINT changes_project_script_hash_key;
                ALTER TABLE changes ADD CONSTRAINT changes_script_hash_key UNIQUE (script_hash);
                """)
        }
        let engineUnderTest = try db.session().engine
        try engineUnderTest.registry().execute("INSERT INTO releases (version, installed_at, installer_name, installer_email) "
            + "VALUES (1.0, \(engineUnderTest.dialect.timestampDefault), 'Old', 'old@example.com')")
        #expect(throws: EngineError.self) { try db.session().checkRegistry() }
        let session = try db.session()
        try session.upgradeRegistry()
        // PostgreSQL's `MAX(version)::TEXT` of a REAL 1.0 is `1`, which Sqitch prints.
        let old = engine == .pg ? "1" : "1.0"
        #expect(db.context.out.text.hasSuffix("""
            Upgrading the Sqitch registry from \(old) to 1.1
              * From \(old) to 1.1

            """))
        #expect(try db.rows("SELECT version FROM releases ORDER BY version").last == "1.1")
        try db.session().checkRegistry()
        try db.session().revert(prompt: false, promptDefault: true)
        #expect(try db.rows("SELECT count(*) FROM changes") == ["0"])
    }
}

/// The registry connection opened on another thread while a command reads its plan
/// (`prefetchRegistryConnection`, which every connecting command starts).
@Suite struct PrefetchedConnectionTests {
    /// The first use takes the connection opened ahead: a deploy, a status and a revert
    /// work through it, and a second prefetch on an open connection starts nothing.
    @Test(arguments: [EngineUnderTest.pg, .mysql])
    func theFirstUseTakesTheConnectionOpenedAhead(_ engine: EngineUnderTest) throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try makeProject(db)
        do {
            // The deploy's lock lasts as long as its connection: this block.
            let deploying = try db.session()
            deploying.engine.prefetchRegistryConnection()
            deploying.engine.prefetchRegistryConnection()
            try deploying.deploy()
            deploying.engine.prefetchRegistryConnection()
            #expect(try deploying.engine.registry().query("SELECT count(*) FROM changes", []).first?[0].text == "3")
        }
        do {
            // Opened before any use (of a registry that is there: MySQL's is a database of its
            // own): the server has the session, and the first use is it.
            let session = try db.session()
            session.engine.prefetchRegistryConnection()
            let name = String(db.uri.split(separator: "/").last!)
            func serverSessions() throws -> [String] {
                let text = engine == .pg
                    ? try PostgresServer.require().psql(
                        database: "postgres", sql: "SELECT pid FROM pg_stat_activity WHERE datname = '\(name)' AND backend_type = 'client backend'")
                    : try MySQLServer.require().sql(
                        database: "mysql", sql: "SELECT id FROM information_schema.processlist WHERE db = '\(name)_reg' AND command <> 'Killed'")
                return text.split(separator: "\n").map(String.init)
            }
            let deadline = Date().addingTimeInterval(30)
            var sessions = try serverSessions()
            while sessions.isEmpty, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
                sessions = try serverSessions()
            }
            let own = engine == .pg ? "SELECT pg_backend_pid()" : "SELECT connection_id()"
            let id = try session.engine.registry().query(own, []).first?[0].text
            #expect(id != nil && sessions.contains(id!), "\(id ?? "none") in \(sessions)")
        }
        do {
            let sqitch = try db.context.sqitch()
            let connection = try EngineSession.connect(
                sqitch: sqitch, command: "status", arguments: [], options: ConnectionOptions())
            #expect(try Registry(engine: connection.session.engine, project: "flipr")
                .statusState(project: "flipr")?.name == "flips")
        }

        // Sessions let go of before any use: their connections end on their own threads.
        for _ in 1...5 {
            let session = try db.session()
            session.engine.prefetchRegistryConnection()
        }
        let reverting = try db.session()
        reverting.engine.prefetchRegistryConnection()
        try reverting.revert(prompt: false, promptDefault: true)
        #expect(try db.rows("SELECT count(*) FROM changes") == ["0"])
    }

    /// Opening ahead with a wrong password: the first use fails with the error it would
    /// have had without, once; the next use tries again.
    @Test(arguments: [EngineUnderTest.pg, .mysql])
    func theFirstUseGetsTheErrorOfOpeningAhead(_ engine: EngineUnderTest) throws {
        let context = try processContext()
        let sqitch = try context.sqitch()
        let uri: String
        switch engine {
        case .pg:
            guard PostgresServer.shouldRun else { return }
            uri = try PostgresServer.require().uri(database: "postgres", user: PostgresServer.passwordUser, password: "wrong")
        case .mysql:
            guard MySQLServer.shouldRun else { return }
            uri = try MySQLServer.require().uri(database: "mysql", user: MySQLServer.passwordUser, password: "wrong")
        case .sqlite:
            return
        }
        func failure(_ engine: any Engine) -> String {
            do {
                _ = try engine.registry()
                return "connected"
            } catch {
                return EngineSession.message(of: error)
            }
        }
        let target = try Target(sqitch: sqitch, uri: DatabaseURI(uri))
        let plain = try EngineFactory.engine(for: target, sqitch: sqitch)
        let expected = failure(plain)
        #expect(expected.contains("password") || expected.contains("Access denied"), "\(expected)")
        let ahead = try EngineFactory.engine(for: target, sqitch: sqitch)
        ahead.prefetchRegistryConnection()
        #expect(failure(ahead) == expected)
        #expect(failure(ahead) == expected)
    }
}

/// What only PostgreSQL has: the registry schema by name, and the destination lock.
@Suite(.serialized) struct PostgresEngineTests {
    @Test func aRegistrySchemaThatNeedsQuotingIsCreatedAndUsed() throws {
        guard let db = try ConformanceDatabase(.pg, registry: "My Reg") else { return }
        try makeProject(db)
        try db.session().deploy()
        #expect(try db.rows("SELECT count(*) FROM \"My Reg\".changes") == ["3"])
        #expect(try db.rows("SELECT count(*) FROM pg_namespace WHERE nspname = 'sqitch'") == ["0"])
        try db.session().revert(prompt: false, promptDefault: true)
        #expect(try db.rows("SELECT count(*) FROM \"My Reg\".changes") == ["0"])
    }

    @Test func aHeldLockMakesDeployWaitThenTimeOut() throws {
        guard let db = try ConformanceDatabase(.pg) else { return }
        try makeProject(db)
        let holder = try db.session()
        #expect(try holder.engine.tryLock())
        let session = try db.session()
        session.lockTimeout = 1
        let started = Date()
        #expect(throws: EngineError("Timed out waiting 1 seconds for another instance of Sqitch to finish work on \(db.destination)")) {
            try session.deploy()
        }
        #expect(Date().timeIntervalSince(started) >= 0.9)
        #expect(db.context.out.text
            == "Blocked by another instance of Sqitch working on \(db.destination); waiting 1 seconds...\n")
        // Once the holder lets go, a waiting deploy goes ahead.
        (holder.engine as? PostgresEngine)?.disconnect()
        let next = try db.session()
        next.lockTimeout = 5
        try next.deploy()
        #expect(try db.rows("SELECT count(*) FROM changes") == ["3"])
    }

    @Test func theRegistryConnectionFailsWithLibpqsMessage() throws {
        guard PostgresServer.shouldRun else { return }
        let server = try PostgresServer.require()
        let context = try processContext()
        let sqitch = try context.sqitch()
        let wrong = "db:pg://\(PostgresServer.passwordUser):wrong@\(server.host):\(server.port)/postgres"
        let target = try Target(sqitch: sqitch, uri: DatabaseURI(wrong))
        let engine = PostgresEngine(sqitch: sqitch, target: target)
        do {
            _ = try engine.registry()
            Issue.record("connected with a wrong password")
        } catch let error as any SqitchFailure {
            #expect(error.message.contains("password authentication failed for user \"\(PostgresServer.passwordUser)\""))
            #expect(!error.message.contains("wrong"))
        }
        let right = "db:pg://\(PostgresServer.passwordUser):\(PostgresServer.password)@\(server.host):\(server.port)/postgres"
        let good = PostgresEngine(sqitch: sqitch, target: try Target(sqitch: sqitch, uri: DatabaseURI(right)))
        #expect(try good.registryRelease() == .none)
        #expect(try !good.registryExists())
    }
}

/// MySQL servers without fractional seconds (before 5.6.4): logging waits for the next
/// second, so the registry's order survives (Sqitch's `_prepare_to_log`).
@Suite struct MySQLWholeSecondTests {
    @Test func loggingWaitsUntilTheNewestRowIsInAPastSecond() throws {
        guard let db = try ConformanceDatabase(.mysql) else { return }
        try makeProject(db)
        let session = try db.session()
        try session.deploy()
        let connection = try session.engine.registry()
        func isTrue(_ sql: String) throws -> Bool {
            try Registry.isTrue(try #require(connection.query(sql, []).first)[0])
        }
        _ = try connection.run("UPDATE events SET committed_at = utc_timestamp()", [])
        #expect(try isTrue("SELECT MAX(UNIX_TIMESTAMP(committed_at)) >= UNIX_TIMESTAMP() FROM events"))
        let whole = Registry(connection: connection, dialect: MySQLDialect(fractionalSeconds: false), project: "flipr")
        try whole.prepareToLog(table: "events", project: "flipr")
        #expect(try isTrue("SELECT MAX(UNIX_TIMESTAMP(committed_at)) < UNIX_TIMESTAMP() FROM events"))

        // With fractions of a second there is no wait, even for a row an hour ahead.
        _ = try connection.run("UPDATE events SET committed_at = utc_timestamp() + INTERVAL 1 HOUR", [])
        let start = Date()
        try Registry(connection: connection, dialect: MySQLDialect(), project: "flipr")
            .prepareToLog(table: "events", project: "flipr")
        #expect(Date().timeIntervalSince(start) < 1)
        // Another project's rows do not hold this one up.
        let other = Registry(connection: connection, dialect: MySQLDialect(fractionalSeconds: false), project: "other")
        try other.prepareToLog(table: "events", project: "other")
        #expect(Date().timeIntervalSince(start) < 1)
    }
}
