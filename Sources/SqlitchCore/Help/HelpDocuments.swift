/// sqlitch's own help text: the command list, the manual, the guides, and each command's
/// usage block and help page. Written for sqlitch; the options listed are the ones Sqitch
/// accepts for each command.
public enum HelpDocuments {
    /// Every command, in the order of the command list.
    public static var commandNames: [String] { CommandHelp.all.map(\.name) }

    /// Every guide `help` shows.
    public static var guideNames: [String] { GuideHelp.all.map(\.name) }

    /// The commands and a line on each, shown by `--help`, `help`, and after an unknown command.
    public static let commandList: String = {
        // Appended line by line: `joined(separator:)` is generic over the sequence, and its
        // first use costs a search of every protocol conformance in the binary at start-up.
        let width = CommandHelp.all.map { $0.name.count }.max() ?? 0
        var text = """
            Usage
              sqlitch [--etc-path | --help | --man | --version]
              sqlitch <command> [--chdir <path>] [--no-pager] [--quiet] [--verbose]
                      [<command-options>] [<args>]

            Commands
            """
        for command in CommandHelp.all {
            text += "\n  " + command.name.helpPadded(width + 3) + command.summary
        }
        text += """


            Run "sqlitch help <command>" for a command's options and behaviour, or
            "sqlitch help <guide>" for a topic; "sqlitch help --guide" lists the topics.
            """
        return text
    }()

    /// The topics `help --guide` lists.
    public static let guideList: String = {
        let width = GuideHelp.all.map(\.name.count).max() ?? 0
        var lines = ["Guides", ""]
        for guide in GuideHelp.all {
            lines.append("  " + guide.name.helpPadded(width + 3) + guide.summary)
        }
        lines += ["", "Run \"sqlitch help <guide>\" to read one."]
        return lines.joined(separator: "\n")
    }()

    /// The manual shown by `--man`.
    public static let manual: String = {
        var text = """
        Name
            sqlitch - database change management, compatible with Sqitch

        Synopsis
            sqlitch [core options] <command> [command options] [arguments]

        Description
            sqlitch tracks the changes made to a database schema in a plan file,
            sqitch.plan, and applies them with the database's own command-line
            client: deploy scripts move a database forward, revert scripts take
            it back, and verify scripts check that a change is in place. The
            registry, a few tables kept in the target database (or next to it),
            records what was deployed, when and by whom.

            Changes may depend on other changes, conflict with them, and be
            grouped under tags. A change that was already tagged can be reworked:
            its scripts are kept under the tag's name and the new version is
            deployed in its place.

            sqlitch reads and writes the same files as Sqitch (sqitch.conf,
            sqitch.plan, deploy/, revert/ and verify/) and uses the same
            registry, so a project can move between the two tools at any time.
            It supports SQLite, PostgreSQL and MySQL/MariaDB.

        Core options
            These may be given anywhere on the command line.

            -C --chdir --cd <dir>  run as if started in <dir>
               --etc-path          print the system configuration directory and exit
               --no-pager          never send output through a pager
               --quiet             print only errors and requested output
            -v --verbose           print more; repeat for more still (-vv, -vvv)
               --help              print the list of commands and exit
               --man               print this manual and exit
               --version           print the version and exit

        Commands

        """
        let width = CommandHelp.all.map { $0.name.count }.max() ?? 0
        for command in CommandHelp.all {
            text += "    " + command.name.helpPadded(width + 3) + command.summary + "\n"
        }
        text += """

        Configuration
            Settings come from three files, each overriding the one before: the
            system file (sqitch.conf in the directory --etc-path prints, or
            $SQITCH_SYSTEM_CONFIG), the user file (~/.sqitch/sqitch.conf, or
            $SQITCH_USER_CONFIG) and the project file (sqitch.conf, or
            $SQITCH_CONFIG). "sqlitch help configuration" describes them.

        Environment
            SQITCH_TARGET, SQITCH_USERNAME, SQITCH_PASSWORD, SQITCH_FULLNAME,
            SQITCH_EMAIL, SQITCH_EDITOR and SQITCH_PAGER are honoured as Sqitch
            honours them. "sqlitch help environment" lists them all.

        More
            "sqlitch help <command>" describes a command; "sqlitch help --guide"
            lists the other topics.
        """
        return text
    }()

    /// The usage block printed after a command-line error in `command`: the synopsis and the
    /// options the command accepts.
    public static func usage(for command: String) -> String {
        guard let help = CommandHelp.named(command) else {
            return "Usage:\n      sqlitch \(command) [options]\n\n"
        }
        return help.usage
    }

    /// The help page of a command (`add`, `plan`, ...) or guide (`changes`, ...), if any.
    public static func page(for topic: String) -> String? {
        if let command = CommandHelp.named(topic) { return command.page }
        return GuideHelp.all.first { $0.name == topic }?.page
    }

    /// The name of the manual entry `help <topic>` looks for, following Sqitch's rule:
    /// `changes...` and `...tutorial...` topics are joined to the program's name without
    /// a dash (`sqitchchanges`), every other topic with one (`sqitch-plan`).
    public static func manualEntry(for topic: String, programName: String) -> String {
        let joined = topic.hasPrefix("changes") || topic.contains("tutorial")
        return programName + (joined ? "" : "-") + topic
    }

    /// The `help` command: the command list with no topic (or the guide list with
    /// `guide`), else the topic's page; an unknown topic is a soft error (exit 1).
    public static func help(topic: String?, guide: Bool, sqitch: Sqitch) throws {
        // Like Perl's truth test: an empty topic or "0" is no topic.
        guard let topic = Perl.truthy(topic) else {
            sqitch.console.page(guide ? guideList : commandList)
            return
        }
        guard let page = page(for: topic) else {
            let entry = manualEntry(for: topic, programName: sqitch.programName)
            throw CommandError("No manual entry for \(entry)", exitCode: 1)
        }
        sqitch.console.page(page)
    }
}

extension String {
    /// The string padded with spaces to `width` characters (never cut).
    func helpPadded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
