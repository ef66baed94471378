import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `tag`: adding a tag line after a change and its tags, listing, errors.
@Suite struct TagTests {
    func tag(_ context: TestContext, _ arguments: [String], _ configure: (inout TagAction.Options) -> Void = { _ in })
        throws {
        var options = TagAction.Options()
        configure(&options)
        try TagAction(options: options).execute(context.sqitch(), arguments: arguments)
    }

    @Test func tagsTheLastChange() throws {
        let context = try authoringFixture()
        try tag(context, ["@v2.0"]) { $0.notes = ["Second."] }
        #expect(context.out.text == "Tagged \"widgets\" with @v2.0 in sqitch.plan\n")
        #expect(context.directory.read("sqitch.plan")!.hasSuffix(
            "Widgets.\n@v2.0 2024-01-02T03:04:05Z Test User <test@example.com> # Second.\n"))
    }

    @Test func insertsAfterTheChangesTags() throws {
        let context = try authoringFixture()
        try tag(context, ["beta", "users"]) { $0.notes = ["b"] }
        let text = context.directory.read("sqitch.plan")!
        #expect(text.contains("# First release.\n@beta 2024-01-02T03:04:05Z Test User <test@example.com> # b\nwidgets"))
    }

    @Test func listsTags() throws {
        let context = try authoringFixture()
        try tag(context, [])
        #expect(context.out.text == "@v1.0\n")
    }

    @Test func errors() throws {
        let context = try authoringFixture()
        #expect(throws: PlanError("Tag \"@v1.0\" already exists")) { try tag(context, ["v1.0"]) { $0.notes = ["x"] } }
        #expect(throws: PlanError("Unknown change: \"nope\"")) { try tag(context, ["v2", "nope"]) { $0.notes = ["x"] } }
        #expect(throws: CommandError("Name \"db:sqlite:\" identifies a target; use \"--tag db:sqlite:\" to use it for the tag name")) {
            try tag(context, ["db:sqlite:"])
        }
        let empty = try emptyAuthoringProject()
        #expect(throws: PlanError("Cannot apply tag \"@v1\" to a plan with no changes")) {
            try tag(empty, ["v1"]) { $0.notes = ["x"] }
        }
    }

    @Test func editorPrompt() throws {
        #expect(AuthoringNote.editorFileText(prompt: AuthoringNote.tagPrompt(command: "tag"))
            == "\n# Write a tag note.\n# Lines starting with '#' will be ignored.\n")
        let context = try TestContext(environment: ["SQITCH_EDITOR": "true"])
        try context.directory.copyFixture("projects/authoring")
        let before = context.directory.read("sqitch.plan")
        #expect(throws: PlanError("Aborting due to empty note", exitCode: 1)) { try tag(context, ["v2"]) }
        #expect(context.directory.read("sqitch.plan") == before)
    }
}
