import ArgumentParser
import SqlitchCore

/// `show`: prints a change's or tag's info, or one of a change's scripts.
struct ShowCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "show", helpNames: [])

    @Option(name: [.customLong("target"), .customShort("t")], parsing: .unconditional) var target: String?
    @Flag(name: [.customLong("exists"), .customShort("e")], inversion: .prefixedNo) var exists = false
    @Option(name: [.customLong("plan-file"), .customShort("f")], parsing: .unconditional) var planFile: String?
    @Option(name: .customLong("top-dir"), parsing: .unconditional) var topDir: String?

    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        var options = ShowObject.Options()
        options.target = target
        options.existsOnly = exists
        options.planFile = planFile
        options.topDir = topDir
        do {
            let show = try ShowObject(options: options, config: sqitch.config, console: sqitch.console)
            return try show.execute(sqitch, type: arguments.first, key: arguments.dropFirst().first)
        } catch let error as SqitchError where error.ident == "usage" {
            if !error.message.isEmpty { sqitch.console.vent(error.message) }
            sqitch.console.ventLiteral(HelpText.usage(for: "show"))
            return 2
        }
    }
}
