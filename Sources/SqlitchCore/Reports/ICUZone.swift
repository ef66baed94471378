import FoundationEssentials
import _FoundationICU

/// Zones from ICU's copy of the tz database (its `zoneinfo64` resource, bundled with the
/// toolchain's Foundation and already linked for regular expressions): the fallback for an
/// Olson name whose file the system lacks, such as a container without tzdata, or a backward
/// name like `US/Eastern` that newer Debian moved to `tzdata-legacy`. Sqitch's DateTime
/// carries its own copy of the database, so it knows these names anywhere.
///
/// The resource is read with ICU's resource-bundle functions rather than through its calendar
/// API, whose seven calendars' static constructors would run at every start of the program.
extension ZoneInfo {
    /// The zone ICU knows by `name`, a zone or a link to one; nil for any other name.
    /// ICU keeps no abbreviations: each offset gets the tz database's numeric form (`+0545`).
    init?(icuNamed name: String) {
        guard !ZoneInfo.icuOnlyNames.contains(name), !name.hasPrefix("SystemV/"),
              let top = Resource(open: "zoneinfo64"), let names = top["Names"],
              let zones = top["Zones"],
              let index = names.sortedStringIndex(of: name), var zone = zones[index]
        else { return nil }
        if zone.isInt {
            // A link: the index of the zone it names.
            guard let target = zone.int, let linked = zones[Int(target)] else { return nil }
            zone = linked
        }
        // Transition times: 64-bit ones before and after the 32-bit range as (high, low) pairs.
        func pairs(_ vector: [Int32]) -> [Int64] {
            stride(from: 0, to: vector.count - 1, by: 2).map {
                Int64(UInt32(bitPattern: vector[$0])) << 32 | Int64(UInt32(bitPattern: vector[$0 + 1]))
            }
        }
        let transitions = pairs(zone["transPre32"]?.ints ?? []) + (zone["trans"]?.ints ?? []).map(Int64.init)
            + pairs(zone["transPost32"]?.ints ?? [])
        // (raw offset, daylight saving) pairs; the first is in force before any transition.
        guard let offsets = zone["typeOffsets"]?.ints, offsets.count >= 2, offsets.count % 2 == 0 else { return nil }
        let types = stride(from: 0, to: offsets.count, by: 2).map { i in
            let total = Int(offsets[i]) + Int(offsets[i + 1])
            return LocalType(offset: total, isDST: offsets[i + 1] != 0, abbreviation: ZoneInfo.numericAbbreviation(total))
        }
        // Transition i starts type map[i]; ZoneInfo's type 0 is the initial one, as in TZif.
        let map = transitions.isEmpty ? [] : zone["typeMap"]?.bytes ?? []
        guard map.count == transitions.count, map.allSatisfy({ Int($0) < types.count }) else { return nil }
        var rule: PosixRule?
        var ruleStart: Int64?
        if let ruleName = zone["finalRule"]?.string, let raw = zone["finalRaw"]?.int, let year = zone["finalYear"]?.int {
            guard let data = top["Rules"]?[ruleName]?.ints,
                  let final = PosixRule(icuRule: data, rawOffset: Int(raw))
            else { return nil }
            rule = final
            ruleStart = Int64(PlanText.epochSeconds(year: Int(year), month: 1, day: 1, hour: 0, minute: 0, second: 0))
        }
        self.init(name: name, transitions: transitions, transitionTypes: map, types: types, rule: rule,
                  ruleStart: ruleStart)
    }

    /// Names ICU keeps that the tz database does not have, so DateTime rejects them: its zone
    /// for an unknown name, and Java's three-letter aliases (`PST`, `IST`). The tz database's
    /// own short names (`EST`, `CET`, `PRC`) are not among them. The `SystemV/` zones go too.
    static let icuOnlyNames: Set<String> = [
        "Etc/Unknown", "ACT", "AET", "AGT", "ART", "AST", "BET", "BST", "CAT", "CNT", "CST", "CTT", "EAT", "ECT",
        "IET", "IST", "JST", "MIT", "NET", "NST", "PLT", "PNT", "PRT", "PST", "SST", "VST",
    ]

    /// `+05`, `-0330`, `+054500`: the form the tz database gives zones with no abbreviation.
    static func numericAbbreviation(_ offset: Int) -> String {
        let magnitude = abs(offset)
        func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = (offset < 0 ? "-" : "+") + twoDigits(magnitude / 3_600)
        if magnitude % 3_600 != 0 { text += twoDigits(magnitude / 60 % 60) }
        if magnitude % 60 != 0 { text += twoDigits(magnitude % 60) }
        return text
    }
}

extension PosixRule {
    /// An ICU final rule (SimpleTimeZone's eleven numbers: start month, day, weekday, time
    /// and time mode, the same for the end, then the daylight saving in seconds) over a raw
    /// offset, as the POSIX rule it amounts to; nil for a form POSIX cannot state.
    init?(icuRule data: [Int32], rawOffset: Int) {
        guard data.count == 11 else { return nil }
        let saving = Int(data[10])
        let standard = ZoneInfo.numericAbbreviation(rawOffset)
        guard saving != 0 else {
            self.init(standardName: standard, standardOffset: rawOffset, daylight: nil)
            return
        }
        // Times as POSIX states them: local standard time for the start, local daylight
        // time for the end. ICU's modes: 0 wall clock, 1 standard time, 2 UTC.
        func transition(_ at: Int, isEnd: Bool) -> Transition? {
            guard let day = Transition.Day(icuMonth: Int(data[at]), day: Int(data[at + 1]), weekday: Int(data[at + 2]))
            else { return nil }
            var time = Int(data[at + 3])
            switch data[at + 4] {
            case 0: break
            case 1: if isEnd { time += saving }
            case 2: time += rawOffset + (isEnd ? saving : 0)
            default: return nil
            }
            return Transition(day: day, time: time)
        }
        guard let start = transition(0, isEnd: false), let end = transition(5, isEnd: true) else { return nil }
        let offset = rawOffset + saving
        self.init(standardName: standard, standardOffset: rawOffset,
                  daylight: Daylight(name: ZoneInfo.numericAbbreviation(offset), offset: offset, start: start, end: end))
    }
}

extension PosixRule.Transition.Day {
    /// SimpleTimeZone's encoding: weekday 0 = that day of the month; a positive weekday
    /// (1 = Sunday) with day n = its nth occurrence (-1 = last); a negative weekday with a
    /// positive day = the weekday on or after that day, with a negative day = on or before.
    init?(icuMonth month: Int, day: Int, weekday: Int) {
        guard (0...11).contains(month), (-7...7).contains(weekday) else { return nil }
        if weekday == 0 {
            guard (1...[31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]).contains(day) else { return nil }
            self = .dayOfMonth(month: month + 1, day: day)
        } else if weekday > 0 {
            guard (1...4).contains(day) || day == -1 else { return nil }
            self = .monthWeek(month: month + 1, week: day == -1 ? 5 : day, weekday: weekday - 1)
        } else if day > 0 {
            guard day <= 31 else { return nil }
            self = .weekdayOnOrAfter(month: month + 1, day: day, weekday: -weekday - 1)
        } else {
            guard day >= -31, day < 0 else { return nil }
            self = .weekdayOnOrBefore(month: month + 1, day: -day, weekday: -weekday - 1)
        }
    }
}

/// One ICU resource (a table, array, vector or scalar), closed when released.
private final class Resource {
    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }

    /// A resource bundle of ICU's own data (`zoneinfo64`), without locale fallback.
    convenience init?(open name: String) {
        var status = U_ZERO_ERROR
        guard let pointer = swift_ures_openDirect(nil, name, &status) else { return nil }
        self.init(pointer)
        guard status.succeeded else { return nil }
    }

    deinit { swift_ures_close(pointer) }

    private static func checked(_ make: (inout UErrorCode) -> OpaquePointer?) -> Resource? {
        var status = U_ZERO_ERROR
        guard let pointer = make(&status) else { return nil }
        let resource = Resource(pointer)
        return status.succeeded ? resource : nil
    }

    subscript(key: String) -> Resource? {
        Resource.checked { swift_ures_getByKey(pointer, key, nil, &$0) }
    }

    subscript(index: Int) -> Resource? {
        guard index >= 0, index < Int(swift_ures_getSize(pointer)) else { return nil }
        return Resource.checked { swift_ures_getByIndex(pointer, Int32(index), nil, &$0) }
    }

    var isInt: Bool { swift_ures_getType(pointer) == URES_INT }

    var int: Int32? {
        var status = U_ZERO_ERROR
        let value = swift_ures_getInt(pointer, &status)
        return status.succeeded ? value : nil
    }

    var ints: [Int32]? { elements { swift_ures_getIntVector(pointer, $0, $1) } }
    var bytes: [UInt8]? { elements { swift_ures_getBinary(pointer, $0, $1) } }
    var string: String? { elements { swift_ures_getString(pointer, $0, $1) }.map { String(decoding: $0, as: UTF16.self) } }

    /// The elements of a vector, binary or string resource, copied while the bundle is open.
    private func elements<Element>(
        _ get: (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<UErrorCode>) -> UnsafePointer<Element>?
    ) -> [Element]? {
        var status = U_ZERO_ERROR
        var count: Int32 = 0
        guard let values = get(&count, &status), status.succeeded else { return nil }
        return Array(UnsafeBufferPointer(start: values, count: Int(count)))
    }

    /// The index of `target` in an array of strings sorted by UTF-16 code unit, searched by halves.
    func sortedStringIndex(of target: String) -> Int? {
        let wanted = Array(target.utf16)
        var lo = 0, hi = Int(swift_ures_getSize(pointer)) - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            var status = U_ZERO_ERROR
            var count: Int32 = 0
            guard let units = swift_ures_getStringByIndex(pointer, Int32(mid), &count, &status),
                  status.succeeded
            else { return nil }
            let candidate = UnsafeBufferPointer(start: units, count: Int(count))
            if candidate.elementsEqual(wanted) { return mid }
            if candidate.lexicographicallyPrecedes(wanted) { lo = mid + 1 } else { hi = mid - 1 }
        }
        return nil
    }
}
