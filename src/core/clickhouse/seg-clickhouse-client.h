/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SEG_TYPE_CLICKHOUSE_CLIENT (seg_clickhouse_client_get_type ())
G_DECLARE_FINAL_TYPE (SegClickhouseClient, seg_clickhouse_client, SEG, CLICKHOUSE_CLIENT, GObject)

/**
 * SegClickhouseRowFunc:
 * @row: one row of the answer, column name to value (as JSONEachRow would give it); valid
 *   only during the call
 * @row_number: its position in the answer, from 1
 * @user_data: closure
 * @error: return location for an error that stops the query
 *
 * Receives the rows of a streamed answer as they arrive, in order.
 *
 * Returns: %FALSE with @error set to stop reading (the query is then killed on the server)
 */
typedef gboolean (*SegClickhouseRowFunc) (JsonObject  *row,
                                          guint64      row_number,
                                          gpointer     user_data,
                                          GError     **error);

/**
 * SegClickhouseQueryTiming:
 * @sent_us: monotonic time (µs) the request was made
 * @headers_us: when the answer's headers were in
 * @first_byte_us: when the first byte of the body was read
 * @first_row_us: when the first row was parsed and handed out (0: no rows)
 * @n_rows: rows of the answer
 */
typedef struct
{
  gint64  sent_us;
  gint64  headers_us;
  gint64  first_byte_us;
  gint64  first_row_us;
  guint64 n_rows;
} SegClickhouseQueryTiming;

SegClickhouseClient *seg_clickhouse_client_new            (const char           *url,
                                                           const char           *user,
                                                           const char           *password,
                                                           const char           *database);

const char          *seg_clickhouse_client_get_url        (SegClickhouseClient  *self);
const char          *seg_clickhouse_client_get_user       (SegClickhouseClient  *self);
const char          *seg_clickhouse_client_get_database   (SegClickhouseClient  *self);
const char          *seg_clickhouse_client_get_host_port  (SegClickhouseClient  *self);
guint                seg_clickhouse_client_get_timeout    (SegClickhouseClient  *self);
void                 seg_clickhouse_client_set_timeout    (SegClickhouseClient  *self,
                                                           guint                 seconds);
gboolean             seg_clickhouse_client_get_compress   (SegClickhouseClient  *self);
void                 seg_clickhouse_client_set_compress   (SegClickhouseClient  *self,
                                                           gboolean              compress);
gboolean             seg_clickhouse_client_set_ca_file    (SegClickhouseClient  *self,
                                                           const char           *ca_file,
                                                           GError              **error);
void                 seg_clickhouse_client_set_setting    (SegClickhouseClient  *self,
                                                           const char           *name,
                                                           const char           *value);

/* Streamed SELECTs, given without a FORMAT clause. */
void                 seg_clickhouse_client_query_async    (SegClickhouseClient  *self,
                                                           const char           *sql,
                                                           SegClickhouseRowFunc  row_func,
                                                           gpointer              row_data,
                                                           GDestroyNotify        row_data_destroy,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
GPtrArray           *seg_clickhouse_client_query_finish   (SegClickhouseClient  *self,
                                                           GAsyncResult         *result,
                                                           guint64              *n_rows,
                                                           GError              **error);
GPtrArray           *seg_clickhouse_client_query          (SegClickhouseClient  *self,
                                                           const char           *sql,
                                                           SegClickhouseRowFunc  row_func,
                                                           gpointer              row_data,
                                                           guint64              *n_rows,
                                                           GCancellable         *cancellable,
                                                           GError              **error);

/* Statements without an answer: DDL, INSERT (with @body as the data of the INSERT). */
void                 seg_clickhouse_client_execute_async  (SegClickhouseClient  *self,
                                                           const char           *sql,
                                                           GBytes               *body,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             seg_clickhouse_client_execute_finish (SegClickhouseClient  *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
gboolean             seg_clickhouse_client_execute        (SegClickhouseClient  *self,
                                                           const char           *sql,
                                                           GBytes               *body,
                                                           GCancellable         *cancellable,
                                                           GError              **error);
gboolean             seg_clickhouse_client_execute_with_settings (SegClickhouseClient *self,
                                                                  const char          *sql,
                                                                  const char * const  *settings,
                                                                  GCancellable        *cancellable,
                                                                  GError             **error);
gboolean             seg_clickhouse_client_execute_server (SegClickhouseClient  *self,
                                                           const char           *sql,
                                                           GCancellable         *cancellable,
                                                           GError              **error);

void                 seg_clickhouse_client_get_last_timing (SegClickhouseClient      *self,
                                                            SegClickhouseQueryTiming *timing);
char                *seg_clickhouse_error_text_clean      (const char           *text,
                                                           gssize                len,
                                                           int                  *code);

G_END_DECLS
