import Foundation
import Testing
import SqlitchTestSupport

/// The MySQL test server (MariaDB, started by ./scripts/test), its fixture, and the parity
/// harness's MySQL scenarios. Skipped, with the reason printed, when no server is
/// configured, except in CI, where that fails.
@Suite struct MySQLHarnessTests {
    @Test func aThrowawayDatabaseIsCreatedFilledDumpedAndDropped() throws {
        guard MySQLServer.shouldRun else { return }
        let server = try MySQLServer.require()
        let name = try server.createDatabase(prefix: "Fixture test!")
        #expect(name.hasPrefix("fixture_test__"))
        #expect(name.count == "fixture_test__".count + 32)
        defer { try? server.dropDatabase(name) }
        #expect(try server.databaseExists(name))
        #expect(server.uri(database: name) == "db:mysql://root@\(server.host):\(server.port)/\(name)")

        try server.sql(database: name, sql: """
            CREATE TABLE kinds (kind VARCHAR(10) PRIMARY KEY) COMMENT 'the kinds';
            INSERT INTO kinds VALUES ('a'), ('b');
            CREATE TABLE items (
                n INT NOT NULL,
                label VARCHAR(20) COMMENT 'what it says',
                kind VARCHAR(10) DEFAULT 'a',
                price DECIMAL(5,2),
                at DATETIME(6),
                stamp TIMESTAMP NULL,
                bits VARBINARY(4),
                CONSTRAINT positive CHECK (n > 0),
                CONSTRAINT items_kind FOREIGN KEY (kind) REFERENCES kinds (kind) ON UPDATE CASCADE,
                INDEX by_label (label(5), n)
            );
            INSERT INTO items VALUES (10, 'ten', 'b', 1.5, '2024-01-02 03:04:05.25', '2024-01-02 03:04:05', X'00FF'),
                                     (9, 'it''s\\\\ a\ttab', NULL, NULL, NULL, NULL, NULL),
                                     (10, NULL, 'a', 0, NULL, NULL, '');
            CREATE VIEW labels AS SELECT label FROM items;
            CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
            CREATE PROCEDURE nothing() BEGIN END;
            CREATE TRIGGER items_check BEFORE INSERT ON items FOR EACH ROW SET NEW.n = NEW.n;
            """)
        // Batch output: tab-separated, NULL as `NULL`, escaped unless raw.
        #expect(try server.sql(database: name, sql: "SELECT n, label FROM items ORDER BY n, label")
                == "9\tit's\\\\ a\\ttab\n10\tNULL\n10\tten")
        #expect(try server.sql(database: name, sql: "SELECT label FROM items WHERE n = 9", raw: true) == "it's\\ a\ttab")
        #expect(throws: MySQLServerError.self) {  // no current database
            try server.sql(sql: "SELECT twice(21)")
        }
        #expect(try server.sql(database: name, sql: "SELECT twice(21)") == "42")
        #expect(try server.sql(sql: "SELECT @@session.time_zone, @@character_set_client") == "+00:00\tutf8mb4")

        #expect(try server.dump(database: name) == """
            -- mysql database dump
            -- database \(name) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci
            -- table items ENGINE=InnoDB COLLATE=utf8mb4_general_ci
            --   n int(11) NOT NULL
            --   label varchar(20) COMMENT 'what it says'
            --   kind varchar(10) DEFAULT 'a'
            --   price decimal(5,2)
            --   at datetime(6)
            --   stamp timestamp
            --   bits varbinary(4)
            items(n=9, label='it''s\\ a\ttab', kind=NULL, price=NULL, at=NULL, stamp=NULL, bits=NULL)
            items(n=10, label=NULL, kind='a', price=0.00, at=NULL, stamp=NULL, bits=X'')
            items(n=10, label='ten', kind='b', price=1.50, at='2024-01-02 03:04:05.250000', stamp='2024-01-02 03:04:05', bits=X'00FF')
            -- table kinds ENGINE=InnoDB COLLATE=utf8mb4_general_ci COMMENT 'the kinds'
            --   kind varchar(10) NOT NULL
            kinds(kind='a')
            kinds(kind='b')
            -- check positive ON items: `n` > 0
            -- foreign key items_kind ON items (kind) REFERENCES kinds (kind) ON UPDATE CASCADE ON DELETE RESTRICT
            -- function twice
            -- index PRIMARY ON kinds UNIQUE BTREE (kind)
            -- index by_label ON items BTREE (label(5), n)
            -- index items_kind ON items BTREE (kind)
            -- procedure nothing
            -- trigger items_check ON items BEFORE INSERT
            -- view labels

            """)

        // An open session does not keep the database from being dropped.
        let session = try server.startSleepingSession(database: name)
        var ended = false
        defer { if !ended { session.terminate(); _ = session.finish() } }
        var connected = false
        for _ in 0..<200 where !connected {
            connected = try server.sql(sql: "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '\(name)'") != "0"
            if !connected { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(connected)
        try server.dropDatabase(name)
        #expect(try !server.databaseExists(name))
        let status = session.finish().exitStatus
        ended = true
        #expect(status != 0)
        try server.dropDatabase(name)  // dropping what is gone is not an error
        #expect(try server.dump(database: name) == "-- mysql database dump\n-- database \(name) (absent)\n")
    }

    @Test func thePasswordUserNeedsItsPassword() throws {
        guard MySQLServer.shouldRun else { return }
        let server = try MySQLServer.require()
        let user = MySQLServer.passwordUser
        #expect(throws: MySQLServerError.self) {
            try server.sql(sql: "SELECT CURRENT_USER()", user: user, password: "wrong")
        }
        #expect(throws: MySQLServerError.self) {
            try server.sql(sql: "SELECT CURRENT_USER()", user: user)
        }
        #expect(try server.sql(sql: "SELECT CURRENT_USER()", user: user, password: MySQLServer.password)
                == "\(user)@127.0.0.1")
        let grants = try server.sql(sql: "SHOW GRANTS", user: user, password: MySQLServer.password)
        #expect(grants.contains("GRANT ALL PRIVILEGES ON *.* TO `\(user)`@`127.0.0.1`"))
        #expect(grants.contains("WITH GRANT OPTION"))
        // It may create and drop databases.
        let name = MySQLServer.uniqueName(prefix: "pw")
        try server.sql(sql: "CREATE DATABASE `\(name)`; DROP DATABASE `\(name)`", user: user, password: MySQLServer.password)
        #expect(server.uri(database: "d b", user: user, password: "p@ss")
                == "db:mysql://\(user):p%40ss@\(server.host):\(server.port)/d%20b")
    }

    static let deployScript = """
        CREATE TABLE users (nickname VARCHAR(50) PRIMARY KEY, fullname TEXT, score DECIMAL(5,2) DEFAULT 0);
        INSERT INTO users (nickname, fullname) VALUES ('bob', 'Bob'), ('al', NULL);
        CREATE VIEW nicknames AS SELECT nickname FROM users;
        CREATE FUNCTION greet(who TEXT) RETURNS TEXT DETERMINISTIC RETURN CONCAT('hi ', who);

        """

    /// Sqitch in both runs (the harness compares it with itself): no differences, each run
    /// on a database and registry of its own, compared through the dump.
    static let scenario = ParityScenario("my harness: init, add, deploy, status", files: [
        "deploy/users.sql": deployScript,
        "revert/users.sql": "DROP FUNCTION greet; DROP VIEW nicknames; DROP TABLE users;\n",
        "verify/users.sql": "SELECT nickname FROM users WHERE 0;\n",
        "notes.txt": "database @MYDB@ (registry @MYREG@) on @MYHOST@:@MYPORT@, $NOTE\n",
    ], steps: [
        ParityStep(["init", "flipr", "--engine", "mysql", "--registry", "@MYREG@"], byReference: true),
        ParityStep(["add", "users", "-n", "Creates the users"], byReference: true),
        ParityStep(["target", "add", "test", "@MYURI@"], byReference: true),
        ParityStep(["deploy", "@MYURI@"], byReference: true),
        ParityStep(["status", "test"], byReference: true),
        .setup("sh", ["-c", "echo \"$NOTE\" >> notes.txt"]),
    ], environment: ["NOTE": "port @MYPORT@"], mysql: true)

    @Test func aSqitchDeployIsComparedThroughTheDatabaseDump() async throws {
        guard MySQLServer.shouldRun, ParityHarness.shouldRun else { return }
        let server = try MySQLServer.require()
        let sqitch = try #require(ParityHarness.referencePath)
        async let first = ParityHarness.run(Self.scenario, executable: sqitch, isReference: true)
        async let second = ParityHarness.run(Self.scenario, executable: sqitch, isReference: false)
        let (expected, actual) = try await (first, second)

        let mismatches = ParityHarness.compare(Self.scenario, expected: expected, actual: actual)
        #expect(mismatches.isEmpty, "\(ParityReport.describe(Self.scenario, mismatches))")

        // Each run had a database and a registry of its own, and dropped them.
        let databases = [expected.mysqlDatabase, actual.mysqlDatabase, expected.mysqlRegistry, actual.mysqlRegistry]
            .compactMap { $0 }
        #expect(databases.count == 4 && Set(databases).count == 4)
        for database in databases {
            #expect(try !server.databaseExists(database))
        }

        for run in [expected, actual] {
            #expect(run.outputs.map(\.exitCode) == [0, 0, 0, 0, 0, 0])
            let deploy = run.outputs[3].stdout
            #expect(deploy.contains("Deploying changes to db:mysql://root@\(server.host):\(server.port)/<MYDB>\n"))
            #expect(deploy.contains("  + users .. ok\n"))
            #expect(!run.outputs.contains { $0.stdout.contains(run.mysqlDatabase!) || $0.stdout.contains(run.mysqlRegistry!) })
            #expect(run.outputs[4].stdout.contains("Nothing to deploy (up-to-date)"))

            let files = run.files.mapValues { String(decoding: $0, as: UTF8.self) }
            #expect(files["project/notes.txt"]
                    == "database <MYDB> (registry <MYREG>) on \(server.host):\(server.port), $NOTE\nport \(server.port)\n")
            let conf = files["project/sqitch.conf"] ?? ""
            #expect(conf.contains("uri = db:mysql://root@\(server.host):\(server.port)/<MYDB>"))
            #expect(conf.contains("registry = <MYREG>"))

            let dump = try #require(files[ParityHarness.mysqlDumpPath])
            #expect(dump.hasPrefix("""
                -- mysql database dump
                -- database <MYDB> CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci
                -- table users ENGINE=InnoDB COLLATE=utf8mb4_general_ci
                --   nickname varchar(50) NOT NULL
                --   fullname text
                --   score decimal(5,2) DEFAULT 0.00
                users(nickname='al', fullname=NULL, score=0.00)
                users(nickname='bob', fullname='Bob', score=0.00)
                -- function greet
                -- index PRIMARY ON users UNIQUE BTREE (nickname)
                -- view nicknames
                -- database <MYREG> CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci (registry)

                """))
            #expect(dump.contains("-- table changes ENGINE=InnoDB COLLATE=utf8mb3_general_ci COMMENT <comment>\n"))
            #expect(dump.contains("--   change_id varchar(40) NOT NULL COMMENT <comment>\n"))
            #expect(dump.contains("projects(project='flipr', uri=NULL, created_at=<NOW>, creator_name='Test User', creator_email='test@example.com')\n"))
            #expect(dump.contains("""
                events(event='deploy', change_id=\(changeID(in: dump) ?? "?"), change='users', project='flipr', note='Creates the users', requires='', conflicts='', tags='', committed_at=<NOW>, committer_name='Test User', committer_email='test@example.com', planned_at=<RECENT>, planner_name='Test User', planner_email='test@example.com')
                """))
            #expect(dump.contains("releases(version=1.1, installed_at=<NOW>"))
            #expect(dump.contains("-- function checkit\n"))
            #expect(dump.contains("-- trigger ck_insert_dependency ON dependencies BEFORE INSERT\n"))
        }
    }

    /// The quoted ID of the `users` change in a dump.
    func changeID(in dump: String) -> String? {
        dump.firstMatch(of: /changes\(change_id=('[0-9a-f]{40}')/).map { String($0.output.1) }
    }

    @Test func theDatabasesAreDroppedWhenAStepFails() async throws {
        guard MySQLServer.shouldRun else { return }
        let server = try MySQLServer.require()
        let outside = try TemporaryDirectory()
        let seen = outside.path + "/databases"
        // The first step proves the run's database exists, creates the registry database and
        // records both names; the second cannot start, so the run throws.
        let scenario = ParityScenario("my harness: a step throws", steps: [
            .setup("sh", ["-c", "mariadb --no-defaults --protocol=TCP -h @MYHOST@ -P @MYPORT@ -u \(server.user) -N -D @MYDB@ "
                          + "-e 'CREATE DATABASE @MYREG@; SELECT DATABASE(); SELECT \"@MYREG@\"' > \"$1\"", "sh", seen]),
            .setup("no-such-program-for-sqlitch-tests", []),
        ], mysql: true)
        await #expect(throws: (any Error).self) {
            _ = try await ParityHarness.run(scenario, executable: "/bin/false", isReference: true)
        }
        let names = try #require(outside.read("databases")).split(separator: "\n").map(String.init)
        #expect(names.count == 2)
        #expect(names.first?.hasPrefix("parity_my_harness__a_ste_") == true)
        #expect(names.last?.hasPrefix("parity_reg_my_harness__a_") == true)
        for name in names {
            #expect(try !server.databaseExists(name))
        }
    }
}
