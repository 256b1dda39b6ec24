/* CdKeyring against a real gnome-keyring-daemon on a private bus (tests/keyring-session.sh),
 * and, with --no-secrets, against a bus where no Secret Service exists. */

#include "config.h"

#include "cd-keyring.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#define SERVICE       "http://127.0.0.1:8088"
#define OTHER_SERVICE "http://127.0.0.1:9099"
#define ID_NUMBER     "11010519491231002X"
#define OTHER_ID      "440308199901011234"

/* The wrapper's throwaway directory: HOME, the XDG dirs and the keyring files. */
static const char *session_dir;

static void
result_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
store_password (CdKeyring             *keyring,
                const char            *service,
                const char            *id_number,
                const char            *password,
                CdKeyringPersistence   persistence,
                GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_keyring_store_password_async (keyring, service, id_number, password, persistence, NULL,
                                   result_cb, &result);
  wait_for (&result);
  return cd_keyring_store_password_finish (keyring, result, error);
}

static char *
lookup_password (CdKeyring   *keyring,
                 const char  *service,
                 const char  *id_number,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_keyring_lookup_password_async (keyring, service, id_number, NULL, result_cb, &result);
  wait_for (&result);
  return cd_keyring_lookup_password_finish (keyring, result, error);
}

static gboolean
store_token (CdKeyring             *keyring,
             const char            *service,
             const char            *id_number,
             const char            *token,
             CdKeyringPersistence   persistence,
             GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_keyring_store_token_async (keyring, service, id_number, token, persistence, NULL,
                                result_cb, &result);
  wait_for (&result);
  return cd_keyring_store_token_finish (keyring, result, error);
}

static char *
lookup_token (CdKeyring   *keyring,
              const char  *service,
              const char  *id_number,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_keyring_lookup_token_async (keyring, service, id_number, NULL, result_cb, &result);
  wait_for (&result);
  return cd_keyring_lookup_token_finish (keyring, result, error);
}

static char *
lookup_remembered_account (CdKeyring   *keyring,
                           const char  *service,
                           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_keyring_lookup_remembered_account_async (keyring, service, NULL, result_cb, &result);
  wait_for (&result);
  return cd_keyring_lookup_remembered_account_finish (keyring, result, error);
}

static gboolean
clear (CdKeyring   *keyring,
       const char  *service,
       const char  *id_number,
       gboolean     forget_password,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_keyring_clear_async (keyring, service, id_number, forget_password, NULL, result_cb, &result);
  wait_for (&result);
  return cd_keyring_clear_finish (keyring, result, error);
}

static void
forget_everything (CdKeyring *keyring)
{
  const char *services[] = { SERVICE, OTHER_SERVICE };
  const char *ids[] = { ID_NUMBER, OTHER_ID };

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    for (guint j = 0; j < G_N_ELEMENTS (ids); j++)
      {
        g_autoptr(GError) error = NULL;

        clear (keyring, services[i], ids[j], TRUE, &error);
        g_assert_no_error (error);
      }
}

/* The keyring's own view, not through CdKeyring: the object paths, one a line, of the
 * items with these attributes; a path names the item's collection. */
static char *
find_items (const char *service,
            const char *id_number,
            const char *kind)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;
  g_autofree char *unlocked_lines = NULL;
  g_autofree char *locked_lines = NULL;
  GVariantBuilder attributes;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", "service", service);
  g_variant_builder_add (&attributes, "{ss}", "id-number", id_number);
  g_variant_builder_add (&attributes, "{ss}", "kind", kind);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "SearchItems",
                                       g_variant_new ("(a{ss})", &attributes),
                                       G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);

  g_variant_get (reply, "(^a&o^a&o)", &unlocked, &locked);
  unlocked_lines = g_strjoinv ("\n", (char **) unlocked);
  locked_lines = g_strjoinv ("\n", (char **) locked);
  return g_strconcat (unlocked_lines, "\n", locked_lines, NULL);
}

static char *
get_item_label (const char *path)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) label = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Item", "Label"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &label);
  return g_variant_dup_string (label, NULL);
}

/* secret-tool's answer: libsecret, but not CdKeyring. */
static char *
secret_tool_lookup (const char *service,
                    const char *id_number,
                    const char *kind)
{
  const char *argv[] = {
    "secret-tool", "lookup", "service", service, "id-number", id_number, "kind", kind, NULL
  };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_steal_pointer (&out);
}

static guint
count_substrings (const char *haystack,
                  const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_password (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *label = NULL;

  forget_everything (keyring);

  store_password (keyring, SERVICE, ID_NUMBER, "correct horse 电池", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);

  password = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "correct horse 电池");
  g_clear_pointer (&password, g_free);

  /* The same holder whether the check character is typed x or X, and the same service
   * with a trailing slash. */
  password = lookup_password (keyring, SERVICE "/", "11010519491231002x", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "correct horse 电池");
  g_clear_pointer (&password, g_free);

  /* Really in the login keyring (the default collection), once, with a masked label. */
  seen = find_items (SERVICE, ID_NUMBER, "password");
  g_assert_cmpuint (count_substrings (seen, "/org/freedesktop/secrets/collection/login/"), ==, 1);
  g_assert_cmpuint (count_substrings (seen, "/collection/session/"), ==, 0);
  *strchr (seen, '\n') = '\0';
  label = get_item_label (seen);
  g_assert_cmpstr (label, ==, "CertDesk password for 1101**********002X");
  g_clear_pointer (&seen, g_free);
  seen = secret_tool_lookup (SERVICE, ID_NUMBER, "password");
  g_assert_cmpstr (seen, ==, "correct horse 电池");
  g_clear_pointer (&seen, g_free);

  /* Storing again replaces. */
  store_password (keyring, SERVICE, ID_NUMBER, "new password", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  password = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "new password");
  seen = find_items (SERVICE, ID_NUMBER, "password");
  g_assert_cmpuint (count_substrings (seen, "/org/freedesktop/secrets/collection/"), ==, 1);
}

static void
test_token (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *password = NULL;

  forget_everything (keyring);

  token = lookup_token (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_null (token);

  store_token (keyring, SERVICE, ID_NUMBER, "tok-0123456789abcdef", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  token = lookup_token (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "tok-0123456789abcdef");

  /* A token is not a password. */
  password = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_null (password);

  store_password (keyring, SERVICE, ID_NUMBER, "the password", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  g_clear_pointer (&token, g_free);
  token = lookup_token (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "tok-0123456789abcdef");
}

static void
test_session_only (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *token = NULL;
  g_autofree char *seen = NULL;

  forget_everything (keyring);

  store_password (keyring, SERVICE, ID_NUMBER, "for now", CD_KEYRING_SESSION_ONLY, &error);
  g_assert_no_error (error);
  store_token (keyring, SERVICE, ID_NUMBER, "session-token", CD_KEYRING_SESSION_ONLY, &error);
  g_assert_no_error (error);

  password = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "for now");
  token = lookup_token (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "session-token");

  seen = find_items (SERVICE, ID_NUMBER, "password");
  g_assert_cmpuint (count_substrings (seen, "/org/freedesktop/secrets/collection/session/"), ==, 1);
  g_assert_cmpuint (count_substrings (seen, "/collection/login/"), ==, 0);
  g_clear_pointer (&seen, g_free);
  seen = find_items (SERVICE, ID_NUMBER, "token");
  g_assert_cmpuint (count_substrings (seen, "/org/freedesktop/secrets/collection/session/"), ==, 1);
  g_assert_cmpuint (count_substrings (seen, "/collection/login/"), ==, 0);
  g_clear_pointer (&seen, g_free);

  /* Choosing "remember" moves it to the login keyring, leaving no session copy… */
  store_password (keyring, SERVICE, ID_NUMBER, "for good", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  seen = find_items (SERVICE, ID_NUMBER, "password");
  g_assert_cmpuint (count_substrings (seen, "/org/freedesktop/secrets/collection/login/"), ==, 1);
  g_assert_cmpuint (count_substrings (seen, "/collection/session/"), ==, 0);
  g_clear_pointer (&seen, g_free);

  /* …and "this session only" removes it from there. */
  store_password (keyring, SERVICE, ID_NUMBER, "for now again", CD_KEYRING_SESSION_ONLY, &error);
  g_assert_no_error (error);
  seen = find_items (SERVICE, ID_NUMBER, "password");
  g_assert_cmpuint (count_substrings (seen, "/org/freedesktop/secrets/collection/session/"), ==, 1);
  g_assert_cmpuint (count_substrings (seen, "/collection/login/"), ==, 0);
  g_clear_pointer (&password, g_free);
  password = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "for now again");
}

static void
test_remembered_account (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;

  forget_everything (keyring);

  account = lookup_remembered_account (keyring, SERVICE, &error);
  g_assert_no_error (error);
  g_assert_null (account);

  store_password (keyring, SERVICE, ID_NUMBER, "first", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  account = lookup_remembered_account (keyring, SERVICE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, ID_NUMBER);
  g_clear_pointer (&account, g_free);

  /* The keyring keeps modification times in whole seconds. */
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  store_password (keyring, SERVICE, OTHER_ID, "second", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  account = lookup_remembered_account (keyring, SERVICE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, OTHER_ID);
  g_clear_pointer (&account, g_free);

  /* A sign-in without remembering (a session-only token) makes its holder the current one. */
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  store_token (keyring, SERVICE, ID_NUMBER, "token", CD_KEYRING_SESSION_ONLY, &error);
  g_assert_no_error (error);
  account = lookup_remembered_account (keyring, SERVICE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, ID_NUMBER);
  g_clear_pointer (&account, g_free);

  /* Signing in again with the other account makes it the current one again. */
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  store_password (keyring, SERVICE, OTHER_ID, "second", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  account = lookup_remembered_account (keyring, SERVICE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, OTHER_ID);
  g_clear_pointer (&account, g_free);

  /* Another service has its own. */
  account = lookup_remembered_account (keyring, OTHER_SERVICE, &error);
  g_assert_no_error (error);
  g_assert_null (account);

  /* Forgetting the newest falls back on the one before. */
  clear (keyring, SERVICE, ID_NUMBER, TRUE, &error);
  g_assert_no_error (error);
  account = lookup_remembered_account (keyring, SERVICE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, OTHER_ID);
  g_clear_pointer (&account, g_free);

  clear (keyring, SERVICE, OTHER_ID, TRUE, &error);
  g_assert_no_error (error);
  account = lookup_remembered_account (keyring, SERVICE, &error);
  g_assert_no_error (error);
  g_assert_null (account);
}

static void
test_clear (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;

  forget_everything (keyring);

  store_password (keyring, SERVICE, ID_NUMBER, "pw", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  store_token (keyring, SERVICE, ID_NUMBER, "tk", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  store_password (keyring, SERVICE, OTHER_ID, "other pw", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);

  /* Signing out: the token goes, the password stays. */
  clear (keyring, SERVICE, ID_NUMBER, FALSE, &error);
  g_assert_no_error (error);
  token = lookup_token (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  password = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "pw");
  g_clear_pointer (&password, g_free);

  /* Forgetting: both go; another holder's password stays. */
  store_token (keyring, SERVICE, ID_NUMBER, "tk", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  clear (keyring, SERVICE, ID_NUMBER, TRUE, &error);
  g_assert_no_error (error);
  token = lookup_token (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  password = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_null (password);
  other = lookup_password (keyring, SERVICE, OTHER_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (other, ==, "other pw");

  /* Clearing what is not there is no error. */
  clear (keyring, SERVICE, ID_NUMBER, TRUE, &error);
  g_assert_no_error (error);
}

static void
test_other_service_or_id (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *token = NULL;

  forget_everything (keyring);

  store_password (keyring, SERVICE, ID_NUMBER, "pw", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  store_token (keyring, SERVICE, ID_NUMBER, "tk", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);

  password = lookup_password (keyring, OTHER_SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_null (password);
  password = lookup_password (keyring, SERVICE, OTHER_ID, &error);
  g_assert_no_error (error);
  g_assert_null (password);
  password = lookup_password (keyring, "http://127.0.0.1:8088/other", ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_null (password);
  token = lookup_token (keyring, OTHER_SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  token = lookup_token (keyring, SERVICE, OTHER_ID, &error);
  g_assert_no_error (error);
  g_assert_null (token);
}

static void
test_cancelled (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  forget_everything (keyring);

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancellable);
  cd_keyring_store_password_async (keyring, SERVICE, ID_NUMBER, "never stored", CD_KEYRING_REMEMBER,
                                   cancellable, result_cb, &result);
  wait_for (&result);
  g_assert_false (cd_keyring_store_password_finish (keyring, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  password = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_null (password);

  /* Cancelled while under way. */
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  cd_keyring_lookup_password_async (keyring, SERVICE, ID_NUMBER, cancellable, result_cb, &result);
  g_cancellable_cancel (cancellable);
  wait_for (&result);
  g_assert_null (cd_keyring_lookup_password_finish (keyring, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  cd_keyring_lookup_remembered_account_async (keyring, SERVICE, cancellable, result_cb, &result);
  g_cancellable_cancel (cancellable);
  wait_for (&result);
  g_assert_null (cd_keyring_lookup_remembered_account_finish (keyring, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Operations started together, as the window and the client do. */
typedef enum
{
  CALL_STORE_PASSWORD,
  CALL_LOOKUP_PASSWORD,
  CALL_STORE_TOKEN,
  CALL_LOOKUP_TOKEN,
  CALL_LOOKUP_REMEMBERED_ACCOUNT,
  CALL_CLEAR,
} CallKind;

typedef struct
{
  guint  n_calls;
  guint  n_returned;
} Calls;

typedef struct
{
  Calls      *calls;
  CallKind    kind;
  guint       returned;  /* 1 for the first call to return, 2 for the next… */
  char       *expected;  /* for lookups: the value, or NULL for none */
  GQuark      error_domain;
  int         error_code;
} Call;

static void
call_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;
  CdKeyring *keyring = CD_KEYRING (source_object);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gboolean ok = FALSE;

  switch (call->kind)
    {
    case CALL_STORE_PASSWORD:
      ok = cd_keyring_store_password_finish (keyring, result, &error);
      break;
    case CALL_LOOKUP_PASSWORD:
      value = cd_keyring_lookup_password_finish (keyring, result, &error);
      break;
    case CALL_STORE_TOKEN:
      ok = cd_keyring_store_token_finish (keyring, result, &error);
      break;
    case CALL_LOOKUP_TOKEN:
      value = cd_keyring_lookup_token_finish (keyring, result, &error);
      break;
    case CALL_LOOKUP_REMEMBERED_ACCOUNT:
      value = cd_keyring_lookup_remembered_account_finish (keyring, result, &error);
      break;
    case CALL_CLEAR:
      ok = cd_keyring_clear_finish (keyring, result, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (call->error_domain != 0)
    {
      g_assert_error (error, call->error_domain, call->error_code);
      g_assert_false (ok);
      g_assert_null (value);
    }
  else
    {
      g_assert_no_error (error);
      if (call->kind == CALL_STORE_PASSWORD || call->kind == CALL_STORE_TOKEN ||
          call->kind == CALL_CLEAR)
        g_assert_true (ok);
      else
        g_assert_cmpstr (value, ==, call->expected);
    }

  call->returned = ++call->calls->n_returned;
}

static Call *
start_call (CdKeyring    *keyring,
            Calls        *calls,
            CallKind      kind,
            const char   *secret,
            const char   *expected,
            GCancellable *cancellable)
{
  Call *call = g_new0 (Call, 1);

  call->calls = calls;
  call->kind = kind;
  call->expected = g_strdup (expected);
  calls->n_calls++;

  switch (kind)
    {
    case CALL_STORE_PASSWORD:
      cd_keyring_store_password_async (keyring, SERVICE, ID_NUMBER, secret, CD_KEYRING_REMEMBER,
                                       cancellable, call_cb, call);
      break;
    case CALL_LOOKUP_PASSWORD:
      cd_keyring_lookup_password_async (keyring, SERVICE, ID_NUMBER, cancellable, call_cb, call);
      break;
    case CALL_STORE_TOKEN:
      cd_keyring_store_token_async (keyring, SERVICE, ID_NUMBER, secret, CD_KEYRING_SESSION_ONLY,
                                    cancellable, call_cb, call);
      break;
    case CALL_LOOKUP_TOKEN:
      cd_keyring_lookup_token_async (keyring, SERVICE, ID_NUMBER, cancellable, call_cb, call);
      break;
    case CALL_LOOKUP_REMEMBERED_ACCOUNT:
      cd_keyring_lookup_remembered_account_async (keyring, SERVICE, cancellable, call_cb, call);
      break;
    case CALL_CLEAR:
      cd_keyring_clear_async (keyring, SERVICE, ID_NUMBER, TRUE, cancellable, call_cb, call);
      break;
    default:
      g_assert_not_reached ();
    }

  return call;
}

static void
call_free (gpointer data)
{
  Call *call = data;

  g_free (call->expected);
  g_free (call);
}

static void
wait_for_calls (Calls *calls)
{
  while (calls->n_returned < calls->n_calls)
    g_main_context_iteration (NULL, TRUE);
}

/* Searches that load items, overlapping with clearing and storing them, crash libsecret
 * 0.20 ('!task->ever_returned'): CdKeyring runs them one after the other, in order. */
static void
test_overlapping (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GPtrArray) started = g_ptr_array_new_with_free_func (call_free);
  g_autofree char *token = NULL;
  Calls calls = { 0, 0 };

  forget_everything (keyring);

  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *password = g_strdup_printf ("password %u", round);
      g_autofree char *round_token = g_strdup_printf ("token %u", round);

      g_ptr_array_add (started, start_call (keyring, &calls, CALL_STORE_PASSWORD, password, NULL, NULL));
      g_ptr_array_add (started, start_call (keyring, &calls, CALL_LOOKUP_REMEMBERED_ACCOUNT, NULL,
                                            ID_NUMBER, NULL));
      g_ptr_array_add (started, start_call (keyring, &calls, CALL_LOOKUP_PASSWORD, NULL, password, NULL));
      g_ptr_array_add (started, start_call (keyring, &calls, CALL_CLEAR, NULL, NULL, NULL));
      g_ptr_array_add (started, start_call (keyring, &calls, CALL_LOOKUP_PASSWORD, NULL, NULL, NULL));
      g_ptr_array_add (started, start_call (keyring, &calls, CALL_STORE_TOKEN, round_token, NULL, NULL));
      g_ptr_array_add (started, start_call (keyring, &calls, CALL_LOOKUP_TOKEN, NULL, round_token, NULL));
    }
  g_assert_cmpuint (calls.n_returned, ==, 0);

  wait_for_calls (&calls);
  for (guint i = 0; i < started->len; i++)
    {
      Call *call = g_ptr_array_index (started, i);

      g_assert_cmpuint (call->returned, ==, i + 1);
    }

  token = lookup_token (keyring, SERVICE, ID_NUMBER, NULL);
  g_assert_cmpstr (token, ==, "token 19");
}

/* A call cancelled while it waits for its turn returns at once, and is never run. */
static void
test_cancelled_queued (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GPtrArray) started = g_ptr_array_new_with_free_func (call_free);
  Calls calls = { 0, 0 };
  Call *first;
  Call *waiting;
  Call *already;
  Call *last;

  forget_everything (keyring);

  first = start_call (keyring, &calls, CALL_STORE_PASSWORD, "first", NULL, NULL);
  g_ptr_array_add (started, first);
  waiting = start_call (keyring, &calls, CALL_STORE_PASSWORD, "never stored", NULL, cancellable);
  waiting->error_domain = G_IO_ERROR;
  waiting->error_code = G_IO_ERROR_CANCELLED;
  g_ptr_array_add (started, waiting);
  g_cancellable_cancel (cancelled);
  already = start_call (keyring, &calls, CALL_STORE_TOKEN, "never stored", NULL, cancelled);
  already->error_domain = G_IO_ERROR;
  already->error_code = G_IO_ERROR_CANCELLED;
  g_ptr_array_add (started, already);
  last = start_call (keyring, &calls, CALL_LOOKUP_PASSWORD, NULL, "first", NULL);
  g_ptr_array_add (started, last);
  g_cancellable_cancel (cancellable);

  wait_for_calls (&calls);
  /* The cancelled ones did not wait for the first to be stored. */
  g_assert_cmpuint (MAX (waiting->returned, already->returned), <, first->returned);
  g_assert_cmpuint (last->returned, ==, 4);

  g_assert_null (lookup_token (keyring, SERVICE, ID_NUMBER, NULL));
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;
  gsize needle_length = strlen (needle);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  /* Binary files: no strstr(). */
  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (contents + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

/* Regular files under @dir containing any of @needles, appended to @found; counts the
 * files looked at. */
static guint
find_in_files (const char  *dir,
               const char **needles,
               GPtrArray   *found)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_files = 0;

  if (handle == NULL)
    return 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n_files += find_in_files (path, needles, found);
          continue;
        }
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;

      n_files++;
      for (guint i = 0; needles[i] != NULL; i++)
        if (file_contains (path, needles[i]))
          g_ptr_array_add (found, g_strdup_printf ("%s (%s)", path, needles[i]));
    }

  return n_files;
}

static void
test_no_plaintext (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *keyring_file = g_build_filename (session_dir, "data", "keyrings",
                                                    "login.keyring", NULL);
  const char *needles[] = { "Plaintext-Canary-Password-7f3a", "Plaintext-Canary-Token-91c2", NULL };
  g_autofree char *seen = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length;
  gsize after_length;
  g_autofree char *control = g_build_filename (session_dir, "home", "control.txt", NULL);
  const char *control_needles[] = { "Plaintext-Canary-Control-5e0b", NULL };
  guint n_files;

  forget_everything (keyring);
  g_file_get_contents (keyring_file, &before, &before_length, &error);
  g_assert_no_error (error);

  store_password (keyring, SERVICE, ID_NUMBER, needles[0], CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  store_token (keyring, SERVICE, ID_NUMBER, needles[1], CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);

  /* The items are in the login keyring, and its file on disk has changed… */
  seen = find_items (SERVICE, ID_NUMBER, "password");
  g_assert_nonnull (strstr (seen, "/org/freedesktop/secrets/collection/login/"));
  g_file_get_contents (keyring_file, &after, &after_length, &error);
  g_assert_no_error (error);
  g_assert_false (before_length == after_length && memcmp (before, after, after_length) == 0);

  /* …but neither secret is readable in it, nor in any other file of HOME and the XDG
   * dirs (the wrapper's, which the daemon uses, not this test's isolated ones). */
  n_files = find_in_files (session_dir, needles, found);
  g_test_message ("looked at %u files under %s", n_files, session_dir);
  g_assert_cmpuint (n_files, >, 0);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("found in %s", (char *) found->pdata[i]);
  g_assert_cmpuint (found->len, ==, 0);

  /* The search does find what is there. */
  g_file_set_contents (control, "a line with Plaintext-Canary-Control-5e0b in it", -1, &error);
  g_assert_no_error (error);
  find_in_files (session_dir, control_needles, found);
  g_assert_cmpuint (found->len, ==, 1);
  g_unlink (control);
}

static void
call_secret_service (const char *object_path,
                     const char *interface,
                     const char *method,
                     GVariant   *parameters)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", object_path, interface,
                                       method, parameters, NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
}

#define LOGIN_COLLECTION "/org/freedesktop/secrets/collection/login"

/* gnome-keyring's own way to unlock without a prompt, with the password the wrapper gave
 * it, over a "plain" session (the bus is private to this test). */
static void
unlock_login_keyring (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *password = g_getenv ("KEYRING_SESSION_PASSWORD");
  const char *session;

  g_assert_nonnull (password);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "OpenSession",
                                       g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                       G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v&o)", NULL, &session);
  call_secret_service ("/org/freedesktop/secrets",
                       "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                       "UnlockWithMasterPassword",
                       g_variant_new ("(o(o@ay@ays))", LOGIN_COLLECTION, session,
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password,
                                                                 strlen (password), 1),
                                      "text/plain"));
}

/* A locked login keyring that nobody unlocks: the wrapper has no display, so the unlock
 * prompt cannot be shown, and fails as if the holder had dismissed it. */
static void
test_locked (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *items = NULL;

  forget_everything (keyring);
  store_password (keyring, SERVICE, ID_NUMBER, "locked away", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);
  store_token (keyring, SERVICE, ID_NUMBER, "locked token", CD_KEYRING_REMEMBER, &error);
  g_assert_no_error (error);

  call_secret_service ("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "Lock",
                       g_variant_new_parsed ("([%o],)", LOGIN_COLLECTION));

  g_assert_false (store_password (keyring, SERVICE, OTHER_ID, "pw", CD_KEYRING_REMEMBER, &error));
  g_assert_error (error, CD_KEYRING_ERROR, CD_KEYRING_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "sign in without remembering"));
  g_clear_error (&error);

  /* Stored but unreadable is not "nothing stored". */
  value = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_error (error, CD_KEYRING_ERROR, CD_KEYRING_ERROR_LOCKED);
  g_assert_null (value);
  g_clear_error (&error);
  value = lookup_token (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_error (error, CD_KEYRING_ERROR, CD_KEYRING_ERROR_LOCKED);
  g_assert_null (value);
  g_clear_error (&error);
  value = lookup_password (keyring, SERVICE, OTHER_ID, &error);
  g_assert_no_error (error);
  g_assert_null (value);

  /* Who to sign in as is known without unlocking. */
  value = lookup_remembered_account (keyring, SERVICE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, ID_NUMBER);
  g_clear_pointer (&value, g_free);

  /* "This session only" does not need the login keyring… */
  store_password (keyring, SERVICE, OTHER_ID, "pw", CD_KEYRING_SESSION_ONLY, &error);
  g_assert_no_error (error);
  value = lookup_password (keyring, SERVICE, OTHER_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "pw");
  g_clear_pointer (&value, g_free);

  /* …unless a remembered copy would stay behind in it; nor can it be forgotten. */
  g_assert_false (store_password (keyring, SERVICE, ID_NUMBER, "pw", CD_KEYRING_SESSION_ONLY, &error));
  g_assert_error (error, CD_KEYRING_ERROR, CD_KEYRING_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (clear (keyring, SERVICE, ID_NUMBER, FALSE, &error));
  g_assert_error (error, CD_KEYRING_ERROR, CD_KEYRING_ERROR_LOCKED);
  g_clear_error (&error);
  items = find_items (SERVICE, ID_NUMBER, "password");
  g_assert_cmpuint (count_substrings (items, LOGIN_COLLECTION "/"), ==, 1);
  g_assert_cmpuint (count_substrings (items, "/collection/session/"), ==, 0);

  unlock_login_keyring ();
  value = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "locked away");
  g_clear_pointer (&value, g_free);
  value = lookup_token (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "locked token");
}

/* libsecret's file backend, which SECRET_BACKEND=file (with a test password) turns on
 * outside a sandbox, would be a keyring file of its own: refused. In a child, as
 * libsecret picks its backend once. */
static void
test_no_file_backend (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(CdKeyring) keyring = cd_keyring_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *file = g_build_filename (g_get_user_data_dir (), "keyrings",
                                                "default.keyring", NULL);

      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
      g_assert_false (store_password (keyring, SERVICE, ID_NUMBER, "pw", CD_KEYRING_REMEMBER, &error));
      g_assert_error (error, CD_KEYRING_ERROR, CD_KEYRING_ERROR_UNAVAILABLE);
      g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Calls every operation and checks that each fails with @code within @max_seconds. */
static void
assert_all_fail (int    code,
                 double max_seconds)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  g_assert_false (store_password (keyring, SERVICE, ID_NUMBER, "pw", CD_KEYRING_REMEMBER, &error));
  g_assert_error (error, CD_KEYRING_ERROR, code);
  /* A message a holder can act on. */
  g_assert_nonnull (strstr (error->message, "sign in without remembering"));
  g_clear_error (&error);

  g_assert_false (store_password (keyring, SERVICE, ID_NUMBER, "pw", CD_KEYRING_SESSION_ONLY, &error));
  g_assert_error (error, CD_KEYRING_ERROR, code);
  g_clear_error (&error);

  value = lookup_password (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_error (error, CD_KEYRING_ERROR, code);
  g_assert_null (value);
  g_clear_error (&error);

  g_assert_false (store_token (keyring, SERVICE, ID_NUMBER, "tk", CD_KEYRING_REMEMBER, &error));
  g_assert_error (error, CD_KEYRING_ERROR, code);
  g_clear_error (&error);

  value = lookup_token (keyring, SERVICE, ID_NUMBER, &error);
  g_assert_error (error, CD_KEYRING_ERROR, code);
  g_assert_null (value);
  g_clear_error (&error);

  value = lookup_remembered_account (keyring, SERVICE, &error);
  g_assert_error (error, CD_KEYRING_ERROR, code);
  g_assert_null (value);
  g_clear_error (&error);

  g_assert_false (clear (keyring, SERVICE, ID_NUMBER, TRUE, &error));
  g_assert_error (error, CD_KEYRING_ERROR, code);
  g_clear_error (&error);

  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("7 operations failed in %.3f s", elapsed);
  g_assert_cmpfloat (elapsed, <, max_seconds);
}

static void
test_unavailable_no_service (void)
{
  assert_all_fail (CD_KEYRING_ERROR_UNAVAILABLE, 3.0);
}

/* No session bus at all: each case in a child, as GDBus keeps what it found out. */
static void
test_unavailable_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *nowhere = g_build_filename (g_get_tmp_dir (), "certdesk-no-bus", NULL);
      g_autofree char *address = g_strconcat ("unix:path=", nowhere, NULL);

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      assert_all_fail (CD_KEYRING_ERROR_UNAVAILABLE, 3.0);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* No address either: GDBus tries $XDG_RUNTIME_DIR/bus (this test's isolated, empty
 * one), then dbus-launch, which cannot start a bus without X11. */
static void
test_unavailable_no_address (void)
{
  if (g_test_subprocess ())
    {
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      assert_all_fail (CD_KEYRING_ERROR_UNAVAILABLE, 3.0);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
reload_bus_config (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ReloadConfig", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* A Secret Service that D-Bus starts but that never answers, like a hung daemon: on its
 * own, libsecret waits for the bus's activation timeout (25 s). */
static void
test_unavailable_no_answer (void)
{
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *service_file = g_build_filename (session_dir, "services",
                                                    "org.freedesktop.secrets.service", NULL);
  g_autofree char *pid_file = g_build_filename (session_dir, "no-answer.pid", NULL);
  g_autofree char *pid_text = NULL;
  g_autofree char *service = NULL;
  gint64 start;
  double elapsed;

  /* The wrapper's bus activates from $KEYRING_SESSION_DIR/services. */
  service = g_strdup_printf ("[D-BUS Service]\n"
                             "Name=org.freedesktop.secrets\n"
                             "Exec=/bin/sh -c 'echo $$ > %s; exec sleep 30 >/dev/null 2>&1'\n",
                             pid_file);
  g_file_set_contents (service_file, service, -1, &error);
  g_assert_no_error (error);
  reload_bus_config ();

  start = g_get_monotonic_time ();
  g_assert_false (store_password (keyring, SERVICE, ID_NUMBER, "pw", CD_KEYRING_REMEMBER, &error));
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("gave up after %.3f s", elapsed);
  g_assert_error (error, CD_KEYRING_ERROR, CD_KEYRING_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  /* Not at once (the service was being started), and not after D-Bus's 25 s. */
  g_assert_cmpfloat (elapsed, >, 3.0);
  g_assert_cmpfloat (elapsed, <, 10.0);

  /* Stops the stand-in, started by this test, and takes it off the bus. */
  g_file_get_contents (pid_file, &pid_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kill ((pid_t) g_ascii_strtoll (pid_text, NULL, 10), SIGTERM), ==, 0);
  g_unlink (service_file);
  reload_bus_config ();
}

static void
test_skip (void)
{
  g_test_skip ("Run through tests/keyring-session.sh: it needs a throwaway keyring");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  session_dir = g_getenv ("KEYRING_SESSION_DIR");
  if (session_dir == NULL)
    {
      /* Never the keyring of whoever runs the test. */
      g_test_add_func ("/certdesk/keyring/needs-session", test_skip);
    }
  else if (g_strcmp0 (g_getenv ("KEYRING_SESSION_NO_SECRETS"), "1") == 0)
    {
      g_test_add_func ("/certdesk/keyring/unavailable/no-service", test_unavailable_no_service);
      g_test_add_func ("/certdesk/keyring/unavailable/no-bus", test_unavailable_no_bus);
      g_test_add_func ("/certdesk/keyring/unavailable/no-address", test_unavailable_no_address);
      g_test_add_func ("/certdesk/keyring/unavailable/no-answer", test_unavailable_no_answer);
    }
  else
    {
      g_test_add_func ("/certdesk/keyring/password", test_password);
      g_test_add_func ("/certdesk/keyring/token", test_token);
      g_test_add_func ("/certdesk/keyring/session-only", test_session_only);
      g_test_add_func ("/certdesk/keyring/remembered-account", test_remembered_account);
      g_test_add_func ("/certdesk/keyring/clear", test_clear);
      g_test_add_func ("/certdesk/keyring/other-service-or-id", test_other_service_or_id);
      g_test_add_func ("/certdesk/keyring/cancelled", test_cancelled);
      g_test_add_func ("/certdesk/keyring/cancelled-queued", test_cancelled_queued);
      g_test_add_func ("/certdesk/keyring/overlapping", test_overlapping);
      g_test_add_func ("/certdesk/keyring/no-plaintext", test_no_plaintext);
      g_test_add_func ("/certdesk/keyring/locked", test_locked);
      g_test_add_func ("/certdesk/keyring/no-file-backend", test_no_file_backend);
    }

  return g_test_run ();
}
