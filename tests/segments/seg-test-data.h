/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-store.h"
#include "seg-eval-result.h"

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

G_BEGIN_DECLS

typedef struct
{
  char          *dir;
  char          *path;
  SegStore      *store;
} SegTestStore;

SegTestStore *seg_test_store_new       (guint         n_users);
void          seg_test_store_free      (SegTestStore *ts);
void          seg_test_iterate_ms      (guint         ms);
SegEvalResult *seg_test_evaluate       (SegStore     *store,
                                        SegDefinition *definition,
                                        GError      **error);
char         *seg_test_read_file       (const char   *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegTestStore, seg_test_store_free)

G_END_DECLS
