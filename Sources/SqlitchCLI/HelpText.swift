import SqlitchCore

/// The CLI's view of the help documents kept in SqlitchCore.
enum HelpText {
    static var commandList: String { HelpDocuments.commandList }
    static var manual: String { HelpDocuments.manual }
    static func usage(for command: String) -> String { HelpDocuments.usage(for: command) }
}
