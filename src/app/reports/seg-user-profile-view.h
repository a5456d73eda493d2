/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_USER_PROFILE_VIEW (seg_user_profile_view_get_type ())
G_DECLARE_FINAL_TYPE (SegUserProfileView, seg_user_profile_view, SEG, USER_PROFILE_VIEW, GtkWidget)

GtkWidget      *seg_user_profile_view_new         (SegStore           *store);
SegStore       *seg_user_profile_view_get_store   (SegUserProfileView *self);
void            seg_user_profile_view_show_user   (SegUserProfileView *self,
                                                   const char         *user_id);
void            seg_user_profile_view_search      (SegUserProfileView *self,
                                                   const char         *query);
SegUserProfile *seg_user_profile_view_get_profile (SegUserProfileView *self);
GListModel     *seg_user_profile_view_get_timeline (SegUserProfileView *self);
gboolean        seg_user_profile_view_get_busy    (SegUserProfileView *self);

G_END_DECLS
