/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-wrap-layout"

#include "config.h"

#include "seg-wrap-layout.h"

/*
 * Lays children out left to right at their natural width and wraps them onto the next
 * line when the width runs out, so that a rule reads as one sentence on a wide window
 * and folds into lines at 360 px. Unlike GtkFlowBox it adds no focusable child wrappers:
 * Tab goes straight from one control to the next.
 */

struct _SegWrapLayout
{
  GtkLayoutManager parent_instance;
  int              spacing;
};

G_DEFINE_FINAL_TYPE (SegWrapLayout, seg_wrap_layout, GTK_TYPE_LAYOUT_MANAGER)

typedef void (*PlaceFunc) (GtkWidget *child, int x, int y, int w, int h, gpointer data);

/* Runs the wrapping for @width and returns the total height. */
static int
flow (SegWrapLayout *self,
      GtkWidget     *widget,
      int            width,
      PlaceFunc      place,
      gpointer       data)
{
  int x = 0, y = 0, line_h = 0;
  GtkWidget *line_start = NULL;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int min_w, nat_w, h, nat_h;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
      nat_w = MIN (nat_w, MAX (width, min_w));
      if (x > 0 && x + nat_w > width)
        {
          y += line_h + self->spacing;
          x = 0;
          line_h = 0;
          line_start = NULL;
        }
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, nat_w, &h, &nat_h, NULL, NULL);
      if (place != NULL)
        place (c, x, y, nat_w, nat_h, data);
      line_h = MAX (line_h, nat_h);
      x += nat_w + self->spacing;
      line_start = line_start ? line_start : c;
    }
  return y + line_h;
}

static void
seg_wrap_layout_measure (GtkLayoutManager *manager,
                         GtkWidget        *widget,
                         GtkOrientation    orientation,
                         int               for_size,
                         int              *minimum,
                         int              *natural,
                         int              *minimum_baseline,
                         int              *natural_baseline)
{
  SegWrapLayout *self = SEG_WRAP_LAYOUT (manager);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int min = 0, nat = 0, n = 0;

      for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
        {
          int cmin, cnat;
          if (!gtk_widget_should_layout (c))
            continue;
          gtk_widget_measure (c, orientation, -1, &cmin, &cnat, NULL, NULL);
          min = MAX (min, cmin);
          nat += cnat + (n++ > 0 ? self->spacing : 0);
        }
      *minimum = min;
      *natural = nat;
    }
  else
    {
      int h;

      if (for_size < 0)
        {
          int min_w, nat_w;
          seg_wrap_layout_measure (manager, widget, GTK_ORIENTATION_HORIZONTAL, -1,
                                   &min_w, &nat_w, NULL, NULL);
          for_size = nat_w;
        }
      h = flow (self, widget, for_size, NULL, NULL);
      *minimum = *natural = h;
    }
}

static void
place_child (GtkWidget *child,
             int        x,
             int        y,
             int        w,
             int        h,
             gpointer   data)
{
  int *line_heights = data;
  (void) line_heights;
  gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, w, h }, -1);
}

static void
seg_wrap_layout_allocate (GtkLayoutManager *manager,
                          GtkWidget        *widget,
                          int               width,
                          int               height,
                          int               baseline)
{
  flow (SEG_WRAP_LAYOUT (manager), widget, width, place_child, NULL);
}

static GtkSizeRequestMode
seg_wrap_layout_get_request_mode (GtkLayoutManager *manager,
                                  GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
seg_wrap_layout_class_init (SegWrapLayoutClass *klass)
{
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  layout_class->measure = seg_wrap_layout_measure;
  layout_class->allocate = seg_wrap_layout_allocate;
  layout_class->get_request_mode = seg_wrap_layout_get_request_mode;
}

static void
seg_wrap_layout_init (SegWrapLayout *self)
{
  self->spacing = 6;
}

GtkLayoutManager *
seg_wrap_layout_new (int spacing)
{
  SegWrapLayout *self = g_object_new (SEG_TYPE_WRAP_LAYOUT, NULL);

  self->spacing = spacing;
  return GTK_LAYOUT_MANAGER (self);
}

/**
 * seg_wrap_box_new:
 *
 * Returns: (transfer floating): a plain container whose children wrap; add them with
 *   gtk_widget_set_parent() and they are unparented when it is destroyed
 */
GtkWidget *
seg_wrap_box_new (int spacing)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_set_layout_manager (box, seg_wrap_layout_new (spacing));
  return box;
}
