/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/**
 * SegDisplayTimezone:
 * @SEG_DISPLAY_TIMEZONE_STORE: the time zone of the store that holds the data
 * @SEG_DISPLAY_TIMEZONE_LOCAL: the time zone of this computer
 * @SEG_DISPLAY_TIMEZONE_UTC: Coordinated Universal Time
 *
 * The values of the `display-timezone` setting, in the order of its enum.
 */
typedef enum
{
  SEG_DISPLAY_TIMEZONE_STORE = 0,
  SEG_DISPLAY_TIMEZONE_LOCAL,
  SEG_DISPLAY_TIMEZONE_UTC,
} SegDisplayTimezone;

#define SEG_TYPE_APPLICATION (seg_application_get_type ())

G_DECLARE_FINAL_TYPE (SegApplication, seg_application, SEG, APPLICATION, AdwApplication)

SegApplication *seg_application_new                  (const char         *application_id,
                                                      GApplicationFlags   flags);
GSettings      *seg_application_get_settings         (SegApplication     *self);
char           *seg_application_dup_default_store_path (void);
const char     *seg_application_get_store_path       (SegApplication     *self);
gboolean        seg_application_get_store_path_is_default (SegApplication *self);
void            seg_application_set_store_path       (SegApplication     *self,
                                                      const char         *path);
void            seg_application_choose_store         (SegApplication     *self,
                                                      GtkWindow          *parent);
GTimeZone      *seg_application_dup_display_timezone (SegApplication     *self,
                                                      GTimeZone          *store_timezone);

G_END_DECLS
