import FoundationEssentials
import Glibc

/// Debian's and Ubuntu's `psql` is not the client itself but `pg_wrapper`, a Perl script of
/// postgresql-common that chooses a client version (and sometimes a local cluster) and then
/// runs `/usr/lib/postgresql/<version>/bin/psql`. Starting Perl costs about 40 ms, paid once
/// per deploy, revert and verify script.
///
/// When the wrapper's choice is certain and what it adds to the environment cannot change
/// the connection, sqlitch runs the client it would choose. For `psql` the wrapper always
/// chooses the newest client (at most 14 for a cluster older than 9.2; clients before 13 get
/// a readline preload); it defaults `PGSYSCONFDIR`; and when it picks a local cluster it
/// sets `PGHOST`, `PGPORT` and `PGCLUSTER` for it, which a connection string naming a host
/// and a port overrides. In every other case the wrapper itself runs, as under Sqitch.
public struct PgWrapper: Sendable {
    /// Where postgresql-common installs the wrapper.
    public var wrapperPath = "/usr/share/postgresql-common/pg_wrapper"
    /// Where the versioned clients live (`<binRoot>/<version>/bin/psql`).
    public var binRoot = "/usr/lib/postgresql"
    /// Where local clusters are configured (`<confRoot>/<version>/<cluster>/postgresql.conf`).
    public var confRoot = "/etc/postgresql"
    /// postgresql-common's configuration folder, the default `PGSYSCONFDIR`.
    public var commonConfDir = "/etc/postgresql-common"

    public init() {}

    /// What to run in place of `invoked` (the resolved client path), or nil to run it as is.
    /// `namesHostAndPort`: the client's connection string gives both a host and a port.
    public func directClient(invoked: String, environment: Environment,
                             namesHostAndPort: Bool) -> (path: String, environment: [String: String?])? {
        // The wrapper acts on the name it was started by; only `psql` is handled here.
        guard PathText.lastComponent(invoked) == "psql",
              let real = realPath(invoked), real == realPath(wrapperPath) else { return nil }
        // A cluster named by the environment, or another configuration root, decides otherwise.
        if environment["PGCLUSTER"] != nil || environment.nonEmpty("PG_CLUSTER_CONF_ROOT") != nil { return nil }
        let confDir = environment.nonEmpty("PGSYSCONFDIR") ?? commonConfDir
        if hasEntries(confDir + "/user_clusters") { return nil }
        if let home = environment.nonEmpty("HOME") ?? Self.passwordHome(), hasEntries(home + "/.postgresqlrc") {
            return nil
        }
        let clusters = localClusterVersions()
        if clusters.contains(where: { $0 < 9.2 }) { return nil }
        // Which cluster, if any, the wrapper picks: none with PGHOST or a PGPORT set, nor
        // without local clusters; with one, its host and port only where none is given.
        let explicitHost = environment["PGHOST"] != nil
        let explicitPort = environment.nonEmpty("PGPORT").map { $0 != "0" } ?? false
        if !explicitHost && !explicitPort && !clusters.isEmpty && !(clusters.count == 1 && namesHostAndPort) {
            return nil
        }
        guard let version = newestClientVersion(), version.number >= 13 else { return nil }
        var changes: [String: String?] = [:]
        if environment["PGSYSCONFDIR"] == nil { changes["PGSYSCONFDIR"] = commonConfDir }
        return (binRoot + "/" + version.name + "/bin/psql", changes)
    }

    /// The version of each local cluster: each `<confRoot>/<version>/<cluster>` with a
    /// `postgresql.conf` (even a dangling link), as the wrapper counts clusters.
    func localClusterVersions() -> [Double] {
        var versions: [Double] = []
        for version in entries(confRoot) where Self.isVersion(version) {
            for cluster in entries(confRoot + "/" + version) {
                var info = stat()
                if lstat(confRoot + "/" + version + "/" + cluster + "/postgresql.conf", &info) == 0 {
                    versions.append(Double(version) ?? 0)
                }
            }
        }
        return versions
    }

    /// The highest version folder of `binRoot` with an executable `bin/psql`.
    func newestClientVersion() -> (name: String, number: Double)? {
        var best: (name: String, number: Double)?
        for name in entries(binRoot) where Self.isVersion(name) {
            guard let number = Double(name), access(binRoot + "/" + name + "/bin/psql", X_OK) == 0 else { continue }
            if best == nil || number > best!.number { best = (name, number) }
        }
        return best
    }

    /// The wrapper's version pattern: digits, an optional dot, digits (`15`, `9.6`).
    static func isVersion(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let digits = { (s: Substring) in !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
        switch parts.count {
        case 1: return name.count >= 2 && digits(parts[0])
        case 2: return digits(parts[0]) && digits(parts[1])
        default: return false
        }
    }

    private func entries(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// True when the cluster map at `path` has a line that is not blank once its comment is
    /// cut (Debian ships `user_clusters` with comments only); false when it cannot be read.
    func hasEntries(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").contains { line in
            !(line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .allSatisfy { $0.isWhitespace }
        }
    }

    private func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The home folder of the effective user, from the password database.
    static func passwordHome() -> String? {
        guard let entry = getpwuid(geteuid()), let dir = entry.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }
}
