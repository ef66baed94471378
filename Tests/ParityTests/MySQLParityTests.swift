import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

// The MySQL engine run with both `sqitch` and `sqlitch` against the MariaDB test server:
// each run gets a target database (`@MYURI@`) and a registry database (`@MYREG@`) of its
// own, compared as dumps after the last step (see MySQLDump).

private let myConf = "[core]\n\tengine = mysql\n[engine \"mysql\"]\n\ttarget = @MYURI@\n\tregistry = @MYREG@\n"

/// The tutorial-sized project (see `serverParityProject`).
private let base = serverParityProject(conf: myConf, nameType: "VARCHAR(50)", usersDeploy: "CREATE TABLE users (name VARCHAR(50) PRIMARY KEY);\n")

private func project(_ changes: [String: String]) -> [String: String] { serverParityProject(base, changes) }

/// `base` with a fifth change whose deploy script fails half-way (after creating a table,
/// which MySQL keeps: its DDL commits at once).
private let broken = project([
    "sqitch.plan": base["sqitch.plan"]! + "broken 2024-01-02T03:10:05Z Test User <test@example.com> # Broken.\n",
    "deploy/broken.sql": "CREATE TABLE broken (id INTEGER);\nSELECT * FROM no_such_table;\n",
    "revert/broken.sql": "DROP TABLE IF EXISTS broken;\n",
])

/// `base` with a reworked `users` after `@v1.1`.
private let reworked = reworkedServerParityProject(base)

/// Scripts that use client variables (`@name`).
private let variables = project([
    "sqitch.conf": myConf + "[engine \"mysql\" \"variables\"]\n\twho = engine\n[deploy \"variables\"]\n\tlevel = deploy\n",
    "deploy/users.sql": """
        CREATE TABLE users (name VARCHAR(50) PRIMARY KEY, level TEXT);
        INSERT INTO users VALUES (@who, @level);

        """,
])

private func step(_ arguments: [String], input: String? = nil) -> ParityStep {
    ParityStep(arguments, input: input)
}

/// A step run by Sqitch in both runs.
private func bySqitch(_ arguments: [String]) -> ParityStep {
    ParityStep(arguments, byReference: true)
}

/// The MariaDB client against the run's server (setup, not compared).
private let client = "mariadb --no-defaults --protocol=TCP -h @MYHOST@ -P @MYPORT@ -uroot"

/// SQL run in the run's registry database (setup, not compared).
private func registrySQL(_ sql: String) -> ParityStep {
    .setup("sh", ["-c", "\(client) -D @MYREG@ -e \"$1\"", "sh", sql])
}

/// Holds Sqitch's lock on the run's target for `seconds`, from a background client, and
/// returns once it is held.
private func holdLock(seconds: Int) -> ParityStep {
    .setup("sh", ["-c", """
        \(client) -e "SELECT get_lock('sqitch working on @MYDB@', 0); SELECT sleep(\(seconds))" >/dev/null 2>&1 &
        for i in $(seq 1 200); do
          n=$(\(client) -N -e "SELECT IS_USED_LOCK('sqitch working on @MYDB@') IS NOT NULL")
          [ "$n" = 1 ] && exit 0
          sleep 0.05
        done
        exit 1
        """])
}

private let stackTraceReason = serverStackTraceReason
private let missingScriptReason = serverMissingScriptReason

let mysqlScenarios: [ParityScenario] = [
    ParityScenario("mysql: the tutorial lifecycle", files: base, steps: [
        step(["deploy"]), step(["status"]), step(["log"]), step(["verify"]),
        step(["revert", "-y", "--to", "@v1.0"]), step(["status", "--show-tags", "--show-changes"]),
        step(["deploy", "--verify"]), step(["rebase", "-y", "--onto", "users"]), step(["log", "--oneline"]),
        step(["revert", "-y"]), step(["status"]), step(["upgrade"]), step(["deploy", "--to", "@v1.0"]),
    ], mysql: true),
    ParityScenario("mysql: a target URI, --to, already there, earlier", files: base, steps: [
        step(["deploy", "@MYURI@", "--to", "widgets"]), step(["deploy", "@MYURI@", "--to", "widgets"]),
        step(["deploy", "--to", "users"]), step(["deploy", "--log-only"]), step(["status", "@MYURI@"]),
    ], mysql: true),
    ParityScenario("mysql: tags recorded late and the revert prompt", files: base, steps: [
        step(["deploy", "--to", "widgets"]), step(["deploy"]),
        step(["revert", "--to", "widgets"], input: "n\n"), step(["revert", "--to", "widgets"], input: "y\n"),
        step(["revert", "@v1.1"]), step(["revert", "nope", "-y"]),
    ], mysql: true),
    ParityScenario("mysql: reworked changes", files: reworked, steps: [
        step(["deploy"]), step(["status", "--show-changes"]), step(["verify"]),
        step(["revert", "-y", "--to", "users@v1.1"]), step(["revert", "-y", "--to", "users"]),
        step(["log", "--format", "oneline"]),
    ], mysql: true),
    ParityScenario("mysql: failure, --mode all", files: broken, steps: [
        step(["deploy", "--to", "users"]), step(["deploy"]), step(["status"]),
    ], mysql: true),
    ParityScenario("mysql: failure, --mode tag and --mode change", files: broken, steps: [
        step(["deploy", "--mode", "tag"]), step(["deploy", "--mode", "change"]), step(["log", "--event", "fail", "--oneline"]),
    ], mysql: true),
    ParityScenario("mysql: a failing verify", files: project(["verify/widgets.sql": "SELECT nope FROM widgets;\n"]), steps: [
        step(["deploy", "--verify"]), step(["deploy", "--to", "widgets"]), step(["verify"]),
    ], mysql: true),
    ParityScenario("mysql: a missing deploy script", files: project(["deploy/widgets.sql": ""]).filter {
        $0.key != "deploy/widgets.sql"
    }, steps: [
        ParityStep(["deploy"], deviations: [.stderr("Deploy script deploy/widgets.sql does not exist\nReverting all changes\nDeploy failed\n")],
                   reason: missingScriptReason),
    ], mysql: true),
    ParityScenario("mysql: variables from --set, deploy and engine sections", files: variables, steps: [
        step(["deploy", "--to", "users"]), step(["revert", "-y"]),
        step(["deploy", "--to", "users", "--set", "who=option", "-s", "level=it's"]),
    ], mysql: true),
    ParityScenario("mysql: the conflict is deployed, another project's requirement", files: base, steps: [
        step(["deploy", "--plan-file", "legacy.plan"]), step(["deploy"]), step(["status", "--plan-file", "legacy.plan"]),
    ], mysql: true),
    ParityScenario("mysql: --lock-timeout with a held lock", files: base, steps: [
        holdLock(seconds: 4), step(["deploy", "--lock-timeout", "1"]), step(["status"]),
        step(["deploy", "--to", "users"]), step(["revert", "-y", "--lock-timeout", "1"]),
    ], mysql: true),
    ParityScenario("mysql: upgrade from a release 1.0 registry", files: base, steps: [
        bySqitch(["deploy", "--to", "widgets"]),
        registrySQL("DELETE FROM releases; INSERT INTO releases VALUES (1.0, utc_timestamp(6), 'Old User', "
            + "'old@example.com'); ALTER TABLE changes ADD UNIQUE(script_hash)"),
        step(["status"]), step(["verify"]), step(["upgrade"]), step(["upgrade"]), step(["deploy"]),
    ], mysql: true),
    ParityScenario("mysql: a registry from a newer release", files: base, steps: [
        bySqitch(["deploy", "--to", "widgets"]),
        registrySQL("INSERT INTO releases VALUES (9.9, utc_timestamp(6), 'Future', 'future@example.com')"),
        ParityStep(["deploy"], deviations: [.stderrFirstLine], reason: stackTraceReason),
        step(["revert", "-y"]), step(["verify"]), step(["status"]),
        ParityStep(["upgrade"], deviations: [.stderrFirstLine], reason: stackTraceReason),
    ], mysql: true),
    ParityScenario("mysql: nothing deployed yet", files: base, steps: [
        step(["status"]), step(["log"]), step(["verify"]), step(["revert", "-y"]),
    ], mysql: true),
    ParityScenario("mysql: Sqitch deploys, then sqlitch continues and reverts", files: reworked, steps: [
        bySqitch(["deploy", "--to", "@v1.0"]), step(["deploy"]), step(["log", "--oneline"]),
        step(["revert", "-y", "--to", "@v1.0"]), bySqitch(["deploy"]), bySqitch(["status"]),
    ], mysql: true),
    ParityScenario("mysql: sqlitch deploys, then Sqitch continues and reverts", files: reworked, steps: [
        step(["deploy", "--to", "@v1.1"]), bySqitch(["deploy"]), bySqitch(["revert", "-y", "--to", "flips"]),
        step(["status", "--show-tags"]), step(["deploy"]), bySqitch(["revert", "-y"]),
    ], mysql: true),
    ParityScenario("mysql: --db-host, --db-port, --db-user and --db-name", files: base, steps: [
        step(["deploy", "db:mysql:", "--db-host", "@MYHOST@", "--db-port", "@MYPORT@", "--db-user", "root",
              "--db-name", "@MYDB@", "--to", "widgets"]),
        step(["status", "db:mysql:", "-h", "@MYHOST@", "-p", "@MYPORT@", "-u", "root", "-d", "@MYDB@"]),
        step(["revert", "-y", "db:mysql://nobody@nowhere.invalid:1/nothing", "--db-host", "@MYHOST@",
              "--db-port", "@MYPORT@", "--db-user", "root", "--db-name", "@MYDB@"]),
    ], mysql: true),
    ParityScenario("mysql: MYSQL_HOST and MYSQL_TCP_PORT", files: base, steps: [
        step(["deploy", "db:mysql://root@/@MYDB@", "--to", "widgets"]), step(["log", "--oneline", "db:mysql://root@/@MYDB@"]),
        step(["revert", "-y", "db:mysql://root@/@MYDB@"]),
    ], environment: ["MYSQL_HOST": "@MYHOST@", "MYSQL_TCP_PORT": "@MYPORT@"], mysql: true),
    ParityScenario("mysql: a wrong password", files: base, steps: [
        step(["deploy", "db:mysql://\(MySQLServer.passwordUser):wrong@@MYHOST@:@MYPORT@/@MYDB@"]),
        step(["status", "db:mysql://\(MySQLServer.passwordUser):wrong@@MYHOST@:@MYPORT@/@MYDB@"]),
    ], mysql: true),
    ParityScenario("mysql: a password from SQITCH_PASSWORD and MYSQL_PWD", files: base, steps: [
        step(["deploy", "db:mysql://\(MySQLServer.passwordUser)@@MYHOST@:@MYPORT@/@MYDB@", "--to", "users"]),
        step(["status", "db:mysql://\(MySQLServer.passwordUser)@@MYHOST@:@MYPORT@/@MYDB@"]),
    ], environment: ["MYSQL_PWD": MySQLServer.password], mysql: true),
    ParityScenario("mysql: an unreachable port and a database that does not exist", files: base, steps: [
        step(["deploy", "db:mysql://root@127.0.0.1:1/flipr"]), step(["status", "db:mysql://root@127.0.0.1:1/flipr"]),
        step(["deploy", "db:mysql://root@@MYHOST@:@MYPORT@/no_such_database"]),
    ], mysql: true),
    // The server ends the registry connection while a change's script runs: logging that
    // change fails, and so does the recovery.
    ParityScenario("mysql: the server goes away mid-deploy", files: project([
        "deploy/widgets.sql": """
            CREATE TABLE widgets (name VARCHAR(50));
            DELIMITER //
            BEGIN NOT ATOMIC
              FOR c IN (SELECT id FROM information_schema.processlist
                         WHERE db = '@MYREG@' AND id <> CONNECTION_ID()) DO
                EXECUTE IMMEDIATE CONCAT('KILL CONNECTION ', c.id);
              END FOR;
            END //
            DELIMITER ;

            """,
    ]), steps: [
        // Sqitch's error lines come with Perl's report of an exception in a `finally` block, a
        // stack trace and DBI's rollback warning between them: only the first line is compared
        // (the registry and the target are, in full).
        ParityStep(["deploy"], deviations: [.stderrFirstLine], reason: stackTraceReason),
        step(["status"]), step(["log", "--oneline"]),
    ], mysql: true),
    // A client that is not MariaDB's gets no `--abort-source-on-error`: the MariaDB client
    // then goes on after a failing statement of a sourced script and exits 0.
    ParityScenario("mysql: a client without --abort-source-on-error", files: project([
        "oldmysql": "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'mysql  Ver 14.14 Distrib 5.5.62, for Linux'; exit 0; fi\n"
            + "exec mariadb \"$@\"\n",
        "deploy/widgets.sql": "CREATE TABLE widgets (name VARCHAR(50));\nSELECT * FROM no_such_table;\n",
    ]), steps: [
        .setup("chmod", ["+x", "oldmysql"]), step(["deploy", "--client", "./oldmysql", "--to", "widgets"]),
        step(["status", "--client", "./oldmysql"]),
    ], mysql: true),
    ParityScenario("mysql: the client missing", files: base, steps: [
        step(["deploy", "--client", "/nonexistent/mysql"]),
    ], mysql: true),
]

@Suite("Parity with sqitch on MySQL", .enabled(if: ParityHarness.shouldRun && MySQLServer.shouldRun))
struct MySQLParityTests {
    @Test(arguments: mysqlScenarios)
    func scenario(_ scenario: ParityScenario) async throws {
        try await expectParity(scenario)
    }

    /// Two deploys started at once: the second waits for the first's lock, then finds
    /// nothing left to deploy; the registry has each change once.
    @Test func twoDeploysAtOnceAreSerializedByTheLock() async throws {
        let server = try MySQLServer.require()
        let sqlitch = try #require(ParityHarness.sqlitchPath)
        let database = try server.createDatabase(prefix: "concurrent")
        let registry = database + "_reg"
        defer {
            try? server.dropDatabase(database)
            try? server.dropDatabase(registry)
        }
        let directory = try TemporaryDirectory(prefix: "concurrent")
        var files = base
        files["sqitch.conf"] = myConf.replacingOccurrences(of: "@MYURI@", with: server.uri(database: database))
            .replacingOccurrences(of: "@MYREG@", with: registry)
        // The first change waits (up to five minutes) for a `go` table, so that the second
        // deploy starts while the first holds the lock.
        files["deploy/users.sql"] = """
            DELIMITER //
            BEGIN NOT ATOMIC
              DECLARE i INT DEFAULT 0;
              WHILE i < 6000 AND (SELECT COUNT(*) FROM information_schema.tables
                                   WHERE table_schema = DATABASE() AND table_name = 'go') = 0 DO
                DO SLEEP(0.05);
                SET i = i + 1;
              END WHILE;
            END //
            DELIMITER ;

            """ + base["deploy/users.sql"]!
        for (path, text) in files { try directory.write(path, text) }
        let environment = ParityHarness.isolatedEnvironment(root: directory.path)
        let lock = MySQLServer.literal("sqitch working on " + database)
        /// Waits (up to `seconds`) until `sql` returns 1. The wait blocks its thread: the
        /// programs and this poll must keep going even when other tests keep the cooperative
        /// pool busy.
        func wait(for sql: String, seconds: TimeInterval = 300) throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if try server.sql(sql: sql) == "1" { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        // The second starts once the first holds the lock; the first goes on once the
        // second waits for it.
        let first = try ParityHarness.start(sqlitch, ["deploy"], in: directory.path, environment: environment)
        var second: RunningProcess?
        defer {
            // Whatever failed above, the first deploy is let go and nothing is left running.
            _ = try? server.sql(database: database, sql: "CREATE TABLE IF NOT EXISTS go (id INTEGER)")
        }
        #expect(try wait(for: "SELECT IS_USED_LOCK(\(lock)) IS NOT NULL"))
        second = try ParityHarness.start(sqlitch, ["deploy", "--lock-timeout", "600"], in: directory.path,
                                         environment: environment)
        // Best effort: the outputs below prove the second waited ("Blocked by ...").
        _ = try wait(for: "SELECT COUNT(*) > 0 FROM information_schema.processlist "
            + "WHERE info LIKE CONCAT('SELECT get_lock(', QUOTE(\(lock)), ', %')", seconds: 30)
        try server.sql(database: database, sql: "CREATE TABLE go (id INTEGER)")
        var results = [await ParityHarness.finish(first)]
        if let second { results.append(await ParityHarness.finish(second)) }
        #expect(results.map(\.exitCode) == [0, 0], "\(results)")
        let outputs = results.map(\.stdout).joined()
        #expect(outputs.contains("Blocked by another instance of Sqitch working on "))
        #expect(outputs.contains("Nothing to deploy (up-to-date)"))
        #expect(try server.sql(database: registry, sql: "SELECT COUNT(*) FROM events") == "4")
        #expect(try server.sql(database: registry, sql: "SELECT COUNT(*) FROM changes") == "4")
    }
}
