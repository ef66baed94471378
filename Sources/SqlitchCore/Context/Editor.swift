import FoundationEssentials

/// The user's text editor: `$SQITCH_EDITOR`, `core.editor`, `$VISUAL`, `$EDITOR`, else `vi`,
/// run on files the way Sqitch runs it (`<editor> <shell-quoted files>` as one shell command
/// line), with the terminal handed over to it.
public enum Editor {
    /// The editor command Sqitch would use.
    public static func command(_ sqitch: Sqitch) -> String {
        if let editor = Perl.truthy(sqitch.environment.nonEmpty("SQITCH_EDITOR")) { return editor }
        if let editor = Perl.truthy(sqitch.config.value("core.editor")) { return editor }
        if let editor = Perl.truthy(sqitch.environment.nonEmpty("VISUAL")) { return editor }
        if let editor = Perl.truthy(sqitch.environment.nonEmpty("EDITOR")) { return editor }
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
        let metacharacters = Set("$&*(){}[]'\";\\|?<>~`\n")
        let command: ProcessCommand
        if line.contains(where: { metacharacters.contains($0) }) {
            command = ProcessCommand("/bin/sh", ["-c", line])
        } else {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = words.first else { return }
            command = ProcessCommand(first, Array(words.dropFirst()))
        }
        // Standard input, output and error stay the terminal's: the editor takes it over.
        let result: ProcessResult
        do {
            result = try SpawnRunner().execute(command, environment: sqitch.environment, files: sqitch.files,
                                               console: sqitch.console)
        } catch let error as ProcessError {
            guard case .failedToStart(let program, let cause) = error.reason, program == command.executable else {
                throw error
            }
            throw ProcessFailure.startError(line, cause: cause)
        }
        if let signal = result.signal {
            throw ProcessError("\"\(line)\" died to signal \(signal)\n")
        }
        if result.exitStatus != 0 {
            throw ProcessError("\"\(line)\" unexpectedly returned exit value \(result.exitStatus)\n")
        }
    }

    /// String::ShellQuote's quoting: words of safe characters as they are, others in single
    /// quotes (`'` written `'\''`), the empty string as `''`.
    public static func shellQuote(_ word: String) -> String {
        if word.isEmpty { return "''" }
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_!%+,-./:=@^")
        if word.allSatisfy({ safe.contains($0) }) { return word }
        var quoted = "'" + word.replacingEvery("'", with: "'\\''") + "'"
        if quoted.hasPrefix("''") { quoted.removeFirst(2) }
        if quoted.hasSuffix("''"), !quoted.hasSuffix("\\''") { quoted.removeLast(2) }
        return quoted
    }
}

