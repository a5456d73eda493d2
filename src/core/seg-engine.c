/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "seg-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "seg-engine.h"
#include "seg-store.h"
#include "seg-time.h"

typedef struct
{
  const SegEngineParams *p;
  SegDataset            *ds;
  guint                  n_users;
  GTimeZone             *tz;
  gint64                 now;
  guint32                today;
  GPtrArray             *stack;   /* ids of the segments being evaluated, for cycles */
} Ctx;

/* A filter bound to one column: of an event table (indexed by row) or of the profiles
 * (indexed by user). */
typedef struct
{
  const SegFilter  *f;
  SegValueType      type;       /* NONE: the column does not exist */
  const double     *num;
  const guint32    *sid;
  guint             len;        /* valid indexes */
  SegIntern        *dict;
  guint8           *memo;       /* per dictionary id: 0 unknown, 1 true, 2 false */
  GRegex           *re;
  double            lo, hi;     /* inclusive range of date ops */
} CFilter;

static void
cfilter_clear (CFilter *cf)
{
  g_clear_pointer (&cf->memo, g_free);
  g_clear_pointer (&cf->re, g_regex_unref);
}

static gboolean
is_date_op (SegOp op)
{
  return op >= SEG_OP_ON && op <= SEG_OP_DAYS_FROM_TODAY;
}

static void
date_range (Ctx             *ctx,
            const SegFilter *f,
            double          *lo,
            double          *hi)
{
  gint64 s0 = 0, e0 = 0, s1 = 0, e1 = 0;
  gint64 a = G_MININT64, b = G_MAXINT64;

  switch (f->op)
    {
    case SEG_OP_ON:
      seg_time_parse_date (ctx->tz, f->dates[0], &s0, &e0);
      {
        guint32 day = seg_time_day_of (ctx->tz, s0);
        a = seg_time_midnight (ctx->tz, day);
        b = seg_time_midnight (ctx->tz, day + 1) - 1;
      }
      break;
    case SEG_OP_BEFORE:
      seg_time_parse_date (ctx->tz, f->dates[0], &s0, &e0);
      b = s0 - 1;
      break;
    case SEG_OP_AFTER:
      seg_time_parse_date (ctx->tz, f->dates[0], &s0, &e0);
      a = e0 + 1;
      break;
    case SEG_OP_DATE_BETWEEN:
      seg_time_parse_date (ctx->tz, f->dates[0], &s0, &e0);
      seg_time_parse_date (ctx->tz, f->dates[1], &s1, &e1);
      a = s0;
      b = e1;
      break;
    case SEG_OP_IN_LAST:
      seg_time_last_bounds ((gint64) f->num[0], f->unit, ctx->tz, ctx->now, &a);
      b = ctx->now;
      break;
    case SEG_OP_MORE_THAN_DAYS_AGO:
      b = seg_time_midnight (ctx->tz, (guint32) (ctx->today - (gint64) f->num[0])) - 1;
      break;
    case SEG_OP_DAYS_FROM_TODAY:
    default:
      a = seg_time_midnight (ctx->tz, (guint32) (ctx->today + (gint64) f->num[0]));
      b = seg_time_midnight (ctx->tz, (guint32) (ctx->today + (gint64) f->num[0] + 1)) - 1;
      break;
    }
  *lo = (double) a;
  *hi = (double) b;
}

static void
cfilter_init (Ctx             *ctx,
              CFilter         *cf,
              const SegFilter *f,
              SegValueType     type,
              const double    *num,
              const guint32   *sid,
              guint            len)
{
  memset (cf, 0, sizeof *cf);
  cf->f = f;
  cf->type = type;
  cf->num = num;
  cf->sid = sid;
  cf->len = len;
  cf->dict = ctx->ds->strings;
  if (type == SEG_VALUE_TYPE_STRING || type == SEG_VALUE_TYPE_LIST)
    cf->memo = g_malloc0 (ctx->ds->strings->n);
  if (f->op == SEG_OP_MATCHES)
    cf->re = g_regex_new (f->strings[0], G_REGEX_OPTIMIZE, 0, NULL);
  if (is_date_op (f->op))
    date_range (ctx, f, &cf->lo, &cf->hi);
}

static void
cfilter_init_event (Ctx             *ctx,
                    CFilter         *cf,
                    const SegFilter *f,
                    SegTable        *t)
{
  SegColumn *c = seg_table_get_column (t, f->property);

  if (c == NULL)
    cfilter_init (ctx, cf, f, SEG_VALUE_TYPE_NONE, NULL, NULL, 0);
  else
    cfilter_init (ctx, cf, f, c->type, c->num, c->sid, t->n);
}

static void
cfilter_init_profile (Ctx             *ctx,
                      CFilter         *cf,
                      const SegFilter *f)
{
  SegProfileColumn *c = seg_dataset_get_profile (ctx->ds, f->property);

  if (c == NULL)
    cfilter_init (ctx, cf, f, SEG_VALUE_TYPE_NONE, NULL, NULL, 0);
  else
    cfilter_init (ctx, cf, f, c->type, c->num, c->sid, MIN (c->cap, ctx->n_users));
}

static gboolean
list_has (const char *items,
          gsize       len,
          const char *needle)
{
  gsize nlen = strlen (needle);
  gsize i = 0;

  while (i < len)
    {
      gsize ilen = strlen (items + i);
      if (ilen == nlen && memcmp (items + i, needle, nlen) == 0)
        return TRUE;
      i += ilen + 1;
    }
  return FALSE;
}

static gboolean
string_pred (CFilter    *cf,
             const char *s,
             gsize       len)
{
  const SegFilter *f = cf->f;
  gboolean is_list = cf->type == SEG_VALUE_TYPE_LIST;

  switch (f->op)
    {
    case SEG_OP_EQUALS:
    case SEG_OP_NOT_EQUALS:
      {
        gboolean any = FALSE;
        if (is_list)
          return FALSE;
        for (guint i = 0; f->strings[i] != NULL && !any; i++)
          any = strlen (f->strings[i]) == len && memcmp (f->strings[i], s, len) == 0;
        return f->op == SEG_OP_EQUALS ? any : !any;
      }
    case SEG_OP_CONTAINS:
    case SEG_OP_NOT_CONTAINS:
      {
        gboolean has;
        if (is_list)
          return FALSE;
        has = memmem (s, len, f->strings[0], strlen (f->strings[0])) != NULL;
        return f->op == SEG_OP_CONTAINS ? has : !has;
      }
    case SEG_OP_STARTS_WITH:
      {
        gsize n = strlen (f->strings[0]);
        return !is_list && len >= n && memcmp (s, f->strings[0], n) == 0;
      }
    case SEG_OP_ENDS_WITH:
      {
        gsize n = strlen (f->strings[0]);
        return !is_list && len >= n && memcmp (s + len - n, f->strings[0], n) == 0;
      }
    case SEG_OP_MATCHES:
      return !is_list && cf->re != NULL &&
             g_regex_match_full (cf->re, s, (gssize) len, 0, 0, NULL, NULL);
    case SEG_OP_IS_EMPTY:
      return len == 0;
    case SEG_OP_LIST_CONTAINS:
    case SEG_OP_LIST_NOT_CONTAINS:
      {
        gboolean has = is_list ? list_has (s, len, f->strings[0])
                               : strlen (f->strings[0]) == len && memcmp (f->strings[0], s, len) == 0;
        return f->op == SEG_OP_LIST_CONTAINS ? has : !has;
      }
    case SEG_OP_SET_IS:
      {
        gsize i = 0;
        if (!is_list)
          return FALSE;
        /* Every item is in the set and every member of the set is an item. */
        while (i < len)
          {
            if (!g_strv_contains ((const char * const *) f->strings, s + i))
              return FALSE;
            i += strlen (s + i) + 1;
          }
        for (guint k = 0; f->strings[k] != NULL; k++)
          if (!list_has (s, len, f->strings[k]))
            return FALSE;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static inline gboolean
compare (SegOp         op,
         double        v,
         const double *ref)
{
  switch (op)
    {
    case SEG_OP_EQ: return v == ref[0];
    case SEG_OP_NE: return v != ref[0];
    case SEG_OP_GT: return v > ref[0];
    case SEG_OP_GE: return v >= ref[0];
    case SEG_OP_LT: return v < ref[0];
    case SEG_OP_LE: return v <= ref[0];
    case SEG_OP_BETWEEN: return v >= ref[0] && v <= ref[1];
    case SEG_OP_NOT_BETWEEN: return v < ref[0] || v > ref[1];
    default: return FALSE;
    }
}

static inline gboolean
cfilter_test (CFilter *cf,
              guint    i)
{
  SegOp op = cf->f->op;

  if (cf->type == SEG_VALUE_TYPE_NONE || i >= cf->len)
    return op == SEG_OP_NOT_EXISTS;
  if (cf->sid != NULL)
    {
      guint32 id = cf->sid[i];
      if (id == 0)
        return op == SEG_OP_NOT_EXISTS;
      if (op == SEG_OP_EXISTS)
        return TRUE;
      if (op == SEG_OP_NOT_EXISTS)
        return FALSE;
      if (cf->memo[id] == 0)
        {
          gsize len;
          const char *s = seg_intern_get (cf->dict, id, &len);
          cf->memo[id] = string_pred (cf, s, len) ? 1 : 2;
        }
      return cf->memo[id] == 1;
    }
  else
    {
      double v = cf->num[i];
      if (v != v)
        return op == SEG_OP_NOT_EXISTS;
      switch (op)
        {
        case SEG_OP_EXISTS: return TRUE;
        case SEG_OP_NOT_EXISTS: return FALSE;
        case SEG_OP_IS_TRUE: return v != 0;
        case SEG_OP_IS_FALSE: return v == 0;
        case SEG_OP_EQ:
        case SEG_OP_NE:
        case SEG_OP_GT:
        case SEG_OP_GE:
        case SEG_OP_LT:
        case SEG_OP_LE:
        case SEG_OP_BETWEEN:
        case SEG_OP_NOT_BETWEEN:
          return compare (op, v, cf->f->num);
        default:
          if (is_date_op (op))
            return v >= cf->lo && v <= cf->hi;
          return FALSE;
        }
    }
}

typedef struct
{
  CFilter  *f;
  guint     n;
} Filters;

static void
filters_init (Ctx       *ctx,
              Filters   *fs,
              GPtrArray *where,
              SegTable  *t)
{
  fs->n = where ? where->len : 0;
  fs->f = g_new0 (CFilter, MAX (fs->n, 1));
  for (guint i = 0; i < fs->n; i++)
    cfilter_init_event (ctx, &fs->f[i], g_ptr_array_index (where, i), t);
}

static void
filters_clear (Filters *fs)
{
  for (guint i = 0; i < fs->n; i++)
    cfilter_clear (&fs->f[i]);
  g_free (fs->f);
}

static inline gboolean
filters_pass (Filters *fs,
              guint    row)
{
  for (guint i = 0; i < fs->n; i++)
    if (!cfilter_test (&fs->f[i], row))
      return FALSE;
  return TRUE;
}

/* The users with a row of @t in [lo, hi], from the time-ordered copy: per-user loops
 * then visit only them instead of every user of the table. NULL when the table has no
 * row in the window. */
static SegBitmap *
window_users (Ctx      *ctx,
              SegTable *t,
              gint64    lo,
              gint64    hi)
{
  SegBitmap *bm;
  guint l = 0, r = t->n;

  if (t->n == 0 || t->max_ts < lo || t->min_ts > hi)
    return NULL;
  seg_table_ensure_by_time (t);
  while (l < r)
    {
      guint m = l + (r - l) / 2;
      if (t->by_time_ts[m] < lo)
        l = m + 1;
      else
        r = m;
    }
  bm = seg_bitmap_new (ctx->n_users);
  for (guint k = l; k < t->n && t->by_time_ts[k] <= hi; k++)
    seg_bitmap_set (bm, t->by_time_user[k]);
  return bm;
}

/* Iterates over the set bits of @bm below @limit as `u`. */
#define FOREACH_USER(bm, limit, u)                                               \
  for (guint _w = 0; _w < (bm)->n_words && (guint64) _w * 64 < (limit); _w++)    \
    for (guint64 _word = (bm)->words[_w]; _word != 0; _word &= _word - 1)       \
      for (guint32 u = _w * 64 + (guint32) __builtin_ctzll (_word), _once = 1;  \
           _once && u < (limit); _once = 0)

/* did E [where] [when]: OR-s the doers into @out. A user's rows are in time order, so a
 * window near "now" is found by walking each run backwards from its end (usually one
 * step), and a window in the past by walking forwards (binary search for long runs). */
static void
eval_did_plain (Ctx       *ctx,
                SegTable  *t,
                Filters   *fs,
                gint64     lo,
                gint64     hi,
                SegBitmap *out)
{
  const gint64 *ts = t->ts;
  const guint32 *off = t->offsets;
  gboolean backward;
  g_autoptr(SegBitmap) cand = NULL;

  if (t->n == 0 || t->max_ts < lo || t->min_ts > hi)
    return;
  if (fs->n == 0)
    {
      /* Without filters only times matter: the slice of the time-ordered copy. */
      guint l = 0, r = t->n;

      seg_table_ensure_by_time (t);
      while (l < r)
        {
          guint m = l + (r - l) / 2;
          if (t->by_time_ts[m] < lo)
            l = m + 1;
          else
            r = m;
        }
      for (guint k = l; k < t->n && t->by_time_ts[k] <= hi; k++)
        seg_bitmap_set (out, t->by_time_user[k]);
      return;
    }
  backward = hi >= t->min_ts / 2 + t->max_ts / 2 - (t->max_ts - t->min_ts) / 8;
  cand = window_users (ctx, t, lo, hi);
  if (cand == NULL)
    return;
  FOREACH_USER (cand, t->n_off, u)
    {
      guint a = off[u], b = off[u + 1];

      if (a == b)
        continue;
      if (backward)
        {
          for (guint i = b; i > a; i--)
            {
              gint64 x = ts[i - 1];
              if (x > hi)
                continue;
              if (x < lo)
                break;
              if (fs->n == 0 || filters_pass (fs, i - 1))
                {
                  seg_bitmap_set (out, u);
                  break;
                }
            }
          continue;
        }
      if (b - a > 16 && ts[a] < lo)
        {
          guint l = a, r = b;
          while (l < r)
            {
              guint m = l + (r - l) / 2;
              if (ts[m] < lo)
                l = m + 1;
              else
                r = m;
            }
          a = l;
        }
      for (guint i = a; i < b; i++)
        {
          gint64 x = ts[i];
          if (x < lo)
            continue;
          if (x > hi)
            break;
          if (fs->n == 0 || filters_pass (fs, i))
            {
              seg_bitmap_set (out, u);
              break;
            }
        }
    }
}

static void
eval_did_occurrence (Ctx           *ctx,
                     SegTable      *t,
                     Filters       *fs,
                     gint64         lo,
                     gint64         hi,
                     SegOccurrence  occ,
                     SegBitmap     *out)
{
  for (guint32 u = 0; u < t->n_off; u++)
    {
      guint a = t->offsets[u], b = t->offsets[u + 1];
      gint64 found = G_MININT64;
      gboolean have = FALSE;

      if (a == b)
        continue;
      if (occ == SEG_OCCURRENCE_FIRST)
        {
          for (guint i = a; i < b && t->ts[i] <= ctx->now; i++)
            if (fs->n == 0 || filters_pass (fs, i))
              {
                found = t->ts[i];
                have = TRUE;
                break;
              }
        }
      else
        {
          for (guint i = b; i > a; i--)
            {
              if (t->ts[i - 1] > ctx->now)
                continue;
              if (fs->n == 0 || filters_pass (fs, i - 1))
                {
                  found = t->ts[i - 1];
                  have = TRUE;
                  break;
                }
            }
        }
      if (have && found >= lo && found <= hi)
        seg_bitmap_set (out, u);
    }
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
eval_did_aggregate (Ctx                *ctx,
                    SegTable           *t,
                    Filters            *fs,
                    gint64              lo,
                    gint64              hi,
                    const SegAggregate *agg,
                    SegBitmap          *out)
{
  SegColumn *col = agg->property ? seg_table_get_column (t, agg->property) : NULL;
  g_autoptr(SegBitmap) doers = seg_bitmap_new (ctx->n_users);
  g_autoptr(GArray) tmp = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean zero_ok = agg->include_non_doers && compare (agg->op, 0, agg->value);
  g_autoptr(SegBitmap) cand = NULL;

  if (agg->fn == SEG_AGG_COUNT && fs->n == 0 && t->n > 0)
    {
      /* Counting needs only times: count over the slice of the time-ordered copy. */
      g_autofree guint32 *cnt = g_new0 (guint32, MAX (t->n_off, 1));
      guint l = 0, r = t->n;

      seg_table_ensure_by_time (t);
      while (l < r)
        {
          guint m = l + (r - l) / 2;
          if (t->by_time_ts[m] < lo)
            l = m + 1;
          else
            r = m;
        }
      for (guint k = l; k < t->n && t->by_time_ts[k] <= hi; k++)
        {
          guint32 u = t->by_time_user[k];
          cnt[u]++;
          seg_bitmap_set (doers, u);
        }
      for (gint64 u = seg_bitmap_next (doers, 0); u >= 0; u = seg_bitmap_next (doers, (guint) u + 1))
        if (compare (agg->op, (double) cnt[u], agg->value))
          seg_bitmap_set (out, (guint) u);
      goto non_doers;
    }

  cand = window_users (ctx, t, lo, hi);
  if (cand == NULL)
    goto non_doers;
  FOREACH_USER (cand, t->n_off, u)
    {
      guint a = t->offsets[u], b = t->offsets[u + 1];
      guint64 cnt = 0, nval = 0;
      double sum = 0, mn = INFINITY, mx = -INFINITY, value;

      if (a == b)
        continue;
      if (agg->fn == SEG_AGG_DISTINCT)
        g_array_set_size (tmp, 0);
      /* Backwards from the newest row: windows usually end at now. */
      for (guint k = b; k > a; k--)
        {
          guint i = k - 1;
          gint64 x = t->ts[i];
          double v;

          if (x > hi)
            continue;
          if (x < lo)
            break;
          if (fs->n != 0 && !filters_pass (fs, i))
            continue;
          cnt++;
          if (agg->fn == SEG_AGG_COUNT || col == NULL)
            continue;
          if (col->num != NULL)
            {
              v = col->num[i];
              if (v != v)
                continue;
            }
          else
            {
              if (col->sid[i] == 0 || agg->fn != SEG_AGG_DISTINCT)
                continue;
              v = col->sid[i];
            }
          nval++;
          sum += v;
          mn = MIN (mn, v);
          mx = MAX (mx, v);
          if (agg->fn == SEG_AGG_DISTINCT)
            g_array_append_val (tmp, v);
        }
      if (cnt == 0)
        continue;
      switch (agg->fn)
        {
        case SEG_AGG_COUNT: value = (double) cnt; break;
        case SEG_AGG_SUM: value = sum; break;
        case SEG_AGG_AVG: value = nval ? sum / (double) nval : NAN; break;
        case SEG_AGG_MIN: value = nval ? mn : NAN; break;
        case SEG_AGG_MAX: value = nval ? mx : NAN; break;
        case SEG_AGG_DISTINCT:
        default:
          {
            guint d = 0;
            g_array_sort (tmp, cmp_double);
            for (guint k = 0; k < tmp->len; k++)
              if (k == 0 || g_array_index (tmp, double, k) != g_array_index (tmp, double, k - 1))
                d++;
            value = d;
          }
          break;
        }
      /* A user whose events all lack the property has no average, minimum or maximum:
       * they count as users who did not do the event. */
      if (value != value)
        continue;
      seg_bitmap_set (doers, u);
      if (compare (agg->op, value, agg->value))
        seg_bitmap_set (out, u);
    }
non_doers:
  if (zero_ok)
    {
      g_autoptr(SegBitmap) non = seg_bitmap_new_full (ctx->n_users);
      seg_bitmap_and_not (non, doers);
      seg_bitmap_or (out, non);
    }
}

static SegBitmap *
eval_did (Ctx           *ctx,
          const SegRule *r)
{
  SegBitmap *out = seg_bitmap_new (ctx->n_users);
  gint64 lo, hi;

  seg_time_window_bounds (&r->when, ctx->tz, ctx->now, &lo, &hi);
  for (guint e = 0; r->events[e] != NULL; e++)
    {
      SegTable *t = seg_dataset_get_table (ctx->ds, r->events[e]);
      Filters fs;

      if (t == NULL)
        {
          /* Nobody did it: with include_non_doers, everyone has the value 0. */
          if (r->aggregate != NULL && r->aggregate->include_non_doers &&
              compare (r->aggregate->op, 0, r->aggregate->value))
            {
              g_autoptr(SegBitmap) all = seg_bitmap_new_full (ctx->n_users);
              seg_bitmap_or (out, all);
            }
          continue;
        }
      filters_init (ctx, &fs, r->where, t);
      if (r->aggregate != NULL)
        eval_did_aggregate (ctx, t, &fs, lo, hi, r->aggregate, out);
      else if (r->occurrence != SEG_OCCURRENCE_ANY)
        eval_did_occurrence (ctx, t, &fs, lo, hi, r->occurrence, out);
      else
        eval_did_plain (ctx, t, &fs, lo, hi, out);
      filters_clear (&fs);
    }
  if (r->kind == SEG_RULE_DID_NOT)
    seg_bitmap_invert (out);
  return out;
}

static SegBitmap *
eval_sequence (Ctx           *ctx,
               const SegRule *r)
{
  SegBitmap *out = seg_bitmap_new (ctx->n_users);
  SegTable *ta = seg_dataset_get_table (ctx->ds, r->first.event);
  SegTable *tb = seg_dataset_get_table (ctx->ds, r->then.event);
  gint64 within = r->within_n * seg_time_unit_ms (r->within_unit);
  gint64 lo, hi;
  Filters fa, fb;
  g_autoptr(SegBitmap) cand = NULL;

  if (ta == NULL)
    return out;
  seg_time_window_bounds (&r->when, ctx->tz, ctx->now, &lo, &hi);
  if (r->negate)
    hi = MIN (hi, ctx->now - within);
  filters_init (ctx, &fa, r->first.where, ta);
  if (tb != NULL)
    filters_init (ctx, &fb, r->then.where, tb);
  cand = window_users (ctx, ta, lo, hi);
  if (cand == NULL)
    goto done;
  FOREACH_USER (cand, ta->n_off, u)
    {
      guint a0 = ta->offsets[u], a1 = ta->offsets[u + 1];
      guint b0 = 0, b1 = 0, j;
      gboolean hit = FALSE;

      if (a0 == a1 || ta->ts[a1 - 1] < lo || ta->ts[a0] > hi)
        continue;
      if (tb != NULL)
        seg_table_user_range (tb, u, &b0, &b1);
      j = b0;
      for (guint i = a0; i < a1 && !hit; i++)
        {
          gint64 x = ta->ts[i];
          gboolean followed = FALSE;

          if (x < lo)
            continue;
          if (x > hi)
            break;
          if (fa.n != 0 && !filters_pass (&fa, i))
            continue;
          /* B rows after this A: j only moves forward as A's time grows. */
          while (j < b1 && tb->ts[j] <= x)
            j++;
          for (guint k = j; k < b1 && tb->ts[k] <= x + within && tb->ts[k] <= ctx->now; k++)
            if (fb.n == 0 || filters_pass (&fb, k))
              {
                followed = TRUE;
                break;
              }
          hit = r->negate ? !followed : followed;
        }
      if (hit)
        seg_bitmap_set (out, u);
    }
done:
  filters_clear (&fa);
  if (tb != NULL)
    filters_clear (&fb);
  return out;
}

static SegBitmap *
eval_user (Ctx           *ctx,
           const SegRule *r)
{
  SegBitmap *out = seg_bitmap_new (ctx->n_users);
  CFilter cf;

  cfilter_init_profile (ctx, &cf, r->user);
  if (cf.type != SEG_VALUE_TYPE_NONE && cf.sid != NULL &&
      r->user->op != SEG_OP_EXISTS && r->user->op != SEG_OP_NOT_EXISTS)
    {
      /* A string column: decide each distinct value once (the memo) and fill the bitmap
       * a word at a time. Missing values and users past the column fail. */
      for (guint w = 0; (gsize) w * 64 < cf.len; w++)
        {
          guint first = w * 64, end = MIN (cf.len, first + 64);
          guint64 bits = 0;

          for (guint u = first; u < end; u++)
            {
              guint32 id = cf.sid[u];
              guint8 m;

              if (id == 0)
                continue;
              m = cf.memo[id];
              if (G_UNLIKELY (m == 0))
                {
                  gsize len;
                  const char *str = seg_intern_get (cf.dict, id, &len);
                  m = cf.memo[id] = string_pred (&cf, str, len) ? 1 : 2;
                }
              bits |= (guint64) (m == 1) << (u - first);
            }
          out->words[w] = bits;
        }
    }
  else
    {
      for (guint u = 0; u < ctx->n_users; u++)
        if (cfilter_test (&cf, u))
          seg_bitmap_set (out, u);
    }
  cfilter_clear (&cf);
  return out;
}

static SegBitmap *
eval_near (Ctx           *ctx,
           const SegRule *r)
{
  SegBitmap *out = seg_bitmap_new (ctx->n_users);
  SegProfileColumn *la = seg_dataset_get_profile (ctx->ds, "latitude");
  SegProfileColumn *lo = seg_dataset_get_profile (ctx->ds, "longitude");
  double lat0 = r->lat * G_PI / 180, lon0 = r->lon * G_PI / 180;
  guint n;

  if (la == NULL || lo == NULL || la->num == NULL || lo->num == NULL)
    return out;
  n = MIN (ctx->n_users, MIN (la->cap, lo->cap));
  for (guint u = 0; u < n; u++)
    {
      double lat = la->num[u] * G_PI / 180, lon = lo->num[u] * G_PI / 180;
      double h, d;

      if (lat != lat || lon != lon)
        continue;
      /* Haversine distance on a sphere of 6371 km. */
      h = pow (sin ((lat - lat0) / 2), 2) + cos (lat0) * cos (lat) * pow (sin ((lon - lon0) / 2), 2);
      d = 2 * 6371.0 * asin (MIN (1.0, sqrt (h)));
      if (d <= r->km)
        seg_bitmap_set (out, u);
    }
  return out;
}

static gboolean
profile_nonempty (SegDataset       *ds,
                  SegProfileColumn *c,
                  guint             u)
{
  if (c == NULL || !seg_profile_has_value (c, u))
    return FALSE;
  if (c->sid != NULL)
    {
      gsize len;
      seg_intern_get (ds->strings, c->sid[u], &len);
      return len > 0;
    }
  return TRUE;
}

/* -1 missing, 0 false, 1 true */
static int
profile_bool (SegDataset       *ds,
              SegProfileColumn *c,
              guint             u)
{
  if (c == NULL || !seg_profile_has_value (c, u))
    return -1;
  if (c->num != NULL)
    return c->num[u] != 0;
  {
    const char *s = seg_intern_get (ds->strings, c->sid[u], NULL);
    if (g_ascii_strcasecmp (s, "false") == 0 || g_str_equal (s, "0") ||
        g_ascii_strcasecmp (s, "no") == 0)
      return 0;
    if (g_ascii_strcasecmp (s, "true") == 0 || g_str_equal (s, "1") ||
        g_ascii_strcasecmp (s, "yes") == 0)
      return 1;
    return -1;
  }
}

static SegBitmap *
reach_bitmap (Ctx        *ctx,
              SegChannel  channel)
{
  SegBitmap *out = seg_bitmap_new (ctx->n_users);
  SegDataset *ds = ctx->ds;

  if (channel == SEG_CHANNEL_IN_APP)
    {
      gint64 lo;
      seg_time_last_bounds (30, SEG_TIME_UNIT_DAYS, ctx->tz, ctx->now, &lo);
      for (guint t = 0; t < ds->tables->len; t++)
        {
          Filters none = { NULL, 0 };
          eval_did_plain (ctx, g_ptr_array_index (ds->tables, t), &none, lo, ctx->now, out);
        }
      return out;
    }
  else
    {
      static const char *addr[] = { "email", "push_token", "phone", "phone" };
      static const char *optin[] = { "email_optin", "push_optin", "sms_optin", "whatsapp_optin" };
      SegProfileColumn *ca = seg_dataset_get_profile (ds, addr[channel]);
      SegProfileColumn *co = seg_dataset_get_profile (ds, optin[channel]);

      if (ca == NULL)
        return out;
      for (guint u = 0; u < ctx->n_users; u++)
        {
          int opt;
          if (!profile_nonempty (ds, ca, u))
            continue;
          opt = profile_bool (ds, co, u);
          if (channel == SEG_CHANNEL_WHATSAPP ? opt == 1 : opt != 0)
            seg_bitmap_set (out, u);
        }
      return out;
    }
}

static SegBitmap *eval_definition (Ctx            *ctx,
                                   SegDefinition  *def,
                                   GError        **error);

static SegBitmap *
eval_rule (Ctx            *ctx,
           const SegRule  *r,
           GError        **error)
{
  if (g_cancellable_set_error_if_cancelled (ctx->p->cancellable, error))
    return NULL;
  switch (r->kind)
    {
    case SEG_RULE_GROUP:
      {
        SegBitmap *acc = r->any ? seg_bitmap_new (ctx->n_users) : seg_bitmap_new_full (ctx->n_users);
        for (guint i = 0; i < r->children->len; i++)
          {
            SegBitmap *c = eval_rule (ctx, g_ptr_array_index (r->children, i), error);
            if (c == NULL)
              {
                seg_bitmap_free (acc);
                return NULL;
              }
            if (r->any)
              seg_bitmap_or (acc, c);
            else
              seg_bitmap_and (acc, c);
            seg_bitmap_free (c);
          }
        return acc;
      }
    case SEG_RULE_DID:
    case SEG_RULE_DID_NOT:
    case SEG_RULE_DID_ANY:
      return eval_did (ctx, r);
    case SEG_RULE_USER:
      return eval_user (ctx, r);
    case SEG_RULE_NEAR:
      return eval_near (ctx, r);
    case SEG_RULE_REACHABLE:
      return reach_bitmap (ctx, r->channel);
    case SEG_RULE_SEQUENCE:
    default:
      return eval_sequence (ctx, r);
    }
}

static SegBitmap *
test_users (Ctx *ctx)
{
  SegBitmap *out = seg_bitmap_new (ctx->n_users);
  SegProfileColumn *c = seg_dataset_get_profile (ctx->ds, "test_user");

  for (guint u = 0; c != NULL && u < ctx->n_users; u++)
    if (profile_bool (ctx->ds, c, u) == 1)
      seg_bitmap_set (out, u);
  return out;
}

static SegBitmap *
eval_segment_id (Ctx         *ctx,
                 const char  *id,
                 GError     **error)
{
  g_autoptr(SegDefinition) def = NULL;
  SegSegmentKind kind;
  SegBitmap *bm;

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
      if (g_str_equal (id, "test-users"))
        return test_users (ctx);
      return seg_bitmap_new_full (ctx->n_users);
    }
  g_ptr_array_add (ctx->stack, (gpointer) id);
  bm = eval_definition (ctx, def, error);
  g_ptr_array_remove_index (ctx->stack, ctx->stack->len - 1);
  return bm;
}

static SegBitmap *
eval_definition (Ctx            *ctx,
                 SegDefinition  *def,
                 GError        **error)
{
  const SegRule *match = seg_definition_get_match (def);
  const char * const *inc = seg_definition_get_include (def);
  const char * const *exc = seg_definition_get_exclude (def);
  const char * const *users = seg_definition_get_users (def);
  SegBitmap *bm;

  if (users != NULL)
    {
      bm = seg_bitmap_new (ctx->n_users);
      for (guint i = 0; users[i] != NULL; i++)
        {
          guint32 u;
          if (seg_intern_lookup (ctx->ds->users, users[i], strlen (users[i]), &u) &&
              u < ctx->n_users)
            seg_bitmap_set (bm, u);
        }
    }
  else if (match != NULL)
    {
      bm = eval_rule (ctx, match, error);
      if (bm == NULL)
        return NULL;
    }
  else
    bm = seg_bitmap_new_full (ctx->n_users);

  for (guint l = 0; l < 2; l++)
    {
      const char * const *ids = l == 0 ? inc : exc;
      for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
        {
          SegBitmap *o = eval_segment_id (ctx, ids[i], error);
          if (o == NULL)
            {
              seg_bitmap_free (bm);
              return NULL;
            }
          if (l == 0)
            seg_bitmap_and (bm, o);
          else
            seg_bitmap_and_not (bm, o);
          seg_bitmap_free (o);
        }
    }
  return bm;
}

static void
ctx_init (Ctx                   *ctx,
          const SegEngineParams *p,
          gint64                 now)
{
  ctx->p = p;
  ctx->ds = p->dataset;
  ctx->n_users = seg_dataset_n_users (p->dataset);
  ctx->tz = p->tz;
  ctx->now = now;
  ctx->today = seg_time_day_of (p->tz, now);
  ctx->stack = g_ptr_array_new ();
}

/**
 * seg_engine_evaluate:
 *
 * The caller holds the dataset steady (the store's read lock) during the call. The
 * dictionary and user interners must have their hash index built if the definition lists
 * users (custom lists); seg_intern_lookup builds it otherwise, which is not thread-safe.
 *
 * Returns: (transfer full): the members, or %NULL with @error set
 */
SegBitmap *
seg_engine_evaluate (const SegEngineParams  *params,
                     SegDefinition          *definition,
                     GError                **error)
{
  Ctx ctx;
  SegBitmap *bm;

  ctx_init (&ctx, params, params->now_ms);
  bm = eval_definition (&ctx, definition, error);
  g_ptr_array_unref (ctx.stack);
  return bm;
}

SegBitmap *
seg_engine_reachable (const SegEngineParams *params,
                      SegChannel             channel)
{
  Ctx ctx;
  SegBitmap *bm;

  ctx_init (&ctx, params, params->now_ms);
  bm = reach_bitmap (&ctx, channel);
  g_ptr_array_unref (ctx.stack);
  return bm;
}

SegBitmap *
seg_engine_test_users (const SegEngineParams *params)
{
  Ctx ctx;
  SegBitmap *bm;

  ctx_init (&ctx, params, params->now_ms);
  bm = test_users (&ctx);
  g_ptr_array_unref (ctx.stack);
  return bm;
}

/**
 * seg_engine_trend:
 * @first_day_ms: a moment in the first day
 * @last_day_ms: a moment in the last day
 * @n_days: (out): the number of days
 *
 * Each day is evaluated with "now" at the day's last millisecond (or the real now, if
 * earlier).
 *
 * Returns: (transfer full): the member count of each day
 */
guint64 *
seg_engine_trend (const SegEngineParams  *params,
                  SegDefinition          *definition,
                  gint64                  first_day_ms,
                  gint64                  last_day_ms,
                  guint                  *n_days,
                  GError                **error)
{
  GTimeZone *tz = params->tz;
  guint32 d0 = seg_time_day_of (tz, first_day_ms);
  guint32 d1 = seg_time_day_of (tz, last_day_ms);
  guint n = d1 >= d0 ? d1 - d0 + 1 : 0;
  g_autofree guint64 *counts = g_new0 (guint64, MAX (n, 1));
  g_autofree gint64 *bounds = g_new (gint64, n + 1);
  const SegRule *daily = seg_definition_get_daily_did (definition);

  for (guint i = 0; i <= n; i++)
    bounds[i] = seg_time_midnight (tz, d0 + i);

  if (daily != NULL && n > 0)
    {
      Ctx ctx;
      gint64 lo = bounds[0], hi = MIN (bounds[n] - 1, params->now_ms);
      SegTable *t;

      ctx_init (&ctx, params, params->now_ms);
      t = seg_dataset_get_table (ctx.ds, daily->events[0]);
      if (t != NULL && (daily->where == NULL || daily->where->len == 0))
        {
          /* One pass over the rows in the range, in time order: a user counts once per
           * day (the day they were last counted is remembered per user). */
          g_autofree guint32 *last_day = g_new0 (guint32, MAX (t->n_off, 1));
          guint l = 0, r = t->n, day = 0;

          seg_table_ensure_by_time (t);
          while (l < r)
            {
              guint m = l + (r - l) / 2;
              if (t->by_time_ts[m] < lo)
                l = m + 1;
              else
                r = m;
            }
          for (guint k = l; k < t->n && t->by_time_ts[k] <= hi; k++)
            {
              guint32 u = t->by_time_user[k];
              while (t->by_time_ts[k] >= bounds[day + 1])
                day++;
              if (last_day[u] != day + 1)
                {
                  last_day[u] = day + 1;
                  counts[day]++;
                }
            }
        }
      else if (t != NULL)
        {
          Filters fs;

          filters_init (&ctx, &fs, daily->where, t);
          for (guint32 u = 0; u < t->n_off; u++)
            {
              guint a = t->offsets[u], b = t->offsets[u + 1];
              guint day = 0;
              gint last = -1;

              for (guint i = a; i < b; i++)
                {
                  gint64 x = t->ts[i];
                  if (x < lo)
                    continue;
                  if (x > hi)
                    break;
                  while (x >= bounds[day + 1])
                    day++;
                  if ((gint) day == last || (fs.n != 0 && !filters_pass (&fs, i)))
                    continue;
                  last = (gint) day;
                  counts[day]++;
                }
            }
          filters_clear (&fs);
        }
      g_ptr_array_unref (ctx.stack);
      *n_days = n;
      return g_steal_pointer (&counts);
    }

  for (guint i = 0; i < n; i++)
    {
      SegEngineParams p = *params;
      SegBitmap *bm;

      p.now_ms = MIN (bounds[i + 1] - 1, params->now_ms);
      if (bounds[i] > params->now_ms)
        break;
      bm = seg_engine_evaluate (&p, definition, error);
      if (bm == NULL)
        return NULL;
      counts[i] = seg_bitmap_count (bm);
      seg_bitmap_free (bm);
    }
  *n_days = n;
  return g_steal_pointer (&counts);
}
