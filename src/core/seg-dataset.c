/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-dataset"

#include "config.h"

#include <math.h>
#include <string.h>

#include "seg-dataset.h"

/* Interner. */

static inline guint64
hash_bytes (const char *s,
            gsize       len)
{
  /* FNV-1a over 8-byte words, then a final mix: fast on short ids and property values. */
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325) ^ len;
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;
      memcpy (&w, s + i, 8);
      h = (h ^ w) * G_GUINT64_CONSTANT (0x100000001b3);
      h ^= h >> 29;
    }
  for (; i < len; i++)
    h = (h ^ (guchar) s[i]) * G_GUINT64_CONSTANT (0x100000001b3);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  return h;
}

SegIntern *
seg_intern_new (void)
{
  SegIntern *self = g_new0 (SegIntern, 1);

  self->cap = 64;
  self->offsets = g_new (guint64, self->cap + 1);
  self->offsets[0] = 0;
  self->pool_cap = 4096;
  self->pool = g_malloc (self->pool_cap);
  return self;
}

void
seg_intern_free (SegIntern *self)
{
  if (self == NULL)
    return;
  g_free (self->pool);
  g_free (self->offsets);
  g_free (self->slots);
  g_free (self);
}

guint64
seg_intern_hash (const char *str,
                 gsize       len)
{
  return hash_bytes (str, len);
}

/* A slot keeps the hash's high bits and the string's first bytes, so that most lookups
 * touch one cache line: user ids and short values never reach the pool. */
#define INLINE_BYTES 22

struct _SegInternSlot
{
  guint32  tag;
  guint32  id1;
  guint16  len;     /* G_MAXUINT16 for 65535 bytes and more */
  char     inl[INLINE_BYTES];
};

typedef struct _SegInternSlot Slot;

static inline void
put_slot (Slot       *slots,
          guint       mask,
          guint64     hash,
          guint32     id,
          const char *str,
          gsize       len)
{
  guint i = (guint32) (hash >> 32) & mask;

  while (slots[i].id1 != 0)
    i = (i + 1) & mask;
  slots[i].tag = (guint32) (hash >> 32);
  slots[i].id1 = id + 1;
  slots[i].len = (guint16) MIN (len, G_MAXUINT16);
  memcpy (slots[i].inl, str, MIN (len, INLINE_BYTES));
}

static void
rebuild_index (SegIntern *self,
               guint      min_entries)
{
  guint size = 1024;
  Slot *old = self->slots;
  Slot *slots;
  guint mask;

  /* A load factor of at most 3/4: the tags keep probes cheap. */
  while (size * 3 < min_entries * 4)
    size <<= 1;
  mask = size - 1;
  slots = g_new0 (Slot, size);
  if (old != NULL && self->mask != 0)
    {
      /* Growing: slots are placed by their stored tag, no string is hashed again. */
      for (guint k = 0; k <= self->mask; k++)
        if (old[k].id1 != 0 && old[k].id1 - 1 < self->n)
          {
            guint i = old[k].tag & mask;
            while (slots[i].id1 != 0)
              i = (i + 1) & mask;
            slots[i] = old[k];
          }
    }
  else
    for (guint id = self->first_indexed; id < self->n; id++)
      {
        gsize len;
        const char *str = seg_intern_get (self, id, &len);
        put_slot (slots, mask, hash_bytes (str, len), id, str, len);
      }
  /* Build completely, then publish, so that a reader that sees the mask sees the slots. */
  self->slots = slots;
  g_atomic_int_set ((gint *) &self->mask, (gint) mask);
  g_free (old);
}

static GMutex index_lock;

/* Builds the hash index once; readers of a shared interner may race to do it. */
static void
ensure_index (SegIntern *self)
{
  if (g_atomic_int_get ((gint *) &self->mask) != 0)
    return;
  g_mutex_lock (&index_lock);
  if (self->mask == 0)
    rebuild_index (self, self->n + 1);
  g_mutex_unlock (&index_lock);
}

static void
append_raw (SegIntern  *self,
            const char *str,
            gsize       len,
            guint64     hash,
            gboolean    have_hash)
{
  if (self->n == self->cap)
    {
      self->cap *= 2;
      self->offsets = g_renew (guint64, self->offsets, self->cap + 1);
    }
  if (self->pool_len + len + 1 > self->pool_cap)
    {
      while (self->pool_len + len + 1 > self->pool_cap)
        self->pool_cap *= 2;
      self->pool = g_realloc (self->pool, self->pool_cap);
    }
  memcpy (self->pool + self->pool_len, str, len);
  self->pool[self->pool_len + len] = '\0';
  self->pool_len += len + 1;
  self->n++;
  self->offsets[self->n] = self->pool_len;
  if (self->mask != 0 && self->n - 1 >= self->first_indexed)
    {
      /* Grow first (that copies the existing slots), then place the new string. */
      if ((guint64) (self->n + 1) * 4 > (guint64) (self->mask + 1) * 3)
        rebuild_index (self, self->n + self->n / 2 + 1);
      put_slot (self->slots, self->mask, have_hash ? hash : hash_bytes (str, len), self->n - 1,
                self->pool + self->offsets[self->n - 1], len);
    }
}

/* Appends without a lookup (loading, and the reserved id 0). */
void
seg_intern_append_raw (SegIntern  *self,
                       const char *str,
                       gsize       len)
{
  append_raw (self, str, len, 0, FALSE);
}

/* Starts loading the slot a lookup of @hash will read: callers that know the next keys
 * hide the cache miss behind other work. */
void
seg_intern_prefetch (SegIntern *self,
                     guint64    hash)
{
  if (self->mask != 0)
    __builtin_prefetch (&self->slots[(guint32) (hash >> 32) & self->mask]);
}

/* Frees the hash index; the next lookup builds it again. Call with no concurrent readers. */
void
seg_intern_drop_index (SegIntern *self)
{
  g_clear_pointer (&self->slots, g_free);
  self->mask = 0;
}

/* Forgets the strings from @n on: undoes the appends of a failed write. */
void
seg_intern_truncate (SegIntern *self,
                     guint      n)
{
  if (n >= self->n)
    return;
  self->n = n;
  self->pool_len = self->offsets[n];
  if (self->mask != 0)
    rebuild_index (self, self->n + 1);
}

gboolean
seg_intern_lookup_hashed (SegIntern  *self,
                          const char *str,
                          gsize       len,
                          guint64     hash,
                          guint32    *id)
{
  guint32 tag = (guint32) (hash >> 32);
  guint16 slen = (guint16) MIN (len, G_MAXUINT16);
  guint i;

  ensure_index (self);
  i = tag & self->mask;
  while (self->slots[i].id1 != 0)
    {
      const Slot *slot = &self->slots[i];

      if (slot->tag == tag && slot->len == slen &&
          memcmp (slot->inl, str, MIN (len, INLINE_BYTES)) == 0)
        {
          guint32 cand = slot->id1 - 1;
          if (len <= INLINE_BYTES ||
              (self->offsets[cand + 1] - self->offsets[cand] - 1 == len &&
               memcmp (self->pool + self->offsets[cand], str, len) == 0))
            {
              *id = cand;
              return TRUE;
            }
        }
      i = (i + 1) & self->mask;
    }
  return FALSE;
}

gboolean
seg_intern_lookup (SegIntern  *self,
                   const char *str,
                   gsize       len,
                   guint32    *id)
{
  return seg_intern_lookup_hashed (self, str, len, hash_bytes (str, len), id);
}

guint32
seg_intern_add_hashed (SegIntern  *self,
                       const char *str,
                       gsize       len,
                       guint64     hash,
                       gboolean   *added)
{
  guint32 id;

  if (seg_intern_lookup_hashed (self, str, len, hash, &id))
    {
      if (added)
        *added = FALSE;
      return id;
    }
  append_raw (self, str, len, hash, TRUE);
  if (added)
    *added = TRUE;
  return self->n - 1;
}

guint32
seg_intern_add (SegIntern  *self,
                const char *str,
                gsize       len,
                gboolean   *added)
{
  return seg_intern_add_hashed (self, str, len, hash_bytes (str, len), added);
}

/* Columns and tables. */

SegColumn *
seg_column_new (const char   *name,
                SegValueType  type,
                guint         n)
{
  SegColumn *c = g_new0 (SegColumn, 1);

  c->name = g_strdup (name);
  c->type = type;
  if (seg_value_type_is_numeric (type))
    {
      c->num = g_new (double, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        c->num[i] = NAN;
    }
  else
    c->sid = g_new0 (guint32, MAX (n, 1));
  return c;
}

void
seg_column_free (SegColumn *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->num);
  g_free (self->sid);
  g_free (self);
}

SegTable *
seg_table_new (const char *name,
               guint       n)
{
  SegTable *t = g_new0 (SegTable, 1);

  t->name = g_strdup (name);
  t->n = n;
  t->user = g_new (guint32, MAX (n, 1));
  t->ts = g_new (gint64, MAX (n, 1));
  t->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_column_free);
  t->min_ts = G_MAXINT64;
  t->max_ts = G_MININT64;
  g_mutex_init (&t->by_time_lock);
  return t;
}

void
seg_table_free (SegTable *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->user);
  g_free (self->ts);
  g_free (self->offsets);
  g_free (self->by_time_ts);
  g_free (self->by_time_user);
  g_mutex_clear (&self->by_time_lock);
  g_ptr_array_unref (self->columns);
  g_free (self);
}

/* Sorts (ts, user) pairs by time: an LSD radix sort on the time relative to the table's
 * first event, 11 bits per pass. Evaluations may race to need it: one builds, under a
 * lock, and publishes the arrays with a barrier. */
void
seg_table_ensure_by_time (SegTable *self)
{
  guint n = self->n;
  guint64 span;
  guint passes = 0;
  g_autofree guint64 *key = NULL;
  g_autofree guint64 *tmp_key = NULL;
  g_autofree guint32 *usr = NULL;
  g_autofree guint32 *tmp_usr = NULL;
  gint64 *out_ts;

  if (g_atomic_pointer_get (&self->by_time_user) != NULL)
    return;
  g_mutex_lock (&self->by_time_lock);
  if (self->by_time_user != NULL)
    {
      g_mutex_unlock (&self->by_time_lock);
      return;
    }
  key = g_new (guint64, MAX (n, 1));
  tmp_key = g_new (guint64, MAX (n, 1));
  usr = g_new (guint32, MAX (n, 1));
  tmp_usr = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      key[i] = (guint64) (self->ts[i] - self->min_ts);
      usr[i] = self->user[i];
    }
  span = n ? (guint64) (self->max_ts - self->min_ts) : 0;
  while (passes < 6 && (span >> (11 * passes)) != 0)
    passes++;
  for (guint p = 0; p < passes; p++)
    {
      guint shift = 11 * p;
      guint32 count[2048] = { 0 };
      guint32 sum = 0;

      for (guint i = 0; i < n; i++)
        count[(key[i] >> shift) & 2047]++;
      for (guint b = 0; b < 2048; b++)
        {
          guint32 c = count[b];
          count[b] = sum;
          sum += c;
        }
      for (guint i = 0; i < n; i++)
        {
          guint32 d = count[(key[i] >> shift) & 2047]++;
          tmp_key[d] = key[i];
          tmp_usr[d] = usr[i];
        }
      {
        guint64 *k = key;
        guint32 *u = usr;
        key = tmp_key;
        usr = tmp_usr;
        tmp_key = k;
        tmp_usr = u;
      }
    }
  out_ts = g_new (gint64, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    out_ts[i] = (gint64) key[i] + self->min_ts;
  self->by_time_ts = out_ts;
  g_atomic_pointer_set (&self->by_time_user, g_steal_pointer (&usr));
  g_mutex_unlock (&self->by_time_lock);
}

SegColumn *
seg_table_get_column (SegTable   *self,
                      const char *name)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      SegColumn *c = g_ptr_array_index (self->columns, i);
      if (strcmp (c->name, name) == 0)
        return c;
    }
  return NULL;
}

SegColumn *
seg_table_add_column (SegTable     *self,
                      const char   *name,
                      SegValueType  type)
{
  SegColumn *c = seg_column_new (name, type, self->n);

  g_ptr_array_add (self->columns, c);
  return c;
}

void
seg_table_build_offsets (SegTable *self,
                         guint     n_users)
{
  guint r = 0;

  g_free (self->offsets);
  self->offsets = g_new (guint32, n_users + 1);
  self->n_off = n_users;
  for (guint u = 0; u <= n_users; u++)
    {
      while (r < self->n && self->user[r] < u)
        r++;
      self->offsets[u] = r;
    }
  self->min_ts = G_MAXINT64;
  self->max_ts = G_MININT64;
  for (guint i = 0; i < self->n; i++)
    {
      if (self->ts[i] < self->min_ts)
        self->min_ts = self->ts[i];
      if (self->ts[i] > self->max_ts)
        self->max_ts = self->ts[i];
    }
}

static int
cmp_perm_ts (gconstpointer a,
             gconstpointer b,
             gpointer      data)
{
  const gint64 *ts = data;
  gint64 x = ts[*(const guint32 *) a], y = ts[*(const guint32 *) b];

  return x < y ? -1 : x > y ? 1 : (int) (*(const guint32 *) a) - (int) (*(const guint32 *) b);
}

typedef struct
{
  const guint32 *user;
  const gint64  *ts;
} RowKeys;

static int
cmp_perm_row (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const RowKeys *k = data;
  guint32 i = *(const guint32 *) a, j = *(const guint32 *) b;

  if (k->user[i] != k->user[j])
    return k->user[i] < k->user[j] ? -1 : 1;
  if (k->ts[i] != k->ts[j])
    return k->ts[i] < k->ts[j] ? -1 : 1;
  return i < j ? -1 : i > j;
}

static void
table_sort (SegTable *self,
            guint     n_users,
            gboolean  offsets)
{
  guint n = self->n;
  g_autofree guint32 *perm = NULL;
  gboolean sorted = TRUE;

  for (guint i = 1; i < n && sorted; i++)
    if (self->user[i] < self->user[i - 1] ||
        (self->user[i] == self->user[i - 1] && self->ts[i] < self->ts[i - 1]))
      sorted = FALSE;
  if (sorted)
    goto done;

  perm = g_new (guint32, MAX (n, 1));
  if ((guint64) n * 8 < n_users)
    {
      /* A few rows among many users (a live batch): a comparison sort, as a counting
       * sort would cost a pass over every user. Stable: ties keep their order. */
      RowKeys keys = { self->user, self->ts };
      for (guint i = 0; i < n; i++)
        perm[i] = i;
      g_qsort_with_data (perm, (gint) n, sizeof (guint32), cmp_perm_row, &keys);
    }
  else
    {
      g_autofree guint32 *count = g_new0 (guint32, n_users + 1);

      for (guint i = 0; i < n; i++)
        count[self->user[i] + 1]++;
      for (guint u = 0; u < n_users; u++)
        count[u + 1] += count[u];
      {
        g_autofree guint32 *pos = g_memdup2 (count, sizeof (guint32) * (n_users + 1));
        for (guint i = 0; i < n; i++)
          perm[pos[self->user[i]]++] = i;
      }
      for (guint u = 0; u < n_users; u++)
        {
          guint a = count[u], b = count[u + 1];
          gboolean run_sorted = TRUE;

          for (guint i = a + 1; i < b; i++)
            if (self->ts[perm[i]] < self->ts[perm[i - 1]])
              {
                run_sorted = FALSE;
                break;
              }
          if (!run_sorted)
            g_qsort_with_data (perm + a, (gint) (b - a), sizeof (guint32), cmp_perm_ts, self->ts);
        }
    }

  {
    guint32 *user = g_new (guint32, MAX (n, 1));
    gint64 *ts = g_new (gint64, MAX (n, 1));

    for (guint i = 0; i < n; i++)
      {
        user[i] = self->user[perm[i]];
        ts[i] = self->ts[perm[i]];
      }
    g_free (self->user);
    g_free (self->ts);
    self->user = user;
    self->ts = ts;
    for (guint c = 0; c < self->columns->len; c++)
      {
        SegColumn *col = g_ptr_array_index (self->columns, c);
        if (col->num != NULL)
          {
            double *v = g_new (double, MAX (n, 1));
            for (guint i = 0; i < n; i++)
              v[i] = col->num[perm[i]];
            g_free (col->num);
            col->num = v;
          }
        else
          {
            guint32 *v = g_new (guint32, MAX (n, 1));
            for (guint i = 0; i < n; i++)
              v[i] = col->sid[perm[i]];
            g_free (col->sid);
            col->sid = v;
          }
      }
  }
done:
  if (offsets)
    seg_table_build_offsets (self, n_users);
}

/* Sorts the rows by (user, ts): a counting sort by user (stable), then each user's run by
 * time, which is usually sorted already because files are mostly in time order. */
void
seg_table_sort (SegTable *self,
                guint     n_users)
{
  table_sort (self, n_users, TRUE);
}

/**
 * seg_table_sort_rows:
 *
 * Sorts like seg_table_sort() without building the offsets over users: for a table that
 * is only written and merged (a delta), never evaluated as it is.
 */
void
seg_table_sort_rows (SegTable *self,
                     guint     n_users)
{
  table_sort (self, n_users, FALSE);
}

static void
copy_cell (SegColumn *dst,
           guint      di,
           SegColumn *src,
           guint      si)
{
  if (src == NULL)
    return;
  if (dst->num != NULL && src->num != NULL)
    dst->num[di] = src->num[si];
  else if (dst->sid != NULL && src->sid != NULL)
    dst->sid[di] = src->sid[si];
  /* Cells of another storage type than the column's first type are dropped: a property
   * keeps the type it was first seen with. */
}

/**
 * seg_table_merge:
 *
 * Returns: (transfer full): a new table with the rows of @a and @b, both sorted, in
 *   (user, ts) order; rows of @a come first on ties, so that older data stays first.
 */
static SegTable *
merge_rows (SegTable *a,
            SegTable *b)
{
  SegTable *m = seg_table_new (a->name, a->n + b->n);
  g_autoptr(GPtrArray) ca = g_ptr_array_new ();
  g_autoptr(GPtrArray) cb = g_ptr_array_new ();
  guint i = 0, j = 0, k = 0;

  for (guint c = 0; c < a->columns->len; c++)
    {
      SegColumn *col = g_ptr_array_index (a->columns, c);
      seg_table_add_column (m, col->name, col->type);
    }
  for (guint c = 0; c < b->columns->len; c++)
    {
      SegColumn *col = g_ptr_array_index (b->columns, c);
      if (seg_table_get_column (m, col->name) == NULL)
        seg_table_add_column (m, col->name, col->type);
    }
  for (guint c = 0; c < m->columns->len; c++)
    {
      SegColumn *col = g_ptr_array_index (m->columns, c);
      g_ptr_array_add (ca, seg_table_get_column (a, col->name));
      g_ptr_array_add (cb, seg_table_get_column (b, col->name));
    }

  while (i < a->n || j < b->n)
    {
      gboolean take_a;

      if (i == a->n)
        take_a = FALSE;
      else if (j == b->n)
        take_a = TRUE;
      else
        take_a = a->user[i] < b->user[j] ||
                 (a->user[i] == b->user[j] && a->ts[i] <= b->ts[j]);
      if (take_a)
        {
          m->user[k] = a->user[i];
          m->ts[k] = a->ts[i];
          for (guint c = 0; c < m->columns->len; c++)
            copy_cell (g_ptr_array_index (m->columns, c), k, g_ptr_array_index (ca, c), i);
          i++;
        }
      else
        {
          m->user[k] = b->user[j];
          m->ts[k] = b->ts[j];
          for (guint c = 0; c < m->columns->len; c++)
            copy_cell (g_ptr_array_index (m->columns, c), k, g_ptr_array_index (cb, c), j);
          j++;
        }
      k++;
    }
  return m;
}

SegTable *
seg_table_merge (SegTable *a,
                 SegTable *b,
                 guint     n_users)
{
  SegTable *m = merge_rows (a, b);

  seg_table_build_offsets (m, n_users);
  return m;
}

/**
 * seg_table_merge_all:
 * @tables: (transfer container): sorted tables of one event, oldest first; emptied
 * @n_users: the users the offsets cover
 *
 * Merges them pairwise, neighbours first (O(rows × log tables), where merging them one
 * after the other would copy the first rows once per table). Rows of older tables come
 * first on ties, as with seg_table_merge(); the result's n_chunks is the sum of theirs.
 *
 * Returns: (transfer full): the merged table, with offsets
 */
SegTable *
seg_table_merge_all (GPtrArray *tables,
                     guint      n_users)
{
  SegTable *m;

  g_return_val_if_fail (tables->len > 0, NULL);
  while (tables->len > 1)
    {
      guint k = 0;

      for (guint i = 0; i < tables->len; i += 2)
        {
          SegTable *a = g_ptr_array_index (tables, i);

          if (i + 1 < tables->len)
            {
              SegTable *b = g_ptr_array_index (tables, i + 1);
              SegTable *ab = merge_rows (a, b);
              ab->n_chunks = a->n_chunks + b->n_chunks;
              seg_table_free (a);
              seg_table_free (b);
              a = ab;
            }
          g_ptr_array_index (tables, k++) = a;
        }
      /* The places left are stale (merged): cleared, for a free function to skip. */
      for (guint i = k; i < tables->len; i++)
        g_ptr_array_index (tables, i) = NULL;
      g_ptr_array_set_size (tables, k);
    }
  m = g_ptr_array_steal_index (tables, 0);
  seg_table_build_offsets (m, n_users);
  return m;
}

/* Profile columns. */

SegProfileColumn *
seg_profile_column_new (const char   *name,
                        SegValueType  type,
                        guint         cap)
{
  SegProfileColumn *c = g_new0 (SegProfileColumn, 1);

  c->name = g_strdup (name);
  c->type = type;
  c->cap = cap;
  if (seg_value_type_is_numeric (type))
    {
      c->num = g_new (double, MAX (cap, 1));
      for (guint i = 0; i < cap; i++)
        c->num[i] = NAN;
    }
  else
    c->sid = g_new0 (guint32, MAX (cap, 1));
  c->set_ts = g_new (gint64, MAX (cap, 1));
  for (guint i = 0; i < cap; i++)
    c->set_ts[i] = G_MININT64;
  return c;
}

SegProfileColumn *
seg_profile_column_copy (const SegProfileColumn *self,
                         guint                   cap)
{
  SegProfileColumn *c = seg_profile_column_new (self->name, self->type, cap);
  guint n = MIN (cap, self->cap);

  if (c->num != NULL)
    memcpy (c->num, self->num, n * sizeof (double));
  else
    memcpy (c->sid, self->sid, n * sizeof (guint32));
  memcpy (c->set_ts, self->set_ts, n * sizeof (gint64));
  return c;
}

void
seg_profile_column_free (SegProfileColumn *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->num);
  g_free (self->sid);
  g_free (self->set_ts);
  g_free (self);
}

/* The dataset. */

SegDataset *
seg_dataset_new (void)
{
  SegDataset *self = g_new0 (SegDataset, 1);

  self->users = seg_intern_new ();
  self->strings = seg_intern_new ();
  seg_intern_append_raw (self->strings, "", 0);   /* id 0: missing */
  self->strings->first_indexed = 1;
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_table_free);
  self->table_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->profile = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_profile_column_free);
  self->profile_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) seg_table_free);
  return self;
}

void
seg_dataset_free (SegDataset *self)
{
  if (self == NULL)
    return;
  seg_intern_free (self->users);
  seg_intern_free (self->strings);
  g_hash_table_unref (self->table_index);
  g_ptr_array_unref (self->tables);
  g_hash_table_unref (self->profile_index);
  g_ptr_array_unref (self->profile);
  g_ptr_array_unref (self->pending);
  g_free (self);
}

/**
 * seg_dataset_add_pending:
 * @delta: (transfer full): rows of one event, sorted (seg_table_sort_rows()), already in
 *   the store's file as @delta->n_chunks chunks
 *
 * Queues @delta to be merged into its event's table before the next evaluation
 * (seg_dataset_merge_pending()), so that a commit of a few rows costs O(rows), not a merge
 * of the whole table. Call with the dataset write-locked.
 */
void
seg_dataset_add_pending (SegDataset *self,
                         SegTable   *delta)
{
  g_ptr_array_add (self->pending, delta);
  g_atomic_int_set (&self->n_pending, (gint) self->pending->len);
}

/**
 * seg_dataset_merge_pending:
 *
 * Merges the queued deltas into their tables (all deltas of an event at once). Call with
 * the dataset write-locked.
 */
void
seg_dataset_merge_pending (SegDataset *self)
{
  guint n_users = seg_dataset_n_users (self);

  while (self->pending->len > 0)
    {
      g_autoptr(GPtrArray) group = g_ptr_array_new ();
      const char *name = ((SegTable *) g_ptr_array_index (self->pending, 0))->name;
      SegTable *old = seg_dataset_get_table (self, name);
      SegTable *merged;
      guint idx, k = 0;

      /* The table (taken out of the dataset, as merging consumes it), then this event's
       * deltas in commit order; the other events' deltas stay queued. */
      if (old != NULL && g_ptr_array_find (self->tables, old, &idx))
        {
          g_hash_table_remove (self->table_index, old->name);
          g_ptr_array_add (group, g_ptr_array_steal_index_fast (self->tables, idx));
        }
      for (guint i = 0; i < self->pending->len; i++)
        {
          SegTable *t = g_ptr_array_index (self->pending, i);
          if (t != NULL && strcmp (t->name, name) == 0)
            g_ptr_array_add (group, t);
          else
            g_ptr_array_index (self->pending, k++) = t;
        }
      /* The moved ones belong to group now: clear their places before shrinking, so that
       * the free function does not see them. */
      for (guint i = k; i < self->pending->len; i++)
        g_ptr_array_index (self->pending, i) = NULL;
      g_ptr_array_set_size (self->pending, k);
      merged = seg_table_merge_all (group, n_users);
      g_ptr_array_add (self->tables, merged);
      g_hash_table_insert (self->table_index, merged->name, merged);
    }
  g_atomic_int_set (&self->n_pending, 0);
}

/**
 * seg_dataset_table_info:
 * @n_chunks: (out): chunks of @name in the store's file, merged or pending
 * @n_rows: (out): its rows
 */
void
seg_dataset_table_info (SegDataset *self,
                        const char *name,
                        guint      *n_chunks,
                        guint64    *n_rows)
{
  SegTable *t = seg_dataset_get_table (self, name);

  *n_chunks = t != NULL ? t->n_chunks : 0;
  *n_rows = t != NULL ? t->n : 0;
  for (guint i = 0; i < self->pending->len; i++)
    {
      t = g_ptr_array_index (self->pending, i);
      if (strcmp (t->name, name) == 0)
        {
          *n_chunks += t->n_chunks;
          *n_rows += t->n;
        }
    }
}

SegTable *
seg_dataset_get_table (SegDataset *self,
                       const char *name)
{
  return g_hash_table_lookup (self->table_index, name);
}

SegProfileColumn *
seg_dataset_get_profile (SegDataset *self,
                         const char *name)
{
  return g_hash_table_lookup (self->profile_index, name);
}

/* Takes @table, replacing (and freeing) the table of the same name. */
void
seg_dataset_replace_table (SegDataset *self,
                           SegTable   *table)
{
  SegTable *old = g_hash_table_lookup (self->table_index, table->name);

  if (old != NULL)
    {
      g_hash_table_remove (self->table_index, old->name);
      g_ptr_array_remove_fast (self->tables, old);
    }
  g_ptr_array_add (self->tables, table);
  g_hash_table_insert (self->table_index, table->name, table);
}

void
seg_dataset_replace_profile (SegDataset       *self,
                             SegProfileColumn *column)
{
  SegProfileColumn *old = g_hash_table_lookup (self->profile_index, column->name);

  if (old != NULL)
    {
      g_hash_table_remove (self->profile_index, old->name);
      g_ptr_array_remove_fast (self->profile, old);
    }
  g_ptr_array_add (self->profile, column);
  g_hash_table_insert (self->profile_index, column->name, column);
}

/* Bitmaps. */

SegBitmap *
seg_bitmap_new (guint n_bits)
{
  SegBitmap *b = g_new (SegBitmap, 1);

  b->n_bits = n_bits;
  b->n_words = (n_bits + 63) / 64;
  b->words = g_new0 (guint64, MAX (b->n_words, 1));
  return b;
}

static void
clear_tail (SegBitmap *b)
{
  if (b->n_bits & 63)
    b->words[b->n_words - 1] &= (G_GUINT64_CONSTANT (1) << (b->n_bits & 63)) - 1;
}

SegBitmap *
seg_bitmap_new_full (guint n_bits)
{
  SegBitmap *b = seg_bitmap_new (n_bits);

  memset (b->words, 0xff, b->n_words * sizeof (guint64));
  clear_tail (b);
  return b;
}

SegBitmap *
seg_bitmap_copy (const SegBitmap *self)
{
  SegBitmap *b = g_new (SegBitmap, 1);

  *b = *self;
  b->words = g_memdup2 (self->words, MAX (self->n_words, 1) * sizeof (guint64));
  return b;
}

void
seg_bitmap_free (SegBitmap *self)
{
  if (self == NULL)
    return;
  g_free (self->words);
  g_free (self);
}

void
seg_bitmap_and (SegBitmap       *self,
                const SegBitmap *other)
{
  for (guint i = 0; i < self->n_words; i++)
    self->words[i] &= other->words[i];
}

void
seg_bitmap_or (SegBitmap       *self,
               const SegBitmap *other)
{
  for (guint i = 0; i < self->n_words; i++)
    self->words[i] |= other->words[i];
}

void
seg_bitmap_and_not (SegBitmap       *self,
                    const SegBitmap *other)
{
  for (guint i = 0; i < self->n_words; i++)
    self->words[i] &= ~other->words[i];
}

void
seg_bitmap_invert (SegBitmap *self)
{
  for (guint i = 0; i < self->n_words; i++)
    self->words[i] = ~self->words[i];
  clear_tail (self);
}

guint64
seg_bitmap_count (const SegBitmap *self)
{
  guint64 n = 0;

  for (guint i = 0; i < self->n_words; i++)
    n += (guint64) __builtin_popcountll (self->words[i]);
  return n;
}

guint64
seg_bitmap_count_and (const SegBitmap *a,
                      const SegBitmap *b)
{
  guint64 n = 0;

  for (guint i = 0; i < a->n_words; i++)
    n += (guint64) __builtin_popcountll (a->words[i] & b->words[i]);
  return n;
}

/* Returns: the first set bit at or after @from, or -1 */
gint64
seg_bitmap_next (const SegBitmap *self,
                 guint            from)
{
  guint w = from >> 6;
  guint64 word;

  if (from >= self->n_bits)
    return -1;
  word = self->words[w] & (~G_GUINT64_CONSTANT (0) << (from & 63));
  while (TRUE)
    {
      if (word != 0)
        return (gint64) w * 64 + __builtin_ctzll (word);
      if (++w >= self->n_words)
        return -1;
      word = self->words[w];
    }
}
