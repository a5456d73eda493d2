/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse"

#include "config.h"

#include "seg-clickhouse-live-sink.h"
#include "seg-clickhouse-sql.h"

struct _SegClickhouseLiveSink
{
  GObject              parent_instance;
  SegClickhouseClient *client;
};

static void seg_clickhouse_live_sink_iface_init (SegLiveSinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SegClickhouseLiveSink, seg_clickhouse_live_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SEG_TYPE_LIVE_SINK,
                                                      seg_clickhouse_live_sink_iface_init))

static gboolean
sink_add (SegLiveSink              *sink,
          const SegLiveMembership  *m,
          guint                     n,
          GError                  **error)
{
  SegClickhouseLiveSink *self = SEG_CLICKHOUSE_LIVE_SINK (sink);
  g_autoptr(GString) sql = g_string_new ("INSERT INTO live_memberships (segment_id, user_id, key, ts_ms) VALUES ");

  if (n == 0)
    return TRUE;
  /* One INSERT for the batch: ClickHouse wants few, large inserts. Writing a membership
   * twice is harmless (the table keeps one row per segment, user and key). */
  for (guint i = 0; i < n; i++)
    {
      g_string_append (sql, i > 0 ? ", (" : "(");
      seg_clickhouse_sql_append_string (sql, m[i].segment_id, -1);
      g_string_append (sql, ", ");
      seg_clickhouse_sql_append_string (sql, m[i].user_id, -1);
      g_string_append (sql, ", ");
      seg_clickhouse_sql_append_string (sql, m[i].key, -1);
      g_string_append (sql, ", ");
      seg_clickhouse_sql_append_int (sql, m[i].ts_ms);
      g_string_append_c (sql, ')');
    }
  return seg_clickhouse_client_execute (self->client, sql->str, NULL, NULL, error);
}

typedef struct
{
  SegLiveMembershipFunc func;
  gpointer              user_data;
} LoadData;

static gboolean
load_row_cb (JsonObject  *row,
             guint64      row_number,
             gpointer     user_data,
             GError     **error)
{
  LoadData *data = user_data;
  SegLiveMembership m = {
    .segment_id = json_object_get_string_member (row, "segment_id"),
    .user_id = json_object_get_string_member (row, "user_id"),
    .key = json_object_get_string_member (row, "key"),
    .ts_ms = g_ascii_strtoll (json_object_get_string_member (row, "first_ms"), NULL, 10),
  };

  data->func (&m, data->user_data);
  return TRUE;
}

static gboolean
sink_load (SegLiveSink            *sink,
           SegLiveMembershipFunc   func,
           gpointer                user_data,
           GError                **error)
{
  SegClickhouseLiveSink *self = SEG_CLICKHOUSE_LIVE_SINK (sink);
  LoadData data = { func, user_data };
  g_autoptr(GPtrArray) rows = NULL;
  GError *local_error = NULL;

  /* The first time a (segment, user, key) was written is when the user qualified. */
  rows = seg_clickhouse_client_query (self->client,
                                      "SELECT segment_id, user_id, key, toString(min(ts_ms)) AS first_ms "
                                      "FROM live_memberships GROUP BY segment_id, user_id, key "
                                      "ORDER BY min(ts_ms), segment_id, user_id, key",
                                      load_row_cb, &data, NULL, NULL, &local_error);
  /* With a row function, the rows are not collected: only an error tells. */
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static void
seg_clickhouse_live_sink_iface_init (SegLiveSinkInterface *iface)
{
  iface->add = sink_add;
  iface->load = sink_load;
}

static void
seg_clickhouse_live_sink_finalize (GObject *object)
{
  SegClickhouseLiveSink *self = (SegClickhouseLiveSink *) object;

  g_clear_object (&self->client);
  G_OBJECT_CLASS (seg_clickhouse_live_sink_parent_class)->finalize (object);
}

static void
seg_clickhouse_live_sink_class_init (SegClickhouseLiveSinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_clickhouse_live_sink_finalize;
}

static void
seg_clickhouse_live_sink_init (SegClickhouseLiveSink *self)
{
}

/**
 * seg_clickhouse_live_sink_new:
 * @client: a client on a store's database (schema version 2 or later)
 *
 * Returns: (transfer full): a sink for seg_live_engine_set_sink()
 */
SegClickhouseLiveSink *
seg_clickhouse_live_sink_new (SegClickhouseClient *client)
{
  SegClickhouseLiveSink *self;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (client), NULL);

  self = g_object_new (SEG_TYPE_CLICKHOUSE_LIVE_SINK, NULL);
  self->client = g_object_ref (client);
  return self;
}
