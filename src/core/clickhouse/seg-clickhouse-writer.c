/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse-writer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "seg-clickhouse-schema.h"
#include "seg-clickhouse-sql.h"
#include "seg-clickhouse-writer.h"
#include "seg-store.h"

/*
 * An all-or-nothing write into ClickHouse, which has no transactions. Records go in
 * batches (INSERT ... FORMAT JSONEachRow) into two staging tables private to this writer;
 * nothing there is visible to queries of the store. Commit then moves the rows in:
 *
 *  - events carrying an insert_id that the store (or this import) already holds are
 *    left out, in one INSERT ... SELECT into a second staging table;
 *  - on a single server, whole partitions are attached to events and profile_props
 *    (ALTER TABLE ... ATTACH PARTITION ID ... FROM), a metadata operation per month, so a
 *    failure can only fall between two attachments, never inside the data of one;
 *  - on a cluster, the rows go through the Distributed tables with
 *    insert_distributed_sync = 1, so commit returns once every shard has them;
 *  - the fingerprints of the sources are recorded last, and the staging tables are dropped.
 *
 * Abort, a failed commit, or the last unref without commit drop the staging tables.
 */

#define DEFAULT_BATCH_ROWS  100000
#define MAX_BATCH_BYTES     (16 * 1024 * 1024)

struct _SegClickhouseWriter
{
  SegStoreWriter        parent_instance;

  SegClickhouseClient  *client;
  char                 *import_id;
  char                 *stage_events;
  char                 *stage_final;
  char                 *stage_profiles;
  GPtrArray            *fingerprints; /* of the sources declared by begin_source */

  GString              *events;       /* pending JSONEachRow lines */
  GString              *profiles;
  guint                 pending_events;
  guint                 pending_profiles;
  guint                 batch_rows;

  GThread              *in_flight;    /* the INSERT of the previous batch */

  SegClickhouseWriterCommittedFunc committed_func;
  gpointer              committed_data;
  GDestroyNotify        committed_destroy;

  guint64               n_events;
  guint64               n_profiles;
  guint                 distributed : 1;
  guint                 has_insert_ids : 1;
  guint                 finished : 1;   /* committed or aborted */
};

G_DEFINE_FINAL_TYPE (SegClickhouseWriter, seg_clickhouse_writer, SEG_TYPE_STORE_WRITER)

/* ---- JSON text, written by hand: a 10M-row import should not build a tree per row ---- */

static void
append_json_string (GString    *out,
                    const char *str,
                    gsize       len)
{
  const char *p = str;
  const char *end = str + len;

  g_string_append_c (out, '"');
  while (p < end)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
          p++;
        }
      else if (c < 0x20)
        {
          g_string_append_printf (out, "\\u%04x", c);
          p++;
        }
      else if (c < 0x80)
        {
          const char *run = p;

          while (p < end && (guchar) *p >= 0x20 && (guchar) *p < 0x80 && *p != '"' && *p != '\\')
            p++;
          g_string_append_len (out, run, p - run);
        }
      else
        {
          gunichar ch = g_utf8_get_char_validated (p, end - p);

          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            {
              /* Answers must stay valid UTF-8 for the JSON reader: U+FFFD. */
              g_string_append (out, "\xef\xbf\xbd");
              p++;
            }
          else
            {
              const char *next = g_utf8_next_char (p);

              g_string_append_len (out, p, next - p);
              p = next;
            }
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_number (GString *out,
                    double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == floor (value) && fabs (value) <= 9007199254740992.0)
    g_snprintf (buffer, sizeof buffer, "%.0f", value == 0 ? 0 : value);
  else
    g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
  g_string_append (out, buffer);
}

static gboolean
check_number (const SegRecord  *record,
              const SegPropValue *prop,
              GError          **error)
{
  if (prop->type == SEG_VALUE_TYPE_STRING || prop->type == SEG_VALUE_TYPE_LIST
      || prop->type == SEG_VALUE_TYPE_NONE || isfinite (prop->num))
    return TRUE;

  g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID,
               _("Property “%s” of user “%s” is not a finite number"),
               prop->key, record->user_id);
  return FALSE;
}

/* ---- batches ----
 *
 * A batch goes to the server on its own thread while the next one is written, so that
 * building JSON here and parsing it there overlap; at most one INSERT is in flight, and
 * its error surfaces at the next flush or at commit. */

typedef struct
{
  SegClickhouseClient *client;
  char                *sql;
  GBytes              *body;
} Insert;

static gpointer
insert_thread (gpointer data)
{
  Insert *insert = data;
  GError *error = NULL;

  seg_clickhouse_client_execute (insert->client, insert->sql, insert->body, NULL, &error);
  g_object_unref (insert->client);
  g_free (insert->sql);
  g_bytes_unref (insert->body);
  g_free (insert);
  return error;
}

static gboolean
wait_in_flight (SegClickhouseWriter  *self,
                GError              **error)
{
  GError *insert_error;

  if (self->in_flight == NULL)
    return TRUE;

  insert_error = g_thread_join (g_steal_pointer (&self->in_flight));
  if (insert_error != NULL)
    {
      g_propagate_error (error, insert_error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
flush_table (SegClickhouseWriter  *self,
             const char           *table,
             GString              *rows,
             guint                *pending,
             GCancellable         *cancellable,
             GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO ");
  Insert *insert;

  if (*pending == 0)
    return TRUE;

  if (!wait_in_flight (self, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  seg_clickhouse_sql_append_identifier (sql, table);
  g_string_append (sql, " FORMAT JSONEachRow");

  insert = g_new0 (Insert, 1);
  insert->client = g_object_ref (self->client);
  insert->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  insert->body = g_bytes_new (rows->str, rows->len);
  g_string_truncate (rows, 0);
  *pending = 0;

  self->in_flight = g_thread_new ("seg-ch-insert", insert_thread, insert);
  return TRUE;
}

static gboolean
flush (SegClickhouseWriter  *self,
       GCancellable         *cancellable,
       GError              **error)
{
  return flush_table (self, self->stage_events, self->events, &self->pending_events,
                      cancellable, error)
         && flush_table (self, self->stage_profiles, self->profiles, &self->pending_profiles,
                         cancellable, error);
}

static gboolean
add_event (SegClickhouseWriter  *self,
           const SegRecord      *record,
           GError              **error)
{
  GString *out = self->events;
  gsize start = out->len;

  g_string_append (out, "{\"event\":");
  append_json_string (out, record->event, strlen (record->event));
  g_string_append (out, ",\"user_id\":");
  append_json_string (out, record->user_id, strlen (record->user_id));
  g_string_append_printf (out, ",\"ts_ms\":%" G_GINT64_FORMAT ",\"insert_id\":", record->ts_ms);
  if (record->insert_id != NULL && *record->insert_id != '\0')
    {
      append_json_string (out, record->insert_id, strlen (record->insert_id));
      self->has_insert_ids = TRUE;
    }
  else
    g_string_append (out, "\"\"");

  /* Parallel arrays: a property is at the same index in all four. */
  g_string_append (out, ",\"prop_keys\":[");
  for (guint i = 0; i < record->n_props; i++)
    {
      if (!check_number (record, &record->props[i], error))
        {
          g_string_truncate (out, start);
          return FALSE;
        }
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, record->props[i].key, strlen (record->props[i].key));
    }
  g_string_append (out, "],\"prop_types\":[");
  for (guint i = 0; i < record->n_props; i++)
    g_string_append_printf (out, i > 0 ? ",%u" : "%u", (guint) record->props[i].type);
  g_string_append (out, "],\"prop_str\":[");
  for (guint i = 0; i < record->n_props; i++)
    {
      const SegPropValue *prop = &record->props[i];

      if (i > 0)
        g_string_append_c (out, ',');
      if (prop->type == SEG_VALUE_TYPE_STRING || prop->type == SEG_VALUE_TYPE_LIST)
        append_json_string (out, prop->str ? prop->str : "", prop->str ? prop->str_len : 0);
      else
        g_string_append (out, "\"\"");
    }
  g_string_append (out, "],\"prop_num\":[");
  for (guint i = 0; i < record->n_props; i++)
    {
      const SegPropValue *prop = &record->props[i];

      if (i > 0)
        g_string_append_c (out, ',');
      if (prop->type == SEG_VALUE_TYPE_NUMBER || prop->type == SEG_VALUE_TYPE_BOOLEAN
          || prop->type == SEG_VALUE_TYPE_DATE)
        append_json_number (out, prop->num);
      else
        g_string_append_c (out, '0');
    }
  g_string_append (out, "],\"import_id\":");
  append_json_string (out, self->import_id, strlen (self->import_id));
  g_string_append (out, "}\n");

  self->pending_events++;
  self->n_events++;
  return TRUE;
}

static gboolean
add_profile (SegClickhouseWriter  *self,
             const SegRecord      *record,
             GError              **error)
{
  GString *out = self->profiles;

  for (guint i = 0; i < record->n_props; i++)
    {
      const SegPropValue *prop = &record->props[i];
      gboolean is_string = prop->type == SEG_VALUE_TYPE_STRING || prop->type == SEG_VALUE_TYPE_LIST;

      if (!check_number (record, prop, error))
        return FALSE;

      g_string_append (out, "{\"user_id\":");
      append_json_string (out, record->user_id, strlen (record->user_id));
      g_string_append (out, ",\"key\":");
      append_json_string (out, prop->key, strlen (prop->key));
      g_string_append_printf (out, ",\"type\":%u,\"str\":", (guint) prop->type);
      if (is_string)
        append_json_string (out, prop->str ? prop->str : "", prop->str ? prop->str_len : 0);
      else
        g_string_append (out, "\"\"");
      g_string_append (out, ",\"num\":");
      if (is_string || prop->type == SEG_VALUE_TYPE_NONE)
        g_string_append_c (out, '0');
      else
        append_json_number (out, prop->num);
      g_string_append_printf (out, ",\"deleted\":%u,\"updated_ms\":%" G_GINT64_FORMAT "}\n",
                              prop->type == SEG_VALUE_TYPE_NONE ? 1u : 0u, record->ts_ms);
      self->pending_profiles++;
    }

  self->n_profiles++;
  return TRUE;
}

static gboolean
seg_clickhouse_writer_add (SegStoreWriter   *writer,
                           const SegRecord  *record,
                           GError          **error)
{
  SegClickhouseWriter *self = SEG_CLICKHOUSE_WRITER (writer);
  gboolean ok;

  if (self->finished)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                   _("This write was already committed or aborted"));
      return FALSE;
    }
  if (record->user_id == NULL || *record->user_id == '\0')
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID,
                   _("A record without user id cannot be stored"));
      return FALSE;
    }

  if (record->kind == SEG_RECORD_EVENT)
    {
      if (record->event == NULL || *record->event == '\0')
        {
          g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID,
                       _("An event of user “%s” has no name"), record->user_id);
          return FALSE;
        }
      ok = add_event (self, record, error);
    }
  else
    ok = add_profile (self, record, error);

  if (!ok)
    return FALSE;

  if (self->pending_events >= self->batch_rows || self->events->len >= MAX_BATCH_BYTES
      || self->pending_profiles >= self->batch_rows || self->profiles->len >= MAX_BATCH_BYTES)
    return flush (self, NULL, error);

  return TRUE;
}

static gboolean
drop_table (SegClickhouseWriter  *self,
            const char           *table,
            GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("DROP TABLE IF EXISTS ");

  seg_clickhouse_sql_append_identifier (sql, table);
  return seg_clickhouse_client_execute (self->client, sql->str, NULL, NULL, error);
}

static void
drop_staging (SegClickhouseWriter *self)
{
  const char *tables[] = { self->stage_events, self->stage_final, self->stage_profiles };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autoptr(GError) error = NULL;

      if (tables[i] != NULL && !drop_table (self, tables[i], &error))
        g_warning ("Could not drop the staging table %s: %s", tables[i], error->message);
    }
}

static gboolean
execute_printf (SegClickhouseWriter  *self,
                GCancellable         *cancellable,
                GError              **error,
                const char           *format,
                ...) G_GNUC_PRINTF (4, 5);

static gboolean
execute_printf (SegClickhouseWriter  *self,
                GCancellable         *cancellable,
                GError              **error,
                const char           *format,
                ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  return seg_clickhouse_client_execute (self->client, sql, NULL, cancellable, error);
}

/* Moves every partition of @from into @to, one ATTACH PARTITION per partition. */
static gboolean
attach_partitions (SegClickhouseWriter  *self,
                   const char           *from,
                   const char           *to,
                   GCancellable         *cancellable,
                   GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT DISTINCT partition_id AS id FROM system.parts "
                                         "WHERE database = currentDatabase() AND active "
                                         "AND table = ");
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *from_id = seg_clickhouse_sql_identifier (from);
  g_autofree char *to_id = seg_clickhouse_sql_identifier (to);

  seg_clickhouse_sql_append_string (sql, from, -1);
  g_string_append (sql, " ORDER BY id");
  rows = seg_clickhouse_client_query (self->client, sql->str, NULL, NULL, NULL, cancellable, error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      const char *id = json_object_get_string_member (g_ptr_array_index (rows, i), "id");
      g_autofree char *literal = seg_clickhouse_sql_string (id, -1);

      if (!execute_printf (self, cancellable, error,
                           "ALTER TABLE %s ATTACH PARTITION ID %s FROM %s",
                           to_id, literal, from_id))
        return FALSE;
    }
  return TRUE;
}

static gboolean
move_rows (SegClickhouseWriter  *self,
           const char           *from,
           const char           *to_local,
           const char           *to_distributed,
           GCancellable         *cancellable,
           GError              **error)
{
  if (!self->distributed)
    return attach_partitions (self, from, to_local, cancellable, error);
  else
    {
      g_autofree char *from_id = seg_clickhouse_sql_identifier (from);
      g_autofree char *to_id = seg_clickhouse_sql_identifier (to_distributed);
      g_autofree char *sql = g_strdup_printf ("INSERT INTO %s SELECT * FROM %s", to_id, from_id);
      /* Commit returns once every shard holds the rows. A SETTINGS clause would only
       * reach the SELECT on 18.16, so the setting goes with the request. */
      const char *settings[] = { "insert_distributed_sync", "1", NULL };

      return seg_clickhouse_client_execute_with_settings (self->client, sql, settings,
                                                          cancellable, error);
    }
}

static gboolean
commit_events (SegClickhouseWriter  *self,
               GCancellable         *cancellable,
               GError              **error)
{
  g_autofree char *stage = seg_clickhouse_sql_identifier (self->stage_events);
  g_autofree char *final = NULL;
  g_autofree char *ddl = NULL;

  if (self->n_events == 0)
    return TRUE;

  if (!self->has_insert_ids)
    return move_rows (self, self->stage_events, "events", "events", cancellable, error);

  /* Events with an insert_id go in once: not when the store holds it for the same event
   * name, and once per import. */
  self->stage_final = g_strconcat (self->stage_events, "_final", NULL);
  final = seg_clickhouse_sql_identifier (self->stage_final);
  ddl = seg_clickhouse_schema_events_ddl (self->stage_final);
  if (!seg_clickhouse_client_execute (self->client, ddl, NULL, cancellable, error))
    return FALSE;

  if (!execute_printf (self, cancellable, error,
                       "INSERT INTO %s SELECT * FROM %s WHERE insert_id = ''", final, stage))
    return FALSE;
  if (!execute_printf (self, cancellable, error,
                       "INSERT INTO %s SELECT * FROM %s WHERE insert_id != '' "
                       "AND (event, insert_id) NOT IN "
                       "(SELECT event, insert_id FROM events WHERE insert_id != '') "
                       "ORDER BY event, insert_id, ts_ms LIMIT 1 BY event, insert_id",
                       final, stage))
    return FALSE;

  return move_rows (self, self->stage_final, "events", "events", cancellable, error);
}

static gboolean
seg_clickhouse_writer_commit (SegStoreWriter  *writer,
                              GCancellable    *cancellable,
                              GError         **error)
{
  SegClickhouseWriter *self = SEG_CLICKHOUSE_WRITER (writer);
  gboolean ok;

  if (self->finished)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                   _("This write was already committed or aborted"));
      return FALSE;
    }

  ok = flush (self, cancellable, error)
       && wait_in_flight (self, error)
       && commit_events (self, cancellable, error)
       && (self->n_profiles == 0
           || move_rows (self, self->stage_profiles, "profile_props", "profile_props",
                         cancellable, error));

  if (ok && self->fingerprints->len > 0)
    {
      g_autoptr(GString) sql = g_string_new ("INSERT INTO imports (fingerprint, committed_ms, "
                                             "n_events, n_profiles) VALUES ");
      gint64 now = g_get_real_time () / 1000;

      /* Every source of this write: an import of several files declares each. */
      for (guint i = 0; i < self->fingerprints->len; i++)
        {
          g_string_append (sql, i > 0 ? ", (" : "(");
          seg_clickhouse_sql_append_string (sql, g_ptr_array_index (self->fingerprints, i), -1);
          g_string_append_printf (sql, ", %" G_GINT64_FORMAT ", %" G_GUINT64_FORMAT ", %"
                                  G_GUINT64_FORMAT ")", now, self->n_events, self->n_profiles);
        }
      ok = seg_clickhouse_client_execute (self->client, sql->str, NULL, cancellable, error);
    }

  self->finished = TRUE;
  wait_in_flight (self, NULL);
  drop_staging (self);
  if (ok && self->committed_func != NULL)
    self->committed_func (self->committed_data);
  return ok;
}

static void
seg_clickhouse_writer_abort (SegStoreWriter *writer)
{
  SegClickhouseWriter *self = SEG_CLICKHOUSE_WRITER (writer);

  if (self->finished)
    return;

  self->finished = TRUE;
  g_string_truncate (self->events, 0);
  g_string_truncate (self->profiles, 0);
  wait_in_flight (self, NULL);
  drop_staging (self);
}

static gboolean
seg_clickhouse_writer_begin_source (SegStoreWriter  *writer,
                                    const char      *fingerprint,
                                    gboolean        *already_imported,
                                    GError         **error)
{
  SegClickhouseWriter *self = SEG_CLICKHOUSE_WRITER (writer);
  g_autoptr(GString) sql = g_string_new ("SELECT count() AS n FROM imports WHERE fingerprint = ");
  g_autoptr(GPtrArray) rows = NULL;

  seg_clickhouse_sql_append_string (sql, fingerprint, -1);
  rows = seg_clickhouse_client_query (self->client, sql->str, NULL, NULL, NULL, NULL, error);
  if (rows == NULL)
    return FALSE;

  *already_imported = (rows->len == 1
                       && g_strcmp0 (json_object_get_string_member (g_ptr_array_index (rows, 0), "n"),
                                     "0") != 0)
                      || g_ptr_array_find_with_equal_func (self->fingerprints, fingerprint,
                                                           g_str_equal, NULL);
  if (!*already_imported)
    g_ptr_array_add (self->fingerprints, g_strdup (fingerprint));
  return TRUE;
}

static void
seg_clickhouse_writer_dispose (GObject *object)
{
  SegClickhouseWriter *self = SEG_CLICKHOUSE_WRITER (object);

  /* Dropping the last reference without commit leaves the store as it was. */
  if (self->client != NULL && !self->finished)
    seg_clickhouse_writer_abort (SEG_STORE_WRITER (self));
  g_clear_object (&self->client);
  if (self->committed_destroy != NULL)
    self->committed_destroy (self->committed_data);
  self->committed_func = NULL;
  self->committed_data = NULL;
  self->committed_destroy = NULL;

  G_OBJECT_CLASS (seg_clickhouse_writer_parent_class)->dispose (object);
}

static void
seg_clickhouse_writer_finalize (GObject *object)
{
  SegClickhouseWriter *self = SEG_CLICKHOUSE_WRITER (object);

  g_free (self->import_id);
  g_free (self->stage_events);
  g_free (self->stage_final);
  g_free (self->stage_profiles);
  g_ptr_array_unref (self->fingerprints);
  g_string_free (self->events, TRUE);
  g_string_free (self->profiles, TRUE);

  G_OBJECT_CLASS (seg_clickhouse_writer_parent_class)->finalize (object);
}

static void
seg_clickhouse_writer_class_init (SegClickhouseWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SegStoreWriterClass *writer_class = SEG_STORE_WRITER_CLASS (klass);

  object_class->dispose = seg_clickhouse_writer_dispose;
  object_class->finalize = seg_clickhouse_writer_finalize;

  writer_class->add = seg_clickhouse_writer_add;
  writer_class->commit = seg_clickhouse_writer_commit;
  writer_class->abort = seg_clickhouse_writer_abort;
  writer_class->begin_source = seg_clickhouse_writer_begin_source;
}

static void
seg_clickhouse_writer_init (SegClickhouseWriter *self)
{
  self->events = g_string_sized_new (1024 * 1024);
  self->profiles = g_string_sized_new (64 * 1024);
  self->batch_rows = DEFAULT_BATCH_ROWS;
  self->fingerprints = g_ptr_array_new_with_free_func (g_free);
}

/**
 * seg_clickhouse_writer_new:
 * @client: a client on the store's database, whose schema exists
 * @distributed: whether events and profile_props are Distributed tables
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Creates the writer's staging tables. Blocking: call from a worker thread.
 *
 * Returns: (transfer full) (nullable): a new writer, or %NULL with @error set
 */
SegStoreWriter *
seg_clickhouse_writer_new (SegClickhouseClient  *client,
                           gboolean              distributed,
                           GCancellable         *cancellable,
                           GError              **error)
{
  g_autoptr(SegClickhouseWriter) self = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *events_ddl = NULL;
  g_autofree char *profiles_ddl = NULL;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (client), NULL);

  self = g_object_new (SEG_TYPE_CLICKHOUSE_WRITER, NULL);
  self->client = g_object_ref (client);
  self->distributed = !!distributed;
  self->import_id = g_strdup (uuid);
  g_strdelimit (uuid, "-", '_');
  self->stage_events = g_strdup_printf ("seg_staging_%s_events", uuid);
  self->stage_profiles = g_strdup_printf ("seg_staging_%s_profiles", uuid);

  events_ddl = seg_clickhouse_schema_events_ddl (self->stage_events);
  profiles_ddl = seg_clickhouse_schema_profile_props_ddl (self->stage_profiles);
  if (!seg_clickhouse_client_execute (client, events_ddl, NULL, cancellable, error)
      || !seg_clickhouse_client_execute (client, profiles_ddl, NULL, cancellable, error))
    return NULL;

  return SEG_STORE_WRITER (g_steal_pointer (&self));
}

/**
 * seg_clickhouse_writer_set_batch_rows:
 *
 * How many records an INSERT carries at most (default 100 000; batches are also cut at
 * 16 MiB of JSON).
 */
void
seg_clickhouse_writer_set_batch_rows (SegClickhouseWriter *self,
                                      guint                rows)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_WRITER (self));

  self->batch_rows = MAX (rows, 1);
}

/**
 * seg_clickhouse_writer_set_committed_func:
 * @func: (nullable): called after a successful commit, on the committing thread
 *
 * Lets the store that made the writer tell its views that the data changed.
 */
void
seg_clickhouse_writer_set_committed_func (SegClickhouseWriter              *self,
                                          SegClickhouseWriterCommittedFunc  func,
                                          gpointer                          user_data,
                                          GDestroyNotify                    destroy)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_WRITER (self));

  if (self->committed_destroy != NULL)
    self->committed_destroy (self->committed_data);
  self->committed_func = func;
  self->committed_data = user_data;
  self->committed_destroy = destroy;
}

guint64
seg_clickhouse_writer_get_n_events (SegClickhouseWriter *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_WRITER (self), 0);

  return self->n_events;
}

guint64
seg_clickhouse_writer_get_n_profiles (SegClickhouseWriter *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_WRITER (self), 0);

  return self->n_profiles;
}
