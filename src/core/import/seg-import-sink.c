/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-import-sink"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "seg-dataset.h"
#include "seg-import-sink.h"

#define PROGRESS_EVERY 8192

/* Pipeline: records per batch, batches in flight, how far ahead the consumer prefetches. */
#define BATCH_RECORDS   4096
#define BATCH_IN_FLIGHT 4
#define PREFETCH_AHEAD  8
#define NONE            G_MAXSIZE

typedef struct
{
  gint64     ts_ms;
  gsize      user, event, insert;   /* offsets in the arena; NONE for none */
  guint64    user_hash;
  SegKey128  insert_key;
  guint32    first_prop;
  guint32    n_props;
  guint8     kind;
} BatchRecord;

typedef struct
{
  gsize         key, str, str_len;
  double        num;
  SegValueType  type;
} BatchProp;

typedef struct
{
  char        *arena;
  gsize        len, cap;
  BatchRecord *recs;
  guint        n_recs;
  BatchProp   *props;
  guint64     *prop_hashes;
  guint        n_props, cap_props;
} Batch;

struct _SegImportSink
{
  char                  *file_name;
  SegRecordFunc          func;
  gpointer               user_data;
  SegImportProgressFunc  progress_func;
  gpointer               progress_data;
  SegImportPolicy        policy;
  guint64                rows;
  guint64                records;
  guint64                rejected;
  GPtrArray             *bad_rows;
  GPtrArray             *identities;
  GPtrArray             *identity_types;
  GHashTable            *identity_set;

  /* Pipeline */
  SegRecordObserveFunc   observe_func;
  SegHashedRecordFunc    hashed_func;
  SegRecordPrefetchFunc  prefetch_func;
  gpointer               pipeline_data;
  GThread               *consumer;
  GAsyncQueue           *full;       /* Batch, then &end_of_batches */
  GAsyncQueue           *free;       /* Batch */
  Batch                 *current;
  int                    failed;     /* atomic: the consumer stopped with consumer_error */
  GError                *consumer_error;
};

static Batch end_of_batches;

G_DEFINE_QUARK (seg-import-error-quark, seg_import_error)

G_DEFINE_BOXED_TYPE (SegImportBadRow, seg_import_bad_row,
                     seg_import_bad_row_copy, seg_import_bad_row_free)

SegImportBadRow *
seg_import_bad_row_copy (const SegImportBadRow *row)
{
  SegImportBadRow *copy = g_new0 (SegImportBadRow, 1);

  copy->file = g_strdup (row->file);
  copy->line = row->line;
  copy->reason = g_strdup (row->reason);
  return copy;
}

void
seg_import_bad_row_free (SegImportBadRow *row)
{
  if (row == NULL)
    return;
  g_free (row->file);
  g_free (row->reason);
  g_free (row);
}

/**
 * seg_import_sink_new:
 * @file_name: the name bad rows are reported against
 * @func: (nullable): receives each record
 */
SegImportSink *
seg_import_sink_new (const char    *file_name,
                     SegRecordFunc  func,
                     gpointer       user_data)
{
  SegImportSink *sink = g_new0 (SegImportSink, 1);

  sink->file_name = g_strdup (file_name ? file_name : "-");
  sink->func = func;
  sink->user_data = user_data;
  sink->bad_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_import_bad_row_free);
  sink->identities = g_ptr_array_new_with_free_func (g_free);
  sink->identity_types = g_ptr_array_new_with_free_func (g_free);
  sink->identity_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return sink;
}

static Batch *
batch_new (void)
{
  Batch *b = g_new0 (Batch, 1);

  b->cap = 256 * 1024;
  b->arena = g_malloc (b->cap);
  b->recs = g_new (BatchRecord, BATCH_RECORDS);
  b->cap_props = BATCH_RECORDS * 4;
  b->props = g_new (BatchProp, b->cap_props);
  b->prop_hashes = g_new (guint64, b->cap_props);
  return b;
}

static void
batch_free (Batch *b)
{
  g_free (b->arena);
  g_free (b->recs);
  g_free (b->props);
  g_free (b->prop_hashes);
  g_free (b);
}

static gsize
batch_put (Batch      *b,
           const char *s,
           gsize       len)
{
  gsize at = b->len;

  if (b->len + len + 1 > b->cap)
    {
      while (b->len + len + 1 > b->cap)
        b->cap *= 2;
      b->arena = g_realloc (b->arena, b->cap);
    }
  memcpy (b->arena + b->len, s, len);
  b->arena[b->len + len] = '\0';
  b->len += len + 1;
  return at;
}

static gsize
batch_put_str (Batch      *b,
               const char *s)
{
  return s == NULL ? NONE : batch_put (b, s, strlen (s));
}

/* Copies @record into @b with the hashes its writer will need: the reading thread has
 * time to spare, the writing thread has not. */
static void
batch_add (Batch           *b,
           const SegRecord *r)
{
  BatchRecord *br = &b->recs[b->n_recs++];

  br->kind = r->kind;
  br->ts_ms = r->ts_ms;
  br->user = batch_put_str (b, r->user_id);
  br->user_hash = seg_intern_hash (r->user_id, strlen (r->user_id));
  br->event = batch_put_str (b, r->event);
  br->insert = NONE;
  if (r->kind == SEG_RECORD_EVENT && r->event != NULL && r->insert_id != NULL && r->insert_id[0] != '\0')
    {
      br->insert = batch_put_str (b, r->insert_id);
      seg_key128_for_insert_id (r->event, r->insert_id, &br->insert_key);
    }
  if (b->n_props + r->n_props > b->cap_props)
    {
      while (b->n_props + r->n_props > b->cap_props)
        b->cap_props *= 2;
      b->props = g_renew (BatchProp, b->props, b->cap_props);
      b->prop_hashes = g_renew (guint64, b->prop_hashes, b->cap_props);
    }
  br->first_prop = b->n_props;
  br->n_props = r->n_props;
  for (guint i = 0; i < r->n_props; i++)
    {
      const SegPropValue *v = &r->props[i];
      BatchProp *p = &b->props[b->n_props];

      p->key = batch_put_str (b, v->key);
      p->type = v->type;
      p->num = v->num;
      p->str_len = v->str_len;
      p->str = v->str != NULL ? batch_put (b, v->str, v->str_len) : NONE;
      b->prop_hashes[b->n_props] = v->type == SEG_VALUE_TYPE_STRING && v->str != NULL
                                   ? seg_intern_hash (v->str, v->str_len) : 0;
      b->n_props++;
    }
}

static inline const char *
batch_str (const Batch *b,
           gsize        off)
{
  return off == NONE ? NULL : b->arena + off;
}

/* Points @h at the hashes batch_add() worked out for record @i. */
static void
batch_hashes (const Batch     *b,
              guint            i,
              SegRecordHashes *h)
{
  const BatchRecord *br = &b->recs[i];

  h->user = br->user_hash;
  h->props = b->prop_hashes + br->first_prop;
  h->insert_key = br->insert == NONE ? NULL : &br->insert_key;
}

/* The consumer: hands each record of each batch on, in order. */
static gboolean
batch_deliver (SegImportSink  *sink,
               const Batch    *b,
               GArray         *values,
               GError        **error)
{
  for (guint i = 0; i < b->n_recs; i++)
    {
      const BatchRecord *br = &b->recs[i];
      SegRecord r;
      SegRecordHashes h;
      SegPropValue *v;

      if (sink->prefetch_func != NULL && i + PREFETCH_AHEAD < b->n_recs)
        {
          SegRecordHashes ahead;
          batch_hashes (b, i + PREFETCH_AHEAD, &ahead);
          sink->prefetch_func (&ahead, sink->pipeline_data);
        }
      g_array_set_size (values, br->n_props);
      v = (SegPropValue *) values->data;
      for (guint j = 0; j < br->n_props; j++)
        {
          const BatchProp *p = &b->props[br->first_prop + j];

          v[j].key = batch_str (b, p->key);
          v[j].type = p->type;
          v[j].str = batch_str (b, p->str);
          v[j].str_len = p->str_len;
          v[j].num = p->num;
        }
      r.kind = br->kind;
      r.user_id = batch_str (b, br->user);
      r.event = batch_str (b, br->event);
      r.ts_ms = br->ts_ms;
      r.insert_id = batch_str (b, br->insert);
      r.n_props = br->n_props;
      r.props = v;
      batch_hashes (b, i, &h);
      if (!sink->hashed_func (&r, &h, sink->pipeline_data, error))
        return FALSE;
    }
  return TRUE;
}

static gpointer
consumer_thread (gpointer data)
{
  SegImportSink *sink = data;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (SegPropValue));

  while (TRUE)
    {
      Batch *b = g_async_queue_pop (sink->full);

      if (b == &end_of_batches)
        break;
      if (!g_atomic_int_get (&sink->failed) &&
          !batch_deliver (sink, b, values, &sink->consumer_error))
        g_atomic_int_set (&sink->failed, TRUE);
      b->len = 0;
      b->n_recs = 0;
      b->n_props = 0;
      g_async_queue_push (sink->free, b);
    }
  return NULL;
}

/**
 * seg_import_sink_set_pipeline:
 * @observe: (nullable): sees each record on the reading thread, as it is emitted
 * @func: receives each record with its hashes, on the consumer thread
 * @prefetch: (nullable): told a few records ahead which hashes are coming
 *
 * Makes emit() hand records to a consumer thread (see above). Call before the reader
 * starts.
 */
void
seg_import_sink_set_pipeline (SegImportSink         *sink,
                              SegRecordObserveFunc   observe,
                              SegHashedRecordFunc    func,
                              SegRecordPrefetchFunc  prefetch,
                              gpointer               user_data)
{
  g_return_if_fail (sink->consumer == NULL);

  sink->observe_func = observe;
  sink->hashed_func = func;
  sink->prefetch_func = prefetch;
  sink->pipeline_data = user_data;
  sink->full = g_async_queue_new ();
  sink->free = g_async_queue_new ();
  for (guint i = 0; i < BATCH_IN_FLIGHT; i++)
    g_async_queue_push (sink->free, batch_new ());
  sink->current = g_async_queue_pop (sink->free);
  sink->consumer = g_thread_new ("seg-import-write", consumer_thread, sink);
}

/**
 * seg_import_sink_drain:
 * @deliver: whether the records not yet handed on still are (FALSE when the import
 *   failed anyway)
 *
 * Waits for the consumer thread to finish. Returns %FALSE with the consumer's error when
 * it failed (a reader stopped by it returns a placeholder error: report this one).
 * Without a pipeline, returns %TRUE.
 */
gboolean
seg_import_sink_drain (SegImportSink  *sink,
                       gboolean        deliver,
                       GError        **error)
{
  if (sink->consumer == NULL)
    return TRUE;

  if (!deliver)
    g_atomic_int_set (&sink->failed, TRUE);
  if (sink->current->n_recs > 0)
    g_async_queue_push (sink->full, g_steal_pointer (&sink->current));
  g_async_queue_push (sink->full, &end_of_batches);
  g_thread_join (g_steal_pointer (&sink->consumer));

  g_clear_pointer (&sink->current, batch_free);
  while (g_async_queue_length (sink->free) > 0)
    batch_free (g_async_queue_pop (sink->free));
  g_clear_pointer (&sink->full, g_async_queue_unref);
  g_clear_pointer (&sink->free, g_async_queue_unref);

  if (sink->consumer_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sink->consumer_error));
      return FALSE;
    }
  return TRUE;
}

void
seg_import_sink_free (SegImportSink *sink)
{
  if (sink == NULL)
    return;
  seg_import_sink_drain (sink, FALSE, NULL);
  g_free (sink->file_name);
  g_ptr_array_unref (sink->bad_rows);
  g_hash_table_unref (sink->identity_set);
  g_ptr_array_unref (sink->identities);
  g_ptr_array_unref (sink->identity_types);
  g_free (sink);
}

void
seg_import_sink_set_policy (SegImportSink   *sink,
                            SegImportPolicy  policy)
{
  sink->policy = policy;
}

void
seg_import_sink_set_progress_func (SegImportSink         *sink,
                                   SegImportProgressFunc  func,
                                   gpointer               user_data)
{
  sink->progress_func = func;
  sink->progress_data = user_data;
}

const char *
seg_import_sink_get_file_name (SegImportSink *sink)
{
  return sink->file_name;
}

/**
 * seg_import_sink_emit:
 *
 * Hands a record on. Returns %FALSE with @error set when the receiver stops the import.
 */
gboolean
seg_import_sink_emit (SegImportSink    *sink,
                      const SegRecord  *record,
                      GError          **error)
{
  g_return_val_if_fail (record->user_id != NULL && record->user_id[0] != '\0', FALSE);

  sink->records++;
  if (sink->consumer != NULL)
    {
      if (g_atomic_int_get (&sink->failed))
        {
          /* The consumer's own error is reported by drain(); this only stops the reader. */
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "stopped by the writer");
          return FALSE;
        }
      if (sink->observe_func != NULL)
        sink->observe_func (record, sink->pipeline_data);
      batch_add (sink->current, record);
      if (sink->current->n_recs == BATCH_RECORDS)
        {
          g_async_queue_push (sink->full, sink->current);
          sink->current = g_async_queue_pop (sink->free);
        }
      return TRUE;
    }
  if (sink->func != NULL)
    return sink->func (record, sink->user_data, error);
  return TRUE;
}

/**
 * seg_import_sink_reject:
 * @line: the line of the file where the row starts, from 1
 * @reason: why the row cannot be read, a full sentence for the user
 *
 * Reports a bad row. Returns %FALSE with @error set when the policy is to stop.
 */
gboolean
seg_import_sink_reject (SegImportSink  *sink,
                        guint64         line,
                        const char     *reason,
                        GError        **error)
{
  sink->rejected++;
  if (sink->bad_rows->len < SEG_IMPORT_MAX_BAD_ROWS)
    {
      SegImportBadRow *row = g_new0 (SegImportBadRow, 1);

      row->file = g_strdup (sink->file_name);
      row->line = line;
      row->reason = g_strdup (reason);
      g_ptr_array_add (sink->bad_rows, row);
    }

  if (sink->policy == SEG_IMPORT_POLICY_STOP)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_BAD_ROW,
                   _("%s, line %" G_GUINT64_FORMAT ": %s"), sink->file_name, line, reason);
      return FALSE;
    }
  return TRUE;
}

gboolean
seg_import_sink_rejectf (SegImportSink  *sink,
                         guint64         line,
                         GError        **error,
                         const char     *format,
                         ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  return seg_import_sink_reject (sink, line, reason, error);
}

/**
 * seg_import_sink_row:
 * @bytes: text bytes read so far
 *
 * Counts one row read (good or bad) and reports progress now and then.
 */
void
seg_import_sink_row (SegImportSink *sink,
                     guint64        bytes)
{
  sink->rows++;
  if (G_UNLIKELY (sink->rows % PROGRESS_EVERY == 0) && sink->progress_func != NULL)
    sink->progress_func (sink->rows, bytes, sink->progress_data);
}

void
seg_import_sink_finish (SegImportSink *sink,
                        guint64        bytes)
{
  if (sink->progress_func != NULL)
    sink->progress_func (sink->rows, bytes, sink->progress_data);
}

/**
 * seg_import_sink_add_identity:
 * @type: (nullable): what the value identifies the user by ("identity", "email", ...),
 *   lower-case
 * @identity: the value
 *
 * Adds a member of a custom list; a repeated (type, value) is kept once, in first-seen
 * order.
 */
void
seg_import_sink_add_identity (SegImportSink *sink,
                              const char    *type,
                              const char    *identity)
{
  g_autofree char *lower = g_ascii_strdown (type ? type : "identity", -1);
  char *key;

  if (identity == NULL || identity[0] == '\0')
    return;
  key = g_strconcat (lower, "\x1f", identity, NULL);
  if (g_hash_table_contains (sink->identity_set, key))
    {
      g_free (key);
      return;
    }
  g_hash_table_add (sink->identity_set, key);
  g_ptr_array_add (sink->identities, g_strdup (identity));
  g_ptr_array_add (sink->identity_types, g_steal_pointer (&lower));
}

guint64
seg_import_sink_get_rows_read (SegImportSink *sink)
{
  return sink->rows;
}

guint64
seg_import_sink_get_records (SegImportSink *sink)
{
  return sink->records;
}

guint64
seg_import_sink_get_rejected (SegImportSink *sink)
{
  return sink->rejected;
}

/**
 * seg_import_sink_get_bad_rows:
 *
 * Returns: (transfer none) (element-type SegImportBadRow): the first bad rows
 */
GPtrArray *
seg_import_sink_get_bad_rows (SegImportSink *sink)
{
  return sink->bad_rows;
}

/**
 * seg_import_sink_get_identities:
 *
 * Returns: (transfer none) (element-type utf8): members of a custom list, if any
 */
GPtrArray *
seg_import_sink_get_identities (SegImportSink *sink)
{
  return sink->identities;
}

/**
 * seg_import_sink_get_identity_types:
 *
 * Returns: (transfer none) (element-type utf8): for each identity, what it is
 */
GPtrArray *
seg_import_sink_get_identity_types (SegImportSink *sink)
{
  return sink->identity_types;
}
