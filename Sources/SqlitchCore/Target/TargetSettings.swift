/// A target's settings, resolved once for every command as App::Sqitch::Target resolves them:
/// each from the command line, else `target.<name>.<key>`, else `engine.<engine>.<key>`, else
/// `core.<key>`, else Sqitch's default (paths under the top directory, the engine's registry
/// and client).
public struct TargetSettings: Sendable, Equatable {
    public var topDir: String
    public var planFile: String
    public var deployDir: String
    public var revertDir: String
    public var verifyDir: String
    public var reworkedDir: String
    public var reworkedDeployDir: String
    public var reworkedRevertDir: String
    public var reworkedVerifyDir: String
    public var `extension`: String
    public var registry: String
    public var client: String

    /// The settings of target `name` (engine `engine`, nil for an engineless `db:` target).
    /// `given` holds the command line's values by configuration key (`top_dir`, `plan_file`,
    /// `deploy_dir`, `reworked_dir`, `registry`, `client`, `extension`, ...), already in their
    /// final form: they are used as they are.
    public init(config: ConfigStack, name: String, engine: String?, given: [String: String] = [:]) throws {
        func fetch(_ key: String) throws -> String? {
            if let v = Perl.truthy(try config.get("target.\(name).\(key)")) { return v }
            if let engine, let v = Perl.truthy(try config.get("engine.\(engine).\(key)")) { return v }
            return Perl.truthy(try config.get("core.\(key)"))
        }
        let top = try given["top_dir"] ?? fetch("top_dir").map(Target.canonicalPath) ?? "."
        topDir = top
        planFile = try given["plan_file"] ?? fetch("plan_file").map(Target.filePath) ?? Target.join(top, "sqitch.plan")
        let reworked = try given["reworked_dir"] ?? fetch("reworked_dir").map(Target.canonicalPath) ?? top
        reworkedDir = reworked
        var dirs: [String: String] = [:]
        for script in ["deploy", "revert", "verify"] {
            let configured = try fetch("\(script)_dir")
            dirs[script] = given["\(script)_dir"] ?? configured.map(Target.canonicalPath) ?? Target.join(top, script)
            if let own = given["reworked_\(script)_dir"] {
                dirs["reworked_" + script] = own
            } else if let own = try fetch("reworked_\(script)_dir") {
                dirs["reworked_" + script] = Target.canonicalPath(own)
            } else if let configured {
                dirs["reworked_" + script] = Target.join(reworked, configured)
            } else {
                dirs["reworked_" + script] = Target.join(reworked, script)
            }
        }
        deployDir = dirs["deploy"]!
        revertDir = dirs["revert"]!
        verifyDir = dirs["verify"]!
        reworkedDeployDir = dirs["reworked_deploy"]!
        reworkedRevertDir = dirs["reworked_revert"]!
        reworkedVerifyDir = dirs["reworked_verify"]!
        `extension` = try given["extension"] ?? fetch("extension") ?? "sql"
        registry = try given["registry"] ?? fetch("registry") ?? TargetSettings.defaultRegistry(engine: engine)
        client = try given["client"] ?? fetch("client") ?? engine.map { Target.defaultClients[$0] ?? $0 } ?? ""
    }

    /// The engine's default registry: empty for Oracle (whose registry is the connecting
    /// user's schema), `sqitch` for the others.
    public static func defaultRegistry(engine: String?) -> String {
        engine == "oracle" ? "" : "sqitch"
    }
}

/// Perl's truth, as Sqitch tests options, arguments and configuration values: a value that is
/// missing, empty or `0` is false.
public enum Perl {
    /// Whether `value` is true.
    public static func isTrue(_ value: String?) -> Bool {
        guard let value else { return false }
        return !value.isEmpty && value != "0"
    }

    /// `value` when it is true, else nil (Perl's `$value || undef`).
    public static func truthy(_ value: String?) -> String? {
        isTrue(value) ? value : nil
    }
}
