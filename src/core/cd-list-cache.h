#pragma once

#include <gio/gio.h>

#include "cd-holder.h"

G_BEGIN_DECLS

#define CD_TYPE_LIST_CACHE (cd_list_cache_get_type ())
G_DECLARE_FINAL_TYPE (CdListCache, cd_list_cache, CD, LIST_CACHE, GObject)

/* The last certificate list each service gave, with its holder, so that the app can show
 * it at once on the next start, before any network answer. One file per service in
 * @directory (normally $XDG_CACHE_HOME/certdesk), readable by the user alone; signing
 * out removes it. A cache that cannot be read is treated as no cache. */
CdListCache *cd_list_cache_new                   (const char   *directory);
char        *cd_list_cache_get_default_directory (void);

/* %FALSE with no error when nothing is cached for @service_url; @out_certificates:
 * (element-type CdCertificate). */
gboolean     cd_list_cache_load                  (CdListCache  *self,
                                                  const char   *service_url,
                                                  CdHolder    **out_holder,
                                                  GPtrArray   **out_certificates,
                                                  gint64       *out_saved_at,
                                                  GError      **error);
gboolean     cd_list_cache_save                  (CdListCache  *self,
                                                  const char   *service_url,
                                                  CdHolder     *holder,
                                                  GPtrArray    *certificates,
                                                  GError      **error);
gboolean     cd_list_cache_remove                (CdListCache  *self,
                                                  const char   *service_url,
                                                  GError      **error);

G_END_DECLS
