import FoundationEssentials

/// A sink that can take bytes as they are, for output that must not be re-encoded
/// (`show deploy` prints a script's bytes whatever their encoding).
public protocol ByteSink: TextSink {
    func write(bytes: [UInt8])
}

/// The `show` command: a change's or tag's info text, or the raw bytes of one of a change's
/// scripts; with `--exists`, only the exit code says whether the object exists.
public struct ShowObject {
    /// The options as given on the command line.
    public struct Options: Sendable {
        public var target: String?
        public var existsOnly = false
        public var planFile: String?
        public var topDir: String?
        /// `--format text|json`, `--json` (sqlitch's addition).
        public var format: String?
        public var json = false
        public init() {}
    }

    /// The object types `show` knows besides `tag`.
    public static let changeTypes = ["change", "deploy", "revert", "verify"]
    /// Every `<type>` `show` accepts.
    public static let objectTypes = ["change", "tag", "deploy", "revert", "verify"]

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Sqitch's `configure`: the deprecated `--top-dir` is reported, and the `[show]`
    /// section fills what the options left unset (only `target` and `exists_only` matter).
    public init(options given: Options, config: ConfigStack, console: Console) throws {
        var opt = given
        if let dir = opt.topDir, !dir.isEmpty {
            console.warn("  Option --top-dir is deprecated for show and other non-configuration commands.\n  Use --chdir instead.")
        }
        var section: [String: String?] = [:]
        for item in config.merged {
            let parts = item.key.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "show", !parts[1].contains(".") else { continue }
            section[String(parts[1])] = item.values.last ?? nil
        }
        if opt.target == nil, let value = section["target"] ?? nil { opt.target = value }
        if !opt.existsOnly, let entry = section["exists_only"] {
            switch entry {
            case nil, "", "0": break
            case "1": opt.existsOnly = true
            case let raw?:
                throw CommandError("Value \"\(raw)\" did not pass type constraint \"Bool\" (in $args->{\"exists_only\"})")
            }
        }
        self.options = opt
    }

    /// Shows `key` of `type`. Returns 0, or 2 for a missing object with `--exists`.
    /// Missing arguments throw a usage error with an empty message (usage text only).
    public func execute(_ sqitch: Sqitch, type: String?, key: String?) throws -> Int32 {
        let json = try JSONOutput.isJSON(format: options.format, json: options.json, command: "show")
        sqitch.console.jsonErrors = json
        guard let type, let key, Perl.isTrue(type), Perl.isTrue(key) else {
            throw UsageError("")
        }
        let overrides = TargetOverrides(topDir: options.topDir.flatMap { $0.isEmpty ? nil : $0 },
                                        planFile: options.planFile.flatMap { $0.isEmpty ? nil : $0 })
        let target = try Target.forPlan(sqitch: sqitch, name: options.target.flatMap { $0.isEmpty ? nil : $0 },
                                        overrides: overrides)
        let console = sqitch.console
        func loadPlan() throws -> Plan { try Plan.load(path: target.planFile, sqitch: sqitch) }

        if type == "tag" {
            let plan = try loadPlan()
            guard let tag = try ShowObject.findTag(key, in: plan, console: console) else {
                if options.existsOnly { return 2 }
                throw CommandError("Unknown tag \"\(key)\"")
            }
            if options.existsOnly { return 0 }
            if json {
                console.emit(JSONOutput.line(JSONOutput.ShowDocument(tag: tag, change: try plan.change(tag.changeID))))
            } else {
                console.emit(tag.info)
            }
            return 0
        }
        guard ShowObject.changeTypes.contains(type) else {
            throw CommandError("Unknown object type \"\(type)")
        }
        let plan = try loadPlan()
        guard let change = try plan.change(key, console: console) else {
            if options.existsOnly { return 2 }
            throw CommandError("Unknown change \"\(key)\"")
        }
        if type == "change" {
            if options.existsOnly { return 0 }
            console.emit(json ? JSONOutput.line(JSONOutput.ShowDocument(change: change)) : change.info)
            return 0
        }
        let path = ShowObject.scriptPath(type, of: change, target: target, files: sqitch.files)
        guard sqitch.files.exists(path) else {
            if options.existsOnly { return 2 }
            throw CommandError("File \"\(path)\" does not exist")
        }
        // Sqitch's directory check never fires (a file path is never a directory to it):
        // a directory reads as empty. sqlitch does the same.
        if options.existsOnly { return 0 }
        var bytes: [UInt8] = []
        if sqitch.files.isFile(path) {
            bytes = Array(try sqitch.files.readData(path))
        }
        if json {
            console.emit(JSONOutput.line(JSONOutput.ShowDocument(script: type, path: path, bytes: bytes, change: change)))
            return 0
        }
        bytes.append(0x0A)
        if let sink = console.out as? ByteSink {
            sink.write(bytes: bytes)
        } else {
            console.out.write(String(decoding: bytes, as: UTF8.self))
        }
        return 0
    }

    /// The tag a `show tag` key names: a tag ID (any key starting with 40 hex digits) or a
    /// tag name with or without its `@`.
    public static func findTag(_ key: String, in plan: Plan, console: Console? = nil) throws -> Tag? {
        let isID = key.utf8.count >= 40 && key.utf8.prefix(40).allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66)
        }
        let reference = isID ? key : (key.hasPrefix("@") ? "" : "@") + key
        guard let change = try plan.change(reference, console: console) else { return nil }
        if isID { return change.tags.first { $0.id == key } }
        let name = key.hasPrefix("@") ? String(key.dropFirst()) : key
        return change.tags.first { $0.name == name }
    }

    /// The path of a change's `deploy`, `revert` or `verify` script in `target`.
    public static func scriptPath(_ type: String, of change: Change, target: Target, files: FileSystem) -> String {
        let (dir, reworked): (String, String)
        switch type {
        case "revert": (dir, reworked) = (target.revertDir, target.reworkedRevertDir)
        case "verify": (dir, reworked) = (target.verifyDir, target.reworkedVerifyDir)
        default: (dir, reworked) = (target.deployDir, target.reworkedDeployDir)
        }
        return change.scriptPath(directory: dir, reworkedDirectory: reworked,
                                 reworkedDeployDirectory: target.reworkedDeployDir,
                                 extension: target.extension, files: files)
    }

}

extension ShowObject.Options: CommandOptionSet {
    public static var grammar: CommandGrammar<ShowObject.Options> {
        CommandGrammar([
            SharedOptions.target(\.target, "the target whose plan to read"),
            OptionSpec("-e --exists", kind: .negatable,
                       summary: "print nothing; exit 0 if the object exists, else 2") { options, value in
                options.existsOnly = value == .on
            },
            .text("--format", \.format, "<format>", "text (the default) or json"),
            .flag("--json", \.json, "same as --format json"),
        ] + SharedOptions.context(planFile: \.planFile, topDir: \.topDir))
    }
}
