/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-report-sync"

#include "config.h"

#include "seg-eval-result.h"
#include "seg-report-sync.h"
#include "seg-user-profile.h"

typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} Waiter;

static void
waiter_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *w = user_data;

  w->result = g_object_ref (result);
  g_main_context_wakeup (w->context);
}

static void
waiter_begin (Waiter *w)
{
  w->context = g_main_context_new ();
  w->result = NULL;
  g_main_context_push_thread_default (w->context);
}

static void
waiter_wait (Waiter *w)
{
  while (w->result == NULL)
    g_main_context_iteration (w->context, TRUE);
}

static void
waiter_end (Waiter *w)
{
  /* Let any idle the store queued on this context run before it goes away. */
  while (g_main_context_iteration (w->context, FALSE))
    ;
  g_main_context_pop_thread_default (w->context);
  g_clear_object (&w->result);
  g_main_context_unref (w->context);
}

/**
 * seg_report_evaluate_sync:
 *
 * Returns: (transfer full) (nullable): the store's answer
 */
SegEvalResult *
seg_report_evaluate_sync (SegStore             *store,
                          SegDefinition        *definition,
                          const SegEvalOptions *options,
                          GCancellable         *cancellable,
                          GError              **error)
{
  SegEvalResult *ret;
  Waiter w;

  g_return_val_if_fail (SEG_IS_STORE (store), NULL);

  waiter_begin (&w);
  seg_store_evaluate_async (store, definition, options, cancellable, waiter_cb, &w);
  waiter_wait (&w);
  ret = seg_store_evaluate_finish (store, w.result, error);
  waiter_end (&w);
  return ret;
}

/**
 * seg_report_get_user_sync:
 *
 * Returns: (transfer full) (nullable): the user's profile
 */
SegUserProfile *
seg_report_get_user_sync (SegStore      *store,
                          const char    *user_id,
                          GCancellable  *cancellable,
                          GError       **error)
{
  SegUserProfile *ret;
  Waiter w;

  g_return_val_if_fail (SEG_IS_STORE (store), NULL);

  waiter_begin (&w);
  seg_store_get_user_async (store, user_id, cancellable, waiter_cb, &w);
  waiter_wait (&w);
  ret = seg_store_get_user_finish (store, w.result, error);
  waiter_end (&w);
  return ret;
}

/**
 * seg_report_get_profiles_sync:
 *
 * Returns: (transfer container) (nullable) (element-type JsonObject): see
 *   seg_store_get_profiles_finish()
 */
GPtrArray *
seg_report_get_profiles_sync (SegStore           *store,
                              const char * const *user_ids,
                              const char * const *fields,
                              GCancellable       *cancellable,
                              GError            **error)
{
  GPtrArray *ret;
  Waiter w;

  g_return_val_if_fail (SEG_IS_STORE (store), NULL);

  waiter_begin (&w);
  seg_store_get_profiles_async (store, user_ids, fields, cancellable, waiter_cb, &w);
  waiter_wait (&w);
  ret = seg_store_get_profiles_finish (store, w.result, error);
  waiter_end (&w);
  return ret;
}
