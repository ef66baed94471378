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

    /// Removes the core options from `args` and returns them.
    static func extract(from args: inout [String]) throws -> CoreOptions {
        var options = CoreOptions()
        var rest: [String] = []
        var i = 0
        func value(for name: String) throws -> String {
            guard i + 1 < args.count else {
                throw SqitchError.usage("Option \(name) requires an argument")
            }
            i += 1
            return args[i]
        }
        while i < args.count {
            let arg = args[i]
            if arg == "--" {
                rest.append(contentsOf: args[i...])
                break
            }
            switch arg {
            case "--chdir", "--cd", "-C": options.chdir = try value(for: String(arg.drop { $0 == "-" }))
            case "--etc-path": options.etcPath = true
            case "--no-pager": options.noPager = true
            case "--quiet": options.quiet = true
            case "--verbose": options.verboseCount += 1
            case "--help": options.help = true
            case "--man": options.man = true
            case "--version": options.version = true
            default:
                if let eq = arg.firstIndex(of: "="), ["--chdir", "--cd"].contains(String(arg[..<eq])) {
                    options.chdir = String(arg[arg.index(after: eq)...])
                } else if arg.hasPrefix("-C"), arg.count > 2, !arg.hasPrefix("--") {
                    options.chdir = String(arg.dropFirst(2))
                } else if arg.count > 1, arg.hasPrefix("-"), !arg.hasPrefix("--"),
                          arg.dropFirst().allSatisfy({ $0 == "v" || $0 == "V" }) {
                    options.verboseCount += arg.count - 1
                } else {
                    rest.append(arg)
                }
            }
            i += 1
        }
        args = rest
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
