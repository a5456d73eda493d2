/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SegTimeFormat:
 * @SEG_TIME_FORMAT_AUTO: epoch seconds or milliseconds (by magnitude), ISO-8601, or a
 *   14-digit CleverTap time
 * @SEG_TIME_FORMAT_EPOCH_SECONDS: seconds since the epoch, fractions allowed
 * @SEG_TIME_FORMAT_EPOCH_MILLIS: milliseconds since the epoch
 * @SEG_TIME_FORMAT_ISO8601: `2024-05-01T12:30:00Z`, `2024-05-01 12:30:00.123+02:00`,
 *   `2024-05-01`; without an offset the time is local to the parser's timezone
 * @SEG_TIME_FORMAT_CLEVERTAP: `yyyyMMddHHmmss` (as text or number) in the parser's timezone
 * @SEG_TIME_FORMAT_CUSTOM: a strftime-like pattern: %Y %y %m %d %e %H %I %M %S %f %p %z
 *   %b (English month abbreviation) %j is not supported; other characters match themselves
 */
typedef enum
{
  SEG_TIME_FORMAT_AUTO = 0,
  SEG_TIME_FORMAT_EPOCH_SECONDS,
  SEG_TIME_FORMAT_EPOCH_MILLIS,
  SEG_TIME_FORMAT_ISO8601,
  SEG_TIME_FORMAT_CLEVERTAP,
  SEG_TIME_FORMAT_CUSTOM,
} SegTimeFormat;

const char *seg_time_format_to_string   (SegTimeFormat  format);
gboolean    seg_time_format_from_string (const char    *str,
                                         SegTimeFormat *format);

typedef struct _SegTimeParser SegTimeParser;

SegTimeParser *seg_time_parser_new          (SegTimeFormat   format,
                                             const char     *pattern,
                                             GTimeZone      *tz);
void           seg_time_parser_free         (SegTimeParser  *parser);
gboolean       seg_time_parser_parse        (SegTimeParser  *parser,
                                             const char     *str,
                                             gsize           len,
                                             gint64         *out_ms);
gboolean       seg_time_parser_parse_number (SegTimeParser  *parser,
                                             double          value,
                                             gint64         *out_ms);
gboolean       seg_time_parser_local_to_utc (SegTimeParser  *parser,
                                             int             year,
                                             int             month,
                                             int             day,
                                             int             hour,
                                             int             minute,
                                             int             second,
                                             int             millis,
                                             gint64         *out_ms);

/* A plain ISO-8601 date or datetime, for type inference; local times are UTC. */
gboolean       seg_parse_iso8601_utc        (const char     *str,
                                             gsize           len,
                                             gint64         *out_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegTimeParser, seg_time_parser_free)

G_END_DECLS
