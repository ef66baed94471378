// Forwarders for the client-library functions the engines call (SQLite's, libpq's and MariaDB
// Connector/C's), bound with dlopen/dlsym on
// first use. Each forwarder has the signature the library's header declares (the compiler
// checks it against the declaration), so Swift calls them as it would call the library.
// They are hidden: the executable does not export them, so the loaded library's own calls
// never land here.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include "CClientLibraries.h"

#pragma GCC visibility push(hidden)

struct binding { const char *name; void **slot; };

struct library {
    const char *file;
    const struct binding *bindings;
    unsigned long count;
    pthread_mutex_t lock;
    int loaded;
};

static int load(struct library *library, char *error, unsigned long size) {
    pthread_mutex_lock(&library->lock);
    if (!library->loaded) {
        void *handle = dlopen(library->file, RTLD_NOW | RTLD_LOCAL);
        const char *failure = handle ? NULL : dlerror();
        for (unsigned long i = 0; handle && i < library->count; i++) {
            void *symbol = dlsym(handle, library->bindings[i].name);
            if (!symbol) {
                failure = dlerror();
                break;
            }
            *library->bindings[i].slot = symbol;
        }
        if (failure) {
            if (error && size) snprintf(error, size, "%s", failure);
            // The library stays open if it was found: unloading it is not worth the risk.
        } else {
            library->loaded = 1;
        }
    }
    int loaded = library->loaded;
    pthread_mutex_unlock(&library->lock);
    return loaded;
}

// X(return type, name, parameters, arguments) for functions that return a value,
// V(name, parameters, arguments) for those that return nothing.
#define POINTER(type, name, params, args) static type (*name##_bound) params;
#define POINTER_VOID(name, params, args) static void (*name##_bound) params;
#define FORWARD(type, name, params, args) type name params { return name##_bound args; }
#define FORWARD_VOID(name, params, args) void name params { name##_bound args; }
#define BINDING(type, name, params, args) { #name, (void **)&name##_bound },
#define BINDING_VOID(name, params, args) { #name, (void **)&name##_bound },

#define SQLITE_FUNCTIONS(X, V) \
    X(const char *, sqlite3_libversion, (void), ()) \
    X(int, sqlite3_open_v2, (const char *filename, sqlite3 **ppDb, int flags, const char *zVfs), (filename, ppDb, flags, zVfs)) \
    X(int, sqlite3_close_v2, (sqlite3 *db), (db)) \
    X(int, sqlite3_busy_timeout, (sqlite3 *db, int ms), (db, ms)) \
    X(int, sqlite3_extended_result_codes, (sqlite3 *db, int onoff), (db, onoff)) \
    X(int, sqlite3_extended_errcode, (sqlite3 *db), (db)) \
    X(const char *, sqlite3_errmsg, (sqlite3 *db), (db)) \
    X(const char *, sqlite3_errstr, (int code), (code)) \
    X(int, sqlite3_get_autocommit, (sqlite3 *db), (db)) \
    X(int, sqlite3_changes, (sqlite3 *db), (db)) \
    X(int, sqlite3_exec, (sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **), void *argument, char **errmsg), (db, sql, callback, argument, errmsg)) \
    V(sqlite3_free, (void *pointer), (pointer)) \
    X(int, sqlite3_create_function_v2, (sqlite3 *db, const char *zFunctionName, int nArg, int eTextRep, void *pApp, void (*xFunc)(sqlite3_context *, int, sqlite3_value **), void (*xStep)(sqlite3_context *, int, sqlite3_value **), void (*xFinal)(sqlite3_context *), void (*xDestroy)(void *)), (db, zFunctionName, nArg, eTextRep, pApp, xFunc, xStep, xFinal, xDestroy)) \
    X(int, sqlite3_value_type, (sqlite3_value *value), (value)) \
    X(const unsigned char *, sqlite3_value_text, (sqlite3_value *value), (value)) \
    V(sqlite3_result_int, (sqlite3_context *context, int value), (context, value)) \
    V(sqlite3_result_null, (sqlite3_context *context), (context)) \
    V(sqlite3_result_error, (sqlite3_context *context, const char *message, int length), (context, message, length)) \
    X(int, sqlite3_prepare_v2, (sqlite3 *db, const char *zSql, int nByte, sqlite3_stmt **ppStmt, const char **pzTail), (db, zSql, nByte, ppStmt, pzTail)) \
    X(int, sqlite3_step, (sqlite3_stmt *statement), (statement)) \
    X(int, sqlite3_reset, (sqlite3_stmt *statement), (statement)) \
    X(int, sqlite3_finalize, (sqlite3_stmt *statement), (statement)) \
    X(int, sqlite3_clear_bindings, (sqlite3_stmt *statement), (statement)) \
    X(int, sqlite3_bind_parameter_count, (sqlite3_stmt *statement), (statement)) \
    X(int, sqlite3_bind_null, (sqlite3_stmt *statement, int index), (statement, index)) \
    X(int, sqlite3_bind_int64, (sqlite3_stmt *statement, int index, sqlite3_int64 value), (statement, index, value)) \
    X(int, sqlite3_bind_double, (sqlite3_stmt *statement, int index, double value), (statement, index, value)) \
    X(int, sqlite3_bind_text, (sqlite3_stmt *statement, int index, const char *text, int length, void (*destructor)(void *)), (statement, index, text, length, destructor)) \
    X(int, sqlite3_bind_blob, (sqlite3_stmt *statement, int index, const void *blob, int length, void (*destructor)(void *)), (statement, index, blob, length, destructor)) \
    X(int, sqlite3_column_count, (sqlite3_stmt *statement), (statement)) \
    X(const char *, sqlite3_column_name, (sqlite3_stmt *statement, int column), (statement, column)) \
    X(int, sqlite3_column_type, (sqlite3_stmt *statement, int column), (statement, column)) \
    X(sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt *statement, int column), (statement, column)) \
    X(double, sqlite3_column_double, (sqlite3_stmt *statement, int column), (statement, column)) \
    X(const unsigned char *, sqlite3_column_text, (sqlite3_stmt *statement, int column), (statement, column)) \
    X(const void *, sqlite3_column_blob, (sqlite3_stmt *statement, int column), (statement, column)) \
    X(int, sqlite3_column_bytes, (sqlite3_stmt *statement, int column), (statement, column))

#define LIBPQ_FUNCTIONS(X, V) \
    X(PGconn *, PQconnectdbParams, (const char *const *keywords, const char *const *values, int expand_dbname), (keywords, values, expand_dbname)) \
    X(ConnStatusType, PQstatus, (const PGconn *conn), (conn)) \
    X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn), (conn)) \
    X(int, PQserverVersion, (const PGconn *conn), (conn)) \
    X(char *, PQerrorMessage, (const PGconn *conn), (conn)) \
    V(PQfinish, (PGconn *conn), (conn)) \
    X(PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query)) \
    X(PGresult *, PQexecParams, (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat), (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat)) \
    X(int, PQsendQuery, (PGconn *conn, const char *query), (conn, query)) \
    X(int, PQconsumeInput, (PGconn *conn), (conn)) \
    X(int, PQisBusy, (PGconn *conn), (conn)) \
    X(PGresult *, PQgetResult, (PGconn *conn), (conn)) \
    X(PGcancel *, PQgetCancel, (PGconn *conn), (conn)) \
    X(int, PQcancel, (PGcancel *cancel, char *errbuf, int errbufsize), (cancel, errbuf, errbufsize)) \
    V(PQfreeCancel, (PGcancel *cancel), (cancel)) \
    X(ExecStatusType, PQresultStatus, (const PGresult *res), (res)) \
    X(char *, PQresultErrorMessage, (const PGresult *res), (res)) \
    X(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode)) \
    X(char *, PQcmdTuples, (PGresult *res), (res)) \
    X(int, PQntuples, (const PGresult *res), (res)) \
    X(int, PQnfields, (const PGresult *res), (res)) \
    X(char *, PQfname, (const PGresult *res, int field_num), (res, field_num)) \
    X(Oid, PQftype, (const PGresult *res, int field_num), (res, field_num)) \
    X(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num)) \
    X(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num)) \
    V(PQclear, (PGresult *res), (res))

#define MARIADB_FUNCTIONS(X, V) \
    X(MYSQL *, mysql_init, (MYSQL *mysql), (mysql)) \
    X(int, mysql_options, (MYSQL *mysql, enum mysql_option option, const void *arg), (mysql, option, arg)) \
    X(MYSQL *, mysql_real_connect, (MYSQL *mysql, const char *host, const char *user, const char *passwd, const char *db, unsigned int port, const char *unix_socket, unsigned long clientflag), (mysql, host, user, passwd, db, port, unix_socket, clientflag)) \
    V(mysql_close, (MYSQL *sock), (sock)) \
    X(unsigned int, mysql_errno, (MYSQL *mysql), (mysql)) \
    X(const char *, mysql_error, (MYSQL *mysql), (mysql)) \
    X(char *, mysql_get_server_info, (MYSQL *mysql), (mysql)) \
    X(unsigned long, mysql_get_server_version, (MYSQL *mysql), (mysql)) \
    X(unsigned long, mysql_real_escape_string, (MYSQL *mysql, char *to, const char *from, unsigned long length), (mysql, to, from, length)) \
    X(int, mysql_real_query, (MYSQL *mysql, const char *q, unsigned long length), (mysql, q, length)) \
    X(my_ulonglong, mysql_affected_rows, (MYSQL *mysql), (mysql)) \
    X(unsigned int, mysql_field_count, (MYSQL *mysql), (mysql)) \
    X(MYSQL_RES *, mysql_store_result, (MYSQL *mysql), (mysql)) \
    X(unsigned int, mysql_num_fields, (MYSQL_RES *res), (res)) \
    X(MYSQL_FIELD *, mysql_fetch_fields, (MYSQL_RES *res), (res)) \
    X(MYSQL_ROW, mysql_fetch_row, (MYSQL_RES *result), (result)) \
    X(unsigned long *, mysql_fetch_lengths, (MYSQL_RES *result), (result)) \
    V(mysql_free_result, (MYSQL_RES *result), (result))

SQLITE_FUNCTIONS(POINTER, POINTER_VOID)
SQLITE_FUNCTIONS(FORWARD, FORWARD_VOID)
static const struct binding sqlite_bindings[] = { SQLITE_FUNCTIONS(BINDING, BINDING_VOID) };

LIBPQ_FUNCTIONS(POINTER, POINTER_VOID)
LIBPQ_FUNCTIONS(FORWARD, FORWARD_VOID)
static const struct binding libpq_bindings[] = { LIBPQ_FUNCTIONS(BINDING, BINDING_VOID) };

MARIADB_FUNCTIONS(POINTER, POINTER_VOID)
MARIADB_FUNCTIONS(FORWARD, FORWARD_VOID)
static const struct binding mariadb_bindings[] = { MARIADB_FUNCTIONS(BINDING, BINDING_VOID) };

#pragma GCC visibility pop

// The sonames of Debian's libsqlite3-0, libpq5 and libmariadb3 packages (the ones their -dev
// packages' headers describe).
static struct library sqlite = {
    "libsqlite3.so.0", sqlite_bindings, sizeof sqlite_bindings / sizeof *sqlite_bindings,
    PTHREAD_MUTEX_INITIALIZER, 0
};
static struct library libpq = {
    "libpq.so.5", libpq_bindings, sizeof libpq_bindings / sizeof *libpq_bindings,
    PTHREAD_MUTEX_INITIALIZER, 0
};
static struct library mariadb = {
    "libmariadb.so.3", mariadb_bindings, sizeof mariadb_bindings / sizeof *mariadb_bindings,
    PTHREAD_MUTEX_INITIALIZER, 0
};

int sqlitch_load_sqlite3(char *error, unsigned long size) { return load(&sqlite, error, size); }
int sqlitch_load_libpq(char *error, unsigned long size) { return load(&libpq, error, size); }
int sqlitch_load_mariadb(char *error, unsigned long size) { return load(&mariadb, error, size); }
