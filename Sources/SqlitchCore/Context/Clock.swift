import FoundationEssentials

/// The source of "now", injected so plan timestamps and registry times are testable.
public protocol Clock: Sendable {
    func now() -> Date
}

/// The real wall clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock stuck at one instant, for tests.
public struct FixedClock: Clock {
    public let date: Date
    public init(_ date: Date) { self.date = date }
    public func now() -> Date { date }
}
