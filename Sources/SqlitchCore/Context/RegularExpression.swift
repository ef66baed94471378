import FoundationEssentials
import Synchronization
import _FoundationICU

/// A regular expression compiled by ICU: the engine Foundation's `NSRegularExpression` wraps,
/// as bundled with the toolchain's FoundationInternationalization (its functions carry a
/// `swift_` prefix there), called directly so that the library needs no more of Foundation.
/// Patterns and matches are therefore exactly what they were through `NSRegularExpression`.
/// Offsets are UTF-16, as ICU counts them.
final class RegularExpression: Sendable {
    struct Options: OptionSet, Sendable {
        let rawValue: UInt32
        static let caseInsensitive = Options(rawValue: UInt32(UREGEX_CASE_INSENSITIVE.rawValue))
    }

    /// ICU's reason for refusing a pattern (for example `U_REGEX_RULE_SYNTAX`).
    struct InvalidPattern: Error, CustomStringConvertible {
        let pattern: String
        let reason: String
        var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
    }

    let pattern: String
    /// One compiled expression holds the text it matches, so a match takes the lock.
    private let compiled: Mutex<Handle>

    private struct Handle: @unchecked Sendable { let pointer: OpaquePointer }

    init(_ pattern: String, options: Options = []) throws {
        self.pattern = pattern
        let units = Array(pattern.utf16)
        var status = U_ZERO_ERROR
        let pointer = swift_uregex_open(units, Int32(units.count), options.rawValue, nil, &status)
        guard let pointer, status.succeeded else {
            if let pointer { swift_uregex_close(pointer) }
            throw InvalidPattern(pattern: pattern, reason: String(cString: swift_u_errorName(status)))
        }
        compiled = Mutex(Handle(pointer: pointer))
    }

    deinit {
        compiled.withLock { swift_uregex_close($0.pointer) }
    }

    /// A match: each group's range in UTF-16 offsets of the text, nil for a group that took
    /// no part.
    struct Match {
        let text: String
        let groups: [Range<Int>?]
        fileprivate let names: [String: Int]

        /// The group's range in the text.
        func range(_ group: Int) -> Range<String.Index>? {
            guard group < groups.count, let offsets = groups[group] else { return nil }
            let utf16 = text.utf16
            let lower = utf16.index(utf16.startIndex, offsetBy: offsets.lowerBound)
            return lower..<utf16.index(lower, offsetBy: offsets.count)
        }

        /// The group's text, or nil.
        subscript(group: Int) -> String? { range(group).map { String(text[$0]) } }

        /// The named group's text, or nil (also for a name the pattern lacks).
        subscript(name: String) -> String? { names[name].flatMap { self[$0] } }
    }

    /// The first match in `text`, asking for the numbers of the named groups `names`.
    func firstMatch(in text: String, names: [String] = []) -> Match? {
        matches(in: text, names: names, limit: 1).first
    }

    /// The range of the first match in `text`, or nil.
    func firstRange(in text: String) -> Range<String.Index>? { firstMatch(in: text)?.range(0) }

    /// Whether the pattern matches anywhere in `text`.
    func matches(_ text: String) -> Bool { firstMatch(in: text) != nil }

    /// The matches in `text`, left to right, none overlapping.
    func matches(in text: String, names: [String] = [], limit: Int = .max) -> [Match] {
        var units = Array(text.utf16)
        let length = Int32(units.count)
        units.append(0)  // a valid address for an empty text
        return compiled.withLock { handle in
            let pointer = handle.pointer
            var status = U_ZERO_ERROR
            var numbers: [String: Int] = [:]
            for name in names {
                let nameUnits = Array(name.utf16)
                var nameStatus = U_ZERO_ERROR
                let number = swift_uregex_groupNumberFromName(pointer, nameUnits, Int32(nameUnits.count), &nameStatus)
                if nameStatus.succeeded { numbers[name] = Int(number) }
            }
            let groupCount = Int(swift_uregex_groupCount(pointer, &status))
            var found: [Match] = []
            units.withUnsafeMutableBufferPointer { buffer in
                // ICU reads the text in place, so it is set anew for each use, under the lock.
                swift_uregex_setText(pointer, buffer.baseAddress, length, &status)
                var next = swift_uregex_findNext(pointer, &status) != 0
                while next, status.succeeded, found.count < limit {
                    var groups: [Range<Int>?] = []
                    groups.reserveCapacity(groupCount + 1)
                    for group in 0...groupCount {
                        let start = Int(swift_uregex_start(pointer, Int32(group), &status))
                        let end = Int(swift_uregex_end(pointer, Int32(group), &status))
                        groups.append(start < 0 ? nil : start..<end)
                    }
                    found.append(Match(text: text, groups: groups, names: numbers))
                    next = found.count < limit && swift_uregex_findNext(pointer, &status) != 0
                }
            }
            return found
        }
    }

    /// The named groups of the first match, or nil without a match.
    func captures(in text: String, names: [String]) -> [String: String]? {
        guard let match = firstMatch(in: text, names: names) else { return nil }
        var result: [String: String] = [:]
        result.reserveCapacity(names.count)
        for name in names { if let value = match[name] { result[name] = value } }
        return result
    }

    /// `text` with each match replaced by what `replacement` makes of it.
    func replacingMatches(in text: String, with replacement: (Match) -> String) -> String {
        var result = ""
        var position = text.startIndex
        for match in matches(in: text) {
            guard let range = match.range(0) else { continue }
            result += text[position..<range.lowerBound]
            result += replacement(match)
            position = range.upperBound
        }
        return result + text[position...]
    }
}

extension UErrorCode {
    /// ICU's `U_SUCCESS`: no error (warnings, which are negative, included).
    var succeeded: Bool { rawValue <= U_ZERO_ERROR.rawValue }
}
