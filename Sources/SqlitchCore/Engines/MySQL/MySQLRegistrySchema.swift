/// The SQL that creates and upgrades Sqitch's registry in a MySQL or MariaDB database, run
/// through the `mysql` client against the registry database as Sqitch runs its own schema
/// files (after `adapted(_:serverVersion:fractionalSeconds:)` for older servers).
///
/// The database objects are identical to Sqitch's: the same tables, columns in the same order
/// with the same types (`DATETIME(6)`, `VARCHAR(40)`, `FLOAT(4, 1)`, the `events.event` ENUM),
/// nullability, primary keys, unique keys and foreign keys (unnamed, so the server names them
/// as it names Sqitch's), `ENGINE InnoDB` and `CHARACTER SET 'utf8'`, the triggers
/// `ck_insert_dependency` and `ck_update_dependency`, created by the same statements in the
/// same order under `SET SESSION sql_mode = ansi`. Each statement starts on the same line as
/// in Sqitch's files, so client errors (`ERROR 1064 (42000) at line 35: ...`) match too.
///
/// Tables and columns carry a `COMMENT` on the same objects as Sqitch's, but the comment
/// texts are written in our own words; `mysqldump --no-data` of a registry made here differs
/// from one made by Sqitch only in those texts. The triggers' error message is kept word for
/// word: it is the error users see when a dependency row is invalid.
public enum MySQLRegistrySchema {
    /// Creates a release 1.1 registry (its tables and, from MySQL 5.5, its triggers) in the
    /// current database; `checkit` is created separately, as Sqitch 1.6 does.
    public static let create = """
        BEGIN;

        SET SESSION sql_mode = ansi;

        CREATE TABLE releases (
            version         FLOAT(4, 1)   PRIMARY KEY
                            COMMENT 'Registry release number.',
            installed_at    DATETIME(6)   NOT NULL
                            COMMENT 'When this release was installed.',
            installer_name  VARCHAR(255)  NOT NULL
                            COMMENT 'Who installed this release (name).',
            installer_email VARCHAR(255)  NOT NULL
                            COMMENT 'Who installed this release (email).'
        ) ENGINE  InnoDB,
          CHARACTER SET 'utf8',
          COMMENT 'Registry releases installed here.'
        ;

        CREATE TABLE projects (
            project         VARCHAR(255) PRIMARY KEY
                            COMMENT 'Project name (key).',
            uri             VARCHAR(255) NULL UNIQUE
                            COMMENT 'Project URI, if any.',
            created_at      DATETIME(6)  NOT NULL
                            COMMENT 'When the project was registered.',
            creator_name    VARCHAR(255) NOT NULL
                            COMMENT 'Who registered the project (name).',
            creator_email   VARCHAR(255) NOT NULL
                            COMMENT 'Who registered the project (email).'
        ) ENGINE  InnoDB,
          CHARACTER SET 'utf8',
          COMMENT 'Projects with changes in this database.'
        ;

        CREATE TABLE changes (
            change_id       VARCHAR(40)  PRIMARY KEY
                            COMMENT 'Change ID (key).',
            script_hash     VARCHAR(40)      NULL
                            COMMENT 'SHA-1 of the deploy script.',
            "change"        VARCHAR(255) NOT NULL
                            COMMENT 'Change name.',
            project         VARCHAR(255) NOT NULL
                            COMMENT 'Project of the change.'
                            REFERENCES projects(project) ON UPDATE CASCADE,
            note            TEXT         NOT NULL
                            COMMENT 'Change note from the plan.',
            committed_at    DATETIME(6)  NOT NULL
                            COMMENT 'When the change was deployed.',
            committer_name  VARCHAR(255) NOT NULL
                            COMMENT 'Who deployed the change (name).',
            committer_email VARCHAR(255) NOT NULL
                            COMMENT 'Who deployed the change (email).',
            planned_at      DATETIME(6)  NOT NULL
                            COMMENT 'When the change was planned.',
            planner_name    VARCHAR(255) NOT NULL
                            COMMENT 'Who planned the change (name).',
            planner_email   VARCHAR(255) NOT NULL
                            COMMENT 'Who planned the change (email).',
            UNIQUE(project, script_hash)
        ) ENGINE  InnoDB,
          CHARACTER SET 'utf8',
          COMMENT 'Changes deployed now.'
        ;

        CREATE TABLE tags (
            tag_id          VARCHAR(40)  PRIMARY KEY
                            COMMENT 'Tag ID (key).',
            tag             VARCHAR(255) NOT NULL
                            COMMENT 'Tag name, unique in its project.',
            project         VARCHAR(255) NOT NULL
                            COMMENT 'Project of the tag.'
                            REFERENCES projects(project) ON UPDATE CASCADE,
            change_id       VARCHAR(40)  NOT NULL
                            COMMENT 'ID of the change the tag follows.'
                            REFERENCES changes(change_id) ON UPDATE CASCADE,
            note            VARCHAR(255) NOT NULL
                            COMMENT 'Tag note from the plan.',
            committed_at    DATETIME(6)  NOT NULL
                            COMMENT 'When the tag was deployed.',
            committer_name  VARCHAR(255) NOT NULL
                            COMMENT 'Who deployed the tag (name).',
            committer_email VARCHAR(255) NOT NULL
                            COMMENT 'Who deployed the tag (email).',
            planned_at      DATETIME(6)  NOT NULL
                            COMMENT 'When the tag was planned.',
            planner_name    VARCHAR(255) NOT NULL
                            COMMENT 'Who planned the tag (name).',
            planner_email   VARCHAR(255) NOT NULL
                            COMMENT 'Who planned the tag (email).',
            UNIQUE(project, tag)
        ) ENGINE  InnoDB,
          CHARACTER SET 'utf8',
          COMMENT 'Tags deployed now.'
        ;

        CREATE TABLE dependencies (
            change_id       VARCHAR(40)  NOT NULL
                            COMMENT 'ID of the change that declares it.'
                            REFERENCES changes(change_id) ON UPDATE CASCADE ON DELETE CASCADE,
            type            VARCHAR(8)   NOT NULL
                            COMMENT 'require or conflict.',
            dependency      VARCHAR(255) NOT NULL
                            COMMENT 'Dependency as written in the plan.',
            dependency_id   VARCHAR(40)      NULL
                            COMMENT 'ID of the required change.'
                            REFERENCES changes(change_id) ON UPDATE CASCADE,
            PRIMARY KEY (change_id, dependency)
        ) ENGINE  InnoDB,
          CHARACTER SET 'utf8',
          COMMENT 'Requires and conflicts of deployed changes.'
        ;

        CREATE TABLE events (
            event           ENUM ('deploy', 'fail', 'merge', 'revert') NOT NULL
                            COMMENT 'What happened.',
            change_id       VARCHAR(40)  NOT NULL
                            COMMENT 'ID of the change.',
            "change"        VARCHAR(255) NOT NULL
                            COMMENT 'Name of the change.',
            project         VARCHAR(255) NOT NULL
                            COMMENT 'Project of the change.'
                            REFERENCES projects(project) ON UPDATE CASCADE,
            note            TEXT         NOT NULL
                            COMMENT 'Change note from the plan.',
            requires        TEXT         NOT NULL
                            COMMENT 'Required changes, by name.',
            conflicts       TEXT         NOT NULL
                            COMMENT 'Conflicting changes, by name.',
            tags            TEXT         NOT NULL
                            COMMENT 'Tags of the change.',
            committed_at    DATETIME(6)  NOT NULL
                            COMMENT 'When the event happened.',
            committer_name  VARCHAR(255) NOT NULL
                            COMMENT 'Who caused the event (name).',
            committer_email VARCHAR(255) NOT NULL
                            COMMENT 'Who caused the event (email).',
            planned_at      DATETIME(6)  NOT NULL
                            COMMENT 'When the change was planned.',
            planner_name    VARCHAR(255) NOT NULL
                            COMMENT 'Who planned the change (name).',
            planner_email   VARCHAR(255) NOT NULL
                            COMMENT 'Who planned the change (email).',
            PRIMARY KEY (change_id, committed_at)
        ) ENGINE  InnoDB,
          CHARACTER SET 'utf8',
          COMMENT 'Log of every deploy, revert, fail and merge.'
        ;

        -- ## BEGIN 5.5
        DELIMITER |

        CREATE TRIGGER ck_insert_dependency BEFORE INSERT ON dependencies
        FOR EACH ROW BEGIN
            IF (NEW.type = 'require' AND NEW.dependency_id IS NULL)
            OR (NEW.type = 'conflict' AND NEW.dependency_id IS NOT NULL)
            THEN
                SIGNAL SQLSTATE 'ERR0R' SET MESSAGE_TEXT = 'Type must be "require" with dependency_id set or "conflict" with dependency_id not set';
            END IF;
        END;
        |

        CREATE TRIGGER ck_update_dependency BEFORE UPDATE ON dependencies
        FOR EACH ROW BEGIN
            IF (NEW.type = 'require'  AND NEW.dependency_id IS NULL)
            OR (NEW.type = 'conflict' AND NEW.dependency_id IS NOT NULL)
            THEN
                SIGNAL SQLSTATE 'ERR0R' SET MESSAGE_TEXT = 'Type must be "require" with dependency_id set or "conflict" with dependency_id not set';
            END IF;
        END;
        |

        DELIMITER ;
        -- ## END 5.5

        COMMIT;

        """

    /// Release 1.0, from a registry made before releases were recorded: adds the `releases`
    /// table (`version FLOAT`, `installed_at TIMESTAMP`, as Sqitch's script has them) and
    /// `changes.script_hash` (unique, filled with the change ID), and lets events be merges.
    public static let upgradeTo1_0 = """
        CREATE TABLE releases (
            version         FLOAT         PRIMARY KEY
                            COMMENT 'Registry release number.',
            installed_at    TIMESTAMP     NOT NULL
                            COMMENT 'When this release was installed.',
            installer_name  VARCHAR(255)  NOT NULL
                            COMMENT 'Who installed this release (name).',
            installer_email VARCHAR(255)  NOT NULL
                            COMMENT 'Who installed this release (email).'
        ) ENGINE  InnoDB,
          CHARACTER SET 'utf8',
          COMMENT 'Registry releases installed here.'
        ;

        -- changes gains script_hash; existing rows get their change ID until the plan refreshes it.
        ALTER TABLE changes ADD COLUMN script_hash VARCHAR(40) NULL UNIQUE AFTER change_id;
        UPDATE changes SET script_hash = change_id;

        -- events may record merges.
        ALTER TABLE events CHANGE event event ENUM ('deploy', 'fail', 'merge', 'revert') NOT NULL;

        """

    /// Release 1.1: a script hash is unique per project rather than across the registry (the
    /// unique key `script_hash` is dropped; the new key gets the server's default name).
    public static let upgradeTo1_1 = """
        DROP INDEX script_hash ON changes;
        ALTER TABLE changes ADD UNIQUE(project, script_hash);

        """

    /// The upgrade scripts Sqitch has for MySQL, oldest first; like `create`, each goes
    /// through `adapted(_:serverVersion:fractionalSeconds:)` before it is run.
    public static let upgrades: [RegistryUpgrade] = [
        RegistryUpgrade(release: RegistryRelease(1, 0), script: upgradeTo1_0),
        RegistryUpgrade(release: RegistryRelease(1, 1), script: upgradeTo1_1),
    ]

    /// The `checkit(doit, message)` function as Sqitch 1.6 creates it right after running
    /// `create` (and before recording the release): from code over the registry connection,
    /// not from the schema file, so this is one statement with no `DELIMITER` (send it whole,
    /// e.g. with `mysql_real_query`; the `mysql` client would split it at its semicolons).
    /// It raises `message` as an error when `doit` is 0 or NULL and returns `doit` otherwise.
    /// Sqitch skips it on servers before 5.5.0 (`serverVersion < 50500`), and when creation
    /// fails with error 1419 (no SUPER privilege while binary logging is on) it only warns
    /// `Insufficient permissions to create the checkit() function; skipping.`.
    ///
    /// The body keeps the indentation of Sqitch's Perl source, because the server stores it
    /// verbatim (`SHOW CREATE FUNCTION` then matches a registry made by Sqitch).
    public static let checkit = """
        CREATE FUNCTION checkit(doit INTEGER, message VARCHAR(256)) RETURNS INTEGER DETERMINISTIC
                    BEGIN
                        IF doit IS NULL OR doit = 0 THEN
                            SIGNAL SQLSTATE 'ERR0R' SET MESSAGE_TEXT = message;
                        END IF;
                        RETURN doit;
                    END;
        """

    /// Edits a registry script (`create` or an upgrade) for the server, as Sqitch's
    /// `_prepare_registry_file` does before `run_upgrade` sources it:
    ///
    /// - With fractional-second support the script is returned unchanged. Sqitch's test for
    ///   it (`_fractional_seconds`): MariaDB (server info matching `/mariadb/i`) from
    ///   `serverVersion >= 50305` (5.3.5), MySQL from `serverVersion >= 50604` (5.6.4).
    /// - Without it, every `DATETIME(n)` (case-sensitive, any digits) becomes `DATETIME`;
    ///   and if also `serverVersion < 50500` (before 5.5.0, so no `SIGNAL` and no triggers of
    ///   this kind), the first block from `-- ## BEGIN 5.5` up to and including the next
    ///   `-- ## END 5.5` (Perl `s/-- ## BEGIN 5[.]5.+?-- ## END 5[.]5//ms`: non-greedy,
    ///   across lines, text around it untouched, newlines included) is removed.
    ///
    /// `serverVersion` is the server version as one number, `major * 10000 + minor * 100 +
    /// patch` (DBD::MariaDB's `mariadb_serverversion`, libmariadb's
    /// `mysql_get_server_version`): 50505 for 5.5.5, 101106 for 10.11.6. A 5.3/5.4 MariaDB,
    /// which has fractional seconds, thus keeps the 5.5 block, as with Sqitch.
    public static func adapted(_ sql: String, serverVersion: Int, fractionalSeconds: Bool) -> String {
        if fractionalSeconds { return sql }
        var result = sql.replacing(try! Regex(#"DATETIME\(\d+\)"#), with: "DATETIME")
        if serverVersion < 50500,
            let block = result.firstMatch(of: try! Regex(#"(?s)-- ## BEGIN 5[.]5.+?-- ## END 5[.]5"#))
        {
            result.removeSubrange(block.range)
        }
        return result
    }
}
