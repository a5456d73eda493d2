/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Demo data: realistic events and profiles from the seedable generator (seg-gen.c, the same
 * one the benchmarks use), written as the canonical CSV and the profiles CSV into a temporary
 * folder and imported through SegImport — exactly the way a user's own export comes in —
 * then a few example segments a newcomer can open at once.
 */
#define G_LOG_DOMAIN "seg-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "seg-definition.h"
#include "seg-demo.h"
#include "seg-eval-result.h"
#include "seg-gen.h"
#include "seg-segment.h"
#include "import/seg-import.h"

typedef struct
{
  const char *name;
  const char *description;
  const char *json;
} DemoSegment;

static const DemoSegment demo_segments[] = {
  { N_("Cart abandoners (30 days)"),
    N_("Added something to the cart in the last 30 days but bought nothing in that time"),
    "{\"version\":1,\"kind\":\"past-behavior\",\"match\":{\"all\":["
    "{\"did\":\"Added To Cart\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}},"
    "{\"did_not\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]}}" },
  { N_("Frequent buyers"),
    N_("Three purchases or more in the last 30 days"),
    "{\"version\":1,\"kind\":\"past-behavior\",\"match\":{\"all\":["
    "{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"},"
    "\"aggregate\":{\"fn\":\"count\",\"op\":\"ge\",\"value\":3}}]}}" },
  { N_("New York shoppers"),
    N_("Live in New York and bought something in the last 90 days"),
    "{\"version\":1,\"kind\":\"past-behavior\",\"match\":{\"all\":["
    "{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"New York\"}},"
    "{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":90,\"unit\":\"days\"}}]}}" },
  { N_("Lapsed users"),
    N_("Opened the app before but not in the last 30 days"),
    "{\"version\":1,\"kind\":\"past-behavior\",\"match\":{\"all\":["
    "{\"did\":\"App Launched\"},"
    "{\"did_not\":\"App Launched\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]}}" },
};

/**
 * seg_demo_list_segment_names:
 *
 * Returns: (transfer none): the (untranslated) names of the example segments the demo saves
 */
const char * const *
seg_demo_list_segment_names (void)
{
  static const char *names[G_N_ELEMENTS (demo_segments) + 1];

  for (guint i = 0; i < G_N_ELEMENTS (demo_segments); i++)
    names[i] = demo_segments[i].name;

  return names;
}

typedef struct
{
  SegDemoProgressFunc progress;
  gpointer            data;
  double              from;
  double              to;
  const char         *what;
} Phase;

static void
phase_report (Phase  *phase,
              double  within)
{
  if (phase->progress != NULL)
    phase->progress (phase->from + (phase->to - phase->from) * CLAMP (within, 0.0, 1.0),
                     phase->what, phase->data);
}

static void
import_progress_cb (SegImport *import,
                    guint64    rows,
                    guint64    bytes,
                    guint64    total_bytes,
                    double     rate,
                    double     seconds_left,
                    Phase     *phase)
{
  phase_report (phase, total_bytes > 0 ? (double) bytes / (double) total_bytes : 0.0);
}

static gboolean
import_file (SegStore      *store,
             const char    *path,
             Phase         *phase,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(SegImport) import = NULL;
  g_autoptr(SegImportSummary) summary = NULL;

  writer = seg_store_begin_write (store, error);
  if (writer == NULL)
    return FALSE;

  import = seg_import_new (file, writer);
  seg_import_set_policy (import, SEG_IMPORT_POLICY_STOP);
  g_signal_connect (import, "progress", G_CALLBACK (import_progress_cb), phase);
  phase_report (phase, 0.0);
  summary = seg_import_run (import, cancellable, error);
  if (summary == NULL)
    return FALSE;
  phase_report (phase, 1.0);

  g_debug ("demo: %s: %" G_GUINT64_FORMAT " rows, %" G_GUINT64_FORMAT " events, "
           "%" G_GUINT64_FORMAT " profiles", path, seg_import_summary_get_rows_read (summary),
           seg_import_summary_get_events (summary), seg_import_summary_get_profiles (summary));

  return TRUE;
}

/* Generates and imports the events and profiles. Blocking; runs on a worker thread. */
static gboolean
seg_demo_load_data (SegStore             *store,
                    guint                 n_events,
                    guint                 n_users,
                    gint64                now_ms,
                    SegDemoProgressFunc   progress,
                    gpointer              progress_data,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *profiles_path = NULL;
  g_autofree char *events_arg = NULL;
  g_autofree char *users_arg = NULL;
  g_autofree char *now_arg = NULL;
  Phase phase = { progress, progress_data, 0.0, 0.0, NULL };
  gboolean ok = FALSE;

  dir = g_dir_make_tmp ("segment-studio-demo-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  events_path = g_build_filename (dir, "demo-events.csv", NULL);
  profiles_path = g_build_filename (dir, "demo-profiles.csv", NULL);
  events_arg = g_strdup_printf ("--events=%u", n_events);
  users_arg = g_strdup_printf ("--users=%u", n_users);
  now_arg = g_strdup_printf ("--now=%" G_GINT64_FORMAT, now_ms);

  {
    const char *argv[] = {
      "seg-gen", "--quiet", "--seed=1", "--span-days=180",
      events_arg, users_arg, now_arg,
      "-o", events_path, "-p", profiles_path, NULL
    };

    phase = (Phase) { progress, progress_data, 0.0, 0.1, _("Generating demo events…") };
    phase_report (&phase, 0.0);
    if (!seg_gen_run (argv, error))
      goto out;
  }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  phase = (Phase) { progress, progress_data, 0.1, 0.8, _("Importing demo events…") };
  if (!import_file (store, events_path, &phase, cancellable, error))
    goto out;

  phase = (Phase) { progress, progress_data, 0.8, 0.95, _("Importing demo profiles…") };
  if (!import_file (store, profiles_path, &phase, cancellable, error))
    goto out;

  ok = TRUE;

out:
  g_remove (events_path);
  g_remove (profiles_path);
  g_rmdir (dir);
  return ok;
}

/* Saving the example segments, one after the other, on the caller's main context. */

typedef struct
{
  guint     next;
  guint     next_system;
  GPtrArray *existing;   /* names of the store's segments */
} SaveState;

static void
save_state_free (SaveState *state)
{
  g_clear_pointer (&state->existing, g_ptr_array_unref);
  g_free (state);
}

static void save_next (GTask *task);

static void
evaluate_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SegEvalResult) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = seg_store_evaluate_finish (SEG_STORE (source), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  save_next (g_steal_pointer (&task));
}

static void
save_segment_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SegSegment) saved = NULL;
  g_autoptr(GError) error = NULL;
  SegEvalOptions options = { 0 };
  GCancellable *cancellable;

  saved = seg_store_save_segment_finish (SEG_STORE (source), result, &error);
  if (saved == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Evaluating a saved segment once makes the store remember its size, so the
   * segment list shows how many users each example holds from the start. */
  cancellable = g_task_get_cancellable (task);
  seg_store_evaluate_async (SEG_STORE (source), seg_segment_get_definition (saved), &options,
                            cancellable, evaluate_cb, g_steal_pointer (&task));
}

static void
save_next (GTask *task)
{
  SegStore *store = g_task_get_source_object (task);
  SaveState *state = g_task_get_task_data (task);

  while (state->next < G_N_ELEMENTS (demo_segments))
    {
      const DemoSegment *demo = &demo_segments[state->next++];
      g_autoptr(SegDefinition) definition = NULL;
      g_autoptr(SegSegment) segment = NULL;
      g_autoptr(GError) error = NULL;
      const char *name = g_dgettext (GETTEXT_PACKAGE, demo->name);

      /* Loading the demo again adds data, not a second copy of each example. */
      if (g_ptr_array_find_with_equal_func (state->existing, name, g_str_equal, NULL))
        continue;

      definition = seg_definition_new_from_json (demo->json, -1, &error);
      if (definition == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      segment = seg_segment_new (NULL, name, definition);
      seg_segment_set_description (segment, g_dgettext (GETTEXT_PACKAGE, demo->description));
      seg_store_save_segment_async (store, segment, g_task_get_cancellable (task),
                                    save_segment_cb, task);
      return;
    }

  /* The system segments' sizes too, so no row of the list starts without one. */
  if (state->next_system < 2)
    {
      const char *json = state->next_system++ == 0
                         ? "{\"version\":1,\"include\":[\"" SEG_SEGMENT_ID_ALL_USERS "\"]}"
                         : "{\"version\":1,\"include\":[\"" SEG_SEGMENT_ID_TEST_USERS "\"]}";
      g_autoptr(SegDefinition) definition = seg_definition_new_from_json (json, -1, NULL);
      SegEvalOptions options = { 0 };

      g_assert (definition != NULL);
      seg_store_evaluate_async (store, definition, &options, g_task_get_cancellable (task),
                                evaluate_cb, task);
      return;
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
list_segments_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  SaveState *state = g_task_get_task_data (task);
  g_autoptr(GListModel) segments = NULL;
  g_autoptr(GError) error = NULL;

  segments = seg_store_list_segments_finish (SEG_STORE (source), result, &error);
  if (segments == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
    {
      g_autoptr(SegSegment) segment = g_list_model_get_item (segments, i);

      g_ptr_array_add (state->existing, g_strdup (seg_segment_get_name (segment)));
    }

  save_next (task);
}

/* Takes @task's reference; returns through it. */
static void
save_segments (GTask *task)
{
  SaveState *state = g_new0 (SaveState, 1);

  state->existing = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, state, (GDestroyNotify) save_state_free);
  seg_store_list_segments_async (g_task_get_source_object (task),
                                 g_task_get_cancellable (task),
                                 list_segments_cb, task);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * seg_demo_load:
 * @store: the store to fill
 * @n_events: how many events, e.g. %SEG_DEMO_N_EVENTS
 * @n_users: how many users, e.g. %SEG_DEMO_N_USERS
 * @now_ms: the end of the demo's 180 days, in ms since the epoch; 0 for now
 * @progress: (nullable) (scope call): called as the demo loads, from this thread
 * @cancellable: (nullable): cancels the load; the store then stays as it was
 *
 * Generates demo events and profiles, imports them into @store through SegImport and saves
 * the example segments (those not already there by name). Blocking: for segctl and worker
 * threads; iterates a main context of its own while saving segments.
 *
 * Returns: %TRUE on success
 */
gboolean
seg_demo_load (SegStore             *store,
               guint                 n_events,
               guint                 n_users,
               gint64                now_ms,
               SegDemoProgressFunc   progress,
               gpointer              progress_data,
               GCancellable         *cancellable,
               GError              **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GTask *task;

  g_return_val_if_fail (SEG_IS_STORE (store), FALSE);

  if (now_ms == 0)
    now_ms = g_get_real_time () / 1000;

  if (!seg_demo_load_data (store, n_events, n_users, now_ms, progress, progress_data,
                           cancellable, error))
    return FALSE;

  if (progress != NULL)
    progress (0.95, _("Saving example segments…"), progress_data);

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  task = g_task_new (store, cancellable, done_cb, &result);
  save_segments (task);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (progress != NULL)
    progress (1.0, NULL, progress_data);

  return TRUE;
}

typedef struct
{
  guint               n_events;
  guint               n_users;
  SegDemoProgressFunc progress;
  gpointer            progress_data;
} LoadData;

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;

  if (!seg_demo_load_data (source_object, data->n_events, data->n_users,
                           g_get_real_time () / 1000, data->progress, data->progress_data,
                           cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
load_data_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The segments are saved on the caller's context, where the store's live list of
   * segments is used. */
  save_segments (g_steal_pointer (&task));
}

/**
 * seg_demo_load_async:
 * @progress: (nullable): called from a worker thread while the data loads
 *
 * Loads the demo like seg_demo_load(), the data on a worker thread and the segments on
 * the caller's thread-default main context.
 */
void
seg_demo_load_async (SegStore             *store,
                     guint                 n_events,
                     guint                 n_users,
                     SegDemoProgressFunc   progress,
                     gpointer              progress_data,
                     GCancellable         *cancellable,
                     GAsyncReadyCallback   callback,
                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) data_task = NULL;
  LoadData *data;

  g_return_if_fail (SEG_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_demo_load_async);

  data = g_new0 (LoadData, 1);
  data->n_events = n_events;
  data->n_users = n_users;
  data->progress = progress;
  data->progress_data = progress_data;
  data_task = g_task_new (store, cancellable, load_data_cb, g_steal_pointer (&task));
  g_task_set_task_data (data_task, data, g_free);
  g_task_run_in_thread (data_task, load_thread);
}

gboolean
seg_demo_load_finish (SegStore      *store,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
