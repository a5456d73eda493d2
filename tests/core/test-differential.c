/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "store-fixture.h"

/*
 * A randomized differential test: random events and profiles go through the real writer
 * into a real store file (in several commits, so that chunks are appended and merged,
 * and the store is reopened); random definitions are evaluated by the engine and by a
 * naive reference that loops over the raw rows with UTC calendar arithmetic. Both must
 * name the same members. Seedable: SEG_DIFF_SEED=N (the seed is printed).
 */

#define N_USERS 250
#define N_EVENTS 6000
#define N_DEFS 400
#define DAY ((gint64) 86400000)

static const char *event_names[] = { "A", "B", "C" };
static const char *tags[] = { "red", "green", "blue", "redish" };
static const char *cities[] = { "Paris", "Rome", "Oslo" };

typedef struct
{
  guint    user;
  guint    event;
  gint64   ts;
  double   amount;   /* NAN = missing */
  int      tag;      /* -1 = missing */
} Row;

typedef struct
{
  GArray  *rows;
  int      city[N_USERS];    /* -1 = missing */
  double   age[N_USERS];
  gint64   now;
} World;

/* The reference. */

static gint64
midnight (gint64 day)
{
  return day * DAY;
}

static void
ref_window (const SegTimeWindow *w,
            gint64               now,
            gint64              *lo,
            gint64              *hi)
{
  gint64 today = now / DAY;

  *lo = G_MININT64;
  *hi = now;
  switch (w->type)
    {
    case SEG_WINDOW_LAST:
      if (w->unit == SEG_TIME_UNIT_HOURS)
        *lo = now - w->n * 3600000 + 1;
      else
        *lo = midnight (today - (w->n - 1));
      break;
    case SEG_WINDOW_TODAY:
      *lo = midnight (today);
      break;
    case SEG_WINDOW_DAYS_AGO:
      *lo = midnight (today - w->n);
      *hi = MIN (now, midnight (today - w->n + 1) - 1);
      break;
    case SEG_WINDOW_BETWEEN_DAYS_AGO:
      *lo = midnight (today - w->from_days);
      *hi = MIN (now, midnight (today - w->to_days + 1) - 1);
      break;
    case SEG_WINDOW_EVER:
    default:
      break;
    }
}

static gboolean
ref_filter (const SegFilter *f,
            const Row       *r)
{
  if (g_str_equal (f->property, "amount"))
    {
      gboolean has = !isnan (r->amount);
      switch (f->op)
        {
        case SEG_OP_EXISTS: return has;
        case SEG_OP_NOT_EXISTS: return !has;
        case SEG_OP_GT: return has && r->amount > f->num[0];
        case SEG_OP_LT: return has && r->amount < f->num[0];
        case SEG_OP_BETWEEN: return has && r->amount >= f->num[0] && r->amount <= f->num[1];
        default: g_assert_not_reached ();
        }
    }
  else
    {
      gboolean has = r->tag >= 0;
      switch (f->op)
        {
        case SEG_OP_EXISTS: return has;
        case SEG_OP_NOT_EXISTS: return !has;
        case SEG_OP_EQUALS: return has && g_str_equal (tags[r->tag], f->strings[0]);
        case SEG_OP_NOT_EQUALS: return has && !g_str_equal (tags[r->tag], f->strings[0]);
        case SEG_OP_CONTAINS: return has && strstr (tags[r->tag], f->strings[0]) != NULL;
        default: g_assert_not_reached ();
        }
    }
}

static gboolean
ref_where (GPtrArray *where,
           const Row *r)
{
  for (guint i = 0; i < where->len; i++)
    if (!ref_filter (g_ptr_array_index (where, i), r))
      return FALSE;
  return TRUE;
}

static guint
event_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (event_names); i++)
    if (g_str_equal (event_names[i], name))
      return i;
  g_assert_not_reached ();
}

static gboolean
compare (SegOp         op,
         double        v,
         const double *ref)
{
  switch (op)
    {
    case SEG_OP_GT: return v > ref[0];
    case SEG_OP_GE: return v >= ref[0];
    case SEG_OP_LT: return v < ref[0];
    case SEG_OP_EQ: return v == ref[0];
    default: g_assert_not_reached ();
    }
}

static gboolean
ref_did (World         *w,
         const SegRule *r,
         guint          u)
{
  gint64 lo, hi;
  gboolean any = FALSE;

  ref_window (&r->when, w->now, &lo, &hi);
  for (guint e = 0; r->events[e] != NULL; e++)
    {
      guint ev = event_index (r->events[e]);
      guint64 cnt = 0, nval = 0;
      double sum = 0;
      gint64 first = G_MAXINT64, last = G_MININT64;

      for (guint i = 0; i < w->rows->len; i++)
        {
          const Row *row = &g_array_index (w->rows, Row, i);
          if (row->user != u || row->event != ev || !ref_where (r->where, row))
            continue;
          if (row->ts <= w->now)
            {
              first = MIN (first, row->ts);
              last = MAX (last, row->ts);
            }
          if (row->ts < lo || row->ts > hi)
            continue;
          cnt++;
          if (!isnan (row->amount))
            {
              nval++;
              sum += row->amount;
            }
        }
      if (r->occurrence == SEG_OCCURRENCE_FIRST)
        any = first != G_MAXINT64 && first >= lo && first <= hi;
      else if (r->occurrence == SEG_OCCURRENCE_LAST)
        any = last != G_MININT64 && last >= lo && last <= hi;
      else if (r->aggregate != NULL)
        {
          const SegAggregate *a = r->aggregate;
          double value;
          gboolean doer = cnt > 0;

          if (a->fn == SEG_AGG_COUNT)
            value = (double) cnt;
          else if (a->fn == SEG_AGG_SUM)
            value = sum;
          else
            {
              value = nval ? sum / (double) nval : 0;
              doer = doer && nval > 0;
            }
          if (doer)
            any = compare (a->op, value, a->value);
          else
            any = a->include_non_doers && compare (a->op, 0, a->value);
        }
      else
        any = any || cnt > 0;
      if (any)
        return TRUE;
    }
  return any;
}

static gboolean
ref_sequence (World         *w,
              const SegRule *r,
              guint          u)
{
  guint ea = event_index (r->first.event), eb = event_index (r->then.event);
  gint64 within = r->within_n * (r->within_unit == SEG_TIME_UNIT_HOURS ? 3600000 : 60000);
  gint64 lo, hi;

  ref_window (&r->when, w->now, &lo, &hi);
  for (guint i = 0; i < w->rows->len; i++)
    {
      const Row *a = &g_array_index (w->rows, Row, i);
      gboolean followed = FALSE;

      if (a->user != u || a->event != ea || a->ts < lo || a->ts > hi || !ref_where (r->first.where, a))
        continue;
      if (r->negate && a->ts + within > w->now)
        continue;
      for (guint k = 0; k < w->rows->len && !followed; k++)
        {
          const Row *b = &g_array_index (w->rows, Row, k);
          followed = b->user == u && b->event == eb && b->ts > a->ts && b->ts <= a->ts + within &&
                     b->ts <= w->now && ref_where (r->then.where, b);
        }
      if (r->negate ? !followed : followed)
        return TRUE;
    }
  return FALSE;
}

static gboolean
ref_rule (World         *w,
          const SegRule *r,
          guint          u)
{
  switch (r->kind)
    {
    case SEG_RULE_GROUP:
      for (guint i = 0; i < r->children->len; i++)
        {
          gboolean m = ref_rule (w, g_ptr_array_index (r->children, i), u);
          if (r->any && m)
            return TRUE;
          if (!r->any && !m)
            return FALSE;
        }
      return !r->any;
    case SEG_RULE_DID:
    case SEG_RULE_DID_ANY:
      return ref_did (w, r, u);
    case SEG_RULE_DID_NOT:
      return !ref_did (w, r, u);
    case SEG_RULE_USER:
      if (g_str_equal (r->user->property, "city"))
        return w->city[u] >= 0 && g_str_equal (cities[w->city[u]], r->user->strings[0]);
      return !isnan (w->age[u]) && w->age[u] > r->user->num[0];
    case SEG_RULE_SEQUENCE:
      return ref_sequence (w, r, u);
    default:
      g_assert_not_reached ();
    }
}

/* Random definitions. */

static void
rand_window (GRand   *rand,
             GString *s)
{
  switch (g_rand_int_range (rand, 0, 7))
    {
    case 0: break;
    case 1: g_string_append_printf (s, ",\"when\":{\"type\":\"last\",\"n\":%d,\"unit\":\"days\"}", g_rand_int_range (rand, 1, 40)); break;
    case 2: g_string_append_printf (s, ",\"when\":{\"type\":\"last\",\"n\":%d,\"unit\":\"hours\"}", g_rand_int_range (rand, 1, 200)); break;
    case 3: g_string_append (s, ",\"when\":{\"type\":\"today\"}"); break;
    case 4: g_string_append_printf (s, ",\"when\":{\"type\":\"days_ago\",\"n\":%d}", g_rand_int_range (rand, 0, 10)); break;
    case 5:
      {
        int a = g_rand_int_range (rand, 0, 40);
        g_string_append_printf (s, ",\"when\":{\"type\":\"between_days_ago\",\"from\":%d,\"to\":%d}", a + g_rand_int_range (rand, 0, 20), a);
      }
      break;
    default: g_string_append (s, ",\"when\":{\"type\":\"ever\"}"); break;
    }
}

static void
rand_where (GRand   *rand,
            GString *s,
            const char *key)
{
  int n = g_rand_int_range (rand, 0, 3);

  if (n == 0)
    return;
  g_string_append_printf (s, ",\"%s\":[", key);
  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      switch (g_rand_int_range (rand, 0, 8))
        {
        case 0: g_string_append_printf (s, "{\"property\":\"amount\",\"op\":\"gt\",\"value\":%d}", g_rand_int_range (rand, 0, 100)); break;
        case 1: g_string_append_printf (s, "{\"property\":\"amount\",\"op\":\"lt\",\"value\":%d}", g_rand_int_range (rand, 0, 100)); break;
        case 2: g_string_append_printf (s, "{\"property\":\"amount\",\"op\":\"between\",\"value\":[%d,%d]}", 10, g_rand_int_range (rand, 10, 90)); break;
        case 3: g_string_append (s, "{\"property\":\"amount\",\"op\":\"exists\"}"); break;
        case 4: g_string_append (s, "{\"property\":\"tag\",\"op\":\"not_exists\"}"); break;
        case 5: g_string_append_printf (s, "{\"property\":\"tag\",\"op\":\"equals\",\"value\":\"%s\"}", tags[g_rand_int_range (rand, 0, 4)]); break;
        case 6: g_string_append_printf (s, "{\"property\":\"tag\",\"op\":\"not_equals\",\"value\":\"%s\"}", tags[g_rand_int_range (rand, 0, 4)]); break;
        default: g_string_append (s, "{\"property\":\"tag\",\"op\":\"contains\",\"value\":\"red\"}"); break;
        }
    }
  g_string_append_c (s, ']');
}

static void
rand_positive (GRand   *rand,
               GString *s)
{
  const char *ev = event_names[g_rand_int_range (rand, 0, 3)];

  switch (g_rand_int_range (rand, 0, 8))
    {
    case 0:
    case 1:
      g_string_append_printf (s, "{\"did\":\"%s\"", ev);
      rand_where (rand, s, "where");
      rand_window (rand, s);
      g_string_append_c (s, '}');
      break;
    case 2:
      g_string_append_printf (s, "{\"did\":\"%s\"", ev);
      rand_where (rand, s, "where");
      rand_window (rand, s);
      {
        static const char *fns[] = { "count", "sum", "avg" };
        static const char *ops[] = { "gt", "ge", "lt", "eq" };
        int fn = g_rand_int_range (rand, 0, 3);
        g_string_append_printf (s, ",\"aggregate\":{\"fn\":\"%s\"%s,\"op\":\"%s\",\"value\":%d,\"include_non_doers\":%s}}",
                                fns[fn], fn ? ",\"property\":\"amount\"" : "", ops[g_rand_int_range (rand, 0, 4)],
                                fn ? g_rand_int_range (rand, 0, 120) : g_rand_int_range (rand, 0, 5),
                                g_rand_boolean (rand) ? "true" : "false");
      }
      break;
    case 3:
      g_string_append_printf (s, "{\"did\":\"%s\",\"occurrence\":\"%s\"", ev, g_rand_boolean (rand) ? "first" : "last");
      rand_where (rand, s, "where");
      rand_window (rand, s);
      g_string_append_c (s, '}');
      break;
    case 4:
      g_string_append_printf (s, "{\"did_any\":[\"%s\",\"%s\"]", ev, event_names[g_rand_int_range (rand, 0, 3)]);
      rand_where (rand, s, "where");
      rand_window (rand, s);
      g_string_append_c (s, '}');
      break;
    case 5:
      if (g_rand_boolean (rand))
        g_string_append_printf (s, "{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"%s\"}}", cities[g_rand_int_range (rand, 0, 3)]);
      else
        g_string_append_printf (s, "{\"user\":{\"property\":\"age\",\"op\":\"gt\",\"value\":%d}}", g_rand_int_range (rand, 10, 80));
      break;
    default:
      g_string_append_printf (s, "{\"sequence\":{\"first\":{\"event\":\"%s\"", ev);
      rand_where (rand, s, "where");
      g_string_append_printf (s, "},\"then\":{\"event\":\"%s\"", event_names[g_rand_int_range (rand, 0, 3)]);
      rand_where (rand, s, "where");
      g_string_append_printf (s, "},\"within\":{\"n\":%d,\"unit\":\"%s\"},\"negate\":%s}",
                              g_rand_int_range (rand, 1, 60), g_rand_boolean (rand) ? "hours" : "minutes",
                              g_rand_boolean (rand) ? "true" : "false");
      rand_window (rand, s);
      g_string_append_c (s, '}');
      break;
    }
}

static void
rand_group (GRand   *rand,
            GString *s,
            int      depth)
{
  gboolean any = g_rand_int_range (rand, 0, 3) == 0;
  int n = g_rand_int_range (rand, 1, 4);

  g_string_append_printf (s, "{\"%s\":[", any ? "any" : "all");
  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      if (depth < 2 && g_rand_int_range (rand, 0, 5) == 0)
        rand_group (rand, s, depth + 1);
      else if (!any && i > 0 && g_rand_int_range (rand, 0, 3) == 0)
        {
          /* A negation, next to the positive rule at index 0. */
          g_string_append_printf (s, "{\"did_not\":\"%s\"", event_names[g_rand_int_range (rand, 0, 3)]);
          rand_where (rand, s, "where");
          rand_window (rand, s);
          g_string_append_c (s, '}');
        }
      else
        rand_positive (rand, s);
    }
  g_string_append (s, "]}");
}

static void
test_differential (void)
{
  const char *env = g_getenv ("SEG_DIFF_SEED");
  guint32 seed = env ? (guint32) g_ascii_strtoull (env, NULL, 10) : 20240615;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *dir = fx_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "diff.db", NULL);
  SegLocalStore *store = fx_open (path, "UTC");
  World w = { 0 };
  guint mismatches = 0, informative = 0;

  g_test_message ("seed %u (set SEG_DIFF_SEED to repeat)", seed);
  w.now = fx_ms ("2024-06-15T13:30:00Z");
  w.rows = g_array_new (FALSE, FALSE, sizeof (Row));

  /* Profiles for everyone (so that the universe is every user). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SegStoreWriter) wr = seg_store_begin_write (SEG_STORE (store), &error);
    for (guint u = 0; u < N_USERS; u++)
      {
        g_autofree char *id = g_strdup_printf ("u%03u", u);
        g_autofree char *city = NULL;
        g_autofree char *age = NULL;
        w.city[u] = g_rand_int_range (rand, -1, 3);
        w.age[u] = g_rand_int_range (rand, 0, 5) == 0 ? NAN : g_rand_int_range (rand, 10, 90);
        city = w.city[u] >= 0 ? g_strdup_printf ("city=s:%s", cities[w.city[u]]) : g_strdup ("city=x:");
        age = !isnan (w.age[u]) ? g_strdup_printf ("age=n:%g", w.age[u]) : g_strdup ("age=x:");
        fx_profile (wr, id, "2024-01-01T00:00:00Z", city, age, NULL);
      }
    fx_commit (wr);
  }

  /* Events in three commits: a big one, then two small ones that become chunks. */
  for (guint batch = 0; batch < 3; batch++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SegStoreWriter) wr = NULL;
      guint n = batch == 0 ? N_EVENTS * 8 / 10 : N_EVENTS / 10;

      if (batch == 2)
        {
          /* Reopen between the writes: chunks are read back and merged. */
          fx_release (&store);
          store = fx_open (path, NULL);
        }
      wr = seg_store_begin_write (SEG_STORE (store), &error);

      for (guint i = 0; i < n; i++)
        {
          Row r;
          g_autofree char *id = NULL;
          g_autofree char *amount = NULL;
          g_autofree char *tag = NULL;
          g_autoptr(GPtrArray) props = g_ptr_array_new ();
          SegPropValue pv[2] = { { 0 } };
          SegRecord rec = { 0 };

          /* A skewed choice of users, and bursts of events minutes apart. */
          r.user = (guint) (pow (g_rand_double (rand), 2) * N_USERS);
          r.event = (guint) g_rand_int_range (rand, 0, 3);
          if (i > 0 && g_rand_int_range (rand, 0, 3) == 0)
            r.ts = g_array_index (w.rows, Row, w.rows->len - 1).ts + g_rand_int_range (rand, 1, 20) * 60000;
          else
            r.ts = w.now - (gint64) (g_rand_double (rand) * 45 * DAY) + DAY / 2;
          r.amount = g_rand_int_range (rand, 0, 4) == 0 ? NAN : g_rand_int_range (rand, 0, 100);
          r.tag = g_rand_int_range (rand, -1, 4);
          g_array_append_val (w.rows, r);

          id = g_strdup_printf ("u%03u", r.user);
          rec.kind = SEG_RECORD_EVENT;
          rec.user_id = id;
          rec.event = event_names[r.event];
          rec.ts_ms = r.ts;
          if (!isnan (r.amount))
            {
              pv[rec.n_props].key = "amount";
              pv[rec.n_props].type = SEG_VALUE_TYPE_NUMBER;
              pv[rec.n_props].num = r.amount;
              rec.n_props++;
            }
          if (r.tag >= 0)
            {
              pv[rec.n_props].key = "tag";
              pv[rec.n_props].type = SEG_VALUE_TYPE_STRING;
              pv[rec.n_props].str = tags[r.tag];
              pv[rec.n_props].str_len = strlen (tags[r.tag]);
              rec.n_props++;
            }
          rec.props = pv;
          g_assert_true (seg_store_writer_add (wr, &rec, &error));
        }
      fx_commit (wr);
    }

  for (guint d = 0; d < N_DEFS; d++)
    {
      g_autoptr(GString) json = g_string_new ("{\"version\":1,\"match\":");
      g_autoptr(GError) error = NULL;
      g_autoptr(SegDefinition) def = NULL;
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autofree char *got = NULL;
      const SegRule *match;

      rand_group (rand, json, 0);
      g_string_append_c (json, '}');
      def = seg_definition_new_from_json (json->str, -1, &error);
      if (def == NULL)
        {
          /* e.g. an "any" group whose only child became a lone "all" with a did_not. */
          g_assert_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_NEGATION);
          continue;
        }
      match = seg_definition_get_match (def);
      for (guint u = 0; u < N_USERS; u++)
        if (ref_rule (&w, match, u))
          g_string_append_printf (expected, "%su%03u", expected->len ? "," : "", u);
      got = fx_members (store, json->str, "2024-06-15T13:30:00Z");
      if (expected->len > 0 && strlen (expected->str) < N_USERS * 5 - 1)
        informative++;
      if (!g_str_equal (got, expected->str))
        {
          mismatches++;
          g_test_message ("definition %u: %s\n  engine:    %s\n  reference: %s", d, json->str, got, expected->str);
        }
    }
  /* Most answers must be neither empty nor everyone, or the comparison proves little. */
  g_test_message ("%u of %u definitions had a partial answer", informative, N_DEFS);
  g_assert_cmpuint (informative, >, N_DEFS / 2);
  g_assert_cmpuint (mismatches, ==, 0);

  g_array_unref (w.rows);
  fx_release (&store);
  fx_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Differential/engine-vs-reference", test_differential);
  return g_test_run ();
}
