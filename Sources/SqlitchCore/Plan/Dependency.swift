import FoundationEssentials

/// A `requires` or `conflicts` entry of a change: `[!][project:](id | change[@tag] | @tag)`.
public struct Dependency: Sendable, Equatable, Hashable {
    /// True for a conflict (`!dep`).
    public var conflicts: Bool
    /// The project given explicitly with `project:`, if any.
    public var project: String?
    public var change: String?
    public var tag: String?
    public var id: String?

    public init(conflicts: Bool = false, project: String? = nil, change: String? = nil,
                tag: String? = nil, id: String? = nil) {
        self.conflicts = conflicts
        self.project = project
        self.change = change
        self.tag = tag
        self.id = id
    }

    private static let regex: RegularExpression = {
        let name = PlanNames.namePattern
        return try! RegularExpression(
            "\\A(?<conflicts>!?)(?:(?<project>\(name)):)?" +
            "(?:(?<id>[0-9a-f]{40})|(?<change>\(name))(?:@(?<tag1>\(name)))?|(?:@(?<tag2>\(name)))?)\\z")
    }()

    /// Parses a dependency string; nil when it does not match the grammar, or when it names
    /// nothing (Sqitch then dies with an internal error; see `parseChecked`).
    public static func parse(_ string: String) -> Dependency? {
        if let simple = parseSimple(string) { return simple }
        guard let c = regex.captures(in: string, names: ["conflicts", "project", "id", "change", "tag1", "tag2"])
        else { return nil }
        return Dependency(conflicts: c["conflicts"] == "!", project: c["project"],
                          change: c["change"], tag: c["tag1"] ?? c["tag2"], id: c["id"])
    }

    /// The common case without the regular expression: `[!]name` where the name is ASCII
    /// letters, digits, `_` and `-`, starting and ending with a letter or digit, and not a
    /// 40-hex ID. nil when the string needs the full grammar.
    static func parseSimple(_ string: String) -> Dependency? {
        var bytes = Substring(string).utf8[...]
        let conflicts = bytes.first == UInt8(ascii: "!")
        if conflicts { bytes = bytes.dropFirst() }
        func isAlnum(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        }
        guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last),
              bytes.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else { return nil }
        if bytes.count == 40, bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) {
            return nil
        }
        return Dependency(conflicts: conflicts, change: String(Substring(bytes)))
    }

    /// True when the string matched but names no change, tag or id (`proj:`).
    var isEmpty: Bool { (change ?? "").isEmpty && (tag ?? "").isEmpty && id == nil }

    /// `change`, `change@tag`, `@tag` or the id.
    public var keyName: String {
        var key = change ?? ""
        if let tag { key += "@" + tag }
        if key.isEmpty, let id { key = id }
        return key
    }

    /// The dependency as Sqitch displays it in a plan whose project is `planProject`: the
    /// key name, prefixed with `project:` only for another project.
    public func asString(planProject: String) -> String {
        guard let project, project != planProject else { return keyName }
        return project + ":" + keyName
    }

    /// As written in the plan file (`!` for conflicts).
    public func asPlanString(planProject: String) -> String {
        (conflicts ? "!" : "") + asString(planProject: planProject)
    }

    /// The project this dependency refers to, given the plan's.
    public func resolvedProject(planProject: String) -> String { project ?? planProject }
}
