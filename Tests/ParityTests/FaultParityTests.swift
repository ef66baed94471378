import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Faults around the SQLite engine: locked and read-only databases, registries of other
/// releases, registry and client settings, and dependency errors; run with both `sqitch`
/// and `sqlitch`.

private let faultBase: [String: String] = [
    // `sh hold.sh <db>` holds BEGIN IMMEDIATE on <db> from a sqlite3 shell until
    // `sh release.sh` (or 60 s at most); both return only once the lock is held or gone.
    "hold.sh": """
        rm -f .release
        {
          ( echo 'BEGIN IMMEDIATE; CREATE TABLE hold (id INTEGER);'; echo '.system touch .locked'
            n=0; while [ ! -e .release ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done ) | sqlite3 "$1"
          rm -f .release; rm -f .locked
        } </dev/null >/dev/null 2>&1 &
        while [ ! -e .locked ]; do sleep 0.05; done

        """,
    "release.sh": "touch .release\nwhile [ -e .locked ]; do sleep 0.05; done\nrm -f .release\n",
    "sqitch.conf": "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:flipr.db\n",
    "sqitch.plan": """
        %syntax-version=1.0.0
        %project=flipr
        %uri=https://example.com/flipr/

        users 2024-01-02T03:04:05Z Test User <test@example.com> # Users.
        widgets [users] 2024-01-02T03:05:05Z Test User <test@example.com> # Widgets.
        @v1.0 2024-01-02T03:06:05Z Test User <test@example.com> # Tag v1.0.
        flips [users widgets] 2024-01-02T03:07:05Z Test User <test@example.com> # Flips.
        gadgets 2024-01-02T03:08:05Z Test User <test@example.com> # Gadgets.
        @v1.1 2024-01-02T03:09:05Z Test User <test@example.com> # Tag v1.1.

        """,
    "deploy/users.sql": "CREATE TABLE users (name TEXT PRIMARY KEY);\n",
    "revert/users.sql": "DROP TABLE users;\n",
    "deploy/widgets.sql": "CREATE TABLE widgets (name TEXT);\n",
    "revert/widgets.sql": "DROP TABLE widgets;\n",
    "deploy/flips.sql": "CREATE TABLE flips (id INTEGER);\n",
    "revert/flips.sql": "DROP TABLE flips;\n",
    "deploy/gadgets.sql": "CREATE TABLE gadgets (id INTEGER);\n",
    "revert/gadgets.sql": "DROP TABLE gadgets;\n",
]

private func faultProject(_ changes: [String: String]) -> [String: String] {
    faultBase.merging(changes) { $1 }
}

private func step(_ arguments: [String], input: String? = nil) -> ParityStep {
    ParityStep(arguments, input: input)
}

/// A shell command run in both runs.
private func shell(_ script: String) -> ParityStep { .setup("sh", ["-c", script]) }

/// Holds `BEGIN IMMEDIATE` on `file` from a `sqlite3` shell until `releaseLock`.
private func holdLock(_ file: String) -> ParityStep { shell("sh hold.sh \(file)") }

/// Ends the hold of `holdLock` and waits until the lock is gone.
private let releaseLock = shell("sh release.sh")

/// Makes `file` unwritable, even for root (an immutable file where `chattr` works).
private func readOnly(_ file: String) -> ParityStep {
    shell("chmod a-w \(file); chattr +i \(file) 2>/dev/null; true")
}

private func writable(_ file: String) -> ParityStep {
    shell("chattr -i \(file) 2>/dev/null; chmod u+w \(file)")
}

private let stackTraceReason =
    "DIFFERENCES: an error raised deep inside a command prints its message line alone, without Perl's stack trace"

/// A registry made before release 1.0 (no `releases`, no `script_hash`) where `users` is
/// deployed.
private let preRelease: String = {
    let plan = try! PlanParser.parse(text: faultBase["sqitch.plan"]!, file: "sqitch.plan")
    let id = plan.changes[0].id
    return RegistryFixtures.sqlitePreRelease + """
        INSERT INTO projects (project, uri, creator_name, creator_email)
            VALUES ('flipr', 'https://example.com/flipr/', 'Old User', 'old@example.com');
        INSERT INTO changes (change_id, change, project, note, committed_at, committer_name, committer_email,
            planned_at, planner_name, planner_email)
            VALUES ('\(id)', 'users', 'flipr', 'Users.', '2024-01-03 00:00:00', 'Old User', 'old@example.com',
            '2024-01-02 03:04:05', 'Test User', 'test@example.com');

        """
}()

private let emptyPlan = "%syntax-version=1.0.0\n%project=flipr\n%uri=https://example.com/flipr/\n\n"
private let otherPlan = """
    %syntax-version=1.0.0
    %project=flipr
    %uri=https://example.com/flipr/

    old 2024-01-02T03:04:06Z Test User <test@example.com> # Old.

    """

/// A `sqlite3` that reports an old version, and one that passes everything to the real
/// client.
private let oldClient = "#!/bin/sh\necho '3.3.8 2006-10-09 11:11:11'\n"
private let wrapperClient = "#!/bin/sh\nexec sqlite3 \"$@\"\n"

/// Dependency errors: a same-project conflict, several missing requires of other
/// projects, a conflict with a change in no plan, and a reworked change.
private let dependencies = faultProject([
    "sqitch.plan": faultBase["sqitch.plan"]! + """
        nousers [!users] 2024-01-02T03:10:05Z Test User <test@example.com> # Conflicts with users.
        needy [other:a other:b users] 2024-01-02T03:11:05Z Test User <test@example.com> # Needs others.
        ghost [!nowhere] 2024-01-02T03:12:05Z Test User <test@example.com> # Conflicts with no change.
        users [users@v1.1] 2024-01-02T03:13:05Z Test User <test@example.com> # Users, reworked.

        """,
    "deploy/nousers.sql": "SELECT 'nousers';\n", "revert/nousers.sql": "SELECT 1;\n",
    "deploy/needy.sql": "SELECT 'needy';\n", "revert/needy.sql": "SELECT 1;\n",
    "deploy/ghost.sql": "SELECT 'ghost';\n", "revert/ghost.sql": "SELECT 1;\n",
    "deploy/users@v1.1.sql": faultBase["deploy/users.sql"]!, "revert/users@v1.1.sql": faultBase["revert/users.sql"]!,
    "deploy/users.sql": "ALTER TABLE users ADD COLUMN email TEXT;\n",
])

let faultScenarios: [ParityScenario] = [
    // rebase settings.
    ParityScenario("faults: rebase.no_prompt and rebase.verify", files: faultProject([
        "sqitch.conf": faultBase["sqitch.conf"]! + "[rebase]\n\tno_prompt = true\n\tverify = true\n",
        "verify/users.sql": "SELECT name FROM users WHERE 0;\n", "verify/widgets.sql": "SELECT nope FROM widgets;\n",
    ]), steps: [step(["deploy", "--to", "users"]), step(["rebase"]), step(["rebase", "--no-verify"])]),
    ParityScenario("faults: rebase.prompt_accept", files: faultProject([
        "sqitch.conf": faultBase["sqitch.conf"]! + "[rebase]\n\tprompt_accept = false\n[revert]\n\tprompt_accept = true\n",
    ]), steps: [
        step(["deploy"]), step(["rebase", "--onto", "users"]), step(["rebase"]), step(["rebase", "--onto", "@v1.0"], input: "y\n"),
    ]),
    ParityScenario("faults: revert.strict with --modified and no common change", files: faultProject([
        "sqitch.conf": faultBase["sqitch.conf"]! + "[revert]\n\tstrict = 1\n"
            + "[target \"alt\"]\n\turi = db:sqlite:flipr.db\n\tdeploy_dir = alt\n",
        "alt/users.sql": "-- changed\n" + faultBase["deploy/users.sql"]!, "alt/widgets.sql": faultBase["deploy/widgets.sql"]!,
        "alt/flips.sql": faultBase["deploy/flips.sql"]!, "alt/gadgets.sql": faultBase["deploy/gadgets.sql"]!,
    ]), steps: [
        step(["deploy"]),
        ParityStep(["revert", "--modified", "-y", "alt"], deviations: [
            .stdout("Must specify a target revision in strict mode\n"), .stderr(""), .exitCode(1),
        ], reason: "fact sheet §12.4: revert.strict and rebase.strict arrived in Sqitch 1.4"),
        // Sqitch 1.3.1 reverted everything; it does the same in the other run.
        .setup("sqitch", ["revert", "-y"]),
    ]),
    ParityScenario("faults: dependency errors", files: dependencies, steps: [
        step(["deploy", "--to", "users"]), step(["deploy", "--to", "users@v1.1"]), step(["deploy", "--to", "users@HEAD"]),
        step(["deploy", "--to", "@v1.1"]), step(["deploy", "--to", "nousers"]), step(["deploy", "--to", "needy"]),
        step(["revert", "-y", "--to", "users"]), step(["revert", "-y", "--to", "users@HEAD"]),
        step(["revert", "-y", "--to", "@v1.0"]), step(["deploy", "--to", "gadgets"]), step(["deploy", "--to", "needy"]),
    ]),
    ParityScenario("faults: a reworked change named alone, against the registry", files: faultProject([
        "sqitch.plan": faultBase["sqitch.plan"]!
            + "users [users@v1.1] 2024-01-02T03:13:05Z Test User <test@example.com> # Users, reworked.\n",
        "deploy/users@v1.1.sql": faultBase["deploy/users.sql"]!, "revert/users@v1.1.sql": faultBase["revert/users.sql"]!,
        "deploy/users.sql": "ALTER TABLE users ADD COLUMN email TEXT;\n", "revert/users.sql": "SELECT 1;\n",
    ]), steps: [
        step(["deploy", "--to", "users"]), step(["deploy"]), step(["revert", "-y", "--to", "users"]),
        step(["revert", "-y", "users"]), step(["verify", "--from", "users"]), step(["revert", "-y", "--to", "users@v1.1"]),
    ]),
    ParityScenario("faults: a conflict with a change in no plan", files: dependencies.merging([
        "sqitch.plan": faultBase["sqitch.plan"]!
            + "ghost [!nowhere] 2024-01-02T03:12:05Z Test User <test@example.com> # Conflicts with no change.\n",
    ]) { $1 }, steps: [step(["deploy"]), step(["revert", "-y", "--to", "@v1.1"])]),
    ParityScenario("faults: offsets with numbers in --to", files: faultBase, steps: [
        step(["deploy", "--to", "gadgets^2"]), step(["deploy", "--to", "users~3"]), step(["revert", "-y", "--to", "@HEAD^2"]),
        step(["deploy", "--to", "@HEAD~1"]), step(["deploy"]), step(["revert", "-y", "--to", "gadgets~1"]),
        step(["revert", "-y", "--to", "@HEAD^3"]), step(["revert", "-y", "--to", "users^1"]),
    ]),
    // Registry and client from configuration.
    ParityScenario("faults: engine.sqlite.registry and engine.sqlite.client", files: faultProject([
        "sqitch.conf": faultBase["sqitch.conf"]! + "\tregistry = enreg\n\tclient = ./wrapper\n",
        "wrapper": wrapperClient,
    ]), steps: [shell("chmod +x wrapper"), step(["deploy", "--to", "users"]), step(["status"]), step(["revert", "-y"])]),
    ParityScenario("faults: target registry and client", files: faultProject([
        "sqitch.conf": faultBase["sqitch.conf"]! + "\tregistry = enreg\n\tclient = ./old\n"
            + "[target \"prod\"]\n\turi = db:sqlite:prod.db\n\tregistry = treg\n\tclient = ./wrapper\n",
        "wrapper": wrapperClient, "old": oldClient,
    ]), steps: [
        shell("chmod +x wrapper old"), step(["deploy", "prod", "--to", "widgets"]), step(["verify", "prod"]),
        step(["deploy"]), step(["deploy", "--client", "./wrapper", "--to", "users"]),
        step(["deploy", "prod", "--client", "./old"]),
    ]),
    // --modified reads the registry before anything checks it.
    ParityScenario("faults: --modified without a registry, then with nothing deployed", files: faultBase, steps: [
        step(["revert", "--modified", "-y"]), step(["rebase", "--modified", "-y"]),
        step(["deploy", "--to", "users"]), step(["revert", "-y"]),
        ParityStep(["rebase", "--modified", "-y"], deviations: [
            .stdout("""
                Nothing to revert (nothing deployed)
                Deploying changes to db:sqlite:flipr.db
                  + users .......... ok
                  + widgets @v1.0 .. ok
                  + flips .......... ok
                  + gadgets @v1.1 .. ok

                """),
            .stderr(""), .exitCode(0),
        ], reason: "DIFFERENCES: rebase --modified with nothing deployed deploys as a plain rebase does"),
        // Sqitch died before deploying: the databases differ on purpose.
        shell("rm flipr.db sqitch.db"),
    ]),
    // A pre-1.0 registry is upgraded only once the plan is known to hold its last change.
    ParityScenario("faults: pre-1.0 registry, last change missing from the plan",
                   files: faultProject(["old.sql": preRelease, "other.plan": otherPlan, "empty.plan": emptyPlan]),
                   steps: [
                       .setup("sqlite3", ["sqitch.db", ".read old.sql"]), step(["deploy", "--plan-file", "other.plan"]),
                       step(["deploy", "--plan-file", "empty.plan"]), step(["rebase", "-y", "--plan-file", "other.plan"]),
                   ]),
    ParityScenario("faults: empty pre-1.0 registry, empty plan",
                   files: faultProject(["old.sql": RegistryFixtures.sqlitePreRelease, "sqitch.plan": emptyPlan]),
                   steps: [.setup("sqlite3", ["sqitch.db", ".read old.sql"]), step(["deploy"])]),

    ParityScenario("faults: a locked target database", files: faultBase, steps: [
        step(["deploy", "--to", "users"]), holdLock("flipr.db"), step(["deploy"]), releaseLock,
        step(["deploy", "--to", "widgets"]), holdLock("flipr.db"), step(["revert", "-y"]), releaseLock,
    ]),
    // The target locked in the middle of a run: the failing change's revert, then the
    // rollback of the run under --mode all, fail on the lock too.
    ParityScenario("faults: a target locked during the run, --mode all", files: faultProject([
        "deploy/widgets.sql": faultBase["deploy/widgets.sql"]!
            + ".system sh hold.sh flipr.db\n",
    ]), steps: [step(["deploy", "--to", "users"]), step(["deploy", "--mode", "all"]), releaseLock, step(["deploy"])]),
    ParityScenario("faults: a read-only target database", files: faultBase, steps: [
        step(["deploy", "--to", "users"]), readOnly("flipr.db"), step(["deploy"]), step(["revert", "-y"]),
        writable("flipr.db"),
    ]),
    ParityScenario("faults: a read-only registry", files: faultBase, steps: [
        step(["deploy", "--to", "users"]), readOnly("sqitch.db"), step(["deploy"]),
        ParityStep(["revert", "-y"], deviations: [.replacing(
            "commit ineffective with AutoCommit enabled at /usr/share/perl5/App/Sqitch/Role/DBIEngine.pm line 989.\n",
            with: "")], reason: "DIFFERENCES: DBI's commit warning after a failed registry write is not printed"),
        writable("sqitch.db"),
    ]),
    ParityScenario("faults: a read-only project directory", files: faultBase, steps: [
        readOnly("."), step(["deploy"]), writable("."),
    ]),

    // A registry from a newer release: deploy upgrades (and refuses), revert checks.
    ParityScenario("faults: a registry from a newer release", files: faultBase, steps: [
        step(["deploy", "--to", "users"]),
        .setup("sqlite3", ["sqitch.db", "INSERT INTO releases VALUES (2.0, '2024-01-01', 'Future', 'f@example.com')"]),
        ParityStep(["deploy"], deviations: [.stderrFirstLine], reason: stackTraceReason),
        step(["revert", "-y"]), step(["rebase", "-y"]), step(["deploy", "--to", "users"]),
        step(["verify"]), step(["status"]),
    ]),
]

@Suite("Parity with sqitch: faults", .enabled(if: ParityHarness.shouldRun))
struct FaultParityTests {
    @Test(arguments: faultScenarios)
    func scenario(_ scenario: ParityScenario) async throws {
        try await expectParity(scenario)
    }
}
