/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-type-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-type-tile.h"

/*
 * One tile of the wizard's first step: an icon, the kind's name and a line saying what
 * it is for. Tiles live in a GtkFlowBox, which gives arrow-key navigation and activation
 * with Enter or a click.
 */

struct _SegTypeTile
{
  GtkWidget  parent_instance;

  char      *kind_id;
  GtkWidget *box;
  GtkWidget *icon;
  GtkWidget *title;
  GtkWidget *description;
};

G_DEFINE_FINAL_TYPE (SegTypeTile, seg_type_tile, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_KIND_ID, PROP_TITLE, PROP_DESCRIPTION, PROP_ICON_NAME, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
seg_type_tile_dispose (GObject *object)
{
  g_clear_pointer (&SEG_TYPE_TILE (object)->box, gtk_widget_unparent);
  G_OBJECT_CLASS (seg_type_tile_parent_class)->dispose (object);
}

static void
seg_type_tile_finalize (GObject *object)
{
  g_free (SEG_TYPE_TILE (object)->kind_id);
  G_OBJECT_CLASS (seg_type_tile_parent_class)->finalize (object);
}

static void
seg_type_tile_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SegTypeTile *self = SEG_TYPE_TILE (object);

  switch (prop_id)
    {
    case PROP_KIND_ID: g_value_set_string (value, self->kind_id); break;
    case PROP_TITLE: g_value_set_string (value, gtk_label_get_text (GTK_LABEL (self->title))); break;
    case PROP_DESCRIPTION: g_value_set_string (value, gtk_label_get_text (GTK_LABEL (self->description))); break;
    case PROP_ICON_NAME: g_value_set_string (value, gtk_image_get_icon_name (GTK_IMAGE (self->icon))); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_type_tile_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SegTypeTile *self = SEG_TYPE_TILE (object);

  switch (prop_id)
    {
    case PROP_KIND_ID:
      g_free (self->kind_id);
      self->kind_id = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      gtk_label_set_text (GTK_LABEL (self->title), g_value_get_string (value));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      g_value_get_string (value), -1);
      break;
    case PROP_DESCRIPTION:
      gtk_label_set_text (GTK_LABEL (self->description), g_value_get_string (value));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      g_value_get_string (value), -1);
      break;
    case PROP_ICON_NAME:
      gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_type_tile_class_init (SegTypeTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = seg_type_tile_dispose;
  object_class->finalize = seg_type_tile_finalize;
  object_class->get_property = seg_type_tile_get_property;
  object_class->set_property = seg_type_tile_set_property;
  properties[PROP_KIND_ID] = g_param_spec_string ("kind-id", NULL, NULL, NULL, rw);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, rw);
  properties[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "segtypetile");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
seg_type_tile_init (SegTypeTile *self)
{
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->icon = gtk_image_new ();
  gtk_image_set_pixel_size (GTK_IMAGE (self->icon), 32);
  gtk_widget_set_valign (self->icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->icon, "seg-tile-icon");
  self->title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->title, "heading");
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  self->description = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->description, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (self->description), 0);
  gtk_label_set_yalign (GTK_LABEL (self->description), 0);
  gtk_label_set_wrap (GTK_LABEL (self->description), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->description), 34);
  gtk_label_set_width_chars (GTK_LABEL (self->description), 22);
  gtk_label_set_lines (GTK_LABEL (self->description), 3);
  gtk_box_append (GTK_BOX (texts), self->title);
  gtk_box_append (GTK_BOX (texts), self->description);
  gtk_box_append (GTK_BOX (self->box), self->icon);
  gtk_box_append (GTK_BOX (self->box), texts);
}

const char *
seg_type_tile_get_kind_id (SegTypeTile *self)
{
  return self->kind_id;
}

const char *
seg_type_tile_get_title (SegTypeTile *self)
{
  return gtk_label_get_text (GTK_LABEL (self->title));
}
