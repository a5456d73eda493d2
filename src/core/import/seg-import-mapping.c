/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-import-mapping"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-import-mapping.h"
#include "seg-import-sink.h"

typedef struct
{
  char         *column;
  char         *property;   /* NULL: skipped */
  SegValueType  type;
} Column;

struct _SegImportMapping
{
  GObject        parent_instance;

  SegRecordKind  kind;
  char         **user_columns;
  char          *event_column;
  char          *event_name;
  char          *ts_column;
  SegTimeFormat  ts_format;
  char          *ts_pattern;
  char          *insert_id_column;
  gboolean       include_unmapped;
  char           delimiter;
  GPtrArray     *columns;   /* Column */
};

G_DEFINE_FINAL_TYPE (SegImportMapping, seg_import_mapping, G_TYPE_OBJECT)

static void
column_free (Column *c)
{
  g_free (c->column);
  g_free (c->property);
  g_free (c);
}

static void
seg_import_mapping_finalize (GObject *object)
{
  SegImportMapping *self = (SegImportMapping *) object;

  g_strfreev (self->user_columns);
  g_free (self->event_column);
  g_free (self->event_name);
  g_free (self->ts_column);
  g_free (self->ts_pattern);
  g_free (self->insert_id_column);
  g_ptr_array_unref (self->columns);

  G_OBJECT_CLASS (seg_import_mapping_parent_class)->finalize (object);
}

static void
seg_import_mapping_class_init (SegImportMappingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_import_mapping_finalize;
}

static void
seg_import_mapping_init (SegImportMapping *self)
{
  self->include_unmapped = TRUE;
  self->delimiter = ',';
  self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  self->user_columns = g_new0 (char *, 1);
}

/**
 * seg_import_mapping_new:
 * @kind: whether rows are events or profile updates
 *
 * Returns: (transfer full): an empty mapping
 */
SegImportMapping *
seg_import_mapping_new (SegRecordKind kind)
{
  SegImportMapping *self = g_object_new (SEG_TYPE_IMPORT_MAPPING, NULL);

  self->kind = kind;
  return self;
}

/**
 * seg_import_mapping_new_canonical:
 *
 * The mapping of segctl's canonical CSV: `user_id,event,ts,<props...>`.
 *
 * Returns: (transfer full): a new mapping
 */
SegImportMapping *
seg_import_mapping_new_canonical (void)
{
  SegImportMapping *self = seg_import_mapping_new (SEG_RECORD_EVENT);

  seg_import_mapping_set_user_column (self, "user_id");
  seg_import_mapping_set_event_column (self, "event");
  seg_import_mapping_set_ts_column (self, "ts");
  return self;
}

/**
 * seg_import_mapping_new_profiles:
 *
 * The mapping of the profiles CSV: `user_id,<props...>`.
 *
 * Returns: (transfer full): a new mapping
 */
SegImportMapping *
seg_import_mapping_new_profiles (void)
{
  SegImportMapping *self = seg_import_mapping_new (SEG_RECORD_PROFILE);

  seg_import_mapping_set_user_column (self, "user_id");
  return self;
}

SegRecordKind
seg_import_mapping_get_kind (SegImportMapping *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_MAPPING (self), SEG_RECORD_EVENT);
  return self->kind;
}

void
seg_import_mapping_set_kind (SegImportMapping *self,
                             SegRecordKind     kind)
{
  g_return_if_fail (SEG_IS_IMPORT_MAPPING (self));
  self->kind = kind;
}

const char * const *
seg_import_mapping_get_user_columns (SegImportMapping *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_MAPPING (self), NULL);
  return (const char * const *) self->user_columns;
}

void
seg_import_mapping_set_user_columns (SegImportMapping   *self,
                                     const char * const *columns)
{
  g_return_if_fail (SEG_IS_IMPORT_MAPPING (self));
  g_strfreev (self->user_columns);
  self->user_columns = columns ? g_strdupv ((char **) columns) : g_new0 (char *, 1);
}

void
seg_import_mapping_set_user_column (SegImportMapping *self,
                                    const char       *column)
{
  const char *cols[] = { column, NULL };

  seg_import_mapping_set_user_columns (self, cols);
}

#define STRING_ACCESSORS(field)                                                 \
const char *                                                                    \
seg_import_mapping_get_##field (SegImportMapping *self)                         \
{                                                                               \
  g_return_val_if_fail (SEG_IS_IMPORT_MAPPING (self), NULL);                    \
  return self->field;                                                           \
}                                                                               \
void                                                                            \
seg_import_mapping_set_##field (SegImportMapping *self,                         \
                                const char       *value)                        \
{                                                                               \
  g_return_if_fail (SEG_IS_IMPORT_MAPPING (self));                              \
  g_free (self->field);                                                         \
  self->field = g_strdup (value && *value ? value : NULL);                      \
}

STRING_ACCESSORS (event_column)
STRING_ACCESSORS (event_name)
STRING_ACCESSORS (ts_column)
STRING_ACCESSORS (insert_id_column)

SegTimeFormat
seg_import_mapping_get_ts_format (SegImportMapping *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_MAPPING (self), SEG_TIME_FORMAT_AUTO);
  return self->ts_format;
}

const char *
seg_import_mapping_get_ts_pattern (SegImportMapping *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_MAPPING (self), NULL);
  return self->ts_pattern;
}

void
seg_import_mapping_set_ts_format (SegImportMapping *self,
                                  SegTimeFormat     format,
                                  const char       *pattern)
{
  g_return_if_fail (SEG_IS_IMPORT_MAPPING (self));
  self->ts_format = format;
  g_free (self->ts_pattern);
  self->ts_pattern = g_strdup (pattern);
}

gboolean
seg_import_mapping_get_include_unmapped (SegImportMapping *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_MAPPING (self), TRUE);
  return self->include_unmapped;
}

void
seg_import_mapping_set_include_unmapped (SegImportMapping *self,
                                         gboolean          include)
{
  g_return_if_fail (SEG_IS_IMPORT_MAPPING (self));
  self->include_unmapped = !!include;
}

char
seg_import_mapping_get_delimiter (SegImportMapping *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_MAPPING (self), ',');
  return self->delimiter;
}

void
seg_import_mapping_set_delimiter (SegImportMapping *self,
                                  char              delimiter)
{
  g_return_if_fail (SEG_IS_IMPORT_MAPPING (self));
  self->delimiter = delimiter ? delimiter : ',';
}

static Column *
find_column (SegImportMapping *self,
             const char       *column)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = g_ptr_array_index (self->columns, i);
      if (g_str_equal (c->column, column))
        return c;
    }
  return NULL;
}

/**
 * seg_import_mapping_set_column:
 * @column: the column name (CSV header) or dotted path (JSON)
 * @property: (nullable): the property name, %NULL for the column name itself
 * @type: the type, or %SEG_VALUE_TYPE_NONE to infer it per value
 */
void
seg_import_mapping_set_column (SegImportMapping *self,
                               const char       *column,
                               const char       *property,
                               SegValueType      type)
{
  Column *c;

  g_return_if_fail (SEG_IS_IMPORT_MAPPING (self));
  g_return_if_fail (column != NULL);

  c = find_column (self, column);
  if (c == NULL)
    {
      c = g_new0 (Column, 1);
      c->column = g_strdup (column);
      g_ptr_array_add (self->columns, c);
    }
  g_free (c->property);
  c->property = g_strdup (property ? property : column);
  c->type = type;
}

void
seg_import_mapping_skip_column (SegImportMapping *self,
                                const char       *column)
{
  Column *c;

  g_return_if_fail (SEG_IS_IMPORT_MAPPING (self));

  c = find_column (self, column);
  if (c == NULL)
    {
      c = g_new0 (Column, 1);
      c->column = g_strdup (column);
      g_ptr_array_add (self->columns, c);
    }
  g_clear_pointer (&c->property, g_free);
  c->type = SEG_VALUE_TYPE_NONE;
}

gboolean
seg_import_mapping_lookup_column (SegImportMapping  *self,
                                  const char        *column,
                                  const char       **property,
                                  SegValueType      *type)
{
  Column *c = find_column (self, column);

  if (c == NULL)
    {
      *property = column;
      *type = SEG_VALUE_TYPE_NONE;
      return self->include_unmapped;
    }
  *property = c->property;
  *type = c->type;
  return c->property != NULL;
}

gboolean
seg_import_mapping_validate (SegImportMapping  *self,
                             GError           **error)
{
  if (self->user_columns[0] == NULL)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                   _("The mapping names no user column"));
      return FALSE;
    }
  if (self->kind == SEG_RECORD_EVENT && self->event_column == NULL && self->event_name == NULL)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                   _("The mapping names neither an event column nor an event name"));
      return FALSE;
    }
  if (self->kind == SEG_RECORD_EVENT && self->ts_column == NULL)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                   _("The mapping names no time column"));
      return FALSE;
    }
  if (self->ts_format == SEG_TIME_FORMAT_CUSTOM && (self->ts_pattern == NULL || !*self->ts_pattern))
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                   _("A custom time format needs a pattern"));
      return FALSE;
    }
  return TRUE;
}

/**
 * seg_import_mapping_copy:
 *
 * Returns: (transfer full): an independent copy
 */
SegImportMapping *
seg_import_mapping_copy (SegImportMapping *self)
{
  g_autofree char *json = seg_import_mapping_to_json (self);

  return seg_import_mapping_new_from_json (json, NULL);
}

JsonNode *
seg_import_mapping_to_json_node (SegImportMapping *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  char delim[2] = { self->delimiter, '\0' };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, self->kind == SEG_RECORD_PROFILE ? "profiles" : "events");
  json_builder_set_member_name (b, "user");
  json_builder_begin_array (b);
  for (guint i = 0; self->user_columns[i]; i++)
    json_builder_add_string_value (b, self->user_columns[i]);
  json_builder_end_array (b);
#define OPT_STRING(name, value) \
  if ((value) != NULL) { json_builder_set_member_name (b, name); json_builder_add_string_value (b, value); }
  OPT_STRING ("event", self->event_column);
  OPT_STRING ("event_name", self->event_name);
  OPT_STRING ("ts", self->ts_column);
  json_builder_set_member_name (b, "ts_format");
  json_builder_add_string_value (b, seg_time_format_to_string (self->ts_format));
  OPT_STRING ("ts_pattern", self->ts_pattern);
  OPT_STRING ("insert_id", self->insert_id_column);
#undef OPT_STRING
  json_builder_set_member_name (b, "include_unmapped");
  json_builder_add_boolean_value (b, self->include_unmapped);
  json_builder_set_member_name (b, "delimiter");
  json_builder_add_string_value (b, delim);
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = g_ptr_array_index (self->columns, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, c->column);
      if (c->property == NULL)
        {
          json_builder_set_member_name (b, "skip");
          json_builder_add_boolean_value (b, TRUE);
        }
      else
        {
          json_builder_set_member_name (b, "property");
          json_builder_add_string_value (b, c->property);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, c->type == SEG_VALUE_TYPE_NONE
                                             ? "auto" : seg_value_type_to_string (c->type));
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/**
 * seg_import_mapping_to_json:
 *
 * Returns: (transfer full): the mapping as a JSON document, to save and reuse
 */
char *
seg_import_mapping_to_json (SegImportMapping *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (SEG_IS_IMPORT_MAPPING (self), NULL);

  node = seg_import_mapping_to_json_node (self);
  return json_to_string (node, TRUE);
}

static gboolean
bad_mapping (GError     **error,
             const char  *what)
{
  g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
               _("Invalid mapping: %s"), what);
  return FALSE;
}

static const char *
opt_string (JsonObject  *obj,
            const char  *name,
            gboolean    *ok)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      *ok = FALSE;
      return NULL;
    }
  return json_node_get_string (n);
}

/**
 * seg_import_mapping_new_from_json:
 *
 * Returns: (transfer full): the mapping saved by seg_import_mapping_to_json()
 */
SegImportMapping *
seg_import_mapping_new_from_json (const char  *json,
                                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SegImportMapping) self = NULL;
  JsonObject *obj;
  JsonNode *n;
  const char *s;
  gboolean ok = TRUE;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  n = json_parser_get_root (parser);
  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    return bad_mapping (error, _("not an object")), NULL;
  obj = json_node_get_object (n);

  s = opt_string (obj, "kind", &ok);
  self = seg_import_mapping_new (g_strcmp0 (s, "profiles") == 0 ? SEG_RECORD_PROFILE : SEG_RECORD_EVENT);

  n = json_object_get_member (obj, "user");
  if (n != NULL && JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *a = json_node_get_array (n);
      g_autoptr(GStrvBuilder) sb = g_strv_builder_new ();
      g_auto(GStrv) cols = NULL;

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          const char *c = json_array_get_string_element (a, i);
          if (c == NULL)
            return bad_mapping (error, _("user columns must be strings")), NULL;
          g_strv_builder_add (sb, c);
        }
      cols = g_strv_builder_end (sb);
      seg_import_mapping_set_user_columns (self, (const char * const *) cols);
    }
  else if ((s = opt_string (obj, "user", &ok)) != NULL)
    seg_import_mapping_set_user_column (self, s);

  seg_import_mapping_set_event_column (self, opt_string (obj, "event", &ok));
  seg_import_mapping_set_event_name (self, opt_string (obj, "event_name", &ok));
  seg_import_mapping_set_ts_column (self, opt_string (obj, "ts", &ok));
  seg_import_mapping_set_insert_id_column (self, opt_string (obj, "insert_id", &ok));
  if ((s = opt_string (obj, "ts_format", &ok)) != NULL &&
      !seg_time_format_from_string (s, &self->ts_format))
    return bad_mapping (error, _("unknown time format")), NULL;
  g_free (self->ts_pattern);
  self->ts_pattern = g_strdup (opt_string (obj, "ts_pattern", &ok));
  if (json_object_has_member (obj, "include_unmapped"))
    self->include_unmapped = json_object_get_boolean_member (obj, "include_unmapped");
  if ((s = opt_string (obj, "delimiter", &ok)) != NULL)
    {
      if (strlen (s) != 1)
        return bad_mapping (error, _("the delimiter must be one character")), NULL;
      self->delimiter = s[0];
    }
  if (!ok)
    return bad_mapping (error, _("a member has the wrong type")), NULL;

  n = json_object_get_member (obj, "columns");
  if (n != NULL && JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *a = json_node_get_array (n);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *cn = json_array_get_element (a, i);
          JsonObject *co;
          const char *name, *prop, *type;

          if (!JSON_NODE_HOLDS_OBJECT (cn))
            return bad_mapping (error, _("columns must be objects")), NULL;
          co = json_node_get_object (cn);
          name = opt_string (co, "name", &ok);
          prop = opt_string (co, "property", &ok);
          type = opt_string (co, "type", &ok);
          if (!ok || name == NULL)
            return bad_mapping (error, _("a column has no name")), NULL;
          if (json_object_has_member (co, "skip") && json_object_get_boolean_member (co, "skip"))
            seg_import_mapping_skip_column (self, name);
          else
            {
              SegValueType t = SEG_VALUE_TYPE_NONE;

              if (type != NULL && !g_str_equal (type, "auto"))
                {
                  t = seg_value_type_from_string (type);
                  if (t == SEG_VALUE_TYPE_NONE)
                    return bad_mapping (error, _("unknown column type")), NULL;
                }
              seg_import_mapping_set_column (self, name, prop, t);
            }
        }
    }

  return g_steal_pointer (&self);
}
