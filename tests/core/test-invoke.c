/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "seg-invoke.h"

typedef struct
{
  GThread *ran_on;
  guint    calls;
  guint    freed;
} Probe;

static gboolean
record_cb (gpointer data)
{
  Probe *p = data;

  p->ran_on = g_thread_self ();
  p->calls++;
  return G_SOURCE_REMOVE;
}

static void
probe_done (gpointer data)
{
  ((Probe *) data)->freed++;
}

typedef struct
{
  GThread *home;
  Probe   *probe;
} Job;

static gpointer
invoke_from_worker (gpointer data)
{
  Job *job = data;

  seg_invoke (g_main_context_default (), job->home, G_PRIORITY_DEFAULT, record_cb, job->probe, probe_done);
  return NULL;
}

/* Work handed over from a worker thread runs on the home thread, never on the worker —
 * even while the home thread is not iterating its context (g_main_context_invoke() would
 * acquire the free context and run it on the worker). On the home thread itself it runs
 * at once. */
static void
test_worker_to_home (void)
{
  g_autoptr(GThread) home = seg_invoke_home ();
  Probe p = { 0 };
  Job job = { home, &p };
  GThread *t;

  t = g_thread_new ("worker", invoke_from_worker, &job);
  g_thread_join (t);
  g_assert_cmpuint (p.calls, ==, 0);   /* not run on the worker */
  while (p.calls == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (p.ran_on == g_thread_self ());
  g_assert_cmpuint (p.freed, ==, 1);

  /* From the home thread: right away. */
  p.calls = 0;
  seg_invoke (NULL, home, G_PRIORITY_DEFAULT, record_cb, &p, probe_done);
  g_assert_cmpuint (p.calls, ==, 1);
  g_assert_cmpuint (p.freed, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Invoke/worker-to-home", test_worker_to_home);
  return g_test_run ();
}
