import Foundation
import SqlitchCore
import SqlitchTestSupport
import Testing

/// Mutation fuzzing of the parsers that read what users write: plans, configuration files,
/// target URIs and script templates. Inputs are grown from the corpus in
/// `Fixtures/fuzz/<parser>/` by byte flips, insertions of the formats' own punctuation and
/// keywords, deletions, duplications and splices, from a fixed seed (so a failure can be
/// repeated). No input may crash or hang a parser, and every rejected input must fail with a
/// message of sqlitch's own (a `SqitchFailure`, no Foundation text).
///
/// `SQLITCH_FUZZ_INPUTS` sets the inputs per parser (default 3,000 here; `scripts/fuzz` runs
/// a million), `SQLITCH_FUZZ_SEED` the seed.
@Suite("Fuzzing the parsers")
struct FuzzTests {
    static var inputs: Int { Int(ProcessInfo.processInfo.environment["SQLITCH_FUZZ_INPUTS"] ?? "") ?? 3_000 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["SQLITCH_FUZZ_SEED"] ?? "") ?? 0x5171_7C4 }

    enum Parser: String, CaseIterable, CustomStringConvertible {
        case plan, config, uri, template
        var description: String { rawValue }

        /// The tokens mutations insert: each format's own syntax and troublemakers.
        var dictionary: [String] {
            let shared = ["\n", "\r\n", "\t", " ", "\\", "\"", "'", "#", "%", "@", ":", "=", "é", "\u{0}", "\u{FEFF}",
                          "😀", "\u{202E}", String(repeating: "a", count: 300)]
            switch self {
            case .plan:
                return shared + ["%project=", "%syntax-version=1.0.0", "%uri=", "[", "]", "!", "+", "-",
                                 "2012-13-45T99:99:99Z", "2024-01-02T03:04:05Z", "<a@b>", " A B <", ">", "@HEAD",
                                 "@ROOT", "^", "~", ":@", "[x:y@z]", "# note"]
            case .config:
                return shared + ["[", "]", "[core]", "[a \"b\"]", "\\\n", "\\n", "\\t", ";", "= ", "true", "0x10", "1k",
                                 "[include]", "path = "]
            case .uri:
                return shared + ["db:", "pg", "sqlite", "mysql", "//", "/", "?", "&", "[::1]", "%", "%2", "%FF",
                                 "%E2%98%83", "xn--", "::", ":65536", ":-1", "user:pass@"]
            case .template:
                return shared + ["[%", "%]", "[%-", "-%]", "[%#", "FOREACH x IN requires", "END", "IF", "ELSIF",
                                 "ELSE", "UNLESS", "requires.size", ".join(", ")", "change", "==", "!=", "&&", "||"]
            }
        }

        var corpus: [[UInt8]] {
            let folder = Fixtures.path("fuzz/" + rawValue)
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            var seeds: [[UInt8]] = []
            for file in files {
                guard let data = FileManager.default.contents(atPath: folder + "/" + file) else { continue }
                if self == .uri {
                    seeds += data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
                } else {
                    seeds.append(Array(data))
                }
            }
            return seeds
        }

        static let variables: [String: TemplateValue] = [
            "project": "flipr", "change": "add_users", "engine": "pg",
            "requires": ["appschema", "roles"], "conflicts": ["old"],
        ]

        /// Runs the parser on `text`; throws what it throws.
        func run(_ text: String) throws {
            switch self {
            case .plan:
                let plan = try PlanParser.parse(text: text, file: "sqitch.plan")
                for change in plan.changes {
                    _ = change.id
                    for tag in change.tags { _ = tag.id }
                }
            case .config:
                let file = try ConfigFile.parse(text, path: "sqitch.conf", scope: .local)
                _ = String(describing: file)
            case .uri:
                let uri = DatabaseURI(text)
                _ = (uri.description, uri.withoutPassword.description, uri.dbname, uri.host, uri.explicitPort,
                     uri.queryParameters.count)
            case .template:
                _ = try TemplateRenderer.render(text, variables: Parser.variables)
            }
        }
    }

    static func mutate(_ input: [UInt8], corpus: [[UInt8]], dictionary: [String], random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0 where !bytes.isEmpty:
                bytes[min(position, bytes.count - 1)] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            case 1:
                bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
            case 2:
                bytes.insert(contentsOf: Array(dictionary.randomElement(using: &random)!.utf8), at: position)
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...16, using: &random))
                if position < end { bytes.removeSubrange(position..<end) }
            case 4 where !bytes.isEmpty:
                let start = Int.random(in: 0..<bytes.count, using: &random)
                let end = min(bytes.count, start + Int.random(in: 1...64, using: &random))
                bytes.insert(contentsOf: bytes[start..<end], at: position)
            case 5:
                let other = corpus.randomElement(using: &random) ?? []
                if !other.isEmpty {
                    let start = Int.random(in: 0..<other.count, using: &random)
                    bytes.insert(contentsOf: other[start...].prefix(Int.random(in: 1...200, using: &random)), at: position)
                }
            default:
                if !bytes.isEmpty { bytes.removeSubrange(min(position, bytes.count)...) }
            }
        }
        return bytes
    }

    /// Words no message of sqlitch's may hold.
    static let foreign = ["The operation could not be completed", "NSCocoaErrorDomain", "Error Domain=", "Fatal error",
                          "Swift.", "Foundation."]

    @Test(arguments: Parser.allCases)
    func noCrashNoHangClearErrors(_ parser: Parser) throws {
        let corpus = parser.corpus
        #expect(!corpus.isEmpty, "no corpus for \(parser)")
        var random = SeededRandom(seed: Self.seed &+ UInt64(Parser.allCases.firstIndex(of: parser)!))
        var rejected = 0
        var slowest = 0.0
        var unclear: [String] = []
        let clock = ContinuousClock()
        for index in 0..<Self.inputs {
            let base = corpus.randomElement(using: &random)!
            let bytes = Self.mutate(base, corpus: corpus, dictionary: parser.dictionary, random: &random)
            let text = String(decoding: bytes, as: UTF8.self)
            let started = clock.now
            do {
                try parser.run(text)
            } catch let failure as any SqitchFailure {
                rejected += 1
                let message = failure.message
                if message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || Self.foreign.contains(where: message.contains) {
                    unclear.append("input \(index): \(message.debugDescription)")
                }
            } catch {
                rejected += 1
                unclear.append("input \(index): \(type(of: error)): \(error)")
            }
            let elapsed = clock.now - started
            slowest = max(slowest, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        #expect(unclear.isEmpty, "\(parser): \(unclear.prefix(5))")
        #expect(slowest < 2, "\(parser): an input took \(slowest) s")
        print("fuzz \(parser): \(Self.inputs) inputs (seed \(Self.seed)), \(rejected) rejected, none crashed, slowest \(Int(slowest * 1000)) ms")
    }
}
