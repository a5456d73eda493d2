/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-local-writer"

#include "config.h"

#include <glib/gi18n.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "seg-key-set.h"
#include "seg-local-store-private.h"
#include "seg-record.h"

/*
 * A write into the local store. Records accumulate in memory in columnar builders (no
 * allocation per row: values go into growing arrays, strings into interners); commit sorts
 * them by (user, time), writes them in one SQLite transaction and only then installs them
 * into the store's dataset under its write lock. Until then readers see the old data, and
 * a failure leaves both the file and the dataset as they were.
 */

#define KEY_CACHE 32

/* A growing array of 4- or 8-byte values: appends are inline, without GArray's call and
 * memcpy per value. */
typedef struct
{
  guint8  *data;
  guint    len;
  guint    cap;
  guint    esize;
} Vec;

static void
vec_init (Vec   *v,
          guint  esize)
{
  v->data = NULL;
  v->len = v->cap = 0;
  v->esize = esize;
}

static void
vec_reserve (Vec   *v,
             guint  n)
{
  guint cap;

  if (n <= v->cap)
    return;
  cap = MAX (n, MAX (v->cap * 2, 1024));
  v->data = g_realloc (v->data, (gsize) cap * v->esize);
  v->cap = cap;
}

static inline void
vec_push32 (Vec     *v,
            guint32  x)
{
  if (G_UNLIKELY (v->len == v->cap))
    vec_reserve (v, v->len + 1);
  ((guint32 *) v->data)[v->len++] = x;
}

static inline void
vec_push64 (Vec     *v,
            gint64   x)
{
  if (G_UNLIKELY (v->len == v->cap))
    vec_reserve (v, v->len + 1);
  ((gint64 *) v->data)[v->len++] = x;
}

static inline void
vec_push_double (Vec    *v,
                 double  x)
{
  if (G_UNLIKELY (v->len == v->cap))
    vec_reserve (v, v->len + 1);
  ((double *) v->data)[v->len++] = x;
}

/* Hands the values over (at least one slot, so that empty arrays are not NULL). */
static gpointer
vec_steal (Vec *v)
{
  gpointer data;

  vec_reserve (v, MAX (v->len, 1));
  data = v->data;
  vec_init (v, v->esize);
  return data;
}

typedef struct
{
  char          *name;
  SegValueType   type;
  Vec            data;   /* double or guint32 */
} WCol;

typedef struct
{
  char          *name;
  Vec            user;
  Vec            ts;
  GPtrArray     *cols;
  const char    *cache_keys[KEY_CACHE];
  WCol          *cache_cols[KEY_CACHE];
} WTable;


struct _SegLocalWriter
{
  SegStoreWriter  parent_instance;

  SegLocalStore  *store;
  gboolean        done;

  SegIntern      *new_users;
  guint           base_users;
  SegIntern      *new_strings;
  guint           base_strings;

  GPtrArray      *tables;
  GHashTable     *table_index;
  WTable         *last_table;

  GPtrArray      *profile_cols;      /* working copies of the touched profile columns */
  GHashTable     *profile_index;
  const char     *profile_cache_keys[KEY_CACHE];
  SegProfileColumn *profile_cache_cols[KEY_CACHE];
  guint64         profile_values;

  SegKeySet      *new_keys;          /* the insert ids of this write (SegKey128) */
  GPtrArray      *fingerprints;

  SegLocalWriterStats stats;
};

G_DEFINE_FINAL_TYPE (SegLocalWriter, seg_local_writer, SEG_TYPE_STORE_WRITER)

static void
wcol_free (WCol *c)
{
  g_free (c->name);
  g_free (c->data.data);
  g_free (c);
}

static void
wtable_free (WTable *t)
{
  g_free (t->name);
  g_free (t->user.data);
  g_free (t->ts.data);
  g_ptr_array_unref (t->cols);
  g_free (t);
}

static void
writer_reset (SegLocalWriter *self)
{
  g_clear_pointer (&self->new_users, seg_intern_free);
  g_clear_pointer (&self->new_strings, seg_intern_free);
  g_clear_pointer (&self->table_index, g_hash_table_unref);
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_pointer (&self->profile_index, g_hash_table_unref);
  g_clear_pointer (&self->profile_cols, g_ptr_array_unref);
  g_clear_pointer (&self->new_keys, seg_key_set_free);
  g_clear_pointer (&self->fingerprints, g_ptr_array_unref);
  self->last_table = NULL;
}

static void
writer_finish (SegLocalWriter *self,
               gboolean        changed)
{
  if (self->done)
    return;
  self->done = TRUE;
  writer_reset (self);
  seg_local_store_writer_done (self->store, changed);
}

static guint32
intern_user (SegLocalWriter *self,
             const char     *id,
             const guint64  *hash)
{
  gsize len = strlen (id);
  guint64 h = hash != NULL ? *hash : seg_intern_hash (id, len);
  guint32 u;
  gboolean added;

  if (self->base_users > 0 && seg_intern_lookup_hashed (self->store->ds->users, id, len, h, &u))
    return u;
  u = seg_intern_add_hashed (self->new_users, id, len, h, &added);
  if (added)
    self->stats.users_added++;
  return self->base_users + u;
}

static guint32
intern_string_hashed (SegLocalWriter *self,
                      const char     *s,
                      gsize           len,
                      guint64         h)
{
  guint32 id;

  if (seg_intern_lookup_hashed (self->store->ds->strings, s, len, h, &id))
    return id;
  return self->base_strings + seg_intern_add_hashed (self->new_strings, s, len, h, NULL);
}

static guint32
intern_string (SegLocalWriter *self,
               const char     *s,
               gsize           len)
{
  return intern_string_hashed (self, s, len, seg_intern_hash (s, len));
}

static gboolean
value_is_numeric (SegValueType t)
{
  return t == SEG_VALUE_TYPE_NUMBER || t == SEG_VALUE_TYPE_BOOLEAN || t == SEG_VALUE_TYPE_DATE;
}

/* Converts @v to a column of @type: numbers and strings convert where the text allows;
 * anything else is missing. Returns FALSE when the value is missing. */
static gboolean
convert_value (SegLocalWriter     *self,
               const SegPropValue *v,
               const guint64      *hash,
               SegValueType        type,
               double             *num,
               guint32            *sid)
{
  if (v->type == SEG_VALUE_TYPE_NONE)
    return FALSE;
  if (value_is_numeric (type))
    {
      if (value_is_numeric (v->type))
        {
          *num = v->num;
          return v->num == v->num;
        }
      if (v->type == SEG_VALUE_TYPE_STRING && v->str_len > 0 && v->str_len < 64)
        {
          char buf[64], *end;
          memcpy (buf, v->str, v->str_len);
          buf[v->str_len] = '\0';
          *num = g_ascii_strtod (buf, &end);
          return *end == '\0' && *num == *num;
        }
      return FALSE;
    }
  if (value_is_numeric (v->type))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      if (v->type == SEG_VALUE_TYPE_BOOLEAN)
        g_strlcpy (buf, v->num != 0 ? "true" : "false", sizeof buf);
      else
        g_ascii_formatd (buf, sizeof buf, "%.15g", v->num);
      *sid = intern_string (self, buf, strlen (buf));
      return TRUE;
    }
  if (type == SEG_VALUE_TYPE_LIST && v->type == SEG_VALUE_TYPE_STRING)
    {
      g_autofree char *item = g_malloc (v->str_len + 1);
      memcpy (item, v->str, v->str_len);
      item[v->str_len] = '\0';
      *sid = intern_string (self, item, v->str_len + 1);
      return TRUE;
    }
  if (type == SEG_VALUE_TYPE_STRING && v->type == SEG_VALUE_TYPE_LIST)
    return FALSE;
  if (hash != NULL && v->type == SEG_VALUE_TYPE_STRING && v->str != NULL)
    *sid = intern_string_hashed (self, v->str, v->str_len, *hash);
  else
    *sid = intern_string (self, v->str ? v->str : "", v->str_len);
  return TRUE;
}

static WCol *
wtable_column (WTable       *t,
               guint         i,
               const char   *key,
               SegValueType  type)
{
  WCol *c;

  /* Importers hand the same key pointers for every row; the pointer alone is not proof
   * (a freed key's address can be reused), so the name is compared too. */
  if (i < KEY_CACHE && t->cache_keys[i] == key && strcmp (t->cache_cols[i]->name, key) == 0)
    return t->cache_cols[i];
  for (guint k = 0; k < KEY_CACHE; k++)
    if (t->cache_keys[k] == key && strcmp (t->cache_cols[k]->name, key) == 0)
      return t->cache_cols[k];
  c = NULL;
  for (guint k = 0; k < t->cols->len; k++)
    {
      WCol *cand = g_ptr_array_index (t->cols, k);
      if (strcmp (cand->name, key) == 0)
        {
          c = cand;
          break;
        }
    }
  if (c == NULL)
    {
      if (type == SEG_VALUE_TYPE_NONE)
        return NULL;
      c = g_new0 (WCol, 1);
      c->name = g_strdup (key);
      c->type = type;
      vec_init (&c->data, value_is_numeric (type) ? sizeof (double) : sizeof (guint32));
      g_ptr_array_add (t->cols, c);
    }
  if (i < KEY_CACHE)
    {
      t->cache_keys[i] = key;
      t->cache_cols[i] = c;
    }
  return c;
}

static void
wcol_pad (WCol  *c,
          guint  n)
{
  guint old = c->data.len;

  if (old >= n)
    return;
  vec_reserve (&c->data, n);
  if (value_is_numeric (c->type))
    {
      for (guint i = old; i < n; i++)
        ((double *) c->data.data)[i] = NAN;
    }
  else
    memset (c->data.data + (gsize) old * 4, 0, (gsize) (n - old) * 4);   /* 0 = missing */
  c->data.len = n;
}

static WTable *
writer_table (SegLocalWriter *self,
              const char     *event)
{
  WTable *t;

  if (self->last_table != NULL && strcmp (self->last_table->name, event) == 0)
    return self->last_table;
  /* Few event names are usual: a scan beats hashing the name for every row. */
  t = NULL;
  if (self->tables->len <= 16)
    {
      for (guint i = 0; i < self->tables->len; i++)
        {
          WTable *cand = g_ptr_array_index (self->tables, i);
          if (strcmp (cand->name, event) == 0)
            {
              t = cand;
              break;
            }
        }
    }
  else
    t = g_hash_table_lookup (self->table_index, event);
  if (t == NULL)
    {
      t = g_new0 (WTable, 1);
      t->name = g_strdup (event);
      vec_init (&t->user, sizeof (guint32));
      vec_init (&t->ts, sizeof (gint64));
      t->cols = g_ptr_array_new_with_free_func ((GDestroyNotify) wcol_free);
      g_ptr_array_add (self->tables, t);
      g_hash_table_insert (self->table_index, t->name, t);
    }
  self->last_table = t;
  return t;
}

/* 1: the store or this write has the record already; 0: new (and now remembered);
 * -1: the store's ids could not be read. */
static int
insert_id_known (SegLocalWriter   *self,
                 const SegRecord  *r,
                 const SegKey128  *key,
                 GError          **error)
{
  SegKey128 k;

  if (key == NULL)
    {
      seg_key128_for_insert_id (r->event, r->insert_id, &k);
      key = &k;
    }
  /* The store's ids are read once per store (this writer holds the only writer slot),
   * then kept in memory with the store: a live batch or the next import checks them
   * without asking SQLite. */
  if (!seg_local_store_load_insert_runs (self->store, error))
    return -1;
  for (guint i = 0; i < self->store->insert_runs->len; i++)
    if (seg_key_run_contains (g_ptr_array_index (self->store->insert_runs, i), key))
      return 1;
  return seg_key_set_add (self->new_keys, key) ? 0 : 1;
}

/* Grows a working profile column so that user @n - 1 fits. */
static void
profile_column_reserve (SegProfileColumn *c,
                        guint             n)
{
  guint cap = c->cap;

  if (n <= cap)
    return;
  /* Large reallocations move pages (mremap) rather than bytes: grow in steps, not by a
   * factor, so that a million users do not cost a million spare slots per property. */
  cap = MAX (n, cap + 65536);
  if (c->num != NULL)
    {
      c->num = g_renew (double, c->num, cap);
      for (guint i = c->cap; i < cap; i++)
        c->num[i] = NAN;
    }
  else
    {
      c->sid = g_renew (guint32, c->sid, cap);
      memset (c->sid + c->cap, 0, (cap - c->cap) * sizeof (guint32));
    }
  c->set_ts = g_renew (gint64, c->set_ts, cap);
  for (guint i = c->cap; i < cap; i++)
    c->set_ts[i] = G_MININT64;
  c->cap = cap;
}

static SegProfileColumn *
profile_column (SegLocalWriter *self,
                guint           i,
                const char     *key,
                SegValueType    type)
{
  SegProfileColumn *c;

  if (i < KEY_CACHE && self->profile_cache_keys[i] == key &&
      strcmp (self->profile_cache_cols[i]->name, key) == 0)
    return self->profile_cache_cols[i];
  /* Missing values shift the later properties of a row: look at the other slots. */
  for (guint k = 0; k < KEY_CACHE; k++)
    if (self->profile_cache_keys[k] == key && strcmp (self->profile_cache_cols[k]->name, key) == 0)
      return self->profile_cache_cols[k];
  c = g_hash_table_lookup (self->profile_index, key);
  if (c == NULL)
    {
      /* A copy of the stored column, or a new one typed by its first value. */
      SegProfileColumn *old = seg_dataset_get_profile (self->store->ds, key);
      guint cap = self->base_users + self->new_users->n + 1;

      if (old != NULL)
        {
          c = seg_profile_column_copy (old, MAX (cap, old->cap));
          c->max_set_ts = G_MININT64;
          for (guint u = 0; u < c->cap; u++)
            c->max_set_ts = MAX (c->max_set_ts, c->set_ts[u]);
        }
      else if (type != SEG_VALUE_TYPE_NONE)
        {
          c = seg_profile_column_new (key, type, cap);
          c->max_set_ts = G_MININT64;
        }
      else
        return NULL;
      g_ptr_array_add (self->profile_cols, c);
      g_hash_table_insert (self->profile_index, c->name, c);
    }
  if (i < KEY_CACHE)
    {
      self->profile_cache_keys[i] = key;
      self->profile_cache_cols[i] = c;
    }
  return c;
}

static gboolean
writer_add (SegLocalWriter   *self,
            const SegRecord  *r,
            const guint64    *user_hash,
            const guint64    *prop_hashes,
            const SegKey128  *insert_key,
            GError          **error)
{
  guint32 u;

  if (self->done)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED, _("The write is already finished"));
      return FALSE;
    }
  if (r->user_id == NULL || r->user_id[0] == '\0')
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID, _("A record needs a user id"));
      return FALSE;
    }

  if (r->kind == SEG_RECORD_EVENT)
    {
      WTable *t;
      guint row;

      if (r->event == NULL || r->event[0] == '\0')
        {
          g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID, _("An event needs a name"));
          return FALSE;
        }
      if (r->insert_id != NULL && r->insert_id[0] != '\0')
        {
          int known = insert_id_known (self, r, insert_key, error);

          if (known < 0)
            return FALSE;
          if (known > 0)
            {
              self->stats.events_duplicate++;
              return TRUE;
            }
        }
      u = intern_user (self, r->user_id, user_hash);
      t = writer_table (self, r->event);
      row = t->user.len;
      vec_push32 (&t->user, u);
      vec_push64 (&t->ts, r->ts_ms);
      for (guint i = 0; i < r->n_props; i++)
        {
          const SegPropValue *v = &r->props[i];
          WCol *c = wtable_column (t, i, v->key, v->type);
          double num;
          guint32 sid;

          if (c == NULL ||
              !convert_value (self, v, prop_hashes ? &prop_hashes[i] : NULL, c->type, &num, &sid))
            continue;
          wcol_pad (c, row);
          if (value_is_numeric (c->type))
            vec_push_double (&c->data, num);
          else
            vec_push32 (&c->data, sid);
        }
      self->stats.events_added++;
    }
  else
    {
      SegProfileColumn *cols_stack[32];
      g_autofree SegProfileColumn **cols_heap = NULL;
      SegProfileColumn **cols = cols_stack;

      u = intern_user (self, r->user_id, user_hash);
      if (r->n_props > G_N_ELEMENTS (cols_stack))
        cols = cols_heap = g_new (SegProfileColumn *, r->n_props);
      /* Users come in any order, so every column's slot of @u is a cache miss: resolve
       * the columns and ask for all the slots first, so that the misses overlap. */
      for (guint i = 0; i < r->n_props; i++)
        {
          const SegPropValue *v = &r->props[i];
          SegProfileColumn *c = profile_column (self, i, v->key, v->type);

          cols[i] = c;
          if (c == NULL)
            continue;
          profile_column_reserve (c, u + 1);
          __builtin_prefetch (&c->set_ts[u], 1);
          if (c->num != NULL)
            __builtin_prefetch (&c->num[u], 1);
          else
            __builtin_prefetch (&c->sid[u], 1);
        }
      for (guint i = 0; i < r->n_props; i++)
        {
          const SegPropValue *v = &r->props[i];
          SegProfileColumn *c = cols[i];
          double num = NAN;
          guint32 sid = 0;
          gboolean has;

          if (c == NULL)
            continue;
          /* The latest set time wins; among equal times, the later record. */
          /* Records no older than anything set so far (an import's usual case) need not
           * read the user's set time: one cache miss less per value. */
          if (r->ts_ms < c->max_set_ts && r->ts_ms < c->set_ts[u])
            continue;
          c->max_set_ts = MAX (c->max_set_ts, r->ts_ms);
          has = convert_value (self, v, prop_hashes ? &prop_hashes[i] : NULL, c->type, &num, &sid);
          c->set_ts[u] = r->ts_ms;
          if (c->num != NULL)
            c->num[u] = has ? num : NAN;
          else
            c->sid[u] = has ? sid : 0;
          self->profile_values++;
        }
      self->stats.profiles_updated++;
    }
  return TRUE;
}

static gboolean
seg_local_writer_add (SegStoreWriter   *writer,
                      const SegRecord  *r,
                      GError          **error)
{
  return writer_add (SEG_LOCAL_WRITER (writer), r, NULL, NULL, NULL, error);
}

/**
 * seg_local_writer_add_hashed:
 * @user_hash: seg_intern_hash() of @record's user id
 * @prop_hashes: per property of @record, seg_intern_hash() of its text (read only for
 *   string values)
 *
 * seg_store_writer_add() for bulk importers that hash on another thread.
 */
gboolean
seg_local_writer_add_hashed (SegLocalWriter   *self,
                             const SegRecord  *record,
                             guint64           user_hash,
                             const guint64    *prop_hashes,
                             GError          **error)
{
  return writer_add (self, record, &user_hash, prop_hashes, NULL, error);
}

static gboolean
seg_local_writer_add_hashed_vfunc (SegStoreWriter         *writer,
                                   const SegRecord        *record,
                                   const SegRecordHashes  *hashes,
                                   GError                **error)
{
  return writer_add (SEG_LOCAL_WRITER (writer), record, &hashes->user, hashes->props,
                     hashes->insert_key, error);
}

static void
seg_local_writer_prefetch_vfunc (SegStoreWriter        *writer,
                                 const SegRecordHashes *hashes)
{
  SegLocalWriter *self = SEG_LOCAL_WRITER (writer);

  seg_local_writer_prefetch_hashed (self, hashes->user);
  if (hashes->insert_key != NULL && self->new_keys != NULL)
    seg_key_set_prefetch (self->new_keys, hashes->insert_key);
}

static gboolean
seg_local_writer_begin_source (SegStoreWriter  *writer,
                               const char      *fingerprint,
                               gboolean        *already_imported,
                               GError         **error)
{
  SegLocalWriter *self = SEG_LOCAL_WRITER (writer);
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;
  int rc;

  if (self->done)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED, _("The write is already finished"));
      return FALSE;
    }
  g_mutex_lock (&self->store->db_lock);
  rc = sqlite3_prepare_v2 (self->store->db, "SELECT 1 FROM sources WHERE fingerprint = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, fingerprint, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      found = rc == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      seg_local_store_set_sqlite_error (self->store->db, error);
      g_mutex_unlock (&self->store->db_lock);
      return FALSE;
    }
  g_mutex_unlock (&self->store->db_lock);
  for (guint i = 0; i < self->fingerprints->len; i++)
    if (g_str_equal (g_ptr_array_index (self->fingerprints, i), fingerprint))
      found = TRUE;
  if (!found)
    g_ptr_array_add (self->fingerprints, g_strdup (fingerprint));
  *already_imported = found;
  return TRUE;
}

/* Turns a builder into a sorted table (freeing the builder's arrays as it goes). */
static SegTable *
build_table (WTable *w,
             guint   n_users)
{
  guint n = w->user.len;
  SegTable *t = seg_table_new (w->name, 0);

  g_free (t->user);
  g_free (t->ts);
  t->n = n;
  t->user = vec_steal (&w->user);
  t->ts = vec_steal (&w->ts);
  for (guint i = 0; i < w->cols->len; i++)
    {
      WCol *wc = g_ptr_array_index (w->cols, i);
      SegColumn *c = g_new0 (SegColumn, 1);

      wcol_pad (wc, n);
      c->name = g_strdup (wc->name);
      c->type = wc->type;
      if (value_is_numeric (wc->type))
        c->num = vec_steal (&wc->data);
      else
        c->sid = vec_steal (&wc->data);
      g_ptr_array_add (t->columns, c);
    }
  seg_table_sort_rows (t, n_users);
  return t;
}

/* Sets the journal mode; TRUE when SQLite reports it is now @mode. */
static gboolean
set_journal_mode (SegLocalStore *store,
                  const char    *mode)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = %s", mode);
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), mode) == 0;
  sqlite3_finalize (stmt);
  if (!ok)
    g_debug ("journal mode %s not set: %s", mode, sqlite3_errmsg (store->db));
  return ok;
}

typedef struct
{
  GPtrArray    *tables;    /* of WTable */
  guint         n_users;
  GAsyncQueue  *queue;     /* of SegTable, then &sort_end */
} SortJob;

static SegTable sort_end;

/* A table takes deltas as chunks of their own until it has this many in the file; the
 * next commit then rewrites it as one chunk (loading merges the chunks pairwise). */
#define MAX_DELTA_CHUNKS 256

static gpointer
sort_tables_thread (gpointer data)
{
  SortJob *job = data;

  for (guint i = 0; i < job->tables->len; i++)
    {
      WTable *w = g_ptr_array_index (job->tables, i);
      if (w->user.len > 0)
        g_async_queue_push (job->queue, build_table (w, job->n_users));
    }
  g_async_queue_push (job->queue, &sort_end);
  return NULL;
}

static gboolean
delete_event_chunks (SegLocalStore  *store,
                     const char     *event,
                     GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (store->db, "DELETE FROM event_chunks WHERE event = ?1", -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (store->db, error);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    seg_local_store_set_sqlite_error (store->db, error);
  return ok;
}

static gboolean
insert_sources (SegLocalStore  *store,
                GPtrArray      *fingerprints,
                gint64          now,
                GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (store->db, "INSERT OR IGNORE INTO sources (fingerprint, imported) VALUES (?1, ?2)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      seg_local_store_set_sqlite_error (store->db, error);
      return FALSE;
    }
  for (guint i = 0; ok && i < fingerprints->len; i++)
    {
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (fingerprints, i), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, now);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      sqlite3_reset (stmt);
    }
  if (!ok)
    seg_local_store_set_sqlite_error (store->db, error);
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
seg_local_writer_commit (SegStoreWriter  *writer,
                         GCancellable    *cancellable,
                         GError         **error)
{
  SegLocalWriter *self = SEG_LOCAL_WRITER (writer);
  SegLocalStore *store = self->store;
  SegDataset *ds = store->ds;
  guint n_users = self->base_users + self->new_users->n;
  g_autoptr(GPtrArray) new_tables = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_table_free);
  g_autoptr(GPtrArray) new_deltas = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_table_free);
  g_autoptr(GHashTable) deltas = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean need_merge = FALSE;
  GPtrArray *new_profiles = self->profile_cols;
  gboolean changed, ok = TRUE;
  gint64 t0;
  SortJob sort_job;
  GThread *sort_thread;
  gboolean bulk_journal = FALSE;
  g_autoptr(SegKeyRun) new_run = NULL;
  SegInsertRunUpdate insert_update = { NULL, 0, 0 };

  if (self->done)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED, _("The write is already finished"));
      return FALSE;
    }
  changed = self->tables->len > 0 || self->profile_values > 0 || self->new_users->n > 0;
  if (!changed && self->fingerprints->len == 0 && seg_key_set_size (self->new_keys) == 0)
    {
      writer_finish (self, FALSE);
      return TRUE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      writer_finish (self, FALSE);
      return FALSE;
    }

  g_debug ("commit: %u new users, %u new strings", self->new_users->n, self->new_strings->n);
  t0 = g_get_monotonic_time ();
  /* Nothing is looked up any more: the hash indexes (a few hundred MB for a million
   * users and their profile strings) go before the sorting needs memory. */
  seg_intern_drop_index (self->new_users);
  seg_intern_drop_index (self->new_strings);
  /* Which tables take their rows as a delta (a few rows for a big table: a chunk of their
   * own in the file, merged into the dataset before the next evaluation, O(rows)), and
   * which are merged now. Decided before the file is locked, so that no dataset lock is
   * ever taken with the file's lock held. */
  g_rw_lock_reader_lock (&store->ds_lock);
  for (guint i = 0; i < self->tables->len; i++)
    {
      WTable *w = g_ptr_array_index (self->tables, i);
      guint n_chunks;
      guint64 n_rows;

      seg_dataset_table_info (ds, w->name, &n_chunks, &n_rows);
      if (n_chunks > 0 && n_chunks < MAX_DELTA_CHUNKS && (guint64) w->user.len * 4 < n_rows)
        g_hash_table_add (deltas, w->name);
      else if (n_chunks > 0)
        need_merge = TRUE;
    }
  g_rw_lock_reader_unlock (&store->ds_lock);
  /* Only this thread queues deltas: once merged, the tables read below stay valid. */
  if (need_merge && seg_dataset_has_pending (ds))
    {
      g_rw_lock_writer_lock (&store->ds_lock);
      seg_dataset_merge_pending (ds);
      g_rw_lock_writer_unlock (&store->ds_lock);
    }

  /* A second thread sorts the tables (outside any lock of the dataset: readers keep
   * evaluating meanwhile) while this one writes the users, the strings and each table
   * sorted so far. */
  sort_job.tables = self->tables;
  sort_job.n_users = n_users;
  sort_job.queue = g_async_queue_new ();
  sort_thread = g_thread_new ("seg-writer-sort", sort_tables_thread, &sort_job);
  /* The insert ids of this write, sorted while the other thread sorts the tables. */
  if (seg_key_set_size (self->new_keys) > 0)
    new_run = seg_key_run_new_from_set (g_steal_pointer (&self->new_keys));

  g_mutex_lock (&store->db_lock);
  /* The first import into a store appends every page: with a rollback journal that
   * journals nothing, and the pages are written once instead of to the WAL and then
   * again by its checkpoint. Only possible when no other connection has the file open
   * (SQLite then stays in WAL mode, which is as correct, only slower). */
  if (ds->tables->len == 0 && ds->profile->len == 0 && self->tables->len > 0)
    bulk_journal = set_journal_mode (store, "delete");
  ok = seg_local_store_exec (store, "BEGIN IMMEDIATE", error);
  if (ok)
    ok = seg_local_store_write_strings (store, self->new_users, 0, self->base_users, FALSE, "user_chunks", error) &&
         seg_local_store_write_strings (store, self->new_strings, 0, self->base_strings, TRUE, "string_chunks", error);
  while (TRUE)
    {
      SegTable *t = g_async_queue_pop (sort_job.queue);
      SegTable *old;
      guint i;

      if (t == &sort_end)
        break;
      if (!ok)
        {
          g_ptr_array_add (new_tables, t);
          continue;   /* the rest is only collected, to be freed */
        }
      if (g_hash_table_contains (deltas, t->name))
        {
          ok = seg_local_store_write_table (store, t, error);
          t->n_chunks = 1;
          g_ptr_array_add (new_deltas, t);
          continue;
        }
      g_ptr_array_add (new_tables, t);
      i = new_tables->len - 1;
      old = seg_dataset_get_table (ds, t->name);

      if (old == NULL)
        {
          ok = seg_local_store_write_table (store, t, error);
          seg_table_build_offsets (t, n_users);
          t->n_chunks = 1;
        }
      else
        {
          SegTable *merged = seg_table_merge (old, t, n_users);

          /* Small additions to a big table become a chunk of their own; otherwise (or
           * once there are many chunks) the table is rewritten as one sorted chunk. */
          if (old->n_chunks < 8 && (guint64) t->n * 4 < old->n)
            {
              ok = seg_local_store_write_table (store, t, error);
              merged->n_chunks = old->n_chunks + 1;
            }
          else
            {
              ok = delete_event_chunks (store, t->name, error) &&
                   seg_local_store_write_table (store, merged, error);
              merged->n_chunks = 1;
            }
          g_ptr_array_index (new_tables, i) = merged;
          seg_table_free (t);
        }
    }
  g_thread_join (sort_thread);
  g_async_queue_unref (sort_job.queue);
  g_debug ("commit: tables written after %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  for (guint i = 0; ok && i < new_profiles->len; i++)
    ok = seg_local_store_write_profile (store, g_ptr_array_index (new_profiles, i), n_users, error);
  if (ok && new_run != NULL)
    ok = seg_local_store_write_insert_run (store, g_steal_pointer (&new_run), &insert_update, error);
  if (ok)
    ok = insert_sources (store, self->fingerprints, g_get_real_time () / 1000, error);
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  g_debug ("commit: rows written after %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  if (ok)
    ok = seg_local_store_exec (store, "COMMIT", error);
  if (!ok)
    seg_local_store_exec (store, "ROLLBACK", NULL);
  if (bulk_journal)
    set_journal_mode (store, "wal");
  g_mutex_unlock (&store->db_lock);

  if (!ok)
    {
      g_clear_pointer (&insert_update.merged, seg_key_run_free);
      writer_finish (self, FALSE);
      return FALSE;
    }
  /* Committed: the store's ids in memory follow the file. */
  if (insert_update.merged != NULL)
    seg_local_store_install_insert_run (store, &insert_update);

  g_debug ("commit: sorted and written in %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  /* Install: a brief exclusive moment, no I/O. The hash indexes are dropped rather than
   * grown: they are rebuilt when next needed, and two of them never coexist. */
  seg_intern_drop_index (self->new_users);
  seg_intern_drop_index (self->new_strings);
  g_rw_lock_writer_lock (&store->ds_lock);
  /* A few additions (a live batch) go into the store's index as they are appended:
   * rebuilding it would cost a hash of every user per commit. */
  if ((guint64) self->new_users->n * 8 > ds->users->n)
    seg_intern_drop_index (ds->users);
  if ((guint64) self->new_strings->n * 8 > ds->strings->n)
    seg_intern_drop_index (ds->strings);
  for (guint i = 0; i < self->new_users->n; i++)
    {
      gsize len;
      const char *s = seg_intern_get (self->new_users, i, &len);
      seg_intern_append_raw (ds->users, s, len);
    }
  for (guint i = 0; i < self->new_strings->n; i++)
    {
      gsize len;
      const char *s = seg_intern_get (self->new_strings, i, &len);
      seg_intern_append_raw (ds->strings, s, len);
    }
  while (new_tables->len > 0)
    seg_dataset_replace_table (ds, g_ptr_array_steal_index (new_tables, new_tables->len - 1));
  for (guint i = 0; i < new_deltas->len; i++)
    seg_dataset_add_pending (ds, g_ptr_array_index (new_deltas, i));
  g_ptr_array_set_free_func (new_deltas, NULL);
  while (new_profiles->len > 0)
    seg_dataset_replace_profile (ds, g_ptr_array_steal_index (new_profiles, new_profiles->len - 1));
  g_rw_lock_writer_unlock (&store->ds_lock);

  writer_finish (self, changed);
  return TRUE;
}

static void
seg_local_writer_abort (SegStoreWriter *writer)
{
  writer_finish (SEG_LOCAL_WRITER (writer), FALSE);
}

static void
seg_local_writer_finalize (GObject *object)
{
  SegLocalWriter *self = SEG_LOCAL_WRITER (object);

  writer_finish (self, FALSE);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (seg_local_writer_parent_class)->finalize (object);
}

static void
seg_local_writer_class_init (SegLocalWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SegStoreWriterClass *writer_class = SEG_STORE_WRITER_CLASS (klass);

  object_class->finalize = seg_local_writer_finalize;
  writer_class->add = seg_local_writer_add;
  writer_class->add_hashed = seg_local_writer_add_hashed_vfunc;
  writer_class->prefetch = seg_local_writer_prefetch_vfunc;
  writer_class->commit = seg_local_writer_commit;
  writer_class->abort = seg_local_writer_abort;
  writer_class->begin_source = seg_local_writer_begin_source;
}

static void
seg_local_writer_init (SegLocalWriter *self)
{
}

/* Called by the store with the writer slot taken. */
SegLocalWriter *
seg_local_writer_new (SegLocalStore *store)
{
  static gsize malloc_tuned = 0;
  SegLocalWriter *self;

  if (g_once_init_enter (&malloc_tuned))
    {
      /* glibc raises its mmap threshold to the size of any mmap-ed block freed (up to
       * 32 MiB), after which the multi-megabyte columns of an import come from the heap
       * and their freed space stays resident. A fixed 1 MiB threshold returns them to
       * the system when freed: 80 MB less peak RSS on the L import. */
      mallopt (M_MMAP_THRESHOLD, 1024 * 1024);
      g_once_init_leave (&malloc_tuned, 1);
    }
  self = g_object_new (SEG_TYPE_LOCAL_WRITER, NULL);

  self->store = g_object_ref (store);
  self->base_users = store->ds->users->n;
  self->base_strings = store->ds->strings->n;
  self->new_users = seg_intern_new ();
  self->new_strings = seg_intern_new ();
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) wtable_free);
  self->table_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->profile_cols = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_profile_column_free);
  self->profile_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->new_keys = seg_key_set_new ();
  self->fingerprints = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
seg_local_writer_get_stats (SegLocalWriter      *self,
                            SegLocalWriterStats *stats)
{
  *stats = self->stats;
}

/**
 * seg_local_writer_prefetch:
 * @record: a record that will be added soon
 *
 * A hint for bulk importers: starts fetching the index slot of @record's user, so that
 * adding it a few records later does not wait for memory.
 */
void
seg_local_writer_prefetch (SegLocalWriter  *self,
                           const SegRecord *record)
{
  if (self->done || record->user_id == NULL)
    return;
  seg_local_writer_prefetch_hashed (self, seg_intern_hash (record->user_id, strlen (record->user_id)));
}

void
seg_local_writer_prefetch_hashed (SegLocalWriter *self,
                                  guint64         h)
{
  if (self->done)
    return;
  seg_intern_prefetch (self->new_users, h);
  if (self->base_users > 0)
    seg_intern_prefetch (self->store->ds->users, h);
}
