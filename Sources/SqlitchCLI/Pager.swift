import FoundationEssentials
import Glibc
import SqlitchCore

/// Paged output (`plan`, `log`) when standard output is a terminal: collected, then shown
/// through the pager program when the command ends.
final class Pager: TextSink {
    let program: String
    private var text = ""

    init(program: String) { self.program = program }

    func write(_ text: String) { self.text += text }

    /// The pager Sqitch would use: `$SQITCH_PAGER`, `core.pager` or `$PAGER`, whose first word
    /// must name an existing program (searched on `PATH` unless absolute); otherwise the
    /// usual suspects, as IO::Pager picks them. Nil when standard output is not a terminal
    /// or `--no-pager` was given.
    static func program(for sqitch: Sqitch, noPager: Bool) -> String? {
        guard !noPager, isatty(1) != 0 else { return nil }
        let env = sqitch.environment
        let configured = env.nonEmpty("SQITCH_PAGER")
            ?? (try? sqitch.config.get("core.pager")).flatMap { $0 }.flatMap { $0.isEmpty ? nil : $0 }
            ?? env.nonEmpty("PAGER")
        func locate(_ name: String) -> String? {
            if name.hasPrefix("/") { return FileManager.default.fileExists(atPath: name) ? name : nil }
            return SpawnRunner.resolve(name, environment: env, files: sqitch.files)
        }
        if let configured {
            let words = configured.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            if let first = words.first, let path = locate(first) {
                return ([path] + words.dropFirst()).joined(separator: " ")
            }
        }
        for candidate in ["/etc/alternatives/pager", "/usr/local/bin/less", "/usr/bin/less", "/usr/bin/more",
                          "less", "most", "w3m", "lv", "pg", "more"] {
            if let path = locate(candidate) { return path }
        }
        return "more"
    }

    /// Runs the pager over what was collected (nothing happens when nothing was paged).
    func finish(_ sqitch: Sqitch) {
        guard !text.isEmpty else { return }
        sqitch.console.flush()
        let command = ProcessCommand("/bin/sh", ["-c", program], input: text, output: .passThrough, error: .passThrough)
        if (try? SpawnRunner().execute(command, environment: sqitch.environment, files: sqitch.files,
                                       console: sqitch.console)) == nil {
            // No pager after all: the text still goes to standard output.
            sqitch.console.out.write(text)
        }
        text = ""
    }
}
