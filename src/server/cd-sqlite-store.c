#include "config.h"

#include "cd-sqlite-store.h"
#include "cd-secrets.h"

#include <sqlite3.h>

#define BUSY_TIMEOUT_MS 15000

struct _CdSqliteStore
{
  GObject    parent_instance;

  char      *path;
  GMutex     pool_lock;
  GPtrArray *idle_connections; /* (element-type Connection) */
};

static void cd_sqlite_store_iface_init (CdStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CdSqliteStore, cd_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CD_TYPE_STORE, cd_sqlite_store_iface_init))

/* A connection is used by one thread at a time and keeps its prepared statements. */
typedef struct
{
  sqlite3    *db;
  GHashTable *statements; /* SQL text (static) → sqlite3_stmt */
} Connection;

typedef struct
{
  CdSqliteStore *store;
  Connection    *connection;
} Lease;

/* A statement borrowed from a connection's cache: reset, not finalized, when done. */
typedef sqlite3_stmt CdStatement;

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS accounts ("
  "  id INTEGER PRIMARY KEY,"
  "  id_type TEXT NOT NULL,"
  "  id_number TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  notice_version TEXT,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS sign_in_failures ("
  "  id_number TEXT PRIMARY KEY,"
  "  failures INTEGER NOT NULL,"
  "  last_failed_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS sessions ("
  "  token_hash TEXT PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  expires_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS certificates ("
  "  id TEXT PRIMARY KEY,"
  "  cert_no TEXT NOT NULL UNIQUE,"
  "  qualification TEXT NOT NULL,"
  "  specialty TEXT NOT NULL,"
  "  level TEXT NOT NULL,"
  "  holder_name TEXT NOT NULL,"
  "  gender TEXT NOT NULL,"
  "  id_type TEXT NOT NULL,"
  "  id_number TEXT NOT NULL,"
  "  management_no TEXT NOT NULL,"
  "  issued_on TEXT NOT NULL,"
  "  issuer TEXT NOT NULL,"
  "  status TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS certificates_by_holder ON certificates (id_number);"
  "CREATE TABLE IF NOT EXISTS annotations ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id TEXT NOT NULL UNIQUE,"
  "  annotation_no TEXT NOT NULL UNIQUE,"
  "  certificate_id TEXT NOT NULL REFERENCES certificates (id),"
  "  scenario TEXT NOT NULL,"
  "  validity_days INTEGER NOT NULL,"
  "  state TEXT NOT NULL,"
  "  requested_at INTEGER NOT NULL,"
  "  ready_at INTEGER,"
  "  valid_from INTEGER,"
  "  valid_until INTEGER,"
  "  verification_code TEXT NOT NULL,"
  "  failure_reason TEXT);"
  "CREATE INDEX IF NOT EXISTS annotations_by_certificate ON annotations (certificate_id, requested_at);"
  "CREATE INDEX IF NOT EXISTS annotations_pending ON annotations (state) WHERE state = 'pending';"
  "CREATE UNIQUE INDEX IF NOT EXISTS annotations_by_code ON annotations (verification_code);"
  "CREATE TABLE IF NOT EXISTS documents ("
  "  annotation_id TEXT PRIMARY KEY REFERENCES annotations (id),"
  "  pdf BLOB NOT NULL);";

#define CERTIFICATE_COLUMNS \
  "c.id, c.cert_no, c.qualification, c.specialty, c.level, c.holder_name, c.gender," \
  " c.id_type, c.id_number, c.management_no, c.issued_on, c.issuer, c.status"
#define N_CERTIFICATE_COLUMNS 13

#define ANNOTATION_COLUMNS \
  "a.id, a.annotation_no, a.certificate_id, a.scenario, a.validity_days, a.state," \
  " a.requested_at, a.ready_at, a.valid_from, a.valid_until, a.verification_code"

#define ACCOUNT_COLUMNS \
  "u.id, u.id_type, u.id_number, u.name, u.password_hash, u.notice_version, u.created_at"

/* Helpers */

static gboolean
set_sqlite_error (sqlite3  *db,
                  GError  **error)
{
  g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_FAILED,
               "Database error: %s", sqlite3_errmsg (db));
  return FALSE;
}

static void
connection_free (Connection *connection)
{
  g_hash_table_unref (connection->statements);
  sqlite3_close_v2 (connection->db);
  g_free (connection);
}

static void
statement_finalize (gpointer statement)
{
  sqlite3_finalize (statement);
}

static Connection *
connection_open (const char  *path,
                 GError     **error)
{
  g_autofree Connection *connection = g_new0 (Connection, 1);
  int rc;

  rc = sqlite3_open_v2 (path, &connection->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_FAILED,
                   "Could not open the database %s: %s", path, sqlite3_errstr (rc));
      sqlite3_close_v2 (connection->db);
      return NULL;
    }

  sqlite3_busy_timeout (connection->db, BUSY_TIMEOUT_MS);
  if (sqlite3_exec (connection->db,
                    "PRAGMA journal_mode = WAL;"
                    "PRAGMA synchronous = NORMAL;"
                    "PRAGMA foreign_keys = ON;",
                    NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (connection->db, error);
      sqlite3_close_v2 (connection->db);
      return NULL;
    }

  connection->statements = g_hash_table_new_full (NULL, NULL, NULL, statement_finalize);
  return g_steal_pointer (&connection);
}

static void
lease_free (Lease *lease)
{
  Connection *connection = lease->connection;

  /* An error path left a transaction open: never hand it to the next caller. */
  if (!sqlite3_get_autocommit (connection->db))
    sqlite3_exec (connection->db, "ROLLBACK", NULL, NULL, NULL);

  g_mutex_lock (&lease->store->pool_lock);
  g_ptr_array_add (lease->store->idle_connections, connection);
  g_mutex_unlock (&lease->store->pool_lock);

  g_object_unref (lease->store);
  g_free (lease);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lease, lease_free)

static Lease *
lease_acquire (CdSqliteStore  *self,
               GError        **error)
{
  Connection *connection = NULL;
  Lease *lease;

  g_mutex_lock (&self->pool_lock);
  if (self->idle_connections->len > 0)
    connection = g_ptr_array_steal_index_fast (self->idle_connections,
                                               self->idle_connections->len - 1);
  g_mutex_unlock (&self->pool_lock);

  if (connection == NULL)
    {
      connection = connection_open (self->path, error);
      if (connection == NULL)
        return NULL;
    }

  lease = g_new0 (Lease, 1);
  lease->store = g_object_ref (self);
  lease->connection = connection;
  return lease;
}

static void
statement_reset (CdStatement *statement)
{
  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdStatement, statement_reset)

/* @sql must be a string literal: the cache is keyed by its address. */
static CdStatement *
lease_prepare (Lease       *lease,
               const char  *sql,
               GError     **error)
{
  Connection *connection = lease->connection;
  sqlite3_stmt *statement = g_hash_table_lookup (connection->statements, sql);

  if (statement == NULL)
    {
      if (sqlite3_prepare_v3 (connection->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                              &statement, NULL) != SQLITE_OK)
        {
          set_sqlite_error (connection->db, error);
          return NULL;
        }
      g_hash_table_insert (connection->statements, (gpointer) sql, statement);
    }

  return statement;
}

static gboolean
lease_exec (Lease       *lease,
            const char  *sql,
            GError     **error)
{
  if (sqlite3_exec (lease->connection->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (lease->connection->db, error);
  return TRUE;
}

/* Runs a statement that returns no rows. */
static gboolean
statement_run (Lease        *lease,
               CdStatement  *statement,
               GError      **error)
{
  if (sqlite3_step (statement) != SQLITE_DONE)
    return set_sqlite_error (lease->connection->db, error);
  return TRUE;
}

/* Steps once: TRUE with *out_row set if a row came, TRUE with it unset at the end. */
static gboolean
statement_next (Lease        *lease,
                CdStatement  *statement,
                gboolean     *out_row,
                GError      **error)
{
  int rc = sqlite3_step (statement);

  *out_row = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (lease->connection->db, error);
  return TRUE;
}

static void
bind_text (CdStatement *statement,
           int          index,
           const char  *value)
{
  sqlite3_bind_text (statement, index, value, -1, SQLITE_TRANSIENT);
}

static char *
column_text (CdStatement *statement,
             int          column)
{
  return g_strdup ((const char *) sqlite3_column_text (statement, column));
}

static gboolean
set_corrupt_row (GError     **error,
                 const char  *what)
{
  g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_FAILED,
               "The database holds an unreadable %s", what);
  return FALSE;
}

static gboolean
set_not_found (GError     **error,
               const char  *what)
{
  g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND, "No such %s", what);
  return FALSE;
}

static CdAccountRecord *
read_account (CdStatement  *statement,
              GError      **error)
{
  g_autoptr(CdAccountRecord) account = g_new0 (CdAccountRecord, 1);

  account->id = sqlite3_column_int64 (statement, 0);
  if (!cd_id_type_from_string ((const char *) sqlite3_column_text (statement, 1), &account->id_type))
    {
      set_corrupt_row (error, "account");
      return NULL;
    }
  account->id_number = column_text (statement, 2);
  account->name = column_text (statement, 3);
  account->password_hash = column_text (statement, 4);
  account->notice_version = column_text (statement, 5);
  account->created_at = sqlite3_column_int64 (statement, 6);

  return g_steal_pointer (&account);
}

static CdAnnotationRecord *
read_annotation (CdStatement  *statement,
                 int           first,
                 GError      **error)
{
  g_autoptr(CdAnnotationRecord) annotation = g_new0 (CdAnnotationRecord, 1);

  annotation->id = column_text (statement, first);
  annotation->annotation_no = column_text (statement, first + 1);
  annotation->certificate_id = column_text (statement, first + 2);
  annotation->validity_days = sqlite3_column_int (statement, first + 4);
  annotation->requested_at = sqlite3_column_int64 (statement, first + 6);
  annotation->ready_at = sqlite3_column_int64 (statement, first + 7);
  annotation->valid_from = sqlite3_column_int64 (statement, first + 8);
  annotation->valid_until = sqlite3_column_int64 (statement, first + 9);
  annotation->verification_code = column_text (statement, first + 10);

  if (!cd_scenario_from_string ((const char *) sqlite3_column_text (statement, first + 3),
                                &annotation->scenario) ||
      !cd_annotation_state_from_string ((const char *) sqlite3_column_text (statement, first + 5),
                                        &annotation->state))
    {
      set_corrupt_row (error, "annotation");
      return NULL;
    }

  return g_steal_pointer (&annotation);
}

/* Reads CERTIFICATE_COLUMNS, then ANNOTATION_COLUMNS when @with_annotation (NULLs
 * there mean no annotation). */
static CdCertificateRecord *
read_certificate (CdStatement  *statement,
                  gboolean      with_annotation,
                  GError      **error)
{
  g_autoptr(CdCertificateRecord) certificate = g_new0 (CdCertificateRecord, 1);

  certificate->id = column_text (statement, 0);
  certificate->cert_no = column_text (statement, 1);
  certificate->qualification = column_text (statement, 2);
  certificate->specialty = column_text (statement, 3);
  certificate->level = column_text (statement, 4);
  certificate->holder_name = column_text (statement, 5);
  certificate->gender = column_text (statement, 6);
  certificate->id_number = column_text (statement, 8);
  certificate->management_no = column_text (statement, 9);
  certificate->issued_on = column_text (statement, 10);
  certificate->issuer = column_text (statement, 11);

  if (!cd_id_type_from_string ((const char *) sqlite3_column_text (statement, 7),
                               &certificate->id_type) ||
      !cd_certificate_status_from_string ((const char *) sqlite3_column_text (statement, 12),
                                          &certificate->status))
    {
      set_corrupt_row (error, "certificate");
      return NULL;
    }

  if (with_annotation && sqlite3_column_type (statement, N_CERTIFICATE_COLUMNS) != SQLITE_NULL)
    {
      certificate->latest_annotation = read_annotation (statement, N_CERTIFICATE_COLUMNS, error);
      if (certificate->latest_annotation == NULL)
        return NULL;
    }

  return g_steal_pointer (&certificate);
}

/* Counts the annotations that take a slot: requested inside the window, not failed. */
static gboolean
count_quota (Lease              *lease,
             const char         *certificate_id,
             const CdQuotaRule  *rule,
             gint64              now,
             CdQuotaState       *out_state,
             GError            **error)
{
  g_autoptr(CdStatement) statement = NULL;
  gboolean row;

  statement = lease_prepare (lease,
                             "SELECT COUNT(*), MIN(requested_at) FROM annotations"
                             " WHERE certificate_id = ?1 AND state != 'failed' AND requested_at > ?2",
                             error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, certificate_id);
  sqlite3_bind_int64 (statement, 2, now - rule->window_seconds);
  if (!statement_next (lease, statement, &row, error))
    return FALSE;
  g_assert (row);

  out_state->limit = rule->limit;
  out_state->window_seconds = rule->window_seconds;
  out_state->used = sqlite3_column_int (statement, 0);
  out_state->next_slot_at = out_state->used > 0
                            ? sqlite3_column_int64 (statement, 1) + rule->window_seconds
                            : 0;
  return TRUE;
}

/* CdStore implementation */

static gboolean
cd_sqlite_store_create_account (CdStore          *store,
                                CdAccountRecord  *account,
                                GError          **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;
  int rc;

  if (lease == NULL)
    return FALSE;

  statement = lease_prepare (lease,
                             "INSERT INTO accounts (id_type, id_number, name, password_hash, created_at)"
                             " VALUES (?1, ?2, ?3, ?4, ?5)",
                             error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, cd_id_type_to_string (account->id_type));
  bind_text (statement, 2, account->id_number);
  bind_text (statement, 3, account->name);
  bind_text (statement, 4, account->password_hash);
  sqlite3_bind_int64 (statement, 5, account->created_at);

  rc = sqlite3_step (statement);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error_literal (error, CD_STORE_ERROR, CD_STORE_ERROR_EXISTS,
                           "This ID number is already registered");
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (lease->connection->db, error);

  account->id = sqlite3_last_insert_rowid (lease->connection->db);
  return TRUE;
}

static CdAccountRecord *
cd_sqlite_store_lookup_account (CdStore     *store,
                                const char  *id_number,
                                GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;
  gboolean row;

  if (lease == NULL)
    return NULL;

  statement = lease_prepare (lease,
                             "SELECT " ACCOUNT_COLUMNS " FROM accounts u WHERE u.id_number = ?1",
                             error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, id_number);
  if (!statement_next (lease, statement, &row, error))
    return NULL;
  if (!row)
    {
      set_not_found (error, "account");
      return NULL;
    }

  return read_account (statement, error);
}

static int
cd_sqlite_store_record_sign_in_failure (CdStore     *store,
                                        const char  *id_number,
                                        gint64       now,
                                        gint64       window_seconds,
                                        GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;
  gboolean row;

  if (lease == NULL)
    return -1;

  /* A failure older than the window starts the count again. */
  statement = lease_prepare (lease,
                             "INSERT INTO sign_in_failures (id_number, failures, last_failed_at)"
                             " VALUES (?1, 1, ?2)"
                             " ON CONFLICT (id_number) DO UPDATE SET"
                             "  failures = CASE WHEN last_failed_at > ?2 - ?3 THEN failures + 1 ELSE 1 END,"
                             "  last_failed_at = ?2"
                             " RETURNING failures",
                             error);
  if (statement == NULL)
    return -1;

  bind_text (statement, 1, id_number);
  sqlite3_bind_int64 (statement, 2, now);
  sqlite3_bind_int64 (statement, 3, window_seconds);
  if (!statement_next (lease, statement, &row, error))
    return -1;
  g_assert (row);

  return sqlite3_column_int (statement, 0);
}

static gboolean
cd_sqlite_store_get_sign_in_failures (CdStore     *store,
                                      const char  *id_number,
                                      int         *out_failures,
                                      gint64      *out_last_failed_at,
                                      GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;
  gboolean row;

  if (lease == NULL)
    return FALSE;

  statement = lease_prepare (lease,
                             "SELECT failures, last_failed_at FROM sign_in_failures WHERE id_number = ?1",
                             error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, id_number);
  if (!statement_next (lease, statement, &row, error))
    return FALSE;

  *out_failures = row ? sqlite3_column_int (statement, 0) : 0;
  *out_last_failed_at = row ? sqlite3_column_int64 (statement, 1) : 0;
  return TRUE;
}

static gboolean
cd_sqlite_store_clear_sign_in_failures (CdStore     *store,
                                        const char  *id_number,
                                        GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;

  if (lease == NULL)
    return FALSE;

  statement = lease_prepare (lease, "DELETE FROM sign_in_failures WHERE id_number = ?1", error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, id_number);
  return statement_run (lease, statement, error);
}

static gboolean
cd_sqlite_store_create_session (CdStore     *store,
                                const char  *token_hash,
                                gint64       account_id,
                                gint64       expires_at,
                                GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) purge = NULL;
  g_autoptr(CdStatement) statement = NULL;

  if (lease == NULL)
    return FALSE;

  /* Signing in is rare enough to also sweep this holder's expired sessions. */
  purge = lease_prepare (lease,
                         "DELETE FROM sessions WHERE account_id = ?1 AND expires_at <= strftime('%s', 'now')",
                         error);
  if (purge == NULL)
    return FALSE;
  sqlite3_bind_int64 (purge, 1, account_id);
  if (!statement_run (lease, purge, error))
    return FALSE;

  statement = lease_prepare (lease,
                             "INSERT INTO sessions (token_hash, account_id, expires_at) VALUES (?1, ?2, ?3)",
                             error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, token_hash);
  sqlite3_bind_int64 (statement, 2, account_id);
  sqlite3_bind_int64 (statement, 3, expires_at);
  return statement_run (lease, statement, error);
}

static CdAccountRecord *
cd_sqlite_store_lookup_session (CdStore     *store,
                                const char  *token_hash,
                                gint64       now,
                                GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;
  gboolean row;

  if (lease == NULL)
    return NULL;

  statement = lease_prepare (lease,
                             "SELECT " ACCOUNT_COLUMNS " FROM sessions s"
                             " JOIN accounts u ON u.id = s.account_id"
                             " WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                             error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, token_hash);
  sqlite3_bind_int64 (statement, 2, now);
  if (!statement_next (lease, statement, &row, error))
    return NULL;
  if (!row)
    {
      set_not_found (error, "session");
      return NULL;
    }

  return read_account (statement, error);
}

static gboolean
cd_sqlite_store_delete_session (CdStore     *store,
                                const char  *token_hash,
                                GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;

  if (lease == NULL)
    return FALSE;

  statement = lease_prepare (lease, "DELETE FROM sessions WHERE token_hash = ?1", error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, token_hash);
  return statement_run (lease, statement, error);
}

static gboolean
cd_sqlite_store_accept_notice (CdStore     *store,
                               gint64       account_id,
                               const char  *version,
                               GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;

  if (lease == NULL)
    return FALSE;

  statement = lease_prepare (lease, "UPDATE accounts SET notice_version = ?2 WHERE id = ?1", error);
  if (statement == NULL)
    return FALSE;

  sqlite3_bind_int64 (statement, 1, account_id);
  bind_text (statement, 2, version);
  return statement_run (lease, statement, error);
}

/* Collects the certificates (with their latest annotation) that @statement yields. */
static GPtrArray *
collect_certificates (Lease        *lease,
                      CdStatement  *statement,
                      GError      **error)
{
  g_autoptr(GPtrArray) certificates = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_certificate_record_free);
  gboolean row;

  while (TRUE)
    {
      CdCertificateRecord *certificate;

      if (!statement_next (lease, statement, &row, error))
        return NULL;
      if (!row)
        break;

      certificate = read_certificate (statement, TRUE, error);
      if (certificate == NULL)
        return NULL;
      g_ptr_array_add (certificates, certificate);
    }

  return g_steal_pointer (&certificates);
}

/* Collects the annotations that @statement yields (ANNOTATION_COLUMNS first). */
static GPtrArray *
collect_annotations (Lease        *lease,
                     CdStatement  *statement,
                     GError      **error)
{
  g_autoptr(GPtrArray) annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_annotation_record_free);
  gboolean row;

  while (TRUE)
    {
      CdAnnotationRecord *annotation;

      if (!statement_next (lease, statement, &row, error))
        return NULL;
      if (!row)
        break;

      annotation = read_annotation (statement, 0, error);
      if (annotation == NULL)
        return NULL;
      g_ptr_array_add (annotations, annotation);
    }

  return g_steal_pointer (&annotations);
}

static GPtrArray *
cd_sqlite_store_list_certificates (CdStore     *store,
                                   const char  *id_number,
                                   GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;

  if (lease == NULL)
    return NULL;

  statement = lease_prepare (lease,
                             "SELECT " CERTIFICATE_COLUMNS ", " ANNOTATION_COLUMNS
                             " FROM certificates c"
                             " LEFT JOIN annotations a ON a.seq ="
                             "  (SELECT MAX(seq) FROM annotations WHERE certificate_id = c.id)"
                             " WHERE c.id_number = ?1"
                             " ORDER BY c.issued_on DESC, c.cert_no",
                             error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, id_number);
  return collect_certificates (lease, statement, error);
}

static CdCertificateRecord *
cd_sqlite_store_get_certificate (CdStore     *store,
                                 const char  *id_number,
                                 const char  *certificate_id,
                                 GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;
  g_autoptr(GPtrArray) certificates = NULL;

  if (lease == NULL)
    return NULL;

  statement = lease_prepare (lease,
                             "SELECT " CERTIFICATE_COLUMNS ", " ANNOTATION_COLUMNS
                             " FROM certificates c"
                             " LEFT JOIN annotations a ON a.seq ="
                             "  (SELECT MAX(seq) FROM annotations WHERE certificate_id = c.id)"
                             " WHERE c.id_number = ?1 AND c.id = ?2",
                             error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, id_number);
  bind_text (statement, 2, certificate_id);
  certificates = collect_certificates (lease, statement, error);
  if (certificates == NULL)
    return NULL;
  if (certificates->len == 0)
    {
      set_not_found (error, "certificate");
      return NULL;
    }

  return g_ptr_array_steal_index (certificates, 0);
}

static GPtrArray *
cd_sqlite_store_list_annotations (CdStore     *store,
                                  const char  *id_number,
                                  const char  *certificate_id,
                                  GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;

  if (lease == NULL)
    return NULL;

  statement = lease_prepare (lease,
                             "SELECT " ANNOTATION_COLUMNS " FROM annotations a"
                             " JOIN certificates c ON c.id = a.certificate_id"
                             " WHERE c.id_number = ?1 AND c.id = ?2"
                             " ORDER BY a.seq DESC",
                             error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, id_number);
  bind_text (statement, 2, certificate_id);
  return collect_annotations (lease, statement, error);
}

static gboolean
cd_sqlite_store_get_quota (CdStore            *store,
                           const char         *certificate_id,
                           const CdQuotaRule  *rule,
                           gint64              now,
                           CdQuotaState       *out_state,
                           GError            **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);

  if (lease == NULL)
    return FALSE;

  return count_quota (lease, certificate_id, rule, now, out_state, error);
}

static CdAnnotationRecord *
insert_annotation (Lease        *lease,
                   const char   *certificate_id,
                   CdScenario    scenario,
                   int           validity_days,
                   gint64        now,
                   GError      **error)
{
  g_autoptr(CdStatement) next_seq = NULL;
  g_autoptr(CdStatement) insert = NULL;
  g_autoptr(CdAnnotationRecord) annotation = g_new0 (CdAnnotationRecord, 1);
  g_autoptr(GDateTime) requested = g_date_time_new_from_unix_utc (now);
  g_autofree char *day = g_date_time_format (requested, "%Y%m%d");
  gboolean row;

  /* The write lock is held, so the next sequence number is ours. */
  next_seq = lease_prepare (lease, "SELECT COALESCE(MAX(seq), 0) + 1 FROM annotations", error);
  if (next_seq == NULL || !statement_next (lease, next_seq, &row, error))
    return NULL;

  annotation->id = g_uuid_string_random ();
  annotation->annotation_no = g_strdup_printf ("JZ%s%06" G_GINT64_FORMAT, day,
                                               (gint64) sqlite3_column_int64 (next_seq, 0));
  annotation->certificate_id = g_strdup (certificate_id);
  annotation->scenario = scenario;
  annotation->validity_days = validity_days;
  annotation->state = CD_ANNOTATION_STATE_PENDING;
  annotation->requested_at = now;
  annotation->verification_code = cd_secrets_new_verification_code ();

  insert = lease_prepare (lease,
                          "INSERT INTO annotations (id, annotation_no, certificate_id, scenario,"
                          " validity_days, state, requested_at, verification_code)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7)",
                          error);
  if (insert == NULL)
    return NULL;

  bind_text (insert, 1, annotation->id);
  bind_text (insert, 2, annotation->annotation_no);
  bind_text (insert, 3, certificate_id);
  bind_text (insert, 4, cd_scenario_to_string (scenario));
  sqlite3_bind_int (insert, 5, validity_days);
  sqlite3_bind_int64 (insert, 6, now);
  bind_text (insert, 7, annotation->verification_code);
  if (!statement_run (lease, insert, error))
    return NULL;

  return g_steal_pointer (&annotation);
}

static CdAnnotationRecord *
cd_sqlite_store_apply_annotation (CdStore            *store,
                                  const char         *id_number,
                                  const char         *certificate_id,
                                  CdScenario          scenario,
                                  int                 validity_days,
                                  const CdQuotaRule  *rule,
                                  gint64              now,
                                  CdQuotaState       *out_quota,
                                  GError            **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) status_query = NULL;
  g_autoptr(CdAnnotationRecord) annotation = NULL;
  CdCertificateStatus status;
  gboolean row;

  if (lease == NULL)
    return NULL;

  /* IMMEDIATE takes the write lock before the count: concurrent applications queue
   * here instead of all seeing the same free slot. */
  if (!lease_exec (lease, "BEGIN IMMEDIATE", error))
    return NULL;

  status_query = lease_prepare (lease,
                                "SELECT status FROM certificates WHERE id = ?1 AND id_number = ?2",
                                error);
  if (status_query == NULL)
    return NULL;

  bind_text (status_query, 1, certificate_id);
  bind_text (status_query, 2, id_number);
  if (!statement_next (lease, status_query, &row, error))
    return NULL;
  if (!row)
    {
      set_not_found (error, "certificate");
      return NULL;
    }
  if (!cd_certificate_status_from_string ((const char *) sqlite3_column_text (status_query, 0), &status))
    {
      set_corrupt_row (error, "certificate");
      return NULL;
    }
  if (status != CD_CERTIFICATE_STATUS_VALID)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CERTIFICATE_NOT_VALID,
                   "The certificate is %s", cd_certificate_status_to_string (status));
      return NULL;
    }

  if (!count_quota (lease, certificate_id, rule, now, out_quota, error))
    return NULL;
  if (out_quota->used >= rule->limit)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_QUOTA_EXCEEDED,
                   "The certificate already has %d annotations in the window", out_quota->used);
      return NULL;
    }

  annotation = insert_annotation (lease, certificate_id, scenario, validity_days, now, error);
  if (annotation == NULL)
    return NULL;

  if (!lease_exec (lease, "COMMIT", error))
    return NULL;

  if (out_quota->used == 0)
    out_quota->next_slot_at = now + rule->window_seconds;
  out_quota->used++;

  return g_steal_pointer (&annotation);
}

static CdAnnotationRecord *
cd_sqlite_store_get_annotation (CdStore     *store,
                                const char  *id_number,
                                const char  *annotation_id,
                                GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;
  gboolean row;

  if (lease == NULL)
    return NULL;

  statement = lease_prepare (lease,
                             "SELECT " ANNOTATION_COLUMNS " FROM annotations a"
                             " JOIN certificates c ON c.id = a.certificate_id"
                             " WHERE a.id = ?1 AND c.id_number = ?2",
                             error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, annotation_id);
  bind_text (statement, 2, id_number);
  if (!statement_next (lease, statement, &row, error))
    return NULL;
  if (!row)
    {
      set_not_found (error, "annotation");
      return NULL;
    }

  return read_annotation (statement, 0, error);
}

static GBytes *
cd_sqlite_store_get_document (CdStore     *store,
                              const char  *id_number,
                              const char  *annotation_id,
                              GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;
  gboolean row;

  if (lease == NULL)
    return NULL;

  statement = lease_prepare (lease,
                             "SELECT d.pdf FROM documents d"
                             " JOIN annotations a ON a.id = d.annotation_id"
                             " JOIN certificates c ON c.id = a.certificate_id"
                             " WHERE d.annotation_id = ?1 AND c.id_number = ?2",
                             error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, annotation_id);
  bind_text (statement, 2, id_number);
  if (!statement_next (lease, statement, &row, error))
    return NULL;
  if (!row)
    {
      set_not_found (error, "document");
      return NULL;
    }

  return g_bytes_new (sqlite3_column_blob (statement, 0), sqlite3_column_bytes (statement, 0));
}

static GPtrArray *
cd_sqlite_store_list_pending_annotations (CdStore  *store,
                                          GError  **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;

  if (lease == NULL)
    return NULL;

  statement = lease_prepare (lease,
                             "SELECT " ANNOTATION_COLUMNS " FROM annotations a"
                             " WHERE a.state = 'pending' ORDER BY a.seq",
                             error);
  if (statement == NULL)
    return NULL;

  return collect_annotations (lease, statement, error);
}

static CdCertificateRecord *
lookup_certificate_with_annotation (Lease        *lease,
                                    CdStatement  *statement,
                                    GError      **error)
{
  gboolean row;

  if (!statement_next (lease, statement, &row, error))
    return NULL;
  if (!row)
    {
      set_not_found (error, "annotation");
      return NULL;
    }

  return read_certificate (statement, TRUE, error);
}

static CdCertificateRecord *
cd_sqlite_store_get_generation_input (CdStore     *store,
                                      const char  *annotation_id,
                                      GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;

  if (lease == NULL)
    return NULL;

  statement = lease_prepare (lease,
                             "SELECT " CERTIFICATE_COLUMNS ", " ANNOTATION_COLUMNS
                             " FROM annotations a JOIN certificates c ON c.id = a.certificate_id"
                             " WHERE a.id = ?1",
                             error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, annotation_id);
  return lookup_certificate_with_annotation (lease, statement, error);
}

static gboolean
cd_sqlite_store_complete_annotation (CdStore     *store,
                                     const char  *annotation_id,
                                     gint64       ready_at,
                                     gint64       valid_until,
                                     GBytes      *document,
                                     GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) update = NULL;
  g_autoptr(CdStatement) insert = NULL;
  gsize length;
  gconstpointer data;

  if (lease == NULL)
    return FALSE;

  if (!lease_exec (lease, "BEGIN IMMEDIATE", error))
    return FALSE;

  update = lease_prepare (lease,
                          "UPDATE annotations SET state = 'ready', ready_at = ?2, valid_from = ?2,"
                          " valid_until = ?3 WHERE id = ?1 AND state = 'pending'",
                          error);
  if (update == NULL)
    return FALSE;

  bind_text (update, 1, annotation_id);
  sqlite3_bind_int64 (update, 2, ready_at);
  sqlite3_bind_int64 (update, 3, valid_until);
  if (!statement_run (lease, update, error))
    return FALSE;
  if (sqlite3_changes (lease->connection->db) != 1)
    return set_not_found (error, "pending annotation");

  insert = lease_prepare (lease, "INSERT INTO documents (annotation_id, pdf) VALUES (?1, ?2)", error);
  if (insert == NULL)
    return FALSE;

  data = g_bytes_get_data (document, &length);
  bind_text (insert, 1, annotation_id);
  sqlite3_bind_blob64 (insert, 2, data, length, SQLITE_STATIC);
  if (!statement_run (lease, insert, error))
    return FALSE;

  return lease_exec (lease, "COMMIT", error);
}

static gboolean
cd_sqlite_store_fail_annotation (CdStore     *store,
                                 const char  *annotation_id,
                                 const char  *reason,
                                 GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;

  if (lease == NULL)
    return FALSE;

  statement = lease_prepare (lease,
                             "UPDATE annotations SET state = 'failed', failure_reason = ?2"
                             " WHERE id = ?1 AND state = 'pending'",
                             error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, annotation_id);
  bind_text (statement, 2, reason);
  return statement_run (lease, statement, error);
}

static CdCertificateRecord *
cd_sqlite_store_lookup_verification (CdStore     *store,
                                     const char  *cert_no,
                                     const char  *verification_code,
                                     GError     **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);
  g_autoptr(CdStatement) statement = NULL;

  if (lease == NULL)
    return NULL;

  statement = lease_prepare (lease,
                             "SELECT " CERTIFICATE_COLUMNS ", " ANNOTATION_COLUMNS
                             " FROM annotations a JOIN certificates c ON c.id = a.certificate_id"
                             " WHERE c.cert_no = ?1 AND a.verification_code = ?2",
                             error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, cert_no);
  bind_text (statement, 2, verification_code);
  return lookup_certificate_with_annotation (lease, statement, error);
}

static gboolean
cd_sqlite_store_import_certificates (CdStore    *store,
                                     GPtrArray  *certificates,
                                     GError    **error)
{
  g_autoptr(Lease) lease = lease_acquire (CD_SQLITE_STORE (store), error);

  if (lease == NULL)
    return FALSE;

  if (!lease_exec (lease, "BEGIN IMMEDIATE", error))
    return FALSE;

  for (guint i = 0; i < certificates->len; i++)
    {
      const CdCertificateRecord *certificate = g_ptr_array_index (certificates, i);
      g_autoptr(CdStatement) statement = NULL;
      g_autofree char *new_id = g_uuid_string_random ();

      /* An existing cert_no keeps its id, so its annotations stay attached. */
      statement = lease_prepare (lease,
                                 "INSERT INTO certificates (id, cert_no, qualification, specialty, level,"
                                 " holder_name, gender, id_type, id_number, management_no, issued_on,"
                                 " issuer, status)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                                 " ON CONFLICT (cert_no) DO UPDATE SET"
                                 "  qualification = excluded.qualification, specialty = excluded.specialty,"
                                 "  level = excluded.level, holder_name = excluded.holder_name,"
                                 "  gender = excluded.gender, id_type = excluded.id_type,"
                                 "  id_number = excluded.id_number, management_no = excluded.management_no,"
                                 "  issued_on = excluded.issued_on, issuer = excluded.issuer,"
                                 "  status = excluded.status",
                                 error);
      if (statement == NULL)
        return FALSE;

      bind_text (statement, 1, certificate->id != NULL ? certificate->id : new_id);
      bind_text (statement, 2, certificate->cert_no);
      bind_text (statement, 3, certificate->qualification);
      bind_text (statement, 4, certificate->specialty);
      bind_text (statement, 5, certificate->level);
      bind_text (statement, 6, certificate->holder_name);
      bind_text (statement, 7, certificate->gender);
      bind_text (statement, 8, cd_id_type_to_string (certificate->id_type));
      bind_text (statement, 9, certificate->id_number);
      bind_text (statement, 10, certificate->management_no);
      bind_text (statement, 11, certificate->issued_on);
      bind_text (statement, 12, certificate->issuer);
      bind_text (statement, 13, cd_certificate_status_to_string (certificate->status));
      if (!statement_run (lease, statement, error))
        {
          g_prefix_error (error, "Certificate %s: ", certificate->cert_no);
          return FALSE;
        }
    }

  return lease_exec (lease, "COMMIT", error);
}

/* GObject */

static void
cd_sqlite_store_finalize (GObject *object)
{
  CdSqliteStore *self = (CdSqliteStore *) object;

  g_clear_pointer (&self->idle_connections, g_ptr_array_unref);
  g_mutex_clear (&self->pool_lock);
  g_free (self->path);

  G_OBJECT_CLASS (cd_sqlite_store_parent_class)->finalize (object);
}

static void
cd_sqlite_store_class_init (CdSqliteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* Memory statistics take a process-wide mutex on every allocation, which the
   * HTTP threads would contend for; nothing reads them. This must precede the first
   * connection, and fails harmlessly if SQLite was initialised already. */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);

  object_class->finalize = cd_sqlite_store_finalize;
}

static void
cd_sqlite_store_iface_init (CdStoreInterface *iface)
{
  iface->create_account = cd_sqlite_store_create_account;
  iface->lookup_account = cd_sqlite_store_lookup_account;
  iface->record_sign_in_failure = cd_sqlite_store_record_sign_in_failure;
  iface->get_sign_in_failures = cd_sqlite_store_get_sign_in_failures;
  iface->clear_sign_in_failures = cd_sqlite_store_clear_sign_in_failures;
  iface->create_session = cd_sqlite_store_create_session;
  iface->lookup_session = cd_sqlite_store_lookup_session;
  iface->delete_session = cd_sqlite_store_delete_session;
  iface->accept_notice = cd_sqlite_store_accept_notice;
  iface->list_certificates = cd_sqlite_store_list_certificates;
  iface->get_certificate = cd_sqlite_store_get_certificate;
  iface->list_annotations = cd_sqlite_store_list_annotations;
  iface->get_quota = cd_sqlite_store_get_quota;
  iface->apply_annotation = cd_sqlite_store_apply_annotation;
  iface->get_annotation = cd_sqlite_store_get_annotation;
  iface->get_document = cd_sqlite_store_get_document;
  iface->list_pending_annotations = cd_sqlite_store_list_pending_annotations;
  iface->get_generation_input = cd_sqlite_store_get_generation_input;
  iface->complete_annotation = cd_sqlite_store_complete_annotation;
  iface->fail_annotation = cd_sqlite_store_fail_annotation;
  iface->lookup_verification = cd_sqlite_store_lookup_verification;
  iface->import_certificates = cd_sqlite_store_import_certificates;
}

static void
cd_sqlite_store_init (CdSqliteStore *self)
{
  g_mutex_init (&self->pool_lock);
  self->idle_connections = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_free);
}

CdSqliteStore *
cd_sqlite_store_open (const char  *path,
                      GError     **error)
{
  g_autoptr(CdSqliteStore) self = g_object_new (CD_TYPE_SQLITE_STORE, NULL);
  g_autoptr(Lease) lease = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);

  lease = lease_acquire (self, error);
  if (lease == NULL || !lease_exec (lease, schema_sql, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  return g_steal_pointer (&self);
}
