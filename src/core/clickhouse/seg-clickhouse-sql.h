/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Literals and identifiers for ClickHouse SQL. Every value that reaches a statement goes
 * through these, so that no value of a definition or a record can change the meaning of
 * the statement: strings keep their exact bytes (control and non-UTF-8 bytes as \xHH),
 * identifiers are backquoted, and numbers that SQL cannot spell are refused.
 */

void      seg_clickhouse_sql_append_string     (GString     *sql,
                                                const char  *str,
                                                gssize       len);
char     *seg_clickhouse_sql_string            (const char  *str,
                                                gssize       len);
void      seg_clickhouse_sql_append_identifier (GString     *sql,
                                                const char  *name);
char     *seg_clickhouse_sql_identifier        (const char  *name);
gboolean  seg_clickhouse_sql_append_number     (GString     *sql,
                                                double       value,
                                                GError     **error);
void      seg_clickhouse_sql_append_int        (GString     *sql,
                                                gint64       value);
void      seg_clickhouse_sql_append_string_array (GString          *sql,
                                                  const char * const *strv);

G_END_DECLS
