import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `bundle`, run with both `sqitch` and `sqlitch`: the files written, the output, and a deploy
/// from the bundle afterwards (see ParityTests.swift for how scenarios are written).
private let fixture = "projects/authoring"
private let targetsFixture = "projects/authoring-targets"

/// A project with a reworked change: `users` was tagged `@v1.0`, then reworked.
private let reworked: [String: String] = [
    "sqitch.conf": "[core]\n\tengine = sqlite\n",
    "sqitch.plan": """
        %syntax-version=1.0.0
        %project=flipr
        %uri=https://example.com/flipr

        users 2026-01-02T03:04:05Z Marge N. O'Vera <marge@example.com> # Users table.
        widgets [users] 2026-01-02T03:05:05Z Marge N. O'Vera <marge@example.com> # Widgets.
        @v1.0 2026-01-02T03:06:05Z Marge N. O'Vera <marge@example.com> # First release.

        flips [widgets] 2026-01-02T03:07:05Z Marge N. O'Vera <marge@example.com> # Flips.
        users [users@v1.0] 2026-01-02T03:08:05Z Marge N. O'Vera <marge@example.com> # Users, again.
        @v2.0 2026-01-02T03:09:05Z Marge N. O'Vera <marge@example.com> # Second release.

        """,
    "deploy/users.sql": "CREATE TABLE users (name TEXT, nick TEXT);\n",
    "deploy/users@v1.0.sql": "CREATE TABLE users (name TEXT);\n",
    "revert/users.sql": "CREATE TABLE users_new (name TEXT);\nDROP TABLE users;\nALTER TABLE users_new RENAME TO users;\n",
    "revert/users@v1.0.sql": "DROP TABLE users;\n",
    "verify/users.sql": "SELECT nick FROM users WHERE 0;\n",
    "verify/users@v1.0.sql": "SELECT name FROM users WHERE 0;\n",
    "deploy/widgets.sql": "CREATE TABLE widgets (id INTEGER);\n",
    "revert/widgets.sql": "DROP TABLE widgets;\n",
    "verify/widgets.sql": "SELECT id FROM widgets WHERE 0;\n",
    // No verify script for flips: nothing to copy.
    "deploy/flips.sql": "CREATE TABLE flips (id INTEGER);\n",
    "revert/flips.sql": "DROP TABLE flips;\n",
    "notes.txt": "Not part of any change.\n",
]

private func step(_ arguments: [String]) -> ParityStep { ParityStep(arguments) }

let bundleScenarios: [ParityScenario] = [
    ParityScenario("bundle: a whole project, then again (nothing newer to copy)", fixture: fixture, steps: [
        step(["bundle"]), step(["bundle", "-vv"]),
    ]),
    ParityScenario("bundle: reworked changes, deployed from the bundle", files: reworked, steps: [
        step(["bundle"]),
        step(["-C", "bundle", "deploy", "db:sqlite:flipr.db"]),
        step(["-C", "bundle", "verify", "db:sqlite:flipr.db"]),
        step(["-C", "bundle", "status", "db:sqlite:flipr.db"]),
        step(["-C", "bundle", "revert", "-y", "--to", "@v1.0", "db:sqlite:flipr.db"]),
    ]),
    ParityScenario("bundle: a tag range, deployed from the bundle", files: reworked, steps: [
        step(["bundle", "--from", "widgets", "--to", "@v1.0", "--dest-dir", "range"]),
        step(["-C", "range", "deploy", "db:sqlite:flipr.db"]),
        step(["bundle", "--dir", "tail", "--from", "flips"]),
        step(["bundle", "--dir", "head", "--to", "@v1.0"]),
        step(["bundle", "--dir", "args", "widgets", "flips"]),
        step(["bundle", "--dir", "backwards", "--from", "flips", "--to", "widgets"]),
    ]),
    ParityScenario("bundle: changes it cannot find", files: reworked, steps: [
        step(["bundle", "--from", "nope"]),
        step(["bundle", "--dir", "b2", "--to", "@v3.0"]),
        step(["bundle", "--dir", "b3", "users", "@v2.0"]),
        step(["bundle", "--dir", "b4", "--from", "widgets", "users"]),
        step(["bundle", "--dir", "b5", "nope"]),
    ]),
    ParityScenario("bundle: the destination from the configuration", fixture: fixture, steps: [
        step(["config", "bundle.dest_dir", "dist/flipr/"]), step(["bundle"]),
        step(["bundle", "--dest-dir", "other"]),
    ]),
    ParityScenario("bundle: several targets and plans", fixture: targetsFixture, steps: [
        step(["bundle", "--all"]),
        step(["bundle", "--dir", "two", "dev", "prod"]),
        step(["bundle", "--dir", "warned", "dev", "prod", "--to", "users"]),
        step(["bundle", "--dir", "both", "--all", "dev"]),
        step(["config", "bundle.all", "true"]), step(["bundle", "--dir", "configured"]),
    ]),
    ParityScenario("bundle: a destination that cannot be made", files: reworked.merging(["blocked": "a file\n"]) { $1 },
                   steps: [step(["bundle", "--dir", "blocked/x"])]),
    ParityScenario("bundle: a missing plan", files: ["sqitch.conf": "[core]\n\tengine = sqlite\n"], steps: [
        step(["bundle"]),
    ]),
]

@Suite("Parity with sqitch: bundle", .enabled(if: ParityHarness.shouldRun))
struct BundleParityTests {
    @Test(arguments: bundleScenarios)
    func scenario(_ scenario: ParityScenario) async throws { try await expectParity(scenario) }
}
