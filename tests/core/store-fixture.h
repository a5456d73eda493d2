/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Helpers shared by the store tests: a real store in a temporary directory, records
 * written through the real writer, answers read through the SegStore interface. */

#include <glib/gstdio.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "seg-definition.h"
#include "seg-eval-result.h"
#include "seg-local-store.h"
#include "seg-record.h"
#include "seg-segment.h"
#include "seg-store-writer.h"
#include "seg-time.h"
#include "seg-trend.h"

static inline gint64
fx_ms (const char *iso)
{
  gint64 ms = 0;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  g_assert_true (seg_time_parse_timestamp (iso, strlen (iso), utc, &ms));
  return ms;
}

static inline char *
fx_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("seg-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
fx_rmdir (const char *dir)
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

static inline SegLocalStore *
fx_open (const char *path,
         const char *tz)
{
  g_autoptr(GError) error = NULL;
  SegLocalStore *store = seg_local_store_new (path, tz, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Adds a record. Each property is "key=T:value" with T one of n (number), s (string),
 * b (boolean), d (date, ISO or ms), l (list, items separated by '|'), x (explicit null). */
static inline void
fx_add_va (SegStoreWriter *w,
           SegRecordKind   kind,
           const char     *user,
           const char     *event,
           gint64          ts,
           const char     *insert_id,
           va_list         ap)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) props = g_array_new (FALSE, TRUE, sizeof (SegPropValue));
  const char *spec;
  SegRecord r = { 0 };

  while ((spec = va_arg (ap, const char *)) != NULL)
    {
      const char *eq = strchr (spec, '=');
      SegPropValue v = { 0 };
      char t = eq[1];
      const char *val = eq + 3;
      char *key = g_strndup (spec, (gsize) (eq - spec));

      g_ptr_array_add (keep, key);
      v.key = key;
      switch (t)
        {
        case 'n': v.type = SEG_VALUE_TYPE_NUMBER; v.num = g_ascii_strtod (val, NULL); break;
        case 'b': v.type = SEG_VALUE_TYPE_BOOLEAN; v.num = g_str_equal (val, "true"); break;
        case 'd': v.type = SEG_VALUE_TYPE_DATE; v.num = (double) fx_ms (val); break;
        case 'x': v.type = SEG_VALUE_TYPE_NONE; break;
        case 'l':
          {
            char *items = g_strdup (val);
            gsize len = strlen (items);
            for (gsize i = 0; i < len; i++)
              if (items[i] == '|')
                items[i] = '\0';
            g_ptr_array_add (keep, items);
            v.type = SEG_VALUE_TYPE_LIST;
            v.str = items;
            v.str_len = len + 1;
          }
          break;
        case 's':
        default:
          v.type = SEG_VALUE_TYPE_STRING; v.str = val; v.str_len = strlen (val); break;
        }
      g_array_append_val (props, v);
    }
  r.kind = kind;
  r.user_id = user;
  r.event = event;
  r.ts_ms = ts;
  r.insert_id = insert_id;
  r.n_props = props->len;
  r.props = (SegPropValue *) props->data;
  g_assert_true (seg_store_writer_add (w, &r, &error));
  g_assert_no_error (error);
}

static inline void
fx_event (SegStoreWriter *w,
          const char     *user,
          const char     *event,
          const char     *iso,
          ...)
{
  va_list ap;

  va_start (ap, iso);
  fx_add_va (w, SEG_RECORD_EVENT, user, event, fx_ms (iso), NULL, ap);
  va_end (ap);
}

static inline void
fx_profile (SegStoreWriter *w,
            const char     *user,
            const char     *iso,
            ...)
{
  va_list ap;

  va_start (ap, iso);
  fx_add_va (w, SEG_RECORD_PROFILE, user, NULL, fx_ms (iso), NULL, ap);
  va_end (ap);
}

static inline void
fx_commit (SegStoreWriter *w)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (seg_store_writer_commit (w, NULL, &error));
  g_assert_no_error (error);
}

static void
fx_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static inline GAsyncResult *
fx_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static inline SegEvalResult *
fx_eval_full (SegLocalStore   *store,
              const char      *json,
              const char      *now_iso,
              SegEvalFlags     flags,
              GError         **error)
{
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, error);
  g_autoptr(GAsyncResult) res = NULL;
  SegEvalOptions opts = { 0 };

  if (def == NULL)
    return NULL;
  opts.now_ms = fx_ms (now_iso);
  opts.flags = flags;
  opts.members_limit = 1000;
  opts.sample_size = 10;
  seg_store_evaluate_async (SEG_STORE (store), def, &opts, NULL, fx_result_cb, &res);
  return seg_store_evaluate_finish (SEG_STORE (store), fx_wait (&res), error);
}

/* Returns the sorted, comma-joined member ids. */
static inline char *
fx_members (SegLocalStore *store,
            const char    *json,
            const char    *now_iso)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) r = fx_eval_full (store, json, now_iso, SEG_EVAL_MEMBERS, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_assert_no_error (error);
  g_assert_nonnull (r);
  for (const char * const *m = seg_eval_result_get_members (r); *m != NULL; m++)
    g_ptr_array_add (ids, (gpointer) *m);
  g_assert_cmpuint (ids->len, ==, seg_eval_result_get_count (r));
  {
    /* Sort by string. */
    for (guint i = 1; i < ids->len; i++)
      for (guint j = i; j > 0 && strcmp (ids->pdata[j - 1], ids->pdata[j]) > 0; j--)
        {
          gpointer t = ids->pdata[j];
          ids->pdata[j] = ids->pdata[j - 1];
          ids->pdata[j - 1] = t;
        }
  }
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

#define assert_members(store, json, now, expected) \
  G_STMT_START { \
    g_autofree char *_got = fx_members ((store), (json), (now)); \
    if (g_strcmp0 (_got, (expected)) != 0) \
      g_error ("%s:%d: %s\n  expected [%s]\n  got      [%s]", __FILE__, __LINE__, (json), (expected), _got); \
  } G_STMT_END

/* Lets pending main-context work (task completions, list updates) finish, then checks
 * that the store is not leaked. */
static inline void
fx_release (SegLocalStore **store)
{
  for (int i = 0; i < 10000 && G_OBJECT (*store)->ref_count > 1; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  g_assert_finalize_object (*store);
  *store = NULL;
}
