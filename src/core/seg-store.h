/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-record.h"
#include "seg-types.h"

G_BEGIN_DECLS

#define SEG_STORE_ERROR (seg_store_error_quark ())

typedef enum
{
  SEG_STORE_ERROR_FAILED,
  SEG_STORE_ERROR_NOT_FOUND,       /* no such segment or user */
  SEG_STORE_ERROR_PROTECTED,       /* system segments cannot be changed or deleted */
  SEG_STORE_ERROR_IN_USE,          /* another segment includes or excludes this one */
  SEG_STORE_ERROR_INVALID,         /* the definition does not validate */
  SEG_STORE_ERROR_CORRUPT,         /* the store's file or answer cannot be read */
  SEG_STORE_ERROR_VERSION,         /* the store was written by a newer version */
  SEG_STORE_ERROR_CONNECTION,      /* a remote store cannot be reached */
  SEG_STORE_ERROR_AUTH,            /* a remote store refused the credentials */
} SegStoreError;

typedef enum
{
  SEG_EVAL_COUNT   = 0,        /* the count is always computed */
  SEG_EVAL_REACH   = 1 << 0,   /* members reachable per channel */
  SEG_EVAL_SAMPLE  = 1 << 1,   /* a sample of member ids */
  SEG_EVAL_MEMBERS = 1 << 2,   /* a page of member ids, in a stable order */
} SegEvalFlags;

/**
 * SegEvalOptions:
 * @now_ms: the time "now" stands for, in ms since the epoch; 0 for the current time
 * @flags: what to compute besides the count
 * @sample_size: how many sample users, with %SEG_EVAL_SAMPLE
 * @members_offset: first member of the page, with %SEG_EVAL_MEMBERS
 * @members_limit: size of the page, with %SEG_EVAL_MEMBERS
 */
typedef struct
{
  gint64        now_ms;
  SegEvalFlags  flags;
  guint         sample_size;
  guint64       members_offset;
  guint         members_limit;
} SegEvalOptions;

#define SEG_TYPE_STORE (seg_store_get_type ())
G_DECLARE_INTERFACE (SegStore, seg_store, SEG, STORE, GObject)

/*
 * SegStore is the one seam between the application and its data: the local SQLite store
 * and the remote ClickHouse store both implement it, and nothing above it knows which
 * one it talks to. Every method that can touch disk or network is asynchronous and
 * cancellable, and calls back on the thread-default main context of the caller.
 *
 * Signals:
 *  - "data-changed": events or profiles were added (after a writer committed).
 */
struct _SegStoreInterface
{
  GTypeInterface parent_iface;

  const char *(*get_display_name)      (SegStore             *self);
  GTimeZone  *(*get_timezone)          (SegStore             *self);

  /* Segments. The list is a live GListModel of SegSegment, updated in place by save,
   * delete and clone; it always holds the system segments All Users and Test Users. */
  void        (*list_segments_async)   (SegStore             *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  GListModel *(*list_segments_finish)  (SegStore             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void        (*get_segment_async)     (SegStore             *self,
                                        const char           *id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  SegSegment *(*get_segment_finish)    (SegStore             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void        (*save_segment_async)    (SegStore             *self,
                                        SegSegment           *segment,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  SegSegment *(*save_segment_finish)   (SegStore             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void        (*delete_segment_async)  (SegStore             *self,
                                        const char           *id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  gboolean    (*delete_segment_finish) (SegStore             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void        (*clone_segment_async)   (SegStore             *self,
                                        const char           *id,
                                        const char           *new_name,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  SegSegment *(*clone_segment_finish)  (SegStore             *self,
                                        GAsyncResult         *result,
                                        GError              **error);

  /* Schema, for the wizard's autocompletion. list_events: GListModel of SegEventInfo.
   * list_properties: GListModel of SegPropertyInfo, of @event's properties or, with
   * @event NULL, of user properties. */
  void        (*list_events_async)     (SegStore             *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  GListModel *(*list_events_finish)    (SegStore             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  void        (*list_properties_async) (SegStore             *self,
                                        const char           *event,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  GListModel *(*list_properties_finish)(SegStore             *self,
                                        GAsyncResult         *result,
                                        GError              **error);

  /* Evaluation. */
  void           (*evaluate_async)     (SegStore             *self,
                                        SegDefinition        *definition,
                                        const SegEvalOptions *options,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  SegEvalResult *(*evaluate_finish)    (SegStore             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  /* Members per day, for the days from @first_day to @last_day (midnights in the
   * store's timezone, as ms since the epoch), each day evaluated with "now" at its end. */
  void           (*trend_async)        (SegStore             *self,
                                        SegDefinition        *definition,
                                        gint64                first_day_ms,
                                        gint64                last_day_ms,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  SegTrend      *(*trend_finish)       (SegStore             *self,
                                        GAsyncResult         *result,
                                        GError              **error);

  /* Users. */
  void            (*get_user_async)    (SegStore             *self,
                                        const char           *user_id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  SegUserProfile *(*get_user_finish)   (SegStore             *self,
                                        GAsyncResult         *result,
                                        GError              **error);
  /* The current profile properties @fields of many users at once (exports); optional. */
  void            (*get_profiles_async)  (SegStore            *self,
                                          const char * const  *user_ids,
                                          const char * const  *fields,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
  GPtrArray      *(*get_profiles_finish) (SegStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

  /* Writing: imports and live streams. Blocking; call from a worker thread. */
  SegStoreWriter *(*begin_write)       (SegStore             *self,
                                        GError              **error);

  /* Reading events back, in time order (replays). Blocking; call from a worker thread.
   * Optional: without it, seg_store_read_events() fails with G_IO_ERROR_NOT_SUPPORTED. */
  gboolean        (*read_events)       (SegStore             *self,
                                        gint64                from_ms,
                                        gint64                to_ms,
                                        SegRecordFunc         func,
                                        gpointer              user_data,
                                        GCancellable         *cancellable,
                                        GError              **error);

  gpointer padding[13];
};

GQuark          seg_store_error_quark          (void);

const char     *seg_store_get_display_name     (SegStore             *self);
GTimeZone      *seg_store_get_timezone         (SegStore             *self);

void            seg_store_list_segments_async  (SegStore             *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GListModel     *seg_store_list_segments_finish (SegStore             *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            seg_store_get_segment_async    (SegStore             *self,
                                                const char           *id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
SegSegment     *seg_store_get_segment_finish   (SegStore             *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            seg_store_save_segment_async   (SegStore             *self,
                                                SegSegment           *segment,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
SegSegment     *seg_store_save_segment_finish  (SegStore             *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            seg_store_delete_segment_async (SegStore             *self,
                                                const char           *id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean        seg_store_delete_segment_finish(SegStore             *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            seg_store_clone_segment_async  (SegStore             *self,
                                                const char           *id,
                                                const char           *new_name,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
SegSegment     *seg_store_clone_segment_finish (SegStore             *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            seg_store_list_events_async    (SegStore             *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GListModel     *seg_store_list_events_finish   (SegStore             *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            seg_store_list_properties_async(SegStore             *self,
                                                const char           *event,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GListModel     *seg_store_list_properties_finish (SegStore           *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            seg_store_evaluate_async       (SegStore             *self,
                                                SegDefinition        *definition,
                                                const SegEvalOptions *options,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
SegEvalResult  *seg_store_evaluate_finish      (SegStore             *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            seg_store_trend_async          (SegStore             *self,
                                                SegDefinition        *definition,
                                                gint64                first_day_ms,
                                                gint64                last_day_ms,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
SegTrend       *seg_store_trend_finish         (SegStore             *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            seg_store_get_user_async       (SegStore             *self,
                                                const char           *user_id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
SegUserProfile *seg_store_get_user_finish      (SegStore             *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            seg_store_get_profiles_async   (SegStore             *self,
                                                const char * const   *user_ids,
                                                const char * const   *fields,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray      *seg_store_get_profiles_finish  (SegStore             *self,
                                                GAsyncResult         *result,
                                                GError              **error);
SegStoreWriter *seg_store_begin_write          (SegStore             *self,
                                                GError              **error);
gboolean        seg_store_read_events          (SegStore             *self,
                                                gint64                from_ms,
                                                gint64                to_ms,
                                                SegRecordFunc         func,
                                                gpointer              user_data,
                                                GCancellable         *cancellable,
                                                GError              **error);

void            seg_store_emit_data_changed    (SegStore             *self);

G_END_DECLS
