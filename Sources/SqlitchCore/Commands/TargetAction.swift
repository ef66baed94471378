/// `target`: lists, adds, alters, removes, renames and shows targets in the local
/// configuration (Sqitch's `App::Sqitch::Command::target`).
public struct TargetAction {
    public var options: TargetConfigOptions
    /// Whether `--verbose`/`-v` was given on the command line (lists show URIs).
    public var verbose: Bool
    /// `--format json` (sqlitch's addition): the listing and `show` as one document.
    public var json: Bool

    public init(options: TargetConfigOptions, verbose: Bool = false, json: Bool = false) {
        self.options = options
        self.verbose = verbose
        self.json = json
    }

    /// Runs `target [action] [args]`; unknown actions and missing arguments are usage errors.
    public func execute(_ sqitch: Sqitch, _ arguments: [String]) throws -> Int32 {
        let properties = try options.properties(command: "target")
        let command = TargetConfigCommand(sqitch: sqitch, command: "target", properties: properties)
        var args = arguments
        let word = args.isEmpty ? "" : args.removeFirst()
        let action = word.isEmpty || word == "0" ? "list" : word.replacingEvery("-", with: "_")
        func arg(_ i: Int) -> String? {
            guard i < args.count, Perl.isTrue(args[i]) else { return nil }
            return args[i]
        }
        try TargetConfigCommand.checkJSON(json, action: action)
        switch action {
        case "list": try list(command)
        case "add":
            guard let name = arg(0), let uri = arg(1) else { throw UsageError("") }
            try add(command, name: name, uri: uri)
        case "alter":
            guard let name = arg(0) else { throw UsageError("") }
            try alter(command, name: name)
        case "remove", "rm":
            guard let name = arg(0) else { throw UsageError("") }
            try rename(command, from: name, to: nil)
        case "rename":
            guard let old = arg(0), let new = arg(1) else { throw UsageError("") }
            try rename(command, from: old, to: new)
        case "show":
            let names = args
            if names.isEmpty { try list(command); break }
            var items: [JSONOutput.ConfigItem] = []
            for name in names {
                let target = try Target(config: sqitch.config, environment: sqitch.environment, name: name)
                if json {
                    try TargetConfigCommand.checkEngine(target)
                    items.append(TargetConfigCommand.item(target, name: name, details: true))
                    continue
                }
                try TargetConfigCommand.show(target, heading: name, label: "URI", value: target.uri.description,
                                             console: sqitch.console)
            }
            if json {
                sqitch.console.emit(JSONOutput.line(JSONOutput.ConfigListingDocument(command: "target", items: items)))
            }
        default:
            throw UsageError("Unknown action \"\(action)\"")
        }
        return 0
    }

    func list(_ command: TargetConfigCommand) throws {
        var items: [JSONOutput.ConfigItem] = []
        for (key, values) in command.config.merged {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "target", parts[2] == "uri", !parts[1].isEmpty,
                  let value = values.last else { continue }
            let name = String(parts[1])
            if json {
                items.append(JSONOutput.ConfigItem(name: name, uri: value ?? ""))
            } else {
                command.sqitch.console.emit(verbose ? "\(name)\t\(value ?? "")" : name)
            }
        }
        if json {
            command.sqitch.console.emit(JSONOutput.line(JSONOutput.ConfigListingDocument(command: "target", items: items)))
        }
    }

    func add(_ command: TargetConfigCommand, name: String, uri: String) throws {
        let key = "target.\(name)"
        if Perl.truthy(try command.config.get("\(key).uri")) != nil {
            throw TargetError("Target \"\(name)\" already exists")
        }
        var settings = [(key: "\(key).uri", value: DatabaseURI(uri).description)]
        settings += command.properties.configParams(key)
        try command.writer.groupSet(settings)
        let target = try command.configTarget(name: name)
        try command.writePlan(target: target)
        try command.makeDirectories(for: [target])
    }

    func alter(_ command: TargetConfigCommand, name: String) throws {
        if Perl.truthy(try command.config.get("target.\(name).uri")) == nil {
            let uri = command.properties.value("uri") ?? "$uri"
            throw TargetError("Missing Target \"\(name)\"; use \"add \(name) \(uri)\" to add it")
        }
        try command.writer.groupSet(command.properties.configParams("target.\(name)"))
        try command.makeDirectories(for: [command.configTarget(name: name)])
    }

    /// Renames (or, with no new name, removes) the target's sections, refusing targets that
    /// `core.target` or `engine.*.target` refer to.
    func rename(_ command: TargetConfigCommand, from old: String, to new: String?) throws {
        var dependents: [String] = []
        for (key, values) in command.config.merged {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false)
            let matches = (parts.count == 2 && parts[0] == "core" && parts[1] == "target")
                || (parts.count == 3 && parts[0] == "engine" && !parts[1].isEmpty && parts[2] == "target")
            if matches, values.last == old { dependents.append(key) }
        }
        if !dependents.isEmpty {
            throw TargetError("Cannot rename target \"\(old)\" because it's referenced by: \(dependents.joined(separator: ", "))")
        }
        let writer = command.writer
        do {
            if let new { try writer.renameSection(from: "target.\(old)", to: "target.\(new)") }
            else { try writer.removeSection("target.\(old)") }
        } catch let error as ConfigError where error.reason == .noSuchSection {
            throw TargetError("Unknown target \"\(old)\"")
        }
        do {
            if let new { try writer.renameSection(from: "target.\(old).variables", to: "target.\(new).variables") }
            else { try writer.removeSection("target.\(old).variables") }
        } catch let error as ConfigError where error.reason == .noSuchSection {}
    }
}
