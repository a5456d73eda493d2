/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse-sql"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "seg-clickhouse-sql.h"
#include "seg-store.h"

/* Appends the bytes of @str between @quote characters, escaped the way ClickHouse reads
 * quoted strings and backquoted identifiers alike. Valid UTF-8 passes as is; control
 * bytes, DEL and every byte of an invalid UTF-8 sequence become \xHH, so the value stored
 * is exactly the value given and the statement text stays printable. */
static void
append_quoted (GString    *sql,
               const char *str,
               gsize       len,
               char        quote)
{
  const char *p = str;
  const char *end = str + len;

  g_string_append_c (sql, quote);

  while (p < end)
    {
      guchar c = (guchar) *p;

      if (c == (guchar) quote || c == '\\')
        {
          g_string_append_c (sql, '\\');
          g_string_append_c (sql, c);
          p++;
        }
      else if (c == '\n')
        {
          g_string_append (sql, "\\n");
          p++;
        }
      else if (c == '\t')
        {
          g_string_append (sql, "\\t");
          p++;
        }
      else if (c == '\r')
        {
          g_string_append (sql, "\\r");
          p++;
        }
      else if (c < 0x20 || c == 0x7f)
        {
          g_string_append_printf (sql, "\\x%02X", c);
          p++;
        }
      else if (c < 0x80)
        {
          /* A run of plain ASCII at once. */
          const char *run = p;

          while (p < end && (guchar) *p >= 0x20 && (guchar) *p < 0x7f
                 && *p != quote && *p != '\\')
            p++;
          g_string_append_len (sql, run, p - run);
        }
      else
        {
          gunichar ch = g_utf8_get_char_validated (p, end - p);

          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            {
              g_string_append_printf (sql, "\\x%02X", c);
              p++;
            }
          else
            {
              const char *next = g_utf8_next_char (p);

              g_string_append_len (sql, p, next - p);
              p = next;
            }
        }
    }

  g_string_append_c (sql, quote);
}

/**
 * seg_clickhouse_sql_append_string:
 * @sql: the statement being written
 * @str: the bytes of the value (any bytes, NUL included)
 * @len: the length of @str, or -1 when it is NUL-terminated
 *
 * Appends a string literal, e.g. 'It\'s'.
 */
void
seg_clickhouse_sql_append_string (GString    *sql,
                                  const char *str,
                                  gssize      len)
{
  g_return_if_fail (sql != NULL);
  g_return_if_fail (str != NULL || len == 0);

  if (len < 0)
    len = strlen (str);
  append_quoted (sql, str, len, '\'');
}

/**
 * seg_clickhouse_sql_string:
 *
 * Returns: (transfer full): a string literal for @str
 */
char *
seg_clickhouse_sql_string (const char *str,
                           gssize      len)
{
  GString *sql = g_string_new (NULL);

  seg_clickhouse_sql_append_string (sql, str, len);
  return g_string_free (sql, FALSE);
}

/**
 * seg_clickhouse_sql_append_identifier:
 * @sql: the statement being written
 * @name: a table, column or database name
 *
 * Appends @name backquoted, e.g. `my table`.
 */
void
seg_clickhouse_sql_append_identifier (GString    *sql,
                                      const char *name)
{
  g_return_if_fail (sql != NULL);
  g_return_if_fail (name != NULL);

  append_quoted (sql, name, strlen (name), '`');
}

/**
 * seg_clickhouse_sql_identifier:
 *
 * Returns: (transfer full): @name backquoted
 */
char *
seg_clickhouse_sql_identifier (const char *name)
{
  GString *sql = g_string_new (NULL);

  seg_clickhouse_sql_append_identifier (sql, name);
  return g_string_free (sql, FALSE);
}

/**
 * seg_clickhouse_sql_append_number:
 * @sql: the statement being written
 * @value: a finite number
 * @error: return location for an error
 *
 * Appends @value so that ClickHouse reads back the same double: integers up to 2^53 as
 * integers, others with 17 significant digits; negative values in parentheses so that no
 * neighbouring minus can make "--", the start of a comment.
 *
 * Returns: %FALSE for NaN and infinities, which a definition cannot mean
 */
gboolean
seg_clickhouse_sql_append_number (GString  *sql,
                                  double    value,
                                  GError  **error)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (sql != NULL, FALSE);

  if (!isfinite (value))
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID,
                   _("The number %s cannot be used in a query"),
                   isnan (value) ? "NaN" : (value > 0 ? "infinity" : "-infinity"));
      return FALSE;
    }

  if (value == 0)
    value = 0; /* no "-0" */

  if (value == floor (value) && fabs (value) <= 9007199254740992.0)
    g_snprintf (buffer, sizeof buffer, "%.0f", value);
  else
    g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);

  if (value < 0)
    g_string_append_printf (sql, "(%s)", buffer);
  else
    g_string_append (sql, buffer);
  return TRUE;
}

/**
 * seg_clickhouse_sql_append_int:
 *
 * Appends an integer literal (negative ones in parentheses).
 */
void
seg_clickhouse_sql_append_int (GString *sql,
                               gint64   value)
{
  g_return_if_fail (sql != NULL);

  if (value < 0)
    g_string_append_printf (sql, "(%" G_GINT64_FORMAT ")", value);
  else
    g_string_append_printf (sql, "%" G_GINT64_FORMAT, value);
}

/**
 * seg_clickhouse_sql_append_string_array:
 *
 * Appends an Array(String) literal: ['a', 'b'].
 */
void
seg_clickhouse_sql_append_string_array (GString            *sql,
                                        const char * const *strv)
{
  g_return_if_fail (sql != NULL);

  g_string_append_c (sql, '[');
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (sql, ", ");
      seg_clickhouse_sql_append_string (sql, strv[i], -1);
    }
  g_string_append_c (sql, ']');
}
