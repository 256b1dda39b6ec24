/* The floor of certdesk's launch and memory: a GtkApplication with libhandy, its style
 * manager following the system's dark style as certdesk's does, and one empty window of
 * certdesk's default size with a header bar. Nothing of CertDesk's own. Run through
 * bench/launch-memory.sh. */

#include <handy.h>

static void
startup_cb (GApplication *application,
            gpointer      user_data)
{
  hdy_init ();
  hdy_style_manager_set_color_scheme (hdy_style_manager_get_default (), HDY_COLOR_SCHEME_PREFER_LIGHT);
}

static void
activate_cb (GApplication *application,
             gpointer      user_data)
{
  GtkWidget *window = hdy_application_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header_bar = hdy_header_bar_new ();

  hdy_header_bar_set_show_close_button (HDY_HEADER_BAR (header_bar), TRUE);
  hdy_header_bar_set_title (HDY_HEADER_BAR (header_bar), "Empty");
  gtk_container_add (GTK_CONTAINER (box), header_bar);
  gtk_container_add (GTK_CONTAINER (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 640);
  gtk_application_add_window (GTK_APPLICATION (application), GTK_WINDOW (window));
  gtk_widget_show_all (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GtkApplication) application = gtk_application_new ("io.github.certdesk.BenchEmptyWindow",
                                                               G_APPLICATION_NON_UNIQUE);

  g_signal_connect (application, "startup", G_CALLBACK (startup_cb), NULL);
  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
