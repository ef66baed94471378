import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Rewrites compared with the file Sqitch wrote after `tag delta`, `tag epsilon roles`,
/// `add gadgets -r users -r widgets:roles -r other:x`, `tag zeta`, `rework roles` on
/// `Fixtures/plans/widgets.plan` (new timestamps replaced by 2024-05-05T05:05:05Z).
@Suite struct PlanWriterTests {
    let stamp = PlanText.utcDate(year: 2024, month: 5, day: 5, hour: 5, minute: 5, second: 5)!

    func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: Fixtures.path("plans/" + name), encoding: .utf8)
    }

    func tag(_ name: String, _ note: String) -> SqlitchCore.Tag {
        SqlitchCore.Tag(name: name, note: note, timestamp: stamp, plannerName: "Test_User", plannerEmail: "test@example.com")
    }

    func change(_ name: String, requires: [String] = [], note: String) -> Change {
        Change(name: name, requires: requires.map { Dependency.parse($0)! }, note: PlanText.decodeNote(note),
               timestamp: stamp, plannerName: "Test_User", plannerEmail: "test@example.com")
    }

    @Test func mutationsMatchSqitch() throws {
        var plan = try PlanParser.parse(text: fixture("widgets.plan"), file: "sqitch.plan")
        try plan.tag(tag("delta", "Delta tag"))
        try plan.tag(tag("epsilon", "On roles"), change: "roles")
        try plan.add(change("gadgets", requires: ["users", "widgets:roles", "other:x"], note: "New thing\n\nline\\two"))
        try plan.tag(tag("zeta", "z"))
        try plan.rework(change("roles", note: "Rework roles"))
        #expect(plan.text() == (try fixture("expected/widgets-rewritten.plan")))
        // The reworked instances and their script names.
        let roles = plan.changes.enumerated().filter { $0.element.name == "roles" }.map(\.offset)
        #expect(plan.changes[roles[0]].reworkTags.map(\.name) == ["zeta"])
        #expect(plan.changes[roles[0]].pathSegments(extension: "sql") == ["roles@zeta.sql"])
        #expect(plan.changes[roles[1]].pathSegments(extension: "sql") == ["roles.sql"])
        // Reparsing the written text gives the same IDs.
        let again = try PlanParser.parse(text: plan.text(), file: "sqitch.plan")
        #expect(again.changes.map(\.id) == plan.changes.map(\.id))
        #expect(again.text() == plan.text())
    }

    @Test func writesThroughTheFileSystem() throws {
        let context = try TestContext()
        try context.directory.write("sqitch.plan", "%project=x\r\n\r\na 2024-01-01T00:00:00Z A <a@b>\r\n")
        let sqitch = try context.sqitch()
        let plan = try Plan.load(path: "sqitch.plan", sqitch: sqitch)
        try plan.write(sqitch: sqitch)
        #expect(context.directory.read("sqitch.plan") == "%syntax-version=1.0.0\n%project=x\n\na 2024-01-01T00:00:00Z A <a@b>\n")
        #expect(throws: PlanError("Plan file nope.plan does not exist")) {
            try Plan.load(path: "nope.plan", sqitch: sqitch)
        }
    }

    @Test func mutationErrors() throws {
        var plan = try PlanParser.parse(text: fixture("widgets.plan"), file: "sqitch.plan")
        #expect(throws: PlanError("Change \"roles\" already exists in plan sqitch.plan.\nUse \"sqitch rework\" to copy and rework it")) {
            try plan.add(change("roles", note: ""))
        }
        #expect(throws: PlanError("Tag \"@alpha\" already exists")) { try plan.tag(tag("alpha", "")) }
        #expect(throws: PlanError("Unknown change: \"nope\"")) { try plan.tag(tag("x", ""), change: "nope") }
        #expect(throws: PlanError("Cannot add change \"n\": requires unknown change \"nope\"")) {
            try plan.add(change("n", requires: ["nope"], note: ""))
        }
        #expect(throws: PlanError("Cannot rework \"users\" without an intervening tag.\nUse \"sqitch tag\" to create a tag and try again")) {
            try plan.rework(change("users", note: ""))
        }
        #expect(throws: PlanError("Change \"nope\" does not exist in sqitch.plan.\nUse \"sqitch add nope\" to add it to the plan")) {
            try plan.rework(change("nope", note: ""))
        }
    }
}

/// Odd spacing, operators, tight notes, escapes and same-project prefixes, rewritten by
/// `sqitch tag last -n n` (IDs as `sqitch plan` printed them).
@Test func oddLinesRoundTrip() throws {
    let text = try String(contentsOfFile: Fixtures.path("plans/odd.plan"), encoding: .utf8)
    var plan = try PlanParser.parse(text: text, file: "sqitch.plan")
    #expect(plan.changes.map(\.id) == ["608ba361d328cce6d5498b782785a93afe101204", "391c8b52c730a713048a5be37c4b733b8e8feb9e",
                                       "8286b301316a89d73f8ad487202b0a82e100d01b", "b702eabfa82886227c56bb00237ecf932b88507d"])
    #expect(plan.changes[0].plannerName == "A  B ")  // greedy name, as Sqitch reads it
    let stamp = PlanText.utcDate(year: 2024, month: 5, day: 5, hour: 5, minute: 5, second: 5)!
    try plan.tag(SqlitchCore.Tag(name: "last", note: "n", timestamp: stamp, plannerName: "T", plannerEmail: "t@e.com"))
    let expected = try String(contentsOfFile: Fixtures.path("plans/expected/odd-rewritten.plan"), encoding: .utf8)
    #expect(plan.text() == expected)
}

/// `beta[alpha]2024-...` reads as one long name followed by a timestamp: Sqitch's "Invalid name".
@Test func nameRunningIntoTimestamp() {
    #expect(throws: PlanError(##"Syntax error in sqitch.plan at line 3: Invalid name; names must not begin with punctuation, contain "@", ":", "#", "\", "[", "]", or blanks, or end in punctuation or digits following punctuation"##, reason: .syntax)) {
        try PlanParser.parse(text: "%project=odd\n\nbeta[alpha]2024-01-01T00:00:00Z A <a@b>\n", file: "sqitch.plan")
    }
}

@Test func emptyPlanAsInitWritesIt() throws {
    var plan = Plan.empty(project: "flipr", uri: "https://example.com/", file: "sqitch.plan")
    #expect(plan.text() == "%syntax-version=1.0.0\n%project=flipr\n%uri=https://example.com/\n\n")
    let stamp = PlanText.utcDate(year: 2024, month: 5, day: 5, hour: 5, minute: 5, second: 5)!
    try plan.add(Change(name: "users", note: "Users", timestamp: stamp, plannerName: "T", plannerEmail: "t@e"))
    #expect(plan.text() == "%syntax-version=1.0.0\n%project=flipr\n%uri=https://example.com/\n\nusers 2024-05-05T05:05:05Z T <t@e> # Users\n")
    #expect(throws: PlanError("Cannot apply tag \"@v1\" to a plan with no changes")) {
        var empty = Plan.empty(project: "x", file: "sqitch.plan")
        try empty.tag(SqlitchCore.Tag(name: "v1", timestamp: stamp, plannerName: "T", plannerEmail: "t@e"))
    }
}

/// Reworked script names: `x`, `y`, `@a`, `@b`, `x [x@a]`, `z`, `@c`, `x [x@c]` gives
/// `deploy/x@a.sql`, `deploy/x@c.sql`, `deploy/x.sql` (fact sheet 1.7, verified with Sqitch).
@Test func reworkedScriptPaths() throws {
    let t = "2024-01-01T00:00:00Z A <a@b>"
    let text = "%project=p\n\nx \(t)\ny \(t)\n@a \(t)\n@b \(t)\nx [x@a] \(t)\nz \(t)\n@c \(t)\nx [x@c] \(t)\n"
    let plan = try PlanParser.parse(text: text, file: "sqitch.plan")
    let context = try TestContext()
    let files = FileSystem(workingDirectory: context.directory.path)
    let paths = plan.changes.filter { $0.name == "x" }.map {
        $0.scriptPath(directory: "deploy", reworkedDirectory: "deploy", reworkedDeployDirectory: "deploy",
                      extension: "sql", files: files)
    }
    #expect(paths == ["deploy/x@a.sql", "deploy/x@c.sql", "deploy/x.sql"])
    #expect(plan.changes[0].reworkTags.map(\.name) == ["a", "b"])
    // An existing file for a later rework tag wins.
    try context.directory.write("deploy/x@b.sql", "")
    #expect(plan.changes[0].scriptPath(directory: "deploy", reworkedDirectory: "deploy", reworkedDeployDirectory: "deploy",
                                       extension: "sql", files: files) == "deploy/x@b.sql")
}
