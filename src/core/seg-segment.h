/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "seg-definition.h"

G_BEGIN_DECLS

#define SEG_TYPE_SEGMENT (seg_segment_get_type ())
G_DECLARE_FINAL_TYPE (SegSegment, seg_segment, SEG, SEGMENT, GObject)

/* Well-known ids of the system segments every store holds. */
#define SEG_SEGMENT_ID_ALL_USERS  "all-users"
#define SEG_SEGMENT_ID_TEST_USERS "test-users"

SegSegment     *seg_segment_new                (const char     *id,
                                                const char     *name,
                                                SegDefinition  *definition);
SegSegment     *seg_segment_copy               (SegSegment     *self);
const char     *seg_segment_get_id             (SegSegment     *self);
void            seg_segment_set_id             (SegSegment     *self,
                                                const char     *id);
const char     *seg_segment_get_name           (SegSegment     *self);
void            seg_segment_set_name           (SegSegment     *self,
                                                const char     *name);
const char     *seg_segment_get_description    (SegSegment     *self);
void            seg_segment_set_description    (SegSegment     *self,
                                                const char     *description);
SegSegmentKind  seg_segment_get_kind           (SegSegment     *self);
void            seg_segment_set_kind           (SegSegment     *self,
                                                SegSegmentKind  kind);
SegDefinition  *seg_segment_get_definition     (SegSegment     *self);
SegDefinition  *seg_segment_dup_size_definition (SegSegment    *self);
void            seg_segment_set_definition     (SegSegment     *self,
                                                SegDefinition  *definition);
gint64          seg_segment_get_created        (SegSegment     *self);
gint64          seg_segment_get_updated        (SegSegment     *self);
gint64          seg_segment_get_last_count     (SegSegment     *self);
gint64          seg_segment_get_last_evaluated (SegSegment     *self);
void            seg_segment_set_times          (SegSegment     *self,
                                                gint64          created,
                                                gint64          updated);
void            seg_segment_set_last_count     (SegSegment     *self,
                                                gint64          count,
                                                gint64          evaluated);
const char * const *seg_segment_get_includes   (SegSegment     *self);
const char * const *seg_segment_get_excludes   (SegSegment     *self);
void            seg_segment_update_from        (SegSegment     *self,
                                                SegSegment     *other);

G_END_DECLS
