import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The manual pages: one per command and guide plus sqlitch(1), the same text as `help`.
@Suite struct ManPagesTests {
    @Test func aPageForEachCommandAndGuide() {
        let files = ManPages.all.map(\.file)
        #expect(files.first == "sqlitch.1")
        for command in HelpDocuments.commandNames { #expect(files.contains("sqlitch-\(command).1")) }
        #expect(files.contains("sqlitchchanges.1"))
        #expect(files.contains("sqlitch-configuration.1"))
        #expect(Set(files).count == files.count)
    }

    @Test func roffEscapes() {
        let page = ManPages.roff(name: "x", text: "Name\n    a-b \\ c\n    .dot\n\nMore\n    'quote")
        #expect(page == """
            .TH "X" "1" "" "sqlitch \(SqlitchVersion.string)" "sqlitch Manual"
            .nh
            .ad l
            .SH "NAME"
            .nf
            a\\-b \\e c
            \\&.dot

            .fi
            .SH "MORE"
            .nf
            \\&'quote
            .fi

            """)
    }

    /// `man` shows what `help` prints: the headings in capitals, the lines as written.
    @Test(arguments: ["deploy", "log", "config", "changes"])
    func manShowsTheHelpText(_ topic: String) throws {
        let help = try #require(HelpDocuments.page(for: topic))
        let name = topic == "changes" ? "sqlitchchanges" : "sqlitch-\(topic)"
        let page = try #require(ManPages.all.first { $0.file == name + ".1" })
        let directory = try TemporaryDirectory()
        try directory.write("page.1", page.text)
        let man = try SpawnRunner.start(
            path: "/bin/sh", arguments: ["-c", "man -l page.1 | col -bx"],
            environment: ["PATH": "/usr/bin:/bin", "MANWIDTH": "200", "LANG": "C.UTF-8", "MANPAGER": "cat"],
            directory: directory.path).finish()
        #expect(man.exitStatus == 0, "\(man.standardError)")
        // man indents a section's lines by seven columns where help indents by four.
        var expected: [String] = []
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { expected.append(""); continue }
            expected.append(line.hasPrefix(" ") ? "   " + line : line.uppercased())
        }
        var shown = man.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map {
            var line = String($0)
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
        // Drop the header and footer lines and the blank lines around them.
        shown = Array(shown.dropFirst().drop { $0.isEmpty })
        while shown.last?.isEmpty == true || shown.last?.hasPrefix("sqlitch ") == true { shown.removeLast() }
        #expect(shown == expected)
    }

    @Test func manpagesWritesThePages() throws {
        let context = try TestContext()
        let command = try #require(CommandCatalog.command(named: "manpages"))
        #expect(try command.run(context.sqitch(), ["man/man1"], CommandInvocation()) == 0)
        for page in ManPages.all {
            #expect(context.directory.read("man/man1/" + page.file) == page.text)
        }
        #expect(context.out.text.hasPrefix("Wrote man/man1/sqlitch.1\n"))
        #expect(throws: UsageError("")) { _ = try command.run(context.sqitch(), [], CommandInvocation()) }
    }
}
