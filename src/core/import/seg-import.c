/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-import"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-digest-input-stream.h"
#include "seg-gunzip-input-stream.h"
#include "seg-import.h"
#include "seg-import-summary-private.h"
#include "seg-importer-registry.h"
#include "seg-invoke.h"

#define PROGRESS_INTERVAL_US (100 * 1000)

struct _SegImport
{
  GObject           parent_instance;

  GFile            *file;
  SegStoreWriter   *writer;
  SegImporter      *importer;
  SegImportPolicy   policy;
  GTimeZone        *timezone;
  char             *event_name;
  SegImportMapping *mapping;
  SegImportSummary *summary;
  gboolean          running;
  gboolean          check_first;
  gboolean          timezone_set;

  /* Worker thread state. */
  GMainContext         *main_context;   /* NULL: emit progress in the reading thread */
  GThread              *home;           /* the thread that lives in main_context */
  SegDigestInputStream *digest;
  guint64               total_bytes;
  gint64                started_us;
  gint64                last_progress_us;
};

G_DEFINE_FINAL_TYPE (SegImport, seg_import, G_TYPE_OBJECT)

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
seg_import_finalize (GObject *object)
{
  SegImport *self = (SegImport *) object;

  g_clear_object (&self->file);
  g_clear_object (&self->writer);
  g_clear_object (&self->importer);
  g_clear_pointer (&self->timezone, g_time_zone_unref);
  g_clear_pointer (&self->event_name, g_free);
  g_clear_object (&self->mapping);
  g_clear_object (&self->summary);

  G_OBJECT_CLASS (seg_import_parent_class)->finalize (object);
}

static void
seg_import_class_init (SegImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_import_finalize;

  /**
   * SegImport::progress:
   * @rows: rows read so far
   * @bytes: bytes of the file read so far (compressed bytes for a gzip file)
   * @total_bytes: the file's size, 0 if unknown
   * @rows_per_second: the rate so far
   * @seconds_left: an estimate of the time left, negative if unknown
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_UINT64, G_TYPE_UINT64, G_TYPE_UINT64, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
seg_import_init (SegImport *self)
{
  self->timezone = g_time_zone_new_utc ();
}

/**
 * seg_import_new:
 * @file: the file to import
 * @writer: (nullable): where records go; %NULL only counts them (a dry run)
 *
 * Returns: (transfer full): a new import
 */
SegImport *
seg_import_new (GFile          *file,
                SegStoreWriter *writer)
{
  SegImport *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (writer == NULL || SEG_IS_STORE_WRITER (writer), NULL);

  self = g_object_new (SEG_TYPE_IMPORT, NULL);
  self->file = g_object_ref (file);
  self->writer = writer ? g_object_ref (writer) : NULL;
  return self;
}

GFile *
seg_import_get_file (SegImport *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT (self), NULL);
  return self->file;
}

SegStoreWriter *
seg_import_get_writer (SegImport *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT (self), NULL);
  return self->writer;
}

/**
 * seg_import_get_importer:
 *
 * Returns: (transfer none) (nullable): the reader given or detected
 */
SegImporter *
seg_import_get_importer (SegImport *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT (self), NULL);
  return self->importer;
}

/**
 * seg_import_set_importer:
 * @importer: (nullable): a configured reader; %NULL to detect the format
 */
void
seg_import_set_importer (SegImport   *self,
                         SegImporter *importer)
{
  g_return_if_fail (SEG_IS_IMPORT (self));
  g_return_if_fail (!self->running);
  g_set_object (&self->importer, importer);
}

void
seg_import_set_policy (SegImport       *self,
                       SegImportPolicy  policy)
{
  g_return_if_fail (SEG_IS_IMPORT (self));
  self->policy = policy;
}

/**
 * seg_import_set_check_first:
 * @check_first: whether to fingerprint the file before reading it
 *
 * By default the file's SHA-256 is computed while it is read, and the writer hears of it
 * (begin_source) after the last record, before commit: one pass over the bytes. With
 * @check_first, a first pass computes it and begin_source() comes before any record, so
 * that a file imported before is not parsed at all (what the assistant wants for files a
 * user may drop twice); it costs a second read of the file.
 */
void
seg_import_set_check_first (SegImport *self,
                            gboolean   check_first)
{
  g_return_if_fail (SEG_IS_IMPORT (self));
  self->check_first = !!check_first;
}

/**
 * seg_import_set_timezone:
 *
 * The timezone of times without an offset; like the event name and the mapping, it is
 * given to the reader, detected or set with seg_import_set_importer().
 */
void
seg_import_set_timezone (SegImport *self,
                         GTimeZone *tz)
{
  g_return_if_fail (SEG_IS_IMPORT (self));
  g_clear_pointer (&self->timezone, g_time_zone_unref);
  self->timezone = tz ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
  self->timezone_set = TRUE;
}

void
seg_import_set_event_name (SegImport  *self,
                           const char *event_name)
{
  g_return_if_fail (SEG_IS_IMPORT (self));
  g_free (self->event_name);
  self->event_name = g_strdup (event_name);
}

void
seg_import_set_mapping (SegImport        *self,
                        SegImportMapping *mapping)
{
  g_return_if_fail (SEG_IS_IMPORT (self));
  g_set_object (&self->mapping, mapping);
}

/**
 * seg_import_get_summary:
 *
 * Returns: (transfer none) (nullable): what the last run did, also after a failure
 */
SegImportSummary *
seg_import_get_summary (SegImport *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT (self), NULL);
  return self->summary;
}

/**
 * seg_import_open_stream:
 * @raw: the bytes of a file
 * @gzipped: (out) (optional): whether the content was gzip-compressed
 *
 * Returns: (transfer full): the text of @raw, decompressed when it starts with the gzip
 *   magic bytes
 */
GInputStream *
seg_import_open_stream (GInputStream  *raw,
                        gboolean      *gzipped,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GInputStream) buffered = g_buffered_input_stream_new_sized (raw, 16 * 1024);
  gsize avail = 0;
  const guint8 *peek;

  while ((avail = g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (buffered))) < 2)
    {
      gssize n = g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered), -1, cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
    }

  peek = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &avail);
  if (avail >= 2 && peek[0] == 0x1f && peek[1] == 0x8b)
    {
      if (gzipped)
        *gzipped = TRUE;
      return seg_gunzip_input_stream_new (buffered);
    }
  if (gzipped)
    *gzipped = FALSE;
  return g_steal_pointer (&buffered);
}

/**
 * seg_import_read_head:
 * @len: (out): the number of bytes returned
 *
 * Returns: (transfer full): the first %SEG_IMPORTER_SNIFF_SIZE bytes of the file's
 *   (decompressed) text, NUL-terminated
 */
char *
seg_import_read_head (GFile         *file,
                      gsize         *len,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GFileInputStream) raw = NULL;
  g_autoptr(GInputStream) text = NULL;
  g_autofree char *head = g_malloc (SEG_IMPORTER_SNIFF_SIZE + 1);
  gsize n = 0;
  GError *local_error = NULL;

  raw = g_file_read (file, cancellable, error);
  if (raw == NULL)
    return NULL;
  text = seg_import_open_stream (G_INPUT_STREAM (raw), NULL, cancellable, error);
  if (text == NULL)
    return NULL;
  if (!g_input_stream_read_all (text, head, SEG_IMPORTER_SNIFF_SIZE, &n, cancellable, &local_error))
    {
      /* A gzip file cut short still has a readable head. */
      if (n == 0)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      g_clear_error (&local_error);
    }
  head[n] = '\0';
  *len = n;
  return g_steal_pointer (&head);
}

/**
 * seg_import_detect:
 *
 * Blocking: reads the head of @file and asks each reader.
 *
 * Returns: (transfer full): a new reader for the file's format
 */
SegImporter *
seg_import_detect (GFile         *file,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *head = NULL;
  g_autofree char *base = g_file_get_basename (file);
  SegImporter *importer;
  gsize len = 0;

  head = seg_import_read_head (file, &len, cancellable, error);
  if (head == NULL)
    return NULL;
  importer = seg_importer_registry_detect (base, head, len, NULL);
  if (importer == NULL)
    g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_UNKNOWN_FORMAT,
                 _("The format of “%s” is not one Segment Studio reads"), base);
  return importer;
}

typedef struct
{
  SegImport *self;
  guint64    rows;
  guint64    bytes;
  guint64    total;
  double     rate;
  double     left;
} Progress;

static gboolean
emit_progress_cb (gpointer data)
{
  Progress *p = data;

  g_signal_emit (p->self, signals[PROGRESS], 0, p->rows, p->bytes, p->total, p->rate, p->left);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *p = data;

  g_object_unref (p->self);
  g_free (p);
}

static void
report_progress (SegImport *self,
                 guint64    rows,
                 gboolean   force)
{
  gint64 now = g_get_monotonic_time ();
  Progress *p;
  double elapsed;

  if (!force && now - self->last_progress_us < PROGRESS_INTERVAL_US)
    return;
  self->last_progress_us = now;

  p = g_new0 (Progress, 1);
  p->self = g_object_ref (self);
  p->rows = rows;
  p->bytes = seg_digest_input_stream_get_bytes (self->digest);
  p->total = self->total_bytes;
  elapsed = (now - self->started_us) / (double) G_USEC_PER_SEC;
  p->rate = elapsed > 0 ? rows / elapsed : 0;
  p->left = -1;
  if (p->total > 0 && p->bytes > 0 && elapsed > 0)
    p->left = MAX (0.0, elapsed * ((double) p->total / p->bytes - 1.0));

  if (self->main_context != NULL)
    seg_invoke (self->main_context, self->home, G_PRIORITY_DEFAULT, emit_progress_cb, p, progress_free);
  else
    {
      emit_progress_cb (p);
      progress_free (p);
    }
}

static void
sink_progress_cb (guint64  rows,
                  guint64  bytes,
                  gpointer user_data)
{
  report_progress (user_data, rows, FALSE);
}

typedef struct
{
  SegImport *self;
} RecordData;

static gboolean
record_cb (const SegRecord  *record,
           gpointer          user_data,
           GError          **error)
{
  SegImport *self = user_data;

  seg_import_summary_count (self->summary, record);
  if (self->writer != NULL)
    return seg_store_writer_add (self->writer, record, error);
  return TRUE;
}

static gboolean
record_hashed_cb (const SegRecord        *record,
                  const SegRecordHashes  *hashes,
                  gpointer                user_data,
                  GError                **error)
{
  SegImport *self = user_data;

  return seg_store_writer_add_hashed (self->writer, record, hashes, error);
}

static void
record_observe_cb (const SegRecord *record,
                   gpointer         user_data)
{
  SegImport *self = user_data;

  seg_import_summary_count (self->summary, record);
}

static void
record_prefetch_cb (const SegRecordHashes *hashes,
                    gpointer               user_data)
{
  SegImport *self = user_data;

  seg_store_writer_prefetch (self->writer, hashes);
}

static char *
hash_file (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) raw = g_file_read (file, cancellable, error);
  g_autoptr(GInputStream) digest = NULL;

  if (raw == NULL)
    return NULL;
  digest = seg_digest_input_stream_new (G_INPUT_STREAM (raw));
  return seg_digest_input_stream_finish (SEG_DIGEST_INPUT_STREAM (digest), cancellable, error);
}

static SegImportSummary *
run_in_thread (SegImport     *self,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GFileInputStream) raw = NULL;
  g_autoptr(GInputStream) digest = NULL;
  g_autoptr(GInputStream) text = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(SegImportSink) sink = NULL;
  g_autofree char *base = g_file_get_basename (self->file);
  g_autofree char *fingerprint = NULL;
  gboolean already = FALSE;
  gboolean ok;

  self->started_us = g_get_monotonic_time ();
  self->last_progress_us = 0;
  self->digest = NULL;

  if (self->importer == NULL)
    {
      self->importer = seg_import_detect (self->file, cancellable, error);
      if (self->importer == NULL)
        return NULL;
      seg_importer_set_timezone (self->importer, self->timezone);
    }
  else if (self->timezone_set)
    seg_importer_set_timezone (self->importer, self->timezone);
  /* Options given to the import apply to a forced reader too. */
  if (self->event_name != NULL)
    seg_importer_set_event_name (self->importer, self->event_name);
  if (self->mapping != NULL)
    seg_importer_set_mapping (self->importer, self->mapping);
  if (seg_importer_get_file_name (self->importer) == NULL)
    seg_importer_set_file_name (self->importer, base);

  g_clear_object (&self->summary);
  self->summary = seg_import_summary_new (seg_importer_get_id (self->importer), base);

  info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  self->total_bytes = info ? g_file_info_get_size (info) : 0;

  if (self->check_first && self->writer != NULL)
    {
      /* A pass over the bytes first, so that a file imported before is not read at all. */
      fingerprint = hash_file (self->file, cancellable, error);
      if (fingerprint == NULL ||
          !seg_store_writer_begin_source (self->writer, fingerprint, &already, error))
        goto fail;
      if (already)
        {
          seg_store_writer_abort (self->writer);
          seg_import_summary_set_result (self->summary, fingerprint, TRUE, FALSE, self->total_bytes,
                                         (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC);
          return g_object_ref (self->summary);
        }
    }

  raw = g_file_read (self->file, cancellable, error);
  if (raw == NULL)
    goto fail;
  digest = seg_digest_input_stream_new (G_INPUT_STREAM (raw));
  self->digest = SEG_DIGEST_INPUT_STREAM (digest);
  text = seg_import_open_stream (digest, NULL, cancellable, error);
  if (text == NULL)
    goto fail;

  sink = seg_import_sink_new (base, record_cb, self);
  seg_import_sink_set_policy (sink, self->policy);
  seg_import_sink_set_progress_func (sink, sink_progress_cb, self);
  /* Parsing and writing overlap: a second thread adds the records to the store. */
  if (self->writer != NULL && seg_store_writer_can_add_hashed (self->writer))
    seg_import_sink_set_pipeline (sink, record_observe_cb, record_hashed_cb, record_prefetch_cb, self);

  ok = seg_importer_read (self->importer, text, sink, cancellable, error);
  g_debug ("read in %.3f s", (g_get_monotonic_time () - self->started_us) / 1e6);
  if (ok)
    {
      ok = seg_import_sink_drain (sink, TRUE, error);
      g_debug ("written in %.3f s", (g_get_monotonic_time () - self->started_us) / 1e6);
    }
  else
    {
      GError *writer_error = NULL;

      if (!seg_import_sink_drain (sink, FALSE, &writer_error))
        {
          g_clear_error (error);
          g_propagate_error (error, writer_error);
        }
    }
  seg_import_summary_take_sink (self->summary, sink);
  if (!ok)
    goto fail;

  /* Everything was read: the fingerprint is complete. */
  {
    g_autofree char *streamed = seg_digest_input_stream_finish (self->digest, cancellable, error);

    if (streamed == NULL)
      goto fail;
    if (fingerprint != NULL && !g_str_equal (fingerprint, streamed))
      {
        g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_DATA,
                     _("“%s” changed while it was being imported"), base);
        goto fail;
      }
    if (fingerprint == NULL)
      fingerprint = g_steal_pointer (&streamed);
  }
  report_progress (self, seg_import_sink_get_rows_read (sink), TRUE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  if (self->writer != NULL)
    {
      if (!self->check_first &&
          !seg_store_writer_begin_source (self->writer, fingerprint, &already, error))
        goto fail;
      if (already)
        seg_store_writer_abort (self->writer);
      else if (!seg_store_writer_commit (self->writer, cancellable, error))
        goto fail;
    }

  seg_import_summary_set_result (self->summary, fingerprint, already,
                                 self->writer != NULL && !already,
                                 seg_digest_input_stream_get_bytes (self->digest),
                                 (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC);
  self->digest = NULL;
  return g_object_ref (self->summary);

fail:
  if (self->writer != NULL)
    seg_store_writer_abort (self->writer);
  if (self->summary != NULL)
    seg_import_summary_set_result (self->summary, NULL, FALSE, FALSE,
                                   self->digest ? seg_digest_input_stream_get_bytes (self->digest) : 0,
                                   (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC);
  self->digest = NULL;
  return NULL;
}

static void
run_thread_cb (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SegImport *self = source_object;
  GError *error = NULL;
  SegImportSummary *summary = run_in_thread (self, cancellable, &error);

  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, g_object_unref);
}

/**
 * seg_import_run_async:
 *
 * Runs the import on a worker thread. The writer must not be used by anyone else until
 * the import finishes.
 */
void
seg_import_run_async (SegImport           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEG_IS_IMPORT (self));
  g_return_if_fail (!self->running);

  self->running = TRUE;
  self->main_context = g_main_context_ref_thread_default ();
  self->home = seg_invoke_home ();
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_import_run_async);
  g_task_run_in_thread (task, run_thread_cb);
}

/**
 * seg_import_run_finish:
 *
 * Returns: (transfer full): the summary, or %NULL with @error set (then the store is as
 *   it was, and seg_import_get_summary() tells which rows were read and rejected)
 */
SegImportSummary *
seg_import_run_finish (SegImport     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (SEG_IS_IMPORT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seg_import_run_async, NULL);

  self->running = FALSE;
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->home, g_thread_unref);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * seg_import_run:
 *
 * Runs the import in the calling thread (segctl); progress is emitted in this thread.
 *
 * Returns: (transfer full): the summary, or %NULL with @error set
 */
SegImportSummary *
seg_import_run (SegImport     *self,
                GCancellable  *cancellable,
                GError       **error)
{
  SegImportSummary *summary;

  g_return_val_if_fail (SEG_IS_IMPORT (self), NULL);
  g_return_val_if_fail (!self->running, NULL);

  self->running = TRUE;
  self->main_context = NULL;
  summary = run_in_thread (self, cancellable, error);
  self->running = FALSE;
  return summary;
}
