import FoundationEssentials

/// One row of the registry's `events` table: a change deployed, reverted or failed, as
/// `log` shows it (Sqitch's `search_events` rows).
public struct RegistryEvent: Sendable, Equatable {
    /// `deploy`, `revert` or `fail`.
    public var event: String
    public var project: String
    public var changeID: String
    public var change: String
    public var note: String
    /// Dependencies as the event recorded them (split on spaces, as Sqitch 1.6 reads them).
    public var requires: [String]
    public var conflicts: [String]
    /// Tags with their `@`.
    public var tags: [String]
    public var committerName: String
    public var committerEmail: String
    public var committedAt: Date
    public var plannerName: String
    public var plannerEmail: String
    public var plannedAt: Date

    public init(event: String, project: String, changeID: String, change: String, note: String = "",
                requires: [String] = [], conflicts: [String] = [], tags: [String] = [],
                committerName: String, committerEmail: String, committedAt: Date,
                plannerName: String, plannerEmail: String, plannedAt: Date) {
        self.event = event
        self.project = project
        self.changeID = changeID
        self.change = change
        self.note = note
        self.requires = requires
        self.conflicts = conflicts
        self.tags = tags
        self.committerName = committerName
        self.committerEmail = committerEmail
        self.committedAt = committedAt
        self.plannerName = plannerName
        self.plannerEmail = plannerEmail
        self.plannedAt = plannedAt
    }
}

/// A tag as the registry records it (Sqitch's `current_tags` rows).
public struct DeployedTag: Sendable, Equatable {
    public var id: String
    /// The tag name with its `@`.
    public var name: String
    public var committerName: String
    public var committerEmail: String
    public var committedAt: Date
    public var plannerName: String
    public var plannerEmail: String
    public var plannedAt: Date
}

/// The filters of an event search (Sqitch's `search_events` parameters). Patterns are
/// regular expressions matched by the database (`REGEXP`, `~`); nil means "any".
public struct EventSearch: Sendable, Equatable {
    /// Only these events (`deploy`, `revert`, `fail`); nil for all.
    public var events: [String]?
    public var change: String?
    public var project: String?
    public var committer: String?
    public var planner: String?
    /// At most this many rows; nil or 0 for all (a negative value is passed on as given).
    public var limit: Int?
    /// Skip this many rows; nil or 0 for none.
    public var offset: Int?
    /// Oldest first when true; newest first (the default) otherwise.
    public var ascending = false

    public init(events: [String]? = nil, change: String? = nil, project: String? = nil, committer: String? = nil,
                planner: String? = nil, limit: Int? = nil, offset: Int? = nil, ascending: Bool = false) {
        self.events = events
        self.change = change
        self.project = project
        self.committer = committer
        self.planner = planner
        self.limit = limit
        self.offset = offset
        self.ascending = ascending
    }
}

// MARK: - Reads for status and log

extension Registry {
    /// Sqitch's `_parse_array` for the space-joined lists SQLite and MySQL store: empty (or
    /// Perl-false `0`) text is no list; otherwise split on single spaces, dropping trailing
    /// empty fields as Perl's `split` does.
    public static func parseList(_ text: String?) -> [String] {
        guard let text = Perl.truthy(text) else { return [] }
        var fields = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        while fields.last?.isEmpty == true { fields.removeLast() }
        return fields
    }

    private static func date(_ value: DatabaseValue) -> Date {
        parseTimestamp(value.text) ?? Date(timeIntervalSince1970: 0)
    }

    /// The project's most recently deployed change, for `status` (Sqitch's `current_state`):
    /// as `currentState`, but a registry from before release 1.0 (no `script_hash` column) is
    /// read without the hash.
    public func statusState(project: String) throws -> DeployedChange? {
        do {
            return try currentState(project: project)
        } catch let error as EngineError where dialect.isNoColumnError(error) {
            let sql = """
                SELECT c.change_id, c.change, c.project, c.note, c.committer_name, c.committer_email, \
                \(dialect.timestampText("c.committed_at")) AS committed_at, c.planner_name, c.planner_email, \
                \(dialect.timestampText("c.planned_at")) AS planned_at, \(dialect.listAggregate("t.tag")) AS tags \
                FROM changes c LEFT JOIN tags t ON c.change_id = t.change_id WHERE c.project = ? \
                GROUP BY c.change_id, c.change, c.project, c.note, c.committer_name, c.committer_email, \
                c.committed_at, c.planner_name, c.planner_email, c.planned_at \
                ORDER BY c.committed_at DESC LIMIT 1
                """
            return try connection.query(sql, [.text(project)]).first.map { row in
                DeployedChange(
                    id: row["change_id"].text ?? "", name: row["change"].text ?? "",
                    project: row["project"].text ?? "", note: row["note"].text ?? "",
                    tags: dialect.listItems(row["tags"]), scriptHash: nil,
                    plannedAt: Registry.date(row["planned_at"]), plannerName: row["planner_name"].text ?? "",
                    plannerEmail: row["planner_email"].text ?? "", committedAt: Registry.date(row["committed_at"]),
                    committerName: row["committer_name"].text, committerEmail: row["committer_email"].text)
            }
        }
    }

    /// The project's deployed changes, newest first (Sqitch's `current_changes`); tags and
    /// notes are not read.
    public func currentChanges(project: String? = nil) throws -> [DeployedChange] {
        let project = project ?? self.project
        let sql = """
            SELECT c.change_id, c.script_hash, c.change, c.committer_name, c.committer_email, \
            \(dialect.timestampText("c.committed_at")) AS committed_at, c.planner_name, c.planner_email, \
            \(dialect.timestampText("c.planned_at")) AS planned_at \
            FROM changes c WHERE project = ? ORDER BY c.committed_at DESC
            """
        return try connection.query(sql, [.text(project)]).map { row in
            DeployedChange(
                id: row["change_id"].text ?? "", name: row["change"].text ?? "", project: project, note: "",
                tags: [], scriptHash: row["script_hash"].text, plannedAt: Registry.date(row["planned_at"]),
                plannerName: row["planner_name"].text ?? "", plannerEmail: row["planner_email"].text ?? "",
                committedAt: Registry.date(row["committed_at"]), committerName: row["committer_name"].text,
                committerEmail: row["committer_email"].text)
        }
    }

    /// The project's deployed tags, newest first (Sqitch's `current_tags`).
    public func currentTags(project: String? = nil) throws -> [DeployedTag] {
        let sql = """
            SELECT tag_id, tag, committer_name, committer_email, \
            \(dialect.timestampText("committed_at")) AS committed_at, planner_name, planner_email, \
            \(dialect.timestampText("planned_at")) AS planned_at \
            FROM tags WHERE project = ? ORDER BY tags.committed_at DESC
            """
        return try connection.query(sql, [.text(project ?? self.project)]).map { row in
            DeployedTag(
                id: row["tag_id"].text ?? "", name: row["tag"].text ?? "",
                committerName: row["committer_name"].text ?? "", committerEmail: row["committer_email"].text ?? "",
                committedAt: Registry.date(row["committed_at"]), plannerName: row["planner_name"].text ?? "",
                plannerEmail: row["planner_email"].text ?? "", plannedAt: Registry.date(row["planned_at"]))
        }
    }

    /// The SQL and parameters of an event search (Sqitch's `search_events`): one
    /// `column REGEXP ?` per pattern (committer, planner, change, project, in that order),
    /// `event IN (...)`, then `LIMIT ?`/`OFFSET ?` (with the dialect's default limit when
    /// only an offset is given).
    public func eventSearchQuery(_ search: EventSearch) -> (sql: String, parameters: [DatabaseValue]) {
        var wheres: [String] = []
        var parameters: [DatabaseValue] = []
        for (pattern, column) in [(search.committer, "e.committer_name"), (search.planner, "e.planner_name"),
                                  (search.change, "e.change"), (search.project, "e.project")] {
            guard let pattern else { continue }
            wheres.append("\(column) \(dialect.regexOperator) ?")
            parameters.append(.text(pattern))
        }
        if let events = search.events, !events.isEmpty {
            wheres.append("e.event IN (" + Array(repeating: "?", count: events.count).joined(separator: ", ") + ")")
            parameters += events.map { .text($0) }
        }
        var limits: [String] = []
        let limit = search.limit ?? 0
        let offset = search.offset ?? 0
        if limit != 0 {
            limits.append("LIMIT ?")
            parameters.append(.integer(Int64(limit)))
        }
        if offset != 0 {
            if limit == 0, let fallback = dialect.limitDefault {
                if let value = Int64(fallback) {
                    limits.append("LIMIT ?")
                    parameters.append(.integer(value))
                } else {
                    // Beyond a 64-bit signed integer (MySQL's 2^64-1): a dialect literal.
                    limits.append("LIMIT " + fallback)
                }
            }
            limits.append("OFFSET ?")
            parameters.append(.integer(Int64(offset)))
        }
        let sql = """
            SELECT e.event, e.project, e.change_id, e.change, e.note, e.requires, e.conflicts, e.tags, \
            e.committer_name, e.committer_email, \(dialect.timestampText("e.committed_at")) AS committed_at, \
            e.planner_name, e.planner_email, \(dialect.timestampText("e.planned_at")) AS planned_at \
            FROM events e
            """
            + (wheres.isEmpty ? "" : " WHERE " + wheres.joined(separator: " AND "))
            + " ORDER BY e.committed_at " + (search.ascending ? "ASC" : "DESC")
            + (limits.isEmpty ? "" : " " + limits.joined(separator: " "))
        return (sql, parameters)
    }

    /// Whether the registry holds any event (Sqitch asks `search_events` for the newest one,
    /// which sorts and formats them all).
    public func hasEvents() throws -> Bool {
        !(try connection.query("SELECT 1 FROM events LIMIT 1", [])).isEmpty
    }

    /// The events matching `search` (Sqitch's `search_events`), in any project.
    public func searchEvents(_ search: EventSearch = EventSearch()) throws -> [RegistryEvent] {
        let (sql, parameters) = eventSearchQuery(search)
        return try connection.query(sql, parameters).map { row in
            RegistryEvent(
                event: row["event"].text ?? "", project: row["project"].text ?? "",
                changeID: row["change_id"].text ?? "", change: row["change"].text ?? "", note: row["note"].text ?? "",
                requires: dialect.listItems(row["requires"]), conflicts: dialect.listItems(row["conflicts"]),
                tags: dialect.listItems(row["tags"]), committerName: row["committer_name"].text ?? "",
                committerEmail: row["committer_email"].text ?? "", committedAt: Registry.date(row["committed_at"]),
                plannerName: row["planner_name"].text ?? "", plannerEmail: row["planner_email"].text ?? "",
                plannedAt: Registry.date(row["planned_at"]))
        }
    }
}

extension FormatItem {
    /// The item `sqitch log` shows for a registry event.
    public init(event: RegistryEvent) {
        self.init(event: event.event, project: event.project, changeID: event.changeID, change: event.change,
                  note: event.note, requires: event.requires, conflicts: event.conflicts, tags: event.tags,
                  plannerName: event.plannerName, plannerEmail: event.plannerEmail, plannedAt: event.plannedAt,
                  committerName: event.committerName, committerEmail: event.committerEmail,
                  committedAt: event.committedAt, isPlanItem: false)
    }
}
