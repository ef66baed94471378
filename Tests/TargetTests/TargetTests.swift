import SqlitchCore
import SqlitchTestSupport
import Testing

/// A project whose local `sqitch.conf` holds `config`.
func project(_ config: String?, environment: [String: String] = [:]) throws -> (TestContext, Sqitch) {
    let context = try TestContext(environment: environment)
    if let config { try context.directory.write("sqitch.conf", config) }
    return (context, try context.sqitch())
}

func resolutionError(_ sqitch: Sqitch, name: String? = nil) -> String? {
    do {
        _ = try Target(sqitch: sqitch, name: name)
        return nil
    } catch let error as any SqitchFailure {
        return error.message
    } catch {
        return "\(error)"
    }
}

struct TargetResolutionTests {
    @Test func defaultTargetFromCoreEngine() throws {
        let (_, sqitch) = try project("[core]\n\tengine = sqlite\n")
        let target = try Target(sqitch: sqitch)
        #expect(target.name == "db:sqlite:")
        #expect(target.uri.description == "db:sqlite:")
        #expect(target.engine == "sqlite")
        #expect(target.registry == "sqitch")
        #expect(target.client == "sqlite3")
        #expect(target.topDir == ".")
        #expect(target.planFile == "sqitch.plan")
        #expect(target.deployDir == "deploy")
        #expect(target.revertDir == "revert")
        #expect(target.verifyDir == "verify")
        #expect(target.reworkedDir == ".")
        #expect(target.reworkedDeployDir == "deploy")
        #expect(target.extension == "sql")
        #expect(target.variables.isEmpty)
    }

    @Test func defaultClients() throws {
        for (engine, client) in [("pg", "psql"), ("mysql", "mysql"), ("sqlite", "sqlite3")] {
            let (_, sqitch) = try project("[core]\n\tengine = \(engine)\n")
            #expect(try Target(sqitch: sqitch).client == client)
        }
    }

    @Test func engineTarget() throws {
        let (_, sqitch) = try project("""
            [core]
            \tengine = pg
            [engine "pg"]
            \ttarget = prod
            [target "prod"]
            \turi = db:pg://u:secret@h:5433/flipr
            """)
        let target = try Target(sqitch: sqitch)
        #expect(target.name == "prod")
        #expect(target.uri.description == "db:pg://u:secret@h:5433/flipr")
        #expect(target.username == "u")
        #expect(target.password == "secret")
    }

    @Test func precedenceOfDefaultTarget() throws {
        let config = """
            [core]
            \tengine = pg
            \ttarget = db:pg:core
            [engine "pg"]
            \ttarget = db:pg:engine
            """
        var (_, sqitch) = try project(config)
        #expect(try Target(sqitch: sqitch).name == "db:pg:core")
        (_, sqitch) = try project(config, environment: ["SQITCH_TARGET": "db:sqlite:env.db"])
        #expect(try Target(sqitch: sqitch).name == "db:sqlite:env.db")
        #expect(try Target(sqitch: sqitch, name: "db:mysql:given").name == "db:mysql:given")
    }

    @Test func uriNameHidesPassword() throws {
        let (_, sqitch) = try project("[core]\n\tengine = pg\n")
        let target = try Target(sqitch: sqitch, name: "db:pg://postgres:secret@h:5433/flipr")
        #expect(target.name == "db:pg://postgres:@h:5433/flipr")
        #expect(target.password == "secret")
        #expect(target.destination(environment: sqitch.environment) == "db:pg://postgres:@h:5433/flipr")
    }

    @Test func environmentCredentialsWin() throws {
        let (_, sqitch) = try project("[core]\n\tengine = pg\n",
                                      environment: ["SQITCH_USERNAME": "envuser", "SQITCH_PASSWORD": "envpass"])
        let target = try Target(sqitch: sqitch, name: "db:pg://u:p@h/db")
        #expect(target.username == "envuser")
        #expect(target.password == "envpass")
    }

    @Test func errors() throws {
        var (_, sqitch) = try project(nil)
        #expect(resolutionError(sqitch)
            == "No project configuration found. Run the \"init\" command to initialize a project")
        (_, sqitch) = try project("[core]\n")
        #expect(resolutionError(sqitch) == "No engine specified; specify via target or core.engine")
        (_, sqitch) = try project("[core]\n\tengine = sqlite\n[target \"bare\"]\n\tregistry = x\n")
        #expect(resolutionError(sqitch, name: "nope") == "Cannot find target \"nope\"")
        #expect(resolutionError(sqitch, name: "bare") == "No URI associated with target \"bare\"")
        #expect(resolutionError(sqitch, name: "db:x")
            == "No engine specified by URI db:x; URI must start with \"db:$engine:\"")
        #expect(resolutionError(sqitch, name: "db:")
            == "No engine specified by URI db:; URI must start with \"db:$engine:\"")
        let unknown = try Target(sqitch: sqitch, name: "db:foo:bar")
        #expect(throws: EngineError("Unknown engine: foo")) { try unknown.requireSupportedEngine() }
    }

    @Test func settingsResolveTargetThenEngineThenCore() throws {
        let (_, sqitch) = try project("""
            [core]
            \tengine = pg
            \tregistry = core_reg
            \textension = core_ext
            \tclient = core_client
            \ttop_dir = coretop
            [engine "pg"]
            \tregistry = engine_reg
            \tclient = engine_client
            [target "prod"]
            \turi = db:pg:prod
            \tregistry = target_reg
            """)
        let prod = try Target(sqitch: sqitch, name: "prod")
        #expect(prod.registry == "target_reg")
        #expect(prod.client == "engine_client")
        #expect(prod.extension == "core_ext")
        #expect(prod.topDir == "coretop")
        #expect(prod.planFile == "coretop/sqitch.plan")
        #expect(prod.deployDir == "coretop/deploy")
        #expect(prod.reworkedDir == "coretop")
        #expect(prod.reworkedVerifyDir == "coretop/verify")
        let other = try Target(sqitch: sqitch, name: "db:pg:other")
        #expect(other.registry == "engine_reg")
        let mysql = try Target(sqitch: sqitch, name: "db:mysql:x")
        #expect(mysql.registry == "core_reg")
        #expect(mysql.client == "core_client")
    }

    /// `sqitch target add loc db:sqlite:///tmp/a.b.db --registry reg --dir deploy=ddl/dep`
    /// then `target show loc` (reworked deploy directory as Sqitch 1.6 computes it).
    @Test func directoriesLikeTargetShow() throws {
        let (_, sqitch) = try project("""
            [core]
            \tengine = sqlite
            [target "loc"]
            \turi = db:sqlite:///tmp/a.b.db
            \tregistry = reg
            \tdeploy_dir = ddl/dep
            """)
        let loc = try Target(sqitch: sqitch, name: "loc")
        #expect(loc.uri.description == "db:sqlite:///tmp/a.b.db")
        #expect(loc.registry == "reg")
        #expect(loc.client == "sqlite3")
        #expect(loc.deployDir == "ddl/dep")
        #expect(loc.revertDir == "revert")
        #expect(loc.reworkedDir == ".")
        #expect(loc.reworkedDeployDir == "ddl/dep")
        #expect(loc.reworkedRevertDir == "revert")
    }

    @Test func reworkedDirectories() throws {
        let (_, sqitch) = try project("""
            [core]
            \tengine = sqlite
            \ttop_dir = ./db/
            \treworked_dir = old
            \tverify_dir = checks
            \treworked_revert_dir = undo
            """)
        let target = try Target(sqitch: sqitch)
        #expect(target.topDir == "db")
        #expect(target.planFile == "db/sqitch.plan")
        #expect(target.reworkedDir == "old")
        #expect(target.reworkedDeployDir == "old/deploy")
        #expect(target.reworkedRevertDir == "undo")
        #expect(target.reworkedVerifyDir == "old/checks")
        #expect(target.verifyDir == "checks")
    }

    /// `sqitch target show t` printed these paths (Path::Class tidying); the reworked deploy
    /// directory follows Sqitch 1.6 (`<reworked_dir>/<deploy_dir>`).
    @Test func pathsAreTidiedLikePathClass() throws {
        let (_, sqitch) = try project("""
            [core]
            \tengine = pg
            \tplan_file = ./my.plan
            \ttop_dir = ./db/
            \treworked_dir = ./old//x/
            [engine "pg"]
            \tdeploy_dir = ./ddl/
            [target "t"]
            \turi = db:pg:x
            \tverify_dir = db/./v
            """)
        let target = try Target(sqitch: sqitch, name: "t")
        #expect(target.topDir == "db")
        #expect(target.planFile == "./my.plan")
        #expect(target.deployDir == "ddl")
        #expect(target.revertDir == "db/revert")
        #expect(target.verifyDir == "db/v")
        #expect(target.reworkedDir == "old/x")
        #expect(target.reworkedDeployDir == "old/x/ddl")
        #expect(target.reworkedRevertDir == "old/x/revert")
        #expect(target.reworkedVerifyDir == "old/x/db/v")
    }

    @Test func filePaths() {
        #expect(Target.filePath("./a") == "./a")
        #expect(Target.filePath("a//b") == "a/b")
        #expect(Target.filePath("a/./b") == "a/b")
        #expect(Target.filePath("./db/x.plan") == "db/x.plan")
        #expect(Target.filePath("/x.plan") == "/x.plan")
        #expect(Target.canonicalPath("./") == ".")
        #expect(Target.canonicalPath("/tmp/") == "/tmp")
        #expect(Target.canonicalPath("a/../b") == "a/../b")
    }

    @Test func overrides() throws {
        let (_, sqitch) = try project("[core]\n\tengine = pg\n[target \"prod\"]\n\turi = db:pg:flipr\n")
        let options = TargetOverrides(user: "bob", host: "h", port: "5433", dbname: "other",
                                      registry: "reg", client: "/bin/psql", topDir: "top", planFile: "my.plan")
        let uriTarget = try Target(sqitch: sqitch, overrides: options)
        #expect(uriTarget.name == "db:pg://bob@h:5433/other")
        #expect(uriTarget.registry == "reg")
        #expect(uriTarget.client == "/bin/psql")
        #expect(uriTarget.topDir == "top")
        #expect(uriTarget.deployDir == "top/deploy")
        #expect(uriTarget.planFile == "my.plan")
        let named = try Target(sqitch: sqitch, name: "prod", overrides: TargetOverrides(user: "bob"))
        #expect(named.name == "prod")
        #expect(named.uri.description == "db:pg://bob@/flipr")
    }

    @Test func variables() throws {
        let (_, sqitch) = try project("""
            [core]
            \tengine = pg
            [core "variables"]
            \tc = core
            [engine "pg.variables"]
            \tFoo = engine
            \tbar = engine
            [target "prod"]
            \turi = db:pg:flipr
            [target "prod.variables"]
            \tbar = target
            """)
        let target = try Target(sqitch: sqitch, name: "prod")
        #expect(target.variables.map(\.name) == ["Foo", "bar"])
        #expect(target.variables.map(\.value) == ["engine", "target"])
    }
}

/// Registry destinations as Sqitch printed them in `Adding registry tables to ...`.
struct RegistryDestinationTests {
    @Test(arguments: [
        ("db:sqlite:a/b/my.db", nil, "db:sqlite:a/b/sqitch.db"),
        ("db:sqlite:noext", nil, "db:sqlite:sqitch"),
        ("db:sqlite:x.tar.gz", nil, "db:sqlite:sqitch.tar.gz"),
        ("db:sqlite:///tmp/f.db", nil, "db:sqlite:///tmp/sqitch.db"),
        ("db:sqlite:flipr.db", nil, "db:sqlite:sqitch.db"),
        ("db:sqlite:a/b/my2.db", "reg.db", "db:sqlite:a/b/reg.db"),
        ("db:sqlite:a/b/my3.db", "/abs/abs.db", "db:sqlite:/abs/abs.db"),
        ("db:sqlite:///tmp/k.db", "/abs/abs2.db", "db:sqlite:////abs/abs2.db"),
        ("db:sqlite:", nil, "db:sqlite:"),
        ("db:mysql://root:pw@127.0.0.1:3307/flipr", nil, "db:mysql://root:@127.0.0.1:3307/sqitch"),
        ("db:pg://u:pw@h/flipr", nil, "db:pg://u:@h/flipr"),
    ] as [(String, String?, String)])
    func registryDestination(uri: String, registry: String?, expected: String) throws {
        let (_, sqitch) = try project("[core]\n\tengine = sqlite\n")
        let target = try Target(sqitch: sqitch, name: uri, overrides: TargetOverrides(registry: registry))
        #expect(target.registryDestination(environment: sqitch.environment) == expected)
    }

    @Test func sqliteDatabaseNameOverride() throws {
        let (_, sqitch) = try project("[core]\n\tengine = sqlite\n")
        let target = try Target(sqitch: sqitch, name: "db:sqlite:", overrides: TargetOverrides(dbname: "other.db"))
        #expect(target.destination(environment: sqitch.environment) == "db:sqlite:other.db")
        #expect(target.registryDestination(environment: sqitch.environment) == "db:sqlite:sqitch.db")
    }

    @Test func postgresDestinationWithoutDatabase() throws {
        let (_, sqitch) = try project("[core]\n\tengine = pg\n")
        let target = try Target(sqitch: sqitch, name: "db:pg://u:pw@h:5433/")
        #expect(target.destination(environment: Environment(["PGDATABASE": "envdb", "PGUSER": "pguser"]))
            == "db:pg://u:@h:5433/envdb")
        #expect(target.destination(environment: Environment(["PGUSER": "pguser"])) == "db:pg://u:@h:5433/u")
        let bare = try Target(sqitch: sqitch, name: "db:pg:")
        #expect(bare.destination(environment: Environment(["PGUSER": "pguser"])) == "db:pg:pguser")
        #expect(bare.destination(environment: Environment([:]), systemUser: "me") == "db:pg:me")
        let named = try Target(sqitch: sqitch, name: "db:pg:flipr")
        #expect(named.destination(environment: Environment(["PGDATABASE": "x"])) == "db:pg:flipr")
    }
}
