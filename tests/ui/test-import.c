/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window on a real store, the demo loader and the import assistant, end to end under a
 * display: every store is a real SQLite file in a temporary folder, named through the
 * `store-path` setting (memory backend), and every file is read by the real importers.
 */
#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include "ui-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#include "seg-application.h"
#include "seg-demo.h"
#include "seg-gen.h"
#include "seg-local-store.h"
#include "seg-segment-list-page.h"
#include "seg-property-info.h"
#include "seg-segment.h"
#include "seg-segments-view.h"
#include "seg-aggregate-editor.h"
#include "seg-event-rule.h"
#include "seg-filter-list.h"
#include "seg-group-rule.h"
#include "seg-wizard.h"
#include "seg-window.h"
#include "import/seg-import-assistant.h"

static SegApplication *app;
static char *tmp_dir;

/* Whether a label under @widget reads @text, as a user would look for it. */
static gboolean
has_label_text (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_label (GTK_LABEL (widget)), text))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_text (child, text))
      return TRUE;

  return FALSE;
}

typedef struct
{
  SegWindow  *window;
  const char *path;
} StoreWait;

static gboolean
store_is_open (gpointer data)
{
  StoreWait *wait = data;
  SegStore *store = seg_window_get_store (wait->window);
  const char *page = seg_window_get_visible_page (wait->window);

  return store != NULL &&
         g_strcmp0 (seg_local_store_get_path (SEG_LOCAL_STORE (store)), wait->path) == 0 &&
         (g_strcmp0 (page, "empty") == 0 || g_strcmp0 (page, "segments") == 0 ||
          g_strcmp0 (page, "overview") == 0);
}

/* The main window, working on a new store file @name in the temporary folder. */
static SegWindow *
window_on_store (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  GtkWindow *window;
  StoreWait wait;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (SEG_IS_WINDOW (window));
  g_assert_true (ui_test_wait_until (ui_test_widget_is_mapped, window));

  seg_application_set_store_path (app, path);
  wait = (StoreWait) { SEG_WINDOW (window), path };
  g_assert_true (ui_test_wait_until (store_is_open, &wait));

  return SEG_WINDOW (window);
}

static gboolean
page_is_overview (gpointer data)
{
  /* Data leads to the segment list; the test looks at the overview beside it. */
  if (g_strcmp0 (seg_window_get_visible_page (data), "segments") == 0)
    seg_window_set_visible_page (data, "overview");
  return g_strcmp0 (seg_window_get_visible_page (data), "overview") == 0;
}

static guint64
store_n_events (SegWindow *window)
{
  return seg_local_store_get_n_events (SEG_LOCAL_STORE (seg_window_get_store (window)));
}

/* The window opens a store that holds data and shows it: users, events, event names. */
static void
test_window_shows_store (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "filled.segstore", NULL);
  g_autoptr(GError) error = NULL;
  SegWindow *window;
  GtkWidget *list_view;
  GListModel *model;
  GtkWidget *label;

  {
    g_autoptr(SegLocalStore) store = seg_local_store_new (path, "UTC", &error);

    g_assert_no_error (error);
    g_assert_true (seg_demo_load (SEG_STORE (store), 3000, 300, 0, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  window = window_on_store ("filled.segstore");
  g_assert_true (ui_test_wait_until (page_is_overview, window));
  g_assert_cmpuint (store_n_events (window), ==, 3000);

  list_view = ui_test_find_descendant (seg_window_get_page (window, "overview"), GTK_TYPE_LIST_VIEW, NULL, NULL);
  g_assert_nonnull (list_view);
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  g_assert_nonnull (model);
  /* The generator's six event names, each a row. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 6);
  g_assert_true (gtk_widget_get_mapped (list_view));

  label = ui_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_LABEL, NULL, NULL);
  g_assert_nonnull (label);
  {
    /* The stats line names the real numbers. */
    gboolean found = FALSE;
    GtkWidget *w = gtk_widget_get_ancestor (list_view, GTK_TYPE_BOX);

    for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_LABEL (c) && strstr (gtk_label_get_label (GTK_LABEL (c)), "3,000 events") &&
          strstr (gtk_label_get_label (GTK_LABEL (c)), "300 users"))
        found = TRUE;
    g_assert_true (found);
  }
}

static void
demo_loaded_cb (SegWindow *window,
                gboolean   ok,
                int       *result)
{
  *result = ok ? 1 : 0;
}

static gboolean
int_is_set (gpointer data)
{
  return *(int *) data >= 0;
}

static void
segments_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GListModel **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = seg_store_list_segments_finish (SEG_STORE (source), result, &error);
  g_assert_no_error (error);
}

/* Load Demo Data fills an empty store and saves the example segments. */
static void
test_demo_loader (void)
{
  SegWindow *window = window_on_store ("demo.segstore");
  g_autoptr(GListModel) segments = NULL;
  const char * const *names = seg_demo_list_segment_names ();
  int result = -1;
  gulong handler;

  g_assert_cmpstr (seg_window_get_visible_page (window), ==, "empty");
  g_assert_cmpuint (store_n_events (window), ==, 0);

  handler = g_signal_connect (window, "demo-loaded", G_CALLBACK (demo_loaded_cb), &result);
  g_action_group_activate_action (G_ACTION_GROUP (app), "load-demo", NULL);
  g_assert_cmpstr (seg_window_get_visible_page (window), ==, "loading");
  g_assert_true (ui_test_wait_until (int_is_set, &result));
  g_signal_handler_disconnect (window, handler);
  g_assert_cmpint (result, ==, 1);

  g_assert_cmpuint (store_n_events (window), ==, SEG_DEMO_N_EVENTS);
  g_assert_cmpuint (seg_local_store_get_n_users (SEG_LOCAL_STORE (seg_window_get_store (window))),
                    ==, SEG_DEMO_N_USERS);
  g_assert_true (ui_test_wait_until (page_is_overview, window));

  seg_store_list_segments_async (seg_window_get_store (window), NULL, segments_cb, &segments);
  g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &segments));
  for (guint n = 0; names[n] != NULL; n++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
        {
          g_autoptr(GObject) segment = g_list_model_get_item (segments, i);
          g_autofree char *name = NULL;

          g_object_get (segment, "name", &name, NULL);
          found |= g_strcmp0 (name, names[n]) == 0;
        }
      g_assert_true (found);
    }
}

typedef struct
{
  SegImportAssistant *assistant;
  const char         *page;
} PageWait;

static gboolean
assistant_on_page (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (seg_import_assistant_get_page (wait->assistant), wait->page) == 0;
}

static void
wait_for_page (SegImportAssistant *assistant,
               const char         *page)
{
  PageWait wait = { assistant, page };

  if (!ui_test_wait_until (assistant_on_page, &wait))
    g_error ("The assistant is on page %s, not %s", seg_import_assistant_get_page (assistant),
             page);
}

static gboolean
has_preview (gpointer data)
{
  return seg_import_assistant_get_n_preview (data) > 0;
}

/* A generic CSV (its own column names, ISO times, one bad row) through every step. */
static void
test_import_csv (void)
{
  static const char csv[] =
    "customer,action,when,amount,city\r\n"
    "alice,Charged,2024-05-01T10:00:00Z,12.5,Paris\r\n"
    "bob,Charged,2024-05-02T11:00:00Z,30,\"New York\"\r\n"
    "alice,App Launched,2024-05-03T09:30:00Z,,Paris\r\n"
    "carol,App Launched,not a time,,Berlin\r\n"
    "alice,Charged,2024-05-01T10:00:00Z,12.5,Paris\r\n";
  g_autofree char *path = g_build_filename (tmp_dir, "orders.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SegWindow *window = window_on_store ("import.segstore");
  SegImportAssistant *assistant;
  SegImportSummary *summary;
  g_auto(GStrv) names = NULL;
  GPtrArray *bad;
  gint64 first_ms, last_ms;

  g_assert_true (g_file_set_contents (path, csv, -1, &error));
  g_assert_no_error (error);

  /* The menu's Import… opens the assistant on its first step. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "import", NULL);
  assistant = seg_window_open_import (window, NULL);
  g_assert_nonnull (assistant);
  g_assert_true (ui_test_wait_until (ui_test_widget_is_mapped, assistant));
  g_assert_cmpstr (seg_import_assistant_get_page (assistant), ==, "choose");

  seg_import_assistant_set_file (assistant, file);
  wait_for_page (assistant, "options");
  g_assert_cmpstr (seg_import_assistant_get_format_id (assistant), ==, "csv");

  seg_import_assistant_set_columns (assistant, "customer", "action", "when",
                                    SEG_TIME_FORMAT_ISO8601);
  seg_import_assistant_set_policy (assistant, SEG_IMPORT_POLICY_SKIP);
  seg_import_assistant_set_timezone (assistant, "UTC");
  g_assert_true (ui_test_wait_until (has_preview, assistant));
  g_assert_cmpuint (seg_import_assistant_get_n_preview (assistant), ==, 4);

  g_assert_true (seg_import_assistant_start (assistant));
  wait_for_page (assistant, "summary");
  summary = seg_import_assistant_get_summary (assistant);
  g_assert_nonnull (summary);
  g_assert_false (seg_import_summary_get_already_imported (summary));
  g_assert_cmpuint (seg_import_summary_get_rows_read (summary), ==, 5);
  /* Identical rows are two events. */
  g_assert_cmpuint (seg_import_summary_get_events (summary), ==, 4);
  g_assert_cmpuint (seg_import_summary_get_users (summary), ==, 2);
  g_assert_cmpuint (seg_import_summary_get_rejected (summary), ==, 1);
  bad = seg_import_summary_get_bad_rows (summary);
  g_assert_cmpuint (bad->len, ==, 1);
  g_assert_cmpuint (((SegImportBadRow *) bad->pdata[0])->line, ==, 5);
  names = seg_import_summary_dup_event_names (summary);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpuint (seg_import_summary_get_event_count (summary, "Charged"), ==, 3);
  g_assert_true (seg_import_summary_get_date_range (summary, &first_ms, &last_ms));
  g_assert_cmpint (first_ms, ==, G_GINT64_CONSTANT (1714557600000));
  g_assert_cmpint (last_ms, ==, G_GINT64_CONSTANT (1714728600000));
  /* Dates read the same in any locale: not the US-ordered 05/01/24 of %x. */
  g_assert_true (has_label_text (GTK_WIDGET (assistant), "1 May 2024, 10:00 to 3 May 2024, 09:30"));

  /* The store holds what the summary says. */
  g_assert_cmpuint (store_n_events (window), ==, 4);

  /* Show Segments leads to the data. */
  g_signal_emit_by_name (assistant, "show-segments");
  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_settle ();
  g_assert_true (ui_test_wait_until (page_is_overview, window));

  /* The same file again adds nothing and says so. */
  assistant = seg_window_open_import (window, file);
  wait_for_page (assistant, "options");
  seg_import_assistant_set_columns (assistant, "customer", "action", "when",
                                    SEG_TIME_FORMAT_ISO8601);
  g_assert_true (seg_import_assistant_start (assistant));
  wait_for_page (assistant, "summary");
  g_assert_true (seg_import_summary_get_already_imported (seg_import_assistant_get_summary (assistant)));
  g_assert_cmpuint (store_n_events (window), ==, 4);
  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_settle ();

  g_unlink (path);
}

/* Cancel during an import leaves the store as it was. */
static void
test_import_cancel (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "big.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *out_arg = g_strdup_printf ("--output=%s", path);
  const char *argv[] = { "seg-gen", "--quiet", "--events=300000", "--users=20000", out_arg, NULL };
  SegWindow *window = window_on_store ("cancel.segstore");
  SegImportAssistant *assistant;
  GtkWidget *notice;

  g_assert_true (seg_gen_run (argv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_n_events (window), ==, 0);

  assistant = seg_window_open_import (window, file);
  wait_for_page (assistant, "options");
  g_assert_cmpstr (seg_import_assistant_get_format_id (assistant), ==, "csv");
  g_assert_true (seg_import_assistant_start (assistant));
  g_assert_cmpstr (seg_import_assistant_get_page (assistant), ==, "progress");
  seg_import_assistant_cancel (assistant);
  wait_for_page (assistant, "options");

  g_assert_null (seg_import_assistant_get_summary (assistant));
  g_assert_cmpuint (store_n_events (window), ==, 0);
  g_assert_cmpuint (seg_local_store_get_n_users (SEG_LOCAL_STORE (seg_window_get_store (window))), ==, 0);
  notice = ui_test_find_descendant (GTK_WIDGET (assistant), GTK_TYPE_LABEL, NULL, NULL);
  g_assert_nonnull (notice);
  g_assert_cmpstr (seg_window_get_visible_page (window), ==, "empty");

  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_settle ();
  g_unlink (path);
}

static gboolean
has_list_segment (gpointer data)
{
  return seg_import_assistant_get_list_segment (data) != NULL;
}

/* A CleverTap Custom List becomes a custom-list segment of its users. */
static void
test_import_custom_list (void)
{
  static const char csv[] = "Type,Identity\nIdentity,u7\nIdentity,u9\nIdentity,u7\n";
  g_autofree char *path = g_build_filename (tmp_dir, "VIP customers.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SegWindow *window = window_on_store ("list.segstore");
  SegImportAssistant *assistant;
  g_autofree char *name = NULL;
  int kind = -1;

  g_assert_true (g_file_set_contents (path, csv, -1, &error));
  assistant = seg_window_open_import (window, file);
  wait_for_page (assistant, "options");
  g_assert_cmpstr (seg_import_assistant_get_format_id (assistant), ==, "clevertap-list");
  g_assert_true (seg_import_assistant_start (assistant));
  wait_for_page (assistant, "summary");
  g_assert_true (ui_test_wait_until (has_list_segment, assistant));

  g_object_get (seg_import_assistant_get_list_segment (assistant), "name", &name, "kind", &kind, NULL);
  g_assert_cmpstr (name, ==, "VIP customers");
  g_assert_cmpint (kind, ==, SEG_SEGMENT_KIND_CUSTOM_LIST);

  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_settle ();
  /* The window shows the new segment. */
  g_assert_true (ui_test_wait_until (page_is_overview, window));
  g_unlink (path);
}

static gboolean
page_is_error (gpointer data)
{
  return g_strcmp0 (seg_window_get_visible_page (data), "error") == 0;
}

/* A store that cannot be opened shows what failed, where, and the ways out. */
static void
test_store_error (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "no-such-folder", "x.segstore", NULL);
  GtkWindow *window;
  AdwStatusPage *page;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  seg_application_set_store_path (app, path);
  g_assert_true (ui_test_wait_until (page_is_error, window));
  g_assert_null (seg_window_get_store (SEG_WINDOW (window)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "import"));

  page = ADW_STATUS_PAGE (adw_view_stack_get_child_by_name (
    ADW_VIEW_STACK (ui_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL)), "error"));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Could Not Open the Store");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), path));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "open-store"));
}

/* A file dropped on the window opens the assistant with it. */
static void
test_drop_file (void)
{
  static const char csv[] = "user_id,event,ts\nu1,App Launched,1714557600000\n";
  g_autofree char *path = g_build_filename (tmp_dir, "dropped.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SegWindow *window = window_on_store ("drop.segstore");
  GtkApplication *application = GTK_APPLICATION (app);
  SegImportAssistant *assistant = NULL;
  GValue value = G_VALUE_INIT;

  g_assert_true (g_file_set_contents (path, csv, -1, &error));

  /* Something that is not a file is refused. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "hello");
  g_assert_false (seg_window_handle_drop (window, &value));
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  g_assert_true (seg_window_handle_drop (window, &value));
  g_value_unset (&value);

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (SEG_IS_IMPORT_ASSISTANT (l->data))
      assistant = l->data;
  if (assistant == NULL)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

          if (SEG_IS_IMPORT_ASSISTANT (w))
            assistant = SEG_IMPORT_ASSISTANT (w);
        }
    }
  g_assert_nonnull (assistant);
  g_assert_true (g_file_equal (seg_import_assistant_get_file (assistant), file));
  wait_for_page (assistant, "options");
  g_assert_cmpstr (seg_import_assistant_get_format_id (assistant), ==, "csv");
  g_assert_true (ui_test_wait_until (has_preview, assistant));
  g_assert_cmpuint (seg_import_assistant_get_n_preview (assistant), ==, 1);

  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_settle ();
  g_unlink (path);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}


static void
segments_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GListModel **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = seg_store_list_segments_finish (SEG_STORE (source), result, &error);
  g_assert_no_error (error);
}

/* The segment list leads to a segment's report, from there to a user's profile, and back;
 * Find User opens the profile search from anywhere. */
static void
test_segments_view_routes (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "routes.segstore", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) segments = NULL;
  g_autoptr(GObject) frequent = NULL;
  SegSegmentsView *view;
  SegWindow *window;

  {
    g_autoptr(SegLocalStore) store = seg_local_store_new (path, "UTC", &error);

    g_assert_no_error (error);
    g_assert_true (seg_demo_load (SEG_STORE (store), 3000, 300, 0, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  window = window_on_store ("routes.segstore");
  seg_window_set_visible_page (window, "segments");
  view = SEG_SEGMENTS_VIEW (seg_window_get_page (window, "segments"));
  g_assert_true (seg_segments_view_get_store (view) == seg_window_get_store (window));
  g_assert_cmpstr (seg_segments_view_get_visible_page (view), ==, "list");
  g_assert_nonnull (seg_segments_view_get_list_page (view));

  seg_store_list_segments_async (seg_window_get_store (window), NULL, segments_listed_cb,
                                 &segments);
  g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &segments));
  for (guint i = 0; i < g_list_model_get_n_items (segments) && frequent == NULL; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (segments, i);
      g_autofree char *name = NULL;

      g_object_get (item, "name", &name, NULL);
      if (g_strcmp0 (name, "Frequent buyers") == 0)
        frequent = g_steal_pointer (&item);
    }
  g_assert_nonnull (frequent);

  seg_segments_view_open_report (view, (SegSegment *) frequent);
  g_assert_cmpstr (seg_segments_view_get_visible_page (view), ==, "report");
  g_assert_nonnull (seg_segments_view_get_report (view));

  seg_segments_view_open_user (view, "u1");
  g_assert_cmpstr (seg_segments_view_get_visible_page (view), ==, "user");
  seg_segments_view_go_back (view);
  g_assert_cmpstr (seg_segments_view_get_visible_page (view), ==, "report");
  seg_segments_view_go_back (view);
  g_assert_cmpstr (seg_segments_view_get_visible_page (view), ==, "list");

  seg_window_set_visible_page (window, "overview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.find-user", NULL));
  g_assert_cmpstr (seg_window_get_visible_page (window), ==, "segments");
  g_assert_cmpstr (seg_segments_view_get_visible_page (view), ==, "user");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
properties_listed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  *(GListModel **) user_data = seg_store_list_properties_finish (SEG_STORE (source), result, NULL);
}

static SegValueType
property_type (SegWindow  *window,
               const char *event,
               const char *name)
{
  g_autoptr(GListModel) props = NULL;

  seg_store_list_properties_async (seg_window_get_store (window), event, NULL, properties_listed_cb, &props);
  g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &props));
  for (guint i = 0; i < g_list_model_get_n_items (props); i++)
    {
      g_autoptr(SegPropertyInfo) info = g_list_model_get_item (props, i);

      if (g_str_equal (seg_property_info_get_name (info), name))
        return seg_property_info_get_value_type (info);
    }
  return SEG_VALUE_TYPE_NONE;
}

typedef struct
{
  SegImportAssistant *assistant;
  const char         *text;
} NoteWait;

static gboolean
mapping_note_says (gpointer data)
{
  NoteWait *w = data;
  const char *note = seg_import_assistant_get_mapping_note (w->assistant);

  return note != NULL && strstr (note, w->text) != NULL;
}

/* Property Types and saved mappings: a zip code column read as text (it looks like a
 * number), saved with the mapping; a second file with the same columns gets it back. */
static void
test_import_types_and_saved_mapping (void)
{
  static const char csv1[] =
    "shopper,did,at,zip,spent\r\n"
    "ann,Charged,2024-05-01T10:00:00Z,01234,12\r\n"
    "ben,Charged,2024-05-02T10:00:00Z,75001,30\r\n";
  static const char csv2[] =
    "shopper,did,at,zip,spent\r\n"
    "cat,Charged,2024-05-03T10:00:00Z,10115,7\r\n";
  g_autofree char *path1 = g_build_filename (tmp_dir, "shop1.csv", NULL);
  g_autofree char *path2 = g_build_filename (tmp_dir, "shop2.csv", NULL);
  g_autoptr(GFile) file1 = g_file_new_for_path (path1);
  g_autoptr(GFile) file2 = g_file_new_for_path (path2);
  g_autoptr(GError) error = NULL;
  SegWindow *window = window_on_store ("types.segstore");
  SegImportAssistant *assistant;

  g_assert_true (g_file_set_contents (path1, csv1, -1, &error));
  g_assert_true (g_file_set_contents (path2, csv2, -1, &error));

  assistant = seg_window_open_import (window, file1);
  wait_for_page (assistant, "options");
  g_assert_null (seg_import_assistant_get_mapping_note (assistant));
  seg_import_assistant_set_columns (assistant, "shopper", "did", "at", SEG_TIME_FORMAT_ISO8601);
  g_assert_true (seg_import_assistant_set_column_type (assistant, "zip", SEG_VALUE_TYPE_STRING));
  seg_import_assistant_save_mapping (assistant);
  g_assert_true (ui_test_wait_until (mapping_note_says, &(NoteWait) { assistant, "Mapping saved" }));
  g_assert_true (seg_import_assistant_start (assistant));
  wait_for_page (assistant, "summary");
  g_assert_cmpuint (seg_import_summary_get_events (seg_import_assistant_get_summary (assistant)), ==, 2);
  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_settle ();
  /* The zip codes are text, with their leading zero; the amounts numbers. */
  g_assert_cmpint (property_type (window, "Charged", "zip"), ==, SEG_VALUE_TYPE_STRING);
  g_assert_cmpint (property_type (window, "Charged", "spent"), ==, SEG_VALUE_TYPE_NUMBER);

  /* Same columns, in a new store (where nothing has typed zip yet): the saved mapping
   * comes back by itself, types included, so 10115 is stored as text, not a number. */
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle ();
  window = window_on_store ("types-reopened.segstore");
  assistant = seg_window_open_import (window, file2);
  wait_for_page (assistant, "options");
  /* The saved mapping is read in the background. */
  g_assert_true (ui_test_wait_until (mapping_note_says, &(NoteWait) { assistant, "saved for files" }));
  g_assert_true (seg_import_assistant_start (assistant));
  wait_for_page (assistant, "summary");
  g_assert_cmpuint (seg_import_summary_get_events (seg_import_assistant_get_summary (assistant)), ==, 1);
  g_assert_cmpuint (seg_import_summary_get_rejected (seg_import_assistant_get_summary (assistant)), ==, 0);
  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_settle ();
  g_assert_cmpuint (store_n_events (window), ==, 1);
  g_assert_cmpint (property_type (window, "Charged", "zip"), ==, SEG_VALUE_TYPE_STRING);
  g_assert_cmpint (property_type (window, "Charged", "spent"), ==, SEG_VALUE_TYPE_NUMBER);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
menu_offers (GMenuModel *model,
             const char *path)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_TARGET,
                                                                          G_VARIANT_TYPE_STRING);

      if (section != NULL && menu_offers (section, path))
        return TRUE;
      if (target != NULL && g_str_equal (g_variant_get_string (target, NULL), path))
        return TRUE;
    }
  return FALSE;
}

/* The header names the store in use and switches back to a recent one. */
static void
test_store_switcher (void)
{
  g_autofree char *first = g_build_filename (tmp_dir, "first.segstore", NULL);
  SegWindow *window;
  GtkWidget *label, *button;
  StoreWait wait;

  window = window_on_store ("first.segstore");
  window = window_on_store ("second.segstore");
  label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), SEG_TYPE_WINDOW, "store_label"));
  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), SEG_TYPE_WINDOW, "store_button"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "second.segstore");
  g_assert_true (menu_offers (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)), first));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-store", "s", first));
  wait = (StoreWait) { window, first };
  g_assert_true (ui_test_wait_until (store_is_open, &wait));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "first.segstore");
}

/* The widest descendants that cannot shrink to @limit, for a useful failure message. */
static void
report_wide (GtkWidget *widget,
             int        limit,
             GString   *out)
{
  int min = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  if (min <= limit || !gtk_widget_get_visible (widget))
    return;
  g_string_append_printf (out, "  %s%s%s: %d px\n", G_OBJECT_TYPE_NAME (widget),
                          GTK_IS_LABEL (widget) ? " " : "",
                          GTK_IS_LABEL (widget) ? gtk_label_get_label (GTK_LABEL (widget)) : "", min);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    report_wide (child, limit, out);
}

static int
min_width (GtkWidget *widget)
{
  int min = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

/* A phone-sized window (360 px, the GNOME HIG's narrowest) fits every page: the segment
 * list, the wizard's steps, a report and the data overview. */
static void
test_narrow_window (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "narrow.segstore", NULL);
  g_autoptr(GError) error = NULL;
  SegSegmentsView *view;
  SegWindow *window;
  const char *pages[] = { "list", "wizard", "wizard-rules", "wizard-live", "report" };

  {
    g_autoptr(SegLocalStore) store = seg_local_store_new (path, "UTC", &error);

    g_assert_no_error (error);
    g_assert_true (seg_demo_load (SEG_STORE (store), 3000, 300, 0, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  window = window_on_store ("narrow.segstore");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  seg_window_set_visible_page (window, "segments");
  view = SEG_SEGMENTS_VIEW (seg_window_get_page (window, "segments"));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(GString) wide = g_string_new (NULL);

      if (g_str_equal (pages[i], "wizard"))
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (seg_segments_view_get_list_page (view)),
                                                   "segments.new", NULL));
      else if (g_str_equal (pages[i], "wizard-rules"))
        {
          SegWizard *wizard = SEG_WIZARD (seg_segments_view_get_wizard (view));

          /* Rules with a filter, an aggregate and a window each, as a marketer fills them. */
          g_assert_true (seg_wizard_choose_type (wizard, "action-inaction"));
          seg_event_rule_set_event (SEG_EVENT_RULE (seg_group_rule_get_rule (seg_wizard_get_root_group (wizard), 0)),
                                    "Added To Cart");
          gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.add-rule", "s", "event");
          seg_aggregate_editor_set (seg_event_rule_get_aggregate (SEG_EVENT_RULE (
                                      seg_group_rule_get_rule (seg_wizard_get_root_group (wizard), 2))),
                                    "sum", "amount", "between", 10, 100, TRUE);
          seg_filter_list_add (seg_event_rule_get_filters (SEG_EVENT_RULE (
                                 seg_group_rule_get_rule (seg_wizard_get_root_group (wizard), 0))));
        }
      else if (g_str_equal (pages[i], "wizard-live"))
        {
          SegWizard *wizard = SEG_WIZARD (seg_segments_view_get_wizard (view));

          g_assert_true (seg_wizard_choose_type (wizard, "live-inaction"));
          seg_wizard_set_stream_filter (wizard, TRUE);
        }
      else if (g_str_equal (pages[i], "report"))
        {
          g_autoptr(SegSegment) all = NULL;
          GListModel *model = seg_segment_list_page_get_model (SEG_SEGMENT_LIST_PAGE (seg_segments_view_get_list_page (view)));

          seg_segments_view_go_back (view);
          g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
          all = g_list_model_get_item (model, 0);
          seg_segments_view_open_report (view, all);
        }
      ui_test_settle ();
      g_assert_true (g_str_has_prefix (pages[i], seg_segments_view_get_visible_page (view)));
      report_wide (GTK_WIDGET (window), 360, wide);
      if (min_width (GTK_WIDGET (window)) > 360)
        g_test_message ("too wide on the %s page:\n%s", pages[i], wide->str);
      g_assert_cmpint (min_width (GTK_WIDGET (window)), <=, 360);
    }
  seg_window_set_visible_page (window, "overview");
  ui_test_settle ();
  g_assert_cmpint (min_width (GTK_WIDGET (window)), <=, 360);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("segment-studio-import-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("No display (run under xvfb-run -a)");
      remove_tree (tmp_dir);
      return 77;
    }
  /* GTK 4.8 warns "unexpected blinking selection" when an entry's cursor timer fires
   * while a test moves focus faster than a person would; that warning is fatal here. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  app = seg_application_new (APPLICATION_ID, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/Window/shows-store", test_window_shows_store);
  g_test_add_func ("/Window/segments-routes", test_segments_view_routes);
  g_test_add_func ("/Demo/load", test_demo_loader);
  g_test_add_func ("/Import/csv-end-to-end", test_import_csv);
  g_test_add_func ("/Import/cancel", test_import_cancel);
  g_test_add_func ("/Import/drop-file", test_drop_file);
  g_test_add_func ("/Import/custom-list", test_import_custom_list);
  g_test_add_func ("/Import/types-and-saved-mapping", test_import_types_and_saved_mapping);
  g_test_add_func ("/Window/store-error", test_store_error);
  g_test_add_func ("/Window/narrow", test_narrow_window);
  g_test_add_func ("/Window/store-switcher", test_store_switcher);

  ret = g_test_run ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  ui_test_settle ();
  g_clear_object (&app);

  remove_tree (tmp_dir);
  g_free (tmp_dir);

  return ret;
}
