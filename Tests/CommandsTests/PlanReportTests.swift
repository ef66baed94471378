import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The `plan` command over the `projects/planshow` fixture; expected texts are Sqitch 1.3.1's.
@Suite struct PlanReportTests {
    func context(config: String? = nil) throws -> TestContext {
        let context = try TestContext()
        try context.directory.copyFixture("projects/planshow")
        if let config { try context.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n" + config) }
        return context
    }

    func run(_ context: TestContext, _ configure: (inout PlanReport.Options) -> Void = { _ in },
             arguments: [String] = []) throws -> Int32 {
        var options = PlanReport.Options()
        configure(&options)
        let sqitch = try context.sqitch()
        return try PlanReport(options: options, config: sqitch.config, environment: sqitch.environment)
            .execute(sqitch, arguments: arguments)
    }

    static let header = "# Project: flipr\n# File:    sqitch.plan\n\n"

    @Test func onelineReverseSkipAndCount() throws {
        let context = try context()
        let code = try run(context) {
            $0.oneline = true
            $0.reverse = true
            $0.maxCount = 3
            $0.skip = 1
        }
        #expect(code == 0)
        #expect(context.out.text == Self.header + """
            5b297c deploy missing @v2.0
            771c0f deploy hash/tags
            665ffc revert flips

            """)
        #expect(context.err.text == "")
    }

    @Test func fullPresetWithTagsRequiresAndUnicode() throws {
        let context = try context()
        _ = try run(context) {
            $0.format = "full"
            $0.maxCount = 1
            $0.skip = 3
        }
        #expect(context.out.text == Self.header + """
            Deploy 3be1bf667e3927b2b82f75a70740a2fdded7d922 (@v1.1, @beta)
            Name:      café
            Project:   flipr
            Requires:  flips
            Planner:   Zoë Ünïcødé <zoe@example.net>
            Planned:   2024-01-05 11:00:00 +0000

                Ünïcødé note — with dash


            """)
    }

    @Test func sectionValuesActAsOptions() throws {
        let context = try context(config: "[plan]\n\treverse = 1\n\tmax_count = 2\n\theaders = 0\n\tformat = oneline\n")
        _ = try run(context)
        #expect(context.out.text == """
            24d6d0c2b0cc54379545a264dd487e591e532cb9 deploy users
            5b297c03f381b8e6504287121afbf4b17400926a deploy missing @v2.0

            """)
    }

    @Test func optionsBeatTheSection() throws {
        let context = try context(config: "[plan]\n\treverse = 1\n\tformat = short\n\tevent = revert\n")
        _ = try run(context) {
            $0.reverse = false
            $0.format = "format:%n"
            $0.event = "deploy"
            $0.headers = false
            $0.maxCount = 2
        }
        #expect(context.out.text == "appschema\nusers\n")
    }

    @Test(arguments: [
        ("headers = false", "Value \"false\" did not pass type constraint \"Bool\" (in $args->{\"headers\"})"),
        ("reverse = yes", "Value \"yes\" did not pass type constraint \"Bool\" (in $args->{\"reverse\"})"),
        ("skip = 1.5", "Value \"1.5\" did not pass type constraint \"Int\" (in $args->{\"skip\"})"),
        ("color = sometimes", "Value \"sometimes\" did not pass type constraint \"Enum[always,auto,never]\" (in $args->{\"color\"})"),
        ("format = bogus", "Unknown plan format \"bogus\""),
        ("date_format = bogus", "Unknown date format \"bogus\""),
    ])
    func sectionValuesAreChecked(_ setting: String, _ message: String) throws {
        let context = try context(config: "[plan]\n\t\(setting)\n")
        let sqitch = try context.sqitch()
        #expect(throws: CommandError(message)) {
            _ = try PlanReport(options: PlanReport.Options(), config: sqitch.config, environment: sqitch.environment)
        }
    }

    @Test func colorOnlyWhenAskedOrOnATerminal() throws {
        for (color, terminal, colored) in [("always", false, true), ("auto", true, true), ("auto", false, false),
                                           ("never", true, false)] {
            let context = try context()
            _ = try run(context) {
                $0.color = color
                $0.outputIsTerminal = terminal
                $0.oneline = true
                $0.maxCount = 1
                $0.headers = false
            }
            let expected = colored ? "\u{1B}[32m253207 deploy\u{1B}[0m appschema\u{1B}[36m\u{1B}[0m\n"
                : "253207 deploy appschema\n"
            #expect(context.out.text == expected, "\(color) \(terminal)")
        }
    }

    @Test func deployFilesForPercentF() throws {
        let context = try context()
        _ = try run(context) {
            $0.format = "format:%F"
            $0.headers = false
            $0.maxCount = 3
        }
        #expect(context.out.text == "deploy/appschema.sql\ndeploy/users@v1.0.sql\ndeploy/flips@v1.1.sql\n")
    }

    @Test func negativeSkipCountsFromTheEnd() throws {
        let context = try context()
        _ = try run(context) {
            $0.skip = -1
            $0.maxCount = 2
            $0.format = "format:%n"
            $0.headers = false
        }
        #expect(context.out.text == "users\nappschema\n")
    }

    @Test func emptyPlanIsASoftError() throws {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n")
        try context.directory.write("sqitch.plan", "%project=empty\n\n")
        #expect(throws: PlanError("No changes in sqitch.plan", exitCode: 1)) { _ = try run(context) }
    }

    @Test func tooManyTargetsWarns() throws {
        let context = try context()
        _ = try run(context, { $0.format = "format:%n"; $0.headers = false; $0.maxCount = 1 },
                    arguments: ["db:sqlite:a.db", "db:sqlite:b.db"])
        #expect(context.err.text == "warning: Too many targets specified; using db:sqlite:a.db\n")
        #expect(context.out.text == "appschema\n")
    }

    @Test func unknownArgument() throws {
        let context = try context()
        #expect(throws: CommandError("Unknown argument \"nope\"")) { _ = try run(context, arguments: ["nope"]) }
    }

    @Test func entriesBeforeAFormatErrorArePrinted() throws {
        let context = try context()
        #expect(throws: CommandError("Unknown format code \"Q\"")) {
            _ = try run(context) { $0.format = "format:%Q" }
        }
        #expect(context.out.text == Self.header)
    }

    @Test(arguments: [("12", 12), ("+3", 3), ("-1", -1)])
    func perlIntegers(_ text: String, _ value: Int) {
        #expect(PlanReport.perlInt(text) == value)
    }

    @Test(arguments: ["", "x", "1.5", "1e3", "--oneline"])
    func notPerlIntegers(_ text: String) {
        #expect(PlanReport.perlInt(text) == nil)
    }
}
