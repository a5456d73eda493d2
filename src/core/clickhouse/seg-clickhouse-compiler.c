/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse-compiler"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seg-clickhouse-compiler.h"
#include "seg-clickhouse-sql.h"
#include "seg-segment.h"
#include "seg-store.h"
#include "seg-time.h"

/*
 * How values are read. An event's properties are the parallel arrays prop_keys,
 * prop_types, prop_str and prop_num; a property missing from an event gives index 0 in
 * indexOf(), and element 0 of an array is its type's default, so its type reads as 0
 * (SEG_VALUE_TYPE_NONE, "missing") without a separate test. A user property's current
 * value is the newest row of (user, key) in profile_props: argMax of type, str and num by
 * updated_ms in one aggregation (its states see the same rows in the same order and keep
 * a row only for a strictly greater updated_ms, so the three come from the same row; this
 * is faster than one argMax over a tuple); a cleared property has type 0 too.
 *
 * The local store types a column by its first value and converts later values to that
 * type; ClickHouse keeps each value's own type. For data whose properties keep one type
 * (every importer's output) the two agree; the tests hold the stores to that.
 */

#define TYPES_NUMERIC "(2, 3, 4)"  /* number, boolean, date */
#define TYPES_TEXT    "(1, 5)"     /* string, list */

G_STATIC_ASSERT (SEG_VALUE_TYPE_STRING == 1 && SEG_VALUE_TYPE_NUMBER == 2 &&
                 SEG_VALUE_TYPE_BOOLEAN == 3 && SEG_VALUE_TYPE_DATE == 4 &&
                 SEG_VALUE_TYPE_LIST == 5);

typedef struct
{
  const SegClickhouseCompileParams *p;
  gint64                            now;
  guint32                           today;
  GPtrArray                        *stack;   /* ids of the segments being compiled */
} Ctx;

/* A set of user ids (a SELECT of distinct user_id), or its complement. @rows, when not
 * NULL, selects the same users with repeats (no GROUP BY): enough, and cheaper, inside
 * IN (...), and counted with uniqExact() cheaper than @sql with count(). */
typedef struct
{
  GString  *sql;
  gboolean  negated;
  GString  *rows;
} Part;

/* The SQL of @part for "user_id IN (...)". */
static char *
part_in_sql (Part *part)
{
  return g_strdup (part->rows != NULL ? part->rows->str : part->sql->str);
}

static void
part_free (Part *part)
{
  if (part->sql != NULL)
    g_string_free (part->sql, TRUE);
  if (part->rows != NULL)
    g_string_free (part->rows, TRUE);
  g_free (part);
}

static Part *
part_new (GString  *sql,
          gboolean  negated)
{
  Part *part = g_new0 (Part, 1);

  part->sql = sql;
  part->negated = negated;
  return part;
}

static void
ctx_init (Ctx                              *ctx,
          const SegClickhouseCompileParams *p,
          gint64                            now)
{
  ctx->p = p;
  ctx->now = now;
  ctx->today = seg_time_day_of (p->tz, now);
  ctx->stack = g_ptr_array_new ();
}

static void
ctx_clear (Ctx *ctx)
{
  g_ptr_array_unref (ctx->stack);
}

static void
lit (GString    *sql,
     const char *str)
{
  seg_clickhouse_sql_append_string (sql, str, -1);
}

/* " AND col >= lo AND col <= hi"; G_MININT64 is no lower bound. */
static void
append_range (GString    *sql,
              const char *column,
              gint64      lo,
              gint64      hi)
{
  if (lo != G_MININT64)
    {
      g_string_append_printf (sql, " AND %s >= ", column);
      seg_clickhouse_sql_append_int (sql, lo);
    }
  g_string_append_printf (sql, " AND %s <= ", column);
  seg_clickhouse_sql_append_int (sql, hi);
}

/* ---- one value against one filter ---- */

/* The value being tested, as three SQL expressions: its type, its text, its number. */
typedef struct
{
  char *t;
  char *s;
  char *n;
} Value;

static void
value_clear (Value *v)
{
  g_clear_pointer (&v->t, g_free);
  g_clear_pointer (&v->s, g_free);
  g_clear_pointer (&v->n, g_free);
}

static void
value_init_event (Value      *v,
                  const char *property)
{
  g_autofree char *key = seg_clickhouse_sql_string (property, -1);

  v->t = g_strdup_printf ("prop_types[indexOf(prop_keys, %s)]", key);
  v->s = g_strdup_printf ("prop_str[indexOf(prop_keys, %s)]", key);
  v->n = g_strdup_printf ("prop_num[indexOf(prop_keys, %s)]", key);
}

static void
value_init_profile (Value *v)
{
  v->t = g_strdup ("seg_t");
  v->s = g_strdup ("seg_s");
  v->n = g_strdup ("seg_n");
}

static gboolean
is_date_op (SegOp op)
{
  return op >= SEG_OP_ON && op <= SEG_OP_DAYS_FROM_TODAY;
}

/* The inclusive millisecond range of a date operator, as the local engine computes it. */
static void
date_range (Ctx             *ctx,
            const SegFilter *f,
            gint64          *lo,
            gint64          *hi)
{
  GTimeZone *tz = ctx->p->tz;
  gint64 s0 = 0, e0 = 0, s1 = 0, e1 = 0;
  gint64 a = G_MININT64, b = G_MAXINT64;

  switch (f->op)
    {
    case SEG_OP_ON:
      seg_time_parse_date (tz, f->dates[0], &s0, &e0);
      {
        guint32 day = seg_time_day_of (tz, s0);
        a = seg_time_midnight (tz, day);
        b = seg_time_midnight (tz, day + 1) - 1;
      }
      break;
    case SEG_OP_BEFORE:
      seg_time_parse_date (tz, f->dates[0], &s0, &e0);
      b = s0 - 1;
      break;
    case SEG_OP_AFTER:
      seg_time_parse_date (tz, f->dates[0], &s0, &e0);
      a = e0 + 1;
      break;
    case SEG_OP_DATE_BETWEEN:
      seg_time_parse_date (tz, f->dates[0], &s0, &e0);
      seg_time_parse_date (tz, f->dates[1], &s1, &e1);
      a = s0;
      b = e1;
      break;
    case SEG_OP_IN_LAST:
      seg_time_last_bounds ((gint64) f->num[0], f->unit, tz, ctx->now, &a);
      b = ctx->now;
      break;
    case SEG_OP_MORE_THAN_DAYS_AGO:
      b = seg_time_midnight (tz, (guint32) (ctx->today - (gint64) f->num[0])) - 1;
      break;
    case SEG_OP_DAYS_FROM_TODAY:
    default:
      a = seg_time_midnight (tz, (guint32) (ctx->today + (gint64) f->num[0]));
      b = seg_time_midnight (tz, (guint32) (ctx->today + (gint64) f->num[0] + 1)) - 1;
      break;
    }
  *lo = a;
  *hi = b;
}

static gboolean
append_compare (GString     *sql,
                const char  *expr,
                SegOp        op,
                const double value[2],
                GError     **error)
{
  static const char *ops[] = { "=", "!=", ">", ">=", "<", "<=" };

  switch (op)
    {
    case SEG_OP_EQ:
    case SEG_OP_NE:
    case SEG_OP_GT:
    case SEG_OP_GE:
    case SEG_OP_LT:
    case SEG_OP_LE:
      g_string_append_printf (sql, "%s %s ", expr, ops[op - SEG_OP_EQ]);
      return seg_clickhouse_sql_append_number (sql, value[0], error);
    case SEG_OP_BETWEEN:
      g_string_append_printf (sql, "(%s >= ", expr);
      if (!seg_clickhouse_sql_append_number (sql, value[0], error))
        return FALSE;
      g_string_append_printf (sql, " AND %s <= ", expr);
      if (!seg_clickhouse_sql_append_number (sql, value[1], error))
        return FALSE;
      g_string_append_c (sql, ')');
      return TRUE;
    case SEG_OP_NOT_BETWEEN:
      g_string_append_printf (sql, "(%s < ", expr);
      if (!seg_clickhouse_sql_append_number (sql, value[0], error))
        return FALSE;
      g_string_append_printf (sql, " OR %s > ", expr);
      if (!seg_clickhouse_sql_append_number (sql, value[1], error))
        return FALSE;
      g_string_append_c (sql, ')');
      return TRUE;
    default:
      g_string_append (sql, "0");
      return TRUE;
    }
}

/* A list value is its items, each followed by a NUL byte. */
static void
append_list_items (GString    *sql,
                   const char *s)
{
  g_string_append_printf (sql, "arraySlice(splitByChar('\\0', %s), 1, "
                          "length(splitByChar('\\0', %s)) - 1)", s, s);
}

static void
append_list_has (GString    *sql,
                 const char *s,
                 const char *item)
{
  gsize len = strlen (item);
  g_autofree char *needle = g_malloc (len + 2);

  /* "\0item\0" inside "\0" + the list: an exact item, never a part of one. */
  needle[0] = '\0';
  memcpy (needle + 1, item, len);
  needle[len + 1] = '\0';
  g_string_append_printf (sql, "position(concat('\\0', %s), ", s);
  seg_clickhouse_sql_append_string (sql, needle, (gssize) len + 2);
  g_string_append (sql, ")");
}

/* Appends a boolean expression: does the value pass @f (the local engine's cfilter_test). */
static gboolean
append_filter (Ctx             *ctx,
               GString         *sql,
               const SegFilter *f,
               const Value     *v,
               GError         **error)
{
  switch (f->op)
    {
    case SEG_OP_EXISTS:
      g_string_append_printf (sql, "(%s != 0)", v->t);
      return TRUE;
    case SEG_OP_NOT_EXISTS:
      g_string_append_printf (sql, "(%s = 0)", v->t);
      return TRUE;

    case SEG_OP_EQUALS:
    case SEG_OP_NOT_EQUALS:
      if (f->strings == NULL || f->strings[0] == NULL)
        {
          /* Equal to none of no values: never; different from all of them: any string. */
          if (f->op == SEG_OP_EQUALS)
            g_string_append (sql, "0");
          else
            g_string_append_printf (sql, "(%s = 1)", v->t);
          return TRUE;
        }
      g_string_append_printf (sql, "(%s = 1 AND %s %s (", v->t, v->s,
                              f->op == SEG_OP_EQUALS ? "IN" : "NOT IN");
      for (guint i = 0; f->strings[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (sql, ", ");
          lit (sql, f->strings[i]);
        }
      g_string_append (sql, "))");
      return TRUE;
    case SEG_OP_CONTAINS:
    case SEG_OP_NOT_CONTAINS:
      g_string_append_printf (sql, "(%s = 1 AND position(%s, ", v->t, v->s);
      lit (sql, f->strings[0]);
      g_string_append (sql, f->op == SEG_OP_CONTAINS ? ") > 0)" : ") = 0)");
      return TRUE;
    case SEG_OP_STARTS_WITH:
    case SEG_OP_ENDS_WITH:
      g_string_append_printf (sql, "(%s = 1 AND %s(%s, ", v->t,
                              f->op == SEG_OP_STARTS_WITH ? "startsWith" : "endsWith", v->s);
      lit (sql, f->strings[0]);
      g_string_append (sql, "))");
      return TRUE;
    case SEG_OP_MATCHES:
      {
        /* The local store's GRegex (PCRE) does not let "." match a newline; ClickHouse's
         * re2 does unless told otherwise. */
        g_autofree char *re = g_strconcat ("(?-s)", f->strings[0], NULL);
        g_string_append_printf (sql, "(%s = 1 AND match(%s, ", v->t, v->s);
        lit (sql, re);
        g_string_append (sql, "))");
        return TRUE;
      }
    case SEG_OP_IS_EMPTY:
      g_string_append_printf (sql, "(%s IN " TYPES_TEXT " AND %s = '')", v->t, v->s);
      return TRUE;

    case SEG_OP_LIST_CONTAINS:
    case SEG_OP_LIST_NOT_CONTAINS:
      {
        gboolean contains = f->op == SEG_OP_LIST_CONTAINS;

        /* A plain string is a list of one item. */
        g_string_append_printf (sql, "((%s = 5 AND ", v->t);
        append_list_has (sql, v->s, f->strings[0]);
        g_string_append_printf (sql, contains ? " > 0" : " = 0");
        g_string_append_printf (sql, ") OR (%s = 1 AND %s %s ", v->t, v->s, contains ? "=" : "!=");
        lit (sql, f->strings[0]);
        g_string_append (sql, "))");
        return TRUE;
      }
    case SEG_OP_SET_IS:
      if (f->strings == NULL || f->strings[0] == NULL)
        {
          g_string_append_printf (sql, "(%s = 5 AND %s = '')", v->t, v->s);
          return TRUE;
        }
      g_string_append_printf (sql, "(%s = 5 AND arrayAll(seg_i -> has(", v->t);
      seg_clickhouse_sql_append_string_array (sql, (const char * const *) f->strings);
      g_string_append (sql, ", seg_i), ");
      append_list_items (sql, v->s);
      g_string_append (sql, ") AND arrayAll(seg_i -> has(");
      append_list_items (sql, v->s);
      g_string_append (sql, ", seg_i), ");
      seg_clickhouse_sql_append_string_array (sql, (const char * const *) f->strings);
      g_string_append (sql, "))");
      return TRUE;

    case SEG_OP_EQ:
    case SEG_OP_NE:
    case SEG_OP_GT:
    case SEG_OP_GE:
    case SEG_OP_LT:
    case SEG_OP_LE:
    case SEG_OP_BETWEEN:
    case SEG_OP_NOT_BETWEEN:
      g_string_append_printf (sql, "(%s IN " TYPES_NUMERIC " AND ", v->t);
      if (!append_compare (sql, v->n, f->op, f->num, error))
        return FALSE;
      g_string_append_c (sql, ')');
      return TRUE;
    case SEG_OP_IS_TRUE:
    case SEG_OP_IS_FALSE:
      g_string_append_printf (sql, "(%s IN " TYPES_NUMERIC " AND %s %s 0)", v->t, v->n,
                              f->op == SEG_OP_IS_TRUE ? "!=" : "=");
      return TRUE;

    default:
      if (is_date_op (f->op))
        {
          gint64 lo, hi;

          date_range (ctx, f, &lo, &hi);
          g_string_append_printf (sql, "(%s IN " TYPES_NUMERIC, v->t);
          if (lo != G_MININT64)
            {
              g_string_append_printf (sql, " AND %s >= ", v->n);
              seg_clickhouse_sql_append_int (sql, lo);
            }
          if (hi != G_MAXINT64)
            {
              g_string_append_printf (sql, " AND %s <= ", v->n);
              seg_clickhouse_sql_append_int (sql, hi);
            }
          g_string_append_c (sql, ')');
          return TRUE;
        }
      g_string_append (sql, "0");
      return TRUE;
    }
}

/* " AND (filter)" for each filter of an event's where. */
static gboolean
append_where (Ctx        *ctx,
              GString    *sql,
              GPtrArray  *where,
              GError    **error)
{
  for (guint i = 0; where != NULL && i < where->len; i++)
    {
      const SegFilter *f = g_ptr_array_index (where, i);
      Value v = { NULL, };
      gboolean ok;

      value_init_event (&v, f->property);
      g_string_append (sql, " AND ");
      ok = append_filter (ctx, sql, f, &v, error);
      value_clear (&v);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static void
append_event_is (GString            *sql,
                 const char * const *events)
{
  if (events[1] == NULL)
    {
      g_string_append (sql, "event = ");
      lit (sql, events[0]);
      return;
    }
  g_string_append (sql, "event IN (");
  for (guint i = 0; events[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (sql, ", ");
      lit (sql, events[i]);
    }
  g_string_append_c (sql, ')');
}

/* "segment_id IN (...)" for @ids; no ids (a live definition no saved segment has) match
 * nothing. */
static void
append_live_ids (GString            *sql,
                 const char * const *ids)
{
  if (ids == NULL || ids[0] == NULL)
    {
      g_string_append (sql, "0");
      return;
    }
  g_string_append (sql, "segment_id IN (");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (sql, ", ");
      lit (sql, ids[i]);
    }
  g_string_append_c (sql, ')');
}

/* ---- user properties ---- */

/* Rows (user_id, key, seg_t, seg_s, seg_n) — without key for a single key — of the
 * current value of each of @keys of each user who has one. Ends in a HAVING clause that
 * callers may extend with " AND ...". */
static void
append_profile_values (GString            *sql,
                       const char * const *keys)
{
  g_string_append_printf (sql, "SELECT user_id, %sargMax(type, updated_ms) AS seg_t, "
                          "argMax(str, updated_ms) AS seg_s, argMax(num, updated_ms) AS seg_n "
                          "FROM profile_props WHERE ", keys[1] == NULL ? "" : "key, ");
  if (keys[1] == NULL)
    {
      g_string_append (sql, "key = ");
      lit (sql, keys[0]);
    }
  else
    {
      g_string_append (sql, "key IN ");
      g_string_append_c (sql, '(');
      for (guint i = 0; keys[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (sql, ", ");
          lit (sql, keys[i]);
        }
      g_string_append_c (sql, ')');
    }
  g_string_append (sql, keys[1] == NULL ? " GROUP BY user_id HAVING seg_t != 0"
                                        : " GROUP BY user_id, key HAVING seg_t != 0");
}

/* A profile value read as a boolean, as the local store reads "email_optin" or
 * "test_user": numbers are true unless 0; text is true for true/yes/1 and false for
 * false/no/0 (ASCII case-insensitive, up to a NUL byte as C compares), otherwise
 * neither. */
static void
append_profile_bool (GString  *sql,
                     gboolean  truth)
{
  g_string_append_printf (sql, "((seg_t IN " TYPES_NUMERIC " AND seg_n %s 0) OR "
                          "(seg_t IN " TYPES_TEXT " AND (lower(splitByChar('\\0', seg_s)[1]) IN %s "
                          "OR splitByChar('\\0', seg_s)[1] = '%s')))",
                          truth ? "!=" : "=", truth ? "('true', 'yes')" : "('false', 'no')",
                          truth ? "1" : "0");
}

static Part *
compile_user (Ctx            *ctx,
              const SegRule  *r,
              GError        **error)
{
  const char *keys[] = { r->user->property, NULL };
  GString *sql = g_string_new ("SELECT user_id FROM (");
  Value v = { NULL, };
  gboolean ok = TRUE;

  append_profile_values (sql, keys);
  g_string_append (sql, ")");
  /* Only "not_exists" holds for a missing value: it is the complement of "exists". */
  if (r->user->op == SEG_OP_NOT_EXISTS)
    return part_new (sql, TRUE);

  g_string_append (sql, " WHERE ");
  value_init_profile (&v);
  ok = append_filter (ctx, sql, r->user, &v, error);
  value_clear (&v);
  if (!ok)
    {
      g_string_free (sql, TRUE);
      return NULL;
    }
  return part_new (sql, FALSE);
}

static Part *
compile_near (Ctx            *ctx,
              const SegRule  *r,
              GError        **error)
{
  const char *keys[] = { "latitude", "longitude", NULL };
  GString *sql = g_string_new ("SELECT user_id FROM (SELECT user_id, "
                               "countIf(key = 'latitude') AS seg_has_lat, "
                               "countIf(key = 'longitude') AS seg_has_lon, "
                               "anyIf(seg_n, key = 'latitude') * pi() / 180 AS seg_lat, "
                               "anyIf(seg_n, key = 'longitude') * pi() / 180 AS seg_lon FROM (");
  double lat0 = r->lat * G_PI / 180, lon0 = r->lon * G_PI / 180;

  append_profile_values (sql, keys);
  /* The haversine distance on a sphere of 6371 km, as the local engine computes it. */
  g_string_append (sql, " AND seg_t IN " TYPES_NUMERIC ") GROUP BY user_id) "
                   "WHERE seg_has_lat > 0 AND seg_has_lon > 0 AND "
                   "2 * 6371. * asin(least(1., sqrt(pow(sin((seg_lat - ");
  if (!seg_clickhouse_sql_append_number (sql, lat0, error))
    goto fail;
  g_string_append (sql, ") / 2), 2) + cos(");
  if (!seg_clickhouse_sql_append_number (sql, lat0, error))
    goto fail;
  g_string_append (sql, ") * cos(seg_lat) * pow(sin((seg_lon - ");
  if (!seg_clickhouse_sql_append_number (sql, lon0, error))
    goto fail;
  g_string_append (sql, ") / 2), 2)))) <= ");
  if (!seg_clickhouse_sql_append_number (sql, r->km, error))
    goto fail;
  return part_new (sql, FALSE);

fail:
  g_string_free (sql, TRUE);
  return NULL;
}

static GString *
reachable_sql (Ctx        *ctx,
               SegChannel  channel)
{
  GString *sql;

  if (channel == SEG_CHANNEL_IN_APP)
    {
      gint64 lo;

      seg_time_last_bounds (30, SEG_TIME_UNIT_DAYS, ctx->p->tz, ctx->now, &lo);
      sql = g_string_new ("SELECT user_id FROM events WHERE 1");
      append_range (sql, "ts_ms", lo, ctx->now);
      g_string_append (sql, " GROUP BY user_id");
      return sql;
    }
  else
    {
      static const char *addr[] = { "email", "push_token", "phone", "phone" };
      static const char *optin[] = { "email_optin", "push_optin", "sms_optin", "whatsapp_optin" };
      const char *keys[] = { addr[channel], optin[channel], NULL };

      sql = g_string_new ("SELECT user_id FROM (");
      append_profile_values (sql, keys);
      g_string_append (sql, ") GROUP BY user_id HAVING countIf(key = ");
      lit (sql, addr[channel]);
      g_string_append (sql, " AND (seg_t IN " TYPES_NUMERIC " OR seg_s != '')) > 0 AND countIf(key = ");
      lit (sql, optin[channel]);
      g_string_append (sql, " AND ");
      /* WhatsApp needs a yes; the others only no no. */
      append_profile_bool (sql, channel == SEG_CHANNEL_WHATSAPP);
      g_string_append (sql, channel == SEG_CHANNEL_WHATSAPP ? ") > 0" : ") = 0");
      return sql;
    }
}

static GString *
test_users_sql (void)
{
  const char *keys[] = { "test_user", NULL };
  GString *sql = g_string_new ("SELECT user_id FROM (");

  append_profile_values (sql, keys);
  g_string_append (sql, ") WHERE ");
  append_profile_bool (sql, TRUE);
  return sql;
}

static GString *
universe_sql (void)
{
  /* Everyone with an event or a profile row, as the local store's user table. */
  return g_string_new ("SELECT DISTINCT user_id FROM (SELECT user_id FROM events "
                       "UNION ALL SELECT user_id FROM profile_props)");
}

/* ---- events ---- */

static gboolean
append_aggregate_value (GString            *sql,
                        const SegAggregate *agg,
                        gboolean            validity)
{
  Value v = { NULL, };

  if (agg->fn == SEG_AGG_COUNT)
    {
      if (!validity)
        g_string_append (sql, "count()");
      return FALSE;
    }

  value_init_event (&v, agg->property);
  switch (agg->fn)
    {
    case SEG_AGG_SUM:
      if (!validity)
        g_string_append_printf (sql, "sumIf(%s, %s IN " TYPES_NUMERIC ")", v.n, v.t);
      value_clear (&v);
      return FALSE;
    case SEG_AGG_AVG:
    case SEG_AGG_MIN:
    case SEG_AGG_MAX:
      /* A user whose events all lack the property has no value: not a doer. */
      if (validity)
        g_string_append_printf (sql, "countIf(%s IN " TYPES_NUMERIC ") > 0", v.t);
      else if (agg->fn == SEG_AGG_AVG)
        g_string_append_printf (sql, "(sumIf(%s, %s IN " TYPES_NUMERIC ") / countIf(%s IN "
                                TYPES_NUMERIC "))", v.n, v.t, v.t);
      else
        g_string_append_printf (sql, "%sIf(%s, %s IN " TYPES_NUMERIC ")",
                                agg->fn == SEG_AGG_MIN ? "min" : "max", v.n, v.t);
      value_clear (&v);
      return TRUE;
    case SEG_AGG_DISTINCT:
    default:
      if (!validity)
        g_string_append_printf (sql, "(uniqExactIf(%s, %s IN " TYPES_NUMERIC ") + "
                                "uniqExactIf(%s, %s IN " TYPES_TEXT "))", v.n, v.t, v.s, v.t);
      value_clear (&v);
      return FALSE;
    }
}

static Part *
compile_did (Ctx            *ctx,
             const SegRule  *r,
             GError        **error)
{
  GString *sql = g_string_new ("SELECT user_id FROM events WHERE ");
  gboolean negated = r->kind == SEG_RULE_DID_NOT;
  gint64 lo, hi;

  seg_time_window_bounds (&r->when, ctx->p->tz, ctx->now, &lo, &hi);
  append_event_is (sql, (const char * const *) r->events);

  if (r->occurrence != SEG_OCCURRENCE_ANY)
    {
      /* The first (last) such event up to now falls in the window. */
      const char *fn = r->occurrence == SEG_OCCURRENCE_FIRST ? "min" : "max";

      g_string_append (sql, " AND ts_ms <= ");
      seg_clickhouse_sql_append_int (sql, ctx->now);
      if (!append_where (ctx, sql, r->where, error))
        goto fail;
      g_string_append (sql, " GROUP BY user_id HAVING 1");
      if (lo != G_MININT64)
        {
          g_string_append_printf (sql, " AND %s(ts_ms) >= ", fn);
          seg_clickhouse_sql_append_int (sql, lo);
        }
      g_string_append_printf (sql, " AND %s(ts_ms) <= ", fn);
      seg_clickhouse_sql_append_int (sql, hi);
    }
  else if (r->aggregate != NULL)
    {
      const SegAggregate *agg = r->aggregate;
      g_autoptr(GString) value = g_string_new (NULL);
      g_autoptr(GString) valid = g_string_new (NULL);
      double zero = 0;
      gboolean zero_ok;

      /* compare (op, 0, value) of the engine, for include_non_doers. */
      switch (agg->op)
        {
        case SEG_OP_EQ: zero_ok = zero == agg->value[0]; break;
        case SEG_OP_NE: zero_ok = zero != agg->value[0]; break;
        case SEG_OP_GT: zero_ok = zero > agg->value[0]; break;
        case SEG_OP_GE: zero_ok = zero >= agg->value[0]; break;
        case SEG_OP_LT: zero_ok = zero < agg->value[0]; break;
        case SEG_OP_LE: zero_ok = zero <= agg->value[0]; break;
        case SEG_OP_BETWEEN: zero_ok = zero >= agg->value[0] && zero <= agg->value[1]; break;
        case SEG_OP_NOT_BETWEEN: zero_ok = zero < agg->value[0] || zero > agg->value[1]; break;
        default: zero_ok = FALSE; break;
        }
      zero_ok = zero_ok && agg->include_non_doers;

      append_range (sql, "ts_ms", lo, hi);
      if (!append_where (ctx, sql, r->where, error))
        goto fail;
      g_string_append (sql, " GROUP BY user_id HAVING ");
      append_aggregate_value (value, agg, FALSE);
      if (append_aggregate_value (valid, agg, TRUE))
        g_string_append_printf (sql, "%s AND ", valid->str);
      /* With include_non_doers and 0 passing, the members are everyone but the doers
       * whose value fails: the complement of those. */
      if (zero_ok)
        g_string_append (sql, "NOT ");
      g_string_append_c (sql, '(');
      if (!append_compare (sql, value->str, agg->op, agg->value, error))
        goto fail;
      g_string_append_c (sql, ')');
      negated = zero_ok;
    }
  else
    {
      Part *part;

      append_range (sql, "ts_ms", lo, hi);
      if (!append_where (ctx, sql, r->where, error))
        goto fail;
      part = part_new (sql, negated);
      part->rows = g_string_new (sql->str);
      g_string_append (sql, " GROUP BY user_id");
      return part;
    }
  return part_new (sql, negated);

fail:
  g_string_free (sql, TRUE);
  return NULL;
}

/* The window of first events that a sequence rule looks at. */
static void
sequence_first_bounds (Ctx           *ctx,
                       const SegRule *r,
                       gint64        *lo,
                       gint64        *hi)
{
  seg_time_window_bounds (&r->when, ctx->p->tz, ctx->now, lo, hi);
  if (r->negate)
    *hi = MIN (*hi, ctx->now - r->within_n * seg_time_unit_ms (r->within_unit));
}

static Part *
compile_sequence (Ctx            *ctx,
                  const SegRule  *r,
                  GError        **error)
{
  gint64 within = r->within_n * seg_time_unit_ms (r->within_unit);
  GString *sql = g_string_new (NULL);
  g_autoptr(GString) first = g_string_new (NULL);
  g_autoptr(GString) then = g_string_new (NULL);
  gint64 lo, hi, then_hi;

  /* A negated sequence only looks at first events whose waiting time is over. */
  sequence_first_bounds (ctx, r, &lo, &hi);
  then_hi = MIN (hi + within, ctx->now);

  /* The first step's times in the window, the second step's up to now. */
  g_string_append (first, "event = ");
  lit (first, r->first.event);
  append_range (first, "ts_ms", lo, hi);
  if (!append_where (ctx, first, r->first.where, error))
    goto fail;
  g_string_append (then, "event = ");
  lit (then, r->then.event);
  if (lo != G_MININT64)
    {
      g_string_append (then, " AND ts_ms > ");
      seg_clickhouse_sql_append_int (then, lo);
    }
  g_string_append (then, " AND ts_ms <= ");
  seg_clickhouse_sql_append_int (then, then_hi);
  if (!append_where (ctx, then, r->then.where, error))
    goto fail;

  /* Some first event x with (not) some then event y, x < y <= x + within. ClickHouse
   * 18.16 only lets a lambda see a column that the query also names outside lambdas:
   * hence length(seg_b). */
  g_string_append_printf (sql, "SELECT user_id FROM (SELECT user_id, "
                          "groupArrayIf(ts_ms, %s) AS seg_a, groupArrayIf(ts_ms, %s) AS seg_b "
                          "FROM events WHERE (%s) OR (%s) GROUP BY user_id) "
                          "WHERE notEmpty(seg_a) AND length(seg_b) >= 0 AND "
                          "arrayExists(seg_x -> %sarrayExists("
                          "seg_y -> seg_y > seg_x AND seg_y <= seg_x + ",
                          first->str, then->str, first->str, then->str, r->negate ? "NOT " : "");
  seg_clickhouse_sql_append_int (sql, within);
  g_string_append (sql, ", seg_b), seg_a)");
  return part_new (sql, FALSE);

fail:
  g_string_free (sql, TRUE);
  return NULL;
}

/* ---- combining sets ---- */

static GString *
union_sql (GPtrArray *parts)
{
  GString *sql;

  if (parts->len == 1)
    return g_string_new (((Part *) g_ptr_array_index (parts, 0))->sql->str);
  sql = g_string_new ("SELECT DISTINCT user_id FROM (");
  for (guint i = 0; i < parts->len; i++)
    {
      if (i > 0)
        g_string_append (sql, " UNION ALL ");
      g_string_append_printf (sql, "SELECT user_id FROM (%s)",
                              ((Part *) g_ptr_array_index (parts, i))->sql->str);
    }
  g_string_append_c (sql, ')');
  return sql;
}

/* AND of @parts (taken). */
static Part *
combine_all (GPtrArray *parts)
{
  g_autoptr(GPtrArray) pos = g_ptr_array_new ();
  g_autoptr(GPtrArray) neg = g_ptr_array_new ();
  g_autoptr(GString) filters = NULL;
  GString *sql;
  Part *driver, *result;
  gboolean first = TRUE;

  if (parts->len == 1)
    return g_ptr_array_steal_index (parts, 0);

  for (guint i = 0; i < parts->len; i++)
    {
      Part *part = g_ptr_array_index (parts, i);
      g_ptr_array_add (part->negated ? neg : pos, part);
    }

  /* Without a positive set, "not A and not B" is "not (A or B)". */
  if (pos->len == 0)
    return part_new (union_sql (neg), TRUE);

  /* The first positive set drives; the others filter it. */
  filters = g_string_new (NULL);
  for (guint l = 0; l < 2; l++)
    {
      GPtrArray *list = l == 0 ? pos : neg;
      for (guint i = l == 0 ? 1 : 0; i < list->len; i++)
        {
          g_autofree char *in = part_in_sql (g_ptr_array_index (list, i));

          g_string_append_printf (filters, "%suser_id %s (%s)", first ? "" : " AND ",
                                  l == 0 ? "IN" : "NOT IN", in);
          first = FALSE;
        }
    }
  driver = g_ptr_array_index (pos, 0);
  sql = g_string_new (NULL);
  g_string_append_printf (sql, "SELECT user_id FROM (%s) WHERE %s", driver->sql->str, filters->str);
  result = part_new (sql, FALSE);
  if (driver->rows != NULL)
    {
      result->rows = g_string_new (NULL);
      g_string_append_printf (result->rows, "SELECT user_id FROM (%s) WHERE %s",
                              driver->rows->str, filters->str);
    }
  return result;
}

/* OR of @parts (taken). */
static Part *
combine_any (GPtrArray *parts)
{
  gboolean any_negated = FALSE;
  Part *result;

  if (parts->len == 1)
    return g_ptr_array_steal_index (parts, 0);

  for (guint i = 0; i < parts->len; i++)
    any_negated |= ((Part *) g_ptr_array_index (parts, i))->negated;
  if (!any_negated)
    return part_new (union_sql (parts), FALSE);

  /* "A or not B" is "not (not A and B)". */
  for (guint i = 0; i < parts->len; i++)
    ((Part *) g_ptr_array_index (parts, i))->negated ^= TRUE;
  result = combine_all (parts);
  result->negated ^= TRUE;
  return result;
}

/* A live segment's members: who qualified for it (table live_memberships), not a question
 * over past events. */
static GString *
live_members_sql (const char * const *ids)
{
  GString *sql = g_string_new ("SELECT DISTINCT user_id FROM live_memberships WHERE ");

  append_live_ids (sql, ids);
  return sql;
}

static Part *compile_definition (Ctx            *ctx,
                                 SegDefinition  *def,
                                 GError        **error);

/* In an "all" group, a plain "did E in W" (no filter, count or occurrence) is implied by
 * a sibling sequence whose first step is E within W: every member of the sequence did E
 * in W. Leaving it out saves a scan of E's events, as a person writing the SQL would. */
static gboolean
implied_by_sibling (Ctx           *ctx,
                    const SegRule *r,
                    GPtrArray     *siblings)
{
  gint64 lo, hi;

  if (r->kind != SEG_RULE_DID || r->occurrence != SEG_OCCURRENCE_ANY || r->aggregate != NULL
      || (r->where != NULL && r->where->len > 0) || r->events == NULL || r->events[0] == NULL)
    return FALSE;
  seg_time_window_bounds (&r->when, ctx->p->tz, ctx->now, &lo, &hi);
  for (guint i = 0; i < siblings->len; i++)
    {
      const SegRule *s = g_ptr_array_index (siblings, i);
      gint64 slo, shi;

      if (s == r || s->kind != SEG_RULE_SEQUENCE
          || !g_strv_contains ((const char * const *) r->events, s->first.event))
        continue;
      sequence_first_bounds (ctx, s, &slo, &shi);
      if (slo >= lo && shi <= hi)
        return TRUE;
    }
  return FALSE;
}

static Part *
compile_rule (Ctx            *ctx,
              const SegRule  *r,
              GError        **error)
{
  switch (r->kind)
    {
    case SEG_RULE_GROUP:
      {
        g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
        Part *result;

        for (guint i = 0; i < r->children->len; i++)
          {
            Part *child;

            if (!r->any && implied_by_sibling (ctx, g_ptr_array_index (r->children, i), r->children))
              continue;
            child = compile_rule (ctx, g_ptr_array_index (r->children, i), error);
            if (child == NULL)
              return NULL;
            g_ptr_array_add (parts, child);
          }
        result = r->any ? combine_any (parts) : combine_all (parts);
        /* combine_* took some parts out; the rest were copied into the result. */
        return result;
      }
    case SEG_RULE_DID:
    case SEG_RULE_DID_NOT:
    case SEG_RULE_DID_ANY:
      return compile_did (ctx, r, error);
    case SEG_RULE_USER:
      return compile_user (ctx, r, error);
    case SEG_RULE_NEAR:
      return compile_near (ctx, r, error);
    case SEG_RULE_REACHABLE:
      return part_new (reachable_sql (ctx, r->channel), FALSE);
    case SEG_RULE_SEQUENCE:
    default:
      return compile_sequence (ctx, r, error);
    }
}

static Part *
compile_segment_id (Ctx         *ctx,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(SegDefinition) def = NULL;
  SegSegmentKind kind;
  Part *part;

  for (guint i = 0; i < ctx->stack->len; i++)
    if (g_str_equal (g_ptr_array_index (ctx->stack, i), id))
      {
        g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID,
                     _("segment “%s” includes or excludes itself"), id);
        return NULL;
      }
  if (ctx->p->resolve == NULL || !ctx->p->resolve (id, &kind, &def, ctx->p->resolve_data))
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND,
                   _("there is no segment “%s”"), id);
      return NULL;
    }
  if (kind == SEG_SEGMENT_KIND_SYSTEM || def == NULL)
    {
      if (g_str_equal (id, SEG_SEGMENT_ID_TEST_USERS))
        return part_new (test_users_sql (), FALSE);
      return part_new (universe_sql (), FALSE);
    }
  if (kind == SEG_SEGMENT_KIND_LIVE)
    {
      const char *one[] = { id, NULL };
      return part_new (live_members_sql (one), FALSE);
    }
  g_ptr_array_add (ctx->stack, (gpointer) id);
  part = compile_definition (ctx, def, error);
  g_ptr_array_remove_index (ctx->stack, ctx->stack->len - 1);
  return part;
}

static Part *
compile_definition (Ctx            *ctx,
                    SegDefinition  *def,
                    GError        **error)
{
  const SegRule *match = seg_definition_get_match (def);
  const char * const *inc = seg_definition_get_include (def);
  const char * const *exc = seg_definition_get_exclude (def);
  const char * const *users = seg_definition_get_users (def);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);

  if (seg_definition_get_trigger (def) != NULL)
    g_ptr_array_add (parts, part_new (live_members_sql (ctx->p->live_ids), FALSE));
  else if (users != NULL)
    {
      /* A custom list: those of its users the store knows. */
      GString *sql = universe_sql ();

      g_string_prepend (sql, "SELECT user_id FROM (");
      if (users[0] == NULL)
        g_string_append (sql, ") WHERE 0");
      else
        {
          g_string_append (sql, ") WHERE user_id IN (");
          for (guint i = 0; users[i] != NULL; i++)
            {
              if (i > 0)
                g_string_append (sql, ", ");
              lit (sql, users[i]);
            }
          g_string_append_c (sql, ')');
        }
      g_ptr_array_add (parts, part_new (sql, FALSE));
    }
  else if (match != NULL)
    {
      Part *part = compile_rule (ctx, match, error);
      if (part == NULL)
        return NULL;
      g_ptr_array_add (parts, part);
    }
  else if ((inc == NULL || inc[0] == NULL) && (exc == NULL || exc[0] == NULL))
    g_ptr_array_add (parts, part_new (universe_sql (), FALSE));

  for (guint l = 0; l < 2; l++)
    {
      const char * const *ids = l == 0 ? inc : exc;
      for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
        {
          Part *part = compile_segment_id (ctx, ids[i], error);
          if (part == NULL)
            return NULL;
          if (l == 1)
            part->negated ^= TRUE;
          g_ptr_array_add (parts, part);
        }
    }
  return combine_all (parts);
}

/* ---- public ---- */

/**
 * seg_clickhouse_compile_members:
 * @params: the timezone, "now" and saved segments
 * @definition: a valid definition
 *
 * Returns: (transfer full): a SELECT of the members' user_id, one row each, in no
 *   particular order; or %NULL with @error set (an included segment is missing or
 *   includes itself)
 */
char *
seg_clickhouse_compile_members (const SegClickhouseCompileParams  *params,
                                SegDefinition                     *definition,
                                GError                           **error)
{
  Ctx ctx;
  Part *part;
  char *sql;

  g_return_val_if_fail (params != NULL && params->tz != NULL, NULL);
  g_return_val_if_fail (definition != NULL, NULL);

  ctx_init (&ctx, params, params->now_ms);
  part = compile_definition (&ctx, definition, error);
  ctx_clear (&ctx);
  if (part == NULL)
    return NULL;

  if (part->negated)
    {
      GString *all = universe_sql ();
      g_autofree char *in = part_in_sql (part);

      g_string_prepend (all, "SELECT user_id FROM (");
      g_string_append_printf (all, ") WHERE user_id NOT IN (%s)", in);
      sql = g_string_free (all, FALSE);
    }
  else
    sql = g_string_free (g_steal_pointer (&part->sql), FALSE);
  part_free (part);
  return sql;
}

/**
 * seg_clickhouse_compile_member_rows:
 * @params: the timezone, "now" and saved segments
 * @definition: a valid definition
 * @distinct: (out): whether each member comes once
 *
 * The members for counting: when *@distinct is %FALSE, a member may come more than once
 * and is counted with uniqExact(user_id), which is cheaper than the GROUP BY that would
 * make the rows distinct for count().
 *
 * Returns: (transfer full): a SELECT of the members' user_id, or %NULL with @error set
 */
char *
seg_clickhouse_compile_member_rows (const SegClickhouseCompileParams  *params,
                                    SegDefinition                     *definition,
                                    gboolean                          *distinct,
                                    GError                           **error)
{
  Ctx ctx;
  Part *part;
  char *sql;

  g_return_val_if_fail (params != NULL && params->tz != NULL, NULL);
  g_return_val_if_fail (definition != NULL && distinct != NULL, NULL);

  ctx_init (&ctx, params, params->now_ms);
  part = compile_definition (&ctx, definition, error);
  ctx_clear (&ctx);
  if (part == NULL)
    return NULL;

  *distinct = part->negated || part->rows == NULL;
  if (part->negated)
    {
      GString *all = universe_sql ();
      g_autofree char *in = part_in_sql (part);

      g_string_prepend (all, "SELECT user_id FROM (");
      g_string_append_printf (all, ") WHERE user_id NOT IN (%s)", in);
      sql = g_string_free (all, FALSE);
    }
  else if (part->rows != NULL)
    sql = g_strdup (part->rows->str);
  else
    sql = g_strdup (part->sql->str);
  part_free (part);
  return sql;
}

/**
 * seg_clickhouse_compile_universe:
 *
 * Returns: (transfer full): a SELECT of every user_id of the store (All Users)
 */
char *
seg_clickhouse_compile_universe (void)
{
  return g_string_free (universe_sql (), FALSE);
}

/**
 * seg_clickhouse_compile_reachable:
 *
 * Returns: (transfer full): a SELECT of the user_id of everyone reachable on @channel
 */
char *
seg_clickhouse_compile_reachable (const SegClickhouseCompileParams *params,
                                  SegChannel                        channel)
{
  Ctx ctx;
  GString *sql;

  g_return_val_if_fail (params != NULL && params->tz != NULL, NULL);
  g_return_val_if_fail (channel < SEG_N_CHANNELS, NULL);

  ctx_init (&ctx, params, params->now_ms);
  sql = reachable_sql (&ctx, channel);
  ctx_clear (&ctx);
  return g_string_free (sql, FALSE);
}

/**
 * seg_clickhouse_compile_test_users:
 *
 * Returns: (transfer full): a SELECT of the user_id of the Test Users segment
 */
char *
seg_clickhouse_compile_test_users (void)
{
  return g_string_free (test_users_sql (), FALSE);
}

/* The index of the day (between @bounds) that ts_ms falls on. */
static void
append_day_of_ts (GString      *sql,
                  const gint64 *bounds,
                  guint         n_days)
{
  gboolean even = TRUE;

  for (guint i = 1; i <= n_days; i++)
    if (bounds[i] - bounds[i - 1] != 86400000)
      even = FALSE;
  if (n_days == 1)
    g_string_append (sql, "toUInt32(0)");
  else if (even)
    {
      /* Days of 24 hours (no daylight saving change in the range): an offset and a
       * division, much cheaper than comparing each row with every bound; a 16-bit day
       * lets ClickHouse aggregate into a plain array instead of a hash table. */
      g_string_append (sql, n_days <= G_MAXUINT16 ? "toUInt16(intDiv(ts_ms - " : "toUInt32(intDiv(ts_ms - ");
      seg_clickhouse_sql_append_int (sql, bounds[0]);
      g_string_append (sql, ", 86400000))");
    }
  else
    {
      g_string_append (sql, "toUInt32(arrayCount(seg_d -> seg_d <= ts_ms, [");
      for (guint i = 1; i < n_days; i++)
        {
          if (i > 1)
            g_string_append (sql, ", ");
          seg_clickhouse_sql_append_int (sql, bounds[i]);
        }
      g_string_append (sql, "]))");
    }
}

/**
 * seg_clickhouse_compile_daily_trend:
 * @bounds: the midnights of the days and of the day after the last (@n_days + 1 values)
 * @n_days: the number of days, at least 1
 *
 * A trend whose every day can be counted in one pass: a definition that is only "did E
 * [where] today". Each day's members are that day's distinct doers, with the filters'
 * relative dates taken at @params's now (as the local store does).
 *
 * Returns: (transfer full) (nullable): a SELECT of rows (day, n), day the index from 0,
 *   days without members left out; %NULL when the definition needs a query per day
 */
char *
seg_clickhouse_compile_daily_trend (const SegClickhouseCompileParams  *params,
                                    SegDefinition                     *definition,
                                    const gint64                      *bounds,
                                    guint                              n_days,
                                    GError                           **error)
{
  const SegRule *r;
  GString *sql;
  Ctx ctx;
  gboolean ok;

  g_return_val_if_fail (params != NULL && params->tz != NULL, NULL);
  g_return_val_if_fail (bounds != NULL && n_days > 0, NULL);

  /* A live segment's trend: the users who qualified on each day. */
  if (seg_definition_get_trigger (definition) != NULL)
    {
      sql = g_string_new ("SELECT ");
      append_day_of_ts (sql, bounds, n_days);
      g_string_append (sql, " AS day, uniqExact(user_id) AS n FROM live_memberships WHERE ");
      append_live_ids (sql, params->live_ids);
      append_range (sql, "ts_ms", bounds[0], MIN (bounds[n_days] - 1, params->now_ms));
      g_string_append (sql, " GROUP BY day ORDER BY day");
      return g_string_free (sql, FALSE);
    }

  r = seg_definition_get_daily_did (definition);
  if (r == NULL)
    return NULL;

  sql = g_string_new ("SELECT ");
  append_day_of_ts (sql, bounds, n_days);
  g_string_append (sql, " AS day, uniqExact(user_id) AS n FROM events WHERE ");
  append_event_is (sql, (const char * const *) r->events);
  append_range (sql, "ts_ms", bounds[0], MIN (bounds[n_days] - 1, params->now_ms));

  ctx_init (&ctx, params, params->now_ms);
  ok = append_where (&ctx, sql, r->where, error);
  ctx_clear (&ctx);
  if (!ok)
    {
      g_string_free (sql, TRUE);
      return NULL;
    }
  g_string_append (sql, " GROUP BY day ORDER BY day");
  return g_string_free (sql, FALSE);
}
