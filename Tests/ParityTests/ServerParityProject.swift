import Foundation
import SqlitchTestSupport

/// The plan of the tutorial-sized project the deploy parity scenarios use, on every engine.
let fliprParityPlan = """
    %syntax-version=1.0.0
    %project=flipr
    %uri=https://example.com/flipr/

    users 2024-01-02T03:04:05Z Test User <test@example.com> # Users.
    widgets [users] 2024-01-02T03:05:05Z Test User <test@example.com> # Widgets.
    @v1.0 2024-01-02T03:06:05Z Test User <test@example.com> # Tag v1.0.
    flips [users widgets] 2024-01-02T03:07:05Z Test User <test@example.com> # Flips.
    gadgets [!legacy:old] 2024-01-02T03:08:05Z Test User <test@example.com> # Gadgets.
    @v1.1 2024-01-02T03:09:05Z Test User <test@example.com> # Tag v1.1.

    """

/// Another project, whose `old` change `gadgets` conflicts with.
let legacyParityPlan = """
    %syntax-version=1.0.0
    %project=legacy

    old 2024-01-02T03:04:05Z Test User <test@example.com> # Old.

    """

/// The tutorial-sized project the server engines' parity scenarios deploy: `users`,
/// `widgets [users] @v1.0`, `flips [users widgets]`, `gadgets [!legacy:old] @v1.1`, and
/// `legacy.plan`, another project. `conf` is the `sqitch.conf`; `nameType` the type of the
/// `name` keys (MySQL cannot index `TEXT`); `usersDeploy` the first change's script.
func serverParityProject(conf: String, nameType: String, usersDeploy: String) -> [String: String] {
    [
        "sqitch.conf": conf,
        "sqitch.plan": fliprParityPlan,
        "legacy.plan": legacyParityPlan,
        "deploy/users.sql": usersDeploy,
        "revert/users.sql": "DROP TABLE users;\n",
        "verify/users.sql": "SELECT name FROM users WHERE FALSE;\n",
        "deploy/widgets.sql": "CREATE TABLE widgets (name \(nameType) REFERENCES users(name));\n",
        "revert/widgets.sql": "DROP TABLE widgets;\n",
        "verify/widgets.sql": "SELECT name FROM widgets WHERE FALSE;\n",
        "deploy/flips.sql": "CREATE TABLE flips (id SERIAL PRIMARY KEY, body TEXT);\nINSERT INTO flips (body) VALUES ('it''s');\n",
        "revert/flips.sql": "DROP TABLE flips;\n",
        "verify/flips.sql": "SELECT id FROM flips WHERE FALSE;\n",
        "deploy/gadgets.sql": "CREATE TABLE gadgets (id INTEGER);\n",
        "revert/gadgets.sql": "DROP TABLE gadgets;\n",
        "verify/gadgets.sql": "SELECT id FROM gadgets WHERE FALSE;\n",
        "deploy/old.sql": "CREATE TABLE old (id INTEGER);\n",
        "revert/old.sql": "DROP TABLE old;\n",
        "verify/old.sql": "SELECT id FROM old WHERE FALSE;\n",
    ]
}

/// The same project with `changes` replacing or adding files.
func serverParityProject(_ base: [String: String], _ changes: [String: String]) -> [String: String] {
    base.merging(changes) { $1 }
}

/// The project with a reworked `users` after `@v1.1`.
func reworkedServerParityProject(_ base: [String: String]) -> [String: String] {
    serverParityProject(base, [
        "sqitch.plan": base["sqitch.plan"]!
            + "users [users@v1.1] 2024-01-02T03:11:05Z Test User <test@example.com> # Users, reworked.\n",
        "deploy/users@v1.1.sql": base["deploy/users.sql"]!,
        "revert/users@v1.1.sql": base["revert/users.sql"]!,
        "verify/users@v1.1.sql": base["verify/users.sql"]!,
        "deploy/users.sql": "ALTER TABLE users ADD COLUMN email TEXT;\n",
        "revert/users.sql": "ALTER TABLE users DROP COLUMN email;\n",
        "verify/users.sql": "SELECT email FROM users WHERE FALSE;\n",
    ])
}

/// Why only the first line of an error is compared where Sqitch adds a Perl stack trace.
let serverStackTraceReason =
    "DIFFERENCES: an error raised deep inside a command prints its message line alone, without Perl's stack trace"
/// Why a missing script is reported before it runs.
let serverMissingScriptReason =
    "fact sheet §12.2: Sqitch 1.5+ checks that the deploy/revert script exists before running it"
