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
}
