import FoundationEssentials

/// Sqitch's date formats for `log` and `plan` (`--date-format`): `raw`, `iso`/`iso8601`,
/// `rfc`/`rfc2822`, `full`/`long`/`medium`/`short` (English, as under the C locale),
/// `cldr:PATTERN` and `strftime:PATTERN`.
public struct DateFormatting: Sendable {
    public var zone: ZoneInfo

    public init(zone: ZoneInfo) {
        self.zone = zone
    }

    /// The local time zone, found as Sqitch's DateTime finds it: the zone `TZ` names, else
    /// (no `TZ`, or one the tz database does not have, `:Europe/Paris` included) the system's.
    /// The database is `TZDIR` when set, as for the C library, else the system's directory.
    public init(environment: Environment) {
        let directory = environment.nonEmpty("TZDIR") ?? ZoneInfo.directory
        if let tz = environment.nonEmpty("TZ"), let zone = ZoneInfo(named: tz, directory: directory) {
            self.init(zone: zone)
        } else {
            self.init(zone: ZoneInfo.system(directory: directory))
        }
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
            let offset = zone.offset(at: date)
            let c = PlanText.civil(Int(date.timeIntervalSince1970.rounded(.down)) + offset)
            let a = abs(offset)
            return PlanText.pad(c.year, 4) + "-" + PlanText.pad(c.month, 2) + "-" + PlanText.pad(c.day, 2) + " "
                + PlanText.pad(c.hour, 2) + ":" + PlanText.pad(c.minute, 2) + ":" + PlanText.pad(c.second, 2) + " "
                + (offset < 0 ? "-" : "+") + PlanText.pad(a / 3_600, 2) + PlanText.pad(a % 3_600 / 60, 2)
        }
        let p = Parts(date: date, zone: zone)
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
        let zone: ZoneInfo
        let year, month, day, hour, minute, second, weekday, dayOfYear, nanosecond: Int
        let offsetSeconds: Int
        let abbreviation: String
        /// `date` shifted by the offset, and a Gregorian calendar in UTC to read it with.
        let localDate: Date
        let calendar: Calendar

        static let shortDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        static let longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        static let shortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        static let longMonths = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]

        init(date: Date, zone: ZoneInfo) {
            self.date = date
            self.zone = zone
            let local = zone.isUTC ? (0, "UTC") : zone.local(at: Int(date.timeIntervalSince1970.rounded(.down)))
            offsetSeconds = local.0
            abbreviation = local.1
            // The local wall time read as UTC: a fixed-offset zone of Foundation's takes
            // offsets under 18 hours only.
            localDate = date.addingTimeInterval(TimeInterval(offsetSeconds))
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = TimeZone(secondsFromGMT: 0)!
            calendar = cal
            let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday, .nanosecond], from: localDate)
            year = c.year!; month = c.month!; day = c.day!
            hour = c.hour!; minute = c.minute!; second = c.second!; weekday = c.weekday!
            nanosecond = c.nanosecond ?? 0
            dayOfYear = cal.ordinality(of: .day, in: .year, for: localDate) ?? 1
        }

        func offset(colon: Bool) -> String {
            let sign = offsetSeconds < 0 ? "-" : "+"
            let a = abs(offsetSeconds)
            return sign + PlanText.pad(a / 3600, 2) + (colon ? ":" : "") + PlanText.pad(a % 3600 / 60, 2)
        }

        /// The zone's short name (`UTC`, `EST`), as DateTime prints it.
        var shortName: String {
            if zone.isUTC { return "UTC" }
            return abbreviation.isEmpty ? offset(colon: false) : abbreviation
        }

        /// The zone's long name: DateTime prints the Olson name.
        var longName: String { zone.isUTC ? "UTC" : zone.name }

        var hour12: Int { hour % 12 == 0 ? 12 : hour % 12 }
        var ampm: String { hour < 12 ? "AM" : "PM" }

        /// Week numbering with weeks starting on `firstWeekday` and `minDays` in the first week.
        func week(firstWeekday: Int, minDays: Int) -> (year: Int, week: Int) {
            var cal = calendar
            cal.firstWeekday = firstWeekday
            cal.minimumDaysInFirstWeek = minDays
            let c = cal.dateComponents([.yearForWeekOfYear, .weekOfYear], from: localDate)
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
