import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Change references resolved as `sqitch show change REF` resolved them on
/// `Fixtures/plans/widgets.plan` (changes: roles, users, widgets, -widgets, +users, users).
@Suite struct PlanLookupTests {
    func plan() throws -> Plan {
        try PlanParser.parse(text: String(contentsOfFile: Fixtures.path("plans/widgets.plan"), encoding: .utf8),
                             file: "sqitch.plan")
    }

    @Test func references() throws {
        let plan = try plan()
        let expected: [(String, Int?)] = [
            ("roles", 0), ("users@alpha", 1), ("users@gamma", 4), ("users@HEAD", 5), ("@beta", 2), ("HEAD", 5),
            ("@HEAD", 5), ("ROOT", 0), ("@ROOT", 0), ("HEAD^", 4), ("@HEAD^^", 3), ("HEAD^3", 2), ("@ROOT~", 1),
            ("ROOT~~", 2), ("roles~4", 4), ("roles~9", nil), ("users@alpha^", 0), ("widgets@beta~1", 3),
            ("630ae845278227cb31d39fd41adc9835822086ae", 0), ("nope", nil),
            (plan.changes[4].tags[0].id, 4),
        ]
        for (reference, index) in expected {
            #expect(try plan.index(of: reference) == index, "\(reference)")
        }
        #expect(throws: PlanError("Unknown tag \"@nope\"")) { try plan.index(of: "users@nope") }
    }

    @Test func ambiguousReworkedName() throws {
        let plan = try plan()
        let out = RecordingSink(), err = RecordingSink()
        let console = Console(out: out, err: err)
        #expect(throws: PlanError("Change lookup failed")) { try plan.index(of: "users", console: console) }
        #expect(err.text == """
            Change "users" is ambiguous. Please specify a tag-qualified change:
              * users@HEAD
              * users@gamma
              * users@alpha

            """)
        #expect(try plan.find("users")?.id == plan.changes[1].id)
    }

    @Test func showInfo() throws {
        let plan = try plan()
        #expect(plan.changes[4].tags[0].info == """
            project widgets
            tag @gamma
            change ba79b30aa889661f55b27fd9ac7eb3945256abbf
            planner Barney Rubble <barney@example.org>
            date 2024-03-06T15:00:00Z

            A tag note
            """)
        #expect(plan.changes[3].formatTagQualifiedName == "widgets@HEAD")
        #expect(plan.changes[2].formatTagQualifiedName == "widgets@alpha")
        #expect(plan.changes[1].formatTagQualifiedName == "users@alpha")
    }

    @Test func largePlanParsesQuickly() throws {
        var text = "%syntax-version=1.0.0\n%project=big\n%uri=https://example.com/big/\n\n"
        for i in 0..<1000 {
            let deps = i == 0 ? "" : "[change_\(i - 1)] "
            text += "change_\(i) \(deps)2024-01-01T00:00:00Z Big Planner <big@example.com> # Change number \(i)\n"
            if i % 100 == 99 { text += "@v\(i / 100) 2024-01-02T00:00:00Z Big Planner <big@example.com>\n" }
        }
        let start = Date()
        let plan = try PlanParser.parse(text: text, file: "sqitch.plan")
        let elapsed = Date().timeIntervalSince(start)
        #expect(plan.count == 1000)
        #expect(plan.tags.count == 10)
        #expect(plan.text() == text)
        #expect(elapsed < 2.0, "parsed in \(elapsed)s")
    }
}

/// `sqitch plan` filters on widgets.plan, as Sqitch listed them (any filter may match).
@Test func searchChangesLikeSqitch() throws {
    let plan = try PlanParser.parse(text: String(contentsOfFile: Fixtures.path("plans/widgets.plan"), encoding: .utf8),
                                    file: "sqitch.plan")
    func ids(_ changes: [Change]) -> [Int] { changes.map { c in plan.changes.firstIndex { $0.id == c.id }! } }
    #expect(ids(try plan.searchChanges(operation: "revert")) == [3])
    #expect(ids(try plan.searchChanges(operation: "deploy", name: "^w")) == [0, 1, 2, 3, 4, 5])
    #expect(ids(try plan.searchChanges(name: "^w")) == [2, 3])
    #expect(ids(try plan.searchChanges(planner: "Barney")) == [2, 3])
    #expect(ids(try plan.searchChanges(offset: 1, limit: 2)) == [1, 2])
    #expect(ids(try plan.searchChanges(offset: 1, limit: 2, reverse: true)) == [4, 3])
    #expect(ids(try plan.searchChanges(reverse: true)) == [5, 4, 3, 2, 1, 0])
}

@Test func partialText() throws {
    let plan = try PlanParser.parse(text: "%project=p\n# c\n\na 2024-01-01T00:00:00Z A <a@b>\nb 2024-01-01T00:00:00Z A <a@b>\n# note\n@t 2024-01-01T00:00:00Z A <a@b>\nc 2024-01-01T00:00:00Z A <a@b>\n", file: "p")
    #expect(try plan.text(from: "b", to: "b") == "%syntax-version=1.0.0\n%project=p\n# c\n\nb 2024-01-01T00:00:00Z A <a@b>\n# note\n@t 2024-01-01T00:00:00Z A <a@b>\n")
    #expect(try plan.text(from: nil, to: "a") == "%syntax-version=1.0.0\n%project=p\n# c\n\na 2024-01-01T00:00:00Z A <a@b>\n")
    #expect(throws: PlanError("Cannot find change x")) { try plan.text(from: "x", to: nil) }
    let (req, con) = try Plan.parseDependencies(requires: ["a", "a", "q:b@t"], conflicts: ["c"])
    #expect(req.map { $0.asPlanString(planProject: "p") } == ["a", "q:b@t"])
    #expect(con.map { $0.asPlanString(planProject: "p") } == ["!c"])
    #expect(throws: PlanError("\"a b\" is not a valid dependency specification")) {
        try Plan.parseDependencies(requires: ["a b"], conflicts: [])
    }
}

@Test func dependencyIDsAndFirstIndex() throws {
    let plan = try PlanParser.parse(text: String(contentsOfFile: Fixtures.path("plans/widgets.plan"), encoding: .utf8),
                                    file: "sqitch.plan")
    #expect(try plan.resolvedID(of: Dependency.parse("users@alpha")!) == plan.changes[1].id)
    #expect(try plan.resolvedID(of: Dependency.parse("widgets:roles")!) == plan.changes[0].id)
    #expect(try plan.resolvedID(of: Dependency.parse("other:thing@v2")!) == nil)
    #expect(throws: PlanError("Unable to find change \"nope\" in plan sqitch.plan")) {
        try plan.resolvedID(of: Dependency.parse("nope")!)
    }
    #expect(try plan.firstIndex(of: "users") == 1)
    #expect(try plan.firstIndex(of: "users", since: "@beta") == 4)
    #expect(try plan.firstIndex(of: "users", since: "@gamma") == 5)
    #expect(try plan.firstIndex(of: "widgets", since: "@gamma") == nil)
    #expect(ItemFormats.planHeader(project: "widgets", file: "sqitch.plan") == "# Project: widgets\n# File:    sqitch.plan\n\n")
}

/// A plan read for a command's arguments has no IDs until something needs them; the
/// answers, and the IDs computed later, are those of a plan read whole.
@Suite struct PlanWithoutIDsTests {
    private func context() throws -> TestContext {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n")
        try context.directory.write("sqitch.plan", String(contentsOfFile: Fixtures.path("plans/widgets.plan"), encoding: .utf8))
        return context
    }

    @Test func namesAreAnsweredWithoutIDsAndIDsAreComputedWhenAsked() throws {
        let context = try context()
        let sqitch = try context.sqitch()
        let target = try Target(sqitch: sqitch)
        let whole = try Plan.load(path: "sqitch.plan", sqitch: sqitch)
        #expect(whole.hasIDs)

        let names = try Plan.load(path: "sqitch.plan", sqitch: sqitch, withIDs: false)
        #expect(!names.hasIDs && names.changes.allSatisfy { $0.id.isEmpty })
        let tagID = whole.changes[4].tags[0].id
        for reference in ["roles", "users", "users@alpha", "@beta", "HEAD", "ROOT^", "widgets@beta~1", "nope",
                          "db:sqlite:x@y", "users@nope", "other:users", "users@" + tagID, "@" + tagID] {
            // The same answer, or the same error (`users@nope`: an unknown tag).
            func answer(_ plan: Plan) -> String {
                do { return "\(try plan.contains(reference))" } catch { return "\(error)" }
            }
            #expect(answer(names) == answer(whole), "\(reference)")
        }
        #expect(names.lastTaggedIndex == whole.lastTaggedIndex)

        // Through the cache: names leave the IDs out, an ID computes them.
        let cache = PlanCache(sqitch: sqitch)
        #expect(try cache.contains("widgets", in: target))
        #expect(cache.loaded(target)?.hasIDs == false)
        let id = whole.changes[2].id
        #expect(Plan.mayReferToID(id) && Plan.mayReferToID(id + "^") && !Plan.mayReferToID("widgets"))
        #expect(try cache.contains(id, in: target))
        #expect(try cache.contains(tagID, in: target))
        #expect(cache.loaded(target)?.hasIDs == true)
        for reference in [id + "^", whole.changes[1].id + "@alpha", "db:sqlite:" + id + "@x"] {
            let fresh = PlanCache(sqitch: sqitch)
            #expect(try fresh.contains(reference, in: target) == whole.contains(reference), "\(reference)")
        }

        // A session given the plan without IDs computes them on first use.
        let fresh = PlanCache(sqitch: sqitch)
        #expect(try fresh.plan(of: target).changes.map(\.id) == whole.changes.map(\.id))
        let session = try EngineSession.connect(sqitch: sqitch, command: "status", arguments: ["users"],
                                                options: ConnectionOptions()).session
        let plan = try session.plan()
        #expect(plan.hasIDs && plan.changes.map(\.id) == whole.changes.map(\.id))
        #expect(plan.changes.map(\.parentID) == whole.changes.map(\.parentID))
        #expect(plan.changes.map { $0.reworkTags.map(\.id) } == whole.changes.map { $0.reworkTags.map(\.id) })
        #expect(plan.changes.contains { !$0.reworkTags.isEmpty })
        #expect(try plan.index(of: whole.changes[4].tags[0].id) == 4)
    }
}
