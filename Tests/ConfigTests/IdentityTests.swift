import Testing
@testable import SqlitchCore
import SqlitchTestSupport

let account = SystemAccount(loginName: "ann", fullName: { $0 == "ann" ? "Ann Example" : nil }, hostName: "box")
let nobody = SystemAccount(loginName: nil, fullName: { _ in nil }, hostName: "box")

@Suite struct IdentityTests {
    @Test func environmentBeatsConfigWhichBeatsOriginalVariables() throws {
        let ctx = try TestContext(environment: ["SQITCH_ORIG_FULLNAME": "Orig", "SQITCH_ORIG_EMAIL": "orig@x"])
        try ctx.directory.write("sqitch.conf", "[user]\n\tname = Conf Name\n\temail = conf@x\n")
        #expect(try Identity.resolve(ctx.sqitch(), account: account) == Identity(name: "Test User", email: "test@example.com"))
        var ctx2 = ctx
        ctx2.environment["SQITCH_FULLNAME"] = nil
        ctx2.environment["SQITCH_EMAIL"] = nil
        #expect(try Identity.resolve(ctx2.sqitch(), account: account) == Identity(name: "Conf Name", email: "conf@x"))
        try ctx.directory.write("sqitch.conf", "")
        #expect(try Identity.resolve(ctx2.sqitch(), account: account) == Identity(name: "Orig", email: "orig@x"))
    }

    @Test func systemAccountFallbacks() throws {
        var ctx = try TestContext()
        ctx.environment["SQITCH_FULLNAME"] = nil
        ctx.environment["SQITCH_EMAIL"] = nil
        #expect(try Identity.resolve(ctx.sqitch(), account: account) == Identity(name: "Ann Example", email: "ann@box"))
        ctx.environment["SQITCH_ORIG_SYSUSER"] = "bob"
        #expect(try Identity.resolve(ctx.sqitch(), account: account) == Identity(name: "bob", email: "bob@box"))
        ctx.environment["SQITCH_ORIG_SYSUSER"] = nil
        ctx.environment["USER"] = "carl"
        #expect(try Identity.resolve(ctx.sqitch(), account: nobody) == Identity(name: "carl", email: "carl@box"))
    }

    @Test func errors() throws {
        var ctx = try TestContext()
        ctx.environment["SQITCH_FULLNAME"] = nil
        ctx.environment["SQITCH_EMAIL"] = nil
        #expect(throws: CommandError("Cannot find your name; run sqitch config --user user.name \"YOUR NAME\"")) {
            try Identity.name(ctx.sqitch(), account: nobody)
        }
        #expect(throws: CommandError("Cannot infer your email address; run sqitch config --user user.email you@example.com")) {
            try Identity.email(ctx.sqitch(), account: nobody)
        }
        ctx.environment["SQITCH_FULLNAME"] = "A <b"
        ctx.environment["SQITCH_EMAIL"] = "a>b"
        #expect(throws: CommandError("User name may not contain \"<\" or start with \"[\"")) {
            try Identity.name(ctx.sqitch(), account: account)
        }
        #expect(throws: CommandError("User email may not contain \">\"")) {
            try Identity.email(ctx.sqitch(), account: account)
        }
    }
}

@Suite struct EditorTests {
    @Test func editorChoiceOrder() throws {
        var ctx = try TestContext(environment: ["EDITOR": "ed", "VISUAL": "vis"])
        #expect(try Editor.command(ctx.sqitch()) == "vis")
        try ctx.directory.write("sqitch.conf", "[core]\n\teditor = nano\n")
        #expect(try Editor.command(ctx.sqitch()) == "nano")
        ctx.environment["SQITCH_EDITOR"] = "emacs"
        #expect(try Editor.command(ctx.sqitch()) == "emacs")
        let bare = try TestContext()
        #expect(try Editor.command(bare.sqitch()) == "vi")
    }

    @Test func shellQuotingAsStringShellQuote() {
        #expect(Editor.shellQuote("sqitch.conf") == "sqitch.conf")
        #expect(Editor.shellQuote("my file.conf") == "'my file.conf'")
        #expect(Editor.shellQuote("it's") == "'it'\\''s'")
        #expect(Editor.shellQuote("") == "''")
    }
}

/// Tests that start an editor (they run in parallel, as any others).
@Suite struct EditorRunTests {
    @Test func runsTheEditorOnTheFile() throws {
        let ctx = try TestContext(environment: ["SQITCH_EDITOR": "sh -c 'echo edited > \"$0\"'"])
        try Editor.edit(["out file.txt"], ctx.sqitch())
        #expect(ctx.directory.read("out file.txt") == "edited\n")
    }

    @Test func editorFailureIsReported() throws {
        let ctx = try TestContext(environment: ["SQITCH_EDITOR": "false"])
        #expect(try runConfig(ctx, options([.edit]), []) == 2)
        #expect(ctx.err.text == "\"false sqitch.conf\" unexpectedly returned exit value 1\n\n")
        let ctx2 = try TestContext(environment: ["SQITCH_EDITOR": "sh -c 'exit 3'"])
        #expect(try runConfig(ctx2, options([.edit], user: true), []) == 2)
        #expect(ctx2.err.text.hasPrefix("\"sh -c 'exit 3' "))
        #expect(ctx2.err.text.hasSuffix("sqitch.conf\" unexpectedly returned exit value 3\n\n"))
    }
}
