import FoundationEssentials

/// The `log` command: lists the registry's events (deploys, reverts, failures) through the
/// `log`/`plan` item formatter, after merging the `[log]` configuration section into the
/// options as Sqitch does.
public struct LogAction {
    /// The options as given on the command line (nil = not given).
    public struct Options: Sendable {
        public var target: String?
        /// `--event`, repeatable.
        public var events: [String]?
        public var changePattern: String?
        public var projectPattern: String?
        public var committerPattern: String?
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
        /// `--registry`, `--client`, `--db-*`.
        public var connection = ConnectionOptions()
        /// Whether standard output is a terminal (`--color auto`).
        public var outputIsTerminal = false
        public init() {}
    }

    public let target: String?
    public let search: EventSearch
    public let headers: Bool
    public let formatter: ItemFormatter
    public let connection: ConnectionOptions
    /// JSON Lines, one event per line, instead of the text (docs/JSON.md).
    public let json: Bool

    /// Sqitch's `configure`: `--oneline`, the date format, the format and the color (each
    /// checked in that order), then the `[log]` section merged under the options.
    public init(options given: Options, config: ConfigStack, environment: Environment) throws {
        let opt = given
        json = opt.format == "json"
        formatter = try ReportSettings.formatter(
            command: "log", presets: ItemFormats.log, format: json ? nil : opt.format, dateFormat: opt.dateFormat, color: opt.color,
            noColor: opt.noColor, abbrev: opt.abbrev, oneline: opt.oneline, outputIsTerminal: opt.outputIsTerminal,
            config: config, environment: environment)

        // Hash::Merge: the `[log]` section fills what the options left unset, as raw strings.
        let section = ReportSettings.Section(config, command: "log")
        func string(_ key: String) -> String? { section.string(key) }
        func int(_ key: String, _ given: Int?) throws -> Int? { try section.int(key, given) }
        func bool(_ key: String, _ given: Bool?, default def: Bool) throws -> Bool {
            try section.bool(key, given, default: def)
        }
        var events = opt.events
        if events == nil, let entry = section.values["event"] {
            // A configured event is a string where Sqitch expects a list.
            throw CommandError("Value \"\(entry ?? "")\" did not pass type constraint \"ArrayRef\" (in $args->{\"event\"})")
        }
        if events?.isEmpty == true { events = nil }
        target = opt.target ?? string("target")
        search = EventSearch(
            events: events, change: opt.changePattern ?? string("change_pattern"),
            project: opt.projectPattern ?? string("project_pattern"),
            committer: opt.committerPattern ?? string("committer_pattern"),
            limit: try int("max_count", opt.maxCount), offset: try int("skip", opt.skip),
            ascending: try bool("reverse", opt.reverse, default: false))
        headers = try bool("headers", opt.headers, default: true)
        var connection = opt.connection
        connection.target = target
        self.connection = connection
    }

    /// Runs the command over the positional arguments (targets; changes are accepted and
    /// ignored, as in Sqitch); returns the exit code.
    public func execute(_ sqitch: Sqitch, arguments: [String]) throws -> Int32 {
        // The parsed options decide (`-f json`, or `--json` then `--format raw`).
        sqitch.console.jsonErrors = json
        let session = try EngineSession.connect(sqitch: sqitch, command: "log", arguments: arguments, options: connection)
            .session
        session.releasePlan()
        let engine = session.engine
        guard try engine.registryExists() else {
            throw CommandError("Database \(engine.registryDestination) has not been initialized for Sqitch", exitCode: 1)
        }
        let registry = try Registry(engine: engine, project: "")
        guard try registry.hasEvents() else {
            throw CommandError("No events logged for \(engine.destination)", exitCode: 1)
        }
        let events = try registry.searchEvents(search)
        let console = sqitch.console
        if json {
            var lines = ""
            for event in events {
                lines += JSONOutput.line(JSONOutput.EventDocument(event)) + "\n"
                if lines.utf8.count > 1 << 16 {
                    console.emitLiteral(lines)
                    lines = ""
                }
            }
            console.emitLiteral(lines)
            return 0
        }
        if headers { console.page("On database \(engine.destination)") }
        var text = ""
        defer { console.pageLiteral(text) }
        for event in events {
            text += try formatter.format(FormatItem(event: event)) + "\n"
            if text.utf8.count > 1 << 16 {
                console.pageLiteral(text)
                text = ""
            }
        }
        return 0
    }
}
