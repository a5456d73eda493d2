/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-dataset.h"
#include "seg-definition.h"

G_BEGIN_DECLS

/*
 * The evaluation engine of the local store: turns a definition into a bitmap over the
 * users of a SegDataset. Every rule becomes a bitmap; groups combine them with word-wide
 * AND/OR; string predicates are decided once per distinct dictionary value.
 */

typedef struct
{
  SegDataset               *dataset;
  GTimeZone                *tz;
  gint64                    now_ms;
  SegDefinitionResolveFunc  resolve;       /* included/excluded segments; nullable */
  gpointer                  resolve_data;
  GCancellable             *cancellable;
} SegEngineParams;

SegBitmap *seg_engine_evaluate      (const SegEngineParams *params,
                                     SegDefinition         *definition,
                                     GError               **error);
SegBitmap *seg_engine_reachable     (const SegEngineParams *params,
                                     SegChannel             channel);
SegBitmap *seg_engine_test_users    (const SegEngineParams *params);
guint64   *seg_engine_trend         (const SegEngineParams *params,
                                     SegDefinition         *definition,
                                     gint64                 first_day_ms,
                                     gint64                 last_day_ms,
                                     guint                 *n_days,
                                     GError               **error);

G_END_DECLS
