import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `plan --format ...` output compared with what Sqitch printed for `Fixtures/plans/widgets.plan`.
@Suite struct PlanFormatTests {
    func plan() throws -> Plan {
        let text = try String(contentsOfFile: Fixtures.path("plans/widgets.plan"), encoding: .utf8)
        return try PlanParser.parse(text: text, file: "sqitch.plan")
    }

    func expected(_ name: String) throws -> String {
        try String(contentsOfFile: Fixtures.path("plans/expected/\(name).txt"), encoding: .utf8)
    }

    func render(_ formatter: ItemFormatter) throws -> String {
        try plan().changes.map { try formatter.format(FormatItem(planChange: $0)) + "\n" }.joined()
    }

    @Test(arguments: ["raw", "full", "long", "medium", "short", "oneline"])
    func preset(_ name: String) throws {
        let formatter = ItemFormatter(format: try ItemFormats.template(for: name, command: "plan"))
        #expect(try render(formatter) == expected("widgets-\(name)"))
    }

    @Test func mediumInNewYork() throws {
        let formatter = ItemFormatter(format: ItemFormats.plan["medium"]!,
                                      dates: DateFormatting(environment: Environment(["TZ": "America/New_York"])))
        #expect(try render(formatter) == expected("widgets-medium-new-york"))
    }

    @Test func onelineWithAbbrev() throws {
        #expect(try render(ItemFormatter(format: ItemFormats.plan["oneline"]!, abbrev: 6)) == expected("widgets-oneline-abbrev"))
    }

    @Test func colors() throws {
        #expect(try render(ItemFormatter(format: ItemFormats.plan["oneline"]!, color: true)) == expected("widgets-oneline-color"))
        #expect(try render(ItemFormatter(format: ItemFormats.plan["long"]!, abbrev: 10, color: true)) == expected("widgets-long-color"))
    }

    @Test func everyCode() throws {
        let format = "[%e|%L|%l|%h|%{7}h|%n|%o|%c|%p|%{n}p|%{e}p|%{d}p|%{date:rfc}p|%t|%{;}t|%T|%{/}T|%r|%{+}r|%x|%R%X|%s|%{> }s|%b|%{> }b|%B|%{> }B|%v|%%|%{event}_|%{change}_|%{by}_|%{email}_|%{tags}a%{note}a%{change_id}a%{planned_at}a|%20n|%-12o|%.3n|%{blue}C%{reset}C]"
        #expect(try render(ItemFormatter(format: format)) == expected("widgets-codes"))
    }

    @Test func errors() throws {
        let item = FormatItem(planChange: try plan().changes[0])
        func message(_ format: String) -> String? {
            do { _ = try ItemFormatter(format: format).format(item); return nil } catch let e as any SqitchFailure {
                return e.message
            } catch { return "\(error)" }
        }
        #expect(message("%Q") == "Unknown format code \"Q\"")
        #expect(message("%_") == "No label passed to the _ format")
        #expect(message("%{nope}_") == "Unknown label \"nope\" passed to the _ format")
        #expect(message("%{committer_name}a") == "committer_name is not a valid change attribute")
        #expect(message("%{chartreuse}C") == "chartreuse is not a valid ANSI color")
        #expect(throws: CommandError("Unknown plan format \"nope\"")) {
            try ItemFormats.template(for: "nope", command: "plan")
        }
        #expect(throws: CommandError("Unknown log format \"nope\"")) {
            try ItemFormats.template(for: "nope", command: "log")
        }
    }

    @Test func deployFileCode() throws {
        let item = FormatItem(planChange: try plan().changes[0], deployFile: "deploy/roles.sql")
        #expect(try ItemFormatter(format: "%F %{deploy_file}a").format(item) == "deploy/roles.sql deploy_file deploy/roles.sql\n")
    }
}
