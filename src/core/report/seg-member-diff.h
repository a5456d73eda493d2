/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_MEMBER_DIFF (seg_member_diff_get_type ())
G_DECLARE_FINAL_TYPE (SegMemberDiff, seg_member_diff, SEG, MEMBER_DIFF, GObject)

void                seg_member_diff_compute_async  (SegStore            *store,
                                                    SegDefinition       *definition,
                                                    gint64               day_ms,
                                                    gint64               now_ms,
                                                    guint                max_ids,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
SegMemberDiff      *seg_member_diff_compute_finish (GAsyncResult        *result,
                                                    GError             **error);

gint64              seg_member_diff_get_day        (SegMemberDiff       *self);
guint64             seg_member_diff_get_n_before   (SegMemberDiff       *self);
guint64             seg_member_diff_get_n_after    (SegMemberDiff       *self);
guint64             seg_member_diff_get_n_joined   (SegMemberDiff       *self);
guint64             seg_member_diff_get_n_left     (SegMemberDiff       *self);
const char * const *seg_member_diff_get_joined     (SegMemberDiff       *self);
const char * const *seg_member_diff_get_left       (SegMemberDiff       *self);

G_END_DECLS
