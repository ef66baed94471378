import FoundationEssentials

/// Shell completion from the commands' grammars: given the command line up to the cursor, the
/// words the shell may offer for the word being typed. The shell scripts (`completion bash`,
/// `zsh`, `fish`) only pass the line and show the answer; everything else is decided here.
public struct Completer {
    /// Values read from the project when asked for: target names, change and tag names.
    public struct Source {
        public var targets: () -> [String]
        public var changes: () -> [String]
        public var tags: () -> [String]

        public init(targets: @escaping () -> [String] = { [] }, changes: @escaping () -> [String] = { [] },
                    tags: @escaping () -> [String] = { [] }) {
            self.targets = targets
            self.changes = changes
            self.tags = tags
        }
    }

    let commands: [CommandDefinition]
    let core: [OptionDescription]

    public init(commands: [CommandDefinition] = CommandCatalog.all,
                core: [OptionDescription] = CoreOptions.grammar.description.flatMap(\.options)) {
        self.commands = commands
        self.core = core
    }

    /// What the words typed so far say: the command, its positional words, and the core
    /// `--chdir` and `--plan-file` values (which change where the project is read).
    public struct State {
        public var command: CommandDefinition?
        public var positionals: [String] = []
        public var chdir: String?
        public var planFile: String?
        /// `--` was given: every later word is positional.
        public var endOfOptions = false
        /// The option whose value the current word is.
        var pendingOption: OptionDescription?
    }

    /// Reads the complete words (those before the one being typed).
    public func state(of words: [String]) -> State {
        var state = State()
        for word in words {
            if let pending = state.pendingOption {
                record(pending, value: word, in: &state)
                state.pendingOption = nil
                continue
            }
            if !state.endOfOptions, word == "--" { state.endOfOptions = true; continue }
            if !state.endOfOptions, word.hasPrefix("-"), word != "-" {
                let (option, value) = read(word, options: options(for: state.command))
                if let option, option.takesValue {
                    if let value { record(option, value: value, in: &state) } else { state.pendingOption = option }
                }
                continue
            }
            if state.command == nil {
                // Sqitch's first non-option word that names a command is the command.
                if let command = commands.first(where: { $0.name == word }) { state.command = command }
                continue
            }
            state.positionals.append(word)
        }
        return state
    }

    /// The candidates for `current`, the word being typed after `words`.
    public func candidates(words: [String], current: String, source: Source) -> [String] {
        let state = state(of: words)
        let offered: [String]
        if let pending = state.pendingOption {
            offered = values(pending.completion, source: source)
        } else if state.endOfOptions {
            offered = state.command.map { positionals($0.name, state.positionals, source: source) } ?? []
        } else if current.hasPrefix("--"), let eq = current.firstIndex(of: "=") {
            let (option, _) = read(String(current[..<eq]), options: options(for: state.command))
            guard let option, option.takesValue else { return [] }
            let prefix = String(current[...eq])
            offered = values(option.completion, source: source).map { prefix + $0 }
        } else if current.hasPrefix("-") {
            var names: [String] = []
            for option in options(for: state.command) {
                for flag in option.flags + option.negatedFlags where !names.contains(flag) { names.append(flag) }
            }
            offered = names
        } else if let command = state.command {
            offered = positionals(command.name, state.positionals, source: source)
        } else {
            offered = commands.map(\.name)
        }
        return offered.filter { $0.hasPrefix(current) }
    }

    /// The options accepted where the cursor is: the command's, then the core options.
    func options(for command: CommandDefinition?) -> [OptionDescription] {
        (command?.allOptions.filter { !$0.parsedByCore } ?? []) + core
    }

    /// The option an option word names (Getopt::Long's unique abbreviations, bundled letters)
    /// and the value attached to it, if any.
    func read(_ word: String, options: [OptionDescription]) -> (OptionDescription?, String?) {
        if word.hasPrefix("--") {
            var name = String(word.dropFirst(2))
            var value: String?
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            let lowered = name.lowercased()
            let long = options.filter { $0.names.contains { $0.count > 1 && $0.lowercased() == lowered } }
            if let exact = long.first { return (exact, value) }
            let hits = options.filter { $0.names.contains { $0.count > 1 && $0.lowercased().hasPrefix(lowered) } }
            return (hits.count == 1 ? hits[0] : nil, value)
        }
        // Bundled letters: the first that takes a value takes the rest of the word.
        var letters = Substring(word.dropFirst())
        while let letter = letters.first {
            letters = letters.dropFirst()
            guard let option = options.first(where: { $0.names.contains(String(letter)) }) else { return (nil, nil) }
            if option.takesValue { return (option, letters.isEmpty ? nil : String(letters)) }
        }
        return (nil, nil)
    }

    func record(_ option: OptionDescription, value: String, in state: inout State) {
        switch option.role {
        case .workingDirectory: state.chdir = value
        case .planFile: state.planFile = value
        case nil: break
        }
    }

    func values(_ completion: ValueCompletion, source: Source) -> [String] {
        switch completion {
        case .none, .file, .directory: return []
        case .target: return source.targets()
        case .engine: return Target.engines
        case .change: return source.changes()
        case .changeOrTag: return source.changes() + source.tags().map { "@" + $0 }
        case .words(let words): return words
        }
    }

    /// A command's positional words: actions, then the names they take; targets and changes.
    func positionals(_ command: String, _ given: [String], source: Source) -> [String] {
        let index = given.count
        switch command {
        case "help":
            return index == 0 ? commands.map(\.name) + HelpDocuments.guideNames : []
        case "engine":
            if index == 0 { return ["add", "alter", "remove", "rm", "show", "list"] }
            return index == 1 && given[0] != "list" ? Target.engines : []
        case "target":
            if index == 0 { return ["add", "alter", "remove", "rm", "rename", "show", "list"] }
            return index == 1 && !["add", "list"].contains(given[0]) ? source.targets() : []
        case "show":
            if index == 0 { return ShowObject.objectTypes }
            guard index == 1 else { return [] }
            return given[0] == "tag" ? source.tags() : source.changes()
        case "rework":
            return index == 0 ? source.changes() : []
        case "tag":
            return index == 1 ? source.changes() : []
        case "deploy", "revert", "rebase", "verify", "check", "checkout":
            return source.targets() + source.changes() + source.tags().map { "@" + $0 }
        case "status", "log", "upgrade", "plan", "bundle":
            return source.targets()
        case "completion":
            return index == 0 ? CompletionScript.shells : []
        default:
            return []
        }
    }
}

extension Completer {
    /// The words of a shell line, as far as completion needs them: split at blanks, quotes and
    /// backslashes removed. The last word is the one being typed (empty after a blank).
    public static func words(of line: String) -> (complete: [String], current: String) {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for char in line {
            if escaped { word.append(char); escaped = false; inWord = true; continue }
            if let open = quote {
                if char == open { quote = nil } else if char == "\\" && open == "\"" { escaped = true } else { word.append(char) }
                continue
            }
            switch char {
            case "\\": escaped = true; inWord = true
            case "'", "\"": quote = char; inWord = true
            case " ", "\t", "\n":
                if inWord { words.append(word); word = ""; inWord = false }
            default: word.append(char); inWord = true
            }
        }
        return (words, word)
    }

    /// The candidates for a whole line (the program's name first), reading the project the
    /// line points at (its `--chdir` and `--plan-file`) from `sqitch`'s directory.
    public func candidates(line: String, sqitch: Sqitch) -> [String] {
        let (words, current) = Completer.words(of: line)
        let typed = Array(words.dropFirst())
        let state = state(of: typed)
        let project = CompletionProject(sqitch: sqitch, chdir: state.chdir, planFile: state.planFile)
        return candidates(words: typed, current: current, source: project.source)
    }
}

/// The project a line completes against: its configuration's targets and its plan's changes
/// and tags, read only when asked for; unreadable files offer nothing.
struct CompletionProject {
    let sqitch: Sqitch?
    let planFile: String?

    init(sqitch: Sqitch, chdir: String?, planFile: String?) {
        self.planFile = planFile
        guard let chdir, !chdir.isEmpty else {
            self.sqitch = sqitch
            return
        }
        let directory = chdir.hasPrefix("/") ? chdir : sqitch.files.workingDirectory + "/" + chdir
        self.sqitch = try? Sqitch(environment: sqitch.environment, console: sqitch.console,
                                  files: FileSystem(workingDirectory: directory), etcPath: sqitch.etcPath)
    }

    var source: Completer.Source {
        Completer.Source(targets: targets, changes: { plan()?.changes.map(\.name).uniqued() ?? [] },
                         tags: { plan()?.tags.map(\.name) ?? [] })
    }

    /// The names of the targets: the `[target "name"]` sections with a URI.
    func targets() -> [String] {
        guard let sqitch else { return [] }
        var names: [String] = []
        for item in sqitch.config.merged where item.key.hasPrefix("target.") && item.key.hasSuffix(".uri") {
            let name = String(item.key.dropFirst("target.".count).dropLast(".uri".count))
            if !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        return names
    }

    func plan() -> Plan? {
        guard let sqitch else { return nil }
        let overrides = TargetOverrides(planFile: planFile.flatMap { $0.isEmpty ? nil : $0 })
        guard let target = try? Target.forPlan(sqitch: sqitch, name: nil, overrides: overrides) else { return nil }
        return try? Plan.load(path: target.planFile, sqitch: sqitch)
    }
}

extension Array where Element == String {
    /// The strings in order, each once.
    func uniqued() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
