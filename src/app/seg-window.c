/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-window"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-window.h"

struct _SegWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *primary_menu_button;
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  AdwStatusPage        *empty_page;
};

G_DEFINE_FINAL_TYPE (SegWindow, seg_window, ADW_TYPE_APPLICATION_WINDOW)

/**
 * seg_window_new:
 * @application: the application the window belongs to
 *
 * Returns: (transfer none): a new main window, owned by @application
 */
SegWindow *
seg_window_new (SegApplication *application)
{
  g_return_val_if_fail (SEG_IS_APPLICATION (application), NULL);

  return g_object_new (SEG_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * seg_window_get_visible_page:
 *
 * Returns: (transfer none) (nullable): the name of the page the window shows, such as
 *   "empty"
 */
const char *
seg_window_get_visible_page (SegWindow *self)
{
  g_return_val_if_fail (SEG_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/**
 * seg_window_set_visible_page:
 * @name: the name of a page of the window
 *
 * Shows the page called @name.
 */
void
seg_window_set_visible_page (SegWindow  *self,
                             const char *name)
{
  g_return_if_fail (SEG_IS_WINDOW (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/**
 * seg_window_add_toast:
 * @toast: (transfer full): a toast
 *
 * Shows @toast over the window's pages.
 */
void
seg_window_add_toast (SegWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (SEG_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
store_path_to_subtitle (GBinding     *binding,
                        const GValue *from_value,
                        GValue       *to_value,
                        gpointer      user_data)
{
  const char *path = g_value_get_string (from_value);

  if (path == NULL)
    g_value_set_string (to_value, NULL);
  else
    g_value_take_string (to_value, g_path_get_basename (path));

  return TRUE;
}

static void
store_path_notify_cb (SegWindow      *self,
                      GParamSpec     *pspec,
                      SegApplication *application)
{
  g_autofree char *basename = NULL;
  g_autofree char *title = NULL;

  basename = g_path_get_basename (seg_application_get_store_path (application));
  /* Translators: %s is the file name of a store, such as default.segstore */
  title = g_strdup_printf (_("Using store “%s”"), basename);
  seg_window_add_toast (self, adw_toast_new (title));
}

static void
open_store_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  SegWindow *self = user_data;
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  seg_application_choose_store (SEG_APPLICATION (application), GTK_WINDOW (self));
}

static const GActionEntry win_actions[] = {
  { "open-store", open_store_action },
  /* Filled in by the import assistant; see seg_window_init(). */
  { "import", NULL },
};

static void
seg_window_save_state (SegWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  /* A maximized window keeps the size it had before, to return to it later. */
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static void
seg_window_restore_state (SegWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
seg_window_close_request (GtkWindow *window)
{
  seg_window_save_state (SEG_WINDOW (window));

  return GTK_WINDOW_CLASS (seg_window_parent_class)->close_request (window);
}

/* GtkWindow:application is set after construction, so the window connects to its
 * application (once) when that property is first set. */
static void
application_notify_cb (SegWindow  *self,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (application == NULL || self->settings != NULL)
    return;

  g_return_if_fail (SEG_IS_APPLICATION (application));

  self->settings = g_object_ref (seg_application_get_settings (SEG_APPLICATION (application)));
  seg_window_restore_state (self);

  g_object_bind_property_full (application, "store-path",
                               self->window_title, "subtitle",
                               G_BINDING_SYNC_CREATE,
                               store_path_to_subtitle, NULL, NULL, NULL);
  g_signal_connect_object (application, "notify::store-path",
                           G_CALLBACK (store_path_notify_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
seg_window_dispose (GObject *object)
{
  SegWindow *self = SEG_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SEG_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (seg_window_parent_class)->dispose (object);
}

static void
seg_window_class_init (SegWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = seg_window_dispose;

  window_class->close_request = seg_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/seg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SegWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, empty_page);
}

static void
seg_window_init (SegWindow *self)
{
  GAction *import;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::application", G_CALLBACK (application_notify_cb), NULL);

  adw_status_page_set_icon_name (self->empty_page, APPLICATION_ID);

#ifdef DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  /* Importing needs the importers and the import assistant, which are wired in when they
   * land; until then the action exists but is disabled, so its button shows greyed out
   * instead of doing nothing. */
  import = g_action_map_lookup_action (G_ACTION_MAP (self), "import");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (import), FALSE);
}
