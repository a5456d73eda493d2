/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-store.h"

G_BEGIN_DECLS

/**
 * SegMemberExportFormat:
 * @SEG_MEMBER_EXPORT_CSV: a header `id,<field>,…`, then one row per member
 * @SEG_MEMBER_EXPORT_CUSTOM_LIST: a CleverTap Custom List upload, `Type,Identity` then
 *   `Identity,<id>` per member
 */
typedef enum
{
  SEG_MEMBER_EXPORT_CSV,
  SEG_MEMBER_EXPORT_CUSTOM_LIST,
} SegMemberExportFormat;

#define SEG_TYPE_MEMBER_EXPORT (seg_member_export_get_type ())
G_DECLARE_FINAL_TYPE (SegMemberExport, seg_member_export, SEG, MEMBER_EXPORT, GObject)

SegMemberExport       *seg_member_export_new           (SegStore               *store,
                                                        SegDefinition          *definition);
void                   seg_member_export_set_format    (SegMemberExport        *self,
                                                        SegMemberExportFormat   format);
SegMemberExportFormat  seg_member_export_get_format    (SegMemberExport        *self);
void                   seg_member_export_set_fields    (SegMemberExport        *self,
                                                        const char * const     *fields);
const char * const    *seg_member_export_get_fields    (SegMemberExport        *self);
void                   seg_member_export_set_now       (SegMemberExport        *self,
                                                        gint64                  now_ms);
void                   seg_member_export_set_page_size (SegMemberExport        *self,
                                                        guint                   page_size);
guint64                seg_member_export_get_written   (SegMemberExport        *self);
guint64                seg_member_export_get_total     (SegMemberExport        *self);
double                 seg_member_export_get_fraction  (SegMemberExport        *self);

void                   seg_member_export_write_async   (SegMemberExport        *self,
                                                        GFile                  *file,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
gboolean               seg_member_export_write_finish  (SegMemberExport        *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);

char                  *seg_csv_escape                  (const char             *field);

G_END_DECLS
