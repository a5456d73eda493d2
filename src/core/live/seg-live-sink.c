/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-sink"

#include "config.h"

#include "seg-live-sink.h"

G_DEFINE_INTERFACE (SegLiveSink, seg_live_sink, G_TYPE_OBJECT)

static void
seg_live_sink_default_init (SegLiveSinkInterface *iface)
{
}

/**
 * seg_live_sink_add:
 * @self: a sink
 * @memberships: (array length=n_memberships): qualifications to keep
 * @n_memberships: how many
 * @error: return location for an error
 *
 * Stores the qualifications, all or none. A qualification already stored (same segment,
 * user and key) is not stored twice.
 *
 * Returns: %FALSE on error
 */
gboolean
seg_live_sink_add (SegLiveSink              *self,
                   const SegLiveMembership  *memberships,
                   guint                     n_memberships,
                   GError                  **error)
{
  g_return_val_if_fail (SEG_IS_LIVE_SINK (self), FALSE);

  if (n_memberships == 0)
    return TRUE;
  return SEG_LIVE_SINK_GET_IFACE (self)->add (self, memberships, n_memberships, error);
}

/**
 * seg_live_sink_load:
 * @self: a sink
 * @func: called for each stored qualification, oldest first
 * @user_data: closure
 * @error: return location for an error
 *
 * Returns: %FALSE on error
 */
gboolean
seg_live_sink_load (SegLiveSink           *self,
                    SegLiveMembershipFunc  func,
                    gpointer               user_data,
                    GError               **error)
{
  g_return_val_if_fail (SEG_IS_LIVE_SINK (self), FALSE);

  return SEG_LIVE_SINK_GET_IFACE (self)->load (self, func, user_data, error);
}
