import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// A context whose injected environment has the real `PATH` (plus `extra`).
func processContext(_ extra: [String: String] = [:]) throws -> TestContext {
    var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    environment.merge(extra) { $1 }
    return try TestContext(environment: environment)
}

/// Counts flushes, to check the console is flushed before a child writes.
final class FlushCountingSink: TextSink, @unchecked Sendable {
    var flushes = 0
    var text = ""
    func write(_ text: String) { self.text += text }
    func flush() { flushes += 1 }
}

@Suite struct ProcessRunnerTests {
    let runner = SpawnRunner()

    @Test func exitStatusIsReturnedAndNonZeroIsSqitchsError() async throws {
        do {
            let context = try processContext()
            let sqitch = try context.sqitch()
            let result = try runner.execute(
                ProcessCommand("sh", ["-c", "exit 3"]), environment: sqitch.environment, files: sqitch.files,
                console: sqitch.console)
            #expect(result.exitStatus == 3)
            #expect(result.signal == nil)
            #expect(!result.succeeded)

            // The wording Sqitch 1.3.1 prints for `--client ./fakebad` (a client exiting 3), with
            // the trailing newline that makes it print an empty line after.
            let error = #expect(throws: ProcessError.self) {
                try runner.run(["sh", "-c", "exit 3"], sqitch: sqitch)
            }
            #expect(error?.message == "\"sh\" unexpectedly returned exit value 3\n")
            #expect(error?.exitCode == 2)

            try runner.run(["sh", "-c", "exit 0"], sqitch: sqitch)
        }
    }

    @Test func capturesStandardOutputAndError() async throws {
        do {
            let context = try processContext()
            defer { withExtendedLifetime(context) {} }
            let sqitch = try context.sqitch()
            let command = ProcessCommand(
                "sh", ["-c", "echo out; echo err >&2; exit 1"], output: .capture, error: .capture)
            let result = try runner.execute(
                command, environment: sqitch.environment, files: sqitch.files, console: sqitch.console)
            #expect(result.standardOutput == "out\n")
            #expect(result.standardError == "err\n")
            #expect(result.exitStatus == 1)

            // Captured standard error comes first in the failure message, as the client's
            // stderr precedes Sqitch's message on the terminal.
            let error = #expect(throws: ProcessError.self) { try runner.run(command, sqitch: sqitch) }
            #expect(error?.message == "err\n\"sh\" unexpectedly returned exit value 1\n")

            #expect(try runner.capture(["sh", "-c", "printf 'a b\\n'"], sqitch: sqitch) == "a b\n")
        }
    }

    @Test func discardedOutputIsNotReturned() async throws {
        do {
            let context = try processContext()
            defer { withExtendedLifetime(context) {} }
            let sqitch = try context.sqitch()
            let result = try runner.execute(
                ProcessCommand("sh", ["-c", "echo out; echo err >&2"], output: .discard, error: .discard),
                environment: sqitch.environment, files: sqitch.files, console: sqitch.console)
            #expect(result == ProcessResult(exitStatus: 0))
        }
    }

    @Test func missingProgramGivesSqitchsMessage() async throws {
        do {
            let context = try processContext()
            defer { withExtendedLifetime(context) {} }
            let sqitch = try context.sqitch()
            // Sqitch 1.3.1, `sqitch deploy --client /nonexistent`, on standard error:
            // "/nonexistent" failed to start: "No such file or directory" and an empty line.
            let error = #expect(throws: ProcessError.self) { try runner.run(["/nonexistent"], sqitch: sqitch) }
            #expect(error?.message == "\"/nonexistent\" failed to start: \"No such file or directory\"\n")
            #expect(error?.exitCode == 2)

            // `--client nosuchprog`: the same, with the name as given.
            let bare = #expect(throws: ProcessError.self) {
                _ = try runner.capture(["sqlitch-no-such-program", "-version"], sqitch: sqitch)
            }
            #expect(bare?.message == "\"sqlitch-no-such-program\" failed to start: \"No such file or directory\"\n")
        }
    }

    @Test func programsAreSearchedOnTheInjectedPath() async throws {
        do {
            let context = try processContext()
            try context.directory.write("bin/hello", "#!/bin/sh\necho hello from bin\n")
            chmod(context.directory.path + "/bin/hello", 0o755)

            var withBin = context
            withBin.environment["PATH"] = context.directory.path + "/bin:" + (context.environment["PATH"] ?? "")
            #expect(try runner.capture(["hello"], sqitch: withBin.sqitch()) == "hello from bin\n")
            // A relative path is taken from the working directory.
            #expect(try runner.capture(["bin/hello"], sqitch: context.sqitch()) == "hello from bin\n")

            // Not on the injected PATH: not found, although the process's own PATH has `sh`.
            var empty = context
            empty.environment["PATH"] = context.directory.path + "/nowhere"
            #expect(throws: ProcessError("\"sh\" failed to start: \"No such file or directory\"\n",
                                       reason: .failedToStart(program: "sh", cause: "No such file or directory"))) {
                try runner.run(["sh", "-c", "true"], sqitch: empty.sqitch())
            }
        }
    }

    @Test func environmentIsTheInjectedOneWithOverrides() async throws {
        do {
            setenv("SQLITCH_ONLY_IN_PROCESS", "leaked", 1)
            let context = try processContext(["KEEP": "kept", "DROP": "dropped"])
            defer { withExtendedLifetime(context) {} }
            let sqitch = try context.sqitch()
            let output = try runner.capture(
                ["sh", "-c", "echo \"$KEEP|$DROP|$SET|$SQLITCH_ONLY_IN_PROCESS|$SQITCH_EMAIL\""],
                environment: ["SET": "set", "DROP": nil], sqitch: sqitch)
            #expect(output == "kept||set||test@example.com\n")
        }
    }

    @Test func standardInputAndWorkingDirectory() async throws {
        do {
            let context = try processContext()
            let sqitch = try context.sqitch()
            let command = ProcessCommand("cat", input: "line one\nline 'two'\n", output: .capture)
            let result = try runner.run(command, sqitch: sqitch)
            #expect(result.standardOutput == "line one\nline 'two'\n")

            #expect(try runner.capture(["pwd"], sqitch: sqitch) == context.directory.path + "\n")
            try FileManager.default.createDirectory(
                atPath: context.directory.path + "/sub", withIntermediateDirectories: true)
            let inSub = try runner.run(ProcessCommand("pwd", output: .capture, workingDirectory: "sub"), sqitch: sqitch)
            #expect(inSub.standardOutput == context.directory.path + "/sub\n")
        }
    }

    @Test func signalDeathIsReported() async throws {
        do {
            let context = try processContext()
            defer { withExtendedLifetime(context) {} }
            let sqitch = try context.sqitch()
            let command = ProcessCommand("sh", ["-c", "kill -TERM $$"])
            let result = try runner.execute(
                command, environment: sqitch.environment, files: sqitch.files, console: sqitch.console)
            #expect(result.signal == 15)
            #expect(ProcessFailure.message(for: command, result: result) == "\"sh\" died to signal \"TERM\" (15)\n")
        }
    }

    @Test func consoleIsFlushedBeforePassThrough() async throws {
        do {
            let context = try processContext()
            let out = FlushCountingSink()
            let err = FlushCountingSink()
            let console = Console(out: out, err: err)
            let files = FileSystem(workingDirectory: context.directory.path)
            _ = try runner.execute(
                ProcessCommand("true", output: .capture, error: .capture), environment: context.environment,
                files: files, console: console)
            #expect(out.flushes == 0)
            _ = try runner.execute(
                ProcessCommand("true", output: .discard), environment: context.environment, files: files, console: console)
            #expect(out.flushes == 1)
            #expect(err.flushes == 1)
        }
    }

}

/// The runner under load: large outputs on both pipes, large input, many callers at once.
@Suite struct SpawnRunnerStressTests {
    @Test func drainsLargeOutputOnBothPipesAtOnce() throws {
        let context = try TestContext()
        let sqitch = try context.sqitch()
        let script = "head -c 1048576 /dev/zero | tr '\\0' a; head -c 1048576 /dev/zero | tr '\\0' b >&2"
        let result = try SpawnRunner().run(
            ProcessCommand("/bin/sh", ["-c", script], output: .capture, error: .capture), sqitch: sqitch)
        #expect(result.standardOutput.utf8.count == 1 << 20)
        #expect(result.standardError.utf8.count == 1 << 20)
        #expect(result.standardOutput.allSatisfy { $0 == "a" })
    }

    @Test func feedsLargeInputWhileReadingOutput() throws {
        let context = try TestContext()
        let sqitch = try context.sqitch()
        let input = String(repeating: "0123456789abcdef\n", count: 1 << 16)
        let result = try SpawnRunner().run(
            ProcessCommand("cat", input: input, output: .capture, error: .capture), sqitch: sqitch)
        #expect(result.standardOutput == input)
    }

    @Test func childThatIgnoresItsInputDoesNotKillUs() throws {
        let context = try TestContext()
        let sqitch = try context.sqitch()
        let input = String(repeating: "x", count: 1 << 20)
        let result = try SpawnRunner().execute(
            ProcessCommand("true", input: input, output: .capture, error: .capture),
            environment: sqitch.environment, files: sqitch.files, console: sqitch.console)
        #expect(result.exitStatus == 0)
    }

    @Test(arguments: 0..<20) func manyConcurrentCallers(_ n: Int) throws {
        let context = try TestContext()
        let sqitch = try context.sqitch()
        let result = try SpawnRunner().run(
            ProcessCommand("sqlite3", [":memory:", "select \(n) + 1"], output: .capture, error: .capture), sqitch: sqitch)
        #expect(result.standardOutput == "\(n + 1)\n")
    }

    @Test func childInheritsNoDescriptorBeyondStandardError() throws {
        let context = try TestContext()
        let sqitch = try context.sqitch()
        // A descriptor opened without close-on-exec, as some libraries do.
        let leaky = open("/dev/null", O_RDONLY)
        #expect(leaky > 2)
        defer { close(leaky) }
        let result = try SpawnRunner().run(
            ProcessCommand("/bin/sh", ["-c", "test -e /proc/$$/fd/\(leaky) && echo leaked || echo closed"],
                           output: .capture, error: .capture), sqitch: sqitch)
        #expect(result.standardOutput == "closed\n")
    }
}
