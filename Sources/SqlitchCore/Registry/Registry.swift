import FoundationEssentials
import Glibc

/// The Sqitch registry of one project, over an engine's bookkeeping connection and SQL
/// dialect: the reads the engine algorithms (and `status`, `log`, `verify`, `check`) need,
/// and the writes of a deploy, a failure and a revert, as Sqitch's `Role/DBIEngine.pm`
/// issues them. Every value is bound; only dialect fragments are spliced into the SQL.
public struct Registry {
    public let connection: RegistryConnection
    public let dialect: RegistryDialect
    /// The plan's project: the default project of every query.
    public let project: String
    /// The registry's name (`--registry`): PostgreSQL's schema; SQLite's file and MySQL's
    /// database are reached by the connection itself.
    public let name: String

    public init(connection: RegistryConnection, dialect: RegistryDialect, project: String, name: String = "sqitch") {
        self.connection = connection
        self.dialect = dialect
        self.project = project
        self.name = name
    }

    /// The registry of `engine`'s target, over its bookkeeping connection.
    public init(engine: Engine, project: String) throws {
        self.init(connection: try engine.registry(), dialect: engine.dialect, project: project,
                  name: engine.target.registry)
    }

    /// `script` (a registry creation or upgrade script for the client) that also records
    /// `record` in `table`: the `INSERT` goes before the script's final `COMMIT`, or at its
    /// end, with its values written as string literals by `literal` (`Registry.literal` by
    /// default). A run killed while the client runs the script then
    /// leaves the schema and its release together, or neither (where DDL is transactional);
    /// recorded afterwards, a kill between the two would leave a registry every later run
    /// fails to upgrade.
    public static func script(_ script: String, recording record: ReleaseRecord, table: String,
                              dialect: RegistryDialect,
                              literal: (String) -> String = { Registry.literal($0) }) -> String {
        let statement = "INSERT INTO \(table) (version, installed_at, installer_name, installer_email) VALUES ("
            + "\(record.release.text), \(dialect.timestampDefault), \(literal(record.name)), \(literal(record.email)));\n"
        if let commit = script.lastRange(of: "COMMIT;") {
            return script[..<commit.lowerBound] + statement + script[commit.lowerBound...]
        }
        return script + (script.hasSuffix("\n") || script.isEmpty ? "" : "\n") + statement
    }

    /// `text` as an SQL string literal: quotes doubled, and with `backslashEscapes` (where a
    /// backslash in a literal escapes, as in MySQL's and PostgreSQL's `E''`) backslashes too.
    public static func literal(_ text: String, backslashEscapes: Bool = false) -> String {
        var quoted = text.replacingEvery("'", with: "''")
        if backslashEscapes { quoted = quoted.replacingEvery("\\", with: "\\\\") }
        return "'" + quoted + "'"
    }

    /// Records that the registry is now at `release`, installed by `name` <`email`>,
    /// in its own transaction (Sqitch's `_register_release`).
    public static func recordRelease(
        _ release: RegistryRelease, installerName name: String, installerEmail email: String,
        connection: RegistryConnection, dialect: RegistryDialect
    ) throws {
        try connection.begin()
        do {
            try connection.run(
                "INSERT INTO releases (version, installed_at, installer_name, installer_email) VALUES (?, "
                    + dialect.timestampDefault + ", ?, ?)",
                [.text(release.text), .text(name), .text(email)])
            try connection.commit()
        } catch {
            try? connection.rollback()
            throw error
        }
    }

    /// Runs `body` in one bookkeeping transaction: committed when it returns, rolled back
    /// when it throws.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try connection.begin()
        do {
            let value = try body()
            try connection.commit()
            return value
        } catch {
            try? connection.rollback()
            throw error
        }
    }
}

/// A change as the registry records it (Sqitch's hash from `deployed_changes`,
/// `load_change` and `current_state`).
public struct DeployedChange: Sendable, Equatable {
    public var id: String
    public var name: String
    public var project: String
    public var note: String
    /// Tags on the change, with their `@`, in registry order.
    public var tags: [String]
    public var scriptHash: String?
    /// False when the registry predates the `script_hash` column (release 1.0).
    public var hasScriptHash = true
    /// `planned_at`, as stored (seconds precision).
    public var plannedAt: Date
    public var plannerName: String
    public var plannerEmail: String
    /// `committed_at` (seconds precision; filled by `currentState` and `deployedChanges`).
    public var committedAt: Date?
    public var committerName: String?
    public var committerEmail: String?

    /// `name @tag1 @tag2`, as progress lines show a deployed change.
    public var formatNameWithTags: String { ([name] + tags).joined(separator: " ") }
}

/// A deployed change that requires another (Sqitch's `changes_requiring_change`).
public struct RequiringChange: Sendable, Equatable {
    public var changeID: String
    public var project: String
    public var change: String
    /// The first tag at or after the requiring change, if any (`@v1.0`).
    public var asofTag: String?
}

// MARK: - Reads

extension Registry {
    /// Parses `year:YYYY:month:MM:day:DD:hour:HH:minute:MM:second:SS:time_zone:UTC` (the
    /// dialect's `timestampText`) into a date.
    public static func parseTimestamp(_ text: String?) -> Date? {
        guard let text else { return nil }
        // `name:value` pairs read in one pass over the bytes (a `log` reads two per row).
        var year: Int?, month: Int?, day: Int?, hour = 0, minute = 0, second = 0
        var name: [UInt8] = []
        var number: Int?
        var readingValue = false
        var sawDigit = false
        func finish() {
            let value = sawDigit ? number : nil
            // Names are short: the String stays inline, without an allocation.
            switch String(decoding: name, as: UTF8.self) {
            case "year": year = value
            case "month": month = value
            case "day": day = value
            case "hour": hour = value ?? 0
            case "minute": minute = value ?? 0
            case "second": second = value ?? 0
            default: break
            }
        }
        for byte in text.utf8 {
            if byte == UInt8(ascii: ":") {
                if readingValue { finish() }
                if !readingValue { number = 0; sawDigit = false } else { name.removeAll(keepingCapacity: true) }
                readingValue.toggle()
            } else if readingValue {
                if byte >= 0x30 && byte <= 0x39, let n = number {
                    number = n * 10 + Int(byte - 0x30)
                    sawDigit = true
                } else {
                    number = nil
                }
            } else {
                name.append(byte)
            }
        }
        if readingValue { finish() }
        guard let year, let month, let day, (1...12).contains(month) else { return nil }
        let seconds = PlanText.epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private var changeColumns: String {
        """
        c.change_id AS id, c.change AS name, c.project, c.note, \(dialect.timestampText("c.planned_at")) AS planned_at, \
        c.planner_name, c.planner_email, \(dialect.listAggregate("t.tag")) AS tags, c.script_hash, \
        \(dialect.timestampText("c.committed_at")) AS committed_at, c.committer_name, c.committer_email
        """
    }

    private var changeGrouping: String {
        """
        GROUP BY c.change_id, c.change, c.project, c.note, c.planned_at, c.planner_name, c.planner_email, \
        c.committed_at, c.script_hash, c.committer_name, c.committer_email
        """
    }

    private func change(from row: DatabaseRow) -> DeployedChange {
        let tags = dialect.listItems(row["tags"])
        return DeployedChange(
            id: row["id"].text ?? "", name: row["name"].text ?? "", project: row["project"].text ?? "",
            note: row["note"].text ?? "", tags: tags, scriptHash: row["script_hash"].text,
            plannedAt: Registry.parseTimestamp(row["planned_at"].text) ?? Date(timeIntervalSince1970: 0),
            plannerName: row["planner_name"].text ?? "", plannerEmail: row["planner_email"].text ?? "",
            committedAt: Registry.parseTimestamp(row["committed_at"].text),
            committerName: row["committer_name"].text, committerEmail: row["committer_email"].text)
    }

    /// True when the registry's `changes` table exists (Sqitch's `initialized`).
    public func isInitialized() throws -> Bool {
        let query = dialect.initializedQuery(registry: name)
        return Registry.isTrue(try connection.query(query.sql, query.parameters).first?[0])
    }

    /// A database boolean as Perl reads it: SQLite's `1`, PostgreSQL's `t`.
    public static func isTrue(_ value: DatabaseValue?) -> Bool {
        guard let value else { return false }
        if let number = value.integer { return number != 0 }
        guard let text = value.text else { return false }
        return !(text.isEmpty || text == "0" || text == "f" || text == "false")
    }

    /// Runs a read that fails when the registry does not exist yet: nil in that case.
    private func unlessMissing<T>(_ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch let error as EngineError where dialect.isNoTableError(error) {
            if try !isInitialized() { return nil }
            throw error
        }
    }

    /// The project's most recently deployed change (Sqitch's `current_state`), or nil when
    /// nothing is deployed or there is no registry.
    /// A registry made before release 1.0 has no `script_hash` column: the state is then
    /// read without it and `hasScriptHash` is false.
    public func currentState(project: String? = nil) throws -> DeployedChange? {
        func select(withHash: Bool) throws -> DeployedChange? {
            let columns = withHash ? changeColumns : changeColumns.replacingEvery("c.script_hash, ", with: "")
            let grouping = withHash ? changeGrouping : changeGrouping.replacingEvery("c.script_hash, ", with: "")
            // Sqitch groups every change of the project, then keeps the newest; the same
            // newest rows (ties included) are found first here, so that only they are grouped
            // and formatted: on 1,000 changes the server's work drops from about 6 ms to 1.
            let name = project ?? self.project
            return try connection.query(
                "SELECT \(columns) FROM changes c LEFT JOIN tags t ON c.change_id = t.change_id "
                    + "WHERE c.project = ? AND c.committed_at = (SELECT MAX(committed_at) FROM changes WHERE project = ?) "
                    + "\(grouping) ORDER BY c.committed_at DESC LIMIT 1",
                [.text(name), .text(name)]
            ).first.map(change(from:))
        }
        do {
            return try unlessMissing { try select(withHash: true) } ?? nil
        } catch let error as EngineError where dialect.isNoColumnError(error) {
            guard var state = try select(withHash: false) else { return nil }
            state.hasScriptHash = false
            return state
        }
    }

    /// The project's deployed changes, oldest first (Sqitch's `deployed_changes`); none
    /// without a registry, unless `requireRegistry`, where the database's own error
    /// (`no such table: changes`) is raised as Sqitch raises it.
    public func deployedChanges(project: String? = nil, requireRegistry: Bool = false) throws -> [DeployedChange] {
        let select = {
            try connection.query(
                "SELECT \(changeColumns) FROM changes c LEFT JOIN tags t ON c.change_id = t.change_id "
                    + "WHERE c.project = ? \(changeGrouping) ORDER BY c.committed_at ASC",
                [.text(project ?? self.project)]
            ).map(change(from:))
        }
        if requireRegistry { return try select() }
        return try unlessMissing(select) ?? []
    }

    /// The changes deployed after the change `id`, oldest first (`deployed_changes_since`).
    public func deployedChanges(since id: String) throws -> [DeployedChange] {
        try connection.query(
            "SELECT \(changeColumns) FROM changes c LEFT JOIN tags t ON c.change_id = t.change_id "
                + "WHERE c.project = ? AND c.committed_at > (SELECT committed_at FROM changes WHERE change_id = ?) "
                + "\(changeGrouping) ORDER BY c.committed_at ASC",
            [.text(project), .text(id)]
        ).map(change(from:))
    }

    /// One deployed change by ID (`load_change`).
    public func loadChange(id: String) throws -> DeployedChange? {
        try connection.query(
            "SELECT \(changeColumns) FROM changes c LEFT JOIN tags t ON c.change_id = t.change_id "
                + "WHERE c.change_id = ? \(changeGrouping)",
            [.text(id)]
        ).first.map(change(from:))
    }

    /// The deployed change `offset` places after (positive) or before (negative) `id` in
    /// deploy order (`change_offset_from_id`); the change itself for offset 0.
    public func change(offset: Int, from id: String) throws -> DeployedChange? {
        guard offset != 0 else { return try loadChange(id: id) }
        let (direction, op) = offset > 0 ? ("ASC", ">") : ("DESC", "<")
        return try connection.query(
            "SELECT \(changeColumns) FROM changes c LEFT JOIN tags t ON c.change_id = t.change_id "
                + "WHERE c.project = ? AND c.committed_at \(op) (SELECT committed_at FROM changes WHERE change_id = ?) "
                + "\(changeGrouping) ORDER BY c.committed_at \(direction) LIMIT 1 OFFSET \(abs(offset) - 1)",
            [.text(project), .text(id)]
        ).first.map(change(from:))
    }

    /// The ID `offset` deployed changes away from `id` (`change_id_offset_from_id`).
    public func changeID(offset: Int, from id: String) throws -> String? {
        guard offset != 0 else { return id }
        let (direction, op) = offset > 0 ? ("ASC", ">") : ("DESC", "<")
        return try connection.query(
            "SELECT change_id FROM changes WHERE project = ? AND committed_at \(op) "
                + "(SELECT committed_at FROM changes WHERE change_id = ?) ORDER BY committed_at \(direction) "
                + "LIMIT 1 OFFSET \(abs(offset) - 1)",
            [.text(project), .text(id)]
        ).first?[0].text
    }

    /// The ID of the project's latest (`latest: true`) or earliest deployed change, skipping
    /// `offset` changes (`latest_change_id`, `earliest_change_id`).
    public func changeID(latest: Bool, offset: Int = 0, project: String? = nil) throws -> String? {
        try unlessMissing {
            try connection.query(
                "SELECT change_id FROM changes WHERE project = ? ORDER BY committed_at \(latest ? "DESC" : "ASC") "
                    + "LIMIT 1 OFFSET ?",
                [.text(project ?? self.project), .integer(Int64(offset))]
            ).first?[0].text
        } ?? nil
    }

    /// True when a change with this ID is deployed (`is_deployed_change`).
    public func isDeployed(changeID: String) throws -> Bool {
        !(try connection.query("SELECT change_id FROM changes WHERE change_id = ?", [.text(changeID)]).isEmpty)
    }

    /// True when a tag with this ID is deployed (`is_deployed_tag`).
    public func isDeployed(tagID: String) throws -> Bool {
        !(try connection.query("SELECT tag_id FROM tags WHERE tag_id = ?", [.text(tagID)]).isEmpty)
    }

    /// Which of `ids` are deployed (`are_deployed_changes`), in registry order.
    public func deployedIDs(among ids: [String]) throws -> [String] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try connection.query(
            "SELECT change_id FROM changes WHERE change_id IN (\(marks))", ids.map { .text($0) }
        ).compactMap { $0[0].text }
    }

    /// The ID a reference finds in the registry (Sqitch's `change_id_for`): by `changeID`;
    /// by `change` and `tag` (`HEAD` = latest instance, `ROOT` = none, else the latest
    /// instance deployed before the tag); by `change` alone (earliest instance when `first`,
    /// else the only one, listing the candidates through `ambiguous` and failing when there
    /// are several); by `tag` alone (`HEAD`/`ROOT` = latest/earliest change).
    public func changeID(
        changeID: String? = nil, change: String? = nil, tag: String? = nil, project: String? = nil,
        first: Bool = false, ambiguous: (([String]) throws -> Never)? = nil
    ) throws -> String? {
        if let changeID, !changeID.isEmpty {
            return try connection.query("SELECT change_id FROM changes WHERE change_id = ?", [.text(changeID)])
                .first?[0].text
        }
        let project = (project?.isEmpty == false ? project : nil) ?? self.project
        if let change, !change.isEmpty {
            if let tag, !tag.isEmpty {
                if tag == "ROOT" { return nil }
                if tag == "HEAD" {
                    return try connection.query(
                        "SELECT change_id FROM changes WHERE project = ? AND changes.change = ? "
                            + "ORDER BY committed_at DESC LIMIT 1", [.text(project), .text(change)]
                    ).first?[0].text
                }
                return try connection.query(
                    "SELECT changes.change_id FROM changes JOIN tags ON changes.committed_at <= tags.committed_at "
                        + "AND changes.project = tags.project WHERE changes.project = ? AND changes.change = ? "
                        + "AND tags.tag = ? ORDER BY changes.committed_at DESC LIMIT 1",
                    [.text(project), .text(change), .text("@" + tag)]
                ).first?[0].text
            }
            let ids = try connection.query(
                "SELECT change_id FROM changes WHERE project = ? AND changes.change = ? ORDER BY changes.committed_at ASC",
                [.text(project), .text(change)]
            ).compactMap { $0[0].text }
            if first || ids.count <= 1 { return ids.first }
            if let ambiguous { try ambiguous(ids) }
            throw EngineError("Change Lookup Failed")
        }
        if let tag, !tag.isEmpty {
            if tag == "HEAD" { return try self.changeID(latest: true, project: project) }
            if tag == "ROOT" { return try self.changeID(latest: false, project: project) }
            return try connection.query(
                "SELECT change_id FROM tags WHERE project = ? AND tag = ?", [.text(project), .text("@" + tag)]
            ).first?[0].text
        }
        return nil
    }

    /// How Sqitch reads a change reference for registry lookups (`_params_for_key`):
    /// `name@tag`, a 40-digit ID, `HEAD`/`ROOT` (as tags) or a name, with a `^`/`~` offset.
    public static func keyParameters(_ key: String) -> (changeID: String?, change: String?, tag: String?, offset: Int) {
        let (base, offset) = Plan.splitOffset(key)
        let parts = base.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        if parts.count > 1, !parts[1].isEmpty { return (nil, name, parts[1], offset) }
        if name.count == 40, name.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) { return (name, nil, nil, offset) }
        if name == "HEAD" || name == "ROOT" { return (nil, nil, name, offset) }
        return (nil, name, nil, offset)
    }

    /// The deployed change ID a reference names, offset applied (`change_id_for_key`).
    public func changeID(forKey key: String, ambiguous: (([String]) throws -> Never)? = nil) throws -> String? {
        let p = Registry.keyParameters(key)
        guard let id = try changeID(changeID: p.changeID, change: p.change, tag: p.tag, ambiguous: ambiguous)
        else { return nil }
        return try changeID(offset: p.offset, from: id)
    }

    /// The deployed change a reference names, offset applied (`change_for_key`).
    public func change(forKey key: String, ambiguous: (([String]) throws -> Never)? = nil) throws -> DeployedChange? {
        let p = Registry.keyParameters(key)
        guard let id = try changeID(changeID: p.changeID, change: p.change, tag: p.tag, ambiguous: ambiguous)
        else { return nil }
        return try change(offset: p.offset, from: id)
    }

    /// The deployed change a dependency points at, any project (`change_id_for_depend`).
    public func changeID(for dependency: Dependency) throws -> String? {
        try changeID(changeID: dependency.id, change: dependency.change, tag: dependency.tag,
                     project: dependency.project, first: true)
    }

    /// Deployed changes (any project) that require the change `id`.
    public func changesRequiring(_ id: String) throws -> [RequiringChange] {
        try connection.query(
            """
            SELECT c.change_id, c.project, c.change, (SELECT tag FROM changes c2 \
            JOIN tags ON c2.change_id = tags.change_id WHERE c2.project = c.project \
            AND c2.committed_at >= c.committed_at ORDER BY c2.committed_at LIMIT 1) AS asof_tag \
            FROM dependencies d JOIN changes c ON c.change_id = d.change_id WHERE d.dependency_id = ?
            """, [.text(id)]
        ).map {
            RequiringChange(changeID: $0["change_id"].text ?? "", project: $0["project"].text ?? "",
                            change: $0["change"].text ?? "", asofTag: $0["asof_tag"].text)
        }
    }

    /// For each of `ids`, the IDs of the deployed changes (any project) that depend on it,
    /// through one cheap query per 500 IDs: a revert asks `changesRequiring` only for the
    /// changes this finds dependents of, instead of once per change.
    public func dependentIDs(of ids: [String]) throws -> [String: [String]] {
        var dependents: [String: [String]] = [:]
        var start = ids.startIndex
        while start < ids.endIndex {
            let chunk = ids[start..<min(start + 500, ids.endIndex)]
            start = chunk.endIndex
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try connection.query(
                "SELECT dependency_id, change_id FROM dependencies WHERE dependency_id IN (\(marks))",
                chunk.map { .text($0) })
            {
                if let dependency = row[0].text, let change = row[1].text {
                    dependents[dependency, default: []].append(change)
                }
            }
        }
        return dependents
    }

    /// `name@tag` (or `name@HEAD`) of a deployed change, for ambiguity listings.
    public func nameForChangeID(_ id: String) throws -> String? {
        try connection.query(
            """
            SELECT c.change || COALESCE((SELECT tag FROM changes c2 JOIN tags ON c2.change_id = tags.change_id \
            WHERE c2.committed_at >= c.committed_at AND c2.project = c.project LIMIT 1), '@HEAD') \
            FROM changes c WHERE change_id = ?
            """, [.text(id)]
        ).first?[0].text
    }

    /// Every project in the registry, sorted.
    public func registeredProjects() throws -> [String] {
        try connection.query("SELECT project FROM projects ORDER BY project", []).compactMap { $0[0].text }
    }
}

// MARK: - Writes

/// Who does the bookkeeping: the committer of changes and events, creator of projects.
public typealias RegistryUser = Identity

extension Registry {
    /// Registers the project (`register_project`): an existing row must have the same URI,
    /// a new project's URI must be unused.
    public func registerProject(uri: String?, user: RegistryUser) throws {
        guard try projectNeedsRegistering(uri: uri) else { return }
        try connection.run(
            "INSERT INTO projects (project, uri, creator_name, creator_email, created_at) VALUES (?, ?, ?, ?, "
                + dialect.timestampDefault + ")",
            [.text(project), .optional(uri), .text(user.name), .text(user.email)])
    }

    /// Whether `registerProject` would insert the project's row: false when it is there with
    /// this URI; throws its errors when the project or the URI is registered otherwise.
    public func projectNeedsRegistering(uri: String?) throws -> Bool {
        let rows = try connection.query("SELECT uri FROM projects WHERE project = ?", [.text(project)])
        if let row = rows.first {
            let registered = row[0].text
            switch (uri, registered) {
            case (let uri?, nil):
                throw EngineError("Cannot register \"\(project)\" with URI \(uri): already exists with NULL URI")
            case (nil, let registered?):
                throw EngineError("Cannot register \"\(project)\" without URI: already exists with URI \(registered)")
            case (let uri?, let registered?) where uri != registered:
                throw EngineError("Cannot register \"\(project)\" with URI \(uri): already exists with URI \(registered)")
            default: return false
            }
        }
        if let uri {
            if let other = try connection.query("SELECT project FROM projects WHERE uri = ?", [.text(uri)]).first {
                throw EngineError("Cannot register \"\(project)\" with URI \(uri): project \"\(other[0].text ?? "")\" already using that URI")
            }
        }
        return true
    }

    /// The dependency rows of a deploy: requires with the deployed IDs they resolved to,
    /// then conflicts.
    public struct LoggedDependency: Sendable, Equatable {
        public var type: String
        public var dependency: String
        public var dependencyID: String?
        public init(type: String, dependency: String, dependencyID: String?) {
            self.type = type
            self.dependency = dependency
            self.dependencyID = dependencyID
        }
    }

    /// Logs a deployed change (`log_deploy_change`): the `changes` row, its dependencies,
    /// its plan tags and a `deploy` event. Runs inside the caller's transaction.
    public func logDeploy(_ change: Change, scriptHash: String?, dependencies: [LoggedDependency], user: RegistryUser) throws {
        try prepareToLog(table: "changes", project: change.project)
        do {
            try connection.run(
                "INSERT INTO changes (change_id, script_hash, \(dialect.column("change")), project, note, committer_name, committer_email, "
                    + "planned_at, planner_name, planner_email, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    + dialect.timestampDefault + ")",
                [.text(change.id), .optional(scriptHash), .text(change.name), .text(change.project), .text(change.note),
                 .text(user.name), .text(user.email), .text(dialect.timestampParameter(change.timestamp)),
                 .text(change.plannerName), .text(change.plannerEmail)])
        } catch let error as EngineError where dialect.isUniqueError(error) {
            throw EngineError("Cannot log change \"\(change.name)\": The deploy script is not unique")
        }
        for dependency in dependencies {
            try connection.run(
                "INSERT INTO dependencies (change_id, type, dependency, dependency_id) VALUES (?, ?, ?, ?)",
                [.text(change.id), .text(dependency.type), .text(dependency.dependency), .optional(dependency.dependencyID)])
        }
        for tag in change.tags {
            try insertTag(tag, change: change, user: user)
        }
        try logEvent("deploy", change: change, user: user)
    }

    private func insertTag(_ tag: Tag, change: Change, user: RegistryUser) throws {
        try connection.run(
            "INSERT INTO tags (tag_id, tag, project, change_id, note, committer_name, committer_email, planned_at, "
                + "planner_name, planner_email, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + dialect.timestampDefault + ")",
            [.text(tag.id), .text(tag.formatName), .text(change.project), .text(change.id), .text(tag.note),
             .text(user.name), .text(user.email), .text(dialect.timestampParameter(tag.timestamp)),
             .text(tag.plannerName), .text(tag.plannerEmail)])
    }

    /// Logs a failed deploy (`log_fail_change`): only a `fail` event.
    public func logFail(_ change: Change, user: RegistryUser) throws {
        try logEvent("fail", change: change, user: user)
    }

    /// Records plan tags of the last deployed change that the registry lacks (`log_new_tags`).
    public func logNewTags(_ change: Change, user: RegistryUser) throws {
        for tag in change.tags where try !isDeployed(tagID: tag.id) {
            try insertTag(tag, change: change, user: user)
        }
    }

    /// The dependencies of `type` (`require`, `conflict`) recorded for a deployed change,
    /// in registry order: what a revert deletes and writes into its event.
    public func recordedDependencies(of id: String, type: String) throws -> [String] {
        try connection.query(
            "SELECT dependency FROM dependencies WHERE change_id = ? AND type = ?", [.text(id), .text(type)]
        ).compactMap { $0[0].text }
    }

    /// Logs a reverted change (`log_revert_change`): deletes its tags, dependencies and
    /// change row, then writes a `revert` event with the tags and dependencies it had
    /// (comma-joined, registry order). `change` carries the registry's planning data.
    public func logRevert(_ change: DeployedChange, user: RegistryUser) throws {
        let id = change.id
        let tags = try connection.query("SELECT tag FROM tags WHERE change_id = ?", [.text(id)]).compactMap { $0[0].text }
        try connection.run("DELETE FROM tags WHERE change_id = ?", [.text(id)])
        let requires = try recordedDependencies(of: id, type: "require")
        let conflicts = try recordedDependencies(of: id, type: "conflict")
        try connection.run("DELETE FROM dependencies WHERE change_id = ?", [.text(id)])
        try connection.run("DELETE FROM changes where change_id = ?", [.text(id)])
        try insertEvent(
            "revert", id: id, name: change.name, project: change.project, note: change.note,
            tags: dialect.listParameter(tags, separator: ","), requires: dialect.listParameter(requires, separator: ","),
            conflicts: dialect.listParameter(conflicts, separator: ","), plannedAt: change.plannedAt,
            plannerName: change.plannerName, plannerEmail: change.plannerEmail, user: user)
    }

    private func logEvent(_ event: String, change: Change, user: RegistryUser) throws {
        try insertEvent(
            event, id: change.id, name: change.name, project: change.project, note: change.note,
            tags: dialect.listParameter(change.tags.map(\.formatName), separator: " "),
            requires: dialect.listParameter(change.requires.map { $0.asString(planProject: change.project) }, separator: ","),
            conflicts: dialect.listParameter(change.conflicts.map { $0.asString(planProject: change.project) }, separator: ","),
            plannedAt: change.timestamp, plannerName: change.plannerName, plannerEmail: change.plannerEmail, user: user)
    }

    /// Where timestamps keep whole seconds only, waits (100 ms at a time) until the newest
    /// `committed_at` of `table` for `project` lies in a past second.
    func prepareToLog(table: String, project: String) throws {
        guard let sql = dialect.sameSecondQuery(table: table) else { return }
        while let row = try connection.query(sql, [.text(project)]).first, Registry.isTrue(row[0]) {
            usleep(100_000)
        }
    }

    private func insertEvent(
        _ event: String, id: String, name: String, project: String, note: String, tags: DatabaseValue,
        requires: DatabaseValue, conflicts: DatabaseValue, plannedAt: Date, plannerName: String, plannerEmail: String, user: RegistryUser
    ) throws {
        try prepareToLog(table: "events", project: project)
        try connection.run(
            "INSERT INTO events (event, change_id, \(dialect.column("change")), project, note, tags, requires, conflicts, committer_name, "
                + "committer_email, planned_at, planner_name, planner_email, committed_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + dialect.timestampDefault + ")",
            [.text(event), .text(id), .text(name), .text(project), .text(note), tags, requires, conflicts, .text(user.name), .text(user.email), .text(dialect.timestampParameter(plannedAt)),
             .text(plannerName), .text(plannerEmail)])
    }

    /// Replaces script hashes that equal the change ID (registries upgraded from before 1.0)
    /// with the plan's, then clears the rest (`_update_script_hashes`).
    public func updateScriptHashes(_ hashes: [(changeID: String, scriptHash: String?)]) throws {
        try transaction {
            for (id, hash) in hashes {
                try connection.run(
                    "UPDATE changes SET script_hash = ? WHERE change_id = ? AND script_hash = ?",
                    [.optional(hash), .text(id), .text(id)])
            }
            try connection.run(
                "UPDATE changes SET script_hash = NULL WHERE project = ? AND script_hash = change_id", [.text(project)])
        }
    }
}

/// A registry release to record, and who installs it.
public struct ReleaseRecord: Sendable, Equatable {
    public var release: RegistryRelease
    public var name: String
    public var email: String

    public init(_ release: RegistryRelease, name: String, email: String) {
        self.release = release
        self.name = name
        self.email = email
    }
}
