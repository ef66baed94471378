import Testing
@testable import SqlitchCore
import SqlitchTestSupport

@Suite struct ConsoleTests {
    @Test func commentPrefixesEveryLineAndEmptyCommentKeepsTrailingSpace() {
        let out = RecordingSink(), err = RecordingSink()
        let console = Console(out: out, err: err)
        console.comment("a\n\nb")
        #expect(out.text == "# a\n# \n# b\n")
    }

    @Test func infoIsHiddenWhenQuietButEmitIsNot() {
        let out = RecordingSink(), err = RecordingSink()
        let console = Console(out: out, err: err, verbosity: 0)
        console.info("hidden")
        console.emit("shown")
        #expect(out.text == "shown\n")
    }

    @Test func softErrorsGoToStandardOutputAndHardOnesToStandardError() {
        let out = RecordingSink(), err = RecordingSink()
        let console = Console(out: out, err: err)
        console.report(EngineError("No changes deployed", exitCode: 1))
        console.report(PlanError("Syntax error", exitCode: 2))
        #expect(out.text == "No changes deployed\n")
        #expect(err.text == "Syntax error\n")
    }

    @Test func writesAreAtomicAndCreateNoStrayFiles() throws {
        let dir = try TemporaryDirectory()
        let files = FileSystem(workingDirectory: dir.path)
        try files.writeText("a.txt", "one")
        try files.writeText("a.txt", "two")
        #expect(dir.read("a.txt") == "two")
        #expect(files.contents(of: ".") == ["a.txt"])
    }
}
