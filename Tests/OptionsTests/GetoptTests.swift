import Testing
@testable import SqlitchCore

/// Expectations were taken from Perl's Getopt::Long configured as Sqitch configures it
/// (`bundling`, `no_pass_through` for commands, `pass_through` for core options).
@Suite struct GetoptTests {
    static let getopt = Getopt([
        "event=s", "target|t=s", "change-pattern|change=s", "format|f=s", "max-count|n=i", "reverse!",
        "no-color", "headers!", "verbose|V|v+", "set|s=s%", "note|n2|m=s@", "y", "log-only",
    ])

    /// The options as `name=value` words in order, then the arguments and errors.
    static func read(_ line: String, passThrough: Bool = false) -> (options: [String], arguments: [String], errors: [String]) {
        let words = line.split(separator: " ").map(String.init)
        let result = getopt.parse(words, passThrough: passThrough)
        let options = result.options.map { name, value -> String in
            switch value {
            case .on: return name
            case .off: return "no-" + name
            case .text(let text): return name + "=" + text
            case .integer(let n): return name + "=" + String(n)
            case .pair(let key, let text): return name + "=" + key + "=" + text
            }
        }
        return (options, result.arguments, result.errors)
    }

    @Test(arguments: [
        ("--form x a", ["format=x"], ["a"]),
        ("--f x", ["format=x"], []),
        ("-fx", ["format=x"], []),
        ("--ta=db", ["target=db"], []),
        ("--Format x", ["format=x"], []),
        ("--no-r", ["no-reverse"], []),
        ("--nor", ["no-reverse"], []),
        ("--noreverse", ["no-reverse"], []),
        ("--reverse --no-reverse", ["reverse", "no-reverse"], []),
        ("-vvv", ["verbose", "verbose", "verbose"], []),
        ("-vn2", ["verbose", "max-count=2"], []),
        ("-n2v", ["max-count=2", "verbose"], []),
        ("--max=+1_0", ["max-count=10"], []),
        ("-sfoo=bar --set=a=b", ["set=foo=bar", "set=a=b"], []),
        ("-y a -- -b", ["y"], ["a", "-b"]),
        ("--log", ["log-only"], []),
        ("-", [], ["-"]),
        ("--", [], []),
        ("-m a -m b --note c", ["note=a", "note=b", "note=c"], []),
        ("--n2 x", ["note=x"], []),
        ("--c x", ["change-pattern=x"], []),
        ("--e x --event y", ["event=x", "event=y"], []),
    ])
    func accepted(_ line: String, _ options: [String], _ arguments: [String]) {
        let result = GetoptTests.read(line)
        #expect(result.errors == [])
        #expect(result.options == options)
        #expect(result.arguments == arguments)
    }

    @Test(arguments: [
        ("--t", ["Option t requires an argument"]),
        ("--n", ["Option n requires an argument"]),
        ("--e", ["Option event requires an argument"]),
        ("--se", ["Option set requires an argument"]),
        ("--no", ["Option no is ambiguous (no-color, no-headers, no-reverse, noheaders, noreverse, note)"]),
        ("-nx", [#"Value "x" invalid for option n (number expected)"#, "Unknown option: x"]),
        ("--set foo", [#"Option set, key "foo", requires a value"#]),
        ("--log-only=1", ["Option log-only does not take an argument"]),
        ("-F x", ["Unknown option: F"]),
        ("--=x", ["Unknown option: =x"]),
        ("--bogus --nope", ["Unknown option: bogus", "Unknown option: nope"]),
    ])
    func rejected(_ line: String, _ errors: [String]) {
        #expect(GetoptTests.read(line).errors == errors)
    }

    @Test func bundledRemainderIsReadAgainAfterAKeyError() {
        let result = GetoptTests.read("-sfoo")
        #expect(result.errors == [#"Option s, key "foo", requires a value"#])
        #expect(result.options == ["format=oo"])
    }

    @Test func passThroughLeavesWhatItCannotRead() {
        var args = ["--qu", "plan", "--one", "-vV", "--ver", "--", "-v"]
        let core = CoreOptions.extract(from: &args)
        #expect(core.quiet && core.verboseCount == 2)
        #expect(args == ["plan", "--one", "--ver", "--", "-v"])
        // A value is taken even when it looks like an option; a missing one leaves the word.
        var missing = ["--chdir", "-vV", "plan", "--chdir"]
        #expect(CoreOptions.extract(from: &missing).chdir == "-vV")
        #expect(missing == ["plan", "--chdir"])
        let getopt = Getopt(["chdir|cd|C=s"])
        let chdir = getopt.parse(["--c", "dir", "-Cother", "--cd=third"], passThrough: true)
        #expect(chdir.values("chdir") == [.text("dir"), .text("other"), .text("third")])
    }
}

/// Command lines without an option word or `--` skip building the grammars: that must be what
/// parsing them would give.
@Suite struct OptionFreeLineTests {
    static let lines: [[String]] = [
        [], ["help"], ["status", "db:pg:"], ["-"], ["deploy", "-", "x"], ["add", "a b", ""], ["é", "@HEAD^", "x-y"],
    ]

    @Test(arguments: lines)
    func parsingFindsOnlyArguments(_ line: [String]) throws {
        #expect(!Getopt.hasOptionWords(line))
        for passThrough in [false, true] {
            let result = GetoptTests.getopt.parse(line, passThrough: passThrough)
            #expect(result.options.isEmpty && result.errors.isEmpty && result.arguments == line)
        }
        let core = try CoreOptions.grammar.parse(line, into: CoreOptions(), passThrough: true)
        #expect(core.options == CoreOptions() && core.arguments == line)
        var rest = line
        #expect(CoreOptions.extract(from: &rest) == CoreOptions() && rest == line)
    }

    @Test(arguments: [["--"], ["a", "--", "b"], ["-v"], ["x", "--verbose"], ["--chdir=x"], ["-Cx"]])
    func optionWordsAreSeen(_ line: [String]) {
        #expect(Getopt.hasOptionWords(line))
    }

    /// Each command's own grammar reads an option-free line as its bare options and the line,
    /// which is what `CommandDefinition.run` assumes without building it.
    @Test func everyCommandGrammarAgrees() throws {
        for command in CommandCatalog.all {
            for line in Self.lines {
                let parsed = try command.parseWithGrammar(line)
                #expect(parsed.read == parsed.bare && parsed.arguments == line, "\(command.name): \(line)")
            }
            // The comparison sees a read option.
            if let flag = command.allOptions.first(where: { $0.kind == .flag && !$0.parsedByCore })?.names.first {
                let parsed = try command.parseWithGrammar([flag.count == 1 ? "-" + flag : "--" + flag])
                #expect(parsed.read != parsed.bare, "\(command.name) --\(flag)")
            }
        }
    }
}
