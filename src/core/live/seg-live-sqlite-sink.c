/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-sqlite-sink"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <sqlite3.h>

#include "seg-live-sqlite-sink.h"

/* Memberships in an SQLite file of their own, for `segctl live` and the tests; the local
 * store implements SegLiveSink on its own file. */
struct _SegLiveSqliteSink
{
  GObject       parent_instance;

  sqlite3      *db;
  sqlite3_stmt *insert;
};

static void seg_live_sqlite_sink_iface_init (SegLiveSinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SegLiveSqliteSink, seg_live_sqlite_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SEG_TYPE_LIVE_SINK, seg_live_sqlite_sink_iface_init))

static void
set_error (sqlite3  *db,
           GError  **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("live memberships: %s"), sqlite3_errmsg (db));
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_error (db, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
seg_live_sqlite_sink_add (SegLiveSink              *sink,
                          const SegLiveMembership  *m,
                          guint                     n,
                          GError                  **error)
{
  SegLiveSqliteSink *self = SEG_LIVE_SQLITE_SINK (sink);

  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      sqlite3_bind_text (self->insert, 1, m[i].segment_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (self->insert, 2, m[i].user_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (self->insert, 3, m[i].key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (self->insert, 4, m[i].ts_ms);
      if (sqlite3_step (self->insert) != SQLITE_DONE)
        {
          set_error (self->db, error);
          sqlite3_reset (self->insert);
          exec (self->db, "ROLLBACK", NULL);
          return FALSE;
        }
      sqlite3_reset (self->insert);
    }
  return exec (self->db, "COMMIT", error);
}

static gboolean
seg_live_sqlite_sink_load (SegLiveSink            *sink,
                           SegLiveMembershipFunc   func,
                           gpointer                user_data,
                           GError                **error)
{
  SegLiveSqliteSink *self = SEG_LIVE_SQLITE_SINK (sink);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT segment, user, key, ts FROM live_memberships ORDER BY ts, rowid",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_error (self->db, error);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SegLiveMembership m = {
        .segment_id = (const char *) sqlite3_column_text (stmt, 0),
        .user_id = (const char *) sqlite3_column_text (stmt, 1),
        .key = (const char *) sqlite3_column_text (stmt, 2),
        .ts_ms = sqlite3_column_int64 (stmt, 3),
      };
      func (&m, user_data);
    }
  if (rc != SQLITE_DONE)
    set_error (self->db, error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static void
seg_live_sqlite_sink_iface_init (SegLiveSinkInterface *iface)
{
  iface->add = seg_live_sqlite_sink_add;
  iface->load = seg_live_sqlite_sink_load;
}

static void
seg_live_sqlite_sink_finalize (GObject *object)
{
  SegLiveSqliteSink *self = SEG_LIVE_SQLITE_SINK (object);

  g_clear_pointer (&self->insert, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);

  G_OBJECT_CLASS (seg_live_sqlite_sink_parent_class)->finalize (object);
}

static void
seg_live_sqlite_sink_class_init (SegLiveSqliteSinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_live_sqlite_sink_finalize;
}

static void
seg_live_sqlite_sink_init (SegLiveSqliteSink *self)
{
}

/**
 * seg_live_sqlite_sink_new:
 * @path: the SQLite file, created if missing
 * @error: return location for an error
 *
 * Returns: (transfer full): a sink, or %NULL with @error set
 */
SegLiveSqliteSink *
seg_live_sqlite_sink_new (const char  *path,
                          GError     **error)
{
  g_autoptr(SegLiveSqliteSink) self = g_object_new (SEG_TYPE_LIVE_SQLITE_SINK, NULL);

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      set_error (self->db, error);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  if (!exec (self->db, "PRAGMA journal_mode=WAL", error) ||
      !exec (self->db, "PRAGMA synchronous=NORMAL", error) ||
      !exec (self->db,
             "CREATE TABLE IF NOT EXISTS live_memberships ("
             " segment TEXT NOT NULL, user TEXT NOT NULL, key TEXT NOT NULL, ts INTEGER NOT NULL,"
             " PRIMARY KEY (segment, user, key))", error))
    return NULL;
  if (sqlite3_prepare_v2 (self->db,
                          "INSERT OR IGNORE INTO live_memberships (segment, user, key, ts) "
                          "VALUES (?, ?, ?, ?)", -1, &self->insert, NULL) != SQLITE_OK)
    {
      set_error (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * seg_live_sqlite_sink_count:
 * @self: a sink
 * @segment_id: a live segment
 * @distinct_users: count users rather than qualifications
 *
 * Returns: how many qualifications (or users) of @segment_id are stored
 */
guint64
seg_live_sqlite_sink_count (SegLiveSqliteSink *self,
                            const char        *segment_id,
                            gboolean           distinct_users)
{
  sqlite3_stmt *stmt = NULL;
  guint64 n = 0;

  if (sqlite3_prepare_v2 (self->db,
                          distinct_users
                            ? "SELECT count(DISTINCT user) FROM live_memberships WHERE segment = ?"
                            : "SELECT count(*) FROM live_memberships WHERE segment = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  sqlite3_bind_text (stmt, 1, segment_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}
