import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// A project with an empty `flipr` plan on SQLite.
func emptyAuthoringProject(_ extraConfig: String = "") throws -> TestContext {
    let context = try TestContext()
    try context.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n" + extraConfig)
    try context.directory.write("sqitch.plan", "%syntax-version=1.0.0\n%project=flipr\n\n")
    return context
}

/// The `projects/authoring` fixture: `users`, `@v1.0`, `widgets [users]`, with scripts.
func authoringFixture() throws -> TestContext {
    let context = try TestContext()
    try context.directory.copyFixture("projects/authoring")
    return context
}

/// `add`: plan line, scripts from the built-in templates, messages, checks and the note editor.
@Suite struct AddTests {
    func add(_ context: TestContext, _ arguments: [String], _ configure: (inout AddAction.Options) -> Void = { _ in })
        throws {
        var options = AddAction.Options()
        configure(&options)
        try AddAction(options: options).execute(context.sqitch(), arguments: arguments)
    }

    @Test func writesScriptsAndThePlan() throws {
        let context = try emptyAuthoringProject()
        try add(context, ["users"]) { $0.notes = ["Users."] }
        #expect(context.out.text == """
            Created deploy/users.sql
            Created revert/users.sql
            Created verify/users.sql
            Added "users" to sqitch.plan

            """)
        #expect(context.err.text == "")
        #expect(context.directory.read("sqitch.plan") == """
            %syntax-version=1.0.0
            %project=flipr

            users 2024-01-02T03:04:05Z Test User <test@example.com> # Users.

            """)
        #expect(context.directory.read("deploy/users.sql") ==
            "-- Deploy flipr:users to sqlite\n\nBEGIN;\n\n-- XXX Add DDLs here.\n\nCOMMIT;\n")
        #expect(context.directory.read("revert/users.sql") ==
            "-- Revert flipr:users from sqlite\n\nBEGIN;\n\n-- XXX Add DDLs here.\n\nCOMMIT;\n")
        #expect(context.directory.read("verify/users.sql") ==
            "-- Verify flipr:users on sqlite\n\nBEGIN;\n\n-- XXX Add verifications here.\n\nROLLBACK;\n")
    }

    /// Fact sheet §10.3: dependencies as given on the command line go into the deploy script;
    /// the plan drops the plan's own project prefix.
    @Test func dependenciesInScriptAndPlan() throws {
        let context = try authoringFixture()
        try add(context, ["gadgets"]) {
            $0.requires = ["users", "flipr:widgets", "other:x"]
            $0.conflicts = ["legacy"]
            $0.notes = ["n"]
        }
        #expect(context.directory.read("deploy/gadgets.sql")!.hasPrefix(
            "-- Deploy flipr:gadgets to sqlite\n-- requires: users\n-- requires: flipr:widgets\n-- requires: other:x\n-- conflicts: legacy\n\nBEGIN;\n"))
        #expect(context.out.text.hasSuffix("Added \"gadgets [users widgets other:x !legacy]\" to sqitch.plan\n"))
        #expect(context.directory.read("sqitch.plan")!.hasSuffix(
            "\ngadgets [users widgets other:x !legacy] 2024-01-02T03:04:05Z Test User <test@example.com> # n\n"))
    }

    /// Fact sheet §1.5: `-n` values joined with blank lines, escapes decoded, re-encoded on write.
    @Test func notesAreJoinedAndDecoded() throws {
        let context = try emptyAuthoringProject()
        try add(context, ["users"]) { $0.notes = ["  one\\ntwo", "three  "] }
        let plan = try Plan.load(path: "sqitch.plan", sqitch: context.sqitch())
        #expect(plan.changes[0].note == "one\ntwo\n\nthree")
        #expect(context.directory.read("sqitch.plan")!.hasSuffix("# one\\ntwo\\n\\nthree\n"))
    }

    @Test func blankLineAfterATaggedChange() throws {
        let context = try authoringFixture()
        try context.directory.write("sqitch.plan", """
            %project=flipr

            a 2024-01-01T00:00:00Z M <m@x.org>
            @t 2024-01-01T00:00:00Z M <m@x.org>

            """)
        try add(context, ["b"]) { $0.notes = ["x"] }
        #expect(context.directory.read("sqitch.plan")!.hasSuffix(
            "@t 2024-01-01T00:00:00Z M <m@x.org>\n\nb 2024-01-02T03:04:05Z Test User <test@example.com> # x\n"))
    }

    @Test func duplicateChangeHintNamesThisProgram() throws {
        let context = try authoringFixture()
        let before = context.directory.read("sqitch.plan")
        #expect(throws: PlanError("Change \"users\" already exists in plan sqitch.plan.\nUse \"sqlitch rework\" to copy and rework it")) {
            try add(context, ["users"]) { $0.notes = ["x"] }
        }
        #expect(context.directory.read("sqitch.plan") == before)
    }

    @Test func unknownRequirementWritesNothing() throws {
        let context = try authoringFixture()
        let before = context.directory.read("sqitch.plan")
        #expect(throws: PlanError("Cannot add change \"gadgets\": requires unknown change \"nope\"")) {
            try add(context, ["gadgets"]) { $0.requires = ["nope"]; $0.notes = ["x"] }
        }
        #expect(context.directory.read("sqitch.plan") == before)
        #expect(context.directory.read("deploy/gadgets.sql") == nil)
    }

    @Test func unknownTagInRequirement() throws {
        let context = try authoringFixture()
        #expect(throws: PlanError("Unknown tag \"@nope\"")) {
            try add(context, ["gadgets"]) { $0.requires = ["users@nope"]; $0.notes = ["x"] }
        }
    }

    @Test func nameThatIdentifiesATarget() throws {
        let context = try authoringFixture()
        #expect(throws: CommandError("Name \"db:sqlite:\" identifies a target; use \"--change db:sqlite:\" to use it for the change name")) {
            try add(context, ["db:sqlite:"])
        }
        #expect(throws: UsageError("")) { try add(context, []) }
    }

    @Test(arguments: [
        ("foo~1", ##""foo~1" is invalid: changes must not begin with punctuation, contain "@", ":", "#", "\", "[", "]", or blanks, or end in punctuation or digits following punctuation"##),
        ("a[1", ##""a[1" is invalid: changes must not begin with punctuation, contain "@", ":", "#", "\", "[", "]", or blanks, or end in punctuation or digits following punctuation"##),
        ("HEAD", #""HEAD" is a reserved name"#),
    ])
    func invalidNames(_ name: String, _ message: String) throws {
        let context = try authoringFixture()
        #expect(throws: PlanError(message)) { try add(context, [], { $0.changeName = name; $0.notes = ["x"] }) }
    }

    @Test func subdirectoriesForSlashNames() throws {
        let context = try emptyAuthoringProject()
        try add(context, ["schema/users"]) { $0.notes = ["x"] }
        #expect(context.directory.read("deploy/schema/users.sql") != nil)
        #expect(context.directory.read("verify/schema/users.sql") != nil)
    }

    @Test func existingScriptsAreSkipped() throws {
        let context = try emptyAuthoringProject()
        try context.directory.write("revert/users.sql", "mine\n")
        try add(context, ["users"]) { $0.notes = ["x"] }
        #expect(context.out.text.contains("Skipped revert/users.sql: already exists\n"))
        #expect(context.directory.read("revert/users.sql") == "mine\n")
    }

    /// Sqitch 1.6 warns about a doubled extension.
    @Test func doubleExtensionWarning() throws {
        let context = try emptyAuthoringProject()
        try add(context, ["x.sql"]) { $0.notes = ["x"]; $0.templates.with = ["revert": false, "verify": false] }
        #expect(context.err.text == "warning: File deploy/x.sql.sql has a double extension of sql\n")
        #expect(AddAction.doubleExtension("deploy/a.sql") == nil)
        #expect(AddAction.doubleExtension("deploy/a.ddl.ddlddl") == "ddl")
    }

    @Test func extraScriptTypesFromATemplateDirectory() throws {
        let context = try emptyAuthoringProject()
        try context.directory.write("t/test/sqlite.tmpl", "test [% change %] [% who %]\n")
        try add(context, ["users"]) {
            $0.notes = ["x"]
            $0.templates.templateDirectory = "t"
            $0.templates.set = [(key: "who", value: "me")]
        }
        #expect(context.directory.read("test/users.sql") == "test users me\n")
        #expect(context.out.text.contains("Created revert/users.sql\nCreated test/users.sql\nCreated verify/users.sql\n"))
    }

    /// The note editor's file (fact sheet §7 add) and an empty note.
    @Test func editorPromptText() {
        let text = AuthoringNote.editorFileText(prompt: AuthoringNote.changePrompt(
            command: "add", line: "q [x !y]", scripts: ["deploy/q.sql", "revert/q.sql"]))
        #expect(text == """

            # Please enter a note for your change. Lines starting with '#' will
            # be ignored, and an empty message aborts the add.
            # Change to add:
            # 
            #   q [x !y]
            #     deploy/q.sql
            #     revert/q.sql


            """)
    }

    @Test func editedNotes() throws {
        #expect(try AuthoringNote.parseEditedNote("\n\nHello\n  # gone\nthere\n\n") == "Hello\nthere")
        #expect(throws: PlanError("Aborting due to empty note", exitCode: 1)) {
            try AuthoringNote.parseEditedNote("\n# Please\n   \n")
        }
    }

    @Test func noteFromTheEditor() throws {
        let context = try TestContext(environment: ["SQITCH_EDITOR": "sh ed.sh"])
        try context.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n")
        try context.directory.write("sqitch.plan", "%project=flipr\n\n")
        try context.directory.write("ed.sh", "cp \"$1\" seen.txt\necho 'From the editor.' >> \"$1\"\n")
        try add(context, ["users"])
        #expect(context.directory.read("seen.txt")!.contains("#   users\n#     deploy/users.sql\n"))
        #expect(context.directory.read("sqitch.plan")!.hasSuffix("# From the editor.\n"))
    }

    @Test func emptyEditorNoteWritesNothing() throws {
        let context = try TestContext(environment: ["SQITCH_EDITOR": "true"])
        try context.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n")
        try context.directory.write("sqitch.plan", "%project=flipr\n\n")
        #expect(throws: PlanError("Aborting due to empty note", exitCode: 1)) { try add(context, ["users"]) }
        #expect(context.directory.read("sqitch.plan") == "%project=flipr\n\n")
        #expect(context.directory.read("deploy/users.sql") == nil)
    }

    /// One change added to two plans (targets with their own plan files and directories).
    @Test func severalTargets() throws {
        let context = try TestContext()
        try context.directory.copyFixture("projects/authoring-targets")
        try add(context, ["gadgets", "prod", "dev"]) { $0.notes = ["x"] }
        #expect(context.directory.read("prod/deploy/gadgets.sql") != nil)
        #expect(context.directory.read("deploy/gadgets.sql") != nil)
        #expect(context.directory.read("prod/prod.plan")!.contains("\ngadgets 2024-01-02T03:04:05Z"))
        #expect(context.directory.read("sqitch.plan")!.contains("\ngadgets 2024-01-02T03:04:05Z"))
        #expect(context.out.text.hasSuffix(
            "Added \"gadgets\" to prod/prod.plan\nCreated deploy/gadgets.sql\nCreated revert/gadgets.sql\n"
                + "Created verify/gadgets.sql\nAdded \"gadgets\" to sqitch.plan\n"))
    }
}
