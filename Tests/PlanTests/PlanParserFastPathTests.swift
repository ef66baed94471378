import Foundation
import Testing
@testable import SqlitchCore

/// The hand-written fast paths of plan parsing agree with the regular expressions they skip.
@Suite struct PlanParserFastPathTests {
    /// The regular-expression `cutNote`, for comparison.
    func slowCut(_ text: String) -> (String, String, String?) {
        let ns = text as NSString
        guard let m = PlanParser.inlineNote.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else {
            return (text, "", nil)
        }
        let note = m.range(withName: "note")
        return (ns.substring(to: m.range.location), ns.substring(with: m.range(withName: "rspace")),
                note.location == NSNotFound ? nil : ns.substring(with: note))
    }

    @Test(arguments: [
        "users 2024-01-01T00:00:00Z A <a@b> # note", "users 2024-01-01T00:00:00Z A <a@b>",
        "users 2024-01-01T00:00:00Z A <a@b>   ", "x\t \u{3000}#\t  note # more  ", "#", "  #", "", "   ",
        "a#b#c", "caf\u{E9} \u{A0}# \u{1F600} ✓", "name [a !b] 2024-01-01T00:00:00Z A <a@b>#tight",
    ])
    func cutNoteMatchesTheRegex(_ text: String) {
        let fast = PlanParser.cutNoteFast(text)
        let slow = slowCut(text)
        #expect(fast?.0 == slow.0)
        #expect(fast?.1 == slow.1)
        #expect(fast?.2 == slow.2)
    }

    @Test func lineTerminatorsUseTheRegex() {
        #expect(PlanParser.cutNoteFast("a # b\u{2028}c") == nil)
        #expect(PlanParser.cutNoteFast("a\rb") == nil)
    }

    @Test(arguments: ["users", "!users", "change_0001", "a-b", "x", "9lives", "A1",
                      "0123456789abcdef0123456789abcdef01234567"])
    func simpleDependencies(_ spec: String) {
        let simple = Dependency.parseSimple(spec)
        let isID = spec.count == 40
        #expect((simple == nil) == isID)
        if let simple {
            #expect(simple == Dependency.parse(spec))
        }
    }

    @Test(arguments: ["_x", "x_", "x-", "p:x", "x@t", "@t", "!", "", "é", "x y"])
    func otherDependenciesUseTheGrammar(_ spec: String) {
        #expect(Dependency.parseSimple(spec) == nil)
    }

    @Test(arguments: [0.0, -1.0, 951_782_400.0, 1_709_251_199.0, 1_709_251_200.0, 4_102_444_799.0, -2_208_988_800.0,
                      253_402_300_799.0, 1_704_164_645.5])
    func rawTimestampMatchesTheCalendar(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let c = PlanText.utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        #expect(PlanText.rawTimestamp(date) == expected)
    }
}

/// Notes are trimmed as Foundation's `whitespacesAndNewlines` trims them.
@Suite struct NoteTrimTests {
    @Test(arguments: [" a ", "a", "\ta\u{3000}", "\u{85}x\u{2028}", "\u{200B}x", "x\u{1C}", "  ", "", "\u{A0}é \\n b\u{2029}"])
    func decodeNoteTrimsLikeFoundation(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(PlanText.decodeNote(raw) == PlanText.decodeNote(trimmed))
        #expect(!PlanText.isTrimmable(trimmed.unicodeScalars.first))
        #expect(!PlanText.isTrimmable(trimmed.unicodeScalars.last))
    }

    @Test func trimmableIsFoundationsSet() {
        let set = CharacterSet.whitespacesAndNewlines
        for value in 0..<0x11000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(PlanText.isTrimmable(scalar) == set.contains(scalar), "U+\(String(value, radix: 16))")
        }
    }
}
