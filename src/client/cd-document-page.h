#pragma once

#include <gtk/gtk.h>

#include "cd-client.h"
#include "cd-document-store.h"
#include "cd-library-entry.h"
#include "cd-trust-store.h"

G_BEGIN_DECLS

#define CD_TYPE_DOCUMENT_PAGE (cd_document_page_get_type ())
G_DECLARE_FINAL_TYPE (CdDocumentPage, cd_document_page, CD, DOCUMENT_PAGE, GtkBin)

/* The document screen: a CdDocumentView of an annotated certificate (downloaded into
 * the library, or from it) or of a PDF the holder opened, and "Save a Copy".
 * Navigation is the window's; the page tells it with signals:
 *   ::started ()                          a new document is on its way: bring the page to the front
 *   ::downloaded ()                       the service sent a document (the client may hold a new token)
 *   ::stored (CdLibraryEntry *)           the download is in the library, and is shown next
 *   ::failed (GError *)                   fetching failed: nothing to show
 *   ::error (GError *)                    for the banner: the document or its copy went wrong
 *   ::saved (GFile *)                     a copy was saved there
 * and :can-save says whether there is a document to save a copy of. */
GtkWidget      *cd_document_page_new             (void);
/* The pins a library entry is checked with (a first signer is pinned); a PDF the holder
 * opens is checked against the same file read-only. */
void            cd_document_page_set_trust_store (CdDocumentPage  *self,
                                                  CdTrustStore    *trust);
/* Downloads the document of @annotation with @client, adds it to @library (for
 * @service_url) and shows it. */
void            cd_document_page_fetch           (CdDocumentPage  *self,
                                                  CdClient        *client,
                                                  CdDocumentStore *library,
                                                  const char      *service_url,
                                                  CdCertificate   *certificate,
                                                  CdAnnotation    *annotation);
void            cd_document_page_show_entry      (CdDocumentPage  *self,
                                                  CdLibraryEntry  *entry);
/* Shows @file, whose signer counts as trusted only when it is the one pinned for
 * @service_url (or %NULL). */
void            cd_document_page_open_file       (CdDocumentPage  *self,
                                                  GFile           *file,
                                                  const char      *service_url);
/* Asks where to, then copies the document shown there. */
void            cd_document_page_save_copy       (CdDocumentPage  *self);
/* Stops downloading or opening the document (the holder went back). */
void            cd_document_page_cancel          (CdDocumentPage  *self);
gboolean        cd_document_page_get_can_save    (CdDocumentPage  *self);
/* Whether the document is a file the holder opened, not one from the service. */
gboolean        cd_document_page_is_local        (CdDocumentPage  *self);
/* A new filter for PDF files, for a file chooser. */
GtkFileFilter  *cd_document_page_new_pdf_filter  (void);

G_END_DECLS
