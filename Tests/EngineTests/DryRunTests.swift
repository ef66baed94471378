import Foundation
import SqlitchCore
import SqlitchTestSupport
import Testing

/// `deploy --dry-run` and `revert --dry-run` on every engine: nothing changes (every file
/// and every table of the target and the registry are the same before and after), and the
/// run that follows does exactly what the dry run listed, in its order.
@Suite struct DryRunTests {
    private func steps(_ output: ParityOutput) throws -> [String] {
        try #require((try jsonObject(output.stdout)["steps"] as? [[String: Any]])).compactMap { $0["change"] as? String }
    }

    /// The changes of the events of `kind`, in the order they were written.
    private func events(_ db: ConformanceDatabase, _ kind: String) async throws -> [String] {
        let log = try await db.runSqlitch(["log", "--json", "--reverse", "--event", kind])
        return try log.stdout.split(separator: "\n").compactMap { try jsonObject(String($0))["change"] as? String }
    }

    @Test(arguments: EngineUnderTest.allCases)
    func dryRunsChangeNothingAndListWhatTheRunThenDoes(_ engine: EngineUnderTest) async throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try db.writeSmallProject()

        // A first deploy: the registry is not there, and stays so.
        var before = try db.state()
        let text = try await db.runSqlitch(["deploy", "--dry-run"])
        let json = try await db.runSqlitch(["deploy", "--dry-run", "--json", "--mode", "tag", "-s", "whoAmI=me"])
        #expect(text.exitCode == 0 && json.exitCode == 0, "\(text)\n\(json)")
        #expect(try db.state() == before, "deploy --dry-run changed something")
        try expectValidJSON(json.stdout, as: "dry_run")
        let preview = try jsonObject(json.stdout)
        #expect(preview["creates_registry"] as? Bool == true && preview["registry_exists"] as? Bool == false)
        // SQLite's client creates the database file; a server database is there already.
        #expect(preview["creates_database"] as? String == (engine == .sqlite ? "flipr.db" : nil))
        #expect(preview["mode"] as? String == "tag")
        #expect(try steps(json) == ["users", "widgets", "flips"])
        let first = try #require((preview["steps"] as? [[String: Any]])?.first)
        #expect(first["variables"] as? [String: String] == ["whoAmI": "me"])
        #expect((first["command"] as? [String])?.contains { $0.contains("deploy/users.sql") } == true)
        #expect(text.stdout.contains("Would add registry tables to \(db.registryDestination)\n"))
        #expect(text.stdout.contains("  + widgets @v1.0\n"))

        // The real deploy writes one deploy event per listed change, in the listed order.
        let deploy = try await db.runSqlitch(["deploy", "--to", "widgets"])
        #expect(deploy.exitCode == 0, "\(deploy)")
        #expect(try await events(db, "deploy") == ["users", "widgets"])
        before = try db.state()
        let rest = try await db.runSqlitch(["deploy", "--dry-run", "--json"])
        #expect(try db.state() == before)
        try expectValidJSON(rest.stdout, as: "dry_run")
        #expect(try jsonObject(rest.stdout)["creates_registry"] as? Bool == false)
        #expect(try steps(rest) == ["flips"])
        #expect(try await db.runSqlitch(["deploy"]).exitCode == 0)
        #expect(try await events(db, "deploy") == ["users", "widgets", "flips"])

        // Up to date: the real run's words.
        let nothing = try await db.runSqlitch(["deploy", "--dry-run", "--json"])
        #expect(try jsonObject(nothing.stdout)["nothing_to_do"] as? String == "Nothing to deploy (up-to-date)")
        #expect(try steps(nothing).isEmpty)

        // Revert: the changes newest first, as the revert then reverts them.
        before = try db.state()
        let revertText = try await db.runSqlitch(["revert", "--dry-run", "--to", "users"])
        let revert = try await db.runSqlitch(["revert", "--dry-run", "--json", "--to", "users"])
        #expect(revertText.exitCode == 0 && revert.exitCode == 0, "\(revertText)\n\(revert)")
        #expect(try db.state() == before, "revert --dry-run changed something")
        try expectValidJSON(revert.stdout, as: "dry_run")
        #expect(try steps(revert) == ["flips", "widgets"])
        #expect(revertText.stdout.contains("  - flips\n"))
        #expect(try await db.runSqlitch(["revert", "-y", "--to", "users"]).exitCode == 0)
        #expect(try await events(db, "revert") == ["flips", "widgets"])
    }

    /// A dry run fails where the run would, with its message and exit code, and changes nothing.
    @Test(arguments: EngineUnderTest.allCases)
    func dryRunsFailAsTheRunWould(_ engine: EngineUnderTest) async throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try db.writeSmallProject()
        // `--modified` reads the registry first: with none, nothing is created either.
        let noRegistry = try db.state()
        let modified = try await db.runSqlitch(["revert", "--modified", "--dry-run"])
        #expect(modified.exitCode == 2 && modified.stderr.hasPrefix("No registry found in"), "\(modified)")
        #expect(try db.state() == noRegistry)
        // No registry yet for the revert; the failed deploy then creates one, as Sqitch's does.
        for arguments in [["revert", "-y"], ["deploy", "--to", "nosuch"]] {
            let before = try db.state()
            let dry = try await db.runSqlitch(arguments + ["--dry-run"])
            let json = try await db.runSqlitch(arguments + ["--dry-run", "--json"])
            #expect(try db.state() == before, "\(arguments) --dry-run changed something")
            let real = try await db.runSqlitch(arguments)
            #expect(dry.exitCode == real.exitCode && dry.exitCode != 0, "\(dry)\n\(real)")
            #expect(dry.stderr == real.stderr && dry.stdout.isEmpty)
            #expect(json.exitCode == real.exitCode)
            try expectValidJSON(json.stderr, as: "error")
        }
        // Unattended, a "no" default declines the revert: the dry run says so as the run does.
        #expect(try await db.runSqlitch(["deploy"]).exitCode == 0)
        #expect(try await db.runSqlitch(["config", "revert.prompt_accept", "false"]).exitCode == 0)
        for arguments in [["revert"], ["revert", "--to", "users"], ["rebase", "--onto", "users"]] {
            let before = try db.state()
            let dry = try await db.runSqlitch(arguments + ["--dry-run"])
            #expect(try db.state() == before, "\(arguments) --dry-run changed something")
            let real = try await db.runSqlitch(arguments)
            #expect(real.exitCode == 1 && dry.exitCode == real.exitCode, "\(arguments)\n\(dry)\n\(real)")
            // Exit code 1 messages go to standard output, as Sqitch's do.
            #expect(dry.stdout == "Nothing reverted\n" && real.stdout.hasSuffix("? [No] No\nNothing reverted\n"),
                    "\(dry)\n\(real)")
        }
        // With yes as the default, the question is shown and taken as answered.
        #expect(try await db.runSqlitch(["config", "revert.prompt_accept", "true"]).exitCode == 0)
        let asks = try await db.runSqlitch(["revert", "--dry-run", "--json", "--to", "users"])
        #expect(asks.exitCode == 0, "\(asks)")
        try expectValidJSON(asks.stdout, as: "dry_run")
        #expect((try jsonObject(asks.stdout)["asks"] as? String)?.hasPrefix("Revert changes to users from ") == true)
        #expect(try steps(asks) == ["flips", "widgets"])

        let jsonWithoutDryRun = try await db.runSqlitch(["deploy", "--json"])
        #expect(jsonWithoutDryRun.exitCode == 2 && jsonWithoutDryRun.stdout.isEmpty)
        try expectValidJSON(jsonWithoutDryRun.stderr, as: "error")
    }

    /// A missing script: the dry run lists the changes up to it, says why the run would stop
    /// there, and exits as the run does; with --log-only no command is listed, and --verify
    /// adds each verify script's command.
    @Test(arguments: EngineUnderTest.allCases)
    func dryRunsStopWhereAScriptIsMissing(_ engine: EngineUnderTest) async throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try db.writeSmallProject()
        try FileManager.default.removeItem(atPath: db.context.directory.path + "/deploy/widgets.sql")
        let before = try db.state()
        let dry = try await db.runSqlitch(["deploy", "--dry-run", "--json"])
        let text = try await db.runSqlitch(["deploy", "--dry-run"])
        #expect(try db.state() == before)
        try expectValidJSON(dry.stdout, as: "dry_run")
        try expectValidJSON(dry.stderr, as: "error")
        #expect(try steps(dry) == ["users", "widgets"])
        let failing = try #require((try jsonObject(dry.stdout)["steps"] as? [[String: Any]])?.last)
        #expect(failing["fails_with"] as? String == "Deploy script deploy/widgets.sql does not exist")
        #expect(text.stdout.contains("      fails:     Deploy script deploy/widgets.sql does not exist\n"))
        #expect(!text.stdout.contains("flips"))
        #expect(text.stderr == "Deploy script deploy/widgets.sql does not exist\nDeploy failed\n")
        let real = try await db.runSqlitch(["deploy"])
        #expect(real.exitCode == 2 && dry.exitCode == real.exitCode && text.exitCode == real.exitCode, "\(dry)\n\(real)")
        #expect(real.stderr.hasPrefix("Deploy script deploy/widgets.sql does not exist\n"), "\(real)")
        #expect(real.stderr.hasSuffix("\nDeploy failed\n"), "\(real)")
        // The run deployed users, failed at widgets, and reverted users (--mode all).
        #expect(try await events(db, "deploy") == ["users"])
        #expect(try await events(db, "fail") == ["widgets"])
        #expect(try await events(db, "revert") == ["users"])

        try db.writeSmallProject()
        let logOnly = try await db.runSqlitch(["deploy", "--dry-run", "--json", "--log-only", "--verify"])
        #expect(logOnly.exitCode == 0, "\(logOnly)")
        try expectValidJSON(logOnly.stdout, as: "dry_run")
        let preview = try jsonObject(logOnly.stdout)
        #expect(preview["log_only"] as? Bool == true)
        let listed = try #require(preview["steps"] as? [[String: Any]])
        #expect(listed.count == 3 && listed.allSatisfy { ($0["command"] as? [String])?.isEmpty == true })
        let verify = try #require(listed.first?["verify"] as? [String: Any])
        #expect(verify["script"] as? String == "verify/users.sql" && verify["script_exists"] as? Bool == true)
        #expect((verify["command"] as? [String])?.contains { $0.contains("verify/users.sql") } == true)
        let logOnlyText = try await db.runSqlitch(["deploy", "--dry-run", "--log-only"])
        #expect(!logOnlyText.stdout.contains("command:") && logOnlyText.stdout.contains("--log-only: no deploy or revert script would run"))
    }

    /// The writes a deploy makes before its first change: tags of the deployed change the
    /// registry lacks, and the project's row, whose URI may clash with the registry's.
    @Test(arguments: EngineUnderTest.allCases)
    func dryRunsShowTheRegistrySyncAndTheProjectCheck(_ engine: EngineUnderTest) async throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try db.writeSmallProject()
        let first = try jsonObject(try await db.runSqlitch(["deploy", "--dry-run", "--json"]).stdout)
        #expect(first["registers_project"] as? Bool == true && first["records_tags"] as? [String] == [])
        #expect(try await db.runSqlitch(["deploy"]).exitCode == 0)
        #expect(try await db.runSqlitch(["tag", "v2.0", "-n", "Second"]).exitCode == 0)
        let before = try db.state()
        let sync = try await db.runSqlitch(["deploy", "--dry-run", "--json"])
        let syncText = try await db.runSqlitch(["deploy", "--dry-run"])
        #expect(try db.state() == before)
        try expectValidJSON(sync.stdout, as: "dry_run")
        let preview = try jsonObject(sync.stdout)
        #expect(preview["nothing_to_do"] as? String == "Nothing to deploy (up-to-date)")
        #expect(preview["records_tags"] as? [String] == ["@v2.0"] && preview["registers_project"] as? Bool == false)
        #expect(syncText.stdout.contains("Would record the deployed change's tags the registry lacks: @v2.0\n"))
        // The real deploy records it: the next dry run has nothing left to record.
        #expect(try await db.runSqlitch(["deploy"]).exitCode == 0)
        #expect(try db.state() != before)
        let after = try jsonObject(try await db.runSqlitch(["deploy", "--dry-run", "--json"]).stdout)
        #expect(after["records_tags"] as? [String] == [])

        // Everything reverted, the project keeps its row; a new %uri then clashes with it.
        #expect(try await db.runSqlitch(["revert", "-y"]).exitCode == 0)
        let plan = db.context.directory.path + "/sqitch.plan"
        let text = try String(contentsOfFile: plan, encoding: .utf8)
        try text.replacingOccurrences(of: "%uri=https://example.com/flipr/", with: "%uri=https://example.com/other/")
            .write(toFile: plan, atomically: true, encoding: .utf8)
        let clashBefore = try db.state()
        let dry = try await db.runSqlitch(["deploy", "--dry-run"])
        #expect(try db.state() == clashBefore)
        let real = try await db.runSqlitch(["deploy"])
        #expect(real.exitCode == 2 && dry.exitCode == real.exitCode, "\(dry)\n\(real)")
        #expect(dry.stderr == real.stderr && dry.stdout.isEmpty)
        #expect(real.stderr.contains("Cannot register \"flipr\" with URI https://example.com/other/"), "\(real)")
    }

    /// Every event the registry holds, oldest first, as `type change`.
    private func allEvents(_ db: ConformanceDatabase) async throws -> [String] {
        let log = try await db.runSqlitch(["log", "--json", "--reverse"])
        return try log.stdout.split(separator: "\n").map {
            let event = try jsonObject(String($0))
            return "\(event["event"] as? String ?? "?") \(event["change"] as? String ?? "?")"
        }
    }

    /// The changes of one part (`revert`, `deploy`) of a rebase or checkout dry run.
    private func partSteps(_ output: ParityOutput, _ part: String) throws -> [String]? {
        guard let document = try jsonObject(output.stdout)[part] as? [String: Any] else { return nil }
        return (document["steps"] as? [[String: Any]])?.compactMap { $0["change"] as? String }
    }

    /// `rebase --dry-run`: the revert, then the deploy from the registry the revert would
    /// leave; the rebase then writes exactly those events. A missing revert script stops it.
    @Test(arguments: EngineUnderTest.allCases)
    func rebaseDryRunsListTheRevertThenTheDeploy(_ engine: EngineUnderTest) async throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try db.writeSmallProject()
        #expect(try await db.runSqlitch(["deploy"]).exitCode == 0)
        let before = try db.state()
        let eventsBefore = try await allEvents(db)
        let json = try await db.runSqlitch(["rebase", "--dry-run", "--json", "--onto", "users", "-e", "side=deploy"])
        let text = try await db.runSqlitch(["rebase", "--dry-run", "--onto", "users"])
        #expect(json.exitCode == 0 && text.exitCode == 0, "\(json)\n\(text)")
        #expect(try db.state() == before, "rebase --dry-run changed something")
        try expectValidJSON(json.stdout, as: "dry_run_revert_deploy")
        #expect(try partSteps(json, "revert") == ["flips", "widgets"])
        #expect(try partSteps(json, "deploy") == ["widgets", "flips"])
        let deploy = try #require(try jsonObject(json.stdout)["deploy"] as? [String: Any])
        let firstDeploy = try #require((deploy["steps"] as? [[String: Any]])?.first)
        #expect(firstDeploy["variables"] as? [String: String] == ["side": "deploy"])
        let revertAt = try #require(text.stdout.range(of: "\n  - flips\n"), "\(text)")
        let deployAt = try #require(text.stdout.range(of: "\n  + widgets @v1.0\n"), "\(text)")
        #expect(revertAt.lowerBound < deployAt.lowerBound)
        #expect(text.stdout.contains("Would revert from ") && text.stdout.contains("Would deploy to "))
        #expect(try await db.runSqlitch(["rebase", "-y", "--onto", "users"]).exitCode == 0)
        #expect(Array(try await allEvents(db).dropFirst(eventsBefore.count))
            == ["revert flips", "revert widgets", "deploy widgets", "deploy flips"])

        try FileManager.default.removeItem(atPath: db.context.directory.path + "/revert/widgets.sql")
        let stateBefore = try db.state()
        let missing = try await db.runSqlitch(["rebase", "--dry-run", "--json", "--onto", "users"])
        #expect(try db.state() == stateBefore)
        try expectValidJSON(missing.stdout, as: "dry_run_revert_deploy")
        #expect(try partSteps(missing, "revert") == ["flips", "widgets"] && (try partSteps(missing, "deploy")) == nil)
        let real = try await db.runSqlitch(["rebase", "-y", "--onto", "users"])
        #expect(real.exitCode == 2 && missing.exitCode == real.exitCode, "\(missing)\n\(real)")
        #expect(real.stderr.contains("Revert script revert/widgets.sql does not exist"), "\(real)")
    }

    /// `checkout --dry-run`: the revert to the last change the branches share, the branch
    /// switch, and the deploy of the other branch's plan; nothing is changed, the Git work
    /// tree included, and the checkout then does exactly that.
    @Test(arguments: EngineUnderTest.allCases)
    func checkoutDryRunsListTheRevertTheSwitchAndTheDeploy(_ engine: EngineUnderTest) async throws {
        guard let db = try ConformanceDatabase(engine) else { return }
        try db.writeSmallProject()
        let directory = db.context.directory
        let mainPlan = try String(contentsOfFile: directory.path + "/sqitch.plan", encoding: .utf8)
        let featurePlan = mainPlan.replacingOccurrences(
            of: "flips [widgets users] 2024-01-02T03:07:05Z Test User <test@example.com> # Flips",
            with: "gadgets [widgets] 2024-01-02T03:08:05Z Test User <test@example.com> # Gadgets")
        #expect(featurePlan != mainPlan)
        func git(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = ["-c", "user.name=Test User", "-c", "user.email=test@example.com"] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "git \(arguments)")
        }
        // Only the project's files: a registry file or target database stays untracked.
        try git(["-c", "init.defaultBranch=main", "init", "-q", "."])
        try git(["add", "sqitch.plan", "sqitch.conf", "deploy", "revert", "verify"])
        try git(["commit", "-qm", "main"])
        try git(["checkout", "-qb", "feature"])
        try directory.write("sqitch.plan", featurePlan)
        // The new change's scripts are on the branch only: the dry run reads its tree.
        try directory.write("deploy/gadgets.sql", "CREATE TABLE gadgets (id INTEGER);\n")
        try directory.write("revert/gadgets.sql", "DROP TABLE gadgets;\n")
        try directory.write("verify/gadgets.sql", "SELECT id FROM gadgets WHERE 1 = 0;\n")
        try git(["add", "deploy/gadgets.sql", "revert/gadgets.sql", "verify/gadgets.sql"])
        try git(["commit", "-qam", "feature"])
        try git(["checkout", "-q", "main"])
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/deploy/gadgets.sql"))

        #expect(try await db.runSqlitch(["deploy"]).exitCode == 0)
        let before = try db.state()
        let eventsBefore = try await allEvents(db)
        let json = try await db.runSqlitch(["checkout", "--dry-run", "--json", "feature"])
        let text = try await db.runSqlitch(["checkout", "--dry-run", "feature"])
        #expect(json.exitCode == 0 && text.exitCode == 0, "\(json)\n\(text)")
        #expect(try db.state() == before, "checkout --dry-run changed something")
        try expectValidJSON(json.stdout, as: "dry_run_revert_deploy")
        let document = try jsonObject(json.stdout)
        #expect(document["last_common_change"] as? String == "widgets @v1.0")
        #expect(document["checkout"] as? [String] == ["git", "checkout", "feature"])
        #expect(try partSteps(json, "revert") == ["flips"])
        #expect(try partSteps(json, "deploy") == ["gadgets"])
        let gadgets = try #require(((document["deploy"] as? [String: Any])?["steps"] as? [[String: Any]])?.first)
        #expect(gadgets["script_exists"] as? Bool == true && gadgets["fails_with"] == nil)
        #expect(text.stdout.contains("Last change before the branches diverged: widgets @v1.0\n"), "\(text)")
        #expect(text.stdout.contains("Would run: git checkout feature\n"), "\(text)")
        let real = try await db.runSqlitch(["checkout", "-y", "feature"])
        #expect(real.exitCode == 0, "\(real)")
        #expect(Array(try await allEvents(db).dropFirst(eventsBefore.count)) == ["revert flips", "deploy gadgets"])
    }

    /// A MySQL target database that is not there: the client would fail on the first script,
    /// and the dry run says so and exits as the run does.
    @Test func aMissingMySQLDatabaseFailsTheFirstChange() async throws {
        guard let db = try ConformanceDatabase(.mysql) else { return }
        try db.writeSmallProject()
        let name = try #require(db.uri.split(separator: "/").last.map(String.init))
        let missing = String(db.uri.dropLast(name.count)) + name + "_nosuch"
        let before = try db.state()
        let dry = try await db.runSqlitch(["deploy", "--dry-run", "--json", missing])
        #expect(try db.state() == before)
        try expectValidJSON(dry.stdout, as: "dry_run")
        #expect(try steps(dry) == ["users"])
        let first = try #require((try jsonObject(dry.stdout)["steps"] as? [[String: Any]])?.first)
        #expect(first["fails_with"] as? String == "Unknown database '\(name)_nosuch'")
        let real = try await db.runSqlitch(["deploy", missing])
        #expect(real.exitCode == 2 && dry.exitCode == real.exitCode, "\(dry)\n\(real)")
        #expect(real.stderr.contains("Unknown database '\(name)_nosuch'"), "\(real)")
    }

    /// Passwords never show in a dry run's command lines.
    @Test func passwordsAreMasked() {
        #expect(DryRunPreview.mask(["mysql", "--user", "u", "--password=s3cret", "--host", "h"])
            == ["mysql", "--user", "u", "--password=********", "--host", "h"])
        #expect(DryRunPreview.mask(["psql", "--dbname", #"dbname=d password=a\ b\\c sslpassword=x host=h"#])
            == ["psql", "--dbname", "dbname=d password=******** sslpassword=******** host=h"])
        #expect(DryRunPreview.mask(["client", "db:pg://user:pa:ss@host/db"]) == ["client", "db:pg://user:********@host/db"])
        #expect(DryRunPreview.mask(["sqlite3", "flipr.db", ".read 'deploy/x.sql'"])
            == ["sqlite3", "flipr.db", ".read 'deploy/x.sql'"])
    }
}
