import FoundationEssentials
import Glibc
import SqlitchCore

/// The entry point: Sqitch's core options (accepted anywhere on the line), the command word,
/// then the command's own grammar and one call into the library. Usage errors are turned into
/// Sqitch's message and exit code here, and nowhere else.
@main
enum Sqlitch {
    static func main() {
        // A file size limit makes writes fail (EFBIG), reported and cleaned up, instead of
        // ending the process with a temporary file left behind.
        signal(SIGXFSZ, SIG_IGN)
        let out = StandardStream.out
        let err = StandardStream.err
        let code = run(
            arguments: Array(CommandLine.arguments.dropFirst()),
            environment: Environment.ofProcess,
            out: out,
            err: err
        )
        out.flush()
        err.flush()
        if BackgroundTasks.anyDetached {
            // A registry connection opened ahead for a command that failed first may still
            // be in the making: leave without running the client libraries' exit handlers.
            fflush(nil)
            _exit(code)
        }
        exit(code)
    }

    /// Runs one command line; returns the exit code.
    /// `environment` is read once a command needs it: not for `--version`, `--help`, `--man`,
    /// `--etc-path` or an unknown command.
    static func run(arguments: [String], environment: () -> Environment, out: TextSink, err: TextSink) -> Int32 {
        let console = Console(out: out, err: err)
        console.jsonErrors = JSONOutput.requested(in: arguments)
        var args = arguments
        let core = CoreOptions.extract(from: &args)

        if core.help || core.man {
            console.emit(core.man ? HelpDocuments.manual : HelpDocuments.commandList)
            return 0
        }
        if core.version {
            console.emit("sqlitch (App::Sqitch) \(SqlitchVersion.string)")
            return 0
        }
        let etcPath = Sqitch.defaultEtcPath
        if core.etcPath {
            console.emit(etcPath)
            return 0
        }

        var cwd = FileSystem.currentDirectory()
        if let dir = core.chdir {
            let target = dir.hasPrefix("/") ? dir : cwd + "/" + dir
            guard chdir(target) == 0 else {
                let reason = String(cString: strerror(errno))
                console.vent("Cannot change to directory \(dir): \(reason)")
                return 2
            }
            cwd = FileSystem.currentDirectory()
        }

        // Sqitch reads its configuration lazily: an unknown command is reported even when a
        // configuration file is malformed.
        guard let command = findCommand(in: &args, console: console) else {
            console.ventLiteral(HelpDocuments.commandList + "\n")
            return 2
        }

        let sqitch: Sqitch
        do {
            sqitch = try Sqitch(
                environment: environment(),
                console: console,
                files: FileSystem(workingDirectory: cwd),
                input: StandardInput(),
                etcPath: etcPath
            )
            if let verbosity = core.verbosity {
                console.verbosity = verbosity
            } else if let configured = try sqitch.config.get("core.verbosity"), let level = Int(configured) {
                console.verbosity = level
            }
        } catch let error as any SqitchFailure {
            console.report(error)
            return error.exitCode
        } catch {
            console.vent("\(error)")
            return 2
        }

        // `plan` and `log` page their output when standard output is a terminal.
        let pager = Pager.program(for: sqitch, noPager: core.noPager).map(Pager.init(program:))
        console.pager = pager
        defer { pager?.finish(sqitch) }

        let invocation = CommandInvocation(verbose: (core.verbosity ?? 0) > 0, outputIsTerminal: isatty(1) != 0)
        do {
            return try command.run(sqitch, args, invocation)
        } catch let error as UsageError {
            if console.jsonErrors {
                console.reportJSON(message: error.message.isEmpty ? "Usage error" : error.message, exitCode: 2)
                return 2
            }
            if !error.message.isEmpty { console.vent(error.message) }
            console.ventLiteral(HelpDocuments.usage(for: command.name))
            return 2
        } catch let error as any SqitchFailure {
            console.report(error)
            return error.exitCode
        } catch {
            if console.jsonErrors { console.reportJSON(message: "\(error)", exitCode: 2) } else { console.vent("\(error)") }
            return 2
        }
    }

    /// Sqitch's `_find_cmd`: the first word not starting with `-` that names a command is the
    /// command (and is removed); each word tried before it is reported when none is found.
    static func findCommand(in args: inout [String], console: Console) -> CommandDefinition? {
        var tried: [String] = []
        var i = 0
        while i < args.count {
            let arg = args[i]
            if arg.isEmpty || arg == "0" { i += 1; continue }
            if arg.hasPrefix("-") {
                if arg == "--" { break }
                if CoreOptions.legacyOptionTakesValue(arg) { i += 1 }
                i += 1
                continue
            }
            tried.append(arg)
            if let command = CommandCatalog.command(named: arg) {
                args.remove(at: i)
                return command
            }
            i += 1
        }
        for word in tried { console.vent("\"\(word)\" is not a valid command") }
        return nil
    }
}
