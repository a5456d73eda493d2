/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-window"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-connections-dialog.h"
#include "seg-demo.h"
#include "seg-event-info.h"
#include "seg-format.h"
#include "seg-local-store.h"
#include "live/seg-today-page.h"
#include "seg-segment.h"
#include "seg-segments-view.h"
#include "seg-window.h"
#include "clickhouse/seg-clickhouse-keyring.h"
#include "clickhouse/seg-clickhouse-location.h"
#include "clickhouse/seg-clickhouse-store.h"
#include "import/seg-import-assistant.h"

/* seg-segment.h is not included: its seg-definition.h has a SegWindow of its own (a time
 * window), so segments are read through their GObject properties here. */
static int
segment_get_kind (GObject *segment)
{
  int kind = 0;

  g_object_get (segment, "kind", &kind, NULL);
  return kind;
}

/* What the window is busy with on its loading page. */
typedef struct
{
  GMutex  lock;
  double  fraction;
  char   *what;
} DemoProgress;

struct _SegWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  SegStore             *store;
  GCancellable         *store_cancellable;   /* opening the store, listing its contents */
  GListModel           *segments;            /* live list of the store's segments */
  GListModel           *events;              /* SegEventInfo */
  gboolean              refreshing;
  gboolean              refresh_again;

  GCancellable         *demo_cancellable;
  DemoProgress         *demo_progress;
  guint                 demo_timeout;

  GtkWidget            *segments_view;       /* the segment list, wizard and reports */
  GtkWidget            *today_page;          /* live segments running now */
  AdwViewStack         *data_stack;          /* "segments" and "overview", once there is data */
  AdwViewSwitcherTitle *switcher_title;      /* owned: only one title is in the header bar */
  GtkWidget            *switcher_bar;        /* at the bottom, in narrow windows */
  AdwWindowTitle       *plain_title;         /* owned, the template's window_title */

  GtkWindow            *assistant;           /* weak */
  GFile                *pending_import;      /* to import once the store is open */

  /* Template widgets */
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *store_button;
  GtkLabel             *store_label;
  GtkMenuButton        *primary_menu_button;
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *loading_page;
  GtkSpinner           *loading_spinner;
  GtkProgressBar       *loading_progress;
  GtkButton            *loading_cancel_button;
  AdwStatusPage        *error_page;
  GtkLabel             *overview_title;
  GtkLabel             *overview_stats;
  GtkListBox           *segments_list;
  GtkListView          *events_view;
};

G_DEFINE_FINAL_TYPE (SegWindow, seg_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void seg_window_open_store (SegWindow *self);

/* A user who just qualified for a live segment: show their profile. */
static void
today_user_activated_cb (SegWindow  *self,
                         const char *user_id)
{
  adw_view_stack_set_visible_child_name (self->data_stack, "segments");
  seg_segments_view_open_user (SEG_SEGMENTS_VIEW (self->segments_view), user_id);
}
static void store_opened          (SegWindow *self,
                                   SegStore  *store,
                                   GError    *error);
static void seg_window_refresh    (SegWindow *self);
static void segments_changed_cb   (SegWindow *self);
static void update_title_widget   (SegWindow *self);

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

  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  /* The data's views are named for what they show: "segments" or "overview". */
  if (g_strcmp0 (name, "data") == 0)
    return adw_view_stack_get_visible_child_name (self->data_stack);
  return name;
}

/**
 * seg_window_get_page:
 * @name: the name of a page, such as "empty", "segments" or "overview"
 *
 * Returns: (transfer none) (nullable): the page's widget
 */
GtkWidget *
seg_window_get_page (SegWindow  *self,
                     const char *name)
{
  GtkWidget *page;

  g_return_val_if_fail (SEG_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  page = adw_view_stack_get_child_by_name (self->data_stack, name);
  return page != NULL ? page : adw_view_stack_get_child_by_name (self->view_stack, name);
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

  if (adw_view_stack_get_child_by_name (self->data_stack, name) != NULL)
    {
      adw_view_stack_set_visible_child_name (self->data_stack, name);
      name = "data";
    }
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

static char *
store_display_name (const char *path)
{
  if (seg_clickhouse_location_is_uri (path))
    {
      SegClickhouseLocation where;
      char *name;

      if (!seg_clickhouse_location_parse (path, &where, NULL))
        return g_strdup (path);
      name = seg_clickhouse_location_describe (&where);
      seg_clickhouse_location_clear (&where);
      return name;
    }
  return g_path_get_basename (path);
}

static gboolean
store_path_to_subtitle (GBinding     *binding,
                        const GValue *from_value,
                        GValue       *to_value,
                        gpointer      user_data)
{
  const char *path = g_value_get_string (from_value);

  g_value_take_string (to_value, path ? store_display_name (path) : NULL);
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

  seg_window_open_store (self);
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

static void
import_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  seg_window_open_import (SEG_WINDOW (user_data), NULL);
}

static void
connections_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWidget *dialog = seg_connections_dialog_new (GTK_WINDOW (user_data));

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reload_store_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  seg_window_open_store (SEG_WINDOW (user_data));
}

static void
find_user_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  SegWindow *self = SEG_WINDOW (user_data);

  if (self->store == NULL)
    {
      seg_window_add_toast (self, adw_toast_new (_("Open a store first, then look its users up")));
      return;
    }
  seg_window_set_visible_page (self, "segments");
  seg_segments_view_find_user (SEG_SEGMENTS_VIEW (self->segments_view));
}

/* The Today page runs the live controller of the store; live segments' reports follow it. */
static void
today_store_cb (SegWindow *self)
{
  seg_segments_view_set_live_controller (SEG_SEGMENTS_VIEW (self->segments_view),
                                         seg_today_page_get_controller (SEG_TODAY_PAGE (self->today_page)));
}

static void
show_today_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  seg_window_set_visible_page (SEG_WINDOW (user_data), "today");
}

static void
show_live_report_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  SegWindow *self = SEG_WINDOW (user_data);
  const char *id = g_variant_get_string (parameter, NULL);
  guint n = self->segments != NULL ? g_list_model_get_n_items (self->segments) : 0;

  /* A live segment's report is live (its streaming chart and users trickling in); until
   * the segments are listed, the Today page shows the segment. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (self->segments, i);

      if (g_strcmp0 (seg_segment_get_id (seg), id) == 0)
        {
          seg_window_set_visible_page (self, "segments");
          seg_segments_view_open_report (SEG_SEGMENTS_VIEW (self->segments_view), seg);
          return;
        }
    }
  seg_today_page_select_segment (SEG_TODAY_PAGE (self->today_page), id);
  seg_window_set_visible_page (self, "today");
}

/* The store switcher: the header's button names the store in use; its menu offers the
 * recently opened stores, the saved ClickHouse connections, and the ways to another. */

#define N_RECENT_STORES 8

static void
add_store_item (GMenu      *section,
                const char *path)
{
  g_autofree char *label = store_display_name (path);
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, "win.switch-store", g_variant_new_string (path));
  g_menu_append_item (section, item);
}

static void
update_store_switcher (SegWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  const char *current;
  g_autofree char *name = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) recent = g_menu_new ();
  g_autoptr(GMenu) remote = g_menu_new ();
  g_autoptr(GMenu) more = g_menu_new ();
  g_auto(GStrv) recents = NULL;
  g_auto(GStrv) connections = NULL;

  if (application == NULL || self->settings == NULL || self->store_button == NULL)
    return;
  current = seg_application_get_store_path (SEG_APPLICATION (application));
  name = current ? store_display_name (current) : g_strdup ("");
  gtk_label_set_label (self->store_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->store_button), current);

  recents = g_settings_get_strv (self->settings, "recent-stores");
  for (guint i = 0; recents[i] != NULL; i++)
    if (g_strcmp0 (recents[i], current) != 0)
      add_store_item (recent, recents[i]);
  connections = g_settings_get_strv (self->settings, "clickhouse-connections");
  for (guint i = 0; connections[i] != NULL; i++)
    if (g_strcmp0 (connections[i], current) != 0 &&
        !g_strv_contains ((const char * const *) recents, connections[i]))
      add_store_item (remote, connections[i]);
  g_menu_append (more, _("Open Store File…"), "win.open-store");
  g_menu_append (more, _("ClickHouse Connections…"), "win.connections");
  if (g_menu_model_get_n_items (G_MENU_MODEL (recent)) > 0)
    g_menu_append_section (menu, _("Recent Stores"), G_MENU_MODEL (recent));
  if (g_menu_model_get_n_items (G_MENU_MODEL (remote)) > 0)
    g_menu_append_section (menu, _("ClickHouse Connections"), G_MENU_MODEL (remote));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (more));
  gtk_menu_button_set_menu_model (self->store_button, G_MENU_MODEL (menu));
}

/* A store that opened becomes the newest of the recent ones. */
static void
remember_store (SegWindow  *self,
                const char *path)
{
  g_auto(GStrv) recents = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  if (self->settings == NULL || path == NULL)
    return;
  recents = g_settings_get_strv (self->settings, "recent-stores");
  g_strv_builder_add (builder, path);
  for (guint i = 0; recents[i] != NULL && n < N_RECENT_STORES; i++)
    if (!g_str_equal (recents[i], path))
      {
        g_strv_builder_add (builder, recents[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-stores", (const char * const *) updated);
  update_store_switcher (self);
}

static void
switch_store_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  SegWindow *self = SEG_WINDOW (user_data);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  const char *path = g_variant_get_string (parameter, NULL);

  if (application == NULL)
    return;
  if (!seg_clickhouse_location_is_uri (path) && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *text = g_strdup_printf (_("The store “%s” is not there any more"), path);

      seg_window_add_toast (self, adw_toast_new (text));
      return;
    }
  seg_application_set_store_path (SEG_APPLICATION (application), path);
}

static const GActionEntry win_actions[] = {
  { "show-today", show_today_action },
  { "show-live-report", show_live_report_action, "s" },
  { "open-store", open_store_action },
  { "connections", connections_action },
  { "find-user", find_user_action },
  { "import", import_action },
  { "reload-store", reload_store_action },
  { "switch-store", switch_store_action, "s" },
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

/* Store lifecycle ------------------------------------------------------------------------ */

static void
seg_window_update_actions (SegWindow *self)
{
  GAction *import = g_action_map_lookup_action (G_ACTION_MAP (self), "import");
  gboolean busy = self->demo_cancellable != NULL;

  g_simple_action_set_enabled (G_SIMPLE_ACTION (import), self->store != NULL && !busy);
}

static void
data_changed_cb (SegWindow *self,
                 SegStore  *store)
{
  seg_window_refresh (self);
}

static void
seg_window_set_store (SegWindow *self,
                      SegStore  *store)
{
  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, data_changed_cb, self);
  g_set_object (&self->store, store);
  if (self->segments != NULL)
    g_signal_handlers_disconnect_by_func (self->segments, segments_changed_cb, self);
  g_clear_object (&self->segments);
  g_clear_object (&self->events);
  if (self->segments_list != NULL)
    gtk_list_box_bind_model (self->segments_list, NULL, NULL, NULL, NULL);
  if (self->events_view != NULL)
    gtk_list_view_set_model (self->events_view, NULL);
  if (self->store != NULL)
    g_signal_connect_object (self->store, "data-changed", G_CALLBACK (data_changed_cb), self,
                             G_CONNECT_SWAPPED);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  seg_window_update_actions (self);
}

/**
 * seg_window_get_store:
 *
 * Returns: (transfer none) (nullable): the store the window shows, once it is open
 */
SegStore *
seg_window_get_store (SegWindow *self)
{
  g_return_val_if_fail (SEG_IS_WINDOW (self), NULL);

  return self->store;
}

static void
seg_window_show_loading (SegWindow  *self,
                         const char *title,
                         gboolean    with_progress)
{
  adw_status_page_set_title (self->loading_page, title);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_progress), with_progress);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_cancel_button), with_progress);
  gtk_progress_bar_set_fraction (self->loading_progress, 0.0);
  gtk_progress_bar_set_text (self->loading_progress, NULL);
  gtk_spinner_start (self->loading_spinner);
  adw_view_stack_set_visible_child_name (self->view_stack, "loading");
}

static void
seg_window_show_error (SegWindow  *self,
                       const char *title,
                       const char *description)
{
  gtk_spinner_stop (self->loading_spinner);
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  adw_view_stack_set_visible_child_name (self->view_stack, "error");
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SegWindow) self = user_data;
  g_autoptr(SegLocalStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = seg_local_store_open_finish (result, &error);
  store_opened (self, store ? SEG_STORE (store) : NULL, error);
}

static void
clickhouse_opened_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(SegWindow) self = user_data;
  g_autoptr(SegClickhouseStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = seg_clickhouse_store_open_finish (result, &error);
  store_opened (self, store ? SEG_STORE (store) : NULL, error);
}

static void
password_found_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SegWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = seg_clickhouse_keyring_lookup_finish (result, &error);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  SegClickhouseLocation where;
  g_autoptr(SegClickhouseClient) client = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || application == NULL)
    return;
  if (password == NULL)
    {
      /* No keyring to ask (no Secret Service): try without a password; a server that
       * wants one says so, and the error page tells the user where it comes from. */
      g_message ("No password from the keyring: %s", error->message);
    }
  if (!seg_clickhouse_location_parse (seg_application_get_store_path (SEG_APPLICATION (application)),
                                      &where, &error))
    {
      store_opened (self, NULL, error);
      return;
    }
  client = seg_clickhouse_client_new (where.server, where.user, password ? password : "", where.database);
  seg_clickhouse_store_open_async (client, where.cluster, NULL, self->store_cancellable,
                                   clickhouse_opened_cb, g_object_ref (self));
  seg_clickhouse_location_clear (&where);
}

static void
store_opened (SegWindow *self,
              SegStore  *store,
              GError    *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (store == NULL)
    {
      GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
      const char *path = seg_application_get_store_path (SEG_APPLICATION (application));
      g_autofree char *description = NULL;

      g_message ("Could not open the store %s: %s", path, error->message);
      if (seg_clickhouse_location_is_uri (path))
        /* Translators: the first %s is a clickhouse:// address, the second an error message */
        description = g_markup_printf_escaped (_("The ClickHouse store <b>%s</b> could not be opened: %s\n\n"
                                                 "Check that the server is running and reachable, and the "
                                                 "user, password and database in ClickHouse Connections, "
                                                 "then try again, or open another store."),
                                               path, error->message);
      else
        /* Translators: the first %s is a file path, the second an error message */
        description = g_markup_printf_escaped (_("The store <b>%s</b> could not be opened: %s\n\n"
                                                 "Check that the folder exists and that you may "
                                                 "write to it, or open another store."),
                                               path, error->message);
      seg_window_show_error (self, _("Could Not Open the Store"), description);
      return;
    }

  seg_window_set_store (self, store);
  {
    GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

    if (application != NULL)
      remember_store (self, seg_application_get_store_path (SEG_APPLICATION (application)));
  }
  seg_window_refresh (self);

  if (self->pending_import != NULL)
    {
      g_autoptr(GFile) file = g_steal_pointer (&self->pending_import);

      seg_window_open_import (self, file);
    }
}

/* Opens the store the application's store-path names, off the UI thread. */
static void
seg_window_open_store (SegWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  const char *path;
  g_autofree char *dir = NULL;

  if (application == NULL)
    return;

  g_cancellable_cancel (self->store_cancellable);
  g_clear_object (&self->store_cancellable);
  self->store_cancellable = g_cancellable_new ();
  self->refreshing = FALSE;
  seg_window_set_store (self, NULL);

  path = seg_application_get_store_path (SEG_APPLICATION (application));
  if (seg_clickhouse_location_is_uri (path))
    {
      SegClickhouseLocation where;
      g_autoptr(GError) error = NULL;

      seg_window_show_loading (self, _("Connecting to ClickHouse…"), FALSE);
      /* A server that does not answer can be given up on (loading_cancel_clicked_cb). */
      gtk_widget_set_visible (GTK_WIDGET (self->loading_cancel_button), TRUE);
      if (!seg_clickhouse_location_parse (path, &where, &error))
        {
          store_opened (self, NULL, error);
          return;
        }
      /* The password is in the desktop keyring; the rest in the location. */
      seg_clickhouse_keyring_lookup_async (where.server, where.user, self->store_cancellable,
                                           password_found_cb, g_object_ref (self));
      seg_clickhouse_location_clear (&where);
      return;
    }
  /* The default store's folder is made on first use; a chosen store's folder exists. */
  dir = g_path_get_dirname (path);
  if (seg_application_get_store_path_is_default (SEG_APPLICATION (application)))
    g_mkdir_with_parents (dir, 0700);

  seg_window_show_loading (self, _("Opening the Store…"), FALSE);
  seg_local_store_open_async (path, NULL, self->store_cancellable,
                              store_opened_cb, g_object_ref (self));
}

/* Shows the empty state, or the segments once there is data. */
static void
seg_window_show_contents (SegWindow *self)
{
  guint n_user_segments = 0;
  guint64 n_events = 0;
  guint n_users = 0;
  g_autofree char *stats = NULL;
  g_autofree char *users_text = NULL;
  g_autofree char *events_text = NULL;
  g_autofree char *segments_text = NULL;

  gtk_spinner_stop (self->loading_spinner);

  for (guint i = 0; self->segments && i < g_list_model_get_n_items (self->segments); i++)
    {
      g_autoptr(GObject) segment = g_list_model_get_item (self->segments, i);

      if (segment_get_kind (segment) != SEG_SEGMENT_KIND_SYSTEM)
        n_user_segments++;
    }
  for (guint i = 0; self->events && i < g_list_model_get_n_items (self->events); i++)
    {
      g_autoptr(SegEventInfo) info = g_list_model_get_item (self->events, i);

      n_events += seg_event_info_get_count (info);
    }
  if (SEG_IS_LOCAL_STORE (self->store))
    n_users = seg_local_store_get_n_users (SEG_LOCAL_STORE (self->store));
  else
    /* A remote store: the All Users segment's count, once it has been evaluated. */
    for (guint i = 0; self->segments && i < g_list_model_get_n_items (self->segments); i++)
      {
        g_autoptr(SegSegment) segment = g_list_model_get_item (self->segments, i);

        if (g_str_equal (seg_segment_get_id (segment), SEG_SEGMENT_ID_ALL_USERS))
          n_users = (guint) MAX (0, seg_segment_get_last_count (segment));
      }

  if (n_events == 0 && n_user_segments == 0)
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "empty");
      return;
    }

  gtk_label_set_label (self->overview_title, seg_store_get_display_name (self->store));
  {
    g_autofree char *n_users_text = seg_format_count (n_users);
    g_autofree char *n_events_text = seg_format_count (n_events);

    /* Translators: %s is a number of users */
    users_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s user", "%s users", n_users),
                                  n_users_text);
    /* Translators: %s is a number of events */
    events_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s event", "%s events",
                                                n_events), n_events_text);
  }
  segments_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u saved segment",
                                                "%u saved segments", n_user_segments),
                                   n_user_segments);
  stats = g_strjoin (" · ", users_text, events_text, segments_text, NULL);
  gtk_label_set_label (self->overview_stats, stats);

  /* The data leads to the segment list, or keeps the view the user chose. */
  adw_view_stack_set_visible_child_name (self->view_stack, "data");
}

static GtkWidget *
segment_row_create (gpointer item,
                    gpointer user_data)
{
  GObject *segment = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  g_object_get (segment, "name", &name, "description", &description, NULL);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  if (description != NULL && description[0] != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
  else if (segment_get_kind (segment) == SEG_SEGMENT_KIND_SYSTEM)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Built in"));

  return row;
}

static void
events_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SegWindow) self = user_data;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  events = seg_store_list_events_finish (SEG_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      SEG_STORE (source) != self->store)
    return;
  self->refreshing = FALSE;

  if (events == NULL)
    {
      g_autofree char *description = NULL;

      description = g_markup_printf_escaped (_("The events of <b>%s</b> could not be read: %s"),
                                             seg_store_get_display_name (self->store),
                                             error->message);
      seg_window_show_error (self, _("Could Not Read the Store"), description);
      return;
    }

  g_set_object (&self->events, events);
  selection = gtk_no_selection_new (g_object_ref (events));
  gtk_list_view_set_model (self->events_view, GTK_SELECTION_MODEL (selection));

  seg_window_show_contents (self);

  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      seg_window_refresh (self);
    }
}

static void
segments_changed_cb (SegWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (page, "empty") == 0 || g_strcmp0 (page, "data") == 0)
    seg_window_show_contents (self);
}

static void
segments_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SegWindow) self = user_data;
  g_autoptr(GListModel) segments = NULL;
  g_autoptr(GError) error = NULL;

  segments = seg_store_list_segments_finish (SEG_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      SEG_STORE (source) != self->store)
    return;

  if (segments == NULL)
    {
      g_autofree char *description = NULL;

      self->refreshing = FALSE;
      description = g_markup_printf_escaped (_("The segments of <b>%s</b> could not be read: %s"),
                                             seg_store_get_display_name (self->store),
                                             error->message);
      seg_window_show_error (self, _("Could Not Read the Store"), description);
      return;
    }

  if (self->segments != segments)
    {
      if (self->segments != NULL)
        g_signal_handlers_disconnect_by_func (self->segments, segments_changed_cb, self);
      g_set_object (&self->segments, segments);
      gtk_list_box_bind_model (self->segments_list, segments, segment_row_create, NULL, NULL);
      /* A segment saved anywhere (the assistant, the wizard) updates the page. */
      g_signal_connect_object (segments, "items-changed", G_CALLBACK (segments_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }

  seg_store_list_events_async (self->store, self->store_cancellable,
                               events_listed_cb, g_object_ref (self));
}

/* Reads the store's segments and events again (after it opened or its data changed). */
static void
seg_window_refresh (SegWindow *self)
{
  if (self->store == NULL)
    return;
  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      return;
    }

  self->refreshing = TRUE;
  seg_store_list_segments_async (self->store, self->store_cancellable,
                                 segments_listed_cb, g_object_ref (self));
}

static void
event_row_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *range = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (range), 0);
  gtk_widget_add_css_class (range, "dim-label");
  gtk_widget_add_css_class (range, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), name);
  gtk_box_append (GTK_BOX (texts), range);
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static char *
format_day (gint64     ms,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_timezone (utc, tz) : NULL;

  /* Not %x: under the C locale that is the ambiguous US 05/01/24. */
  /* TRANSLATORS: first/last day of an event, see g_date_time_format() */
  return local ? g_date_time_format (local, _("%-d %b %Y")) : g_strdup ("?");
}

static void
event_row_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   SegWindow                *self)
{
  SegEventInfo *info = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *texts = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_first_child (texts);
  GtkWidget *range = gtk_widget_get_next_sibling (name);
  GtkWidget *count = gtk_widget_get_next_sibling (texts);
  GTimeZone *tz = self->store ? seg_store_get_timezone (self->store) : NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *first = format_day (seg_event_info_get_first_ts (info), tz ? tz : utc);
  g_autofree char *last = format_day (seg_event_info_get_last_ts (info), tz ? tz : utc);
  g_autofree char *range_text = NULL;
  g_autofree char *count_text = NULL;

  gtk_label_set_label (GTK_LABEL (name), seg_event_info_get_name (info));
  /* Translators: the dates of the first and the last event of a name */
  range_text = g_strdup_printf (_("From %s to %s"), first, last);
  gtk_label_set_label (GTK_LABEL (range), range_text);
  count_text = seg_format_count (seg_event_info_get_count (info));
  gtk_label_set_label (GTK_LABEL (count), count_text);
}

/* Demo data ------------------------------------------------------------------------------ */

static void
demo_progress_cb (double      fraction,
                  const char *what,
                  gpointer    user_data)
{
  DemoProgress *progress = user_data;

  g_mutex_lock (&progress->lock);
  progress->fraction = fraction;
  if (what != NULL && g_strcmp0 (what, progress->what) != 0)
    {
      g_free (progress->what);
      progress->what = g_strdup (what);
    }
  g_mutex_unlock (&progress->lock);
}

static void
demo_progress_clear (DemoProgress *progress)
{
  g_mutex_clear (&progress->lock);
  g_free (progress->what);
}

static gboolean
demo_progress_timeout_cb (gpointer user_data)
{
  SegWindow *self = user_data;
  DemoProgress *progress = self->demo_progress;

  g_mutex_lock (&progress->lock);
  gtk_progress_bar_set_fraction (self->loading_progress, progress->fraction);
  gtk_progress_bar_set_text (self->loading_progress, progress->what);
  g_mutex_unlock (&progress->lock);

  return G_SOURCE_CONTINUE;
}

static void
demo_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SegWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  DemoProgress *progress = g_steal_pointer (&self->demo_progress);
  gboolean ok;

  ok = seg_demo_load_finish (SEG_STORE (source), result, &error);
  g_atomic_rc_box_release_full (progress, (GDestroyNotify) demo_progress_clear);
  g_clear_handle_id (&self->demo_timeout, g_source_remove);
  g_clear_object (&self->demo_cancellable);
  seg_window_update_actions (self);

  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || SEG_STORE (source) != self->store)
    return;

  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        seg_window_add_toast (self, adw_toast_new (_("Demo data cancelled: nothing was added")));
      else
        {
          g_autofree char *message = NULL;

          /* Translators: %s is an error message */
          message = g_strdup_printf (_("Could not load the demo data: %s"), error->message);
          seg_window_add_toast (self, adw_toast_new (message));
        }
    }
  else
    seg_window_add_toast (self, adw_toast_new (_("Demo data loaded, with four example segments")));

  g_signal_emit_by_name (self, "demo-loaded", ok);
  self->refreshing = FALSE;
  seg_window_refresh (self);
}

/**
 * seg_window_load_demo:
 *
 * Generates demo events, profiles and example segments into the window's store, on a
 * worker thread, with progress and Cancel on the loading page. The window emits
 * "demo-loaded" when done.
 *
 * Returns: whether loading started (there is a store and no demo loading already)
 */
gboolean
seg_window_load_demo (SegWindow *self)
{
  g_return_val_if_fail (SEG_IS_WINDOW (self), FALSE);

  if (self->store == NULL || self->demo_cancellable != NULL)
    return FALSE;

  self->demo_cancellable = g_cancellable_new ();
  self->demo_progress = g_atomic_rc_box_new0 (DemoProgress);
  g_mutex_init (&self->demo_progress->lock);
  seg_window_update_actions (self);

  seg_window_show_loading (self, _("Loading Demo Data…"), TRUE);
  self->demo_timeout = g_timeout_add (100, demo_progress_timeout_cb, self);
  seg_demo_load_async (self->store, SEG_DEMO_N_EVENTS, SEG_DEMO_N_USERS,
                       /* Written only until the data is in, before demo_loaded_cb runs. */
                       demo_progress_cb, self->demo_progress,
                       self->demo_cancellable, demo_loaded_cb, g_object_ref (self));
  return TRUE;
}

static void
loading_cancel_clicked_cb (SegWindow *self)
{
  if (self->demo_cancellable != NULL)
    {
      g_cancellable_cancel (self->demo_cancellable);
      return;
    }
  /* Still connecting to a store (a ClickHouse server that does not answer): stop the
   * request and say so, with Try Again on the error page. */
  if (self->store == NULL)
    {
      g_cancellable_cancel (self->store_cancellable);
      seg_window_show_error (self, _("Connection Cancelled"),
                             _("Segment Studio stopped waiting for the server. Try again, "
                               "check the connection in ClickHouse Connections, or open "
                               "another store."));
    }
}

/* Import --------------------------------------------------------------------------------- */

static void
assistant_show_segments_cb (SegWindow *self)
{
  self->refreshing = FALSE;
  seg_window_refresh (self);
}

/**
 * seg_window_open_import:
 * @file: (nullable): the file to import, or %NULL to let the user choose one
 *
 * Opens the import assistant over the window (or brings it forward, with @file).
 *
 * Returns: (transfer none) (nullable): the assistant, or %NULL without a store
 */
SegImportAssistant *
seg_window_open_import (SegWindow *self,
                        GFile     *file)
{
  g_return_val_if_fail (SEG_IS_WINDOW (self), NULL);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  if (self->store == NULL)
    {
      /* A file given while the store opens (from the command line, or dropped) waits. */
      if (file != NULL && self->store_cancellable != NULL &&
          g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "loading") == 0)
        g_set_object (&self->pending_import, file);
      else
        seg_window_add_toast (self, adw_toast_new (_("The store is not open yet")));
      return NULL;
    }

  if (self->assistant == NULL)
    {
      self->assistant = GTK_WINDOW (seg_import_assistant_new (GTK_WINDOW (self), self->store));
      g_object_add_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
      g_signal_connect_object (self->assistant, "show-segments",
                               G_CALLBACK (assistant_show_segments_cb), self,
                               G_CONNECT_SWAPPED);
    }
  if (file != NULL)
    seg_import_assistant_set_file (SEG_IMPORT_ASSISTANT (self->assistant), file);
  gtk_window_present (self->assistant);

  return SEG_IMPORT_ASSISTANT (self->assistant);
}

/**
 * seg_window_handle_drop:
 * @value: what was dropped: a #GFile or a #GdkFileList
 *
 * What a drop on the window does: the first dropped file opens the import assistant.
 *
 * Returns: whether the drop was accepted
 */
gboolean
seg_window_handle_drop (SegWindow    *self,
                        const GValue *value)
{
  GFile *file = NULL;

  g_return_val_if_fail (SEG_IS_WINDOW (self), FALSE);

  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);
  else if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      file = files ? files->data : NULL;
      g_slist_free (files);
    }

  if (file == NULL)
    return FALSE;

  return seg_window_open_import (self, file) != NULL;
}

static gboolean
drop_cb (SegWindow    *self,
         const GValue *value,
         double        x,
         double        y)
{
  return seg_window_handle_drop (self, value);
}

static void
seg_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SegWindow *self = SEG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
  g_signal_connect_object (application, "notify::store-path",
                           G_CALLBACK (update_store_switcher), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::clickhouse-connections",
                           G_CALLBACK (update_store_switcher), self,
                           G_CONNECT_SWAPPED);
  update_store_switcher (self);

  seg_window_open_store (self);
}

static void
seg_window_dispose (GObject *object)
{
  SegWindow *self = SEG_WINDOW (object);

  g_cancellable_cancel (self->store_cancellable);
  g_clear_object (&self->store_cancellable);
  g_cancellable_cancel (self->demo_cancellable);
  g_clear_object (&self->demo_cancellable);
  g_clear_handle_id (&self->demo_timeout, g_source_remove);
  if (self->assistant != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
      gtk_window_destroy (self->assistant);
      self->assistant = NULL;
    }
  seg_window_set_store (self, NULL);
  g_clear_object (&self->pending_import);
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_func (self->view_stack, update_title_widget, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEG_TYPE_WINDOW);
  g_clear_object (&self->switcher_title);
  g_clear_object (&self->plain_title);
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
  object_class->get_property = seg_window_get_property;

  /**
   * SegWindow::demo-loaded:
   * @ok: whether the demo data was loaded
   *
   * Loading demo data (seg_window_load_demo()) ended.
   */
  g_signal_new ("demo-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  /**
   * SegWindow:store:
   *
   * The store the window shows, once it is open; %NULL while it opens or when it could
   * not be opened. Pages bind to it.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SEG_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  window_class->close_request = seg_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/seg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SegWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, store_button);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, store_label);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, loading_progress);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, loading_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, overview_title);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, overview_stats);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, segments_list);
  gtk_widget_class_bind_template_child (widget_class, SegWindow, events_view);
  gtk_widget_class_bind_template_callback (widget_class, loading_cancel_clicked_cb);
}

/* The view switcher only makes sense while the data's views are shown. */
static void
update_title_widget (SegWindow *self)
{
  gboolean data = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack),
                             "data") == 0;
  GtkWidget *wanted = data ? GTK_WIDGET (self->switcher_title) : GTK_WIDGET (self->plain_title);

  if (self->header_bar != NULL && adw_header_bar_get_title_widget (self->header_bar) != wanted)
    adw_header_bar_set_title_widget (self->header_bar, wanted);
  if (self->switcher_bar != NULL)
    gtk_widget_set_visible (self->switcher_bar, data);
}

static void
seg_window_init (SegWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Once the store has data, the window shows two views a switcher in the header bar
   * moves between: the segments (list, wizard, reports) and an overview of the data. */
  {
    GtkWidget *overview = adw_view_stack_get_child_by_name (self->view_stack, "overview");
    AdwViewStackPage *page;

    self->data_stack = ADW_VIEW_STACK (adw_view_stack_new ());
    self->segments_view = seg_segments_view_new ();
    g_object_bind_property (self, "store", self->segments_view, "store", G_BINDING_SYNC_CREATE);
    page = adw_view_stack_add_titled (self->data_stack, self->segments_view, "segments",
                                      _("Segments"));
    adw_view_stack_page_set_icon_name (page, "view-list-symbolic");

    /* Today: the live segments running now (src/app/live). */
    self->today_page = seg_today_page_new ();
    g_object_bind_property (self, "store", self->today_page, "store", G_BINDING_SYNC_CREATE);
    g_signal_connect_swapped (self->today_page, "user-activated", G_CALLBACK (today_user_activated_cb), self);
    g_signal_connect_swapped (self->today_page, "notify::store", G_CALLBACK (today_store_cb), self);
    today_store_cb (self);
    page = adw_view_stack_add_titled (self->data_stack, self->today_page, "today", _("Today"));
    adw_view_stack_page_set_icon_name (page, "media-record-symbolic");

    g_object_ref (overview);
    adw_view_stack_remove (self->view_stack, overview);
    page = adw_view_stack_add_titled (self->data_stack, overview, "overview", _("Data"));
    adw_view_stack_page_set_icon_name (page, "x-office-spreadsheet-symbolic");
    g_object_unref (overview);

    adw_view_stack_add_named (self->view_stack, GTK_WIDGET (self->data_stack), "data");

    self->switcher_title = g_object_ref_sink (ADW_VIEW_SWITCHER_TITLE (adw_view_switcher_title_new ()));
    self->plain_title = g_object_ref (self->window_title);
    adw_view_switcher_title_set_stack (self->switcher_title, self->data_stack);
    g_object_bind_property (self->window_title, "title", self->switcher_title, "title",
                            G_BINDING_SYNC_CREATE);
    g_object_bind_property (self->window_title, "subtitle", self->switcher_title, "subtitle",
                            G_BINDING_SYNC_CREATE);
    g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                             G_CALLBACK (update_title_widget), self, G_CONNECT_SWAPPED);
    update_title_widget (self);

    /* In a narrow window the header's switcher folds into the title; the views are
     * then switched from a bar at the bottom. */
    {
      GtkWidget *bar = adw_view_switcher_bar_new ();

      adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (bar), self->data_stack);
      g_object_bind_property (self->switcher_title, "title-visible", bar, "reveal",
                              G_BINDING_SYNC_CREATE);
      gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->toast_overlay))), bar);
      self->switcher_bar = bar;
      update_title_widget (self);
    }
  }

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (event_row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (event_row_bind_cb), self);
  gtk_list_view_set_factory (self->events_view, factory);

  /* A file dropped on the window opens the import assistant with it. */
  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect_swapped (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect (self, "notify::application", G_CALLBACK (application_notify_cb), NULL);

  adw_status_page_set_icon_name (self->empty_page, APPLICATION_ID);

#ifdef DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  seg_window_update_actions (self);
}
