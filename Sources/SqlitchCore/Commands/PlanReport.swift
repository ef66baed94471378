import FoundationEssentials

/// The `plan` command: lists the plan's changes through the `log`/`plan` item formatter,
/// after merging the `[plan]` configuration section into the options as Sqitch does.
public struct PlanReport {
    /// The options as given on the command line (nil = not given).
    public struct Options: Sendable {
        public var target: String?
        public var event: String?
        public var changePattern: String?
        public var plannerPattern: String?
        public var format: String?
        public var dateFormat: String?
        public var maxCount: Int?
        public var skip: Int?
        public var reverse: Bool?
        public var color: String?
        public var noColor = false
        public var abbrev: Int?
        public var oneline = false
        public var headers: Bool?
        /// Whether standard output is a terminal (`--color auto`).
        public var outputIsTerminal = false
        public init() {}
    }

    public let target: String?
    public let event: String?
    public let changePattern: String?
    public let plannerPattern: String?
    public let maxCount: Int
    public let skip: Int
    public let reverse: Bool
    public let headers: Bool
    public let formatter: ItemFormatter
    /// One JSON document instead of the text (docs/JSON.md).
    public let json: Bool

    /// Sqitch's `configure` then the attribute checks of its constructor: date format,
    /// format, color (in that order), then the `[plan]` section merged under the options.
    public init(options given: Options, config: ConfigStack, environment: Environment) throws {
        let opt = given
        json = opt.format == "json"
        formatter = try ReportSettings.formatter(
            command: "plan", presets: ItemFormats.plan, format: json ? nil : opt.format, dateFormat: opt.dateFormat, color: opt.color,
            noColor: opt.noColor, abbrev: opt.abbrev, oneline: opt.oneline, outputIsTerminal: opt.outputIsTerminal,
            config: config, environment: environment)

        // Hash::Merge: the `[plan]` section fills what the options left unset, as raw strings.
        let section = ReportSettings.Section(config, command: "plan")
        func string(_ key: String) -> String? { section.string(key) }
        func int(_ key: String, _ given: Int?) throws -> Int? { try section.int(key, given) }
        func bool(_ key: String, _ given: Bool?, default def: Bool) throws -> Bool {
            try section.bool(key, given, default: def)
        }
        target = opt.target ?? string("target")
        event = opt.event ?? string("event")
        changePattern = opt.changePattern ?? string("change_pattern")
        plannerPattern = opt.plannerPattern ?? string("planner_pattern")
        maxCount = try int("max_count", opt.maxCount) ?? 0
        skip = try int("skip", opt.skip) ?? 0
        reverse = try bool("reverse", opt.reverse, default: false)
        headers = try bool("headers", opt.headers, default: true)
    }

    /// Runs the command over the positional arguments; returns the exit code.
    public func execute(_ sqitch: Sqitch, arguments: [String]) throws -> Int32 {
        // The parsed options decide (`-f json`, or `--json` then `--format raw`).
        sqitch.console.jsonErrors = json
        let plans = PlanCache(sqitch: sqitch)
        func plan(of target: Target) throws -> Plan { try plans.plan(of: target) }
        let parsed = try Target.parseArguments(sqitch: sqitch, command: "plan", arguments: arguments, target: target) {
            try plan(of: $0).contains($1)
        }
        guard let target = parsed.targets.first else {
            throw PlanError("No project configuration found. Run the \"init\" command to initialize a project")
        }
        if parsed.targets.count > 1 {
            sqitch.console.warn("Too many targets specified; using \(target.name)")
        }
        let plan = try plan(of: target)
        guard plan.count > 0 else {
            throw PlanError("No changes in \(plan.file)", exitCode: 1)
        }
        let changes = try plan.searchChanges(operation: event, name: changePattern, planner: plannerPattern,
                                             offset: skip, limit: maxCount, reverse: reverse)
        let console = sqitch.console
        if json {
            console.emit(JSONOutput.line(JSONOutput.PlanDocument(
                project: plan.project, uri: plan.uri, file: plan.file, changes: changes.map { .init($0) })))
            return 0
        }
        if headers {
            console.pageLiteral(ItemFormats.planHeader(project: plan.project, file: plan.file))
        }
        let wantsDeployFile = formatter.format.contains("F") || formatter.format.contains("deploy_file")
        var text = ""
        defer { console.pageLiteral(text) }
        for change in changes {
            var deployFile: String?
            if wantsDeployFile {
                deployFile = change.scriptPath(directory: target.deployDir, reworkedDirectory: target.reworkedDeployDir,
                                               reworkedDeployDirectory: target.reworkedDeployDir,
                                               extension: target.extension, files: sqitch.files)
            }
            text += try formatter.format(FormatItem(planChange: change, deployFile: deployFile))
            text += "\n"
            if text.utf8.count > 1 << 16 {
                console.pageLiteral(text)
                text = ""
            }
        }
        return 0
    }


    /// A command's section (`[plan]`, `[log]`, `[status]`) as GitLike's `get_section`
    /// returns it: names lower-cased, the highest scope's last value, nil for a bare name.
    static func section(_ config: ConfigStack, _ name: String = "plan") -> [String: String?] {
        var result: [String: String?] = [:]
        for item in config.merged {
            let parts = item.key.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name, !parts[1].contains(".") else { continue }
            result[String(parts[1])] = item.values.last ?? nil
        }
        return result
    }

    /// Type::Tiny's `Int`: optional sign, digits.
    public static func perlInt(_ raw: String) -> Int? {
        var digits = Substring(raw)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(raw)
    }
}
