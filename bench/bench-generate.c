/* bench-generate: how fast the service draws and signs annotated documents.
 *
 * Usage: bench-generate [--documents N] [--threads T] [--warmup N] [--output-dir DIR]
 *                       [--key-dir DIR] [--csv FILE]
 *
 * Renders N annotated certificates with cd_certificate_document_render () and signs each
 * with cd_pdf_sign (), split over T threads, exactly what the generation workers of
 * certdesk-server do (cd-generator.c) minus the database. Prints documents/s, the mean
 * and p50/p99 milliseconds per document for rendering and signing separately, and the
 * mean size of a signed document. With --output-dir it writes the first signed
 * document there as sample.pdf, for pdfsig; with --csv, one line per document (index,
 * render ms, sign ms, bytes) to look for trends. The signing key is made in --key-dir (or
 * in a temporary directory, removed as soon as the key is loaded).
 *
 * Run it through bench/generate-throughput.sh, which pins it to two cores.
 */

#include "config.h"

#include "cd-certificate-document.h"
#include "cd-pdf-signer.h"
#include "cd-signing-identity.h"

#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#define SIGNING_REASON "电子证书加注件签发"
#define DAY_SECONDS    86400

/* Lets every thread load its fonts before the clock starts. */
typedef struct
{
  GMutex mutex;
  GCond  cond;
  int    n_ready;
  gboolean go;
} StartLine;

typedef struct
{
  CdSigningIdentity *identity; /* (unowned) */
  GPtrArray         *certificates; /* (unowned) CdCertificateRecord, one per document */
  StartLine         *start_line; /* (unowned) */
  guint              warmup_first; /* untimed documents, before the start line */
  guint              warmup_count;
  guint              first; /* timed documents */
  guint              count;
  gint64             base_time;

  /* Results, read after the join. */
  double            *render_ms; /* (unowned) one slot per document */
  double            *sign_ms;   /* (unowned) */
  double            *sizes;     /* (unowned) bytes of each signed document */
  guint64            total_bytes; /* of the timed documents */
  GBytes            *first_document;
  GError            *error;
} Worker;

static const struct
{
  const char *qualification;
  const char *specialty;
  const char *level;
  const char *issuer;
  const char *prefix;
} qualifications[] = {
  { "注册安全工程师", "化工安全", "中级", "中华人民共和国应急管理部", "AQ" },
  { "执业药师", "药学", "", "国家药品监督管理局", "YS" },
  { "一级建造师", "建筑工程", "一级", "中华人民共和国住房和城乡建设部", "JZ" },
  { "注册会计师", "", "", "中华人民共和国财政部", "KJ" },
  { "监理工程师", "交通运输工程", "", "中华人民共和国住房和城乡建设部", "JL" },
  { "社会工作者", "社会工作实务", "中级", "中华人民共和国人力资源和社会保障部", "SG" },
  { "一级造价工程师", "土木建筑工程", "一级", "中华人民共和国住房和城乡建设部", "ZJ" },
  { "注册消防工程师", "消防安全技术", "一级", "中华人民共和国应急管理部", "XF" },
};

static const char *const surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "欧阳", "诸葛",
};
static const char *const given_names[] = {
  "伟", "芳", "秀英", "敏", "静", "丽娟", "强", "磊", "军", "洋", "艳", "勇", "明轩", "子涵",
};
static const char *const regions[] = {
  "110105", "310104", "440106", "330106", "510107", "420102", "320102", "610113",
};

static char *
make_id_number (guint index)
{
  char first17[18];
  guint year = 1965 + index % 35;
  guint month = 1 + index % 12;
  guint day = 1 + index % 28;

  g_snprintf (first17, sizeof first17, "%s%04u%02u%02u%03u",
              regions[index % G_N_ELEMENTS (regions)], year, month, day, 100 + index % 900);

  return g_strdup_printf ("%s%c", first17, cd_id_number_check_digit (first17));
}

/* Varied, realistic records: different lengths, names, issuers and dates. */
static CdCertificateRecord *
make_certificate (guint  index,
                  gint64 requested_at)
{
  CdCertificateRecord *certificate = g_new0 (CdCertificateRecord, 1);
  CdAnnotationRecord *annotation = g_new0 (CdAnnotationRecord, 1);
  guint q = index % G_N_ELEMENTS (qualifications);
  guint issue_year = 2005 + index % 20;
  g_autofree char *digits = g_strdup_printf ("%04u%s%06u", issue_year,
                                             regions[index % G_N_ELEMENTS (regions)], index);

  certificate->id = g_uuid_string_random ();
  certificate->cert_no = g_strdup_printf ("%s%s", qualifications[q].prefix, digits);
  certificate->qualification = g_strdup (qualifications[q].qualification);
  certificate->specialty = g_strdup (qualifications[q].specialty);
  certificate->level = g_strdup (qualifications[q].level);
  certificate->holder_name = g_strconcat (surnames[index % G_N_ELEMENTS (surnames)],
                                          given_names[(index / 3) % G_N_ELEMENTS (given_names)],
                                          NULL);
  certificate->gender = g_strdup (index % 2 ? "女" : "男");
  certificate->id_type = CD_ID_TYPE_RESIDENT_ID;
  certificate->id_number = make_id_number (index);
  certificate->management_no = g_strdup (digits);
  certificate->issued_on = g_strdup_printf ("%04u-%02u-%02u", issue_year, 1 + index % 12,
                                            1 + index % 28);
  certificate->issuer = g_strdup (qualifications[q].issuer);
  certificate->status = CD_CERTIFICATE_STATUS_VALID;

  annotation->id = g_uuid_string_random ();
  annotation->annotation_no = g_strdup_printf ("JZ20261125%06u", index + 1);
  annotation->certificate_id = g_strdup (certificate->id);
  annotation->scenario = CD_SCENARIO_SELF_USE;
  annotation->validity_days = 1 + index % 90;
  annotation->state = CD_ANNOTATION_STATE_PENDING;
  annotation->requested_at = requested_at;
  annotation->verification_code = g_strdup_printf ("K7QW%08X", g_str_hash (certificate->id) & 0x7fffffff);
  certificate->latest_annotation = annotation;

  return certificate;
}

/* The same steps as cd_generator_generate (), timed separately. */
static gboolean
make_documents (Worker   *worker,
                guint     first,
                guint     count,
                gboolean  timed)
{
  for (guint i = first; i < first + count; i++)
    {
      CdCertificateRecord *certificate = g_ptr_array_index (worker->certificates, i);
      CdAnnotationRecord *annotation = certificate->latest_annotation;
      g_autoptr(GBytes) unsigned_document = NULL;
      g_autoptr(GBytes) signed_document = NULL;
      g_autofree char *cert_no = NULL;
      g_autofree char *code = NULL;
      g_autofree char *verify_url = NULL;
      gint64 ready_at = worker->base_time + i;
      gint64 t0, t1, t2;

      annotation->ready_at = ready_at;
      annotation->valid_from = ready_at;
      annotation->valid_until = ready_at + (gint64) annotation->validity_days * DAY_SECONDS;
      cert_no = g_uri_escape_string (certificate->cert_no, NULL, FALSE);
      code = g_uri_escape_string (annotation->verification_code, NULL, FALSE);
      verify_url = g_strdup_printf ("http://127.0.0.1:8088/api/v1/verify?cert_no=%s&code=%s",
                                    cert_no, code);

      t0 = g_get_monotonic_time ();
      unsigned_document = cd_certificate_document_render (certificate, annotation, verify_url,
                                                          &worker->error);
      if (unsigned_document == NULL)
        return FALSE;
      t1 = g_get_monotonic_time ();
      signed_document = cd_pdf_sign (unsigned_document, worker->identity, ready_at,
                                     SIGNING_REASON, &worker->error);
      if (signed_document == NULL)
        return FALSE;
      t2 = g_get_monotonic_time ();

      if (!timed)
        continue;

      worker->render_ms[i] = (t1 - t0) / 1000.0;
      worker->sign_ms[i] = (t2 - t1) / 1000.0;
      worker->sizes[i] = g_bytes_get_size (signed_document);
      worker->total_bytes += g_bytes_get_size (signed_document);
      if (worker->first_document == NULL)
        worker->first_document = g_steal_pointer (&signed_document);
    }

  return TRUE;
}

static gpointer
worker_thread_func (gpointer user_data)
{
  Worker *worker = user_data;
  StartLine *start_line = worker->start_line;
  gboolean ok;

  ok = make_documents (worker, worker->warmup_first, worker->warmup_count, FALSE);

  g_mutex_lock (&start_line->mutex);
  start_line->n_ready++;
  g_cond_broadcast (&start_line->cond);
  while (!start_line->go)
    g_cond_wait (&start_line->cond, &start_line->mutex);
  g_mutex_unlock (&start_line->mutex);

  if (ok)
    make_documents (worker, worker->first, worker->count, TRUE);

  return NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static guint
percentile_index (guint n,
                  guint percent)
{
  guint rank = (n * percent + 99) / 100;

  return rank > 0 ? rank - 1 : 0;
}

static void
summarize (const char *what,
           double     *values,
           guint       n)
{
  g_autofree double *sorted = g_memdup2 (values, n * sizeof (double));
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += values[i];
  qsort (sorted, n, sizeof (double), compare_doubles);

  /* Nearest-rank percentiles. */
  g_print ("%-6s ms/document: mean %.2f  p50 %.2f  p99 %.2f  max %.2f\n", what, sum / n,
           sorted[percentile_index (n, 50)], sorted[percentile_index (n, 99)], sorted[n - 1]);
}

static void
summarize_sizes (double *sizes,
                 guint   n)
{
  g_autofree double *sorted = g_memdup2 (sizes, n * sizeof (double));

  qsort (sorted, n, sizeof (double), compare_doubles);
  g_print ("size KiB: min %.1f  p50 %.1f  max %.1f\n", sorted[0] / 1024.0,
           sorted[percentile_index (n, 50)] / 1024.0, sorted[n - 1] / 1024.0);
}

static void
remove_key_dir (const char *directory)
{
  g_autofree char *key = g_build_filename (directory, "signing-key.pem", NULL);
  g_autofree char *cert = g_build_filename (directory, "signing-cert.pem", NULL);

  g_unlink (key);
  g_unlink (cert);
  if (g_rmdir (directory) != 0)
    g_printerr ("bench-generate: cannot remove %s\n", directory);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CdSigningIdentity) identity = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autofree char *output_dir = NULL;
  g_autofree char *key_dir = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *temp_key_dir = NULL;
  g_autofree double *render_ms = NULL;
  g_autofree double *sign_ms = NULL;
  g_autofree double *sizes = NULL;
  g_autofree Worker *workers = NULL;
  g_autofree GThread **threads = NULL;
  int n_documents = 400;
  int n_threads = 2;
  int warmup = 1;
  guint64 total_bytes = 0;
  gint64 base_time = 1795595400; /* 2026-11-25T08:30:00Z */
  StartLine start_line = { 0 };
  gint64 start, elapsed;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "documents", 'n', 0, G_OPTION_ARG_INT, &n_documents, "Documents to make (default 400)", "N" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &n_threads, "Worker threads (default 2)", "T" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "Untimed documents per thread first, to load fonts (default 1)", "N" },
    { "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &output_dir, "Write the first signed document there as sample.pdf", "DIR" },
    { "key-dir", 'k', 0, G_OPTION_ARG_FILENAME, &key_dir, "Where to make or load the signing key", "DIR" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path, "Write index,render_ms,sign_ms,bytes per document there", "FILE" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* Piped into head(1): finish quietly instead of dying on a closed stdout. */
  signal (SIGPIPE, SIG_IGN);

  context = g_option_context_new ("— benchmark rendering and signing annotated documents");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-generate: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (n_documents < 1 || n_threads < 1 || n_threads > 64 || warmup < 0)
    {
      g_printerr ("bench-generate: --documents must be ≥ 1, --threads 1–64, --warmup ≥ 0\n");
      return EXIT_FAILURE;
    }

  if (key_dir == NULL)
    {
      temp_key_dir = g_dir_make_tmp ("bench-generate-XXXXXX", &error);
      if (temp_key_dir == NULL)
        {
          g_printerr ("bench-generate: %s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  identity = cd_signing_identity_load_or_create (key_dir != NULL ? key_dir : temp_key_dir, &error);
  /* The identity is in memory now: remove a temporary key at once, so that nothing is
   * left behind even when the run is interrupted. */
  if (temp_key_dir != NULL)
    remove_key_dir (temp_key_dir);
  if (identity == NULL)
    {
      g_printerr ("bench-generate: cannot make the signing identity: %s\n", error->message);
      return EXIT_FAILURE;
    }

  certificates = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_certificate_record_free);
  for (int i = 0; i < n_documents + warmup * n_threads; i++)
    g_ptr_array_add (certificates, make_certificate ((guint) i, base_time));

  render_ms = g_new0 (double, certificates->len);
  sign_ms = g_new0 (double, certificates->len);
  sizes = g_new0 (double, certificates->len);
  workers = g_new0 (Worker, n_threads);
  threads = g_new0 (GThread *, n_threads);
  g_mutex_init (&start_line.mutex);
  g_cond_init (&start_line.cond);

  /* Timed documents are [0, n_documents); each thread's warm-up documents follow. */
  for (int t = 0, first = 0; t < n_threads; t++)
    {
      guint count = (guint) (n_documents / n_threads + (t < n_documents % n_threads ? 1 : 0));
      g_autofree char *name = g_strdup_printf ("bench-worker-%d", t);

      workers[t] = (Worker) {
        .identity = identity,
        .certificates = certificates,
        .start_line = &start_line,
        .warmup_first = (guint) (n_documents + t * warmup),
        .warmup_count = (guint) warmup,
        .first = (guint) first,
        .count = count,
        .base_time = base_time,
        .render_ms = render_ms,
        .sign_ms = sign_ms,
        .sizes = sizes,
      };
      first += (int) count;
      threads[t] = g_thread_new (name, worker_thread_func, &workers[t]);
    }

  g_mutex_lock (&start_line.mutex);
  while (start_line.n_ready < n_threads)
    g_cond_wait (&start_line.cond, &start_line.mutex);
  start = g_get_monotonic_time ();
  start_line.go = TRUE;
  g_cond_broadcast (&start_line.cond);
  g_mutex_unlock (&start_line.mutex);

  for (int t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
  elapsed = g_get_monotonic_time () - start;

  for (int t = 0; t < n_threads; t++)
    {
      if (workers[t].error != NULL && status == EXIT_SUCCESS)
        {
          g_printerr ("bench-generate: thread %d: %s\n", t, workers[t].error->message);
          status = EXIT_FAILURE;
        }
      total_bytes += workers[t].total_bytes;
    }

  if (status == EXIT_SUCCESS)
    {
      double seconds = elapsed / 1e6;

      g_print ("threads %d  documents %d  wall %.3f s  %.1f documents/s\n", n_threads,
               n_documents, seconds, n_documents / seconds);
      summarize ("render", render_ms, (guint) n_documents);
      summarize ("sign", sign_ms, (guint) n_documents);
      g_print ("mean signed document size: %.0f bytes (%.1f KiB)\n",
               (double) total_bytes / n_documents, (double) total_bytes / n_documents / 1024.0);
      summarize_sizes (sizes, (guint) n_documents);
    }

  if (status == EXIT_SUCCESS && output_dir != NULL)
    {
      g_autofree char *path = g_build_filename (output_dir, "sample.pdf", NULL);
      GBytes *sample = workers[0].first_document;

      if (!g_file_set_contents (path, g_bytes_get_data (sample, NULL), (gssize) g_bytes_get_size (sample), &error))
        {
          g_printerr ("bench-generate: %s\n", error->message);
          status = EXIT_FAILURE;
        }
      else
        g_print ("sample: %s\n", path);
    }

  if (status == EXIT_SUCCESS && csv_path != NULL)
    {
      g_autoptr(GString) csv = g_string_new ("index,render_ms,sign_ms,bytes\n");

      for (int i = 0; i < n_documents; i++)
        g_string_append_printf (csv, "%d,%.3f,%.3f,%.0f\n", i, render_ms[i], sign_ms[i], sizes[i]);
      if (!g_file_set_contents (csv_path, csv->str, (gssize) csv->len, &error))
        {
          g_printerr ("bench-generate: %s\n", error->message);
          status = EXIT_FAILURE;
        }
    }

  for (int t = 0; t < n_threads; t++)
    {
      g_clear_pointer (&workers[t].first_document, g_bytes_unref);
      g_clear_error (&workers[t].error);
    }
  g_mutex_clear (&start_line.mutex);
  g_cond_clear (&start_line.cond);

  return status;
}
