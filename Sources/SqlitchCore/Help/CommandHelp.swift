/// The documentation of one command: summary line, synopsis, options and a description.
struct CommandHelp {
    let name: String
    let summary: String
    /// Synopsis lines, each after the program name.
    let synopsis: [String]
    /// Paragraphs of the help page, separated by blank lines.
    let description: String

    /// `Usage:`, the indented synopsis, then the options, as printed after a usage error.
    var usage: String {
        var text = "Usage:\n"
        for line in synopsis { text += "      sqlitch " + line + "\n" }
        if groups.contains(where: { !$0.options.isEmpty }) {
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
        if groups.contains(where: { !$0.options.isEmpty }) {
            text += "\nOptions\n" + optionTable(indent: "    ")
        }
        text += "\nSee also\n    sqlitch help, sqlitch help changes, sqlitch help configuration"
        return text
    }

    /// The command's options, in the groups its grammar declares.
    var groups: [(title: String?, options: [OptionDescription])] {
        CommandCatalog.command(named: name)?.options ?? []
    }

    /// One row of the option table: the names as typed, the value's placeholder, the line on it.
    struct Row {
        let names: String
        let value: String
        let text: String
    }

    /// The rows of the option table, by group: an option, then its `--no-` form if described.
    var rows: [(title: String?, rows: [Row])] {
        groups.map { group in
            (group.title, group.options.flatMap { option -> [Row] in
                var rows = [Row(names: option.flags.joined(separator: " "), value: option.placeholder,
                                text: option.summary)]
                if let negated = option.negatedSummary {
                    rows.append(Row(names: option.negatedFlags.joined(separator: " "), value: "", text: negated))
                }
                return rows
            })
        }
    }

    /// The options, aligned in columns, group titles above their options.
    func optionTable(indent: String) -> String {
        let groups = rows
        let all = groups.flatMap(\.rows)
        let namesWidth = all.map(\.names.count).max() ?? 0
        let valueWidth = all.map(\.value.count).max() ?? 0
        var lines: [String] = []
        for (index, group) in groups.enumerated() {
            if let title = group.title {
                if index > 0 { lines.append("") }
                lines.append(indent + title + ":")
            }
            for option in group.rows {
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

extension CommandHelp {
    /// Every command, alphabetically: Sqitch's twenty and sqlitch's own two.
    static let all: [CommandHelp] = [
        addHelp, bundleHelp, checkHelp, checkoutHelp, completionHelp, configHelp, deployHelp, engineHelp,
        helpHelp, initHelp, logHelp, manpagesHelp, planHelp, rebaseHelp, revertHelp, reworkHelp, showHelp,
        statusHelp, tagHelp, targetHelp, upgradeHelp, verifyHelp,
    ]

    static let completionHelp = CommandHelp(
        name: "completion", summary: "Print a shell completion script (sqlitch only)",
        synopsis: ["completion bash | zsh | fish", "completion --line <text>"],
        description: """
        Prints the completion function for bash, zsh or fish. Loaded by the
        shell, it completes commands, options, target names from the
        configuration, engine names, and change and tag names from the plan.
        With --line, prints what may follow that command line, a word a line
        (the shell functions call it so). Sqitch has no such command.

        To load it: eval "$(sqlitch completion bash)" in ~/.bashrc;
        sqlitch completion zsh > "${fpath[1]}/_sqlitch"; or
        sqlitch completion fish > ~/.config/fish/completions/sqlitch.fish.
        """)

    static let manpagesHelp = CommandHelp(
        name: "manpages", summary: "Write the manual pages (sqlitch only)",
        synopsis: ["manpages <directory>"],
        description: """
        Writes sqlitch(1), a page per command (sqlitch-deploy(1) and so on)
        and a page per guide into the directory, as man reads them: the same
        text as --man and help print. Sqitch has no such command.

        To install them: sqlitch manpages ~/.local/share/man/man1
        """)

    static let addHelp = CommandHelp(
        name: "add", summary: "Add a new change to the plan",
        synopsis: ["add [options] [template options] <change> [<target>...]"],
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
        description: """
        Copies what is needed to deploy the project (the configuration, the
        plan and every change's scripts) into a directory, ready to be packed
        and shipped. With --from and --to, only that part of the plan is
        written. Files already present and not older are not copied again.
        """)

    static let checkHelp = CommandHelp(
        name: "check", summary: "Check for database changes",
        synopsis: ["check [options] [<database>] [<from> [<to>]]"],
        description: """
        Compares the deploy scripts recorded in the registry with the scripts
        in the plan, change by change, and reports the first change whose
        script has been modified since it was deployed. The exit status is
        the number of failed checks.
        """)

    static let checkoutHelp = CommandHelp(
        name: "checkout", summary: "Revert, checkout another VCS branch, and re-deploy changes",
        synopsis: ["checkout [options] [<database>] <branch>"],
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
        description: """
        Lists, adds, changes, removes and shows the settings of a database
        engine (sqlite, pg, mysql, ...) in the configuration: its default
        target, registry, client, and script locations. Commands that are
        given only an engine use these settings.
        """)

    static let helpHelp = CommandHelp(
        name: "help", summary: "Display help information about sqlitch",
        synopsis: ["help [--guide] [<command> | <guide>]"],
        description: """
        Prints the page of a command or guide. Without a topic, prints the
        list of commands.
        """)

    static let initHelp = CommandHelp(
        name: "init", summary: "Initialize a project",
        synopsis: ["init <project> [options]"],
        description: """
        Starts a project in the current directory: writes sqitch.conf (unless
        one exists) with the engine and the settings given, an empty plan
        naming the project, and the deploy, revert and verify directories.
        Running it again for the same project changes nothing.
        """)

    static let logHelp = CommandHelp(
        name: "log", summary: "Show change logs for a database",
        synopsis: ["log [options] [<database>]"],
        description: """
        Prints the events recorded in a target's registry (deploys, reverts
        and failures), newest first, in one of the preset formats or in a
        format of your own.
        """)

    static let planHelp = CommandHelp(
        name: "plan", summary: "Show the contents of a plan",
        synopsis: ["plan [options] [<database>]"],
        description: """
        Prints the changes of a target's plan in plan order, in the same
        formats as the log command, without connecting to the database.
        """)

    static let rebaseHelp = CommandHelp(
        name: "rebase", summary: "Revert and redeploy database changes",
        synopsis: ["rebase [options] [<database>] [<onto> [<upto>]]"],
        description: """
        Reverts changes (all of them, or down to --onto) and deploys again
        (everything, or up to --upto). Handy while a change's scripts are
        still being written.
        """)

    static let revertHelp = CommandHelp(
        name: "revert", summary: "Revert changes from a database",
        synopsis: ["revert [options] [<database>] [<change>]"],
        description: """
        Runs the revert scripts of deployed changes, newest first, and
        removes them from the registry: all of them, or those after the
        change given. Asks for confirmation first unless -y is given.
        """)

    static let reworkHelp = CommandHelp(
        name: "rework", summary: "Duplicate a change in the plan and revise its scripts",
        synopsis: ["rework [options] <change>"],
        description: """
        Adds a new version of a change that was already tagged. The current
        scripts are copied to files named after the tag, the old deploy
        script becomes the new revert script, and the change is appended to
        the plan again; edit the scripts to describe the new version.
        """)

    static let showHelp = CommandHelp(
        name: "show", summary: "Show information about changes and tags, or change script contents",
        synopsis: ["show [options] <type> <object>"],
        description: """
        Prints one object of the plan. <type> is change or tag (the text
        their ID is computed from), or deploy, revert or verify (the
        change's script).
        """)

    static let statusHelp = CommandHelp(
        name: "status", summary: "Show the current deployment status of a database",
        synopsis: ["status [options] [<database>]"],
        description: """
        Prints the last change deployed to a target, with its tags, time and
        deployer, then whether the plan has changes still to deploy.
        """)

    static let tagHelp = CommandHelp(
        name: "tag", summary: "Add or list tags in the plan",
        synopsis: ["tag [options] [<name> [<change>]] [<target>...]"],
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
        description: """
        Lists, adds, changes, renames, removes and shows named targets: a
        database URI with the registry, client, plan and script locations
        to use with it.
        """)

    static let upgradeHelp = CommandHelp(
        name: "upgrade", summary: "Upgrade the registry to the current version",
        synopsis: ["upgrade [options] [<database>]"],
        description: """
        Brings a target's registry tables up to the current registry
        version. Other commands refuse to work on an outdated registry.
        """)

    static let verifyHelp = CommandHelp(
        name: "verify", summary: "Verify changes to a database",
        synopsis: ["verify [options] [<database>] [<from> [<to>]]"],
        description: """
        Runs the verify script of each deployed change and reports whether
        the deployed changes match the plan: order, presence, and scripts
        that fail. Exits 2 if anything is wrong.
        """)
}
