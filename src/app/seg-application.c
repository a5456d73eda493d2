/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-application"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-application.h"
#include "clickhouse/seg-clickhouse-location.h"
#include "seg-preferences-window.h"
#include "seg-resources.h"
#include "seg-window.h"

struct _SegApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *store_path;
  gboolean        store_path_is_default;
  char           *store_override;   /* --store or $SEGMENT_STUDIO_STORE; not saved */
};

G_DEFINE_FINAL_TYPE (SegApplication, seg_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_STORE_PATH,
  PROP_STORE_PATH_IS_DEFAULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * seg_application_new:
 * @application_id: the application id, usually %APPLICATION_ID
 * @flags: flags for #GApplication
 *
 * Returns: (transfer full): a new #SegApplication
 */
SegApplication *
seg_application_new (const char        *application_id,
                     GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  /* The resource base path is fixed to the base id, so that the .Devel flavour finds the
   * same templates, icons and gtk/help-overlay.ui. */
  return g_object_new (SEG_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * seg_application_dup_default_store_path:
 *
 * The store used when the user has not chosen one: `default.segstore` in the
 * application's folder of the user data directory (inside the sandbox under Flatpak).
 *
 * Returns: (transfer full): the path of the default store
 */
char *
seg_application_dup_default_store_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "segment-studio", "default.segstore", NULL);
}

static void
seg_application_update_store_path (SegApplication *self)
{
  g_autofree char *configured = g_settings_get_string (self->settings, "store-path");
  g_autofree char *resolved = NULL;
  gboolean is_default = configured[0] == '\0';

  if (self->store_override != NULL)
    {
      is_default = FALSE;
      resolved = g_strdup (self->store_override);
    }
  else if (is_default)
    resolved = seg_application_dup_default_store_path ();
  else
    resolved = g_steal_pointer (&configured);

  g_object_freeze_notify (G_OBJECT (self));

  if (g_strcmp0 (resolved, self->store_path) != 0)
    {
      g_free (self->store_path);
      self->store_path = g_steal_pointer (&resolved);
      g_debug ("Store path is now %s", self->store_path);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_PATH]);
    }

  if (is_default != self->store_path_is_default)
    {
      self->store_path_is_default = is_default;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_PATH_IS_DEFAULT]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
store_path_changed_cb (SegApplication *self,
                       const char     *key,
                       GSettings      *settings)
{
  seg_application_update_store_path (self);
}

/**
 * seg_application_get_settings:
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
seg_application_get_settings (SegApplication *self)
{
  g_return_val_if_fail (SEG_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * seg_application_get_store_path:
 *
 * The store the application works on: the one chosen by the user, or the default one.
 *
 * Returns: (transfer none): an absolute path, never %NULL
 */
const char *
seg_application_get_store_path (SegApplication *self)
{
  g_return_val_if_fail (SEG_IS_APPLICATION (self), NULL);

  return self->store_path;
}

/**
 * seg_application_get_store_path_is_default:
 *
 * Returns: whether the application works on the default store
 */
gboolean
seg_application_get_store_path_is_default (SegApplication *self)
{
  g_return_val_if_fail (SEG_IS_APPLICATION (self), FALSE);

  return self->store_path_is_default;
}

/**
 * seg_application_set_store_path:
 * @path: (nullable): an absolute path to a store file, or %NULL for the default store
 *
 * Remembers @path as the store to work on.
 */
void
seg_application_set_store_path (SegApplication *self,
                                const char     *path)
{
  g_autofree char *default_path = NULL;

  g_return_if_fail (SEG_IS_APPLICATION (self));
  g_return_if_fail (path == NULL || g_path_is_absolute (path) || seg_clickhouse_location_is_uri (path));

  /* Choosing the default file itself is the same as choosing the default: it keeps
   * following the user data directory. */
  default_path = seg_application_dup_default_store_path ();
  if (path != NULL && g_strcmp0 (path, default_path) == 0)
    path = NULL;

  /* Choosing a store ends a --store override for this run. */
  g_clear_pointer (&self->store_override, g_free);
  g_settings_set_string (self->settings, "store-path", path ? path : "");
  seg_application_update_store_path (self);
}

static void
choose_store_response_cb (GtkNativeDialog *chooser,
                          int              response,
                          gpointer         user_data)
{
  g_autoptr(SegApplication) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    path = g_file_get_path (file);

  if (path != NULL)
    seg_application_set_store_path (self, path);
  else if (file != NULL)
    g_warning ("The chosen store is not a local file: %s", g_file_peek_path (file));

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/**
 * seg_application_choose_store:
 * @parent: (nullable): the window the chooser belongs to
 *
 * Lets the user pick a store file (through the file chooser portal when sandboxed) and
 * remembers it as the store to work on.
 */
void
seg_application_choose_store (SegApplication *self,
                              GtkWindow      *parent)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) stores = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GFile) current = NULL;
  g_autoptr(GFile) folder = NULL;

  g_return_if_fail (SEG_IS_APPLICATION (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  chooser = gtk_file_chooser_native_new (_("Open Store"),
                                         parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (stores, _("Segment Studio Stores"));
  gtk_file_filter_add_pattern (stores, "*.segstore");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), stores);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), stores);

  /* Start where the current store is, if that folder exists. */
  current = g_file_new_for_path (self->store_path);
  folder = g_file_get_parent (current);
  if (folder != NULL && g_file_query_exists (folder, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);

  g_signal_connect (chooser, "response", G_CALLBACK (choose_store_response_cb),
                    g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * seg_application_dup_display_timezone:
 * @store_timezone: (nullable): the time zone of the store the data comes from
 *
 * The time zone to show dates and times in, following the `display-timezone` setting.
 * When the store's time zone is asked for but unknown, times are shown in UTC, which is
 * how stores record them.
 *
 * Returns: (transfer full): a time zone
 */
GTimeZone *
seg_application_dup_display_timezone (SegApplication *self,
                                      GTimeZone      *store_timezone)
{
  g_return_val_if_fail (SEG_IS_APPLICATION (self), NULL);

  switch ((SegDisplayTimezone) g_settings_get_enum (self->settings, "display-timezone"))
    {
    case SEG_DISPLAY_TIMEZONE_STORE:
      if (store_timezone != NULL)
        return g_time_zone_ref (store_timezone);
      return g_time_zone_new_utc ();

    case SEG_DISPLAY_TIMEZONE_LOCAL:
      return g_time_zone_new_local ();

    case SEG_DISPLAY_TIMEZONE_UTC:
    default:
      return g_time_zone_new_utc ();
    }
}

static void
seg_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  SegApplication *self = user_data;
  static const char *developers[] = {
    "The Segment Studio developers",
    NULL
  };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application", self,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Segment Studio"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Segment Studio developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Build segments of your users from event data: who did what, "
                                      "when and how often, and who can be reached."),
                        "website", "https://github.com/segmentstudio/segment-studio",
                        "issue-url", "https://github.com/segmentstudio/segment-studio/issues",
                        "developers", developers,
                        "copyright", "© 2026 The Segment Studio developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: Replace "translator-credits" with your names, one name per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
seg_application_preferences_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  SegApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  SegPreferencesWindow *preferences;

  preferences = seg_preferences_window_new (self);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
seg_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  SegApplication *self = user_data;
  GList *windows;

  /* Closing (rather than destroying) each window lets it save its size and state. */
  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                              (GCopyFunc) g_object_ref, NULL);
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free_full (windows, g_object_unref);

  g_application_quit (G_APPLICATION (self));
}

static void
seg_application_load_demo_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  SegApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (SEG_IS_WINDOW (window) && !seg_window_load_demo (SEG_WINDOW (window)))
    seg_window_add_toast (SEG_WINDOW (window),
                          adw_toast_new (_("The store is not open yet, or busy")));
}

static const GActionEntry app_actions[] = {
  { "about", seg_application_about_action },
  { "preferences", seg_application_preferences_action },
  { "quit", seg_application_quit_action },
  { "load-demo", seg_application_load_demo_action },
};

static void
seg_application_startup (GApplication *app)
{
  SegApplication *self = SEG_APPLICATION (app);

  G_APPLICATION_CLASS (seg_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.import",
                                         (const char *[]) { "<Control>i", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open-store",
                                         (const char *[]) { "<Control>o", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.connections",
                                         (const char *[]) { "<Control><Shift>o", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-today",
                                         (const char *[]) { "<Alt>t", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.find-user",
                                         (const char *[]) { "<Control>u", NULL });
}

/* --store PATH (or $SEGMENT_STUDIO_STORE) works on that store for this run only, without
 * changing the remembered store: the dev script and tests use it. */
static int
seg_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  SegApplication *self = SEG_APPLICATION (app);
  g_autofree char *path = NULL;
  const char *env = g_getenv ("SEGMENT_STUDIO_STORE");

  if (!g_variant_dict_lookup (options, "store", "^ay", &path) && env != NULL && env[0] != '\0')
    path = g_strdup (env);

  if (path != NULL && seg_clickhouse_location_is_uri (path))
    {
      /* A remote store (clickhouse://USER@HOST:PORT/DATABASE) is kept as it is. */
      g_free (self->store_override);
      self->store_override = g_steal_pointer (&path);
      seg_application_update_store_path (self);
    }
  else if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      g_free (self->store_override);
      self->store_override = g_file_get_path (file);
      seg_application_update_store_path (self);
    }

  return -1;
}

/* Files given on the command line (or "Open With") go to the import assistant. */
static void
seg_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  GtkWindow *window;

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (SEG_IS_WINDOW (window) && n_files > 0)
    seg_window_open_import (SEG_WINDOW (window), files[0]);
}

static void
seg_application_activate (GApplication *app)
{
  SegApplication *self = SEG_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (seg_window_new (self));

  gtk_window_present (window);
}

static void
seg_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SegApplication *self = SEG_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_STORE_PATH:
      g_value_set_string (value, self->store_path);
      break;

    case PROP_STORE_PATH_IS_DEFAULT:
      g_value_set_boolean (value, seg_application_get_store_path_is_default (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_application_finalize (GObject *object)
{
  SegApplication *self = SEG_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->store_override, g_free);

  G_OBJECT_CLASS (seg_application_parent_class)->finalize (object);
}

static void
seg_application_class_init (SegApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->get_property = seg_application_get_property;
  object_class->finalize = seg_application_finalize;

  app_class->startup = seg_application_startup;
  app_class->activate = seg_application_activate;
  app_class->open = seg_application_open;
  app_class->handle_local_options = seg_application_handle_local_options;

  /**
   * SegApplication:settings:
   *
   * The application's #GSettings.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SegApplication:store-path:
   *
   * The absolute path of the store to work on: the chosen one or the default one.
   */
  properties[PROP_STORE_PATH] =
    g_param_spec_string ("store-path", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SegApplication:store-path-is-default:
   *
   * Whether #SegApplication:store-path is the default store.
   */
  properties[PROP_STORE_PATH_IS_DEFAULT] =
    g_param_spec_boolean ("store-path-is-default", NULL, NULL,
                          TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The resources live in a static library: register them explicitly, before any
   * template or gtk/help-overlay.ui is looked up. */
  seg_register_resource ();
}

static void
seg_application_init (SegApplication *self)
{
  self->settings = g_settings_new (SCHEMA_ID);
  self->store_path_is_default = TRUE;
  g_application_add_main_option (G_APPLICATION (self), "store", 's', G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_FILENAME,
                                 _("Work on this store file for this run (default: the remembered one)"),
                                 _("PATH"));
  g_signal_connect_object (self->settings, "changed::store-path",
                           G_CALLBACK (store_path_changed_cb), self,
                           G_CONNECT_SWAPPED);
  seg_application_update_store_path (self);
}
