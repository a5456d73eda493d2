/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reports-harness STORE SEGMENT_ID [--user ID]: shows the report of a segment of a store in
 * a window of its own, with the user profile one page away, the way the main window will
 * once it opens reports. */
#define G_LOG_DOMAIN "reports-harness"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "seg-local-store.h"
#include "seg-segment-report.h"
#include "seg-segment.h"
#include "seg-user-profile-view.h"

typedef struct
{
  AdwApplication *app;
  char           *store_path;
  char           *segment_id;
  char           *user_id;
  gboolean        show_definition;
  gboolean        show_activity;
  SegLocalStore  *store;
  AdwLeaflet     *leaflet;
  GtkWidget      *report_page;
  GtkWidget      *profile_page;
  GtkWidget      *profile;
} Harness;

static void
fail (Harness    *h,
      const char *message)
{
  g_printerr ("reports-harness: %s\n", message);
  g_application_quit (G_APPLICATION (h->app));
}

static void
open_user_cb (SegSegmentReport *report,
              const char       *user_id,
              Harness          *h)
{
  seg_user_profile_view_show_user (SEG_USER_PROFILE_VIEW (h->profile), user_id);
  adw_leaflet_set_visible_child (h->leaflet, h->profile_page);
}

static void
find_user_cb (GtkButton *button,
              Harness   *h)
{
  adw_leaflet_set_visible_child (h->leaflet, h->profile_page);
}

static void
back_cb (GtkButton *button,
         Harness   *h)
{
  adw_leaflet_navigate (h->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static GtkWidget *
page (GtkWidget *title,
      GtkWidget *start,
      GtkWidget *end,
      GtkWidget *content)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  if (start != NULL)
    adw_header_bar_pack_start (ADW_HEADER_BAR (header), start);
  if (end != NULL)
    adw_header_bar_pack_end (ADW_HEADER_BAR (header), end);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), content);
  return box;
}

static void
segment_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Harness *h = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegSegment) segment = seg_store_get_segment_finish (SEG_STORE (source), result, &error);
  GtkWidget *window, *report, *find, *back;

  if (segment == NULL)
    {
      fail (h, error->message);
      return;
    }

  window = adw_application_window_new (GTK_APPLICATION (h->app));
  gtk_window_set_title (GTK_WINDOW (window), seg_segment_get_name (segment));
  {
    /* Fill the first monitor, so a screenshot shows the whole window. */
    GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
    g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
    GdkRectangle geometry = { 0, 0, 1000, 900 };

    if (monitor != NULL)
      gdk_monitor_get_geometry (monitor, &geometry);
    gtk_window_set_default_size (GTK_WINDOW (window), geometry.width, geometry.height);
  }

  report = seg_segment_report_new (SEG_STORE (h->store), segment);
  g_signal_connect (report, "open-user", G_CALLBACK (open_user_cb), h);
  find = gtk_button_new_from_icon_name ("system-search-symbolic");
  gtk_widget_set_tooltip_text (find, _("Find a User"));
  g_signal_connect (find, "clicked", G_CALLBACK (find_user_cb), h);
  h->report_page = page (adw_window_title_new (seg_segment_get_name (segment),
                                               seg_store_get_display_name (SEG_STORE (h->store))),
                         NULL, find, report);

  h->profile = seg_user_profile_view_new (SEG_STORE (h->store));
  back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (back, _("Back"));
  g_signal_connect (back, "clicked", G_CALLBACK (back_cb), h);
  h->profile_page = page (adw_window_title_new (_("User"), NULL), back, NULL, h->profile);

  h->leaflet = ADW_LEAFLET (adw_leaflet_new ());
  adw_leaflet_set_can_unfold (h->leaflet, FALSE);
  adw_leaflet_set_can_navigate_back (h->leaflet, TRUE);
  adw_leaflet_append (h->leaflet, h->report_page);
  adw_leaflet_append (h->leaflet, h->profile_page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), GTK_WIDGET (h->leaflet));

  if (h->show_definition)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_template_child (report, SEG_TYPE_SEGMENT_REPORT,
                                                                                    "definition_row")),
                                   TRUE);
  if (h->user_id != NULL)
    open_user_cb (SEG_SEGMENT_REPORT (report), h->user_id, h);
  if (h->show_activity)
    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_template_child (h->profile,
                                                                                          SEG_TYPE_USER_PROFILE_VIEW,
                                                                                          "view_stack")),
                                           "activity");
  gtk_window_present (GTK_WINDOW (window));
  g_application_release (G_APPLICATION (h->app));
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Harness *h = user_data;
  g_autoptr(GError) error = NULL;

  h->store = seg_local_store_open_finish (result, &error);
  if (h->store == NULL)
    {
      fail (h, error->message);
      g_application_release (G_APPLICATION (h->app));
      return;
    }
  seg_store_get_segment_async (SEG_STORE (h->store), h->segment_id, NULL, segment_cb, h);
}

static void
activate_cb (GApplication *app,
             Harness      *h)
{
  g_application_hold (app);
  seg_local_store_open_async (h->store_path, NULL, NULL, store_cb, h);
}

int
main (int   argc,
      char *argv[])
{
  Harness h = { 0 };
  g_autofree char *user = NULL;
  GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "Open this user's profile", "ID" },
    { "activity", 0, 0, G_OPTION_ARG_NONE, &h.show_activity, "With --user, show the activity", NULL },
    { "show-definition", 0, 0, G_OPTION_ARG_NONE, &h.show_definition, "Expand the segment definition", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("STORE SEGMENT_ID");
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3)
    {
      g_printerr ("Usage: reports-harness STORE SEGMENT_ID [--user ID] [--show-definition] [--activity]\n");
      return 2;
    }
  h.store_path = argv[1];
  h.segment_id = argv[2];
  h.user_id = user;
  h.app = adw_application_new ("io.github.segmentstudio.SegmentStudio.ReportsHarness",
                               G_APPLICATION_NON_UNIQUE);
  g_signal_connect (h.app, "activate", G_CALLBACK (activate_cb), &h);
  status = g_application_run (G_APPLICATION (h.app), 1, argv);
  g_clear_object (&h.store);
  g_object_unref (h.app);
  return status;
}
