/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * seg-defgen: prints random segment definitions with their SQL twins, one JSON object a
 * line: {"definition": {...}, "sql": "SELECT ..."}; with --db, also the "count" of users
 * the SQL returns over that sqlite database (the baseline schema, after nullify.sql).
 */
#define G_LOG_DOMAIN "seg-defgen"

#include "config.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "seg-defgen.h"

static gboolean
parse_now (const char *s,
           gint64     *out_ms)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  char *end = NULL;
  gint64 v = g_ascii_strtoll (s, &end, 10);

  if (end != s && *end == '\0')
    {
      *out_ms = v < G_GINT64_CONSTANT (100000000000) ? v * 1000 : v;
      return TRUE;
    }
  dt = g_date_time_new_from_iso8601 (s, utc);
  if (dt == NULL)
    return FALSE;
  *out_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- random definitions and their SQL");
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *now_str = NULL;
  g_autofree char *db_path = NULL;
  gint64 seed = 1, now_ms = 0;
  int count = 10;
  sqlite3 *db = NULL;
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 1)", "N" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "How many definitions (default 10)", "K" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_str,
      "Now, ISO-8601 or epoch (default 2024-06-30T12:00:00Z)", "TIME" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      "Run each SQL on this sqlite database and add its \"count\"", "FILE" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("seg-defgen: %s\n", error->message);
      return 1;
    }
  if (!parse_now (now_str ? now_str : "2024-06-30T12:00:00Z", &now_ms) || now_ms < 0)
    {
      g_printerr ("seg-defgen: cannot parse --now\n");
      return 1;
    }
  if (db_path != NULL &&
      sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_printerr ("seg-defgen: %s: %s\n", db_path, db ? sqlite3_errmsg (db) : "cannot open");
      sqlite3_close (db);
      return 1;
    }

  rand = g_rand_new_with_seed ((guint32) seed);
  for (int i = 0; i < count; i++)
    {
      g_autofree char *sql = NULL;
      g_autoptr(JsonNode) def = seg_defgen_generate (rand, now_ms, &sql);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *line = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "definition");
      json_builder_add_value (b, g_steal_pointer (&def));
      json_builder_set_member_name (b, "sql");
      json_builder_add_string_value (b, sql);
      if (db != NULL)
        {
          sqlite3_stmt *stmt = NULL;
          g_autofree char *counted = g_strdup_printf ("SELECT count(*) FROM (%s)", sql);
          gint64 n = -1;

          if (sqlite3_prepare_v2 (db, counted, -1, &stmt, NULL) != SQLITE_OK ||
              sqlite3_step (stmt) != SQLITE_ROW)
            {
              g_printerr ("seg-defgen: SQL failed: %s\n%s\n", sqlite3_errmsg (db), sql);
              sqlite3_finalize (stmt);
              sqlite3_close (db);
              return 1;
            }
          n = sqlite3_column_int64 (stmt, 0);
          sqlite3_finalize (stmt);
          json_builder_set_member_name (b, "count");
          json_builder_add_int_value (b, n);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      line = json_generator_to_data (gen, NULL);
      g_print ("%s\n", line);
    }
  sqlite3_close (db);
  return 0;
}
