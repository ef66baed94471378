import Foundation
import SqlitchCore

/// Comparable text for SQLite database files written by a parity scenario: two runs never
/// write byte-identical databases (times, page layout), so files are compared as dumps.
///
/// A Sqitch registry (a database with a `changes` table) dumps as the rows of its six tables
/// (`releases`, `projects`, `changes`, `tags`, `dependencies`, `events`), each in a fixed
/// order (time of writing, then insertion), with the times Sqitch stamps itself
/// (`installed_at`, `created_at`, `committed_at`) replaced by `<NOW>`. Any other database
/// dumps as its schema and all its rows in insertion order.
public enum DatabaseDump {
    /// The first bytes of every SQLite 3 database file.
    public static let header = Data("SQLite format 3\u{0}".utf8)

    /// The first line of a dump, so a dumped file is recognised when comparing.
    public static let marker = "-- sqlite database dump\n"

    /// True when `data` is a SQLite database file.
    public static func isDatabase(_ data: Data) -> Bool {
        data.count >= header.count && data.prefix(header.count) == header
    }

    /// The registry tables, in dump order, with the columns that hold "now" times.
    static let registryTables: [(name: String, order: String, stamped: Set<String>)] = [
        ("releases", "version", ["installed_at"]),
        ("projects", "created_at, rowid", ["created_at"]),
        ("changes", "committed_at, rowid", ["committed_at"]),
        ("tags", "committed_at, rowid", ["committed_at"]),
        ("dependencies", "rowid", []),
        ("events", "committed_at, rowid", ["committed_at"]),
    ]

    /// The dump of the database at `path` (opened read-only), or an error line.
    public static func dump(path: String) -> String {
        do {
            let connection = try SQLiteConnection(path: path, flags: [.readOnly])
            defer { connection.close() }
            let tables = try connection.query(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", [])
            let names = Set(tables.compactMap { $0["name"].text })
            var out = marker
            if names.contains("changes") {
                out += "-- registry\n"
                for table in registryTables where names.contains(table.name) {
                    out += try rows(of: table.name, order: table.order, stamped: table.stamped, connection: connection)
                }
                return out
            }
            for row in try connection.query(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, name", []) {
                out += (row[0].text ?? "") + ";\n"
            }
            for name in names.sorted() {
                out += try rows(of: name, order: "rowid", stamped: [], connection: connection)
            }
            return out
        } catch {
            return marker + "-- unreadable: \(error)\n"
        }
    }

    static func rows(of table: String, order: String, stamped: Set<String>, connection: SQLiteConnection) throws -> String {
        var out = ""
        let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let rows: [DatabaseRow]
        do {
            rows = try connection.query("SELECT * FROM \(quoted) ORDER BY \(order)", [])
        } catch {
            // A WITHOUT ROWID table: insertion order is lost; use every column.
            rows = try connection.query("SELECT * FROM \(quoted) ORDER BY 1", [])
        }
        for row in rows {
            let values = zip(row.columns, row.values).map { column, value in
                if stamped.contains(column) && !value.isNull { return "<NOW>" }
                // Changes planned during the scenario (by `add` or `rework`) carry the time of
                // each run; planned times from the fixtures' plans are compared as they are.
                if column == "planned_at", let text = value.text, isRecent(text) { return "<RECENT>" }
                return literal(value)
            }
            out += "\(table)(" + zip(row.columns, values).map { "\($0)=\($1)" }.joined(separator: ", ") + ")\n"
        }
        return out
    }

    /// True when `text` (`YYYY-MM-DD HH:MM:SS`, UTC) is within two days of now.
    static func isRecent(_ text: String) -> Bool {
        let parts = text.split(whereSeparator: { "- :.".contains($0) }).prefix(6).compactMap { Int($0) }
        guard parts.count == 6 else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2],
                                        hour: parts[3], minute: parts[4], second: parts[5])
        guard let date = calendar.date(from: components) else { return false }
        return abs(date.timeIntervalSinceNow) < 2 * 86_400
    }

    /// A value as an SQL literal.
    static func literal(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let n): return String(n)
        case .real(let d): return String(d)
        case .text(let t): return "'" + t.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let bytes): return "X'" + bytes.map { String(format: "%02X", $0) }.joined() + "'"
        case .list(let items): return "{" + items.map { literal(.text($0)) }.joined(separator: ",") + "}"
        }
    }

    /// Replaces every database among `files` (relative to `root`) with its dump.
    public static func dumpingDatabases(_ files: [String: Data], root: String) -> [String: Data] {
        var result = files
        for (path, data) in files where isDatabase(data) {
            result[path] = Data(dump(path: root + "/" + path).utf8)
        }
        return result
    }

    /// True when `data` is a dump made by `dumpingDatabases`.
    public static func isDump(_ data: Data) -> Bool {
        data.starts(with: Data(marker.utf8))
    }
}
