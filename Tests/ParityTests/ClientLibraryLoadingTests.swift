import Foundation
import SqlitchCore
import SqlitchTestSupport
import Testing

/// libsqlite3, libpq and MariaDB Connector/C are loaded when their engine first connects, not
/// at start-up: the built binary is run with the dynamic loader's trace on (`LD_DEBUG=libs`).
@Suite struct ClientLibraryLoadingTests {
    private func run(_ arguments: [String], environment extra: [String: String] = [:],
                     through wrapper: [String] = []) throws -> ProcessResult {
        let binary = try #require(ParityHarness.sqlitchPath, "the sqlitch binary was not built")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("client-libs-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var environment = ["PATH": "/usr/bin:/bin", "HOME": directory,
                           "SQITCH_USER_CONFIG": "/dev/null", "SQITCH_SYSTEM_CONFIG": "/dev/null"]
        environment.merge(extra) { $1 }
        let program = wrapper.first ?? binary
        let arguments = wrapper.isEmpty ? arguments : Array(wrapper.dropFirst()) + [binary] + arguments
        return try SpawnRunner.start(path: program, arguments: arguments, environment: environment,
                                     directory: directory).finish()
    }

    /// Port 1 on loopback refuses at once: the engine loads its library, then fails to connect.
    @Test func eachLibraryIsLoadedOnlyByItsEngine() throws {
        let trace = ["LD_DEBUG": "libs"]
        for arguments in [["--version"], ["help"], ["plan"], ["status", "db:sqlite:none.db"]] {
            let result = try run(arguments, environment: trace)
            #expect(!result.standardError.contains("libpq.so"), "\(arguments) loaded libpq")
            #expect(!result.standardError.contains("libmariadb.so"), "\(arguments) loaded libmariadb")
            #expect(result.standardError.contains("libsqlite3.so") == (arguments[0] == "status"),
                    "\(arguments) and libsqlite3")
        }
        let pg = try run(["status", "db:pg://nobody@127.0.0.1:1/none"], environment: trace)
        #expect(pg.standardError.contains("libpq.so.5"))
        #expect(!pg.standardError.contains("libmariadb.so"))
        #expect(pg.standardError.contains("Connection refused"))
        let mysql = try run(["status", "db:mysql://nobody@127.0.0.1:1/none"], environment: trace)
        #expect(mysql.standardError.contains("libmariadb.so.3"))
        #expect(!mysql.standardError.contains("libpq.so"))
    }

    /// A library that cannot be loaded fails the command as a missing DBD driver does in
    /// Sqitch, naming the library and its package. The library is hidden by mounting an empty
    /// file over it in a private mount namespace (`unshare`), which only the child sees.
    @Test(arguments: [
        ("db:sqlite:none.db", "libsqlite3.so.0",
         "libsqlite3 (libsqlite3.so.0, Debian package libsqlite3-0) required to manage SQLite"),
        ("db:pg://nobody@127.0.0.1:1/none", "libpq.so.5",
         "libpq (libpq.so.5, Debian package libpq5) required to manage PostgreSQL"),
        ("db:mysql://nobody@127.0.0.1:1/none", "libmariadb.so.3",
         "MariaDB Connector/C (libmariadb.so.3, Debian package libmariadb3) required to manage MySQL"),
    ])
    func aMissingLibraryNamesItsPackage(uri: String, soname: String, message: String) throws {
        let library = try #require(["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"]
            .map { "\($0)/\(soname)" }.first { FileManager.default.fileExists(atPath: $0) },
            "\(soname) is not installed")
        let probe = try SpawnRunner.start(path: "/usr/bin/unshare", arguments: ["-rm", "true"],
                                          environment: [:], directory: "/").finish()
        guard probe.exitStatus == 0 else {
            print("aMissingLibraryNamesItsPackage: not run, unshare -rm is not allowed here: \(probe.standardError)")
            return
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID()).so").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let script = "mount --bind \"$0\" \"$1\" && shift && exec \"$@\""
        let result = try run(["status", uri],
                             through: ["/usr/bin/unshare", "-rm", "/bin/sh", "-c", script, empty, library])
        #expect(result.exitStatus == 2)
        #expect(result.standardOutput == "# On database \(uri)\n")
        #expect(result.standardError == message + "\n")
    }
}
