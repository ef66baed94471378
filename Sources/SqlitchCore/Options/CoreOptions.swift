/// Sqitch's core options, which may stand anywhere on the command line (Getopt::Long with
/// bundling and pass-through): everything else is left for the command.
public struct CoreOptions: Sendable, Equatable {
    public var chdir: String?
    public var etcPath = false
    public var noPager = false
    public var quiet = false
    public var verboseCount = 0
    public var help = false
    public var man = false
    public var version = false

    public init() {}

    /// The verbosity the options ask for, if any: `--quiet` beats `--verbose`.
    public var verbosity: Int? {
        if quiet { return 0 }
        return verboseCount > 0 ? verboseCount : nil
    }

    /// The core options' grammar.
    public static var grammar: CommandGrammar<CoreOptions> {
        CommandGrammar([
            .text("-C --chdir --cd", \.chdir, "<path>", "change to this directory first", complete: .directory)
                .playing(.workingDirectory),
            .flag("--etc-path", \.etcPath, "print the system configuration directory and exit"),
            .flag("--no-pager", \.noPager, "do not page the output"),
            .flag("--quiet", \.quiet, "print errors and warnings only"),
            OptionSpec("-V -v --verbose", kind: .counter, summary: "print more (repeatable)") { options, _ in
                options.verboseCount += 1
            },
            .flag("--help", \.help, "print the command list and exit"),
            .flag("--man", \.man, "print the manual and exit"),
            .flag("--version", \.version, "print the version and exit"),
        ])
    }

    /// Removes the core options from `args` and returns them (abbreviations work; anything
    /// else is left for the command).
    public static func extract(from args: inout [String]) -> CoreOptions {
        guard Getopt.hasOptionWords(args) else { return CoreOptions() }
        // Pass-through reads never fail.
        guard let (options, rest) = try? grammar.parse(args, into: CoreOptions(), passThrough: true) else {
            return CoreOptions()
        }
        args = rest
        return options
    }

    /// Options from before Sqitch 0.9999 that took a value, skipped while looking for the
    /// command word (Sqitch's `_find_cmd`): `-d`, `-u`, `-h`, `-p`, `--db-*`, `--client`, ...
    public static func legacyOptionTakesValue(_ arg: String) -> Bool {
        if ["-d", "-u", "-h", "-p"].contains(where: { arg.hasPrefix($0) }) { return true }
        if arg.hasPrefix("--db-"), !arg.contains("=") { return true }
        return ["--client", "--engine", "--extension", "--plan-file", "--registry", "--top-dir"].contains(arg)
    }
}
