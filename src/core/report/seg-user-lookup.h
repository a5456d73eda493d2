/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-store.h"

G_BEGIN_DECLS

void            seg_user_lookup_async  (SegStore            *store,
                                        const char          *query,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
SegUserProfile *seg_user_lookup_finish (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
