import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The registry read queries `verify` and `check` use, on a registry holding
/// `users`, `widgets @v1.0`, `gadgets` (deployed in that order).
@Suite struct RegistryChangesTests {
    func setUp() throws -> (TestContext, SQLiteEngine, Plan, Registry) {
        let context = try processContext()
        try makeVerifyProject(context)
        let sqitch = try context.sqitch()
        let engine = SQLiteEngine(sqitch: sqitch, target: try Target(sqitch: sqitch))
        try recordDeployed(engine, count: 3)
        let plan = try Plan.load(path: "sqitch.plan", sqitch: sqitch)
        let queries = Registry(connection: try engine.registry(), dialect: engine.dialect, project: "flipr")
        return (context, engine, plan, queries)
    }

    @Test func deployedChangesInDeployOrder() throws {
        let (context, _, plan, queries) = try setUp()
        let rows = try queries.deployedChanges()
        #expect(rows.map(\.id) == plan.changes.map(\.id))
        #expect(rows.map(\.formatNameWithTags) == ["users", "widgets @v1.0", "gadgets"])
        #expect(rows[0].scriptHash == PlanIDs.sha1(Data("CREATE TABLE users (id INT);\n".utf8)))
        #expect(rows[0].plannedAt == plan.changes[0].timestamp)
        #expect(rows[1].note == "w")
        #expect(try queries.changeID(latest: true) == plan.changes[2].id)
        #expect(try queries.deployedChanges(project: "other").isEmpty)
        #expect(try queries.isInitialized())
        _ = context
    }

    @Test(arguments: [
        ("users", 0), ("widgets", 1), ("gadgets", 2), ("widgets@v1.0", 1), ("users@v1.0", 0), ("@v1.0", 1),
        ("HEAD", 2), ("@HEAD", 2), ("ROOT", 0), ("@ROOT", 0), ("users@HEAD", 0), ("gadgets^", 1), ("gadgets^^", 0),
        ("users~", 1), ("users~2", 2), ("HEAD^2", 0), ("@v1.0~", 2),
    ])
    func referencesResolve(_ key: String, _ index: Int) throws {
        let (context, _, plan, queries) = try setUp()
        #expect(try queries.changeID(forKey: key) == plan.changes[index].id)
        _ = context
    }

    @Test(arguments: ["nope", "users@ROOT", "gadgets@v1.0", "@nope", "gadgets~", "users^", "HEAD~", "users~5"])
    func unknownReferences(_ key: String) throws {
        let (context, _, _, queries) = try setUp()
        #expect(try queries.changeID(forKey: key) == nil)
        _ = context
    }

    @Test func changeIDsAndNames() throws {
        let (context, _, plan, queries) = try setUp()
        #expect(try queries.changeID(forKey: plan.changes[1].id) == plan.changes[1].id)
        #expect(try queries.changeID(forKey: plan.changes[1].id + "^") == plan.changes[0].id)
        #expect(try queries.changeID(forKey: String(repeating: "0", count: 40)) == nil)
        #expect(try queries.nameForChangeID(plan.changes[0].id) == "users@v1.0")
        #expect(try queries.nameForChangeID(plan.changes[2].id) == "gadgets@HEAD")
        #expect(try queries.nameForChangeID("nope") == nil)
        _ = context
    }

    @Test func aNameDeployedTwiceIsAmbiguous() throws {
        let (context, engine, _, queries) = try setUp()
        try engine.registryConnection().run("""
            INSERT INTO changes (change_id, script_hash, change, project, note, committed_at, committer_name,
                                 committer_email, planned_at, planner_name, planner_email)
            VALUES ('feed', 'x', 'users', 'flipr', '', '2025-01-01 00:00:09', 'a', 'b', '2025-01-01 00:00:09', 'a', 'b')
            """)
        #expect(throws: EngineError("Change Lookup Failed")) { try queries.changeID(forKey: "users") }
        #expect(try queries.changeID(forKey: "users@HEAD") == "feed")
        // verify lists the candidates newest first: `feed` by its registry name, the planned one as the
        // plan names it (untagged and not reworked: `@HEAD` too, as Sqitch's format_tag_qualified_name).
        #expect(throws: EngineError("Change Lookup Failed")) {
            try verification(engine).verify(from: "users", to: nil)
        }
        #expect(context.err.text == """
            Change "users" is ambiguous. Please specify a tag-qualified change:
              * users@HEAD
              * users@HEAD

            """)
    }
}
