import Testing
@testable import SqlitchCore

/// Each command's grammar accepts exactly what Sqitch 1.6's Getopt::Long specifications accept
/// (its option tables, with those its command roles add), and its declarations are sound.
@Suite struct CommandGrammarTests {
    /// Sqitch's specifications, by command (copied from its sources' option specs as data).
    static let sqitchSpecs: [String: [String]] = {
        let context = ["plan-file|f=s", "top-dir=s"]
        let connecting = [
            "registry=s", "client|db-client=s", "db-name|d=s", "db-user|db-username|u=s", "db-host|h=s", "db-port|p=i",
        ]
        let revertDeploy = [
            "target|t=s", "mode=s", "verify!", "set|s=s%", "set-deploy|e=s%", "set-revert|r=s%", "log-only",
            "lock-timeout=i", "y",
        ] + context + connecting
        func targetConfig(_ extras: [String]) -> [String] {
            extras.map { $0 + "=s" } + [
                "plan-file|f=s", "registry=s", "client=s", "extension=s", "top-dir=s", "dir|d=s%", "set|s=s%",
            ]
        }
        return [
            "add": [
                "change-name|change|c=s", "requires|r=s@", "conflicts|x=s@", "note|n|m=s@", "all|a!",
                "template-name|template|t=s", "template-directory=s", "with=s@", "without=s@", "use=s%",
                "open-editor|edit|e!", "set|s=s%",
            ] + context,
            "bundle": ["dest-dir|dir=s", "all|a!", "from=s", "to=s"] + context,
            "check": ["target|t=s", "from-change|from=s", "to-change|to=s", "set|s=s%"] + context + connecting,
            "checkout": revertDeploy,
            "config": [
                "file|config-file|f=s", "local", "user|global", "system", "int", "bool", "bool-or-int", "num",
                "get", "get-all", "get-regex|get-regexp", "add", "replace-all", "unset", "unset-all",
                "rename-section", "remove-section", "list|l", "edit|e",
            ],
            "deploy": [
                "target|t=s", "to-change|to|change=s", "mode=s", "set|s=s%", "log-only", "lock-timeout=i", "verify!",
            ] + context + connecting,
            "engine": targetConfig(["target"]),
            "help": ["guide|g"],
            "init": targetConfig(["uri", "engine", "target"]),
            "log": [
                "event=s@", "target|t=s", "change-pattern|change=s", "project-pattern|project=s",
                "committer-pattern|committer=s", "format|f=s", "date-format|date=s", "max-count|n=i", "skip=i",
                "reverse!", "color=s", "no-color", "abbrev=i", "oneline", "headers!",
            ] + connecting,
            "plan": [
                "event=s", "target|t=s", "change-pattern|change=s", "planner-pattern|planner=s", "format|f=s",
                "date-format|date=s", "max-count|n=i", "skip=i", "reverse!", "color=s", "no-color", "abbrev=i",
                "oneline", "headers!",
            ],
            "rebase": ["onto-change|onto=s", "upto-change|upto=s", "modified|m"] + revertDeploy,
            "revert": [
                "target|t=s", "to-change|to|change=s", "set|s=s%", "log-only", "lock-timeout=i", "modified|m", "y",
            ] + context + connecting,
            "rework": [
                "change-name|change|c=s", "requires|r=s@", "conflicts|x=s@", "all|a!", "note|n|m=s@",
                "open-editor|edit|e!",
            ] + context,
            "show": ["target|t=s", "exists|e!"] + context,
            "status": ["project=s", "target|t=s", "show-tags", "show-changes", "date-format|date=s"]
                + context + connecting,
            "tag": ["tag-name|tag|t=s", "change-name|change|c=s", "all|a!", "note|n|m=s@"] + context,
            "target": targetConfig(["uri"]),
            "upgrade": ["target|t=s"] + connecting,
            "verify": ["target|t=s", "from-change|from=s", "to-change|to=s", "set|s=s%"] + context + connecting,
        ]
    }()

    /// Options sqlitch adds to Sqitch's (docs/DIFFERENCES.md): JSON output and dry runs.
    static let sqlitchAdditions: [String: [String]] = [
        "check": ["format=s", "json"],
        "checkout": ["dry-run", "format=s", "json"],
        "deploy": ["dry-run", "format=s", "json"],
        "engine": ["format=s", "json"],
        "rebase": ["dry-run", "format=s", "json"],
        "revert": ["dry-run", "format=s", "json"],
        "log": ["json"],
        "plan": ["json"],
        "show": ["format=s", "json"],
        "status": ["format=s", "json"],
        "target": ["format=s", "json"],
        "verify": ["format=s", "json"],
    ]

    /// An option as a set of names and a kind, whatever the order of its names.
    struct Accepted: Hashable {
        let names: Set<String>
        let kind: String
    }

    static func accepted(_ option: Getopt.Option) -> Accepted {
        Accepted(names: Set(option.names), kind: "\(option.kind)")
    }

    @Test(arguments: CommandCatalog.names.filter { !CommandCatalog.sqlitchOnly.contains($0) })
    func acceptsWhatSqitchAccepts(_ name: String) throws {
        let command = try #require(CommandCatalog.command(named: name))
        let specs = try #require(Self.sqitchSpecs[name], "no Sqitch specification for \(name)")
            + Self.sqlitchAdditions[name, default: []]
        let ours = command.allOptions.filter { !$0.parsedByCore }.map { Getopt.Option(names: $0.names, kind: $0.kind) }
        #expect(Set(ours.map(Self.accepted)) == Set(Getopt(specs).options.map(Self.accepted)))
        #expect(ours.count == specs.count)
    }

    @Test func everyCommandIsDeclared() {
        #expect(CommandCatalog.names.filter { !CommandCatalog.sqlitchOnly.contains($0) } == Self.sqitchSpecs.keys.sorted())
        #expect(CommandCatalog.names == HelpDocuments.commandNames)
    }

    @Test(arguments: CommandCatalog.names)
    func namesAreUniqueAndDescribed(_ name: String) throws {
        let options = try #require(CommandCatalog.command(named: name)).allOptions
        let names = options.flatMap(\.names)
        #expect(Set(names).count == names.count, "a name used twice in \(name)")
        for option in options {
            #expect(!option.summary.isEmpty, "\(name) \(option.names)")
            #expect(option.takesValue == !option.placeholder.isEmpty, "\(name) \(option.names)")
        }
    }

    /// The values land in the typed options, the last one winning where Getopt::Long keeps one.
    @Test func valuesLandInTheTypedOptions() throws {
        let (deploy, arguments) = try DeployOptions.grammar.parse(
            ["--to", "a", "db:sqlite:x", "--no-verify", "--verify", "-s", "k=1", "--set=k=2", "--log",
             "--lock-timeout", "0", "-p5432", "--", "-x"],
            into: DeployOptions())
        #expect(deploy.toChange == "a")
        #expect(deploy.verify == true)
        #expect(KeyValue.lastWins(deploy.variables).map { "\($0.name)=\($0.value)" } == ["k=2"])
        #expect(deploy.logOnly)
        #expect(deploy.lockTimeout == 0)
        #expect(deploy.connection.dbPort == "5432")
        #expect(arguments == ["db:sqlite:x", "-x"])

        let (config, _) = try ConfigAction.Options.grammar.parse(["--get", "--get", "--bool"], into: .init())
        #expect(config.actions == [.get])
        #expect(config.types == [.bool])

        let (add, _) = try AddAction.Options.grammar.parse(
            ["--with", "verify", "--without", "verify", "--use", "deploy=d.tmpl", "-s", "a=b", "--no-edit", "-a"],
            into: .init())
        #expect(add.templates.with == ["verify": false])
        // `--without` wins whatever the order, as in Sqitch.
        let (reversed, _) = try AddAction.Options.grammar.parse(
            ["--without", "revert", "--with", "revert", "--with", "deploy"], into: .init())
        #expect(reversed.templates.with == ["revert": false, "deploy": true])
        #expect(add.templates.use.map { "\($0.type)=\($0.path)" } == ["deploy=d.tmpl"])
        #expect(add.templates.set.map { "\($0.key)=\($0.value)" } == ["a=b"])
        #expect(add.openEditor == false)
        #expect(add.all == true)
    }

    @Test func getoptComplaintsAreOneUsageError() {
        #expect(throws: UsageError("Unknown option: bogus\nValue \"x\" invalid for option n (number expected)")) {
            _ = try LogAction.Options.grammar.parse(["--bogus", "-n", "x"], into: .init())
        }
    }

    @Test func coreOptionsAreShownNotRead() throws {
        let target = try #require(CommandCatalog.command(named: "target"))
        #expect(target.allOptions.contains { $0.parsedByCore && $0.names.contains("verbose") })
        #expect(throws: UsageError("Unknown option: v")) {
            _ = try TargetOptions.grammar.parse(["-v"], into: .init())
        }
    }
}
