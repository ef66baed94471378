/// A failure Sqitch would report with `hurl`: a message and an exit value.
///
/// Exit value 1 is Sqitch's "soft" failure: the message goes to standard output as `info`.
/// Any other exit value sends the message to standard error.
public struct SqitchError: Error, Equatable, CustomStringConvertible {
    /// Where the error came from (`plan`, `config`, `engine`, ...), as Sqitch's `ident`.
    public var ident: String
    public var message: String
    public var exitCode: Int32
    /// For an error raised by a database: the database's own code for it (PostgreSQL's
    /// SQLSTATE, MySQL's error number, SQLite's extended result code), which dialects
    /// test instead of the message text.
    public var databaseCode: String?

    public init(_ ident: String = "sqitch", _ message: String, exitCode: Int32 = 2, databaseCode: String? = nil) {
        self.ident = ident
        self.message = message
        self.exitCode = exitCode
        self.databaseCode = databaseCode
    }

    public var description: String { message }

}
