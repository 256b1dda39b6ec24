#include "config.h"

#include "cd-cli-table.h"

#include <stdarg.h>

struct _CdCliTable
{
  GPtrArray *rows; /* (element-type GStrv), the headings first */
};

static GStrv
collect_cells (const char *first,
               va_list     args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (const char *cell = first; cell != NULL; cell = va_arg (args, const char *))
    g_strv_builder_add (builder, cell);

  return g_strv_builder_end (builder);
}

static gsize
display_width (const char *text)
{
  gsize width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

CdCliTable *
cd_cli_table_new (const char *first_heading,
                  ...)
{
  CdCliTable *self = g_new0 (CdCliTable, 1);
  va_list args;

  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  va_start (args, first_heading);
  g_ptr_array_add (self->rows, collect_cells (first_heading, args));
  va_end (args);

  return self;
}

void
cd_cli_table_add_row (CdCliTable *self,
                      const char *first_cell,
                      ...)
{
  va_list args;

  va_start (args, first_cell);
  g_ptr_array_add (self->rows, collect_cells (first_cell, args));
  va_end (args);
}

char *
cd_cli_table_to_string (CdCliTable *self)
{
  guint n_columns = g_strv_length (g_ptr_array_index (self->rows, 0));
  g_autofree gsize *widths = g_new0 (gsize, n_columns);
  GString *out = g_string_new (NULL);

  for (guint r = 0; r < self->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (self->rows, r);

      for (guint c = 0; c < n_columns && row[c] != NULL; c++)
        widths[c] = MAX (widths[c], display_width (row[c]));
    }

  for (guint r = 0; r < self->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (self->rows, r);

      for (guint c = 0; c < n_columns && row[c] != NULL; c++)
        {
          g_string_append (out, row[c]);
          if (c + 1 < n_columns)
            for (gsize pad = display_width (row[c]); pad < widths[c] + 2; pad++)
              g_string_append_c (out, ' ');
        }
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

void
cd_cli_table_free (CdCliTable *self)
{
  g_ptr_array_unref (self->rows);
  g_free (self);
}

void
cd_cli_print_fields (const char * const *labels_and_values)
{
  gsize width = 0;

  for (guint i = 0; labels_and_values[i] != NULL; i += 2)
    width = MAX (width, display_width (labels_and_values[i]));

  for (guint i = 0; labels_and_values[i] != NULL; i += 2)
    {
      const char *value = labels_and_values[i + 1];

      g_print ("%s:", labels_and_values[i]);
      for (gsize pad = display_width (labels_and_values[i]); pad < width + 1; pad++)
        g_print (" ");
      g_print ("%s\n", value != NULL && *value != '\0' ? value : "—");
    }
}
