/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-estimate STORE [--runs N] [--now ISO]: how long the wizard takes from an edit to the
 * estimated size on screen, over a real store (issue: "the number appears within 300 ms
 * of an edit on a 1M-event store").
 *
 * The wizard runs in a real window (run it under xvfb-run). Each edit is made through the
 * wizard's widgets, the way a marketer makes it: choose an event, change a time window,
 * add a property filter, an aggregate, a user property, an exclusion. The time measured is
 * from the edit's first widget call (before the wizard rebuilds the definition) to the
 * count set on the reach panel's labels: the wizard's refresh, the 150 ms debounce and the
 * evaluation are all inside it. Prints one JSON line per edit kind with the median and p95
 * over the runs, then a summary line with the process's CPU time (user + system).
 *
 * Not a test; a benchmark for the numbers in the issue. Example:
 *   segctl --store s.segstore import events.csv profiles.csv   (tests/bench/run-bench makes S)
 *  xvfb-run -a _build/tests/segments/bench-estimate s.segstore --runs 7 [--now 2024-06-30T12:00:00Z]
 */

#include "config.h"

#include <adwaita.h>
#include <sys/resource.h>

#include "seg-aggregate-editor.h"
#include "seg-event-rule.h"
#include "seg-filter-list.h"
#include "seg-filter-row.h"
#include "seg-group-rule.h"
#include "seg-local-store.h"
#include "seg-reach-panel.h"
#include "seg-segment-chooser.h"
#include "seg-segment.h"
#include "seg-test-data.h"
#include "seg-user-rule.h"
#include "seg-window-editor.h"
#include "seg-wizard.h"

typedef struct
{
  SegWizard     *wizard;
  SegReachPanel *reach;
  gint64         edit_at;   /* monotonic µs just before the edit's first widget call */
} Bench;

/* The clock starts when the marketer's edit starts, before any widget reacts to it. */
static void
mark (Bench *b)
{
  b->edit_at = g_get_monotonic_time ();
}

static gboolean
reach_ready (gpointer data)
{
  Bench *b = data;

  return !seg_wizard_is_refresh_pending (b->wizard) &&
         !seg_reach_panel_is_busy (b->reach) && seg_reach_panel_get_count (b->reach) >= 0;
}

static gboolean
cache_loaded (gpointer data)
{
  return !seg_schema_cache_is_loading (seg_wizard_get_cache (data));
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Waits for the number of the edit just made; returns its latency in ms. */
static double
settle (Bench  *b,
        gint64 *count)
{
  /* The edit schedules a refresh; the refresh requests the estimate. */
  seg_test_data_iterate_until (reach_ready, b, 60000);
  g_assert_true (reach_ready (b));
  *count = seg_reach_panel_get_count (b->reach);
  /* From the edit (the wizard's rebuild of the definition, its summary, the debounce and
   * the evaluation) to the number set on the panel's labels. */
  return (double) (seg_reach_panel_get_shown_at (b->reach) - b->edit_at) / 1000.0;
}

static SegEventRule *
rule (Bench *b,
      guint  i)
{
  return SEG_EVENT_RULE (seg_group_rule_get_rule (seg_wizard_get_root_group (b->wizard), i));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLocalStore) store = NULL;
  const char *edits[] = { "event", "window", "filter", "aggregate", "did-not", "user", "exclude" };
  GArray *times[G_N_ELEMENTS (edits)];
  g_autoptr(SegSegment) power = NULL;
  GtkWidget *window;
  Bench b;
  gint64 counts[G_N_ELEMENTS (edits)] = { 0 };
  guint runs = 5;

  if (argc < 2)
    {
      g_printerr ("usage: bench-estimate STORE [--runs N] [--now ISO]\n");
      return 2;
    }
  /* "Now" is the benchmark data's (tests/bench/run-bench --now), so windows hold events. */
  const char *now_iso = "2024-06-30T12:00:00Z";
  g_autoptr(GDateTime) now = NULL;

  for (int i = 2; i + 1 < argc; i += 2)
    if (g_str_equal (argv[i], "--runs"))
      runs = MAX (1, atoi (argv[i + 1]));
    else if (g_str_equal (argv[i], "--now"))
      now_iso = argv[i + 1];
  gtk_init ();
  adw_init ();

  store = seg_local_store_new (argv[1], NULL, &error);
  if (store == NULL)
    {
      g_printerr ("bench-estimate: %s\n", error->message);
      return 1;
    }
  now = g_date_time_new_from_iso8601 (now_iso, NULL);
  if (now == NULL)
    {
      g_printerr ("bench-estimate: --now %s is not an ISO-8601 time\n", now_iso);
      return 2;
    }
  seg_local_store_set_now (store, g_date_time_to_unix (now) * 1000);
  power = seg_test_data_save_json (SEG_STORE (store), "Bench: power users",
                                   "{\"version\":1,\"match\":{\"all\":[{\"did\":\"Charged\","
                                   "\"when\":{\"type\":\"last\",\"n\":90,\"unit\":\"days\"},"
                                   "\"aggregate\":{\"fn\":\"count\",\"op\":\"ge\",\"value\":3}}]}}", &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  b.wizard = SEG_WIZARD (seg_wizard_new (SEG_STORE (store)));
  b.reach = seg_wizard_get_reach_panel (b.wizard);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (b.wizard));
  gtk_window_present (GTK_WINDOW (window));
  seg_schema_cache_get_properties (seg_wizard_get_cache (b.wizard), "Charged");
  seg_test_data_iterate_until (cache_loaded, b.wizard, 60000);

  for (guint e = 0; e < G_N_ELEMENTS (edits); e++)
    times[e] = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint run = 0; run <= runs; run++)
    {
      double t[G_N_ELEMENTS (edits)];
      SegFilterRow *filter;
      SegUserRule *user;

      seg_wizard_start (b.wizard);
      g_assert_true (seg_wizard_choose_type (b.wizard, "action-inaction"));
      /* Choose the events of the two rules: the first number. */
      mark (&b);
      seg_event_rule_set_event (rule (&b, 0), "Added To Cart");
      seg_event_rule_set_event (rule (&b, 1), "Charged");
      t[0] = settle (&b, &counts[0]);
      /* A different window on the first rule. */
      mark (&b);
      seg_window_editor_set_preset (seg_event_rule_get_window (rule (&b, 0)), run % 2 ? "last-7" : "last-90");
      t[1] = settle (&b, &counts[1]);
      /* An event-property filter. */
      mark (&b);
      filter = seg_filter_list_add (seg_event_rule_get_filters (rule (&b, 0)));
      seg_filter_row_set_property_name (filter, "price");
      seg_filter_row_set_op (filter, "gt");
      seg_filter_row_set_numbers (filter, 10, 0);
      t[2] = settle (&b, &counts[2]);
      /* AND by behavior: Charged count ≥ 2 in 90 days, including non-doers. */
      mark (&b);
      gtk_widget_activate_action (GTK_WIDGET (b.wizard), "wizard.add-rule", "s", "event");
      seg_event_rule_set_event (rule (&b, 2), "Charged");
      seg_window_editor_set_preset (seg_event_rule_get_window (rule (&b, 2)), "last-90");
      seg_aggregate_editor_set (seg_event_rule_get_aggregate (rule (&b, 2)), "count", NULL, "ge", 2, 0, TRUE);
      t[3] = settle (&b, &counts[3]);
      /* The second rule's window. */
      mark (&b);
      seg_window_editor_set_preset (seg_event_rule_get_window (rule (&b, 1)), "last-7");
      t[4] = settle (&b, &counts[4]);
      /* A user property. */
      mark (&b);
      gtk_widget_activate_action (GTK_WIDGET (b.wizard), "wizard.add-rule", "s", "user");
      user = SEG_USER_RULE (seg_group_rule_get_rule (seg_wizard_get_root_group (b.wizard), 3));
      filter = SEG_FILTER_ROW (seg_user_rule_get_filter (user));
      seg_filter_row_set_property_name (filter, "city");
      seg_filter_row_set_op (filter, "equals");
      seg_filter_row_set_text (filter, "New York");
      t[5] = settle (&b, &counts[5]);
      /* Excluding a saved segment. */
      mark (&b);
      seg_segment_chooser_add (seg_wizard_get_exclude (b.wizard), seg_segment_get_id (power));
      t[6] = settle (&b, &counts[6]);
      /* The first run warms the store and the caches; it is not counted. */
      if (run > 0)
        for (guint e = 0; e < G_N_ELEMENTS (edits); e++)
          g_array_append_val (times[e], t[e]);
    }

  {
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
    double worst_p95 = 0;

    for (guint e = 0; e < G_N_ELEMENTS (edits); e++)
      {
        GArray *a = times[e];
        double median, p95;

        g_array_sort (a, cmp_double);
        median = g_array_index (a, double, a->len / 2);
        p95 = g_array_index (a, double, MIN (a->len - 1, (guint) (a->len * 0.95)));
        worst_p95 = MAX (worst_p95, p95);
        g_array_append_vals (all, a->data, a->len);
        g_print ("{\"edit\":\"%s\",\"median_ms\":%.1f,\"p95_ms\":%.1f,\"runs\":%u,"
                 "\"count\":%" G_GINT64_FORMAT "}\n", edits[e], median, p95, a->len, counts[e]);
      }
    g_array_sort (all, cmp_double);
    g_print ("{\"edit\":\"all\",\"median_ms\":%.1f,\"p95_ms\":%.1f,\"max_ms\":%.1f,"
             "\"debounce_ms\":%u}\n",
             g_array_index (all, double, all->len / 2),
             g_array_index (all, double, MIN (all->len - 1, (guint) (all->len * 0.95))),
             g_array_index (all, double, all->len - 1),
             seg_reach_panel_get_debounce (b.reach));
  }
  {
    struct rusage ru;

    getrusage (RUSAGE_SELF, &ru);
    g_print ("{\"cpu_user_s\":%.2f,\"cpu_sys_s\":%.2f}\n",
             ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
             ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
  }
  for (guint e = 0; e < G_N_ELEMENTS (edits); e++)
    g_array_unref (times[e]);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
