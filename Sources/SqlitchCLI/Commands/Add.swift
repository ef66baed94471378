import ArgumentParser
import SqlitchCore

/// A negatable boolean option in Getopt::Long's style (`--all`/`--no-all`): the last one wins.
enum Toggle: Equatable {
    case on, off

    static func last(_ values: [Toggle]) -> Bool? { values.last.map { $0 == .on } }
}

/// Runs an authoring action, printing a usage error as Sqitch does (message, then usage).
func runAuthoring(_ command: String, _ sqitch: Sqitch, _ body: () throws -> Void) throws -> Int32 {
    do {
        try body()
        return 0
    } catch let error as SqitchError where error.ident == "usage" {
        if !error.message.isEmpty { sqitch.console.vent(error.message) }
        sqitch.console.ventLiteral(HelpText.usage(for: command))
        return 2
    }
}

/// Splits `key=value` option values (`--set`, `--use`).
func keyValuePairs(_ values: [String]) -> [(String, String)] {
    values.map { value in
        guard let eq = value.firstIndex(of: "=") else { return (value, "") }
        return (String(value[..<eq]), String(value[value.index(after: eq)...]))
    }
}

/// `add`: adds a change to plans and writes its scripts.
struct AddCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "add", helpNames: [])

    enum AllFlag: EnumerableFlag {
        case all, noAll
        static func name(for value: Self) -> NameSpecification {
            value == .all ? [.customLong("all"), .customShort("a")] : [.customLong("no-all")]
        }
    }

    enum EditFlag: EnumerableFlag {
        case edit, noEdit
        static func name(for value: Self) -> NameSpecification {
            value == .edit
                ? [.customLong("open-editor"), .customLong("edit"), .customShort("e")]
                : [.customLong("no-open-editor"), .customLong("no-edit")]
        }
    }

    @Option(name: [.customLong("change-name"), .customLong("change"), .customShort("c")], parsing: .unconditional) var changeName: String?
    @Option(name: [.customLong("requires"), .customShort("r")], parsing: .unconditionalSingleValue) var requires: [String] = []
    @Option(name: [.customLong("conflicts"), .customShort("x")], parsing: .unconditionalSingleValue) var conflicts: [String] = []
    @Option(name: [.customLong("note"), .customShort("n"), .customShort("m")], parsing: .unconditionalSingleValue) var note: [String] = []
    @Flag var all: [AllFlag] = []
    @Option(name: [.customLong("template-name"), .customLong("template"), .customShort("t")], parsing: .unconditional) var template: String?
    @Option(name: .customLong("template-directory"), parsing: .unconditional) var templateDirectory: String?
    @Option(name: .customLong("with"), parsing: .unconditionalSingleValue) var with: [String] = []
    @Option(name: .customLong("without"), parsing: .unconditionalSingleValue) var without: [String] = []
    @Option(name: .customLong("use"), parsing: .unconditionalSingleValue) var use: [String] = []
    @Option(name: [.customLong("set"), .customShort("s")], parsing: .unconditionalSingleValue) var set: [String] = []
    @Flag var edit: [EditFlag] = []
    @Option(name: [.customLong("plan-file"), .customShort("f")], parsing: .unconditional) var planFile: String?
    @Option(name: .customLong("top-dir"), parsing: .unconditional) var topDir: String?
    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        var options = AddAction.Options()
        options.changeName = changeName
        options.requires = requires
        options.conflicts = conflicts
        options.notes = note
        options.all = all.last.map { $0 == .all }
        options.openEditor = edit.last.map { $0 == .edit }
        var with: [String: Bool] = [:]
        for type in self.with { with[type] = true }
        for type in without { with[type] = false }
        options.templates = TemplateOptions(
            templateName: template, templateDirectory: templateDirectory,
            use: keyValuePairs(use).map { (type: $0.0, path: $0.1) }, with: with,
            set: keyValuePairs(set).map { (key: $0.0, value: $0.1) })
        options.context = PlanContextOptions(planFile: planFile, topDir: topDir)
        return try runAuthoring("add", sqitch) {
            try AddAction(options: options).execute(sqitch, arguments: arguments)
        }
    }
}
