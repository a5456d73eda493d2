/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-import-sink"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-import-sink.h"

#define PROGRESS_EVERY 8192

struct _SegImportSink
{
  char                  *file_name;
  SegRecordFunc          func;
  gpointer               user_data;
  SegImportProgressFunc  progress_func;
  gpointer               progress_data;
  SegImportPolicy        policy;
  guint64                rows;
  guint64                records;
  guint64                rejected;
  GPtrArray             *bad_rows;
  GPtrArray             *identities;
  GPtrArray             *identity_types;
  GHashTable            *identity_set;
};

G_DEFINE_QUARK (seg-import-error-quark, seg_import_error)

G_DEFINE_BOXED_TYPE (SegImportBadRow, seg_import_bad_row,
                     seg_import_bad_row_copy, seg_import_bad_row_free)

SegImportBadRow *
seg_import_bad_row_copy (const SegImportBadRow *row)
{
  SegImportBadRow *copy = g_new0 (SegImportBadRow, 1);

  copy->file = g_strdup (row->file);
  copy->line = row->line;
  copy->reason = g_strdup (row->reason);
  return copy;
}

void
seg_import_bad_row_free (SegImportBadRow *row)
{
  if (row == NULL)
    return;
  g_free (row->file);
  g_free (row->reason);
  g_free (row);
}

/**
 * seg_import_sink_new:
 * @file_name: the name bad rows are reported against
 * @func: (nullable): receives each record
 */
SegImportSink *
seg_import_sink_new (const char    *file_name,
                     SegRecordFunc  func,
                     gpointer       user_data)
{
  SegImportSink *sink = g_new0 (SegImportSink, 1);

  sink->file_name = g_strdup (file_name ? file_name : "-");
  sink->func = func;
  sink->user_data = user_data;
  sink->bad_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_import_bad_row_free);
  sink->identities = g_ptr_array_new_with_free_func (g_free);
  sink->identity_types = g_ptr_array_new_with_free_func (g_free);
  sink->identity_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return sink;
}

void
seg_import_sink_free (SegImportSink *sink)
{
  if (sink == NULL)
    return;
  g_free (sink->file_name);
  g_ptr_array_unref (sink->bad_rows);
  g_hash_table_unref (sink->identity_set);
  g_ptr_array_unref (sink->identities);
  g_ptr_array_unref (sink->identity_types);
  g_free (sink);
}

void
seg_import_sink_set_policy (SegImportSink   *sink,
                            SegImportPolicy  policy)
{
  sink->policy = policy;
}

void
seg_import_sink_set_progress_func (SegImportSink         *sink,
                                   SegImportProgressFunc  func,
                                   gpointer               user_data)
{
  sink->progress_func = func;
  sink->progress_data = user_data;
}

const char *
seg_import_sink_get_file_name (SegImportSink *sink)
{
  return sink->file_name;
}

/**
 * seg_import_sink_emit:
 *
 * Hands a record on. Returns %FALSE with @error set when the receiver stops the import.
 */
gboolean
seg_import_sink_emit (SegImportSink    *sink,
                      const SegRecord  *record,
                      GError          **error)
{
  g_return_val_if_fail (record->user_id != NULL && record->user_id[0] != '\0', FALSE);

  sink->records++;
  if (sink->func != NULL)
    return sink->func (record, sink->user_data, error);
  return TRUE;
}

/**
 * seg_import_sink_reject:
 * @line: the line of the file where the row starts, from 1
 * @reason: why the row cannot be read, a full sentence for the user
 *
 * Reports a bad row. Returns %FALSE with @error set when the policy is to stop.
 */
gboolean
seg_import_sink_reject (SegImportSink  *sink,
                        guint64         line,
                        const char     *reason,
                        GError        **error)
{
  sink->rejected++;
  if (sink->bad_rows->len < SEG_IMPORT_MAX_BAD_ROWS)
    {
      SegImportBadRow *row = g_new0 (SegImportBadRow, 1);

      row->file = g_strdup (sink->file_name);
      row->line = line;
      row->reason = g_strdup (reason);
      g_ptr_array_add (sink->bad_rows, row);
    }

  if (sink->policy == SEG_IMPORT_POLICY_STOP)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_BAD_ROW,
                   _("%s, line %" G_GUINT64_FORMAT ": %s"), sink->file_name, line, reason);
      return FALSE;
    }
  return TRUE;
}

gboolean
seg_import_sink_rejectf (SegImportSink  *sink,
                         guint64         line,
                         GError        **error,
                         const char     *format,
                         ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  return seg_import_sink_reject (sink, line, reason, error);
}

/**
 * seg_import_sink_row:
 * @bytes: text bytes read so far
 *
 * Counts one row read (good or bad) and reports progress now and then.
 */
void
seg_import_sink_row (SegImportSink *sink,
                     guint64        bytes)
{
  sink->rows++;
  if (G_UNLIKELY (sink->rows % PROGRESS_EVERY == 0) && sink->progress_func != NULL)
    sink->progress_func (sink->rows, bytes, sink->progress_data);
}

void
seg_import_sink_finish (SegImportSink *sink,
                        guint64        bytes)
{
  if (sink->progress_func != NULL)
    sink->progress_func (sink->rows, bytes, sink->progress_data);
}

/**
 * seg_import_sink_add_identity:
 * @type: (nullable): what the value identifies the user by ("identity", "email", ...),
 *   lower-case
 * @identity: the value
 *
 * Adds a member of a custom list; a repeated (type, value) is kept once, in first-seen
 * order.
 */
void
seg_import_sink_add_identity (SegImportSink *sink,
                              const char    *type,
                              const char    *identity)
{
  g_autofree char *lower = g_ascii_strdown (type ? type : "identity", -1);
  char *key;

  if (identity == NULL || identity[0] == '\0')
    return;
  key = g_strconcat (lower, "\x1f", identity, NULL);
  if (g_hash_table_contains (sink->identity_set, key))
    {
      g_free (key);
      return;
    }
  g_hash_table_add (sink->identity_set, key);
  g_ptr_array_add (sink->identities, g_strdup (identity));
  g_ptr_array_add (sink->identity_types, g_steal_pointer (&lower));
}

guint64
seg_import_sink_get_rows_read (SegImportSink *sink)
{
  return sink->rows;
}

guint64
seg_import_sink_get_records (SegImportSink *sink)
{
  return sink->records;
}

guint64
seg_import_sink_get_rejected (SegImportSink *sink)
{
  return sink->rejected;
}

/**
 * seg_import_sink_get_bad_rows:
 *
 * Returns: (transfer none) (element-type SegImportBadRow): the first bad rows
 */
GPtrArray *
seg_import_sink_get_bad_rows (SegImportSink *sink)
{
  return sink->bad_rows;
}

/**
 * seg_import_sink_get_identities:
 *
 * Returns: (transfer none) (element-type utf8): members of a custom list, if any
 */
GPtrArray *
seg_import_sink_get_identities (SegImportSink *sink)
{
  return sink->identities;
}

/**
 * seg_import_sink_get_identity_types:
 *
 * Returns: (transfer none) (element-type utf8): for each identity, what it is
 */
GPtrArray *
seg_import_sink_get_identity_types (SegImportSink *sink)
{
  return sink->identity_types;
}
