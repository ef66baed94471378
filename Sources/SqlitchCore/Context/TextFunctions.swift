import FoundationEssentials
import Glibc

// The few string functions sqlitch used from Foundation's NSString bridge, written over the
// standard library so that the library links FoundationEssentials only: full Foundation
// (CoreFoundation and its start-up work) made every run start about twice as slowly as an
// empty Swift program.

/// The characters `trimming(_:)` removes: those of Foundation's `CharacterSet` of the same
/// name, as its CoreFoundation defines them on Linux.
enum TrimmedCharacters {
    /// Unicode's space separators (Zs), the tab and U+200B.
    case whitespaces
    /// Those, the other separators (Zl, Zp), U+000A to U+000D and U+0085.
    case whitespacesAndNewlines

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar.value == 0x200B || scalar.properties.generalCategory == .spaceSeparator {
            return true
        }
        guard self == .whitespacesAndNewlines else { return false }
        switch scalar.value {
        case 0x0A...0x0D, 0x85: return true
        default:
            let category = scalar.properties.generalCategory
            return category == .lineSeparator || category == .paragraphSeparator
        }
    }
}

extension StringProtocol {
    /// The text with every occurrence of `target` replaced, left to right.
    func replacingEvery(_ target: some StringProtocol, with replacement: some StringProtocol) -> String {
        guard !target.isEmpty else { return String(self) }
        return String(self).replacing(String(target), with: String(replacement))
    }

    /// The text without the leading and trailing characters of `set` (compared by Unicode
    /// scalar, as Foundation does).
    func trimming(_ set: TrimmedCharacters) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !set.contains($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// The range of the last occurrence of `target`, or nil.
    func lastRange(of target: some StringProtocol) -> Range<Index>? {
        guard !target.isEmpty else { return nil }
        var found: Range<Index>?
        var start = startIndex
        while let range = self[start...].firstRange(of: target) {
            found = range
            start = index(after: range.lowerBound)
        }
        return found
    }
}

/// `printf`'s formatting of numbers (`%.15g`, `%02X`), through the C library's `vsnprintf`.
func cFormat(_ format: String, _ arguments: CVarArg...) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    var needed = Int(withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) })
    if needed >= buffer.count {
        buffer = [CChar](repeating: 0, count: needed + 1)
        needed = Int(withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) })
    }
    return String(decoding: buffer.prefix(max(needed, 0)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Path functions with NSString's rules for the cases sqlitch meets: trailing slashes are
/// ignored, the root stays the root.
enum PathText {
    /// The path without its last component: `/a/b` gives `/a`, `/a` gives `/`, `a` gives ``.
    static func deletingLastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let head = withoutTrailingSlashes(String(trimmed[..<slash]))
        return head.isEmpty ? "/" : head
    }

    /// The last component: `/a/b/` gives `b`, `/` gives `/`.
    static func lastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
