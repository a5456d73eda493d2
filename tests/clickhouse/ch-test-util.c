/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "ch-test-util.h"

const char *
ch_test_url (void)
{
  const char *url = g_getenv ("SEG_CLICKHOUSE_URL");

  return url && *url ? url : "http://127.0.0.1:18123";
}

const char *
ch_test_url2 (void)
{
  const char *url = g_getenv ("SEG_CLICKHOUSE_URL2");

  return url && *url ? url : "http://127.0.0.1:18124";
}

const char *
ch_test_cluster (void)
{
  const char *cluster = g_getenv ("SEG_CLICKHOUSE_CLUSTER");

  return cluster && *cluster ? cluster : "seg_test_2shards";
}

static gboolean
probe (const char  *url,
       char       **why)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 5, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  if (msg != NULL)
    body = soup_session_send_and_read (session, msg, NULL, &error);

  if (body != NULL && soup_message_get_status (msg) == 200
      && g_bytes_get_size (body) >= 3
      && memcmp (g_bytes_get_data (body, NULL), "Ok.", 3) == 0)
    return TRUE;

  if (why != NULL)
    *why = g_strdup (error ? error->message : "unexpected answer");
  return FALSE;
}

/* TRUE when a ClickHouse server answers at @url (for set-up outside a test case). */
gboolean
ch_test_server_answers (const char *url)
{
  return probe (url, NULL);
}

/* Returns TRUE (after g_test_skip) when no ClickHouse answers at @url. */
gboolean
ch_test_skip_unless_server (const char *url)
{
  g_autofree char *why = NULL;
  g_autofree char *message = NULL;

  if (probe (url, &why))
    return FALSE;

  message = g_strdup_printf ("No ClickHouse server answers at %s (%s); start one with "
                             "tests/clickhouse/ch-server.sh start, or set SEG_CLICKHOUSE_URL",
                             url, why);
  g_test_skip (message);
  return TRUE;
}

SegClickhouseClient *
ch_test_new_database (const char *url,
                      const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(GError) error = NULL;

  g_strdelimit (uuid, "-", '_');
  name = g_strdup_printf ("%s_%.12s", prefix, uuid);
  client = seg_clickhouse_client_new (url, NULL, NULL, name);
  sql = g_strdup_printf ("CREATE DATABASE `%s`", name);
  seg_clickhouse_client_execute_server (client, sql, NULL, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&client);
}

void
ch_test_drop_database (SegClickhouseClient *client)
{
  g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS `%s`",
                                          seg_clickhouse_client_get_database (client));
  g_autoptr(GError) error = NULL;

  seg_clickhouse_client_execute_server (client, sql, NULL, &error);
  g_assert_no_error (error);
}

char *
ch_test_scalar (SegClickhouseClient *client,
                const char          *sql)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  JsonNode *node;

  rows = seg_clickhouse_client_query (client, sql, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >=, 1);

  members = json_object_get_values (g_ptr_array_index (rows, 0));
  node = members->data;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return g_strdup_printf ("%.17g", json_node_get_double (node));
  return json_to_string (node, FALSE);
}
