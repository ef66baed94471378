/// What a command's positional arguments turned out to be (Sqitch's `parse_args`):
/// names filled from unrecognised arguments, the targets to act on, and changes.
public struct ParsedArguments: Sendable {
    /// One entry per requested name: the given value, or the next unknown argument.
    public var names: [String?]
    /// Targets to act on, never empty unless `all` found none.
    public var targets: [Target]
    /// Arguments that are changes in a target's plan.
    public var changes: [String]
}

extension Target {
    /// Every target the configuration mentions: the default target, named targets
    /// (`target.<name>.uri`), engine targets (`engine.<engine>.target`), then `db:<engine>:`
    /// for each configured engine without one. (Sqitch walks a hash here; sqlitch sorts.)
    public static func allTargets(config: ConfigStack, environment: Environment,
                                  overrides: TargetOverrides = TargetOverrides()) throws -> [Target] {
        var targets: [Target] = []
        var seen: Set<String> = []
        func add(_ name: String) throws {
            guard !seen.contains(name) else { return }
            let target = try Target(config: config, environment: environment, name: name, overrides: overrides)
            seen.insert(name)
            targets.append(target)
        }
        let keys = config.files.flatMap { $0.entries.map(\.key) }
        var core = Perl.truthy(config.value("core.target"))
        if core == nil, var engine = Perl.truthy(config.value("core.engine")) {
            while let last = engine.last, last.isWhitespace { engine.removeLast() }
            core = Perl.truthy(config.value("engine.\(engine).target")) ?? "db:\(engine):"
        }
        if let core { try add(core) }
        var named: Set<String> = []
        var engineTargets: [(engine: String, target: String)] = []
        var engines: Set<String> = []
        for key in keys {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 3, parts[0].lowercased() == "target", parts[2].lowercased() == "uri" {
                named.insert(parts[1])
            }
            if parts.count == 3, parts[0].lowercased() == "engine", parts[2].lowercased() == "target",
               let value = Perl.truthy(config.value(key)) {
                engineTargets.append((parts[1], value))
            }
            if parts.count >= 2, parts[0].lowercased() == "engine" {
                var engine = parts[1]
                while let last = engine.last, last.isWhitespace { engine.removeLast() }
                engines.insert(engine)
            }
        }
        for name in named.sorted() { try add(name) }
        var engineSeen: Set<String> = []
        for (engine, target) in engineTargets.sorted(by: { $0.engine < $1.engine }) where !engineSeen.contains(engine) {
            engineSeen.insert(engine)
            try add(target)
        }
        for engine in engines.sorted() where !engineSeen.contains(engine) {
            let uri = "db:\(engine):"
            guard !seen.contains(uri) else { continue }
            let target = try Target(config: config, environment: environment, uri: DatabaseURI(uri), overrides: overrides)
            seen.insert(uri)
            targets.append(target)
        }
        return targets
    }

    /// The first target `parseArguments` will give, when that is certain before any plan is
    /// read: `--target`'s, or a target URI (`db:...`: no change reference holds a colon)
    /// that no earlier argument can come before as a target (one that may name a target,
    /// an engine or a plan file). Nil otherwise, or when it cannot be resolved (the parse
    /// then says why).
    public static func certainFirstTarget(sqitch: Sqitch, arguments: [String], target: String?,
                                          overrides: TargetOverrides = TargetOverrides()) -> Target? {
        let config = sqitch.config
        func resolve(_ name: String) -> Target? {
            try? Target(config: config, environment: sqitch.environment, name: name, overrides: overrides)
        }
        if let target { return resolve(target) }
        for arg in arguments {
            if arg.lowercased().hasPrefix("db:") { return resolve(arg) }
            guard let notATarget = try? Perl.truthy(config.get("target.\(arg).uri")) == nil else { return nil }
            if !notATarget || engines.contains(arg) || sqitch.files.exists(arg) { return nil }
        }
        return nil
    }

    /// Sorts a command's positional arguments into changes, targets and unknowns, as
    /// Sqitch's connecting and plan commands do.
    ///
    /// - Parameters:
    ///   - command: the command name, for the `<command>.all` key and error idents.
    ///   - target: the `--target` option; an error resolving it is thrown at once, an error
    ///     resolving the default target only when it is needed.
    ///   - names: leading name slots (e.g. `add`'s change name); nil slots take unknown
    ///     arguments in order.
    ///   - noChanges: true for commands whose arguments are never changes.
    ///   - all: `--all`.
    ///   - isChange: whether `argument` is a change in `target`'s plan; called only when the
    ///     target's plan file exists.
    public static func parseArguments(
        sqitch: Sqitch, command: String, arguments: [String], target: String? = nil,
        names: [String?] = [], noChanges: Bool = false, all: Bool = false,
        overrides: TargetOverrides = TargetOverrides(),
        isChange: (Target, String) throws -> Bool
    ) throws -> ParsedArguments {
        let config = sqitch.config
        let environment = sqitch.environment
        var current: Target?
        var defaultError: Error?
        do {
            current = try Target(config: config, environment: environment, name: target, overrides: overrides)
        } catch {
            if target != nil { throw error }
            defaultError = error
        }
        var targets: [Target] = []
        var seen: Set<String> = []
        var changes: [String] = []
        var unknown: [String] = []
        if target != nil, let current {
            targets.append(current)
            seen.insert(current.name)
        }
        var byPlanFile: [String: Target]?
        for arg in arguments {
            if !noChanges, let t = current, sqitch.files.exists(t.planFile), try isChange(t, arg) {
                changes.append(arg)
            } else if Perl.truthy(try config.get("target.\(arg).uri")) != nil || arg.lowercased().hasPrefix("db:") {
                let t = try Target(config: config, environment: environment, name: arg, overrides: overrides)
                current = t
                if seen.insert(t.name).inserted { targets.append(t) }
            } else if engines.contains(arg) {
                let name = Perl.truthy(try config.get("engine.\(arg).target")) ?? "db:\(arg):"
                let t = try Target(config: config, environment: environment, name: name, overrides: overrides)
                current = t
                if seen.insert(t.name).inserted { targets.append(t) }
            } else if sqitch.files.exists(arg) {
                if byPlanFile == nil {
                    var map: [String: Target] = [:]
                    for t in try allTargets(config: config, environment: environment, overrides: overrides)
                    where map[t.planFile] == nil {
                        map[t.planFile] = t
                    }
                    byPlanFile = map
                }
                if let t = byPlanFile?[arg] {
                    current = t
                    if seen.insert(t.name).inserted { targets.append(t) }
                } else {
                    unknown.append(arg)
                }
            } else {
                unknown.append(arg)
            }
        }
        let filled = names.map { name -> String? in
            if let name { return name }
            return unknown.isEmpty ? nil : unknown.removeFirst()
        }
        if !unknown.isEmpty {
            let message = unknown.count == 1
                ? "Unknown argument \"\(unknown[0])\""
                : "Unknown arguments: \(unknown.joined(separator: ", "))"
            throw CommandError(message)
        }
        if all {
            if !targets.isEmpty {
                throw CommandError("Cannot specify both --all and engine, target, or plan arugments")
            }
            targets = try allTargets(config: config, environment: environment, overrides: overrides)
        } else if targets.isEmpty {
            if try config.bool("\(command).all") == true {
                targets = try allTargets(config: config, environment: environment, overrides: overrides)
            } else {
                if let defaultError { throw defaultError }
                if let current { targets = [current] }
            }
        }
        return ParsedArguments(names: filled, targets: targets, changes: changes)
    }
}
