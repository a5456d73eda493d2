/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-report-format"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "seg-report-format.h"

/**
 * seg_report_format_count:
 *
 * Returns: (transfer full): @count with the locale's digit grouping
 */
char *
seg_report_format_count (guint64 count)
{
  const struct lconv *lc = localeconv ();
  const char *sep = lc->thousands_sep != NULL && lc->thousands_sep[0] != '\0' ? lc->thousands_sep : ",";
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  gsize n = strlen (digits);
  GString *s = g_string_sized_new (n + n / 3 * strlen (sep));

  /* Group by thousands in every locale: the C locale's "no grouping" makes a marketer
   * count digits. The locale's separator is used when it has one. */
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (s, sep);
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

/**
 * seg_report_format_percent:
 *
 * Returns: (transfer full): @part as a percentage of @whole, one decimal
 */
char *
seg_report_format_percent (guint64 part,
                           guint64 whole)
{
  double pct = whole > 0 ? 100.0 * (double) part / (double) whole : 0.0;

  /* Translators: a share of the segment's members, e.g. "42.5 %" */
  return g_strdup_printf (_("%.1f %%"), pct);
}

/**
 * seg_report_format_change:
 *
 * Returns: (transfer full): @change with its sign, "+12", "−3" or "0"
 */
char *
seg_report_format_change (gint64 change)
{
  g_autofree char *abs = seg_report_format_count ((guint64) ABS (change));

  if (change > 0)
    return g_strconcat ("+", abs, NULL);
  if (change < 0)
    return g_strconcat ("−", abs, NULL);
  return g_strdup ("0");
}

/**
 * seg_report_format_day:
 *
 * Returns: (transfer full): the day holding @day_ms in @tz, e.g. "Fri 14 Jun 2024"
 */
char *
seg_report_format_day (GTimeZone *tz,
                       gint64     day_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (day_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  /* Translators: a day in a report, see strftime */
  return g_date_time_format (local, _("%a %-d %b %Y"));
}

/**
 * seg_report_format_time:
 *
 * Returns: (transfer full): the date and time of @ms in @tz
 */
char *
seg_report_format_time (GTimeZone *tz,
                        gint64     ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  /* Translators: a moment in a report, see strftime */
  return g_date_time_format (local, _("%a %-d %b %Y, %H:%M"));
}

const char *
seg_report_channel_label (SegChannel channel)
{
  switch (channel)
    {
    case SEG_CHANNEL_EMAIL: return _("Email");
    case SEG_CHANNEL_PUSH: return _("Push");
    case SEG_CHANNEL_SMS: return _("SMS");
    case SEG_CHANNEL_WHATSAPP: return _("WhatsApp");
    case SEG_CHANNEL_IN_APP: return _("In-app");
    case SEG_N_CHANNELS:
    default: return "";
    }
}

const char *
seg_report_kind_label (SegSegmentKind kind)
{
  switch (kind)
    {
    case SEG_SEGMENT_KIND_PAST_BEHAVIOR: return _("Past behavior");
    case SEG_SEGMENT_KIND_LIVE: return _("Live");
    case SEG_SEGMENT_KIND_CUSTOM_LIST: return _("Custom list");
    case SEG_SEGMENT_KIND_SYSTEM: return _("System");
    default: return "";
    }
}
