import FoundationEssentials

/// A release of the registry schema (`1.1`): compared as a number, shown as Sqitch shows it
/// (`0` for a database without a `releases` table, `1.0`, `1.1`).
public struct RegistryRelease: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The text shown in messages, as read from the registry or named by an upgrade script.
    public let text: String
    public let value: Double

    public init(_ major: Int, _ minor: Int) {
        text = "\(major).\(minor)"
        value = Double(text)!
    }

    /// Parses what the registry's version query returns (`1.1`, `1.0`, `0`); nil for non-numbers.
    public init?(_ text: String) {
        let trimmed = text.trimming(.whitespaces)
        guard let value = Double(trimmed) else { return nil }
        self.text = trimmed
        self.value = value
    }

    /// No registry, or one made before releases were recorded.
    public static let none = RegistryRelease("0")!
    /// The release this version of Sqitch creates and requires (`registry_release`).
    public static let current = RegistryRelease(1, 1)

    public var description: String { text }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// One step of a registry upgrade: the SQL script that brings the registry to `release`.
public struct RegistryUpgrade: Sendable, Equatable {
    public let release: RegistryRelease
    /// Run by the engine's client against the registry database.
    public let script: String

    public init(release: RegistryRelease, script: String) {
        self.release = release
        self.script = script
    }
}

/// Choosing and announcing registry upgrades, as Sqitch's `upgrade_registry` and
/// `_check_registry` do; the engine runs the scripts and records each release.
public enum RegistryUpgradePlan {
    /// The steps after `installed`, oldest first. Throws when the registry is newer than
    /// `target`, or when no step ends at `target` (`engine` names the missing script).
    public static func steps(
        from installed: RegistryRelease, to target: RegistryRelease = .current,
        available: [RegistryUpgrade], engine: String
    ) throws -> [RegistryUpgrade] {
        if target < installed {
            throw CommandError("Registry version is \(installed) but \(target) is the latest known. Please upgrade Sqitch.")
        }
        let steps = available.filter { $0.release > installed }.sorted { $0.release < $1.release }
        guard let last = steps.last, last.release == target else {
            throw EngineError("Cannot upgrade to \(target): Cannot find upgrade script \"\(engine)-\(target).*\"")
        }
        return steps
    }

    /// `Upgrading the Sqitch registry from {old} to {new}`.
    public static func banner(from installed: RegistryRelease, to target: RegistryRelease = .current) -> String {
        "Upgrading the Sqitch registry from \(installed) to \(target)"
    }

    /// `  * From {old} to {new}`.
    public static func stepLine(from old: RegistryRelease, to new: RegistryRelease) -> String {
        "  * From \(old) to \(new)"
    }

    /// The check before `revert`, `verify`, `check` and friends: nil when the registry is at
    /// `target`, else the error Sqitch raises. `initialized` = the `changes` table exists.
    public static func checkError(
        installed: RegistryRelease, initialized: Bool, destination: String,
        target: RegistryRelease = .current
    ) -> EngineError? {
        if installed == target { return nil }
        if installed == .none && !initialized {
            return EngineError("No registry found in \(destination). Have you ever deployed?")
        }
        if target < installed {
            return EngineError("Registry version is \(installed) but \(target) is the latest known. Please upgrade Sqitch")
        }
        return EngineError("Registry is at version \(installed) but latest is \(target). Please run the \"upgrade\" command")
    }
}
