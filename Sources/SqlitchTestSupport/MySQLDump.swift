import Foundation

/// Comparable text for MySQL databases written by a parity scenario, the counterpart of
/// `PostgresDump` (a MySQL database is what PostgreSQL calls a schema).
///
/// Each database dumps as `-- database NAME CHARACTER SET ... COLLATE ...` (or
/// `-- database NAME (absent)`), then each table by name with its engine, collation and
/// comment, its columns (type, NOT NULL, default, extra, collation when not the table's,
/// comment) and its rows, then its other objects by kind and name: check constraints,
/// events, foreign keys (with their columns, references and rules), functions and
/// procedures (name only), indexes (with uniqueness, type and columns), sequences,
/// triggers (with table, timing and event) and views.
///
/// A Sqitch registry (a database with a `changes` table) dumps its tables' rows in a fixed
/// order (releases by version, projects by creation, changes, tags and events by commit
/// time, dependencies by their change's commit time), with the times Sqitch stamps itself
/// (`installed_at`, `created_at`, `committed_at`) replaced by `<NOW>`, and `planned_at` as
/// UTC text, or `<RECENT>` when within two days of now (planned during the scenario), as
/// `DatabaseDump` and `PostgresDump` do; its comments are replaced by `<comment>` (they are
/// sqlitch's own words). Rows of other tables are ordered by all their columns. Numbers show
/// unquoted, binary strings as `X'hex'`, everything else as a quoted literal (`'` doubled);
/// NULL as `NULL`. Times are read in UTC.
public enum MySQLDump {
    /// The first line of a dump.
    public static let marker = "-- mysql database dump\n"

    /// True when `data` is a dump made by `dump(databases:server:)`.
    public static func isDump(_ data: Data) -> Bool {
        data.starts(with: Data(marker.utf8))
    }

    /// The registry tables with their row order (over the table aliased `t`, in database `db`).
    static func registryOrder(_ table: String, database: String) -> String? {
        switch table {
        case "releases": return "t.`version`"
        case "projects": return "t.`created_at`, t.`project`"
        case "changes": return "t.`committed_at`, t.`change`, t.`project`"
        case "tags": return "t.`committed_at`, t.`tag`, t.`project`"
        case "events": return "t.`committed_at`, t.`change`, t.`project`, t.`event`"
        case "dependencies":
            return "(SELECT c.`committed_at` FROM \(database).`changes` c WHERE c.`change_id` = t.`change_id`), "
                + "t.`type`, t.`dependency`"
        default: return nil
        }
    }

    /// The columns of the registry that hold the time of writing.
    static let stampedColumns: Set<String> = ["installed_at", "created_at", "committed_at"]

    static let numericTypes: Set<String> = ["tinyint", "smallint", "mediumint", "int", "integer", "bigint",
                                            "decimal", "numeric", "float", "double", "real", "year"]
    static let binaryTypes: Set<String> = ["binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"]

    /// Between the catalog's fields; each of its records ends with an extra field `\u{1E}`
    /// and a newline, so values may hold newlines.
    static let separator = "\u{1F}"
    static let recordEnd = "\u{1F}\u{1E}\n"

    /// The catalog of the database `db` (a quoted literal): the database (`d`), tables
    /// (`t`), their columns (`c`) and other objects (`o`), one a record.
    static func catalogQuery(_ db: String) -> String {
        func record(_ fields: String...) -> String {
            "CONCAT_WS(CHAR(31), " + fields.joined(separator: ", ") + ", CHAR(30))"
        }
        return """
            SET SESSION group_concat_max_len = 1048576;
            SELECT \(record("'d'", "DEFAULT_CHARACTER_SET_NAME", "DEFAULT_COLLATION_NAME"))
              FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(db);
            SELECT \(record("'t'", "TABLE_NAME", "TABLE_TYPE", "IFNULL(ENGINE, '')", "IFNULL(TABLE_COLLATION, '')",
                            "IFNULL(TABLE_COMMENT, '')"))
              FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(db) ORDER BY TABLE_NAME;
            SELECT \(record("'c'", "c.TABLE_NAME", "c.COLUMN_NAME", "c.COLUMN_TYPE", "c.DATA_TYPE",
                            """
                            CONCAT(IF(c.IS_NULLABLE = 'NO', ' NOT NULL', ''),
                                   IF(c.COLUMN_DEFAULT IS NULL OR c.COLUMN_DEFAULT = 'NULL', '',
                                      CONCAT(' DEFAULT ', c.COLUMN_DEFAULT)),
                                   IF(IFNULL(c.EXTRA, '') = '', '', CONCAT(' ', c.EXTRA)),
                                   IFNULL(CONCAT(' AS (', c.GENERATION_EXPRESSION, ')'), ''),
                                   IF(c.COLLATION_NAME IS NULL OR c.COLLATION_NAME = t.TABLE_COLLATION, '',
                                      CONCAT(' COLLATE ', c.COLLATION_NAME)))
                            """,
                            "IFNULL(c.COLUMN_COMMENT, '')"))
              FROM information_schema.COLUMNS c
              JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
             WHERE c.TABLE_SCHEMA = \(db) AND t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
             ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION;
            SELECT \(record("'o'", "LOWER(TABLE_TYPE)", "TABLE_NAME"))
              FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(db) AND TABLE_TYPE IN ('VIEW', 'SEQUENCE');
            SELECT \(record("'o'", "LOWER(ROUTINE_TYPE)", "ROUTINE_NAME"))
              FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = \(db);
            SELECT \(record("'o'", "'trigger'",
                            "CONCAT(TRIGGER_NAME, ' ON ', EVENT_OBJECT_TABLE, ' ', ACTION_TIMING, ' ', EVENT_MANIPULATION)"))
              FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \(db);
            SELECT \(record("'o'", "'event'", "EVENT_NAME"))
              FROM information_schema.EVENTS WHERE EVENT_SCHEMA = \(db);
            SELECT \(record("'o'", "'index'", """
                            CONCAT(INDEX_NAME, ' ON ', TABLE_NAME, IF(NON_UNIQUE = 0, ' UNIQUE', ''), ' ', INDEX_TYPE, ' (',
                                   GROUP_CONCAT(CONCAT(COLUMN_NAME, IFNULL(CONCAT('(', SUB_PART, ')'), ''),
                                                       IF(COLLATION = 'D', ' DESC', ''))
                                                ORDER BY SEQ_IN_INDEX SEPARATOR ', '), ')')
                            """))
              FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = \(db)
             GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE, INDEX_TYPE;
            SELECT \(record("'o'", "'foreign key'", """
                            CONCAT(r.CONSTRAINT_NAME, ' ON ', r.TABLE_NAME, ' (',
                                   GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR ', '),
                                   ') REFERENCES ',
                                   IF(r.UNIQUE_CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA, '',
                                      CONCAT(r.UNIQUE_CONSTRAINT_SCHEMA, '.')),
                                   r.REFERENCED_TABLE_NAME, ' (',
                                   GROUP_CONCAT(k.REFERENCED_COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR ', '),
                                   ') ON UPDATE ', r.UPDATE_RULE, ' ON DELETE ', r.DELETE_RULE)
                            """))
              FROM information_schema.REFERENTIAL_CONSTRAINTS r
              JOIN information_schema.KEY_COLUMN_USAGE k
                ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA AND k.TABLE_NAME = r.TABLE_NAME
               AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME
             WHERE r.CONSTRAINT_SCHEMA = \(db)
             GROUP BY r.CONSTRAINT_SCHEMA, r.TABLE_NAME, r.CONSTRAINT_NAME, r.UNIQUE_CONSTRAINT_SCHEMA,
                      r.REFERENCED_TABLE_NAME, r.UPDATE_RULE, r.DELETE_RULE;
            SELECT \(record("'o'", "'check'", "CONCAT(k.CONSTRAINT_NAME, ' ON ', k.TABLE_NAME, ': ', k.CHECK_CLAUSE)"))
              FROM information_schema.CHECK_CONSTRAINTS k WHERE k.CONSTRAINT_SCHEMA = \(db);
            """
    }

    struct Column {
        var name: String
        var type: String
        var dataType: String
        var extra: String
        var comment: String
    }

    struct Table {
        var name: String
        var type: String
        var engine: String
        var collation: String
        var comment: String
        var columns: [Column] = []
    }

    /// The dump of `databases` on `server`, one after another.
    public static func dump(databases: [String], server: MySQLServer) throws -> String {
        var out = marker
        for database in databases {
            out += try dump(database: database, server: server)
        }
        return out
    }

    /// The part of a dump for one database.
    static func dump(database: String, server: MySQLServer) throws -> String {
        let catalog = try server.sql(sql: catalogQuery(MySQLServer.literal(database)), raw: true)
        var header: (charset: String, collation: String)?
        var tables: [Table] = []
        var objects: [(kind: String, name: String)] = []
        for line in (catalog + "\n").components(separatedBy: recordEnd) where !line.isEmpty && line != "\n" {
            let fields = line.components(separatedBy: separator)
            switch fields.first {
            case "d" where fields.count == 3:
                header = (fields[1], fields[2])
            case "t" where fields.count == 6:
                if fields[2] == "BASE TABLE" || fields[2] == "SYSTEM VERSIONED" {
                    tables.append(Table(name: fields[1], type: fields[2], engine: fields[3], collation: fields[4],
                                        comment: fields[5]))
                }
            case "c" where fields.count == 7:
                guard let index = tables.firstIndex(where: { $0.name == fields[1] }) else { continue }
                tables[index].columns.append(Column(name: fields[2], type: fields[3], dataType: fields[4].lowercased(),
                                                    extra: fields[5], comment: fields[6]))
            case "o" where fields.count == 3:
                objects.append((fields[1], fields[2]))
            default:
                throw MySQLServerError("unexpected catalog line from \(database): \(line)")
            }
        }
        guard let header else { return "-- database \(database) (absent)\n" }
        let isRegistry = tables.contains { $0.name == "changes" }
        var text = "-- database \(database) CHARACTER SET \(header.charset) COLLATE \(header.collation)"
            + (isRegistry ? " (registry)" : "") + "\n"

        // The registry's comments are sqlitch's own words (docs/DIFFERENCES.md): only which
        // objects have one is compared.
        func comment(_ comment: String) -> String {
            comment.isEmpty ? "" : " COMMENT " + (isRegistry ? "<comment>" : quoted(comment))
        }

        // One script prints the rows of every table: headers are selected as literals between them.
        var script = ""
        func emit(_ line: String) { script += "SELECT \(MySQLServer.literal(line));\n" }
        for table in tables.sorted(by: { $0.name < $1.name }) {
            var line = "-- table \(table.name)"
            if table.type != "BASE TABLE" { line += " (\(table.type.lowercased()))" }
            if !table.engine.isEmpty { line += " ENGINE=\(table.engine)" }
            if !table.collation.isEmpty { line += " COLLATE=\(table.collation)" }
            emit(line + comment(table.comment))
            for column in table.columns {
                emit("--   \(column.name) \(column.type)\(column.extra)\(comment(column.comment))")
            }
            script += rowsQuery(database: database, table: table, registry: isRegistry) + "\n"
        }
        for object in objects.sorted(by: { ($0.kind, $0.name) < ($1.kind, $1.name) }) {
            emit("-- \(object.kind) \(object.name)")
        }
        guard !script.isEmpty else { return text }
        let body = try server.sql(sql: script, raw: true)
        text += body + (body.isEmpty ? "" : "\n")
        return text
    }

    /// `text` as a quoted literal with `'` doubled.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A query printing each row of `table` as `table(column=value, ...)`.
    static func rowsQuery(database: String, table: Table, registry: Bool) -> String {
        let db = MySQLServer.identifier(database)
        let qualified = db + "." + MySQLServer.identifier(table.name)
        func text(_ ref: String) -> String { "CONVERT(CAST(\(ref) AS CHAR) USING utf8mb4)" }
        func quote(_ ref: String) -> String { "CONCAT('''', REPLACE(\(text(ref)), '''', ''''''), '''')" }
        let values = table.columns.map { column -> String in
            let ref = "t." + MySQLServer.identifier(column.name)
            let value: String
            if registry && stampedColumns.contains(column.name) {
                value = "'<NOW>'"
            } else if registry && column.name == "planned_at" && ["datetime", "timestamp"].contains(column.dataType) {
                value = """
                    CASE WHEN ABS(TIMESTAMPDIFF(SECOND, \(ref), UTC_TIMESTAMP(6))) < 172800 THEN '<RECENT>' \
                    ELSE \(quote(ref)) END
                    """
            } else if numericTypes.contains(column.dataType) {
                value = text(ref)
            } else if column.dataType == "bit" {
                value = text("\(ref) + 0")
            } else if binaryTypes.contains(column.dataType) {
                value = "CONCAT('X''', HEX(\(ref)), '''')"
            } else {
                value = quote(ref)
            }
            return "CONCAT(\(MySQLServer.literal(column.name + "=")), CASE WHEN \(ref) IS NULL THEN 'NULL' ELSE \(value) END)"
        }
        let order: String
        if registry, let known = registryOrder(table.name, database: db) {
            order = known
        } else {
            order = table.columns.map { column in
                let ref = "t." + MySQLServer.identifier(column.name)
                if numericTypes.contains(column.dataType) || binaryTypes.contains(column.dataType)
                    || ["bit", "date", "datetime", "timestamp", "time"].contains(column.dataType) {
                    return ref
                }
                return "\(text(ref)) COLLATE utf8mb4_bin"
            }.joined(separator: ", ")
        }
        let list = values.isEmpty ? "''" : "CONCAT_WS(', ', \(values.joined(separator: ", ")))"
        return "SELECT CONCAT(\(MySQLServer.literal(table.name + "(")), \(list), ')') FROM \(qualified) t"
            + (order.isEmpty ? "" : " ORDER BY \(order)") + ";"
    }
}
