/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-segments-util"

#include "config.h"

#include <glib/gi18n.h>

#include "segpages-resources.h"
#include "seg-segments-util.h"

/*
 * Small helpers the segment pages share: drop-downs of (id, label) choices, a date entry
 * with a calendar popover, and the formatting of counts and times.
 */

void
seg_segments_ensure_resources (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      segpages_register_resource ();
      g_once_init_leave (&once, 1);
    }
}

/* Adds the pages' style sheet and icons to the display, once. */
void
seg_segments_ensure_style (void)
{
  static gboolean done = FALSE;
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;

  if (done || display == NULL)
    return;
  done = TRUE;
  seg_segments_ensure_resources ();
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/segmentstudio/SegmentStudio/segments/segments.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    "/io/github/segmentstudio/SegmentStudio/segments/icons");
}

typedef struct
{
  const SegChoice *choices;
  guint            n;
} ChoiceData;

GtkWidget *
seg_choice_drop_down_new (const SegChoice *choices,
                          guint            n_choices)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  ChoiceData *d = g_new0 (ChoiceData, 1);
  GtkWidget *drop_down;

  for (guint i = 0; i < n_choices; i++)
    gtk_string_list_append (labels, _(choices[i].label));
  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL);
  d->choices = choices;
  d->n = n_choices;
  g_object_set_data_full (G_OBJECT (drop_down), "seg-choices", d, g_free);
  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  return drop_down;
}

/* Replaces the choices of a drop-down made by seg_choice_drop_down_new(). */
void
seg_choice_drop_down_set_choices (GtkWidget       *drop_down,
                                  const SegChoice *choices,
                                  guint            n_choices)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  ChoiceData *d = g_new0 (ChoiceData, 1);

  for (guint i = 0; i < n_choices; i++)
    gtk_string_list_append (labels, _(choices[i].label));
  d->choices = choices;
  d->n = n_choices;
  g_object_set_data_full (G_OBJECT (drop_down), "seg-choices", d, g_free);
  gtk_drop_down_set_model (GTK_DROP_DOWN (drop_down), G_LIST_MODEL (labels));
}

const char *
seg_choice_drop_down_get_id (GtkWidget *drop_down)
{
  ChoiceData *d = g_object_get_data (G_OBJECT (drop_down), "seg-choices");
  guint pos = gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down));

  if (d == NULL || pos >= d->n)
    return NULL;
  return d->choices[pos].id;
}

gboolean
seg_choice_drop_down_set_id (GtkWidget  *drop_down,
                             const char *id)
{
  ChoiceData *d = g_object_get_data (G_OBJECT (drop_down), "seg-choices");

  for (guint i = 0; d != NULL && i < d->n; i++)
    if (g_strcmp0 (d->choices[i].id, id) == 0)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), i);
        return TRUE;
      }
  return FALSE;
}

static const SegChoice unit_choices[] = {
  { "minutes", N_("minutes") },
  { "hours", N_("hours") },
  { "days", N_("days") },
  { "weeks", N_("weeks") },
  { "months", N_("months") },
};

const SegChoice *
seg_time_unit_choices (guint *n_choices)
{
  *n_choices = G_N_ELEMENTS (unit_choices);
  return unit_choices;
}

const char *
seg_time_unit_label (SegTimeUnit unit)
{
  return _(unit_choices[unit].label);
}

gboolean
seg_time_unit_from_id (const char  *id,
                       SegTimeUnit *unit)
{
  for (guint i = 0; i < G_N_ELEMENTS (unit_choices); i++)
    if (g_strcmp0 (unit_choices[i].id, id) == 0)
      {
        *unit = (SegTimeUnit) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
seg_date_is_valid (const char *text)
{
  int y, m, d;
  char tail;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

static void
calendar_day_selected_cb (GtkCalendar *calendar,
                          GtkWidget   *entry)
{
  g_autoptr(GDateTime) dt = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (dt, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
date_popover_show_cb (GtkPopover *popover,
                      GtkWidget  *entry)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (popover));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  int y, m, d;

  if (seg_date_is_valid (text) && sscanf (text, "%4d-%2d-%2d", &y, &m, &d) == 3)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_local (y, m, d, 0, 0, 0);
      g_signal_handlers_block_by_func (calendar, calendar_day_selected_cb, entry);
      gtk_calendar_select_day (calendar, dt);
      g_signal_handlers_unblock_by_func (calendar, calendar_day_selected_cb, entry);
    }
}

static void
date_entry_changed_cb (GtkEditable *entry)
{
  const char *text = gtk_editable_get_text (entry);

  if (*text == '\0' || seg_date_is_valid (text))
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
}

/**
 * seg_date_entry_new:
 *
 * Returns: (transfer floating): a box with an ISO date entry and a calendar button
 */
GtkWidget *
seg_date_entry_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();

  gtk_widget_add_css_class (box, "linked");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "YYYY-MM-DD");
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 10);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), 10);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_tooltip_text (button, _("Pick a date"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Pick a date"), -1);
  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  g_signal_connect (calendar, "day-selected", G_CALLBACK (calendar_day_selected_cb), entry);
  g_signal_connect (popover, "show", G_CALLBACK (date_popover_show_cb), entry);
  g_signal_connect (entry, "changed", G_CALLBACK (date_entry_changed_cb), NULL);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), button);
  g_object_set_data (G_OBJECT (box), "seg-entry", entry);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  return box;
}

static GtkEditable *
date_entry_editable (GtkWidget *box)
{
  return GTK_EDITABLE (g_object_get_data (G_OBJECT (box), "seg-entry"));
}

/**
 * seg_date_entry_dup_date:
 * Returns: (transfer full) (nullable): the date typed, if it is a valid YYYY-MM-DD
 */
char *
seg_date_entry_dup_date (GtkWidget *box)
{
  const char *text = gtk_editable_get_text (date_entry_editable (box));

  return seg_date_is_valid (text) ? g_strndup (text, 10) : NULL;
}

void
seg_date_entry_set_date (GtkWidget  *box,
                         const char *date)
{
  gtk_editable_set_text (date_entry_editable (box), date != NULL ? date : "");
}

GtkWidget *
seg_number_spin_new (double lower,
                     double upper,
                     guint  digits)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, 1);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  return spin;
}

char *
seg_format_relative_time (gint64 ms,
                          gint64 now_ms)
{
  gint64 s = (now_ms - ms) / 1000;

  if (ms <= 0)
    return g_strdup (_("never"));
  if (s < 60)
    return g_strdup (_("just now"));
  if (s < 3600)
    return g_strdup_printf (g_dngettext (NULL, "%d minute ago", "%d minutes ago", s / 60), (int) (s / 60));
  if (s < 86400)
    return g_strdup_printf (g_dngettext (NULL, "%d hour ago", "%d hours ago", s / 3600), (int) (s / 3600));
  if (s < 86400 * 30)
    return g_strdup_printf (g_dngettext (NULL, "%d day ago", "%d days ago", s / 86400), (int) (s / 86400));
  return seg_format_date (ms);
}

char *
seg_format_date (gint64 ms)
{
  g_autoptr(GDateTime) dt = NULL;

  if (ms <= 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_local (ms / 1000);
  return g_date_time_format (dt, "%Y-%m-%d");
}
