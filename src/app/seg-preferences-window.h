/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "seg-application.h"

G_BEGIN_DECLS

#define SEG_TYPE_PREFERENCES_WINDOW (seg_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SegPreferencesWindow, seg_preferences_window, SEG, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

SegPreferencesWindow *seg_preferences_window_new (SegApplication *application);

G_END_DECLS
