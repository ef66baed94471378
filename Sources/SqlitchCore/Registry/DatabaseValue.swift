/// A value bound to or read from a registry database (SQLite's storage classes, which the
/// other engines' values map onto).
public enum DatabaseValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    /// A list of texts: a PostgreSQL `TEXT[]`. Engines without list columns store lists as
    /// joined text (`RegistryDialect.listParameter`).
    case list([String])

    /// The text of a text value, or the textual form of a number (as SQLite converts it).
    public var text: String? {
        switch self {
        case .null: return nil
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return value
        case .blob(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .list(let items): return items.joined(separator: " ")
        }
    }

    /// The items of a list value; nil for any other value.
    public var list: [String]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// The integer value of an integer (or integral text) value.
    public var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .real(let value): return Int64(exactly: value)
        case .text(let value): return Int64(value)
        default: return nil
        }
    }

    public var isNull: Bool { self == .null }
}

extension DatabaseValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
}

extension DatabaseValue {
    /// `.text(value)`, or `.null` for nil.
    public static func optional(_ value: String?) -> DatabaseValue { value.map { .text($0) } ?? .null }
}

/// One result row: values by position, and by column name.
public struct DatabaseRow: Sendable, Equatable {
    public let columns: [String]
    public let values: [DatabaseValue]

    public init(columns: [String], values: [DatabaseValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(_ index: Int) -> DatabaseValue { values[index] }

    /// The value of the first column named `name`, or `.null` when there is none.
    public subscript(_ name: String) -> DatabaseValue {
        columns.firstIndex(of: name).map { values[$0] } ?? .null
    }
}
