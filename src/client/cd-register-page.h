#pragma once

#include <gtk/gtk.h>

#include "cd-id-number.h"

G_BEGIN_DECLS

/* Where cd_register_page_set_error () shows a message. */
typedef enum
{
  CD_REGISTER_PAGE_FIELD_NONE,        /* the form as a whole, above the Register button */
  CD_REGISTER_PAGE_FIELD_ID_NUMBER,
  CD_REGISTER_PAGE_FIELD_NAME,
  CD_REGISTER_PAGE_FIELD_PASSWORD,
} CdRegisterPageField;

#define CD_TYPE_REGISTER_PAGE (cd_register_page_get_type ())
G_DECLARE_FINAL_TYPE (CdRegisterPage, cd_register_page, CD, REGISTER_PAGE, GtkBin)

/* The registration form. It checks what is typed and emits ::register (id_type, id_number,
 * name, password, remember) when the holder registers; the window creates the account and
 * signs in. ::sign-in-requested asks for the sign-in page. */
GtkWidget  *cd_register_page_new              (void);
/* A message with a spinner while something runs (the form is insensitive), or NULL. */
void        cd_register_page_set_busy         (CdRegisterPage      *self,
                                               const char          *message);
gboolean    cd_register_page_get_busy         (CdRegisterPage      *self);
void        cd_register_page_set_id_type      (CdRegisterPage      *self,
                                               CdIdType             id_type);
CdIdType    cd_register_page_get_id_type      (CdRegisterPage      *self);
void        cd_register_page_set_id_number    (CdRegisterPage      *self,
                                               const char          *id_number);
/* The ID number as typed, without spaces and with an upper-case X. */
char       *cd_register_page_dup_id_number    (CdRegisterPage      *self);
/* Empties both password fields. */
void        cd_register_page_clear_passwords  (CdRegisterPage      *self);
/* Empties the whole form (the ID type goes back to the resident ID card) and its errors. */
void        cd_register_page_clear            (CdRegisterPage      *self);
/* Puts the focus on the first field still to fill in or correct, else on Register. */
void        cd_register_page_focus            (CdRegisterPage      *self);
/* Shows @message (the service's answer) as an error on @field until the holder edits
 * that field; NULL removes it. */
void        cd_register_page_set_error        (CdRegisterPage      *self,
                                               CdRegisterPageField  field,
                                               const char          *message);
/* cd_register_page_set_error () with the field a CD_CLIENT_ERROR is about:
 * account_exists on the ID number, weak_password on the password, others on the form. */
void        cd_register_page_show_error       (CdRegisterPage      *self,
                                               const GError        *error);

G_END_DECLS
