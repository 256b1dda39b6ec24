/* The client only speaks plain http to this computer; everything else must be https. */

#include "config.h"

#include "cd-client.h"

static void
test_allowed (void)
{
  const char *urls[] = {
    "https://certs.example.cn",
    "https://certs.example.cn:8443/base/",
    "http://127.0.0.1:8088",
    "http://127.5.6.7",
    "http://localhost:8088/",
    "http://[::1]:8088",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdClient) client = cd_client_new (urls[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (client);
      g_assert_false (g_str_has_suffix (cd_client_get_base_url (client), "/"));
    }
}

static void
test_refused (void)
{
  const char *urls[] = {
    "http://certs.example.cn",
    "http://192.168.1.10:8088",
    "http://10.0.0.1",
    "http://[2001:db8::1]",
    "http://127.0.0.1.example.cn",
    "ftp://127.0.0.1",
    "127.0.0.1:8088",
    "https://",
    "",
    "not a url",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdClient) client = cd_client_new (urls[i], &error);

      g_test_message ("%s", urls[i]);
      g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_INSECURE_URL);
      g_assert_null (client);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/client/url/allowed", test_allowed);
  g_test_add_func ("/certdesk/client/url/refused", test_refused);

  return g_test_run ();
}
