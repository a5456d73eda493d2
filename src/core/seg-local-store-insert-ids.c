/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-local-store"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-key-set.h"
#include "seg-local-store-private.h"

/*
 * The insert ids a store holds (so that re-imported records with an insert id add
 * nothing) are kept as sorted runs of 128-bit keys (seg-key-set.h), table insert_id_runs
 * (schema 3): each run is one or more rows of up to RUN_PART_KEYS keys, in id order.
 * A write adds one run, merged with the smaller runs at the end of the list while they are
 * no more than twice its size, so that a store keeps O(log n) runs and each key is
 * rewritten O(log n) times however the ids arrive (one big import, or live batches of a
 * thousand).
 *
 * The runs are read once per store, by the first writer that meets an insert id, and
 * kept with the store (only writers use them, and a store has one writer at a time).
 */

#define RUN_PART_KEYS (4u * 1024 * 1024)   /* 64 MB per row, well below SQLite's blob limit */

static void
ensure_arrays (SegLocalStore *self)
{
  if (self->insert_runs == NULL)
    {
      self->insert_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_key_run_free);
      self->insert_run_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
}

static gboolean
add_run (SegLocalStore  *self,
         gint64          run_id,
         GByteArray     *bytes,
         GError        **error)
{
  SegKeyRun *run = seg_key_run_new_from_bytes (bytes->data, bytes->len);

  if (run == NULL)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                   _("The store %s is damaged: its list of imported record ids cannot be read"),
                   self->path);
      return FALSE;
    }
  g_ptr_array_add (self->insert_runs, run);
  g_array_append_val (self->insert_run_ids, run_id);
  return TRUE;
}

/**
 * seg_local_store_load_insert_runs:
 *
 * Reads the store's insert ids into memory, once. Called by the writer holding the
 * writer slot.
 */
gboolean
seg_local_store_load_insert_runs (SegLocalStore  *self,
                                  GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  gint64 run_id = -1;
  gboolean ok = TRUE;
  int rc;

  if (self->insert_runs_loaded)
    return TRUE;
  ensure_arrays (self);

  g_mutex_lock (&self->db_lock);
  if (sqlite3_prepare_v2 (self->db, "SELECT run, data FROM insert_id_runs ORDER BY run, id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      g_mutex_unlock (&self->db_lock);
      return FALSE;
    }
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 r = sqlite3_column_int64 (stmt, 0);
      const guint8 *data = sqlite3_column_blob (stmt, 1);
      int len = sqlite3_column_bytes (stmt, 1);

      if (r != run_id && bytes != NULL)
        {
          ok = add_run (self, run_id, bytes, error);
          g_clear_pointer (&bytes, g_byte_array_unref);
        }
      if (bytes == NULL)
        bytes = g_byte_array_new ();
      run_id = r;
      if (len > 0)
        g_byte_array_append (bytes, data, len);
    }
  if (ok && rc != SQLITE_DONE)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      ok = FALSE;
    }
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->db_lock);
  if (ok && bytes != NULL)
    ok = add_run (self, run_id, bytes, error);
  if (!ok)
    {
      g_ptr_array_set_size (self->insert_runs, 0);
      g_array_set_size (self->insert_run_ids, 0);
      return FALSE;
    }
  self->insert_runs_loaded = TRUE;
  return TRUE;
}

static gboolean
write_run (SegLocalStore    *self,
           gint64            run_id,
           const SegKeyRun  *run,
           GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  gsize n = seg_key_run_size (run);
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (self->db, "INSERT INTO insert_id_runs (run, n, data) VALUES (?1, ?2, ?3)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  for (gsize first = 0; ok && first < n; first += RUN_PART_KEYS)
    {
      gsize part = MIN (RUN_PART_KEYS, n - first), n_bytes;
      const guint8 *data = seg_key_run_get_bytes (run, first, part, &n_bytes);

      sqlite3_bind_int64 (stmt, 1, run_id);
      sqlite3_bind_int64 (stmt, 2, part);
      sqlite3_bind_blob64 (stmt, 3, data, n_bytes, SQLITE_STATIC);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      sqlite3_reset (stmt);
    }
  if (!ok)
    seg_local_store_set_sqlite_error (self->db, error);
  sqlite3_finalize (stmt);
  return ok;
}

/**
 * seg_local_store_write_insert_run:
 * @run: (transfer full): the new ids of a write
 * @update: (out): the run that replaces the last @update->n_replaced runs once the write
 *   is committed (set even on failure, for the caller to free)
 *
 * Writes a write's insert ids, inside the write's transaction (the caller holds the
 * database lock, and has called seg_local_store_load_insert_runs()).
 */
gboolean
seg_local_store_write_insert_run (SegLocalStore       *self,
                                  SegKeyRun           *run,
                                  SegInsertRunUpdate  *update,
                                  GError             **error)
{
  GPtrArray *runs = self->insert_runs;
  SegKeyRun *merged = run;
  guint n;

  g_return_val_if_fail (self->insert_runs_loaded, FALSE);

  n = runs->len;
  while (n > 0 && seg_key_run_size (g_ptr_array_index (runs, n - 1)) <= 2 * seg_key_run_size (merged))
    {
      SegKeyRun *m = seg_key_run_merge (g_ptr_array_index (runs, n - 1), merged);

      seg_key_run_free (merged);
      merged = m;
      n--;
    }
  update->merged = merged;
  update->n_replaced = runs->len - n;
  /* A new run's id comes from the file (inside the write's transaction): another process
   * may have added runs since they were read. */
  {
    sqlite3_stmt *stmt = NULL;

    if (sqlite3_prepare_v2 (self->db, "SELECT COALESCE(MAX(run), 0) + 1 FROM insert_id_runs",
                            -1, &stmt, NULL) != SQLITE_OK ||
        sqlite3_step (stmt) != SQLITE_ROW)
      {
        seg_local_store_set_sqlite_error (self->db, error);
        sqlite3_finalize (stmt);
        return FALSE;
      }
    update->run_id = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
  }

  if (update->n_replaced > 0)
    {
      sqlite3_stmt *stmt = NULL;
      gboolean ok = TRUE;

      if (sqlite3_prepare_v2 (self->db, "DELETE FROM insert_id_runs WHERE run = ?1", -1, &stmt, NULL) != SQLITE_OK)
        {
          seg_local_store_set_sqlite_error (self->db, error);
          return FALSE;
        }
      for (guint i = n; ok && i < runs->len; i++)
        {
          sqlite3_bind_int64 (stmt, 1, g_array_index (self->insert_run_ids, gint64, i));
          ok = sqlite3_step (stmt) == SQLITE_DONE;
          sqlite3_reset (stmt);
        }
      if (!ok)
        seg_local_store_set_sqlite_error (self->db, error);
      sqlite3_finalize (stmt);
      if (!ok)
        return FALSE;
    }
  return write_run (self, update->run_id, merged, error);
}

/* After the commit: the store's runs in memory follow the file. */
void
seg_local_store_install_insert_run (SegLocalStore      *self,
                                    SegInsertRunUpdate *update)
{
  guint keep = self->insert_runs->len - update->n_replaced;

  g_ptr_array_set_size (self->insert_runs, keep);
  g_array_set_size (self->insert_run_ids, keep);
  g_ptr_array_add (self->insert_runs, g_steal_pointer (&update->merged));
  g_array_append_val (self->insert_run_ids, update->run_id);
}

void
seg_local_store_clear_insert_runs (SegLocalStore *self)
{
  g_clear_pointer (&self->insert_runs, g_ptr_array_unref);
  g_clear_pointer (&self->insert_run_ids, g_array_unref);
  self->insert_runs_loaded = FALSE;
}

/**
 * seg_local_store_migrate_insert_ids:
 *
 * Schema 2 → 3: the text pairs of table insert_ids become one run of keys. Runs inside
 * the migration's transaction.
 */
gboolean
seg_local_store_migrate_insert_ids (SegLocalStore  *self,
                                    GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(SegKeySet) set = seg_key_set_new ();
  g_autoptr(SegKeyRun) run = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT event, insert_id FROM insert_ids", -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SegKey128 key;

      seg_key128_for_insert_id ((const char *) sqlite3_column_text (stmt, 0),
                                (const char *) sqlite3_column_text (stmt, 1), &key);
      seg_key_set_add (set, &key);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  if (seg_key_set_size (set) > 0)
    {
      run = seg_key_run_new_from_set (g_steal_pointer (&set));
      if (!write_run (self, 1, run, error))
        return FALSE;
    }
  return seg_local_store_exec (self, "DROP TABLE insert_ids", error);
}
