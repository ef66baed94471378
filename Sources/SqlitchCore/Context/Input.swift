/// Where answers to prompts come from: the terminal, a pipe, or a test's script.
public protocol InputSource: AnyObject {
    /// True when standard input is a terminal and standard output a terminal or a pipe
    /// (Sqitch's `_is_interactive`).
    var isInteractive: Bool { get }
    /// True when no more input can be read (Perl's `eof STDIN`, which may wait for input).
    var isAtEnd: Bool { get }
    /// The next line without its newline, or nil at end of input.
    func readLine() -> String?
}

/// No input at all: an unattended run whose standard input is at end of file.
public final class NoInput: InputSource {
    public init() {}
    public var isInteractive: Bool { false }
    public var isAtEnd: Bool { true }
    public func readLine() -> String? { nil }
}

/// Fixed lines, for tests.
public final class ScriptedInput: InputSource {
    private var lines: [String]
    public let isInteractive: Bool
    public init(_ lines: [String], interactive: Bool = false) {
        self.lines = lines
        self.isInteractive = interactive
    }
    public var isAtEnd: Bool { lines.isEmpty }
    public func readLine() -> String? { lines.isEmpty ? nil : lines.removeFirst() }
}
