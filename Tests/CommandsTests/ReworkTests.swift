import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `rework`: the new plan line, script copies, messages and errors.
@Suite struct ReworkTests {
    func rework(_ context: TestContext, _ arguments: [String],
                _ configure: (inout ReworkAction.Options) -> Void = { _ in }) throws {
        var options = ReworkAction.Options()
        configure(&options)
        try ReworkAction(options: options).execute(context.sqitch(), arguments: arguments)
    }

    @Test func copiesScriptsAndAddsTheChange() throws {
        let context = try authoringFixture()
        let deploy = context.directory.read("deploy/users.sql")
        let revert = context.directory.read("revert/users.sql")
        try rework(context, ["users"]) { $0.notes = ["Again."] }
        #expect(context.out.text == """
            Added "users [users@v1.0]" to sqitch.plan.
            Modify these files as appropriate:
              * deploy/users.sql
              * revert/users.sql
              * verify/users.sql

            """)
        #expect(context.directory.read("deploy/users@v1.0.sql") == deploy)
        #expect(context.directory.read("revert/users@v1.0.sql") == revert)
        #expect(context.directory.read("revert/users.sql") == deploy)
        #expect(context.directory.read("sqitch.plan")!.hasSuffix(
            "\nusers [users@v1.0] 2024-01-02T03:04:05Z Test User <test@example.com> # Again.\n"))
    }

    @Test func oneFile() throws {
        let context = try authoringFixture()
        try context.directory.write("sqitch.plan", "%project=flipr\n\na 2024-01-01T00:00:00Z M <m@x.org>\n@t 2024-01-01T00:00:00Z M <m@x.org>\n")
        try context.directory.write("deploy/a.sql", "-- a\n")
        try rework(context, ["a"]) { $0.notes = ["x"] }
        #expect(context.out.text.hasSuffix("Modify this file as appropriate:\n  * deploy/a.sql\n"))
        #expect(context.directory.read("revert/a.sql") == nil)
    }

    /// Sqitch 1.4+ creates missing reworked directories.
    @Test func createsReworkedDirectories() throws {
        let context = try authoringFixture()
        try context.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n\treworked_dir = old\n")
        try rework(context, ["users"]) { $0.notes = ["x"] }
        #expect(context.directory.read("old/deploy/users@v1.0.sql") != nil)
        #expect(context.directory.read("old/verify/users@v1.0.sql") != nil)
    }

    @Test func errorsNameThisProgramInHints() throws {
        let context = try authoringFixture()
        #expect(throws: PlanError("Change \"nope\" does not exist in sqitch.plan.\nUse \"sqlitch add nope\" to add it to the plan")) {
            try rework(context, ["nope"]) { $0.notes = ["x"] }
        }
        #expect(throws: PlanError("Cannot rework \"widgets\" without an intervening tag.\nUse \"sqlitch tag\" to create a tag and try again")) {
            try rework(context, ["widgets"]) { $0.notes = ["x"] }
        }
        #expect(throws: PlanError("Cannot rework change \"users\": requires unknown change \"nope\"")) {
            try rework(context, ["users"]) { $0.requires = ["nope"]; $0.notes = ["x"] }
        }
        #expect(throws: UsageError("")) { try rework(context, []) }
        #expect(context.directory.read("deploy/users@v1.0.sql") == nil)
    }

    @Test func editorPromptNamesRework() throws {
        #expect(AuthoringNote.changePrompt(command: "rework", line: "users [users@v1.0]", scripts: ["deploy/users.sql"])
            == "Please enter a note for your change. Lines starting with '#' will\nbe ignored, and an empty message aborts the rework.\nChange to rework:\n\n  users [users@v1.0]\n    deploy/users.sql\n")
    }
}
