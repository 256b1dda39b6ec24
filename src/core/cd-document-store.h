#pragma once

#include <gio/gio.h>

#include "cd-annotation.h"
#include "cd-certificate.h"
#include "cd-library-entry.h"
#include "cd-trust-store.h"

G_BEGIN_DECLS

#define CD_DOCUMENT_STORE_ERROR (cd_document_store_error_quark ())

typedef enum
{
  CD_DOCUMENT_STORE_ERROR_FAILED,
  CD_DOCUMENT_STORE_ERROR_REJECTED, /* the document did not open or its signature did not validate */
  CD_DOCUMENT_STORE_ERROR_CORRUPT,  /* an entry in the library cannot be read */
} CdDocumentStoreError;

GQuark cd_document_store_error_quark (void);

#define CD_TYPE_DOCUMENT_STORE (cd_document_store_get_type ())
G_DECLARE_FINAL_TYPE (CdDocumentStore, cd_document_store, CD, DOCUMENT_STORE, GObject)

/* The offline library of one holder: every downloaded annotated certificate with its
 * metadata, one per certificate number, in @directory (normally
 * cd_document_store_get_default_directory () for the holder's ID number).
 * A new document replaces the older one only once it opens and its signature
 * validates against the service's pinned signer; until then the old copy is untouched. */
CdDocumentStore *cd_document_store_new            (const char         *directory,
                                                   CdTrustStore       *trust);
/* $XDG_DATA_HOME/certdesk/library/DIGEST: each holder has a library of their own. */
char            *cd_document_store_get_default_directory (const char *id_number);
GFile           *cd_document_store_get_directory  (CdDocumentStore    *self);

void             cd_document_store_add_async      (CdDocumentStore    *self,
                                                   CdCertificate      *certificate,
                                                   CdAnnotation       *annotation,
                                                   GBytes             *document,
                                                   const char         *service_url,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
CdLibraryEntry  *cd_document_store_add_finish     (CdDocumentStore    *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);
/* (element-type CdLibraryEntry), by certificate number. Works without the service. */
void             cd_document_store_list_async     (CdDocumentStore    *self,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
GPtrArray       *cd_document_store_list_finish    (CdDocumentStore    *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);
GPtrArray       *cd_document_store_list           (CdDocumentStore    *self,
                                                   GCancellable       *cancellable,
                                                   GError            **error);

G_END_DECLS
