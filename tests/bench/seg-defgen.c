/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Random definitions and their plain SQL twins. Every rule becomes a boolean SQL
 * expression about the outer user "u.user_id"; groups become AND/OR of those. The SQL is
 * written to be obviously right rather than fast: correlated EXISTS subqueries.
 *
 * Semantics followed (FORMAT-SPEC version 1, store timezone UTC):
 * - windows as listed in the spec, all also requiring ts <= now;
 * - a missing property (NULL) satisfies only "not_exists";
 * - "occurrence" first/last: min/max ts of the user's matching events up to now;
 * - aggregates over the user's matching events; include_non_doers makes the value 0;
 * - sequence durations are fixed lengths (a day is 86 400 000 ms);
 * - "near" is the haversine distance on a sphere of radius 6371.0 km;
 * - date properties are compared as calendar days ("YYYY-MM-DD"); "in_last" N days means
 *   today-(N-1) .. today, "more_than_days_ago" N means before today-N.
 * Thresholds on non-integer values end in ...0037 so that no sum or average of cent
 * amounts can tie with them, whatever the order of summation.
 */
#define G_LOG_DOMAIN "seg-defgen"

#include "config.h"

#include <math.h>
#include <string.h>

#include "seg-bench-vocab.h"
#include "seg-defgen.h"

#define DAY_MS G_GINT64_CONSTANT (86400000)

typedef enum
{
  P_STRING,
  P_NUMBER,
  P_BOOL,
  P_DATE,
} PType;

typedef struct
{
  const char *name;
  PType       type;
  gboolean    always;   /* present on every event of its kind (safe to aggregate) */
  gboolean    integer;
} Prop;

typedef struct
{
  const char *name;
  Prop        props[3];
  guint       n_props;
} EventSpec;

static const EventSpec events[] = {
  { "App Launched", { { 0 } }, 0 },
  { "Product Viewed", { { "product", P_STRING, TRUE, FALSE }, { "category", P_STRING, TRUE, FALSE },
                        { "price", P_NUMBER, TRUE, FALSE } }, 3 },
  { "Added To Cart", { { "product", P_STRING, TRUE, FALSE }, { "price", P_NUMBER, TRUE, FALSE } }, 2 },
  { "Charged", { { "amount", P_NUMBER, TRUE, FALSE }, { "items", P_NUMBER, TRUE, TRUE } }, 2 },
  { "Page Visited", { { "url", P_STRING, TRUE, FALSE }, { "referrer", P_STRING, FALSE, FALSE } }, 2 },
  { "Rated", { { "rating", P_NUMBER, TRUE, TRUE } }, 1 },
};

static const Prop profile_props[] = {
  { "name", P_STRING, FALSE, FALSE },
  { "email", P_STRING, FALSE, FALSE },
  { "phone", P_STRING, FALSE, FALSE },
  { "city", P_STRING, FALSE, FALSE },
  { "country", P_STRING, FALSE, FALSE },
  { "latitude", P_NUMBER, FALSE, FALSE },
  { "longitude", P_NUMBER, FALSE, FALSE },
  { "platform", P_STRING, FALSE, FALSE },
  { "app_version", P_STRING, FALSE, FALSE },
  { "signup_date", P_DATE, FALSE, FALSE },
  { "email_optin", P_BOOL, FALSE, FALSE },
  { "push_token", P_STRING, FALSE, FALSE },
  { "push_optin", P_BOOL, FALSE, FALSE },
  { "sms_optin", P_BOOL, FALSE, FALSE },
  { "whatsapp_optin", P_BOOL, FALSE, FALSE },
  { "test_user", P_BOOL, FALSE, FALSE },
};

typedef struct
{
  GRand       *rand;
  gint64       now;
  gint64       today;   /* midnight UTC of now's day */
  JsonBuilder *b;
  const char  *last_op;
} Gen;

/* ---------------------------------------------------------------------------------------- */

static int
rint_in (Gen *g,
         int  lo,
         int  hi)
{
  return g_rand_int_range (g->rand, lo, hi + 1);
}

static gboolean
chance (Gen    *g,
        double  p)
{
  return g_rand_double (g->rand) < p;
}

#define PICK(g, arr) ((arr)[g_rand_int_range ((g)->rand, 0, G_N_ELEMENTS (arr))])

static char *
sql_str (const char *s)
{
  GString *out = g_string_new ("'");

  for (const char *p = s; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}

static char *
num_str (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* Thresholds have at most 4 decimals: keep the SQL readable. */
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

/* Midnight UTC of today - k days. */
static gint64
day_ms (Gen *g,
        int  k)
{
  return g->today - (gint64) k * DAY_MS;
}

static char *
date_of_ms (gint64 ms)
{
  g_autoptr(GDateTime) d = g_date_time_new_from_unix_utc (ms / 1000);

  return g_date_time_format (d, "%Y-%m-%d");
}

static void
add_member_str (JsonBuilder *b,
                const char  *name,
                const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_member_int (JsonBuilder *b,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* A number member: integers are written as JSON integers. */
static void
add_member_num (JsonBuilder *b,
                const char  *name,
                double       value)
{
  json_builder_set_member_name (b, name);
  if (value == floor (value) && fabs (value) < 1e15)
    json_builder_add_int_value (b, (gint64) value);
  else
    json_builder_add_double_value (b, value);
}

/* Adds the "op" member and remembers it. */
static void
set_op (Gen        *g,
        const char *op)
{
  g->last_op = op;
  add_member_str (g->b, "op", op);
}

/* ---------------------------------------------------------------------------------------- */
/* Windows                                                                                  */

/* Adds a "when" member and returns the SQL condition on @col. */
static char *
gen_window (Gen        *g,
            const char *col)
{
  JsonBuilder *b = g->b;
  double u = g_rand_double (g->rand);
  gint64 now = g->now;
  char *sql;

  json_builder_set_member_name (b, "when");
  json_builder_begin_object (b);

  if (u < 0.30)
    {
      int n = PICK (g, ((const int[]) { 1, 2, 3, 7, 14, 30, 45, 60, 90, 120 }));

      add_member_str (b, "type", "last");
      add_member_int (b, "n", n);
      add_member_str (b, "unit", "days");
      sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s <= %" G_GINT64_FORMAT,
                             col, day_ms (g, n - 1), col, now);
    }
  else if (u < 0.38)
    {
      gboolean hours = chance (g, 0.5);
      int n = hours ? rint_in (g, 1, 72) : rint_in (g, 5, 600);
      gint64 len = (gint64) n * (hours ? 3600000 : 60000);

      add_member_str (b, "type", "last");
      add_member_int (b, "n", n);
      add_member_str (b, "unit", hours ? "hours" : "minutes");
      sql = g_strdup_printf ("%s > %" G_GINT64_FORMAT " AND %s <= %" G_GINT64_FORMAT,
                             col, now - len, col, now);
    }
  else if (u < 0.43)
    {
      int n = rint_in (g, 1, 8);

      add_member_str (b, "type", "last");
      add_member_int (b, "n", n);
      add_member_str (b, "unit", "weeks");
      sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s <= %" G_GINT64_FORMAT,
                             col, day_ms (g, 7 * n - 1), col, now);
    }
  else if (u < 0.48)
    {
      int n = rint_in (g, 1, 3);
      g_autoptr(GDateTime) today = g_date_time_new_from_unix_utc (g->today / 1000);
      g_autoptr(GDateTime) back = g_date_time_add_months (today, -n);
      g_autoptr(GDateTime) start = g_date_time_add_days (back, 1);

      add_member_str (b, "type", "last");
      add_member_int (b, "n", n);
      add_member_str (b, "unit", "months");
      sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s <= %" G_GINT64_FORMAT,
                             col, g_date_time_to_unix (start) * 1000, col, now);
    }
  else if (u < 0.52)
    {
      add_member_str (b, "type", "today");
      sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s <= %" G_GINT64_FORMAT,
                             col, day_ms (g, 0), col, now);
    }
  else if (u < 0.56)
    {
      add_member_str (b, "type", "yesterday");
      sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s < %" G_GINT64_FORMAT
                             " AND %s <= %" G_GINT64_FORMAT,
                             col, day_ms (g, 1), col, day_ms (g, 0), col, now);
    }
  else if (u < 0.62)
    {
      int n = rint_in (g, 0, 60);

      add_member_str (b, "type", "days_ago");
      add_member_int (b, "n", n);
      sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s < %" G_GINT64_FORMAT
                             " AND %s <= %" G_GINT64_FORMAT,
                             col, day_ms (g, n), col, day_ms (g, n - 1), col, now);
    }
  else if (u < 0.70)
    {
      int to = rint_in (g, 0, 60);
      int from = to + rint_in (g, 0, 60);

      add_member_str (b, "type", "between_days_ago");
      add_member_int (b, "from", from);
      add_member_int (b, "to", to);
      sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s < %" G_GINT64_FORMAT
                             " AND %s <= %" G_GINT64_FORMAT,
                             col, day_ms (g, from), col, day_ms (g, to - 1), col, now);
    }
  else if (u < 0.78)
    {
      int k2 = rint_in (g, 0, 150);
      int k1 = k2 + rint_in (g, 0, 40);
      g_autofree char *d1 = date_of_ms (day_ms (g, k1));
      g_autofree char *d2 = date_of_ms (day_ms (g, k2));

      add_member_str (b, "type", "between");
      add_member_str (b, "from", d1);
      add_member_str (b, "to", d2);
      sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s < %" G_GINT64_FORMAT
                             " AND %s <= %" G_GINT64_FORMAT,
                             col, day_ms (g, k1), col, day_ms (g, k2 - 1), col, now);
    }
  else if (u < 0.90)
    {
      static const char * const types[] = { "before", "after", "on", "since" };
      const char *type = PICK (g, types);
      int k = rint_in (g, 0, 170);
      g_autofree char *d = date_of_ms (day_ms (g, k));
      gint64 start = day_ms (g, k), end = day_ms (g, k - 1);

      add_member_str (b, "type", type);
      add_member_str (b, "date", d);
      if (g_str_equal (type, "before"))
        sql = g_strdup_printf ("%s < %" G_GINT64_FORMAT " AND %s <= %" G_GINT64_FORMAT,
                               col, start, col, now);
      else if (g_str_equal (type, "after"))
        sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s <= %" G_GINT64_FORMAT,
                               col, end, col, now);
      else if (g_str_equal (type, "on"))
        sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s < %" G_GINT64_FORMAT
                               " AND %s <= %" G_GINT64_FORMAT, col, start, col, end, col, now);
      else
        sql = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s <= %" G_GINT64_FORMAT,
                               col, start, col, now);
    }
  else
    {
      add_member_str (b, "type", "ever");
      sql = g_strdup_printf ("%s <= %" G_GINT64_FORMAT, col, now);
    }

  json_builder_end_object (b);
  return sql;
}

/* ---------------------------------------------------------------------------------------- */
/* Property values and filters                                                              */

static char *
product_id (int n)
{
  return g_strdup_printf ("P%04d", n);
}

/* A real value of a string property, as seg-gen writes it. */
static char *
string_value (Gen        *g,
              const char *prop)
{
  if (g_str_equal (prop, "product"))
    return product_id (rint_in (g, 1, SEG_BENCH_N_PRODUCTS));
  if (g_str_equal (prop, "category"))
    return g_strdup (PICK (g, categories));
  if (g_str_equal (prop, "url"))
    {
      int k = rint_in (g, 0, 2);

      if (k == 0)
        return g_strdup (PICK (g, fixed_pages));
      if (k == 1)
        return g_strdup_printf ("/blog/post-%d", rint_in (g, 1, 40));
      return g_strdup_printf ("/product/P%04d", rint_in (g, 1, SEG_BENCH_N_PRODUCTS));
    }
  if (g_str_equal (prop, "referrer"))
    return g_strdup (referrers[rint_in (g, 1, G_N_ELEMENTS (referrers) - 1)]);
  if (g_str_equal (prop, "name"))
    return g_strdup_printf ("%s %s", PICK (g, first_names), PICK (g, last_names));
  if (g_str_equal (prop, "email"))
    {
      g_autofree char *lower = g_utf8_strdown (PICK (g, first_names), -1);

      return g_strdup_printf ("%s.%d@example.com", lower, rint_in (g, 1, 300));
    }
  if (g_str_equal (prop, "phone"))
    return g_strdup_printf ("+1555%d", rint_in (g, 1000000, 9999999));
  if (g_str_equal (prop, "city"))
    return g_strdup (cities[rint_in (g, 1, G_N_ELEMENTS (cities) - 1)].city);
  if (g_str_equal (prop, "country"))
    return g_strdup (cities[rint_in (g, 1, G_N_ELEMENTS (cities) - 1)].country);
  if (g_str_equal (prop, "platform"))
    return g_strdup (PICK (g, ((const char * const[]) { "Android", "iOS", "Web" })));
  if (g_str_equal (prop, "app_version"))
    return g_strdup (PICK (g, app_versions));
  if (g_str_equal (prop, "push_token"))
    return g_strdup ("tok_0123456789abcdef");
  g_return_val_if_reached (g_strdup (""));
}

typedef struct
{
  const char *prop;
  const char *regex;
  const char *sql;      /* {c} stands for the column */
} RegexCase;

/* GRegex patterns with an exact GLOB/SQL equivalent (both case-sensitive). */
static const RegexCase regex_cases[] = {
  { "product", "^P00[0-9][0-9]$", "{c} GLOB 'P00[0-9][0-9]'" },
  { "product", "^P1", "{c} GLOB 'P1*'" },
  { "product", "5$", "{c} GLOB '*5'" },
  { "category", "^(Books|Toys)$", "({c} = 'Books' OR {c} = 'Toys')" },
  { "category", "s$", "{c} GLOB '*s'" },
  { "category", "^[A-H]", "{c} GLOB '[A-H]*'" },
  { "url", "^/blog/post-[0-9]$", "{c} GLOB '/blog/post-[0-9]'" },
  { "url", "^/product/", "{c} GLOB '/product/*'" },
  { "url", "^/(cart|checkout)$", "({c} = '/cart' OR {c} = '/checkout')" },
  { "referrer", "google|bing", "({c} GLOB '*google*' OR {c} GLOB '*bing*')" },
  { "referrer", "^https://", "{c} GLOB 'https://*'" },
  { "city", "^New", "{c} GLOB 'New*'" },
  { "city", "^(Paris|London)$", "({c} = 'Paris' OR {c} = 'London')" },
  { "city", "i$", "{c} GLOB '*i'" },
  { "email", "^[a-f]", "{c} GLOB '[a-f]*'" },
  { "name", "Smith$", "{c} GLOB '*Smith'" },
  { "platform", "^(iOS|Android)$", "({c} = 'iOS' OR {c} = 'Android')" },
  { "country", "^United", "{c} GLOB 'United*'" },
  { "app_version", "^5\\.3\\.", "{c} GLOB '5.3.*'" },
  { "phone", "^\\+1555[0-4]", "{c} GLOB '+1555[0-4]*'" },
  { "push_token", "^tok_[0-7]", "{c} GLOB 'tok_[0-7]*'" },
};

static char *
replace_col (const char *tmpl,
             const char *col)
{
  g_auto(GStrv) parts = g_strsplit (tmpl, "{c}", -1);

  return g_strjoinv (col, parts);
}

/* A piece of a real value: prefix, suffix or infix of at least two characters. */
static char *
piece_of (Gen        *g,
          const char *value,
          int         where)   /* 0 prefix, 1 suffix, 2 infix */
{
  glong len = g_utf8_strlen (value, -1);
  glong n, start;
  const char *s, *e;

  if (len <= 2)
    return g_strdup (value);
  n = rint_in (g, 2, MIN (len - 1, 6));
  start = where == 0 ? 0 : where == 1 ? len - n : rint_in (g, 0, (int) (len - n));
  s = g_utf8_offset_to_pointer (value, start);
  e = g_utf8_offset_to_pointer (s, n);
  return g_strndup (s, e - s);
}

static char *
gen_string_filter (Gen        *g,
                   const Prop *p,
                   const char *col)
{
  JsonBuilder *b = g->b;
  double u = g_rand_double (g->rand);
  g_autofree char *v = string_value (g, p->name);
  g_autofree char *q = NULL;

  if (u < 0.25)
    {
      gboolean neg = chance (g, 0.3);

      set_op (g, neg ? "not_equals" : "equals");
      if (chance (g, 0.4))
        {
          int n = rint_in (g, 2, 4);
          GString *in = g_string_new (NULL);

          json_builder_set_member_name (b, "value");
          json_builder_begin_array (b);
          for (int i = 0; i < n; i++)
            {
              g_autofree char *vi = string_value (g, p->name);
              g_autofree char *qi = sql_str (vi);

              json_builder_add_string_value (b, vi);
              g_string_append_printf (in, "%s%s", i ? ", " : "", qi);
            }
          json_builder_end_array (b);
          if (neg)
            q = g_strdup_printf ("(%s IS NOT NULL AND %s NOT IN (%s))", col, col, in->str);
          else
            q = g_strdup_printf ("%s IN (%s)", col, in->str);
          g_string_free (in, TRUE);
          return g_steal_pointer (&q);
        }
      add_member_str (b, "value", v);
      q = sql_str (v);
      return neg ? g_strdup_printf ("(%s IS NOT NULL AND %s <> %s)", col, col, q)
                 : g_strdup_printf ("%s = %s", col, q);
    }
  if (u < 0.60)
    {
      static const char * const ops[] = { "contains", "not_contains", "starts_with", "ends_with" };
      int k = rint_in (g, 0, 3);
      g_autofree char *piece = piece_of (g, v, k == 2 ? 0 : k == 3 ? 1 : 2);

      set_op (g, ops[k]);
      add_member_str (b, "value", piece);
      q = sql_str (piece);
      switch (k)
        {
        case 0:
          return g_strdup_printf ("instr(%s, %s) > 0", col, q);
        case 1:
          return g_strdup_printf ("(%s IS NOT NULL AND instr(%s, %s) = 0)", col, col, q);
        case 2:
          return g_strdup_printf ("substr(%s, 1, length(%s)) = %s", col, q, q);
        default:
          return g_strdup_printf ("(length(%s) >= length(%s) AND substr(%s, -length(%s)) = %s)",
                                  col, q, col, q, q);
        }
    }
  if (u < 0.80)
    {
      const RegexCase *found[G_N_ELEMENTS (regex_cases)];
      guint n = 0;

      for (guint i = 0; i < G_N_ELEMENTS (regex_cases); i++)
        if (g_str_equal (regex_cases[i].prop, p->name))
          found[n++] = &regex_cases[i];
      if (n > 0)
        {
          const RegexCase *rc = found[rint_in (g, 0, (int) n - 1)];

          set_op (g, "matches");
          add_member_str (b, "value", rc->regex);
          return replace_col (rc->sql, col);
        }
    }
  if (chance (g, 0.5))
    {
      set_op (g, "exists");
      return g_strdup_printf ("%s IS NOT NULL", col);
    }
  set_op (g, "not_exists");
  return g_strdup_printf ("%s IS NULL", col);
}

/* Range of a numeric property's values. */
static void
number_range (const char *prop,
              double     *lo,
              double     *hi)
{
  static const struct { const char *name; double lo, hi; } ranges[] = {
    { "price", 3, 90 }, { "amount", 5, 250 }, { "items", 1, 6 }, { "rating", 1, 5 },
    { "latitude", -35, 55 }, { "longitude", -120, 140 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    if (g_str_equal (ranges[i].name, prop))
      {
        *lo = ranges[i].lo;
        *hi = ranges[i].hi;
        return;
      }
  *lo = 0;
  *hi = 100;
}

/* A threshold: an integer for integer data, else an integer plus 0.0037 so that no value
 * built from cents (or 5-decimal coordinates) can equal it. */
static double
threshold (Gen    *g,
           double  lo,
           double  hi,
           gboolean integer)
{
  double v = floor (lo + g_rand_double (g->rand) * (hi - lo));

  return integer ? v : v + 0.0037;
}

static const char *
cmp_sql (const char *op)
{
  static const struct { const char *op, *sql; } map[] = {
    { "eq", "=" }, { "ne", "<>" }, { "gt", ">" }, { "ge", ">=" }, { "lt", "<" }, { "le", "<=" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i].op, op))
      return map[i].sql;
  g_return_val_if_reached ("=");
}

/* Adds "op" and "value" for a numeric comparison of @expr. @integer allows eq/ne. */
static char *
gen_number_cmp (Gen        *g,
                const char *expr,
                double      lo,
                double      hi,
                gboolean    integer)
{
  static const char * const int_ops[] = { "eq", "ne", "gt", "ge", "lt", "le", "between",
                                          "not_between" };
  static const char * const real_ops[] = { "gt", "ge", "lt", "le", "between", "not_between" };
  const char *op = integer ? PICK (g, int_ops) : PICK (g, real_ops);
  JsonBuilder *b = g->b;

  set_op (g, op);
  if (g_str_has_suffix (op, "between"))
    {
      double a = threshold (g, lo, hi, integer), c = threshold (g, lo, hi, integer);
      double x = MIN (a, c), y = MAX (a, c);
      g_autofree char *xs = num_str (x), *ys = num_str (y);

      json_builder_set_member_name (b, "value");
      json_builder_begin_array (b);
      if (integer)
        {
          json_builder_add_int_value (b, (gint64) x);
          json_builder_add_int_value (b, (gint64) y);
        }
      else
        {
          json_builder_add_double_value (b, x);
          json_builder_add_double_value (b, y);
        }
      json_builder_end_array (b);
      return g_strdup_printf ("%s %sBETWEEN %s AND %s", expr,
                              g_str_equal (op, "not_between") ? "NOT " : "", xs, ys);
    }
  else
    {
      double v = threshold (g, lo, hi, integer);
      g_autofree char *vs = num_str (v);

      add_member_num (b, "value", v);
      return g_strdup_printf ("%s %s %s", expr, cmp_sql (op), vs);
    }
}

static char *
gen_date_filter (Gen        *g,
                 const char *col)
{
  JsonBuilder *b = g->b;
  int k = rint_in (g, 0, 180);
  g_autofree char *d = date_of_ms (day_ms (g, k));
  g_autofree char *today = date_of_ms (day_ms (g, 0));
  g_autofree char *dq = sql_str (d);

  switch (rint_in (g, 0, 6))
    {
    case 0:
      set_op (g, "on");
      add_member_str (b, "value", d);
      return g_strdup_printf ("%s = %s", col, dq);
    case 1:
      set_op (g, "before");
      add_member_str (b, "value", d);
      return g_strdup_printf ("%s < %s", col, dq);
    case 2:
      set_op (g, "after");
      add_member_str (b, "value", d);
      return g_strdup_printf ("%s > %s", col, dq);
    case 3:
      {
        int k2 = MAX (0, k - rint_in (g, 0, 60));
        g_autofree char *d2 = date_of_ms (day_ms (g, k2));

        set_op (g, "date_between");
        json_builder_set_member_name (b, "value");
        json_builder_begin_array (b);
        json_builder_add_string_value (b, d);
        json_builder_add_string_value (b, d2);
        json_builder_end_array (b);
        return g_strdup_printf ("%s BETWEEN %s AND '%s'", col, dq, d2);
      }
    case 4:
      {
        int n = rint_in (g, 1, 90);
        g_autofree char *from = date_of_ms (day_ms (g, n - 1));

        set_op (g, "in_last");
        add_member_int (b, "value", n);
        add_member_str (b, "unit", "days");
        return g_strdup_printf ("%s >= '%s' AND %s <= '%s'", col, from, col, today);
      }
    case 5:
      {
        int n = rint_in (g, 1, 150);
        g_autofree char *before = date_of_ms (day_ms (g, n));

        set_op (g, "more_than_days_ago");
        add_member_int (b, "value", n);
        return g_strdup_printf ("%s < '%s'", col, before);
      }
    default:
      {
        /* Signup dates lie in the past: a negative offset finds some users. */
        int n = -rint_in (g, 0, 120);
        g_autofree char *day = date_of_ms (day_ms (g, -n));

        set_op (g, "days_from_today");
        add_member_int (b, "value", n);
        return g_strdup_printf ("%s = '%s'", col, day);
      }
    }
}

/* Builds one FILTER object and returns its SQL predicate on @col (NULL = missing). */
static char *
gen_filter (Gen        *g,
            const Prop *p,
            const char *col,
            gboolean   *out_not_exists)
{
  JsonBuilder *b = g->b;
  char *sql;

  json_builder_begin_object (b);
  add_member_str (b, "property", p->name);
  switch (p->type)
    {
    case P_STRING:
      sql = gen_string_filter (g, p, col);
      break;
    case P_NUMBER:
      if (chance (g, 0.1))
        {
          gboolean ex = chance (g, 0.5);

          set_op (g, ex ? "exists" : "not_exists");
          sql = g_strdup_printf ("%s IS %sNULL", col, ex ? "NOT " : "");
        }
      else
        {
          double lo, hi;

          number_range (p->name, &lo, &hi);
          sql = gen_number_cmp (g, col, lo, hi, p->integer);
        }
      break;
    case P_BOOL:
      {
        int k = rint_in (g, 0, 5);

        if (k < 2)
          {
            set_op (g, "is_true");
            sql = g_strdup_printf ("%s = 'true'", col);
          }
        else if (k < 4)
          {
            set_op (g, "is_false");
            sql = g_strdup_printf ("%s = 'false'", col);
          }
        else
          {
            gboolean ex = k == 4;

            set_op (g, ex ? "exists" : "not_exists");
            sql = g_strdup_printf ("%s IS %sNULL", col, ex ? "NOT " : "");
          }
      }
      break;
    case P_DATE:
    default:
      sql = gen_date_filter (g, col);
      break;
    }
  json_builder_end_object (b);

  if (out_not_exists != NULL)
    *out_not_exists = g_strcmp0 (g->last_op, "not_exists") == 0;
  return sql;
}

/* ---------------------------------------------------------------------------------------- */
/* Rules                                                                                    */

static const EventSpec *
pick_event (Gen *g)
{
  /* Bias towards the events with properties and the funnel events. */
  static const guint weights[] = { 2, 3, 3, 4, 3, 2 };
  guint total = 0, r;

  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    total += weights[i];
  r = (guint) rint_in (g, 0, (int) total - 1);
  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    {
      if (r < weights[i])
        return &events[i];
      r -= weights[i];
    }
  return &events[0];
}

/* Adds a "where" member (0-2 filters on the properties of @specs) and returns the SQL
 * conjunction (or "1"), with columns qualified by @alias. */
static char *
gen_where (Gen              *g,
           const EventSpec **specs,
           guint             n_specs,
           const char       *alias)
{
  const Prop *props[8];
  guint n_props = 0;
  int n;
  GString *sql = g_string_new ("1");

  for (guint i = 0; i < n_specs; i++)
    for (guint j = 0; j < specs[i]->n_props; j++)
      {
        gboolean dup = FALSE;

        for (guint k = 0; k < n_props; k++)
          dup |= g_str_equal (props[k]->name, specs[i]->props[j].name);
        if (!dup && n_props < G_N_ELEMENTS (props))
          props[n_props++] = &specs[i]->props[j];
      }
  if (n_props == 0)
    return g_string_free (sql, FALSE);

  n = chance (g, 0.5) ? 0 : chance (g, 0.7) ? 1 : 2;
  if (n == 0)
    return g_string_free (sql, FALSE);

  json_builder_set_member_name (g->b, "where");
  json_builder_begin_array (g->b);
  for (int i = 0; i < n; i++)
    {
      const Prop *p = props[rint_in (g, 0, (int) n_props - 1)];
      g_autofree char *col = g_strdup_printf ("%s.%s", alias, p->name);
      g_autofree char *pred = gen_filter (g, p, col, NULL);

      g_string_append_printf (sql, " AND (%s)", pred);
    }
  json_builder_end_array (g->b);
  return g_string_free (sql, FALSE);
}

static char *
event_in_sql (const EventSpec **specs,
              guint             n,
              const char       *alias)
{
  GString *s = g_string_new (NULL);

  if (n == 1)
    {
      g_autofree char *q = sql_str (specs[0]->name);

      g_string_printf (s, "%s.event = %s", alias, q);
    }
  else
    {
      g_string_printf (s, "%s.event IN (", alias);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *q = sql_str (specs[i]->name);

          g_string_append_printf (s, "%s%s", i ? ", " : "", q);
        }
      g_string_append_c (s, ')');
    }
  return g_string_free (s, FALSE);
}

static char *
gen_aggregate (Gen             *g,
               const EventSpec *ev,
               const char      *match)   /* "FROM events e WHERE ..." */
{
  JsonBuilder *b = g->b;
  const Prop *num[3], *dist[3];
  guint n_num = 0, n_dist = 0;
  const char *fn;
  g_autofree char *agg = NULL;
  g_autofree char *cmp = NULL;
  double lo, hi;
  gboolean integer = TRUE, non_doers = chance (g, 0.35);

  for (guint i = 0; i < ev->n_props; i++)
    {
      if (ev->props[i].type == P_NUMBER && ev->props[i].always)
        num[n_num++] = &ev->props[i];
      if (ev->props[i].type == P_STRING && ev->props[i].always)
        dist[n_dist++] = &ev->props[i];
    }

  json_builder_set_member_name (b, "aggregate");
  json_builder_begin_object (b);
  {
    double u = g_rand_double (g->rand);

    if (u < 0.35 || (n_num == 0 && n_dist == 0))
      fn = "count";
    else if (u < 0.5 && n_dist > 0)
      fn = "distinct";
    else if (n_num > 0)
      fn = PICK (g, ((const char * const[]) { "sum", "avg", "min", "max" }));
    else
      fn = "distinct";
  }
  add_member_str (b, "fn", fn);

  if (g_str_equal (fn, "count"))
    {
      agg = g_strdup ("count(*)");
      lo = 0;
      hi = 6;
    }
  else if (g_str_equal (fn, "distinct"))
    {
      const Prop *p = dist[rint_in (g, 0, (int) n_dist - 1)];

      add_member_str (b, "property", p->name);
      agg = g_strdup_printf ("count(DISTINCT e.%s)", p->name);
      lo = 0;
      hi = 5;
    }
  else
    {
      const Prop *p = num[rint_in (g, 0, (int) n_num - 1)];

      add_member_str (b, "property", p->name);
      agg = g_strdup_printf ("%s(e.%s)", fn, p->name);
      number_range (p->name, &lo, &hi);
      if (g_str_equal (fn, "sum"))
        hi *= 4;
      /* Sums of integers are integers; averages are not. */
      integer = p->integer && !g_str_equal (fn, "avg");
    }

  {
    g_autofree char *value_expr = NULL;

    if (non_doers)
      value_expr = g_strdup_printf ("coalesce((SELECT %s %s), 0)", agg, match);
    else
      value_expr = g_strdup_printf ("(SELECT %s %s)", agg, match);
    cmp = gen_number_cmp (g, value_expr, lo, hi, integer);
  }
  json_builder_set_member_name (b, "include_non_doers");
  json_builder_add_boolean_value (b, non_doers);
  json_builder_end_object (b);

  if (non_doers)
    return g_strdup_printf ("(%s)", cmp);
  return g_strdup_printf ("(EXISTS (SELECT 1 %s) AND %s)", match, cmp);
}

/* did / did_not / did_any. */
static char *
gen_did (Gen      *g,
         int       kind,     /* 0 did, 1 did_not, 2 did_any */
         gboolean  plain)    /* no aggregate or occurrence */
{
  JsonBuilder *b = g->b;
  const EventSpec *specs[3];
  guint n = 1;
  g_autofree char *in = NULL;
  g_autofree char *where = NULL;
  g_autofree char *win = NULL;
  g_autofree char *match = NULL;
  char *sql;

  json_builder_begin_object (b);
  specs[0] = pick_event (g);
  if (kind == 2)
    {
      json_builder_set_member_name (b, "did_any");
      json_builder_begin_array (b);
      n = (guint) rint_in (g, 2, 3);
      for (guint i = 0; i < n; i++)
        {
          gboolean dup;

          do
            {
              specs[i] = pick_event (g);
              dup = FALSE;
              for (guint j = 0; j < i; j++)
                dup |= specs[j] == specs[i];
            }
          while (dup);
          json_builder_add_string_value (b, specs[i]->name);
        }
      json_builder_end_array (b);
    }
  else
    add_member_str (b, kind == 0 ? "did" : "did_not", specs[0]->name);

  in = event_in_sql (specs, n, "e");
  where = gen_where (g, specs, n, "e");

  if (kind == 0 && !plain && chance (g, 0.15))
    {
      /* The user's first/last matching event (up to now) falls in the window. */
      gboolean first = chance (g, 0.5);

      add_member_str (b, "occurrence", first ? "first" : "last");
      win = gen_window (g, "f.t");
      sql = g_strdup_printf ("EXISTS (SELECT 1 FROM (SELECT %s(e.ts) AS t FROM events e "
                             "WHERE e.user_id = u.user_id AND %s AND %s AND e.ts <= %"
                             G_GINT64_FORMAT ") f WHERE f.t IS NOT NULL AND %s)",
                             first ? "min" : "max", in, where, g->now, win);
      json_builder_end_object (b);
      return sql;
    }

  if (chance (g, 0.85))
    win = gen_window (g, "e.ts");
  else
    win = g_strdup_printf ("e.ts <= %" G_GINT64_FORMAT, g->now);
  match = g_strdup_printf ("FROM events e WHERE e.user_id = u.user_id AND %s AND %s AND %s",
                           in, where, win);

  if (kind == 0 && !plain && chance (g, 0.35))
    sql = gen_aggregate (g, specs[0], match);
  else if (kind == 1)
    sql = g_strdup_printf ("NOT EXISTS (SELECT 1 %s)", match);
  else
    sql = g_strdup_printf ("EXISTS (SELECT 1 %s)", match);

  json_builder_end_object (b);
  return sql;
}

static char *
gen_user_rule (Gen *g)
{
  const Prop *p = &profile_props[rint_in (g, 0, G_N_ELEMENTS (profile_props) - 1)];
  g_autofree char *col = g_strdup_printf ("p.%s", p->name);
  g_autofree char *pred = NULL;
  gboolean not_exists = FALSE;
  char *sql;

  json_builder_begin_object (g->b);
  json_builder_set_member_name (g->b, "user");
  pred = gen_filter (g, p, col, &not_exists);
  json_builder_end_object (g->b);

  /* A user without a profile lacks every property: only "not_exists" holds for them. */
  if (not_exists)
    sql = g_strdup_printf ("NOT EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = u.user_id "
                           "AND %s IS NOT NULL)", col);
  else
    sql = g_strdup_printf ("EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = u.user_id "
                           "AND (%s))", pred);
  return sql;
}

static char *
gen_near (Gen *g)
{
  const City *c = &cities[rint_in (g, 1, G_N_ELEMENTS (cities) - 1)];
  double lat = round ((c->lat + (g_rand_double (g->rand) - 0.5) * 0.2) * 1000) / 1000;
  double lon = round ((c->lon + (g_rand_double (g->rand) - 0.5) * 0.2) * 1000) / 1000;
  int km = PICK (g, ((const int[]) { 5, 20, 50, 300, 1500 }));
  g_autofree char *las = num_str (lat), *los = num_str (lon);
  JsonBuilder *b = g->b;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "near");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "lat");
  json_builder_add_double_value (b, lat);
  json_builder_set_member_name (b, "lon");
  json_builder_add_double_value (b, lon);
  add_member_int (b, "km", km);
  json_builder_end_object (b);
  json_builder_end_object (b);

  return g_strdup_printf ("EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = u.user_id AND "
                          "p.latitude IS NOT NULL AND p.longitude IS NOT NULL AND "
                          "2 * 6371.0 * asin(sqrt(power(sin(radians(p.latitude - (%s)) / 2), 2) + "
                          "cos(radians(%s)) * cos(radians(p.latitude)) * "
                          "power(sin(radians(p.longitude - (%s)) / 2), 2))) <= %d)",
                          las, las, los, km);
}

static char *
gen_reachable (Gen *g)
{
  static const char * const channels[] = { "email", "push", "sms", "whatsapp", "in-app" };
  const char *ch = PICK (g, channels);
  const char *cond;

  json_builder_begin_object (g->b);
  add_member_str (g->b, "reachable", ch);
  json_builder_end_object (g->b);

  if (g_str_equal (ch, "in-app"))
    return g_strdup_printf ("EXISTS (SELECT 1 FROM events e WHERE e.user_id = u.user_id AND "
                            "e.ts >= %" G_GINT64_FORMAT " AND e.ts <= %" G_GINT64_FORMAT ")",
                            day_ms (g, 29), g->now);
  if (g_str_equal (ch, "email"))
    cond = "coalesce(p.email, '') <> '' AND coalesce(p.email_optin, '') <> 'false'";
  else if (g_str_equal (ch, "push"))
    cond = "coalesce(p.push_token, '') <> '' AND coalesce(p.push_optin, '') <> 'false'";
  else if (g_str_equal (ch, "sms"))
    cond = "coalesce(p.phone, '') <> '' AND coalesce(p.sms_optin, '') <> 'false'";
  else
    cond = "coalesce(p.phone, '') <> '' AND p.whatsapp_optin = 'true'";
  return g_strdup_printf ("EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = u.user_id AND %s)",
                          cond);
}

static char *
gen_sequence (Gen      *g,
              gboolean  negate)
{
  JsonBuilder *b = g->b;
  const EventSpec *a = pick_event (g), *c = pick_event (g);
  g_autofree char *ain = event_in_sql (&a, 1, "a");
  g_autofree char *cin = event_in_sql (&c, 1, "b");
  g_autofree char *awhere = NULL, *bwhere = NULL, *win = NULL;
  const char *unit;
  int n;
  gint64 len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sequence");
  json_builder_begin_object (b);

  json_builder_set_member_name (b, "first");
  json_builder_begin_object (b);
  add_member_str (b, "event", a->name);
  awhere = chance (g, 0.6) ? g_strdup ("1") : gen_where (g, &a, 1, "a");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "then");
  json_builder_begin_object (b);
  add_member_str (b, "event", c->name);
  bwhere = chance (g, 0.6) ? g_strdup ("1") : gen_where (g, &c, 1, "b");
  json_builder_end_object (b);

  switch (rint_in (g, 0, 2))
    {
    case 0:
      unit = "minutes";
      n = rint_in (g, 1, 60);
      len = (gint64) n * 60000;
      break;
    case 1:
      unit = "hours";
      n = rint_in (g, 1, 24);
      len = (gint64) n * 3600000;
      break;
    default:
      unit = "days";
      n = rint_in (g, 1, 7);
      len = (gint64) n * DAY_MS;
      break;
    }
  json_builder_set_member_name (b, "within");
  json_builder_begin_object (b);
  add_member_int (b, "n", n);
  add_member_str (b, "unit", unit);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "negate");
  json_builder_add_boolean_value (b, negate);
  json_builder_end_object (b);

  if (chance (g, 0.75))
    win = gen_window (g, "a.ts");
  else
    win = g_strdup_printf ("a.ts <= %" G_GINT64_FORMAT, g->now);
  json_builder_end_object (b);

  if (negate)
    return g_strdup_printf ("EXISTS (SELECT 1 FROM events a WHERE a.user_id = u.user_id AND %s "
                            "AND %s AND %s AND a.ts + %" G_GINT64_FORMAT " <= %" G_GINT64_FORMAT
                            " AND NOT EXISTS (SELECT 1 FROM events b WHERE b.user_id = a.user_id "
                            "AND %s AND %s AND b.ts > a.ts AND b.ts <= a.ts + %" G_GINT64_FORMAT
                            "))", ain, awhere, win, len, g->now, cin, bwhere, len);
  return g_strdup_printf ("EXISTS (SELECT 1 FROM events a WHERE a.user_id = u.user_id AND %s "
                          "AND %s AND %s AND EXISTS (SELECT 1 FROM events b WHERE "
                          "b.user_id = a.user_id AND %s AND %s AND b.ts > a.ts AND "
                          "b.ts <= a.ts + %" G_GINT64_FORMAT " AND b.ts <= %" G_GINT64_FORMAT
                          "))", ain, awhere, win, cin, bwhere, len, g->now);
}

static char *gen_group (Gen      *g,
                        gboolean  all,
                        int       depth);

/* Adds one rule or nested group to the open array. Negations only when @allow_neg. */
static char *
gen_item (Gen      *g,
          gboolean  allow_neg,
          int       depth,
          gboolean *out_negation,
          gboolean *out_positive_event)
{
  double u = g_rand_double (g->rand);

  *out_negation = FALSE;
  *out_positive_event = FALSE;

  if (u < 0.12 && allow_neg)
    {
      *out_negation = TRUE;
      return gen_did (g, 1, FALSE);
    }
  if (u < 0.17 && allow_neg)
    {
      *out_negation = TRUE;
      return gen_sequence (g, TRUE);
    }
  if (u < 0.50)
    {
      *out_positive_event = TRUE;
      return gen_did (g, 0, FALSE);
    }
  if (u < 0.60)
    {
      *out_positive_event = TRUE;
      return gen_did (g, 2, FALSE);
    }
  if (u < 0.75)
    return gen_user_rule (g);
  if (u < 0.79)
    return gen_near (g);
  if (u < 0.86)
    return gen_reachable (g);
  if (u < 0.93 || depth >= 2)
    return gen_sequence (g, FALSE);
  return gen_group (g, chance (g, 0.5), depth + 1);
}

static char *
gen_group (Gen      *g,
           gboolean  all,
           int       depth)
{
  JsonBuilder *b = g->b;
  int n = rint_in (g, 1, depth == 0 ? 4 : 3);
  gboolean has_neg = FALSE, has_pos = FALSE;
  GString *sql = g_string_new ("(");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, all ? "all" : "any");
  json_builder_begin_array (b);
  for (int i = 0; i < n; i++)
    {
      gboolean neg, pos;
      g_autofree char *item = gen_item (g, all, depth, &neg, &pos);

      has_neg |= neg;
      has_pos |= pos;
      g_string_append_printf (sql, "%s(%s)", i ? (all ? " AND " : " OR ") : "", item);
    }
  /* FORMAT-SPEC: a negation must sit in an AND group with at least one positive rule. */
  if (has_neg && !has_pos)
    {
      g_autofree char *item = gen_did (g, 0, TRUE);

      g_string_append_printf (sql, " AND (%s)", item);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

JsonNode *
seg_defgen_generate (GRand  *rand,
                     gint64  now_ms,
                     char  **out_sql)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *cond = NULL;
  Gen g = { rand, now_ms, now_ms - (now_ms % DAY_MS), b, NULL };

  g_return_val_if_fail (rand != NULL, NULL);
  g_return_val_if_fail (out_sql != NULL, NULL);
  g_return_val_if_fail (now_ms >= 0, NULL);

  json_builder_begin_object (b);
  add_member_int (b, "version", 1);
  add_member_str (b, "kind", "past-behavior");
  json_builder_set_member_name (b, "match");
  cond = gen_group (&g, chance (&g, 0.75), 0);
  json_builder_end_object (b);

  *out_sql = g_strdup_printf ("SELECT u.user_id FROM "
                              "(SELECT user_id FROM profiles UNION SELECT user_id FROM events) u "
                              "WHERE %s ORDER BY u.user_id", cond);
  return json_builder_get_root (b);
}
