/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-batch"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "seg-live-batch.h"
#include "seg-time.h"

struct _SegLiveBatch
{
  GTimeZone    *tz;
  GStringChunk *strings;
  GArray       *records;     /* of SegRecord; props resolved in get() */
  GArray       *starts;      /* of guint: first prop of each record */
  GArray       *props;       /* of SegPropValue */
  JsonParser   *parser;
};

SegLiveBatch *
seg_live_batch_new (GTimeZone *tz)
{
  SegLiveBatch *self = g_new0 (SegLiveBatch, 1);

  self->tz = g_time_zone_ref (tz);
  self->strings = g_string_chunk_new (4096);
  self->records = g_array_new (FALSE, FALSE, sizeof (SegRecord));
  self->starts = g_array_new (FALSE, FALSE, sizeof (guint));
  self->props = g_array_new (FALSE, FALSE, sizeof (SegPropValue));
  self->parser = json_parser_new_immutable ();
  return self;
}

void
seg_live_batch_free (SegLiveBatch *self)
{
  g_time_zone_unref (self->tz);
  g_string_chunk_free (self->strings);
  g_array_unref (self->records);
  g_array_unref (self->starts);
  g_array_unref (self->props);
  g_object_unref (self->parser);
  g_free (self);
}

void
seg_live_batch_clear (SegLiveBatch *self)
{
  g_string_chunk_clear (self->strings);
  g_array_set_size (self->records, 0);
  g_array_set_size (self->starts, 0);
  g_array_set_size (self->props, 0);
}

#define FAIL(...) \
  G_STMT_START { \
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, __VA_ARGS__); \
    g_array_set_size (self->props, first_prop); \
    return FALSE; \
  } G_STMT_END

static const char *
node_string (JsonObject *obj,
             const char *key)
{
  JsonNode *n = json_object_get_member (obj, key);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
add_props (SegLiveBatch  *self,
           JsonNode      *data,
           const char    *what,
           guint          first_prop,
           GError       **error)
{
  JsonObject *obj;
  JsonObjectIter it;
  const char *key;
  JsonNode *v;

  if (data == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (data))
    FAIL (_("“%s” must be an object"), what);
  obj = json_node_get_object (data);
  json_object_iter_init (&it, obj);
  while (json_object_iter_next (&it, &key, &v))
    {
      SegPropValue p = { 0 };

      p.key = g_string_chunk_insert_const (self->strings, key);
      if (JSON_NODE_HOLDS_NULL (v))
        p.type = SEG_VALUE_TYPE_NONE;
      else if (JSON_NODE_HOLDS_ARRAY (v))
        {
          JsonArray *arr = json_node_get_array (v);
          GString *items = g_string_new (NULL);
          for (guint i = 0; i < json_array_get_length (arr); i++)
            {
              JsonNode *e = json_array_get_element (arr, i);
              if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
                {
                  g_string_free (items, TRUE);
                  FAIL (_("%s.%s: a list may only hold strings"), what, key);
                }
              g_string_append (items, json_node_get_string (e));
              g_string_append_c (items, '\0');
            }
          p.type = SEG_VALUE_TYPE_LIST;
          p.str_len = items->len;
          p.str = g_string_chunk_insert_len (self->strings, items->str, items->len);
          g_string_free (items, TRUE);
        }
      else if (JSON_NODE_HOLDS_VALUE (v))
        {
          GType t = json_node_get_value_type (v);
          if (t == G_TYPE_STRING)
            {
              const char *s = json_node_get_string (v);
              if (g_str_has_prefix (s, "$D_"))
                {
                  char *end = NULL;
                  gint64 secs = g_ascii_strtoll (s + 3, &end, 10);
                  if (end == s + 3 || *end != '\0')
                    FAIL (_("%s.%s: “%s” is not a $D_ date"), what, key, s);
                  p.type = SEG_VALUE_TYPE_DATE;
                  p.num = (double) secs * 1000;
                }
              else
                {
                  p.type = SEG_VALUE_TYPE_STRING;
                  p.str_len = strlen (s);
                  p.str = g_string_chunk_insert_len (self->strings, s, p.str_len);
                }
            }
          else if (t == G_TYPE_BOOLEAN)
            {
              p.type = SEG_VALUE_TYPE_BOOLEAN;
              p.num = json_node_get_boolean (v) ? 1 : 0;
            }
          else
            {
              p.type = SEG_VALUE_TYPE_NUMBER;
              p.num = json_node_get_double (v);
              if (!isfinite (p.num))
                FAIL (_("%s.%s: not a finite number"), what, key);
            }
        }
      else
        FAIL (_("%s.%s: nested objects are not supported"), what, key);
      g_array_append_val (self->props, p);
    }
  return TRUE;
}

/**
 * seg_live_batch_add_node:
 * @self: a batch
 * @node: one element of an upload
 * @now_ms: the time of elements without "ts"
 * @error: return location for an error saying what is wrong with the element
 *
 * Returns: %FALSE if the element is not a valid event or profile; the batch is unchanged
 */
gboolean
seg_live_batch_add_node (SegLiveBatch  *self,
                         JsonNode      *node,
                         gint64         now_ms,
                         GError       **error)
{
  guint first_prop = self->props->len;
  SegRecord r = { 0 };
  JsonObject *obj;
  const char *type, *identity, *insert_id;
  JsonNode *ts;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    FAIL (_("each record must be a JSON object"));
  obj = json_node_get_object (node);
  type = node_string (obj, "type");
  if (type == NULL)
    FAIL (_("missing “type” (“event” or “profile”)"));
  if (g_str_equal (type, "event"))
    r.kind = SEG_RECORD_EVENT;
  else if (g_str_equal (type, "profile"))
    r.kind = SEG_RECORD_PROFILE;
  else
    FAIL (_("“type” must be “event” or “profile”, not “%s”"), type);

  identity = node_string (obj, "identity");
  if (identity == NULL)
    identity = node_string (obj, "objectId");
  if (identity == NULL)
    {
      JsonNode *n = json_object_get_member (obj, "identity");
      if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
        {
          char buf[32];
          g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (n));
          identity = g_string_chunk_insert (self->strings, buf);
        }
    }
  if (identity == NULL || *identity == '\0')
    FAIL (_("missing “identity”"));
  r.user_id = g_string_chunk_insert (self->strings, identity);

  ts = json_object_get_member (obj, "ts");
  if (ts == NULL)
    r.ts_ms = now_ms;
  else if (JSON_NODE_HOLDS_VALUE (ts) && json_node_get_value_type (ts) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (ts);
      if (!seg_time_parse_timestamp (s, strlen (s), self->tz, &r.ts_ms))
        FAIL (_("“ts” is not a time: “%s”"), s);
    }
  else if (JSON_NODE_HOLDS_VALUE (ts) &&
           (json_node_get_value_type (ts) == G_TYPE_INT64 || json_node_get_value_type (ts) == G_TYPE_DOUBLE))
    {
      double d = json_node_get_double (ts);
      if (!isfinite (d) || d < 0)
        FAIL (_("“ts” must be epoch seconds or milliseconds"));
      r.ts_ms = d < 1e11 ? (gint64) (d * 1000) : (gint64) d;
    }
  else
    FAIL (_("“ts” must be epoch seconds, milliseconds or an ISO-8601 time"));

  insert_id = node_string (obj, "insert_id");
  if (insert_id == NULL)
    insert_id = node_string (obj, "$insert_id");
  if (insert_id != NULL)
    r.insert_id = g_string_chunk_insert (self->strings, insert_id);

  if (r.kind == SEG_RECORD_EVENT)
    {
      const char *name = node_string (obj, "evtName");
      if (name == NULL || *name == '\0')
        FAIL (_("an event needs “evtName”"));
      r.event = g_string_chunk_insert_const (self->strings, name);
      if (!add_props (self, json_object_get_member (obj, "evtData"), "evtData", first_prop, error))
        return FALSE;
    }
  else if (!add_props (self, json_object_get_member (obj, "profileData"), "profileData",
                       first_prop, error))
    return FALSE;

  r.n_props = self->props->len - first_prop;
  g_array_append_val (self->records, r);
  g_array_append_val (self->starts, first_prop);
  return TRUE;
}

/**
 * seg_live_batch_add_line:
 * @self: a batch
 * @line: one JSON line, without its newline
 * @len: its length
 * @now_ms: the time of elements without "ts"
 * @error: return location for an error
 *
 * Returns: %FALSE if the line is not JSON or not a valid element
 */
gboolean
seg_live_batch_add_line (SegLiveBatch  *self,
                         const char    *line,
                         gsize          len,
                         gint64         now_ms,
                         GError       **error)
{
  if (!json_parser_load_from_data (self->parser, line, len, error))
    return FALSE;
  return seg_live_batch_add_node (self, json_parser_get_root (self->parser), now_ms, error);
}

guint
seg_live_batch_get_length (SegLiveBatch *self)
{
  return self->records->len;
}

/**
 * seg_live_batch_get:
 * @self: a batch
 * @i: an index
 *
 * Returns: the record, valid until the batch is changed
 */
const SegRecord *
seg_live_batch_get (SegLiveBatch *self,
                    guint         i)
{
  SegRecord *r = &g_array_index (self->records, SegRecord, i);

  r->props = r->n_props > 0
    ? &g_array_index (self->props, SegPropValue, g_array_index (self->starts, guint, i))
    : NULL;
  return r;
}

typedef struct
{
  SegRecord r;
  guint     start;
  guint     order;
} SortItem;

static gint
sort_cmp (gconstpointer a,
          gconstpointer b)
{
  const SortItem *x = a, *y = b;

  if (x->r.ts_ms != y->r.ts_ms)
    return x->r.ts_ms < y->r.ts_ms ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/**
 * seg_live_batch_sort:
 * @self: a batch
 *
 * Orders the records by time, keeping the file order of records with the same time.
 */
void
seg_live_batch_sort (SegLiveBatch *self)
{
  guint n = self->records->len;
  g_autofree SortItem *items = g_new (SortItem, n);

  for (guint i = 0; i < n; i++)
    {
      items[i].r = g_array_index (self->records, SegRecord, i);
      items[i].start = g_array_index (self->starts, guint, i);
      items[i].order = i;
    }
  qsort (items, n, sizeof (SortItem), sort_cmp);
  for (guint i = 0; i < n; i++)
    {
      g_array_index (self->records, SegRecord, i) = items[i].r;
      g_array_index (self->starts, guint, i) = items[i].start;
    }
}
