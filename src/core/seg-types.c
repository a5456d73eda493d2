/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-types"

#include "config.h"

#include <string.h>

#include "seg-types.h"

static const char *value_type_names[] = {
  "none", "string", "number", "boolean", "date", "list",
};

const char *
seg_value_type_to_string (SegValueType type)
{
  if ((guint) type < G_N_ELEMENTS (value_type_names))
    return value_type_names[type];
  return "none";
}

SegValueType
seg_value_type_from_string (const char *str)
{
  if (str == NULL)
    return SEG_VALUE_TYPE_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (value_type_names); i++)
    if (strcmp (str, value_type_names[i]) == 0)
      return (SegValueType) i;
  return SEG_VALUE_TYPE_NONE;
}

static const char *kind_names[] = {
  "past-behavior", "live", "custom-list", "system",
};

const char *
seg_segment_kind_to_string (SegSegmentKind kind)
{
  if ((guint) kind < G_N_ELEMENTS (kind_names))
    return kind_names[kind];
  return "past-behavior";
}

gboolean
seg_segment_kind_from_string (const char     *str,
                              SegSegmentKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (str, kind_names[i]) == 0)
      {
        *kind = (SegSegmentKind) i;
        return TRUE;
      }
  return FALSE;
}

static const char *channel_names[] = {
  "email", "push", "sms", "whatsapp", "in-app",
};

const char *
seg_channel_to_string (SegChannel channel)
{
  if ((guint) channel < G_N_ELEMENTS (channel_names))
    return channel_names[channel];
  return NULL;
}
