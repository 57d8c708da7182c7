#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro that Swift cannot import: it tells SQLite to copy the
// bound bytes before sqlite3_bind_* returns.
static inline sqlite3_destructor_type CSQLite_TRANSIENT(void) {
    return SQLITE_TRANSIENT;
}

#endif
