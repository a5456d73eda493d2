/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "seg-definition.h"

G_BEGIN_DECLS

#define SEG_TYPE_WINDOW_EDITOR (seg_window_editor_get_type ())
G_DECLARE_FINAL_TYPE (SegWindowEditor, seg_window_editor, SEG, WINDOW_EDITOR, GtkWidget)

GtkWidget *seg_window_editor_new        (const char       *default_preset);
gboolean   seg_window_editor_set_preset (SegWindowEditor  *self,
                                         const char       *preset);
void       seg_window_editor_set_n      (SegWindowEditor  *self,
                                         gint64            n,
                                         gint64            m);
JsonNode  *seg_window_editor_build      (SegWindowEditor  *self,
                                         char            **error);
void       seg_window_editor_load       (SegWindowEditor  *self,
                                         const SegTimeWindow *window);

G_END_DECLS
