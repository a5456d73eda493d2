/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-filter-list"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-filter-list.h"

/* The "where" of a rule: property filters of one event, all of which must hold. */

struct _SegFilterList
{
  GtkWidget       parent_instance;

  SegSchemaCache *cache;
  char           *event;
  GtkWidget      *box;
  GtkWidget      *rows;
  GtkWidget      *add;
};

G_DEFINE_FINAL_TYPE (SegFilterList, seg_filter_list, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
seg_filter_list_dispose (GObject *object)
{
  SegFilterList *self = SEG_FILTER_LIST (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (seg_filter_list_parent_class)->dispose (object);
}

static void
seg_filter_list_finalize (GObject *object)
{
  g_free (SEG_FILTER_LIST (object)->event);
  G_OBJECT_CLASS (seg_filter_list_parent_class)->finalize (object);
}

static void
seg_filter_list_class_init (SegFilterListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = seg_filter_list_dispose;
  G_OBJECT_CLASS (klass)->finalize = seg_filter_list_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
emit_changed (SegFilterList *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
row_remove_cb (SegFilterRow  *row,
               SegFilterList *self)
{
  GtkWidget *next = gtk_widget_get_next_sibling (GTK_WIDGET (row));

  gtk_box_remove (GTK_BOX (self->rows), GTK_WIDGET (row));
  /* Keep the keyboard focus in the list rather than losing it with the row. */
  gtk_widget_grab_focus (next != NULL ? next : self->add);
  gtk_widget_set_visible (self->rows, gtk_widget_get_first_child (self->rows) != NULL);
  emit_changed (self);
}

SegFilterRow *
seg_filter_list_add (SegFilterList *self)
{
  GtkWidget *row = seg_filter_row_new (self->cache, self->event, TRUE);

  g_signal_connect_swapped (row, "changed", G_CALLBACK (emit_changed), self);
  g_signal_connect (row, "remove", G_CALLBACK (row_remove_cb), self);
  gtk_box_append (GTK_BOX (self->rows), row);
  gtk_widget_set_visible (self->rows, TRUE);
  return SEG_FILTER_ROW (row);
}

static void
add_clicked_cb (SegFilterList *self)
{
  SegFilterRow *row = seg_filter_list_add (self);

  gtk_widget_child_focus (GTK_WIDGET (row), GTK_DIR_TAB_FORWARD);
  emit_changed (self);
}

static void
seg_filter_list_init (SegFilterList *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->rows, "seg-filters");
  gtk_widget_set_visible (self->rows, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->rows);
  self->add = gtk_button_new ();
  gtk_widget_add_css_class (self->add, "flat");
  gtk_widget_set_halign (self->add, GTK_ALIGN_START);
  g_signal_connect_swapped (self->add, "clicked", G_CALLBACK (add_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->add);
}

/**
 * seg_filter_list_new:
 * @add_label: the label of the add button, with a mnemonic
 *
 * Returns: (transfer floating): a new, empty list of filters
 */
GtkWidget *
seg_filter_list_new (SegSchemaCache *cache,
                     const char     *add_label)
{
  SegFilterList *self = g_object_new (SEG_TYPE_FILTER_LIST, NULL);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (add_label);

  self->cache = g_object_ref (cache);
  gtk_box_append (GTK_BOX (content), gtk_image_new_from_icon_name ("list-add-symbolic"));
  gtk_box_append (GTK_BOX (content), label);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->add);
  gtk_button_set_child (GTK_BUTTON (self->add), content);
  return GTK_WIDGET (self);
}

void
seg_filter_list_set_event (SegFilterList *self,
                           const char    *event)
{
  g_free (self->event);
  self->event = g_strdup (event);
  for (GtkWidget *c = gtk_widget_get_first_child (self->rows); c; c = gtk_widget_get_next_sibling (c))
    seg_filter_row_set_event (SEG_FILTER_ROW (c), event);
}

guint
seg_filter_list_get_n (SegFilterList *self)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (self->rows); c; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

/**
 * seg_filter_list_build:
 * Returns: (transfer full) (nullable): a JSON array of the filters, or %NULL when
 *   there are none (@error unset) or one is incomplete (@error set)
 */
JsonNode *
seg_filter_list_build (SegFilterList  *self,
                       char          **error)
{
  JsonArray *array = json_array_new ();

  for (GtkWidget *c = gtk_widget_get_first_child (self->rows); c; c = gtk_widget_get_next_sibling (c))
    {
      JsonNode *node = seg_filter_row_build (SEG_FILTER_ROW (c), error);
      if (node == NULL)
        {
          json_array_unref (array);
          return NULL;
        }
      json_array_add_element (array, node);
    }
  if (json_array_get_length (array) == 0)
    {
      json_array_unref (array);
      return NULL;
    }
  return json_node_init_array (json_node_alloc (), array);
}

void
seg_filter_list_load (SegFilterList *self,
                      GPtrArray     *filters)
{
  GtkWidget *c;

  while ((c = gtk_widget_get_first_child (self->rows)) != NULL)
    gtk_box_remove (GTK_BOX (self->rows), c);
  gtk_widget_set_visible (self->rows, FALSE);
  for (guint i = 0; filters != NULL && i < filters->len; i++)
    seg_filter_row_load (seg_filter_list_add (self), g_ptr_array_index (filters, i));
}
