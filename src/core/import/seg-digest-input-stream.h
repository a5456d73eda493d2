/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SEG_TYPE_DIGEST_INPUT_STREAM (seg_digest_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (SegDigestInputStream, seg_digest_input_stream, SEG, DIGEST_INPUT_STREAM, GFilterInputStream)

/* Passes bytes through while computing their SHA-256 and counting them, so an import
 * fingerprints its source in the same pass that reads it. */
GInputStream *seg_digest_input_stream_new        (GInputStream         *base);
guint64       seg_digest_input_stream_get_bytes  (SegDigestInputStream *self);
/* Reads what is left, then returns the hex digest of everything. */
char         *seg_digest_input_stream_finish     (SegDigestInputStream *self,
                                                  GCancellable         *cancellable,
                                                  GError              **error);

G_END_DECLS
