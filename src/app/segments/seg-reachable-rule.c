/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-reachable-rule"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-reachable-rule.h"
#include "seg-segments-util.h"

/* A reachability rule: users who can be reached on a channel. */

struct _SegReachableRule
{
  SegRuleEditor  parent_instance;
  GtkWidget     *channel;
};

G_DEFINE_FINAL_TYPE (SegReachableRule, seg_reachable_rule, SEG_TYPE_RULE_EDITOR)

static const SegChoice channels[] = {
  { "email", N_("Email") },
  { "push", N_("Push notifications") },
  { "sms", N_("SMS") },
  { "whatsapp", N_("WhatsApp") },
  { "in-app", N_("In-app messages") },
};

static JsonNode *
seg_reachable_rule_build (SegRuleEditor *editor,
                          const char    *path,
                          GHashTable    *paths)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "reachable",
                                 seg_choice_drop_down_get_id (SEG_REACHABLE_RULE (editor)->channel));
  return json_node_init_object (json_node_alloc (), obj);
}

void
seg_reachable_rule_set_channel (SegReachableRule *self,
                                const char       *channel)
{
  seg_choice_drop_down_set_id (self->channel, channel);
}

static void
seg_reachable_rule_load (SegRuleEditor *editor,
                         const SegRule *rule)
{
  seg_reachable_rule_set_channel (SEG_REACHABLE_RULE (editor), seg_channel_to_string (rule->channel));
}

static void
seg_reachable_rule_constructed (GObject *object)
{
  SegReachableRule *self = SEG_REACHABLE_RULE (object);
  SegRuleEditor *editor = SEG_RULE_EDITOR (object);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("Can be reached _by"));

  G_OBJECT_CLASS (seg_reachable_rule_parent_class)->constructed (object);
  seg_rule_editor_set_title (editor, _("Reachability"));
  self->channel = seg_choice_drop_down_new (channels, G_N_ELEMENTS (channels));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->channel);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), self->channel);
  seg_rule_editor_append (editor, box);
  seg_rule_editor_watch (editor, self->channel);
}

static void
seg_reachable_rule_class_init (SegReachableRuleClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = seg_reachable_rule_constructed;
  SEG_RULE_EDITOR_CLASS (klass)->build = seg_reachable_rule_build;
  SEG_RULE_EDITOR_CLASS (klass)->load = seg_reachable_rule_load;
}

static void
seg_reachable_rule_init (SegReachableRule *self)
{
}

SegRuleEditor *
seg_reachable_rule_new (SegSchemaCache *cache)
{
  return g_object_new (SEG_TYPE_REACHABLE_RULE, "cache", cache, NULL);
}
