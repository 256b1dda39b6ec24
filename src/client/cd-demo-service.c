/* The demo service: a certdesk-server child process that lives as long as the app. */

#include "config.h"

#include "cd-demo-service.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define LISTENING_PREFIX      "certdesk-server: listening on "
#define START_TIMEOUT_SECONDS 30
#define STOP_TIMEOUT_MS       5000
#define MAX_LINES_BEFORE_URL  64

struct _CdDemoService
{
  GObject           parent_instance;

  GSubprocess      *process;
  GDataInputStream *output;
  char             *data_dir;
  char             *base_url;
  GTask            *start_task;  /* (owned) (nullable) until the service listens or fails */
  guint             timeout_id;
  guint             n_lines;
  GCancellable     *cancellable; /* reading the output after the start */
};

G_DEFINE_TYPE (CdDemoService, cd_demo_service, G_TYPE_OBJECT)

G_DEFINE_QUARK (cd-demo-service-error-quark, cd_demo_service_error)

static void read_next_line (CdDemoService *self);

/* $CERTDESK_SERVER_BINARY, then beside this program (installed, or the build tree's
 * src/server/), then $PATH. */
static char *
find_server_binary (void)
{
  const char *env = g_getenv ("CERTDESK_SERVER_BINARY");
  g_autofree char *self_exe = NULL;
  g_autofree char *path = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_exe);
      const char *candidates[] = { "certdesk-server", "../server/certdesk-server" };

      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        {
          g_autofree char *candidate = g_build_filename (dir, candidates[i], NULL);

          if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE) &&
              !g_file_test (candidate, G_FILE_TEST_IS_DIR))
            return g_steal_pointer (&candidate);
        }
    }

  path = g_find_program_in_path ("certdesk-server");
  return g_steal_pointer (&path);
}

static void
remove_tree (GFile *dir)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;

  children = g_file_enumerate_children (dir,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (children, &info, &child, NULL, NULL) || info == NULL)
        break;
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_file_delete (child, NULL, NULL);
    }

  if (!g_file_delete (dir, NULL, &error))
    g_debug ("Could not remove the demo data directory: %s", error->message);
}

static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  /* Also when the app is killed and cannot stop it. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

/* Completes the start once, with @error or the URL read. */
static void
complete_start (CdDemoService *self,
                GError        *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    {
      cd_demo_service_stop (self);
      g_task_return_error (task, error);
    }
  else
    {
      g_task_return_boolean (task, TRUE);
    }
}

static void
read_line_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CdDemoService) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source_object), result, NULL,
                                                    &error);
  if (line == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (CD_DEMO_SERVICE_ERROR, CD_DEMO_SERVICE_ERROR_FAILED,
                                     _("The demo service stopped before it was ready."));
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("The demo service could not be read: "));
      complete_start (self, g_steal_pointer (&error));
      return;
    }

  g_debug ("certdesk-server: %s", line);

  if (self->start_task != NULL && g_str_has_prefix (line, LISTENING_PREFIX))
    {
      const char *url = line + strlen (LISTENING_PREFIX);

      if (!g_str_has_prefix (url, "http://127.0.0.1:"))
        {
          complete_start (self, g_error_new (CD_DEMO_SERVICE_ERROR, CD_DEMO_SERVICE_ERROR_FAILED,
                                             _("The demo service listens on an unexpected address: %s"), url));
          return;
        }
      g_free (self->base_url);
      self->base_url = g_strdup (url);
      complete_start (self, NULL);
    }
  else if (self->start_task != NULL && ++self->n_lines > MAX_LINES_BEFORE_URL)
    {
      complete_start (self, g_error_new_literal (CD_DEMO_SERVICE_ERROR, CD_DEMO_SERVICE_ERROR_FAILED,
                                                 _("The demo service did not say where it listens.")));
      return;
    }

  /* Keep reading, so that the service never blocks on a full pipe. */
  if (self->output != NULL)
    read_next_line (self);
}

static void
read_next_line (CdDemoService *self)
{
  GCancellable *cancellable = self->start_task != NULL ? g_task_get_cancellable (self->start_task) : NULL;

  g_data_input_stream_read_line_async (self->output, G_PRIORITY_DEFAULT,
                                       cancellable != NULL ? cancellable : self->cancellable,
                                       read_line_cb, g_object_ref (self));
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  CdDemoService *self = user_data;

  self->timeout_id = 0;
  complete_start (self, g_error_new (CD_DEMO_SERVICE_ERROR, CD_DEMO_SERVICE_ERROR_FAILED,
                                     _("The demo service did not start within %d seconds."),
                                     START_TIMEOUT_SECONDS));
  return G_SOURCE_REMOVE;
}

static void
cd_demo_service_dispose (GObject *object)
{
  CdDemoService *self = CD_DEMO_SERVICE (object);

  cd_demo_service_stop (self);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cd_demo_service_parent_class)->dispose (object);
}

static void
cd_demo_service_finalize (GObject *object)
{
  CdDemoService *self = CD_DEMO_SERVICE (object);

  g_assert (self->start_task == NULL);
  g_free (self->base_url);
  g_free (self->data_dir);

  G_OBJECT_CLASS (cd_demo_service_parent_class)->finalize (object);
}

static void
cd_demo_service_class_init (CdDemoServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_demo_service_dispose;
  object_class->finalize = cd_demo_service_finalize;
}

static void
cd_demo_service_init (CdDemoService *self)
{
  self->cancellable = g_cancellable_new ();
}

CdDemoService *
cd_demo_service_new (void)
{
  return g_object_new (CD_TYPE_DEMO_SERVICE, NULL);
}

void
cd_demo_service_start_async (CdDemoService       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = NULL;

  g_return_if_fail (CD_IS_DEMO_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->process == NULL && self->start_task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_demo_service_start_async);

  binary = find_server_binary ();
  if (binary == NULL)
    {
      g_task_return_new_error (task, CD_DEMO_SERVICE_ERROR, CD_DEMO_SERVICE_ERROR_NOT_FOUND,
                               _("The demo needs certdesk-server, which was not found. "
                                 "Install it or set CERTDESK_SERVER_BINARY."));
      return;
    }

  g_clear_pointer (&self->data_dir, g_free);
  self->data_dir = g_dir_make_tmp ("certdesk-demo-XXXXXX", &error);
  if (self->data_dir == NULL)
    {
      g_task_return_new_error (task, CD_DEMO_SERVICE_ERROR, CD_DEMO_SERVICE_ERROR_FAILED,
                               _("The demo service has no place for its data: %s"), error->message);
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_debug ("Starting the demo service %s in %s", binary, self->data_dir);
  self->process = g_subprocess_launcher_spawn (launcher, &error, binary, "--demo",
                                               "--listen", "127.0.0.1:0",
                                               "--data-dir", self->data_dir,
                                               "--processing-seconds", "3",
                                               NULL);
  if (self->process == NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (self->data_dir);

      remove_tree (dir);
      g_task_return_new_error (task, CD_DEMO_SERVICE_ERROR, CD_DEMO_SERVICE_ERROR_FAILED,
                               _("The demo service could not be started: %s"), error->message);
      return;
    }

  self->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  self->n_lines = 0;
  self->start_task = g_steal_pointer (&task);
  self->timeout_id = g_timeout_add_seconds (START_TIMEOUT_SECONDS, start_timeout_cb, self);
  read_next_line (self);
}

gboolean
cd_demo_service_start_finish (CdDemoService  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (CD_IS_DEMO_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_demo_service_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
cd_demo_service_get_base_url (CdDemoService *self)
{
  g_return_val_if_fail (CD_IS_DEMO_SERVICE (self), NULL);

  return self->base_url;
}

void
cd_demo_service_stop (CdDemoService *self)
{
  g_return_if_fail (CD_IS_DEMO_SERVICE (self));

  /* Reading stops first; a start still waiting fails. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->output);

  if (self->process != NULL)
    {
      g_autoptr(GSubprocess) process = g_steal_pointer (&self->process);

      /* GLib's worker reaps the child; the identifier is NULL once it has exited. */
      g_subprocess_send_signal (process, SIGTERM);
      for (guint waited = 0;
           g_subprocess_get_identifier (process) != NULL && waited < STOP_TIMEOUT_MS;
           waited += 20)
        g_usleep (20 * 1000);
      if (g_subprocess_get_identifier (process) != NULL)
        {
          g_warning ("The demo service did not stop; killing it");
          g_subprocess_force_exit (process);
        }
      g_subprocess_wait (process, NULL, NULL);
      g_debug ("The demo service stopped");
    }

  if (self->data_dir != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (self->data_dir);

      remove_tree (dir);
      g_clear_pointer (&self->data_dir, g_free);
    }

  g_clear_pointer (&self->base_url, g_free);

  if (self->start_task != NULL)
    complete_start (self, g_error_new_literal (CD_DEMO_SERVICE_ERROR, CD_DEMO_SERVICE_ERROR_FAILED,
                                               _("The demo service was stopped.")));
}
