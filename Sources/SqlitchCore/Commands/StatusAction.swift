import FoundationEssentials

/// The `status` command: the target's most recently deployed change, optionally the
/// deployed changes and tags, and how the registry compares with the plan.
public struct StatusAction {
    /// The options as given on the command line (nil = not given).
    public struct Options: Sendable {
        public var target: String?
        public var project: String?
        public var showChanges: Bool?
        public var showTags: Bool?
        public var dateFormat: String?
        /// `--format text|json`, `--json` (sqlitch's addition).
        public var format: String?
        public var json = false
        /// `--registry`, `--client`, `--db-*`, `--plan-file`, `--top-dir`.
        public var connection = ConnectionOptions()
        public init() {}
    }

    public let project: String?
    public let showChanges: Bool
    public let showTags: Bool
    public let dateFormat: String
    public let connection: ConnectionOptions
    /// One JSON document instead of the text (docs/JSON.md).
    public let json: Bool

    /// Sqitch's `configure`: the date format is checked, `status.show_changes` and
    /// `status.show_tags` fill the flags, then the `[status]` section fills the rest.
    public init(options opt: Options, config: ConfigStack) throws {
        json = try JSONOutput.isJSON(format: opt.format, json: opt.json, command: "status")
        if let chosen = try Perl.truthy(opt.dateFormat) ?? Perl.truthy(config.get("status.date_format")) {
            try DateFormatting.validate(chosen)
        }
        showChanges = try opt.showChanges ?? StatusAction.bool(config, "status.show_changes") ?? false
        showTags = try opt.showTags ?? StatusAction.bool(config, "status.show_tags") ?? false
        let section = PlanReport.section(config, "status")
        func string(_ key: String) -> String? { section[key] ?? nil }
        dateFormat = opt.dateFormat ?? string("date_format") ?? "iso"
        project = opt.project ?? string("project")
        var connection = opt.connection
        connection.target = opt.target ?? string("target")
        self.connection = connection
    }

    /// Config::GitLike's boolean cast: `true`/`yes`/`on`/`1` (leading zeros and a minus
    /// allowed), `false`/`no`/`off`/zeros/empty; anything else is `Invalid bool '{value}'`.
    static func bool(_ config: ConfigStack, _ key: String) throws -> Bool? {
        guard let raw = try config.get(key) else { return nil }
        let word = raw.lowercased()
        if ["true", "yes", "on"].contains(word) { return true }
        if ["false", "no", "off"].contains(word) || word.allSatisfy({ $0 == "0" }) { return false }
        let digits = word.hasPrefix("-") ? word.dropFirst() : Substring(word)
        if digits.hasSuffix("1"), digits.dropLast().allSatisfy({ $0 == "0" }) { return true }
        throw ConfigError("Invalid bool '\(raw)'")
    }

    /// Runs the command over the positional arguments; returns the exit code.
    public func execute(_ sqitch: Sqitch, arguments: [String]) throws -> Int32 {
        // The parsed options decide (`-f json`, or `--json` then `--format raw`).
        sqitch.console.jsonErrors = json
        let session = try EngineSession.connect(sqitch: sqitch, command: "status", arguments: arguments,
                                                options: connection).session
        let engine = session.engine
        let console = sqitch.console
        if !json { console.comment("On database \(engine.destination)") }

        var state: DeployedChange?
        let project: String
        do {
            project = try self.project ?? projectFromPlanOrRegistry(session)
            do {
                let registry = try Registry(engine: engine, project: project)
                state = try registry.statusState(project: project)
            } catch let error as EngineError where engine.dialect.isNoTableError(error) {
                // As Sqitch's `current_state`: a registry that is not there (MySQL's
                // registry database, missing when connecting) means nothing deployed.
                if try engine.registryExists() { throw error }
                state = nil
            }
        } catch let error as PlanError where error.reason == .syntax {
            throw error
        } catch let error as IOError {
            throw error
        } catch {
            if try engine.registryExists() { throw error }
            throw EngineError("Database \(engine.registryDestination) has not been initialized for Sqitch")
        }
        guard let state else { throw EngineError("No changes deployed", exitCode: 1) }
        if json { return try emitJSON(sqitch, session: session, project: project, state: state) }

        let report = StatusReport(dates: DateFormatting(environment: sqitch.environment), dateFormat: dateFormat)
        for line in try report.stateLines(state) { console.comment(line) }
        let registry = try Registry(engine: engine, project: project)
        if showChanges {
            let changes = try registry.currentChanges(project: project)
            for line in [""] + (try report.changeLines(changes)) { console.comment(line) }
        }
        if showTags {
            let tags = try registry.currentTags(project: project)
            for line in [""] + (try report.tagLines(tags)) { console.comment(line) }
        }

        guard let plan = try? session.plan(), plan.project == project else {
            console.comment("")
            console.emit("Status unknown. Use --plan-file to assess \"\(project)\" status")
            return 0
        }
        console.comment("")
        guard let index = try plan.index(of: state.id) else {
            console.vent("Cannot find this change in \(session.target.planFile)")
            throw EngineError("Make sure you are connected to the proper database for this project.")
        }
        for line in StatusReport.undeployedLines(plan, after: index) { console.emit(line) }
        return 0
    }

    /// The JSON document of a status (docs/JSON.md): the same facts as the text, and the
    /// same failures with the same exit codes.
    func emitJSON(_ sqitch: Sqitch, session: EngineSession, project: String, state: DeployedChange) throws -> Int32 {
        let registry = try Registry(engine: session.engine, project: project)
        var document = JSONOutput.StatusDocument(
            database: session.engine.destination, project: project, current: .init(state), planKnown: false)
        if showChanges { document.changes = try registry.currentChanges(project: project).map { .init($0, withNoteAndTags: false) } }
        if showTags { document.tags = try registry.currentTags(project: project).map { .init($0) } }
        if let plan = try? session.plan(), plan.project == project {
            guard let index = try plan.index(of: state.id) else {
                throw EngineError("Cannot find this change in \(session.target.planFile)\n"
                    + "Make sure you are connected to the proper database for this project.")
            }
            let rest = plan.changes.dropFirst(index + 1)
            document.planKnown = true
            document.upToDate = rest.isEmpty
            document.undeployed = rest.map { .init($0) }
        }
        sqitch.console.emit(JSONOutput.line(document))
        return 0
    }

    /// Sqitch's default project: the plan's; without a readable plan, the only project in
    /// the registry. Parse and I/O errors of the plan pass through.
    func projectFromPlanOrRegistry(_ session: EngineSession) throws -> String {
        do {
            return try session.plan().project
        } catch let error as PlanError where error.reason == .syntax {
            throw error
        } catch let error as IOError {
            throw error
        } catch {
            let engine = session.engine
            guard try engine.registryExists() else {
                throw EngineError("Database not initialized for Sqitch")
            }
            let registry = try Registry(engine: engine, project: "")
            let projects = try registry.registeredProjects()
            guard let first = projects.first else { throw EngineError("No projects registered") }
            if projects.count > 1 {
                throw EngineError("Use --project to select which project to query: \(projects.joined(separator: ", "))")
            }
            return first
        }
    }
}

extension StatusAction.Options: CommandOptionSet {
    public static var grammar: CommandGrammar<StatusAction.Options> {
        CommandGrammar([
            SharedOptions.target(\.target),
            .text("--project", \.project, "<project>", "the project to report on"),
            OptionSpec("--show-changes", kind: .flag, summary: "list the deployed changes") { options, _ in
                options.showChanges = true
            },
            OptionSpec("--show-tags", kind: .flag, summary: "list the applied tags") { options, _ in
                options.showTags = true
            },
            .text("--date-format --date", \.dateFormat, "<format>", "how to show dates"),
            .text("--format", \.format, "<format>", "text (the default) or json"),
            .flag("--json", \.json, "same as --format json"),
        ] + SharedOptions.connection(\.connection) + SharedOptions.context(\.connection))
    }
}
