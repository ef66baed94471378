/// A help topic that is not a command: how to name changes, configuration, environment.
struct GuideHelp {
    let name: String
    let summary: String
    let body: String

    /// The page `help <guide>` prints.
    var page: String {
        let indented = body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }
            .joined(separator: "\n")
        return "Name\n    sqlitch\(name == "changes" ? "" : "-")\(name) - \(summary)\n\n\(indented)"
    }

    static let all: [GuideHelp] = [changes, configuration, environment, authentication]

    static let changes = GuideHelp(name: "changes", summary: "How to refer to changes and tags", body: """
    Many commands take a change as an argument. A change may be named by:

      users              its name (the latest version, when reworked)
      @v1.0              a tag: the change the tag is on
      users@v1.0         the version of a change as of a tag
      40-character hex   the change's ID
      proj:users         a change of another project (in requires and conflicts)

    Two symbolic tags always exist: @ROOT, the first change, and @HEAD, the
    last one. A reference may be followed by ^ (one change earlier; ^^ or ^3
    for more) or ~ (one change later; ~~ or ~3 for more): @HEAD^ is the
    change before the last, users~ the change after users.
    """)

    static let configuration = GuideHelp(name: "configuration", summary: "Engines, targets and where settings come from", body: """
    Settings live in three files in Git's configuration format. Each file
    overrides the keys of the ones before it:

      system   sqitch.conf in the directory --etc-path prints ($SQITCH_SYSTEM_CONFIG)
      user     ~/.sqitch/sqitch.conf ($SQITCH_USER_CONFIG)
      project  sqitch.conf, searched from the current directory up ($SQITCH_CONFIG)

    Where a command connects to a database, the settings are looked up on
    the target first, then on the target's engine, then in the core section:
    target.<name>.<key>, engine.<engine>.<key>, core.<key>. A target is a
    database URI such as db:sqlite:flipr.db or db:pg://user@host/flipr,
    optionally with a name of its own ("sqlitch help target").
    """)

    static let environment = GuideHelp(name: "environment", summary: "Environment variables", body: """
    SQITCH_CONFIG          the project configuration file
    SQITCH_USER_CONFIG     the user configuration file
    SQITCH_SYSTEM_CONFIG   the system configuration file
    SQITCH_TARGET          the target to use when none is given
    SQITCH_USERNAME        the database user, overriding the target's
    SQITCH_PASSWORD        the database password, overriding the target's
    SQITCH_FULLNAME        your name, as recorded in plans and registries
    SQITCH_EMAIL           your email address, likewise
    SQITCH_EDITOR          the editor for notes and scripts
    SQITCH_PAGER           the pager for long output

    The database clients' own variables (PGHOST, PGPASSWORD, MYSQL_PWD, ...)
    are honoured by the clients and by sqlitch's connections.
    """)

    static let authentication = GuideHelp(name: "authentication", summary: "Passing credentials to databases", body: """
    A password may come, in order of preference, from $SQITCH_PASSWORD, from
    the target's URI (db:pg://user:secret@host/db), or from the database's
    own mechanisms: ~/.pgpass or $PGPASSWORD for PostgreSQL, option files
    (~/.my.cnf) or $MYSQL_PWD for MySQL. Keeping passwords out of sqitch.conf
    and out of URIs on the command line is safer: prefer the client's files.
    """)
}
