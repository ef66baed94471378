import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Date formats compared with `sqitch plan --format 'format:%{date}p' --date-format ...`
/// for 2024-03-02T11:00:00Z in three time zones.
@Suite struct DateFormatTests {
    static let formats = [
        "raw", "iso", "iso8601", "rfc", "rfc2822", "full", "long", "medium", "short",
        "strftime:%c|%x|%X|%U|%W|%V|%G|%u|%w|%j|%e|%k|%l|%P|%r|%D|%C|%y|%Z|%a %A %b %B %d %F %H %I %m %M %p %R %s %S %T %Y %z %%|%i|%3N",
        "cldr:G GGGG y yy yyyy Y M MM MMM MMMM d dd D E EEEE e c h hh H HH K k m mm s ss a z zzzz Z ZZZZ ZZZZZ w Q QQQ QQQQ 'lit' ''",
    ]

    @Test(arguments: [("UTC", "utc"), ("America/New_York", "america-new_york"), ("Asia/Kolkata", "asia-kolkata")])
    func formats(_ zone: String, _ file: String) throws {
        let expected = try String(contentsOfFile: Fixtures.path("plans/expected/dates-\(file).txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let dates = DateFormatting(environment: Environment(["TZ": zone]))
        let date = PlanText.utcDate(year: 2024, month: 3, day: 2, hour: 11, minute: 0, second: 0)!
        let actual = try Self.formats.map { try dates.string(date, format: $0) }
        #expect(actual == Array(expected.prefix(actual.count)))
    }

    @Test func unknownFormat() {
        #expect(throws: CommandError("Unknown date format \"nope\"")) { try DateFormatting.validate("nope") }
        #expect(throws: Never.self) { try DateFormatting.validate("cldr:y") }
    }
}

/// Zone abbreviations in summer, now and far ahead (Sqitch prints `EDT` for both).
@Test func summerAbbreviation() throws {
    let dates = DateFormatting(environment: Environment(["TZ": "America/New_York"]))
    let now = PlanText.utcDate(year: 2024, month: 7, day: 2, hour: 11, minute: 0, second: 0)!
    let later = PlanText.utcDate(year: 2030, month: 7, day: 2, hour: 11, minute: 0, second: 0)!
    #expect(try dates.string(now, format: "cldr:z") == "EDT")
    #expect(try dates.string(later, format: "cldr:z") == "EDT")
}
