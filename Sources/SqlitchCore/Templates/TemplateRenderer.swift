/// A value a script template can show: text, a list, or a map reached with dotted names.
public enum TemplateValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    case string(String)
    case list([TemplateValue])
    case map([String: TemplateValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }

    /// Perl truth as Template Toolkit applies it: "" and "0" are false, lists and maps
    /// (references) are always true.
    var isTrue: Bool {
        switch self {
        case .string(let s): return Perl.isTrue(s)
        case .list, .map: return true
        }
    }

    /// Text shown for the value. Lists show their items separated by spaces (Template
    /// Toolkit would print a Perl reference, which no template relies on).
    var text: String {
        switch self {
        case .string(let s): return s
        case .list(let items): return items.map(\.text).joined(separator: " ")
        case .map: return ""
        }
    }
}

/// Renders the Template Toolkit subset Sqitch's script templates use: `[% var %]`,
/// dotted names (`item.x`, `list.size`, `list.join(", ")`), `FOREACH x IN list`,
/// `IF`/`ELSIF`/`ELSE`/`UNLESS`/`END`, `[%# comments %]`, and `[%-`/`-%]` chomping.
public enum TemplateRenderer {
    /// Renders `template` with `variables`; errors name the problem, not the file.
    public static func render(_ template: String, variables: [String: TemplateValue]) throws -> String {
        let tokens = try tokenize(template)
        var index = 0
        let nodes = try parseBlock(tokens, &index, terminators: [])
        if index < tokens.count {
            throw CommandError("unexpected token (\(tokens[index].directive))")
        }
        var out = ""
        var scope = variables
        try run(nodes, scope: &scope, into: &out)
        return out
    }

    // MARK: Tokens

    enum Token {
        case text(String)
        case tag(directive: String)

        var directive: String {
            if case .tag(let d) = self { return d }
            return ""
        }
    }

    static func tokenize(_ template: String) throws -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(template)
        var pendingPostChomp = false
        while !rest.isEmpty {
            guard let open = rest.firstRange(of: "[%") else {
                tokens.append(.text(chompStart(String(rest), pendingPostChomp)))
                break
            }
            var text = chompStart(String(rest[..<open.lowerBound]), pendingPostChomp)
            var inner = rest[open.upperBound...]
            guard let close = inner.firstRange(of: "%]") else {
                throw CommandError("unclosed directive")
            }
            let after = inner[close.upperBound...]
            inner = inner[..<close.lowerBound]
            if inner.hasPrefix("-") {
                inner = inner.dropFirst()
                // Drop trailing blanks and one newline before the tag.
                var t = Substring(text)
                while let last = t.last, last == " " || last == "\t" { t = t.dropLast() }
                if t.hasSuffix("\n") {
                    t = t.dropLast()
                    if t.hasSuffix("\r") { t = t.dropLast() }
                    text = String(t)
                } else if t.isEmpty {
                    text = ""
                }
            } else if inner.hasPrefix("+") {
                inner = inner.dropFirst()
            }
            pendingPostChomp = false
            if inner.hasSuffix("-") {
                inner = inner.dropLast()
                pendingPostChomp = true
            } else if inner.hasSuffix("+") {
                inner = inner.dropLast()
            }
            if !text.isEmpty { tokens.append(.text(text)) }
            let directive = inner.trimmingCharacters(in: " \t\r\n")
            if !directive.hasPrefix("#") {
                tokens.append(.tag(directive: directive))
            }
            rest = after
        }
        return tokens
    }

    /// Removes blanks up to and including the first newline (a `-%]` before this text).
    static func chompStart(_ text: String, _ chomp: Bool) -> String {
        guard chomp else { return text }
        var t = Substring(text)
        while let first = t.first, first == " " || first == "\t" || first == "\r" { t = t.dropFirst() }
        if t.hasPrefix("\n") { return String(t.dropFirst()) }
        return text
    }

    // MARK: Tree

    indirect enum Node {
        case text(String)
        case output(Expression)
        case foreach(variable: String, list: Expression, body: [Node])
        case conditional(branches: [(Expression, [Node])], otherwise: [Node])
    }

    static func parseBlock(_ tokens: [Token], _ index: inout Int, terminators: Set<String>) throws -> [Node] {
        var nodes: [Node] = []
        while index < tokens.count {
            switch tokens[index] {
            case .text(let t):
                nodes.append(.text(t))
                index += 1
            case .tag(let directive):
                let (keyword, rest) = splitKeyword(directive)
                if terminators.contains(keyword) { return nodes }
                index += 1
                switch keyword {
                case "FOREACH", "FOR":
                    let words = rest.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
                    let variable: String
                    let listText: String
                    if words.count == 3, words[1] == "IN" || words[1] == "=" {
                        variable = String(words[0])
                        listText = String(words[2])
                    } else if let eq = rest.firstIndex(of: "=") {
                        variable = rest[..<eq].trimmingCharacters(in: " ")
                        listText = String(rest[rest.index(after: eq)...])
                    } else {
                        variable = "item"
                        listText = rest
                    }
                    let body = try parseBlock(tokens, &index, terminators: ["END"])
                    try expectEnd(tokens, &index)
                    nodes.append(.foreach(variable: variable, list: try Expression.parse(listText), body: body))
                case "IF", "UNLESS":
                    var condition = try Expression.parse(rest)
                    if keyword == "UNLESS" { condition = .not(condition) }
                    var branches: [(Expression, [Node])] = []
                    var otherwise: [Node] = []
                    var body = try parseBlock(tokens, &index, terminators: ["ELSIF", "ELSE", "END"])
                    branches.append((condition, body))
                    while index < tokens.count {
                        let (kw, r) = splitKeyword(tokens[index].directive)
                        index += 1
                        if kw == "ELSIF" {
                            body = try parseBlock(tokens, &index, terminators: ["ELSIF", "ELSE", "END"])
                            branches.append((try Expression.parse(r), body))
                        } else if kw == "ELSE" {
                            otherwise = try parseBlock(tokens, &index, terminators: ["END"])
                            try expectEnd(tokens, &index)
                            break
                        } else {
                            break
                        }
                    }
                    nodes.append(.conditional(branches: branches, otherwise: otherwise))
                case "END", "ELSE", "ELSIF":
                    throw CommandError("unexpected token (\(keyword))")
                case "GET":
                    nodes.append(.output(try Expression.parse(rest)))
                default:
                    nodes.append(.output(try Expression.parse(directive)))
                }
            }
        }
        if !terminators.isEmpty {
            throw CommandError("unexpected end of input")
        }
        return nodes
    }

    static func expectEnd(_ tokens: [Token], _ index: inout Int) throws {
        guard index < tokens.count, splitKeyword(tokens[index].directive).0 == "END" else {
            throw CommandError("unexpected end of input")
        }
        index += 1
    }

    static func splitKeyword(_ directive: String) -> (String, String) {
        let end = directive.firstIndex { $0 == " " || $0 == "\t" || $0 == "\n" } ?? directive.endIndex
        let keyword = String(directive[..<end])
        let rest = directive[end...].trimmingCharacters(in: " \t\r\n")
        return (keyword, rest)
    }

    // MARK: Evaluation

    static func run(_ nodes: [Node], scope: inout [String: TemplateValue], into out: inout String) throws {
        for node in nodes {
            switch node {
            case .text(let t):
                out += t
            case .output(let expression):
                out += expression.evaluate(scope)?.text ?? ""
            case .foreach(let variable, let list, let body):
                let items: [TemplateValue]
                switch list.evaluate(scope) {
                case .list(let values)?: items = values
                case nil: items = []
                case let value?: items = [value]
                }
                let saved = scope[variable]
                for item in items {
                    scope[variable] = item
                    try run(body, scope: &scope, into: &out)
                }
                scope[variable] = saved
            case .conditional(let branches, let otherwise):
                var done = false
                for (condition, body) in branches where condition.evaluate(scope)?.isTrue ?? false {
                    try run(body, scope: &scope, into: &out)
                    done = true
                    break
                }
                if !done { try run(otherwise, scope: &scope, into: &out) }
            }
        }
    }

    /// An expression: a dotted variable, a quoted string, `NOT`, `==`/`!=`, `AND`/`OR`.
    indirect enum Expression {
        case literal(String)
        case path([(name: String, argument: String?)])
        case not(Expression)
        case equal(Expression, Expression, negated: Bool)
        case and(Expression, Expression)
        case or(Expression, Expression)

        static func parse(_ text: String) throws -> Expression {
            let t = text.trimmingCharacters(in: " \t\r\n")
            if t.isEmpty { throw CommandError("missing expression") }
            for (op, make) in [(" OR ", Expression.or), (" || ", Expression.or), (" AND ", Expression.and),
                               (" && ", Expression.and)] {
                if let r = rangeOutsideQuotes(op, in: t) {
                    return make(try parse(String(t[..<r.lowerBound])), try parse(String(t[r.upperBound...])))
                }
            }
            for op in ["==", "!="] {
                if let r = rangeOutsideQuotes(op, in: t) {
                    return .equal(try parse(String(t[..<r.lowerBound])), try parse(String(t[r.upperBound...])),
                                  negated: op == "!=")
                }
            }
            if t.hasPrefix("NOT ") { return .not(try parse(String(t.dropFirst(4)))) }
            if t.hasPrefix("!") { return .not(try parse(String(t.dropFirst()))) }
            if let q = t.first, q == "'" || q == "\"", t.count >= 2, t.last == q {
                return .literal(String(t.dropFirst().dropLast()))
            }
            if t.first!.isNumber, Double(t) != nil { return .literal(t) }
            var parts: [(name: String, argument: String?)] = []
            var rest = Substring(t)
            while !rest.isEmpty {
                let end = rest.firstIndex { $0 == "." || $0 == "(" } ?? rest.endIndex
                let name = rest[..<end].trimmingCharacters(in: " ")
                rest = rest[end...]
                var argument: String?
                if rest.hasPrefix("(") {
                    guard let close = rest.lastIndex(of: ")") else {
                        throw CommandError("unbalanced parentheses in \(t)")
                    }
                    let inner = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: " ")
                    if let q = inner.first, q == "'" || q == "\"", inner.count >= 2, inner.last == q {
                        argument = String(inner.dropFirst().dropLast())
                    } else {
                        argument = inner
                    }
                    rest = rest[rest.index(after: close)...]
                }
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw CommandError("unexpected token (\(t))")
                }
                parts.append((name, argument))
                if rest.hasPrefix(".") { rest = rest.dropFirst() }
            }
            return .path(parts)
        }

        static func rangeOutsideQuotes(_ op: String, in text: String) -> Range<String.Index>? {
            var quote: Character?
            var i = text.startIndex
            while i < text.endIndex {
                let c = text[i]
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == "'" || c == "\"" {
                    quote = c
                } else if text[i...].hasPrefix(op) {
                    return i..<text.index(i, offsetBy: op.count)
                }
                i = text.index(after: i)
            }
            return nil
        }

        func evaluate(_ scope: [String: TemplateValue]) -> TemplateValue? {
            switch self {
            case .literal(let s): return .string(s)
            case .not(let e): return .string((e.evaluate(scope)?.isTrue ?? false) ? "" : "1")
            case .equal(let a, let b, let negated):
                let same = (a.evaluate(scope)?.text ?? "") == (b.evaluate(scope)?.text ?? "")
                return .string(same != negated ? "1" : "")
            case .and(let a, let b):
                guard let left = a.evaluate(scope), left.isTrue else { return .string("") }
                return b.evaluate(scope)
            case .or(let a, let b):
                if let left = a.evaluate(scope), left.isTrue { return left }
                return b.evaluate(scope)
            case .path(let parts):
                guard var value = scope[parts[0].name] else { return nil }
                for part in parts.dropFirst() {
                    guard let next = Expression.member(value, part.name, part.argument) else { return nil }
                    value = next
                }
                return value
            }
        }

        /// A map key, or one of Template Toolkit's virtual methods.
        static func member(_ value: TemplateValue, _ name: String, _ argument: String?) -> TemplateValue? {
            switch value {
            case .map(let entries):
                if let v = entries[name] { return v }
                if name == "size" { return .string(String(entries.count)) }
                return nil
            case .list(let items):
                switch name {
                case "size": return .string(String(items.count))
                case "max": return .string(String(items.count - 1))
                case "first": return items.first
                case "last": return items.last
                case "join": return .string(items.map(\.text).joined(separator: argument ?? " "))
                case "reverse": return .list(items.reversed())
                case "sort": return .list(items.sorted { $0.text < $1.text })
                default:
                    if let n = Int(name), items.indices.contains(n) { return items[n] }
                    return nil
                }
            case .string(let s):
                switch name {
                case "length": return .string(String(s.count))
                case "size": return .string("1")
                case "upper": return .string(s.uppercased())
                case "lower": return .string(s.lowercased())
                case "first", "last", "join": return value
                case "list": return .list([value])
                default: return nil
                }
            }
        }
    }
}
