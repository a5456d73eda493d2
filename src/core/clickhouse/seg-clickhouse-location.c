/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse-location"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seg-clickhouse-location.h"

gboolean
seg_clickhouse_location_is_uri (const char *spec)
{
  return spec != NULL &&
         (g_str_has_prefix (spec, "clickhouse://") || g_str_has_prefix (spec, "clickhouses://"));
}

static gboolean
bad_uri (const char  *spec,
         GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a ClickHouse store: use clickhouse://USER@HOST:PORT/DATABASE"), spec);
  return FALSE;
}

/**
 * seg_clickhouse_location_parse:
 * @spec: clickhouse://USER@HOST:PORT/DATABASE[?cluster=NAME] (clickhouses:// for HTTPS)
 * @location: (out caller-allocates): the parts, to clear with seg_clickhouse_location_clear()
 *
 * Returns: %FALSE with @error set when @spec is not such a location, or carries a
 *   password (it would end up in shell histories, process lists and settings)
 */
gboolean
seg_clickhouse_location_parse (const char            *spec,
                               SegClickhouseLocation *location,
                               GError               **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) http = NULL;
  gboolean tls;
  const char *path;
  int port;

  memset (location, 0, sizeof *location);
  if (!seg_clickhouse_location_is_uri (spec))
    return bad_uri (spec, error);
  tls = g_str_has_prefix (spec, "clickhouses:");
  uri = g_uri_parse (spec, G_URI_FLAGS_HAS_PASSWORD, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return bad_uri (spec, error);
  if (g_uri_get_password (uri) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A ClickHouse location must not carry its password: it is kept in "
                             "the keyring, or given in $SEGCTL_CLICKHOUSE_PASSWORD to segctl"));
      return FALSE;
    }
  path = g_uri_get_path (uri);
  while (*path == '/')
    path++;
  if (strchr (path, '/') != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a database name"), path);
      return FALSE;
    }
  if (g_uri_get_query (uri) != NULL)
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                         G_URI_PARAMS_NONE, error);
      if (params == NULL)
        return FALSE;
      location->cluster = g_strdup (g_hash_table_lookup (params, "cluster"));
    }
  port = g_uri_get_port (uri);
  http = g_uri_build (G_URI_FLAGS_NONE, tls ? "https" : "http", NULL, g_uri_get_host (uri),
                      port > 0 ? port : (tls ? 8443 : 8123), "/", NULL, NULL);
  location->server = g_uri_to_string (http);
  location->user = g_strdup (g_uri_get_user (uri) && *g_uri_get_user (uri) ? g_uri_get_user (uri) : "default");
  location->database = g_strdup (*path ? path : "default");
  return TRUE;
}

/**
 * seg_clickhouse_location_build:
 * @server: http(s)://HOST[:PORT][/]
 * @user: (nullable): the user, "default" when empty
 * @database: (nullable): the database, "default" when empty
 *
 * Returns: (transfer full) (nullable): the location, or %NULL with @error set
 */
char *
seg_clickhouse_location_build (const char  *server,
                               const char  *user,
                               const char  *database,
                               GError     **error)
{
  g_autoptr(GUri) http = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  g_autofree char *path = NULL;
  int port;

  http = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
  scheme = http ? g_uri_get_scheme (http) : NULL;
  if (http == NULL || g_uri_get_host (http) == NULL || *g_uri_get_host (http) == '\0' ||
      !(g_str_equal (scheme, "http") || g_str_equal (scheme, "https")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a server address: use http://HOST:8123 or https://HOST:8443"), server);
      return NULL;
    }
  if (database != NULL && (strchr (database, '/') != NULL || strchr (database, '?') != NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a database name"), database);
      return NULL;
    }
  port = g_uri_get_port (http);
  path = g_strconcat ("/", database && *database ? database : "default", NULL);
  uri = g_uri_build (G_URI_FLAGS_NONE, g_str_equal (scheme, "https") ? "clickhouses" : "clickhouse",
                     user && *user ? user : "default", g_uri_get_host (http),
                     port > 0 ? port : (g_str_equal (scheme, "https") ? 8443 : 8123), path, NULL, NULL);
  return g_uri_to_string (uri);
}

/* "DATABASE on HOST:PORT", for titles. */
char *
seg_clickhouse_location_describe (const SegClickhouseLocation *location)
{
  g_autoptr(GUri) http = g_uri_parse (location->server, G_URI_FLAGS_NONE, NULL);

  /* Translators: a ClickHouse database on a server, e.g. “segments on db1:8123” */
  return g_strdup_printf (_("%s on %s:%d"), location->database,
                          http ? g_uri_get_host (http) : location->server,
                          http ? g_uri_get_port (http) : 0);
}

void
seg_clickhouse_location_clear (SegClickhouseLocation *location)
{
  g_clear_pointer (&location->server, g_free);
  g_clear_pointer (&location->user, g_free);
  g_clear_pointer (&location->database, g_free);
  g_clear_pointer (&location->cluster, g_free);
}
