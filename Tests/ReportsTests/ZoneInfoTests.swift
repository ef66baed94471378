import Foundation
import Testing
@testable import SqlitchCore

/// The tz database reader against Foundation's time zones (ICU's own copy of the database),
/// its POSIX rules against the full transition tables they summarise, and the fallback to
/// ICU for names with no file.
@Suite struct ZoneInfoTests {
    static let zones = [
        "America/New_York", "Europe/Paris", "Asia/Kolkata", "Australia/Sydney", "Australia/Lord_Howe",
        "America/Sao_Paulo", "Pacific/Chatham", "Africa/Casablanca", "America/St_Johns", "Asia/Tehran",
        "Pacific/Apia", "Europe/Dublin", "America/Santiago", "Antarctica/Troll", "Asia/Kathmandu", "UTC",
    ]

    /// Instants every 9 days and 7 hours from 1975 to 2060: every kind of day and hour,
    /// past the last transition of the files (2037) into their footers' rules.
    static let instants: [Int] = Array(stride(from: 157_766_400, to: 2_840_140_800, by: 9 * 86_400 + 7 * 3_600))

    @Test(arguments: zones)
    func offsetsMatchFoundation(_ name: String) throws {
        let zone = try #require(ZoneInfo(named: name))
        let reference = try #require(TimeZone(identifier: name))
        var differences: [String] = []
        for t in Self.instants {
            let date = Date(timeIntervalSince1970: TimeInterval(t))
            let mine = zone.local(at: t).offset
            let theirs = reference.secondsFromGMT(for: date)
            if mine != theirs { differences.append("\(date): \(mine) vs \(theirs)") }
        }
        // ICU's copy of the database may be a release older or newer than the system's: a
        // handful of instants may differ where a country changed its rules, never most.
        #expect(differences.count <= 3, "\(name): \(differences.prefix(5))")
    }

    /// With no file for the name (a container without tzdata), ICU's copy of the database
    /// gives the zone, as DateTime's own copy does.
    @Test(arguments: zones)
    func offsetsWithoutFiles(_ name: String) throws {
        let file = try #require(Self.fileZone(name))
        let icu = try #require(ZoneInfo(named: name, directory: "/nonexistent"))
        #expect(icu.name == name)
        let differences = (Self.instants + Self.checkpoints(file)).filter {
            file.local(at: $0).offset != icu.local(at: $0).offset
        }
        #expect(differences.count <= 4, "\(name): \(differences.prefix(5))")
    }

    /// The zone read from the system's file alone, with no fallback to ICU.
    static func fileZone(_ name: String) -> ZoneInfo? {
        ZoneInfo.read(ZoneInfo.directory + "/" + name).flatMap { ZoneInfo(name: name, tzif: $0) }
    }

    /// A second before and the second of each of the zone's transitions from 1850 (or
    /// `from`) to 2060: its file's, then its rule's year by year.
    static func checkpoints(_ zone: ZoneInfo, from: Int = -3_786_825_600) -> [Int] {
        let to = 2_840_140_800
        var instants = zone.transitions.map { Int($0) }.filter { $0 >= from && $0 < to }
        if let rule = zone.rule, let daylight = rule.daylight {
            for year in PlanText.civil(instants.last ?? 0).year...2060 {
                instants.append(daylight.start.instant(year: year) - rule.standardOffset)
                instants.append(daylight.end.instant(year: year) - daylight.offset)
            }
        }
        return instants.flatMap { [$0 - 1, $0] }
    }

    /// Every zone of the system's database that ICU also knows, against ICU's copy, around
    /// every transition from 1970 to 2060. (Before 1970 they part: Debian builds its zones
    /// with their own older history, where the tz database and ICU make `Europe/Amsterdam` a
    /// link to `Europe/Brussels`; the zones above are compared from 1850.)
    @Test func everyZoneWithoutFiles() throws {
        let root = ZoneInfo.directory
        let names = try FileManager.default.subpathsOfDirectory(atPath: root).filter {
            !$0.hasPrefix("posix") && !$0.hasPrefix("right") && $0.first?.isUppercase == true
        }.sorted()
        var compared = 0
        var mismatched: [String] = []
        for name in names {
            // tz 2024b made these links to Athens and Lisbon, with those cities' older history.
            guard !["EET", "WET"].contains(name), let file = Self.fileZone(name), let icu = ZoneInfo(icuNamed: name)
            else { continue }
            compared += 1
            let differences = Self.checkpoints(file, from: 0).filter {
                file.local(at: $0).offset != icu.local(at: $0).offset
            }
            // A release apart, a zone may differ around one change of its rules, never for long.
            if differences.count > 4 { mismatched.append("\(name) (\(differences.count): \(differences.prefix(4)))") }
        }
        #expect(compared > 400)
        #expect(mismatched.isEmpty, "\(mismatched)")
    }

    /// ICU's final rules in every form SimpleTimeZone has, against the dates they name.
    @Test func icuRuleDays() {
        // 2024: March 1 was a Friday.
        func day(_ month: Int, _ day: Int, _ weekday: Int) -> Int? {
            PosixRule.Transition.Day(icuMonth: month, day: day, weekday: weekday).map {
                PlanText.civil(PosixRule.Transition(day: $0, time: 0).instant(year: 2024)).day
            }
        }
        #expect(day(2, 8, -1) == 10)  // Sun>=8 in March
        #expect(day(2, 1, -1) == 3)  // Sun>=1
        #expect(day(2, 1, -6) == 1)  // Fri>=1: the day itself
        #expect(day(2, -31, -1) == 31)  // Sun<=31: March 31
        #expect(day(2, -30, -6) == 29)  // Fri<=30
        #expect(day(2, -1, 1) == 31)  // last Sunday
        #expect(day(2, 2, 6) == 8)  // second Friday
        #expect(day(2, 21, 0) == 21)  // March 21
        #expect(day(12, 1, 1) == nil && day(2, 5, 1) == nil && day(2, 0, 0) == nil && day(2, 1, 8) == nil)
        // Modes: wall clock, standard time (the end moves by the saving), UTC.
        let eu = PosixRule(icuRule: [2, -1, 1, 3_600, 2, 9, -1, 1, 3_600, 2, 3_600], rawOffset: 3_600)
        #expect(eu == PosixRule("<+01>-1<+02>,M3.5.0/2,M10.5.0/3"))
        let standard = PosixRule(icuRule: [9, 1, -1, 7_200, 1, 3, 1, -1, 7_200, 1, 3_600], rawOffset: 36_000)
        #expect(standard == PosixRule("<+10>-10<+11>,M10.1.0,M4.1.0/3")?.replacingDays(start: .weekdayOnOrAfter(month: 10, day: 1, weekday: 0),
                                                                                          end: .weekdayOnOrAfter(month: 4, day: 1, weekday: 0)))
        #expect(PosixRule(icuRule: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], rawOffset: -10_800) == PosixRule("<-03>3"))
        #expect(PosixRule(icuRule: [2, 8, -1, 7_200, 3, 10, 1, -1, 7_200, 0, 3_600], rawOffset: 0) == nil)
        #expect(PosixRule(icuRule: [2, 8], rawOffset: 0) == nil)
    }

    @Test func namesWithoutFiles() throws {
        func zone(_ name: String) -> ZoneInfo? { ZoneInfo(named: name, directory: "/nonexistent") }
        // Backward names (tzdata-legacy on newer Debian) and old spellings.
        #expect(try #require(zone("US/Eastern")).local(at: 1_720_000_000) == (-14_400, "-04"))
        #expect(try #require(zone("US/Eastern")).local(at: 1_704_067_200) == (-18_000, "-05"))
        #expect(try #require(zone("US/Eastern")).local(at: 2_540_000_000) == (-14_400, "-04"))  // 2050: the final rule
        #expect(try #require(zone("Asia/Calcutta")).local(at: 1_720_000_000).offset == 19_800)
        // ICU keeps no abbreviations: the tz database's numeric form, as it has for these.
        #expect(try #require(zone("Asia/Kathmandu")).local(at: 1_720_000_000) == (20_700, "+0545"))
        #expect(try #require(zone("Australia/Lord_Howe")).local(at: 1_704_067_200) == (39_600, "+11"))
        #expect(try #require(zone("Australia/Lord_Howe")).local(at: 1_720_000_000) == (37_800, "+1030"))
        #expect(try #require(zone("Etc/GMT+5")).local(at: 0) == (-18_000, "-05"))
        // ICU's custom and unknown zones are not names.
        // Nor are the Java-style aliases and SystemV zones ICU keeps, which the tz database dropped.
        for name in ["GMT+5", "+0530", "Nowhere/Atlantis", "Etc/Unknown", "Z", "floating", "localtime",
                     "PST", "IST", "AST", "BST", "CST", "JST", "SystemV/AST4", "SystemV/EST5EDT"] {
            #expect(zone(name) == nil, "\(name)")
        }
    }

    @Test func abbreviations() throws {
        let newYork = try #require(ZoneInfo(named: "America/New_York"))
        #expect(newYork.local(at: 1_720_000_000).abbreviation == "EDT")  // July 2024
        #expect(newYork.local(at: 1_704_067_200).abbreviation == "EST")  // January 2024
        #expect(newYork.local(at: 2_540_000_000).abbreviation == "EDT")  // July 2050, from the footer
        #expect(newYork.local(at: -2_800_000_000).abbreviation == "LMT")  // 1881: before the first transition
        #expect(newYork.local(at: -2_000_000_000).abbreviation == "EST")
        #expect(try #require(ZoneInfo(named: "Asia/Kolkata")).local(at: 1_720_000_000) == (19_800, "IST"))
    }

    @Test func names() {
        #expect(ZoneInfo(named: "Europe/Paris")?.name == "Europe/Paris")
        #expect(ZoneInfo(named: "Nowhere/Atlantis") == nil)
        #expect(ZoneInfo(named: "../zoneinfo/UTC") == nil)
        #expect(ZoneInfo(named: "/usr/share/zoneinfo/UTC") == nil)
        #expect(ZoneInfo(named: "posix/Europe/Paris") == nil)
        #expect(ZoneInfo(named: "") == nil)
        #expect(ZoneInfo(named: "iso3166.tab") == nil)  // not a TZif file
        #expect(ZoneInfo(named: "UTC", directory: "/nonexistent")?.isUTC == true)
    }

    /// A zone file with no transitions, only a footer, as `zic -b slim` writes for zones
    /// whose rules have not changed: the rule alone must give what the full table gives.
    @Test(arguments: [
        ("EST5EDT,M3.2.0,M11.1.0", "America/New_York", 1_200_000_000),  // 2008 on
        ("AEST-10AEDT,M10.1.0,M4.1.0/3", "Australia/Sydney", 1_210_000_000),
        ("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", "Pacific/Chatham", 1_210_000_000),
        ("IST-1GMT0,M10.5.0,M3.5.0/1", "Europe/Dublin", 1_000_000_000),  // negative daylight saving
        ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "America/Nuuk", 1_704_067_200),  // a negative hour
        ("<-04>4<-03>,M9.1.6/24,M4.1.6/24", "America/Santiago", 1_680_000_000),  // hour 24
        ("<+00>0<+02>-2,M3.5.0/1,M10.5.0/3", "Antarctica/Troll", 1_200_000_000),
        ("IST-5:30", "Asia/Kolkata", 0),
    ])
    func footerAlone(_ rule: String, _ name: String, _ from: Int) throws {
        let slim = try #require(ZoneInfo(name: name, tzif: Self.slimFile(footer: rule)))
        let full = try #require(ZoneInfo(named: name))
        for t in stride(from: from, to: 2_100_000_000, by: 86_400 / 4 + 1_234) {
            #expect(slim.local(at: t) == full.local(at: t), "\(name) at \(t)")
            if slim.local(at: t) != full.local(at: t) { return }
        }
    }

    @Test func malformedRules() {
        for rule in ["", "E5", "EST", "EST5EDT,M3.2.0", "EST5EDT,M13.2.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0",
                     "EST5EDT,J0,J365", "EST5EDT,366,1", "<+05", "EST5EDT,M3.2.0/200,M11.1.0", "EST99"] {
            #expect(PosixRule(rule) == nil, "\(rule)")
        }
        #expect(PosixRule("EST5EDT")?.daylight?.start == .init(day: .monthWeek(month: 3, week: 2, weekday: 0), time: 7_200))
        #expect(PosixRule("<-03>3")?.standardOffset == -10_800)
    }

    @Test func truncatedFiles() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ZoneInfo.directory + "/Europe/Paris")))
        for length in [0, 4, 43, 44, 100, bytes.count / 2] {
            #expect(ZoneInfo(name: "x", tzif: Array(bytes.prefix(length))) == nil, "\(length) bytes")
        }
    }

    @Test func systemZone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zoneinfo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("localtime").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: ZoneInfo.directory + "/Asia/Tokyo")
        #expect(ZoneInfo.system(localtime: link, timezoneFile: "/nonexistent").name == "Asia/Tokyo")
        #expect(ZoneInfo.system(localtime: link, timezoneFile: "/nonexistent").local(at: 0).offset == 32_400)

        // /etc/timezone comes first, as in DateTime; a copied file keeps its rules.
        let copy = directory.appendingPathComponent("copy").path
        try FileManager.default.copyItem(atPath: ZoneInfo.directory + "/Asia/Tokyo", toPath: copy)
        let timezone = directory.appendingPathComponent("timezone").path
        try "Europe/Paris\n".write(toFile: timezone, atomically: true, encoding: .utf8)
        #expect(ZoneInfo.system(localtime: link, timezoneFile: timezone).name == "Europe/Paris")
        #expect(ZoneInfo.system(localtime: copy, timezoneFile: "/nonexistent").local(at: 0).offset == 32_400)
        #expect(ZoneInfo.system(localtime: "/nonexistent", timezoneFile: "/nonexistent") == .utc)
        // A name with no file in the database: ICU's copy.
        let noFiles = ZoneInfo.system(localtime: "/nonexistent", timezoneFile: timezone, directory: "/nonexistent")
        #expect(noFiles.name == "Europe/Paris" && noFiles.local(at: 0).offset == 3_600)
    }

    /// `TZ` as DateTime reads it: a name it does not know, `:Name` among them, means the
    /// system's zone, not UTC.
    @Test func zoneFromEnvironment() {
        let system = ZoneInfo.system()
        #expect(DateFormatting(environment: Environment(["TZ": "Asia/Tokyo"])).zone.name == "Asia/Tokyo")
        #expect(DateFormatting(environment: Environment(["TZ": ":Asia/Tokyo"])).zone == system)
        #expect(DateFormatting(environment: Environment(["TZ": "Nowhere/Bad"])).zone == system)
        #expect(DateFormatting(environment: Environment([:])).zone == system)
        // TZDIR names the database, as for the C library; ICU knows the names it lacks.
        let tokyo = DateFormatting(environment: Environment(["TZ": "Asia/Tokyo", "TZDIR": ZoneInfo.directory])).zone
        #expect(tokyo.name == "Asia/Tokyo" && tokyo.local(at: 0) == (32_400, "JST"))
        let fromICU = DateFormatting(environment: Environment(["TZ": "Asia/Tokyo", "TZDIR": "/nonexistent"])).zone
        #expect(fromICU.name == "Asia/Tokyo" && fromICU.local(at: 0) == (32_400, "+09"))
    }

    /// An offset beyond the 18 hours Foundation's fixed zones take still gives its own fields.
    @Test func largeOffset() throws {
        let zone = try #require(ZoneInfo(name: "Far", tzif: Self.slimFile(footer: "<+20>-20")))
        let dates = DateFormatting(zone: zone)
        let date = PlanText.utcDate(year: 2024, month: 3, day: 2, hour: 11, minute: 0, second: 0)!
        #expect(try dates.string(date, format: "iso") == "2024-03-03 07:00:00 +2000")
        #expect(try dates.string(date, format: "rfc") == "Sun, 03 Mar 2024 07:00:00 +2000")
        #expect(try dates.string(date, format: "cldr:D e z") == "63 1 +20")
    }

    /// A version-2 TZif file with one local type, no transitions and `footer`.
    static func slimFile(footer: String) -> [UInt8] {
        func header(version: UInt8) -> [UInt8] {
            var h = Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15)
            for count in [0, 0, 0, 0, 1, 4] {  // isut, isstd, leap, time, type, char
                h += [0, 0, 0, UInt8(count)]
            }
            return h
        }
        let block: [UInt8] = [0, 0, 0, 0, 0, 0] + Array("LMT".utf8) + [0]
        return header(version: 0x32) + block + header(version: 0x32) + block + [0x0A] + Array(footer.utf8) + [0x0A]
    }
}

extension PosixRule {
    func replacingDays(start: Transition.Day, end: Transition.Day) -> PosixRule? {
        guard let daylight else { return nil }
        return PosixRule(standardName: standardName, standardOffset: standardOffset,
                         daylight: Daylight(name: daylight.name, offset: daylight.offset,
                                            start: Transition(day: start, time: daylight.start.time),
                                            end: Transition(day: end, time: daylight.end.time)))
    }
}
