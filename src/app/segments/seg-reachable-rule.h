/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-rule-editor.h"

G_BEGIN_DECLS

#define SEG_TYPE_REACHABLE_RULE (seg_reachable_rule_get_type ())
G_DECLARE_FINAL_TYPE (SegReachableRule, seg_reachable_rule, SEG, REACHABLE_RULE, SegRuleEditor)

SegRuleEditor *seg_reachable_rule_new (SegSchemaCache *cache);
void           seg_reachable_rule_set_channel (SegReachableRule *self,
                                               const char       *channel);

G_END_DECLS
