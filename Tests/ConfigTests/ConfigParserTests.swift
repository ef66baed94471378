import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Parses `text` and returns its dump (as `config --list` shows it, less the final newline).
func dumped(_ text: String) throws -> String {
    let file = try ConfigFile.parse(text, path: "/p/sqitch.conf", scope: .local)
    return ConfigStack(files: [file]).dump()
}

func parseFailure(_ text: String) -> String? {
    do {
        _ = try ConfigFile.parse(text, path: "/p/sqitch.conf", scope: .local)
        return nil
    } catch let error as any SqitchFailure {
        return error.exitCode == 255 ? error.message : "exit \(error.exitCode)"
    } catch {
        return "\(error)"
    }
}

@Suite struct ConfigParserTests {
    @Test func valuesCollapseBlanksKeepTrailingBlankAndDropComments() throws {
        #expect(try dumped("[core]\n\ta = x   \n\tb = \"q\\\"r\"  # c\n\tc = a#b ;x\n[Core \"Sub\"]\n\tK = 1\n")
            == "core.Sub.k=1\ncore.a=x \ncore.b=q\\\"r\ncore.c=a#b\n")
    }

    @Test func escapesContinuationsAndQuotedNewlines() throws {
        #expect(try dumped("[core]x=1\n y = a\\\n  b\n") == "core.x=1\ncore.y=a b\n")
        #expect(try dumped("[core]\n\tz = a \\\"q\\\" \\t\\n\\b\\\\ ; c\n") == "core.z=a \"q\" \t\n\u{8}\\\n")
        #expect(try dumped("[core]\n\tk = \"a\nb\"\n") == "core.k=a\nb\n")
        #expect(try dumped("[c]\nk = é ü\n") == "c.k=é ü\n")
    }

    @Test func sectionsAreCaseInsensitiveAndSubsectionsAreNot() throws {
        #expect(try dumped("[a \"x\"]\nk=1\n[A \"x\"]\nk=2\n[a \"X\"]\nk=3\n") == "a.X.k=3\na.x.k=[1, 2]\n")
        #expect(try dumped("[core \"a\\\"b\"]\nx=1\n") == "core.a\"b.x=1\n")
        #expect(try dumped("[core \"\"]\nk=1\n[core \"0\"]\nj=2\n") == "core.j=2\ncore.k=1\n")
        #expect(try dumped("[core]\n\tz\n\tw # c\n\tv ; x=y\n") == "core.v\ncore.w\ncore.z\n")
    }

    @Test func crlfFilesParse() throws {
        #expect(try dumped("[core]\r\n\tk = v\r\n") == "core.k=v\n")
    }

    @Test func malformedFilesGiveGitLikesMessage() {
        #expect(parseFailure("[core]\n\tengine = pg\n\tfoo = \"bar\n")
            == "Error parsing /p/sqitch.conf at line 4, position 1.\nBad line was: '\tfoo = \"bar'")
        #expect(parseFailure("x = 1\n") == "Error parsing /p/sqitch.conf at line 2, position 0.\nBad line was: 'x = 1'")
        #expect(parseFailure("[core]\na=1\n[bad\nb=2\n")
            == "Error parsing /p/sqitch.conf at line 4, position 0.\nBad line was: '[bad'")
        #expect(parseFailure("[core \"a\"b\"]\nx=1\n")
            == "Error parsing /p/sqitch.conf at line 2, position 0.\nBad line was: '[core \"a\"b\"]'")
        #expect(parseFailure("[core]\n\tz = \"a\\xb\"\n")
            == "Error parsing /p/sqitch.conf at line 3, position 1.\nBad line was: '\tz = \"a\\xb\"'")
        #expect(parseFailure("\n\n  [core]  \n\n\t\tk = v\n\n\n[a]\n=x\n")
            == "Error parsing /p/sqitch.conf at line 10, position 0.\nBad line was: '=x'")
    }

    @Test func laterScopesReplaceAKeyAsAWhole() throws {
        let user = try ConfigFile.parse("[a]\nk = 1\nk = 2\nj = x\n", path: "u", scope: .user)
        let local = try ConfigFile.parse("[a]\nK = 3\n", path: "l", scope: .local)
        let stack = ConfigStack(files: [user, local])
        #expect(stack.getAll("a.k") == ["3"])
        #expect(try stack.get("a.k") == "3")
        #expect(try stack.get("A.J") == "x")
        #expect(stack.dump() == "a.j=x\na.k=3\n")
        #expect(throws: ConfigError("More then one value for the key \"a.k\"")) {
            try ConfigStack(files: [user]).get("a.k")
        }
    }
}

@Suite struct ConfigValueTypeTests {
    @Test func castsAsGitLike() throws {
        #expect(try ConfigValueType.bool.cast("yes") == "true")
        #expect(try ConfigValueType.bool.cast("Off") == "false")
        #expect(try ConfigValueType.bool.cast("") == "false")
        #expect(try ConfigValueType.bool.cast("-001") == "true")
        #expect(try ConfigValueType.bool.cast(nil) == "1")
        #expect(try ConfigValueType.int.cast("1k") == "1024")
        #expect(try ConfigValueType.int.cast("2m") == "2097152")
        #expect(try ConfigValueType.int.cast("1.7") == "1")
        #expect(try ConfigValueType.num.cast("1.5k") == "1536")
        #expect(try ConfigValueType.num.cast("0.25") == "0.25")
        #expect(try ConfigValueType.boolOrInt.cast("on") == "true")
        #expect(try ConfigValueType.boolOrInt.cast("3k") == "3072")
    }

    @Test func castErrors() {
        #expect(throws: ConfigError("Invalid unit while casting to int\n")) { try ConfigValueType.int.cast("pg") }
        #expect(throws: ConfigError("Invalid unit while casting to num\n")) { try ConfigValueType.num.cast("1x") }
        #expect(throws: ConfigError("Invalid bool 'x'\n")) { try ConfigValueType.bool.cast("x") }
        #expect(throws: ConfigError("Invalid bool-or-int 'x'\n")) { try ConfigValueType.boolOrInt.cast("x") }
    }
}

@Suite struct ConfigWriterTests {
    @Test func apiEditsInPlace() throws {
        let dir = try TemporaryDirectory()
        let files = FileSystem(workingDirectory: dir.path)
        let writer = ConfigWriter(path: "sqitch.conf", files: files)
        try writer.set("core.engine", "pg")
        try writer.set("engine.pg.target", "db:pg:x")
        try writer.set("core.engine", "sqlite")
        try writer.add("core.var", "a")
        try writer.add("core.var", "b")
        #expect(throws: ConfigError("Multiple occurrences of non-multiple key?", reason: .multipleValues)) {
            try writer.set("core.var", "c")
        }
        try writer.unset("core.var", all: true)
        try writer.renameSection(from: "engine.pg", to: "engine.postgres")
        #expect(dir.read("sqitch.conf") == "[core]\n\tengine = sqlite\n[engine \"postgres\"]\n\ttarget = db:pg:x\n")
        try writer.removeSection("engine.postgres")
        #expect(dir.read("sqitch.conf") == "[core]\n\tengine = sqlite\n")
        #expect(throws: ConfigError("No such section 'nope'\n", reason: .noSuchSection)) { try writer.removeSection("nope") }
    }

    @Test func writesInANewDirectoryAndKeepsCRLF() throws {
        let dir = try TemporaryDirectory()
        let files = FileSystem(workingDirectory: dir.path)
        try ConfigWriter(path: "home/.sqitch/sqitch.conf", files: files).set("user.name", "Ann")
        #expect(dir.read("home/.sqitch/sqitch.conf") == "[user]\n\tname = Ann\n")
        try dir.write("crlf.conf", "[core]\r\n\ta = 1\r\n")
        try ConfigWriter(path: "crlf.conf", files: files).set("core.b", "2")
        #expect(dir.read("crlf.conf") == "[core]\r\n\ta = 1\r\n\tb = 2\r\n")
    }

    @Test func formatting() {
        #expect(ConfigWriter.formatDefinition("k", " lead", bare: false) == "\tk = \" lead\"\n")
        #expect(ConfigWriter.formatDefinition("k", "a#b", bare: true) == "k = \"a#b\"")
        #expect(ConfigWriter.formatDefinition("k", "a\nb\\", bare: true) == "k = a\\nb\\\\")
        #expect(ConfigWriter.formatSection("target.a.b", bare: true) == "[target \"a.b\"]")
    }
}
