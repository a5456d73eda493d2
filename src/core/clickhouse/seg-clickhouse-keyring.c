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

/* A keyring that does not answer (a Secret Service that hangs, an unlock prompt nobody
 * sees over ssh) must not hold segctl: a watchdog thread cancels the lookup after a while.
 * The sync call iterates a private main context, so a timer there would not fire. */
typedef struct
{
  GMutex        lock;
  GCond         done_cond;
  gboolean      done;
  gboolean      fired;
  gint64        deadline;
  GCancellable *cancellable;
} Watchdog;

static gpointer
watchdog_thread (gpointer data)
{
  Watchdog *dog = data;

  g_mutex_lock (&dog->lock);
  while (!dog->done)
    if (!g_cond_wait_until (&dog->done_cond, &dog->lock, dog->deadline))
      {
        if (!dog->done)
          {
            dog->fired = TRUE;
            g_cancellable_cancel (dog->cancellable);
          }
        break;
      }
  g_mutex_unlock (&dog->lock);
  return NULL;
}

static void
cancel_cb (GCancellable *outer,
           GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

/**
 * seg_clickhouse_keyring_lookup_sync:
 * @timeout_ms: how long to wait for the keyring before giving up (0: 5000 ms)
 *
 * For segctl. Without a session bus there is no keyring to ask (and nothing is
 * autolaunched): the answer is then %NULL with @error set. A keyring that does not answer
 * within @timeout_ms gives %G_IO_ERROR_TIMED_OUT.
 *
 * Returns: (transfer full) (nullable): the password, "" when none is kept
 */
char *
seg_clickhouse_keyring_lookup_sync (const char    *server,
                                    const char    *user,
                                    guint          timeout_ms,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  char *password;
  GError *local_error = NULL;
  g_autoptr(GCancellable) inner = NULL;
  GThread *thread;
  gulong handler = 0;
  Watchdog dog = { 0 };

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "no session bus, so no keyring");
      return NULL;
    }
  if (timeout_ms == 0)
    timeout_ms = 5000;
  inner = g_cancellable_new ();
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cb), inner, NULL);
  g_mutex_init (&dog.lock);
  g_cond_init (&dog.done_cond);
  dog.cancellable = inner;
  dog.deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  thread = g_thread_new ("keyring-watchdog", watchdog_thread, &dog);

  password = secret_password_lookup_sync (schema (), inner, &local_error,
                                          "server", server, "user", user, NULL);

  g_mutex_lock (&dog.lock);
  dog.done = TRUE;
  g_cond_signal (&dog.done_cond);
  g_mutex_unlock (&dog.lock);
  g_thread_join (thread);
  g_mutex_clear (&dog.lock);
  g_cond_clear (&dog.done_cond);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);

  if (local_error != NULL)
    {
      if (dog.fired && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&local_error);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "the keyring did not answer within %u ms", timeout_ms);
        }
      else
        g_propagate_error (error, local_error);
      secret_password_free (password);
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
