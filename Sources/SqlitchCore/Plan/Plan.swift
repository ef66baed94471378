import FoundationEssentials

/// A parsed `sqitch.plan`: its pragmas and every line in order, so it can be written back as
/// Sqitch rewrites it, plus the changes (with their tags and IDs) and lookups by reference.
public struct Plan: Sendable {
    /// The plan file path as configured (used in messages).
    public var file: String
    public var project: String
    /// The raw `%uri` value, if any.
    public var uri: String?
    /// Every pragma by name (`syntax-version` is always `1.0.0`).
    public var pragmas: [String: String]
    public var lines: [PlanLine]
    public var changes: [Change]

    /// The index a key names: a change name (its first instance), a change ID, `@tag`, a tag
    /// ID, `HEAD`, `ROOT`. One Int a key, not an array: built for every change of every read.
    private var lookup: [String: Int] = [:]
    /// Names planned more than once (reworked): every index, in plan order.
    private var instances: [String: [Int]] = [:]
    /// Index of the last change that has tags.
    public private(set) var lastTaggedIndex: Int?
    /// False for a plan read with `withIDs: false`: names and tags are looked up, but the
    /// changes' IDs (and their project and URI) are not set until `reindex()`.
    public private(set) var hasIDs = false

    /// The version of the plan syntax Sqitch writes.
    public static let syntaxVersion = "1.0.0"

    init(file: String, project: String, uri: String?, pragmas: [String: String], lines: [PlanLine], changes: [Change],
         withIDs: Bool = true) {
        self.file = file
        self.project = project
        self.uri = uri
        self.pragmas = pragmas
        self.lines = lines
        self.changes = changes
        if withIDs { reindex() } else { indexNames() }
    }

    /// Reads and parses the plan file at `path` (relative to the working directory).
    /// `withIDs: false` leaves the change IDs to a later `reindex()`: what a command's
    /// arguments need is only whether a name is planned, and a plan error fails the same.
    public static func load(path: String, sqitch: Sqitch, withIDs: Bool = true) throws -> Plan {
        let files = sqitch.files
        if !files.exists(path) { throw PlanError("Plan file \(path) does not exist") }
        if !files.isFile(path) { throw PlanError("Plan file \(path) is not a regular file") }
        return try PlanParser.parse(text: files.readStrictText(path), file: path, withIDs: withIDs)
    }

    /// Whether `reference` may name a change or tag by its ID (40 hexadecimal digits in a row
    /// anywhere in it, the safe side of where Sqitch looks), which a plan without IDs cannot
    /// answer.
    public static func mayReferToID(_ reference: String) -> Bool {
        var digits = 0
        for byte in reference.utf8 {
            if (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) {
                digits += 1
                if digits >= 40 { return true }
            } else {
                digits = 0
            }
        }
        return false
    }

    /// The canonical `%uri`, as used in IDs.
    public var canonicalURI: String? { uri.map(PlanIDs.canonicalURI) }

    /// All tags in plan order.
    public var tags: [Tag] { changes.flatMap(\.tags) }
    public var count: Int { changes.count }
    public var lastChange: Change? { changes.last }
    public var lastTaggedChange: Change? { lastTaggedIndex.map { changes[$0] } }

    /// The lookups by name and tag only (`withIDs: false`).
    private mutating func indexNames() {
        hasIDs = false
        lookup = [:]
        instances = [:]
        lookup.reserveCapacity(changes.count + 8)
        lastTaggedIndex = nil
        for i in changes.indices {
            let name = changes[i].name
            if let first = lookup[name] {
                instances[name, default: [first]].append(i)
            } else {
                lookup[name] = i
            }
            for tag in changes[i].tags {
                lookup[tag.formatName] = i
                lastTaggedIndex = i
            }
        }
        if !changes.isEmpty {
            lookup["HEAD"] = changes.count - 1
            lookup["@HEAD"] = changes.count - 1
            lookup["ROOT"] = 0
            lookup["@ROOT"] = 0
        }
    }

    /// Recomputes project, parents, IDs and the lookup table after the changes were edited.
    public mutating func reindex() {
        hasIDs = true
        let canonical = canonicalURI
        lookup = [:]
        instances = [:]
        lookup.reserveCapacity(2 * changes.count + 8)
        lastTaggedIndex = nil
        var parent: String?
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        for i in changes.indices {
            changes[i].project = project
            changes[i].uri = canonical
            changes[i].parentID = parent
            let id = changes[i].computedID(buffer: &buffer)
            changes[i].id = id
            parent = id
            let name = changes[i].name
            if let first = lookup[name] {
                instances[name, default: [first]].append(i)
            } else {
                lookup[name] = i
            }
            lookup[id] = i
            for t in changes[i].tags.indices {
                changes[i].tags[t].project = project
                changes[i].tags[t].uri = canonical
                changes[i].tags[t].changeID = id
                lookup[changes[i].tags[t].formatName] = i
                lookup[changes[i].tags[t].id] = i
                lastTaggedIndex = i
            }
        }
        // Rework tags are copies: refresh their IDs too.
        for i in changes.indices {
            for r in changes[i].reworkTags.indices {
                if let owner = lookup[changes[i].reworkTags[r].formatName],
                   let tag = changes[owner].tags.first(where: { $0.name == changes[i].reworkTags[r].name }) {
                    changes[i].reworkTags[r] = tag
                }
            }
        }
        if !changes.isEmpty {
            lookup["HEAD"] = changes.count - 1
            lookup["@HEAD"] = changes.count - 1
            lookup["ROOT"] = 0
            lookup["@ROOT"] = 0
        }
    }

    /// Every index `key` names: all instances of a change name, else the one change an ID or
    /// tag names.
    private func indices(_ key: String) -> [Int]? {
        instances[key] ?? lookup[key].map { [$0] }
    }

    // MARK: Lookups (lib/sqitchchanges.pod)

    /// Splits a trailing `^`, `^^`, `^N`, `~`, `~~`, `~N` off a reference: the rest and the
    /// offset (negative = earlier).
    static func splitOffset(_ reference: String) -> (String, Int) {
        // Most references have neither symbol: no regular expression to compile for them.
        guard reference.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "^") }) else {
            return (reference, 0)
        }
        guard let m = offsetRegex.firstMatch(in: reference), let whole = m.range(0) else {
            return (reference, 0)
        }
        let sym = m[1]
        var count = 1
        if m[2] != nil { count = 2 }
        if let digits = m[3] { count = Int(digits) ?? 0 }
        return (String(reference[..<whole.lowerBound]), sym == "^" ? -count : count)
    }

    private static let offsetRegex = try! RegularExpression("(?<![\(PlanNames.punct)])([~^])(?:(\\1)|(\\d+))?\\z")

    /// The index of the change a reference names, or nil. Throws `Change lookup failed`
    /// (after listing the candidates on standard error through `console`) for an
    /// ambiguous reworked name, and `Unknown tag` for `name@tag` with a missing tag.
    public func index(of reference: String, console: Console? = nil) throws -> Int? {
        let (key, offset) = Plan.splitOffset(reference)
        guard let idx = try baseIndex(of: key, console: console) else { return nil }
        let target = idx + offset
        return target < 0 || target >= changes.count ? nil : target
    }

    private func baseIndex(of key: String, console: Console?) throws -> Int? {
        let parts = key.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let change = parts[0]
        let tag = parts.count > 1 ? parts[1] : nil
        if change.isEmpty {
            guard let tag else { return nil }
            return lookup["@" + tag]
        }
        guard let list = indices(change), !list.isEmpty else { return nil }
        if let tag {
            guard let tagIdx = lookup["@" + tag] else {
                throw PlanError("Unknown tag \"@\(tag)\"")
            }
            return list.reversed().first { $0 <= tagIdx }
        }
        if list.count < 2 { return list[0] }
        console?.vent("Change \"\(key)\" is ambiguous. Please specify a tag-qualified change:")
        for i in list.reversed() { console?.vent("  * " + changes[i].formatTagQualifiedName) }
        throw PlanError("Change lookup failed")
    }

    /// Indices of every instance of a name (or of the change an ID or tag names).
    func changeIndices(named key: String) -> [Int]? { indices(key) }

    /// First instance of a change name (with optional offset), for Sqitch's `find`
    /// of a reference without `@`; references with `@` use `index(of:)`.
    public func find(_ reference: String, console: Console? = nil) throws -> Change? {
        if reference.contains("@") { return try index(of: reference, console: console).map { changes[$0] } }
        let (key, offset) = Plan.splitOffset(reference)
        guard let idx = lookup[key] else { return nil }
        let target = idx + offset
        return target < 0 || target >= changes.count ? nil : changes[target]
    }

    /// The change a reference names (Sqitch's `get`).
    public func change(_ reference: String, console: Console? = nil) throws -> Change? {
        try index(of: reference, console: console).map { changes[$0] }
    }

    /// True when the plan holds the reference.
    public func contains(_ reference: String) throws -> Bool { try find(reference) != nil }

    // MARK: Mutations

    /// The blank-line-terminated header lines (pragmas and comments) end here.
    private var lineIndexOfChange: [Int: Int] {
        var map: [Int: Int] = [:]
        for (i, line) in lines.enumerated() { if case .change(let c) = line { map[c] = i } }
        return map
    }

    /// Appends a change, as `sqitch add` does (blank line first when the last change has tags).
    @discardableResult
    public mutating func add(_ change: Change) throws -> Change {
        try PlanNames.validate(change.name, isTag: false)
        if lookup[change.name] != nil, (try? index(of: change.name + "@HEAD")) != nil {
            throw PlanError("Change \"\(change.name)\" already exists in plan \(file).\nUse \"sqitch rework\" to copy and rework it")
        }
        try checkDependencies(change, action: "add")
        if let last = changes.last, !last.tags.isEmpty { lines.append(.blank(BlankLine())) }
        changes.append(change)
        lines.append(.change(changes.count - 1))
        reindex()
        return changes[changes.count - 1]
    }

    /// Adds a tag after `changeReference` (or the last change), after its existing tags.
    @discardableResult
    public mutating func tag(_ tag: Tag, change changeReference: String? = nil) throws -> Tag {
        var tag = tag
        if tag.name.hasPrefix("@") { tag.name.removeFirst() }
        try PlanNames.validate(tag.name, isTag: true)
        if lookup["@" + tag.name] != nil { throw PlanError("Tag \"@\(tag.name)\" already exists") }
        let idx: Int
        if let spec = changeReference {
            guard let found = try index(of: spec) else { throw PlanError("Unknown change: \"\(spec)\"") }
            idx = found
        } else {
            guard !changes.isEmpty else {
                throw PlanError("Cannot apply tag \"@\(tag.name)\" to a plan with no changes")
            }
            idx = changes.count - 1
        }
        let lineIdx = lineIndexOfChange[idx]! + changes[idx].tags.count + 1
        changes[idx].tags.append(tag)
        lines.insert(.tag(change: idx, tag: changes[idx].tags.count - 1), at: lineIdx)
        reindex()
        return changes[idx].tags.last!
    }

    /// Appends a new instance of an existing change, requiring `name@T` where T is the first
    /// tag of the last tagged change, as `sqitch rework` does.
    @discardableResult
    public mutating func rework(_ change: Change) throws -> Change {
        let name = change.name
        guard let idx = try index(of: name + "@HEAD") else {
            throw PlanError("Change \"\(name)\" does not exist in \(file).\nUse \"sqitch add \(name)\" to add it to the plan")
        }
        guard let tagIdx = lastTaggedIndex, tagIdx >= idx else {
            throw PlanError("Cannot rework \"\(name)\" without an intervening tag.\nUse \"sqitch tag\" to create a tag and try again")
        }
        let tag = changes[tagIdx].tags[0]
        var new = change
        new.requires.insert(Dependency(change: name, tag: tag.name), at: 0)
        try checkDependencies(new, action: "rework")
        changes[idx].reworkTags.append(tag)
        changes.append(new)
        lines.append(.change(changes.count - 1))
        reindex()
        return changes[changes.count - 1]
    }

    private func checkDependencies(_ change: Change, action: String) throws {
        for req in change.requires where req.resolvedProject(planProject: project) == project {
            let key = req.keyName
            if (try? index(of: key.contains("@") ? key : key + "@HEAD")) ?? nil != nil { continue }
            throw PlanError("Cannot \(action) change \"\(change.name)\": requires unknown change \"\(key)\"")
        }
    }

    // MARK: Writing

    /// The file's text as Sqitch writes it: every line followed by a newline.
    public func text() -> String {
        var out = ""
        for line in lines {
            out += lineText(line)
            out += "\n"
        }
        return out
    }

    func lineText(_ line: PlanLine) -> String {
        switch line {
        case .pragma(let p): return p.asString
        case .blank(let b): return b.asString
        case .change(let c): return changes[c].asString
        case .tag(let c, let t): return changes[c].tags[t].asString
        }
    }

    /// Writes the plan (atomically) to `path`, or to the plan's own file.
    public func write(to path: String? = nil, sqitch: Sqitch) throws {
        try sqitch.files.writeText(path ?? file, text())
    }
}

/// The plans one command reads, each parsed once however many targets share its file.
public final class PlanCache {
    let sqitch: Sqitch
    private var plans: [String: Plan] = [:]

    public init(sqitch: Sqitch) { self.sqitch = sqitch }

    /// The plan of `target`, read on first use.
    public func plan(of target: Target) throws -> Plan {
        // Indexed where it is stored: a copy would duplicate every change.
        if plans[target.planFile]?.hasIDs == false { plans[target.planFile]?.reindex() }
        if let plan = plans[target.planFile] { return plan }
        let plan = try Plan.load(path: target.planFile, sqitch: sqitch)
        plans[target.planFile] = plan
        return plan
    }

    /// Whether `target`'s plan has the change or tag `reference` names (Sqitch's `contains`,
    /// which `parse_args` asks of every argument). The plan is read without IDs unless the
    /// reference may be one: `log` and `status` then hash them once, if ever.
    public func contains(_ reference: String, in target: Target) throws -> Bool {
        let key = target.planFile
        if plans[key] == nil { plans[key] = try Plan.load(path: key, sqitch: sqitch, withIDs: false) }
        if plans[key]?.hasIDs == false && Plan.mayReferToID(reference) { plans[key]?.reindex() }
        return try plans[key]?.contains(reference) ?? false
    }

    /// The plan of `target` if it was read already (perhaps without IDs: see `Plan.hasIDs`).
    public func loaded(_ target: Target) -> Plan? { plans[target.planFile] }
}
