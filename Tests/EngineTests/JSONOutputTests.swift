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

    /// `verify` and `check`: the per-change results the text shows, and the text's exit codes
    /// (a failure writes the document, then the error object).
    @Test(arguments: EngineUnderTest.allCases)
    func verifyAndCheckDocuments(_ engine: EngineUnderTest) async throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try db.writeSmallProject()
        #expect(try await run(db, ["deploy", "--to", "widgets"]).exitCode == 0)

        let verify = try await run(db, ["verify", "--json"])
        #expect(verify.exitCode == 0 && verify.stderr.isEmpty, "\(verify)")
        try expectValidJSON(verify.stdout, as: "verify")
        var document = try jsonObject(verify.stdout)
        #expect(document["result"] as? String == "successful" && document["errors"] as? Int == 0)
        #expect(document["database"] as? String == db.destination)
        var changes = try #require(document["changes"] as? [[String: Any]])
        #expect(changes.compactMap { $0["change"] as? String } == ["users", "widgets"])
        #expect(changes.allSatisfy { $0["result"] as? String == "ok" && $0["deployed"] as? Bool == true })
        #expect(changes[1]["tags"] as? [String] == ["@v1.0"])
        #expect((document["undeployed"] as? [[String: Any]])?.compactMap { $0["change"] as? String } == ["flips"])

        // A failing verify script and a missing one: `not ok` and a warning, exit code 2.
        try db.context.directory.write("verify/users.sql", "SELECT nosuchcolumn FROM users;\n")
        try FileManager.default.removeItem(atPath: db.context.directory.path + "/verify/widgets.sql")
        let failed = try await run(db, ["verify", "--json"])
        let failedText = try await run(db, ["verify"])
        #expect(failed.exitCode == failedText.exitCode && failed.exitCode == 2, "\(failed)\n\(failedText)")
        try expectValidJSON(failed.stdout, as: "verify")
        let errorLine = try #require(failed.stderr.split(separator: "\n").last.map(String.init))
        try expectValidJSON(errorLine, as: "error")
        #expect(try jsonObject(errorLine)["error"].flatMap { ($0 as? [String: Any])?["message"] as? String } == "Verify failed")
        document = try jsonObject(failed.stdout)
        #expect(document["result"] as? String == "failed" && document["errors"] as? Int == 1)
        changes = try #require(document["changes"] as? [[String: Any]])
        #expect(changes[0]["result"] as? String == "not ok")
        #expect(changes[0]["problems"] as? [String] == ["Verify script \"verify/users.sql\" failed."])
        #expect(changes[1]["result"] as? String == "ok")
        #expect(changes[1]["warnings"] as? [String] == ["Verify script verify/widgets.sql does not exist"])
        #expect(failedText.stdout.contains("# Verify script \"verify/users.sql\" failed.\n"))

        let check = try await run(db, ["check", "--json"])
        #expect(check.exitCode == 0, "\(check)")
        try expectValidJSON(check.stdout, as: "verify")
        #expect(try jsonObject(check.stdout)["result"] as? String == "successful")
        try db.context.directory.write("deploy/widgets.sql", "CREATE TABLE widgets (id INTEGER, name TEXT);\n")
        let diverged = try await run(db, ["check", "--json"])
        let divergedText = try await run(db, ["check"])
        #expect(diverged.exitCode == divergedText.exitCode && diverged.exitCode == 1, "\(diverged)\n\(divergedText)")
        try expectValidJSON(diverged.stdout, as: "verify")
        let at = try #require(try jsonObject(diverged.stdout)["diverges_at"] as? [String: Any])
        #expect(at["change"] as? String == "widgets" && at["tags"] as? [String] == ["@v1.0"])
        #expect(divergedText.stdout.contains("Script signatures diverge at change widgets @v1.0\n"))
    }

    /// `show`, and the `target` and `engine` listings.
    @Test func showTargetAndEngineDocuments() async throws {
        guard let db = try ConformanceDatabase(.sqlite) else { return }
        try db.writeSmallProject()
        try db.context.directory.write("sqitch.conf", """
            [core]
            \tengine = sqlite
            [engine "sqlite"]
            \ttarget = dev
            [target "dev"]
            \turi = db:sqlite:dev.db
            [target "prod"]
            \turi = db:sqlite:prod.db
            \tregistry = reg

            """)
        let change = try await run(db, ["show", "--json", "change", "widgets"])
        #expect(change.exitCode == 0, "\(change)")
        try expectValidJSON(change.stdout, as: "show")
        var document = try jsonObject(change.stdout)
        let shown = try #require(document["change"] as? [String: Any])
        #expect(shown["change"] as? String == "widgets" && shown["requires"] as? [String] == ["users"])
        let text = try await run(db, ["show", "change", "widgets"])
        #expect(text.stdout.hasPrefix("project \(document["project"] as? String ?? "?")\n"))
        #expect(text.stdout.contains("parent \(document["parent_id"] as? String ?? "?")\n"))
        #expect(text.stdout.contains("uri \(document["uri"] as? String ?? "?")\n"))

        let tag = try await run(db, ["show", "--json", "tag", "v1.0"])
        try expectValidJSON(tag.stdout, as: "show")
        let tagged = try #require(try jsonObject(tag.stdout)["tag"] as? [String: Any])
        #expect(tagged["tag"] as? String == "@v1.0" && tagged["change"] as? String == "widgets")
        #expect(try await run(db, ["show", "tag", "v1.0"]).stdout.contains("change \(tagged["change_id"] as? String ?? "?")\n"))

        let script = try await run(db, ["show", "--json", "deploy", "users"])
        try expectValidJSON(script.stdout, as: "show")
        document = try jsonObject(script.stdout)
        let body = try #require(document["script"] as? [String: Any])
        #expect(body["path"] as? String == "deploy/users.sql" && body["utf8"] as? Bool == true)
        #expect(body["content"] as? String == "CREATE TABLE users (id INTEGER);\n")
        let missing = try await run(db, ["show", "--json", "change", "nosuch"])
        let missingText = try await run(db, ["show", "change", "nosuch"])
        #expect(missing.exitCode == missingText.exitCode && missing.exitCode != 0 && missing.stdout.isEmpty)
        try expectValidJSON(missing.stderr, as: "error")

        let targets = try await run(db, ["target", "--json"])
        #expect(targets.exitCode == 0, "\(targets)")
        try expectValidJSON(targets.stdout, as: "config_listing")
        let items = try #require(try jsonObject(targets.stdout)["items"] as? [[String: Any]])
        #expect(items.compactMap { $0["name"] as? String } == ["dev", "prod"])
        #expect(items.compactMap { $0["uri"] as? String } == ["db:sqlite:dev.db", "db:sqlite:prod.db"])
        #expect(try await run(db, ["target"]).stdout == "dev\nprod\n")
        let prod = try await run(db, ["target", "show", "prod", "--json"])
        try expectValidJSON(prod.stdout, as: "config_listing")
        let detail = try #require((try jsonObject(prod.stdout)["items"] as? [[String: Any]])?.first)
        #expect(detail["registry"] as? String == "reg" && detail["client"] as? String == "sqlite3")
        #expect((detail["script_dirs"] as? [String: Any])?["deploy"] as? String == "deploy")

        let engines = try await run(db, ["engine", "--format", "json"])
        try expectValidJSON(engines.stdout, as: "config_listing")
        let engine = try #require((try jsonObject(engines.stdout)["items"] as? [[String: Any]])?.first)
        #expect(engine["name"] as? String == "sqlite" && engine["target"] as? String == "dev")
        #expect(engine["uri"] as? String == "db:sqlite:dev.db")
        // JSON is for the listings only.
        let add = try await run(db, ["target", "add", "qa", "db:sqlite:qa.db", "--json"])
        #expect(add.exitCode == 2 && add.stdout.isEmpty, "\(add)")
        try expectValidJSON(add.stderr, as: "error")
    }

    /// The examples of docs/JSON.md are valid documents of the schema, in the page's order.
    @Test func theReferencePageExamplesMatchTheSchema() throws {
        let page = try String(contentsOfFile: Fixtures.packageRoot + "/docs/JSON.md", encoding: .utf8)
        // Each example is one line, as sqlitch writes it.
        let examples = page.components(separatedBy: "```json\n").dropFirst().map {
            String($0.split(separator: "\n").first ?? "")
        }
        let kinds = ["error", "status", "log_event", "plan", "verify", "verify", "show", "show", "config_listing",
                     "config_listing", "dry_run", "dry_run", "dry_run_revert_deploy", "dry_run_revert_deploy"]
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
