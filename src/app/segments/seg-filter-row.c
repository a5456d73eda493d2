/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-filter-row"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-filter-row.h"
#include "seg-name-picker.h"
#include "seg-property-info.h"
#include "seg-segments-util.h"
#include "seg-wrap-layout.h"

/*
 * One property filter ("amount ≥ 10", "city is New York"): a property picked from the
 * event's (or the users') properties, the operators that fit its type, and the value
 * widget that operator needs — a text entry with the property's top values as
 * suggestions, number spins, a date entry with a calendar, or a count of days.
 */

struct _SegFilterRow
{
  GtkWidget       parent_instance;

  SegSchemaCache *cache;
  char           *event;
  GListModel     *props;
  SegValueType    type;

  GtkWidget      *wrap;
  GtkWidget      *property;
  GtkWidget      *op;
  GtkWidget      *text_box;
  GtkWidget      *text;
  GtkWidget      *suggest;
  GtkWidget      *suggest_list;
  GtkWidget      *num1;
  GtkWidget      *and_label;
  GtkWidget      *num2;
  GtkWidget      *date1;
  GtkWidget      *date_and;
  GtkWidget      *date2;
  GtkWidget      *days;
  GtkWidget      *unit;
  GtkWidget      *days_label;
  GtkWidget      *remove;
};

G_DEFINE_FINAL_TYPE (SegFilterRow, seg_filter_row, GTK_TYPE_WIDGET)

enum { CHANGED, REMOVE, N_SIGNALS };
static guint signals[N_SIGNALS];

static const SegChoice string_ops[] = {
  { "equals", N_("is") }, { "not_equals", N_("is not") }, { "contains", N_("contains") },
  { "not_contains", N_("does not contain") }, { "starts_with", N_("starts with") },
  { "ends_with", N_("ends with") }, { "matches", N_("matches pattern") },
  { "exists", N_("is set") }, { "not_exists", N_("is not set") }, { "is_empty", N_("is empty") },
};
static const SegChoice number_ops[] = {
  { "eq", N_("equals") }, { "ne", N_("does not equal") }, { "gt", N_("greater than") },
  { "ge", N_("at least") }, { "lt", N_("less than") }, { "le", N_("at most") },
  { "between", N_("between") }, { "not_between", N_("not between") },
  { "exists", N_("is set") }, { "not_exists", N_("is not set") },
};
static const SegChoice boolean_ops[] = {
  { "is_true", N_("is true") }, { "is_false", N_("is false") },
  { "exists", N_("is set") }, { "not_exists", N_("is not set") },
};
static const SegChoice date_ops[] = {
  { "on", N_("on") }, { "before", N_("before") }, { "after", N_("after") },
  { "date_between", N_("between") }, { "in_last", N_("in the last") },
  { "more_than_days_ago", N_("more than … days ago") },
  { "days_from_today", N_("exactly … days from today") },
  { "exists", N_("is set") }, { "not_exists", N_("is not set") },
};
static const SegChoice list_ops[] = {
  { "list_contains", N_("contains") }, { "list_not_contains", N_("does not contain") },
  { "set_is", N_("is exactly") }, { "exists", N_("is set") }, { "not_exists", N_("is not set") },
};

static const SegChoice *
ops_for_type (SegValueType  type,
              guint        *n)
{
  switch (type)
    {
    case SEG_VALUE_TYPE_NUMBER: *n = G_N_ELEMENTS (number_ops); return number_ops;
    case SEG_VALUE_TYPE_BOOLEAN: *n = G_N_ELEMENTS (boolean_ops); return boolean_ops;
    case SEG_VALUE_TYPE_DATE: *n = G_N_ELEMENTS (date_ops); return date_ops;
    case SEG_VALUE_TYPE_LIST: *n = G_N_ELEMENTS (list_ops); return list_ops;
    case SEG_VALUE_TYPE_STRING:
    case SEG_VALUE_TYPE_NONE:
    default: *n = G_N_ELEMENTS (string_ops); return string_ops;
    }
}

static SegValueType
type_for_op (SegOp op)
{
  const SegValueType order[] = { SEG_VALUE_TYPE_STRING, SEG_VALUE_TYPE_NUMBER, SEG_VALUE_TYPE_DATE,
                                 SEG_VALUE_TYPE_BOOLEAN, SEG_VALUE_TYPE_LIST };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (seg_op_fits_type (op, order[i]))
      return order[i];
  return SEG_VALUE_TYPE_STRING;
}

static void
emit_changed (SegFilterRow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
update_value_widgets (SegFilterRow *self)
{
  const char *op = seg_choice_drop_down_get_id (self->op);
  gboolean text = FALSE, n1 = FALSE, n2 = FALSE, d1 = FALSE, d2 = FALSE, days = FALSE, unit = FALSE;

  if (g_strv_contains ((const char *[]) { "equals", "not_equals", "contains", "not_contains",
                                          "starts_with", "ends_with", "matches", "list_contains",
                                          "list_not_contains", "set_is", NULL }, op ? op : ""))
    text = TRUE;
  else if (g_strv_contains ((const char *[]) { "eq", "ne", "gt", "ge", "lt", "le", NULL }, op ? op : ""))
    n1 = TRUE;
  else if (g_strv_contains ((const char *[]) { "between", "not_between", NULL }, op ? op : ""))
    n1 = n2 = TRUE;
  else if (g_strv_contains ((const char *[]) { "on", "before", "after", NULL }, op ? op : ""))
    d1 = TRUE;
  else if (g_strcmp0 (op, "date_between") == 0)
    d1 = d2 = TRUE;
  else if (g_strcmp0 (op, "in_last") == 0)
    days = unit = TRUE;
  else if (g_strcmp0 (op, "more_than_days_ago") == 0 || g_strcmp0 (op, "days_from_today") == 0)
    days = TRUE;

  gtk_widget_set_visible (self->text_box, text);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->text),
                                  g_strcmp0 (op, "set_is") == 0 || g_strcmp0 (op, "equals") == 0 ||
                                  g_strcmp0 (op, "not_equals") == 0
                                    ? _("Value (commas for several)") : _("Value"));
  gtk_widget_set_visible (self->num1, n1);
  gtk_widget_set_visible (self->and_label, n2);
  gtk_widget_set_visible (self->num2, n2);
  gtk_widget_set_visible (self->date1, d1);
  gtk_widget_set_visible (self->date_and, d2);
  gtk_widget_set_visible (self->date2, d2);
  gtk_widget_set_visible (self->days, days);
  gtk_widget_set_visible (self->unit, unit);
  gtk_widget_set_visible (self->days_label, days && !unit);
}

static void
set_type (SegFilterRow *self,
          SegValueType  type)
{
  g_autofree char *old_op = g_strdup (seg_choice_drop_down_get_id (self->op));
  const SegChoice *choices;
  guint n;

  if (type == SEG_VALUE_TYPE_NONE)
    type = SEG_VALUE_TYPE_STRING;
  if (type == self->type)
    return;
  self->type = type;
  choices = ops_for_type (type, &n);
  seg_choice_drop_down_set_choices (self->op, choices, n);
  if (old_op == NULL || !seg_choice_drop_down_set_id (self->op, old_op))
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->op), 0);
  update_value_widgets (self);
}

static void
suggestion_activated_cb (GtkListBox    *box,
                         GtkListBoxRow *row,
                         SegFilterRow  *self)
{
  const char *value = g_object_get_data (G_OBJECT (row), "seg-value");

  gtk_editable_set_text (GTK_EDITABLE (self->text), value);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->suggest));
}

static void
update_suggestions (SegFilterRow *self)
{
  g_autoptr(GObject) item = seg_name_picker_dup_item (SEG_NAME_PICKER (self->property));
  const char * const *top = item != NULL ? seg_property_info_get_top_values (SEG_PROPERTY_INFO (item)) : NULL;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (self->suggest_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->suggest_list), child);
  for (; top != NULL && top[n] != NULL; n++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (top[n]);
      g_autofree char *count = g_strdup_printf ("%'" G_GUINT64_FORMAT,
                                                seg_property_info_get_top_count (SEG_PROPERTY_INFO (item), n));
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *dim = gtk_label_new (count);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (dim, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), dim);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "seg-value", g_strdup (top[n]), g_free);
      gtk_list_box_append (GTK_LIST_BOX (self->suggest_list), row);
    }
  gtk_widget_set_sensitive (self->suggest, n > 0);
}

static void
refresh_property (SegFilterRow *self)
{
  g_autoptr(GObject) item = seg_name_picker_dup_item (SEG_NAME_PICKER (self->property));

  if (item != NULL)
    set_type (self, seg_property_info_get_value_type (SEG_PROPERTY_INFO (item)));
  update_suggestions (self);
}

static void
property_changed_cb (SegFilterRow *self)
{
  refresh_property (self);
  emit_changed (self);
}

static void
props_items_changed_cb (SegFilterRow *self)
{
  refresh_property (self);
}

static void
op_changed_cb (SegFilterRow *self)
{
  update_value_widgets (self);
  emit_changed (self);
}

static void
remove_clicked_cb (SegFilterRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
seg_filter_row_dispose (GObject *object)
{
  SegFilterRow *self = SEG_FILTER_ROW (object);

  if (self->props != NULL)
    g_signal_handlers_disconnect_by_data (self->props, self);
  g_clear_object (&self->props);
  g_clear_pointer (&self->wrap, gtk_widget_unparent);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (seg_filter_row_parent_class)->dispose (object);
}

static void
seg_filter_row_finalize (GObject *object)
{
  g_free (SEG_FILTER_ROW (object)->event);
  G_OBJECT_CLASS (seg_filter_row_parent_class)->finalize (object);
}

static void
seg_filter_row_class_init (SegFilterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seg_filter_row_dispose;
  object_class->finalize = seg_filter_row_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static char *
property_detail (GObject *item)
{
  switch (seg_property_info_get_value_type (SEG_PROPERTY_INFO (item)))
    {
    case SEG_VALUE_TYPE_NUMBER: return g_strdup (_("number"));
    case SEG_VALUE_TYPE_BOOLEAN: return g_strdup (_("yes/no"));
    case SEG_VALUE_TYPE_DATE: return g_strdup (_("date"));
    case SEG_VALUE_TYPE_LIST: return g_strdup (_("list"));
    case SEG_VALUE_TYPE_STRING: return g_strdup (_("text"));
    case SEG_VALUE_TYPE_NONE:
    default: return NULL;
    }
}

static void
add (SegFilterRow *self,
     GtkWidget    *widget)
{
  gtk_box_append (GTK_BOX (self->wrap), widget);
}

static void
seg_filter_row_init (SegFilterRow *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scroll = gtk_scrolled_window_new ();
  guint n_units;
  const SegChoice *units = seg_time_unit_choices (&n_units);

  self->type = SEG_VALUE_TYPE_NONE;
  self->wrap = seg_wrap_box_new (6);
  gtk_widget_set_parent (self->wrap, GTK_WIDGET (self));

  self->property = seg_name_picker_new (_("Choose property…"), FALSE);
  g_signal_connect_swapped (self->property, "changed", G_CALLBACK (property_changed_cb), self);
  add (self, self->property);

  self->op = seg_choice_drop_down_new (string_ops, G_N_ELEMENTS (string_ops));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->op), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Operator"), -1);
  add (self, self->op);

  self->text_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->text_box, "linked");
  self->text = gtk_entry_new ();
  gtk_editable_set_width_chars (GTK_EDITABLE (self->text), 14);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Value"), -1);
  self->suggest = gtk_menu_button_new ();
  gtk_widget_set_tooltip_text (self->suggest, _("Frequent Values"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->suggest), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Frequent values"), -1);
  self->suggest_list = gtk_list_box_new ();
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (self->suggest_list), TRUE);
  g_signal_connect (self->suggest_list, "row-activated", G_CALLBACK (suggestion_activated_cb), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), self->suggest_list);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroll), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroll), 300);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scroll, 220, -1);
  gtk_popover_set_child (GTK_POPOVER (popover), scroll);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->suggest), popover);
  gtk_widget_set_sensitive (self->suggest, FALSE);
  gtk_box_append (GTK_BOX (self->text_box), self->text);
  gtk_box_append (GTK_BOX (self->text_box), self->suggest);
  add (self, self->text_box);

  self->num1 = seg_number_spin_new (-1e12, 1e12, 2);
  self->and_label = gtk_label_new (_("and"));
  self->num2 = seg_number_spin_new (-1e12, 1e12, 2);
  add (self, self->num1);
  add (self, self->and_label);
  add (self, self->num2);
  self->date1 = seg_date_entry_new ();
  self->date_and = gtk_label_new (_("and"));
  self->date2 = seg_date_entry_new ();
  add (self, self->date1);
  add (self, self->date_and);
  add (self, self->date2);
  self->days = seg_number_spin_new (0, 100000, 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->days), 7);
  self->unit = seg_choice_drop_down_new (units, n_units);
  seg_choice_drop_down_set_id (self->unit, "days");
  self->days_label = gtk_label_new (_("days"));
  add (self, self->days);
  add (self, self->unit);
  add (self, self->days_label);

  self->remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_add_css_class (self->remove, "flat");
  gtk_widget_set_valign (self->remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->remove, _("Remove Filter"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove filter"), -1);
  g_signal_connect_swapped (self->remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  add (self, self->remove);

  g_signal_connect_swapped (self->op, "notify::selected", G_CALLBACK (op_changed_cb), self);
  g_signal_connect_swapped (self->text, "changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->num1, "value-changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->num2, "value-changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (g_object_get_data (G_OBJECT (self->date1), "seg-entry"), "changed",
                            G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (g_object_get_data (G_OBJECT (self->date2), "seg-entry"), "changed",
                            G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->days, "value-changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->unit, "notify::selected", G_CALLBACK (emit_changed), self);

  set_type (self, SEG_VALUE_TYPE_STRING);
}

/**
 * seg_filter_row_new:
 * @event: (nullable): the event whose properties are offered, or %NULL for user properties
 *
 * Returns: (transfer floating): a new filter row
 */
GtkWidget *
seg_filter_row_new (SegSchemaCache *cache,
                    const char     *event,
                    gboolean        removable)
{
  SegFilterRow *self = g_object_new (SEG_TYPE_FILTER_ROW, NULL);

  self->cache = g_object_ref (cache);
  gtk_widget_set_visible (self->remove, removable);
  seg_filter_row_set_event (self, event);
  if (event == NULL)
    seg_filter_row_set_event (self, NULL);
  return GTK_WIDGET (self);
}

void
seg_filter_row_set_event (SegFilterRow *self,
                          const char   *event)
{
  GListModel *props = seg_schema_cache_get_properties (self->cache, event);

  g_free (self->event);
  self->event = g_strdup (event);
  if (props == self->props)
    return;
  if (self->props != NULL)
    g_signal_handlers_disconnect_by_data (self->props, self);
  g_set_object (&self->props, props);
  g_signal_connect_swapped (props, "items-changed", G_CALLBACK (props_items_changed_cb), self);
  seg_name_picker_set_model (SEG_NAME_PICKER (self->property), props, property_detail);
  refresh_property (self);
}

SegValueType
seg_filter_row_get_value_type (SegFilterRow *self)
{
  return self->type;
}

static JsonNode *
text_value (const char *text,
            gboolean    allow_list,
            gboolean    force_list)
{
  g_auto(GStrv) parts = NULL;
  JsonArray *array;

  if (!force_list && (!allow_list || strchr (text, ',') == NULL))
    return json_node_init_string (json_node_alloc (), text);
  parts = g_strsplit (text, ",", -1);
  array = json_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        json_array_add_string_element (array, parts[i]);
    }
  return json_node_init_array (json_node_alloc (), array);
}

/**
 * seg_filter_row_build:
 * @error: (out) (transfer full): what is missing, when %NULL is returned
 *
 * Returns: (transfer full) (nullable): the FILTER object of the definition format
 */
JsonNode *
seg_filter_row_build (SegFilterRow  *self,
                      char         **error)
{
  const char *property = seg_name_picker_get_name (SEG_NAME_PICKER (self->property));
  const char *op = seg_choice_drop_down_get_id (self->op);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->text));
  g_autofree char *text_stripped = g_strstrip (g_strdup (text));

  if (property == NULL)
    {
      *error = g_strdup (_("Choose a property to filter on"));
      return NULL;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "property");
  json_builder_add_string_value (b, property);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, op);

  if (gtk_widget_get_visible (self->text_box))
    {
      if (*text_stripped == '\0')
        {
          *error = g_strdup_printf (_("Enter a value for “%s”"), property);
          return NULL;
        }
      json_builder_set_member_name (b, "value");
      json_builder_add_value (b, text_value (text_stripped,
                                             g_strcmp0 (op, "equals") == 0 ||
                                             g_strcmp0 (op, "not_equals") == 0,
                                             g_strcmp0 (op, "set_is") == 0));
    }
  else if (gtk_widget_get_visible (self->num2))
    {
      double a = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->num1));
      double c = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->num2));

      if (a > c)
        {
          *error = g_strdup (_("The first number must not be larger than the second"));
          return NULL;
        }
      json_builder_set_member_name (b, "value");
      json_builder_begin_array (b);
      json_builder_add_double_value (b, a);
      json_builder_add_double_value (b, c);
      json_builder_end_array (b);
    }
  else if (gtk_widget_get_visible (self->num1))
    {
      json_builder_set_member_name (b, "value");
      json_builder_add_double_value (b, gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->num1)));
    }
  else if (gtk_widget_get_visible (self->date1))
    {
      g_autofree char *d1 = seg_date_entry_dup_date (self->date1);
      g_autofree char *d2 = gtk_widget_get_visible (self->date2) ? seg_date_entry_dup_date (self->date2) : NULL;

      if (d1 == NULL || (gtk_widget_get_visible (self->date2) && d2 == NULL))
        {
          *error = g_strdup (_("Enter a date as YYYY-MM-DD or pick one from the calendar"));
          return NULL;
        }
      json_builder_set_member_name (b, "value");
      if (d2 != NULL)
        {
          if (g_strcmp0 (d1, d2) > 0)
            {
              *error = g_strdup (_("The first date must not be after the second"));
              return NULL;
            }
          json_builder_begin_array (b);
          json_builder_add_string_value (b, d1);
          json_builder_add_string_value (b, d2);
          json_builder_end_array (b);
        }
      else
        json_builder_add_string_value (b, d1);
    }
  else if (gtk_widget_get_visible (self->days))
    {
      json_builder_set_member_name (b, "value");
      json_builder_add_int_value (b, (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->days)));
      if (gtk_widget_get_visible (self->unit))
        {
          json_builder_set_member_name (b, "unit");
          json_builder_add_string_value (b, seg_choice_drop_down_get_id (self->unit));
        }
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
seg_filter_row_set_property_name (SegFilterRow *self,
                                  const char   *property)
{
  seg_name_picker_set_name (SEG_NAME_PICKER (self->property), property);
}

gboolean
seg_filter_row_set_op (SegFilterRow *self,
                       const char   *op)
{
  SegOp parsed;

  if (!seg_op_from_string (op, &parsed))
    return FALSE;
  if (!seg_op_fits_type (parsed, self->type))
    set_type (self, type_for_op (parsed));
  return seg_choice_drop_down_set_id (self->op, op);
}

void
seg_filter_row_set_text (SegFilterRow *self,
                         const char   *text)
{
  gtk_editable_set_text (GTK_EDITABLE (self->text), text);
}

void
seg_filter_row_set_numbers (SegFilterRow *self,
                            double        a,
                            double        b)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->num1), a);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->num2), b);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->days), a);
}

void
seg_filter_row_load (SegFilterRow    *self,
                     const SegFilter *filter)
{
  SegValueType known = seg_schema_cache_property_type (self->cache, self->event, filter->property);

  seg_filter_row_set_property_name (self, filter->property);
  if (known == SEG_VALUE_TYPE_NONE || !seg_op_fits_type (filter->op, known))
    set_type (self, type_for_op (filter->op));
  seg_choice_drop_down_set_id (self->op, seg_op_to_string (filter->op));
  update_value_widgets (self);
  if (filter->strings != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", filter->strings);
      seg_filter_row_set_text (self, joined);
    }
  seg_filter_row_set_numbers (self, filter->num[0], filter->num[1]);
  seg_date_entry_set_date (self->date1, filter->dates[0]);
  seg_date_entry_set_date (self->date2, filter->dates[1]);
  if (filter->op == SEG_OP_IN_LAST)
    seg_choice_drop_down_set_id (self->unit, seg_time_unit_to_string (filter->unit));
}
