import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// When sqlitch may start Debian's versioned `psql` in place of `pg_wrapper`: a fake
/// postgresql-common layout in a temporary folder, changed one way at a time.
@Suite struct PgWrapperTests {
    typealias Layout = PgWrapperLayout

    @Test func withoutClustersOrMapsTheNewestClientRunsWithTheWrappersDefaults() throws {
        let layout = try Layout()
        let choice = try #require(layout.choice)
        #expect(choice.path == layout.root.path + "/lib/15/bin/psql")
        #expect(choice.environment == ["PGSYSCONFDIR": layout.root.path + "/common"])

        // A newer folder without an executable client, or not named as a version, is skipped.
        try layout.client("17", executable: false)
        try layout.client("1")
        try layout.client("16beta")
        #expect(layout.choice?.path == layout.root.path + "/lib/15/bin/psql")
        try layout.client("16")
        #expect(layout.choice?.path == layout.root.path + "/lib/16/bin/psql")

        // A PGSYSCONFDIR already set is kept (even empty: the wrapper only fills an unset one).
        layout.environment["PGSYSCONFDIR"] = ""
        #expect(layout.choice?.environment.isEmpty == true)
        // PGHOST, PGPORT and PGSERVICE change nothing when there is no cluster.
        layout.environment["PGHOST"] = "db.example"
        layout.environment["PGPORT"] = "5433"
        layout.environment["PGSERVICE"] = "svc"
        #expect(layout.choice?.path == layout.root.path + "/lib/16/bin/psql")
    }

    @Test func aLocalClusterMattersOnlyWhenNoHostAndPortAreGiven() throws {
        let layout = try Layout()
        try layout.root.write("etc/15/main/pg_hba.conf", "")
        #expect(layout.choice != nil)  // a folder without postgresql.conf is no cluster
        try FileManager.default.createSymbolicLink(atPath: layout.root.path + "/etc/15/main/postgresql.conf",
                                                   withDestinationPath: "/nonexistent/postgresql.conf")
        // One cluster (a dangling link counts, as for the wrapper): the wrapper would set
        // its PGHOST and PGPORT, which only a connection string naming both overrides.
        #expect(layout.choice == nil)
        layout.namesHostAndPort = true
        #expect(layout.choice?.path == layout.root.path + "/lib/15/bin/psql")
        #expect(layout.choice?.environment == ["PGSYSCONFDIR": layout.root.path + "/common"])

        // With PGHOST, or a PGPORT other than 0, the wrapper picks no cluster at all.
        layout.namesHostAndPort = false
        layout.environment["PGHOST"] = ""
        #expect(layout.choice != nil)
        layout.environment["PGHOST"] = nil
        layout.environment["PGPORT"] = "5433"
        #expect(layout.choice != nil)
        layout.environment["PGPORT"] = "0"
        #expect(layout.choice == nil)
        layout.environment["PGPORT"] = nil

        // Two clusters: which one depends on their ports; the wrapper decides.
        try layout.root.write("etc/15/other/postgresql.conf", "port = 5433\n")
        layout.namesHostAndPort = true
        #expect(layout.choice == nil)

        // A cluster before 9.2 caps the client at 14.
        let old = try Layout()
        old.namesHostAndPort = true
        try old.root.write("etc/9.1/main/postgresql.conf", "")
        #expect(old.choice == nil)
    }

    @Test func aClusterMapLeavesTheChoiceToTheWrapper() throws {
        let mapped = try Layout()
        // Debian's own map has comments only: it changes nothing.
        try mapped.root.write("common/user_clusters", "# USER  GROUP  VERSION  CLUSTER  DATABASE\n\n  # none\n")
        try mapped.root.write("home/.postgresqlrc", "# VERSION CLUSTER DATABASE\n")
        #expect(mapped.choice != nil)
        try mapped.root.write("common/user_clusters", "# a map\n* * 15 main * # all\n")
        #expect(mapped.choice == nil)
        mapped.environment["PGSYSCONFDIR"] = mapped.root.path + "/elsewhere"
        #expect(mapped.choice != nil)  // the map is read from PGSYSCONFDIR

        let personal = try Layout()
        try personal.root.write("home/.postgresqlrc", "15 main *\n")
        #expect(personal.choice == nil)
    }

    @Test func pgclusterAnOldClientOrAnotherProgramLeavesTheWrapperAlone() throws {
        let cluster = try Layout()
        cluster.environment["PGCLUSTER"] = "15/main"
        #expect(cluster.choice == nil)
        cluster.environment["PGCLUSTER"] = nil
        cluster.environment["PG_CLUSTER_CONF_ROOT"] = cluster.root.path + "/other"
        #expect(cluster.choice == nil)

        // Clients before 13 get a readline preload from the wrapper.
        let old = try Layout()
        try FileManager.default.removeItem(atPath: old.root.path + "/lib/15")
        #expect(old.choice == nil)

        // Only `psql` that is the wrapper: another name, or a real client, runs as it is.
        let other = try Layout()
        try FileManager.default.createSymbolicLink(atPath: other.root.path + "/bin/pg_dump",
                                                   withDestinationPath: "../share/pg_wrapper")
        #expect(other.wrapper.directClient(invoked: other.root.path + "/bin/pg_dump", environment: other.environment,
                                               namesHostAndPort: true) == nil)
        #expect(other.wrapper.directClient(invoked: other.root.path + "/lib/15/bin/psql", environment: other.environment,
                                               namesHostAndPort: true) == nil)
        #expect(other.wrapper.directClient(invoked: other.root.path + "/bin/missing", environment: other.environment,
                                               namesHostAndPort: true) == nil)
    }

    @Test func versionNamesFollowTheWrappersPattern() {
        #expect(["15", "9.6", "10.22", "100"].allSatisfy(PgWrapper.isVersion))
        #expect(!["1", "", "9.", ".6", "1.2.3", "15a", "main"].contains(where: PgWrapper.isVersion))
    }
}

/// A fake postgresql-common in a temporary folder: a wrapper, clients 12 and 15, a `psql`
/// link to the wrapper in `bin`, and no cluster.
final class PgWrapperLayout {
    let root: TemporaryDirectory
    var wrapper = PgWrapper()
    var environment = Environment(["PATH": "/usr/bin"])
    var psql: String { root.path + "/bin/psql" }

    init() throws {
        root = try TemporaryDirectory(prefix: "pgwrapper")
        try root.write("share/pg_wrapper", "#!/usr/bin/perl\n")
        _ = chmod(root.path + "/share/pg_wrapper", 0o755)
        for version in ["12", "15"] { try client(version) }
        try FileManager.default.createDirectory(atPath: root.path + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: psql, withDestinationPath: "../share/pg_wrapper")
        try FileManager.default.createDirectory(atPath: root.path + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root.path + "/home", withIntermediateDirectories: true)
        wrapper.wrapperPath = root.path + "/share/pg_wrapper"
        wrapper.binRoot = root.path + "/lib"
        wrapper.confRoot = root.path + "/etc"
        wrapper.commonConfDir = root.path + "/common"
        environment["HOME"] = root.path + "/home"
    }

    func client(_ version: String, executable: Bool = true) throws {
        let path = "lib/\(version)/bin/psql"
        try root.write(path, "")
        _ = chmod(root.path + "/" + path, executable ? 0o755 : 0o644)
    }

    /// Whether the connection string names a host and a port.
    var namesHostAndPort = false

    var choice: (path: String, environment: [String: String?])? {
        wrapper.directClient(invoked: psql, environment: environment, namesHostAndPort: namesHostAndPort)
    }
}
