import Foundation
import SqlitchCore
import SqlitchTestSupport
import Testing

/// When to send the signal: the registry's count of changes passes each condition in turn
/// (a rebase first reverts, then deploys), then a random further wait of up to `jitter`
/// seconds, so that the signal lands anywhere in a change: before its script, while the
/// client runs it, or while its registry rows are written.
struct KillPoint: CustomStringConvertible {
    enum Condition { case atMost(Int), atLeast(Int) }
    var conditions: [Condition]
    var jitter: Double
    var label: String?

    static func early(_ jitter: Double = 0.08) -> KillPoint { KillPoint(conditions: [], jitter: jitter) }
    static func atLeast(_ count: Int, jitter: Double = 0.03) -> KillPoint { KillPoint(conditions: [.atLeast(count)], jitter: jitter) }
    static func atMost(_ count: Int, jitter: Double = 0.03) -> KillPoint { KillPoint(conditions: [.atMost(count)], jitter: jitter) }
    /// In a rebase's deploy, once `high` changes are recorded again after its revert down to
    /// `low`. A count below `high`, then `high`, can only be the deploy's, since the revert
    /// only lowers the count; waiting for `low` itself would leave the poller only the
    /// instant between the two halves, which a poll can miss.
    static func down(to low: Int, thenUp high: Int) -> KillPoint {
        precondition(low < high)
        return KillPoint(conditions: [.atMost(high - 1), .atLeast(high)], jitter: 0.03, label: "down to \(low), then at least \(high) recorded")
    }

    var description: String {
        if let label { return label }
        return conditions.isEmpty ? "at start" : conditions.map {
            switch $0 {
            case .atMost(let n): return "at most \(n) recorded"
            case .atLeast(let n): return "at least \(n) recorded"
            }
        }.joined(separator: ", then ")
    }
}

/// What a check after a kill knows from earlier kills: tables a killed deploy's client
/// created for a change that was never recorded, and recorded changes whose table a killed
/// revert's client dropped. Each kill may add one of either, at the change in flight; the
/// next run of the same command mends it (the scripts can run twice).
struct KnownStrays {
    var unrecorded: Set<String> = []
    var dropped: Set<String> = []
}

/// Signals at many points of deploys, reverts and rebases of a 200-change plan, on every
/// engine. After each, the registry must list a prefix of the plan, and the database hold
/// exactly those changes' tables, but for the change in flight:
/// - SIGKILL: the client running that change's script is not ours to stop (Sqitch leaves it
///   running too), so its script may complete with the change unrecorded (a deploy) or still
///   recorded (a revert). Nothing else may differ; `status` must work; `verify` must pass,
///   or fail on that reverted change alone; and running the command again must finish the
///   plan.
/// - SIGINT and SIGTERM: the change in flight finishes and is recorded, the run stops with
///   `Deploy interrupted by SIG... after "<change>"` and exit 128 + the signal: the registry
///   and the database then agree exactly.
@Suite("Kills and interrupts")
struct KillTests {
    static let engines = ReliabilityEngine.testable

    @Test(arguments: engines)
    func sigkillAtSixtyPointsOfDeployRevertAndRebase(_ engine: ReliabilityEngine) throws {
        let target = try ReliabilityTarget(engine, changes: 200, prefix: "kill")
        var random = SeededRandom(seed: 0x5EED_0000 + UInt64(engine.rawValue.count))
        var strays = KnownStrays()
        var kills = 0

        // Deploy: once while it connects and creates the registry, then every 10 changes.
        let deployPoints = [KillPoint.early()] + stride(from: 10, through: 190, by: 10).map { KillPoint.atLeast($0) }
        for point in deployPoints {
            try killAndCheck(target, ["deploy"], at: point, signal: SIGKILL, random: &random, strays: &strays)
            kills += 1
        }
        try expectComplete(target, ["deploy"], recorded: target.changes, strays: &strays)

        // Revert: every 10 changes on the way down, and near the bottom.
        let revertPoints = stride(from: 190, through: 10, by: -10).map { KillPoint.atMost($0) } + [.atMost(3)]
        for point in revertPoints {
            try killAndCheck(target, ["revert", "-y"], at: point, signal: SIGKILL, random: &random, strays: &strays)
            kills += 1
        }
        try expectComplete(target, ["revert", "-y"], recorded: [], strays: &strays)
        try expectComplete(target, ["deploy"], recorded: target.changes, strays: &strays)

        // Rebase onto @t150: in its revert and in its deploy.
        let rebasePoints: [KillPoint] = [
            .atMost(190), .atMost(170), .down(to: 150, thenUp: 155), .atMost(152), .down(to: 150, thenUp: 160),
            .down(to: 150, thenUp: 170), .atMost(165), .down(to: 150, thenUp: 175), .down(to: 150, thenUp: 185),
            .atMost(180), .down(to: 150, thenUp: 151), .down(to: 150, thenUp: 190),
            .atMost(185), .down(to: 150, thenUp: 195), .atMost(160), .down(to: 150, thenUp: 165),
            .down(to: 150, thenUp: 180), .down(to: 150, thenUp: 188), .atMost(175), .down(to: 150, thenUp: 199),
        ]
        for point in rebasePoints {
            try killAndCheck(target, ["rebase", "-y", "--onto", "@t150"], at: point, signal: SIGKILL, random: &random,
                             strays: &strays)
            kills += 1
        }
        try expectComplete(target, ["rebase", "-y", "--onto", "@t150"], recorded: target.changes, strays: &strays)
        #expect(strays.unrecorded.isEmpty && strays.dropped.isEmpty, "\(strays)")
        let counts = try target.registryRowCounts()
        #expect(counts.changes == 200 && counts.distinctChanges == 200)
        let verify = try target.run(["verify"])
        #expect(verify.exitCode == 0, "\(engine) verify: \(verify)")
        print("\(engine): SIGKILL survived at \(kills) points (deploy 20, revert 20, rebase 20)")
    }

    /// SIGINT and SIGTERM, each at 20 points of deploys, reverts and rebases of a
    /// 100-change plan: each run stops after the change in flight, with the registry and
    /// the database agreeing exactly.
    @Test(arguments: engines, [SIGINT, SIGTERM])
    func interruptsStopAfterTheChangeInFlight(_ engine: ReliabilityEngine, _ signal: Int32) throws {
        let target = try ReliabilityTarget(engine, changes: 100, prefix: "interrupt")
        var random = SeededRandom(seed: 0x1A7E_0000 + UInt64(engine.rawValue.count) + UInt64(signal))
        var strays = KnownStrays()
        // At least ten changes left after each point: with the jitter and the poll, five
        // fast SQLite changes could finish before the signal lands.
        for count in [5, 15, 25, 40, 55, 70, 80, 90] {
            try killAndCheck(target, ["deploy"], at: .atLeast(count), signal: signal, random: &random, strays: &strays)
        }
        try expectComplete(target, ["deploy"], recorded: target.changes, strays: &strays)
        for count in [90, 75, 60, 45, 30, 10] {
            try killAndCheck(target, ["revert", "-y"], at: .atMost(count), signal: signal, random: &random, strays: &strays)
        }
        try expectComplete(target, ["deploy"], recorded: target.changes, strays: &strays)
        let rebasePoints: [KillPoint] = [
            .atMost(90), .atMost(70), .down(to: 50, thenUp: 60), .atMost(55), .down(to: 50, thenUp: 80),
            .down(to: 50, thenUp: 90),
        ]
        for point in rebasePoints {
            try killAndCheck(target, ["rebase", "-y", "--onto", "@t50"], at: point, signal: signal, random: &random,
                             strays: &strays)
        }
        try expectComplete(target, ["rebase", "-y", "--onto", "@t50"], recorded: target.changes, strays: &strays)
        #expect(strays.unrecorded.isEmpty && strays.dropped.isEmpty)
        print("\(engine): SIG\(signal == SIGINT ? "INT" : "TERM") stopped runs cleanly at 20 points (deploy 8, revert 6, rebase 6)")
    }

    // MARK: The kill and the checks

    /// Runs `arguments`, signals it at `point`, waits for it and for the clients it left, and
    /// checks what it left (see the suite).
    func killAndCheck(_ target: ReliabilityTarget, _ arguments: [String], at point: KillPoint, signal: Int32,
                      random: inout SeededRandom, strays: inout KnownStrays,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let what = "\(target.engine) \(arguments.joined(separator: " ")) signal \(signal) \(point)"
        let child = try target.start(arguments)
        var reached = true
        let deadline = Date().addingTimeInterval(240)
        for condition in point.conditions {
            while reached {
                let count = try target.recorded().count
                switch condition {
                case .atMost(let n) where count <= n, .atLeast(let n) where count >= n: break
                default:
                    if !Watchdog.isRunning(child.pid) || Date() > deadline { reached = false }
                    Thread.sleep(forTimeInterval: 0.001)
                    continue
                }
                break
            }
        }
        Thread.sleep(forTimeInterval: Double.random(in: 0...point.jitter, using: &random))
        let clients = Watchdog.descendants(of: child.pid)
        kill(child.pid, signal)
        let output = Watchdog.finish(child, seconds: 240)
        #expect(Watchdog.awaitEnd(of: clients), "\(what): clients still running", sourceLocation: sourceLocation)
        #expect(reached, "\(what): the run ended before the kill point: \(output)", sourceLocation: sourceLocation)

        // sqlitch first: it must cope with whatever the kill left (an SQLite hot journal).
        let status = try target.run(["status"])
        let recorded = try target.recorded()
        // Sqitch's words and exit codes for a registry with nothing in it, or none at all.
        if recorded.isEmpty {
            #expect(status.exitCode == 1 && status.stdout.hasSuffix("No changes deployed\n") && status.stderr.isEmpty,
                    "\(what): status: \(status)", sourceLocation: sourceLocation)
        } else {
            #expect(status.exitCode == 0 && status.stderr.isEmpty, "\(what): status: \(status)", sourceLocation: sourceLocation)
        }
        let tables = try target.tables()
        #expect(recorded == Array(target.changes.prefix(recorded.count)),
                "\(what): the registry lists no prefix of the plan: \(recorded)", sourceLocation: sourceLocation)
        var unrecorded = Set(tables).subtracting(recorded).subtracting(strays.unrecorded)
        var dropped = Set(recorded).subtracting(tables).subtracting(strays.dropped)
        if signal == SIGKILL {
            // The change in flight: the next one of a deploy, the last recorded of a revert.
            if recorded.count < target.changes.count { unrecorded.remove(target.changes[recorded.count]) }
            if let last = recorded.last { dropped.remove(last) }
        } else {
            #expect(output.exitCode == 128 + signal, "\(what): \(output)", sourceLocation: sourceLocation)
            let name = signal == SIGINT ? "INT" : "TERM"
            let verb = arguments[0] == "deploy" || (arguments[0] == "rebase" && output.stdout.contains("Deploying"))
                ? "Deploy" : "Revert"
            let inFlight = verb == "Deploy" ? recorded.last ?? "" : target.changes[recorded.count]
            #expect(output.stderr.hasSuffix("\(verb) interrupted by SIG\(name) after \"\(inFlight)\"\n"),
                    "\(what): \(output)", sourceLocation: sourceLocation)
            #expect(output.stdout.hasSuffix(" ok\n"), "\(what): \(output)", sourceLocation: sourceLocation)
        }
        #expect(unrecorded.isEmpty && dropped.isEmpty,
                "\(what): registry and database disagree: tables without a record \(unrecorded.sorted()), records without a table \(dropped.sorted())",
                sourceLocation: sourceLocation)
        strays.unrecorded = Set(tables).subtracting(recorded)
        strays.dropped = Set(recorded).subtracting(tables)

        // The registry and the tables were compared above; `verify` runs from a few changes
        // before the one in flight (all of them would take a client run each, every time).
        if recorded.isEmpty {
            let verify = try target.run(["verify"])
            let noRegistry = verify.exitCode == 2 && verify.stderr.hasPrefix("No registry found in ")
            let nothing = verify.exitCode == 0 && verify.stdout.hasSuffix("No changes deployed\n")
            #expect(noRegistry || nothing, "\(what): verify: \(verify)", sourceLocation: sourceLocation)
        } else {
            let from = recorded[max(0, recorded.count - 3)]
            let verify = try target.run(["verify", "--from-change", from])
            let failed = (verify.stdout + verify.stderr).matches(of: /Verify script "verify\/(c\d+)\.sql" failed/)
                .map { String($0.output.1) }
            let expected = strays.dropped.filter { $0 >= from }.sorted()
            #expect(verify.exitCode == (expected.isEmpty ? 0 : 2), "\(what): verify: \(verify)", sourceLocation: sourceLocation)
            #expect(failed == expected, "\(what): verify: \(verify)", sourceLocation: sourceLocation)
        }
    }

    /// Runs `arguments` to its end: it must succeed, and leave `recorded` in the registry
    /// and exactly their tables.
    func expectComplete(_ target: ReliabilityTarget, _ arguments: [String], recorded expected: [String],
                        strays: inout KnownStrays, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let output = try target.run(arguments)
        #expect(output.exitCode == 0, "\(target.engine) \(arguments): \(output)", sourceLocation: sourceLocation)
        #expect(try target.recorded() == expected, sourceLocation: sourceLocation)
        #expect(try target.tables() == expected, sourceLocation: sourceLocation)
        strays = KnownStrays()
    }
}
