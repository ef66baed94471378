/// A failure Sqitch would report with `hurl`: the message the user reads and the exit value.
/// Each area throws its own type; callers that need to tell failures apart test the type and
/// its `reason`, never the message.
///
/// Exit value 1 is Sqitch's "soft" failure: the message goes to standard output as `info`.
/// Any other exit value sends the message to standard error.
public protocol SqitchFailure: Error, CustomStringConvertible {
    var message: String { get }
    var exitCode: Int32 { get }
}

extension SqitchFailure {
    public var description: String { message }
}

/// A plan that cannot be read, or a change or tag it does not have.
public struct PlanError: SqitchFailure, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The plan file's text is malformed (Sqitch's `parse` errors).
        case syntax
        case other
    }

    public var message: String
    public var exitCode: Int32
    public var reason: Reason

    public init(_ message: String, exitCode: Int32 = 2, reason: Reason = .other) {
        self.message = message
        self.exitCode = exitCode
        self.reason = reason
    }
}

/// A configuration file that cannot be read or written as asked.
public struct ConfigError: SqitchFailure, Equatable {
    public enum Reason: Sendable, Equatable {
        /// A single-valued key has several values.
        case multipleValues
        /// The section to rename or remove does not exist.
        case noSuchSection
        case other
    }

    public var message: String
    public var exitCode: Int32
    public var reason: Reason

    public init(_ message: String, exitCode: Int32 = 2, reason: Reason = .other) {
        self.message = message
        self.exitCode = exitCode
        self.reason = reason
    }
}

/// A target that cannot be resolved (no engine, an unknown name, a URI without an engine).
public struct TargetError: SqitchFailure, Equatable {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }
}

/// A failure of an engine, its registry or its database.
public struct EngineError: SqitchFailure, Equatable {
    public enum Reason: Sendable, Equatable {
        /// A deploy failed and its failure was already reported: only the summary is left.
        case deployFailedAfterReport
        /// The user declined to revert.
        case revertDeclined
        /// SIGINT or SIGTERM stopped a deploy or revert after the change in flight.
        case interrupted
        case other
    }

    public var message: String
    public var exitCode: Int32
    public var reason: Reason
    /// For an error raised by a database: the database's own code for it (PostgreSQL's
    /// SQLSTATE, MySQL's error number, SQLite's extended result code), which dialects
    /// test instead of the message text.
    public var databaseCode: String?

    public init(_ message: String, exitCode: Int32 = 2, reason: Reason = .other, databaseCode: String? = nil) {
        self.message = message
        self.exitCode = exitCode
        self.reason = reason
        self.databaseCode = databaseCode
    }
}

/// A command's own complaint about what it was asked (an unknown object, a bad value).
public struct CommandError: SqitchFailure, Equatable {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }
}

/// A file or the terminal that cannot be read or written.
public struct IOError: SqitchFailure, Equatable {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }
}

/// A program that cannot be started or that failed.
public struct ProcessError: SqitchFailure, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The program could not be started at all, for this reason (the system's words).
        case failedToStart(program: String, cause: String)
        case other
    }

    public var message: String
    public var exitCode: Int32
    public var reason: Reason

    public init(_ message: String, exitCode: Int32 = 2, reason: Reason = .other) {
        self.message = message
        self.exitCode = exitCode
        self.reason = reason
    }
}
