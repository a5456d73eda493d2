/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-definition.h"
#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_SCHEMA_CACHE (seg_schema_cache_get_type ())
G_DECLARE_FINAL_TYPE (SegSchemaCache, seg_schema_cache, SEG, SCHEMA_CACHE, GObject)

SegSchemaCache *seg_schema_cache_new              (SegStore        *store);
SegStore       *seg_schema_cache_get_store        (SegSchemaCache  *self);
GListModel     *seg_schema_cache_get_events       (SegSchemaCache  *self);
GListModel     *seg_schema_cache_get_properties   (SegSchemaCache  *self,
                                                   const char      *event);
GListModel     *seg_schema_cache_get_segments     (SegSchemaCache  *self);
void            seg_schema_cache_ensure_event     (SegSchemaCache  *self,
                                                   const char      *event);
void            seg_schema_cache_ensure_property  (SegSchemaCache  *self,
                                                   const char      *event,
                                                   const char      *property,
                                                   SegValueType     type);
SegValueType    seg_schema_cache_property_type    (SegSchemaCache  *self,
                                                   const char      *event,
                                                   const char      *property);
char           *seg_schema_cache_segment_name     (SegSchemaCache  *self,
                                                   const char      *id);
gboolean        seg_schema_cache_resolve          (SegSchemaCache  *self,
                                                   const char      *id,
                                                   SegSegmentKind  *kind,
                                                   SegDefinition  **definition);
gboolean        seg_schema_cache_is_loading       (SegSchemaCache  *self);

/* Adapters for seg_definition_validate and seg_definition_summarize; @user_data is the cache. */
gboolean        seg_schema_cache_resolve_cb       (const char      *id,
                                                   SegSegmentKind  *kind,
                                                   SegDefinition  **definition,
                                                   gpointer         user_data);
SegValueType    seg_schema_cache_property_type_cb (const char      *event,
                                                   const char      *property,
                                                   gpointer         user_data);
char           *seg_schema_cache_segment_name_cb  (const char      *id,
                                                   gpointer         user_data);

G_END_DECLS
