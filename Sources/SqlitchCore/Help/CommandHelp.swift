/// One option in a usage block: its names as typed, its value placeholder, and what it does.
struct HelpOption {
    let names: String
    let value: String
    let text: String

    init(_ names: String, _ value: String = "", _ text: String) {
        self.names = names
        self.value = value
        self.text = text
    }
}

/// A titled group of options (untitled when a command has a single group).
struct HelpOptionGroup {
    let title: String?
    let options: [HelpOption]

    init(_ title: String, _ options: [HelpOption]) {
        self.title = title
        self.options = options
    }

    init(_ options: [HelpOption]) {
        self.title = nil
        self.options = options
    }
}

/// The documentation of one command: summary line, synopsis, options and a description.
struct CommandHelp {
    let name: String
    let summary: String
    /// Synopsis lines, each after the program name.
    let synopsis: [String]
    let groups: [HelpOptionGroup]
    /// Paragraphs of the help page, separated by blank lines.
    let description: String

    /// `Usage:`, the indented synopsis, then the options, as printed after a usage error.
    var usage: String {
        var text = "Usage:\n"
        for line in synopsis { text += "      sqlitch " + line + "\n" }
        if !groups.isEmpty {
            text += "\nOptions:\n" + optionTable(indent: "    ")
        }
        return text + "\n"
    }

    /// The page `help <command>` prints.
    var page: String {
        var text = "Name\n    sqlitch-\(name) - \(summary)\n\nSynopsis\n"
        for line in synopsis { text += "    sqlitch " + line + "\n" }
        text += "\nDescription\n"
        text += description.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }
            .joined(separator: "\n")
        text += "\n"
        if !groups.isEmpty {
            text += "\nOptions\n" + optionTable(indent: "    ")
        }
        text += "\nSee also\n    sqlitch help, sqlitch help changes, sqlitch help configuration"
        return text
    }

    /// The options, aligned in columns, group titles above their options.
    func optionTable(indent: String) -> String {
        let all = groups.flatMap(\.options)
        let namesWidth = all.map(\.names.count).max() ?? 0
        let valueWidth = all.map(\.value.count).max() ?? 0
        var lines: [String] = []
        for (index, group) in groups.enumerated() {
            if let title = group.title {
                if index > 0 { lines.append("") }
                lines.append(indent + title + ":")
            }
            for option in group.options {
                // Short names stand in their own column: "-t --target", "   --to-change".
                let names = option.names.hasPrefix("--") ? "   " + option.names : option.names
                let value = valueWidth == 0 ? "" : option.value.helpPadded(valueWidth) + "  "
                lines.append(indent + names.helpPadded(namesWidth + 3) + "  " + value + option.text)
            }
        }
        return lines.map { $0.helpTrailingSpacesRemoved }.joined(separator: "\n") + "\n"
    }

    static func named(_ name: String) -> CommandHelp? { all.first { $0.name == name } }
}

extension String {
    var helpTrailingSpacesRemoved: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}

// Options shared by several commands, as Sqitch's command roles define them.
private let planFile = HelpOption("-f --plan-file", "<file>", "read the plan from this file")
private let topDir = HelpOption("--top-dir", "<dir>", "directory of the plan and scripts (deprecated; use --chdir)")
private let context = [planFile, topDir]
private let connection = [
    HelpOption("--registry", "<registry>", "schema or database holding the registry"),
    HelpOption("--client --db-client", "<path>", "the database's command-line client"),
    HelpOption("-d --db-name", "<name>", "database name"),
    HelpOption("-u --db-user --db-username", "<user>", "database user"),
    HelpOption("-h --db-host", "<host>", "database server host"),
    HelpOption("-p --db-port", "<port>", "database server port"),
]
private func targetSettings(_ extra: [HelpOption]) -> [HelpOption] {
    extra + [
        planFile,
        HelpOption("--registry", "<registry>", "schema or database holding the registry"),
        HelpOption("--client", "<path>", "the database's command-line client"),
        HelpOption("--extension", "<ext>", "file name extension of change scripts"),
        HelpOption("--top-dir", "<dir>", "directory of the plan and scripts"),
        HelpOption("-d --dir", "<name>=<path>", "directory for one kind of script (deploy, revert, ...)"),
        HelpOption("-s --set", "<key>=<value>", "a variable passed to the database client"),
    ]
}
private let target = HelpOption("-t --target", "<target>", "the target database (name or URI)")
private let setVariable = HelpOption("-s --set", "<key>=<value>", "a variable passed to the database client")
private let logOnly = HelpOption("--log-only", "", "record changes in the registry without running scripts")
private let lockTimeout = HelpOption("--lock-timeout", "<seconds>", "how long to wait for another instance's lock")
private let verifyOptions = [
    HelpOption("--verify", "", "run each change's verify script after deploying it"),
    HelpOption("--no-verify", "", "do not run verify scripts"),
]
private let noPrompt = HelpOption("-y", "", "revert without asking first")
private let rebaseShared: [HelpOption] = [
    target,
    HelpOption("--mode", "<mode>", "what to revert when a deploy fails: all, tag or change"),
] + verifyOptions + [
    setVariable,
    HelpOption("-r --set-revert", "<key>=<value>", "a client variable for reverting only"),
    HelpOption("-e --set-deploy", "<key>=<value>", "a client variable for deploying only"),
    logOnly, lockTimeout, noPrompt,
]
private func formatting(headersText: String) -> [HelpOption] {
    [
        HelpOption("-f --format", "<format>", "raw, full, long, medium, short, oneline, or format:<codes>"),
        HelpOption("--date-format --date", "<format>", "how to show dates (iso, rfc, cldr:..., strftime:...)"),
        HelpOption("--color", "<when>", "colour the output: always, never or auto"),
        HelpOption("--no-color", "", "never colour the output"),
        HelpOption("--abbrev", "<length>", "shorten change IDs to this many characters"),
        HelpOption("--oneline", "", "the same as --format oneline --abbrev 6"),
        HelpOption("--headers", "", headersText),
        HelpOption("--no-headers", "", "omit the header"),
    ]
}
private let paging = [
    HelpOption("-n --max-count", "<count>", "show at most this many entries"),
    HelpOption("--skip", "<count>", "skip this many entries first"),
    HelpOption("--reverse", "", "oldest first"),
    HelpOption("--no-reverse", "", "newest first (the default)"),
]

extension CommandHelp {
    /// The twenty commands, alphabetically.
    static let all: [CommandHelp] = [
        addHelp, bundleHelp, checkHelp, checkoutHelp, configHelp, deployHelp, engineHelp,
        helpHelp, initHelp, logHelp, planHelp, rebaseHelp, revertHelp, reworkHelp, showHelp,
        statusHelp, tagHelp, targetHelp, upgradeHelp, verifyHelp,
    ]

    static let addHelp = CommandHelp(
        name: "add", summary: "Add a new change to the plan",
        synopsis: ["add [options] [template options] <change> [<target>...]"],
        groups: [
            HelpOptionGroup("Change", [
                HelpOption("-c --change --change-name", "<name>", "the new change's name"),
                HelpOption("-r --requires", "<change>", "a change this one depends on (repeatable)"),
                HelpOption("-x --conflicts", "<change>", "a change this one cannot coexist with (repeatable)"),
                HelpOption("-n -m --note", "<text>", "the change's note (repeatable: one paragraph each)"),
                HelpOption("-a --all", "", "add the change to every plan of the project"),
                HelpOption("--no-all", "", "only the default plan (or the targets named)"),
            ]),
            HelpOptionGroup("Templates", [
                HelpOption("-t --template --template-name", "<name>", "which set of templates to use"),
                HelpOption("--template-directory", "<dir>", "where to look for templates"),
                HelpOption("--use", "<type>=<path>", "a template file for one script type"),
                HelpOption("--with", "<type>", "write this script type"),
                HelpOption("--without", "<type>", "do not write this script type"),
                HelpOption("-s --set", "<key>=<value>", "a variable for the templates"),
            ]),
            HelpOptionGroup("Other", [
                HelpOption("-e --edit --open-editor", "", "open the new scripts in an editor"),
                HelpOption("--no-edit --no-open-editor", "", "do not open an editor"),
            ] + context),
        ],
        description: """
        Appends a change to the plan and writes its deploy, revert and verify
        scripts from templates. The change is planned now, by you, and may
        require or conflict with other changes. Without a note, an editor
        opens so you can write one; an empty note cancels the addition.

        Existing script files are left alone. Templates are looked up in the
        project's template directory, then your ~/.sqitch/templates, then the
        system templates, for the engine of each target.
        """)

    static let bundleHelp = CommandHelp(
        name: "bundle", summary: "Bundle a project for distribution",
        synopsis: ["bundle [options] [<target>...] [<from> <to>...]"],
        groups: [HelpOptionGroup([
            HelpOption("--dest-dir --dir", "<dir>", "where to write the bundle (default: bundle)"),
            HelpOption("--from", "<change>", "first change to include"),
            HelpOption("--to", "<change>", "last change to include"),
            HelpOption("-a --all", "", "bundle every plan of the project"),
            HelpOption("--no-all", "", "only the default plan (or the targets named)"),
        ] + context)],
        description: """
        Copies what is needed to deploy the project (the configuration, the
        plan and every change's scripts) into a directory, ready to be packed
        and shipped. With --from and --to, only that part of the plan is
        written. Files already present and not older are not copied again.
        """)

    static let checkHelp = CommandHelp(
        name: "check", summary: "Check for database changes",
        synopsis: ["check [options] [<database>] [<from> [<to>]]"],
        groups: [HelpOptionGroup([
            target,
            HelpOption("--from --from-change", "<change>", "first change to check"),
            HelpOption("--to --to-change", "<change>", "last change to check"),
            setVariable,
        ] + connection + context)],
        description: """
        Compares the deploy scripts recorded in the registry with the scripts
        in the plan, change by change, and reports the first change whose
        script has been modified since it was deployed. The exit status is
        the number of failed checks.
        """)

    static let checkoutHelp = CommandHelp(
        name: "checkout", summary: "Revert, checkout another VCS branch, and re-deploy changes",
        synopsis: ["checkout [options] [<database>] <branch>"],
        groups: [HelpOptionGroup(rebaseShared + connection + context)],
        description: """
        Switches the database to another branch of the project's version
        control: finds the last change both branches share, reverts the
        database to it, checks the branch out, and deploys that branch's
        changes. Only Git is supported.
        """)

    static let configHelp = CommandHelp(
        name: "config", summary: "Get and set local, user, or system options",
        synopsis: ["config [<file option>] [<type>] <name> [<value> [<value-regex>]]",
                   "config [<file option>] [<type>] <action> [<arguments>]"],
        groups: [
            HelpOptionGroup("File", [
                HelpOption("--local", "", "the project's sqitch.conf (the default)"),
                HelpOption("--user --global", "", "your ~/.sqitch/sqitch.conf"),
                HelpOption("--system", "", "the system's sqitch.conf"),
                HelpOption("-f --file --config-file", "<file>", "any other file"),
            ]),
            HelpOptionGroup("Action", [
                HelpOption("--get", "", "print a value: <name> [<value-regex>]"),
                HelpOption("--get-all", "", "print every value of a key: <name> [<value-regex>]"),
                HelpOption("--get-regexp --get-regex", "", "print matching keys: <name-regex> [<value-regex>]"),
                HelpOption("--add", "", "add a value to a key: <name> <value>"),
                HelpOption("--replace-all", "", "replace every value: <name> <value> [<value-regex>]"),
                HelpOption("--unset", "", "remove a key: <name> [<value-regex>]"),
                HelpOption("--unset-all", "", "remove every value of a key: <name> [<value-regex>]"),
                HelpOption("--rename-section", "", "rename a section: <old> <new>"),
                HelpOption("--remove-section", "", "remove a section: <name>"),
                HelpOption("-l --list", "", "print every key and value"),
                HelpOption("-e --edit", "", "open the file in an editor"),
            ]),
            HelpOptionGroup("Type", [
                HelpOption("--bool", "", "the value is true or false"),
                HelpOption("--int", "", "the value is an integer (k, m, g suffixes allowed)"),
                HelpOption("--num", "", "the value is a number"),
                HelpOption("--bool-or-int", "", "the value is a boolean or an integer"),
            ]),
        ],
        description: """
        Reads and writes configuration files in Git's format. With one
        argument it prints the key's value; with two it sets it. Keys are
        written as section.name or section.subsection.name.

        Without a file option, reading looks at all three files (system,
        user, project; later ones win) and writing goes to the project's
        sqitch.conf.
        """)

    static let deployHelp = CommandHelp(
        name: "deploy", summary: "Deploy changes to a database",
        synopsis: ["deploy [options] [<database>] [<change>]"],
        groups: [HelpOptionGroup([
            target,
            HelpOption("--to --to-change --change", "<change>", "deploy up to and including this change"),
            HelpOption("--mode", "<mode>", "what to revert when a deploy fails: all, tag or change"),
            setVariable,
        ] + verifyOptions + [logOnly, lockTimeout] + connection + context)],
        description: """
        Runs the deploy script of every planned change not yet deployed to
        the target, in plan order, recording each one in the registry (which
        is created on first use). A failing script stops the run; what was
        deployed by it is then reverted according to --mode.
        """)

    static let engineHelp = CommandHelp(
        name: "engine", summary: "Manage database engine configuration",
        synopsis: ["engine [-v | --verbose]",
                   "engine add <name> [engine options]",
                   "engine alter <name> [engine options]",
                   "engine remove <name>",
                   "engine show <name>"],
        groups: [HelpOptionGroup(targetSettings([
            HelpOption("-v --verbose", "", "list each engine's target too (before the action)"),
            HelpOption("--target", "<target>", "the engine's default target"),
        ]))],
        description: """
        Lists, adds, changes, removes and shows the settings of a database
        engine (sqlite, pg, mysql, ...) in the configuration: its default
        target, registry, client, and script locations. Commands that are
        given only an engine use these settings.
        """)

    static let helpHelp = CommandHelp(
        name: "help", summary: "Display help information about sqlitch",
        synopsis: ["help [--guide] [<command> | <guide>]"],
        groups: [HelpOptionGroup([HelpOption("-g --guide", "", "list the guides")])],
        description: """
        Prints the page of a command or guide. Without a topic, prints the
        list of commands.
        """)

    static let initHelp = CommandHelp(
        name: "init", summary: "Initialize a project",
        synopsis: ["init <project> [options]"],
        groups: [HelpOptionGroup(targetSettings([
            HelpOption("--uri", "<uri>", "a URI identifying the project"),
            HelpOption("--engine", "<engine>", "the database engine: sqlite, pg, mysql, ..."),
            HelpOption("--target", "<target>", "the default target"),
        ]))],
        description: """
        Starts a project in the current directory: writes sqitch.conf (unless
        one exists) with the engine and the settings given, an empty plan
        naming the project, and the deploy, revert and verify directories.
        Running it again for the same project changes nothing.
        """)

    static let logHelp = CommandHelp(
        name: "log", summary: "Show change logs for a database",
        synopsis: ["log [options] [<database>]"],
        groups: [
            HelpOptionGroup("Search", [
                target,
                HelpOption("--event", "<event>", "only deploy, revert or fail events (repeatable)"),
                HelpOption("--change --change-pattern", "<regex>", "only changes whose name matches"),
                HelpOption("--project --project-pattern", "<regex>", "only projects whose name matches"),
                HelpOption("--committer --committer-pattern", "<regex>", "only events by matching committers"),
            ] + paging),
            HelpOptionGroup("Formatting", formatting(headersText: "print the database header")),
            HelpOptionGroup("Connection", connection),
        ],
        description: """
        Prints the events recorded in a target's registry (deploys, reverts
        and failures), newest first, in one of the preset formats or in a
        format of your own.
        """)

    static let planHelp = CommandHelp(
        name: "plan", summary: "Show the contents of a plan",
        synopsis: ["plan [options] [<database>]"],
        groups: [
            HelpOptionGroup("Search", [
                HelpOption("-t --target", "<target>", "the target whose plan to read"),
                HelpOption("--event", "<event>", "only deploy or revert entries"),
                HelpOption("--change --change-pattern", "<regex>", "only changes whose name matches"),
                HelpOption("--planner --planner-pattern", "<regex>", "only changes by matching planners"),
            ] + paging),
            HelpOptionGroup("Formatting", formatting(headersText: "print the project and plan file header")),
        ],
        description: """
        Prints the changes of a target's plan in plan order, in the same
        formats as the log command, without connecting to the database.
        """)

    static let rebaseHelp = CommandHelp(
        name: "rebase", summary: "Revert and redeploy database changes",
        synopsis: ["rebase [options] [<database>] [<onto> [<upto>]]"],
        groups: [HelpOptionGroup([
            HelpOption("--onto --onto-change", "<change>", "revert down to this change"),
            HelpOption("--upto --upto-change", "<change>", "then deploy up to this change"),
            HelpOption("-m --modified", "", "revert to just before the first modified change"),
        ] + rebaseShared + connection + context)],
        description: """
        Reverts changes (all of them, or down to --onto) and deploys again
        (everything, or up to --upto). Handy while a change's scripts are
        still being written.
        """)

    static let revertHelp = CommandHelp(
        name: "revert", summary: "Revert changes from a database",
        synopsis: ["revert [options] [<database>] [<change>]"],
        groups: [HelpOptionGroup([
            target,
            HelpOption("--to --to-change --change", "<change>", "revert the changes after this one"),
            HelpOption("-m --modified", "", "revert to just before the first modified change"),
            setVariable, logOnly, lockTimeout, noPrompt,
        ] + connection + context)],
        description: """
        Runs the revert scripts of deployed changes, newest first, and
        removes them from the registry: all of them, or those after the
        change given. Asks for confirmation first unless -y is given.
        """)

    static let reworkHelp = CommandHelp(
        name: "rework", summary: "Duplicate a change in the plan and revise its scripts",
        synopsis: ["rework [options] <change>"],
        groups: [HelpOptionGroup([
            HelpOption("-c --change --change-name", "<name>", "the change to rework"),
            HelpOption("-r --requires", "<change>", "a change the new version depends on (repeatable)"),
            HelpOption("-x --conflicts", "<change>", "a change the new version cannot coexist with"),
            HelpOption("-n -m --note", "<text>", "the new version's note (repeatable)"),
            HelpOption("-a --all", "", "rework the change in every plan of the project"),
            HelpOption("--no-all", "", "only the default plan (or the targets named)"),
            HelpOption("-e --edit --open-editor", "", "open the scripts in an editor"),
            HelpOption("--no-edit --no-open-editor", "", "do not open an editor"),
        ] + context)],
        description: """
        Adds a new version of a change that was already tagged. The current
        scripts are copied to files named after the tag, the old deploy
        script becomes the new revert script, and the change is appended to
        the plan again; edit the scripts to describe the new version.
        """)

    static let showHelp = CommandHelp(
        name: "show", summary: "Show information about changes and tags, or change script contents",
        synopsis: ["show [options] <type> <object>"],
        groups: [HelpOptionGroup([
            HelpOption("-t --target", "<target>", "the target whose plan to read"),
            HelpOption("-e --exists", "", "print nothing; exit 0 if the object exists, else 2"),
        ] + context)],
        description: """
        Prints one object of the plan. <type> is change or tag (the text
        their ID is computed from), or deploy, revert or verify (the
        change's script).
        """)

    static let statusHelp = CommandHelp(
        name: "status", summary: "Show the current deployment status of a database",
        synopsis: ["status [options] [<database>]"],
        groups: [HelpOptionGroup([
            target,
            HelpOption("--project", "<project>", "the project to report on"),
            HelpOption("--show-changes", "", "list the deployed changes"),
            HelpOption("--show-tags", "", "list the applied tags"),
            HelpOption("--date-format --date", "<format>", "how to show dates"),
        ] + connection + context)],
        description: """
        Prints the last change deployed to a target, with its tags, time and
        deployer, then whether the plan has changes still to deploy.
        """)

    static let tagHelp = CommandHelp(
        name: "tag", summary: "Add or list tags in the plan",
        synopsis: ["tag [options] [<name> [<change>]] [<target>...]"],
        groups: [HelpOptionGroup([
            HelpOption("-t --tag --tag-name", "<name>", "the tag's name"),
            HelpOption("-c --change --change-name", "<change>", "the change to tag (default: the last)"),
            HelpOption("-n -m --note", "<text>", "the tag's note (repeatable)"),
            HelpOption("-a --all", "", "tag every plan of the project"),
            HelpOption("--no-all", "", "only the default plan (or the targets named)"),
        ] + context)],
        description: """
        Marks a change of the plan (the last one unless named) with a tag.
        Without a name, lists the plan's tags.
        """)

    static let targetHelp = CommandHelp(
        name: "target", summary: "Manage target database configuration",
        synopsis: ["target [-v | --verbose]",
                   "target add <name> <uri> [target options]",
                   "target alter <name> [target options]",
                   "target remove <name>",
                   "target rename <old> <new>",
                   "target show <name>"],
        groups: [HelpOptionGroup(targetSettings([
            HelpOption("-v --verbose", "", "list each target's URI too (before the action)"),
            HelpOption("--uri", "<uri>", "the target's database URI"),
        ]))],
        description: """
        Lists, adds, changes, renames, removes and shows named targets: a
        database URI with the registry, client, plan and script locations
        to use with it.
        """)

    static let upgradeHelp = CommandHelp(
        name: "upgrade", summary: "Upgrade the registry to the current version",
        synopsis: ["upgrade [options] [<database>]"],
        groups: [HelpOptionGroup([target] + connection)],
        description: """
        Brings a target's registry tables up to the current registry
        version. Other commands refuse to work on an outdated registry.
        """)

    static let verifyHelp = CommandHelp(
        name: "verify", summary: "Verify changes to a database",
        synopsis: ["verify [options] [<database>] [<from> [<to>]]"],
        groups: [HelpOptionGroup([
            target,
            HelpOption("--from --from-change", "<change>", "first change to verify"),
            HelpOption("--to --to-change", "<change>", "last change to verify"),
            setVariable,
        ] + connection + context)],
        description: """
        Runs the verify script of each deployed change and reports whether
        the deployed changes match the plan: order, presence, and scripts
        that fail. Exits 2 if anything is wrong.
        """)
}
