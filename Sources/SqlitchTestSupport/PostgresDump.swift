import Foundation

/// Comparable text for a PostgreSQL database written by a parity scenario, the counterpart
/// of `DatabaseDump` for SQLite files.
///
/// Every schema but the system ones (and `public` when it holds nothing) dumps as
/// `-- schema NAME`, then each table by name with its columns (type, NOT NULL, default,
/// comment) and its rows, then its other objects by name: views, materialized views,
/// sequences, functions and procedures (with their argument types), types, indexes,
/// constraints (with their definitions) and triggers.
///
/// A Sqitch registry (a schema with a `changes` table) dumps its tables' rows in a fixed
/// order (releases by version, projects by creation, changes, tags and events by commit
/// time, dependencies by their change's commit time), with the times Sqitch stamps itself
/// (`installed_at`, `created_at`, `committed_at`) replaced by `<NOW>`, and `planned_at` as
/// UTC text, or `<RECENT>` when within two days of now (planned during the scenario), as
/// `DatabaseDump` does. Rows of other tables are ordered by all their columns. Arrays show
/// in PostgreSQL's text form (`{a,b}`); numbers and booleans unquoted; everything else as a
/// quoted literal; NULL as `NULL`.
public enum PostgresDump {
    /// A table's quoted comment, or the ` COMMENT '...'` at the end of a column's line,
    /// replaced by `<comment>`.
    static func registryComment(_ text: String) -> String {
        if let range = text.range(of: " COMMENT ") { return text[..<range.upperBound] + "<comment>" }
        return text.hasPrefix("'") || text.hasPrefix("E'") ? "<comment>" : text
    }
    /// The first line of a dump.
    public static let marker = "-- postgres database dump\n"

    /// True when `data` is a dump made by `dump(database:server:)`.
    public static func isDump(_ data: Data) -> Bool {
        data.starts(with: Data(marker.utf8))
    }

    /// The registry tables with their row order (over the table aliased `t`, in schema `s`).
    static func registryOrder(_ table: String, schema: String) -> String? {
        switch table {
        case "releases": return "t.version"
        case "projects": return "t.created_at, t.project"
        case "changes", "tags", "events": return "t.committed_at, t.ctid"
        case "dependencies":
            return "(SELECT c.committed_at FROM \(schema).changes c WHERE c.change_id = t.change_id), t.type, t.dependency"
        default: return nil
        }
    }

    /// The columns of the registry that hold the time of writing.
    static let stampedColumns: Set<String> = ["installed_at", "created_at", "committed_at"]

    /// Between the catalog's fields; each of its records ends with an extra field `\u{1E}`
    /// and a newline, so values may hold newlines.
    static let separator = "\u{1F}"
    static let recordEnd = "\u{1F}\u{1E}\n"

    static let schemaFilter = """
        n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' \
        AND n.nspname NOT LIKE 'pg\\_temp\\_%'
        """

    /// The catalog: schemas (`s`), table columns (`c`) and other objects (`o`), one a line.
    static let catalogQuery = """
        SELECT 's', n.nspname, chr(30) FROM pg_namespace n WHERE \(schemaFilter) ORDER BY 2;
        SELECT 'c', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
               CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                 || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
                 || coalesce(' COMMENT ' || quote_literal(col_description(c.oid, a.attnum)), ''),
               t.typcategory, coalesce(quote_literal(obj_description(c.oid, 'pg_class')), ''), chr(30)
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          JOIN pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
         WHERE c.relkind IN ('r', 'p') AND \(schemaFilter)
         ORDER BY n.nspname, c.relname, a.attnum;
        SELECT 'o', nspname, kind, name, chr(30) FROM (
            SELECT c.relnamespace AS ns,
                   CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                                  WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' END AS kind,
                   c.relname::text AS name
              FROM pg_class c WHERE c.relkind IN ('v', 'm', 'S', 'f')
            UNION ALL
            SELECT p.pronamespace,
                   CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
                   p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
              FROM pg_proc p
            UNION ALL
            SELECT y.typnamespace,
                   CASE y.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range' ELSE 'type' END,
                   y.typname::text
              FROM pg_type y
             WHERE y.typtype IN ('e', 'd', 'r')
                OR (y.typtype = 'c' AND (SELECT r.relkind FROM pg_class r WHERE r.oid = y.typrelid) = 'c')
            UNION ALL
            SELECT i.relnamespace, 'index', i.relname || ' ON ' || r.relname
              FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class r ON r.oid = x.indrelid
            UNION ALL
            SELECT k.connamespace, 'constraint',
                   k.conname || ' ON ' || coalesce(r.relname::text, y.typname::text) || ': ' || pg_get_constraintdef(k.oid)
              FROM pg_constraint k
              LEFT JOIN pg_class r ON r.oid = k.conrelid LEFT JOIN pg_type y ON y.oid = k.contypid
            UNION ALL
            SELECT r.relnamespace, 'trigger', g.tgname || ' ON ' || r.relname
              FROM pg_trigger g JOIN pg_class r ON r.oid = g.tgrelid WHERE NOT g.tgisinternal
        ) o JOIN pg_namespace n ON n.oid = o.ns
         WHERE \(schemaFilter)
         ORDER BY n.nspname, o.kind COLLATE "C", o.name COLLATE "C";
        """

    struct Column {
        var name: String
        var type: String
        var extra: String
        var category: String
    }

    struct Table {
        var name: String
        var comment: String
        var columns: [Column] = []
    }

    /// The dump of `database` on `server`.
    public static func dump(database: String, server: PostgresServer) throws -> String {
        let catalog = try server.psql(database: database, sql: catalogQuery, fieldSeparator: separator)
        var schemas: [String] = []
        var tables: [String: [Table]] = [:]
        var objects: [String: [String]] = [:]
        for line in (catalog + "\n").components(separatedBy: recordEnd) where !line.isEmpty && line != "\n" {
            let fields = line.components(separatedBy: separator)
            switch fields.first {
            case "s" where fields.count == 2:
                schemas.append(fields[1])
            case "c" where fields.count == 8:
                let schema = fields[1], table = fields[2]
                var list = tables[schema, default: []]
                if list.last?.name != table { list.append(Table(name: table, comment: fields[7])) }
                list[list.count - 1].columns.append(Column(name: fields[3], type: fields[4], extra: fields[5],
                                                           category: fields[6]))
                tables[schema] = list
            case "o" where fields.count == 4:
                objects[fields[1], default: []].append("-- \(fields[2]) \(fields[3])")
            default:
                throw PostgresServerError("unexpected catalog line from \(database): \(line)")
            }
        }

        // One script prints the whole dump: headers are selected as literals between the rows.
        var script = """
            SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';
            SET extra_float_digits = 1; SET bytea_output = 'hex';

            """
        func emit(_ text: String) { script += "SELECT \(PostgresServer.literal(text));\n" }
        for schema in schemas {
            let schemaTables = tables[schema] ?? []
            let schemaObjects = objects[schema] ?? []
            if schema == "public" && schemaTables.isEmpty && schemaObjects.isEmpty { continue }
            let isRegistry = schemaTables.contains { $0.name == "changes" }
            emit("-- schema \(schema)" + (isRegistry ? " (registry)" : ""))
            // The registry's comments are sqlitch's own words (docs/DIFFERENCES.md): only
            // which objects have one is compared.
            func comment(_ text: String) -> String { isRegistry ? registryComment(text) : text }
            for table in schemaTables.sorted(by: { $0.name < $1.name }) {
                emit("-- table \(table.name)" + (table.comment.isEmpty ? "" : " COMMENT \(comment(table.comment))"))
                for column in table.columns {
                    emit("--   \(column.name) \(column.type)\(comment(column.extra))")
                }
                script += rowsQuery(schema: schema, table: table, registry: isRegistry) + "\n"
            }
            for object in schemaObjects { emit(object) }
        }
        let body = try server.psql(database: database, sql: script)
        return marker + body + (body.isEmpty ? "" : "\n")
    }

    /// A query printing each row of `table` as `table(column=value, ...)`.
    static func rowsQuery(schema: String, table: Table, registry: Bool) -> String {
        let qualified = PostgresServer.identifier(schema) + "." + PostgresServer.identifier(table.name)
        let values = table.columns.map { column -> String in
            let ref = "t." + PostgresServer.identifier(column.name)
            let value: String
            if registry && stampedColumns.contains(column.name) {
                value = "'<NOW>'"
            } else if registry && column.name == "planned_at" && column.type == "timestamp with time zone" {
                value = """
                    CASE WHEN abs(extract(epoch FROM \(ref) - now())) < 172800 THEN '<RECENT>' \
                    ELSE quote_literal((\(ref) AT TIME ZONE 'UTC')::text) END
                    """
            } else if column.category == "N" || column.category == "B" {
                value = "\(ref)::text"
            } else {
                value = "quote_literal(\(ref)::text)"
            }
            return "\(PostgresServer.literal(column.name + "=")) || CASE WHEN \(ref) IS NULL THEN 'NULL' ELSE \(value) END"
        }
        let order: String
        if registry, let known = registryOrder(table.name, schema: PostgresServer.identifier(schema)) {
            order = known
        } else {
            order = table.columns.map { column in
                let ref = "t." + PostgresServer.identifier(column.name)
                return ["N", "B", "D"].contains(column.category) ? ref : "\(ref)::text COLLATE \"C\""
            }.joined(separator: ", ")
        }
        let list = values.isEmpty ? "''" : "concat_ws(', ', \(values.joined(separator: ", ")))"
        return "SELECT \(PostgresServer.literal(table.name + "(")) || \(list) || ')' FROM \(qualified) t"
            + (order.isEmpty ? "" : " ORDER BY \(order)") + ";"
    }
}
