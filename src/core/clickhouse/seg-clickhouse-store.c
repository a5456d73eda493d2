/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse-store"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "seg-clickhouse-catalog.h"
#include "seg-clickhouse-compiler.h"
#include "seg-clickhouse-rows.h"
#include "seg-clickhouse-schema.h"
#include "seg-clickhouse-sql.h"
#include "seg-clickhouse-store.h"
#include "seg-clickhouse-writer.h"
#include "seg-eval-result.h"
#include "seg-event-info.h"
#include "seg-invoke.h"
#include "seg-property-info.h"
#include "seg-segment.h"
#include "seg-store-writer.h"
#include "seg-trend.h"
#include "seg-time.h"
#include "seg-user-profile.h"

/*
 * SegStore over a ClickHouse database: the same answers as the local store (the
 * conformance test holds it to that), computed by the server. Every method runs its
 * blocking HTTP calls on a GTask thread and passes the task's GCancellable to the
 * client, which kills the query on the server when it is cancelled.
 *
 * Saved segments live in the database and are shared by everyone who uses it: the list
 * model is refreshed from the server by list_segments, and every evaluation reads the
 * current definitions of the segments it includes or excludes.
 */

#define TIMELINE_LIMIT   1000
#define TREND_BATCH_DAYS 8
#define TOP_VALUES       20

struct _SegClickhouseStore
{
  GObject               parent_instance;

  SegClickhouseClient  *client;
  char                 *cluster;
  GTimeZone            *tz;
  char                 *display_name;
  GListStore           *segments;       /* of SegSegment, main context only */
  GMainContext         *main_context;
  GThread              *home;          /* the thread that lives in main_context */
  GMutex                now_lock;
  gint64                now_override;
};

static void seg_clickhouse_store_iface_init (SegStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SegClickhouseStore, seg_clickhouse_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SEG_TYPE_STORE,
                                                      seg_clickhouse_store_iface_init))

static gint64
json_int (JsonObject *row,
          const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return json_node_get_int (node);
}

static GPtrArray *
query (SegClickhouseStore  *self,
       const char          *sql,
       GCancellable        *cancellable,
       GError             **error)
{
  return seg_clickhouse_client_query (self->client, sql, NULL, NULL, NULL, cancellable, error);
}

/* ---- basics ---- */

static void
seg_clickhouse_store_finalize (GObject *object)
{
  SegClickhouseStore *self = SEG_CLICKHOUSE_STORE (object);

  g_clear_object (&self->client);
  g_clear_object (&self->segments);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->home, g_thread_unref);
  g_free (self->cluster);
  g_free (self->display_name);
  g_mutex_clear (&self->now_lock);

  G_OBJECT_CLASS (seg_clickhouse_store_parent_class)->finalize (object);
}

static void
seg_clickhouse_store_class_init (SegClickhouseStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_clickhouse_store_finalize;
}

static void
seg_clickhouse_store_init (SegClickhouseStore *self)
{
  g_mutex_init (&self->now_lock);
  self->segments = g_list_store_new (SEG_TYPE_SEGMENT);
  self->main_context = g_main_context_ref_thread_default ();
  self->home = seg_invoke_home ();
}

SegClickhouseClient *
seg_clickhouse_store_get_client (SegClickhouseStore *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_STORE (self), NULL);

  return self->client;
}

const char *
seg_clickhouse_store_get_cluster (SegClickhouseStore *self)
{
  g_return_val_if_fail (SEG_IS_CLICKHOUSE_STORE (self), NULL);

  return self->cluster;
}

/**
 * seg_clickhouse_store_set_now:
 *
 * Fixes "now" for trends and evaluations without a now of their own; 0 restores the
 * real time.
 */
void
seg_clickhouse_store_set_now (SegClickhouseStore *self,
                              gint64              now_ms)
{
  g_return_if_fail (SEG_IS_CLICKHOUSE_STORE (self));

  g_mutex_lock (&self->now_lock);
  self->now_override = now_ms;
  g_mutex_unlock (&self->now_lock);
}

gint64
seg_clickhouse_store_get_now (SegClickhouseStore *self)
{
  gint64 now;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_STORE (self), 0);

  g_mutex_lock (&self->now_lock);
  now = self->now_override;
  g_mutex_unlock (&self->now_lock);
  return now != 0 ? now : g_get_real_time () / 1000;
}

/* ---- saved segments ---- */

static SegSegment *
segment_from_row (JsonObject *row)
{
  const char *id = json_object_get_string_member_with_default (row, "id", NULL);
  const char *text = json_object_get_string_member_with_default (row, "definition", "");
  const char *kind_name = json_object_get_string_member_with_default (row, "kind", "");
  g_autoptr(SegDefinition) def = NULL;
  SegSegmentKind kind = SEG_SEGMENT_KIND_PAST_BEHAVIOR;
  SegSegment *seg;

  if (id == NULL)
    return NULL;
  if (text != NULL && *text != '\0')
    {
      g_autoptr(GError) error = NULL;

      def = seg_definition_new_from_json (text, -1, &error);
      if (def == NULL)
        {
          /* A definition from a newer Segment Studio: leave it to that version. */
          g_debug ("Segment %s is not readable here: %s", id, error->message);
          return NULL;
        }
    }
  seg = seg_segment_new (id, json_object_get_string_member_with_default (row, "name", ""), def);
  seg_segment_set_description (seg, json_object_get_string_member_with_default (row, "description", ""));
  if (seg_segment_kind_from_string (kind_name, &kind))
    seg_segment_set_kind (seg, kind);
  seg_segment_set_times (seg, json_int (row, "created_ms"), json_int (row, "updated_ms"));
  return seg;
}

/* The saved segments as the server has them now: id -> SegSegment (thread-private). */
static GHashTable *
load_segments (SegClickhouseStore  *self,
               GPtrArray          **ordered,
               GCancellable        *cancellable,
               GError             **error)
{
  g_autoptr(GPtrArray) rows = seg_clickhouse_catalog_list_segments (self->client, cancellable, error);
  GHashTable *segs;

  if (rows == NULL)
    return NULL;
  segs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (ordered != NULL)
    *ordered = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      SegSegment *seg = segment_from_row (g_ptr_array_index (rows, i));

      if (seg == NULL)
        continue;
      g_hash_table_insert (segs, g_strdup (seg_segment_get_id (seg)), seg);
      if (ordered != NULL)
        g_ptr_array_add (*ordered, g_object_ref (seg));
    }
  return segs;
}

static gboolean
resolve_cb (const char      *id,
            SegSegmentKind  *kind,
            SegDefinition  **definition,
            gpointer         user_data)
{
  GHashTable *segs = user_data;
  SegSegment *seg = g_hash_table_lookup (segs, id);
  SegDefinition *def;

  if (seg == NULL)
    return FALSE;
  def = seg_segment_get_definition (seg);
  *kind = seg_segment_get_kind (seg);
  *definition = def ? seg_definition_ref (def) : NULL;
  return TRUE;
}

/* ---- property types, for validation ---- */

static void
collect_filters (GPtrArray  *where,
                 const char *event,
                 GHashTable *event_props,
                 GHashTable *events)
{
  for (guint i = 0; where != NULL && i < where->len; i++)
    {
      const SegFilter *f = g_ptr_array_index (where, i);
      g_hash_table_add (event_props, g_strdup (f->property));
      g_hash_table_add (events, g_strdup (event));
    }
}

static void
collect_properties (const SegRule *r,
                    GHashTable    *events,
                    GHashTable    *event_props,
                    GHashTable    *user_props)
{
  if (r == NULL)
    return;
  switch (r->kind)
    {
    case SEG_RULE_GROUP:
      for (guint i = 0; i < r->children->len; i++)
        collect_properties (g_ptr_array_index (r->children, i), events, event_props, user_props);
      break;
    case SEG_RULE_DID:
    case SEG_RULE_DID_NOT:
    case SEG_RULE_DID_ANY:
      for (guint e = 0; r->events[e] != NULL; e++)
        collect_filters (r->where, r->events[e], event_props, events);
      if (r->aggregate != NULL && r->aggregate->property != NULL)
        {
          g_hash_table_add (event_props, g_strdup (r->aggregate->property));
          g_hash_table_add (events, g_strdup (r->events[0]));
        }
      break;
    case SEG_RULE_SEQUENCE:
      collect_filters (r->first.where, r->first.event, event_props, events);
      collect_filters (r->then.where, r->then.event, event_props, events);
      break;
    case SEG_RULE_USER:
      g_hash_table_add (user_props, g_strdup (r->user->property));
      break;
    case SEG_RULE_NEAR:
    case SEG_RULE_REACHABLE:
    default:
      break;
    }
}

static void
append_set (GString    *sql,
            GHashTable *set)
{
  GHashTableIter iter;
  gpointer key;
  gboolean first = TRUE;

  g_string_append_c (sql, '(');
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!first)
        g_string_append (sql, ", ");
      seg_clickhouse_sql_append_string (sql, key, -1);
      first = FALSE;
    }
  g_string_append_c (sql, ')');
}

/* "event\x1fproperty" (event "" for user properties) -> the type most values have. */
static GHashTable *
load_property_types (SegClickhouseStore  *self,
                     SegDefinition       *def,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autoptr(GHashTable) events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) event_props = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) user_props = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  collect_properties (seg_definition_get_match (def), events, event_props, user_props);

  for (guint l = 0; l < 2; l++)
    {
      g_autoptr(GString) sql = NULL;
      g_autoptr(GPtrArray) rows = NULL;

      if (l == 0 && g_hash_table_size (event_props) == 0)
        continue;
      if (l == 1 && g_hash_table_size (user_props) == 0)
        continue;
      if (l == 0)
        {
          sql = g_string_new ("SELECT e, k, argMax(ty, c) AS t FROM (SELECT event AS e, k, ty, "
                              "count() AS c FROM events ARRAY JOIN prop_keys AS k, "
                              "prop_types AS ty WHERE event IN ");
          append_set (sql, events);
          g_string_append (sql, " AND k IN ");
          append_set (sql, event_props);
          g_string_append (sql, " AND ty != 0 GROUP BY e, k, ty) GROUP BY e, k");
        }
      else
        {
          sql = g_string_new ("SELECT '' AS e, k, argMax(ty, c) AS t FROM (SELECT key AS k, "
                              "type AS ty, count() AS c FROM profile_props WHERE key IN ");
          append_set (sql, user_props);
          g_string_append (sql, " AND type != 0 GROUP BY k, ty) GROUP BY k");
        }
      rows = query (self, sql->str, cancellable, error);
      if (rows == NULL)
        return NULL;
      for (guint i = 0; i < rows->len; i++)
        {
          JsonObject *row = g_ptr_array_index (rows, i);
          g_hash_table_insert (types,
                               g_strdup_printf ("%s\x1f%s", json_object_get_string_member (row, "e"),
                                                json_object_get_string_member (row, "k")),
                               GINT_TO_POINTER ((int) json_int (row, "t")));
        }
    }
  return g_steal_pointer (&types);
}

typedef struct
{
  GHashTable *segments;
  GHashTable *types;
} ValidateData;

static gboolean
validate_resolve_cb (const char      *id,
                     SegSegmentKind  *kind,
                     SegDefinition  **definition,
                     gpointer         user_data)
{
  ValidateData *v = user_data;

  return resolve_cb (id, kind, definition, v->segments);
}

static SegValueType
property_type_cb (const char *event,
                  const char *property,
                  gpointer    user_data)
{
  ValidateData *v = user_data;
  g_autofree char *key = g_strdup_printf ("%s\x1f%s", event ? event : "", property);

  return (SegValueType) GPOINTER_TO_INT (g_hash_table_lookup (v->types, key));
}

/* ---- list changes on the main context ---- */

typedef struct
{
  GPtrArray  *segments;   /* the server's list, for list_segments */
  SegSegment *saved;      /* one saved segment */
  char       *removed;    /* one deleted id */
} ListChange;

static void
list_change_free (ListChange *c)
{
  g_clear_pointer (&c->segments, g_ptr_array_unref);
  g_clear_object (&c->saved);
  g_free (c->removed);
  g_free (c);
}

static int
find_segment (SegClickhouseStore *self,
              const char         *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->segments));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (G_LIST_MODEL (self->segments), i);
      if (g_strcmp0 (seg_segment_get_id (seg), id) == 0)
        return (int) i;
    }
  return -1;
}

/* Updates the live list; returns the list's object for a saved segment. */
static SegSegment *
apply_change (SegClickhouseStore *self,
              ListChange         *c)
{
  if (c->segments != NULL)
    {
      g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < c->segments->len; i++)
        {
          SegSegment *fresh = g_ptr_array_index (c->segments, i);
          int at = find_segment (self, seg_segment_get_id (fresh));

          g_hash_table_add (keep, (gpointer) seg_segment_get_id (fresh));
          if (at >= 0)
            {
              g_autoptr(SegSegment) seg = g_list_model_get_item (G_LIST_MODEL (self->segments), at);
              gint64 count = seg_segment_get_last_count (seg);
              gint64 when = seg_segment_get_last_evaluated (seg);

              seg_segment_update_from (seg, fresh);
              /* Counts are this session's; the server does not keep them. */
              seg_segment_set_last_count (seg, count, when);
            }
          else
            {
              g_autoptr(SegSegment) copy = seg_segment_copy (fresh);
              g_list_store_append (self->segments, copy);
            }
        }
      for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->segments)); i > 0; i--)
        {
          g_autoptr(SegSegment) seg = g_list_model_get_item (G_LIST_MODEL (self->segments), i - 1);
          if (!g_hash_table_contains (keep, seg_segment_get_id (seg)))
            g_list_store_remove (self->segments, i - 1);
        }
      return NULL;
    }
  if (c->saved != NULL)
    {
      int at = find_segment (self, seg_segment_get_id (c->saved));
      SegSegment *seg;

      if (at >= 0)
        {
          seg = g_list_model_get_item (G_LIST_MODEL (self->segments), at);
          seg_segment_update_from (seg, c->saved);
          seg_segment_set_last_count (seg, -1, 0);
          return seg;
        }
      seg = seg_segment_copy (c->saved);
      g_list_store_append (self->segments, seg);
      return seg;
    }
  if (c->removed != NULL)
    {
      int at = find_segment (self, c->removed);
      if (at >= 0)
        g_list_store_remove (self->segments, at);
    }
  return NULL;
}

static void
segment_task_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  SegClickhouseStore *self = SEG_CLICKHOUSE_STORE (source);
  GError *error = NULL;
  ListChange *c = g_task_propagate_pointer (G_TASK (result), &error);
  SegSegment *seg;

  if (c == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  seg = apply_change (self, c);
  if (c->segments != NULL)
    g_task_return_pointer (outer, g_object_ref (self->segments), g_object_unref);
  else if (c->removed != NULL)
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_pointer (outer, seg, g_object_unref);
  list_change_free (c);
}

/* Runs @func on a thread; its ListChange is applied to the list before @outer returns. */
static void
run_segment_task (SegClickhouseStore *self,
                  GTask              *outer,
                  GTaskThreadFunc     func,
                  gpointer            data,
                  GDestroyNotify      data_free)
{
  GTask *inner = g_task_new (self, g_task_get_cancellable (outer), segment_task_done_cb,
                             g_object_ref (outer));

  g_task_set_task_data (inner, data, data_free);
  g_task_run_in_thread (inner, func);
  g_object_unref (inner);
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  g_autoptr(GHashTable) segs = NULL;
  GPtrArray *ordered = NULL;
  GError *error = NULL;
  ListChange *c;

  segs = load_segments (self, &ordered, cancellable, &error);
  if (segs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  c = g_new0 (ListChange, 1);
  c->segments = ordered;
  g_task_return_pointer (task, c, (GDestroyNotify) list_change_free);
}

static void
seg_clickhouse_store_list_segments_async (SegStore            *store,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  SegClickhouseStore *self = SEG_CLICKHOUSE_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  /* Teammates change segments too: every call asks the server. */
  g_task_set_source_tag (task, seg_clickhouse_store_list_segments_async);
  run_segment_task (self, task, list_thread, NULL, NULL);
}

static GListModel *
seg_clickhouse_store_list_segments_finish (SegStore      *store,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
get_segment_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  g_autoptr(JsonObject) row = NULL;
  GError *error = NULL;
  ListChange *c;

  row = seg_clickhouse_catalog_get_segment (self->client, task_data, cancellable, &error);
  if (row == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  c = g_new0 (ListChange, 1);
  c->saved = segment_from_row (row);
  if (c->saved == NULL)
    {
      list_change_free (c);
      g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_VERSION,
                               _("Segment “%s” was saved by a newer version of Segment Studio"),
                               (const char *) task_data);
      return;
    }
  g_task_return_pointer (task, c, (GDestroyNotify) list_change_free);
}

static void
seg_clickhouse_store_get_segment_async (SegStore            *store,
                                        const char          *id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  SegClickhouseStore *self = SEG_CLICKHOUSE_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_clickhouse_store_get_segment_async);
  run_segment_task (self, task, get_segment_thread, g_strdup (id), g_free);
}

static SegSegment *
seg_clickhouse_store_get_segment_finish (SegStore      *store,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  SegSegment *seg = task_data;
  SegDefinition *def = seg_segment_get_definition (seg);
  g_autoptr(GHashTable) segs = NULL;
  g_autoptr(GHashTable) types = NULL;
  g_autoptr(JsonObject) row = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) invalid = NULL;
  GError *error = NULL;
  ValidateData v;
  SegSegment *old;
  ListChange *c;

  if (seg_segment_get_name (seg) == NULL || seg_segment_get_name (seg)[0] == '\0')
    {
      g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID,
                               _("A segment needs a name"));
      return;
    }
  if (def == NULL)
    {
      g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID,
                               _("A segment needs a definition"));
      return;
    }

  segs = load_segments (self, NULL, cancellable, &error);
  if (segs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  old = seg_segment_get_id (seg) ? g_hash_table_lookup (segs, seg_segment_get_id (seg)) : NULL;
  if (old != NULL && seg_segment_get_kind (old) == SEG_SEGMENT_KIND_SYSTEM)
    {
      g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED,
                               _("“%s” is a system segment and cannot be changed"),
                               seg_segment_get_name (old));
      return;
    }

  types = load_property_types (self, def, cancellable, &error);
  if (types == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  v.segments = segs;
  v.types = types;
  if (!seg_definition_validate (def, seg_segment_get_id (seg), validate_resolve_cb,
                                property_type_cb, &v, &invalid))
    {
      g_task_return_new_error (task, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID, "%s",
                               invalid->message);
      return;
    }

  json = seg_definition_to_json (def, FALSE);
  row = seg_clickhouse_catalog_save_segment (self->client, seg_segment_get_id (seg),
                                             seg_segment_get_name (seg),
                                             seg_segment_get_description (seg),
                                             seg_segment_kind_to_string (seg_definition_get_kind (def)),
                                             json, cancellable, &error);
  if (row == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  c = g_new0 (ListChange, 1);
  c->saved = segment_from_row (row);
  g_task_return_pointer (task, c, (GDestroyNotify) list_change_free);
}

static void
seg_clickhouse_store_save_segment_async (SegStore            *store,
                                         SegSegment          *segment,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  SegClickhouseStore *self = SEG_CLICKHOUSE_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_clickhouse_store_save_segment_async);
  run_segment_task (self, task, save_thread, seg_segment_copy (segment), g_object_unref);
}

static SegSegment *
seg_clickhouse_store_save_segment_finish (SegStore      *store,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
delete_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  GError *error = NULL;
  ListChange *c;

  if (!seg_clickhouse_catalog_delete_segment (self->client, task_data, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  c = g_new0 (ListChange, 1);
  c->removed = g_strdup (task_data);
  g_task_return_pointer (task, c, (GDestroyNotify) list_change_free);
}

static void
seg_clickhouse_store_delete_segment_async (SegStore            *store,
                                           const char          *id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  SegClickhouseStore *self = SEG_CLICKHOUSE_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_clickhouse_store_delete_segment_async);
  run_segment_task (self, task, delete_thread, g_strdup (id), g_free);
}

static gboolean
seg_clickhouse_store_delete_segment_finish (SegStore      *store,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  char *id;
  char *name;
} CloneData;

static void
clone_data_free (CloneData *d)
{
  g_free (d->id);
  g_free (d->name);
  g_free (d);
}

static void
clone_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  CloneData *d = task_data;
  g_autoptr(JsonObject) row = NULL;
  GError *error = NULL;
  ListChange *c;

  row = seg_clickhouse_catalog_clone_segment (self->client, d->id, d->name, cancellable, &error);
  if (row == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  c = g_new0 (ListChange, 1);
  c->saved = segment_from_row (row);
  g_task_return_pointer (task, c, (GDestroyNotify) list_change_free);
}

static void
seg_clickhouse_store_clone_segment_async (SegStore            *store,
                                          const char          *id,
                                          const char          *new_name,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  SegClickhouseStore *self = SEG_CLICKHOUSE_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CloneData *d = g_new0 (CloneData, 1);

  d->id = g_strdup (id);
  d->name = g_strdup (new_name);
  g_task_set_source_tag (task, seg_clickhouse_store_clone_segment_async);
  run_segment_task (self, task, clone_thread, d, (GDestroyNotify) clone_data_free);
}

static SegSegment *
seg_clickhouse_store_clone_segment_finish (SegStore      *store,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- events and properties ---- */

static int
cmp_event_info (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  return strcmp (seg_event_info_get_name ((SegEventInfo *) a),
                 seg_event_info_get_name ((SegEventInfo *) b));
}

static void
list_events_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  g_autoptr(GPtrArray) rows = NULL;
  GListStore *list;
  GError *error = NULL;

  rows = seg_clickhouse_catalog_list_events (self->client, cancellable, &error);
  if (rows == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  list = g_list_store_new (SEG_TYPE_EVENT_INFO);
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);
      g_autoptr(SegEventInfo) info = seg_event_info_new (json_object_get_string_member (row, "name"),
                                                         (guint64) json_int (row, "n"),
                                                         json_int (row, "first_ts"),
                                                         json_int (row, "last_ts"));
      g_list_store_append (list, info);
    }
  /* By name, as the local store lists them. */
  g_list_store_sort (list, cmp_event_info, NULL);
  g_task_return_pointer (task, list, g_object_unref);
}

static void
seg_clickhouse_store_list_events_async (SegStore            *store,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_clickhouse_store_list_events_async);
  g_task_run_in_thread (task, list_events_thread);
}

static GListModel *
seg_clickhouse_store_list_events_finish (SegStore      *store,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
list_properties_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  g_autoptr(GPtrArray) rows = NULL;
  GListStore *list;
  GError *error = NULL;

  rows = seg_clickhouse_catalog_list_properties (self->client, task_data, TOP_VALUES,
                                                 cancellable, &error);
  if (rows == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  list = g_list_store_new (SEG_TYPE_PROPERTY_INFO);
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);
      JsonArray *top = json_object_get_array_member (row, "top");
      g_autoptr(SegPropertyInfo) info = seg_property_info_new (json_object_get_string_member (row, "name"),
                                                               (SegValueType) json_int (row, "type"));

      for (guint k = 0; top != NULL && k < json_array_get_length (top); k++)
        {
          JsonArray *pair = json_array_get_array_element (top, k);
          seg_property_info_add_top_value (info, json_array_get_string_element (pair, 0),
                                           (guint64) json_array_get_int_element (pair, 1));
        }
      g_list_store_append (list, info);
    }
  g_task_return_pointer (task, list, g_object_unref);
}

static void
seg_clickhouse_store_list_properties_async (SegStore            *store,
                                            const char          *event,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_clickhouse_store_list_properties_async);
  g_task_set_task_data (task, g_strdup (event), g_free);
  g_task_run_in_thread (task, list_properties_thread);
}

static GListModel *
seg_clickhouse_store_list_properties_finish (SegStore      *store,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- evaluation ---- */

typedef struct
{
  SegDefinition  *def;
  SegEvalOptions  options;
  gint64          first_day;
  gint64          last_day;
} EvalData;

static void
eval_data_free (EvalData *d)
{
  seg_definition_unref (d->def);
  g_free (d);
}

/* The saved segments a definition may need: those it includes or excludes, and theirs. */
static GHashTable *
segments_for (SegClickhouseStore  *self,
              SegDefinition       *def,
              GCancellable        *cancellable,
              GError             **error)
{
  const char * const *inc = seg_definition_get_include (def);
  const char * const *exc = seg_definition_get_exclude (def);

  /* A live definition's members are those stored for the saved segments that have it. */
  if ((inc == NULL || inc[0] == NULL) && (exc == NULL || exc[0] == NULL) &&
      seg_definition_get_trigger (def) == NULL)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return load_segments (self, NULL, cancellable, error);
}

/* The ids of the saved live segments with definition @def (NULL when @def is not live). */
static char **
live_ids_for (GHashTable    *segs,
              SegDefinition *def)
{
  GPtrArray *ids;
  GHashTableIter iter;
  gpointer value;

  if (seg_definition_get_trigger (def) == NULL)
    return NULL;
  ids = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, segs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SegSegment *seg = value;
      SegDefinition *d = seg_segment_get_definition (seg);

      if (seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_LIVE && d != NULL && seg_definition_equal (d, def))
        g_ptr_array_add (ids, g_strdup (seg_segment_get_id (seg)));
    }
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

static char *
compile_members (SegClickhouseStore  *self,
                 SegDefinition       *def,
                 gint64               now,
                 GHashTable          *segs,
                 GError             **error)
{
  g_auto(GStrv) live_ids = live_ids_for (segs, def);
  SegClickhouseCompileParams params = { self->tz, now, resolve_cb, segs, (const char * const *) live_ids };

  return seg_clickhouse_compile_members (&params, def, error);
}

static char **
string_column (GPtrArray  *rows,
               const char *name)
{
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (g_ptr_array_index (rows, i), name)));
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

typedef struct
{
  SegClickhouseStore *self;
  SegDefinition      *def;
  guint64             count;
  gint64              when;
} CountUpdate;

static gboolean
apply_count_cb (gpointer data)
{
  CountUpdate *u = data;
  g_autofree char *json = seg_definition_to_json (u->def, FALSE);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (u->self->segments));

  /* Segments with this definition remember their count for this session. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (G_LIST_MODEL (u->self->segments), i);
      g_autoptr(SegDefinition) sd = seg_segment_dup_size_definition (seg);
      g_autofree char *sj = sd ? seg_definition_to_json (sd, FALSE) : NULL;

      if (sj != NULL && g_str_equal (sj, json))
        seg_segment_set_last_count (seg, (gint64) u->count, u->when);
    }
  g_object_unref (u->self);
  seg_definition_unref (u->def);
  g_free (u);
  return G_SOURCE_REMOVE;
}

static void
evaluate_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  EvalData *d = task_data;
  gint64 t0 = g_get_monotonic_time ();
  gint64 now = d->options.now_ms != 0 ? d->options.now_ms : seg_clickhouse_store_get_now (self);
  g_autoptr(GHashTable) segs = NULL;
  g_autofree char *members = NULL;
  g_autofree char *member_rows = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(SegEvalResult) result = NULL;
  GError *error = NULL;
  gboolean distinct = TRUE;
  guint64 count;
  CountUpdate *u;

  segs = segments_for (self, d->def, cancellable, &error);
  if (segs != NULL)
    members = compile_members (self, d->def, now, segs, &error);
  if (members != NULL)
    {
      g_auto(GStrv) live_ids = live_ids_for (segs, d->def);
      SegClickhouseCompileParams params = { self->tz, now, resolve_cb, segs, (const char * const *) live_ids };

      member_rows = seg_clickhouse_compile_member_rows (&params, d->def, &distinct, &error);
    }
  if (member_rows == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Counted over rows that may repeat a member when that is cheaper (see the compiler). */
  sql = g_string_new (distinct ? "SELECT count() AS n" : "SELECT uniqExact(user_id) AS n");

  /* The count and the reach in one pass over the members. */
  if (d->options.flags & SEG_EVAL_REACH)
    {
      SegClickhouseCompileParams params = { self->tz, now, NULL, NULL };

      for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
        {
          g_autofree char *reach = seg_clickhouse_compile_reachable (&params, ch);
          if (distinct)
            g_string_append_printf (sql, ", countIf(user_id IN (%s)) AS r%d", reach, (int) ch);
          else
            g_string_append_printf (sql, ", uniqExactIf(user_id, user_id IN (%s)) AS r%d", reach, (int) ch);
        }
    }
  g_string_append_printf (sql, " FROM (%s)", member_rows);
  rows = query (self, sql->str, cancellable, &error);
  if (rows == NULL || rows->len != 1)
    {
      if (rows != NULL)
        g_set_error (&error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                     _("ClickHouse answered a count with %u rows"), rows->len);
      g_task_return_error (task, error);
      return;
    }
  count = (guint64) json_int (g_ptr_array_index (rows, 0), "n");
  result = seg_eval_result_new (count, now);
  if (d->options.flags & SEG_EVAL_REACH)
    for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
      {
        g_autofree char *name = g_strdup_printf ("r%d", (int) ch);
        seg_eval_result_set_reach (result, ch, (guint64) json_int (g_ptr_array_index (rows, 0), name));
      }

  if ((d->options.flags & SEG_EVAL_SAMPLE) && d->options.sample_size > 0)
    {
      /* Members spread evenly over the id order: the same sample for the same answer. */
      guint64 step = MAX (count / d->options.sample_size, 1);
      g_autoptr(GPtrArray) sample = NULL;

      g_string_printf (sql, "SELECT arrayJoin(arraySlice(arrayFilter((seg_u, seg_i) -> "
                       "(seg_i - 1) %% %" G_GUINT64_FORMAT " = 0, seg_all, arrayEnumerate(seg_all)), "
                       "1, %u)) AS user_id FROM (SELECT arraySort(groupArray(user_id)) AS seg_all "
                       "FROM (%s))", step, d->options.sample_size, members);
      sample = query (self, sql->str, cancellable, &error);
      if (sample == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      seg_eval_result_take_sample (result, string_column (sample, "user_id"));
    }

  if (d->options.flags & SEG_EVAL_MEMBERS)
    {
      g_autoptr(GPtrArray) page = NULL;

      g_string_printf (sql, "SELECT user_id FROM (%s) ORDER BY user_id LIMIT %" G_GUINT64_FORMAT
                       ", %u", members, d->options.members_offset, d->options.members_limit);
      page = query (self, sql->str, cancellable, &error);
      if (page == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      seg_eval_result_take_members (result, d->options.members_offset,
                                    string_column (page, "user_id"));
    }

  seg_eval_result_set_elapsed_ms (result, (g_get_monotonic_time () - t0) / 1000.0);

  u = g_new0 (CountUpdate, 1);
  u->self = g_object_ref (self);
  u->def = seg_definition_ref (d->def);
  u->count = count;
  u->when = g_get_real_time () / 1000;
  seg_invoke (self->main_context, self->home, G_PRIORITY_DEFAULT, apply_count_cb, u, NULL);

  g_task_return_pointer (task, g_steal_pointer (&result), g_object_unref);
}

static void
seg_clickhouse_store_evaluate_async (SegStore             *store,
                                     SegDefinition        *definition,
                                     const SegEvalOptions *options,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  EvalData *d = g_new0 (EvalData, 1);

  d->def = seg_definition_ref (definition);
  if (options != NULL)
    d->options = *options;
  g_task_set_source_tag (task, seg_clickhouse_store_evaluate_async);
  g_task_set_task_data (task, d, (GDestroyNotify) eval_data_free);
  g_task_run_in_thread (task, evaluate_thread);
}

static SegEvalResult *
seg_clickhouse_store_evaluate_finish (SegStore      *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Counts from rows (day, n) into @counts. */
static void
take_day_counts (GPtrArray *rows,
                 guint64   *counts,
                 guint      n_days)
{
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);
      gint64 day = json_int (row, "day");

      if (day >= 0 && day < n_days)
        counts[day] = (guint64) json_int (row, "n");
    }
}

static void
trend_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  EvalData *d = task_data;
  gint64 now = seg_clickhouse_store_get_now (self);
  guint32 d0 = seg_time_day_of (self->tz, d->first_day);
  guint32 d1 = seg_time_day_of (self->tz, d->last_day);
  guint n = d1 >= d0 ? d1 - d0 + 1 : 0;
  g_autofree guint64 *counts = g_new0 (guint64, MAX (n, 1));
  g_autofree gint64 *bounds = g_new (gint64, n + 1);
  g_autoptr(GHashTable) segs = NULL;
  GError *error = NULL;
  SegClickhouseCompileParams params = { self->tz, now, resolve_cb, NULL, NULL };
  g_auto(GStrv) live_ids = NULL;
  g_autofree char *daily = NULL;

  for (guint i = 0; i <= n; i++)
    bounds[i] = seg_time_midnight (self->tz, d0 + i);

  segs = segments_for (self, d->def, cancellable, &error);
  if (segs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  params.resolve_data = segs;
  live_ids = live_ids_for (segs, d->def);
  params.live_ids = (const char * const *) live_ids;

  if (n > 0)
    daily = seg_clickhouse_compile_daily_trend (&params, d->def, bounds, n, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (daily != NULL)
    {
      /* One pass: each day's distinct doers. */
      g_autoptr(GPtrArray) rows = query (self, daily, cancellable, &error);

      if (rows == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      take_day_counts (rows, counts, n);
    }
  else
    {
      /* A query per day, each with "now" at the day's end, a few days per request. */
      guint i = 0;

      while (i < n && bounds[i] <= now)
        {
          g_autoptr(GString) sql = g_string_new (NULL);
          g_autoptr(GPtrArray) rows = NULL;

          for (guint k = 0; k < TREND_BATCH_DAYS && i < n && bounds[i] <= now; k++, i++)
            {
              g_autofree char *members = compile_members (self, d->def,
                                                          MIN (bounds[i + 1] - 1, now),
                                                          segs, &error);
              if (members == NULL)
                {
                  g_task_return_error (task, error);
                  return;
                }
              g_string_append_printf (sql, "%sSELECT toUInt32(%u) AS day, count() AS n FROM (%s)",
                                      k > 0 ? " UNION ALL " : "", i, members);
            }
          rows = query (self, sql->str, cancellable, &error);
          if (rows == NULL)
            {
              g_task_return_error (task, error);
              return;
            }
          take_day_counts (rows, counts, n);
        }
    }

  g_task_return_pointer (task, seg_trend_new (n, bounds, counts), g_object_unref);
}

static void
seg_clickhouse_store_trend_async (SegStore            *store,
                                  SegDefinition       *definition,
                                  gint64               first_day_ms,
                                  gint64               last_day_ms,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  EvalData *d = g_new0 (EvalData, 1);

  d->def = seg_definition_ref (definition);
  d->first_day = first_day_ms;
  d->last_day = last_day_ms;
  g_task_set_source_tag (task, seg_clickhouse_store_trend_async);
  g_task_set_task_data (task, d, (GDestroyNotify) eval_data_free);
  g_task_run_in_thread (task, trend_thread);
}

static SegTrend *
seg_clickhouse_store_trend_finish (SegStore      *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- users ---- */

/* Values as the local store gives them: whole numbers as integers, dates as ISO-8601
 * text (the catalog sends numbers as doubles and dates as integers). */
static void
normalize_values (JsonObject *props)
{
  g_autoptr(GList) names = json_object_get_members (props);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (props, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (
            (gint64) floor ((double) json_node_get_int (node) / 1000));
          g_autofree char *text = dt ? g_date_time_format_iso8601 (dt) : g_strdup ("?");

          json_object_set_string_member (props, l->data, text);
        }
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          double v = json_node_get_double (node);

          if (v == floor (v) && fabs (v) < 9e15)
            json_object_set_int_member (props, l->data, (gint64) v);
        }
    }
}

static void
get_user_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  const char *id = task_data;
  gint64 now = seg_clickhouse_store_get_now (self);
  g_autoptr(JsonObject) user = NULL;
  g_autoptr(GHashTable) segs = NULL;
  g_autoptr(GPtrArray) ordered = NULL;
  g_autoptr(GPtrArray) in = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *id_literal = seg_clickhouse_sql_string (id, -1);
  JsonObject *props;
  JsonArray *events;
  JsonArray *timeline;
  GError *error = NULL;

  user = seg_clickhouse_catalog_get_user (self->client, id, TIMELINE_LIMIT, cancellable, &error);
  if (user == NULL || (segs = load_segments (self, &ordered, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  props = json_object_ref (json_object_get_object_member (user, "properties"));
  normalize_values (props);
  events = json_object_get_array_member (user, "timeline");
  timeline = json_array_new ();
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);
      JsonObject *o = json_object_new ();
      JsonObject *ep = json_object_ref (json_object_get_object_member (e, "properties"));

      normalize_values (ep);
      json_object_set_string_member (o, "event", json_object_get_string_member (e, "event"));
      json_object_set_int_member (o, "ts", json_object_get_int_member (e, "ts_ms"));
      json_object_set_object_member (o, "properties", ep);
      json_array_add_object_element (timeline, o);
    }

  /* The saved segments the user is in: one request asking each of them. */
  for (guint i = 0; i < ordered->len; i++)
    {
      SegSegment *seg = g_ptr_array_index (ordered, i);
      const char *sid = seg_segment_get_id (seg);
      SegDefinition *def = seg_segment_get_definition (seg);
      g_autofree char *members = NULL;
      g_autofree char *sid_literal = NULL;

      if (g_str_equal (sid, SEG_SEGMENT_ID_ALL_USERS))
        members = seg_clickhouse_compile_universe ();
      else if (g_str_equal (sid, SEG_SEGMENT_ID_TEST_USERS))
        members = seg_clickhouse_compile_test_users ();
      else if (def != NULL && seg_segment_get_kind (seg) != SEG_SEGMENT_KIND_LIVE)
        {
          g_autoptr(GError) ignored = NULL;
          /* A segment that cannot be evaluated (a missing include) holds nobody. */
          members = compile_members (self, def, now, segs, &ignored);
        }
      if (members == NULL)
        continue;
      sid_literal = seg_clickhouse_sql_string (sid, -1);
      g_string_append_printf (sql, "%sSELECT %s AS id, toUInt32(%u) AS seq FROM (%s) WHERE user_id = %s",
                              sql->len > 0 ? " UNION ALL " : "", sid_literal, i, members, id_literal);
    }
  if (sql->len > 0)
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GString) ordered_sql = g_string_new (NULL);

      g_string_printf (ordered_sql, "SELECT id FROM (%s) ORDER BY seq", sql->str);
      rows = query (self, ordered_sql->str, cancellable, &error);
      if (rows == NULL)
        {
          json_object_unref (props);
          json_array_unref (timeline);
          g_task_return_error (task, error);
          return;
        }
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (in, g_strdup (json_object_get_string_member (g_ptr_array_index (rows, i), "id")));
    }
  g_ptr_array_add (in, NULL);

  g_task_return_pointer (task,
                         seg_user_profile_new (id, props, timeline,
                                               (char **) g_ptr_array_free (g_steal_pointer (&in), FALSE)),
                         g_object_unref);
}

typedef struct
{
  GStrv ids;
  GStrv fields;
} ProfilesData;

static void
profiles_data_free (gpointer data)
{
  ProfilesData *d = data;

  g_strfreev (d->ids);
  g_strfreev (d->fields);
  g_free (d);
}

static void
get_profiles_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SegClickhouseStore *self = source;
  ProfilesData *d = task_data;
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GPtrArray) answer = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  GError *error = NULL;

  found = seg_clickhouse_catalog_get_profiles (self->client, (const char * const *) d->ids,
                                               (const char * const *) d->fields,
                                               cancellable, &error);
  if (found == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; d->ids[i] != NULL; i++)
    {
      JsonObject *props = g_hash_table_lookup (found, d->ids[i]);

      if (props != NULL)
        {
          json_object_ref (props);
          normalize_values (props);
        }
      g_ptr_array_add (answer, props != NULL ? props : json_object_new ());
    }
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) g_ptr_array_unref);
}

static void
seg_clickhouse_store_get_profiles_async (SegStore            *store,
                                         const char * const  *user_ids,
                                         const char * const  *fields,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  ProfilesData *d = g_new0 (ProfilesData, 1);

  d->ids = g_strdupv ((char **) user_ids);
  d->fields = g_strdupv ((char **) fields);
  g_task_set_source_tag (task, seg_clickhouse_store_get_profiles_async);
  g_task_set_task_data (task, d, profiles_data_free);
  g_task_run_in_thread (task, get_profiles_thread);
}

static GPtrArray *
seg_clickhouse_store_get_profiles_finish (SegStore      *store,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
seg_clickhouse_store_get_user_async (SegStore            *store,
                                     const char          *user_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, seg_clickhouse_store_get_user_async);
  g_task_set_task_data (task, g_strdup (user_id), g_free);
  g_task_run_in_thread (task, get_user_thread);
}

static SegUserProfile *
seg_clickhouse_store_get_user_finish (SegStore      *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- writing ---- */

static gboolean
emit_changed_cb (gpointer data)
{
  seg_store_emit_data_changed (SEG_STORE (data));
  return G_SOURCE_REMOVE;
}

static void
writer_committed_cb (gpointer user_data)
{
  SegClickhouseStore *self = user_data;

  seg_invoke (self->main_context, self->home, G_PRIORITY_DEFAULT, emit_changed_cb,
              g_object_ref (self), g_object_unref);
}

static SegStoreWriter *
seg_clickhouse_store_begin_write (SegStore  *store,
                                  GError   **error)
{
  SegClickhouseStore *self = SEG_CLICKHOUSE_STORE (store);
  SegStoreWriter *writer;

  writer = seg_clickhouse_writer_new (self->client, self->cluster != NULL, NULL, error);
  if (writer == NULL)
    return NULL;
  seg_clickhouse_writer_set_committed_func (SEG_CLICKHOUSE_WRITER (writer), writer_committed_cb,
                                            g_object_ref (self), g_object_unref);
  return writer;
}

/* ---- opening ---- */

static const char *
seg_clickhouse_store_get_display_name (SegStore *store)
{
  return SEG_CLICKHOUSE_STORE (store)->display_name;
}

static GTimeZone *
seg_clickhouse_store_get_timezone (SegStore *store)
{
  return SEG_CLICKHOUSE_STORE (store)->tz;
}

static char *
meta_get (SegClickhouseStore  *self,
          const char          *key,
          GCancellable        *cancellable,
          GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT argMax(value, updated_ms) AS v, count() AS n "
                                         "FROM seg_meta WHERE key = ");
  g_autoptr(GPtrArray) rows = NULL;

  seg_clickhouse_sql_append_string (sql, key, -1);
  rows = query (self, sql->str, cancellable, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0 || json_int (g_ptr_array_index (rows, 0), "n") == 0)
    return g_strdup ("");
  return g_strdup (json_object_get_string_member (g_ptr_array_index (rows, 0), "v"));
}

static gboolean
open_store (SegClickhouseStore  *self,
            const char          *timezone,
            GCancellable        *cancellable,
            GError             **error)
{
  g_autofree char *tz_id = NULL;
  const char *database = seg_clickhouse_client_get_database (self->client);

  if (self->cluster != NULL)
    /* Segment queries use IN (SELECT ... FROM events) inside queries over events; all of
     * a user's rows are on one shard, so each shard answers them alone. */
    seg_clickhouse_client_set_setting (self->client, "distributed_product_mode", "local");

  if (!seg_clickhouse_schema_ensure (self->client, self->cluster, cancellable, error) ||
      !seg_clickhouse_catalog_ensure_system_segments (self->client, cancellable, error))
    return FALSE;

  tz_id = meta_get (self, "timezone", cancellable, error);
  if (tz_id == NULL)
    return FALSE;
  if (*tz_id == '\0')
    {
      g_autoptr(GString) sql = g_string_new ("INSERT INTO seg_meta (key, value, updated_ms) "
                                             "VALUES ('timezone', ");

      g_free (tz_id);
      tz_id = g_strdup (timezone ? timezone : "UTC");
      seg_clickhouse_sql_append_string (sql, tz_id, -1);
      g_string_append_printf (sql, ", %" G_GINT64_FORMAT ")", g_get_real_time () / 1000);
      if (!seg_clickhouse_client_execute (self->client, sql->str, NULL, cancellable, error))
        return FALSE;
    }
  self->tz = g_time_zone_new_identifier (timezone ? timezone : tz_id);
  if (self->tz == NULL)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED,
                   _("Unknown timezone “%s”"), timezone ? timezone : tz_id);
      return FALSE;
    }

  self->display_name = g_strdup_printf ("%s@%s/%s",
                                        seg_clickhouse_client_get_user (self->client)
                                          ? seg_clickhouse_client_get_user (self->client) : "default",
                                        seg_clickhouse_client_get_host_port (self->client),
                                        database ? database : "default");
  return TRUE;
}

/**
 * seg_clickhouse_store_new:
 * @client: a client on the store's database (created if the user may)
 * @cluster: (nullable): the cluster whose shards hold events and profiles (their shard
 *   tables must exist, see README.md), or %NULL for a single server
 * @timezone: (nullable): for a new store, its timezone (IANA id; default UTC); for an
 *   existing one, overrides the stored timezone for this session
 *
 * Opens a store, creating its tables on an empty database. Blocking: use
 * seg_clickhouse_store_open_async() from a UI thread. The segment list is filled by the
 * first list_segments call.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 */
SegClickhouseStore *
seg_clickhouse_store_new (SegClickhouseClient  *client,
                          const char           *cluster,
                          const char           *timezone,
                          GCancellable         *cancellable,
                          GError              **error)
{
  g_autoptr(SegClickhouseStore) self = NULL;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_CLIENT (client), NULL);

  self = g_object_new (SEG_TYPE_CLICKHOUSE_STORE, NULL);
  self->client = g_object_ref (client);
  self->cluster = g_strdup (cluster);
  if (!open_store (self, timezone, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

typedef struct
{
  SegClickhouseClient *client;
  char                *cluster;
  char                *timezone;
} OpenData;

static void
open_data_free (OpenData *d)
{
  g_object_unref (d->client);
  g_free (d->cluster);
  g_free (d->timezone);
  g_free (d);
}

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *d = task_data;
  g_autoptr(SegClickhouseStore) self = g_object_new (SEG_TYPE_CLICKHOUSE_STORE, NULL);
  GError *error = NULL;

  /* The store belongs to the caller's main context, not to this thread's. */
  g_clear_pointer (&self->main_context, g_main_context_unref);
  self->main_context = g_main_context_ref (g_task_get_context (task));
  /* The caller's thread becomes the store's home in open_finish(). */
  g_clear_pointer (&self->home, g_thread_unref);
  self->client = g_object_ref (d->client);
  self->cluster = g_strdup (d->cluster);
  if (!open_store (self, d->timezone, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

void
seg_clickhouse_store_open_async (SegClickhouseClient *client,
                                 const char          *cluster,
                                 const char          *timezone,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  OpenData *d = g_new0 (OpenData, 1);

  g_return_if_fail (SEG_IS_CLICKHOUSE_CLIENT (client));

  d->client = g_object_ref (client);
  d->cluster = g_strdup (cluster);
  d->timezone = g_strdup (timezone);
  g_task_set_source_tag (task, seg_clickhouse_store_open_async);
  g_task_set_task_data (task, d, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

SegClickhouseStore *
seg_clickhouse_store_open_finish (GAsyncResult  *result,
                                  GError       **error)
{
  SegClickhouseStore *self;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  self = g_task_propagate_pointer (G_TASK (result), error);
  if (self != NULL && self->home == NULL)
    self->home = seg_invoke_home ();
  return self;
}

/**
 * seg_clickhouse_store_count_users:
 * @n_users: (out): the number of users (with an event or a profile)
 *
 * Blocking.
 */
gboolean
seg_clickhouse_store_count_users (SegClickhouseStore  *self,
                                  guint64             *n_users,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_autofree char *all = seg_clickhouse_compile_universe ();
  g_autofree char *sql = g_strdup_printf ("SELECT count() AS n FROM (%s)", all);
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (SEG_IS_CLICKHOUSE_STORE (self), FALSE);

  rows = query (self, sql, cancellable, error);
  if (rows == NULL)
    return FALSE;
  *n_users = rows->len == 1 ? (guint64) json_int (g_ptr_array_index (rows, 0), "n") : 0;
  return TRUE;
}

/* Reading events back (replays). */

typedef struct
{
  SegClickhouseEventRow  row;
  SegRecordFunc          func;
  gpointer               user_data;
} ReadEvents;

static gboolean
read_events_row_cb (JsonObject  *row,
                    guint64      row_number,
                    gpointer     user_data,
                    GError     **error)
{
  ReadEvents *r = user_data;
  SegRecord record;

  if (!seg_clickhouse_event_row_read (&r->row, row, row_number, &record, error))
    return FALSE;
  return r->func (&record, r->user_data, error);
}

static gboolean
seg_clickhouse_store_read_events (SegStore       *store,
                                  gint64          from_ms,
                                  gint64          to_ms,
                                  SegRecordFunc   func,
                                  gpointer        user_data,
                                  GCancellable   *cancellable,
                                  GError        **error)
{
  SegClickhouseStore *self = SEG_CLICKHOUSE_STORE (store);
  g_autoptr(GString) sql = g_string_new ("SELECT " SEG_CLICKHOUSE_EVENT_READ_COLUMNS " FROM events WHERE ts_ms >= ");
  g_autoptr(GPtrArray) rows = NULL;
  GError *local_error = NULL;
  ReadEvents r = { { NULL, NULL }, func, user_data };

  seg_clickhouse_sql_append_int (sql, from_ms);
  g_string_append (sql, " AND ts_ms < ");
  seg_clickhouse_sql_append_int (sql, to_ms);
  /* Events at the same instant in a stable order. */
  g_string_append (sql, " ORDER BY ts_ms, event, user_id, insert_id");

  seg_clickhouse_event_row_init (&r.row);
  rows = seg_clickhouse_client_query (self->client, sql->str, read_events_row_cb, &r, NULL,
                                      cancellable, &local_error);
  seg_clickhouse_event_row_clear (&r.row);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static void
seg_clickhouse_store_iface_init (SegStoreInterface *iface)
{
  iface->get_display_name = seg_clickhouse_store_get_display_name;
  iface->get_timezone = seg_clickhouse_store_get_timezone;
  iface->list_segments_async = seg_clickhouse_store_list_segments_async;
  iface->list_segments_finish = seg_clickhouse_store_list_segments_finish;
  iface->get_segment_async = seg_clickhouse_store_get_segment_async;
  iface->get_segment_finish = seg_clickhouse_store_get_segment_finish;
  iface->save_segment_async = seg_clickhouse_store_save_segment_async;
  iface->save_segment_finish = seg_clickhouse_store_save_segment_finish;
  iface->delete_segment_async = seg_clickhouse_store_delete_segment_async;
  iface->delete_segment_finish = seg_clickhouse_store_delete_segment_finish;
  iface->clone_segment_async = seg_clickhouse_store_clone_segment_async;
  iface->clone_segment_finish = seg_clickhouse_store_clone_segment_finish;
  iface->list_events_async = seg_clickhouse_store_list_events_async;
  iface->list_events_finish = seg_clickhouse_store_list_events_finish;
  iface->list_properties_async = seg_clickhouse_store_list_properties_async;
  iface->list_properties_finish = seg_clickhouse_store_list_properties_finish;
  iface->evaluate_async = seg_clickhouse_store_evaluate_async;
  iface->read_events = seg_clickhouse_store_read_events;
  iface->evaluate_finish = seg_clickhouse_store_evaluate_finish;
  iface->trend_async = seg_clickhouse_store_trend_async;
  iface->trend_finish = seg_clickhouse_store_trend_finish;
  iface->get_user_async = seg_clickhouse_store_get_user_async;
  iface->get_user_finish = seg_clickhouse_store_get_user_finish;
  iface->get_profiles_async = seg_clickhouse_store_get_profiles_async;
  iface->get_profiles_finish = seg_clickhouse_store_get_profiles_finish;
  iface->begin_write = seg_clickhouse_store_begin_write;
}
