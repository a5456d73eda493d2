/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ClickHouse Connections, end to end: the real window, a real ClickHouse server on
 * 127.0.0.1 (tests/clickhouse/ch-server.sh) and a real keyring (gnome-keyring in the test's
 * own session, see with-keyring.sh). Skips only when no server answers.
 */
#define G_LOG_DOMAIN "test-connections"

#include "config.h"

#include "ui-test-util.h"

#include <gio/gio.h>
#include <gtk/gtk.h>
#include <libsoup/soup.h>
#include <string.h>

#include "clickhouse/seg-clickhouse-client.h"
#include "clickhouse/seg-clickhouse-keyring.h"
#include "clickhouse/seg-clickhouse-store.h"
#include "seg-application.h"
#include "seg-connections-dialog.h"
#include "seg-definition.h"
#include "seg-segment-list-page.h"
#include "seg-segment.h"
#include "seg-segments-view.h"
#include "seg-window.h"

#define DATABASE "seg_ui_connections"

static SegApplication *app;
static const char *server;

static gboolean
dialog_idle (gpointer data)
{
  return !seg_connections_dialog_is_busy (data);
}

/* A port nothing listens on: bound, then closed. */
static guint16
dead_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
server_answers (void)
{
  g_autoptr(SegClickhouseClient) client = seg_clickhouse_client_new (server, "default", "", "default");
  g_autoptr(GPtrArray) rows = NULL;

  seg_clickhouse_client_set_timeout (client, 5);
  rows = seg_clickhouse_client_query (client, "SELECT 1 AS one", NULL, NULL, NULL, NULL, NULL);
  return rows != NULL;
}

/* The team's database with one shared segment, made through the store as segctl would. */
static void
make_team_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegClickhouseClient) admin = seg_clickhouse_client_new (server, "default", "", "default");
  g_autoptr(SegClickhouseClient) client = seg_clickhouse_client_new (server, "default", "", DATABASE);
  g_autoptr(SegClickhouseStore) store = NULL;
  g_autoptr(SegDefinition) def = NULL;
  g_autoptr(SegSegment) draft = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(SegSegment) saved = NULL;

  g_assert_true (seg_clickhouse_client_execute (admin, "DROP DATABASE IF EXISTS " DATABASE, NULL, NULL, &error));
  g_assert_no_error (error);
  store = seg_clickhouse_store_new (client, NULL, "UTC", NULL, &error);
  g_assert_no_error (error);
  def = seg_definition_new_from_json ("{\"version\":1,\"match\":{\"did\":\"Charged\"}}", -1, &error);
  g_assert_no_error (error);
  draft = seg_segment_new (NULL, "Team buyers", def);
  seg_store_save_segment_async (SEG_STORE (store), draft, NULL, ui_test_result_cb, &res);
  g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &res));
  saved = seg_store_save_segment_finish (SEG_STORE (store), res, &error);
  g_assert_no_error (error);
}


/* A stand-in for a server that misbehaves, on 127.0.0.1 port 0: it answers HTTP 500 with
 * ClickHouse's error text, JSON that is not ClickHouse's, text that is not JSON, or never
 * answers at all. */
typedef enum
{
  FAKE_500,
  FAKE_OTHER_JSON,
  FAKE_NOT_JSON,
  FAKE_HANG,
} FakeMode;

typedef struct
{
  SoupServer *server;
  FakeMode    mode;
  guint       requests;
  guint       aborted;
  int         port;
  char       *url;
  GSocket    *held;      /* the connection of the request it never answers */
} FakeServer;

#define CH_ERROR_TEXT "Code: 81, e.displayText() = DB::Exception: Database nowhere doesn't exist"

static void
fake_handler_cb (SoupServer        *soup_server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  FakeServer *fake = user_data;
  const char *body = NULL;

  fake->requests++;
  switch (fake->mode)
    {
    case FAKE_500:
      soup_server_message_set_status (msg, 500, NULL);
      body = CH_ERROR_TEXT ", e.what() = DB::Exception\n";
      break;
    case FAKE_OTHER_JSON:
      soup_server_message_set_status (msg, 200, NULL);
      body = "{\"hello\":\"world\"}\n";
      break;
    case FAKE_NOT_JSON:
      soup_server_message_set_status (msg, 200, NULL);
      body = "<html><body>It works!</body></html>\n";
      break;
    case FAKE_HANG:
      g_set_object (&fake->held, soup_server_message_get_socket (msg));
      soup_server_message_pause (msg);
      return;
    }
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
fake_aborted_cb (SoupServer        *soup_server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  FakeServer *fake = user_data;

  fake->aborted++;
}

static FakeServer *
fake_server_new (FakeMode mode)
{
  FakeServer *fake = g_new0 (FakeServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fake->mode = mode;
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, fake_handler_cb, fake, NULL);
  g_signal_connect (fake->server, "request-aborted", G_CALLBACK (fake_aborted_cb), fake);
  g_assert_true (soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  fake->port = g_uri_get_port (uris->data);
  fake->url = g_strdup_printf ("http://127.0.0.1:%d", fake->port);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return fake;
}

static void
fake_server_free (FakeServer *fake)
{
  g_clear_object (&fake->held);
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_free (fake->url);
  g_free (fake);
}

static SegConnectionsDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (SEG_IS_CONNECTIONS_DIALOG (w))
        return SEG_CONNECTIONS_DIALOG (w);
    }
  return NULL;
}

typedef struct
{
  SegWindow  *window;
  const char *location;
} OpenWait;

static gboolean
remote_store_shown (gpointer data)
{
  OpenWait *w = data;
  const char *page = seg_window_get_visible_page (w->window);

  return g_strcmp0 (seg_application_get_store_path (app), w->location) == 0 &&
         SEG_IS_CLICKHOUSE_STORE (seg_window_get_store (w->window)) &&
         g_strcmp0 (page, "segments") == 0;
}

static gboolean
list_has_team_segment (gpointer data)
{
  GListModel *model = seg_segment_list_page_get_model (data);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (model, i);

      if (g_str_equal (seg_segment_get_name (seg), "Team buyers"))
        return TRUE;
    }
  return FALSE;
}

static void
test_connections (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autofree char *dead = g_strdup_printf ("http://127.0.0.1:%u", dead_port ());
  g_autofree char *location = NULL;
  g_autofree char *password = NULL;
  const char *user = g_getenv ("SEG_CLICKHOUSE_AUTH_USER") ? g_getenv ("SEG_CLICKHOUSE_AUTH_USER") : "seg_auth";
  const char *secret = g_getenv ("SEG_CLICKHOUSE_AUTH_PASSWORD") ? g_getenv ("SEG_CLICKHOUSE_AUTH_PASSWORD")
                                                                 : "seg-test-password";
  SegConnectionsDialog *dialog;
  SegSegmentsView *view;
  GtkWindow *window;
  OpenWait wait;

  if (!server_answers ())
    {
      g_test_skip ("No ClickHouse server answers at $SEG_CLICKHOUSE_URL (start tests/clickhouse/ch-server.sh)");
      return;
    }
  make_team_database ();

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (SEG_IS_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connections", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (seg_connections_dialog_get_n_saved (dialog), ==, 0);

  /* A server that is down: a clear failure, and the window keeps answering. */
  seg_connections_dialog_set_fields (dialog, dead, user, secret, DATABASE);
  seg_connections_dialog_test (dialog);
  g_assert_true (seg_connections_dialog_is_busy (dialog));
  g_assert_true (ui_test_wait_until (dialog_idle, dialog));
  g_test_message ("dead server: %s", seg_connections_dialog_get_status (dialog));
  g_assert_false (seg_connections_dialog_get_status_ok (dialog));
  g_assert_nonnull (strstr (seg_connections_dialog_get_status (dialog), "Could not connect"));

  /* A wrong password: ClickHouse's own words. */
  seg_connections_dialog_set_fields (dialog, server, user, "not the password", DATABASE);
  seg_connections_dialog_test (dialog);
  g_assert_true (ui_test_wait_until (dialog_idle, dialog));
  g_test_message ("wrong password: %s", seg_connections_dialog_get_status (dialog));
  g_assert_false (seg_connections_dialog_get_status_ok (dialog));
  g_assert_nonnull (strstr (seg_connections_dialog_get_status (dialog), "password"));

  /* The right one: the server's version. */
  seg_connections_dialog_set_fields (dialog, server, user, secret, DATABASE);
  seg_connections_dialog_test (dialog);
  g_assert_true (ui_test_wait_until (dialog_idle, dialog));
  g_test_message ("right password: %s", seg_connections_dialog_get_status (dialog));
  g_assert_true (seg_connections_dialog_get_status_ok (dialog));
  g_assert_nonnull (strstr (seg_connections_dialog_get_status (dialog), "Connected to ClickHouse"));

  /* Save and Open: the password goes to the keyring, the connection to the settings,
   * and the window shows the team's segments from ClickHouse. */
  seg_connections_dialog_save_and_open (dialog);
  {
    g_autoptr(GUri) http = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);

    location = g_strdup_printf ("clickhouse://%s@%s:%d/%s", user, g_uri_get_host (http),
                                g_uri_get_port (http), DATABASE);
  }
  wait = (OpenWait) { SEG_WINDOW (window), location };
  g_assert_true (ui_test_wait_until (remote_store_shown, &wait));
  view = SEG_SEGMENTS_VIEW (seg_window_get_page (SEG_WINDOW (window), "segments"));
  g_assert_true (ui_test_wait_until (list_has_team_segment, seg_segments_view_get_list_page (view)));

  {
    g_autoptr(GUri) http = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
    g_autofree char *server_attr = g_strdup_printf ("http://%s:%d/", g_uri_get_host (http), g_uri_get_port (http));

    seg_clickhouse_keyring_lookup_async (server_attr, user, NULL, ui_test_result_cb, &res);
    g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &res));
    password = seg_clickhouse_keyring_lookup_finish (res, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (password, ==, secret);
    g_clear_object (&res);
    g_clear_pointer (&password, g_free);

    /* segctl finds the password the app saved, with $SEGCTL_CLICKHOUSE_PASSWORD unset. */
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                          G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GSubprocess) segctl = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_subprocess_launcher_unsetenv (launcher, "SEGCTL_CLICKHOUSE_PASSWORD");
      segctl = g_subprocess_launcher_spawn (launcher, &error, SEGCTL_PATH, "--store", location,
                                            "segments", NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (segctl, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      g_test_message ("segctl: %s%s", out, err);
      g_assert_true (g_subprocess_get_if_exited (segctl));
      g_assert_cmpint (g_subprocess_get_exit_status (segctl), ==, 0);
      g_assert_nonnull (strstr (out, "Team buyers"));
    }

    /* Removing the connection forgets it and its password. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connections", NULL));
    dialog = find_dialog ();
    g_assert_nonnull (dialog);
    g_assert_cmpuint (seg_connections_dialog_get_n_saved (dialog), ==, 1);
    seg_connections_dialog_remove (dialog, location);
    g_assert_cmpuint (seg_connections_dialog_get_n_saved (dialog), ==, 0);
    g_usleep (200 * 1000);
    seg_clickhouse_keyring_lookup_async (server_attr, user, NULL, ui_test_result_cb, &res);
    g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &res));
    password = seg_clickhouse_keyring_lookup_finish (res, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (password, ==, "");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  gtk_window_destroy (window);
}

static gboolean
shows_error (gpointer window)
{
  return g_strcmp0 (seg_window_get_visible_page (window), "error") == 0;
}

/* A dead server as the store: the error page names it and says what to do; Try Again
 * is there; the window keeps answering. */
static void
test_dead_store (void)
{
  g_autofree char *location = g_strdup_printf ("clickhouse://default@127.0.0.1:%u/nowhere", dead_port ());
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  seg_application_set_store_path (app, location);
  g_assert_true (ui_test_wait_until (shows_error, window));
  g_assert_nonnull (g_action_map_lookup_action (G_ACTION_MAP (window), "reload-store"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "connections"));
  gtk_window_destroy (window);
}


static SegConnectionsDialog *
open_dialog (GtkWindow **window)
{
  SegConnectionsDialog *dialog;

  g_application_activate (G_APPLICATION (app));
  *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (SEG_IS_WINDOW (*window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (*window), "win.connections", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  return dialog;
}

/* Test Connection against servers that misbehave: each failure in words, none taken for
 * success. Needs no ClickHouse. */
static void
test_server_errors (void)
{
  GtkWindow *window;
  SegConnectionsDialog *dialog = open_dialog (&window);
  struct { FakeMode mode; const char *expect; } cases[] = {
    { FAKE_500, "Database nowhere doesn't exist" },
    { FAKE_OTHER_JSON, "127.0.0.1" },
    { FAKE_NOT_JSON, "Could not connect" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FakeServer *fake = fake_server_new (cases[i].mode);

      seg_connections_dialog_set_fields (dialog, fake->url, "default", "", "nowhere");
      seg_connections_dialog_test (dialog);
      g_assert_true (ui_test_wait_until (dialog_idle, dialog));
      g_test_message ("fake server %u: %s", cases[i].mode, seg_connections_dialog_get_status (dialog));
      g_assert_cmpuint (fake->requests, >=, 1);
      g_assert_false (seg_connections_dialog_get_status_ok (dialog));
      g_assert_nonnull (strstr (seg_connections_dialog_get_status (dialog), "Could not connect"));
      g_assert_nonnull (strstr (seg_connections_dialog_get_status (dialog), cases[i].expect));
      fake_server_free (fake);
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
      gtk_widget_is_drawable (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
cancel_shown (gpointer window)
{
  return g_strcmp0 (seg_window_get_visible_page (window), "loading") == 0 &&
         find_button (window, "_Cancel") != NULL;
}

static gboolean
fake_requested (gpointer fake)
{
  return ((FakeServer *) fake)->requests > 0;
}

/* The client hung up: the held connection reads end-of-file. */
static gboolean
fake_aborted (gpointer data)
{
  FakeServer *fake = data;
  char byte;

  if (fake->aborted > 0)
    return TRUE;
  if (fake->held == NULL || !(g_socket_condition_check (fake->held, G_IO_IN | G_IO_HUP) != 0))
    return FALSE;
  return g_socket_receive (fake->held, &byte, 1, NULL, NULL) == 0;
}

/* A store whose server takes the request and never answers: the window shows it is
 * connecting, stays responsive (another window opens and closes), and Cancel stops the
 * request (the server sees it dropped) and offers Try Again. */
static void
test_cancel_connecting (void)
{
  FakeServer *fake = fake_server_new (FAKE_HANG);
  g_autofree char *location = NULL;
  SegConnectionsDialog *dialog;
  GtkWindow *window;

  location = g_strdup_printf ("clickhouse://default@127.0.0.1:%d/slow", fake->port);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  seg_application_set_store_path (app, location);
  g_assert_true (ui_test_wait_until (fake_requested, fake));
  g_assert_true (ui_test_wait_until (cancel_shown, window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connections", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpstr (seg_window_get_visible_page (SEG_WINDOW (window)), ==, "loading");

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), "_Cancel"), "clicked");
  g_assert_cmpstr (seg_window_get_visible_page (SEG_WINDOW (window)), ==, "error");
  g_assert_true (ui_test_wait_until (fake_aborted, fake));
  g_assert_nonnull (find_button (GTK_WIDGET (window), "_Try Again"));
  g_assert_null (seg_window_get_store (SEG_WINDOW (window)));
  gtk_window_destroy (window);
  fake_server_free (fake);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_dir = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  server = g_getenv ("SEG_CLICKHOUSE_URL") ? g_getenv ("SEG_CLICKHOUSE_URL") : "http://127.0.0.1:18123";
  if (!gtk_init_check ())
    {
      g_test_skip ("No display (run under xvfb-run -a)");
      return 77;
    }
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  app = seg_application_new (APPLICATION_ID, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/Connections/test-save-open-remove", test_connections);
  g_test_add_func ("/Connections/dead-store", test_dead_store);
  g_test_add_func ("/Connections/server-errors", test_server_errors);
  g_test_add_func ("/Connections/cancel-connecting", test_cancel_connecting);
  ret = g_test_run ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&app);
  return ret;
}
