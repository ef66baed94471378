import Foundation
@testable import SqlitchCore
import Testing

/// Expectations below were printed by Perl's URI::db (the module Sqitch uses).
struct DatabaseURITests {
    @Test(arguments: [
        ("db:sqlite:flipr.db", "sqlite", "flipr.db"),
        ("db:sqlite:/tmp/f.db", "sqlite", "/tmp/f.db"),
        ("db:sqlite:///tmp/f.db", "sqlite", "tmp/f.db"),
        ("db:sqlite:////tmp/f.db", "sqlite", "/tmp/f.db"),
        ("db:pg:flipr", "pg", "flipr"),
        ("db:pg:///flipr", "pg", "flipr"),
        ("db:pg://u:p@h:5433/flipr?sslmode=require", "pg", "flipr"),
        ("db:postgres://u%40x:p%3Aw@H:5432/fl%20ip", "pg", "fl ip"),
        ("db:maria:x", "mysql", "x"),
        ("db:sqlite3:x", "sqlite", "x"),
        ("db:redshift:r", "pg", "r"),
        ("db:foo:bar", "foo", "bar"),
    ])
    func dbname(uri: String, engine: String, dbname: String) throws {
        let parsed = DatabaseURI(uri)
        #expect(parsed.canonicalEngine == engine)
        #expect(parsed.dbname == dbname)
        #expect(parsed.description == uri)
    }

    @Test func emptyDatabaseName() throws {
        #expect(DatabaseURI("db:sqlite:").dbname == nil)
        #expect(DatabaseURI("db:pg:").dbname == nil)
        #expect(DatabaseURI("db:mysql://root@127.0.0.1:3307/").dbname == "")
    }

    @Test func aliases() throws {
        for alias in ["postgres", "postgresql", "pgsql", "pgxc", "postgresxc", "redshift"] {
            #expect(DatabaseURI("db:\(alias):x").canonicalEngine == "pg")
        }
        for alias in ["maria", "mariadb"] {
            #expect(DatabaseURI("db:\(alias):x").canonicalEngine == "mysql")
        }
        #expect(DatabaseURI("db:PG://a@b/c").canonicalEngine == "pg")
        #expect(DatabaseURI("db:PG://a@b/c").description == "db:PG://a@b/c")
        #expect(DatabaseURI("DB:pg:x").description == "DB:pg:x")
    }

    @Test func noEngine() throws {
        #expect(DatabaseURI("db:").canonicalEngine == nil)
        #expect(DatabaseURI("db:pg").canonicalEngine == nil)
        #expect(DatabaseURI("db:x").canonicalEngine == nil)
    }

    @Test func parts() throws {
        let uri = DatabaseURI("db:postgres://u%40x:p%3Aw@H:5432/fl%20ip")
        #expect(uri.user == "u@x")
        #expect(uri.password == "p:w")
        #expect(uri.host == "H")
        #expect(uri.explicitPort == "5432")
        let plain = DatabaseURI("db:pg:flipr")
        #expect(plain.user == nil)
        #expect(plain.host == nil)
        #expect(plain.explicitPort == nil)
        #expect(plain.port == 5432)
        #expect(DatabaseURI("db:mysql:x").port == 3306)
        #expect(DatabaseURI("db:sqlite:x").port == nil)
        let v6 = DatabaseURI("db:pg://[::1]:5/x")
        #expect(v6.host == "::1")
        #expect(v6.port == 5)
        #expect(v6.dbname == "x")
    }

    @Test func escapesUnsafeCharacters() throws {
        #expect(DatabaseURI("db:pg://h/a b").description == "db:pg://h/a%20b")
        #expect(DatabaseURI("db:pg://h/a b").dbname == "a b")
    }

    /// Square brackets are escaped except in the host part, as URI.pm 5.11+ does.
    @Test func squareBracketsStayOnlyInTheHost() throws {
        #expect(DatabaseURI("db:pg://u[1]@h[2]:5432/d[3]?q=[4]#f[5]").description
                == "db:pg://u%5B1%5D@h[2]:5432/d%5B3%5D?q=%5B4%5D#f%5B5%5D")
        #expect(DatabaseURI("db:pg://[::1]:5432/x[1]").description == "db:pg://[::1]:5432/x%5B1%5D")
        #expect(DatabaseURI("db:pg://h%5b1%5D/%5bx").description == "db:pg://h[1]/%5bx")
        #expect(DatabaseURI("db:pg://h[1]:x/y").description == "db:pg://h[1]:x/y")  // not a port
        #expect(DatabaseURI("db:pg:x[1]").description == "db:pg:x%5B1%5D")
        #expect(DatabaseURI("db:sqlite://h[1]/x").description == "db:sqlite://h%5B1%5D/x")  // no host part
        #expect(DatabaseURI("db:sqlite3:a [b]").description == "db:sqlite3:a%20%5Bb%5D")
        #expect(DatabaseURI("db:pg://a@b@h[1]/x").description == "db:pg://a@b@h[1]/x")
        #expect(DatabaseURI("db:pg://u[1]@h[2]/d").user == "u[1]")
    }

    /// A non-ASCII host of a known engine's URI in IDNA form, as URI.pm writes it.
    @Test func nonASCIIHostsInIDNAForm() throws {
        #expect(DatabaseURI("db:pg://Exämple/x").description == "db:pg://xn--exmple-cua/x")
        #expect(DatabaseURI("db:mysql://u@Bücher.de:3306/ä").description == "db:mysql://u@xn--bcher-kva.de:3306/%C3%A4")
        #expect(DatabaseURI("db:dlite://exämple/x").description == "db:dlite://ex%C3%A4mple/x")  // not a server URI
    }

    @Test func queryParameters() throws {
        let uri = DatabaseURI("db:pg://u:p@h:5433/flipr?sslmode=require&x=a+b")
        #expect(uri.query == "sslmode=require&x=a+b")
        #expect(uri.queryParameters.map(\.name) == ["sslmode", "x"])
        #expect(uri.queryParameters.map(\.value) == ["require", "a b"])
    }

    @Test(arguments: [
        ("db:pg://u:p@h:5433/flipr", "db:pg://u:@h:5433/flipr"),
        ("db:pg://u@h/flipr", "db:pg://u@h/flipr"),
        ("db:pg:flipr", "db:pg:flipr"),
        ("db:pg://:p@h/flipr", "db:pg://h/flipr"),
    ])
    func withoutPassword(uri: String, shown: String) throws {
        #expect(DatabaseURI(uri).withoutPassword.description == shown)
    }

    @Test func passwordSetToNilKeepsColon() throws {
        var uri = DatabaseURI("db:pg://u@h/flipr")
        uri.password = nil
        #expect(uri.description == "db:pg://u:@h/flipr")
    }

    @Test(arguments: [
        ("db:pg:", "user", "bob", "db:pg://bob@"),
        ("db:pg:", "host", "hh", "db:pg://hh"),
        ("db:pg:", "port", "99", "db:pg://:99"),
        ("db:pg:", "dbname", "x", "db:pg:x"),
        ("db:pg:flipr", "user", "bob", "db:pg://bob@/flipr"),
        ("db:pg:flipr", "host", "h", "db:pg://h/flipr"),
        ("db:pg:flipr", "port", "1", "db:pg://:1/flipr"),
        ("db:sqlite:flipr.db", "dbname", "foo.db", "db:sqlite:foo.db"),
        ("db:sqlite:", "dbname", "/tmp/x.db", "db:sqlite:/tmp/x.db"),
        ("db:pg:///flipr", "dbname", "x", "db:pg:///x"),
        ("db:pg://h/flipr", "dbname", "a/b", "db:pg://h/a/b"),
        ("db:pg://h/flipr", "user", "a@b:c", "db:pg://a%40b%3Ac@h/flipr"),
        ("db:pg://h/flipr", "dbname", "a%b?c", "db:pg://h/a%b%3Fc"),
        ("db:pg://u:p@h/flipr", "user", "x", "db:pg://x:p@h/flipr"),
        ("db:pg://h/d", "user", "u", "db:pg://u@h/d"),
        ("db:pg://:p@h/d", "user", "u", "db:pg://u:p@h/d"),
        ("db:pg://h/d", "port", "", "db:pg://h:/d"),
        ("db:pg://h/d", "host", "", "db:pg:///d"),
        ("db:pg://h/d", "dbname", "", "db:pg://h/"),
        ("db:mysql://root@127.0.0.1:3307/flipr", "dbname", "sqitch", "db:mysql://root@127.0.0.1:3307/sqitch"),
        ("db:sqlite:///tmp/f.db", "dbname", "x.db", "db:sqlite:///x.db"),
        ("db:pg://h/d?x=1", "dbname", "e", "db:pg://h/e?x=1"),
    ])
    func editing(uri: String, part: String, value: String, result: String) throws {
        let original = DatabaseURI(uri)
        let edited: DatabaseURI
        switch part {
        case "user": edited = original.overriding(user: value)
        case "host": edited = original.overriding(host: value)
        case "port": edited = original.overriding(port: value)
        default: edited = original.overriding(dbname: value)
        }
        #expect(edited.description == result)
    }

    @Test func allOverridesTogether() throws {
        let uri = DatabaseURI("db:pg:").overriding(user: "u", host: "h", port: "1", dbname: "d")
        #expect(uri.description == "db:pg://u@h:1/d")
    }

    @Test func removingParts() throws {
        var uri = DatabaseURI("db:pg://u@h:5/flipr")
        uri.explicitPort = nil
        #expect(uri.description == "db:pg://u@h/flipr")
        uri.user = nil
        #expect(uri.description == "db:pg://h/flipr")
        uri.host = nil
        #expect(uri.description == "db:pg:///flipr")
        var opaque = DatabaseURI("db:pg:flipr")
        opaque.dbname = nil
        #expect(opaque.description == "db:pg:")
    }

    @Test func nestsURIsWithoutPrefix() {
        #expect(DatabaseURI("pg:foo").description == "db:pg:foo")
        #expect(DatabaseURI("pg:foo").canonicalEngine == "pg")
        #expect(DatabaseURI("Pg://h/x").description == "db:Pg://h/x")
        #expect(DatabaseURI("flipr").description == "db:flipr")
        #expect(DatabaseURI("flipr").canonicalEngine == nil)
        #expect(DatabaseURI(" db:pg:x ").description == "db:pg:x")
    }
}

/// The hand-written `:\d+$` / `:\d*$` search agrees with the regular expression it replaces.
@Suite struct TrailingPortTests {
    @Test(arguments: ["h:5432", "h:", "h", "", ":", ":1", "user@h:99", "[::1]:5432", "[::1]", "h:54x", "h:٣٤",
                      "h:5432\n", "a:b:1", "h:1:", "x:\u{0661}\u{0662}", "h::"])
    func trailingPortMatchesTheRegex(_ text: String) {
        for allowEmpty in [false, true] {
            let expected = text.range(of: allowEmpty ? #":\d*$"# : #":\d+$"#, options: .regularExpression)
            #expect(DatabaseURI.trailingPort(text, allowEmpty: allowEmpty) == expected, "\(text.debugDescription) \(allowEmpty)")
        }
    }
}
