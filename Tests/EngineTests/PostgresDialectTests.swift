import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The parts of the PostgreSQL engine that need no server: placeholders, array literals,
/// the `psql` command line and the registry connection's parameters.
@Suite struct PostgresDialectTests {
    @Test func placeholdersAreNumberedOutsideQuotes() {
        #expect(PostgresConnection.numberedPlaceholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)")
            == "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)")
        #expect(PostgresConnection.numberedPlaceholders("SELECT '?', \"a?\" FROM t WHERE x = ? || '@HEAD'")
            == "SELECT '?', \"a?\" FROM t WHERE x = $1 || '@HEAD'")
        #expect(PostgresConnection.numberedPlaceholders("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', $1")
    }

    @Test func arraysRoundTripThroughTheirLiteralForm() {
        #expect(PostgresConnection.text(of: .list([])) == "{}")
        #expect(PostgresConnection.text(of: .list(["@v1.0", "a b", "q\"uo\\te", "NULL"]))
            == #"{"@v1.0","a b","q\"uo\\te","NULL"}"#)
        #expect(PostgresConnection.parseArray("{}") == [])
        #expect(PostgresConnection.parseArray("{users,widgets}") == ["users", "widgets"])
        #expect(PostgresConnection.parseArray(#"{"a b","q\"uo\\te",NULL,"NULL"}"#) == ["a b", "q\"uo\\te", "NULL"])
        #expect(PostgresConnection.value("{@a,@b}", type: 1009) == .list(["@a", "@b"]))
        #expect(PostgresConnection.value("42", type: 23) == .integer(42))
        #expect(PostgresConnection.value("1.1", type: 700) == .real(1.1))
        #expect(PostgresConnection.value("t", type: 16) == .text("t"))
        #expect(PostgresConnection.text(of: .null) == nil)
        #expect(PostgresConnection.text(of: .integer(7)) == "7")
    }

    @Test func errorsAreRecognisedBySQLState() {
        let dialect = PostgresDialect()
        #expect(dialect.isNoTableError(EngineError("relation \"changes\" does not exist", databaseCode: "42P01")))
        #expect(!dialect.isNoTableError(EngineError("relation \"changes\" does not exist")))
        #expect(dialect.isNoColumnError(EngineError("x", databaseCode: "42703")))
        #expect(dialect.isUniqueError(EngineError("x", databaseCode: "23505")))
        #expect(!dialect.isUniqueError(EngineError("x", databaseCode: "23503")))
        #expect(dialect.listParameter(["a", "b"], separator: ",") == .list(["a", "b"]))
        #expect(dialect.listItems(.list(["@a"])) == ["@a"])
        #expect(SQLiteDialect().listParameter(["a", "b"], separator: ",") == .text("a,b"))
        #expect(SQLiteDialect().listItems(.text("@a @b")) == ["@a", "@b"])
        #expect(Registry.isTrue(.text("t")) && !Registry.isTrue(.text("f")) && Registry.isTrue(.integer(1)))
    }

    /// An engine for `uri`; Debian's `pg_wrapper` is looked for in `layout` (none: nowhere).
    private func engine(_ uri: String, _ environment: [String: String] = [:], registry: String? = nil,
                        layout: PgWrapperLayout? = nil) throws -> PostgresEngine {
        let context = try TestContext(environment: environment)
        let sqitch = try context.sqitch()
        let target = try Target(sqitch: sqitch, uri: DatabaseURI(uri), overrides: TargetOverrides(registry: registry))
        let engine = PostgresEngine(sqitch: sqitch, target: target)
        engine.pgWrapper = layout?.wrapper ?? PgWrapper()
        if layout == nil { engine.pgWrapper.wrapperPath = "/nonexistent/pg_wrapper" }
        return engine
    }

    @Test func debiansWrapperIsSkippedWhenItsChoiceIsCertain() throws {
        let layout = try PgWrapperLayout()
        var environment = layout.environment.variables
        environment["PATH"] = layout.root.path + "/bin"
        let pg = try engine("db:pg://fred:s3cret@db.example/flipr", environment, layout: layout)
        let command = try pg.scriptCommand(path: "deploy/users.sql", variables: [])
        #expect(command.executable == "psql")  // messages still name the client as configured
        #expect(command.launchPath == layout.root.path + "/lib/15/bin/psql")
        #expect(command.environment == ["PGPASSWORD": "s3cret", "PGSYSCONFDIR": layout.root.path + "/common"])

        // With a local cluster the wrapper decides, and runs, unless the URI names a host and a port.
        try layout.root.write("etc/15/main/postgresql.conf", "port = 5432\n")
        let clustered = try engine("db:pg://fred:s3cret@db.example/flipr", environment, layout: layout)
        let wrapped = try clustered.scriptCommand(path: "deploy/users.sql", variables: [])
        #expect(wrapped.launchPath == nil)
        #expect(wrapped.environment == ["PGPASSWORD": "s3cret"])
        let named = try engine("db:pg://fred:s3cret@db.example:5432/flipr", environment, layout: layout)
        #expect(try named.scriptCommand(path: "deploy/users.sql", variables: []).launchPath
                == layout.root.path + "/lib/15/bin/psql")
        // A host or port only in an escaped value is not one.
        let tricky = try engine("db:pg://fred@db.example/flipr?application_name=x%20port=1", environment, layout: layout)
        #expect(try tricky.scriptCommand(path: "deploy/users.sql", variables: []).launchPath == nil)
    }

    @Test func psqlGetsTheGivenPartsVariablesAndFixedOptions() throws {
        let pg = try engine("db:pg://fred:s3cret@db.example:5433/flip%20r?sslmode=require&application_name=it's")
        #expect(pg.conninfo == #"user=fred dbname=flip\ r host=db.example port=5433 application_name=it\'s sslmode=require"#)
        let command = try pg.scriptCommand(path: "deploy/users.sql", variables: [("zed", "1"), ("foo", "bar")])
        #expect(command.argv == [
            "psql", "--dbname", #"user=fred dbname=flip\ r host=db.example port=5433 application_name=it\'s sslmode=require"#,
            "--set", "foo=bar", "--set", "zed=1", "--quiet", "--no-psqlrc", "--no-align", "--tuples-only",
            "--set", "ON_ERROR_STOP=1", "--set", "registry=sqitch", "--file", "deploy/users.sql",
        ])
        #expect(command.environment == ["PGPASSWORD": "s3cret"])
        #expect(!command.argv.joined(separator: " ").contains("s3cret"))
    }

    @Test func aBareURIGivesNoConninfoAndNoPassword() throws {
        let pg = try engine("db:pg:", registry: "meta")
        let command = try pg.inputCommand("SELECT 1", variables: [])
        #expect(command.argv == ["psql", "--quiet", "--no-psqlrc", "--no-align", "--tuples-only",
                                 "--set", "ON_ERROR_STOP=1", "--set", "registry=meta"])
        #expect(command.environment.isEmpty)
        #expect(command.input == "SELECT 1")
    }

    @Test func theRegistryConnectionTakesOnlyTheGivenParts() throws {
        let pg = try engine("db:pg://fred@/flipr?sslmode=disable", ["SQITCH_PASSWORD": "pw"])
        let parameters = pg.connectionParameters.map { "\($0.key)=\($0.value)" }
        #expect(parameters == ["dbname=flipr", "sslmode=disable", "user=fred", "password=pw", "client_encoding=UTF8"])
    }
}
