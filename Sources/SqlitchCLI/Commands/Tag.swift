import ArgumentParser
import SqlitchCore

/// `tag`: tags a change, or lists the plan's tags.
struct TagCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "tag", helpNames: [])

    @Option(name: [.customLong("tag-name"), .customLong("tag"), .customShort("t")], parsing: .unconditional) var tagName: String?
    @Option(name: [.customLong("change-name"), .customLong("change"), .customShort("c")], parsing: .unconditional) var changeName: String?
    @Flag var all: [AddCommand.AllFlag] = []
    @Option(name: [.customLong("note"), .customShort("n"), .customShort("m")], parsing: .unconditionalSingleValue) var note: [String] = []
    @Option(name: [.customLong("plan-file"), .customShort("f")], parsing: .unconditional) var planFile: String?
    @Option(name: .customLong("top-dir"), parsing: .unconditional) var topDir: String?
    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        var options = TagAction.Options()
        options.tagName = tagName
        options.changeName = changeName
        options.notes = note
        options.all = all.last.map { $0 == .all }
        options.context = PlanContextOptions(planFile: planFile, topDir: topDir)
        return try runAuthoring("tag", sqitch) {
            try TagAction(options: options).execute(sqitch, arguments: arguments)
        }
    }
}
