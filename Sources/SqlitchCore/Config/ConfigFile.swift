/// One git-config file as Sqitch (Config::GitLike) reads it: its settings in file order and
/// the text they came from, so a writer can edit it in place.
public struct ConfigFile: Sendable {
    public var path: String
    public var scope: ConfigScope
    public var entries: [ConfigEntry]
    /// The normalized text (LF line ends, one trailing newline) the entries were read from.
    public var text: String

    public init(path: String, scope: ConfigScope, entries: [ConfigEntry], text: String = "") {
        self.path = path
        self.scope = scope
        self.entries = entries
        self.text = text
    }

    /// Parses the text of a config file. Errors are GitLike's
    /// `Error parsing <displayPath> at line N, position P.` (exit 255, as Sqitch dies).
    public static func parse(_ text: String, path: String, scope: ConfigScope, displayPath: String? = nil) throws -> ConfigFile {
        let normalized = GitConfigParser.normalize(text).text
        let events = text.isEmpty ? [] : try GitConfigParser.parse(normalized, filename: displayPath ?? path)
        let entries = events.compactMap { event -> ConfigEntry? in
            guard let name = event.name else { return nil }
            return ConfigEntry(key: event.section + "." + name, value: event.value)
        }
        return ConfigFile(path: path, scope: scope, entries: entries, text: normalized)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
