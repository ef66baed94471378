import ArgumentParser
import SqlitchCore

/// `rework`: adds a new instance of a tagged change and copies its scripts.
struct ReworkCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "rework", helpNames: [])

    @Option(name: [.customLong("change-name"), .customLong("change"), .customShort("c")], parsing: .unconditional) var changeName: String?
    @Option(name: [.customLong("requires"), .customShort("r")], parsing: .unconditionalSingleValue) var requires: [String] = []
    @Option(name: [.customLong("conflicts"), .customShort("x")], parsing: .unconditionalSingleValue) var conflicts: [String] = []
    @Flag var all: [AddCommand.AllFlag] = []
    @Option(name: [.customLong("note"), .customShort("n"), .customShort("m")], parsing: .unconditionalSingleValue) var note: [String] = []
    @Flag var edit: [AddCommand.EditFlag] = []
    @Option(name: [.customLong("plan-file"), .customShort("f")], parsing: .unconditional) var planFile: String?
    @Option(name: .customLong("top-dir"), parsing: .unconditional) var topDir: String?
    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        var options = ReworkAction.Options()
        options.changeName = changeName
        options.requires = requires
        options.conflicts = conflicts
        options.notes = note
        options.all = all.last.map { $0 == .all }
        options.openEditor = edit.last.map { $0 == .edit }
        options.context = PlanContextOptions(planFile: planFile, topDir: topDir)
        return try runAuthoring("rework", sqitch) {
            try ReworkAction(options: options).execute(sqitch, arguments: arguments)
        }
    }
}
