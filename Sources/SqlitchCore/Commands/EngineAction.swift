/// `engine`: lists, adds, alters, removes and shows engine settings in the local
/// configuration (Sqitch's `App::Sqitch::Command::engine`).
public struct EngineAction {
    public var options: TargetConfigOptions
    /// Whether `--verbose`/`-v` was given on the command line (lists show targets).
    public var verbose: Bool
    /// `--format json` (sqlitch's addition): the listing and `show` as one document.
    public var json: Bool

    public init(options: TargetConfigOptions, verbose: Bool = false, json: Bool = false) {
        self.options = options
        self.verbose = verbose
        self.json = json
    }

    /// Runs `engine [action] [args]`; unknown actions and missing arguments are usage errors.
    public func execute(_ sqitch: Sqitch, _ arguments: [String]) throws -> Int32 {
        let properties = try options.properties(command: "engine")
        var command = TargetConfigCommand(sqitch: sqitch, command: "engine", properties: properties)
        var args = arguments
        let word = args.isEmpty ? "" : args.removeFirst()
        let action = word.isEmpty || word == "0" ? "list" : word.replacingEvery("-", with: "_")
        func arg(_ i: Int) -> String? {
            guard i < args.count, Perl.isTrue(args[i]) else { return nil }
            return args[i]
        }
        try TargetConfigCommand.checkJSON(json, action: action)
        switch action {
        case "list": list(command)
        case "add":
            guard let engine = arg(0) else { throw UsageError("") }
            try add(command, engine: engine, target: arg(1))
        case "alter":
            guard let engine = arg(0) else { throw UsageError("") }
            try alter(&command, engine: engine)
        case "remove", "rm":
            guard let engine = arg(0) else { throw UsageError("") }
            try remove(command, engine: engine)
        case "show":
            if args.isEmpty { list(command); break }
            var items: [JSONOutput.ConfigItem] = []
            for engine in args {
                let name = Perl.truthy(try sqitch.config.get("engine.\(engine).target")) ?? "db:\(engine)"
                let target = try Target(config: sqitch.config, environment: sqitch.environment, name: name)
                if json {
                    try TargetConfigCommand.checkEngine(target)
                    items.append(TargetConfigCommand.item(target, name: engine, engineTarget: target.name, details: true))
                    continue
                }
                try TargetConfigCommand.show(target, heading: engine, label: "Target", value: target.name,
                                             console: sqitch.console)
            }
            if json {
                sqitch.console.emit(JSONOutput.line(JSONOutput.ConfigListingDocument(command: "engine", items: items)))
            }
        default:
            throw UsageError("Unknown action \"\(action)\"")
        }
        return 0
    }

    static func check(_ engine: String) throws {
        guard Target.engines.contains(engine) else {
            throw EngineError("Unknown engine \"\(engine)\"")
        }
    }

    func list(_ command: TargetConfigCommand) {
        var items: [JSONOutput.ConfigItem] = []
        for (key, values) in command.config.merged {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "engine", Target.engines.contains(String(parts[1])),
                  parts[2] == "target", let value = values.last else { continue }
            if json {
                // The configured target as written, and the URI it names.
                let written = value ?? ""
                let uri = (try? Target(config: command.sqitch.config, environment: command.sqitch.environment,
                                       name: written))?.uri.description ?? written
                items.append(JSONOutput.ConfigItem(name: String(parts[1]), uri: uri, target: written))
            } else {
                command.sqitch.console.emit(verbose ? "\(parts[1])\t\(value ?? "")" : String(parts[1]))
            }
        }
        if json {
            command.sqitch.console.emit(JSONOutput.line(JSONOutput.ConfigListingDocument(command: "engine", items: items)))
        }
    }

    /// Sqitch's `_target`: `--target` or the given name, checked: a URI must use the engine,
    /// a name must be a configured target.
    func checkedTarget(_ command: TargetConfigCommand, engine: String, name: String?) throws -> String? {
        guard let target = command.properties.value("target") ?? name else { return nil }
        if target.contains(":") {
            let uri = DatabaseURI(target)
            let used = uri.canonicalEngine ?? ""
            if used != engine {
                throw EngineError("Cannot assign URI using engine \"\(used)\" to engine \"\(engine)\"")
            }
            return uri.description
        }
        if Perl.truthy(try command.config.get("target.\(target).uri")) != nil { return target }
        throw EngineError("Unknown target \"\(target)\"")
    }

    func add(_ command: TargetConfigCommand, engine: String, target name: String?) throws {
        try EngineAction.check(engine)
        let key = "engine.\(engine)"
        if Perl.truthy(try command.config.get("\(key).target")) != nil {
            throw EngineError("Engine \"\(engine)\" already exists")
        }
        let targetValue = try checkedTarget(command, engine: engine, name: name) ?? "db:\(engine):"
        var settings = [(key: "\(key).target", value: targetValue)]
        settings += command.properties.configParams(key)
        try command.writer.groupSet(settings)
        let target = try command.configTarget(name: name, engine: engine)
        try command.writePlan(target: target)
        try command.makeDirectories(for: [target])
    }

    func alter(_ command: inout TargetConfigCommand, engine: String) throws {
        try EngineAction.check(engine)
        if Perl.truthy(try command.config.get("engine.\(engine).target")) == nil {
            let target = command.properties.value("target") ?? "db:\(engine):"
            throw EngineError("Missing Engine \"\(engine)\"; use \"add \(engine) \(target)\" to add it")
        }
        if command.properties.value("target") != nil {
            var properties = command.properties
            properties.target = try checkedTarget(command, engine: engine, name: nil)
            command = TargetConfigCommand(sqitch: command.sqitch, command: "engine", properties: properties)
        }
        try command.writer.groupSet(command.properties.configParams("engine.\(engine)"))
        try command.makeDirectories(for: [command.configTarget(engine: engine)])
    }

    func remove(_ command: TargetConfigCommand, engine: String) throws {
        let writer = command.writer
        do {
            try writer.removeSection("engine.\(engine)")
        } catch let error as ConfigError where error.reason == .noSuchSection {
            throw EngineError("Unknown engine \"\(engine)\"")
        }
        do {
            try writer.removeSection("engine.\(engine).variables")
        } catch let error as ConfigError where error.reason == .noSuchSection {}
    }
}
