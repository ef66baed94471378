import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `init`: expectations taken from Sqitch's output for the same command lines.
@Suite struct InitTests {
    func run(_ context: TestContext, _ project: String?, uri: String? = nil,
             _ configure: (inout TargetConfigOptions) -> Void = { _ in }) throws -> Int32 {
        var options = TargetConfigOptions()
        configure(&options)
        return try InitAction(options: options, uri: uri).execute(try context.sqitch(), project: project)
    }

    @Test func sqliteProject() throws {
        let context = try TestContext()
        #expect(try run(context, "flipr") { $0.engine = "sqlite" } == 0)
        #expect(context.directory.read("sqitch.conf") == """
            [core]
            \tengine = sqlite
            \t# plan_file = sqitch.plan
            \t# top_dir = .
            # [engine "sqlite"]
            \t# target = db:sqlite:
            \t# registry = sqitch
            \t# client = sqlite3

            """)
        #expect(context.directory.read("sqitch.plan") == "%syntax-version=1.0.0\n%project=flipr\n\n")
        #expect(context.out.text == "Created sqitch.conf\nCreated sqitch.plan\nCreated deploy/\nCreated revert/\nCreated verify/\n")
    }

    @Test func noEngine() throws {
        let context = try TestContext()
        #expect(try run(context, "flipr") == 0)
        #expect(context.directory.read("sqitch.conf") == "# [core]\n\t# engine = \n\t# plan_file = sqitch.plan\n\t# top_dir = .\n")
    }

    @Test func everyOption() throws {
        let context = try TestContext()
        _ = try run(context, "p") {
            $0.engine = "pg"; $0.topDir = "db"; $0.planFile = "db/my.plan"; $0.extension = "ddl"
            $0.dirs = ["reworked=db/old"]; $0.registry = "reg"; $0.client = "/usr/bin/psql"
            $0.target = "prod"; $0.variables = ["a=b"]
        }
        #expect(context.directory.read("sqitch.conf") == """
            [core]
            \tengine = pg
            \tplan_file = db/my.plan
            \ttop_dir = db
            \textension = ddl
            \treworked_dir = db/old
            [core "variables"]
            \ta = b
            [engine "pg"]
            \ttarget = prod
            \tregistry = reg
            \tclient = /usr/bin/psql
            [target "prod"]
            \turi = db:pg:

            """)
        #expect(context.out.text == """
            Created sqitch.conf
            Created db/
            Created db/my.plan
            Created db/deploy/
            Created db/revert/
            Created db/verify/
            Created db/old/deploy/
            Created db/old/revert/
            Created db/old/verify/

            """)
    }

    @Test func uriTargetSetsTheEngine() throws {
        let context = try TestContext()
        _ = try run(context, "p", uri: "HTTPS://Example.COM/x") { $0.target = "db:pg://u:pw@h/db" }
        #expect(context.directory.read("sqitch.conf") == """
            [core]
            \tengine = pg
            \t# plan_file = sqitch.plan
            \t# top_dir = .
            [engine "pg"]
            \ttarget = db:pg://u:pw@h/db
            \t# registry = sqitch
            \t# client = psql

            """)
        #expect(context.directory.read("sqitch.plan") == "%syntax-version=1.0.0\n%project=p\n%uri=https://example.com/x\n\n")
    }

    @Test func namedTargetWithoutEngine() throws {
        let context = try TestContext()
        #expect(throws: TargetError("No engine specified; specify via target or core.engine")) {
            try run(context, "p") { $0.target = "prod" }
        }
    }

    @Test func missingProjectIsAUsageError() throws {
        let context = try TestContext()
        #expect(throws: UsageError("")) { try run(context, nil) }
        #expect(throws: UsageError("")) { try run(context, "0") }
    }

    /// 1.6 bans `[` and `]` in project names and names them in the message.
    @Test(arguments: ["a b", "@p", "p1.", "p:x", "p#x"])
    func invalidProjectName(_ name: String) throws {
        let context = try TestContext()
        #expect(throws: CommandError(InitAction.invalidProjectMessage(name))) { try run(context, name) }
        #expect(InitAction.invalidProjectMessage("a b").contains(##""#", "[", "]", or blanks"##))
        #expect(context.directory.read("sqitch.conf") == nil)
    }

    @Test func unknownEngineAndDirectories() throws {
        let context = try TestContext()
        #expect(throws: CommandError("Unknown engine \"nope\"")) { try run(context, "p") { $0.engine = "nope" } }
        #expect(throws: CommandError("Unknown directory names: bar, foo")) {
            try run(context, "p") { $0.dirs = ["foo=x", "deploy=d", "bar=y"] }
        }
        #expect(throws: CommandError("Unknown directory name: foo")) { try run(context, "p") { $0.dirs = ["foo=x"] } }
    }

    /// 1.6 accepts `cockroach` and `clickhouse`.
    @Test func cockroachIsAnEngine() throws {
        let context = try TestContext()
        #expect(try run(context, "p") { $0.engine = "cockroach" } == 0)
        #expect(context.directory.read("sqitch.conf")?.hasPrefix("[core]\n\tengine = cockroach\n") == true)
    }

    @Test func existingPlans() throws {
        let context = try TestContext()
        try context.directory.write("sqitch.plan", "%project=other\n\n")
        #expect(throws: CommandError("Cannot initialize because project \"other\" already initialized in sqitch.plan")) {
            try run(context, "p") { $0.engine = "pg" }
        }
        // The configuration was written before the plan was checked, as Sqitch does.
        #expect(context.directory.read("sqitch.conf") != nil)
        try context.directory.write("sqitch.plan", "junk\n")
        #expect(throws: CommandError("Cannot initialize because sqitch.plan already exists and is not a valid plan file")) {
            try run(context, "p")
        }
        try context.directory.write("sqitch.plan", "%project=p\n\n")
        #expect(try run(context, "p") == 0)
        #expect(context.out.text == "Created sqitch.conf\nCreated deploy/\nCreated revert/\nCreated verify/\n")
    }

    @Test func planIsADirectory() throws {
        let context = try TestContext()
        try context.directory.write("sqitch.plan/keep", "")
        #expect(throws: CommandError("Cannot initialize because sqitch.plan already exists and is not a file")) {
            try run(context, "p")
        }
    }

    @Test func existingConfigIsLeftAlone() throws {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", "[core]\n\tengine = pg\n")
        #expect(try run(context, "p") { $0.engine = "mysql" } == 0)
        #expect(context.directory.read("sqitch.conf") == "[core]\n\tengine = pg\n")
        #expect(!context.out.text.contains("sqitch.conf"))
    }

    @Test func userConfigEngine() throws {
        let context = try TestContext()
        try context.directory.write("home/.sqitch/sqitch.conf", "[core]\n\tengine = pg\n")
        _ = try run(context, "p")
        #expect(context.directory.read("sqitch.conf")?.hasPrefix("[core]\n\tengine = pg\n") == true)
    }

    @Test func topDirIgnoresDeployDirForDirectories() throws {
        let context = try TestContext()
        _ = try run(context, "p") { $0.topDir = "./db/"; $0.dirs = ["deploy=x"] }
        #expect(context.out.text == "Created sqitch.conf\nCreated db/\nCreated db/sqitch.plan\nCreated db/deploy/\nCreated db/revert/\nCreated db/verify/\n")
        #expect(context.directory.read("sqitch.conf") == "[core]\n\ttop_dir = db\n\tdeploy_dir = x\n\t# engine = \n\t# plan_file = db/sqitch.plan\n")
    }

    /// `--uri` is read as URI.pm reads it, then written in canonical form.
    @Test func uriIsEscapedAndCanonical() throws {
        let context = try TestContext()
        _ = try run(context, "p", uri: " HTTP://H.org:80/a b/ä%7e ")
        #expect(context.directory.read("sqitch.plan") == "%syntax-version=1.0.0\n%project=p\n%uri=http://h.org/a%20b/%C3%A4~\n\n")
    }

    /// `$SQITCH_CONFIG` names the local file `init` writes.
    @Test func sqitchConfigNamesTheFile() throws {
        let context = try TestContext(environment: ["SQITCH_CONFIG": "my.conf"])
        _ = try run(context, "p") { $0.engine = "pg" }
        #expect(context.directory.read("my.conf")?.hasPrefix("[core]\n\tengine = pg\n") == true)
        #expect(context.directory.read("sqitch.conf") == nil)
        #expect(context.out.text.hasPrefix("Created my.conf\nCreated sqitch.plan\n"))
    }
}
