/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-local-store"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "seg-definition.h"
#include "seg-engine.h"
#include "seg-eval-result.h"
#include "seg-event-info.h"
#include "seg-invoke.h"
#include "seg-local-store-private.h"
#include "seg-property-info.h"
#include "seg-segment.h"
#include "seg-time.h"
#include "seg-trend.h"
#include "seg-user-profile.h"

/*
 * The local store: one SQLite file (WAL) holding users, the string dictionary, events as
 * columnar chunks (one BLOB per chunk of an event name, rows sorted by user and time),
 * profile properties as one BLOB per property, and segments as plain rows. Opening reads
 * the BLOBs straight into the in-memory SegDataset the engine evaluates over, so that a
 * 10M-event store answers its first question a second after it was opened.
 */

#define SCHEMA_VERSION 3
#define CHUNK_MAGIC 0x31474553u   /* "SEG1" */

static void seg_local_store_iface_init (SegStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SegLocalStore, seg_local_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SEG_TYPE_STORE, seg_local_store_iface_init)
                               G_IMPLEMENT_INTERFACE (SEG_TYPE_LIVE_SINK, seg_local_store_live_sink_iface_init))

static const char *migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
  "CREATE TABLE user_chunks (first INTEGER PRIMARY KEY, n INTEGER NOT NULL, data BLOB NOT NULL);"
  "CREATE TABLE string_chunks (first INTEGER PRIMARY KEY, n INTEGER NOT NULL, data BLOB NOT NULL);"
  "CREATE TABLE event_chunks (id INTEGER PRIMARY KEY, event TEXT NOT NULL, n INTEGER NOT NULL,"
  "  data BLOB NOT NULL);"
  "CREATE INDEX event_chunks_event ON event_chunks (event);"
  "CREATE TABLE profile_columns (name TEXT PRIMARY KEY, type INTEGER NOT NULL,"
  "  n INTEGER NOT NULL, data BLOB NOT NULL);"
  "CREATE TABLE segments (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT,"
  "  kind TEXT NOT NULL, definition TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL,"
  "  last_count INTEGER NOT NULL DEFAULT -1, last_evaluated INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE sources (fingerprint TEXT PRIMARY KEY, imported INTEGER NOT NULL);"
  "CREATE TABLE insert_ids (event TEXT NOT NULL, insert_id TEXT NOT NULL,"
  "  PRIMARY KEY (event, insert_id)) WITHOUT ROWID;",
  /* 1 → 2: live segment memberships (seg-local-store-live.c) */
  "CREATE TABLE live_memberships (segment TEXT NOT NULL, user TEXT NOT NULL, key TEXT NOT NULL,"
  "  ts INTEGER NOT NULL, PRIMARY KEY (segment, user, key));",
  /* 2 → 3: insert ids as sorted runs of 128-bit keys (seg-local-store-insert-ids.c);
   * the rows of insert_ids are converted, then the table is dropped. */
  "CREATE TABLE insert_id_runs (id INTEGER PRIMARY KEY, run INTEGER NOT NULL, n INTEGER NOT NULL,"
  "  data BLOB NOT NULL);"
  "CREATE INDEX insert_id_runs_run ON insert_id_runs (run);",
};

void
seg_local_store_set_sqlite_error (sqlite3  *db,
                                  GError  **error)
{
  int code = sqlite3_errcode (db);

  g_set_error (error, SEG_STORE_ERROR,
               code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? SEG_STORE_ERROR_CORRUPT
                                                               : SEG_STORE_ERROR_FAILED,
               _("Store database error: %s"), sqlite3_errmsg (db));
}

/* Read-locks the dataset for an evaluation, after merging the deltas that live commits
 * queued (so that every acknowledged event is visible to it). The merge, O(table), is
 * paid once per query that follows commits, not once per commit. */
void
seg_local_store_read_lock (SegLocalStore *self)
{
  if (seg_dataset_has_pending (self->ds))
    {
      g_rw_lock_writer_lock (&self->ds_lock);
      seg_dataset_merge_pending (self->ds);
      g_rw_lock_writer_unlock (&self->ds_lock);
    }
  g_rw_lock_reader_lock (&self->ds_lock);
}

gboolean
seg_local_store_exec (SegLocalStore  *self,
                      const char     *sql,
                      GError        **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  return TRUE;
}

static gint64
now_wall_ms (void)
{
  return g_get_real_time () / 1000;
}

/* Blob I/O. Chunks are read through the incremental BLOB API straight into our arrays;
 * they are written as one bound BLOB each. */

typedef struct
{
  sqlite3_blob *blob;
  int           offset;
} BlobCursor;

static gboolean
blob_get (BlobCursor *c,
          void       *data,
          gsize       len)
{
  if (len == 0)
    return TRUE;
  if (sqlite3_blob_read (c->blob, data, (int) len, c->offset) != SQLITE_OK)
    return FALSE;
  c->offset += (int) len;
  return TRUE;
}

static gsize
column_bytes (SegColumn *c,
              guint      n)
{
  return (c->num != NULL ? 8 : 4) * (gsize) n;
}

static gsize
table_blob_size (SegTable *t)
{
  gsize size = 12 + (gsize) t->n * 12;

  for (guint i = 0; i < t->columns->len; i++)
    {
      SegColumn *c = g_ptr_array_index (t->columns, i);
      size += 8 + strlen (c->name) + column_bytes (c, t->n);
    }
  return size;
}

/* Appends @table as one chunk of its event. Caller holds db_lock inside a transaction. */
gboolean
seg_local_store_write_table (SegLocalStore  *self,
                             SegTable       *t,
                             GError        **error)
{
  guint32 head[3] = { CHUNK_MAGIC, t->n, t->columns->len };
  gsize size = table_blob_size (t), off = 0;
  g_autofree guint8 *buf = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  /* One bound BLOB rather than a zeroblob filled in place: the zeroblob's pages spill to
   * the WAL before they are filled and then go there a second time. */
  if (size > G_MAXINT32)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                   _("A chunk of %" G_GSIZE_FORMAT " bytes is too large"), size);
      return FALSE;
    }
  buf = g_malloc (size);
#define PUT(p, len) G_STMT_START { memcpy (buf + off, (p), (len)); off += (len); } G_STMT_END
  PUT (head, sizeof head);
  PUT (t->user, (gsize) t->n * 4);
  PUT (t->ts, (gsize) t->n * 8);
  for (guint i = 0; i < t->columns->len; i++)
    {
      SegColumn *col = g_ptr_array_index (t->columns, i);
      guint32 h[2] = { (guint32) strlen (col->name), col->type };

      PUT (h, sizeof h);
      PUT (col->name, h[0]);
      PUT (col->num != NULL ? (void *) col->num : (void *) col->sid, column_bytes (col, t->n));
    }
#undef PUT
  g_assert (off == size);
  if (sqlite3_prepare_v2 (self->db, "INSERT INTO event_chunks (event, n, data) VALUES (?1, ?2, ?3)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, t->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, t->n);
  sqlite3_bind_blob64 (stmt, 3, buf, size, SQLITE_STATIC);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    seg_local_store_set_sqlite_error (self->db, error);
  return ok;
}

gboolean
seg_local_store_write_profile (SegLocalStore     *self,
                               SegProfileColumn  *col,
                               guint              n_users,
                               GError           **error)
{
  sqlite3_stmt *del = NULL, *ins = NULL;
  g_autofree guint8 *buf = NULL;
  guint n = MIN (n_users, col->cap);
  gboolean compact = FALSE;
  gint64 set_ts_one = G_MININT64;
  gsize tbytes;
  gsize vbytes = (gsize) n * (col->num != NULL ? 8 : 4);
  gboolean ok;

  if (sqlite3_prepare_v2 (self->db, "DELETE FROM profile_columns WHERE name = ?1", -1, &del, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  sqlite3_bind_text (del, 1, col->name, -1, SQLITE_STATIC);
  ok = sqlite3_step (del) == SQLITE_DONE;
  sqlite3_finalize (del);
  if (!ok)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  /* The set times are usually one time for every value an import set: then they are
   * stored as that one time (8 bytes) instead of one per user. n > 1 keeps the two forms
   * apart by size. */
  if (n > 1)
    {
      gint64 one = G_MININT64;
      compact = TRUE;
      for (guint u = 0; u < n && compact; u++)
        {
          gint64 t = col->set_ts[u];
          if (!seg_profile_has_value (col, u))
            compact = t == G_MININT64;
          else if (one == G_MININT64)
            one = t;
          else
            compact = t == one;
        }
      compact = compact && one != G_MININT64;
      set_ts_one = one;
    }
  tbytes = compact ? 8 : (gsize) n * 8;
  if (vbytes + tbytes > G_MAXINT32)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                   _("A chunk of %" G_GSIZE_FORMAT " bytes is too large"), vbytes + tbytes);
      return FALSE;
    }
  /* One bound BLOB (see seg_local_store_write_table). */
  buf = g_malloc (MAX (vbytes + tbytes, 1));
  memcpy (buf, col->num != NULL ? (void *) col->num : (void *) col->sid, vbytes);
  if (compact)
    memcpy (buf + vbytes, &set_ts_one, 8);
  else
    memcpy (buf + vbytes, col->set_ts, tbytes);
  if (sqlite3_prepare_v2 (self->db, "INSERT INTO profile_columns (name, type, n, data) VALUES (?1, ?2, ?3, ?4)",
                          -1, &ins, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  sqlite3_bind_text (ins, 1, col->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (ins, 2, col->type);
  sqlite3_bind_int64 (ins, 3, n);
  sqlite3_bind_blob64 (ins, 4, buf, vbytes + tbytes, SQLITE_STATIC);
  ok = sqlite3_step (ins) == SQLITE_DONE;
  sqlite3_finalize (ins);
  if (!ok)
    seg_local_store_set_sqlite_error (self->db, error);
  return ok;
}

/* Writes the strings @first.. of @intern as one chunk whose first id is @first_id. */
gboolean
seg_local_store_write_strings (SegLocalStore  *self,
                               SegIntern      *intern,
                               guint           first,
                               guint           first_id,
                               gboolean        with_lengths,
                               const char     *table,
                               GError        **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  GByteArray *buf;
  gboolean ok;

  if (first >= intern->n)
    return TRUE;
  buf = g_byte_array_sized_new ((guint) (intern->pool_len - intern->offsets[first] + 4 * (intern->n - first)));
  for (guint i = first; i < intern->n; i++)
    {
      gsize len;
      const char *s = seg_intern_get (intern, i, &len);
      if (with_lengths)
        {
          guint32 l = (guint32) len;
          g_byte_array_append (buf, (const guint8 *) &l, 4);
          g_byte_array_append (buf, (const guint8 *) s, (guint) len);
        }
      else
        g_byte_array_append (buf, (const guint8 *) s, (guint) len + 1);
    }
  sql = g_strdup_printf ("INSERT INTO %s (first, n, data) VALUES (?1, ?2, ?3)", table);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_byte_array_unref (buf);
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, first_id);
  sqlite3_bind_int64 (stmt, 2, intern->n - first);
  sqlite3_bind_blob64 (stmt, 3, buf->data, buf->len, SQLITE_STATIC);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  g_byte_array_unref (buf);
  if (!ok)
    seg_local_store_set_sqlite_error (self->db, error);
  return ok;
}

/* Loading. */

static gboolean
load_strings (SegLocalStore  *self,
              const char     *table,
              SegIntern      *intern,
              gboolean        with_lengths,
              GError        **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT first, n, data FROM %s ORDER BY first", table);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint first = (guint) sqlite3_column_int64 (stmt, 0);
      guint n = (guint) sqlite3_column_int64 (stmt, 1);
      const char *data = sqlite3_column_blob (stmt, 2);
      gsize size = (gsize) sqlite3_column_bytes (stmt, 2), pos = 0;

      if (first != intern->n)
        {
          sqlite3_finalize (stmt);
          g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                       _("The store’s %s are incomplete (chunk at %u, expected %u)"),
                       table, first, intern->n);
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          gsize len;
          if (with_lengths)
            {
              guint32 l;
              if (pos + 4 > size)
                break;
              memcpy (&l, data + pos, 4);
              pos += 4;
              len = l;
              if (pos + len > size)
                break;
              seg_intern_append_raw (intern, data + pos, len);
              pos += len;
            }
          else
            {
              const char *end = memchr (data + pos, '\0', size - pos);
              if (end == NULL)
                break;
              len = (gsize) (end - (data + pos));
              seg_intern_append_raw (intern, data + pos, len);
              pos += len + 1;
            }
        }
      if (intern->n != first + n)
        {
          sqlite3_finalize (stmt);
          g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                       _("A chunk of the store’s %s is damaged"), table);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  return TRUE;
}

static SegTable *
read_table_chunk (SegLocalStore  *self,
                  const char     *event,
                  gint64          rowid,
                  GError        **error)
{
  sqlite3_blob *blob = NULL;
  BlobCursor c;
  guint32 head[3];
  g_autoptr(SegTable) t = NULL;
  gboolean ok;

  if (sqlite3_blob_open (self->db, "main", "event_chunks", "data", rowid, 0, &blob) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return NULL;
    }
  c.blob = blob;
  c.offset = 0;
  ok = blob_get (&c, head, sizeof head) && head[0] == CHUNK_MAGIC;
  if (ok)
    {
      t = seg_table_new (event, head[1]);
      ok = blob_get (&c, t->user, (gsize) t->n * 4) && blob_get (&c, t->ts, (gsize) t->n * 8);
      for (guint i = 0; ok && i < head[2]; i++)
        {
          guint32 h[2];
          g_autofree char *name = NULL;
          SegColumn *col;

          ok = blob_get (&c, h, sizeof h) && h[0] < 65536 && h[1] <= SEG_VALUE_TYPE_LIST;
          if (!ok)
            break;
          name = g_malloc0 (h[0] + 1);
          ok = blob_get (&c, name, h[0]);
          if (!ok)
            break;
          col = g_new0 (SegColumn, 1);
          col->name = g_steal_pointer (&name);
          col->type = h[1];
          if (seg_value_type_is_numeric (col->type))
            col->num = g_new (double, MAX (t->n, 1));
          else
            col->sid = g_new (guint32, MAX (t->n, 1));
          g_ptr_array_add (t->columns, col);
          ok = blob_get (&c, col->num != NULL ? (void *) col->num : (void *) col->sid,
                         column_bytes (col, t->n));
        }
    }
  sqlite3_blob_close (blob);
  if (!ok)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                   _("The events “%s” in the store are damaged"), event);
      return NULL;
    }
  return g_steal_pointer (&t);
}

static gboolean
load_events (SegLocalStore  *self,
             SegDataset     *ds,
             GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  guint n_users = seg_dataset_n_users (ds);
  g_autoptr(GPtrArray) group = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_table_free);
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT id, event FROM event_chunks ORDER BY event, id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *event = (const char *) sqlite3_column_text (stmt, 1);
      SegTable *t;

      /* An event's chunks, in the order they were written, are merged together once
       * all are read. */
      if (group->len > 0 && strcmp (((SegTable *) g_ptr_array_index (group, 0))->name, event) != 0)
        seg_dataset_replace_table (ds, seg_table_merge_all (group, n_users));
      t = read_table_chunk (self, event, sqlite3_column_int64 (stmt, 0), error);
      if (t == NULL)
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      for (guint i = 0; i < t->n; i++)
        if (t->user[i] >= n_users)
          {
            seg_table_free (t);
            sqlite3_finalize (stmt);
            g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                         _("The events “%s” refer to unknown users"), event);
            return FALSE;
          }
      t->n_chunks = 1;
      g_ptr_array_add (group, t);
    }
  if (group->len > 0 && rc == SQLITE_DONE)
    seg_dataset_replace_table (ds, seg_table_merge_all (group, n_users));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_profiles (SegLocalStore  *self,
               SegDataset     *ds,
               GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT rowid, name, type, n FROM profile_columns",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      sqlite3_blob *blob = NULL;
      SegValueType type = (SegValueType) sqlite3_column_int (stmt, 2);
      guint n = (guint) sqlite3_column_int64 (stmt, 3);
      SegProfileColumn *col;
      BlobCursor c;
      gboolean ok;
      gsize vbytes;

      if (type > SEG_VALUE_TYPE_LIST || type == SEG_VALUE_TYPE_NONE ||
          sqlite3_blob_open (self->db, "main", "profile_columns", "data",
                             sqlite3_column_int64 (stmt, 0), 0, &blob) != SQLITE_OK)
        {
          sqlite3_finalize (stmt);
          g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                       _("A profile property in the store is damaged"));
          return FALSE;
        }
      col = seg_profile_column_new ((const char *) sqlite3_column_text (stmt, 1), type, n);
      c.blob = blob;
      c.offset = 0;
      vbytes = (gsize) n * (col->num != NULL ? 8 : 4);
      ok = blob_get (&c, col->num != NULL ? (void *) col->num : (void *) col->sid, vbytes);
      if (ok && n > 1 && (gsize) sqlite3_blob_bytes (blob) == vbytes + 8)
        {
          /* One set time for every value (see seg_local_store_write_profile). */
          gint64 one;
          ok = blob_get (&c, &one, 8);
          for (guint u = 0; ok && u < n; u++)
            col->set_ts[u] = seg_profile_has_value (col, u) ? one : G_MININT64;
        }
      else if (ok)
        ok = (gsize) sqlite3_blob_bytes (blob) == vbytes + (gsize) n * 8 &&
             blob_get (&c, col->set_ts, (gsize) n * 8);
      sqlite3_blob_close (blob);
      if (!ok)
        {
          seg_profile_column_free (col);
          sqlite3_finalize (stmt);
          g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                       _("A profile property in the store is damaged"));
          return FALSE;
        }
      seg_dataset_replace_profile (ds, col);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static SegSegment *
segment_from_row (sqlite3_stmt *stmt)
{
  const char *id = (const char *) sqlite3_column_text (stmt, 0);
  const char *json = (const char *) sqlite3_column_text (stmt, 4);
  g_autoptr(SegDefinition) def = NULL;
  SegSegment *seg;
  SegSegmentKind kind = SEG_SEGMENT_KIND_PAST_BEHAVIOR;

  if (json != NULL)
    {
      g_autoptr(GError) error = NULL;
      def = seg_definition_new_from_json (json, -1, &error);
      if (def == NULL)
        g_warning ("Segment %s has an unreadable definition: %s", id, error->message);
    }
  seg = seg_segment_new (id, (const char *) sqlite3_column_text (stmt, 1), def);
  seg_segment_set_description (seg, (const char *) sqlite3_column_text (stmt, 2));
  if (seg_segment_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &kind))
    seg_segment_set_kind (seg, kind);
  seg_segment_set_times (seg, sqlite3_column_int64 (stmt, 5), sqlite3_column_int64 (stmt, 6));
  seg_segment_set_last_count (seg, sqlite3_column_int64 (stmt, 7), sqlite3_column_int64 (stmt, 8));
  return seg;
}

#define SEGMENT_COLUMNS "id, name, description, kind, definition, created, updated, last_count, last_evaluated"

static gboolean
load_segments (SegLocalStore  *self,
               GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT " SEGMENT_COLUMNS " FROM segments ORDER BY created, id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(SegSegment) seg = segment_from_row (stmt);
      g_hash_table_insert (self->definitions, g_strdup (seg_segment_get_id (seg)), seg_segment_copy (seg));
      g_list_store_append (self->segments, seg);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
ensure_system_segments (SegLocalStore  *self,
                        GError        **error)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT OR IGNORE INTO segments (id, name, description, kind, definition, created, updated) VALUES"
    " ('" SEG_SEGMENT_ID_ALL_USERS "', 'All Users', 'Everyone in the store', 'system', NULL, 0, 0),"
    " ('" SEG_SEGMENT_ID_TEST_USERS "', 'Test Users', 'Users whose test_user property is true', 'system', NULL, 1, 1)");
  return seg_local_store_exec (self, sql, error);
}

static char *
meta_get (SegLocalStore *self,
          const char    *key)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
meta_set (SegLocalStore  *self,
          const char     *key,
          const char     *value,
          GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    seg_local_store_set_sqlite_error (self->db, error);
  return ok;
}

static gboolean
migrate (SegLocalStore  *self,
         GError        **error)
{
  g_autofree char *v = NULL;
  int version = 0;

  if (!seg_local_store_exec (self, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)", error))
    return FALSE;
  v = meta_get (self, "schema_version");
  if (v != NULL)
    version = atoi (v);
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_VERSION,
                   _("The store %s was written by a newer version of Segment Studio (schema %d)"),
                   self->path, version);
      return FALSE;
    }
  while (version < SCHEMA_VERSION)
    {
      g_autofree char *vs = g_strdup_printf ("%d", version + 1);

      if (!seg_local_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!seg_local_store_exec (self, migrations[version], error) ||
          (version == 2 && !seg_local_store_migrate_insert_ids (self, error)) ||
          !meta_set (self, "schema_version", vs, error))
        {
          seg_local_store_exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!seg_local_store_exec (self, "COMMIT", error))
        return FALSE;
      version++;
    }
  return TRUE;
}

static gboolean
seg_local_store_open (SegLocalStore  *self,
                      const char     *timezone,
                      GError        **error)
{
  g_autofree char *tz_id = NULL;
  g_autoptr(SegDataset) ds = NULL;

  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                   _("Cannot open the store %s: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, 5000);
  /* Large pages make the multi-megabyte column BLOBs fast to read; WAL keeps readers of
   * other processes working during an import; NORMAL sync is crash-safe with WAL. */
  if (!seg_local_store_exec (self, "PRAGMA page_size = 65536", error) ||
      !seg_local_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !seg_local_store_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !seg_local_store_exec (self, "PRAGMA cache_size = -16384", error))
    return FALSE;
  if (!migrate (self, error) || !ensure_system_segments (self, error))
    return FALSE;

  tz_id = meta_get (self, "timezone");
  if (tz_id == NULL)
    {
      tz_id = g_strdup (timezone ? timezone : "UTC");
      if (!meta_set (self, "timezone", tz_id, error))
        return FALSE;
    }
  self->tz = g_time_zone_new_identifier (timezone ? timezone : tz_id);
  if (self->tz == NULL)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                   _("Unknown timezone “%s”"), timezone ? timezone : tz_id);
      return FALSE;
    }

  ds = seg_dataset_new ();
  if (!load_strings (self, "user_chunks", ds->users, FALSE, error) ||
      !load_strings (self, "string_chunks", ds->strings, TRUE, error) ||
      !load_events (self, ds, error) ||
      !load_profiles (self, ds, error) ||
      !load_segments (self, error))
    return FALSE;
  self->ds = g_steal_pointer (&ds);
  return TRUE;
}

/**
 * seg_local_store_new:
 * @path: the store's file; created if missing
 * @timezone: (nullable): for a new store, its timezone (IANA id; default UTC); for an
 *   existing store, overrides the stored timezone for this session
 * @error: return location for an error
 *
 * Opens a store, blocking. Use seg_local_store_open_async() from a UI thread.
 *
 * Returns: (transfer full): the store, or %NULL
 */
static int
cmp_table_size_desc (gconstpointer a,
                     gconstpointer b)
{
  guint x = (*(SegTable **) a)->n, y = (*(SegTable **) b)->n;
  return x > y ? -1 : x < y;
}

/* After opening, the time-ordered copies of the event tables are built on the other core,
 * biggest table first, so that the first questions do not pay for them (a question that
 * needs a table not built yet builds it itself, in parallel). */
static void
warm_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SegLocalStore *self = source;
  g_autoptr(GPtrArray) tables = g_ptr_array_new ();

  seg_local_store_read_lock (self);
  for (guint i = 0; i < self->ds->tables->len; i++)
    g_ptr_array_add (tables, g_ptr_array_index (self->ds->tables, i));
  g_ptr_array_sort (tables, cmp_table_size_desc);
  for (guint i = 0; i < tables->len; i++)
    seg_table_ensure_by_time (g_ptr_array_index (tables, i));
  g_rw_lock_reader_unlock (&self->ds_lock);
  g_mutex_lock (&self->warm_lock);
  self->warming = FALSE;
  g_cond_broadcast (&self->warm_cond);
  g_mutex_unlock (&self->warm_lock);
  g_task_return_boolean (task, TRUE);
}

/**
 * seg_local_store_wait_warm:
 *
 * Blocks until the background work that follows opening (building the time-ordered copies
 * of the event tables) is done; for benchmarks that time warm answers.
 */
void
seg_local_store_wait_warm (SegLocalStore *self)
{
  g_mutex_lock (&self->warm_lock);
  while (self->warming)
    g_cond_wait (&self->warm_cond, &self->warm_lock);
  g_mutex_unlock (&self->warm_lock);
}

SegLocalStore *
seg_local_store_new (const char  *path,
                     const char  *timezone,
                     GError     **error)
{
  g_autoptr(SegLocalStore) self = g_object_new (SEG_TYPE_LOCAL_STORE, NULL);
  g_autoptr(GTask) warm = NULL;

  self->path = g_strdup (path);
  self->display_name = g_path_get_basename (path);
  if (!seg_local_store_open (self, timezone, error))
    return NULL;
  if (self->ds->tables->len > 0)
    {
      self->warming = TRUE;
      warm = g_task_new (self, NULL, NULL, NULL);
      g_task_set_source_tag (warm, warm_thread);
      g_task_run_in_thread (warm, warm_thread);
    }
  return g_steal_pointer (&self);
}

typedef struct
{
  char *path;
  char *tz;
} OpenData;

static void
open_data_free (OpenData *d)
{
  g_free (d->path);
  g_free (d->tz);
  g_free (d);
}

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *d = task_data;
  GError *error = NULL;
  SegLocalStore *store = seg_local_store_new (d->path, d->tz, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
seg_local_store_open_async (const char          *path,
                            const char          *timezone,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  OpenData *d = g_new0 (OpenData, 1);

  d->path = g_strdup (path);
  d->tz = g_strdup (timezone);
  g_task_set_source_tag (task, seg_local_store_open_async);
  g_task_set_task_data (task, d, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * seg_local_store_open_finish:
 *
 * Returns: (transfer full): the store. Its segment list lives on the thread-default main
 *   context of the thread that opened it; for an asynchronous open that is a worker, so
 *   the list is re-homed to the caller's context here.
 */
SegLocalStore *
seg_local_store_open_finish (GAsyncResult  *result,
                             GError       **error)
{
  SegLocalStore *store = g_task_propagate_pointer (G_TASK (result), error);

  if (store != NULL)
    {
      g_main_context_unref (store->main_context);
      store->main_context = g_main_context_ref_thread_default ();
      g_clear_pointer (&store->home, g_thread_unref);
      store->home = seg_invoke_home ();
    }
  return store;
}

const char *
seg_local_store_get_path (SegLocalStore *self)
{
  return self->path;
}

/* Fixes "now" for trends (evaluate takes it in its options); 0 restores the real time. */
void
seg_local_store_set_now (SegLocalStore *self,
                         gint64         now_ms)
{
  self->now_override = now_ms;
}

gint64
seg_local_store_get_now (SegLocalStore *self)
{
  return self->now_override != 0 ? self->now_override : now_wall_ms ();
}

guint
seg_local_store_get_n_users (SegLocalStore *self)
{
  guint n;

  seg_local_store_read_lock (self);
  n = seg_dataset_n_users (self->ds);
  g_rw_lock_reader_unlock (&self->ds_lock);
  return n;
}

guint64
seg_local_store_get_n_events (SegLocalStore *self)
{
  guint64 n = 0;

  seg_local_store_read_lock (self);
  for (guint i = 0; i < self->ds->tables->len; i++)
    n += ((SegTable *) g_ptr_array_index (self->ds->tables, i))->n;
  g_rw_lock_reader_unlock (&self->ds_lock);
  return n;
}

static void
seg_local_store_finalize (GObject *object)
{
  SegLocalStore *self = SEG_LOCAL_STORE (object);

  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->ds, seg_dataset_free);
  seg_local_store_clear_insert_runs (self);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->definitions, g_hash_table_unref);
  g_clear_object (&self->segments);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->home, g_thread_unref);
  g_free (self->path);
  g_free (self->display_name);
  g_mutex_clear (&self->db_lock);
  g_rw_lock_clear (&self->ds_lock);
  g_mutex_clear (&self->seg_lock);
  g_mutex_clear (&self->writer_lock);
  g_cond_clear (&self->writer_cond);
  g_mutex_clear (&self->warm_lock);
  g_cond_clear (&self->warm_cond);
  G_OBJECT_CLASS (seg_local_store_parent_class)->finalize (object);
}

static void
seg_local_store_class_init (SegLocalStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_local_store_finalize;
}

static void
seg_local_store_init (SegLocalStore *self)
{
  g_mutex_init (&self->db_lock);
  g_rw_lock_init (&self->ds_lock);
  g_mutex_init (&self->seg_lock);
  g_mutex_init (&self->writer_lock);
  g_cond_init (&self->writer_cond);
  g_mutex_init (&self->warm_lock);
  g_cond_init (&self->warm_cond);
  self->definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->segments = g_list_store_new (SEG_TYPE_SEGMENT);
  self->main_context = g_main_context_ref_thread_default ();
  self->home = seg_invoke_home ();
}

/* SegStore: basics. */

static const char *
seg_local_store_get_display_name_impl (SegStore *store)
{
  return SEG_LOCAL_STORE (store)->display_name;
}

static GTimeZone *
seg_local_store_get_timezone_impl (SegStore *store)
{
  return SEG_LOCAL_STORE (store)->tz;
}

/* Definitions of saved segments, for include/exclude, from any thread. */
static gboolean
resolve_cb (const char      *id,
            SegSegmentKind  *kind,
            SegDefinition  **definition,
            gpointer         user_data)
{
  SegLocalStore *self = user_data;
  SegSegment *seg;
  gboolean found = FALSE;

  g_mutex_lock (&self->seg_lock);
  seg = g_hash_table_lookup (self->definitions, id);
  if (seg != NULL)
    {
      SegDefinition *def = seg_segment_get_definition (seg);
      *kind = seg_segment_get_kind (seg);
      *definition = def ? seg_definition_ref (def) : NULL;
      found = TRUE;
    }
  g_mutex_unlock (&self->seg_lock);
  return found;
}

static SegValueType
property_type_cb (const char *event,
                  const char *property,
                  gpointer    user_data)
{
  SegLocalStore *self = user_data;
  SegValueType type = SEG_VALUE_TYPE_NONE;

  /* Called with the dataset read-locked. */
  if (event != NULL)
    {
      SegTable *t = seg_dataset_get_table (self->ds, event);
      SegColumn *c = t ? seg_table_get_column (t, property) : NULL;
      if (c != NULL)
        type = c->type;
    }
  else
    {
      SegProfileColumn *c = seg_dataset_get_profile (self->ds, property);
      if (c != NULL)
        type = c->type;
    }
  return type;
}

static void
engine_params (SegLocalStore   *self,
               SegEngineParams *p,
               gint64           now_ms,
               GCancellable    *cancellable)
{
  p->dataset = self->ds;
  p->tz = self->tz;
  p->now_ms = now_ms != 0 ? now_ms : seg_local_store_get_now (self);
  p->resolve = resolve_cb;
  p->resolve_data = self;
  p->cancellable = cancellable;
}

/* Main-context delivery: the list model changes before the caller hears the answer. */

typedef struct
{
  SegLocalStore *self;
  SegSegment    *saved;      /* the new state of a segment, or NULL */
  char          *removed;    /* the id of a deleted segment, or NULL */
} ListChange;

static void
list_change_free (ListChange *c)
{
  g_clear_object (&c->saved);
  g_free (c->removed);
  g_clear_object (&c->self);
  g_free (c);
}

static SegSegment *
apply_list_change (SegLocalStore *self,
                   ListChange    *c)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->segments));
  const char *id = c->saved ? seg_segment_get_id (c->saved) : c->removed;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (G_LIST_MODEL (self->segments), i);
      if (g_strcmp0 (seg_segment_get_id (seg), id) == 0)
        {
          if (c->saved != NULL)
            {
              seg_segment_update_from (seg, c->saved);
              return g_object_ref (seg);
            }
          g_list_store_remove (self->segments, i);
          return NULL;
        }
    }
  if (c->saved != NULL)
    {
      SegSegment *copy = seg_segment_copy (c->saved);
      g_list_store_append (self->segments, copy);
      return copy;
    }
  return NULL;
}

static void
segment_task_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  GError *error = NULL;
  ListChange *c = g_task_propagate_pointer (G_TASK (result), &error);
  SegSegment *seg;

  if (c == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  seg = apply_list_change (c->self, c);
  if (c->removed != NULL)
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_pointer (outer, seg, g_object_unref);
  list_change_free (c);
}

static void
run_segment_task (SegLocalStore       *self,
                  GTask               *outer,
                  GTaskThreadFunc      func,
                  gpointer             data,
                  GDestroyNotify       data_free)
{
  GTask *inner = g_task_new (self, g_task_get_cancellable (outer), segment_task_done_cb,
                             g_object_ref (outer));

  g_task_set_task_data (inner, data, data_free);
  g_task_run_in_thread (inner, func);
  g_object_unref (inner);
}

/* Segments. */

static void
seg_local_store_list_segments_async (SegStore            *store,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  SegLocalStore *self = SEG_LOCAL_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  /* The list is loaded on open and kept live: nothing to wait for. */
  g_task_set_source_tag (task, seg_local_store_list_segments_async);
  g_task_return_pointer (task, g_object_ref (self->segments), g_object_unref);
}

static GListModel *
seg_local_store_list_segments_finish (SegStore      *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
seg_local_store_get_segment_async (SegStore            *store,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  SegLocalStore *self = SEG_LOCAL_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->segments));

  g_task_set_source_tag (task, seg_local_store_get_segment_async);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (G_LIST_MODEL (self->segments), i);
      if (g_strcmp0 (seg_segment_get_id (seg), id) == 0)
        {
          g_task_return_pointer (task, g_steal_pointer (&seg), g_object_unref);
          return;
        }
    }
  g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND,
                           _("There is no segment “%s”"), id);
}

static SegSegment *
seg_local_store_get_segment_finish (SegStore      *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
write_segment_row (SegLocalStore  *self,
                   SegSegment     *seg,
                   GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *json = NULL;
  gboolean ok;

  if (seg_segment_get_definition (seg) != NULL)
    json = seg_definition_to_json (seg_segment_get_definition (seg), FALSE);
  if (sqlite3_prepare_v2 (self->db,
                          "INSERT OR REPLACE INTO segments (" SEGMENT_COLUMNS ")"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (self->db, error);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, seg_segment_get_id (seg), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, seg_segment_get_name (seg), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, seg_segment_get_description (seg), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, seg_segment_kind_to_string (seg_segment_get_kind (seg)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, seg_segment_get_created (seg));
  sqlite3_bind_int64 (stmt, 7, seg_segment_get_updated (seg));
  sqlite3_bind_int64 (stmt, 8, seg_segment_get_last_count (seg));
  sqlite3_bind_int64 (stmt, 9, seg_segment_get_last_evaluated (seg));
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    seg_local_store_set_sqlite_error (self->db, error);
  return ok;
}

/* Validates and writes @seg (a private copy), then records it in the definitions cache. */
static gboolean
store_segment (SegLocalStore  *self,
               SegSegment     *seg,
               gboolean        is_new,
               GError        **error)
{
  SegDefinition *def = seg_segment_get_definition (seg);
  g_autoptr(GError) local = NULL;
  SegSegment *old;
  gint64 now = now_wall_ms ();
  gboolean ok;

  if (seg_segment_get_name (seg) == NULL || seg_segment_get_name (seg)[0] == '\0')
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID, _("A segment needs a name"));
      return FALSE;
    }
  if (def == NULL)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID, _("A segment needs a definition"));
      return FALSE;
    }
  seg_segment_set_kind (seg, seg_definition_get_kind (def));

  g_mutex_lock (&self->seg_lock);
  old = g_hash_table_lookup (self->definitions, seg_segment_get_id (seg));
  if (old != NULL && seg_segment_get_kind (old) == SEG_SEGMENT_KIND_SYSTEM)
    {
      g_mutex_unlock (&self->seg_lock);
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED,
                   _("“%s” is a system segment and cannot be changed"), seg_segment_get_name (old));
      return FALSE;
    }
  if (old != NULL && !is_new)
    seg_segment_set_times (seg, seg_segment_get_created (old), now);
  else
    seg_segment_set_times (seg, now, now);
  g_mutex_unlock (&self->seg_lock);

  seg_local_store_read_lock (self);
  ok = seg_definition_validate (def, seg_segment_get_id (seg), resolve_cb, property_type_cb, self, &local);
  g_rw_lock_reader_unlock (&self->ds_lock);
  if (!ok)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID, "%s", local->message);
      return FALSE;
    }

  g_mutex_lock (&self->db_lock);
  ok = write_segment_row (self, seg, error);
  g_mutex_unlock (&self->db_lock);
  if (!ok)
    return FALSE;

  g_mutex_lock (&self->seg_lock);
  g_hash_table_insert (self->definitions, g_strdup (seg_segment_get_id (seg)), seg_segment_copy (seg));
  g_mutex_unlock (&self->seg_lock);
  return TRUE;
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SegLocalStore *self = source;
  SegSegment *seg = task_data;
  gboolean is_new = seg_segment_get_id (seg) == NULL;
  GError *error = NULL;
  ListChange *c;

  if (is_new)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *id = g_strdup_printf ("seg-%.8s", uuid);
      seg_segment_set_id (seg, id);
    }
  if (!store_segment (self, seg, is_new, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  c = g_new0 (ListChange, 1);
  c->self = g_object_ref (self);
  c->saved = seg_segment_copy (seg);
  g_task_return_pointer (task, c, (GDestroyNotify) list_change_free);
}

static void
seg_local_store_save_segment_async (SegStore            *store,
                                    SegSegment          *segment,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  SegLocalStore *self = SEG_LOCAL_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_local_store_save_segment_async);
  run_segment_task (self, task, save_thread, seg_segment_copy (segment), g_object_unref);
}

static SegSegment *
seg_local_store_save_segment_finish (SegStore      *store,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
delete_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SegLocalStore *self = source;
  const char *id = task_data;
  SegSegment *seg;
  GHashTableIter iter;
  gpointer value;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;
  ListChange *c;

  g_mutex_lock (&self->seg_lock);
  seg = g_hash_table_lookup (self->definitions, id);
  if (seg == NULL || seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_SYSTEM)
    {
      g_mutex_unlock (&self->seg_lock);
      if (seg == NULL)
        g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND,
                                 _("There is no segment “%s”"), id);
      else
        g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED,
                                 _("“%s” is a system segment and cannot be deleted"),
                                 seg_segment_get_name (seg));
      return;
    }
  g_hash_table_iter_init (&iter, self->definitions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SegSegment *other = value;
      if (g_strv_contains (seg_segment_get_includes (other), id) ||
          g_strv_contains (seg_segment_get_excludes (other), id))
        {
          g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_IN_USE,
                                   _("“%s” is used by “%s”; change that segment first"),
                                   seg_segment_get_name (seg), seg_segment_get_name (other));
          g_mutex_unlock (&self->seg_lock);
          return;
        }
    }
  g_mutex_unlock (&self->seg_lock);

  g_mutex_lock (&self->db_lock);
  ok = sqlite3_prepare_v2 (self->db, "DELETE FROM segments WHERE id = ?1", -1, &stmt, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (!ok)
    {
      GError *error = NULL;
      seg_local_store_set_sqlite_error (self->db, &error);
      g_mutex_unlock (&self->db_lock);
      g_task_return_error (task, error);
      return;
    }
  g_mutex_unlock (&self->db_lock);

  g_mutex_lock (&self->seg_lock);
  g_hash_table_remove (self->definitions, id);
  g_mutex_unlock (&self->seg_lock);

  c = g_new0 (ListChange, 1);
  c->self = g_object_ref (self);
  c->removed = g_strdup (id);
  g_task_return_pointer (task, c, (GDestroyNotify) list_change_free);
}

static void
seg_local_store_delete_segment_async (SegStore            *store,
                                      const char          *id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  SegLocalStore *self = SEG_LOCAL_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_local_store_delete_segment_async);
  run_segment_task (self, task, delete_thread, g_strdup (id), g_free);
}

static gboolean
seg_local_store_delete_segment_finish (SegStore      *store,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  char *id;
  char *name;
} CloneData;

static void
clone_data_free (CloneData *d)
{
  g_free (d->id);
  g_free (d->name);
  g_free (d);
}

static void
clone_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SegLocalStore *self = source;
  CloneData *d = task_data;
  g_autoptr(SegSegment) copy = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strdup_printf ("seg-%.8s", uuid);
  GError *error = NULL;
  SegSegment *seg;
  ListChange *c;

  g_mutex_lock (&self->seg_lock);
  seg = g_hash_table_lookup (self->definitions, d->id);
  if (seg != NULL)
    copy = seg_segment_copy (seg);
  g_mutex_unlock (&self->seg_lock);
  if (copy == NULL)
    {
      g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND,
                               _("There is no segment “%s”"), d->id);
      return;
    }
  if (seg_segment_get_kind (copy) == SEG_SEGMENT_KIND_SYSTEM)
    {
      g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED,
                               _("System segments cannot be cloned"));
      return;
    }
  seg_segment_set_id (copy, id);
  if (d->name != NULL)
    seg_segment_set_name (copy, d->name);
  else
    {
      g_autofree char *name = g_strdup_printf (_("Copy of %s"), seg_segment_get_name (copy));
      seg_segment_set_name (copy, name);
    }
  seg_segment_set_last_count (copy, -1, 0);
  if (!store_segment (self, copy, TRUE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  c = g_new0 (ListChange, 1);
  c->self = g_object_ref (self);
  c->saved = g_steal_pointer (&copy);
  g_task_return_pointer (task, c, (GDestroyNotify) list_change_free);
}

static void
seg_local_store_clone_segment_async (SegStore            *store,
                                     const char          *id,
                                     const char          *new_name,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  SegLocalStore *self = SEG_LOCAL_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CloneData *d = g_new0 (CloneData, 1);

  d->id = g_strdup (id);
  d->name = g_strdup (new_name);
  g_task_set_source_tag (task, seg_local_store_clone_segment_async);
  run_segment_task (self, task, clone_thread, d, (GDestroyNotify) clone_data_free);
}

static SegSegment *
seg_local_store_clone_segment_finish (SegStore      *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Schema. */

static int
cmp_table_names (gconstpointer a,
                 gconstpointer b)
{
  return strcmp ((*(SegTable **) a)->name, (*(SegTable **) b)->name);
}

static void
list_events_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SegLocalStore *self = source;
  GListStore *list = g_list_store_new (SEG_TYPE_EVENT_INFO);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  seg_local_store_read_lock (self);
  for (guint i = 0; i < self->ds->tables->len; i++)
    g_ptr_array_add (names, g_ptr_array_index (self->ds->tables, i));
  g_ptr_array_sort (names, cmp_table_names);
  for (guint i = 0; i < names->len; i++)
    {
      SegTable *t = g_ptr_array_index (names, i);
      g_autoptr(SegEventInfo) info = seg_event_info_new (t->name, t->n, t->min_ts, t->max_ts);
      g_list_store_append (list, info);
    }
  g_rw_lock_reader_unlock (&self->ds_lock);
  g_task_return_pointer (task, list, g_object_unref);
}

static void
seg_local_store_list_events_async (SegStore            *store,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_local_store_list_events_async);
  g_task_run_in_thread (task, list_events_thread);
}

static GListModel *
seg_local_store_list_events_finish (SegStore      *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  double   key;
  guint64  count;
} TopEntry;

static int
cmp_top (gconstpointer a,
         gconstpointer b)
{
  const TopEntry *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return x->key < y->key ? -1 : x->key > y->key;
}

static char *
value_to_text (SegDataset   *ds,
               SegValueType  type,
               double        v)
{
  if (type == SEG_VALUE_TYPE_STRING)
    return g_strdup (seg_intern_get (ds->strings, (guint32) v, NULL));
  if (type == SEG_VALUE_TYPE_LIST)
    {
      gsize len;
      const char *s = seg_intern_get (ds->strings, (guint32) v, &len);
      GString *out = g_string_new (NULL);
      for (gsize i = 0; i < len; i += strlen (s + i) + 1)
        {
          if (out->len > 0)
            g_string_append (out, ", ");
          g_string_append (out, s + i);
        }
      return g_string_free (out, FALSE);
    }
  if (type == SEG_VALUE_TYPE_BOOLEAN)
    return g_strdup (v != 0 ? "true" : "false");
  if (type == SEG_VALUE_TYPE_DATE)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) floor (v / 1000));
      return dt ? g_date_time_format_iso8601 (dt) : g_strdup ("?");
    }
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", v));
  }
}

/* Counts the values of a column and keeps the 20 most frequent. */
static SegPropertyInfo *
property_info (SegDataset    *ds,
               const char    *name,
               SegValueType   type,
               const double  *num,
               const guint32 *sid,
               guint          n)
{
  SegPropertyInfo *info = seg_property_info_new (name, type);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (TopEntry));
  GHashTableIter iter;
  gpointer k, v;

  for (guint i = 0; i < n; i++)
    {
      gint64 key;
      gpointer cur;

      if (sid != NULL)
        {
          if (sid[i] == 0)
            continue;
          key = sid[i];
        }
      else
        {
          if (num[i] != num[i])
            continue;
          memcpy (&key, &num[i], 8);
        }
      cur = g_hash_table_lookup (counts, &key);
      if (cur == NULL)
        g_hash_table_insert (counts, g_memdup2 (&key, 8), GSIZE_TO_POINTER (1));
      else
        g_hash_table_insert (counts, g_memdup2 (&key, 8), GSIZE_TO_POINTER (GPOINTER_TO_SIZE (cur) + 1));
    }
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      TopEntry e;
      gint64 key = *(gint64 *) k;
      if (sid != NULL)
        e.key = (double) key;
      else
        memcpy (&e.key, &key, 8);
      e.count = GPOINTER_TO_SIZE (v);
      g_array_append_val (entries, e);
    }
  g_array_sort (entries, cmp_top);
  for (guint i = 0; i < MIN (entries->len, 20); i++)
    {
      TopEntry *e = &g_array_index (entries, TopEntry, i);
      g_autofree char *text = value_to_text (ds, type, e->key);
      seg_property_info_add_top_value (info, text, e->count);
    }
  return info;
}

static void
list_properties_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  SegLocalStore *self = source;
  const char *event = task_data;
  GListStore *list = g_list_store_new (SEG_TYPE_PROPERTY_INFO);

  seg_local_store_read_lock (self);
  if (event != NULL)
    {
      SegTable *t = seg_dataset_get_table (self->ds, event);
      for (guint i = 0; t != NULL && i < t->columns->len; i++)
        {
          SegColumn *c = g_ptr_array_index (t->columns, i);
          g_autoptr(SegPropertyInfo) info = property_info (self->ds, c->name, c->type, c->num, c->sid, t->n);
          g_list_store_append (list, info);
        }
    }
  else
    {
      guint n_users = seg_dataset_n_users (self->ds);
      for (guint i = 0; i < self->ds->profile->len; i++)
        {
          SegProfileColumn *c = g_ptr_array_index (self->ds->profile, i);
          g_autoptr(SegPropertyInfo) info = property_info (self->ds, c->name, c->type, c->num, c->sid,
                                                           MIN (c->cap, n_users));
          g_list_store_append (list, info);
        }
    }
  g_rw_lock_reader_unlock (&self->ds_lock);
  g_task_return_pointer (task, list, g_object_unref);
}

static void
seg_local_store_list_properties_async (SegStore            *store,
                                       const char          *event,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_local_store_list_properties_async);
  g_task_set_task_data (task, g_strdup (event), g_free);
  g_task_run_in_thread (task, list_properties_thread);
}

static GListModel *
seg_local_store_list_properties_finish (SegStore      *store,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Evaluation. */

typedef struct
{
  SegDefinition  *def;
  SegEvalOptions  options;
  gint64          first_day;
  gint64          last_day;
} EvalData;

static void
eval_data_free (EvalData *d)
{
  seg_definition_unref (d->def);
  g_free (d);
}

static char **
member_ids (SegDataset *ds,
            SegBitmap  *bm,
            guint64     offset,
            guint       limit)
{
  GPtrArray *ids = g_ptr_array_new ();
  guint64 skipped = 0;
  guint w = 0;
  gint64 u;

  /* Skip whole words while the offset allows. */
  while (w < bm->n_words)
    {
      guint64 c = (guint64) __builtin_popcountll (bm->words[w]);
      if (skipped + c > offset)
        break;
      skipped += c;
      w++;
    }
  for (u = seg_bitmap_next (bm, w * 64); u >= 0 && ids->len < limit; u = seg_bitmap_next (bm, (guint) u + 1))
    {
      if (skipped < offset)
        {
          skipped++;
          continue;
        }
      g_ptr_array_add (ids, g_strdup (seg_intern_get (ds->users, (guint32) u, NULL)));
    }
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

static char **
sample_ids (SegDataset *ds,
            SegBitmap  *bm,
            guint64     count,
            guint       size)
{
  GPtrArray *ids = g_ptr_array_new ();

  /* Members spread evenly over the user order: the same sample for the same answer. */
  if (count > 0 && size > 0)
    {
      guint64 step = MAX (count / size, 1), next = 0, seen = 0;
      for (gint64 u = seg_bitmap_next (bm, 0); u >= 0 && ids->len < size;
           u = seg_bitmap_next (bm, (guint) u + 1), seen++)
        if (seen == next)
          {
            g_ptr_array_add (ids, g_strdup (seg_intern_get (ds->users, (guint32) u, NULL)));
            next += step;
          }
    }
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

static void
remember_count (SegLocalStore *self,
                SegDefinition *def,
                guint64        count,
                gint64         when);

/* A live segment's sample and member pages come from its stored ids (newest first). */
static char **
live_sample_ids (GPtrArray *ids,
                 guint      size)
{
  GPtrArray *out = g_ptr_array_new ();

  if (ids->len > 0 && size > 0)
    {
      guint step = MAX (ids->len / size, 1);
      for (guint i = 0; i < ids->len && out->len < size; i += step)
        g_ptr_array_add (out, g_strdup (g_ptr_array_index (ids, i)));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static char **
live_slice_ids (GPtrArray *ids,
                guint64    offset,
                guint      limit)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint64 i = offset; i < ids->len && out->len < limit; i++)
    g_ptr_array_add (out, g_strdup (g_ptr_array_index (ids, (guint) i)));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static void
evaluate_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SegLocalStore *self = source;
  EvalData *d = task_data;
  SegEngineParams p;
  g_autoptr(SegBitmap) bm = NULL;
  SegEvalResult *result;
  GError *error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GPtrArray) live_ids = NULL;
  guint64 count;

  seg_local_store_read_lock (self);
  engine_params (self, &p, d->options.now_ms, cancellable);
  /* A live segment's members are who qualified, not a question over past events; they
   * count even when the store has no events or profile for them (bm holds those it has,
   * for reachability). */
  if (seg_definition_get_kind (d->def) == SEG_SEGMENT_KIND_LIVE)
    live_ids = seg_local_store_live_member_ids (self, d->def, &bm);
  else
    bm = seg_engine_evaluate (&p, d->def, &error);
  if (bm == NULL)
    {
      g_rw_lock_reader_unlock (&self->ds_lock);
      g_task_return_error (task, error);
      return;
    }
  count = live_ids != NULL ? live_ids->len : seg_bitmap_count (bm);
  result = seg_eval_result_new (count, p.now_ms);
  if (d->options.flags & SEG_EVAL_REACH)
    for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
      {
        g_autoptr(SegBitmap) r = seg_engine_reachable (&p, ch);
        seg_eval_result_set_reach (result, ch, seg_bitmap_count_and (bm, r));
      }
  if (live_ids != NULL)
    {
      if (d->options.flags & SEG_EVAL_SAMPLE)
        seg_eval_result_take_sample (result, live_sample_ids (live_ids, d->options.sample_size));
      if (d->options.flags & SEG_EVAL_MEMBERS)
        seg_eval_result_take_members (result, d->options.members_offset,
                                      live_slice_ids (live_ids, d->options.members_offset,
                                                      d->options.members_limit));
    }
  else if (d->options.flags & SEG_EVAL_SAMPLE)
    seg_eval_result_take_sample (result, sample_ids (self->ds, bm, count, d->options.sample_size));
  if (live_ids == NULL && (d->options.flags & SEG_EVAL_MEMBERS))
    seg_eval_result_take_members (result, d->options.members_offset,
                                  member_ids (self->ds, bm, d->options.members_offset,
                                              d->options.members_limit));
  g_rw_lock_reader_unlock (&self->ds_lock);
  seg_eval_result_set_elapsed_ms (result, (g_get_monotonic_time () - t0) / 1000.0);
  remember_count (self, d->def, count, now_wall_ms ());
  g_task_return_pointer (task, result, g_object_unref);
}

static void
seg_local_store_evaluate_async (SegStore             *store,
                                SegDefinition        *definition,
                                const SegEvalOptions *options,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  EvalData *d = g_new0 (EvalData, 1);

  d->def = seg_definition_ref (definition);
  if (options != NULL)
    d->options = *options;
  g_task_set_source_tag (task, seg_local_store_evaluate_async);
  g_task_set_task_data (task, d, (GDestroyNotify) eval_data_free);
  g_task_run_in_thread (task, evaluate_thread);
}

static SegEvalResult *
seg_local_store_evaluate_finish (SegStore      *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  SegLocalStore *self;
  char          *id;
  gint64         count;
  gint64         when;
} CountUpdate;

static gboolean
apply_count_cb (gpointer data)
{
  CountUpdate *u = data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (u->self->segments));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (G_LIST_MODEL (u->self->segments), i);
      if (g_strcmp0 (seg_segment_get_id (seg), u->id) == 0)
        seg_segment_set_last_count (seg, u->count, u->when);
    }
  g_object_unref (u->self);
  g_free (u->id);
  g_free (u);
  return G_SOURCE_REMOVE;
}

/* When the evaluated definition is a saved segment's, the segment remembers its count. */
static void
remember_count (SegLocalStore *self,
                SegDefinition *def,
                guint64        count,
                gint64         when)
{
  g_autofree char *json = seg_definition_to_json (def, FALSE);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->seg_lock);
  g_hash_table_iter_init (&iter, self->definitions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SegSegment *seg = value;
      g_autoptr(SegDefinition) sd = seg_segment_dup_size_definition (seg);
      g_autofree char *sj = sd ? seg_definition_to_json (sd, FALSE) : NULL;

      if (sj != NULL && g_str_equal (sj, json))
        {
          seg_segment_set_last_count (seg, (gint64) count, when);
          g_ptr_array_add (ids, g_strdup (seg_segment_get_id (seg)));
        }
    }
  g_mutex_unlock (&self->seg_lock);

  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_stmt *stmt = NULL;
      CountUpdate *u = g_new0 (CountUpdate, 1);

      g_mutex_lock (&self->db_lock);
      if (sqlite3_prepare_v2 (self->db, "UPDATE segments SET last_count = ?1, last_evaluated = ?2 WHERE id = ?3",
                              -1, &stmt, NULL) == SQLITE_OK)
        {
          sqlite3_bind_int64 (stmt, 1, (gint64) count);
          sqlite3_bind_int64 (stmt, 2, when);
          sqlite3_bind_text (stmt, 3, g_ptr_array_index (ids, i), -1, SQLITE_STATIC);
          sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
      g_mutex_unlock (&self->db_lock);

      u->self = g_object_ref (self);
      u->id = g_strdup (g_ptr_array_index (ids, i));
      u->count = (gint64) count;
      u->when = when;
      seg_invoke (self->main_context, self->home, G_PRIORITY_DEFAULT, apply_count_cb, u, NULL);
    }
}

static void
trend_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SegLocalStore *self = source;
  EvalData *d = task_data;
  SegEngineParams p;
  g_autofree guint64 *counts = NULL;
  g_autofree gint64 *days = NULL;
  GError *error = NULL;
  guint n = 0;
  guint32 d0;

  /* A live segment's trend is the users who qualified each day, from the stored
   * memberships; the past-behavior path does not apply to it. */
  if (seg_definition_get_kind (d->def) == SEG_SEGMENT_KIND_LIVE)
    counts = seg_local_store_live_trend (self, d->def, d->first_day, d->last_day, &n);
  else
    {
      seg_local_store_read_lock (self);
      engine_params (self, &p, 0, cancellable);
      counts = seg_engine_trend (&p, d->def, d->first_day, d->last_day, &n, &error);
      g_rw_lock_reader_unlock (&self->ds_lock);
    }
  if (counts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  days = g_new (gint64, MAX (n, 1));
  d0 = seg_time_day_of (self->tz, d->first_day);
  for (guint i = 0; i < n; i++)
    days[i] = seg_time_midnight (self->tz, d0 + i);
  g_task_return_pointer (task, seg_trend_new (n, days, counts), g_object_unref);
}

static void
seg_local_store_trend_async (SegStore            *store,
                             SegDefinition       *definition,
                             gint64               first_day_ms,
                             gint64               last_day_ms,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  EvalData *d = g_new0 (EvalData, 1);

  d->def = seg_definition_ref (definition);
  d->first_day = first_day_ms;
  d->last_day = last_day_ms;
  g_task_set_source_tag (task, seg_local_store_trend_async);
  g_task_set_task_data (task, d, (GDestroyNotify) eval_data_free);
  g_task_run_in_thread (task, trend_thread);
}

static SegTrend *
seg_local_store_trend_finish (SegStore      *store,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Users. */

static JsonNode *
value_node (SegDataset   *ds,
            SegValueType  type,
            double        num,
            guint32       sid)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  switch (type)
    {
    case SEG_VALUE_TYPE_STRING:
      json_node_set_string (node, seg_intern_get (ds->strings, sid, NULL));
      break;
    case SEG_VALUE_TYPE_LIST:
      {
        gsize len;
        const char *s = seg_intern_get (ds->strings, sid, &len);
        JsonArray *a = json_array_new ();
        for (gsize i = 0; i < len; i += strlen (s + i) + 1)
          json_array_add_string_element (a, s + i);
        json_node_init_array (node, a);
        json_array_unref (a);
      }
      break;
    case SEG_VALUE_TYPE_BOOLEAN:
      json_node_set_boolean (node, num != 0);
      break;
    case SEG_VALUE_TYPE_DATE:
      {
        g_autofree char *text = value_to_text (ds, type, num);
        json_node_set_string (node, text);
      }
      break;
    case SEG_VALUE_TYPE_NUMBER:
    case SEG_VALUE_TYPE_NONE:
    default:
      if (num == floor (num) && fabs (num) < 9e15)
        json_node_set_int (node, (gint64) num);
      else
        json_node_set_double (node, num);
      break;
    }
  return node;
}

typedef struct
{
  gint64    ts;
  SegTable *t;
  guint     row;
} TimelineEntry;

static int
cmp_timeline (gconstpointer a,
              gconstpointer b)
{
  const TimelineEntry *x = a, *y = b;
  return x->ts > y->ts ? -1 : x->ts < y->ts;
}

#define TIMELINE_LIMIT 1000

static void
get_user_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SegLocalStore *self = source;
  const char *id = task_data;
  JsonObject *props;
  JsonArray *timeline;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (TimelineEntry));
  g_autoptr(GPtrArray) segments = g_ptr_array_new ();
  g_autoptr(GPtrArray) defs = g_ptr_array_new_with_free_func (g_object_unref);
  SegDataset *ds;
  SegEngineParams p;
  guint32 u;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->seg_lock);
  g_hash_table_iter_init (&iter, self->definitions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (defs, seg_segment_copy (value));
  g_mutex_unlock (&self->seg_lock);

  seg_local_store_read_lock (self);
  ds = self->ds;
  if (!seg_intern_lookup (ds->users, id, strlen (id), &u))
    {
      g_rw_lock_reader_unlock (&self->ds_lock);
      g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND,
                               _("There is no user “%s”"), id);
      return;
    }
  props = json_object_new ();
  for (guint i = 0; i < ds->profile->len; i++)
    {
      SegProfileColumn *c = g_ptr_array_index (ds->profile, i);
      if (seg_profile_has_value (c, u))
        json_object_set_member (props, c->name,
                                value_node (ds, c->type, c->num ? c->num[u] : 0, c->sid ? c->sid[u] : 0));
    }
  for (guint i = 0; i < ds->tables->len; i++)
    {
      SegTable *t = g_ptr_array_index (ds->tables, i);
      guint a, b;
      seg_table_user_range (t, u, &a, &b);
      for (guint r = a; r < b; r++)
        {
          TimelineEntry e = { t->ts[r], t, r };
          g_array_append_val (entries, e);
        }
    }
  g_array_sort (entries, cmp_timeline);
  timeline = json_array_new ();
  for (guint i = 0; i < MIN (entries->len, TIMELINE_LIMIT); i++)
    {
      TimelineEntry *e = &g_array_index (entries, TimelineEntry, i);
      JsonObject *o = json_object_new ();
      JsonObject *ep = json_object_new ();

      json_object_set_string_member (o, "event", e->t->name);
      json_object_set_int_member (o, "ts", e->ts);
      for (guint c = 0; c < e->t->columns->len; c++)
        {
          SegColumn *col = g_ptr_array_index (e->t->columns, c);
          if (col->num != NULL ? col->num[e->row] == col->num[e->row] : col->sid[e->row] != 0)
            json_object_set_member (ep, col->name,
                                    value_node (ds, col->type, col->num ? col->num[e->row] : 0,
                                                col->sid ? col->sid[e->row] : 0));
        }
      json_object_set_object_member (o, "properties", ep);
      json_array_add_object_element (timeline, o);
    }

  /* The saved segments the user is in. */
  engine_params (self, &p, 0, cancellable);
  for (guint i = 0; i < defs->len; i++)
    {
      SegSegment *seg = g_ptr_array_index (defs, i);
      SegDefinition *def = seg_segment_get_definition (seg);
      g_autoptr(SegBitmap) bm = NULL;

      if (g_str_equal (seg_segment_get_id (seg), SEG_SEGMENT_ID_ALL_USERS))
        {
          g_ptr_array_add (segments, g_strdup (seg_segment_get_id (seg)));
          continue;
        }
      if (g_str_equal (seg_segment_get_id (seg), SEG_SEGMENT_ID_TEST_USERS))
        bm = seg_engine_test_users (&p);
      else if (def != NULL && seg_segment_get_kind (seg) != SEG_SEGMENT_KIND_LIVE)
        bm = seg_engine_evaluate (&p, def, NULL);
      if (bm != NULL && seg_bitmap_get (bm, u))
        g_ptr_array_add (segments, g_strdup (seg_segment_get_id (seg)));
    }
  g_rw_lock_reader_unlock (&self->ds_lock);
  g_ptr_array_add (segments, NULL);
  g_task_return_pointer (task,
                         seg_user_profile_new (id, props, timeline,
                                               (char **) g_ptr_array_free (g_steal_pointer (&segments), FALSE)),
                         g_object_unref);
}

typedef struct
{
  GStrv ids;
  GStrv fields;
} ProfilesData;

static void
profiles_data_free (gpointer data)
{
  ProfilesData *d = data;

  g_strfreev (d->ids);
  g_strfreev (d->fields);
  g_free (d);
}

static void
get_profiles_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SegLocalStore *self = source;
  ProfilesData *d = task_data;
  guint n_fields = g_strv_length (d->fields);
  g_autofree SegProfileColumn **columns = g_new0 (SegProfileColumn *, n_fields + 1);
  g_autoptr(GPtrArray) answer = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  SegDataset *ds;

  seg_local_store_read_lock (self);
  ds = self->ds;
  for (guint f = 0; f < n_fields; f++)
    for (guint i = 0; i < ds->profile->len; i++)
      {
        SegProfileColumn *c = g_ptr_array_index (ds->profile, i);

        if (g_str_equal (c->name, d->fields[f]))
          columns[f] = c;
      }
  for (guint i = 0; d->ids[i] != NULL; i++)
    {
      JsonObject *props = json_object_new ();
      guint32 u;

      g_ptr_array_add (answer, props);
      if (!seg_intern_lookup (ds->users, d->ids[i], strlen (d->ids[i]), &u))
        continue;
      for (guint f = 0; f < n_fields; f++)
        {
          SegProfileColumn *c = columns[f];

          if (c != NULL && seg_profile_has_value (c, u))
            json_object_set_member (props, c->name,
                                    value_node (ds, c->type, c->num ? c->num[u] : 0,
                                                c->sid ? c->sid[u] : 0));
        }
    }
  g_rw_lock_reader_unlock (&self->ds_lock);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) g_ptr_array_unref);
}

static void
seg_local_store_get_profiles_async (SegStore            *store,
                                    const char * const  *user_ids,
                                    const char * const  *fields,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  ProfilesData *d = g_new0 (ProfilesData, 1);

  d->ids = g_strdupv ((char **) user_ids);
  d->fields = g_strdupv ((char **) fields);
  g_task_set_source_tag (task, seg_local_store_get_profiles_async);
  g_task_set_task_data (task, d, profiles_data_free);
  g_task_run_in_thread (task, get_profiles_thread);
}

static GPtrArray *
seg_local_store_get_profiles_finish (SegStore      *store,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
seg_local_store_get_user_async (SegStore            *store,
                                const char          *user_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_local_store_get_user_async);
  g_task_set_task_data (task, g_strdup (user_id), g_free);
  g_task_run_in_thread (task, get_user_thread);
}

static SegUserProfile *
seg_local_store_get_user_finish (SegStore      *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Writing. */

static SegStoreWriter *
seg_local_store_begin_write (SegStore  *store,
                             GError   **error)
{
  SegLocalStore *self = SEG_LOCAL_STORE (store);

  g_mutex_lock (&self->writer_lock);
  while (self->writer_active)
    g_cond_wait (&self->writer_cond, &self->writer_lock);
  self->writer_active = TRUE;
  g_mutex_unlock (&self->writer_lock);

  /* The writer looks strings up from its thread while evaluations read: build the hash
   * indexes now, under the write lock, so that lookups never build them concurrently. */
  g_rw_lock_writer_lock (&self->ds_lock);
  {
    guint32 dummy;
    seg_intern_lookup (self->ds->users, "", 0, &dummy);
    seg_intern_lookup (self->ds->strings, "", 0, &dummy);
  }
  g_rw_lock_writer_unlock (&self->ds_lock);

  return SEG_STORE_WRITER (seg_local_writer_new (self));
}

static gboolean
emit_changed_cb (gpointer data)
{
  seg_store_emit_data_changed (SEG_STORE (data));
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* Called by the writer when it is done (committed, aborted or dropped). */
void
seg_local_store_writer_done (SegLocalStore *self,
                             gboolean       changed)
{
  g_mutex_lock (&self->writer_lock);
  self->writer_active = FALSE;
  g_cond_signal (&self->writer_cond);
  g_mutex_unlock (&self->writer_lock);
  if (changed)
    seg_invoke (self->main_context, self->home, G_PRIORITY_DEFAULT, emit_changed_cb, g_object_ref (self), NULL);
}

static void
seg_local_store_iface_init (SegStoreInterface *iface)
{
  iface->get_display_name = seg_local_store_get_display_name_impl;
  iface->get_timezone = seg_local_store_get_timezone_impl;
  iface->list_segments_async = seg_local_store_list_segments_async;
  iface->list_segments_finish = seg_local_store_list_segments_finish;
  iface->get_segment_async = seg_local_store_get_segment_async;
  iface->get_segment_finish = seg_local_store_get_segment_finish;
  iface->save_segment_async = seg_local_store_save_segment_async;
  iface->save_segment_finish = seg_local_store_save_segment_finish;
  iface->delete_segment_async = seg_local_store_delete_segment_async;
  iface->delete_segment_finish = seg_local_store_delete_segment_finish;
  iface->clone_segment_async = seg_local_store_clone_segment_async;
  iface->clone_segment_finish = seg_local_store_clone_segment_finish;
  iface->list_events_async = seg_local_store_list_events_async;
  iface->list_events_finish = seg_local_store_list_events_finish;
  iface->list_properties_async = seg_local_store_list_properties_async;
  iface->list_properties_finish = seg_local_store_list_properties_finish;
  iface->evaluate_async = seg_local_store_evaluate_async;
  iface->evaluate_finish = seg_local_store_evaluate_finish;
  iface->trend_async = seg_local_store_trend_async;
  iface->trend_finish = seg_local_store_trend_finish;
  iface->get_user_async = seg_local_store_get_user_async;
  iface->get_profiles_async = seg_local_store_get_profiles_async;
  iface->get_profiles_finish = seg_local_store_get_profiles_finish;
  iface->get_user_finish = seg_local_store_get_user_finish;
  iface->begin_write = seg_local_store_begin_write;
  iface->read_events = seg_local_store_read_events;
}
