import Foundation

/// What a `deploy` or `revert` would do (`--dry-run`, sqlitch's addition): worked out with
/// the real run's own rules from the plan and the registry, read without a lock and without
/// writing anything (an SQLite registry file that is not there is not created).
public struct DryRunPreview: Sendable {
    /// One change the run would deploy or revert, in order.
    public struct Step: Sendable {
        /// `deploy` or `revert`.
        public var operation: String
        public var change: String
        public var changeID: String
        public var tags: [String]
        /// The script, as the client would be given it, and whether it is there.
        public var script: String
        public var scriptExists: Bool
        /// The client's command line, passwords masked.
        public var command: [String]
        public var variables: [(name: String, value: String)]
        /// The dependencies the `dependencies` rows would record (deploy) or drop (revert).
        public var requires: [String]
        public var conflicts: [String]
    }

    /// `deploy` or `revert`.
    public var command: String
    public var database: String
    public var registry: String
    public var registryExists: Bool
    /// The registry would be created (deploy to a target without one).
    public var createsRegistry: Bool
    /// The registry would be upgraded to the current release first.
    public var upgradesRegistry: Bool
    /// Why nothing would be done (`Nothing to deploy (up-to-date)`), when so.
    public var nothingToDo: String?
    public var steps: [Step]
    /// `deploy --mode` and what it would revert on a failure.
    public var mode: DeployMode?

    /// What `--mode` reverts when a change fails, in words.
    public var onFailure: String? {
        switch mode {
        case nil: return nil
        case .all?: return "revert every change this run deployed"
        case .tag?: return "revert to the last tag this run deployed, or every change it deployed when it deployed no tag"
        case .change?: return "revert nothing: the changes deployed before the failure stay"
        }
    }

    public static let masked = "********"

    /// `argv` with password values hidden: `--password=x`, `password=x` (and
    /// `sslpassword=x`) in a connection string, backslash escapes included, and `user:x@`
    /// in a URI.
    public static func mask(_ argv: [String]) -> [String] {
        argv.map { argument in
            if argument.hasPrefix("--password=") { return "--password=" + masked }
            var text = argument
            for (pattern, template) in [(#"(password=)(?:\\.|[^ \\])*"#, "$1" + masked),
                                        (#"(://[^/@:]*:)[^/@]*@"#, "$1" + masked + "@")] {
                let expression = try! NSRegularExpression(pattern: pattern)
                text = expression.stringByReplacingMatches(
                    in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
            }
            return text
        }
    }
}

extension EngineSession {
    private func step(_ operation: String, name: String, id: String, tags: [String], script: String,
                      requires: [String], conflicts: [String]) throws -> DryRunPreview.Step {
        let command = try engine.scriptCommand(path: script, variables: variables)
        return DryRunPreview.Step(
            operation: operation, change: name, changeID: id, tags: tags, script: script,
            scriptExists: sqitch.files.exists(script),
            command: DryRunPreview.mask([command.executable] + command.arguments), variables: variables,
            requires: requires, conflicts: conflicts)
    }

    /// What `deploy(to:mode:)` would do; fails where the deploy would fail before its first
    /// change (an unknown change, missing or conflicting dependencies, changes already
    /// deployed), with the deploy's messages.
    public func previewDeploy(to: String? = nil, mode: DeployMode = .all) throws -> DryRunPreview {
        let present = try engine.registryIsPresent()
        let plan = try self.plan()
        var preview = DryRunPreview(
            command: "deploy", database: destination, registry: engine.registryDestination, registryExists: present,
            createsRegistry: !present, upgradesRegistry: false, steps: [], mode: mode)
        var current = -1
        var registry: Registry?
        if present {
            let opened = try self.registry()
            registry = opened
            let installed = try engine.registryRelease()
            // A newer registry than sqlitch knows fails the deploy: the dry run too.
            if installed > .current, let error = RegistryUpgradePlan.checkError(
                installed: installed, initialized: true, destination: engine.registryDestination) {
                throw error
            }
            preview.upgradesRegistry = installed < .current
            if let state = try opened.currentState() {
                guard let index = try plan.index(of: state.id) else {
                    throw PlanError("Cannot find change \(state.id) (\(([state.name] + state.tags).joined(separator: " "))) in \(plan.file)")
                }
                current = index
            }
        }
        let (toIndex, nothing) = try deployEnd(plan, to: to, current: current)
        if let nothing {
            preview.nothingToDo = nothing
            preview.createsRegistry = false
            preview.upgradesRegistry = false
            return preview
        }
        if toIndex < current {
            throw EngineError("Cannot deploy to an earlier change; use \"revert\" instead")
        }
        let pending = Array(plan.changes[(current + 1)...toIndex])
        _ = try checkDeployDependencies(pending, plan: plan, registry: registry)
        preview.steps = try pending.map { change in
            try step("deploy", name: change.name, id: change.id, tags: change.tags.map(\.formatName),
                     script: scriptPath("deploy", of: change),
                     requires: change.requires.map { $0.asString(planProject: plan.project) },
                     conflicts: change.conflicts.map { $0.asString(planProject: plan.project) })
        }
        return preview
    }

    /// Fails as a revert does when there is no registry, without creating one.
    public func requireRegistryForDryRun() throws {
        guard try engine.registryIsPresent() else {
            throw RegistryUpgradePlan.checkError(installed: .none, initialized: false, destination: engine.registryDestination)
                ?? EngineError("No registry found in \(engine.registryDestination)")
        }
    }

    /// What `revert(to:)` would do, without asking; fails as the revert would.
    public func previewRevert(to: String? = nil) throws -> DryRunPreview {
        try requireRegistryForDryRun()
        try checkRegistry()
        let plan = try self.plan()
        let registry = try self.registry()
        var preview = DryRunPreview(
            command: "revert", database: destination, registry: engine.registryDestination, registryExists: true,
            createsRegistry: false, upgradesRegistry: false, steps: [])
        var changes: [DeployedChange]
        if let to {
            guard let change = try registry.change(forKey: to, ambiguous: { try self.ambiguous(to, $0, plan: plan, registry: registry) })
            else {
                if try plan.find(to) != nil { throw EngineError("Change not deployed: \"\(to)\"") }
                throw EngineError("Unknown change: \"\(to)\"")
            }
            changes = try registry.deployedChanges(since: change.id)
            if changes.isEmpty {
                preview.nothingToDo = "No changes deployed since: \"\(to)\""
                return preview
            }
        } else {
            changes = try registry.deployedChanges()
            if changes.isEmpty {
                preview.nothingToDo = "Nothing to revert (nothing deployed)"
                return preview
            }
        }
        changes.reverse()
        try checkRevertDependencies(changes, registry: registry)
        preview.steps = try changes.map { change in
            try step("revert", name: change.name, id: change.id, tags: change.tags,
                     script: revertScript(of: change, plan: plan),
                     requires: registry.recordedDependencies(of: change.id, type: "require"),
                     conflicts: registry.recordedDependencies(of: change.id, type: "conflict"))
        }
        return preview
    }
}

extension DryRunPreview {
    /// The text `--dry-run` prints.
    public var text: String {
        var lines = ["Dry run: nothing is changed in \(database) or its registry \(registry)"]
        if createsRegistry { lines.append("Would add registry tables to \(registry)") }
        if upgradesRegistry { lines.append("Would upgrade the registry \(registry) to the current release") }
        if let nothingToDo {
            lines.append(nothingToDo)
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append(command == "deploy" ? "Would deploy to \(database):" : "Would revert from \(database):")
        for step in steps {
            lines.append("  \(step.operation == "deploy" ? "+" : "-") " + ([step.change] + step.tags).joined(separator: " "))
            lines.append("      script:    \(step.script)" + (step.scriptExists ? "" : " (missing: the run would fail here)"))
            lines.append("      command:   " + step.command.map(DryRunPreview.shellQuoted).joined(separator: " "))
            if !step.variables.isEmpty {
                lines.append("      variables: " + step.variables.map { "\($0.name)=\($0.value)" }.joined(separator: " "))
            }
            var rows = [step.operation == "deploy" ? "insert changes row" : "delete changes row"]
            let dependencies = step.requires.count + step.conflicts.count
            if dependencies > 0 {
                rows.append("\(step.operation == "deploy" ? "insert" : "delete") \(dependencies) dependency row"
                    + (dependencies == 1 ? "" : "s"))
            }
            if !step.tags.isEmpty {
                rows.append("\(step.operation == "deploy" ? "insert" : "delete") tags " + step.tags.joined(separator: " "))
            }
            rows.append("\(step.operation) event")
            lines.append("      registry:  " + rows.joined(separator: ", "))
        }
        if let onFailure, let mode { lines.append("If a change fails (--mode \(mode.rawValue)): \(onFailure)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A word as a POSIX shell reads it back.
    static func shellQuoted(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_=./:,@%+".unicodeScalars.contains($0)
        }
        if plain && !word.isEmpty { return word }
        if !word.contains(where: { "\"$`\\!".contains($0) }) { return "\"" + word + "\"" }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
