/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "segctl-live"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "clickhouse/seg-clickhouse-live-sink.h"
#include "clickhouse/seg-clickhouse-store.h"
#include "clickhouse/seg-clickhouse-tail.h"
#include "live/seg-live-engine.h"
#include "live/seg-live-ingest.h"
#include "live/seg-live-replay.h"
#include "live/seg-live-sqlite-sink.h"
#include "live/seg-live-tail.h"
#include "seg-cli-live.h"
#include "seg-cli-store.h"
#include "seg-local-store.h"
#include "seg-segment.h"
#include "seg-time.h"

/* `segctl live` runs the same engine as the application, headless: it loads live segments
 * (from the store, or --segment files), feeds it from the streams given and prints each
 * qualification as one JSON line on stdout. */

typedef struct
{
  GMainLoop     *loop;
  SegLiveEngine *engine;
  SegLiveReplay *replay;
  gboolean       replay_only;
  int            status;
} Run;

static void
qualified_cb (SegLiveEngine *engine,
              const char    *segment,
              const char    *user,
              gint64         ts,
              gpointer       user_data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "segment");
  json_builder_add_string_value (b, segment);
  json_builder_set_member_name (b, "user");
  json_builder_add_string_value (b, user);
  json_builder_set_member_name (b, "ts");
  json_builder_add_int_value (b, ts);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  line = json_to_string (root, FALSE);
  fputs (line, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

/* A replay alone ends when it has played everything and no inaction window is open. */
static void
maybe_done (Run *run)
{
  SegLiveEngineStats st;

  if (!run->replay_only || !seg_live_replay_is_finished (run->replay))
    return;
  seg_live_engine_get_stats (run->engine, &st);
  if (st.pending_timers == 0)
    g_main_loop_quit (run->loop);
}

static void
tick_cb (SegLiveEngine *engine,
         double         events,
         double         quals,
         Run           *run)
{
  maybe_done (run);
}

static void
finished_cb (SegLiveReplay *replay,
             Run           *run)
{
  maybe_done (run);
}

static gboolean
signal_cb (gpointer data)
{
  g_main_loop_quit (((Run *) data)->loop);
  return G_SOURCE_CONTINUE;
}

static void
rejected_cb (SegLiveTail *tail,
             guint64      line,
             const char  *message,
             gpointer     user_data)
{
  g_printerr (_("segctl live: %s:%" G_GUINT64_FORMAT ": %s\n"), (const char *) user_data, line, message);
}

static void
poll_failed_cb (SegClickhouseTail *tail,
                const GError      *error,
                gpointer           user_data)
{
  g_printerr (_("segctl live: polling ClickHouse failed (retrying in %.1f s): %s\n"),
              seg_clickhouse_tail_get_retry_delay (tail) / 1000.0, error->message);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
add_file_segment (SegLiveEngine  *engine,
                  const char     *path,
                  GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SegLiveTrigger) trigger = NULL;
  g_autofree char *base = g_path_get_basename (path);
  JsonNode *root;
  const char *id = NULL;
  char *dot;

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  root = json_parser_get_root (parser);
  trigger = seg_live_trigger_new_from_definition_node (root, error);
  if (trigger == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  /* The segment's id: its "id" or "name" if the file has one, else the file name. */
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);
      id = json_object_get_string_member_with_default (obj, "id",
             json_object_get_string_member_with_default (obj, "name", NULL));
    }
  if (id == NULL)
    {
      if ((dot = strrchr (base, '.')) != NULL)
        *dot = '\0';
      id = base;
    }
  return seg_live_engine_add_segment (engine, id, trigger, error);
}

static gboolean
add_store_segments (SegLiveEngine  *engine,
                    SegStore       *store,
                    GMainLoop      *loop,
                    GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) list = NULL;
  guint n_live = 0;

  seg_store_list_segments_async (store, NULL, list_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  list = seg_store_list_segments_finish (store, result, error);
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (list, i);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(SegLiveTrigger) trigger = NULL;
      g_autoptr(GError) local_error = NULL;

      if (seg_segment_get_kind (seg) != SEG_SEGMENT_KIND_LIVE || seg_segment_get_definition (seg) == NULL)
        continue;
      n_live++;
      node = seg_definition_to_node (seg_segment_get_definition (seg));
      trigger = seg_live_trigger_new_from_definition_node (node, &local_error);
      if (trigger == NULL)
        {
          g_printerr (_("segctl live: skipping segment %s (%s): %s\n"), seg_segment_get_id (seg),
                      seg_segment_get_name (seg), local_error->message);
          continue;
        }
      if (!seg_live_engine_add_segment (engine, seg_segment_get_id (seg), trigger, error))
        return FALSE;
    }
  if (seg_live_engine_get_n_segments (engine) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   n_live > 0 ? _("none of the store’s live segments has a trigger this program can run")
                              : _("the store has no live segments; give definitions with --segment FILE"));
      return FALSE;
    }
  return TRUE;
}

/* A --from/--to value: a day (YYYY-MM-DD, its midnight in the store's timezone) or a time
 * (ISO-8601, epoch seconds or ms). With @end, a day stands for its whole day: the next
 * midnight. */
static gboolean
parse_bound (const char  *text,
             GTimeZone   *tz,
             gboolean     end,
             gint64      *ms,
             GError     **error)
{
  if (!seg_time_parse_timestamp (text, strlen (text), tz, ms))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a date (YYYY-MM-DD) or a time"), text);
      return FALSE;
    }
  if (end && strlen (text) == 10)
    *ms = seg_time_midnight (tz, seg_time_day_of (tz, *ms) + 1);
  return TRUE;
}

static void
store_replay_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The store's own events from --from to --to; the first chunk is read before playing. */
static SegLiveReplay *
open_store_replay (SegStore      *store,
                   SegLiveClock  *clock,
                   GTimeZone     *tz,
                   const char    *from,
                   const char    *to,
                   double         speed,
                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 from_ms = 0;
  gint64 to_ms = seg_live_clock_get_now (clock) + 1;

  if (store == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--replay-store needs a store (--store PATH)"));
      return NULL;
    }
  if ((from != NULL && !parse_bound (from, tz, FALSE, &from_ms, error))
      || (to != NULL && !parse_bound (to, tz, TRUE, &to_ms, error)))
    return NULL;
  seg_live_replay_new_from_store_async (store, from_ms, to_ms, clock, speed, 0, NULL,
                                        store_replay_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return seg_live_replay_new_from_store_finish (result, error);
}

static gboolean
parse_addr (const char  *spec,
            char       **host,
            guint       *port,
            GError     **error)
{
  const char *colon = strrchr (spec, ':');
  guint64 p;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &p, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--ingest: expected ADDRESS:PORT (port 0 = any), not “%s”"), spec);
      return FALSE;
    }
  *host = colon == spec ? g_strdup ("127.0.0.1") : g_strndup (spec, colon - spec);
  if ((*host)[0] == '[' && (*host)[strlen (*host) - 1] == ']')
    {
      char *inner = g_strndup (*host + 1, strlen (*host) - 2);
      g_free (*host);
      *host = inner;
    }
  *port = (guint) p;
  return TRUE;
}

int
seg_cli_live_main (int    argc,
                   char **argv)
{
  g_autofree char *opt_store = NULL;
  g_autofree char *opt_tz = NULL;
  g_auto(GStrv) opt_segments = NULL;
  g_autofree char *opt_ingest = NULL;
  g_autofree char *opt_token = NULL;
  g_auto(GStrv) opt_tails = NULL;
  g_autofree char *opt_replay = NULL;
  g_autofree char *opt_memberships = NULL;
  gboolean opt_from_start = FALSE;
  double opt_speed = 1.0;
  gboolean opt_replay_store = FALSE;
  g_autofree char *opt_from = NULL;
  g_autofree char *opt_to = NULL;
  int opt_poll = 1000;
  const GOptionEntry entries[] = {
    { "store", 's', 0, G_OPTION_ARG_FILENAME, &opt_store, N_("The store (default: $SEGCTL_STORE or segments.db): its live segments, where ingested events go; with clickhouse://…, the events that arrive in it are followed"), N_("PATH|URL") },
    { "poll", 0, 0, G_OPTION_ARG_INT, &opt_poll, N_("With a ClickHouse store: poll for new events every MS milliseconds (default 1000)"), N_("MS") },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &opt_tz, N_("Timezone for calendar days without a store (default UTC)"), N_("ZONE") },
    { "segment", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_segments, N_("A live segment definition to run instead of the store’s (repeatable)"), N_("FILE.json") },
    { "ingest", 0, 0, G_OPTION_ARG_STRING, &opt_ingest, N_("Accept uploads over HTTP on ADDRESS:PORT (127.0.0.1:0 = any free port)"), N_("ADDR:PORT") },
    { "token", 0, 0, G_OPTION_ARG_STRING, &opt_token, N_("Bearer token uploads must carry (default: $SEGCTL_INGEST_TOKEN); required off loopback"), N_("TOKEN") },
    { "tail", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_tails, N_("Follow a JSON-lines file (repeatable)"), N_("FILE") },
    { "from-start", 0, 0, G_OPTION_ARG_NONE, &opt_from_start, N_("--tail: read what the file already holds first"), NULL },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, &opt_replay, N_("Play a JSON-lines export back in time order"), N_("FILE") },
    { "replay-store", 0, 0, G_OPTION_ARG_NONE, &opt_replay_store, N_("Play the store's own events back in time order, read in chunks (with --from, --to)"), NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from, N_("--replay-store: the first day or time played (default: the first event)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to, N_("--replay-store: the last day played (a date: that whole day), or the time the replay stops (default: now)"), N_("DATE") },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &opt_speed, N_("--replay, --replay-store: 1 to 1000 times real time (default 1)"), N_("N") },
    { "memberships", 0, 0, G_OPTION_ARG_FILENAME, &opt_memberships, N_("Keep memberships in this file instead of the store"), N_("PATH") },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— run live segments and print who qualifies, one JSON line each"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SegStore) store = NULL;
  g_autoptr(SegClickhouseTail) ch_tail = NULL;
  g_autoptr(SegClickhouseLiveSink) ch_sink = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(SegLiveClock) clock = NULL;
  g_autoptr(SegLiveEngine) engine = NULL;
  g_autoptr(SegLiveSqliteSink) sink = NULL;
  g_autoptr(SegLiveIngest) ingest = NULL;
  g_autoptr(SegLiveReplay) replay = NULL;
  g_autoptr(GPtrArray) tails = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GMainLoop) loop = NULL;
  const char *store_path;
  Run run = { 0 };
  guint sigint, sigterm;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (ctx,
    "Streams carry CleverTap upload elements: {\"type\":\"event\",\"identity\":…,\"ts\":…,\"evtName\":…,\n"
    "\"evtData\":{…}} or {\"type\":\"profile\",…,\"profileData\":{…}}; --ingest also takes {\"d\":[…]}.\n"
    "Each qualification is printed as {\"segment\":…,\"user\":…,\"ts\":MS}. Ctrl-C stops.");
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("segctl live: %s\n", error->message);
      return 2;
    }
  store_path = opt_store ? opt_store : g_getenv ("SEGCTL_STORE");
  if (opt_replay_store && opt_replay != NULL)
    {
      g_printerr (_("segctl live: give either --replay FILE or --replay-store, not both\n"));
      return 2;
    }
  if (!opt_replay_store && (opt_from != NULL || opt_to != NULL))
    {
      g_printerr (_("segctl live: --from and --to go with --replay-store\n"));
      return 2;
    }
  if (opt_ingest == NULL && opt_tails == NULL && opt_replay == NULL && !opt_replay_store
      && (store_path == NULL || !g_str_has_prefix (store_path, "clickhouse")))
    {
      g_printerr (_("segctl live: give at least one stream: --ingest ADDR:PORT, --tail FILE, --replay FILE or a clickhouse:// store\n"));
      return 2;
    }
  if ((opt_replay != NULL || opt_replay_store) && (opt_ingest != NULL || opt_tails != NULL))
    {
      g_printerr (_("segctl live: --replay runs in replayed time and cannot be mixed with live streams\n"));
      return 2;
    }
  if (opt_token == NULL && g_getenv ("SEGCTL_INGEST_TOKEN") != NULL)
    opt_token = g_strdup (g_getenv ("SEGCTL_INGEST_TOKEN"));

  /* A store is opened when named, when segments come from it, or to keep ingested events. */
  if (store_path != NULL || opt_segments == NULL || opt_ingest != NULL)
    {
      if (store_path == NULL)
        store_path = "segments.db";
      store = seg_cli_open_store (store_path, opt_tz, &error);
      if (store == NULL)
        {
          g_printerr ("segctl live: %s\n", error->message);
          return 1;
        }
      tz = g_time_zone_ref (seg_store_get_timezone (store));
    }
  else
    {
      tz = opt_tz ? g_time_zone_new_identifier (opt_tz) : g_time_zone_new_utc ();
      if (tz == NULL)
        {
          g_printerr (_("segctl live: unknown timezone “%s”\n"), opt_tz);
          return 2;
        }
    }

  loop = g_main_loop_new (NULL, FALSE);
  clock = seg_live_clock_new_real ();
  if (opt_replay != NULL)
    {
      replay = seg_live_replay_new_from_file (opt_replay, clock, opt_speed, tz, &error);
      if (replay == NULL)
        {
          g_printerr ("segctl live: %s\n", error->message);
          return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ? 2 : 1;
        }
      if (seg_live_replay_get_n_rejected (replay) > 0)
        g_printerr (_("segctl live: %s: %u lines are not records and were skipped\n"),
                    opt_replay, seg_live_replay_get_n_rejected (replay));
      engine = seg_live_engine_new (seg_live_replay_get_clock (replay), tz);
    }
  else if (opt_replay_store)
    {
      replay = open_store_replay (store, clock, tz, opt_from, opt_to, opt_speed, &error);
      if (replay == NULL)
        {
          g_printerr ("segctl live: %s\n", error->message);
          return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ? 2 : 1;
        }
      engine = seg_live_engine_new (seg_live_replay_get_clock (replay), tz);
    }
  else
    engine = seg_live_engine_new (clock, tz);
  if (store != NULL)
    seg_live_engine_set_store (engine, store);

  if (opt_segments != NULL)
    {
      for (guint i = 0; opt_segments[i] != NULL; i++)
        if (!add_file_segment (engine, opt_segments[i], &error))
          {
            g_printerr ("segctl live: %s\n", error->message);
            return 1;
          }
    }
  else if (!add_store_segments (engine, store, loop, &error))
    {
      g_printerr ("segctl live: %s\n", error->message);
      return 1;
    }

  if (opt_memberships == NULL && store != NULL && replay == NULL)
    {
      SegLiveSink *store_sink;

      /* The store keeps memberships next to its events (table live_memberships). */
      if (SEG_IS_CLICKHOUSE_STORE (store))
        {
          ch_sink = seg_clickhouse_live_sink_new (seg_clickhouse_store_get_client (SEG_CLICKHOUSE_STORE (store)));
          store_sink = SEG_LIVE_SINK (ch_sink);
        }
      else
        store_sink = SEG_LIVE_SINK (store);
      if (!seg_live_engine_set_sink (engine, store_sink, &error))
        {
          g_printerr ("segctl live: %s\n", error->message);
          return 1;
        }
    }
  else if (opt_memberships != NULL)
    {
      sink = seg_live_sqlite_sink_new (opt_memberships, &error);
      if (sink == NULL || !seg_live_engine_set_sink (engine, SEG_LIVE_SINK (sink), &error))
        {
          g_printerr ("segctl live: %s\n", error->message);
          return 1;
        }
    }
  g_signal_connect (engine, "user-qualified", G_CALLBACK (qualified_cb), NULL);

  if (opt_ingest != NULL)
    {
      g_autofree char *host = NULL;
      guint port;

      if (!parse_addr (opt_ingest, &host, &port, &error))
        {
          g_printerr ("segctl live: %s\n", error->message);
          return 2;
        }
      ingest = seg_live_ingest_new (engine, store, opt_token);
      if (!seg_live_ingest_listen (ingest, host, port, &error))
        {
          g_printerr ("segctl live: %s\n", error->message);
          return 1;
        }
      g_printerr (_("segctl live: accepting uploads on http://%s%s%s:%u/1/upload\n"),
                  strchr (host, ':') ? "[" : "", host, strchr (host, ':') ? "]" : "",
                  seg_live_ingest_get_port (ingest));
    }
  for (guint i = 0; opt_tails != NULL && opt_tails[i] != NULL; i++)
    {
      SegLiveTail *tail = seg_live_tail_new (engine, opt_tails[i], opt_from_start);
      g_signal_connect (tail, "line-rejected", G_CALLBACK (rejected_cb), opt_tails[i]);
      if (!seg_live_tail_start (tail, &error))
        {
          g_printerr ("segctl live: %s: %s\n", opt_tails[i], error->message);
          g_object_unref (tail);
          return 1;
        }
      g_ptr_array_add (tails, tail);
    }

  if (store != NULL && SEG_IS_CLICKHOUSE_STORE (store) && replay == NULL)
    {
      /* What arrives in the store from now on (from any importer) feeds the engine. */
      ch_tail = seg_clickhouse_tail_new (engine, seg_clickhouse_store_get_client (SEG_CLICKHOUSE_STORE (store)));
      seg_clickhouse_tail_set_interval (ch_tail, (guint) MAX (opt_poll, 10));
      g_signal_connect (ch_tail, "poll-failed", G_CALLBACK (poll_failed_cb), NULL);
      seg_clickhouse_tail_start (ch_tail, seg_live_clock_get_now (clock));
      g_printerr (_("segctl live: following the events of %s every %d ms\n"), store_path, MAX (opt_poll, 10));
    }

  run.loop = loop;
  run.engine = engine;
  run.replay = replay;
  run.replay_only = replay != NULL;
  if (replay != NULL)
    {
      g_signal_connect (replay, "finished", G_CALLBACK (finished_cb), &run);
      g_signal_connect (engine, "rate-tick", G_CALLBACK (tick_cb), &run);
      seg_live_replay_start (replay, engine);
    }
  sigint = g_unix_signal_add (SIGINT, signal_cb, &run);
  sigterm = g_unix_signal_add (SIGTERM, signal_cb, &run);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (ch_tail != NULL)
    seg_clickhouse_tail_stop (ch_tail);
  if (!seg_live_engine_flush (engine, &error))
    {
      g_printerr ("segctl live: %s\n", error->message);
      return 1;
    }
  if (replay != NULL)
    g_signal_handlers_disconnect_by_data (replay, &run);
  g_signal_handlers_disconnect_by_data (engine, &run);
  return run.status;
}
