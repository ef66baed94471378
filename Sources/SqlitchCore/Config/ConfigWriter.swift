import FoundationEssentials

/// Edits one configuration file in place, as GitLike does: the file's comments and layout
/// are kept, changed variables are rewritten on their own line, new variables go after the
/// last line of their section and new sections at the end (`[section "sub"]`, then
/// `<TAB>name = value`). Every change is written atomically.
///
/// Commands that write configuration (`init`, `engine`, `target`, `config`) use this:
///
///     let writer = ConfigWriter(path: sqitch.config.paths[.local]!, files: sqitch.files)
///     try writer.set("core.engine", "pg")
///     try writer.unset("core.target")
///     try writer.renameSection(from: "engine.pg", to: "engine.postgres")
///     try writer.removeSection("target.old")
///     try sqitch.reloadConfig()
///
/// Errors carry GitLike's own messages (for example `Multiple occurrences of non-multiple
/// key?`), each ending with a newline as GitLike's do; the `config` command rewords some.
public struct ConfigWriter: Sendable {
    /// The file, as given (relative paths are relative to `files.workingDirectory`).
    public let path: String
    public let files: FileSystem

    public init(path: String, files: FileSystem) {
        self.path = path
        self.files = files
    }

    /// Sets `key` to `value`, replacing its one existing value (or the first one that
    /// matches `filter`); adds it when missing. Several existing values are an error unless
    /// `multiple`, in which case the value is added (or, with `filter`, replaces the first
    /// match). `as` casts the value first (`--bool` writes `true`/`false`).
    public func set(_ key: String, _ value: String, filter: String? = nil, as type: ConfigValueType? = nil,
                    multiple: Bool = false, replaceAll: Bool = false) throws {
        try change(key, value: value, filter: filter, as: type, multiple: multiple, replaceAll: replaceAll)
    }

    /// Adds another value for `key` (a multi-valued key), after its last occurrence.
    public func add(_ key: String, _ value: String, as type: ConfigValueType? = nil) throws {
        try change(key, value: value, filter: nil, as: type, multiple: true, replaceAll: false)
    }

    /// Replaces every value of `key` (or those matching `filter`) with one `value`.
    public func replaceAll(_ key: String, _ value: String, filter: String? = nil, as type: ConfigValueType? = nil) throws {
        try change(key, value: value, filter: filter, as: type, multiple: true, replaceAll: true)
    }

    /// Removes `key` (its values matching `filter`, if given). Several values are an error
    /// unless `all`; no value at all is `No occurrence of <key> found to unset in <path>`.
    public func unset(_ key: String, filter: String? = nil, all: Bool = false) throws {
        try change(key, value: nil, filter: filter, as: nil, multiple: all, replaceAll: false)
    }

    /// Renames every `[from]` header to `to` (`a.b` is written `[a "b"]`). A missing file is
    /// left alone; a missing section is `No such section '<from>'`.
    public func renameSection(from: String, to: String) throws {
        try rename(from: from, to: to)
    }

    /// Removes every `[section]` block with its variables.
    public func removeSection(_ section: String) throws {
        guard !section.isEmpty else { throw ConfigError("No section given to remove\n") }
        try rename(from: section, to: nil)
    }

    // MARK: - GitLike's editing, on the file's text

    private func read() throws -> (text: [Unicode.Scalar], newline: String)? {
        guard files.isFile(path) else { return nil }
        let normalized = GitConfigParser.normalize(try files.readText(path))
        return (Array(normalized.text.unicodeScalars), normalized.newline)
    }

    /// Config::GitLike's words when it cannot create its lock file (`<file>.lock`, renamed
    /// over the file as sqlitch renames its own temporary file), with the newline that
    /// makes Sqitch print an empty line after it.
    static func cannotOpen(_ path: String) -> (String) -> String {
        { reason in "Can't open \(path).lock for writing: \(reason)\n" }
    }

    private func write(_ content: [Unicode.Scalar], newline: String) throws {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: content)
        var text = String(view)
        if newline != "\n" { text = text.replacingEvery("\n", with: newline) }
        let dir = PathText.deletingLastComponent(files.absolute(path))
        if !files.isDirectory(dir) { try files.createDirectory(dir) }
        try files.writeText(path, text, cannotOpen: ConfigWriter.cannotOpen(path))
    }

    private func events(_ content: [Unicode.Scalar]) throws -> [ConfigEvent] {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: content)
        return try GitConfigParser.parse(String(view), filename: path)
    }

    /// GitLike's `group_set` for one key.
    private func change(_ key: String, value rawValue: String?, filter: String?, as type: ConfigValueType?,
                        multiple: Bool, replaceAll: Bool) throws {
        guard let split = ConfigWriter.splitKey(key) else {
            throw ConfigError("No section given in key or invalid key \(key)\n")
        }
        let (section, subsection, name) = split
        if ConfigWriter.invalidVariableName(name) {
            throw ConfigError("Invalid variable name \(name)\n")
        }
        if section.contains(where: { $0.isWhitespace || $0 == "[" || $0 == "]" || $0 == "\"" }) {
            throw ConfigError("Invalid section name \(section)\n")
        }
        var value = rawValue
        if let v = value, let type { value = try type.cast(v) }

        let existing = try read()
        var c = existing?.text ?? []
        let compareSection = subsection.map { section.lowercased() + "." + $0 } ?? section.lowercased()
        let writeSection = subsection.map {
            section + "." + $0.replacingEvery("\\", with: "\\\\").replacingEvery("\"", with: "\\\"")
        } ?? section
        let matcher = try filter.flatMap { try ValueFilter($0) }

        var newAt: Int?
        var replace: [(offset: Int, length: Int)] = []
        for event in try events(c) where event.section == compareSection {
            newAt = event.offset + event.length
            guard let got = event.name, got.lowercased() == name.lowercased() else { continue }
            if let matcher {
                if matcher.matches(event.value) { replace.append((event.offset, event.length)) }
            } else {
                replace.append((event.offset, event.length))
            }
        }

        if replace.count > 1 && !multiple {
            throw ConfigError("Multiple occurrences of non-multiple key?", reason: .multipleValues)
        }
        if !replace.isEmpty, let value, !(value.isEmpty || value == "0"), !replaceAll {
            replace = [replace[0]]
        }

        if let value {
            if !replace.isEmpty, !multiple || filter?.isEmpty == false || replaceAll {
                let last = replace.removeLast()
                var difference = 0
                ConfigWriter.unsetVariables(replace, in: &c, difference: &difference)
                let start = last.offset - difference
                c.replaceSubrange(start..<(start + last.length),
                                  with: ConfigWriter.formatDefinition(name, value, bare: true).unicodeScalars)
            } else if let newAt {
                var at = newAt
                while at < c.count, c[at] != "\n" { at += 1 }
                let insertAt = at < c.count ? at + 1 : 0
                c.insert(contentsOf: ConfigWriter.formatDefinition(name, value, bare: false).unicodeScalars, at: insertAt)
            } else {
                c.append(contentsOf: ConfigWriter.formatSection(writeSection, bare: false).unicodeScalars)
                c.append(contentsOf: ConfigWriter.formatDefinition(name, value, bare: false).unicodeScalars)
            }
        } else {
            guard !replace.isEmpty else {
                throw ConfigError("No occurrence of \(key) found to unset in \(path)\n")
            }
            var difference = 0
            ConfigWriter.unsetVariables(replace, in: &c, difference: &difference)
        }
        try write(c, newline: existing?.newline ?? "\n")
    }

    /// GitLike's `rename_section` (and `remove_section` when `to` is nil).
    private func rename(from rawFrom: String, to rawTo: String?) throws {
        guard let existing = try read() else { return }
        var c = existing.text
        let from = ConfigWriter.removeBalancedQuotes(rawFrom)
        let to = rawTo.map(ConfigWriter.removeBalancedQuotes)
        struct Header { var offset: Int; var length: Int; var isLast: Bool }
        var replace: [Header] = []
        var previousMatched = false
        for event in try events(c) {
            if !replace.isEmpty, event.name == nil { replace[replace.count - 1].isLast = false }
            if event.section.lowercased() == from.lowercased() {
                if event.name != nil {
                    if previousMatched, to == nil {
                        let last = replace[replace.count - 1]
                        replace[replace.count - 1].length += (event.offset + event.length) - (last.offset + last.length)
                    }
                } else {
                    if !replace.isEmpty, previousMatched, to == nil {
                        let last = replace[replace.count - 1]
                        replace[replace.count - 1].length += event.offset - (last.offset + last.length)
                    }
                    replace.append(Header(offset: event.offset, length: event.length, isLast: true))
                    previousMatched = true
                }
            } else {
                if !replace.isEmpty, previousMatched, to == nil {
                    let last = replace[replace.count - 1]
                    replace[replace.count - 1].length += event.offset - (last.offset + last.length)
                }
                previousMatched = false
            }
        }
        guard !replace.isEmpty else {
            throw ConfigError("No such section '\(from)'\n", reason: .noSuchSection)
        }
        let replacement = Array((to.map { ConfigWriter.formatSection($0, bare: true) } ?? "").unicodeScalars)
        var difference = 0
        for header in replace {
            let start = header.offset + difference
            let length = to == nil && header.isLast ? c.count - start : header.length
            c.replaceSubrange(start..<(start + length), with: replacement)
            difference += replacement.count - header.length
        }
        try write(c, newline: existing.newline)
    }

    /// Removes each variable's line (from the previous newline, or the end of the section
    /// header it follows, up to its own line end).
    private static func unsetVariables(_ variables: [(offset: Int, length: Int)], in c: inout [Unicode.Scalar],
                                       difference: inout Int) {
        for variable in variables {
            let at = variable.offset - difference
            var newline = min(at, c.count - 1)
            while newline >= 0, c[newline] != "\n" { newline -= 1 }
            var bracket = min(at, c.count - 1)
            while bracket >= 0, c[bracket] != "]" { bracket -= 1 }
            bracket += 1
            let start = max(newline, bracket)
            var end = at + variable.length
            while end < c.count, c[end] != "\n" { end += 1 }
            let length = (end < c.count ? end : -1) - start
            guard length > 0 else { continue }
            c.removeSubrange(start..<(start + length))
            difference += length
        }
    }

    /// `[section]`, or `[section "sub"]` for `section.sub` (split at the first dot).
    public static func formatSection(_ section: String, bare: Bool) -> String {
        let header: String
        if let dot = section.firstIndex(of: ".") {
            header = "[\(section[..<dot]) \"\(section[section.index(after: dot)...])\"]"
        } else {
            header = "[\(section)]"
        }
        return bare ? header : header + "\n"
    }

    /// `name = value`, quoted when the value starts or ends with white space or holds `;`
    /// or `#`, with `\`, `"`, TAB and LF escaped; `<TAB>... \n` unless `bare`.
    public static func formatDefinition(_ name: String, _ value: String, bare: Bool) -> String {
        let needsQuotes = value.first?.isWhitespace == true || value.last?.isWhitespace == true
            || value.contains(";") || value.contains("#")
        let quote = needsQuotes ? "\"" : ""
        let escaped = value.replacingEvery("\\", with: "\\\\").replacingEvery("\"", with: "\\\"")
            .replacingEvery("\t", with: "\\t").replacingEvery("\n", with: "\\n")
        let line = "\(name) = \(quote)\(escaped)\(quote)"
        return bare ? line : "\t" + line + "\n"
    }

    /// GitLike's `_split_key`: name after the last dot; section before the first dot;
    /// subsection in between (as written). nil when there is no dot.
    static func splitKey(_ key: String) -> (section: String, subsection: String?, name: String)? {
        guard let last = key.lastIndex(of: ".") else { return nil }
        let head = removeBalancedQuotes(String(key[..<last]))
        let name = removeBalancedQuotes(String(key[key.index(after: last)...]))
        guard !head.isEmpty else { return nil }
        if let first = head.firstIndex(of: ".") {
            return (String(head[..<first]), String(head[head.index(after: first)...]), name)
        }
        return (head, nil, name)
    }

    /// Variable names may not start with `[`, hold `=` or a newline, or start or end with
    /// blanks (or end with `+`).
    static func invalidVariableName(_ name: String) -> Bool {
        guard let first = name.first, first != "[", !name.unicodeScalars.contains("="),
              !name.unicodeScalars.contains("\n") else { return true }
        if first == " " || first == "\t" { return true }
        if let last = name.last, last == " " || last == "\t" || last == "+" { return true }
        return false
    }

    /// Strips one pair of double (then single) quotes around each dot-separated part.
    static func removeBalancedQuotes(_ key: String) -> String {
        func strip(_ s: String, _ q: Character) -> String {
            s.split(separator: ".", omittingEmptySubsequences: false).map { part -> String in
                if part.count >= 2, part.first == q, part.last == q { return String(part.dropFirst().dropLast()) }
                return String(part)
            }.joined(separator: ".")
        }
        return strip(strip(key, "\""), "'")
    }
}

/// A value regex as GitLike applies it: case-insensitive, `!re` for values not matching,
/// `!` alone matching nothing.
struct ValueFilter {
    let regex: RegularExpression?
    let negated: Bool

    init?(_ pattern: String) throws {
        guard !pattern.isEmpty else { return nil }
        var p = pattern
        negated = p.hasPrefix("!")
        if negated { p.removeFirst() }
        if negated && p.isEmpty {
            regex = nil
            return
        }
        do {
            regex = try RegularExpression(p, options: [.caseInsensitive])
        } catch {
            throw ConfigError("Invalid regular expression: \(p)")
        }
    }

    /// Whether a value (nil for a bare name) passes the filter.
    func matches(_ value: String?) -> Bool {
        guard let regex else { return false }
        guard let value else { return negated }
        let found = regex.matches(value)
        return negated ? !found : found
    }
}
