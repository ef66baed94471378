import FoundationEssentials

/// The `config` command: reads settings from the merged configuration and writes them to
/// one file (local, user, system or `--file`), with Sqitch's output, messages and exit codes.
///
/// Usage errors are thrown as `UsageError(...)`: the CLI prints the message and the
/// usage block and exits 2.
public struct ConfigAction {
    /// What the command does; without one, a single argument gets and two or more set.
    public enum Kind: String, Sendable, CaseIterable {
        case get, getAll = "get-all", getRegex = "get-regexp", set, add, replaceAll = "replace-all"
        case unset, unsetAll = "unset-all", list, edit, renameSection = "rename-section"
        case removeSection = "remove-section"
    }

    /// The options as given on the command line; `validate` applies Sqitch's checks.
    public struct Options: Sendable {
        public var local = false
        public var user = false
        public var system = false
        public var file: String?
        public var types: [ConfigValueType] = []
        public var actions: [Kind] = []
        public init() {}
    }

    public let file: String?
    public let context: ConfigScope?
    public let type: ConfigValueType?
    public let action: Kind?

    public init(file: String? = nil, context: ConfigScope? = nil, type: ConfigValueType? = nil, action: Kind? = nil) {
        self.file = file
        self.context = context
        self.type = type
        self.action = action
    }

    /// Sqitch's `configure`: one file, one type and one action at most.
    public init(options: Options) throws {
        let fileCount = [options.local, options.user, options.system, options.file != nil].filter { $0 }.count
        if fileCount > 1 { throw UsageError("Only one config file at a time.") }
        if options.types.count > 1 { throw UsageError("Only one type at a time.") }
        if options.actions.count > 1 { throw UsageError("Only one action at a time.") }
        let context: ConfigScope? = options.local ? .local : options.user ? .user : options.system ? .system : nil
        self.init(file: options.file, context: context, type: options.types.first, action: options.actions.first)
    }

    /// The file this command writes (and `--list` with a scope reads): `--file`, else the
    /// scope's file; the local file is `$SQITCH_CONFIG` or `sqitch.conf` here.
    public func targetFile(_ sqitch: Sqitch) -> String {
        if let file { return file }
        switch context ?? .local {
        case .local:
            return sqitch.environment.nonEmpty("SQITCH_CONFIG") ?? "sqitch.conf"
        case .user, .system:
            let scope = context!
            return sqitch.config.paths[scope]
                ?? ConfigStack.paths(environment: sqitch.environment, files: sqitch.files, etcPath: sqitch.etcPath)[scope]
                ?? "sqitch.conf"
        }
    }

    /// Runs the action with the command's arguments; returns the exit code.
    @discardableResult
    public func execute(_ sqitch: Sqitch, _ args: [String]) throws -> Int32 {
        let kind = action ?? (args.count > 1 ? .set : .get)
        func arg(_ i: Int) -> String? { i < args.count ? args[i] : nil }
        func required(_ i: Int) throws -> String {
            guard let value = arg(i), !value.isEmpty else { throw UsageError("Wrong number of arguments.") }
            return value
        }
        switch kind {
        case .get: try get(sqitch, try required(0), filter: arg(1))
        case .getAll: try getAll(sqitch, try required(0), filter: arg(1))
        case .getRegex: try getRegex(sqitch, try required(0), filter: arg(1))
        case .set, .add, .replaceAll:
            let key = try required(0)
            guard let value = arg(1) else { throw UsageError("Wrong number of arguments.") }
            let writer = ConfigWriter(path: targetFile(sqitch), files: sqitch.files)
            do {
                switch kind {
                case .add: try writer.add(key, value, as: type)
                case .replaceAll: try writer.replaceAll(key, value, filter: arg(2), as: type)
                default: try writer.set(key, value, filter: arg(2), as: type)
                }
            } catch let error as ConfigError where error.reason == .multipleValues {
                throw ConfigError("Cannot overwrite multiple values with a single value")
            }
        case .unset, .unsetAll:
            let key = try required(0)
            let writer = ConfigWriter(path: targetFile(sqitch), files: sqitch.files)
            do {
                try writer.unset(key, filter: arg(1), all: kind == .unsetAll)
            } catch let error as ConfigError where error.reason == .multipleValues {
                throw ConfigError("Cannot unset key with multiple values")
            }
        case .list:
            let config: ConfigStack
            if let context {
                let path = targetFile(sqitch)
                guard sqitch.files.isFile(path) else { return 0 }
                let text = try sqitch.files.readText(path)
                config = ConfigStack(files: [try ConfigFile.parse(text, path: path, scope: context,
                                                                  displayPath: sqitch.files.absolute(path))])
            } else {
                config = sqitch.config
            }
            sqitch.console.emit(config.dump())
        case .edit:
            try Editor.edit([targetFile(sqitch)], sqitch)
        case .renameSection, .removeSection:
            let writer = ConfigWriter(path: targetFile(sqitch), files: sqitch.files)
            do {
                if kind == .renameSection {
                    guard let from = arg(0), !from.isEmpty, let to = arg(1), !to.isEmpty else {
                        throw UsageError("Wrong number of arguments.")
                    }
                    try writer.renameSection(from: from, to: to)
                } else {
                    try writer.removeSection(try required(0))
                }
            } catch let error as ConfigError where error.reason == .noSuchSection {
                throw ConfigError("No such section!")
            }
        }
        return 0
    }

    /// The empty soft failure Sqitch raises when nothing matches: an empty line, exit 1.
    static let nothingFound = ConfigError("", exitCode: 1)

    private func values(_ sqitch: Sqitch, _ key: String, filter: String?) throws -> [String?] {
        guard ConfigWriter.splitKey(key) != nil else {
            throw ConfigError("No section given in key: \(key)\n")
        }
        let values = sqitch.config.rawValues(key)
        guard let matcher = try filter.flatMap({ try ValueFilter($0) }) else { return values }
        return values.filter { matcher.matches($0) }
    }

    private func cast(_ value: String?) throws -> String? {
        guard let type else { return value }
        return try type.cast(value)
    }

    private func get(_ sqitch: Sqitch, _ key: String, filter: String?) throws {
        let found = try values(sqitch, key, filter: filter)
        if found.count > 1 { throw ConfigError("More then one value for the key \"\(key)\"") }
        guard let first = found.first, let value = try cast(first) else { throw ConfigAction.nothingFound }
        sqitch.console.emit(value)
    }

    private func getAll(_ sqitch: Sqitch, _ key: String, filter: String?) throws {
        let found = try values(sqitch, key, filter: filter).map(cast)
        guard !found.isEmpty else { throw ConfigAction.nothingFound }
        sqitch.console.emit(found.map { $0 ?? "" }.joined(separator: "\n"))
    }

    private func getRegex(_ sqitch: Sqitch, _ pattern: String, filter: String?) throws {
        let keyMatcher: RegularExpression
        do {
            keyMatcher = try RegularExpression(pattern, options: [.caseInsensitive])
        } catch {
            throw ConfigError("Invalid regular expression: \(pattern)")
        }
        let valueMatcher = try filter.flatMap { try ValueFilter($0) }
        var lines: [String] = []
        for item in sqitch.config.merged 
        where keyMatcher.matches(item.key) {
            var values = item.values
            if let valueMatcher { values = values.filter { valueMatcher.matches($0) } }
            if values.isEmpty { continue }
            let cast = try values.map(cast)
            if item.values.count > 1 {
                lines.append(item.key + "=[" + cast.map { $0 ?? "" }.joined(separator: ", ") + "]")
            } else if let value = cast[0] {
                lines.append(item.key + "=" + value)
            } else {
                lines.append(item.key)
            }
        }
        guard !lines.isEmpty else { throw ConfigAction.nothingFound }
        sqitch.console.emit(lines.joined(separator: "\n"))
    }
}

extension ConfigAction.Options: CommandOptionSet {
    public static var grammar: CommandGrammar<ConfigAction.Options> {
        /// A type or an action: given twice, it is still one.
        func type(_ names: String, _ type: ConfigValueType, _ summary: String) -> OptionSpec<Self> {
            OptionSpec(names, kind: .flag, summary: summary) { options, _ in
                if !options.types.contains(type) { options.types.append(type) }
            }
        }
        func action(_ names: String, _ action: ConfigAction.Kind, _ summary: String) -> OptionSpec<Self> {
            OptionSpec(names, kind: .flag, summary: summary) { options, _ in
                if !options.actions.contains(action) { options.actions.append(action) }
            }
        }
        return CommandGrammar([
            OptionGroup("File", [
                .flag("--local", \.local, "the project's sqitch.conf (the default)"),
                .flag("--user --global", \.user, "your ~/.sqitch/sqitch.conf"),
                .flag("--system", \.system, "the system's sqitch.conf"),
                .text("-f --file --config-file", \.file, "<file>", "any other file", complete: .file),
            ]),
            OptionGroup("Action", [
                action("--get", .get, "print a value: <name> [<value-regex>]"),
                action("--get-all", .getAll, "print every value of a key: <name> [<value-regex>]"),
                action("--get-regexp --get-regex", .getRegex, "print matching keys: <name-regex> [<value-regex>]"),
                action("--add", .add, "add a value to a key: <name> <value>"),
                action("--replace-all", .replaceAll, "replace every value: <name> <value> [<value-regex>]"),
                action("--unset", .unset, "remove a key: <name> [<value-regex>]"),
                action("--unset-all", .unsetAll, "remove every value of a key: <name> [<value-regex>]"),
                action("--rename-section", .renameSection, "rename a section: <old> <new>"),
                action("--remove-section", .removeSection, "remove a section: <name>"),
                action("-l --list", .list, "print every key and value"),
                action("-e --edit", .edit, "open the file in an editor"),
            ]),
            OptionGroup("Type", [
                type("--bool", .bool, "the value is true or false"),
                type("--int", .int, "the value is an integer (k, m, g suffixes allowed)"),
                type("--num", .num, "the value is a number"),
                type("--bool-or-int", .boolOrInt, "the value is a boolean or an integer"),
            ]),
        ])
    }
}
