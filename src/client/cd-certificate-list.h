#pragma once

#include <gtk/gtk.h>

#include "cd-certificate.h"

G_BEGIN_DECLS

#define CD_TYPE_CERTIFICATE_LIST (cd_certificate_list_get_type ())
G_DECLARE_FINAL_TYPE (CdCertificateList, cd_certificate_list, CD, CERTIFICATE_LIST, GtkBin)

/* ::certificate-activated (CdCertificate *) when the holder opens a row. */
GtkWidget *cd_certificate_list_new              (void);
/* Shows @certificates (element-type CdCertificate): valid ones first, then by date of
 * issue, newest first. */
void       cd_certificate_list_set_certificates (CdCertificateList *self,
                                                 GPtrArray         *certificates);
guint      cd_certificate_list_get_n_certificates (CdCertificateList *self);
/* What the empty list says. */
void       cd_certificate_list_set_placeholder_text (CdCertificateList *self,
                                                     const char        *text);
/* The order of the list: negative when @a comes first. */
int        cd_certificate_list_compare          (CdCertificate     *a,
                                                 CdCertificate     *b);

G_END_DECLS
