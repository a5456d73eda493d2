/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "seg-live-controller.h"

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_ARRIVAL_LIST (seg_live_arrival_list_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveArrivalList, seg_live_arrival_list, SEG, LIVE_ARRIVAL_LIST, GtkWidget)

/*
 * The users trickling into live segments, newest first: a virtualised list over a live
 * controller's arrivals, filtered to one segment (or all of them, each row then naming
 * its segment). The Today page and a live segment's report both show it.
 *
 * Signals: user-activated (const char *user_id): a row was activated, open the profile
 */

GtkWidget         *seg_live_arrival_list_new            (void);
SegLiveController *seg_live_arrival_list_get_controller (SegLiveArrivalList *self);
void               seg_live_arrival_list_set_controller (SegLiveArrivalList *self,
                                                         SegLiveController  *controller);
const char        *seg_live_arrival_list_get_segment_id (SegLiveArrivalList *self);
void               seg_live_arrival_list_set_segment_id (SegLiveArrivalList *self,
                                                         const char         *segment_id);
GListModel        *seg_live_arrival_list_get_model      (SegLiveArrivalList *self);
gboolean           seg_live_arrival_list_matches        (SegLiveArrivalList *self,
                                                         gpointer            arrival);

G_END_DECLS
