import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `upgrade` through `RegistryUpgrader`; expected output is sqitch 1.3.1's on the same registry.
@Suite struct RegistryUpgraderTests {
    func setUp(_ sql: String?) throws -> (TestContext, SQLiteEngine) {
        let context = try processContext()
        try makeVerifyProject(context)
        if let sql {
            let db = try SQLiteConnection(path: context.directory.path + "/sqitch.db")
            try db.execute(sql)
            db.close()
        }
        let sqitch = try context.sqitch()
        return (context, SQLiteEngine(sqitch: sqitch, target: try Target(sqitch: sqitch)))
    }

    func upgrader(_ engine: SQLiteEngine) -> RegistryUpgrader {
        RegistryUpgrader(session: EngineSession(sqitch: engine.sqitch, target: engine.target, engine: engine))
    }

    /// A release 1.0 registry: the pre-release tables upgraded by the 1.0 script, release 1.0 recorded.
    func makeRelease1_0(_ engine: SQLiteEngine) throws {
        try engine.runUpgrade(SQLiteRegistrySchema.upgrades[0])
        try Registry.recordRelease(RegistryRelease(1, 0), installerName: "Old User", installerEmail: "old@example.com",
                                   connection: engine.registry(), dialect: engine.dialect)
    }

    @Test func fromRelease1_0() throws {
        let (context, engine) = try setUp(SQLiteRegistrySchemaTests.preReleaseRegistry)
        try makeRelease1_0(engine)
        #expect(throws: EngineError("Registry is at version 1.0 but latest is 1.1. Please run the \"upgrade\" command")) {
            try verification(engine).verify(from: nil, to: nil)
        }
        try upgrader(engine).run()
        #expect(context.out.text == """
            Upgrading registry db:sqlite:sqitch.db to version 1.1
            Upgrading the Sqitch registry from 1.0 to 1.1
              * From 1.0 to 1.1

            """)
        let rows = try engine.registryConnection().query("SELECT version, installer_name FROM releases ORDER BY version")
        #expect(rows.map(\.values) == [[.real(1.0), "Old User"], [.real(1.1), "Test User"]])

        try upgrader(engine).run()
        #expect(context.out.text.hasSuffix("\nRegistry db:sqlite:sqitch.db is up-to-date at version 1.1\n"))
    }

    @Test func fromBeforeReleases() throws {
        let (context, engine) = try setUp(SQLiteRegistrySchemaTests.preReleaseRegistry)
        try upgrader(engine).run()
        #expect(context.out.text == """
            Upgrading registry db:sqlite:sqitch.db to version 1.1
            Upgrading the Sqitch registry from 0 to 1.1
              * From 0 to 1.0
              * From 1.0 to 1.1

            """)
        #expect(try engine.registryRelease() == .current)
    }

    @Test func newerRegistryIsRefused() throws {
        let (context, engine) = try setUp(nil)
        try engine.createRegistry()
        try Registry.recordRelease(RegistryRelease(1, 2), installerName: "x", installerEmail: "y",
                                   connection: engine.registry(), dialect: engine.dialect)
        #expect(throws: CommandError("Registry version is 1.2 but 1.1 is the latest known. Please upgrade Sqitch.")) {
            try upgrader(engine).run()
        }
        #expect(context.out.text == "Upgrading registry db:sqlite:sqitch.db to version 1.1\n")
        #expect(throws: EngineError("Registry version is 1.2 but 1.1 is the latest known. Please upgrade Sqitch")) {
            try verification(engine).check(from: nil, to: nil)
        }
    }

    @Test func missingRegistryFailsInTheFirstScript() throws {
        let (context, engine) = try setUp(nil)
        let error = #expect(throws: ProcessError.self) { try upgrader(engine).run() }
        #expect(error?.message == "\"sqlite3\" unexpectedly returned exit value 1\n")
        #expect(context.out.text == """
            Upgrading registry db:sqlite:sqitch.db to version 1.1
            Upgrading the Sqitch registry from 0 to 1.1
              * From 0 to 1.0

            """)
    }
}
