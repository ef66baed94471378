import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// A project with `users`, `widgets [users] @v1.0` and `flips [widgets !other:gadgets]`,
/// each script a table; `broken` is added when asked.
private func makeProject(_ context: TestContext, broken: Bool = false) throws {
    let directory = context.directory
    try directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:flipr.db\n")
    var plan = """
        %syntax-version=1.0.0
        %project=flipr

        users 2024-01-02T03:04:05Z Test User <test@example.com> # Users
        widgets [users] 2024-01-02T03:05:05Z Test User <test@example.com> # Widgets
        @v1.0 2024-01-02T03:06:05Z Test User <test@example.com> # Tagged
        flips [widgets !other:gadgets] 2024-01-02T03:07:05Z Test User <test@example.com> # Flips

        """
    if broken { plan += "broken 2024-01-02T03:08:05Z Test User <test@example.com> # Broken\n" }
    try directory.write("sqitch.plan", plan)
    for name in ["users", "widgets", "flips", "gadgets"] {
        try directory.write("deploy/\(name).sql", "CREATE TABLE \(name) (id INTEGER);\n")
        try directory.write("revert/\(name).sql", "DROP TABLE \(name);\n")
        try directory.write("verify/\(name).sql", "SELECT id FROM \(name) WHERE 0;\n")
    }
    try directory.write("deploy/broken.sql", "CREATE TABLE broken (;\n")
    try directory.write("revert/broken.sql", "DROP TABLE broken;\n")
}

private func session(_ context: TestContext, input: InputSource = NoInput()) throws -> EngineSession {
    let sqitch = try context.sqitch(input: input)
    return try EngineSession(sqitch: sqitch, target: Target(sqitch: sqitch))
}

/// The rows of one registry table, as `column=value` lists.
private func rows(_ context: TestContext, _ sql: String) throws -> [String] {
    let connection = try SQLiteConnection(path: context.directory.path + "/sqitch.db", flags: [.readOnly])
    return try connection.query(sql, []).map { row in row.values.map { $0.text ?? "NULL" }.joined(separator: "|") }
}

@Suite struct DeployRevertTests {
    @Test func deployCreatesTheRegistryAndLogsEveryRow() throws {
        let context = try processContext()
        try makeProject(context)
        try session(context).deploy()
        #expect(context.out.text == """
            Adding registry tables to db:sqlite:sqitch.db
            Deploying changes to db:sqlite:flipr.db
              + users .......... ok
              + widgets @v1.0 .. ok
              + flips .......... ok

            """)
        #expect(try rows(context, "SELECT version, installer_name FROM releases") == ["1.1|Test User"])
        #expect(try rows(context, "SELECT project, uri FROM projects") == ["flipr|NULL"])
        #expect(try rows(context, "SELECT change, planned_at, note FROM changes ORDER BY committed_at, rowid") == [
            "users|2024-01-02 03:04:05|Users", "widgets|2024-01-02 03:05:05|Widgets", "flips|2024-01-02 03:07:05|Flips",
        ])
        #expect(try rows(context, "SELECT tag FROM tags") == ["@v1.0"])
        #expect(try rows(context, "SELECT type, dependency, dependency_id IS NULL FROM dependencies ORDER BY rowid") == [
            "require|users|0", "require|widgets|0", "conflict|other:gadgets|1",
        ])
        #expect(try rows(context, "SELECT event, change, tags, requires, conflicts FROM events ORDER BY rowid") == [
            "deploy|users|||", "deploy|widgets|@v1.0|users|", "deploy|flips||widgets|other:gadgets",
        ])

        let second = try session(context)
        try second.deploy()
        #expect(context.out.text.hasSuffix("Nothing to deploy (up-to-date)\n"))
    }

    @Test func registryReadsFollowDeployOrderAndReferences() throws {
        let context = try processContext()
        try makeProject(context)
        let session = try session(context)
        try session.deploy(to: "widgets")
        let registry = try session.registry()
        let plan = try session.plan()
        #expect(try registry.deployedChanges().map(\.formatNameWithTags) == ["users", "widgets @v1.0"])
        #expect(try registry.currentState()?.name == "widgets")
        #expect(try registry.changeID(forKey: "@v1.0") == plan.changes[1].id)
        #expect(try registry.changeID(forKey: "HEAD^") == plan.changes[0].id)
        #expect(try registry.changeID(forKey: "users@HEAD") == plan.changes[0].id)
        #expect(try registry.changeID(forKey: "flips") == nil)
        #expect(try registry.isDeployed(tagID: plan.changes[1].tags[0].id))
        #expect(try Set(registry.deployedIDs(among: plan.changes.map(\.id))) == [plan.changes[0].id, plan.changes[1].id])
        #expect(try registry.changesRequiring(plan.changes[0].id).map(\.change) == ["widgets"])
        #expect(try registry.registeredProjects() == ["flipr"])
        #expect(Registry.keyParameters("users@v1.0~2").tag == "v1.0")
        #expect(Registry.keyParameters("HEAD^").offset == -1)
    }

    @Test func deployReportsUnknownAndEarlierChanges() throws {
        let context = try processContext()
        try makeProject(context)
        let session = try session(context)
        #expect(throws: PlanError("Unknown change: \"nope\"")) { try session.deploy(to: "nope") }
        try session.deploy()
        #expect(throws: EngineError("Cannot deploy to an earlier change; use \"revert\" instead")) {
            try session.deploy(to: "users")
        }
    }

    @Test func aFailedDeployRevertsTheRunAndLogsTheFailure() throws {
        let context = try processContext()
        try makeProject(context, broken: true)
        let session = try session(context)
        try session.deploy(to: "widgets")
        #expect(throws: EngineError("Deploy failed")) { try session.deploy(mode: .all) }
        #expect(context.out.text.hasSuffix("""
              + flips ... ok
              + broken .. not ok
              - flips ... ok

            """))
        #expect(context.err.text.hasSuffix("Reverting to widgets@v1.0\n"))
        #expect(try rows(context, "SELECT event, change FROM events ORDER BY rowid").suffix(3)
            == ["deploy|flips", "fail|broken", "revert|flips"])
        #expect(try session.registry().currentState()?.name == "widgets")
    }

    @Test func modeChangeKeepsWhatWasDeployed() throws {
        let context = try processContext()
        try makeProject(context, broken: true)
        #expect(throws: ProcessError.self) { try session(context).deploy(mode: .change) }
        #expect(try rows(context, "SELECT change FROM changes ORDER BY rowid") == ["users", "widgets", "flips"])
    }

    @Test func missingRequiresAreReported() throws {
        let context = try processContext()
        try makeProject(context)
        try context.directory.write("other.plan", """
            %syntax-version=1.0.0
            %project=other

            thing [flipr:users] 2024-01-02T03:04:05Z Test User <test@example.com> # Thing

            """)
        try context.directory.write("deploy/thing.sql", "CREATE TABLE thing (id INTEGER);\n")
        let sqitch = try context.sqitch()
        let other = try EngineSession(sqitch: sqitch, target: Target(sqitch: sqitch, overrides: TargetOverrides(planFile: "other.plan")))
        #expect(throws: EngineError("Missing required change: flipr:users")) { try other.deploy() }
        try session(context).deploy(to: "users")
        try other.deploy()
        let flipr = try session(context)
        #expect(throws: EngineError("Change \"users\" required by currently deployed change: other:thing")) {
            try flipr.revert(prompt: false, promptDefault: true)
        }
    }

    @Test func revertAsksAndHonoursTheAnswer() throws {
        let context = try processContext()
        try makeProject(context)
        try session(context).deploy()
        let declined = try session(context, input: ScriptedInput(["n"]))
        #expect(throws: EngineError("Nothing reverted", exitCode: 1)) {
            try declined.revert(prompt: true, promptDefault: true)
        }
        #expect(context.out.text.hasSuffix("Revert all changes from db:sqlite:flipr.db? [Yes] "))
        let toChange = try session(context, input: ScriptedInput(["no"]))
        #expect(throws: EngineError("Nothing reverted", exitCode: 1, reason: .revertDeclined)) {
            try toChange.revert(to: "users", prompt: true, promptDefault: true)
        }
        try session(context).revert(to: "@v1.0", prompt: true, promptDefault: true)
        #expect(context.out.text.hasSuffix("""
            Revert changes to widgets @v1.0 from db:sqlite:flipr.db? [Yes] Yes
              - flips .. ok

            """))
        try session(context).revert(prompt: false, promptDefault: true)
        #expect(try rows(context, "SELECT count(*) FROM changes") == ["0"])
        #expect(try rows(context, "SELECT event, change, tags, requires, conflicts FROM events WHERE event = 'revert' ORDER BY rowid") == [
            "revert|flips||widgets|other:gadgets", "revert|widgets|@v1.0|users|", "revert|users|||",
        ])
    }

    @Test func revertErrors() throws {
        let context = try processContext()
        try makeProject(context)
        #expect(throws: EngineError("No registry found in db:sqlite:sqitch.db. Have you ever deployed?")) {
            try session(context).revert(prompt: false, promptDefault: true)
        }
        try session(context).deploy(to: "users")
        #expect(throws: EngineError("Change not deployed: \"flips\"")) {
            try session(context).revert(to: "flips", prompt: false, promptDefault: true)
        }
        #expect(throws: EngineError("Unknown change: \"nope\"")) {
            try session(context).revert(to: "nope", prompt: false, promptDefault: true)
        }
        try session(context).revert(to: "users", prompt: false, promptDefault: true)
        #expect(context.out.text.hasSuffix("No changes deployed since: \"users\"\n"))
    }

    @Test func modifiedFindsTheLastUnchangedChange() throws {
        let context = try processContext()
        try makeProject(context)
        try session(context).deploy()
        #expect(try session(context).plannedDeployedCommonAncestorID() == session(context).plan().changes[2].id)
        try context.directory.write("deploy/widgets.sql", "-- changed\n")
        #expect(try session(context).plannedDeployedCommonAncestorID() == session(context).plan().changes[0].id)
        try context.directory.write("deploy/users.sql", "-- changed\n")
        #expect(try session(context).plannedDeployedCommonAncestorID() == nil)
    }

    @Test func otherEnginesAreNotDrivenYet() throws {
        let context = try processContext()
        let sqitch = try context.sqitch()
        let target = try Target(sqitch: sqitch, uri: DatabaseURI("db:oracle:flipr"))
        #expect(throws: EngineError("Unknown engine: oracle")) { try EngineSession(sqitch: sqitch, target: target) }
    }

    @Test func timestampsReadBackFromTheDialectsText() {
        let date = Registry.parseTimestamp("year:2024:month:01:day:02:hour:03:minute:04:second:05:time_zone:UTC")
        #expect(date == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(SQLiteDialect().timestampParameter(date!) == "2024-01-02 03:04:05")
    }
}

/// Deploy and revert log into the SQLite registry through a write-ahead log
/// (`journal_mode = WAL`) and leave the registry as they found it.
@Suite struct RegistryJournalTests {
    private func journalMode(_ context: TestContext) throws -> String? {
        let connection = try SQLiteConnection(path: context.directory.path + "/sqitch.db")
        return try connection.query("PRAGMA journal_mode", []).first?.values.first?.text
    }

    @Test func aDeleteModeRegistryIsLeftWithoutAJournal() throws {
        let context = try processContext()
        try makeProject(context)
        try session(context).deploy()
        let leftovers = ["-journal", "-wal", "-shm"].map { context.directory.path + "/sqitch.db" + $0 }
        #expect(leftovers.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        #expect(try journalMode(context) == "delete")
        try session(context).revert(prompt: false, promptDefault: true)
        #expect(leftovers.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        #expect(try journalMode(context) == "delete")
        #expect(try rows(context, "SELECT count(*) FROM changes") == ["0"])
    }

    /// Transactions and single writes on one connection start only after the millisecond
    /// of the last commit, so each one's `strftime('%f')` is later than every earlier one's,
    /// however fast.
    @Test func transactionsNeverCommitInOneMillisecond() throws {
        let context = try processContext()
        let connection = try SQLiteConnection(path: context.directory.path + "/ticks.db")
        try connection.execute("PRAGMA synchronous = OFF")
        try connection.execute("CREATE TABLE ticks (at TEXT NOT NULL)")
        for _ in 1...200 {
            try connection.transaction {
                try connection.execute("INSERT INTO ticks VALUES (strftime('%Y-%m-%d %H:%M:%f'))")
            }
            // A write outside a transaction (a `fail` event) commits on its own.
            try connection.run("INSERT INTO ticks VALUES (strftime('%Y-%m-%d %H:%M:%f'))")
            // A transaction begun with nothing in it, as a deploy's whose script is missing.
            try connection.begin()
            try connection.commit()
        }
        let distinct = try connection.query("SELECT count(DISTINCT at) FROM ticks", []).first?.values.first?.text
        #expect(distinct == "400")
    }

    /// The registry keeps milliseconds: changes logged faster than that (`--log-only`) would
    /// share a `committed_at`, and revert, which takes them newest first, would find a
    /// change "required by" one it had not reverted yet.
    @Test func changesLoggedWithoutScriptsNeverShareAMillisecond() throws {
        let context = try processContext()
        let count = 60
        var plan = "%syntax-version=1.0.0\n%project=fast\n\n"
        for i in 1...count {
            plan += "c\(i)\(i > 1 ? " [c\(i - 1)]" : "") 2024-01-02T03:04:05Z Test User <test@example.com>\n"
        }
        try context.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:fast.db\n")
        try context.directory.write("sqitch.plan", plan)
        for i in 1...count {
            for kind in ["deploy", "revert", "verify"] { try context.directory.write("\(kind)/c\(i).sql", "SELECT \(i);\n") }
        }
        let deploying = try session(context)
        deploying.logOnly = true
        try deploying.deploy()
        #expect(try rows(context, "SELECT count(DISTINCT committed_at) FROM changes") == ["\(count)"])
        #expect(try rows(context, "SELECT count(DISTINCT committed_at) FROM events") == ["\(count)"])
        let reverting = try session(context)
        reverting.logOnly = true
        try reverting.revert(prompt: false, promptDefault: true)
        #expect(try rows(context, "SELECT count(*) FROM changes") == ["0"])
        #expect(try rows(context, "SELECT count(DISTINCT committed_at) FROM events") == ["\(2 * count)"])
    }

    @Test func aWALRegistryStaysInWALMode() throws {
        let context = try processContext()
        try makeProject(context)
        try session(context).deploy(to: "users")
        let connection = try SQLiteConnection(path: context.directory.path + "/sqitch.db")
        #expect(try connection.query("PRAGMA journal_mode = WAL", []).first?.values.first?.text == "wal")
        connection.close()
        try session(context).deploy()
        #expect(try journalMode(context) == "wal")
        #expect(try rows(context, "SELECT change FROM changes ORDER BY committed_at, rowid") == ["users", "widgets", "flips"])
    }
}
