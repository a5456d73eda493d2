/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "segctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "clickhouse/seg-clickhouse-client.h"
#include "clickhouse/seg-clickhouse-store.h"
#include "clickhouse/seg-clickhouse-writer.h"
#include "seg-cli-store.h"
#include "seg-local-store.h"

static SegStore *
open_clickhouse (const char  *spec,
                 const char  *timezone,
                 GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) http = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;
  g_autofree char *database = NULL;
  gboolean tls = g_str_has_prefix (spec, "clickhouses:");
  const char *path;
  const char *password = g_getenv ("SEGCTL_CLICKHOUSE_PASSWORD");
  const char *cluster = NULL;
  int port;

  uri = g_uri_parse (spec, G_URI_FLAGS_HAS_PASSWORD, &local_error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a ClickHouse store: use clickhouse://USER@HOST:PORT/DATABASE"),
                   spec);
      return NULL;
    }
  if (g_uri_get_password (uri) != NULL)
    {
      /* A password on the command line ends up in shell histories and process lists. */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Give the ClickHouse password in $SEGCTL_CLICKHOUSE_PASSWORD, not in the URL"));
      return NULL;
    }
  path = g_uri_get_path (uri);
  while (*path == '/')
    path++;
  database = g_strdup (*path ? path : "default");
  if (strchr (database, '/') != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a database name"), database);
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL)
    {
      params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, error);
      if (params == NULL)
        return NULL;
      cluster = g_hash_table_lookup (params, "cluster");
    }

  port = g_uri_get_port (uri);
  http = g_uri_build (G_URI_FLAGS_NONE, tls ? "https" : "http", NULL, g_uri_get_host (uri),
                      port > 0 ? port : (tls ? 8443 : 8123), "/", NULL, NULL);
  url = g_uri_to_string (http);
  user = g_strdup (g_uri_get_user (uri));
  client = seg_clickhouse_client_new (url, user && *user ? user : "default",
                                      password ? password : "", database);
  return SEG_STORE (seg_clickhouse_store_new (client, cluster, timezone, NULL, error));
}

/**
 * seg_cli_open_store:
 * @spec: a store file, or a clickhouse:// URL
 * @timezone: (nullable): the timezone of a new store, or for this run
 *
 * Returns: (transfer full) (nullable): the store
 */
SegStore *
seg_cli_open_store (const char  *spec,
                    const char  *timezone,
                    GError     **error)
{
  if (g_str_has_prefix (spec, "clickhouse://") || g_str_has_prefix (spec, "clickhouses://"))
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
