/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-reach-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-eval-result.h"
#include "seg-reach-panel.h"
#include "seg-segments-util.h"

/*
 * "Estimate reach": the size of the segment being built and how many of its users each
 * channel reaches. Each edit restarts a short debounce; when it fires the previous
 * evaluation is cancelled and a new one runs in the store's worker thread, so typing
 * never waits and a stale answer never overwrites a newer one.
 */

#define DEFAULT_DEBOUNCE_MS 150

struct _SegReachPanel
{
  GtkWidget      parent_instance;

  SegStore      *store;
  SegDefinition *pending;
  GCancellable  *cancellable;
  guint          debounce_id;
  guint          debounce_ms;
  gint64         requested_at;
  double         latency_ms;
  gint64         shown_at;       /* monotonic µs when the last number was shown */
  gint64         count;
  gint64         reach[SEG_N_CHANNELS];
  gboolean       busy;

  GtkWidget     *box;
  GtkWidget     *count_label;
  GtkWidget     *caption;
  GtkWidget     *spinner;
  GtkWidget     *channels;
  GtkWidget     *channel_labels[SEG_N_CHANNELS];
};

G_DEFINE_FINAL_TYPE (SegReachPanel, seg_reach_panel, GTK_TYPE_WIDGET)

enum { UPDATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *channel_names[SEG_N_CHANNELS] = {
  N_("Email"), N_("Push"), N_("SMS"), N_("WhatsApp"), N_("In-app"),
};

static void
seg_reach_panel_dispose (GObject *object)
{
  SegReachPanel *self = SEG_REACH_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_pointer (&self->pending, seg_definition_unref);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (seg_reach_panel_parent_class)->dispose (object);
}

static void
seg_reach_panel_class_init (SegReachPanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = seg_reach_panel_dispose;
  /**
   * SegReachPanel::updated:
   * A new estimate (or the lack of one) is shown.
   */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "segreach");
}

static void
seg_reach_panel_init (SegReachPanel *self)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  self->debounce_ms = DEFAULT_DEBOUNCE_MS;
  self->count = -1;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->count_label = gtk_label_new ("—");
  gtk_widget_add_css_class (self->count_label, "title-2");
  gtk_widget_add_css_class (self->count_label, "numeric");
  gtk_label_set_xalign (GTK_LABEL (self->count_label), 0);
  self->caption = gtk_label_new (_("Estimated users"));
  gtk_widget_add_css_class (self->caption, "dim-label");
  gtk_widget_add_css_class (self->caption, "caption");
  gtk_label_set_xalign (GTK_LABEL (self->caption), 0);
  gtk_label_set_wrap (GTK_LABEL (self->caption), TRUE);
  gtk_box_append (GTK_BOX (texts), self->count_label);
  gtk_box_append (GTK_BOX (texts), self->caption);
  gtk_widget_set_hexpand (texts, TRUE);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (top), texts);
  gtk_box_append (GTK_BOX (top), self->spinner);
  gtk_box_append (GTK_BOX (self->box), top);

  self->channels = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->channels), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->channels), SEG_N_CHANNELS);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->channels), 2);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->channels), TRUE);
  gtk_widget_set_can_focus (self->channels, FALSE);
  for (guint c = 0; c < SEG_N_CHANNELS; c++)
    {
      GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *name = gtk_label_new (_(channel_names[c]));
      self->channel_labels[c] = gtk_label_new ("—");
      gtk_widget_add_css_class (self->channel_labels[c], "heading");
      gtk_widget_add_css_class (self->channel_labels[c], "numeric");
      gtk_widget_add_css_class (name, "caption");
      gtk_widget_add_css_class (name, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_xalign (GTK_LABEL (self->channel_labels[c]), 0);
      gtk_box_append (GTK_BOX (cell), self->channel_labels[c]);
      gtk_box_append (GTK_BOX (cell), name);
      gtk_flow_box_append (GTK_FLOW_BOX (self->channels), cell);
      gtk_widget_set_can_focus (gtk_widget_get_parent (cell), FALSE);
    }
  gtk_box_append (GTK_BOX (self->box), self->channels);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Estimated reach"), -1);
}

GtkWidget *
seg_reach_panel_new (SegStore *store)
{
  SegReachPanel *self = g_object_new (SEG_TYPE_REACH_PANEL, NULL);

  self->store = g_object_ref (store);
  return GTK_WIDGET (self);
}

static void
set_busy (SegReachPanel *self,
          gboolean       busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_opacity (self->count_label, busy ? 0.5 : 1.0);
}

static void
show_result (SegReachPanel *self,
             SegEvalResult *result,
             const char    *message)
{
  self->count = result != NULL ? (gint64) seg_eval_result_get_count (result) : -1;
  if (result != NULL)
    {
      g_autofree char *count = seg_format_count (self->count);
      gtk_label_set_text (GTK_LABEL (self->count_label), count);
      gtk_label_set_text (GTK_LABEL (self->caption), _("Estimated users"));
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->count_label), "—");
      gtk_label_set_text (GTK_LABEL (self->caption), message);
    }
  for (guint c = 0; c < SEG_N_CHANNELS; c++)
    {
      self->reach[c] = result != NULL && seg_eval_result_has_reach (result)
                         ? (gint64) seg_eval_result_get_reach (result, c) : -1;
      if (self->reach[c] >= 0 && self->count > 0)
        {
          g_autofree char *text = g_strdup_printf ("%'" G_GINT64_FORMAT " · %.0f%%", self->reach[c],
                                                   100.0 * (double) self->reach[c] / (double) self->count);
          gtk_label_set_text (GTK_LABEL (self->channel_labels[c]), text);
        }
      else if (self->reach[c] >= 0)
        gtk_label_set_text (GTK_LABEL (self->channel_labels[c]), "0");
      else
        gtk_label_set_text (GTK_LABEL (self->channel_labels[c]), "—");
    }
  g_signal_emit (self, signals[UPDATED], 0);
}

static void
evaluate_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(SegReachPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) result = seg_store_evaluate_finish (SEG_STORE (source), res, &error);

  /* A superseded evaluation: the newer one will answer. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
    return;
  set_busy (self, FALSE);
  show_result (self, result, error != NULL ? error->message : NULL);
  self->shown_at = g_get_monotonic_time ();
  self->latency_ms = (double) (self->shown_at - self->requested_at) / 1000.0;
}

static gboolean
debounce_cb (gpointer user_data)
{
  SegReachPanel *self = user_data;
  SegEvalOptions options = { 0, SEG_EVAL_REACH, 0, 0, 0 };
  g_autoptr(SegDefinition) def = g_steal_pointer (&self->pending);

  self->debounce_id = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  seg_store_evaluate_async (self->store, def, &options, self->cancellable, evaluate_cb,
                            g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/**
 * seg_reach_panel_request:
 * @definition: (nullable): the definition to estimate, or %NULL while it is incomplete
 */
void
seg_reach_panel_request (SegReachPanel *self,
                         SegDefinition *definition)
{
  g_return_if_fail (SEG_IS_REACH_PANEL (self));

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_pointer (&self->pending, seg_definition_unref);
  g_cancellable_cancel (self->cancellable);
  self->requested_at = g_get_monotonic_time ();
  /* A live segment has no size to estimate before it runs: no row of channel dashes. */
  gtk_widget_set_visible (self->channels,
                          definition == NULL || seg_definition_get_kind (definition) != SEG_SEGMENT_KIND_LIVE);
  if (definition == NULL || seg_definition_get_kind (definition) == SEG_SEGMENT_KIND_LIVE)
    {
      set_busy (self, FALSE);
      show_result (self, NULL,
                   definition == NULL ? _("Complete the rules to see the estimate")
                                      : _("Live segments fill as users qualify from now on"));
      return;
    }
  self->pending = seg_definition_ref (definition);
  set_busy (self, TRUE);
  self->debounce_id = g_timeout_add (self->debounce_ms, debounce_cb, self);
}

gint64
seg_reach_panel_get_count (SegReachPanel *self)
{
  return self->count;
}

gint64
seg_reach_panel_get_reach (SegReachPanel *self,
                           SegChannel     channel)
{
  return self->reach[channel];
}

/* The time from the last edit to its number on screen, debounce included. */
/**
 * seg_reach_panel_get_shown_at:
 *
 * Returns: the g_get_monotonic_time() at which the last estimate was put on screen
 *   (its labels set), or 0 before the first one
 */
gint64
seg_reach_panel_get_shown_at (SegReachPanel *self)
{
  g_return_val_if_fail (SEG_IS_REACH_PANEL (self), 0);

  return self->shown_at;
}

double
seg_reach_panel_get_latency_ms (SegReachPanel *self)
{
  return self->latency_ms;
}

gboolean
seg_reach_panel_is_busy (SegReachPanel *self)
{
  return self->busy;
}

guint
seg_reach_panel_get_debounce (SegReachPanel *self)
{
  return self->debounce_ms;
}

void
seg_reach_panel_set_debounce (SegReachPanel *self,
                              guint          ms)
{
  self->debounce_ms = ms;
}
