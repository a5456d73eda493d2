/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-clickhouse-rows"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seg-clickhouse-rows.h"
#include "seg-store.h"

static const char *
member_string (JsonObject *row,
               const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
unhex (const char *hex,
       gsize      *len)
{
  gsize n = strlen (hex) / 2;
  char *out = g_malloc (n + 1);

  for (gsize i = 0; i < n; i++)
    out[i] = (char) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  out[n] = '\0';
  *len = n;
  return out;
}

void
seg_clickhouse_event_row_init (SegClickhouseEventRow *self)
{
  self->props = g_array_new (FALSE, TRUE, sizeof (SegPropValue));
  self->buffers = g_ptr_array_new_with_free_func (g_free);
}

void
seg_clickhouse_event_row_clear (SegClickhouseEventRow *self)
{
  g_clear_pointer (&self->props, g_array_unref);
  g_clear_pointer (&self->buffers, g_ptr_array_unref);
}

/**
 * seg_clickhouse_event_row_read:
 * @row: a row of SEG_CLICKHOUSE_EVENT_READ_COLUMNS
 * @record: (out caller-allocates): the event, valid until the next row is read (it points
 *   into @row and @self)
 *
 * Returns: %FALSE with @error set when the row is not an event row
 */
gboolean
seg_clickhouse_event_row_read (SegClickhouseEventRow  *self,
                               JsonObject             *row,
                               guint64                 row_number,
                               SegRecord              *record,
                               GError                **error)
{
  const char *event = member_string (row, "event");
  const char *user_id = member_string (row, "user_id");
  const char *ts = member_string (row, "ts_ms");
  const char *insert_id = member_string (row, "insert_id");
  JsonArray *keys = json_object_get_array_member (row, "prop_keys");
  JsonArray *types = json_object_get_array_member (row, "prop_types");
  JsonArray *strs = json_object_get_array_member (row, "prop_str_x");
  JsonArray *nums = json_object_get_array_member (row, "prop_num");
  guint n_props;

  if (event == NULL || user_id == NULL || *user_id == '\0' || ts == NULL
      || keys == NULL || types == NULL || strs == NULL || nums == NULL)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                   _("Row %" G_GUINT64_FORMAT " of the events from ClickHouse lacks a column"),
                   row_number);
      return FALSE;
    }
  n_props = json_array_get_length (keys);
  if (json_array_get_length (types) != n_props || json_array_get_length (strs) != n_props
      || json_array_get_length (nums) != n_props)
    {
      g_set_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_CORRUPT,
                   _("Row %" G_GUINT64_FORMAT " of the events from ClickHouse has property "
                     "arrays of different lengths"), row_number);
      return FALSE;
    }

  g_array_set_size (self->props, n_props);
  g_ptr_array_set_size (self->buffers, 0);
  for (guint i = 0; i < n_props; i++)
    {
      SegPropValue *v = &g_array_index (self->props, SegPropValue, i);
      JsonNode *num = json_array_get_element (nums, i);

      v->key = json_array_get_string_element (keys, i);
      v->type = (SegValueType) json_array_get_int_element (types, i);
      v->str = json_array_get_string_element (strs, i);
      v->str_len = v->str ? strlen (v->str) : 0;
      v->num = JSON_NODE_HOLDS_VALUE (num) ? json_node_get_double (num) : 0;
      if (v->type == SEG_VALUE_TYPE_LIST && v->str != NULL)
        {
          char *raw = unhex (v->str, &v->str_len);
          g_ptr_array_add (self->buffers, raw);
          v->str = raw;
        }
    }

  memset (record, 0, sizeof *record);
  record->kind = SEG_RECORD_EVENT;
  record->user_id = user_id;
  record->event = event;
  record->ts_ms = g_ascii_strtoll (ts, NULL, 10);
  record->insert_id = insert_id && *insert_id ? insert_id : NULL;
  record->n_props = n_props;
  record->props = n_props ? (SegPropValue *) self->props->data : NULL;
  return TRUE;
}
