#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment as a value, injected so the domain never reads the real one.
///
/// The variables are kept as a sorted list searched by halves, not a dictionary: the first
/// dictionary a run makes costs a search of every protocol conformance in the binary (for
/// `String: Hashable`), and commands such as `help` need no other.
public struct Environment: Sendable, Equatable {
    private struct Variable: Sendable, Equatable {
        var name: String
        var value: String
    }

    /// Sorted by name, one entry per name.
    private var sorted: [Variable]

    public init(_ variables: [String: String] = [:]) {
        sorted = variables.map { Variable(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
    }

    /// Every variable, as a dictionary.
    public var variables: [String: String] {
        get {
            var result: [String: String] = [:]
            for variable in sorted { result[variable.name] = variable.value }
            return result
        }
        set { self = Environment(newValue) }
    }

    /// The index of `name`, or where it would go.
    private func position(of name: String) -> (index: Int, found: Bool) {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].name < name { low = middle + 1 } else { high = middle }
        }
        return (low, low < sorted.count && sorted[low].name == name)
    }

    public subscript(_ name: String) -> String? {
        get {
            let at = position(of: name)
            return at.found ? sorted[at.index].value : nil
        }
        set {
            let at = position(of: name)
            switch (at.found, newValue) {
            case (true, let value?): sorted[at.index].value = value
            case (true, nil): sorted.remove(at: at.index)
            case (false, let value?): sorted.insert(Variable(name: name, value: value), at: at.index)
            case (false, nil): break
            }
        }
    }

    /// The value when set and not empty, as Perl's `$ENV{X} || ...` reads it.
    public func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }

    /// The environment this process started with, read from `environ` (as `getenv` does, the
    /// first of two entries with one name wins). Cheaper at start-up than Foundation's
    /// `ProcessInfo`, which builds its own copy.
    public static func ofProcess() -> Environment {
        var environment = Environment()
        var entry: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                let name = String(text[..<equals])
                if environment[name] == nil { environment[name] = String(text[text.utf8.index(after: equals)...]) }
            }
            entry += 1
        }
        return environment
    }
}
