/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse-keyring"

#include "config.h"

#include <libsecret/secret.h>

#include "seg-clickhouse-keyring.h"

static const SecretSchema *
schema (void)
{
  static const SecretSchema s = {
    "io.github.segmentstudio.SegmentStudio.ClickHouse", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };
  return &s;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * seg_clickhouse_keyring_store_async:
 * @label: what the keyring shows, e.g. "ClickHouse password for analyst on db1:8123"
 *
 * Keeps @password for @user on @server in the default collection, replacing an older one.
 */
void
seg_clickhouse_keyring_store_async (const char          *server,
                                    const char          *user,
                                    const char          *label,
                                    const char          *password,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_clickhouse_keyring_store_async);
  secret_password_store (schema (), SECRET_COLLECTION_DEFAULT, label, password, cancellable,
                         store_cb, task, "server", server, "user", user, NULL);
}

gboolean
seg_clickhouse_keyring_store_finish (GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    /* No stored password is an empty one: a user without a password. */
    g_task_return_pointer (task, password ? password : g_strdup (""), (GDestroyNotify) secret_password_free);
}

void
seg_clickhouse_keyring_lookup_async (const char          *server,
                                     const char          *user,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_clickhouse_keyring_lookup_async);
  secret_password_lookup (schema (), cancellable, lookup_cb, task,
                          "server", server, "user", user, NULL);
}

/**
 * seg_clickhouse_keyring_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the password ("" when none is kept), or %NULL
 *   with @error set when the keyring cannot be reached
 */
char *
seg_clickhouse_keyring_lookup_finish (GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * seg_clickhouse_keyring_lookup_sync:
 *
 * For segctl. Without a session bus there is no keyring to ask (and nothing is
 * autolaunched): the answer is then %NULL with @error set.
 *
 * Returns: (transfer full) (nullable): the password, "" when none is kept
 */
char *
seg_clickhouse_keyring_lookup_sync (const char    *server,
                                    const char    *user,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  char *password;
  GError *local_error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "no session bus, so no keyring");
      return NULL;
    }
  password = secret_password_lookup_sync (schema (), cancellable, &local_error,
                                          "server", server, "user", user, NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (password == NULL)
    return g_strdup ("");
  {
    char *copy = g_strdup (password);

    secret_password_free (password);
    return copy;
  }
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
seg_clickhouse_keyring_clear_async (const char          *server,
                                    const char          *user,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_clickhouse_keyring_clear_async);
  secret_password_clear (schema (), cancellable, clear_cb, task,
                         "server", server, "user", user, NULL);
}

gboolean
seg_clickhouse_keyring_clear_finish (GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
