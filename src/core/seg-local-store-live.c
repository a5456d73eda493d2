/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-local-store"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-local-store-private.h"
#include "seg-segment.h"
#include "seg-time.h"

#include <string.h>

/*
 * The local store as the live engine's SegLiveSink: memberships are kept in the store's
 * own SQLite file (table live_memberships, schema version 2), so that a live segment's
 * members and history survive a restart and travel with the store.
 */

static gboolean
live_add (SegLiveSink              *sink,
          const SegLiveMembership  *m,
          guint                     n,
          GError                  **error)
{
  SegLocalStore *self = SEG_LOCAL_STORE (sink);
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  g_mutex_lock (&self->db_lock);
  if (!seg_local_store_exec (self, "BEGIN IMMEDIATE", error))
    {
      g_mutex_unlock (&self->db_lock);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (self->db,
                          "INSERT OR IGNORE INTO live_memberships (segment, user, key, ts) "
                          "VALUES (?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      ok = FALSE;
    }
  for (guint i = 0; ok && i < n; i++)
    {
      sqlite3_bind_text (stmt, 1, m[i].segment_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, m[i].user_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, m[i].key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, m[i].ts_ms);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          seg_local_store_set_sqlite_error (self->db, error);
          ok = FALSE;
        }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  if (ok)
    ok = seg_local_store_exec (self, "COMMIT", error);
  else
    seg_local_store_exec (self, "ROLLBACK", NULL);
  g_mutex_unlock (&self->db_lock);
  return ok;
}

static gboolean
live_load (SegLiveSink            *sink,
           SegLiveMembershipFunc   func,
           gpointer                user_data,
           GError                **error)
{
  SegLocalStore *self = SEG_LOCAL_STORE (sink);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (SegLiveMembership));
  g_autoptr(GStringChunk) strings = g_string_chunk_new (4096);
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* Read under the lock, call back without it (the callback may use the store). */
  g_mutex_lock (&self->db_lock);
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT segment, user, key, ts FROM live_memberships ORDER BY ts, rowid",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      g_mutex_unlock (&self->db_lock);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SegLiveMembership m = {
        .segment_id = g_string_chunk_insert_const (strings, (const char *) sqlite3_column_text (stmt, 0)),
        .user_id = g_string_chunk_insert_const (strings, (const char *) sqlite3_column_text (stmt, 1)),
        .key = g_string_chunk_insert_const (strings, (const char *) sqlite3_column_text (stmt, 2)),
        .ts_ms = sqlite3_column_int64 (stmt, 3),
      };
      g_array_append_val (rows, m);
    }
  if (rc != SQLITE_DONE)
    seg_local_store_set_sqlite_error (self->db, error);
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->db_lock);
  if (rc != SQLITE_DONE)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    func (&g_array_index (rows, SegLiveMembership, i), user_data);
  return TRUE;
}

void
seg_local_store_live_sink_iface_init (SegLiveSinkInterface *iface)
{
  iface->add = live_add;
  iface->load = live_load;
}

/* The ids of the saved live segments with this definition. */
static GPtrArray *
live_segment_ids (SegLocalStore *self,
                  SegDefinition *def)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->seg_lock);
  g_hash_table_iter_init (&iter, self->definitions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SegSegment *seg = value;
      SegDefinition *d = seg_segment_get_definition (seg);
      if (seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_LIVE && d != NULL && seg_definition_equal (d, def))
        g_ptr_array_add (ids, g_strdup (seg_segment_get_id (seg)));
    }
  g_mutex_unlock (&self->seg_lock);
  return ids;
}

typedef struct
{
  char   *user;
  gint64  ts;
} LiveMember;

static int
live_member_cmp (gconstpointer a,
                 gconstpointer b)
{
  const LiveMember *x = *(LiveMember * const *) a, *y = *(LiveMember * const *) b;

  if (x->ts != y->ts)
    return x->ts > y->ts ? -1 : 1;
  return strcmp (x->user, y->user);
}

static void
live_member_free (gpointer data)
{
  LiveMember *m = data;

  g_free (m->user);
  g_free (m);
}

/**
 * seg_local_store_live_member_ids:
 * @self: a store
 * @def: a live definition
 * @known: (out) (optional): the members the dataset knows (events or a profile), as a
 *   bitmap over the dataset's users; caller holds ds_lock for reading when asking for it
 *
 * The members of a live definition: every user stored as qualified for a saved live
 * segment with this definition, whether or not the store has events or a profile for
 * them (a user posted to a live source qualifies before anything else is known of them).
 * Newest qualification first (their latest), then by id.
 *
 * Returns: (transfer full): the user ids
 */
GPtrArray *
seg_local_store_live_member_ids (SegLocalStore  *self,
                                 SegDefinition  *def,
                                 SegBitmap     **known)
{
  g_autoptr(GPtrArray) seg_ids = live_segment_ids (self, def);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (live_member_free);
  GPtrArray *ids;

  g_mutex_lock (&self->db_lock);
  for (guint i = 0; i < seg_ids->len; i++)
    {
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (self->db,
                              "SELECT user, MAX(ts) FROM live_memberships WHERE segment = ? GROUP BY user",
                              -1, &stmt, NULL) != SQLITE_OK)
        continue;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (seg_ids, i), -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *user = (const char *) sqlite3_column_text (stmt, 0);
          gint64 ts = sqlite3_column_int64 (stmt, 1);
          LiveMember *m = g_hash_table_lookup (seen, user);

          if (m != NULL)
            {
              m->ts = MAX (m->ts, ts);
              continue;
            }
          m = g_new (LiveMember, 1);
          m->user = g_strdup (user);
          m->ts = ts;
          g_ptr_array_add (members, m);
          g_hash_table_insert (seen, m->user, m);
        }
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->db_lock);

  g_ptr_array_sort (members, live_member_cmp);
  ids = g_ptr_array_new_full (members->len, g_free);
  if (known != NULL)
    *known = seg_bitmap_new (seg_dataset_n_users (self->ds));
  for (guint i = 0; i < members->len; i++)
    {
      LiveMember *m = g_ptr_array_index (members, i);
      guint32 u;

      if (known != NULL && seg_intern_lookup (self->ds->users, m->user, strlen (m->user), &u))
        seg_bitmap_set (*known, u);
      g_ptr_array_add (ids, g_steal_pointer (&m->user));
    }
  return ids;
}

/**
 * seg_local_store_live_trend:
 * @self: a store
 * @def: a live definition
 * @first_day_ms: a time in the first day
 * @last_day_ms: a time in the last day
 * @n_days: (out): the number of days
 *
 * A live segment's trend: for each day from @first_day_ms to @last_day_ms (calendar days
 * in the store's timezone), the users who qualified that day, each counted once per day
 * however many qualifications they had in it.
 *
 * Returns: (transfer full): @n_days counts
 */
guint64 *
seg_local_store_live_trend (SegLocalStore *self,
                            SegDefinition *def,
                            gint64         first_day_ms,
                            gint64         last_day_ms,
                            guint         *n_days)
{
  g_autoptr(GPtrArray) seg_ids = live_segment_ids (self, def);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint32 d0 = seg_time_day_of (self->tz, first_day_ms);
  guint32 d1 = seg_time_day_of (self->tz, last_day_ms);
  guint n = d1 >= d0 ? d1 - d0 + 1 : 0;
  guint64 *counts = g_new0 (guint64, MAX (n, 1));
  gint64 from = seg_time_midnight (self->tz, d0), to = seg_time_midnight (self->tz, d0 + n);

  g_mutex_lock (&self->db_lock);
  for (guint i = 0; n > 0 && i < seg_ids->len; i++)
    {
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (self->db,
                              "SELECT user, ts FROM live_memberships "
                              "WHERE segment = ? AND ts >= ? AND ts < ?",
                              -1, &stmt, NULL) != SQLITE_OK)
        continue;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (seg_ids, i), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, from);
      sqlite3_bind_int64 (stmt, 3, to);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *user = (const char *) sqlite3_column_text (stmt, 0);
          guint32 day = seg_time_day_of (self->tz, sqlite3_column_int64 (stmt, 1));
          char *k;

          if (day < d0 || day > d1)
            continue;
          /* Once per user per day, across segments sharing the definition too. */
          k = g_strdup_printf ("%u\x1f%s", day, user);
          if (g_hash_table_add (seen, k))
            counts[day - d0]++;
        }
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->db_lock);
  *n_days = n;
  return counts;
}
