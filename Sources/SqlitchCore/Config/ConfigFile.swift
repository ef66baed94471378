/// One git-config file as Sqitch (Config::GitLike) reads it.
/// (Skeleton parser: sections, subsections, `name = value`, comments, quotes and escapes.
/// Kept text for rewriting comes with the `config` command's writer.)
public struct ConfigFile: Sendable {
    public var path: String
    public var scope: ConfigScope
    public var entries: [ConfigEntry]

    public init(path: String, scope: ConfigScope, entries: [ConfigEntry]) {
        self.path = path
        self.scope = scope
        self.entries = entries
    }

    /// Parses the text of a config file; errors name the file and line.
    public static func parse(_ text: String, path: String, scope: ConfigScope) throws -> ConfigFile {
        var entries: [ConfigEntry] = []
        var section: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") {
                guard let close = trimmed.firstIndex(of: "]") else {
                    throw SqitchError("config", "Error parsing \(path), line \(index + 1)")
                }
                let inner = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
                if let quote = inner.firstIndex(of: "\"") {
                    let name = inner[..<quote].trimmingCharacters(in: " \t").lowercased()
                    var sub = ""
                    var i = inner.index(after: quote)
                    while i < inner.endIndex, inner[i] != "\"" {
                        if inner[i] == "\\", inner.index(after: i) < inner.endIndex { i = inner.index(after: i) }
                        sub.append(inner[i])
                        i = inner.index(after: i)
                    }
                    section = name + "." + sub
                } else {
                    section = String(inner).trimmingCharacters(in: " \t").lowercased()
                }
                continue
            }
            guard let section else {
                throw SqitchError("config", "Error parsing \(path), line \(index + 1)")
            }
            let nameEnd = trimmed.firstIndex { $0 == "=" || $0 == " " || $0 == "\t" || $0 == "#" || $0 == ";" }
                ?? trimmed.endIndex
            let name = String(trimmed[..<nameEnd])
            var rest = trimmed[nameEnd...].drop { $0 == " " || $0 == "\t" }
            if rest.hasPrefix("=") {
                rest = rest.dropFirst()
                entries.append(ConfigEntry(key: section + "." + name, value: parseValue(rest)))
            } else {
                entries.append(ConfigEntry(key: section + "." + name, value: nil))
            }
        }
        return ConfigFile(path: path, scope: scope, entries: entries)
    }

    static func parseValue(_ raw: Substring) -> String {
        var out = ""
        var pendingSpace = ""
        var inQuotes = false
        var i = raw.startIndex
        var started = false
        while i < raw.endIndex {
            let c = raw[i]
            if !inQuotes && (c == "#" || c == ";") { break }
            if c == "\"" { inQuotes.toggle(); started = true; out += pendingSpace; pendingSpace = ""; i = raw.index(after: i); continue }
            if c == "\\", raw.index(after: i) < raw.endIndex {
                let n = raw[raw.index(after: i)]
                out += pendingSpace; pendingSpace = ""; started = true
                switch n {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "b": out.append("\u{8}")
                default: out.append(n)
                }
                i = raw.index(i, offsetBy: 2)
                continue
            }
            if !inQuotes && (c == " " || c == "\t") {
                if started { pendingSpace = " " }
            } else {
                out += pendingSpace; pendingSpace = ""; started = true
                out.append(c)
            }
            i = raw.index(after: i)
        }
        return out
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
