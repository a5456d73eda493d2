/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-clevertap-profiles"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-importer-clevertap.h"
#include "seg-importer-clevertap-profiles.h"

/*
 * CleverTap profile exports as JSON lines: one user per line with identity and/or
 * objectId, standard fields (name, email, phone, ...) and custom ones, at the top level,
 * under "profile" or under "profileData". Each line is one profile update.
 */

struct _SegImporterClevertapProfiles
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterClevertapProfiles, seg_importer_clevertap_profiles, SEG_TYPE_IMPORTER)

static gboolean
line_cb (SegJsonScan  *scan,
         guint64       line,
         gpointer      user_data,
         GError      **error)
{
  return seg_clevertap_convert_profile (user_data, scan, line, error);
}

static int
seg_importer_clevertap_profiles_sniff (SegImporter *importer,
                                       const char  *file_name,
                                       const char  *head,
                                       gsize        head_len)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);
  g_autofree char *first = g_strndup (line, len);

  if (len == 0 || line[0] != '{')
    return 0;
  if (strstr (first, "\"eventName\"") || strstr (first, "\"eventProps\"") || strstr (first, "\"records\""))
    return 0;
  if (strstr (first, "\"profileData\""))
    return 85;
  if (strstr (first, "\"objectId\"") || strstr (first, "\"identity\""))
    return 50;
  return 0;
}

static gboolean
seg_importer_clevertap_profiles_read (SegImporter    *importer,
                                      GInputStream   *stream,
                                      SegImportSink  *sink,
                                      GCancellable   *cancellable,
                                      GError        **error)
{
  SegClevertapReader r;
  gboolean ret;

  seg_clevertap_reader_init (&r, importer, sink);
  ret = seg_import_read_json_lines (stream, sink, cancellable, line_cb, NULL, &r, error);
  seg_clevertap_reader_clear (&r);
  return ret;
}

static void
seg_importer_clevertap_profiles_class_init (SegImporterClevertapProfilesClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "clevertap-profiles";
  importer_class->name = N_("CleverTap profile export (JSON)");
  importer_class->sniff = seg_importer_clevertap_profiles_sniff;
  importer_class->read = seg_importer_clevertap_profiles_read;
}

static void
seg_importer_clevertap_profiles_init (SegImporterClevertapProfiles *self)
{
}
