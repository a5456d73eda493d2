/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-test-data"

#include "config.h"

#include <glib/gstdio.h>

#include "seg-definition.h"
#include "seg-local-store.h"
#include "seg-record.h"
#include "seg-segment.h"
#include "seg-store-writer.h"
#include "seg-test-data.h"

/*
 * A small, deterministic shop for the UI tests, the harness and the screenshots: users
 * who launch the app, view products, add them to the cart and pay ("Charged" with an
 * amount), with profiles (city, email, phone, push token, opt-ins, test users).
 */

static const char *cities[] = { "New York", "London", "Mumbai", "Berlin", "São Paulo", "Tokyo" };
static const char *categories[] = { "Shoes", "Books", "Phones", "Toys" };

static gboolean
add_event (SegStoreWriter  *w,
           const char      *user,
           const char      *event,
           gint64           ts,
           double           amount,
           const char      *category,
           GError         **error)
{
  SegPropValue props[2] = {
    { "amount", SEG_VALUE_TYPE_NUMBER, NULL, 0, amount },
    { "category", SEG_VALUE_TYPE_STRING, category, category ? strlen (category) : 0, 0 },
  };
  SegRecord r = { SEG_RECORD_EVENT, user, event, ts, NULL, 0, props };

  if (amount >= 0)
    r.n_props = category ? 2 : 1;
  else if (category != NULL)
    {
      r.props = &props[1];
      r.n_props = 1;
    }
  return seg_store_writer_add (w, &r, error);
}

/**
 * seg_test_data_populate:
 * @now_ms: the time the events lead up to
 *
 * Writes @n_users users and their events into @store (blocking).
 */
gboolean
seg_test_data_populate (SegStore  *store,
                        guint      n_users,
                        gint64     now_ms,
                        GError   **error)
{
  g_autoptr(SegStoreWriter) w = seg_store_begin_write (store, error);
  GRand *rand = g_rand_new_with_seed (42);
  const gint64 day = 86400000;
  gboolean ok = w != NULL;

  for (guint u = 0; ok && u < n_users; u++)
    {
      g_autofree char *user = g_strdup_printf ("user-%05u", u);
      g_autofree char *email = g_strdup_printf ("user%u@example.com", u);
      g_autofree char *phone = g_strdup_printf ("+1555%06u", u);
      const char *city = cities[u % G_N_ELEMENTS (cities)];
      SegPropValue profile[] = {
        { "city", SEG_VALUE_TYPE_STRING, city, strlen (city), 0 },
        { "email", SEG_VALUE_TYPE_STRING, email, strlen (email), 0 },
        { "phone", SEG_VALUE_TYPE_STRING, phone, u % 3 == 0 ? strlen (phone) : 0, 0 },
        { "push_token", SEG_VALUE_TYPE_STRING, "tok", u % 2 == 0 ? 3 : 0, 0 },
        { "whatsapp_optin", SEG_VALUE_TYPE_BOOLEAN, NULL, 0, u % 5 == 0 },
        { "test_user", SEG_VALUE_TYPE_BOOLEAN, NULL, 0, u % 50 == 0 },
        { "latitude", SEG_VALUE_TYPE_NUMBER, NULL, 0, 40.7 + (u % 10) * 0.01 },
        { "longitude", SEG_VALUE_TYPE_NUMBER, NULL, 0, -74.0 + (u % 10) * 0.01 },
      };
      SegRecord p = { SEG_RECORD_PROFILE, user, NULL, now_ms - 100 * day, NULL, G_N_ELEMENTS (profile), profile };
      guint sessions = 1 + g_rand_int_range (rand, 0, 12);

      /* A value with no bytes means "no phone" / "no token": drop it from the record. */
      ok = seg_store_writer_add (w, &p, error);
      for (guint s = 0; ok && s < sessions; s++)
        {
          gint64 ts = now_ms - g_rand_int_range (rand, 0, 90) * day - g_rand_int_range (rand, 0, 86000) * 1000;
          const char *category = categories[g_rand_int_range (rand, 0, G_N_ELEMENTS (categories))];

          ok = add_event (w, user, "App Launched", ts, -1, NULL, error) &&
               add_event (w, user, "Product Viewed", ts + 30000, -1, category, error);
          if (ok && g_rand_int_range (rand, 0, 100) < 45)
            {
              ok = add_event (w, user, "Added To Cart", ts + 60000, -1, category, error);
              if (ok && g_rand_int_range (rand, 0, 100) < 55)
                ok = add_event (w, user, "Charged", ts + 60000 + g_rand_int_range (rand, 1, 30) * 60000,
                                5 + g_rand_int_range (rand, 0, 200), category, error);
            }
        }
    }
  g_rand_free (rand);
  if (!ok)
    {
      if (w != NULL)
        seg_store_writer_abort (w);
      return FALSE;
    }
  return seg_store_writer_commit (w, NULL, error);
}

typedef struct
{
  gboolean    done;
  SegSegment *segment;
  GError     *error;
} SaveWait;

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveWait *wait = user_data;

  wait->segment = seg_store_save_segment_finish (SEG_STORE (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
wait_done (gpointer data)
{
  return ((SaveWait *) data)->done;
}

/**
 * seg_test_data_save_json:
 * Returns: (transfer full) (nullable): the saved segment
 */
SegSegment *
seg_test_data_save_json (SegStore    *store,
                         const char  *name,
                         const char  *json,
                         GError     **error)
{
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, error);
  g_autoptr(SegSegment) seg = NULL;
  SaveWait wait = { 0 };

  if (def == NULL)
    return NULL;
  seg = seg_segment_new (NULL, name, def);
  seg_store_save_segment_async (store, seg, NULL, saved_cb, &wait);
  seg_test_data_iterate_until (wait_done, &wait, 20000);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.segment;
}

/* Saves @n segments named "Segment 00001"... with a few kinds of rules. */
gboolean
seg_test_data_save_segments (SegStore  *store,
                             guint      n,
                             GError   **error)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Segment %05u", i);
      guint days = 1 + i % 90;
      g_autofree char *json = NULL;
      g_autoptr(SegSegment) seg = NULL;

      switch (i % 3)
        {
        case 0:
          json = g_strdup_printf ("{\"version\":1,\"match\":{\"all\":[{\"did\":\"Charged\",\"when\":"
                                  "{\"type\":\"last\",\"n\":%u,\"unit\":\"days\"}}]}}", days);
          break;
        case 1:
          json = g_strdup_printf ("{\"version\":1,\"match\":{\"all\":[{\"did\":\"Added To Cart\",\"when\":"
                                  "{\"type\":\"last\",\"n\":%u,\"unit\":\"days\"}},{\"did_not\":\"Charged\","
                                  "\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]}}", days);
          break;
        default:
          json = g_strdup_printf ("{\"version\":1,\"match\":{\"all\":[{\"user\":{\"property\":\"city\","
                                  "\"op\":\"equals\",\"value\":\"London\"}},{\"did\":\"App Launched\","
                                  "\"when\":{\"type\":\"last\",\"n\":%u,\"unit\":\"days\"}}]}}", days);
          break;
        }
      seg = seg_test_data_save_json (store, name, json, error);
      if (seg == NULL)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gboolean timed_out;
} Timeout;

static gboolean
timeout_cb (gpointer data)
{
  ((Timeout *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done returns TRUE or @timeout_ms pass. */
void
seg_test_data_iterate_until (gboolean (*done) (gpointer data),
                             gpointer   data,
                             guint      timeout_ms)
{
  Timeout t = { FALSE };
  guint id = g_timeout_add (timeout_ms, timeout_cb, &t);

  while (!done (data) && !t.timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!t.timed_out)
    g_source_remove (id);
}

/* Test stores: a real store file in a temporary directory, removed afterwards. */


SegTestStore *
seg_test_store_new (guint n_users)
{
  SegTestStore *ts = g_new0 (SegTestStore, 1);
  g_autoptr(GError) error = NULL;

  ts->dir = g_dir_make_tmp ("seg-ui-test-XXXXXX", &error);
  g_assert_no_error (error);
  ts->path = g_build_filename (ts->dir, "test.segstore", NULL);
  ts->store = SEG_STORE (seg_local_store_new (ts->path, "UTC", &error));
  g_assert_no_error (error);
  if (n_users > 0)
    {
      seg_test_data_populate (ts->store, n_users, g_get_real_time () / 1000, &error);
      g_assert_no_error (error);
    }
  return ts;
}

void
seg_test_store_free (SegTestStore *ts)
{
  GDir *dir;
  const char *name;

  g_clear_object (&ts->store);
  dir = g_dir_open (ts->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (ts->dir, name, NULL);
      g_unlink (file);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (ts->dir);
  g_free (ts->dir);
  g_free (ts->path);
  g_free (ts);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Runs the main loop for @ms milliseconds. */
void
seg_test_iterate_ms (guint ms)
{
  seg_test_data_iterate_until (never, NULL, ms);
}

typedef struct
{
  gboolean       done;
  SegEvalResult *result;
  GError        *error;
} EvalWait;

static void
evaluated_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  EvalWait *wait = user_data;

  wait->result = seg_store_evaluate_finish (SEG_STORE (source), res, &wait->error);
  wait->done = TRUE;
}

static gboolean
eval_done (gpointer data)
{
  return ((EvalWait *) data)->done;
}

/* Evaluates @definition with reach, waiting for the answer. */
SegEvalResult *
seg_test_evaluate (SegStore       *store,
                   SegDefinition  *definition,
                   GError        **error)
{
  SegEvalOptions options = { 0, SEG_EVAL_REACH, 0, 0, 0 };
  EvalWait wait = { 0 };

  seg_store_evaluate_async (store, definition, &options, NULL, evaluated_cb, &wait);
  seg_test_data_iterate_until (eval_done, &wait, 30000);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.result;
}

char *
seg_test_read_file (const char *path)
{
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);
  return contents;
}
