/// Which configuration file a setting comes from, lowest precedence first.
public enum ConfigScope: String, Sendable, CaseIterable {
    case system, user, local
}

/// The file each scope reads and writes. Three named fields, not a dictionary: see
/// `Environment` for why start-up avoids dictionaries it can do without.
public struct ConfigPaths: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public var system: String?
    public var user: String?
    public var local: String?

    public init(dictionaryLiteral elements: (ConfigScope, String)...) {
        for (scope, path) in elements { self[scope] = path }
    }

    public subscript(_ scope: ConfigScope) -> String? {
        get {
            switch scope {
            case .system: system
            case .user: user
            case .local: local
            }
        }
        set {
            switch scope {
            case .system: system = newValue
            case .user: user = newValue
            case .local: local = newValue
            }
        }
    }
}

/// One parsed `key = value` setting. `key` is `section[.subsection].name` with the section
/// lower-cased, the subsection as written and the name as written (Sqitch keeps the case of
/// variable names); lookups compare section and name without regard to case.
public struct ConfigEntry: Sendable, Equatable {
    public var key: String
    /// nil for a bare `name` line, which reads as true.
    public var value: String?
    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }
}

/// The three configuration files Sqitch reads (system, user, local), merged key by key with
/// later scopes winning.
public struct ConfigStack: Sendable {
    /// Files that exist, in precedence order (system, user, local).
    public var files: [ConfigFile]
    /// Paths each scope reads and writes, whether or not the file exists.
    public var paths: ConfigPaths

    public init(files: [ConfigFile], paths: ConfigPaths = [:]) {
        self.files = files
        self.paths = paths
    }

    /// The local (project) file, when one was found: Sqitch's "project initialized".
    public var localFile: ConfigFile? { files.first { $0.scope == .local } }

    /// Every value of `key` from the highest scope that sets it (a later file replaces
    /// the key as a whole, as GitLike merges files). Bare names read as `true`.
    public func getAll(_ key: String) -> [String] {
        rawValues(key).map { $0 ?? "true" }
    }

    /// The values of `key` as stored: from the highest scope that sets it, nil for a bare name.
    public func rawValues(_ key: String) -> [String?] {
        let wanted = ConfigKey(key)
        for file in files.reversed() {
            let values = file.entries.filter { ConfigKey($0.key) == wanted }
            if !values.isEmpty { return values.map(\.value) }
        }
        return []
    }

    /// The value of `key`, from the highest scope that sets it.
    /// Several values in that one scope are an error, as in Sqitch.
    public func get(_ key: String) throws -> String? {
        let values = rawValues(key)
        if values.count > 1 {
            throw ConfigError("More then one value for the key \"\(key)\"")
        }
        guard let first = values.first else { return nil }
        return first ?? "true"
    }

    /// Every key with its values as GitLike holds them after loading: canonical key
    /// (section and name lower-cased, subsection as written) to the values of the highest
    /// scope that sets it, sorted by key.
    public var merged: [(key: String, values: [String?])] {
        var result: [String: [String?]] = [:]
        for file in files {
            var seen: Set<String> = []
            for entry in file.entries {
                let key = ConfigKey(entry.key).canonical
                if seen.insert(key).inserted { result[key] = [] }
                result[key]!.append(entry.value)
            }
        }
        return result.keys.sorted().map { (key: $0, values: result[$0]!) }
    }

    /// `--list` text: `key=value` lines sorted by key, `key=[a, b]` for several values and
    /// the bare key for a bare name; each line ends with a newline.
    public func dump() -> String {
        merged.map { item -> String in
            if item.values.count > 1 {
                return item.key + "=[" + item.values.map { $0 ?? "" }.joined(separator: ", ") + "]\n"
            }
            guard let value = item.values[0] else { return item.key + "\n" }
            return item.key + "=" + value + "\n"
        }.joined()
    }

    /// `get` that treats a multi-valued key as its last value, for keys read in passing.
    public func value(_ key: String) -> String? {
        getAll(key).last
    }

    /// A boolean setting: true/yes/on/1 and false/no/off/0 (and a bare name for true).
    public func bool(_ key: String) throws -> Bool? {
        guard let raw = try get(key) else { return nil }
        guard let value = ConfigStack.parseBool(raw) else {
            throw ConfigError("Invalid bool value for \(key): \(raw)")
        }
        return value
    }

    public static func parseBool(_ raw: String) -> Bool? {
        switch raw.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0", "": return false
        default: return nil
        }
    }

    /// Settings whose key starts with `prefix.` (e.g. `engine.pg.variables`), with the rest of
    /// the key as written, merged so later scopes win. Sorted by name.
    public func section(_ prefix: String) -> [(name: String, value: String)] {
        let wanted = prefix.lowercased() + "."
        var merged: [String: (String, String)] = [:]
        for file in files {
            for entry in file.entries where entry.key.lowercased().hasPrefix(wanted) {
                let name = String(entry.key.dropFirst(wanted.count))
                merged[name.lowercased()] = (name, entry.value ?? "true")
            }
        }
        return merged.values.sorted { $0.0 < $1.0 }.map { (name: $0.0, value: $0.1) }
    }
}

/// A key compared as git-config compares them: section and name case-insensitively, the
/// subsection exactly.
struct ConfigKey: Equatable, Hashable {
    let section: String
    let subsection: String?
    let name: String

    init(_ key: String) {
        let first = key.firstIndex(of: ".") ?? key.endIndex
        let last = key.lastIndex(of: ".") ?? key.endIndex
        section = key[..<first].lowercased()
        if first < last {
            subsection = String(key[key.index(after: first)..<last])
        } else {
            subsection = nil
        }
        name = last < key.endIndex ? key[key.index(after: last)...].lowercased() : ""
    }

    /// The key as GitLike stores it: `section[.subsection].name`, section and name lower-cased.
    var canonical: String {
        [section, subsection, name].compactMap { $0 }.joined(separator: ".")
    }
}
