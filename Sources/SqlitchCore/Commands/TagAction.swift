/// `sqitch tag`: tags a change in one or more plans, or lists the plans' tags.
public struct TagAction {
    /// The options of `tag`.
    public struct Options: Sendable {
        public var tagName: String?
        public var changeName: String?
        public var notes: [String] = []
        public var all: Bool?
        public var context = PlanContextOptions()

        public init() {}
    }

    public var options: Options

    public init(options: Options) { self.options = options }

    /// Runs the command over its positional arguments (`[tag [change]] [target...]`).
    public func execute(_ sqitch: Sqitch, arguments: [String]) throws {
        AuthoringNote.warnTopDir(options.context.topDir, command: "tag", sqitch: sqitch)
        let parsed = try Target.parseArguments(
            sqitch: sqitch, command: "tag", arguments: arguments, names: [options.tagName, options.changeName],
            noChanges: true, all: options.all ?? false, overrides: options.context.overrides,
            isChange: { _, _ in false })
        let name = parsed.names[0]
        let change = parsed.names[1]

        guard let name else {
            if !arguments.isEmpty, let target = parsed.targets.first(where: { arguments.contains($0.name) }) {
                throw CommandError("Name \"\(target.name)\" identifies a target; use \"--tag \(target.name)\" to use it for the tag name")
            }
            var seen: Set<String> = []
            for target in parsed.targets {
                let plan = try Plan.load(path: target.planFile, sqitch: sqitch)
                for tag in plan.tags where seen.insert(tag.formatName).inserted {
                    sqitch.console.info(tag.formatName)
                }
            }
            return
        }

        let rawNote = AuthoringNote.joined(options.notes)
        var seenFiles: Set<String> = []
        var plans: [(plan: Plan, changeIndex: Int, tagIndex: Int)] = []
        for target in parsed.targets where seenFiles.insert(target.planFile).inserted {
            var plan = try Plan.load(path: target.planFile, sqitch: sqitch)
            let identity = try Identity.resolve(sqitch)
            let tag = Tag(name: name, note: AuthoringNote.decoded(rawNote), timestamp: AuthoringNote.now(sqitch),
                          plannerName: identity.name, plannerEmail: identity.email)
            let added = try plan.tag(tag, change: change)
            let index = plan.changes.firstIndex { $0.id == added.changeID }!
            plans.append((plan, index, plan.changes[index].tags.count - 1))
        }
        guard !plans.isEmpty else { return }

        let note = try AuthoringNote.request(note: rawNote, prompt: AuthoringNote.tagPrompt(command: "tag"),
                                             sqitch: sqitch)
        for var entry in plans {
            if note != rawNote {
                entry.plan.changes[entry.changeIndex].tags[entry.tagIndex].note = note
                if !note.isEmpty, entry.plan.changes[entry.changeIndex].tags[entry.tagIndex].rspace.isEmpty {
                    entry.plan.changes[entry.changeIndex].tags[entry.tagIndex].rspace = " "
                }
                entry.plan.reindex()
            }
            try entry.plan.write(sqitch: sqitch)
            let tag = entry.plan.changes[entry.changeIndex].tags[entry.tagIndex]
            sqitch.console.info(
                "Tagged \"\(entry.plan.changes[entry.changeIndex].name)\" with \(tag.formatName) in \(entry.plan.file)")
        }
    }
}

extension TagAction.Options: CommandOptionSet {
    public static var grammar: CommandGrammar<TagAction.Options> {
        CommandGrammar([
            .text("-t --tag --tag-name", \.tagName, "<name>", "the tag's name"),
            .text("-c --change --change-name", \.changeName, "<change>", "the change to tag (default: the last)",
                  complete: .change),
            SharedOptions.note(\.notes, "the tag's note (repeatable)"),
            SharedOptions.all(\.all, "tag every plan of the project"),
        ] + SharedOptions.context(planFile: \.context.planFile, topDir: \.context.topDir))
    }
}
