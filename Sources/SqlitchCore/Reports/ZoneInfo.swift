import FoundationEssentials
import Glibc

/// A named time zone read from the system's tz database (TZif files, RFC 8536): the UTC
/// offset and abbreviation in force at an instant. Sqitch's DateTime knows zones by their
/// Olson names; so does this type, from `/usr/share/zoneinfo`.
///
/// Reading the files here keeps named zones out of FoundationInternationalization, whose
/// time-zone classes cost every start of the program about half a millisecond.
public struct ZoneInfo: Sendable, Equatable {
    /// The Olson name (`Europe/Paris`), printed by `zzzz` and `%{...}` long names.
    public let name: String
    /// Transition instants (seconds since the epoch, ascending) and the local type each starts.
    let transitions: [Int64]
    let transitionTypes: [UInt8]
    let types: [LocalType]
    /// The POSIX rule for instants after the last transition (the file's footer).
    let rule: PosixRule?
    /// When the rule takes over, if not at the last transition: ICU's data names January 1 of
    /// the rule's first year, and uses the rule from then on whatever its table holds.
    let ruleStart: Int64?

    struct LocalType: Sendable, Equatable {
        let offset: Int
        let isDST: Bool
        let abbreviation: String
    }

    /// The system's zone directory.
    public static let directory = "/usr/share/zoneinfo"

    public static let utc = ZoneInfo(name: "UTC", transitions: [], transitionTypes: [],
                                     types: [LocalType(offset: 0, isDST: false, abbreviation: "UTC")], rule: nil)

    init(name: String, transitions: [Int64], transitionTypes: [UInt8], types: [LocalType], rule: PosixRule?,
         ruleStart: Int64? = nil) {
        self.name = name
        self.transitions = transitions
        self.transitionTypes = transitionTypes
        self.types = types
        self.rule = rule
        self.ruleStart = ruleStart
    }

    /// The zone of an Olson name (`America/New_York`, `UTC`), or nil for a name the tz
    /// database does not have. Paths and the `posix/` and `right/` copies are not names.
    /// A name with no file in `directory` is looked up in ICU's copy of the database, as
    /// DateTime's own copy would know it.
    public init?(named name: String, directory: String = ZoneInfo.directory) {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.hasPrefix("posix/"), !name.hasPrefix("right/"),
              !name.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." || $0.isEmpty })
        else { return nil }
        guard let bytes = ZoneInfo.read(directory + "/" + name), let zone = ZoneInfo(name: name, tzif: bytes) else {
            if ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(name) { self = ZoneInfo.utc.renamed(name); return }
            guard let zone = ZoneInfo(icuNamed: name) else { return nil }
            self = zone
            return
        }
        self = zone
    }

    /// The system's configured zone, looked for where DateTime looks: `/etc/timezone`, then
    /// the name of the file `/etc/localtime` links to, then that file's rules; UTC when none
    /// gives a zone.
    public static func system(localtime: String = "/etc/localtime", timezoneFile: String = "/etc/timezone",
                              directory: String = ZoneInfo.directory) -> ZoneInfo {
        if let text = read(timezoneFile) {
            let line = String(decoding: text, as: UTF8.self).trimming(.whitespacesAndNewlines)
            if let zone = ZoneInfo(named: line, directory: directory) { return zone }
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(localtime, &buffer, buffer.count - 1)
        if count > 0 {
            let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let range = target.lastRange(of: "zoneinfo/"),
               let zone = ZoneInfo(named: String(target[range.upperBound...]), directory: directory) {
                return zone
            }
        }
        // A copy rather than a link: its rules, under no Olson name (DateTime would look
        // through the zone directory for an identical file).
        if let bytes = read(localtime), let zone = ZoneInfo(name: "Local", tzif: bytes) { return zone }
        return .utc
    }

    func renamed(_ name: String) -> ZoneInfo {
        ZoneInfo(name: name, transitions: transitions, transitionTypes: transitionTypes, types: types, rule: rule, ruleStart: ruleStart)
    }

    /// The zone is UTC under one of its names: no offset to look up.
    public var isUTC: Bool {
        ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Universal", "Zulu", "Etc/Universal"].contains(name)
    }

    /// The offset from UTC in seconds, and the abbreviation, in force at `seconds` since the epoch.
    public func local(at seconds: Int) -> (offset: Int, abbreviation: String) {
        let t = Int64(seconds)
        if let rule, t >= ruleStart ?? transitions.last ?? .min {
            return rule.local(at: seconds)
        }
        var type = 0
        if let first = transitions.first, t >= first {
            // The last transition at or before t.
            var lo = 0, hi = transitions.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if transitions[mid] <= t { lo = mid } else { hi = mid - 1 }
            }
            type = Int(transitionTypes[lo])
        }
        let local = types[type]
        return (local.offset, local.abbreviation)
    }

    public func offset(at date: Date) -> Int {
        isUTC ? 0 : local(at: Int(date.timeIntervalSince1970.rounded(.down))).offset
    }

    // MARK: - Reading TZif

    static func read(_ path: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](data)
    }

    /// Parses a TZif file: the 64-bit block of version 2 and later, else the 32-bit block.
    init?(name: String, tzif bytes: [UInt8]) {
        guard bytes.count >= 44, bytes[0] == 0x54, bytes[1] == 0x5A, bytes[2] == 0x69, bytes[3] == 0x66
        else { return nil }
        func be32(_ at: Int) -> Int {
            Int(Int32(bitPattern: UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16
                | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])))
        }
        func be64(_ at: Int) -> Int64 {
            var v: UInt64 = 0
            for k in 0..<8 { v = v << 8 | UInt64(bytes[at + k]) }
            return Int64(bitPattern: v)
        }
        struct Counts { let isut, isstd, leap, time, type, char: Int }
        func counts(_ at: Int) -> Counts? {
            let c = Counts(isut: be32(at + 20), isstd: be32(at + 24), leap: be32(at + 28), time: be32(at + 32),
                           type: be32(at + 36), char: be32(at + 40))
            guard c.isut >= 0, c.isstd >= 0, c.leap >= 0, c.time >= 0, c.type > 0, c.char >= 0 else { return nil }
            return c
        }
        func blockSize(_ c: Counts, timeSize: Int) -> Int {
            c.time * timeSize + c.time + c.type * 6 + c.char + c.leap * (timeSize + 4) + c.isstd + c.isut
        }
        guard var c = counts(0) else { return nil }
        var base = 0
        var timeSize = 4
        let version = bytes[4]
        if version >= 0x32 {
            base = 44 + blockSize(c, timeSize: 4)
            guard bytes.count >= base + 44, let c2 = counts(base) else { return nil }
            c = c2
            timeSize = 8
        }
        let times = base + 44
        let indices = times + c.time * timeSize
        let typeRecords = indices + c.time
        let chars = typeRecords + c.type * 6
        let end = base + 44 + blockSize(c, timeSize: timeSize)
        guard bytes.count >= end else { return nil }

        var transitions: [Int64] = []
        transitions.reserveCapacity(c.time)
        for k in 0..<c.time {
            transitions.append(timeSize == 8 ? be64(times + k * 8) : Int64(be32(times + k * 4)))
        }
        let transitionTypes = Array(bytes[indices..<(indices + c.time)])
        guard transitionTypes.allSatisfy({ Int($0) < c.type }) else { return nil }
        var types: [LocalType] = []
        for k in 0..<c.type {
            let at = typeRecords + k * 6
            let index = Int(bytes[at + 5])
            var stop = chars + index
            while stop < chars + c.char, bytes[stop] != 0 { stop += 1 }
            let abbreviation = index < c.char ? String(decoding: bytes[(chars + index)..<stop], as: UTF8.self) : ""
            types.append(LocalType(offset: be32(at), isDST: bytes[at + 4] != 0, abbreviation: abbreviation))
        }
        var rule: PosixRule?
        if version >= 0x32, end < bytes.count, bytes[end] == 0x0A,
           let close = bytes[(end + 1)...].firstIndex(of: 0x0A) {
            rule = PosixRule(String(decoding: bytes[(end + 1)..<close], as: UTF8.self))
        }
        self.init(name: name, transitions: transitions, transitionTypes: transitionTypes, types: types, rule: rule)
    }
}

/// A POSIX `TZ` rule, as in a TZif footer: `EST5EDT,M3.2.0,M11.1.0`, `<+0530>-5:30`,
/// with RFC 8536's extension of transition hours beyond 24 and below 0.
struct PosixRule: Sendable, Equatable {
    let standardName: String
    let standardOffset: Int
    let daylight: Daylight?

    struct Daylight: Sendable, Equatable {
        let name: String
        let offset: Int
        let start: Transition
        let end: Transition
    }

    /// A day of the year and a local time of day (seconds, possibly negative or past 24 h).
    struct Transition: Sendable, Equatable {
        enum Day: Sendable, Equatable {
            /// `Jn`: 1...365, February 29 never counted.
            case julian(Int)
            /// `n`: 0...365, February 29 counted.
            case zeroBased(Int)
            /// `Mm.w.d`: the `w`th (5 = last) weekday `d` (0 = Sunday) of month `m`.
            case monthWeek(month: Int, week: Int, weekday: Int)
            /// ICU's further forms: a fixed day of the month, and the first weekday `d` on or
            /// after (on or before) a day of the month, as `Sun>=8` in the tz sources.
            case dayOfMonth(month: Int, day: Int)
            case weekdayOnOrAfter(month: Int, day: Int, weekday: Int)
            case weekdayOnOrBefore(month: Int, day: Int, weekday: Int)
        }
        let day: Day
        let time: Int
    }

    init(standardName: String, standardOffset: Int, daylight: Daylight?) {
        self.standardName = standardName
        self.standardOffset = standardOffset
        self.daylight = daylight
    }

    init?(_ text: String) {
        var scanner = Scanner(Array(text.utf8))
        guard let standardName = scanner.name(), let standardOffset = scanner.offset() else { return nil }
        self.standardName = standardName
        self.standardOffset = -standardOffset
        if scanner.atEnd { daylight = nil; return }
        guard let name = scanner.name() else { return nil }
        var offset = self.standardOffset + 3_600
        if !scanner.atEnd, scanner.peek != UInt8(ascii: ",") {
            guard let o = scanner.offset() else { return nil }
            offset = -o
        }
        var start = Transition(day: .monthWeek(month: 3, week: 2, weekday: 0), time: 7_200)
        var end = Transition(day: .monthWeek(month: 11, week: 1, weekday: 0), time: 7_200)
        if !scanner.atEnd {
            guard scanner.take(UInt8(ascii: ",")), let s = scanner.transition(), scanner.take(UInt8(ascii: ",")),
                  let e = scanner.transition(), scanner.atEnd else { return nil }
            start = s
            end = e
        }
        daylight = Daylight(name: name, offset: offset, start: start, end: end)
    }

    func local(at seconds: Int) -> (offset: Int, abbreviation: String) {
        guard let daylight else { return (standardOffset, standardName) }
        // The year's two transitions as instants; a zone south of the equator starts daylight
        // time late in the year and ends it early in the next.
        let year = PlanText.civil(seconds + standardOffset).year
        let start = daylight.start.instant(year: year) - standardOffset
        let end = daylight.end.instant(year: year) - daylight.offset
        let inDaylight = start < end ? (start <= seconds && seconds < end) : !(end <= seconds && seconds < start)
        return inDaylight ? (daylight.offset, daylight.name) : (standardOffset, standardName)
    }

    struct Scanner {
        let bytes: [UInt8]
        var at = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { at >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[at] }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            at += 1
            return true
        }

        /// `EST` (three or more letters) or `<+0530>` (letters, digits and signs).
        mutating func name() -> String? {
            let start = at
            if take(UInt8(ascii: "<")) {
                while let b = peek, b != UInt8(ascii: ">") { at += 1 }
                guard take(UInt8(ascii: ">")), at - start >= 5 else { return nil }
                return String(decoding: bytes[(start + 1)..<(at - 1)], as: UTF8.self)
            }
            while let b = peek, (b | 0x20) >= UInt8(ascii: "a"), (b | 0x20) <= UInt8(ascii: "z") { at += 1 }
            guard at - start >= 3 else { return nil }
            return String(decoding: bytes[start..<at], as: UTF8.self)
        }

        mutating func number() -> Int? {
            let start = at
            var value = 0
            while let b = peek, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9"), at - start < 4 {
                value = value * 10 + Int(b - UInt8(ascii: "0"))
                at += 1
            }
            return at > start ? value : nil
        }

        /// `[+-]hh[:mm[:ss]]` in seconds, as written (POSIX offsets count west as positive).
        mutating func offset(maxHours: Int = 24) -> Int? {
            var sign = 1
            if take(UInt8(ascii: "-")) { sign = -1 } else { _ = take(UInt8(ascii: "+")) }
            guard let hours = number(), hours <= maxHours else { return nil }
            var total = hours * 3_600
            if take(UInt8(ascii: ":")) {
                guard let minutes = number(), minutes < 60 else { return nil }
                total += minutes * 60
                if take(UInt8(ascii: ":")) {
                    guard let s = number(), s < 60 else { return nil }
                    total += s
                }
            }
            return sign * total
        }

        mutating func transition() -> Transition? {
            let day: Transition.Day
            if take(UInt8(ascii: "J")) {
                guard let n = number(), (1...365).contains(n) else { return nil }
                day = .julian(n)
            } else if take(UInt8(ascii: "M")) {
                guard let m = number(), (1...12).contains(m), take(UInt8(ascii: ".")), let w = number(),
                      (1...5).contains(w), take(UInt8(ascii: ".")), let d = number(), (0...6).contains(d)
                else { return nil }
                day = .monthWeek(month: m, week: w, weekday: d)
            } else {
                guard let n = number(), (0...365).contains(n) else { return nil }
                day = .zeroBased(n)
            }
            var time = 7_200
            if take(UInt8(ascii: "/")) {
                guard let t = offset(maxHours: 167) else { return nil }
                time = t
            }
            return Transition(day: day, time: time)
        }
    }
}

extension PosixRule.Transition {
    /// The transition's local wall time in `year`, as seconds since the epoch read as UTC.
    func instant(year: Int) -> Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let january1 = PlanText.epochSeconds(year: year, month: 1, day: 1, hour: 0, minute: 0, second: 0)
        var dayOfYear: Int  // zero-based
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        func monthStart(_ month: Int) -> Int { lengths[..<(month - 1)].reduce(0, +) }
        // 1970-01-01 was a Thursday (4).
        func weekday(ofDayOfYear d: Int) -> Int { ((january1 / 86_400 + d + 4) % 7 + 7) % 7 }
        switch day {
        case .julian(let n):
            dayOfYear = n - 1
            if leap && n >= 60 { dayOfYear += 1 }
        case .zeroBased(let n):
            dayOfYear = n
        case .monthWeek(let month, let week, let wanted):
            let first = monthStart(month)
            var date = (wanted - weekday(ofDayOfYear: first) + 7) % 7 + (week - 1) * 7
            while date >= lengths[month - 1] { date -= 7 }
            dayOfYear = first + date
        case .dayOfMonth(let month, let day):
            dayOfYear = monthStart(month) + day - 1
        case .weekdayOnOrAfter(let month, let day, let wanted):
            let from = monthStart(month) + day - 1
            dayOfYear = from + (wanted - weekday(ofDayOfYear: from) + 7) % 7
        case .weekdayOnOrBefore(let month, let day, let wanted):
            let from = monthStart(month) + day - 1
            dayOfYear = from - (weekday(ofDayOfYear: from) - wanted + 7) % 7
        }
        return january1 + dayOfYear * 86_400 + time
    }
}
