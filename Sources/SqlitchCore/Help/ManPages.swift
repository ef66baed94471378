/// The manual pages: the same text `help` and `--man` print, as roff for `man`. Each section
/// of a page is set as written (no filling, no hyphenation), so `man sqlitch-deploy` reads
/// as `sqlitch help deploy` does.
public enum ManPages {
    /// Every page, by file name: `sqlitch.1` (the `--man` text), `sqlitch-<command>.1`, and a
    /// page per guide under the name `help <guide>` looks for (`sqlitchchanges.1`).
    public static var all: [(file: String, text: String)] {
        var pages = [("sqlitch.1", roff(name: "sqlitch", text: HelpDocuments.manual))]
        for command in HelpDocuments.commandNames {
            guard let page = HelpDocuments.page(for: command) else { continue }
            pages.append(("sqlitch-\(command).1", roff(name: "sqlitch-\(command)", text: page)))
        }
        for guide in HelpDocuments.guideNames {
            guard let page = HelpDocuments.page(for: guide) else { continue }
            let name = HelpDocuments.manualEntry(for: guide, programName: "sqlitch")
            pages.append(("\(name).1", roff(name: name, text: page)))
        }
        return pages
    }

    /// A help page as a man page: unindented lines are section headings; the lines under one
    /// are kept as they are, less the page's four-space indent.
    public static func roff(name: String, text: String) -> String {
        var out = [
            ".TH \"\(name.uppercased())\" \"1\" \"\" \"sqlitch \(SqlitchVersion.string)\" \"sqlitch Manual\"",
            ".nh",
            ".ad l",
        ]
        var open = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first != " " {
                if open { out.append(".fi") }
                out += [".SH \"\(escape(line.uppercased()))\"", ".nf"]
                open = true
                continue
            }
            var body = Substring(line)
            var dropped = 0
            while dropped < 4, body.first == " " { body = body.dropFirst(); dropped += 1 }
            let escaped = escape(body)
            out.append(escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped)
        }
        if open { out.append(".fi") }
        return out.joined(separator: "\n") + "\n"
    }

    /// Text safe in roff: backslashes, and dashes kept as ASCII hyphen-minus.
    static func escape<S: StringProtocol>(_ text: S) -> String {
        var result = ""
        for char in text {
            switch char {
            case "\\": result += "\\e"
            case "-": result += "\\-"
            default: result.append(char)
            }
        }
        return result
    }
}

/// The options of `manpages`, sqlitch's own command (Sqitch has none): it writes the manual
/// pages into the directory given.
public struct ManPagesOptions: CommandOptionSet {
    public init() {}

    public static var grammar: CommandGrammar<ManPagesOptions> { CommandGrammar([OptionSpec<ManPagesOptions>]()) }

    func run(_ arguments: [String], _ sqitch: Sqitch) throws -> Int32 {
        guard arguments.count == 1, !arguments[0].isEmpty else { throw UsageError("") }
        let directory = arguments[0]
        if !sqitch.files.isDirectory(directory) { try sqitch.files.createDirectory(directory) }
        for page in ManPages.all {
            let path = directory.hasSuffix("/") ? directory + page.file : directory + "/" + page.file
            try sqitch.files.writeText(path, page.text)
            sqitch.console.info("Wrote \(path)")
        }
        return 0
    }
}
