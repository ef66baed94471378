import Foundation
import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// `add`, `tag` and `rework`, run with both `sqitch` and `sqlitch` (see ParityTests.swift for
/// how scenarios are written).
private let emptyProject = [
    "sqitch.conf": "[core]\n\tengine = sqlite\n",
    "sqitch.plan": "%syntax-version=1.0.0\n%project=flipr\n\n",
]

/// Files for a project whose editor records the file it is given (as `note.txt`) and
/// appends a note to it.
private func withEditor(_ files: [String: String], note: String = "Written in the editor.") -> [String: String] {
    var files = files
    files["sqitch.conf", default: ""] += "[core]\n\teditor = sh ed.sh\n"
    files["ed.sh"] = "cp \"$1\" note.txt\nprintf '%s\\n' '\(note)' >> \"$1\"\n"
    return files
}

private let fixture = "projects/authoring"
private let targetsFixture = "projects/authoring-targets"

/// Sqitch 1.6 bans `[` and `]` in names and says so in its rule text (fact sheet §12.1).
private let bracketRule = ParityDeviation.replacing(##""#", "\", or blanks"##,
                                                    with: ##""#", "\", "[", "]", or blanks"##)
private let bracketTagRule = ParityDeviation.replacing(##""#", "/", "\", or blanks"##,
                                                       with: ##""#", "/", "\", "[", "]", or blanks"##)

/// Errors raised while the command is configured: Sqitch exits 255 with a Perl trace.
private let configureError: [ParityDeviation] = [.exitCode(2), .stderrFirstLine]
private let configureReason = "DIFFERENCES: errors before a command runs exit 2 without a Perl stack trace"
private func configureStep(_ arguments: [String]) -> ParityStep {
    ParityStep(arguments, deviations: configureError, reason: configureReason)
}

private func step(_ arguments: [String]) -> ParityStep { ParityStep(arguments) }

let authoringScenarios: [ParityScenario] = [
    // add
    ParityScenario("add: a first change", files: emptyProject, steps: [step(["add", "users", "-n", "Users."])]),
    ParityScenario("add: requires, conflicts and notes", fixture: fixture, steps: [
        step(["add", "gadgets", "-r", "users", "-r", "flipr:widgets", "-r", "other:thing", "-x", "legacy",
              "-n", "First\\nline", "-m", "Second paragraph", "--note", "  third  "]),
    ]),
    ParityScenario("add: duplicate requires kept once", fixture: fixture, steps: [
        step(["add", "gadgets", "-r", "users", "-r", "users", "-n", "x"]),
    ]),
    ParityScenario("add: --change names the change", fixture: fixture, steps: [
        step(["add", "--change", "gadgets", "-n", "x"]), step(["add", "-c", "more", "-n", "y"]),
        step(["add", "--change-name", "evenmore", "-n", "z"]),
    ]),
    ParityScenario("add: no name is a usage error", fixture: fixture, steps: [step(["add"]), step(["add", "-n", "x"])]),
    ParityScenario("add: an unknown option", fixture: fixture, steps: [step(["add", "--bogus", "x"])]),
    ParityScenario("add: duplicate change", fixture: fixture, steps: [step(["add", "users", "-n", "x"])]),
    ParityScenario("add: requires an unknown change", fixture: fixture, steps: [
        step(["add", "gadgets", "-r", "nope", "-n", "x"]), step(["add", "gadgets", "-r", "flipr:nope", "-n", "x"]),
        step(["add", "gadgets", "-x", "nope", "-n", "x"]),
    ]),
    ParityScenario("add: requires a tagged change", fixture: fixture, steps: [
        step(["add", "gadgets", "-r", "users@v1.0", "-n", "x"]), step(["add", "more", "-r", "users@nope", "-n", "x"]),
    ]),
    ParityScenario("add: an invalid dependency", fixture: fixture, steps: [step(["add", "gadgets", "-r", "foo bar", "-n", "x"])]),
    ParityScenario("add: a name that identifies a target", fixture: fixture, steps: [
        step(["add", "db:sqlite:"]), step(["add", "sqlite"]),
    ]),
    ParityScenario("add: invalid names", fixture: fixture, steps: [
        ParityStep(["add", "foo~1", "-n", "x"], deviations: [bracketRule], reason: "fact sheet §12.1"),
        ParityStep(["add", "-c", "bad name", "-n", "x"], deviations: [bracketRule], reason: "fact sheet §12.1"),
        ParityStep(["add", "-c", "-foo", "-n", "x"], deviations: [bracketRule], reason: "fact sheet §12.1"),
        ParityStep(["add", "foo:bar", "-n", "x"], deviations: [bracketRule], reason: "fact sheet §12.1"),
        step(["add", "HEAD", "-n", "x"]), step(["add", "ROOT", "-n", "x"]),
        step(["add", "0123456789abcdef0123456789abcdef01234567", "-n", "x"]),
    ]),
    ParityScenario("add: a change in a subdirectory", fixture: fixture, steps: [step(["add", "schema/gadgets", "-n", "x"])]),
    ParityScenario("add: after a tagged change a blank line", files: emptyProject, steps: [
        step(["add", "a", "-n", "x"]), step(["tag", "v1", "-n", "t"]), step(["add", "b", "-n", "y"]),
    ]),
    ParityScenario("add: existing scripts are skipped", fixture: fixture,
                   files: ["deploy/gadgets.sql": "-- mine\n"], steps: [step(["add", "gadgets", "-n", "x"])]),
    ParityScenario("add: --without and --with", fixture: fixture, steps: [
        step(["add", "gadgets", "--without", "verify", "-n", "x"]),
        step(["add", "more", "--without", "deploy", "--without", "revert", "-n", "x"]),
        step(["add", "extra", "--with", "test", "-n", "x"]),
    ]),
    ParityScenario("add: template directory with an extra script type", fixture: fixture, files: [
        "tmpl/deploy/sqlite.tmpl": "deploy [% change %] [% project %] [% engine %]\n",
        "tmpl/revert/sqlite.tmpl": "revert [% change %]\n",
        "tmpl/verify/sqlite.tmpl": "verify [% change %]\n",
        "tmpl/test/sqlite.tmpl": "test [% change %][% FOREACH r IN requires %] [% r %][% END %]\n",
    ], steps: [
        step(["add", "gadgets", "--template-directory", "tmpl", "-r", "users", "-n", "x"]),
        step(["add", "more", "--template-directory", "tmpl", "--without", "test", "-n", "x"]),
    ]),
    ParityScenario("add: template directory errors", fixture: fixture, files: ["afile": "x\n"], steps: [
        configureStep(["add", "gadgets", "--template-directory", "nope", "-n", "x"]),
        configureStep(["add", "gadgets", "--template-directory", "afile", "-n", "x"]),
    ]),
    ParityScenario("add: --template names the templates", fixture: fixture, files: [
        "tmpl/deploy/mine.tmpl": "mine deploy [% change %]\n", "tmpl/revert/mine.tmpl": "mine revert\n",
        "tmpl/verify/mine.tmpl": "mine verify\n",
    ], steps: [
        step(["add", "gadgets", "--template-directory", "tmpl", "-t", "mine", "-n", "x"]),
        step(["add", "more", "--template", "nonexistent", "-n", "x"]),
    ]),
    ParityScenario("add: --use and -s", fixture: fixture, files: [
        "d.tmpl": "deploy [% change %] [% who %] [% FOREACH x IN many %]<[% x %]>[% END %]\n",
    ], steps: [
        step(["add", "gadgets", "--use", "deploy=d.tmpl", "-s", "who=me", "-s", "many=1", "-s", "many=2", "-n", "x"]),
        configureStep(["add", "more", "--use", "deploy=nope.tmpl", "-n", "x"]),
        configureStep(["add", "more", "--use", "deploy=tmpl", "-n", "x"]),
    ]),
    ParityScenario("add: add.variables and add.template_name", fixture: fixture, files: [
        "sqitch.conf": "[core]\n\tengine = sqlite\n[add]\n\ttemplate_name = mine\n\ttemplate_directory = tmpl\n[add \"variables\"]\n\twho = config\n",
        "tmpl/deploy/mine.tmpl": "d [% who %]\n", "tmpl/revert/mine.tmpl": "r [% who %]\n",
        "tmpl/verify/mine.tmpl": "v [% who %]\n",
    ], steps: [step(["add", "gadgets", "-n", "x"]), step(["add", "more", "-s", "who=cli", "-n", "x"])]),
    ParityScenario("add: the note editor", fixture: fixture, files: withEditor([:]), steps: [
        step(["add", "gadgets", "-r", "users", "-x", "widgets"]),
    ]),
    ParityScenario("add: an empty note aborts", fixture: fixture, files: withEditor([:], note: "# only a comment"), steps: [
        step(["add", "gadgets"]), step(["add", "gadgets", "-n", "  "]),
    ]),
    ParityScenario("add: --open-editor and add.open_editor", fixture: fixture,
                   files: ["sqitch.conf": "[core]\n\tengine = sqlite\n\teditor = true\n"], steps: [
        step(["add", "gadgets", "-e", "-n", "x"]), step(["add", "more", "--edit", "--no-edit", "-n", "x"]),
        step(["config", "add.open_editor", "true"]), step(["add", "evenmore", "-n", "x"]),
        step(["add", "last", "--no-open-editor", "-n", "x"]),
    ]),
    ParityScenario("add: --plan-file and --top-dir", fixture: fixture, files: [
        "other.plan": "%syntax-version=1.0.0\n%project=other\n\n",
    ], steps: [
        step(["add", "gadgets", "-f", "other.plan", "-n", "x"]),
        step(["add", "more", "--plan-file", "other.plan", "-r", "gadgets", "-n", "x"]),
        step(["add", "topped", "--top-dir", "top", "-f", "other.plan", "-n", "x"]),
    ]),
    ParityScenario("add: a missing plan file", fixture: fixture, steps: [step(["add", "gadgets", "-f", "nope.plan", "-n", "x"])]),
    ParityScenario("add: several targets", fixture: targetsFixture, steps: [
        step(["add", "gadgets", "-n", "x"]),
        step(["add", "more", "dev", "-n", "x"]),
        step(["add", "evenmore", "prod", "dev", "-n", "x"]),
        step(["add", "last", "--no-all", "-n", "x"]),
    ]),
    ParityScenario("add: --all and a target", fixture: targetsFixture, steps: [step(["add", "gadgets", "--all", "dev", "-n", "x"])]),
    ParityScenario("add: unknown argument", fixture: fixture, steps: [step(["add", "gadgets", "nope", "-n", "x"])]),
    ParityScenario("add: double extension", fixture: fixture, steps: [
        ParityStep(["add", "x.sql", "-n", "x"],
                   deviations: [.stderr("warning: File deploy/x.sql.sql has a double extension of sql\n"
                                        + "warning: File revert/x.sql.sql has a double extension of sql\n"
                                        + "warning: File verify/x.sql.sql has a double extension of sql\n")],
                   reason: "fact sheet §12.12: Sqitch 1.6 warns about double extensions"),
    ]),
    ParityScenario("add: quiet", fixture: fixture, steps: [step(["--quiet", "add", "gadgets", "-n", "x"])]),

    ParityScenario("add: debug output", fixture: fixture, steps: [step(["add", "schema/gadgets", "-vv", "-n", "x"])]),
    ParityScenario("add: an engine or URI argument picks the target", fixture: fixture, steps: [
        step(["add", "gadgets", "sqlite", "-n", "x"]), step(["add", "more", "db:sqlite:other.db", "-n", "x"]),
    ]),
    ParityScenario("add: notes with escapes", fixture: fixture, steps: [
        step(["add", "gadgets", "-n", "back\\\\slash\\r\\nand more"]), step(["add", "more", "-n", "  ", "-n", "x"]),
    ]),
    ParityScenario("add: nothing written when a later plan fails", fixture: targetsFixture, files: [
        "prod/prod.plan": "%syntax-version=1.0.0\n%project=flipr\n\ngadgets 2026-01-02T03:04:05Z M <m@x.org>\n",
    ], steps: [step(["add", "gadgets", "-n", "x"]), step(["add", "gadgets", "dev", "prod", "-n", "x"])]),
    ParityScenario("add: configured directories and extension", files: [
        "sqitch.conf": "[core]\n\tengine = sqlite\n\ttop_dir = db\n\textension = ddl\n\tdeploy_dir = db/up\n",
        "db/sqitch.plan": "%syntax-version=1.0.0\n%project=flipr\n\n",
    ], steps: [step(["add", "gadgets", "-n", "x"])]),

    // tag
    ParityScenario("tag: the last change", fixture: fixture, steps: [
        step(["tag", "v2.0", "-n", "Second release."]), step(["tag"]),
    ]),
    ParityScenario("tag: a named change, with @", fixture: fixture, steps: [
        step(["tag", "@beta", "users", "-n", "x"]), step(["tag", "gamma", "users", "-n", "y"]), step(["tag"]),
    ]),
    ParityScenario("tag: --tag and --change", fixture: fixture, steps: [
        step(["tag", "--tag", "v2", "--change", "users", "-m", "x"]),
        step(["tag", "-t", "v3", "-c", "widgets", "-n", "a", "-n", "b\\\\c"]),
        step(["tag", "--tag-name", "v4", "--change-name", "widgets", "-n", "x"]),
    ]),
    ParityScenario("tag: errors", fixture: fixture, steps: [
        step(["tag", "v1.0", "-n", "x"]), step(["tag", "@v1.0", "-n", "x"]),
        step(["tag", "v2", "nope", "-n", "x"]),
        ParityStep(["tag", "a/b", "-n", "x"], deviations: [bracketTagRule], reason: "fact sheet §12.1"),
        step(["tag", "HEAD", "-n", "x"]),
        step(["tag", "db:sqlite:"]),
    ]),
    ParityScenario("tag: an empty plan", files: emptyProject, steps: [step(["tag", "v1", "-n", "x"]), step(["tag"])]),
    ParityScenario("tag: the note editor", fixture: fixture, files: withEditor([:]), steps: [step(["tag", "v2"])]),
    ParityScenario("tag: an empty note aborts", fixture: fixture, files: withEditor([:], note: "  # nothing"),
                   steps: [step(["tag", "v2"])]),
    ParityScenario("tag: several plans", fixture: targetsFixture, steps: [
        step(["tag", "v2", "--all", "-n", "x"]), step(["tag", "v3", "users", "prod", "-n", "y"]), step(["tag", "--all"]),
    ]),
    ParityScenario("tag: an unknown option", fixture: fixture, steps: [step(["tag", "--bogus"])]),

    ParityScenario("tag: change references", fixture: fixture, steps: [
        step(["tag", "v2", "users@v1.0", "-n", "x"]), step(["tag", "v3", "@HEAD^", "-n", "x"]),
        step(["tag", "v4", "HEAD", "-n", "x"]), step(["tag", "v5", "users@nope", "-n", "x"]),
    ]),
    ParityScenario("tag: tag.all", fixture: targetsFixture,
                   files: ["sqitch.conf": "[core]\n\tengine = sqlite\n[target \"prod\"]\n\turi = db:pg:prod\n\ttop_dir = prod\n\tplan_file = prod/prod.plan\n[tag]\n\tall = true\n"],
                   steps: [step(["tag", "v2", "-n", "x"]), step(["tag"])]),

    // rework
    ParityScenario("rework: a tagged change", fixture: fixture, steps: [step(["rework", "users", "-n", "Reworked."])]),
    ParityScenario("rework: requires, conflicts and --change", fixture: fixture, steps: [
        step(["rework", "--change", "users", "-r", "widgets", "-x", "legacy", "-n", "x"]),
    ]),
    ParityScenario("rework: twice", fixture: fixture, steps: [
        step(["rework", "users", "-n", "x"]), step(["tag", "v2.0", "-n", "x"]), step(["rework", "users", "-n", "y"]),
        step(["add", "users", "-n", "z"]),
    ]),
    ParityScenario("rework: errors", fixture: fixture, steps: [
        step(["rework", "nope", "-n", "x"]), step(["rework", "widgets", "-n", "x"]),
        step(["rework", "users", "-r", "nope", "-n", "x"]), step(["rework"]), step(["rework", "--bogus"]),
    ]),
    ParityScenario("rework: only a deploy script", files: emptyProject.merging([
        "deploy/a.sql": "-- a\n",
        "sqitch.plan": "%syntax-version=1.0.0\n%project=flipr\n\na 2026-01-02T03:04:05Z M <m@x.org>\n@t 2026-01-02T03:04:05Z M <m@x.org>\n",
    ]) { $1 }, steps: [step(["rework", "a", "-n", "x"])]),
    ParityScenario("rework: no scripts", files: emptyProject.merging([
        "sqitch.plan": "%syntax-version=1.0.0\n%project=flipr\n\na 2026-01-02T03:04:05Z M <m@x.org>\n@t 2026-01-02T03:04:05Z M <m@x.org>\n",
    ]) { $1 }, steps: [step(["rework", "a", "-n", "x"])]),
    ParityScenario("rework: a change in a subdirectory", files: emptyProject, steps: [
        step(["add", "s/a", "-n", "x"]), step(["tag", "t", "-n", "x"]), step(["rework", "s/a", "-n", "x"]),
    ]),
    ParityScenario("rework: the note editor", fixture: fixture, files: withEditor([:]), steps: [step(["rework", "users"])]),
    ParityScenario("rework: an empty note aborts", fixture: fixture, files: withEditor([:], note: "#"),
                   steps: [step(["rework", "users"])]),
    ParityScenario("rework: --open-editor", fixture: fixture,
                   files: ["sqitch.conf": "[core]\n\tengine = sqlite\n\teditor = true\n[rework]\n\topen_editor = true\n"],
                   steps: [step(["rework", "users", "-n", "x"])]),
    ParityScenario("rework: debug output", fixture: fixture, steps: [step(["rework", "users", "-vv", "-n", "x"])]),
    ParityScenario("rework: two tags on the last tagged change", fixture: fixture, steps: [
        step(["tag", "v1.1", "users", "-n", "x"]), step(["tag", "v2", "-n", "x"]), step(["tag", "v2.1", "-n", "x"]),
        step(["rework", "users", "-n", "x"]), step(["rework", "widgets", "-n", "y"]),
    ]),
    ParityScenario("rework: a reworked directory", fixture: fixture, files: [
        // Sqitch 1.3.1 does not create missing reworked directories (1.4 does, and so does
        // sqlitch: see ReworkTests); here they exist.
        "sqitch.conf": "[core]\n\tengine = sqlite\n\treworked_dir = old\n",
        "old/deploy/.keep": "", "old/revert/.keep": "", "old/verify/.keep": "",
    ], steps: [step(["rework", "users", "-n", "x"])]),
    ParityScenario("rework: targets sharing a plan", fixture: fixture, files: [
        "sqitch.conf": "[core]\n\tengine = sqlite\n[target \"other\"]\n\turi = db:sqlite:o.db\n\tdeploy_dir = odeploy\n",
    ], steps: [step(["rework", "users", "db:sqlite:", "other", "-n", "x"])]),
    ParityScenario("rework: several plans", fixture: targetsFixture, steps: [
        step(["rework", "users", "--all", "-n", "x"]),
    ]),
]

@Suite("Parity with sqitch: add, tag, rework", .enabled(if: ParityHarness.shouldRun))
struct AuthoringParityTests {
    @Test(arguments: authoringScenarios)
    func scenario(_ scenario: ParityScenario) async throws { try await expectParity(scenario) }
}
