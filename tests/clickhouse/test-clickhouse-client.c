/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "ch-test-util.h"
#include "seg-store.h"

/*
 * The client against a real SoupServer on 127.0.0.1 that plays a misbehaving ClickHouse
 * (errors, cut connections, malformed and slow answers), then against the real server.
 */

typedef enum
{
  MODE_ROWS,          /* three rows, then the end */
  MODE_HTTP_500,      /* ClickHouse's text for an unknown table */
  MODE_HTTP_401,      /* wrong password */
  MODE_MALFORMED,     /* row 3 is not JSON */
  MODE_NO_NEWLINE,    /* the last row has no final newline */
  MODE_CUT,           /* two rows, then the connection drops */
  MODE_EXCEPTION,     /* two rows, then an exception text (an error after the 200 header) */
  MODE_SLOW,          /* headers never come */
  MODE_STEPWISE,      /* one row, then waits until the test lets it send the rest */
  MODE_GZIP,          /* rows compressed with gzip */
} Mode;

typedef struct
{
  SoupServer  *server;
  GUri        *uri;
  Mode         mode;
  GPtrArray   *requests;      /* "query_id\tsql" of each request */
  GPtrArray   *paused;        /* SoupServerMessage held by SLOW / STEPWISE */
  char        *authorization;
  char        *params;
  char        *accept_encoding;
} FakeServer;

static const char *
query_param (GHashTable *query,
             const char *name)
{
  return query ? g_hash_table_lookup (query, name) : NULL;
}

#define HEAD "{\n\t\"meta\":\n\t[\n\t\t{\n\t\t\t\"name\": \"n\",\n\t\t\t\"type\": \"UInt8\"\n\t\t},\n" \
             "\t\t{\n\t\t\t\"name\": \"s\",\n\t\t\t\"type\": \"String\"\n\t\t}\n\t],\n\n\t\"data\":\n\t[\n"
#define TAIL(n) "\t],\n\n\t\"rows\": " #n ",\n\n\t\"statistics\":\n\t{\n\t\t\"elapsed\": 0.001\n\t}\n}\n"

static void
send_text (SoupServerMessage *msg,
           guint              status,
           const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=UTF-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static void
append_chunk (SoupServerMessage *msg,
              const char        *text)
{
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                            text, strlen (text));
}

static void
cut_cb (SoupServerMessage *msg,
        gpointer           user_data)
{
  /* After the first chunk went out, drop the connection without ending the chunked body. */
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  g_io_stream_close (stream, NULL, NULL);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  FakeServer *fake = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) sql = soup_message_body_flatten (request_body);
  const char *query_id = query_param (query, "query_id");

  g_ptr_array_add (fake->requests, g_strdup_printf ("%s\t%.*s", query_id ? query_id : "",
                                                    (int) g_bytes_get_size (sql),
                                                    (const char *) g_bytes_get_data (sql, NULL)));
  g_free (fake->authorization);
  fake->authorization = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                "Authorization"));
  g_free (fake->accept_encoding);
  fake->accept_encoding = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                  "Accept-Encoding"));
  g_free (fake->params);
  fake->params = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));

  /* KILL QUERY requests are answered at once whatever the mode. */
  if (g_strstr_len (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql), "KILL QUERY") != NULL)
    {
      send_text (msg, 200, "");
      return;
    }

  switch (fake->mode)
    {
    case MODE_ROWS:
      send_text (msg, 200, HEAD "\t\t[1, \"a\"],\n\t\t[2, \"b\"],\n\t\t[3, \"c\\n\"]\n" TAIL (3));
      break;
    case MODE_HTTP_500:
      send_text (msg, 500, "Code: 60, e.displayText() = DB::Exception: Table default.nope "
                           "doesn't exist., e.what() = DB::Exception\n");
      break;
    case MODE_HTTP_401:
      send_text (msg, 401, "Code: 193, e.displayText() = DB::Exception: Wrong password for "
                           "user seg, e.what() = DB::Exception\n");
      break;
    case MODE_MALFORMED:
      send_text (msg, 200, HEAD "\t\t[1, \"a\"],\n\t\t[2, \"b\"],\n\t\t[3, \"unterminated],\n\t\t[4, \"d\"]\n" TAIL (4));
      break;
    case MODE_NO_NEWLINE:
      send_text (msg, 200, HEAD "\t\t[1, \"a\"],\n\t\t[2, \"b\"],\n\t\t[3, \"c\"");
      break;
    case MODE_CUT:
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      append_chunk (msg, HEAD "\t\t[1, \"a\"],\n\t\t[2, \"b\"],\n");
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (cut_cb), NULL);
      break;
    case MODE_EXCEPTION:
      send_text (msg, 200, HEAD "\t\t[1, \"a\"],\n\t\t[2, \"b\"],\nCode: 241, e.displayText() = DB::Exception: "
                           "Memory limit (for query) exceeded, e.what() = DB::Exception\n");
      break;
    case MODE_SLOW:
      soup_server_message_pause (msg);
      g_ptr_array_add (fake->paused, g_object_ref (msg));
      break;
    case MODE_STEPWISE:
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      append_chunk (msg, HEAD "\t\t[1, \"a\"],\n");
      g_ptr_array_add (fake->paused, g_object_ref (msg));
      break;
    case MODE_GZIP:
      {
        const char *rows = HEAD "\t\t[1, \"a\"],\n\t\t[2, \"b\"]\n" TAIL (2);
        g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
        guint8 out[4096];
        gsize read, written;

        g_converter_convert (G_CONVERTER (compressor), rows, strlen (rows), out, sizeof out,
                             G_CONVERTER_INPUT_AT_END, &read, &written, NULL);
        soup_server_message_set_status (msg, 200, NULL);
        soup_message_headers_replace (response_headers, "Content-Encoding", "gzip");
        soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY,
                                          (const char *) out, written);
        break;
      }
    }
}

static FakeServer *
fake_server_new (Mode mode)
{
  FakeServer *fake = g_new0 (FakeServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fake->mode = mode;
  fake->requests = g_ptr_array_new_with_free_func (g_free);
  fake->paused = g_ptr_array_new_with_free_func (g_object_unref);
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, handler, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  fake->uri = g_uri_ref (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return fake;
}

static void
fake_server_free (FakeServer *fake)
{
  for (guint i = 0; i < fake->paused->len; i++)
    soup_server_message_unpause (g_ptr_array_index (fake->paused, i));
  g_ptr_array_unref (fake->paused);
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_uri_unref (fake->uri);
  g_ptr_array_unref (fake->requests);
  g_free (fake->authorization);
  g_free (fake->params);
  g_free (fake->accept_encoding);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_free)

static SegClickhouseClient *
fake_client (FakeServer *fake)
{
  g_autofree char *url = g_uri_to_string (fake->uri);

  return seg_clickhouse_client_new (url, "seg", "s3cret: with colon", "analytics");
}

typedef struct
{
  GMainLoop  *loop;
  GPtrArray  *rows;
  guint64     n_rows;
  GError     *error;
  gboolean    done;
} QueryWait;

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  QueryWait *wait = user_data;

  wait->rows = seg_clickhouse_client_query_finish (SEG_CLICKHOUSE_CLIENT (object), result,
                                                   &wait->n_rows, &wait->error);
  wait->done = TRUE;
  g_main_loop_quit (wait->loop);
}

static void
run_query (SegClickhouseClient *client,
           const char          *sql,
           GCancellable        *cancellable,
           QueryWait           *wait)
{
  memset (wait, 0, sizeof *wait);
  wait->loop = g_main_loop_new (NULL, FALSE);
  seg_clickhouse_client_query_async (client, sql, NULL, NULL, NULL, cancellable,
                                     query_done_cb, wait);
  g_main_loop_run (wait->loop);
  g_main_loop_unref (wait->loop);
}

static void
query_wait_clear (QueryWait *wait)
{
  g_clear_pointer (&wait->rows, g_ptr_array_unref);
  g_clear_error (&wait->error);
}

static void
test_rows (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_ROWS);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  g_autofree char *expected_auth = NULL;
  g_autofree char *encoded = NULL;
  const char *pair = "seg:s3cret: with colon";
  QueryWait wait;

  run_query (client, "SELECT n, s FROM t", NULL, &wait);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.rows->len, ==, 3);
  g_assert_cmpuint (wait.n_rows, ==, 3);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (wait.rows, 0), "n"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (wait.rows, 2), "s"), ==, "c\n");

  /* The server saw the SQL, the credentials, the database and a query id. */
  g_assert_cmpuint (fake->requests->len, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (fake->requests, 0),
                                   "\tSELECT n, s FROM t\nFORMAT JSONCompact"));
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  expected_auth = g_strdup_printf ("Basic %s", encoded);
  g_assert_cmpstr (fake->authorization, ==, expected_auth);
  g_assert_nonnull (strstr (fake->params, "database=analytics"));
  g_assert_nonnull (strstr (fake->params, "enable_http_compression=1"));
  g_assert_nonnull (strstr (fake->params, "query_id="));
  g_assert_nonnull (fake->accept_encoding);
  g_assert_nonnull (strstr (fake->accept_encoding, "gzip"));

  query_wait_clear (&wait);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_gzip (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_GZIP);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  QueryWait wait;

  run_query (client, "SELECT n FROM t", NULL, &wait);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.rows->len, ==, 2);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (wait.rows, 1), "n"), ==, 2);
  query_wait_clear (&wait);
}

static void
test_http_500 (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_HTTP_500);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  QueryWait wait;

  run_query (client, "SELECT * FROM nope", NULL, &wait);
  g_assert_error (wait.error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED);
  g_assert_cmpstr (wait.error->message, ==, "ClickHouse error 60: Table default.nope doesn't exist.");
  query_wait_clear (&wait);

  /* No KILL QUERY: the server already ended the query. */
  g_assert_cmpuint (fake->requests->len, ==, 1);
}

static void
test_http_401 (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_HTTP_401);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  QueryWait wait;

  run_query (client, "SELECT 1", NULL, &wait);
  g_assert_error (wait.error, SEG_STORE_ERROR, SEG_STORE_ERROR_AUTH);
  g_assert_nonnull (strstr (wait.error->message, "“seg”"));
  g_assert_nonnull (strstr (wait.error->message, "Wrong password for user seg"));
  query_wait_clear (&wait);
}

static void
test_malformed (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_MALFORMED);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  QueryWait wait;

  run_query (client, "SELECT n FROM t", NULL, &wait);
  g_assert_error (wait.error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (wait.error->message, "Row 3 "));
  g_assert_cmpuint (wait.n_rows, ==, 2);
  query_wait_clear (&wait);

  fake->mode = MODE_NO_NEWLINE;
  run_query (client, "SELECT n FROM t", NULL, &wait);
  g_assert_error (wait.error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (wait.error->message, "cut off after 2 rows"));
  query_wait_clear (&wait);
}

static void
test_exception_mid_stream (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_EXCEPTION);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  QueryWait wait;

  run_query (client, "SELECT n FROM t", NULL, &wait);
  g_assert_error (wait.error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED);
  g_assert_cmpstr (wait.error->message, ==,
                   "ClickHouse error 241 after 2 rows: Memory limit (for query) exceeded");
  query_wait_clear (&wait);
}

static void
test_cut (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_CUT);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  QueryWait wait;

  run_query (client, "SELECT n FROM t", NULL, &wait);
  g_assert_error (wait.error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT);
  g_test_message ("%s", wait.error->message);
  g_assert_nonnull (strstr (wait.error->message, "cut off after 2 rows"));
  g_assert_cmpuint (wait.n_rows, ==, 2);
  query_wait_clear (&wait);
}

static void
test_timeout (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_SLOW);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  g_autofree char *expected = NULL;
  gint64 start;
  QueryWait wait;

  seg_clickhouse_client_set_timeout (client, 1);
  start = g_get_monotonic_time ();
  run_query (client, "SELECT sleep(3)", NULL, &wait);
  g_assert_error (wait.error, SEG_STORE_ERROR, SEG_STORE_ERROR_CONNECTION);
  expected = g_strdup_printf ("ClickHouse at 127.0.0.1:%d did not answer within 1 seconds",
                              g_uri_get_port (fake->uri));
  g_assert_cmpstr (wait.error->message, ==, expected);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (fake->params, "max_execution_time=1"));
  query_wait_clear (&wait);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for_requests (FakeServer *fake,
                   guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (fake->requests->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return fake->requests->len >= n;
}

static void
test_cancel (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_SLOW);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(GStrv) first = NULL;
  g_autofree char *kill = NULL;
  QueryWait wait;

  g_timeout_add (200, cancel_cb, cancellable);
  run_query (client, "SELECT count() FROM numbers(1e12)", cancellable, &wait);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  query_wait_clear (&wait);

  /* The client tells the server to stop the query it gave up on, by its id. */
  g_assert_true (wait_for_requests (fake, 2));
  first = g_strsplit (g_ptr_array_index (fake->requests, 0), "\t", 2);
  kill = g_strdup_printf ("KILL QUERY WHERE query_id = '%s' ASYNC", first[0]);
  g_assert_nonnull (strstr (g_ptr_array_index (fake->requests, 1), kill));
}

typedef struct
{
  FakeServer *fake;
  guint64     seen_before_end;
  gboolean    released;
} StepState;

static gboolean
step_row_cb (JsonObject  *row,
             guint64      row_number,
             gpointer     user_data,
             GError     **error)
{
  StepState *state = user_data;

  g_assert_cmpint (json_object_get_int_member (row, "n"), ==, (gint64) row_number);
  if (!state->released)
    {
      /* Row 1 arrived while the server still holds the rest back: the answer streams. */
      SoupServerMessage *msg = g_ptr_array_index (state->fake->paused, 0);

      state->seen_before_end = row_number;
      state->released = TRUE;
      append_chunk (msg, "\t\t[2, \"b\"],\n\t\t[3, \"c\"]\n" TAIL (3));
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      soup_server_message_unpause (msg);
    }
  return TRUE;
}

static void
test_streaming (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_STEPWISE);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  StepState state = { fake, 0, FALSE };
  QueryWait wait = { 0 };

  wait.loop = g_main_loop_new (NULL, FALSE);
  seg_clickhouse_client_query_async (client, "SELECT n",
                                     step_row_cb, &state, NULL, NULL, query_done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  g_assert_no_error (wait.error);
  g_assert_null (wait.rows);
  g_assert_cmpuint (wait.n_rows, ==, 3);
  g_assert_cmpuint (state.seen_before_end, ==, 1);
  g_ptr_array_set_size (fake->paused, 0);
}

static gboolean
stop_at_two_cb (JsonObject  *row,
                guint64      row_number,
                gpointer     user_data,
                GError     **error)
{
  if (row_number < 2)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "enough");
  return FALSE;
}

static void
test_row_func_stops (void)
{
  g_autoptr(FakeServer) fake = fake_server_new (MODE_ROWS);
  g_autoptr(SegClickhouseClient) client = fake_client (fake);
  QueryWait wait = { 0 };

  wait.loop = g_main_loop_new (NULL, FALSE);
  seg_clickhouse_client_query_async (client, "SELECT n FROM t", stop_at_two_cb, NULL, NULL, NULL,
                                     query_done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);

  /* The caller's error comes back as is, after exactly the rows it saw. */
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpuint (wait.n_rows, ==, 2);
  query_wait_clear (&wait);
}

static void
execute_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  QueryWait *wait = user_data;

  seg_clickhouse_client_execute_finish (SEG_CLICKHOUSE_CLIENT (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
run_execute (SegClickhouseClient *client,
             const char          *sql,
             GBytes              *body,
             QueryWait           *wait)
{
  memset (wait, 0, sizeof *wait);
  wait->loop = g_main_loop_new (NULL, FALSE);
  seg_clickhouse_client_execute_async (client, sql, body, NULL, execute_done_cb, wait);
  g_main_loop_run (wait->loop);
  g_main_loop_unref (wait->loop);
}

static void
test_real_execute_async (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  const char *good = "{\"n\":1,\"s\":\"a\"}\n{\"n\":2,\"s\":\"b\\u0000c\"}\n";
  const char *bad = "{\"n\":\"x\"}\n";
  g_autoptr(GBytes) rows = g_bytes_new_static (good, strlen (good));
  g_autofree char *sum = NULL;
  QueryWait wait;

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;

  client = ch_test_new_database (ch_test_url (), "seg_test_client");
  run_execute (client, "CREATE TABLE t (n UInt32, s String) ENGINE = MergeTree ORDER BY n", NULL, &wait);
  g_assert_no_error (wait.error);
  run_execute (client, "INSERT INTO t FORMAT JSONEachRow", rows, &wait);
  g_assert_no_error (wait.error);
  sum = ch_test_scalar (client, "SELECT toString(sum(n) * 100 + sum(length(s))) AS v FROM t");
  g_assert_cmpstr (sum, ==, "304");

  /* A bad INSERT body is the server's error, readable. */
  g_bytes_unref (rows);
  rows = g_bytes_new_static (bad, strlen (bad));
  run_execute (client, "INSERT INTO t FORMAT JSONEachRow", rows, &wait);
  g_assert_error (wait.error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (wait.error->message, "ClickHouse error "));
  g_clear_error (&wait.error);

  ch_test_drop_database (client);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autofree char *url = NULL;
  g_autofree char *host_port = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  guint16 port;
  QueryWait wait;

  /* A port that was just free: bind, learn it, close. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  host_port = g_strdup_printf ("127.0.0.1:%u", port);
  client = seg_clickhouse_client_new (url, NULL, NULL, NULL);
  run_query (client, "SELECT 1", NULL, &wait);
  g_assert_error (wait.error, SEG_STORE_ERROR, SEG_STORE_ERROR_CONNECTION);
  g_assert_nonnull (strstr (wait.error->message, host_port));
  query_wait_clear (&wait);
}

static void
test_error_text_clean (void)
{
  struct { const char *in; const char *out; int code; } cases[] = {
    { "Code: 60, e.displayText() = DB::Exception: Table default.nope doesn't exist., "
      "e.what() = DB::Exception\n", "Table default.nope doesn't exist.", 60 },
    { "Code: 60. DB::Exception: Table default.nope does not exist. (UNKNOWN_TABLE) "
      "(version 23.8.2.7 (official build))\n", "Table default.nope does not exist.", 60 },
    { "Code: 62. DB::Exception: Syntax error: failed at position 8 ('FORM'). "
      "(SYNTAX_ERROR) (version 24.1.1)\nStack trace:\n0. x\n",
      "Syntax error: failed at position 8 ('FORM').", 62 },
    { "plain text", "plain text", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int code = -1;
      g_autofree char *out = seg_clickhouse_error_text_clean (cases[i].in, -1, &code);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_cmpint (code, ==, cases[i].code);
    }
}

/* ---- against the real server ---- */

static void
test_real_rows (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  QueryWait wait;

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;

  client = seg_clickhouse_client_new (ch_test_url (), NULL, NULL, "system");
  run_query (client, "SELECT number AS n, toString(number * 2) AS s FROM numbers(5) "
                     "", NULL, &wait);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.rows->len, ==, 5);
  /* 64-bit integers come quoted from ClickHouse. */
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (wait.rows, 4), "n"), ==, "4");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (wait.rows, 4), "s"), ==, "8");
  query_wait_clear (&wait);

  run_query (client, "SELECT * FROM no_such_table", NULL, &wait);
  g_assert_error (wait.error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED);
  g_assert_cmpstr (wait.error->message, ==,
                   "ClickHouse error 60: Table system.no_such_table doesn't exist.");
  query_wait_clear (&wait);
}

static gboolean
count_row_cb (JsonObject  *row,
              guint64      row_number,
              gpointer     user_data,
              GError     **error)
{
  guint64 *sum = user_data;

  *sum += g_ascii_strtoull (json_object_get_string_member (row, "n"), NULL, 10);
  return TRUE;
}

static void
test_real_stream_large (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  guint64 sum = 0;
  QueryWait wait = { 0 };

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;

  /* 300k rows through the row callback, gzip on. */
  client = seg_clickhouse_client_new (ch_test_url (), NULL, NULL, NULL);
  wait.loop = g_main_loop_new (NULL, FALSE);
  seg_clickhouse_client_query_async (client, "SELECT number AS n FROM system.numbers LIMIT 300000 "
                                             "",
                                     count_row_cb, &sum, NULL, NULL, query_done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.n_rows, ==, 300000);
  g_assert_cmpuint (sum, ==, (guint64) 299999 * 300000 / 2);
}

static void
test_real_auth (void)
{
  g_autoptr(SegClickhouseClient) good = NULL;
  g_autoptr(SegClickhouseClient) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *user = g_getenv ("SEG_CLICKHOUSE_AUTH_USER");
  const char *password = g_getenv ("SEG_CLICKHOUSE_AUTH_PASSWORD");

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;
  if (user == NULL)
    user = "seg_auth";
  if (password == NULL)
    password = "seg-test-password";

  good = seg_clickhouse_client_new (ch_test_url (), user, password, NULL);
  /* The query finds itself in system.processes, under the user it ran as. */
  rows = seg_clickhouse_client_query (good, "SELECT user AS u FROM system.processes "
                                            "WHERE query LIKE '%seg-auth-probe%'",
                                      NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rows, 0), "u"), ==, user);

  bad = seg_clickhouse_client_new (ch_test_url (), user, "wrong password", NULL);
  g_assert_null (seg_clickhouse_client_query (bad, "SELECT 1",
                                              NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Wrong password"));
}

static gboolean
query_running (SegClickhouseClient *client,
               const char          *marker)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count() AS c FROM system.processes "
                                          "WHERE query LIKE '%%%s%%' AND query NOT LIKE "
                                          "'%%system.processes%%'", marker);
  g_autofree char *count = ch_test_scalar (client, sql);

  return g_strcmp0 (count, "0") != 0;
}

static void
test_real_cancel_kills (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *marker = g_uuid_string_random ();
  g_autofree char *sql = NULL;
  gint64 deadline;
  QueryWait wait;

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;

  client = seg_clickhouse_client_new (ch_test_url (), NULL, NULL, NULL);
  /* A query that would run for minutes; the marker finds it in system.processes. */
  sql = g_strdup_printf ("SELECT count() AS c, '%s' AS marker FROM system.numbers "
                         "WHERE number %% 7 = 12", marker);
  g_timeout_add (500, cancel_cb, cancellable);
  run_query (client, sql, cancellable, &wait);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  query_wait_clear (&wait);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (query_running (client, marker) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (50000);
    }
  g_assert_false (query_running (client, marker));
}

static void
test_real_https (void)
{
  const char *url = g_getenv ("SEG_CLICKHOUSE_HTTPS_URL");
  const char *ca = g_getenv ("SEG_CLICKHOUSE_CA_FILE");
  g_autofree char *default_ca = NULL;
  g_autoptr(SegClickhouseClient) trusting = NULL;
  g_autoptr(SegClickhouseClient) untrusting = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (url == NULL)
    url = "https://127.0.0.1:18443";
  if (ca == NULL)
    {
      g_autofree char *dir = g_strdup_printf ("seg-clickhouse-%u", (guint) getuid ());

      ca = default_ca = g_build_filename (g_get_tmp_dir (), dir, "s1", "tls", "ca.crt", NULL);
    }
  if (!g_file_test (ca, G_FILE_TEST_EXISTS))
    {
      g_test_skip_printf ("No test CA at %s: start the servers with tests/clickhouse/ch-server.sh "
                          "(needs openssl)", ca);
      return;
    }

  /* Trusting the server's private CA: the query runs over TLS. */
  trusting = seg_clickhouse_client_new (url, NULL, NULL, NULL);
  g_assert_true (seg_clickhouse_client_set_ca_file (trusting, ca, &error));
  g_assert_no_error (error);
  rows = seg_clickhouse_client_query (trusting, "SELECT 40 + 2 AS n", NULL, NULL, NULL, NULL, &error);
  if (g_error_matches (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CONNECTION)
      && strstr (error->message, "refused") != NULL)
    {
      g_test_skip_printf ("No ClickHouse https port at %s: %s", url, error->message);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (rows, 0), "n"), ==, 42);

  /* With only the system's authorities, the certificate is refused, clearly. */
  untrusting = seg_clickhouse_client_new (url, NULL, NULL, NULL);
  g_assert_null (seg_clickhouse_client_query (untrusting, "SELECT 1 AS n", NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CONNECTION);
  g_assert_nonnull (strstr (error->message, "secure connection"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clickhouse/client/error-text", test_error_text_clean);
  g_test_add_func ("/clickhouse/client/fake/rows", test_rows);
  g_test_add_func ("/clickhouse/client/fake/gzip", test_gzip);
  g_test_add_func ("/clickhouse/client/fake/http-500", test_http_500);
  g_test_add_func ("/clickhouse/client/fake/http-401", test_http_401);
  g_test_add_func ("/clickhouse/client/fake/malformed", test_malformed);
  g_test_add_func ("/clickhouse/client/fake/exception-mid-stream", test_exception_mid_stream);
  g_test_add_func ("/clickhouse/client/fake/cut-mid-stream", test_cut);
  g_test_add_func ("/clickhouse/client/fake/timeout", test_timeout);
  g_test_add_func ("/clickhouse/client/fake/cancel", test_cancel);
  g_test_add_func ("/clickhouse/client/fake/streaming", test_streaming);
  g_test_add_func ("/clickhouse/client/fake/row-func-stops", test_row_func_stops);
  g_test_add_func ("/clickhouse/client/connection-refused", test_connection_refused);
  g_test_add_func ("/clickhouse/client/real/execute-async", test_real_execute_async);
  g_test_add_func ("/clickhouse/client/real/rows", test_real_rows);
  g_test_add_func ("/clickhouse/client/real/stream-large", test_real_stream_large);
  g_test_add_func ("/clickhouse/client/real/auth", test_real_auth);
  g_test_add_func ("/clickhouse/client/real/cancel-kills", test_real_cancel_kills);
  g_test_add_func ("/clickhouse/client/real/https", test_real_https);

  return g_test_run ();
}
