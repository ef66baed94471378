import FoundationEssentials
import Glibc

/// `bundle`: copies what deploying a project needs (the configuration, each target's plan, or
/// a slice of it, and the scripts of its changes) into a directory (Sqitch's
/// `Command::bundle`). Files already in the bundle and not older than their source are left.
public struct BundleAction {
    let options: BundleOptions

    public init(options: BundleOptions) { self.options = options }

    public func execute(_ sqitch: Sqitch, arguments: [String]) throws {
        let config = sqitch.config
        AuthoringNote.warnTopDir(options.context.topDir, command: "bundle", sqitch: sqitch)
        let dest = Target.canonicalPath(
            try Perl.truthy(options.destDir) ?? Perl.truthy(config.get("bundle.dest_dir")) ?? "bundle")
        let plans = PlanCache(sqitch: sqitch)
        func plan(_ target: Target) throws -> Plan { try plans.plan(of: target) }
        let parsed = try Target.parseArguments(
            sqitch: sqitch, command: "bundle", arguments: arguments, all: options.all ?? false,
            overrides: options.context.overrides
        ) { target, argument in try plan(target).contains(argument) }
        let console = sqitch.console
        // Sqitch passes on only the true ones: `--to x` alone reads as a start, not an end.
        let fromTo = [options.from, options.to].compactMap(Perl.truthy)
        if parsed.targets.count > 1, !fromTo.isEmpty {
            console.warn("Use of --to or --from to bundle multiple targets is not recommended.\n"
                + "Pass them as arguments after each target argument, instead.")
        }
        if !parsed.changes.isEmpty, !fromTo.isEmpty {
            throw CommandError("Cannot specify both --from or --to and change arguments")
        }

        let bundle = Bundle(sqitch: sqitch, dest: dest)
        console.info("Bundling into \(dest)")
        console.info("Writing config")
        let configFile = sqitch.environment.nonEmpty("SQITCH_CONFIG") ?? "sqitch.conf"
        try bundle.copyIfModified(configFile, to: Target.join(dest, Bundle.baseName(configFile)))
        var changes = parsed.changes[...]
        for target in parsed.targets {
            var range = fromTo
            if range.isEmpty {
                range = Array(changes.prefix(2))
                changes = changes.dropFirst(2)
            }
            let from = range.first
            let to = range.count > 1 ? range[1] : nil
            // The plan is read only when needed: a plain copy does not parse it.
            try bundle.writePlan(target, plan: { try plan(target) }, from: from, to: to)
            try bundle.copyScripts(target, plan: plan(target), from: from, to: to)
        }
    }

    /// The copying side of `bundle`.
    struct Bundle {
        let sqitch: Sqitch
        let dest: String

        /// The last component of a path.
        static func baseName(_ path: String) -> String {
            path.split(separator: "/").last.map(String.init) ?? path
        }

        /// `path` inside the bundle: relative paths as they are, absolute ones relative to the
        /// working directory (Path::Class's `relative`).
        func inBundle(_ path: String) -> String {
            Target.join(dest, relative(path))
        }

        func relative(_ path: String) -> String {
            guard path.hasPrefix("/") else { return Target.canonicalPath(path) }
            let from = sqitch.files.workingDirectory.split(separator: "/")
            let to = Target.canonicalPath(path).split(separator: "/")
            var common = 0
            while common < min(from.count, to.count), from[common] == to[common] { common += 1 }
            let parts = Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)
            return parts.isEmpty ? "." : parts.joined(separator: "/")
        }

        /// Sqitch's `bundle_plan`: the plan file as it is, or the slice between two changes.
        func writePlan(_ target: Target, plan: () throws -> Plan, from: String?, to: String?) throws {
            let file = Target.join(inBundle(target.topDir), Bundle.baseName(target.planFile))
            guard from != nil || to != nil else {
                sqitch.console.info("Writing plan")
                try copyIfModified(target.planFile, to: file)
                return
            }
            sqitch.console.info("Writing plan from \(from ?? "@ROOT") to \(to ?? "@HEAD")")
            try makePath(inBundle(target.topDir))
            try sqitch.files.writeText(file, plan().text(from: from, to: to))
        }

        /// Sqitch's `bundle_scripts`: each change's deploy, revert and verify scripts that
        /// exist, reworked ones into the reworked directories.
        func copyScripts(_ target: Target, plan: Plan, from: String?, to: String?) throws {
            let console = sqitch.console
            guard let first = try plan.index(of: from ?? "@ROOT", console: console) else {
                throw CommandError("Cannot find change \(from ?? "")")
            }
            guard let last = try plan.index(of: to ?? "@HEAD", console: console) else {
                throw CommandError("Cannot find change \(to ?? "")")
            }
            console.info("Writing scripts")
            guard first <= last else { return }
            let files = sqitch.files
            for change in plan.changes[first...last] {
                console.info("  + " + change.formatNameWithTags)
                let segments = change.pathSegments(extension: target.extension) {
                    files.exists(target.reworkedDeployDir + "/" + $0)
                }
                for type in ["deploy", "revert", "verify"] {
                    let source = ShowObject.scriptPath(type, of: change, target: target, files: files)
                    guard files.exists(source) else { continue }
                    let directory: String
                    switch (type, change.isReworked) {
                    case ("deploy", false): directory = target.deployDir
                    case ("revert", false): directory = target.revertDir
                    case ("verify", false): directory = target.verifyDir
                    case ("deploy", true): directory = target.reworkedDeployDir
                    case ("revert", true): directory = target.reworkedRevertDir
                    default: directory = target.reworkedVerifyDir
                    }
                    try copyIfModified(source, to: ([inBundle(directory)] + segments).joined(separator: "/"))
                }
            }
        }

        /// Copies `source` to `destination` unless the copy is at least as new.
        func copyIfModified(_ source: String, to destination: String) throws {
            let files = sqitch.files
            guard files.exists(source) else { throw CommandError("Cannot copy \(source): does not exist") }
            if files.exists(destination) {
                if let copied = modified(destination), let original = modified(source), copied >= original { return }
            } else if let slash = destination.lastIndex(of: "/") {
                try makePath(String(destination[..<slash]))
            }
            sqitch.console.debug("    Copying \(source) -> \(destination)")
            do {
                // Like File::Copy: the file is written in place, a new modification time.
                let data = try Data(contentsOf: URL(fileURLWithPath: files.absolute(source)))
                try data.write(to: URL(fileURLWithPath: files.absolute(destination)))
            } catch {
                throw CommandError("Cannot copy \"\(source)\" to \"\(destination)\": \(FileSystem.reason(error))")
            }
        }

        func modified(_ path: String) -> Date? {
            let attributes = try? FileManager.default.attributesOfItem(atPath: sqitch.files.absolute(path))
            return attributes?[.modificationDate] as? Date
        }

        /// Creates a directory and its parents as File::Path's `make_path` does
        /// (`    Created <dir>` at debug level); a part that cannot be made is named in the
        /// error (`Error creating <part>: File exists`).
        func makePath(_ directory: String) throws {
            guard !directory.isEmpty, !sqitch.files.isDirectory(directory) else { return }
            var path = directory.hasPrefix("/") ? "" : nil as String?
            for part in directory.split(separator: "/") {
                path = path.map { $0 + "/" + part } ?? String(part)
                guard let current = path, !sqitch.files.isDirectory(current) else { continue }
                if mkdir(sqitch.files.absolute(current), 0o777) != 0 {
                    let reason = sqitch.files.exists(current) ? String(cString: strerror(EEXIST))
                                                              : String(cString: strerror(errno))
                    throw CommandError("Error creating \(current): \(reason)")
                }
            }
            sqitch.console.debug("    Created \(directory)")
        }
    }
}
