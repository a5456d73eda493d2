/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-local-store"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "seg-local-store-private.h"

/*
 * The local store reads its events back in time order (seg_store_read_events), for a
 * replay of the store's own events. Its tables are kept per event name and by user, so a
 * time range is gathered from every table that overlaps it, then sorted by time (the
 * event name, then the row, break ties: the same order on every read).
 */

typedef struct
{
  gint64  ts;
  guint   table;
  guint   row;
} EventRef;

static int
event_ref_cmp (const void *a,
               const void *b)
{
  const EventRef *x = a, *y = b;

  if (x->ts != y->ts)
    return x->ts < y->ts ? -1 : 1;
  if (x->table != y->table)
    return x->table < y->table ? -1 : 1;
  return x->row < y->row ? -1 : (x->row > y->row);
}

/* One event as a borrowed record: strings point into the dataset (held under ds_lock). */
static void
fill_record (SegDataset   *ds,
             SegTable     *t,
             guint         row,
             SegRecord    *rec,
             GArray       *props)
{
  g_array_set_size (props, 0);
  for (guint c = 0; c < t->columns->len; c++)
    {
      SegColumn *col = g_ptr_array_index (t->columns, c);
      SegPropValue v = { .key = col->name, .type = col->type };

      if (seg_value_type_is_numeric (col->type))
        {
          if (isnan (col->num[row]))
            continue;
          v.num = col->num[row];
        }
      else
        {
          gsize len;

          if (col->sid[row] == 0)
            continue;
          v.str = seg_intern_get (ds->strings, col->sid[row], &len);
          v.str_len = len;
        }
      g_array_append_val (props, v);
    }
  rec->kind = SEG_RECORD_EVENT;
  rec->user_id = seg_intern_get (ds->users, t->user[row], NULL);
  rec->event = t->name;
  rec->ts_ms = t->ts[row];
  rec->insert_id = NULL;
  rec->n_props = props->len;
  rec->props = props->len > 0 ? (SegPropValue *) props->data : NULL;
}

gboolean
seg_local_store_read_events (SegStore       *store,
                             gint64          from_ms,
                             gint64          to_ms,
                             SegRecordFunc   func,
                             gpointer        user_data,
                             GCancellable   *cancellable,
                             GError        **error)
{
  SegLocalStore *self = SEG_LOCAL_STORE (store);
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (EventRef));
  g_autoptr(GArray) props = g_array_new (FALSE, FALSE, sizeof (SegPropValue));
  gboolean ok = TRUE;

  /* Deltas queued by live commits are merged first, as for every query. */
  seg_local_store_read_lock (self);
  for (guint t = 0; t < self->ds->tables->len; t++)
    {
      SegTable *table = g_ptr_array_index (self->ds->tables, t);

      if (table->n == 0 || table->max_ts < from_ms || table->min_ts >= to_ms)
        continue;
      for (guint i = 0; i < table->n; i++)
        if (table->ts[i] >= from_ms && table->ts[i] < to_ms)
          {
            EventRef r = { table->ts[i], t, i };

            g_array_append_val (refs, r);
          }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
    }
  if (ok && refs->len > 1)
    qsort (refs->data, refs->len, sizeof (EventRef), event_ref_cmp);
  for (guint i = 0; ok && i < refs->len; i++)
    {
      EventRef *r = &g_array_index (refs, EventRef, i);
      SegRecord rec;

      fill_record (self->ds, g_ptr_array_index (self->ds->tables, r->table), r->row, &rec, props);
      ok = func (&rec, user_data, error);
      if (ok && i % 4096 == 4095)
        ok = !g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  g_rw_lock_reader_unlock (&self->ds_lock);
  return ok;
}
