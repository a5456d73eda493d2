/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "seg-schema-cache.h"

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_TRIGGER_EDITOR (seg_live_trigger_editor_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveTriggerEditor, seg_live_trigger_editor, SEG, LIVE_TRIGGER_EDITOR, GtkWidget)

GtkWidget  *seg_live_trigger_editor_new      (SegSchemaCache        *cache,
                                              const char            *type);
const char *seg_live_trigger_editor_get_type_id (SegLiveTriggerEditor *self);
GtkWidget  *seg_live_trigger_editor_get_filters (SegLiveTriggerEditor *self);
char       *seg_live_trigger_editor_describe (SegLiveTriggerEditor *self);
JsonNode   *seg_live_trigger_editor_build    (SegLiveTriggerEditor  *self,
                                              char                 **error);
void        seg_live_trigger_editor_load     (SegLiveTriggerEditor  *self,
                                              JsonNode              *trigger);
void        seg_live_trigger_editor_set_events (SegLiveTriggerEditor *self,
                                              const char            *event,
                                              const char            *other);
void        seg_live_trigger_editor_set_text (SegLiveTriggerEditor  *self,
                                              const char            *text);
void        seg_live_trigger_editor_set_numbers (SegLiveTriggerEditor *self,
                                              double                 n,
                                              double                 within);

G_END_DECLS
