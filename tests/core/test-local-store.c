/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "live/seg-live-sink.h"
#include "seg-event-info.h"
#include "seg-local-writer.h"
#include "seg-property-info.h"
#include "seg-user-profile.h"
#include "store-fixture.h"

#define NOW "2024-06-15T12:00:00Z"

typedef struct
{
  char          *dir;
  char          *path;
  SegLocalStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = fx_tmpdir ();
  f->path = g_build_filename (f->dir, "store.db", NULL);
  f->store = fx_open (f->path, data ? data : "UTC");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fx_release (&f->store);
  fx_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static SegStoreWriter *
begin (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SegStoreWriter *w = seg_store_begin_write (SEG_STORE (f->store), &error);

  g_assert_no_error (error);
  return w;
}

#define DID(ev, when) "{\"match\":{\"did\":\"" ev "\",\"when\":" when "}}"

static void
test_windows (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SegStoreWriter) w = begin (f);

  fx_event (w, "a", "Charged", "2024-06-15T11:00:00Z", NULL);
  fx_event (w, "b", "Charged", "2024-06-14T23:59:59.999Z", NULL);
  fx_event (w, "c", "Charged", "2024-05-17T00:00:00Z", NULL);
  fx_event (w, "d", "Charged", "2024-05-16T23:59:59.999Z", NULL);
  fx_event (w, "e", "Charged", "2024-06-15T12:00:00.001Z", NULL);
  fx_event (w, "f", "Charged", "2024-06-10T08:00:00Z", NULL);
  fx_event (w, "g", "App Launched", "2024-06-15T08:00:00Z", NULL);
  fx_commit (w);

  assert_members (f->store, DID ("Charged", "{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}"), NOW, "a,b,c,f");
  assert_members (f->store, DID ("Charged", "{\"type\":\"today\"}"), NOW, "a");
  assert_members (f->store, DID ("Charged", "{\"type\":\"yesterday\"}"), NOW, "b");
  assert_members (f->store, DID ("Charged", "{\"type\":\"days_ago\",\"n\":5}"), NOW, "f");
  assert_members (f->store, DID ("Charged", "{\"type\":\"last\",\"n\":2,\"unit\":\"hours\"}"), NOW, "a");
  /* now - n minutes < ts <= now: exactly 60 minutes before now is outside. */
  assert_members (f->store, DID ("Charged", "{\"type\":\"last\",\"n\":61,\"unit\":\"minutes\"}"), NOW, "a");
  assert_members (f->store, DID ("Charged", "{\"type\":\"last\",\"n\":60,\"unit\":\"minutes\"}"), NOW, "");
  assert_members (f->store, DID ("Charged", "{\"type\":\"between_days_ago\",\"from\":30,\"to\":1}"), NOW, "b,c,d,f");
  assert_members (f->store, DID ("Charged", "{\"type\":\"between\",\"from\":\"2024-05-16\",\"to\":\"2024-05-17\"}"), NOW, "c,d");
  assert_members (f->store, DID ("Charged", "{\"type\":\"before\",\"date\":\"2024-05-17\"}"), NOW, "d");
  assert_members (f->store, DID ("Charged", "{\"type\":\"after\",\"date\":\"2024-06-14\"}"), NOW, "a");
  assert_members (f->store, DID ("Charged", "{\"type\":\"on\",\"date\":\"2024-06-14\"}"), NOW, "b");
  assert_members (f->store, DID ("Charged", "{\"type\":\"since\",\"date\":\"2024-06-10\"}"), NOW, "a,b,f");
  assert_members (f->store, DID ("Charged", "{\"type\":\"ever\"}"), NOW, "a,b,c,d,f");
  assert_members (f->store, DID ("Charged", "{\"type\":\"last\",\"n\":1,\"unit\":\"weeks\"}"), NOW, "a,b,f");
  assert_members (f->store, DID ("Charged", "{\"type\":\"last\",\"n\":1,\"unit\":\"months\"}"), NOW, "a,b,c,d,f");
  /* "now" later: e's event counts. */
  assert_members (f->store, DID ("Charged", "{\"type\":\"today\"}"), "2024-06-15T23:00:00Z", "a,e");
  assert_members (f->store, DID ("Nope", "{\"type\":\"ever\"}"), NOW, "");
  assert_members (f->store, "{\"match\":{\"did_any\":[\"Charged\",\"App Launched\"],\"when\":{\"type\":\"today\"}}}", NOW, "a,g");
  /* did_not reaches users without the event, within a positive AND. */
  assert_members (f->store, "{\"match\":{\"all\":[{\"did\":\"App Launched\"},{\"did_not\":\"Charged\"}]}}", NOW, "g");
  assert_members (f->store, "{\"match\":{\"all\":[{\"did\":\"Charged\"},{\"did_not\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]}}", NOW, "d");
}

#define PV(filter) "{\"match\":{\"did\":\"Page Visited\",\"where\":[" filter "]}}"

static void
test_event_ops (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(SegStoreWriter) w = begin (f);

  fx_event (w, "u1", "Page Visited", "2024-06-01T10:00:00Z", "url=s:/home", "ref=s:google", "n=n:5", "flag=b:true", NULL);
  fx_event (w, "u2", "Page Visited", "2024-06-01T10:00:00Z", "url=s:/product/12", "ref=s:facebook", "n=n:10.5", "flag=b:false", NULL);
  fx_event (w, "u3", "Page Visited", "2024-06-01T10:00:00Z", "url=s:/cart", NULL);
  fx_commit (w);

  assert_members (f->store, PV ("{\"property\":\"url\",\"op\":\"equals\",\"value\":\"/home\"}"), NOW, "u1");
  assert_members (f->store, PV ("{\"property\":\"url\",\"op\":\"equals\",\"value\":[\"/home\",\"/cart\"]}"), NOW, "u1,u3");
  assert_members (f->store, PV ("{\"property\":\"url\",\"op\":\"not_equals\",\"value\":\"/home\"}"), NOW, "u2,u3");
  assert_members (f->store, PV ("{\"property\":\"ref\",\"op\":\"not_equals\",\"value\":\"google\"}"), NOW, "u2");
  assert_members (f->store, PV ("{\"property\":\"url\",\"op\":\"contains\",\"value\":\"product\"}"), NOW, "u2");
  assert_members (f->store, PV ("{\"property\":\"url\",\"op\":\"not_contains\",\"value\":\"product\"}"), NOW, "u1,u3");
  assert_members (f->store, PV ("{\"property\":\"ref\",\"op\":\"not_contains\",\"value\":\"goo\"}"), NOW, "u2");
  assert_members (f->store, PV ("{\"property\":\"url\",\"op\":\"starts_with\",\"value\":\"/p\"}"), NOW, "u2");
  assert_members (f->store, PV ("{\"property\":\"url\",\"op\":\"ends_with\",\"value\":\"rt\"}"), NOW, "u3");
  assert_members (f->store, PV ("{\"property\":\"url\",\"op\":\"matches\",\"value\":\"^/(home|cart)$\"}"), NOW, "u1,u3");
  assert_members (f->store, PV ("{\"property\":\"ref\",\"op\":\"exists\"}"), NOW, "u1,u2");
  assert_members (f->store, PV ("{\"property\":\"ref\",\"op\":\"not_exists\"}"), NOW, "u3");
  assert_members (f->store, PV ("{\"property\":\"nothing\",\"op\":\"not_exists\"}"), NOW, "u1,u2,u3");
  assert_members (f->store, PV ("{\"property\":\"nothing\",\"op\":\"equals\",\"value\":\"x\"}"), NOW, "");
  assert_members (f->store, PV ("{\"property\":\"n\",\"op\":\"gt\",\"value\":5}"), NOW, "u2");
  assert_members (f->store, PV ("{\"property\":\"n\",\"op\":\"ge\",\"value\":5}"), NOW, "u1,u2");
  assert_members (f->store, PV ("{\"property\":\"n\",\"op\":\"lt\",\"value\":10.5}"), NOW, "u1");
  assert_members (f->store, PV ("{\"property\":\"n\",\"op\":\"le\",\"value\":10.5}"), NOW, "u1,u2");
  assert_members (f->store, PV ("{\"property\":\"n\",\"op\":\"eq\",\"value\":5}"), NOW, "u1");
  assert_members (f->store, PV ("{\"property\":\"n\",\"op\":\"ne\",\"value\":5}"), NOW, "u2");
  assert_members (f->store, PV ("{\"property\":\"n\",\"op\":\"between\",\"value\":[5,10]}"), NOW, "u1");
  assert_members (f->store, PV ("{\"property\":\"n\",\"op\":\"not_between\",\"value\":[5,10]}"), NOW, "u2");
  assert_members (f->store, PV ("{\"property\":\"flag\",\"op\":\"is_true\"}"), NOW, "u1");
  assert_members (f->store, PV ("{\"property\":\"flag\",\"op\":\"is_false\"}"), NOW, "u2");
  /* Two filters: both must hold on the same event. */
  assert_members (f->store, PV ("{\"property\":\"n\",\"op\":\"ge\",\"value\":5},{\"property\":\"url\",\"op\":\"contains\",\"value\":\"home\"}"), NOW, "u1");
}

#define USER(filter) "{\"match\":{\"user\":" filter "}}"

static void
test_profile_ops (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SegStoreWriter) w = begin (f);

  fx_profile (w, "p1", "2024-01-01T00:00:00Z", "signup=d:2024-06-01T10:00:00Z", "tags=l:a|b", "nick=s:", "city=s:New York", NULL);
  fx_profile (w, "p2", "2024-01-01T00:00:00Z", "signup=d:2024-06-15T01:00:00Z", "tags=l:b", "nick=s:x", "city=s:Boston", NULL);
  fx_profile (w, "p3", "2024-01-01T00:00:00Z", "signup=d:2024-06-20T05:00:00Z", NULL);
  fx_profile (w, "p4", "2024-01-01T00:00:00Z", "signup=d:2024-01-01T00:00:00Z", NULL);
  fx_commit (w);

  assert_members (f->store, USER ("{\"property\":\"signup\",\"op\":\"on\",\"value\":\"2024-06-01\"}"), NOW, "p1");
  assert_members (f->store, USER ("{\"property\":\"signup\",\"op\":\"before\",\"value\":\"2024-06-01\"}"), NOW, "p4");
  assert_members (f->store, USER ("{\"property\":\"signup\",\"op\":\"after\",\"value\":\"2024-06-15\"}"), NOW, "p3");
  assert_members (f->store, USER ("{\"property\":\"signup\",\"op\":\"date_between\",\"value\":[\"2024-06-01\",\"2024-06-15\"]}"), NOW, "p1,p2");
  assert_members (f->store, USER ("{\"property\":\"signup\",\"op\":\"in_last\",\"value\":14,\"unit\":\"days\"}"), NOW, "p2");
  assert_members (f->store, USER ("{\"property\":\"signup\",\"op\":\"in_last\",\"value\":15,\"unit\":\"days\"}"), NOW, "p1,p2");
  assert_members (f->store, USER ("{\"property\":\"signup\",\"op\":\"more_than_days_ago\",\"value\":30}"), NOW, "p4");
  assert_members (f->store, USER ("{\"property\":\"signup\",\"op\":\"days_from_today\",\"value\":5}"), NOW, "p3");
  assert_members (f->store, USER ("{\"property\":\"tags\",\"op\":\"list_contains\",\"value\":\"a\"}"), NOW, "p1");
  assert_members (f->store, USER ("{\"property\":\"tags\",\"op\":\"list_not_contains\",\"value\":\"a\"}"), NOW, "p2");
  assert_members (f->store, USER ("{\"property\":\"tags\",\"op\":\"set_is\",\"value\":[\"b\",\"a\"]}"), NOW, "p1");
  assert_members (f->store, USER ("{\"property\":\"tags\",\"op\":\"set_is\",\"value\":[\"b\"]}"), NOW, "p2");
  assert_members (f->store, USER ("{\"property\":\"nick\",\"op\":\"is_empty\"}"), NOW, "p1");
  assert_members (f->store, USER ("{\"property\":\"city\",\"op\":\"equals\",\"value\":\"New York\"}"), NOW, "p1");
  assert_members (f->store, USER ("{\"property\":\"city\",\"op\":\"not_exists\"}"), NOW, "p3,p4");
  assert_members (f->store, "{\"match\":{\"any\":[{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Boston\"}},"
                            "{\"user\":{\"property\":\"signup\",\"op\":\"before\",\"value\":\"2024-02-01\"}}]}}", NOW, "p2,p4");
}

#define AGG(a) "{\"match\":{\"did\":\"Charged\",\"aggregate\":" a "}}"

static void
test_aggregates (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SegStoreWriter) w = begin (f);

  fx_event (w, "a", "Charged", "2024-06-01T10:00:00Z", "amount=n:10", NULL);
  fx_event (w, "a", "Charged", "2024-06-02T10:00:00Z", "amount=n:20", NULL);
  fx_event (w, "b", "Charged", "2024-06-01T10:00:00Z", "amount=n:50", NULL);
  fx_event (w, "c", "Charged", "2024-06-01T10:00:00Z", "amount=n:5", NULL);
  fx_event (w, "c", "Charged", "2024-06-01T11:00:00Z", "amount=n:5", NULL);
  fx_event (w, "c", "Charged", "2024-06-01T12:00:00Z", "amount=n:5", NULL);
  fx_event (w, "d", "Charged", "2024-06-01T10:00:00Z", NULL);
  fx_event (w, "e", "App Launched", "2024-06-01T10:00:00Z", NULL);
  fx_event (w, "z", "Charged", "2023-01-01T10:00:00Z", "amount=n:1000", NULL);
  fx_commit (w);

  assert_members (f->store, AGG ("{\"fn\":\"count\",\"op\":\"ge\",\"value\":2}"), NOW, "a,c");
  assert_members (f->store, AGG ("{\"fn\":\"count\",\"op\":\"lt\",\"value\":2}"), NOW, "b,d,z");
  assert_members (f->store, AGG ("{\"fn\":\"count\",\"op\":\"lt\",\"value\":2,\"include_non_doers\":true}"), NOW, "b,d,e,z");
  assert_members (f->store, AGG ("{\"fn\":\"count\",\"op\":\"between\",\"value\":[1,2]}"), NOW, "a,b,d,z");
  assert_members (f->store, AGG ("{\"fn\":\"sum\",\"property\":\"amount\",\"op\":\"gt\",\"value\":20}"), NOW, "a,b,z");
  assert_members (f->store, AGG ("{\"fn\":\"avg\",\"property\":\"amount\",\"op\":\"lt\",\"value\":20,\"include_non_doers\":true}"), NOW, "a,c,d,e");
  assert_members (f->store, AGG ("{\"fn\":\"avg\",\"property\":\"amount\",\"op\":\"lt\",\"value\":20}"), NOW, "a,c");
  assert_members (f->store, AGG ("{\"fn\":\"min\",\"property\":\"amount\",\"op\":\"eq\",\"value\":5}"), NOW, "c");
  assert_members (f->store, AGG ("{\"fn\":\"max\",\"property\":\"amount\",\"op\":\"ge\",\"value\":50}"), NOW, "b,z");
  assert_members (f->store, AGG ("{\"fn\":\"distinct\",\"property\":\"amount\",\"op\":\"eq\",\"value\":1}"), NOW, "b,c,z");
  assert_members (f->store, AGG ("{\"fn\":\"sum\",\"property\":\"amount\",\"op\":\"ne\",\"value\":0}"), NOW, "a,b,c,z");
  /* The window applies before aggregating. */
  assert_members (f->store, "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"},"
                            "\"aggregate\":{\"fn\":\"sum\",\"property\":\"amount\",\"op\":\"ge\",\"value\":30}}}", NOW, "a,b");
  /* A never-done event with include_non_doers: everyone has 0. */
  assert_members (f->store, "{\"match\":{\"did\":\"Refund\",\"aggregate\":{\"fn\":\"count\",\"op\":\"eq\",\"value\":0,"
                            "\"include_non_doers\":true}}}", NOW, "a,b,c,d,e,z");
}

static void
test_occurrence (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SegStoreWriter) w = begin (f);

  fx_event (w, "x", "App Launched", "2024-05-01T10:00:00Z", NULL);
  fx_event (w, "x", "App Launched", "2024-06-14T10:00:00Z", NULL);
  fx_event (w, "y", "App Launched", "2024-06-14T10:00:00Z", NULL);
  fx_event (w, "z", "App Launched", "2024-05-03T10:00:00Z", NULL);
  fx_commit (w);

  assert_members (f->store, "{\"match\":{\"did\":\"App Launched\",\"occurrence\":\"first\",\"when\":{\"type\":\"last\",\"n\":7,\"unit\":\"days\"}}}", NOW, "y");
  assert_members (f->store, "{\"match\":{\"did\":\"App Launched\",\"occurrence\":\"last\",\"when\":{\"type\":\"last\",\"n\":7,\"unit\":\"days\"}}}", NOW, "x,y");
  assert_members (f->store, "{\"match\":{\"did\":\"App Launched\",\"occurrence\":\"last\",\"when\":{\"type\":\"before\",\"date\":\"2024-06-01\"}}}", NOW, "z");
  assert_members (f->store, "{\"match\":{\"did\":\"App Launched\",\"occurrence\":\"first\",\"when\":{\"type\":\"before\",\"date\":\"2024-06-01\"}}}", NOW, "x,z");
  /* As of May 20, x's last launch was May 1. */
  assert_members (f->store, "{\"match\":{\"did\":\"App Launched\",\"occurrence\":\"last\",\"when\":{\"type\":\"before\",\"date\":\"2024-05-02\"}}}", "2024-05-20T00:00:00Z", "x");
}

#define SEQ(negate, within) "{\"match\":{\"sequence\":{\"first\":{\"event\":\"Added To Cart\"},\"then\":{\"event\":\"Charged\"}," \
  "\"within\":" within ",\"negate\":" negate "},\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}}"

static void
test_sequence (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SegStoreWriter) w = begin (f);

  fx_event (w, "s1", "Added To Cart", "2024-06-15T10:00:00Z", NULL);
  fx_event (w, "s1", "Charged", "2024-06-15T10:05:00Z", NULL);
  fx_event (w, "s2", "Added To Cart", "2024-06-15T10:00:00Z", NULL);
  fx_event (w, "s2", "Charged", "2024-06-15T10:15:00Z", NULL);
  fx_event (w, "s3", "Added To Cart", "2024-06-15T10:00:00Z", NULL);
  fx_event (w, "s4", "Charged", "2024-06-15T09:00:00Z", NULL);
  fx_event (w, "s4", "Added To Cart", "2024-06-15T10:00:00Z", NULL);
  fx_event (w, "s5", "Added To Cart", "2024-06-15T11:55:00Z", NULL);
  fx_event (w, "s6", "Added To Cart", "2024-06-15T10:00:00Z", NULL);
  fx_event (w, "s6", "Charged", "2024-06-15T10:10:00Z", NULL);
  fx_event (w, "s7", "Added To Cart", "2024-06-15T10:00:00Z", NULL);
  fx_event (w, "s7", "Charged", "2024-06-15T10:00:00Z", NULL);
  fx_event (w, "s8", "Added To Cart", "2024-06-01T10:00:00Z", NULL);
  fx_event (w, "s8", "Added To Cart", "2024-06-02T10:00:00Z", NULL);
  fx_event (w, "s8", "Charged", "2024-06-01T10:01:00Z", NULL);
  fx_commit (w);

  assert_members (f->store, SEQ ("false", "{\"n\":10,\"unit\":\"minutes\"}"), NOW, "s1,s6,s8");
  assert_members (f->store, SEQ ("true", "{\"n\":10,\"unit\":\"minutes\"}"), NOW, "s2,s3,s4,s7,s8");
  assert_members (f->store, SEQ ("false", "{\"n\":1,\"unit\":\"hours\"}"), NOW, "s1,s2,s6,s8");
  /* The other way round, without a window. */
  assert_members (f->store, "{\"match\":{\"sequence\":{\"first\":{\"event\":\"Charged\"},\"then\":{\"event\":\"Added To Cart\"},"
                            "\"within\":{\"n\":2,\"unit\":\"hours\"}}}}", NOW, "s4");
}

static void
test_dst (Fixture       *f,
          gconstpointer  data)
{
  const char *now = "2024-03-11T16:00:00Z";
  g_autoptr(SegStoreWriter) w = begin (f);
  g_autoptr(SegDefinition) today = seg_definition_new_from_json (DID ("Seen", "{\"type\":\"today\"}"), -1, NULL);
  g_autoptr(SegDefinition) last7 = seg_definition_new_from_json (DID ("Seen", "{\"type\":\"last\",\"n\":7,\"unit\":\"days\"}"), -1, NULL);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GAsyncResult) res2 = NULL;
  g_autoptr(SegTrend) trend = NULL;
  g_autoptr(SegTrend) trend2 = NULL;
  GTimeZone *tz = seg_store_get_timezone (SEG_STORE (f->store));

  g_assert_cmpstr (g_time_zone_get_identifier (tz), ==, "America/New_York");
  fx_event (w, "n1", "Seen", "2024-03-10T04:59:59Z", NULL);   /* Mar 9, 23:59:59 EST */
  fx_event (w, "n2", "Seen", "2024-03-10T05:00:00Z", NULL);   /* Mar 10, 00:00 EST */
  fx_event (w, "n3", "Seen", "2024-03-11T03:59:59Z", NULL);   /* Mar 10, 23:59:59 EDT */
  fx_event (w, "n4", "Seen", "2024-03-11T04:00:00Z", NULL);   /* Mar 11, 00:00 EDT */
  fx_commit (w);

  assert_members (f->store, DID ("Seen", "{\"type\":\"today\"}"), now, "n4");
  assert_members (f->store, DID ("Seen", "{\"type\":\"yesterday\"}"), now, "n2,n3");
  assert_members (f->store, DID ("Seen", "{\"type\":\"days_ago\",\"n\":2}"), now, "n1");
  assert_members (f->store, DID ("Seen", "{\"type\":\"on\",\"date\":\"2024-03-10\"}"), now, "n2,n3");
  assert_members (f->store, DID ("Seen", "{\"type\":\"last\",\"n\":2,\"unit\":\"days\"}"), now, "n2,n3,n4");
  assert_members (f->store, DID ("Seen", "{\"type\":\"last\",\"n\":24,\"unit\":\"hours\"}"), now, "n3,n4");

  /* Per-day members over Mar 9..11: the fast path ("today") and the general path
   * (evaluated per day) agree on DST-correct days. */
  seg_local_store_set_now (f->store, fx_ms (now));
  seg_store_trend_async (SEG_STORE (f->store), today, fx_ms ("2024-03-09T12:00:00Z"),
                         fx_ms ("2024-03-11T12:00:00Z"), NULL, fx_result_cb, &res);
  trend = seg_store_trend_finish (SEG_STORE (f->store), fx_wait (&res), NULL);
  g_assert_nonnull (trend);
  g_assert_cmpuint (seg_trend_get_n_days (trend), ==, 3);
  g_assert_cmpint (seg_trend_get_day (trend, 1), ==, fx_ms ("2024-03-10T05:00:00Z"));
  g_assert_cmpint (seg_trend_get_day (trend, 2), ==, fx_ms ("2024-03-11T04:00:00Z"));
  g_assert_cmpuint (seg_trend_get_count (trend, 0), ==, 1);
  g_assert_cmpuint (seg_trend_get_count (trend, 1), ==, 2);
  g_assert_cmpuint (seg_trend_get_count (trend, 2), ==, 1);

  seg_store_trend_async (SEG_STORE (f->store), last7, fx_ms ("2024-03-09T12:00:00Z"),
                         fx_ms ("2024-03-11T12:00:00Z"), NULL, fx_result_cb, &res2);
  trend2 = seg_store_trend_finish (SEG_STORE (f->store), fx_wait (&res2), NULL);
  g_assert_cmpuint (seg_trend_get_count (trend2, 0), ==, 1);
  g_assert_cmpuint (seg_trend_get_count (trend2, 1), ==, 3);
  g_assert_cmpuint (seg_trend_get_count (trend2, 2), ==, 4);
}

static guint64
count_of (SegLocalStore *store,
          const char    *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) r = fx_eval_full (store, json, NOW, 0, &error);

  g_assert_no_error (error);
  return seg_eval_result_get_count (r);
}

static void
test_persistence (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *ever = DID ("Charged", "{\"type\":\"ever\"}");
  const char *big = "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":95}]}}";

  {
    g_autoptr(SegStoreWriter) w = begin (f);
    for (int i = 0; i < 100; i++)
      {
        g_autofree char *u = g_strdup_printf ("user%03d", i);
        g_autofree char *amount = g_strdup_printf ("amount=n:%d", i);
        fx_event (w, u, "Charged", "2024-06-01T10:00:00Z", amount, NULL);
      }
    fx_profile (w, "user001", "2024-01-01T00:00:00Z", "city=s:Paris", NULL);
    fx_commit (w);
  }
  g_assert_cmpuint (count_of (f->store, ever), ==, 100);
  g_assert_cmpuint (count_of (f->store, big), ==, 4);

  /* A small addition becomes its own chunk; a new user, a new property. */
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_event (w, "newbie", "Charged", "2024-06-02T10:00:00Z", "amount=n:99", "coupon=s:SPRING", NULL);
    fx_event (w, "user000", "Charged", "2024-05-30T10:00:00Z", "amount=n:98", NULL);
    fx_commit (w);
  }
  g_assert_cmpuint (count_of (f->store, ever), ==, 101);
  g_assert_cmpuint (count_of (f->store, big), ==, 6);
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, 102);

  /* An aborted write, a dropped write and a cancelled commit change nothing. */
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_event (w, "ghost", "Charged", "2024-06-02T10:00:00Z", "amount=n:100", NULL);
    seg_store_writer_abort (w);
  }
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_event (w, "ghost", "Charged", "2024-06-02T10:00:00Z", "amount=n:100", NULL);
  }
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    g_autoptr(GCancellable) c = g_cancellable_new ();
    fx_event (w, "ghost", "Charged", "2024-06-02T10:00:00Z", "amount=n:100", NULL);
    fx_profile (w, "ghost", "2024-06-02T10:00:00Z", "city=s:Nowhere", NULL);
    g_cancellable_cancel (c);
    g_assert_false (seg_store_writer_commit (w, c, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  g_assert_cmpuint (count_of (f->store, ever), ==, 101);
  g_assert_cmpuint (seg_local_store_get_n_users (f->store), ==, 101);

  /* Reopen: the same answers from the file. */
  fx_release (&f->store);
  f->store = fx_open (f->path, NULL);
  g_assert_cmpuint (count_of (f->store, ever), ==, 101);
  g_assert_cmpuint (count_of (f->store, big), ==, 6);
  g_assert_cmpuint (count_of (f->store, "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"coupon\",\"op\":\"equals\",\"value\":\"SPRING\"}]}}"), ==, 1);
  g_assert_cmpuint (count_of (f->store, "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Paris\"}}}"), ==, 1);
  g_assert_cmpuint (count_of (f->store, "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Nowhere\"}}}"), ==, 0);
  /* user000's two events are in time order across chunks. */
  g_assert_cmpuint (count_of (f->store, "{\"match\":{\"did\":\"Charged\",\"occurrence\":\"first\",\"when\":{\"type\":\"on\",\"date\":\"2024-05-30\"}}}"), ==, 1);
}

static void
test_dedup (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean already = TRUE;

  {
    g_autoptr(SegStoreWriter) w = begin (f);
    SegRecord r = { SEG_RECORD_EVENT, "u1", "Charged", fx_ms ("2024-06-01T10:00:00Z"), "ins-1", 0, NULL };

    g_assert_true (seg_store_writer_begin_source (w, "file-A", &already, &error));
    g_assert_false (already);
    g_assert_true (seg_store_writer_add (w, &r, &error));
    g_assert_true (seg_store_writer_add (w, &r, &error));   /* same id, same write */
    r.event = "Refund";
    g_assert_true (seg_store_writer_add (w, &r, &error));   /* same id, other event */
    fx_commit (w);
  }
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, 2);
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    SegRecord r = { SEG_RECORD_EVENT, "u1", "Charged", fx_ms ("2024-06-01T10:00:00Z"), "ins-1", 0, NULL };
    SegLocalWriterStats st;

    g_assert_true (seg_store_writer_begin_source (w, "file-A", &already, &error));
    g_assert_true (already);
    g_assert_true (seg_store_writer_begin_source (w, "file-B", &already, &error));
    g_assert_false (already);
    g_assert_true (seg_store_writer_add (w, &r, &error));   /* committed before */
    seg_local_writer_get_stats (SEG_LOCAL_WRITER (w), &st);
    g_assert_cmpuint (st.events_duplicate, ==, 1);
    fx_commit (w);
  }
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, 2);
}

/* Turns the store at @path into one written by schema @version: insert ids in the old
 * text table, then @sql. */
static void
make_old_store (const char *path,
                int         version,
                const char *sql)
{
  g_autoptr(SegLocalStore) store = fx_open (path, "UTC");
  g_autofree char *all = g_strdup_printf ("DROP TABLE insert_id_runs;"
                                          "CREATE TABLE insert_ids (event TEXT NOT NULL, insert_id TEXT NOT NULL,"
                                          "  PRIMARY KEY (event, insert_id)) WITHOUT ROWID;"
                                          "%s"
                                          "UPDATE meta SET value = '%d' WHERE key = 'schema_version'",
                                          sql, version);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, all, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static guint64
add_ids (SegStoreWriter *w,
         guint           first,
         guint           n)
{
  g_autoptr(GError) error = NULL;
  SegLocalWriterStats st;

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *id = g_strdup_printf ("ins-%u", i);
      SegRecord r = { SEG_RECORD_EVENT, "u1", "Charged", fx_ms ("2024-06-01T10:00:00Z") + i, id, 0, NULL };

      g_assert_true (seg_store_writer_add (w, &r, &error));
      g_assert_no_error (error);
    }
  seg_local_writer_get_stats (SEG_LOCAL_WRITER (w), &st);
  return st.events_duplicate;
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* Insert ids accumulate over many writes (an import, then live batches): every id is
 * recognised again after a reopen, an aborted write records none, and the store keeps a
 * handful of runs, not one per write. */
static void
test_insert_id_runs (Fixture       *f,
                     gconstpointer  data)
{
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    g_assert_cmpuint (add_ids (w, 0, 5000), ==, 0);
    fx_commit (w);
  }
  /* 60 batches of 100, each overlapping the previous one by half. */
  for (guint b = 0; b < 60; b++)
    {
      g_autoptr(SegStoreWriter) w = begin (f);
      g_assert_cmpuint (add_ids (w, 4950 + b * 50, 100), ==, 50);
      fx_commit (w);
    }
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, 8000);
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    g_assert_cmpuint (add_ids (w, 8000, 10), ==, 0);
    seg_store_writer_abort (w);
  }
  g_assert_cmpint (sql_int (f->path, "SELECT COUNT(DISTINCT run) FROM insert_id_runs"), <=, 8);
  g_assert_cmpint (sql_int (f->path, "SELECT SUM(n) FROM insert_id_runs"), ==, 8000);

  g_clear_object (&f->store);
  f->store = fx_open (f->path, NULL);
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    /* 0..7999 are known; the ten of the aborted write are not. */
    g_assert_cmpuint (add_ids (w, 0, 8010), ==, 8000);
    fx_commit (w);
  }
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, 8010);
}

/* A damaged list of insert ids is reported, not taken as "nothing imported yet". */
static void
test_insert_ids_damaged (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  {
    g_autoptr(SegStoreWriter) w = begin (f);
    add_ids (w, 0, 10);
    fx_commit (w);
  }
  g_clear_object (&f->store);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE insert_id_runs SET data = substr(data, 1, 17)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  f->store = fx_open (f->path, NULL);
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    SegRecord r = { SEG_RECORD_EVENT, "u1", "Charged", fx_ms ("2024-06-01T10:00:00Z"), "ins-1", 0, NULL };

    g_assert_false (seg_store_writer_add (w, &r, &error));
    g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT);
    seg_store_writer_abort (w);
  }
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, 10);
}

/* A store written before schema 3 kept insert ids as text rows: they are converted when it
 * is opened, and still recognised. */
static void
test_insert_ids_migrate (void)
{
  g_autofree char *dir = fx_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "s.db", NULL);

  make_old_store (path, 2, "INSERT INTO insert_ids VALUES ('Charged', 'ins-1'), ('Charged', 'ins-2'),"
                           "  ('Refund', 'ins-1'), ('Charged', 'it''s \\ \"odd\"');");
  {
    g_autoptr(SegLocalStore) store = fx_open (path, "UTC");
    g_autoptr(GError) error = NULL;
    g_autoptr(SegStoreWriter) w = seg_store_begin_write (SEG_STORE (store), &error);
    const char *ids[][2] = {
      { "Charged", "ins-1" }, { "Charged", "ins-2" }, { "Refund", "ins-1" },
      { "Charged", "it's \\ \"odd\"" }, { "Refund", "ins-2" },
    };
    SegLocalWriterStats st;

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        SegRecord r = { SEG_RECORD_EVENT, "u1", ids[i][0], fx_ms ("2024-06-01T10:00:00Z"), ids[i][1], 0, NULL };
        g_assert_true (seg_store_writer_add (w, &r, &error));
      }
    seg_local_writer_get_stats (SEG_LOCAL_WRITER (w), &st);
    g_assert_cmpuint (st.events_duplicate, ==, 4);
    g_assert_cmpuint (st.events_added, ==, 1);
    g_assert_true (seg_store_writer_commit (w, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (sql_int (path, "SELECT value FROM meta WHERE key = 'schema_version'"), ==, 3);
  g_assert_cmpint (sql_int (path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'insert_ids'"), ==, 0);
  g_assert_cmpint (sql_int (path, "SELECT SUM(n) FROM insert_id_runs"), ==, 5);
  fx_rmdir (dir);
}

static gpointer
wait_model (GListModel *model)
{
  return model;
}

static SegSegment *
save (Fixture     *f,
      const char  *name,
      const char  *json,
      GError     **error)
{
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, NULL);
  g_autoptr(SegSegment) seg = seg_segment_new (NULL, name, def);
  g_autoptr(GAsyncResult) res = NULL;

  g_assert_nonnull (def);
  seg_store_save_segment_async (SEG_STORE (f->store), seg, NULL, fx_result_cb, &res);
  return seg_store_save_segment_finish (SEG_STORE (f->store), fx_wait (&res), error);
}

static gboolean
delete (Fixture     *f,
        const char  *id,
        GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  seg_store_delete_segment_async (SEG_STORE (f->store), id, NULL, fx_result_cb, &res);
  return seg_store_delete_segment_finish (SEG_STORE (f->store), fx_wait (&res), error);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_segments (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(SegSegment) buyers = NULL;
  g_autoptr(SegSegment) browsers = NULL;
  g_autoptr(SegSegment) live = NULL;
  g_autoptr(SegSegment) clone = NULL;
  g_autofree char *json = NULL;
  guint changes = 0;

  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_event (w, "a", "Charged", "2024-06-01T10:00:00Z", NULL);
    fx_event (w, "a", "App Launched", "2024-06-01T10:00:00Z", NULL);
    fx_event (w, "b", "App Launched", "2024-06-01T10:00:00Z", NULL);
    fx_profile (w, "t", "2024-06-01T10:00:00Z", "test_user=b:true", NULL);
    fx_commit (w);
  }

  seg_store_list_segments_async (SEG_STORE (f->store), NULL, fx_result_cb, &res);
  list = wait_model (seg_store_list_segments_finish (SEG_STORE (f->store), fx_wait (&res), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  g_assert_false (delete (f, SEG_SEGMENT_ID_ALL_USERS, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED);
  g_clear_error (&error);
  g_assert_false (delete (f, "no-such", &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  buyers = save (f, "Buyers", DID ("Charged", "{\"type\":\"ever\"}"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  g_assert_cmpuint (changes, ==, 1);
  json = g_strdup_printf ("{\"match\":{\"did\":\"App Launched\"},\"exclude\":[\"%s\"]}", seg_segment_get_id (buyers));
  browsers = save (f, "Browsers", json, &error);
  g_assert_no_error (error);
  assert_members (f->store, json, NOW, "b");
  g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{\"match\":{\"did\":\"App Launched\"},\"include\":[\"%s\"]}", seg_segment_get_id (buyers));
  assert_members (f->store, json, NOW, "a");
  assert_members (f->store, "{\"include\":[\"all-users\"],\"exclude\":[\"test-users\"]}", NOW, "a,b");
  assert_members (f->store, "{\"include\":[\"test-users\"]}", NOW, "t");
  assert_members (f->store, "{\"kind\":\"custom-list\",\"users\":[\"b\",\"t\",\"nobody\"]}", NOW, "b,t");

  /* Buyers is excluded by Browsers: it cannot go. */
  g_assert_false (delete (f, seg_segment_get_id (buyers), &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_IN_USE);
  g_clear_error (&error);

  /* Buyers including Browsers would be a cycle. */
  {
    g_autofree char *cyc = g_strdup_printf ("{\"match\":{\"did\":\"Charged\"},\"include\":[\"%s\"]}", seg_segment_get_id (browsers));
    g_autoptr(SegDefinition) def = seg_definition_new_from_json (cyc, -1, NULL);
    g_autoptr(SegSegment) copy = seg_segment_copy (buyers);
    g_autoptr(GAsyncResult) r2 = NULL;
    g_autoptr(SegSegment) out = NULL;

    seg_segment_set_definition (copy, def);
    seg_store_save_segment_async (SEG_STORE (f->store), copy, NULL, fx_result_cb, &r2);
    out = seg_store_save_segment_finish (SEG_STORE (f->store), fx_wait (&r2), &error);
    g_assert_null (out);
    g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* Including a live segment is refused. */
  live = save (f, "Live", "{\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Charged\"}}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{\"match\":{\"did\":\"Charged\"},\"include\":[\"%s\"]}", seg_segment_get_id (live));
  g_assert_null (save (f, "Bad", json, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Rename in place: the object in the list changes, no item is added. */
  {
    g_autoptr(SegSegment) copy = seg_segment_copy (buyers);
    g_autoptr(GAsyncResult) r2 = NULL;
    g_autoptr(SegSegment) out = NULL;
    guint before = g_list_model_get_n_items (list);

    seg_segment_set_name (copy, "Paying users");
    seg_store_save_segment_async (SEG_STORE (f->store), copy, NULL, fx_result_cb, &r2);
    out = seg_store_save_segment_finish (SEG_STORE (f->store), fx_wait (&r2), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (list), ==, before);
    g_assert_cmpstr (seg_segment_get_name (out), ==, "Paying users");
    {
      g_autoptr(SegSegment) in_list = g_list_model_get_item (list, 2);
      g_assert_true (in_list == out);
    }
  }

  {
    g_autoptr(GAsyncResult) r2 = NULL;
    seg_store_clone_segment_async (SEG_STORE (f->store), seg_segment_get_id (browsers), NULL, NULL, fx_result_cb, &r2);
    clone = seg_store_clone_segment_finish (SEG_STORE (f->store), fx_wait (&r2), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (seg_segment_get_name (clone), ==, "Copy of Browsers");
    g_assert_cmpstr (seg_segment_get_id (clone), !=, seg_segment_get_id (browsers));
  }
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 6);
  g_assert_true (delete (f, seg_segment_get_id (clone), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);

  /* Reopened, the segments are still there. */
  g_signal_handlers_disconnect_by_func (list, items_changed_cb, &changes);
  g_clear_object (&list);
  g_clear_object (&buyers);
  g_clear_object (&browsers);
  g_clear_object (&live);
  g_clear_object (&clone);
  g_clear_object (&res);
  fx_release (&f->store);
  f->store = fx_open (f->path, NULL);
  seg_store_list_segments_async (SEG_STORE (f->store), NULL, fx_result_cb, &res);
  list = seg_store_list_segments_finish (SEG_STORE (f->store), fx_wait (&res), &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);
}

static void
test_reach_and_near (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) r = NULL;
  g_autoptr(SegStoreWriter) w = begin (f);

  fx_profile (w, "r1", "2024-01-01T00:00:00Z", "email=s:a@x.org", "push_token=s:tok", "phone=s:+1555", "whatsapp_optin=b:true", "latitude=n:40.7128", "longitude=n:-74.006", NULL);
  fx_profile (w, "r2", "2024-01-01T00:00:00Z", "email=s:b@x.org", "email_optin=b:false", "phone=s:+1666", "sms_optin=b:false", "latitude=n:40.9", "longitude=n:-74.1", NULL);
  fx_profile (w, "r3", "2024-01-01T00:00:00Z", "email=s:", "push_token=s:t3", "push_optin=b:false", "latitude=n:42.36", "longitude=n:-71.06", NULL);
  fx_event (w, "r3", "App Launched", "2024-06-01T00:00:00Z", NULL);
  fx_event (w, "r2", "App Launched", "2024-01-01T00:00:00Z", NULL);
  fx_commit (w);

  assert_members (f->store, "{\"match\":{\"reachable\":\"email\"}}", NOW, "r1");
  assert_members (f->store, "{\"match\":{\"reachable\":\"push\"}}", NOW, "r1");
  assert_members (f->store, "{\"match\":{\"reachable\":\"sms\"}}", NOW, "r1");
  assert_members (f->store, "{\"match\":{\"reachable\":\"whatsapp\"}}", NOW, "r1");
  assert_members (f->store, "{\"match\":{\"reachable\":\"in-app\"}}", NOW, "r3");
  /* New York to (40.9, -74.1) is about 22 km; to Boston about 306 km. */
  assert_members (f->store, "{\"match\":{\"near\":{\"lat\":40.7128,\"lon\":-74.006,\"km\":25}}}", NOW, "r1,r2");
  assert_members (f->store, "{\"match\":{\"near\":{\"lat\":40.7128,\"lon\":-74.006,\"km\":20}}}", NOW, "r1");
  assert_members (f->store, "{\"match\":{\"near\":{\"lat\":40.7128,\"lon\":-74.006,\"km\":310}}}", NOW, "r1,r2,r3");

  r = fx_eval_full (f->store, "{\"include\":[\"all-users\"]}", NOW, SEG_EVAL_REACH | SEG_EVAL_SAMPLE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_eval_result_get_count (r), ==, 3);
  g_assert_cmpuint (seg_eval_result_get_reach (r, SEG_CHANNEL_EMAIL), ==, 1);
  g_assert_cmpuint (seg_eval_result_get_reach (r, SEG_CHANNEL_IN_APP), ==, 1);
  g_assert_cmpuint (g_strv_length ((char **) seg_eval_result_get_sample (r)), ==, 3);
}

static void
test_profiles_latest_wins (Fixture       *f,
                           gconstpointer  data)
{
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_profile (w, "u", "2024-05-01T00:00:00Z", "city=s:Paris", "score=n:1", NULL);
    fx_profile (w, "u", "2024-05-03T00:00:00Z", "city=s:Rome", NULL);
    fx_profile (w, "u", "2024-05-02T00:00:00Z", "city=s:Oslo", NULL);   /* older: ignored */
    fx_commit (w);
  }
  assert_members (f->store, USER ("{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Rome\"}"), NOW, "u");
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_profile (w, "u", "2024-04-01T00:00:00Z", "city=s:Lima", NULL);   /* older than stored */
    fx_profile (w, "u", "2024-05-05T00:00:00Z", "score=x:", NULL);      /* explicit null clears */
    fx_commit (w);
  }
  assert_members (f->store, USER ("{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Rome\"}"), NOW, "u");
  assert_members (f->store, USER ("{\"property\":\"score\",\"op\":\"not_exists\"}"), NOW, "u");
}

/* Profile set times are stored as one time when one import set every value: they must
 * come back per user after reopening, so that older values still lose. */
static void
test_profiles_set_times_reopen (Fixture       *f,
                                gconstpointer  data)
{
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_profile (w, "a", "2024-05-01T00:00:00Z", "city=s:Paris", NULL);
    fx_profile (w, "b", "2024-05-01T00:00:00Z", "city=s:Rome", NULL);
    fx_profile (w, "c", "2024-05-01T00:00:00Z", "score=n:3", NULL);
    fx_commit (w);
  }
  fx_release (&f->store);
  f->store = fx_open (f->path, "UTC");
  assert_members (f->store, USER ("{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Paris\"}"), NOW, "a");
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_profile (w, "a", "2024-04-01T00:00:00Z", "city=s:Lima", NULL);   /* older: ignored */
    fx_profile (w, "c", "2024-04-01T00:00:00Z", "city=s:Oslo", NULL);   /* c had no city: set */
    fx_profile (w, "b", "2024-06-01T00:00:00Z", "city=s:Kyiv", NULL);   /* newer: wins */
    fx_commit (w);
  }
  fx_release (&f->store);
  f->store = fx_open (f->path, "UTC");
  assert_members (f->store, USER ("{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Paris\"}"), NOW, "a");
  assert_members (f->store, USER ("{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Oslo\"}"), NOW, "c");
  assert_members (f->store, USER ("{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Kyiv\"}"), NOW, "b");
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_profile (w, "c", "2024-03-15T00:00:00Z", "city=s:Nice", NULL);   /* older than Oslo */
    fx_profile (w, "b", "2024-05-15T00:00:00Z", "city=s:Riga", NULL);   /* older than Kyiv */
    fx_commit (w);
  }
  fx_release (&f->store);
  f->store = fx_open (f->path, "UTC");
  assert_members (f->store, USER ("{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Oslo\"}"), NOW, "c");
  assert_members (f->store, USER ("{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Kyiv\"}"), NOW, "b");
}

static void
test_hostile_strings (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autofree char *prop = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(SegUserProfile) user = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = "Ev'\"il\\ \xc3\xa9v\xc3\xa9nement; DROP TABLE segments;--";
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  for (int i = 0; i < 20000; i++)
    g_string_append (huge, "quote\"back\\slash,");
  prop = g_strdup_printf ("note=s:%s", huge->str);
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_event (w, "us\"er'1\\", name, "2024-06-01T00:00:00Z", prop, NULL);
    fx_commit (w);
  }
  fx_release (&f->store);
  f->store = fx_open (f->path, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "match");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "did");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "where");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "property");
  json_builder_add_string_value (b, "note");
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, "equals");
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, huge->str);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json = json_generator_to_data (gen, NULL);
  assert_members (f->store, json, NOW, "us\"er'1\\");

  seg_store_get_user_async (SEG_STORE (f->store), "us\"er'1\\", NULL, fx_result_cb, &res);
  user = seg_store_get_user_finish (SEG_STORE (f->store), fx_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (seg_user_profile_get_timeline (user)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (seg_user_profile_get_timeline (user), 0), "event"), ==, name);
}

static void
test_schema (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GListModel) props = NULL;
  g_autoptr(SegEventInfo) e0 = NULL;
  g_autoptr(SegPropertyInfo) p0 = NULL;
  g_autoptr(SegStoreWriter) w = begin (f);

  fx_event (w, "a", "Page Visited", "2024-06-01T00:00:00Z", "url=s:/home", NULL);
  fx_event (w, "b", "Page Visited", "2024-06-02T00:00:00Z", "url=s:/home", NULL);
  fx_event (w, "c", "Page Visited", "2024-06-03T00:00:00Z", "url=s:/cart", NULL);
  fx_event (w, "c", "App Launched", "2024-06-03T00:00:00Z", NULL);
  fx_commit (w);

  seg_store_list_events_async (SEG_STORE (f->store), NULL, fx_result_cb, &r1);
  events = seg_store_list_events_finish (SEG_STORE (f->store), fx_wait (&r1), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 2);
  e0 = g_list_model_get_item (events, 1);
  g_assert_cmpstr (seg_event_info_get_name (e0), ==, "Page Visited");
  g_assert_cmpuint (seg_event_info_get_count (e0), ==, 3);
  g_assert_cmpint (seg_event_info_get_first_ts (e0), ==, fx_ms ("2024-06-01T00:00:00Z"));

  seg_store_list_properties_async (SEG_STORE (f->store), "Page Visited", NULL, fx_result_cb, &r2);
  props = seg_store_list_properties_finish (SEG_STORE (f->store), fx_wait (&r2), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (props), ==, 1);
  p0 = g_list_model_get_item (props, 0);
  g_assert_cmpint (seg_property_info_get_value_type (p0), ==, SEG_VALUE_TYPE_STRING);
  g_assert_cmpstr (seg_property_info_get_top_values (p0)[0], ==, "/home");
  g_assert_cmpuint (seg_property_info_get_top_count (p0, 0), ==, 2);
}

typedef struct
{
  SegLocalStore *store;
  guint          batches;
} WriterJob;

static gpointer
writer_thread (gpointer data)
{
  WriterJob *job = data;

  for (guint b = 0; b < job->batches; b++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SegStoreWriter) w = seg_store_begin_write (SEG_STORE (job->store), &error);

      for (guint i = 0; i < 100; i++)
        {
          g_autofree char *u = g_strdup_printf ("w%u-%u", b, i);
          fx_event (w, u, "Charged", "2024-06-10T10:00:00Z", "amount=n:5", NULL);
        }
      fx_commit (w);
    }
  return NULL;
}

/* Evaluations running while a writer commits see whole commits only: the count is always
 * a multiple of the batch size, and ends at the total. */
static void
test_concurrent_write (Fixture       *f,
                       gconstpointer  data)
{
  WriterJob job = { f->store, 20 };
  GThread *thread = g_thread_new ("writer", writer_thread, &job);
  guint64 last = 0, count = 0;

  do
    {
      count = count_of (f->store, DID ("Charged", "{\"type\":\"ever\"}"));
      g_assert_cmpuint (count % 100, ==, 0);
      g_assert_cmpuint (count, >=, last);
      last = count;
    }
  while (count < 2000);
  g_thread_join (thread);
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, 2000);
}

static void
collect_cb (const SegLiveMembership *m,
            gpointer                 user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s %s %s %" G_GINT64_FORMAT, m->segment_id,
                                               m->user_id, m->key, m->ts_ms));
}

/* Live memberships are kept in the store's file: a restart keeps them, a duplicate
 * delivery does not add one, and a store written before they existed (schema 1) migrates. */
static void
test_live_memberships (void)
{
  g_autofree char *dir = fx_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "s.db", NULL);
  g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const SegLiveMembership m[] = {
    { "seg-a", "u1", 1000, "k1" },
    { "seg-a", "u2", 2000, "k1" },
    { "seg-a", "u1", 1000, "k1" },   /* the same qualification again */
  };

  /* Make it an old store: schema 1, no live_memberships table. */
  make_old_store (path, 1, "DROP TABLE live_memberships;");
  {
    g_autoptr(SegLocalStore) store = fx_open (path, NULL);
    g_assert_true (seg_live_sink_add (SEG_LIVE_SINK (store), m, G_N_ELEMENTS (m), &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(SegLocalStore) store = fx_open (path, NULL);
    g_assert_true (seg_live_sink_load (SEG_LIVE_SINK (store), collect_cb, got, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (got->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (got, 0), ==, "seg-a u1 k1 1000");
  g_assert_cmpstr (g_ptr_array_index (got, 1), ==, "seg-a u2 k1 2000");
  fx_rmdir (dir);
}

/* Evaluating a saved live segment answers the users stored as qualified for it. */
static void
test_live_evaluate (Fixture       *f,
                    gconstpointer  data)
{
  const char *def = "{\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Charged\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SegSegment) live = NULL;

  {
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_event (w, "u1", "Charged", "2024-05-01T10:00:00Z", NULL);
    fx_event (w, "u2", "Charged", "2024-05-01T11:00:00Z", NULL);
    fx_event (w, "u3", "App Launched", "2024-05-01T11:00:00Z", NULL);
    fx_commit (w);
  }
  live = save (f, "Live buyers", def, &error);
  g_assert_no_error (error);
  /* Past events alone make nobody a member. */
  g_assert_cmpuint (count_of (f->store, def), ==, 0);
  {
    const SegLiveMembership m[] = { { seg_segment_get_id (live), "u2", 1000, "k" } };
    g_assert_true (seg_live_sink_add (SEG_LIVE_SINK (f->store), m, 1, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (count_of (f->store, def), ==, 1);
}

/* A live segment counts users who qualified with nothing else stored about them, lists
 * them newest first, and its trend is the users who qualified each day of the store's
 * timezone (once per user per day), not the past-behavior answer. */
static void
test_live_trend (Fixture       *f,
                 gconstpointer  data)
{
  const char *def_json = "{\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Charged\"}}";
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (def_json, -1, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegSegment) live = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(SegTrend) trend = NULL;
  g_autofree char *members = NULL;

  g_assert_cmpstr (g_time_zone_get_identifier (seg_store_get_timezone (SEG_STORE (f->store))), ==,
                   "America/New_York");
  {
    /* Plenty of past Charged events: a past-behavior trend would count these. */
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_event (w, "u1", "Charged", "2024-03-09T15:00:00Z", NULL);
    fx_event (w, "u2", "Charged", "2024-03-10T15:00:00Z", NULL);
    fx_event (w, "u3", "Charged", "2024-03-11T15:00:00Z", NULL);
    fx_commit (w);
  }
  live = save (f, "Live buyers", def_json, &error);
  g_assert_no_error (error);
  {
    const char *id = seg_segment_get_id (live);
    const SegLiveMembership m[] = {
      /* Mar 9, 23:59:59 EST */
      { id, "u1", fx_ms ("2024-03-10T04:59:59Z"), "e:1" },
      /* Mar 10 EDT: u1 twice (counted once that day), then "ghost", unknown to the store */
      { id, "u1", fx_ms ("2024-03-10T05:00:00Z"), "e:2" },
      { id, "u1", fx_ms ("2024-03-10T18:00:00Z"), "e:3" },
      { id, "ghost", fx_ms ("2024-03-11T03:59:59Z"), "e:4" },
      /* Mar 11, 00:00 EDT */
      { id, "u2", fx_ms ("2024-03-11T04:00:00Z"), "e:5" },
    };
    g_assert_true (seg_live_sink_add (SEG_LIVE_SINK (f->store), m, G_N_ELEMENTS (m), &error));
    g_assert_no_error (error);
  }

  /* ghost counts although the store knows nothing of them; u3's past event does not. */
  g_assert_cmpuint (count_of (f->store, def_json), ==, 3);
  {
    g_autoptr(SegEvalResult) r = fx_eval_full (f->store, def_json, NOW, SEG_EVAL_MEMBERS, &error);
    g_assert_no_error (error);
    members = g_strjoinv (",", (char **) seg_eval_result_get_members (r));
  }
  g_assert_cmpstr (members, ==, "u2,ghost,u1");

  seg_store_trend_async (SEG_STORE (f->store), def, fx_ms ("2024-03-09T12:00:00Z"),
                         fx_ms ("2024-03-12T12:00:00Z"), NULL, fx_result_cb, &res);
  trend = seg_store_trend_finish (SEG_STORE (f->store), fx_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_trend_get_n_days (trend), ==, 4);
  g_assert_cmpint (seg_trend_get_day (trend, 1), ==, fx_ms ("2024-03-10T05:00:00Z"));
  g_assert_cmpuint (seg_trend_get_count (trend, 0), ==, 1);   /* u1 */
  g_assert_cmpuint (seg_trend_get_count (trend, 1), ==, 2);   /* u1, ghost */
  g_assert_cmpuint (seg_trend_get_count (trend, 2), ==, 1);   /* u2 */
  g_assert_cmpuint (seg_trend_get_count (trend, 3), ==, 0);
}

static guint
n_chunks_in_file (const char *path,
                  const char *event)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM event_chunks WHERE event = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Small commits into a big table (live ingest batches) are deltas: a chunk each in the
 * file, merged in memory before the next evaluation. Queries see every committed event
 * at once, and they answer exactly as a store that got the same events in one commit,
 * before and after reopening. */
static void
test_deltas (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *ref_path = g_build_filename (f->dir, "reference.db", NULL);
  g_autoptr(SegLocalStore) ref = fx_open (ref_path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegStoreWriter) rw = seg_store_begin_write (SEG_STORE (ref), &error);
  const char *defs[] = {
    DID ("Charged", "{\"type\":\"ever\"}"),
    "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":90}]}}",
    "{\"match\":{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"count\",\"op\":\"ge\",\"value\":6},\"when\":{\"type\":\"ever\"}}}",
    "{\"match\":{\"did\":\"Charged\",\"occurrence\":\"first\",\"when\":{\"type\":\"on\",\"date\":\"2024-05-20\"}}}",
    DID ("Searched", "{\"type\":\"ever\"}"),
  };
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint64 n = 0;

  g_assert_no_error (error);
  {
    g_autoptr(SegStoreWriter) w = begin (f);
    for (int i = 0; i < 400; i++)
      {
        g_autofree char *u = g_strdup_printf ("user%03d", i % 80);
        g_autofree char *amount = g_strdup_printf ("amount=n:%d", i % 100);
        g_autofree char *ts = g_strdup_printf ("2024-06-%02dT10:%02d:00Z", 1 + i % 28, i % 60);
        fx_event (w, u, "Charged", ts, amount, NULL);
        fx_event (rw, u, "Charged", ts, amount, NULL);
        g_hash_table_add (users, g_steal_pointer (&u));
        n++;
      }
    fx_commit (w);
  }
  g_assert_cmpuint (n_chunks_in_file (f->path, "Charged"), ==, 1);
  for (int b = 0; b < 30; b++)
    {
      g_autoptr(SegStoreWriter) w = begin (f);
      for (int i = 0; i < 3; i++)
        {
          /* New users and known ones, events older than the stored ones among them. */
          g_autofree char *u = g_strdup_printf (i == 2 ? "late%02d" : "user%03d", (b * 7 + i * 13) % 90);
          g_autofree char *amount = g_strdup_printf ("amount=n:%d", (b * 31 + i) % 100);
          g_autofree char *ts = g_strdup_printf ("2024-05-%02dT09:00:00Z", 10 + (b + i) % 15);
          fx_event (w, u, "Charged", ts, amount, NULL);
          fx_event (rw, u, "Charged", ts, amount, NULL);
          g_hash_table_add (users, g_steal_pointer (&u));
          n++;
        }
      fx_commit (w);
      /* Visible to the very next query. */
      g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, n);
      if (b % 10 == 0)
        g_assert_cmpuint (count_of (f->store, defs[0]), ==, g_hash_table_size (users));
    }
  {
    /* A new event name in a small commit: a table of its own, at once. */
    g_autoptr(SegStoreWriter) w = begin (f);
    fx_event (w, "user001", "Searched", "2024-06-03T10:00:00Z", NULL);
    fx_event (rw, "user001", "Searched", "2024-06-03T10:00:00Z", NULL);
    fx_commit (w);
  }
  fx_commit (rw);
  g_assert_cmpuint (n_chunks_in_file (f->path, "Charged"), ==, 31);
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, n + 1);
  g_assert_cmpuint (seg_local_store_get_n_events (ref), ==, n + 1);
  for (guint d = 0; d < G_N_ELEMENTS (defs); d++)
    g_assert_cmpuint (count_of (f->store, defs[d]), ==, count_of (ref, defs[d]));
  g_assert_cmpuint (count_of (f->store, defs[3]), >, 0);

  /* Reopened: the chunks are merged on load, the answers stay the same. */
  fx_release (&f->store);
  f->store = fx_open (f->path, NULL);
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, n + 1);
  for (guint d = 0; d < G_N_ELEMENTS (defs); d++)
    g_assert_cmpuint (count_of (f->store, defs[d]), ==, count_of (ref, defs[d]));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn, tz) g_test_add ("/LocalStore/" path, Fixture, tz, fixture_setup, fn, fixture_teardown)
  ADD ("windows", test_windows, NULL);
  ADD ("event-ops", test_event_ops, NULL);
  ADD ("profile-ops", test_profile_ops, NULL);
  ADD ("aggregates", test_aggregates, NULL);
  ADD ("occurrence", test_occurrence, NULL);
  ADD ("sequence", test_sequence, NULL);
  ADD ("dst", test_dst, "America/New_York");
  ADD ("persistence", test_persistence, NULL);
  ADD ("deltas", test_deltas, NULL);
  g_test_add_func ("/LocalStore/live-memberships", test_live_memberships);
  ADD ("live-evaluate", test_live_evaluate, NULL);
  ADD ("live-trend", test_live_trend, "America/New_York");
  ADD ("dedup", test_dedup, NULL);
  ADD ("insert-id-runs", test_insert_id_runs, NULL);
  ADD ("insert-ids-damaged", test_insert_ids_damaged, NULL);
  g_test_add_func ("/LocalStore/insert-ids-migrate", test_insert_ids_migrate);
  ADD ("segments", test_segments, NULL);
  ADD ("reach-and-near", test_reach_and_near, NULL);
  ADD ("profiles-set-times-reopen", test_profiles_set_times_reopen, NULL);
  ADD ("profiles-latest-wins", test_profiles_latest_wins, NULL);
  ADD ("hostile-strings", test_hostile_strings, NULL);
  ADD ("schema", test_schema, NULL);
  ADD ("concurrent-write", test_concurrent_write, NULL);
  return g_test_run ();
}
