import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The `help` command and the help documents.
@Suite struct HelpTests {
    /// Every Sqitch command, as `sqitch help` lists them (plus `check`), and sqlitch's own
    /// `completion` and `manpages`.
    static let commands = [
        "add", "bundle", "check", "checkout", "completion", "config", "deploy", "engine", "help", "init", "log",
        "manpages", "plan", "rebase", "revert", "rework", "show", "status", "tag", "target", "upgrade", "verify",
    ]

    @Test func withoutTopicPrintsTheCommandList() throws {
        let context = try TestContext()
        try HelpDocuments.help(topic: nil, guide: false, sqitch: context.sqitch())
        #expect(context.out.text == HelpDocuments.commandList + "\n")
        #expect(context.err.text == "")
    }

    @Test(arguments: ["", "0"])
    func falseTopicIsNoTopic(_ topic: String) throws {
        let context = try TestContext()
        try HelpDocuments.help(topic: topic, guide: false, sqitch: context.sqitch())
        #expect(context.out.text == HelpDocuments.commandList + "\n")
    }

    @Test func guideListsTheGuides() throws {
        let context = try TestContext()
        try HelpDocuments.help(topic: nil, guide: true, sqitch: context.sqitch())
        #expect(context.out.text == HelpDocuments.guideList + "\n")
        for guide in ["changes", "configuration", "environment", "authentication"] {
            #expect(context.out.text.contains("\n  \(guide) "))
        }
    }

    @Test func commandListNamesEveryCommand() {
        #expect(HelpDocuments.commandNames == Self.commands)
        for command in Self.commands {
            #expect(HelpDocuments.commandList.contains("\n  \(command) "), "missing \(command)")
        }
        #expect(HelpDocuments.commandList.contains("  sqlitch <command> [--chdir <path>] [--no-pager] [--quiet] [--verbose]"))
    }

    @Test(arguments: commands)
    func everyCommandHasAPage(_ command: String) throws {
        let context = try TestContext()
        try HelpDocuments.help(topic: command, guide: false, sqitch: context.sqitch())
        let page = context.out.text
        #expect(page.hasPrefix("Name\n    sqlitch-\(command) - "))
        #expect(page.contains("\nSynopsis\n    sqlitch \(command)"))
        #expect(page.contains("\nDescription\n    "))
        let hasOptions = !(CommandCatalog.command(named: command)?.allOptions.isEmpty ?? true)
        #expect(page.contains("\nOptions\n") == hasOptions)
        #expect(!page.contains("sqitch \(command)"), "the program is sqlitch")
    }

    @Test(arguments: commands)
    func everyCommandHasAUsageBlock(_ command: String) {
        let usage = HelpDocuments.usage(for: command)
        #expect(usage.hasPrefix("Usage:\n      sqlitch \(command) "))
        let hasOptions = !(CommandCatalog.command(named: command)?.allOptions.isEmpty ?? true)
        #expect(usage.contains("\n\nOptions:\n    ") == hasOptions)
        #expect(usage.hasSuffix("\n\n"))
        #expect(!usage.contains(" \n"), "no trailing spaces")
    }

    /// The usage blocks list what Sqitch's option specs accept (fact sheet §7).
    @Test(arguments: [
        ("plan", ["-t --target", "--event", "--change --change-pattern", "--planner --planner-pattern",
                  "-f --format", "--date-format --date", "-n --max-count", "--skip", "--reverse", "--no-reverse",
                  "--color", "--no-color", "--abbrev", "--oneline", "--headers", "--no-headers"]),
        ("show", ["-t --target", "-e --exists", "-f --plan-file"]),
        ("help", ["-g --guide"]),
        ("deploy", ["--to --to-change --change", "--mode", "-s --set", "--verify", "--no-verify", "--log-only",
                    "--lock-timeout", "--registry", "--client --db-client", "-d --db-name",
                    "-u --db-user --db-username", "-h --db-host", "-p --db-port", "-f --plan-file"]),
        ("revert", ["-m --modified", "-y", "--to --to-change --change"]),
        ("rebase", ["--onto --onto-change", "--upto --upto-change", "-r --set-revert", "-e --set-deploy", "-y"]),
        ("config", ["--local", "--user --global", "--system", "-f --file --config-file", "--get-regexp --get-regex",
                    "-l --list", "-e --edit", "--bool-or-int", "--rename-section", "--remove-section"]),
        ("init", ["--uri", "--engine", "--target", "--extension", "-d --dir", "-s --set"]),
        ("status", ["--project", "--show-changes", "--show-tags", "--date-format --date"]),
        ("log", ["--project --project-pattern", "--committer --committer-pattern", "--event"]),
        ("add", ["-c --change --change-name", "-r --requires", "-x --conflicts", "-n -m --note", "--use", "--with",
                 "--without", "--template-directory", "-e --edit --open-editor"]),
    ])
    func usageListsAcceptedOptions(_ command: String, _ options: [String]) {
        let usage = HelpDocuments.usage(for: command)
        for option in options {
            let listed = usage.split(separator: "\n").contains { line in
                line.trimmingPrefix(while: { $0 == " " }).hasPrefix(option + " ")
                    || line.trimmingPrefix(while: { $0 == " " }) == option
            }
            #expect(listed, "\(command): \(option) not listed")
        }
    }

    @Test(arguments: ["changes", "configuration", "environment", "authentication"])
    func guidesHavePages(_ guide: String) throws {
        let context = try TestContext()
        try HelpDocuments.help(topic: guide, guide: false, sqitch: context.sqitch())
        let entry = guide == "changes" ? "sqlitchchanges" : "sqlitch-\(guide)"
        #expect(context.out.text.hasPrefix("Name\n    \(entry) - "))
    }

    /// Sqitch 1.3.1: `sqitch help nonexistent` prints `No manual entry for sqitch-nonexistent`
    /// on standard output and exits 1; topics starting with `changes` or containing
    /// `tutorial` have no dash.
    @Test(arguments: [
        ("nonexistent", "No manual entry for sqlitch-nonexistent"),
        ("changesx", "No manual entry for sqlitchchangesx"),
        ("tutorial", "No manual entry for sqlitchtutorial"),
        ("my-tutorial", "No manual entry for sqlitchmy-tutorial"),
        ("xchanges", "No manual entry for sqlitch-xchanges"),
    ])
    func unknownTopic(_ topic: String, _ message: String) throws {
        let context = try TestContext()
        #expect(throws: CommandError(message, exitCode: 1)) {
            try HelpDocuments.help(topic: topic, guide: false, sqitch: context.sqitch())
        }
        #expect(context.out.text == "")
    }

    @Test func topicBeatsGuide() throws {
        let context = try TestContext()
        try HelpDocuments.help(topic: "tag", guide: true, sqitch: context.sqitch())
        #expect(context.out.text.hasPrefix("Name\n    sqlitch-tag - Add or list tags in the plan\n"))
    }

    @Test func manualDescribesCoreOptionsAndCommands() {
        let manual = HelpDocuments.manual
        #expect(manual.hasPrefix("Name\n    sqlitch - "))
        for option in ["--chdir", "--etc-path", "--no-pager", "--quiet", "--verbose", "--help", "--man", "--version"] {
            #expect(manual.contains(option), "missing \(option)")
        }
        for command in Self.commands { #expect(manual.contains("\n    \(command) ")) }
    }

    @Test func usageOfAnUnknownCommandStillHasTheShape() {
        #expect(HelpDocuments.usage(for: "nope") == "Usage:\n      sqlitch nope [options]\n\n")
    }
}
