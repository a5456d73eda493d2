/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-store.h"
#include "seg-canonical-csv.h"
#include "seg-defgen.h"
#include "seg-definition.h"
#include "seg-eval-result.h"
#include "seg-local-store.h"
#include "seg-segment.h"
#include "seg-store-writer.h"
#include "seg-store.h"
#include "seg-time.h"
#include "seg-trend.h"

/*
 * Conformance: the local store (the reference semantics) and the ClickHouse store, fed
 * the same generated data through their own writers, give the same counts, members,
 * reach per channel and trends for the benchmark queries Q1–Q8 and for random
 * definitions of every rule kind (tests/bench/seg-defgen), with saved segments included
 * and excluded. Skips only when no ClickHouse server answers.
 */

#define NOW_ISO "2024-06-30T12:00:00Z"
#define N_RANDOM 160

typedef struct
{
  char                *dir;
  SegLocalStore       *local;
  SegClickhouseClient *client;
  SegClickhouseStore  *remote;
  gint64               now;
} Fixture;

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static SegEvalResult *
evaluate (SegStore       *store,
          SegDefinition  *def,
          gint64          now,
          GError        **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  SegEvalOptions opts = { now, SEG_EVAL_REACH | SEG_EVAL_MEMBERS | SEG_EVAL_SAMPLE, 5, 0, G_MAXUINT };

  seg_store_evaluate_async (store, def, &opts, NULL, result_cb, &res);
  return seg_store_evaluate_finish (store, wait_for (&res), error);
}

static SegTrend *
trend (SegStore       *store,
       SegDefinition  *def,
       gint64          now,
       guint           days,
       GError        **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  GTimeZone *tz = seg_store_get_timezone (store);
  guint32 today = seg_time_day_of (tz, now);

  seg_store_trend_async (store, def, seg_time_midnight (tz, today - (days - 1)), now, NULL,
                         result_cb, &res);
  return seg_store_trend_finish (store, wait_for (&res), error);
}

static char *
save (SegStore   *store,
      const char *name,
      const char *json)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, &error);
  g_autoptr(SegSegment) seg = NULL;
  g_autoptr(SegSegment) saved = NULL;

  g_assert_no_error (error);
  seg = seg_segment_new (NULL, name, def);
  seg_store_save_segment_async (store, seg, NULL, result_cb, &res);
  saved = seg_store_save_segment_finish (store, wait_for (&res), &error);
  g_assert_no_error (error);
  return g_strdup (seg_segment_get_id (saved));
}

static void
import (SegStore   *store,
        const char *events,
        const char *profiles,
        gint64      import_ms)
{
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  const char *files[] = { events, profiles };

  writer = seg_store_begin_write (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      SegCanonicalCsvStats st;

      g_assert_true (seg_canonical_csv_import (writer, files[i], seg_store_get_timezone (store),
                                               import_ms, &st, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (st.rejected, ==, 0);
      seg_canonical_csv_stats_clear (&st);
    }
  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *events = NULL;
  g_autofree char *profiles = NULL;
  g_autofree char *db = NULL;
  int status = 0;

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;

  g_assert_true (seg_time_parse_timestamp (NOW_ISO, strlen (NOW_ISO), NULL, &fx->now));
  fx->dir = g_dir_make_tmp ("seg-conformance-XXXXXX", &error);
  g_assert_no_error (error);
  events = g_build_filename (fx->dir, "events.csv", NULL);
  profiles = g_build_filename (fx->dir, "profiles.csv", NULL);
  {
    const char *argv[] = { SEG_GEN_PATH, "--quiet", "--seed", "7", "--events", "40000",
                           "--users", "2500", "--now", NOW_ISO, "-o", events, "-p", profiles,
                           NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_spawn_check_wait_status (status, &error);
    g_assert_no_error (error);
  }

  db = g_build_filename (fx->dir, "local.db", NULL);
  fx->local = seg_local_store_new (db, "UTC", &error);
  g_assert_no_error (error);
  seg_local_store_set_now (fx->local, fx->now);

  fx->client = ch_test_new_database (ch_test_url (), "seg_test_conformance");
  fx->remote = seg_clickhouse_store_new (fx->client, NULL, "UTC", NULL, &error);
  g_assert_no_error (error);
  seg_clickhouse_store_set_now (fx->remote, fx->now);

  import (SEG_STORE (fx->local), events, profiles, fx->now - 1000);
  import (SEG_STORE (fx->remote), events, profiles, fx->now - 1000);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  if (fx->client != NULL)
    ch_test_drop_database (fx->client);
  g_clear_object (&fx->remote);
  g_clear_object (&fx->client);
  if (fx->local != NULL)
    {
      g_autofree char *db = g_strdup (seg_local_store_get_path (fx->local));
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);

      g_clear_object (&fx->local);
      g_unlink (db);
      g_unlink (wal);
      g_unlink (shm);
    }
  if (fx->dir != NULL)
    {
      g_autofree char *events = g_build_filename (fx->dir, "events.csv", NULL);
      g_autofree char *profiles = g_build_filename (fx->dir, "profiles.csv", NULL);
      g_unlink (events);
      g_unlink (profiles);
      g_rmdir (fx->dir);
      g_free (fx->dir);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static int
cmp_str (gconstpointer a,
         gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static GPtrArray *
sorted_members (SegEvalResult *r)
{
  GPtrArray *ids = g_ptr_array_new ();
  const char * const *m = seg_eval_result_get_members (r);

  for (guint i = 0; m != NULL && m[i] != NULL; i++)
    g_ptr_array_add (ids, (gpointer) m[i]);
  g_ptr_array_sort (ids, cmp_str);
  return ids;
}

/* Both stores give the same answer to @local_json / @remote_json (the same definition,
 * with each store's ids of saved segments). */
static void
compare (Fixture    *fx,
         const char *label,
         const char *local_json,
         const char *remote_json,
         guint       trend_days)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegDefinition) ldef = seg_definition_new_from_json (local_json, -1, &error);
  g_autoptr(SegDefinition) rdef = NULL;
  g_autoptr(SegEvalResult) l = NULL;
  g_autoptr(SegEvalResult) r = NULL;
  g_autoptr(GPtrArray) lm = NULL;
  g_autoptr(GPtrArray) rm = NULL;

  g_assert_no_error (error);
  rdef = seg_definition_new_from_json (remote_json, -1, &error);
  g_assert_no_error (error);

  l = evaluate (SEG_STORE (fx->local), ldef, fx->now, &error);
  g_assert_no_error (error);
  r = evaluate (SEG_STORE (fx->remote), rdef, fx->now, &error);
  if (error != NULL)
    g_printerr ("%s: %s\n", label, remote_json);
  g_assert_no_error (error);

  if (seg_eval_result_get_count (l) != seg_eval_result_get_count (r))
    g_printerr ("%s: count local %" G_GUINT64_FORMAT " remote %" G_GUINT64_FORMAT " for %s\n",
                label, seg_eval_result_get_count (l), seg_eval_result_get_count (r), local_json);
  g_assert_cmpuint (seg_eval_result_get_count (l), ==, seg_eval_result_get_count (r));

  lm = sorted_members (l);
  rm = sorted_members (r);
  g_assert_cmpuint (lm->len, ==, seg_eval_result_get_count (l));
  g_assert_cmpuint (lm->len, ==, rm->len);
  for (guint i = 0; i < lm->len; i++)
    g_assert_cmpstr (g_ptr_array_index (lm, i), ==, g_ptr_array_index (rm, i));

  for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
    g_assert_cmpuint (seg_eval_result_get_reach (l, ch), ==, seg_eval_result_get_reach (r, ch));

  /* Samples are spread over each store's own order; both hold members. */
  g_assert_cmpuint (g_strv_length ((char **) seg_eval_result_get_sample (l)), ==,
                    g_strv_length ((char **) seg_eval_result_get_sample (r)));
  for (const char * const *s = seg_eval_result_get_sample (r); *s != NULL; s++)
    g_assert_true (g_ptr_array_find_with_equal_func (rm, *s, g_str_equal, NULL));

  if (trend_days > 0)
    {
      g_autoptr(SegTrend) lt = trend (SEG_STORE (fx->local), ldef, fx->now, trend_days, &error);
      g_autoptr(SegTrend) rt = NULL;

      g_assert_no_error (error);
      rt = trend (SEG_STORE (fx->remote), rdef, fx->now, trend_days, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (seg_trend_get_n_days (lt), ==, trend_days);
      g_assert_cmpuint (seg_trend_get_n_days (rt), ==, trend_days);
      for (guint i = 0; i < trend_days; i++)
        {
          g_assert_cmpint (seg_trend_get_day (lt, i), ==, seg_trend_get_day (rt, i));
          if (seg_trend_get_count (lt, i) != seg_trend_get_count (rt, i))
            g_printerr ("%s: day %u local %" G_GUINT64_FORMAT " remote %" G_GUINT64_FORMAT "\n",
                        label, i, seg_trend_get_count (lt, i), seg_trend_get_count (rt, i));
          g_assert_cmpuint (seg_trend_get_count (lt, i), ==, seg_trend_get_count (rt, i));
        }
    }
}

static char *
read_query (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "bench", "queries", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

static void
test_benchmark_queries (Fixture       *fx,
                        gconstpointer  data)
{
  const char *plain[] = { "q1.json", "q2.json", "q3.json", "q4.json", "q5.json", "q7.json" };
  g_autofree char *q3 = NULL;
  g_autofree char *q6 = NULL;
  g_autofree char *q8 = NULL;
  g_autofree char *local_q3 = NULL;
  g_autofree char *remote_q3 = NULL;
  g_autofree char *local_q6 = NULL;
  g_autofree char *remote_q6 = NULL;

  if (fx->remote == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      g_autofree char *json = read_query (plain[i]);
      compare (fx, plain[i], json, json, i < 2 ? 30 : 0);
    }

  /* Q6 excludes the saved Q3 segment: each store has its own id for it. */
  q3 = read_query ("q3.json");
  local_q3 = save (SEG_STORE (fx->local), "Frequent buyers", q3);
  remote_q3 = save (SEG_STORE (fx->remote), "Frequent buyers", q3);
  q6 = read_query ("q6.json.in");
  local_q6 = replace (q6, "@Q3_SEGMENT_ID@", local_q3);
  remote_q6 = replace (q6, "@Q3_SEGMENT_ID@", remote_q3);
  compare (fx, "q6", local_q6, remote_q6, 7);

  /* Q8: the trend of "did Charged today" over 30 days. */
  q8 = read_query ("q8.json");
  compare (fx, "q8", q8, q8, 30);
}

static char *
node_json (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* @def with "include"/"exclude" of a saved segment added. */
static char *
with_saved (JsonNode   *def,
            const char *key,
            const char *id)
{
  g_autoptr(JsonNode) copy = json_node_copy (def);
  JsonArray *ids = json_array_new ();

  json_array_add_string_element (ids, id);
  json_object_set_array_member (json_node_get_object (copy), key, ids);
  return node_json (copy);
}

static void
test_random_definitions (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240630);
  g_autoptr(GPtrArray) defs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  char *local_ids[3], *remote_ids[3];
  guint n_invalid = 0;

  if (fx->remote == NULL)
    return;

  for (guint i = 0; i < N_RANDOM; i++)
    {
      g_autofree char *sql = NULL;
      g_ptr_array_add (defs, seg_defgen_generate (rand, fx->now, &sql));
    }

  /* Three of them saved in both stores, to be included and excluded by others. */
  for (guint k = 0; k < G_N_ELEMENTS (local_ids); k++)
    {
      g_autofree char *json = node_json (g_ptr_array_index (defs, k));
      g_autofree char *name = g_strdup_printf ("Saved %u", k);

      local_ids[k] = save (SEG_STORE (fx->local), name, json);
      remote_ids[k] = save (SEG_STORE (fx->remote), name, json);
    }

  for (guint i = 0; i < defs->len; i++)
    {
      JsonNode *def = g_ptr_array_index (defs, i);
      g_autofree char *json = node_json (def);
      g_autofree char *label = g_strdup_printf ("random %u", i);
      g_autoptr(SegDefinition) parsed = NULL;
      g_autoptr(GError) error = NULL;

      /* seg-defgen writes a few forms the format refuses (e.g. days_from_today < 0);
       * neither store would take them. */
      parsed = seg_definition_new_from_json (json, -1, &error);
      if (parsed == NULL)
        {
          g_test_message ("%s: not a valid definition (%s): %s", label, error->message, json);
          n_invalid++;
          continue;
        }
      g_test_message ("%s: %s", label, json);
      compare (fx, label, json, json, i % 16 == 0 ? 5 : 0);

      if (i % 7 == 3)
        {
          guint k = i % G_N_ELEMENTS (local_ids);
          const char *key = i % 2 ? "exclude" : "include";
          g_autofree char *lj = with_saved (def, key, local_ids[k]);
          g_autofree char *rj = with_saved (def, key, remote_ids[k]);

          compare (fx, label, lj, rj, 0);
        }
    }

  g_assert_cmpuint (n_invalid, <, N_RANDOM / 10);
  for (guint k = 0; k < G_N_ELEMENTS (local_ids); k++)
    {
      g_free (local_ids[k]);
      g_free (remote_ids[k]);
    }
}

/* Definitions outside what seg-defgen writes: lists of saved segments, system segments,
 * custom lists, a definition of nothing but exclusions. */
static void
test_saved_and_system (Fixture       *fx,
                       gconstpointer  data)
{
  const char *buyers = "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":60,\"unit\":\"days\"}}}";
  const char *launchers = "{\"match\":{\"did\":\"App Launched\",\"when\":{\"type\":\"last\",\"n\":7,\"unit\":\"days\"}}}";
  g_autofree char *lb = NULL, *rb = NULL, *ll = NULL, *rl = NULL;
  const char *templates[] = {
    "{\"include\":[\"all-users\"]}",
    "{\"include\":[\"test-users\"]}",
    "{\"include\":[\"all-users\"],\"exclude\":[\"test-users\"]}",
    "{\"include\":[\"all-users\"],\"exclude\":[\"@B@\",\"@L@\"]}",
    "{\"include\":[\"@B@\",\"@L@\"]}",
    "{\"match\":{\"reachable\":\"email\"},\"include\":[\"@B@\"],\"exclude\":[\"@L@\",\"test-users\"]}",
    "{\"match\":{\"any\":[{\"did\":\"Rated\"},{\"reachable\":\"sms\"}]},\"exclude\":[\"@B@\"]}",
    "{\"kind\":\"custom-list\",\"users\":[\"u1\",\"u7\",\"u99999\",\"u42\"]}",
  };

  if (fx->remote == NULL)
    return;

  lb = save (SEG_STORE (fx->local), "Buyers", buyers);
  rb = save (SEG_STORE (fx->remote), "Buyers", buyers);
  ll = save (SEG_STORE (fx->local), "Launchers", launchers);
  rl = save (SEG_STORE (fx->remote), "Launchers", launchers);

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autofree char *l1 = replace (templates[i], "@B@", lb);
      g_autofree char *l2 = replace (l1, "@L@", ll);
      g_autofree char *r1 = replace (templates[i], "@B@", rb);
      g_autofree char *r2 = replace (r1, "@L@", rl);

      compare (fx, templates[i], l2, r2, i == 4 ? 3 : 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/clickhouse/conformance/benchmark-queries", Fixture, NULL,
              fixture_set_up, test_benchmark_queries, fixture_tear_down);
  g_test_add ("/clickhouse/conformance/random-definitions", Fixture, NULL,
              fixture_set_up, test_random_definitions, fixture_tear_down);
  g_test_add ("/clickhouse/conformance/saved-and-system", Fixture, NULL,
              fixture_set_up, test_saved_and_system, fixture_tear_down);

  return g_test_run ();
}
