#include "config.h"

#include "cd-pdf-signer.h"

#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* Room for the DER signature in /Contents: one RSA-2048 certificate and a
 * signature need about 1.5 KiB, the rest is headroom for a longer chain. */
#define CONTENTS_RESERVED 8192
/* "[0 a b c]" with three ten-digit numbers fits; the rest is padded with spaces. */
#define BYTE_RANGE_WIDTH 40
#define BAD_POS G_MAXSIZE
#define MAX_NESTING 64
#define MAX_XREF_SECTIONS 64
#define MAX_PAGE_TREE_DEPTH 32
/* The largest object number the PDF specification allows. */
#define MAX_OBJECT_NUMBER 8388607

typedef enum
{
  XREF_ENTRY_UNKNOWN,
  XREF_ENTRY_FREE,
  XREF_ENTRY_IN_USE,
} XrefEntryState;

typedef struct
{
  guint64 offset;
  guint generation;
  XrefEntryState state;
} XrefEntry;

typedef struct
{
  guint number;
  guint generation;
} PdfRef;

typedef struct
{
  const guint8 *data;
  gsize length;
  GArray *xref; /* XrefEntry, indexed by object number */
  guint64 startxref;
  gsize trailer; /* the newest trailer dictionary */
} PdfParser;

typedef struct
{
  guint number;
  guint generation;
  gsize offset;
} UpdatedObject;

/* What the update rewrites or points at, found in the original. */
typedef struct
{
  PdfRef root;
  PdfRef page;
  PdfRef info;
  gboolean has_info;
  gsize catalog_start;
  gsize catalog_end;
  gsize page_start;
  gsize page_end;
  guint next_number; /* the first unused object number */
} SignTarget;

static void
pdf_parser_clear (PdfParser *p)
{
  g_clear_pointer (&p->xref, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdfParser, pdf_parser_clear)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

static gboolean
is_white (guint8 c)
{
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static gboolean
is_delimiter (guint8 c)
{
  return strchr ("()<>[]{}/%", c) != NULL && c != '\0';
}

static gboolean
is_regular (guint8 c)
{
  return !is_white (c) && !is_delimiter (c);
}

static gboolean
is_digit (guint8 c)
{
  return c >= '0' && c <= '9';
}

static gboolean
set_invalid (GError     **error,
             const char  *message)
{
  g_set_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_INVALID_PDF,
               "Cannot sign the document: %s", message);
  return FALSE;
}

/* Whitespace and comments. */
static gsize
skip_space (const PdfParser *p,
            gsize            pos)
{
  while (pos < p->length)
    {
      if (p->data[pos] == '%')
        {
          while (pos < p->length && p->data[pos] != '\n' && p->data[pos] != '\r')
            pos++;
        }
      else if (is_white (p->data[pos]))
        pos++;
      else
        break;
    }

  return pos;
}

static gsize
skip_regular (const PdfParser *p,
              gsize            pos)
{
  while (pos < p->length && is_regular (p->data[pos]))
    pos++;

  return pos;
}

static gboolean
has_keyword (const PdfParser *p,
             gsize            pos,
             const char      *keyword)
{
  gsize len = strlen (keyword);

  return pos <= p->length && p->length - pos >= len &&
         memcmp (p->data + pos, keyword, len) == 0 &&
         (pos + len == p->length || !is_regular (p->data[pos + len]));
}

static gboolean
has_prefix (const PdfParser *p,
            gsize            pos,
            const char      *prefix)
{
  gsize len = strlen (prefix);

  return pos <= p->length && p->length - pos >= len && memcmp (p->data + pos, prefix, len) == 0;
}

/* Returns the position after the digits, or BAD_POS. */
static gsize
parse_uint (const PdfParser *p,
            gsize            pos,
            guint64         *out_value)
{
  guint64 value = 0;
  gsize start = pos;

  while (pos < p->length && is_digit (p->data[pos]))
    {
      /* No offset or object number in a file we accept comes near this. */
      if (value > G_MAXUINT64 / 100)
        return BAD_POS;
      value = value * 10 + (p->data[pos] - '0');
      pos++;
    }

  if (pos == start || (pos < p->length && is_regular (p->data[pos])))
    return BAD_POS;

  *out_value = value;
  return pos;
}

/* "N G R" at @pos; returns the position after "R", or BAD_POS. */
static gsize
parse_reference (const PdfParser *p,
                 gsize            pos,
                 PdfRef          *out_ref)
{
  guint64 number, generation;

  pos = parse_uint (p, pos, &number);
  if (pos == BAD_POS)
    return BAD_POS;
  pos = parse_uint (p, skip_space (p, pos), &generation);
  if (pos == BAD_POS)
    return BAD_POS;
  pos = skip_space (p, pos);
  if (!has_keyword (p, pos, "R") || number > MAX_OBJECT_NUMBER || generation > 65535)
    return BAD_POS;

  out_ref->number = number;
  out_ref->generation = generation;
  return pos + 1;
}

/* Skips one direct object (an indirect reference counts as one) starting at
 * @pos, which must not be whitespace. Returns the position after it, or BAD_POS. */
static gsize
skip_object (const PdfParser *p,
             gsize            pos,
             guint            depth)
{
  PdfRef ref;
  guint8 c;

  if (pos >= p->length || depth > MAX_NESTING)
    return BAD_POS;

  c = p->data[pos];
  if (has_prefix (p, pos, "<<") || c == '[')
    {
      const char *close = c == '[' ? "]" : ">>";

      pos += c == '[' ? 1 : 2;
      for (;;)
        {
          pos = skip_space (p, pos);
          if (pos >= p->length)
            return BAD_POS;
          if (has_prefix (p, pos, close))
            return pos + strlen (close);
          pos = skip_object (p, pos, depth + 1);
          if (pos == BAD_POS)
            return BAD_POS;
        }
    }
  else if (c == '(')
    {
      guint open = 0;

      for (; pos < p->length; pos++)
        {
          if (p->data[pos] == '\\')
            pos++;
          else if (p->data[pos] == '(')
            open++;
          else if (p->data[pos] == ')' && --open == 0)
            return pos + 1;
        }
      return BAD_POS;
    }
  else if (c == '<')
    {
      const guint8 *end = memchr (p->data + pos, '>', p->length - pos);

      return end != NULL ? (gsize) (end - p->data) + 1 : BAD_POS;
    }
  else if (c == '/')
    return skip_regular (p, pos + 1);
  else if (is_regular (c))
    {
      gsize ref_end = parse_reference (p, pos, &ref);

      return ref_end != BAD_POS ? ref_end : skip_regular (p, pos);
    }

  return BAD_POS;
}

/* The value of /@key (given without the slash) in the dictionary at @dict, or
 * BAD_POS when it has no such key. */
static gsize
lookup_key (const PdfParser *p,
            gsize            dict,
            const char      *key)
{
  gsize key_len = strlen (key);
  gsize pos;

  if (!has_prefix (p, dict, "<<"))
    return BAD_POS;

  pos = dict + 2;
  for (;;)
    {
      gsize name_start, name_end, value;

      pos = skip_space (p, pos);
      if (pos >= p->length || p->data[pos] != '/')
        return BAD_POS;

      name_start = pos + 1;
      name_end = skip_regular (p, name_start);
      value = skip_space (p, name_end);
      if (name_end - name_start == key_len && memcmp (p->data + name_start, key, key_len) == 0)
        return value;

      pos = skip_object (p, value, 1);
      if (pos == BAD_POS)
        return BAD_POS;
    }
}

static gboolean
lookup_reference (const PdfParser *p,
                  gsize            dict,
                  const char      *key,
                  PdfRef          *out_ref)
{
  gsize value = lookup_key (p, dict, key);

  return value != BAD_POS && parse_reference (p, value, out_ref) != BAD_POS;
}

/* Finds the dictionary of object @ref; @out_end is after its closing ">>". */
static gboolean
read_object_dict (const PdfParser  *p,
                  PdfRef            ref,
                  const char       *what,
                  gsize            *out_start,
                  gsize            *out_end,
                  GError          **error)
{
  const XrefEntry *entry = NULL;
  g_autofree char *message = NULL;
  guint64 number, generation;
  gsize pos;

  if (ref.number < p->xref->len)
    entry = &g_array_index (p->xref, XrefEntry, ref.number);

  if (entry == NULL || entry->state != XREF_ENTRY_IN_USE || entry->generation != ref.generation)
    {
      message = g_strdup_printf ("the %s (object %u) is missing", what, ref.number);
      return set_invalid (error, message);
    }

  pos = parse_uint (p, skip_space (p, entry->offset), &number);
  if (pos != BAD_POS)
    pos = parse_uint (p, skip_space (p, pos), &generation);
  if (pos != BAD_POS)
    pos = skip_space (p, pos);
  if (pos == BAD_POS || number != ref.number || generation != ref.generation ||
      !has_keyword (p, pos, "obj"))
    {
      message = g_strdup_printf ("the cross-reference table points at the wrong place for object %u",
                                 ref.number);
      return set_invalid (error, message);
    }

  pos = skip_space (p, pos + strlen ("obj"));
  if (!has_prefix (p, pos, "<<"))
    {
      message = g_strdup_printf ("the %s (object %u) is not a dictionary", what, ref.number);
      return set_invalid (error, message);
    }

  *out_start = pos;
  *out_end = skip_object (p, pos, 0);
  if (*out_end == BAD_POS)
    {
      message = g_strdup_printf ("the %s (object %u) is malformed", what, ref.number);
      return set_invalid (error, message);
    }

  return TRUE;
}

/* Reads one "xref … trailer <<…>>" section at @offset; entries already known from
 * a newer section win. */
static gboolean
read_xref_section (PdfParser  *p,
                   guint64     offset,
                   gsize      *out_trailer,
                   GError    **error)
{
  gsize pos;
  guint64 number;

  if (offset >= p->length)
    return set_invalid (error, "the cross-reference offset is outside the file");

  pos = skip_space (p, offset);
  if (!has_keyword (p, pos, "xref"))
    {
      /* "N G obj" here is a cross-reference stream (PDF 1.5 compressed files). */
      if (parse_uint (p, pos, &number) != BAD_POS)
        return set_invalid (error, "the document uses a cross-reference stream, which is not "
                                   "supported; save it with a classic cross-reference table");
      return set_invalid (error, "startxref does not point at a cross-reference table");
    }

  pos += strlen ("xref");
  for (;;)
    {
      guint64 first, count;

      pos = skip_space (p, pos);
      if (has_keyword (p, pos, "trailer"))
        break;

      pos = parse_uint (p, pos, &first);
      if (pos != BAD_POS)
        pos = parse_uint (p, skip_space (p, pos), &count);
      /* An entry takes 20 bytes (18 in sloppy files) and an object at least one:
       * numbers beyond that are garbage, and would make us allocate for them. */
      if (pos == BAD_POS || first > MAX_OBJECT_NUMBER || count > MAX_OBJECT_NUMBER + 1 - first ||
          count > (p->length - pos) / 18 || first + count > p->length)
        return set_invalid (error, "the cross-reference table is malformed");

      if (p->xref->len < first + count)
        g_array_set_size (p->xref, first + count);

      for (guint64 i = 0; i < count; i++)
        {
          XrefEntry *entry = &g_array_index (p->xref, XrefEntry, first + i);
          guint64 entry_offset = 0;
          guint64 generation = 0;
          guint8 type;

          pos = parse_uint (p, skip_space (p, pos), &entry_offset);
          if (pos != BAD_POS)
            pos = parse_uint (p, skip_space (p, pos), &generation);
          if (pos != BAD_POS)
            pos = skip_space (p, pos);
          if (pos == BAD_POS || pos >= p->length || generation > 65535)
            return set_invalid (error, "the cross-reference table is malformed");

          type = p->data[pos++];
          if ((type != 'n' && type != 'f') || (type == 'n' && entry_offset >= p->length))
            return set_invalid (error, "the cross-reference table is malformed");

          if (entry->state == XREF_ENTRY_UNKNOWN)
            {
              entry->offset = entry_offset;
              entry->generation = generation;
              entry->state = type == 'n' ? XREF_ENTRY_IN_USE : XREF_ENTRY_FREE;
            }
        }
    }

  pos = skip_space (p, pos + strlen ("trailer"));
  if (!has_prefix (p, pos, "<<") || skip_object (p, pos, 0) == BAD_POS)
    return set_invalid (error, "the trailer is malformed");

  *out_trailer = pos;
  return TRUE;
}

static gboolean
load_xref (PdfParser  *p,
           GError    **error)
{
  /* startxref sits in the last bytes; 1024 is the window the specification gives for %%EOF. */
  gsize window = MIN (p->length, 1024);
  const char *keyword = "startxref";
  gsize keyword_len = strlen (keyword);
  guint64 sections[MAX_XREF_SECTIONS];
  guint n_sections = 0;
  gsize pos = BAD_POS;
  guint64 offset;

  for (gsize i = p->length - window; i + keyword_len <= p->length; i++)
    {
      if (memcmp (p->data + i, keyword, keyword_len) == 0)
        pos = i;
    }

  if (pos == BAD_POS ||
      parse_uint (p, skip_space (p, pos + keyword_len), &p->startxref) == BAD_POS)
    return set_invalid (error, "no startxref at the end of the file");

  p->xref = g_array_new (FALSE, TRUE, sizeof (XrefEntry));

  for (offset = p->startxref;;)
    {
      gsize trailer;
      gsize prev;

      for (guint i = 0; i < n_sections; i++)
        {
          if (sections[i] == offset)
            return set_invalid (error, "the cross-reference sections form a loop");
        }
      if (n_sections == MAX_XREF_SECTIONS)
        return set_invalid (error, "too many cross-reference sections");
      sections[n_sections++] = offset;

      if (!read_xref_section (p, offset, &trailer, error))
        return FALSE;

      if (n_sections == 1)
        {
          p->trailer = trailer;
          /* Hybrid files keep some objects only in the stream named here. */
          if (lookup_key (p, trailer, "XRefStm") != BAD_POS)
            return set_invalid (error, "the document uses a cross-reference stream, which is "
                                       "not supported");
        }

      prev = lookup_key (p, trailer, "Prev");
      if (prev == BAD_POS)
        break;
      if (parse_uint (p, prev, &offset) == BAD_POS)
        return set_invalid (error, "the trailer has a malformed /Prev");
    }

  return TRUE;
}

/* Follows /Kids[0] down from the page tree root to the first page. */
static gboolean
find_first_page (const PdfParser  *p,
                 PdfRef            pages,
                 PdfRef           *out_page,
                 gsize            *out_start,
                 gsize            *out_end,
                 GError          **error)
{
  PdfRef node = pages;

  for (guint depth = 0; depth < MAX_PAGE_TREE_DEPTH; depth++)
    {
      gsize start, end, type, kids;

      if (!read_object_dict (p, node, "page tree", &start, &end, error))
        return FALSE;

      type = lookup_key (p, start, "Type");
      if (type != BAD_POS && has_keyword (p, type, "/Page"))
        {
          *out_page = node;
          *out_start = start;
          *out_end = end;
          return TRUE;
        }

      kids = lookup_key (p, start, "Kids");
      if (kids == BAD_POS || !has_prefix (p, kids, "[") ||
          parse_reference (p, skip_space (p, kids + 1), &node) == BAD_POS)
        return set_invalid (error, "the page tree has no first page");
    }

  return set_invalid (error, "the page tree is too deep");
}

/* PDF text strings as UTF-16BE with a byte order mark, in hex: safe for any
 * text and needs no escaping. */
static gboolean
append_text_string (GString     *out,
                    const char  *utf8,
                    GError     **error)
{
  g_autofree gunichar2 *utf16 = NULL;
  glong n_units;

  utf16 = g_utf8_to_utf16 (utf8, -1, NULL, &n_units, NULL);
  if (utf16 == NULL)
    {
      g_set_error_literal (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_FAILED,
                           "Cannot sign the document: the text is not valid UTF-8");
      return FALSE;
    }

  g_string_append (out, "<FEFF");
  for (glong i = 0; i < n_units; i++)
    g_string_append_printf (out, "%04X", utf16[i]);
  g_string_append_c (out, '>');

  return TRUE;
}

/* Copies the dictionary at [@start, @end) with @extra added before its ">>". */
static void
append_dict_with (GString         *out,
                  const PdfParser *p,
                  gsize            start,
                  gsize            end,
                  const char      *extra)
{
  gsize body_end = end - 2;

  g_assert (end - start >= 4);

  while (body_end > start + 2 && is_white (p->data[body_end - 1]))
    body_end--;

  /* The newline also ends a comment the original may have on its last line. */
  g_string_append_len (out, (const char *) p->data + start, body_end - start);
  g_string_append_printf (out, "\n%s\n>>", extra);
}

static char *
dup_signer_name (CdSigningIdentity  *identity,
                 GError            **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  GBytes *pem = cd_signing_identity_get_certificate_pem (identity);
  gnutls_datum_t datum;
  char name[1024];
  size_t name_size = sizeof name;
  gsize size;
  int ret;

  datum.data = (unsigned char *) g_bytes_get_data (pem, &size);
  datum.size = size;

  ret = gnutls_x509_crt_init (&crt);
  if (ret >= 0)
    ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM);
  if (ret >= 0)
    ret = gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, name, &name_size);
  if (ret < 0)
    {
      g_set_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_FAILED,
                   "Cannot read the signer name: %s", gnutls_strerror (ret));
      return NULL;
    }

  return g_strndup (name, name_size);
}

static int
compare_updated_objects (gconstpointer a,
                         gconstpointer b)
{
  const UpdatedObject *oa = a;
  const UpdatedObject *ob = b;

  return oa->number < ob->number ? -1 : oa->number > ob->number;
}

/* Subsections of consecutive object numbers, one 20-byte entry each. */
static void
append_xref (GString       *out,
             UpdatedObject *objects,
             guint          n_objects)
{
  qsort (objects, n_objects, sizeof (UpdatedObject), compare_updated_objects);

  g_string_append (out, "xref\n");
  for (guint i = 0; i < n_objects;)
    {
      guint run = 1;

      while (i + run < n_objects && objects[i + run].number == objects[i].number + run)
        run++;

      g_string_append_printf (out, "%u %u\n", objects[i].number, run);
      for (guint j = i; j < i + run; j++)
        g_string_append_printf (out, "%010" G_GSIZE_FORMAT " %05u n \n",
                                objects[j].offset, objects[j].generation);
      i += run;
    }
}

static gboolean
find_sign_target (PdfParser   *p,
                  SignTarget  *target,
                  GError     **error)
{
  PdfRef pages;
  guint64 size;
  gsize value;

  /* Offsets count from the first byte, so the header must be there. */
  if (!has_prefix (p, 0, "%PDF-"))
    return set_invalid (error, "it is not a PDF file");

  if (!load_xref (p, error))
    return FALSE;

  if (lookup_key (p, p->trailer, "Encrypt") != BAD_POS)
    return set_invalid (error, "the document is encrypted");

  value = lookup_key (p, p->trailer, "Size");
  if (!lookup_reference (p, p->trailer, "Root", &target->root) || value == BAD_POS ||
      parse_uint (p, value, &size) == BAD_POS)
    return set_invalid (error, "the trailer has no /Root or /Size");
  target->has_info = lookup_reference (p, p->trailer, "Info", &target->info);

  size = MAX (size, p->xref->len);
  if (size + 1 > MAX_OBJECT_NUMBER)
    return set_invalid (error, "the document has too many objects");
  target->next_number = size;

  if (!read_object_dict (p, target->root, "catalog", &target->catalog_start,
                         &target->catalog_end, error))
    return FALSE;
  if (lookup_key (p, target->catalog_start, "AcroForm") != BAD_POS)
    return set_invalid (error, "the document already has a form");
  if (!lookup_reference (p, target->catalog_start, "Pages", &pages))
    return set_invalid (error, "the catalog has no /Pages");

  if (!find_first_page (p, pages, &target->page, &target->page_start, &target->page_end, error))
    return FALSE;
  if (lookup_key (p, target->page_start, "Annots") != BAD_POS)
    return set_invalid (error, "the first page already has annotations");

  return TRUE;
}

/* Appends to @update (which goes right after the original) the rewritten page and
 * catalog, the signature and its widget, and the xref section and trailer.
 * /ByteRange and /Contents are placeholders at @out_byte_range and
 * @out_contents, counted from the start of @update. */
static gboolean
build_update (const PdfParser   *p,
              const SignTarget  *target,
              const char        *signer_name,
              gint64             signing_time,
              const char        *reason,
              GString           *update,
              gsize             *out_byte_range,
              gsize             *out_contents,
              GError           **error)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (signing_time);
  g_autofree char *date = NULL;
  g_autofree char *annots = NULL;
  g_autofree char *acroform = NULL;
  guint sig_number = target->next_number;
  guint widget_number = target->next_number + 1;
  UpdatedObject objects[4];
  gsize value, xref;

  if (when == NULL)
    {
      g_set_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_FAILED,
                   "Cannot sign the document: invalid signing time %" G_GINT64_FORMAT, signing_time);
      return FALSE;
    }
  date = g_date_time_format (when, "D:%Y%m%d%H%M%S+00'00'");

  if (p->data[p->length - 1] != '\n' && p->data[p->length - 1] != '\r')
    g_string_append_c (update, '\n');

  objects[0] = (UpdatedObject) { target->page.number, target->page.generation,
                                 p->length + update->len };
  annots = g_strdup_printf ("/Annots [%u 0 R]", widget_number);
  g_string_append_printf (update, "%u %u obj\n", target->page.number, target->page.generation);
  append_dict_with (update, p, target->page_start, target->page_end, annots);
  g_string_append (update, "\nendobj\n");

  objects[1] = (UpdatedObject) { target->root.number, target->root.generation,
                                 p->length + update->len };
  acroform = g_strdup_printf ("/AcroForm << /Fields [%u 0 R] /SigFlags 3 >>", widget_number);
  g_string_append_printf (update, "%u %u obj\n", target->root.number, target->root.generation);
  append_dict_with (update, p, target->catalog_start, target->catalog_end, acroform);
  g_string_append (update, "\nendobj\n");

  objects[2] = (UpdatedObject) { sig_number, 0, p->length + update->len };
  g_string_append_printf (update,
                          "%u 0 obj\n"
                          "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached\n"
                          "/ByteRange ",
                          sig_number);
  *out_byte_range = update->len;
  g_string_append_printf (update, "%-*s\n/Contents ", BYTE_RANGE_WIDTH, "[0 0 0 0]");
  *out_contents = update->len;
  g_string_append_c (update, '<');
  for (guint i = 0; i < 2 * CONTENTS_RESERVED; i++)
    g_string_append_c (update, '0');
  g_string_append_printf (update, ">\n/M (%s)\n/Name ", date);
  if (!append_text_string (update, signer_name, error))
    return FALSE;
  if (reason != NULL)
    {
      g_string_append (update, "\n/Reason ");
      if (!append_text_string (update, reason, error))
        return FALSE;
    }
  g_string_append (update, "\n>>\nendobj\n");

  objects[3] = (UpdatedObject) { widget_number, 0, p->length + update->len };
  g_string_append_printf (update,
                          "%u 0 obj\n"
                          "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V %u 0 R\n"
                          "/F 132 /Rect [0 0 0 0] /P %u %u R >>\n"
                          "endobj\n",
                          widget_number, sig_number, target->page.number, target->page.generation);

  xref = p->length + update->len;
  append_xref (update, objects, G_N_ELEMENTS (objects));
  g_string_append_printf (update, "trailer\n<< /Size %u /Root %u %u R", widget_number + 1,
                          target->root.number, target->root.generation);
  if (target->has_info)
    g_string_append_printf (update, " /Info %u %u R", target->info.number, target->info.generation);
  /* The first /ID half identifies the document across updates: keep it. */
  value = lookup_key (p, p->trailer, "ID");
  if (value != BAD_POS)
    {
      g_string_append (update, " /ID ");
      g_string_append_len (update, (const char *) p->data + value,
                           skip_object (p, value, 0) - value);
    }
  g_string_append_printf (update,
                          " /Prev %" G_GUINT64_FORMAT " >>\n"
                          "startxref\n"
                          "%" G_GSIZE_FORMAT "\n"
                          "%%%%EOF\n",
                          p->startxref, xref);

  return TRUE;
}

GBytes *
cd_pdf_sign (GBytes             *pdf,
             CdSigningIdentity  *identity,
             gint64              signing_time,
             const char         *reason,
             GError            **error)
{
  static const char hex[] = "0123456789ABCDEF";
  g_auto(PdfParser) p = { 0 };
  g_autoptr(GString) update = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autofree char *signer_name = NULL;
  g_autofree char *byte_range = NULL;
  g_autofree guint8 *out = NULL;
  g_autofree guint8 *signed_data = NULL;
  SignTarget target;
  gsize byte_range_pos, contents_pos, contents_end, out_length, signed_length, der_length;
  const guint8 *der;

  g_return_val_if_fail (pdf != NULL, NULL);
  g_return_val_if_fail (CD_IS_SIGNING_IDENTITY (identity), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  p.data = g_bytes_get_data (pdf, &p.length);
  if (!find_sign_target (&p, &target, error))
    return NULL;

  signer_name = dup_signer_name (identity, error);
  if (signer_name == NULL)
    return NULL;

  update = g_string_sized_new (2 * CONTENTS_RESERVED + 2048);
  if (!build_update (&p, &target, signer_name, signing_time, reason, update,
                     &byte_range_pos, &contents_pos, error))
    return NULL;

  out_length = p.length + update->len;
  out = g_malloc (out_length);
  memcpy (out, p.data, p.length);
  memcpy (out + p.length, update->str, update->len);

  /* Everything but the <…> of /Contents is signed. */
  contents_pos += p.length;
  contents_end = contents_pos + 2 * CONTENTS_RESERVED + 2;
  byte_range = g_strdup_printf ("[0 %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT "]",
                                contents_pos, contents_end, out_length - contents_end);
  g_assert (strlen (byte_range) <= BYTE_RANGE_WIDTH);
  memcpy (out + p.length + byte_range_pos, byte_range, strlen (byte_range));

  signed_length = out_length - (contents_end - contents_pos);
  signed_data = g_malloc (signed_length);
  memcpy (signed_data, out, contents_pos);
  memcpy (signed_data + contents_pos, out + contents_end, out_length - contents_end);

  signature = cd_signing_identity_sign_detached (identity, signed_data, signed_length, error);
  if (signature == NULL)
    return NULL;

  der = g_bytes_get_data (signature, &der_length);
  if (der_length > CONTENTS_RESERVED)
    {
      g_set_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_FAILED,
                   "Cannot sign the document: the signature (%" G_GSIZE_FORMAT " bytes) does not fit",
                   der_length);
      return NULL;
    }

  for (gsize i = 0; i < der_length; i++)
    {
      out[contents_pos + 1 + 2 * i] = hex[der[i] >> 4];
      out[contents_pos + 2 + 2 * i] = hex[der[i] & 0xf];
    }

  return g_bytes_new_take (g_steal_pointer (&out), out_length);
}
