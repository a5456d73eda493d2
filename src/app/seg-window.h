/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "seg-application.h"
#include "seg-store.h"
#include "import/seg-import-assistant.h"

G_BEGIN_DECLS

#define SEG_TYPE_WINDOW (seg_window_get_type ())

G_DECLARE_FINAL_TYPE (SegWindow, seg_window, SEG, WINDOW, AdwApplicationWindow)

SegWindow  *seg_window_new             (SegApplication *application);
const char *seg_window_get_visible_page (SegWindow      *self);
void        seg_window_set_visible_page (SegWindow      *self,
                                         const char     *name);
void        seg_window_add_toast        (SegWindow      *self,
                                         AdwToast       *toast);
SegStore   *seg_window_get_store        (SegWindow      *self);
GtkWidget  *seg_window_get_page         (SegWindow      *self,
                                         const char     *name);
gboolean    seg_window_load_demo        (SegWindow      *self);
SegImportAssistant *seg_window_open_import (SegWindow   *self,
                                         GFile          *file);
gboolean    seg_window_handle_drop      (SegWindow      *self,
                                         const GValue   *value);

G_END_DECLS
