import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// A three-change project (`users`, `widgets @v1.0`, `gadgets`) with scripts that work.
func makeVerifyProject(_ context: TestContext) throws {
    let directory = context.directory
    try directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:flipr.db\n")
    try directory.write("sqitch.plan", """
        %syntax-version=1.0.0
        %project=flipr

        users 2024-01-02T03:04:05Z Test User <test@example.com> # u
        widgets 2024-01-02T03:04:06Z Test User <test@example.com> # w
        @v1.0 2024-01-02T03:04:07Z Test User <test@example.com> # t

        gadgets 2024-01-02T03:04:08Z Test User <test@example.com> # g

        """)
    for name in ["users", "widgets", "gadgets"] {
        try directory.write("deploy/\(name).sql", "CREATE TABLE \(name) (id INT);\n")
        try directory.write("revert/\(name).sql", "DROP TABLE \(name);\n")
        try directory.write("verify/\(name).sql", "SELECT id FROM \(name) WHERE 0;\n")
    }
}

/// Creates the registry and records the first `count` planned changes as deployed (running
/// their deploy scripts), as `sqitch deploy` would leave them.
func recordDeployed(_ engine: SQLiteEngine, count: Int, hash: ((Change) -> String?)? = nil) throws {
    try engine.createRegistry()
    let connection = try engine.registryConnection()
    try Registry.recordRelease(.current, installerName: "Test User", installerEmail: "test@example.com",
                               connection: connection, dialect: engine.dialect)
    let plan = try Plan.load(path: engine.target.planFile, sqitch: engine.sqitch)
    try connection.run("INSERT INTO projects (project, uri, creator_name, creator_email) VALUES (?, NULL, ?, ?)",
                       ["flipr", "Test User", "test@example.com"])
    let session = EngineSession(sqitch: engine.sqitch, target: engine.target, engine: engine)
    for (index, change) in plan.changes.prefix(count).enumerated() {
        try SpawnRunner().run(try engine.scriptCommand(path: "deploy/\(change.name).sql"), sqitch: engine.sqitch)
        let committed = "2025-01-01 00:00:0\(index).000"
        let planned = engine.dialect.timestampParameter(change.timestamp)
        try connection.run("""
            INSERT INTO changes (change_id, script_hash, change, project, note, committed_at, committer_name,
                                 committer_email, planned_at, planner_name, planner_email)
            VALUES (?, ?, ?, 'flipr', ?, ?, 'Test User', 'test@example.com', ?, ?, ?)
            """, [.text(change.id), .optional(hash?(change) ?? session.scriptHash(of: change)), .text(change.name),
                  .text(change.note), .text(committed), .text(planned), .text(change.plannerName),
                  .text(change.plannerEmail)])
        for tag in change.tags {
            try connection.run("""
                INSERT INTO tags (tag_id, tag, project, change_id, note, committed_at, committer_name,
                                  committer_email, planned_at, planner_name, planner_email)
                VALUES (?, ?, 'flipr', ?, ?, ?, 'Test User', 'test@example.com', ?, ?, ?)
                """, [.text(tag.id), .text(tag.formatName), .text(change.id), .text(tag.note), .text(committed),
                      .text(engine.dialect.timestampParameter(tag.timestamp)), .text(tag.plannerName),
                      .text(tag.plannerEmail)])
        }
    }
}

/// A verification over a fresh session on `engine`.
func verification(_ engine: SQLiteEngine) -> Verification {
    Verification(session: EngineSession(sqitch: engine.sqitch, target: engine.target, engine: engine))
}

@Suite struct VerificationTests {
    func setUp(deployed count: Int, hash: ((Change) -> String?)? = nil) throws -> (TestContext, SQLiteEngine) {
        let context = try processContext()
        try makeVerifyProject(context)
        let sqitch = try context.sqitch()
        let engine = SQLiteEngine(sqitch: sqitch, target: try Target(sqitch: sqitch))
        if count >= 0 { try recordDeployed(engine, count: count, hash: hash) }
        return (context, engine)
    }

    // Expected texts below are sqitch 1.3.1's output on the same project and registry.

    @Test func verifySuccessListsUndeployedChanges() throws {
        let (context, engine) = try setUp(deployed: 2)
        try verification(engine).verify(from: nil, to: nil)
        #expect(context.out.text == """
            Verifying db:sqlite:flipr.db
              * users .......... ok
              * widgets @v1.0 .. ok
            Undeployed change:
              * gadgets
            Verify successful

            """)
        #expect(context.err.text == "")
    }

    @Test func verifyFailureSummary() throws {
        let (context, engine) = try setUp(deployed: 2)
        try context.directory.write("verify/users.sql", "SELECT nope FROM users;\n")
        try FileManager.default.removeItem(atPath: context.directory.path + "/verify/widgets.sql")
        let error = #expect(throws: EngineError.self) {
            try verification(engine).verify(from: nil, to: nil)
        }
        #expect(error == EngineError("Verify failed"))
        #expect(context.out.text == """
            Verifying db:sqlite:flipr.db
              * users .......... # Verify script "verify/users.sql" failed.
            not ok
              * widgets @v1.0 .. ok
            Undeployed change:
              * gadgets

            Verify Summary Report
            ---------------------
            Changes: 2
            Errors:  1

            """)
        #expect(context.err.text == "Verify script verify/widgets.sql does not exist\n")
    }

    @Test func verifyRange() throws {
        let (context, engine) = try setUp(deployed: 3)
        try verification(engine).verify(from: "widgets", to: "widgets")
        #expect(context.out.text == "Verifying db:sqlite:flipr.db\n  * widgets @v1.0 .. ok\nVerify successful\n")
    }

    @Test func verifyRangeErrors() throws {
        let (context, engine) = try setUp(deployed: 2)
        let verification = verification(engine)
        #expect(throws: EngineError("Change \"gadgets\" has not been deployed")) {
            try verification.verify(from: "gadgets", to: nil)
        }
        #expect(throws: EngineError("Cannot find \"nope\" in the database or the plan")) {
            try verification.verify(from: nil, to: "nope")
        }
        #expect(context.err.text == "")
    }

    @Test func verifyChangesMissingFromThePlan() throws {
        let (context, engine) = try setUp(deployed: 3)
        // Without widgets, gadgets gets another ID: both deployed ones are not in the plan.
        let plan = try #require(context.directory.read("sqitch.plan"))
        try context.directory.write("sqitch.plan", plan.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("widgets") }.joined(separator: "\n"))
        try FileManager.default.removeItem(atPath: context.directory.path + "/verify/widgets.sql")
        #expect(throws: EngineError("Verify failed")) {
            try verification(engine).verify(from: nil, to: nil)
        }
        #expect(context.out.text == """
            Verifying db:sqlite:flipr.db
              * users .......... ok
              * widgets @v1.0 .. # Not present in the plan
            not ok
              * gadgets ........ # Not present in the plan
            not ok
              * gadgets ........ not ok # Not deployed

            Verify Summary Report
            ---------------------
            Changes: 3
            Errors:  3

            """)
        #expect(context.err.text == "Verify script verify/widgets.sql does not exist\n")
    }

    @Test func nothingDeployed() throws {
        let (context, engine) = try setUp(deployed: 0)
        try verification(engine).verify(from: nil, to: nil)
        try verification(engine).check(from: nil, to: nil)
        #expect(context.out.text
            == "Verifying db:sqlite:flipr.db\nNo changes deployed\nChecking db:sqlite:flipr.db\nNo changes deployed\n")
    }

    @Test func registryMustExist() throws {
        let (context, engine) = try setUp(deployed: -1)
        #expect(throws: EngineError("No registry found in db:sqlite:sqitch.db. Have you ever deployed?")) {
            try verification(engine).verify(from: nil, to: nil)
        }
        #expect(throws: EngineError("No registry found in db:sqlite:sqitch.db. Have you ever deployed?")) {
            try verification(engine).check(from: nil, to: nil)
        }
        #expect(context.out.text == "")
    }

    @Test func checkSuccessAndDivergence() throws {
        let (context, engine) = try setUp(deployed: 2)
        try verification(engine).check(from: nil, to: nil)
        #expect(context.out.text == "Checking db:sqlite:flipr.db\nCheck successful\n")

        try context.directory.write("deploy/widgets.sql", "CREATE TABLE widgets (id INT, name TEXT);\n")
        let error = #expect(throws: EngineError.self) {
            try verification(engine).check(from: nil, to: nil)
        }
        #expect(error == EngineError("Failed one check", exitCode: 1))
        #expect(context.out.text.hasSuffix("Checking db:sqlite:flipr.db\nScript signatures diverge at change widgets @v1.0\n"))
    }

    @Test func checkFromSkipsEarlierChanges() throws {
        let (context, engine) = try setUp(deployed: 3) { $0.name == "users" ? "0000" : nil }
        let error = #expect(throws: EngineError.self) {
            try verification(engine).check(from: nil, to: nil)
        }
        #expect(error?.exitCode == 1)
        #expect(context.out.text.hasSuffix("Script signatures diverge at change users\n"))
        // From widgets on, deployed and planned changes line up again.
        try verification(engine).check(from: "widgets", to: nil)
        #expect(context.out.text.hasSuffix("Checking db:sqlite:flipr.db\nCheck successful\n"))
    }

    @Test func loadChangesGivesOlderReworkedInstancesTheirTags() throws {
        let context = try processContext()
        try makeVerifyProject(context)
        let plan = try Plan.load(path: context.directory.path + "/sqitch.plan", sqitch: try context.sqitch())
        let sqitch = try context.sqitch()
        let verification = verification(SQLiteEngine(sqitch: sqitch, target: try Target(sqitch: sqitch)))
        func row(_ id: String, _ name: String, _ tags: [String]) -> DeployedChange {
            DeployedChange(id: id, name: name, project: "flipr", note: "", tags: tags, scriptHash: nil,
                           plannedAt: Date(timeIntervalSince1970: 0), plannerName: "", plannerEmail: "")
        }
        let rows = [row("a", "users", []), row("b", "widgets", ["@v1.0"]), row("c", "users", [])]
        let loaded = try verification.loadChanges(rows, plan: plan)
        #expect(loaded.map(\.reworkTags) == [["@v1.0"], [], []])
        #expect(verification.verifyFile(loaded[0]) == "verify/users@v1.0.sql")
        #expect(verification.verifyFile(loaded[2]) == "verify/users.sql")
    }
}
