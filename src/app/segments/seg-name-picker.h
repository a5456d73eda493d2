/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SEG_TYPE_NAME_PICKER (seg_name_picker_get_type ())
G_DECLARE_FINAL_TYPE (SegNamePicker, seg_name_picker, SEG, NAME_PICKER, GtkWidget)

/* Returns the dim second line shown under a name in the list (an event count, a type). */
typedef char *(*SegNamePickerDetailFunc) (GObject *item);

GtkWidget   *seg_name_picker_new             (const char              *placeholder,
                                              gboolean                 multiple);
void         seg_name_picker_set_model       (SegNamePicker           *self,
                                              GListModel              *model,
                                              SegNamePickerDetailFunc  detail);
const char  *seg_name_picker_get_name        (SegNamePicker           *self);
void         seg_name_picker_set_name        (SegNamePicker           *self,
                                              const char              *name);
GStrv        seg_name_picker_dup_names       (SegNamePicker           *self);
void         seg_name_picker_set_names       (SegNamePicker           *self,
                                              const char * const      *names);
GObject     *seg_name_picker_dup_item        (SegNamePicker           *self);
void         seg_name_picker_pick            (SegNamePicker           *self,
                                              const char              *name);
GtkWidget   *seg_name_picker_get_button      (SegNamePicker           *self);

G_END_DECLS
