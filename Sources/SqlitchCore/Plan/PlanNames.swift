import FoundationEssentials

/// The naming rules shared by changes, tags and projects, and the regular expressions the
/// plan grammar is built from.
public enum PlanNames {
    /// ASCII punctuation except `_`, as a character-class body for ICU patterns.
    static let punct = ##"\-!"#$%\&'()*+,./:;<=>?@\[\\\]\^`{|}~"##
    /// Perl's `[[:blank:]]`: tab and the Unicode space separators.
    static let blank = #"[\t\p{Zs}]"#

    /// A change, tag or project name (no anchors).
    static let namePattern =
        "(?![\(punct)])" +
        #"(?:(?![~/=%\^\[\]]\d+(?:$|[\t\p{Zs}]))[^\t\p{Zs}:@#\\])+"# +
        "(?<![\(punct)])\\b"

    static let fullName = try! RegularExpression("\\A\(namePattern)\\z")
    static let reserved: Set<String> = ["HEAD", "ROOT"]

    /// True when `name` matches the name rule (not checking reserved or SHA1-like names).
    public static func isValid(_ name: String) -> Bool {
        if isSimpleName(Array(name.utf8)[...]) { return true }
        return fullName.matches(name)
    }

    /// True for the names most plans use, which the name rule accepts without its regular
    /// expression: ASCII letters, digits, `_`, `-` and `.`, starting and ending with a letter,
    /// digit or `_` (none of these characters takes part in the rule's exceptions).
    static func isSimpleName(_ bytes: ArraySlice<UInt8>) -> Bool {
        func isWord(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
        guard let first = bytes.first, let last = bytes.last, isWord(first), isWord(last) else { return false }
        return bytes.allSatisfy { isWord($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// True when the name starts with 40 lowercase hex digits.
    public static func looksLikeSHA1(_ name: String) -> Bool {
        // Hex digits are ASCII: the first 40 bytes decide.
        let bytes = name.utf8.prefix(40)
        return bytes.count == 40 && bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    static let ruleText =
        ##"must not begin with punctuation, contain "@", ":", "#", "\", "[", "]", or blanks, or end in punctuation or digits following punctuation"##
    static let tagRuleText =
        ##"must not begin with punctuation, contain "@", ":", "#", "/", "\", "[", "]", or blanks, or end in punctuation or digits following punctuation"##

    /// The message for a bad name in a plan line.
    public static let invalidNameMessage = "Invalid name; names " + ruleText

    /// Checks a change or tag name given to `add`, `tag` or `rework`, with Sqitch's messages.
    public static func validate(_ name: String, isTag: Bool) throws {
        if reserved.contains(name) { throw PlanError("\"\(name)\" is a reserved name") }
        if looksLikeSHA1(name) {
            throw PlanError("\"\(name)\" is invalid because it could be confused with a SHA1 ID")
        }
        if isTag {
            if !isValid(name) || name.contains("/") {
                throw PlanError("\"\(name)\" is invalid: tags " + tagRuleText)
            }
        } else if !isValid(name) {
            throw PlanError("\"\(name)\" is invalid: changes " + ruleText)
        }
    }

    /// The message for an invalid project name (`%project` pragma or `init`).
    public static func invalidProjectMessage(_ project: String) -> String {
        "invalid project name \"\(project)\": project names " + ruleText
    }
}
