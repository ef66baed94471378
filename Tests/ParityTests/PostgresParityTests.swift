import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

// The PostgreSQL engine run with both `sqitch` and `sqlitch` against the test server: each
// run gets a database of its own (`@PGURI@`), and the registry schema and the target's own
// objects are compared as dumps after the last step (see PostgresServer.dump).

private let pgConf = "[core]\n\tengine = pg\n[engine \"pg\"]\n\ttarget = @PGURI@\n"

/// The tutorial-sized project (see `serverParityProject`).
private let base = serverParityProject(conf: pgConf, nameType: "TEXT", usersDeploy: "BEGIN;\nCREATE TABLE users (name TEXT PRIMARY KEY);\nCOMMIT;\n")

private func project(_ changes: [String: String]) -> [String: String] { serverParityProject(base, changes) }

/// `base` with a fifth change whose deploy script fails half-way (after creating a table).
private let broken = project([
    "sqitch.plan": base["sqitch.plan"]! + "broken 2024-01-02T03:10:05Z Test User <test@example.com> # Broken.\n",
    "deploy/broken.sql": "CREATE TABLE broken (id INTEGER);\nSELECT 1/0;\n",
    "revert/broken.sql": "DROP TABLE broken;\n",
])

/// `base` with a reworked `users` after `@v1.1`.
private let reworked = reworkedServerParityProject(base)

/// Scripts that use client variables (`:'name'`) and the registry variable.
private let variables = project([
    "sqitch.conf": pgConf + "\t[engine \"pg\" \"variables\"]\n\t\twho = engine\n[deploy \"variables\"]\n\tlevel = deploy\n",
    "deploy/users.sql": """
        CREATE TABLE users (name TEXT PRIMARY KEY, level TEXT);
        INSERT INTO users VALUES (:'who', :'level');
        SELECT count(*) FROM :"registry".changes;

        """,
])

private func step(_ arguments: [String], input: String? = nil) -> ParityStep {
    ParityStep(arguments, input: input)
}

/// A step run by Sqitch in both runs.
private func bySqitch(_ arguments: [String]) -> ParityStep {
    ParityStep(arguments, byReference: true)
}

/// SQL run in the run's own database by `psql`, in both runs (setup, not compared).
private func psql(_ sql: String) -> ParityStep {
    .setup("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "@PGHOST@", "-p", "@PGPORT@", "-U", "postgres",
                    "-d", "@PGDB@", "-c", sql])
}

/// Holds Sqitch's advisory lock on the run's database for `seconds`, from a background
/// `psql`, and returns once it is held.
private func holdLock(seconds: Int) -> ParityStep {
    let psql = "psql -X -q -h @PGHOST@ -p @PGPORT@ -U postgres -d @PGDB@"
    return .setup("sh", ["-c", """
        \(psql) -c 'SELECT pg_advisory_lock(75474063)' -c 'SELECT pg_sleep(\(seconds))' >/dev/null 2>&1 &
        for i in $(seq 1 100); do
          n=$(\(psql) -At -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND granted")
          [ "$n" = 1 ] && exit 0
          sleep 0.05
        done
        exit 1
        """])
}

private let stackTraceReason = serverStackTraceReason
private let missingScriptReason = serverMissingScriptReason

let postgresScenarios: [ParityScenario] = [
    // Configuration of PostgreSQL targets and the engine: no server needed.
    ParityScenario("pg: target and engine configuration", files: base, steps: [
        step(["target", "add", "prod", "db:pg://fred:s3cret@db.example:5433/flipr?sslmode=require"]),
        step(["target", "show", "prod"]), step(["target", "list"]),
        step(["engine", "add", "pg", "--registry", "meta", "--client", "/usr/bin/psql"]), step(["engine", "show", "pg"]),
        step(["target", "add", "alias", "db:postgresql://u@h/d"]), step(["target", "show", "alias"]),
        step(["engine", "alter", "pg", "--target", "prod"]), step(["engine", "list", "-v"]),
    ]),
    ParityScenario("pg: the tutorial lifecycle", files: base, steps: [
        step(["deploy"]), step(["status"]), step(["log"]), step(["verify"]),
        step(["revert", "-y", "--to", "@v1.0"]), step(["status", "--show-tags", "--show-changes"]),
        step(["deploy", "--verify"]), step(["rebase", "-y", "--onto", "users"]), step(["log", "--oneline"]),
        step(["revert", "-y"]), step(["status"]), step(["upgrade"]), step(["deploy", "--to", "@v1.0"]),
    ], postgres: true),
    ParityScenario("pg: a target URI, --to, already there, earlier", files: base, steps: [
        step(["deploy", "@PGURI@", "--to", "widgets"]), step(["deploy", "@PGURI@", "--to", "widgets"]),
        step(["deploy", "--to", "users"]), step(["deploy", "--log-only"]), step(["status", "@PGURI@"]),
    ], postgres: true),
    ParityScenario("pg: tags recorded late and the revert prompt", files: base, steps: [
        step(["deploy", "--to", "widgets"]), step(["deploy"]),
        step(["revert", "--to", "widgets"], input: "n\n"), step(["revert", "--to", "widgets"], input: "y\n"),
        step(["revert", "@v1.1"]), step(["revert", "nope", "-y"]),
    ], postgres: true),
    ParityScenario("pg: reworked changes", files: reworked, steps: [
        step(["deploy"]), step(["status", "--show-changes"]), step(["verify"]),
        step(["revert", "-y", "--to", "users@v1.1"]), step(["revert", "-y", "--to", "users"]),
        step(["log", "--format", "oneline"]),
    ], postgres: true),
    ParityScenario("pg: failure, --mode all", files: broken, steps: [
        step(["deploy", "--to", "users"]), step(["deploy"]), step(["status"]),
    ], postgres: true),
    ParityScenario("pg: failure, --mode tag and --mode change", files: broken, steps: [
        step(["deploy", "--mode", "tag"]), step(["deploy", "--mode", "change"]), step(["log", "--event", "fail"]),
    ], postgres: true),
    ParityScenario("pg: a failing verify", files: project(["verify/widgets.sql": "SELECT nope FROM widgets;\n"]), steps: [
        step(["deploy", "--verify"]), step(["deploy", "--to", "widgets"]), step(["verify"]),
        step(["verify", "-v", "-v"]),
    ], postgres: true),
    ParityScenario("pg: a missing deploy script", files: project(["deploy/widgets.sql": ""]).filter {
        $0.key != "deploy/widgets.sql"
    }, steps: [
        ParityStep(["deploy"], deviations: [.stderr("Deploy script deploy/widgets.sql does not exist\nReverting all changes\nDeploy failed\n")],
                   reason: missingScriptReason),
    ], postgres: true),
    ParityScenario("pg: variables from --set, deploy and engine sections, and :registry", files: variables, steps: [
        step(["deploy", "--to", "users"]), step(["revert", "-y"]),
        step(["deploy", "--to", "users", "--set", "who=option", "-s", "level=cli"]),
    ], postgres: true),
    ParityScenario("pg: a non-default registry schema", files: base, steps: [
        step(["deploy", "--registry", "meta", "--to", "widgets"]), step(["status", "--registry", "meta"]),
        step(["status"]), step(["revert", "-y", "--registry", "meta"]),
    ], postgres: true),
    ParityScenario("pg: a registry schema that needs quoting", files: project([
        "sqitch.conf": pgConf + "\tregistry = My Reg\n",
    ]), steps: [step(["deploy", "--to", "widgets"]), step(["log", "--oneline"]), step(["revert", "-y"])], postgres: true),
    ParityScenario("pg: URI query parameters", files: project([
        "sqitch.conf": "[core]\n\tengine = pg\n[engine \"pg\"]\n\ttarget = @PGURI@?sslmode=disable&application_name=flipr\n",
    ]), steps: [step(["deploy", "--to", "users"]), step(["status"])], postgres: true),
    ParityScenario("pg: the conflict is deployed, another project's requirement", files: base, steps: [
        step(["deploy", "--plan-file", "legacy.plan"]), step(["deploy"]), step(["status", "--plan-file", "legacy.plan"]),
    ], postgres: true),
    ParityScenario("pg: --lock-timeout with a held lock", files: base, steps: [
        holdLock(seconds: 4), step(["deploy", "--lock-timeout", "1"]), step(["status"]),
        step(["deploy", "--to", "users"]), step(["revert", "-y", "--lock-timeout", "1"]),
    ], postgres: true),
    ParityScenario("pg: upgrade from a release 1.0 registry", files: base, steps: [
        bySqitch(["deploy", "--to", "widgets"]),
        psql("""
            DELETE FROM sqitch.releases;
            INSERT INTO sqitch.releases VALUES (1.0, clock_timestamp(), 'Old User', 'old@example.com');
            ALTER TABLE sqitch.changes DROP CONSTRAINT changes_project_script_hash_key;
            ALTER TABLE sqitch.changes ADD CONSTRAINT changes_script_hash_key UNIQUE (script_hash);
            """),
        step(["status"]), step(["verify"]), step(["upgrade"]), step(["upgrade"]), step(["deploy"]),
    ], postgres: true),
    ParityScenario("pg: a registry from a newer release", files: base, steps: [
        bySqitch(["deploy", "--to", "widgets"]),
        psql("INSERT INTO sqitch.releases VALUES (9.9, clock_timestamp(), 'Future', 'future@example.com')"),
        ParityStep(["deploy"], deviations: [.stderrFirstLine], reason: stackTraceReason),
        step(["revert", "-y"]), step(["verify"]), step(["status"]),
        ParityStep(["upgrade"], deviations: [.stderrFirstLine], reason: stackTraceReason),
    ], postgres: true),
    ParityScenario("pg: nothing deployed yet", files: base, steps: [
        step(["status"]), step(["log"]), step(["verify"]), step(["revert", "-y"]),
    ], postgres: true),
    // Interoperability: a database deployed by Sqitch, continued and reverted by sqlitch
    // (the reference run does every step with Sqitch), and the other way round.
    ParityScenario("pg: Sqitch deploys, then sqlitch continues and reverts", files: reworked, steps: [
        bySqitch(["deploy", "--to", "@v1.0"]), step(["deploy"]), step(["log", "--oneline"]),
        step(["revert", "-y", "--to", "@v1.0"]), bySqitch(["deploy"]), bySqitch(["status"]),
    ], postgres: true),
    ParityScenario("pg: sqlitch deploys, then Sqitch continues and reverts", files: reworked, steps: [
        step(["deploy", "--to", "@v1.1"]), bySqitch(["deploy"]), bySqitch(["revert", "-y", "--to", "flips"]),
        step(["status", "--show-tags"]), step(["deploy"]), bySqitch(["revert", "-y"]),
    ], postgres: true),
    // libpq's own defaults, which Sqitch leaves to it: PG* variables, a service file and a
    // password file in the home directory.
    ParityScenario("pg: PGHOST, PGPORT, PGUSER and PGDATABASE", files: project(["sqitch.conf": "[core]\n\tengine = pg\n"]),
                   steps: [step(["deploy", "db:pg:", "--to", "widgets"]), step(["status", "db:pg:"]),
                           step(["revert", "-y", "db:pg:"])],
                   environment: ["PGHOST": "@PGHOST@", "PGPORT": "@PGPORT@", "PGUSER": "postgres", "PGDATABASE": "@PGDB@"],
                   postgres: true),
    ParityScenario("pg: --db-host, --db-port, --db-user and --db-name", files: project(["sqitch.conf": "[core]\n\tengine = pg\n"]),
                   steps: [
                       step(["deploy", "db:pg:", "--db-host", "@PGHOST@", "--db-port", "@PGPORT@", "--db-user", "postgres",
                             "--db-name", "@PGDB@", "--to", "widgets"]),
                       step(["status", "db:pg:", "-h", "@PGHOST@", "-p", "@PGPORT@", "-u", "postgres", "-d", "@PGDB@"]),
                       step(["revert", "-y", "db:pg://nobody@nowhere.invalid:1/nothing", "--db-host", "@PGHOST@",
                             "--db-port", "@PGPORT@", "--db-user", "postgres", "--db-name", "@PGDB@"]),
                   ], postgres: true),
    ParityScenario("pg: a service file and a password file", files: project([
        "sqitch.conf": "[core]\n\tengine = pg\n[engine \"pg\"]\n\ttarget = db:pg:?service=flipr\n",
        "../home/.pg_service.conf": "[flipr]\nhost=@PGHOST@\nport=@PGPORT@\ndbname=@PGDB@\nuser=\(PostgresServer.passwordUser)\n",
        "../home/.pgpass": "@PGHOST@:@PGPORT@:*:\(PostgresServer.passwordUser):\(PostgresServer.password)\n",
    ]), steps: [
        .setup("chmod", ["600", "../home/.pgpass"]),
        psql("GRANT ALL ON DATABASE \"@PGDB@\" TO \(PostgresServer.passwordUser); "
            + "GRANT ALL ON SCHEMA public TO \(PostgresServer.passwordUser)"),
        step(["deploy", "--to", "widgets"]), step(["log", "--oneline"]),
        step(["verify"]),
    ], postgres: true),
    // Connection failures: the password never shows.
    ParityScenario("pg: a wrong password", files: base, steps: [
        step(["deploy", "db:pg://\(PostgresServer.passwordUser):wrong@@PGHOST@:@PGPORT@/@PGDB@"]),
        step(["status", "db:pg://\(PostgresServer.passwordUser):wrong@@PGHOST@:@PGPORT@/@PGDB@"]),
    ], postgres: true),
    ParityScenario("pg: a password from SQITCH_PASSWORD", files: base, steps: [
        step(["status", "db:pg://\(PostgresServer.passwordUser)@@PGHOST@:@PGPORT@/@PGDB@"]),
    ], environment: ["SQITCH_PASSWORD": PostgresServer.password], postgres: true),
    ParityScenario("pg: an unreachable port and a database that does not exist", files: base, steps: [
        step(["deploy", "db:pg://postgres@127.0.0.1:1/flipr"]), step(["status", "db:pg://postgres@127.0.0.1:1/flipr"]),
        step(["deploy", "db:pg://postgres@@PGHOST@:@PGPORT@/no_such_database"]),
        step(["log", "db:pg://postgres@@PGHOST@:@PGPORT@/no_such_database"]),
    ], postgres: true),
    ParityScenario("pg: a psql older than 9.0 gets the registry name spliced in", files: project([
        "oldpsql": "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'psql (PostgreSQL) 8.3'; exit 0; fi\nexec psql \"$@\"\n",
    ]), steps: [
        .setup("chmod", ["+x", "oldpsql"]), step(["deploy", "--client", "./oldpsql", "--to", "widgets"]),
        step(["status", "--client", "./oldpsql"]),
    ], postgres: true),
    // The server ends the registry connection while a change's script runs: logging that
    // change fails, and so does the recovery.
    ParityScenario("pg: the server goes away mid-deploy", files: project([
        "deploy/widgets.sql": """
            CREATE TABLE widgets (name TEXT);
            SELECT count(pg_terminate_backend(pid)) > -1 FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid();

            """,
    ]), steps: [
        ParityStep(["deploy"], deviations: [.replacing(
            "commit ineffective with AutoCommit enabled at /usr/share/perl5/App/Sqitch/Role/DBIEngine.pm line 989.\n",
            with: "")], reason: "DIFFERENCES: DBI's commit warning after a failed registry write is not printed"),
        step(["status"]), step(["log", "--oneline"]),
    ], postgres: true),
    ParityScenario("pg: psql missing", files: base, steps: [
        step(["deploy", "--client", "/nonexistent/psql"]), bySqitch(["deploy", "--to", "users"]),
        step(["deploy", "--client", "/nonexistent/psql"]), step(["status"]),
    ], postgres: true),
]

@Suite("Parity with sqitch on PostgreSQL", .enabled(if: ParityHarness.shouldRun && PostgresServer.shouldRun))
struct PostgresParityTests {
    @Test(arguments: postgresScenarios)
    func scenario(_ scenario: ParityScenario) async throws {
        try await expectParity(scenario)
    }

    /// Two deploys started at once: the second waits for the first's lock, then finds
    /// nothing left to deploy; the registry has each change once.
    @Test func twoDeploysAtOnceAreSerializedByTheLock() async throws {
        let server = try PostgresServer.require()
        let sqlitch = try #require(ParityHarness.sqlitchPath)
        let database = try server.createDatabase(prefix: "concurrent")
        defer { try? server.dropDatabase(database) }
        let directory = try TemporaryDirectory(prefix: "concurrent")
        var files = base
        files["sqitch.conf"] = pgConf.replacingOccurrences(of: "@PGURI@", with: server.uri(database: database))
        // The first change waits (up to five minutes) for a `go` table, so that the second deploy
        // starts while the first holds the lock.
        files["deploy/users.sql"] = """
            DO $$ BEGIN
              FOR i IN 1..6000 LOOP
                EXIT WHEN EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'go');
                PERFORM pg_sleep(0.05);
              END LOOP;
            END $$;

            """ + base["deploy/users.sql"]!
        for (path, text) in files { try directory.write(path, text) }
        let environment = ParityHarness.isolatedEnvironment(root: directory.path)
        /// Waits (up to five minutes) until one advisory lock is held (`granted`) or awaited.
        /// The wait blocks its thread: the programs and this poll must keep going even when
        /// other tests keep the cooperative pool busy.
        func waitForLocks(granted: Bool) throws -> Bool {
            let sql = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND \(granted ? "" : "NOT ")granted"
            let deadline = Date().addingTimeInterval(300)
            while Date() < deadline {
                if try server.psql(database: database, sql: sql) == "1" { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        // The second starts once the first holds the lock (and may wait for it as long as the
        // first waits for `go`); the first goes on once the second waits for the lock.
        let first = try ParityHarness.start(sqlitch, ["deploy"], in: directory.path, environment: environment)
        var second: RunningProcess?
        defer {
            // Whatever failed above, the first deploy is let go and nothing is left running.
            _ = try? server.psql(database: database, sql: "CREATE TABLE IF NOT EXISTS go ()")
        }
        #expect(try waitForLocks(granted: true))
        second = try ParityHarness.start(sqlitch, ["deploy", "--lock-timeout", "600"], in: directory.path,
                                         environment: environment)
        #expect(try waitForLocks(granted: false))
        try server.psql(database: database, sql: "CREATE TABLE go ()")
        var results = [await ParityHarness.finish(first)]
        if let second { results.append(await ParityHarness.finish(second)) }
        #expect(results.map(\.exitCode) == [0, 0], "\(results)")
        let outputs = results.map(\.stdout).joined()
        #expect(outputs.contains("Blocked by another instance of Sqitch working on "))
        #expect(outputs.contains("Nothing to deploy (up-to-date)"))
        #expect(try server.psql(database: database, sql: "SELECT count(*) FROM sqitch.events") == "4")
        #expect(try server.psql(database: database, sql: "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == "0")
        #expect(try server.psql(database: database, sql: "SELECT count(*) FROM sqitch.changes") == "4")
    }
}
