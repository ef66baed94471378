/// The options each Sqitch command accepts, as Getopt::Long specifications (Sqitch 1.6's
/// option tables, including those its command roles add). The command line is read against
/// these first, so abbreviations, bundling and Getopt's error messages behave as in Sqitch.
public enum CommandOptions {
    /// The core options, accepted anywhere on the line.
    public static let core = [
        "chdir|cd|C=s", "etc-path", "no-pager", "quiet", "verbose|V|v+", "help", "man", "version",
    ]

    /// Options of commands that read a project's plan (ContextCommand).
    static let context = ["plan-file|f=s", "top-dir=s"]
    /// Options of commands that connect to a database (ConnectingCommand).
    static let connecting = [
        "registry=s", "client|db-client=s", "db-name|d=s", "db-user|db-username|u=s", "db-host|h=s",
        "db-port|p=i",
    ]
    /// Options of commands that revert and then deploy (RevertDeployCommand).
    static let revertDeploy = [
        "target|t=s", "mode=s", "verify!", "set|s=s%", "set-deploy|e=s%", "set-revert|r=s%", "log-only",
        "lock-timeout=i", "y",
    ] + context + connecting
    /// Options of commands that write target settings (TargetConfigCommand), after `extras`.
    static func targetConfig(_ extras: [String]) -> [String] {
        extras.map { $0 + "=s" } + [
            "plan-file|f=s", "registry=s", "client=s", "extension=s", "top-dir=s", "dir|d=s%", "set|s=s%",
        ]
    }

    /// Every command's specifications, by command name.
    public static let specs: [String: [String]] = [
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
}
