import FoundationEssentials

/// The options shared by `init`, `engine` and `target` (Sqitch's TargetConfigCommand):
/// `--plan-file`, `--registry`, `--client`, `--extension`, `--top-dir`, `--dir name=path`
/// and `--set key=value`, plus the command's own key (`--uri`, `--target`, `--engine`).
public struct TargetConfigOptions: Sendable, Equatable {
    public var planFile: String?
    public var registry: String?
    public var client: String?
    public var `extension`: String?
    public var topDir: String?
    /// `--dir name=path`, in command-line order.
    public var dirs: [String] = []
    /// `--set key=value`, in command-line order.
    public var variables: [String] = []
    /// `init --engine`.
    public var engine: String?
    /// `init --target`, `engine --target`.
    public var target: String?
    /// `target --uri`.
    public var uri: String?

    public init() {}

    /// The directory names `--dir` accepts.
    public static let directoryNames = ["deploy", "revert", "verify", "reworked",
                                        "reworked_deploy", "reworked_revert", "reworked_verify"]

    /// Checks the options and turns them into the properties a command writes: paths tidied,
    /// `--dir` names checked (`Unknown directory name: {dirs}`), empty values dropped.
    public func properties(command: String) throws -> TargetProperties {
        var props = TargetProperties()
        props.engine = engine
        props.target = target
        props.uri = uri
        props.planFile = Perl.truthy(planFile).map(TargetConfigOptions.cleanFile)
        props.registry = registry
        props.client = client
        props.extension = `extension`
        props.topDir = Perl.truthy(topDir).map(Target.canonicalPath)
        var unknown: [String] = []
        for pair in TargetConfigOptions.pairs(dirs) {
            guard TargetConfigOptions.directoryNames.contains(pair.key) else {
                if !unknown.contains(pair.key) { unknown.append(pair.key) }
                continue
            }
            props.dirs[pair.key] = Target.canonicalPath(pair.value)
        }
        if !unknown.isEmpty {
            let names = unknown.sorted().joined(separator: ", ")
            throw CommandError(unknown.count == 1 ? "Unknown directory name: \(names)"
                                                         : "Unknown directory names: \(names)")
        }
        for pair in TargetConfigOptions.pairs(variables) {
            if let index = props.variables.firstIndex(where: { $0.key == pair.key }) {
                props.variables[index].value = pair.value
            } else {
                props.variables.append(TargetProperties.KeyValue(key: pair.key, value: pair.value))
            }
        }
        if let engine = Perl.truthy(engine), !Target.engines.contains(engine) {
            throw CommandError("Unknown engine \"\(engine)\"")
        }
        return props
    }

    /// A file path tidied as Path::Class's `cleanup` does: `./p.plan` -> `p.plan`,
    /// `./db//x.plan` -> `db/x.plan`.
    static func cleanFile(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        let name = String(path[path.index(after: slash)...])
        let dir = String(path[..<slash])
        if dir.isEmpty { return "/" + name }
        let tidied = Target.canonicalPath(dir)
        if tidied == "." { return name }
        return (tidied.hasSuffix("/") ? tidied : tidied + "/") + name
    }

    /// Splits `key=value` words as Getopt::Long does for hash options.
    static func pairs(_ words: [String]) -> [(key: String, value: String)] {
        words.map { word in
            guard let eq = word.firstIndex(of: "=") else { return (key: word, value: "") }
            return (key: String(word[..<eq]), value: String(word[word.index(after: eq)...]))
        }
    }
}

/// The settings `init`, `engine` and `target` write and use, after checking
/// (Sqitch's `properties` attribute of TargetConfigCommand).
public struct TargetProperties: Sendable, Equatable {
    public var engine: String?
    public var target: String?
    public var uri: String?
    public var planFile: String?
    public var registry: String?
    public var client: String?
    public var `extension`: String?
    public var topDir: String?
    /// `--dir` paths by name (`deploy`, `reworked_verify`, ...).
    public var dirs: [String: String] = [:]
    /// `--set` variables in command-line order (a repeated key keeps its last value).
    public var variables: [KeyValue] = []

    public init() {}

    /// A `--set` pair.
    public struct KeyValue: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    /// A property by its configuration name (`plan_file`, `deploy_dir`, ...), as given.
    public func raw(_ name: String) -> String? {
        switch name {
        case "engine": return engine
        case "target": return target
        case "uri": return uri
        case "plan_file": return planFile
        case "registry": return registry
        case "client": return client
        case "extension": return `extension`
        case "top_dir": return topDir
        default: return name.hasSuffix("_dir") ? dirs[String(name.dropLast(4))] : nil
        }
    }

    /// A property by its configuration name, when set and true in Perl's sense.
    public func value(_ name: String) -> String? {
        Perl.truthy(raw(name))
    }

    /// The property names in the order sqlitch writes them (Sqitch's order is that of a Perl
    /// hash, which varies from run to run).
    public static let settingNames = ["engine", "target", "uri", "plan_file", "registry", "client", "extension",
                                      "top_dir", "deploy_dir", "revert_dir", "verify_dir", "reworked_dir",
                                      "reworked_deploy_dir", "reworked_revert_dir", "reworked_verify_dir"]

    /// Sqitch's `config_params`: each property that was given (including empty values) as
    /// `<prefix>.<name>`, then each variable as `<prefix>.variables.<key>`.
    public func configParams(_ prefix: String) -> [(key: String, value: String)] {
        var params: [(key: String, value: String)] = []
        for name in TargetProperties.settingNames {
            if let raw = raw(name) { params.append((key: "\(prefix).\(name)", value: raw)) }
        }
        for variable in variables {
            params.append((key: "\(prefix).variables.\(variable.key)", value: variable.value))
        }
        return params
    }
}

/// The target a configuration command works on (Sqitch's `config_target`): a name, its URI
/// (none for an engineless project) and the settings the command's options override.
public struct ConfigTarget: Sendable {
    public var name: String
    public var uri: DatabaseURI?
    /// The canonical engine, nil for a URI without one (`db:`).
    public var engine: String?
    /// The paths, extension, registry and client.
    public var settings: TargetSettings

    public var topDir: String { settings.topDir }
    public var planFile: String { settings.planFile }
    public var deployDir: String { settings.deployDir }
    public var revertDir: String { settings.revertDir }
    public var verifyDir: String { settings.verifyDir }
    public var reworkedDir: String { settings.reworkedDir }
    public var reworkedDeployDir: String { settings.reworkedDeployDir }
    public var reworkedRevertDir: String { settings.reworkedRevertDir }
    public var reworkedVerifyDir: String { settings.reworkedVerifyDir }
    public var `extension`: String { settings.extension }
    public var registry: String { settings.registry }
    public var client: String { settings.client }

    /// The script directory named `deploy`, `revert`, `verify` (or `reworked_*`).
    func directory(_ name: String) -> String {
        switch name {
        case "deploy": return deployDir
        case "revert": return revertDir
        case "verify": return verifyDir
        case "reworked_deploy": return reworkedDeployDir
        case "reworked_revert": return reworkedRevertDir
        default: return reworkedVerifyDir
        }
    }
}

/// The shared work of `init`, `engine` and `target`: resolving the target the options
/// describe, creating script directories and writing the plan file.
public struct TargetConfigCommand {
    public let sqitch: Sqitch
    /// The command's name, as Sqitch names it in messages (`init`, `engine`, `target`).
    public let command: String
    public let properties: TargetProperties
    /// The configuration as read when the command started: Sqitch does not re-read what it
    /// writes, so targets resolved after writing still see the old settings.
    public let config: ConfigStack

    public init(sqitch: Sqitch, command: String, properties: TargetProperties) {
        self.sqitch = sqitch
        self.command = command
        self.properties = properties
        self.config = sqitch.config
    }

    /// The local configuration file: `$SQITCH_CONFIG` or `sqitch.conf`.
    public var localFile: String {
        sqitch.environment.nonEmpty("SQITCH_CONFIG") ?? "sqitch.conf"
    }

    /// A writer on the local configuration file.
    public var writer: ConfigWriter { ConfigWriter(path: localFile, files: sqitch.files) }

    /// Sqitch's `config_target`: the named target (or `--target`), else the engine's target,
    /// else the default target, with the command's options applied.
    public func configTarget(name givenName: String? = nil, uri givenURI: DatabaseURI? = nil,
                             engine givenEngine: String? = nil) throws -> ConfigTarget {
        if let name = Perl.truthy(givenName) ?? properties.value("target") {
            if let givenURI { return try resolve(name: name, uri: givenURI) }
            if !name.contains(":"), Perl.truthy(try config.get("target.\(name).uri")) == nil {
                let coreEngine = Perl.truthy(try config.get("core.engine"))
                guard let engine = Perl.truthy(givenEngine) ?? properties.value("engine") ?? coreEngine else {
                    throw TargetError("No engine specified; specify via target or core.engine")
                }
                return try resolve(name: name, uri: DatabaseURI("db:\(engine):"))
            }
            return try resolve(name: name, uri: nil)
        }
        if let engine = Perl.truthy(givenEngine) ?? properties.value("engine") {
            let engineTarget = Perl.truthy(try config.get("engine.\(engine).target"))
            let coreTarget = Perl.truthy(try config.get("core.target"))
            let name = engineTarget ?? coreTarget ?? "db:\(engine):"
            return try resolve(name: name, uri: nil)
        }
        return try resolve(name: nil, uri: nil, defaultTarget: true)
    }

    /// Sqitch's `default_target`: an engineless `db:` target when neither `core.engine` nor
    /// `core.target` is set.
    func defaultTarget() throws -> ConfigTarget {
        try resolve(name: nil, uri: nil, defaultTarget: true, applyProperties: false)
    }

    /// App::Sqitch::Target's resolution over the command's starting configuration.
    func resolve(name givenName: String?, uri givenURI: DatabaseURI?, defaultTarget: Bool = false,
                 applyProperties: Bool = true) throws -> ConfigTarget {
        var name: String
        var uri: DatabaseURI?
        if defaultTarget, Perl.truthy(try config.get("core.engine")) == nil,
           Perl.truthy(try config.get("core.target")) == nil {
            uri = DatabaseURI("db:")
            name = "db:"
        } else if let givenURI {
            uri = givenURI
            name = givenName ?? givenURI.withoutPassword.description
        } else {
            let target = try Target(config: config, environment: sqitch.environment, name: givenName)
            uri = target.uri
            name = target.name
        }
        let props = applyProperties ? properties : TargetProperties()
        var given: [String: String] = [:]
        for key in TargetProperties.settingNames where !["engine", "target", "uri"].contains(key) {
            if let value = props.value(key) { given[key] = value }
        }
        let engine = uri?.canonicalEngine
        let settings = try TargetSettings(config: config, name: name, engine: engine, given: given)
        return ConfigTarget(name: name, uri: uri, engine: engine, settings: settings)
    }

    /// Sqitch's `directories_for`: the script directories to create for `targets`, options
    /// first. With `--top-dir`, the script directories are always `<top>/deploy` and so on
    /// (Sqitch ignores `--dir deploy=...` there).
    public func directories(for targets: [ConfigTarget]) -> [String] {
        var result: [String] = []
        func add(_ dir: String) { if !result.contains(dir) { result.append(dir) } }
        let scripts = ["deploy", "revert", "verify"]
        for target in targets {
            if let top = properties.value("top_dir") {
                scripts.forEach { add(Target.join(top, $0)) }
            } else {
                scripts.forEach { add(properties.value("\($0)_dir") ?? target.directory($0)) }
            }
            if let reworked = properties.value("reworked_dir") ?? properties.value("top_dir") {
                scripts.forEach { add(properties.value("reworked_\($0)_dir") ?? Target.join(reworked, $0)) }
            } else {
                scripts.forEach {
                    add(properties.value("reworked_\($0)_dir") ?? target.directory("reworked_" + $0))
                }
            }
        }
        return result
    }

    /// Creates each missing directory (with its parents), reporting `Created <dir>/`.
    public func makeDirectories(_ dirs: [String]) throws {
        let files = sqitch.files
        for dir in dirs where !files.isDirectory(dir) {
            var probe = dir
            // Report the directory as given; fail like make_path on the first blocked parent.
            while !probe.isEmpty, probe != "." {
                if files.exists(probe), !files.isDirectory(probe) {
                    throw CommandError("Error creating \(probe): File exists")
                }
                guard let slash = probe.lastIndex(of: "/") else { break }
                probe = String(probe[..<slash])
            }
            try files.createDirectory(dir)
            sqitch.console.info("Created \(dir)/")
        }
    }

    /// Sqitch's `make_directories_for`.
    public func makeDirectories(for targets: [ConfigTarget]) throws {
        try makeDirectories(directories(for: targets))
    }

    /// Sqitch's `write_plan`: writes the plan file of `target` unless it already exists for
    /// the same project. Without a project, the project and URI come from the default
    /// target's plan or the target's own plan.
    public func writePlan(project givenProject: String? = nil, uri givenURI: String? = nil,
                          target: ConfigTarget) throws {
        var project = givenProject.flatMap(Perl.truthy)
        var uri = givenURI.flatMap(Perl.truthy)
        let file = target.planFile
        let files = sqitch.files
        if project == nil || uri == nil {
            func planAt(_ path: String) -> Plan? {
                guard files.isFile(path) else { return nil }
                return try? PlanParser.parse(text: files.readStrictText(path), file: path)
            }
            let defaultPlan = planAt(try defaultTarget().planFile)
            if let plan = defaultPlan, !plan.project.isEmpty {
                project = project ?? plan.project
                uri = uri ?? plan.uri
            } else if let plan = planAt(file), !plan.project.isEmpty {
                project = project ?? plan.project
                uri = uri ?? plan.uri
            } else if project == nil {
                throw CommandError("Missing %project pragma in \(file)")
            }
        }
        guard let project else { return }

        if files.exists(file) {
            guard files.isFile(file) else {
                throw CommandError("Cannot initialize because \(file) already exists and is not a file")
            }
            let existing: Plan
            do {
                existing = try PlanParser.parse(text: files.readStrictText(file), file: file)
                guard !existing.project.isEmpty else { throw PlanError("no project") }
            } catch {
                throw CommandError("Cannot initialize because \(file) already exists and is not a valid plan file")
            }
            if existing.project != project {
                throw CommandError("Cannot initialize because project \"\(existing.project)\" already initialized in \(file)")
            }
            return
        }

        if let slash = file.lastIndex(of: "/") {
            let dir = String(file[..<slash])
            if !dir.isEmpty, !files.isDirectory(dir) { try makeDirectories([dir]) }
        }
        var text = "%syntax-version=\(Plan.syntaxVersion)\n%project=\(project)\n"
        if let uri { text += "%uri=\(PlanIDs.canonicalURI(uri))\n" }
        text += "\n"
        try files.writeText(file, text)
        sqitch.console.info("Created \(file)")
    }

    /// Prints `describe`'s listing. The registry line needs the engine: for one Sqitch does
    /// not know, the listing stops after the first line and fails (fact sheet §12.10).
    /// Fails as `show` does for a target of an engine sqlitch does not know.
    static func checkEngine(_ target: Target) throws {
        guard Target.engines.contains(target.engine) else { throw EngineError("Unknown engine: \(target.engine)") }
    }

    public static func show(_ target: Target, heading: String, label: String, value: String, console: Console) throws {
        let lines = describe(target, heading: heading, label: label, value: value)
        guard Target.engines.contains(target.engine) else {
            lines.prefix(2).forEach { console.emit($0) }
            throw EngineError("Unknown engine: \(target.engine)")
        }
        lines.forEach { console.emit($0) }
    }

    /// One target or engine of a `--format json` listing or `show`: `name` and `uri` (and an
    /// engine's `target`), with every setting when `details`.
    static func item(_ target: Target, name: String, engineTarget: String? = nil, details: Bool)
        -> JSONOutput.ConfigItem {
        var item = JSONOutput.ConfigItem(name: name, uri: target.uri.description, target: engineTarget)
        guard details else { return item }
        item.registry = target.registry
        item.client = target.client
        item.topDir = target.topDir
        item.planFile = target.planFile
        item.extension = target.extension
        item.scriptDirs = .init(deploy: target.deployDir, revert: target.revertDir, verify: target.verifyDir,
                                reworked: .init(dir: target.reworkedDir, deploy: target.reworkedDeployDir,
                                                revert: target.reworkedRevertDir, verify: target.reworkedVerifyDir))
        item.variables = Dictionary(target.variables.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        return item
    }

    /// Fails unless the action lists or shows: JSON is only for those.
    static func checkJSON(_ json: Bool, action: String) throws {
        if json && action != "list" && action != "show" {
            throw CommandError("--format json is only available with the list and show actions")
        }
    }

    /// The `show` listing of one target or engine: `label` is `URI` or `Target`.
    public static func describe(_ target: Target, heading: String, label: String, value: String) -> [String] {
        let labels = [label, "Registry", "Client", "Top Directory", "Plan File", "Extension",
                      "  Revert", "  Deploy", "  Verify", "  Reworked"]
        let width = labels.map(\.count).max()!
        func line(_ label: String, _ value: String) -> String {
            "    " + label + ": " + String(repeating: " ", count: width - label.count) + value
        }
        var lines = ["* \(heading)",
                     line(label, value),
                     line("Registry", target.registry),
                     line("Client", target.client),
                     line("Top Directory", target.topDir),
                     line("Plan File", target.planFile),
                     line("Extension", target.extension),
                     "    Script Directories:",
                     line("  Deploy", target.deployDir),
                     line("  Revert", target.revertDir),
                     line("  Verify", target.verifyDir),
                     "    Reworked Script Directories:",
                     line("  Reworked", target.reworkedDir),
                     line("  Deploy", target.reworkedDeployDir),
                     line("  Revert", target.reworkedRevertDir),
                     line("  Verify", target.reworkedVerifyDir)]
        if target.variables.isEmpty {
            lines.append("    No Variables")
        } else {
            lines.append("    Variables:")
            let keyWidth = target.variables.map(\.name.count).max()!
            let sorted = target.variables.sorted { $0.name.lowercased() < $1.name.lowercased() }
            for variable in sorted {
                lines.append("  \(variable.name): " + String(repeating: " ", count: keyWidth - variable.name.count)
                             + variable.value)
            }
        }
        return lines
    }
}

/// The options of `engine`.
public struct EngineOptions: CommandOptionSet {
    public var settings = TargetConfigOptions()
    /// `--format text|json`, `--json` for the listings (sqlitch's addition).
    public var format: String?
    public var json = false
    public init() {}

    public static var grammar: CommandGrammar<EngineOptions> {
        CommandGrammar(SharedOptions.targetSettings([
            SharedOptions.verbose("list each engine's target too (before the action)"),
            .text("--target", \.target, "<target>", "the engine's default target", complete: .target),
        ]).map { $0.lifted(\.settings) } + JSONOutput.listingSpecs(format: \.format, json: \.json))
    }
}

/// The options of `init`: the settings it writes, and the project's URI.
public struct InitOptions: CommandOptionSet {
    public var settings = TargetConfigOptions()
    /// `--uri`: the URI naming the project in the plan.
    public var uri: String?
    public init() {}

    public static var grammar: CommandGrammar<InitOptions> {
        let settings = SharedOptions.targetSettings([
            .text("--engine", \.engine, "<engine>", "the database engine: sqlite, pg, mysql, ...", complete: .engine),
            .text("--target", \.target, "<target>", "the default target", complete: .target),
        ]).map { $0.lifted(\InitOptions.settings) }
        return CommandGrammar([.text("--uri", \.uri, "<uri>", "a URI identifying the project")] + settings)
    }
}

/// The options of `target`.
public struct TargetOptions: CommandOptionSet {
    public var settings = TargetConfigOptions()
    /// `--format text|json`, `--json` for the listings (sqlitch's addition).
    public var format: String?
    public var json = false
    public init() {}

    public static var grammar: CommandGrammar<TargetOptions> {
        CommandGrammar(SharedOptions.targetSettings([
            SharedOptions.verbose("list each target's URI too (before the action)"),
            .text("--uri", \.uri, "<uri>", "the target's database URI"),
        ]).map { $0.lifted(\.settings) } + JSONOutput.listingSpecs(format: \.format, json: \.json))
    }
}
