/// A change as the registry records it: one row of Sqitch's `deployed_changes`, with the
/// tags attached to it (each with its `@`) and the deploy script's hash when it was deployed.
public struct RegistryChange: Sendable, Equatable {
    public var id: String
    public var name: String
    public var project: String
    public var note: String
    /// `planned_at` as `year:YYYY:month:MM:day:DD:hour:HH:minute:MM:second:SS:time_zone:UTC`.
    public var plannedAt: String
    public var plannerName: String
    public var plannerEmail: String
    /// Tag names with their `@`, in the order the registry returned them.
    public var tags: [String]
    /// Nil for changes deployed before release 1.0 recorded hashes, or without a deploy file.
    public var scriptHash: String?

    public init(id: String, name: String, project: String, note: String = "", plannedAt: String = "",
                plannerName: String = "", plannerEmail: String = "", tags: [String] = [], scriptHash: String? = nil) {
        self.id = id
        self.name = name
        self.project = project
        self.note = note
        self.plannedAt = plannedAt
        self.plannerName = plannerName
        self.plannerEmail = plannerEmail
        self.tags = tags
        self.scriptHash = scriptHash
    }

    /// `name @tag1 @tag2`, as progress lines show a change.
    public var formatNameWithTags: String { ([name] + tags).joined(separator: " ") }
}

/// Read queries over one project's changes in the registry (Sqitch's `deployed_changes`,
/// `latest_change_id`, `change_id_for`, `change_id_offset_from_id`), built from an engine's
/// dialect. Values are always bound, never spliced into the SQL.
public struct RegistryChangeQueries {
    public let connection: RegistryConnection
    public let dialect: RegistryDialect
    /// The plan's project: every query is limited to it.
    public let project: String

    public init(connection: RegistryConnection, dialect: RegistryDialect, project: String) {
        self.connection = connection
        self.dialect = dialect
        self.project = project
    }

    /// The registry release recorded in `releases`, `0` when the table is missing
    /// (Sqitch's `registry_version`).
    public func registryVersion() throws -> RegistryRelease {
        do {
            let rows = try connection.query(dialect.versionQuery, [])
            guard let text = rows.first?[0].text else { return .none }
            return RegistryRelease(text) ?? .none
        } catch let error as SqitchError where dialect.isNoTableError(error) {
            return .none
        }
    }

    /// True when the registry's `changes` table exists.
    public func isInitialized() throws -> Bool {
        let rows = try connection.query(dialect.initializedQuery, [])
        return (rows.first?[0].integer ?? 0) != 0
    }

    /// The project's deployed changes, oldest first (by `committed_at`).
    public func deployedChanges() throws -> [RegistryChange] {
        let sql = """
            SELECT c.change_id, c.change, c.project, c.note, \(dialect.timestampText("c.planned_at")),
                   c.planner_name, c.planner_email, \(dialect.listAggregate("t.tag")), c.script_hash
              FROM changes c
              LEFT JOIN tags t ON c.change_id = t.change_id
             WHERE c.project = ?
             GROUP BY c.change_id, c.change, c.project, c.note, c.planned_at,
                   c.planner_name, c.planner_email, c.committed_at, c.script_hash
             ORDER BY c.committed_at ASC
            """
        return try connection.query(sql, [.text(project)]).map { row in
            let tags = row[7].text.map { $0.split(separator: " ").map(String.init) } ?? []
            return RegistryChange(
                id: row[0].text ?? "", name: row[1].text ?? "", project: row[2].text ?? "",
                note: row[3].text ?? "", plannedAt: row[4].text ?? "", plannerName: row[5].text ?? "",
                plannerEmail: row[6].text ?? "", tags: tags, scriptHash: row[8].text)
        }
    }

    /// The ID of the latest (`descending`) or earliest deployed change, skipping `offset`.
    public func edgeChangeID(descending: Bool, offset: Int = 0) throws -> String? {
        let sql = """
            SELECT change_id FROM changes WHERE project = ?
             ORDER BY committed_at \(descending ? "DESC" : "ASC") LIMIT 1 OFFSET ?
            """
        return try connection.query(sql, [.text(project), .integer(Int64(offset))]).first?[0].text
    }

    /// The latest deployed change's ID.
    public func latestChangeID() throws -> String? { try edgeChangeID(descending: true) }

    /// The ID of the change `offset` deployments after (positive) or before (negative) `id`.
    public func changeID(offset: Int, from id: String) throws -> String? {
        if offset == 0 { return id }
        let later = offset > 0
        let sql = """
            SELECT change_id FROM changes
             WHERE project = ?
               AND committed_at \(later ? ">" : "<") (SELECT committed_at FROM changes WHERE change_id = ?)
             ORDER BY committed_at \(later ? "ASC" : "DESC")
             LIMIT 1 OFFSET ?
            """
        return try connection.query(sql, [.text(project), .text(id), .integer(Int64(abs(offset) - 1))]).first?[0].text
    }

    /// Resolves a change reference against the registry (Sqitch's `change_id_for_key`):
    /// `name`, `name@tag`, `@tag`, an ID, `HEAD`/`ROOT`, each with an optional `^`/`~`
    /// offset. A name deployed more than once is ambiguous: the candidates are listed on
    /// standard error through `console` (`describe` gives each one's tag-qualified name) and
    /// `Change Lookup Failed` is thrown.
    public func changeID(forKey key: String, console: Console? = nil,
                         describe: (String) throws -> String = { $0 }) throws -> String? {
        let (base, offset) = Plan.splitOffset(key)
        let parts = base.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        let tag = parts.count > 1 ? parts[1] : ""
        let found: String?
        if !tag.isEmpty {
            found = try changeID(change: name.isEmpty ? nil : name, tag: tag, console: console, describe: describe)
        } else if RegistryChangeQueries.isChangeID(name) {
            found = try connection.query("SELECT change_id FROM changes WHERE change_id = ?", [.text(name)]).first?[0].text
        } else if name == "HEAD" || name == "ROOT" {
            found = try changeID(change: nil, tag: name, console: console, describe: describe)
        } else {
            found = try changeID(change: name.isEmpty ? nil : name, tag: nil, console: console, describe: describe)
        }
        guard let found else { return nil }
        return try changeID(offset: offset, from: found)
    }

    /// Sqitch's `change_id_for` with a change name and/or a tag name (without `@`).
    func changeID(change: String?, tag: String?, console: Console?, describe: (String) throws -> String) throws -> String? {
        if let change {
            if let tag {
                if tag == "ROOT" { return nil }
                if tag == "HEAD" {
                    let sql = "SELECT change_id FROM changes WHERE project = ? AND changes.change = ? ORDER BY committed_at DESC LIMIT 1"
                    return try connection.query(sql, [.text(project), .text(change)]).first?[0].text
                }
                let sql = """
                    SELECT changes.change_id FROM changes
                      JOIN tags ON changes.committed_at <= tags.committed_at AND changes.project = tags.project
                     WHERE changes.project = ? AND changes.change = ? AND tags.tag = ?
                     ORDER BY changes.committed_at DESC LIMIT 1
                    """
                return try connection.query(sql, [.text(project), .text(change), .text("@" + tag)]).first?[0].text
            }
            let sql = "SELECT change_id FROM changes WHERE project = ? AND changes.change = ? ORDER BY changes.committed_at ASC"
            let ids = try connection.query(sql, [.text(project), .text(change)]).compactMap { $0[0].text }
            if ids.count <= 1 { return ids.first }
            console?.vent("Change \"\(change)\" is ambiguous. Please specify a tag-qualified change:")
            for id in ids.reversed() { console?.vent("  * " + (try describe(id))) }
            throw SqitchError("engine", "Change Lookup Failed")
        }
        guard let tag else { return nil }
        if tag == "HEAD" { return try edgeChangeID(descending: true) }
        if tag == "ROOT" { return try edgeChangeID(descending: false) }
        return try connection.query("SELECT change_id FROM tags WHERE project = ? AND tag = ?",
                                    [.text(project), .text("@" + tag)]).first?[0].text
    }

    /// `name@tag` of a deployed change not found in the plan (Sqitch's `name_for_change_id`):
    /// the change's name and the first tag the registry finds on it or a later change, else `@HEAD`.
    public func nameForChangeID(_ id: String) throws -> String? {
        let sql = """
            SELECT c.change || COALESCE((
                SELECT tag FROM changes c2 JOIN tags ON c2.change_id = tags.change_id
                 WHERE c2.committed_at >= c.committed_at AND c2.project = c.project
                 LIMIT 1
            ), '@HEAD')
              FROM changes c
             WHERE change_id = ?
            """
        return try connection.query(sql, [.text(id)]).first?[0].text
    }

    /// True for a 40-digit lowercase hex string (a change or tag ID).
    static func isChangeID(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}
