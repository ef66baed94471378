import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The lines of `status`, as Sqitch prints them (comment prefixes are added by the console).
@Suite struct StatusReportTests {
    static let at = PlanText.utcDate(year: 2025, month: 1, day: 2, hour: 3, minute: 4, second: 5)!
    let report = StatusReport(dates: DateFormatting(zone: .utc))

    func change(_ name: String, tags: [String] = []) -> DeployedChange {
        DeployedChange(id: String(repeating: "0", count: 40), name: name, project: "flipr", note: "", tags: tags,
                       scriptHash: nil, plannedAt: Self.at, plannerName: "P", plannerEmail: "p@example.com",
                       committedAt: Self.at, committerName: "Test User", committerEmail: "test@example.com")
    }

    @Test func stateNamesOneTagOrSeveral() throws {
        #expect(try report.stateLines(change("users")) == [
            "Project:  flipr", "Change:   " + String(repeating: "0", count: 40), "Name:     users",
            "Deployed: 2025-01-02 03:04:05 +0000", "By:       Test User <test@example.com>",
        ])
        #expect(try report.stateLines(change("users", tags: ["@v1"]))[3] == "Tag:      @v1")
        #expect(try report.stateLines(change("users", tags: ["@v1", "@v2"]))[3] == "Tags:     @v1, @v2")
    }

    @Test func namesArePaddedByCodePoints() throws {
        let lines = try StatusReport(dates: report.dates, dateFormat: "raw").changeLines([change("café"), change("a")])
        #expect(lines == [
            "Changes:",
            "  café - 2025-01-02T03:04:05Z - Test User <test@example.com>",
            "  a    - 2025-01-02T03:04:05Z - Test User <test@example.com>",
        ])
        #expect(try report.changeLines([change("a")])[0] == "Change:")
    }

    @Test func tagsOrNone() throws {
        #expect(try report.tagLines([]) == ["Tags: None."])
        let tag = DeployedTag(id: "x", name: "@v1.0", committerName: "T", committerEmail: "t@example.com",
                              committedAt: Self.at, plannerName: "P", plannerEmail: "p@example.com", plannedAt: Self.at)
        #expect(try report.tagLines([tag]) == ["Tag:", "  @v1.0 - 2025-01-02 03:04:05 +0000 - T <t@example.com>"])
    }

    @Test func falseDateFormatsAreRaw() throws {
        for format in ["", "0"] {
            let lines = try StatusReport(dates: report.dates, dateFormat: format).stateLines(change("users"))
            #expect(lines[3] == "Deployed: 2025-01-02T03:04:05Z")
        }
    }

    @Test func undeployedChangesFollowTheCurrentOne() throws {
        let plan = try PlanParser.parse(text: """
            %project=flipr

            users 2024-01-02T03:04:05Z T <t@example.com>
            widgets 2024-01-02T03:04:06Z T <t@example.com>
            @v1 2024-01-02T03:04:07Z T <t@example.com>
            gadgets 2024-01-02T03:04:08Z T <t@example.com>

            """, file: "sqitch.plan")
        #expect(StatusReport.undeployedLines(plan, after: 2) == ["Nothing to deploy (up-to-date)"])
        #expect(StatusReport.undeployedLines(plan, after: 1) == ["Undeployed change:", "  * gadgets"])
        #expect(StatusReport.undeployedLines(plan, after: 0) == ["Undeployed changes:", "  * widgets @v1", "  * gadgets"])
    }
}
