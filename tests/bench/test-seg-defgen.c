/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Runs the SQL twin of many random definitions over small seg-gen data loaded the way
 * the baseline loads it (schema.sql, every cell as text, nullify.sql): every query must
 * run, and a good share must select some but not all users. Also checks that the
 * definitions are valid JSON obeying the negation rule, and that a seed reproduces them.
 */
#define G_LOG_DOMAIN "test-seg-defgen"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>

#include "seg-defgen.h"

#define NOW_MS G_GINT64_CONSTANT (1719748800000) /* 2024-06-30T12:00:00Z */

static sqlite3 *db;
static gint64 n_users;

static void
exec_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "bench", "sql", name, NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  char *msg = NULL;

  g_file_get_contents (path, &sql, NULL, &error);
  g_assert_no_error (error);
  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", name, msg);
}

static void
load_csv (const char *path,
          const char *table)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_autoptr(GString) insert = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  guint n_cols;

  g_file_get_contents (path, &data, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (data, "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  n_cols = g_strv_length (header);
  g_string_printf (insert, "INSERT INTO %s VALUES (?", table);
  for (guint i = 1; i < n_cols; i++)
    g_string_append (insert, ", ?");
  g_string_append (insert, ")");
  g_assert_cmpint (sqlite3_prepare_v2 (db, insert->str, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (cells), ==, n_cols);
      for (guint c = 0; c < n_cols; c++)
        sqlite3_bind_text (stmt, (int) c + 1, cells[c], -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_finalize (stmt);
}

static void
math_fn (sqlite3_context  *ctx,
         int               argc,
         sqlite3_value   **argv)
{
  double (*fn1) (double) = (double (*) (double)) sqlite3_user_data (ctx);
  double x = sqlite3_value_double (argv[0]);

  if (argc == 2)
    sqlite3_result_double (ctx, pow (x, sqlite3_value_double (argv[1])));
  else
    sqlite3_result_double (ctx, fn1 (x));
}

static double
radians (double x)
{
  return x * G_PI / 180.0;
}

static void
setup_db (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-seg-defgen-XXXXXX", NULL);
  g_autofree char *events = g_build_filename (dir, "events.csv", NULL);
  g_autofree char *profiles = g_build_filename (dir, "profiles.csv", NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    SEG_GEN_PATH, "--quiet", "--seed", "11", "--events", "6000", "--users", "500",
    "--output", events, "--profiles", profiles, NULL
  };
  sqlite3_stmt *stmt = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  /* libsqlite3 may be built without the math functions the sqlite3 CLI has. */
  if (sqlite3_prepare_v2 (db, "SELECT asin(1)", -1, &stmt, NULL) != SQLITE_OK)
    {
      static const struct { const char *name; double (*fn) (double); int n; } fns[] = {
        { "sin", sin, 1 }, { "cos", cos, 1 }, { "asin", asin, 1 }, { "sqrt", sqrt, 1 },
        { "radians", radians, 1 }, { "power", NULL, 2 },
      };

      for (guint i = 0; i < G_N_ELEMENTS (fns); i++)
        sqlite3_create_function (db, fns[i].name, fns[i].n, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                 (void *) fns[i].fn, math_fn, NULL, NULL);
    }
  sqlite3_finalize (stmt);

  exec_file ("schema.sql");
  load_csv (events, "events");
  load_csv (profiles, "profiles");
  exec_file ("nullify.sql");
  g_assert_cmpint (sqlite3_exec (db, "CREATE INDEX e_user ON events (user_id, event, ts);"
                                 "CREATE UNIQUE INDEX p_user ON profiles (user_id);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM (SELECT user_id FROM profiles "
                                       "UNION SELECT user_id FROM events)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n_users = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (n_users, ==, 500);

  g_remove (events);
  g_remove (profiles);
  g_rmdir (dir);
}

static gint64
count_sql (const char *sql)
{
  g_autofree char *counted = g_strdup_printf ("SELECT count(*) FROM (%s)", sql);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  if (sqlite3_prepare_v2 (db, counted, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("SQL does not compile: %s\n%s", sqlite3_errmsg (db), sql);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gboolean
is_negation (JsonObject *rule)
{
  if (json_object_has_member (rule, "did_not"))
    return TRUE;
  if (json_object_has_member (rule, "sequence"))
    return json_object_get_boolean_member (json_object_get_object_member (rule, "sequence"),
                                           "negate");
  return FALSE;
}

/* Checks the FORMAT-SPEC negation rule on a group, recursively. */
static void
check_group (JsonObject *group)
{
  gboolean all = json_object_has_member (group, "all");
  JsonArray *items = json_object_get_array_member (group, all ? "all" : "any");
  gboolean neg = FALSE, pos = FALSE;

  g_assert_nonnull (items);
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *it = json_array_get_object_element (items, i);

      if (json_object_has_member (it, "all") || json_object_has_member (it, "any"))
        check_group (it);
      else if (is_negation (it))
        neg = TRUE;
      else if (json_object_has_member (it, "did") || json_object_has_member (it, "did_any"))
        pos = TRUE;
    }
  if (neg)
    {
      g_assert_true (all);
      g_assert_true (pos);
    }
}

static void
test_sql_runs (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  guint interesting = 0, empty = 0, everyone = 0;
  const guint n = 250;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sql = NULL;
      g_autoptr(JsonNode) def = seg_defgen_generate (rand, NOW_MS, &sql);
      g_autofree char *text = json_to_string (def, FALSE);
      g_autoptr(JsonNode) back = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *o;
      gint64 c;

      back = json_from_string (text, &error);
      g_assert_no_error (error);
      o = json_node_get_object (back);
      g_assert_cmpint (json_object_get_int_member (o, "version"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "past-behavior");
      check_group (json_object_get_object_member (o, "match"));

      c = count_sql (sql);
      g_assert_cmpint (c, >=, 0);
      g_assert_cmpint (c, <=, n_users);
      if (c == 0)
        empty++;
      else if (c == n_users)
        everyone++;
      else
        interesting++;
    }
  g_test_message ("%u definitions: %u select some users, %u none, %u everyone",
                  n, interesting, empty, everyone);
  /* The definitions are worth testing with: most separate users. */
  g_assert_cmpuint (interesting, >=, n / 2);
}

static void
test_deterministic (void)
{
  g_autoptr(GRand) r1 = g_rand_new_with_seed (77);
  g_autoptr(GRand) r2 = g_rand_new_with_seed (77);

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *s1 = NULL, *s2 = NULL;
      g_autoptr(JsonNode) d1 = seg_defgen_generate (r1, NOW_MS, &s1);
      g_autoptr(JsonNode) d2 = seg_defgen_generate (r2, NOW_MS, &s2);
      g_autofree char *t1 = json_to_string (d1, FALSE);
      g_autofree char *t2 = json_to_string (d2, FALSE);

      g_assert_cmpstr (t1, ==, t2);
      g_assert_cmpstr (s1, ==, s2);
    }
}

/* Q1 in the generator's SQL dialect agrees with the hand-written baseline query. */
static void
test_window_matches_baseline (void)
{
  /* midnight(2024-06-30 - 29 days) = 2024-06-01T00:00:00Z */
  gint64 a = count_sql ("SELECT DISTINCT user_id FROM events WHERE event = 'Charged' AND "
                        "ts BETWEEN 1717200000000 AND 1719748800000");
  gint64 b = count_sql ("SELECT u.user_id FROM (SELECT user_id FROM profiles UNION "
                        "SELECT user_id FROM events) u WHERE EXISTS (SELECT 1 FROM events e "
                        "WHERE e.user_id = u.user_id AND e.event = 'Charged' AND "
                        "e.ts >= 1717200000000 AND e.ts <= 1719748800000)");

  g_assert_cmpint (a, ==, b);
  g_assert_cmpint (a, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  setup_db ();
  g_test_add_func ("/SegDefgen/sql-runs", test_sql_runs);
  g_test_add_func ("/SegDefgen/deterministic", test_deterministic);
  g_test_add_func ("/SegDefgen/window-matches-baseline", test_window_matches_baseline);
  ret = g_test_run ();
  sqlite3_close (db);
  return ret;
}
