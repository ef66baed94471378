import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `log --format ...` entries compared with Sqitch's output for a SQLite registry holding
/// deploy users, deploy posts, revert posts (newest first).
@Suite struct LogFormatTests {
    static func at(_ second: Int) -> Date {
        PlanText.utcDate(year: 2026, month: 11, day: 25, hour: 6, minute: 28, second: second)!
    }

    static let items: [FormatItem] = {
        let planned = PlanText.utcDate(year: 2026, month: 11, day: 25, hour: 6, minute: 28, second: 17)!
        func item(_ event: String, _ id: String, _ name: String, _ note: String, _ requires: [String],
                  _ tags: [String], _ committed: Int) -> FormatItem {
            FormatItem(event: event, project: "flipr", changeID: id, change: name, note: note, requires: requires,
                       tags: tags, plannerName: "Test_User", plannerEmail: "test@example.com", plannedAt: planned,
                       committerName: "Test_User", committerEmail: "test@example.com", committedAt: at(committed),
                       isPlanItem: false)
        }
        return [
            item("revert", "4eacbd3bd20c78a05c7df3b66c561d19f281e2ec", "posts", "Posts", ["users"], ["@v1.0"], 19),
            item("deploy", "4eacbd3bd20c78a05c7df3b66c561d19f281e2ec", "posts", "Posts", ["users"], ["@v1.0"], 18),
            item("deploy", "aeec38176796406ff243ea0f06bc103a55248de2", "users", "Users table.\n\nSecond para.", [], [], 18),
        ]
    }()

    func render(_ format: String) throws -> String {
        let formatter = ItemFormatter(format: format)
        return try Self.items.map { try formatter.format($0) + "\n" }.joined()
    }

    func expected(_ name: String) throws -> String {
        try String(contentsOfFile: Fixtures.path("plans/expected/\(name).txt"), encoding: .utf8)
    }

    @Test(arguments: ["medium", "short", "oneline"])
    func preset(_ name: String) throws {
        #expect(try render(ItemFormats.template(for: name, command: "log")) == expected("log-\(name)"))
    }

    @Test func committerCodes() throws {
        let format = "%{date:raw}c %{date}c %{d:rfc}c %{name}c %{e}c|%{    }b|%{committer_name}a%{committed_at}a"
        #expect(try render(format) == expected("log-codes"))
    }

    @Test func logAttributesDifferFromPlan() throws {
        #expect(throws: CommandError("deploy_file is not a valid change attribute")) {
            try ItemFormatter(format: "%{deploy_file}a").format(Self.items[0])
        }
    }
}
