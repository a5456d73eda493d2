/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "seg-schema-cache.h"

G_BEGIN_DECLS

#define SEG_TYPE_SEGMENT_CHOOSER (seg_segment_chooser_get_type ())
G_DECLARE_FINAL_TYPE (SegSegmentChooser, seg_segment_chooser, SEG, SEGMENT_CHOOSER, GtkWidget)

GtkWidget *seg_segment_chooser_new       (SegSchemaCache      *cache,
                                          const char          *placeholder);
void       seg_segment_chooser_set_self_id (SegSegmentChooser *self,
                                          const char          *id);
void       seg_segment_chooser_add       (SegSegmentChooser   *self,
                                          const char          *id);
void       seg_segment_chooser_set_ids   (SegSegmentChooser   *self,
                                          const char * const  *ids);
GStrv      seg_segment_chooser_dup_ids   (SegSegmentChooser   *self);
GtkWidget *seg_segment_chooser_get_picker (SegSegmentChooser  *self);

G_END_DECLS
