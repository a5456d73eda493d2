/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-clevertap-csv"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-importer-csv.h"
#include "seg-importer-clevertap.h"
#include "seg-importer-clevertap-csv.h"

/*
 * CleverTap exports as CSV: the event export flattened to columns (eventName, ts,
 * profile.identity, profile.objectId, profile.email, ..., eventProps.<key>,
 * sessionProps.<key>, deviceInfo.<key>), or a profile export (Identity, objectId, Name,
 * Email, ...). ts is yyyyMMddHHmmss in the timezone the user gives.
 */

struct _SegImporterClevertapCsv
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterClevertapCsv, seg_importer_clevertap_csv, SEG_TYPE_IMPORTER)

static const char *
find_ci (const char * const *header,
         const char * const *names)
{
  for (guint n = 0; names[n]; n++)
    for (guint i = 0; header[i]; i++)
      if (g_ascii_strcasecmp (header[i], names[n]) == 0)
        return header[i];
  return NULL;
}

static SegImportMapping *
mapping_for_header (const char * const *header,
                    guint               n_columns,
                    gpointer            user_data,
                    GError            **error)
{
  SegImporter *importer = user_data;
  static const char *event_cols[] = { "eventName", "event_name", "Event Name", NULL };
  static const char *identity_cols[] = { "profile.identity", "identity", NULL };
  static const char *object_cols[] = { "profile.objectId", "objectId", "object_id", NULL };
  const char *event_col = find_ci (header, event_cols);
  const char *user_cols[3] = { NULL, NULL, NULL };
  guint n_user = 0;
  g_autoptr(SegImportMapping) mapping = NULL;

  if ((user_cols[n_user] = find_ci (header, identity_cols)) != NULL)
    n_user++;
  if ((user_cols[n_user] = find_ci (header, object_cols)) != NULL)
    n_user++;
  if (n_user == 0)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                   _("This CleverTap CSV file has neither an identity nor an objectId column"));
      return NULL;
    }

  mapping = seg_import_mapping_new (event_col ? SEG_RECORD_EVENT : SEG_RECORD_PROFILE);
  seg_import_mapping_set_user_columns (mapping, user_cols);
  if (event_col != NULL)
    seg_import_mapping_set_event_column (mapping, event_col);
  if (event_col == NULL && seg_importer_get_event_name (importer) != NULL)
    {
      seg_import_mapping_set_kind (mapping, SEG_RECORD_EVENT);
      seg_import_mapping_set_event_name (mapping, seg_importer_get_event_name (importer));
    }
  if (g_strv_contains (header, "ts"))
    seg_import_mapping_set_ts_column (mapping, "ts");
  seg_import_mapping_set_ts_format (mapping, SEG_TIME_FORMAT_AUTO, NULL);

  for (guint i = 0; header[i]; i++)
    {
      const char *h = header[i];

      if (g_str_has_prefix (h, "eventProps."))
        seg_import_mapping_set_column (mapping, h, h + strlen ("eventProps."), SEG_VALUE_TYPE_NONE);
      else if (seg_import_mapping_get_kind (mapping) == SEG_RECORD_PROFILE)
        seg_import_mapping_set_column (mapping, h, seg_clevertap_well_known_key (h), SEG_VALUE_TYPE_NONE);
    }
  if (seg_import_mapping_get_kind (mapping) == SEG_RECORD_EVENT && seg_import_mapping_get_ts_column (mapping) == NULL)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                   _("This CleverTap CSV file has no ts column"));
      return NULL;
    }
  return g_steal_pointer (&mapping);
}

static int
seg_importer_clevertap_csv_sniff (SegImporter *importer,
                                  const char  *file_name,
                                  const char  *head,
                                  gsize        head_len)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);
  g_autofree char *first = g_strndup (line, len);
  g_autofree char *lower = g_ascii_strdown (first, -1);

  if (len == 0 || line[0] == '{' || strchr (first, ',') == NULL)
    return 0;
  if (strstr (first, "eventName") && (strstr (first, "profile.identity") || strstr (first, "profile.objectId")))
    return 90;
  if (strstr (lower, "objectid") && strstr (lower, "identity"))
    return 70;
  return 0;
}

static gboolean
seg_importer_clevertap_csv_read (SegImporter    *importer,
                                 GInputStream   *stream,
                                 SegImportSink  *sink,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  return seg_import_read_csv (stream, sink, NULL, mapping_for_header, importer,
                              seg_importer_get_timezone (importer), SEG_CSV_FLAGS_PROFILE_COLUMNS,
                              cancellable, error);
}

static void
seg_importer_clevertap_csv_class_init (SegImporterClevertapCsvClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "clevertap-csv";
  importer_class->name = N_("CleverTap export (CSV)");
  importer_class->sniff = seg_importer_clevertap_csv_sniff;
  importer_class->read = seg_importer_clevertap_csv_read;
}

static void
seg_importer_clevertap_csv_init (SegImporterClevertapCsv *self)
{
}
