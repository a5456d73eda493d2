/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report-bench STORE SEGMENT_ID OUT.csv [--custom-list] [--fields a,b] [--diff]: times a
 * members export (and a joined/left diff for today) through the report helpers, the way
 * the report page runs them. Not a test: numbers for the report of the reports work. */

#include "config.h"

#include "report/seg-member-diff.h"
#include "report/seg-member-export.h"
#include "seg-local-store.h"
#include "seg-segment.h"

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

int
main (int   argc,
      char *argv[])
{
  gboolean custom_list = FALSE, diff = FALSE;
  g_autofree char *fields = NULL;
  GOptionEntry entries[] = {
    { "custom-list", 0, 0, G_OPTION_ARG_NONE, &custom_list, "Type,Identity form", NULL },
    { "fields", 0, 0, G_OPTION_ARG_STRING, &fields, "Profile properties, comma-separated", "A,B" },
    { "diff", 0, 0, G_OPTION_ARG_NONE, &diff, "Also time today's joined/left diff", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("STORE SEGMENT_ID OUT.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLocalStore) store = NULL;
  g_autoptr(SegSegment) segment = NULL;
  g_autoptr(SegMemberExport) ex = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GFile) out = NULL;
  g_auto(GStrv) field_list = NULL;
  gint64 t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 4)
    {
      g_printerr ("Usage: report-bench STORE SEGMENT_ID OUT.csv [--custom-list] [--fields A,B] [--diff]\n");
      return 2;
    }
  store = seg_local_store_new (argv[1], NULL, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  seg_store_get_segment_async (SEG_STORE (store), argv[2], NULL, done_cb, &res);
  segment = seg_store_get_segment_finish (SEG_STORE (store), wait_for (&res), &error);
  if (segment == NULL)
    g_error ("%s", error->message);
  g_clear_object (&res);

  ex = seg_member_export_new (SEG_STORE (store), seg_segment_get_definition (segment));
  seg_member_export_set_format (ex, custom_list ? SEG_MEMBER_EXPORT_CUSTOM_LIST : SEG_MEMBER_EXPORT_CSV);
  if (fields != NULL)
    {
      field_list = g_strsplit (fields, ",", -1);
      seg_member_export_set_fields (ex, (const char * const *) field_list);
    }
  out = g_file_new_for_commandline_arg (argv[3]);
  t0 = g_get_monotonic_time ();
  seg_member_export_write_async (ex, out, NULL, done_cb, &res);
  if (!seg_member_export_write_finish (ex, wait_for (&res), &error))
    g_error ("%s", error->message);
  g_print ("{\"export_rows\": %" G_GUINT64_FORMAT ", \"export_ms\": %.1f}\n",
           seg_member_export_get_written (ex), (g_get_monotonic_time () - t0) / 1000.0);
  g_clear_object (&res);

  if (diff)
    {
      g_autoptr(SegMemberDiff) d = NULL;

      t0 = g_get_monotonic_time ();
      seg_member_diff_compute_async (SEG_STORE (store), seg_segment_get_definition (segment),
                                     g_get_real_time () / 1000, 0, 500, NULL, done_cb, &res);
      d = seg_member_diff_compute_finish (wait_for (&res), &error);
      if (d == NULL)
        g_error ("%s", error->message);
      g_print ("{\"before\": %" G_GUINT64_FORMAT ", \"after\": %" G_GUINT64_FORMAT
               ", \"joined\": %" G_GUINT64_FORMAT ", \"left\": %" G_GUINT64_FORMAT ", \"diff_ms\": %.1f}\n",
               seg_member_diff_get_n_before (d), seg_member_diff_get_n_after (d),
               seg_member_diff_get_n_joined (d), seg_member_diff_get_n_left (d),
               (g_get_monotonic_time () - t0) / 1000.0);
    }
  return 0;
}
