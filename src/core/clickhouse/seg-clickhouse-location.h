/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Where a ClickHouse store is: the form users type and settings keep,
 *   clickhouse://USER@HOST:PORT/DATABASE[?cluster=NAME]   (HTTP)
 *   clickhouses://USER@HOST:PORT/DATABASE                  (HTTPS)
 * and the parts a SegClickhouseClient needs. A password never appears in it: it comes
 * from the desktop keyring (seg-clickhouse-keyring.h) or, for segctl, the environment.
 */

typedef struct
{
  char *server;     /* http(s)://HOST:PORT/ — the keyring's "server" attribute too */
  char *user;
  char *database;
  char *cluster;    /* nullable: a Distributed store over this cluster */
} SegClickhouseLocation;

gboolean  seg_clickhouse_location_is_uri (const char            *spec);
gboolean  seg_clickhouse_location_parse  (const char            *spec,
                                          SegClickhouseLocation *location,
                                          GError               **error);
char     *seg_clickhouse_location_build  (const char            *server,
                                          const char            *user,
                                          const char            *database,
                                          GError               **error);
char     *seg_clickhouse_location_describe (const SegClickhouseLocation *location);
void      seg_clickhouse_location_clear  (SegClickhouseLocation *location);

G_END_DECLS
