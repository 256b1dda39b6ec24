#pragma once

#include "cd-store.h"

G_BEGIN_DECLS

#define CD_DEMO_ID_NUMBER "110105199003071239"
#define CD_DEMO_PASSWORD  "demo-holder-2026"

/* Adds the demo holder and their three certificates unless they are there already. */
gboolean cd_demo_seed (CdStore  *store,
                       GError  **error);

G_END_DECLS
