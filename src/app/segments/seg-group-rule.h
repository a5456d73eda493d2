/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-rule-editor.h"

G_BEGIN_DECLS

#define SEG_TYPE_GROUP_RULE (seg_group_rule_get_type ())
G_DECLARE_FINAL_TYPE (SegGroupRule, seg_group_rule, SEG, GROUP_RULE, SegRuleEditor)

SegRuleEditor *seg_group_rule_new           (SegSchemaCache *cache);
void           seg_group_rule_set_any       (SegGroupRule   *self,
                                             gboolean        any);
gboolean       seg_group_rule_get_any       (SegGroupRule   *self);
SegRuleEditor *seg_group_rule_add_rule      (SegGroupRule   *self,
                                             const char     *kind);
void           seg_group_rule_append        (SegGroupRule   *self,
                                             SegRuleEditor  *rule);
void           seg_group_rule_clear         (SegGroupRule   *self);
guint          seg_group_rule_get_n_rules   (SegGroupRule   *self);
SegRuleEditor *seg_group_rule_get_rule      (SegGroupRule   *self,
                                             guint           index);
GtkWidget     *seg_group_rule_get_add_button (SegGroupRule  *self);

G_END_DECLS
