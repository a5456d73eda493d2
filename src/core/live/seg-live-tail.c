/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-tail"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seg-live-batch.h"
#include "seg-live-tail.h"

#define READ_SIZE (64 * 1024)
#define MAX_LINE  (1024 * 1024)

struct _SegLiveTail
{
  GObject           parent_instance;

  SegLiveEngine    *engine;
  GFile            *file;
  gboolean          from_start;
  GFileMonitor     *monitor;
  GCancellable     *cancellable;

  GFileInputStream *stream;
  guint64           inode;
  goffset           offset;
  GByteArray       *partial;      /* the start of a line whose newline has not come yet */
  gboolean          skipping;     /* inside an over-long line */
  SegLiveBatch     *batch;

  gboolean          reading;
  gboolean          again;        /* the file changed while a read was running */
  gboolean          draining;     /* reading the replaced file to its end */
  guint64           line_number;
  guint64           n_records;
  guint64           n_rejected;
};

enum
{
  LINE_REJECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SegLiveTail, seg_live_tail, G_TYPE_OBJECT)

static void check_file (SegLiveTail *self);

static void
process_line (SegLiveTail *self,
              const char  *line,
              gsize        len)
{
  g_autoptr(GError) error = NULL;

  self->line_number++;
  if (len > 0 && line[len - 1] == '\r')
    len--;
  if (len == 0)
    return;
  seg_live_batch_clear (self->batch);
  if (!seg_live_batch_add_line (self->batch, line, len,
                                seg_live_clock_get_now (seg_live_engine_get_clock (self->engine)),
                                &error))
    {
      self->n_rejected++;
      g_signal_emit (self, signals[LINE_REJECTED], 0, self->line_number, error->message);
      return;
    }
  self->n_records++;
  seg_live_engine_push (self->engine, seg_live_batch_get (self->batch, 0));
}

static void
process_data (SegLiveTail *self,
              const char  *data,
              gsize        len)
{
  const char *p = data, *end = data + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      if (nl == NULL)
        {
          if (!self->skipping)
            g_byte_array_append (self->partial, (const guint8 *) p, end - p);
          if (self->partial->len > MAX_LINE)
            {
              /* Not a line anyone means: drop it up to its newline. */
              self->skipping = TRUE;
              g_byte_array_set_size (self->partial, 0);
            }
          return;
        }
      if (self->skipping)
        {
          self->skipping = FALSE;
          self->line_number++;
          self->n_rejected++;
          g_signal_emit (self, signals[LINE_REJECTED], 0, self->line_number, _("the line is too long"));
        }
      else if (self->partial->len > 0)
        {
          g_byte_array_append (self->partial, (const guint8 *) p, nl - p);
          process_line (self, (const char *) self->partial->data, self->partial->len);
          g_byte_array_set_size (self->partial, 0);
        }
      else
        process_line (self, p, nl - p);
      p = nl + 1;
    }
}

static guint64
stream_inode (GFileInputStream *stream)
{
  g_autoptr(GFileInfo) info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_UNIX_INODE, NULL, NULL);

  return info ? g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_UNIX_INODE) : 0;
}

static gboolean
open_file (SegLiveTail *self,
           gboolean     at_end,
           GError     **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (self->file, NULL, error);

  if (stream == NULL)
    return FALSE;
  g_clear_object (&self->stream);
  self->stream = g_steal_pointer (&stream);
  self->inode = stream_inode (self->stream);
  self->offset = 0;
  g_byte_array_set_size (self->partial, 0);
  self->skipping = FALSE;
  if (at_end)
    {
      if (!g_seekable_seek (G_SEEKABLE (self->stream), 0, G_SEEK_END, NULL, error))
        return FALSE;
      self->offset = g_seekable_tell (G_SEEKABLE (self->stream));
    }
  return TRUE;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SegLiveTail) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (bytes == NULL)
    {
      self->reading = FALSE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("tail %s: %s", g_file_peek_path (self->file), error->message);
      return;
    }
  if (G_INPUT_STREAM (source) != G_INPUT_STREAM (self->stream))
    {
      self->reading = FALSE;
      return;
    }
  if (g_bytes_get_size (bytes) > 0)
    {
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);
      self->offset += len;
      process_data (self, data, len);
      g_input_stream_read_bytes_async (G_INPUT_STREAM (self->stream), READ_SIZE, G_PRIORITY_DEFAULT,
                                       self->cancellable, read_cb, g_object_ref (self));
      return;
    }
  /* End of what is there: see whether the file was replaced or truncated meanwhile. */
  self->reading = FALSE;
  check_file (self);
}

static void
start_read (SegLiveTail *self)
{
  self->reading = TRUE;
  self->again = FALSE;
  g_input_stream_read_bytes_async (G_INPUT_STREAM (self->stream), READ_SIZE, G_PRIORITY_DEFAULT,
                                   self->cancellable, read_cb, g_object_ref (self));
}

/* Called when the monitor says something happened and after each read reaches the end. */
static void
check_file (SegLiveTail *self)
{
  g_autoptr(GFileInfo) info = NULL;
  guint64 inode;
  goffset size;

  if (self->reading)
    {
      self->again = TRUE;
      return;
    }
  info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_UNIX_INODE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info == NULL)
    {
      /* Renamed away and not yet replaced: what the old file still receives is read. */
      if (self->stream != NULL && self->again)
        start_read (self);
      return;
    }
  inode = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_UNIX_INODE);
  size = g_file_info_get_size (info);
  g_debug ("check: inode %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " size %" G_GINT64_FORMAT " offset %" G_GINT64_FORMAT " again %d",
           inode, self->inode, (gint64) size, (gint64) self->offset, self->again);

  if (self->stream != NULL && inode != self->inode && !self->draining)
    {
      /* Read what the old file still holds before turning to the new one; the read's
       * end comes back here with draining set. */
      self->draining = TRUE;
      start_read (self);
      return;
    }
  self->draining = FALSE;
  if (self->stream == NULL || inode != self->inode)
    {
      g_autoptr(GError) error = NULL;
      /* Rotation: the old file was read to its end just now; the new one from its start. */
      if (self->stream != NULL && self->partial->len > 0)
        {
          process_line (self, (const char *) self->partial->data, self->partial->len);
          g_byte_array_set_size (self->partial, 0);
        }
      if (!open_file (self, FALSE, &error))
        {
          g_warning ("tail %s: %s", g_file_peek_path (self->file), error->message);
          return;
        }
      start_read (self);
      return;
    }
  if (size < self->offset)
    {
      /* Truncated: start over. */
      g_seekable_seek (G_SEEKABLE (self->stream), 0, G_SEEK_SET, NULL, NULL);
      self->offset = 0;
      g_byte_array_set_size (self->partial, 0);
      self->skipping = FALSE;
      start_read (self);
      return;
    }
  if (size > self->offset || self->again)
    start_read (self);
}

static void
changed_cb (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other,
            GFileMonitorEvent  event,
            SegLiveTail       *self)
{
  g_debug ("event %d on %s", event, g_file_peek_path (file));
  check_file (self);
}

static void
seg_live_tail_dispose (GObject *object)
{
  SegLiveTail *self = SEG_LIVE_TAIL (object);

  g_cancellable_cancel (self->cancellable);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
    }
  g_clear_object (&self->monitor);
  g_clear_object (&self->stream);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (seg_live_tail_parent_class)->dispose (object);
}

static void
seg_live_tail_finalize (GObject *object)
{
  SegLiveTail *self = SEG_LIVE_TAIL (object);

  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_byte_array_unref (self->partial);
  g_clear_pointer (&self->batch, seg_live_batch_free);

  G_OBJECT_CLASS (seg_live_tail_parent_class)->finalize (object);
}

static void
seg_live_tail_class_init (SegLiveTailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seg_live_tail_dispose;
  object_class->finalize = seg_live_tail_finalize;

  signals[LINE_REJECTED] =
    g_signal_new ("line-rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_STRING);
}

static void
seg_live_tail_init (SegLiveTail *self)
{
  self->cancellable = g_cancellable_new ();
  self->partial = g_byte_array_new ();
}

/**
 * seg_live_tail_new:
 * @engine: the engine the records go to
 * @path: the JSON-lines file
 * @from_start: read what the file already holds, rather than only what is appended
 *
 * Returns: (transfer full): a tail; call seg_live_tail_start()
 */
SegLiveTail *
seg_live_tail_new (SegLiveEngine *engine,
                   const char    *path,
                   gboolean       from_start)
{
  SegLiveTail *self = g_object_new (SEG_TYPE_LIVE_TAIL, NULL);

  self->engine = g_object_ref (engine);
  self->file = g_file_new_for_path (path);
  self->from_start = from_start;
  self->batch = seg_live_batch_new (seg_live_engine_get_timezone (engine));
  return self;
}

/**
 * seg_live_tail_start:
 * @self: a tail
 * @error: return location for an error
 *
 * Starts following the file; it need not exist yet.
 *
 * Returns: %FALSE if the file cannot be watched
 */
gboolean
seg_live_tail_start (SegLiveTail  *self,
                     GError      **error)
{
  g_autoptr(GError) open_error = NULL;

  g_return_val_if_fail (SEG_IS_LIVE_TAIL (self), FALSE);
  g_return_val_if_fail (self->monitor == NULL, FALSE);

  self->monitor = g_file_monitor_file (self->file, G_FILE_MONITOR_WATCH_MOVES, self->cancellable, error);
  if (self->monitor == NULL)
    return FALSE;
  g_file_monitor_set_rate_limit (self->monitor, 20);
  g_signal_connect (self->monitor, "changed", G_CALLBACK (changed_cb), self);
  if (open_file (self, !self->from_start, &open_error))
    start_read (self);
  else if (!g_error_matches (open_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&open_error));
      return FALSE;
    }
  return TRUE;
}

guint64
seg_live_tail_get_n_records (SegLiveTail *self)
{
  return self->n_records;
}

guint64
seg_live_tail_get_n_rejected (SegLiveTail *self)
{
  return self->n_rejected;
}
