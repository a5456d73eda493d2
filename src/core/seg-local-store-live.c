/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-local-store"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-local-store-private.h"
#include "seg-segment.h"

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

/* The members of a live definition: the users stored as qualified for the saved live
 * segments with this definition. Caller holds ds_lock for reading. Users the store has
 * no events or profile for are not in the dataset and are not counted. */
SegBitmap *
seg_local_store_live_members (SegLocalStore *self,
                              SegDefinition *def)
{
  SegBitmap *bm = seg_bitmap_new (seg_dataset_n_users (self->ds));
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
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

  g_mutex_lock (&self->db_lock);
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (self->db, "SELECT DISTINCT user FROM live_memberships WHERE segment = ?",
                              -1, &stmt, NULL) != SQLITE_OK)
        continue;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (ids, i), -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          guint32 u;
          if (seg_intern_lookup (self->ds->users, (const char *) sqlite3_column_text (stmt, 0),
                                 sqlite3_column_bytes (stmt, 0), &u))
            seg_bitmap_set (bm, u);
        }
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->db_lock);
  return bm;
}
