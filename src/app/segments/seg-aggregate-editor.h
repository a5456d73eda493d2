/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "seg-definition.h"
#include "seg-schema-cache.h"

G_BEGIN_DECLS

#define SEG_TYPE_AGGREGATE_EDITOR (seg_aggregate_editor_get_type ())
G_DECLARE_FINAL_TYPE (SegAggregateEditor, seg_aggregate_editor, SEG, AGGREGATE_EDITOR, GtkWidget)

GtkWidget *seg_aggregate_editor_new         (SegSchemaCache      *cache);
void       seg_aggregate_editor_set_event   (SegAggregateEditor  *self,
                                             const char          *event);
void       seg_aggregate_editor_set         (SegAggregateEditor  *self,
                                             const char          *fn,
                                             const char          *property,
                                             const char          *op,
                                             double               value,
                                             double               value2,
                                             gboolean             include_non_doers);
gboolean   seg_aggregate_editor_get_enabled (SegAggregateEditor  *self);
void       seg_aggregate_editor_set_enabled (SegAggregateEditor  *self,
                                             gboolean             enabled);
JsonNode  *seg_aggregate_editor_build       (SegAggregateEditor  *self,
                                             char               **error);
void       seg_aggregate_editor_load        (SegAggregateEditor  *self,
                                             const SegAggregate  *aggregate);

G_END_DECLS
