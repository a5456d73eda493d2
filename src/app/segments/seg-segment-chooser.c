/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-segment-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-name-picker.h"
#include "seg-segment-chooser.h"
#include "seg-segment.h"

/*
 * Picks saved segments to include or exclude. Only past-behavior segments are offered
 * (live and custom-list segments cannot be combined, as in the reference product), and
 * never the segment being edited.
 */

struct _SegSegmentChooser
{
  GtkWidget           parent_instance;

  SegSchemaCache     *cache;
  GtkWidget          *box;
  GtkWidget          *chips;
  GtkWidget          *picker;
  GtkCustomFilter    *filter;
  GtkFilterListModel *offered;
  GPtrArray          *ids;
  char               *self_id;
};

G_DEFINE_FINAL_TYPE (SegSegmentChooser, seg_segment_chooser, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
seg_segment_chooser_dispose (GObject *object)
{
  SegSegmentChooser *self = SEG_SEGMENT_CHOOSER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->offered);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (seg_segment_chooser_parent_class)->dispose (object);
}

static void
seg_segment_chooser_finalize (GObject *object)
{
  SegSegmentChooser *self = SEG_SEGMENT_CHOOSER (object);

  g_ptr_array_unref (self->ids);
  g_free (self->self_id);
  G_OBJECT_CLASS (seg_segment_chooser_parent_class)->finalize (object);
}

static void
seg_segment_chooser_class_init (SegSegmentChooserClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = seg_segment_chooser_dispose;
  G_OBJECT_CLASS (klass)->finalize = seg_segment_chooser_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void chip_clicked_cb (GtkButton *chip, SegSegmentChooser *self);

static void
rebuild (SegSegmentChooser *self)
{
  GtkWidget *c;

  while ((c = gtk_widget_get_first_child (self->chips)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->chips), c);
  for (guint i = 0; i < self->ids->len; i++)
    {
      const char *id = g_ptr_array_index (self->ids, i);
      g_autofree char *name = seg_schema_cache_segment_name (self->cache, id);
      g_autofree char *tip = g_strdup_printf (_("Remove %s"), name ? name : id);
      GtkWidget *chip = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *label = gtk_label_new (name ? name : id);

      /* A long name shortens in a narrow window (the tooltip keeps it whole) rather than
       * widening the rules step past 360 px. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("window-close-symbolic"));
      gtk_button_set_child (GTK_BUTTON (chip), box);
      gtk_widget_add_css_class (chip, "pill");
      gtk_widget_add_css_class (chip, "small");
      gtk_widget_set_tooltip_text (chip, tip);
      g_object_set_data_full (G_OBJECT (chip), "seg-id", g_strdup (id), g_free);
      g_signal_connect (chip, "clicked", G_CALLBACK (chip_clicked_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (self->chips), chip);
    }
  gtk_widget_set_visible (self->chips, self->ids->len > 0);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
chip_clicked_cb (GtkButton         *chip,
                 SegSegmentChooser *self)
{
  const char *id = g_object_get_data (G_OBJECT (chip), "seg-id");

  for (guint i = 0; i < self->ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->ids, i), id))
      {
        g_ptr_array_remove_index (self->ids, i);
        break;
      }
  rebuild (self);
  gtk_widget_grab_focus (seg_name_picker_get_button (SEG_NAME_PICKER (self->picker)));
  g_signal_emit (self, signals[CHANGED], 0);
}

void
seg_segment_chooser_add (SegSegmentChooser *self,
                         const char        *id)
{
  for (guint i = 0; i < self->ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->ids, i), id))
      return;
  g_ptr_array_add (self->ids, g_strdup (id));
  rebuild (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
picked_cb (SegSegmentChooser *self)
{
  g_autoptr(GObject) item = seg_name_picker_dup_item (SEG_NAME_PICKER (self->picker));

  if (seg_name_picker_get_name (SEG_NAME_PICKER (self->picker)) == NULL)
    return;
  if (item != NULL)
    seg_segment_chooser_add (self, seg_segment_get_id (SEG_SEGMENT (item)));
  /* Back to "Add segment…", ready for the next one. */
  seg_name_picker_set_name (SEG_NAME_PICKER (self->picker), NULL);
}

static gboolean
offer_func (gpointer item,
            gpointer user_data)
{
  SegSegmentChooser *self = user_data;
  SegSegment *seg = item;

  return seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_PAST_BEHAVIOR &&
         g_strcmp0 (seg_segment_get_id (seg), self->self_id) != 0;
}

static char *
segment_detail (GObject *item)
{
  gint64 count = seg_segment_get_last_count (SEG_SEGMENT (item));

  return count >= 0 ? g_strdup_printf (_("%'" G_GINT64_FORMAT " users"), count) : NULL;
}

static void
seg_segment_chooser_init (SegSegmentChooser *self)
{
  self->ids = g_ptr_array_new_with_free_func (g_free);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->chips = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->chips), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->chips), 6);
  gtk_widget_set_visible (self->chips, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->chips);
}

GtkWidget *
seg_segment_chooser_new (SegSchemaCache *cache,
                         const char     *placeholder)
{
  SegSegmentChooser *self = g_object_new (SEG_TYPE_SEGMENT_CHOOSER, NULL);

  self->cache = g_object_ref (cache);
  self->filter = gtk_custom_filter_new (offer_func, self, NULL);
  self->offered = gtk_filter_list_model_new (g_object_ref (seg_schema_cache_get_segments (cache)),
                                             GTK_FILTER (self->filter));
  self->picker = seg_name_picker_new (placeholder, FALSE);
  seg_name_picker_set_model (SEG_NAME_PICKER (self->picker), G_LIST_MODEL (self->offered), segment_detail);
  g_signal_connect_swapped (self->picker, "changed", G_CALLBACK (picked_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->picker);
  return GTK_WIDGET (self);
}

void
seg_segment_chooser_set_self_id (SegSegmentChooser *self,
                                 const char        *id)
{
  g_free (self->self_id);
  self->self_id = g_strdup (id);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
seg_segment_chooser_set_ids (SegSegmentChooser  *self,
                             const char * const *ids)
{
  g_ptr_array_set_size (self->ids, 0);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_ptr_array_add (self->ids, g_strdup (ids[i]));
  rebuild (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

GStrv
seg_segment_chooser_dup_ids (SegSegmentChooser *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < self->ids->len; i++)
    g_strv_builder_add (b, g_ptr_array_index (self->ids, i));
  return g_strv_builder_end (b);
}

GtkWidget *
seg_segment_chooser_get_picker (SegSegmentChooser *self)
{
  return self->picker;
}
