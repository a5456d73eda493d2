/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-ingest"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "seg-live-batch.h"
#include "seg-live-ingest.h"
#include "seg-store-writer.h"

struct _SegLiveIngest
{
  GObject        parent_instance;

  SegLiveEngine *engine;
  SegStore      *store;
  char          *token;
  gsize          max_bytes;
  SoupServer    *server;
  GCancellable  *cancellable;
  guint          port;
  guint64        n_records;
  GQueue         waiting;       /* of Request: parsed, waiting for the next commit */
  gboolean       committing;
};

G_DEFINE_FINAL_TYPE (SegLiveIngest, seg_live_ingest, G_TYPE_OBJECT)

typedef struct
{
  SegLiveIngest     *self;
  SoupServerMessage *msg;
  SegLiveBatch      *batch;
  GString           *errors;    /* the "unprocessed" array, built as we go */
  guint              n_errors;
  GBytes            *body;
  gboolean           lines;     /* JSON lines rather than {"d": [...]} */
  gint64             now_ms;
  SegStore          *store;     /* nullable */
  guint              fail_status;
  char              *fail_message;
  GError            *commit_error;
} Request;

static void
request_free (Request *req)
{
  g_object_unref (req->self);
  g_object_unref (req->msg);
  seg_live_batch_free (req->batch);
  g_string_free (req->errors, TRUE);
  g_bytes_unref (req->body);
  g_clear_object (&req->store);
  g_free (req->fail_message);
  g_clear_error (&req->commit_error);
  g_free (req);
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "fail");
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  reply_json (msg, status, json);
}

static void
add_record_error (Request    *req,
                  guint       index,
                  const char *message)
{
  g_autoptr(JsonNode) str = json_node_init_string (json_node_alloc (), message);
  g_autofree char *quoted = json_to_string (str, FALSE);

  g_string_append_printf (req->errors, "%s{\"index\":%u,\"error\":%s}",
                          req->n_errors > 0 ? "," : "", index, quoted);
  req->n_errors++;
}

static void
upload_error_cb (guint       index,
                 const char *message,
                 gpointer    user_data)
{
  add_record_error (user_data, index, message);
}

/* Parses the body into records, noting each bad one; FALSE if the body as a whole is not
 * an upload (req->fail_* say why). */
static gboolean
parse_body (Request *req)
{
  gsize len;
  const char *data = g_bytes_get_data (req->body, &len);

  if (req->lines)
    {
      const char *p = data, *end = data + len;
      guint index = 0;

      while (p < end)
        {
          const char *nl = memchr (p, '\n', end - p);
          const char *line_end = nl ? nl : end;
          g_autoptr(GError) error = NULL;
          gsize l = line_end - p;

          if (l > 0 && p[l - 1] == '\r')
            l--;
          if (l > 0)
            {
              if (!seg_live_batch_add_line (req->batch, p, l, req->now_ms, &error))
                add_record_error (req, index, error->message);
              index++;
            }
          p = line_end + 1;
        }
    }
  else
    {
      g_autoptr(GError) error = NULL;

      if (!seg_live_batch_add_upload (req->batch, data, len, req->now_ms, upload_error_cb, req, &error))
        {
          req->fail_status = SOUP_STATUS_BAD_REQUEST;
          req->fail_message = g_strdup (error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* In a worker thread: parse, so that the main loop only feeds the engine and replies. */
static void
parse_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  parse_body (task_data);
  g_task_return_boolean (task, TRUE);
}

/* Writes the records of @reqs in one transaction; FALSE if it failed (nothing written). */
static gboolean
commit_requests (SegStore      *store,
                 Request      **reqs,
                 guint          n,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(SegStoreWriter) writer = seg_store_begin_write (store, error);

  if (writer == NULL)
    return FALSE;
  for (guint r = 0; r < n; r++)
    for (guint i = 0; i < seg_live_batch_get_length (reqs[r]->batch); i++)
      if (!seg_store_writer_add (writer, seg_live_batch_get (reqs[r]->batch, i), error))
        {
          seg_store_writer_abort (writer);
          return FALSE;
        }
  return seg_store_writer_commit (writer, cancellable, error);
}

/* In a worker thread: commits the requests that were parsed while the previous commit
 * ran, in one transaction (group commit: the store's cost per commit is paid once for
 * them all). If that fails, each request is committed on its own, so that one request's
 * failure does not fail the others, as if they had come one at a time. */
static void
commit_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GPtrArray *group = task_data;
  Request **reqs = (Request **) group->pdata;
  GError *error = NULL;

  if (!commit_requests (reqs[0]->store, reqs, group->len, cancellable, &error))
    {
      if (group->len == 1)
        reqs[0]->commit_error = error;
      else
        {
          g_clear_error (&error);
          for (guint r = 0; r < group->len; r++)
            commit_requests (reqs[r]->store, &reqs[r], 1, cancellable, &reqs[r]->commit_error);
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
finish_request (Request *req)
{
  SegLiveIngest *self = req->self;
  guint n = seg_live_batch_get_length (req->batch);
  g_autoptr(GString) json = g_string_new (NULL);

  seg_live_engine_push_many (self->engine, seg_live_batch_get_records (req->batch, &n), n);
  self->n_records += n;
  if (req->n_errors == 0)
    g_string_append_printf (json, "{\"status\":\"success\",\"processed\":%u,\"unprocessed\":[]}", n);
  else
    g_string_append_printf (json, "{\"status\":\"%s\",\"processed\":%u,\"unprocessed\":[%s]}",
                            n > 0 ? "partial" : "fail", n, req->errors->str);
  reply_json (req->msg, n == 0 && req->n_errors > 0 ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_OK,
              json->str);
  soup_server_message_unpause (req->msg);
}

static void kick_commit (SegLiveIngest *self);

static void
committed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SegLiveIngest *self = SEG_LIVE_INGEST (source);
  g_autoptr(GPtrArray) group = user_data;
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  /* In arrival order: the engine sees the records as they were posted. */
  for (guint r = 0; r < group->len; r++)
    {
      Request *req = g_ptr_array_index (group, r);
      GError *e = error != NULL ? error : req->commit_error;

      if (e != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("the events could not be stored: %s"), e->message);
          reply_error (req->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, message);
          soup_server_message_unpause (req->msg);
        }
      else
        finish_request (req);
    }
  self->committing = FALSE;
  kick_commit (self);
}

static void
kick_commit (SegLiveIngest *self)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *group;

  if (self->committing || self->waiting.length == 0)
    return;
  group = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  while (self->waiting.length > 0)
    g_ptr_array_add (group, g_queue_pop_head (&self->waiting));
  self->committing = TRUE;
  g_debug ("committing %u requests together", group->len);
  task = g_task_new (self, self->cancellable, committed_cb, group);
  g_task_set_source_tag (task, kick_commit);
  g_task_set_task_data (task, group, NULL);
  g_task_run_in_thread (task, commit_thread);
}

static void
parsed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *req = user_data;
  SegLiveIngest *self = req->self;

  if (req->fail_message != NULL)
    {
      reply_error (req->msg, req->fail_status, req->fail_message);
      soup_server_message_unpause (req->msg);
    }
  else if (req->store == NULL || seg_live_batch_get_length (req->batch) == 0)
    finish_request (req);
  else
    {
      /* Persisted before it is acknowledged: the reply waits for the commit. */
      g_queue_push_tail (&self->waiting, req);
      kick_commit (self);
      return;
    }
  request_free (req);
}

static gboolean
authorized (SegLiveIngest     *self,
            SoupServerMessage *msg)
{
  const char *auth;

  if (self->token == NULL)
    return TRUE;
  auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  if (auth == NULL || !g_str_has_prefix (auth, "Bearer "))
    return FALSE;
  /* Compare in constant time: the token is a password. */
  {
    const char *given = auth + 7;
    gsize a = strlen (given), b = strlen (self->token);
    guint diff = a ^ b;
    for (gsize i = 0; i < a && i < b; i++)
      diff |= (guchar) given[i] ^ (guchar) self->token[i];
    return diff == 0;
  }
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  SegLiveIngest *self = user_data;
  goffset length = soup_message_headers_get_content_length (soup_server_message_get_request_headers (msg));

  /* Refuse early, before the body is read. */
  if (!authorized (self, msg))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, _("a valid bearer token is required"));
    }
  else if (length > 0 && (gsize) length > self->max_bytes)
    reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, _("the request body is too large"));
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SegLiveIngest *self = user_data;
  SoupMessageBody *body;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GTask) task = NULL;
  const char *ctype;
  Request *req;

  if (soup_server_message_get_status (msg) != 0 && soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    return;   /* refused by the early handler */
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("use POST"));
      return;
    }
  if (!authorized (self, msg))
    {
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, _("a valid bearer token is required"));
      return;
    }
  body = soup_server_message_get_request_body (msg);
  bytes = soup_message_body_flatten (body);
  if (g_bytes_get_size (bytes) > self->max_bytes)
    {
      reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, _("the request body is too large"));
      return;
    }

  req = g_new0 (Request, 1);
  req->self = g_object_ref (self);
  req->msg = g_object_ref (msg);
  req->batch = seg_live_batch_new (seg_live_engine_get_timezone (self->engine));
  req->errors = g_string_new (NULL);
  req->body = g_steal_pointer (&bytes);
  req->now_ms = seg_live_clock_get_now (seg_live_engine_get_clock (self->engine));
  req->store = self->store ? g_object_ref (self->store) : NULL;
  ctype = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  req->lines = ctype != NULL && (strstr (ctype, "ndjson") != NULL || strstr (ctype, "jsonl") != NULL ||
                                 strstr (ctype, "json-seq") != NULL);

  soup_server_message_pause (msg);
  /* Not cancellable: the request is answered whatever happens. */
  task = g_task_new (self, NULL, parsed_cb, req);
  g_task_set_source_tag (task, handler_cb);
  g_task_set_task_data (task, req, NULL);
  g_task_run_in_thread (task, parse_thread);
}

static void
seg_live_ingest_dispose (GObject *object)
{
  SegLiveIngest *self = SEG_LIVE_INGEST (object);

  g_cancellable_cancel (self->cancellable);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (seg_live_ingest_parent_class)->dispose (object);
}

static void
seg_live_ingest_finalize (GObject *object)
{
  SegLiveIngest *self = SEG_LIVE_INGEST (object);

  g_free (self->token);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (seg_live_ingest_parent_class)->finalize (object);
}

static void
seg_live_ingest_class_init (SegLiveIngestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seg_live_ingest_dispose;
  object_class->finalize = seg_live_ingest_finalize;
}

static void
seg_live_ingest_init (SegLiveIngest *self)
{
  self->max_bytes = SEG_LIVE_INGEST_DEFAULT_MAX_BYTES;
  self->cancellable = g_cancellable_new ();
}

/**
 * seg_live_ingest_new:
 * @engine: the engine the records go to
 * @store: (nullable): where events are committed before they are acknowledged; %NULL only
 *   for throwaway runs (nothing is stored)
 * @token: (nullable): the bearer token clients must send
 *
 * Returns: (transfer full): an endpoint; call seg_live_ingest_listen()
 */
SegLiveIngest *
seg_live_ingest_new (SegLiveEngine *engine,
                     SegStore      *store,
                     const char    *token)
{
  SegLiveIngest *self = g_object_new (SEG_TYPE_LIVE_INGEST, NULL);

  self->engine = g_object_ref (engine);
  self->store = store ? g_object_ref (store) : NULL;
  self->token = token && *token ? g_strdup (token) : NULL;
  return self;
}

void
seg_live_ingest_set_max_bytes (SegLiveIngest *self,
                               gsize          max_bytes)
{
  g_return_if_fail (SEG_IS_LIVE_INGEST (self));
  self->max_bytes = max_bytes;
}

/**
 * seg_live_ingest_listen:
 * @self: an endpoint
 * @address: (nullable): the address to bind, "127.0.0.1" when %NULL
 * @port: the port, 0 for any free one
 * @error: return location for an error
 *
 * Returns: %FALSE if the address cannot be bound, or is not a loopback address and no
 *   token was given
 */
gboolean
seg_live_ingest_listen (SegLiveIngest  *self,
                        const char     *address,
                        guint           port,
                        GError        **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sa = NULL;
  g_autoptr(GSList) uris = NULL;

  g_return_val_if_fail (SEG_IS_LIVE_INGEST (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  inet = g_inet_address_new_from_string (address ? address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address"), address);
      return FALSE;
    }
  if (!g_inet_address_get_is_loopback (inet) && self->token == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("listening on %s, reachable from other machines, needs a bearer token"),
                   address);
      return FALSE;
    }
  self->server = soup_server_new ("server-header", "segment-studio-ingest ", NULL);
  soup_server_add_early_handler (self->server, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->server, "/1/upload", handler_cb, self, NULL);
  soup_server_add_handler (self->server, "/ingest", handler_cb, self, NULL);
  sa = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->server, sa, 0, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  uris = soup_server_get_uris (self->server);
  self->port = uris ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return TRUE;
}

guint
seg_live_ingest_get_port (SegLiveIngest *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_INGEST (self), 0);
  return self->port;
}

guint64
seg_live_ingest_get_n_records (SegLiveIngest *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_INGEST (self), 0);
  return self->n_records;
}
