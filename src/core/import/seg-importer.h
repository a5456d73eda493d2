/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-import-mapping.h"
#include "seg-import-sink.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER (seg_importer_get_type ())
G_DECLARE_DERIVABLE_TYPE (SegImporter, seg_importer, SEG, IMPORTER, GObject)

/* How many bytes of (decompressed) text sniff() is given at most. */
#define SEG_IMPORTER_SNIFF_SIZE (16 * 1024)

/**
 * SegImporterClass:
 * @id: a stable identifier, used by `segctl import --format` and saved settings
 * @name: a translatable name for people
 * @needs_mapping: the format reads columns named by a #SegImportMapping
 * @sniff: scores how likely a file is in this format, 0 (no) to 100 (certain), from its
 *   name and its first bytes (never more than %SEG_IMPORTER_SNIFF_SIZE, maybe cut mid-line)
 * @read: reads a whole stream of decompressed text into @sink; blocking, called from a
 *   worker thread. Bad rows go to seg_import_sink_reject(); an error stops the import.
 *
 * One reader per file format. Readers are configured with properties (timezone, event
 * name, mapping) before read() and keep no state between reads.
 */
struct _SegImporterClass
{
  GObjectClass parent_class;

  const char *id;
  const char *name;
  gboolean    needs_mapping;

  int      (*sniff) (SegImporter   *self,
                     const char    *file_name,
                     const char    *head,
                     gsize          head_len);
  gboolean (*read)  (SegImporter   *self,
                     GInputStream  *stream,
                     SegImportSink *sink,
                     GCancellable  *cancellable,
                     GError       **error);

  gpointer padding[8];
};

const char       *seg_importer_get_id         (SegImporter       *self);
const char       *seg_importer_get_name       (SegImporter       *self);
gboolean          seg_importer_needs_mapping  (SegImporter       *self);
int               seg_importer_sniff          (SegImporter       *self,
                                               const char        *file_name,
                                               const char        *head,
                                               gsize              head_len);
gboolean          seg_importer_read           (SegImporter       *self,
                                               GInputStream      *stream,
                                               SegImportSink     *sink,
                                               GCancellable      *cancellable,
                                               GError           **error);

GTimeZone        *seg_importer_get_timezone   (SegImporter       *self);
void              seg_importer_set_timezone   (SegImporter       *self,
                                               GTimeZone         *tz);
const char       *seg_importer_get_event_name (SegImporter       *self);
void              seg_importer_set_event_name (SegImporter       *self,
                                               const char        *event_name);
SegImportMapping *seg_importer_get_mapping    (SegImporter       *self);
void              seg_importer_set_mapping    (SegImporter       *self,
                                               SegImportMapping  *mapping);
const char       *seg_importer_get_file_name  (SegImporter       *self);
void              seg_importer_set_file_name  (SegImporter       *self,
                                               const char        *file_name);

/* Helpers for readers. */
gboolean          seg_importer_head_has_line_prefix (const char  *head,
                                                     gsize        head_len,
                                                     const char  *prefix);
const char       *seg_importer_head_first_line      (const char  *head,
                                                     gsize        head_len,
                                                     gsize       *line_len);

G_END_DECLS
