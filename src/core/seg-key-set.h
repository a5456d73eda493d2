/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * 128-bit keys for de-duplication: an event's (name, insert id) becomes one SegKey128, so
 * that a store can tell whether it holds a record without keeping (or asking SQLite for)
 * the text. 128 bits make an accidental collision vanishingly unlikely (about 1.5e-25
 * for 10M keys).
 *
 * The hash is MurmurHash3 x64 128 (seed 0) of "event \x1f insert_id". It is part of the
 * store format: never change it.
 *
 * SegKeySet: an open-addressing set, for the keys of one write.
 * SegKeyRun: a sorted, immutable array of keys with a directory on the top bits, for the
 *   keys a store holds (a store keeps a few runs of decreasing size, merged as they grow).
 */

typedef struct
{
  guint64 hi;
  guint64 lo;
} SegKey128;

void       seg_hash128                (const void       *data,
                                       gsize             len,
                                       SegKey128        *out);
void       seg_key128_for_insert_id   (const char       *event,
                                       const char       *insert_id,
                                       SegKey128        *out);

typedef struct _SegKeySet SegKeySet;

SegKeySet *seg_key_set_new            (void);
void       seg_key_set_free           (SegKeySet        *self);
gsize      seg_key_set_size           (const SegKeySet  *self);
gboolean   seg_key_set_contains       (const SegKeySet  *self,
                                       const SegKey128  *key);
gboolean   seg_key_set_add            (SegKeySet        *self,
                                       const SegKey128  *key);
void       seg_key_set_prefetch       (const SegKeySet  *self,
                                       const SegKey128  *key);

typedef struct _SegKeyRun SegKeyRun;

SegKeyRun *seg_key_run_new_from_set   (SegKeySet        *set);
SegKeyRun *seg_key_run_new_from_bytes (const guint8     *data,
                                       gsize             n_bytes);
SegKeyRun *seg_key_run_merge          (const SegKeyRun  *a,
                                       const SegKeyRun  *b);
void       seg_key_run_free           (SegKeyRun        *self);
gsize      seg_key_run_size           (const SegKeyRun  *self);
gboolean   seg_key_run_contains       (const SegKeyRun  *self,
                                       const SegKey128  *key);
/* The stored form: @n 16-byte keys, little-endian hi then lo, sorted. */
const guint8 *seg_key_run_get_bytes   (const SegKeyRun  *self,
                                       gsize             first,
                                       gsize             n,
                                       gsize            *n_bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegKeySet, seg_key_set_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegKeyRun, seg_key_run_free)

G_END_DECLS
