import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// A sink that records bytes, as standard output does for `show deploy`.
final class RecordingByteSink: ByteSink, @unchecked Sendable {
    var bytes: [UInt8] = []
    func write(_ text: String) { bytes += Array(text.utf8) }
    func write(bytes: [UInt8]) { self.bytes += bytes }
}

/// The `show` command over the `projects/planshow` fixture; expected texts are Sqitch 1.3.1's.
@Suite struct ShowObjectTests {
    func context() throws -> TestContext {
        let context = try TestContext()
        try context.directory.copyFixture("projects/planshow")
        return context
    }

    func show(_ context: TestContext, _ type: String?, _ key: String?, existsOnly: Bool = false) throws -> Int32 {
        var options = ShowObject.Options()
        options.existsOnly = existsOnly
        return try ShowObject(options: options).execute(context.sqitch(), type: type, key: key)
    }

    @Test func changeInfoWithDependenciesAndEscapedNote() throws {
        let context = try context()
        #expect(try show(context, "change", "flips@v1.1") == 0)
        #expect(context.out.text == """
            project flipr
            uri https://github.com/sqitchers/sqitch-sqlite-intro/
            change flips
            parent aa6e091f503311dc203d49eb67e515925e7d5e03
            planner Barney Rubble <barney@example.org>
            date 2024-01-04T09:15:00Z
            requires
              + users
              + widgets:gizmo
            conflicts
              - legacy

            Escapes: tab\\there, backslash \\ done.

              Indented body line.
            Last line ✓

            """)
    }

    @Test(arguments: ["v1.1", "@v1.1", "0ba212fcd8ed82c2087c0655d00ff919d0205fe3"])
    func tagInfo(_ key: String) throws {
        let context = try context()
        #expect(try show(context, "tag", key) == 0)
        #expect(context.out.text == """
            project flipr
            uri https://github.com/sqitchers/sqitch-sqlite-intro/
            tag @v1.1
            change 3be1bf667e3927b2b82f75a70740a2fdded7d922
            planner Barney Rubble <barney@example.org>
            date 2024-01-06T12:00:00Z

            """)
    }

    @Test func reworkedScriptsByTag() throws {
        let context = try context()
        _ = try show(context, "deploy", "users@v1.0")
        _ = try show(context, "verify", "users@v2.0")
        _ = try show(context, "revert", "users@HEAD")
        #expect(context.out.text == """
            -- deploy users@v1.0
            SELECT 'first';

            -- verify users@v2.0
            SELECT 'second';



            -- revert users
            SELECT 1; -- Ünïcødé


            """)
    }

    @Test func scriptBytesAreNotReencoded() throws {
        let context = try context()
        let sink = RecordingByteSink()
        let sqitch = try Sqitch(environment: context.environment, console: Console(out: sink, err: context.err),
                                files: FileSystem(workingDirectory: context.directory.path),
                                etcPath: context.directory.path + "/etc")
        _ = try ShowObject(options: ShowObject.Options()).execute(sqitch, type: "deploy", key: "hash/tags")
        #expect(sink.bytes == Array("-- deploy hash/tags in Latin-1: caf".utf8) + [0xE9] + Array("\nSELECT 1;\n\n".utf8))
    }

    @Test func aDirectoryReadsAsEmpty() throws {
        let context = try context()
        #expect(try show(context, "verify", "hash/tags") == 0)
        #expect(context.out.text == "\n")
    }

    @Test(arguments: [
        ("change", "nope", "Unknown change \"nope\""),
        ("tag", "nope", "Unknown tag \"nope\""),
        ("tag", "HEAD", "Unknown tag \"HEAD\""),
        ("view", "users", "Unknown object type \"view"),
        ("verify", "café", "File \"verify/café.sql\" does not exist"),
        ("deploy", "missing", "File \"deploy/missing.sql\" does not exist"),
        ("change", "users@nope", "Unknown tag \"@nope\""),
    ])
    func errors(_ type: String, _ key: String, _ message: String) throws {
        let context = try context()
        if message.hasPrefix("Unknown tag \"@") {
            #expect(throws: PlanError(message)) { _ = try show(context, type, key) }
        } else {
            #expect(throws: CommandError(message)) { _ = try show(context, type, key) }
        }
    }

    @Test(arguments: [("change", "appschema", 0), ("change", "nope", 2), ("tag", "beta", 0), ("tag", "v9", 2),
                      ("deploy", "users@v1.0", 0), ("verify", "café", 2)] as [(String, String, Int32)])
    func existsIsSilent(_ type: String, _ key: String, _ code: Int32) throws {
        let context = try context()
        #expect(try show(context, type, key, existsOnly: true) == code)
        #expect(context.out.text == "")
        #expect(context.err.text == "")
    }

    @Test func ambiguousChangeListsCandidates() throws {
        let context = try context()
        #expect(throws: PlanError("Change lookup failed")) { _ = try show(context, "change", "users") }
        #expect(context.err.text == """
            Change "users" is ambiguous. Please specify a tag-qualified change:
              * users@HEAD
              * users@v2.0
              * users@v1.0

            """)
    }

    @Test(arguments: [(nil, nil), ("change", nil), ("change", "0"), ("", "x")] as [(String?, String?)])
    func missingArgumentsAreUsage(_ type: String?, _ key: String?) throws {
        let context = try context()
        #expect(throws: UsageError("")) { _ = try show(context, type, key) }
    }

    @Test func sectionTargetAndTopDirWarning() throws {
        let context = try context()
        try context.directory.write("sqitch.conf", """
            [core]
            \tengine = sqlite
            [target "alt"]
            \turi = db:sqlite:alt.db
            \tplan_file = alt.plan
            [show]
            \ttarget = alt

            """)
        try context.directory.write("alt.plan", "%project=alt\n\nsolo 2024-02-01T00:00:00Z A <a@example.com>\n")
        let sqitch = try context.sqitch()
        var options = ShowObject.Options()
        options.topDir = "."
        let show = try ShowObject(options: options, config: sqitch.config, console: sqitch.console)
        #expect(show.options.target == "alt")
        #expect(context.err.text == """
            warning:   Option --top-dir is deprecated for show and other non-configuration commands.
            warning:   Use --chdir instead.

            """)
        #expect(try show.execute(sqitch, type: "change", key: "solo") == 0)
        #expect(context.out.text.hasPrefix("project alt\nchange solo\n"))
    }
}
