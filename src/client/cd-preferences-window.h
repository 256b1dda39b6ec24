#pragma once

#include <handy.h>

G_BEGIN_DECLS

#define CD_TYPE_PREFERENCES_WINDOW (cd_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (CdPreferencesWindow, cd_preferences_window, CD, PREFERENCES_WINDOW, HdyPreferencesWindow)

/* The preferences: the service's address, checked as it is typed and saved only when valid
 * (on Enter or when the window closes; it takes effect at the next start), and the days of
 * warning before an annotation lapses. @settings is the app's settings, or NULL for the
 * schema APPLICATION_ID. */
CdPreferencesWindow *cd_preferences_window_new (GSettings *settings);

G_END_DECLS
