import Foundation
import SqlitchCore
import SqlitchTestSupport
import Testing

/// Mutated plans fed to Sqitch and to sqlitch (`plan --format oneline`): the same exit
/// code, the same standard output and the same first line of standard error (Sqitch adds a
/// Perl stack trace to some errors; see docs/DIFFERENCES.md). Sqitch is the oracle: run
/// where it is installed (always in CI).
@Suite("Differential fuzzing against Sqitch", .enabled(if: ParityHarness.shouldRun))
struct DifferentialFuzzTests {
    static let inputs = Int(ProcessInfo.processInfo.environment["SQLITCH_DIFF_FUZZ_INPUTS"] ?? "") ?? 150

    struct Outcome: Equatable, CustomStringConvertible {
        var exitCode: Int32
        var stdout: String
        var firstErrorLine: String
        var description: String { "exit \(exitCode)\n\(stdout)\(firstErrorLine)" }
    }

    func outcome(_ output: ParityOutput) -> Outcome {
        Outcome(exitCode: output.exitCode, stdout: output.stdout,
                firstErrorLine: String(output.stderr.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""))
    }

    /// Sqitch 1.3.1's first line of an error as 1.6 words it, without Perl's location:
    /// 1.6 names `[` and `]` among the characters a name must not contain (fact sheet §12),
    /// and sqlitch keeps a Perl error's message without ` at <file> line <n>.`.
    static func asSqitch16(_ line: String) -> String {
        var text = line.replacingOccurrences(of: ##"contain "@", ":", "#", "\", or blanks"##,
                                             with: ##"contain "@", ":", "#", "\", "[", "]", or blanks"##)
        if let location = text.firstMatch(of: /\ at \/\S+\.pm line \d+\.$/) { text.removeSubrange(location.range) }
        return text
    }

    @Test func mutatedPlansGetSqitchsAnswers() async throws {
        let sqitch = try #require(ParityHarness.referencePath)
        let sqlitch = try ReliabilityTarget.sqlitch()
        let corpus = FuzzTests.Parser.plan.corpus
        var random = SeededRandom(seed: 0xD1FF)
        var plans: [[UInt8]] = []
        for _ in 0..<Self.inputs {
            plans.append(FuzzTests.mutate(corpus.randomElement(using: &random)!, corpus: corpus,
                                          dictionary: FuzzTests.Parser.plan.dictionary, random: &random))
        }
        var same = 0
        var differences: [String] = []
        // A few at a time: Sqitch spends most of a run starting Perl.
        for batch in stride(from: 0, to: plans.count, by: 6) {
            var running: [(Int, TemporaryDirectory, RunningProcess, RunningProcess)] = []
            for index in batch..<min(batch + 6, plans.count) {
                let directory = try TemporaryDirectory(prefix: "difffuzz")
                try directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n")
                try Data(plans[index]).write(to: URL(fileURLWithPath: directory.path + "/sqitch.plan"))
                let environment = ParityHarness.isolatedEnvironment(root: directory.path)
                let arguments = ["plan", "--format", "oneline", "--no-color"]
                running.append((index, directory,
                                try ParityHarness.start(sqitch, arguments, in: directory.path, environment: environment),
                                try ParityHarness.start(sqlitch, arguments, in: directory.path, environment: environment)))
            }
            for (index, _, reference, ours) in running {
                var expected = outcome(await ParityHarness.finish(reference))
                expected.firstErrorLine = Self.asSqitch16(expected.firstErrorLine)
                var actual = outcome(await ParityHarness.finish(ours))
                actual.stdout = actual.stdout.replacingOccurrences(of: "sqlitch", with: "sqitch")
                actual.firstErrorLine = actual.firstErrorLine.replacingOccurrences(of: "sqlitch", with: "sqitch")
                // A plan date that cannot exist: Sqitch's DateTime validation message, a line
                // naming the plan's line instead (issue 12; docs/DIFFERENCES.md).
                if expected.firstErrorLine.hasPrefix("Validation failed for type named "),
                   actual.firstErrorLine.contains(": Invalid timestamp "), expected.exitCode == actual.exitCode,
                   expected.stdout == actual.stdout {
                    actual.firstErrorLine = expected.firstErrorLine
                }
                if expected == actual {
                    same += 1
                } else {
                    differences.append("input \(index):\n" + String(decoding: plans[index], as: UTF8.self).debugDescription
                        + "\nSqitch: \(expected)\nsqlitch: \(actual)")
                }
            }
        }
        print("differential plan fuzz: \(same) of \(plans.count) mutated plans answered as Sqitch answers")
        #expect(differences.isEmpty, "\(differences.count) differ:\n\(differences.prefix(5).joined(separator: "\n\n"))")
    }
}
