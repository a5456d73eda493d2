/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Nice axis ticks: 1-2-5 steps for values, calendar steps for time.
 *
 * Pure GLib so that the numbers every chart shows can be unit-tested without
 * a display.
 */
#define G_LOG_DOMAIN "seg-chart-ticks"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "seg-chart-ticks.h"

static void
tick_clear (gpointer data)
{
  SegChartTick *tick = data;

  g_clear_pointer (&tick->label, g_free);
}

/**
 * seg_chart_tick_array_new:
 *
 * Returns: (transfer full): an empty #GArray of #SegChartTick that frees the
 *   labels of the ticks it drops
 */
GArray *
seg_chart_tick_array_new (void)
{
  GArray *ticks = g_array_new (FALSE, TRUE, sizeof (SegChartTick));

  g_array_set_clear_func (ticks, tick_clear);
  return ticks;
}

/**
 * seg_chart_nice_step:
 * @range: the extent of the data, max - min
 * @max_ticks: how many intervals fit at most
 *
 * Returns: the smallest step of the form 1, 2 or 5 times a power of ten that
 *   divides @range in at most @max_ticks intervals.
 */
double
seg_chart_nice_step (double range,
                     guint  max_ticks)
{
  double raw, mag, f;

  if (!(range > 0) || !isfinite (range))
    return 1.0;

  max_ticks = MAX (max_ticks, 1);
  raw = range / max_ticks;
  mag = pow (10.0, floor (log10 (raw)));
  f = raw / mag;

  /* Tolerate rounding error so that 10 / 5 gives 2 and not 5. */
  if (f <= 1.0 + 1e-9)
    return mag;
  if (f <= 2.0 + 1e-9)
    return 2.0 * mag;
  if (f <= 5.0 + 1e-9)
    return 5.0 * mag;
  return 10.0 * mag;
}

/**
 * seg_chart_value_ticks:
 * @min: the smallest value to show
 * @max: the largest value to show
 * @max_ticks: the most intervals that fit
 * @nice_min: (out) (optional): the axis start, a multiple of the step
 * @nice_max: (out) (optional): the axis end, a multiple of the step
 *
 * Computes evenly spaced ticks covering @min..@max on a 1-2-5 step. An empty
 * range grows to include zero (or to 0..1 when everything is zero) so that a
 * single value still gets an axis.
 *
 * Returns: (transfer full): a #GArray of #SegChartTick, in increasing order
 */
GArray *
seg_chart_value_ticks (double  min,
                       double  max,
                       guint   max_ticks,
                       double *nice_min,
                       double *nice_max)
{
  GArray *ticks = seg_chart_tick_array_new ();
  double step, lo, hi;
  guint count;

  if (!isfinite (min) || !isfinite (max))
    min = max = 0;

  if (max < min)
    {
      double tmp = max;
      max = min;
      min = tmp;
    }

  if (max == min)
    {
      if (min > 0)
        min = 0;
      else if (min < 0)
        max = 0;
      else
        max = 1;
    }

  step = seg_chart_nice_step (max - min, max_ticks);
  lo = floor (min / step + 1e-9) * step;
  hi = ceil (max / step - 1e-9) * step;
  count = (guint) lround ((hi - lo) / step);

  for (guint i = 0; i <= count; i++)
    {
      SegChartTick tick;

      tick.value = lo + i * step;
      if (fabs (tick.value) < step * 1e-9)
        tick.value = 0;
      tick.label = seg_chart_format_value (tick.value, step);
      g_array_append_val (ticks, tick);
    }

  if (nice_min)
    *nice_min = lo;
  if (nice_max)
    *nice_max = hi;

  return ticks;
}

static int
decimals_for_step (double step)
{
  if (!(step > 0))
    return 0;
  return CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 6);
}

/* "1.50" → "1.5", "2.0" → "2": a tick reads as the number it is. */
static char *
trim_zeros (char *text)
{
  const char *point = localeconv ()->decimal_point;
  char *dot = point && *point ? strstr (text, point) : NULL;
  char *end;

  if (dot == NULL)
    return text;

  end = text + strlen (text);
  while (end > dot + strlen (point) && end[-1] == '0')
    *--end = '\0';
  if (end == dot + strlen (point))
    *dot = '\0';
  return text;
}

/**
 * seg_chart_format_value:
 * @value: a tick value
 * @step: the distance between ticks, which decides the precision shown
 *
 * Formats an axis label: compact (12k, 1.5M) from ten thousand on, with as
 * many decimals as the step needs and the locale's digit grouping below.
 *
 * Returns: (transfer full): the label
 */
char *
seg_chart_format_value (double value,
                        double step)
{
  static const struct { double factor; const char *suffix; } units[] = {
    { 1e12, "T" }, { 1e9, "B" }, { 1e6, "M" }, { 1e3, "k" },
  };
  double av = fabs (value);

  if (av >= 1e4)
    {
      for (guint i = 0; i < G_N_ELEMENTS (units); i++)
        {
          if (av >= units[i].factor)
            {
              int d = MIN (decimals_for_step (step / units[i].factor), 2);

              /* TRANSLATORS: a compact number on a chart axis, like 12k or 1.5M */
              char *number = trim_zeros (g_strdup_printf ("%.*f", d, value / units[i].factor));
              char *label = g_strconcat (number, units[i].suffix, NULL);

              g_free (number);
              return label;
            }
        }
    }

  return trim_zeros (g_strdup_printf ("%'.*f", decimals_for_step (step), value));
}

/**
 * seg_chart_format_value_exact:
 * @value: a data value
 *
 * Formats a value for tooltips and descriptions: every significant digit (up
 * to six decimals), with the locale's digit grouping.
 *
 * Returns: (transfer full): the text
 */
char *
seg_chart_format_value_exact (double value)
{
  int d;

  if (!isfinite (value))
    return g_strdup ("—");

  for (d = 0; d < 6; d++)
    {
      double scale = pow (10.0, d);

      if (fabs (round (value * scale) / scale - value) <= 1e-9 * MAX (1.0, fabs (value)))
        break;
    }

  return g_strdup_printf ("%'.*f", d, value);
}

/* Time. */

typedef struct
{
  SegChartTimeUnit unit;
  guint            count;
  double           approx_ms;
} TimeStep;

#define MS_PER_MONTH (30.44 * SEG_CHART_MS_PER_DAY)
#define MS_PER_YEAR  (365.25 * SEG_CHART_MS_PER_DAY)

static const TimeStep time_steps[] = {
  { SEG_CHART_TIME_UNIT_MINUTE, 1, SEG_CHART_MS_PER_MINUTE },
  { SEG_CHART_TIME_UNIT_MINUTE, 2, 2 * SEG_CHART_MS_PER_MINUTE },
  { SEG_CHART_TIME_UNIT_MINUTE, 5, 5 * SEG_CHART_MS_PER_MINUTE },
  { SEG_CHART_TIME_UNIT_MINUTE, 10, 10 * SEG_CHART_MS_PER_MINUTE },
  { SEG_CHART_TIME_UNIT_MINUTE, 15, 15 * SEG_CHART_MS_PER_MINUTE },
  { SEG_CHART_TIME_UNIT_MINUTE, 30, 30 * SEG_CHART_MS_PER_MINUTE },
  { SEG_CHART_TIME_UNIT_HOUR, 1, SEG_CHART_MS_PER_HOUR },
  { SEG_CHART_TIME_UNIT_HOUR, 2, 2 * SEG_CHART_MS_PER_HOUR },
  { SEG_CHART_TIME_UNIT_HOUR, 3, 3 * SEG_CHART_MS_PER_HOUR },
  { SEG_CHART_TIME_UNIT_HOUR, 6, 6 * SEG_CHART_MS_PER_HOUR },
  { SEG_CHART_TIME_UNIT_HOUR, 12, 12 * SEG_CHART_MS_PER_HOUR },
  { SEG_CHART_TIME_UNIT_DAY, 1, SEG_CHART_MS_PER_DAY },
  { SEG_CHART_TIME_UNIT_DAY, 2, 2 * SEG_CHART_MS_PER_DAY },
  { SEG_CHART_TIME_UNIT_WEEK, 1, 7 * SEG_CHART_MS_PER_DAY },
  { SEG_CHART_TIME_UNIT_WEEK, 2, 14 * SEG_CHART_MS_PER_DAY },
  { SEG_CHART_TIME_UNIT_MONTH, 1, MS_PER_MONTH },
  { SEG_CHART_TIME_UNIT_MONTH, 3, 3 * MS_PER_MONTH },
  { SEG_CHART_TIME_UNIT_MONTH, 6, 6 * MS_PER_MONTH },
  { SEG_CHART_TIME_UNIT_YEAR, 1, MS_PER_YEAR },
  { SEG_CHART_TIME_UNIT_YEAR, 2, 2 * MS_PER_YEAR },
  { SEG_CHART_TIME_UNIT_YEAR, 5, 5 * MS_PER_YEAR },
  { SEG_CHART_TIME_UNIT_YEAR, 10, 10 * MS_PER_YEAR },
  { SEG_CHART_TIME_UNIT_YEAR, 25, 25 * MS_PER_YEAR },
  { SEG_CHART_TIME_UNIT_YEAR, 100, 100 * MS_PER_YEAR },
};

static GDateTime *
date_time_from_ms (gint64     ms,
                   GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  gint64 secs = ms / 1000;
  gint64 rest = ms % 1000;

  if (rest < 0)
    {
      rest += 1000;
      secs--;
    }

  utc = g_date_time_new_from_unix_utc (secs);
  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_add (local, rest * 1000);
}

static gint64
date_time_to_ms (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
}

static GTimeZone *
ensure_tz (GTimeZone *tz)
{
  return tz ? g_time_zone_ref (tz) : g_time_zone_new_local ();
}

static GDateTime *
local_midnight (GDateTime *dt)
{
  return g_date_time_new (g_date_time_get_timezone (dt),
                          g_date_time_get_year (dt),
                          g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt),
                          0, 0, 0);
}

static guint
julian_day (GDateTime *dt)
{
  g_autoptr(GDate) date = g_date_new_dmy (g_date_time_get_day_of_month (dt),
                                          g_date_time_get_month (dt),
                                          g_date_time_get_year (dt));

  return g_date_get_julian (date);
}

/* The first tick at or before @dt on the grid of @step in local time. */
static GDateTime *
floor_to_step (GDateTime      *dt,
               const TimeStep *step)
{
  GTimeZone *tz = g_date_time_get_timezone (dt);
  int y = g_date_time_get_year (dt);
  int mo = g_date_time_get_month (dt);
  int d = g_date_time_get_day_of_month (dt);
  int h = g_date_time_get_hour (dt);
  int mi = g_date_time_get_minute (dt);
  int n = step->count;

  switch (step->unit)
    {
    case SEG_CHART_TIME_UNIT_MINUTE:
      return g_date_time_new (tz, y, mo, d, h, mi - mi % n, 0);

    case SEG_CHART_TIME_UNIT_HOUR:
      return g_date_time_new (tz, y, mo, d, h - h % n, 0, 0);

    case SEG_CHART_TIME_UNIT_DAY:
      {
        g_autoptr(GDateTime) midnight = local_midnight (dt);
        g_autoptr(GDateTime) back = g_date_time_add_days (midnight, -(int) (julian_day (dt) % n));

        return local_midnight (back);
      }

    case SEG_CHART_TIME_UNIT_WEEK:
      {
        g_autoptr(GDateTime) midnight = local_midnight (dt);
        g_autoptr(GDateTime) monday = NULL;
        int weeks_back;

        /* Weeks start on Monday, as in ISO 8601. */
        monday = g_date_time_add_days (midnight, 1 - g_date_time_get_day_of_week (dt));
        weeks_back = (int) ((julian_day (monday) / 7) % n);
        g_clear_pointer (&midnight, g_date_time_unref);
        midnight = g_date_time_add_weeks (monday, -weeks_back);
        return local_midnight (midnight);
      }

    case SEG_CHART_TIME_UNIT_MONTH:
      return g_date_time_new (tz, y, mo - (mo - 1) % n, 1, 0, 0, 0);

    case SEG_CHART_TIME_UNIT_YEAR:
    default:
      return g_date_time_new (tz, MAX (1, y - y % n), 1, 1, 0, 0, 0);
    }
}

static GDateTime *
next_step (GDateTime      *dt,
           const TimeStep *step)
{
  g_autoptr(GDateTime) next = NULL;

  switch (step->unit)
    {
    case SEG_CHART_TIME_UNIT_MINUTE:
      return g_date_time_add_minutes (dt, step->count);
    case SEG_CHART_TIME_UNIT_HOUR:
      return g_date_time_add_hours (dt, step->count);
    case SEG_CHART_TIME_UNIT_DAY:
      next = g_date_time_add_days (dt, step->count);
      break;
    case SEG_CHART_TIME_UNIT_WEEK:
      next = g_date_time_add_weeks (dt, step->count);
      break;
    case SEG_CHART_TIME_UNIT_MONTH:
      next = g_date_time_add_months (dt, step->count);
      break;
    case SEG_CHART_TIME_UNIT_YEAR:
    default:
      next = g_date_time_add_years (dt, step->count);
      break;
    }

  /* Calendar steps stay on midnight even across daylight saving changes. */
  return next ? local_midnight (next) : NULL;
}

/**
 * seg_chart_time_ticks:
 * @from_ms: start of the axis, ms since the epoch
 * @to_ms: end of the axis, ms since the epoch
 * @tz: (nullable): the time zone labels and calendar steps use; %NULL for local
 * @max_ticks: the most ticks that fit
 * @min_unit: the finest unit to use (%SEG_CHART_TIME_UNIT_DAY for daily data)
 * @unit: (out) (optional): the unit chosen
 * @count: (out) (optional): how many units one step spans
 *
 * Chooses the finest calendar step (minutes, hours, days, weeks, months,
 * years) that needs at most @max_ticks ticks over the range, and returns the
 * ticks inside it, aligned to the calendar of @tz (whole hours, local
 * midnight, Mondays, the first of a month).
 *
 * Returns: (transfer full): a #GArray of #SegChartTick
 */
GArray *
seg_chart_time_ticks (gint64            from_ms,
                      gint64            to_ms,
                      GTimeZone        *tz,
                      guint             max_ticks,
                      SegChartTimeUnit  min_unit,
                      SegChartTimeUnit *unit,
                      guint            *count)
{
  g_autoptr(GTimeZone) zone = ensure_tz (tz);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) cur = NULL;
  GArray *ticks = seg_chart_tick_array_new ();
  const TimeStep *step = &time_steps[G_N_ELEMENTS (time_steps) - 1];
  double range;

  if (to_ms < from_ms)
    {
      gint64 tmp = to_ms;
      to_ms = from_ms;
      from_ms = tmp;
    }

  range = (double) (to_ms - from_ms);
  max_ticks = MAX (max_ticks, 1);

  /* The finest step whose ticks fit. */
  for (guint i = 0; i < G_N_ELEMENTS (time_steps); i++)
    {
      if (time_steps[i].unit >= min_unit &&
          range / time_steps[i].approx_ms <= max_ticks)
        {
          step = &time_steps[i];
          break;
        }
    }

  if (unit)
    *unit = step->unit;
  if (count)
    *count = step->count;

  start = date_time_from_ms (from_ms, zone);
  if (start == NULL)
    return ticks;

  cur = floor_to_step (start, step);

  for (guint guard = 0; cur != NULL && guard < 2000; guard++)
    {
      gint64 ms = date_time_to_ms (cur);
      GDateTime *next;

      if (ms > to_ms)
        break;

      if (ms >= from_ms)
        {
          SegChartTick tick;

          tick.value = (double) ms;
          tick.label = seg_chart_format_time (ms, zone, step->unit);
          g_array_append_val (ticks, tick);
        }

      next = next_step (cur, step);
      if (next != NULL && date_time_to_ms (next) <= ms)
        g_clear_pointer (&next, g_date_time_unref);
      g_date_time_unref (cur);
      cur = next;
    }

  return ticks;
}

/**
 * seg_chart_format_time:
 * @ms: ms since the epoch
 * @tz: (nullable): the time zone; %NULL for local
 * @unit: the unit of the ticks the label belongs to
 *
 * Formats a time tick label: "14:30" for minutes and hours (the date at
 * midnight), "3 May" for days and weeks, "May" (with the year in January)
 * for months, "2026" for years.
 *
 * Returns: (transfer full): the label
 */
char *
seg_chart_format_time (gint64            ms,
                       GTimeZone        *tz,
                       SegChartTimeUnit  unit)
{
  g_autoptr(GTimeZone) zone = ensure_tz (tz);
  g_autoptr(GDateTime) dt = date_time_from_ms (ms, zone);

  if (dt == NULL)
    return g_strdup ("");

  switch (unit)
    {
    case SEG_CHART_TIME_UNIT_MINUTE:
    case SEG_CHART_TIME_UNIT_HOUR:
      if (g_date_time_get_hour (dt) != 0 || g_date_time_get_minute (dt) != 0)
        /* TRANSLATORS: time of day on a chart axis, see g_date_time_format() */
        return g_date_time_format (dt, C_("chart axis time", "%H:%M"));
      G_GNUC_FALLTHROUGH;

    case SEG_CHART_TIME_UNIT_DAY:
    case SEG_CHART_TIME_UNIT_WEEK:
      /* TRANSLATORS: day on a chart axis, see g_date_time_format() */
      return g_date_time_format (dt, C_("chart axis day", "%-d %b"));

    case SEG_CHART_TIME_UNIT_MONTH:
      if (g_date_time_get_month (dt) == 1)
        /* TRANSLATORS: January on a chart axis, with the year */
        return g_date_time_format (dt, C_("chart axis month", "%b %Y"));
      return g_date_time_format (dt, "%b");

    case SEG_CHART_TIME_UNIT_YEAR:
    default:
      return g_date_time_format (dt, "%Y");
    }
}

/**
 * seg_chart_format_day_long:
 * @ms: ms since the epoch
 * @tz: (nullable): the time zone; %NULL for local
 *
 * Returns: (transfer full): the day in full, as tooltips show it: "Sun, 3 May 2026"
 */
char *
seg_chart_format_day_long (gint64     ms,
                           GTimeZone *tz)
{
  g_autoptr(GTimeZone) zone = ensure_tz (tz);
  g_autoptr(GDateTime) dt = date_time_from_ms (ms, zone);

  if (dt == NULL)
    return g_strdup ("");

  /* TRANSLATORS: a day in a chart tooltip, see g_date_time_format() */
  return g_date_time_format (dt, C_("chart tooltip day", "%a, %-d %b %Y"));
}

/**
 * seg_chart_format_time_custom:
 * @ms: ms since the epoch
 * @tz: (nullable): the time zone; %NULL for local
 * @format: a g_date_time_format() format
 *
 * Returns: (transfer full): @ms formatted in @tz
 */
char *
seg_chart_format_time_custom (gint64      ms,
                              GTimeZone  *tz,
                              const char *format)
{
  g_autoptr(GTimeZone) zone = ensure_tz (tz);
  g_autoptr(GDateTime) dt = date_time_from_ms (ms, zone);

  if (dt == NULL)
    return g_strdup ("");
  return g_date_time_format (dt, format);
}

/**
 * seg_chart_time_floor_day:
 * @ms: ms since the epoch
 * @tz: (nullable): the time zone; %NULL for local
 *
 * Returns: the start (local midnight in @tz) of the day bucket holding @ms
 */
gint64
seg_chart_time_floor_day (gint64     ms,
                          GTimeZone *tz)
{
  g_autoptr(GTimeZone) zone = ensure_tz (tz);
  g_autoptr(GDateTime) dt = date_time_from_ms (ms, zone);
  g_autoptr(GDateTime) midnight = NULL;

  if (dt == NULL)
    return ms;
  midnight = local_midnight (dt);
  return midnight ? date_time_to_ms (midnight) : ms;
}

/**
 * seg_chart_time_add_days:
 * @ms: ms since the epoch
 * @tz: (nullable): the time zone; %NULL for local
 * @days: how many days to move, may be negative
 *
 * Returns: the start of the day bucket @days calendar days after the one
 *   holding @ms; 23 or 25 hours later across a daylight saving change
 */
gint64
seg_chart_time_add_days (gint64     ms,
                         GTimeZone *tz,
                         int        days)
{
  g_autoptr(GTimeZone) zone = ensure_tz (tz);
  g_autoptr(GDateTime) dt = date_time_from_ms (ms, zone);
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) moved = NULL;
  g_autoptr(GDateTime) result = NULL;

  if (dt == NULL)
    return ms;
  midnight = local_midnight (dt);
  moved = g_date_time_add_days (midnight, days);
  result = moved ? local_midnight (moved) : NULL;
  return result ? date_time_to_ms (result) : ms;
}
