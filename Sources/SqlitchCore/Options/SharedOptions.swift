/// Options several commands share, as Sqitch's command roles declare them (ContextCommand,
/// ConnectingCommand, RevertDeployCommand, TargetConfigCommand), each written once and stored
/// through the key paths a command gives.
public enum SharedOptions {
    /// `--plan-file|-f` and the deprecated `--top-dir` (ContextCommand).
    public static func context<O>(planFile: WritableKeyPath<O, String?>, topDir: WritableKeyPath<O, String?>)
        -> [OptionSpec<O>] {
        [
            .text("-f --plan-file", planFile, "<file>", "read the plan from this file", complete: .file)
                .playing(.planFile),
            .text("--top-dir", topDir, "<dir>", "directory of the plan and scripts (deprecated; use --chdir)",
                  complete: .directory),
        ]
    }

    /// `--plan-file` and `--top-dir` of a command that connects.
    public static func context<O>(_ path: WritableKeyPath<O, ConnectionOptions>) -> [OptionSpec<O>] {
        context(planFile: path.appending(path: \.planFile), topDir: path.appending(path: \.topDir))
    }

    /// `--target|-t`.
    public static func target<O>(_ key: WritableKeyPath<O, String?>,
                                 _ summary: String = "the target database (name or URI)") -> OptionSpec<O> {
        .text("-t --target", key, "<target>", summary, complete: .target)
    }

    /// `--registry`, `--client`, `--db-name`, `--db-user`, `--db-host`, `--db-port` (ConnectingCommand).
    public static func connection<O>(_ path: WritableKeyPath<O, ConnectionOptions>) -> [OptionSpec<O>] {
        let specs: [OptionSpec<ConnectionOptions>] = [
            .text("--registry", \.registry, "<registry>", "schema or database holding the registry"),
            .text("--client --db-client", \.client, "<path>", "the database's command-line client", complete: .file),
            .text("-d --db-name", \.dbName, "<name>", "database name"),
            .text("-u --db-user --db-username", \.dbUser, "<user>", "database user"),
            .text("-h --db-host", \.dbHost, "<host>", "database server host"),
            OptionSpec("-p --db-port", kind: .value(integer: true, destination: .scalar), placeholder: "<port>",
                       summary: "database server port") { options, value in
                if case .integer(let port) = value { options.dbPort = String(port) }
            },
        ]
        return specs.map { $0.lifted(path) }
    }

    /// `--set|-s key=value`: a variable for the database client.
    public static func set<O>(_ key: WritableKeyPath<O, [KeyValue]>) -> OptionSpec<O> {
        .pairs("-s --set", key, "<key>=<value>", "a variable passed to the database client")
    }

    /// `--log-only`.
    public static func logOnly<O>(_ key: WritableKeyPath<O, Bool>) -> OptionSpec<O> {
        .flag("--log-only", key, "record changes in the registry without running scripts")
    }

    /// `--lock-timeout`.
    public static func lockTimeout<O>(_ key: WritableKeyPath<O, Int?>) -> OptionSpec<O> {
        .integer("--lock-timeout", key, "<seconds>", "how long to wait for another instance's lock")
    }

    /// `--verify` / `--no-verify`.
    public static func verify<O>(_ key: WritableKeyPath<O, Bool?>) -> OptionSpec<O> {
        .toggle("--verify", key, "run each change's verify script after deploying it",
                negated: "do not run verify scripts")
    }

    /// `--mode`.
    public static func mode<O>(_ key: WritableKeyPath<O, String?>) -> OptionSpec<O> {
        .text("--mode", key, "<mode>", "what to revert when a deploy fails: all, tag or change",
              complete: .words(["all", "change", "tag"]))
    }

    /// `-y`.
    public static func noPrompt<O>(_ key: WritableKeyPath<O, Bool>) -> OptionSpec<O> {
        .flag("-y", key, "revert without asking first")
    }

    /// `--all|-a` / `--no-all` of the authoring commands.
    public static func all<O>(_ key: WritableKeyPath<O, Bool?>, _ summary: String) -> OptionSpec<O> {
        .toggle("-a --all", key, summary, negated: "only the default plan (or the targets named)")
    }

    /// `--note|-n|-m`, repeatable.
    public static func note<O>(_ key: WritableKeyPath<O, [String]>, _ summary: String) -> OptionSpec<O> {
        .list("-n -m --note", key, "<text>", summary)
    }

    /// `--open-editor|--edit|-e` / `--no-open-editor`.
    public static func openEditor<O>(_ key: WritableKeyPath<O, Bool?>, _ summary: String) -> OptionSpec<O> {
        .toggle("-e --edit --open-editor", key, summary, negated: "do not open an editor")
    }

    /// The settings `init`, `engine` and `target` write (TargetConfigCommand), after the
    /// command's own options.
    public static func targetSettings(_ extra: [OptionSpec<TargetConfigOptions>]) -> [OptionSpec<TargetConfigOptions>] {
        extra + [
            .text("-f --plan-file", \.planFile, "<file>", "read the plan from this file", complete: .file),
            .text("--registry", \.registry, "<registry>", "schema or database holding the registry"),
            .text("--client", \.client, "<path>", "the database's command-line client", complete: .file),
            .text("--extension", \.extension, "<ext>", "file name extension of change scripts"),
            .text("--top-dir", \.topDir, "<dir>", "directory of the plan and scripts", complete: .directory),
            OptionSpec("-d --dir", kind: .value(integer: false, destination: .hash), placeholder: "<name>=<path>",
                       summary: "directory for one kind of script (deploy, revert, ...)") { options, value in
                if case .pair(let key, let text) = value { options.dirs.append(key + "=" + text) }
            },
            OptionSpec("-s --set", kind: .value(integer: false, destination: .hash), placeholder: "<key>=<value>",
                       summary: "a variable passed to the database client") { options, value in
                if case .pair(let key, let text) = value { options.variables.append(key + "=" + text) }
            },
        ]
    }

    /// `-v --verbose` as `target` and `engine` show it: a core option, read before the command.
    public static func verbose<O>(_ summary: String) -> OptionSpec<O> {
        OptionSpec("-v --verbose", kind: .counter, summary: summary, parsedByCore: true) { _, _ in }
    }
}
