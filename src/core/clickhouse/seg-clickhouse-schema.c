/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse-schema"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-clickhouse-schema.h"
#include "seg-clickhouse-sql.h"
#include "seg-store.h"

/**
 * seg_clickhouse_schema_events_ddl:
 * @table: the name of the table to create
 *
 * Returns: (transfer full): CREATE TABLE for an events table (the table itself, a shard's
 *   local table, or a writer's staging table)
 */
char *
seg_clickhouse_schema_events_ddl (const char *table)
{
  g_autofree char *name = seg_clickhouse_sql_identifier (table);

  /* Month partitions keep a "last 30 days" scan to one or two partitions (ts_ms is in
   * the partition key, so its min/max per part prune too); the sort key serves the
   * segment queries, which always name an event and group by user. */
  return g_strdup_printf ("CREATE TABLE IF NOT EXISTS %s (\n"
                          "  event String,\n"
                          "  user_id String,\n"
                          "  ts_ms Int64,\n"
                          "  insert_id String,\n"
                          "  prop_keys Array(String),\n"
                          "  prop_types Array(UInt8),\n"
                          "  prop_str Array(String),\n"
                          "  prop_num Array(Float64),\n"
                          "  import_id String\n"
                          ") ENGINE = MergeTree\n"
                          "PARTITION BY toYYYYMM(toDateTime(intDiv(ts_ms, 1000), 'UTC'))\n"
                          "ORDER BY (event, user_id, ts_ms)",
                          name);
}

/**
 * seg_clickhouse_schema_profile_props_ddl:
 * @table: the name of the table to create
 *
 * Returns: (transfer full): CREATE TABLE for a profile properties table
 */
char *
seg_clickhouse_schema_profile_props_ddl (const char *table)
{
  g_autofree char *name = seg_clickhouse_sql_identifier (table);

  return g_strdup_printf ("CREATE TABLE IF NOT EXISTS %s (\n"
                          "  user_id String,\n"
                          "  key String,\n"
                          "  type UInt8,\n"
                          "  str String,\n"
                          "  num Float64,\n"
                          "  deleted UInt8,\n"
                          "  updated_ms Int64\n"
                          ") ENGINE = ReplacingMergeTree(updated_ms)\n"
                          "ORDER BY (user_id, key)",
                          name);
}

static const char *small_tables_v1[] = {
  "CREATE TABLE IF NOT EXISTS seg_meta (\n"
  "  key String, value String, updated_ms Int64\n"
  ") ENGINE = ReplacingMergeTree(updated_ms) ORDER BY key",

  "CREATE TABLE IF NOT EXISTS segments (\n"
  "  id String, name String, description String, kind String, definition String,\n"
  "  created_ms Int64, updated_ms Int64, deleted UInt8\n"
  ") ENGINE = ReplacingMergeTree(updated_ms) ORDER BY id",

  "CREATE TABLE IF NOT EXISTS memberships (\n"
  "  segment_id String, user_id String, member UInt8, updated_ms Int64\n"
  ") ENGINE = ReplacingMergeTree(updated_ms) ORDER BY (segment_id, user_id)",

  "CREATE TABLE IF NOT EXISTS imports (\n"
  "  fingerprint String, committed_ms Int64, n_events UInt64, n_profiles UInt64\n"
  ") ENGINE = ReplacingMergeTree(committed_ms) ORDER BY fingerprint",
};

static gboolean
run_all (SegClickhouseClient  *client,
         const char * const   *statements,
         guint                 n,
         GCancellable         *cancellable,
         GError              **error)
{
  for (guint i = 0; i < n; i++)
    if (!seg_clickhouse_client_execute (client, statements[i], NULL, cancellable, error))
      return FALSE;
  return TRUE;
}

static gboolean
table_exists (SegClickhouseClient  *client,
              const char           *table,
              gboolean             *exists,
              GCancellable         *cancellable,
              GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count() AS n FROM system.tables "
                                         "WHERE database = currentDatabase() AND name = ");
  g_autoptr(GPtrArray) rows = NULL;

  seg_clickhouse_sql_append_string (sql, table, -1);
  rows = seg_clickhouse_client_query (client, sql->str, NULL, NULL, NULL, cancellable, error);
  if (rows == NULL)
    return FALSE;
  *exists = rows->len == 1
            && g_strcmp0 (json_object_get_string_member (g_ptr_array_index (rows, 0), "n"), "0") != 0;
  return TRUE;
}

/**
 * seg_clickhouse_schema_get_version:
 *
 * Returns: the schema version of the client's database, 0 for a database without
 *   Segment Studio tables, -1 on error
 */
int
seg_clickhouse_schema_get_version (SegClickhouseClient  *client,
                                   GCancellable         *cancellable,
                                   GError              **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  gboolean exists = FALSE;

  if (!table_exists (client, "seg_meta", &exists, cancellable, error))
    return -1;
  if (!exists)
    return 0;

  rows = seg_clickhouse_client_query (client,
                                      "SELECT argMax(value, updated_ms) AS v FROM seg_meta "
                                      "WHERE key = 'schema_version'",
                                      NULL, NULL, NULL, cancellable, error);
  if (rows == NULL)
    return -1;
  if (rows->len == 0)
    return 0;
  return (int) g_ascii_strtoll (json_object_get_string_member (g_ptr_array_index (rows, 0), "v"),
                                NULL, 10);
}

static gboolean
create_database (SegClickhouseClient  *client,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("CREATE DATABASE IF NOT EXISTS ");
  const char *database = seg_clickhouse_client_get_database (client);

  if (database == NULL || *database == '\0')
    return TRUE;
  seg_clickhouse_sql_append_identifier (sql, database);
  return seg_clickhouse_client_execute_server (client, sql->str, cancellable, error);
}

/**
 * seg_clickhouse_schema_create_shard:
 * @shard: a client on one shard of the cluster, on the database of the store
 *
 * Creates the shard-local tables (events_local, profile_props_local) on one shard. A
 * cluster without ZooKeeper has no distributed DDL, so this runs once per shard.
 */
gboolean
seg_clickhouse_schema_create_shard (SegClickhouseClient  *shard,
                                    GCancellable         *cancellable,
                                    GError              **error)
{
  g_autofree char *events = seg_clickhouse_schema_events_ddl ("events_local");
  g_autofree char *props = seg_clickhouse_schema_profile_props_ddl ("profile_props_local");
  const char *statements[] = { events, props };

  return create_database (shard, cancellable, error)
         && run_all (shard, statements, G_N_ELEMENTS (statements), cancellable, error);
}

static char *
distributed_ddl (SegClickhouseClient *client,
                 const char          *table,
                 const char          *cluster)
{
  g_autoptr(GString) sql = g_string_new ("CREATE TABLE IF NOT EXISTS ");
  g_autofree char *local = g_strconcat (table, "_local", NULL);

  seg_clickhouse_sql_append_identifier (sql, table);
  g_string_append (sql, " AS ");
  seg_clickhouse_sql_append_identifier (sql, local);
  g_string_append (sql, "\nENGINE = Distributed(");
  seg_clickhouse_sql_append_identifier (sql, cluster);
  g_string_append (sql, ", ");
  seg_clickhouse_sql_append_string (sql, seg_clickhouse_client_get_database (client), -1);
  g_string_append (sql, ", ");
  seg_clickhouse_sql_append_string (sql, local, -1);
  g_string_append (sql, ", cityHash64(user_id))");
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* Version 1: everything, on an empty database. */
static gboolean
migrate_to_1 (SegClickhouseClient  *client,
              const char           *cluster,
              GCancellable         *cancellable,
              GError              **error)
{
  if (!run_all (client, small_tables_v1, G_N_ELEMENTS (small_tables_v1), cancellable, error))
    return FALSE;

  if (cluster == NULL)
    {
      g_autofree char *events = seg_clickhouse_schema_events_ddl ("events");
      g_autofree char *props = seg_clickhouse_schema_profile_props_ddl ("profile_props");
      const char *statements[] = { events, props };

      return run_all (client, statements, G_N_ELEMENTS (statements), cancellable, error);
    }
  else
    {
      g_autofree char *events = distributed_ddl (client, "events", cluster);
      g_autofree char *props = distributed_ddl (client, "profile_props", cluster);
      const char *statements[] = { events, props };
      gboolean exists = FALSE;

      /* The Distributed tables take their columns from this server's local tables. */
      if (!table_exists (client, "events_local", &exists, cancellable, error))
        return FALSE;
      if (!exists)
        {
          g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                       _("The shard tables of cluster “%s” are missing on %s: create them "
                         "on every shard first"),
                       cluster, seg_clickhouse_client_get_host_port (client));
          return FALSE;
        }
      return run_all (client, statements, G_N_ELEMENTS (statements), cancellable, error);
    }
}

/* Version 2: the live engine's memberships (SegClickhouseLiveSink). The same (segment,
 * user, key) is one qualification however often it is written. */
static gboolean
migrate_to_2 (SegClickhouseClient  *client,
              const char           *cluster,
              GCancellable         *cancellable,
              GError              **error)
{
  return seg_clickhouse_client_execute (client,
                                        "CREATE TABLE IF NOT EXISTS live_memberships (\n"
                                        "  segment_id String, user_id String, key String, ts_ms Int64\n"
                                        ") ENGINE = ReplacingMergeTree(ts_ms) "
                                        "ORDER BY (segment_id, user_id, key)",
                                        NULL, cancellable, error);
}

typedef gboolean (*MigrateFunc) (SegClickhouseClient  *client,
                                 const char           *cluster,
                                 GCancellable         *cancellable,
                                 GError              **error);

/* migrations[i] brings a database from version i to version i + 1. */
static const MigrateFunc migrations[SEG_CLICKHOUSE_SCHEMA_VERSION] = {
  migrate_to_1,
  migrate_to_2,
};

static gboolean
set_version (SegClickhouseClient  *client,
             int                   version,
             GCancellable         *cancellable,
             GError              **error)
{
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO seg_meta (key, value, updated_ms) VALUES "
                         "('schema_version', '%d', %" G_GINT64_FORMAT ")",
                         version, g_get_real_time () / 1000);
  return seg_clickhouse_client_execute (client, sql, NULL, cancellable, error);
}

/**
 * seg_clickhouse_schema_ensure:
 * @client: a client on the store's database (created if missing)
 * @cluster: (nullable): the cluster for Distributed events and profiles, %NULL for a
 *   single server
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Creates the tables on an empty database, migrates an older one, refuses a newer one
 * (%SEG_STORE_ERROR_VERSION). Blocking: call it from a worker thread, or use
 * seg_clickhouse_schema_ensure_async().
 */
gboolean
seg_clickhouse_schema_ensure (SegClickhouseClient  *client,
                              const char           *cluster,
                              GCancellable         *cancellable,
                              GError              **error)
{
  int version;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (client), FALSE);

  if (!create_database (client, cancellable, error))
    return FALSE;

  version = seg_clickhouse_schema_get_version (client, cancellable, error);
  if (version < 0)
    return FALSE;

  if (version > SEG_CLICKHOUSE_SCHEMA_VERSION)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_VERSION,
                   _("The database “%s” was written by a newer Segment Studio (schema %d, "
                     "this version knows %d)"),
                   seg_clickhouse_client_get_database (client), version,
                   SEG_CLICKHOUSE_SCHEMA_VERSION);
      return FALSE;
    }

  for (int v = version; v < SEG_CLICKHOUSE_SCHEMA_VERSION; v++)
    {
      if (!migrations[v] (client, cluster, cancellable, error))
        return FALSE;
      if (!set_version (client, v + 1, cancellable, error))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  SegClickhouseClient *client;
  char                *cluster;
} EnsureData;

static void
ensure_data_free (EnsureData *data)
{
  g_clear_object (&data->client);
  g_free (data->cluster);
  g_free (data);
}

static void
ensure_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  EnsureData *data = task_data;
  GError *error = NULL;

  if (seg_clickhouse_schema_ensure (data->client, data->cluster, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * seg_clickhouse_schema_ensure_async:
 *
 * seg_clickhouse_schema_ensure() on a worker thread.
 */
void
seg_clickhouse_schema_ensure_async (SegClickhouseClient *client,
                                    const char          *cluster,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EnsureData *data;

  g_return_if_fail (SEG_IS_CLICKHOUSE_CLIENT (client));

  data = g_new0 (EnsureData, 1);
  data->client = g_object_ref (client);
  data->cluster = g_strdup (cluster);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_clickhouse_schema_ensure_async);
  g_task_set_task_data (task, data, (GDestroyNotify) ensure_data_free);
  g_task_run_in_thread (task, ensure_thread);
}

gboolean
seg_clickhouse_schema_ensure_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
