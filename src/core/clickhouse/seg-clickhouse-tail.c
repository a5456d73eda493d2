/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse"

#include "config.h"

#include <string.h>

#include "seg-clickhouse-rows.h"
#include "seg-clickhouse-sql.h"
#include "seg-clickhouse-tail.h"

/*
 * The events table has no insertion time, so the watermark is the event time: each poll
 * asks for ts_ms >= max(since, newest seen - lookback). What a poll hands to the engine is
 * remembered (event time, user, event, insert id, properties) until it falls out of that
 * window, so a repeated poll, or an overlap of two, never delivers an event twice. An
 * event that reaches the store more than the look-back after newer ones is not seen.
 */

#define DEFAULT_INTERVAL_MS    1000
#define DEFAULT_MAX_BACKOFF_MS 30000
#define DEFAULT_LOOKBACK_MS    60000

struct _SegClickhouseTail
{
  GObject              parent_instance;

  SegLiveEngine       *engine;
  SegClickhouseClient *client;
  guint                interval_ms;
  guint                max_backoff_ms;
  gint64               lookback_ms;

  gboolean             running;
  gint64               since_ms;
  gint64               newest_ms;     /* newest event time seen, G_MININT64 before any */
  GHashTable          *seen;          /* GBytes key -> gint64 ts, for the window */
  GCancellable        *cancellable;   /* of the poll in flight, NULL if none */
  guint                timeout_id;
  guint                failures_in_row;
  guint                retry_delay_ms;
  guint                poll_new;      /* events handed over by the poll in flight */

  guint64              n_records;
  guint64              n_repeated;
  guint64              n_failures;

  /* Per row scratch */
  SegClickhouseEventRow row;          /* reads the rows of a poll */
  GString             *key;
};

G_DEFINE_FINAL_TYPE (SegClickhouseTail, seg_clickhouse_tail, G_TYPE_OBJECT)

enum {
  SIGNAL_POLLED,
  SIGNAL_POLL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule (SegClickhouseTail *self,
                      guint              delay_ms);

static gint64
window_start (SegClickhouseTail *self)
{
  if (self->newest_ms == G_MININT64)
    return self->since_ms;
  return MAX (self->since_ms, self->newest_ms - self->lookback_ms);
}

static gboolean
row_cb (JsonObject  *row,
        guint64      row_number,
        gpointer     user_data,
        GError     **error)
{
  SegClickhouseTail *self = user_data;
  SegRecord record;

  if (!seg_clickhouse_event_row_read (&self->row, row, row_number, &record, error))
    return FALSE;

  /* The same event seen by an earlier poll (the window overlaps) is not pushed again:
   * its insert id tells it apart, or without one its content. */
  g_string_printf (self->key, "%" G_GINT64_FORMAT "%c%s%c%s%c%s", record.ts_ms, 0, record.user_id, 0,
                   record.event, 0, record.insert_id ? record.insert_id : "");
  if (record.insert_id == NULL)
    for (guint i = 0; i < record.n_props; i++)
      {
        const SegPropValue *v = &record.props[i];

        g_string_append_printf (self->key, "%c%s%c%d%c%.17g%c", 0, v->key ? v->key : "", 0,
                                v->type, 0, v->num, 0);
        if (v->str != NULL)
          g_string_append_len (self->key, v->str, v->str_len);
      }

  {
    g_autoptr(GBytes) key = g_bytes_new_static (self->key->str, self->key->len);

    if (g_hash_table_contains (self->seen, key))
      {
        self->n_repeated++;
        return TRUE;
      }
  }
  g_hash_table_insert (self->seen, g_bytes_new (self->key->str, self->key->len),
                       g_memdup2 (&record.ts_ms, sizeof record.ts_ms));

  self->newest_ms = MAX (self->newest_ms, record.ts_ms);
  self->n_records++;
  self->poll_new++;
  seg_live_engine_push (self->engine, &record);
  return TRUE;
}

static void
forget_old (SegClickhouseTail *self)
{
  gint64 start = window_start (self);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->seen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (*(gint64 *) value < start)
      g_hash_table_iter_remove (&iter);
}

static void
poll_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SegClickhouseTail) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = seg_clickhouse_client_query_finish (SEG_CLICKHOUSE_CLIENT (object), result, NULL, &error);
  g_clear_object (&self->cancellable);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;

  if (error != NULL)
    {
      guint64 delay = self->interval_ms;

      self->n_failures++;
      self->failures_in_row++;
      for (guint i = 0; i < self->failures_in_row && delay < self->max_backoff_ms; i++)
        delay *= 2;
      self->retry_delay_ms = (guint) MIN (delay, (guint64) self->max_backoff_ms);
      g_signal_emit (self, signals[SIGNAL_POLL_FAILED], 0, error);
      schedule (self, self->retry_delay_ms);
      return;
    }

  self->failures_in_row = 0;
  self->retry_delay_ms = self->interval_ms;
  forget_old (self);
  g_signal_emit (self, signals[SIGNAL_POLLED], 0, self->poll_new);
  schedule (self, self->interval_ms);
}

static void
poll (SegClickhouseTail *self)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " SEG_CLICKHOUSE_EVENT_READ_COLUMNS " FROM events WHERE ts_ms >= ");

  seg_clickhouse_sql_append_int (sql, window_start (self));
  g_string_append (sql, " ORDER BY ts_ms, user_id");
  self->poll_new = 0;
  self->cancellable = g_cancellable_new ();
  seg_clickhouse_client_query_async (self->client, sql->str, row_cb, self, NULL,
                                     self->cancellable, poll_done_cb, g_object_ref (self));
}

static gboolean
timeout_cb (gpointer data)
{
  SegClickhouseTail *self = data;

  self->timeout_id = 0;
  poll (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (SegClickhouseTail *self,
          guint              delay_ms)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->running)
    self->timeout_id = g_timeout_add (delay_ms, timeout_cb, self);
}

static void
seg_clickhouse_tail_dispose (GObject *object)
{
  SegClickhouseTail *self = (SegClickhouseTail *) object;

  seg_clickhouse_tail_stop (self);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (seg_clickhouse_tail_parent_class)->dispose (object);
}

static void
seg_clickhouse_tail_finalize (GObject *object)
{
  SegClickhouseTail *self = (SegClickhouseTail *) object;

  g_clear_pointer (&self->seen, g_hash_table_unref);
  seg_clickhouse_event_row_clear (&self->row);
  g_string_free (self->key, TRUE);
  G_OBJECT_CLASS (seg_clickhouse_tail_parent_class)->finalize (object);
}

static void
seg_clickhouse_tail_class_init (SegClickhouseTailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seg_clickhouse_tail_dispose;
  object_class->finalize = seg_clickhouse_tail_finalize;

  signals[SIGNAL_POLLED] = g_signal_new ("polled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_POLL_FAILED] = g_signal_new ("poll-failed", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
seg_clickhouse_tail_init (SegClickhouseTail *self)
{
  self->interval_ms = DEFAULT_INTERVAL_MS;
  self->max_backoff_ms = DEFAULT_MAX_BACKOFF_MS;
  self->lookback_ms = DEFAULT_LOOKBACK_MS;
  self->retry_delay_ms = DEFAULT_INTERVAL_MS;
  self->newest_ms = G_MININT64;
  self->seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                      (GDestroyNotify) g_bytes_unref, g_free);
  seg_clickhouse_event_row_init (&self->row);
  self->key = g_string_new (NULL);
}

/**
 * seg_clickhouse_tail_new:
 * @engine: the live engine to feed (on its main context)
 * @client: a client on the store's database
 *
 * Returns: (transfer full): a tail, not yet polling
 */
SegClickhouseTail *
seg_clickhouse_tail_new (SegLiveEngine       *engine,
                         SegClickhouseClient *client)
{
  SegClickhouseTail *self;

  g_return_val_if_fail (SEG_IS_LIVE_ENGINE (engine), NULL);
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (client), NULL);

  self = g_object_new (SEG_TYPE_CLICKHOUSE_TAIL, NULL);
  self->engine = g_object_ref (engine);
  self->client = g_object_ref (client);
  return self;
}

/* How often to poll while all is well (default 1 s). */
void
seg_clickhouse_tail_set_interval (SegClickhouseTail *self,
                                  guint              interval_ms)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_TAIL (self));
  self->interval_ms = MAX (interval_ms, 1);
  if (self->failures_in_row == 0)
    self->retry_delay_ms = self->interval_ms;
}

/* The longest wait between two polls after failures (default 30 s). */
void
seg_clickhouse_tail_set_max_backoff (SegClickhouseTail *self,
                                     guint              max_ms)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_TAIL (self));
  self->max_backoff_ms = MAX (max_ms, 1);
}

/* How much later than newer events an event may reach the store and still be seen
 * (default 60 s). */
void
seg_clickhouse_tail_set_lookback (SegClickhouseTail *self,
                                  gint64             lookback_ms)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_TAIL (self));
  self->lookback_ms = MAX (lookback_ms, 0);
}

/**
 * seg_clickhouse_tail_start:
 * @self: a tail
 * @since_ms: the first event time to deliver (e.g. the engine clock's now, for only
 *   what happens from now on)
 *
 * Polls at once, then every interval.
 */
void
seg_clickhouse_tail_start (SegClickhouseTail *self,
                           gint64             since_ms)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_TAIL (self));
  g_return_if_fail (!self->running);

  self->running = TRUE;
  self->since_ms = since_ms;
  schedule (self, 0);
}

/* Polls now unless a poll is under way (then that one counts). */
void
seg_clickhouse_tail_poll_now (SegClickhouseTail *self)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_TAIL (self));

  if (!self->running || self->cancellable != NULL)
    return;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  poll (self);
}

/* Stops polling; a poll under way is cancelled (and killed on the server). */
void
seg_clickhouse_tail_stop (SegClickhouseTail *self)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_TAIL (self));

  self->running = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Whether a poll is under way. */
gboolean
seg_clickhouse_tail_is_polling (SegClickhouseTail *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_TAIL (self), FALSE);
  return self->cancellable != NULL;
}

/* The newest event time delivered, or the start when none was. */
gint64
seg_clickhouse_tail_get_watermark (SegClickhouseTail *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_TAIL (self), 0);
  return self->newest_ms == G_MININT64 ? self->since_ms : self->newest_ms;
}

/* The wait before the next poll: the interval, or the backoff after failures. */
guint
seg_clickhouse_tail_get_retry_delay (SegClickhouseTail *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_TAIL (self), 0);
  return self->retry_delay_ms;
}

guint64
seg_clickhouse_tail_get_n_records (SegClickhouseTail *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_TAIL (self), 0);
  return self->n_records;
}

/* Events that a poll saw again and did not deliver twice. */
guint64
seg_clickhouse_tail_get_n_repeated (SegClickhouseTail *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_TAIL (self), 0);
  return self->n_repeated;
}

guint64
seg_clickhouse_tail_get_n_failures (SegClickhouseTail *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_TAIL (self), 0);
  return self->n_failures;
}
