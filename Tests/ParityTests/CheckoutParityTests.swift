import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `checkout`, run with both `sqitch` and `sqlitch` in a Git repository the scenario makes
/// (fixed author and dates, so both runs make the same commits): two branches whose plans
/// share `users` and `widgets`, then diverge.
private let gitEnvironment = [
    "GIT_AUTHOR_NAME": "Marge N. O'Vera", "GIT_AUTHOR_EMAIL": "marge@example.com",
    "GIT_COMMITTER_NAME": "Marge N. O'Vera", "GIT_COMMITTER_EMAIL": "marge@example.com",
    "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
]

private let head = """
    %syntax-version=1.0.0
    %project=flipr

    users 2026-01-02T03:04:05Z Marge N. O'Vera <marge@example.com> # Users.
    widgets [users] 2026-01-02T03:05:05Z Marge N. O'Vera <marge@example.com> # Widgets.

    """

private var project: [String: String] {
    var files = [
        "sqitch.conf": "[core]\n\tengine = sqlite\n",
        "sqitch.plan": head + "flips [widgets] 2026-01-02T03:06:05Z Marge N. O'Vera <marge@example.com> # Flips.\n",
        "feature.plan": head + "gadgets [widgets] 2026-01-02T03:07:05Z Marge N. O'Vera <marge@example.com> # Gadgets.\n",
        "other.plan": "%syntax-version=1.0.0\n%project=flipr\n\n"
            + "lonely 2026-01-02T03:08:05Z Marge N. O'Vera <marge@example.com> # Alone.\n",
    ]
    for name in ["users", "widgets", "flips", "gadgets", "lonely"] {
        files["deploy/\(name).sql"] = "CREATE TABLE \(name) (id INTEGER);\n"
        files["revert/\(name).sql"] = "DROP TABLE \(name);\n"
        files["verify/\(name).sql"] = "SELECT id FROM \(name) WHERE 0;\n"
    }
    return files
}

/// Commits the project on `main`, then a `feature` branch whose plan is feature.plan and an
/// `other` branch whose plan shares nothing; ends on `main`.
private let makeRepository = ParityStep.setup("sh", ["-c", """
    git -c init.defaultBranch=main init -q . && git add -A && git commit -qm main &&
    git checkout -qb feature && cp feature.plan sqitch.plan && git commit -qam feature &&
    git checkout -q main && git checkout -qb other && cp other.plan sqitch.plan && git commit -qam other &&
    git checkout -q main
    """])

private func step(_ arguments: [String], input: String? = nil) -> ParityStep { ParityStep(arguments, input: input) }

let checkoutScenarios: [ParityScenario] = [
    ParityScenario("checkout: back and forth between diverging branches", files: project, steps: [
        makeRepository,
        step(["deploy", "db:sqlite:flipr.db"]),
        step(["checkout", "-y", "feature", "db:sqlite:flipr.db"]),
        step(["status", "db:sqlite:flipr.db"]),
        step(["checkout", "feature", "db:sqlite:flipr.db"]),
        step(["checkout", "main", "db:sqlite:flipr.db", "--verify", "-y"]),
        step(["log", "db:sqlite:flipr.db", "--format", "oneline", "--abbrev", "0"]),
    ], presenceOnly: ["*.db", "index"], environment: gitEnvironment),
    ParityScenario("checkout: prompts answered and declined", files: project, steps: [
        makeRepository,
        step(["deploy", "db:sqlite:flipr.db"]),
        step(["checkout", "feature", "db:sqlite:flipr.db"], input: "n\n"),
        step(["checkout", "feature", "db:sqlite:flipr.db"], input: "y\n"),
        step(["config", "checkout.no_prompt", "true"]),
        step(["checkout", "main", "db:sqlite:flipr.db"]),
    ], presenceOnly: ["*.db", "index"], environment: gitEnvironment),
    ParityScenario("checkout: branches it cannot use", files: project, steps: [
        makeRepository,
        step(["deploy", "db:sqlite:flipr.db"]),
        step(["checkout", "-y", "other", "db:sqlite:flipr.db"]),
        step(["checkout", "-y", "nope", "db:sqlite:flipr.db"]),
        step(["checkout", "db:sqlite:flipr.db"]),
    ], presenceOnly: ["*.db", "index"], environment: gitEnvironment),
    // Outside a repository, so that Sqitch 1.3.1 (no strict mode) fails before writing too.
    ParityScenario("checkout: checkout.strict", files: project.merging([
        "sqitch.conf": "[core]\n\tengine = sqlite\n[checkout]\n\tstrict = true\n",
    ]) { $1 }, steps: [
        ParityStep(["checkout", "-y", "feature", "db:sqlite:flipr.db"], deviations: [
            .stdout(""), .exitCode(2),
            .stderr("\"checkout\" cannot be used in strict mode.\\nUse explicity revert and deploy commands instead.\n"),
        ], reason: "fact sheet §12.4: checkout.strict arrived in Sqitch 1.4"),
    ], environment: gitEnvironment),
    ParityScenario("checkout: outside a Git repository", files: project, steps: [
        step(["checkout", "-y", "feature", "db:sqlite:flipr.db"]),
    ], environment: gitEnvironment),
]

/// The same back and forth on the server engines. Each run has its own database, so the
/// configuration naming it stays out of Git (the commits must be the same in both runs).
private func serverProject(_ conf: String) -> [String: String] {
    var files = project
    files["sqitch.conf"] = conf
    files[".gitignore"] = "sqitch.conf\n"
    return files
}

let serverCheckoutScenarios: [ParityScenario] = [
    ParityScenario("checkout on PostgreSQL", files: serverProject("[core]\n\tengine = pg\n[engine \"pg\"]\n\ttarget = @PGURI@\n"),
                   steps: [
                       makeRepository, step(["deploy"]), step(["checkout", "-y", "feature"]),
                       step(["checkout", "main", "--mode", "change"], input: "y\n"), step(["status"]),
                   ], presenceOnly: ["*.db", "index"], environment: gitEnvironment, postgres: true),
    ParityScenario("checkout on MySQL", files: serverProject(
        "[core]\n\tengine = mysql\n[engine \"mysql\"]\n\ttarget = @MYURI@\n\tregistry = @MYREG@\n"),
                   steps: [
                       makeRepository, step(["deploy"]), step(["checkout", "-y", "feature"]),
                       step(["checkout", "main", "--mode", "change"], input: "y\n"), step(["status"]),
                   ], presenceOnly: ["*.db", "index"], environment: gitEnvironment, mysql: true),
]

@Suite("Parity with sqitch: checkout", .enabled(if: ParityHarness.shouldRun))
struct CheckoutParityTests {
    @Test(arguments: checkoutScenarios)
    func scenario(_ scenario: ParityScenario) async throws { try await expectParity(scenario) }
}

@Suite("Parity with sqitch: checkout on PostgreSQL and MySQL",
       .enabled(if: ParityHarness.shouldRun && PostgresServer.shouldRun && MySQLServer.shouldRun))
struct ServerCheckoutParityTests {
    @Test(arguments: serverCheckoutScenarios)
    func scenario(_ scenario: ParityScenario) async throws { try await expectParity(scenario) }
}
