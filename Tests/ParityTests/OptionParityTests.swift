import Foundation
import Testing
import SqlitchTestSupport

/// Getopt::Long's reading of the command line: abbreviations, bundling, negations, case,
/// `--`, and its error messages, across commands, each step run with both tools.
private func steps(_ lines: [[String]]) -> [ParityStep] { lines.map { ParityStep($0) } }

let optionScenarios: [ParityScenario] = [
    ParityScenario("plan options abbreviated, bundled and negated", fixture: "projects/planshow", steps: steps([
        ["plan", "--form", "oneline"],
        ["--qu", "plan", "--one"],
        ["plan", "--o", "-n1"],
        ["plan", "-n2", "--oneline", "--nor"],
        ["plan", "--no-head", "--one", "--rev"],
        ["plan", "--Format", "short", "--max=+1"],
        ["plan", "--ab=8", "--form=oneline", "--skip", "1_0"],
        ["plan", "--chan", "^w", "--plann", "Marge", "--one"],
        ["--chdir", ".", "plan", "--on", "--noheaders"],
        ["plan", "--C", ".", "--on"],
        ["plan", "--", "--on"],
    ])),
    ParityScenario("option errors", fixture: "projects/planshow", steps: steps([
        ["plan", "-nx"],
        ["plan", "--no"],
        ["plan", "--max-count"],
        ["plan", "--abbrev=x"],
        ["plan", "--oneline=1"],
        ["plan", "--chdir"],
        ["plan", "--bogus", "--nope", "-F"],
        ["plan", "--=x"],
        ["show", "--e", "change", "x"],
        ["add", "--set", "novalue", "x"],
        ["add", "-sfoo", "x"],
    ])),
    ParityScenario("the command is found before a malformed configuration is read",
                   files: ["sqitch.conf": "[core\n"], steps: steps([["bogus"], ["--qu", "nope", "-v"], ["plan"]])),
    ParityScenario("show, config, add and tag options abbreviated", fixture: "projects/planshow", steps: steps([
        ["show", "--noexists", "change", "hash"],
        ["show", "--exi", "tag", "v1.0"],
        ["config", "--get-reg", "core"],
        ["config", "--l"],
        ["config", "--int", "--ad", "x.y", "12"],
        ["config", "--get-all", "x.y"],
        ["add", "--chan", "abbrev_one", "-nnote", "--templ", "deploy"],
        ["add", "abbrev_two", "--req", "abbrev_one", "-mfirst", "--no-ed"],
        ["tag", "--ta", "v9", "-m", "tagged", "--no-a"],
        ["plan", "--one", "--rev"],
    ])),
]

@Suite("Parity with sqitch: option reading", .enabled(if: ParityHarness.shouldRun))
struct OptionParityTests {
    @Test(arguments: optionScenarios)
    func scenario(_ scenario: ParityScenario) async throws { try await expectParity(scenario) }
}
