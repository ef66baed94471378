import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// A project whose registry (rows written directly) holds `users` and `widgets @v1.0` of
/// flipr deployed, a failed `gadgets`, and `thing` of another project. Expected texts were
/// taken from Sqitch 1.3.1 run over the same rows.
private func registryProject(config: String = "") throws -> TestContext {
    let context = try TestContext()
    let dir = context.directory
    try dir.write("sqitch.conf", """
        [core]
        \tengine = sqlite
        [engine "sqlite"]
        \ttarget = db:sqlite:flipr.db

        """ + config)
    try dir.write("sqitch.plan", """
        %syntax-version=1.0.0
        %project=flipr

        users 2024-01-02T03:04:05Z Test User <test@example.com> # Users.
        widgets [users] 2024-01-02T03:04:06Z Test User <test@example.com> # Widgets.
        @v1.0 2024-01-02T03:04:07Z Test User <test@example.com> # Release.

        gadgets 2024-01-02T03:04:08Z Test User <test@example.com> # Gadgets.

        """)
    let plan = try Plan.load(path: "sqitch.plan", sqitch: try context.sqitch())
    let db = try SQLiteConnection(path: dir.path + "/sqitch.db")
    try db.execute(SQLiteRegistrySchema.create)
    try db.run("INSERT INTO releases (version, installer_name, installer_email) VALUES (1.1, 'a', 'b')")
    for project in ["flipr", "other"] {
        try db.run("INSERT INTO projects (project, creator_name, creator_email) VALUES (?, 'a', 'b')", [.text(project)])
    }
    func change(_ id: String, _ name: String, _ project: String, _ second: Int) throws {
        try db.run("""
            INSERT INTO changes (change_id, change, project, note, committed_at, committer_name, committer_email,
                                 planned_at, planner_name, planner_email)
            VALUES (?, ?, ?, 'n', ?, 'Test User', 'test@example.com', '2024-01-02 03:04:05', 'Test User', 'test@example.com')
            """, [.text(id), .text(name), .text(project), .text("2025-01-01 00:00:0\(second).5")])
    }
    func event(_ kind: String, _ id: String, _ name: String, _ project: String, _ second: Int,
               tags: String = "", requires: String = "") throws {
        try db.run("""
            INSERT INTO events (event, change_id, change, project, note, tags, requires, committed_at, committer_name,
                                committer_email, planned_at, planner_name, planner_email)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Test User', 'test@example.com', '2024-01-02 03:04:05', 'Test User',
                    'test@example.com')
            """, [.text(kind), .text(id), .text(name), .text(project), .text(name.capitalized + "."), .text(tags),
                  .text(requires), .text("2025-01-01 00:00:0\(second).5")])
    }
    let (users, widgets, gadgets) = (plan.changes[0].id, plan.changes[1].id, plan.changes[2].id)
    let thing = String(repeating: "a", count: 40)
    try change(users, "users", "flipr", 1)
    try change(widgets, "widgets", "flipr", 2)
    try change(thing, "thing", "other", 4)
    try db.run("""
        INSERT INTO tags (tag_id, tag, project, change_id, committed_at, committer_name, committer_email, planned_at,
                          planner_name, planner_email)
        VALUES (?, '@v1.0', 'flipr', ?, '2025-01-01 00:00:02.5', 'Test User', 'test@example.com',
                '2024-01-02 03:04:07', 'Test User', 'test@example.com')
        """, [.text(plan.changes[1].tags[0].id), .text(widgets)])
    try event("deploy", users, "users", "flipr", 1)
    try event("deploy", widgets, "widgets", "flipr", 2, tags: "@v1.0", requires: "users")
    try event("fail", gadgets, "gadgets", "flipr", 3)
    try event("deploy", thing, "thing", "other", 4)
    db.close()
    return context
}

@Suite struct StatusActionTests {
    func run(_ context: TestContext, _ configure: (inout StatusAction.Options) -> Void = { _ in },
             arguments: [String] = []) throws -> Int32 {
        var options = StatusAction.Options()
        configure(&options)
        let sqitch = try context.sqitch()
        return try StatusAction(options: options, config: sqitch.config).execute(sqitch, arguments: arguments)
    }

    @Test func stateAndUndeployedChanges() throws {
        let context = try registryProject()
        #expect(try run(context) == 0)
        #expect(context.out.text == """
            # On database db:sqlite:flipr.db
            # Project:  flipr
            # Change:   f8942e1daeba1644e7fc6e97c5c876c08d4e8d59
            # Name:     widgets
            # Tag:      @v1.0
            # Deployed: 2025-01-01 00:00:02 +0000
            # By:       Test User <test@example.com>
            # \("")
            Undeployed change:
              * gadgets

            """)
    }

    @Test func changesAndTagsInAnotherDateFormat() throws {
        let context = try registryProject()
        #expect(try run(context) { $0.showChanges = true; $0.showTags = true; $0.dateFormat = "rfc" } == 0)
        #expect(context.out.text.contains("""
            # Changes:
            #   widgets - Wed, 01 Jan 2025 00:00:02 -0000 - Test User <test@example.com>
            #   users   - Wed, 01 Jan 2025 00:00:01 -0000 - Test User <test@example.com>
            # \("")
            # Tag:
            #   @v1.0 - Wed, 01 Jan 2025 00:00:02 -0000 - Test User <test@example.com>
            # \("")
            Undeployed change:
            """))
    }

    @Test func anotherProjectHasUnknownStatus() throws {
        let context = try registryProject(config: "[status]\n\tshow_tags = yes\n")
        #expect(try run(context) { $0.project = "other" } == 0)
        #expect(context.out.text.hasSuffix("""
            # By:       Test User <test@example.com>
            # \("")
            # Tags: None.
            # \("")
            Status unknown. Use --plan-file to assess "other" status

            """))
    }

    @Test func withoutAPlanSeveralProjectsAreAmbiguous() throws {
        let context = try registryProject()
        #expect(throws: EngineError("Use --project to select which project to query: flipr, other")) {
            try run(context) { $0.connection.planFile = "nope.plan" }
        }
    }

    @Test func nothingDeployed() throws {
        let context = try registryProject()
        #expect(throws: EngineError("No changes deployed", exitCode: 1)) {
            try run(context) { $0.project = "nope" }
        }
    }

    /// Without a plan the project comes from the registry, which does not exist.
    @Test func noPlanAndNoRegistry() throws {
        let empty = try TestContext()
        try empty.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n")
        #expect(throws: EngineError("Database db:sqlite:sqitch.db has not been initialized for Sqitch")) {
            try run(empty, arguments: ["db:sqlite:x.db"])
        }
        #expect(empty.out.text == "# On database db:sqlite:x.db\n")
    }

    @Test func configuredBooleansUseGitLikesCast() throws {
        let context = try registryProject(config: "[status]\n\tshow_changes = maybe\n")
        #expect(throws: ConfigError("Invalid bool 'maybe'")) { try run(context) }
        let config = try registryProject(config: "[status]\n\tshow_changes = -01\n\tshow_tags = 00\n")
        let sqitch = try config.sqitch()
        let action = try StatusAction(options: StatusAction.Options(), config: sqitch.config)
        #expect(action.showChanges)
        #expect(!action.showTags)
    }

    @Test func unknownDateFormat() throws {
        let context = try registryProject()
        #expect(throws: CommandError("Unknown date format \"bogus\"")) {
            try run(context) { $0.dateFormat = "bogus" }
        }
    }
}

@Suite struct LogActionTests {
    func run(_ context: TestContext, _ configure: (inout LogAction.Options) -> Void = { _ in },
             arguments: [String] = []) throws -> Int32 {
        var options = LogAction.Options()
        configure(&options)
        let sqitch = try context.sqitch()
        let action = try LogAction(options: options, config: sqitch.config, environment: sqitch.environment)
        return try action.execute(sqitch, arguments: arguments)
    }

    @Test func mediumIsTheDefault() throws {
        let context = try registryProject()
        #expect(try run(context) { $0.maxCount = 2 } == 0)
        #expect(context.out.text == """
            On database db:sqlite:flipr.db
            Deploy aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            Name:      thing
            Committer: Test User <test@example.com>
            Date:      2025-01-01 00:00:04 +0000

                Thing.

            Fail dca20d77e6aba219bbe7b5f5b35f25e84e1dcd2e
            Name:      gadgets
            Committer: Test User <test@example.com>
            Date:      2025-01-01 00:00:03 +0000

                Gadgets.


            """)
    }

    @Test func filtersCombineAndPage() throws {
        let context = try registryProject()
        _ = try run(context) {
            $0.oneline = true
            $0.projectPattern = "^fl"
            $0.events = ["deploy", "fail"]
            $0.skip = 1
            $0.reverse = true
            $0.headers = false
        }
        #expect(context.out.text == """
            f8942e deploy flipr:widgets Widgets.
            dca20d fail flipr:gadgets Gadgets.

            """)
    }

    @Test func configurationFillsUnsetOptions() throws {
        let context = try registryProject(config: "[log]\n\tformat = format:%n %{date}c\n\tdate_format = raw\n\tmax_count = 1\n")
        _ = try run(context) { $0.headers = false }
        #expect(context.out.text == "thing 2025-01-01T00:00:04Z\n")
    }

    @Test func noRegistryAndNoEvents() throws {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n")
        #expect(throws: CommandError("Database db:sqlite:sqitch.db has not been initialized for Sqitch", exitCode: 1)) {
            try run(context, arguments: ["db:sqlite:flipr.db"])
        }
        let registry = try registryProject()
        let db = try SQLiteConnection(path: registry.directory.path + "/sqitch.db")
        try db.run("DELETE FROM events")
        db.close()
        #expect(throws: CommandError("No events logged for db:sqlite:flipr.db", exitCode: 1)) {
            try run(registry)
        }
    }

    @Test func optionErrors() throws {
        let context = try registryProject()
        #expect(throws: CommandError("Unknown log format \"bogus\"")) { try run(context) { $0.format = "bogus" } }
        #expect(throws: CommandError("Value \"x\" did not pass type constraint \"Enum[always,auto,never]\" (in $args->{\"color\"})")) {
            try run(context) { $0.color = "x" }
        }
        let typed = try registryProject(config: "[log]\n\tevent = deploy\n")
        #expect(throws: CommandError("Value \"deploy\" did not pass type constraint \"ArrayRef\" (in $args->{\"event\"})")) {
            try run(typed)
        }
    }
}

@Suite struct EventSearchTests {
    let registry = Registry(connection: try! SQLiteConnection(path: ":memory:"), dialect: SQLiteDialect(), project: "")

    @Test func everyFilterIsBoundAndJoinedWithAnd() {
        let (sql, parameters) = registry.eventSearchQuery(EventSearch(
            events: ["deploy", "fail"], change: "^u", project: "p", committer: "c", planner: "x", limit: 3, offset: 2,
            ascending: true))
        #expect(sql.hasSuffix("""
            FROM events e WHERE e.committer_name REGEXP ? AND e.planner_name REGEXP ? AND e.change REGEXP ? \
            AND e.project REGEXP ? AND e.event IN (?, ?) ORDER BY e.committed_at ASC LIMIT ? OFFSET ?
            """))
        #expect(parameters == ["c", "x", "^u", "p", "deploy", "fail", 3, 2])
    }

    @Test func anOffsetAloneGetsTheDialectsLimit() {
        let (sql, parameters) = registry.eventSearchQuery(EventSearch(offset: 4))
        #expect(sql.hasSuffix("FROM events e ORDER BY e.committed_at DESC LIMIT ? OFFSET ?"))
        #expect(parameters == [-1, 4])
        #expect(registry.eventSearchQuery(EventSearch(limit: 0, offset: 0)).parameters.isEmpty)
    }

    @Test func listsSplitOnSingleSpaces() {
        #expect(Registry.parseList("@a @b") == ["@a", "@b"])
        #expect(Registry.parseList("a,b") == ["a,b"])
        #expect(Registry.parseList("a  b ") == ["a", "", "b"])
        #expect(Registry.parseList("") == [])
        #expect(Registry.parseList("0") == [])
        #expect(Registry.parseList(nil) == [])
    }
}
