/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-members-export"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-definition.h"
#include "seg-eval-result.h"
#include "seg-members-export.h"

/*
 * Streams a segment's members into a CSV file, a page at a time: each page is one
 * store evaluation (SEG_EVAL_MEMBERS) with "now" pinned to the first answer's, so that
 * the pages join into one consistent list, and each page is written with GIO's async
 * stream API before the next is asked for. Nothing blocks the main loop and memory stays
 * one page whatever the segment's size. "notify::written" reports progress.
 */

#define DEFAULT_PAGE_SIZE 10000

struct _SegMembersExport
{
  GObject          parent_instance;

  SegStore        *store;
  SegDefinition   *definition;
  GFile           *file;
  char            *header;
  GOutputStream   *stream;
  GString         *buffer;
  gint64           now_ms;
  guint64          written;
  guint64          total;
  guint            page_size;
};

G_DEFINE_FINAL_TYPE (SegMembersExport, seg_members_export, G_TYPE_OBJECT)

enum { PROP_0, PROP_WRITTEN, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
seg_members_export_finalize (GObject *object)
{
  SegMembersExport *self = SEG_MEMBERS_EXPORT (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->definition, seg_definition_unref);
  g_clear_object (&self->file);
  g_clear_object (&self->stream);
  g_free (self->header);
  g_string_free (self->buffer, TRUE);
  G_OBJECT_CLASS (seg_members_export_parent_class)->finalize (object);
}

static void
seg_members_export_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_WRITTEN:
      g_value_set_uint64 (value, SEG_MEMBERS_EXPORT (object)->written);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_members_export_class_init (SegMembersExportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_members_export_finalize;
  G_OBJECT_CLASS (klass)->get_property = seg_members_export_get_property;
  properties[PROP_WRITTEN] = g_param_spec_uint64 ("written", NULL, NULL, 0, G_MAXUINT64, 0,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
}

static void
seg_members_export_init (SegMembersExport *self)
{
  self->buffer = g_string_new (NULL);
  self->page_size = DEFAULT_PAGE_SIZE;
}

/**
 * seg_members_export_new:
 * @segment_id: the saved segment whose members to export
 * @file: the CSV file to write (replaced)
 * @header: the column name of the single column
 *
 * Returns: (transfer full): a new export, not yet started
 */
SegMembersExport *
seg_members_export_new (SegStore   *store,
                        const char *segment_id,
                        GFile      *file,
                        const char *header)
{
  SegMembersExport *self = g_object_new (SEG_TYPE_MEMBERS_EXPORT, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  /* "The users in segment X" works for every saved kind, system segments included. */
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, SEG_DEFINITION_VERSION);
  json_builder_set_member_name (b, "include");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, segment_id);
  json_builder_end_array (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  self->definition = seg_definition_new_from_node (node, NULL);
  self->store = g_object_ref (store);
  self->file = g_object_ref (file);
  self->header = g_strdup (header);
  return self;
}

void
seg_members_export_set_page_size (SegMembersExport *self,
                                  guint             page_size)
{
  self->page_size = MAX (page_size, 1);
}

guint64
seg_members_export_get_written (SegMembersExport *self)
{
  return self->written;
}

guint64
seg_members_export_get_total (SegMembersExport *self)
{
  return self->total;
}

static void next_page (GTask *task);

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SegMembersExport *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) self->written);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SegMembersExport *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITTEN]);
  if (self->written >= self->total)
    g_output_stream_close_async (self->stream, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                 closed_cb, g_object_ref (task));
  else
    next_page (task);
}

/* Quotes a CSV cell when it needs it (RFC 4180). */
static void
append_cell (GString    *out,
             const char *cell)
{
  if (strpbrk (cell, ",\"\r\n") == NULL)
    {
      g_string_append (out, cell);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = cell; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SegMembersExport *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(SegEvalResult) page = seg_store_evaluate_finish (SEG_STORE (source), result, &error);
  const char * const *members;
  guint n = 0;

  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->now_ms == 0)
    {
      self->now_ms = seg_eval_result_get_now (page);
      self->total = seg_eval_result_get_count (page);
    }
  members = seg_eval_result_get_members (page);
  g_string_truncate (self->buffer, 0);
  if (self->written == 0)
    {
      g_string_append (self->buffer, self->header);
      g_string_append_c (self->buffer, '\n');
    }
  for (; members != NULL && members[n] != NULL; n++)
    {
      append_cell (self->buffer, members[n]);
      g_string_append_c (self->buffer, '\n');
    }
  self->written += n;
  /* A page shorter than asked means the end, even if the count moved meanwhile. */
  if (n < self->page_size)
    self->total = self->written;
  g_output_stream_write_all_async (self->stream, self->buffer->str, self->buffer->len,
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   written_cb, g_object_ref (task));
}

static void
next_page (GTask *task)
{
  SegMembersExport *self = g_task_get_source_object (task);
  SegEvalOptions options = { self->now_ms, SEG_EVAL_MEMBERS, 0, self->written, self->page_size };

  seg_store_evaluate_async (self->store, self->definition, &options, g_task_get_cancellable (task),
                            page_cb, g_object_ref (task));
}

static void
replaced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SegMembersExport *self = g_task_get_source_object (task);
  GError *error = NULL;
  GFileOutputStream *stream = g_file_replace_finish (G_FILE (source), result, &error);

  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  self->stream = G_OUTPUT_STREAM (stream);
  next_page (task);
}

void
seg_members_export_run_async (SegMembersExport    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_members_export_run_async);
  if (self->definition == NULL)
    {
      g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID,
                               _("The segment cannot be exported"));
      return;
    }
  g_file_replace_async (self->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                        G_PRIORITY_DEFAULT, cancellable, replaced_cb, g_steal_pointer (&task));
}

/**
 * seg_members_export_run_finish:
 * Returns: the number of members written, or 0 with @error set
 */
guint64
seg_members_export_run_finish (SegMembersExport  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  return (guint64) g_task_propagate_int (G_TASK (result), error);
}
