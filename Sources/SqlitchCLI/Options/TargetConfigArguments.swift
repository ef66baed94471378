import ArgumentParser
import SqlitchCore

/// The options of `init`, `engine` and `target` (Sqitch's TargetConfigCommand), read with
/// Getopt::Long's rules (see `Getopt`) against the command's specification.
struct TargetConfigArguments {
    var options = TargetConfigOptions()
    var uri: String?
    var positional: [String] = []

    /// Parses `arguments` for `command` (`init`, `engine`, `target`).
    static func parse(_ arguments: [String], command: String) throws -> TargetConfigArguments {
        let parsed = Getopt(CommandOptions.specs[command] ?? []).parse(arguments)
        if !parsed.errors.isEmpty { throw SqitchError.usage(parsed.errors.joined(separator: "\n")) }
        var result = TargetConfigArguments()
        result.positional = parsed.arguments
        for (name, value) in parsed.options {
            let text: String
            switch value {
            case .text(let t): text = t
            case .pair(let key, let t): text = key + "=" + t
            default: continue
            }
            switch name {
            case "plan-file": result.options.planFile = text
            case "registry": result.options.registry = text
            case "client": result.options.client = text
            case "extension": result.options.extension = text
            case "top-dir": result.options.topDir = text
            case "dir": result.options.dirs.append(text)
            case "set": result.options.variables.append(text)
            case "engine": result.options.engine = text
            case "target": result.options.target = text
            case "uri": result.uri = text
            default: break
            }
        }
        return result
    }
}

extension SqitchCommand {
    /// Runs `body`; a usage error prints its message (if any) and the command's usage, exit 2.
    func withUsage(_ name: String, _ sqitch: Sqitch, _ body: () throws -> Int32) throws -> Int32 {
        do {
            return try body()
        } catch let error as SqitchError where error.ident == "usage" {
            if !error.message.isEmpty { sqitch.console.vent(error.message) }
            sqitch.console.ventLiteral(HelpText.usage(for: name))
            return 2
        }
    }
}
