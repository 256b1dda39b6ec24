/* The busy state the sign-in and registration pages share: while something runs, a
 * message with a spinner, and neither the form nor the link to the other page reacts. */

#include "config.h"

#include "cd-page-busy.h"

/* Shows @message in @status_box (its @status_label, with @spinner turning) and makes
 * @form and @link insensitive; a NULL @message hides the status and gives them back. */
void
cd_page_busy_set (GtkWidget  *status_box,
                  CdSpinner *spinner,
                  GtkLabel   *status_label,
                  GtkWidget  *form,
                  GtkWidget  *link,
                  const char *message)
{
  gboolean busy = message != NULL;

  g_return_if_fail (GTK_IS_WIDGET (status_box));
  g_return_if_fail (CD_IS_SPINNER (spinner));
  g_return_if_fail (GTK_IS_LABEL (status_label));
  g_return_if_fail (GTK_IS_WIDGET (form));
  g_return_if_fail (GTK_IS_WIDGET (link));

  gtk_label_set_text (status_label, busy ? message : "");
  gtk_widget_set_visible (status_box, busy);
  if (busy)
    cd_spinner_start (spinner);
  else
    cd_spinner_stop (spinner);
  gtk_widget_set_sensitive (form, !busy);
  gtk_widget_set_sensitive (link, !busy);
}
