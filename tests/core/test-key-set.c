/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "seg-key-set.h"

/* The key of an insert id is part of the store format: these values must never change
 * (a store written by one version is read by the next). */
static void
test_hash_stable (void)
{
  SegKey128 k, k2;

  seg_hash128 ("", 0, &k);
  g_assert_cmpuint (k.hi, ==, 0);
  g_assert_cmpuint (k.lo, ==, 0);

  /* MurmurHash3_x64_128 ("hello", seed 0) as published: cbd8a7b341bd9b02 5b1e906a48ae1d19 */
  seg_hash128 ("hello", 5, &k);
  g_assert_cmphex (k.hi, ==, G_GUINT64_CONSTANT (0xcbd8a7b341bd9b02));
  g_assert_cmphex (k.lo, ==, G_GUINT64_CONSTANT (0x5b1e906a48ae1d19));

  seg_key128_for_insert_id ("Charged", "e1", &k);
  seg_hash128 ("Charged\x1f" "e1", 10, &k2);
  g_assert_true (k.hi == k2.hi && k.lo == k2.lo);
  /* The separator keeps ("ab", "c") and ("a", "bc") apart. */
  seg_key128_for_insert_id ("ab", "c", &k);
  seg_key128_for_insert_id ("a", "bc", &k2);
  g_assert_false (k.hi == k2.hi && k.lo == k2.lo);

  /* Long ids (heap buffer) hash like short ones would. */
  {
    g_autofree char *id = g_strnfill (1000, 'x');
    g_autofree char *joined = g_strconcat ("E\x1f", id, NULL);

    seg_key128_for_insert_id ("E", id, &k);
    seg_hash128 (joined, strlen (joined), &k2);
    g_assert_true (k.hi == k2.hi && k.lo == k2.lo);
  }
}

static void
key_of (guint      i,
        SegKey128 *k)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "id-%u", i);
  seg_key128_for_insert_id ("E", buf, k);
}

static void
test_set_and_runs (void)
{
  g_autoptr(SegKeySet) set = seg_key_set_new ();
  g_autoptr(SegKeySet) set2 = seg_key_set_new ();
  g_autoptr(SegKeyRun) a = NULL, b = NULL, m = NULL, back = NULL;
  const guint8 *bytes;
  gsize n_bytes;
  SegKey128 k, zero = { 0, 0 };

  /* 0..49999 with every key added twice: the set keeps each once, across growth. */
  for (guint i = 0; i < 50000; i++)
    {
      key_of (i, &k);
      g_assert_true (seg_key_set_add (set, &k));
      g_assert_false (seg_key_set_add (set, &k));
    }
  g_assert_true (seg_key_set_add (set, &zero));
  g_assert_false (seg_key_set_add (set, &zero));
  g_assert_cmpuint (seg_key_set_size (set), ==, 50001);
  key_of (50000, &k);
  g_assert_false (seg_key_set_contains (set, &k));
  key_of (123, &k);
  g_assert_true (seg_key_set_contains (set, &k));

  a = seg_key_run_new_from_set (g_steal_pointer (&set));
  g_assert_cmpuint (seg_key_run_size (a), ==, 50001);
  for (guint i = 0; i < 60000; i++)
    {
      key_of (i, &k);
      g_assert_cmpint (seg_key_run_contains (a, &k), ==, i < 50000);
    }
  g_assert_true (seg_key_run_contains (a, &zero));

  /* 40000..89999: the union has 90000 + the zero key. */
  for (guint i = 40000; i < 90000; i++)
    {
      key_of (i, &k);
      seg_key_set_add (set2, &k);
    }
  b = seg_key_run_new_from_set (g_steal_pointer (&set2));
  m = seg_key_run_merge (a, b);
  g_assert_cmpuint (seg_key_run_size (m), ==, 90001);
  for (guint i = 0; i < 100000; i += 7)
    {
      key_of (i, &k);
      g_assert_cmpint (seg_key_run_contains (m, &k), ==, i < 90000);
    }

  /* The stored form reads back; damaged forms are refused. */
  bytes = seg_key_run_get_bytes (m, 0, seg_key_run_size (m), &n_bytes);
  g_assert_cmpuint (n_bytes, ==, 90001 * 16);
  back = seg_key_run_new_from_bytes (bytes, n_bytes);
  g_assert_nonnull (back);
  key_of (89999, &k);
  g_assert_true (seg_key_run_contains (back, &k));
  {
    g_autofree guint8 *swapped = g_memdup2 (bytes, 64);

    g_assert_null (seg_key_run_new_from_bytes (bytes, 17));
    /* Keys out of order. */
    memcpy (swapped, bytes + 16, 16);
    memcpy (swapped + 16, bytes, 16);
    g_assert_null (seg_key_run_new_from_bytes (swapped, 64));
  }
  /* An empty run answers no. */
  {
    g_autoptr(SegKeyRun) empty = seg_key_run_new_from_bytes (NULL, 0);

    g_assert_cmpuint (seg_key_run_size (empty), ==, 0);
    g_assert_false (seg_key_run_contains (empty, &k));
  }
}

/* Keys whose home is the last slot wrap round to the start of the table; the run still
 * comes out sorted and complete. */
static void
test_wrapped_keys (void)
{
  g_autoptr(SegKeySet) set = seg_key_set_new ();
  g_autoptr(SegKeyRun) run = NULL, back = NULL;
  const guint8 *bytes;
  gsize n_bytes;

  for (guint64 i = 0; i < 6; i++)
    {
      SegKey128 high = { G_MAXUINT64 - i, i }, low = { i + 1, 7 };

      g_assert_true (seg_key_set_add (set, &high));
      g_assert_true (seg_key_set_add (set, &low));
    }
  run = seg_key_run_new_from_set (g_steal_pointer (&set));
  g_assert_cmpuint (seg_key_run_size (run), ==, 12);
  bytes = seg_key_run_get_bytes (run, 0, 12, &n_bytes);
  back = seg_key_run_new_from_bytes (bytes, n_bytes);   /* NULL unless sorted */
  g_assert_nonnull (back);
  for (guint64 i = 0; i < 6; i++)
    {
      SegKey128 high = { G_MAXUINT64 - i, i }, low = { i + 1, 7 };

      g_assert_true (seg_key_run_contains (back, &high));
      g_assert_true (seg_key_run_contains (back, &low));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/KeySet/hash-stable", test_hash_stable);
  g_test_add_func ("/KeySet/set-and-runs", test_set_and_runs);
  g_test_add_func ("/KeySet/wrapped-keys", test_wrapped_keys);
  return g_test_run ();
}
