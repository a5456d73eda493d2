/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"
#include "seg-import-util.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_CLEVERTAP (seg_importer_clevertap_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterClevertap, seg_importer_clevertap, SEG, IMPORTER_CLEVERTAP, SegImporter)

G_END_DECLS

G_BEGIN_DECLS

/* Private: the conversion of one CleverTap event object, shared with the Get Events API
 * reader. default_event names events whose object does not. */
typedef struct
{
  SegImportSink    *sink;
  SegRecordBuilder  rb;
  SegRecordBuilder  pb;
  SegTimeParser    *time_parser;
  char             *default_event;
  gint64            now_ms;
} SegClevertapReader;

void     seg_clevertap_reader_init    (SegClevertapReader *reader,
                                       SegImporter        *importer,
                                       SegImportSink      *sink);
void     seg_clevertap_reader_clear   (SegClevertapReader *reader);
gboolean seg_clevertap_convert_event  (SegClevertapReader *reader,
                                       SegJsonScan        *scan,
                                       guint64             line,
                                       GError            **error);
gboolean seg_clevertap_convert_profile (SegClevertapReader *reader,
                                        SegJsonScan        *scan,
                                        guint64             line,
                                        GError            **error);
const char *seg_clevertap_well_known_key (const char      *key);
char    *seg_clevertap_event_from_file_name (const char   *file_name);

G_END_DECLS
