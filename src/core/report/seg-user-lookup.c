/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-user-lookup"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seg-definition.h"
#include "seg-eval-result.h"
#include "seg-report-sync.h"
#include "seg-user-lookup.h"
#include "seg-user-profile.h"

/*
 * Finding a user by what a marketer has at hand: the user id, or the email address in the
 * user's profile. The email is found by evaluating a one-rule definition (email equals
 * the query) through the public SegStore interface, so every store supports it.
 */

typedef struct
{
  SegStore *store;
  char     *query;
} LookupData;

static void
lookup_data_free (LookupData *d)
{
  g_clear_object (&d->store);
  g_free (d->query);
  g_free (d);
}

static char *
email_definition (const char *email)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "match");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "property");
  json_builder_add_string_value (b, "email");
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, "equals");
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, email);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static char *
find_by_email (SegStore      *store,
               const char    *email,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *json = email_definition (email);
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, error);
  g_autoptr(SegEvalResult) r = NULL;
  SegEvalOptions opts = { 0 };
  const char * const *ids;

  if (def == NULL)
    return NULL;
  opts.flags = SEG_EVAL_MEMBERS;
  opts.members_limit = 1;
  r = seg_report_evaluate_sync (store, def, &opts, cancellable, error);
  if (r == NULL)
    return NULL;
  ids = seg_eval_result_get_members (r);
  return ids != NULL && ids[0] != NULL ? g_strdup (ids[0]) : NULL;
}

static void
lookup_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LookupData *d = task_data;
  g_autoptr(GError) error = NULL;
  SegUserProfile *user;

  user = seg_report_get_user_sync (d->store, d->query, cancellable, &error);
  if (user != NULL)
    {
      g_task_return_pointer (task, user, g_object_unref);
      return;
    }
  if (!g_error_matches (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (strchr (d->query, '@') != NULL)
    {
      g_autofree char *lower = g_utf8_strdown (d->query, -1);
      g_autofree char *id = NULL;
      GError *e = NULL;

      id = find_by_email (d->store, d->query, cancellable, &e);
      if (id == NULL && e == NULL && g_strcmp0 (lower, d->query) != 0)
        id = find_by_email (d->store, lower, cancellable, &e);
      if (e != NULL)
        {
          g_task_return_error (task, e);
          return;
        }
      if (id != NULL)
        {
          user = seg_report_get_user_sync (d->store, id, cancellable, &e);
          if (user == NULL)
            g_task_return_error (task, e);
          else
            g_task_return_pointer (task, user, g_object_unref);
          return;
        }
    }
  g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND,
                           _("No user has the id or email “%s”"), d->query);
}

/**
 * seg_user_lookup_async:
 * @query: a user id, or an email address from users' profiles
 *
 * Finds a user by id, then by email, in a worker thread.
 */
void
seg_user_lookup_async (SegStore            *store,
                       const char          *query,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LookupData *d;

  g_return_if_fail (SEG_IS_STORE (store));
  g_return_if_fail (query != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_user_lookup_async);
  d = g_new0 (LookupData, 1);
  d->store = g_object_ref (store);
  d->query = g_strstrip (g_strdup (query));
  g_task_set_task_data (task, d, (GDestroyNotify) lookup_data_free);
  if (d->query[0] == '\0')
    {
      g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND,
                               _("Enter a user id or an email address"));
      return;
    }
  g_task_run_in_thread (task, lookup_thread);
}

/**
 * seg_user_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the user
 */
SegUserProfile *
seg_user_lookup_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
