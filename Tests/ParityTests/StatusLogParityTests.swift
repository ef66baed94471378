import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `status` and `log` on SQLite, run with both `sqitch` and `sqlitch`. Databases are
/// deployed by setup steps that run `sqitch` in both runs; `pin` then gives every event,
/// change and tag a fixed time, so dates in every format compare exactly.

private let plan = """
    %syntax-version=1.0.0
    %project=flipr

    users 2024-01-02T03:04:05Z Test User <test@example.com> # Users.
    widgets [users !other:legacy] 2024-01-02T03:04:06Z Planner Two <two@example.com> # Widgets.\\n\\nThey are small.\\nVery small.
    @v1.0 2024-01-02T03:04:07Z Test User <test@example.com> # Release.

    gadgets [users widgets] 2024-01-02T03:04:08Z Test User <test@example.com> # Gadgets.
    @v1.1 2024-01-02T03:04:09Z Test User <test@example.com> # Minor.
    @v1.2 2024-01-02T03:04:10Z Test User <test@example.com> # Another.

    """

private let config = """
    [core]
    \tengine = sqlite
    [engine "sqlite"]
    \ttarget = db:sqlite:flipr.db
    [target "prod"]
    \turi = db:sqlite:prod.db

    """

/// A project with three working changes; `flipr.db` is the default target, `prod` a named one.
private let project: [String: String] = {
    var files = ["sqitch.conf": config, "sqitch.plan": plan]
    for name in ["users", "widgets", "gadgets"] {
        files["deploy/\(name).sql"] = "CREATE TABLE \(name) (id INT);\n"
        files["revert/\(name).sql"] = "DROP TABLE \(name);\n"
        files["verify/\(name).sql"] = "SELECT id FROM \(name) WHERE 0;\n"
    }
    return files
}()

private func with(_ extra: [String: String]) -> [String: String] { project.merging(extra) { $1 } }
private func withConfig(_ extra: String) -> [String: String] { with(["sqitch.conf": config + extra]) }

private func step(_ arguments: [String]) -> ParityStep { ParityStep(arguments) }
private func sqitch(_ arguments: [String]) -> ParityStep { .setup("sqitch", arguments) }
private func sh(_ script: String) -> ParityStep { .setup("sh", ["-c", script]) }
private func sqlite(_ arguments: [String]) -> ParityStep { .setup("sqlite3", arguments) }

/// Fixed times for the registry `file`: events a minute apart in the order they were
/// logged, each change and tag at the time of its latest deploy.
private func pin(_ file: String = "sqitch.db") -> ParityStep {
    sqlite([file, """
        UPDATE events SET committed_at = strftime('%Y-%m-%d %H:%M:%f', '2025-03-04 05:06:07', '+' || (rowid * 61) || ' seconds');
        UPDATE changes SET committed_at = (SELECT MAX(e.committed_at) FROM events e WHERE e.change_id = changes.change_id AND e.event = 'deploy');
        UPDATE tags SET committed_at = (SELECT c.committed_at FROM changes c WHERE c.change_id = tags.change_id);
        """])
}

/// A history with every kind of event: `gadgets` fails (and the run's changes are reverted),
/// then everything is deployed, `gadgets` reverted and deployed again.
private let history: [ParityStep] = [
    sh("echo 'SELECT nope;' > deploy/gadgets.sql"), sqitch(["deploy"]),
    sh("echo 'CREATE TABLE gadgets (id INT);' > deploy/gadgets.sql"), sqitch(["deploy"]),
    sqitch(["revert", "-y", "--to", "@v1.0"]), sqitch(["deploy"]), pin(),
]

/// The same history with a second project, `other`, in `other/`, deployed to the same
/// registry in between.
private let twoProjects: [String: String] = with([
    "other/sqitch.conf": "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:../flipr.db\n",
    "other/sqitch.plan": """
        %syntax-version=1.0.0
        %project=other

        thing 2024-01-02T03:04:05Z Other Planner <other@example.com> # Thing.
        @t1 2024-01-02T03:04:06Z Other Planner <other@example.com> # T1.

        """,
    "other/deploy/thing.sql": "CREATE TABLE thing (id INT);\n",
    "empty/.keep": "",
])

/// The project with `users` reworked after `@v1.2`.
private let reworked: [String: String] = with([
    "sqitch.plan": plan + "users [users@v1.2] 2024-01-02T03:04:11Z Test User <test@example.com> # Users, again.\n",
    "deploy/users@v1.2.sql": "CREATE TABLE users (id INT);\n",
    "revert/users@v1.2.sql": "DROP TABLE users;\n",
    "deploy/users.sql": "ALTER TABLE users ADD name TEXT;\n",
])

private let noTrace = "DIFFERENCES: errors before a command runs exit 2 without a Perl stack trace"
private let typeError = "DIFFERENCES: a configuration value of the wrong type is reported without Perl's file and line, exit 2"
private let regexReason = "DIFFERENCES: regular expression errors use sqlitch's own words"
private let listReason = "fact sheet §12 item 7: Sqitch 1.6 reads SQLite event lists as arrays; 1.3.1 dies on %t %T %r %R %x %X"
private let combinedReason = "DIFFERENCES: log filters combine with AND (Sqitch joins them without it and fails with a syntax error)"

private func typeMessage(_ value: String, _ type: String, _ attribute: String) -> [ParityDeviation] {
    [.exitCode(2), .stdout(""), .stderr("Value \"\(value)\" did not pass type constraint \"\(type)\" (in $args->{\"\(attribute)\"})\n")]
}

private let datePresets = ["raw", "iso", "iso8601", "rfc", "rfc2822", "full", "long", "medium", "short",
                           "cldr:YYYY-MM-dd'T'HH:mm EEEE", "strftime:%Y/%m/%d %H.%M.%S %a %b %j"]

let statusLogScenarios: [ParityScenario] = [
    // Nothing to read.
    ParityScenario("status and log: no registry", files: project, steps: [
        step(["status"]), step(["log"]), step(["status", "--show-changes", "--show-tags"]),
        step(["log", "--event", "deploy", "-n", "1"]), step(["--quiet", "status"]), step(["--quiet", "log"]),
        step(["status", "-t", "db:sqlite:other.db"]), step(["log", "db:sqlite:other.db"]),
        step(["status", "db:sqlite:"]), step(["log", "db:sqlite:"]),
        step(["status", "--registry", "nodir/x"]), step(["log", "--registry", "nodir/x"]),
        sh("mkdir empty"), step(["-C", "empty", "status", "db:sqlite:x.db"]), step(["-C", "empty", "log", "db:sqlite:x.db"]),
    ]),
    ParityScenario("status and log: nothing deployed, no events", files: project, steps: [
        sqitch(["deploy"]), sqitch(["revert", "-y"]), pin(),
        step(["status"]), step(["log", "--oneline"]),
        sqlite(["sqitch.db", "DELETE FROM events"]), step(["log"]), step(["--quiet", "log"]), step(["status"]),
    ]),

    // status
    ParityScenario("status: partly deployed", files: project, steps: [
        sqitch(["deploy", "--to", "widgets"]), pin(),
        step(["status"]), step(["status", "--show-changes"]), step(["status", "--show-tags"]),
        step(["status", "--show-changes", "--show-tags"]), step(["--quiet", "status"]),
        step(["status", "--project", "flipr"]), step(["status", "--project", "nope"]),
        step(["status", "users"]), step(["status", "nope"]), step(["status", "users", "nope"]),
        step(["status", "--date", "rfc", "--show-changes"]),
    ]),
    ParityScenario("status: up to date, tags", files: project, steps: history + [
        step(["status"]), step(["status", "--show-tags", "--show-changes"]), step(["status", "--show-tags", "--date", "raw"]),
    ]),
    ParityScenario("status: dates in every format", files: project, steps: [sqitch(["deploy"]), pin()]
        + datePresets.map { step(["status", "--show-changes", "--show-tags", "--date-format", $0]) }
        + [step(["status", "--date", ""]), step(["status", "--date", "0"])]),
    ParityScenario("status: options from the configuration", files: withConfig("""
        [status]
        \tshow_changes = yes
        \tshow_tags = 1
        \tdate_format = rfc

        """), steps: [
        sqitch(["deploy", "--to", "widgets"]), pin(),
        step(["status"]), step(["status", "--date-format", "iso"]),
        sqitch(["config", "status.show_tags", "-01"]), sqitch(["config", "status.show_changes", "off"]),
        sqitch(["config", "status.project", "nope"]), step(["status"]), step(["status", "--project", "flipr"]),
        sqitch(["config", "status.target", "prod"]), step(["status", "--project", "flipr"]),
    ]),
    ParityScenario("status: configuration errors", files: project, steps: [
        sqitch(["config", "status.show_tags", "maybe"]),
        ParityStep(["status"], deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
        sqitch(["config", "status.show_tags", "0"]), sqitch(["config", "status.date_format", "bogus"]),
        ParityStep(["status"], deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
    ]),
    ParityScenario("status: option errors", files: project, steps: [
        sqitch(["deploy"]),
        ParityStep(["status", "--date-format", "bogus"], deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
        step(["status", "--bogus"]), step(["status", "--project"]), step(["status", "--show-tags=1"]),
        step(["status", "--no-show-tags"]),
    ]),
    ParityScenario("status: reworked change", files: reworked, steps: [
        sqitch(["deploy", "--to", "@v1.2"]), pin(), step(["status"]), step(["status", "--show-changes"]),
        sqitch(["deploy"]), pin(),
        step(["status", "--show-changes", "--show-tags"]), step(["status", "users"]), step(["status", "users@v1.0"]),
        step(["log", "--oneline"]), step(["log", "--format", "short", "--change", "users"]),
    ]),
    ParityScenario("status: deployed change missing from the plan", files: project, steps: [
        sqitch(["deploy"]), sh("grep -v '^gadgets' sqitch.plan | grep -v '^@v1' > p && mv p sqitch.plan"),
        step(["status"]), step(["status", "--show-changes"]),
        sh("printf '%%syntax-version=1.0.0\\n%%project=flipr\\n\\n' > sqitch.plan"), step(["status"]),
    ]),
    ParityScenario("status and log: several projects", files: twoProjects, steps: [
        sqitch(["deploy", "--to", "users"]), sqitch(["-C", "other", "deploy"]), sqitch(["deploy"]), pin(),
        step(["status", "--project", "other", "--show-tags"]), step(["-C", "other", "status", "--show-changes"]),
        step(["-C", "other", "status", "--project", "flipr"]), step(["-C", "empty", "status", "db:sqlite:../flipr.db"]),
        step(["-C", "empty", "status", "db:sqlite:../flipr.db", "--project", "other"]),
        step(["status", "--plan-file", "nope.plan"]), step(["status", "--plan-file", "nope.plan", "--project", "other"]),
        step(["log", "--project", "other"]), step(["log", "--project", "^(other|flipr)$", "-n", "3", "--oneline"]),
        step(["-C", "other", "log", "--oneline"]), step(["-C", "empty", "log", "db:sqlite:../flipr.db", "-n", "2"]),
    ]),
    ParityScenario("status: one project in a registry without a plan", files: twoProjects, steps: [
        sqitch(["-C", "other", "deploy"]), pin(),
        step(["-C", "empty", "status", "db:sqlite:../flipr.db"]), step(["status", "--plan-file", "nope.plan"]),
        step(["-C", "empty", "status", "db:sqlite:../nope.db"]),
    ]),
    ParityScenario("status and log: a registry from before release 1.0", files: project, steps: [
        sqitch(["deploy"]), pin(),
        sqlite(["sqitch.db", """
            PRAGMA legacy_alter_table = ON;
            ALTER TABLE changes RENAME TO old_changes;
            CREATE TABLE changes (change_id TEXT PRIMARY KEY, change TEXT NOT NULL, project TEXT NOT NULL,
              note TEXT NOT NULL DEFAULT '', committed_at DATETIME NOT NULL, committer_name TEXT NOT NULL,
              committer_email TEXT NOT NULL, planned_at DATETIME NOT NULL, planner_name TEXT NOT NULL,
              planner_email TEXT NOT NULL);
            INSERT INTO changes SELECT change_id, change, project, note, committed_at, committer_name,
              committer_email, planned_at, planner_name, planner_email FROM old_changes;
            DROP TABLE old_changes;
            """]),
        step(["status"]), step(["status", "--show-tags"]), step(["status", "--show-changes"]), step(["log", "-n", "2"]),
    ]),
    ParityScenario("status and log: a registry from a newer release", files: project, steps: [
        sqitch(["deploy"]), pin(), sqlite(["sqitch.db", "INSERT INTO releases VALUES (9.9, CURRENT_TIMESTAMP, 'x', 'y')"]),
        step(["status"]), step(["log", "-n", "1"]),
    ]),
    ParityScenario("status and log: targets and connection options", files: project, steps: [
        sqitch(["deploy", "prod"]), sqitch(["deploy", "--to", "users"]), sqitch(["deploy", "--registry", "reg2"]),
        pin(), pin("reg2.db"),
        step(["status", "prod"]), step(["status", "-t", "prod"]), step(["status", "--target", "db:sqlite:prod.db"]),
        step(["status", "sqlite"]), step(["status", "prod", "db:sqlite:flipr.db"]), step(["status", "-t", "nope"]),
        step(["status", "--registry", "reg2"]), step(["status", "--db-name", "prod.db"]), step(["status", "-d", "prod.db"]),
        step(["status", "--client", "./nope"]), step(["status", "-u", "x", "-h", "y", "-p", "5"]),
        step(["status", "--db-port", "x"]), step(["status", "--top-dir", "."]), step(["status", "-f", "sqitch.plan"]),
        step(["log", "prod", "-n", "1"]), step(["log", "-t", "prod", "-n", "1"]), step(["log", "--target", "db:sqlite:prod.db", "-n", "1"]),
        step(["log", "sqlite", "-n", "1"]), step(["log", "prod", "db:sqlite:flipr.db", "-n", "1"]), step(["log", "-t", "nope"]),
        step(["log", "--registry", "reg2", "-n", "1"]), step(["log", "-d", "prod.db", "-n", "1"]),
        step(["log", "--db-client", "./nope", "-n", "1"]), step(["log", "--db-port", "x"]),
        step(["log", "--plan-file", "sqitch.plan"]), step(["log", "users", "-n", "1"]), step(["log", "nope"]),
    ]),

    // log
    ParityScenario("log: presets", files: project, steps: history
        + ["medium", "short", "oneline"].map { step(["log", "--format", $0]) }
        + [step(["log"]), step(["log", "--oneline"]), step(["log", "--oneline", "--format", "medium", "-n", "2"]),
           step(["log", "--oneline", "--abbrev", "0", "-n", "2"]), step(["log", "-f", "format:%h %n", "--oneline"])]),
    ParityScenario("log: raw, full and long (Sqitch 1.6)", files: project, steps: history + [
        ParityStep(["log", "--format", "raw", "-n", "2"], deviations: [.exitCode(0), .stderr(""), .stdout(rawLog)],
                   reason: listReason),
        ParityStep(["log", "--format", "full", "-n", "2"], deviations: [.exitCode(0), .stderr(""), .stdout(fullLog)],
                   reason: listReason),
        ParityStep(["log", "--format", "long", "--event", "fail"], deviations: [.exitCode(0), .stderr(""), .stdout(longLog)],
                   reason: listReason),
        ParityStep(["log", "--format", "format:%n%t|%T|%{:}t|%r|%{ }r|%x|%R%X|%{tags}a%{requires}a%{conflicts}a", "--reverse"],
                   deviations: [.exitCode(0), .stderr(""), .stdout(listCodes)], reason: listReason),
    ]),
    ParityScenario("log: filters", files: project, steps: history + [
        step(["log", "--event", "fail"]), step(["log", "--event", "revert", "--event", "fail", "--oneline"]),
        step(["log", "--event", "deploy", "--oneline"]), step(["log", "--event", "bogus"]),
        step(["log", "--change", "^g", "--oneline"]), step(["log", "--change-pattern", "s$", "--oneline"]),
        step(["log", "--change", ""]), step(["log", "--project", "flip", "-n", "1"]), step(["log", "--project", "nope"]),
        step(["log", "--committer", "Test", "-n", "1"]), step(["log", "--committer-pattern", "^Nobody"]),
        step(["log", "-n", "3", "--oneline"]), step(["log", "--max-count", "2", "--skip", "3", "--oneline"]),
        step(["log", "--skip", "9", "--oneline"]), step(["log", "-n", "0", "--oneline"]), step(["log", "-n", "-1", "--oneline"]),
        step(["log", "--reverse", "--oneline"]), step(["log", "--reverse", "--no-reverse", "-n", "2", "--oneline"]),
        step(["log", "--no-headers", "-n", "1"]), step(["log", "--no-headers", "--headers", "-n", "1"]),
        step(["log", "--abbrev", "8", "-n", "2"]), step(["log", "--abbrev", "0", "-n", "1"]),
        step(["log", "--color", "always", "-n", "3"]), step(["log", "--color", "never", "-n", "1"]),
        step(["log", "--color", "auto", "-n", "1"]), step(["log", "--no-color", "--color", "always", "-n", "1"]),
        step(["log", "--oneline", "--color", "always"]),
        ParityStep(["log", "--change", "us", "--event", "deploy", "--oneline"],
                   deviations: [.exitCode(0), .stderr(""), .stdout("""
                       On database db:sqlite:flipr.db
                       d8f039 deploy flipr:users Users.
                       d8f039 deploy flipr:users Users.

                       """)], reason: combinedReason),
        ParityStep(["log", "--change", "us(", "-n", "1"], deviations: [.ignoreStderr], reason: regexReason),
    ]),
    ParityScenario("log: dates in every format", files: project, steps: [sqitch(["deploy"]), pin()]
        + datePresets.map { step(["log", "--date-format", $0, "-n", "1"]) }
        + datePresets.map { step(["log", "--format", "format:%{date:\($0)}c|%{d:\($0)}p|%{date}c", "-n", "1"]) }
        + [step(["log", "--date", "", "-n", "1"]), step(["log", "--date", "0", "-n", "1"]),
           step(["log", "--date", "rfc", "--format", "format:%{date}c %{date}p %{d}c %{date:}c %{d:raw}p", "-n", "1"])]),
    // Named zones from the system's tz database (half-hour daylight time, a 5:45 offset),
    // and `TZ` values Sqitch's DateTime does not take (the system zone then).
] + [("America/New_York", "new-york"), ("Australia/Lord_Howe", "lord-howe"), ("Asia/Kathmandu", "kathmandu"),
     (":Asia/Kolkata", "colon"), ("Nowhere/Bad", "unknown")].map { zone, label in
    ParityScenario("log and plan: dates in the zone \(label)", files: project, steps: [sqitch(["deploy"]), pin()]
        + ["iso", "rfc", "full", "long", "cldr:zzzz z ZZZZ D w", "strftime:%Z %z %U %V %j"].map {
            step(["log", "--date-format", $0, "-n", "2"])
        }
        + [step(["plan", "--date-format", "full"]), step(["status", "--date-format", "rfc"])],
        environment: ["TZ": zone])
} + [
    // `TZDIR` naming no directory stands for a machine without tzdata: ICU's copy of the
    // database then, where DateTime has its own. ICU keeps no abbreviations, so formats that
    // show one are compared only in zones whose abbreviations are numeric anyway.
    ("America/New_York", "new-york", ["iso", "rfc", "full", "cldr:zzzz Z D w", "strftime:%z %U %V %j"]),
    ("Australia/Lord_Howe", "lord-howe", ["iso", "full", "long", "cldr:zzzz z ZZZZ", "strftime:%Z %z"]),
    ("Asia/Kathmandu", "kathmandu", ["rfc", "long", "strftime:%Z %z %j"]),
].map { zone, label, formats in
    ParityScenario("log and plan: dates in the zone \(label) with no tz files", files: project,
                   steps: [sqitch(["deploy"]), pin()] + formats.map { step(["log", "--date-format", $0, "-n", "2"]) }
                       + [step(["plan", "--date-format", "full"]), step(["status", "--date-format", "rfc"])],
                   environment: ["TZ": zone, "TZDIR": "no-zoneinfo"])
} + [
    ParityScenario("log: format codes", files: project, steps: history + [
        step(["log", "--format", """
            format:%H|%h|%{8}h|%n|%o|%e|%l|%L|%c|%{n}c|%{name}c|%{e}c|%{email}c|%p|%{n}p|%{e}p|%s|%{> }s|%b|%{  }b|%B|%{    }B%v\
            %{event}_%{change}_%{committer}_%{planner}_%{by}_%{date}_%{committed}_%{planned}_%{name}_%{project}_%{email}_\
            %{requires}_%{conflicts}_|%{event}a%{project}a%{change_id}a%{change}a%{note}a%{committer_name}a\
            %{committer_email}a%{committed_at}a%{planner_name}a%{planner_email}a%{planned_at}a|%{red}C%{reset}C|%%|%v
            """]),
        step(["log", "--format", "format:%{bold blue}C%n%{reset}C%{on_green}C%o%{reset}C%{:event}C%e%{reset}C", "--color", "always"]),
        step(["log", "--format", "format:%-10n|%10n|%.3n|%{3}h", "-n", "2"]),
        step(["log", "--format", "format:%Z"]), step(["log", "--format", "format:%_"]),
        step(["log", "--format", "format:%{nope}_"]), step(["log", "--format", "format:%{nope}a"]),
        step(["log", "--format", "format:%{deploy_file}a"]), step(["log", "--format", "format:%{nope}C"]),
        step(["log", "--format", "format:plain", "-n", "1"]), step(["log", "--format", "", "-n", "2"]),
        step(["log", "--format", "0", "-n", "2"]),
    ]),
    ParityScenario("log: options from the configuration", files: withConfig("""
        [log]
        \tformat = oneline
        \tdate_format = rfc
        \tmax_count = 3
        \tskip = 1
        \treverse = 1
        \theaders = 0
        \tcolor = never
        \tchange_pattern = s$

        """), steps: history + [
        step(["log"]), step(["log", "--format", "format:%{date}c %n"]), step(["log", "--no-reverse", "--headers", "-n", "0"]),
        step(["log", "--change", "."]),
        sqitch(["config", "--unset", "log.change_pattern"]), sqitch(["config", "log.committer_pattern", "Nobody"]),
        step(["log"]), step(["log", "--committer", "User$"]),
        ParityStep(["log", "--change", "gadgets"], deviations: [.exitCode(0), .stderr(""), .stdout("")], reason: combinedReason),
        sqitch(["config", "--unset", "log.committer_pattern"]), sqitch(["config", "log.project_pattern", "nope"]),
        sqitch(["config", "log.target", "prod"]),
        step(["log"]), step(["log", "--project", "."]),
    ]),
    ParityScenario("log: configuration errors", files: project, steps: [
        sqitch(["deploy"]), sqitch(["config", "log.format", "bogus"]),
        ParityStep(["log"], deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
        sqitch(["config", "log.format", "short"]), sqitch(["config", "log.date_format", "bogus"]),
        ParityStep(["log"], deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
        sqitch(["config", "log.date_format", "iso"]), sqitch(["config", "log.color", "sometimes"]),
        ParityStep(["log"], deviations: typeMessage("sometimes", "Enum[always,auto,never]", "color"), reason: typeError),
        sqitch(["config", "log.color", "never"]), sqitch(["config", "log.max_count", "x"]),
        ParityStep(["log"], deviations: typeMessage("x", "Int", "max_count"), reason: typeError),
        sqitch(["config", "log.max_count", "1"]), sqitch(["config", "log.reverse", "true"]),
        ParityStep(["log"], deviations: typeMessage("true", "Bool", "reverse"), reason: typeError),
        sqitch(["config", "log.reverse", "0"]), sqitch(["config", "log.event", "deploy"]),
        ParityStep(["log"], deviations: typeMessage("deploy", "ArrayRef", "event"), reason: typeError),
    ]),
    ParityScenario("log: option errors", files: project, steps: [
        sqitch(["deploy"]),
        ParityStep(["log", "--format", "bogus"], deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
        ParityStep(["log", "--date-format", "bogus"], deviations: [.exitCode(2), .stderrFirstLine], reason: noTrace),
        ParityStep(["log", "--color", "bogus"], deviations: typeMessage("bogus", "Enum[always,auto,never]", "color"),
                   reason: typeError),
        step(["log", "-n", "x"]), step(["log", "--skip", "1.5"]), step(["log", "--abbrev", "x"]), step(["log", "--bogus"]),
        step(["log", "--event"]), step(["log", "--format="]), step(["log", "--no-oneline"]),
    ]),
]

/// `log --format raw -n 2` over `history`: Sqitch 1.6 output (IDs and dates normalized).
private let rawLog = """
    On database db:sqlite:flipr.db
    deploy <ID1> (@v1.1, @v1.2)
    name      gadgets
    project   flipr
    requires  users,widgets
    planner   Test User <test@example.com>
    planned   <TIMESTAMP>
    committer Test User <test@example.com>
    committed <TIMESTAMP>

        Gadgets.

    revert <ID1> (@v1.1,@v1.2)
    name      gadgets
    project   flipr
    requires  users,widgets
    planner   Test User <test@example.com>
    planned   <TIMESTAMP>
    committer Test User <test@example.com>
    committed <TIMESTAMP>

        Gadgets.


    """

/// `log --format full -n 2` over `history`.
private let fullLog = """
    On database db:sqlite:flipr.db
    Deploy <ID1> (@v1.1, @v1.2)
    Name:      gadgets
    Project:   flipr
    Requires:  users,widgets
    Planner:   Test User <test@example.com>
    Planned:   <DATE>
    Committer: Test User <test@example.com>
    Committed: <DATE>

        Gadgets.

    Revert <ID1> (@v1.1,@v1.2)
    Name:      gadgets
    Project:   flipr
    Requires:  users,widgets
    Planner:   Test User <test@example.com>
    Planned:   <DATE>
    Committer: Test User <test@example.com>
    Committed: <DATE>

        Gadgets.


    """

/// `log --format long --event fail` over `history`.
private let longLog = """
    On database db:sqlite:flipr.db
    Fail <ID1> (@v1.1, @v1.2)
    Name:      gadgets
    Project:   flipr
    Planner:   Test User <test@example.com>
    Committer: Test User <test@example.com>

        Gadgets.


    """

/// The list codes over every event of `history`, oldest first.
private let listCodes = """
    On database db:sqlite:flipr.db
    users|||||||
    widgets @v1.0| (@v1.0)| @v1.0| users| users| other:legacy|Requires:  users
    Conflicts: other:legacy
    |tags      @v1.0
    requires  users
    conflicts other:legacy

    gadgets @v1.1, @v1.2| (@v1.1, @v1.2)| @v1.1:@v1.2| users,widgets| users,widgets||Requires:  users,widgets
    |tags      @v1.1, @v1.2
    requires  users,widgets

    widgets @v1.0| (@v1.0)| @v1.0| users| users| other:legacy|Requires:  users
    Conflicts: other:legacy
    |tags      @v1.0
    requires  users
    conflicts other:legacy

    users|||||||
    users|||||||
    widgets @v1.0| (@v1.0)| @v1.0| users| users| other:legacy|Requires:  users
    Conflicts: other:legacy
    |tags      @v1.0
    requires  users
    conflicts other:legacy

    gadgets @v1.1, @v1.2| (@v1.1, @v1.2)| @v1.1:@v1.2| users,widgets| users,widgets||Requires:  users,widgets
    |tags      @v1.1, @v1.2
    requires  users,widgets

    gadgets @v1.1,@v1.2| (@v1.1,@v1.2)| @v1.1,@v1.2| users,widgets| users,widgets||Requires:  users,widgets
    |tags      @v1.1,@v1.2
    requires  users,widgets

    gadgets @v1.1, @v1.2| (@v1.1, @v1.2)| @v1.1:@v1.2| users,widgets| users,widgets||Requires:  users,widgets
    |tags      @v1.1, @v1.2
    requires  users,widgets


    """

@Suite("Parity with sqitch: status, log", .enabled(if: ParityHarness.shouldRun))
struct StatusLogParityTests {
    @Test(arguments: statusLogScenarios)
    func scenario(_ scenario: ParityScenario) async throws { try await expectParity(scenario) }
}

/// `log` and `status` on a terminal (under `script`, as PagerParityTests does): `log` pages
/// through `$PAGER` and colors with `--color auto`; `status` does neither. Both tools read
/// the same database, deployed once by Sqitch.
@Suite("Parity with sqitch: log and status on a terminal", .enabled(if: ParityHarness.shouldRun))
struct StatusLogTerminalParityTests {
    @Test(arguments: ["log --oneline", "log -n 1", "--no-pager log --oneline", "log --color never --oneline",
                      "log --format short --color auto", "status --show-changes"])
    func onATerminal(_ arguments: String) throws {
        let reference = try #require(ParityHarness.referencePath, "`sqitch` is not on PATH")
        let sqlitch = try #require(ParityHarness.sqlitchPath)
        let directory = try TemporaryDirectory()
        try directory.write("sqitch.conf", "[core]\n\tengine = sqlite\n[engine \"sqlite\"]\n\ttarget = db:sqlite:t.db\n")
        try directory.write("sqitch.plan", """
            %syntax-version=1.0.0
            %project=paged

            one 2024-01-01T00:00:00Z Ann <ann@example.com> # First.
            two [one] 2024-01-02T00:00:00Z Ann <ann@example.com> # Second.

            """)
        try directory.write("deploy/one.sql", "CREATE TABLE one (id INT);\n")
        try directory.write("deploy/two.sql", "CREATE TABLE two (id INT);\n")
        let pager = ["PAGER": "cat -n", "SQITCH_FULLNAME": "Ann", "SQITCH_EMAIL": "ann@example.com"]
        _ = try PagerParityTests.run(reference, "deploy", pager: pager, in: directory)
        let expected = try PagerParityTests.run(reference, arguments, pager: pager, in: directory)
        let actual = try PagerParityTests.run(sqlitch, arguments, pager: pager, in: directory)
        #expect(expected.contains("two"))
        #expect(actual == expected)
    }
}
