/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-import-time"

#include "config.h"

#include <math.h>
#include <string.h>

#include "seg-import-time.h"

struct _SegTimeParser
{
  SegTimeFormat  format;
  char          *pattern;
  GTimeZone     *tz;
  gboolean       utc;
  /* The offset of one local hour without a transition, cached. */
  gint64         cache_hour;
  gint64         cache_offset;
};

static const char *format_names[] = {
  "auto", "epoch-seconds", "epoch-millis", "iso8601", "clevertap", "custom",
};

const char *
seg_time_format_to_string (SegTimeFormat format)
{
  if ((guint) format < G_N_ELEMENTS (format_names))
    return format_names[format];
  return "auto";
}

gboolean
seg_time_format_from_string (const char    *str,
                             SegTimeFormat *format)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (format_names); i++)
    if (g_str_equal (str, format_names[i]))
      {
        *format = i;
        return TRUE;
      }
  return FALSE;
}

SegTimeParser *
seg_time_parser_new (SegTimeFormat  format,
                     const char    *pattern,
                     GTimeZone     *tz)
{
  SegTimeParser *self = g_new0 (SegTimeParser, 1);

  self->format = format;
  self->pattern = g_strdup (pattern);
  self->tz = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
  {
    /* A zone with one interval and no offset is UTC, whatever its name. */
    int i0 = g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, -4000000000LL);
    int i1 = g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, 0);
    int i2 = g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, 4000000000LL);

    self->utc = i0 == i1 && i1 == i2 && g_time_zone_get_offset (self->tz, i1) == 0;
  }
  self->cache_hour = G_MININT64;
  return self;
}

void
seg_time_parser_free (SegTimeParser *self)
{
  if (self == NULL)
    return;
  g_free (self->pattern);
  g_time_zone_unref (self->tz);
  g_free (self);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static gint64
days_from_civil (gint64 y,
                 int    m,
                 int    d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static gboolean
valid_civil (int year,
             int month,
             int day,
             int hour,
             int minute,
             int second)
{
  static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
    return FALSE;
  if (day > mdays[month - 1])
    return FALSE;
  if (month == 2 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
    return FALSE;
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
}

/*
 * The UTC offset of a local wall-clock time in tz. An ambiguous time (the repeated hour
 * when clocks go back) is its first occurrence, as GDateTime does; a time that does not
 * exist (the skipped hour when clocks go forward) is read with the offset in force before
 * the change, so 02:30 becomes 03:30 of the new offset rather than being lost.
 */
static gint64
offset_for_local (GTimeZone *tz,
                  gint64     local)
{
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_DAYLIGHT, local);

  if (interval < 0)
    {
      gint64 before = local - 3 * 3600;
      interval = g_time_zone_find_interval (tz, G_TIME_TYPE_STANDARD, before);
      if (interval < 0)
        interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, before);
    }
  return g_time_zone_get_offset (tz, interval);
}

static gint64
local_seconds_to_utc (SegTimeParser *self,
                      gint64         local)
{
  gint64 hour, t0, t1;

  if (self->utc)
    return local;

  hour = local >= 0 ? local / 3600 : -((-local + 3599) / 3600);
  if (hour == self->cache_hour)
    return local - self->cache_offset;

  t0 = hour * 3600;
  t1 = t0 + 3599;
  if (g_time_zone_find_interval (self->tz, G_TIME_TYPE_DAYLIGHT, t0) >= 0 &&
      g_time_zone_find_interval (self->tz, G_TIME_TYPE_DAYLIGHT, t0) ==
      g_time_zone_find_interval (self->tz, G_TIME_TYPE_STANDARD, t0) &&
      g_time_zone_find_interval (self->tz, G_TIME_TYPE_DAYLIGHT, t1) ==
      g_time_zone_find_interval (self->tz, G_TIME_TYPE_DAYLIGHT, t0) &&
      g_time_zone_find_interval (self->tz, G_TIME_TYPE_STANDARD, t1) ==
      g_time_zone_find_interval (self->tz, G_TIME_TYPE_DAYLIGHT, t0))
    {
      self->cache_hour = hour;
      self->cache_offset = offset_for_local (self->tz, t0);
      return local - self->cache_offset;
    }

  /* An hour with a transition in it: no caching. */
  return local - offset_for_local (self->tz, local);
}

gboolean
seg_time_parser_local_to_utc (SegTimeParser *self,
                              int            year,
                              int            month,
                              int            day,
                              int            hour,
                              int            minute,
                              int            second,
                              int            millis,
                              gint64        *out_ms)
{
  gint64 local;

  if (!valid_civil (year, month, day, hour, minute, second))
    return FALSE;
  local = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  *out_ms = local_seconds_to_utc (self, local) * 1000 + millis;
  return TRUE;
}

static inline gboolean
digits (const char *s,
        gsize       n,
        int        *out)
{
  int v = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_clevertap (SegTimeParser *self,
                 const char    *s,
                 gsize          len,
                 gint64        *out_ms)
{
  int y, mo, d, h, mi, sec;

  if (len != 14)
    return FALSE;
  if (!digits (s, 4, &y) || !digits (s + 4, 2, &mo) || !digits (s + 6, 2, &d) ||
      !digits (s + 8, 2, &h) || !digits (s + 10, 2, &mi) || !digits (s + 12, 2, &sec))
    return FALSE;
  return seg_time_parser_local_to_utc (self, y, mo, d, h, mi, sec, 0, out_ms);
}

/* Parses "+HH:MM", "+HHMM", "+HH" or "Z"; returns the number of bytes used, 0 if none. */
static gsize
parse_offset (const char *s,
              gsize       len,
              int        *offset_s)
{
  int sign, hh, mm = 0;

  if (len >= 1 && (s[0] == 'Z' || s[0] == 'z'))
    {
      *offset_s = 0;
      return 1;
    }
  if (len < 3 || (s[0] != '+' && s[0] != '-'))
    return 0;
  sign = s[0] == '-' ? -1 : 1;
  if (!digits (s + 1, 2, &hh))
    return 0;
  if (len >= 6 && s[3] == ':' && digits (s + 4, 2, &mm))
    {
      *offset_s = sign * (hh * 3600 + mm * 60);
      return 6;
    }
  if (len >= 5 && digits (s + 3, 2, &mm))
    {
      *offset_s = sign * (hh * 3600 + mm * 60);
      return 5;
    }
  *offset_s = sign * hh * 3600;
  return 3;
}

static gboolean
parse_iso (SegTimeParser *self,
           const char    *s,
           gsize          len,
           gint64        *out_ms)
{
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, off = 0;
  gboolean has_off = FALSE;
  gsize i;
  gint64 local;

  if (len < 10 || !digits (s, 4, &y) || s[4] != '-' || !digits (s + 5, 2, &mo) ||
      s[7] != '-' || !digits (s + 8, 2, &d))
    return FALSE;
  i = 10;
  if (i < len && (s[i] == 'T' || s[i] == 't' || s[i] == ' '))
    {
      i++;
      if (len - i < 5 || !digits (s + i, 2, &h) || s[i + 2] != ':' || !digits (s + i + 3, 2, &mi))
        return FALSE;
      i += 5;
      if (i < len && s[i] == ':')
        {
          if (len - i < 3 || !digits (s + i + 1, 2, &sec))
            return FALSE;
          i += 3;
          if (i < len && (s[i] == '.' || s[i] == ','))
            {
              int scale = 100;
              i++;
              if (i >= len || !g_ascii_isdigit (s[i]))
                return FALSE;
              for (; i < len && g_ascii_isdigit (s[i]); i++)
                {
                  ms += (s[i] - '0') * scale;
                  scale /= 10;
                }
            }
        }
      if (i < len)
        {
          gsize n = parse_offset (s + i, len - i, &off);
          if (n == 0)
            return FALSE;
          has_off = TRUE;
          i += n;
        }
    }
  if (i != len)
    return FALSE;
  if (!valid_civil (y, mo, d, h, mi, sec))
    return FALSE;

  local = days_from_civil (y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
  if (has_off || self == NULL)
    *out_ms = (local - off) * 1000 + ms;
  else
    *out_ms = local_seconds_to_utc (self, local) * 1000 + ms;
  return TRUE;
}

gboolean
seg_parse_iso8601_utc (const char *str,
                       gsize       len,
                       gint64     *out_ms)
{
  return parse_iso (NULL, str, len, out_ms);
}

static const char *months[] = {
  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
};

static gboolean
parse_custom (SegTimeParser *self,
              const char    *s,
              gsize          len,
              gint64        *out_ms)
{
  const char *f = self->pattern;
  gsize i = 0;
  int y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0, ms = 0, off = 0;
  gboolean has_off = FALSE, pm = FALSE, has_ampm = FALSE;
  gint64 local;

  if (f == NULL)
    return FALSE;

  for (; *f; f++)
    {
      int *target = NULL;
      gsize width = 2;

      if (*f != '%')
        {
          if (i >= len || s[i] != *f)
            return FALSE;
          i++;
          continue;
        }
      f++;
      switch (*f)
        {
        case 'Y': target = &y; width = 4; break;
        case 'y': target = &y; width = 2; break;
        case 'm': target = &mo; break;
        case 'd': target = &d; break;
        case 'e':
          if (i < len && s[i] == ' ')
            i++;
          target = &d;
          break;
        case 'H': target = &h; break;
        case 'I': target = &h; break;
        case 'M': target = &mi; break;
        case 'S': target = &sec; break;
        case 'f':
          {
            int scale = 100;
            if (i >= len || !g_ascii_isdigit (s[i]))
              return FALSE;
            for (ms = 0; i < len && g_ascii_isdigit (s[i]); i++)
              {
                ms += (s[i] - '0') * scale;
                scale /= 10;
              }
          }
          continue;
        case 'z':
          {
            gsize n = parse_offset (s + i, len - i, &off);
            if (n == 0)
              return FALSE;
            i += n;
            has_off = TRUE;
          }
          continue;
        case 'b':
          {
            gboolean found = FALSE;
            if (len - i < 3)
              return FALSE;
            for (guint m = 0; m < 12; m++)
              if (g_ascii_strncasecmp (s + i, months[m], 3) == 0)
                {
                  mo = m + 1;
                  found = TRUE;
                  break;
                }
            if (!found)
              return FALSE;
            i += 3;
          }
          continue;
        case 'p':
          if (len - i < 2)
            return FALSE;
          if (g_ascii_strncasecmp (s + i, "pm", 2) == 0)
            pm = TRUE;
          else if (g_ascii_strncasecmp (s + i, "am", 2) != 0)
            return FALSE;
          has_ampm = TRUE;
          i += 2;
          continue;
        case '%':
          if (i >= len || s[i] != '%')
            return FALSE;
          i++;
          continue;
        default:
          return FALSE;
        }

      {
        /* Numbers: up to width digits, at least one. */
        int v = 0;
        gsize n = 0;

        while (n < width && i < len && g_ascii_isdigit (s[i]))
          {
            v = v * 10 + (s[i] - '0');
            i++;
            n++;
          }
        if (n == 0)
          return FALSE;
        if (*f == 'y')
          v += v < 70 ? 2000 : 1900;
        *target = v;
      }
    }
  if (i != len)
    return FALSE;
  if (has_ampm)
    {
      if (h < 1 || h > 12)
        return FALSE;
      h = (h % 12) + (pm ? 12 : 0);
    }
  if (!valid_civil (y, mo, d, h, mi, sec))
    return FALSE;
  local = days_from_civil (y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
  if (has_off)
    *out_ms = (local - off) * 1000 + ms;
  else
    *out_ms = local_seconds_to_utc (self, local) * 1000 + ms;
  return TRUE;
}

static gboolean
parse_epoch (const char *s,
             gsize       len,
             double      scale_ms,
             gint64     *out_ms)
{
  char tmp[48];
  char *end = NULL;
  double v;

  if (len == 0 || len >= sizeof tmp)
    return FALSE;
  memcpy (tmp, s, len);
  tmp[len] = '\0';
  if (!(g_ascii_isdigit (tmp[0]) || tmp[0] == '-'))
    return FALSE;
  v = g_ascii_strtod (tmp, &end);
  if (end != tmp + len || !isfinite (v))
    return FALSE;
  v *= scale_ms;
  if (v < -1e16 || v > 1e16)
    return FALSE;
  *out_ms = (gint64) llround (v);
  return TRUE;
}

static gboolean
all_digits (const char *s,
            gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return len > 0;
}

gboolean
seg_time_parser_parse (SegTimeParser *self,
                       const char    *s,
                       gsize          len,
                       gint64        *out_ms)
{
  switch (self->format)
    {
    case SEG_TIME_FORMAT_EPOCH_SECONDS:
      return parse_epoch (s, len, 1000.0, out_ms);
    case SEG_TIME_FORMAT_EPOCH_MILLIS:
      return parse_epoch (s, len, 1.0, out_ms);
    case SEG_TIME_FORMAT_ISO8601:
      return parse_iso (self, s, len, out_ms);
    case SEG_TIME_FORMAT_CLEVERTAP:
      return parse_clevertap (self, s, len, out_ms);
    case SEG_TIME_FORMAT_CUSTOM:
      return parse_custom (self, s, len, out_ms);
    case SEG_TIME_FORMAT_AUTO:
    default:
      if (len >= 10 && s[4] == '-')
        return parse_iso (self, s, len, out_ms);
      if (len == 14 && all_digits (s, len))
        return parse_clevertap (self, s, len, out_ms);
      if (len <= 15 && all_digits (s, len))
        {
          gint64 v = 0;
          for (gsize i = 0; i < len; i++)
            v = v * 10 + (s[i] - '0');
          *out_ms = v < 100000000000LL ? v * 1000 : v;
          return TRUE;
        }
      {
        double v;
        char tmp[48];
        char *end = NULL;

        if (len == 0 || len >= sizeof tmp || !(g_ascii_isdigit (s[0]) || s[0] == '-'))
          return FALSE;
        memcpy (tmp, s, len);
        tmp[len] = '\0';
        v = g_ascii_strtod (tmp, &end);
        if (end != tmp + len)
          return FALSE;
        return seg_time_parser_parse_number (self, v, out_ms);
      }
    }
}

/**
 * seg_time_parser_parse_number:
 *
 * A time given as a JSON number: epoch seconds or milliseconds (in AUTO, told apart by
 * magnitude: from 1e11 on it is milliseconds, i.e. after 1973 in ms, or after year 5138
 * in seconds), or a 14-digit CleverTap time.
 */
gboolean
seg_time_parser_parse_number (SegTimeParser *self,
                              double         v,
                              gint64        *out_ms)
{
  if (!isfinite (v))
    return FALSE;

  switch (self->format)
    {
    case SEG_TIME_FORMAT_EPOCH_SECONDS:
      v *= 1000.0;
      break;
    case SEG_TIME_FORMAT_EPOCH_MILLIS:
      break;
    case SEG_TIME_FORMAT_CLEVERTAP:
    case SEG_TIME_FORMAT_AUTO:
      if (v >= 1e13 && v < 1e14 && v == floor (v))
        {
          char tmp[32];
          g_snprintf (tmp, sizeof tmp, "%.0f", v);
          return parse_clevertap (self, tmp, strlen (tmp), out_ms);
        }
      if (self->format == SEG_TIME_FORMAT_CLEVERTAP)
        return FALSE;
      if (fabs (v) < 1e11)
        v *= 1000.0;
      break;
    case SEG_TIME_FORMAT_ISO8601:
    case SEG_TIME_FORMAT_CUSTOM:
    default:
      return FALSE;
    }

  if (v < -1e16 || v > 1e16)
    return FALSE;
  *out_ms = (gint64) llround (v);
  return TRUE;
}
