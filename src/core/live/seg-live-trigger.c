/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-trigger"

#define _GNU_SOURCE
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "seg-live-trigger.h"
#include "seg-time.h"

G_DEFINE_BOXED_TYPE (SegLiveTrigger, seg_live_trigger, seg_live_trigger_ref, seg_live_trigger_unref)
G_DEFINE_QUARK (seg-live-trigger-error-quark, seg_live_trigger_error)

static const char *type_names[SEG_LIVE_N_TRIGGER_TYPES] = {
  "action", "inaction", "date", "page_visit", "referrer", "page_count",
};

const char *
seg_live_trigger_type_to_string (SegLiveTriggerType type)
{
  if ((guint) type < SEG_LIVE_N_TRIGGER_TYPES)
    return type_names[type];
  return "?";
}

#define FAIL(code, ...) \
  G_STMT_START { g_set_error (error, SEG_LIVE_TRIGGER_ERROR, code, __VA_ARGS__); return FALSE; } G_STMT_END

static gboolean
check_keys (JsonObject  *obj,
            const char  *path,
            const char **allowed,
            GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s: unknown key “%s”"), path, (const char *) l->data);
  return TRUE;
}

static gboolean
get_string (JsonObject  *obj,
            const char  *key,
            const char  *path,
            gboolean     required,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (obj, key);

  if (node == NULL)
    {
      if (required)
        FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s: missing “%s”"), path, key);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s.%s: must be a non-empty string"), path, key);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_integer (JsonObject  *obj,
             const char  *key,
             const char  *path,
             gint64      *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  double d;

  if (node == NULL)
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s: missing “%s”"), path, key);
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s.%s: must be a whole number"), path, key);
  d = json_node_get_double (node);
  if (d != floor (d) || fabs (d) > 1e9)
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s.%s: must be a whole number"), path, key);
  *out = (gint64) d;
  return TRUE;
}

/* Event filters are parsed by the definition parser itself, so that a live trigger and a
 * past-behavior rule accept exactly the same FILTER shapes and operators: the filters go
 * into a one-rule definition, and the parser's JSON paths are rewritten to ours. */
static gboolean
parse_where (JsonObject     *obj,
             const char     *key,
             const char     *event,
             const char     *path,
             SegDefinition **def_out,
             GPtrArray     **where_out,
             GError        **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *where = json_object_get_member (obj, key);
  const SegRule *match;
  const SegRule *rule;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "match");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "all");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "did");
  json_builder_add_string_value (b, event);
  if (where != NULL)
    {
      json_builder_set_member_name (b, "where");
      json_builder_add_value (b, json_node_copy (where));
    }
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  *def_out = seg_definition_new_from_node (root, &local_error);
  if (*def_out == NULL)
    {
      g_autofree char *prefix = g_strdup_printf ("%s.%s", path, key);
      g_autoptr(GString) msg = g_string_new (local_error->message);
      g_string_replace (msg, "$.match.all[0].where", prefix, 0);
      g_string_replace (msg, "$.match.all[0]", path, 0);
      g_set_error_literal (error, SEG_LIVE_TRIGGER_ERROR, SEG_LIVE_TRIGGER_ERROR_PARSE, msg->str);
      return FALSE;
    }
  match = seg_definition_get_match (*def_out);
  rule = g_ptr_array_index (match->children, 0);
  for (guint i = 0; i < rule->where->len; i++)
    {
      const SegFilter *f = g_ptr_array_index (rule->where, i);
      /* Relative date operators would need "today" of the event's arrival, which is
       * well defined, but the aggregate-style operators have no meaning on one event. */
      if (f->op == SEG_OP_SET_IS && f->strings == NULL)
        FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s.%s[%u]: “set_is” needs a list"), path, key, i);
    }
  *where_out = g_ptr_array_ref (rule->where);
  return TRUE;
}

static gboolean
parse_within (JsonNode     *node,
              const char   *path,
              SegLiveTrigger *t,
              GError      **error)
{
  const char *keys[] = { "n", "unit", NULL };
  g_autofree char *unit = NULL;
  g_autofree char *p = g_strdup_printf ("%s.within", path);
  JsonObject *obj;

  if (node == NULL)
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s: missing “within”"), path);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s: must be an object {\"n\": 10, \"unit\": \"minutes\"}"), p);
  obj = json_node_get_object (node);
  if (!check_keys (obj, p, keys, error) ||
      !get_integer (obj, "n", p, &t->within_n, error) ||
      !get_string (obj, "unit", p, TRUE, &unit, error))
    return FALSE;
  if (t->within_n <= 0)
    FAIL (SEG_LIVE_TRIGGER_ERROR_INVALID, _("%s.n: must be at least 1"), p);
  if (g_str_equal (unit, "minutes"))
    t->within_unit = SEG_TIME_UNIT_MINUTES;
  else if (g_str_equal (unit, "hours"))
    t->within_unit = SEG_TIME_UNIT_HOURS;
  else if (g_str_equal (unit, "days"))
    t->within_unit = SEG_TIME_UNIT_DAYS;
  else if (g_str_equal (unit, "weeks"))
    t->within_unit = SEG_TIME_UNIT_WEEKS;
  else
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE,
          _("%s.unit: must be “minutes”, “hours”, “days” or “weeks”, not “%s”"), p, unit);
  /* A live window is a duration: days are 24 hours here, unlike calendar windows. */
  t->within_ms = t->within_n * seg_time_unit_ms (t->within_unit);
  return TRUE;
}

static gboolean
parse_text_match (JsonObject       *obj,
                  const char       *key,
                  const char       *path,
                  SegLiveTextMatch *m,
                  GError          **error)
{
  const char *keys[] = { "op", "value", NULL };
  g_autofree char *p = g_strdup_printf ("%s.%s", path, key);
  g_autofree char *op = NULL;
  JsonNode *node = json_object_get_member (obj, key);
  JsonObject *o;

  if (node == NULL)
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s: missing “%s”"), path, key);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s: must be an object {\"op\": \"contains\", \"value\": \"…\"}"), p);
  o = json_node_get_object (node);
  if (!check_keys (o, p, keys, error) ||
      !get_string (o, "op", p, TRUE, &op, error) ||
      !get_string (o, "value", p, TRUE, &m->value, error))
    return FALSE;
  m->value_len = strlen (m->value);
  if (!seg_op_from_string (op, &m->op) ||
      (m->op != SEG_OP_EQUALS && m->op != SEG_OP_CONTAINS && m->op != SEG_OP_STARTS_WITH &&
       m->op != SEG_OP_ENDS_WITH && m->op != SEG_OP_MATCHES))
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE,
          _("%s.op: must be “contains”, “equals”, “starts_with”, “ends_with” or “matches”, not “%s”"),
          p, op);
  if (m->op == SEG_OP_MATCHES)
    {
      g_autoptr(GError) re_error = NULL;
      m->regex = g_regex_new (m->value, G_REGEX_OPTIMIZE, 0, &re_error);
      if (m->regex == NULL)
        FAIL (SEG_LIVE_TRIGGER_ERROR_INVALID, _("%s.value: not a valid pattern: %s"), p, re_error->message);
    }
  return TRUE;
}

static gboolean
parse_filter (JsonObject      *obj,
              const char      *path,
              SegLiveTrigger  *t,
              GError         **error)
{
  g_autoptr(JsonObject) wrapper = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *node = json_object_get_member (obj, "filter");

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    FAIL (SEG_LIVE_TRIGGER_ERROR_PARSE, _("%s.filter: must be a group {\"all\": [RULE, …]}"), path);
  wrapper = json_object_new ();
  json_object_set_int_member (wrapper, "version", 1);
  json_object_set_string_member (wrapper, "kind", "past-behavior");
  json_object_set_member (wrapper, "match", json_node_copy (node));
  root = json_node_init_object (json_node_alloc (), wrapper);
  t->filter = seg_definition_new_from_node (root, &local_error);
  if (t->filter == NULL)
    {
      g_autofree char *prefix = g_strdup_printf ("%s.filter", path);
      g_autoptr(GString) msg = g_string_new (local_error->message);
      g_string_replace (msg, "$.match", prefix, 0);
      g_set_error_literal (error, SEG_LIVE_TRIGGER_ERROR, SEG_LIVE_TRIGGER_ERROR_PARSE, msg->str);
      return FALSE;
    }
  return TRUE;
}

static void
text_match_clear (SegLiveTextMatch *m)
{
  g_clear_pointer (&m->value, g_free);
  g_clear_pointer (&m->regex, g_regex_unref);
}

static SegLiveTrigger *
trigger_alloc (void)
{
  SegLiveTrigger *t = g_new0 (SegLiveTrigger, 1);

  g_atomic_ref_count_init (&t->ref_count);
  return t;
}

/**
 * seg_live_trigger_new_from_node:
 * @node: the "trigger" object of a live definition
 * @error: return location for an error naming the offending JSON path
 *
 * Parses and validates a trigger. Event filters accept exactly what FILTER accepts in a
 * past-behavior rule; "filter" is a GROUP evaluated through the store.
 *
 * Returns: (transfer full): a trigger, or %NULL with @error set
 */
SegLiveTrigger *
seg_live_trigger_new_from_node (JsonNode  *node,
                                GError   **error)
{
  static const char *action_keys[] = { "type", "event", "where", "filter", NULL };
  static const char *inaction_keys[] = { "type", "event", "where", "then", "then_where",
                                         "within", "filter", NULL };
  static const char *date_keys[] = { "type", "property", "event", "days_from_today", "filter", NULL };
  static const char *page_keys[] = { "type", "url", "filter", NULL };
  static const char *referrer_keys[] = { "type", "referrer", "filter", NULL };
  static const char *count_keys[] = { "type", "count", "within", "filter", NULL };
  const char *path = "$.trigger";
  g_autoptr(SegLiveTrigger) t = trigger_alloc ();
  g_autofree char *type = NULL;
  JsonObject *obj;
  gboolean ok = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SEG_LIVE_TRIGGER_ERROR, SEG_LIVE_TRIGGER_ERROR_PARSE,
                   _("%s: a live segment needs a trigger object, e.g. {\"type\": \"action\", \"event\": \"Charged\"}"),
                   path);
      return NULL;
    }
  obj = json_node_get_object (node);
  if (!get_string (obj, "type", path, TRUE, &type, error))
    return NULL;

  for (t->type = 0; t->type < SEG_LIVE_N_TRIGGER_TYPES; t->type++)
    if (g_str_equal (type, type_names[t->type]))
      break;

  switch (t->type)
    {
    case SEG_LIVE_TRIGGER_ACTION:
      ok = check_keys (obj, path, action_keys, error) &&
           get_string (obj, "event", path, TRUE, &t->event, error) &&
           parse_where (obj, "where", t->event, path, &t->where_def, &t->where, error);
      break;

    case SEG_LIVE_TRIGGER_INACTION:
      ok = check_keys (obj, path, inaction_keys, error) &&
           get_string (obj, "event", path, TRUE, &t->event, error) &&
           parse_where (obj, "where", t->event, path, &t->where_def, &t->where, error) &&
           get_string (obj, "then", path, TRUE, &t->then_event, error) &&
           parse_where (obj, "then_where", t->then_event, path, &t->then_where_def,
                        &t->then_where, error) &&
           parse_within (json_object_get_member (obj, "within"), path, t, error);
      break;

    case SEG_LIVE_TRIGGER_DATE:
      ok = check_keys (obj, path, date_keys, error) &&
           get_string (obj, "property", path, TRUE, &t->property, error) &&
           get_string (obj, "event", path, FALSE, &t->event, error) &&
           get_integer (obj, "days_from_today", path, &t->days_from_today, error);
      break;

    case SEG_LIVE_TRIGGER_PAGE_VISIT:
      ok = check_keys (obj, path, page_keys, error) &&
           parse_text_match (obj, "url", path, &t->text, error);
      break;

    case SEG_LIVE_TRIGGER_REFERRER:
      ok = check_keys (obj, path, referrer_keys, error) &&
           parse_text_match (obj, "referrer", path, &t->text, error);
      break;

    case SEG_LIVE_TRIGGER_PAGE_COUNT:
      {
        JsonNode *within;
        gint64 count = 0;

        ok = check_keys (obj, path, count_keys, error) &&
             get_integer (obj, "count", path, &count, error);
        if (!ok)
          break;
        if (count < 1 || count > 10000)
          {
            g_set_error (error, SEG_LIVE_TRIGGER_ERROR, SEG_LIVE_TRIGGER_ERROR_INVALID,
                         _("%s.count: must be between 1 and 10000"), path);
            return NULL;
          }
        t->count = (guint) count;
        within = json_object_get_member (obj, "within");
        if (within != NULL && JSON_NODE_HOLDS_VALUE (within) &&
            json_node_get_value_type (within) == G_TYPE_STRING &&
            g_str_equal (json_node_get_string (within), "session"))
          t->within_ms = 0;
        else if (within != NULL && !JSON_NODE_HOLDS_OBJECT (within))
          {
            g_set_error (error, SEG_LIVE_TRIGGER_ERROR, SEG_LIVE_TRIGGER_ERROR_PARSE,
                         _("%s.within: must be \"session\" or {\"n\": 30, \"unit\": \"minutes\"}"), path);
            return NULL;
          }
        else
          ok = parse_within (within, path, t, error);
      }
      break;

    case SEG_LIVE_N_TRIGGER_TYPES:
    default:
      g_set_error (error, SEG_LIVE_TRIGGER_ERROR, SEG_LIVE_TRIGGER_ERROR_PARSE,
                   _("%s.type: must be “action”, “inaction”, “date”, “page_visit”, “referrer” or "
                     "“page_count”, not “%s”"), path, type);
      return NULL;
    }
  if (!ok || !parse_filter (obj, path, t, error))
    return NULL;
  if (t->where == NULL)
    t->where = g_ptr_array_new ();
  if (t->then_where == NULL)
    t->then_where = g_ptr_array_new ();
  return g_steal_pointer (&t);
}

/**
 * seg_live_trigger_new_from_json:
 * @json: the trigger object as JSON text
 * @error: return location for an error
 *
 * Returns: (transfer full): a trigger, or %NULL with @error set
 */
SegLiveTrigger *
seg_live_trigger_new_from_json (const char  *json,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  return seg_live_trigger_new_from_node (json_parser_get_root (parser), error);
}

/**
 * seg_live_trigger_new_from_definition_node:
 * @definition: a whole definition object with "kind": "live" and a "trigger"
 * @error: return location for an error
 *
 * Convenience for definitions read from files or from a store's serialised definition.
 *
 * Returns: (transfer full): the definition's trigger, or %NULL with @error set
 */
SegLiveTrigger *
seg_live_trigger_new_from_definition_node (JsonNode  *definition,
                                           GError   **error)
{
  JsonObject *obj;
  const char *kind;

  if (definition == NULL || !JSON_NODE_HOLDS_OBJECT (definition))
    {
      g_set_error (error, SEG_LIVE_TRIGGER_ERROR, SEG_LIVE_TRIGGER_ERROR_PARSE,
                   _("a segment definition must be a JSON object"));
      return NULL;
    }
  obj = json_node_get_object (definition);
  kind = json_object_get_string_member_with_default (obj, "kind", "past-behavior");
  if (g_strcmp0 (kind, "live") != 0)
    {
      g_set_error (error, SEG_LIVE_TRIGGER_ERROR, SEG_LIVE_TRIGGER_ERROR_PARSE,
                   _("$.kind: a live segment has \"kind\": \"live\", not “%s”"), kind);
      return NULL;
    }
  return seg_live_trigger_new_from_node (json_object_get_member (obj, "trigger"), error);
}

SegLiveTrigger *
seg_live_trigger_ref (SegLiveTrigger *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
seg_live_trigger_unref (SegLiveTrigger *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->event);
  g_free (self->then_event);
  g_free (self->property);
  g_clear_pointer (&self->where, g_ptr_array_unref);
  g_clear_pointer (&self->then_where, g_ptr_array_unref);
  text_match_clear (&self->text);
  g_clear_pointer (&self->filter, seg_definition_unref);
  g_clear_pointer (&self->where_def, seg_definition_unref);
  g_clear_pointer (&self->then_where_def, seg_definition_unref);
  g_free (self);
}

/* The normalised "where" list of a one-rule definition. */
static JsonNode *
where_to_node (SegDefinition *def)
{
  g_autoptr(JsonNode) root = seg_definition_to_node (def);
  JsonObject *rule;
  JsonNode *match = json_object_get_member (json_node_get_object (root), "match");
  JsonArray *all = json_object_get_array_member (json_node_get_object (match), "all");

  rule = json_array_get_object_element (all, 0);
  if (!json_object_has_member (rule, "where"))
    return NULL;
  return json_node_copy (json_object_get_member (rule, "where"));
}

static void
add_within (JsonBuilder    *b,
            SegLiveTrigger *self)
{
  json_builder_set_member_name (b, "within");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, self->within_n);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, seg_time_unit_to_string (self->within_unit));
  json_builder_end_object (b);
}

static void
add_text_match (JsonBuilder            *b,
                const char             *key,
                const SegLiveTextMatch *m)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, seg_op_to_string (m->op));
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, m->value);
  json_builder_end_object (b);
}

/**
 * seg_live_trigger_to_node:
 * @self: a trigger
 *
 * Returns: (transfer full): the normalised "trigger" object; parsing it gives an equal trigger
 */
JsonNode *
seg_live_trigger_to_node (SegLiveTrigger *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonNode *where;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type_names[self->type]);
  switch (self->type)
    {
    case SEG_LIVE_TRIGGER_ACTION:
    case SEG_LIVE_TRIGGER_INACTION:
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, self->event);
      if ((where = where_to_node (self->where_def)) != NULL)
        {
          json_builder_set_member_name (b, "where");
          json_builder_add_value (b, where);
        }
      if (self->type == SEG_LIVE_TRIGGER_INACTION)
        {
          json_builder_set_member_name (b, "then");
          json_builder_add_string_value (b, self->then_event);
          if ((where = where_to_node (self->then_where_def)) != NULL)
            {
              json_builder_set_member_name (b, "then_where");
              json_builder_add_value (b, where);
            }
          add_within (b, self);
        }
      break;
    case SEG_LIVE_TRIGGER_DATE:
      json_builder_set_member_name (b, "property");
      json_builder_add_string_value (b, self->property);
      if (self->event != NULL)
        {
          json_builder_set_member_name (b, "event");
          json_builder_add_string_value (b, self->event);
        }
      json_builder_set_member_name (b, "days_from_today");
      json_builder_add_int_value (b, self->days_from_today);
      break;
    case SEG_LIVE_TRIGGER_PAGE_VISIT:
      add_text_match (b, "url", &self->text);
      break;
    case SEG_LIVE_TRIGGER_REFERRER:
      add_text_match (b, "referrer", &self->text);
      break;
    case SEG_LIVE_TRIGGER_PAGE_COUNT:
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, self->count);
      if (self->within_ms == 0)
        {
          json_builder_set_member_name (b, "within");
          json_builder_add_string_value (b, "session");
        }
      else
        add_within (b, self);
      break;
    case SEG_LIVE_N_TRIGGER_TYPES:
    default:
      g_assert_not_reached ();
    }
  if (self->filter != NULL)
    {
      g_autoptr(JsonNode) def = seg_definition_to_node (self->filter);
      json_builder_set_member_name (b, "filter");
      json_builder_add_value (b, json_node_copy (json_object_get_member (json_node_get_object (def),
                                                                          "match")));
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * seg_live_trigger_to_json:
 * @self: a trigger
 *
 * Returns: (transfer full): the normalised trigger as compact JSON
 */
char *
seg_live_trigger_to_json (SegLiveTrigger *self)
{
  g_autoptr(JsonNode) node = seg_live_trigger_to_node (self);

  return json_to_string (node, FALSE);
}

static const char *
unit_word (SegTimeUnit unit,
           gint64      n)
{
  switch (unit)
    {
    case SEG_TIME_UNIT_MINUTES: return ngettext ("minute", "minutes", n);
    case SEG_TIME_UNIT_HOURS: return ngettext ("hour", "hours", n);
    case SEG_TIME_UNIT_DAYS: return ngettext ("day", "days", n);
    case SEG_TIME_UNIT_WEEKS: return ngettext ("week", "weeks", n);
    case SEG_TIME_UNIT_MONTHS:
    default: return ngettext ("month", "months", n);
    }
}

/* "did Charged where amount is greater than 10": the definition summary of the one-rule
 * wrapper, without its leading "Users ". */
static void
append_did (GString       *s,
            SegDefinition *def)
{
  g_autofree char *sum = seg_definition_summarize (def, NULL, NULL);
  const char *p = g_str_has_prefix (sum, "Users who ") ? sum + 10 : strchr (sum, ' ');

  if (p != NULL && *p == ' ')
    p++;
  if (p != NULL && g_str_has_prefix (p, "did "))
    {
      g_string_append (s, _("do "));
      p += 4;
    }
  g_string_append (s, p != NULL ? p : sum);
}

static void
append_text_match (GString                *s,
                   const SegLiveTextMatch *m)
{
  switch (m->op)
    {
    case SEG_OP_EQUALS: g_string_append_printf (s, _("is “%s”"), m->value); break;
    case SEG_OP_CONTAINS: g_string_append_printf (s, _("contains “%s”"), m->value); break;
    case SEG_OP_STARTS_WITH: g_string_append_printf (s, _("starts with “%s”"), m->value); break;
    case SEG_OP_ENDS_WITH: g_string_append_printf (s, _("ends with “%s”"), m->value); break;
    case SEG_OP_MATCHES:
    default: g_string_append_printf (s, _("matches /%s/"), m->value); break;
    }
}

/**
 * seg_live_trigger_summarize:
 * @self: a trigger
 *
 * Returns: (transfer full): a sentence such as "Users join the moment they do Added To
 *   Cart and then do not do Charged within 10 minutes"
 */
char *
seg_live_trigger_summarize (SegLiveTrigger *self)
{
  GString *s = g_string_new (NULL);

  switch (self->type)
    {
    case SEG_LIVE_TRIGGER_ACTION:
      g_string_append (s, _("Users join the moment they "));
      append_did (s, self->where_def);
      break;
    case SEG_LIVE_TRIGGER_INACTION:
      g_string_append (s, _("Users join when they "));
      append_did (s, self->where_def);
      g_string_append (s, _(" and then do not do "));
      {
        g_autofree char *sum = seg_definition_summarize (self->then_where_def, NULL, NULL);
        const char *p = strstr (sum, " did ");
        g_string_append (s, p != NULL ? p + 5 : sum);
      }
      g_string_append_printf (s, _(" within %" G_GINT64_FORMAT " %s"), self->within_n,
                              unit_word (self->within_unit, self->within_n));
      break;
    case SEG_LIVE_TRIGGER_DATE:
      if (self->event != NULL)
        g_string_append_printf (s, _("Users join on the day the “%s” of their latest %s is "),
                                self->property, self->event);
      else
        g_string_append_printf (s, _("Users join on the day their “%s” is "), self->property);
      if (self->days_from_today == 0)
        g_string_append (s, _("today"));
      else if (self->days_from_today > 0)
        g_string_append_printf (s, ngettext ("%" G_GINT64_FORMAT " day from today",
                                             "%" G_GINT64_FORMAT " days from today",
                                             self->days_from_today), self->days_from_today);
      else
        g_string_append_printf (s, ngettext ("%" G_GINT64_FORMAT " day ago",
                                             "%" G_GINT64_FORMAT " days ago",
                                             -self->days_from_today), -self->days_from_today);
      break;
    case SEG_LIVE_TRIGGER_PAGE_VISIT:
      g_string_append (s, _("Users join the moment they visit a page whose address "));
      append_text_match (s, &self->text);
      break;
    case SEG_LIVE_TRIGGER_REFERRER:
      g_string_append (s, _("Users join the moment they arrive from a referrer that "));
      append_text_match (s, &self->text);
      break;
    case SEG_LIVE_TRIGGER_PAGE_COUNT:
      g_string_append_printf (s, ngettext ("Users join the moment they have viewed %u page",
                                           "Users join the moment they have viewed %u pages",
                                           self->count), self->count);
      if (self->within_ms == 0)
        g_string_append (s, _(" in one session"));
      else
        g_string_append_printf (s, _(" within %" G_GINT64_FORMAT " %s"), self->within_n,
                                unit_word (self->within_unit, self->within_n));
      break;
    case SEG_LIVE_N_TRIGGER_TYPES:
    default:
      g_assert_not_reached ();
    }
  if (self->filter != NULL)
    {
      g_autofree char *sum = seg_definition_summarize (self->filter, NULL, NULL);
      const char *p = strchr (sum, ' ');
      g_string_append_printf (s, _(", counting only users %s"), p != NULL ? p + 1 : sum);
    }
  return g_string_free (s, FALSE);
}

/**
 * seg_live_text_match:
 * @match: a text match
 * @str: the text, not necessarily NUL-terminated
 * @len: its length in bytes
 *
 * Returns: whether @str satisfies @match
 */
gboolean
seg_live_text_match (const SegLiveTextMatch *match,
                     const char             *str,
                     gsize                   len)
{
  switch (match->op)
    {
    case SEG_OP_EQUALS:
      return len == match->value_len && memcmp (str, match->value, len) == 0;
    case SEG_OP_STARTS_WITH:
      return len >= match->value_len && memcmp (str, match->value, match->value_len) == 0;
    case SEG_OP_ENDS_WITH:
      return len >= match->value_len &&
             memcmp (str + len - match->value_len, match->value, match->value_len) == 0;
    case SEG_OP_CONTAINS:
      return memmem (str, len, match->value, match->value_len) != NULL;
    case SEG_OP_MATCHES:
      return g_regex_match_full (match->regex, str, len, 0, 0, NULL, NULL);
    default:
      return FALSE;
    }
}
