/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "seg-definition.h"

G_BEGIN_DECLS

/*
 * Segment definitions compiled to ClickHouse SQL over the tables of
 * seg-clickhouse-schema.h, with the semantics of the local store's engine (seg-engine.c).
 *
 * Each rule becomes a set of user ids (a SELECT with one column, user_id, no duplicates);
 * groups combine the sets with `IN` / `NOT IN`; a rule that holds for users *without*
 * some events (did_not, include_non_doers, not_exists) is carried as the complement of a
 * set, so that the set of all users is only scanned when the answer itself is a
 * complement. Time windows are turned into millisecond bounds here, with the store's
 * timezone and the same calendar code as the local store (seg-time.c), so both stores
 * agree to the millisecond around midnight and DST changes.
 *
 * The SQL needs nothing newer than ClickHouse 18.16: no CTEs, no window functions, no
 * JOIN at all; sequences use groupArray and nested arrayExists lambdas. Every value of a
 * definition reaches the SQL through seg-clickhouse-sql.h.
 */

typedef struct
{
  GTimeZone                *tz;            /* the store's timezone */
  gint64                    now_ms;        /* the "now" of the evaluation */
  SegDefinitionResolveFunc  resolve;       /* saved segments, for include/exclude; nullable */
  gpointer                  resolve_data;
  const char * const       *live_ids;      /* a live definition: the ids of the saved live
                                            * segments with it, whose stored memberships
                                            * are its members; nullable */
} SegClickhouseCompileParams;

char  *seg_clickhouse_compile_members     (const SegClickhouseCompileParams  *params,
                                           SegDefinition                     *definition,
                                           GError                           **error);
char  *seg_clickhouse_compile_member_rows (const SegClickhouseCompileParams  *params,
                                           SegDefinition                     *definition,
                                           gboolean                          *distinct,
                                           GError                           **error);
char  *seg_clickhouse_compile_universe    (void);
char  *seg_clickhouse_compile_reachable   (const SegClickhouseCompileParams  *params,
                                           SegChannel                         channel);
char  *seg_clickhouse_compile_test_users  (void);
char  *seg_clickhouse_compile_daily_trend (const SegClickhouseCompileParams  *params,
                                           SegDefinition                     *definition,
                                           const gint64                      *bounds,
                                           guint                              n_days,
                                           GError                           **error);

G_END_DECLS
