/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "seg-types.h"

G_BEGIN_DECLS

#define SEG_TYPE_PROPERTY_INFO (seg_property_info_get_type ())
G_DECLARE_FINAL_TYPE (SegPropertyInfo, seg_property_info, SEG, PROPERTY_INFO, GObject)

SegPropertyInfo    *seg_property_info_new            (const char        *name,
                                                      SegValueType       type);
void                seg_property_info_add_top_value  (SegPropertyInfo   *self,
                                                      const char        *value,
                                                      guint64            count);
const char         *seg_property_info_get_name       (SegPropertyInfo   *self);
SegValueType        seg_property_info_get_value_type (SegPropertyInfo   *self);
const char * const *seg_property_info_get_top_values (SegPropertyInfo   *self);
guint64             seg_property_info_get_top_count  (SegPropertyInfo   *self,
                                                      guint              index);

G_END_DECLS
