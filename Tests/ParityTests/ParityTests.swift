import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The scenarios run with both `sqitch` and `sqlitch`. One line per scenario; add yours to
/// the table as soon as the behaviour passes (`swift test --filter ParityTests`).
///
/// - One command in an empty project directory: `.run("name", ["args", ...])`.
/// - Several commands, a `Fixtures/` folder and inline files:
///   `ParityScenario("name", fixture: "projects/flipr", files: ["sqitch.conf": "..."],
///                   steps: [ParityStep(["init", "flipr"]), ParityStep(["plan"])])`.
/// - A deliberate difference (docs/DIFFERENCES.md) or Sqitch 1.6 behaviour the installed
///   1.3.1 lacks (fact sheet §12): `deviations:` (`.exitCode(2)`, `.stderrFirstLine`,
///   `.stdout("exact 1.6 text")`, `.replacing("you@host.com", with: "you@example.com")`,
///   `.ignoreStderr`, ...) plus a `reason:` naming the row or §12 item.
/// Each run gets `<tmp>/project` (working directory), `<tmp>/home` and `<tmp>/etc`; every file
/// under `<tmp>` is compared after the last step (`*.db` files for presence only).
/// Forgiven: plan timestamps and dates, the 40-hex IDs when timestamps differ, `sqlitch` for
/// `sqitch`, the temp path, and the command list / usage block text (sqlitch's own words).
let scenarios: [ParityScenario] = [
    .run("no arguments", []),
    .run("unknown command words", ["foo", "bar"]),
    .run("unknown word after a core option", ["--quiet", "nope"]),
    .run("-q is not a core option", ["-q"]),
    .run("unknown long option without a command", ["--bogus"]),
    .run("--etc-path", ["--etc-path"]),
    .run("verbose without a command", ["-vvv"]),
    .run("--no-pager without a command", ["--no-pager"]),
    .run("empty and zero words are skipped", ["", "0", "nope"]),
    .run("words after -- are not commands", ["--", "help"]),
    .run("legacy option values are skipped", ["-d", "help", "nope"]),
    .run("legacy long option values are skipped", ["--engine", "help", "--db-name", "plan", "x"]),
    .run("--etc-path beats the command", ["help", "--etc-path"]),
    .run("--etc-path after other words", ["-v", "--etc-path"]),
    .run("-C to a missing directory", ["-C", "/nonexistent"],
         deviations: [.exitCode(2), .stderrFirstLine],
         reason: "DIFFERENCES: errors before a command runs exit 2 without a Perl stack trace"),
    .run("--chdir= to a missing directory", ["--chdir=/nonexistent", "status"],
         deviations: [.exitCode(2), .stderrFirstLine],
         reason: "DIFFERENCES: errors before a command runs exit 2 without a Perl stack trace"),
    .run("help for an unknown command", ["help", "nonexistent"]),
    .run("help for an unknown guide", ["help", "tutorialx"]),
    .run("help for a changes-like topic", ["help", "changesx"]),
    .run("help ignores words after the topic", ["help", "nonexistent", "plan"]),
    .run("help for an unknown topic, quietly", ["--quiet", "help", "nonexistent"]),
    .run("help for an unknown topic after -C", ["-C", ".", "help", "nope"]),
    .run("help with an unknown option", ["help", "--bogus"]),
    .run("help with an unknown short option", ["help", "-x"]),
    .run("help --guide is not negatable", ["help", "--no-guide"]),
    .run("help -g with an unknown option", ["help", "-g", "-x"]),
    .run("core option after the command", ["help", "nonexistent", "--quiet"]),
    ParityScenario("project files are read and left alone",
                   files: ["sqitch.conf": "[core]\n\tengine = sqlite\n", "sqitch.plan": "%project=p\n\n"],
                   steps: [ParityStep(["nope"]), ParityStep(["help", "nonexistent"])]),
    ParityScenario("core.verbosity = 0 silences soft errors",
                   files: ["sqitch.conf": "[core]\n\tverbosity = 0\n"],
                   steps: [ParityStep(["help", "nonexistent"]), ParityStep(["-v", "help", "nonexistent"])]),
]

extension ParityScenario: CustomTestStringConvertible {
    public var testDescription: String { name }
}

/// Runs `scenario` with both programs and records every difference as one issue. Without
/// `sqitch` the suites are skipped (with a printed reason), except in CI, where this fails.
func expectParity(_ scenario: ParityScenario) async throws {
    guard ParityHarness.referencePath != nil else {
        Issue.record("`sqitch` is not on PATH, and CI=true: parity cannot be checked")
        return
    }
    let mismatches = try await ParityHarness.compare(scenario)
    if !mismatches.isEmpty {
        Issue.record(Comment(rawValue: ParityReport.describe(scenario, mismatches)))
    }
}

@Suite("Parity with sqitch", .enabled(if: ParityHarness.shouldRun))
struct ParityTests {
    @Test(arguments: scenarios)
    func scenario(_ scenario: ParityScenario) async throws { try await expectParity(scenario) }
}

/// Deliberate differences checked on sqlitch alone (no reference needed).
@Suite("sqlitch's own behaviour")
struct SqlitchOnlyTests {
    /// `--version` names sqlitch and its own version (DIFFERENCES: `--version`).
    @Test func version() async throws {
        let binary = try #require(ParityHarness.sqlitchPath)
        let output = try await ParityHarness.run(
            ParityScenario.run("version", ["--version"]), executable: binary, isReference: false)
        let step = try #require(output.outputs.first)
        #expect(step.exitCode == 0)
        #expect(step.stderr == "")
        #expect(step.stdout.wholeMatch(of: /sqlitch \(App::Sqitch\) v\d+\.\d+\.\d+\n/) != nil)
    }
}

extension SqlitchOnlyTests {
    func runSqlitch(_ arguments: [String]) async throws -> ParityOutput {
        let binary = try #require(ParityHarness.sqlitchPath)
        let run = try await ParityHarness.run(ParityScenario.run("sqlitch", arguments), executable: binary,
                                              isReference: false)
        return try #require(run.outputs.first)
    }

    /// `--help`, `--man` and `help <command>` print sqlitch's own text (DIFFERENCES: help pages).
    @Test(arguments: [["--help"], ["help"], ["status", "--help"], ["--man"], ["help", "--guide"], ["help", "plan"]])
    func helpText(_ arguments: [String]) async throws {
        let expected = switch arguments.last {
        case "--man": HelpDocuments.manual
        case "--guide": HelpDocuments.guideList
        case "plan": HelpDocuments.page(for: "plan")!
        default: HelpDocuments.commandList
        }
        let output = try await runSqlitch(arguments)
        #expect(output.exitCode == 0)
        #expect(output.stderr == "")
        #expect(output.stdout == expected + "\n")
    }

    /// A usage error prints Sqitch's first line, then sqlitch's usage block, exit 2.
    @Test func usageAfterUnknownOption() async throws {
        let output = try await runSqlitch(["help", "--bogus"])
        #expect(output.exitCode == 2)
        #expect(output.stdout == "")
        #expect(output.stderr == "Unknown option: bogus\n" + HelpDocuments.usage(for: "help"))
    }
}

/// The harness itself: it must notice differences, and forgive only what it normalizes.
@Suite("Parity harness")
struct ParityHarnessTests {
    func run(_ outputs: [ParityOutput], files: [String: String] = [:]) -> ParityRun {
        ParityRun(outputs: outputs, files: files.mapValues { Data($0.utf8) })
    }

    let step = ParityScenario.run("s", ["plan"])

    @Test func reportsEachStream() {
        let expected = run([ParityOutput(stdout: "a\n", stderr: "", exitCode: 0)])
        let actual = run([ParityOutput(stdout: "b\n", stderr: "oops\n", exitCode: 2)])
        let found = ParityHarness.compare(step, expected: expected, actual: actual)
        #expect(found.map { $0.what } == ["exit code", "stdout", "stderr"])
        #expect(found[1].description.contains("  - a"))
        #expect(found[1].description.contains("  + b"))
    }

    @Test func normalizesProgramNameTimestampsAndIDs() {
        let expected = run([ParityOutput(
            stdout: "Use \"sqitch help\" at 2026-01-01 10:00:00 +0000 id 0123456789012345678901234567890123456789\n",
            stderr: "", exitCode: 0)],
            files: ["project/sqitch.plan": "a 2026-01-01T10:00:00Z x\n"])
        let actual = run([ParityOutput(
            stdout: "Use \"sqlitch help\" at 2026-01-01 10:00:01 +0000 id abcdefabcdefabcdefabcdefabcdefabcdefabcd\n",
            stderr: "", exitCode: 0)],
            files: ["project/sqitch.plan": "a 2026-01-01T10:00:01Z x\n"])
        #expect(ParityHarness.compare(step, expected: expected, actual: actual).isEmpty)
    }

    @Test func comparesIDsWhenTimestampsAgree() {
        let expected = run([ParityOutput(stdout: "2026-01-01T10:00:00Z 0123456789012345678901234567890123456789\n",
                                         stderr: "", exitCode: 0)])
        let actual = run([ParityOutput(stdout: "2026-01-01T10:00:00Z abcdefabcdefabcdefabcdefabcdefabcdefabcd\n",
                                       stderr: "", exitCode: 0)])
        #expect(ParityHarness.compare(step, expected: expected, actual: actual).map { $0.what } == ["stdout"])
    }

    @Test func comparesFiles() {
        let out = [ParityOutput(stdout: "", stderr: "", exitCode: 0)]
        let found = ParityHarness.compare(step, expected: run(out, files: ["project/a": "1", "project/b": "x"]),
                                          actual: run(out, files: ["project/a": "2", "project/c": "x"]))
        #expect(found.map { $0.what } == ["project/a", "project/b (written only by sqitch)",
                                      "project/c (written only by sqlitch)"])
    }

    @Test func replacingAdjustsTheReferenceText() {
        let scenario = ParityScenario.run("s", ["x"], deviations: [.replacing("host.com", with: "example.com")],
                                          reason: "1.6 wording")
        let expected = run([ParityOutput(stdout: "", stderr: "you@host.com\n", exitCode: 2)])
        #expect(ParityHarness.compare(scenario, expected: expected,
                                      actual: run([ParityOutput(stdout: "", stderr: "you@example.com\n", exitCode: 2)])).isEmpty)
        #expect(!ParityHarness.compare(scenario, expected: expected, actual: expected).isEmpty)
    }

    @Test func databasesAreComparedForPresenceOnly() {
        let out = [ParityOutput(stdout: "", stderr: "", exitCode: 0)]
        let found = ParityHarness.compare(step, expected: run(out, files: ["project/flipr.db": "1", "project/a.db": "x"]),
                                          actual: run(out, files: ["project/flipr.db": "2"]))
        #expect(found.map { $0.what } == ["project/a.db (written only by sqitch)"])
    }

    @Test func deviationsReplaceTheReference() {
        let scenario = ParityScenario.run("s", ["x"], deviations: [.exitCode(2), .stderrFirstLine], reason: "test")
        let expected = run([ParityOutput(stdout: "", stderr: "Bad\nTrace begun\n", exitCode: 255)])
        #expect(ParityHarness.compare(scenario, expected: expected,
                                      actual: run([ParityOutput(stdout: "", stderr: "Bad\n", exitCode: 2)])).isEmpty)
        #expect(!ParityHarness.compare(scenario, expected: expected,
                                       actual: run([ParityOutput(stdout: "", stderr: "Bad\n", exitCode: 255)])).isEmpty)
    }
}
