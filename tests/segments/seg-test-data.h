/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-store.h"

G_BEGIN_DECLS

gboolean  seg_test_data_populate        (SegStore    *store,
                                         guint        n_users,
                                         gint64       now_ms,
                                         GError     **error);
gboolean  seg_test_data_save_segments   (SegStore    *store,
                                         guint        n,
                                         GError     **error);
SegSegment *seg_test_data_save_json     (SegStore    *store,
                                         const char  *name,
                                         const char  *json,
                                         GError     **error);
void      seg_test_data_iterate_until   (gboolean   (*done) (gpointer data),
                                         gpointer     data,
                                         guint        timeout_ms);

G_END_DECLS
