import ArgumentParser
import SqlitchCore

/// `config`: get and set local, user or system options.
struct ConfigCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "config", helpNames: [])

    @Option(name: [.customLong("file"), .customLong("config-file"), .customShort("f")]) var file: String?
    @Flag(name: .customLong("local")) var local = false
    @Flag(name: [.customLong("user"), .customLong("global")]) var user = false
    @Flag(name: .customLong("system")) var system = false

    @Flag(name: .customLong("bool")) var bool = false
    @Flag(name: .customLong("int")) var int = false
    @Flag(name: .customLong("num")) var num = false
    @Flag(name: .customLong("bool-or-int")) var boolOrInt = false

    @Flag(name: .customLong("get")) var get = false
    @Flag(name: .customLong("get-all")) var getAll = false
    @Flag(name: [.customLong("get-regexp"), .customLong("get-regex")]) var getRegex = false
    @Flag(name: .customLong("add")) var add = false
    @Flag(name: .customLong("replace-all")) var replaceAll = false
    @Flag(name: .customLong("unset")) var unset = false
    @Flag(name: .customLong("unset-all")) var unsetAll = false
    @Flag(name: .customLong("rename-section")) var renameSection = false
    @Flag(name: .customLong("remove-section")) var removeSection = false
    @Flag(name: [.customLong("list"), .customShort("l")]) var list = false
    @Flag(name: [.customLong("edit"), .customShort("e")]) var edit = false

    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        var options = ConfigAction.Options()
        options.local = local
        options.user = user
        options.system = system
        options.file = file
        let types: [(Bool, ConfigValueType)] = [(bool, .bool), (int, .int), (num, .num), (boolOrInt, .boolOrInt)]
        options.types = types.filter { $0.0 }.map { $0.1 }
        let actions: [(Bool, ConfigAction.Kind)] = [
            (get, .get), (getAll, .getAll), (getRegex, .getRegex), (unset, .unset), (list, .list),
            (edit, .edit), (add, .add), (replaceAll, .replaceAll), (unsetAll, .unsetAll),
            (renameSection, .renameSection), (removeSection, .removeSection),
        ]
        options.actions = actions.filter { $0.0 }.map { $0.1 }
        do {
            return try ConfigAction(options: options).execute(sqitch, arguments)
        } catch let error as SqitchError where error.ident == "usage" {
            sqitch.console.vent(error.message)
            sqitch.console.ventLiteral(HelpText.usage(for: "config"))
            return 2
        }
    }
}
