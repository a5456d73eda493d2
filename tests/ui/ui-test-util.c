/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ui-test-util.h"

#define WAIT_SECONDS 20

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @predicate holds, for at most twenty seconds; the window
 * keeps drawing and answering all along. */
gboolean
ui_test_wait_until (UiTestPredicate predicate,
                    gpointer        data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (20, wake_cb, NULL);
  gboolean ok;

  while (!(ok = predicate (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
  return ok;
}

/* Lets pending idles and frames run, for windows that are going away. */
void
ui_test_settle (void)
{
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

gboolean
ui_test_widget_is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

gboolean
ui_test_pointer_is_set (gpointer slot)
{
  return *(gpointer *) slot != NULL;
}

/* Keeps an async call's result in the GAsyncResult * that @slot points to. */
void
ui_test_result_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

/* The first widget of @type under @widget (itself included) that @match accepts. */
GtkWidget *
ui_test_find_descendant (GtkWidget      *widget,
                         GType           type,
                         gboolean      (*match) (GtkWidget *, gconstpointer),
                         gconstpointer   match_data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (match == NULL || match (widget, match_data)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_descendant (child, type, match, match_data);

      if (found != NULL)
        return found;
    }
  return NULL;
}
