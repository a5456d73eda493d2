/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-clevertap-list"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-csv-reader.h"
#include "seg-import-util.h"
#include "seg-importer-clevertap-list.h"

/*
 * CleverTap's Custom List CSV: a header "Type,Identity" and one user per row, e.g.
 * "Identity,jane@example.com" or "Email,...". It adds no events or profiles: its members
 * become a custom-list segment, so the reader hands them to the sink's identity list
 * (SegImportSummary:identities) in file order, each once.
 */

struct _SegImporterClevertapList
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterClevertapList, seg_importer_clevertap_list, SEG_TYPE_IMPORTER)

static gboolean
is_header (const SegCsvField *f,
           guint              n)
{
  return n == 2 && g_ascii_strcasecmp (f[0].str, "Type") == 0 &&
         g_ascii_strcasecmp (f[1].str, "Identity") == 0;
}

static gboolean
seg_importer_clevertap_list_read (SegImporter    *importer,
                                  GInputStream   *stream,
                                  SegImportSink  *sink,
                                  GCancellable   *cancellable,
                                  GError        **error)
{
  SegCsvReader reader;
  gboolean ret = FALSE;
  gboolean first = TRUE;
  int r;

  seg_csv_reader_init (&reader, stream, ',');
  while ((r = seg_csv_reader_next (&reader, cancellable, error)) > 0)
    {
      guint n = seg_csv_reader_n_fields (&reader);
      SegCsvField *f = reader.fields;
      const char *id;
      gsize len;

      if (n == 1 && f[0].len == 0)
        continue;
      if (first)
        {
          first = FALSE;
          /* Skip a byte order mark before the header. */
          if (f[0].len >= 3 && memcmp (f[0].str, "\xef\xbb\xbf", 3) == 0)
            {
              f[0].str += 3;
              f[0].len -= 3;
            }
          if (is_header (f, n))
            continue;
          g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_DATA,
                       _("A custom list starts with the header “Type,Identity”"));
          goto out;
        }

      seg_import_sink_row (sink, seg_read_buffer_tell (&reader.buf));
      if (reader.malformed != NULL)
        {
          if (!seg_import_sink_rejectf (sink, reader.line_no, error, _("Malformed CSV: %s"), reader.malformed))
            goto out;
          continue;
        }
      if (n != 2)
        {
          if (!seg_import_sink_rejectf (sink, reader.line_no, error, _("Expected 2 fields, found %u"), n))
            goto out;
          continue;
        }
      id = f[1].str;
      len = f[1].len;
      while (len > 0 && g_ascii_isspace (*id))
        id++, len--;
      while (len > 0 && g_ascii_isspace (id[len - 1]))
        len--;
      if (len == 0)
        {
          if (!seg_import_sink_reject (sink, reader.line_no, _("No identity"), error))
            goto out;
          continue;
        }
      if (!seg_utf8_ok (id, len))
        {
          if (!seg_import_sink_reject (sink, reader.line_no, _("The identity is not valid UTF-8 text"), error))
            goto out;
          continue;
        }
      ((char *) id)[len] = '\0';
      if (!seg_utf8_ok (f[0].str, f[0].len))
        {
          if (!seg_import_sink_reject (sink, reader.line_no, _("The type is not valid UTF-8 text"), error))
            goto out;
          continue;
        }
      seg_import_sink_add_identity (sink, f[0].len > 0 ? f[0].str : NULL, id);
    }
  if (r < 0)
    goto out;

  seg_import_sink_finish (sink, seg_read_buffer_tell (&reader.buf));
  ret = TRUE;

out:
  seg_csv_reader_clear (&reader);
  return ret;
}

static int
seg_importer_clevertap_list_sniff (SegImporter *importer,
                                   const char  *file_name,
                                   const char  *head,
                                   gsize        head_len)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);

  if (len == 13 && g_ascii_strncasecmp (line, "Type,Identity", 13) == 0)
    return 95;
  return 0;
}

static void
seg_importer_clevertap_list_class_init (SegImporterClevertapListClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "clevertap-list";
  importer_class->name = N_("CleverTap custom list (CSV)");
  importer_class->sniff = seg_importer_clevertap_list_sniff;
  importer_class->read = seg_importer_clevertap_list_read;
}

static void
seg_importer_clevertap_list_init (SegImporterClevertapList *self)
{
}
