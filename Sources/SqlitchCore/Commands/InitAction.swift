import FoundationEssentials

/// `init`: writes the project's configuration (when there is none), its plan and its script
/// directories (Sqitch's `App::Sqitch::Command::init`).
public struct InitAction {
    public var options: TargetConfigOptions
    /// `--uri`: the URI recorded in the plan's `%uri` pragma.
    public var uri: String?

    public init(options: TargetConfigOptions, uri: String? = nil) {
        self.options = options
        self.uri = uri
    }

    /// The error for a project name that breaks the naming rule (Sqitch 1.6's wording).
    public static func invalidProjectMessage(_ project: String) -> String {
        "invalid project name \"\(project)\": project names must not begin with punctuation, contain "
            + "\"@\", \":\", \"#\", \"[\", \"]\", or blanks, or end in punctuation or digits following punctuation"
    }

    /// The URI as URI.pm's constructor reads it: surrounding blanks dropped, characters a URI
    /// may not hold percent-escaped as UTF-8 (host names are not converted to punycode).
    static func uriText(_ text: String) -> String {
        let trimmed = text.trimming(.whitespacesAndNewlines)
        return DatabaseURI.escape(trimmed, keeping: DatabaseURI.uric + "[]#")
    }

    /// Runs `init <project>`. A missing project is a usage error.
    public func execute(_ sqitch: Sqitch, project: String?) throws -> Int32 {
        let properties = try options.properties(command: "init")
        guard let project = Perl.truthy(project) else { throw UsageError("") }
        guard PlanNames.isValid(project) else {
            throw CommandError(InitAction.invalidProjectMessage(project))
        }
        let command = TargetConfigCommand(sqitch: sqitch, command: "init", properties: properties)
        try writeConfig(command)
        let target = try command.configTarget()
        try command.writePlan(project: project, uri: uri.map(InitAction.uriText), target: target)
        try command.makeDirectories(for: [target])
        return 0
    }

    /// Writes `sqitch.conf` as Sqitch's `write_config` does: given options as settings,
    /// the rest as commented-out defaults. An existing file is left alone.
    func writeConfig(_ command: TargetConfigCommand) throws {
        let sqitch = command.sqitch
        let file = command.localFile
        if sqitch.files.isFile(file) { return }
        let props = command.properties
        let writer = command.writer
        let target = try command.configTarget()
        var settings: [(key: String, value: String)] = []
        var comments: [String] = []

        let engine = props.value("engine") ?? target.engine
        if let engine {
            settings.append((key: "core.engine", value: engine))
        } else {
            comments.append("\tengine = ")
        }
        for (name, fallback) in [("plan_file", target.planFile), ("top_dir", target.topDir)] {
            if let value = props.value(name) {
                settings.append((key: "core.\(name)", value: value))
            } else {
                comments.append("\t\(name) = \(fallback)")
            }
        }
        let scriptKeys = ["extension", "deploy_dir", "revert_dir", "verify_dir", "reworked_dir",
                          "reworked_deploy_dir", "reworked_revert_dir", "reworked_verify_dir"]
        for name in scriptKeys {
            if let raw = props.raw(name) { settings.append((key: "core.\(name)", value: raw)) }
        }
        for variable in props.variables {
            settings.append((key: "core.variables.\(variable.key)", value: variable.value))
        }
        if settings.isEmpty {
            comments.insert("[core]", at: 0)
        } else {
            try writer.groupSet(settings)
        }
        if !comments.isEmpty {
            try writer.addComment(comments.joined(separator: "\n"), indented: true)
        }

        if let engine {
            settings = []
            comments = []
            for key in ["target", "registry", "client"] {
                if let value = props.value(key) {
                    settings.append((key: "engine.\(engine).\(key)", value: value))
                    continue
                }
                let fallback: String
                switch key {
                case "target": fallback = target.name
                case "registry": fallback = target.registry
                default: fallback = target.client
                }
                comments.append("\t\(key) = \(fallback)")
            }
            if settings.isEmpty {
                comments.insert("[engine \"\(engine)\"]", at: 0)
            } else {
                try writer.groupSet(settings)
            }
            if !comments.isEmpty {
                try writer.addComment(comments.joined(separator: "\n"), indented: true)
            }
        }

        if let name = props.value("target"), !name.contains(":") {
            try writer.set("target.\(name).uri", target.uri?.description ?? "")
        }
        sqitch.console.info("Created \(file)")
    }
}
