/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "seg-definition.h"
#include "seg-filter-row.h"
#include "seg-schema-cache.h"

G_BEGIN_DECLS

#define SEG_TYPE_FILTER_LIST (seg_filter_list_get_type ())
G_DECLARE_FINAL_TYPE (SegFilterList, seg_filter_list, SEG, FILTER_LIST, GtkWidget)

GtkWidget    *seg_filter_list_new       (SegSchemaCache  *cache,
                                         const char      *add_label);
void          seg_filter_list_set_event (SegFilterList   *self,
                                         const char      *event);
SegFilterRow *seg_filter_list_add       (SegFilterList   *self);
guint         seg_filter_list_get_n     (SegFilterList   *self);
JsonNode     *seg_filter_list_build     (SegFilterList   *self,
                                         char           **error);
void          seg_filter_list_load      (SegFilterList   *self,
                                         GPtrArray       *filters);

G_END_DECLS
