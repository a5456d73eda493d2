/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "store-fixture.h"

/* segctl end to end: the real binary on a real store file, as an analyst runs it. */

static char *segctl_path;

static int
run (const char  *dir,
     char       **out,
     const char  *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *store = g_build_filename (dir, "store.db", NULL);
  va_list ap;
  int status = 0;

  g_ptr_array_add (argv, g_strdup (segctl_path));
  g_ptr_array_add (argv, g_strdup ("--store"));
  g_ptr_array_add (argv, g_strdup (store));
  g_ptr_array_add (argv, g_strdup ("--now"));
  g_ptr_array_add (argv, g_strdup ("2024-06-15T12:00:00Z"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, &err, &status, &error));
  g_assert_no_error (error);
  if (err != NULL && err[0] != '\0')
    g_test_message ("stderr: %s", err);
  return g_spawn_check_wait_status (status, NULL) ? 0 : WEXITSTATUS (status);
}

static void
write_text (const char *dir,
            const char *name,
       const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (p, text, -1, &error));
  return json_node_copy (json_parser_get_root (p));
}

static void
test_cli (void)
{
  g_autofree char *dir = fx_tmpdir ();
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  g_autofree char *id = NULL;

  write_text (dir, "events.csv",
         "user_id,event,ts,amount\n"
         "a,Charged,2024-06-14T10:00:00Z,30\n"
         "a,Charged,2024-06-13T10:00:00Z,40\n"
         "b,Charged,2024-06-15T09:00:00Z,5\n"
         "c,App Launched,2024-06-15T09:00:00Z,\n"
         "d,Charged,nope,1\n");
  write_text (dir, "profiles.csv", "user_id,email,city\na,a@x.org,Paris\nc,c@x.org,Rome\ne,,Oslo\n");
  write_text (dir, "q1.json", "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}}");
  write_text (dir, "daily.json", "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"today\"}}}");
  write_text (dir, "bad.json", "{\"match\":{\"did_not\":\"Charged\"}}");

  g_assert_cmpint (run (dir, &out, "import", "--json", "events.csv", "profiles.csv", NULL), ==, 0);
  node = parse (out);
  o = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (o, "rows_read"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (o, "events_added"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (o, "users_added"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (o, "rejected"), ==, 1);
  g_assert_nonnull (strstr (out, "events.csv:6: the timestamp"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);

  /* Importing the same file again adds nothing. */
  g_assert_cmpint (run (dir, &out, "import", "events.csv", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "already imported"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (dir, &out, "eval", "q1.json", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "2\n");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (dir, &out, "eval", "--json", "--users", "--reach", "--trend", "3", "q1.json", NULL), ==, 0);
  node = parse (out);
  o = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (o, "count"), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "users"), 0), ==, "a");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "reach"), "email"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "trend")), ==, 3);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);

  /* Users per day who bought: Jun 13 a, Jun 14 a, Jun 15 b. */
  g_assert_cmpint (run (dir, &out, "eval", "--trend", "3", "daily.json", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "1\n2024-06-13\t1\n2024-06-14\t1\n2024-06-15\t1\n");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (dir, &out, "eval", "bad.json", NULL), ==, 1);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (dir, &out, "segments", "save", "q1.json", "--name", "Buyers", NULL), ==, 0);
  id = g_strstrip (g_strdup (out));
  g_assert_true (g_str_has_prefix (id, "seg-"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (dir, &out, "segments", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "all-users\tsystem"));
  g_assert_nonnull (strstr (out, "Buyers"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (dir, &out, "segments", "show", id, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Users who did Charged in the last 30 days"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (dir, &out, "segments", "delete", "all-users", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (dir, &out, "segments", "delete", id, NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (dir, &out, "events", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Charged\t3\t"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (dir, &out, "events", "--event", "Charged", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "amount\tnumber"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (dir, &out, "bench", "--runs", "3", "q1.json", NULL), ==, 0);
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
    g_autoptr(JsonNode) l0 = parse (lines[0]);
    g_autoptr(JsonNode) l1 = parse (lines[1]);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (l0), "count"), ==, 2);
    g_assert_true (json_object_has_member (json_node_get_object (l0), "median_ms"));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (l1), "peak_rss_kb"), >, 0);
  }
  g_clear_pointer (&out, g_free);

  fx_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  segctl_path = g_strdup (g_getenv ("SEGCTL"));
  g_test_add_func ("/Segctl/end-to-end", test_cli);
  return g_test_run ();
}
