import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Runs `config` as the CLI does (errors reported on the console); returns the exit code.
func runConfig(_ ctx: TestContext, _ options: ConfigAction.Options = .init(), _ args: [String]) throws -> Int32 {
    let sqitch = try ctx.sqitch()
    do {
        return try ConfigAction(options: options).execute(sqitch, args)
    } catch let error as any SqitchFailure {
        sqitch.console.report(error)
        return error.exitCode
    }
}

func options(_ actions: [ConfigAction.Kind] = [], types: [ConfigValueType] = [], file: String? = nil,
             local: Bool = false, user: Bool = false, system: Bool = false) -> ConfigAction.Options {
    var o = ConfigAction.Options()
    o.actions = actions
    o.types = types
    o.file = file
    o.local = local
    o.user = user
    o.system = system
    return o
}

let sample = "[core]\n\tengine = pg\n\tfoo\n[core \"x\"]\n a = 1\n a = 2\n"

@Suite struct ConfigCommandTests {
    @Test func listSortsKeysShowsMultiValuesAndBareNamesAndEndsWithAnEmptyLine() throws {
        let ctx = try TestContext()
        try ctx.directory.write("sqitch.conf", sample)
        #expect(try runConfig(ctx, options([.list]), []) == 0)
        #expect(ctx.out.text == "core.engine=pg\ncore.foo\ncore.x.a=[1, 2]\n\n")
    }

    @Test func listOfNothingIsOneEmptyLineAndAMissingScopedFileIsSilent() throws {
        let ctx = try TestContext()
        #expect(try runConfig(ctx, options([.list]), []) == 0)
        #expect(ctx.out.text == "\n")
        let ctx2 = try TestContext()
        #expect(try runConfig(ctx2, options([.list], user: true), []) == 0)
        #expect(ctx2.out.text == "")
    }

    @Test func getPrintsTheValueOrAnEmptyLineWithExitOne() throws {
        let ctx = try TestContext()
        try ctx.directory.write("sqitch.conf", sample)
        #expect(try runConfig(ctx, options(), ["core.engine"]) == 0)
        #expect(try runConfig(ctx, options([.get]), ["core.nope"]) == 1)
        #expect(try runConfig(ctx, options([.get]), ["core.foo"]) == 1)
        #expect(ctx.out.text == "pg\n\n\n")
    }

    @Test func getOnAMultiValueFailsAndGetAllListsThem() throws {
        let ctx = try TestContext()
        try ctx.directory.write("sqitch.conf", sample)
        #expect(try runConfig(ctx, options([.get]), ["core.x.a"]) == 2)
        #expect(ctx.err.text == "More then one value for the key \"core.x.a\"\n")
        #expect(try runConfig(ctx, options([.getAll]), ["core.x.a"]) == 0)
        #expect(try runConfig(ctx, options([.get]), ["core.x.a", "2"]) == 0)
        #expect(ctx.out.text == "1\n2\n2\n")
    }

    @Test func getRegexpListsMatchingKeys() throws {
        let ctx = try TestContext()
        try ctx.directory.write("sqitch.conf", sample)
        #expect(try runConfig(ctx, options([.getRegex]), ["core\\..*"]) == 0)
        #expect(ctx.out.text == "core.engine=pg\ncore.foo\ncore.x.a=[1, 2]\n")
        #expect(try runConfig(ctx, options([.getRegex]), ["^zz"]) == 1)
    }

    @Test func keysWithoutSectionAreErrors() throws {
        let ctx = try TestContext()
        #expect(try runConfig(ctx, options([.get]), ["foo"]) == 2)
        #expect(try runConfig(ctx, options(), ["foo", "bar"]) == 2)
        #expect(ctx.err.text == "No section given in key: foo\n\nNo section given in key or invalid key foo\n\n")
    }

    @Test func usageErrors() throws {
        let ctx = try TestContext()
        let sqitch = try ctx.sqitch()
        #expect(throws: UsageError("Only one config file at a time.")) {
            try ConfigAction(options: options(local: true, user: true))
        }
        #expect(throws: UsageError("Only one type at a time.")) {
            try ConfigAction(options: options(types: [.int, .bool]))
        }
        #expect(throws: UsageError("Only one action at a time.")) {
            try ConfigAction(options: options([.get, .list]))
        }
        #expect(throws: UsageError("Wrong number of arguments.")) {
            try ConfigAction().execute(sqitch, [])
        }
        #expect(throws: UsageError("Wrong number of arguments.")) {
            try ConfigAction(action: .renameSection).execute(sqitch, ["core"])
        }
    }

    @Test func setWritesNewSectionsWithQuotingAndEscapes() throws {
        let ctx = try TestContext()
        for (key, value) in [("core.engine", "pg"), ("core.x y", " lead"), ("engine.pg.variables.Foo", "a;b"),
                             ("target.a\"b.uri", "x\"y\\z\tt"), ("core.b", "c d")] {
            #expect(try runConfig(ctx, options(), [key, value]) == 0)
        }
        #expect(ctx.directory.read("sqitch.conf") == """
            [core]
            \tengine = pg
            \tx y = " lead"
            \tb = c d
            [engine "pg.variables"]
            \tFoo = "a;b"
            [target "a\\"b"]
            \turi = x\\"y\\\\z\\tt

            """)
        #expect(try runConfig(ctx, options([.list]), []) == 0)
        #expect(ctx.out.text == "core.b=c d\ncore.engine=pg\ncore.x y= lead\nengine.pg.variables.foo=a;b\ntarget.a\"b.uri=x\"y\\z\tt\n\n")
    }

    @Test func typedSetsAndTheirErrors() throws {
        let ctx = try TestContext()
        #expect(try runConfig(ctx, options(types: [.bool]), ["core.t", "yes"]) == 0)
        #expect(try runConfig(ctx, options(types: [.int]), ["core.i", "1k"]) == 0)
        #expect(try runConfig(ctx, options(types: [.num]), ["core.n", "1.5k"]) == 0)
        #expect(try runConfig(ctx, options(types: [.int]), ["core.j", "x"]) == 2)
        #expect(try runConfig(ctx, options(types: [.bool]), ["core.j", "x"]) == 2)
        #expect(ctx.directory.read("sqitch.conf") == "[core]\n\tt = true\n\ti = 1024\n\tn = 1536\n")
        #expect(ctx.err.text == "Invalid unit while casting to int\n\nInvalid bool 'x'\n\n")
        #expect(try runConfig(ctx, options([.get], types: [.bool]), ["core.i"]) == 2)
    }

    /// `--bool-or-int`, which dies in Sqitch on its own type check (docs/DIFFERENCES.md).
    @Test func boolOrIntReadsAndWritesBooleansAndIntegers() throws {
        let ctx = try TestContext()
        #expect(try runConfig(ctx, options(types: [.boolOrInt]), ["core.b", "yes"]) == 0)
        #expect(try runConfig(ctx, options(types: [.boolOrInt]), ["core.i", "5"]) == 0)
        #expect(try runConfig(ctx, options(types: [.boolOrInt]), ["core.x", "maybe"]) == 2)
        #expect(ctx.directory.read("sqitch.conf") == "[core]\n\tb = true\n\ti = 5\n")
        #expect(ctx.err.text == "Invalid bool-or-int 'maybe'\n\n")
        #expect(try runConfig(ctx, options([.get], types: [.boolOrInt]), ["core.i"]) == 0)
        #expect(try runConfig(ctx, options([.get], types: [.boolOrInt]), ["core.b"]) == 0)
        #expect(ctx.out.text == "5\ntrue\n")
    }

    @Test func multiValueWrites() throws {
        let ctx = try TestContext()
        try ctx.directory.write("sqitch.conf", sample)
        #expect(try runConfig(ctx, options(), ["core.x.a", "3"]) == 2)
        #expect(try runConfig(ctx, options([.unset]), ["core.x.a"]) == 2)
        #expect(ctx.err.text == "Cannot overwrite multiple values with a single value\nCannot unset key with multiple values\n")
        #expect(try runConfig(ctx, options([.add]), ["core.x.a", "3"]) == 0)
        #expect(try runConfig(ctx, options(), ["core.x.a", "9", "^1"]) == 0)
        #expect(ctx.directory.read("sqitch.conf") == "[core]\n\tengine = pg\n\tfoo\n[core \"x\"]\n a = 9\n a = 2\n\ta = 3\n")
        #expect(try runConfig(ctx, options([.replaceAll]), ["core.x.a", "R"]) == 0)
        #expect(ctx.directory.read("sqitch.conf") == "[core]\n\tengine = pg\n\tfoo\n[core \"x\"]\n\ta = R\n")
        #expect(try runConfig(ctx, options([.unsetAll]), ["core.x.a"]) == 0)
        #expect(try runConfig(ctx, options([.unset]), ["core.zz"]) == 2)
        #expect(ctx.err.text.hasSuffix("No occurrence of core.zz found to unset in sqitch.conf\n\n"))
    }

    @Test func editsKeepCommentsAndLayout() throws {
        let ctx = try TestContext()
        let text = "# top\n[core] a = 1 # c\n\tb = 2\n\n; mid\n[core \"x\"]\n\tc = 3\n[core]\n\td = 4\n# tail\n"
        try ctx.directory.write("sqitch.conf", text)
        #expect(try runConfig(ctx, options([.unset]), ["core.a"]) == 0)
        #expect(ctx.directory.read("sqitch.conf") == "# top\n[core]\n\tb = 2\n\n; mid\n[core \"x\"]\n\tc = 3\n[core]\n\td = 4\n# tail\n")
        try ctx.directory.write("sqitch.conf", text)
        #expect(try runConfig(ctx, options([.removeSection]), ["core.x"]) == 0)
        #expect(ctx.directory.read("sqitch.conf") == "# top\n[core] a = 1 # c\n\tb = 2\n\n; mid\n[core]\n\td = 4\n# tail\n")
    }

    @Test func sectionRenameAndRemoval() throws {
        let ctx = try TestContext()
        #expect(try runConfig(ctx, options([.removeSection]), ["core"]) == 0) // no file: nothing to do
        try ctx.directory.write("sqitch.conf", "[core]\n\ta = R\n[core \"Sub\"]\n\tK = 1\n")
        #expect(try runConfig(ctx, options([.removeSection]), ["nope"]) == 2)
        #expect(try runConfig(ctx, options([.renameSection]), ["nope", "foo"]) == 2)
        #expect(ctx.err.text == "No such section!\nNo such section!\n")
        #expect(try runConfig(ctx, options([.renameSection]), ["core.Sub", "new.thing"]) == 0)
        #expect(ctx.directory.read("sqitch.conf") == "[core]\n\ta = R\n[new \"thing\"]\n\tK = 1\n")
        #expect(try runConfig(ctx, options([.removeSection]), ["new.thing"]) == 0)
        #expect(ctx.directory.read("sqitch.conf") == "[core]\n\ta = R\n")
    }

    @Test func scopesChooseTheWrittenFileButReadsUseTheMergedConfig() throws {
        let ctx = try TestContext()
        #expect(try runConfig(ctx, options(user: true), ["x.y", "1"]) == 0)
        #expect(ctx.directory.read("home/.sqitch/sqitch.conf") == "[x]\n\ty = 1\n")
        #expect(try runConfig(ctx, options([.get], local: true), ["x.y"]) == 0)
        #expect(try runConfig(ctx, options(file: "f.conf"), ["a.b", "c"]) == 0)
        #expect(ctx.directory.read("f.conf") == "[a]\n\tb = c\n")
        #expect(try runConfig(ctx, options([.list], file: "f.conf"), []) == 0)
        #expect(ctx.out.text == "1\nx.y=1\n\n")
    }
}

/// Configuration files that are not regular files read as files do: `/dev/null` is empty.
@Suite struct SpecialConfigFileTests {
    @Test func devNullIsAnEmptyConfiguration() throws {
        let context = try TestContext(environment: ["SQITCH_USER_CONFIG": "/dev/null", "SQITCH_SYSTEM_CONFIG": "/dev/null"])
        try context.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n")
        let sqitch = try context.sqitch()
        #expect(try sqitch.config.get("core.engine") == "sqlite")
        #expect(try sqitch.files.readData("/dev/null").isEmpty)
    }

    @Test func unreadablePathsSayWhy() throws {
        let files = FileSystem(workingDirectory: "/")
        #expect(throws: IOError("Cannot open /nonexistent/x: No such file or directory")) {
            try files.readData("/nonexistent/x")
        }
        #expect(throws: IOError("Cannot open /tmp: Is a directory")) { try files.readData("/tmp") }
    }
}
