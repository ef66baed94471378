import FoundationEssentials

/// A deployed change as `verify` and `check` see it: the registry's row, plus the rework tags
/// Sqitch works out for it from the plan and the later deployed changes (they decide which
/// `name@tag` script belongs to an older instance of a reworked change).
public struct LoadedChange: Sendable, Equatable {
    public var row: DeployedChange
    /// Tag names with their `@`.
    public var reworkTags: [String]

    public var id: String { row.id }
    public var name: String { row.name }
    public var formatNameWithTags: String { row.formatNameWithTags }

    /// The change as a plan item, for script paths.
    func planChange() -> Change {
        var change = Change(name: row.name, timestamp: Date(timeIntervalSince1970: 0),
                            plannerName: row.plannerName, plannerEmail: row.plannerEmail)
        change.reworkTags = reworkTags.map {
            Tag(name: String($0.dropFirst()), timestamp: Date(timeIntervalSince1970: 0), plannerName: "", plannerEmail: "")
        }
        return change
    }
}

/// `verify` and `check` for one target: both compare the registry's deployed changes with the
/// plan, `verify` by running each change's verify script through the engine's client, `check`
/// by comparing deploy script hashes (Sqitch's `Engine::verify` and `Engine::check`).
public final class Verification {
    public let session: EngineSession
    /// `--format json`: nothing is printed as it goes; `report` collects the results.
    public var json = false
    /// What the run found, change by change (filled in either mode).
    public private(set) var report = VerifyReport()

    public init(session: EngineSession) {
        self.session = session
    }

    var sqitch: Sqitch { session.sqitch }
    var engine: any Engine { session.engine }
    var target: Target { session.target }
    var console: Console { sqitch.console }

    /// The target's plan, read on first use (after the registry check, as Sqitch does).
    public func plan() throws -> Plan { try session.plan() }

    // MARK: verify

    /// Runs the verify scripts of the deployed changes from `from` to `to` (both optional
    /// change references) and reports each; throws `Verify failed` after the summary when any
    /// change failed.
    public func verify(from: String?, to: String?) throws {
        try session.checkRegistry()
        let plan = try plan()
        var changes = try loadChanges(try session.registry().deployedChanges(), plan: plan)
        report = VerifyReport(database: engine.destination)
        if !json { console.info("Verifying \(engine.destination)") }
        if changes.isEmpty {
            report.message = plan.count > 0 ? "No changes deployed" : "Nothing to verify (no planned or deployed changes)"
            report.finished = true
            if !json { console.info(report.message ?? "") }
            return
        }
        if plan.count == 0 {
            throw EngineError("There are deployed changes, but none planned!")
        }
        let fromIndex = try from.map { try trim(key: $0, changes: &changes, pop: false) } ?? 0
        let toIndex = try toIndex(to: to, changes: &changes)

        let errors = try verifyChanges(from: fromIndex, to: toIndex, pending: to == nil, changes: changes)
        report.errors = errors
        report.successful = errors == 0
        report.finished = true
        if errors > 0 {
            var count = 1 + toIndex - fromIndex
            if changes.count > count { count = changes.count }
            report.changeCount = count
            if json { throw EngineError("Verify failed") }
            let title = "Verify Summary Report"
            console.emit("\n" + title)
            console.emit(String(repeating: "-", count: title.count))
            console.emit("Changes: \(count)")
            console.emit("Errors:  \(errors)")
            throw EngineError("Verify failed")
        }
        if !json { console.emit("Verify successful") }
    }

    /// The plan index a verify or check ends at: the `to` change's, else the latest deployed
    /// change's (or the plan's last when that is not planned).
    func toIndex(to: String?, changes: inout [LoadedChange]) throws -> Int {
        let plan = try plan()
        if let to { return try trim(key: to, changes: &changes, pop: true) }
        if let id = try session.registry().changeID(latest: true), let index = try plan.index(of: id) { return index }
        return plan.count - 1
    }

    /// Finds `key` in the registry and in the plan and drops the deployed changes before it
    /// (`pop` false) or after it (`pop` true); returns its plan index.
    func trim(key: String, changes: inout [LoadedChange], pop: Bool) throws -> Int {
        let plan = try plan()
        let registry = try session.registry()
        let console = self.console
        let ambiguous: ([String]) throws -> Never = { ids in
            // Sqitch's `_handle_lookup_index`: the candidates, newest first, then the failure.
            console.vent("Change \"\(key)\" is ambiguous. Please specify a tag-qualified change:")
            for id in ids.reversed() {
                let name = try plan.find(id)?.formatTagQualifiedName ?? registry.nameForChangeID(id) ?? ""
                console.vent("  * " + name)
            }
            throw EngineError("Change Lookup Failed")
        }
        guard let id = try registry.changeID(forKey: key, ambiguous: ambiguous) else {
            throw EngineError(try plan.contains(key)
                ? "Change \"\(key)\" has not been deployed"
                : "Cannot find \"\(key)\" in the database or the plan")
        }
        guard let index = try plan.index(of: id) else {
            throw EngineError("Change \"\(key)\" is deployed, but not planned")
        }
        if pop {
            while let last = changes.last, last.id != id { changes.removeLast() }
        } else {
            while let first = changes.first, first.id != id { changes.removeFirst() }
        }
        return index
    }

    /// The progress prefix `  * name ..<dots> ` for a name, padded to `width`.
    static func prefix(_ name: String, width: Int) -> String {
        "  * \(name) .." + String(repeating: ".", count: max(0, width - name.unicodeScalars.count)) + " "
    }

    /// Verifies each deployed change, lists planned changes in range that are not deployed
    /// and, when `pending`, the planned changes after the range; returns the error count.
    func verifyChanges(from fromIndex: Int, to toIndex: Int, pending: Bool, changes: [LoadedChange]) throws -> Int {
        let plan = try plan()
        let range = fromIndex <= toIndex ? Array(fromIndex...toIndex) : []
        let names = changes.map(\.formatNameWithTags) + range.map { plan.changes[$0].formatNameWithTags }
        let width = names.map(\.unicodeScalars.count).max() ?? 0
        var errorCount = 0
        var seen: Set<Int> = []

        for (offset, change) in changes.enumerated() {
            var item = VerifyReport.Item(change: change.name, changeID: change.id, tags: change.row.tags, deployed: true)
            var reworked = false
            if !json { console.emitLiteral(Self.prefix(change.formatNameWithTags, width: width)) }
            func problem(_ message: String) {
                item.problems.append(message)
                if !json { console.comment(message) }
            }
            if let planIndex = try plan.index(of: change.id) {
                seen.insert(planIndex)
                if planIndex != fromIndex + offset { problem("Out of order") }
                reworked = plan.changes[planIndex].isReworked
            } else {
                problem("Not present in the plan")
            }
            if !reworked {
                do {
                    if let warning = try verifyChange(change) {
                        item.warnings.append(warning)
                        item.verified = false
                    }
                } catch let error as any SqitchFailure {
                    problem(error.message)
                }
            } else {
                item.verified = false
            }
            if !json { console.emit(item.problems.isEmpty ? "ok" : "not ok") }
            errorCount += item.problems.count
            report.changes.append(item)
        }

        for index in range where !seen.contains(index) {
            let change = plan.changes[index]
            if !json {
                console.emitLiteral(Self.prefix(change.formatNameWithTags, width: width) + "not ok ")
                console.comment("Not deployed")
            }
            report.changes.append(VerifyReport.Item(
                change: change.name, changeID: change.id, tags: change.tags.map(\.formatName), deployed: false,
                verified: false, problems: ["Not deployed"]))
            errorCount += 1
        }

        if pending, toIndex < plan.count - 1 {
            let rest = plan.changes[(toIndex + 1)...]
            report.undeployed = rest.map { (change: $0.name, changeID: $0.id, tags: $0.tags.map(\.formatName)) }
            if !json {
                console.emit(rest.count == 1 ? "Undeployed change:" : "Undeployed changes:")
                for change in rest { console.emit("  * " + change.formatNameWithTags) }
            }
        }
        return errorCount
    }

    /// The path of a deployed change's verify script, as configured (relative to the
    /// working directory).
    public func verifyFile(_ change: LoadedChange) -> String { session.scriptPath("verify", of: change.planChange()) }

    /// Runs one change's verify script; a missing script is reported on standard error (in
    /// JSON mode, returned instead) and passes. The client's standard output is shown only
    /// from verbosity 2.
    @discardableResult
    public func verifyChange(_ change: LoadedChange) throws -> String? {
        let file = verifyFile(change)
        guard sqitch.files.exists(file) else {
            let warning = "Verify script \(file) does not exist"
            if !json { console.vent(warning) }
            return warning
        }
        do {
            try engine.runVerify(file, variables: session.variables, quiet: json)
        } catch {
            throw EngineError("Verify script \"\(file)\" failed.")
        }
        return nil
    }

    // MARK: check

    /// Compares the deploy script hashes recorded in the registry with the plan's, from
    /// `from` on; throws `Failed one check` (exit 1) at the first divergence.
    public func check(from: String?, to: String?) throws {
        try session.checkRegistry()
        let plan = try plan()
        var changes = try loadChanges(try session.registry().deployedChanges(), plan: plan)
        report = VerifyReport(database: engine.destination)
        if !json { console.info("Checking \(engine.destination)") }
        if changes.isEmpty {
            report.message = plan.count > 0 ? "No changes deployed" : "Nothing to check (no planned or deployed changes)"
            report.finished = true
            if !json { console.info(report.message ?? "") }
            return
        }
        let fromIndex = try from.map { try trim(key: $0, changes: &changes, pop: false) } ?? 0
        _ = try toIndex(to: to, changes: &changes)
        report.changeCount = changes.count

        var failed = 0
        if let index = try divergence(from: fromIndex, changes: changes) {
            failed += 1
            let change = changes[index]
            report.divergesAt = (change: change.name, changeID: change.id, tags: change.row.tags)
            if !json { console.emit("Script signatures diverge at change \(change.formatNameWithTags)") }
        }
        report.errors = failed
        report.successful = failed == 0
        report.finished = true
        if failed > 0 {
            throw EngineError(failed == 1 ? "Failed one check" : "Failed \(failed) checks", exitCode: Int32(failed))
        }
        if !json { console.emit("Check successful") }
    }

    /// The position in `changes` of the first deployed change whose recorded script hash
    /// differs from the plan's change at the same place (or that runs past the plan).
    func divergence(from fromIndex: Int, changes: [LoadedChange]) throws -> Int? {
        let plan = try plan()
        for (offset, change) in changes.enumerated() {
            let index = offset + fromIndex
            if index >= plan.count { return offset }
            if (change.row.scriptHash ?? "") != (deployHash(plan.changes[index]) ?? "") { return offset }
        }
        return nil
    }

    /// The hash of a planned change's deploy script, nil when the file is missing.
    public func deployHash(_ change: Change) -> String? { session.scriptHash(of: change) }

    // MARK: loading

    /// Attaches rework tags to deployed changes as Sqitch's `_load_changes` does: an older
    /// deployed instance of a name gets the registry tags of the changes deployed after it,
    /// and a change the plan reworks later gets the plan's tags up to that rework.
    public func loadChanges(_ rows: [DeployedChange], plan: Plan) throws -> [LoadedChange] {
        var changes: [LoadedChange] = []
        var seen: [String: Int] = [:]
        var reworkTagsFor: [Int: [[String]]] = [:]
        for row in rows {
            if let previous = seen[row.name] {
                var lists = reworkTagsFor[previous] ?? []
                for (i, x) in (previous..<changes.count).enumerated() {
                    if lists.count <= i { lists.append([]) }
                    for tag in changes[x].row.tags where !lists[i].contains(tag) { lists[i].append(tag) }
                }
                reworkTagsFor[previous] = lists
            }
            if let reworkedIndex = (try? plan.firstIndex(of: row.name, since: row.id)) ?? nil,
               let index = try plan.index(of: row.id) {
                var lists = reworkTagsFor[changes.count] ?? []
                for (i, x) in (index..<max(index, reworkedIndex)).enumerated() {
                    if lists.count <= i { lists.append([]) }
                    lists[i] += plan.changes[x].tags.map(\.formatName)
                }
                reworkTagsFor[changes.count] = lists
            }
            changes.append(LoadedChange(row: row, reworkTags: []))
            seen[row.name] = changes.count - 1
        }
        for (index, lists) in reworkTagsFor {
            var names: Set<String> = []
            changes[index].reworkTags = lists.reversed().flatMap { $0 }.filter { names.insert($0).inserted }
        }
        return changes
    }
}

/// What `verify` or `check` found (for `--format json`).
public struct VerifyReport: Sendable {
    /// A change verify looked at: deployed (its script run, unless reworked later) or planned
    /// in range and not deployed.
    public struct Item: Sendable {
        public var change: String
        public var changeID: String
        /// With their `@`.
        public var tags: [String]
        public var deployed: Bool
        /// Whether its verify script ran (a reworked change's older instance is not verified).
        public var verified = true
        /// What made it `not ok`: `Out of order`, `Not present in the plan`, `Not deployed`,
        /// the verify script's failure.
        public var problems: [String] = []
        /// What was said and did not fail it: a missing verify script.
        public var warnings: [String] = []
    }

    public var database = ""
    /// Why there was nothing to do (`No changes deployed`), when so.
    public var message: String?
    public var changes: [Item] = []
    /// `verify` without `--to`: the planned changes after the last deployed one.
    public var undeployed: [(change: String, changeID: String, tags: [String])] = []
    /// `check`: the first deployed change whose deploy script differs from the plan's.
    public var divergesAt: (change: String, changeID: String, tags: [String])?
    /// How many changes the summary counts (`Changes:` of the failure summary).
    public var changeCount = 0
    public var errors = 0
    public var successful = true
    /// The run got to its result (success, nothing to do, or failed changes), rather than
    /// stopping on an error before it.
    public var finished = false
}
