import Foundation
import SqlitchCore
import SqlitchTestSupport
import Testing

/// Runs started at once on one PostgreSQL or MariaDB target: the destination lock lets one
/// work at a time; the others wait for it (`Blocked by another instance of Sqitch working
/// on ...`), then find nothing left to do, or give up after `--lock-timeout` with Sqitch's
/// message. The registry never gets a row twice. (SQLite takes no lock, as Sqitch takes
/// none: its busy timeout is tested with the other SQLite faults.)
@Suite("Concurrent runs")
struct ConcurrencyTests {
    static let engines = ReliabilityEngine.servers
    static let runs = 8

    /// Starts `count` runs of each command line at once and waits for them all.
    func together(_ target: ReliabilityTarget, _ commands: [[String]], count: Int) throws -> [(args: [String], output: ParityOutput)] {
        var started: [([String], RunningProcess)] = []
        for index in 0..<count {
            for arguments in commands {
                started.append((arguments, try target.start(arguments)))
                _ = index
            }
        }
        return started.map { ($0.0, Watchdog.finish($0.1, seconds: 600)) }
    }

    func expectNoDuplicates(_ target: ReliabilityTarget, changes: Int, events: Int? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let counts = try target.registryRowCounts()
        #expect(counts.changes == changes && counts.distinctChanges == changes, "\(counts)", sourceLocation: sourceLocation)
        if let events { #expect(counts.events == events, "\(counts)", sourceLocation: sourceLocation) }
        #expect(try target.tables() == target.recorded(), sourceLocation: sourceLocation)
    }

    /// The very first deploy to a new target, eight times at once: one creates the registry
    /// and deploys, the others wait and find nothing to deploy. (Sqitch 1.3.1 fails here on
    /// MariaDB: it creates the registry before it takes the lock, and some runs die on
    /// `Table 'releases' already exists`.)
    @Test(arguments: engines)
    func eightFirstDeploysAtOnce(_ engine: ReliabilityEngine) throws {
        let target = try ReliabilityTarget(engine, changes: 20, prefix: "first")
        let results = try together(target, [["deploy", "--lock-timeout", "300"]], count: Self.runs)
        for result in results {
            #expect(result.output.exitCode == 0, "\(result.output)")
            #expect(!result.output.stderr.contains("already exists"), "\(result.output)")
        }
        let deployed = results.filter { $0.output.stdout.contains("  + c020 .. ok\n") }
        let idle = results.filter { $0.output.stdout.hasSuffix("Nothing to deploy (up-to-date)\n") }
        #expect(deployed.count == 1 && idle.count == Self.runs - 1, "\(results.map(\.output))")
        #expect(results.contains { $0.output.stdout.contains("Blocked by another instance of Sqitch working on ") })
        try expectNoDuplicates(target, changes: 20, events: 20)
        #expect(try target.recorded() == target.changes)
        print("\(engine): \(Self.runs) first deploys at once: 1 deployed, \(idle.count) found nothing to deploy")
    }

    /// While one deploy holds the lock (its first script sleeps), seven more with
    /// `--lock-timeout 1` give up with Sqitch's message and exit 2, touching nothing.
    @Test(arguments: engines)
    func waitersTimeOutWithSqitchsMessage(_ engine: ReliabilityEngine) throws {
        let target = try ReliabilityTarget(engine, changes: 5, prefix: "timeout")
        let sleep = engine == .pg ? "SELECT pg_sleep(4);\n" : "SELECT SLEEP(4);\n"
        try target.directory.write("deploy/c001.sql", sleep + "CREATE TABLE IF NOT EXISTS c001 (id INTEGER);\n")
        let first = try target.start(["deploy"])
        // The first holds the lock once its first change is under way (its registry exists).
        let deadline = Date().addingTimeInterval(60)
        while try target.registryRowCountsIfAny() == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        Thread.sleep(forTimeInterval: 0.5)
        let waiters = try together(target, [["deploy", "--lock-timeout", "1"]], count: Self.runs - 1)
        let firstOutput = Watchdog.finish(first, seconds: 120)
        #expect(firstOutput.exitCode == 0, "\(firstOutput)")
        for waiter in waiters {
            #expect(waiter.output.exitCode == 2, "\(waiter.output)")
            #expect(waiter.output.stderr.hasPrefix("Timed out waiting 1 seconds for another instance of Sqitch to finish work on "),
                    "\(waiter.output)")
            #expect(waiter.output.stdout.contains("Blocked by another instance of Sqitch working on "), "\(waiter.output)")
        }
        try expectNoDuplicates(target, changes: 5, events: 5)
    }

    /// Four reverts and four deploys at once on a deployed target: they take turns, each
    /// run deploys or reverts everything or finds nothing to do, and the registry and the
    /// database agree at the end.
    @Test(arguments: engines)
    func revertsRacingDeploysTakeTurns(_ engine: ReliabilityEngine) throws {
        let target = try ReliabilityTarget(engine, changes: 20, prefix: "race")
        let setup = try target.run(["deploy"])
        #expect(setup.exitCode == 0, "\(setup)")
        let results = try together(target, [["revert", "-y", "--lock-timeout", "300"], ["deploy", "--lock-timeout", "300"]],
                                   count: Self.runs / 2)
        var deploys = 0, reverts = 0
        for result in results {
            #expect(result.output.exitCode == 0, "\(result.args): \(result.output)")
            let out = result.output.stdout
            if result.args[0] == "deploy" {
                if out.contains("  + c020 .. ok\n") { deploys += 1 } else {
                    #expect(out.hasSuffix("Nothing to deploy (up-to-date)\n"), "\(out)")
                }
                #expect(!out.contains("  + c001 .. ok\n") || out.contains("  + c020 .. ok\n"), "a partial deploy: \(out)")
            } else {
                if out.contains("  - c001 .. ok\n") { reverts += 1 } else {
                    #expect(out.hasSuffix("Nothing to revert (nothing deployed)\n"), "\(out)")
                }
                #expect(!out.contains("  - c020 .. ok\n") || out.contains("  - c001 .. ok\n"), "a partial revert: \(out)")
            }
        }
        let recorded = try target.recorded()
        #expect(recorded.isEmpty || recorded == target.changes)
        try expectNoDuplicates(target, changes: recorded.count, events: 20 * (1 + deploys + reverts))
        print("\(engine): 4 reverts and 4 deploys at once took turns: \(reverts) reverted, \(deploys) redeployed")
    }
}

extension ReliabilityTarget {
    /// The registry's row counts, or nil while it has none.
    func registryRowCountsIfAny() throws -> (changes: Int, distinctChanges: Int, events: Int)? {
        do {
            return try registryRowCounts()
        } catch let error as EngineError where isMissingRegistry(error) {
            return nil
        }
    }
}
