#ifndef ROTOR_CSQLITE_SHIM_H
#define ROTOR_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import: tell SQLite to copy bound values.
static inline int rotor_sqlite3_bind_text_transient(sqlite3_stmt *stmt, int index, const char *text, int length) {
    return sqlite3_bind_text(stmt, index, text, length, SQLITE_TRANSIENT);
}
static inline int rotor_sqlite3_bind_blob_transient(sqlite3_stmt *stmt, int index, const void *blob, int length) {
    return sqlite3_bind_blob(stmt, index, blob, length, SQLITE_TRANSIENT);
}
// sqlite3_config is variadic: one shim for the single-int-argument options.
static inline int rotor_sqlite3_config_int(int option, int value) {
    return sqlite3_config(option, value);
}
#endif
