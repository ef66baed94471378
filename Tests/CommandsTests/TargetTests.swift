import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `target`: expectations taken from Sqitch's output for the same command lines.
@Suite struct TargetTests {
    let sqliteConf = "[core]\n\tengine = sqlite\n"
    let plan = "%syntax-version=1.0.0\n%project=p\n\n"

    func context() throws -> TestContext {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", sqliteConf)
        try context.directory.write("sqitch.plan", plan)
        return context
    }

    func run(_ context: TestContext, _ arguments: [String], verbose: Bool = false,
             _ configure: (inout TargetConfigOptions) -> Void = { _ in }) throws -> Int32 {
        var options = TargetConfigOptions()
        configure(&options)
        return try TargetAction(options: options, verbose: verbose).execute(try context.sqitch(), arguments)
    }

    @Test func addWritesTheSectionsAndDirectories() throws {
        let context = try context()
        _ = try run(context, ["add", "dev", "pg://u:pw@h/dev"]) { $0.topDir = "devtop"; $0.variables = ["foo=bar"] }
        #expect(context.directory.read("sqitch.conf") == sqliteConf + """
            [target "dev"]
            \turi = db:pg://u:pw@h/dev
            \ttop_dir = devtop
            [target "dev.variables"]
            \tfoo = bar

            """)
        #expect(context.out.text == "Created devtop/\nCreated devtop/sqitch.plan\nCreated devtop/deploy/\n"
                + "Created devtop/revert/\nCreated devtop/verify/\n")
    }

    @Test func addWritesAPlanForANewPlanFile() throws {
        let context = try context()
        try context.directory.write("sqitch.plan", "%syntax-version=1.0.0\n%project=p\n%uri=https://p.org/\n\n")
        _ = try run(context, ["add", "t", "db:pg:t"]) { $0.planFile = "t/t.plan" }
        #expect(context.directory.read("t/t.plan") == "%syntax-version=1.0.0\n%project=p\n%uri=https://p.org/\n\n")
        #expect(context.out.text.hasPrefix("Created t/\nCreated t/t.plan\n"))
    }

    @Test func addErrors() throws {
        let context = try context()
        _ = try run(context, ["add", "prod", "db:sqlite:prod.db"])
        _ = try run(context, ["add", "prod2", "db:sqlite:prod2.db"])
        #expect(context.out.text == "Created deploy/\nCreated revert/\nCreated verify/\n")
        #expect(throws: TargetError("Target \"prod\" already exists")) {
            try run(context, ["add", "prod", "db:sqlite:x.db"])
        }
        #expect(throws: UsageError("")) { try run(context, ["add", "x"]) }
        #expect(throws: UsageError("Unknown action \"list_x\"")) { try run(context, ["list-x"]) }
    }

    /// Sqitch resolves the new target with the configuration it read before writing it.
    @Test func addWithoutAnEngine() throws {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", "")
        #expect(throws: TargetError("No engine specified; specify via target or core.engine")) {
            try run(context, ["add", "foo", "db:pg:x"])
        }
        // GitLike starts a new section in an empty file with a newline.
        #expect(context.directory.read("sqitch.conf") == "\n[target \"foo\"]\n\turi = db:pg:x\n")
    }

    @Test func listAndShow() throws {
        let context = try context()
        try context.directory.write("sqitch.conf", sqliteConf
            + "[target \"prod\"]\n\turi = db:sqlite:prod.db\n[target \"dev\"]\n\turi = db:pg:dev\n"
            + "[target \"prod.variables\"]\n\tlonger = 1\n\tA = b\n")
        _ = try run(context, [])
        _ = try run(context, ["list"], verbose: true)
        _ = try run(context, ["show", "prod"])
        #expect(context.out.text == """
            dev
            prod
            dev\tdb:pg:dev
            prod\tdb:sqlite:prod.db
            * prod
                URI:           db:sqlite:prod.db
                Registry:      sqitch
                Client:        sqlite3
                Top Directory: .
                Plan File:     sqitch.plan
                Extension:     sql
                Script Directories:
                  Deploy:      deploy
                  Revert:      revert
                  Verify:      verify
                Reworked Script Directories:
                  Reworked:    .
                  Deploy:      deploy
                  Revert:      revert
                  Verify:      verify
                Variables:
              A:      b
              longer: 1

            """)
    }

    @Test func alterRenameRemove() throws {
        let context = try context()
        #expect(throws: TargetError("Missing Target \"nope\"; use \"add nope $uri\" to add it")) {
            try run(context, ["alter", "nope"])
        }
        #expect(throws: TargetError("Missing Target \"nope\"; use \"add nope db:pg:\" to add it")) {
            try run(context, ["alter", "nope"]) { $0.uri = "db:pg:" }
        }
        _ = try run(context, ["add", "prod", "db:sqlite:prod.db"]) { $0.variables = ["a=1"] }
        _ = try run(context, ["alter", "prod"]) { $0.registry = "r2" }
        _ = try run(context, ["rename", "prod", "prod2"])
        #expect(context.directory.read("sqitch.conf") == sqliteConf
            + "[target \"prod2\"]\n\turi = db:sqlite:prod.db\n\tregistry = r2\n[target \"prod2.variables\"]\n\ta = 1\n")
        #expect(throws: TargetError("Unknown target \"prod\"")) { try run(context, ["rm", "prod"]) }
        _ = try run(context, ["remove", "prod2"])
        #expect(context.directory.read("sqitch.conf") == sqliteConf)
    }

    @Test func referencedTargetsStay() throws {
        let context = try context()
        try context.directory.write("sqitch.conf", "[core]\n\ttarget = foo\n[engine \"pg\"]\n\ttarget = foo\n"
                                    + "[target \"foo\"]\n\turi = db:pg:foo\n")
        #expect(throws: TargetError("Cannot rename target \"foo\" because it's referenced by: core.target, engine.pg.target")) {
            try run(context, ["rm", "foo"])
        }
    }
}
