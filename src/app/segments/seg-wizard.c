/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-wizard"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "live/seg-live-trigger.h"
#include "seg-custom-list-editor.h"
#include "seg-event-rule.h"
#include "seg-live-trigger-editor.h"
#include "seg-name-picker.h"
#include "seg-reach-panel.h"
#include "seg-group-rule.h"
#include "seg-schema-cache.h"
#include "seg-segment-chooser.h"
#include "seg-segment.h"
#include "seg-segments-util.h"
#include "seg-type-tile.h"
#include "seg-user-rule.h"
#include "seg-wizard.h"

/*
 * The segment creation flow: 1. the kind of segment (tiles), 2. its rules with a
 * plain-language summary and the estimated reach updating as you edit, 3. name and
 * description. Every rule widget builds its piece of the definition JSON; the wizard
 * assembles it, parses and validates it with the core (SegDefinition), shows each error
 * next to the rule its JSON path points at, and saves through the store. Editing a saved
 * segment loads its definition back into the same widgets.
 */

struct _SegWizard
{
  GtkWidget        parent_instance;

  SegStore        *store;
  SegSchemaCache  *cache;
  GCancellable    *cancellable;
  SegSegment      *editing;
  char            *type_id;
  SegSegmentKind   kind;
  SegDefinition   *definition;
  char            *summary;
  char            *error;
  guint            refresh_id;
  gboolean         saving;

  SegGroupRule         *root;
  SegSegmentChooser    *include;
  SegSegmentChooser    *exclude;
  SegLiveTriggerEditor *trigger;
  SegCustomListEditor  *custom;
  SegReachPanel        *reach;

  /* Template children. */
  GtkWidget *content;
  GtkWidget *stack;
  GtkWidget *step_title;
  GtkWidget *step_subtitle;
  GtkWidget *cancel_button;
  GtkWidget *back_button;
  GtkWidget *next_button;
  GtkWidget *save_button;
  GtkWidget *past_tiles;
  GtkWidget *live_tiles;
  GtkWidget *other_tiles;
  GtkWidget *rules_box;
  GtkWidget *trigger_box;
  GtkWidget *trigger_title;
  GtkWidget *trigger_error;
  GtkWidget *filter_check;
  GtkWidget *match_box;
  GtkWidget *custom_box;
  GtkWidget *segments_box;
  GtkWidget *include_box;
  GtkWidget *include_label;
  GtkWidget *exclude_box;
  GtkWidget *exclude_label;
  GtkWidget *summary_box;
  GtkWidget *summary_label;
  GtkWidget *error_label;
  GtkWidget *name_row;
  GtkWidget *description_row;
  GtkWidget *save_summary;
  GtkWidget *save_reach_box;
  GtkWidget *save_error;
};

G_DEFINE_FINAL_TYPE (SegWizard, seg_wizard, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STORE, N_PROPS };
enum { SAVED, CANCELLED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  const char     *id;
  SegSegmentKind  kind;
  const char     *trigger;     /* live trigger type */
  const char     *title;
} TypeInfo;

static const TypeInfo types[] = {
  { "action", SEG_SEGMENT_KIND_PAST_BEHAVIOR, NULL, N_("Action") },
  { "action-inaction", SEG_SEGMENT_KIND_PAST_BEHAVIOR, NULL, N_("Action/inaction combination") },
  { "user-properties", SEG_SEGMENT_KIND_PAST_BEHAVIOR, NULL, N_("With user properties") },
  { "live-action", SEG_SEGMENT_KIND_LIVE, "action", N_("Single action") },
  { "live-inaction", SEG_SEGMENT_KIND_LIVE, "inaction", N_("Inaction within time") },
  { "live-date", SEG_SEGMENT_KIND_LIVE, "date", N_("On a date/time") },
  { "live-page-visit", SEG_SEGMENT_KIND_LIVE, "page_visit", N_("Page visit") },
  { "live-referrer", SEG_SEGMENT_KIND_LIVE, "referrer", N_("Referrer entry") },
  { "live-page-count", SEG_SEGMENT_KIND_LIVE, "page_count", N_("Page count") },
  { "custom-list", SEG_SEGMENT_KIND_CUSTOM_LIST, NULL, N_("Custom list") },
};

static const TypeInfo *
find_type (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_strcmp0 (types[i].id, id) == 0)
      return &types[i];
  return NULL;
}

/* Steps. */

static void
update_buttons (SegWizard *self)
{
  const char *step = seg_wizard_get_step (self);
  gboolean on_type = g_str_equal (step, "type");
  gboolean on_rules = g_str_equal (step, "rules");
  gboolean on_save = g_str_equal (step, "save");
  const TypeInfo *type = find_type (self->type_id);

  gtk_widget_set_visible (self->back_button, on_save || (on_rules && self->editing == NULL));
  gtk_widget_set_visible (self->next_button, on_rules);
  gtk_widget_set_visible (self->save_button, on_save);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back",
                                 on_save || (on_rules && self->editing == NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", on_rules && self->definition != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.save", seg_wizard_can_save (self));

  if (on_type)
    {
      gtk_label_set_text (GTK_LABEL (self->step_title), _("New Segment"));
      gtk_label_set_text (GTK_LABEL (self->step_subtitle), _("Step 1 of 3 · Type"));
    }
  else if (on_rules)
    {
      gtk_label_set_text (GTK_LABEL (self->step_title),
                          self->editing ? seg_segment_get_name (self->editing)
                                        : type ? _(type->title) : _("New Segment"));
      gtk_label_set_text (GTK_LABEL (self->step_subtitle), _("Step 2 of 3 · Rules"));
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->step_title),
                          self->editing ? seg_segment_get_name (self->editing) : _("Save Segment"));
      gtk_label_set_text (GTK_LABEL (self->step_subtitle), _("Step 3 of 3 · Name"));
    }
}

static void
move_reach (SegWizard *self,
            GtkWidget *to)
{
  GtkWidget *panel = GTK_WIDGET (self->reach);
  GtkWidget *from = gtk_widget_get_parent (panel);

  if (from == to)
    return;
  g_object_ref (panel);
  gtk_box_remove (GTK_BOX (from), panel);
  gtk_box_append (GTK_BOX (to), panel);
  g_object_unref (panel);
}

static void
show_step (SegWizard  *self,
           const char *step)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), step);
  move_reach (self, g_str_equal (step, "save") ? self->save_reach_box : self->summary_box);
  update_buttons (self);
  if (g_str_equal (step, "save"))
    {
      gtk_label_set_text (GTK_LABEL (self->save_summary), self->summary);
      gtk_widget_grab_focus (self->name_row);
    }
  else if (g_str_equal (step, "type"))
    gtk_widget_child_focus (self->past_tiles, GTK_DIR_TAB_FORWARD);
  else
    gtk_widget_child_focus (self->rules_box, GTK_DIR_TAB_FORWARD);
}

const char *
seg_wizard_get_step (SegWizard *self)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

/* Building and validating. */

/* The core names segments by id ("segment “seg-1a2b” includes…"); a marketer knows
 * them by name: each quoted id of a known segment becomes its quoted name. */
static char *
name_segments (SegWizard  *self,
               const char *message)
{
  GString *out = g_string_new (NULL);
  const char *p = message;
  const char *open;

  while ((open = strstr (p, "“")) != NULL)
    {
      const char *start = open + strlen ("“");
      const char *close = strstr (start, "”");
      g_autofree char *id = NULL;
      g_autofree char *name = NULL;

      if (close == NULL)
        break;
      id = g_strndup (start, close - start);
      name = seg_schema_cache_segment_name (self->cache, id);
      g_string_append_len (out, p, start - p);
      g_string_append (out, name != NULL ? name : id);
      p = close;
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

static void
show_error_at (SegWizard  *self,
               GHashTable *paths,
               const char *raw_message)
{
  g_autofree char *message = name_segments (self, raw_message);
  const char *colon = strstr (message, ": ");
  g_autofree char *path = colon && g_str_has_prefix (message, "$") ? g_strndup (message, colon - message) : NULL;
  SegRuleEditor *best = NULL;
  gsize best_len = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, paths);
  while (path != NULL && g_hash_table_iter_next (&iter, &key, &value))
    {
      gsize len = strlen (key);
      if (g_str_has_prefix (path, key) && (path[len] == '\0' || path[len] == '.' || path[len] == '[') &&
          len > best_len)
        {
          best = value;
          best_len = len;
        }
    }
  if (best != NULL)
    seg_rule_editor_set_error (best, colon + 2);
  else
    {
      g_free (self->error);
      self->error = g_strdup (path != NULL ? colon + 2 : message);
    }
}

static void
add_strv (JsonObject         *obj,
          const char         *member,
          const char * const *strv)
{
  JsonArray *array;

  if (strv == NULL || strv[0] == NULL)
    return;
  array = json_array_new ();
  for (guint i = 0; strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  json_object_set_array_member (obj, member, array);
}

static JsonNode *
build_json (SegWizard  *self,
            GHashTable *paths,
            char      **local_error)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  const TypeInfo *type = find_type (self->type_id);
  gboolean complete = TRUE;

  json_object_set_int_member (obj, "version", SEG_DEFINITION_VERSION);
  json_object_set_string_member (obj, "kind", seg_segment_kind_to_string (type ? type->kind : self->kind));
  if (self->kind == SEG_SEGMENT_KIND_CUSTOM_LIST)
    {
      g_auto(GStrv) users = seg_custom_list_editor_dup_users (self->custom);
      if (users[0] == NULL)
        {
          *local_error = g_strdup (_("Add the IDs of the users in the list"));
          return NULL;
        }
      json_object_set_array_member (obj, "users", json_array_new ());
      add_strv (obj, "users", (const char * const *) users);
      return json_node_init_object (json_node_alloc (), obj);
    }
  if (self->kind == SEG_SEGMENT_KIND_LIVE)
    {
      g_autofree char *trigger_error = NULL;
      JsonNode *trigger = seg_live_trigger_editor_build (self->trigger, &trigger_error);

      gtk_label_set_text (GTK_LABEL (self->trigger_error), trigger_error);
      gtk_widget_set_visible (self->trigger_error, trigger_error != NULL);
      if (trigger == NULL)
        complete = FALSE;
      else
        json_object_set_member (obj, "trigger", trigger);
      /* Past behavior and user properties filter the stream: the trigger's "filter". */
      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->filter_check)))
        {
          JsonNode *filter = seg_rule_editor_build (SEG_RULE_EDITOR (self->root), "$.trigger.filter", paths);
          if (filter == NULL)
            complete = FALSE;
          else if (trigger != NULL)
            json_object_set_member (json_node_get_object (trigger), "filter", filter);
          else
            json_node_unref (filter);
        }
    }
  if (self->kind == SEG_SEGMENT_KIND_PAST_BEHAVIOR)
    {
      JsonNode *match = seg_rule_editor_build (SEG_RULE_EDITOR (self->root), "$.match", paths);
      if (match == NULL)
        complete = FALSE;
      else
        json_object_set_member (obj, "match", match);
    }
  if (self->kind == SEG_SEGMENT_KIND_PAST_BEHAVIOR)
    {
      g_auto(GStrv) include = seg_segment_chooser_dup_ids (self->include);
      g_auto(GStrv) exclude = seg_segment_chooser_dup_ids (self->exclude);
      add_strv (obj, "include", (const char * const *) include);
      add_strv (obj, "exclude", (const char * const *) exclude);
    }
  if (!complete)
    return NULL;
  return json_node_init_object (json_node_alloc (), obj);
}

/**
 * seg_wizard_build_json:
 * Returns: (transfer full) (nullable): the definition JSON the widgets express, with the
 *   live trigger, or %NULL while a rule is incomplete
 */
JsonNode *
seg_wizard_build_json (SegWizard *self)
{
  g_autofree char *error = NULL;

  return build_json (self, NULL, &error);
}

static const char *
self_id (SegWizard *self)
{
  return self->editing ? seg_segment_get_id (self->editing) : NULL;
}

/* Rebuilds the definition from the widgets: errors inline, summary, estimate. */
void
seg_wizard_refresh (SegWizard *self)
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *local_error = NULL;
  g_autoptr(SegDefinition) def = NULL;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->definition, seg_definition_unref);
  g_clear_pointer (&self->error, g_free);
  if (self->type_id == NULL)
    return;

  seg_rule_editor_clear_errors (SEG_RULE_EDITOR (self->root));
  node = build_json (self, paths, &local_error);
  if (node != NULL)
    {
      def = seg_definition_new_from_node (node, &error);
      if (def != NULL &&
          !seg_definition_validate (def, self_id (self), seg_schema_cache_resolve_cb,
                                    seg_schema_cache_property_type_cb, self->cache, &error))
        g_clear_pointer (&def, seg_definition_unref);
      if (error != NULL)
        show_error_at (self, paths, error->message);
    }
  else if (local_error != NULL)
    self->error = g_strdup (local_error);

  if (def != NULL)
    {
      self->definition = seg_definition_ref (def);
      g_free (self->summary);
      self->summary = seg_definition_summarize (def, seg_schema_cache_segment_name_cb, self->cache);
    }
  else if (self->kind != SEG_SEGMENT_KIND_LIVE || error == NULL)
    {
      g_free (self->summary);
      self->summary = g_strdup (_("Finish the rules above to see who is in the segment."));
    }
  gtk_label_set_text (GTK_LABEL (self->summary_label), self->summary);
  gtk_label_set_text (GTK_LABEL (self->save_summary), self->summary);
  gtk_label_set_text (GTK_LABEL (self->error_label), self->error);
  gtk_widget_set_visible (self->error_label, self->error != NULL);
  seg_reach_panel_request (self->reach, self->definition);
  update_buttons (self);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  SegWizard *self = user_data;

  self->refresh_id = 0;
  seg_wizard_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Edits come in bursts (a drop-down changes, a row appears): rebuild once per burst,
 * before the next frame is drawn (a lower priority waits behind layout and drawing on a
 * busy machine, and the summary would lag the edit by a frame or more). */
static void
schedule_refresh (SegWizard *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_idle_cb, self, NULL);
}

/* Types. */

static void
clear_kind_widgets (SegWizard *self)
{
  seg_group_rule_clear (self->root);
  seg_group_rule_set_any (self->root, FALSE);
  seg_segment_chooser_set_ids (self->include, NULL);
  seg_segment_chooser_set_ids (self->exclude, NULL);
  seg_custom_list_editor_set_text (self->custom, "");
  if (self->trigger != NULL)
    {
      gtk_box_remove (GTK_BOX (self->trigger_box), GTK_WIDGET (self->trigger));
      self->trigger = NULL;
    }
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->filter_check), FALSE);
}

static void
setup_kind (SegWizard      *self,
            const TypeInfo *type)
{
  gboolean live = type->kind == SEG_SEGMENT_KIND_LIVE;
  gboolean past = type->kind == SEG_SEGMENT_KIND_PAST_BEHAVIOR;

  g_free (self->type_id);
  self->type_id = g_strdup (type->id);
  self->kind = type->kind;
  gtk_widget_set_visible (self->trigger_box, live);
  gtk_widget_set_visible (self->filter_check, live);
  gtk_widget_set_visible (self->match_box, past || gtk_check_button_get_active (GTK_CHECK_BUTTON (self->filter_check)));
  gtk_widget_set_visible (self->segments_box, past);
  gtk_widget_set_visible (self->custom_box, type->kind == SEG_SEGMENT_KIND_CUSTOM_LIST);
  if (live)
    {
      gtk_label_set_text (GTK_LABEL (self->trigger_title), _(type->title));
      self->trigger = SEG_LIVE_TRIGGER_EDITOR (seg_live_trigger_editor_new (self->cache, type->trigger));
      g_signal_connect_swapped (self->trigger, "changed", G_CALLBACK (schedule_refresh), self);
      gtk_box_insert_child_after (GTK_BOX (self->trigger_box), GTK_WIDGET (self->trigger), self->trigger_title);
    }
}

/**
 * seg_wizard_choose_type:
 * @type_id: a tile's kind id ("action", "action-inaction", "user-properties",
 *   "live-action", ..., "custom-list")
 *
 * Starts a new segment of that type with its usual first rules, as clicking its tile does.
 */
gboolean
seg_wizard_choose_type (SegWizard  *self,
                        const char *type_id)
{
  const TypeInfo *type = find_type (type_id);

  if (type == NULL)
    return FALSE;
  clear_kind_widgets (self);
  setup_kind (self, type);
  if (g_str_equal (type_id, "action") || g_str_equal (type_id, "action-inaction") ||
      g_str_equal (type_id, "user-properties"))
    {
      seg_group_rule_add_rule (self->root, "event");
      if (!g_str_equal (type_id, "action"))
        seg_event_rule_set_mode (SEG_EVENT_RULE (seg_group_rule_add_rule (self->root, "event")), "did_not");
      if (g_str_equal (type_id, "user-properties"))
        seg_group_rule_add_rule (self->root, "user");
    }
  else if (type->kind == SEG_SEGMENT_KIND_LIVE)
    seg_group_rule_add_rule (self->root, "event");
  seg_wizard_refresh (self);
  show_step (self, "rules");
  /* The first thing to do is to choose the event: start there. */
  if (seg_group_rule_get_n_rules (self->root) > 0 && SEG_IS_EVENT_RULE (seg_group_rule_get_rule (self->root, 0)))
    gtk_widget_grab_focus (seg_name_picker_get_button (SEG_NAME_PICKER (
      seg_event_rule_get_event_picker (SEG_EVENT_RULE (seg_group_rule_get_rule (self->root, 0))))));
  return TRUE;
}

static void
tile_activated_cb (GtkFlowBox      *box,
                   GtkFlowBoxChild *child,
                   SegWizard       *self)
{
  SegTypeTile *tile = SEG_TYPE_TILE (gtk_flow_box_child_get_child (child));

  seg_wizard_choose_type (self, seg_type_tile_get_kind_id (tile));
}

static void
filter_toggled_cb (SegWizard *self)
{
  gboolean on = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->filter_check));

  if (self->kind == SEG_SEGMENT_KIND_LIVE)
    gtk_widget_set_visible (self->match_box, on);
  schedule_refresh (self);
}

/**
 * seg_wizard_start:
 *
 * Resets the wizard to a new segment, on the type step.
 */
void
seg_wizard_start (SegWizard *self)
{
  g_clear_object (&self->editing);
  g_clear_pointer (&self->type_id, g_free);
  clear_kind_widgets (self);
  seg_segment_chooser_set_self_id (self->include, NULL);
  seg_segment_chooser_set_self_id (self->exclude, NULL);
  seg_wizard_set_name (self, "", "");
  gtk_widget_set_visible (self->save_error, FALSE);
  g_clear_pointer (&self->definition, seg_definition_unref);
  show_step (self, "type");
}

/**
 * seg_wizard_edit:
 * @segment: a saved segment
 *
 * Opens @segment's definition in the rule builder; saving updates it in place.
 */
void
seg_wizard_edit (SegWizard  *self,
                 SegSegment *segment)
{
  SegDefinition *def = seg_segment_get_definition (segment);
  SegSegmentKind kind = seg_segment_get_kind (segment);
  const SegRule *match;

  g_return_if_fail (def != NULL && kind != SEG_SEGMENT_KIND_SYSTEM);

  g_set_object (&self->editing, segment);
  clear_kind_widgets (self);
  if (kind == SEG_SEGMENT_KIND_LIVE)
    {
      JsonNode *node = seg_definition_get_trigger (def);
      g_autoptr(SegLiveTrigger) trigger = node ? seg_live_trigger_new_from_node (node, NULL) : NULL;
      g_autofree char *type_id = NULL;

      g_return_if_fail (trigger != NULL);
      type_id = g_strdup_printf ("live-%s", seg_live_trigger_type_to_string (trigger->type));
      g_strdelimit (type_id, "_", '-');
      setup_kind (self, find_type (type_id) ? find_type (type_id) : find_type ("live-action"));
      seg_live_trigger_editor_load (self->trigger, node);
      match = trigger->filter != NULL ? seg_definition_get_match (trigger->filter) : NULL;
      if (match != NULL)
        {
          seg_rule_editor_load (SEG_RULE_EDITOR (self->root), match);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (self->filter_check), TRUE);
        }
    }
  else
    {
      setup_kind (self, find_type (kind == SEG_SEGMENT_KIND_CUSTOM_LIST ? "custom-list" : "action"));
      match = seg_definition_get_match (def);
      if (match != NULL)
        seg_rule_editor_load (SEG_RULE_EDITOR (self->root), match);
    }
  seg_segment_chooser_set_self_id (self->include, seg_segment_get_id (segment));
  seg_segment_chooser_set_self_id (self->exclude, seg_segment_get_id (segment));
  seg_segment_chooser_set_ids (self->include, seg_definition_get_include (def));
  seg_segment_chooser_set_ids (self->exclude, seg_definition_get_exclude (def));
  if (kind == SEG_SEGMENT_KIND_CUSTOM_LIST)
    seg_custom_list_editor_set_users (self->custom, seg_definition_get_users (def));
  seg_wizard_set_name (self, seg_segment_get_name (segment), seg_segment_get_description (segment));
  gtk_widget_set_visible (self->save_error, FALSE);
  seg_wizard_refresh (self);
  show_step (self, "rules");
}

/* Saving. */

/* Whether an edit is waiting to be turned into a definition. */
gboolean
seg_wizard_is_refresh_pending (SegWizard *self)
{
  return self->refresh_id != 0;
}

gboolean
seg_wizard_can_save (SegWizard *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  return self->definition != NULL && *stripped != '\0' && !self->saving;
}

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SegWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegSegment) saved = seg_store_save_segment_finish (SEG_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->saving = FALSE;
  if (saved == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->save_error), error->message);
      gtk_widget_set_visible (self->save_error, TRUE);
      update_buttons (self);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, saved);
  g_clear_object (&self->editing);
  update_buttons (self);
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SegWizard *self = SEG_WIZARD (widget);
  g_autoptr(SegSegment) seg = NULL;
  g_autofree char *name = NULL;

  if (!seg_wizard_can_save (self))
    return;
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  if (self->editing != NULL)
    {
      seg = seg_segment_copy (self->editing);
      seg_segment_set_name (seg, name);
      seg_segment_set_definition (seg, self->definition);
    }
  else
    seg = seg_segment_new (NULL, name, self->definition);
  seg_segment_set_description (seg, gtk_editable_get_text (GTK_EDITABLE (self->description_row)));
  self->saving = TRUE;
  gtk_widget_set_visible (self->save_error, FALSE);
  update_buttons (self);
  seg_store_save_segment_async (self->store, seg, self->cancellable, save_cb, g_object_ref (self));
}

static void
next_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SegWizard *self = SEG_WIZARD (widget);

  if (g_str_equal (seg_wizard_get_step (self), "rules") && self->definition != NULL)
    show_step (self, "save");
}

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SegWizard *self = SEG_WIZARD (widget);
  const char *step = seg_wizard_get_step (self);

  if (g_str_equal (step, "save"))
    show_step (self, "rules");
  else if (g_str_equal (step, "rules") && self->editing == NULL)
    show_step (self, "type");
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SegWizard *self = SEG_WIZARD (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->saving = FALSE;
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
add_rule_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SegWizard *self = SEG_WIZARD (widget);
  SegRuleEditor *rule;

  if (!g_str_equal (seg_wizard_get_step (self), "rules") || !gtk_widget_get_visible (self->match_box))
    return;
  rule = seg_group_rule_add_rule (self->root, g_variant_get_string (parameter, NULL));
  if (rule != NULL)
    gtk_widget_child_focus (GTK_WIDGET (rule), GTK_DIR_TAB_FORWARD);
}

static void
name_changed_cb (SegWizard *self)
{
  update_buttons (self);
}

static void
name_activated_cb (SegWizard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.save", NULL);
}

/* GObject. */

static void
seg_wizard_constructed (GObject *object)
{
  SegWizard *self = SEG_WIZARD (object);

  G_OBJECT_CLASS (seg_wizard_parent_class)->constructed (object);

  self->cache = seg_schema_cache_new (self->store);
  self->root = SEG_GROUP_RULE (seg_group_rule_new (self->cache));
  seg_rule_editor_set_removable (SEG_RULE_EDITOR (self->root), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->root), "seg-root-group");
  g_signal_connect_swapped (self->root, "changed", G_CALLBACK (schedule_refresh), self);
  gtk_box_append (GTK_BOX (self->match_box), GTK_WIDGET (self->root));

  self->include = SEG_SEGMENT_CHOOSER (seg_segment_chooser_new (self->cache, _("Add segment to include…")));
  self->exclude = SEG_SEGMENT_CHOOSER (seg_segment_chooser_new (self->cache, _("Add segment to exclude…")));
  gtk_widget_set_hexpand (GTK_WIDGET (self->include), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->exclude), TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->include_label),
                                 seg_name_picker_get_button (SEG_NAME_PICKER (seg_segment_chooser_get_picker (self->include))));
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->exclude_label),
                                 seg_name_picker_get_button (SEG_NAME_PICKER (seg_segment_chooser_get_picker (self->exclude))));
  g_signal_connect_swapped (self->include, "changed", G_CALLBACK (schedule_refresh), self);
  g_signal_connect_swapped (self->exclude, "changed", G_CALLBACK (schedule_refresh), self);
  gtk_box_append (GTK_BOX (self->include_box), GTK_WIDGET (self->include));
  gtk_box_append (GTK_BOX (self->exclude_box), GTK_WIDGET (self->exclude));

  self->custom = SEG_CUSTOM_LIST_EDITOR (seg_custom_list_editor_new ());
  g_signal_connect_swapped (self->custom, "changed", G_CALLBACK (schedule_refresh), self);
  gtk_box_append (GTK_BOX (self->custom_box), GTK_WIDGET (self->custom));

  self->reach = SEG_REACH_PANEL (seg_reach_panel_new (self->store));
  gtk_box_append (GTK_BOX (self->summary_box), GTK_WIDGET (self->reach));

  seg_wizard_start (self);
}

static void
seg_wizard_dispose (GObject *object)
{
  SegWizard *self = SEG_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEG_TYPE_WIZARD);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->editing);
  g_clear_object (&self->cache);
  g_clear_object (&self->store);
  g_clear_pointer (&self->definition, seg_definition_unref);
  G_OBJECT_CLASS (seg_wizard_parent_class)->dispose (object);
}

static void
seg_wizard_finalize (GObject *object)
{
  SegWizard *self = SEG_WIZARD (object);

  g_free (self->type_id);
  g_free (self->summary);
  g_free (self->error);
  G_OBJECT_CLASS (seg_wizard_parent_class)->finalize (object);
}

static void
seg_wizard_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SegWizard *self = SEG_WIZARD (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_wizard_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SegWizard *self = SEG_WIZARD (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_wizard_class_init (SegWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = seg_wizard_constructed;
  object_class->dispose = seg_wizard_dispose;
  object_class->finalize = seg_wizard_finalize;
  object_class->set_property = seg_wizard_set_property;
  object_class->get_property = seg_wizard_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SEG_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SegWizard::saved:
   * @segment: the segment as the store saved it
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, SEG_TYPE_SEGMENT);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  seg_segments_ensure_resources ();
  g_type_ensure (SEG_TYPE_TYPE_TILE);
  g_type_ensure (ADW_TYPE_CLAMP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/segmentstudio/SegmentStudio/segments/seg-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, SegWizard, content);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, step_title);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, step_subtitle);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, save_button);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, past_tiles);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, live_tiles);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, other_tiles);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, rules_box);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, trigger_box);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, trigger_title);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, trigger_error);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, filter_check);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, match_box);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, custom_box);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, segments_box);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, include_box);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, include_label);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, exclude_box);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, exclude_label);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, summary_box);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, error_label);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, name_row);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, description_row);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, save_summary);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, save_reach_box);
  gtk_widget_class_bind_template_child (widget_class, SegWizard, save_error);
  gtk_widget_class_bind_template_callback (widget_class, tile_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_activated_cb);

  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action_cb);
  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action_cb);
  gtk_widget_class_install_action (widget_class, "wizard.save", NULL, save_action_cb);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, cancel_action_cb);
  gtk_widget_class_install_action (widget_class, "wizard.add-rule", "s", add_rule_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "wizard.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "wizard.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "wizard.add-rule", "s", "event");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "wizard.add-rule", "s", "user");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "wizard.add-rule", "s", "group");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "segwizard");
}

static void
seg_wizard_init (SegWizard *self)
{
  self->cancellable = g_cancellable_new ();
  seg_segments_ensure_style ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * seg_wizard_new:
 * @store: the store to build segments over and save them to
 *
 * Returns: (transfer floating): a new wizard, on the type step
 */
GtkWidget *
seg_wizard_new (SegStore *store)
{
  return g_object_new (SEG_TYPE_WIZARD, "store", store, NULL);
}

const char *
seg_wizard_get_type_id (SegWizard *self)
{
  return self->type_id;
}

SegGroupRule *
seg_wizard_get_root_group (SegWizard *self)
{
  return self->root;
}

SegSegmentChooser *
seg_wizard_get_include (SegWizard *self)
{
  return self->include;
}

SegSegmentChooser *
seg_wizard_get_exclude (SegWizard *self)
{
  return self->exclude;
}

/**
 * seg_wizard_get_trigger:
 * Returns: (transfer none) (nullable): the live trigger editor, for live kinds
 */
SegLiveTriggerEditor *
seg_wizard_get_trigger (SegWizard *self)
{
  return self->trigger;
}

/**
 * seg_wizard_set_stream_filter:
 *
 * For live kinds: whether the stream is filtered by past behavior and user properties
 * (the rules of the root group), as the "Filter this stream" check button says.
 */
void
seg_wizard_set_stream_filter (SegWizard *self,
                              gboolean   filter)
{
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->filter_check), filter);
}

SegCustomListEditor *
seg_wizard_get_custom_list (SegWizard *self)
{
  return self->custom;
}

SegReachPanel *
seg_wizard_get_reach_panel (SegWizard *self)
{
  return self->reach;
}

GtkWidget *
seg_wizard_get_name_row (SegWizard *self)
{
  return self->name_row;
}

SegSchemaCache *
seg_wizard_get_cache (SegWizard *self)
{
  return self->cache;
}

/**
 * seg_wizard_get_definition:
 * Returns: (transfer none) (nullable): the valid definition the rules express, or %NULL
 */
SegDefinition *
seg_wizard_get_definition (SegWizard *self)
{
  return self->definition;
}

const char *
seg_wizard_get_summary (SegWizard *self)
{
  return self->summary;
}

/**
 * seg_wizard_get_error:
 * Returns: (nullable): the error not tied to one rule (include cycle, live segment, ...)
 */
const char *
seg_wizard_get_error (SegWizard *self)
{
  return self->error;
}

void
seg_wizard_set_name (SegWizard  *self,
                     const char *name,
                     const char *description)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), description ? description : "");
}
