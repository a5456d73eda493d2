/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_LOCAL_STORE (seg_local_store_get_type ())
G_DECLARE_FINAL_TYPE (SegLocalStore, seg_local_store, SEG, LOCAL_STORE, GObject)

SegLocalStore *seg_local_store_new          (const char           *path,
                                             const char           *timezone,
                                             GError              **error);
void           seg_local_store_open_async   (const char           *path,
                                             const char           *timezone,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
SegLocalStore *seg_local_store_open_finish  (GAsyncResult         *result,
                                             GError              **error);
const char    *seg_local_store_get_path     (SegLocalStore        *self);
void           seg_local_store_set_now      (SegLocalStore        *self,
                                             gint64                now_ms);
gint64         seg_local_store_get_now      (SegLocalStore        *self);
void           seg_local_store_wait_warm    (SegLocalStore        *self);
guint          seg_local_store_get_n_users  (SegLocalStore        *self);
guint64        seg_local_store_get_n_events (SegLocalStore        *self);

G_END_DECLS
