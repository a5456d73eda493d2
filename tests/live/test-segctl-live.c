/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "live-fixture.h"

/* Runs `segctl live` as a script would and reads what it prints. */

static int
run_cli (const char * const *args,
         char              **out,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("SEGCTL"));
  g_ptr_array_add (argv, (char *) "live");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_replay (void)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *events = g_build_filename (dir, "events.jsonl", NULL);
  g_autofree char *cart = g_build_filename (dir, "cart.json", NULL);
  g_autofree char *buyers = g_build_filename (dir, "buyers.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "--tz", "UTC", "--segment", NULL, "--segment", NULL, "--replay", NULL,
                         "--speed", "1000", NULL };

  g_assert_true (g_file_set_contents (cart,
    "{\"version\":1,\"kind\":\"live\",\"id\":\"abandoned\",\"trigger\":{\"type\":\"inaction\","
    "\"event\":\"Added To Cart\",\"then\":\"Charged\",\"within\":{\"n\":5,\"unit\":\"minutes\"}}}", -1, NULL));
  g_assert_true (g_file_set_contents (buyers,
    "{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Charged\","
    "\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":10}]}}", -1, NULL));
  g_assert_true (g_file_set_contents (events,
    "{\"type\":\"event\",\"identity\":\"u1\",\"ts\":1714557600,\"evtName\":\"Added To Cart\"}\n"
    "{\"type\":\"event\",\"identity\":\"u2\",\"ts\":1714557660,\"evtName\":\"Added To Cart\"}\n"
    "{\"type\":\"event\",\"identity\":\"u2\",\"ts\":1714557720,\"evtName\":\"Charged\",\"evtData\":{\"amount\":25}}\n"
    "{\"type\":\"event\",\"identity\":\"u3\",\"ts\":1714557780,\"evtName\":\"Charged\",\"evtData\":{\"amount\":5}}\n",
    -1, NULL));
  args[3] = cart;
  args[5] = buyers;
  args[7] = events;
  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==,
                   "{\"segment\":\"buyers\",\"user\":\"u2\",\"ts\":1714557720000}\n"
                   "{\"segment\":\"abandoned\",\"user\":\"u1\",\"ts\":1714557900000}\n");
  lv_rmdir (dir);
}

/* Runs segctl without the "live" command (segments save, eval, ...). */
static int
run_segctl (const char * const *args,
            char              **out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("SEGCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, NULL, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The live segments saved in a store (segctl segments save) run under `segctl live --store`. */
static void
test_store_segments (void)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *store = g_build_filename (dir, "s.db", NULL);
  g_autofree char *events = g_build_filename (dir, "events.jsonl", NULL);
  g_autofree char *def = g_build_filename (dir, "live.json", NULL);
  g_autofree char *pb = g_build_filename (dir, "pb.json", NULL);
  g_autofree char *id = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (def,
    "{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Charged\","
    "\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":10}]}}", -1, NULL));
  g_assert_true (g_file_set_contents (pb, "{\"match\":{\"did\":\"Charged\"}}", -1, NULL));
  g_assert_true (g_file_set_contents (events,
    "{\"type\":\"event\",\"identity\":\"u2\",\"ts\":1714557720,\"evtName\":\"Charged\",\"evtData\":{\"amount\":25}}\n"
    "{\"type\":\"event\",\"identity\":\"u3\",\"ts\":1714557780,\"evtName\":\"Charged\",\"evtData\":{\"amount\":5}}\n",
    -1, NULL));
  {
    const char *save[] = { "--store", store, "--tz", "UTC", "segments", "save", def, "--name", "Big buyers", NULL };
    const char *save_pb[] = { "--store", store, "segments", "save", pb, "--name", "Buyers", NULL };
    g_assert_cmpint (run_segctl (save, &id), ==, 0);
    g_strstrip (id);
    g_assert_cmpstr (id, !=, "");
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_segctl (save_pb, &out), ==, 0);
    g_clear_pointer (&out, g_free);
  }
  {
    /* Options before the command are the live command's too. */
    const char *args[] = { "--store", store, "live", "--replay", events, "--speed", "1000", NULL };
    g_autoptr(GPtrArray) argv = g_ptr_array_new ();
    g_autoptr(GError) error = NULL;
    int status = 0;

    g_ptr_array_add (argv, (char *) g_getenv ("SEGCTL"));
    for (guint i = 0; args[i] != NULL; i++)
      g_ptr_array_add (argv, (char *) args[i]);
    g_ptr_array_add (argv, NULL);
    g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
      g_error ("segctl live failed: %s", err);
  }
  /* Only the live segment runs; the past-behavior one is not a trigger. */
  expected = g_strdup_printf ("{\"segment\":\"%s\",\"user\":\"u2\",\"ts\":1714557720000}\n", id);
  g_assert_cmpstr (out, ==, expected);
  lv_rmdir (dir);
}

static void
test_usage (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *none[] = { "--tz", "UTC", "--segment", "x.json", NULL };
  const char *speed[] = { "--tz", "UTC", "--segment", "x.json", "--replay", "y", "--speed", "5000", NULL };

  g_assert_cmpint (run_cli (none, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "at least one stream"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (speed, &out, &err), !=, 0);
}


/* `segctl live --replay-store` plays the store's own events (imported, here) through its
 * live segments in time order, within --from/--to (days in the store's timezone). */
static void
test_replay_store (void)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *store = g_build_filename (dir, "s.db", NULL);
  g_autofree char *events = g_build_filename (dir, "events.csv", NULL);
  g_autofree char *big = g_build_filename (dir, "big.json", NULL);
  g_autofree char *cart = g_build_filename (dir, "cart.json", NULL);
  g_autofree char *big_id = NULL;
  g_autofree char *cart_id = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (events,
    "user_id,event,ts,amount\n"
    "u1,Added To Cart,2024-05-01T10:00:00Z,\n"
    "u2,Added To Cart,2024-05-01T10:01:00Z,\n"
    "u2,Charged,2024-05-01T10:02:00Z,25\n"
    "u3,Charged,2024-05-01T10:03:00Z,5\n"
    "u4,Charged,2024-05-02T10:03:00Z,50\n", -1, NULL));
  g_assert_true (g_file_set_contents (big,
    "{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Charged\","
    "\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":10}]}}", -1, NULL));
  g_assert_true (g_file_set_contents (cart,
    "{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"inaction\",\"event\":\"Added To Cart\","
    "\"then\":\"Charged\",\"within\":{\"n\":5,\"unit\":\"minutes\"}}}", -1, NULL));
  {
    const char *import[] = { "--store", store, "--tz", "UTC", "import", events, NULL };
    const char *save_big[] = { "--store", store, "segments", "save", big, "--name", "Big", NULL };
    const char *save_cart[] = { "--store", store, "segments", "save", cart, "--name", "Cart", NULL };

    g_assert_cmpint (run_segctl (import, &out), ==, 0);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_segctl (save_big, &big_id), ==, 0);
    g_strstrip (big_id);
    g_assert_cmpint (run_segctl (save_cart, &cart_id), ==, 0);
    g_strstrip (cart_id);
  }

  /* The first day: u2 buys big at 10:02, u1's cart is abandoned at 10:05; u4 (the next
   * day) is not played. */
  {
    const char *args[] = { "--store", store, "--replay-store", "--from", "2024-05-01",
                           "--to", "2024-05-01", "--speed", "1000", NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    expected = g_strdup_printf ("{\"segment\":\"%s\",\"user\":\"u2\",\"ts\":1714557720000}\n"
                                "{\"segment\":\"%s\",\"user\":\"u1\",\"ts\":1714557900000}\n",
                                big_id, cart_id);
    g_assert_cmpstr (out, ==, expected);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&expected, g_free);
  }
  /* From the second day on: only u4. */
  {
    const char *args[] = { "--store", store, "--replay-store", "--from", "2024-05-02",
                           "--speed", "1000", NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    expected = g_strdup_printf ("{\"segment\":\"%s\",\"user\":\"u4\",\"ts\":1714644180000}\n", big_id);
    g_assert_cmpstr (out, ==, expected);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  /* A range without events fails and says so; --from without --replay-store is misuse. */
  {
    const char *empty[] = { "--store", store, "--replay-store", "--from", "2025-01-01", NULL };
    const char *misuse[] = { "--store", store, "--replay", events, "--from", "2024-05-01", NULL };

    g_assert_cmpint (run_cli (empty, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "no events"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli (misuse, &out, &err), ==, 2);
  }
  lv_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live/segctl/replay", test_replay);
  g_test_add_func ("/live/segctl/replay-store", test_replay_store);
  g_test_add_func ("/live/segctl/store-segments", test_store_segments);
  g_test_add_func ("/live/segctl/usage", test_usage);
  return g_test_run ();
}
