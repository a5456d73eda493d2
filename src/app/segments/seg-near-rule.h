/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-rule-editor.h"

G_BEGIN_DECLS

#define SEG_TYPE_NEAR_RULE (seg_near_rule_get_type ())
G_DECLARE_FINAL_TYPE (SegNearRule, seg_near_rule, SEG, NEAR_RULE, SegRuleEditor)

SegRuleEditor *seg_near_rule_new (SegSchemaCache *cache);
void           seg_near_rule_set (SegNearRule *self,
                                  double       lat,
                                  double       lon,
                                  double       km);

G_END_DECLS
