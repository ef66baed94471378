/// What `plan` and `log` share when they configure themselves (Sqitch's `configure` in
/// Command/plan.pm and Command/log.pm): `--oneline`, then the date format, the format and
/// the color, each checked in that order, option before `<command>.*` configuration.
enum ReportSettings {
    /// The item formatter for `command` (`plan`, `log`) from its options and configuration.
    static func formatter(
        command: String, presets: [String: String], format givenFormat: String?, dateFormat givenDate: String?,
        color givenColor: String?, noColor: Bool, abbrev givenAbbrev: Int?, oneline: Bool,
        outputIsTerminal: Bool, config: ConfigStack, environment: Environment
    ) throws -> ItemFormatter {
        var format = givenFormat
        var abbrev = givenAbbrev
        if oneline {
            if Perl.truthy(format) == nil { format = "oneline" }
            if abbrev == nil { abbrev = 6 }
        }

        var dateFormat = "iso"
        if let chosen = try Perl.truthy(givenDate) ?? Perl.truthy(config.get("\(command).date_format")) {
            try DateFormatting.validate(chosen)
            dateFormat = chosen
        }

        var template = presets["medium"]!
        if let chosen = try Perl.truthy(format) ?? Perl.truthy(config.get("\(command).format")) {
            template = try ItemFormats.template(for: chosen, command: command)
        } else if let literal = format {
            // A false format ("" or "0") is kept as the template itself.
            template = literal
        }

        let color = try noColor ? "never" : Perl.truthy(givenColor) ?? Perl.truthy(config.get("\(command).color"))
        var useColor = outputIsTerminal
        if let color {
            switch color {
            case "always": useColor = true
            case "never": useColor = false
            case "auto": break
            default:
                throw CommandError("Value \"\(color)\" did not pass type constraint \"Enum[always,auto,never]\" (in $args->{\"color\"})")
            }
        }
        return ItemFormatter(format: template, dateFormat: dateFormat, abbrev: abbrev ?? 0, color: useColor,
                             dates: DateFormatting(environment: environment))
    }

    /// A command's configuration section merged under its options as Hash::Merge does: a
    /// value fills what the options left unset, checked against the attribute's type.
    struct Section {
        let command: String
        let values: [String: String?]

        init(_ config: ConfigStack, command: String) {
            self.command = command
            values = PlanReport.section(config, command)
        }

        func string(_ key: String) -> String? { values[key] ?? nil }

        func int(_ key: String, _ given: Int?) throws -> Int? {
            if let given { return given }
            guard let entry = values[key], let raw = entry else { return nil }
            guard let value = PlanReport.perlInt(raw) else {
                throw CommandError("Value \"\(raw)\" did not pass type constraint \"Int\" (in $args->{\"\(key)\"})")
            }
            return value
        }

        func bool(_ key: String, _ given: Bool?, default def: Bool) throws -> Bool {
            if let given { return given }
            guard let entry = values[key] else { return def }
            guard let raw = entry else { return false }
            switch raw {
            case "", "0": return false
            case "1": return true
            default:
                throw CommandError("Value \"\(raw)\" did not pass type constraint \"Bool\" (in $args->{\"\(key)\"})")
            }
        }
    }
}

/// The options `log` and `plan` share: paging and formatting.
public protocol ReportOptions {
    var format: String? { get set }
    var dateFormat: String? { get set }
    var maxCount: Int? { get set }
    var skip: Int? { get set }
    var reverse: Bool? { get set }
    var color: String? { get set }
    var noColor: Bool { get set }
    var abbrev: Int? { get set }
    var oneline: Bool { get set }
    var headers: Bool? { get set }
}

extension ReportOptions {
    /// `--max-count|-n`, `--skip`, `--reverse`.
    static var paging: [OptionSpec<Self>] {
        [
            .integer("-n --max-count", \.maxCount, "<count>", "show at most this many entries"),
            .integer("--skip", \.skip, "<count>", "skip this many entries first"),
            .toggle("--reverse", \.reverse, "oldest first", negated: "newest first (the default)"),
        ]
    }

    /// `--format`, `--date-format`, `--color`, `--abbrev`, `--oneline`, `--headers`.
    static func formatting(headers: String) -> [OptionSpec<Self>] {
        [
            .text("-f --format", \.format, "<format>", "raw, full, long, medium, short, oneline, format:<codes>, or json",
                  complete: .words(["raw", "full", "long", "medium", "short", "oneline", "json"])),
            OptionSpec("--json", kind: .flag, summary: "same as --format json") { options, _ in options.format = "json" },
            .text("--date-format --date", \.dateFormat, "<format>", "how to show dates (iso, rfc, cldr:..., strftime:...)",
                  complete: .words(["iso", "iso8601", "rfc", "rfc2822", "full", "long", "medium", "short", "raw"])),
            .text("--color", \.color, "<when>", "colour the output: always, never or auto",
                  complete: .words(["always", "never", "auto"])),
            .flag("--no-color", \.noColor, "never colour the output"),
            .integer("--abbrev", \.abbrev, "<length>", "shorten change IDs to this many characters"),
            .flag("--oneline", \.oneline, "the same as --format oneline --abbrev 6"),
            .toggle("--headers", \.headers, headers, negated: "omit the header"),
        ]
    }
}

extension LogAction.Options: ReportOptions, CommandOptionSet {
    public static var grammar: CommandGrammar<LogAction.Options> {
        CommandGrammar([
            OptionGroup("Search", [
                SharedOptions.target(\.target),
                OptionSpec("--event", kind: .value(integer: false, destination: .list), placeholder: "<event>",
                           summary: "only deploy, revert or fail events (repeatable)",
                           completion: .words(["deploy", "revert", "fail"])) { options, value in
                    if case .text(let event) = value { options.events = (options.events ?? []) + [event] }
                },
                .text("--change --change-pattern", \.changePattern, "<regex>", "only changes whose name matches"),
                .text("--project --project-pattern", \.projectPattern, "<regex>", "only projects whose name matches"),
                .text("--committer --committer-pattern", \.committerPattern, "<regex>",
                      "only events by matching committers"),
            ] + paging),
            OptionGroup("Formatting", formatting(headers: "print the database header")),
            OptionGroup("Connection", SharedOptions.connection(\.connection)),
        ])
    }
}

extension PlanReport.Options: ReportOptions, CommandOptionSet {
    public static var grammar: CommandGrammar<PlanReport.Options> {
        CommandGrammar([
            OptionGroup("Search", [
                SharedOptions.target(\.target, "the target whose plan to read"),
                .text("--event", \.event, "<event>", "only deploy or revert entries",
                      complete: .words(["deploy", "revert"])),
                .text("--change --change-pattern", \.changePattern, "<regex>", "only changes whose name matches"),
                .text("--planner --planner-pattern", \.plannerPattern, "<regex>", "only changes by matching planners"),
            ] + paging),
            OptionGroup("Formatting", formatting(headers: "print the project and plan file header")),
        ])
    }
}
