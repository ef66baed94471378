/// What a shell may offer for an option's value or a positional argument.
public enum ValueCompletion: Sendable, Equatable {
    /// Nothing in particular (free text, numbers).
    case none
    /// A file or a directory path.
    case file, directory
    /// A target name from the configuration (or a URI, typed by hand).
    case target
    /// An engine name (`sqlite`, `pg`, ...).
    case engine
    /// A change name from the plan.
    case change
    /// A change or tag name from the plan (`@tag` forms too).
    case changeOrTag
    /// One of these words.
    case words([String])
}

/// What an option means beyond its own command, for those who read a command line without
/// running it (completion follows `--chdir` and `--plan-file` to find the project).
public enum OptionRole: Sendable, Equatable {
    /// The directory the command runs in (`--chdir`).
    case workingDirectory
    /// The plan file the command reads (`--plan-file`).
    case planFile
}

/// One option as a command declares it, with everything said about it in one place: the names
/// Getopt::Long reads, what it takes, its row in the help page, what a shell completes for
/// it, and where its value goes in the command's typed options (`Options`).
public struct OptionSpec<Options> {
    /// Everything said about the option but where its value goes.
    public var description: OptionDescription
    let apply: (inout Options, Getopt.Value) -> Void

    /// `names` as typed in the help page: `"-c --change --change-name"`.
    init(_ names: String, kind: Getopt.Option.Kind, placeholder: String = "", summary: String,
         negated: String? = nil, completion: ValueCompletion = .none, parsedByCore: Bool = false,
         apply: @escaping (inout Options, Getopt.Value) -> Void) {
        description = OptionDescription(
            names: names.split(separator: " ").map { $0.drop { $0 == "-" } }.map(String.init), kind: kind,
            placeholder: placeholder, summary: summary, negatedSummary: negated, completion: completion,
            parsedByCore: parsedByCore, role: nil)
        self.apply = apply
    }

    init(description: OptionDescription, apply: @escaping (inout Options, Getopt.Value) -> Void) {
        self.description = description
        self.apply = apply
    }

    /// The same option with another help line (shared options read differently per command).
    public func described(_ summary: String) -> OptionSpec {
        var spec = self
        spec.description.summary = summary
        return spec
    }

    /// The same option, marked as playing `role`.
    public func playing(_ role: OptionRole) -> OptionSpec {
        var spec = self
        spec.description.role = role
        return spec
    }

    /// The same option storing into a part of a larger options value.
    public func lifted<Outer>(_ path: WritableKeyPath<Outer, Options>) -> OptionSpec<Outer> {
        let apply = self.apply
        return OptionSpec<Outer>(description: description) { options, value in apply(&options[keyPath: path], value) }
    }
}

extension OptionSpec {
    /// A switch that sets `key` (`--log-only`).
    public static func flag(_ names: String, _ key: WritableKeyPath<Options, Bool>, _ summary: String) -> OptionSpec {
        OptionSpec(names, kind: .flag, summary: summary) { options, _ in options[keyPath: key] = true }
    }

    /// A switch with a `--no-` form: the last one given wins (`--verify`, `--no-verify`).
    public static func toggle(_ names: String, _ key: WritableKeyPath<Options, Bool?>, _ summary: String,
                              negated: String? = nil) -> OptionSpec {
        OptionSpec(names, kind: .negatable, summary: summary, negated: negated) { options, value in
            options[keyPath: key] = value == .on
        }
    }

    /// A string value, the last one given wins.
    public static func text(_ names: String, _ key: WritableKeyPath<Options, String?>, _ placeholder: String,
                            _ summary: String, complete: ValueCompletion = .none) -> OptionSpec {
        OptionSpec(names, kind: .value(integer: false, destination: .scalar), placeholder: placeholder,
                   summary: summary, completion: complete) { options, value in
            if case .text(let text) = value { options[keyPath: key] = text }
        }
    }

    /// An integer value (Getopt::Long's `=i`), the last one given wins.
    public static func integer(_ names: String, _ key: WritableKeyPath<Options, Int?>, _ placeholder: String,
                               _ summary: String) -> OptionSpec {
        OptionSpec(names, kind: .value(integer: true, destination: .scalar), placeholder: placeholder,
                   summary: summary) { options, value in
            if case .integer(let number) = value { options[keyPath: key] = number }
        }
    }

    /// A repeatable string value, kept in order (`--requires a --requires b`).
    public static func list(_ names: String, _ key: WritableKeyPath<Options, [String]>, _ placeholder: String,
                            _ summary: String, complete: ValueCompletion = .none) -> OptionSpec {
        OptionSpec(names, kind: .value(integer: false, destination: .list), placeholder: placeholder,
                   summary: summary, completion: complete) { options, value in
            if case .text(let text) = value { options[keyPath: key].append(text) }
        }
    }

    /// A repeatable `key=value` option (Getopt::Long's `=s%`), each pair in the order given.
    public static func pairs(_ names: String, _ key: WritableKeyPath<Options, [KeyValue]>, _ placeholder: String,
                             _ summary: String) -> OptionSpec {
        OptionSpec(names, kind: .value(integer: false, destination: .hash), placeholder: placeholder,
                   summary: summary) { options, value in
            if case .pair(let name, let text) = value { options[keyPath: key].append(KeyValue(key: name, value: text)) }
        }
    }
}

/// One `key=value` given to an option such as `--set`.
public struct KeyValue: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// The pairs as a Perl hash keeps them: one per key, the last value given, a repeated key
    /// moved to where it was last given.
    public static func lastWins(_ pairs: [KeyValue]) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for pair in pairs {
            result.removeAll { $0.name == pair.key }
            result.append((pair.key, pair.value))
        }
        return result
    }
}

/// An option without its storage: what help pages, completions and man pages need.
public struct OptionDescription: Sendable, Equatable {
    /// The names in the order the help page shows them: single letters are short options.
    public let names: [String]
    public let kind: Getopt.Option.Kind
    /// The value's placeholder in the help page (`<change>`), empty for a switch.
    public let placeholder: String
    /// The help page's line on the option.
    public var summary: String
    /// For a negatable switch: the help line of its `--no-` form, shown as a row of its own.
    public let negatedSummary: String?
    public let completion: ValueCompletion
    /// Read by the core options before the command (`-v` for `target` and `engine`): shown in
    /// the command's help page, not parsed by the command.
    public let parsedByCore: Bool
    public var role: OptionRole?

    /// The names as typed: short ones first (`-c --change --change-name`).
    public var flags: [String] {
        names.filter { $0.count == 1 }.map { "-" + $0 } + names.filter { $0.count > 1 }.map { "--" + $0 }
    }

    /// The `--no-` forms of a negatable option (`--no-edit --no-open-editor`).
    public var negatedFlags: [String] {
        kind == .negatable ? names.filter { $0.count > 1 }.map { "--no-" + $0 } : []
    }

    /// Whether the option reads a value.
    public var takesValue: Bool {
        if case .value = kind { return true }
        return false
    }
}

/// A titled group of options in a help page (untitled when a command has a single group).
public struct OptionGroup<Options> {
    public let title: String?
    public let options: [OptionSpec<Options>]

    public init(_ title: String? = nil, _ options: [OptionSpec<Options>]) {
        self.title = title
        self.options = options
    }
}

/// A usage error: Getopt::Long's messages, or a command's own complaint about its arguments.
/// The command line's one error handler prints the message (if any), then the command's usage
/// block, and exits 2.
public struct UsageError: Error, Equatable, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }
}

/// A command's options, declared once: Getopt::Long reads the command line against them, the
/// values land in the typed `Options`, and the help page and completions list them.
public struct CommandGrammar<Options> {
    public let groups: [OptionGroup<Options>]

    public init(_ groups: [OptionGroup<Options>]) { self.groups = groups }

    /// A grammar of one untitled group.
    public init(_ options: [OptionSpec<Options>]) { self.groups = [OptionGroup(nil, options)] }

    /// The options the command itself reads.
    var parsedOptions: [OptionSpec<Options>] { groups.flatMap(\.options).filter { !$0.description.parsedByCore } }

    /// Reads `arguments` into `initial` with Getopt::Long's rules; the other words are returned
    /// in order. Getopt::Long's complaints make a usage error (all of them, a line each); with
    /// `passThrough`, words it cannot read are left among the others instead.
    public func parse(_ arguments: [String], into initial: Options, passThrough: Bool = false) throws
        -> (options: Options, arguments: [String]) {
        let specs = parsedOptions
        let getopt = Getopt(options: specs.map { Getopt.Option(names: $0.description.names, kind: $0.description.kind) })
        let result = getopt.parse(arguments, passThrough: passThrough)
        if !result.errors.isEmpty { throw UsageError(result.errors.joined(separator: "\n")) }
        var options = initial
        for (name, value) in result.options {
            specs.first { $0.description.names[0] == name }?.apply(&options, value)
        }
        return (options, result.arguments)
    }

    /// The groups without storage, for help pages and completions.
    public var description: [(title: String?, options: [OptionDescription])] {
        groups.map { ($0.title, $0.options.map(\.description)) }
    }
}
