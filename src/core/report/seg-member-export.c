/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-member-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seg-definition.h"
#include "seg-eval-result.h"
#include "seg-invoke.h"
#include "seg-member-export.h"
#include "seg-report-sync.h"
#include "seg-user-profile.h"

/**
 * SegMemberExport:
 *
 * Writes a segment's members to a CSV file: plain (`id` plus chosen profile properties) or
 * as a CleverTap Custom List (`Type,Identity`). Members are read page by page through
 * seg_store_evaluate_async() with %SEG_EVAL_MEMBERS in a worker thread, so there is no cap
 * on size and memory stays flat. The rows go to a hidden temporary file next to the
 * destination that is renamed over it only when everything was written: a cancelled or
 * failed export leaves no partial file behind.
 *
 * The evaluation's "now" is fixed by the first page, so that all pages describe the same
 * member set even when the export crosses midnight.
 *
 * "written" and "total" are notified on the main context that started the export.
 */
struct _SegMemberExport
{
  GObject                parent_instance;
  SegStore              *store;
  SegDefinition         *definition;
  SegMemberExportFormat  format;
  char                 **fields;
  gint64                 now_ms;
  guint                  page_size;

  /* Progress, written by the worker, read on the main context. */
  guint64                written;
  guint64                total;
  GMutex                 progress_lock;
  gint                   notify_pending;
  GMainContext          *context;
  GThread               *home;     /* the thread that lives in context */
  gboolean               running;
};

G_DEFINE_FINAL_TYPE (SegMemberExport, seg_member_export, G_TYPE_OBJECT)

enum { PROP_0, PROP_WRITTEN, PROP_TOTAL, PROP_FRACTION, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Users whose profile fields are read in one request. */
#define PROFILE_BATCH 2000
#define DEFAULT_PAGE_SIZE 20000
#define FLUSH_SIZE (256 * 1024)

static void
seg_member_export_finalize (GObject *object)
{
  SegMemberExport *self = SEG_MEMBER_EXPORT (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->definition, seg_definition_unref);
  g_strfreev (self->fields);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->home, g_thread_unref);
  g_mutex_clear (&self->progress_lock);
  G_OBJECT_CLASS (seg_member_export_parent_class)->finalize (object);
}

static void
seg_member_export_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SegMemberExport *self = SEG_MEMBER_EXPORT (object);

  switch (prop_id)
    {
    case PROP_WRITTEN:
      g_value_set_uint64 (value, seg_member_export_get_written (self));
      break;
    case PROP_TOTAL:
      g_value_set_uint64 (value, seg_member_export_get_total (self));
      break;
    case PROP_FRACTION:
      g_value_set_double (value, seg_member_export_get_fraction (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_member_export_class_init (SegMemberExportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = seg_member_export_finalize;
  object_class->get_property = seg_member_export_get_property;

  properties[PROP_WRITTEN] = g_param_spec_uint64 ("written", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_TOTAL] = g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_member_export_init (SegMemberExport *self)
{
  self->page_size = DEFAULT_PAGE_SIZE;
  g_mutex_init (&self->progress_lock);
  self->fields = g_new0 (char *, 1);
}

/**
 * seg_member_export_new:
 *
 * Returns: (transfer full): an exporter of @definition's members in @store
 */
SegMemberExport *
seg_member_export_new (SegStore      *store,
                       SegDefinition *definition)
{
  SegMemberExport *self;

  g_return_val_if_fail (SEG_IS_STORE (store), NULL);
  g_return_val_if_fail (definition != NULL, NULL);

  self = g_object_new (SEG_TYPE_MEMBER_EXPORT, NULL);
  self->store = g_object_ref (store);
  self->definition = seg_definition_ref (definition);
  return self;
}

void
seg_member_export_set_format (SegMemberExport       *self,
                              SegMemberExportFormat  format)
{
  g_return_if_fail (SEG_IS_MEMBER_EXPORT (self));
  g_return_if_fail (!self->running);
  self->format = format;
}

SegMemberExportFormat
seg_member_export_get_format (SegMemberExport *self)
{
  g_return_val_if_fail (SEG_IS_MEMBER_EXPORT (self), SEG_MEMBER_EXPORT_CSV);
  return self->format;
}

/**
 * seg_member_export_set_fields:
 * @fields: (nullable): user properties to write after the id, in order
 *
 * Only used by %SEG_MEMBER_EXPORT_CSV. Each member's profile is read through
 * seg_store_get_user_async(), which costs far more than the id pages: leave @fields
 * empty when ids are all that is needed.
 */
void
seg_member_export_set_fields (SegMemberExport    *self,
                              const char * const *fields)
{
  g_return_if_fail (SEG_IS_MEMBER_EXPORT (self));
  g_return_if_fail (!self->running);
  g_strfreev (self->fields);
  self->fields = fields != NULL ? g_strdupv ((char **) fields) : g_new0 (char *, 1);
}

/**
 * seg_member_export_get_fields:
 *
 * Returns: (transfer none): the user properties written after the id
 */
const char * const *
seg_member_export_get_fields (SegMemberExport *self)
{
  g_return_val_if_fail (SEG_IS_MEMBER_EXPORT (self), NULL);
  return (const char * const *) self->fields;
}

/**
 * seg_member_export_set_now:
 * @now_ms: the "now" to evaluate at, or 0 for the store's current time
 */
void
seg_member_export_set_now (SegMemberExport *self,
                           gint64           now_ms)
{
  g_return_if_fail (SEG_IS_MEMBER_EXPORT (self));
  g_return_if_fail (!self->running);
  self->now_ms = now_ms;
}

void
seg_member_export_set_page_size (SegMemberExport *self,
                                 guint            page_size)
{
  g_return_if_fail (SEG_IS_MEMBER_EXPORT (self));
  g_return_if_fail (page_size > 0);
  g_return_if_fail (!self->running);
  self->page_size = page_size;
}

/**
 * seg_member_export_get_written:
 *
 * Returns: the members written so far
 */
guint64
seg_member_export_get_written (SegMemberExport *self)
{
  guint64 ret;

  g_return_val_if_fail (SEG_IS_MEMBER_EXPORT (self), 0);
  g_mutex_lock (&self->progress_lock);
  ret = self->written;
  g_mutex_unlock (&self->progress_lock);
  return ret;
}

/**
 * seg_member_export_get_total:
 *
 * Returns: the members to write, known after the first page
 */
guint64
seg_member_export_get_total (SegMemberExport *self)
{
  guint64 ret;

  g_return_val_if_fail (SEG_IS_MEMBER_EXPORT (self), 0);
  g_mutex_lock (&self->progress_lock);
  ret = self->total;
  g_mutex_unlock (&self->progress_lock);
  return ret;
}

double
seg_member_export_get_fraction (SegMemberExport *self)
{
  guint64 total = seg_member_export_get_total (self);

  return total > 0 ? MIN (1.0, (double) seg_member_export_get_written (self) / total) : 0.0;
}

static gboolean
notify_progress_cb (gpointer data)
{
  SegMemberExport *self = data;

  g_atomic_int_set (&self->notify_pending, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITTEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  return G_SOURCE_REMOVE;
}

/* Called from the worker: coalesces notifications so the UI sees at most one per turn of
 * its main loop however fast rows are written. */
static void
report_progress (SegMemberExport *self,
                 guint64          written,
                 guint64          total)
{
  g_mutex_lock (&self->progress_lock);
  self->written = written;
  self->total = total;
  g_mutex_unlock (&self->progress_lock);
  if (g_atomic_int_compare_and_exchange (&self->notify_pending, 0, 1))
    seg_invoke (self->context, self->home, G_PRIORITY_DEFAULT, notify_progress_cb,
                g_object_ref (self), g_object_unref);
}

/**
 * seg_csv_escape:
 *
 * Returns: (transfer full): @field as one RFC 4180 CSV field, quoted when it holds a
 *   comma, quote, line break or surrounding spaces
 */
char *
seg_csv_escape (const char *field)
{
  GString *s;
  gsize len;

  if (field == NULL)
    return g_strdup ("");
  len = strlen (field);
  if (strpbrk (field, ",\"\r\n") == NULL &&
      (len == 0 || (field[0] != ' ' && field[len - 1] != ' ')))
    return g_strdup (field);
  s = g_string_sized_new (len + 2);
  g_string_append_c (s, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

static void
append_field (GString    *line,
              const char *value)
{
  g_autofree char *escaped = seg_csv_escape (value);

  g_string_append (line, escaped);
}

static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      GString *s = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          g_autofree char *item = node_to_text (json_array_get_element (a, i));
          if (i > 0)
            g_string_append (s, ", ");
          g_string_append (s, item);
        }
      return g_string_free (s, FALSE);
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_to_string (node, FALSE);
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    default:
      return g_strdup ("");
    }
}

typedef struct
{
  GFile                 *file;
  SegMemberExportFormat  format;
  char                 **fields;
  gint64                 now_ms;
  guint                  page_size;
} WriteData;

static void
write_data_free (WriteData *d)
{
  g_clear_object (&d->file);
  g_strfreev (d->fields);
  g_free (d);
}

static gboolean
flush (GOutputStream  *out,
       GString        *buf,
       GCancellable   *cancellable,
       GError        **error)
{
  if (buf->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (out, buf->str, buf->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (buf, 0);
  return TRUE;
}

static gboolean
write_rows (SegMemberExport  *self,
            WriteData        *d,
            GOutputStream    *out,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autoptr(GString) buf = g_string_sized_new (FLUSH_SIZE + 4096);
  gboolean with_profiles = d->format == SEG_MEMBER_EXPORT_CSV && d->fields[0] != NULL;
  gboolean batch_profiles_unsupported = FALSE;
  SegEvalOptions opts = { 0 };
  guint64 offset = 0, total = 0;

  if (d->format == SEG_MEMBER_EXPORT_CUSTOM_LIST)
    g_string_append (buf, "Type,Identity\r\n");
  else
    {
      g_string_append (buf, "id");
      for (guint i = 0; d->fields[i] != NULL; i++)
        {
          g_string_append_c (buf, ',');
          append_field (buf, d->fields[i]);
        }
      g_string_append (buf, "\r\n");
    }

  opts.now_ms = d->now_ms;
  opts.flags = SEG_EVAL_MEMBERS;
  opts.members_limit = d->page_size;
  for (;;)
    {
      g_autoptr(SegEvalResult) r = NULL;
      const char * const *ids;
      guint n = 0;

      opts.members_offset = offset;
      r = seg_report_evaluate_sync (self->store, self->definition, &opts, cancellable, error);
      if (r == NULL)
        return FALSE;
      /* Every later page describes the same instant as the first. */
      opts.now_ms = seg_eval_result_get_now (r);
      total = seg_eval_result_get_count (r);
      ids = seg_eval_result_get_members (r);
      for (; ids != NULL && ids[n] != NULL; n++)
        ;
      for (guint start = 0; start < n; start += PROFILE_BATCH)
        {
          guint end = MIN (n, start + PROFILE_BATCH);
          g_autoptr(GPtrArray) profiles = NULL;

          if (with_profiles && !batch_profiles_unsupported)
            {
              g_autoptr(GPtrArray) batch = g_ptr_array_new ();
              g_autoptr(GError) local_error = NULL;

              for (guint i = start; i < end; i++)
                g_ptr_array_add (batch, (gpointer) ids[i]);
              g_ptr_array_add (batch, NULL);
              profiles = seg_report_get_profiles_sync (self->store,
                                                       (const char * const *) batch->pdata,
                                                       (const char * const *) d->fields,
                                                       cancellable, &local_error);
              if (profiles == NULL &&
                  g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
                batch_profiles_unsupported = TRUE;
              else if (profiles == NULL)
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
            }
          for (guint i = start; i < end; i++)
            {
              if (d->format == SEG_MEMBER_EXPORT_CUSTOM_LIST)
                {
                  g_string_append (buf, "Identity,");
                  append_field (buf, ids[i]);
                }
              else
                {
                  append_field (buf, ids[i]);
                  if (with_profiles)
                    {
                      g_autoptr(SegUserProfile) user = NULL;
                      JsonObject *props;

                      if (profiles != NULL)
                        props = g_ptr_array_index (profiles, i - start);
                      else
                        {
                          /* One user at a time, for a store that cannot read many. */
                          user = seg_report_get_user_sync (self->store, ids[i], cancellable, error);
                          if (user == NULL)
                            return FALSE;
                          props = seg_user_profile_get_properties (user);
                        }
                      for (guint f = 0; d->fields[f] != NULL; f++)
                        {
                          g_autofree char *text = NULL;

                          if (props != NULL && json_object_has_member (props, d->fields[f]))
                            text = node_to_text (json_object_get_member (props, d->fields[f]));
                          g_string_append_c (buf, ',');
                          append_field (buf, text);
                        }
                    }
                }
              g_string_append (buf, "\r\n");
              if (buf->len >= FLUSH_SIZE && !flush (out, buf, cancellable, error))
                return FALSE;
            }
          if (with_profiles)
            report_progress (self, offset + end, total);
        }
      offset += n;
      report_progress (self, offset, total);
      if (n < d->page_size || offset >= total)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return flush (out, buf, cancellable, error);
}

static GFile *
temp_sibling (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *name = g_strdup_printf (".%s.%08x.part", base, g_random_int ());

  return g_file_get_child (parent, name);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SegMemberExport *self = source;
  WriteData *d = task_data;
  g_autoptr(GFile) tmp = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  GError *error = NULL;
  gboolean ok;

  for (int attempt = 0; out == NULL && attempt < 5; attempt++)
    {
      g_clear_error (&error);
      g_clear_object (&tmp);
      tmp = temp_sibling (d->file);
      out = g_file_create (tmp, G_FILE_CREATE_NONE, cancellable, &error);
      if (out == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        break;
    }
  if (out == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  ok = write_rows (self, d, G_OUTPUT_STREAM (out), cancellable, &error);
  if (ok)
    ok = g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error);
  else
    g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
  /* The last moment a cancel can still leave no file behind. */
  if (ok)
    ok = !g_cancellable_set_error_if_cancelled (cancellable, &error);
  if (ok)
    ok = g_file_move (tmp, d->file, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                      cancellable, NULL, NULL, &error);
  if (!ok)
    {
      g_file_delete (tmp, NULL, NULL);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * seg_member_export_write_async:
 * @file: the destination, replaced only when the export succeeds
 *
 * Writes the members in a worker thread. Cancelling @cancellable stops between pages (or
 * between profiles) and removes the temporary file.
 */
void
seg_member_export_write_async (SegMemberExport     *self,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *d;

  g_return_if_fail (SEG_IS_MEMBER_EXPORT (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!self->running);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_member_export_write_async);
  /* The answer says what happened to the file: a cancel that comes after the rename
   * does not turn a written export into a reported failure. */
  g_task_set_check_cancellable (task, FALSE);
  d = g_new0 (WriteData, 1);
  d->file = g_object_ref (file);
  d->format = self->format;
  d->fields = g_strdupv (self->fields);
  d->now_ms = self->now_ms;
  d->page_size = self->page_size;
  g_task_set_task_data (task, d, (GDestroyNotify) write_data_free);

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  g_clear_pointer (&self->home, g_thread_unref);
  self->home = seg_invoke_home ();
  self->running = TRUE;
  g_mutex_lock (&self->progress_lock);
  self->written = 0;
  self->total = 0;
  g_mutex_unlock (&self->progress_lock);
  g_task_run_in_thread (task, write_thread);
}

gboolean
seg_member_export_write_finish (SegMemberExport  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (SEG_IS_MEMBER_EXPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  self->running = FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}
