/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "clickhouse/seg-clickhouse-client.h"

G_BEGIN_DECLS

/* The ClickHouse servers started by tests/clickhouse/ch-server.sh: SEG_CLICKHOUSE_URL
 * (default http://127.0.0.1:18123) and SEG_CLICKHOUSE_URL2 (default :18124). */
const char          *ch_test_url           (void);
const char          *ch_test_url2          (void);
const char          *ch_test_cluster       (void);
gboolean             ch_test_server_answers (const char *url);
gboolean             ch_test_skip_unless_server (const char *url);

/* A new client on a fresh, empty database on @url, dropped by ch_test_drop_database(). */
SegClickhouseClient *ch_test_new_database  (const char *url,
                                            const char *prefix);
void                 ch_test_drop_database (SegClickhouseClient *client);

/* Runs a SELECT returning one value (first column of the first row) as text. */
char                *ch_test_scalar        (SegClickhouseClient *client,
                                            const char          *sql);

G_END_DECLS
