/// Sqitch's own deploy/revert/verify templates (the same text for every engine), used when
/// no template directory provides one.
public enum BuiltInTemplates {
    public static let deploy = """
        -- Deploy [% project %]:[% change %] to [% engine %]
        [% FOREACH item IN requires -%]
        -- requires: [% item %]
        [% END -%]
        [% FOREACH item IN conflicts -%]
        -- conflicts: [% item %]
        [% END -%]

        BEGIN;

        -- XXX Add DDLs here.

        COMMIT;

        """

    public static let revert = """
        -- Revert [% project %]:[% change %] from [% engine %]

        BEGIN;

        -- XXX Add DDLs here.

        COMMIT;

        """

    public static let verify = """
        -- Verify [% project %]:[% change %] on [% engine %]

        BEGIN;

        -- XXX Add verifications here.

        ROLLBACK;

        """

    /// The built-in template for a script type, if there is one.
    public static func text(for type: String) -> String? {
        switch type {
        case "deploy": return deploy
        case "revert": return revert
        case "verify": return verify
        default: return nil
        }
    }
}

/// Where one script type's template comes from.
public enum TemplateSource: Sendable, Equatable {
    /// A `.tmpl` file (path as Sqitch shows it).
    case file(String)
    /// One of `BuiltInTemplates`.
    case builtIn(String)
}

/// The template chosen for one script type (`deploy`, `revert`, `verify`, or any other
/// subdirectory name found in a template directory).
public struct ScriptTemplate: Sendable, Equatable {
    public var type: String
    public var source: TemplateSource

    public init(type: String, source: TemplateSource) {
        self.type = type
        self.source = source
    }

    /// The template's text.
    public func text(files: FileSystem) throws -> String {
        switch source {
        case .file(let path): return try files.readText(path)
        case .builtIn(let text): return text
        }
    }

    /// Renders the template; a template error reads `Error executing {template}: {error}`.
    public func render(files: FileSystem, variables: [String: TemplateValue]) throws -> String {
        let text = try text(files: files)
        do {
            return try TemplateRenderer.render(text, variables: variables)
        } catch let error as any SqitchFailure {
            let name: String
            switch source {
            case .file(let path): name = path
            case .builtIn: name = type
            }
            throw CommandError("Error executing \(name): \(error.message)")
        }
    }
}

/// The `add`/`rework` template options: `--template`, `--template-directory`, `--use`,
/// `--with`/`--without` and `--set`.
public struct TemplateOptions: Sendable {
    /// `--template|-t`.
    public var templateName: String?
    /// `--template-directory`.
    public var templateDirectory: String?
    /// `--use type=path`, in command-line order (a later type replaces an earlier one).
    public var use: [(type: String, path: String)]
    /// `--with type` (true) and `--without type` (false).
    public var with: [String: Bool]
    /// `-s key=value`, in order; a repeated key makes a list.
    public var set: [(key: String, value: String)]

    public init(templateName: String? = nil, templateDirectory: String? = nil,
                use: [(type: String, path: String)] = [], with: [String: Bool] = [:],
                set: [(key: String, value: String)] = []) {
        self.templateName = templateName
        self.templateDirectory = templateDirectory
        self.use = use
        self.with = with
        self.set = set
    }
}

/// Finds the templates `add` writes scripts from (Sqitch's `add` template search).
public struct TemplateSet: Sendable {
    /// The checked `--template-directory`/`add.template_directory`, if any.
    public let templateDirectory: String?
    /// `--template` or `add.template_name`; nil means the engine's name.
    public let templateName: String?
    /// Explicit files: `add.templates.<type>` overlaid by `--use`.
    public let explicit: [String: String]
    /// `--with`/`--without` choices.
    public let with: [String: Bool]
    /// `add.variables.*` overlaid by `--set`.
    public let variables: [String: TemplateValue]

    /// Reads and checks the options in Sqitch's order: the template directory, every
    /// `add.templates.<type>` file, then each `--use` file.
    public init(sqitch: Sqitch, options: TemplateOptions = TemplateOptions()) throws {
        let config = sqitch.config
        let files = sqitch.files
        if let raw = try Perl.truthy(options.templateDirectory) ?? Perl.truthy(try config.get("add.template_directory")) {
            let dir = Target.canonicalPath(raw)
            guard files.exists(dir) else { throw CommandError("Directory \"\(dir)\" does not exist") }
            guard files.isDirectory(dir) else { throw CommandError("\"\(dir)\" is not a directory") }
            templateDirectory = dir
        } else {
            templateDirectory = nil
        }
        templateName = try Perl.truthy(options.templateName) ?? Perl.truthy(try config.get("add.template_name"))

        func check(_ raw: String) throws -> String {
            let path = Target.filePath(raw)
            guard files.exists(path) else { throw CommandError("Template \(path) does not exist") }
            guard files.isFile(path) else { throw CommandError("Template \(path) is not a file") }
            return path
        }
        var explicit: [String: String] = [:]
        for (type, path) in config.section("add.templates") { explicit[type] = try check(path) }
        for (type, path) in options.use { explicit[type] = try check(path) }
        self.explicit = explicit

        var with = ["deploy": true, "revert": true, "verify": true]
        with.merge(options.with) { $1 }
        self.with = with

        var variables: [String: TemplateValue] = [:]
        for (key, value) in config.section("add.variables") { variables[key] = .string(value) }
        var given: [String: TemplateValue] = [:]
        for (key, value) in options.set {
            switch given[key] {
            case nil: given[key] = .string(value)
            case .list(let items)?: given[key] = .list(items + [.string(value)])
            case let existing?: given[key] = .list([existing, .string(value)])
            }
        }
        variables.merge(given) { $1 }
        self.variables = variables
    }

    /// The directories searched, in order: the template directory, `~/.sqitch/templates`,
    /// `<etc>/templates`.
    public static func searchDirectories(sqitch: Sqitch, templateDirectory: String?) -> [String] {
        var dirs: [String] = []
        if let templateDirectory { dirs.append(templateDirectory) }
        if let home = sqitch.environment.nonEmpty("HOME") { dirs.append(home + "/.sqitch/templates") }
        dirs.append(sqitch.etcPath + "/templates")
        return dirs
    }

    /// The templates for `engine` (or the configured template name), one per script type,
    /// sorted by type and filtered by `--with`/`--without`. deploy, revert and verify fall
    /// back on the built-ins; without one (and not excluded) it is
    /// `Cannot find {script} template`.
    public func resolve(sqitch: Sqitch, engine: String) throws -> [ScriptTemplate] {
        let name = templateName ?? engine
        var found: [String: TemplateSource] = explicit.mapValues { .file($0) }
        let files = sqitch.files
        for dir in TemplateSet.searchDirectories(sqitch: sqitch, templateDirectory: templateDirectory)
        where files.isDirectory(dir) {
            for child in files.contents(of: dir) {
                let sub = dir + "/" + child
                guard files.isDirectory(sub), found[child] == nil else { continue }
                let file = sub + "/" + name + ".tmpl"
                if files.isFile(file) { found[child] = .file(file) }
            }
        }
        // Built-ins stand in for the system templates Sqitch installs, which are named
        // after engines (the same text for these three).
        if ["pg", "sqlite", "mysql"].contains(name) {
            for type in ["deploy", "revert", "verify"] where found[type] == nil {
                if let text = BuiltInTemplates.text(for: type) { found[type] = .builtIn(text) }
            }
        }
        for script in ["deploy", "revert", "verify"] where found[script] == nil && with[script] != false {
            throw CommandError("Cannot find \(script) template")
        }
        return found.keys.sorted().filter { with[$0] != false }.map {
            ScriptTemplate(type: $0, source: found[$0]!)
        }
    }

    /// The variables a script template sees: `add.variables.*` and `--set`, then `change`,
    /// `engine`, `project`, `requires` and `conflicts` (the raw command-line strings).
    public func variables(change: String, engine: String, project: String, requires: [String],
                          conflicts: [String]) -> [String: TemplateValue] {
        var vars = variables
        vars["change"] = .string(change)
        vars["engine"] = .string(engine)
        vars["project"] = .string(project)
        vars["requires"] = .list(requires.map { .string($0) })
        vars["conflicts"] = .list(conflicts.map { .string($0) })
        return vars
    }
}
