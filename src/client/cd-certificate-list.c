/* The holder's certificates, as a keyboard-navigable list of CdCertificateRow. */

#include "config.h"

#include "cd-certificate-list.h"

#include "cd-certificate-row.h"

struct _CdCertificateList
{
  GtkBin      parent_instance;

  guint       n_certificates;

  /* Template widgets */
  GtkListBox *list_box;          /* (unowned) */
  GtkLabel   *placeholder_label; /* (unowned) */
};

G_DEFINE_TYPE (CdCertificateList, cd_certificate_list, GTK_TYPE_BIN)

enum
{
  SIGNAL_CERTIFICATE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
sort_rows_cb (GtkListBoxRow *row1,
              GtkListBoxRow *row2,
              gpointer       user_data)
{
  return cd_certificate_list_compare (cd_certificate_row_get_certificate (CD_CERTIFICATE_ROW (row1)),
                                      cd_certificate_row_get_certificate (CD_CERTIFICATE_ROW (row2)));
}

static void
list_box_row_activated_cb (CdCertificateList *self,
                           GtkListBoxRow     *row)
{
  g_signal_emit (self, signals[SIGNAL_CERTIFICATE_ACTIVATED], 0,
                 cd_certificate_row_get_certificate (CD_CERTIFICATE_ROW (row)));
}

static void
cd_certificate_list_class_init (CdCertificateListClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_CERTIFICATE_ACTIVATED] =
    g_signal_new ("certificate-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, CD_TYPE_CERTIFICATE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certdesk/CertDesk/ui/cd-certificate-list.ui");
  gtk_widget_class_bind_template_child (widget_class, CdCertificateList, list_box);
  gtk_widget_class_bind_template_child (widget_class, CdCertificateList, placeholder_label);
  gtk_widget_class_bind_template_callback (widget_class, list_box_row_activated_cb);
}

static void
cd_certificate_list_init (CdCertificateList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_sort_func (self->list_box, sort_rows_cb, NULL, NULL);
}

GtkWidget *
cd_certificate_list_new (void)
{
  return g_object_new (CD_TYPE_CERTIFICATE_LIST, NULL);
}

void
cd_certificate_list_set_certificates (CdCertificateList *self,
                                      GPtrArray         *certificates)
{
  g_autoptr(GList) children = NULL;

  g_return_if_fail (CD_IS_CERTIFICATE_LIST (self));

  children = gtk_container_get_children (GTK_CONTAINER (self->list_box));
  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);

  self->n_certificates = 0;
  for (guint i = 0; certificates != NULL && i < certificates->len; i++)
    {
      CdCertificate *certificate = g_ptr_array_index (certificates, i);

      gtk_container_add (GTK_CONTAINER (self->list_box), cd_certificate_row_new (certificate));
      self->n_certificates++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->list_box), self->n_certificates > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label), self->n_certificates == 0);
}

guint
cd_certificate_list_get_n_certificates (CdCertificateList *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE_LIST (self), 0);

  return self->n_certificates;
}

int
cd_certificate_list_compare (CdCertificate *a,
                             CdCertificate *b)
{
  gboolean a_valid = cd_certificate_get_status (a) == CD_CERTIFICATE_STATUS_VALID;
  gboolean b_valid = cd_certificate_get_status (b) == CD_CERTIFICATE_STATUS_VALID;
  int by_date;

  if (a_valid != b_valid)
    return a_valid ? -1 : 1;

  /* YYYY-MM-DD sorts as text; newest first. */
  by_date = g_strcmp0 (cd_certificate_get_issued_on (b), cd_certificate_get_issued_on (a));
  if (by_date != 0)
    return by_date;

  return g_strcmp0 (cd_certificate_get_cert_no (a), cd_certificate_get_cert_no (b));
}

void
cd_certificate_list_set_placeholder_text (CdCertificateList *self,
                                          const char        *text)
{
  g_return_if_fail (CD_IS_CERTIFICATE_LIST (self));
  g_return_if_fail (text != NULL);

  gtk_label_set_text (self->placeholder_label, text);
}
