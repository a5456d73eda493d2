/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-rule-registry"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-event-rule.h"
#include "seg-near-rule.h"
#include "seg-reachable-rule.h"
#include "seg-group-rule.h"
#include "seg-rule-registry.h"
#include "seg-sequence-rule.h"
#include "seg-user-rule.h"

/*
 * The kinds of rule the builder offers, in menu order. Adding a rule kind means adding
 * its editor file and a line here (and in seg_rule_registry_for_rule for loading).
 */

static const SegRuleKindInfo kinds[] = {
  { "event", N_("_Event (did, did not, did any of)"), seg_event_rule_new },
  { "user", N_("_User property"), seg_user_rule_new },
  { "near", N_("_Location (near a place)"), seg_near_rule_new },
  { "reachable", N_("_Reachability"), seg_reachable_rule_new },
  { "sequence", N_("_Sequence (A then B, A without B)"), seg_sequence_rule_new },
  { "group", N_("_Group of rules (AND / OR)"), seg_group_rule_new },
};

const SegRuleKindInfo *
seg_rule_registry_list (guint *n_kinds)
{
  *n_kinds = G_N_ELEMENTS (kinds);
  return kinds;
}

/**
 * seg_rule_registry_create:
 * Returns: (transfer floating) (nullable): a new, empty editor of rule kind @id
 */
SegRuleEditor *
seg_rule_registry_create (const char     *id,
                          SegSchemaCache *cache)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].id, id) == 0)
      return kinds[i].create (cache);
  return NULL;
}

/**
 * seg_rule_registry_for_rule:
 * Returns: (transfer floating): an editor filled from @rule
 */
SegRuleEditor *
seg_rule_registry_for_rule (const SegRule  *rule,
                            SegSchemaCache *cache)
{
  const char *id;
  SegRuleEditor *editor;

  switch (rule->kind)
    {
    case SEG_RULE_GROUP: id = "group"; break;
    case SEG_RULE_USER: id = "user"; break;
    case SEG_RULE_NEAR: id = "near"; break;
    case SEG_RULE_REACHABLE: id = "reachable"; break;
    case SEG_RULE_SEQUENCE: id = "sequence"; break;
    case SEG_RULE_DID:
    case SEG_RULE_DID_NOT:
    case SEG_RULE_DID_ANY:
    default: id = "event"; break;
    }
  editor = seg_rule_registry_create (id, cache);
  seg_rule_editor_load (editor, rule);
  return editor;
}
