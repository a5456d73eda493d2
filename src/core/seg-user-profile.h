/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SEG_TYPE_USER_PROFILE (seg_user_profile_get_type ())
G_DECLARE_FINAL_TYPE (SegUserProfile, seg_user_profile, SEG, USER_PROFILE, GObject)

SegUserProfile     *seg_user_profile_new            (const char      *id,
                                                     JsonObject      *properties,
                                                     JsonArray       *timeline,
                                                     char           **segments);
const char         *seg_user_profile_get_id         (SegUserProfile  *self);
JsonObject         *seg_user_profile_get_properties (SegUserProfile  *self);
JsonArray          *seg_user_profile_get_timeline   (SegUserProfile  *self);
const char * const *seg_user_profile_get_segments   (SegUserProfile  *self);

G_END_DECLS
