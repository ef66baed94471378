import FoundationEssentials

extension Plan {
    /// Parses `-r`/`-c` values for `add` and `rework` (duplicates dropped, order kept), with
    /// Sqitch's `"{dep}" is not a valid dependency specification`.
    public static func parseDependencies(requires: [String], conflicts: [String]) throws -> ([Dependency], [Dependency]) {
        func parse(_ values: [String], conflict: Bool) throws -> [Dependency] {
            var seen: Set<String> = []
            var result: [Dependency] = []
            for value in values where seen.insert(value).inserted {
                guard var dep = Dependency.parse(conflict ? "!" + value : value), !dep.isEmpty else {
                    throw PlanError("\"\(value)\" is not a valid dependency specification")
                }
                dep.conflicts = conflict
                result.append(dep)
            }
            return result
        }
        return (try parse(requires, conflict: false), try parse(conflicts, conflict: true))
    }

    /// The changes `sqitch plan` lists: filtered by operation (`deploy`/`revert`), change
    /// name and planner name patterns (regular expressions), then `offset` and `limit`
    /// applied in the chosen direction (`reverse` = newest first).
    public func searchChanges(operation: String? = nil, name: String? = nil, planner: String? = nil,
                              offset: Int = 0, limit: Int = 0, reverse: Bool = false) throws -> [Change] {
        func regex(_ pattern: String?) throws -> RegularExpression? {
            guard let pattern, !pattern.isEmpty else { return nil }
            do { return try RegularExpression(pattern) } catch {
                throw PlanError("Invalid regular expression \"\(pattern)\"")
            }
        }
        let nameRE = try regex(name)
        let plannerRE = try regex(planner)
        var op: String?
        if let operation, !operation.isEmpty {
            op = operation.lowercased()
            guard op == "deploy" || op == "revert" else {
                throw CommandError("Unknown change operation \"\(op!)\"")
            }
        }
        func matches(_ re: RegularExpression, _ s: String) -> Bool {
            re.matches(s)
        }
        // Sqitch keeps a change when any one filter matches.
        var filters: [(Change) -> Bool] = []
        if let plannerRE { filters.append { matches(plannerRE, $0.plannerName) } }
        if let nameRE { filters.append { matches(nameRE, $0.name) } }
        if let op { filters.append { op == "deploy" ? $0.isDeploy : $0.isRevert } }
        if filters.isEmpty { filters.append { _ in true } }
        var result: [Change] = []
        var index = reverse ? changes.count - (offset + 1) : offset - 1
        let endAt = reverse ? (limit > 0 ? index - limit : -1) : (limit > 0 ? index + limit : changes.count - 1)
        while reverse ? index > endAt : index < endAt {
            let i = reverse ? index : index + 1
            index += reverse ? -1 : 1
            // Perl's array index: a negative one counts from the end (`--skip -1`).
            let at = i < 0 ? changes.count + i : i
            guard at >= 0, at < changes.count else { break }
            if filters.contains(where: { $0(changes[at]) }) { result.append(changes[at]) }
        }
        return result
    }

    /// The text of a partial plan, as `bundle --from/--to` writes it: the header up to its
    /// blank line, then the lines from change `from` through change `to` and its tags.
    public func text(from: String?, to: String?) throws -> String {
        guard from != nil || to != nil else { return text() }
        var headEnd = 0
        while headEnd < lines.count {
            if case .blank(let b) = lines[headEnd], b.note.isEmpty { break }
            headEnd += 1
        }
        func lineIndex(ofChange c: Int) -> Int {
            lines.firstIndex { if case .change(let x) = $0 { return x == c } else { return false } }!
        }
        var fromIdx = headEnd + 1
        if let from {
            guard let c = try find(from) else { throw PlanError("Cannot find change \(from)") }
            fromIdx = lineIndex(ofChange: changes.firstIndex { $0.id == c.id }!)
        }
        var toIdx = lines.count - 1
        if let to {
            guard let c = try find(to) else { throw PlanError("Cannot find change \(to)") }
            let ci = changes.firstIndex { $0.id == c.id }!
            toIdx = lineIndex(ofChange: ci)
            if !changes[ci].tags.isEmpty {
                let last = changes[ci].tags.count - 1
                toIdx = lines.firstIndex { $0 == .tag(change: ci, tag: last) } ?? toIdx
            }
        }
        var selected = Array(lines[0...min(headEnd, lines.count - 1)])
        if fromIdx <= toIdx { selected += lines[fromIdx...toIdx] }
        return selected.map { lineText($0) + "\n" }.joined()
    }
}

extension Plan {
    /// The ID a dependency points at (Sqitch's `Depend->id`): a given ID as is, the
    /// change's ID for this project, nil for other projects.
    public func resolvedID(of dependency: Dependency) throws -> String? {
        if let id = dependency.id { return id }
        guard dependency.resolvedProject(planProject: project) == project else { return nil }
        guard let change = try find(dependency.keyName) else {
            throw PlanError("Unable to find change \"\(dependency.keyName)\" in plan \(file)")
        }
        return change.id
    }

    /// The first instance of change `name` after the change `since` names (or the first
    /// instance at all), with an optional `^`/`~` offset (Sqitch's `first_index_of`).
    public func firstIndex(of name: String, since: String? = nil) throws -> Int? {
        let (key, offset) = Plan.splitOffset(name)
        guard let list = changeIndices(named: key), !list.isEmpty else { return nil }
        var idx = list[0]
        if let since {
            guard let sinceIdx = try index(of: since) else {
                throw PlanError("Unknown change: \"\(since)\"")
            }
            guard let after = list.first(where: { $0 > sinceIdx }) else { return nil }
            idx = after
        }
        let target = idx + offset
        return target < 0 || target >= changes.count ? nil : target
    }
}

extension ItemFormats {
    /// The two header lines and blank line `sqitch plan` prints before the entries.
    public static func planHeader(project: String, file: String) -> String {
        "# Project: \(project)\n# File:    \(file)\n\n"
    }
}

extension Plan {
    /// A plan with no changes, as `sqitch init` writes it: `%syntax-version`, `%project`,
    /// `%uri` (when given, already canonical) and one blank line.
    public static func empty(project: String, uri: String? = nil, file: String) -> Plan {
        var lines: [PlanLine] = [.pragma(Pragma(name: "syntax-version", value: syntaxVersion)),
                                 .pragma(Pragma(name: "project", value: project))]
        var pragmas = ["syntax-version": syntaxVersion, "project": project]
        if let uri {
            lines.append(.pragma(Pragma(name: "uri", value: uri)))
            pragmas["uri"] = uri
        }
        lines.append(.blank(BlankLine()))
        return Plan(file: file, project: project, uri: uri, pragmas: pragmas, lines: lines, changes: [])
    }
}
