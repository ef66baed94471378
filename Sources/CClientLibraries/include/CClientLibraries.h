#ifndef SQLITCH_CLIENT_LIBRARIES_H
#define SQLITCH_CLIENT_LIBRARIES_H

// The PostgreSQL and MariaDB client libraries' own headers, for their types and constants.
// The libraries themselves are not linked: they are loaded when an engine first needs one
// (sqlitch_load_libpq, sqlitch_load_mariadb), so a SQLite or authoring run never maps them
// nor their TLS, Kerberos and LDAP dependencies. The functions the engines call are defined
// in loader.c as forwarders to the loaded library.
#include <postgresql/libpq-fe.h>
#include <mariadb/mysql.h>

/// Loads libpq on first call. Returns 1 when it is loaded, or 0 with the loader's message
/// (NUL-terminated, truncated to `size`) in `error`.
int sqlitch_load_libpq(char *error, unsigned long size);

/// Loads MariaDB Connector/C on first call, as sqlitch_load_libpq does libpq.
int sqlitch_load_mariadb(char *error, unsigned long size);

#endif
