import SqlitchCore

/// Sqitch's core options, which may stand anywhere on the command line (Getopt::Long with
/// bundling and pass-through): everything else is left for the command.
struct CoreOptions {
    var chdir: String?
    var etcPath = false
    var noPager = false
    var quiet = false
    var verboseCount = 0
    var help = false
    var man = false
    var version = false

    /// The verbosity the options ask for, if any: `--quiet` beats `--verbose`.
    var verbosity: Int? {
        if quiet { return 0 }
        return verboseCount > 0 ? verboseCount : nil
    }

    /// Removes the core options from `args` and returns them (Getopt::Long with bundling and
    /// pass-through: abbreviations work, anything else is left for the command).
    static func extract(from args: inout [String]) -> CoreOptions {
        let parsed = Getopt(CommandOptions.core).parse(args, passThrough: true)
        var options = CoreOptions()
        for (name, value) in parsed.options {
            switch (name, value) {
            case ("chdir", .text(let dir)): options.chdir = dir
            case ("etc-path", _): options.etcPath = true
            case ("no-pager", _): options.noPager = true
            case ("quiet", _): options.quiet = true
            case ("verbose", _): options.verboseCount += 1
            case ("help", _): options.help = true
            case ("man", _): options.man = true
            case ("version", _): options.version = true
            default: break
            }
        }
        args = parsed.arguments
        return options
    }

    /// Options from before Sqitch 0.9999 that took a value, skipped while looking for the
    /// command word (`-d`, `-u`, `-h`, `-p`, `--db-*`, `--client`, `--engine`, ...).
    static func legacyOptionTakesValue(_ arg: String) -> Bool {
        if ["-d", "-u", "-h", "-p"].contains(where: { arg.hasPrefix($0) }) { return true }
        if arg.hasPrefix("--db-"), !arg.contains("=") { return true }
        return ["--client", "--engine", "--extension", "--plan-file", "--registry", "--top-dir"].contains(arg)
    }
}
