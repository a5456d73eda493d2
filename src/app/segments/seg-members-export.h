/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_MEMBERS_EXPORT (seg_members_export_get_type ())
G_DECLARE_FINAL_TYPE (SegMembersExport, seg_members_export, SEG, MEMBERS_EXPORT, GObject)

/* Header lines of the two CSV flavours. */
#define SEG_MEMBERS_EXPORT_HEADER_IDS       "user_id"
#define SEG_MEMBERS_EXPORT_HEADER_CLEVERTAP "Identity"

SegMembersExport *seg_members_export_new         (SegStore             *store,
                                                  const char           *segment_id,
                                                  GFile                *file,
                                                  const char           *header);
void              seg_members_export_run_async   (SegMembersExport     *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
guint64           seg_members_export_run_finish  (SegMembersExport     *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
guint64           seg_members_export_get_written (SegMembersExport     *self);
guint64           seg_members_export_get_total   (SegMembersExport     *self);
void              seg_members_export_set_page_size (SegMembersExport   *self,
                                                  guint                 page_size);

G_END_DECLS
