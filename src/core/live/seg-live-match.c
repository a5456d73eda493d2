/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-match"

#define _GNU_SOURCE
#include "config.h"

#include <math.h>
#include <string.h>

#include "seg-live-match.h"
#include "seg-time.h"

typedef struct
{
  const SegFilter *f;
  GRegex          *regex;      /* matches */
  gint64           lo, hi;     /* on, before, after, date_between: parsed bounds */
} Compiled;

struct _SegLiveMatch
{
  GTimeZone *tz;
  guint      n;
  Compiled  *filters;
};

/**
 * seg_live_match_new:
 * @where: (element-type SegFilter): filters, borrowed; they must outlive the match
 * @tz: the store's timezone, for calendar days
 *
 * Returns: (transfer full): the compiled filters
 */
SegLiveMatch *
seg_live_match_new (GPtrArray *where,
                    GTimeZone *tz)
{
  SegLiveMatch *self = g_new0 (SegLiveMatch, 1);

  self->tz = g_time_zone_ref (tz);
  self->n = where != NULL ? where->len : 0;
  self->filters = g_new0 (Compiled, self->n);
  for (guint i = 0; i < self->n; i++)
    {
      Compiled *c = &self->filters[i];
      gint64 lo, hi;

      c->f = g_ptr_array_index (where, i);
      if (c->f->op == SEG_OP_MATCHES && c->f->strings != NULL)
        c->regex = g_regex_new (c->f->strings[0], G_REGEX_OPTIMIZE, 0, NULL);
      switch (c->f->op)
        {
        case SEG_OP_ON:
          if (seg_time_parse_date (tz, c->f->dates[0], &lo, &hi))
            c->lo = lo, c->hi = hi;
          break;
        case SEG_OP_BEFORE:
          if (seg_time_parse_date (tz, c->f->dates[0], &lo, &hi))
            c->lo = G_MININT64, c->hi = lo - 1;
          break;
        case SEG_OP_AFTER:
          if (seg_time_parse_date (tz, c->f->dates[0], &lo, &hi))
            c->lo = hi + 1, c->hi = G_MAXINT64;
          break;
        case SEG_OP_DATE_BETWEEN:
          if (seg_time_parse_date (tz, c->f->dates[0], &lo, &hi))
            c->lo = lo;
          if (seg_time_parse_date (tz, c->f->dates[1], &lo, &hi))
            c->hi = hi;
          break;
        default:
          break;
        }
    }
  return self;
}

void
seg_live_match_free (SegLiveMatch *self)
{
  for (guint i = 0; i < self->n; i++)
    g_clear_pointer (&self->filters[i].regex, g_regex_unref);
  g_free (self->filters);
  g_time_zone_unref (self->tz);
  g_free (self);
}

gboolean
seg_live_match_is_empty (const SegLiveMatch *self)
{
  return self->n == 0;
}

/**
 * seg_live_record_find_prop:
 * @record: a record
 * @key: a property name
 *
 * Returns: (nullable): the property, or %NULL if the record does not carry it
 */
const SegPropValue *
seg_live_record_find_prop (const SegRecord *record,
                           const char      *key)
{
  for (guint i = 0; i < record->n_props; i++)
    if (strcmp (record->props[i].key, key) == 0)
      return &record->props[i];
  return NULL;
}

/**
 * seg_live_prop_to_ms:
 * @value: a property value
 * @tz: timezone of dates written without one
 * @ms: (out): the instant
 *
 * Reads a date: a date value, an ISO-8601 date or date-time string, or a number of epoch
 * seconds (below 10^11) or milliseconds.
 *
 * Returns: whether @value holds a date
 */
gboolean
seg_live_prop_to_ms (const SegPropValue *value,
                     GTimeZone          *tz,
                     gint64             *ms)
{
  switch (value->type)
    {
    case SEG_VALUE_TYPE_DATE:
      *ms = (gint64) value->num;
      return TRUE;
    case SEG_VALUE_TYPE_NUMBER:
      *ms = fabs (value->num) < 1e11 ? (gint64) (value->num * 1000) : (gint64) value->num;
      return TRUE;
    case SEG_VALUE_TYPE_STRING:
      {
        char buf[64];
        gint64 end;
        if (value->str_len == 0 || value->str_len >= sizeof buf)
          return FALSE;
        memcpy (buf, value->str, value->str_len);
        buf[value->str_len] = '\0';
        return seg_time_parse_date (tz, buf, ms, &end);
      }
    case SEG_VALUE_TYPE_NONE:
    case SEG_VALUE_TYPE_BOOLEAN:
    case SEG_VALUE_TYPE_LIST:
    default:
      return FALSE;
    }
}

static gboolean
str_eq (const SegPropValue *v,
        const char         *s)
{
  gsize len = strlen (s);

  return v->str_len == len && memcmp (v->str, s, len) == 0;
}

static gboolean
list_has (const SegPropValue *v,
          const char         *s)
{
  const char *p = v->str;
  const char *end = v->str + v->str_len;

  while (p < end)
    {
      if (strcmp (p, s) == 0)
        return TRUE;
      p += strlen (p) + 1;
    }
  return FALSE;
}

static guint
list_len (const SegPropValue *v)
{
  const char *p = v->str;
  const char *end = v->str + v->str_len;
  guint n = 0;

  while (p < end)
    {
      n++;
      p += strlen (p) + 1;
    }
  return n;
}

static gboolean
match_one (const SegLiveMatch *self,
           const Compiled     *c,
           const SegRecord    *record,
           gint64              now_ms)
{
  const SegFilter *f = c->f;
  const SegPropValue *v = seg_live_record_find_prop (record, f->property);
  gboolean is_str;
  double num;
  gint64 ms;

  if (f->op == SEG_OP_NOT_EXISTS)
    return v == NULL || v->type == SEG_VALUE_TYPE_NONE;
  if (v == NULL || v->type == SEG_VALUE_TYPE_NONE)
    return FALSE;
  if (f->op == SEG_OP_EXISTS)
    return TRUE;

  is_str = v->type == SEG_VALUE_TYPE_STRING;
  num = v->num;
  switch (f->op)
    {
    case SEG_OP_EQUALS:
    case SEG_OP_NOT_EQUALS:
      {
        gboolean any = FALSE;
        if (!is_str)
          return FALSE;
        for (guint i = 0; f->strings != NULL && f->strings[i] != NULL && !any; i++)
          any = str_eq (v, f->strings[i]);
        return f->op == SEG_OP_EQUALS ? any : !any;
      }
    case SEG_OP_CONTAINS:
    case SEG_OP_NOT_CONTAINS:
      {
        gboolean has;
        if (!is_str)
          return FALSE;
        has = memmem (v->str, v->str_len, f->strings[0], strlen (f->strings[0])) != NULL;
        return f->op == SEG_OP_CONTAINS ? has : !has;
      }
    case SEG_OP_STARTS_WITH:
      {
        gsize n = strlen (f->strings[0]);
        return is_str && v->str_len >= n && memcmp (v->str, f->strings[0], n) == 0;
      }
    case SEG_OP_ENDS_WITH:
      {
        gsize n = strlen (f->strings[0]);
        return is_str && v->str_len >= n && memcmp (v->str + v->str_len - n, f->strings[0], n) == 0;
      }
    case SEG_OP_MATCHES:
      return is_str && c->regex != NULL &&
             g_regex_match_full (c->regex, v->str, v->str_len, 0, 0, NULL, NULL);
    case SEG_OP_IS_EMPTY:
      return (is_str || v->type == SEG_VALUE_TYPE_LIST) && v->str_len == 0;
    case SEG_OP_EQ:
    case SEG_OP_NE:
    case SEG_OP_GT:
    case SEG_OP_GE:
    case SEG_OP_LT:
    case SEG_OP_LE:
    case SEG_OP_BETWEEN:
    case SEG_OP_NOT_BETWEEN:
      if (v->type != SEG_VALUE_TYPE_NUMBER)
        return FALSE;
      switch (f->op)
        {
        case SEG_OP_EQ: return num == f->num[0];
        case SEG_OP_NE: return num != f->num[0];
        case SEG_OP_GT: return num > f->num[0];
        case SEG_OP_GE: return num >= f->num[0];
        case SEG_OP_LT: return num < f->num[0];
        case SEG_OP_LE: return num <= f->num[0];
        case SEG_OP_BETWEEN: return num >= f->num[0] && num <= f->num[1];
        case SEG_OP_NOT_BETWEEN:
        default: return num < f->num[0] || num > f->num[1];
        }
    case SEG_OP_IS_TRUE:
      return (v->type == SEG_VALUE_TYPE_BOOLEAN && num != 0) || (is_str && str_eq (v, "true"));
    case SEG_OP_IS_FALSE:
      return (v->type == SEG_VALUE_TYPE_BOOLEAN && num == 0) || (is_str && str_eq (v, "false"));
    case SEG_OP_ON:
    case SEG_OP_BEFORE:
    case SEG_OP_AFTER:
    case SEG_OP_DATE_BETWEEN:
      return seg_live_prop_to_ms (v, self->tz, &ms) && ms >= c->lo && ms <= c->hi;
    case SEG_OP_IN_LAST:
      {
        gint64 lo;
        if (!seg_live_prop_to_ms (v, self->tz, &ms))
          return FALSE;
        seg_time_last_bounds ((gint64) f->num[0], f->unit, self->tz, now_ms, &lo);
        return ms >= lo && ms <= now_ms;
      }
    case SEG_OP_MORE_THAN_DAYS_AGO:
      return seg_live_prop_to_ms (v, self->tz, &ms) &&
             (gint64) seg_time_day_of (self->tz, ms) <
               (gint64) seg_time_day_of (self->tz, now_ms) - (gint64) f->num[0];
    case SEG_OP_DAYS_FROM_TODAY:
      return seg_live_prop_to_ms (v, self->tz, &ms) &&
             (gint64) seg_time_day_of (self->tz, ms) ==
               (gint64) seg_time_day_of (self->tz, now_ms) + (gint64) f->num[0];
    case SEG_OP_LIST_CONTAINS:
    case SEG_OP_LIST_NOT_CONTAINS:
      {
        gboolean has;
        if (v->type != SEG_VALUE_TYPE_LIST)
          return FALSE;
        has = list_has (v, f->strings[0]);
        return f->op == SEG_OP_LIST_CONTAINS ? has : !has;
      }
    case SEG_OP_SET_IS:
      {
        guint n = 0;
        if (v->type != SEG_VALUE_TYPE_LIST)
          return FALSE;
        for (guint i = 0; f->strings != NULL && f->strings[i] != NULL; i++, n++)
          if (!list_has (v, f->strings[i]))
            return FALSE;
        return list_len (v) == n;
      }
    case SEG_OP_EXISTS:
    case SEG_OP_NOT_EXISTS:
    case SEG_N_OPS:
    default:
      return FALSE;
    }
}

/**
 * seg_live_match_record:
 * @self: compiled filters
 * @record: an event
 * @now_ms: "now", for relative date operators
 *
 * Returns: whether every filter holds for @record's properties
 */
gboolean
seg_live_match_record (const SegLiveMatch *self,
                       const SegRecord    *record,
                       gint64              now_ms)
{
  for (guint i = 0; i < self->n; i++)
    if (!match_one (self, &self->filters[i], record, now_ms))
      return FALSE;
  return TRUE;
}
