import SqlitchCore
import SqlitchTestSupport
import Testing

struct ParseArgumentsTests {
    let config = """
        [core]
        \tengine = sqlite
        [engine "pg"]
        \ttarget = pgtarget
        [target "pgtarget"]
        \turi = db:pg:flipr
        [target "other"]
        \turi = db:sqlite:other.db
        \tplan_file = other.plan
        """

    func parse(_ args: [String], names: [String?] = [], noChanges: Bool = false, all: Bool = false,
               target: String? = nil, changes: Set<String> = ["users"]) throws -> ParsedArguments {
        let (context, sqitch) = try project(config)
        try context.directory.write("sqitch.plan", "%project=flipr\n\nusers 2024-01-01T00:00:00Z A <a@b> # x\n")
        try context.directory.write("other.plan", "%project=other\n")
        return try Target.parseArguments(sqitch: sqitch, command: "deploy", arguments: args, target: target,
                                         names: names, noChanges: noChanges, all: all) { _, arg in
            changes.contains(arg)
        }
    }

    func failure(_ args: [String], all: Bool = false) -> String? {
        do {
            _ = try parse(args, all: all)
            return nil
        } catch let error as any SqitchFailure {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultTarget() throws {
        let parsed = try parse([])
        #expect(parsed.targets.map(\.name) == ["db:sqlite:"])
        #expect(parsed.changes.isEmpty)
    }

    @Test func classifiesEachKind() throws {
        let parsed = try parse(["users", "pgtarget", "pg", "db:mysql:x", "other.plan"])
        #expect(parsed.changes == ["users"])
        #expect(parsed.targets.map(\.name) == ["pgtarget", "db:mysql:x", "other"])
    }

    @Test func engineWithoutConfiguredTarget() throws {
        #expect(try parse(["mysql"]).targets.map(\.name) == ["db:mysql:"])
    }

    @Test func explicitTargetComesFirst() throws {
        let parsed = try parse(["other"], target: "pgtarget")
        #expect(parsed.targets.map(\.name) == ["pgtarget", "other"])
    }

    @Test func noChangesMakesChangesUnknown() throws {
        let parsed = try parse(["users"], names: [nil], noChanges: true)
        #expect(parsed.names == ["users"])
        #expect(parsed.targets.map(\.name) == ["db:sqlite:"])
    }

    @Test func unknownArguments() {
        #expect(failure(["zork"]) == "Unknown argument \"zork\"")
        #expect(failure(["zork", "zork2"]) == "Unknown arguments: zork, zork2")
        #expect(failure(["sqitch.conf"]) == "Unknown argument \"sqitch.conf\"")
    }

    @Test func allConflictsWithTargets() throws {
        #expect(failure(["pgtarget"], all: true)
            == "Cannot specify both --all and engine, target, or plan arugments")
        let all = try parse([], all: true)
        #expect(all.targets.map(\.name) == ["db:sqlite:", "other", "pgtarget"])
    }

    @Test func defaultTargetErrorOnlyWhenNeeded() throws {
        let (_, sqitch) = try project("[core]\n")
        let parsed = try Target.parseArguments(sqitch: sqitch, command: "deploy", arguments: ["db:sqlite:x.db"]) {
            _, _ in false
        }
        #expect(parsed.targets.map(\.name) == ["db:sqlite:x.db"])
        #expect(throws: TargetError("No engine specified; specify via target or core.engine")) {
            try Target.parseArguments(sqitch: sqitch, command: "deploy", arguments: []) { _, _ in false }
        }
    }

    /// The target a connecting command can start connecting to before the arguments are
    /// sorted: only when it is certain, and then always the parse's first target, whichever
    /// arguments the plan turns out to hold as changes.
    @Test func theFirstTargetWhenItIsCertain() throws {
        let (context, sqitch) = try project(config)
        try context.directory.write("sqitch.plan", "%project=flipr\n\nusers 2024-01-01T00:00:00Z A <a@b> # x\n")
        try context.directory.write("other.plan", "%project=other\n")
        func describe(_ target: Target) -> String {
            [target.name, "\(target.uri)", target.registry, target.client].joined(separator: "|")
        }
        func certain(_ args: [String], target: String? = nil) -> String? {
            Target.certainFirstTarget(sqitch: sqitch, arguments: args, target: target).map(describe)
        }
        #expect(certain([], target: "pgtarget")?.hasPrefix("pgtarget|db:pg:flipr|") == true)
        #expect(certain(["other", "db:mysql:x"], target: "pgtarget")?.hasPrefix("pgtarget|") == true)
        #expect(certain(["users", "nope", "DB:mysql:x", "db:pg:y"])?.hasPrefix("DB:mysql:x|") == true)
        #expect(certain([]) == nil)
        #expect(certain(["users"]) == nil)
        // An argument before the URI that may be a target: a target name, an engine, a plan.
        #expect(certain(["pgtarget", "db:mysql:x"]) == nil)
        #expect(certain(["pg", "db:mysql:x"]) == nil)
        #expect(certain(["other.plan", "db:mysql:x"]) == nil)

        let lists: [[String]] = [
            ["db:mysql:x"], ["users", "db:mysql:x", "pg"], ["users", "db:pg:y@z", "db:mysql:x"],
            ["pg", "db:mysql:x"], ["pgtarget"], ["users"], ["other", "users"],
        ]
        for args in lists {
            for target in [nil, "other"] {
                for changes in [Set<String>(), ["users", "pg", "pgtarget", "other.plan"]] {
                    // (An unknown argument fails the parse: nothing to compare then.)
                    guard let parsed = try? Target.parseArguments(
                        sqitch: sqitch, command: "deploy", arguments: args, target: target, isChange: { _, arg in
                            changes.contains(arg)
                        }) else { continue }
                    if let expected = certain(args, target: target) {
                        #expect(parsed.targets.first.map(describe) == expected, "\(args) \(target ?? "-") \(changes)")
                    }
                }
            }
        }
    }
}
