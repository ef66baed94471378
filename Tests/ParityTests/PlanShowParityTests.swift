import Foundation
import Testing
import SqlitchTestSupport

/// A one-step scenario over the `projects/planshow` fixture: a plan with tags, reworked
/// changes, a revert entry, cross-project dependencies, notes with escapes and Unicode,
/// scripts (one in Latin-1, one missing, one a directory), plus any extra `files`.
private func fixture(_ name: String, _ arguments: [String], files: [String: String] = [:],
                     deviations: [ParityDeviation] = [], reason: String? = nil) -> ParityScenario {
    ParityScenario(name, fixture: "projects/planshow", files: files,
                   steps: [ParityStep(arguments, deviations: deviations, reason: reason)])
}

/// The fixture's configuration with a `[plan]` (or other) section appended.
private func config(_ extra: String) -> [String: String] {
    ["sqitch.conf": "[core]\n\tengine = sqlite\n" + extra]
}

private let perlLocation = "DIFFERENCES: a Perl error deep inside a command is the message line alone, without `at .../Plan.pm line N.`"
private let noTrace = "DIFFERENCES: errors before a command runs exit 2 without a Perl stack trace"
private let typeError = "DIFFERENCES: a configuration value of the wrong type is reported without Perl's file and line, exit 2"

/// Expected sqlitch output for Moose-style type errors raised while Sqitch builds the command.
private func typeMessage(_ value: String, _ type: String, _ attribute: String) -> [ParityDeviation] {
    [.exitCode(2), .stdout(""), .stderr("Value \"\(value)\" did not pass type constraint \"\(type)\" (in $args->{\"\(attribute)\"})\n")]
}

/// A second target with its own plan files, for target selection.
private let targets: [String: String] = [
    "sqitch.conf": """
        [core]
        \tengine = sqlite
        [target "alt"]
        \turi = db:sqlite:alt.db
        \tplan_file = alt.plan
        [target "empty"]
        \turi = db:sqlite:empty.db
        \tplan_file = empty.plan

        """,
    "alt.plan": "%syntax-version=1.0.0\n%project=alt\n\nsolo 2024-02-01T00:00:00Z Alt Planner <alt@example.com> # Only one.\n",
    "empty.plan": "%syntax-version=1.0.0\n%project=empty\n\n",
]

let planShowScenarios: [ParityScenario] = [
    // plan: presets and formatting options
    fixture("plan default", ["plan"]),
    // A date that cannot exist: Sqitch dies in DateTime with a Perl trace (exit 2).
    ParityScenario("plan with an impossible timestamp", files: [
        "sqitch.conf": "[core]\n\tengine = sqlite\n",
        "sqitch.plan": "%syntax-version=1.0.0\n%project=p\n\nusers 2012-13-45T99:99:99Z A <a@b.c> # x\n",
    ], steps: [
        ParityStep(["plan"], deviations: [
            // The harness masks timestamps in outputs (`<TIMESTAMP>`).
            .stderr("Syntax error in sqitch.plan at line 4: Invalid timestamp <TIMESTAMP>\n"),
        ], reason: "DIFFERENCES: an impossible plan timestamp"),
    ]),
    // A plan that is not UTF-8: Sqitch's `:utf8_strict` layer names the ill-formed bytes.
    ParityScenario("plan that is not UTF-8", files: ["sqitch.conf": "[core]\n\tengine = sqlite\n"], steps: [
        .setup("sh", ["-c", #"printf '%%syntax-version=1.0.0\n%%project=p\n\nusers 2012-01-01T00:00:00Z A <a@b.c> # n\342\202x\n' > sqitch.plan"#]),
        ParityStep(["plan"], deviations: [.stderr("Can't decode ill-formed UTF-8 octet sequence <E2 82>\n")],
                   reason: perlLocation),
        .setup("sh", ["-c", #"printf '%%syntax-version=1.0.0\n%%project=p\n\nusers 2012-01-01T00:00:00Z A <a@b.c> # \377\n' > sqitch.plan"#]),
        ParityStep(["status", "db:sqlite:x.db"], deviations: [.stderr("Can't decode ill-formed UTF-8 octet sequence <FF>\n")],
                   reason: perlLocation),
    ]),
    // Configuration files that are not regular files read as files do.
    ParityScenario("config files that are devices", files: ["sqitch.conf": "[core]\n\tengine = sqlite\n"],
                   steps: [ParityStep(["config", "--list"])],
                   environment: ["SQITCH_USER_CONFIG": "/dev/null", "SQITCH_SYSTEM_CONFIG": "/dev/null"]),
    fixture("plan raw", ["plan", "--format", "raw"]),
    fixture("plan full", ["plan", "-f", "full"]),
    fixture("plan long", ["plan", "--format=long"]),
    fixture("plan medium", ["plan", "--format", "medium"]),
    fixture("plan short", ["plan", "--format", "short"]),
    fixture("plan oneline preset keeps full IDs", ["plan", "--format", "oneline"]),
    fixture("plan --oneline abbreviates", ["plan", "--oneline"]),
    fixture("plan --oneline with --abbrev", ["plan", "--oneline", "--abbrev", "10"]),
    fixture("plan --oneline with another format", ["plan", "--oneline", "--format", "short"]),
    fixture("plan --abbrev on medium", ["plan", "--abbrev", "7"]),
    fixture("plan --color always", ["plan", "--color", "always", "--format", "long"]),
    fixture("plan --color always oneline", ["plan", "--color=always", "--oneline"]),
    fixture("plan --color never", ["plan", "--color", "never", "--oneline"]),
    fixture("plan --no-color beats --color", ["plan", "--color", "always", "--no-color", "--oneline"]),
    fixture("plan --color auto off a terminal", ["plan", "--color", "auto", "--oneline"]),
    fixture("plan --no-headers", ["plan", "--no-headers", "--oneline"]),
    fixture("plan --headers", ["plan", "--no-headers", "--headers", "-f", "oneline"]),
    fixture("plan --date raw", ["plan", "--date", "raw"]),
    fixture("plan --date-format rfc", ["plan", "--date-format", "rfc"]),
    fixture("plan --date iso8601", ["plan", "--date", "iso8601"]),
    fixture("plan --date cldr", ["plan", "--date", "cldr:YYYY-MM-dd", "--format", "format:%n %{date}p"]),
    fixture("plan --date strftime", ["plan", "--date", "strftime:%Y/%m/%d %H", "-f", "format:%{d}p %n"]),
    fixture("plan custom codes", ["plan", "--format",
                                  "format:%h|%H|%n|%o|%e|%l|%L|%p|%{name}p|%{email}p|%{n}p|%{e}p|%t|%T|%r|%x|%%|%v"]),
    fixture("plan committer codes are empty", ["plan", "--format", "format:%c|%{n}c|%{e}c"],
            deviations: [.ignoreStderr], reason: "DIFFERENCES: Perl's uninitialized-value warnings are not reproduced"),
    fixture("plan requires and conflicts", ["plan", "--format", "format:%R%X%{; }r|%{; }x|%{/}t|%{/}T"]),
    fixture("plan attributes", ["plan", "--format",
                                "format:%{event}a%{project}a%{change_id}a%{change}a%{note}a%{tags}a%{requires}a%{conflicts}a%{planned_at}a%{planner_name}a%{planner_email}a"]),
    fixture("plan notes", ["plan", "--format", "format:[%s] [%b] [%B] [%{> }s] [%{> }b] [%{> }B]"]),
    fixture("plan labels", ["plan", "-n", "1", "--format",
                            "format:%{event}_%{change}_%{committer}_%{planner}_%{by}_%{date}_%{committed}_%{planned}_%{name}_%{project}_%{email}_%{requires}_%{conflicts}_"]),
    fixture("plan widths and precision", ["plan", "--format", "format:[%-12n][%12n][%.3n][%8.2h]"]),
    fixture("plan %h with explicit length", ["plan", "--format", "format:%{5}h %{0}h"]),
    fixture("plan colors in templates", ["plan", "--color", "always", "--format",
                                         "format:%{:event}C%n%{reset}C %{bold red}C%t%{reset}C %{on_blue bright_green}Cx%{reset}C"]),
    // plan: searching
    fixture("plan --event deploy", ["plan", "--event", "deploy", "--oneline"]),
    fixture("plan --event revert", ["plan", "--event", "revert", "--oneline"]),
    fixture("plan --event is case-insensitive", ["plan", "--event", "REVERT", "--oneline"]),
    fixture("plan --change pattern", ["plan", "--change", "^us", "--oneline"]),
    fixture("plan --change-pattern unicode", ["plan", "--change-pattern", "é$", "--oneline"]),
    fixture("plan --planner pattern", ["plan", "--planner", "\\bRubble$", "--oneline"]),
    fixture("plan --planner-pattern unicode", ["plan", "--planner-pattern", "Zoë", "--oneline"]),
    fixture("plan filters match any one of them", ["plan", "--change", "hash", "--planner", "Barney", "--oneline"]),
    fixture("plan pattern with inline flag", ["plan", "--change", "(?i)USERS", "--oneline"]),
    fixture("plan --max-count", ["plan", "--max-count", "3", "--oneline"]),
    fixture("plan -n", ["plan", "-n", "2", "--oneline"]),
    fixture("plan --skip", ["plan", "--skip", "7", "--oneline"]),
    fixture("plan --skip past the end", ["plan", "--skip", "20", "--oneline"]),
    fixture("plan --reverse", ["plan", "--reverse", "--oneline"]),
    fixture("plan --reverse with skip and count", ["plan", "--reverse", "--skip", "2", "-n", "3", "--oneline"]),
    fixture("plan --no-reverse", ["plan", "--reverse", "--no-reverse", "--oneline"]),
    fixture("plan limit counts scanned changes", ["plan", "--event", "revert", "-n", "5", "--oneline"]),
    fixture("plan --skip -1 reads from the end", ["plan", "--skip", "-1", "--oneline"]),
    fixture("plan --skip=-1", ["plan", "--skip=-1", "--oneline"]),
    fixture("plan option values may start with a dash", ["plan", "--change", "--oneline", "-n", "2"]),
    fixture("plan -n takes the next word", ["plan", "-n", "--oneline"]),
    fixture("plan last option value wins", ["plan", "-n", "2", "-n", "4", "--oneline"]),
    // plan: targets and arguments
    fixture("plan a change argument is ignored", ["plan", "users", "--oneline"]),
    fixture("plan unknown argument", ["plan", "nope"]),
    fixture("plan unknown arguments", ["plan", "nope", "nada"]),
    fixture("plan engine argument", ["plan", "sqlite", "--oneline"]),
    fixture("plan URI argument", ["plan", "db:sqlite:other.db", "--oneline"]),
    fixture("plan too many targets", ["plan", "db:sqlite:a.db", "db:sqlite:b.db", "--oneline"]),
    fixture("plan --target URI", ["plan", "--target", "db:sqlite:a.db", "--oneline"]),
    fixture("plan --target unknown", ["plan", "-t", "nope"]),
    fixture("plan named target", ["plan", "alt"], files: targets),
    fixture("plan --target named", ["plan", "--target", "alt", "--oneline"], files: targets),
    fixture("plan plan-file argument", ["plan", "alt.plan", "--oneline"], files: targets),
    fixture("plan target then another", ["plan", "-t", "alt", "db:sqlite:x.db", "--oneline"], files: targets),
    fixture("plan empty plan", ["plan", "empty"], files: targets),
    fixture("plan empty plan quietly", ["--quiet", "plan", "-t", "empty"], files: targets),
    fixture("plan.all uses every target", ["plan", "--oneline"], files: targets.merging(
        ["sqitch.conf": targets["sqitch.conf"]! + "[plan]\n\tall = 1\n"]) { $1 }),
    // Change and tag IDs hash the project URI in URI.pm's canonical form: unsafe characters
    // escaped as UTF-8, square brackets only in the host, unreserved escapes decoded.
    ParityScenario("IDs of a project whose URI needs escaping", files: [
        "sqitch.conf": "[core]\n\tengine = sqlite\n",
        "sqitch.plan": "%syntax-version=1.0.0\n%project=p\n%uri=HTTPS://Ex.COM:443/a b\"[1]/ä/%7e%21\n\n"
            + "users 2026-01-01T00:00:00Z T <t@example.com> # u\n@v1 2026-01-01T00:00:01Z T <t@example.com> # t\n",
        "other/sqitch.conf": "[core]\n\tengine = sqlite\n",
        "other/sqitch.plan": "%syntax-version=1.0.0\n%project=o\n%uri=not a uri {really}\n\n"
            + "users 2026-01-01T00:00:00Z T <t@example.com> # u\n",
        "new/README": "",
        "idn/sqitch.conf": "[core]\n\tengine = sqlite\n",
        "idn/sqitch.plan": "%syntax-version=1.0.0\n%project=i\n%uri=https://Bücher.DE/ä\n\n"
            + "users 2026-01-01T00:00:00Z T <t@example.com> # u\n",
    ], steps: [
        ParityStep(["-C", "idn", "plan", "--format", "oneline"]), ParityStep(["-C", "idn", "show", "change", "users"]),
        ParityStep(["plan", "--format", "oneline"]), ParityStep(["show", "change", "users"]),
        ParityStep(["show", "tag", "@v1"]), ParityStep(["-C", "other", "plan", "--format", "oneline"]),
        ParityStep(["-C", "other", "show", "change", "users"]),
        ParityStep(["-C", "new", "init", "n", "--engine", "sqlite", "--uri", "https://Ex.com/a b[1]/%7e"]),
    ]),
    ParityScenario("plan without a project", steps: [ParityStep(["plan"])]),
    ParityScenario("plan without a plan file", files: ["sqitch.conf": "[core]\n\tengine = sqlite\n"],
                   steps: [ParityStep(["plan"])]),
    ParityScenario("plan of a malformed plan", files: ["sqitch.conf": "[core]\n\tengine = sqlite\n",
                                                      "sqitch.plan": "%project=x\n\nbad name! 2024-01-01T00:00:00Z A <a@b>\n"],
                   steps: [ParityStep(["plan"], deviations: [.replacing("\"\\\", or blanks", with: "\"\\\", \"[\", \"]\", or blanks")],
                                      reason: "§12 item 1: 1.6 bans [ and ] in names")]),
    // plan: [plan] section merged as options
    fixture("plan.format", ["plan"], files: config("[plan]\n\tformat = oneline\n")),
    fixture("plan.format custom", ["plan"], files: config("[plan]\n\tformat = format:%n|%o\n")),
    fixture("plan --format beats plan.format", ["plan", "-f", "short"], files: config("[plan]\n\tformat = oneline\n")),
    fixture("plan.date_format", ["plan"], files: config("[plan]\n\tdate_format = rfc\n")),
    fixture("plan --date beats plan.date_format", ["plan", "--date", "raw"],
            files: config("[plan]\n\tdate_format = rfc\n")),
    fixture("plan.color", ["plan", "--oneline"], files: config("[plan]\n\tcolor = always\n")),
    fixture("plan --no-color beats plan.color", ["plan", "--oneline", "--no-color"],
            files: config("[plan]\n\tcolor = always\n")),
    fixture("plan.reverse", ["plan", "--oneline"], files: config("[plan]\n\treverse = 1\n")),
    fixture("plan --no-reverse beats plan.reverse", ["plan", "--oneline", "--no-reverse"],
            files: config("[plan]\n\treverse = 1\n")),
    fixture("plan.headers = 0", ["plan", "--oneline"], files: config("[plan]\n\theaders = 0\n")),
    fixture("plan.max_count and skip", ["plan", "--oneline"], files: config("[plan]\n\tmax_count = 2\n\tskip = 1\n")),
    fixture("plan.event", ["plan", "--oneline"], files: config("[plan]\n\tevent = revert\n")),
    fixture("plan.change_pattern and planner_pattern", ["plan", "--oneline"],
            files: config("[plan]\n\tchange_pattern = ^app\n\tplanner_pattern = Zoë\n")),
    fixture("plan.target", ["plan", "--oneline"], files: config("[plan]\n\ttarget = nope\n")),
    fixture("plan keys Sqitch ignores", ["plan"],
            files: config("[plan]\n\tabbrev = 4\n\toneline = 1\n\tmax-count = 1\n\tno_color = 1\n")),
    // plan: errors
    fixture("plan unknown format", ["plan", "--format", "bogus"],
            deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
    fixture("plan.format unknown", ["plan"], files: config("[plan]\n\tformat = bogus\n"),
            deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
    fixture("plan unknown date format", ["plan", "--date", "bogus"],
            deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
    fixture("plan.date_format unknown", ["plan"], files: config("[plan]\n\tdate_format = nope\n"),
            deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
    fixture("plan unknown color", ["plan", "--color", "bogus"],
            deviations: typeMessage("bogus", "Enum[always,auto,never]", "color"), reason: typeError),
    fixture("plan.color unknown", ["plan"], files: config("[plan]\n\tcolor = sometimes\n"),
            deviations: typeMessage("sometimes", "Enum[always,auto,never]", "color"), reason: typeError),
    fixture("plan.headers = false", ["plan"], files: config("[plan]\n\theaders = false\n"),
            deviations: typeMessage("false", "Bool", "headers"), reason: typeError),
    fixture("plan.reverse = true", ["plan"], files: config("[plan]\n\treverse = true\n"),
            deviations: typeMessage("true", "Bool", "reverse"), reason: typeError),
    fixture("plan.skip not a number", ["plan"], files: config("[plan]\n\tskip = x\n"),
            deviations: typeMessage("x", "Int", "skip") + [.ignoreStderr], reason: typeError),
    fixture("plan unknown event", ["plan", "--event", "bogus"],
            deviations: [.stderrFirstLine], reason: "DIFFERENCES: no Perl stack trace after an error"),
    fixture("plan invalid pattern", ["plan", "--change", "us("],
            deviations: [.ignoreStderr], reason: "DIFFERENCES: regular expression errors use sqlitch's own words"),
    fixture("plan unknown format code", ["plan", "--format", "format:%Q"]),
    fixture("plan format code without attribute", ["plan", "--format", "format:%a"]),
    fixture("plan unknown attribute", ["plan", "--format", "format:%{nope}a"]),
    fixture("plan label missing", ["plan", "--format", "format:%_"]),
    fixture("plan unknown label", ["plan", "--format", "format:%{nope}_"]),
    fixture("plan color missing", ["plan", "--format", "format:%C"]),
    fixture("plan unknown color code", ["plan", "--format", "format:%{nope}C"]),
    fixture("plan comma-separated colors", ["plan", "--format", "format:%{red,bold}C"]),
    fixture("plan %F deploy files", ["plan", "--no-headers", "--format", "format:%n %F"],
            deviations: [.exitCode(0), .stderr(""), .stdout("""
                appschema deploy/appschema.sql
                users deploy/users@v1.0.sql
                flips deploy/flips@v1.1.sql
                café deploy/café.sql
                users deploy/users@v2.0.sql
                flips deploy/flips.sql
                hash/tags deploy/hash/tags.sql
                missing deploy/missing.sql
                users deploy/users.sql

                """)],
            reason: "§12 item 6: %F is Sqitch 1.6"),
    fixture("plan empty tag separator", ["plan", "--no-headers", "--skip", "3", "-n", "1", "--format", "format:%{0}t|%{}T"],
            deviations: [.stdout(" @v1.10@beta| (@v1.1@beta)\n")], reason: "§12 item 6: 1.6 honours empty and zero separators"),
    fixture("plan --format 0 is a literal template", ["plan", "--format", "0", "-n", "2"]),
    fixture("plan --format 0 with --oneline", ["plan", "--format", "0", "--oneline"]),
    fixture("plan --date 0 falls back", ["plan", "--date", "0", "-n", "1"]),
    fixture("plan --color 0 falls back", ["plan", "--color", "0", "--oneline", "-n", "1"], files: config("[plan]\n\tcolor = always\n")),
    fixture("plan unknown option", ["plan", "--bogus"]),
    fixture("plan option without value", ["plan", "--skip"]),
    fixture("plan -n not a number", ["plan", "-n", "x"]),
    fixture("plan --max-count not a number", ["plan", "--max-count", "1.5"]),
    fixture("plan --abbrev not a number", ["plan", "--abbrev", "x"]),

    // show
    fixture("show change", ["show", "change", "users@v1.0"]),
    fixture("show change with requires, conflicts and escapes", ["show", "change", "flips@v1.1"]),
    fixture("show unicode change", ["show", "change", "café"]),
    fixture("show reworked change", ["show", "change", "users@HEAD"]),
    fixture("show change by ID", ["show", "change", "253207ccce60873289b7a4567073a13fa90454f8"]),
    fixture("show change HEAD", ["show", "change", "HEAD"]),
    fixture("show change @ROOT", ["show", "change", "@ROOT"]),
    fixture("show change with offset", ["show", "change", "@v2.0^"]),
    fixture("show revert entry", ["show", "change", "flips@HEAD"]),
    fixture("show change without note", ["show", "change", "hash/tags"]),
    fixture("show ambiguous change", ["show", "change", "users"]),
    fixture("show unknown change", ["show", "change", "nope"]),
    fixture("show change with unknown tag", ["show", "change", "users@nope"]),
    fixture("show extra arguments are ignored", ["show", "change", "appschema", "more"]),
    fixture("show tag", ["show", "tag", "v1.0"]),
    fixture("show tag with @", ["show", "tag", "@beta"]),
    fixture("show tag without note", ["show", "tag", "v1.1"]),
    fixture("show tag by ID", ["show", "tag", "0ba212fcd8ed82c2087c0655d00ff919d0205fe3"]),
    fixture("show tag by change ID", ["show", "tag", "253207ccce60873289b7a4567073a13fa90454f8"]),
    fixture("show tag HEAD", ["show", "tag", "HEAD"]),
    fixture("show unknown tag", ["show", "tag", "nope"]),
    fixture("show deploy", ["show", "deploy", "appschema"]),
    fixture("show deploy Latin-1 bytes", ["show", "deploy", "hash/tags"]),
    fixture("show revert of a reworked change", ["show", "revert", "users@v1.0"]),
    fixture("show verify of a reworked change", ["show", "verify", "users@v2.0"]),
    fixture("show deploy of the newest instance", ["show", "deploy", "users@HEAD"]),
    fixture("show deploy unicode", ["show", "deploy", "café"]),
    fixture("show missing script", ["show", "verify", "café"]),
    fixture("show script of a change without scripts", ["show", "deploy", "missing"]),
    fixture("show a directory for a script", ["show", "verify", "hash/tags"]),
    fixture("show unknown type", ["show", "bogus", "x"]),
    fixture("show unknown type before the plan", ["show", "view", "users"], files: ["sqitch.plan": "junk\n"]),
    fixture("show no arguments", ["show"]),
    fixture("show one argument", ["show", "change"]),
    fixture("show zero key", ["show", "change", "0"]),
    fixture("show --exists change", ["show", "--exists", "change", "appschema"]),
    fixture("show -e missing change", ["show", "-e", "change", "nope"]),
    fixture("show -e tag", ["show", "-e", "tag", "v2.0"]),
    fixture("show -e missing tag", ["show", "-e", "tag", "v9"]),
    fixture("show -e script", ["show", "-e", "deploy", "users@v1.0"]),
    fixture("show -e missing script", ["show", "-e", "verify", "café"]),
    fixture("show -e unknown type", ["show", "-e", "bogus", "x"]),
    fixture("show -e ambiguous change", ["show", "-e", "change", "users"]),
    fixture("show --no-exists", ["show", "-e", "--no-exists", "tag", "v1.0"]),
    fixture("show --target", ["show", "--target", "alt", "change", "solo"], files: targets),
    fixture("show -t with a change of the other plan", ["show", "-t", "alt", "change", "appschema"], files: targets),
    fixture("show --plan-file", ["show", "--plan-file", "alt.plan", "change", "solo"], files: targets),
    fixture("show -f missing plan", ["show", "-f", "nope.plan", "change", "x"]),
    fixture("show --target unknown", ["show", "-t", "nope", "change", "x"]),
    fixture("show --top-dir", ["show", "--top-dir", ".", "change", "appschema"]),
    fixture("show.target", ["show", "change", "solo"], files: targets.merging(
        ["sqitch.conf": targets["sqitch.conf"]! + "[show]\n\ttarget = alt\n"]) { $1 }),
    fixture("show unknown option", ["show", "-x", "change", "users"]),
    ParityScenario("show without a project", steps: [ParityStep(["show", "change", "x"])]),
    ParityScenario("show with a plan but no configuration", files: ["sqitch.plan": "%project=x\n\n"],
                   steps: [ParityStep(["show", "change", "x"]), ParityStep(["show", "-e", "tag", "x"]),
                           ParityStep(["show", "deploy", "x"])]),
]

@Suite("Parity with sqitch: plan and show", .enabled(if: ParityHarness.shouldRun))
struct PlanShowParityTests {
    @Test(arguments: planShowScenarios)
    func scenario(_ scenario: ParityScenario) async throws { try await expectParity(scenario) }
}
