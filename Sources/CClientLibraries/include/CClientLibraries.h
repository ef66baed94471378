#ifndef SQLITCH_CLIENT_LIBRARIES_H
#define SQLITCH_CLIENT_LIBRARIES_H

// The SQLite, PostgreSQL and MariaDB client libraries' own headers, for their types and
// constants. The libraries themselves are not linked: each is loaded when an engine first
// needs it (sqlitch_load_sqlite3, sqlitch_load_libpq, sqlitch_load_mariadb), so an authoring
// run or `help` maps none of them, and a SQLite run never maps libpq or MariaDB's library
// with their TLS, Kerberos and LDAP dependencies. The functions the engines call are defined
// in loader.c as forwarders to the loaded library.
#include <sqlite3.h>
#include <postgresql/libpq-fe.h>
#include <mariadb/mysql.h>

/// Loads libsqlite3 on first call, as sqlitch_load_libpq does libpq.
int sqlitch_load_sqlite3(char *error, unsigned long size);

/// Loads libpq on first call. Returns 1 when it is loaded, or 0 with the loader's message
/// (NUL-terminated, truncated to `size`) in `error`.
int sqlitch_load_libpq(char *error, unsigned long size);

/// Loads MariaDB Connector/C on first call, as sqlitch_load_libpq does libpq.
int sqlitch_load_mariadb(char *error, unsigned long size);

/// Notes SIGINT and SIGTERM instead of dying on them (a second one still ends the process),
/// until the matching sqlitch_restore_interrupts; calls nest. The deploy and revert loops
/// stop after the change in flight when sqlitch_noted_interrupt() is not 0 (the signal).
/// Not about client libraries, but this is the package's one C target.
void sqlitch_defer_interrupts(void);
void sqlitch_restore_interrupts(void);
int sqlitch_noted_interrupt(void);

#endif
