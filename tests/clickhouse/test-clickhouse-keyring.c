/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-clickhouse-keyring"

#include "config.h"

#include <gio/gio.h>

#include "clickhouse/seg-clickhouse-keyring.h"

/*
 * segctl asks the keyring for a password when $SEGCTL_CLICKHOUSE_PASSWORD is unset; it must
 * never hang there. Runs in its own session bus (dbus-run-session), where this test plays a
 * Secret Service that takes every call and answers none.
 */

static GDBusMessage *
swallow_calls_cb (GDBusConnection *connection,
                  GDBusMessage    *message,
                  gboolean         incoming,
                  gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }
  return message;
}

static void
test_hanging_service (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) service = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *address = NULL;
  g_autofree char *password = NULL;
  guint32 owned = 0;
  gint64 start, elapsed_ms;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("No session bus (run under dbus-run-session)");
      return;
    }
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  service = g_dbus_connection_new_for_address_sync (address,
                                                    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (service, swallow_calls_cb, NULL, NULL);
  reply = g_dbus_connection_call_sync (service, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &owned);
  g_assert_cmpuint (owned, ==, 1);  /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */

  start = g_get_monotonic_time ();
  password = seg_clickhouse_keyring_lookup_sync ("http://127.0.0.1:8123/", "analyst", 400, NULL,
                                                 &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("a silent keyring gave up after %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed_ms, >=, 350);
  g_assert_cmpint (elapsed_ms, <, 5000);
  g_dbus_connection_close_sync (service, NULL, NULL);
}

static void
test_caller_cancels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *password = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("No session bus (run under dbus-run-session)");
      return;
    }
  /* Cancelled before the call: the caller's cancellable reaches the lookup, which is not
   * mistaken for a timeout. */
  g_cancellable_cancel (cancellable);
  password = seg_clickhouse_keyring_lookup_sync ("http://127.0.0.1:8123/", "analyst", 60000,
                                                 cancellable, &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_no_bus (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Scripts and servers have no session bus: nothing is autolaunched, the answer is
   * immediate. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  password = seg_clickhouse_keyring_lookup_sync ("http://127.0.0.1:8123/", "analyst", 0, NULL,
                                                 &error);
  if (saved != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ClickhouseKeyring/caller-cancels", test_caller_cancels);
  g_test_add_func ("/ClickhouseKeyring/hanging-service", test_hanging_service);
  g_test_add_func ("/ClickhouseKeyring/no-bus", test_no_bus);
  return g_test_run ();
}
