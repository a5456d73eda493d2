/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-import-summary"

#include "config.h"

#include <string.h>

#include "seg-import-summary-private.h"

struct _SegImportSummary
{
  GObject     parent_instance;

  char       *format_id;
  char       *file_name;
  char       *fingerprint;
  gboolean    already_imported;
  gboolean    committed;
  guint64     rows_read;
  guint64     events;
  guint64     profiles;
  guint64     rejected;
  guint64     bytes;
  double      seconds;
  gint64      first_ms;
  gint64      last_ms;
  guint64    *user_hashes;  /* open addressing set of 64-bit hashes of user ids; 0 = empty */
  gsize       user_slots;   /* a power of two */
  gsize       n_users;
  GHashTable *event_counts; /* name -> count */
  guint64     last_user;    /* hash of the previous record's user: runs are common */
  guint64     pending_user; /* hash inserted with the next record, its slot prefetched */
  const char *last_event;
  guint64    *last_event_count;
  GPtrArray  *bad_rows;
  GPtrArray  *identities;
  GPtrArray  *identity_types;
};

G_DEFINE_FINAL_TYPE (SegImportSummary, seg_import_summary, G_TYPE_OBJECT)

static void
seg_import_summary_finalize (GObject *object)
{
  SegImportSummary *self = (SegImportSummary *) object;

  g_free (self->format_id);
  g_free (self->file_name);
  g_free (self->fingerprint);
  g_free (self->user_hashes);
  g_hash_table_unref (self->event_counts);
  g_ptr_array_unref (self->bad_rows);
  g_ptr_array_unref (self->identities);
  g_ptr_array_unref (self->identity_types);

  G_OBJECT_CLASS (seg_import_summary_parent_class)->finalize (object);
}

static void
seg_import_summary_class_init (SegImportSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_import_summary_finalize;
}

static void
seg_import_summary_init (SegImportSummary *self)
{
  self->user_slots = 1024;
  self->user_hashes = g_new0 (guint64, self->user_slots);
  self->event_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->bad_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_import_bad_row_free);
  self->identities = g_ptr_array_new_with_free_func (g_free);
  self->identity_types = g_ptr_array_new_with_free_func (g_free);
  self->first_ms = G_MAXINT64;
  self->last_ms = G_MININT64;
}

SegImportSummary *
seg_import_summary_new (const char *format_id,
                        const char *file_name)
{
  SegImportSummary *self = g_object_new (SEG_TYPE_IMPORT_SUMMARY, NULL);

  self->format_id = g_strdup (format_id);
  self->file_name = g_strdup (file_name);
  return self;
}

/*
 * Users are counted by a 64-bit hash of their id rather than by a set of copied strings:
 * no allocation per new user, a tenth of the memory, and a chance of a collision among a
 * million users of about 3e-8.
 */
static inline guint64
hash_user (const char *id)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const guchar *p = (const guchar *) id; *p; p++)
    {
      h ^= *p;
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  /* Final mix (from MurmurHash3) so that the low bits spread well. */
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  return h ? h : 1;
}

static void
users_insert (SegImportSummary *self,
              guint64           h)
{
  gsize mask = self->user_slots - 1;
  gsize i = h & mask;

  while (self->user_hashes[i] != 0)
    {
      if (self->user_hashes[i] == h)
        return;
      i = (i + 1) & mask;
    }
  self->user_hashes[i] = h;
  self->n_users++;

  if (self->n_users * 2 > self->user_slots)
    {
      guint64 *old = self->user_hashes;
      gsize old_slots = self->user_slots;

      self->user_slots *= 2;
      self->user_hashes = g_new0 (guint64, self->user_slots);
      self->n_users = 0;
      for (gsize j = 0; j < old_slots; j++)
        if (old[j] != 0)
          users_insert (self, old[j]);
      g_free (old);
    }
}

static void
flush_pending_user (SegImportSummary *self)
{
  if (self->pending_user != 0)
    {
      users_insert (self, self->pending_user);
      self->pending_user = 0;
    }
}

void
seg_import_summary_count (SegImportSummary *self,
                          const SegRecord  *record)
{
  guint64 h = hash_user (record->user_id);

  if (h != self->last_user)
    {
      /* With many distinct users the table outgrows the caches: fetch this user's slot
       * now and insert it while the next record is parsed, not waiting on memory. */
      __builtin_prefetch (&self->user_hashes[h & (self->user_slots - 1)]);
      if (self->pending_user != 0)
        users_insert (self, self->pending_user);
      self->pending_user = h;
      self->last_user = h;
    }

  if (record->kind == SEG_RECORD_PROFILE)
    {
      self->profiles++;
      return;
    }

  self->events++;
  if (record->ts_ms < self->first_ms)
    self->first_ms = record->ts_ms;
  if (record->ts_ms > self->last_ms)
    self->last_ms = record->ts_ms;

  if (self->last_event == NULL || strcmp (self->last_event, record->event) != 0)
    {
      char *key = NULL;
      guint64 *count = NULL;

      if (!g_hash_table_lookup_extended (self->event_counts, record->event,
                                         (gpointer *) &key, (gpointer *) &count))
        {
          key = g_strdup (record->event);
          count = g_new0 (guint64, 1);
          g_hash_table_insert (self->event_counts, key, count);
        }
      self->last_event = key;
      self->last_event_count = count;
    }
  (*self->last_event_count)++;
}

void
seg_import_summary_take_sink (SegImportSummary *self,
                              SegImportSink    *sink)
{
  GPtrArray *bad = seg_import_sink_get_bad_rows (sink);
  GPtrArray *ids = seg_import_sink_get_identities (sink);

  flush_pending_user (self);

  self->rows_read = seg_import_sink_get_rows_read (sink);
  self->rejected = seg_import_sink_get_rejected (sink);
  g_ptr_array_set_size (self->bad_rows, 0);
  for (guint i = 0; i < bad->len; i++)
    g_ptr_array_add (self->bad_rows, seg_import_bad_row_copy (g_ptr_array_index (bad, i)));
  g_ptr_array_set_size (self->identities, 0);
  g_ptr_array_set_size (self->identity_types, 0);
  for (guint i = 0; i < ids->len; i++)
    {
      g_ptr_array_add (self->identities, g_strdup (g_ptr_array_index (ids, i)));
      g_ptr_array_add (self->identity_types,
                       g_strdup (g_ptr_array_index (seg_import_sink_get_identity_types (sink), i)));
    }
}

void
seg_import_summary_set_result (SegImportSummary *self,
                               const char       *fingerprint,
                               gboolean          already_imported,
                               gboolean          committed,
                               guint64           bytes,
                               double            seconds)
{
  g_free (self->fingerprint);
  self->fingerprint = g_strdup (fingerprint);
  self->already_imported = already_imported;
  self->committed = committed;
  self->bytes = bytes;
  self->seconds = seconds;
}

const char *
seg_import_summary_get_format_id (SegImportSummary *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), NULL);
  return self->format_id;
}

const char *
seg_import_summary_get_file_name (SegImportSummary *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), NULL);
  return self->file_name;
}

/**
 * seg_import_summary_get_fingerprint:
 *
 * Returns: (nullable): the SHA-256 of the file's bytes, once the whole file was read
 */
const char *
seg_import_summary_get_fingerprint (SegImportSummary *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), NULL);
  return self->fingerprint;
}

gboolean
seg_import_summary_get_already_imported (SegImportSummary *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), FALSE);
  return self->already_imported;
}

/**
 * seg_import_summary_get_committed:
 *
 * Returns: %TRUE when the records were committed to the store
 */
gboolean
seg_import_summary_get_committed (SegImportSummary *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), FALSE);
  return self->committed;
}

#define COUNT_GETTER(field)                                        \
guint64                                                            \
seg_import_summary_get_##field (SegImportSummary *self)            \
{                                                                  \
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), 0);          \
  return self->field;                                              \
}

COUNT_GETTER (rows_read)
COUNT_GETTER (events)
COUNT_GETTER (profiles)
COUNT_GETTER (rejected)
COUNT_GETTER (bytes)

guint64
seg_import_summary_get_users (SegImportSummary *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), 0);
  flush_pending_user (self);
  return self->n_users;
}

double
seg_import_summary_get_seconds (SegImportSummary *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), 0);
  return self->seconds;
}

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/**
 * seg_import_summary_dup_event_names:
 *
 * Returns: (transfer full): the event names seen, sorted
 */
GStrv
seg_import_summary_dup_event_names (SegImportSummary *self)
{
  g_autofree gpointer *keys = NULL;
  guint n;
  GStrv names;

  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), NULL);

  keys = g_hash_table_get_keys_as_array (self->event_counts, &n);
  names = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    names[i] = g_strdup (keys[i]);
  qsort (names, n, sizeof (char *), compare_names);
  return names;
}

guint64
seg_import_summary_get_event_count (SegImportSummary *self,
                                    const char       *event_name)
{
  guint64 *count;

  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), 0);
  count = g_hash_table_lookup (self->event_counts, event_name);
  return count ? *count : 0;
}

/**
 * seg_import_summary_get_date_range:
 *
 * Returns: %FALSE when there were no events
 */
gboolean
seg_import_summary_get_date_range (SegImportSummary *self,
                                   gint64           *first_ms,
                                   gint64           *last_ms)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), FALSE);

  if (self->events == 0)
    return FALSE;
  if (first_ms)
    *first_ms = self->first_ms;
  if (last_ms)
    *last_ms = self->last_ms;
  return TRUE;
}

/**
 * seg_import_summary_get_bad_rows:
 *
 * Returns: (transfer none) (element-type SegImportBadRow): the first rejected rows
 */
GPtrArray *
seg_import_summary_get_bad_rows (SegImportSummary *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), NULL);
  return self->bad_rows;
}

/**
 * seg_import_summary_get_identities:
 *
 * The members of a custom list (CleverTap's Custom List CSV), to make a custom-list
 * segment of; empty for other formats.
 *
 * Returns: (transfer none) (element-type utf8): the identities, in file order
 */
GPtrArray *
seg_import_summary_get_identities (SegImportSummary *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), NULL);
  return self->identities;
}

/**
 * seg_import_summary_get_identity_types:
 *
 * What each identity is, from the list's Type column, lower-case: "identity", "email",
 * "phone", "objectid", ...
 *
 * Returns: (transfer none) (element-type utf8): one type per identity
 */
GPtrArray *
seg_import_summary_get_identity_types (SegImportSummary *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_SUMMARY (self), NULL);
  return self->identity_types;
}

static char *
iso_ms (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);

  return dt ? g_date_time_format_iso8601 (dt) : g_strdup ("");
}

/**
 * seg_import_summary_to_json:
 *
 * Returns: (transfer full): the summary as one JSON object (segctl import --json)
 */
JsonNode *
seg_import_summary_to_json (SegImportSummary *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) names = seg_import_summary_dup_event_names (self);
  gint64 first, last;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, self->format_id);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, self->file_name);
  json_builder_set_member_name (b, "fingerprint");
  json_builder_add_string_value (b, self->fingerprint);
  json_builder_set_member_name (b, "already_imported");
  json_builder_add_boolean_value (b, self->already_imported);
  json_builder_set_member_name (b, "committed");
  json_builder_add_boolean_value (b, self->committed);
  json_builder_set_member_name (b, "rows_read");
  json_builder_add_int_value (b, self->rows_read);
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, self->events);
  json_builder_set_member_name (b, "profiles");
  json_builder_add_int_value (b, self->profiles);
  json_builder_set_member_name (b, "users");
  json_builder_add_int_value (b, seg_import_summary_get_users (self));
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, self->rejected);
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, self->bytes);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, self->seconds);
  json_builder_set_member_name (b, "event_names");
  json_builder_begin_object (b);
  for (guint i = 0; names[i]; i++)
    {
      json_builder_set_member_name (b, names[i]);
      json_builder_add_int_value (b, seg_import_summary_get_event_count (self, names[i]));
    }
  json_builder_end_object (b);
  if (seg_import_summary_get_date_range (self, &first, &last))
    {
      g_autofree char *f = iso_ms (first);
      g_autofree char *l = iso_ms (last);

      json_builder_set_member_name (b, "first_event");
      json_builder_add_string_value (b, f);
      json_builder_set_member_name (b, "last_event");
      json_builder_add_string_value (b, l);
    }
  json_builder_set_member_name (b, "bad_rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->bad_rows->len; i++)
    {
      SegImportBadRow *row = g_ptr_array_index (self->bad_rows, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, row->file);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, row->line);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, row->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (self->identities->len > 0)
    {
      json_builder_set_member_name (b, "identities");
      json_builder_begin_array (b);
      for (guint i = 0; i < self->identities->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (self->identities, i));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "identity_types");
      json_builder_begin_array (b);
      for (guint i = 0; i < self->identity_types->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (self->identity_types, i));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
