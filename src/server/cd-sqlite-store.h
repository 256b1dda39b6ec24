#pragma once

#include "cd-store.h"

G_BEGIN_DECLS

#define CD_TYPE_SQLITE_STORE (cd_sqlite_store_get_type ())
G_DECLARE_FINAL_TYPE (CdSqliteStore, cd_sqlite_store, CD, SQLITE_STORE, GObject)

/* The embedded default: one SQLite file in WAL mode, a pool of connections so that
 * every thread works on its own. */
CdSqliteStore *cd_sqlite_store_open (const char  *path,
                                     GError     **error);

G_END_DECLS
