import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The one resolution of a target's settings that every command uses, and Perl's truth.
@Suite struct TargetSettingsTests {
    func config(_ text: String) throws -> ConfigStack {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", text)
        return try context.sqitch().config
    }

    @Test func eachSettingFromTheLineThenTargetEngineCore() throws {
        let config = try config("""
            [core]
            \ttop_dir = top
            \textension = ext
            [engine "pg"]
            \tregistry = eng
            \tdeploy_dir = ./d//
            [target "prod"]
            \tclient = /opt/psql

            """)
        let settings = try TargetSettings(config: config, name: "prod", engine: "pg")
        #expect(settings.topDir == "top")
        #expect(settings.planFile == "top/sqitch.plan")
        #expect(settings.deployDir == "d")
        #expect(settings.revertDir == "top/revert")
        #expect(settings.reworkedDeployDir == "top/d")
        #expect(settings.extension == "ext")
        #expect(settings.registry == "eng")
        #expect(settings.client == "/opt/psql")

        let given = try TargetSettings(config: config, name: "prod", engine: "pg",
                                       given: ["registry": "mine", "top_dir": "t", "reworked_dir": "rw"])
        #expect(given.registry == "mine")
        #expect(given.planFile == "t/sqitch.plan")
        #expect(given.reworkedVerifyDir == "rw/verify")
        #expect(given.deployDir == "d")
    }

    @Test func defaultsByEngine() throws {
        let config = try config("")
        #expect(try TargetSettings(config: config, name: "x", engine: "oracle").registry == "")
        #expect(try TargetSettings(config: config, name: "x", engine: "oracle").client == "sqlplus")
        #expect(try TargetSettings(config: config, name: "x", engine: "pg").registry == "sqitch")
        #expect(try TargetSettings(config: config, name: "x", engine: "dlite").client == "dlite")
        #expect(try TargetSettings(config: config, name: "db:", engine: nil).client == "")
    }

    /// `Target` and the configuration commands' targets resolve the same way.
    @Test func targetsAgree() throws {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", "[core]\n\tengine = oracle\n[engine \"oracle\"]\n\tverify_dir = v\n")
        let sqitch = try context.sqitch()
        let target = try Target(sqitch: sqitch)
        let command = TargetConfigCommand(sqitch: sqitch, command: "engine", properties: TargetProperties())
        let configured = try command.configTarget()
        #expect(configured.settings == (try TargetSettings(config: sqitch.config, name: target.name, engine: "oracle")))
        #expect(target.registry == configured.registry)
        #expect(target.verifyDir == configured.verifyDir)
        #expect(target.client == configured.client)
    }

    @Test func perlTruth() {
        for value in [nil, "", "0"] as [String?] {
            #expect(!Perl.isTrue(value))
            #expect(Perl.truthy(value) == nil)
        }
        for value in ["1", "00", "0.0", " ", "false"] {
            #expect(Perl.isTrue(value))
            #expect(Perl.truthy(value) == value)
        }
    }
}
