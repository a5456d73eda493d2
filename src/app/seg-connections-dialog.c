/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-connections-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "clickhouse/seg-clickhouse-client.h"
#include "clickhouse/seg-clickhouse-keyring.h"
#include "clickhouse/seg-clickhouse-location.h"
#include "seg-application.h"
#include "seg-connections-dialog.h"

/*
 * ClickHouse Connections: the saved remote stores (open, remove) and a form for a new
 * one (server, user, password, database) with Test Connection and Save and Open.
 * Locations are kept in the "clickhouse-connections" setting, passwords in the desktop
 * keyring. Every network and keyring call is asynchronous and cancellable; a new test
 * cancels the one before, and closing the dialog cancels all.
 */

#define TEST_TIMEOUT_S 10

struct _SegConnectionsDialog
{
  AdwWindow         parent_instance;

  GSettings        *settings;
  GCancellable     *cancellable;
  char             *status;
  gboolean          status_ok;
  gboolean          busy;
  char             *pending_location;  /* being saved */

  AdwToastOverlay  *toast_overlay;
  GtkListBox       *saved_list;
  AdwEntryRow      *server_row;
  AdwEntryRow      *user_row;
  AdwEntryRow      *password_row;
  AdwEntryRow      *database_row;
  GtkSpinner       *spinner;
  GtkLabel         *status_label;
  GtkWidget        *test_button;
  GtkWidget        *connect_button;
};

G_DEFINE_FINAL_TYPE (SegConnectionsDialog, seg_connections_dialog, ADW_TYPE_WINDOW)

static const char *
field (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_status (SegConnectionsDialog *self,
            const char           *text,
            gboolean              ok,
            gboolean              busy)
{
  g_free (self->status);
  self->status = g_strdup (text);
  self->status_ok = ok;
  self->busy = busy;
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  if (ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
      if (busy)
        gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
    }
  gtk_widget_set_sensitive (self->test_button, !busy);
  gtk_widget_set_sensitive (self->connect_button, !busy);
}

static void
restart_cancellable (SegConnectionsDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

/* The form's location, or NULL with the reason shown. */
static char *
form_location (SegConnectionsDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = g_strstrip (g_strdup (field (self->server_row)));
  g_autofree char *user = g_strstrip (g_strdup (field (self->user_row)));
  g_autofree char *database = g_strstrip (g_strdup (field (self->database_row)));
  char *location = seg_clickhouse_location_build (server, user, database, &error);

  if (location == NULL)
    set_status (self, error->message, FALSE, FALSE);
  return location;
}

static SegClickhouseClient *
form_client (SegConnectionsDialog *self,
             const char           *location)
{
  SegClickhouseLocation where;
  SegClickhouseClient *client;

  if (!seg_clickhouse_location_parse (location, &where, NULL))
    return NULL;
  client = seg_clickhouse_client_new (where.server, where.user, field (self->password_row),
                                      where.database);
  seg_clickhouse_client_set_timeout (client, TEST_TIMEOUT_S);
  seg_clickhouse_location_clear (&where);
  return client;
}

/* Saved connections. */

static void
open_location (SegConnectionsDialog *self,
               const char           *location)
{
  GApplication *app = g_application_get_default ();

  if (SEG_IS_APPLICATION (app))
    seg_application_set_store_path (SEG_APPLICATION (app), location);
  gtk_window_close (GTK_WINDOW (self));
}

static void
open_clicked_cb (GtkButton            *button,
                 SegConnectionsDialog *self)
{
  open_location (self, g_object_get_data (G_OBJECT (button), "seg-location"));
}

static void
password_cleared_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!seg_clickhouse_keyring_clear_finish (result, &error))
    g_message ("Could not remove a password from the keyring: %s", error->message);
}

static void rebuild_saved (SegConnectionsDialog *self);

/**
 * seg_connections_dialog_remove:
 *
 * Forgets a saved connection and its password (the database itself is left alone).
 */
void
seg_connections_dialog_remove (SegConnectionsDialog *self,
                               const char           *location)
{
  g_auto(GStrv) saved = g_settings_get_strv (self->settings, "clickhouse-connections");
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  SegClickhouseLocation where;

  for (guint i = 0; saved[i] != NULL; i++)
    if (!g_str_equal (saved[i], location))
      g_strv_builder_add (kept, saved[i]);
  result = g_strv_builder_end (kept);
  g_settings_set_strv (self->settings, "clickhouse-connections", (const char * const *) result);
  if (seg_clickhouse_location_parse (location, &where, NULL))
    {
      seg_clickhouse_keyring_clear_async (where.server, where.user, NULL, password_cleared_cb, NULL);
      seg_clickhouse_location_clear (&where);
    }
  rebuild_saved (self);
}

static void
remove_clicked_cb (GtkButton            *button,
                   SegConnectionsDialog *self)
{
  g_autofree char *location = g_strdup (g_object_get_data (G_OBJECT (button), "seg-location"));
  AdwToast *toast;

  seg_connections_dialog_remove (self, location);
  toast = adw_toast_new (_("Connection removed"));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
rebuild_saved (SegConnectionsDialog *self)
{
  g_auto(GStrv) saved = g_settings_get_strv (self->settings, "clickhouse-connections");
  GApplication *app = g_application_get_default ();
  const char *current = SEG_IS_APPLICATION (app) ? seg_application_get_store_path (SEG_APPLICATION (app)) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->saved_list))) != NULL)
    gtk_list_box_remove (self->saved_list, child);

  for (guint i = 0; saved[i] != NULL; i++)
    {
      SegClickhouseLocation where;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *open, *remove;

      if (!seg_clickhouse_location_parse (saved[i], &where, NULL))
        continue;
      title = seg_clickhouse_location_describe (&where);
      /* Translators: a user on a server, e.g. “analyst at http://db1:8123/” */
      subtitle = g_strdup_printf (_("%s at %s"), where.user, where.server);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (g_strcmp0 (current, saved[i]) == 0)
        {
          GtkWidget *in_use = gtk_label_new (_("In use"));

          gtk_widget_add_css_class (in_use, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), in_use);
        }
      else
        {
          open = gtk_button_new_with_mnemonic (_("_Open"));
          gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (open), "seg-location", g_strdup (saved[i]), g_free);
          g_signal_connect (open, "clicked", G_CALLBACK (open_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), open);
        }
      remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, _("Remove Connection"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove Connection"), -1);
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data_full (G_OBJECT (remove), "seg-location", g_strdup (saved[i]), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->saved_list, row);
      seg_clickhouse_location_clear (&where);
    }
  if (gtk_widget_get_first_child (GTK_WIDGET (self->saved_list)) == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No saved connections yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Add one below."));
      gtk_list_box_append (self->saved_list, row);
    }
}

guint
seg_connections_dialog_get_n_saved (SegConnectionsDialog *self)
{
  g_auto(GStrv) saved = g_settings_get_strv (self->settings, "clickhouse-connections");

  return g_strv_length (saved);
}

/* Test Connection. */

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SegConnectionsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = seg_clickhouse_client_query_finish (SEG_CLICKHOUSE_CLIENT (source),
                                                                  result, NULL, &error);
  g_autofree char *text = NULL;
  const char *version;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (rows == NULL)
    {
      /* Translators: %s is the server's or the network's error message */
      text = g_strdup_printf (_("Could not connect: %s"), error->message);
      set_status (self, text, FALSE, FALSE);
      return;
    }
  version = rows->len > 0 ? json_object_get_string_member_with_default (g_ptr_array_index (rows, 0),
                                                                        "v", NULL)
                          : NULL;
  if (version == NULL || *version == '\0')
    {
      /* Something answered in JSON, but not ClickHouse: a proxy, another service. */
      set_status (self, _("Could not connect: the server answered, but not as ClickHouse does "
                          "(no version). Check the server address and port."), FALSE, FALSE);
      return;
    }
  text = g_strdup_printf (_("Connected to ClickHouse %s."), version);
  set_status (self, text, TRUE, FALSE);
}

/**
 * seg_connections_dialog_test:
 *
 * Asks the server for its version with the form's address, user and password.
 */
void
seg_connections_dialog_test (SegConnectionsDialog *self)
{
  g_autofree char *location = form_location (self);
  g_autoptr(SegClickhouseClient) client = NULL;

  if (location == NULL)
    return;
  client = form_client (self, location);
  restart_cancellable (self);
  set_status (self, _("Connecting…"), FALSE, TRUE);
  seg_clickhouse_client_query_async (client, "SELECT version() AS v", NULL, NULL, NULL,
                                     self->cancellable, tested_cb, g_object_ref (self));
}

static void
test_clicked_cb (SegConnectionsDialog *self)
{
  seg_connections_dialog_test (self);
}

/* Save and Open. */

static void
password_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SegConnectionsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = g_steal_pointer (&self->pending_location);
  g_auto(GStrv) saved = NULL;

  if (!seg_clickhouse_keyring_store_finish (result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the keyring's error message */
      text = g_strdup_printf (_("The password could not be kept in the keyring: %s. "
                                "Unlock the keyring (or install one) and try again."),
                              error->message);
      set_status (self, text, FALSE, FALSE);
      return;
    }

  saved = g_settings_get_strv (self->settings, "clickhouse-connections");
  if (!g_strv_contains ((const char * const *) saved, location))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) updated = NULL;

      g_strv_builder_addv (builder, (const char **) saved);
      g_strv_builder_add (builder, location);
      updated = g_strv_builder_end (builder);
      g_settings_set_strv (self->settings, "clickhouse-connections", (const char * const *) updated);
    }
  set_status (self, _("Saved."), TRUE, FALSE);
  open_location (self, location);
}

/**
 * seg_connections_dialog_save_and_open:
 *
 * Keeps the password in the keyring, saves the connection and opens it as the store.
 */
void
seg_connections_dialog_save_and_open (SegConnectionsDialog *self)
{
  g_autofree char *location = form_location (self);
  g_autofree char *label = NULL;
  SegClickhouseLocation where;

  if (location == NULL || !seg_clickhouse_location_parse (location, &where, NULL))
    return;
  restart_cancellable (self);
  set_status (self, _("Saving the password in the keyring…"), FALSE, TRUE);
  g_free (self->pending_location);
  self->pending_location = g_strdup (location);
  /* Translators: how the keyring lists the password: user, then “database on host:port” */
  {
    g_autofree char *description = seg_clickhouse_location_describe (&where);

    label = g_strdup_printf (_("Segment Studio: ClickHouse password of %s for %s"), where.user, description);
  }
  seg_clickhouse_keyring_store_async (where.server, where.user, label, field (self->password_row),
                                      self->cancellable, password_stored_cb, g_object_ref (self));
  seg_clickhouse_location_clear (&where);
}

static void
connect_clicked_cb (SegConnectionsDialog *self)
{
  seg_connections_dialog_save_and_open (self);
}

static void
fields_changed_cb (SegConnectionsDialog *self)
{
  if (!self->busy)
    set_status (self, _("Test the connection before saving it."), FALSE, FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* Accessors for tests. */

gboolean
seg_connections_dialog_is_busy (SegConnectionsDialog *self)
{
  return self->busy;
}

const char *
seg_connections_dialog_get_status (SegConnectionsDialog *self)
{
  return self->status;
}

gboolean
seg_connections_dialog_get_status_ok (SegConnectionsDialog *self)
{
  return self->status_ok;
}

void
seg_connections_dialog_set_fields (SegConnectionsDialog *self,
                                   const char           *server,
                                   const char           *user,
                                   const char           *password,
                                   const char           *database)
{
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  gtk_editable_set_text (GTK_EDITABLE (self->database_row), database);
}

static void
seg_connections_dialog_dispose (GObject *object)
{
  SegConnectionsDialog *self = SEG_CONNECTIONS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (seg_connections_dialog_parent_class)->dispose (object);
}

static void
seg_connections_dialog_finalize (GObject *object)
{
  SegConnectionsDialog *self = SEG_CONNECTIONS_DIALOG (object);

  g_free (self->status);
  g_free (self->pending_location);
  G_OBJECT_CLASS (seg_connections_dialog_parent_class)->finalize (object);
}

static void
seg_connections_dialog_class_init (SegConnectionsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_connections_dialog_dispose;
  object_class->finalize = seg_connections_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/seg-connections-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SegConnectionsDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SegConnectionsDialog, saved_list);
  gtk_widget_class_bind_template_child (widget_class, SegConnectionsDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, SegConnectionsDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, SegConnectionsDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, SegConnectionsDialog, database_row);
  gtk_widget_class_bind_template_child (widget_class, SegConnectionsDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SegConnectionsDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, SegConnectionsDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, SegConnectionsDialog, connect_button);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fields_changed_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
seg_connections_dialog_init (SegConnectionsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (SCHEMA_ID);
  self->cancellable = g_cancellable_new ();
  self->status = g_strdup (gtk_label_get_label (self->status_label));
  rebuild_saved (self);
}

GtkWidget *
seg_connections_dialog_new (GtkWindow *parent)
{
  return g_object_new (SEG_TYPE_CONNECTIONS_DIALOG, "transient-for", parent, NULL);
}
