import Testing
@testable import SqlitchCLI
@testable import SqlitchCore

/// The command line is read with Getopt::Long's rules first and handed to each command's
/// grammar in canonical words; every option Sqitch accepts must be one the grammar knows.
@Suite struct CommandGrammarTests {
    @Test(arguments: Sqlitch.commands.keys.sorted())
    func everyCanonicalOptionParses(_ name: String) throws {
        let type = try #require(Sqlitch.commands[name])
        let specs = try #require(CommandOptions.specs[name], "no Getopt specification for \(name)")
        for option in Getopt(specs).options {
            let flag = option.canonical.count == 1 ? "-" + option.canonical : "--" + option.canonical
            var lines: [[String]] = []
            switch option.kind {
            case .flag, .counter: lines = [[flag]]
            case .negatable: lines = [[flag], ["--no-" + option.canonical]]
            case .value(let integer, let destination):
                let value = destination == .hash ? "k=v" : integer ? "1" : "x"
                let word = option.canonical.count == 1 ? [flag, value] : [flag + "=" + value]
                lines = destination == .scalar ? [word] : [word + word]
            }
            for words in lines {
                #expect(throws: Never.self, "\(name) \(words)") { _ = try type.parse(words) }
            }
        }
    }
}
