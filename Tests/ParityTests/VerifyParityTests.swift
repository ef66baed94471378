import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `verify`, `check` and `upgrade` on SQLite, run with both `sqitch` and `sqlitch` (see
/// ParityTests.swift for how scenarios are written). Databases are deployed by a setup step
/// that runs `sqitch deploy` in both runs; other setup steps edit files with `sh` or build
/// old registries with `sqlite3`.

private let plan = """
    %syntax-version=1.0.0
    %project=flipr

    users 2024-01-02T03:04:05Z Test User <test@example.com> # Users.
    widgets [users] 2024-01-02T03:04:06Z Test User <test@example.com> # Widgets.
    @v1.0 2024-01-02T03:04:07Z Test User <test@example.com> # Release.

    gadgets 2024-01-02T03:04:08Z Test User <test@example.com> # Gadgets.

    """

/// A project with three working changes; `flipr.db` is the target, `prod` a named one.
private let project: [String: String] = {
    var files = [
        "sqitch.conf": """
            [core]
            \tengine = sqlite
            [engine "sqlite"]
            \ttarget = db:sqlite:flipr.db
            [target "prod"]
            \turi = db:sqlite:prod.db

            """,
        "sqitch.plan": plan,
    ]
    for name in ["users", "widgets", "gadgets"] {
        files["deploy/\(name).sql"] = "CREATE TABLE \(name) (id INT);\n"
        files["revert/\(name).sql"] = "DROP TABLE \(name);\n"
        files["verify/\(name).sql"] = "SELECT id FROM \(name) WHERE 0;\n"
    }
    return files
}()

private func with(_ extra: [String: String]) -> [String: String] { project.merging(extra) { $1 } }

private func step(_ arguments: [String]) -> ParityStep { ParityStep(arguments) }
private func sqitch(_ arguments: [String]) -> ParityStep { .setup("sqitch", arguments) }
private func sh(_ script: String) -> ParityStep { .setup("sh", ["-c", script]) }
private func sqlite(_ arguments: [String]) -> ParityStep { .setup("sqlite3", arguments) }

private let deploy = sqitch(["deploy"])

/// A registry as Sqitch 0.9991 left it: release 1.0 (the tables from before releases, run
/// through the 1.0 upgrade script, and the release recorded).
private let release1_0 = RegistryFixtures.sqlitePreRelease + SQLiteRegistrySchema.upgradeTo1_0 + """
    INSERT INTO releases (version, installer_name, installer_email) VALUES (1.0, 'Old User', 'old@example.com');

    """

/// Comparing a missing deploy script's hash, Sqitch compares an undefined value and Perl warns.
private let undefReason = "DIFFERENCES: Perl's uninitialized-value warnings are not reproduced"
private let topDirWarning = """
    warning:   Option --top-dir is deprecated for check and other non-configuration commands.
    warning:   Use --chdir instead.

    """

/// Sqitch raises "Please upgrade Sqitch." as an internal error, with a Perl stack trace.
private let traceReason = "DIFFERENCES: an error raised deep inside a command prints the message line alone"

let verifyScenarios: [ParityScenario] = [
    // No registry.
    ParityScenario("verify: no registry", files: project, steps: [
        step(["verify"]), step(["check"]), step(["verify", "prod"]), step(["check", "-t", "db:sqlite:other.db"]),
        step(["verify", "db:sqlite:"]), step(["check", "db:sqlite:"]), step(["upgrade", "db:sqlite:"]),
        step(["verify", "--registry", "nodir/x"]), step(["upgrade", "--registry", "nodir/x"]),
    ]),

    // verify
    ParityScenario("verify: everything deployed", files: project, steps: [
        deploy, step(["verify"]), step(["--quiet", "verify"]), step(["-vv", "verify"]),
    ]),
    ParityScenario("verify: undeployed changes are listed", files: project, steps: [
        sqitch(["deploy", "--to", "widgets"]), step(["verify"]), step(["verify", "--to", "users"]),
        sqitch(["deploy", "--to", "users"]), step(["verify"]),
    ]),
    ParityScenario("verify: a range", files: project, steps: [
        deploy,
        step(["verify", "--from", "widgets"]), step(["verify", "--to", "widgets"]),
        step(["verify", "--from-change", "users", "--to-change", "widgets"]),
        step(["verify", "widgets", "gadgets"]), step(["verify", "db:sqlite:flipr.db", "users", "users"]),
        step(["verify", "--from", "@v1.0"]), step(["verify", "--to", "gadgets^"]), step(["verify", "--from", "HEAD"]),
        step(["verify", "--to", "@ROOT"]), step(["verify", "--from", "users@HEAD", "--to", "widgets@v1.0"]),
        step(["verify", "--fro", "widgets"]), step(["verify", "HEAD^", "HEAD"]), step(["verify", "@v1.0^", "widgets"]),
        step(["check", "--to", "users"]), step(["check", "--from", "@v1.0", "--to", "HEAD"]),
    ]),
    ParityScenario("verify: too many changes", files: project, steps: [
        deploy, step(["verify", "users", "widgets", "gadgets"]), step(["verify", "--from", "users", "widgets", "gadgets"]),
    ]),
    ParityScenario("verify: range errors", files: project, steps: [
        sqitch(["deploy", "--to", "users"]),
        step(["verify", "--from", "gadgets"]), step(["verify", "--to", "nope"]), step(["verify", "--from", "@nope"]),
        step(["verify", "--to", "users~"]), step(["verify", "nope"]),
    ]),
    ParityScenario("verify: failing and missing scripts", files: with([
        "verify/users.sql": "SELECT nope FROM users;\n",
    ]), steps: [
        deploy, sh("rm verify/widgets.sql"), step(["verify"]), step(["verify", "--to", "users"]),
        step(["verify", "--from", "widgets"]), step(["--quiet", "verify"]),
    ]),
    ParityScenario("verify: script output shows from -vv", files: with([
        "verify/users.sql": "SELECT 'checked users';\n",
    ]), steps: [deploy, step(["verify"]), step(["-v", "verify"]), step(["-vv", "verify"])]),
    ParityScenario("verify: a change no longer in the plan", files: project, steps: [
        deploy, sh("grep -v '^widgets' sqitch.plan > p && mv p sqitch.plan"), step(["verify"]), step(["check"]),
    ]),
    ParityScenario("verify: changes deployed out of order", files: project, steps: [
        deploy, sqlite(["sqitch.db", "UPDATE changes SET committed_at = '2000-01-01 00:00:00' WHERE change = 'gadgets'"]),
        step(["verify"]), step(["verify", "--from", "users"]), step(["verify", "--to", "gadgets"]), step(["check"]),
        step(["check", "--from", "users"]),
    ]),
    ParityScenario("verify: a plan without changes", files: project, steps: [
        deploy, sh("printf '%%syntax-version=1.0.0\\n%%project=flipr\\n\\n' > sqitch.plan"),
        step(["verify"]), step(["check"]),
    ]),
    ParityScenario("verify: nothing deployed or planned", files: with([
        "sqitch.plan": "%syntax-version=1.0.0\n%project=flipr\n\n",
    ]), steps: [
        sqitch(["deploy"]), step(["verify"]), step(["check"]),
    ]),
    ParityScenario("verify: nothing deployed", files: project, steps: [
        deploy, sqitch(["revert", "-y"]), step(["verify"]), step(["check"]),
    ]),
    ParityScenario("verify: reworked changes", files: project, steps: [
        // What `sqitch rework users` writes, with a fixed planning time (the registry keeps it).
        deploy,
        sh("for d in deploy revert verify; do cp $d/users.sql $d/users@v1.0.sql; done; cp deploy/users.sql revert/users.sql; "
            + "echo 'users [users@v1.0] 2024-01-02T03:04:09Z Test User <test@example.com> # Again.' >> sqitch.plan"),
        sh("echo 'ALTER TABLE users ADD name TEXT;' > deploy/users.sql; echo 'SELECT name FROM users WHERE 0;' > verify/users.sql"),
        step(["verify"]), step(["check"]), sqitch(["deploy"]), step(["verify"]), step(["check"]),
        step(["verify", "--from", "users@v1.0"]), step(["verify", "--from", "users"]),
        step(["verify", "--to", "users@HEAD"]), step(["verify", "users"]), step(["check", "users@v1.0", "users"]),
    ]),
    ParityScenario("verify: targets", files: project, steps: [
        sqitch(["deploy", "prod"]), sqitch(["deploy", "--to", "users"]),
        step(["verify", "prod"]), step(["verify", "-t", "prod"]), step(["verify", "--target", "db:sqlite:prod.db"]),
        step(["verify", "db:sqlite:flipr.db"]), step(["verify", "prod", "db:sqlite:flipr.db"]),
        step(["verify", "sqlite"]), step(["verify", "-t", "nope"]),
    ]),
    ParityScenario("verify: connection options", files: project, steps: [
        sqitch(["deploy", "--registry", "other"]), sqitch(["deploy", "-d", "second.db"]),
        step(["verify", "--registry", "other"]), step(["verify", "--db-name", "second.db"]),
        step(["verify", "-d", "second.db", "--to", "users"]), step(["verify", "--client", "sqlite3"]),
        step(["verify", "--db-client", "./nope"]), step(["verify", "-u", "x", "-h", "y", "-p", "1"]),
        step(["verify", "--db-port", "x"]), step(["verify", "--registry"]),
    ]),
    ParityScenario("verify: plan and top directory options", files: with([
        "other.plan": plan.replacingOccurrences(of: "gadgets", with: "sprockets"),
        "top/sqitch.plan": plan, "top/verify/users.sql": "SELECT 1 FROM users WHERE 0;\n",
    ]), steps: [
        deploy, step(["verify", "--plan-file", "other.plan"]), step(["verify", "-f", "nope.plan"]),
        step(["verify", "--top-dir", "top"]),
        ParityStep(["check", "--top-dir", "top"], deviations: [.stderr(topDirWarning)], reason: undefReason),
    ]),
    ParityScenario("verify: variables", files: project, steps: [
        deploy, step(["verify", "-s", "a=b", "--set", "c=d"]), step(["verify", "-s", "a"]), step(["verify", "--set"]),
    ]),
    ParityScenario("verify: unknown options and arguments", files: project, steps: [
        step(["verify", "--bogus"]), step(["verify", "nope", "nada"]), step(["check", "--bogus"]),
    ]),

    // check
    ParityScenario("check: success and divergence", files: project, steps: [
        sqitch(["deploy", "--to", "widgets"]), step(["check"]),
        sh("echo '-- changed' >> deploy/widgets.sql"), step(["check"]), step(["check", "--from", "widgets"]),
        step(["check", "--to", "users"]), step(["check", "users", "users"]), step(["check", "--from", "gadgets"]),
        step(["check", "a", "b", "c"]), step(["--quiet", "check"]),
    ]),
    ParityScenario("check: targets and options", files: with(["other.plan": plan.replacingOccurrences(of: "gadgets", with: "sprockets")]),
                   steps: [
        sqitch(["deploy", "prod"]), sqitch(["deploy", "--registry", "other", "--to", "users"]),
        step(["check", "prod"]), step(["check", "-t", "prod"]), step(["check", "--target", "nope"]),
        step(["check", "--registry", "other"]), step(["check", "--registry", "other", "users"]),
        ParityStep(["check", "prod", "--plan-file", "other.plan"], deviations: [.stderr("")], reason: undefReason), step(["check", "-f", "nope.plan"]),
        step(["check", "prod", "-s", "a=b"]), step(["check", "-s", "a"]), step(["check", "--db-port", "x"]),
        step(["check", "-d", "prod.db", "-u", "x", "-h", "y", "-p", "5"]), step(["check", "--client", "./nope", "prod"]),
        step(["check", "prod", "--fro", "widgets", "--to-c", "gadgets"]), step(["check", "prod", "nope"]),
    ]),
    ParityScenario("check: a missing deploy script", files: project, steps: [
        deploy, sh("rm deploy/users.sql"), ParityStep(["check"], deviations: [.stderr("")], reason: undefReason),
    ]),
    ParityScenario("check: more deployed than planned", files: project, steps: [
        deploy, sh("grep -v '^gadgets' sqitch.plan > p && mv p sqitch.plan"), step(["check"]), step(["verify"]),
    ]),

    // upgrade
    ParityScenario("upgrade: an up-to-date registry", files: project, steps: [
        deploy, step(["upgrade"]), step(["upgrade", "prod", "db:sqlite:flipr.db"]), step(["--quiet", "upgrade"]),
    ]),
    ParityScenario("upgrade: from release 1.0", files: with(["old.sql": release1_0]), steps: [
        sqlite(["sqitch.db", ".read old.sql"]), step(["verify"]), step(["check"]), step(["upgrade"]),
        step(["upgrade"]), step(["verify"]), deploy, step(["verify"]),
    ]),
    ParityScenario("upgrade: from release 1.0, by target and registry", files: with(["old.sql": release1_0]), steps: [
        sqlite(["prod-reg.db", ".read old.sql"]), step(["upgrade", "-t", "prod", "--registry", "prod-reg"]),
        step(["upgrade", "--target", "db:sqlite:prod.db", "--registry", "prod-reg"]),
    ]),
    ParityScenario("upgrade: change IDs as script hashes, as release 1.0 left them", files: project, steps: [
        deploy,
        sqlite(["sqitch.db", "UPDATE changes SET script_hash = change_id; DELETE FROM releases; "
                + "INSERT INTO releases (version, installer_name, installer_email) VALUES (1.0, 'Old', 'old@example.com')"]),
        step(["check"]), step(["upgrade"]), step(["check"]), step(["check", "--from", "gadgets"]), step(["verify"]),
    ]),
    ParityScenario("upgrade: a newer registry", files: project, steps: [
        deploy, sqlite(["sqitch.db", "INSERT INTO releases VALUES (1.2, CURRENT_TIMESTAMP, 'x', 'y')"]),
        ParityStep(["upgrade"], deviations: [.stderrFirstLine], reason: traceReason),
        step(["verify"]), step(["check"]),
    ]),
    ParityScenario("upgrade: no registry", files: project, steps: [
        step(["upgrade"]), step(["upgrade", "--registry", "elsewhere"]),
        // sqlite3 stops inside the script's transaction when it reads it with `.read` (Sqitch)
        // and leaves a journal behind; sqlitch feeds it on standard input, which rolls back.
        sh("rm -f sqitch.db-journal elsewhere.db-journal"),
    ]),
    ParityScenario("upgrade: options", files: project, steps: [
        step(["upgrade", "--plan-file", "x"]), step(["upgrade", "--to", "x"]), step(["upgrade", "nope"]),
        step(["upgrade", "-t", "nope"]), step(["upgrade", "--client", "./nope"]), step(["upgrade", "--db-port", "x"]),
        step(["upgrade", "-d", "second.db", "-u", "x", "-h", "y", "-p", "5"]), step(["upgrade", "--bogus"]),
        step(["upgrade", "--set", "a=b"]), step(["upgrade", "--from", "x"]),
        sh("rm -f sqitch.db-journal"), // see "upgrade: no registry"
    ]),
]

@Suite("Parity with sqitch: verify, check, upgrade", .enabled(if: ParityHarness.shouldRun))
struct VerifyParityTests {
    @Test(arguments: verifyScenarios)
    func scenario(_ scenario: ParityScenario) async throws { try await expectParity(scenario) }
}

/// Setup steps run in both runs and are left out of the comparison.
@Suite struct ParitySetupStepTests {
    @Test func setupStepsAreNotCompared() {
        let scenario = ParityScenario("s", steps: [.setup("sqitch", ["deploy"]), ParityStep(["verify"])])
        #expect(scenario.steps[0].description == "sqitch deploy")
        #expect(ParityStep.setup("sqlite3", ["a.db", ".read x"]).description == "sqlite3 a.db '.read x'")
        func run(_ setup: String, _ verify: String) -> ParityRun {
            ParityRun(outputs: [ParityOutput(stdout: setup, stderr: "", exitCode: 0),
                                ParityOutput(stdout: verify, stderr: "", exitCode: 0)], files: [:])
        }
        #expect(ParityHarness.compare(scenario, expected: run("a\n", "ok\n"), actual: run("b\n", "ok\n")).isEmpty)
        let found = ParityHarness.compare(scenario, expected: run("a\n", "ok\n"), actual: run("a\n", "not ok\n"))
        #expect(found.map(\.step) == ["step 2 `sqitch verify`"])
    }
}
