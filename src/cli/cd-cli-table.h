#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A plain-text table for the terminal that lines up CJK text: wide characters take
 * two columns. */
typedef struct _CdCliTable CdCliTable;

CdCliTable *cd_cli_table_new       (const char *first_heading,
                                    ...) G_GNUC_NULL_TERMINATED;
void        cd_cli_table_add_row   (CdCliTable *self,
                                    const char *first_cell,
                                    ...) G_GNUC_NULL_TERMINATED;
char       *cd_cli_table_to_string (CdCliTable *self);
void        cd_cli_table_free      (CdCliTable *self);

/* "label: value" lines, the labels lined up. */
void        cd_cli_print_fields    (const char * const *labels_and_values);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCliTable, cd_cli_table_free)

G_END_DECLS
