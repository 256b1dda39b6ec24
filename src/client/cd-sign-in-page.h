#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CD_TYPE_SIGN_IN_PAGE (cd_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (CdSignInPage, cd_sign_in_page, CD, SIGN_IN_PAGE, GtkBin)

/* The sign-in form. It checks what is typed and emits ::sign-in (id_number, password,
 * remember) when the holder signs in; the window does the signing in. Its link emits
 * ::register-requested for the registration page. */
GtkWidget  *cd_sign_in_page_new              (void);
/* A message with a spinner while something runs (the form is insensitive), or NULL. */
void        cd_sign_in_page_set_busy         (CdSignInPage *self,
                                              const char   *message);
gboolean    cd_sign_in_page_get_busy         (CdSignInPage *self);
void        cd_sign_in_page_set_id_number    (CdSignInPage *self,
                                              const char   *id_number);
/* The ID number as typed, without spaces and with an upper-case X. */
char       *cd_sign_in_page_dup_id_number    (CdSignInPage *self);
void        cd_sign_in_page_clear_password   (CdSignInPage *self);
/* Puts the focus where typing goes next: the ID number, or the password once it is set. */
void        cd_sign_in_page_focus            (CdSignInPage *self);

G_END_DECLS
