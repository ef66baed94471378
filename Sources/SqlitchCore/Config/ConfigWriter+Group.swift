import FoundationEssentials

/// GitLike's `group_set` and `add_comment`, used by `init`, `engine` and `target` to write
/// several settings and commented-out defaults to one file.
extension ConfigWriter {
    /// Sets each key to its value in turn, as GitLike's `group_set` does: the first value of
    /// an existing key is replaced, a new key goes to the end of its section's last block,
    /// and a new section is appended to the file.
    public func groupSet(_ settings: [(key: String, value: String)]) throws {
        for setting in settings {
            try set(setting.key, setting.value)
        }
    }

    /// Appends `comment` to the file with `# ` put before each line (after any leading
    /// blanks when `indented`), and a final newline when the comment lacks one.
    public func addComment(_ comment: String, indented: Bool) throws {
        let commented = comment.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard indented else { return "# " + line }
            let blanks = line.prefix { $0 == " " || $0 == "\t" }
            return blanks + "# " + line.dropFirst(blanks.count)
        }.joined(separator: "\n")
        var text = files.isFile(path) ? try files.readText(path) : ""
        text += commented
        if !text.hasSuffix("\n") { text += "\n" }
        let dir = PathText.deletingLastComponent(files.absolute(path))
        if !files.isDirectory(dir) { try files.createDirectory(dir) }
        try files.writeText(path, text, cannotOpen: ConfigWriter.cannotOpen(path))
    }
}
