/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "seg-clickhouse-client.h"
#include "seg-store.h"

/*
 * SegClickhouseClient speaks ClickHouse's HTTP interface. Answers are asked for as
 * `FORMAT JSONCompact`, which puts one row per line between a head naming the columns
 * and a trailer counting the rows, and read in chunks as they arrive, so that a caller
 * sees the first row as soon as the server sends it and a huge answer is never held
 * whole: each line is parsed on its own and handed to a row callback as a JSON object,
 * as JSONEachRow would give it. The trailer proves the answer complete (see ReadState).
 *
 * Every statement carries a query_id. When a caller cancels, a row callback fails or the
 * I/O times out while the server may still be working, a `KILL QUERY` for that id goes
 * out on a separate request, because ClickHouse 18.16 does not stop a query when its
 * client closes the connection.
 *
 * The sync variants exist for SegStoreWriter, which runs on worker threads; libsoup 3.2
 * allows sending from any thread once the session is configured.
 */

#define CHUNK_SIZE       (64 * 1024)
#define MAX_ERROR_BODY   (64 * 1024)
#define DEFAULT_TIMEOUT  60
#define DEFAULT_MAX_QUERY_SIZE 262144

struct _SegClickhouseClient
{
  GObject      parent_instance;

  SoupSession *session;
  GUri        *uri;
  char        *url;
  char        *host_port;
  char        *user;
  char        *password;
  char        *database;
  char        *authorization;
  GHashTable  *settings;
  guint        timeout;
  guint        compress : 1;

  GMutex       timing_lock;
  SegClickhouseQueryTiming last_timing;
};

G_DEFINE_FINAL_TYPE (SegClickhouseClient, seg_clickhouse_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URL,
  PROP_USER,
  PROP_PASSWORD,
  PROP_DATABASE,
  PROP_TIMEOUT,
  PROP_COMPRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------------
 * Error text
 * ------------------------------------------------------------------------------------- */

static gboolean
is_auth_code (int code)
{
  /* UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, IP_ADDRESS_NOT_ALLOWED (18.x) and
   * AUTHENTICATION_FAILED (newer releases). */
  return code == 192 || code == 193 || code == 194 || code == 195 || code == 516;
}

/**
 * seg_clickhouse_error_text_clean:
 * @text: an error text as ClickHouse sends it
 * @len: length of @text, or -1
 * @code: (out) (optional): the ClickHouse error code, or 0 when there is none
 *
 * Turns "Code: 60, e.displayText() = DB::Exception: Table x doesn't exist., e.what() =
 * DB::Exception" (18.x) or "Code: 60. DB::Exception: Table x does not exist.
 * (UNKNOWN_TABLE) (version 23.8.1)" (newer) into "Table x doesn't exist.".
 *
 * Returns: (transfer full): the readable message, valid UTF-8
 */
char *
seg_clickhouse_error_text_clean (const char *text,
                                 gssize      len,
                                 int        *code)
{
  g_autofree char *valid = NULL;
  const char *start;
  const char *p;
  char *end;
  int parsed_code = 0;
  GString *out;

  if (len < 0)
    len = strlen (text);

  valid = g_utf8_make_valid (text, len);
  start = valid;
  while (g_ascii_isspace (*start))
    start++;

  p = strstr (start, "Code: ");
  if (p != NULL)
    parsed_code = (int) g_ascii_strtoll (p + strlen ("Code: "), NULL, 10);
  if (code != NULL)
    *code = parsed_code;

  p = strstr (start, "DB::Exception: ");
  if (p != NULL)
    start = p + strlen ("DB::Exception: ");

  out = g_string_new (start);

  /* Only the first line: newer servers append a stack trace. */
  end = strchr (out->str, '\n');
  if (end != NULL)
    g_string_truncate (out, end - out->str);

  end = strstr (out->str, ", e.what() = ");
  if (end != NULL)
    g_string_truncate (out, end - out->str);

  end = strstr (out->str, " (version ");
  if (end != NULL)
    g_string_truncate (out, end - out->str);

  /* A trailing " (ERROR_NAME)" of newer servers. */
  if (out->len > 2 && out->str[out->len - 1] == ')')
    {
      char *open = strrchr (out->str, '(');

      if (open != NULL && open > out->str && open[-1] == ' ')
        {
          gboolean all_upper = TRUE;

          for (const char *q = open + 1; *q != ')'; q++)
            if (!(g_ascii_isupper (*q) || *q == '_' || g_ascii_isdigit (*q)))
              all_upper = FALSE;
          if (all_upper)
            g_string_truncate (out, open - 1 - out->str);
        }
    }

  while (out->len > 0 && g_ascii_isspace (out->str[out->len - 1]))
    g_string_truncate (out, out->len - 1);

  return g_string_free (out, FALSE);
}

static GError *
error_from_http (SegClickhouseClient *self,
                 guint                status,
                 const char          *reason,
                 const guint8        *body,
                 gsize                body_len)
{
  g_autofree char *message = NULL;
  int code = 0;

  if (body_len > 0)
    message = seg_clickhouse_error_text_clean ((const char *) body, body_len, &code);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN || is_auth_code (code))
    return g_error_new (SEG_STORE_ERROR, SEG_STORE_ERROR_AUTH,
                        _("ClickHouse at %s refused the user “%s”: %s"),
                        self->host_port,
                        self->user ? self->user : "default",
                        message && *message ? message : reason);

  if (message != NULL && *message != '\0')
    {
      if (code != 0)
        return g_error_new (SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                            _("ClickHouse error %d: %s"), code, message);
      return g_error_new (SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                          _("ClickHouse at %s answered HTTP %u: %s"),
                          self->host_port, status, message);
    }

  return g_error_new (SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                      _("ClickHouse at %s answered HTTP %u %s"),
                      self->host_port, status, reason ? reason : "");
}

static GError *
error_from_transport (SegClickhouseClient *self,
                      const GError        *error,
                      gboolean             in_answer,
                      guint64              n_rows)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (SEG_STORE_ERROR, SEG_STORE_ERROR_CONNECTION,
                        _("ClickHouse at %s did not answer within %u seconds"),
                        self->host_port, self->timeout);

  if (in_answer)
    return g_error_new (SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                        _("The answer from ClickHouse at %s was cut off after %" G_GUINT64_FORMAT
                          " rows: %s"),
                        self->host_port, n_rows, error->message);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (SEG_STORE_ERROR, SEG_STORE_ERROR_CONNECTION,
                        _("Cannot open a secure connection to ClickHouse at %s: %s"),
                        self->host_port, error->message);

  return g_error_new (SEG_STORE_ERROR, SEG_STORE_ERROR_CONNECTION,
                      _("Cannot connect to ClickHouse at %s: %s"),
                      self->host_port, error->message);
}

/* ---------------------------------------------------------------------------------------
 * One request: its message, and what is read from its answer
 * ------------------------------------------------------------------------------------- */

/* Where the reader is in a `FORMAT JSONCompact` answer:
 *
 *   {\n\t"meta":\n\t[ ...column names and types... ],\n\n\t"data":\n\t[\n
 *   \t\t["0", "a"],\n  (one row per line, as soon as the server has it)
 *   \t],\n\n\t"rows": 2,\n ... "statistics": {...}\n}\n
 *
 * The trailer with its row count is what tells a complete answer from one cut at a
 * line boundary: libsoup 3.2 reports a chunked body whose connection dropped as a clean
 * end, so JSONEachRow alone could not tell. */
typedef enum
{
  READ_HEAD = 0,
  READ_DATA_OPEN,
  READ_ROWS,
  READ_TRAILER,
} ReadState;

typedef struct
{
  SegClickhouseClient  *self;
  SoupMessage          *msg;
  GInputStream         *stream;
  GCancellable         *cancellable;
  char                 *query_id;

  /* Rows mode: each row goes to row_func or into rows. */
  gboolean              rows_mode;
  SegClickhouseRowFunc  row_func;
  gpointer              row_data;
  GDestroyNotify        row_data_destroy;
  GPtrArray            *rows;
  JsonParser           *parser;
  GByteArray           *partial;
  guint64               n_rows;
  ReadState             state;
  GString              *head;       /* the "meta" part, then the trailer */
  GPtrArray            *names;      /* column names, from "meta" */

  /* Otherwise (and for error answers): the first MAX_ERROR_BODY bytes of the body. */
  GByteArray           *body;
  guint                 status;
  gboolean              http_error;
  gboolean              in_answer;
  gboolean              timed_out;

  /* Monotonic times (µs), for seg_clickhouse_client_get_last_timing(). */
  SegClickhouseQueryTiming timing;
} Request;

static void
request_free (Request *req)
{
  if (req->rows_mode && req->timing.headers_us != 0)
    {
      req->timing.n_rows = req->n_rows;
      g_mutex_lock (&req->self->timing_lock);
      req->self->last_timing = req->timing;
      g_mutex_unlock (&req->self->timing_lock);
    }
  if (req->row_data_destroy != NULL)
    req->row_data_destroy (req->row_data);
  g_clear_object (&req->stream);
  g_clear_object (&req->msg);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->parser);
  g_clear_pointer (&req->rows, g_ptr_array_unref);
  g_clear_pointer (&req->partial, g_byte_array_unref);
  g_clear_pointer (&req->names, g_ptr_array_unref);
  if (req->head != NULL)
    g_string_free (req->head, TRUE);
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_clear_pointer (&req->query_id, g_free);
  g_clear_object (&req->self);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
append_param (GString    *query,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append_printf (query, "%s=%s", name, escaped);
}

static Request *
request_new (SegClickhouseClient *self,
             const char          *sql,
             GBytes              *body,
             gboolean             use_database,
             gboolean             rows_mode,
             const char * const  *settings,
             GCancellable        *cancellable)
{
  Request *req = g_new0 (Request, 1);
  g_autoptr(GString) params = g_string_new (NULL);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *timeout = NULL;
  SoupMessageHeaders *headers;
  GHashTableIter iter;
  gpointer key, value;

  req->self = g_object_ref (self);
  req->timing.sent_us = g_get_monotonic_time ();
  req->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  req->query_id = g_uuid_string_random ();
  req->rows_mode = rows_mode;
  req->body = g_byte_array_new ();
  if (rows_mode)
    {
      req->parser = json_parser_new_immutable ();
      req->partial = g_byte_array_new ();
      req->head = g_string_new (NULL);
    }

  append_param (params, "query_id", req->query_id);
  if (use_database && self->database != NULL && *self->database != '\0')
    append_param (params, "database", self->database);
  if (self->compress)
    append_param (params, "enable_http_compression", "1");
  if (self->timeout > 0)
    {
      /* The server gives up when the client would: no orphaned work. */
      timeout = g_strdup_printf ("%u", self->timeout);
      append_param (params, "max_execution_time", timeout);
    }
  g_hash_table_iter_init (&iter, self->settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    append_param (params, key, value);
  for (guint i = 0; settings != NULL && settings[i] != NULL && settings[i + 1] != NULL; i += 2)
    append_param (params, settings[i], settings[i + 1]);
  if (body == NULL && !g_hash_table_contains (self->settings, "max_query_size"))
    {
      gsize len = strlen (sql);

      /* The server parses at most max_query_size bytes of a statement (256 KiB by
       * default, and it allocates that much per query): a longer one, e.g. a definition
       * with a long value, asks for just what it needs. */
      if (len + 64 > DEFAULT_MAX_QUERY_SIZE)
        {
          g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, len + 1024);
          append_param (params, "max_query_size", size);
        }
    }
  if (body != NULL)
    append_param (params, "query", sql);

  uri = g_uri_build (G_URI_FLAGS_ENCODED_QUERY,
                     g_uri_get_scheme (self->uri),
                     NULL,
                     g_uri_get_host (self->uri),
                     g_uri_get_port (self->uri),
                     *g_uri_get_path (self->uri) ? g_uri_get_path (self->uri) : "/",
                     params->str,
                     NULL);

  req->msg = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  headers = soup_message_get_request_headers (req->msg);
  if (self->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", self->authorization);

  if (body != NULL)
    soup_message_set_request_body_from_bytes (req->msg, "application/octet-stream", body);
  else if (rows_mode)
    {
      char *text = g_strconcat (sql, "\nFORMAT JSONCompact", NULL);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

      soup_message_set_request_body_from_bytes (req->msg, "text/plain; charset=utf-8", bytes);
    }
  else
    {
      g_autoptr(GBytes) text = g_bytes_new (sql, strlen (sql));

      soup_message_set_request_body_from_bytes (req->msg, "text/plain; charset=utf-8", text);
    }

  return req;
}

static gboolean
set_exception_error (Request     *req,
                     const char  *text,
                     gsize        len,
                     GError     **error)
{
  g_autofree char *message = NULL;
  int code = 0;

  message = seg_clickhouse_error_text_clean (text, len, &code);
  g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
               _("ClickHouse error %d after %" G_GUINT64_FORMAT " rows: %s"),
               code, req->n_rows, message);
  return FALSE;
}

static gboolean
set_cut_error (Request  *req,
               GError  **error)
{
  g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
               _("The answer from ClickHouse at %s was cut off after %" G_GUINT64_FORMAT " rows"),
               req->self->host_port, req->n_rows);
  return FALSE;
}

static gboolean
set_layout_error (Request  *req,
                  GError  **error)
{
  g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
               _("The answer from ClickHouse at %s is not in the expected layout near row %"
                 G_GUINT64_FORMAT),
               req->self->host_port, req->n_rows + 1);
  return FALSE;
}

/* The head is "{ "meta": [...], " up to the "data" key: closed, it parses. */
static gboolean
request_parse_head (Request  *req,
                    GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonArray *meta;

  while (req->head->len > 0
         && (g_ascii_isspace (req->head->str[req->head->len - 1])
             || req->head->str[req->head->len - 1] == ','))
    g_string_truncate (req->head, req->head->len - 1);
  g_string_append_c (req->head, '}');

  if (!json_parser_load_from_data (req->parser, req->head->str, req->head->len, &local_error)
      || (root = json_parser_get_root (req->parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member ((object = json_node_get_object (root)), "meta")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "meta")))
    return set_layout_error (req, error);

  meta = json_object_get_array_member (object, "meta");
  req->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (meta); i++)
    {
      JsonNode *column = json_array_get_element (meta, i);
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (column)
          || (name = json_object_get_string_member_with_default (json_node_get_object (column),
                                                                 "name", NULL)) == NULL)
        return set_layout_error (req, error);
      g_ptr_array_add (req->names, g_strdup (name));
    }

  g_string_truncate (req->head, 0);
  return TRUE;
}

static gboolean
request_deliver_row (Request     *req,
                     const char  *line,
                     gsize        len,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonNode *root;
  JsonArray *values;
  gboolean ok = TRUE;

  while (len > 0 && (line[len - 1] == ',' || g_ascii_isspace (line[len - 1])))
    len--;
  while (len > 0 && g_ascii_isspace (*line))
    {
      line++;
      len--;
    }

  if (!json_parser_load_from_data (req->parser, line, len, &local_error))
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                   _("Row %" G_GUINT64_FORMAT " of the answer from ClickHouse at %s is not "
                     "valid JSON: %s"),
                   req->n_rows + 1, req->self->host_port, local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (req->parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root)
      || json_array_get_length ((values = json_node_get_array (root))) != req->names->len)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                   _("Row %" G_GUINT64_FORMAT " of the answer from ClickHouse at %s does not "
                     "have %u values"),
                   req->n_rows + 1, req->self->host_port, req->names->len);
      return FALSE;
    }

  object = json_object_new ();
  for (guint i = 0; i < req->names->len; i++)
    json_object_set_member (object, g_ptr_array_index (req->names, i),
                            json_node_copy (json_array_get_element (values, i)));

  if (req->n_rows++ == 0)
    req->timing.first_row_us = g_get_monotonic_time ();

  if (req->row_func != NULL)
    ok = req->row_func (object, req->n_rows, req->row_data, error);
  else
    {
      if (req->rows == NULL)
        req->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_ptr_array_add (req->rows, g_steal_pointer (&object));
    }

  return ok;
}

static gboolean
request_deliver_line (Request     *req,
                      const char  *line,
                      gsize        len,
                      GError     **error)
{
  if (len > 0 && line[len - 1] == '\r')
    len--;

  /* An error after the server began to answer arrives as text in the body. */
  if (len > 6 && strncmp (line, "Code: ", 6) == 0)
    return set_exception_error (req, line, len, error);

  switch (req->state)
    {
    case READ_HEAD:
      if (len == strlen ("\t\"data\":") && memcmp (line, "\t\"data\":", len) == 0)
        {
          req->state = READ_DATA_OPEN;
          return request_parse_head (req, error);
        }
      g_string_append_len (req->head, line, len);
      g_string_append_c (req->head, '\n');
      return TRUE;

    case READ_DATA_OPEN:
      if (len == 2 && memcmp (line, "\t[", 2) == 0)
        {
          req->state = READ_ROWS;
          return TRUE;
        }
      return set_layout_error (req, error);

    case READ_ROWS:
      if (len == 0)
        return TRUE;
      if (line[0] == '\t' && len >= 2 && line[1] == ']')
        {
          req->state = READ_TRAILER;
          g_string_assign (req->head, "{\n");
          return TRUE;
        }
      if (g_strstr_len (line, len, "Code: ") != NULL
          && g_strstr_len (line, len, "Exception") != NULL)
        return set_exception_error (req, g_strstr_len (line, len, "Code: "),
                                    len - (g_strstr_len (line, len, "Code: ") - line), error);
      return request_deliver_row (req, line, len, error);

    case READ_TRAILER:
    default:
      g_string_append_len (req->head, line, len);
      g_string_append_c (req->head, '\n');
      return TRUE;
    }
}

static gboolean
request_feed (Request       *req,
              const guint8  *data,
              gsize          len,
              GError       **error)
{
  const guint8 *end = data + len;

  if (!req->rows_mode || req->http_error)
    {
      gsize room = MAX_ERROR_BODY - MIN (req->body->len, MAX_ERROR_BODY);

      g_byte_array_append (req->body, data, MIN (room, len));
      return TRUE;
    }

  while (data < end)
    {
      const guint8 *nl = memchr (data, '\n', end - data);

      if (nl == NULL)
        {
          g_byte_array_append (req->partial, data, end - data);
          break;
        }

      if (req->partial->len > 0)
        {
          gboolean ok;

          g_byte_array_append (req->partial, data, nl - data);
          ok = request_deliver_line (req, (const char *) req->partial->data,
                                     req->partial->len, error);
          g_byte_array_set_size (req->partial, 0);
          if (!ok)
            return FALSE;
        }
      else if (!request_deliver_line (req, (const char *) data, nl - data, error))
        return FALSE;

      data = nl + 1;
    }

  return TRUE;
}

/* At the end of the answer. */
static gboolean
request_complete (Request  *req,
                  GError  **error)
{
  if (req->http_error)
    {
      g_propagate_error (error, error_from_http (req->self, req->status,
                                                 soup_message_get_reason_phrase (req->msg),
                                                 req->body->data, req->body->len));
      return FALSE;
    }


  if (req->rows_mode)
    {
      g_autoptr(GError) local_error = NULL;
      JsonNode *root;
      JsonObject *trailer;

      if (req->partial->len > 0)
        {
          const char *line = (const char *) req->partial->data;
          const char *exception = g_strstr_len (line, req->partial->len, "Code: ");

          /* An exception text may come without a final newline. */
          if (exception != NULL && g_strstr_len (line, req->partial->len, "Exception") != NULL)
            return set_exception_error (req, exception,
                                        req->partial->len - (exception - line), error);
          if (req->state != READ_TRAILER)
            return set_cut_error (req, error);
          g_string_append_len (req->head, line, req->partial->len);
        }

      if (req->state != READ_TRAILER)
        return set_cut_error (req, error);

      /* The trailer must be whole and count as many rows as were read. */
      if (!json_parser_load_from_data (req->parser, req->head->str, req->head->len, &local_error)
          || (root = json_parser_get_root (req->parser)) == NULL
          || !JSON_NODE_HOLDS_OBJECT (root)
          || !json_object_has_member ((trailer = json_node_get_object (root)), "rows"))
        return set_cut_error (req, error);

      if ((guint64) json_object_get_int_member (trailer, "rows") != req->n_rows)
        {
          g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                       _("The answer from ClickHouse at %s announced %" G_GINT64_FORMAT
                         " rows but held %" G_GUINT64_FORMAT),
                       req->self->host_port, json_object_get_int_member (trailer, "rows"),
                       req->n_rows);
          return FALSE;
        }
      return TRUE;
    }

  /* A statement without answer rows: an exception may still arrive in a 200 body. */
  if (req->body->len > 0)
    {
      const char *text = (const char *) req->body->data;
      const char *exception = g_strstr_len (text, req->body->len, "Code: ");

      if (exception != NULL && g_strstr_len (text, req->body->len, "Exception") != NULL)
        {
          g_autofree char *message = NULL;
          int code = 0;

          message = seg_clickhouse_error_text_clean (exception,
                                                     req->body->len - (exception - text),
                                                     &code);
          g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                       _("ClickHouse error %d: %s"), code, message);
          return FALSE;
        }
    }

  return TRUE;
}

static void
request_got_headers (Request *req)
{
  req->timing.headers_us = g_get_monotonic_time ();
  req->status = soup_message_get_status (req->msg);
  req->http_error = !SOUP_STATUS_IS_SUCCESSFUL (req->status);
  req->in_answer = TRUE;
}

/* ---------------------------------------------------------------------------------------
 * KILL QUERY: stop work the server would otherwise finish for nobody
 * ------------------------------------------------------------------------------------- */

static char *
kill_sql (const char *query_id)
{
  /* query_id is a UUID we generated: nothing to escape. */
  return g_strdup_printf ("KILL QUERY WHERE query_id = '%s' ASYNC FORMAT TabSeparated", query_id);
}

static void
kill_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!seg_clickhouse_client_execute_finish (SEG_CLICKHOUSE_CLIENT (object), result, &error))
    g_debug ("KILL QUERY failed: %s", error->message);
}

static gboolean
request_needs_kill (Request      *req,
                    const GError *error)
{
  /* An HTTP error status or an exception in the answer: the server has ended the query
   * itself. A failed connection: there is no query. */
  if (req->http_error)
    return FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || req->timed_out)
    return TRUE;
  if (!req->in_answer)
    return FALSE;
  return !g_error_matches (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED);
}

static GError *
request_transport_error (Request      *req,
                         const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    req->timed_out = TRUE;
  return error_from_transport (req->self, error, req->in_answer, req->n_rows);
}

static void
request_kill_async (Request *req)
{
  g_autofree char *sql = kill_sql (req->query_id);

  seg_clickhouse_client_execute_async (req->self, sql, NULL, NULL, kill_sent_cb, NULL);
}

static void
request_kill_sync (Request *req)
{
  g_autofree char *sql = kill_sql (req->query_id);
  g_autoptr(GError) error = NULL;

  if (!seg_clickhouse_client_execute (req->self, sql, NULL, NULL, &error))
    g_debug ("KILL QUERY failed: %s", error->message);
}

/* ---------------------------------------------------------------------------------------
 * Async driver
 * ------------------------------------------------------------------------------------- */

static void read_chunk (GTask *task);

static void
task_fail (GTask  *task,
           GError *error)
{
  Request *req = g_task_get_task_data (task);

  if (request_needs_kill (req, error))
    request_kill_async (req);
  if (req->stream != NULL)
    g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_task_return_error (task, error);
}

static void
read_chunk_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      task_fail (task, request_transport_error (req, error));
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  if (len > 0 && req->timing.first_byte_us == 0)
    req->timing.first_byte_us = g_get_monotonic_time ();
  if (len == 0)
    {
      if (!request_complete (req, &error))
        {
          task_fail (task, g_steal_pointer (&error));
          return;
        }
      g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!request_feed (req, data, len, &error))
    {
      task_fail (task, g_steal_pointer (&error));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      request_kill_async (req);
      return;
    }

  read_chunk (g_steal_pointer (&task));
}

static void
read_chunk (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (req->stream, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_chunk_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (req->stream == NULL)
    {
      task_fail (task, request_transport_error (req, error));
      return;
    }

  request_got_headers (req);
  read_chunk (g_steal_pointer (&task));
}

static void
request_send_async (Request             *req,
                    gpointer             source_tag,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task;

  task = g_task_new (req->self, req->cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  soup_session_send_async (req->self->session, req->msg, G_PRIORITY_DEFAULT,
                           req->cancellable, send_cb, task);
}

/* ---------------------------------------------------------------------------------------
 * Sync driver, for worker threads
 * ------------------------------------------------------------------------------------- */

static gboolean
request_run_sync (Request  *req,
                  GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *buffer = NULL;

  req->stream = soup_session_send (req->self->session, req->msg, req->cancellable, &local_error);
  if (req->stream == NULL)
    {
      GError *mapped = request_transport_error (req, local_error);

      if (request_needs_kill (req, mapped))
        request_kill_sync (req);
      g_propagate_error (error, mapped);
      return FALSE;
    }

  request_got_headers (req);
  buffer = g_malloc (CHUNK_SIZE);

  for (;;)
    {
      gssize n = g_input_stream_read (req->stream, buffer, CHUNK_SIZE, req->cancellable,
                                      &local_error);

      if (n < 0)
        {
          GError *mapped = request_transport_error (req, local_error);

          if (request_needs_kill (req, mapped))
            request_kill_sync (req);
          g_propagate_error (error, mapped);
          return FALSE;
        }
      if (n == 0)
        break;
      if (req->timing.first_byte_us == 0)
        req->timing.first_byte_us = g_get_monotonic_time ();

      if (!request_feed (req, buffer, n, &local_error))
        {
          if (request_needs_kill (req, local_error))
            request_kill_sync (req);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  g_input_stream_close (req->stream, NULL, NULL);
  return request_complete (req, error);
}

/* ---------------------------------------------------------------------------------------
 * Public API
 * ------------------------------------------------------------------------------------- */

/**
 * seg_clickhouse_client_query_async:
 * @self: a #SegClickhouseClient
 * @sql: a SELECT without FORMAT clause (the client adds its own)
 * @row_func: (nullable): receives each row as it arrives; with %NULL, the rows are
 *   collected and returned by the finish function (only for small answers)
 * @row_data: closure of @row_func
 * @row_data_destroy: (nullable): frees @row_data when the query is over
 * @cancellable: (nullable): cancels the request and kills the query on the server
 * @callback: called on the caller's thread-default main context when the answer is over
 * @user_data: closure of @callback
 */
void
seg_clickhouse_client_query_async (SegClickhouseClient  *self,
                                   const char           *sql,
                                   SegClickhouseRowFunc  row_func,
                                   gpointer              row_data,
                                   GDestroyNotify        row_data_destroy,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  Request *req;

  g_return_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self));
  g_return_if_fail (sql != NULL);

  req = request_new (self, sql, NULL, TRUE, TRUE, NULL, cancellable);
  req->row_func = row_func;
  req->row_data = row_data;
  req->row_data_destroy = row_data_destroy;
  request_send_async (req, seg_clickhouse_client_query_async, callback, user_data);
}

/**
 * seg_clickhouse_client_query_finish:
 * @self: a #SegClickhouseClient
 * @result: the result given to the callback
 * @n_rows: (out) (optional): how many rows the answer had
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the rows as #JsonObject, when no row function was
 *   given (an empty array for an empty answer); %NULL on error or with a row function
 */
GPtrArray *
seg_clickhouse_client_query_finish (SegClickhouseClient  *self,
                                    GAsyncResult         *result,
                                    guint64              *n_rows,
                                    GError              **error)
{
  Request *req;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seg_clickhouse_client_query_async,
                        NULL);

  req = g_task_get_task_data (G_TASK (result));
  if (n_rows != NULL)
    *n_rows = req->n_rows;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  if (req->row_func != NULL)
    return NULL;
  if (req->rows == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  return g_steal_pointer (&req->rows);
}

/**
 * seg_clickhouse_client_query:
 *
 * The blocking twin of seg_clickhouse_client_query_async(), for worker threads.
 *
 * Returns: (transfer full) (nullable): as seg_clickhouse_client_query_finish(); on error
 *   %NULL with @error set
 */
GPtrArray *
seg_clickhouse_client_query (SegClickhouseClient   *self,
                             const char            *sql,
                             SegClickhouseRowFunc   row_func,
                             gpointer               row_data,
                             guint64               *n_rows,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(Request) req = NULL;
  gboolean ok;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  req = request_new (self, sql, NULL, TRUE, TRUE, NULL, cancellable);
  req->row_func = row_func;
  req->row_data = row_data;
  ok = request_run_sync (req, error);
  if (n_rows != NULL)
    *n_rows = req->n_rows;
  if (!ok)
    return NULL;
  if (row_func != NULL)
    return NULL;
  if (req->rows == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  return g_steal_pointer (&req->rows);
}

/**
 * seg_clickhouse_client_execute_async:
 * @self: a #SegClickhouseClient
 * @sql: a statement without answer rows (DDL, INSERT, ALTER, KILL)
 * @body: (nullable): the data of an `INSERT ... FORMAT X` statement
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: closure
 */
void
seg_clickhouse_client_execute_async (SegClickhouseClient *self,
                                     const char          *sql,
                                     GBytes              *body,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Request *req;

  g_return_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self));
  g_return_if_fail (sql != NULL);

  req = request_new (self, sql, body, TRUE, FALSE, NULL, cancellable);
  request_send_async (req, seg_clickhouse_client_execute_async, callback, user_data);
}

gboolean
seg_clickhouse_client_execute_finish (SegClickhouseClient  *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seg_clickhouse_client_execute_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * seg_clickhouse_client_execute:
 *
 * The blocking twin of seg_clickhouse_client_execute_async(), for worker threads.
 */
gboolean
seg_clickhouse_client_execute (SegClickhouseClient  *self,
                               const char           *sql,
                               GBytes               *body,
                               GCancellable         *cancellable,
                               GError              **error)
{
  g_autoptr(Request) req = NULL;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  req = request_new (self, sql, body, TRUE, FALSE, NULL, cancellable);
  return request_run_sync (req, error);
}

/**
 * seg_clickhouse_client_execute_with_settings:
 * @settings: (array zero-terminated=1): setting names and values, alternating
 *
 * Like seg_clickhouse_client_execute(), with settings for this statement only (in the
 * URL, where ClickHouse applies them to the whole statement, INSERT ... SELECT included).
 */
gboolean
seg_clickhouse_client_execute_with_settings (SegClickhouseClient  *self,
                                             const char           *sql,
                                             const char * const   *settings,
                                             GCancellable         *cancellable,
                                             GError              **error)
{
  g_autoptr(Request) req = NULL;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  req = request_new (self, sql, NULL, TRUE, FALSE, settings, cancellable);
  return request_run_sync (req, error);
}

/**
 * seg_clickhouse_client_execute_server:
 *
 * Like seg_clickhouse_client_execute(), without selecting the client's database: for
 * `CREATE DATABASE` before the database exists.
 */
gboolean
seg_clickhouse_client_execute_server (SegClickhouseClient  *self,
                                      const char           *sql,
                                      GCancellable         *cancellable,
                                      GError              **error)
{
  g_autoptr(Request) req = NULL;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  req = request_new (self, sql, NULL, FALSE, FALSE, NULL, cancellable);
  return request_run_sync (req, error);
}

/* ---------------------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------------------- */

static void
update_authorization (SegClickhouseClient *self)
{
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;

  g_clear_pointer (&self->authorization, g_free);
  if (self->user == NULL || *self->user == '\0')
    return;

  pair = g_strdup_printf ("%s:%s", self->user, self->password ? self->password : "");
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  self->authorization = g_strdup_printf ("Basic %s", encoded);
  /* The password lives on only inside the header. */
  memset (pair, 0, strlen (pair));
}

static void
set_url (SegClickhouseClient *self,
         const char          *url)
{
  g_autoptr(GError) error = NULL;
  const char *scheme;
  int port;

  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->host_port, g_free);

  self->url = g_strdup (url ? url : "http://127.0.0.1:8123");
  self->uri = g_uri_parse (self->url, G_URI_FLAGS_ENCODED, &error);
  if (self->uri == NULL)
    {
      g_warning ("Invalid ClickHouse URL “%s”: %s", self->url, error->message);
      self->uri = g_uri_parse ("http://127.0.0.1:8123", G_URI_FLAGS_ENCODED, NULL);
    }

  scheme = g_uri_get_scheme (self->uri);
  port = g_uri_get_port (self->uri);
  if (port < 0)
    port = g_ascii_strcasecmp (scheme, "https") == 0 ? 8443 : 8123;
  if (g_uri_get_port (self->uri) < 0)
    {
      GUri *with_port = g_uri_build (G_URI_FLAGS_ENCODED, scheme, NULL,
                                     g_uri_get_host (self->uri), port,
                                     g_uri_get_path (self->uri), NULL, NULL);

      g_uri_unref (self->uri);
      self->uri = with_port;
    }
  self->host_port = g_strdup_printf ("%s:%d", g_uri_get_host (self->uri), port);
}

static void
seg_clickhouse_client_finalize (GObject *object)
{
  SegClickhouseClient *self = (SegClickhouseClient *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->host_port, g_free);
  g_clear_pointer (&self->user, g_free);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->authorization, g_free);
  g_clear_pointer (&self->database, g_free);
  g_clear_pointer (&self->settings, g_hash_table_unref);

  g_mutex_clear (&self->timing_lock);

  G_OBJECT_CLASS (seg_clickhouse_client_parent_class)->finalize (object);
}

static void
seg_clickhouse_client_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SegClickhouseClient *self = SEG_CLICKHOUSE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_DATABASE:
      g_value_set_string (value, self->database);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_COMPRESS:
      g_value_set_boolean (value, self->compress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_clickhouse_client_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SegClickhouseClient *self = SEG_CLICKHOUSE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URL:
      set_url (self, g_value_get_string (value));
      break;
    case PROP_USER:
      g_free (self->user);
      self->user = g_value_dup_string (value);
      update_authorization (self);
      break;
    case PROP_PASSWORD:
      g_free (self->password);
      self->password = g_value_dup_string (value);
      update_authorization (self);
      break;
    case PROP_DATABASE:
      g_free (self->database);
      self->database = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      seg_clickhouse_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_COMPRESS:
      seg_clickhouse_client_set_compress (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_clickhouse_client_class_init (SegClickhouseClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = seg_clickhouse_client_finalize;
  object_class->get_property = seg_clickhouse_client_get_property;
  object_class->set_property = seg_clickhouse_client_set_property;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPRESS] =
    g_param_spec_boolean ("compress", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_clickhouse_client_init (SegClickhouseClient *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  self->compress = TRUE;
  self->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_mutex_init (&self->timing_lock);

  /* SoupContentDecoder is part of a default session: answers compressed with gzip or
   * deflate are inflated as they stream in. */
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 "max-conns-per-host", 8,
                                                 "timeout", DEFAULT_TIMEOUT,
                                                 "idle-timeout", 30,
                                                 NULL);
}

/**
 * seg_clickhouse_client_new:
 * @url: the HTTP interface, e.g. "http://127.0.0.1:8123" or "https://ch.example.com:8443"
 * @user: (nullable): the user, %NULL for the server's default user
 * @password: (nullable): the password
 * @database: (nullable): the database statements run in
 *
 * Returns: (transfer full): a new client; it connects on its first request
 */
SegClickhouseClient *
seg_clickhouse_client_new (const char *url,
                           const char *user,
                           const char *password,
                           const char *database)
{
  return g_object_new (SEG_TYPE_CLICKHOUSE_CLIENT,
                       "url", url,
                       "user", user,
                       "password", password,
                       "database", database,
                       NULL);
}

const char *
seg_clickhouse_client_get_url (SegClickhouseClient *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), NULL);

  return self->url;
}

const char *
seg_clickhouse_client_get_user (SegClickhouseClient *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), NULL);

  return self->user;
}

const char *
seg_clickhouse_client_get_database (SegClickhouseClient *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), NULL);

  return self->database;
}

/**
 * seg_clickhouse_client_get_host_port:
 *
 * Returns: "host:port" of the server, as error messages name it
 */
const char *
seg_clickhouse_client_get_host_port (SegClickhouseClient *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), NULL);

  return self->host_port;
}

guint
seg_clickhouse_client_get_timeout (SegClickhouseClient *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), 0);

  return self->timeout;
}

/**
 * seg_clickhouse_client_set_timeout:
 * @self: a #SegClickhouseClient
 * @seconds: how long a request may wait for the server, 0 for no limit
 *
 * Bounds both the wait on the socket and, with `max_execution_time`, the work of the
 * query on the server. Set it before the first request: libsoup wants its session
 * configured before it is used from several threads.
 */
void
seg_clickhouse_client_set_timeout (SegClickhouseClient *self,
                                   guint                seconds)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self));

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

gboolean
seg_clickhouse_client_get_compress (SegClickhouseClient *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), FALSE);

  return self->compress;
}

/**
 * seg_clickhouse_client_set_compress:
 * @self: a #SegClickhouseClient
 * @compress: whether the server compresses its answers
 *
 * With %TRUE (the default), answers travel gzip-compressed, which pays off over a network
 * and costs a little CPU on loopback.
 */
void
seg_clickhouse_client_set_compress (SegClickhouseClient *self,
                                    gboolean             compress)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self));

  compress = !!compress;
  if (self->compress == compress)
    return;

  self->compress = compress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPRESS]);
}

/**
 * seg_clickhouse_client_set_ca_file:
 * @self: a #SegClickhouseClient
 * @ca_file: (nullable): a PEM file of certificate authorities to trust for https, %NULL
 *   for the system's
 * @error: return location for an error
 *
 * For servers whose certificate a private authority signed.
 */
gboolean
seg_clickhouse_client_set_ca_file (SegClickhouseClient  *self,
                                   const char           *ca_file,
                                   GError              **error)
{
  g_autoptr(GTlsDatabase) database = NULL;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self), FALSE);

  if (ca_file != NULL)
    {
      database = g_tls_file_database_new (ca_file, error);
      if (database == NULL)
        return FALSE;
    }
  else
    database = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  soup_session_set_tls_database (self->session, database);
  return TRUE;
}

/**
 * seg_clickhouse_client_set_setting:
 * @self: a #SegClickhouseClient
 * @name: a ClickHouse setting, e.g. "distributed_product_mode"
 * @value: (nullable): its value, %NULL to stop sending it
 *
 * Settings go with every request of this client.
 */
void
seg_clickhouse_client_set_setting (SegClickhouseClient *self,
                                   const char          *name,
                                   const char          *value)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self));
  g_return_if_fail (name != NULL);

  if (value == NULL)
    g_hash_table_remove (self->settings, name);
  else
    g_hash_table_replace (self->settings, g_strdup (name), g_strdup (value));
}

/**
 * seg_clickhouse_client_get_last_timing:
 * @self: a #SegClickhouseClient
 * @timing: (out): where the query was timed
 *
 * Gives the timing of the last SELECT that got an answer (on any thread), as measured in
 * the streaming path: when the request was sent, when the headers came, when the first
 * byte of the body was read and when the first row was handed out. Zero when nothing
 * happened yet (or the answer had no rows: first_row_us is then 0).
 */
void
seg_clickhouse_client_get_last_timing (SegClickhouseClient      *self,
                                       SegClickhouseQueryTiming *timing)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_CLIENT (self));
  g_return_if_fail (timing != NULL);

  g_mutex_lock (&self->timing_lock);
  *timing = self->last_timing;
  g_mutex_unlock (&self->timing_lock);
}
