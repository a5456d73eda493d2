/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "segctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "clickhouse/seg-clickhouse-client.h"
#include "clickhouse/seg-clickhouse-keyring.h"
#include "clickhouse/seg-clickhouse-location.h"
#include "clickhouse/seg-clickhouse-store.h"
#include "clickhouse/seg-clickhouse-writer.h"
#include "seg-cli-store.h"
#include "seg-local-store.h"

static SegStore *
open_clickhouse (const char  *spec,
                 const char  *timezone,
                 GError     **error)
{
  SegClickhouseLocation where;
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autofree char *password = NULL;
  SegStore *store;

  if (!seg_clickhouse_location_parse (spec, &where, error))
    return NULL;
  /* The environment first (scripts, servers), then the desktop keyring the app fills. */
  password = g_strdup (g_getenv ("SEGCTL_CLICKHOUSE_PASSWORD"));
  if (password == NULL)
    {
      g_autoptr(GError) keyring_error = NULL;

      const char *timeout = g_getenv ("SEGCTL_KEYRING_TIMEOUT_MS");

      password = seg_clickhouse_keyring_lookup_sync (where.server, where.user,
                                                     timeout ? (guint) g_ascii_strtoull (timeout, NULL, 10) : 0,
                                                     NULL, &keyring_error);
      /* No session bus is the normal case of scripts and servers: say nothing then. A
       * keyring that is there but fails or hangs is worth a line, since the server will
       * likely refuse the empty password next. */
      if (password == NULL &&
          !g_error_matches (keyring_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_printerr (_("segctl: SEGCTL_CLICKHOUSE_PASSWORD is not set and the keyring gave no "
                      "password for %s at %s (%s); connecting without one\n"),
                    where.user, where.server, keyring_error->message);
      else if (password == NULL)
        g_debug ("No password from the keyring (%s); trying without one", keyring_error->message);
    }
  client = seg_clickhouse_client_new (where.server, where.user, password ? password : "",
                                      where.database);
  store = SEG_STORE (seg_clickhouse_store_new (client, where.cluster, timezone, NULL, error));
  seg_clickhouse_location_clear (&where);
  return store;
}

SegStore *
seg_cli_open_store (const char  *spec,
                    const char  *timezone,
                    GError     **error)
{
  if (seg_clickhouse_location_is_uri (spec))
    return open_clickhouse (spec, timezone, error);
  return SEG_STORE (seg_local_store_new (spec, timezone, error));
}

void
seg_cli_store_set_now (SegStore *store,
                       gint64    now_ms)
{
  if (SEG_IS_LOCAL_STORE (store))
    seg_local_store_set_now (SEG_LOCAL_STORE (store), now_ms);
  else if (SEG_IS_CLICKHOUSE_STORE (store))
    seg_clickhouse_store_set_now (SEG_CLICKHOUSE_STORE (store), now_ms);
}

/* The number of users, for import summaries (0 when the server cannot say). */
guint64
seg_cli_store_n_users (SegStore *store)
{
  guint64 n = 0;

  if (SEG_IS_LOCAL_STORE (store))
    return seg_local_store_get_n_users (SEG_LOCAL_STORE (store));
  if (SEG_IS_CLICKHOUSE_STORE (store))
    {
      g_autoptr(GError) error = NULL;

      if (!seg_clickhouse_store_count_users (SEG_CLICKHOUSE_STORE (store), &n, NULL, &error))
        g_warning ("Cannot count the users: %s", error->message);
    }
  return n;
}

void
seg_cli_store_wait_warm (SegStore *store)
{
  if (SEG_IS_LOCAL_STORE (store))
    seg_local_store_wait_warm (SEG_LOCAL_STORE (store));
}

void
seg_cli_writer_get_stats (SegStoreWriter      *writer,
                          SegLocalWriterStats *stats)
{
  memset (stats, 0, sizeof *stats);
  if (SEG_IS_LOCAL_WRITER (writer))
    seg_local_writer_get_stats (SEG_LOCAL_WRITER (writer), stats);
  else if (SEG_IS_CLICKHOUSE_WRITER (writer))
    {
      /* Records handed to the server; events whose insert_id it already holds are
       * dropped there at commit, uncounted. */
      stats->events_added = seg_clickhouse_writer_get_n_events (SEG_CLICKHOUSE_WRITER (writer));
      stats->profiles_updated = seg_clickhouse_writer_get_n_profiles (SEG_CLICKHOUSE_WRITER (writer));
    }
}
