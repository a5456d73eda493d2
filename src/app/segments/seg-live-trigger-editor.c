/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-trigger-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-event-rule.h"
#include "seg-filter-list.h"
#include "live/seg-live-trigger.h"
#include "seg-live-trigger-editor.h"
#include "seg-name-picker.h"
#include "seg-segments-util.h"
#include "seg-wrap-layout.h"

/*
 * The trigger of a live segment — what makes a user qualify the moment it happens. This
 * file is the one place that writes the trigger JSON (the "trigger" member of a live
 * definition), one shape per kind:
 *
 *   {"type":"action",     "event":E, "where":[FILTER...]}
 *   {"type":"inaction",   "event":A, "where":[...], "then":B, "within":{"n":10,"unit":"minutes"}}
 *   {"type":"date",       "event":E (absent: a user property), "property":P, "days_from_today":N}
 *   {"type":"page_visit", "url":{"op":"equals"|"contains"|"starts_with"|"matches","value":U}}
 *   {"type":"referrer",   "referrer":{"op":...,"value":R}}
 *   {"type":"page_count", "count":N, "within":{"n":30,"unit":"minutes"}}   (at least N)
 */

struct _SegLiveTriggerEditor
{
  GtkWidget       parent_instance;

  SegSchemaCache *cache;
  char           *type;
  GtkWidget      *box;
  GtkWidget      *event;
  GtkWidget      *where;
  GtkWidget      *other;
  GtkWidget      *property;
  GtkWidget      *op;
  GtkWidget      *text;
  GtkWidget      *n;
  GtkWidget      *within;
  GtkWidget      *unit;
};

G_DEFINE_FINAL_TYPE (SegLiveTriggerEditor, seg_live_trigger_editor, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const SegChoice url_ops[] = {
  { "equals", N_("is") }, { "contains", N_("contains") },
  { "starts_with", N_("starts with") }, { "ends_with", N_("ends with") },
  { "matches", N_("matches pattern") },
};

static void
emit_changed (SegLiveTriggerEditor *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
seg_live_trigger_editor_dispose (GObject *object)
{
  SegLiveTriggerEditor *self = SEG_LIVE_TRIGGER_EDITOR (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (seg_live_trigger_editor_parent_class)->dispose (object);
}

static void
seg_live_trigger_editor_finalize (GObject *object)
{
  g_free (SEG_LIVE_TRIGGER_EDITOR (object)->type);
  G_OBJECT_CLASS (seg_live_trigger_editor_parent_class)->finalize (object);
}

static void
seg_live_trigger_editor_class_init (SegLiveTriggerEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = seg_live_trigger_editor_dispose;
  G_OBJECT_CLASS (klass)->finalize = seg_live_trigger_editor_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
seg_live_trigger_editor_init (SegLiveTriggerEditor *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

static GtkWidget *
row (SegLiveTriggerEditor *self)
{
  GtkWidget *wrap = seg_wrap_box_new (6);

  gtk_box_append (GTK_BOX (self->box), wrap);
  return wrap;
}

static void
add_label (GtkWidget  *wrap,
           const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_box_append (GTK_BOX (wrap), label);
}

static GtkWidget *
event_picker (SegLiveTriggerEditor *self,
              const char           *placeholder)
{
  GtkWidget *picker = seg_name_picker_new (placeholder, FALSE);

  seg_name_picker_set_model (SEG_NAME_PICKER (picker), seg_schema_cache_get_events (self->cache),
                             seg_event_info_detail);
  g_signal_connect_swapped (picker, "changed", G_CALLBACK (emit_changed), self);
  return picker;
}

static void
event_changed_cb (SegLiveTriggerEditor *self)
{
  if (self->where != NULL)
    seg_filter_list_set_event (SEG_FILTER_LIST (self->where),
                               seg_name_picker_get_name (SEG_NAME_PICKER (self->event)));
}

static void
add_within (SegLiveTriggerEditor *self,
            GtkWidget            *wrap,
            double                n,
            const char           *unit)
{
  guint n_units;
  const SegChoice *units = seg_time_unit_choices (&n_units);

  self->within = seg_number_spin_new (1, 100000, 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->within), n);
  self->unit = seg_choice_drop_down_new (units, n_units);
  seg_choice_drop_down_set_id (self->unit, unit);
  gtk_box_append (GTK_BOX (wrap), self->within);
  gtk_box_append (GTK_BOX (wrap), self->unit);
  g_signal_connect_swapped (self->within, "value-changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->unit, "notify::selected", G_CALLBACK (emit_changed), self);
}

static void
add_text (SegLiveTriggerEditor *self,
          GtkWidget            *wrap,
          const char           *placeholder)
{
  self->op = seg_choice_drop_down_new (url_ops, G_N_ELEMENTS (url_ops));
  seg_choice_drop_down_set_id (self->op, "contains");
  self->text = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->text), placeholder);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->text), 24);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  placeholder, -1);
  gtk_box_append (GTK_BOX (wrap), self->op);
  gtk_box_append (GTK_BOX (wrap), self->text);
  g_signal_connect_swapped (self->op, "notify::selected", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->text, "changed", G_CALLBACK (emit_changed), self);
}

/**
 * seg_live_trigger_editor_new:
 * @type: "action", "inaction", "date", "page_visit", "referrer" or "page_count"
 *
 * Returns: (transfer floating): the fields of that trigger
 */
GtkWidget *
seg_live_trigger_editor_new (SegSchemaCache *cache,
                             const char     *type)
{
  SegLiveTriggerEditor *self = g_object_new (SEG_TYPE_LIVE_TRIGGER_EDITOR, NULL);
  GtkWidget *wrap;

  self->cache = g_object_ref (cache);
  self->type = g_strdup (type);
  if (g_str_equal (type, "action") || g_str_equal (type, "inaction"))
    {
      wrap = row (self);
      add_label (wrap, _("Users who do"));
      self->event = event_picker (self, _("Choose event…"));
      gtk_box_append (GTK_BOX (wrap), self->event);
      self->where = seg_filter_list_new (cache, _("Add _property filter"));
      g_signal_connect_swapped (self->where, "changed", G_CALLBACK (emit_changed), self);
      gtk_box_append (GTK_BOX (self->box), self->where);
      g_signal_connect_swapped (self->event, "changed", G_CALLBACK (event_changed_cb), self);
      if (g_str_equal (type, "inaction"))
        {
          wrap = row (self);
          add_label (wrap, _("and do not do"));
          self->other = event_picker (self, _("Choose event…"));
          gtk_box_append (GTK_BOX (wrap), self->other);
          add_label (wrap, _("within"));
          add_within (self, wrap, 10, "minutes");
        }
    }
  else if (g_str_equal (type, "date"))
    {
      wrap = row (self);
      add_label (wrap, _("Users whose date property"));
      self->property = seg_name_picker_new (_("Choose date property…"), FALSE);
      seg_name_picker_set_model (SEG_NAME_PICKER (self->property),
                                 seg_schema_cache_get_properties (cache, NULL), NULL);
      g_signal_connect_swapped (self->property, "changed", G_CALLBACK (emit_changed), self);
      gtk_box_append (GTK_BOX (wrap), self->property);
      add_label (wrap, _("is"));
      self->n = seg_number_spin_new (-3650, 3650, 0);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->n), 5);
      g_signal_connect_swapped (self->n, "value-changed", G_CALLBACK (emit_changed), self);
      gtk_box_append (GTK_BOX (wrap), self->n);
      add_label (wrap, _("days from today"));
    }
  else if (g_str_equal (type, "page_visit"))
    {
      wrap = row (self);
      add_label (wrap, _("Users who visit a page whose address"));
      add_text (self, wrap, _("Page address"));
    }
  else if (g_str_equal (type, "referrer"))
    {
      wrap = row (self);
      add_label (wrap, _("Users who arrive from a referrer whose address"));
      add_text (self, wrap, _("Referrer address"));
    }
  else if (g_str_equal (type, "page_count"))
    {
      wrap = row (self);
      add_label (wrap, _("Users who visit at least"));
      self->n = seg_number_spin_new (1, 100000, 0);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->n), 5);
      g_signal_connect_swapped (self->n, "value-changed", G_CALLBACK (emit_changed), self);
      gtk_box_append (GTK_BOX (wrap), self->n);
      add_label (wrap, _("pages within"));
      add_within (self, wrap, 30, "minutes");
    }
  return GTK_WIDGET (self);
}

const char *
seg_live_trigger_editor_get_type_id (SegLiveTriggerEditor *self)
{
  return self->type;
}

/**
 * seg_live_trigger_editor_get_filters:
 * Returns: (transfer none) (nullable): the event-property filters (a #SegFilterList) of
 *   the action and inaction triggers
 */
GtkWidget *
seg_live_trigger_editor_get_filters (SegLiveTriggerEditor *self)
{
  return self->where;
}

static JsonObject *
within_object (SegLiveTriggerEditor *self)
{
  JsonObject *w = json_object_new ();

  json_object_set_int_member (w, "n", (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->within)));
  json_object_set_string_member (w, "unit", seg_choice_drop_down_get_id (self->unit));
  return w;
}

/**
 * seg_live_trigger_editor_build:
 * Returns: (transfer full) (nullable): the trigger object, or %NULL with @error set
 */
JsonNode *
seg_live_trigger_editor_build (SegLiveTriggerEditor  *self,
                               char                 **error)
{
  g_autoptr(JsonObject) obj = json_object_new ();

  json_object_set_string_member (obj, "type", self->type);
  if (self->event != NULL)
    {
      const char *event = seg_name_picker_get_name (SEG_NAME_PICKER (self->event));
      JsonNode *where;

      if (event == NULL)
        {
          *error = g_strdup (_("Choose the event that makes users qualify"));
          return NULL;
        }
      json_object_set_string_member (obj, "event", event);
      where = seg_filter_list_build (SEG_FILTER_LIST (self->where), error);
      if (*error != NULL)
        return NULL;
      if (where != NULL)
        json_object_set_member (obj, "where", where);
    }
  if (self->other != NULL)
    {
      const char *other = seg_name_picker_get_name (SEG_NAME_PICKER (self->other));
      if (other == NULL)
        {
          *error = g_strdup (_("Choose the event users must not do in time"));
          return NULL;
        }
      json_object_set_string_member (obj, "then", other);
      json_object_set_object_member (obj, "within", within_object (self));
    }
  if (self->property != NULL)
    {
      const char *property = seg_name_picker_get_name (SEG_NAME_PICKER (self->property));
      if (property == NULL)
        {
          *error = g_strdup (_("Choose the date property"));
          return NULL;
        }
      json_object_set_string_member (obj, "property", property);
      json_object_set_int_member (obj, "days_from_today",
                                  (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->n)));
    }
  if (self->text != NULL)
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->text))));
      JsonObject *match;

      if (*text == '\0')
        {
          *error = g_strdup (_("Enter the address to match"));
          return NULL;
        }
      match = json_object_new ();
      json_object_set_string_member (match, "op", seg_choice_drop_down_get_id (self->op));
      json_object_set_string_member (match, "value", text);
      json_object_set_object_member (obj, g_str_equal (self->type, "referrer") ? "referrer" : "url", match);
    }
  if (g_str_equal (self->type, "page_count"))
    {
      json_object_set_int_member (obj, "count", (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->n)));
      json_object_set_object_member (obj, "within", within_object (self));
    }
  return json_node_init_object (json_node_alloc (), obj);
}

void
seg_live_trigger_editor_set_events (SegLiveTriggerEditor *self,
                                    const char           *event,
                                    const char           *other)
{
  if (self->event != NULL)
    seg_name_picker_set_name (SEG_NAME_PICKER (self->event), event);
  if (self->other != NULL)
    seg_name_picker_set_name (SEG_NAME_PICKER (self->other), other);
  if (self->property != NULL)
    seg_name_picker_set_name (SEG_NAME_PICKER (self->property), event);
}

void
seg_live_trigger_editor_set_text (SegLiveTriggerEditor *self,
                                  const char           *text)
{
  if (self->text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->text), text);
}

void
seg_live_trigger_editor_set_numbers (SegLiveTriggerEditor *self,
                                     double                n,
                                     double                within)
{
  if (self->n != NULL)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->n), n);
  if (self->within != NULL)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->within), within);
}

/* Fills the fields from a trigger this editor built (editing a saved live segment). */
void
seg_live_trigger_editor_load (SegLiveTriggerEditor *self,
                              JsonNode             *trigger)
{
  JsonObject *obj;

  if (trigger == NULL || !JSON_NODE_HOLDS_OBJECT (trigger))
    return;
  obj = json_node_get_object (trigger);
  if (self->where != NULL)
    {
      g_autoptr(SegLiveTrigger) parsed = seg_live_trigger_new_from_node (trigger, NULL);

      seg_filter_list_load (SEG_FILTER_LIST (self->where), parsed ? parsed->where : NULL);
    }
  seg_live_trigger_editor_set_events (self,
                                      json_object_get_string_member_with_default (obj, "event",
                                        json_object_get_string_member_with_default (obj, "property", NULL)),
                                      json_object_get_string_member_with_default (obj, "then", NULL));
  if (json_object_has_member (obj, "within") && self->within != NULL)
    {
      JsonObject *w = json_object_get_object_member (obj, "within");
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->within), json_object_get_int_member_with_default (w, "n", 10));
      seg_choice_drop_down_set_id (self->unit, json_object_get_string_member_with_default (w, "unit", "minutes"));
    }
  if (self->n != NULL)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->n),
                               (double) json_object_get_int_member_with_default (obj,
                                 g_str_equal (self->type, "page_count") ? "count" : "days_from_today", 5));
  if (self->text != NULL)
    {
      JsonObject *m = json_object_get_object_member (obj, g_str_equal (self->type, "referrer") ? "referrer" : "url");
      if (m != NULL)
        {
          seg_choice_drop_down_set_id (self->op, json_object_get_string_member_with_default (m, "op", "contains"));
          seg_live_trigger_editor_set_text (self, json_object_get_string_member_with_default (m, "value", ""));
        }
    }
}

static const char *
picked (GtkWidget *picker)
{
  const char *name = picker ? seg_name_picker_get_name (SEG_NAME_PICKER (picker)) : NULL;
  return name ? name : "…";
}

/**
 * seg_live_trigger_editor_describe:
 *
 * Returns: (transfer full): the trigger in plain language, for the summary
 */
char *
seg_live_trigger_editor_describe (SegLiveTriggerEditor *self)
{
  const char *text = self->text ? gtk_editable_get_text (GTK_EDITABLE (self->text)) : NULL;
  const char *op = self->op ? seg_choice_drop_down_get_id (self->op) : NULL;
  gint64 n = self->n ? (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->n)) : 0;
  gint64 within = self->within ? (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->within)) : 0;
  SegTimeUnit unit = SEG_TIME_UNIT_MINUTES;

  if (self->unit != NULL)
    seg_time_unit_from_id (seg_choice_drop_down_get_id (self->unit), &unit);
  if (g_str_equal (self->type, "action"))
    return g_strdup_printf (_("Users join the moment they do %s"), picked (self->event));
  if (g_str_equal (self->type, "inaction"))
    return g_strdup_printf (_("Users join when they do %s and do not do %s within %" G_GINT64_FORMAT " %s"),
                            picked (self->event), picked (self->other), within, seg_time_unit_label (unit));
  if (g_str_equal (self->type, "date"))
    return g_strdup_printf (_("Users join when their %s is %" G_GINT64_FORMAT " days from today"),
                            picked (self->property), n);
  if (g_str_equal (self->type, "page_visit"))
    return g_strdup_printf (_("Users join when they visit a page whose address %s “%s”"),
                            g_str_equal (op, "equals") ? _("is") : op ? op : "", text);
  if (g_str_equal (self->type, "referrer"))
    return g_strdup_printf (_("Users join when they arrive from a referrer whose address %s “%s”"),
                            g_str_equal (op, "equals") ? _("is") : op ? op : "", text);
  return g_strdup_printf (_("Users join when they visit at least %" G_GINT64_FORMAT " pages within %" G_GINT64_FORMAT " %s"),
                          n, within, seg_time_unit_label (unit));
}
