import ArgumentParser
import SqlitchCore

/// `help [--guide|-g] [<command>|<guide>]`: a command's or guide's page, or the lists.
struct HelpCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "help", helpNames: [])

    @Flag(name: [.customLong("guide"), .customShort("g")]) var guide = false

    /// The topic; words after the first are ignored, as Sqitch ignores them.
    @Argument var topics: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        try HelpDocuments.help(topic: topics.first, guide: guide, sqitch: sqitch)
        return 0
    }
}
