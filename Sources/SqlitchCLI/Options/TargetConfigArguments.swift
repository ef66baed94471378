import ArgumentParser
import SqlitchCore

/// The options of `init`, `engine` and `target` (Sqitch's TargetConfigCommand), read the way
/// Getopt::Long reads them with bundling: `--name value`, `--name=value`, `-f value`,
/// `-fvalue`, unique abbreviations of long names, and `--` to end the options.
struct TargetConfigArguments {
    /// Every option: its long names, its short name, and the command's own extras.
    struct Spec {
        var names: [String]
        var short: Character?
        var key: String
    }

    static let shared: [Spec] = [
        Spec(names: ["plan-file"], short: "f", key: "plan_file"),
        Spec(names: ["registry"], short: nil, key: "registry"),
        Spec(names: ["client"], short: nil, key: "client"),
        Spec(names: ["extension"], short: nil, key: "extension"),
        Spec(names: ["top-dir"], short: nil, key: "top_dir"),
        Spec(names: ["dir"], short: "d", key: "dir"),
        Spec(names: ["set"], short: "s", key: "set"),
    ]

    var options = TargetConfigOptions()
    var uri: String?
    var positional: [String] = []

    /// Parses `arguments` with the shared options plus `extras` (`uri`, `engine`, `target`).
    static func parse(_ arguments: [String], extras: [String]) throws -> TargetConfigArguments {
        let specs = extras.map { Spec(names: [$0], short: nil, key: $0) } + shared
        var result = TargetConfigArguments()
        var errors: [String] = []
        var i = 0
        func assign(_ spec: Spec, _ value: String, as given: String) {
            if spec.key == "dir" || spec.key == "set", !value.contains("=") {
                errors.append("Option \(given), key \"\(value)\", requires a value")
                return
            }
            switch spec.key {
            case "plan_file": result.options.planFile = value
            case "registry": result.options.registry = value
            case "client": result.options.client = value
            case "extension": result.options.extension = value
            case "top_dir": result.options.topDir = value
            case "dir": result.options.dirs.append(value)
            case "set": result.options.variables.append(value)
            case "engine": result.options.engine = value
            case "target": result.options.target = value
            default: result.uri = value
            }
        }
        func value(for name: String) -> String? {
            guard i + 1 < arguments.count else {
                errors.append("Option \(name) requires an argument")
                return nil
            }
            i += 1
            return arguments[i]
        }
        while i < arguments.count {
            let arg = arguments[i]
            if arg == "--" {
                result.positional.append(contentsOf: arguments[(i + 1)...])
                break
            }
            if arg.hasPrefix("--") {
                let body = arg.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let exact = specs.first { $0.names.contains(name) }
                let prefixed = specs.filter { $0.names.contains { $0.hasPrefix(name) } }
                if exact == nil, prefixed.count > 1, !name.isEmpty {
                    let candidates = prefixed.flatMap(\.names).filter { $0.hasPrefix(name) }.sorted()
                    errors.append("Option \(name) is ambiguous (\(candidates.joined(separator: ", ")))")
                } else if !name.isEmpty, let spec = exact ?? (prefixed.count == 1 ? prefixed[0] : nil) {
                    if let eq = body.firstIndex(of: "=") {
                        assign(spec, String(body[body.index(after: eq)...]), as: name)
                    } else if let value = value(for: name) {
                        assign(spec, value, as: name)
                    }
                } else {
                    errors.append("Unknown option: \(name)")
                }
            } else if arg.hasPrefix("-"), arg.count > 1 {
                let letter = arg[arg.index(after: arg.startIndex)]
                if let spec = specs.first(where: { $0.short == letter }) {
                    let rest = String(arg.dropFirst(2))
                    if !rest.isEmpty {
                        assign(spec, rest, as: String(letter))
                    } else if let value = value(for: String(letter)) {
                        assign(spec, value, as: String(letter))
                    }
                } else {
                    errors.append("Unknown option: \(letter)")
                }
            } else {
                result.positional.append(arg)
            }
            i += 1
        }
        if !errors.isEmpty { throw SqitchError.usage(errors.joined(separator: "\n")) }
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
