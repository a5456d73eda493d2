/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-arrival-list"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "seg-live-arrival.h"
#include "seg-live-arrival-list.h"
#include "seg-segment.h"

struct _SegLiveArrivalList
{
  GtkWidget           parent_instance;

  SegLiveController  *controller;
  char               *segment_id;    /* NULL: every live segment */
  GtkCustomFilter    *filter;
  GtkFilterListModel *model;

  GtkLabel           *empty_label;
  GtkListView        *list_view;
  GtkScrolledWindow  *scroller;
  gboolean            at_top;         /* the user is watching the newest rows */
  guint               top_id;         /* going back to the top is due */
};

enum {
  PROP_0,
  PROP_CONTROLLER,
  PROP_SEGMENT_ID,
  N_PROPS
};

enum {
  USER_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SegLiveArrivalList, seg_live_arrival_list, GTK_TYPE_WIDGET)

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  SegLiveArrivalList *self = user_data;

  return self->segment_id == NULL
         || g_strcmp0 (self->segment_id, seg_live_arrival_get_segment_id (item)) == 0;
}

static void
update_empty (SegLiveArrivalList *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label),
                          g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0);
}

static const char *
segment_name (SegLiveArrivalList *self,
              const char         *segment_id)
{
  GListModel *segments;

  if (self->controller == NULL)
    return segment_id;
  segments = seg_live_controller_get_segments (self->controller);
  for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (segments, i);

      /* The list holds a reference on each segment, so the name outlives this ref. */
      if (g_strcmp0 (seg_segment_get_id (seg), segment_id) == 0)
        return seg_segment_get_name (seg);
    }
  return segment_id;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SegLiveArrivalList       *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *avatar = adw_avatar_new (24, NULL, TRUE);
  GtkWidget *user = gtk_label_new (NULL);
  GtkWidget *segment = gtk_label_new (NULL);
  GtkWidget *time = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (user), 0);
  gtk_label_set_ellipsize (GTK_LABEL (user), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (user, TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (segment), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (segment), 24);
  gtk_widget_add_css_class (segment, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_box_append (GTK_BOX (box), avatar);
  gtk_box_append (GTK_BOX (box), user);
  gtk_box_append (GTK_BOX (box), segment);
  gtk_box_append (GTK_BOX (box), time);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             SegLiveArrivalList       *self)
{
  SegLiveArrival *arrival = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *avatar = gtk_widget_get_first_child (box);
  GtkWidget *user = gtk_widget_get_next_sibling (avatar);
  GtkWidget *segment = gtk_widget_get_next_sibling (user);
  GtkWidget *time = gtk_widget_get_next_sibling (segment);
  SegStore *store = self->controller ? seg_live_controller_get_store (self->controller) : NULL;
  const char *id = seg_live_arrival_get_user_id (arrival);
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;
  g_autofree char *tip = NULL;

  dt = g_date_time_new_from_unix_utc (seg_live_arrival_get_ts (arrival) / 1000);
  local = store ? g_date_time_to_timezone (dt, seg_store_get_timezone (store))
                : g_date_time_to_local (dt);
  when = g_date_time_format (local, "%H:%M:%S");
  adw_avatar_set_text (ADW_AVATAR (avatar), id);
  gtk_label_set_text (GTK_LABEL (user), id);
  /* Within one segment's list, naming the segment on every row says nothing. */
  gtk_widget_set_visible (segment, self->segment_id == NULL);
  gtk_label_set_text (GTK_LABEL (segment),
                      segment_name (self, seg_live_arrival_get_segment_id (arrival)));
  gtk_label_set_text (GTK_LABEL (time), when);
  /* Translators: tooltip of a user who just qualified; %s is the user id */
  tip = g_strdup_printf (_("Open the profile of %s"), id);
  gtk_widget_set_tooltip_text (box, tip);
}

static void
activate_cb (SegLiveArrivalList *self,
             guint               position)
{
  g_autoptr(SegLiveArrival) arrival = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (arrival != NULL)
    g_signal_emit (self, signals[USER_ACTIVATED], 0, seg_live_arrival_get_user_id (arrival));
}

/* GTK 4.8's list view keeps the row it is anchored on in place when rows are inserted
 * above it, so a list watched from its top would drift down to older arrivals. When the
 * user watches the top, the view scrolls back to the first row once the batch is in, at
 * most every BACK_TO_TOP_MS: the newest stay in sight. (Giving the view its model again
 * did the same by rebuilding the rows: a 300 ms frame each time under a fast stream.) */
#define BACK_TO_TOP_MS 250

static gboolean
back_to_top_cb (gpointer data)
{
  SegLiveArrivalList *self = data;

  self->top_id = 0;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
  self->at_top = TRUE;
  return G_SOURCE_REMOVE;
}

static void
items_changed_cb (SegLiveArrivalList *self,
                  guint               position,
                  guint               removed,
                  guint               added)
{
  update_empty (self);
  if (position == 0 && added > 0 && self->at_top && self->top_id == 0)
    self->top_id = g_timeout_add (BACK_TO_TOP_MS, back_to_top_cb, self);
}

static void
scrolled_cb (SegLiveArrivalList *self,
             GtkAdjustment      *adjustment)
{
  /* Only the user's scrolling counts; the view's own anchoring is undone above. */
  if (self->top_id == 0)
    self->at_top = gtk_adjustment_get_value (adjustment) < 1;
}

static void
seg_live_arrival_list_dispose (GObject *object)
{
  SegLiveArrivalList *self = SEG_LIVE_ARRIVAL_LIST (object);

  g_clear_handle_id (&self->top_id, g_source_remove);
  if (self->model != NULL)
    gtk_filter_list_model_set_model (self->model, NULL);
  g_clear_object (&self->controller);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEG_TYPE_LIVE_ARRIVAL_LIST);
  /* The template's unnamed children (frames, headings) are unparented here. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (seg_live_arrival_list_parent_class)->dispose (object);
}

static void
seg_live_arrival_list_finalize (GObject *object)
{
  SegLiveArrivalList *self = SEG_LIVE_ARRIVAL_LIST (object);

  g_free (self->segment_id);

  G_OBJECT_CLASS (seg_live_arrival_list_parent_class)->finalize (object);
}

static void
seg_live_arrival_list_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SegLiveArrivalList *self = SEG_LIVE_ARRIVAL_LIST (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    case PROP_SEGMENT_ID:
      g_value_set_string (value, self->segment_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_live_arrival_list_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SegLiveArrivalList *self = SEG_LIVE_ARRIVAL_LIST (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      seg_live_arrival_list_set_controller (self, g_value_get_object (value));
      break;
    case PROP_SEGMENT_ID:
      seg_live_arrival_list_set_segment_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_live_arrival_list_class_init (SegLiveArrivalListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_live_arrival_list_dispose;
  object_class->finalize = seg_live_arrival_list_finalize;
  object_class->get_property = seg_live_arrival_list_get_property;
  object_class->set_property = seg_live_arrival_list_set_property;

  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, SEG_TYPE_LIVE_CONTROLLER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEGMENT_ID] =
    g_param_spec_string ("segment-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[USER_ACTIVATED] =
    g_signal_new ("user-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/live/seg-live-arrival-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SegLiveArrivalList, empty_label);
  gtk_widget_class_bind_template_child (widget_class, SegLiveArrivalList, list_view);
  gtk_widget_class_bind_template_child (widget_class, SegLiveArrivalList, scroller);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
  gtk_widget_class_set_css_name (widget_class, "livearrivals");
}

static void
seg_live_arrival_list_init (SegLiveArrivalList *self)
{
  GtkListItemFactory *factory;
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->at_top = TRUE;
  g_signal_connect_swapped (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                            G_CALLBACK (scrolled_cb), self);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->model = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  g_signal_connect_swapped (self->model, "items-changed", G_CALLBACK (items_changed_cb), self);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (factory);
  g_object_unref (selection);
}

GtkWidget *
seg_live_arrival_list_new (void)
{
  return g_object_new (SEG_TYPE_LIVE_ARRIVAL_LIST, NULL);
}

/**
 * seg_live_arrival_list_get_controller:
 *
 * Returns: (transfer none) (nullable): the controller whose arrivals are listed
 */
SegLiveController *
seg_live_arrival_list_get_controller (SegLiveArrivalList *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_ARRIVAL_LIST (self), NULL);
  return self->controller;
}

/**
 * seg_live_arrival_list_set_controller:
 * @controller: (nullable): the live controller of the window's store
 */
void
seg_live_arrival_list_set_controller (SegLiveArrivalList *self,
                                      SegLiveController  *controller)
{
  g_return_if_fail (SEG_IS_LIVE_ARRIVAL_LIST (self));

  if (!g_set_object (&self->controller, controller))
    return;
  gtk_filter_list_model_set_model (self->model,
                                   controller ? seg_live_controller_get_arrivals (controller) : NULL);
  update_empty (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLLER]);
}

const char *
seg_live_arrival_list_get_segment_id (SegLiveArrivalList *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_ARRIVAL_LIST (self), NULL);
  return self->segment_id;
}

/**
 * seg_live_arrival_list_set_segment_id:
 * @segment_id: (nullable): a live segment, or %NULL for all of them
 */
void
seg_live_arrival_list_set_segment_id (SegLiveArrivalList *self,
                                      const char         *segment_id)
{
  g_return_if_fail (SEG_IS_LIVE_ARRIVAL_LIST (self));

  if (g_strcmp0 (self->segment_id, segment_id) == 0)
    return;
  g_free (self->segment_id);
  self->segment_id = g_strdup (segment_id);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEGMENT_ID]);
}

/**
 * seg_live_arrival_list_get_model:
 *
 * Returns: (transfer none): the SegLiveArrival rows shown, newest first
 */
GListModel *
seg_live_arrival_list_get_model (SegLiveArrivalList *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_ARRIVAL_LIST (self), NULL);
  return G_LIST_MODEL (self->model);
}

/**
 * seg_live_arrival_list_matches:
 * @arrival: a #SegLiveArrival
 *
 * Returns: whether @arrival is one the list shows (of its segment)
 */
gboolean
seg_live_arrival_list_matches (SegLiveArrivalList *self,
                               gpointer            arrival)
{
  g_return_val_if_fail (SEG_IS_LIVE_ARRIVAL_LIST (self), FALSE);
  return filter_func (arrival, self);
}
