/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-aggregate-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-aggregate-editor.h"
#include "seg-name-picker.h"
#include "seg-property-info.h"
#include "seg-segments-util.h"
#include "seg-wrap-layout.h"

/*
 * The "AND by behavior" filter of a did rule: Count, Total sum / Average / Minimum /
 * Maximum / Distinct values of a property, compared with a value, and the checkbox
 * "Include users who didn't do the event" (they count as 0).
 */

struct _SegAggregateEditor
{
  GtkWidget       parent_instance;

  SegSchemaCache *cache;
  GtkWidget      *box;
  GtkWidget      *enabled;
  GtkWidget      *details;
  GtkWidget      *fn;
  GtkWidget      *of_label;
  GtkWidget      *property;
  GtkWidget      *op;
  GtkWidget      *value;
  GtkWidget      *and_label;
  GtkWidget      *value2;
  GtkWidget      *non_doers;
};

G_DEFINE_FINAL_TYPE (SegAggregateEditor, seg_aggregate_editor, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const SegChoice fns[] = {
  { "count", N_("Count") },
  { "sum", N_("Total sum of") },
  { "avg", N_("Average of") },
  { "min", N_("Minimum of") },
  { "max", N_("Maximum of") },
  { "distinct", N_("Distinct values of") },
};

static const SegChoice ops[] = {
  { "eq", "=" }, { "ne", "≠" }, { "gt", ">" }, { "ge", "≥" }, { "lt", "<" }, { "le", "≤" },
  { "between", N_("between") }, { "not_between", N_("not between") },
};

static void
update_visibility (SegAggregateEditor *self)
{
  gboolean count = g_strcmp0 (seg_choice_drop_down_get_id (self->fn), "count") == 0;
  const char *op = seg_choice_drop_down_get_id (self->op);
  gboolean two = g_strcmp0 (op, "between") == 0 || g_strcmp0 (op, "not_between") == 0;

  gtk_widget_set_visible (self->details, gtk_check_button_get_active (GTK_CHECK_BUTTON (self->enabled)));
  gtk_widget_set_visible (self->property, !count);
  gtk_widget_set_visible (self->and_label, two);
  gtk_widget_set_visible (self->value2, two);
}

static void
emit_changed (SegAggregateEditor *self)
{
  update_visibility (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
seg_aggregate_editor_dispose (GObject *object)
{
  SegAggregateEditor *self = SEG_AGGREGATE_EDITOR (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (seg_aggregate_editor_parent_class)->dispose (object);
}

static void
seg_aggregate_editor_class_init (SegAggregateEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = seg_aggregate_editor_dispose;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static char *
number_detail (GObject *item)
{
  return seg_property_info_get_value_type (SEG_PROPERTY_INFO (item)) == SEG_VALUE_TYPE_NUMBER
           ? g_strdup (_("number")) : NULL;
}


/* A check button whose label wraps in narrow windows instead of widening the rule. */
static GtkWidget *
wrapping_check_button (const char *mnemonic)
{
  GtkWidget *button = gtk_check_button_new ();
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), button);
  gtk_check_button_set_child (GTK_CHECK_BUTTON (button), label);
  return button;
}

static void
seg_aggregate_editor_init (SegAggregateEditor *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->enabled = wrapping_check_button (_("And _by behavior (count, sum, average…)"));
  gtk_box_append (GTK_BOX (self->box), self->enabled);

  self->details = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (self->details, 24);
  gtk_box_append (GTK_BOX (self->box), self->details);
  {
    GtkWidget *wrap = seg_wrap_box_new (6);
    self->fn = seg_choice_drop_down_new (fns, G_N_ELEMENTS (fns));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->fn), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Aggregate"), -1);
    self->property = seg_name_picker_new (_("Choose property…"), FALSE);
    self->op = seg_choice_drop_down_new (ops, G_N_ELEMENTS (ops));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->op), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Comparison"), -1);
    seg_choice_drop_down_set_id (self->op, "ge");
    self->value = seg_number_spin_new (-1e12, 1e12, 2);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->value), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Value"), -1);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->value), 1);
    self->and_label = gtk_label_new (_("and"));
    self->value2 = seg_number_spin_new (-1e12, 1e12, 2);
    gtk_box_append (GTK_BOX (wrap), self->fn);
    gtk_box_append (GTK_BOX (wrap), self->property);
    gtk_box_append (GTK_BOX (wrap), self->op);
    gtk_box_append (GTK_BOX (wrap), self->value);
    gtk_box_append (GTK_BOX (wrap), self->and_label);
    gtk_box_append (GTK_BOX (wrap), self->value2);
    gtk_box_append (GTK_BOX (self->details), wrap);
  }
  self->non_doers = wrapping_check_button (_("_Include users who didn’t do the event"));
  gtk_box_append (GTK_BOX (self->details), self->non_doers);

  g_signal_connect_swapped (self->enabled, "toggled", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->fn, "notify::selected", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->property, "changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->op, "notify::selected", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->value, "value-changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->value2, "value-changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->non_doers, "toggled", G_CALLBACK (emit_changed), self);
  update_visibility (self);
}

GtkWidget *
seg_aggregate_editor_new (SegSchemaCache *cache)
{
  SegAggregateEditor *self = g_object_new (SEG_TYPE_AGGREGATE_EDITOR, NULL);

  self->cache = g_object_ref (cache);
  return GTK_WIDGET (self);
}

void
seg_aggregate_editor_set_event (SegAggregateEditor *self,
                                const char         *event)
{
  seg_name_picker_set_model (SEG_NAME_PICKER (self->property),
                             event != NULL ? seg_schema_cache_get_properties (self->cache, event) : NULL,
                             number_detail);
}

gboolean
seg_aggregate_editor_get_enabled (SegAggregateEditor *self)
{
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (self->enabled));
}

void
seg_aggregate_editor_set_enabled (SegAggregateEditor *self,
                                  gboolean            enabled)
{
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->enabled), enabled);
}

/**
 * seg_aggregate_editor_set:
 * @property: (nullable): the property, for all but count
 *
 * Enables the filter and sets it, as the user would through its widgets.
 */
void
seg_aggregate_editor_set (SegAggregateEditor *self,
                          const char         *fn,
                          const char         *property,
                          const char         *op,
                          double              value,
                          double              value2,
                          gboolean            include_non_doers)
{
  seg_aggregate_editor_set_enabled (self, TRUE);
  seg_choice_drop_down_set_id (self->fn, fn);
  seg_name_picker_set_name (SEG_NAME_PICKER (self->property), property);
  seg_choice_drop_down_set_id (self->op, op);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->value), value);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->value2), value2);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->non_doers), include_non_doers);
}

/**
 * seg_aggregate_editor_build:
 * Returns: (transfer full) (nullable): the AGG object, or %NULL when off or incomplete
 */
JsonNode *
seg_aggregate_editor_build (SegAggregateEditor  *self,
                            char               **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *fn = seg_choice_drop_down_get_id (self->fn);
  const char *op = seg_choice_drop_down_get_id (self->op);
  const char *property = seg_name_picker_get_name (SEG_NAME_PICKER (self->property));
  double v1 = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->value));
  double v2 = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->value2));

  if (!seg_aggregate_editor_get_enabled (self))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fn");
  json_builder_add_string_value (b, fn);
  if (!g_str_equal (fn, "count"))
    {
      if (property == NULL)
        {
          *error = g_strdup (_("Choose the property to aggregate"));
          return NULL;
        }
      json_builder_set_member_name (b, "property");
      json_builder_add_string_value (b, property);
    }
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, op);
  json_builder_set_member_name (b, "value");
  if (g_str_equal (op, "between") || g_str_equal (op, "not_between"))
    {
      if (v1 > v2)
        {
          *error = g_strdup (_("The first number must not be larger than the second"));
          return NULL;
        }
      json_builder_begin_array (b);
      json_builder_add_double_value (b, v1);
      json_builder_add_double_value (b, v2);
      json_builder_end_array (b);
    }
  else if (v1 == (double) (gint64) v1)
    json_builder_add_int_value (b, (gint64) v1);
  else
    json_builder_add_double_value (b, v1);
  json_builder_set_member_name (b, "include_non_doers");
  json_builder_add_boolean_value (b, gtk_check_button_get_active (GTK_CHECK_BUTTON (self->non_doers)));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
seg_aggregate_editor_load (SegAggregateEditor *self,
                           const SegAggregate *agg)
{
  const char *fn_ids[] = { "count", "sum", "avg", "min", "max", "distinct" };

  if (agg == NULL)
    {
      seg_aggregate_editor_set_enabled (self, FALSE);
      return;
    }
  seg_aggregate_editor_set (self, fn_ids[agg->fn], agg->property, seg_op_to_string (agg->op),
                            agg->value[0], agg->value[1], agg->include_non_doers);
}
