import FoundationEssentials

/// Parses plan text with Sqitch's grammar and error messages (line numbers are 1-based).
public enum PlanParser {
    static let b = PlanNames.blank
    static let blankLine = try! RegularExpression("\\A(?<lspace>\(b)*)(?:#\(b)*(?<note>.+)|$)")
    /// Cuts the inline note: trailing blanks, then `#` and the rest, at the first `#`.
    static let inlineNote = try! RegularExpression("(?<rspace>\(b)*)(?:#\(b)*(?<note>.*))?$")
    static let pragma = try! RegularExpression(
        "\\A(?<lspace>\(b)*)?%(?<hspace>\(b)*)?(?<name>[^\(PlanNames.punct)](?:[^\\t\\p{Zs}=]*?[^\(PlanNames.punct)\\t\\p{Zs}])?)"
        + "(?:(?<lopspace>\(b)*)(?<operator>=)(?<ropspace>\(b)*)(?<value>.+))?\\z")
    static let timestamp =
        "(?<yr>\\d{4})-(?<mo>\\d{2})-(?<dy>\\d{2})T(?<hr>\\d{2}):(?<mi>\\d{2}):(?<sc>\\d{2})Z"
    static let timestampAnywhere = try! RegularExpression("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z")
    static let line = try! RegularExpression(
        "^(?<lspace>\(b)*)?(?:@|(?<lopspace>\(b)*)(?<operator>[+-])(?<ropspace>\(b)*))?"
        + "(?<name>\(PlanNames.namePattern))(?<pspace>\(b)+)?"
        + "(?:\\[(?<dependencies>[^\\]]+)\\]\(b)*)?"
        + "(?:\(timestamp)\(b)*)?"
        + "(?:(?<plannername>[^<]+)\(b)+<(?<planneremail>[^>]+)>)?$")
    static let lineGroups = ["lspace", "lopspace", "operator", "ropspace", "name", "pspace", "dependencies",
                             "yr", "mo", "dy", "hr", "mi", "sc", "plannername", "planneremail"]

    /// Parses `text`; `file` is the path shown in messages.
    public static func parse(text: String, file: String, withIDs: Bool = true) throws -> Plan {
        // Split on LF bytes (a CRLF pair is one Character in Swift, so not by characters).
        var rawLines = splitLines(text)
        var lines: [PlanLine] = []
        var changes: [Change] = []
        var pragmas: [String: String] = [:]
        var lineNo = 0
        func syntaxError(_ message: String) -> PlanError {
            PlanError("Syntax error in \(file) at line \(lineNo): \(message)", reason: .syntax)
        }
        func strip(_ raw: String) -> String {
            raw.utf8.last == UInt8(ascii: "\r") ? String(decoding: raw.utf8.dropLast(), as: UTF8.self) : raw
        }

        // Header.
        var sawVersion = false
        while lineNo < rawLines.count {
            let text = strip(rawLines[lineNo])
            lineNo += 1
            if let blank = blankLine(text) {
                lines.append(.blank(blank))
                if blank.note.isEmpty || blank.note == "0" { break }
                continue
            }
            let (body, rspace, note) = cutNote(text)
            guard var p = scanPragma(body) ?? matchPragma(body)
            else { throw syntaxError("Invalid pragma; a blank line must come between pragmas and changes") }
            let name = p.name
            p.rspace = rspace
            p.note = note.map(PlanText.decodeNote) ?? ""
            if name == "syntax-version" {
                p.value = Plan.syntaxVersion
                pragmas["syntax-version"] = Plan.syntaxVersion
                sawVersion = true
            } else if name == "project" {
                let project = p.value ?? ""
                if !PlanNames.isValid(project) { throw syntaxError(PlanNames.invalidProjectMessage(project)) }
                pragmas["project"] = project
            } else {
                pragmas[name] = p.value ?? "1"
            }
            lines.append(.pragma(p))
        }
        if !sawVersion {
            lines.insert(.pragma(Pragma(name: "syntax-version", value: Plan.syntaxVersion)), at: 0)
            pragmas["syntax-version"] = Plan.syntaxVersion
        }
        guard let project = pragmas["project"], !project.isEmpty else {
            throw PlanError("Missing %project pragma in \(file)", reason: .syntax)
        }

        var lineNoFor: [String: Int] = [:]     // tags and changes of closed sections
        var tagChanges: [String: Int] = [:]    // changes in the current section
        var changeNamed: [String: Int] = [:]
        var sectionStart = 0
        var checkedUpTo = 0

        while lineNo < rawLines.count {
            let text = strip(rawLines[lineNo])
            lineNo += 1
            if let blank = blankLine(text) {
                lines.append(.blank(blank))
                continue
            }
            let (body, rspace, rawNote) = cutNote(text)
            let fields = try scanLine(body) ?? matchLine(body, syntaxError)
            let isTag = fields.isTag
            let name = fields.name
            if PlanNames.reserved.contains(name) { throw syntaxError("\"\(isTag ? "@" : "")\(name)\" is a reserved name") }
            if PlanNames.looksLikeSHA1(name) {
                throw syntaxError("\"\(name)\" is invalid because it could be confused with a SHA1 ID")
            }
            let t = fields.timestamp
            guard let stamp = PlanText.utcDate(year: Int(t[0])!, month: Int(t[1])!, day: Int(t[2])!,
                                               hour: Int(t[3])!, minute: Int(t[4])!, second: Int(t[5])!)
            else {
                throw syntaxError("Invalid timestamp \(t[0])-\(t[1])-\(t[2])T\(t[3]):\(t[4]):\(t[5])Z")
            }
            let note = rawNote.map(PlanText.decodeNote) ?? ""
            if isTag {
                if name.contains("/") { throw syntaxError("Tag \"\(name)\" contains illegal character /") }
                guard !changes.isEmpty else { throw syntaxError("Tag \"\(name)\" declared without a preceding change") }
                if let at = lineNoFor["@" + name] {
                    throw syntaxError("Tag \"\(name)\" duplicates earlier declaration on line \(at)")
                }
                if fields.dependencies != nil { throw syntaxError("Tags may not specify dependencies") }
                if sectionStart < changes.count {
                    try checkChanges(project: project, seen: lineNoFor, changes: changes[sectionStart...], file: file)
                    sectionStart = changes.count
                }
                checkedUpTo = changes.count
                var tag = Tag(name: name, note: note, timestamp: stamp, plannerName: fields.plannerName,
                              plannerEmail: fields.plannerEmail)
                tag.lspace = fields.lspace
                tag.rspace = rspace
                let ci = changes.count - 1
                changes[ci].tags.append(tag)
                lines.append(.tag(change: ci, tag: changes[ci].tags.count - 1))
                lineNoFor.merge(tagChanges) { $1 }
                lineNoFor["@" + name] = lineNo
                tagChanges = [:]
            } else {
                if let at = tagChanges[name] {
                    throw syntaxError("Change \"\(name)\" duplicates earlier declaration on line \(at)")
                }
                var requires: [Dependency] = []
                var conflicts: [Dependency] = []
                if let deps = fields.dependencies {
                    var seen: Set<String> = []
                    for spec in deps.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
                        guard let dep = Dependency.parse(spec) else {
                            throw syntaxError("\"\(spec)\" is not a valid dependency specification")
                        }
                        if dep.isEmpty {
                            throw PlanError("Depend object must have either \"change\", \"tag\", or \"id\" defined")
                        }
                        if !seen.insert(spec).inserted { throw syntaxError("Duplicate dependency \"\(spec)\"") }
                        if dep.conflicts { conflicts.append(dep) } else { requires.append(dep) }
                    }
                }
                tagChanges[name] = lineNo
                var change = Change(name: name, operator: fields.operator, requires: requires, conflicts: conflicts,
                                    note: note, timestamp: stamp, plannerName: fields.plannerName,
                                    plannerEmail: fields.plannerEmail)
                change.lspace = fields.lspace
                change.lopspace = fields.lopspace
                change.ropspace = fields.ropspace
                change.pspace = fields.pspace ?? " "
                change.rspace = rspace
                change.project = project
                changes.append(change)
                lines.append(.change(changes.count - 1))
                if let duped = changeNamed[name] {
                    // Tags of the checked changes from the newest back to the reworked one.
                    var reworkTags: [Tag] = []
                    var i = checkedUpTo - 1
                    while i >= 0 && i != duped {
                        reworkTags += changes[i].tags
                        i -= 1
                    }
                    changes[duped].reworkTags += reworkTags + changes[duped].tags
                }
                changeNamed[name] = changes.count - 1
            }
        }
        if sectionStart < changes.count {
            try checkChanges(project: project, seen: lineNoFor, changes: changes[sectionStart...], file: file)
        }
        // `consume`: the plan's reindex then edits the only copy of the changes in place.
        return Plan(file: file, project: project, uri: pragmas["uri"], pragmas: pragmas, lines: lines,
                    changes: consume changes, withIDs: withIDs)
    }

    /// The lines of `text`, split at LF bytes (a CRLF pair is one Character in Swift, so not
    /// by characters), without the empty one after a final LF.
    static func splitLines(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var lines: [String] = []
            var start = 0
            for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                start = i + 1
            }
            if start < bytes.count {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            }
            return lines
        }
    }

    /// A blank or comment line (`blankLine`), or nil for any other line.
    static func blankLine(_ text: String) -> BlankLine? {
        if cannotBeBlank(text) { return nil }
        if let scanned = scanBlank(text) { return scanned }
        guard let c = blankLine.captures(in: text, names: ["lspace", "note"]) else { return nil }
        return BlankLine(lspace: c["lspace"] ?? "", note: PlanText.decodeNote(c["note"] ?? ""))
    }

    /// `blankLine` without the regular expression for ASCII lines: blanks only, or blanks, `#`,
    /// blanks and a note of printable characters. nil when the line is anything else (which
    /// the regular expression then decides).
    static func scanBlank(_ text: String) -> BlankLine? {
        let b = Array(text.utf8)
        guard b.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) else { return nil }
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        let lspace = String(decoding: b[..<i], as: UTF8.self)
        if i == b.count { return BlankLine(lspace: lspace, note: "") }
        guard b[i] == UInt8(ascii: "#") else { return nil }
        i += 1
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        guard i < b.count else { return nil }
        return BlankLine(lspace: lspace, note: PlanText.decodeNote(String(decoding: b[i...], as: UTF8.self)))
    }

    /// A pragma through the `pragma` regular expression.
    static func matchPragma(_ body: String) -> Pragma? {
        guard let c = pragma.captures(in: body, names: ["lspace", "hspace", "name", "lopspace", "operator", "ropspace", "value"]),
              let name = c["name"]
        else { return nil }
        var p = Pragma(name: name, value: c["value"].map { trimTrailing($0) })
        p.lspace = c["lspace"] ?? ""
        p.hspace = c["hspace"] ?? ""
        p.lopspace = c["lopspace"] ?? ""
        p.operator = c["operator"] ?? ""
        p.ropspace = c["ropspace"] ?? ""
        return p
    }

    /// `%name=value` without the regular expression: an ASCII name (letters, digits, `_`, `-`,
    /// `.`, starting and ending with a letter, digit or `_`), no blanks around `=`, and a value of
    /// printable ASCII starting with a non-blank. nil for anything else.
    static func scanPragma(_ body: String) -> Pragma? {
        let b = Array(body.utf8)
        guard b.first == UInt8(ascii: "%"), b.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }),
              let equals = b.firstIndex(of: UInt8(ascii: "=")), equals + 1 < b.count,
              b[equals + 1] != 0x20, PlanNames.isSimpleName(b[1..<equals])
        else { return nil }
        var p = Pragma(name: String(decoding: b[1..<equals], as: UTF8.self),
                       value: String(decoding: b[(equals + 1)...], as: UTF8.self))
        p.operator = "="
        return p
    }

    /// The `line` grammar through the regular expression, with Sqitch's errors for a line
    /// that does not match.
    static func matchLine(_ body: String, _ syntaxError: (String) -> PlanError) throws -> LineFields {
        let c = line.captures(in: body, names: lineGroups) ?? [:]
        guard c["name"].map({ !$0.isEmpty }) == true,
              c["yr"] != nil || !timestampAnywhere.matches(body)
        else { throw syntaxError(PlanNames.invalidNameMessage) }
        if c["yr"] == nil && c["plannername"] == nil { throw syntaxError("Missing timestamp and planner name and email") }
        if c["yr"] == nil { throw syntaxError("Missing timestamp") }
        if c["plannername"] == nil { throw syntaxError("Missing planner name and email") }
        let isTag = body.drop(while: { $0 == " " || $0 == "\t" || $0.unicodeScalars.first!.properties.generalCategory == .spaceSeparator }).first == "@"
        return LineFields(isTag: isTag, lspace: c["lspace"] ?? "", lopspace: c["lopspace"] ?? "",
                          operator: c["operator"] ?? "", ropspace: c["ropspace"] ?? "", name: c["name"]!,
                          pspace: c["pspace"], dependencies: c["dependencies"],
                          timestamp: [c["yr"]!, c["mo"]!, c["dy"]!, c["hr"]!, c["mi"]!, c["sc"]!].map { Substring($0) },
                          plannerName: c["plannername"]!, plannerEmail: c["planneremail"]!)
    }

    /// The parts of a change or tag line (without its note), as the `line` grammar names them.
    struct LineFields: Equatable {
        var isTag: Bool
        var lspace = ""
        var lopspace = ""
        var `operator` = ""
        var ropspace = ""
        var name: String
        var pspace: String?
        var dependencies: String?
        /// Year, month, day, hour, minute, second, as written.
        var timestamp: [Substring]
        var plannerName: String
        var plannerEmail: String
    }

    /// The `line` grammar without the regular expression, for the lines plans are made of:
    /// `[@|+|-]name [[deps]] <timestamp> Planner Name <email>` with an ASCII name of letters,
    /// digits, `_`, `-` and `.` (starting and ending with a letter, digit or `_`), ASCII blanks
    /// between the parts and no control characters. Within that shape the regular expression
    /// can only split the line this way. Anything else returns nil, and the caller uses the
    /// regular expression, which also finds the right error.
    static func scanLine(_ body: String) -> LineFields? {
        let b = Array(body.utf8)
        let n = b.count
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func text(_ from: Int, _ to: Int) -> String { String(decoding: b[from..<to], as: UTF8.self) }
        guard b.allSatisfy({ ($0 >= 0x20 && $0 != 0x7F) || $0 == 0x09 }) else { return nil }
        var i = 0
        var isTag = false
        var op = ""
        if n > 0 && b[0] == UInt8(ascii: "@") {
            isTag = true
            i = 1
        } else if n > 0 && (b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-")) {
            op = text(0, 1)
            i = 1
        }
        let nameStart = i
        while i < n, b[i] != 0x20 && b[i] != 0x09 { i += 1 }
        guard i < n, PlanNames.isSimpleName(b[nameStart..<i]) else { return nil }
        let name = text(nameStart, i)
        // Skips ASCII blanks; false when a Unicode blank follows (the grammar's blanks are
        // `[[:blank:]]`, which this scanner leaves to the regular expression).
        func skipBlanks() -> Bool {
            while i < n, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            guard i < n, b[i] >= 0x80 else { return true }
            let next = String(decoding: b[i..<min(i + 4, n)], as: UTF8.self).unicodeScalars.first!
            return next.properties.generalCategory != .spaceSeparator
        }
        let pspaceStart = i
        guard skipBlanks() else { return nil }
        let pspace = text(pspaceStart, i)
        var dependencies: String?
        if i < n && b[i] == UInt8(ascii: "[") {
            guard let close = b[(i + 1)...].firstIndex(of: UInt8(ascii: "]")), close > i + 1 else { return nil }
            dependencies = text(i + 1, close)
            i = close + 1
            guard skipBlanks() else { return nil }
        }
        // yyyy-mm-ddThh:mm:ssZ
        let shape = Array("dddd-dd-ddTdd:dd:ddZ".utf8)
        guard n - i >= shape.count else { return nil }
        for (k, expected) in shape.enumerated() {
            let c = b[i + k]
            guard expected == UInt8(ascii: "d") ? isDigit(c) : c == expected else { return nil }
        }
        let timestamp = [(0, 4), (5, 2), (8, 2), (11, 2), (14, 2), (17, 2)].map { offset, length in
            Substring(text(i + offset, i + offset + length))
        }
        i += shape.count
        guard skipBlanks() else { return nil }
        // Planner Name <email>: the name runs to the blank before the first `<`, the email to
        // the `>` that ends the line.
        guard let lt = b[i...].firstIndex(of: UInt8(ascii: "<")), lt - 1 > i, b[lt - 1] == 0x20 || b[lt - 1] == 0x09,
              b[n - 1] == UInt8(ascii: ">"), n - 1 > lt + 1, !b[(lt + 1)..<(n - 1)].contains(UInt8(ascii: ">"))
        else { return nil }
        return LineFields(isTag: isTag, operator: op, name: name, pspace: pspace, dependencies: dependencies,
                          timestamp: timestamp, plannerName: text(i, lt - 1), plannerEmail: text(lt + 1, n - 1))
    }

    static func trimTrailing(_ s: String) -> String {
        var s = Substring(s)
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }

    /// Splits off the inline note: the body, the blanks before `#`, and the raw note.
    static func cutNote(_ text: String) -> (String, String, String?) {
        if let cut = cutNoteFast(text) { return cut }
        guard let m = inlineNote.firstMatch(in: text, names: ["rspace", "note"]),
              let whole = m.range(0)
        else {
            return (text, "", nil)
        }
        let rspace = m["rspace"] ?? ""
        let note = m["note"]
        return (String(text[..<whole.lowerBound]), rspace, note)
    }

    /// `cutNote` for a line without line-terminator characters (where `.` and `$` of the
    /// regular expression have no special cases): the note starts at the first `#`, the
    /// blanks before it (or the trailing blanks, without a note) are the rspace.
    static func cutNoteFast(_ text: String) -> (String, String, String?)? {
        if let cut = cutNoteASCII(text) { return cut }
        let scalars = text.unicodeScalars
        var hash: String.UnicodeScalarView.Index?
        for i in scalars.indices {
            switch scalars[i].value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: return nil
            case 0x23: if hash == nil { hash = i }
            default: break
            }
        }
        let end = hash ?? scalars.endIndex
        var start = end
        while start > scalars.startIndex {
            let before = scalars.index(before: start)
            guard isBlank(scalars[before]) else { break }
            start = before
        }
        let body = String(scalars[..<start])
        let rspace = String(scalars[start..<end])
        guard let hash else { return (body, rspace, nil) }
        var noteStart = scalars.index(after: hash)
        while noteStart < scalars.endIndex, isBlank(scalars[noteStart]) { noteStart = scalars.index(after: noteStart) }
        return (body, rspace, String(scalars[noteStart...]))
    }

    /// `cutNoteFast` over the bytes of an ASCII line (where blanks are only space and tab);
    /// nil for any other line.
    static func cutNoteASCII(_ text: String) -> (String, String, String?)? {
        var text = text
        return text.withUTF8 { b -> (String, String, String?)? in
            var hash: Int?
            for (i, c) in b.enumerated() {
                if c >= 0x80 || (c >= 0x0A && c <= 0x0D) { return nil }
                if c == UInt8(ascii: "#") && hash == nil { hash = i }
            }
            func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
            let end = hash ?? b.count
            var start = end
            while start > 0, isBlank(b[start - 1]) { start -= 1 }
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self) }
            guard let hash else { return (text(0..<start), text(start..<end), nil) }
            var noteStart = hash + 1
            while noteStart < b.count, isBlank(b[noteStart]) { noteStart += 1 }
            return (text(0..<start), text(start..<end), text(noteStart..<b.count))
        }
    }

    /// Perl's `[[:blank:]]`: tab and the Unicode space separators.
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || (scalar.value > 0x7F && scalar.properties.generalCategory == .spaceSeparator)
    }

    /// True when `blankLine` cannot match: the first non-blank character is not `#`.
    static func cannotBeBlank(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator { continue }
            return scalar != "#"
        }
        return false
    }

    /// Checks the requirements of a section's changes, throwing Sqitch's dependency errors.
    static func checkChanges(project: String, seen: [String: Int], changes: ArraySlice<Change>, file: String) throws {
        var position: [String: Int] = [:]
        var invalid: [(String, [String])] = []
        var i = 0
        for change in changes {
            var bad: [String] = []
            for dep in change.requires {
                if let p = dep.project {
                    if p != project { continue }
                } else if dep.id != nil {
                    continue
                }
                let key = dep.keyName
                if let at = key.dropFirst().firstIndex(of: "@") {
                    let changeName = String(key[..<at])
                    let tag = String(key[key.index(after: at)...])
                    if let tagAt = seen["@" + tag], let changeAt = seen[changeName], changeAt < tagAt { continue }
                } else if seen[key] != nil || position[key] != nil {
                    continue
                }
                bad.append(key)
            }
            i += 1
            position[change.name] = i
            if !bad.isEmpty { invalid.append((change.name, bad)) }
        }
        guard !invalid.isEmpty else { return }
        var errors: [String] = []
        for (change, deps) in invalid {
            var maxDelta = 0
            for dep in deps {
                if dep == change {
                    errors.append("Change \"\(change)\" cannot require itself")
                } else if let pos = position[dep] {
                    let delta = pos - position[change]!
                    maxDelta = max(maxDelta, delta)
                    errors.append("Change \"\(change)\" planned \(delta) change\(delta == 1 ? "" : "s") before required change \"\(dep)\"")
                } else {
                    errors.append("Unknown change \"\(dep)\" required by change \"\(change)\"")
                }
            }
            if maxDelta > 0 {
                errors[errors.count - 1] += "\n    HINT: move \"\(change)\" down \(maxDelta) line\(maxDelta == 1 ? "" : "s") in \(file)"
            }
        }
        let head = errors.count == 1 ? "Dependency error detected:" : "Dependency errors detected:"
        throw PlanError(([head] + errors).joined(separator: "\n  "), reason: .syntax)
    }
}
