#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CD_TYPE_SHORTCUTS_WINDOW (cd_shortcuts_window_get_type ())
G_DECLARE_FINAL_TYPE (CdShortcutsWindow, cd_shortcuts_window, CD, SHORTCUTS_WINDOW, GtkShortcutsWindow)

/* The keyboard shortcuts window (ui/help-overlay.ui, which GtkApplication builds for every
 * application window): a GtkShortcutsWindow whose contents go when it is destroyed. */

G_END_DECLS
