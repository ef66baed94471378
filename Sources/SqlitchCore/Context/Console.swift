/// Somewhere text goes: standard output, standard error, a pager, or a test's buffer.
public protocol TextSink: AnyObject {
    func write(_ text: String)
    /// Pushes buffered text out (before a prompt or a child process writes).
    func flush()
}

extension TextSink {
    public func flush() {}
}

/// Sqitch's output channels (`emit`, `comment`, `info`, `debug`, `trace`, `vent`, `warn`, `page`)
/// over two sinks, honouring the verbosity level.
public final class Console {
    public let out: TextSink
    public let err: TextSink
    /// 0 = quiet, 1 = default, 2 = debug, 3 = trace.
    public var verbosity: Int
    /// Where `page` output goes instead of `out`: set by the CLI when standard output is a
    /// terminal and a pager is wanted.
    public var pager: TextSink?
    /// The command line asked for JSON (`--format json`): errors are reported as a JSON
    /// object on standard error, whatever their exit code.
    public var jsonErrors = false

    public init(out: TextSink, err: TextSink, verbosity: Int = 1) {
        self.out = out
        self.err = err
        self.verbosity = verbosity
    }

    public func emit(_ text: String) { out.write(text + "\n") }
    public func emitLiteral(_ text: String) { out.write(text) }

    /// Each line prefixed with `# `.
    public func comment(_ text: String) { out.write(Console.prefixLines(text, with: "# ") + "\n") }
    public func commentLiteral(_ text: String) { out.write(Console.prefixLines(text, with: "# ")) }

    public func info(_ text: String) { if verbosity >= 1 { emit(text) } }
    public func infoLiteral(_ text: String) { if verbosity >= 1 { emitLiteral(text) } }
    public func debug(_ text: String) {
        if verbosity >= 2 { out.write(Console.prefixLines(text, with: "debug: ") + "\n") }
    }
    public func trace(_ text: String) {
        if verbosity >= 3 { out.write(Console.prefixLines(text, with: "trace: ") + "\n") }
    }

    public func vent(_ text: String) { err.write(text + "\n") }
    public func ventLiteral(_ text: String) { err.write(text) }
    public func warn(_ text: String) { err.write(Console.prefixLines(text, with: "warning: ") + "\n") }

    /// Output of `log` and `plan`: through the pager when there is one.
    public func page(_ text: String) { (pager ?? out).write(text + "\n") }
    public func pageLiteral(_ text: String) { (pager ?? out).write(text) }

    /// Reports an error as Sqitch's `go` does: exit value 1 on standard output (as info),
    /// anything else on standard error.
    public func report(_ error: any SqitchFailure) {
        if jsonErrors {
            reportJSON(message: error.message, exitCode: error.exitCode)
        } else if error.exitCode == 1 {
            info(error.message)
        } else {
            vent(error.message)
        }
    }

    /// `{"error":{"exit_code":2,"message":"..."},"format_version":1}` on standard error.
    public func reportJSON(message: String, exitCode: Int32) {
        vent(JSONOutput.line(JSONOutput.ErrorDocument(message: message, exitCode: exitCode)))
    }

    /// Flushes both streams, so a child process's output lands after ours.
    public func flush() {
        out.flush()
        err.flush()
    }

    static func prefixLines(_ text: String, with prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { prefix + $0 }
            .joined(separator: "\n")
    }
}
