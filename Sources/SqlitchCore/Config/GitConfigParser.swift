/// One thing the git-config parser found: a section header (`name` nil) or a variable
/// (`name` set; `value` nil for a bare name). Offsets and lengths count Unicode scalars of
/// the parsed text, so a writer can cut and splice the text in place.
public struct ConfigEvent: Sendable, Equatable {
    /// `section` lower-cased, then `.subsection` as written.
    public var section: String
    public var name: String?
    public var value: String?
    public var offset: Int
    public var length: Int
}

/// The git-config dialect as Config::GitLike reads it (its non-"compatible" mode, which
/// Sqitch uses): sections, quoted subsections, bare names, quoting, escapes, continuation
/// lines and `#`/`;` comments.
public enum GitConfigParser {
    /// The text as GitLike sees it after reading a file: CRLF (or lone CR) line ends turned
    /// into LF, and exactly one trailing newline. Also returns the original line end.
    public static func normalize(_ text: String) -> (text: String, newline: String) {
        var c = text
        var newline = "\n"
        if c.contains("\r\n") {
            newline = "\r\n"
            c = c.replacingEvery("\r\n", with: "\n")
        } else if !c.contains("\n"), c.contains("\r") {
            newline = "\r"
            c = c.replacingEvery("\r", with: "\n")
        }
        var scalars = Array(c.unicodeScalars)
        while scalars.last == "\n" { scalars.removeLast() }
        scalars.append("\n")
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return (String(out), newline)
    }

    /// Parses `text` (already normalized) into events; a malformed statement throws
    /// GitLike's `Error parsing <file> at line N, position P.` error.
    public static func parse(_ text: String, filename: String) throws -> [ConfigEvent] {
        let c = Array(text.unicodeScalars)
        var events: [ConfigEvent] = []
        var i = 0
        var section: String?
        let n = c.count

        func fail(_ offset: Int) -> ConfigError {
            parseError(content: c, offset: offset, filename: filename)
        }
        func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }
        func atLineEnd(_ j: Int) -> Bool { j >= n || c[j] == "\n" }
        func string(_ r: Range<Int>) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: c[r])
            return String(v)
        }

        while true {
            while i < n, isSpace(c[i]) { i += 1 }
            let offset = i
            if i >= n { break }
            if c[i] == "#" || c[i] == ";" {
                while i < n, c[i] != "\n" { i += 1 }
                continue
            }
            if c[i] == "[", let header = matchSection(c, i) {
                var name = string(header.name).lowercased()
                if let sub = header.sub {
                    let raw = string(sub)
                    if Perl.isTrue(raw) {
                        let check = raw.replacingEvery("\\\\", with: "").replacingEvery("\\\"", with: "")
                        if check.contains("\\") || check.contains("\"") { throw fail(offset) }
                        name += "." + raw.replacingEvery("\\\\", with: "\\").replacingEvery("\\\"", with: "\"")
                    }
                }
                section = name
                i = header.end
                events.append(ConfigEvent(section: name, name: nil, value: nil, offset: offset, length: i - offset))
                continue
            }
            // A name: first character not `[`, `=` or newline; no `=` or newline after it.
            guard c[i] != "[", c[i] != "=", c[i] != "\n" else { throw fail(offset) }
            var j = i
            while j < n, c[j] != "=", c[j] != "\n" { j += 1 }
            // Bare name: the line ends (perhaps after a comment) before any `=`, with the
            // name ending at the first spot followed by blanks and a comment or line end.
            if let bare = matchBareName(c, from: i) {
                guard let section else { throw fail(offset) }
                i = bare.end
                events.append(ConfigEvent(section: section, name: string(bare.name), value: nil,
                                          offset: offset, length: i - offset))
                continue
            }
            guard j < n, c[j] == "=" else { throw fail(offset) }
            guard let section else { throw fail(offset) }
            var nameEnd = j
            while nameEnd > i, c[nameEnd - 1] == " " || c[nameEnd - 1] == "\t" { nameEnd -= 1 }
            let name = string(i..<nameEnd)
            i = j + 1
            while i < n, c[i] == " " || c[i] == "\t" { i += 1 }
            var value = String.UnicodeScalarView()
            valueLoop: while true {
                // A comment or the end of the line ends the value.
                var k = i
                while k < n, c[k] == " " || c[k] == "\t" { k += 1 }
                if k < n, c[k] == "#" || c[k] == ";" {
                    while k < n, c[k] != "\n" { k += 1 }
                    i = k
                    break valueLoop
                }
                if atLineEnd(i) { break valueLoop }
                let ch = c[i]
                if ch == " " || ch == "\t" {
                    value.append(" ")
                    i = k
                    continue
                }
                if ch == "\\" {
                    let next: Unicode.Scalar? = i + 1 < n ? c[i + 1] : nil
                    if next == "\n" { i += 2; continue }
                    if next == "\r", i + 2 < n, c[i + 2] == "\n" { i += 3; continue }
                    switch next {
                    case "\\": value.append("\\")
                    case "'", "\"": value.append(next!)
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    case "b": value.append("\u{8}")
                    default: throw fail(offset)
                    }
                    i += 2
                    continue
                }
                if ch == "\"" {
                    // Quoted: anything but `"` and `\`, or the escapes \<LF> \t \b \n \" \\.
                    var k = i + 1
                    var closed = false
                    while k < n {
                        if c[k] == "\"" { closed = true; break }
                        if c[k] == "\\" {
                            guard k + 1 < n, ["\n", "t", "b", "n", "\"", "\\"].contains(c[k + 1]) else { break }
                            k += 2
                            continue
                        }
                        k += 1
                    }
                    guard closed else { throw fail(offset) }
                    let v = string((i + 1)..<k)
                        .replacingEvery("\\\n", with: "")
                        .replacingEvery("\\n", with: "\n")
                        .replacingEvery("\\t", with: "\t")
                        .replacingEvery("\\b", with: "\u{8}")
                        .replacingEvery("\\\\", with: "\\")
                    value.append(contentsOf: v.unicodeScalars)
                    i = k + 1
                    continue
                }
                var k2 = i
                while k2 < n, c[k2] != "\t", c[k2] != " ", c[k2] != "\\", c[k2] != "\n", c[k2] != "\"" { k2 += 1 }
                value.append(contentsOf: c[i..<k2])
                i = k2
            }
            events.append(ConfigEvent(section: section, name: name, value: String(value),
                                      offset: offset, length: i - offset))
        }
        return events
    }

    /// `[name]` or `[name "sub"]`: the name has no blanks, brackets or quotes; the
    /// subsection runs to the first `"]` on the line.
    private static func matchSection(_ c: [Unicode.Scalar], _ start: Int) -> (name: Range<Int>, sub: Range<Int>?, end: Int)? {
        let n = c.count
        var i = start + 1
        while i < n, !c[i].properties.isWhitespace, c[i] != "[", c[i] != "]", c[i] != "\"" { i += 1 }
        guard i > start + 1 else { return nil }
        let name = (start + 1)..<i
        var j = i
        while j < n, c[j] == " " || c[j] == "\t" { j += 1 }
        if j < n, c[j] == "\"" {
            var k = j + 1
            while k < n, c[k] != "\n" {
                if c[k] == "\"", k + 1 < n, c[k + 1] == "]" {
                    return (name, (j + 1)..<k, k + 2)
                }
                k += 1
            }
        }
        if i < n, c[i] == "]" { return (name, nil, i + 1) }
        return nil
    }

    /// A bare name line: the shortest name followed by blanks, an optional comment and the
    /// end of the line, with no `=` before that point.
    private static func matchBareName(_ c: [Unicode.Scalar], from start: Int) -> (name: Range<Int>, end: Int)? {
        let n = c.count
        var e = start + 1
        while e <= n {
            // Try to end the name at e.
            var k = e
            while k < n, c[k] == " " || c[k] == "\t" { k += 1 }
            if k < n, c[k] == "#" || c[k] == ";" {
                var m = k
                while m < n, c[m] != "\n" { m += 1 }
                return (start..<e, m)
            }
            if k >= n || c[k] == "\n" { return (start..<e, k) }
            if e >= n || c[e] == "=" || c[e] == "\n" { return nil }
            e += 1
        }
        return nil
    }

    /// GitLike's error: the line number and position as its own arithmetic computes them.
    static func parseError(content c: [Unicode.Scalar], offset: Int, filename: String) -> ConfigError {
        var prev = min(offset, c.count - 1)
        while prev >= 0, c[prev] != "\n" { prev -= 1 }
        var next = offset
        while next < c.count, c[next] != "\n" { next += 1 }
        var lineView = String.UnicodeScalarView()
        lineView.append(contentsOf: c[(prev + 1)..<max(prev + 1, next)])
        let line = String(lineView)
        var lineNumber = 1
        var current = 0
        var rest = c[...]
        while current <= offset, let nl = rest.firstIndex(of: "\n") {
            current += nl - rest.startIndex + 1
            rest = rest[(nl + 1)...]
            lineNumber += 1
        }
        let position = (next - prev - 1) - (current - (offset + 1))
        return ConfigError("Error parsing \(filename) at line \(lineNumber), position \(position).\nBad line was: '\(line)'",
            exitCode: 255)
    }
}

