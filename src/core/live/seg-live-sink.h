/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SegLiveMembership:
 * @segment_id: the live segment
 * @user_id: the user who qualified
 * @ts_ms: when they qualified
 * @key: what the qualification was (docs/live-segments.md, "Re-qualification"): the same
 *   (segment, user, key) is one qualification, however often it is written
 */
typedef struct
{
  const char *segment_id;
  const char *user_id;
  gint64      ts_ms;
  const char *key;
} SegLiveMembership;

typedef void (*SegLiveMembershipFunc) (const SegLiveMembership *membership,
                                       gpointer                 user_data);

#define SEG_TYPE_LIVE_SINK (seg_live_sink_get_type ())
G_DECLARE_INTERFACE (SegLiveSink, seg_live_sink, SEG, LIVE_SINK, GObject)

/*
 * Where the live engine keeps memberships, so that a live segment's history and size
 * survive a restart. The local store implements it next to its events; tests and
 * `segctl live` without a store use SegLiveSqliteSink. Both calls block; the engine calls
 * add() with batches of up to a second of qualifications and load() once at start.
 */
struct _SegLiveSinkInterface
{
  GTypeInterface parent_iface;

  gboolean (*add)  (SegLiveSink              *self,
                    const SegLiveMembership  *memberships,
                    guint                     n_memberships,
                    GError                  **error);
  gboolean (*load) (SegLiveSink              *self,
                    SegLiveMembershipFunc     func,
                    gpointer                  user_data,
                    GError                  **error);
};

gboolean seg_live_sink_add  (SegLiveSink              *self,
                             const SegLiveMembership  *memberships,
                             guint                     n_memberships,
                             GError                  **error);
gboolean seg_live_sink_load (SegLiveSink              *self,
                             SegLiveMembershipFunc     func,
                             gpointer                  user_data,
                             GError                  **error);

G_END_DECLS
