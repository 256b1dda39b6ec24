#include "config.h"

#include "cd-service-notice.h"

#include <string.h>

#define NOTICE_GROUP  "Notice"
#define VERSION_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
#define UTF8_BOM      "\xEF\xBB\xBF"
/* The clients refuse a notice with a longer title or body (src/core/cd-notice.c), which
 * would leave holders unable to accept it. */
#define MAX_TITLE_CHARS 1024
#define MAX_BODY_CHARS  (64 * 1024)

struct _CdServiceNotice
{
  char *version;
  char *title;
  char *body;
};

G_DEFINE_QUARK (cd-service-notice-error-quark, cd_service_notice_error)
G_DEFINE_BOXED_TYPE (CdServiceNotice, cd_service_notice,
                     cd_service_notice_ref, cd_service_notice_unref)

/* The notice the service publishes without --notice-file. */
static const char default_version[] = "2026-11-01";
static const char default_title[] = "服务须知";
static const char default_body[] =
  "一、本服务为持证人提供职业资格电子证书的查询、加注与下载。\n"
  "二、电子证书须经加注后方可使用。加注时须选择使用场景（目前为“本人调用”）与有效期（最长 90 天）。\n"
  "三、加注申请提交后，系统将在 24 小时内生成加注件；生成期间显示“证书生成中…”。\n"
  "四、加注件在有效期内可查看与下载；有效期届满后显示“加注件已过期”，如需使用请重新申请。\n"
  "五、自申请之日起向前推算 90 天内，同一证书有效的加注件最多 3 份。\n"
  "六、加注件附有数字签名与验证码，任何人可扫描二维码或凭验证码核验其真实性；请勿涂改。\n"
  "七、请妥善保管账号与密码，不得将本人证书交由他人冒用。";

static const char * const notice_keys[] = { "Version", "Title", "Body", NULL };

static void
clear_notice (gpointer data)
{
  CdServiceNotice *self = data;

  g_free (self->version);
  g_free (self->title);
  g_free (self->body);
}

static CdServiceNotice *
notice_new_take (char *version,
                 char *title,
                 char *body)
{
  CdServiceNotice *self = g_atomic_rc_box_new0 (CdServiceNotice);

  self->version = version;
  self->title = title;
  self->body = body;

  return self;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_keys (GKeyFile    *key_file,
            const char  *path,
            GError     **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);
  g_auto(GStrv) keys = NULL;

  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (!g_str_equal (groups[i], NOTICE_GROUP))
        {
          g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                       "%s: Unknown group [%s]; a notice file has only [" NOTICE_GROUP "]",
                       path, groups[i]);
          return FALSE;
        }
    }
  if (!g_key_file_has_group (key_file, NOTICE_GROUP))
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: There is no [" NOTICE_GROUP "] group", path);
      return FALSE;
    }

  /* GKeyFile keeps the last of repeated keys; a notice file says each thing once. */
  keys = g_key_file_get_keys (key_file, NOTICE_GROUP, NULL, NULL);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      if (!g_strv_contains (notice_keys, keys[i]))
        {
          g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                       "%s: Unknown key “%s” in [" NOTICE_GROUP "]; the keys are Version, "
                       "Title and Body", path, keys[i]);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        {
          if (g_str_equal (keys[i], keys[j]))
            {
              g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                           "%s: %s is set more than once", path, keys[i]);
              return FALSE;
            }
        }
    }

  return TRUE;
}

/* The value of @key, unescaped (\n, \t, \\), and not blank. */
static char *
read_text (GKeyFile    *key_file,
           const char  *key,
           const char  *path,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = g_key_file_get_string (key_file, NOTICE_GROUP, key, &local_error);

  if (value == NULL && g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: [" NOTICE_GROUP "] has no %s key", path, key);
      return NULL;
    }
  /* A bad escape sets the error, though GLib 2.74 returns the raw value all the same. */
  if (local_error != NULL)
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: %s The escapes are \\n, \\t, \\r, \\s and \\\\.",
                   path, local_error->message);
      return NULL;
    }
  if (*value == '\0')
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: %s is empty", path, key);
      return NULL;
    }
  if (is_blank (value))
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: %s has nothing but white space", path, key);
      return NULL;
    }

  return g_steal_pointer (&value);
}

static gboolean
check_version (const char  *version,
               const char  *path,
               GError     **error)
{
  if (g_utf8_strlen (version, -1) > CD_SERVICE_NOTICE_MAX_VERSION_CHARS)
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: Version is longer than %d characters", path,
                   CD_SERVICE_NOTICE_MAX_VERSION_CHARS);
      return FALSE;
    }
  if (version[strspn (version, VERSION_CHARS)] != '\0')
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: Version “%s” may only contain letters A–Z and a–z, digits, “.”, “_” "
                   "and “-”", path, version);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_length (const char  *text,
              const char  *key,
              glong        max_chars,
              const char  *path,
              GError     **error)
{
  if (g_utf8_strlen (text, -1) > max_chars)
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: %s is longer than %ld characters", path, key, max_chars);
      return FALSE;
    }

  return TRUE;
}

/* The clients show the title as a heading. */
static gboolean
check_title (const char  *title,
             const char  *path,
             GError     **error)
{
  if (!check_length (title, "Title", MAX_TITLE_CHARS, path, error))
    return FALSE;
  if (strpbrk (title, "\r\n") != NULL)
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: Title must be one line", path);
      return FALSE;
    }

  return TRUE;
}

CdServiceNotice *
cd_service_notice_new_default (void)
{
  return notice_new_take (g_strdup (default_version), g_strdup (default_title),
                          g_strdup (default_body));
}

/* Reads a notice file: a GKeyFile in UTF-8 with one [Notice] group and exactly the keys
 * Version, Title and Body (docs/server.md). Every error message starts with @path. */
CdServiceNotice *
cd_service_notice_new_from_file (const char  *path,
                                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *contents = NULL;
  g_autofree char *version = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  const char *data;
  const char *invalid;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_READ,
                   "%s: %s", path, local_error->message);
      return NULL;
    }

  /* Checked on the whole file, so the message can say where (GKeyFile would only say
   * which key, and not at all for a comment). A NUL byte fails here too. */
  if (!g_utf8_validate (contents, length, &invalid))
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: Not valid UTF-8 at byte %" G_GSIZE_FORMAT " (convert it first, for "
                   "example with iconv -f GB18030 -t UTF-8)", path, (gsize) (invalid - contents));
      return NULL;
    }

  /* Windows editors like to start UTF-8 with a byte order mark. */
  data = contents;
  if (g_str_has_prefix (data, UTF8_BOM))
    {
      data += strlen (UTF8_BOM);
      length -= strlen (UTF8_BOM);
    }

  if (!g_key_file_load_from_data (key_file, data, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, CD_SERVICE_NOTICE_ERROR, CD_SERVICE_NOTICE_ERROR_INVALID,
                   "%s: %s", path, local_error->message);
      return NULL;
    }

  if (!check_keys (key_file, path, error) ||
      (version = read_text (key_file, "Version", path, error)) == NULL ||
      !check_version (version, path, error) ||
      (title = read_text (key_file, "Title", path, error)) == NULL ||
      !check_title (title, path, error) ||
      (body = read_text (key_file, "Body", path, error)) == NULL ||
      !check_length (body, "Body", MAX_BODY_CHARS, path, error))
    return NULL;

  return notice_new_take (g_steal_pointer (&version), g_steal_pointer (&title),
                          g_steal_pointer (&body));
}

CdServiceNotice *
cd_service_notice_ref (CdServiceNotice *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
cd_service_notice_unref (CdServiceNotice *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, clear_notice);
}

const char *
cd_service_notice_get_version (const CdServiceNotice *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->version;
}

const char *
cd_service_notice_get_title (const CdServiceNotice *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title;
}

const char *
cd_service_notice_get_body (const CdServiceNotice *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->body;
}

gboolean
cd_service_notice_has_version (const CdServiceNotice *self,
                               const char            *version)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_strcmp0 (version, self->version) == 0;
}
