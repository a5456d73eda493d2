/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-group-rule"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-group-rule.h"
#include "seg-rule-registry.h"
#include "seg-segments-util.h"

/*
 * A group of rules joined by AND ("all") or OR ("any"); groups nest. Between the rules a
 * small "and"/"or" label shows how they combine, the way the summary reads.
 */

struct _SegGroupRule
{
  SegRuleEditor  parent_instance;
  GtkWidget     *any;
  GtkWidget     *rules;
  GtkWidget     *add;
};

G_DEFINE_FINAL_TYPE (SegGroupRule, seg_group_rule, SEG_TYPE_RULE_EDITOR)

static const SegChoice joins[] = {
  { "all", N_("all of these rules (AND)") },
  { "any", N_("any of these rules (OR)") },
};

gboolean
seg_group_rule_get_any (SegGroupRule *self)
{
  return g_strcmp0 (seg_choice_drop_down_get_id (self->any), "any") == 0;
}

void
seg_group_rule_set_any (SegGroupRule *self,
                        gboolean      any)
{
  seg_choice_drop_down_set_id (self->any, any ? "any" : "all");
}

/* Rules sit in the box with a connector label before every rule but the first. */
static void
update_connectors (SegGroupRule *self)
{
  gboolean first = TRUE;
  const char *text = seg_group_rule_get_any (self) ? _("or") : _("and");

  for (GtkWidget *c = gtk_widget_get_first_child (self->rules); c; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c))
        {
          gtk_label_set_text (GTK_LABEL (c), text);
          gtk_widget_set_visible (c, !first);
        }
      else
        first = FALSE;
    }
}

guint
seg_group_rule_get_n_rules (SegGroupRule *self)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (self->rules); c; c = gtk_widget_get_next_sibling (c))
    if (SEG_IS_RULE_EDITOR (c))
      n++;
  return n;
}

/**
 * seg_group_rule_get_rule:
 * Returns: (transfer none) (nullable): the rule at @index
 */
SegRuleEditor *
seg_group_rule_get_rule (SegGroupRule *self,
                         guint         index)
{
  for (GtkWidget *c = gtk_widget_get_first_child (self->rules); c; c = gtk_widget_get_next_sibling (c))
    if (SEG_IS_RULE_EDITOR (c) && index-- == 0)
      return SEG_RULE_EDITOR (c);
  return NULL;
}

static void
rule_remove_cb (SegRuleEditor *rule,
                SegGroupRule  *self)
{
  GtkWidget *connector = gtk_widget_get_prev_sibling (GTK_WIDGET (rule));

  gtk_box_remove (GTK_BOX (self->rules), GTK_WIDGET (rule));
  if (connector != NULL && GTK_IS_LABEL (connector))
    gtk_box_remove (GTK_BOX (self->rules), connector);
  update_connectors (self);
  gtk_widget_grab_focus (self->add);
  seg_rule_editor_changed (SEG_RULE_EDITOR (self));
}

void
seg_group_rule_append (SegGroupRule  *self,
                       SegRuleEditor *rule)
{
  GtkWidget *connector = gtk_label_new (NULL);

  gtk_widget_add_css_class (connector, "seg-connector");
  gtk_widget_add_css_class (connector, "caption-heading");
  gtk_widget_add_css_class (connector, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (connector), 0);
  gtk_box_append (GTK_BOX (self->rules), connector);
  gtk_box_append (GTK_BOX (self->rules), GTK_WIDGET (rule));
  g_signal_connect_swapped (rule, "changed", G_CALLBACK (seg_rule_editor_changed), self);
  g_signal_connect (rule, "remove", G_CALLBACK (rule_remove_cb), self);
  update_connectors (self);
}

/**
 * seg_group_rule_add_rule:
 * @kind: a rule kind of the registry ("event", "user", "group", ...)
 *
 * Returns: (transfer none): the new, empty rule
 */
SegRuleEditor *
seg_group_rule_add_rule (SegGroupRule *self,
                         const char   *kind)
{
  SegRuleEditor *rule = seg_rule_registry_create (kind, seg_rule_editor_get_cache (SEG_RULE_EDITOR (self)));

  g_return_val_if_fail (rule != NULL, NULL);
  seg_group_rule_append (self, rule);
  seg_rule_editor_changed (SEG_RULE_EDITOR (self));
  return rule;
}

void
seg_group_rule_clear (SegGroupRule *self)
{
  GtkWidget *c;

  while ((c = gtk_widget_get_first_child (self->rules)) != NULL)
    gtk_box_remove (GTK_BOX (self->rules), c);
}

GtkWidget *
seg_group_rule_get_add_button (SegGroupRule *self)
{
  return self->add;
}

static void
add_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SegGroupRule *self = SEG_GROUP_RULE (widget);
  SegRuleEditor *rule = seg_group_rule_add_rule (self, g_variant_get_string (parameter, NULL));

  if (rule != NULL)
    gtk_widget_child_focus (GTK_WIDGET (rule), GTK_DIR_TAB_FORWARD);
}

static JsonNode *
seg_group_rule_build (SegRuleEditor *editor,
                      const char    *path,
                      GHashTable    *paths)
{
  SegGroupRule *self = SEG_GROUP_RULE (editor);
  const char *join = seg_group_rule_get_any (self) ? "any" : "all";
  JsonArray *children = json_array_new ();
  JsonObject *obj;
  gboolean complete = TRUE;
  guint i = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (self->rules); c; c = gtk_widget_get_next_sibling (c))
    {
      g_autofree char *child_path = NULL;
      JsonNode *node;

      if (!SEG_IS_RULE_EDITOR (c))
        continue;
      child_path = g_strdup_printf ("%s.%s[%u]", path, join, i++);
      /* Build every rule, even after an incomplete one, so that each shows its error. */
      node = seg_rule_editor_build (SEG_RULE_EDITOR (c), child_path, paths);
      if (node == NULL)
        complete = FALSE;
      else
        json_array_add_element (children, node);
    }
  if (i == 0)
    {
      seg_rule_editor_set_error (editor, _("Add at least one rule to this group"));
      complete = FALSE;
    }
  if (!complete)
    {
      json_array_unref (children);
      return NULL;
    }
  obj = json_object_new ();
  json_object_set_array_member (obj, join, children);
  return json_node_init_object (json_node_alloc (), obj);
}

static void
seg_group_rule_load (SegRuleEditor *editor,
                     const SegRule *rule)
{
  SegGroupRule *self = SEG_GROUP_RULE (editor);
  SegSchemaCache *cache = seg_rule_editor_get_cache (editor);

  seg_group_rule_clear (self);
  seg_group_rule_set_any (self, rule->any);
  for (guint i = 0; rule->children != NULL && i < rule->children->len; i++)
    seg_group_rule_append (self, seg_rule_registry_for_rule (g_ptr_array_index (rule->children, i), cache));
}

static void
join_changed_cb (SegGroupRule *self)
{
  update_connectors (self);
  seg_rule_editor_changed (SEG_RULE_EDITOR (self));
}

static void
seg_group_rule_constructed (GObject *object)
{
  SegGroupRule *self = SEG_GROUP_RULE (object);
  SegRuleEditor *editor = SEG_RULE_EDITOR (object);
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *join_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("Users who _match"));
  guint n;
  const SegRuleKindInfo *kinds = seg_rule_registry_list (&n);

  G_OBJECT_CLASS (seg_group_rule_parent_class)->constructed (object);
  seg_rule_editor_set_title (editor, NULL);

  self->any = seg_choice_drop_down_new (joins, G_N_ELEMENTS (joins));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->any);
  /* Narrow windows (360 px): the words wrap rather than push the card wider. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* ... but only then: its natural width is the words on one line. */
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (join_box), label);
  gtk_box_append (GTK_BOX (join_box), self->any);
  gtk_widget_set_hexpand (join_box, TRUE);
  seg_rule_editor_add_header (editor, join_box);
  g_signal_connect_swapped (self->any, "notify::selected", G_CALLBACK (join_changed_cb), self);

  self->rules = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  seg_rule_editor_append (editor, self->rules);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *action = g_strdup_printf ("rule-group.add::%s", kinds[i].id);
      g_menu_append (menu, _(kinds[i].label), action);
    }
  self->add = gtk_menu_button_new ();
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (self->add), TRUE);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->add), _("_Add Rule"));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->add), G_MENU_MODEL (menu));
  gtk_widget_set_halign (self->add, GTK_ALIGN_START);
  seg_rule_editor_append (editor, self->add);
}

static void
seg_group_rule_class_init (SegGroupRuleClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = seg_group_rule_constructed;
  SEG_RULE_EDITOR_CLASS (klass)->build = seg_group_rule_build;
  SEG_RULE_EDITOR_CLASS (klass)->load = seg_group_rule_load;
  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), "rule-group.add", "s", add_action_cb);
}

static void
seg_group_rule_init (SegGroupRule *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "seg-rule-group");
}

SegRuleEditor *
seg_group_rule_new (SegSchemaCache *cache)
{
  return g_object_new (SEG_TYPE_GROUP_RULE, "cache", cache, NULL);
}
