/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * seg-gen: a seedable generator of realistic app event data, for the benchmarks (the
 * `seg-gen` program in tests/bench) and the app's demo data (seg-demo.c).
 *
 * Users get a Zipf-distributed share of the events (a few power users, a long tail of
 * occasional ones, about 5% with a profile but no events at all). Each user's events come
 * in sessions: App Launched, Product Viewed / Page Visited / Rated steps, Added To Cart
 * for some viewed products and, for about 40% of the sessions with a cart, a Charged event
 * (most within 10 minutes of the last cart addition, the rest hours or days later).
 * Events are written sorted by time, as a real export would be.
 *
 * Everything is drawn from xoshiro256** streams derived from --seed, one stream per user,
 * so the output is a pure function of the flags (on a given libm).
 */
#define G_LOG_DOMAIN "seg-gen"

#include "config.h"

#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "seg-gen.h"
#include "seg-gen-vocab.h"

/* ---------------------------------------------------------------------------------------- */
/* Random numbers                                                                           */

typedef struct
{
  guint64 s[4];
} Rng;

static inline guint64
rotl64 (guint64 x,
        int     k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void
rng_init (Rng     *r,
          guint64  seed,
          guint64  stream)
{
  guint64 x = seed * G_GUINT64_CONSTANT (0x2545f4914f6cdd1d) ^ (stream + 0x51ed27);

  for (guint i = 0; i < 4; i++)
    r->s[i] = splitmix64 (&x);
}

static inline guint64
rng_next (Rng *r)
{
  guint64 *s = r->s;
  guint64 result = rotl64 (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl64 (s[3], 45);
  return result;
}

static inline double
rng_double (Rng *r)
{
  return (double) (rng_next (r) >> 11) * 0x1.0p-53;
}

static inline guint32
rng_below (Rng     *r,
           guint32  n)
{
  return (guint32) (((rng_next (r) >> 32) * (guint64) n) >> 32);
}

static inline gboolean
rng_chance (Rng    *r,
            double  p)
{
  return rng_double (r) < p;
}

static double
rng_normal (Rng *r)
{
  double u1 = 1.0 - rng_double (r);
  double u2 = rng_double (r);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static double
rng_exp (Rng    *r,
         double  mean)
{
  return -mean * log1p (-rng_double (r));
}

/* A cumulative weight table sampled by binary search. */
typedef struct
{
  double *cdf;
  guint   n;
} Cdf;

static void
cdf_init_zipf (Cdf    *c,
               guint   n,
               double  s,
               double  q)
{
  double acc = 0;

  c->n = n;
  c->cdf = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      acc += pow ((double) i + 1.0 + q, -s);
      c->cdf[i] = acc;
    }
  for (guint i = 0; i < n; i++)
    c->cdf[i] /= acc;
}

static void
cdf_init_weights (Cdf          *c,
                  const double *w,
                  guint         n)
{
  double acc = 0;

  c->n = n;
  c->cdf = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      acc += w[i];
      c->cdf[i] = acc;
    }
  for (guint i = 0; i < n; i++)
    c->cdf[i] /= acc;
}

static guint
cdf_sample (const Cdf *c,
            Rng       *r)
{
  double u = rng_double (r);
  guint lo = 0, hi = c->n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (c->cdf[mid] > u)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* ---------------------------------------------------------------------------------------- */
/* The world: catalog, pages, referrers, cities                                             */

enum
{
  EV_APP_LAUNCHED,
  EV_PRODUCT_VIEWED,
  EV_ADDED_TO_CART,
  EV_CHARGED,
  EV_PAGE_VISITED,
  EV_RATED,
};

#define N_PRODUCTS SEG_BENCH_N_PRODUCTS
#define N_BLOG SEG_BENCH_N_BLOG
#define N_PRODUCT_PAGES SEG_BENCH_N_PRODUCT_PAGES

typedef struct
{
  char     id[8];
  guint8   category;
  guint32  cents;
} Product;

typedef struct
{
  Product   products[N_PRODUCTS];
  Cdf       product_cdf;
  char    **urls;
  guint     n_urls;
  Cdf       url_cdf;
  Cdf       referrer_cdf;
  Cdf       city_cdf;
  Cdf       app_version_cdf;
} World;

static void
world_init (World   *w,
            guint64  seed)
{
  Rng r;
  double city_w[G_N_ELEMENTS (cities)];
  guint k = 0;

  rng_init (&r, seed, G_GUINT64_CONSTANT (0xC0FFEE0000000000));
  for (guint i = 0; i < N_PRODUCTS; i++)
    {
      Product *p = &w->products[i];
      /* Log-normal prices, median about 18, rounded to x.99 as shops do. */
      double price = exp (log (18.0) + 0.85 * rng_normal (&r));
      guint dollars = (guint) CLAMP (floor (price), 0, 4999);

      g_snprintf (p->id, sizeof p->id, "P%04u", i + 1);
      p->category = (guint8) rng_below (&r, G_N_ELEMENTS (categories));
      p->cents = dollars * 100 + 99;
    }
  /* Product popularity is itself Zipf-like, on shuffled ids. */
  for (guint i = N_PRODUCTS - 1; i > 0; i--)
    {
      guint j = rng_below (&r, i + 1);
      Product tmp = w->products[i];

      w->products[i] = w->products[j];
      w->products[j] = tmp;
    }
  cdf_init_zipf (&w->product_cdf, N_PRODUCTS, 1.05, 5);

  w->n_urls = G_N_ELEMENTS (fixed_pages) + N_PRODUCT_PAGES + N_BLOG;
  w->urls = g_new0 (char *, w->n_urls + 1);
  for (guint i = 0; i < G_N_ELEMENTS (fixed_pages); i++)
    w->urls[k++] = g_strdup (fixed_pages[i]);
  for (guint i = 0; i < N_PRODUCT_PAGES; i++)
    w->urls[k++] = g_strdup_printf ("/product/%s", w->products[i].id);
  for (guint i = 0; i < N_BLOG; i++)
    w->urls[k++] = g_strdup_printf ("/blog/post-%u", i + 1);
  cdf_init_zipf (&w->url_cdf, w->n_urls, 1.0, 2);

  cdf_init_weights (&w->referrer_cdf, referrer_weights, G_N_ELEMENTS (referrer_weights));
  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    city_w[i] = cities[i].weight;
  cdf_init_weights (&w->city_cdf, city_w, G_N_ELEMENTS (cities));
  cdf_init_weights (&w->app_version_cdf, app_version_weights, G_N_ELEMENTS (app_versions));
}

static void
world_clear (World *w)
{
  g_strfreev (w->urls);
  g_free (w->product_cdf.cdf);
  g_free (w->url_cdf.cdf);
  g_free (w->referrer_cdf.cdf);
  g_free (w->city_cdf.cdf);
  g_free (w->app_version_cdf.cdf);
}

/* ---------------------------------------------------------------------------------------- */
/* Events                                                                                   */

typedef struct
{
  gint64  ts;      /* epoch ms */
  guint32 user;    /* 0-based user index */
  guint32 a;       /* product index, url index */
  guint32 cents;   /* price or amount */
  guint8  type;
  guint8  b;       /* items, rating, referrer index */
  guint8  pad[2];
} GenEvent;

#define MAX_SESSION 96

typedef struct
{
  GenEvent ev[MAX_SESSION];
  guint    n;
  guint    cap;
  gint64   t;      /* ms since session start */
} Session;

static gboolean
session_push (Session  *s,
              guint8    type,
              guint32   a,
              guint32   cents,
              guint8    b)
{
  GenEvent *e;

  if (s->n >= s->cap)
    return FALSE;
  e = &s->ev[s->n++];
  e->ts = s->t;
  e->type = type;
  e->a = a;
  e->cents = cents;
  e->b = b;
  return TRUE;
}

static guint8
draw_rating (Rng *r)
{
  static const double w[] = { 0.07, 0.13, 0.25, 0.55 };
  double u = rng_double (r);

  for (guint i = 0; i < G_N_ELEMENTS (w); i++)
    if (u < w[i])
      return (guint8) (i + 1);
  return 5;
}

/* Builds one session of at most @cap events, times relative to its start. */
static void
build_session (const World *w,
               Rng         *r,
               Session     *s,
               guint        cap)
{
  guint steps = 1 + (guint) rng_exp (r, 5.0);
  guint cart_items = 0;
  guint32 cart_cents = 0;
  gint64 last_cart = 0;

  s->n = 0;
  s->t = 0;
  s->cap = MIN (cap, MAX_SESSION);

  if (!session_push (s, EV_APP_LAUNCHED, 0, 0, 0))
    return;

  for (guint i = 0; i < steps; i++)
    {
      double u = rng_double (r);

      s->t += 2000 + (gint64) rng_exp (r, 40000.0);
      if (u < 0.55)
        {
          guint p = cdf_sample (&w->product_cdf, r);
          guint32 price = w->products[p].cents;

          if (!session_push (s, EV_PRODUCT_VIEWED, p, price, 0))
            return;
          if (rng_chance (r, 0.28))
            {
              guint qty = rng_chance (r, 0.85) ? 1 : 2;

              s->t += 3000 + (gint64) rng_exp (r, 25000.0);
              if (!session_push (s, EV_ADDED_TO_CART, p, price, 0))
                return;
              cart_items += qty;
              cart_cents += price * qty;
              last_cart = s->t;
            }
        }
      else if (u < 0.95)
        {
          guint url = cdf_sample (&w->url_cdf, r);
          guint ref = cdf_sample (&w->referrer_cdf, r);

          if (!session_push (s, EV_PAGE_VISITED, url, 0, (guint8) ref))
            return;
        }
      else
        {
          if (!session_push (s, EV_RATED, 0, 0, draw_rating (r)))
            return;
        }
    }

  /* About 40% of the carts are paid for; most of those within 10 minutes of the last
   * addition, the others after 12 minutes up to a few days. */
  if (cart_items > 0 && rng_chance (r, 0.40))
    {
      gint64 delay;

      if (rng_chance (r, 0.6))
        delay = 15000 + (gint64) rng_below (r, 555000);
      else
        delay = 12 * 60000 + (gint64) rng_exp (r, 8.0 * 3600000.0);
      s->t = MAX (s->t, last_cart + delay);
      session_push (s, EV_CHARGED, 0, cart_cents, (guint8) MIN (cart_items, 255));
    }
}

typedef struct
{
  guint64  seed;
  guint64  n_events;
  guint32  n_users;
  gint64   now_ms;
  gint64   span_ms;
} GenParams;

/* Spreads the events over the users with Zipf weights on a shuffled rank, using
 * systematic rounding so the total is exactly n_events. */
static guint32 *
allocate_counts (const GenParams *p)
{
  guint32 *counts = g_new0 (guint32, p->n_users);
  guint32 *rank = g_new (guint32, p->n_users);
  double *weight = g_new (double, p->n_users);
  double total = 0, acc, offset;
  guint64 assigned = 0, prev;
  Rng r;

  rng_init (&r, p->seed, G_GUINT64_CONSTANT (0xA110C00000000000));
  for (guint32 i = 0; i < p->n_users; i++)
    rank[i] = i;
  for (guint32 i = p->n_users - 1; i > 0; i--)
    {
      guint32 j = rng_below (&r, i + 1);
      guint32 tmp = rank[i];

      rank[i] = rank[j];
      rank[j] = tmp;
    }
  for (guint32 i = 0; i < p->n_users; i++)
    {
      /* One user in twenty has a profile but never did anything. */
      if (rng_chance (&r, 0.05))
        weight[i] = 0;
      else
        weight[i] = pow ((double) rank[i] + 101.0, -1.0);
      total += weight[i];
    }

  offset = rng_double (&r);
  acc = offset;
  prev = 0;
  for (guint32 i = 0; i < p->n_users; i++)
    {
      guint64 upto;

      acc += weight[i] / total * (double) p->n_events;
      upto = MIN ((guint64) floor (acc), p->n_events);
      counts[i] = (guint32) (upto - prev);
      assigned += counts[i];
      prev = upto;
    }
  /* Floating point can leave the last event or two unassigned. */
  for (guint32 i = 0; assigned < p->n_events; i = (i + 1) % p->n_users)
    if (weight[i] > 0)
      {
        counts[i]++;
        assigned++;
      }

  g_free (rank);
  g_free (weight);
  return counts;
}

/* First-seen time of a user: new users keep arriving over the whole span. */
static gint64
user_start (const GenParams *p,
            guint32          user)
{
  Rng r;

  rng_init (&r, p->seed, G_GUINT64_CONSTANT (0x5747000000000000) | user);
  return p->now_ms - (gint64) (sqrt (rng_double (&r)) * (double) p->span_ms);
}

static GenEvent *
generate_events (const World     *w,
                 const GenParams *p)
{
  g_autofree guint32 *counts = allocate_counts (p);
  GenEvent *events = g_new (GenEvent, MAX (p->n_events, 1));
  guint64 k = 0;
  Session s;

  for (guint32 u = 0; u < p->n_users; u++)
    {
      guint32 budget = counts[u];
      gint64 start = user_start (p, u);
      Rng r;

      if (budget == 0)
        continue;
      rng_init (&r, p->seed, (guint64) u + 1);
      while (budget > 0)
        {
          gint64 len, t0;

          build_session (w, &r, &s, budget);
          len = s.ev[s.n - 1].ts;
          t0 = start + (gint64) (rng_double (&r) * (double) (p->now_ms - start));
          if (t0 + len > p->now_ms)
            t0 = p->now_ms - len - (gint64) rng_below (&r, 60000);
          for (guint i = 0; i < s.n; i++)
            {
              events[k] = s.ev[i];
              events[k].ts += t0;
              events[k].user = u;
              k++;
            }
          budget -= s.n;
        }
    }
  g_assert (k == p->n_events);
  return events;
}

/* Stable LSD radix sort by timestamp, 12 bits a pass. */
static void
sort_events (GenEvent **events,
             guint64    n)
{
  GenEvent *src = *events, *dst;
  gint64 tmin = G_MAXINT64, tmax = G_MININT64;
  guint64 range;
  guint passes = 0;

  if (n < 2)
    return;
  for (guint64 i = 0; i < n; i++)
    {
      tmin = MIN (tmin, src[i].ts);
      tmax = MAX (tmax, src[i].ts);
    }
  range = (guint64) (tmax - tmin);
  while (passes < 6 && (range >> (12 * passes)) != 0)
    passes++;

  dst = g_new (GenEvent, n);
  for (guint pass = 0; pass < passes; pass++)
    {
      guint64 count[4097] = { 0 };
      guint shift = 12 * pass;
      GenEvent *tmp;

      for (guint64 i = 0; i < n; i++)
        count[(((guint64) (src[i].ts - tmin) >> shift) & 4095) + 1]++;
      for (guint i = 1; i <= 4096; i++)
        count[i] += count[i - 1];
      for (guint64 i = 0; i < n; i++)
        dst[count[((guint64) (src[i].ts - tmin) >> shift) & 4095]++] = src[i];
      tmp = src;
      src = dst;
      dst = tmp;
    }
  g_free (dst);
  *events = src;
}

/* ---------------------------------------------------------------------------------------- */
/* Output                                                                                   */

typedef struct
{
  GOutputStream *out;
  char          *buf;
  gsize          len;
  gsize          size;
  GError        *error;
} Writer;

static void
writer_flush (Writer *wr)
{
  if (wr->len > 0 && wr->error == NULL)
    g_output_stream_write_all (wr->out, wr->buf, wr->len, NULL, NULL, &wr->error);
  wr->len = 0;
}

static inline void
writer_ensure (Writer *wr,
               gsize   n)
{
  if (wr->len + n > wr->size)
    writer_flush (wr);
}

static inline void
put_mem (Writer     *wr,
         const char *s,
         gsize       n)
{
  writer_ensure (wr, n);
  memcpy (wr->buf + wr->len, s, n);
  wr->len += n;
}

static inline void
put_str (Writer     *wr,
         const char *s)
{
  put_mem (wr, s, strlen (s));
}

static inline void
put_char (Writer *wr,
          char    c)
{
  writer_ensure (wr, 1);
  wr->buf[wr->len++] = c;
}

static inline void
put_u64 (Writer  *wr,
         guint64  v)
{
  char tmp[24];
  int i = sizeof tmp;

  do
    {
      tmp[--i] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v > 0);
  put_mem (wr, tmp + i, sizeof tmp - i);
}

static inline void
put_cents (Writer  *wr,
           guint32  cents)
{
  put_u64 (wr, cents / 100);
  put_char (wr, '.');
  put_char (wr, (char) ('0' + (cents / 10) % 10));
  put_char (wr, (char) ('0' + cents % 10));
}

static inline void
put_user (Writer  *wr,
          guint32  user)
{
  put_char (wr, 'u');
  put_u64 (wr, (guint64) user + 1);
}

static void
put_fixed6 (Writer *wr,
            double  v)
{
  char tmp[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (tmp, sizeof tmp, "%.5f", v);
  put_str (wr, tmp);
}

typedef enum
{
  FORMAT_CSV,
  FORMAT_JSONL,
  FORMAT_MIXPANEL,
} Format;

static const char events_csv_header[] =
  "user_id,event,ts,product,category,price,amount,items,url,referrer,rating\n";

static void
write_event_csv (Writer         *wr,
                 const World    *w,
                 const GenEvent *e)
{
  put_user (wr, e->user);
  put_char (wr, ',');
  put_str (wr, event_names[e->type]);
  put_char (wr, ',');
  put_u64 (wr, (guint64) e->ts);
  /* product,category,price,amount,items,url,referrer,rating */
  switch (e->type)
    {
    case EV_PRODUCT_VIEWED:
      put_char (wr, ',');
      put_str (wr, w->products[e->a].id);
      put_char (wr, ',');
      put_str (wr, categories[w->products[e->a].category]);
      put_char (wr, ',');
      put_cents (wr, e->cents);
      put_str (wr, ",,,,,\n");
      break;
    case EV_ADDED_TO_CART:
      put_char (wr, ',');
      put_str (wr, w->products[e->a].id);
      put_str (wr, ",,");
      put_cents (wr, e->cents);
      put_str (wr, ",,,,,\n");
      break;
    case EV_CHARGED:
      put_str (wr, ",,,,");
      put_cents (wr, e->cents);
      put_char (wr, ',');
      put_u64 (wr, e->b);
      put_str (wr, ",,,\n");
      break;
    case EV_PAGE_VISITED:
      put_str (wr, ",,,,,,");
      put_str (wr, w->urls[e->a]);
      put_char (wr, ',');
      if (referrers[e->b] != NULL)
        put_str (wr, referrers[e->b]);
      put_str (wr, ",\n");
      break;
    case EV_RATED:
      put_str (wr, ",,,,,,,,");
      put_u64 (wr, e->b);
      put_char (wr, '\n');
      break;
    case EV_APP_LAUNCHED:
    default:
      put_str (wr, ",,,,,,,,\n");
      break;
    }
}

static inline void
put_json_key_str (Writer     *wr,
                  const char *key,
                  const char *value)
{
  /* All generated strings are free of quotes, backslashes and control characters. */
  put_char (wr, '"');
  put_str (wr, key);
  put_str (wr, "\":\"");
  put_str (wr, value);
  put_char (wr, '"');
}

static void
write_event_properties_json (Writer         *wr,
                             const World    *w,
                             const GenEvent *e,
                             gboolean        first)
{
#define SEP() G_STMT_START { if (!first) put_char (wr, ','); first = FALSE; } G_STMT_END
  switch (e->type)
    {
    case EV_PRODUCT_VIEWED:
      SEP ();
      put_json_key_str (wr, "product", w->products[e->a].id);
      SEP ();
      put_json_key_str (wr, "category", categories[w->products[e->a].category]);
      SEP ();
      put_str (wr, "\"price\":");
      put_cents (wr, e->cents);
      break;
    case EV_ADDED_TO_CART:
      SEP ();
      put_json_key_str (wr, "product", w->products[e->a].id);
      SEP ();
      put_str (wr, "\"price\":");
      put_cents (wr, e->cents);
      break;
    case EV_CHARGED:
      SEP ();
      put_str (wr, "\"amount\":");
      put_cents (wr, e->cents);
      SEP ();
      put_str (wr, "\"items\":");
      put_u64 (wr, e->b);
      break;
    case EV_PAGE_VISITED:
      SEP ();
      put_json_key_str (wr, "url", w->urls[e->a]);
      if (referrers[e->b] != NULL)
        {
          SEP ();
          put_json_key_str (wr, "referrer", referrers[e->b]);
        }
      break;
    case EV_RATED:
      SEP ();
      put_str (wr, "\"rating\":");
      put_u64 (wr, e->b);
      break;
    default:
      break;
    }
#undef SEP
}

static void
write_event_jsonl (Writer         *wr,
                   const World    *w,
                   const GenEvent *e)
{
  put_str (wr, "{\"user_id\":\"");
  put_user (wr, e->user);
  put_str (wr, "\",\"event\":\"");
  put_str (wr, event_names[e->type]);
  put_str (wr, "\",\"ts\":");
  put_u64 (wr, (guint64) e->ts);
  put_str (wr, ",\"properties\":{");
  write_event_properties_json (wr, w, e, TRUE);
  put_str (wr, "}}\n");
}

/* Mixpanel's raw export: time in epoch seconds, distinct_id and $insert_id inside
 * properties. */
static void
write_event_mixpanel (Writer         *wr,
                      const World    *w,
                      const GenEvent *e,
                      guint64         index)
{
  put_str (wr, "{\"event\":\"");
  put_str (wr, event_names[e->type]);
  put_str (wr, "\",\"properties\":{\"time\":");
  put_u64 (wr, (guint64) (e->ts / 1000));
  put_str (wr, ",\"distinct_id\":\"");
  put_user (wr, e->user);
  put_str (wr, "\",\"$insert_id\":\"e");
  put_u64 (wr, index);
  put_char (wr, '"');
  write_event_properties_json (wr, w, e, FALSE);
  put_str (wr, "}}\n");
}

static const char profiles_csv_header[] =
  "user_id,name,email,phone,city,country,latitude,longitude,platform,app_version,"
  "signup_date,email_optin,push_token,push_optin,sms_optin,whatsapp_optin,test_user\n";

static void
put_optin (Writer  *wr,
           Rng     *r,
           double   p_true,
           double   p_false)
{
  double u = rng_double (r);

  if (u < p_true)
    put_str (wr, "true");
  else if (u < p_true + p_false)
    put_str (wr, "false");
  put_char (wr, ',');
}

static void
write_profile_csv (Writer          *wr,
                   const World     *w,
                   const GenParams *p,
                   guint32          user)
{
  const char *first, *last;
  const City *city;
  g_autofree char *lower = NULL;
  g_autoptr(GDateTime) signup = NULL;
  g_autofree char *signup_str = NULL;
  guint platform;
  Rng r;

  rng_init (&r, p->seed, G_GUINT64_CONSTANT (0x9F0F000000000000) | user);
  first = first_names[rng_below (&r, G_N_ELEMENTS (first_names))];
  last = last_names[rng_below (&r, G_N_ELEMENTS (last_names))];

  put_user (wr, user);
  put_char (wr, ',');
  put_str (wr, first);
  put_char (wr, ' ');
  put_str (wr, last);
  put_char (wr, ',');

  /* email: 92% have one */
  if (rng_chance (&r, 0.92))
    {
      lower = g_utf8_strdown (first, -1);
      put_str (wr, lower);
      put_char (wr, '.');
      put_u64 (wr, (guint64) user + 1);
      put_str (wr, "@example.com");
    }
  put_char (wr, ',');

  /* phone: 70% */
  if (rng_chance (&r, 0.70))
    {
      put_str (wr, "+1555");
      put_u64 (wr, 1000000 + rng_below (&r, 9000000));
    }
  put_char (wr, ',');

  city = &cities[cdf_sample (&w->city_cdf, &r)];
  if (city->city != NULL)
    {
      put_str (wr, city->city);
      put_char (wr, ',');
      put_str (wr, city->country);
      put_char (wr, ',');
      put_fixed6 (wr, city->lat + (rng_double (&r) - 0.5) * 0.3);
      put_char (wr, ',');
      put_fixed6 (wr, city->lon + (rng_double (&r) - 0.5) * 0.3);
      put_char (wr, ',');
    }
  else
    put_str (wr, ",,,,");

  platform = rng_below (&r, 100);
  put_str (wr, platform < 45 ? "Android" : platform < 80 ? "iOS" : "Web");
  put_char (wr, ',');
  put_str (wr, app_versions[cdf_sample (&w->app_version_cdf, &r)]);
  put_char (wr, ',');

  signup = g_date_time_new_from_unix_utc (user_start (p, user) / 1000);
  signup_str = g_date_time_format (signup, "%Y-%m-%d");
  put_str (wr, signup_str);
  put_char (wr, ',');

  put_optin (wr, &r, 0.75, 0.20);                     /* email_optin */
  if (platform < 80 && rng_chance (&r, 0.85))          /* push_token, mobile only */
    {
      static const char hex[] = "0123456789abcdef";

      put_str (wr, "tok_");
      for (guint i = 0; i < 16; i++)
        put_char (wr, hex[rng_below (&r, 16)]);
    }
  put_char (wr, ',');
  put_optin (wr, &r, 0.70, 0.20);                     /* push_optin */
  put_optin (wr, &r, 0.55, 0.35);                     /* sms_optin */
  put_optin (wr, &r, 0.30, 0.40);                     /* whatsapp_optin */
  put_str (wr, rng_chance (&r, 0.003) ? "true" : "false");
  put_char (wr, '\n');
}

static GOutputStream *
open_output (const char  *path,
             gboolean     gzip,
             int          level,
             GError     **error)
{
  g_autoptr(GOutputStream) base = NULL;

  if (path == NULL || g_str_equal (path, "-"))
    base = g_unix_output_stream_new (1, FALSE);
  else
    {
      /* Plain open(2) rather than g_file_replace() so /dev/null and pipes work too. */
      int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

      if (fd < 0)
        {
          int errsv = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       "Cannot write %s: %s", path, g_strerror (errsv));
          return NULL;
        }
      base = g_unix_output_stream_new (fd, TRUE);
    }

  if (gzip)
    {
      g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                                            level);

      return g_converter_output_stream_new (base, G_CONVERTER (z));
    }
  return g_steal_pointer (&base);
}

static gboolean
writer_finish (Writer  *wr,
               GError **error)
{
  writer_flush (wr);
  if (wr->error == NULL)
    g_output_stream_close (wr->out, NULL, &wr->error);
  g_clear_object (&wr->out);
  g_clear_pointer (&wr->buf, g_free);
  if (wr->error != NULL)
    {
      g_propagate_error (error, wr->error);
      wr->error = NULL;
      return FALSE;
    }
  return TRUE;
}

static gboolean
writer_open (Writer      *wr,
             const char  *path,
             gboolean     gzip,
             int          level,
             GError     **error)
{
  memset (wr, 0, sizeof *wr);
  wr->out = open_output (path, gzip, level, error);
  if (wr->out == NULL)
    return FALSE;
  wr->size = 1 << 20;
  wr->buf = g_malloc (wr->size);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */

static gboolean
parse_time (const char  *s,
            gint64      *out_ms,
            GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  char *end = NULL;
  gint64 v;

  v = g_ascii_strtoll (s, &end, 10);
  if (end != s && *end == '\0')
    {
      *out_ms = v < G_GINT64_CONSTANT (100000000000) ? v * 1000 : v;
      return TRUE;
    }
  dt = g_date_time_new_from_iso8601 (s, utc);
  if (dt == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Cannot parse time “%s” (ISO-8601 or epoch seconds/ms)", s);
      return FALSE;
    }
  *out_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

/**
 * seg_gen_run:
 * @argv: (array zero-terminated=1): the command line of `seg-gen`, its program name first;
 *   see tests/bench/README.md for the options
 * @error: return location for an error
 *
 * Generates the event (and profile) files the options ask for. Blocking; safe to call from
 * a worker thread (it keeps no global state). The output is a pure function of the options.
 *
 * Returns: %TRUE on success
 */
gboolean
seg_gen_run (const char * const  *argv_in,
             GError             **error_out)
{
  g_auto(GStrv) argv = g_strdupv ((char **) argv_in);
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *now_str = NULL;
  g_autofree char *format_str = NULL;
  g_autofree char *output = NULL;
  g_autofree char *profiles = NULL;
  gint64 seed = 1, n_events = -1, n_users = -1;
  int span_days = 180, gzip_level = 6;
  gboolean gzip = FALSE, quiet = FALSE;
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 1)", "N" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size,
      "Preset: S = 1M events / 100k users, L = 10M events / 1M users", "S|L" },
    { "events", 0, 0, G_OPTION_ARG_INT64, &n_events, "Number of events", "N" },
    { "users", 0, 0, G_OPTION_ARG_INT64, &n_users, "Number of users", "N" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_str,
      "End of the time range (ISO-8601 or epoch; default 2024-06-30T12:00:00Z)", "TIME" },
    { "span-days", 0, 0, G_OPTION_ARG_INT, &span_days, "Length of the range (default 180)", "D" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_str,
      "Events format: csv (canonical), jsonl ({user_id,event,ts,properties}), mixpanel",
      "FMT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Events file (default stdout)", "FILE" },
    { "profiles", 'p', 0, G_OPTION_ARG_FILENAME, &profiles, "Also write the profiles CSV", "FILE" },
    { "gzip", 'z', 0, G_OPTION_ARG_NONE, &gzip, "gzip the events (and profiles) output", NULL },
    { "gzip-level", 0, 0, G_OPTION_ARG_INT, &gzip_level, "gzip level 1-9 (default 6)", "L" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No timing on stderr", NULL },
    { NULL }
  };
  World world;
  GenParams params;
  GenEvent *events;
  Format format = FORMAT_CSV;
  Writer wr;
  gint64 t0 = g_get_monotonic_time ();

  ctx = g_option_context_new ("- generate benchmark event data");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse_strv (ctx, &argv, &error))
    goto fail;

  if (size != NULL)
    {
      if (g_ascii_strcasecmp (size, "S") == 0)
        {
          n_events = n_events < 0 ? 1000000 : n_events;
          n_users = n_users < 0 ? 100000 : n_users;
        }
      else if (g_ascii_strcasecmp (size, "L") == 0)
        {
          n_events = n_events < 0 ? 10000000 : n_events;
          n_users = n_users < 0 ? 1000000 : n_users;
        }
      else
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Unknown size “%s” (S or L)", size);
          goto fail;
        }
    }
  if (n_events < 0)
    n_events = 1000;
  if (n_users < 0)
    n_users = MAX (1, n_events / 10);
  if (n_users < 1 || n_users > G_MAXINT32 || n_events > G_MAXINT32 || span_days < 1 ||
      gzip_level < 1 || gzip_level > 9)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "Bad sizes or levels");
      goto fail;
    }
  if (format_str != NULL)
    {
      if (g_str_equal (format_str, "csv"))
        format = FORMAT_CSV;
      else if (g_str_equal (format_str, "jsonl"))
        format = FORMAT_JSONL;
      else if (g_str_equal (format_str, "mixpanel"))
        format = FORMAT_MIXPANEL;
      else
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Unknown format “%s”", format_str);
          goto fail;
        }
    }

  params.seed = (guint64) seed;
  params.n_events = (guint64) n_events;
  params.n_users = (guint32) n_users;
  params.span_ms = (gint64) span_days * 86400000;
  if (!parse_time (now_str ? now_str : "2024-06-30T12:00:00Z", &params.now_ms, &error))
    goto fail;

  world_init (&world, params.seed);
  events = generate_events (&world, &params);
  sort_events (&events, params.n_events);
  if (!quiet)
    g_printerr ("seg-gen: generated %" G_GUINT64_FORMAT " events for %u users in %.2f s\n",
                params.n_events, params.n_users, (g_get_monotonic_time () - t0) / 1e6);

  if (!writer_open (&wr, output, gzip, gzip_level, &error))
    goto fail;
  if (format == FORMAT_CSV)
    put_str (&wr, events_csv_header);
  for (guint64 i = 0; i < params.n_events; i++)
    {
      if (format == FORMAT_CSV)
        write_event_csv (&wr, &world, &events[i]);
      else if (format == FORMAT_JSONL)
        write_event_jsonl (&wr, &world, &events[i]);
      else
        write_event_mixpanel (&wr, &world, &events[i], i + 1);
    }
  if (!writer_finish (&wr, &error))
    goto fail;
  g_free (events);

  if (profiles != NULL)
    {
      if (!writer_open (&wr, profiles, gzip, gzip_level, &error))
        goto fail;
      put_str (&wr, profiles_csv_header);
      for (guint32 u = 0; u < params.n_users; u++)
        write_profile_csv (&wr, &world, &params, u);
      if (!writer_finish (&wr, &error))
        goto fail;
    }

  if (!quiet)
    g_printerr ("seg-gen: done in %.2f s\n", (g_get_monotonic_time () - t0) / 1e6);
  world_clear (&world);
  return TRUE;

fail:
  g_propagate_error (error_out, g_steal_pointer (&error));
  return FALSE;
}
