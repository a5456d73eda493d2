/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-sql.h"
#include "seg-store.h"

static void
test_string_literals (void)
{
  struct { const char *in; gssize len; const char *out; } cases[] = {
    { "plain", -1, "'plain'" },
    { "", -1, "''" },
    { "It's", -1, "'It\\'s'" },
    { "back\\slash", -1, "'back\\\\slash'" },
    { "'; DROP TABLE events; --", -1, "'\\'; DROP TABLE events; --'" },
    { "a\0b", 3, "'a\\x00b'" },
    { "l1\nl2\tt\rr\x01\x7f", -1, "'l1\\nl2\\tt\\rr\\x01\\x7F'" },
    { "Zürich 東京 🚀", -1, "'Zürich 東京 🚀'" },
    { "bad\xff\xc3(utf8", -1, "'bad\\xFF\\xC3(utf8'" },
    { "\\'", -1, "'\\\\\\''" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = seg_clickhouse_sql_string (cases[i].in, cases[i].len);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_identifiers (void)
{
  g_autofree char *a = seg_clickhouse_sql_identifier ("events");
  g_autofree char *b = seg_clickhouse_sql_identifier ("we`ird\\ name");

  g_assert_cmpstr (a, ==, "`events`");
  g_assert_cmpstr (b, ==, "`we\\`ird\\\\ name`");
}

static void
test_numbers (void)
{
  struct { double in; const char *out; } cases[] = {
    { 0, "0" }, { -0.0, "0" }, { 42, "42" }, { -5, "(-5)" }, { 0.1, "0.10000000000000001" },
    { 9007199254740992.0, "9007199254740992" }, { 1e300, "1.0000000000000001e+300" },
    { -2.5, "(-2.5)" },
  };
  double refused[] = { NAN, INFINITY, -INFINITY };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (seg_clickhouse_sql_append_number (sql, cases[i].in, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (sql->str, ==, cases[i].out);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GString) sql = g_string_new ("x = ");
      g_autoptr(GError) error = NULL;

      g_assert_false (seg_clickhouse_sql_append_number (sql, refused[i], &error));
      g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID);
      g_assert_cmpstr (sql->str, ==, "x = ");
    }
}

static char *
hex_of (const char *data,
        gsize       len)
{
  GString *out = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "%02X", (guchar) data[i]);
  return g_string_free (out, FALSE);
}

/* SELECTs the literal back and compares its bytes (as hex, and as MD5 for the long one). */
static void
test_round_trip (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  struct { const char *in; gssize len; } cases[] = {
    { "It's \\ a \"test\"", -1 },
    { "a\0b\0", 4 },
    { "\x01\x02\x1f\x7f\n\r\t\b\f", -1 },
    { "Zürich 東京 🚀", -1 },
    { "bad\xff\xc3(utf8\xe2\x82", -1 },
    { "'; SELECT 1; --", -1 },
    { "\\x41 is not A", -1 },
  };

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;

  client = seg_clickhouse_client_new (ch_test_url (), NULL, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = cases[i].len < 0 ? strlen (cases[i].in) : (gsize) cases[i].len;
      g_autoptr(GString) sql = g_string_new ("SELECT hex(");
      g_autofree char *expected = hex_of (cases[i].in, len);
      g_autofree char *got = NULL;

      seg_clickhouse_sql_append_string (sql, cases[i].in, len);
      g_string_append (sql, ") AS h");
      got = ch_test_scalar (client, sql->str);
      g_assert_cmpstr (got, ==, expected);
    }

  /* 10 MB of every byte value. */
  {
    gsize len = 10 * 1024 * 1024;
    g_autofree char *big = g_malloc (len);
    g_autoptr(GString) sql = g_string_new ("SELECT hex(MD5(");
    g_autofree char *md5 = NULL;
    g_autofree char *md5_upper = NULL;
    g_autofree char *got = NULL;
    g_autofree char *length = NULL;
    g_autoptr(GString) len_sql = g_string_new ("SELECT length(");

    for (gsize i = 0; i < len; i++)
      big[i] = (char) (i * 7 + (i >> 13));
    md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, (const guchar *) big, len);
    md5_upper = g_ascii_strup (md5, -1);

    seg_clickhouse_client_set_setting (client, "max_query_size", "100000000");
    seg_clickhouse_sql_append_string (sql, big, len);
    g_string_append (sql, ")) AS h");
    got = ch_test_scalar (client, sql->str);
    g_assert_cmpstr (got, ==, md5_upper);

    seg_clickhouse_sql_append_string (len_sql, big, len);
    g_string_append (len_sql, ") AS n");
    length = ch_test_scalar (client, len_sql->str);
    g_assert_cmpstr (length, ==, "10485760");
  }

  /* An identifier that needs every escape names the column it says. */
  {
    g_autoptr(GString) sql = g_string_new ("SELECT 1 AS ");
    g_autoptr(GPtrArray) rows = NULL;
    g_autoptr(GError) error = NULL;

    seg_clickhouse_sql_append_identifier (sql, "we`ird\\ name'");
    rows = seg_clickhouse_client_query (client, sql->str, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (json_object_has_member (g_ptr_array_index (rows, 0), "we`ird\\ name'"));
  }

  /* Numbers read back as the same doubles. */
  {
    double values[] = { 0.1, -2.5, 1e300, 123456789.125, -9007199254740992.0 };

    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      {
        g_autoptr(GString) sql = g_string_new ("SELECT toString(toFloat64(");
        g_autofree char *got = NULL;

        g_assert_true (seg_clickhouse_sql_append_number (sql, values[i], NULL));
        g_string_append (sql, ")) AS v");
        got = ch_test_scalar (client, sql->str);
        g_assert_cmpfloat (g_ascii_strtod (got, NULL), ==, values[i]);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clickhouse/sql/string-literals", test_string_literals);
  g_test_add_func ("/clickhouse/sql/identifiers", test_identifiers);
  g_test_add_func ("/clickhouse/sql/numbers", test_numbers);
  g_test_add_func ("/clickhouse/sql/round-trip", test_round_trip);

  return g_test_run ();
}
