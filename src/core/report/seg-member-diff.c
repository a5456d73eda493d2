/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-member-diff"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-definition.h"
#include "seg-eval-result.h"
#include "seg-member-diff.h"
#include "seg-report-days.h"
#include "seg-report-sync.h"

/**
 * SegMemberDiff:
 *
 * Who joined a segment and who left it between the end of the previous day and the end
 * of a given day (or "now", for today).
 *
 * It is computed from the public SegStore interface only: both days are evaluated and
 * their member pages compared. A store could answer this far faster from its own member
 * bitmaps (see the report of the reports work); this is the portable way every store
 * supports.
 */
struct _SegMemberDiff
{
  GObject   parent_instance;
  gint64    day_ms;
  guint64   n_before;
  guint64   n_after;
  guint64   n_joined;
  guint64   n_left;
  char    **joined;
  char    **left;
};

G_DEFINE_FINAL_TYPE (SegMemberDiff, seg_member_diff, G_TYPE_OBJECT)

#define PAGE_SIZE 50000

static void
seg_member_diff_finalize (GObject *object)
{
  SegMemberDiff *self = SEG_MEMBER_DIFF (object);

  g_strfreev (self->joined);
  g_strfreev (self->left);
  G_OBJECT_CLASS (seg_member_diff_parent_class)->finalize (object);
}

static void
seg_member_diff_class_init (SegMemberDiffClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_member_diff_finalize;
}

static void
seg_member_diff_init (SegMemberDiff *self)
{
}

typedef struct
{
  SegStore      *store;
  SegDefinition *definition;
  gint64         day_ms;
  gint64         now_ms;
  guint          max_ids;
} DiffData;

static void
diff_data_free (DiffData *d)
{
  g_clear_object (&d->store);
  g_clear_pointer (&d->definition, seg_definition_unref);
  g_free (d);
}

typedef gboolean (*MemberFunc) (const char *id,
                                gpointer    user_data);

/* Pages through all members at @now_ms, calling @func for each. */
static gboolean
for_each_member (DiffData      *d,
                 gint64         now_ms,
                 guint64       *count,
                 MemberFunc     func,
                 gpointer       user_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  SegEvalOptions opts = { 0 };
  guint64 offset = 0;

  opts.now_ms = now_ms;
  opts.flags = SEG_EVAL_MEMBERS;
  opts.members_limit = PAGE_SIZE;
  for (;;)
    {
      g_autoptr(SegEvalResult) r = NULL;
      const char * const *ids;
      guint n = 0;

      opts.members_offset = offset;
      r = seg_report_evaluate_sync (d->store, d->definition, &opts, cancellable, error);
      if (r == NULL)
        return FALSE;
      *count = seg_eval_result_get_count (r);
      ids = seg_eval_result_get_members (r);
      for (; ids != NULL && ids[n] != NULL; n++)
        func (ids[n], user_data);
      offset += n;
      if (n < PAGE_SIZE || offset >= *count)
        return TRUE;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
}

typedef struct
{
  GHashTable *seen;      /* id → GUINT_TO_POINTER (1 + index in order) */
  GPtrArray  *order;     /* ids of the previous day, in member order */
  guint8     *still;     /* per previous member: still a member */
  GPtrArray  *joined;
  guint64     n_joined;
  guint       max_ids;
} Collect;

static gboolean
collect_before_cb (const char *id,
                   gpointer    user_data)
{
  Collect *c = user_data;
  char *copy = g_strdup (id);

  g_ptr_array_add (c->order, copy);
  g_hash_table_insert (c->seen, copy, GUINT_TO_POINTER (c->order->len));
  return TRUE;
}

static gboolean
collect_after_cb (const char *id,
                  gpointer    user_data)
{
  Collect *c = user_data;
  guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (c->seen, id));

  if (idx != 0)
    c->still[idx - 1] = 1;
  else
    {
      c->n_joined++;
      if (c->joined->len < c->max_ids)
        g_ptr_array_add (c->joined, g_strdup (id));
    }
  return TRUE;
}

static void
diff_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DiffData *d = task_data;
  GTimeZone *tz = seg_store_get_timezone (d->store);
  g_autoptr(SegMemberDiff) self = g_object_new (SEG_TYPE_MEMBER_DIFF, NULL);
  g_autoptr(GPtrArray) left = g_ptr_array_new ();
  GError *error = NULL;
  Collect c = { 0 };
  gint64 day, before_end, after_end;

  if (d->now_ms == 0)
    {
      SegEvalOptions opts = { 0 };
      g_autoptr(SegEvalResult) r = seg_report_evaluate_sync (d->store, d->definition, &opts,
                                                              cancellable, &error);
      if (r == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      d->now_ms = seg_eval_result_get_now (r);
    }
  day = seg_report_day_start (tz, d->day_ms);
  before_end = day - 1;
  after_end = seg_report_day_end (tz, day, d->now_ms);

  c.seen = g_hash_table_new (g_str_hash, g_str_equal);
  c.order = g_ptr_array_new_with_free_func (g_free);
  c.joined = g_ptr_array_new_with_free_func (g_free);
  c.max_ids = d->max_ids;

  if (!for_each_member (d, before_end, &self->n_before, collect_before_cb, &c, cancellable, &error))
    goto out;
  c.still = g_malloc0 (MAX (c.order->len, 1));
  if (!for_each_member (d, after_end, &self->n_after, collect_after_cb, &c, cancellable, &error))
    goto out;

  for (guint i = 0; i < c.order->len; i++)
    if (!c.still[i])
      {
        self->n_left++;
        if (left->len < d->max_ids)
          g_ptr_array_add (left, g_strdup (g_ptr_array_index (c.order, i)));
      }
  g_ptr_array_add (left, NULL);
  g_ptr_array_add (c.joined, NULL);
  self->day_ms = day;
  self->n_joined = c.n_joined;
  self->left = (char **) g_ptr_array_free (g_steal_pointer (&left), FALSE);
  self->joined = (char **) g_ptr_array_free (g_steal_pointer (&c.joined), FALSE);

out:
  g_hash_table_unref (c.seen);
  g_ptr_array_unref (c.order);
  if (c.joined != NULL)
    g_ptr_array_free (c.joined, TRUE);
  g_free (c.still);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

/**
 * seg_member_diff_compute_async:
 * @day_ms: any instant of the day, in the store's timezone
 * @now_ms: the store's "now" (today ends there), or 0 to ask the store
 * @max_ids: how many joined and left ids to keep (the counts are always exact)
 *
 * Compares the members at the end of the day before @day_ms with those at the end of
 * @day_ms, in a worker thread.
 */
void
seg_member_diff_compute_async (SegStore            *store,
                               SegDefinition       *definition,
                               gint64               day_ms,
                               gint64               now_ms,
                               guint                max_ids,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DiffData *d;

  g_return_if_fail (SEG_IS_STORE (store));
  g_return_if_fail (definition != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_member_diff_compute_async);
  d = g_new0 (DiffData, 1);
  d->store = g_object_ref (store);
  d->definition = seg_definition_ref (definition);
  d->day_ms = day_ms;
  d->now_ms = now_ms;
  d->max_ids = max_ids;
  g_task_set_task_data (task, d, (GDestroyNotify) diff_data_free);
  g_task_run_in_thread (task, diff_thread);
}

/**
 * seg_member_diff_compute_finish:
 *
 * Returns: (transfer full) (nullable): the difference
 */
SegMemberDiff *
seg_member_diff_compute_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gint64
seg_member_diff_get_day (SegMemberDiff *self)
{
  g_return_val_if_fail (SEG_IS_MEMBER_DIFF (self), 0);
  return self->day_ms;
}

/**
 * seg_member_diff_get_n_before:
 *
 * Returns: the members at the end of the previous day
 */
guint64
seg_member_diff_get_n_before (SegMemberDiff *self)
{
  g_return_val_if_fail (SEG_IS_MEMBER_DIFF (self), 0);
  return self->n_before;
}

/**
 * seg_member_diff_get_n_after:
 *
 * Returns: the members at the end of the day (or now, for today)
 */
guint64
seg_member_diff_get_n_after (SegMemberDiff *self)
{
  g_return_val_if_fail (SEG_IS_MEMBER_DIFF (self), 0);
  return self->n_after;
}

guint64
seg_member_diff_get_n_joined (SegMemberDiff *self)
{
  g_return_val_if_fail (SEG_IS_MEMBER_DIFF (self), 0);
  return self->n_joined;
}

guint64
seg_member_diff_get_n_left (SegMemberDiff *self)
{
  g_return_val_if_fail (SEG_IS_MEMBER_DIFF (self), 0);
  return self->n_left;
}

/**
 * seg_member_diff_get_joined:
 *
 * Returns: (transfer none): the first joined ids, in the store's member order
 */
const char * const *
seg_member_diff_get_joined (SegMemberDiff *self)
{
  g_return_val_if_fail (SEG_IS_MEMBER_DIFF (self), NULL);
  return (const char * const *) self->joined;
}

/**
 * seg_member_diff_get_left:
 *
 * Returns: (transfer none): the first ids that left, in the store's member order
 */
const char * const *
seg_member_diff_get_left (SegMemberDiff *self)
{
  g_return_val_if_fail (SEG_IS_MEMBER_DIFF (self), NULL);
  return (const char * const *) self->left;
}
