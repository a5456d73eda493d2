/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Helpers shared by the live tests: records built from short literals, an engine on a
 * manual clock, and a log of the qualifications it emitted. */

#include <glib/gstdio.h>
#include <string.h>

#include "live/seg-live-engine.h"
#include "seg-time.h"

typedef struct
{
  GPtrArray *log;   /* "segment user ts" strings */
} LiveLog;

static inline void
live_log_cb (SegLiveEngine *engine,
             const char    *segment,
             const char    *user,
             gint64         ts,
             gpointer       user_data)
{
  LiveLog *log = user_data;

  g_ptr_array_add (log->log, g_strdup_printf ("%s %s %" G_GINT64_FORMAT, segment, user, ts));
}

static inline gint64
lv_ms (const char *iso)
{
  gint64 ms = 0;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  g_assert_true (seg_time_parse_timestamp (iso, strlen (iso), utc, &ms));
  return ms;
}

/* Pushes an event with string properties given as "key", "value" pairs, NULL-terminated.
 * A value starting with '#' is a number. */
static inline gboolean
lv_push (SegLiveEngine *engine,
         const char    *user,
         const char    *event,
         gint64         ts,
         const char    *insert_id,
         ...)
{
  SegPropValue props[8];
  char *keys[8], *vals[8];
  SegRecord r = { SEG_RECORD_EVENT, user, event, ts, insert_id, 0, props };
  va_list ap;
  const char *k;
  gboolean res;

  va_start (ap, insert_id);
  while ((k = va_arg (ap, const char *)) != NULL)
    {
      const char *v = va_arg (ap, const char *);
      SegPropValue *p = &props[r.n_props];
      keys[r.n_props] = g_strdup (k);
      vals[r.n_props] = g_strdup (v);
      p->key = keys[r.n_props];
      if (v[0] == '#')
        {
          p->type = SEG_VALUE_TYPE_NUMBER;
          p->num = g_ascii_strtod (v + 1, NULL);
          p->str = NULL;
          p->str_len = 0;
        }
      else
        {
          p->type = SEG_VALUE_TYPE_STRING;
          p->str = vals[r.n_props];
          p->str_len = strlen (v);
          p->num = 0;
        }
      r.n_props++;
    }
  va_end (ap);
  res = seg_live_engine_push (engine, &r);
  for (guint i = 0; i < r.n_props; i++)
    {
      g_free (keys[i]);
      g_free (vals[i]);
    }
  return res;
}

static inline void
lv_profile_date (SegLiveEngine *engine,
                 const char    *user,
                 gint64         ts,
                 const char    *property,
                 const char    *date)
{
  SegPropValue p = { property, SEG_VALUE_TYPE_STRING, date, strlen (date), 0 };
  SegRecord r = { SEG_RECORD_PROFILE, user, NULL, ts, NULL, 1, &p };

  seg_live_engine_push (engine, &r);
}

static inline SegLiveTrigger *
lv_trigger (const char *json)
{
  g_autoptr(GError) error = NULL;
  SegLiveTrigger *t = seg_live_trigger_new_from_json (json, &error);

  g_assert_no_error (error);
  return t;
}

static inline void
lv_add (SegLiveEngine *engine,
        const char    *id,
        const char    *json)
{
  g_autoptr(SegLiveTrigger) t = lv_trigger (json);
  g_autoptr(GError) error = NULL;

  seg_live_engine_add_segment (engine, id, t, &error);
  g_assert_no_error (error);
}

/* Runs every source that is ready now, without blocking. */
static inline void
lv_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static inline char *
lv_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("seg-live-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
lv_rmdir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}
