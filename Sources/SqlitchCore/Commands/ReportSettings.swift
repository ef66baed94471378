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
            if PlanReport.nonEmpty(format) == nil { format = "oneline" }
            if abbrev == nil { abbrev = 6 }
        }

        var dateFormat = "iso"
        if let chosen = try PlanReport.nonEmpty(givenDate) ?? PlanReport.nonEmpty(config.get("\(command).date_format")) {
            try DateFormatting.validate(chosen)
            dateFormat = chosen
        }

        var template = presets["medium"]!
        if let chosen = try PlanReport.nonEmpty(format) ?? PlanReport.nonEmpty(config.get("\(command).format")) {
            template = try ItemFormats.template(for: chosen, command: command)
        } else if let literal = format {
            // A false format ("" or "0") is kept as the template itself.
            template = literal
        }

        let color = try noColor ? "never" : PlanReport.nonEmpty(givenColor) ?? PlanReport.nonEmpty(config.get("\(command).color"))
        var useColor = outputIsTerminal
        if let color {
            switch color {
            case "always": useColor = true
            case "never": useColor = false
            case "auto": break
            default:
                throw SqitchError(command, "Value \"\(color)\" did not pass type constraint \"Enum[always,auto,never]\" (in $args->{\"color\"})")
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
                throw SqitchError(command, "Value \"\(raw)\" did not pass type constraint \"Int\" (in $args->{\"\(key)\"})")
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
                throw SqitchError(command, "Value \"\(raw)\" did not pass type constraint \"Bool\" (in $args->{\"\(key)\"})")
            }
        }
    }
}
