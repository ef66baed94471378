import Foundation
import Testing
@testable import SqlitchCore

/// The library's own string functions and regular expressions give what Foundation's gave
/// before the library moved to FoundationEssentials: each is compared with Foundation here.
@Suite struct TextFunctionsTests {
    static let texts = [
        "", " ", "a", " a ", "\ta\u{3000}", "\u{85}x\u{2028}", "\u{200B}x\u{200B}", "x\u{1C}", "\u{A0}é \n b\u{2029}",
        "\r\n x \r\n", "\u{1680}\u{202F}y\u{205F}", "\u{FEFF}z", "e\u{301} ", " 🇫🇷 ",
    ]

    @Test(arguments: texts)
    func trimmingAsFoundation(_ text: String) {
        #expect(text.trimming(.whitespaces) == text.trimmingCharacters(in: CharacterSet.whitespaces))
        #expect(text.trimming(.whitespacesAndNewlines) == text.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines))
    }

    /// By Unicode scalar, as Perl's `s///g` and NSString's literal search match.
    @Test(arguments: [("a.b.c", ".", "/"), ("aaa", "aa", "b"), ("", "x", "y"), ("%5B%5b", "%5B", "["),
                      ("é", "e", "x"), ("x\u{301}y", "x", "_"), ("ab", "", "z"), ("🇫🇷🇫🇷", "🇫🇷", "f"),
                      ("x'\u{200D}y'", "'", "''"), ("'\u{301}", "'", "''"), ("\u{0600}'", "'", "\\'"), ("a\r\nb", "\n", " ")])
    func replacingAsPerl(_ text: String, _ target: String, _ replacement: String) {
        let ours = text.replacingEvery(target, with: replacement)
        let literal = target.isEmpty ? text
            : (text as NSString).replacingOccurrences(of: target, with: replacement, options: .literal, range: NSRange(location: 0, length: (text as NSString).length))
        #expect(ours == literal)
    }

    // Foundation on Linux crashes on a relative path of one component ("a", "a/"): those are
    // checked against what NSString gives on macOS.
    @Test(arguments: ["/a/b", "/a/b/", "/a", "/", "a/b", "", "/a//b", "//a", "./x", "../x/y/"])
    func pathsAsNSString(_ path: String) {
        let ns = path as NSString
        #expect(PathText.deletingLastComponent(path) == ns.deletingLastPathComponent)
        #expect(PathText.lastComponent(path) == ns.lastPathComponent)
    }

    /// SQL and shell quoting double every quote, whatever follows it.
    @Test func quotesBeforeJoinersAndMarks() {
        #expect("x'\u{200D}y'".replacingEvery("'", with: "''") == "x''\u{200D}y''")
        #expect("'\u{301}".replacingEvery("'", with: "''") == "''\u{301}")
        #expect("\u{0600}'".replacingEvery("'", with: "''") == "\u{0600}''")
    }

    @Test func combiningMarksAfterSlashes() {
        #expect(PathText.deletingLastComponent("/x/\u{301}f") == "/x")
        #expect(PathText.lastComponent("/x/\u{301}f") == "\u{301}f")
    }

    @Test func singleComponentPaths() {
        #expect(PathText.deletingLastComponent("a") == "")
        #expect(PathText.deletingLastComponent("a/") == "")
        #expect(PathText.lastComponent("a/") == "a")
    }

    @Test func lastRange() {
        let script = "BEGIN; x COMMIT; y COMMIT;\n"
        let range = script.lastRange(of: "COMMIT;")
        #expect(range.map { script.distance(from: script.startIndex, to: $0.lowerBound) } == 19)
        #expect("abc".lastRange(of: "x") == nil)
        #expect("aaa".lastRange(of: "aa").map { "aaa".distance(from: "aaa".startIndex, to: $0.lowerBound) } == 1)
    }

    @Test func formatsNumbersAsPrintf() {
        #expect(cFormat("%.15g", 0.1) == String(format: "%.15g", 0.1))
        #expect(cFormat("%.15g", 1e300) == String(format: "%.15g", 1e300))
        for byte in [UInt8(0), 7, 10, 127, 128, 255] { #expect(hexDigits(byte) == String(format: "%02X", byte)) }
        let long = cFormat("%0100d", 5)
        #expect(long.count == 100 && long.hasSuffix("5"))
    }
}

/// `RegularExpression` matches as `NSRegularExpression` does: both are ICU's engine.
@Suite struct RegularExpressionTests {
    static let cases: [(String, String)] = [
        (#"(?<![_.-])([~^])(?:(\1)|(\d+))?\z"#, "foo^12"),
        (#"(?<![_.-])([~^])(?:(\1)|(\d+))?\z"#, "foo~~"),
        (#"(?<![_.-])([~^])(?:(\1)|(\d+))?\z"#, "foo_~"),
        (#"\.(\w+)\.(?:\1)+\z"#, "x.sql.sql"),
        (#"\w+"#, "été ü 日本"),
        (#"^[^:]*:\d*$"#, "host:5432"),
        (#":\d+$"#, "host:5432\n"),
        (#"(password=)(?:\\.|[^ \\])*"#, #"host=x password=a\ b user=y password=z"#),
        ("a|", "xyz"),
        ("(?i)ABC", "xabcx"),
        (#"\d{4}-\d{2}"#, "2026-12 and 2027-01"),
        ("é", "e\u{301}"),
        ("[", "x"),
        ("(?<n>a)(b)?", "ac"),
    ]

    @Test(arguments: cases.indices)
    func matchesAsNSRegularExpression(_ index: Int) throws {
        let (pattern, text) = Self.cases[index]
        let foundation = try? NSRegularExpression(pattern: pattern)
        let ours = try? RegularExpression(pattern)
        #expect((foundation == nil) == (ours == nil), "compiles: \(pattern)")
        guard let foundation, let ours else { return }
        let expected = foundation.matches(in: text, range: NSRange(text.startIndex..., in: text))
        let found = ours.matches(in: text)
        #expect(found.count == expected.count, "\(pattern) on \(text)")
        for (match, reference) in zip(found, expected) {
            for group in 0..<reference.numberOfRanges {
                #expect(match.range(group) == Range(reference.range(at: group), in: text), "group \(group) of \(pattern)")
            }
        }
    }

    @Test func caseInsensitiveAndNamedGroups() throws {
        let keys = try RegularExpression("^CORE\\.", options: [.caseInsensitive])
        #expect(keys.matches("core.engine"))
        #expect(!keys.matches("xcore.engine"))
        let named = try RegularExpression("(?<name>[a-z]+)(?:@(?<tag>[a-z0-9]+))?")
        #expect(named.captures(in: "users@v1", names: ["name", "tag", "missing"]) == ["name": "users", "tag": "v1"])
        #expect(named.captures(in: "users", names: ["name", "tag"]) == ["name": "users"])
        #expect(named.captures(in: "123", names: ["name"]) == nil)
    }

    @Test func emptyPatternIsRefusedAsICURefusesIt() {
        #expect(throws: RegularExpression.InvalidPattern.self) { try RegularExpression("") }
        #expect((try? NSRegularExpression(pattern: "")) == nil)
    }

    @Test func replacesEachMatch() throws {
        let uri = try RegularExpression(#"(://[^/@:]*:)[^/@]*@"#)
        #expect(uri.replacingMatches(in: "db:pg://me:secret@host/db") { ($0[1] ?? "") + "***@" } == "db:pg://me:***@host/db")
        #expect(uri.replacingMatches(in: "nothing") { _ in "x" } == "nothing")
    }

    @Test func sharedAcrossThreads() async throws {
        let expression = try RegularExpression(#"(\d+)-(\d+)"#)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for n in 0..<200 {
                group.addTask { expression.firstMatch(in: "x \(n)-\(n * 2) y")?[2] == String(n * 2) }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
