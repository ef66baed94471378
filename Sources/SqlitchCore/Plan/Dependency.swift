import Foundation

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

    private static let regex: NSRegularExpression = {
        let name = PlanNames.namePattern
        return try! NSRegularExpression(pattern:
            "\\A(?<conflicts>!?)(?:(?<project>\(name)):)?" +
            "(?:(?<id>[0-9a-f]{40})|(?<change>\(name))(?:@(?<tag1>\(name)))?|(?:@(?<tag2>\(name)))?)\\z")
    }()

    /// Parses a dependency string; nil when it does not match the grammar, or when it names
    /// nothing (Sqitch then dies with an internal error; see `parseChecked`).
    public static func parse(_ string: String) -> Dependency? {
        guard let c = regex.captures(in: string, names: ["conflicts", "project", "id", "change", "tag1", "tag2"])
        else { return nil }
        return Dependency(conflicts: c["conflicts"] == "!", project: c["project"],
                          change: c["change"], tag: c["tag1"] ?? c["tag2"], id: c["id"])
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
