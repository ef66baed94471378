import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The parts of the MySQL engine that need no server: the client's command line, variables,
/// option files, placeholders and error numbers.
@Suite struct MySQLDialectTests {
    private func engine(_ uri: String, _ environment: [String: String] = [:]) throws -> (MySQLEngine, TestContext) {
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let context = try TestContext(environment: env)
        let sqitch = try context.sqitch()
        let target = try Target(sqitch: sqitch, uri: DatabaseURI(uri))
        return (MySQLEngine(sqitch: sqitch, target: target, runner: SpawnRunner()), context)
    }

    @Test func variablesBecomeASetPrefix() {
        #expect(MySQLEngine.variablePrefix([]) == "")
        #expect(MySQLEngine.variablePrefix([("zed", "it's"), ("a\"b", "1")])
            == "SET @\"a\"\"b\" = '1', @\"zed\" = 'it''s';\n")
    }

    @Test func theClientGetsTheGivenPartsThePasswordAndQueryOptions() throws {
        let (mysql, _) = try engine(
            "db:mysql://fred:s3cret@db.example:3307/flipr?mysql_compression=1&mysql_connect_timeout=5&other=x")
        let argv = try mysql.clientArguments()
        #expect(Array(argv.prefix(10)) == ["mysql", "--user", "fred", "--database", "flipr", "--host", "db.example",
                                           "--port", "3307", "--password=s3cret"])
        #expect(argv.contains("--skip-pager") && argv.contains("--silent") && argv.contains("--skip-column-names"))
        #expect(Array(argv.suffix(3)) == ["--compress", "--connect_timeout", "5"])
        let command = try mysql.scriptCommand(path: "deploy/users.sql", variables: [("who", "me")])
        #expect(command.arguments.suffix(2) == ["--execute", "SET @\"who\" = 'me';\nsource deploy/users.sql"])
        #expect(command.environment == ["MYSQL_PWD": "s3cret"])
        #expect(mysql.lockName == "sqitch working on flipr")
        #expect(mysql.registryDestination
            == "db:mysql://fred:@db.example:3307/sqitch?mysql_compression=1&mysql_connect_timeout=5&other=x")
    }

    @Test func hostAndPortComeFromTheEnvironmentWhenTheURIHasNone() throws {
        let (mysql, _) = try engine("db:mysql:flipr", ["MYSQL_HOST": "dbhost", "MYSQL_TCP_PORT": "3399",
                                                      "SQITCH_USERNAME": "sam", "MYSQL_PWD": "pw"])
        #expect(mysql.uri.host == "dbhost")
        #expect(mysql.uri.explicitPort == "3399")
        #expect(mysql.username == "sam")
        #expect(mysql.password == "pw")
        #expect(mysql.destination == "db:mysql:flipr")
    }

    @Test func theHomeOptionFileGivesUserAndPassword() throws {
        let (mysql, context) = try engine("db:mysql://db.example/flipr")
        try context.directory.write("home/.my.cnf", "[client]\nuser = fred\npassword = s3cret\n")
        #expect(mysql.username == "fred")
        #expect(mysql.password == "s3cret")
        // The client reads the same file: no `--password=` on its command line.
        let argv = try mysql.clientArguments()
        #expect(Array(argv.prefix(7)) == ["mysql", "--user", "fred", "--database", "flipr", "--host", "db.example"])
        #expect(!argv.contains { $0.hasPrefix("--password") })
    }

    @Test func optionFilesGiveTheClientGroupsUserAndPassword() {
        let parsed = MySQLOptionFile.parse("""
            [mysqld]
            user = mysql
            [client]
            user = "fred"
            # a comment
            password='s3cret'
            !includedir /etc/mysql/conf.d/
            [mysql]
            port = 3307

            """)
        #expect(parsed == MySQLOptionFile(user: "fred", password: "s3cret"))
        #expect(MySQLOptionFile.parse("[mysqldump]\nuser=x\n") == MySQLOptionFile())
    }

    @Test func errorsAreRecognisedByNumber() {
        let dialect = MySQLDialect()
        #expect(dialect.isNoTableError(EngineError("x", databaseCode: "1146")))
        #expect(dialect.isNoTableError(EngineError("Unknown database 'sqitch'", databaseCode: "1049")))
        #expect(!dialect.isNoTableError(EngineError("Table 'sqitch.changes' doesn't exist")))
        #expect(dialect.isNoColumnError(EngineError("x", databaseCode: "1054")))
        #expect(dialect.isUniqueError(EngineError("x", databaseCode: "1062")))
        #expect(dialect.column("change") == "\"change\"" && dialect.column("project") == "project")
        #expect(MySQLDialect(fractionalSeconds: false).timestampDefault == "utc_timestamp")
        #expect(dialect.timestampParameter(Date(timeIntervalSince1970: 1_704_164_645)) == "2024-01-02T03:04:05")
    }

    @Test func placeholdersAreFilledOutsideQuotes() {
        #expect(Placeholders.render("SELECT '?', \"a?\", `b?` FROM t WHERE x = ? AND y = ?") { "<\($0)>" }
            == "SELECT '?', \"a?\", `b?` FROM t WHERE x = <1> AND y = <2>")
    }
}
