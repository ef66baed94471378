import FoundationEssentials
import FoundationInternationalization

/// FoundationEssentials finds named time zones (`UTC`, `Europe/Paris`) in
/// FoundationInternationalization by type name at run time, so nothing refers to that module
/// and a static link (the release build) would leave it out: `TimeZone(identifier: "UTC")`
/// would then be nil. This reference keeps it in; the release smoke test in `scripts/test`
/// checks it.
public let internationalizationLinked: @Sendable (Date) -> String = { $0.formatted() }

/// Sqitch's date formats for `log` and `plan` (`--date-format`): `raw`, `iso`/`iso8601`,
/// `rfc`/`rfc2822`, `full`/`long`/`medium`/`short` (English, as under the C locale),
/// `cldr:PATTERN` and `strftime:PATTERN`.
public struct DateFormatting: Sendable {
    public var timeZone: TimeZone {
        didSet { isUTC = DateFormatting.isUTC(timeZone) }
    }
    /// The zone is UTC: no offset to look up for each date.
    private var isUTC: Bool

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        self.isUTC = DateFormatting.isUTC(timeZone)
    }

    private static func isUTC(_ zone: TimeZone) -> Bool {
        ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(zone.identifier)
    }

    /// The local time zone named by `TZ` in `environment` (UTC when unknown); without `TZ`,
    /// the system's configured zone.
    public init(environment: Environment) {
        guard var tz = environment.nonEmpty("TZ") else {
            self.init(timeZone: TimeZone.current)
            return
        }
        if tz.hasPrefix(":") { tz.removeFirst() }
        self.init(timeZone: TimeZone(identifier: tz) ?? TimeZone(identifier: "UTC")!)
    }

    public static let named = ["raw", "iso", "iso8601", "rfc", "rfc2822", "full", "long", "medium", "short"]

    /// Fails with `Unknown date format "{format}"` for anything Sqitch would reject.
    public static func validate(_ format: String) throws {
        if named.contains(format) || format.hasPrefix("cldr:") || format.hasPrefix("strftime:") { return }
        throw CommandError("Unknown date format \"\(format)\"")
    }

    static let cldrFormats = [
        "full": "EEEE, MMMM d, y, h:mm:ss\u{202F}a zzzz",
        "long": "MMMM d, y, h:mm:ss\u{202F}a z",
        "medium": "MMM d, y, h:mm:ss\u{202F}a",
        "short": "M/d/yy, h:mm\u{202F}a",
    ]

    /// The date in the given format (empty format = `raw`).
    public func string(_ date: Date, format: String) throws -> String {
        let format = format.isEmpty ? "raw" : format
        if format == "raw" { return PlanText.rawTimestamp(date) }
        if format == "iso" || format == "iso8601" {
            // The default format, without a Calendar: local fields from the zone's offset.
            let offset = isUTC ? 0 : timeZone.secondsFromGMT(for: date)
            let c = PlanText.civil(Int(date.timeIntervalSince1970.rounded(.down)) + offset)
            let a = abs(offset)
            return PlanText.pad(c.year, 4) + "-" + PlanText.pad(c.month, 2) + "-" + PlanText.pad(c.day, 2) + " "
                + PlanText.pad(c.hour, 2) + ":" + PlanText.pad(c.minute, 2) + ":" + PlanText.pad(c.second, 2) + " "
                + (offset < 0 ? "-" : "+") + PlanText.pad(a / 3_600, 2) + PlanText.pad(a % 3_600 / 60, 2)
        }
        let p = Parts(date: date, zone: timeZone)
        switch format {
        case "iso", "iso8601":
            return PlanText.pad(p.year, 4) + "-" + PlanText.pad(p.month, 2) + "-" + PlanText.pad(p.day, 2) + " "
                + PlanText.pad(p.hour, 2) + ":" + PlanText.pad(p.minute, 2) + ":" + PlanText.pad(p.second, 2) + " "
                + p.offset(colon: false)
        case "rfc", "rfc2822":
            var s = Parts.shortDays[p.weekday - 1] + ", " + PlanText.pad(p.day, 2) + " " + Parts.shortMonths[p.month - 1]
                + " " + PlanText.pad(p.year, 4) + " " + PlanText.pad(p.hour, 2) + ":" + PlanText.pad(p.minute, 2) + ":"
                + PlanText.pad(p.second, 2) + " " + p.offset(colon: false)
            if s.hasSuffix("+0000") { s = String(s.dropLast(5)) + "-0000" }
            return s
        default:
            if format.hasPrefix("cldr:") { return cldr(String(format.dropFirst(5)), p) }
            if format.hasPrefix("strftime:") { return strftime(String(format.dropFirst(9)), p) }
            guard let pattern = DateFormatting.cldrFormats[format] else {
                throw CommandError("Unknown date format \"\(format)\"")
            }
            return cldr(pattern, p)
        }
    }

    /// The calendar fields of an instant in a zone.
    struct Parts {
        let date: Date
        let zone: TimeZone
        let year, month, day, hour, minute, second, weekday, dayOfYear, nanosecond: Int
        let offsetSeconds: Int

        static let shortDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        static let longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        static let shortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        static let longMonths = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]

        init(date: Date, zone: TimeZone) {
            self.date = date
            self.zone = zone
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = zone
            let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday, .nanosecond], from: date)
            year = c.year!; month = c.month!; day = c.day!
            hour = c.hour!; minute = c.minute!; second = c.second!; weekday = c.weekday!
            nanosecond = c.nanosecond ?? 0
            dayOfYear = cal.ordinality(of: .day, in: .year, for: date) ?? 1
            offsetSeconds = zone.secondsFromGMT(for: date)
        }

        func offset(colon: Bool) -> String {
            let sign = offsetSeconds < 0 ? "-" : "+"
            let a = abs(offsetSeconds)
            return sign + PlanText.pad(a / 3600, 2) + (colon ? ":" : "") + PlanText.pad(a % 3600 / 60, 2)
        }

        var isUTC: Bool { ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Universal", "Zulu", "Etc/Universal"].contains(zone.identifier) }

        /// The zone's short name (`UTC`, `EST`), as DateTime prints it.
        var shortName: String {
            if isUTC { return "UTC" }
            return TimeZoneNames.abbreviation(zone: zone.identifier, at: date)
                ?? zone.abbreviation(for: date) ?? offset(colon: false)
        }

        /// The zone's long name: DateTime prints the Olson name.
        var longName: String { isUTC ? "UTC" : zone.identifier }

        var hour12: Int { hour % 12 == 0 ? 12 : hour % 12 }
        var ampm: String { hour < 12 ? "AM" : "PM" }

        /// Week numbering with weeks starting on `firstWeekday` and `minDays` in the first week.
        func week(firstWeekday: Int, minDays: Int) -> (year: Int, week: Int) {
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = zone
            cal.firstWeekday = firstWeekday
            cal.minimumDaysInFirstWeek = minDays
            let c = cal.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return (c.yearForWeekOfYear!, c.weekOfYear!)
        }

        var epoch: Int { Int(date.timeIntervalSince1970.rounded(.down)) }
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(abs(n))
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// CLDR patterns (DateTime's `format_cldr`), English names.
    func cldr(_ pattern: String, _ p: Parts) -> String {
        var out = ""
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                var j = i + 1
                while j < chars.count {
                    if chars[j] == "'" {
                        if j + 1 < chars.count, chars[j + 1] == "'" { out += "'"; j += 2; continue }
                        break
                    }
                    out.append(chars[j])
                    j += 1
                }
                i = j + 1
                continue
            }
            guard c.isASCII, c.isLetter else { out.append(c); i += 1; continue }
            var n = 1
            while i + n < chars.count, chars[i + n] == c { n += 1 }
            i += n
            out += cldrField(c, n, p)
        }
        return out
    }

    private func cldrField(_ c: Character, _ n: Int, _ p: Parts) -> String {
        switch c {
        case "G": return n == 4 ? "Anno Domini" : n == 5 ? "A" : "AD"
        case "y": return n == 2 ? pad(p.year % 100, 2) : pad(p.year, n)
        case "Y":
            let y = p.week(firstWeekday: 1, minDays: 1).year
            return n == 2 ? pad(y % 100, 2) : pad(y, n)
        case "u": return pad(p.year, n)
        case "Q", "q":
            let q = (p.month - 1) / 3 + 1
            return n >= 4 ? ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"][q - 1] : n == 3 ? "Q\(q)" : pad(q, n)
        case "M", "L":
            switch n {
            case 1, 2: return pad(p.month, n)
            case 3: return Parts.shortMonths[p.month - 1]
            case 4: return Parts.longMonths[p.month - 1]
            default: return String(Parts.longMonths[p.month - 1].prefix(1))
            }
        case "w": return pad(p.week(firstWeekday: 1, minDays: 1).week, n)
        case "d": return pad(p.day, n)
        case "D": return pad(p.dayOfYear, n)
        case "E", "e", "c":
            if c == "e" && n <= 2 { return pad(p.weekday, n) }
            if c == "c" && n <= 2 { return pad(p.weekday == 1 ? 7 : p.weekday - 1, n) }
            switch n {
            case 4: return Parts.longDays[p.weekday - 1]
            case 5: return String(Parts.longDays[p.weekday - 1].prefix(1))
            default: return Parts.shortDays[p.weekday - 1]
            }
        case "a": return p.ampm
        case "h": return pad(p.hour12, n)
        case "H": return pad(p.hour, n)
        case "K": return pad(p.hour % 12, n)
        case "k": return pad(p.hour == 0 ? 24 : p.hour, n)
        case "m": return pad(p.minute, n)
        case "s": return pad(p.second, n)
        case "S":
            let digits = pad(p.nanosecond, 9)
            return n <= 9 ? String(digits.prefix(n)) : digits + String(repeating: "0", count: n - 9)
        case "A":
            let ms = ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + p.nanosecond / 1_000_000
            return pad(ms, n)
        case "z": return n == 4 ? p.longName : p.shortName
        case "Z":
            if n == 4 { return p.shortName + p.offset(colon: false) }
            if n == 5 { return p.offset(colon: true) }
            return p.offset(colon: false)
        case "v", "V": return n == 4 ? p.longName : p.shortName
        default: return String(repeating: c, count: n)
        }
    }

    /// strftime patterns (DateTime's `strftime`); unknown conversions are kept as written.
    func strftime(_ pattern: String, _ p: Parts) -> String {
        var out = ""
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "%", i + 1 < chars.count else { out.append(c); i += 1; continue }
            var j = i + 1
            var digits = ""
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { digits.append(chars[j]); j += 1 }
            guard j < chars.count else { out += String(chars[i...]); break }
            let code = chars[j]
            if !digits.isEmpty && code != "N" { out += String(chars[i...j]); i = j + 1; continue }
            i = j + 1
            switch code {
            case "a": out += Parts.shortDays[p.weekday - 1]
            case "A": out += Parts.longDays[p.weekday - 1]
            case "b", "h": out += Parts.shortMonths[p.month - 1]
            case "B": out += Parts.longMonths[p.month - 1]
            case "c": out += cldr(DateFormatting.cldrFormats["medium"]!, p)
            case "C": out += pad(p.year / 100, 2)
            case "d": out += pad(p.day, 2)
            case "D": out += pad(p.month, 2) + "/" + pad(p.day, 2) + "/" + pad(p.year % 100, 2)
            case "e": out += p.day < 10 ? " \(p.day)" : "\(p.day)"
            case "F": out += pad(p.year, 4) + "-" + pad(p.month, 2) + "-" + pad(p.day, 2)
            case "G": out += pad(p.week(firstWeekday: 2, minDays: 4).year, 4)
            case "g": out += pad(p.week(firstWeekday: 2, minDays: 4).year % 100, 2)
            case "H": out += pad(p.hour, 2)
            case "I": out += pad(p.hour12, 2)
            case "j": out += pad(p.dayOfYear, 3)
            case "k": out += p.hour < 10 ? " \(p.hour)" : "\(p.hour)"
            case "l": out += p.hour12 < 10 ? " \(p.hour12)" : "\(p.hour12)"
            case "m": out += pad(p.month, 2)
            case "M": out += pad(p.minute, 2)
            case "n": out += "\n"
            case "N":
                let width = Int(digits) ?? 9
                let ns = pad(p.nanosecond, 9)
                out += width <= 9 ? String(ns.prefix(width)) : ns + String(repeating: "0", count: width - 9)
            case "p": out += p.ampm
            case "P": out += p.ampm.lowercased()
            case "r": out += pad(p.hour12, 2) + ":" + pad(p.minute, 2) + ":" + pad(p.second, 2) + " " + p.ampm
            case "R": out += pad(p.hour, 2) + ":" + pad(p.minute, 2)
            case "s": out += String(p.epoch)
            case "S": out += pad(p.second, 2)
            case "t": out += "\t"
            case "T": out += pad(p.hour, 2) + ":" + pad(p.minute, 2) + ":" + pad(p.second, 2)
            case "u": out += String(p.weekday == 1 ? 7 : p.weekday - 1)
            case "U":
                let firstSunday = (p.dayOfYear - 1 + 7 - (p.weekday - 1)) % 7
                out += pad((p.dayOfYear - 1 - firstSunday + 7) / 7, 2)
            case "V": out += pad(p.week(firstWeekday: 2, minDays: 4).week, 2)
            case "w": out += String(p.weekday - 1)
            case "W":
                let mondayIndex = (p.weekday + 5) % 7
                let firstMonday = (p.dayOfYear - 1 + 7 - mondayIndex) % 7
                out += pad((p.dayOfYear - 1 - firstMonday + 7) / 7, 2)
            case "x": out += cldr("MMM d, y", p)
            case "X": out += cldr("h:mm:ss\u{202F}a", p)
            case "y": out += pad(p.year % 100, 2)
            case "Y": out += String(p.year)
            case "z": out += p.offset(colon: false)
            case "Z": out += p.shortName
            case "%": out += "%"
            default: out += "%" + String(code)
            }
        }
        return out
    }
}

/// Time zone abbreviations (`EST`, `IST`) from the system's tz database, as DateTime
/// reads them (Foundation on Linux only knows `GMT-5` style names).
enum TimeZoneNames {
    static func abbreviation(zone: String, at date: Date) -> String? {
        guard !zone.contains(".."),
              let data = FileManager.default.contents(atPath: "/usr/share/zoneinfo/" + zone) else { return nil }
        let bytes = [UInt8](data)
        guard bytes.count >= 44, bytes[0] == 0x54, bytes[1] == 0x5A, bytes[2] == 0x69, bytes[3] == 0x66 else { return nil }
        func be32(_ at: Int) -> Int {
            Int(Int32(bitPattern: UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])))
        }
        func be64(_ at: Int) -> Int {
            var v: UInt64 = 0
            for k in 0..<8 { v = v << 8 | UInt64(bytes[at + k]) }
            return Int(Int64(bitPattern: v))
        }
        let version = bytes[4]
        var base = 0
        var timeSize = 4
        func counts(_ at: Int) -> (isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int) {
            (be32(at + 20), be32(at + 24), be32(at + 28), be32(at + 32), be32(at + 36), be32(at + 40))
        }
        var c = counts(0)
        if version >= 0x32 {
            // Skip the 32-bit block and use the 64-bit one.
            base = 44 + c.time * 4 + c.time + c.type * 6 + c.char + c.leap * 8 + c.isstd + c.isut
            guard bytes.count >= base + 44 else { return nil }
            c = counts(base)
            timeSize = 8
        }
        let times = base + 44
        let indices = times + c.time * timeSize
        let types = indices + c.time
        let chars = types + c.type * 6
        guard bytes.count >= chars + c.char, c.type > 0 else { return nil }
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        var typeIndex = 0
        if c.time > 0 {
            var lo = -1
            for k in 0..<c.time {
                let tt = timeSize == 8 ? be64(times + k * 8) : be32(times + k * 4)
                if tt <= t { lo = k } else { break }
            }
            if lo >= 0 { typeIndex = Int(bytes[indices + lo]) }
        }
        guard typeIndex < c.type else { return nil }
        let abbrIndex = Int(bytes[types + typeIndex * 6 + 5])
        var end = chars + abbrIndex
        while end < chars + c.char, bytes[end] != 0 { end += 1 }
        let name = String(decoding: bytes[(chars + abbrIndex)..<end], as: UTF8.self)
        return name.isEmpty ? nil : name
    }
}
