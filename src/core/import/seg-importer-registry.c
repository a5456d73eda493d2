/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-registry"

#include "config.h"

#include "seg-importer-registry.h"
#include "seg-importer-access-log.h"
#include "seg-importer-amplitude.h"
#include "seg-importer-clevertap.h"
#include "seg-importer-clevertap-api.h"
#include "seg-importer-clevertap-csv.h"
#include "seg-importer-clevertap-list.h"
#include "seg-importer-clevertap-profiles.h"
#include "seg-importer-csv.h"
#include "seg-importer-jsonl.h"
#include "seg-importer-mixpanel.h"
#include "seg-importer-segment.h"

/* The one list of formats. When two readers score a file the same, the earlier wins. */
static GType (* const formats[]) (void) = {
  seg_importer_clevertap_get_type,
  seg_importer_clevertap_api_get_type,
  seg_importer_clevertap_csv_get_type,
  seg_importer_clevertap_list_get_type,
  seg_importer_clevertap_profiles_get_type,
  seg_importer_mixpanel_get_type,
  seg_importer_amplitude_get_type,
  seg_importer_segment_get_type,
  seg_importer_access_log_get_type,
  seg_importer_csv_get_type,
  seg_importer_jsonl_get_type,
};

/**
 * seg_importer_registry_list_ids:
 *
 * Returns: (transfer container) (element-type utf8): the ids of all formats, static strings
 */
GPtrArray *
seg_importer_registry_list_ids (void)
{
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      SegImporterClass *klass = g_type_class_ref (formats[i] ());

      g_ptr_array_add (ids, (gpointer) klass->id);
      g_type_class_unref (klass);
    }
  return ids;
}

/**
 * seg_importer_registry_create:
 * @id: a format id, as in seg_importer_get_id()
 *
 * Returns: (transfer full) (nullable): a new reader, or %NULL for an unknown id
 */
SegImporter *
seg_importer_registry_create (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      GType type = formats[i] ();
      SegImporterClass *klass = g_type_class_ref (type);
      gboolean match = g_str_equal (klass->id, id);

      g_type_class_unref (klass);
      if (match)
        return g_object_new (type, NULL);
    }
  return NULL;
}

/**
 * seg_importer_registry_list:
 *
 * Returns: (transfer full): a list model of one new #SegImporter per format, for choosers
 */
GListModel *
seg_importer_registry_list (void)
{
  GListStore *store = g_list_store_new (SEG_TYPE_IMPORTER);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GObject) importer = g_object_new (formats[i] (), NULL);
      g_list_store_append (store, importer);
    }
  return G_LIST_MODEL (store);
}

/**
 * seg_importer_registry_detect:
 * @file_name: (nullable): the file's base name
 * @head: the first bytes of the decompressed content
 * @score: (out) (optional): the winner's score
 *
 * Returns: (transfer full) (nullable): a new reader for the format that scores highest,
 *   or %NULL when none recognises the file
 */
SegImporter *
seg_importer_registry_detect (const char *file_name,
                              const char *head,
                              gsize       head_len,
                              int        *score)
{
  g_autoptr(SegImporter) best = NULL;
  int best_score = 0;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(SegImporter) importer = g_object_new (formats[i] (), NULL);
      int s = seg_importer_sniff (importer, file_name, head, head_len);

      if (s > best_score)
        {
          best_score = s;
          g_set_object (&best, importer);
        }
    }
  if (score != NULL)
    *score = best_score;
  if (best != NULL)
    seg_importer_set_file_name (best, file_name);
  return g_steal_pointer (&best);
}
