import Foundation
import Testing
@testable import SqlitchCore

/// The hand-written fast paths of plan parsing agree with the regular expressions they skip.
@Suite struct PlanParserFastPathTests {
    /// The regular-expression `cutNote`, for comparison.
    func slowCut(_ text: String) -> (String, String, String?) {
        guard let m = PlanParser.inlineNote.firstMatch(in: text, names: ["rspace", "note"]), let whole = m.range(0) else {
            return (text, "", nil)
        }
        return (String(text[..<whole.lowerBound]), m["rspace"] ?? "", m["note"])
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

    /// `scanLine` either declines or splits the line exactly as the `line` regular expression.
    private func agrees(_ body: String) -> Bool {
        guard let fast = PlanParser.scanLine(body) else { return true }
        let slow = try? PlanParser.matchLine(body) { PlanError($0) }
        return slow == fast
    }

    @Test(arguments: [
        "users 2024-01-01T00:00:00Z A <a@b>", "@v1.0 2024-01-01T00:00:00Z Ann Smith <ann@example.com>",
        "-users 2024-01-01T00:00:00Z A <a@b>", "+users [a !b p:c] 2024-01-01T00:00:00Z A <a@b>",
        "users\t[a]\t2024-01-01T00:00:00Z\tA B\t<a@b>", "users  2024-01-01T00:00:00Z  A  B  <a@b>",
        "a.b-c_d 2024-01-01T00:00:00Z Jos\u{E9} <j@x>", "users [a] 2024-01-01T00:00:00ZA <a@b>",
        "users 2024-01-01T00:00:00Z \u{A0}A <a@b>", "users \u{3000}2024-01-01T00:00:00Z A <a@b>",
        "users [] 2024-01-01T00:00:00Z A <a@b>", "users [a]b] 2024-01-01T00:00:00Z A <a@b>",
        "users 2024-01-01T00:00:00Z A <a@b> x", "users 2024-01-01T00:00:00Z A <a>b>", "users 2024-01-01T00:00:00Z <a@b>",
        "users 2024-01-01T00:00:00Z A<a@b>", "users 2024-01-01T00:00:00Z A <>", "users 2024-13-01T00:00:00Z A <a@b>",
        "users 2024-01-01 A <a@b>", "users A <a@b>", "users 2024-01-01T00:00:00Z", "-users", "@", "users",
        " users 2024-01-01T00:00:00Z A <a@b>", "us:ers 2024-01-01T00:00:00Z A <a@b>", "v1.2 2024-01-01T00:00:00Z A <a@b>",
        "x^2 2024-01-01T00:00:00Z A <a@b>", "a.-b 2024-01-01T00:00:00Z A <a@b>", "_x_ 2024-01-01T00:00:00Z A <a@b>",
    ])
    func scanLineMatchesTheRegex(_ body: String) {
        #expect(agrees(body))
    }

    /// Random edits of plan lines, with the characters the grammar cares about: whenever the
    /// scanner accepts one, the regular expression splits it the same way.
    @Test func scanLineMatchesTheRegexOnMutatedLines() {
        let bases = ["users [a !b] 2024-01-01T00:00:00Z Ann Smith <ann@example.com>",
                     "@v1 2024-02-29T23:59:59Z A <a@b>", "-a.b 2024-01-01T00:00:00Z A B <c>"]
        let alphabet: [Character] = [" ", "\t", "\u{A0}", "\u{3000}", "[", "]", "<", ">", "@", ":", "-", "+", ".",
                                     "_", "/", "^", "~", "=", "%", "#", "\\", "1", "9", "Z", "T", "a", "\u{E9}", "\r"]
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for index in 0..<20_000 {
            var line = Array(bases[index % bases.count])
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let at = Int.random(in: 0...line.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: line.insert(alphabet.randomElement(using: &generator)!, at: at)
                case 1: if at < line.count { line.remove(at: at) }
                default: if at < line.count { line[at] = alphabet.randomElement(using: &generator)! }
                }
            }
            let body = String(line)
            if PlanParser.scanLine(body) != nil { accepted += 1 }
            #expect(agrees(body), "\(body.debugDescription)")
        }
        #expect(accepted > 1_000)
    }

    @Test func arithmeticDatesMatchTheCalendar() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let (y, mo, d) = (Int.random(in: 1600...9999, using: &generator), Int.random(in: 1...12, using: &generator),
                              Int.random(in: 1...28, using: &generator))
            let (h, mi, sec) = (Int.random(in: 0...23, using: &generator), Int.random(in: 0...59, using: &generator),
                                Int.random(in: 0...59, using: &generator))
            let expected = PlanText.utcCalendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: sec))
            #expect(PlanText.utcDate(year: y, month: mo, day: d, hour: h, minute: mi, second: sec) == expected)
        }
        #expect(PlanText.utcDate(year: 2024, month: 2, day: 29, hour: 0, minute: 0, second: 0)
                == Date(timeIntervalSince1970: 1_709_164_800))
    }

    private func slowBlank(_ text: String) -> BlankLine? {
        guard !PlanParser.cannotBeBlank(text),
              let c = PlanParser.blankLine.captures(in: text, names: ["lspace", "note"]) else { return nil }
        return BlankLine(lspace: c["lspace"] ?? "", note: PlanText.decodeNote(c["note"] ?? ""))
    }

    @Test(arguments: ["", "  ", "\t", "# note", "  #  note  ", "#", "# ", "#\t\t", "  #x", "x", " x # y", "#a#b",
                      "# \\n escaped", "\u{A0}# n", "# \u{E9}", "#\r"])
    func scanBlankMatchesTheRegex(_ text: String) {
        if let fast = PlanParser.scanBlank(text), !PlanParser.cannotBeBlank(text) {
            #expect(fast == slowBlank(text))
        }
        #expect(PlanParser.blankLine(text) == slowBlank(text))
    }

    @Test(arguments: ["%syntax-version=1.0.0", "%project=flipr", "%uri=https://example.com/x?a=b", "%a=b=c", "%x.y=1",
                      "%-x=1", "%x-=1", "%x =1", "%x= 1", "% x=1", "%x", "%x=", "%_=v", "%p=\u{E9}", "%p=a b",
                      "%x:y=1", " %x=1"])
    func scanPragmaMatchesTheRegex(_ body: String) {
        if let fast = PlanParser.scanPragma(body) {
            let slow = PlanParser.matchPragma(body)
            #expect(fast.name == slow?.name)
            #expect(fast.value == slow?.value)
            #expect([fast.lspace, fast.hspace, fast.lopspace, fast.operator, fast.ropspace]
                    == [slow?.lspace, slow?.hspace, slow?.lopspace, slow?.operator, slow?.ropspace])
        }
    }

    @Test(arguments: ["flipr", "a", "_", "a.b", "a-b_c", "x1", "1x", "a.", "-a", "a-", "a b", "a:b", "é", "a^1", "a/b", ""])
    func simpleNamesAreValidNames(_ name: String) {
        if PlanNames.isSimpleName(Array(name.utf8)[...]) {
            #expect(PlanNames.fullName.matches(name))
        }
    }
}

/// The ill-formed sequences PerlIO::utf8_strict names (each checked with Perl 5.36).
@Suite struct StrictUTF8Tests {
    @Test(arguments: [
        ([0xFF], [0xFF]), ([0xE2, 0x82, 0x41], [0xE2, 0x82]), ([0xC0, 0x80], [0xC0]), ([0xED, 0xA0, 0x80], [0xED]),
        ([0xF4, 0x90, 0x80, 0x80], [0xF4]), ([0x61, 0xE2, 0x82], [0xE2, 0x82]), ([0xC3], [0xC3]), ([0x80, 0x80], [0x80]),
        ([0x6F, 0x0A, 0x62, 0xFE, 0xFF], [0xFE]), ([0x78, 0xE2, 0x82, 0xAC, 0x79, 0xE2, 0x28, 0xA1], [0xE2]),
    ] as [([UInt8], [UInt8])])
    func illFormedSequenceIsPerls(_ bytes: [UInt8], _ expected: [UInt8]) {
        #expect(FileSystem.illFormedUTF8(bytes) == expected)
    }

    @Test func validTextHasNone() {
        #expect(FileSystem.illFormedUTF8(Array("caf\u{E9} \u{1F600} \u{10FFFF}".utf8)) == nil)
    }
}
