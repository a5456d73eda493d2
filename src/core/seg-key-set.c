/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-key-set"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "seg-key-set.h"

/* ---- MurmurHash3 x64 128 (Austin Appleby, public domain), seed 0 ---- */

static inline guint64
rotl64 (guint64 x,
        int     r)
{
  return (x << r) | (x >> (64 - r));
}

static inline guint64
fmix64 (guint64 k)
{
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  k ^= k >> 33;
  return k;
}

static inline guint64
read64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

void
seg_hash128 (const void *data,
             gsize       len,
             SegKey128  *out)
{
  const guint8 *p = data;
  const guint64 c1 = G_GUINT64_CONSTANT (0x87c37b91114253d5);
  const guint64 c2 = G_GUINT64_CONSTANT (0x4cf5ad432745937f);
  gsize nblocks = len / 16;
  guint64 h1 = 0, h2 = 0, k1 = 0, k2 = 0;
  const guint8 *tail;

  for (gsize i = 0; i < nblocks; i++)
    {
      k1 = read64 (p + i * 16);
      k2 = read64 (p + i * 16 + 8);

      k1 *= c1; k1 = rotl64 (k1, 31); k1 *= c2; h1 ^= k1;
      h1 = rotl64 (h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
      k2 *= c2; k2 = rotl64 (k2, 33); k2 *= c1; h2 ^= k2;
      h2 = rotl64 (h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
    }

  tail = p + nblocks * 16;
  k1 = k2 = 0;
  switch (len & 15)
    {
    case 15: k2 ^= (guint64) tail[14] << 48; G_GNUC_FALLTHROUGH;
    case 14: k2 ^= (guint64) tail[13] << 40; G_GNUC_FALLTHROUGH;
    case 13: k2 ^= (guint64) tail[12] << 32; G_GNUC_FALLTHROUGH;
    case 12: k2 ^= (guint64) tail[11] << 24; G_GNUC_FALLTHROUGH;
    case 11: k2 ^= (guint64) tail[10] << 16; G_GNUC_FALLTHROUGH;
    case 10: k2 ^= (guint64) tail[9] << 8; G_GNUC_FALLTHROUGH;
    case 9:
      k2 ^= (guint64) tail[8];
      k2 *= c2; k2 = rotl64 (k2, 33); k2 *= c1; h2 ^= k2;
      G_GNUC_FALLTHROUGH;
    case 8: k1 ^= (guint64) tail[7] << 56; G_GNUC_FALLTHROUGH;
    case 7: k1 ^= (guint64) tail[6] << 48; G_GNUC_FALLTHROUGH;
    case 6: k1 ^= (guint64) tail[5] << 40; G_GNUC_FALLTHROUGH;
    case 5: k1 ^= (guint64) tail[4] << 32; G_GNUC_FALLTHROUGH;
    case 4: k1 ^= (guint64) tail[3] << 24; G_GNUC_FALLTHROUGH;
    case 3: k1 ^= (guint64) tail[2] << 16; G_GNUC_FALLTHROUGH;
    case 2: k1 ^= (guint64) tail[1] << 8; G_GNUC_FALLTHROUGH;
    case 1:
      k1 ^= (guint64) tail[0];
      k1 *= c1; k1 = rotl64 (k1, 31); k1 *= c2; h1 ^= k1;
      break;
    default:
      break;
    }

  h1 ^= len;
  h2 ^= len;
  h1 += h2;
  h2 += h1;
  h1 = fmix64 (h1);
  h2 = fmix64 (h2);
  h1 += h2;
  h2 += h1;

  out->hi = h1;
  out->lo = h2;
}

/**
 * seg_key128_for_insert_id:
 *
 * The key of an event's insert id: the hash of "@event \x1f @insert_id".
 */
void
seg_key128_for_insert_id (const char *event,
                          const char *insert_id,
                          SegKey128  *out)
{
  gsize elen = strlen (event), ilen = strlen (insert_id);
  char stack[256];
  char *buf = elen + 1 + ilen <= sizeof stack ? stack : g_malloc (elen + 1 + ilen);

  memcpy (buf, event, elen);
  buf[elen] = '\x1f';
  memcpy (buf + elen + 1, insert_id, ilen);
  seg_hash128 (buf, elen + 1 + ilen, out);
  if (buf != stack)
    g_free (buf);
}

static inline int
key_cmp (const SegKey128 *a,
         const SegKey128 *b)
{
  if (a->hi != b->hi)
    return a->hi < b->hi ? -1 : 1;
  if (a->lo != b->lo)
    return a->lo < b->lo ? -1 : 1;
  return 0;
}

/* ---- SegKeySet ---- */

/* The all-zero key marks an empty slot; a real zero key (probability 2^-128) is kept
 * aside. A key's home slot is given by the top bits of its hash, so the table is in key
 * order but for the few places keys moved on when their slot was taken: turning it into
 * a sorted run is one pass and a short insertion sort (seg_key_run_new_from_set()). */
struct _SegKeySet
{
  SegKey128 *slots;
  gsize      mask;      /* capacity - 1 */
  guint      bits;      /* capacity = 2^bits; a key's home slot is its top bits */
  gsize      n;
  gboolean   has_zero;
};

static inline gboolean
key_is_zero (const SegKey128 *k)
{
  return k->hi == 0 && k->lo == 0;
}

static inline gsize
home_slot (const SegKeySet *self,
           const SegKey128 *k)
{
  return (gsize) (k->hi >> (64 - self->bits));
}

/* Zeroed slots. Tables of millions of keys are probed at random: on 2 MB pages (where
 * the kernel offers them) a probe costs one cache miss instead of a cache and a TLB miss.
 * Freed with free(). */
static SegKey128 *
slots_new (gsize n)
{
  gsize bytes = n * sizeof (SegKey128);
  void *mem = NULL;

#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes >= 8 * 1024 * 1024 && posix_memalign (&mem, 2 * 1024 * 1024, bytes) == 0)
    {
      madvise (mem, bytes, MADV_HUGEPAGE);
      memset (mem, 0, bytes);
      return mem;
    }
#endif
  mem = calloc (n, sizeof (SegKey128));
  if (mem == NULL)
    g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, bytes);
  return mem;
}

SegKeySet *
seg_key_set_new (void)
{
  SegKeySet *self = g_new0 (SegKeySet, 1);

  self->bits = 10;
  self->mask = 1023;
  self->slots = slots_new (self->mask + 1);
  return self;
}

void
seg_key_set_free (SegKeySet *self)
{
  if (self == NULL)
    return;
  free (self->slots);
  g_free (self);
}

gsize
seg_key_set_size (const SegKeySet *self)
{
  return self->n;
}

static void
set_grow (SegKeySet *self)
{
  gsize old_cap = self->mask + 1;
  SegKey128 *old = self->slots;

  self->mask = old_cap * 2 - 1;
  self->bits++;
  self->slots = slots_new (old_cap * 2);
  for (gsize i = 0; i < old_cap; i++)
    {
      gsize j;

      if (key_is_zero (&old[i]))
        continue;
      j = home_slot (self, &old[i]);
      while (!key_is_zero (&self->slots[j]))
        j = (j + 1) & self->mask;
      self->slots[j] = old[i];
    }
  free (old);
}

gboolean
seg_key_set_contains (const SegKeySet *self,
                      const SegKey128 *key)
{
  gsize j;

  if (key_is_zero (key))
    return self->has_zero;
  j = home_slot (self, key);
  while (!key_is_zero (&self->slots[j]))
    {
      if (self->slots[j].hi == key->hi && self->slots[j].lo == key->lo)
        return TRUE;
      j = (j + 1) & self->mask;
    }
  return FALSE;
}

/* A hint: @key will be looked up soon. */
void
seg_key_set_prefetch (const SegKeySet *self,
                      const SegKey128 *key)
{
  __builtin_prefetch (&self->slots[home_slot (self, key)]);
}

/* Returns TRUE when @key was not in the set yet. */
gboolean
seg_key_set_add (SegKeySet       *self,
                 const SegKey128 *key)
{
  gsize j;

  if (key_is_zero (key))
    {
      if (self->has_zero)
        return FALSE;
      self->has_zero = TRUE;
      self->n++;
      return TRUE;
    }
  /* At most 5/8 full. */
  if ((self->n + 1) * 8 > (self->mask + 1) * 5)
    set_grow (self);
  j = home_slot (self, key);
  while (!key_is_zero (&self->slots[j]))
    {
      if (self->slots[j].hi == key->hi && self->slots[j].lo == key->lo)
        return FALSE;
      j = (j + 1) & self->mask;
    }
  self->slots[j] = *key;
  self->n++;
  return TRUE;
}

/* ---- SegKeyRun ---- */

struct _SegKeyRun
{
  SegKey128 *keys;
  gsize      n;
  guint32   *dir;       /* dir[b]: the first key whose top dir_bits are >= b; 2^bits + 1 */
  guint      dir_bits;
#if G_BYTE_ORDER != G_LITTLE_ENDIAN
  guint8    *le;        /* the stored form, made when first asked for */
#endif
};

static guint
bits_for (gsize n,
          gsize per_bucket)
{
  guint bits = 0;

  while (bits < 26 && ((gsize) 1 << (bits + 1)) * per_bucket <= n)
    bits++;
  return bits;
}

static inline gsize
top_bits (guint64 hi,
          guint   bits)
{
  return bits == 0 ? 0 : (gsize) (hi >> (64 - bits));
}

static void
run_build_dir (SegKeyRun *self)
{
  gsize n_buckets;
  gsize k = 0;

  self->dir_bits = bits_for (self->n, 4);
  n_buckets = (gsize) 1 << self->dir_bits;
  self->dir = g_new (guint32, n_buckets + 1);
  for (gsize b = 0; b < n_buckets; b++)
    {
      while (k < self->n && top_bits (self->keys[k].hi, self->dir_bits) < b)
        k++;
      self->dir[b] = (guint32) k;
    }
  self->dir[n_buckets] = (guint32) self->n;
}

static SegKeyRun *
run_new_take (SegKey128 *keys,
              gsize      n)
{
  SegKeyRun *self = g_new0 (SegKeyRun, 1);

  g_assert (n <= G_MAXUINT32);
  self->keys = keys;
  self->n = n;
  run_build_dir (self);
  return self;
}

/**
 * seg_key_run_new_from_set:
 * @set: (transfer full): the keys
 *
 * Sorts a set's keys into a run, reusing the set's memory. The table is nearly in order
 * already (see SegKeySet): one pass gathers the keys, with those that wrapped around
 * from the end of the table moved back there, and an insertion sort settles the keys
 * that moved on from their home slot.
 */
SegKeyRun *
seg_key_run_new_from_set (SegKeySet *set)
{
  SegKey128 *slots = set->slots, *keys = slots;
  g_autoptr(GArray) wrapped = g_array_new (FALSE, FALSE, sizeof (SegKey128));
  gsize n = 0, i = 0, total;

  /* Keys at the start of the table that belong to its end went round. */
  for (; i <= set->mask && !key_is_zero (&slots[i]); i++)
    {
      if (home_slot (set, &slots[i]) > i)
        g_array_append_val (wrapped, slots[i]);
      else
        keys[n++] = slots[i];
    }
  for (; i <= set->mask; i++)
    if (!key_is_zero (&slots[i]))
      keys[n++] = slots[i];
  total = n + wrapped->len + (set->has_zero ? 1 : 0);
  if (total > set->mask + 1)
    keys = g_renew (SegKey128, keys, total);
  if (set->has_zero)
    {
      /* The zero key sorts first. */
      memmove (keys + 1, keys, n * sizeof (SegKey128));
      keys[0].hi = keys[0].lo = 0;
      n++;
    }
  if (wrapped->len > 0)
    memcpy (keys + n, wrapped->data, wrapped->len * sizeof (SegKey128));
  n += wrapped->len;
  set->slots = NULL;
  seg_key_set_free (set);

  for (gsize k = 1; k < n; k++)
    {
      SegKey128 key = keys[k];
      gsize j = k;

      while (j > 0 && key_cmp (&keys[j - 1], &key) > 0)
        {
          keys[j] = keys[j - 1];
          j--;
        }
      keys[j] = key;
    }
  return run_new_take (g_renew (SegKey128, keys, MAX (n, 1)), n);
}

/**
 * seg_key_run_new_from_bytes:
 *
 * Reads the stored form.
 *
 * Returns: (nullable): the run, or %NULL when @data is not a sorted list of whole keys
 */
SegKeyRun *
seg_key_run_new_from_bytes (const guint8  *data,
                            gsize          n_bytes)
{
  gsize n = n_bytes / sizeof (SegKey128);
  SegKey128 *keys;

  if (n_bytes % sizeof (SegKey128) != 0 || n > G_MAXUINT32)
    return NULL;
  keys = g_new (SegKey128, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      keys[i].hi = read64 (data + i * 16);
      keys[i].lo = read64 (data + i * 16 + 8);
      if (i > 0 && key_cmp (&keys[i - 1], &keys[i]) >= 0)
        {
          g_free (keys);
          return NULL;
        }
    }
  return run_new_take (keys, n);
}

/* The union of two runs. */
SegKeyRun *
seg_key_run_merge (const SegKeyRun *a,
                   const SegKeyRun *b)
{
  SegKey128 *keys = g_new (SegKey128, MAX (a->n + b->n, 1));
  gsize i = 0, j = 0, n = 0;

  while (i < a->n && j < b->n)
    {
      int c = key_cmp (&a->keys[i], &b->keys[j]);

      if (c <= 0)
        {
          keys[n++] = a->keys[i++];
          if (c == 0)
            j++;
        }
      else
        keys[n++] = b->keys[j++];
    }
  while (i < a->n)
    keys[n++] = a->keys[i++];
  while (j < b->n)
    keys[n++] = b->keys[j++];
  return run_new_take (g_renew (SegKey128, keys, MAX (n, 1)), n);
}

void
seg_key_run_free (SegKeyRun *self)
{
  if (self == NULL)
    return;
  g_free (self->keys);
  g_free (self->dir);
#if G_BYTE_ORDER != G_LITTLE_ENDIAN
  g_free (self->le);
#endif
  g_free (self);
}

gsize
seg_key_run_size (const SegKeyRun *self)
{
  return self->n;
}

gboolean
seg_key_run_contains (const SegKeyRun *self,
                      const SegKey128 *key)
{
  gsize b = top_bits (key->hi, self->dir_bits);
  gsize lo = self->dir[b], hi = self->dir[b + 1];

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      int c = key_cmp (&self->keys[mid], key);

      if (c == 0)
        return TRUE;
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

/**
 * seg_key_run_get_bytes:
 * @first: the first key
 * @n: how many keys, from @first
 *
 * Returns: (transfer none): the stored form of keys [@first, @first + @n)
 */
const guint8 *
seg_key_run_get_bytes (const SegKeyRun *self,
                       gsize            first,
                       gsize            n,
                       gsize           *n_bytes)
{
  g_return_val_if_fail (first + n <= self->n, NULL);

  *n_bytes = n * sizeof (SegKey128);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return (const guint8 *) (self->keys + first);
#else
  if (self->le == NULL)
    {
      SegKeyRun *mut = (SegKeyRun *) self;

      mut->le = g_malloc (MAX (self->n, 1) * sizeof (SegKey128));
      for (gsize i = 0; i < self->n; i++)
        {
          guint64 hi = GUINT64_TO_LE (self->keys[i].hi), lo = GUINT64_TO_LE (self->keys[i].lo);
          memcpy (mut->le + i * 16, &hi, 8);
          memcpy (mut->le + i * 16 + 8, &lo, 8);
        }
    }
  return self->le + first * sizeof (SegKey128);
#endif
}
