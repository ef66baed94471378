import FoundationEssentials

/// What `add`, `tag` and `rework` share: the note given with `-n` or written in the editor,
/// the plan-file options (`--plan-file`, `--top-dir`), and small file helpers.
public enum AuthoringNote {
    /// The `-n` values joined with blank lines, as the commands hand them to the plan.
    public static func joined(_ notes: [String]) -> String { notes.joined(separator: "\n\n") }

    /// The note a new plan line gets from command-line text: trimmed, escapes decoded.
    public static func decoded(_ note: String) -> String { PlanText.decodeNote(note) }

    /// The editor prompt for a change (`add`, `rework`): `command` names the action and
    /// `line` is the change as `name [deps]`; `scripts` are listed below it.
    public static func changePrompt(command: String, line: String, scripts: [String]) -> String {
        "Please enter a note for your change. Lines starting with '#' will\n"
            + "be ignored, and an empty message aborts the \(command).\n"
            + "Change to \(command):\n\n"
            + "  " + line + scripts.map { "\n    " + $0 }.joined() + "\n"
    }

    /// The editor prompt for a tag.
    public static func tagPrompt(command: String) -> String {
        "Write a \(command) note.\nLines starting with '#' will be ignored."
    }

    /// The text of the temporary file the editor opens: an empty line, then each prompt
    /// line commented with `# `, then a newline.
    public static func editorFileText(prompt: String) -> String {
        var lines = prompt.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // A trailing newline does not start another line.
        if prompt.hasSuffix("\n") { lines.removeLast() }
        var text = "\n" + lines.map { "# " + $0 }.joined(separator: "\n")
        if prompt.hasSuffix("\n") { text += "\n" }
        return text + "\n"
    }

    /// The note read back from the editor's file: lines whose first non-blank character is
    /// `#` dropped, line breaks at both ends trimmed. Empty -> `Aborting due to empty note`.
    public static func parseEditedNote(_ text: String) throws -> String {
        var kept = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            let end = rest.firstIndex(of: "\n").map { rest.index(after: $0) } ?? rest.endIndex
            let line = rest[..<end]
            rest = rest[end...]
            if line.drop(while: { $0.isWhitespace }).first != "#" { kept += line }
        }
        guard kept.contains(where: { !$0.isWhitespace }) else {
            throw PlanError("Aborting due to empty note", exitCode: 1)
        }
        let vertical: (Character) -> Bool = { "\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{2029}".contains($0) }
        while let first = kept.first, vertical(first) { kept.removeFirst() }
        while let last = kept.last, vertical(last) { kept.removeLast() }
        return kept
    }

    /// Returns `note` when it has a non-blank character; otherwise opens the editor on a
    /// temporary file holding `prompt` and returns what the user wrote.
    public static func request(note: String, prompt: @autoclosure () -> String, sqitch: Sqitch) throws -> String {
        if note.contains(where: { !$0.isWhitespace }) { return note }
        let dir = (sqitch.environment.nonEmpty("TMPDIR") ?? "/tmp")
        let path = dir + (dir.hasSuffix("/") ? "" : "/") + "sqlitch-note-\(UInt64.random(in: 0...UInt64.max)).txt"
        try sqitch.files.writeText(path, editorFileText(prompt: prompt()))
        defer { try? FileManager.default.removeItem(atPath: sqitch.files.absolute(path)) }
        try Editor.edit([path], sqitch)
        return try parseEditedNote(sqitch.files.readText(path))
    }

    /// The current time truncated to the second, as plan timestamps record it.
    static func now(_ sqitch: Sqitch) -> Date {
        Date(timeIntervalSince1970: sqitch.clock.now().timeIntervalSince1970.rounded(.down))
    }

    /// The `--top-dir` deprecation warning every context command prints.
    static func warnTopDir(_ topDir: String?, command: String, sqitch: Sqitch) {
        guard Perl.truthy(topDir) != nil else { return }
        sqitch.console.warn(
            "  Option --top-dir is deprecated for \(command) and other non-configuration commands.\n  Use --chdir instead.")
    }

    /// Creates the directory of `file` when missing (`    Created dir` at debug level).
    static func makeParent(of file: String, sqitch: Sqitch) throws {
        guard let slash = file.lastIndex(of: "/") else { return }
        let dir = String(file[..<slash])
        guard !dir.isEmpty, !sqitch.files.isDirectory(dir) else { return }
        try sqitch.files.createDirectory(dir)
        sqitch.console.debug("    Created \(dir)")
    }
}

/// The options `add`, `tag` and `rework` share with every command that reads a plan
/// (Sqitch's ContextCommand): `--plan-file|-f` and the deprecated `--top-dir`.
public struct PlanContextOptions: Sendable {
    public var planFile: String?
    public var topDir: String?

    public init(planFile: String? = nil, topDir: String? = nil) {
        self.planFile = planFile
        self.topDir = topDir
    }

    var overrides: TargetOverrides { TargetOverrides(topDir: topDir, planFile: planFile) }
}
