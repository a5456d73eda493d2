/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-aggregate-editor.h"
#include "seg-filter-list.h"
#include "seg-rule-editor.h"
#include "seg-window-editor.h"

G_BEGIN_DECLS

#define SEG_TYPE_EVENT_RULE (seg_event_rule_get_type ())
G_DECLARE_FINAL_TYPE (SegEventRule, seg_event_rule, SEG, EVENT_RULE, SegRuleEditor)

SegRuleEditor      *seg_event_rule_new           (SegSchemaCache *cache);
void                seg_event_rule_set_mode      (SegEventRule   *self,
                                                  const char     *mode);
void                seg_event_rule_set_event     (SegEventRule   *self,
                                                  const char     *event);
void                seg_event_rule_set_occurrence (SegEventRule  *self,
                                                  const char     *occurrence);
GtkWidget          *seg_event_rule_get_event_picker (SegEventRule *self);
SegFilterList      *seg_event_rule_get_filters   (SegEventRule   *self);
SegWindowEditor    *seg_event_rule_get_window    (SegEventRule   *self);
SegAggregateEditor *seg_event_rule_get_aggregate (SegEventRule   *self);

/* Shared with the other rules that pick events. */
char               *seg_event_info_detail        (GObject        *item);

G_END_DECLS
