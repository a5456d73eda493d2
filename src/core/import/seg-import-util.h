/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "seg-import-sink.h"
#include "seg-json-scan.h"
#include "seg-record-builder.h"

G_BEGIN_DECLS

/* Private helpers shared by the readers. */

/* Whether text is all ASCII, eight bytes at a time. */
static inline gboolean
seg_is_ascii (const char *str,
              gsize       len)
{
  gsize i = 0;
  guint64 acc = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;
      memcpy (&w, str + i, 8);
      acc |= w;
    }
  for (; i < len; i++)
    acc |= (guchar) str[i];
  return (acc & G_GUINT64_CONSTANT (0x8080808080808080)) == 0;
}

/* Valid UTF-8 without NUL bytes (g_utf8_validate() with a length rejects them too). */
static inline gboolean
seg_utf8_ok (const char *str,
             gsize       len)
{
  if (seg_is_ascii (str, len))
    return memchr (str, '\0', len) == NULL;
  return g_utf8_validate (str, len, NULL);
}

/* How often readers check for cancellation, in rows. */
#define SEG_IMPORT_CHECK_EVERY 4096

/* Adds a scanned JSON value as a property (objects are left to their members). */
void seg_record_builder_add_json (SegRecordBuilder   *b,
                                  const char         *key,
                                  const SegJsonEntry *e);

/* Adds the members of the object at index obj (nested ones flattened as "a.b"),
 * each under its path relative to the object, skipping keys listed in skip. */
void seg_record_builder_add_json_members (SegRecordBuilder   *b,
                                          SegJsonScan        *scan,
                                          guint               obj,
                                          const char * const *skip);

/* The index of the entry key at depth 0..n, or -1. */
int  seg_json_scan_index (SegJsonScan *scan,
                          const char  *key);

/* A scalar entry as text (strings, and numbers as written); NULL otherwise. */
const char *seg_json_entry_text (const SegJsonEntry *e,
                                 gsize              *len);

typedef gboolean (*SegJsonLineFunc) (SegJsonScan   *scan,
                                     guint64        line,
                                     gpointer       user_data,
                                     GError       **error);

/* Reads JSON lines: blank lines are ignored, lines that are not JSON objects rejected.
 * When first_line is not NULL, a first line that is not an object is passed to it
 * (CleverTap's legacy event name line) instead of being rejected. */
gboolean seg_import_read_json_lines (GInputStream   *stream,
                                     SegImportSink  *sink,
                                     GCancellable   *cancellable,
                                     SegJsonLineFunc func,
                                     gboolean      (*first_line) (const char *line,
                                                                  gsize       len,
                                                                  gpointer    user_data),
                                     gpointer        user_data,
                                     GError        **error);

G_END_DECLS
