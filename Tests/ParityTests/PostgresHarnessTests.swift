import Foundation
import Testing
import SqlitchTestSupport

/// The PostgreSQL test server (started by ./scripts/test), its fixture, and the parity
/// harness's PostgreSQL scenarios. Skipped, with the reason printed, when no server is
/// configured, except in CI, where that fails.
@Suite struct PostgresHarnessTests {
    @Test func aThrowawayDatabaseIsCreatedFilledDumpedAndDropped() throws {
        guard PostgresServer.shouldRun else { return }
        let server = try PostgresServer.require()
        let name = try server.createDatabase(prefix: "Fixture test!")
        #expect(name.hasPrefix("fixture_test__"))
        #expect(name.count == "fixture_test__".count + 32)
        defer { try? server.dropDatabase(name) }
        #expect(try server.databaseExists(name))
        #expect(server.uri(database: name) == "db:pg://postgres@\(server.host):\(server.port)/\(name)")

        try server.psql(database: name, sql: """
            CREATE TABLE items (n integer NOT NULL, label text, tags text[], at timestamptz);
            INSERT INTO items VALUES (10, 'ten', '{a,b}', '2024-01-02 03:04:05+02'), (9, 'it''s', NULL, NULL),
                                     (10, NULL, '{}', NULL);
            CREATE VIEW labels AS SELECT label FROM items;
            CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x * 2';
            """)
        #expect(try server.psql(database: name, sql: "SELECT n, label FROM items ORDER BY n, label") == "9|it's\n10|ten\n10|")
        #expect(try server.psql(database: name, sql: "SELECT twice(21)") == "42")

        #expect(try server.dump(database: name) == """
            -- postgres database dump
            -- schema public
            -- table items
            --   n integer NOT NULL
            --   label text
            --   tags text[]
            --   at timestamp with time zone
            items(n=9, label='it''s', tags=NULL, at=NULL)
            items(n=10, label='ten', tags='{a,b}', at='2024-01-02 01:04:05+00')
            items(n=10, label=NULL, tags='{}', at=NULL)
            -- function twice(x integer)
            -- view labels

            """)

        // An open session does not keep the database from being dropped.
        let session = try server.startSleepingSession(database: name)
        var ended = false
        defer { if !ended { session.terminate(); _ = session.finish() } }
        var connected = false
        for _ in 0..<200 where !connected {
            connected = try server.psql(sql: "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(name)'") != "0"
            if !connected { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(connected)
        try server.dropDatabase(name)
        #expect(try !server.databaseExists(name))
        let status = session.finish().exitStatus
        ended = true
        #expect(status != 0)
        try server.dropDatabase(name)  // dropping what is gone is not an error
    }

    @Test func thePasswordRoleNeedsItsPasswordOverTCP() throws {
        guard PostgresServer.shouldRun else { return }
        let server = try PostgresServer.require()
        let role = PostgresServer.passwordUser
        #expect(throws: PostgresServerError.self) {
            try server.psql(sql: "SELECT current_user", user: role, password: "wrong")
        }
        #expect(throws: PostgresServerError.self) {
            try server.psql(sql: "SELECT current_user", user: role)
        }
        #expect(try server.psql(sql: "SELECT current_user", user: role, password: PostgresServer.password) == role)
        let rule = try server.psql(sql: "SELECT auth_method FROM pg_hba_file_rules WHERE '\(role)' = ANY(user_name)")
        #expect(rule == "scram-sha-256")
        #expect(server.uri(database: "d b", user: role, password: "p@ss")
                == "db:pg://\(role):p%40ss@\(server.host):\(server.port)/d%20b")
    }

    static let deployScript = """
        BEGIN;
        CREATE SCHEMA flipr;
        CREATE TABLE flipr.users (nickname TEXT PRIMARY KEY, fullname TEXT);
        INSERT INTO flipr.users VALUES ('bob', 'Bob'), ('al', NULL);
        CREATE VIEW flipr.nicknames AS SELECT nickname FROM flipr.users;
        CREATE FUNCTION flipr.greet(who TEXT) RETURNS TEXT LANGUAGE sql AS $$ SELECT 'hi ' || who $$;
        COMMIT;

        """

    /// Sqitch in both runs (the harness compares it with itself): no differences, each run
    /// on a database of its own, compared through the dump.
    static let scenario = ParityScenario("pg harness: init, add, deploy, status", files: [
        "deploy/users.sql": deployScript,
        "revert/users.sql": "DROP SCHEMA flipr CASCADE;\n",
        "verify/users.sql": "SELECT nickname FROM flipr.users WHERE false;\n",
        "notes.txt": "database @PGDB@ on @PGHOST@:@PGPORT@, $NOTE\n",
    ], steps: [
        ParityStep(["init", "flipr", "--engine", "pg"], byReference: true),
        ParityStep(["add", "users", "-n", "Creates the users"], byReference: true),
        ParityStep(["target", "add", "test", "@PGURI@"], byReference: true),
        ParityStep(["deploy", "@PGURI@"], byReference: true),
        ParityStep(["status", "test"], byReference: true),
        .setup("sh", ["-c", "echo \"$NOTE\" >> notes.txt"]),
    ], environment: ["NOTE": "port @PGPORT@"], postgres: true)

    @Test func aSqitchDeployIsComparedThroughTheDatabaseDump() async throws {
        guard PostgresServer.shouldRun, ParityHarness.shouldRun else { return }
        let server = try PostgresServer.require()
        let sqitch = try #require(ParityHarness.referencePath)
        async let first = ParityHarness.run(Self.scenario, executable: sqitch, isReference: true)
        async let second = ParityHarness.run(Self.scenario, executable: sqitch, isReference: false)
        let (expected, actual) = try await (first, second)

        let mismatches = ParityHarness.compare(Self.scenario, expected: expected, actual: actual)
        #expect(mismatches.isEmpty, "\(ParityReport.describe(Self.scenario, mismatches))")

        // Each run had a database of its own, and dropped it.
        let databases = [expected.postgresDatabase, actual.postgresDatabase].compactMap { $0 }
        #expect(databases.count == 2 && databases[0] != databases[1])
        for database in databases {
            #expect(try !server.databaseExists(database))
        }

        for run in [expected, actual] {
            #expect(run.outputs.map(\.exitCode) == [0, 0, 0, 0, 0, 0])
            let deploy = run.outputs[3].stdout
            #expect(deploy.contains("Deploying changes to db:pg://postgres@\(server.host):\(server.port)/<PGDB>\n"))
            #expect(deploy.contains("  + users .. ok\n"))
            #expect(!run.outputs.contains { $0.stdout.contains(run.postgresDatabase!) })
            #expect(run.outputs[4].stdout.contains("Nothing to deploy (up-to-date)"))

            let files = run.files.mapValues { String(decoding: $0, as: UTF8.self) }
            #expect(files["project/notes.txt"] == "database <PGDB> on \(server.host):\(server.port), $NOTE\nport \(server.port)\n")
            #expect(files["project/sqitch.conf"]?.contains("uri = db:pg://postgres@\(server.host):\(server.port)/<PGDB>") == true)

            let dump = try #require(files[ParityHarness.postgresDumpPath])
            #expect(dump.hasPrefix("-- postgres database dump\n"))
            #expect(!dump.contains("-- schema public"))
            #expect(dump.contains("""
                -- schema flipr
                -- table users
                --   nickname text NOT NULL
                --   fullname text
                users(nickname='al', fullname=NULL)
                users(nickname='bob', fullname='Bob')

                """))
            #expect(dump.contains("-- function greet(who text)\n"))
            #expect(dump.contains("-- view nicknames\n"))
            #expect(dump.contains("-- schema sqitch (registry)\n"))
            #expect(dump.contains("projects(project='flipr', uri=NULL, created_at=<NOW>, creator_name='Test User', creator_email='test@example.com')\n"))
            #expect(dump.contains(#"""
                events(event='deploy', change_id=\#(changeID(in: dump) ?? "?"), change='users', project='flipr', note='Creates the users', requires='{}', conflicts='{}', tags='{}', committed_at=<NOW>, committer_name='Test User', committer_email='test@example.com', planned_at=<RECENT>, planner_name='Test User', planner_email='test@example.com')
                """#))
            #expect(dump.contains("changes(change_id="))
            #expect(dump.contains("releases(version=1.1, installed_at=<NOW>"))
        }
    }

    /// The quoted ID of the `users` change in a dump.
    func changeID(in dump: String) -> String? {
        dump.firstMatch(of: /changes\(change_id=('[0-9a-f]{40}')/).map { String($0.output.1) }
    }

    @Test func theDatabaseIsDroppedWhenAStepFails() async throws {
        guard PostgresServer.shouldRun else { return }
        let server = try PostgresServer.require()
        let outside = try TemporaryDirectory()
        let seen = outside.path + "/database"
        // The first step proves the run's database exists and records its name; the second
        // cannot start, so the run throws.
        let scenario = ParityScenario("pg harness: a step throws", steps: [
            .setup("sh", ["-c", "psql -X -w -At -h @PGHOST@ -p @PGPORT@ -U \(server.user) -d @PGDB@ "
                          + "-c 'SELECT current_database()' > \"$1\"", "sh", seen]),
            .setup("no-such-program-for-sqlitch-tests", []),
        ], postgres: true)
        await #expect(throws: (any Error).self) {
            _ = try await ParityHarness.run(scenario, executable: "/bin/false", isReference: true)
        }
        let database = try #require(outside.read("database")).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(database.hasPrefix("parity_pg_harness__a_ste_"))
        #expect(try !server.databaseExists(database))
    }
}
