#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Black-box fixtures for the service tests: every test talks HTTP to the real
 * certdesk-server binary ($CERTDESK_SERVER_BINARY) on a loopback port, with a
 * private data directory, and may read its SQLite store (read-only) to prove that
 * a refused request changed nothing. */

#define CD_TEST_LOC __FILE__, __LINE__, G_STRFUNC

/* The ID number and password `--demo` seeds. */
#define CD_TEST_DEMO_ID_NUMBER "110105199003071239"
#define CD_TEST_DEMO_PASSWORD  "demo-holder-2026"

typedef struct _CdTestServiceIo CdTestServiceIo;

typedef struct
{
  char            *root_dir;   /* scratch directory, removed by cd_test_service_free() */
  char            *data_dir;   /* root_dir/data, the server's --data-dir */
  char            *base_url;   /* "http://127.0.0.1:PORT" of the running server */
  guint16          port;
  GStrv            extra_args; /* arguments after --listen/--data-dir */
  SoupSession     *session;
  GSubprocess     *process;    /* NULL while stopped */
  CdTestServiceIo *io;         /* (owned) the stdout reader of the running server */
} CdTestService;

/* Small pieces for fixtures that run processes: a child setup that kills the child
 * with the test, a callback that stores an async result in a (GAsyncResult **), and a
 * timeout that sets a (gboolean *). */
void            cd_test_die_with_parent      (gpointer             user_data);
void            cd_test_async_result_cb      (GObject             *source,
                                              GAsyncResult        *result,
                                              gpointer             user_data);
gboolean        cd_test_timeout_flag_cb      (gpointer             user_data);

/* Fails the current test at the caller's place with a formatted message. */
void            cd_test_fail_at              (const char          *file,
                                              int                  line,
                                              const char          *func,
                                              const char          *format,
                                              ...) G_GNUC_PRINTF (4, 5);
void            cd_test_keep_going           (int                 *argc,
                                              char              ***argv);

/* Extra arguments after --listen 127.0.0.1:0 --data-dir DIR; with none, use
 * cd_test_service_startv (NULL). */
CdTestService  *cd_test_service_start        (const char          *first_arg,
                                              ...) G_GNUC_NULL_TERMINATED;
CdTestService  *cd_test_service_startv       (const char * const  *extra_args);
gboolean        cd_test_service_stop         (CdTestService       *self,
                                              char               **out_description);
gboolean        cd_test_service_stop_with    (CdTestService       *self,
                                              int                  signum,
                                              char               **out_description);
void            cd_test_service_kill         (CdTestService       *self);
void            cd_test_service_restart      (CdTestService       *self,
                                              const char * const  *extra_args);
char           *cd_test_service_dup_stdout   (CdTestService       *self);
void            cd_test_service_free         (CdTestService       *self);
/* Removes @path and, for a directory, everything in it (symbolic links are not followed). */
void            cd_test_remove_tree          (const char          *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTestService, cd_test_service_free)

/* HTTP */

typedef struct
{
  char               *method;
  char               *path;
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  char               *text;   /* the body, NUL-terminated (for messages) */
  JsonNode           *json;   /* the body parsed, or NULL when it is not JSON */
} CdTestResponse;

void            cd_test_response_free        (CdTestResponse      *response);
const char     *cd_test_response_error_code  (CdTestResponse      *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTestResponse, cd_test_response_free)

/* @path is relative to /api/v1 unless it already starts with "/api/". */
CdTestResponse *cd_test_service_request      (CdTestService       *self,
                                              const char          *method,
                                              const char          *path,
                                              const char          *token,
                                              const char          *json_body);
/* @session may be NULL (the service's own); @authorization is the whole header value. */
CdTestResponse *cd_test_service_request_raw  (CdTestService       *self,
                                              SoupSession         *session,
                                              const char          *method,
                                              const char          *path,
                                              const char          *authorization,
                                              const char          *content_type,
                                              GBytes              *body);
SoupSession    *cd_test_session_new          (void);
/* @n identical requests in flight at once (a thread and a connection each); returns
 * a GPtrArray of CdTestResponse in no particular order. */
GPtrArray      *cd_test_service_parallel     (CdTestService       *self,
                                              guint                n,
                                              const char          *method,
                                              const char          *path,
                                              const char          *token,
                                              const char          *json_body);

#define cd_test_assert_status(response, status) \
  cd_test_assert_status_at (CD_TEST_LOC, (response), (status))
#define cd_test_assert_json(response, status) \
  cd_test_assert_json_at (CD_TEST_LOC, (response), (status))
#define cd_test_assert_error(response, status, code) \
  cd_test_assert_error_at (CD_TEST_LOC, (response), (status), (code))
#define cd_test_assert_error_field(response, status, code, field) \
  cd_test_assert_error_field_at (CD_TEST_LOC, (response), (status), (code), (field))

void            cd_test_assert_status_at     (const char          *file,
                                              int                  line,
                                              const char          *func,
                                              CdTestResponse      *response,
                                              guint                status);
JsonObject     *cd_test_assert_json_at       (const char          *file,
                                              int                  line,
                                              const char          *func,
                                              CdTestResponse      *response,
                                              guint                status);
JsonObject     *cd_test_assert_error_at      (const char          *file,
                                              int                  line,
                                              const char          *func,
                                              CdTestResponse      *response,
                                              guint                status,
                                              const char          *code);
JsonObject     *cd_test_assert_error_field_at (const char         *file,
                                               int                 line,
                                               const char         *func,
                                               CdTestResponse     *response,
                                               guint               status,
                                               const char         *code,
                                               const char         *field);

/* JSON: each getter fails the test (naming the member) on a missing member or a wrong type. */

#define cd_test_json_string(object, member) \
  cd_test_json_string_at (CD_TEST_LOC, (object), (member))
#define cd_test_json_int(object, member) \
  cd_test_json_int_at (CD_TEST_LOC, (object), (member))
#define cd_test_json_bool(object, member) \
  cd_test_json_bool_at (CD_TEST_LOC, (object), (member))
#define cd_test_json_object(object, member) \
  cd_test_json_object_at (CD_TEST_LOC, (object), (member))
#define cd_test_json_array(object, member) \
  cd_test_json_array_at (CD_TEST_LOC, (object), (member))
#define cd_test_json_time(object, member) \
  cd_test_json_time_at (CD_TEST_LOC, (object), (member))
#define cd_test_json_assert_null(object, member) \
  cd_test_json_assert_null_at (CD_TEST_LOC, (object), (member))

const char     *cd_test_json_string_at       (const char *file, int line, const char *func,
                                              JsonObject *object, const char *member);
gint64          cd_test_json_int_at          (const char *file, int line, const char *func,
                                              JsonObject *object, const char *member);
gboolean        cd_test_json_bool_at         (const char *file, int line, const char *func,
                                              JsonObject *object, const char *member);
JsonObject     *cd_test_json_object_at       (const char *file, int line, const char *func,
                                              JsonObject *object, const char *member);
JsonArray      *cd_test_json_array_at        (const char *file, int line, const char *func,
                                              JsonObject *object, const char *member);
gint64          cd_test_json_time_at         (const char *file, int line, const char *func,
                                              JsonObject *object, const char *member);
void            cd_test_json_assert_null_at  (const char *file, int line, const char *func,
                                              JsonObject *object, const char *member);
char           *cd_test_json_to_string       (JsonObject          *object);

/* Holders */

typedef struct
{
  char *name;
  char *id_type;
  char *id_number;
  char *password;
  char *token;      /* after sign-in */
} CdTestHolder;

char           *cd_test_resident_id_complete (const char          *first17);
char           *cd_test_resident_id_new      (void);
char           *cd_test_mask_id_number       (const char          *id_number);

CdTestHolder   *cd_test_holder_new           (const char          *name);
void            cd_test_holder_free          (CdTestHolder        *holder);
void            cd_test_holder_register      (CdTestService       *self,
                                              CdTestHolder        *holder);
void            cd_test_holder_sign_in       (CdTestService       *self,
                                              CdTestHolder        *holder);
void            cd_test_holder_accept_notice (CdTestService       *self,
                                              CdTestHolder        *holder);
CdTestHolder   *cd_test_holder_new_ready     (CdTestService       *self,
                                              const char          *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTestHolder, cd_test_holder_free)

/* Certificates and the operator's CSV import */

typedef struct
{
  char *cert_no;
  char *qualification;
  char *specialty;
  char *level;
  char *holder_name;
  char *gender;
  char *id_type;
  char *id_number;
  char *management_no;
  char *issued_on;
  char *issuer;
  char *status;
} CdTestCertRow;

CdTestCertRow  *cd_test_cert_row_new         (const CdTestHolder  *holder,
                                              const char          *qualification,
                                              const char          *status);
void            cd_test_cert_row_free        (CdTestCertRow       *row);
void            cd_test_cert_row_set         (CdTestCertRow       *row,
                                              const char          *column,
                                              const char          *value);
char           *cd_test_csv_format           (CdTestCertRow * const *rows,
                                              guint                n_rows);
int             cd_test_service_run_import   (CdTestService       *self,
                                              const char          *csv_text,
                                              char               **out_stdout,
                                              char               **out_stderr);
void            cd_test_service_import_rows  (CdTestService       *self,
                                              CdTestCertRow * const *rows,
                                              guint                n_rows);
char           *cd_test_service_find_certificate (CdTestService   *self,
                                                  CdTestHolder    *holder,
                                                  const char      *cert_no);
char           *cd_test_service_add_certificate  (CdTestService   *self,
                                                  CdTestHolder    *holder,
                                                  const char      *qualification,
                                                  const char      *status,
                                                  char           **out_cert_no);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTestCertRow, cd_test_cert_row_free)

/* Annotations */

CdTestResponse *cd_test_service_apply        (CdTestService       *self,
                                              const char          *token,
                                              const char          *certificate_id,
                                              int                  validity_days);
char           *cd_test_service_apply_ok     (CdTestService       *self,
                                              const char          *token,
                                              const char          *certificate_id,
                                              int                  validity_days);
JsonObject     *cd_test_service_wait_annotation (CdTestService    *self,
                                                 const char       *token,
                                                 const char       *annotation_id,
                                                 double            timeout_seconds);
GBytes         *cd_test_service_download     (CdTestService       *self,
                                              const char          *token,
                                              const char          *annotation_id,
                                              char               **out_filename);

/* The store */

char           *cd_test_service_store_dump   (CdTestService       *self);
char           *cd_test_service_store_digest (CdTestService       *self);
char           *cd_test_service_store_diff   (CdTestService       *self,
                                              const char          *before_dump);
#define cd_test_assert_store_unchanged(self, before_dump) \
  cd_test_assert_store_unchanged_at (CD_TEST_LOC, (self), (before_dump))
void            cd_test_assert_store_unchanged_at (const char     *file,
                                                   int             line,
                                                   const char     *func,
                                                   CdTestService  *self,
                                                   const char     *before_dump);

/* Documents and time */

gboolean        cd_test_pdf_signature_valid  (GBytes              *pdf,
                                              char               **out_report);
char           *cd_test_pdf_text             (GBytes              *pdf);
GBytes         *cd_test_pdf_tamper           (GBytes              *pdf);
gint64          cd_test_now                  (void);
void            cd_test_sleep_until          (gint64               unix_seconds);
int             cd_test_run_command          (const char * const  *argv,
                                              double               timeout_seconds,
                                              char               **out_stdout,
                                              char               **out_stderr);

G_END_DECLS
