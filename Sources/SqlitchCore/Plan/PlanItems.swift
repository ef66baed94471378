import Crypto
import FoundationEssentials

/// A `%name=value` header line, kept with its spacing so it is written back as read.
public struct Pragma: Sendable, Equatable {
    public var name: String
    public var value: String?
    public var lspace = ""
    public var hspace = ""
    public var lopspace = ""
    public var `operator` = ""
    public var ropspace = ""
    public var rspace = ""
    public var note = ""

    public init(name: String, value: String?, operator: String = "=") {
        self.name = name
        self.value = value
        self.operator = value == nil ? "" : `operator`
    }

    /// The line as Sqitch writes it.
    public var asString: String {
        lspace + "%" + hspace + name + lopspace + `operator` + ropspace + (value ?? "") + rspace + PlanText.formatNote(note)
    }
}

/// An empty or comment-only line.
public struct BlankLine: Sendable, Equatable {
    public var lspace = ""
    public var note = ""
    public init(lspace: String = "", note: String = "") {
        self.lspace = lspace
        self.note = note
    }
    public var asString: String { lspace + PlanText.formatNote(note) }
}

/// A tag line: a name for the state of the plan after the change it follows.
public struct Tag: Sendable, Equatable {
    /// The name without `@`.
    public var name: String
    public var note: String
    public var timestamp: Date
    public var plannerName: String
    public var plannerEmail: String
    public var lspace = ""
    public var rspace = ""
    /// Set by the plan: the tagged change's ID, the project and its canonical URI.
    public internal(set) var changeID = ""
    public internal(set) var project = ""
    public internal(set) var uri: String?

    public init(name: String, note: String = "", timestamp: Date, plannerName: String, plannerEmail: String) {
        self.name = name
        self.note = note
        self.timestamp = timestamp
        self.plannerName = plannerName
        self.plannerEmail = plannerEmail
        if !note.isEmpty { rspace = " " }
    }

    /// `@name`.
    public var formatName: String { "@" + name }
    public var formatPlanner: String { plannerName + " <" + plannerEmail + ">" }

    /// What `sqitch show tag` prints and what the ID hashes.
    public var info: String {
        var lines = ["project " + project]
        if let uri { lines.append("uri " + uri) }
        lines += ["tag " + formatName, "change " + changeID, "planner " + formatPlanner,
                  "date " + PlanText.rawTimestamp(timestamp)]
        if !note.isEmpty { lines += ["", note] }
        return lines.joined(separator: "\n")
    }

    public var id: String { PlanIDs.objectID(kind: "tag", info: info) }

    public var asString: String {
        lspace + formatName + " " + PlanText.rawTimestamp(timestamp) + " " + formatPlanner + rspace
            + PlanText.formatNote(note)
    }
}

/// A change line of the plan, with its tags and, once reworked, the tags that name its
/// older instances.
public struct Change: Sendable, Equatable {
    public var name: String
    /// `""`, `"+"` (deploy) or `"-"` (revert).
    public var `operator` = ""
    public var requires: [Dependency] = []
    public var conflicts: [Dependency] = []
    public var note: String
    public var timestamp: Date
    public var plannerName: String
    public var plannerEmail: String
    public var lspace = ""
    public var lopspace = ""
    public var ropspace = ""
    public var pspace = " "
    public var rspace = ""
    /// Tags declared right after this change, in plan order.
    public var tags: [Tag] = []
    /// For a reworked change: tags from the newest back to this instance (Sqitch's order).
    public var reworkTags: [Tag] = []
    /// Set by the plan.
    public internal(set) var project = ""
    public internal(set) var uri: String?
    public internal(set) var parentID: String?
    public internal(set) var id = ""

    public init(name: String, operator: String = "", requires: [Dependency] = [], conflicts: [Dependency] = [],
                note: String = "", timestamp: Date, plannerName: String, plannerEmail: String) {
        self.name = name
        self.operator = `operator`
        self.requires = requires
        self.conflicts = conflicts
        self.note = note
        self.timestamp = timestamp
        self.plannerName = plannerName
        self.plannerEmail = plannerEmail
        if !note.isEmpty { rspace = " " }
    }

    public var isDeploy: Bool { `operator` != "-" }
    public var isRevert: Bool { `operator` == "-" }
    /// `deploy` or `revert`.
    public var action: String { isDeploy ? "deploy" : "revert" }
    public var isReworked: Bool { !reworkTags.isEmpty }
    public var formatPlanner: String { plannerName + " <" + plannerEmail + ">" }

    /// `name @tag1 @tag2`.
    public var formatNameWithTags: String { ([name] + tags.map(\.formatName)).joined(separator: " ") }

    /// `name@tag` using its first tag, else its first rework tag, else `name@HEAD`.
    public var formatTagQualifiedName: String {
        if let tag = tags.first ?? reworkTags.first { return name + tag.formatName }
        return name + "@HEAD"
    }

    /// `[dep !conflict]`, or empty.
    public var formatDependencies: String {
        let deps = (requires + conflicts).map { $0.asPlanString(planProject: project) }
        return deps.isEmpty ? "" : "[" + deps.joined(separator: " ") + "]"
    }

    /// What `sqitch show change` prints and what the ID hashes.
    public var info: String {
        var bytes: [UInt8] = []
        writeInfo(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 of `info` to `out`, with no string built on the way: this runs for
    /// every change of every plan read.
    func writeInfo(into out: inout [UInt8]) {
        out.append(contentsOf: "project ".utf8)
        out.append(contentsOf: project.utf8)
        if let uri {
            out.append(contentsOf: "\nuri ".utf8)
            out.append(contentsOf: uri.utf8)
        }
        out.append(contentsOf: "\nchange ".utf8)
        out.append(contentsOf: name.utf8)
        if let parentID {
            out.append(contentsOf: "\nparent ".utf8)
            out.append(contentsOf: parentID.utf8)
        }
        out.append(contentsOf: "\nplanner ".utf8)
        out.append(contentsOf: plannerName.utf8)
        out.append(contentsOf: " <".utf8)
        out.append(contentsOf: plannerEmail.utf8)
        out.append(UInt8(ascii: ">"))
        out.append(contentsOf: "\ndate ".utf8)
        PlanText.writeRawTimestamp(timestamp, into: &out)
        for (heading, mark, list) in [("\nrequires", "\n  + ", requires), ("\nconflicts", "\n  - ", conflicts)]
        where !list.isEmpty {
            out.append(contentsOf: heading.utf8)
            for dependency in list {
                out.append(contentsOf: mark.utf8)
                if let other = dependency.project, other != project {
                    out.append(contentsOf: other.utf8)
                    out.append(UInt8(ascii: ":"))
                }
                out.append(contentsOf: dependency.keyName.utf8)
            }
        }
        if !note.isEmpty {
            out.append(contentsOf: "\n\n".utf8)
            out.append(contentsOf: note.utf8)
        }
    }

    /// The change's ID, its info written into `buffer` (kept between calls, so a plan's
    /// changes share one allocation).
    func computedID(buffer: inout [UInt8]) -> String {
        buffer.removeAll(keepingCapacity: true)
        writeInfo(into: &buffer)
        return PlanIDs.objectID(kind: "change", bytes: buffer)
    }

    /// The line as Sqitch writes it.
    public var asString: String {
        var rest: [String] = []
        let deps = formatDependencies
        if !deps.isEmpty { rest.append(deps) }
        rest += [PlanText.rawTimestamp(timestamp), formatPlanner]
        return lspace + lopspace + `operator` + ropspace + name + pspace + rest.joined(separator: " ") + rspace
            + PlanText.formatNote(note)
    }

    /// Path segments of the change's scripts below a script directory: `a/b.sql` for
    /// `a/b`; for a reworked change `b@tag.sql`, the first rework tag whose file exists in
    /// `reworkedDirectory` (checked with `exists`), else the first rework tag.
    public func pathSegments(extension ext: String, exists: (String) -> Bool = { _ in false }) -> [String] {
        var path = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let base = path.removeLast()
        if reworkTags.isEmpty { return path + [base + "." + ext] }
        var first: String?
        for tag in reworkTags {
            let file = base + tag.formatName + "." + ext
            if first == nil { first = file }
            if exists((path + [file]).joined(separator: "/")) { return path + [file] }
        }
        return path + [first!]
    }

    /// The path of one of the change's scripts: `directory` (or `reworkedDirectory` for a
    /// reworked change) joined with the path segments, whose rework-tag file is looked up in
    /// `reworkedDeployDirectory` as Sqitch does for every script kind.
    public func scriptPath(directory: String, reworkedDirectory: String, reworkedDeployDirectory: String,
                           extension ext: String, files: FileSystem) -> String {
        scriptPath(directory: directory, reworkedDirectory: reworkedDirectory,
                   reworkedDeployDirectory: reworkedDeployDirectory, extension: ext, exists: files.exists)
    }

    /// The same, with `exists` saying which files are there (a checkout's dry run asks the
    /// other branch's tree).
    public func scriptPath(directory: String, reworkedDirectory: String, reworkedDeployDirectory: String,
                           extension ext: String, exists: (String) -> Bool) -> String {
        let segments = pathSegments(extension: ext) { exists(reworkedDeployDirectory + "/" + $0) }
        let dir = isReworked ? reworkedDirectory : directory
        return ([dir] + segments).joined(separator: "/")
    }
}

/// One line of the plan file, in order.
public enum PlanLine: Sendable, Equatable {
    case pragma(Pragma)
    case blank(BlankLine)
    /// Index into `Plan.changes`.
    case change(Int)
    /// Index into `Plan.changes` and into that change's `tags`.
    case tag(change: Int, tag: Int)
}

/// Text helpers of the plan format: notes and timestamps.
public enum PlanText {
    /// `# note` with `\\`, newline and carriage return escaped; empty for no note.
    public static func formatNote(_ note: String) -> String {
        guard !note.isEmpty else { return "" }
        var out = "# "
        for ch in note.unicodeScalars {
            switch ch {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Trims and decodes `\\`, `\n`, `\r`, as Sqitch does when a line object is built.
    public static func decodeNote(_ raw: String) -> String {
        let trimmed = isTrimmable(raw.unicodeScalars.first) || isTrimmable(raw.unicodeScalars.last)
            ? raw.trimming(.whitespacesAndNewlines) : raw
        guard trimmed.utf8.contains(UInt8(ascii: "\\")) else { return trimmed }
        var out = ""
        var it = trimmed.unicodeScalars.makeIterator()
        while let c = it.next() {
            if c == "\\" {
                guard let n = it.next() else { out.unicodeScalars.append(c); break }
                switch n {
                case "n": out += "\n"
                case "r": out += "\r"
                case "\\": out += "\\"
                default: out.unicodeScalars.append(c); out.unicodeScalars.append(n)
                }
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Whether Foundation's `whitespacesAndNewlines` holds the scalar (Z* categories,
    /// U+0009-U+000D, U+0085, U+200B).
    static func isTrimmable(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        if (0x09...0x0D).contains(scalar.value) || scalar.value == 0x20 || scalar.value == 0x85
            || scalar.value == 0x200B { return true }
        guard scalar.value > 0x7F else { return false }
        switch scalar.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC.
    public static func rawTimestamp(_ date: Date) -> String {
        let c = civil(Int(date.timeIntervalSince1970.rounded(.down)))
        guard (0...9999).contains(c.year) else { return paddedTimestamp(c) }
        // Written into one buffer (plans and logs format thousands).
        return String(unsafeUninitializedCapacity: 20) { buffer in
            putTimestamp(c, into: buffer)
            return 20
        }
    }

    /// Appends `rawTimestamp(date)`'s UTF-8 to `out`.
    static func writeRawTimestamp(_ date: Date, into out: inout [UInt8]) {
        let c = civil(Int(date.timeIntervalSince1970.rounded(.down)))
        guard (0...9999).contains(c.year) else {
            out.append(contentsOf: paddedTimestamp(c).utf8)
            return
        }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: 20))
        out.withUnsafeMutableBufferPointer { putTimestamp(c, into: UnsafeMutableBufferPointer(rebasing: $0[start...])) }
    }

    private static func paddedTimestamp(_ c: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int))
        -> String {
        pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2) + "T" + pad(c.hour, 2) + ":"
            + pad(c.minute, 2) + ":" + pad(c.second, 2) + "Z"
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` into the first 20 bytes of `buffer`, for a year of 0 to 9999.
    private static func putTimestamp(_ c: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int),
                                     into buffer: UnsafeMutableBufferPointer<UInt8>) {
        func put(_ value: Int, at offset: Int, width: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(c.year, at: 0, width: 4)
        put(c.month, at: 5, width: 2)
        put(c.day, at: 8, width: 2)
        put(c.hour, at: 11, width: 2)
        put(c.minute, at: 14, width: 2)
        put(c.second, at: 17, width: 2)
        buffer[4] = UInt8(ascii: "-")
        buffer[7] = UInt8(ascii: "-")
        buffer[10] = UInt8(ascii: "T")
        buffer[13] = UInt8(ascii: ":")
        buffer[16] = UInt8(ascii: ":")
        buffer[19] = UInt8(ascii: "Z")
    }

    /// Calendar fields of a count of seconds since 1970-01-01T00:00:00 (proleptic
    /// Gregorian, no zone), computed without a Calendar.
    static func civil(_ seconds: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay / 3_600, secondOfDay / 60 % 60, secondOfDay % 60)
    }

    /// Seconds since 1970-01-01T00:00:00 of UTC calendar fields (the inverse of `civil`),
    /// computed without a Calendar.
    static func epochSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// `n` in decimal, zero-padded to `width` digits.
    static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The date for UTC components, as the plan's timestamps are read.
    /// The UTC instant of a plan timestamp; nil for one that cannot exist (`2012-13-45T99:99:99Z`),
    /// which the calendar would otherwise roll over into another date.
    static func utcDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
        guard (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return nil }
        if (1600...9999).contains(year) {
            // The calendar agrees with the proleptic Gregorian arithmetic from 1582 on.
            let seconds = epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return utcCalendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute,
                                                     second: second))
    }

    static let utcCalendar: Calendar = {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: 0)!
        return cal
    }()
}

/// Change and tag IDs, script hashes, and the URI form that goes into IDs.
public enum PlanIDs {
    /// Hex SHA-1 of `"<kind> <byte length>\0<info>"`.
    public static func objectID(kind: String, info: String) -> String {
        objectID(kind: kind, bytes: Array(info.utf8))
    }

    /// Hex SHA-1 of `"<kind> <byte length>\0"` and `bytes`.
    static func objectID(kind: String, bytes: [UInt8]) -> String {
        var hasher = Insecure.SHA1()
        var header = Array(kind.utf8)
        header.append(UInt8(ascii: " "))
        header.append(contentsOf: String(bytes.count).utf8)
        header.append(0)
        hasher.update(data: header)
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hex(hasher.finalize())
    }

    /// Hex SHA-1 of raw bytes (Sqitch's `script_hash`).
    public static func sha1(_ data: Data) -> String { hex(Insecure.SHA1.hash(data: data)) }

    /// The script hash of a file, or nil when it is not a regular file.
    public static func scriptHash(path: String, files: FileSystem) -> String? {
        guard files.isFile(path), let data = try? files.readData(path) else { return nil }
        return sha1(data)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let bytes = Array(digest)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            func digit(_ value: UInt8) -> UInt8 { value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10 }
            for (index, byte) in bytes.enumerated() {
                buffer[2 * index] = digit(byte >> 4)
                buffer[2 * index + 1] = digit(byte & 15)
            }
            return bytes.count * 2
        }
    }

    /// URI canonical form as Perl's `URI->new($uri)->canonical`: the text unwrapped (`<URL:...>`,
    /// quotes, spaces) and every character a URI may not hold escaped as UTF-8 (square
    /// brackets kept only in the host), then lowercase scheme and host, default port dropped,
    /// `%XX` of unreserved characters decoded and other escapes uppercased; a server URI's
    /// non-ASCII host in IDNA (punycode) form.
    public static func canonicalURI(_ uri: String) -> String {
        var text = normalizeEscapes(uricEscaped(uri))
        guard let colon = text.firstIndex(of: ":"),
              text[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }),
              !text[..<colon].isEmpty
        else { return text }
        let scheme = text[..<colon].lowercased()
        var rest = String(text[text.index(after: colon)...])
        text = scheme + ":"
        guard rest.hasPrefix("//") else { return text + rest }
        rest.removeFirst(2)
        let end = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        var authority = String(rest[..<end])
        var tail = String(rest[end...])
        var userinfo = ""
        if let at = authority.lastIndex(of: "@") {
            userinfo = String(authority[...at])
            authority = String(authority[authority.index(after: at)...])
        }
        var host = authority
        var port: String?
        if let c = authority.lastIndex(of: ":"), !authority.hasSuffix("]") || authority[c...].count > 0,
           authority[authority.index(after: c)...].allSatisfy(\.isNumber) {
            host = String(authority[..<c])
            port = String(authority[authority.index(after: c)...])
        }
        // Only server URIs (URI::_server) lower-case the host (its escapes stay upper-case),
        // drop a default or empty port, and (http, https) give an empty path `/`.
        guard IDNA.serverSchemes.contains(scheme) else {
            return text + "//" + userinfo + authority + tail
        }
        var lowered = ""
        var pendingEscape = 0
        for char in host {
            if char == "%" { pendingEscape = 2; lowered.append(char); continue }
            if pendingEscape > 0 { pendingEscape -= 1; lowered.append(char); continue }
            lowered += char.isASCII ? char.lowercased() : String(char)
        }
        host = lowered
        let defaults = ["http": "80", "https": "443", "ftp": "21", "ldap": "389", "ldaps": "636", "telnet": "23",
                        "gopher": "70", "news": "119", "nntp": "119", "rtsp": "554", "sip": "5060", "sips": "5061",
                        "snews": "563", "rlogin": "513"]
        if let p = port, p.isEmpty || defaults[scheme] == p { port = nil }
        if tail.isEmpty, ["http", "https"].contains(scheme) { tail = "/" }
        return text + "//" + userinfo + host + (port.map { ":" + $0 } ?? "") + tail
    }

    /// What `URI->new` keeps of `uri`: the wrapping (`<URL:...>`, `<...>`, `"..."`) and outer
    /// white space removed, characters outside URI.pm's `uric` and `#` escaped.
    static func uricEscaped(_ uri: String) -> String {
        var text = uri
        if text.hasPrefix("<"), text.hasSuffix(">"), text.count >= 2 {
            text = String(text.dropFirst().dropLast())
            if text.hasPrefix("URL:") { text = String(text.dropFirst(4)) }
        }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        text = text.trimming(.whitespacesAndNewlines)
        return DatabaseURI.unescapeHostBrackets(DatabaseURI.escape(IDNA.encodeHost(in: text), keeping: DatabaseURI.uric + "#"))
    }

    private static func normalizeEscapes(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var bytes = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        func hexValue(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: return b - 48
            case 65...70: return b - 55
            case 97...102: return b - 87
            default: return nil
            }
        }
        while i < bytes.count {
            if bytes[i] == 37, i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) {
                let v = h * 16 + l
                // URI.pm's unreserved characters: letters, digits and `-_.!~*'()`.
                let unreserved = (65...90).contains(v) || (97...122).contains(v) || (48...57).contains(v)
                    || Array("-_.!~*'()".utf8).contains(v)
                if unreserved { out.append(v) } else { out.append(37); out += Array(hexDigits(v).utf8) }
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        bytes = out
        return String(decoding: bytes, as: UTF8.self)
    }
}
