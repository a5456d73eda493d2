/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-user-profile"

#include "config.h"

#include "seg-user-profile.h"

/**
 * SegUserProfile:
 *
 * One user: profile properties (a JSON object; dates as ISO-8601 strings, lists as
 * arrays), the timeline of events, newest first (a JSON array of objects
 * {"event", "ts" (ms), "properties"}), and the ids of the saved segments the user is in.
 */
struct _SegUserProfile
{
  GObject      parent_instance;
  char        *id;
  JsonObject  *properties;
  JsonArray   *timeline;
  char       **segments;
};

G_DEFINE_FINAL_TYPE (SegUserProfile, seg_user_profile, G_TYPE_OBJECT)

enum { PROP_0, PROP_ID, PROP_SEGMENTS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
seg_user_profile_finalize (GObject *object)
{
  SegUserProfile *self = SEG_USER_PROFILE (object);

  g_free (self->id);
  g_clear_pointer (&self->properties, json_object_unref);
  g_clear_pointer (&self->timeline, json_array_unref);
  g_strfreev (self->segments);
  G_OBJECT_CLASS (seg_user_profile_parent_class)->finalize (object);
}

static void
seg_user_profile_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SegUserProfile *self = SEG_USER_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_SEGMENTS: g_value_set_boxed (value, self->segments); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_user_profile_class_init (SegUserProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = seg_user_profile_finalize;
  object_class->get_property = seg_user_profile_get_property;
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_SEGMENTS] = g_param_spec_boxed ("segments", NULL, NULL, G_TYPE_STRV, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_user_profile_init (SegUserProfile *self)
{
}

/**
 * seg_user_profile_new:
 * @properties: (transfer full):
 * @timeline: (transfer full):
 * @segments: (transfer full):
 */
SegUserProfile *
seg_user_profile_new (const char  *id,
                      JsonObject  *props,
                      JsonArray   *timeline,
                      char       **segments)
{
  SegUserProfile *self = g_object_new (SEG_TYPE_USER_PROFILE, NULL);

  self->id = g_strdup (id);
  self->properties = props;
  self->timeline = timeline;
  self->segments = segments ? segments : g_new0 (char *, 1);
  return self;
}

const char *
seg_user_profile_get_id (SegUserProfile *self)
{
  return self->id;
}

/* Returns: (transfer none) */
JsonObject *
seg_user_profile_get_properties (SegUserProfile *self)
{
  return self->properties;
}

/* Returns: (transfer none) */
JsonArray *
seg_user_profile_get_timeline (SegUserProfile *self)
{
  return self->timeline;
}

const char * const *
seg_user_profile_get_segments (SegUserProfile *self)
{
  return (const char * const *) self->segments;
}
