import FoundationEssentials

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
        /// The verify script `--verify` runs after the deploy script.
        public var verify: VerifyRun?
        /// Why the run would stop at this change (its script is missing); the last step then.
        public var failure: String?
    }

    /// A verify script a deploy would run, and how.
    public struct VerifyRun: Sendable {
        public var script: String
        public var scriptExists: Bool
        public var command: [String]
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
    /// The deploy would add the project's row to the registry's `projects`.
    public var registersProject = false
    /// Tags of the deployed change the registry lacks, which the deploy records first.
    public var recordsTags: [String] = []
    /// The deploy first rewrites the deployed changes' script hashes (a registry upgraded
    /// from before release 1.0).
    public var refreshesScriptHashes = false
    /// `--log-only`: no script would run, only the registry would be written.
    public var logOnly = false
    /// The database file the client would create with the first script (SQLite).
    public var createsDatabase: String?
    /// Why the run would stop (a missing script), if it would.
    public var failure: String? { steps.last?.failure }

    /// The error the run would end with: the failure, then, for a deploy that reverts what
    /// it did (`--mode all` or `tag`), the deploy's own `Deploy failed`.
    public var finalError: String? {
        guard let failure else { return nil }
        if command == "deploy", let mode, mode != .change { return failure + "\nDeploy failed" }
        return failure
    }

    /// An interactive run would ask this before reverting (the dry run assumes yes).
    public var question: String?

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
            for (expression, suffix) in [(passwordSetting, ""), (uriPassword, "@")] {
                text = expression.replacingMatches(in: text) { ($0[1] ?? "") + masked + suffix }
            }
            return text
        }
    }

    private static let passwordSetting = try! RegularExpression(#"(password=)(?:\\.|[^ \\])*"#)
    private static let uriPassword = try! RegularExpression(#"(://[^/@:]*:)[^/@]*@"#)
}

extension EngineSession {
    /// The client's command line for `script`, passwords masked.
    private func maskedCommand(_ script: String) throws -> [String] {
        let command = try engine.scriptCommand(path: script, variables: variables)
        return DryRunPreview.mask([command.executable] + command.arguments)
    }

    private func step(_ operation: String, name: String, id: String, tags: [String], script: String,
                      requires: [String], conflicts: [String], exists: Bool) throws -> DryRunPreview.Step {
        var step = DryRunPreview.Step(
            operation: operation, change: name, changeID: id, tags: tags, script: script, scriptExists: exists,
            command: logOnly ? [] : try maskedCommand(script), variables: logOnly ? [] : variables,
            requires: requires, conflicts: conflicts)
        // The runs check the script before anything else, --log-only or not.
        if !exists { step.failure = "\(operation == "deploy" ? "Deploy" : "Revert") script \(script) does not exist" }
        return step
    }

    /// The steps up to and including the first that would fail.
    private func untilFailure(_ steps: [DryRunPreview.Step]) -> [DryRunPreview.Step] {
        guard let failing = steps.firstIndex(where: { $0.failure != nil }) else { return steps }
        return Array(steps[...failing])
    }

    /// What `deploy(to:mode:)` would do; fails where the deploy would fail before its first
    /// change (an unknown change, a project or URI registered otherwise, missing or
    /// conflicting dependencies, changes already deployed), with the deploy's messages.
    /// `reverted` names the changes a revert just before would remove (a rebase's or
    /// checkout's dry run): the deploy starts from the registry as it would be without them.
    /// `fileExists` answers for the scripts (a checkout's deploy reads another branch's).
    public func previewDeploy(to: String? = nil, mode: DeployMode = .all, reverted: Set<String> = [],
                              fileExists: ((String) -> Bool)? = nil) throws -> DryRunPreview {
        let exists = fileExists ?? { self.sqitch.files.exists($0) }
        let present = try engine.registryIsPresent()
        let plan = try self.plan()
        var preview = DryRunPreview(
            command: "deploy", database: destination, registry: engine.registryDestination, registryExists: present,
            createsRegistry: !present, upgradesRegistry: false, steps: [], mode: mode)
        preview.logOnly = logOnly
        var current = -1
        var registry: Registry?
        var installed = RegistryRelease.current
        // The deploy upgrades the registry where the dry run calls this: a registry it
        // cannot upgrade (newer than sqlitch knows) fails there, with the upgrade's message.
        func checkUpgrade() throws {
            guard installed != .current else { return }
            _ = try RegistryUpgradePlan.steps(from: installed, available: engine.upgrades, engine: engine.key)
            preview.upgradesRegistry = true
        }
        if present {
            let opened = try self.registry()
            registry = opened
            installed = try engine.registryRelease()
            let state = reverted.isEmpty
                ? try opened.currentState() : try opened.deployedChanges().last { !reverted.contains($0.id) }
            if let state {
                guard let index = try plan.index(of: state.id) else {
                    throw PlanError("Cannot find change \(state.id) (\(([state.name] + state.tags).joined(separator: " "))) in \(plan.file)")
                }
                current = index
                // What the deploy's plan sync writes before any change (`syncPlan`); a
                // registry without `script_hash` is upgraded even with nothing to deploy.
                if !state.hasScriptHash { try checkUpgrade() }
                preview.refreshesScriptHashes = !state.hasScriptHash || state.scriptHash == state.id
                preview.recordsTags = try plan.changes[index].tags.filter { try !opened.isDeployed(tagID: $0.id) }
                    .map(\.formatName)
            }
        }
        let (toIndex, nothing) = try deployEnd(plan, to: to, current: current)
        if let nothing {
            preview.nothingToDo = nothing
            preview.createsRegistry = false
            return preview
        }
        if current == -1 {
            if present { try checkUpgrade() }
            preview.registersProject = try registry?.projectNeedsRegistering(uri: plan.uri) ?? true
        } else {
            if toIndex < current { throw EngineError("Cannot deploy to an earlier change; use \"revert\" instead") }
            try checkUpgrade()
        }
        let pending = Array(plan.changes[(current + 1)...toIndex])
        _ = try checkDeployDependencies(pending, plan: plan, registry: registry, reverted: reverted)
        // A target database that is not there: the client creates it (SQLite) or fails on
        // the first script (MySQL). Under --log-only only --verify runs the client.
        var database = TargetDatabaseState.present
        if !logOnly || withVerify { database = try engine.targetDatabaseState() }
        if case .createdByFirstScript(let file) = database { preview.createsDatabase = file }
        preview.steps = untilFailure(try pending.enumerated().map { index, change in
            let script = scriptPath("deploy", of: change, exists: exists)
            var step = try step("deploy", name: change.name, id: change.id, tags: change.tags.map(\.formatName),
                                script: script,
                                requires: change.requires.map { $0.asString(planProject: plan.project) },
                                conflicts: change.conflicts.map { $0.asString(planProject: plan.project) },
                                exists: exists(script))
            // --verify runs the verify script even with --log-only, as Sqitch does.
            if withVerify {
                let verify = scriptPath("verify", of: change, exists: exists)
                step.verify = DryRunPreview.VerifyRun(script: verify, scriptExists: exists(verify),
                                                      command: try maskedCommand(verify))
            }
            if index == 0, step.failure == nil, case .missing(let message) = database { step.failure = message }
            return step
        })
        return preview
    }

    /// Fails as a revert does when there is no registry, without creating one.
    public func requireRegistryForDryRun() throws {
        guard try engine.registryIsPresent() else {
            throw RegistryUpgradePlan.checkError(installed: .none, initialized: false, destination: engine.registryDestination)
                ?? EngineError("No registry found in \(engine.registryDestination)")
        }
    }

    /// What `revert(to:)` would do, without asking; fails as the revert would. With `prompt`,
    /// an unattended run takes `promptDefault` as the answer, and a "no" fails as the
    /// revert's does; an interactive one would ask (`question`), and the dry run goes on as
    /// if the answer were yes.
    public func previewRevert(to: String? = nil, prompt: Bool = false, promptDefault: Bool = true)
        throws -> DryRunPreview {
        try requireRegistryForDryRun()
        try checkRegistry()
        let plan = try self.plan()
        let registry = try self.registry()
        var preview = DryRunPreview(
            command: "revert", database: destination, registry: engine.registryDestination, registryExists: true,
            createsRegistry: false, upgradesRegistry: false, steps: [])
        preview.logOnly = logOnly
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
            if prompt {
                preview.question = "Revert changes to \(change.formatNameWithTags) from \(destination)?"
                if sqitch.isUnattended && !promptDefault {
                    throw EngineError("Nothing reverted", exitCode: 1, reason: .revertDeclined)
                }
            }
        } else {
            changes = try registry.deployedChanges()
            if changes.isEmpty {
                preview.nothingToDo = "Nothing to revert (nothing deployed)"
                return preview
            }
            if prompt {
                preview.question = "Revert all changes from \(destination)?"
                if sqitch.isUnattended && !promptDefault { throw EngineError("Nothing reverted", exitCode: 1) }
            }
        }
        changes.reverse()
        try checkRevertDependencies(changes, registry: registry)
        preview.steps = untilFailure(try changes.map { change in
            let script = revertScript(of: change, plan: plan)
            return try step("revert", name: change.name, id: change.id, tags: change.tags, script: script,
                            requires: registry.recordedDependencies(of: change.id, type: "require"),
                            conflicts: registry.recordedDependencies(of: change.id, type: "conflict"),
                            exists: sqitch.files.exists(script))
        })
        return preview
    }
}

/// What `rebase` or `checkout` would do (`--dry-run`): a revert, then a deploy from the
/// registry as the revert would leave it; for `checkout`, the branch switch between them.
public struct RevertDeployPreview: Sendable {
    /// `rebase` or `checkout`.
    public var command: String
    public var revert: DryRunPreview
    /// Nil when the revert would fail (a missing script): the run stops there.
    public var deploy: DryRunPreview?
    /// `checkout`: the change the branches last share, and the version control command that
    /// would switch branches.
    public var lastCommonChange: String?
    public var checkout: [String]?

    /// The error the run would end with, if any.
    public var finalError: String? { revert.finalError ?? deploy?.finalError }

    /// The text `--dry-run` prints.
    public var text: String {
        var lines = [revert.header]
        if let lastCommonChange { lines.append("Last change before the branches diverged: \(lastCommonChange)") }
        lines += revert.body
        if let checkout, revert.failure == nil {
            lines.append("Would run: " + checkout.map(DryRunPreview.shellQuoted).joined(separator: " "))
        }
        if let deploy { lines += deploy.body }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension EngineSession {
    /// What `rebase(onto:upto:...)` would do, or `checkout` with `toPlan`, the branch's plan
    /// (the session's plan is the current branch's), and `toFiles`, whether a script is in the
    /// branch's tree. A revert failure of exit code 0 or 1 (nothing to revert) lets the deploy
    /// go on, as in the run.
    public func previewRevertDeploy(command: String, onto: String?, upto: String?, mode: DeployMode,
                                    prompt: Bool, promptDefault: Bool,
                                    revertVariables: [(name: String, value: String)],
                                    deployVariables: [(name: String, value: String)],
                                    toPlan: Plan? = nil, toFiles: ((String) -> Bool)? = nil)
        throws -> RevertDeployPreview {
        variables = revertVariables
        var revert: DryRunPreview
        do {
            revert = try previewRevert(to: onto, prompt: prompt, promptDefault: promptDefault)
        } catch let error as any SqitchFailure
            where error.exitCode <= 1 && (error as? EngineError)?.reason != .revertDeclined {
            // As the run: a declined revert of everything still deploys.
            revert = DryRunPreview(
                command: "revert", database: destination, registry: engine.registryDestination,
                registryExists: try engine.registryIsPresent(), createsRegistry: false, upgradesRegistry: false,
                nothingToDo: error.message, steps: [])
        }
        var preview = RevertDeployPreview(command: command, revert: revert)
        guard revert.failure == nil else { return preview }
        variables = deployVariables
        if let toPlan { use(plan: toPlan) }
        preview.deploy = try previewDeploy(to: upto, mode: mode, reverted: Set(revert.steps.map(\.changeID)),
                                           fileExists: toFiles)
        return preview
    }
}

extension DryRunPreview {
    /// The text `--dry-run` prints.
    public var text: String {
        ([header] + body).joined(separator: "\n") + "\n"
    }

    /// The first line of the text.
    var header: String { "Dry run: nothing is changed in \(database) or its registry \(registry)" }

    /// The lines after the header.
    var body: [String] {
        var lines: [String] = []
        if createsRegistry { lines.append("Would add registry tables to \(registry)") }
        if upgradesRegistry { lines.append("Would upgrade the registry \(registry) to the current release") }
        if refreshesScriptHashes { lines.append("Would refresh the script hashes of the deployed changes") }
        if !recordsTags.isEmpty {
            lines.append("Would record the deployed change's tags the registry lacks: " + recordsTags.joined(separator: " "))
        }
        if registersProject { lines.append("Would register the project in \(registry)") }
        if let createsDatabase { lines.append("The client would create the database file \(createsDatabase)") }
        if logOnly { lines.append("--log-only: no deploy or revert script would run; the registry would be written as if they had") }
        if let nothingToDo {
            lines.append(nothingToDo)
            return lines
        }
        if let question { lines.append("Would ask: \(question) (taken as yes here)") }
        lines.append(command == "deploy" ? "Would deploy to \(database):" : "Would revert from \(database):")
        for step in steps {
            lines.append("  \(step.operation == "deploy" ? "+" : "-") " + ([step.change] + step.tags).joined(separator: " "))
            lines.append("      script:    \(step.script)" + (step.scriptExists ? "" : " (missing)"))
            if let failure = step.failure {
                lines.append("      fails:     " + failure)
                break
            }
            if !step.command.isEmpty {
                lines.append("      command:   " + step.command.map(DryRunPreview.shellQuoted).joined(separator: " "))
            }
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
            if let verify = step.verify {
                lines.append("      verify:    " + (verify.scriptExists
                    ? verify.command.map(DryRunPreview.shellQuoted).joined(separator: " ")
                    : "\(verify.script) (missing: the run would warn and go on)"))
            }
            lines.append("      registry:  " + rows.joined(separator: ", "))
        }
        if let onFailure, let mode { lines.append("If a change fails (--mode \(mode.rawValue)): \(onFailure)") }
        return lines
    }

    /// Foundation's `CharacterSet.alphanumerics`: Unicode's letters, marks and numbers.
    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// A word as a POSIX shell reads it back.
    static func shellQuoted(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy {
            isAlphanumeric($0) || "-_=./:,@%+".unicodeScalars.contains($0)
        }
        if plain && !word.isEmpty { return word }
        if !word.contains(where: { "\"$`\\!".contains($0) }) { return "\"" + word + "\"" }
        return "'" + word.replacingEvery("'", with: "'\\''") + "'"
    }
}
