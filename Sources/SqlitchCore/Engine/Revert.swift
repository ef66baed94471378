import FoundationEssentials

extension EngineSession {
    /// Reverts deployed changes newest first, down to (not including) `to`, or all of them
    /// (Sqitch's `Engine::revert`). With `prompt`, asks first (`promptDefault` is the
    /// answer an empty reply or an unattended run gives); a "no" fails with
    /// `Nothing reverted` (exit 1; reason `.revertDeclined` for a revert to a change).
    public func revert(to: String? = nil, prompt: Bool, promptDefault: Bool) throws {
        try checkRegistry()
        try lockDestination()
        let console = sqitch.console
        let plan = try self.plan()
        let registry = try self.registry()
        var changes: [DeployedChange]

        if let to {
            guard let change = try registry.change(forKey: to, ambiguous: { try self.ambiguous(to, $0, plan: plan, registry: registry) })
            else {
                if try plan.find(to) != nil {
                    throw EngineError("Change not deployed: \"\(to)\"")
                }
                throw EngineError("Unknown change: \"\(to)\"")
            }
            changes = try registry.deployedChanges(since: change.id)
            if changes.isEmpty {
                console.info("No changes deployed since: \"\(to)\"")
                return
            }
            if !prompt {
                console.info("Reverting changes to \(change.formatNameWithTags) from \(destination)")
                console.debug("Will revert the following changes:")
                for change in changes { console.debug(EngineSession.listedName(change)) }
            } else {
                console.debug("Would revert the following changes:")
                for change in changes { console.debug(EngineSession.listedName(change)) }
                if try !sqitch.askYesNo(
                    "Revert changes to \(change.formatNameWithTags) from \(destination)?", default: promptDefault) {
                    throw EngineError("Nothing reverted", exitCode: 1, reason: .revertDeclined)
                }
            }
        } else {
            changes = try registry.deployedChanges()
            if changes.isEmpty {
                console.info("Nothing to revert (nothing deployed)")
                return
            }
            if !prompt {
                console.info("Reverting all changes from \(destination)")
                console.debug("Will revert the following changes:")
                for change in changes { console.debug(EngineSession.listedName(change)) }
            } else {
                console.debug("Would revert the following changes:")
                for change in changes { console.debug(EngineSession.listedName(change)) }
                if try !sqitch.askYesNo("Revert all changes from \(destination)?", default: promptDefault) {
                    throw EngineError("Nothing reverted", exitCode: 1)
                }
            }
        }

        changes.reverse()
        try checkRevertDependencies(changes, registry: registry)
        let width = changes.map(\.formatNameWithTags.count).max() ?? 0
        try EngineSession.deferringInterrupts {
            try registry.connection.batch {
                for change in changes {
                    try revertChange(change, plan: plan, registry: registry, width: width)
                    try EngineSession.stopIfInterrupted("Revert", after: change.formatNameWithTags)
                }
            }
        }
    }

    /// Lists the instances of an ambiguous change name on standard error, then fails with
    /// `Change Lookup Failed` (Sqitch's `_handle_lookup_index`).
    func ambiguous(_ key: String, _ ids: [String], plan: Plan, registry: Registry) throws -> Never {
        let console = sqitch.console
        console.vent("Change \"\(key)\" is ambiguous. Please specify a tag-qualified change:")
        for id in ids.reversed() {
            if let index = try? plan.index(of: id) {
                console.vent("  * " + plan.changes[index].formatTagQualifiedName)
            } else {
                console.vent("  * " + ((try? registry.nameForChangeID(id)) ?? nil ?? ""))
            }
        }
        throw EngineError("Change Lookup Failed")
    }

    /// Fails when a change to revert is required by a deployed change that stays
    /// (Sqitch's `check_revert_dependencies`); `changes` are newest first.
    func checkRevertDependencies(_ changes: [DeployedChange], registry: Registry) throws {
        var seen: Set<String> = []
        var messages: [String] = []
        let dependents = try registry.dependentIDs(of: changes.map(\.id))
        for change in changes {
            seen.insert(change.id)
            // Sqitch's own query (its rows, in its order) only where a dependent stays.
            guard dependents[change.id, default: []].contains(where: { !seen.contains($0) }) else { continue }
            let requiring = try registry.changesRequiring(change.id).filter { !seen.contains($0.changeID) }
            guard !requiring.isEmpty else { continue }
            let names = requiring.map {
                ($0.project == registry.project ? "" : $0.project + ":") + $0.change + ($0.asofTag ?? "")
            }
            messages.append(
                "Change \"\(change.formatNameWithTags)\" required by currently deployed "
                    + (requiring.count == 1 ? "change: " : "changes: ") + names.joined(separator: " "))
        }
        if !messages.isEmpty { throw EngineError(messages.joined(separator: "\n")) }
    }

    /// The revert script of a deployed change: the plan's instance with that ID, else a
    /// change of that name (not reworked).
    func revertScript(of change: DeployedChange, plan: Plan) -> String {
        if let index = try? plan.index(of: change.id) {
            return scriptPath("revert", of: plan.changes[index])
        }
        let stand = Change(name: change.name, note: change.note, timestamp: change.plannedAt,
                           plannerName: change.plannerName, plannerEmail: change.plannerEmail)
        return scriptPath("revert", of: stand)
    }

    /// A change as the `-vv` revert list shows it: Sqitch 1.6 prefixes each registry tag,
    /// which already starts with `@`, with another one (`gadgets @@v1.1`).
    static func listedName(_ change: DeployedChange) -> String {
        ([change.name] + change.tags.map { "@" + $0 }).joined(separator: " ")
    }

    /// Reverts one change (Sqitch's `revert_change`): script, then the registry rows and a
    /// `revert` event; `not ok` and the error on failure.
    func revertChange(_ change: DeployedChange, plan: Plan, registry: Registry, width: Int) throws {
        let console = sqitch.console
        console.infoLiteral(EngineSession.progress("-", change.formatNameWithTags, width: width))
        let user = try self.user()
        let connection = registry.connection
        try connection.begin()
        var open = true
        do {
            let file = revertScript(of: change, plan: plan)
            if !sqitch.files.exists(file) {
                throw EngineError("Revert script \(file) does not exist")
            }
            if !logOnly { try engine.runScript(file, variables: variables) }
            do {
                try registry.logRevert(change, user: user)
                console.info("ok")
            } catch {
                console.vent(EngineSession.message(of: error))
                try? connection.rollback()
                open = false
                throw EngineError("Revert failed")
            }
        } catch {
            console.info("not ok")
            if open { try? connection.commit() }
            throw error
        }
        try connection.commit()
    }

    /// The last deployed change (counting from the first) whose deploy script still
    /// matches the plan's, or nil when the first already differs (Sqitch's
    /// `planned_deployed_common_ancestor_id`, for `--modified`).
    public func plannedDeployedCommonAncestorID() throws -> String? {
        let plan = try self.plan()
        let deployed = try registry().deployedChanges(requireRegistry: true)
        var divergent = -1
        for (index, change) in deployed.enumerated() {
            if index >= plan.changes.count || (change.scriptHash ?? "") != (scriptHash(of: plan.changes[index]) ?? "") {
                divergent = index
                break
            }
        }
        if divergent == -1 { return deployed.last?.id }
        if divergent == 0 { return nil }
        return deployed[divergent - 1].id
    }

    /// Reverts to `onto` (or everything), then deploys through `upto` (or the end), as
    /// `rebase` and `checkout` do. A declined "Revert all" prompt and other exit-1 outcomes
    /// of the revert are printed and the deploy goes on; declining "Revert changes to"
    /// aborts.
    public func rebase(onto: String?, upto: String?, mode: DeployMode, prompt: Bool, promptDefault: Bool,
                       revertVariables: [(name: String, value: String)],
                       deployVariables: [(name: String, value: String)]) throws {
        variables = revertVariables
        do {
            try revert(to: onto, prompt: prompt, promptDefault: promptDefault)
        } catch let error as any SqitchFailure where error.exitCode <= 1 && (error as? EngineError)?.reason != .revertDeclined {
            sqitch.console.info(error.message)
        }
        variables = deployVariables
        try deploy(to: upto, mode: mode)
    }
}
