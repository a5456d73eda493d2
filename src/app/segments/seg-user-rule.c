/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-user-rule"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-filter-row.h"
#include "seg-user-rule.h"

/* A user-property rule: {"user": FILTER}, e.g. city is New York. */

struct _SegUserRule
{
  SegRuleEditor  parent_instance;
  GtkWidget     *filter;
};

G_DEFINE_FINAL_TYPE (SegUserRule, seg_user_rule, SEG_TYPE_RULE_EDITOR)

static JsonNode *
seg_user_rule_build (SegRuleEditor *editor,
                     const char    *path,
                     GHashTable    *paths)
{
  SegUserRule *self = SEG_USER_RULE (editor);
  g_autofree char *error = NULL;
  JsonNode *filter = seg_filter_row_build (SEG_FILTER_ROW (self->filter), &error);
  JsonObject *obj;

  if (filter == NULL)
    {
      seg_rule_editor_set_error (editor, error);
      return NULL;
    }
  obj = json_object_new ();
  json_object_set_member (obj, "user", filter);
  return json_node_init_object (json_node_alloc (), obj);
}

static void
seg_user_rule_load (SegRuleEditor *editor,
                    const SegRule *rule)
{
  seg_filter_row_load (SEG_FILTER_ROW (SEG_USER_RULE (editor)->filter), rule->user);
}

static void
seg_user_rule_constructed (GObject *object)
{
  SegUserRule *self = SEG_USER_RULE (object);
  SegRuleEditor *editor = SEG_RULE_EDITOR (object);

  G_OBJECT_CLASS (seg_user_rule_parent_class)->constructed (object);
  seg_rule_editor_set_title (editor, _("User property"));
  self->filter = seg_filter_row_new (seg_rule_editor_get_cache (editor), NULL, FALSE);
  g_signal_connect_swapped (self->filter, "changed", G_CALLBACK (seg_rule_editor_changed), self);
  seg_rule_editor_append (editor, self->filter);
}

static void
seg_user_rule_class_init (SegUserRuleClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = seg_user_rule_constructed;
  SEG_RULE_EDITOR_CLASS (klass)->build = seg_user_rule_build;
  SEG_RULE_EDITOR_CLASS (klass)->load = seg_user_rule_load;
}

static void
seg_user_rule_init (SegUserRule *self)
{
}

SegRuleEditor *
seg_user_rule_new (SegSchemaCache *cache)
{
  return g_object_new (SEG_TYPE_USER_RULE, "cache", cache, NULL);
}

GtkWidget *
seg_user_rule_get_filter (SegUserRule *self)
{
  return self->filter;
}
