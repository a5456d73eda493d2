/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-store.h"

G_BEGIN_DECLS

/*
 * Blocking wrappers around SegStore's asynchronous calls, for report work that already
 * runs in a worker thread (an export, a day-to-day diff). Each call runs the store's
 * asynchronous method on a private main context of the calling thread and waits for it,
 * so the store's completion never lands on the UI thread's context.
 * Never call these from the UI thread.
 */

SegEvalResult  *seg_report_evaluate_sync (SegStore             *store,
                                          SegDefinition        *definition,
                                          const SegEvalOptions *options,
                                          GCancellable         *cancellable,
                                          GError              **error);
SegUserProfile *seg_report_get_user_sync (SegStore             *store,
                                          const char           *user_id,
                                          GCancellable         *cancellable,
                                          GError              **error);
GPtrArray      *seg_report_get_profiles_sync (SegStore           *store,
                                              const char * const *user_ids,
                                              const char * const *fields,
                                              GCancellable       *cancellable,
                                              GError            **error);

G_END_DECLS
