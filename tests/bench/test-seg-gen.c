/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks that seg-gen is deterministic and writes well-formed canonical data. */
#define G_LOG_DOMAIN "test-seg-gen"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define NOW_MS G_GINT64_CONSTANT (1719748800000) /* 2024-06-30T12:00:00Z */

static char *tmpdir;

static char *
run_gen (const char *seed,
         const char *format,
         const char *name,
         char      **out_profiles)
{
  g_autofree char *events = g_build_filename (tmpdir, name, NULL);
  g_autofree char *profiles = g_strconcat (events, ".profiles.csv", NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    SEG_GEN_PATH, "--quiet", "--seed", seed, "--events", "5000", "--users", "400",
    "--format", format, "--output", events, "--profiles", profiles, NULL
  };
  int status = -1;
  char *contents = NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  g_file_get_contents (events, &contents, NULL, &error);
  g_assert_no_error (error);
  if (out_profiles != NULL)
    {
      g_file_get_contents (profiles, out_profiles, NULL, &error);
      g_assert_no_error (error);
    }
  return contents;
}

static void
test_deterministic (void)
{
  g_autofree char *a_prof = NULL, *b_prof = NULL, *c_prof = NULL;
  g_autofree char *a = run_gen ("42", "csv", "a.csv", &a_prof);
  g_autofree char *b = run_gen ("42", "csv", "b.csv", &b_prof);
  g_autofree char *c = run_gen ("43", "csv", "c.csv", &c_prof);

  g_assert_cmpuint (strlen (a), >, 100000);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a_prof, ==, b_prof);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (a_prof, !=, c_prof);
}

static void
test_csv_shape (void)
{
  g_autofree char *profiles = NULL;
  g_autofree char *data = run_gen ("5", "csv", "shape.csv", &profiles);
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  g_auto(GStrv) plines = g_strsplit (profiles, "\n", -1);
  GHashTable *users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 prev = 0;
  guint n = 0, charged = 0, carts = 0, ny = 0;

  g_assert_cmpstr (lines[0], ==,
                   "user_id,event,ts,product,category,price,amount,items,url,referrer,rating");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      gint64 ts;

      g_assert_cmpuint (g_strv_length (cells), ==, 11);
      g_assert_true (g_str_has_prefix (cells[0], "u"));
      ts = g_ascii_strtoll (cells[2], NULL, 10);
      g_assert_cmpint (ts, <=, NOW_MS);
      g_assert_cmpint (ts, >, NOW_MS - G_GINT64_CONSTANT (200) * 86400000);
      g_assert_cmpint (ts, >=, prev);
      prev = ts;
      if (g_str_equal (cells[1], "Charged"))
        {
          g_assert_cmpfloat (g_ascii_strtod (cells[6], NULL), >, 0);
          g_assert_cmpint (g_ascii_strtoll (cells[7], NULL, 10), >=, 1);
          charged++;
        }
      else if (g_str_equal (cells[1], "Added To Cart"))
        {
          g_assert_cmpstr (cells[3], !=, "");
          carts++;
        }
      g_hash_table_add (users, g_strdup (cells[0]));
      n++;
    }
  g_assert_cmpuint (n, ==, 5000);
  /* A funnel: fewer charges than carts, but some. */
  g_assert_cmpuint (charged, >, 0);
  g_assert_cmpuint (charged, <, carts);

  g_assert_true (g_str_has_prefix (plines[0], "user_id,name,email,phone,city,"));
  for (guint i = 1; plines[i] != NULL && plines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (plines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (cells), ==, 17);
      if (g_str_equal (cells[4], "New York"))
        ny++;
      g_hash_table_remove (users, cells[0]);
    }
  g_assert_cmpuint (g_strv_length (plines), ==, 400 + 2);
  /* Every user with events has a profile. */
  g_assert_cmpuint (g_hash_table_size (users), ==, 0);
  g_assert_cmpuint (ny, >, 5);
  g_hash_table_unref (users);
}

static void
test_jsonl (void)
{
  g_autofree char *data = run_gen ("5", "jsonl", "shape.jsonl", NULL);
  g_autofree char *csv = run_gen ("5", "csv", "shape2.csv", NULL);
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  g_auto(GStrv) csv_lines = g_strsplit (csv, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) cells = g_strsplit (csv_lines[i + 1], ",", -1);
      JsonObject *o;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      o = json_node_get_object (json_parser_get_root (parser));
      /* Same events in the same order as the CSV. */
      g_assert_cmpstr (json_object_get_string_member (o, "user_id"), ==, cells[0]);
      g_assert_cmpstr (json_object_get_string_member (o, "event"), ==, cells[1]);
      g_assert_cmpint (json_object_get_int_member (o, "ts"), ==,
                       g_ascii_strtoll (cells[2], NULL, 10));
      g_assert_true (json_object_has_member (o, "properties"));
      n++;
    }
  g_assert_cmpuint (n, ==, 5000);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-seg-gen-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/SegGen/deterministic", test_deterministic);
  g_test_add_func ("/SegGen/csv-shape", test_csv_shape);
  g_test_add_func ("/SegGen/jsonl", test_jsonl);
  ret = g_test_run ();

  {
    g_autoptr(GFile) dir = g_file_new_for_path (tmpdir);
    g_autoptr(GFileEnumerator) en = g_file_enumerate_children (dir, "standard::name",
                                                               G_FILE_QUERY_INFO_NONE,
                                                               NULL, NULL);
    GFileInfo *info;

    while (en != NULL && (info = g_file_enumerator_next_file (en, NULL, NULL)) != NULL)
      {
        g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));

        g_file_delete (child, NULL, NULL);
        g_object_unref (info);
      }
    g_file_delete (dir, NULL, NULL);
  }
  g_free (tmpdir);
  return ret;
}
