import FoundationEssentials

/// The text of `status`: the current state, the deployed changes and tags (each line is
/// shown as a `# ` comment), and the undeployed part of the plan.
public struct StatusReport: Sendable {
    public var dates: DateFormatting
    /// `--date-format`: a preset, `cldr:` or `strftime:` pattern.
    public var dateFormat: String

    public init(dates: DateFormatting, dateFormat: String = "iso") {
        self.dates = dates
        self.dateFormat = dateFormat
    }

    private func date(_ date: Date?) throws -> String {
        // DateTime's `as_string`: a false format ("" or "0") is `raw`.
        try dates.string(date ?? Date(timeIntervalSince1970: 0), format: dateFormat == "0" ? "" : dateFormat)
    }

    /// `Project:`, `Change:`, `Name:`, `Tag:`/`Tags:` (when tagged), `Deployed:`, `By:`.
    public func stateLines(_ state: DeployedChange) throws -> [String] {
        var lines = [
            "Project:  \(state.project)",
            "Change:   \(state.id)",
            "Name:     \(state.name)",
        ]
        if !state.tags.isEmpty {
            lines.append((state.tags.count == 1 ? "Tag:      " : "Tags:     ") + state.tags.joined(separator: ", "))
        }
        lines.append("Deployed: " + (try date(state.committedAt)))
        lines.append("By:       \(state.committerName ?? "") <\(state.committerEmail ?? "")>")
        return lines
    }

    /// `Change:`/`Changes:`, then `  name - date - committer <email>` per change, names
    /// padded to the longest.
    public func changeLines(_ changes: [DeployedChange]) throws -> [String] {
        let width = changes.map { StatusReport.length($0.name) }.max() ?? 0
        return [changes.count == 1 ? "Change:" : "Changes:"] + (try changes.map { change in
            try StatusReport.entry(change.name, width: width, date: date(change.committedAt),
                                   name: change.committerName ?? "", email: change.committerEmail ?? "")
        })
    }

    /// `Tag:`/`Tags:` and a line per tag like `changeLines`, or `Tags: None.`.
    public func tagLines(_ tags: [DeployedTag]) throws -> [String] {
        guard !tags.isEmpty else { return ["Tags: None."] }
        let width = tags.map { StatusReport.length($0.name) }.max() ?? 0
        return [tags.count == 1 ? "Tag:" : "Tags:"] + (try tags.map { tag in
            try StatusReport.entry(tag.name, width: width, date: date(tag.committedAt),
                                   name: tag.committerName, email: tag.committerEmail)
        })
    }

    /// `Nothing to deploy (up-to-date)` when the change at `index` is the plan's last, else
    /// `Undeployed change:`/`Undeployed changes:` and `  * name @tags` per later change.
    public static func undeployedLines(_ plan: Plan, after index: Int) -> [String] {
        let rest = plan.changes.dropFirst(index + 1)
        guard !rest.isEmpty else { return ["Nothing to deploy (up-to-date)"] }
        return [rest.count == 1 ? "Undeployed change:" : "Undeployed changes:"]
            + rest.map { "  * " + $0.formatNameWithTags }
    }

    static func entry(_ label: String, width: Int, date: String, name: String, email: String) -> String {
        "  " + label + String(repeating: " ", count: max(0, width - length(label))) + " - \(date) - \(name) <\(email)>"
    }

    /// Perl's `length` of decoded text: code points.
    static func length(_ text: String) -> Int { text.unicodeScalars.count }
}
