#pragma once

#include <gtk/gtk.h>

#include "cd-signature.h"
#include "cd-trust-store.h"

G_BEGIN_DECLS

#define CD_DOCUMENT_VIEW_ERROR (cd_document_view_error_quark ())

typedef enum
{
  CD_DOCUMENT_VIEW_ERROR_FAILED,     /* cannot be read */
  CD_DOCUMENT_VIEW_ERROR_NOT_PDF,
  CD_DOCUMENT_VIEW_ERROR_DAMAGED,
  CD_DOCUMENT_VIEW_ERROR_ENCRYPTED,
} CdDocumentViewError;

GQuark cd_document_view_error_quark (void);

#define CD_TYPE_DOCUMENT_VIEW (cd_document_view_get_type ())
G_DECLARE_FINAL_TYPE (CdDocumentView, cd_document_view, CD, DOCUMENT_VIEW, GtkBin)

/* A PDF preview with its signature state beside it: the first page rendered off the
 * main thread at the widget's scale factor, zoom controls, printing.
 *
 * Keyboard shortcuts while the focus is inside the view:
 *   Ctrl+plus (or Ctrl+equal, Ctrl+KP_Add)   zoom in
 *   Ctrl+minus (or Ctrl+KP_Subtract)         zoom out
 *   Ctrl+0                                   fit page
 *   Ctrl+9                                   fit width
 *   Ctrl+P                                   print */
GtkWidget       *cd_document_view_new                  (void);

/* Opens @file, shows its first page and verifies its signature (with @trust and
 * @service_url as cd_signature_verify_async() does). Errors are in
 * CD_DOCUMENT_VIEW_ERROR (and then the view shows them), CD_SIGNATURE_ERROR,
 * CD_TRUST_STORE_ERROR or G_IO_ERROR_CANCELLED. A new load cancels the previous one. */
void             cd_document_view_load_async           (CdDocumentView       *self,
                                                        GFile                *file,
                                                        CdTrustStore         *trust,
                                                        const char           *service_url,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean         cd_document_view_load_finish          (CdDocumentView       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* A spinner and @message instead of a document, while the caller fetches one; a load
 * in progress stops. */
void             cd_document_view_show_progress        (CdDocumentView       *self,
                                                        const char           *message);

/* The signature of the loaded document, or %NULL. */
CdSignatureInfo *cd_document_view_get_signature_info   (CdDocumentView       *self);
/* Logical pixels per PDF point. */
double           cd_document_view_get_zoom             (CdDocumentView       *self);
/* Whether the page is painted at the current zoom and scale factor. */
gboolean         cd_document_view_get_page_ready       (CdDocumentView       *self);

void             cd_document_view_zoom_in              (CdDocumentView       *self);
void             cd_document_view_zoom_out             (CdDocumentView       *self);
void             cd_document_view_fit_width            (CdDocumentView       *self);
void             cd_document_view_fit_page             (CdDocumentView       *self);

/* A print operation for the loaded document, or %NULL when none is loaded. */
GtkPrintOperation *cd_document_view_new_print_operation (CdDocumentView     *self);
/* Runs the print dialog for the loaded document. */
void             cd_document_view_print                (CdDocumentView       *self,
                                                        GtkWindow            *parent);

G_END_DECLS
