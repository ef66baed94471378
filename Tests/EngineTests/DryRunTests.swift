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
        let jsonWithoutDryRun = try await db.runSqlitch(["deploy", "--json"])
        #expect(jsonWithoutDryRun.exitCode == 2 && jsonWithoutDryRun.stdout.isEmpty)
        try expectValidJSON(jsonWithoutDryRun.stderr, as: "error")
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
