/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-format"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "seg-format.h"

/**
 * seg_format_count:
 * @n: a count
 *
 * Formats @n with the locale's digit grouping, or with commas where the locale has none
 * (the C locale), so that 1234567 reads 1,234,567.
 *
 * Returns: (transfer full): the formatted number
 */
char *
seg_format_count (guint64 n)
{
  const struct lconv *conv = localeconv ();
  const char *sep = conv->thousands_sep != NULL && conv->thousands_sep[0] != '\0'
                    ? conv->thousands_sep : ",";
  char digits[32];
  GString *out = g_string_new (NULL);
  int len;

  len = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, n);
  for (int i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}
