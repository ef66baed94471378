import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Plan syntax errors, each text observed with `sqitch plan` (1.3.1) on the same input;
/// the name rule gains `"[", "]", ` as in Sqitch 1.6.
@Suite struct PlanErrorTests {
    static let cases: [(String, String)] = [
        ("%project=p\nfoo 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 2: Invalid pragma; a blank line must come between pragmas and changes"),
        ("%syntax-version=1.0.0\n\nfoo 2024-01-01T00:00:00Z A <a@b>\n",
         "Missing %project pragma in sqitch.plan"),
        ("%project=-x\n\n",
         "Syntax error in sqitch.plan at line 1: invalid project name \"-x\": project names must not begin with punctuation, contain \"@\", \":\", \"#\", \"\\\", or blanks, or end in punctuation or digits following punctuation"),
        ("%project=x\r\n\r\nfoo 2024-01-01T00:00:00Z A <a@b>\r\nbar\r\n",
         "Syntax error in sqitch.plan at line 4: Missing timestamp and planner name and email"),
        ("%project=p\n\nfoo\n",
         "Syntax error in sqitch.plan at line 3: Missing timestamp and planner name and email"),
        ("%project=p\n\nfoo 2024-01-01T00:00:00Z A <a@b>\n#\n",
         "Syntax error in sqitch.plan at line 4: Invalid name; names must not begin with punctuation, contain \"@\", \":\", \"#\", \"\\\", or blanks, or end in punctuation or digits following punctuation"),
        ("%project=p\n\nfoo 2024-01-01T00:00:00 A <a@b>\n",
         "Syntax error in sqitch.plan at line 3: Missing timestamp"),
        ("%project=p\n\nfoo A <a@b>\n",
         "Syntax error in sqitch.plan at line 3: Missing timestamp"),
        ("%project=p\n\nfoo 2024-01-01T00:00:00Z\n",
         "Syntax error in sqitch.plan at line 3: Missing planner name and email"),
        ("%project=p\n\nHEAD 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 3: \"HEAD\" is a reserved name"),
        ("%project=p\n\nfoo 2024-01-01T00:00:00Z A <a@b>\n@ROOT 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 4: \"@ROOT\" is a reserved name"),
        ("%project=p\n\nabcdef0123456789abcdef0123456789abcdef01x 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 3: \"abcdef0123456789abcdef0123456789abcdef01x\" is invalid because it could be confused with a SHA1 ID"),
        ("%project=p\n\nfoo 2024-01-01T00:00:00Z A <a@b>\n@a/b 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 4: Tag \"a/b\" contains illegal character /"),
        ("%project=p\n\n@v1 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 3: Tag \"v1\" declared without a preceding change"),
        ("%project=p\n\nfoo 2024-01-01T00:00:00Z A <a@b>\n@v1 2024-01-01T00:00:00Z A <a@b>\nbar 2024-01-01T00:00:00Z A <a@b>\n@v1 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 6: Tag \"v1\" duplicates earlier declaration on line 4"),
        ("%project=p\n\nfoo 2024-01-01T00:00:00Z A <a@b>\n@v1 [foo] 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 4: Tags may not specify dependencies"),
        ("%project=p\n\nfoo 2024-01-01T00:00:00Z A <a@b>\nbar 2024-01-01T00:00:00Z A <a@b>\nfoo 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 5: Change \"foo\" duplicates earlier declaration on line 3"),
        ("%project=p\n\nfoo [b^r:] 2024-01-01T00:00:00Z A <a@b>\n",
         "Depend object must have either \"change\", \"tag\", or \"id\" defined"),
        ("%project=p\n\nfoo [bar bar] 2024-01-01T00:00:00Z A <a@b>\nbar 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 3: Duplicate dependency \"bar\""),
        ("%project=p\n\nfoo [bar] 2024-01-01T00:00:00Z A <a@b>\n",
         "Dependency error detected:\n  Unknown change \"bar\" required by change \"foo\""),
        ("%project=p\n\nfoo [foo] 2024-01-01T00:00:00Z A <a@b>\n",
         "Dependency error detected:\n  Change \"foo\" cannot require itself"),
        ("%project=p\n\nfoo [bar baz] 2024-01-01T00:00:00Z A <a@b>\nbar 2024-01-01T00:00:00Z A <a@b>\nbaz 2024-01-01T00:00:00Z A <a@b>\n",
         "Dependency errors detected:\n  Change \"foo\" planned 1 change before required change \"bar\"\n  Change \"foo\" planned 2 changes before required change \"baz\"\n    HINT: move \"foo\" down 2 lines in sqitch.plan"),
        ("%project=p\n\nfoo [bar] 2024-01-01T00:00:00Z A <a@b>\nx 2024-01-01T00:00:00Z A <a@b>\nbar 2024-01-01T00:00:00Z A <a@b>\n@t 2024-01-01T00:00:00Z A <a@b>\nq [nope] 2024-01-01T00:00:00Z A <a@b>\n",
         "Dependency error detected:\n  Change \"foo\" planned 2 changes before required change \"bar\"\n    HINT: move \"foo\" down 2 lines in sqitch.plan"),
        ("%project=p\n\nfoo [bar nope] 2024-01-01T00:00:00Z A <a@b>\nbar 2024-01-01T00:00:00Z A <a@b>\nfoo2 [foo2] 2024-01-01T00:00:00Z A <a@b>\n",
         "Dependency errors detected:\n  Change \"foo\" planned 1 change before required change \"bar\"\n  Unknown change \"nope\" required by change \"foo\"\n    HINT: move \"foo\" down 1 line in sqitch.plan\n  Change \"foo2\" cannot require itself"),
        ("%project=p\n\nfoo€ 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 3: Invalid name; names must not begin with punctuation, contain \"@\", \":\", \"#\", \"\\\", or blanks, or end in punctuation or digits following punctuation"),
        ("%project=p\n\nfoo~1 2024-01-01T00:00:00Z A <a@b>\n",
         "Syntax error in sqitch.plan at line 3: Invalid name; names must not begin with punctuation, contain \"@\", \":\", \"#\", \"\\\", or blanks, or end in punctuation or digits following punctuation"),
    ]

    static func sixPointSix(_ message: String) -> String {
        message.replacingOccurrences(of: #""\", or blanks"#, with: #""\", "[", "]", or blanks"#)
    }

    @Test func errorsMatchSqitch() {
        for (text, expected) in Self.cases {
            do {
                _ = try PlanParser.parse(text: text, file: "sqitch.plan")
                Issue.record("no error for \(text)")
            } catch let error as any SqitchFailure {
                #expect(error.message == Self.sixPointSix(expected), "\(text)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func bracketsAreBannedBeforeDigits() {
        #expect(!PlanNames.isValid("foo[1"))
        #expect(!PlanNames.isValid("foo]2"))
        #expect(PlanNames.isValid("foo.1"))
        #expect(PlanNames.isValid("v1.2+1"))
        #expect(!PlanNames.isValid("foo%1"))
        #expect(PlanNames.isValid("€foo"))
        #expect(!PlanNames.isValid("foo€"))
        #expect(PlanNames.isValid("o'neil"))
    }

    @Test func commandSideMessages() {
        #expect(throws: PlanError(##""bad name" is invalid: changes must not begin with punctuation, contain "@", ":", "#", "\", "[", "]", or blanks, or end in punctuation or digits following punctuation"##)) {
            try PlanNames.validate("bad name", isTag: false)
        }
        #expect(throws: PlanError(##""a/b" is invalid: tags must not begin with punctuation, contain "@", ":", "#", "/", "\", "[", "]", or blanks, or end in punctuation or digits following punctuation"##)) {
            try PlanNames.validate("a/b", isTag: true)
        }
        #expect(throws: PlanError(##""ROOT" is a reserved name"##)) { try PlanNames.validate("ROOT", isTag: true) }
    }

    @Test func externalAndIDDependenciesAreNotChecked() throws {
        let text = "%project=p\n\nfoo 2024-01-01T00:00:00Z A <a@b>\n@v1 2024-01-01T00:00:00Z A <a@b>\nbar [foo@v1 x:y 0123456789abcdef0123456789abcdef01234567 p:foo] 2024-01-01T00:00:00Z A <a@b>\n"
        let plan = try PlanParser.parse(text: text, file: "sqitch.plan")
        #expect(plan.changes[1].requires.map { $0.asString(planProject: "p") } ==
                ["foo@v1", "x:y", "0123456789abcdef0123456789abcdef01234567", "foo"])
    }
}

/// A timestamp that cannot exist is refused with the line that holds it, never rolled over
/// into another date (which would give the change an ID Sqitch never computes).
@Suite struct PlanTimestampTests {
    @Test(arguments: ["2012-13-01T00:00:00Z", "2012-00-10T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
                      "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z", "2012-13-45T99:99:99Z"])
    func impossibleTimestamps(_ stamp: String) {
        #expect(throws: PlanError("Syntax error in sqitch.plan at line 4: Invalid timestamp \(stamp)", reason: .syntax)) {
            try PlanParser.parse(text: "%project=p\n\nfoo 2024-01-01T00:00:00Z A <a@b>\nbar \(stamp) A <a@b>\n",
                                 file: "sqitch.plan")
        }
    }

    @Test(arguments: ["2024-02-29T23:59:59Z", "2000-02-29T00:00:00Z", "2023-12-31T00:00:00Z", "1999-01-01T00:00:00Z"])
    func possibleTimestamps(_ stamp: String) throws {
        let plan = try PlanParser.parse(text: "%project=p\n\nfoo \(stamp) A <a@b>\n", file: "sqitch.plan")
        #expect(plan.changes[0].timestamp == ISO8601DateFormatter().date(from: stamp))
    }
}
