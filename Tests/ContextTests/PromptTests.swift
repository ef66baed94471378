import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Prompts as Sqitch asks them: on standard output without a newline, answers read from
/// input, defaults used when unattended.
@Suite struct PromptTests {
    @Test func unattendedUsesAndShowsTheDefault() throws {
        let context = try TestContext()
        let sqitch = try context.sqitch()
        #expect(try sqitch.askYesNo("Revert all changes from db:sqlite:flipr.db?", default: true))
        #expect(context.out.text == "Revert all changes from db:sqlite:flipr.db? [Yes] Yes\n")
    }

    @Test func unattendedWithoutADefaultIsAnError() throws {
        let context = try TestContext()
        let sqitch = try context.sqitch()
        #expect(throws: IOError("Sqitch seems to be unattended and there is no default value for this question")) {
            _ = try sqitch.prompt("Name?")
        }
        #expect(context.out.text == "Name? ")
    }

    @Test(arguments: [("y", true), ("YE", true), ("n", false), ("No", false), ("", false)])
    func answersArePrefixesOfYesOrNo(_ answer: String, _ expected: Bool) throws {
        let context = try TestContext()
        let sqitch = try context.sqitch(input: ScriptedInput([answer]))
        #expect(try sqitch.askYesNo("Go on?", default: false) == expected)
        // A piped answer is read, not echoed.
        #expect(context.out.text == "Go on? [No] ")
    }

    @Test func threeWrongAnswersAbort() throws {
        let context = try TestContext()
        let sqitch = try context.sqitch(input: ScriptedInput(["maybe", "perhaps", "yesss"]))
        #expect(throws: IOError("No valid answer after 3 attempts; aborting")) {
            _ = try sqitch.askYesNo("Go on?", default: true)
        }
        let round = "Go on? [Yes] Please answer \"y\" or \"n\".\n"
        #expect(context.out.text == round + round + round)
    }

    @Test func aWrongAnswerThenAGoodOne() throws {
        let context = try TestContext()
        let sqitch = try context.sqitch(input: ScriptedInput(["x", "n"], interactive: true))
        #expect(try sqitch.askYesNo("Go on?", default: true) == false)
        #expect(context.out.text == "Go on? [Yes] Please answer \"y\" or \"n\".\nGo on? [Yes] ")
    }

    @Test func promptReturnsTheAnswerOrTheDefault() throws {
        let context = try TestContext()
        let sqitch = try context.sqitch(input: ScriptedInput(["typed", ""]))
        #expect(try sqitch.prompt("Name?", default: "dflt") == "typed")
        #expect(try sqitch.prompt("Name?", default: "dflt") == "dflt")
        #expect(context.out.text == "Name? [dflt] Name? [dflt] ")
    }
}
