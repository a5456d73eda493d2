/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-rule-editor.h"

G_BEGIN_DECLS

#define SEG_TYPE_USER_RULE (seg_user_rule_get_type ())
G_DECLARE_FINAL_TYPE (SegUserRule, seg_user_rule, SEG, USER_RULE, SegRuleEditor)

SegRuleEditor *seg_user_rule_new (SegSchemaCache *cache);
GtkWidget     *seg_user_rule_get_filter (SegUserRule *self);

G_END_DECLS
