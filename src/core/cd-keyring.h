#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CD_KEYRING_ERROR (cd_keyring_error_quark ())

typedef enum
{
  CD_KEYRING_ERROR_UNAVAILABLE, /* no Secret Service (or no session bus) */
  CD_KEYRING_ERROR_LOCKED,      /* the keyring is locked and was not unlocked */
  CD_KEYRING_ERROR_FAILED,
} CdKeyringError;

/* Where a credential lives: the login keyring, or one that is gone at log-out. */
typedef enum
{
  CD_KEYRING_REMEMBER,
  CD_KEYRING_SESSION_ONLY,
} CdKeyringPersistence;

#define CD_TYPE_KEYRING (cd_keyring_get_type ())

G_DECLARE_FINAL_TYPE (CdKeyring, cd_keyring, CD, KEYRING, GObject)

GQuark     cd_keyring_error_quark                      (void);

CdKeyring *cd_keyring_new                              (void);

void       cd_keyring_store_password_async             (CdKeyring             *self,
                                                        const char            *service,
                                                        const char            *id_number,
                                                        const char            *password,
                                                        CdKeyringPersistence   persistence,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
gboolean   cd_keyring_store_password_finish            (CdKeyring             *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

void       cd_keyring_lookup_password_async            (CdKeyring             *self,
                                                        const char            *service,
                                                        const char            *id_number,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
char      *cd_keyring_lookup_password_finish           (CdKeyring             *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

void       cd_keyring_store_token_async                (CdKeyring             *self,
                                                        const char            *service,
                                                        const char            *id_number,
                                                        const char            *token,
                                                        CdKeyringPersistence   persistence,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
gboolean   cd_keyring_store_token_finish               (CdKeyring             *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

void       cd_keyring_lookup_token_async               (CdKeyring             *self,
                                                        const char            *service,
                                                        const char            *id_number,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
char      *cd_keyring_lookup_token_finish              (CdKeyring             *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

void       cd_keyring_lookup_remembered_account_async  (CdKeyring             *self,
                                                        const char            *service,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
char      *cd_keyring_lookup_remembered_account_finish (CdKeyring             *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

void       cd_keyring_clear_async                      (CdKeyring             *self,
                                                        const char            *service,
                                                        const char            *id_number,
                                                        gboolean               forget_password,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
gboolean   cd_keyring_clear_finish                     (CdKeyring             *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

G_END_DECLS
