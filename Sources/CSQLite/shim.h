#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro that Swift cannot import. It makes SQLite copy the
// bound bytes before sqlite3_bind_* returns.
static inline sqlite3_destructor_type CSQLite_TRANSIENT(void) {
    return SQLITE_TRANSIENT;
}

// Extended result codes are shift expressions that Swift does not import. The store distinguishes a
// unique-constraint failure (a lost insert race) from other constraint failures.
static inline int CSQLite_CONSTRAINT_UNIQUE(void) {
    return SQLITE_CONSTRAINT_UNIQUE;
}

static inline int CSQLite_CONSTRAINT_PRIMARYKEY(void) {
    return SQLITE_CONSTRAINT_PRIMARYKEY;
}

#endif
