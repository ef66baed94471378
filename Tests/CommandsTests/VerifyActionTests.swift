import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Records the client commands it is given; `sqlite3 -version` answers like a 3.40 client,
/// everything else succeeds silently.
private final class RecordingRunner: ProcessRunner, @unchecked Sendable {
    var commands: [ProcessCommand] = []
    func execute(_ command: ProcessCommand, environment: Environment, files: FileSystem, console: Console) throws -> ProcessResult {
        if command.arguments == ["-version"] {
            return ProcessResult(exitStatus: 0, standardOutput: "3.40.1 2022-12-28 14:03:47 x\n")
        }
        commands.append(command)
        return ProcessResult(exitStatus: 0)
    }
}

/// A project whose registry records `users` and `widgets @v1.0` as deployed (rows only).
private func deployedProject(config: String = "") throws -> TestContext {
    let context = try TestContext()
    let dir = context.directory
    try dir.write("sqitch.conf", """
        [core]
        \tengine = sqlite
        [engine "sqlite"]
        \ttarget = db:sqlite:flipr.db
        [target "prod"]
        \turi = db:sqlite:prod.db

        """ + config)
    try dir.write("sqitch.plan", """
        %syntax-version=1.0.0
        %project=flipr

        users 2024-01-02T03:04:05Z Test User <test@example.com> # u
        widgets 2024-01-02T03:04:06Z Test User <test@example.com> # w
        @v1.0 2024-01-02T03:04:07Z Test User <test@example.com> # t

        """)
    for name in ["users", "widgets"] { try dir.write("verify/\(name).sql", "SELECT 1;\n") }
    let sqitch = try context.sqitch()
    let plan = try Plan.load(path: "sqitch.plan", sqitch: sqitch)
    let db = try SQLiteConnection(path: dir.path + "/sqitch.db")
    try db.execute(SQLiteRegistrySchema.create)
    try db.run("INSERT INTO releases (version, installer_name, installer_email) VALUES (1.1, 'a', 'b')")
    try db.run("INSERT INTO projects (project, creator_name, creator_email) VALUES ('flipr', 'a', 'b')")
    for (i, change) in plan.changes.enumerated() {
        try db.run("""
            INSERT INTO changes (change_id, change, project, committed_at, committer_name, committer_email,
                                 planned_at, planner_name, planner_email)
            VALUES (?, ?, 'flipr', ?, 'a', 'b', '2024-01-02 03:04:05', 'a', 'b')
            """, [.text(change.id), .text(change.name), .text("2025-01-01 00:00:0\(i)")])
    }
    db.close()
    return context
}

@Suite struct VerifyActionTests {
    @Test func scriptsRunThroughTheClientCapturedUnlessVerbose() throws {
        let context = try deployedProject()
        let runner = RecordingRunner()
        try VerifyAction(.verify, options: VerifyOptions(), runner: runner).execute(try context.sqitch(), arguments: [])
        #expect(runner.commands.map(\.argv) == ["users", "widgets"].map {
            ["sqlite3", "-noheader", "-bail", "-batch", "-csv", "flipr.db", ".read 'verify/\($0).sql'"]
        })
        #expect(runner.commands.map(\.output) == [.capture, .capture])
        #expect(context.out.text.hasSuffix("Verify successful\n"))

        let verbose = RecordingRunner()
        try VerifyAction(.verify, options: VerifyOptions(), runner: verbose).execute(try context.sqitch(verbosity: 2), arguments: [])
        #expect(verbose.commands.map(\.output) == [.passThrough, .passThrough])
    }

    @Test func variablesMergeFromCoreToSetOptions() throws {
        let context = try deployedProject(config: """
            [core "variables"]
            \ta = core
            \tb = core
            \tc = core
            \td = core
            [deploy "variables"]
            \tb = deploy
            [verify "variables"]
            \tc = verify
            [check "variables"]
            \tc = check
            [engine "sqlite.variables"]
            \td = engine

            """)
        var options = VerifyOptions()
        options.variables = [KeyValue(key: "e", value: "set"), KeyValue(key: "a", value: "set"), KeyValue(key: "e", value: "later")]
        let sqitch = try context.sqitch()
        let target = try Target(sqitch: sqitch)
        let session = try EngineSession(sqitch: sqitch, target: target)
        let verify = VerifyAction(.verify, options: options).variables(for: session)
        #expect(verify.map { "\($0.name)=\($0.value)" } == ["a=set", "b=deploy", "c=verify", "d=engine", "e=later"])
        let check = VerifyAction(.check, options: VerifyOptions()).variables(for: session)
        #expect(check.map { "\($0.name)=\($0.value)" } == ["a=core", "b=deploy", "c=check", "d=engine"])
    }

    @Test func extraChangesAndTargetsAreWarnedAbout() throws {
        let context = try deployedProject()
        let runner = RecordingRunner()
        try VerifyAction(.verify, options: VerifyOptions(), runner: runner)
            .execute(try context.sqitch(), arguments: ["users", "widgets", "widgets", "db:sqlite:flipr.db", "prod"])
        #expect(context.err.text == """
            warning: Too many targets specified; connecting to db:sqlite:flipr.db
            warning: Too many changes specified; verifying from "users" to "widgets"

            """)
        // The registry has no tag rows: names come from it, widths from the plan as well.
        #expect(context.out.text == """
            Verifying db:sqlite:flipr.db
              * users .......... ok
              * widgets ........ ok
            Verify successful

            """)
    }

    @Test func checkWarnsWithItsOwnVerb() throws {
        let context = try deployedProject()
        var options = VerifyOptions()
        options.fromChange = "users"
        options.toChange = "widgets"
        options.connection.topDir = "."
        try VerifyAction(.check, options: options, runner: RecordingRunner())
            .execute(try context.sqitch(), arguments: ["users"])
        #expect(context.err.text == """
            warning:   Option --top-dir is deprecated for check and other non-configuration commands.
            warning:   Use --chdir instead.
            warning: Too many changes specified; checking from "users" to "widgets"

            """)
        #expect(context.out.text == "Checking db:sqlite:flipr.db\nCheck successful\n")
    }

    @Test func optionsFromTheGrammar() throws {
        let (options, arguments) = try VerifyOptions.grammar.parse(
            ["--fro", "a", "--to", "b", "-s", "x=1", "--set", "y=2", "-t", "prod", "-d", "n.db", "--registry", "r",
             "--plan-file", "p.plan", "db:sqlite:"], into: VerifyOptions())
        #expect(options.fromChange == "a")
        #expect(options.toChange == "b")
        #expect(options.variables == [KeyValue(key: "x", value: "1"), KeyValue(key: "y", value: "2")])
        #expect(options.connection == ConnectionOptions(target: "prod", registry: "r", dbName: "n.db", planFile: "p.plan"))
        #expect(arguments == ["db:sqlite:"])
    }

    @Test func enginesSqlitchDoesNotDriveAreUnknown() throws {
        let context = try deployedProject()
        var options = VerifyOptions()
        options.connection.target = "db:oracle:flipr"
        #expect(throws: EngineError("Unknown engine: oracle")) {
            try VerifyAction(.verify, options: options, runner: RecordingRunner()).execute(try context.sqitch(), arguments: [])
        }
    }
}
