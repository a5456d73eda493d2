/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Opens the real application window under a display (Xvfb in CI) and checks what a user
 * sees first: the header bar and its menu, the empty state with its three actions, the
 * About, Shortcuts and Preferences windows, opening a store, and the remembered size.
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include "ui-test-util.h"

#include <glib/gstdio.h>

#include "seg-application.h"
#include "seg-preferences-window.h"
#include "seg-window.h"

static SegApplication *app;
static char *data_home;

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) &&
          gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
toplevel_is_mapped (gpointer data)
{
  return find_toplevel ((GType) GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
toplevel_is_gone (gpointer data)
{
  return find_toplevel ((GType) GPOINTER_TO_SIZE (data)) == NULL;
}

static GtkWindow *
wait_for_toplevel (GType type)
{
  g_assert_true (ui_test_wait_until (toplevel_is_mapped, GSIZE_TO_POINTER (type)));
  return find_toplevel (type);
}

static void
close_toplevel (GType type)
{
  GtkWindow *window = find_toplevel (type);

  g_assert_nonnull (window);
  gtk_window_close (window);
  g_assert_true (ui_test_wait_until (toplevel_is_gone, GSIZE_TO_POINTER (type)));
  ui_test_settle ();
}

static gboolean
is_primary_menu (GtkWidget     *widget,
                 gconstpointer  data)
{
  return gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget));
}

static gboolean
has_action_name (GtkWidget     *widget,
                 gconstpointer  action_name)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

static gboolean
page_is_empty (gpointer data)
{
  return g_strcmp0 (seg_window_get_visible_page (data), "empty") == 0;
}

static SegWindow *
get_main_window (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (SEG_IS_WINDOW (window));
  g_assert_true (ui_test_wait_until (ui_test_widget_is_mapped, window));

  return SEG_WINDOW (window);
}

static void
collect_menu_actions (GMenuModel *model,
                      GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr(GMenuModel) section = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_ptr_array_add (actions, g_steal_pointer (&action));

      section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      if (section != NULL)
        collect_menu_actions (section, actions);
    }
}

static gboolean
action_is_available (GtkWidget  *window,
                     const char *detailed_name)
{
  if (g_str_has_prefix (detailed_name, "app."))
    return g_action_group_has_action (G_ACTION_GROUP (app), detailed_name + 4);
  if (g_str_has_prefix (detailed_name, "win."))
    return g_action_group_has_action (G_ACTION_GROUP (window), detailed_name + 4);
  return FALSE;
}

static void
test_window_opens (void)
{
  SegWindow *window = get_main_window ();
  GtkWidget *header_bar;
  GtkWidget *menu_button;
  GtkWidget *status_page;
  GtkWidget *title;
  GMenuModel *menu;
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  const char *menu_actions[] = { "app.preferences", "win.show-help-overlay", "app.about" };
  const char *empty_actions[] = { "win.import", "win.open-store", "app.load-demo" };

  /* The header bar, with the window title naming the store in use. */
  header_bar = ui_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR, NULL, NULL);
  g_assert_nonnull (header_bar);
  g_assert_true (gtk_widget_get_mapped (header_bar));
  title = ui_test_find_descendant (header_bar, ADW_TYPE_WINDOW_TITLE, NULL, NULL);
  g_assert_nonnull (title);
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (title)), ==, "Segment Studio");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==,
                   "default.segstore");

  /* The primary menu offers Preferences, Keyboard Shortcuts and About, all of them real. */
  menu_button = ui_test_find_descendant (header_bar, GTK_TYPE_MENU_BUTTON, is_primary_menu, NULL);
  g_assert_nonnull (menu_button);
  g_assert_true (gtk_widget_get_mapped (menu_button));
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  collect_menu_actions (menu, actions);
  for (guint i = 0; i < G_N_ELEMENTS (menu_actions); i++)
    {
      g_assert_true (g_ptr_array_find_with_equal_func (actions, menu_actions[i],
                                                       g_str_equal, NULL));
      g_assert_true (action_is_available (GTK_WIDGET (window), menu_actions[i]));
    }

  /* First run: once the (new, empty) store is open, the empty state, offering the three
   * ways in. */
  g_assert_true (ui_test_wait_until (page_is_empty, window));
  g_assert_cmpstr (seg_window_get_visible_page (window), ==, "empty");
  status_page = ui_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, NULL, NULL);
  g_assert_nonnull (status_page);
  g_assert_true (gtk_widget_get_mapped (status_page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status_page)), ==,
                   "Welcome to Segment Studio");
  for (guint i = 0; i < G_N_ELEMENTS (empty_actions); i++)
    {
      GtkWidget *button = ui_test_find_descendant (status_page, GTK_TYPE_BUTTON,
                                           has_action_name, empty_actions[i]);

      g_assert_nonnull (button);
      g_assert_true (gtk_widget_get_mapped (button));
      g_assert_true (action_is_available (GTK_WIDGET (window), empty_actions[i]));
    }
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "open-store"));
}

static void
test_about_window (void)
{
  SegWindow *window = get_main_window ();
  GtkWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = wait_for_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Segment Studio");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==,
                   PACKAGE_VERSION);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  close_toplevel (ADW_TYPE_ABOUT_WINDOW);
}

static void
test_shortcuts_window (void)
{
  SegWindow *window = get_main_window ();
  g_auto(GStrv) accels = NULL;

  /* gtk/help-overlay.ui is picked up from the resources by the application. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>comma"));

  /* Closing only hides the overlay, which the window keeps for next time. */
  gtk_window_close (GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))));
  g_assert_true (ui_test_wait_until (toplevel_is_gone, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW)));
  ui_test_settle ();
}

static gboolean
is_not_combo_row (GtkWidget     *widget,
                  gconstpointer  data)
{
  return !ADW_IS_COMBO_ROW (widget);
}

static void
test_preferences_window (void)
{
  GSettings *settings = seg_application_get_settings (app);
  g_autofree char *default_path = seg_application_dup_default_store_path ();
  g_autofree char *nick = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GTimeZone) store_tz = g_time_zone_new_identifier ("Asia/Kolkata");
  GtkWindow *preferences;
  GtkWidget *combo;
  GtkWidget *store_row;

  get_main_window ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = wait_for_toplevel (SEG_TYPE_PREFERENCES_WINDOW);

  /* The time zone choice is the setting, both ways. */
  combo = ui_test_find_descendant (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, NULL, NULL);
  g_assert_nonnull (combo);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (combo))), ==, 3);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
  if (store_tz != NULL)
    {
      tz = seg_application_dup_display_timezone (app, store_tz);
      g_assert_cmpstr (g_time_zone_get_identifier (tz), ==, "Asia/Kolkata");
      g_clear_pointer (&tz, g_time_zone_unref);
    }

  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  nick = g_settings_get_string (settings, "display-timezone");
  g_assert_cmpstr (nick, ==, "utc");
  tz = seg_application_dup_display_timezone (app, store_tz);
  g_assert_cmpstr (g_time_zone_get_identifier (tz), ==, "UTC");

  g_settings_set_string (settings, "display-timezone", "local");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 1);
  g_settings_reset (settings, "display-timezone");

  /* The store row shows where the data lives. */
  store_row = ui_test_find_descendant (GTK_WIDGET (preferences), ADW_TYPE_ACTION_ROW,
                               is_not_combo_row, NULL);
  g_assert_nonnull (store_row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (store_row)), default_path));

  close_toplevel (SEG_TYPE_PREFERENCES_WINDOW);
}

static gboolean
chooser_has_file (gpointer data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (data));

  return file != NULL;
}

static gboolean
store_path_is (gpointer data)
{
  return g_strcmp0 (seg_application_get_store_path (app), data) == 0;
}

static void
test_open_store (void)
{
  SegWindow *window = get_main_window ();
  g_autofree char *path = g_build_filename (data_home, "shop.segstore", NULL);
  g_autofree char *default_path = seg_application_dup_default_store_path ();
  g_autofree char *saved = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GtkWindow *chooser;
  GtkWidget *title;

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (seg_application_get_store_path (app), ==, default_path);
  g_assert_true (seg_application_get_store_path_is_default (app));

  /* Without portals, GtkFileChooserNative shows a GtkFileChooserDialog: pick the file in
   * it as a user would and accept. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-store", NULL);
  chooser = wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error));
  g_assert_no_error (error);
  g_assert_true (ui_test_wait_until (chooser_has_file, chooser));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);

  g_assert_true (ui_test_wait_until (store_path_is, path));
  g_assert_true (ui_test_wait_until (toplevel_is_gone, GSIZE_TO_POINTER (GTK_TYPE_FILE_CHOOSER_DIALOG)));
  ui_test_settle ();

  saved = g_settings_get_string (seg_application_get_settings (app), "store-path");
  g_assert_cmpstr (saved, ==, path);
  g_assert_false (seg_application_get_store_path_is_default (app));
  title = ui_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, NULL, NULL);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, "shop.segstore");

  /* Back to the default store. */
  seg_application_set_store_path (app, NULL);
  g_assert_cmpstr (seg_application_get_store_path (app), ==, default_path);
  g_assert_true (seg_application_get_store_path_is_default (app));
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, "default.segstore");

  g_assert_cmpint (g_unlink (path), ==, 0);
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
window_is_gone (gpointer data)
{
  return gtk_application_get_active_window (GTK_APPLICATION (app)) == NULL;
}

static void
test_window_state (void)
{
  GSettings *settings = seg_application_get_settings (app);
  SegWindow *window = get_main_window ();
  int width, height;

  /* Closing the window remembers its size (and frees the window)... */
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (ui_test_wait_until (window_is_gone, NULL));
  /* Reading the store may still hold the window until it answers. */
  g_assert_true (ui_test_wait_until (pointer_is_null, &window));
  g_assert_null (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* ...and the next window opens with it. */
  window = get_main_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Keep the default store path away from the user's real data folder. */
  data_home = g_dir_make_tmp ("segment-studio-ui-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);


  if (!gtk_init_check ())
    {
      g_test_skip ("No display (run under xvfb-run -a)");
      g_rmdir (data_home);
      return 77;
    }
  /* GTK 4.8 warns "unexpected blinking selection" when an entry's cursor timer fires
   * while a test moves focus faster than a person would; that warning is fatal here. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  app = seg_application_new (APPLICATION_ID, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/Window/opens-with-empty-state", test_window_opens);
  g_test_add_func ("/Window/about", test_about_window);
  g_test_add_func ("/Window/shortcuts", test_shortcuts_window);
  g_test_add_func ("/Window/preferences", test_preferences_window);
  g_test_add_func ("/Window/open-store", test_open_store);
  g_test_add_func ("/Window/remembers-size", test_window_state);

  ret = g_test_run ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  ui_test_settle ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_clear_object (&app);

  g_rmdir (data_home);
  g_free (data_home);

  return ret;
}
