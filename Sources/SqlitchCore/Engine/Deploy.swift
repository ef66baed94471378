import CClientLibraries
import FoundationEssentials

/// What `deploy` reverts when a change fails (`--mode`, `deploy.mode`).
public enum DeployMode: String, Sendable, CaseIterable {
    /// Nothing: the changes deployed before the failure stay.
    case change
    /// Back to the last tag deployed in this run (or as `all` when none was).
    case tag
    /// Everything deployed in this run.
    case all
}

/// A failure that has already been reported (Sqitch's `private` ident): the deploy loop
/// does not print it again.
struct ReportedFailure: Error {
    let message: String
}

extension EngineSession {
    /// Where the project stands in the plan: the index of the last deployed change (nil
    /// when nothing is deployed), after recording plan tags the registry lacks on it and
    /// refreshing old script hashes (Sqitch's `_sync_plan`). Also sets `startAt`.
    func syncPlan(_ plan: Plan, registry: Registry) throws -> (position: Int?, startAt: String?) {
        // As Sqitch: the plan is checked first; a registry without `script_hash` (before
        // release 1.0) is upgraded only when a change is deployed.
        guard let state = try registry.currentState() else { return (nil, nil) }
        guard let index = try plan.index(of: state.id) else {
            throw PlanError("Cannot find change \(state.id) (\(([state.name] + state.tags).joined(separator: " "))) in \(plan.file)")
        }
        var hash = state.scriptHash
        if !state.hasScriptHash {
            try upgradeRegistry()
            hash = state.id
        }
        if let hash, hash == state.id {
            try registry.updateScriptHashes(plan.changes.map { ($0.id, scriptHash(of: $0)) })
        }
        let change = plan.changes[index]
        var startAt = change.name
        if let last = change.tags.last {
            let user = try self.user()
            try registry.transaction { try registry.logNewTags(change, user: user) }
            startAt += last.formatName
        }
        return (index, startAt)
    }

    /// Deploys the plan's changes after the deployed ones, through `to` (a change
    /// reference) or the end of the plan, recovering from a failure as `mode` says
    /// (Sqitch's `Engine::deploy`).
    public func deploy(to: String? = nil, mode: DeployMode = .all) throws {
        try lockDestination()
        let console = sqitch.console
        // Sqitch connects (creating an SQLite registry file) before it reads the plan.
        _ = try engine.registry()
        let plan = try self.plan()
        let registry = try self.registry()
        let (position, startAt) = try syncPlan(plan, registry: registry)
        let current = position ?? -1

        let (toIndex, nothing) = try deployEnd(plan, to: to, current: current)
        if let nothing {
            console.info(nothing)
            return
        } else if current == -1 {
            if try engine.registryExists() {
                try upgradeRegistry()
            } else {
                try initializeRegistry()
            }
            try registry.registerProject(uri: plan.uri, user: user())
        } else {
            if toIndex < current {
                throw EngineError("Cannot deploy to an earlier change; use \"revert\" instead")
            }
            try upgradeRegistry()
        }

        if to != nil {
            console.info(
                "Deploying changes through \(plan.changes[toIndex].formatNameWithTags) to \(destination)")
        } else {
            console.info("Deploying changes to \(destination)")
        }
        let pending = Array(plan.changes[(current + 1)...toIndex])
        console.debug("Will deploy the following changes:")
        for change in pending { console.debug(change.formatNameWithTags) }

        let resolved = try checkDeployDependencies(pending, plan: plan, registry: registry)
        let width = pending.map(\.formatNameWithTags.count).max() ?? 0

        var run: [Change] = []
        var lastTagged: Change?
        do {
            try EngineSession.deferringInterrupts {
                try registry.connection.batch {
                    for change in pending {
                        try deployChange(change, plan: plan, registry: registry, requires: resolved[change.id] ?? [],
                                         width: width)
                        run.append(change)
                        if mode == .tag, !change.tags.isEmpty {
                            run.removeAll()
                            lastTagged = change
                        }
                        try EngineSession.stopIfInterrupted("Deploy", after: change.formatNameWithTags)
                    }
                }
            }
        } catch {
            // An interrupted run keeps what it did: every change it deployed is recorded.
            if mode == .change || (error as? EngineError)?.reason == .interrupted { throw error }
            if (error as? EngineError)?.reason != .deployFailedAfterReport { console.vent(EngineSession.message(of: error)) }
            try rollback(run, to: lastTagged, startAt: startAt, plan: plan, registry: registry, width: width)
        }
    }

    /// The index of the last change to deploy (`to`, else the plan's last), or why there is
    /// nothing to deploy when the plan is already there; fails on an empty plan and an
    /// unknown change.
    func deployEnd(_ plan: Plan, to: String?, current: Int) throws -> (index: Int, nothing: String?) {
        if plan.changes.isEmpty { throw PlanError("Nothing to deploy (empty plan)") }
        var toIndex = plan.changes.count - 1
        if let to {
            guard let index = try plan.index(of: to, console: sqitch.console) else {
                throw PlanError("Unknown change: \"\(to)\"")
            }
            toIndex = index
            if toIndex == current { return (toIndex, "Nothing to deploy (already at \"\(to)\")") }
        }
        return (toIndex, current == toIndex ? "Nothing to deploy (up-to-date)" : nil)
    }

    /// Checks the pending changes' dependencies against the registry and the batch
    /// (Sqitch's `check_deploy_dependencies`); returns, per change ID, the ID each require
    /// resolved to. Without a registry (a dry run before the first deploy) nothing counts as
    /// deployed.
    /// `reverted` (a rebase's dry run) names deployed changes that count as not deployed.
    func checkDeployDependencies(_ pending: [Change], plan: Plan, registry: Registry?,
                                 reverted: Set<String> = []) throws -> [String: [String?]] {
        func lookup(_ dependency: Dependency, id: String?, registry: Registry?) throws -> String? {
            try self.lookup(dependency, id: id, registry: registry).flatMap { reverted.contains($0) ? nil : $0 }
        }
        var seen: [String: Change] = [:]
        var conflicts: [String] = []
        var required: [String] = []
        var resolved: [String: [String?]] = [:]
        for change in pending {
            for dependency in change.conflicts {
                let id = try plan.resolvedID(of: dependency)
                let found = try seen[id ?? ""] != nil || lookup(dependency, id: id, registry: registry) != nil
                if found { conflicts.append(dependency.asString(planProject: plan.project)) }
            }
            var ids: [String?] = []
            for dependency in change.requires {
                let id = try plan.resolvedID(of: dependency)
                let resolvedID = try seen[id ?? ""]?.id ?? lookup(dependency, id: id, registry: registry)
                ids.append(resolvedID)
                if resolvedID == nil { required.append(dependency.asString(planProject: plan.project)) }
            }
            resolved[change.id] = ids
            seen[change.id] = change
        }
        func unique(_ list: [String]) -> [String] {
            var set: Set<String> = []
            return list.filter { set.insert($0).inserted }
        }
        conflicts = unique(conflicts)
        required = unique(required)
        var messages: [String] = []
        if !conflicts.isEmpty {
            messages.append(
                (conflicts.count == 1 ? "Conflicts with previously deployed change: "
                    : "Conflicts with previously deployed changes: ") + conflicts.joined(separator: " "))
        }
        if !required.isEmpty {
            messages.append(
                (required.count == 1 ? "Missing required change: " : "Missing required changes: ")
                    + required.joined(separator: " "))
        }
        if !messages.isEmpty { throw EngineError(messages.joined(separator: "\n")) }

        let deployed = try (registry?.deployedIDs(among: pending.map(\.id)) ?? []).filter { !reverted.contains($0) }
        if !deployed.isEmpty {
            let list = deployed.map { "\(seen[$0]?.formatNameWithTags ?? $0) (\($0))" }.joined(separator: ", ")
            throw EngineError(deployed.count == 1 ? "Change \"\(list)\" has already been deployed"
                    : "Changes have already been deployed: \(list)")
        }
        return resolved
    }

    /// The deployed change a dependency names (Sqitch's `change_id_for_depend`): by the
    /// plan's ID for this project's changes, else by project, change and tag.
    private func lookup(_ dependency: Dependency, id: String?, registry: Registry?) throws -> String? {
        // No registry yet (a dry run's first deploy): nothing is deployed.
        guard let registry else { return nil }
        return try registry.changeID(changeID: id, change: dependency.change, tag: dependency.tag,
                              project: dependency.resolvedProject(planProject: registry.project), first: true)
    }

    /// `  + name @tag ..... ` / `  - ...`: the progress prefix, padded to `width`.
    static func progress(_ sign: String, _ name: String, width: Int) -> String {
        "  \(sign) \(name) .." + String(repeating: ".", count: max(0, width - name.count)) + " "
    }

    /// Deploys one change (Sqitch's `deploy_change`): script, optional verify, log; on a
    /// verify or log failure the bookkeeping is rolled back and the revert script run; any
    /// failure logs a `fail` event and prints `not ok`.
    func deployChange(_ change: Change, plan: Plan, registry: Registry, requires: [String?], width: Int) throws {
        let console = sqitch.console
        console.infoLiteral(EngineSession.progress("+", change.formatNameWithTags, width: width))
        let user = try self.user()
        let connection = registry.connection
        try connection.begin()
        var open = true
        do {
            let file = scriptPath("deploy", of: change)
            if !sqitch.files.exists(file) {
                throw EngineError("Deploy script \(file) does not exist")
            }
            if !logOnly { try engine.runScript(file, variables: variables) }
            do {
                if withVerify { try verifyChange(change) }
                var dependencies: [Registry.LoggedDependency] = []
                for (index, dependency) in change.requires.enumerated() {
                    dependencies.append(.init(
                        type: "require", dependency: dependency.asString(planProject: plan.project),
                        dependencyID: index < requires.count ? requires[index] : nil))
                }
                for dependency in change.conflicts {
                    dependencies.append(.init(
                        type: "conflict", dependency: dependency.asString(planProject: plan.project), dependencyID: nil))
                }
                try registry.logDeploy(change, scriptHash: scriptHash(of: change), dependencies: dependencies, user: user)
                console.info("ok")
            } catch {
                console.vent(EngineSession.message(of: error))
                try? connection.rollback()
                open = false
                // As Sqitch: a failure to begin again or of the revert script replaces the
                // error, and is reported once, by the caller.
                try connection.begin()
                open = true
                if !logOnly { try engine.runScript(scriptPath("revert", of: change), variables: variables) }
                throw ReportedFailure(message: "Deploy failed")
            }
        } catch {
            // As Sqitch: finish the work, then log the failure outside it; a failure to
            // log (a locked registry) replaces the error and skips `not ok`.
            if open { try? connection.commit() }
            try registry.logFail(change, user: user)
            console.info("not ok")
            throw error is ReportedFailure ? EngineError("Deploy failed", reason: .deployFailedAfterReport) : error
        }
        try connection.commit()
    }

    /// Runs `body` with SIGINT and SIGTERM noted instead of ending the process (a second
    /// one still does), so that the loop in `body` can stop between changes.
    static func deferringInterrupts(_ body: () throws -> Void) throws {
        sqlitch_defer_interrupts()
        defer { sqlitch_restore_interrupts() }
        try body()
    }

    /// Fails with `{what} interrupted by SIG{name} after "{change}"` (exit 128 + the
    /// signal's number, as a shell reports a program the signal ended) when SIGINT or
    /// SIGTERM came while `deferringInterrupts` ran.
    static func stopIfInterrupted(_ what: String, after change: String) throws {
        let signal = sqlitch_noted_interrupt()
        guard signal != 0 else { return }
        throw EngineError(
            "\(what) interrupted by SIG\(ProcessFailure.signalName(signal)) after \"\(change)\"",
            exitCode: 128 + signal, reason: .interrupted)
    }

    /// The text Sqitch prints for an error: a `SqitchFailure`'s message, else its description.
    static func message(of error: Error) -> String {
        if let error = error as? any SqitchFailure { return error.message }
        if let error = error as? ReportedFailure { return error.message }
        return String(describing: error)
    }

    /// Runs the change's verify script (Sqitch's `verify_change`): a missing script is
    /// reported on standard error and passes; a failing one is
    /// `Verify script "{file}" failed.`.
    public func verifyChange(_ change: Change) throws {
        let file = scriptPath("verify", of: change)
        guard sqitch.files.exists(file) else {
            sqitch.console.vent("Verify script \(file) does not exist")
            return
        }
        do {
            try engine.runVerify(file, variables: variables)
        } catch {
            throw EngineError("Verify script \"\(file)\" failed.")
        }
    }

    /// Reverts what this run deployed after a failure (Sqitch's `_rollback`), then fails
    /// with `Deploy failed`.
    private func rollback(_ run: [Change], to tagged: Change?, startAt: String?, plan: Plan, registry: Registry,
                          width: Int) throws -> Never {
        let console = sqitch.console
        if !run.isEmpty {
            if let name = tagged?.formatNameWithTags ?? startAt {
                console.vent("Reverting to \(name)")
            } else {
                console.vent("Reverting all changes")
            }
            do {
                for change in run.reversed() {
                    try revertChange(EngineSession.deployed(change), plan: plan, registry: registry, width: width)
                }
            } catch {
                console.vent(EngineSession.message(of: error))
                console.vent("The schema will need to be manually repaired")
            }
        }
        throw EngineError("Deploy failed")
    }

    /// A plan change as the registry would return it once deployed.
    static func deployed(_ change: Change) -> DeployedChange {
        DeployedChange(
            id: change.id, name: change.name, project: change.project, note: change.note,
            tags: change.tags.map(\.formatName), scriptHash: nil, plannedAt: change.timestamp,
            plannerName: change.plannerName, plannerEmail: change.plannerEmail)
    }
}
