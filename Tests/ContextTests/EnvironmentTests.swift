import Foundation
import Testing
@testable import SqlitchCore

/// The environment's sorted list behaves as the dictionary it replaces.
@Suite struct EnvironmentTests {
    @Test func readsWritesAndRemoves() {
        var environment = Environment(["HOME": "/home/u", "PATH": "/bin", "A": ""])
        #expect(environment["HOME"] == "/home/u")
        #expect(environment["A"] == "")
        #expect(environment.nonEmpty("A") == nil)
        #expect(environment["MISSING"] == nil)
        environment["B"] = "b"
        environment["HOME"] = "/root"
        environment["PATH"] = nil
        environment["NEVER"] = nil
        #expect(environment.variables == ["HOME": "/root", "A": "", "B": "b"])
        #expect(environment == Environment(["B": "b", "A": "", "HOME": "/root"]))
    }

    /// Random edits, checked against a dictionary after each one.
    @Test func matchesADictionary() {
        var generator = SystemRandomNumberGenerator()
        var environment = Environment()
        var reference: [String: String] = [:]
        let names = ["PATH", "HOME", "TZ", "SQITCH_CONFIG", "É", "E\u{301}", "a", "Z", "_", "PG_HOST", ""]
        for step in 0..<2_000 {
            let name = names.randomElement(using: &generator)!
            let value: String? = Bool.random(using: &generator) ? "v\(step)" : nil
            environment[name] = value
            reference[name] = value
            #expect(environment[name] == reference[name])
        }
        #expect(environment.variables == reference)
        for name in names { #expect(environment[name] == reference[name], "\(name)") }
    }

    /// The process's own environment, as `getenv` sees it.
    @Test func ofProcess() {
        let environment = Environment.ofProcess()
        for name in ProcessInfo.processInfo.environment.keys {
            #expect(environment[name] == String(cString: getenv(name)), "\(name)")
        }
        #expect(environment.variables.count == ProcessInfo.processInfo.environment.count)
    }
}
