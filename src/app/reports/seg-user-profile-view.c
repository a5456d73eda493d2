/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-user-profile-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "report/seg-user-lookup.h"
#include "seg-report-format.h"
#include "seg-report-resources.h"
#include "seg-segment.h"
#include "seg-timeline-item.h"
#include "seg-user-profile-view.h"
#include "seg-user-profile.h"

/**
 * SegUserProfileView:
 *
 * One user: the segments the user is in, the profile properties, and the activity
 * timeline (newest first, with a heading per day) in a virtualised list. The user is
 * found by id (from a report's lists) or by id or email from the search entry.
 */
struct _SegUserProfileView
{
  GtkWidget        parent_instance;

  SegStore        *store;
  SegUserProfile  *profile;
  GListModel      *segments;
  GListStore      *timeline;
  GCancellable    *cancellable;
  guint            pending;

  GtkSearchEntry  *search_entry;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  AdwStatusPage   *error_page;
  AdwAvatar       *avatar;
  GtkLabel        *id_label;
  GtkLabel        *subtitle_label;
  AdwViewStack    *view_stack;
  GtkLabel        *segments_heading;
  GtkListBox      *segments_list;
  GtkListBox      *properties_list;
  GtkListView     *timeline_list;
};

G_DEFINE_FINAL_TYPE (SegUserProfileView, seg_user_profile_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STORE, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
begin_work (SegUserProfileView *self)
{
  if (self->pending++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
end_work (SegUserProfileView *self)
{
  if (--self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
clear_list_box (GtkListBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_list_box_remove (box, child);
}

static char *
node_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      GString *s = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          g_autofree char *item = node_text (json_array_get_element (a, i));
          if (i > 0)
            g_string_append (s, ", ");
          g_string_append (s, item);
        }
      return g_string_free (s, FALSE);
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_to_string (node, FALSE);
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN: return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
    case G_TYPE_INT64: return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE: return g_strdup_printf ("%g", json_node_get_double (node));
    default: return g_strdup ("");
    }
}

/* A profile property's text when it is a string: other types never name a person. */
static const char *
prop_string (JsonObject *props,
             const char *key)
{
  JsonNode *node = props != NULL ? json_object_get_member (props, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

static void
show_properties (SegUserProfileView *self)
{
  JsonObject *props = seg_user_profile_get_properties (self->profile);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *email = NULL;

  clear_list_box (self->properties_list);
  if (props != NULL)
    {
      GList *members = json_object_get_members (props);
      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (names, l->data);
      g_list_free (members);
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *value = node_text (json_object_get_member (props, name));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label = gtk_label_new (value);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_set_tooltip_text (label, value);
      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_append (self->properties_list, row);
      if (g_str_equal (name, "email"))
        email = prop_string (props, "email");
    }
  if (names->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No profile properties"));
      gtk_list_box_append (self->properties_list, row);
    }

  {
    guint n = json_array_get_length (seg_user_profile_get_timeline (self->profile));
    const char *id = seg_user_profile_get_id (self->profile);
    const char *name = prop_string (props, "name");
    g_autofree char *count = seg_report_format_count (n);
    /* Translators: under a user's name: "u42 · alex@example.org · 120 recent events" */
    g_autofree char *events = g_strdup_printf (g_dngettext (NULL, "%s recent event", "%s recent events", n), count);
    g_autoptr(GString) subtitle = g_string_new (NULL);
    gboolean named = name != NULL && name[0] != '\0';

    /* A person's name reads better than an id; the id stays in the line under it. */
    gtk_label_set_label (self->id_label, named ? name : id);
    adw_avatar_set_text (self->avatar, named ? name : id);
    if (named)
      g_string_append_printf (subtitle, "%s · ", id);
    if (email != NULL && email[0] != '\0')
      g_string_append_printf (subtitle, "%s · ", email);
    g_string_append (subtitle, events);
    gtk_label_set_label (self->subtitle_label, subtitle->str);
  }
}

static const char *
segment_name (SegUserProfileView *self,
              const char         *id,
              SegSegmentKind     *kind)
{
  guint n = self->segments ? g_list_model_get_n_items (self->segments) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (self->segments, i);
      if (g_strcmp0 (seg_segment_get_id (seg), id) == 0)
        {
          *kind = seg_segment_get_kind (seg);
          return seg_segment_get_name (seg);
        }
    }
  *kind = SEG_SEGMENT_KIND_PAST_BEHAVIOR;
  return NULL;
}

static void
show_segments (SegUserProfileView *self)
{
  const char * const *ids;
  guint n = 0;

  if (self->profile == NULL)
    return;
  clear_list_box (self->segments_list);
  ids = seg_user_profile_get_segments (self->profile);
  for (; ids != NULL && ids[n] != NULL; n++)
    {
      SegSegmentKind kind;
      const char *name = segment_name (self, ids[n], &kind);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : ids[n]);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), seg_report_kind_label (kind));
      gtk_list_box_append (self->segments_list, row);
    }
  {
    g_autofree char *count = seg_report_format_count (n);
    /* Translators: heading over the segments a user is in */
    g_autofree char *heading = g_strdup_printf (_("In %s Segments"), count);
    gtk_label_set_label (self->segments_heading, heading);
  }
}

static void
show_timeline (SegUserProfileView *self)
{
  JsonArray *events = seg_user_profile_get_timeline (self->profile);
  GTimeZone *tz = seg_store_get_timezone (self->store);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *last_day = NULL;
  guint n = events ? json_array_get_length (events) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);
      gint64 ts = json_object_get_int_member_with_default (e, "ts", 0);
      const char *name = json_object_get_string_member_with_default (e, "event", "");
      JsonObject *props = json_object_get_object_member (e, "properties");
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ts / 1000);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
      g_autofree char *day = seg_report_format_day (tz, ts);
      g_autofree char *time = g_date_time_format (local, "%H:%M");
      g_autoptr(GString) details = g_string_new (NULL);

      if (g_strcmp0 (day, last_day) != 0)
        {
          g_ptr_array_add (items, seg_timeline_item_new_header (day));
          g_free (last_day);
          last_day = g_strdup (day);
        }
      if (props != NULL)
        {
          GList *members = json_object_get_members (props);
          for (GList *l = members; l != NULL; l = l->next)
            {
              g_autofree char *v = node_text (json_object_get_member (props, l->data));
              if (details->len > 0)
                g_string_append (details, " · ");
              g_string_append_printf (details, "%s: %s", (const char *) l->data, v);
            }
          g_list_free (members);
        }
      g_ptr_array_add (items, seg_timeline_item_new_event (ts, time, name, details->str));
    }
  g_list_store_splice (self->timeline, 0, g_list_model_get_n_items (G_LIST_MODEL (self->timeline)),
                       items->pdata, items->len);
}

static void
set_profile (SegUserProfileView *self,
             SegUserProfile     *profile)
{
  const char *id = seg_user_profile_get_id (profile);

  g_set_object (&self->profile, profile);
  adw_avatar_set_text (self->avatar, id);
  gtk_label_set_label (self->id_label, id);
  show_properties (self);
  show_segments (self);
  show_timeline (self);
  gtk_stack_set_visible_child_name (self->stack, "user");
}

static void
user_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SegUserProfileView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegUserProfile) profile = seg_user_lookup_finish (result, &error);

  end_work (self);
  if (profile == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
        return;
      gtk_spinner_set_spinning (self->spinner, FALSE);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  gtk_spinner_set_spinning (self->spinner, FALSE);
  set_profile (self, profile);
}

static void
segments_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SegUserProfileView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) segments = seg_store_list_segments_finish (SEG_STORE (source), result, &error);

  end_work (self);
  if (segments == NULL)
    return;
  g_set_object (&self->segments, segments);
  show_segments (self);
}

static void
lookup (SegUserProfileView *self,
        const char         *query)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->spinner, TRUE);
  begin_work (self);
  seg_user_lookup_async (self->store, query, self->cancellable, user_done_cb, g_object_ref (self));
  if (self->segments == NULL)
    {
      begin_work (self);
      seg_store_list_segments_async (self->store, self->cancellable, segments_done_cb,
                                     g_object_ref (self));
    }
}

static void
search_activate_cb (SegUserProfileView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (text[0] != '\0')
    lookup (self, text);
}

static void
timeline_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_label_new (NULL);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "report-timeline-day");
  gtk_label_set_xalign (GTK_LABEL (time), 0);
  gtk_label_set_width_chars (GTK_LABEL (time), 5);
  gtk_widget_set_valign (time, GTK_ALIGN_START);
  gtk_widget_add_css_class (time, "numeric");
  gtk_widget_add_css_class (time, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), details);
  gtk_box_append (GTK_BOX (row), time);
  gtk_box_append (GTK_BOX (row), texts);
  gtk_widget_add_css_class (row, "report-timeline-event");
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), row);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
timeline_bind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  SegTimelineItem *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *header = gtk_widget_get_first_child (box);
  GtkWidget *row = gtk_widget_get_next_sibling (header);
  GtkWidget *time = gtk_widget_get_first_child (row);
  GtkWidget *texts = gtk_widget_get_next_sibling (time);
  GtkWidget *title = gtk_widget_get_first_child (texts);
  GtkWidget *details = gtk_widget_get_next_sibling (title);
  gboolean is_header = seg_timeline_item_is_header (entry);
  const char *d = seg_timeline_item_get_details (entry);

  gtk_widget_set_visible (header, is_header);
  gtk_widget_set_visible (row, !is_header);
  if (is_header)
    {
      gtk_label_set_label (GTK_LABEL (header), seg_timeline_item_get_title (entry));
      return;
    }
  gtk_label_set_label (GTK_LABEL (time), seg_timeline_item_get_time (entry));
  gtk_label_set_label (GTK_LABEL (title), seg_timeline_item_get_title (entry));
  gtk_label_set_label (GTK_LABEL (details), d);
  gtk_widget_set_visible (details, d != NULL && d[0] != '\0');
  gtk_widget_set_tooltip_text (details, d != NULL && d[0] != '\0' ? d : NULL);
}

static void
seg_user_profile_view_dispose (GObject *object)
{
  SegUserProfileView *self = SEG_USER_PROFILE_VIEW (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEG_TYPE_USER_PROFILE_VIEW);
  /* The search bar's clamp is not a bound child: unparent what is left. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->profile);
  g_clear_object (&self->segments);
  g_clear_object (&self->timeline);
  G_OBJECT_CLASS (seg_user_profile_view_parent_class)->dispose (object);
}

static void
seg_user_profile_view_finalize (GObject *object)
{
  g_clear_object (&SEG_USER_PROFILE_VIEW (object)->cancellable);
  G_OBJECT_CLASS (seg_user_profile_view_parent_class)->finalize (object);
}

static void
seg_user_profile_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SegUserProfileView *self = SEG_USER_PROFILE_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_BUSY: g_value_set_boolean (value, self->pending > 0); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_user_profile_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SegUserProfileView *self = SEG_USER_PROFILE_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_user_profile_view_class_init (SegUserProfileViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_user_profile_view_dispose;
  object_class->finalize = seg_user_profile_view_finalize;
  object_class->get_property = seg_user_profile_view_get_property;
  object_class->set_property = seg_user_profile_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SEG_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_resources_register (seg_report_get_resource ());
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/segmentstudio/SegmentStudio/reports/seg-user-profile-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, stack);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, error_page);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, avatar);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, id_label);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, segments_heading);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, segments_list);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, properties_list);
  gtk_widget_class_bind_template_child (widget_class, SegUserProfileView, timeline_list);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_set_css_name (widget_class, "userprofile");
}

static void
seg_user_profile_view_init (SegUserProfileView *self)
{
  GtkListItemFactory *factory;
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->timeline = g_list_store_new (SEG_TYPE_TIMELINE_ITEM);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (timeline_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (timeline_bind_cb), NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->timeline)));
  gtk_list_view_set_factory (self->timeline_list, factory);
  gtk_list_view_set_model (self->timeline_list, GTK_SELECTION_MODEL (selection));
  g_object_unref (factory);
  g_object_unref (selection);
}

/**
 * seg_user_profile_view_new:
 *
 * Returns: (transfer floating): a profile view reading users from @store
 */
GtkWidget *
seg_user_profile_view_new (SegStore *store)
{
  g_return_val_if_fail (SEG_IS_STORE (store), NULL);
  return g_object_new (SEG_TYPE_USER_PROFILE_VIEW, "store", store, NULL);
}

SegStore *
seg_user_profile_view_get_store (SegUserProfileView *self)
{
  g_return_val_if_fail (SEG_IS_USER_PROFILE_VIEW (self), NULL);
  return self->store;
}

/**
 * seg_user_profile_view_show_user:
 *
 * Loads and shows the user with id @user_id.
 */
void
seg_user_profile_view_show_user (SegUserProfileView *self,
                                 const char         *user_id)
{
  g_return_if_fail (SEG_IS_USER_PROFILE_VIEW (self));
  g_return_if_fail (user_id != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), user_id);
  adw_view_stack_set_visible_child_name (self->view_stack, "profile");
  lookup (self, user_id);
}

/**
 * seg_user_profile_view_search:
 * @query: a user id or an email address
 */
void
seg_user_profile_view_search (SegUserProfileView *self,
                              const char         *query)
{
  g_return_if_fail (SEG_IS_USER_PROFILE_VIEW (self));
  g_return_if_fail (query != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query);
  lookup (self, query);
}

/**
 * seg_user_profile_view_get_profile:
 *
 * Returns: (transfer none) (nullable): the user shown
 */
SegUserProfile *
seg_user_profile_view_get_profile (SegUserProfileView *self)
{
  g_return_val_if_fail (SEG_IS_USER_PROFILE_VIEW (self), NULL);
  return self->profile;
}

/**
 * seg_user_profile_view_get_timeline:
 *
 * Returns: (transfer none): the #SegTimelineItem rows of the activity list
 */
GListModel *
seg_user_profile_view_get_timeline (SegUserProfileView *self)
{
  g_return_val_if_fail (SEG_IS_USER_PROFILE_VIEW (self), NULL);
  return G_LIST_MODEL (self->timeline);
}

gboolean
seg_user_profile_view_get_busy (SegUserProfileView *self)
{
  g_return_val_if_fail (SEG_IS_USER_PROFILE_VIEW (self), FALSE);
  return self->pending > 0;
}
