/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse-catalog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seg-clickhouse-catalog.h"
#include "seg-clickhouse-sql.h"
#include "seg-store.h"
#include "seg-types.h"

/* ClickHouse sends 64-bit integers as strings; the rows we hand on carry numbers. */
static gint64
member_int (JsonObject *row,
            const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return json_node_get_int (node);
}

static void
normalize_ints (JsonObject         *row,
                const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    json_object_set_int_member (row, names[i], member_int (row, names[i]));
}

static GPtrArray *
query (SegClickhouseClient  *client,
       const char           *sql,
       GCancellable         *cancellable,
       GError              **error)
{
  return seg_clickhouse_client_query (client, sql, NULL, NULL, NULL, cancellable, error);
}

/* ---- segments ---- */

#define SEGMENTS_SELECT \
  "SELECT id, n AS name, d AS description, k AS kind, def AS definition, " \
  "c AS created_ms, u AS updated_ms FROM (" \
  "SELECT id, argMax(name, updated_ms) AS n, argMax(description, updated_ms) AS d, " \
  "argMax(kind, updated_ms) AS k, argMax(definition, updated_ms) AS def, " \
  "min(created_ms) AS c, max(updated_ms) AS u, argMax(deleted, updated_ms) AS gone " \
  "FROM segments "

static const char *segment_ints[] = { "created_ms", "updated_ms", NULL };

static gboolean
is_system (const char *id)
{
  return g_strcmp0 (id, SEG_CLICKHOUSE_SEGMENT_ALL_USERS) == 0
         || g_strcmp0 (id, SEG_CLICKHOUSE_SEGMENT_TEST_USERS) == 0;
}

static GPtrArray *
select_segments (SegClickhouseClient  *client,
                 const char           *id,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr(GString) sql = g_string_new (SEGMENTS_SELECT);
  GPtrArray *rows;

  if (id != NULL)
    {
      g_string_append (sql, "WHERE id = ");
      seg_clickhouse_sql_append_string (sql, id, -1);
    }
  g_string_append (sql, " GROUP BY id) WHERE gone = 0 ORDER BY created_ms, id");

  rows = query (client, sql->str, cancellable, error);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    normalize_ints (g_ptr_array_index (rows, i), segment_ints);
  return rows;
}

static gboolean
insert_segment (SegClickhouseClient  *client,
                const char           *id,
                const char           *name,
                const char           *description,
                const char           *kind,
                const char           *definition,
                gint64                created_ms,
                gint64                updated_ms,
                gboolean              deleted,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO segments (id, name, description, kind, "
                                         "definition, created_ms, updated_ms, deleted) VALUES (");

  seg_clickhouse_sql_append_string (sql, id, -1);
  g_string_append (sql, ", ");
  seg_clickhouse_sql_append_string (sql, name ? name : "", -1);
  g_string_append (sql, ", ");
  seg_clickhouse_sql_append_string (sql, description ? description : "", -1);
  g_string_append (sql, ", ");
  seg_clickhouse_sql_append_string (sql, kind ? kind : "", -1);
  g_string_append (sql, ", ");
  seg_clickhouse_sql_append_string (sql, definition ? definition : "", -1);
  g_string_append (sql, ", ");
  seg_clickhouse_sql_append_int (sql, created_ms);
  g_string_append (sql, ", ");
  seg_clickhouse_sql_append_int (sql, updated_ms);
  g_string_append (sql, deleted ? ", 1)" : ", 0)");

  return seg_clickhouse_client_execute (client, sql->str, NULL, cancellable, error);
}

/* Versions of a row must grow even when two saves fall in the same millisecond. */
static gint64
next_version (JsonObject *previous)
{
  gint64 now = g_get_real_time () / 1000;

  if (previous != NULL)
    now = MAX (now, json_object_get_int_member (previous, "updated_ms") + 1);
  return now;
}

/**
 * seg_clickhouse_catalog_ensure_system_segments:
 *
 * Adds All Users and Test Users to a database that lacks them.
 */
gboolean
seg_clickhouse_catalog_ensure_system_segments (SegClickhouseClient  *client,
                                               GCancellable         *cancellable,
                                               GError              **error)
{
  struct { const char *id; const char *name; const char *description; gint64 created; } system[] = {
    { SEG_CLICKHOUSE_SEGMENT_ALL_USERS, N_("All Users"), N_("Everyone in the store"), 0 },
    { SEG_CLICKHOUSE_SEGMENT_TEST_USERS, N_("Test Users"),
      N_("Users whose test_user property is true"), 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (system); i++)
    {
      g_autoptr(GPtrArray) rows = select_segments (client, system[i].id, cancellable, error);

      if (rows == NULL)
        return FALSE;
      if (rows->len > 0)
        continue;
      /* Stored untranslated: the database is shared by users of several languages. */
      if (!insert_segment (client, system[i].id, system[i].name, system[i].description,
                           "system", "", system[i].created, system[i].created, FALSE,
                           cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * seg_clickhouse_catalog_list_segments:
 *
 * Returns: (transfer full): segment rows, oldest first (the system segments lead)
 */
GPtrArray *
seg_clickhouse_catalog_list_segments (SegClickhouseClient  *client,
                                      GCancellable         *cancellable,
                                      GError              **error)
{
  return select_segments (client, NULL, cancellable, error);
}

/**
 * seg_clickhouse_catalog_get_segment:
 *
 * Returns: (transfer full): the segment row, or %NULL with %SEG_STORE_ERROR_NOT_FOUND
 */
JsonObject *
seg_clickhouse_catalog_get_segment (SegClickhouseClient  *client,
                                    const char           *id,
                                    GCancellable         *cancellable,
                                    GError              **error)
{
  g_autoptr(GPtrArray) rows = select_segments (client, id, cancellable, error);

  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND,
                   _("There is no segment “%s”"), id);
      return NULL;
    }
  return json_object_ref (g_ptr_array_index (rows, 0));
}

/**
 * seg_clickhouse_catalog_save_segment:
 * @id: (nullable): the segment to replace, or %NULL for a new one
 *
 * Returns: (transfer full): the saved row (with its id and times)
 */
JsonObject *
seg_clickhouse_catalog_save_segment (SegClickhouseClient  *client,
                                     const char           *id,
                                     const char           *name,
                                     const char           *description,
                                     const char           *kind,
                                     const char           *definition,
                                     GCancellable         *cancellable,
                                     GError              **error)
{
  g_autoptr(JsonObject) previous = NULL;
  g_autofree char *new_id = NULL;
  gint64 created, updated;

  if (is_system (id) || g_strcmp0 (kind, "system") == 0)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED,
                   _("System segments cannot be changed"));
      return NULL;
    }

  if (id == NULL)
    id = new_id = g_uuid_string_random ();
  else
    {
      g_autoptr(GPtrArray) rows = select_segments (client, id, cancellable, error);

      if (rows == NULL)
        return NULL;
      if (rows->len > 0)
        previous = json_object_ref (g_ptr_array_index (rows, 0));
    }

  updated = next_version (previous);
  created = previous ? json_object_get_int_member (previous, "created_ms") : updated;
  if (!insert_segment (client, id, name, description, kind, definition, created, updated,
                       FALSE, cancellable, error))
    return NULL;

  return seg_clickhouse_catalog_get_segment (client, id, cancellable, error);
}

static gboolean
definition_refers_to (const char *definition,
                      const char *id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *keys[] = { "include", "exclude" };
  JsonObject *root;

  if (definition == NULL || *definition == '\0'
      || !json_parser_load_from_data (parser, definition, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  root = json_node_get_object (json_parser_get_root (parser));
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      JsonNode *node = json_object_get_member (root, keys[k]);
      JsonArray *array;

      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        continue;
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING
              && g_strcmp0 (json_node_get_string (item), id) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/**
 * seg_clickhouse_catalog_delete_segment:
 *
 * Refuses system segments (%SEG_STORE_ERROR_PROTECTED) and segments that another one
 * includes or excludes (%SEG_STORE_ERROR_IN_USE).
 */
gboolean
seg_clickhouse_catalog_delete_segment (SegClickhouseClient  *client,
                                       const char           *id,
                                       GCancellable         *cancellable,
                                       GError              **error)
{
  g_autoptr(GPtrArray) all = NULL;
  JsonObject *target = NULL;

  if (is_system (id))
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED,
                   _("System segments cannot be deleted"));
      return FALSE;
    }

  all = select_segments (client, NULL, cancellable, error);
  if (all == NULL)
    return FALSE;

  for (guint i = 0; i < all->len; i++)
    {
      JsonObject *row = g_ptr_array_index (all, i);

      if (g_strcmp0 (json_object_get_string_member (row, "id"), id) == 0)
        target = row;
    }
  if (target == NULL)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND,
                   _("There is no segment “%s”"), id);
      return FALSE;
    }

  for (guint i = 0; i < all->len; i++)
    {
      JsonObject *row = g_ptr_array_index (all, i);

      if (row != target
          && definition_refers_to (json_object_get_string_member (row, "definition"), id))
        {
          g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_IN_USE,
                       _("“%s” is used by “%s”"),
                       json_object_get_string_member (target, "name"),
                       json_object_get_string_member (row, "name"));
          return FALSE;
        }
    }

  return insert_segment (client, id,
                         json_object_get_string_member (target, "name"),
                         json_object_get_string_member (target, "description"),
                         json_object_get_string_member (target, "kind"),
                         json_object_get_string_member (target, "definition"),
                         json_object_get_int_member (target, "created_ms"),
                         next_version (target), TRUE, cancellable, error);
}

/**
 * seg_clickhouse_catalog_clone_segment:
 * @new_name: (nullable): the name of the copy, %NULL for “Copy of …”
 *
 * Returns: (transfer full): the new segment's row
 */
JsonObject *
seg_clickhouse_catalog_clone_segment (SegClickhouseClient  *client,
                                      const char           *id,
                                      const char           *new_name,
                                      GCancellable         *cancellable,
                                      GError              **error)
{
  g_autoptr(JsonObject) source = NULL;
  g_autofree char *name = NULL;

  if (is_system (id))
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED,
                   _("System segments cannot be cloned"));
      return NULL;
    }

  source = seg_clickhouse_catalog_get_segment (client, id, cancellable, error);
  if (source == NULL)
    return NULL;

  name = new_name ? g_strdup (new_name)
                  : g_strdup_printf (_("Copy of %s"), json_object_get_string_member (source, "name"));
  return seg_clickhouse_catalog_save_segment (client, NULL, name,
                                              json_object_get_string_member (source, "description"),
                                              json_object_get_string_member (source, "kind"),
                                              json_object_get_string_member (source, "definition"),
                                              cancellable, error);
}

/* ---- events and properties ---- */

GPtrArray *
seg_clickhouse_catalog_list_events (SegClickhouseClient  *client,
                                    GCancellable         *cancellable,
                                    GError              **error)
{
  static const char *ints[] = { "n", "first_ts", "last_ts", NULL };
  GPtrArray *rows;

  rows = query (client,
                "SELECT event AS name, count() AS n, min(ts_ms) AS first_ts, max(ts_ms) AS last_ts "
                "FROM events GROUP BY event ORDER BY n DESC, name",
                cancellable, error);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    normalize_ints (g_ptr_array_index (rows, i), ints);
  return rows;
}

/* The properties as rows (k, ty, s, nu): of one event's rows, or the current value of
 * each user property. */
static char *
property_source (const char *event)
{
  GString *sql;

  if (event == NULL)
    return g_strdup ("SELECT k, ty, s, nu FROM (SELECT user_id, key AS k, "
                     "argMax(type, updated_ms) AS ty, argMax(str, updated_ms) AS s, "
                     "argMax(num, updated_ms) AS nu, argMax(deleted, updated_ms) AS gone "
                     "FROM profile_props GROUP BY user_id, key) WHERE gone = 0");

  sql = g_string_new ("SELECT k, ty, s, nu FROM events ARRAY JOIN prop_keys AS k, "
                      "prop_types AS ty, prop_str AS s, prop_num AS nu WHERE event = ");
  seg_clickhouse_sql_append_string (sql, event, -1);
  return g_string_free (sql, FALSE);
}

GPtrArray *
seg_clickhouse_catalog_list_properties (SegClickhouseClient  *client,
                                        const char           *event,
                                        guint                 n_top,
                                        GCancellable         *cancellable,
                                        GError              **error)
{
  g_autofree char *source = property_source (event);
  g_autofree char *types_sql = NULL;
  g_autofree char *top_sql = NULL;
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(GPtrArray) top = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);

  /* A property's type is the one most of its values have. */
  types_sql = g_strdup_printf ("SELECT k, ty, count() AS c FROM (%s) WHERE ty != 0 "
                               "GROUP BY k, ty ORDER BY k, c DESC, ty", source);
  types = query (client, types_sql, cancellable, error);
  if (types == NULL)
    return NULL;

  /* Top values as the wizard shows them: dates as days, booleans as words. Lists have
   * no top values here. */
  top_sql = g_strdup_printf ("SELECT k, ty, multiIf(ty = %d, s, ty = %d, toString(nu), "
                             "ty = %d, if(nu != 0, 'true', 'false'), "
                             "toString(toDate(toDateTime(intDiv(toInt64(nu), 1000), 'UTC')))) AS v, "
                             "count() AS c FROM (%s) WHERE ty IN (%d, %d, %d, %d) "
                             "GROUP BY k, ty, v ORDER BY k, ty, c DESC, v LIMIT %u BY k, ty",
                             SEG_VALUE_TYPE_STRING, SEG_VALUE_TYPE_NUMBER, SEG_VALUE_TYPE_BOOLEAN,
                             source, SEG_VALUE_TYPE_STRING, SEG_VALUE_TYPE_NUMBER,
                             SEG_VALUE_TYPE_BOOLEAN, SEG_VALUE_TYPE_DATE, MAX (n_top, 1));
  top = query (client, top_sql, cancellable, error);
  if (top == NULL)
    return NULL;

  for (guint i = 0; i < types->len; i++)
    {
      JsonObject *row = g_ptr_array_index (types, i);
      const char *key = json_object_get_string_member (row, "k");
      JsonObject *info;

      if (g_hash_table_contains (by_key, key))
        continue;
      info = json_object_new ();
      json_object_set_string_member (info, "name", key);
      json_object_set_int_member (info, "type", member_int (row, "ty"));
      json_object_set_array_member (info, "top", json_array_new ());
      g_ptr_array_add (result, info);
      g_hash_table_insert (by_key, (gpointer) json_object_get_string_member (info, "name"), info);
    }

  for (guint i = 0; i < top->len; i++)
    {
      JsonObject *row = g_ptr_array_index (top, i);
      JsonObject *info = g_hash_table_lookup (by_key, json_object_get_string_member (row, "k"));
      JsonArray *pair;

      if (info == NULL || json_object_get_int_member (info, "type") != member_int (row, "ty"))
        continue;
      pair = json_array_new ();
      json_array_add_string_element (pair, json_object_get_string_member (row, "v"));
      json_array_add_int_element (pair, member_int (row, "c"));
      json_array_add_array_element (json_object_get_array_member (info, "top"), pair);
    }

  return g_steal_pointer (&result);
}

/* ---- one user ---- */

/* @items: for a list, its items (ClickHouse split the NUL-separated value, since a JSON
 * string with NUL cannot reach C intact). */
static JsonNode *
typed_value (gint64      type,
             const char *str,
             double      num,
             JsonArray  *items)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  switch (type)
    {
    case SEG_VALUE_TYPE_STRING:
      json_node_set_string (node, str);
      break;
    case SEG_VALUE_TYPE_NUMBER:
      json_node_set_double (node, num);
      break;
    case SEG_VALUE_TYPE_BOOLEAN:
      json_node_set_boolean (node, num != 0);
      break;
    case SEG_VALUE_TYPE_DATE:
      json_node_set_int (node, (gint64) num);
      break;
    case SEG_VALUE_TYPE_LIST:
      {
        JsonArray *list = json_array_new ();

        for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
          {
            const char *item = json_array_get_string_element (items, i);

            /* The last item's NUL leaves an empty string at the end. */
            if (item != NULL && !(i + 1 == json_array_get_length (items) && *item == '\0'))
              json_array_add_string_element (list, item);
          }
        json_node_init_array (node, list);
        json_array_unref (list);
        break;
      }
    default:
      json_node_init_null (node);
    }
  return node;
}

static double
node_double (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtod (json_node_get_string (node), NULL);
  return json_node_get_double (node);
}

JsonObject *
seg_clickhouse_catalog_get_user (SegClickhouseClient  *client,
                                 const char           *user_id,
                                 guint                 max_events,
                                 GCancellable         *cancellable,
                                 GError              **error)
{
  g_autoptr(GString) props_sql = g_string_new ("SELECT k, ty, if(ty = 5, '', s) AS str, nu, "
                                               "splitByChar('\\0', s) AS items FROM (SELECT key AS k, "
                                               "argMax(type, updated_ms) AS ty, "
                                               "argMax(str, updated_ms) AS s, "
                                               "argMax(num, updated_ms) AS nu, "
                                               "argMax(deleted, updated_ms) AS gone "
                                               "FROM profile_props WHERE user_id = ");
  g_autoptr(GString) events_sql = g_string_new ("SELECT event, ts_ms, prop_keys, prop_types, "
                                                "arrayMap((t, x) -> if(t = 5, '', x), prop_types, "
                                                "prop_str) AS prop_text, prop_num, "
                                                "arrayMap(x -> splitByChar('\\0', x), prop_str) "
                                                "AS prop_items FROM events WHERE user_id = ");
  g_autoptr(GPtrArray) props = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonObject) user = NULL;
  JsonObject *properties;
  JsonArray *timeline;

  seg_clickhouse_sql_append_string (props_sql, user_id, -1);
  g_string_append (props_sql, " GROUP BY key) WHERE gone = 0 ORDER BY k");
  props = query (client, props_sql->str, cancellable, error);
  if (props == NULL)
    return NULL;

  seg_clickhouse_sql_append_string (events_sql, user_id, -1);
  g_string_append_printf (events_sql, " ORDER BY ts_ms DESC LIMIT %u", max_events);
  events = query (client, events_sql->str, cancellable, error);
  if (events == NULL)
    return NULL;

  if (props->len == 0 && events->len == 0)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND,
                   _("There is no user “%s”"), user_id);
      return NULL;
    }

  user = json_object_new ();
  properties = json_object_new ();
  timeline = json_array_new ();
  json_object_set_string_member (user, "id", user_id);
  json_object_set_object_member (user, "properties", properties);
  json_object_set_array_member (user, "timeline", timeline);

  for (guint i = 0; i < props->len; i++)
    {
      JsonObject *row = g_ptr_array_index (props, i);

      json_object_set_member (properties, json_object_get_string_member (row, "k"),
                              typed_value (member_int (row, "ty"),
                                           json_object_get_string_member (row, "str"),
                                           node_double (json_object_get_member (row, "nu")),
                                           json_object_get_array_member (row, "items")));
    }

  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *row = g_ptr_array_index (events, i);
      JsonArray *keys = json_object_get_array_member (row, "prop_keys");
      JsonArray *types = json_object_get_array_member (row, "prop_types");
      JsonArray *strs = json_object_get_array_member (row, "prop_text");
      JsonArray *nums = json_object_get_array_member (row, "prop_num");
      JsonArray *items = json_object_get_array_member (row, "prop_items");
      JsonObject *item = json_object_new ();
      JsonObject *item_props = json_object_new ();

      json_object_set_string_member (item, "event", json_object_get_string_member (row, "event"));
      json_object_set_int_member (item, "ts_ms", member_int (row, "ts_ms"));
      for (guint p = 0; p < json_array_get_length (keys); p++)
        json_object_set_member (item_props, json_array_get_string_element (keys, p),
                                typed_value (json_array_get_int_element (types, p),
                                             json_array_get_string_element (strs, p),
                                             node_double (json_array_get_element (nums, p)),
                                             json_array_get_array_element (items, p)));
      json_object_set_object_member (item, "properties", item_props);
      json_array_add_object_element (timeline, item);
    }

  return g_steal_pointer (&user);
}

static void
append_string_list (GString            *sql,
                    const char * const *values)
{
  g_string_append_c (sql, '(');
  for (guint i = 0; values[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (sql, ',');
      seg_clickhouse_sql_append_string (sql, values[i], -1);
    }
  g_string_append_c (sql, ')');
}

GHashTable *
seg_clickhouse_catalog_get_profiles (SegClickhouseClient  *client,
                                     const char * const   *user_ids,
                                     const char * const   *fields,
                                     GCancellable         *cancellable,
                                     GError              **error)
{
  g_autoptr(GHashTable) answer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) json_object_unref);
  g_autoptr(GString) sql = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  if (user_ids[0] == NULL || fields[0] == NULL)
    return g_steal_pointer (&answer);

  sql = g_string_new ("SELECT u, k, ty, if(ty = 5, '', s) AS str, nu, "
                      "splitByChar('\\0', s) AS items FROM (SELECT user_id AS u, key AS k, "
                      "argMax(type, updated_ms) AS ty, argMax(str, updated_ms) AS s, "
                      "argMax(num, updated_ms) AS nu, argMax(deleted, updated_ms) AS gone "
                      "FROM profile_props WHERE user_id IN ");
  append_string_list (sql, user_ids);
  g_string_append (sql, " AND key IN ");
  append_string_list (sql, fields);
  g_string_append (sql, " GROUP BY u, k) WHERE gone = 0");
  rows = query (client, sql->str, cancellable, error);
  if (rows == NULL)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);
      const char *user = json_object_get_string_member (row, "u");
      JsonObject *props = g_hash_table_lookup (answer, user);

      if (props == NULL)
        {
          props = json_object_new ();
          g_hash_table_insert (answer, g_strdup (user), props);
        }
      json_object_set_member (props, json_object_get_string_member (row, "k"),
                              typed_value (member_int (row, "ty"),
                                           json_object_get_string_member (row, "str"),
                                           node_double (json_object_get_member (row, "nu")),
                                           json_object_get_array_member (row, "items")));
    }
  return g_steal_pointer (&answer);
}
