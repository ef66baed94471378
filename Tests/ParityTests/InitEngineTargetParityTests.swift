import Foundation
import Testing
import SqlitchTestSupport

// Parity scenarios for the commands built on Sqitch's TargetConfigCommand: `init`, `engine`
// and `target`. Sqitch writes the properties of `target add`/`engine add`/`alter` in Perl hash
// order, which changes from run to run, so each scenario gives at most one such option
// (plus `--set`, whose variables go to their own section).

/// Errors Sqitch raises while building the command exit 255 with a Perl trace.
private let beforeRun = "DIFFERENCES: errors before a command runs exit 2 without a Perl stack trace"
/// Sqitch 1.5 banned `[` and `]` in names and says so in the message (fact sheet §12.1).
private let bracketsBanned: [ParityDeviation] = [.replacing("\"#\", or blanks", with: "\"#\", \"[\", \"]\", or blanks")]
private let bracketsReason = "fact sheet §12.1: 1.6 lists \"[\" and \"]\" in the project name rule"

private let pgConf = "[core]\n\tengine = pg\n"
private let sqlitePlan = "%syntax-version=1.0.0\n%project=flipr\n\n"

/// Sqitch 1.5.2 puts reworked scripts under `<reworked_dir>/<deploy_dir>` when `deploy_dir`
/// is configured (fact sheet §12.9); 1.3.1 uses `<reworked_dir>/deploy`.
private let reworkedReason = "fact sheet §12.9: reworked dirs honour configured script dirs (1.5.2)"
private let gShow = """
    * g
        URI:           db:pg:g
        Registry:      sqitch
        Client:        psql
        Top Directory: .
        Plan File:     sqitch.plan
        Extension:     sql
        Script Directories:
          Deploy:      gd
          Revert:      revert
          Verify:      verify
        Reworked Script Directories:
          Reworked:    .
          Deploy:      gd
          Revert:      revert
          Verify:      verify
        No Variables

    """

let initEngineTargetScenarios: [ParityScenario] = [
    // init: the configuration file for each combination of options.
    .run("init with no engine", ["init", "flipr"]),
    .run("init --engine sqlite", ["init", "flipr", "--engine", "sqlite"]),
    .run("init --engine pg", ["init", "flipr", "--engine", "pg"]),
    .run("init --engine mysql", ["init", "flipr", "--engine", "mysql"]),
    .run("init --engine=oracle", ["init", "flipr", "--engine=oracle"]),
    .run("init --engine oracle --target with a user", ["init", "flipr", "--engine", "oracle", "--target", "db:oracle://scott@h/x"]),
    .run("init --uri", ["init", "flipr", "--engine", "sqlite", "--uri", "https://github.com/sqitchers/sqitch-intro/"]),
    .run("init --uri is escaped", ["init", "flipr", "--uri", " not a uri/ä?x=ö#f "]),
    .run("init --uri is canonicalized", ["init", "flipr", "--uri", "HTTPS://Example.COM:443/a%7e/"]),
    .run("init every option", ["init", "p", "--engine", "pg", "--top-dir", "db", "--plan-file", "db/my.plan",
                               "--extension", "ddl", "--dir", "reworked=db/old", "--registry", "reg",
                               "--client", "/usr/bin/psql", "--target", "prod", "-s", "a=b"]),
    .run("init --target URI", ["init", "p", "--engine", "mysql", "--target", "db:mysql://h/db"]),
    .run("init --target URI sets the engine", ["init", "p", "--target", "db:pg://u:pw@h/db"]),
    .run("init --target name needs an engine", ["init", "p", "--target", "prod"]),
    .run("init --registry and --client", ["init", "p", "--engine", "sqlite", "--registry", "r", "--client", "c"]),
    .run("init --extension only", ["init", "p", "--extension", "ddl"]),
    .run("init -f into new directories", ["init", "p", "--engine", "sqlite", "-f", "x/y/z.plan"]),
    .run("init --plan-file ./p.plan", ["init", "p", "--engine", "sqlite", "--plan-file", "./p.plan"]),
    .run("init --top-dir ./a/", ["init", "p", "--top-dir", "./a/"]),
    .run("init --top-dir ignores --dir deploy", ["init", "p", "--top-dir", "db", "--dir", "deploy=x"]),
    .run("init script directories", ["init", "p", "--engine", "pg", "--dir", "deploy=x", "--dir", "revert=z",
                                     "--dir", "verify=y", "--dir", "reworked_deploy=rd"]),
    .run("init reworked directories", ["init", "p", "--dir", "reworked=old", "-d", "reworked_verify=rv",
                                       "-d", "reworked_revert=rr"]),
    .run("init --set", ["init", "p", "--engine", "sqlite", "--set", "x=1"]),
    .run("init -s repeated key", ["init", "p", "-s", "x=1", "-s", "x=2"]),
    .run("init with joined short options", ["init", "p", "--engine", "sqlite", "-fq.plan", "-sa=b", "-dreworked=r"]),
    .run("init with abbreviated options", ["init", "p", "--eng", "pg", "--regis", "r", "--ext", "x"]),
    .run("init with an ambiguous option", ["init", "p", "--t", "db:pg:x"]),
    .run("init with -- before the project", ["init", "--engine=pg", "--", "p"]),
    .run("init -s without a value", ["init", "p", "-s"]),
    .run("init --set and --dir without key=value", ["init", "p", "-s", "flag", "--dir", "deploy", "--set=x", "--d=y"]),
    .run("init with several option errors", ["init", "p", "--bogus", "-x", "--dir"]),
    .run("init option value that looks like an option", ["init", "p", "--registry", "-x"]),
    .run("init with an unknown short option", ["init", "p", "-x"]),
    .run("init without a project", ["init"]),
    .run("init with an empty project", ["init", ""]),
    .run("init with a zero project", ["init", "0"]),
    .run("init --engine without a project", ["init", "--engine", "pg"]),
    .run("init with an unknown option", ["init", "p", "--bogus"]),
    .run("init --engine without a value", ["init", "p", "--engine"]),
    .run("init invalid project name", ["init", "a b"], deviations: bracketsBanned, reason: bracketsReason),
    .run("init project name with @", ["init", "@p"], deviations: bracketsBanned, reason: bracketsReason),
    .run("init project name ending in punctuation", ["init", "p1."], deviations: bracketsBanned, reason: bracketsReason),
    .run("init --engine nope", ["init", "p", "--engine", "nope"],
         deviations: [.exitCode(2), .stderrFirstLine], reason: beforeRun),
    .run("init unknown directory name", ["init", "p", "--dir", "foo=x"],
         deviations: [.exitCode(2), .stderrFirstLine], reason: beforeRun),
    .run("init unknown directory names", ["init", "p", "--dir", "foo=x", "--dir", "bar=y", "--dir", "deploy=d"],
         deviations: [.exitCode(2), .stderrFirstLine], reason: beforeRun),
    ParityScenario("init with an existing sqitch.conf", files: ["sqitch.conf": pgConf],
                   steps: [ParityStep(["init", "p"]), ParityStep(["init", "p", "--engine", "mysql"])]),
    ParityScenario("init with core.engine in the user config",
                   files: ["../home/.sqitch/sqitch.conf": pgConf], steps: [ParityStep(["init", "p"])]),
    ParityScenario("init below a project's directory",
                   files: ["sqitch.conf": "[core]\n\tengine = mysql\n\ttop_dir = x\n", "sub/keep": ""],
                   steps: [ParityStep(["-C", "sub", "init", "p"]), ParityStep(["-C", "sub", "target", "add", "t", "db:pg:t"]),
                           ParityStep(["-C", "sub", "target", "-v"])]),
    ParityScenario("init twice", steps: [ParityStep(["init", "flipr", "--engine", "sqlite"]),
                                         ParityStep(["init", "flipr", "--engine", "sqlite"])]),
    ParityScenario("init over another project's plan", files: ["sqitch.plan": sqlitePlan],
                   steps: [ParityStep(["init", "p", "--engine", "sqlite"])]),
    ParityScenario("init over the same project's plan", files: ["sqitch.plan": sqlitePlan],
                   steps: [ParityStep(["init", "flipr", "--engine", "pg"])]),
    ParityScenario("init over an invalid plan", files: ["sqitch.plan": "junk\n"],
                   steps: [ParityStep(["init", "p", "--engine", "sqlite"])]),
    ParityScenario("init over a plan without a project", files: ["sqitch.plan": "%syntax-version=1.0.0\n\n"],
                   steps: [ParityStep(["init", "p", "--engine", "sqlite"])]),
    ParityScenario("init when the plan is a directory", files: ["sqitch.plan/keep": ""],
                   steps: [ParityStep(["init", "p", "--engine", "sqlite"])]),
    ParityScenario("init copies the %uri of the default plan",
                   files: ["sqitch.plan": "%syntax-version=1.0.0\n%project=p\n%uri=https://o.org/\n\n"],
                   steps: [ParityStep(["init", "p", "--plan-file", "other.plan"])]),

    // target
    .run("target list without a project", ["target"]),
    .run("target add outside a project", ["target", "add", "x", "db:pg:x"]),
    ParityScenario("target and engine actions outside a project", steps: [
        ParityStep(["target", "rm", "x"]), ParityStep(["engine", "rm", "pg"]), ParityStep(["target", "rename", "x", "y"]),
        ParityStep(["target", "show"]), ParityStep(["engine", "show"]), ParityStep(["target", "show", "x"]),
        ParityStep(["engine", "alter", "pg"]), ParityStep(["engine", "add", "pg"]),
    ]),
    ParityScenario("script directory blocked by a file", files: ["x/y": ""],
                   steps: [ParityStep(["init", "p", "--engine", "sqlite", "--dir", "deploy=x/y/z"])]),
    ParityScenario("target add and list", steps: [
        ParityStep(["init", "p", "--engine", "sqlite"]),
        ParityStep(["target"]),
        ParityStep(["target", "add", "prod", "db:sqlite:prod.db"]),
        ParityStep(["target", "add", "prod", "db:sqlite:x.db"]),
        ParityStep(["target", "add", "dev", "db:pg://u:pw@h/dev"]),
        // URI.pm escapes square brackets except in the host, and unsafe characters everywhere.
        ParityStep(["target", "add", "brackets", "db:pg://u[1]@h[2]:5432/d b\"[3]?q=[4]#f[5]"]),
        ParityStep(["target", "add", "v6", "db:mysql://[::1]:3306/x[1]"]),
        ParityStep(["target", "add", "file", "db:sqlite:a b[1].db"]),
        ParityStep(["target", "add", "idn", "db:pg://Exämple/x"]),
        ParityStep(["target", "show", "brackets", "v6", "file", "idn"]),
        ParityStep(["target"]),
        ParityStep(["target", "list"]),
        ParityStep(["-v", "target"]),
        ParityStep(["target", "-v"]),
        ParityStep(["target", "--verbose", "list"]),
        ParityStep(["--quiet", "-v", "target"]),
    ]),
    ParityScenario("target add with each option", steps: [
        ParityStep(["init", "p", "--engine", "sqlite"]),
        ParityStep(["target", "add", "a", "db:pg:a", "--registry", "reg"]),
        ParityStep(["target", "add", "b", "db:pg:b", "--client", "cl"]),
        ParityStep(["target", "add", "c", "db:pg:c", "--plan-file", "c.plan"]),
        ParityStep(["target", "add", "d", "db:pg:d", "-f", "d/d.plan"]),
        ParityStep(["target", "add", "e", "db:pg:e", "--top-dir", "etop"]),
        ParityStep(["target", "add", "f", "db:pg:f", "--extension", "ddl"]),
        ParityStep(["target", "add", "g", "db:pg:g", "--dir", "deploy=gd"]),
        ParityStep(["target", "add", "h", "db:pg:h", "--dir", "reworked=hr", "-s", "Baz=q"]),
        ParityStep(["target", "add", "i", "pg:i"]),
        ParityStep(["target", "add", "j", "nouri:j"]),
        ParityStep(["target", "show", "a", "b", "c", "d", "e", "f", "h"]),
        ParityStep(["target", "show", "g"], deviations: [.stdout(gShow)], reason: reworkedReason),
    ]),
    ParityScenario("target add without core.engine", steps: [
        ParityStep(["init", "p"]),
        ParityStep(["target", "add", "foo", "db:pg:x"]),
        ParityStep(["target"]),
    ]),
    ParityScenario("target add copies the default plan's project", files: [
        "sqitch.conf": pgConf,
        "sqitch.plan": "%syntax-version=1.0.0\n%project=flipr\n%uri=https://flipr.example/\n\n",
    ], steps: [ParityStep(["target", "add", "t", "db:pg:t", "-f", "t/t.plan"])]),
    ParityScenario("target add without a plan", files: ["sqitch.conf": pgConf],
                   steps: [ParityStep(["target", "add", "t", "db:pg:t"])]),
    ParityScenario("target usage errors", files: ["sqitch.conf": pgConf], steps: [
        ParityStep(["target", "add"]),
        ParityStep(["target", "add", "x"]),
        ParityStep(["target", "alter"]),
        ParityStep(["target", "remove"]),
        ParityStep(["target", "rm"]),
        ParityStep(["target", "rename"]),
        ParityStep(["target", "rename", "a"]),
        ParityStep(["target", "bogus"]),
        ParityStep(["target", "list-x"]),
        ParityStep(["target", "--bogus"]),
        ParityStep(["target", "add", "x", "db:pg:", "--uri"]),
        ParityStep(["target", "--u", "db:pg:", "alter", "nope"]),
        ParityStep(["target", "add", "x", "db:pg:", "--dir", "nope=x"],
                   deviations: [.exitCode(2), .stderrFirstLine], reason: beforeRun),
    ]),
    ParityScenario("target alter, rename, remove", steps: [
        ParityStep(["init", "p", "--engine", "sqlite"]),
        ParityStep(["target", "add", "prod", "db:sqlite:prod.db", "-s", "a=1"]),
        ParityStep(["target", "alter", "nope"]),
        ParityStep(["target", "alter", "nope", "--uri", "db:pg:"]),
        ParityStep(["target", "alter", "prod", "--registry", "r2", "-s", "x=y"]),
        ParityStep(["target", "alter", "prod", "--uri", "db:sqlite:other.db"]),
        ParityStep(["target", "alter", "prod", "--top-dir", "pt"]),
        ParityStep(["target", "show", "prod"]),
        ParityStep(["target", "rename", "prod", "prod2"]),
        ParityStep(["target", "rename", "prod", "prod2"]),
        ParityStep(["target", "-v"]),
        ParityStep(["target", "remove", "prod2"]),
        ParityStep(["target", "rm", "prod2"]),
        ParityStep(["target", "-v"]),
    ]),
    ParityScenario("target referenced by core and engines",
                   files: ["sqitch.conf": "[core]\n\tengine = pg\n\ttarget = foo\n[engine \"pg\"]\n\ttarget = foo\n"
                           + "[engine \"mysql\"]\n\ttarget = foo\n[target \"foo\"]\n\turi = db:pg:foo\n"],
                   steps: [ParityStep(["target", "rm", "foo"]), ParityStep(["target", "rename", "foo", "bar"]),
                           ParityStep(["target", "rename", "nope", "bar"])]),
    ParityScenario("target show", files: ["sqitch.conf": pgConf + "[target \"prod\"]\n\turi = db:pg://u:pw@h/prod\n"
                                          + "[target \"dl\"]\n\turi = db:dlite:rel.db\n"
                                          + "[target \"ora\"]\n\turi = db:oracle://scott@h/x\n"
                                          + "[engine \"pg\"]\n\tregistry = er\n[engine \"pg.variables\"]\n\tlong_name = 1\n"], steps: [
        ParityStep(["target", "show"]),
        ParityStep(["target", "show", "prod"]),
        ParityStep(["target", "show", "db:sqlite:x.db"]),
        ParityStep(["target", "show", "nope"]),
        // Oracle's default registry is empty (the connecting user's schema).
        ParityStep(["target", "show", "ora"]),
        ParityStep(["target", "show", "prod", "dl", "db:sqlite:y.db"], deviations: [.stderr("Unknown engine: dlite\n")],
                   reason: "fact sheet §12.10: `Unknown engine: {engine}` (1.5.0); 1.3.1 shows a Perl trace"),
    ]),

    // engine
    .run("engine list without a project", ["engine"]),
    ParityScenario("engine add, list and show", steps: [
        ParityStep(["init", "p"]),
        ParityStep(["engine"]),
        ParityStep(["engine", "add", "nope"]),
        ParityStep(["engine", "add", "pg"]),
        ParityStep(["engine", "add", "pg"]),
        ParityStep(["target", "add", "prod", "db:mysql:prod"]),
        ParityStep(["engine", "add", "mysql", "prod", "--dir", "reworked=rw"]),
        ParityStep(["engine", "add", "sqlite", "db:pg:x"]),
        ParityStep(["engine", "add", "sqlite", "unknowntarget"]),
        ParityStep(["engine", "add", "sqlite", "--target", "db:sqlite:x.db", "-s", "a=b"]),
        ParityStep(["engine"]),
        ParityStep(["engine", "-v"]),
        ParityStep(["-v", "engine", "list"]),
        ParityStep(["engine", "show", "pg", "mysql", "sqlite"]),
        ParityStep(["engine", "show", "oracle"]),
        ParityStep(["engine", "show"]),
        ParityStep(["config", "engine.dlite.target", "db:dlite:x"]),
        ParityStep(["engine", "show", "sqlite", "dlite"], deviations: [.stderr("Unknown engine: dlite\n")],
                   reason: "fact sheet §12.10: `Unknown engine: {engine}` (1.5.0); 1.3.1 shows a Perl trace"),
    ]),
    ParityScenario("engine add with each option", files: ["sqitch.conf": pgConf, "sqitch.plan": sqlitePlan], steps: [
        ParityStep(["engine", "add", "sqlite", "--registry", "r"]),
        ParityStep(["engine", "add", "mysql", "--client", "c"]),
        ParityStep(["engine", "add", "oracle", "--plan-file", "ora/ora.plan"]),
        ParityStep(["engine", "add", "vertica", "--top-dir", "vt"]),
        ParityStep(["engine", "add", "exasol", "--extension", "xsql"]),
        ParityStep(["engine", "add", "snowflake", "db:snowflake://a/b", "--dir", "verify=ev"]),
        ParityStep(["engine", "-v"]),
        ParityStep(["engine", "show", "oracle", "vertica"]),
    ]),
    ParityScenario("engine add without a plan", files: ["sqitch.conf": pgConf],
                   steps: [ParityStep(["engine", "add", "mysql", "--plan-file", "my.plan"])]),
    ParityScenario("engine alter and remove", files: ["sqitch.conf": pgConf, "sqitch.plan": sqlitePlan], steps: [
        ParityStep(["engine", "add", "pg"]),
        ParityStep(["engine", "alter", "oracle"]),
        ParityStep(["engine", "alter", "oracle", "--target", "db:oracle:x"]),
        ParityStep(["engine", "alter", "nope"]),
        ParityStep(["engine", "alter", "pg", "--target", "db:mysql:"]),
        ParityStep(["engine", "alter", "pg", "--target", "nope"]),
        ParityStep(["engine", "alter", "pg", "--target", "db:pg:new"]),
        ParityStep(["engine", "alter", "pg", "--client", "c", "-s", "v=1"]),
        ParityStep(["engine", "alter", "pg", "--top-dir", "t"]),
        ParityStep(["engine", "show", "pg"]),
        ParityStep(["engine", "remove", "pg"]),
        ParityStep(["engine", "rm", "pg"]),
        ParityStep(["engine", "-v"]),
    ]),
    ParityScenario("engine usage errors", files: ["sqitch.conf": pgConf], steps: [
        ParityStep(["engine", "add"]),
        ParityStep(["engine", "alter"]),
        ParityStep(["engine", "remove"]),
        ParityStep(["engine", "rm"]),
        ParityStep(["engine", "bogus"]),
        ParityStep(["engine", "add", "pg", "--uri", "db:pg:"]),
        ParityStep(["engine", "add", "pg", "--dir", "x=y"],
                   deviations: [.exitCode(2), .stderrFirstLine], reason: beforeRun),
    ]),
]

@Suite("Parity with sqitch: init, engine, target", .enabled(if: ParityHarness.shouldRun))
struct InitEngineTargetParityTests {
    @Test(arguments: initEngineTargetScenarios)
    func scenario(_ scenario: ParityScenario) async throws { try await expectParity(scenario) }
}
