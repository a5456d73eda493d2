/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-store.h"

G_BEGIN_DECLS

/**
 * SegDemoProgressFunc:
 * @fraction: how much of the demo is loaded, from 0 to 1
 * @what: (nullable): what is being done, a translated sentence
 * @user_data: the data given with the function
 *
 * Called from the thread that loads the demo.
 */
typedef void (*SegDemoProgressFunc) (double      fraction,
                                     const char *what,
                                     gpointer    user_data);

/* The number of demo events and users seg_demo_load() writes by default. */
#define SEG_DEMO_N_EVENTS 60000
#define SEG_DEMO_N_USERS  4000

const char * const *seg_demo_list_segment_names (void);

gboolean seg_demo_load        (SegStore             *store,
                               guint                 n_events,
                               guint                 n_users,
                               gint64                now_ms,
                               SegDemoProgressFunc   progress,
                               gpointer              progress_data,
                               GCancellable         *cancellable,
                               GError              **error);
void     seg_demo_load_async  (SegStore             *store,
                               guint                 n_events,
                               guint                 n_users,
                               SegDemoProgressFunc   progress,
                               gpointer              progress_data,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
gboolean seg_demo_load_finish (SegStore             *store,
                               GAsyncResult         *result,
                               GError              **error);

G_END_DECLS
