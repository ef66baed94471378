import Foundation
import SqlitchCore
import SqlitchTestSupport
import Testing

/// `--format json` on every engine: each document is valid against
/// docs/sqlitch-output.schema.json (checked by the jsonschema library), says what the
/// registry and the plan say, and the exit codes are the text mode's.
@Suite struct JSONOutputTests {
    private func run(_ db: ConformanceDatabase, _ arguments: [String]) async throws -> ParityOutput {
        try await db.runSqlitch(arguments)
    }

    @Test(arguments: EngineUnderTest.allCases)
    func statusLogAndPlanDocuments(_ engine: EngineUnderTest) async throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try db.writeSmallProject()

        // Nothing deployed yet: the text's failures, as JSON on standard error, same exit codes.
        let noRegistry = try await run(db, ["status", "--json"])
        let noLog = try await run(db, ["log", "--format", "json"])
        #expect(noRegistry.stdout.isEmpty && noLog.stdout.isEmpty)
        for (output, text) in [(noRegistry, try await run(db, ["status"])), (noLog, try await run(db, ["log"]))] {
            #expect(output.exitCode == text.exitCode && output.exitCode != 0)
            try expectValidJSON(output.stderr, as: "error")
            let error = try #require(try jsonObject(output.stderr)["error"] as? [String: Any])
            #expect(error["exit_code"] as? Int == Int(text.exitCode))
            #expect((text.stdout + text.stderr).contains(error["message"] as? String ?? "?"))
        }

        let deploy = try await run(db, ["deploy", "--to", "widgets"])
        #expect(deploy.exitCode == 0, "\(deploy)")

        let status = try await run(db, ["status", "--format", "json", "--show-changes", "--show-tags"])
        #expect(status.exitCode == 0 && status.stderr.isEmpty, "\(status)")
        try expectValidJSON(status.stdout, as: "status")
        let document = try jsonObject(status.stdout)
        #expect(document["project"] as? String == "flipr")
        #expect(document["database"] as? String == db.destination)
        let current = try #require(document["current"] as? [String: Any])
        #expect(current["change"] as? String == "widgets")
        #expect(current["tags"] as? [String] == ["@v1.0"])
        #expect(current["note"] as? String == "Widgets")
        #expect(current["planned_at"] as? String == "2024-01-02T03:05:05Z")
        #expect(current["committer_name"] as? String == "Test User")
        #expect((document["changes"] as? [[String: Any]])?.compactMap { $0["change"] as? String } == ["widgets", "users"])
        #expect((document["tags"] as? [[String: Any]])?.compactMap { $0["tag"] as? String } == ["@v1.0"])
        #expect(document["up_to_date"] as? Bool == false)
        #expect((document["undeployed"] as? [[String: Any]])?.compactMap { $0["change"] as? String } == ["flips"])
        // The text shows the same change ID and the same undeployed change.
        let text = try await run(db, ["status"])
        #expect(text.stdout.contains("# Change:   \(current["change_id"] as? String ?? "?")\n"))
        #expect(text.stdout.hasSuffix("Undeployed change:\n  * flips\n"))

        #expect(try await run(db, ["deploy"]).exitCode == 0)
        let upToDate = try jsonObject(try await run(db, ["status", "--json"]).stdout)
        #expect(upToDate["up_to_date"] as? Bool == true && (upToDate["undeployed"] as? [Any])?.isEmpty == true)
        #expect(upToDate["changes"] == nil && upToDate["tags"] == nil)

        let revert = try await run(db, ["revert", "-y", "--to", "users"])
        #expect(revert.exitCode == 0, "\(revert)")
        let log = try await run(db, ["log", "--json"])
        #expect(log.exitCode == 0 && log.stderr.isEmpty, "\(log)")
        try expectValidJSON(log.stdout, as: "log_event")
        let events = try log.stdout.split(separator: "\n").map { try jsonObject(String($0)) }
        #expect(events.compactMap { $0["event"] as? String } == ["revert", "revert", "deploy", "deploy", "deploy"])
        #expect(events.compactMap { $0["change"] as? String } == ["widgets", "flips", "flips", "widgets", "users"])
        // One dependency per element on every engine (the registry's order).
        #expect((events[1]["requires"] as? [String])?.sorted() == ["users", "widgets"])
        #expect(events[2]["requires"] as? [String] == ["widgets", "users"])
        // The same search options as the text: one event, oldest first.
        let oldest = try await run(db, ["log", "--json", "--reverse", "-n", "1"])
        try expectValidJSON(oldest.stdout, as: "log_event")
        #expect(try jsonObject(oldest.stdout)["change"] as? String == "users")

        let plan = try await run(db, ["plan", "--format", "json"])
        #expect(plan.exitCode == 0 && plan.stderr.isEmpty, "\(plan)")
        try expectValidJSON(plan.stdout, as: "plan")
        let planDocument = try jsonObject(plan.stdout)
        let changes = try #require(planDocument["changes"] as? [[String: Any]])
        #expect(changes.compactMap { $0["change"] as? String } == ["users", "widgets", "flips"])
        #expect(planDocument["uri"] as? String == "https://example.com/flipr/")
        let tags = try #require(changes[1]["tags"] as? [[String: Any]])
        #expect(tags.compactMap { $0["tag"] as? String } == ["@v1.0"])
        // IDs are the plan's: `plan --format format:%H` shows the same.
        let ids = try await run(db, ["plan", "--no-headers", "--format", "format:%H"])
        #expect(ids.stdout == changes.compactMap { $0["change_id"] as? String }.joined(separator: "\n") + "\n")
    }

    /// The examples of docs/JSON.md are valid documents of the schema, in the page's order.
    @Test func theReferencePageExamplesMatchTheSchema() throws {
        let page = try String(contentsOfFile: Fixtures.packageRoot + "/docs/JSON.md", encoding: .utf8)
        // Each example is one line, as sqlitch writes it.
        let examples = page.components(separatedBy: "```json\n").dropFirst().map {
            String($0.split(separator: "\n").first ?? "")
        }
        let kinds = ["error", "status", "log_event", "plan", "dry_run"]
        #expect(examples.count == kinds.count)
        for (example, kind) in zip(examples, kinds) {
            try expectValidJSON(example.trimmingCharacters(in: .whitespaces), as: kind)
        }
    }

    /// Usage and configuration errors of a JSON run are JSON too; text runs are untouched.
    @Test func usageErrorsAreJSONWhenJSONWasAskedFor() async throws {
        guard let db = try ConformanceDatabase(.sqlite) else { return }
        try db.writeSmallProject()
        let bad = try await run(db, ["status", "--json", "--no-such-option"])
        #expect(bad.exitCode == 2 && bad.stdout.isEmpty)
        try expectValidJSON(bad.stderr, as: "error")
        let text = try await run(db, ["status", "--no-such-option"])
        #expect(text.exitCode == 2 && text.stderr.hasPrefix("Unknown option: no-such-option\n"))
        let format = try await run(db, ["status", "--format", "yaml"])
        #expect(format.exitCode == 2 && format.stderr == "Unknown status format \"yaml\"\n")
    }
}

extension ConformanceDatabase {
    /// `users`, `widgets [users] @v1.0`, `flips [widgets users]`, with a `%uri`.
    func writeSmallProject() throws {
        let directory = context.directory
        try directory.write("sqitch.plan", """
            %syntax-version=1.0.0
            %project=flipr
            %uri=https://example.com/flipr/

            users 2024-01-02T03:04:05Z Test User <test@example.com> # Users
            widgets [users] 2024-01-02T03:05:05Z Test User <test@example.com> # Widgets
            @v1.0 2024-01-02T03:06:05Z Test User <test@example.com> # Tagged
            flips [widgets users] 2024-01-02T03:07:05Z Test User <test@example.com> # Flips

            """)
        for name in ["users", "widgets", "flips"] {
            try directory.write("deploy/\(name).sql", "CREATE TABLE \(name) (id INTEGER);\n")
            try directory.write("revert/\(name).sql", "DROP TABLE \(name);\n")
            try directory.write("verify/\(name).sql", "SELECT id FROM \(name) WHERE 1 = 0;\n")
        }
    }

    /// Runs the sqlitch binary in the project with a pinned environment.
    func runSqlitch(_ arguments: [String]) async throws -> ParityOutput {
        let sqlitch = try #require(ParityHarness.sqlitchPath, "the sqlitch binary was not built")
        let root = context.directory.path
        return try await ParityHarness.execute(sqlitch, arguments, in: root,
                                               environment: ParityHarness.isolatedEnvironment(root: root))
    }
}

/// Expects `documents` (one per line) to be valid as the schema's definition `kind`.
func expectValidJSON(_ documents: String, as kind: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let problems = try JSONSchemaCheck.problems(documents, as: kind)
    #expect(problems.isEmpty, "\(kind): \(problems.joined(separator: "\n"))\n\(documents)", sourceLocation: sourceLocation)
}

/// One JSON object.
func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}
