/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "seg-definition.h"
#include "seg-schema-cache.h"

G_BEGIN_DECLS

#define SEG_TYPE_FILTER_ROW (seg_filter_row_get_type ())
G_DECLARE_FINAL_TYPE (SegFilterRow, seg_filter_row, SEG, FILTER_ROW, GtkWidget)

GtkWidget    *seg_filter_row_new          (SegSchemaCache   *cache,
                                           const char       *event,
                                           gboolean          removable);
void          seg_filter_row_set_event    (SegFilterRow     *self,
                                           const char       *event);
JsonNode     *seg_filter_row_build        (SegFilterRow     *self,
                                           char            **error);
void          seg_filter_row_load         (SegFilterRow     *self,
                                           const SegFilter  *filter);
void          seg_filter_row_set_property_name (SegFilterRow *self,
                                           const char       *property);
gboolean      seg_filter_row_set_op       (SegFilterRow     *self,
                                           const char       *op);
void          seg_filter_row_set_text     (SegFilterRow     *self,
                                           const char       *text);
void          seg_filter_row_set_numbers  (SegFilterRow     *self,
                                           double            a,
                                           double            b);
SegValueType  seg_filter_row_get_value_type (SegFilterRow   *self);

G_END_DECLS
