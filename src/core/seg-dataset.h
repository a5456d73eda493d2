/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "seg-types.h"

G_BEGIN_DECLS

/*
 * The in-memory columnar dataset the local store evaluates over (private to the core).
 *
 * Users are interned to dense indexes 0..n_users-1. Each event name has a table whose rows
 * are sorted by (user, ts), with a CSR offset array over users, so a user's events are one
 * contiguous run. Event and profile properties are typed columns: doubles (NaN = missing)
 * for numbers, booleans and dates; ids into the store-wide string dictionary (0 = missing)
 * for strings and lists (a list is stored as its items, each followed by a NUL byte).
 */

/* A string interner: ids are dense, strings live in one pool. The hash index is built
 * lazily, so that loading a store does not pay for it until something looks up a string. */
typedef struct
{
  char     *pool;
  gsize     pool_len;
  gsize     pool_cap;
  guint64  *offsets;     /* n + 1 entries */
  guint     n;
  guint     cap;
  struct _SegInternSlot *slots;  /* open addressing; id1 = id + 1, 0 = empty */
  guint     mask;        /* slots has mask + 1 entries; 0 when the index is not built */
  guint     first_indexed; /* ids below are reserved and never found by lookups */
} SegIntern;

SegIntern   *seg_intern_new          (void);
void         seg_intern_free         (SegIntern   *self);
guint32      seg_intern_add          (SegIntern   *self,
                                      const char  *str,
                                      gsize        len,
                                      gboolean    *added);
gboolean     seg_intern_lookup       (SegIntern   *self,
                                      const char  *str,
                                      gsize        len,
                                      guint32     *id);
guint64      seg_intern_hash         (const char  *str,
                                      gsize        len);
gboolean     seg_intern_lookup_hashed(SegIntern   *self,
                                      const char  *str,
                                      gsize        len,
                                      guint64      hash,
                                      guint32     *id);
guint32      seg_intern_add_hashed   (SegIntern   *self,
                                      const char  *str,
                                      gsize        len,
                                      guint64      hash,
                                      gboolean    *added);
void         seg_intern_append_raw   (SegIntern   *self,
                                      const char  *str,
                                      gsize        len);
void         seg_intern_truncate     (SegIntern   *self,
                                      guint        n);
void         seg_intern_drop_index   (SegIntern   *self);
void         seg_intern_prefetch     (SegIntern   *self,
                                      guint64      hash);

static inline const char *
seg_intern_get (const SegIntern *self,
                guint32          id,
                gsize           *len)
{
  if (len != NULL)
    *len = (gsize) (self->offsets[id + 1] - self->offsets[id]) - 1;
  return self->pool + self->offsets[id];
}

typedef struct
{
  char          *name;
  SegValueType   type;     /* the type of its values */
  double        *num;      /* number, boolean, date */
  guint32       *sid;      /* string, list */
} SegColumn;

static inline gboolean
seg_value_type_is_numeric (SegValueType type)
{
  return type == SEG_VALUE_TYPE_NUMBER || type == SEG_VALUE_TYPE_BOOLEAN ||
         type == SEG_VALUE_TYPE_DATE;
}

typedef struct
{
  char       *name;
  guint       n;           /* rows */
  guint32    *user;
  gint64     *ts;
  GPtrArray  *columns;     /* of SegColumn */
  guint32    *offsets;     /* n_off + 1 entries: rows of user u are offsets[u]..offsets[u+1] */
  guint       n_off;       /* users covered; users >= n_off have no rows */
  gint64      min_ts;
  gint64      max_ts;
  guint       n_chunks;    /* chunks of it in the store's file */
  /* Built on first use (seg_table_ensure_by_time): the rows' times and users in time
   * order, so that a window near now is a short contiguous slice. */
  gint64     *by_time_ts;
  guint32    *by_time_user;
  GMutex      by_time_lock;
} SegTable;

typedef struct
{
  char          *name;
  SegValueType   type;
  double        *num;      /* n_users entries (capacity cap) */
  guint32       *sid;
  gint64        *set_ts;   /* when each value was set; G_MININT64 = never */
  guint          cap;
  gint64         max_set_ts; /* for writers: no set_ts is later (kept by the local writer) */
} SegProfileColumn;

typedef struct
{
  SegIntern   *users;      /* user ids */
  SegIntern   *strings;    /* the dictionary; id 0 is reserved for "missing" */
  GPtrArray   *tables;     /* of SegTable */
  GHashTable  *table_index;
  GPtrArray   *profile;    /* of SegProfileColumn */
  GHashTable  *profile_index;
  GPtrArray   *pending;    /* of SegTable: committed deltas not merged into their table yet */
  gint         n_pending;  /* pending->len, read atomically by seg_dataset_has_pending() */
} SegDataset;

SegDataset       *seg_dataset_new            (void);
void              seg_dataset_free           (SegDataset       *self);
static inline guint
seg_dataset_n_users (const SegDataset *self)
{
  return self->users->n;
}
SegTable         *seg_dataset_get_table      (SegDataset       *self,
                                              const char       *name);
SegProfileColumn *seg_dataset_get_profile    (SegDataset       *self,
                                              const char       *name);
void              seg_dataset_replace_table  (SegDataset       *self,
                                              SegTable         *table);
void              seg_dataset_replace_profile(SegDataset       *self,
                                              SegProfileColumn *column);
void              seg_dataset_add_pending    (SegDataset       *self,
                                              SegTable         *delta);
void              seg_dataset_merge_pending  (SegDataset       *self);
void              seg_dataset_table_info     (SegDataset       *self,
                                              const char       *name,
                                              guint            *n_chunks,
                                              guint64          *n_rows);

/* Whether deltas wait to be merged: readers merge them (write-locked) before evaluating. */
static inline gboolean
seg_dataset_has_pending (SegDataset *self)
{
  return g_atomic_int_get (&self->n_pending) > 0;
}

SegTable         *seg_table_new              (const char       *name,
                                              guint             n);
void              seg_table_free             (SegTable         *self);
SegColumn        *seg_table_get_column       (SegTable         *self,
                                              const char       *name);
SegColumn        *seg_table_add_column       (SegTable         *self,
                                              const char       *name,
                                              SegValueType      type);
void              seg_table_build_offsets    (SegTable         *self,
                                              guint             n_users);
SegTable         *seg_table_merge            (SegTable         *a,
                                              SegTable         *b,
                                              guint             n_users);
void              seg_table_sort             (SegTable         *self,
                                              guint             n_users);
void              seg_table_sort_rows        (SegTable         *self,
                                              guint             n_users);
SegTable         *seg_table_merge_all        (GPtrArray        *tables,
                                              guint             n_users);
void              seg_table_ensure_by_time   (SegTable         *self);

static inline void
seg_table_user_range (const SegTable *t,
                      guint32         u,
                      guint          *a,
                      guint          *b)
{
  if (u < t->n_off)
    {
      *a = t->offsets[u];
      *b = t->offsets[u + 1];
    }
  else
    *a = *b = 0;
}

SegColumn        *seg_column_new             (const char       *name,
                                              SegValueType      type,
                                              guint             n);
void              seg_column_free            (SegColumn        *self);

SegProfileColumn *seg_profile_column_new     (const char       *name,
                                              SegValueType      type,
                                              guint             cap);
SegProfileColumn *seg_profile_column_copy    (const SegProfileColumn *self,
                                              guint             cap);
void              seg_profile_column_free    (SegProfileColumn *self);

static inline gboolean
seg_profile_has_value (const SegProfileColumn *c,
                       guint32                 u)
{
  if (u >= c->cap)
    return FALSE;
  if (seg_value_type_is_numeric (c->type))
    return c->num[u] == c->num[u];
  return c->sid[u] != 0;
}

/* Bitmaps over users. */
typedef struct
{
  guint64  *words;
  guint     n_bits;
  guint     n_words;
} SegBitmap;

SegBitmap  *seg_bitmap_new        (guint            n_bits);
SegBitmap  *seg_bitmap_new_full   (guint            n_bits);
SegBitmap  *seg_bitmap_copy       (const SegBitmap *self);
void        seg_bitmap_free       (SegBitmap       *self);
void        seg_bitmap_and        (SegBitmap       *self,
                                   const SegBitmap *other);
void        seg_bitmap_or         (SegBitmap       *self,
                                   const SegBitmap *other);
void        seg_bitmap_and_not    (SegBitmap       *self,
                                   const SegBitmap *other);
void        seg_bitmap_invert     (SegBitmap       *self);
guint64     seg_bitmap_count      (const SegBitmap *self);
guint64     seg_bitmap_count_and  (const SegBitmap *a,
                                   const SegBitmap *b);
gint64      seg_bitmap_next       (const SegBitmap *self,
                                   guint            from);

static inline void
seg_bitmap_set (SegBitmap *self,
                guint      bit)
{
  self->words[bit >> 6] |= G_GUINT64_CONSTANT (1) << (bit & 63);
}

static inline gboolean
seg_bitmap_get (const SegBitmap *self,
                guint            bit)
{
  return (self->words[bit >> 6] >> (bit & 63)) & 1;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegBitmap, seg_bitmap_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegDataset, seg_dataset_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegTable, seg_table_free)

G_END_DECLS
