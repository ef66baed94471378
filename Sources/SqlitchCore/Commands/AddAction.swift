import FoundationEssentials

/// `sqitch add`: adds a change to one or more plans and writes its scripts from templates.
///
/// Everything is checked first (name, duplicates, dependencies, templates, the note), then
/// scripts are written, then each plan file (atomically). A failure before the writes
/// leaves every file as it was.
public struct AddAction {
    /// The options of `add`.
    public struct Options: Sendable {
        public var changeName: String?
        public var requires: [String] = []
        public var conflicts: [String] = []
        public var notes: [String] = []
        /// `--all`/`--no-all`; nil = `add.all`.
        public var all: Bool?
        public var templates = TemplateOptions()
        /// `--open-editor`/`--no-open-editor`; nil = `add.open_editor`.
        public var openEditor: Bool?
        public var context = PlanContextOptions()

        public init() {}
    }

    public var options: Options

    public init(options: Options) { self.options = options }

    /// One plan file's share of the work.
    struct PlanWork {
        var plan: Plan
        var changeIndex: Int
        /// (path, template, engine, project), in writing order.
        var scripts: [(path: String, template: ScriptTemplate, engine: String, project: String)] = []
        var seen: Set<String> = []
    }

    /// Runs the command over its positional arguments (change name and targets).
    public func execute(_ sqitch: Sqitch, arguments: [String]) throws {
        AuthoringNote.warnTopDir(options.context.topDir, command: "add", sqitch: sqitch)
        let templateSet = try TemplateSet(sqitch: sqitch, options: options.templates)
        guard !arguments.isEmpty || options.changeName != nil else { throw UsageError("") }

        let parsed = try Target.parseArguments(
            sqitch: sqitch, command: "add", arguments: arguments, names: [options.changeName],
            noChanges: true, all: options.all ?? false, overrides: options.context.overrides,
            isChange: { _, _ in false })
        guard let name = parsed.names.first ?? nil else {
            if let target = parsed.targets.first(where: { arguments.contains($0.name) }) {
                throw CommandError("Name \"\(target.name)\" identifies a target; use \"--change \(target.name)\" to use it for the change name")
            }
            throw UsageError("")
        }

        let rawNote = AuthoringNote.joined(options.notes)
        var work: [String: PlanWork] = [:]
        var order: [String] = []
        var files: [String] = []
        var seenFiles: Set<String> = []
        var firstChange: (file: String, index: Int)?

        for target in parsed.targets {
            let templates = try templateSet.resolve(sqitch: sqitch, engine: target.engine)
            let file = target.planFile
            if work[file] == nil {
                var plan = try Plan.load(path: file, sqitch: sqitch)
                let index = try Self.addChange(named: name, to: &plan, options: options, note: rawNote, sqitch: sqitch)
                work[file] = PlanWork(plan: plan, changeIndex: index)
                order.append(file)
                if firstChange == nil { firstChange = (file, index) }
            }
            var spec = work[file]!
            let change = spec.plan.changes[spec.changeIndex]
            for template in templates where templateSet.with[template.type] != false {
                let path = Self.scriptPath(change: change, type: template.type, target: target)
                guard spec.seen.insert(path).inserted else { continue }
                if seenFiles.insert(path).inserted { files.append(path) }
                spec.scripts.append((path, template, target.engine, spec.plan.project))
            }
            work[file] = spec
        }
        guard let first = firstChange else { return }

        let firstLine = work[first.file]!.plan.changes[first.index]
        let note = try AuthoringNote.request(
            note: rawNote,
            prompt: AuthoringNote.changePrompt(command: "add", line: Self.opNameDependencies(firstLine),
                                               scripts: files),
            sqitch: sqitch)

        // A failure to write (a full disk) takes back the scripts this run created.
        var created: [String] = []
        do {
            try writeAll(order: order, work: work, note: note, rawNote: rawNote, name: name,
                         templateSet: templateSet, sqitch: sqitch, created: &created)
        } catch {
            for path in created { sqitch.files.removeFile(path) }
            throw error
        }

        let openEditor = try options.openEditor ?? sqitch.config.bool("add.open_editor") ?? false
        if openEditor { try Editor.edit(files, sqitch) }
    }

    private func writeAll(order: [String], work: [String: PlanWork], note: String, rawNote: String, name: String,
                          templateSet: TemplateSet, sqitch: Sqitch, created: inout [String]) throws {
        for file in order {
            var spec = work[file]!
            for script in spec.scripts {
                if try writeScript(script.path, template: script.template, name: name, engine: script.engine,
                                   project: script.project, templateSet: templateSet, sqitch: sqitch) {
                    created.append(script.path)
                }
            }
            if note != rawNote {
                spec.plan.changes[spec.changeIndex].note = note
                if !note.isEmpty, spec.plan.changes[spec.changeIndex].rspace.isEmpty {
                    spec.plan.changes[spec.changeIndex].rspace = " "
                }
                spec.plan.reindex()
            }
            try spec.plan.write(sqitch: sqitch)
            sqitch.console.info("Added \"\(Self.opNameDependencies(spec.plan.changes[spec.changeIndex]))\" to \(file)")
        }
    }

    /// `[op]name [deps]`, as the add and rework messages show a change.
    static func opNameDependencies(_ change: Change) -> String {
        let deps = change.formatDependencies
        return change.lopspace + change.operator + change.ropspace + change.name + (deps.isEmpty ? "" : " " + deps)
    }

    /// Adds the change to `plan` in memory with Sqitch's checks, in its order; returns its index.
    static func addChange(named name: String, to plan: inout Plan, options: Options, note: String,
                          sqitch: Sqitch) throws -> Int {
        try PlanNames.validate(name, isTag: false)
        if (try? plan.index(of: name + "@HEAD")) ?? nil != nil {
            throw PlanError("Change \"\(name)\" already exists in plan \(plan.file).\nUse \"\(sqitch.programName) rework\" to copy and rework it")
        }
        let (requires, conflicts) = try Plan.parseDependencies(requires: options.requires,
                                                               conflicts: options.conflicts)
        try checkTags(requires, in: plan)
        let identity = try Identity.resolve(sqitch)
        let change = Change(name: name, requires: requires, conflicts: conflicts,
                            note: AuthoringNote.decoded(note), timestamp: AuthoringNote.now(sqitch),
                            plannerName: identity.name, plannerEmail: identity.email)
        try plan.add(change)
        return plan.changes.count - 1
    }

    /// Looks up each same-project requirement as Sqitch does before adding, so that a
    /// `change@tag` with an unknown tag fails with `Unknown tag "@tag"`.
    static func checkTags(_ requires: [Dependency], in plan: Plan) throws {
        for req in requires where req.resolvedProject(planProject: plan.project) == plan.project {
            let key = req.keyName
            _ = try plan.index(of: key.contains("@") ? key : key + "@HEAD")
        }
    }

    /// Where a new (not reworked) change's script of `type` goes: the target's deploy,
    /// revert or verify directory, else `<top_dir>/<type>`.
    static func scriptPath(change: Change, type: String, target: Target) -> String {
        let dir: String
        switch type {
        case "deploy": dir = target.deployDir
        case "revert": dir = target.revertDir
        case "verify": dir = target.verifyDir
        default: dir = Target.join(target.topDir, type)
        }
        return Target.join(dir, change.pathSegments(extension: target.extension).joined(separator: "/"))
    }

    /// Writes one script from its template, unless the file exists; returns whether it did.
    @discardableResult
    func writeScript(_ path: String, template: ScriptTemplate, name: String, engine: String, project: String,
                     templateSet: TemplateSet, sqitch: Sqitch) throws -> Bool {
        if sqitch.files.exists(path) {
            sqitch.console.info("Skipped \(path): already exists")
            return false
        }
        try AuthoringNote.makeParent(of: path, sqitch: sqitch)
        let variables = templateSet.variables(change: name, engine: engine, project: project,
                                              requires: options.requires, conflicts: options.conflicts)
        let text = try template.render(files: sqitch.files, variables: variables)
        try sqitch.files.writeText(path, text)
        if let ext = Self.doubleExtension(path) {
            sqitch.console.warn("File \(path) has a double extension of \(ext)")
        }
        sqitch.console.info("Created \(path)")
        return true
    }

    /// The repeated extension of a file name like `x.sql.sql`, if any.
    static func doubleExtension(_ path: String) -> String? {
        doubleExtensionRegex.firstMatch(in: path)?[1]
    }

    private static let doubleExtensionRegex = try! RegularExpression(#"\.(\w+)\.(?:\1)+\z"#)
}

extension AddAction.Options: CommandOptionSet {
    public static var grammar: CommandGrammar<AddAction.Options> {
        CommandGrammar([
            OptionGroup("Change", [
                .text("-c --change --change-name", \.changeName, "<name>", "the new change's name"),
                .list("-r --requires", \.requires, "<change>", "a change this one depends on (repeatable)",
                      complete: .change),
                .list("-x --conflicts", \.conflicts, "<change>", "a change this one cannot coexist with (repeatable)",
                      complete: .change),
                SharedOptions.note(\.notes, "the change's note (repeatable: one paragraph each)"),
                SharedOptions.all(\.all, "add the change to every plan of the project"),
            ]),
            OptionGroup("Templates", [
                .text("-t --template --template-name", \.templates.templateName, "<name>", "which set of templates to use"),
                .text("--template-directory", \.templates.templateDirectory, "<dir>", "where to look for templates",
                      complete: .directory),
                OptionSpec("--use", kind: .value(integer: false, destination: .hash), placeholder: "<type>=<path>",
                           summary: "a template file for one script type", completion: .file) { options, value in
                    if case .pair(let type, let path) = value { options.templates.use.append((type, path)) }
                },
                OptionSpec("--with", kind: .value(integer: false, destination: .list), placeholder: "<type>",
                           summary: "write this script type") { options, value in
                    // `--without` wins whatever the order, as in Sqitch.
                    if case .text(let type) = value, options.templates.with[type] == nil {
                        options.templates.with[type] = true
                    }
                },
                OptionSpec("--without", kind: .value(integer: false, destination: .list), placeholder: "<type>",
                           summary: "do not write this script type") { options, value in
                    if case .text(let type) = value { options.templates.with[type] = false }
                },
                OptionSpec("-s --set", kind: .value(integer: false, destination: .hash), placeholder: "<key>=<value>",
                           summary: "a variable for the templates") { options, value in
                    if case .pair(let key, let text) = value { options.templates.set.append((key, text)) }
                },
            ]),
            OptionGroup("Other", [
                SharedOptions.openEditor(\.openEditor, "open the new scripts in an editor"),
            ] + SharedOptions.context(planFile: \.context.planFile, topDir: \.context.topDir)),
        ])
    }
}
