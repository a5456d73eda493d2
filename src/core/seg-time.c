/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-time"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "seg-time.h"

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  guint yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (guint) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

#define JULIAN_EPOCH 719163  /* g_date_get_julian of 1970-01-01 */

/**
 * seg_time_day_of:
 *
 * Returns: the Julian day number (as GDate counts) of the calendar day that contains
 *   @ms in @tz
 */
guint32
seg_time_day_of (GTimeZone *tz,
                 gint64     ms)
{
  gint64 secs = floor_div (ms, 1000);
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, secs);
  gint32 offset = g_time_zone_get_offset (tz, interval);

  return (guint32) (floor_div (secs + offset, 86400) + JULIAN_EPOCH);
}

/**
 * seg_time_midnight:
 *
 * Returns: the first millisecond of @julian_day in @tz
 */
gint64
seg_time_midnight (GTimeZone *tz,
                   guint32    julian_day)
{
  gint64 local = ((gint64) julian_day - JULIAN_EPOCH) * 86400;
  gint64 t = local;
  int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &t);
  gint64 secs = local - g_time_zone_get_offset (tz, interval);

  /* When midnight falls in a gap (DST at 00:00), adjust_time moved it forward. */
  if (t != local)
    secs = t - g_time_zone_get_offset (tz, interval);
  return secs * 1000;
}

guint32
seg_time_add_months (guint32 julian_day,
                     int     months)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_julian (&d, julian_day);
  if (months >= 0)
    g_date_add_months (&d, (guint) months);
  else
    g_date_subtract_months (&d, (guint) -months);
  return g_date_get_julian (&d);
}

/**
 * seg_time_parse_date:
 * @start_ms: (out): first millisecond
 * @end_ms: (out): last millisecond
 *
 * A "YYYY-MM-DD" is that whole calendar day in @tz; a date-time is that instant.
 */
gboolean
seg_time_parse_date (GTimeZone  *tz,
                     const char *str,
                     gint64     *start_ms,
                     gint64     *end_ms)
{
  int y, m, d;
  char tail;

  if (strlen (str) == 10 && sscanf (str, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 &&
      g_date_valid_dmy (d, m, y))
    {
      GDate date;
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, d, m, y);
      *start_ms = seg_time_midnight (tz, g_date_get_julian (&date));
      *end_ms = seg_time_midnight (tz, g_date_get_julian (&date) + 1) - 1;
      return TRUE;
    }
  else
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (str, tz);
      if (dt == NULL)
        return FALSE;
      *start_ms = *end_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
      return TRUE;
    }
}

static gboolean
digits (const char *s,
        guint       n,
        int        *out)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/**
 * seg_time_parse_timestamp:
 * @str: epoch seconds, epoch milliseconds, or ISO-8601 ("2024-03-10T12:00:00Z",
 *   "2024-03-10 12:00:00.250+02:00", "2024-03-10"); without an offset, in @tz
 *
 * Numbers below 10^11 are seconds (up to the year 5138), larger ones milliseconds.
 */
gboolean
seg_time_parse_timestamp (const char *str,
                          gsize       len,
                          GTimeZone  *tz,
                          gint64     *ms)
{
  int y, mo, d, h = 0, mi = 0, s = 0, frac = 0;
  gsize i;
  gint64 secs;

  if (len == 0)
    return FALSE;
  if (len >= 10 && str[4] == '-' && str[7] == '-')
    {
      gboolean has_offset = FALSE;
      int offset = 0;

      if (!digits (str, 4, &y) || !digits (str + 5, 2, &mo) || !digits (str + 8, 2, &d) ||
          !g_date_valid_dmy (d, mo, y))
        return FALSE;
      i = 10;
      if (i < len && (str[i] == 'T' || str[i] == ' '))
        {
          if (len < i + 6 || !digits (str + i + 1, 2, &h) || str[i + 3] != ':' ||
              !digits (str + i + 4, 2, &mi))
            return FALSE;
          i += 6;
          if (i < len && str[i] == ':')
            {
              if (len < i + 3 || !digits (str + i + 1, 2, &s))
                return FALSE;
              i += 3;
            }
          if (i < len && (str[i] == '.' || str[i] == ','))
            {
              int scale = 100;
              i++;
              while (i < len && str[i] >= '0' && str[i] <= '9')
                {
                  frac += (str[i] - '0') * scale;
                  scale /= 10;
                  i++;
                }
            }
          if (i < len && (str[i] == 'Z' || str[i] == 'z'))
            {
              has_offset = TRUE;
              i++;
            }
          else if (i < len && (str[i] == '+' || str[i] == '-'))
            {
              int oh = 0, om = 0;
              int sign = str[i] == '-' ? -1 : 1;
              if (len < i + 3 || !digits (str + i + 1, 2, &oh))
                return FALSE;
              i += 3;
              if (i < len && str[i] == ':')
                i++;
              if (i + 2 <= len && digits (str + i, 2, &om))
                i += 2;
              offset = sign * (oh * 3600 + om * 60);
              has_offset = TRUE;
            }
          if (h > 23 || mi > 59 || s > 60)
            return FALSE;
        }
      if (i != len)
        return FALSE;
      secs = days_from_civil (y, (guint) mo, (guint) d) * 86400 + h * 3600 + mi * 60 + s;
      if (has_offset)
        secs -= offset;
      else
        {
          gint64 t = secs;
          int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &t);
          secs = t - g_time_zone_get_offset (tz, interval);
        }
      *ms = secs * 1000 + frac;
      return TRUE;
    }
  else
    {
      gint64 v = 0;
      gboolean neg = FALSE;
      gsize dot = len;

      i = 0;
      if (str[0] == '-')
        {
          neg = TRUE;
          i = 1;
        }
      if (i == len)
        return FALSE;
      for (; i < len; i++)
        {
          if (str[i] == '.')
            {
              dot = i;
              break;
            }
          if (str[i] < '0' || str[i] > '9' || v > G_MAXINT64 / 100)
            return FALSE;
          v = v * 10 + (str[i] - '0');
        }
      if (v < G_GINT64_CONSTANT (100000000000))
        {
          /* Seconds, maybe with a fraction. */
          int f = 0, scale = 100;
          for (i = dot + 1; i < len; i++)
            {
              if (str[i] < '0' || str[i] > '9')
                return FALSE;
              f += (str[i] - '0') * scale;
              scale /= 10;
            }
          v = v * 1000 + f;
        }
      else if (dot != len)
        return FALSE;
      *ms = neg ? -v : v;
      return TRUE;
    }
}

gint64
seg_time_unit_ms (SegTimeUnit unit)
{
  switch (unit)
    {
    case SEG_TIME_UNIT_MINUTES: return 60 * 1000;
    case SEG_TIME_UNIT_HOURS: return 3600 * 1000;
    case SEG_TIME_UNIT_DAYS: return 86400 * 1000;
    case SEG_TIME_UNIT_WEEKS: return 7 * 86400 * 1000;
    case SEG_TIME_UNIT_MONTHS:
    default: return (gint64) 30 * 86400 * 1000;
    }
}

/* The start of "in the last @n @unit" (the end is now). */
void
seg_time_last_bounds (gint64       n,
                      SegTimeUnit  unit,
                      GTimeZone   *tz,
                      gint64       now_ms,
                      gint64      *lo)
{
  guint32 today = seg_time_day_of (tz, now_ms);

  switch (unit)
    {
    case SEG_TIME_UNIT_MINUTES:
    case SEG_TIME_UNIT_HOURS:
      *lo = now_ms - n * seg_time_unit_ms (unit) + 1;
      break;
    case SEG_TIME_UNIT_DAYS:
      *lo = seg_time_midnight (tz, (guint32) (today - (n - 1)));
      break;
    case SEG_TIME_UNIT_WEEKS:
      *lo = seg_time_midnight (tz, (guint32) (today - (n * 7 - 1)));
      break;
    case SEG_TIME_UNIT_MONTHS:
    default:
      *lo = seg_time_midnight (tz, seg_time_add_months (today, (int) -n) + 1);
      break;
    }
}

/**
 * seg_time_window_bounds:
 * @lo: (out): first millisecond in the window
 * @hi: (out): last millisecond in the window (never after @now_ms)
 */
void
seg_time_window_bounds (const SegTimeWindow *w,
                        GTimeZone           *tz,
                        gint64               now_ms,
                        gint64              *lo,
                        gint64              *hi)
{
  guint32 today = seg_time_day_of (tz, now_ms);
  gint64 a = G_MININT64, b = now_ms, s, e;

  switch (w->type)
    {
    case SEG_WINDOW_EVER:
      break;
    case SEG_WINDOW_LAST:
      seg_time_last_bounds (w->n, w->unit, tz, now_ms, &a);
      break;
    case SEG_WINDOW_TODAY:
      a = seg_time_midnight (tz, today);
      break;
    case SEG_WINDOW_YESTERDAY:
      a = seg_time_midnight (tz, today - 1);
      b = seg_time_midnight (tz, today) - 1;
      break;
    case SEG_WINDOW_DAYS_AGO:
      a = seg_time_midnight (tz, (guint32) (today - w->n));
      b = seg_time_midnight (tz, (guint32) (today - w->n + 1)) - 1;
      break;
    case SEG_WINDOW_BETWEEN_DAYS_AGO:
      a = seg_time_midnight (tz, (guint32) (today - w->from_days));
      b = seg_time_midnight (tz, (guint32) (today - w->to_days + 1)) - 1;
      break;
    case SEG_WINDOW_BETWEEN:
      if (seg_time_parse_date (tz, w->dates[0], &s, &e))
        a = s;
      if (seg_time_parse_date (tz, w->dates[1], &s, &e))
        b = e;
      break;
    case SEG_WINDOW_BEFORE:
      if (seg_time_parse_date (tz, w->dates[0], &s, &e))
        b = s - 1;
      break;
    case SEG_WINDOW_AFTER:
      if (seg_time_parse_date (tz, w->dates[0], &s, &e))
        a = e + 1;
      break;
    case SEG_WINDOW_ON:
      if (seg_time_parse_date (tz, w->dates[0], &s, &e))
        {
          a = s;
          b = e;
        }
      break;
    case SEG_WINDOW_SINCE:
    default:
      if (seg_time_parse_date (tz, w->dates[0], &s, &e))
        a = s;
      break;
    }
  *lo = a;
  *hi = MIN (b, now_ms);
}
