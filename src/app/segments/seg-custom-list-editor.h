/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SEG_TYPE_CUSTOM_LIST_EDITOR (seg_custom_list_editor_get_type ())
G_DECLARE_FINAL_TYPE (SegCustomListEditor, seg_custom_list_editor, SEG, CUSTOM_LIST_EDITOR, GtkWidget)

GtkWidget *seg_custom_list_editor_new       (void);
void       seg_custom_list_editor_set_text  (SegCustomListEditor *self,
                                             const char          *text);
void       seg_custom_list_editor_set_users (SegCustomListEditor *self,
                                             const char * const  *users);
GStrv      seg_custom_list_editor_dup_users (SegCustomListEditor *self);
void       seg_custom_list_editor_load_file (SegCustomListEditor *self,
                                             GFile               *file);

G_END_DECLS
