#pragma once

#include <gio/gio.h>

#include "cd-annotation.h"
#include "cd-certificate.h"

G_BEGIN_DECLS

#define CD_TYPE_LIBRARY_ENTRY (cd_library_entry_get_type ())
G_DECLARE_FINAL_TYPE (CdLibraryEntry, cd_library_entry, CD, LIBRARY_ENTRY, GObject)

/* One downloaded annotated certificate in the offline library: the document and what
 * the service said about it when it was downloaded. */
CdLibraryEntry *cd_library_entry_new                (CdCertificate  *certificate,
                                                     CdAnnotation   *annotation,
                                                     GFile          *file,
                                                     const char     *service_url,
                                                     gint64          downloaded_at);
CdLibraryEntry *cd_library_entry_new_from_json      (JsonObject     *object,
                                                     GFile          *directory,
                                                     GError        **error);
void            cd_library_entry_to_json            (CdLibraryEntry *self,
                                                     JsonBuilder    *builder);
CdCertificate  *cd_library_entry_get_certificate    (CdLibraryEntry *self);
CdAnnotation   *cd_library_entry_get_annotation     (CdLibraryEntry *self);
GFile          *cd_library_entry_get_file           (CdLibraryEntry *self);
const char     *cd_library_entry_get_service_url    (CdLibraryEntry *self);
gint64          cd_library_entry_get_downloaded_at  (CdLibraryEntry *self);
/* Whether the annotation is still valid at @now (offline: by valid_until). */
gboolean        cd_library_entry_is_valid_at        (CdLibraryEntry *self,
                                                     gint64          now);
/* The file name to offer when saving a copy: CERT_NO-VALID_UNTIL.pdf, the date in China
 * Standard Time as on the certificate and in the service's Content-Disposition. */
char           *cd_library_entry_dup_suggested_name (CdLibraryEntry *self);

G_END_DECLS
