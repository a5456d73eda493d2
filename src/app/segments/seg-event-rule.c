/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-event-rule"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-event-info.h"
#include "seg-event-rule.h"
#include "seg-name-picker.h"
#include "seg-segments-util.h"
#include "seg-wrap-layout.h"

/*
 * "Did", "Did not do" and "Did any of" an event: the event (searchable, with counts),
 * its property filters, the time window, first/last time, and the AND-by-behavior
 * aggregate.
 */

struct _SegEventRule
{
  SegRuleEditor  parent_instance;

  GtkWidget     *mode;
  GtkWidget     *event;
  GtkWidget     *events;
  GtkWidget     *filters;
  GtkWidget     *window;
  GtkWidget     *occurrence;
  GtkWidget     *aggregate;
};

G_DEFINE_FINAL_TYPE (SegEventRule, seg_event_rule, SEG_TYPE_RULE_EDITOR)

static const SegChoice modes[] = {
  { "did", N_("Did") },
  { "did_not", N_("Did not do") },
  { "did_any", N_("Did any of") },
};

static const SegChoice occurrences[] = {
  { "any", N_("any time") },
  { "first", N_("for the first time") },
  { "last", N_("for the last time") },
};

char *
seg_event_info_detail (GObject *item)
{
  guint64 count = seg_event_info_get_count (SEG_EVENT_INFO (item));

  if (count == 0)
    return g_strdup (_("no data"));
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, count);
}

static const char *
mode (SegEventRule *self)
{
  return seg_choice_drop_down_get_id (self->mode);
}

static void
update_mode (SegEventRule *self)
{
  gboolean any = g_strcmp0 (mode (self), "did_any") == 0;
  gboolean did = g_strcmp0 (mode (self), "did") == 0;
  const char *event = seg_name_picker_get_name (SEG_NAME_PICKER (self->event));
  g_auto(GStrv) names = NULL;

  gtk_widget_set_visible (self->event, !any);
  gtk_widget_set_visible (self->events, any);
  gtk_widget_set_visible (self->occurrence, did);
  gtk_widget_set_visible (self->aggregate, did);
  /* "First/last time" and an aggregate do not combine: each rules the other out. */
  gtk_widget_set_sensitive (self->occurrence,
                            !seg_aggregate_editor_get_enabled (SEG_AGGREGATE_EDITOR (self->aggregate)));
  gtk_widget_set_sensitive (self->aggregate,
                            g_strcmp0 (seg_choice_drop_down_get_id (self->occurrence), "any") == 0);
  /* "did any of" filters on properties the events share; offer the first one's. */
  if (any)
    {
      names = seg_name_picker_dup_names (SEG_NAME_PICKER (self->events));
      event = names[0];
      seg_filter_list_set_event (SEG_FILTER_LIST (self->filters), event);
    }
  else
    seg_filter_list_set_event (SEG_FILTER_LIST (self->filters), event);
  seg_aggregate_editor_set_event (SEG_AGGREGATE_EDITOR (self->aggregate), event);
}

static void
changed_cb (SegEventRule *self)
{
  update_mode (self);
  seg_rule_editor_changed (SEG_RULE_EDITOR (self));
}

static void
add_member (JsonBuilder *b,
            const char  *name,
            JsonNode    *node)
{
  if (node == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_value (b, node);
}

static JsonNode *
seg_event_rule_build (SegRuleEditor *editor,
                      const char    *path,
                      GHashTable    *paths)
{
  SegEventRule *self = SEG_EVENT_RULE (editor);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *error = NULL;
  const char *m = mode (self);
  JsonNode *where, *when, *agg = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, m);
  if (g_str_equal (m, "did_any"))
    {
      g_auto(GStrv) names = seg_name_picker_dup_names (SEG_NAME_PICKER (self->events));
      if (names[0] == NULL)
        {
          seg_rule_editor_set_error (editor, _("Choose at least one event"));
          return NULL;
        }
      json_builder_begin_array (b);
      for (guint i = 0; names[i] != NULL; i++)
        json_builder_add_string_value (b, names[i]);
      json_builder_end_array (b);
    }
  else
    {
      const char *event = seg_name_picker_get_name (SEG_NAME_PICKER (self->event));
      if (event == NULL)
        {
          seg_rule_editor_set_error (editor, _("Choose an event"));
          return NULL;
        }
      json_builder_add_string_value (b, event);
    }

  where = seg_filter_list_build (SEG_FILTER_LIST (self->filters), &error);
  if (error == NULL)
    when = seg_window_editor_build (SEG_WINDOW_EDITOR (self->window), &error);
  else
    when = NULL;
  if (error == NULL && g_str_equal (m, "did") &&
      g_str_equal (seg_choice_drop_down_get_id (self->occurrence), "any"))
    agg = seg_aggregate_editor_build (SEG_AGGREGATE_EDITOR (self->aggregate), &error);
  if (error != NULL)
    {
      g_clear_pointer (&where, json_node_unref);
      g_clear_pointer (&when, json_node_unref);
      seg_rule_editor_set_error (editor, error);
      return NULL;
    }
  add_member (b, "where", where);
  add_member (b, "when", when);
  if (g_str_equal (m, "did") && agg == NULL &&
      !g_str_equal (seg_choice_drop_down_get_id (self->occurrence), "any"))
    {
      json_builder_set_member_name (b, "occurrence");
      json_builder_add_string_value (b, seg_choice_drop_down_get_id (self->occurrence));
    }
  add_member (b, "aggregate", agg);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
seg_event_rule_load (SegRuleEditor *editor,
                     const SegRule *rule)
{
  SegEventRule *self = SEG_EVENT_RULE (editor);

  switch (rule->kind)
    {
    case SEG_RULE_DID_NOT: seg_event_rule_set_mode (self, "did_not"); break;
    case SEG_RULE_DID_ANY: seg_event_rule_set_mode (self, "did_any"); break;
    case SEG_RULE_DID:
    default: seg_event_rule_set_mode (self, "did"); break;
    }
  if (rule->kind == SEG_RULE_DID_ANY)
    seg_name_picker_set_names (SEG_NAME_PICKER (self->events), (const char * const *) rule->events);
  else if (rule->events != NULL)
    seg_event_rule_set_event (self, rule->events[0]);
  update_mode (self);
  seg_filter_list_load (SEG_FILTER_LIST (self->filters), rule->where);
  seg_window_editor_load (SEG_WINDOW_EDITOR (self->window), &rule->when);
  seg_choice_drop_down_set_id (self->occurrence,
                               rule->occurrence == SEG_OCCURRENCE_FIRST ? "first" :
                               rule->occurrence == SEG_OCCURRENCE_LAST ? "last" : "any");
  seg_aggregate_editor_load (SEG_AGGREGATE_EDITOR (self->aggregate), rule->aggregate);
}

static gboolean
seg_event_rule_is_negation (SegRuleEditor *editor)
{
  return g_strcmp0 (mode (SEG_EVENT_RULE (editor)), "did_not") == 0;
}

static void
seg_event_rule_constructed (GObject *object)
{
  SegEventRule *self = SEG_EVENT_RULE (object);
  SegRuleEditor *editor = SEG_RULE_EDITOR (object);
  SegSchemaCache *cache;
  GtkWidget *first, *when;

  G_OBJECT_CLASS (seg_event_rule_parent_class)->constructed (object);
  cache = seg_rule_editor_get_cache (editor);

  seg_rule_editor_set_title (editor, NULL);
  first = seg_wrap_box_new (6);
  gtk_widget_set_hexpand (first, TRUE);
  self->mode = seg_choice_drop_down_new (modes, G_N_ELEMENTS (modes));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mode), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Did or did not"), -1);
  self->event = seg_name_picker_new (_("Choose event…"), FALSE);
  self->events = seg_name_picker_new (_("Add event…"), TRUE);
  seg_name_picker_set_model (SEG_NAME_PICKER (self->event), seg_schema_cache_get_events (cache),
                             seg_event_info_detail);
  seg_name_picker_set_model (SEG_NAME_PICKER (self->events), seg_schema_cache_get_events (cache),
                             seg_event_info_detail);
  gtk_box_append (GTK_BOX (first), self->mode);
  gtk_box_append (GTK_BOX (first), self->event);
  gtk_box_append (GTK_BOX (first), self->events);
  seg_rule_editor_add_header (editor, first);

  self->filters = seg_filter_list_new (cache, _("Add _property filter"));
  seg_rule_editor_append (editor, self->filters);

  when = seg_wrap_box_new (6);
  self->window = seg_window_editor_new ("last-30");
  self->occurrence = seg_choice_drop_down_new (occurrences, G_N_ELEMENTS (occurrences));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->occurrence), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Occurrence"), -1);
  gtk_box_append (GTK_BOX (when), self->window);
  gtk_box_append (GTK_BOX (when), self->occurrence);
  seg_rule_editor_append (editor, when);

  self->aggregate = seg_aggregate_editor_new (cache);
  seg_rule_editor_append (editor, self->aggregate);

  g_signal_connect_swapped (self->mode, "notify::selected", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->event, "changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->events, "changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->filters, "changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->window, "changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->occurrence, "notify::selected", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->aggregate, "changed", G_CALLBACK (changed_cb), self);
  update_mode (self);
}

static void
seg_event_rule_class_init (SegEventRuleClass *klass)
{
  SegRuleEditorClass *editor_class = SEG_RULE_EDITOR_CLASS (klass);

  G_OBJECT_CLASS (klass)->constructed = seg_event_rule_constructed;
  editor_class->build = seg_event_rule_build;
  editor_class->load = seg_event_rule_load;
  editor_class->is_negation = seg_event_rule_is_negation;
}

static void
seg_event_rule_init (SegEventRule *self)
{
}

SegRuleEditor *
seg_event_rule_new (SegSchemaCache *cache)
{
  return g_object_new (SEG_TYPE_EVENT_RULE, "cache", cache, NULL);
}

void
seg_event_rule_set_mode (SegEventRule *self,
                         const char   *m)
{
  seg_choice_drop_down_set_id (self->mode, m);
}

void
seg_event_rule_set_event (SegEventRule *self,
                          const char   *event)
{
  if (g_strcmp0 (mode (self), "did_any") == 0)
    seg_name_picker_pick (SEG_NAME_PICKER (self->events), event);
  else
    seg_name_picker_set_name (SEG_NAME_PICKER (self->event), event);
}

void
seg_event_rule_set_occurrence (SegEventRule *self,
                               const char   *occurrence)
{
  seg_choice_drop_down_set_id (self->occurrence, occurrence);
}

GtkWidget *
seg_event_rule_get_event_picker (SegEventRule *self)
{
  return self->event;
}

SegFilterList *
seg_event_rule_get_filters (SegEventRule *self)
{
  return SEG_FILTER_LIST (self->filters);
}

SegWindowEditor *
seg_event_rule_get_window (SegEventRule *self)
{
  return SEG_WINDOW_EDITOR (self->window);
}

SegAggregateEditor *
seg_event_rule_get_aggregate (SegEventRule *self)
{
  return SEG_AGGREGATE_EDITOR (self->aggregate);
}
