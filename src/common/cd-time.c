#include "config.h"

#include "cd-time.h"

#include <string.h>

char *
cd_time_format_rfc3339 (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  g_return_val_if_fail (dt != NULL, NULL);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* Only the exact form CertDesk writes, YYYY-MM-DDTHH:MM:SSZ: GLib's ISO 8601 parser
 * would also take week dates, ordinal dates and local times. */
gboolean
cd_time_parse_rfc3339 (const char *str,
                       gint64     *out_unix_seconds)
{
  static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (out_unix_seconds != NULL, FALSE);

  if (str == NULL || strlen (str) != sizeof shape - 1)
    return FALSE;

  for (gsize i = 0; shape[i] != '\0'; i++)
    {
      if (shape[i] == 'd' ? !g_ascii_isdigit (str[i]) : str[i] != shape[i])
        return FALSE;
    }

  dt = g_date_time_new_from_iso8601 (str, NULL);
  if (dt == NULL)
    return FALSE;

  *out_unix_seconds = g_date_time_to_unix (dt);
  return TRUE;
}

/* YYYY-MM-DD in the given zone (UTC when NULL). */
char *
cd_time_format_date (gint64     unix_seconds,
                     GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (utc != NULL, NULL);

  local = tz != NULL ? g_date_time_to_timezone (utc, tz) : g_date_time_ref (utc);
  return g_date_time_format (local, "%Y-%m-%d");
}

char *
cd_time_format_local_date (gint64 unix_seconds)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  return cd_time_format_date (unix_seconds, local);
}

gint64
cd_time_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* China Standard Time, for dates printed for holders; a fixed UTC+8 works where no
 * time zone database is installed (China has no daylight saving time). */
GTimeZone *
cd_time_get_china_zone (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Shanghai");

  return tz != NULL ? tz : g_time_zone_new_offset (8 * 60 * 60);
}
