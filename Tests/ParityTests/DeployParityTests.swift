import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `deploy`, `revert` and `rebase` on SQLite, run with both `sqitch` and `sqlitch`; the
/// registry and target databases are compared as dumps (see DatabaseDump).

/// A project with four changes and two tags; `widgets` requires `users`, `flips` requires
/// both, `gadgets` conflicts with `old` of the `legacy` project (`legacy.plan`).
/// `mismatch.plan` is the same project with a change `sqitch.plan` lacks.
private let base: [String: String] = [
    "sqitch.conf": "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:flipr.db\n",
    "sqitch.plan": fliprParityPlan,
    "legacy.plan": legacyParityPlan,
    "mismatch.plan": """
        %syntax-version=1.0.0
        %project=flipr
        %uri=https://example.com/flipr/

        old 2024-01-02T03:04:06Z Test User <test@example.com> # Old.

        """,
    "deploy/users.sql": "CREATE TABLE users (name TEXT PRIMARY KEY);\n",
    "revert/users.sql": "DROP TABLE users;\n",
    "verify/users.sql": "SELECT name FROM users WHERE 0;\n",
    "deploy/widgets.sql": "CREATE TABLE widgets (name TEXT REFERENCES users(name));\n",
    "revert/widgets.sql": "DROP TABLE widgets;\n",
    "verify/widgets.sql": "SELECT name FROM widgets WHERE 0;\n",
    "deploy/flips.sql": "CREATE TABLE flips (id INTEGER PRIMARY KEY, body TEXT);\nINSERT INTO flips (body) VALUES ('it''s');\n",
    "revert/flips.sql": "DROP TABLE flips;\n",
    "verify/flips.sql": "SELECT id FROM flips WHERE 0;\n",
    "deploy/gadgets.sql": "CREATE TABLE gadgets (id INTEGER);\n",
    "revert/gadgets.sql": "DROP TABLE gadgets;\n",
    "verify/gadgets.sql": "SELECT id FROM gadgets WHERE 0;\n",
    "deploy/old.sql": "CREATE TABLE old (id INTEGER);\n",
    "revert/old.sql": "DROP TABLE old;\n",
    "verify/old.sql": "SELECT id FROM old WHERE 0;\n",
]

/// `base` with some files replaced or added.
private func project(_ changes: [String: String]) -> [String: String] {
    base.merging(changes) { $1 }
}

/// `base` with a fifth change whose deploy script fails.
private let broken = project([
    "sqitch.plan": base["sqitch.plan"]! + "broken 2024-01-02T03:10:05Z Test User <test@example.com> # Broken.\n",
    "deploy/broken.sql": "CREATE TABLE broken (;\n",
    "revert/broken.sql": "DROP TABLE broken;\n",
])

/// `base` with a reworked `users` after `@v1.1`.
private let reworked = project([
    "sqitch.plan": base["sqitch.plan"]!
        + "users [users@v1.1] 2024-01-02T03:11:05Z Test User <test@example.com> # Users, reworked.\n",
    "deploy/users@v1.1.sql": base["deploy/users.sql"]!,
    "revert/users@v1.1.sql": base["revert/users.sql"]!,
    "verify/users@v1.1.sql": base["verify/users.sql"]!,
    "deploy/users.sql": "ALTER TABLE users ADD COLUMN email TEXT;\n",
    "revert/users.sql": "CREATE TABLE users2 (name TEXT);\n",
])

/// A second project whose change requires one of flipr's.
private let withOther = project([
    "other.plan": """
        %syntax-version=1.0.0
        %project=other

        thing [flipr:users] 2024-01-02T03:04:05Z Test User <test@example.com> # Thing.

        """,
    "deploy/thing.sql": "CREATE TABLE thing (id INTEGER);\n",
    "revert/thing.sql": "DROP TABLE thing;\n",
])

private func step(_ arguments: [String], input: String? = nil) -> ParityStep {
    ParityStep(arguments, input: input)
}

/// A step run by Sqitch in both runs.
private func bySqitch(_ arguments: [String]) -> ParityStep {
    ParityStep(arguments, byReference: true)
}

private let missingScriptReason =
    "fact sheet §12.2: Sqitch 1.5+ checks that the deploy/revert script exists before running it"
private let strictReason = "fact sheet §12.4: revert.strict and rebase.strict arrived in Sqitch 1.4"

/// A registry made before release 1.0 (no `releases`, no `script_hash`) where `users` of
/// `base` is deployed.
private let preReleaseRegistry: String = {
    let plan = try! PlanParser.parse(text: base["sqitch.plan"]!, file: "sqitch.plan")
    let id = plan.changes[0].id
    return RegistryFixtures.sqlitePreRelease + """
        INSERT INTO projects (project, uri, creator_name, creator_email)
            VALUES ('flipr', 'https://example.com/flipr/', 'Old User', 'old@example.com');
        INSERT INTO changes (change_id, change, project, note, committed_at, committer_name, committer_email,
            planned_at, planner_name, planner_email)
            VALUES ('\(id)', 'users', 'flipr', 'Users.', '2024-01-03 00:00:00', 'Old User', 'old@example.com',
            '2024-01-02 03:04:05', 'Test User', 'test@example.com');
        INSERT INTO events (event, change_id, change, project, note, committed_at, committer_name, committer_email,
            planned_at, planner_name, planner_email)
            VALUES ('deploy', '\(id)', 'users', 'flipr', 'Users.', '2024-01-03 00:00:00', 'Old User', 'old@example.com',
            '2024-01-02 03:04:05', 'Test User', 'test@example.com');

        """
}()

let deployScenarios: [ParityScenario] = [
    // deploy
    ParityScenario("deploy: everything, then up-to-date", files: base, steps: [step(["deploy"]), step(["deploy"])]),
    ParityScenario("deploy: --to, then the rest", files: base, steps: [
        step(["deploy", "--to", "widgets"]), step(["deploy", "--to", "widgets"]), step(["deploy"]),
    ]),
    ParityScenario("deploy: change as an argument, tag references", files: base, steps: [
        step(["deploy", "@v1.0"]), step(["deploy", "gadgets^"]), step(["deploy", "--to-change", "@HEAD"]),
    ]),
    ParityScenario("deploy: unknown and earlier changes", files: base, steps: [
        step(["deploy", "--to", "nope"]), step(["deploy"]), step(["deploy", "--to", "users"]),
    ]),
    ParityScenario("deploy: too many changes", files: base, steps: [step(["deploy", "users", "widgets"])]),
    ParityScenario("deploy: target by URI, by name and by option", files: project([
        "sqitch.conf": base["sqitch.conf"]! + "[target \"prod\"]\n\turi = db:sqlite:prod.db\n",
    ]), steps: [
        step(["deploy", "db:sqlite:uri.db", "--to", "users"]), step(["deploy", "prod"]),
        step(["deploy", "--target", "db:sqlite:opt.db"]), step(["deploy", "-t", "prod"]),
    ]),
    ParityScenario("deploy: --registry, --db-name, --client", files: base, steps: [
        step(["deploy", "--registry", "reg", "--to", "users"]), step(["deploy", "--db-name", "other.db"]),
        step(["deploy", "--client", "sqlite3", "--registry", "reg"]),
    ]),
    ParityScenario("deploy: a missing client", files: base, steps: [step(["deploy", "--client", "no-such-sqlite3"])]),
    ParityScenario("deploy: --log-only, --set, --lock-timeout", files: base, steps: [
        step(["deploy", "--log-only", "--to", "widgets"]),
        step(["deploy", "-s", "foo=bar", "--set", "baz=1", "--lock-timeout", "5"]),
    ]),
    ParityScenario("deploy: --plan-file and --top-dir", files: project([
        "alt/sqitch.plan": base["legacy.plan"]!, "alt/deploy/old.sql": base["deploy/old.sql"]!,
    ]), steps: [
        step(["deploy", "--plan-file", "legacy.plan", "db:sqlite:legacy.db"]),
        step(["deploy", "--top-dir", "alt", "db:sqlite:alt.db"]),
    ]),
    ParityScenario("deploy: --verify and deploy.verify", files: project([
        "sqitch.conf": base["sqitch.conf"]! + "[deploy]\n\tverify = true\n",
    ]), steps: [step(["deploy", "--to", "widgets"]), step(["deploy", "--no-verify", "--to", "@v1.1"])]),
    ParityScenario("deploy: a failing verify script", files: project([
        "verify/widgets.sql": "SELECT nope FROM widgets;\n",
    ]), steps: [step(["deploy", "--verify"]), step(["deploy", "--verify", "--to", "users"])]),
    ParityScenario("deploy: a missing verify script", files: project(["verify/widgets.sql": ""]).filter {
        $0.key != "verify/widgets.sql"
    }, steps: [step(["deploy", "--verify"])]),
    ParityScenario("deploy: failure, --mode all", files: broken, steps: [
        step(["deploy", "--to", "users"]), step(["deploy"]),
    ]),
    ParityScenario("deploy: failure, --mode all from nothing", files: broken, steps: [step(["deploy", "--mode", "all"])]),
    ParityScenario("deploy: failure, --mode tag", files: broken, steps: [step(["deploy", "--mode", "tag"])]),
    ParityScenario("deploy: failure, --mode tag without a tag in the run", files: broken, steps: [
        step(["deploy", "--to", "@v1.1"]), step(["deploy", "--mode", "tag"]),
    ]),
    ParityScenario("deploy: failure, --mode change and deploy.mode", files: broken.merging([
        "sqitch.conf": base["sqitch.conf"]! + "[deploy]\n\tmode = change\n",
    ]) { $1 }, steps: [step(["deploy", "--mode", "change", "--to", "@v1.1"]), step(["deploy"])]),
    ParityScenario("deploy: a bad --mode", files: base, steps: [
        ParityStep(["deploy", "--mode", "bogus"], deviations: [
            .exitCode(2), .stderrFirstLine, .replacing(" at /usr/share/perl5/App/Sqitch/Command.pm line 131", with: ""),
        ],
                   reason: "DIFFERENCES: a value of the wrong type prints the first line alone, exit 2"),
    ]),
    ParityScenario("deploy: a missing deploy script", files: project(["deploy/widgets.sql": ""]).filter {
        $0.key != "deploy/widgets.sql"
    }, steps: [
        ParityStep(["deploy"], deviations: [.stderr("Deploy script deploy/widgets.sql does not exist\nReverting all changes\nDeploy failed\n")],
                   reason: missingScriptReason),
    ]),
    ParityScenario("deploy: the conflict is deployed", files: base, steps: [
        step(["deploy", "--plan-file", "legacy.plan"]), step(["deploy"]),
    ]),
    ParityScenario("deploy: a required change of another project", files: withOther, steps: [
        step(["deploy", "--plan-file", "other.plan"]), step(["deploy", "--to", "users"]),
        step(["deploy", "--plan-file", "other.plan"]),
    ]),
    ParityScenario("deploy: an empty plan", files: project([
        "sqitch.plan": "%syntax-version=1.0.0\n%project=flipr\n\n",
    ]), steps: [step(["deploy"])]),
    ParityScenario("deploy: no plan file", files: project([:]).filter { $0.key != "sqitch.plan" },
                   steps: [step(["deploy"])]),
    ParityScenario("deploy: a deployed change missing from the plan", files: base, steps: [
        step(["deploy"]), step(["deploy", "--plan-file", "mismatch.plan"]),
    ]),
    ParityScenario("deploy: the project's URI changed", files: project([
        "mismatch.plan": base["mismatch.plan"]!.replacingOccurrences(of: "%uri=https://example.com/flipr/\n", with: ""),
    ]), steps: [
        step(["deploy", "--to", "users"]), step(["revert", "-y"]), step(["deploy", "--plan-file", "mismatch.plan"]),
    ]),
    ParityScenario("deploy: a reworked change", files: reworked, steps: [
        step(["deploy", "--to", "@v1.1"]), step(["deploy"]), step(["revert", "-y", "--to", "@v1.1"]),
        step(["revert", "-y"]),
    ]),
    ParityScenario("deploy: quiet and verbose", files: base, steps: [
        step(["--quiet", "deploy", "--to", "users"]),
        ParityStep(["-vv", "deploy"], deviations: [.replacing(
            "Deploying changes to db:sqlite:flipr.db\n",
            with: "Deploying changes to db:sqlite:flipr.db\ndebug: Will deploy the following changes:\n"
                + "debug: widgets @v1.0\ndebug: flips\ndebug: gadgets @v1.1\n")],
            reason: "fact sheet §12.5: Sqitch 1.6 lists the changes it will deploy at -vv"),
    ]),

    ParityScenario("deploy: two changes with the same deploy script", files: project([
        "deploy/flips.sql": "CREATE TABLE IF NOT EXISTS same (id INTEGER);\n",
        "deploy/gadgets.sql": "CREATE TABLE IF NOT EXISTS same (id INTEGER);\n",
    ]), steps: [
        ParityStep(["deploy"], deviations: [.replacing(
            "UNIQUE constraint failed: changes.project, changes.script_hash",
            with: "Cannot log change \"gadgets\": The deploy script is not unique")],
            reason: "fact sheet §12.3: Sqitch 1.4+ names the change whose deploy script is not unique"),
    ]),
    ParityScenario("deploy: upgrades an empty pre-1.0 registry", files: project([
        "old.sql": RegistryFixtures.sqlitePreRelease,
    ]), steps: [.setup("sqlite3", ["sqitch.db", ".read old.sql"]), step(["deploy", "--to", "users"])]),
    ParityScenario("deploy: upgrades a pre-1.0 registry with changes", files: project(["old.sql": preReleaseRegistry]),
                   steps: [.setup("sqlite3", ["sqitch.db", ".read old.sql"]), step(["deploy"]), step(["revert", "-y"])]),

    ParityScenario("deploy, revert, rebase: option and argument errors", files: base, steps: [
        step(["deploy", "--bogus"]), step(["deploy", "--lock-timeout", "soon"]), step(["deploy", "nope"]),
        step(["deploy", "-t", "nope"]), step(["revert", "--to"]), step(["revert", "-y", "nope", "other"]),
        step(["rebase", "--onto-change"]), step(["rebase", "-x"]), step(["deploy", "db:sqlite:a.db", "db:sqlite:b.db"]),
    ]),
    ParityScenario("deploy, revert: no project", steps: [step(["deploy"]), step(["revert", "-y"])]),
    ParityScenario("deploy: no database name", files: base, steps: [step(["deploy", "db:sqlite:"])]),

    // revert
    ParityScenario("revert: unattended, the prompt's default", files: base, steps: [step(["deploy"]), step(["revert"])]),
    ParityScenario("revert: answered no, then yes", files: base, steps: [
        step(["deploy"]), step(["revert"], input: "n\n"), step(["revert", "--to", "users"], input: "no\n"),
        step(["revert", "--to", "@v1.0"], input: "y\n"), step(["revert"], input: "maybe\nYES\n"),
    ]),
    ParityScenario("revert: three wrong answers", files: base, steps: [
        step(["deploy"]), step(["revert"], input: "a\nb\nc\n"),
    ]),
    ParityScenario("revert: -y, --to and arguments", files: base, steps: [
        step(["deploy"]), step(["revert", "-y", "--to", "flips"]), step(["revert", "-y", "widgets"]),
        step(["revert", "-y", "users", "widgets"]), step(["revert", "-y"]),
    ]),
    ParityScenario("revert: nothing deployed, unknown and undeployed changes", files: base, steps: [
        step(["revert", "-y"]), step(["deploy", "--to", "users"]), step(["revert", "-y", "--to", "users"]),
        step(["revert", "-y", "--to", "widgets"]), step(["revert", "-y", "--to", "nope"]), step(["revert", "-y"]),
        step(["revert", "-y"]),
    ]),
    ParityScenario("revert: change references against the registry", files: reworked, steps: [
        step(["deploy"]), step(["revert", "-y", "--to", "users"]), step(["revert", "-y", "--to", "@HEAD^"]),
        step(["revert", "-y", "--to", "users@v1.1"]), step(["revert", "-y", "--to", "HEAD~"]),
        step(["revert", "-y", "--to", "@v1.0^"]), step(["deploy"]), step(["revert", "-y", "--to", "users@HEAD^^"]),
        step(["revert", "-y", "--to", "@ROOT"]), step(["revert", "-y", "--to", "users@ROOT"]),
    ]),
    ParityScenario("revert: no registry", files: base, steps: [step(["revert", "-y"]), step(["revert"])]),
    ParityScenario("revert: revert.no_prompt and revert.prompt_accept", files: project([
        "sqitch.conf": base["sqitch.conf"]! + "[revert]\n\tprompt_accept = false\n",
    ]), steps: [
        step(["deploy"]), step(["revert"]), step(["revert"], input: "y\n"), step(["deploy"]),
        step(["revert", "-y", "--to", "users"]),
    ]),
    ParityScenario("revert: revert.no_prompt", files: project([
        "sqitch.conf": base["sqitch.conf"]! + "[revert]\n\tno_prompt = 1\n",
    ]), steps: [step(["deploy"]), step(["revert", "--to", "users"])]),
    ParityScenario("revert: a missing revert script", files: project(["revert/widgets.sql": ""]).filter {
        $0.key != "revert/widgets.sql"
    }, steps: [
        step(["deploy", "--to", "widgets"]),
        ParityStep(["revert", "-y"], deviations: [.stderr("Revert script revert/widgets.sql does not exist\n")],
                   reason: missingScriptReason),
    ]),
    ParityScenario("revert: -vv lists the changes", files: base, steps: [
        step(["deploy"]),
        ParityStep(["-vv", "revert", "-y", "--to", "widgets"], deviations: [.replacing(
            "Reverting changes to widgets @v1.0 from db:sqlite:flipr.db\n",
            with: "Reverting changes to widgets @v1.0 from db:sqlite:flipr.db\n"
                + "debug: Will revert the following changes:\ndebug: flips\ndebug: gadgets @@v1.1\n")],
            reason: "fact sheet §12.5: Sqitch 1.6 lists the changes it will revert at -vv (registry tags with a doubled @)"),
        ParityStep(["-vv", "revert"], deviations: [.replacing(
            "Revert all changes from db:sqlite:flipr.db? [Yes] Yes\n",
            with: "debug: Would revert the following changes:\ndebug: users\ndebug: widgets @@v1.0\n"
                + "Revert all changes from db:sqlite:flipr.db? [Yes] Yes\n")],
            reason: "fact sheet §12.5: Sqitch 1.6 lists the changes it would revert at -vv (registry tags with a doubled @)"),
    ]),
    ParityScenario("revert: --log-only", files: base, steps: [step(["deploy"]), step(["revert", "-y", "--log-only"])]),
    ParityScenario("revert: a failing revert script", files: project(["revert/widgets.sql": "DROP TABLE nope;\n"]),
                   steps: [step(["deploy"]), step(["revert", "-y"])]),
    ParityScenario("revert: required by another project", files: withOther, steps: [
        step(["deploy", "--to", "users"]), step(["deploy", "--plan-file", "other.plan"]), step(["revert", "-y"]),
    ]),
    ParityScenario("revert: --modified", files: project([
        "sqitch.conf": base["sqitch.conf"]! + "[target \"alt\"]\n\turi = db:sqlite:flipr.db\n\tdeploy_dir = alt\n",
        "alt/users.sql": base["deploy/users.sql"]!, "alt/widgets.sql": "-- changed\n" + base["deploy/widgets.sql"]!,
        "alt/flips.sql": base["deploy/flips.sql"]!, "alt/gadgets.sql": base["deploy/gadgets.sql"]!,
    ]), steps: [step(["deploy"]), step(["revert", "--modified", "-y", "alt"]), step(["revert", "-m", "-y"])]),
    ParityScenario("revert: --modified with nothing deployed", files: base, steps: [
        step(["deploy", "--to", "users"]), step(["revert", "-y"]),
        ParityStep(["revert", "--modified", "-y"], deviations: [
            .stdout("Nothing to revert (nothing deployed)\n"), .stderr(""), .exitCode(0),
        ], reason: "DIFFERENCES: revert --modified with nothing deployed says so instead of dying on a Perl error"),
    ]),
    ParityScenario("revert: revert.strict", files: project([
        "sqitch.conf": base["sqitch.conf"]! + "[revert]\n\tstrict = 1\n",
    ]), steps: [
        // Before any registry exists, so that Sqitch 1.3.1 (no strict mode) writes nothing.
        ParityStep(["revert", "-y"], deviations: [
            .stdout("Must specify a target revision in strict mode\n"), .stderr(""), .exitCode(1),
        ],
                   reason: strictReason),
        ParityStep(["revert", "-y", "users", "widgets"], deviations: [.stderr("Too many changes specified\n"), .exitCode(2)],
                   reason: strictReason),
        step(["deploy"]), step(["revert", "-y", "users"]),
    ]),

    // rebase
    ParityScenario("rebase: -y --onto, then everything", files: base, steps: [
        step(["deploy"]), step(["rebase", "-y", "--onto", "users"]), step(["rebase", "-y"]),
    ]),
    ParityScenario("rebase: onto and upto as arguments", files: base, steps: [
        step(["deploy"]), step(["rebase", "-y", "users", "@v1.0"]), step(["rebase", "-y", "--upto", "flips", "widgets"]),
        step(["rebase", "-y", "users", "widgets", "flips"]),
    ]),
    ParityScenario("rebase: prompts", files: base, steps: [
        step(["deploy"]), step(["rebase"]), step(["rebase"], input: "n\n"), step(["rebase", "--onto", "users"], input: "n\n"),
    ]),
    ParityScenario("rebase: nothing deployed", files: base, steps: [step(["rebase", "-y"])]),
    ParityScenario("rebase: --log-only, --verify, --mode, variables", files: broken, steps: [
        step(["deploy", "--to", "@v1.1"]),
        step(["rebase", "-y", "--log-only", "--onto", "users", "--upto", "@v1.1", "-s", "a=b", "-e", "c=d", "-r", "e=f"]),
        step(["rebase", "-y", "--verify", "--mode", "tag", "--onto", "@v1.0"]),
    ]),
    ParityScenario("rebase: --modified", files: project([
        "sqitch.conf": base["sqitch.conf"]! + "[target \"alt\"]\n\turi = db:sqlite:flipr.db\n\tdeploy_dir = alt\n",
        "alt/users.sql": base["deploy/users.sql"]!, "alt/widgets.sql": base["deploy/widgets.sql"]!,
        "alt/flips.sql": "-- changed\n" + base["deploy/flips.sql"]!, "alt/gadgets.sql": base["deploy/gadgets.sql"]!,
    ]), steps: [step(["deploy"]), step(["rebase", "--modified", "-y", "alt"])]),
    // With an empty plan and no registry, Sqitch 1.3.1 (no strict mode) stops before writing.
    ParityScenario("rebase: rebase.strict", files: project([
        "sqitch.conf": base["sqitch.conf"]! + "[rebase]\n\tstrict = true\n",
        "sqitch.plan": "%syntax-version=1.0.0\n%project=flipr\n\n",
    ]), steps: [
        step(["deploy"]),
        ParityStep(["rebase", "-y"], deviations: [
            .stdout(""), .exitCode(2),
            .stderr("\"rebase\" cannot be used in strict mode.\\nUse explicity revert and deploy commands instead.\n"),
        ], reason: strictReason),
    ]),

    // Interoperability: the same database worked on by both programs.
    ParityScenario("interop: deployed by sqitch, extended and reverted by sqlitch", files: reworked, steps: [
        bySqitch(["deploy", "--to", "widgets"]), step(["deploy", "--to", "@v1.1"]), step(["deploy"]),
        step(["revert", "-y", "--to", "@v1.0"]), bySqitch(["deploy"]), step(["revert", "-y"]),
    ]),
    ParityScenario("interop: deployed by sqlitch, reverted by sqitch", files: reworked, steps: [
        step(["deploy"]), bySqitch(["revert", "-y", "--to", "flips"]), step(["deploy", "--to", "@v1.1"]),
        bySqitch(["deploy"]), bySqitch(["revert", "-y"]), step(["deploy", "--mode", "tag"]),
    ]),
    ParityScenario("interop: late tags recorded by either", files: project([
        "tagged.plan": base["sqitch.plan"]! + "@v1.2 2024-01-02T03:12:05Z Test User <test@example.com> # Late.\n",
    ]), steps: [bySqitch(["deploy"]), step(["deploy", "-f", "tagged.plan"]), bySqitch(["revert", "-y", "-f", "tagged.plan"])]),
]

@Suite("Parity with sqitch: deploy, revert, rebase", .enabled(if: ParityHarness.shouldRun))
struct DeployParityTests {
    @Test(arguments: deployScenarios)
    func scenario(_ scenario: ParityScenario) async throws {
        try await expectParity(scenario)
    }
}
