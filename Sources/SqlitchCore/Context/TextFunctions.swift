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
    /// The text with every occurrence of `target` replaced, left to right, matched by Unicode
    /// scalar as Perl's `s/.../.../g` matches (a quote followed by a combining mark or a
    /// joiner is still a quote: the SQL and shell quoting relies on it). Matching the UTF-8
    /// bytes is the same: a valid target can only match at a scalar's first byte.
    func replacingEvery(_ target: some StringProtocol, with replacement: some StringProtocol) -> String {
        let text = Array(utf8)
        let pattern = Array(target.utf8)
        guard let first = pattern.first, text.count >= pattern.count else { return String(self) }
        var out: [UInt8] = []
        var i = 0
        var copied = 0
        while i + pattern.count <= text.count {
            if text[i] == first, text[i..<(i + pattern.count)].elementsEqual(pattern) {
                if out.isEmpty { out.reserveCapacity(text.count) }
                out += text[copied..<i]
                out += replacement.utf8
                i += pattern.count
                copied = i
            } else {
                i += 1
            }
        }
        if copied == 0 { return String(self) }
        out += text[copied...]
        return String(decoding: out, as: UTF8.self)
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

/// A byte as two uppercase hexadecimal digits (`printf`'s `%02X`), for percent-encoding and
/// byte dumps.
func hexDigits(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
}

/// `printf`'s formatting of numbers (`%.15g`), through the C library's `vsnprintf`.
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
    /// Slashes are found by Unicode scalar, so a name starting with a combining mark is one.
    static func deletingLastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.unicodeScalars.lastIndex(of: "/") else { return "" }
        let head = withoutTrailingSlashes(String(trimmed.unicodeScalars[..<slash]))
        return head.isEmpty ? "/" : head
    }

    /// The last component: `/a/b/` gives `b`, `/` gives `/`.
    static func lastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        let scalars = trimmed.unicodeScalars
        guard let slash = scalars.lastIndex(of: "/") else { return trimmed }
        return String(scalars[scalars.index(after: slash)...])
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var scalars = Substring(path).unicodeScalars
        while scalars.count > 1, scalars.last == "/" { scalars.removeLast() }
        return String(scalars)
    }
}
