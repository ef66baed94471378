/// The SQL that creates and upgrades Sqitch's registry in a SQLite database, run through the
/// `sqlite3` client as Sqitch runs its own schema files.
///
/// The tables, columns, types, defaults and constraints (with their names) are those of
/// Sqitch's registry release 1.1, statement for statement, so `.schema` of a registry made
/// here differs from one made by Sqitch only in whitespace. Each statement starts on the same
/// line as in Sqitch's files, so client errors (`Parse error near line 26: ...`) match too.
public enum SQLiteRegistrySchema {
    /// Creates a release 1.1 registry in an empty database.
    public static let create = """
        BEGIN;

        CREATE TABLE releases (
          version FLOAT PRIMARY KEY,
          installed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
          installer_name TEXT NOT NULL,
          installer_email TEXT NOT NULL
        );

        CREATE TABLE projects (
          project TEXT PRIMARY KEY,
          uri TEXT NULL UNIQUE,
          created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
          creator_name TEXT NOT NULL,
          creator_email TEXT NOT NULL
        );

        CREATE TABLE changes (
          change_id TEXT PRIMARY KEY,
          script_hash TEXT NULL,
          change TEXT NOT NULL,
          project TEXT NOT NULL REFERENCES projects(project) ON UPDATE CASCADE,
          note TEXT NOT NULL DEFAULT '',
          committed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
          committer_name TEXT NOT NULL,
          committer_email TEXT NOT NULL,
          planned_at DATETIME NOT NULL,
          planner_name TEXT NOT NULL,
          planner_email TEXT NOT NULL,
          UNIQUE(project, script_hash)
        );

        CREATE TABLE tags (
          tag_id TEXT PRIMARY KEY,
          tag TEXT NOT NULL,
          project TEXT NOT NULL REFERENCES projects(project) ON UPDATE CASCADE,
          change_id TEXT NOT NULL REFERENCES changes(change_id) ON UPDATE CASCADE,
          note TEXT NOT NULL DEFAULT '',
          committed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
          committer_name TEXT NOT NULL,
          committer_email TEXT NOT NULL,
          planned_at DATETIME NOT NULL,
          planner_name TEXT NOT NULL,
          planner_email TEXT NOT NULL,
          UNIQUE(project, tag)
        );

        CREATE TABLE dependencies (
          change_id TEXT NOT NULL REFERENCES changes(change_id) ON UPDATE CASCADE ON DELETE CASCADE,
          type TEXT NOT NULL,
          dependency TEXT NOT NULL,
          dependency_id TEXT NULL REFERENCES changes(change_id) ON UPDATE CASCADE
            CONSTRAINT dependencies_check CHECK (
              (type = 'require' AND dependency_id IS NOT NULL)
              OR (type = 'conflict' AND dependency_id IS NULL)
            ),
          PRIMARY KEY (change_id, dependency)
        );
        -- Events outlive their changes, so events.change_id references nothing.
        CREATE TABLE events (
          event TEXT NOT NULL CONSTRAINT events_event_check CHECK (
            event IN ('deploy', 'revert', 'fail', 'merge')
          ),
          change_id TEXT NOT NULL,
          change TEXT NOT NULL,
          project TEXT NOT NULL REFERENCES projects(project) ON UPDATE CASCADE,
          note TEXT NOT NULL DEFAULT '',
          requires TEXT NOT NULL DEFAULT '',
          conflicts TEXT NOT NULL DEFAULT '',
          tags TEXT NOT NULL DEFAULT '',
          committed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
          committer_name TEXT NOT NULL,
          committer_email TEXT NOT NULL,
          planned_at DATETIME NOT NULL,
          planner_name TEXT NOT NULL,
          planner_email TEXT NOT NULL,
          PRIMARY KEY (change_id, committed_at)
        );

        COMMIT;

        """

    /// Release 1.0, from a registry made before releases were recorded: adds the `releases`
    /// table and `changes.script_hash` (unique, filled with the change ID), and lets events be
    /// merges. Tables are rebuilt under new names and renamed into place, as Sqitch does.
    public static let upgradeTo1_0 = """
        BEGIN;

        CREATE TABLE releases (
          version FLOAT PRIMARY KEY,
          installed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
          installer_name TEXT NOT NULL,
          installer_email TEXT NOT NULL
        );

        -- 1. changes gains script_hash.
        CREATE TABLE new_changes (
          change_id TEXT PRIMARY KEY,
          script_hash TEXT NULL UNIQUE,
          change TEXT NOT NULL,
          project TEXT NOT NULL REFERENCES projects(project) ON UPDATE CASCADE,
          note TEXT NOT NULL DEFAULT '',
          committed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
          committer_name TEXT NOT NULL,
          committer_email TEXT NOT NULL,
          planned_at DATETIME NOT NULL,
          planner_name TEXT NOT NULL,
          planner_email TEXT NOT NULL
        );

        -- Existing changes get their ID as hash until the plan refreshes it.
        INSERT INTO new_changes
        SELECT change_id, change_id, change, project, note,
          committed_at, committer_name, committer_email,
          planned_at, planner_name, planner_email
        FROM changes;
        PRAGMA foreign_keys = OFF;
        DROP TABLE changes;
        ALTER TABLE new_changes RENAME TO changes;
        PRAGMA foreign_keys = ON;

        -- 2. events may record merges.
        CREATE TABLE new_events (
          event TEXT NOT NULL CHECK (event IN ('deploy', 'revert', 'fail', 'merge')),
          change_id TEXT NOT NULL,
          change TEXT NOT NULL,
          project TEXT NOT NULL REFERENCES projects(project) ON UPDATE CASCADE,
          note TEXT NOT NULL DEFAULT '',
          requires TEXT NOT NULL DEFAULT '',
          conflicts TEXT NOT NULL DEFAULT '',
          tags TEXT NOT NULL DEFAULT '',
          committed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
          committer_name TEXT NOT NULL,
          committer_email TEXT NOT NULL,
          planned_at DATETIME NOT NULL,
          planner_name TEXT NOT NULL,
          planner_email TEXT NOT NULL,
          PRIMARY KEY (change_id, committed_at)
        );

        INSERT INTO new_events
        SELECT * FROM events;
        PRAGMA foreign_keys = OFF;
        DROP TABLE events;
        ALTER TABLE new_events RENAME TO events;
        PRAGMA foreign_keys = ON;

        COMMIT;

        """

    /// Release 1.1: a script hash is unique per project rather than across the registry.
    public static let upgradeTo1_1 = """
        BEGIN;

        -- changes: UNIQUE(script_hash) becomes UNIQUE(project, script_hash).
        CREATE TABLE new_changes (
          change_id TEXT PRIMARY KEY,
          script_hash TEXT NULL,
          change TEXT NOT NULL,
          project TEXT NOT NULL REFERENCES projects(project) ON UPDATE CASCADE,
          note TEXT NOT NULL DEFAULT '',
          committed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
          committer_name TEXT NOT NULL,
          committer_email TEXT NOT NULL,
          planned_at DATETIME NOT NULL,
          planner_name TEXT NOT NULL,
          planner_email TEXT NOT NULL,
          UNIQUE(project, script_hash)
        );

        -- Same columns in the same order.
        INSERT INTO new_changes
        SELECT * FROM changes;
        PRAGMA foreign_keys = OFF;
        DROP TABLE changes;
        ALTER TABLE new_changes RENAME TO changes;
        PRAGMA foreign_keys = ON;

        COMMIT;

        """

    /// The upgrade scripts Sqitch has for SQLite, oldest first.
    public static let upgrades: [RegistryUpgrade] = [
        RegistryUpgrade(release: RegistryRelease(1, 0), script: upgradeTo1_0),
        RegistryUpgrade(release: RegistryRelease(1, 1), script: upgradeTo1_1),
    ]
}
