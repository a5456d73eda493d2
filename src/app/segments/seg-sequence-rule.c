/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-sequence-rule"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-event-rule.h"
#include "seg-filter-list.h"
#include "seg-name-picker.h"
#include "seg-sequence-rule.h"
#include "seg-segments-util.h"
#include "seg-window-editor.h"
#include "seg-wrap-layout.h"

/*
 * A sequence: did A and then B within T, or — negated — did A and not B within T after
 * it (the past-behavior twin of the live "inaction within time" segment).
 */

struct _SegSequenceRule
{
  SegRuleEditor  parent_instance;
  GtkWidget     *first;
  GtkWidget     *first_where;
  GtkWidget     *negate;
  GtkWidget     *then;
  GtkWidget     *then_where;
  GtkWidget     *within;
  GtkWidget     *unit;
  GtkWidget     *window;
};

G_DEFINE_FINAL_TYPE (SegSequenceRule, seg_sequence_rule, SEG_TYPE_RULE_EDITOR)

static const SegChoice negations[] = {
  { "then", N_("and then did") },
  { "without", N_("and did not do") },
};

static gboolean
is_negated (SegSequenceRule *self)
{
  return g_strcmp0 (seg_choice_drop_down_get_id (self->negate), "without") == 0;
}

static JsonNode *
step (GtkWidget  *picker,
      GtkWidget  *where,
      char      **error)
{
  const char *event = seg_name_picker_get_name (SEG_NAME_PICKER (picker));
  JsonObject *obj;
  JsonNode *filters;

  if (event == NULL)
    {
      *error = g_strdup (_("Choose both events of the sequence"));
      return NULL;
    }
  filters = seg_filter_list_build (SEG_FILTER_LIST (where), error);
  if (*error != NULL)
    return NULL;
  obj = json_object_new ();
  json_object_set_string_member (obj, "event", event);
  if (filters != NULL)
    json_object_set_member (obj, "where", filters);
  return json_node_init_object (json_node_alloc (), obj);
}

static JsonNode *
seg_sequence_rule_build (SegRuleEditor *editor,
                         const char    *path,
                         GHashTable    *paths)
{
  SegSequenceRule *self = SEG_SEQUENCE_RULE (editor);
  g_autofree char *error = NULL;
  JsonNode *first, *then = NULL, *when = NULL;
  JsonObject *seq, *within, *obj;

  first = step (self->first, self->first_where, &error);
  if (first != NULL)
    then = step (self->then, self->then_where, &error);
  if (then != NULL)
    when = seg_window_editor_build (SEG_WINDOW_EDITOR (self->window), &error);
  if (error != NULL)
    {
      g_clear_pointer (&first, json_node_unref);
      g_clear_pointer (&then, json_node_unref);
      seg_rule_editor_set_error (editor, error);
      return NULL;
    }
  within = json_object_new ();
  json_object_set_int_member (within, "n", (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->within)));
  json_object_set_string_member (within, "unit", seg_choice_drop_down_get_id (self->unit));
  seq = json_object_new ();
  json_object_set_member (seq, "first", first);
  json_object_set_member (seq, "then", then);
  json_object_set_object_member (seq, "within", within);
  json_object_set_boolean_member (seq, "negate", is_negated (self));
  obj = json_object_new ();
  json_object_set_object_member (obj, "sequence", seq);
  if (when != NULL)
    json_object_set_member (obj, "when", when);
  return json_node_init_object (json_node_alloc (), obj);
}

void
seg_sequence_rule_set (SegSequenceRule *self,
                       const char      *first,
                       const char      *then,
                       gint64           within_n,
                       const char      *within_unit,
                       gboolean         negate)
{
  seg_name_picker_set_name (SEG_NAME_PICKER (self->first), first);
  seg_name_picker_set_name (SEG_NAME_PICKER (self->then), then);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->within), (double) within_n);
  seg_choice_drop_down_set_id (self->unit, within_unit);
  seg_choice_drop_down_set_id (self->negate, negate ? "without" : "then");
}

GtkWidget *
seg_sequence_rule_get_window (SegSequenceRule *self)
{
  return self->window;
}

static void
seg_sequence_rule_load (SegRuleEditor *editor,
                        const SegRule *rule)
{
  SegSequenceRule *self = SEG_SEQUENCE_RULE (editor);

  seg_sequence_rule_set (self, rule->first.event, rule->then.event, rule->within_n,
                         seg_time_unit_to_string (rule->within_unit), rule->negate);
  seg_filter_list_load (SEG_FILTER_LIST (self->first_where), rule->first.where);
  seg_filter_list_load (SEG_FILTER_LIST (self->then_where), rule->then.where);
  seg_window_editor_load (SEG_WINDOW_EDITOR (self->window), &rule->when);
}

static gboolean
seg_sequence_rule_is_negation (SegRuleEditor *editor)
{
  return is_negated (SEG_SEQUENCE_RULE (editor));
}

static void
events_changed_cb (SegSequenceRule *self)
{
  seg_filter_list_set_event (SEG_FILTER_LIST (self->first_where),
                             seg_name_picker_get_name (SEG_NAME_PICKER (self->first)));
  seg_filter_list_set_event (SEG_FILTER_LIST (self->then_where),
                             seg_name_picker_get_name (SEG_NAME_PICKER (self->then)));
  seg_rule_editor_changed (SEG_RULE_EDITOR (self));
}

static void
seg_sequence_rule_constructed (GObject *object)
{
  SegSequenceRule *self = SEG_SEQUENCE_RULE (object);
  SegRuleEditor *editor = SEG_RULE_EDITOR (object);
  SegSchemaCache *cache;
  GtkWidget *row1 = seg_wrap_box_new (6), *row2 = seg_wrap_box_new (6), *row3 = seg_wrap_box_new (6);
  guint n_units;
  const SegChoice *units = seg_time_unit_choices (&n_units);

  G_OBJECT_CLASS (seg_sequence_rule_parent_class)->constructed (object);
  cache = seg_rule_editor_get_cache (editor);
  seg_rule_editor_set_title (editor, _("Sequence"));

  self->first = seg_name_picker_new (_("Choose first event…"), FALSE);
  seg_name_picker_set_model (SEG_NAME_PICKER (self->first), seg_schema_cache_get_events (cache),
                             seg_event_info_detail);
  gtk_box_append (GTK_BOX (row1), gtk_label_new (_("Did")));
  gtk_box_append (GTK_BOX (row1), self->first);
  seg_rule_editor_append (editor, row1);
  self->first_where = seg_filter_list_new (cache, _("Add _filter to first event"));
  seg_rule_editor_append (editor, self->first_where);

  self->negate = seg_choice_drop_down_new (negations, G_N_ELEMENTS (negations));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->negate), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Then or not"), -1);
  self->then = seg_name_picker_new (_("Choose next event…"), FALSE);
  seg_name_picker_set_model (SEG_NAME_PICKER (self->then), seg_schema_cache_get_events (cache),
                             seg_event_info_detail);
  self->within = seg_number_spin_new (1, 100000, 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->within), 10);
  self->unit = seg_choice_drop_down_new (units, n_units);
  seg_choice_drop_down_set_id (self->unit, "minutes");
  gtk_box_append (GTK_BOX (row2), self->negate);
  gtk_box_append (GTK_BOX (row2), self->then);
  gtk_box_append (GTK_BOX (row2), gtk_label_new (_("within")));
  gtk_box_append (GTK_BOX (row2), self->within);
  gtk_box_append (GTK_BOX (row2), self->unit);
  seg_rule_editor_append (editor, row2);
  self->then_where = seg_filter_list_new (cache, _("Add filter to _next event"));
  seg_rule_editor_append (editor, self->then_where);

  self->window = seg_window_editor_new ("last-30");
  gtk_box_append (GTK_BOX (row3), gtk_label_new (_("First event")));
  gtk_box_append (GTK_BOX (row3), self->window);
  seg_rule_editor_append (editor, row3);

  g_signal_connect_swapped (self->first, "changed", G_CALLBACK (events_changed_cb), self);
  g_signal_connect_swapped (self->then, "changed", G_CALLBACK (events_changed_cb), self);
  seg_rule_editor_watch (editor, self->first_where);
  seg_rule_editor_watch (editor, self->then_where);
  seg_rule_editor_watch (editor, self->negate);
  seg_rule_editor_watch (editor, self->within);
  seg_rule_editor_watch (editor, self->unit);
  seg_rule_editor_watch (editor, self->window);
}

static void
seg_sequence_rule_class_init (SegSequenceRuleClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = seg_sequence_rule_constructed;
  SEG_RULE_EDITOR_CLASS (klass)->build = seg_sequence_rule_build;
  SEG_RULE_EDITOR_CLASS (klass)->load = seg_sequence_rule_load;
  SEG_RULE_EDITOR_CLASS (klass)->is_negation = seg_sequence_rule_is_negation;
}

static void
seg_sequence_rule_init (SegSequenceRule *self)
{
}

SegRuleEditor *
seg_sequence_rule_new (SegSchemaCache *cache)
{
  return g_object_new (SEG_TYPE_SEQUENCE_RULE, "cache", cache, NULL);
}
