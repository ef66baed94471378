/// The SQL that creates and upgrades Sqitch's registry in a PostgreSQL database, run through
/// `psql` as Sqitch runs its own schema files: with `--set registry=SCHEMA` (every object is
/// qualified as `:"registry"`) and `--set tableopts=OPTIONS` (appended to each `CREATE TABLE`:
/// empty, or ` DISTRIBUTE BY REPLICATION` on Postgres-XC).
///
/// The database objects are identical to Sqitch's: the same schema, tables, columns in the
/// same order, types, defaults, nullability, keys, foreign keys and check constraints with
/// their names, created by the same statements in the same order, so `pg_dump --schema-only
/// --no-comments` of a registry made here equals one made by Sqitch. Each statement starts on
/// the same line as in Sqitch's files, so `psql` errors (`psql:FILE:13: ERROR: ...`) match
/// too. The `COMMENT ON` statements comment the same objects at the same lines, but their
/// texts are written in our own words.
public enum PostgresRegistrySchema {
    /// Creates a release 1.1 registry (schema `:"registry"` and its tables).
    public static let create = """
        BEGIN;

        SET client_min_messages = warning;
        CREATE SCHEMA IF NOT EXISTS :"registry";

        COMMENT ON SCHEMA :"registry" IS 'Sqitch registry, release 1.1.';

        CREATE TABLE :"registry".releases (
            version         REAL        PRIMARY KEY,
            installed_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            installer_name  TEXT        NOT NULL,
            installer_email TEXT        NOT NULL
        ):tableopts;

        COMMENT ON TABLE  :"registry".releases                 IS 'Registry schema releases installed here.';
        COMMENT ON COLUMN :"registry".releases.version         IS 'Registry release number.';
        COMMENT ON COLUMN :"registry".releases.installed_at    IS 'When this release was installed.';
        COMMENT ON COLUMN :"registry".releases.installer_name  IS 'Who installed this release (name).';
        COMMENT ON COLUMN :"registry".releases.installer_email IS 'Who installed this release (email).';

        CREATE TABLE :"registry".projects (
            project         TEXT        PRIMARY KEY,
            uri             TEXT            NULL UNIQUE,
            created_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            creator_name    TEXT        NOT NULL,
            creator_email   TEXT        NOT NULL
        ):tableopts;

        COMMENT ON TABLE  :"registry".projects                IS 'Projects with changes in this database.';
        COMMENT ON COLUMN :"registry".projects.project        IS 'Project name (key).';
        COMMENT ON COLUMN :"registry".projects.uri            IS 'Project URI, if any.';
        COMMENT ON COLUMN :"registry".projects.created_at     IS 'When the project was registered.';
        COMMENT ON COLUMN :"registry".projects.creator_name   IS 'Who registered the project (name).';
        COMMENT ON COLUMN :"registry".projects.creator_email  IS 'Who registered the project (email).';

        CREATE TABLE :"registry".changes (
            change_id       TEXT        PRIMARY KEY,
            script_hash     TEXT            NULL,
            change          TEXT        NOT NULL,
            project         TEXT        NOT NULL REFERENCES :"registry".projects(project) ON UPDATE CASCADE,
            note            TEXT        NOT NULL DEFAULT '',
            committed_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            committer_name  TEXT        NOT NULL,
            committer_email TEXT        NOT NULL,
            planned_at      TIMESTAMPTZ NOT NULL,
            planner_name    TEXT        NOT NULL,
            planner_email   TEXT        NOT NULL,
            UNIQUE(project, script_hash)
        ):tableopts;

        COMMENT ON TABLE  :"registry".changes                 IS 'Changes deployed now.';
        COMMENT ON COLUMN :"registry".changes.change_id       IS 'Change ID (key).';
        COMMENT ON COLUMN :"registry".changes.script_hash     IS 'SHA-1 of the deploy script.';
        COMMENT ON COLUMN :"registry".changes.change          IS 'Change name.';
        COMMENT ON COLUMN :"registry".changes.project         IS 'Project of the change.';
        COMMENT ON COLUMN :"registry".changes.note            IS 'Change note from the plan.';
        COMMENT ON COLUMN :"registry".changes.committed_at    IS 'When the change was deployed.';
        COMMENT ON COLUMN :"registry".changes.committer_name  IS 'Who deployed the change (name).';
        COMMENT ON COLUMN :"registry".changes.committer_email IS 'Who deployed the change (email).';
        COMMENT ON COLUMN :"registry".changes.planned_at      IS 'When the change was planned.';
        COMMENT ON COLUMN :"registry".changes.planner_name    IS 'Who planned the change (name).';
        COMMENT ON COLUMN :"registry".changes.planner_email   IS 'Who planned the change (email).';

        CREATE TABLE :"registry".tags (
            tag_id          TEXT        PRIMARY KEY,
            tag             TEXT        NOT NULL,
            project         TEXT        NOT NULL REFERENCES :"registry".projects(project) ON UPDATE CASCADE,
            change_id       TEXT        NOT NULL REFERENCES :"registry".changes(change_id) ON UPDATE CASCADE,
            note            TEXT        NOT NULL DEFAULT '',
            committed_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            committer_name  TEXT        NOT NULL,
            committer_email TEXT        NOT NULL,
            planned_at      TIMESTAMPTZ NOT NULL,
            planner_name    TEXT        NOT NULL,
            planner_email   TEXT        NOT NULL,
            UNIQUE(project, tag)
        ):tableopts;

        COMMENT ON TABLE  :"registry".tags                 IS 'Tags deployed now.';
        COMMENT ON COLUMN :"registry".tags.tag_id          IS 'Tag ID (key).';
        COMMENT ON COLUMN :"registry".tags.tag             IS 'Tag name, unique in its project.';
        COMMENT ON COLUMN :"registry".tags.project         IS 'Project of the tag.';
        COMMENT ON COLUMN :"registry".tags.change_id       IS 'ID of the change the tag follows.';
        COMMENT ON COLUMN :"registry".tags.note            IS 'Tag note from the plan.';
        COMMENT ON COLUMN :"registry".tags.committed_at    IS 'When the tag was deployed.';
        COMMENT ON COLUMN :"registry".tags.committer_name  IS 'Who deployed the tag (name).';
        COMMENT ON COLUMN :"registry".tags.committer_email IS 'Who deployed the tag (email).';
        COMMENT ON COLUMN :"registry".tags.planned_at      IS 'When the tag was planned.';
        COMMENT ON COLUMN :"registry".tags.planner_name    IS 'Who planned the tag (name).';
        COMMENT ON COLUMN :"registry".tags.planner_email   IS 'Who planned the tag (email).';

        CREATE TABLE :"registry".dependencies (
            change_id       TEXT        NOT NULL REFERENCES :"registry".changes(change_id) ON UPDATE CASCADE ON DELETE CASCADE,
            type            TEXT        NOT NULL,
            dependency      TEXT        NOT NULL,
            dependency_id   TEXT            NULL REFERENCES :"registry".changes(change_id) ON UPDATE CASCADE CONSTRAINT dependencies_check CHECK (
                    (type = 'require'  AND dependency_id IS NOT NULL)
                 OR (type = 'conflict' AND dependency_id IS NULL)
            ),
            PRIMARY KEY (change_id, dependency)
        ):tableopts;

        COMMENT ON TABLE  :"registry".dependencies               IS 'Requires and conflicts of deployed changes.';
        COMMENT ON COLUMN :"registry".dependencies.change_id     IS 'ID of the change that declares it.';
        COMMENT ON COLUMN :"registry".dependencies.type          IS 'require or conflict.';
        COMMENT ON COLUMN :"registry".dependencies.dependency    IS 'Dependency as written in the plan.';
        COMMENT ON COLUMN :"registry".dependencies.dependency_id IS 'ID of the required change.';

        CREATE TABLE :"registry".events (
            event           TEXT        NOT NULL CONSTRAINT events_event_check CHECK (
                event IN ('deploy', 'revert', 'fail', 'merge')
            ),
            change_id       TEXT        NOT NULL,
            change          TEXT        NOT NULL,
            project         TEXT        NOT NULL REFERENCES :"registry".projects(project) ON UPDATE CASCADE,
            note            TEXT        NOT NULL DEFAULT '',
            requires        TEXT[]      NOT NULL DEFAULT '{}',
            conflicts       TEXT[]      NOT NULL DEFAULT '{}',
            tags            TEXT[]      NOT NULL DEFAULT '{}',
            committed_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            committer_name  TEXT        NOT NULL,
            committer_email TEXT        NOT NULL,
            planned_at      TIMESTAMPTZ NOT NULL,
            planner_name    TEXT        NOT NULL,
            planner_email   TEXT        NOT NULL,
            PRIMARY KEY (change_id, committed_at)
        ):tableopts;

        COMMENT ON TABLE  :"registry".events                 IS 'Log of every deploy, revert, fail and merge.';
        COMMENT ON COLUMN :"registry".events.event           IS 'What happened.';
        COMMENT ON COLUMN :"registry".events.change_id       IS 'ID of the change.';
        COMMENT ON COLUMN :"registry".events.change          IS 'Name of the change.';
        COMMENT ON COLUMN :"registry".events.project         IS 'Project of the change.';
        COMMENT ON COLUMN :"registry".events.note            IS 'Change note from the plan.';
        COMMENT ON COLUMN :"registry".events.requires        IS 'Required changes, by name.';
        COMMENT ON COLUMN :"registry".events.conflicts       IS 'Conflicting changes, by name.';
        COMMENT ON COLUMN :"registry".events.tags            IS 'Tags of the change.';
        COMMENT ON COLUMN :"registry".events.committed_at    IS 'When the event happened.';
        COMMENT ON COLUMN :"registry".events.committer_name  IS 'Who caused the event (name).';
        COMMENT ON COLUMN :"registry".events.committer_email IS 'Who caused the event (email).';
        COMMENT ON COLUMN :"registry".events.planned_at      IS 'When the change was planned.';
        COMMENT ON COLUMN :"registry".events.planner_name    IS 'Who planned the change (name).';
        COMMENT ON COLUMN :"registry".events.planner_email   IS 'Who planned the change (email).';

        COMMIT;

        """

    /// Release 1.0, from a registry made before releases were recorded: adds the `releases`
    /// table and `changes.script_hash` (unique, filled with the change ID), and lets events be
    /// merges.
    public static let upgradeTo1_0 = """
        BEGIN;

        SET client_min_messages = warning;

        CREATE TABLE :"registry".releases (
            version         REAL        PRIMARY KEY,
            installed_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            installer_name  TEXT        NOT NULL,
            installer_email TEXT        NOT NULL
        ):tableopts;

        COMMENT ON TABLE  :"registry".releases                 IS 'Registry schema releases installed here.';
        COMMENT ON COLUMN :"registry".releases.version         IS 'Registry release number.';
        COMMENT ON COLUMN :"registry".releases.installed_at    IS 'When this release was installed.';
        COMMENT ON COLUMN :"registry".releases.installer_name  IS 'Who installed this release (name).';
        COMMENT ON COLUMN :"registry".releases.installer_email IS 'Who installed this release (email).';

        -- changes gains script_hash; existing rows get their change ID until the plan refreshes it.
        ALTER TABLE :"registry".changes ADD COLUMN script_hash TEXT NULL UNIQUE;
        UPDATE :"registry".changes SET script_hash = change_id;
        COMMENT ON COLUMN :"registry".changes.script_hash IS 'SHA-1 of the deploy script.';

        -- events may record merges.
        ALTER TABLE :"registry".events DROP CONSTRAINT events_event_check;
        ALTER TABLE :"registry".events ADD  CONSTRAINT events_event_check
              CHECK (event IN ('deploy', 'revert', 'fail', 'merge'));

        COMMENT ON SCHEMA :"registry" IS 'Sqitch registry, release 1.0.';

        COMMIT;

        """

    /// Release 1.1: a script hash is unique per project rather than across the registry.
    public static let upgradeTo1_1 = """
        BEGIN;

        SET client_min_messages = warning;
        ALTER TABLE :"registry".changes DROP CONSTRAINT changes_script_hash_key;
        ALTER TABLE :"registry".changes ADD UNIQUE (project, script_hash);
        COMMENT ON SCHEMA :"registry" IS 'Sqitch registry, release 1.1.';
        COMMIT;

        """

    /// The upgrade scripts Sqitch has for PostgreSQL, oldest first (same `psql` variables as
    /// `create`).
    public static let upgrades: [RegistryUpgrade] = [
        RegistryUpgrade(release: RegistryRelease(1, 0), script: upgradeTo1_0),
        RegistryUpgrade(release: RegistryRelease(1, 1), script: upgradeTo1_1),
    ]
}
