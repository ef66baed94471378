import SqlitchCore
import SqlitchTestSupport
import Testing

struct TemplateSetTests {
    func context(_ config: String = "[core]\n\tengine = sqlite\n") throws -> TestContext {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", config)
        return context
    }

    func failure(_ context: TestContext, _ options: TemplateOptions, engine: String = "sqlite") -> String? {
        do {
            let sqitch = try context.sqitch()
            _ = try TemplateSet(sqitch: sqitch, options: options).resolve(sqitch: sqitch, engine: engine)
            return nil
        } catch let error as any SqitchFailure {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func builtInsWhenNothingIsInstalled() throws {
        let ctx = try context()
        let sqitch = try ctx.sqitch()
        let templates = try TemplateSet(sqitch: sqitch).resolve(sqitch: sqitch, engine: "pg")
        #expect(templates.map(\.type) == ["deploy", "revert", "verify"])
        #expect(templates[0].source == .builtIn(BuiltInTemplates.deploy))
    }

    @Test func searchOrder() throws {
        let ctx = try context()
        let dir = ctx.directory
        try dir.write("etc/templates/deploy/sqlite.tmpl", "etc deploy")
        try dir.write("etc/templates/revert/sqlite.tmpl", "etc revert")
        try dir.write("etc/templates/verify/sqlite.tmpl", "etc verify")
        try dir.write("etc/templates/test/sqlite.tmpl", "etc test")
        try dir.write("home/.sqitch/templates/revert/sqlite.tmpl", "home revert")
        try dir.write("mine/verify/sqlite.tmpl", "mine verify")
        try dir.write("mine/verify/pg.tmpl", "mine pg verify")
        try dir.write("use.tmpl", "used deploy")
        let sqitch = try ctx.sqitch()
        let set = try TemplateSet(sqitch: sqitch, options: TemplateOptions(
            templateDirectory: "mine", use: [(type: "deploy", path: "use.tmpl")]))
        let templates = try set.resolve(sqitch: sqitch, engine: "sqlite")
        #expect(templates.map(\.type) == ["deploy", "revert", "test", "verify"])
        #expect(try templates.map { try $0.text(files: sqitch.files) }
            == ["used deploy", "home revert", "etc test", "mine verify"])
    }

    @Test func configuredTemplatesAndName() throws {
        let ctx = try context("""
            [core]
            \tengine = sqlite
            [add]
            \ttemplate_directory = mine
            \ttemplate_name = custom
            [add "templates"]
            \trevert = rev.tmpl
            """)
        try ctx.directory.write("mine/deploy/custom.tmpl", "d")
        try ctx.directory.write("mine/verify/custom.tmpl", "v")
        try ctx.directory.write("rev.tmpl", "r")
        let sqitch = try ctx.sqitch()
        let templates = try TemplateSet(sqitch: sqitch).resolve(sqitch: sqitch, engine: "sqlite")
        #expect(templates.map(\.source)
            == [.file("mine/deploy/custom.tmpl"), .file("rev.tmpl"), .file("mine/verify/custom.tmpl")])
        #expect(try templates.map { try $0.text(files: sqitch.files) } == ["d", "r", "v"])
    }

    @Test func withAndWithout() throws {
        let ctx = try context()
        try ctx.directory.write("etc/templates/test/sqlite.tmpl", "t")
        let sqitch = try ctx.sqitch()
        let set = try TemplateSet(sqitch: sqitch, options: TemplateOptions(with: ["verify": false, "extra": true]))
        #expect(try set.resolve(sqitch: sqitch, engine: "sqlite").map(\.type) == ["deploy", "revert", "test"])
        let noTest = try TemplateSet(sqitch: sqitch, options: TemplateOptions(with: ["test": false]))
        #expect(try noTest.resolve(sqitch: sqitch, engine: "sqlite").map(\.type) == ["deploy", "revert", "verify"])
    }

    /// Messages as `sqitch add` printed them.
    @Test func errors() throws {
        let ctx = try context()
        try ctx.directory.write("deploy/x.sql", "")
        try ctx.directory.write("sqitch.plan", "%project=flipr\n")
        #expect(failure(ctx, TemplateOptions(templateName: "nonexist")) == "Cannot find deploy template")
        #expect(failure(ctx, TemplateOptions(templateName: "nonexist", with: ["deploy": false]))
            == "Cannot find revert template")
        #expect(failure(ctx, TemplateOptions(use: [(type: "deploy", path: "./missing.tmpl")]))
            == "Template ./missing.tmpl does not exist")
        #expect(failure(ctx, TemplateOptions(use: [(type: "deploy", path: "deploy")]))
            == "Template deploy is not a file")
        #expect(failure(ctx, TemplateOptions(templateDirectory: "./nope/")) == "Directory \"nope\" does not exist")
        #expect(failure(ctx, TemplateOptions(templateDirectory: "sqitch.plan")) == "\"sqitch.plan\" is not a directory")
        #expect(failure(ctx, TemplateOptions()) == nil)
    }

    @Test func renderErrorsNameTheTemplate() throws {
        let ctx = try context()
        try ctx.directory.write("bad.tmpl", "[% IF x %]")
        let sqitch = try ctx.sqitch()
        let template = ScriptTemplate(type: "deploy", source: .file("bad.tmpl"))
        #expect(throws: CommandError("Error executing bad.tmpl: unexpected end of input")) {
            try template.render(files: sqitch.files, variables: [:])
        }
        let builtIn = ScriptTemplate(type: "revert", source: .builtIn(BuiltInTemplates.revert))
        #expect(try builtIn.render(files: sqitch.files, variables: ["project": "p", "change": "c", "engine": "pg"])
            .hasPrefix("-- Revert p:c from pg\n"))
    }

    @Test func variables() throws {
        let ctx = try context("""
            [core]
            \tengine = sqlite
            [add "variables"]
            \tcv = fromcfg
            \tsingle = cfgsingle
            \tchange = ignored
            """)
        let sqitch = try ctx.sqitch()
        let set = try TemplateSet(sqitch: sqitch, options: TemplateOptions(
            set: [(key: "multi", value: "x"), (key: "multi", value: "y"), (key: "single", value: "s"),
                  (key: "multi", value: "z")]))
        let vars = set.variables(change: "a6", engine: "sqlite", project: "flipr", requires: ["flipr:users"],
                                 conflicts: [])
        #expect(vars["multi"] == ["x", "y", "z"])
        #expect(vars["single"] == "s")
        #expect(vars["cv"] == "fromcfg")
        #expect(vars["change"] == "a6")
        #expect(vars["engine"] == "sqlite")
        #expect(vars["project"] == "flipr")
        #expect(vars["requires"] == ["flipr:users"])
        #expect(vars["conflicts"] == [])
    }
}
