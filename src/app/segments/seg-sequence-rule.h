/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-rule-editor.h"

G_BEGIN_DECLS

#define SEG_TYPE_SEQUENCE_RULE (seg_sequence_rule_get_type ())
G_DECLARE_FINAL_TYPE (SegSequenceRule, seg_sequence_rule, SEG, SEQUENCE_RULE, SegRuleEditor)

SegRuleEditor *seg_sequence_rule_new (SegSchemaCache *cache);
void           seg_sequence_rule_set (SegSequenceRule *self,
                                      const char      *first,
                                      const char      *then,
                                      gint64           within_n,
                                      const char      *within_unit,
                                      gboolean         negate);
GtkWidget     *seg_sequence_rule_get_window (SegSequenceRule *self);

G_END_DECLS
