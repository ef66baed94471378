/// Command-line options read the way Sqitch reads them: Perl's Getopt::Long configured with
/// `bundling` (core options add `pass_through`). That means unique abbreviations of long
/// names (`--form` for `--format`), case-insensitive long names, `--name=value` or
/// `--name value`, `--no-name`/`--noname` for negatable options, bundled single letters
/// (`-vvv`, `-n2`, `-fplan.txt`), options anywhere among the arguments, and `--` to end them.
///
/// Specifications use Getopt::Long's syntax: `target|t=s`, `max-count|n=i`, `verify!`,
/// `verbose|V|v+`, `note|n|m=s@`, `set|s=s%`, `log-only`.
public struct Getopt: Sendable {
    /// One option: its names (the first is canonical) and what it takes.
    public struct Option: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// A switch (`log-only`).
            case flag
            /// A switch with `--no-name` (`verify!`).
            case negatable
            /// A switch counted each time it is given (`verbose+`).
            case counter
            /// A value: a string or an integer, once (scalar), repeated (`@`) or `key=value` (`%`).
            case value(integer: Bool, destination: Destination)
        }

        public enum Destination: Sendable, Equatable { case scalar, list, hash }

        public var names: [String]
        public var kind: Kind
        public var canonical: String { names[0] }

        public init(names: [String], kind: Kind) {
            self.names = names
            self.kind = kind
        }

        /// Parses one Getopt::Long specification.
        public init(_ spec: String) {
            var body = Substring(spec)
            var kind = Kind.flag
            if body.hasSuffix("!") {
                kind = .negatable
                body = body.dropLast()
            } else if body.hasSuffix("+") {
                kind = .counter
                body = body.dropLast()
            } else if let eq = body.firstIndex(of: "=") {
                let type = body[body.index(after: eq)...]
                let destination: Destination = type.hasSuffix("@") ? .list : type.hasSuffix("%") ? .hash : .scalar
                kind = .value(integer: type.hasPrefix("i"), destination: destination)
                body = body[..<eq]
            }
            names = body.split(separator: "|").map(String.init)
            self.kind = kind
        }
    }

    /// What an option was given as.
    public enum Value: Sendable, Equatable {
        case on
        case off
        case text(String)
        case integer(Int)
        case pair(key: String, value: String)
    }

    /// The outcome of reading a command line.
    public struct Result: Sendable, Equatable {
        /// The options in the order given, by canonical name.
        public var options: [(name: String, value: Value)]
        /// The other arguments, in order (with pass-through, unknown options stay here too).
        public var arguments: [String]
        /// Getopt::Long's warnings, one line each (`Unknown option: foo`); any makes it a usage error.
        public var errors: [String]

        public static func == (lhs: Result, rhs: Result) -> Bool {
            lhs.arguments == rhs.arguments && lhs.errors == rhs.errors
                && lhs.options.map(\.name) == rhs.options.map(\.name)
                && lhs.options.map(\.value) == rhs.options.map(\.value)
        }

        /// The values given for `name`.
        public func values(_ name: String) -> [Value] { options.filter { $0.name == name }.map(\.value) }
    }

    public let options: [Option]
    /// Every name (lowercased when longer than one letter), with `no`/`no-` forms of negatable
    /// options, sorted as Getopt::Long sorts them for abbreviation.
    private let table: [(name: String, option: Int, negated: Bool)]

    public init(_ specs: [String]) {
        self.init(options: specs.map(Option.init))
    }

    public init(options: [Option]) {
        self.options = options
        var table: [(String, Int, Bool)] = []
        for (index, option) in options.enumerated() {
            for name in option.names {
                let key = name.count > 1 ? name.lowercased() : name
                table.append((key, index, false))
                if option.kind == .negatable {
                    table.append(("no" + key, index, true))
                    table.append(("no-" + key, index, true))
                }
            }
        }
        self.table = table.sorted { $0.0 < $1.0 }
    }

    /// Whether `parse` would find anything but arguments in `arguments`: an option word or
    /// `--` (the test `parse` makes of each word). Without one, a grammar's parse returns its
    /// initial options and the arguments as they are, so callers skip building the grammar.
    public static func hasOptionWords(_ arguments: [String]) -> Bool {
        arguments.contains(where: isOptionWord)
    }

    private static func isOptionWord(_ word: String) -> Bool { word.hasPrefix("-") && word != "-" }

    /// Reads `arguments`. With `passThrough`, options that are unknown, ambiguous or missing
    /// their value are left among the arguments instead of being errors.
    public func parse(_ arguments: [String], passThrough: Bool = false) -> Result {
        var result = Result(options: [], arguments: [], errors: [])
        var queue = arguments[...]
        while let arg = queue.popFirst() {
            if arg == "--" {
                if passThrough { result.arguments.append(arg) }
                result.arguments.append(contentsOf: queue)
                break
            }
            guard Getopt.isOptionWord(arg) else {
                result.arguments.append(arg)
                continue
            }
            if !read(arg, queue: &queue, into: &result, passThrough: passThrough) {
                result.arguments.append(arg)
            }
        }
        return result
    }

    /// Reads one option word (and its value from `queue` if needed); false when pass-through
    /// leaves it alone.
    private func read(_ word: String, queue: inout ArraySlice<String>, into result: inout Result,
                      passThrough: Bool) -> Bool {
        let isLong = word.hasPrefix("--")
        var name = String(word.dropFirst(isLong ? 2 : 1))
        var attached: String?
        var rest: String?
        if isLong {
            if let eq = name.dropFirst().firstIndex(of: "=") {
                attached = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
        } else {
            // Bundling: one letter at a time; the remainder is the value or more letters.
            rest = name.count > 1 ? String(name.dropFirst()) : nil
            name = String(name.prefix(1))
        }

        var hit: (name: String, option: Int, negated: Bool)?
        if isLong, !name.isEmpty {
            let lowered = name.lowercased()
            let hits = table.filter { $0.name.hasPrefix(lowered) }
            if let exact = hits.first(where: { $0.name == lowered }) {
                hit = exact
            } else if !hits.isEmpty {
                let distinct = Set(hits.map { "\($0.negated ? "no" : "")\(options[$0.option].canonical)" })
                if distinct.count > 1 {
                    if passThrough { return false }
                    result.errors.append(
                        "Option \(lowered) is ambiguous (\(hits.map(\.name).joined(separator: ", ")))")
                    return true
                }
                hit = hits[0]
            }
        } else if !isLong {
            hit = table.first { $0.name == name }
        }
        guard let hit else {
            if passThrough { return false }
            if !isLong, let rest { queue.insert("-" + rest, at: queue.startIndex) }
            result.errors.append(name.isEmpty ? "Missing option after \(isLong ? "--" : "-")" : "Unknown option: \(name)")
            return true
        }
        let option = options[hit.option]
        let given = hit.name

        switch option.kind {
        case .flag, .negatable, .counter:
            if attached != nil {
                if passThrough { return false }
                result.errors.append("Option \(given) does not take an argument")
                return true
            }
            result.options.append((option.canonical, hit.negated ? .off : .on))
            if let rest { queue.insert("-" + rest, at: queue.startIndex) }
            return true
        case .value(let integer, let destination):
            var value: String
            if let rest {
                value = rest
            } else if let attached {
                if attached.isEmpty {
                    if passThrough { return false }
                    result.errors.append("Option \(given) requires an argument")
                    return true
                }
                value = attached
            } else if let next = queue.first {
                value = next
                queue.removeFirst()
            } else {
                if passThrough { return false }
                result.errors.append("Option \(given) requires an argument")
                return true
            }
            var key: String?
            if destination == .hash {
                guard let eq = value.firstIndex(of: "=") else {
                    if passThrough { return false }
                    result.errors.append("Option \(given), key \"\(value)\", requires a value")
                    // Getopt::Long then reads a bundled remainder again, as more letters.
                    if let rest { queue.insert("-" + rest, at: queue.startIndex) }
                    return true
                }
                key = String(value[..<eq])
                value = String(value[value.index(after: eq)...])
            }
            if integer {
                // Bundled digits may be followed by more letters (`-n2v`).
                if rest != nil, let digits = Getopt.leadingInteger(value), digits.count < value.count {
                    queue.insert("-" + value.dropFirst(digits.count), at: queue.startIndex)
                    value = digits
                }
                guard let number = Getopt.integer(value) else {
                    if passThrough { return false }
                    result.errors.append("Value \"\(value)\" invalid for option \(given) (number expected)")
                    if let rest { queue.insert("-" + rest, at: queue.startIndex) }
                    return true
                }
                result.options.append((option.canonical, key.map { .pair(key: $0, value: String(number)) } ?? .integer(number)))
                return true
            }
            result.options.append((option.canonical, key.map { .pair(key: $0, value: value) } ?? .text(value)))
            return true
        }
    }

    /// Perl's `[-+]?_*[0-9][0-9_]*` as a number, underscores dropped.
    static func integer(_ text: String) -> Int? {
        guard let digits = leadingInteger(text), digits.count == text.count else { return nil }
        return Int(digits.filter { $0 != "_" && $0 != "+" })
    }

    /// The longest prefix of `text` matching `[-+]?_*[0-9][0-9_]*`.
    static func leadingInteger(_ text: String) -> String? {
        var chars = Substring(text)
        var taken = ""
        if let sign = chars.first, sign == "-" || sign == "+" { taken.append(sign); chars = chars.dropFirst() }
        while chars.first == "_" { taken.append("_"); chars = chars.dropFirst() }
        guard let first = chars.first, first.isASCII, first.isNumber else { return nil }
        for c in chars {
            guard c == "_" || (c.isASCII && c.isNumber) else { break }
            taken.append(c)
        }
        return taken
    }
}
