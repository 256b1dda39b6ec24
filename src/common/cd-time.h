#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* All times in CertDesk are whole Unix seconds, exchanged as RFC 3339 UTC strings. */
char     *cd_time_format_rfc3339 (gint64       unix_seconds);
gboolean  cd_time_parse_rfc3339  (const char  *str,
                                  gint64      *out_unix_seconds);
char     *cd_time_format_date    (gint64       unix_seconds,
                                  GTimeZone   *tz);
/* The same in the user's own zone: what the holder reads on screen. */
char     *cd_time_format_local_date (gint64    unix_seconds);
gint64    cd_time_now            (void);
GTimeZone *cd_time_get_china_zone (void);

G_END_DECLS
