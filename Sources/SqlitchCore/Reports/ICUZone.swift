import FoundationEssentials
import Synchronization
import _FoundationICU

/// A zone from ICU's own copy of the tz database, bundled with the toolchain's Foundation:
/// the fallback for an Olson name whose file the system lacks (a container without tzdata,
/// or a backward name such as `US/Eastern` that newer Debian moved to `tzdata-legacy`).
/// Sqitch's DateTime carries its own copy of the database, so it knows these names anywhere.
final class ICUZone: Sendable {
    let name: String
    /// ICU's English short names for standard and daylight time (`EST`, `EDT`), or the
    /// tz database's numeric form (`+0545`) where ICU has only a `GMT+5:45` style name.
    let standardAbbreviation: String
    let daylightAbbreviation: String
    private let calendar: Mutex<Handle>

    private struct Handle: @unchecked Sendable { let pointer: UnsafeMutablePointer<UCalendar?> }

    /// The zone ICU knows by `name` (a canonical name or one of its links), or nil for a
    /// name ICU does not have; custom offsets (`GMT+5`) are not names.
    init?(named name: String) {
        let units = Array(name.utf16)
        var status = U_ZERO_ERROR
        var isSystem: UBool = 0
        var canonical = [UChar](repeating: 0, count: 128)
        _ = swift_ucal_getCanonicalTimeZoneID(units, Int32(units.count), &canonical, Int32(canonical.count), &isSystem, &status)
        guard status.rawValue <= U_ZERO_ERROR.rawValue, isSystem != 0 else { return nil }
        guard let pointer = swift_ucal_open(units, Int32(units.count), "en_US_POSIX", UCAL_GREGORIAN, &status),
              status.rawValue <= U_ZERO_ERROR.rawValue
        else { return nil }
        self.name = name
        standardAbbreviation = ICUZone.displayName(pointer, UCAL_SHORT_STANDARD)
        daylightAbbreviation = ICUZone.displayName(pointer, UCAL_SHORT_DST)
        calendar = Mutex(Handle(pointer: pointer))
    }

    deinit {
        calendar.withLock { swift_ucal_close($0.pointer) }
    }

    /// The offset from UTC in seconds, and whether it is daylight time, at `seconds` since the epoch.
    func local(at seconds: Int) -> (offset: Int, isDST: Bool) {
        calendar.withLock { handle in
            var status = U_ZERO_ERROR
            swift_ucal_setMillis(handle.pointer, Double(seconds) * 1000, &status)
            let zone = swift_ucal_get(handle.pointer, UCAL_ZONE_OFFSET, &status)
            let dst = swift_ucal_get(handle.pointer, UCAL_DST_OFFSET, &status)
            guard status.rawValue <= U_ZERO_ERROR.rawValue else { return (0, false) }
            return (Int(zone + dst) / 1000, dst != 0)
        }
    }

    /// `GMT+5:45` and the like become the tz database's `+0545`; `GMT` alone stays.
    private static func displayName(_ pointer: UnsafeMutablePointer<UCalendar?>, _ type: UCalendarDisplayNameType) -> String {
        var status = U_ZERO_ERROR
        var buffer = [UChar](repeating: 0, count: 64)
        let count = swift_ucal_getTimeZoneDisplayName(pointer, type, "en", &buffer, Int32(buffer.count), &status)
        guard status.rawValue <= U_ZERO_ERROR.rawValue, count > 0 else { return "" }
        let text = String(decoding: buffer[..<Int(count)], as: UTF16.self)
        guard text.hasPrefix("GMT"), text.count > 3 else { return text }
        let sign = text.dropFirst(3).prefix(1)
        let parts = text.dropFirst(4).split(separator: ":")
        guard sign == "+" || sign == "-", let hours = parts.first.flatMap({ Int($0) }) else { return text }
        let minutes = parts.count > 1 ? String(parts[1]) : ""
        let twoDigits = hours < 10 ? "0\(hours)" : "\(hours)"
        return sign + twoDigits + (minutes == "00" ? "" : minutes)
    }
}

extension ICUZone: Equatable {
    static func == (lhs: ICUZone, rhs: ICUZone) -> Bool { lhs.name == rhs.name }
}
