/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "seg-dataset.h"
#include "seg-test-writer.h"

struct _SegTestWriter
{
  SegStoreWriter  parent_instance;

  TestStore      *store;
  GPtrArray      *pending;
  GPtrArray      *pending_ids;
  char           *fingerprint;
  gboolean        added_before_source;
  guint           hashed_adds;
  guint           fail_after;       /* 0: never */
  GThread        *add_thread;       /* the thread of the last add */
};

G_DEFINE_FINAL_TYPE (SegTestWriter, seg_test_writer, SEG_TYPE_STORE_WRITER)

TestStore *
test_store_new (void)
{
  TestStore *store = g_new0 (TestStore, 1);

  store->records = g_ptr_array_new_with_free_func (g_free);
  store->fingerprints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  store->insert_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return store;
}

void
test_store_free (TestStore *store)
{
  g_ptr_array_unref (store->records);
  g_hash_table_unref (store->fingerprints);
  g_hash_table_unref (store->insert_ids);
  g_free (store);
}

guint
test_store_count (TestStore  *store,
                  const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < store->records->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (store->records, i), prefix);
  return n;
}

gboolean
test_store_has (TestStore  *store,
                const char *record)
{
  for (guint i = 0; i < store->records->len; i++)
    if (g_str_equal (g_ptr_array_index (store->records, i), record))
      return TRUE;
  return FALSE;
}

void
test_store_dump (TestStore *store)
{
  for (guint i = 0; i < store->records->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (store->records, i));
}

static void
append_value (GString            *s,
              const SegPropValue *v)
{
  g_string_append_printf (s, "|%s=%s:", v->key, seg_value_type_to_string (v->type));
  switch (v->type)
    {
    case SEG_VALUE_TYPE_STRING:
      g_string_append_len (s, v->str, v->str_len);
      break;
    case SEG_VALUE_TYPE_LIST:
      for (gsize i = 0; i < v->str_len; i++)
        g_string_append_c (s, v->str[i] ? v->str[i] : ',');
      break;
    case SEG_VALUE_TYPE_NUMBER:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.15g", v->num));
      }
      break;
    case SEG_VALUE_TYPE_BOOLEAN:
      g_string_append (s, v->num != 0 ? "true" : "false");
      break;
    case SEG_VALUE_TYPE_DATE:
      g_string_append_printf (s, "%" G_GINT64_FORMAT, (gint64) v->num);
      break;
    case SEG_VALUE_TYPE_NONE:
    default:
      g_string_append (s, "null");
      break;
    }
}

char *
test_record_to_string (const SegRecord *record)
{
  GString *s = g_string_new (NULL);

  if (record->kind == SEG_RECORD_EVENT)
    g_string_append_printf (s, "E|%s|%s|%" G_GINT64_FORMAT "|%s", record->user_id, record->event,
                            record->ts_ms, record->insert_id ? record->insert_id : "");
  else
    g_string_append_printf (s, "P|%s|%" G_GINT64_FORMAT, record->user_id, record->ts_ms);
  for (guint i = 0; i < record->n_props; i++)
    append_value (s, &record->props[i]);
  return g_string_free (s, FALSE);
}

static gboolean
seg_test_writer_add (SegStoreWriter   *writer,
                     const SegRecord  *record,
                     GError          **error)
{
  SegTestWriter *self = SEG_TEST_WRITER (writer);

  g_assert_nonnull (record->user_id);
  g_assert_cmpstr (record->user_id, !=, "");
  g_assert_true (g_utf8_validate (record->user_id, -1, NULL));
  if (record->kind == SEG_RECORD_EVENT)
    {
      g_assert_nonnull (record->event);
      g_assert_true (g_utf8_validate (record->event, -1, NULL));
    }
  for (guint i = 0; i < record->n_props; i++)
    {
      const SegPropValue *v = &record->props[i];
      g_assert_nonnull (v->key);
      if (v->type == SEG_VALUE_TYPE_STRING)
        g_assert_true (g_utf8_validate (v->str, v->str_len, NULL));
    }

  if (self->fingerprint == NULL)
    self->added_before_source = TRUE;
  g_ptr_array_add (self->pending, test_record_to_string (record));
  g_ptr_array_add (self->pending_ids, record->kind == SEG_RECORD_EVENT && record->insert_id
                   ? g_strdup_printf ("%s\x1f%s", record->event, record->insert_id) : NULL);
  return TRUE;
}

/* The pipelined path (SegImportSink's consumer thread): the hashes must be the ones the
 * store would work out itself. */
static gboolean
seg_test_writer_add_hashed (SegStoreWriter         *writer,
                            const SegRecord        *record,
                            const SegRecordHashes  *hashes,
                            GError                **error)
{
  SegTestWriter *self = SEG_TEST_WRITER (writer);

  g_assert_cmphex (hashes->user, ==, seg_intern_hash (record->user_id, strlen (record->user_id)));
  for (guint i = 0; i < record->n_props; i++)
    if (record->props[i].type == SEG_VALUE_TYPE_STRING)
      g_assert_cmphex (hashes->props[i], ==, seg_intern_hash (record->props[i].str, record->props[i].str_len));
  if (record->kind == SEG_RECORD_EVENT && record->insert_id != NULL && record->insert_id[0] != '\0')
    {
      SegKey128 k;

      g_assert_nonnull (hashes->insert_key);
      seg_key128_for_insert_id (record->event, record->insert_id, &k);
      g_assert_true (k.hi == hashes->insert_key->hi && k.lo == hashes->insert_key->lo);
    }
  else
    g_assert_null (hashes->insert_key);

  self->hashed_adds++;
  self->add_thread = g_thread_self ();
  if (self->fail_after > 0 && self->hashed_adds > self->fail_after)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "The test store is full after %u records", self->fail_after);
      return FALSE;
    }
  return seg_test_writer_add (writer, record, error);
}

static gboolean
seg_test_writer_commit (SegStoreWriter  *writer,
                        GCancellable    *cancellable,
                        GError         **error)
{
  SegTestWriter *self = SEG_TEST_WRITER (writer);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      seg_store_writer_abort (writer);
      return FALSE;
    }
  for (guint i = 0; i < self->pending->len; i++)
    {
      char *id = g_ptr_array_index (self->pending_ids, i);

      /* Events whose insert id the store already holds are skipped. */
      if (id != NULL)
        {
          if (g_hash_table_contains (self->store->insert_ids, id))
            continue;
          g_hash_table_add (self->store->insert_ids, g_strdup (id));
        }
      g_ptr_array_add (self->store->records, g_strdup (g_ptr_array_index (self->pending, i)));
    }
  if (self->fingerprint != NULL)
    g_hash_table_add (self->store->fingerprints, g_strdup (self->fingerprint));
  self->store->commits++;
  g_ptr_array_set_size (self->pending, 0);
  g_ptr_array_set_size (self->pending_ids, 0);
  return TRUE;
}

static void
seg_test_writer_abort (SegStoreWriter *writer)
{
  SegTestWriter *self = SEG_TEST_WRITER (writer);

  g_ptr_array_set_size (self->pending, 0);
  g_ptr_array_set_size (self->pending_ids, 0);
  g_clear_pointer (&self->fingerprint, g_free);
}

static gboolean
seg_test_writer_begin_source (SegStoreWriter  *writer,
                              const char      *fingerprint,
                              gboolean        *already_imported,
                              GError         **error)
{
  SegTestWriter *self = SEG_TEST_WRITER (writer);

  *already_imported = g_hash_table_contains (self->store->fingerprints, fingerprint);
  g_free (self->fingerprint);
  self->fingerprint = g_strdup (fingerprint);
  return TRUE;
}

static void
seg_test_writer_finalize (GObject *object)
{
  SegTestWriter *self = (SegTestWriter *) object;

  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->pending_ids);
  g_free (self->fingerprint);

  G_OBJECT_CLASS (seg_test_writer_parent_class)->finalize (object);
}

static void
seg_test_writer_class_init (SegTestWriterClass *klass)
{
  SegStoreWriterClass *writer_class = SEG_STORE_WRITER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = seg_test_writer_finalize;
  writer_class->add = seg_test_writer_add;
  writer_class->add_hashed = seg_test_writer_add_hashed;
  writer_class->commit = seg_test_writer_commit;
  writer_class->abort = seg_test_writer_abort;
  writer_class->begin_source = seg_test_writer_begin_source;
}

static void
seg_test_writer_init (SegTestWriter *self)
{
  self->pending = g_ptr_array_new_with_free_func (g_free);
  self->pending_ids = g_ptr_array_new_with_free_func (g_free);
}

SegStoreWriter *
seg_test_writer_new (TestStore *store)
{
  SegTestWriter *self = g_object_new (SEG_TYPE_TEST_WRITER, NULL);

  self->store = store;
  return SEG_STORE_WRITER (self);
}

gboolean
seg_test_writer_added_before_source (SegTestWriter *self)
{
  return self->added_before_source;
}

guint
seg_test_writer_get_hashed_adds (SegTestWriter *self)
{
  return self->hashed_adds;
}

GThread *
seg_test_writer_get_add_thread (SegTestWriter *self)
{
  return self->add_thread;
}

void
seg_test_writer_set_fail_after (SegTestWriter *self,
                                guint          n)
{
  self->fail_after = n;
}

guint
seg_test_writer_get_pending (SegTestWriter *self)
{
  return self->pending->len;
}

#include "import/seg-import.h"

char *
test_fixture_path (const char *name)
{
  /* The shared test environment points G_TEST_SRCDIR at tests/: use our own folder. */
  return g_build_filename (IMPORT_FIXTURES, name, NULL);
}

static gboolean
collect_cb (const SegRecord  *record,
            gpointer          user_data,
            GError          **error)
{
  g_ptr_array_add (user_data, test_record_to_string (record));
  return TRUE;
}

static GPtrArray *
read_stream (SegImporter    *importer,
             GInputStream   *raw,
             const char     *name,
             SegImportSink **sink_out,
             GError        **error)
{
  g_autoptr(GInputStream) text = seg_import_open_stream (raw, NULL, NULL, error);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  SegImportSink *sink = seg_import_sink_new (name, collect_cb, records);
  gboolean ok;

  g_assert_nonnull (text);
  ok = seg_importer_read (importer, text, sink, NULL, error);
  if (sink_out != NULL)
    *sink_out = sink;
  else
    seg_import_sink_free (sink);
  return ok ? g_steal_pointer (&records) : NULL;
}

GPtrArray *
test_read_fixture (SegImporter    *importer,
                   const char     *name,
                   SegImportSink **sink_out,
                   GError        **error)
{
  g_autofree char *path = test_fixture_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) raw = g_file_read (file, NULL, NULL);

  g_assert_nonnull (raw);
  if (seg_importer_get_file_name (importer) == NULL)
    seg_importer_set_file_name (importer, name);
  return read_stream (importer, G_INPUT_STREAM (raw), name, sink_out, error);
}

GPtrArray *
test_read_text (SegImporter    *importer,
                const char     *text,
                SegImportSink **sink_out,
                GError        **error)
{
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_data (g_strdup (text), strlen (text), g_free);

  return read_stream (importer, raw, "text", sink_out, error);
}

void
test_assert_records (GPtrArray          *records,
                     const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_nonnull (records);
  for (guint i = 0; i < MAX (n, records->len); i++)
    {
      const char *got = i < records->len ? g_ptr_array_index (records, i) : "(none)";
      const char *want = i < n ? expected[i] : "(none)";
      g_assert_cmpstr (got, ==, want);
    }
}

void
test_assert_bad_row (SegImportSink *sink,
                     guint          i,
                     guint64        line,
                     const char    *reason_part)
{
  GPtrArray *bad = seg_import_sink_get_bad_rows (sink);
  SegImportBadRow *row;

  g_assert_cmpuint (i, <, bad->len);
  row = g_ptr_array_index (bad, i);
  g_assert_cmpuint (row->line, ==, line);
  if (strstr (row->reason, reason_part) == NULL)
    g_error ("bad row %u: reason “%s” lacks “%s”", i, row->reason, reason_part);
  g_assert_nonnull (row->file);
}
