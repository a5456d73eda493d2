/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-writer.h"
#include "seg-record.h"

/* `segctl --store clickhouse://USER@HOST:PORT/DATABASE` against the test server: import,
 * eval, segments, events and user do what they do on a local store, with the same
 * answers; the password comes from $SEGCTL_CLICKHOUSE_PASSWORD and a wrong one is a
 * clear error. */

#define NOW "2024-06-30T12:00:00Z"

static const char *events_csv =
  "user_id,event,ts,amount,category\n"
  "alice,Charged,2024-06-29T10:00:00Z,120,Shoes\n"
  "alice,Charged,2024-06-01T00:00:00Z,5,Books\n"
  "alice,App Launched,2024-06-30T08:00:00Z,,\n"
  "bob,Charged,2024-06-28T10:30:00Z,15,\"Shoes, Bags\"\n"
  "bob,App Launched,2024-06-20T08:00:00Z,,\n"
  "dave,Charged,2024-05-01T12:00:00Z,50,\n"
  "dave,App Launched,2024-06-30T00:00:00Z,,\n";

static const char *profiles_csv =
  "user_id,city,email,email_optin\n"
  "alice,New York,alice@example.com,true\n"
  "bob,Paris,bob@example.com,false\n"
  "carol,Tokyo,,\n";

typedef struct
{
  char *dir;
  char *url;
  char *database;
  SegClickhouseClient *client;
} Fixture;

static int
segctl (Fixture     *fx,
        const char  *store,
        const char  *password,
        char       **out,
        char       **err,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) SEGCTL_PATH);
  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, (gpointer) store);
  g_ptr_array_add (argv, (gpointer) "--now");
  g_ptr_array_add (argv, (gpointer) NOW);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_unsetenv (envp, "SEGCTL_CLICKHOUSE_PASSWORD");
  if (password != NULL)
    envp = g_environ_setenv (envp, "SEGCTL_CLICKHOUSE_PASSWORD", password, TRUE);
  g_spawn_sync (fx->dir, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  return 0;
}

static void
write_file (Fixture    *fx,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (fx->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *user = g_getenv ("SEG_CLICKHOUSE_AUTH_USER");

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;
  fx->dir = g_dir_make_tmp ("seg-segctl-ch-XXXXXX", &error);
  g_assert_no_error (error);
  write_file (fx, "events.csv", events_csv);
  write_file (fx, "profiles.csv", profiles_csv);
  write_file (fx, "buyers.json", "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}}");
  write_file (fx, "rich.json", "{\"match\":{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"sum\",\"property\":\"amount\",\"op\":\"gt\",\"value\":100}}}");
  write_file (fx, "live.json", "{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"action\","
              "\"event\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":10}]}}");
  write_file (fx, "today.json", "{\"match\":{\"did\":\"App Launched\",\"when\":{\"type\":\"today\"}}}");

  /* A database the test drops; segctl creates it and its tables. */
  fx->client = ch_test_new_database (ch_test_url (), "seg_test_segctl");
  fx->database = g_strdup (seg_clickhouse_client_get_database (fx->client));
  ch_test_drop_database (fx->client);
  uri = g_uri_parse (ch_test_url (), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  fx->url = g_strdup_printf ("clickhouse://%s@%s:%d/%s", user && *user ? user : "seg_auth",
                             g_uri_get_host (uri), g_uri_get_port (uri), fx->database);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  if (fx->client != NULL)
    ch_test_drop_database (fx->client);
  g_clear_object (&fx->client);
  if (fx->dir != NULL)
    {
      const char *names[] = { "events.csv", "profiles.csv", "buyers.json", "rich.json",
                              "today.json", "live.json", "local.db", "local.db-wal", "local.db-shm" };
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (fx->dir, names[i], NULL);
          g_unlink (path);
        }
      g_rmdir (fx->dir);
    }
  g_free (fx->dir);
  g_free (fx->url);
  g_free (fx->database);
}

static const char *
password (void)
{
  const char *p = g_getenv ("SEG_CLICKHOUSE_AUTH_PASSWORD");

  return p && *p ? p : "seg-test-password";
}

static void
test_commands (Fixture       *fx,
               gconstpointer  data)
{
  const char *stores[2];
  char *answers[2][4] = { { NULL, } };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *local = NULL;

  if (fx->client == NULL)
    return;
  local = g_build_filename (fx->dir, "local.db", NULL);
  stores[0] = fx->url;
  stores[1] = local;

  for (guint s = 0; s < 2; s++)
    {
      g_assert_cmpint (segctl (fx, stores[s], password (), &out, &err, "--json", "import",
                               "events.csv", "profiles.csv", NULL), ==, 0);
      g_assert_nonnull (strstr (out, "\"rejected\":0"));
      g_assert_nonnull (strstr (out, "\"users_added\":4"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);

      /* A file imported before adds nothing. */
      g_assert_cmpint (segctl (fx, stores[s], password (), &out, &err, "import", "events.csv",
                               NULL), ==, 0);
      g_assert_nonnull (strstr (out, "already imported"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);

      g_assert_cmpint (segctl (fx, stores[s], password (), &answers[s][0], &err, "--reach",
                               "--users", "eval", "buyers.json", NULL), ==, 0);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (segctl (fx, stores[s], password (), &answers[s][1], &err, "--trend", "3",
                               "eval", "today.json", NULL), ==, 0);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (segctl (fx, stores[s], password (), &answers[s][2], &err, "eval",
                               "rich.json", NULL), ==, 0);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (segctl (fx, stores[s], password (), &answers[s][3], &err, "events", NULL),
                       ==, 0);
      g_clear_pointer (&err, g_free);
    }

  /* The same answers from both stores, and the right ones. */
  for (guint q = 0; q < G_N_ELEMENTS (answers[0]); q++)
    g_assert_cmpstr (answers[0][q], ==, answers[1][q]);
  g_assert_cmpstr (answers[0][0], ==, "2\nemail\t1\npush\t0\nsms\t0\nwhatsapp\t0\nin-app\t2\nalice\nbob\n");
  g_assert_cmpstr (answers[0][1], ==, "2\n2024-06-28\t0\n2024-06-29\t0\n2024-06-30\t2\n");
  g_assert_cmpstr (answers[0][2], ==, "1\n");
  g_assert_nonnull (strstr (answers[0][3], "Charged\t4\t"));
  for (guint s = 0; s < 2; s++)
    for (guint q = 0; q < G_N_ELEMENTS (answers[0]); q++)
      g_free (answers[s][q]);

  /* Saved segments live in the database. */
  g_assert_cmpint (segctl (fx, fx->url, password (), &out, &err, "segments", "save", "-n",
                           "Big spenders", "rich.json", NULL), ==, 0);
  g_strstrip (out);
  g_assert_cmpuint (strlen (out), >, 0);
  {
    g_autofree char *id = g_steal_pointer (&out);
    g_autofree char *list = NULL;
    g_autofree char *user = NULL;

    g_clear_pointer (&err, g_free);
    g_assert_cmpint (segctl (fx, fx->url, password (), &list, &err, "segments", NULL), ==, 0);
    g_assert_nonnull (strstr (list, id));
    g_assert_nonnull (strstr (list, "Big spenders"));
    g_assert_nonnull (strstr (list, "All Users"));
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (segctl (fx, fx->url, password (), &user, &err, "--json", "user", "alice",
                             NULL), ==, 0);
    g_assert_nonnull (strstr (user, "\"city\":\"New York\""));
    g_assert_nonnull (strstr (user, id));
    g_assert_nonnull (strstr (user, "\"events\":3"));
  }
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (segctl (fx, fx->url, password (), &out, &err, "user", "nobody", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "nobody"));
}

static void
test_wrong_password (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *with_password = NULL;

  if (fx->client == NULL)
    return;

  g_assert_cmpint (segctl (fx, fx->url, "not-the-password", &out, &err, "events", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "segctl: "));
  g_assert_nonnull (strstr (err, "ClickHouse"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Passwords never go in the URL, where shells and process lists would keep them. */
  with_password = g_strdup_printf ("clickhouse://seg_auth:%s@127.0.0.1:1/x", password ());
  g_assert_cmpint (segctl (fx, with_password, NULL, &out, &err, "events", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "SEGCTL_CLICKHOUSE_PASSWORD"));
}

/* `segctl live` on a ClickHouse store runs the store's live segments over the events that
 * arrive in it, and keeps the memberships in the store. */
static void
test_live (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) live = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GDataInputStream) errors = NULL;
  g_autoptr(SegClickhouseClient) writer_client = NULL;
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = NULL;
  g_autofree char *n = NULL;
  g_autofree char *id = NULL;
  SegPropValue small[] = { { .key = "amount", .type = SEG_VALUE_TYPE_NUMBER, .num = 5 } };
  SegPropValue big[] = { { .key = "amount", .type = SEG_VALUE_TYPE_NUMBER, .num = 40 } };
  gint64 now = g_get_real_time () / 1000;
  SegRecord records[] = {
    { .kind = SEG_RECORD_EVENT, .user_id = "yann", .event = "Charged", .ts_ms = now + 1500,
      .insert_id = "l1", .n_props = 1, .props = small },
    { .kind = SEG_RECORD_EVENT, .user_id = "zoe", .event = "Charged", .ts_ms = now + 2000,
      .insert_id = "l2", .n_props = 1, .props = big },
  };

  if (fx->client == NULL)
    return;

  /* A live segment saved in the store (which this creates). */
  g_assert_cmpint (segctl (fx, fx->url, password (), &out, &err, "segments", "save", "-n",
                           "Live buyers", "live.json", NULL), ==, 0);
  id = g_strstrip (g_steal_pointer (&out));

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "SEGCTL_CLICKHOUSE_PASSWORD", password (), TRUE);
  live = g_subprocess_launcher_spawn (launcher, &error, SEGCTL_PATH, "--store", fx->url, "live",
                                      "--poll", "50", NULL);
  g_assert_no_error (error);

  /* Once it follows the store (from its start time on), events arrive in it, as from any
   * importer. */
  errors = g_data_input_stream_new (g_subprocess_get_stderr_pipe (live));
  do
    {
      g_free (line);
      line = g_data_input_stream_read_line_utf8 (errors, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
    }
  while (strstr (line, "following the events of") == NULL);
  g_clear_pointer (&line, g_free);
  now = g_get_real_time () / 1000;
  records[0].ts_ms = now;
  records[1].ts_ms = now + 1;

  /* Events arrive in the store (as from any importer) while it runs. */
  writer_client = seg_clickhouse_client_new (ch_test_url (), NULL, NULL, fx->database);
  writer = seg_clickhouse_writer_new (writer_client, FALSE, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    g_assert_true (seg_store_writer_add (writer, &records[i], &error));
  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (live));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "\"user\":\"zoe\""));
  g_assert_nonnull (strstr (line, id));

  g_subprocess_send_signal (live, SIGTERM);
  g_assert_true (g_subprocess_wait_check (live, NULL, &error));
  g_assert_no_error (error);

  /* Only zoe qualified, and the store keeps it. */
  n = ch_test_scalar (fx->client, "SELECT arrayStringConcat(groupArray(user_id), ',') FROM live_memberships");
  g_assert_cmpstr (n, ==, "zoe");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/clickhouse/segctl/commands", Fixture, NULL, fixture_set_up, test_commands,
              fixture_tear_down);
  g_test_add ("/clickhouse/segctl/wrong-password", Fixture, NULL, fixture_set_up,
              test_wrong_password, fixture_tear_down);
  g_test_add ("/clickhouse/segctl/live", Fixture, NULL, fixture_set_up, test_live,
              fixture_tear_down);

  return g_test_run ();
}
