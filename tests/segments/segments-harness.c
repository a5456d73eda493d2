/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "segments-harness"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "seg-event-rule.h"
#include "seg-filter-row.h"
#include "seg-local-store.h"
#include "seg-segment-list-page.h"
#include "seg-segment.h"
#include "seg-test-data.h"
#include "seg-user-rule.h"
#include "seg-wizard.h"

/*
 * A window showing the segment list page and the wizard over a real local store, until
 * the application window hosts them. Used for screenshots and trying things by hand:
 *
 *   segments-harness [--store FILE] [--demo USERS] [--segments N]
 *                    [--show list|empty|type|rules|filled|save|live|custom|edit]
 *
 * Without --store it works in a temporary directory that it removes on exit.
 */

static char *store_path;
static char *show = "list";
static int demo_users;
static int n_segments;

static GOptionEntry entries[] = {
  { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, "Store file", "FILE" },
  { "demo", 0, 0, G_OPTION_ARG_INT, &demo_users, "Fill an empty store with this many demo users", "USERS" },
  { "segments", 0, 0, G_OPTION_ARG_INT, &n_segments, "Save this many numbered segments", "N" },
  { "show", 0, 0, G_OPTION_ARG_STRING, &show, "What to show first", "VIEW" },
  { NULL }
};

typedef struct
{
  SegStore  *store;
  GtkWidget *stack;
  GtkWidget *page;
  GtkWidget *wizard;
} Harness;

static void
create_cb (Harness *h)
{
  seg_wizard_start (SEG_WIZARD (h->wizard));
  gtk_stack_set_visible_child (GTK_STACK (h->stack), h->wizard);
}

static void
edit_cb (SegSegmentListPage *page,
         SegSegment         *seg,
         Harness            *h)
{
  seg_wizard_edit (SEG_WIZARD (h->wizard), seg);
  gtk_stack_set_visible_child (GTK_STACK (h->stack), h->wizard);
}

static void
saved_cb (SegWizard  *wizard,
          SegSegment *seg,
          Harness    *h)
{
  gtk_stack_set_visible_child (GTK_STACK (h->stack), h->page);
  seg_segment_list_page_select_id (SEG_SEGMENT_LIST_PAGE (h->page), seg_segment_get_id (seg));
}

static void
cancelled_cb (Harness *h)
{
  gtk_stack_set_visible_child (GTK_STACK (h->stack), h->page);
}

static void
report_cb (SegSegmentListPage *page,
           SegSegment         *seg,
           Harness            *h)
{
  g_message ("Open report of %s (the report page is not part of this harness)", seg_segment_get_id (seg));
}

/* Fills the rule builder the way the UI test does: added to cart but not charged in the
 * last 30 days, with Charged count ≥ 3 including non-doers, excluding a saved segment. */
static void
fill_rules (Harness *h)
{
  SegWizard *wizard = SEG_WIZARD (h->wizard);
  SegGroupRule *root;
  SegEventRule *did, *did_not;
  SegFilterRow *filter;
  GListModel *segments;
  guint n;

  seg_wizard_choose_type (wizard, "user-properties");
  root = seg_wizard_get_root_group (wizard);
  did = SEG_EVENT_RULE (seg_group_rule_get_rule (root, 0));
  did_not = SEG_EVENT_RULE (seg_group_rule_get_rule (root, 1));
  seg_event_rule_set_event (did, "Added To Cart");
  filter = seg_filter_list_add (seg_event_rule_get_filters (did));
  seg_filter_row_set_property_name (filter, "category");
  seg_filter_row_set_op (filter, "equals");
  seg_filter_row_set_text (filter, "Shoes, Phones");
  seg_event_rule_set_event (did_not, "Charged");
  {
    SegRuleEditor *user = seg_group_rule_get_rule (root, 2);
    GtkWidget *row = seg_user_rule_get_filter (SEG_USER_RULE (user));
    seg_filter_row_set_property_name (SEG_FILTER_ROW (row), "city");
    seg_filter_row_set_op (SEG_FILTER_ROW (row), "equals");
    seg_filter_row_set_text (SEG_FILTER_ROW (row), "New York");
  }
  {
    SegEventRule *charged = SEG_EVENT_RULE (seg_group_rule_add_rule (root, "event"));
    seg_event_rule_set_event (charged, "Charged");
    seg_window_editor_set_preset (seg_event_rule_get_window (charged), "last-90");
    seg_aggregate_editor_set (seg_event_rule_get_aggregate (charged), "count", NULL, "ge", 3, 0, TRUE);
  }
  segments = seg_schema_cache_get_segments (seg_wizard_get_cache (wizard));
  n = g_list_model_get_n_items (segments);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (segments, i);
      if (g_strcmp0 (seg_segment_get_name (seg), "Londoners active this week") == 0)
        seg_segment_chooser_add (seg_wizard_get_exclude (wizard), seg_segment_get_id (seg));
    }
}

static gboolean
show_later_cb (gpointer data)
{
  Harness *h = data;

  if (g_str_equal (show, "type"))
    create_cb (h);
  else if (g_str_equal (show, "rules") || g_str_equal (show, "live") || g_str_equal (show, "custom") ||
           g_str_equal (show, "filled") || g_str_equal (show, "save"))
    {
      create_cb (h);
      if (g_str_equal (show, "rules"))
        seg_wizard_choose_type (SEG_WIZARD (h->wizard), "action-inaction");
      else if (g_str_equal (show, "live"))
        {
          seg_wizard_choose_type (SEG_WIZARD (h->wizard), "live-inaction");
          seg_live_trigger_editor_set_events (seg_wizard_get_trigger (SEG_WIZARD (h->wizard)),
                                              "Added To Cart", "Charged");
        }
      else if (g_str_equal (show, "custom"))
        {
          seg_wizard_choose_type (SEG_WIZARD (h->wizard), "custom-list");
          seg_custom_list_editor_set_text (seg_wizard_get_custom_list (SEG_WIZARD (h->wizard)),
                                           "Identity\nuser-00001\nuser-00002\nuser-00003\n");
        }
      else
        fill_rules (h);
      if (g_str_equal (show, "save"))
        {
          seg_wizard_refresh (SEG_WIZARD (h->wizard));
          gtk_widget_activate_action (h->wizard, "wizard.next", NULL);
          seg_wizard_set_name (SEG_WIZARD (h->wizard), "Cart abandoners in New York", "");
        }
    }
  else if (g_str_equal (show, "edit"))
    {
      GListModel *model = seg_segment_list_page_get_model (SEG_SEGMENT_LIST_PAGE (h->page));
      guint n = g_list_model_get_n_items (model);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SegSegment) seg = g_list_model_get_item (model, i);
          if (seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_PAST_BEHAVIOR && seg_segment_get_includes (seg) == NULL)
            {
              edit_cb (NULL, seg, h);
              break;
            }
        }
    }
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GtkApplication *app,
             Harness        *h)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  /* Screenshots are taken at a fixed moment: show each state without transitions. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  gtk_window_set_title (GTK_WINDOW (window), "Segment Studio");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Segments", seg_store_get_display_name (h->store)));
  gtk_box_append (GTK_BOX (box), header);
  h->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (h->stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_vexpand (h->stack, TRUE);
  h->page = seg_segment_list_page_new (h->store);
  h->wizard = seg_wizard_new (h->store);
  gtk_stack_add_child (GTK_STACK (h->stack), h->page);
  gtk_stack_add_child (GTK_STACK (h->stack), h->wizard);
  gtk_box_append (GTK_BOX (box), h->stack);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  g_signal_connect_swapped (h->page, "create-segment", G_CALLBACK (create_cb), h);
  g_signal_connect (h->page, "edit-segment", G_CALLBACK (edit_cb), h);
  g_signal_connect (h->page, "open-report", G_CALLBACK (report_cb), h);
  g_signal_connect (h->wizard, "saved", G_CALLBACK (saved_cb), h);
  g_signal_connect_swapped (h->wizard, "cancelled", G_CALLBACK (cancelled_cb), h);
  gtk_window_present (GTK_WINDOW (window));
  /* Let the store's models fill before acting like a user. */
  g_timeout_add (300, show_later_cb, h);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- segment pages harness");
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwApplication) app = NULL;
  g_autofree char *tmpdir = NULL;
  g_autoptr(SegLocalStore) store = NULL;
  Harness h = { 0 };
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (store_path == NULL)
    {
      tmpdir = g_dir_make_tmp ("segments-harness-XXXXXX", &error);
      g_assert_no_error (error);
      store_path = g_build_filename (tmpdir, "store.segstore", NULL);
    }
  store = seg_local_store_new (store_path, "UTC", &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (demo_users > 0 && seg_local_store_get_n_events (store) == 0)
    {
      g_autoptr(SegSegment) power = NULL;
      if (!seg_test_data_populate (SEG_STORE (store), demo_users, g_get_real_time () / 1000, &error))
        g_error ("%s", error->message);
      power = seg_test_data_save_json (SEG_STORE (store), "Power Users",
                                       "{\"version\":1,\"match\":{\"all\":[{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":90,\"unit\":\"days\"},"
                                       "\"aggregate\":{\"fn\":\"count\",\"op\":\"ge\",\"value\":3}}]}}", &error);
      g_assert_no_error (error);
      g_clear_object (&power);
      power = seg_test_data_save_json (SEG_STORE (store), "Cart abandoners, 30 days",
                                       "{\"version\":1,\"match\":{\"all\":[{\"did\":\"Added To Cart\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}},"
                                       "{\"did_not\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]},"
                                       "\"exclude\":[\"test-users\"]}", &error);
      g_assert_no_error (error);
      g_clear_object (&power);
      power = seg_test_data_save_json (SEG_STORE (store), "Londoners active this week",
                                       "{\"version\":1,\"match\":{\"all\":[{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"London\"}},"
                                       "{\"did\":\"App Launched\",\"when\":{\"type\":\"last\",\"n\":7,\"unit\":\"days\"}}]}}", &error);
      g_assert_no_error (error);
    }
  if (n_segments > 0 && !seg_test_data_save_segments (SEG_STORE (store), n_segments, &error))
    g_error ("%s", error->message);

  h.store = SEG_STORE (store);
  app = adw_application_new ("io.github.segmentstudio.SegmentsHarness", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &h);
  status = g_application_run (G_APPLICATION (app), 1, argv);
  g_clear_object (&store);
  if (tmpdir != NULL)
    {
      g_autofree char *wal = g_strconcat (store_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (store_path, "-shm", NULL);
      g_unlink (store_path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (tmpdir);
    }
  return status;
}
