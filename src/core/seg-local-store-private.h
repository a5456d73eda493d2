/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "live/seg-live-sink.h"
#include "seg-dataset.h"
#include "seg-key-set.h"
#include "seg-local-store.h"
#include "seg-local-writer.h"

G_BEGIN_DECLS

/* Shared by the local store and its writer; nothing outside them includes this. */
struct _SegLocalStore
{
  GObject        parent_instance;

  char          *path;
  char          *display_name;
  GTimeZone     *tz;
  gint64         now_override;   /* 0: the real time */
  GMainContext  *main_context;   /* where the segment list lives */
  GThread       *home;           /* the thread that lives in main_context (seg-invoke.h) */

  GMutex         db_lock;        /* one connection, used by one thread at a time */
  sqlite3       *db;

  GRWLock        ds_lock;        /* readers: evaluations; writer: committing a write */
  SegDataset    *ds;

  GMutex         seg_lock;       /* the definitions cache, read from worker threads */
  GHashTable    *definitions;    /* id → SegSegment copy (never the list's objects) */
  GListStore    *segments;       /* live list, touched only on main_context */

  GMutex         warm_lock;      /* the background build of time-ordered tables */
  GCond          warm_cond;
  gboolean       warming;

  GMutex         writer_lock;    /* one writer at a time */
  GCond          writer_cond;
  gboolean       writer_active;

  /* The insert ids the store holds (seg-local-store-insert-ids.c); touched only by the
   * writer holding the writer slot. */
  GPtrArray     *insert_runs;     /* SegKeyRun, largest first */
  GArray        *insert_run_ids;  /* gint64: each run's id in insert_id_runs */
  gboolean       insert_runs_loaded;
};

typedef struct
{
  SegKeyRun *merged;
  guint      n_replaced;
  gint64     run_id;
} SegInsertRunUpdate;

SegLocalWriter *seg_local_writer_new (SegLocalStore *store);

void     seg_local_store_writer_done     (SegLocalStore  *self,
                                          gboolean        changed);
void     seg_local_store_read_lock       (SegLocalStore  *self);
gboolean seg_local_store_exec            (SegLocalStore  *self,
                                          const char     *sql,
                                          GError        **error);
gboolean seg_local_store_write_table     (SegLocalStore  *self,
                                          SegTable       *table,
                                          GError        **error);
gboolean seg_local_store_write_profile   (SegLocalStore     *self,
                                          SegProfileColumn  *column,
                                          guint              n_users,
                                          GError           **error);
gboolean seg_local_store_write_strings   (SegLocalStore  *self,
                                          SegIntern      *intern,
                                          guint           first,
                                          guint           first_id,
                                          gboolean        with_lengths,
                                          const char     *table,
                                          GError        **error);
GPtrArray *seg_local_store_live_member_ids (SegLocalStore  *self,
                                            SegDefinition  *def,
                                            SegBitmap     **known);
guint64  *seg_local_store_live_trend     (SegLocalStore  *self,
                                          SegDefinition  *def,
                                          gint64          first_day_ms,
                                          gint64          last_day_ms,
                                          guint          *n_days);
gboolean seg_local_store_load_insert_runs   (SegLocalStore       *self,
                                            GError             **error);
gboolean seg_local_store_write_insert_run   (SegLocalStore       *self,
                                            SegKeyRun           *run,
                                            SegInsertRunUpdate  *update,
                                            GError             **error);
void     seg_local_store_install_insert_run (SegLocalStore       *self,
                                            SegInsertRunUpdate  *update);
void     seg_local_store_clear_insert_runs  (SegLocalStore       *self);
gboolean seg_local_store_migrate_insert_ids (SegLocalStore       *self,
                                            GError             **error);
gboolean seg_local_store_read_events     (SegStore       *store,
                                          gint64          from_ms,
                                          gint64          to_ms,
                                          SegRecordFunc   func,
                                          gpointer        user_data,
                                          GCancellable   *cancellable,
                                          GError        **error);
void     seg_local_store_live_sink_iface_init (SegLiveSinkInterface *iface);
void     seg_local_store_set_sqlite_error(sqlite3        *db,
                                          GError        **error);

G_END_DECLS
