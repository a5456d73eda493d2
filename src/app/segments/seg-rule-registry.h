/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-rule-editor.h"

G_BEGIN_DECLS

typedef struct
{
  const char     *id;          /* "event", "user", ... */
  const char     *label;       /* menu label, translatable, with a mnemonic */
  SegRuleEditor *(*create) (SegSchemaCache *cache);
} SegRuleKindInfo;

const SegRuleKindInfo *seg_rule_registry_list     (guint          *n_kinds);
SegRuleEditor         *seg_rule_registry_create   (const char     *id,
                                                   SegSchemaCache *cache);
SegRuleEditor         *seg_rule_registry_for_rule (const SegRule  *rule,
                                                   SegSchemaCache *cache);

G_END_DECLS
