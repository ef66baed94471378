import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `engine`: expectations taken from Sqitch's output for the same command lines.
@Suite struct EngineTests {
    let pgConf = "[core]\n\tengine = pg\n"

    func context() throws -> TestContext {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", pgConf)
        try context.directory.write("sqitch.plan", "%syntax-version=1.0.0\n%project=p\n\n")
        return context
    }

    func run(_ context: TestContext, _ arguments: [String], verbose: Bool = false,
             _ configure: (inout TargetConfigOptions) -> Void = { _ in }) throws -> Int32 {
        var options = TargetConfigOptions()
        configure(&options)
        return try EngineAction(options: options, verbose: verbose).execute(try context.sqitch(), arguments)
    }

    @Test func addAndList() throws {
        let context = try context()
        _ = try run(context, ["add", "pg"])
        _ = try run(context, ["add", "sqlite", "sqlite:x.db"]) { $0.variables = ["a=b"] }
        _ = try run(context, ["add", "mysql"]) { $0.dirs = ["reworked=rw"] }
        #expect(context.directory.read("sqitch.conf") == pgConf + """
            [engine "pg"]
            \ttarget = db:pg:
            [engine "sqlite"]
            \ttarget = db:sqlite:x.db
            [engine "sqlite.variables"]
            \ta = b
            [engine "mysql"]
            \ttarget = db:mysql:
            \treworked_dir = rw

            """)
        #expect(context.out.text == "Created deploy/\nCreated revert/\nCreated verify/\n"
                + "Created rw/deploy/\nCreated rw/revert/\nCreated rw/verify/\n")
        _ = try run(context, [], verbose: true)
        #expect(context.out.text.hasSuffix("mysql\tdb:mysql:\npg\tdb:pg:\nsqlite\tdb:sqlite:x.db\n"))
    }

    @Test func addErrors() throws {
        let context = try context()
        #expect(throws: EngineError("Unknown engine \"nope\"")) { try run(context, ["add", "nope"]) }
        _ = try run(context, ["add", "pg"])
        #expect(throws: EngineError("Engine \"pg\" already exists")) { try run(context, ["add", "pg"]) }
        #expect(throws: EngineError("Cannot assign URI using engine \"pg\" to engine \"sqlite\"")) {
            try run(context, ["add", "sqlite", "db:pg:x"])
        }
        #expect(throws: EngineError("Unknown target \"prod\"")) { try run(context, ["add", "sqlite", "prod"]) }
        #expect(throws: UsageError("")) { try run(context, ["add"]) }
        #expect(throws: UsageError("Unknown action \"bogus\"")) { try run(context, ["bogus"]) }
    }

    @Test func alterAndRemove() throws {
        let context = try context()
        #expect(throws: EngineError("Missing Engine \"oracle\"; use \"add oracle db:oracle:\" to add it")) {
            try run(context, ["alter", "oracle"])
        }
        _ = try run(context, ["add", "pg"])
        #expect(throws: EngineError("Cannot assign URI using engine \"mysql\" to engine \"pg\"")) {
            try run(context, ["alter", "pg"]) { $0.target = "db:mysql:" }
        }
        _ = try run(context, ["alter", "pg"]) { $0.target = "pg:new" }
        #expect(context.directory.read("sqitch.conf") == pgConf + "[engine \"pg\"]\n\ttarget = db:pg:new\n")
        _ = try run(context, ["rm", "pg"])
        #expect(context.directory.read("sqitch.conf") == pgConf)
        #expect(throws: EngineError("Unknown engine \"pg\"")) { try run(context, ["remove", "pg"]) }
    }

    @Test func show() throws {
        let context = try context()
        try context.directory.write("sqitch.conf", pgConf + "[engine \"pg\"]\n\ttarget = db:pg://u:pw@h/x\n\tclient = c\n")
        _ = try run(context, ["show", "pg"])
        #expect(context.out.text == """
            * pg
                Target:        db:pg://u:@h/x
                Registry:      sqitch
                Client:        c
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
                No Variables

            """)
    }
}
