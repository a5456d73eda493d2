/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-live-engine.h"
#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_INGEST (seg_live_ingest_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveIngest, seg_live_ingest, SEG, LIVE_INGEST, GObject)

/*
 * The ingest endpoint: an HTTP server (SoupServer) accepting CleverTap's upload body
 * {"d": [...]} or JSON lines (Content-Type application/x-ndjson) with POST on /1/upload or
 * /ingest. Events are committed to the store (a SegStoreWriter, in a worker thread) before
 * the reply is sent, then fed to the live engine. Listens on 127.0.0.1 by default; another
 * address needs a bearer token.
 */

#define SEG_LIVE_INGEST_DEFAULT_MAX_BYTES (16 * 1024 * 1024)

SegLiveIngest *seg_live_ingest_new           (SegLiveEngine  *engine,
                                              SegStore       *store,
                                              const char     *token);
void           seg_live_ingest_set_max_bytes (SegLiveIngest  *self,
                                              gsize           max_bytes);
gboolean       seg_live_ingest_listen        (SegLiveIngest  *self,
                                              const char     *address,
                                              guint           port,
                                              GError        **error);
guint          seg_live_ingest_get_port      (SegLiveIngest  *self);
guint64        seg_live_ingest_get_n_records (SegLiveIngest  *self);

G_END_DECLS
