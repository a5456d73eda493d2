/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-access-log"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-import-util.h"
#include "seg-importer-access-log.h"
#include "seg-read-buffer.h"

/*
 * Web server access logs in the combined format shared by Apache and nginx:
 *   host ident user [10/Oct/2000:13:55:36 -0700] "GET /path HTTP/1.1" 200 2326 "referer" "agent"
 * (the common format, without referer and agent, is read too). Each request becomes a
 * "Page Visited" event with url, referrer, status, method, bytes and user_agent. Logs have
 * no user ids: the visitor is the client, a hash of its address and user agent, so that
 * the address itself is not stored.
 */

struct _SegImporterAccessLog
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterAccessLog, seg_importer_access_log, SEG_TYPE_IMPORTER)

typedef struct
{
  char  *p;
  char  *end;
} Cursor;

/* A token up to the next space, NUL-terminated in place. */
static char *
next_token (Cursor *c,
            gsize  *len)
{
  char *start;

  while (c->p < c->end && *c->p == ' ')
    c->p++;
  if (c->p >= c->end)
    return NULL;
  start = c->p;
  while (c->p < c->end && *c->p != ' ')
    c->p++;
  *len = c->p - start;
  if (c->p < c->end)
    *c->p++ = '\0';
  return start;
}

/* A field between delimiters open and close, with backslash escapes kept as they are. */
static char *
next_delimited (Cursor *c,
                char    open,
                char    close,
                gsize  *len)
{
  char *start;

  while (c->p < c->end && *c->p == ' ')
    c->p++;
  if (c->p >= c->end || *c->p != open)
    return NULL;
  start = ++c->p;
  while (c->p < c->end && *c->p != close)
    {
      if (*c->p == '\\' && c->p + 1 < c->end)
        c->p++;
      c->p++;
    }
  if (c->p >= c->end)
    return NULL;
  *len = c->p - start;
  *c->p++ = '\0';
  return start;
}

typedef struct
{
  SegImportSink    *sink;
  SegRecordBuilder  rb;
  SegTimeParser    *time_parser;
  GChecksum        *checksum;
  char              user[24];
} ReadData;

static gboolean
parse_line (ReadData     *d,
            char         *line,
            gsize         len,
            guint64       line_no,
            GError      **error)
{
  Cursor c = { line, line + len };
  char *host, *ident, *auth, *time, *request, *status, *bytes, *referer = NULL, *agent = NULL;
  gsize host_len, l, time_len, request_len, status_len, bytes_len, referer_len = 0, agent_len = 0;
  char *method, *url, *sp;
  gsize url_len;
  double num;
  gint64 ts;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  if (!seg_utf8_ok (line, len))
    return seg_import_sink_reject (d->sink, line_no, _("Not valid UTF-8 text"), error);

  host = next_token (&c, &host_len);
  ident = next_token (&c, &l);
  auth = next_token (&c, &l);
  time = next_delimited (&c, '[', ']', &time_len);
  request = next_delimited (&c, '"', '"', &request_len);
  status = next_token (&c, &status_len);
  bytes = next_token (&c, &bytes_len);
  if (host == NULL || ident == NULL || auth == NULL || time == NULL || request == NULL ||
      status == NULL || bytes == NULL)
    return seg_import_sink_reject (d->sink, line_no, _("Not a combined or common log line"), error);
  referer = next_delimited (&c, '"', '"', &referer_len);
  if (referer != NULL)
    agent = next_delimited (&c, '"', '"', &agent_len);

  if (!seg_time_parser_parse (d->time_parser, time, time_len, &ts))
    return seg_import_sink_rejectf (d->sink, line_no, error, _("Cannot read the time “%.40s”"), time);

  /* "GET /path HTTP/1.1": the url is the second word. */
  method = request;
  sp = memchr (request, ' ', request_len);
  if (sp == NULL)
    return seg_import_sink_reject (d->sink, line_no, _("No request line"), error);
  *sp = '\0';
  url = sp + 1;
  url_len = request + request_len - url;
  sp = memchr (url, ' ', url_len);
  if (sp != NULL)
    {
      *sp = '\0';
      url_len = sp - url;
    }
  if (url_len == 0)
    return seg_import_sink_reject (d->sink, line_no, _("No URL in the request line"), error);

  g_checksum_reset (d->checksum);
  g_checksum_update (d->checksum, (const guchar *) host, host_len);
  g_checksum_update (d->checksum, (const guchar *) "\n", 1);
  if (agent != NULL)
    g_checksum_update (d->checksum, (const guchar *) agent, agent_len);
  g_checksum_get_digest (d->checksum, digest, &digest_len);
  d->user[0] = 'v';
  d->user[1] = '-';
  for (guint i = 0; i < 8; i++)
    {
      static const char hex[] = "0123456789abcdef";
      d->user[2 + 2 * i] = hex[digest[i] >> 4];
      d->user[3 + 2 * i] = hex[digest[i] & 15];
    }
  d->user[18] = '\0';

  seg_record_builder_reset (&d->rb, SEG_RECORD_EVENT);
  d->rb.record.user_id = d->user;
  d->rb.record.event = "Page Visited";
  d->rb.record.ts_ms = ts;
  seg_record_builder_add_string (&d->rb, "url", url, url_len);
  seg_record_builder_add_string (&d->rb, "method", method, strlen (method));
  if (seg_parse_number (status, status_len, &num))
    seg_record_builder_add_number (&d->rb, "status", num);
  if (seg_parse_number (bytes, bytes_len, &num))
    seg_record_builder_add_number (&d->rb, "bytes", num);
  if (referer != NULL && referer_len > 0 && !(referer_len == 1 && referer[0] == '-'))
    seg_record_builder_add_string (&d->rb, "referrer", referer, referer_len);
  if (agent != NULL && agent_len > 0 && !(agent_len == 1 && agent[0] == '-'))
    seg_record_builder_add_string (&d->rb, "user_agent", agent, agent_len);

  return seg_import_sink_emit (d->sink, seg_record_builder_finish (&d->rb), error);
}

static gboolean
seg_importer_access_log_read (SegImporter    *importer,
                              GInputStream   *stream,
                              SegImportSink  *sink,
                              GCancellable   *cancellable,
                              GError        **error)
{
  ReadData d = { sink };
  SegLineReader reader;
  gboolean ret = FALSE;
  char *line;
  gsize len;
  int r;

  seg_record_builder_init (&d.rb);
  d.time_parser = seg_time_parser_new (SEG_TIME_FORMAT_CUSTOM, "%d/%b/%Y:%H:%M:%S %z",
                                       seg_importer_get_timezone (importer));
  d.checksum = g_checksum_new (G_CHECKSUM_SHA256);
  seg_line_reader_init (&reader, stream);

  while ((r = seg_line_reader_next (&reader, &line, &len, cancellable, error)) > 0)
    {
      if (len == 0)
        continue;
      seg_import_sink_row (sink, seg_read_buffer_tell (&reader.buf));
      if (reader.line_no % SEG_IMPORT_CHECK_EVERY == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (!parse_line (&d, line, len, reader.line_no, error))
        goto out;
    }
  if (r < 0)
    goto out;
  seg_import_sink_finish (sink, seg_read_buffer_tell (&reader.buf));
  ret = TRUE;

out:
  seg_line_reader_clear (&reader);
  g_checksum_free (d.checksum);
  seg_time_parser_free (d.time_parser);
  seg_record_builder_clear (&d.rb);
  return ret;
}

static int
seg_importer_access_log_sniff (SegImporter *importer,
                               const char  *file_name,
                               const char  *head,
                               gsize        head_len)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);
  g_autofree char *first = g_strndup (line, len);
  const char *open = strstr (first, " [");
  const char *close = open ? strstr (open, "] \"") : NULL;

  if (len == 0 || first[0] == '{' || first[0] == ' ' || open == NULL || close == NULL)
    return 0;
  /* [dd/Mon/yyyy:hh:mm:ss +zzzz] */
  if (close - open == 28 && open[5] == '/' && open[9] == '/' && open[14] == ':')
    return 85;
  return 30;
}

static void
seg_importer_access_log_class_init (SegImporterAccessLogClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "access-log";
  importer_class->name = N_("Web server access log (Apache/nginx combined)");
  importer_class->sniff = seg_importer_access_log_sniff;
  importer_class->read = seg_importer_access_log_read;
}

static void
seg_importer_access_log_init (SegImporterAccessLog *self)
{
}
