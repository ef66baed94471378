import FoundationEssentials

/// The types `config --bool`, `--int`, `--num` and `--bool-or-int` read and write values as,
/// with GitLike's casting rules and error messages.
public enum ConfigValueType: String, Sendable, CaseIterable {
    case bool
    case int
    case num
    case boolOrInt = "bool-or-int"

    /// The value as GitLike's `cast(human => 1)` renders it: `true`/`false` for booleans,
    /// a plain number for `int`/`num` (`k`, `m`, `g` multiply by 1024, 1024², 1024³).
    /// A bare name (nil) reads as `1` for booleans. Errors end with a newline, as GitLike's do.
    public func cast(_ value: String?) throws -> String {
        var type = self
        if type == .boolOrInt {
            if let value, ConfigValueType.isNumber(value) {
                type = .int
            } else if value == nil || ConfigValueType.boolValue(value!) != nil {
                type = .bool
            } else {
                throw ConfigError("Invalid bool-or-int '\(value ?? "")'\n")
            }
        }
        switch type {
        case .bool, .boolOrInt:
            // GitLike answers 1 (not "true") for a bare name.
            guard let value else { return "1" }
            guard let bool = ConfigValueType.boolValue(value) else {
                throw ConfigError("Invalid bool '\(value)'\n")
            }
            return bool ? "true" : "false"
        case .int, .num:
            let raw = value ?? ""
            guard ConfigValueType.isNumber(raw) else {
                throw ConfigError("Invalid unit while casting to \(type.rawValue)\n")
            }
            var digits = Substring(raw)
            var factor = 1.0
            switch digits.last {
            case "k": factor = 1024; digits = digits.dropLast()
            case "m": factor = 1024 * 1024; digits = digits.dropLast()
            case "g": factor = 1024 * 1024 * 1024; digits = digits.dropLast()
            default: break
            }
            let number = ConfigValueType.perlNumber(digits) * factor
            return type == .int ? ConfigValueType.format(number.rounded(.towardZero)) : ConfigValueType.format(number)
        }
    }

    /// GitLike's booleans: `true|yes|on|-?0*1` and `false|no|off|0*` (the empty string is
    /// false), case-insensitively.
    public static func boolValue(_ value: String) -> Bool? {
        let lower = value.lowercased()
        if ["true", "yes", "on"].contains(lower) { return true }
        if ["false", "no", "off"].contains(lower) { return false }
        var digits = Substring(lower)
        if digits.allSatisfy({ $0 == "0" }) { return false }
        if digits.hasPrefix("-") { digits = digits.dropFirst() }
        if digits.hasSuffix("1"), digits.dropLast().allSatisfy({ $0 == "0" }) { return true }
        return nil
    }

    /// `^-?[0-9]*\.?[0-9]*[kmg]?$`
    static func isNumber(_ value: String) -> Bool {
        var s = Substring(value)
        if s.hasPrefix("-") { s = s.dropFirst() }
        if let last = s.last, "kmg".contains(last) { s = s.dropLast() }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, parts[1].contains(".") { return false }
        return parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// Perl's numeric reading of a string that passed `isNumber` ("-", "." and "" are 0).
    static func perlNumber(_ s: Substring) -> Double {
        Double(s) ?? Double(s + "0") ?? 0
    }

    /// Perl's default number formatting (`%.15g`, integers without a fraction).
    static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 {
            return String(Int64(number))
        }
        return cFormat("%.15g", number)
    }
}
