import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `deploy`, `revert` and `rebase` option handling: configuration fallbacks, strict mode,
/// client variables and argument warnings.
@Suite struct DeployActionTests {
    func context(_ config: String = "") throws -> TestContext {
        let context = try TestContext(environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        try context.directory.write(
            "sqitch.conf", "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:flipr.db\n" + config)
        try context.directory.write("sqitch.plan", """
            %syntax-version=1.0.0
            %project=flipr

            users 2024-01-02T03:04:05Z Test User <test@example.com> # Users
            widgets [users] 2024-01-02T03:05:05Z Test User <test@example.com> # Widgets

            """)
        for name in ["users", "widgets"] {
            try context.directory.write("deploy/\(name).sql", "CREATE TABLE \(name) (id INTEGER);\n")
            try context.directory.write("revert/\(name).sql", "DROP TABLE \(name);\n")
        }
        return context
    }

    /// Runs `command` with its grammar, as the command line does.
    func run(_ command: String, _ arguments: [String], _ sqitch: Sqitch) throws {
        let definition = try #require(CommandCatalog.command(named: command))
        _ = try definition.run(sqitch, arguments, CommandInvocation())
    }

    @Test func variablesMergeFromCoreToTheCommandLine() throws {
        let context = try context("""
            [core "variables"]
            \ta = core
            \tb = core
            [deploy "variables"]
            \tb = deploy
            \tc = deploy
            [engine "sqlite.variables"]
            \tc = engine

            """)
        let sqitch = try context.sqitch()
        let session = try EngineSession(sqitch: sqitch, target: Target(sqitch: sqitch))
        let merged = session.collectVariables(sections: ["deploy.variables"], overrides: [("A", "set")])
        #expect(merged.map { "\($0.name)=\($0.value)" } == ["A=set", "b=deploy", "c=engine"])
    }

    @Test func modeComesFromTheOptionThenTheConfiguration() throws {
        let config = try context("[deploy]\n\tmode = tag\n[rebase]\n\tmode = change\n").sqitch().config
        #expect(try EngineCommand.mode(nil, keys: ["deploy.mode"], config: config) == .tag)
        #expect(try EngineCommand.mode("all", keys: ["deploy.mode"], config: config) == .all)
        #expect(try EngineCommand.mode(nil, keys: ["rebase.mode", "deploy.mode"], config: config) == .change)
        #expect(throws: EngineError.self) { try EngineCommand.mode("bogus", keys: [], config: config) }
    }

    @Test func deployWarnsAboutExtraChanges() throws {
        let context = try context()
        try run("deploy", ["users", "widgets"], context.sqitch())
        #expect(context.err.text.contains("warning: Too many changes specified; deploying to \"users\"\n"))
        #expect(context.out.text.contains("Deploying changes through users to db:sqlite:flipr.db\n"))
    }

    @Test func revertInStrictModeNeedsAChange() throws {
        let context = try context("[revert]\n\tstrict = 1\n")
        try run("deploy", [], context.sqitch())
        #expect(throws: EngineError("Must specify a target revision in strict mode", exitCode: 1)) {
            try run("revert", ["-y"], context.sqitch())
        }
        #expect(throws: EngineError("Too many changes specified")) {
            try run("revert", ["-y", "users", "widgets"], context.sqitch())
        }
        try run("revert", ["-y", "users"], context.sqitch())
        #expect(context.out.text.hasSuffix("Reverting changes to users from db:sqlite:flipr.db\n  - widgets .. ok\n"))
    }

    @Test func rebaseIsRefusedInStrictMode() throws {
        let context = try context("[revert]\n\tstrict = true\n")
        #expect(throws: CommandError("\"rebase\" cannot be used in strict mode.\\nUse explicity revert and deploy commands instead.")) {
            try run("rebase", ["-y"], context.sqitch())
        }
    }

    @Test func rebaseGoesOnAfterADeclinedRevertAll() throws {
        let context = try context()
        try run("deploy", [], context.sqitch())
        try run("rebase", [], context.sqitch(input: ScriptedInput(["n"])))
        #expect(context.out.text.hasSuffix("""
            Revert all changes from db:sqlite:flipr.db? [Yes] Nothing reverted
            Nothing to deploy (up-to-date)

            """))
    }
}
