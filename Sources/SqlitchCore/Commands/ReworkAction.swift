/// `sqitch rework`: appends a new instance of a tagged change, keeping the old scripts
/// under `<name>@<tag>` names and starting the new revert script from the old deploy script.
public struct ReworkAction {
    /// The options of `rework`.
    public struct Options: Sendable {
        public var changeName: String?
        public var requires: [String] = []
        public var conflicts: [String] = []
        public var notes: [String] = []
        public var all: Bool?
        /// nil = `rework.open_editor`, then `add.open_editor`.
        public var openEditor: Bool?
        public var context = PlanContextOptions()

        public init() {}
    }

    public var options: Options

    public init(options: Options) { self.options = options }

    /// One copy: `source` to `destination`, skipped unless `original` exists.
    struct Copy {
        var source: String
        var destination: String
        var original: String
    }

    /// Runs the command over its positional arguments (change name and targets).
    public func execute(_ sqitch: Sqitch, arguments: [String]) throws {
        AuthoringNote.warnTopDir(options.context.topDir, command: "rework", sqitch: sqitch)
        let parsed = try Target.parseArguments(
            sqitch: sqitch, command: "rework", arguments: arguments, names: [options.changeName],
            noChanges: true, all: options.all ?? false, overrides: options.context.overrides,
            isChange: { _, _ in false })
        guard let name = Perl.truthy(parsed.names.first ?? nil) else {
            throw UsageError("")
        }

        let rawNote = AuthoringNote.joined(options.notes)
        var work: [String: (plan: Plan, changeIndex: Int, copies: [Copy])] = [:]
        var order: [String] = []
        var files: [String] = []
        var seen: Set<String> = []

        for target in parsed.targets {
            let file = target.planFile
            var entry: (plan: Plan, changeIndex: Int, copies: [Copy])
            let reworked: Change
            var previous: Change
            if let existing = work[file] {
                entry = existing
                reworked = entry.plan.changes[entry.changeIndex]
                previous = try Self.previousInstance(named: name, in: entry.plan)
            } else {
                var plan = try Plan.load(path: file, sqitch: sqitch)
                try Self.check(name: name, in: plan, sqitch: sqitch)
                let (requires, conflicts) = try Plan.parseDependencies(requires: options.requires,
                                                                       conflicts: options.conflicts)
                try AddAction.checkTags([Dependency(change: name, tag: plan.lastTaggedChange!.tags[0].name)] + requires,
                                        in: plan)
                let identity = try Identity.resolve(sqitch)
                let change = Change(name: name, requires: requires, conflicts: conflicts,
                                    note: AuthoringNote.decoded(rawNote), timestamp: AuthoringNote.now(sqitch),
                                    plannerName: identity.name, plannerEmail: identity.email)
                try plan.rework(change)
                entry = (plan, plan.changes.count - 1, [])
                reworked = plan.changes[plan.changes.count - 1]
                previous = try Self.previousInstance(named: name, in: plan)
                order.append(file)
            }

            let newPaths = Self.paths(of: reworked, target: target, sqitch: sqitch)
            let oldPaths = Self.paths(of: previous, target: target, sqitch: sqitch)
            for i in 0..<3 where seen.insert(newPaths[i]).inserted {
                if sqitch.files.exists(newPaths[i]) { files.append(newPaths[i]) }
                entry.copies.append(Copy(source: newPaths[i], destination: oldPaths[i], original: newPaths[i]))
            }
            if seen.insert(oldPaths[1]).inserted {
                entry.copies.append(Copy(source: newPaths[0], destination: newPaths[1], original: oldPaths[1]))
            }
            work[file] = entry
        }
        guard let firstFile = order.first else { return }

        let firstChange = work[firstFile]!.plan.changes[work[firstFile]!.changeIndex]
        let note = try AuthoringNote.request(
            note: rawNote,
            prompt: AuthoringNote.changePrompt(command: "rework", line: AddAction.opNameDependencies(firstChange),
                                               scripts: files),
            sqitch: sqitch)

        for file in order {
            var entry = work[file]!
            for copy in entry.copies { try Self.copy(copy, sqitch: sqitch) }
            if note != rawNote {
                entry.plan.changes[entry.changeIndex].note = note
                if !note.isEmpty, entry.plan.changes[entry.changeIndex].rspace.isEmpty {
                    entry.plan.changes[entry.changeIndex].rspace = " "
                }
                entry.plan.reindex()
            }
            try entry.plan.write(sqitch: sqitch)
            let change = entry.plan.changes[entry.changeIndex]
            sqitch.console.info("Added \"\(AddAction.opNameDependencies(change))\" to \(file).")
        }

        sqitch.console.info(files.count == 1 ? "Modify this file as appropriate:" : "Modify these files as appropriate:")
        for file in files { sqitch.console.info("  * " + file) }

        let openEditor = try options.openEditor ?? sqitch.config.bool("rework.open_editor")
            ?? sqitch.config.bool("add.open_editor") ?? false
        if openEditor { try Editor.edit(files, sqitch) }
    }

    /// Sqitch's checks before a rework, with the hints naming this program.
    static func check(name: String, in plan: Plan, sqitch: Sqitch) throws {
        guard let index = (try? plan.index(of: name + "@HEAD")) ?? nil else {
            throw PlanError("Change \"\(name)\" does not exist in \(plan.file).\nUse \"\(sqitch.programName) add \(name)\" to add it to the plan")
        }
        guard let tagged = plan.lastTaggedIndex, tagged >= index else {
            throw PlanError("Cannot rework \"\(name)\" without an intervening tag.\nUse \"\(sqitch.programName) tag\" to create a tag and try again")
        }
    }

    /// The instance before the new one: `name@<last tag of the last tagged change>`.
    static func previousInstance(named name: String, in plan: Plan) throws -> Change {
        guard let tagged = plan.lastTaggedChange, let tag = tagged.tags.last,
              let change = try plan.change(name + tag.formatName) else {
            throw PlanError("Change \"\(name)\" does not exist in \(plan.file).")
        }
        return change
    }

    /// The deploy, revert and verify script paths of `change` in `target`.
    static func paths(of change: Change, target: Target, sqitch: Sqitch) -> [String] {
        let dirs = [(target.deployDir, target.reworkedDeployDir), (target.revertDir, target.reworkedRevertDir),
                    (target.verifyDir, target.reworkedVerifyDir)]
        return dirs.map { dir, reworkedDir in
            change.scriptPath(directory: dir, reworkedDirectory: reworkedDir,
                              reworkedDeployDirectory: target.reworkedDeployDir,
                              extension: target.extension, files: sqitch.files)
        }
    }

    /// Copies one file, creating the destination's directory.
    static func copy(_ copy: Copy, sqitch: Sqitch) throws {
        guard sqitch.files.exists(copy.original) else {
            sqitch.console.debug("Skipped \(copy.destination): \(copy.original) does not exist")
            return
        }
        try AuthoringNote.makeParent(of: copy.destination, sqitch: sqitch)
        do {
            let data = try sqitch.files.readData(copy.source)
            try sqitch.files.writeAtomically(copy.destination, data)
        } catch let error as any SqitchFailure {
            throw CommandError("Cannot copy \(copy.source) to \(copy.destination): \(error.message)")
        }
        sqitch.console.debug("Copied \(copy.source) to \(copy.destination)")
    }
}

extension ReworkAction.Options: CommandOptionSet {
    public static var grammar: CommandGrammar<ReworkAction.Options> {
        CommandGrammar([
            .text("-c --change --change-name", \.changeName, "<name>", "the change to rework", complete: .change),
            .list("-r --requires", \.requires, "<change>", "a change the new version depends on (repeatable)",
                  complete: .change),
            .list("-x --conflicts", \.conflicts, "<change>", "a change the new version cannot coexist with",
                  complete: .change),
            SharedOptions.note(\.notes, "the new version's note (repeatable)"),
            SharedOptions.all(\.all, "rework the change in every plan of the project"),
            SharedOptions.openEditor(\.openEditor, "open the scripts in an editor"),
        ] + SharedOptions.context(planFile: \.context.planFile, topDir: \.context.topDir))
    }
}
