/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-name-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-name-picker.h"

/*
 * A searchable picker of a name (an event, a property) from a list of GObjects with a
 * "name" property: a button that opens a popover with a search entry and a virtualised
 * list. Typing filters as you type; Enter picks the first match, or the text itself if
 * nothing matches, so that a rule can name an event the store has no data for yet.
 * With "multiple", each pick adds a removable chip ("did any of").
 */

struct _SegNamePicker
{
  GtkWidget                parent_instance;

  GtkWidget               *box;
  GtkWidget               *chips;
  GtkWidget               *button;
  GtkWidget               *button_label;
  GtkWidget               *popover;
  GtkWidget               *search;
  GtkWidget               *list;
  GtkFilterListModel      *filtered;
  GtkSingleSelection      *selection;
  GtkStringFilter         *filter;
  SegNamePickerDetailFunc  detail;
  char                    *placeholder;
  char                    *name;
  GPtrArray               *names;
  gboolean                 multiple;
};

G_DEFINE_FINAL_TYPE (SegNamePicker, seg_name_picker, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
seg_name_picker_dispose (GObject *object)
{
  SegNamePicker *self = SEG_NAME_PICKER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->selection);
  G_OBJECT_CLASS (seg_name_picker_parent_class)->dispose (object);
}

static void
seg_name_picker_finalize (GObject *object)
{
  SegNamePicker *self = SEG_NAME_PICKER (object);

  g_free (self->placeholder);
  g_free (self->name);
  g_ptr_array_unref (self->names);
  G_OBJECT_CLASS (seg_name_picker_parent_class)->finalize (object);
}

static void
seg_name_picker_class_init (SegNamePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_name_picker_dispose;
  object_class->finalize = seg_name_picker_finalize;

  /**
   * SegNamePicker::changed:
   * The picked name (or the set of names) changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
update_label (SegNamePicker *self)
{
  const char *text = self->multiple || self->name == NULL ? self->placeholder : self->name;

  gtk_label_set_text (GTK_LABEL (self->button_label), text);
  if (!self->multiple && self->name == NULL)
    gtk_widget_add_css_class (self->button_label, "dim-label");
  else
    gtk_widget_remove_css_class (self->button_label, "dim-label");
}

static void chip_remove_cb (GtkButton *button, SegNamePicker *self);

static void
rebuild_chips (SegNamePicker *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->chips)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->chips), child);
  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);
      GtkWidget *chip = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      g_autofree char *label = g_strdup_printf (_("Remove %s"), name);

      gtk_box_append (GTK_BOX (box), gtk_label_new (name));
      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("window-close-symbolic"));
      gtk_button_set_child (GTK_BUTTON (chip), box);
      gtk_widget_add_css_class (chip, "pill");
      gtk_widget_add_css_class (chip, "small");
      gtk_widget_set_tooltip_text (chip, label);
      g_object_set_data_full (G_OBJECT (chip), "seg-name", g_strdup (name), g_free);
      g_signal_connect (chip, "clicked", G_CALLBACK (chip_remove_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (self->chips), chip);
    }
  gtk_widget_set_visible (self->chips, self->names->len > 0);
}

static void
chip_remove_cb (GtkButton     *button,
                SegNamePicker *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "seg-name");

  for (guint i = 0; i < self->names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->names, i), name) == 0)
      {
        g_ptr_array_remove_index (self->names, i);
        break;
      }
  rebuild_chips (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * seg_name_picker_pick:
 * @name: the name to pick, as the user would by choosing it from the list
 */
void
seg_name_picker_pick (SegNamePicker *self,
                      const char    *name)
{
  if (name == NULL || *name == '\0')
    return;
  if (self->multiple)
    {
      for (guint i = 0; i < self->names->len; i++)
        if (g_strcmp0 (g_ptr_array_index (self->names, i), name) == 0)
          return;
      g_ptr_array_add (self->names, g_strdup (name));
      rebuild_chips (self);
    }
  else
    {
      if (g_strcmp0 (self->name, name) == 0)
        return;
      g_free (self->name);
      self->name = g_strdup (name);
      update_label (self);
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

static char *
item_name (GObject *item)
{
  char *name = NULL;

  g_object_get (item, "name", &name, NULL);
  return name;
}

static void
list_activate_cb (GtkListView   *list,
                  guint          position,
                  SegNamePicker *self)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  g_autofree char *name = item != NULL ? item_name (item) : NULL;

  gtk_popover_popdown (GTK_POPOVER (self->popover));
  seg_name_picker_pick (self, name);
}

static void
search_activate_cb (GtkSearchEntry *entry,
                    SegNamePicker  *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *name = NULL;

  /* An exact match wins over the first partial one; nothing matching picks the text. */
  for (guint i = 0; i < n && name == NULL; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);
      g_autofree char *candidate = item_name (item);
      if (g_utf8_collate (candidate, text) == 0)
        name = g_steal_pointer (&candidate);
    }
  if (name == NULL && n > 0)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), 0);
      name = item_name (item);
    }
  if (name == NULL)
    name = g_strstrip (g_strdup (text));
  gtk_popover_popdown (GTK_POPOVER (self->popover));
  seg_name_picker_pick (self, name);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   SegNamePicker  *self)
{
  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
search_stop_cb (GtkSearchEntry *entry,
                SegNamePicker  *self)
{
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static gboolean
search_key_cb (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               SegNamePicker         *self)
{
  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    {
      gtk_widget_child_focus (self->list, GTK_DIR_TAB_FORWARD);
      return TRUE;
    }
  return FALSE;
}

static void
popover_show_cb (SegNamePicker *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search), "");
  gtk_widget_grab_focus (self->search);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          SegNamePicker            *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_list_item_set_child (item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         SegNamePicker            *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GObject *obj = gtk_list_item_get_item (item);
  g_autofree char *name = item_name (obj);
  g_autofree char *detail = self->detail ? self->detail (obj) : NULL;

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), name);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), detail);
}

static void
seg_name_picker_init (SegNamePicker *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *popbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkWidget *arrow = gtk_image_new_from_icon_name ("pan-down-symbolic");
  GtkWidget *button_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->names = g_ptr_array_new_with_free_func (g_free);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->chips = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->chips), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->chips), 8);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->chips), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->chips), 4);
  gtk_widget_set_visible (self->chips, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->chips);

  self->button = gtk_menu_button_new ();
  self->button_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->button_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (self->button_label), 0);
  gtk_widget_set_hexpand (self->button_label, TRUE);
  gtk_box_append (GTK_BOX (button_box), self->button_label);
  gtk_box_append (GTK_BOX (button_box), arrow);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->button), button_box);
  gtk_widget_set_halign (self->button, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self->box), self->button);

  self->filter = gtk_string_filter_new (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                                    G_CALLBACK (item_name), NULL, NULL));
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  self->list = gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)), factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (self->list), TRUE);
  g_signal_connect (self->list, "activate", G_CALLBACK (list_activate_cb), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), self->list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroll), 60);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroll), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroll), TRUE);
  gtk_widget_set_size_request (scroll, 260, -1);

  self->search = gtk_search_entry_new ();
  g_signal_connect (self->search, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->search, "activate", G_CALLBACK (search_activate_cb), self);
  g_signal_connect (self->search, "stop-search", G_CALLBACK (search_stop_cb), self);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (search_key_cb), self);
  gtk_widget_add_controller (self->search, keys);

  gtk_box_append (GTK_BOX (popbox), self->search);
  gtk_box_append (GTK_BOX (popbox), scroll);
  self->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->popover), popbox);
  g_signal_connect_swapped (self->popover, "show", G_CALLBACK (popover_show_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), self->popover);
}

/**
 * seg_name_picker_new:
 * @placeholder: the button's text while nothing is picked (or, with @multiple, always)
 * @multiple: pick a set of names shown as chips
 *
 * Returns: (transfer floating): a new picker
 */
GtkWidget *
seg_name_picker_new (const char *placeholder,
                     gboolean    multiple)
{
  SegNamePicker *self = g_object_new (SEG_TYPE_NAME_PICKER, NULL);

  self->placeholder = g_strdup (placeholder);
  self->multiple = multiple;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  placeholder, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  placeholder, -1);
  update_label (self);
  return GTK_WIDGET (self);
}

void
seg_name_picker_set_model (SegNamePicker           *self,
                           GListModel              *model,
                           SegNamePickerDetailFunc  detail)
{
  self->detail = detail;
  gtk_filter_list_model_set_model (self->filtered, model);
}

const char *
seg_name_picker_get_name (SegNamePicker *self)
{
  return self->name;
}

void
seg_name_picker_set_name (SegNamePicker *self,
                          const char    *name)
{
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  update_label (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * seg_name_picker_dup_names:
 * Returns: (transfer full): the names picked (with "multiple"), in order
 */
GStrv
seg_name_picker_dup_names (SegNamePicker *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < self->names->len; i++)
    g_strv_builder_add (b, g_ptr_array_index (self->names, i));
  return g_strv_builder_end (b);
}

void
seg_name_picker_set_names (SegNamePicker      *self,
                           const char * const *names)
{
  g_ptr_array_set_size (self->names, 0);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_ptr_array_add (self->names, g_strdup (names[i]));
  rebuild_chips (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * seg_name_picker_dup_item:
 * Returns: (transfer full) (nullable): the model's item with the picked name
 */
GObject *
seg_name_picker_dup_item (SegNamePicker *self)
{
  GListModel *model = gtk_filter_list_model_get_model (self->filtered);
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < n && self->name != NULL; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *name = item_name (item);
      if (g_strcmp0 (name, self->name) == 0)
        return g_steal_pointer (&item);
    }
  return NULL;
}

GtkWidget *
seg_name_picker_get_button (SegNamePicker *self)
{
  return self->button;
}
