import FoundationEssentials

/// One entry shown by `log` (an event row of the registry) or `plan` (a change of the plan).
public struct FormatItem: Sendable, Equatable {
    /// `deploy`, `revert` or `fail`.
    public var event: String
    public var project: String
    public var changeID: String
    public var change: String
    public var note: String
    public var requires: [String]
    public var conflicts: [String]
    /// Tag names with `@`.
    public var tags: [String]
    public var plannerName: String
    public var plannerEmail: String
    public var plannedAt: Date
    /// Set for `log` items; nil for `plan` items.
    public var committerName: String?
    public var committerEmail: String?
    public var committedAt: Date?
    /// Plan items only (`%F`).
    public var deployFile: String?
    /// True for a `plan` item (decides which `%a` attributes exist).
    public var isPlanItem: Bool

    public init(event: String, project: String, changeID: String, change: String, note: String,
                requires: [String] = [], conflicts: [String] = [], tags: [String] = [],
                plannerName: String, plannerEmail: String, plannedAt: Date,
                committerName: String? = nil, committerEmail: String? = nil, committedAt: Date? = nil,
                deployFile: String? = nil, isPlanItem: Bool) {
        self.event = event
        self.project = project
        self.changeID = changeID
        self.change = change
        self.note = note
        self.requires = requires
        self.conflicts = conflicts
        self.tags = tags
        self.plannerName = plannerName
        self.plannerEmail = plannerEmail
        self.plannedAt = plannedAt
        self.committerName = committerName
        self.committerEmail = committerEmail
        self.committedAt = committedAt
        self.deployFile = deployFile
        self.isPlanItem = isPlanItem
    }

    /// The item `sqitch plan` shows for a change (`deployFile` as the caller resolved it).
    public init(planChange change: Change, deployFile: String? = nil) {
        self.init(event: change.isDeploy ? "deploy" : "revert", project: change.project, changeID: change.id,
                  change: change.name, note: change.note,
                  requires: change.requires.map { $0.asString(planProject: change.project) },
                  conflicts: change.conflicts.map { $0.asString(planProject: change.project) },
                  tags: change.tags.map(\.formatName), plannerName: change.plannerName,
                  plannerEmail: change.plannerEmail, plannedAt: change.timestamp, deployFile: deployFile,
                  isPlanItem: true)
    }

    enum Value { case text(String?), list([String]), date(Date?) }

    /// The `%a` attributes, by Sqitch's key names.
    func attribute(_ key: String) -> Value?? {
        let planKeys = ["event", "project", "change_id", "change", "note", "deploy_file", "tags", "requires",
                        "conflicts", "planned_at", "planner_name", "planner_email"]
        let logKeys = ["event", "project", "change_id", "change", "note", "requires", "conflicts", "tags",
                       "committer_name", "committer_email", "committed_at", "planner_name", "planner_email",
                       "planned_at"]
        guard (isPlanItem ? planKeys : logKeys).contains(key) else { return nil }
        switch key {
        case "event": return .text(event)
        case "project": return .text(project)
        case "change_id": return .text(changeID)
        case "change": return .text(change)
        case "note": return .text(note)
        case "deploy_file": return .text(deployFile)
        case "tags": return .list(tags)
        case "requires": return .list(requires)
        case "conflicts": return .list(conflicts)
        case "planned_at": return .date(plannedAt)
        case "planner_name": return .text(plannerName)
        case "planner_email": return .text(plannerEmail)
        case "committer_name": return .text(committerName)
        case "committer_email": return .text(committerEmail)
        default: return .date(committedAt)
        }
    }
}

/// The preset templates of `log` and `plan` (`--format NAME`).
public enum ItemFormats {
    public static let log: [String: String] = [
        "raw": """
            %{:event}C%e %H%{reset}C%T
            name      %n
            project   %o
            %{requires}a%{conflicts}aplanner   %{name}p <%{email}p>
            planned   %{date:raw}p
            committer %{name}c <%{email}c>
            committed %{date:raw}c

            %{    }B

            """,
        "full": """
            %{:event}C%L %h%{reset}C%T
            %{name}_ %n
            %{project}_ %o
            %R%X%{planner}_ %p
            %{planned}_ %{date}p
            %{committer}_ %c
            %{committed}_ %{date}c

            %{    }B

            """,
        "long": """
            %{:event}C%L %h%{reset}C%T
            %{name}_ %n
            %{project}_ %o
            %{planner}_ %p
            %{committer}_ %c

            %{    }B

            """,
        "medium": """
            %{:event}C%L %h%{reset}C
            %{name}_ %n
            %{committer}_ %c
            %{date}_ %{date}c

            %{    }B

            """,
        "short": """
            %{:event}C%L %h%{reset}C
            %{name}_ %n
            %{committer}_ %c

            %{    }s

            """,
        "oneline": "%{:event}C%h %l%{reset}C %o:%n %s",
    ]

    public static let plan: [String: String] = [
        "raw": """
            %{:event}C%e %H%{reset}C%T
            name      %n
            project   %o
            %{requires}a%{conflicts}aplanner   %{name}p <%{email}p>
            planned   %{date:raw}p

            %{    }B

            """,
        "full": """
            %{:event}C%L %h%{reset}C%T
            %{name}_ %n
            %{project}_ %o
            %R%X%{planner}_ %p
            %{planned}_ %{date}p

            %{    }B

            """,
        "long": """
            %{:event}C%L %h%{reset}C%T
            %{name}_ %n
            %{project}_ %o
            %{planner}_ %p

            %{    }B

            """,
        "medium": """
            %{:event}C%L %h%{reset}C
            %{name}_ %n
            %{planner}_ %p
            %{date}_ %{date}p

            %{    }B

            """,
        "short": """
            %{:event}C%L %h%{reset}C
            %{name}_ %n
            %{planner}_ %p

            %{    }s

            """,
        "oneline": "%{:event}C%h %l%{reset}C %n%{cyan}C%t%{reset}C",
    ]

    /// The template for `--format VALUE` of `command` (`log` or `plan`): `format:TEMPLATE`
    /// or a preset name; unknown presets fail with `Unknown {command} format "{format}"`.
    public static func template(for value: String, command: String) throws -> String {
        if value.hasPrefix("format:") { return String(value.dropFirst(7)) }
        let presets = command == "log" ? log : plan
        guard let template = presets[value] else {
            throw CommandError("Unknown \(command) format \"\(value)\"")
        }
        return template
    }
}

/// Expands a `log`/`plan` format template for one item (Sqitch's ItemFormatter).
public struct ItemFormatter: Sendable {
    public var format: String {
        didSet { segments = ItemFormatter.compile(format) }
    }
    public var dateFormat: String
    public var abbrev: Int
    /// True to emit ANSI color sequences (`--color always`, or `auto` on a terminal).
    public var color: Bool
    public var dates: DateFormatting
    /// The template read once: literal text and format codes.
    private var segments: [Segment] {
        didSet { colorCodes = ItemFormatter.colorCodes(in: segments) }
    }
    /// The SGR codes of the template's `%{...}C` colors, looked up once.
    private var colorCodes: [String: [String]]

    /// A piece of a template: text copied as it is, or a format code
    /// `%(-)?(\d+)?(?:\.(\d*))?(?:\{(.*?)\})?(\S)`.
    private enum Segment: Sendable {
        case text(String)
        /// `width` and `precision` as numbers (nil: none, or too many digits to pad to).
        case code(Character, arg: String?, leftAlign: Bool, width: Int?, precision: Int?)
    }

    public init(format: String, dateFormat: String = "iso", abbrev: Int = 0, color: Bool = false,
                dates: DateFormatting = DateFormatting(zone: .utc)) {
        self.format = format
        self.dateFormat = dateFormat
        self.abbrev = abbrev
        self.color = color
        self.dates = dates
        let segments = ItemFormatter.compile(format)
        self.segments = segments
        self.colorCodes = ItemFormatter.colorCodes(in: segments)
    }

    private static func colorCodes(in segments: [Segment]) -> [String: [String]] {
        var codes: [String: [String]] = [:]
        for case .code("C", let arg?, _, _, _) in segments where codes[arg] == nil {
            codes[arg] = ansiCodes(arg)
        }
        return codes
    }

    /// Splits a template into its segments, the way `format` reads it for every item.
    private static func compile(_ format: String) -> [Segment] {
        var segments: [Segment] = []
        var text = ""
        let chars = Array(format)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else { text.append(c); i += 1; continue }
            var j = i + 1
            var leftAlign = false
            if j < chars.count, chars[j] == "-" { leftAlign = true; j += 1 }
            var width = ""
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { width.append(chars[j]); j += 1 }
            var precision: String?
            if j < chars.count, chars[j] == "." {
                var k = j + 1
                var p = ""
                while k < chars.count, chars[k].isASCII, chars[k].isNumber { p.append(chars[k]); k += 1 }
                precision = p
                j = k
            }
            var arg: String?
            if j < chars.count, chars[j] == "{", let close = chars[(j + 1)...].firstIndex(of: "}") {
                arg = String(chars[(j + 1)..<close])
                j = close + 1
            }
            guard j < chars.count, !chars[j].isWhitespace else {
                text += String(chars[i..<min(j, chars.count)])
                i = j
                continue
            }
            let code = chars[j]
            i = j + 1
            if code == "%" && arg == nil && width.isEmpty && precision == nil && !leftAlign {
                text += "%"
                continue
            }
            if !text.isEmpty { segments.append(.text(text)) }
            text = ""
            segments.append(.code(code, arg: arg, leftAlign: leftAlign, width: Int(width),
                                  precision: precision.map { Int($0) ?? 0 }))
        }
        if !text.isEmpty { segments.append(.text(text)) }
        return segments
    }

    /// The text for one item (without the newline the command adds).
    public func format(_ item: FormatItem) throws -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let text):
                out += text
            case .code(let code, let arg, let leftAlign, let width, let precision):
                var value = try expand(code, arg, item)
                if let precision { value = String(value.prefix(precision)) }
                if let w = width, value.count < w {
                    let padding = String(repeating: " ", count: w - value.count)
                    value = leftAlign ? value + padding : padding + value
                }
                out += value
            }
        }
        return out
    }

    private func join(_ list: [String], _ sep: String?) -> String { list.joined(separator: sep ?? ", ") }

    private func expand(_ code: Character, _ arg: String?, _ item: FormatItem) throws -> String {
        switch code {
        case "e": return item.event
        case "L", "l":
            let word: String
            switch item.event {
            case "deploy": word = "Deploy"
            case "revert": word = "Revert"
            case "fail": word = "Fail"
            default: throw CommandError("Unknown event type \(item.event)")
            }
            return code == "L" ? word : word.lowercased()
        case "_":
            guard let arg else { throw CommandError("No label passed to the _ format") }
            guard let label = ItemFormatter.labels[arg] else {
                throw CommandError("Unknown label \"\(arg)\" passed to the _ format")
            }
            return label
        case "H": return item.changeID
        case "h":
            let n = Int(arg ?? "") ?? 0
            let abb = n != 0 ? n : abbrev
            return abb > 0 ? String(item.changeID.prefix(abb)) : item.changeID
        case "n": return item.change
        case "o": return item.project
        case "F": return item.deployFile ?? ""
        case "c":
            return try person(arg, item.committerName ?? "", item.committerEmail ?? "", item.committedAt)
        case "p":
            return try person(arg, item.plannerName, item.plannerEmail, item.plannedAt)
        case "t": return item.tags.isEmpty ? "" : " " + join(item.tags, arg)
        case "T": return item.tags.isEmpty ? "" : " (" + join(item.tags, arg) + ")"
        case "v": return "\n"
        case "C":
            if arg == ":event" {
                return ansi(item.event == "deploy" ? "green" : item.event == "revert" ? "blue" : "red")
            }
            // Term::ANSIColor's colorvalid splits on white space only: commas make it invalid.
            guard let arg = Perl.truthy(arg), !arg.contains(","),
                  let codes = colorCodes[arg] ?? ItemFormatter.ansiCodes(arg) else {
                throw CommandError("\(arg ?? "{color}") is not a valid ANSI color")
            }
            return color ? "\u{1B}[" + codes.joined(separator: ";") + "m" : ""
        case "s":
            let first = item.note.firstIndex(where: ItemFormatter.isVertical).map { String(item.note[..<$0]) } ?? item.note
            return (arg ?? "") + first
        case "b":
            guard let nl = item.note.firstIndex(where: ItemFormatter.isVertical) else { return "" }
            // `^.+\v+`: the first line must be non-empty for the substitution to apply.
            var body: String
            if nl == item.note.startIndex {
                body = item.note
            } else {
                body = String(item.note[nl...].drop(while: ItemFormatter.isVertical))
            }
            if let arg, !body.isEmpty { body = ItemFormatter.prefixLines(body, arg) }
            return body
        case "B":
            guard let arg else { return item.note }
            return ItemFormatter.prefixLines(item.note, arg)
        case "r": return item.requires.isEmpty ? "" : " " + join(item.requires, arg)
        case "R": return item.requires.isEmpty ? "" : "Requires:  " + join(item.requires, arg) + "\n"
        case "x": return item.conflicts.isEmpty ? "" : " " + join(item.conflicts, arg)
        case "X": return item.conflicts.isEmpty ? "" : "Conflicts: " + join(item.conflicts, arg) + "\n"
        case "a":
            guard let arg = Perl.truthy(arg), let found = item.attribute(arg) else {
                throw CommandError("\(arg ?? "{attr}") is not a valid change attribute")
            }
            let text: String
            switch found {
            case .none: return ""
            case .some(.text(let t)):
                guard let t else { return "" }
                text = t
            case .some(.list(let l)):
                if l.isEmpty { return "" }
                text = l.joined(separator: ", ")
            case .some(.date(let d)):
                guard let d else { return "" }
                text = PlanText.rawTimestamp(d)
            }
            return arg + String(repeating: " ", count: max(9 - arg.count, 0)) + " " + text + "\n"
        default:
            throw CommandError("Unknown format code \"\(code)\"")
        }
    }

    private func person(_ arg: String?, _ name: String, _ email: String, _ date: Date?) throws -> String {
        guard let arg else { return name + " <" + email + ">" }
        if arg == "n" || arg == "name" { return name }
        if arg == "e" || arg == "email" { return email }
        for prefix in ["date:", "d:", "date", "d"] where arg.hasPrefix(prefix) {
            let rest = String(arg.dropFirst(prefix.count))
            if !prefix.hasSuffix(":") && !rest.isEmpty { continue }
            guard let date else { return "" }
            return try dates.string(date, format: rest.isEmpty ? dateFormat : rest)
        }
        return ""
    }

    static func isVertical(_ c: Character) -> Bool {
        c.unicodeScalars.contains { [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029].contains($0.value) }
    }

    /// Perl's `s/^/PFX/gm`: a prefix at the start and after every newline except a final one.
    static func prefixLines(_ text: String, _ prefix: String) -> String {
        var out = prefix
        let bytes = Array(text.utf8)
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") && index < bytes.count - 1 {
            out += String(decoding: bytes[start...index], as: UTF8.self) + prefix
            start = index + 1
        }
        out += String(decoding: bytes[start...], as: UTF8.self)
        return out
    }

    static let labels = [
        "event": "Event:    ", "change": "Change:   ", "committer": "Committer:", "planner": "Planner:  ",
        "by": "By:       ", "date": "Date:     ", "committed": "Committed:", "planned": "Planned:  ",
        "name": "Name:     ", "project": "Project:  ", "email": "Email:    ", "requires": "Requires: ",
        "conflicts": "Conflicts:",
    ]

    private func ansi(_ spec: String) -> String {
        guard color, let codes = ItemFormatter.ansiCodes(spec) else { return "" }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    /// Term::ANSIColor attribute names (space or comma separated) to SGR codes.
    static func ansiCodes(_ spec: String) -> [String]? {
        let attributes: [String: Int] = [
            "clear": 0, "reset": 0, "bold": 1, "dark": 2, "faint": 2, "italic": 3, "underline": 4,
            "underscore": 4, "blink": 5, "reverse": 7, "concealed": 8,
        ]
        let colors = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
        var codes: [String] = []
        let words = spec.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
        guard !words.isEmpty else { return nil }
        for w in words.map(String.init) {
            if let a = attributes[w] { codes.append(String(a)); continue }
            var name = w
            var base = 30
            if name.hasPrefix("on_") { name.removeFirst(3); base = 40 }
            if name.hasPrefix("bright_") { name.removeFirst(7); base += 60 }
            if let i = colors.firstIndex(of: name) { codes.append(String(base + i)); continue }
            if name.hasPrefix("ansi"), let n = Int(name.dropFirst(4)), (0...255).contains(n), base % 60 != 0 || base < 60 {
                codes.append("\(base == 40 ? 48 : 38);5;\(n)"); continue
            }
            if name.hasPrefix("grey"), let n = Int(name.dropFirst(4)), (0...23).contains(n) {
                codes.append("\(base == 40 ? 48 : 38);5;\(232 + n)"); continue
            }
            if name.hasPrefix("rgb"), name.count == 6,
               let digits = Optional(name.dropFirst(3).compactMap { Int(String($0)) }), digits.count == 3,
               digits.allSatisfy({ $0 <= 5 }) {
                codes.append("\(base == 40 ? 48 : 38);5;\(16 + digits[0] * 36 + digits[1] * 6 + digits[2])"); continue
            }
            return nil
        }
        return codes
    }
}
