/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * SHA-256 for import fingerprints. GChecksum's portable code hashes at a fifth of the
 * speed the CSV reader parses; on CPUs with the SHA extensions this uses them (several
 * times faster), elsewhere it falls back to GChecksum. The digest is the same either way.
 */
typedef struct
{
  guint32    state[8];
  guint8     buf[64];
  gsize      buf_len;
  guint64    total;
  GChecksum *fallback;
} SegSha256;

void     seg_sha256_init        (SegSha256     *sha);
void     seg_sha256_update      (SegSha256     *sha,
                                 const guint8  *data,
                                 gsize          len);
/* Returns the lower-case hex digest; the hasher is cleared. */
char    *seg_sha256_finish      (SegSha256     *sha);
void     seg_sha256_clear       (SegSha256     *sha);
gboolean seg_sha256_accelerated (void);

G_END_DECLS
