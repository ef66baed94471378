import Foundation
import Subprocess

/// The user's text editor: `$SQITCH_EDITOR`, `core.editor`, `$VISUAL`, `$EDITOR`, else `vi`,
/// run on files the way Sqitch runs it (`<editor> <shell-quoted files>` as one shell command
/// line), with the terminal handed over to it.
public enum Editor {
    /// The editor command Sqitch would use.
    public static func command(_ sqitch: Sqitch) -> String {
        if let editor = sqitch.environment.nonEmpty("SQITCH_EDITOR"), editor != "0" { return editor }
        if let editor = sqitch.config.value("core.editor"), !editor.isEmpty, editor != "0" { return editor }
        if let editor = sqitch.environment.nonEmpty("VISUAL"), editor != "0" { return editor }
        if let editor = sqitch.environment.nonEmpty("EDITOR"), editor != "0" { return editor }
        return "vi"
    }

    /// Opens `paths` in the editor and waits for it. A failure is Sqitch's IPC error:
    /// `"<command>" unexpectedly returned exit value N` or `"<command>" failed to start: "<reason>"`.
    public static func edit(_ paths: [String], _ sqitch: Sqitch) throws {
        let line = command(sqitch) + " " + paths.map(shellQuote).joined(separator: " ")
        try run(line, sqitch)
    }

    /// Runs one command line as Perl's `system` does: through `/bin/sh -c` when it holds
    /// shell metacharacters, else split on blanks and started directly.
    public static func run(_ line: String, _ sqitch: Sqitch) throws {
        sqitch.console.flush()
        let metacharacters = Set("$&*(){}[]'\";\\|?<>~`\n")
        let executable: Executable
        let arguments: [String]
        if line.contains(where: { metacharacters.contains($0) }) {
            executable = .path("/bin/sh")
            arguments = ["-c", line]
        } else {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = words.first else { return }
            executable = first.contains("/") ? .path(.init(first)) : .name(first)
            arguments = Array(words.dropFirst())
        }
        let environment = Subprocess.Environment.custom(
            sqitch.environment.variables.map { Array("\($0.key)=\($0.value)".utf8) })
        let workingDirectory = sqitch.files.workingDirectory

        final class Box: @unchecked Sendable { var result: Result<TerminationStatus, Error>? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        // Note: this blocks the calling thread until the editor exits. Subprocess needs free
        // threads of the cooperative pool meanwhile, so callers on that pool (tests) must not
        // run several editors at once.
        Task.detached {
            do {
                let outcome = try await Subprocess.run(
                    executable, arguments: Arguments(arguments), environment: environment,
                    workingDirectory: .init(workingDirectory),
                    input: .currentStandardInput, output: .currentStandardOutput, error: .currentStandardError)
                box.result = .success(outcome.terminationStatus)
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        switch box.result! {
        case .success(.exited(0)):
            return
        case .success(.exited(let code)):
            throw SqitchError("ipc", "\"\(line)\" unexpectedly returned exit value \(code)\n")
        case .success(.signaled(let signal)):
            throw SqitchError("ipc", "\"\(line)\" died to signal \(signal)\n")
        case .failure(let error):
            var reason = "\(error)"
            if let error = error as? SubprocessError, let code = error.underlyingError?.rawValue {
                reason = String(cString: strerror(code))
            }
            throw SqitchError("ipc", "\"\(line)\" failed to start: \"\(reason)\"\n")
        }
    }

    /// String::ShellQuote's quoting: words of safe characters as they are, others in single
    /// quotes (`'` written `'\''`), the empty string as `''`.
    public static func shellQuote(_ word: String) -> String {
        if word.isEmpty { return "''" }
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_!%+,-./:=@^")
        if word.allSatisfy({ safe.contains($0) }) { return word }
        var quoted = "'" + word.replacingAll("'", with: "'\\''") + "'"
        if quoted.hasPrefix("''") { quoted.removeFirst(2) }
        if quoted.hasSuffix("''"), !quoted.hasSuffix("\\''") { quoted.removeLast(2) }
        return quoted
    }
}

