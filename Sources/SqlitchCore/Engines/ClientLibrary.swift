import CClientLibraries

/// The client libraries the engines call, loaded on the engine's first connection rather
/// than at start-up, so that runs which never reach an engine (authoring commands, `help`)
/// map none of them, and a SQLite run maps neither libpq nor MariaDB's library.
///
/// A library that cannot be loaded fails as a missing DBD driver does in Sqitch
/// (`{driver} required to manage {engine}`), naming the library and its Debian package.
enum ClientLibrary {
    case sqlite3
    case libpq
    case mariadb

    /// Loads the library once; later calls return at once.
    func require() throws {
        var error = [CChar](repeating: 0, count: 512)
        let loaded: Int32
        switch self {
        case .sqlite3: loaded = sqlitch_load_sqlite3(&error, UInt(error.count))
        case .libpq: loaded = sqlitch_load_libpq(&error, UInt(error.count))
        case .mariadb: loaded = sqlitch_load_mariadb(&error, UInt(error.count))
        }
        guard loaded == 0 else { return }
        throw EngineError("\(driver) required to manage \(engine)")
    }

    private var driver: String {
        switch self {
        case .sqlite3: "libsqlite3 (libsqlite3.so.0, Debian package libsqlite3-0)"
        case .libpq: "libpq (libpq.so.5, Debian package libpq5)"
        case .mariadb: "MariaDB Connector/C (libmariadb.so.3, Debian package libmariadb3)"
        }
    }

    private var engine: String {
        switch self {
        case .sqlite3: "SQLite"
        case .libpq: "PostgreSQL"
        case .mariadb: "MySQL"
        }
    }
}
