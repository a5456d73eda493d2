/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SEG_TYPE_GUNZIP_INPUT_STREAM (seg_gunzip_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (SegGunzipInputStream, seg_gunzip_input_stream, SEG, GUNZIP_INPUT_STREAM,
                      GInputStream)

/* Decompresses gzip data, every member of it: `cat a.gz b.gz` is one valid gzip file,
 * which GConverterInputStream would stop reading after a.gz. */
GInputStream *seg_gunzip_input_stream_new (GInputStream *base);

G_END_DECLS
