#include "config.h"

#include "cd-generator.h"
#include "cd-certificate-document.h"
#include "cd-pdf-signer.h"
#include "cd-time.h"

#include <libsoup/soup.h>

struct _CdGenerator
{
  GObject            parent_instance;

  CdStore           *store;
  CdSigningIdentity *identity;
  char              *public_url;
  gint64             processing_seconds;
  gint64             day_seconds;

  /* Timers live in their own thread and context so that any thread can enqueue. */
  GMainContext      *timer_context;
  GMainLoop         *timer_loop;
  GThread           *timer_thread;
  GThreadPool       *workers;
};

G_DEFINE_FINAL_TYPE (CdGenerator, cd_generator, G_TYPE_OBJECT)

static char *
build_verify_url (CdGenerator               *self,
                  const CdCertificateRecord *certificate,
                  const CdAnnotationRecord  *annotation)
{
  g_autofree char *cert_no = g_uri_escape_string (certificate->cert_no, NULL, FALSE);
  g_autofree char *code = g_uri_escape_string (annotation->verification_code, NULL, FALSE);

  return g_strdup_printf ("%s/api/v1/verify?cert_no=%s&code=%s", self->public_url, cert_no, code);
}

static void
generate_annotation (CdGenerator *self,
                     const char  *annotation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCertificateRecord) certificate = NULL;
  g_autoptr(GBytes) document = NULL;
  CdAnnotationRecord *annotation;
  gint64 ready_at = cd_time_now ();

  certificate = cd_store_get_generation_input (self->store, annotation_id, &error);
  if (certificate == NULL)
    {
      g_warning ("Cannot generate annotation %s: %s", annotation_id, error->message);
      return;
    }

  annotation = certificate->latest_annotation;
  if (annotation->state != CD_ANNOTATION_STATE_PENDING)
    return;

  document = cd_generator_generate (self, certificate, ready_at, &error);
  if (document == NULL)
    {
      g_autoptr(GError) fail_error = NULL;

      g_warning ("Generating annotation %s failed: %s", annotation_id, error->message);
      if (!cd_store_fail_annotation (self->store, annotation_id, error->message, &fail_error))
        g_warning ("Cannot record the failure of annotation %s: %s", annotation_id, fail_error->message);
      return;
    }

  /* On failure the annotation stays pending and is generated again at the next start. */
  if (!cd_store_complete_annotation (self->store, annotation_id, annotation->ready_at,
                                     annotation->valid_until, document, &error))
    g_warning ("Cannot store annotation %s: %s", annotation_id, error->message);
  else
    g_debug ("Annotation %s is ready", annotation_id);
}

static void
worker_func (gpointer data,
             gpointer user_data)
{
  g_autofree char *annotation_id = data;

  generate_annotation (CD_GENERATOR (user_data), annotation_id);
}

typedef struct
{
  CdGenerator *generator; /* (unowned): outlives the timer thread */
  char        *annotation_id;
  gint64       due_at;
} Job;

static void
job_free (Job *job)
{
  g_free (job->annotation_id);
  g_free (job);
}

static gboolean
job_due_cb (gpointer user_data)
{
  Job *job = user_data;

  g_thread_pool_push (job->generator->workers, g_strdup (job->annotation_id), NULL);
  return G_SOURCE_REMOVE;
}

/* Runs in the timer thread. */
static gboolean
schedule_job_cb (gpointer user_data)
{
  Job *job = user_data;
  gint64 delay = MAX (job->due_at - cd_time_now (), 0);
  g_autoptr(GSource) source = NULL;

  if (delay == 0)
    {
      job_due_cb (job);
      job_free (job);
      return G_SOURCE_REMOVE;
    }

  source = g_timeout_source_new_seconds ((guint) MIN (delay, G_MAXUINT));
  g_source_set_callback (source, job_due_cb, job, (GDestroyNotify) job_free);
  g_source_attach (source, job->generator->timer_context);
  return G_SOURCE_REMOVE;
}

static gpointer
timer_thread_func (gpointer user_data)
{
  CdGenerator *self = user_data;

  g_main_context_push_thread_default (self->timer_context);
  g_main_loop_run (self->timer_loop);
  g_main_context_pop_thread_default (self->timer_context);

  return NULL;
}

static void
cd_generator_finalize (GObject *object)
{
  CdGenerator *self = (CdGenerator *) object;

  g_assert (self->timer_thread == NULL);

  g_clear_pointer (&self->timer_loop, g_main_loop_unref);
  g_clear_pointer (&self->timer_context, g_main_context_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->identity);
  g_free (self->public_url);

  G_OBJECT_CLASS (cd_generator_parent_class)->finalize (object);
}

static void
cd_generator_class_init (CdGeneratorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_generator_finalize;
}

static void
cd_generator_init (CdGenerator *self)
{
}

CdGenerator *
cd_generator_new (CdStore           *store,
                  CdSigningIdentity *identity,
                  const char        *public_url,
                  gint64             processing_seconds,
                  gint64             day_seconds,
                  guint              n_workers)
{
  CdGenerator *self;

  g_return_val_if_fail (CD_IS_STORE (store), NULL);
  g_return_val_if_fail (CD_IS_SIGNING_IDENTITY (identity), NULL);
  g_return_val_if_fail (public_url != NULL, NULL);
  g_return_val_if_fail (day_seconds > 0, NULL);
  g_return_val_if_fail (n_workers > 0, NULL);

  self = g_object_new (CD_TYPE_GENERATOR, NULL);
  self->store = g_object_ref (store);
  self->identity = g_object_ref (identity);
  self->public_url = g_strdup (public_url);
  self->processing_seconds = processing_seconds;
  self->day_seconds = day_seconds;

  self->timer_context = g_main_context_new ();
  self->timer_loop = g_main_loop_new (self->timer_context, FALSE);
  self->timer_thread = g_thread_new ("cd-generator-timer", timer_thread_func, self);
  /* Exclusive threads: the workers keep per-thread font maps warm. */
  self->workers = g_thread_pool_new (worker_func, self, (int) n_workers, TRUE, NULL);

  return self;
}

gboolean
cd_generator_resume_pending (CdGenerator  *self,
                             GError      **error)
{
  g_autoptr(GPtrArray) pending = NULL;

  g_return_val_if_fail (CD_IS_GENERATOR (self), FALSE);

  pending = cd_store_list_pending_annotations (self->store, error);
  if (pending == NULL)
    return FALSE;

  for (guint i = 0; i < pending->len; i++)
    cd_generator_enqueue (self, g_ptr_array_index (pending, i));

  if (pending->len > 0)
    g_message ("Resuming %u pending annotations", pending->len);

  return TRUE;
}

void
cd_generator_enqueue (CdGenerator              *self,
                      const CdAnnotationRecord *annotation)
{
  Job *job;

  g_return_if_fail (CD_IS_GENERATOR (self));
  g_return_if_fail (annotation != NULL);

  job = g_new0 (Job, 1);
  job->generator = self;
  job->annotation_id = g_strdup (annotation->id);
  job->due_at = annotation->requested_at + self->processing_seconds;

  g_main_context_invoke (self->timer_context, schedule_job_cb, job);
}

void
cd_generator_shutdown (CdGenerator *self)
{
  g_return_if_fail (CD_IS_GENERATOR (self));

  if (self->timer_thread == NULL)
    return;

  g_main_loop_quit (self->timer_loop);
  g_thread_join (g_steal_pointer (&self->timer_thread));
  g_thread_pool_free (g_steal_pointer (&self->workers), TRUE, TRUE);
}

/* Fills in the validity of @certificate's latest annotation as of @ready_at, then
 * draws and signs the document. Thread-safe. */
GBytes *
cd_generator_generate (CdGenerator          *self,
                       CdCertificateRecord  *certificate,
                       gint64                ready_at,
                       GError              **error)
{
  CdAnnotationRecord *annotation = certificate->latest_annotation;
  g_autofree char *verify_url = NULL;
  g_autoptr(GBytes) unsigned_document = NULL;

  g_return_val_if_fail (CD_IS_GENERATOR (self), NULL);
  g_return_val_if_fail (annotation != NULL, NULL);

  annotation->ready_at = ready_at;
  annotation->valid_from = ready_at;
  annotation->valid_until = ready_at + annotation->validity_days * self->day_seconds;

  verify_url = build_verify_url (self, certificate, annotation);
  unsigned_document = cd_certificate_document_render (certificate, annotation, verify_url, error);
  if (unsigned_document == NULL)
    return NULL;

  return cd_pdf_sign (unsigned_document, self->identity, ready_at, "电子证书加注件签发", error);
}
