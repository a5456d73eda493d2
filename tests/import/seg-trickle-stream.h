/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A stream that hands out at most a few bytes per read, so that tests and fuzzers reach
 * every place where a reader's record is cut by the end of its buffer. */
GInputStream *seg_trickle_stream_new (GInputStream *base,
                                      gsize         max_read);

G_END_DECLS
