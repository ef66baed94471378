import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The worked example of the fact sheet (IDs verified with Sqitch 1.3.1).
@Suite struct PlanIDTests {
    func load(_ name: String) throws -> Plan {
        let text = try String(contentsOfFile: Fixtures.path("plans/" + name), encoding: .utf8)
        return try PlanParser.parse(text: text, file: "sqitch.plan")
    }

    @Test func workedExampleIDs() throws {
        let plan = try load("worked.plan")
        #expect(plan.project == "demo")
        #expect(plan.changes.map(\.id) == ["11ad1011ccfc9d03dae5a267ced5f75b3f134659",
                                           "a48e04917aca384d5ca3d6e44dee18c7f67aad4f"])
        #expect(plan.changes[0].info == "project demo\nuri https://example.com/demo/\nchange users\nplanner Alice Example <alice@example.com>\ndate 2024-01-02T03:04:05Z\n\nAdd users.")
        #expect(plan.changes[1].info == """
            project demo
            uri https://example.com/demo/
            change posts
            parent 11ad1011ccfc9d03dae5a267ced5f75b3f134659
            planner Alice Example <alice@example.com>
            date 2024-01-02T03:05:00Z
            requires
              + users
            conflicts
              - other:legacy

            Add posts.
            Second line.
            """)
        let tag = try #require(plan.changes[1].tags.first)
        #expect(tag.info == "project demo\nuri https://example.com/demo/\ntag @v1.0\nchange a48e04917aca384d5ca3d6e44dee18c7f67aad4f\nplanner Bob <bob@example.org>\ndate 2024-01-03T00:00:00Z\n\nRelease 1.0.")
        #expect(tag.id == "a82331ffe5c3f99e2380e5a5a8ad49e1813364bf")
    }

    @Test func withoutURIAndLocalConflict() throws {
        let text = """
            %syntax-version=1.0.0
            %project=demo

            users 2024-01-02T03:04:05Z Alice Example <alice@example.com> # Add users.
            posts [users !legacy] 2024-01-02T03:05:00Z Alice Example <alice@example.com> # Add posts.\\nSecond line.

            """
        let plan = try PlanParser.parse(text: text, file: "sqitch.plan")
        #expect(plan.changes.map(\.id) == ["e7d39879ab33b3709fbb4d78599e782aed91092c",
                                           "1c207ce0145a41087739b97f4908d01755ee5120"])
    }

    @Test func nonASCIIBytesCount() throws {
        let text = "%project=démo\n\nçafé 2024-01-02T03:04:05Z Zoë Ünïcode <z@example.com> # Ünïcode note.\n"
        let plan = try PlanParser.parse(text: text, file: "sqitch.plan")
        #expect(plan.changes[0].id == "49cfea60c3f3c10955f45ac7c9bc11a6f5bd17c2")
    }

    /// Expected values made with Debian's Perl URI 5.17 (`URI->new($s)->canonical`).
    @Test(arguments: [
        ("not a uri", "not%20a%20uri"),
        ("https://[::1]:8080/x[y]", "https://[::1]:8080/x%5By%5D"),
        ("mailto:a[b]@x.com", "mailto:a[b]@x.com"),
        ("<URL:http://x.com/ä>", "http://x.com/%C3%A4"),
        ("urn:foo:a b", "urn:foo:a%20b"),
        ("http://us[er]@host/p", "http://us%5Ber%5D@host/p"),
        ("https://example.com/%7efoo%2fbar%e4", "https://example.com/~foo%2Fbar%E4"),
        ("HTTP://Example.com", "http://example.com/"),
        ("ftp://h/%5b[x]", "ftp://h/%5B%5Bx%5D"),
        ("https://h:/p", "https://h/p"),
        ("x:ä", "x:%C3%A4"),
        ("https://example.com/a#frag ment", "https://example.com/a#frag%20ment"),
        ("\"https://q.com/\"", "https://q.com/"),
        ("http://x.com/%21%2A%27%28%29%7e%2d", "http://x.com/!*'()~-"),
        ("https://github.com/a b\"c{d}|^`\\", "https://github.com/a%20b%22c%7Bd%7D%7C%5E%60%5C"),
    ])
    func canonicalURIEscapesAsURIpm(_ input: String, _ expected: String) {
        #expect(PlanIDs.canonicalURI(input) == expected)
    }

    /// Non-ASCII hosts of server URIs in IDNA form, as Debian's Perl URI 5.17 gives them.
    @Test(arguments: [
        ("https://Exämple.COM:443/a", "https://xn--exmple-cua.com/a"),
        ("http://bücher.de/", "http://xn--bcher-kva.de/"),
        ("https://user@Ünïcödé.例え.jp:8080/p", "https://user@xn--ncd-dma1a7bzb.xn--r8jz45g.jp:8080/p"),
        ("http://a..ä/x", "http://a..%C3%A4/x"),
        ("http://münchen./", "http://xn--mnchen-3ya./"),
        ("ftp://ÄÖÜ/", "ftp://xn--4ca0bs/"),
        ("x://exämple/", "x://ex%C3%A4mple/"),
        ("http://ß.com/", "http://xn--zca.com/"),
        ("https://日本語.jp/", "https://xn--wgv71a119e.jp/"),
        ("http://xn--a.ä/", "http://xn--a.xn--4ca/"),
        ("http://a b.com/", "http://a%20b.com/"),
        ("sip://ä", "sip://xn--4ca"),
        // Only server URIs lower-case the host and drop default ports; only http(s) add `/`.
        ("x://EXAMPLE/", "x://EXAMPLE/"), ("ws://H:80", "ws://H:80"), ("ftp://H", "ftp://h"),
        ("ftp://H:21", "ftp://h"), ("http://H?x", "http://h?x"), ("x://H%7e:1/", "x://H~:1/"),
        ("gopher://H:70", "gopher://h"), ("https://H", "https://h/"),
    ])
    func canonicalURIGivesServerHostsInIDNAForm(_ input: String, _ expected: String) {
        #expect(PlanIDs.canonicalURI(input) == expected)
    }

    @Test func canonicalURIGivesSameID() throws {
        #expect(PlanIDs.canonicalURI("HTTPS://Example.COM:443/Demo/%7e") == "https://example.com/Demo/~")
        let a = try PlanParser.parse(text: "%project=demo\n%uri=HTTPS://Example.COM:443/Demo/%7e\n\nx 2024-01-02T03:04:05Z A <a@b>\n", file: "p")
        let b = try PlanParser.parse(text: "%project=demo\n%uri=https://example.com/Demo/~\n\nx 2024-01-02T03:04:05Z A <a@b>\n", file: "p")
        #expect(a.changes[0].id == b.changes[0].id)
    }

    @Test func scriptHash() throws {
        #expect(PlanIDs.sha1(Data("CREATE TABLE users (id INT);\n".utf8)) == "b47c2c661acc82854fa05a69cf8fa7e110c4d5f1")
    }
}

@Suite struct CivilDateTests {
    @Test(arguments: [0, 951_782_400, 1_709_164_799, 4_107_542_400, -62_135_596_800, 1_767_225_599, -1])
    func epochSecondsInvertsCivil(_ seconds: Int) {
        let c = PlanText.civil(seconds)
        #expect(PlanText.epochSeconds(year: c.year, month: c.month, day: c.day, hour: c.hour,
                                      minute: c.minute, second: c.second) == seconds)
    }

    @Test func registryTimestampsAreUTC() {
        let date = Registry.parseTimestamp("year:2024:month:02:day:29:hour:23:minute:59:second:58:time_zone:UTC")
        #expect(date == Date(timeIntervalSince1970: 1_709_251_198))
        #expect(Registry.parseTimestamp("nonsense") == nil)
    }
}
