/// Everything a command runs against: environment, output, files, clock, input and the
/// merged configuration. Built once by the CLI (or by a test) and passed down.
public final class Sqitch {
    public let environment: Environment
    public let console: Console
    public let files: FileSystem
    public let clock: Clock
    public let input: InputSource
    /// The system configuration directory (`--etc-path`): system config and templates.
    public let etcPath: String
    /// The configuration, reloaded by commands that write it.
    public var config: ConfigStack
    /// The program's own name, shown in usage lines and hints.
    public let programName: String

    public init(
        environment: Environment,
        console: Console,
        files: FileSystem,
        clock: Clock = SystemClock(),
        input: InputSource = NoInput(),
        etcPath: String = Sqitch.defaultEtcPath,
        config: ConfigStack? = nil,
        programName: String = "sqlitch"
    ) throws {
        self.environment = environment
        self.console = console
        self.files = files
        self.clock = clock
        self.input = input
        self.etcPath = etcPath
        self.programName = programName
        self.config = try config ?? ConfigStack.load(environment: environment, files: files, etcPath: etcPath)
    }

    /// Sqitch's system directory on Debian, shared with an installed Sqitch.
    public static let defaultEtcPath = "/etc/sqitch"

    /// Re-reads the configuration files (after a command wrote one).
    public func reloadConfig() throws {
        config = try ConfigStack.load(environment: environment, files: files, etcPath: etcPath)
    }
}

extension ConfigStack {
    /// The paths Sqitch reads: `$SQITCH_SYSTEM_CONFIG` or `<etc>/sqitch.conf`;
    /// `$SQITCH_USER_CONFIG` or `~/.sqitch/sqitch.conf`; `$SQITCH_CONFIG` or the first
    /// `sqitch.conf` found from the working directory upwards.
    public static func paths(environment: Environment, files: FileSystem, etcPath: String) -> ConfigPaths {
        var paths: ConfigPaths = [:]
        paths[.system] = environment.nonEmpty("SQITCH_SYSTEM_CONFIG") ?? etcPath + "/sqitch.conf"
        if let user = environment.nonEmpty("SQITCH_USER_CONFIG") {
            paths[.user] = user
        } else if let home = environment.nonEmpty("HOME") {
            paths[.user] = home + "/.sqitch/sqitch.conf"
        }
        if let local = environment.nonEmpty("SQITCH_CONFIG") {
            paths[.local] = local
        } else {
            var dir = files.workingDirectory
            var found: String?
            while true {
                let candidate = (dir == "/" ? "" : dir) + "/sqitch.conf"
                if files.isFile(candidate) { found = candidate; break }
                if dir == "/" || dir.isEmpty { break }
                let parent = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
                dir = parent.isEmpty ? "/" : parent
            }
            // Sqitch writes a new local file in the current directory.
            paths[.local] = found.map { $0 == files.absolute("sqitch.conf") ? "sqitch.conf" : $0 } ?? "sqitch.conf"
        }
        return paths
    }

    /// Reads the files that exist among `paths`.
    public static func load(environment: Environment, files: FileSystem, etcPath: String) throws -> ConfigStack {
        let paths = paths(environment: environment, files: files, etcPath: etcPath)
        var loaded: [ConfigFile] = []
        for scope in ConfigScope.allCases {
            guard let path = paths[scope], files.isFile(path) else { continue }
            loaded.append(try ConfigFile.parse(files.readText(path), path: path, scope: scope, displayPath: files.absolute(path)))
        }
        return ConfigStack(files: loaded, paths: paths)
    }
}
