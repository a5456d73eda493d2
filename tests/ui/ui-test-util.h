/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the window tests share: waiting on the main context as the app runs, and
 * finding widgets as a user would look for them. */

typedef gboolean (*UiTestPredicate) (gpointer data);

gboolean   ui_test_wait_until       (UiTestPredicate  predicate,
                                     gpointer         data);
void       ui_test_settle           (void);
gboolean   ui_test_widget_is_mapped (gpointer         widget);
gboolean   ui_test_pointer_is_set   (gpointer         slot);
void       ui_test_result_cb        (GObject         *source,
                                     GAsyncResult    *result,
                                     gpointer         slot);
GtkWidget *ui_test_find_descendant  (GtkWidget       *widget,
                                     GType            type,
                                     gboolean       (*match) (GtkWidget *, gconstpointer),
                                     gconstpointer    match_data);

G_END_DECLS
