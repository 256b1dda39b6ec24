#include "config.h"

#include "cd-library-entry.h"
#include "cd-client-error.h"
#include "cd-json.h"
#include "cd-time.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _CdLibraryEntry
{
  GObject        parent_instance;

  CdCertificate *certificate;
  CdAnnotation  *annotation;
  GFile         *file;
  char          *service_url;
  gint64         downloaded_at;
};

G_DEFINE_FINAL_TYPE (CdLibraryEntry, cd_library_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CERTIFICATE,
  PROP_ANNOTATION,
  PROP_FILE,
  PROP_SERVICE_URL,
  PROP_DOWNLOADED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_library_entry_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CdLibraryEntry *self = CD_LIBRARY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    case PROP_ANNOTATION:
      g_value_set_object (value, self->annotation);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_SERVICE_URL:
      g_value_set_string (value, self->service_url);
      break;
    case PROP_DOWNLOADED_AT:
      g_value_set_int64 (value, self->downloaded_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_library_entry_finalize (GObject *object)
{
  CdLibraryEntry *self = (CdLibraryEntry *) object;

  g_clear_object (&self->certificate);
  g_clear_object (&self->annotation);
  g_clear_object (&self->file);
  g_free (self->service_url);

  G_OBJECT_CLASS (cd_library_entry_parent_class)->finalize (object);
}

static void
cd_library_entry_class_init (CdLibraryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_library_entry_finalize;
  object_class->get_property = cd_library_entry_get_property;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, CD_TYPE_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANNOTATION] =
    g_param_spec_object ("annotation", NULL, NULL, CD_TYPE_ANNOTATION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE_URL] =
    g_param_spec_string ("service-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOWNLOADED_AT] =
    g_param_spec_int64 ("downloaded-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_library_entry_init (CdLibraryEntry *self)
{
}

CdLibraryEntry *
cd_library_entry_new (CdCertificate *certificate,
                      CdAnnotation  *annotation,
                      GFile         *file,
                      const char    *service_url,
                      gint64         downloaded_at)
{
  CdLibraryEntry *self;

  g_return_val_if_fail (CD_IS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (CD_IS_ANNOTATION (annotation), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (service_url != NULL, NULL);

  self = g_object_new (CD_TYPE_LIBRARY_ENTRY, NULL);
  self->certificate = g_object_ref (certificate);
  self->annotation = g_object_ref (annotation);
  self->file = g_object_ref (file);
  self->service_url = g_strdup (service_url);
  self->downloaded_at = downloaded_at;

  return self;
}

/* The metadata file names its document by basename, inside @directory: a library
 * moved elsewhere keeps working, and a crafted file cannot point outside it. */
CdLibraryEntry *
cd_library_entry_new_from_json (JsonObject  *object,
                                GFile       *directory,
                                GError     **error)
{
  JsonObject *certificate_object = NULL, *annotation_object = NULL;
  const char *document = NULL, *service_url = NULL;
  gint64 downloaded_at = 0;
  g_autoptr(CdCertificate) certificate = NULL;
  g_autoptr(CdAnnotation) annotation = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!cd_json_read_object (object, "certificate", CD_JSON_REQUIRED, &certificate_object, &local_error) ||
      !cd_json_read_object (object, "annotation", CD_JSON_REQUIRED, &annotation_object, &local_error) ||
      !cd_json_read_string (object, "document", CD_JSON_REQUIRED, &document, &local_error) ||
      !cd_json_read_string (object, "source", CD_JSON_REQUIRED, &service_url, &local_error) ||
      !cd_json_read_time (object, "downloaded_at", CD_JSON_REQUIRED, &downloaded_at, &local_error))
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                   _("A library entry cannot be read: %s"), local_error->message);
      return NULL;
    }

  if (strchr (document, '/') != NULL || g_str_equal (document, ".") || g_str_equal (document, ".."))
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                   _("A library entry names an invalid document “%s”."), document);
      return NULL;
    }

  certificate = cd_certificate_new_from_json (certificate_object, error);
  if (certificate == NULL)
    return NULL;
  annotation = cd_annotation_new_from_json (annotation_object, error);
  if (annotation == NULL)
    return NULL;

  file = g_file_get_child (directory, document);
  return cd_library_entry_new (certificate, annotation, file, service_url, downloaded_at);
}

void
cd_library_entry_to_json (CdLibraryEntry *self,
                          JsonBuilder    *builder)
{
  g_autofree char *document = NULL;

  g_return_if_fail (CD_IS_LIBRARY_ENTRY (self));

  document = g_file_get_basename (self->file);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "certificate");
  cd_certificate_to_json (self->certificate, builder);
  json_builder_set_member_name (builder, "annotation");
  cd_annotation_to_json (self->annotation, builder);
  json_builder_set_member_name (builder, "document");
  json_builder_add_string_value (builder, document);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, self->service_url);
  cd_json_builder_add_time (builder, "downloaded_at", self->downloaded_at);
  json_builder_end_object (builder);
}

CdCertificate *
cd_library_entry_get_certificate (CdLibraryEntry *self)
{
  g_return_val_if_fail (CD_IS_LIBRARY_ENTRY (self), NULL);
  return self->certificate;
}

CdAnnotation *
cd_library_entry_get_annotation (CdLibraryEntry *self)
{
  g_return_val_if_fail (CD_IS_LIBRARY_ENTRY (self), NULL);
  return self->annotation;
}

GFile *
cd_library_entry_get_file (CdLibraryEntry *self)
{
  g_return_val_if_fail (CD_IS_LIBRARY_ENTRY (self), NULL);
  return self->file;
}

const char *
cd_library_entry_get_service_url (CdLibraryEntry *self)
{
  g_return_val_if_fail (CD_IS_LIBRARY_ENTRY (self), NULL);
  return self->service_url;
}

gint64
cd_library_entry_get_downloaded_at (CdLibraryEntry *self)
{
  g_return_val_if_fail (CD_IS_LIBRARY_ENTRY (self), 0);
  return self->downloaded_at;
}

gboolean
cd_library_entry_is_valid_at (CdLibraryEntry *self,
                              gint64          now)
{
  g_return_val_if_fail (CD_IS_LIBRARY_ENTRY (self), FALSE);

  return cd_annotation_get_state_at (self->annotation, now) == CD_ANNOTATION_STATE_READY;
}

char *
cd_library_entry_dup_suggested_name (CdLibraryEntry *self)
{
  g_autoptr(GTimeZone) china = NULL;
  g_autofree char *until = NULL;
  const char *cert_no;
  GString *name;

  g_return_val_if_fail (CD_IS_LIBRARY_ENTRY (self), NULL);

  /* The date printed on the certificate, as the service names the file too. */
  china = cd_time_get_china_zone ();
  until = cd_time_format_date (cd_annotation_get_valid_until (self->annotation), china);
  /* The certificate number comes from the service: no path separators from it. */
  cert_no = cd_certificate_get_cert_no (self->certificate);
  name = g_string_new (NULL);
  for (const char *p = cert_no; *p != '\0'; p++)
    g_string_append_c (name, *p == '/' || *p == '\\' ? '_' : *p);
  g_string_append_printf (name, "-%s.pdf", until);
  return g_string_free (name, FALSE);
}
