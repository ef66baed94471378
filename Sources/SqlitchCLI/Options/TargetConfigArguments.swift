import ArgumentParser
import SqlitchCore

/// The options `init`, `engine` and `target` share (Sqitch's TargetConfigCommand).
struct TargetConfigArguments: ParsableArguments {
    @Option(name: [.customLong("plan-file"), .customShort("f")]) var planFile: String?
    @Option(name: .customLong("registry")) var registry: String?
    @Option(name: .customLong("client")) var client: String?
    @Option(name: .customLong("extension")) var `extension`: String?
    @Option(name: .customLong("top-dir")) var topDir: String?
    @Option(name: [.customLong("dir"), .customShort("d")]) var dirs: [String] = []
    @Option(name: [.customLong("set"), .customShort("s")]) var variables: [String] = []

    /// The options as the library takes them.
    var options: TargetConfigOptions {
        var options = TargetConfigOptions()
        options.planFile = planFile
        options.registry = registry
        options.client = client
        options.extension = `extension`
        options.topDir = topDir
        options.dirs = dirs
        options.variables = variables
        return options
    }
}

extension SqitchCommand {
    /// Runs `body`; a usage error prints its message (if any) and the command's usage, exit 2.
    func withUsage(_ name: String, _ sqitch: Sqitch, _ body: () throws -> Int32) throws -> Int32 {
        do {
            return try body()
        } catch let error as SqitchError where error.ident == "usage" {
            if !error.message.isEmpty { sqitch.console.vent(error.message) }
            sqitch.console.ventLiteral(HelpText.usage(for: name))
            return 2
        }
    }
}
