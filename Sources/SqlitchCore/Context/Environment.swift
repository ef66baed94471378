#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment as a value, injected so the domain never reads the real one.
public struct Environment: Sendable, Equatable {
    public var variables: [String: String]

    public init(_ variables: [String: String] = [:]) { self.variables = variables }

    public subscript(_ name: String) -> String? {
        get { variables[name] }
        set { variables[name] = newValue }
    }

    /// The value when set and not empty, as Perl's `$ENV{X} || ...` reads it.
    public func nonEmpty(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// The environment this process started with, read from `environ` (as `getenv` does, the
    /// first of two entries with one name wins). Cheaper at start-up than Foundation's
    /// `ProcessInfo`, which builds its own copy.
    public static func ofProcess() -> Environment {
        var variables: [String: String] = [:]
        var entry: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                let name = String(text[..<equals])
                if variables[name] == nil { variables[name] = String(text[text.utf8.index(after: equals)...]) }
            }
            entry += 1
        }
        return Environment(variables)
    }
}
