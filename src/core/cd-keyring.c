#include "config.h"

#include "cd-keyring.h"

#include "cd-id-number.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

/* Credentials live in the Secret Service (gnome-keyring, KWallet, …) and nowhere else:
 * when there is none, holders sign in without remembering their password. */

/* libsecret waits as long as D-Bus does (25 s, or the bus's activation timeout) for a
 * Secret Service that is being started and never answers; sign-in must not. Only the
 * connection is bounded: an unlock prompt that follows is the holder's to answer. */
#define CONNECT_TIMEOUT_SECONDS 5

#define ATTRIBUTE_SERVICE   "service"
#define ATTRIBUTE_ID_NUMBER "id-number"
#define ATTRIBUTE_KIND      "kind"
#define KIND_PASSWORD       "password"
#define KIND_TOKEN          "token"

struct _CdKeyring
{
  GObject  parent_instance;

  GTask   *running;      /* the operation under way, if any */
  GQueue   pending;      /* (element-type GTask) waiting for it, oldest first */
  gboolean dispatching;  /* in run_next_operation() */
};

G_DEFINE_TYPE (CdKeyring, cd_keyring, G_TYPE_OBJECT)

G_DEFINE_QUARK (cd-keyring-error-quark, cd_keyring_error)

typedef void (*OperationFunc) (GTask *task);

typedef struct
{
  OperationFunc  run;                 /* the work, once connected */
  OperationFunc  next;                /* the step after check_locked() */
  GHashTable    *attributes;
  const char    *collection;          /* (unowned) store only: a libsecret alias */
  char          *label;               /* store only */
  char          *secret;              /* store only; wiped when freed */
  GCancellable  *connect_cancellable; /* the caller's, or the timeout, cancels it */
  gulong         cancelled_id;
  GSource       *timeout_source;
  gboolean       timed_out;
  GSource       *queued_cancel_source; /* while pending: the caller cancelling it */
} Operation;

static void operation_returned (GTask *task);

static void
operation_free (gpointer data)
{
  Operation *op = data;

  g_assert (op->timeout_source == NULL);
  g_assert (op->cancelled_id == 0);
  g_assert (op->queued_cancel_source == NULL);

  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_free (op->label);
  if (op->secret != NULL)
    secret_password_wipe (op->secret);
  g_free (op->secret);
  g_clear_object (&op->connect_cancellable);
  g_free (op);
}

/* A running operation returns its result through one of these three, and only once. */
static void
finish_boolean (GTask    *task,
                gboolean  value)
{
  g_task_return_boolean (task, value);
  operation_returned (task);
}

static void
finish_pointer (GTask          *task,
                gpointer        value,
                GDestroyNotify  value_free)
{
  g_task_return_pointer (task, value, value_free);
  operation_returned (task);
}

/* Takes @error. */
static void
finish_error (GTask  *task,
              GError *error)
{
  g_task_return_error (task, error);
  operation_returned (task);
}

static void
return_true (GTask *task)
{
  finish_boolean (task, TRUE);
}

static void
return_nothing (GTask *task)
{
  finish_pointer (task, NULL, NULL);
}

static void
free_secret (gpointer secret)
{
  secret_password_wipe (secret);
  g_free (secret);
}

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.certdesk.CertDesk.Credential", SECRET_SCHEMA_NONE,
    {
      { ATTRIBUTE_SERVICE, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTRIBUTE_ID_NUMBER, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTRIBUTE_KIND, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* One item per service URL however the URL is written, and per holder however the
 * check character X is typed. */
static GHashTable *
build_attributes (const char *service,
                  const char *id_number,
                  const char *kind)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *canonical_service = g_strdup (service);
  gsize len = strlen (canonical_service);

  while (len > 0 && canonical_service[len - 1] == '/')
    canonical_service[--len] = '\0';
  g_hash_table_insert (attributes, ATTRIBUTE_SERVICE, g_steal_pointer (&canonical_service));
  if (id_number != NULL)
    g_hash_table_insert (attributes, ATTRIBUTE_ID_NUMBER, cd_id_number_normalize (id_number));
  if (kind != NULL)
    g_hash_table_insert (attributes, ATTRIBUTE_KIND, g_strdup (kind));

  return g_steal_pointer (&attributes);
}

static GError *
new_keyring_error (CdKeyringError code)
{
  switch (code)
    {
    case CD_KEYRING_ERROR_UNAVAILABLE:
      return g_error_new_literal (CD_KEYRING_ERROR, code,
                                  _("No keyring is available on this computer, so your password "
                                    "was not remembered. You can still sign in without "
                                    "remembering it."));
    case CD_KEYRING_ERROR_LOCKED:
      return g_error_new_literal (CD_KEYRING_ERROR, code,
                                  _("Your keyring is locked, so your password was not "
                                    "remembered. You can still sign in without remembering it."));
    case CD_KEYRING_ERROR_FAILED:
      return g_error_new_literal (CD_KEYRING_ERROR, code,
                                  _("Your keyring could not be used, so your password was not "
                                    "remembered. You can still sign in without remembering it."));
    default:
      g_assert_not_reached ();
    }
}

static CdKeyringError
classify_error (const GError *error)
{
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return CD_KEYRING_ERROR_LOCKED;

  /* The service went away, or could not be (re)started, since we connected. */
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_REPLY:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_TIMEOUT:
        case G_DBUS_ERROR_TIMED_OUT:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
          return CD_KEYRING_ERROR_UNAVAILABLE;
        default:
          break;
        }
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return CD_KEYRING_ERROR_UNAVAILABLE;

  return CD_KEYRING_ERROR_FAILED;
}

/* Takes @error; cancellation reaches the caller unchanged. */
static void
return_error (GTask  *task,
              GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_error (task, error);
      return;
    }

  g_debug ("Keyring: %s: %s", g_quark_to_string (error->domain), error->message);
  finish_error (task, new_keyring_error (classify_error (error)));
  g_error_free (error);
}

static void
stop_connect_guards (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_clear_pointer (&op->timeout_source, g_source_unref);
    }
  g_cancellable_disconnect (g_task_get_cancellable (task), op->cancelled_id);
  op->cancelled_id = 0;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Operation *op = g_task_get_task_data (task);

  op->timed_out = TRUE;
  g_cancellable_cancel (op->connect_cancellable);

  return G_SOURCE_REMOVE;
}

static void
service_get_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  GError *cancelled = NULL;

  stop_connect_guards (task);
  service = secret_service_get_finish (result, &error);

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &cancelled))
    {
      finish_error (task, g_steal_pointer (&cancelled));
      return;
    }

  if (service == NULL)
    {
      g_debug ("Keyring: no Secret Service%s: %s",
               op->timed_out ? " (timed out)" : "", error->message);
      finish_error (task, new_keyring_error (CD_KEYRING_ERROR_UNAVAILABLE));
      return;
    }

  op->run (task);
}

/* Makes sure, within a bounded time, that the Secret Service answers, and then runs
 * @run, whose libsecret calls find the service libsecret keeps connected. */
static void
begin_operation (GTask *task)
{
  Operation *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *backend = g_getenv ("SECRET_BACKEND");

  /* In a sandbox libsecret keeps secrets in a file that the Secret portal holds the key
   * to, by itself; there is no Secret Service to check. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      op->run (task);
      return;
    }

  /* Anywhere else, that file (SECRET_BACKEND=file) would be a second, unmanaged keyring. */
  if (backend != NULL && *backend != '\0' && g_strcmp0 (backend, "service") != 0)
    {
      g_debug ("Keyring: refusing libsecret backend “%s”", backend);
      finish_error (task, new_keyring_error (CD_KEYRING_ERROR_UNAVAILABLE));
      return;
    }

  op->connect_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    op->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                              op->connect_cancellable, NULL);

  op->timeout_source = g_timeout_source_new_seconds (CONNECT_TIMEOUT_SECONDS);
  g_task_attach_source (task, op->timeout_source, connect_timeout_cb);

  secret_service_get (SECRET_SERVICE_OPEN_SESSION, op->connect_cancellable,
                      service_get_cb, g_object_ref (task));
}

static void
stop_queued_cancel_source (Operation *op)
{
  if (op->queued_cancel_source != NULL)
    {
      g_source_destroy (op->queued_cancel_source);
      g_clear_pointer (&op->queued_cancel_source, g_source_unref);
    }
}

/* A pending operation that its caller cancels returns at once, without waiting for
 * its turn. */
static gboolean
queued_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  CdKeyring *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);

  stop_queued_cancel_source (op);
  if (g_queue_remove (&self->pending, task))
    {
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }

  return G_SOURCE_REMOVE;
}

static void
run_next_operation (CdKeyring *self)
{
  /* An operation that fails as it starts calls back in here: the loop below goes on
   * with the next one. */
  if (self->dispatching)
    return;

  g_object_ref (self);
  self->dispatching = TRUE;
  while (self->running == NULL && !g_queue_is_empty (&self->pending))
    {
      g_autoptr(GTask) task = g_queue_pop_head (&self->pending);

      stop_queued_cancel_source (g_task_get_task_data (task));
      if (g_task_return_error_if_cancelled (task))
        continue;

      self->running = g_object_ref (task);
      begin_operation (task);
    }
  self->dispatching = FALSE;
  g_object_unref (self);
}

/* The running operation has returned its result: the next one starts. */
static void
operation_returned (GTask *task)
{
  CdKeyring *self = g_task_get_source_object (task);

  g_assert (task == self->running);
  g_clear_object (&self->running);
  run_next_operation (self);
}

/* Operations run one at a time, in the order they were asked for, each once the one
 * before has returned its result: libsecret 0.20 fails an assertion
 * ('!task->ever_returned' in g_task_return_error) when a search that loads items
 * overlaps with another call clearing and storing them. Queueing here, not in each
 * caller, keeps every user of CdKeyring safe. */
static void
start_operation (GTask         *task,
                 Operation     *op,
                 OperationFunc  run)
{
  CdKeyring *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  op->run = run;
  g_task_set_task_data (task, op, operation_free);

  if (cancellable != NULL)
    {
      op->queued_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->queued_cancel_source, G_SOURCE_FUNC (queued_cancelled_cb),
                             task, NULL);
      g_source_set_priority (op->queued_cancel_source, g_task_get_priority (task));
      g_source_attach (op->queued_cancel_source, g_task_get_context (task));
    }

  g_queue_push_tail (&self->pending, g_object_ref (task));
  run_next_operation (self);
}

static void
store_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      return_error (task, error);
      return;
    }

  finish_boolean (task, TRUE);
}

static void
check_locked_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  if (items != NULL)
    {
      g_list_free_full (items, g_object_unref);
      finish_error (task, new_keyring_error (CD_KEYRING_ERROR_LOCKED));
      return;
    }

  op->next (task);
}

/* libsecret reads and deletes only the items it could unlock, and says nothing of the
 * others: an item that still matches is in a keyring that stayed locked (the holder
 * dismissed the prompt, or none could be shown). If none does, goes on with op->next. */
static void
check_locked (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  secret_password_searchv (get_schema (), op->attributes, SECRET_SEARCH_NONE,
                           g_task_get_cancellable (task), check_locked_cb, g_object_ref (task));
}

static void
clear_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  check_locked (task);
}

static void
lookup_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  if (secret == NULL)
    {
      op->next = return_nothing;
      check_locked (task);
      return;
    }

  /* Callers free with g_free(), not secret_password_free(). */
  finish_pointer (task, g_strdup (secret), free_secret);
  secret_password_free (secret);
}

static void
search_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GHashTable) attributes = NULL;
  SecretRetrievable *newest = NULL;
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;

      if (newest == NULL ||
          secret_retrievable_get_modified (item) > secret_retrievable_get_modified (newest))
        newest = item;
    }

  if (newest != NULL)
    attributes = secret_retrievable_get_attributes (newest);
  g_list_free_full (items, g_object_unref);

  finish_pointer (task,
                  attributes != NULL ? g_strdup (g_hash_table_lookup (attributes, ATTRIBUTE_ID_NUMBER))
                                     : NULL,
                  g_free);
}

static void
store_after_clear (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  secret_password_storev (get_schema (), op->attributes, op->collection, op->label, op->secret,
                          g_task_get_cancellable (task), store_cb, g_object_ref (task));
}

/* Storing replaces the item in both collections, so that a credential kept for "this
 * session only" leaves no copy behind in the login keyring, and the other way round. */
static void
run_store (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  op->next = store_after_clear;
  secret_password_clearv (get_schema (), op->attributes, g_task_get_cancellable (task),
                          clear_cb, g_object_ref (task));
}

static void
run_clear (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  op->next = return_true;
  secret_password_clearv (get_schema (), op->attributes, g_task_get_cancellable (task),
                          clear_cb, g_object_ref (task));
}

static void
run_lookup (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  secret_password_lookupv (get_schema (), op->attributes, g_task_get_cancellable (task),
                           lookup_cb, g_object_ref (task));
}

/* Attributes are readable in a locked keyring: no unlock prompt just to find who. */
static void
run_search (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  secret_password_searchv (get_schema (), op->attributes, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), search_cb, g_object_ref (task));
}

static void
store_async (CdKeyring            *self,
             const char           *service,
             const char           *id_number,
             const char           *kind,
             const char           *secret,
             CdKeyringPersistence  persistence,
             const char           *label,
             GCancellable         *cancellable,
             GAsyncReadyCallback   callback,
             gpointer              user_data,
             gpointer              source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Operation *op = g_new0 (Operation, 1);

  g_task_set_source_tag (task, source_tag);
  op->attributes = build_attributes (service, id_number, kind);
  op->collection = persistence == CD_KEYRING_SESSION_ONLY ? SECRET_COLLECTION_SESSION
                                                          : SECRET_COLLECTION_DEFAULT;
  op->label = g_strdup (label);
  op->secret = g_strdup (secret);
  start_operation (task, op, run_store);
}

static void
lookup_async (CdKeyring           *self,
              const char          *service,
              const char          *id_number,
              const char          *kind,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Operation *op = g_new0 (Operation, 1);

  g_task_set_source_tag (task, source_tag);
  op->attributes = build_attributes (service, id_number, kind);
  start_operation (task, op, run_lookup);
}

static void
cd_keyring_finalize (GObject *object)
{
  CdKeyring *self = CD_KEYRING (object);

  /* Each operation holds a reference to its CdKeyring until it completes. */
  g_assert (self->running == NULL);
  g_assert (g_queue_is_empty (&self->pending));

  G_OBJECT_CLASS (cd_keyring_parent_class)->finalize (object);
}

static void
cd_keyring_class_init (CdKeyringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_keyring_finalize;
}

static void
cd_keyring_init (CdKeyring *self)
{
  g_queue_init (&self->pending);
}

/* The checks every _finish () makes, then the result. */
static gboolean
propagate_boolean (CdKeyring     *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (CD_IS_KEYRING (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
propagate_pointer (CdKeyring     *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (CD_IS_KEYRING (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

CdKeyring *
cd_keyring_new (void)
{
  return g_object_new (CD_TYPE_KEYRING, NULL);
}

void
cd_keyring_store_password_async (CdKeyring            *self,
                                 const char           *service,
                                 const char           *id_number,
                                 const char           *password,
                                 CdKeyringPersistence  persistence,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  g_autofree char *masked = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (CD_IS_KEYRING (self));
  g_return_if_fail (service != NULL && *service != '\0');
  g_return_if_fail (id_number != NULL && *id_number != '\0');
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  masked = cd_id_number_mask (id_number);
  /* Translators: the name of an item in the keyring; %s is a masked ID number. */
  label = g_strdup_printf (_("CertDesk password for %s"), masked);
  store_async (self, service, id_number, KIND_PASSWORD, password, persistence, label,
               cancellable, callback, user_data, cd_keyring_store_password_async);
}

gboolean
cd_keyring_store_password_finish (CdKeyring     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return propagate_boolean (self, result, cd_keyring_store_password_async, error);
}

void
cd_keyring_lookup_password_async (CdKeyring           *self,
                                  const char          *service,
                                  const char          *id_number,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (CD_IS_KEYRING (self));
  g_return_if_fail (service != NULL && *service != '\0');
  g_return_if_fail (id_number != NULL && *id_number != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  lookup_async (self, service, id_number, KIND_PASSWORD, cancellable, callback, user_data,
                cd_keyring_lookup_password_async);
}

/* Returns: (transfer full) (nullable): the password, or %NULL without error if none is stored. */
char *
cd_keyring_lookup_password_finish (CdKeyring     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return propagate_pointer (self, result, cd_keyring_lookup_password_async, error);
}

void
cd_keyring_store_token_async (CdKeyring            *self,
                              const char           *service,
                              const char           *id_number,
                              const char           *token,
                              CdKeyringPersistence  persistence,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_autofree char *masked = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (CD_IS_KEYRING (self));
  g_return_if_fail (service != NULL && *service != '\0');
  g_return_if_fail (id_number != NULL && *id_number != '\0');
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  masked = cd_id_number_mask (id_number);
  /* Translators: the name of an item in the keyring; %s is a masked ID number. */
  label = g_strdup_printf (_("CertDesk session for %s"), masked);
  store_async (self, service, id_number, KIND_TOKEN, token, persistence, label,
               cancellable, callback, user_data, cd_keyring_store_token_async);
}

gboolean
cd_keyring_store_token_finish (CdKeyring     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return propagate_boolean (self, result, cd_keyring_store_token_async, error);
}

void
cd_keyring_lookup_token_async (CdKeyring           *self,
                               const char          *service,
                               const char          *id_number,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CD_IS_KEYRING (self));
  g_return_if_fail (service != NULL && *service != '\0');
  g_return_if_fail (id_number != NULL && *id_number != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  lookup_async (self, service, id_number, KIND_TOKEN, cancellable, callback, user_data,
                cd_keyring_lookup_token_async);
}

/* Returns: (transfer full) (nullable): the token, or %NULL without error if none is stored. */
char *
cd_keyring_lookup_token_finish (CdKeyring     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return propagate_pointer (self, result, cd_keyring_lookup_token_async, error);
}

/* The holder whose credential (a remembered password, or a session-only token) was
 * stored last for @service: who is signed in, or signs in automatically. */
void
cd_keyring_lookup_remembered_account_async (CdKeyring           *self,
                                            const char          *service,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;

  g_return_if_fail (CD_IS_KEYRING (self));
  g_return_if_fail (service != NULL && *service != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_keyring_lookup_remembered_account_async);
  op = g_new0 (Operation, 1);
  op->attributes = build_attributes (service, NULL, NULL);
  start_operation (task, op, run_search);
}

/* Returns: (transfer full) (nullable): the ID number, or %NULL without error if none. */
char *
cd_keyring_lookup_remembered_account_finish (CdKeyring     *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return propagate_pointer (self, result, cd_keyring_lookup_remembered_account_async, error);
}

/* Signing out forgets the token; forgetting the account forgets the password too. */
void
cd_keyring_clear_async (CdKeyring           *self,
                        const char          *service,
                        const char          *id_number,
                        gboolean             forget_password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;

  g_return_if_fail (CD_IS_KEYRING (self));
  g_return_if_fail (service != NULL && *service != '\0');
  g_return_if_fail (id_number != NULL && *id_number != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_keyring_clear_async);
  op = g_new0 (Operation, 1);
  /* Without a kind, the search matches both the token and the password. */
  op->attributes = build_attributes (service, id_number, forget_password ? NULL : KIND_TOKEN);
  start_operation (task, op, run_clear);
}

gboolean
cd_keyring_clear_finish (CdKeyring     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return propagate_boolean (self, result, cd_keyring_clear_async, error);
}
