/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-store"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-store.h"
#include "seg-store-writer.h"

G_DEFINE_QUARK (seg-store-error-quark, seg_store_error)

G_DEFINE_INTERFACE (SegStore, seg_store, G_TYPE_OBJECT)

enum {
  DATA_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
seg_store_default_init (SegStoreInterface *iface)
{
  /**
   * SegStore::data-changed:
   *
   * Emitted on the main context after events or profiles were added to the store.
   */
  signals[DATA_CHANGED] =
    g_signal_new ("data-changed",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

/**
 * seg_store_emit_data_changed:
 * @self: a #SegStore
 *
 * For implementations: tells views that the data behind their answers changed.
 */
void
seg_store_emit_data_changed (SegStore *self)
{
  g_return_if_fail (SEG_IS_STORE (self));

  g_signal_emit (self, signals[DATA_CHANGED], 0);
}

const char *
seg_store_get_display_name (SegStore *self)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);

  return SEG_STORE_GET_IFACE (self)->get_display_name (self);
}

/**
 * seg_store_get_timezone:
 * @self: a #SegStore
 *
 * "Today", windows in days and per-day trends are all computed in this timezone.
 *
 * Returns: (transfer none): the store's timezone
 */
GTimeZone *
seg_store_get_timezone (SegStore *self)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);

  return SEG_STORE_GET_IFACE (self)->get_timezone (self);
}

SegStoreWriter *
seg_store_begin_write (SegStore  *self,
                       GError   **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);

  return SEG_STORE_GET_IFACE (self)->begin_write (self, error);
}

/**
 * seg_store_read_events:
 * @from_ms: the first instant, included
 * @to_ms: the last instant, excluded
 * @func: called with each event, a record borrowed for the call; %FALSE stops with its error
 *
 * Reads the store's events with @from_ms <= ts < @to_ms in time order (events at the same
 * time in a stable order), for replays. Blocking: call it from a worker thread, in chunks
 * of time. Profile updates are not read back.
 *
 * Returns: %FALSE with @error set if the events cannot be read (G_IO_ERROR_NOT_SUPPORTED
 *   when the store cannot read events back), @func failed, or @cancellable was cancelled
 */
gboolean
seg_store_read_events (SegStore       *self,
                       gint64          from_ms,
                       gint64          to_ms,
                       SegRecordFunc   func,
                       gpointer        user_data,
                       GCancellable   *cancellable,
                       GError        **error)
{
  SegStoreInterface *iface;

  g_return_val_if_fail (SEG_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  iface = SEG_STORE_GET_IFACE (self);
  if (iface->read_events == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s cannot read its events back for a replay"),
                   seg_store_get_display_name (self));
      return FALSE;
    }
  return iface->read_events (self, from_ms, to_ms, func, user_data, cancellable, error);
}

void
seg_store_list_segments_async (SegStore            *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SEG_STORE_GET_IFACE (self)->list_segments_async (self, cancellable, callback, user_data);
}

GListModel *
seg_store_list_segments_finish (SegStore     *self,
                                GAsyncResult *result,
                                GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return SEG_STORE_GET_IFACE (self)->list_segments_finish (self, result, error);
}

void
seg_store_get_segment_async (SegStore            *self,
                             const char          *id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SEG_STORE_GET_IFACE (self)->get_segment_async (self, id, cancellable, callback, user_data);
}

SegSegment *
seg_store_get_segment_finish (SegStore     *self,
                              GAsyncResult *result,
                              GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return SEG_STORE_GET_IFACE (self)->get_segment_finish (self, result, error);
}

void
seg_store_save_segment_async (SegStore            *self,
                              SegSegment          *segment,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SEG_STORE_GET_IFACE (self)->save_segment_async (self, segment, cancellable, callback, user_data);
}

SegSegment *
seg_store_save_segment_finish (SegStore     *self,
                               GAsyncResult *result,
                               GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return SEG_STORE_GET_IFACE (self)->save_segment_finish (self, result, error);
}

void
seg_store_delete_segment_async (SegStore            *self,
                                const char          *id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SEG_STORE_GET_IFACE (self)->delete_segment_async (self, id, cancellable, callback, user_data);
}

gboolean
seg_store_delete_segment_finish (SegStore     *self,
                                 GAsyncResult *result,
                                 GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return SEG_STORE_GET_IFACE (self)->delete_segment_finish (self, result, error);
}

void
seg_store_clone_segment_async (SegStore            *self,
                               const char          *id,
                               const char          *new_name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SEG_STORE_GET_IFACE (self)->clone_segment_async (self, id, new_name, cancellable, callback, user_data);
}

SegSegment *
seg_store_clone_segment_finish (SegStore     *self,
                                GAsyncResult *result,
                                GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return SEG_STORE_GET_IFACE (self)->clone_segment_finish (self, result, error);
}

void
seg_store_list_events_async (SegStore            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SEG_STORE_GET_IFACE (self)->list_events_async (self, cancellable, callback, user_data);
}

GListModel *
seg_store_list_events_finish (SegStore     *self,
                              GAsyncResult *result,
                              GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return SEG_STORE_GET_IFACE (self)->list_events_finish (self, result, error);
}

void
seg_store_list_properties_async (SegStore            *self,
                                 const char          *event,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SEG_STORE_GET_IFACE (self)->list_properties_async (self, event, cancellable, callback, user_data);
}

GListModel *
seg_store_list_properties_finish (SegStore     *self,
                                  GAsyncResult *result,
                                  GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return SEG_STORE_GET_IFACE (self)->list_properties_finish (self, result, error);
}

void
seg_store_evaluate_async (SegStore             *self,
                          SegDefinition        *definition,
                          const SegEvalOptions *options,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SEG_STORE_GET_IFACE (self)->evaluate_async (self, definition, options, cancellable, callback, user_data);
}

SegEvalResult *
seg_store_evaluate_finish (SegStore     *self,
                           GAsyncResult *result,
                           GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return SEG_STORE_GET_IFACE (self)->evaluate_finish (self, result, error);
}

void
seg_store_trend_async (SegStore            *self,
                       SegDefinition       *definition,
                       gint64              first_day_ms,
                       gint64              last_day_ms,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SEG_STORE_GET_IFACE (self)->trend_async (self, definition, first_day_ms, last_day_ms, cancellable, callback, user_data);
}

SegTrend *
seg_store_trend_finish (SegStore     *self,
                        GAsyncResult *result,
                        GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return SEG_STORE_GET_IFACE (self)->trend_finish (self, result, error);
}

void
seg_store_get_user_async (SegStore            *self,
                          const char          *user_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SEG_STORE_GET_IFACE (self)->get_user_async (self, user_id, cancellable, callback, user_data);
}

SegUserProfile *
seg_store_get_user_finish (SegStore     *self,
                           GAsyncResult *result,
                           GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return SEG_STORE_GET_IFACE (self)->get_user_finish (self, result, error);
}

/**
 * seg_store_get_profiles_async:
 * @self: a #SegStore
 * @user_ids: (array zero-terminated=1): the users, in the order the answer keeps
 * @fields: (array zero-terminated=1): the profile property names wanted
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the answer is ready
 * @user_data: data for @callback
 *
 * Reads the current value of the profile properties @fields of many users in one go,
 * which is what an export of members with profile columns needs; seg_store_get_user_async()
 * also builds a timeline and the user's segments, far more than that.
 *
 * A store may not implement it: then the answer is %G_IO_ERROR_NOT_SUPPORTED and the
 * caller reads one user at a time.
 */
void
seg_store_get_profiles_async (SegStore            *self,
                              const char * const  *user_ids,
                              const char * const  *fields,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  SegStoreInterface *iface;

  g_return_if_fail (SEG_IS_STORE (self));
  g_return_if_fail (user_ids != NULL && fields != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  iface = SEG_STORE_GET_IFACE (self);
  if (iface->get_profiles_async == NULL)
    {
      g_task_report_new_error (self, callback, user_data, seg_store_get_profiles_async,
                               G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "%s", _("This store cannot read many profiles at once"));
      return;
    }
  iface->get_profiles_async (self, user_ids, fields, cancellable, callback, user_data);
}

/**
 * seg_store_get_profiles_finish:
 *
 * Returns: (transfer container) (element-type JsonObject): one object per user id, in
 *   the order asked, holding those of the fields the user has (an unknown user gives an
 *   empty object); %NULL on error
 */
GPtrArray *
seg_store_get_profiles_finish (SegStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (SEG_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  if (g_async_result_is_tagged (result, seg_store_get_profiles_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return SEG_STORE_GET_IFACE (self)->get_profiles_finish (self, result, error);
}
