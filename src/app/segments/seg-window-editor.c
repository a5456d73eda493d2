/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-window-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-segments-util.h"
#include "seg-window-editor.h"
#include "seg-wrap-layout.h"

/*
 * The time window of a rule: presets (Today, Yesterday, Last 7/30/90 days, Ever) and the
 * custom forms of the format — in the last N units, between dates, exactly N days ago,
 * between N and M days ago, before/after/on/since a date.
 */

struct _SegWindowEditor
{
  GtkWidget  parent_instance;

  GtkWidget *wrap;
  GtkWidget *preset;
  GtkWidget *n;
  GtkWidget *unit;
  GtkWidget *and_label;
  GtkWidget *m;
  GtkWidget *days_ago;
  GtkWidget *date1;
  GtkWidget *date_and;
  GtkWidget *date2;
};

G_DEFINE_FINAL_TYPE (SegWindowEditor, seg_window_editor, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const SegChoice presets[] = {
  { "ever", N_("at any time") },
  { "today", N_("today") },
  { "yesterday", N_("yesterday") },
  { "last-7", N_("in the last 7 days") },
  { "last-30", N_("in the last 30 days") },
  { "last-90", N_("in the last 90 days") },
  { "last", N_("in the last…") },
  { "days_ago", N_("exactly … days ago") },
  { "between_days_ago", N_("between … and … days ago") },
  { "between", N_("between dates") },
  { "on", N_("on date") },
  { "before", N_("before date") },
  { "after", N_("after date") },
  { "since", N_("since date") },
};

static void
update_visibility (SegWindowEditor *self)
{
  const char *p = seg_choice_drop_down_get_id (self->preset);
  gboolean last = g_strcmp0 (p, "last") == 0;
  gboolean days_ago = g_strcmp0 (p, "days_ago") == 0;
  gboolean between_ago = g_strcmp0 (p, "between_days_ago") == 0;
  gboolean between = g_strcmp0 (p, "between") == 0;
  gboolean one_date = g_strv_contains ((const char *[]) { "on", "before", "after", "since", NULL }, p ? p : "");

  gtk_widget_set_visible (self->n, last || days_ago || between_ago);
  gtk_widget_set_visible (self->unit, last);
  gtk_widget_set_visible (self->and_label, between_ago);
  gtk_widget_set_visible (self->m, between_ago);
  gtk_widget_set_visible (self->days_ago, days_ago || between_ago);
  gtk_widget_set_visible (self->date1, between || one_date);
  gtk_widget_set_visible (self->date_and, between);
  gtk_widget_set_visible (self->date2, between);
}

static void
emit_changed (SegWindowEditor *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
preset_changed_cb (SegWindowEditor *self)
{
  update_visibility (self);
  emit_changed (self);
}

static void
seg_window_editor_dispose (GObject *object)
{
  g_clear_pointer (&SEG_WINDOW_EDITOR (object)->wrap, gtk_widget_unparent);
  G_OBJECT_CLASS (seg_window_editor_parent_class)->dispose (object);
}

static void
seg_window_editor_class_init (SegWindowEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = seg_window_editor_dispose;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
seg_window_editor_init (SegWindowEditor *self)
{
  guint n_units;
  const SegChoice *units = seg_time_unit_choices (&n_units);

  self->wrap = seg_wrap_box_new (6);
  gtk_widget_set_parent (self->wrap, GTK_WIDGET (self));
  self->preset = seg_choice_drop_down_new (presets, G_N_ELEMENTS (presets));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preset), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("When"), -1);
  self->n = seg_number_spin_new (1, 100000, 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->n), 30);
  self->unit = seg_choice_drop_down_new (units, n_units);
  seg_choice_drop_down_set_id (self->unit, "days");
  self->and_label = gtk_label_new (_("and"));
  self->m = seg_number_spin_new (0, 100000, 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->m), 7);
  self->days_ago = gtk_label_new (_("days ago"));
  self->date1 = seg_date_entry_new ();
  self->date_and = gtk_label_new (_("and"));
  self->date2 = seg_date_entry_new ();

  gtk_box_append (GTK_BOX (self->wrap), self->preset);
  gtk_box_append (GTK_BOX (self->wrap), self->n);
  gtk_box_append (GTK_BOX (self->wrap), self->unit);
  gtk_box_append (GTK_BOX (self->wrap), self->and_label);
  gtk_box_append (GTK_BOX (self->wrap), self->m);
  gtk_box_append (GTK_BOX (self->wrap), self->days_ago);
  gtk_box_append (GTK_BOX (self->wrap), self->date1);
  gtk_box_append (GTK_BOX (self->wrap), self->date_and);
  gtk_box_append (GTK_BOX (self->wrap), self->date2);

  g_signal_connect_swapped (self->preset, "notify::selected", G_CALLBACK (preset_changed_cb), self);
  g_signal_connect_swapped (self->n, "value-changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->m, "value-changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->unit, "notify::selected", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (g_object_get_data (G_OBJECT (self->date1), "seg-entry"), "changed",
                            G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (g_object_get_data (G_OBJECT (self->date2), "seg-entry"), "changed",
                            G_CALLBACK (emit_changed), self);
  update_visibility (self);
}

/**
 * seg_window_editor_new:
 * @default_preset: the preset to start with ("last-30", "ever", ...)
 *
 * Returns: (transfer floating): a new time window editor
 */
GtkWidget *
seg_window_editor_new (const char *default_preset)
{
  SegWindowEditor *self = g_object_new (SEG_TYPE_WINDOW_EDITOR, NULL);

  seg_window_editor_set_preset (self, default_preset);
  return GTK_WIDGET (self);
}

gboolean
seg_window_editor_set_preset (SegWindowEditor *self,
                              const char      *preset)
{
  return seg_choice_drop_down_set_id (self->preset, preset);
}

void
seg_window_editor_set_n (SegWindowEditor *self,
                         gint64           n,
                         gint64           m)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->n), (double) n);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->m), (double) m);
}

static void
add_date (JsonBuilder *b,
          const char  *member,
          const char  *date)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, date);
}

/**
 * seg_window_editor_build:
 * @error: (out): what is missing, when %NULL is returned with it set
 *
 * Returns: (transfer full) (nullable): the WINDOW object, or %NULL for "at any time"
 */
JsonNode *
seg_window_editor_build (SegWindowEditor  *self,
                         char            **error)
{
  const char *p = seg_choice_drop_down_get_id (self->preset);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 n = (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->n));
  gint64 m = (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->m));
  g_autofree char *d1 = seg_date_entry_dup_date (self->date1);
  g_autofree char *d2 = seg_date_entry_dup_date (self->date2);

  if (p == NULL || g_str_equal (p, "ever"))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  if (g_str_has_prefix (p, "last"))
    {
      json_builder_add_string_value (b, "last");
      json_builder_set_member_name (b, "n");
      json_builder_add_int_value (b, g_str_equal (p, "last") ? n : g_ascii_strtoll (p + 5, NULL, 10));
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, g_str_equal (p, "last") ? seg_choice_drop_down_get_id (self->unit) : "days");
    }
  else if (g_str_equal (p, "today") || g_str_equal (p, "yesterday"))
    json_builder_add_string_value (b, p);
  else if (g_str_equal (p, "days_ago"))
    {
      json_builder_add_string_value (b, p);
      json_builder_set_member_name (b, "n");
      json_builder_add_int_value (b, n);
    }
  else if (g_str_equal (p, "between_days_ago"))
    {
      if (n < m)
        {
          *error = g_strdup (_("The first number of days ago must be the larger one (the earlier day)"));
          return NULL;
        }
      json_builder_add_string_value (b, p);
      json_builder_set_member_name (b, "from");
      json_builder_add_int_value (b, n);
      json_builder_set_member_name (b, "to");
      json_builder_add_int_value (b, m);
    }
  else if (g_str_equal (p, "between"))
    {
      if (d1 == NULL || d2 == NULL)
        {
          *error = g_strdup (_("Enter both dates of the time window"));
          return NULL;
        }
      if (strcmp (d1, d2) > 0)
        {
          *error = g_strdup (_("The first date of the time window must not be after the second"));
          return NULL;
        }
      json_builder_add_string_value (b, p);
      add_date (b, "from", d1);
      add_date (b, "to", d2);
    }
  else
    {
      if (d1 == NULL)
        {
          *error = g_strdup (_("Enter the date of the time window as YYYY-MM-DD"));
          return NULL;
        }
      json_builder_add_string_value (b, p);
      add_date (b, "date", d1);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
seg_window_editor_load (SegWindowEditor     *self,
                        const SegTimeWindow *w)
{
  switch (w->type)
    {
    case SEG_WINDOW_EVER: seg_window_editor_set_preset (self, "ever"); break;
    case SEG_WINDOW_TODAY: seg_window_editor_set_preset (self, "today"); break;
    case SEG_WINDOW_YESTERDAY: seg_window_editor_set_preset (self, "yesterday"); break;
    case SEG_WINDOW_LAST:
      if (w->unit == SEG_TIME_UNIT_DAYS && (w->n == 7 || w->n == 30 || w->n == 90))
        {
          g_autofree char *id = g_strdup_printf ("last-%d", (int) w->n);
          seg_window_editor_set_preset (self, id);
        }
      else
        {
          seg_window_editor_set_preset (self, "last");
          seg_choice_drop_down_set_id (self->unit, seg_time_unit_to_string (w->unit));
        }
      seg_window_editor_set_n (self, w->n, 0);
      break;
    case SEG_WINDOW_DAYS_AGO:
      seg_window_editor_set_preset (self, "days_ago");
      seg_window_editor_set_n (self, w->n, 0);
      break;
    case SEG_WINDOW_BETWEEN_DAYS_AGO:
      seg_window_editor_set_preset (self, "between_days_ago");
      seg_window_editor_set_n (self, w->from_days, w->to_days);
      break;
    case SEG_WINDOW_BETWEEN:
      seg_window_editor_set_preset (self, "between");
      seg_date_entry_set_date (self->date1, w->dates[0]);
      seg_date_entry_set_date (self->date2, w->dates[1]);
      break;
    case SEG_WINDOW_BEFORE: seg_window_editor_set_preset (self, "before"); seg_date_entry_set_date (self->date1, w->dates[0]); break;
    case SEG_WINDOW_AFTER: seg_window_editor_set_preset (self, "after"); seg_date_entry_set_date (self->date1, w->dates[0]); break;
    case SEG_WINDOW_ON: seg_window_editor_set_preset (self, "on"); seg_date_entry_set_date (self->date1, w->dates[0]); break;
    case SEG_WINDOW_SINCE: seg_window_editor_set_preset (self, "since"); seg_date_entry_set_date (self->date1, w->dates[0]); break;
    default: break;
    }
}
