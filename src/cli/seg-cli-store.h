/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-local-writer.h"
#include "seg-store.h"

G_BEGIN_DECLS

/* The stores segctl works on: a local store file, or a ClickHouse database named by
 * clickhouse://USER@HOST:PORT/DATABASE (clickhouses:// for HTTPS, ?cluster=NAME for a
 * Distributed store), with the password in $SEGCTL_CLICKHOUSE_PASSWORD. */

SegStore *seg_cli_open_store       (const char           *spec,
                                    const char           *timezone,
                                    GError              **error);
void      seg_cli_store_set_now    (SegStore             *store,
                                    gint64                now_ms);
guint64   seg_cli_store_n_users    (SegStore             *store);
void      seg_cli_store_wait_warm  (SegStore             *store);
void      seg_cli_writer_get_stats (SegStoreWriter       *writer,
                                    SegLocalWriterStats  *stats);

G_END_DECLS
