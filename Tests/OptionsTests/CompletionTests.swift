import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// Shell completion: what the completer offers for a line, read from the grammars and the
/// project, and what bash's completion function offers when driven as bash drives it.
@Suite struct CompletionTests {
    static var source: Completer.Source { Completer.Source(
        targets: { ["prod", "dev"] }, changes: { ["users", "widgets"] }, tags: { ["v1.0"] }) }

    /// The candidates for `line`, whose last word is the one being typed.
    static func offered(_ line: String) -> [String] {
        let (words, current) = Completer.words(of: line)
        return Completer().candidates(words: Array(words.dropFirst()), current: current, source: source)
    }

    @Test func commandsFirst() {
        #expect(Self.offered("sqlitch ") == CommandCatalog.names)
        #expect(Self.offered("sqlitch re") == ["rebase", "revert", "rework"])
        // Core options and their values come before the command.
        #expect(Self.offered("sqlitch -C dir --no-pager st") == ["status"])
        #expect(Self.offered("sqlitch --chdir ") == [])
    }

    @Test func optionsOfTheCommandThenTheCoreOptions() throws {
        let deploy = Self.offered("sqlitch deploy --")
        #expect(Array(deploy.prefix(4)) == ["--target", "--to", "--to-change", "--change"])
        #expect(deploy.contains("--no-verify"))
        #expect(deploy.contains("--chdir"))
        #expect(!deploy.contains("--uri"))
        #expect(Self.offered("sqlitch add --no-") == ["--no-all", "--no-edit", "--no-open-editor", "--no-pager"])
        #expect(Self.offered("sqlitch -") == CoreOptions.grammar.description.flatMap(\.options).flatMap(\.flags))
        // `-v` is read before `target`, so it is offered once.
        #expect(Self.offered("sqlitch target --verb") == ["--verbose"])
    }

    @Test func optionValues() {
        #expect(Self.offered("sqlitch deploy --to ") == ["users", "widgets", "@v1.0"])
        #expect(Self.offered("sqlitch deploy --to-c w") == ["widgets"])
        #expect(Self.offered("sqlitch deploy --to=w") == ["--to=widgets"])
        #expect(Self.offered("sqlitch deploy -t ") == ["prod", "dev"])
        #expect(Self.offered("sqlitch revert -yt p") == ["prod"])
        #expect(Self.offered("sqlitch init flipr --engine ") == Target.engines)
        #expect(Self.offered("sqlitch log --format o") == ["oneline"])
        #expect(Self.offered("sqlitch log --event ") == ["deploy", "revert", "fail"])
        #expect(Self.offered("sqlitch deploy --mode ") == ["all", "change", "tag"])
        // Free text and paths: nothing, so the shell offers files.
        #expect(Self.offered("sqlitch add -n ") == [])
        #expect(Self.offered("sqlitch deploy --plan-file ") == [])
        // A value given is not a positional word.
        #expect(Self.offered("sqlitch show -t prod ") == ShowObject.objectTypes)
    }

    @Test func positionalWords() {
        #expect(Self.offered("sqlitch help ") == CommandCatalog.names + HelpDocuments.guideNames)
        #expect(Self.offered("sqlitch help con") == ["config", "configuration"])
        #expect(Self.offered("sqlitch show ") == ["change", "tag", "deploy", "revert", "verify"])
        #expect(Self.offered("sqlitch show tag ") == ["v1.0"])
        #expect(Self.offered("sqlitch show deploy ") == ["users", "widgets"])
        #expect(Self.offered("sqlitch target ") == ["add", "alter", "remove", "rm", "rename", "show", "list"])
        #expect(Self.offered("sqlitch target show ") == ["prod", "dev"])
        #expect(Self.offered("sqlitch target add ") == [])
        #expect(Self.offered("sqlitch engine alter ") == Target.engines)
        #expect(Self.offered("sqlitch rework ") == ["users", "widgets"])
        #expect(Self.offered("sqlitch tag v2 ") == ["users", "widgets"])
        #expect(Self.offered("sqlitch deploy ") == ["prod", "dev", "users", "widgets", "@v1.0"])
        #expect(Self.offered("sqlitch deploy prod @") == ["@v1.0"])
        #expect(Self.offered("sqlitch status ") == ["prod", "dev"])
        #expect(Self.offered("sqlitch completion ") == ["bash", "zsh", "fish"])
        #expect(Self.offered("sqlitch deploy -- -") == [])
    }

    @Test func wordsOfALine() {
        #expect(Completer.words(of: "a 'b c' d\\ e \"f\\\"g\" ") == (["a", "b c", "d e", "f\"g"], ""))
        #expect(Completer.words(of: "a  b").complete == ["a"])
        #expect(Completer.words(of: "a  b").current == "b")
        #expect(Completer.words(of: "").current == "")
    }

    /// A project on disk: a plan with two changes and a tag, and a target in sqitch.conf.
    static func project() throws -> TestContext {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", """
            [core]
            \tengine = sqlite
            [target "prod"]
            \turi = db:sqlite:prod.db
            [target "qa.eu"]
            \turi = db:sqlite:qa.db
            [target "prod.variables"]
            \tschema = app

            """)
        try context.directory.write("sqitch.plan", """
            %syntax-version=1.0.0
            %project=flipr

            users 2024-01-02T03:04:05Z Test User <test@example.com> # Users
            @v1.0 2024-01-02T03:04:06Z Test User <test@example.com> # Tag
            widgets [users] 2024-01-02T03:05:05Z Test User <test@example.com> # Widgets

            """)
        try context.directory.write("other/alt.plan", """
            %syntax-version=1.0.0
            %project=alt

            gadgets 2024-01-02T03:04:05Z Test User <test@example.com> # Gadgets

            """)
        return context
    }

    @Test func namesComeFromTheProject() throws {
        let context = try Self.project()
        let sqitch = try context.sqitch()
        let completer = Completer()
        #expect(completer.candidates(line: "sqlitch deploy --to ", sqitch: sqitch) == ["users", "widgets", "@v1.0"])
        #expect(completer.candidates(line: "sqlitch target show ", sqitch: sqitch) == ["prod", "qa.eu"])
        #expect(completer.candidates(line: "sqlitch rework -f other/alt.plan ", sqitch: sqitch) == ["gadgets"])
        #expect(completer.candidates(line: "sqlitch -C other rework ", sqitch: sqitch) == [])
        #expect(completer.candidates(line: "sqlitch -C other rework -f alt.plan g", sqitch: sqitch) == ["gadgets"])
        // No project: nothing to offer, and no complaint.
        #expect(completer.candidates(line: "sqlitch -C nowhere show tag ", sqitch: sqitch) == [])
        #expect(context.out.text == "")
    }

    /// Runs `script` with `shell` in `directory`, with the built sqlitch first on the PATH.
    static func runShell(_ shell: String, _ arguments: [String], _ script: String, in directory: String) throws -> [String] {
        let sqlitch = try #require(ParityHarness.sqlitchPath, "the sqlitch binary was not built")
        let bin = URL(fileURLWithPath: sqlitch).deletingLastPathComponent().path
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let program = try #require(SpawnRunner.resolve(shell, environment: Environment(["PATH": path]),
                                                       files: FileSystem(workingDirectory: directory)),
                                   "\(shell) is not installed (run ./scripts/install-deps)")
        let result = try SpawnRunner.start(
            path: program, arguments: arguments + [script],
            environment: ["PATH": path, "HOME": directory, "XDG_CONFIG_HOME": directory + "/.config"],
            directory: directory).finish()
        #expect(result.exitStatus == 0, "\(shell): \(result.standardError)")
        return result.standardOutput.split(separator: "\n").map(String.init)
    }

    static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs bash's completion function for `words` (as bash splits them, the current one last)
    /// with the line `line`; returns COMPREPLY.
    static func bashReply(_ line: String, words: [String], in directory: String) throws -> [String] {
        let script = """
            set -e
            eval "$(sqlitch completion bash)"
            complete -p sqlitch >/dev/null
            COMP_LINE=\(quoted("sqlitch " + line))
            COMP_POINT=${#COMP_LINE}
            COMP_WORDS=(\((["sqlitch"] + words).map(quoted).joined(separator: " ")))
            COMP_CWORD=\(words.count)
            _sqlitch
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        return try runShell("bash", ["--norc", "--noprofile", "-c"], script, in: directory)
    }

    @Test func bashOffersWhatTheCompleterOffers() throws {
        let context = try Self.project()
        let dir = context.directory.path
        #expect(try Self.bashReply("dep", words: ["dep"], in: dir) == ["deploy"])
        #expect(try Self.bashReply("deploy --to ", words: ["deploy", "--to", ""], in: dir)
            == ["users", "widgets", "@v1.0"])
        #expect(try Self.bashReply("target show q", words: ["target", "show", "q"], in: dir) == ["qa.eu"])
        #expect(try Self.bashReply("show ", words: ["show", ""], in: dir) == ShowObject.objectTypes)
        // bash splits `--to=w` at `=`: the reply replaces only the part after it.
        #expect(try Self.bashReply("deploy --to=w", words: ["deploy", "--to", "=", "w"], in: dir) == ["widgets"])
        #expect(try Self.bashReply("deploy --to=", words: ["deploy", "--to", "="], in: dir)
            == ["=users", "=widgets", "=@v1.0"])
        // A file-name value: nothing, so bash completes file names (`complete -o default`).
        #expect(try Self.bashReply("deploy --plan-file ", words: ["deploy", "--plan-file", ""], in: dir) == [])
    }

    /// zsh's function, with compsys's `compadd`, `_files` and `compdef` replaced by stand-ins
    /// that print what they are given.
    @Test func zshOffersWhatTheCompleterOffers() throws {
        let context = try Self.project()
        func reply(_ words: [String]) throws -> [String] {
            let script = """
                compdef() { :; }
                compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -l -- "$@"; }
                _files() { print '<files>'; }
                source <(sqlitch completion zsh)
                words=(\((["sqlitch"] + words).map(Self.quoted).joined(separator: " ")))
                CURRENT=\(words.count + 1)
                _sqlitch
                """
            return try Self.runShell("zsh", ["-f", "-c"], script, in: context.directory.path)
        }
        #expect(try reply(["dep"]) == ["deploy"])
        #expect(try reply(["deploy", "--to", ""]) == ["users", "widgets", "@v1.0"])
        #expect(try reply(["deploy", "--to=w"]) == ["--to=widgets"])
        #expect(try reply(["target", "show", ""]) == ["prod", "qa.eu"])
        #expect(try reply(["deploy", "--plan-file", ""]) == ["<files>"])
    }

    /// fish's function, through fish's own `complete -C` (fish sorts what it offers).
    @Test func fishOffersWhatTheCompleterOffers() throws {
        let context = try Self.project()
        func reply(_ line: String) throws -> [String] {
            let script = "sqlitch completion fish | source; complete -C \(Self.quoted(line))"
            return try Self.runShell("fish", ["--no-config", "-c"], script, in: context.directory.path)
        }
        #expect(try reply("sqlitch dep") == ["deploy"])
        #expect(try reply("sqlitch deploy --to ") == ["@v1.0", "users", "widgets"])
        #expect(try reply("sqlitch target show ") == ["prod", "qa.eu"])
        #expect(try reply("sqlitch deploy --plan-file sqitch.") == ["sqitch.conf", "sqitch.plan"])
    }

    @Test func scriptsForEachShell() throws {
        for shell in CompletionScript.shells {
            let script = try #require(CompletionScript.script(for: shell))
            #expect(script.contains("completion --line"), "\(shell)")
            #expect(script.hasSuffix("\n"))
        }
        #expect(CompletionScript.script(for: "tcsh") == nil)
        // The bash script is valid bash.
        let check = try SpawnRunner.start(path: "/bin/bash", arguments: ["-n"], environment: [:],
                                          directory: "/", input: CompletionScript.bash).finish()
        #expect(check.exitStatus == 0, "\(check.standardError)")
    }

    @Test func completionCommand() throws {
        let context = try Self.project()
        let command = try #require(CommandCatalog.command(named: "completion"))
        #expect(try command.run(context.sqitch(), ["bash"], CommandInvocation()) == 0)
        #expect(context.out.text == CompletionScript.bash)
        #expect(throws: UsageError("Unknown shell \"tcsh\"")) {
            _ = try command.run(context.sqitch(), ["tcsh"], CommandInvocation())
        }
        #expect(throws: UsageError("")) { _ = try command.run(context.sqitch(), [], CommandInvocation()) }
        let lines = try TestContext(directory: context.directory)
        _ = try command.run(lines.sqitch(), ["--line", "sqlitch show tag "], CommandInvocation())
        #expect(lines.out.text == "v1.0\n")
    }
}
