import FoundationEssentials

/// A `db:<engine>:...` URI as Sqitch (URI::db) reads, edits and prints it.
///
/// The text is kept as written (after escaping characters a URI may not hold), so
/// `description` prints exactly what Sqitch prints; edits rewrite only the part they touch.
public struct DatabaseURI: Sendable, Equatable, CustomStringConvertible {
    /// The `db` prefix as written (Sqitch keeps its case).
    public private(set) var prefix: String
    /// The nested URI: `<engine>:<rest>`, escaped.
    private var nested: String

    /// Parses a URI. Text without the `db:` prefix is nested as URI::db does
    /// (`pg:flipr` reads as `db:pg:flipr`); whether it names an engine shows in `engine`.
    public init(_ string: String) {
        let trimmed = string.trimmingCharacters(in: " \t\n\r")
        var body = Substring(trimmed)
        if body.count >= 3, body.prefix(3).lowercased() == "db:" {
            prefix = String(body.prefix(2))
            body = body.dropFirst(3)
        } else {
            prefix = "db"
        }
        nested = DatabaseURI.unescapeHostBrackets(
            DatabaseURI.escape(IDNA.encodeHost(in: String(body)), keeping: DatabaseURI.uric + "#"))
    }

    /// Builds the URI `db:<engine>:`.
    public init(engine: String) {
        prefix = "db"
        nested = engine + ":"
    }

    public var description: String { prefix + ":" + nested }

    // MARK: Engine

    /// The engine as written in the URI, lower-cased (`postgres` in `db:postgres:x`), or
    /// nil for `db:` alone.
    public var engine: String? {
        guard let colon = nested.firstIndex(of: ":") else { return nil }
        let scheme = nested[..<colon]
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
              scheme.allSatisfy({ $0.isASCII })
        else { return nil }
        return scheme.lowercased()
    }

    /// The engine Sqitch uses for this URI, aliases resolved (`postgres` -> `pg`).
    public var canonicalEngine: String? {
        engine.map { DatabaseURI.engineAliases[$0] ?? $0 }
    }

    /// URI::db engine names that stand for another engine.
    public static let engineAliases: [String: String] = [
        "postgres": "pg", "postgresql": "pg", "pgsql": "pg", "pgxc": "pg", "postgresxc": "pg",
        "redshift": "pg", "sqlite3": "sqlite", "maria": "mysql", "mariadb": "mysql",
        "cockroachdb": "cockroach", "couch": "couchdb", "max": "maxdb", "monet": "monetdb",
        "mongo": "mongodb",
    ]

    /// The port used when the URI names none (URI::db's `port`), per canonical engine.
    public static let defaultPorts: [String: Int] = [
        "pg": 5432, "mysql": 3306, "cockroach": 26257, "oracle": 1521, "firebird": 3050,
        "vertica": 5433, "exasol": 8563, "snowflake": 443,
    ]

    // MARK: Parts

    /// Everything after `<engine>:` (URI's opaque part plus fragment).
    private var rest: Substring {
        guard let colon = nested.firstIndex(of: ":"), engine != nil else { return nested[...] }
        return nested[nested.index(after: colon)...]
    }

    private var schemePart: Substring {
        guard let colon = nested.firstIndex(of: ":"), engine != nil else { return "" }
        return nested[...colon]
    }

    /// Splits `rest` into authority (nil when there is no `//`), path and the tail (`?...#...`).
    private var parts: (authority: String?, path: String, tail: String) {
        var r = rest
        var authority: String?
        if r.hasPrefix("//") {
            r = r.dropFirst(2)
            let end = r.firstIndex { "/?#".contains($0) } ?? r.endIndex
            authority = String(r[..<end])
            r = r[end...]
        }
        let end = r.firstIndex { "?#".contains($0) } ?? r.endIndex
        return (authority, String(r[..<end]), String(r[end...]))
    }

    private mutating func setParts(authority: String?, path: String, tail: String) {
        var path = path
        if authority != nil {
            if !path.isEmpty, !"/?#".contains(path.first!) { path = "/" + path }
        }
        nested = String(schemePart) + (authority.map { "//" + $0 } ?? "") + path + tail
    }

    /// The raw authority (`user:pass@host:port`), nil when the URI has none.
    public var authority: String? { parts.authority }

    /// True for the `db:engine://...` form (URI::db's "full" test, which also decides how
    /// `dbname` reads the path).
    public var isHierarchical: Bool {
        let r = rest
        guard r.hasPrefix("//") else { return false }
        let after = r.dropFirst(2)
        if after.hasPrefix("//") { return true }
        let optional = after.hasPrefix("/") ? after.dropFirst() : after
        return !optional.hasPrefix("/")
    }

    /// The raw user-info part, before `@`.
    private var userinfo: String? {
        guard let auth = parts.authority, let at = auth.lastIndex(of: "@") else { return nil }
        return String(auth[..<at])
    }

    private mutating func setUserinfo(_ info: String?) {
        let p = parts
        var hostPort = p.authority ?? ""
        if let at = hostPort.lastIndex(of: "@") { hostPort = String(hostPort[hostPort.index(after: at)...]) }
        if let info {
            hostPort = DatabaseURI.escape(info, keeping: DatabaseURI.uric4user) + "@" + hostPort
        }
        setAuthority(hostPort)
    }

    private mutating func setAuthority(_ auth: String?) {
        let p = parts
        let escaped = auth.map { DatabaseURI.escape($0, keeping: DatabaseURI.achar, hostBrackets: true) }
        setParts(authority: escaped, path: p.path, tail: p.tail)
    }

    /// The user name, percent-decoded.
    public var user: String? {
        get {
            guard let info = userinfo else { return nil }
            let name = info.firstIndex(of: ":").map { String(info[..<$0]) } ?? info
            return DatabaseURI.unescape(name)
        }
        set {
            let info = userinfo ?? ""
            let pass = info.firstIndex(of: ":").map { String(info[$0...]) } ?? ""
            if newValue == nil && pass.isEmpty {
                setUserinfo(nil)
            } else {
                let name = (newValue ?? "").replacingEvery("%", with: "%25")
                    .replacingEvery(":", with: "%3A")
                setUserinfo(name + pass)
            }
        }
    }

    /// The password, percent-decoded. Setting nil keeps the colon when a user is present,
    /// as URI::db does (`db:pg://u:@h/db`).
    public var password: String? {
        get {
            guard let info = userinfo, let colon = info.firstIndex(of: ":") else { return nil }
            return DatabaseURI.unescape(String(info[info.index(after: colon)...]))
        }
        set {
            let info = userinfo ?? ""
            let name = info.firstIndex(of: ":").map { String(info[..<$0]) } ?? info
            if newValue == nil && name.isEmpty {
                setUserinfo(nil)
            } else {
                setUserinfo(name + ":" + (newValue ?? "").replacingEvery("%", with: "%25"))
            }
        }
    }

    /// The host, percent-decoded, without IPv6 brackets; nil without an authority.
    public var host: String? {
        get {
            guard var h = parts.authority else { return nil }
            if let at = h.lastIndex(of: "@") { h = String(h[h.index(after: at)...]) }
            if let r = DatabaseURI.trailingPort(h, allowEmpty: false) { h.removeSubrange(r) }
            if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
            return DatabaseURI.unescape(h)
        }
        set {
            let old = parts.authority ?? ""
            let ui = old.lastIndex(of: "@").map { String(old[...$0]) } ?? ""
            var port = DatabaseURI.trailingPort(old, allowEmpty: false).map { String(old[$0]) } ?? ""
            var new = newValue ?? ""
            if !new.isEmpty {
                new = new.replacingEvery("@", with: "%40")
                if let r = DatabaseURI.hostThenPort.firstRange(in: new) ?? DatabaseURI.bracketsThenPort.firstRange(in: new),
                   r.upperBound == new.endIndex {
                    let colon = new.lastIndex(of: ":")!
                    port = String(new[colon...])
                    new = String(new[..<colon])
                }
                if new.contains(":") && !new.hasPrefix("[") { new = "[" + new + "]" }
            }
            setAuthority(ui + new + port)
        }
    }

    /// The port written in the URI (URI's `_port`): nil when absent, "" for `host:`.
    public var explicitPort: String? {
        get {
            guard let auth = parts.authority, let r = DatabaseURI.trailingPort(auth, allowEmpty: true) else { return nil }
            return String(auth[r].dropFirst())
        }
        set {
            var auth = parts.authority ?? ""
            if let r = DatabaseURI.trailingPort(auth, allowEmpty: true) { auth.removeSubrange(r) }
            if let newValue { auth += ":" + newValue }
            setAuthority(auth)
        }
    }

    /// Where `:\d+$` (`:\d*$` with `allowEmpty`) matches: a colon and the decimal digits
    /// (any script's, as `\d`) that end the text. Text ending in a line terminator, where
    /// `$` has its own rules, goes to the regular expression.
    private static let portOrColon = try! RegularExpression(#":\d*$"#)
    private static let port = try! RegularExpression(#":\d+$"#)
    private static let hostThenPort = try! RegularExpression(#"^[^:]*:\d*$"#)
    private static let bracketsThenPort = try! RegularExpression(#"\]:\d*$"#)

    static func trailingPort(_ text: String, allowEmpty: Bool) -> Range<String.Index>? {
        let scalars = text.unicodeScalars
        if let last = scalars.last, [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029].contains(last.value) {
            return (allowEmpty ? portOrColon : port).firstRange(in: text)
        }
        var start = scalars.endIndex
        while start > scalars.startIndex, scalars[scalars.index(before: start)].properties.numericType == .decimal {
            start = scalars.index(before: start)
        }
        guard allowEmpty || start < scalars.endIndex, start > scalars.startIndex else { return nil }
        let colon = scalars.index(before: start)
        return scalars[colon] == ":" ? colon..<scalars.endIndex : nil
    }

    /// The port as a number: the explicit one, else the engine's default.
    public var port: Int? {
        if let p = explicitPort, let n = Int(p) { return n }
        return canonicalEngine.flatMap { DatabaseURI.defaultPorts[$0] }
    }

    /// The raw (escaped) path.
    public var path: String { parts.path }

    /// The database name, percent-decoded: for the `//` form the path without its leading
    /// slash (so `db:sqlite:///tmp/f.db` names the relative `tmp/f.db`), otherwise the whole
    /// path. nil when the path is empty.
    public var dbname: String? {
        get {
            let p = parts.path
            if p.isEmpty { return nil }
            var segments = p.split(separator: "/", omittingEmptySubsequences: false).map {
                DatabaseURI.unescape(String($0))
            }
            if isHierarchical { segments.removeFirst() }
            return segments.joined(separator: "/")
        }
        set {
            let p = parts
            var new: String
            if isHierarchical, let value = newValue { new = "/" + value } else { new = newValue ?? "" }
            new = DatabaseURI.escape(new, keeping: DatabaseURI.pchar)
            setParts(authority: p.authority, path: new, tail: p.tail)
        }
    }

    /// Replaces the path with already-escaped text (URI's `path` setter after
    /// `path_segments` escaped each segment).
    mutating func setRawPath(_ path: String) {
        let p = parts
        setParts(authority: p.authority, path: DatabaseURI.escape(path, keeping: DatabaseURI.pchar), tail: p.tail)
    }

    /// The raw query, without `?`; nil when absent.
    public var query: String? {
        let tail = parts.tail
        guard tail.hasPrefix("?") else { return nil }
        let q = tail.dropFirst()
        return String(q.prefix { $0 != "#" })
    }

    /// Query parameters in order, decoded (`+` is a space).
    public var queryParameters: [(name: String, value: String)] {
        guard let q = query, !q.isEmpty else { return [] }
        return q.split(whereSeparator: { $0 == "&" || $0 == ";" }).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func dec(_ s: Substring) -> String { DatabaseURI.unescape(s.replacingEvery("+", with: " ")) }
            return (dec(parts[0]), parts.count > 1 ? dec(parts[1]) : "")
        }
    }

    /// A copy without the password (the colon stays when a user is present).
    public var withoutPassword: DatabaseURI {
        guard password != nil else { return self }
        var copy = self
        copy.password = nil
        return copy
    }

    /// The URI with Sqitch's `--db-user`, `--db-host`, `--db-port` and `--db-name` applied.
    public func overriding(user: String? = nil, host: String? = nil, port: String? = nil,
                           dbname: String? = nil) -> DatabaseURI {
        var copy = self
        if let user { copy.user = user }
        if let host { copy.host = host }
        if let port { copy.explicitPort = port }
        if let dbname { copy.dbname = dbname }
        return copy
    }

    // MARK: Escaping (URI.pm's character classes, without reserved square brackets)

    static let unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()"
    static let uric = ";/?:@&=+$," + unreserved + "%"
    static let pchar = uric.replacingEvery("?", with: "")
    static let achar = uric.replacingEvery("/", with: "").replacingEvery("?", with: "")
    static let uric4user = "!$'()*,;:._~%-+=&" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

    /// URI.pm (5.11 and later) escapes square brackets everywhere, then puts back those of
    /// the host part: after `//`, past any user info, before any port. Schemes without a
    /// host part keep them escaped; `mailto:` gets them all back. `%5B`/`%5D` typed in the
    /// host become brackets too.
    static func unescapeHostBrackets(_ text: String) -> String {
        guard text.contains("%") else { return text }
        for scheme in ["data", "ldapi", "urn", "sqlite", "sqlite3"] where text.hasPrefix(scheme + ":") { return text }
        func brackets(_ part: String) -> String {
            part.replacingEvery("%5B", with: "[").replacingEvery("%5b", with: "[")
                .replacingEvery("%5D", with: "]").replacingEvery("%5d", with: "]")
        }
        if text.hasPrefix("mailto:") { return brackets(text) }
        guard let host = hostRange(in: text) else { return text }
        return String(text[..<host.lowerBound]) + brackets(String(text[host])) + String(text[host.upperBound...])
    }

    /// Where the host of `text`'s authority lies, as URI.pm's host regexes find it: after an
    /// optional scheme and `//`, past any user info (up to the last `@`), before a `:port` of
    /// digits. Nil when there is no `//` authority.
    static func hostRange(in text: String) -> Range<String.Index>? {
        var start = text.startIndex
        if let colon = text.firstIndex(of: ":"), let first = text.first, first.isASCII, first.isLetter,
           text[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }),
           text[text.index(after: colon)...].hasPrefix("//") {
            start = text.index(after: colon)
        }
        guard text[start...].hasPrefix("//") else { return nil }
        let authorityStart = text.index(start, offsetBy: 2)
        let authorityEnd = text[authorityStart...].firstIndex(where: { "/?#".contains($0) }) ?? text.endIndex
        let authority = text[authorityStart..<authorityEnd]
        let hostStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        var hostEnd = authority.endIndex
        if let colon = authority[hostStart...].lastIndex(of: ":"),
           authority.index(after: colon) < authority.endIndex,
           authority[authority.index(after: colon)...].allSatisfy({ $0.isASCII && $0.isNumber }) {
            hostEnd = colon
        }
        return hostStart..<hostEnd
    }

    /// Percent-escapes (as UTF-8 bytes) every character outside `keeping`; with
    /// `hostBrackets`, square brackets in an authority are kept.
    static func escape(_ text: String, keeping: String, hostBrackets: Bool = false) -> String {
        let allowed = Set(keeping.unicodeScalars)
        var out = ""
        for scalar in text.unicodeScalars {
            if allowed.contains(scalar) || (hostBrackets && (scalar == "[" || scalar == "]")) {
                out.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { out += "%" + hexDigits(byte) }
            }
        }
        return out
    }

    /// Decodes `%XX` sequences as UTF-8 (bytes that do not decode are kept).
    static func unescape(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
               let v = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(v)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
