/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-definition"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "seg-definition.h"
#include "live/seg-live-trigger.h"

struct _SegDefinition
{
  gatomicrefcount  ref_count;
  int              version;
  SegSegmentKind   kind;
  SegRule         *match;
  char           **include;
  char           **exclude;
  char           **users;
  JsonNode        *trigger;      /* live: the normalised trigger */
  SegLiveTrigger  *live_trigger; /* live: the parsed trigger, for summaries */
};

G_DEFINE_BOXED_TYPE (SegDefinition, seg_definition, seg_definition_ref, seg_definition_unref)
G_DEFINE_QUARK (seg-definition-error-quark, seg_definition_error)

static const char *op_names[SEG_N_OPS] = {
  "equals", "not_equals", "contains", "not_contains", "starts_with", "ends_with", "matches",
  "is_empty", "exists", "not_exists",
  "eq", "ne", "gt", "ge", "lt", "le", "between", "not_between",
  "is_true", "is_false",
  "on", "before", "after", "date_between", "in_last", "more_than_days_ago", "days_from_today",
  "list_contains", "list_not_contains", "set_is",
};

static const char *unit_names[] = { "minutes", "hours", "days", "weeks", "months" };
static const char *window_names[] = {
  "ever", "last", "today", "yesterday", "days_ago", "between_days_ago", "between",
  "before", "after", "on", "since",
};
static const char *agg_names[] = { "count", "sum", "avg", "min", "max", "distinct" };
static const char *channel_names[] = { "email", "push", "sms", "whatsapp", "in-app" };

const char *
seg_op_to_string (SegOp op)
{
  if ((guint) op < SEG_N_OPS)
    return op_names[op];
  return "?";
}

gboolean
seg_op_from_string (const char *str,
                    SegOp      *op)
{
  for (guint i = 0; i < SEG_N_OPS; i++)
    if (g_strcmp0 (str, op_names[i]) == 0)
      {
        *op = (SegOp) i;
        return TRUE;
      }
  return FALSE;
}

const char *
seg_time_unit_to_string (SegTimeUnit unit)
{
  if ((guint) unit < G_N_ELEMENTS (unit_names))
    return unit_names[unit];
  return "?";
}

/**
 * seg_op_fits_type:
 * @op: an operator
 * @type: a property type
 *
 * Returns: whether @op can be applied to a property of @type
 */
gboolean
seg_op_fits_type (SegOp        op,
                  SegValueType type)
{
  if (op == SEG_OP_EXISTS || op == SEG_OP_NOT_EXISTS || type == SEG_VALUE_TYPE_NONE)
    return TRUE;
  switch (type)
    {
    case SEG_VALUE_TYPE_STRING:
      return op <= SEG_OP_IS_EMPTY;
    case SEG_VALUE_TYPE_NUMBER:
      return op >= SEG_OP_EQ && op <= SEG_OP_NOT_BETWEEN;
    case SEG_VALUE_TYPE_BOOLEAN:
      return op == SEG_OP_IS_TRUE || op == SEG_OP_IS_FALSE;
    case SEG_VALUE_TYPE_DATE:
      return op >= SEG_OP_ON && op <= SEG_OP_DAYS_FROM_TODAY;
    case SEG_VALUE_TYPE_LIST:
      return op >= SEG_OP_LIST_CONTAINS && op <= SEG_OP_SET_IS;
    case SEG_VALUE_TYPE_NONE:
    default:
      return TRUE;
    }
}

/* Freeing. */

static void
filter_free (gpointer data)
{
  SegFilter *f = data;

  if (f == NULL)
    return;
  g_free (f->property);
  g_strfreev (f->strings);
  g_free (f->dates[0]);
  g_free (f->dates[1]);
  g_free (f);
}

static void
window_clear (SegTimeWindow *w)
{
  g_clear_pointer (&w->dates[0], g_free);
  g_clear_pointer (&w->dates[1], g_free);
}

static void
rule_free (gpointer data)
{
  SegRule *r = data;

  if (r == NULL)
    return;
  g_clear_pointer (&r->children, g_ptr_array_unref);
  g_strfreev (r->events);
  g_clear_pointer (&r->where, g_ptr_array_unref);
  window_clear (&r->when);
  if (r->aggregate != NULL)
    {
      g_free (r->aggregate->property);
      g_free (r->aggregate);
    }
  filter_free (r->user);
  g_free (r->first.event);
  g_clear_pointer (&r->first.where, g_ptr_array_unref);
  g_free (r->then.event);
  g_clear_pointer (&r->then.where, g_ptr_array_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegFilter, filter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegRule, rule_free)

SegDefinition *
seg_definition_ref (SegDefinition *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
seg_definition_unref (SegDefinition *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  rule_free (self->match);
  g_strfreev (self->include);
  g_strfreev (self->exclude);
  g_strfreev (self->users);
  g_clear_pointer (&self->trigger, json_node_unref);
  g_clear_pointer (&self->live_trigger, seg_live_trigger_unref);
  g_free (self);
}

/* Parsing. Every error names the JSON path of the offending value. */

#define FAIL(path, ...) \
  G_STMT_START { \
    g_autofree char *_msg = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE, "%s: %s", (path), _msg); \
    return FALSE; \
  } G_STMT_END

static gboolean
check_keys (JsonObject  *obj,
            const char  *path,
            const char **allowed,
            GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        FAIL (path, _("unknown key “%s”"), (const char *) l->data);
    }
  return TRUE;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType t;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
get_number (JsonObject  *obj,
            const char  *key,
            const char  *path,
            gboolean     required,
            double      *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (obj, key);

  if (node == NULL)
    {
      if (required)
        FAIL (path, _("missing “%s”"), key);
      return TRUE;
    }
  if (!node_is_number (node))
    FAIL (path, _("“%s” must be a number"), key);
  *out = json_node_get_double (node);
  if (!isfinite (*out))
    FAIL (path, _("“%s” must be a finite number"), key);
  return TRUE;
}

static gboolean
get_count (JsonObject  *obj,
           const char  *key,
           const char  *path,
           gint64      *out,
           GError     **error)
{
  double d = 0;

  if (!get_number (obj, key, path, TRUE, &d, error))
    return FALSE;
  if (d < 0 || d != floor (d) || d > 1e9)
    FAIL (path, _("“%s” must be a whole number ≥ 0"), key);
  *out = (gint64) d;
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
        FAIL (path, _("missing “%s”"), key);
      return TRUE;
    }
  if (!node_is_string (node))
    FAIL (path, _("“%s” must be a string"), key);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/**
 * seg_parse_date_value:
 *
 * Checks that @str is "YYYY-MM-DD" or an ISO-8601 date-time with an offset.
 */
static gboolean
date_string_valid (const char *str)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;
  char tail;

  if (str == NULL)
    return FALSE;
  if (strlen (str) == 10 && sscanf (str, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
    return g_date_valid_dmy (d, m, y);
  dt = g_date_time_new_from_iso8601 (str, NULL);
  return dt != NULL;
}

static gboolean
get_date (JsonObject  *obj,
          const char  *key,
          const char  *path,
          char       **out,
          GError     **error)
{
  if (!get_string (obj, key, path, TRUE, out, error))
    return FALSE;
  if (!date_string_valid (*out))
    FAIL (path, _("“%s” is not a date (YYYY-MM-DD or ISO-8601): “%s”"), key, *out);
  return TRUE;
}

static gboolean
parse_unit (const char   *str,
            const char   *path,
            gboolean      allow_months,
            SegTimeUnit  *unit,
            GError      **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (unit_names); i++)
    if (g_strcmp0 (str, unit_names[i]) == 0 &&
        (allow_months || i != SEG_TIME_UNIT_MONTHS))
      {
        *unit = (SegTimeUnit) i;
        return TRUE;
      }
  FAIL (path, _("unknown unit “%s”"), str ? str : "");
}

static gboolean
parse_string_list (JsonNode    *node,
                   const char  *path,
                   char      ***out,
                   GError     **error)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    FAIL (path, _("must be a list of strings"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!node_is_string (item))
        FAIL (path, _("item %u must be a string"), i);
      g_strv_builder_add (b, json_node_get_string (item));
    }
  *out = g_strv_builder_end (b);
  return TRUE;
}

static gboolean
parse_window (JsonNode       *node,
              const char     *path,
              SegTimeWindow  *w,
              GError        **error)
{
  JsonObject *obj;
  g_autofree char *type = NULL;
  g_autofree char *unit = NULL;
  guint i;

  memset (w, 0, sizeof *w);
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    FAIL (path, _("a time window must be an object"));
  obj = json_node_get_object (node);
  if (!get_string (obj, "type", path, TRUE, &type, error))
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (window_names); i++)
    if (strcmp (type, window_names[i]) == 0)
      break;
  if (i == G_N_ELEMENTS (window_names))
    FAIL (path, _("unknown window type “%s”"), type);
  w->type = (SegWindowType) i;

  switch (w->type)
    {
    case SEG_WINDOW_EVER:
    case SEG_WINDOW_TODAY:
    case SEG_WINDOW_YESTERDAY:
      {
        const char *keys[] = { "type", NULL };
        return check_keys (obj, path, keys, error);
      }
    case SEG_WINDOW_LAST:
      {
        const char *keys[] = { "type", "n", "unit", NULL };
        if (!check_keys (obj, path, keys, error) ||
            !get_count (obj, "n", path, &w->n, error) ||
            !get_string (obj, "unit", path, TRUE, &unit, error) ||
            !parse_unit (unit, path, TRUE, &w->unit, error))
          return FALSE;
        if (w->n < 1)
          FAIL (path, _("“n” must be at least 1"));
        return TRUE;
      }
    case SEG_WINDOW_DAYS_AGO:
      {
        const char *keys[] = { "type", "n", NULL };
        return check_keys (obj, path, keys, error) &&
               get_count (obj, "n", path, &w->n, error);
      }
    case SEG_WINDOW_BETWEEN_DAYS_AGO:
      {
        const char *keys[] = { "type", "from", "to", NULL };
        if (!check_keys (obj, path, keys, error) ||
            !get_count (obj, "from", path, &w->from_days, error) ||
            !get_count (obj, "to", path, &w->to_days, error))
          return FALSE;
        if (w->from_days < w->to_days)
          FAIL (path, _("“from” (days ago) must be at least “to”"));
        return TRUE;
      }
    case SEG_WINDOW_BETWEEN:
      {
        const char *keys[] = { "type", "from", "to", NULL };
        if (!check_keys (obj, path, keys, error) ||
            !get_date (obj, "from", path, &w->dates[0], error) ||
            !get_date (obj, "to", path, &w->dates[1], error))
          return FALSE;
        return TRUE;
      }
    case SEG_WINDOW_BEFORE:
    case SEG_WINDOW_AFTER:
    case SEG_WINDOW_ON:
    case SEG_WINDOW_SINCE:
    default:
      {
        const char *keys[] = { "type", "date", NULL };
        return check_keys (obj, path, keys, error) &&
               get_date (obj, "date", path, &w->dates[0], error);
      }
    }
}

static gboolean
parse_filter (JsonNode    *node,
              const char  *path,
              SegFilter  **out,
              GError     **error)
{
  const char *keys[] = { "property", "op", "value", "unit", NULL };
  g_autoptr(SegFilter) f = NULL;
  JsonObject *obj;
  JsonNode *value;
  g_autofree char *op = NULL;
  g_autofree char *unit = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    FAIL (path, _("a filter must be an object"));
  obj = json_node_get_object (node);
  if (!check_keys (obj, path, keys, error))
    return FALSE;
  f = g_new0 (SegFilter, 1);
  if (!get_string (obj, "property", path, TRUE, &f->property, error) ||
      !get_string (obj, "op", path, TRUE, &op, error) ||
      !get_string (obj, "unit", path, FALSE, &unit, error))
    return FALSE;
  if (f->property[0] == '\0')
    FAIL (path, _("“property” must not be empty"));
  if (!seg_op_from_string (op, &f->op))
    FAIL (path, _("unknown operator “%s”"), op);
  if (unit != NULL && f->op != SEG_OP_IN_LAST)
    FAIL (path, _("“unit” is only allowed with “in_last”"));
  value = json_object_get_member (obj, "value");

  switch (f->op)
    {
    case SEG_OP_EXISTS:
    case SEG_OP_NOT_EXISTS:
    case SEG_OP_IS_EMPTY:
    case SEG_OP_IS_TRUE:
    case SEG_OP_IS_FALSE:
      if (value != NULL)
        FAIL (path, _("“%s” takes no value"), op);
      break;

    case SEG_OP_EQUALS:
    case SEG_OP_NOT_EQUALS:
      if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
        {
          if (!parse_string_list (value, path, &f->strings, error))
            return FALSE;
          if (f->strings[0] == NULL)
            FAIL (path, _("the list of values of “%s” is empty"), op);
          f->value_is_list = TRUE;
          break;
        }
      G_GNUC_FALLTHROUGH;
    case SEG_OP_CONTAINS:
    case SEG_OP_NOT_CONTAINS:
    case SEG_OP_STARTS_WITH:
    case SEG_OP_ENDS_WITH:
    case SEG_OP_MATCHES:
    case SEG_OP_LIST_CONTAINS:
    case SEG_OP_LIST_NOT_CONTAINS:
      if (!node_is_string (value))
        FAIL (path, _("“%s” needs a string “value”"), op);
      f->strings = g_new0 (char *, 2);
      f->strings[0] = g_strdup (json_node_get_string (value));
      if (f->op == SEG_OP_MATCHES)
        {
          g_autoptr(GError) rerror = NULL;
          g_autoptr(GRegex) re = g_regex_new (f->strings[0], 0, 0, &rerror);
          if (re == NULL)
            FAIL (path, _("invalid regular expression: %s"), rerror->message);
        }
      break;

    case SEG_OP_SET_IS:
      if (!parse_string_list (value, path, &f->strings, error))
        return FALSE;
      break;

    case SEG_OP_EQ:
    case SEG_OP_NE:
    case SEG_OP_GT:
    case SEG_OP_GE:
    case SEG_OP_LT:
    case SEG_OP_LE:
      if (!get_number (obj, "value", path, TRUE, &f->num[0], error))
        return FALSE;
      break;

    case SEG_OP_BETWEEN:
    case SEG_OP_NOT_BETWEEN:
      {
        JsonArray *a;
        if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value) ||
            json_array_get_length (a = json_node_get_array (value)) != 2 ||
            !node_is_number (json_array_get_element (a, 0)) ||
            !node_is_number (json_array_get_element (a, 1)))
          FAIL (path, _("“%s” needs a “value” of two numbers [low, high]"), op);
        f->num[0] = json_array_get_double_element (a, 0);
        f->num[1] = json_array_get_double_element (a, 1);
        if (f->num[0] > f->num[1])
          FAIL (path, _("“%s”: the low bound is above the high bound"), op);
      }
      break;

    case SEG_OP_ON:
    case SEG_OP_BEFORE:
    case SEG_OP_AFTER:
      if (!get_date (obj, "value", path, &f->dates[0], error))
        return FALSE;
      break;

    case SEG_OP_DATE_BETWEEN:
      {
        JsonArray *a;
        if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value) ||
            json_array_get_length (a = json_node_get_array (value)) != 2 ||
            !node_is_string (json_array_get_element (a, 0)) ||
            !node_is_string (json_array_get_element (a, 1)))
          FAIL (path, _("“date_between” needs a “value” of two dates [from, to]"));
        for (guint i = 0; i < 2; i++)
          {
            f->dates[i] = g_strdup (json_array_get_string_element (a, i));
            if (!date_string_valid (f->dates[i]))
              FAIL (path, _("not a date: “%s”"), f->dates[i]);
          }
      }
      break;

    case SEG_OP_IN_LAST:
      f->unit = SEG_TIME_UNIT_DAYS;
      if (unit != NULL && !parse_unit (unit, path, TRUE, &f->unit, error))
        return FALSE;
      G_GNUC_FALLTHROUGH;
    case SEG_OP_MORE_THAN_DAYS_AGO:
    case SEG_OP_DAYS_FROM_TODAY:
      {
        gint64 n = 0;
        if (!get_count (obj, "value", path, &n, error))
          return FALSE;
        f->num[0] = (double) n;
      }
      break;

    case SEG_N_OPS:
    default:
      g_assert_not_reached ();
    }

  *out = g_steal_pointer (&f);
  return TRUE;
}


static gboolean
parse_where (JsonObject  *obj,
             const char  *path,
             GPtrArray  **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (obj, "where");
  g_autoptr(GPtrArray) where = g_ptr_array_new_with_free_func (filter_free);

  if (node != NULL)
    {
      JsonArray *a;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        FAIL (path, _("“where” must be a list of filters"));
      a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          g_autofree char *p = g_strdup_printf ("%s.where[%u]", path, i);
          SegFilter *f = NULL;

          if (!parse_filter (json_array_get_element (a, i), p, &f, error))
            return FALSE;
          g_ptr_array_add (where, f);
        }
    }
  *out = g_steal_pointer (&where);
  return TRUE;
}

static gboolean
parse_event_name (JsonObject  *obj,
                  const char  *key,
                  const char  *path,
                  char       **out,
                  GError     **error)
{
  if (!get_string (obj, key, path, TRUE, out, error))
    return FALSE;
  if ((*out)[0] == '\0')
    FAIL (path, _("“%s” needs an event name"), key);
  return TRUE;
}

static gboolean parse_group_or_rule (JsonNode    *node,
                                     const char  *path,
                                     SegRule    **out,
                                     GError     **error);

static gboolean
parse_aggregate (JsonNode      *node,
                 const char    *path,
                 SegAggregate **out,
                 GError       **error)
{
  const char *keys[] = { "fn", "property", "op", "value", "include_non_doers", NULL };
  g_autofree char *fn = NULL;
  g_autofree char *op = NULL;
  JsonObject *obj;
  JsonNode *value, *ind;
  SegAggregate *agg;
  guint i;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    FAIL (path, _("“aggregate” must be an object"));
  obj = json_node_get_object (node);
  if (!check_keys (obj, path, keys, error) ||
      !get_string (obj, "fn", path, TRUE, &fn, error) ||
      !get_string (obj, "op", path, TRUE, &op, error))
    return FALSE;
  agg = g_new0 (SegAggregate, 1);
  *out = agg;
  for (i = 0; i < G_N_ELEMENTS (agg_names); i++)
    if (strcmp (fn, agg_names[i]) == 0)
      break;
  if (i == G_N_ELEMENTS (agg_names))
    FAIL (path, _("unknown aggregate function “%s”"), fn);
  agg->fn = (SegAggFn) i;
  if (!get_string (obj, "property", path, agg->fn != SEG_AGG_COUNT, &agg->property, error))
    return FALSE;
  if (agg->fn == SEG_AGG_COUNT && agg->property != NULL)
    FAIL (path, _("“count” takes no “property”"));
  if (!seg_op_from_string (op, &agg->op) || agg->op < SEG_OP_EQ || agg->op > SEG_OP_NOT_BETWEEN)
    FAIL (path, _("“%s” is not a comparison (eq, ne, gt, ge, lt, le, between, not_between)"), op);
  value = json_object_get_member (obj, "value");
  if (agg->op == SEG_OP_BETWEEN || agg->op == SEG_OP_NOT_BETWEEN)
    {
      JsonArray *a;
      if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value) ||
          json_array_get_length (a = json_node_get_array (value)) != 2 ||
          !node_is_number (json_array_get_element (a, 0)) ||
          !node_is_number (json_array_get_element (a, 1)))
        FAIL (path, _("“%s” needs a “value” of two numbers [low, high]"), op);
      agg->value[0] = json_array_get_double_element (a, 0);
      agg->value[1] = json_array_get_double_element (a, 1);
      if (agg->value[0] > agg->value[1])
        FAIL (path, _("“%s”: the low bound is above the high bound"), op);
    }
  else if (!get_number (obj, "value", path, TRUE, &agg->value[0], error))
    return FALSE;
  ind = json_object_get_member (obj, "include_non_doers");
  if (ind != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (ind) || json_node_get_value_type (ind) != G_TYPE_BOOLEAN)
        FAIL (path, _("“include_non_doers” must be true or false"));
      agg->include_non_doers = json_node_get_boolean (ind);
    }
  return TRUE;
}

static gboolean
parse_step (JsonObject       *seq,
            const char       *key,
            const char       *path,
            SegSequenceStep  *step,
            GError          **error)
{
  const char *keys[] = { "event", "where", NULL };
  g_autofree char *p = g_strdup_printf ("%s.%s", path, key);
  JsonNode *node = json_object_get_member (seq, key);
  JsonObject *obj;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    FAIL (path, _("“%s” must be an object {\"event\": …}"), key);
  obj = json_node_get_object (node);
  return check_keys (obj, p, keys, error) &&
         parse_event_name (obj, "event", p, &step->event, error) &&
         parse_where (obj, p, &step->where, error);
}

static gboolean
parse_rule (JsonObject  *obj,
            const char  *path,
            SegRule    **out,
            GError     **error)
{
  static const char *discriminators[] = {
    "did", "did_not", "did_any", "user", "near", "reachable", "sequence", NULL
  };
  g_autoptr(SegRule) r = g_new0 (SegRule, 1);
  const char *which = NULL;
  JsonNode *node;

  for (guint i = 0; discriminators[i] != NULL; i++)
    if (json_object_has_member (obj, discriminators[i]))
      {
        if (which != NULL)
          FAIL (path, _("a rule has exactly one of did, did_not, did_any, user, near, "
                        "reachable, sequence; found “%s” and “%s”"), which, discriminators[i]);
        which = discriminators[i];
      }
  if (which == NULL)
    FAIL (path, _("not a rule: expected one of all, any, did, did_not, did_any, user, near, "
                  "reachable, sequence"));
  node = json_object_get_member (obj, which);

  if (g_str_equal (which, "did") || g_str_equal (which, "did_not") ||
      g_str_equal (which, "did_any"))
    {
      const char *did_keys[] = { "did", "where", "when", "occurrence", "aggregate", NULL };
      const char *not_keys[] = { "did_not", "where", "when", NULL };
      const char *any_keys[] = { "did_any", "where", "when", NULL };
      g_autofree char *wpath = g_strdup_printf ("%s.when", path);

      if (which[3] == '\0')
        r->kind = SEG_RULE_DID;
      else if (which[4] == 'n')
        r->kind = SEG_RULE_DID_NOT;
      else
        r->kind = SEG_RULE_DID_ANY;
      if (!check_keys (obj, path, r->kind == SEG_RULE_DID ? did_keys :
                       r->kind == SEG_RULE_DID_NOT ? not_keys : any_keys, error))
        return FALSE;
      if (r->kind == SEG_RULE_DID_ANY)
        {
          g_autofree char *p = g_strdup_printf ("%s.did_any", path);
          if (!parse_string_list (node, p, &r->events, error))
            return FALSE;
          if (r->events[0] == NULL)
            FAIL (p, _("“did_any” needs at least one event"));
          for (guint i = 0; r->events[i] != NULL; i++)
            if (r->events[i][0] == '\0')
              FAIL (p, _("event names must not be empty"));
        }
      else
        {
          r->events = g_new0 (char *, 2);
          if (!parse_event_name (obj, which, path, &r->events[0], error))
            return FALSE;
        }
      if (!parse_where (obj, path, &r->where, error) ||
          !parse_window (json_object_get_member (obj, "when"), wpath, &r->when, error))
        return FALSE;
      if (json_object_has_member (obj, "occurrence"))
        {
          g_autofree char *occ = NULL;
          if (!get_string (obj, "occurrence", path, TRUE, &occ, error))
            return FALSE;
          if (g_str_equal (occ, "first"))
            r->occurrence = SEG_OCCURRENCE_FIRST;
          else if (g_str_equal (occ, "last"))
            r->occurrence = SEG_OCCURRENCE_LAST;
          else
            FAIL (path, _("“occurrence” must be “first” or “last”, not “%s”"), occ);
        }
      if (json_object_has_member (obj, "aggregate"))
        {
          g_autofree char *apath = g_strdup_printf ("%s.aggregate", path);
          if (r->occurrence != SEG_OCCURRENCE_ANY)
            FAIL (path, _("“occurrence” and “aggregate” cannot be combined"));
          if (!parse_aggregate (json_object_get_member (obj, "aggregate"), apath,
                                &r->aggregate, error))
            return FALSE;
        }
    }
  else if (g_str_equal (which, "user"))
    {
      const char *keys[] = { "user", NULL };
      g_autofree char *p = g_strdup_printf ("%s.user", path);

      r->kind = SEG_RULE_USER;
      r->where = g_ptr_array_new_with_free_func (filter_free);
      if (!check_keys (obj, path, keys, error) || !parse_filter (node, p, &r->user, error))
        return FALSE;
    }
  else if (g_str_equal (which, "near"))
    {
      const char *keys[] = { "near", NULL };
      const char *nkeys[] = { "lat", "lon", "km", NULL };
      g_autofree char *p = g_strdup_printf ("%s.near", path);
      JsonObject *n;

      r->kind = SEG_RULE_NEAR;
      r->where = g_ptr_array_new_with_free_func (filter_free);
      if (!check_keys (obj, path, keys, error))
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        FAIL (p, _("must be an object {\"lat\", \"lon\", \"km\"}"));
      n = json_node_get_object (node);
      if (!check_keys (n, p, nkeys, error) ||
          !get_number (n, "lat", p, TRUE, &r->lat, error) ||
          !get_number (n, "lon", p, TRUE, &r->lon, error) ||
          !get_number (n, "km", p, TRUE, &r->km, error))
        return FALSE;
      if (r->lat < -90 || r->lat > 90 || r->lon < -180 || r->lon > 180)
        FAIL (p, _("latitude must be within ±90 and longitude within ±180"));
      if (r->km <= 0)
        FAIL (p, _("“km” must be above 0"));
    }
  else if (g_str_equal (which, "reachable"))
    {
      const char *keys[] = { "reachable", NULL };
      const char *ch;
      guint i;

      r->kind = SEG_RULE_REACHABLE;
      r->where = g_ptr_array_new_with_free_func (filter_free);
      if (!check_keys (obj, path, keys, error))
        return FALSE;
      ch = node_is_string (node) ? json_node_get_string (node) : "";
      for (i = 0; i < G_N_ELEMENTS (channel_names); i++)
        if (strcmp (ch, channel_names[i]) == 0)
          break;
      if (i == G_N_ELEMENTS (channel_names))
        FAIL (path, _("“reachable” must be one of email, push, sms, whatsapp, in-app"));
      r->channel = (SegChannel) i;
    }
  else
    {
      const char *keys[] = { "sequence", "when", NULL };
      const char *skeys[] = { "first", "then", "within", "negate", NULL };
      const char *wkeys[] = { "n", "unit", NULL };
      g_autofree char *p = g_strdup_printf ("%s.sequence", path);
      g_autofree char *wp = g_strdup_printf ("%s.sequence.within", path);
      g_autofree char *whenp = g_strdup_printf ("%s.when", path);
      g_autofree char *unit = NULL;
      JsonObject *s, *w;
      JsonNode *within, *negate;

      r->kind = SEG_RULE_SEQUENCE;
      r->where = g_ptr_array_new_with_free_func (filter_free);
      if (!check_keys (obj, path, keys, error))
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        FAIL (p, _("must be an object"));
      s = json_node_get_object (node);
      if (!check_keys (s, p, skeys, error) ||
          !parse_step (s, "first", p, &r->first, error) ||
          !parse_step (s, "then", p, &r->then, error))
        return FALSE;
      within = json_object_get_member (s, "within");
      if (within == NULL || !JSON_NODE_HOLDS_OBJECT (within))
        FAIL (p, _("“within” must be an object {\"n\", \"unit\"}"));
      w = json_node_get_object (within);
      if (!check_keys (w, wp, wkeys, error) ||
          !get_count (w, "n", wp, &r->within_n, error) ||
          !get_string (w, "unit", wp, TRUE, &unit, error) ||
          !parse_unit (unit, wp, FALSE, &r->within_unit, error))
        return FALSE;
      if (r->within_n < 1)
        FAIL (wp, _("“n” must be at least 1"));
      negate = json_object_get_member (s, "negate");
      if (negate != NULL)
        {
          if (!JSON_NODE_HOLDS_VALUE (negate) ||
              json_node_get_value_type (negate) != G_TYPE_BOOLEAN)
            FAIL (p, _("“negate” must be true or false"));
          r->negate = json_node_get_boolean (negate);
        }
      if (!parse_window (json_object_get_member (obj, "when"), whenp, &r->when, error))
        return FALSE;
    }

  *out = g_steal_pointer (&r);
  return TRUE;
}

static gboolean
parse_group_or_rule (JsonNode    *node,
                     const char  *path,
                     SegRule    **out,
                     GError     **error)
{
  JsonObject *obj;
  JsonNode *list;
  gboolean any;
  JsonArray *a;
  g_autoptr(SegRule) g = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    FAIL (path, _("expected a rule or a group object"));
  obj = json_node_get_object (node);
  if (!json_object_has_member (obj, "all") && !json_object_has_member (obj, "any"))
    return parse_rule (obj, path, out, error);
  if (json_object_get_size (obj) != 1)
    FAIL (path, _("a group has exactly one key, “all” or “any”"));
  any = json_object_has_member (obj, "any");
  list = json_object_get_member (obj, any ? "any" : "all");
  if (!JSON_NODE_HOLDS_ARRAY (list))
    FAIL (path, _("“%s” must be a list"), any ? "any" : "all");
  a = json_node_get_array (list);
  if (json_array_get_length (a) == 0)
    FAIL (path, _("“%s” needs at least one rule"), any ? "any" : "all");

  g = g_new0 (SegRule, 1);
  g->kind = SEG_RULE_GROUP;
  g->any = any;
  g->children = g_ptr_array_new_with_free_func (rule_free);
  g->where = g_ptr_array_new_with_free_func (filter_free);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *p = g_strdup_printf ("%s.%s[%u]", path, any ? "any" : "all", i);
      SegRule *child = NULL;

      if (!parse_group_or_rule (json_array_get_element (a, i), p, &child, error))
        return FALSE;
      g_ptr_array_add (g->children, child);
    }
  *out = g_steal_pointer (&g);
  return TRUE;
}

/**
 * seg_rule_is_negation:
 *
 * Only "did_not" is a negation. A negated sequence ("did A and then not B within T") is
 * a positive rule: every member did A, so it can stand alone (benchmark query Q7).
 */
gboolean
seg_rule_is_negation (const SegRule *rule)
{
  return rule->kind == SEG_RULE_DID_NOT;
}

/* A rule that can only subtract users ("did not", "A without B") needs something to
 * subtract from: it must sit in an AND group next to at least one positive rule. */
static gboolean
check_negations (const SegRule  *group,
                 const char     *path,
                 GError        **error)
{
  gboolean has_positive = FALSE;

  for (guint i = 0; i < group->children->len; i++)
    {
      const SegRule *c = g_ptr_array_index (group->children, i);
      if (!seg_rule_is_negation (c))
        has_positive = TRUE;
    }
  for (guint i = 0; i < group->children->len; i++)
    {
      const SegRule *c = g_ptr_array_index (group->children, i);
      g_autofree char *p = g_strdup_printf ("%s.%s[%u]", path, group->any ? "any" : "all", i);

      if (c->kind == SEG_RULE_GROUP)
        {
          if (!check_negations (c, p, error))
            return FALSE;
        }
      else if (seg_rule_is_negation (c) && (group->any || !has_positive))
        {
          g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_NEGATION,
                       _("%s: a “did not” rule must be combined with AND (“all”) with at least "
                         "one rule users did do; on its own it would match everyone"), p);
          return FALSE;
        }
    }
  return TRUE;
}

static SegDefinition *
parse_definition (JsonNode  *root,
                  GError   **error)
{
  const char *keys[] = { "version", "kind", "match", "trigger", "include", "exclude", "users",
                         "name", "description", NULL };
  g_autoptr(SegDefinition) def = g_new0 (SegDefinition, 1);
  g_autofree char *kind = NULL;
  JsonObject *obj;
  double version = SEG_DEFINITION_VERSION;

  g_atomic_ref_count_init (&def->ref_count);
  def->kind = SEG_SEGMENT_KIND_PAST_BEHAVIOR;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE,
                   _("a segment definition must be a JSON object"));
      return NULL;
    }
  obj = json_node_get_object (root);
  if (!check_keys (obj, "$", keys, error) ||
      !get_number (obj, "version", "$", FALSE, &version, error) ||
      !get_string (obj, "kind", "$", FALSE, &kind, error))
    return NULL;
  if (version > SEG_DEFINITION_VERSION)
    {
      g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_VERSION,
                   _("$.version: format version %g is newer than this program understands (%d)"),
                   version, SEG_DEFINITION_VERSION);
      return NULL;
    }
  if (version < 1 || version != floor (version))
    {
      g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE,
                   _("$.version: must be 1"));
      return NULL;
    }
  def->version = (int) version;
  if (kind != NULL &&
      (!seg_segment_kind_from_string (kind, &def->kind) || def->kind == SEG_SEGMENT_KIND_SYSTEM))
    {
      g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE,
                   _("$.kind: must be “past-behavior”, “live” or “custom-list”, not “%s”"), kind);
      return NULL;
    }
  if (json_object_has_member (obj, "include") &&
      !parse_string_list (json_object_get_member (obj, "include"), "$.include", &def->include, error))
    return NULL;
  if (json_object_has_member (obj, "exclude") &&
      !parse_string_list (json_object_get_member (obj, "exclude"), "$.exclude", &def->exclude, error))
    return NULL;
  if (json_object_has_member (obj, "users"))
    {
      if (def->kind != SEG_SEGMENT_KIND_CUSTOM_LIST)
        {
          g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE,
                       _("$.users: only a “custom-list” segment lists its users"));
          return NULL;
        }
      if (!parse_string_list (json_object_get_member (obj, "users"), "$.users", &def->users, error))
        return NULL;
    }
  else if (def->kind == SEG_SEGMENT_KIND_CUSTOM_LIST)
    {
      g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE,
                   _("$.users: a “custom-list” segment needs the list of its user ids"));
      return NULL;
    }

  if (json_object_has_member (obj, "trigger") && def->kind != SEG_SEGMENT_KIND_LIVE)
    {
      g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE,
                   _("$.trigger: only a “live” segment has a trigger"));
      return NULL;
    }
  if (def->kind == SEG_SEGMENT_KIND_LIVE)
    {
      g_autoptr(GError) local_error = NULL;
      const char *not_live[] = { "match", "include", "exclude", NULL };

      /* A live segment's past-behavior conditions live in its trigger's "filter". */
      for (guint i = 0; not_live[i] != NULL; i++)
        if (json_object_has_member (obj, not_live[i]))
          {
            g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE,
                         _("$.%s: a “live” segment has a “trigger” instead (past behavior goes in the trigger’s “filter”)"),
                         not_live[i]);
            return NULL;
          }
      if (!json_object_has_member (obj, "trigger"))
        {
          g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE,
                       _("$: missing “trigger” (what users must do to join the live segment)"));
          return NULL;
        }
      def->live_trigger = seg_live_trigger_new_from_node (json_object_get_member (obj, "trigger"),
                                                          &local_error);
      if (def->live_trigger == NULL)
        {
          /* The trigger's errors name their path ($.trigger…) already. */
          g_set_error_literal (error, SEG_DEFINITION_ERROR,
                               local_error->domain == SEG_DEFINITION_ERROR ? local_error->code
                                                                          : SEG_DEFINITION_ERROR_PARSE,
                               local_error->message);
          return NULL;
        }
      def->trigger = seg_live_trigger_to_node (def->live_trigger);
      return g_steal_pointer (&def);
    }

  if (json_object_has_member (obj, "match"))
    {
      if (!parse_group_or_rule (json_object_get_member (obj, "match"), "$.match", &def->match, error))
        return NULL;
      if (def->match->kind != SEG_RULE_GROUP)
        {
          /* A lone rule is an AND group of one, so that the negation rule applies. */
          SegRule *g = g_new0 (SegRule, 1);
          g->kind = SEG_RULE_GROUP;
          g->children = g_ptr_array_new_with_free_func (rule_free);
          g->where = g_ptr_array_new_with_free_func (filter_free);
          g_ptr_array_add (g->children, def->match);
          def->match = g;
        }
      if (!check_negations (def->match, "$.match", error))
        return NULL;
    }
  else if (def->kind != SEG_SEGMENT_KIND_CUSTOM_LIST && def->include == NULL)
    {
      g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE,
                   _("$: missing “match” (the rules users must match)"));
      return NULL;
    }
  return g_steal_pointer (&def);
}

/**
 * seg_definition_new_from_node:
 * @node: the JSON root
 * @error: return location for an error naming the offending JSON path
 *
 * Returns: (transfer full): a definition, or %NULL with @error set
 */
SegDefinition *
seg_definition_new_from_node (JsonNode  *node,
                              GError   **error)
{
  return parse_definition (node, error);
}

/**
 * seg_definition_new_from_json:
 * @json: JSON text
 * @length: its length, or -1 if NUL-terminated
 * @error: return location for an error
 *
 * Returns: (transfer full): a definition, or %NULL with @error set
 */
SegDefinition *
seg_definition_new_from_json (const char  *json,
                              gssize       length,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;

  if (!json_parser_load_from_data (parser, json, length, &local))
    {
      g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_PARSE,
                   _("not valid JSON: %s"), local->message);
      return NULL;
    }
  return parse_definition (json_parser_get_root (parser), error);
}

SegDefinition *
seg_definition_new_from_file (const char  *path,
                              GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) local = NULL;
  SegDefinition *def;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  def = seg_definition_new_from_json (contents, (gssize) len, &local);
  if (def == NULL)
    g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
  return def;
}

/* Serializing. */

static void
add_number (JsonBuilder *b,
            double       v)
{
  if (v == floor (v) && fabs (v) < 9e15)
    json_builder_add_int_value (b, (gint64) v);
  else
    json_builder_add_double_value (b, v);
}

static void
add_strv (JsonBuilder *b,
          char       **strv)
{
  json_builder_begin_array (b);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (b, strv[i]);
  json_builder_end_array (b);
}

static void
build_filter (JsonBuilder     *b,
              const SegFilter *f)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "property");
  json_builder_add_string_value (b, f->property);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, seg_op_to_string (f->op));
  switch (f->op)
    {
    case SEG_OP_EQUALS:
    case SEG_OP_NOT_EQUALS:
      json_builder_set_member_name (b, "value");
      if (f->value_is_list)
        add_strv (b, f->strings);
      else
        json_builder_add_string_value (b, f->strings[0]);
      break;
    case SEG_OP_CONTAINS:
    case SEG_OP_NOT_CONTAINS:
    case SEG_OP_STARTS_WITH:
    case SEG_OP_ENDS_WITH:
    case SEG_OP_MATCHES:
    case SEG_OP_LIST_CONTAINS:
    case SEG_OP_LIST_NOT_CONTAINS:
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, f->strings[0]);
      break;
    case SEG_OP_SET_IS:
      json_builder_set_member_name (b, "value");
      add_strv (b, f->strings);
      break;
    case SEG_OP_EQ:
    case SEG_OP_NE:
    case SEG_OP_GT:
    case SEG_OP_GE:
    case SEG_OP_LT:
    case SEG_OP_LE:
    case SEG_OP_MORE_THAN_DAYS_AGO:
    case SEG_OP_DAYS_FROM_TODAY:
      json_builder_set_member_name (b, "value");
      add_number (b, f->num[0]);
      break;
    case SEG_OP_IN_LAST:
      json_builder_set_member_name (b, "value");
      add_number (b, f->num[0]);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, seg_time_unit_to_string (f->unit));
      break;
    case SEG_OP_BETWEEN:
    case SEG_OP_NOT_BETWEEN:
      json_builder_set_member_name (b, "value");
      json_builder_begin_array (b);
      add_number (b, f->num[0]);
      add_number (b, f->num[1]);
      json_builder_end_array (b);
      break;
    case SEG_OP_ON:
    case SEG_OP_BEFORE:
    case SEG_OP_AFTER:
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, f->dates[0]);
      break;
    case SEG_OP_DATE_BETWEEN:
      json_builder_set_member_name (b, "value");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, f->dates[0]);
      json_builder_add_string_value (b, f->dates[1]);
      json_builder_end_array (b);
      break;
    case SEG_OP_EXISTS:
    case SEG_OP_NOT_EXISTS:
    case SEG_OP_IS_EMPTY:
    case SEG_OP_IS_TRUE:
    case SEG_OP_IS_FALSE:
    case SEG_N_OPS:
    default:
      break;
    }
  json_builder_end_object (b);
}

static void
build_where (JsonBuilder *b,
             GPtrArray   *where)
{
  if (where == NULL || where->len == 0)
    return;
  json_builder_set_member_name (b, "where");
  json_builder_begin_array (b);
  for (guint i = 0; i < where->len; i++)
    build_filter (b, g_ptr_array_index (where, i));
  json_builder_end_array (b);
}

static void
build_window (JsonBuilder         *b,
              const SegTimeWindow *w)
{
  if (w->type == SEG_WINDOW_EVER)
    return;
  json_builder_set_member_name (b, "when");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, window_names[w->type]);
  switch (w->type)
    {
    case SEG_WINDOW_LAST:
      json_builder_set_member_name (b, "n");
      json_builder_add_int_value (b, w->n);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, seg_time_unit_to_string (w->unit));
      break;
    case SEG_WINDOW_DAYS_AGO:
      json_builder_set_member_name (b, "n");
      json_builder_add_int_value (b, w->n);
      break;
    case SEG_WINDOW_BETWEEN_DAYS_AGO:
      json_builder_set_member_name (b, "from");
      json_builder_add_int_value (b, w->from_days);
      json_builder_set_member_name (b, "to");
      json_builder_add_int_value (b, w->to_days);
      break;
    case SEG_WINDOW_BETWEEN:
      json_builder_set_member_name (b, "from");
      json_builder_add_string_value (b, w->dates[0]);
      json_builder_set_member_name (b, "to");
      json_builder_add_string_value (b, w->dates[1]);
      break;
    case SEG_WINDOW_BEFORE:
    case SEG_WINDOW_AFTER:
    case SEG_WINDOW_ON:
    case SEG_WINDOW_SINCE:
      json_builder_set_member_name (b, "date");
      json_builder_add_string_value (b, w->dates[0]);
      break;
    case SEG_WINDOW_EVER:
    case SEG_WINDOW_TODAY:
    case SEG_WINDOW_YESTERDAY:
    default:
      break;
    }
  json_builder_end_object (b);
}

static void
build_step (JsonBuilder           *b,
            const char            *key,
            const SegSequenceStep *s)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, s->event);
  build_where (b, s->where);
  json_builder_end_object (b);
}

static void
build_rule (JsonBuilder   *b,
            const SegRule *r)
{
  json_builder_begin_object (b);
  switch (r->kind)
    {
    case SEG_RULE_GROUP:
      json_builder_set_member_name (b, r->any ? "any" : "all");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->children->len; i++)
        build_rule (b, g_ptr_array_index (r->children, i));
      json_builder_end_array (b);
      break;
    case SEG_RULE_DID:
    case SEG_RULE_DID_NOT:
      json_builder_set_member_name (b, r->kind == SEG_RULE_DID ? "did" : "did_not");
      json_builder_add_string_value (b, r->events[0]);
      build_where (b, r->where);
      build_window (b, &r->when);
      if (r->occurrence != SEG_OCCURRENCE_ANY)
        {
          json_builder_set_member_name (b, "occurrence");
          json_builder_add_string_value (b, r->occurrence == SEG_OCCURRENCE_FIRST ? "first" : "last");
        }
      if (r->aggregate != NULL)
        {
          const SegAggregate *a = r->aggregate;
          json_builder_set_member_name (b, "aggregate");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "fn");
          json_builder_add_string_value (b, agg_names[a->fn]);
          if (a->property != NULL)
            {
              json_builder_set_member_name (b, "property");
              json_builder_add_string_value (b, a->property);
            }
          json_builder_set_member_name (b, "op");
          json_builder_add_string_value (b, seg_op_to_string (a->op));
          json_builder_set_member_name (b, "value");
          if (a->op == SEG_OP_BETWEEN || a->op == SEG_OP_NOT_BETWEEN)
            {
              json_builder_begin_array (b);
              add_number (b, a->value[0]);
              add_number (b, a->value[1]);
              json_builder_end_array (b);
            }
          else
            add_number (b, a->value[0]);
          if (a->include_non_doers)
            {
              json_builder_set_member_name (b, "include_non_doers");
              json_builder_add_boolean_value (b, TRUE);
            }
          json_builder_end_object (b);
        }
      break;
    case SEG_RULE_DID_ANY:
      json_builder_set_member_name (b, "did_any");
      add_strv (b, r->events);
      build_where (b, r->where);
      build_window (b, &r->when);
      break;
    case SEG_RULE_USER:
      json_builder_set_member_name (b, "user");
      build_filter (b, r->user);
      break;
    case SEG_RULE_NEAR:
      json_builder_set_member_name (b, "near");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "lat");
      add_number (b, r->lat);
      json_builder_set_member_name (b, "lon");
      add_number (b, r->lon);
      json_builder_set_member_name (b, "km");
      add_number (b, r->km);
      json_builder_end_object (b);
      break;
    case SEG_RULE_REACHABLE:
      json_builder_set_member_name (b, "reachable");
      json_builder_add_string_value (b, channel_names[r->channel]);
      break;
    case SEG_RULE_SEQUENCE:
    default:
      json_builder_set_member_name (b, "sequence");
      json_builder_begin_object (b);
      build_step (b, "first", &r->first);
      build_step (b, "then", &r->then);
      json_builder_set_member_name (b, "within");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "n");
      json_builder_add_int_value (b, r->within_n);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, seg_time_unit_to_string (r->within_unit));
      json_builder_end_object (b);
      json_builder_set_member_name (b, "negate");
      json_builder_add_boolean_value (b, r->negate);
      json_builder_end_object (b);
      build_window (b, &r->when);
      break;
    }
  json_builder_end_object (b);
}

/**
 * seg_definition_to_node:
 *
 * Returns: (transfer full): the definition as JSON, in the canonical form
 */
JsonNode *
seg_definition_to_node (SegDefinition *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, SEG_DEFINITION_VERSION);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, seg_segment_kind_to_string (self->kind));
  if (self->match != NULL)
    {
      json_builder_set_member_name (b, "match");
      build_rule (b, self->match);
    }
  if (self->trigger != NULL)
    {
      json_builder_set_member_name (b, "trigger");
      json_builder_add_value (b, json_node_copy (self->trigger));
    }
  if (self->include != NULL)
    {
      json_builder_set_member_name (b, "include");
      add_strv (b, self->include);
    }
  if (self->exclude != NULL)
    {
      json_builder_set_member_name (b, "exclude");
      add_strv (b, self->exclude);
    }
  if (self->users != NULL)
    {
      json_builder_set_member_name (b, "users");
      add_strv (b, self->users);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
seg_definition_to_json (SegDefinition *self,
                        gboolean       pretty)
{
  g_autoptr(JsonNode) node = seg_definition_to_node (self);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, pretty);
  return json_generator_to_data (gen, NULL);
}

gboolean
seg_definition_equal (SegDefinition *a,
                      SegDefinition *b)
{
  g_autofree char *ja = seg_definition_to_json (a, FALSE);
  g_autofree char *jb = seg_definition_to_json (b, FALSE);

  return g_strcmp0 (ja, jb) == 0;
}

SegSegmentKind
seg_definition_get_kind (SegDefinition *self)
{
  return self->kind;
}

/**
 * seg_definition_get_trigger:
 *
 * Returns: (transfer none) (nullable): a live definition's trigger
 *   (docs/live-segments.md), normalised; %NULL for other kinds
 */
JsonNode *
seg_definition_get_trigger (SegDefinition *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->trigger;
}

/**
 * seg_definition_get_match:
 *
 * Returns: (transfer none) (nullable): the root group (always a group when present)
 */
const SegRule *
seg_definition_get_match (SegDefinition *self)
{
  return self->match;
}

/**
 * seg_definition_get_daily_did:
 *
 * A definition that is only "did E [where] today": each day's members are that day's
 * distinct doers, which a store counts for every day of a trend in one pass.
 *
 * Returns: (transfer none) (nullable): that one rule, or %NULL for any other definition
 */
const SegRule *
seg_definition_get_daily_did (SegDefinition *self)
{
  const SegRule *m = seg_definition_get_match (self);
  const SegRule *r;

  if (m == NULL || seg_definition_get_include (self) != NULL ||
      seg_definition_get_exclude (self) != NULL || seg_definition_get_users (self) != NULL ||
      m->children->len != 1)
    return NULL;
  r = g_ptr_array_index (m->children, 0);
  if (r->kind != SEG_RULE_DID || r->aggregate != NULL ||
      r->occurrence != SEG_OCCURRENCE_ANY || r->when.type != SEG_WINDOW_TODAY)
    return NULL;
  return r;
}

const char * const *
seg_definition_get_include (SegDefinition *self)
{
  return (const char * const *) self->include;
}

const char * const *
seg_definition_get_exclude (SegDefinition *self)
{
  return (const char * const *) self->exclude;
}

const char * const *
seg_definition_get_users (SegDefinition *self)
{
  return (const char * const *) self->users;
}

/* Validation against the store: property types and saved segments. */

static gboolean
check_filter_type (const SegFilter     *f,
                   const char          *event,
                   SegPropertyTypeFunc  property_type,
                   gpointer             user_data,
                   GError             **error)
{
  SegValueType t;

  if (property_type == NULL)
    return TRUE;
  t = property_type (event, f->property, user_data);
  if (!seg_op_fits_type (f->op, t))
    {
      if (event != NULL)
        g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_TYPE,
                     _("“%s” cannot be used on %s.%s, which is a %s"),
                     seg_op_to_string (f->op), event, f->property, seg_value_type_to_string (t));
      else
        g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_TYPE,
                     _("“%s” cannot be used on the user property %s, which is a %s"),
                     seg_op_to_string (f->op), f->property, seg_value_type_to_string (t));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_where_types (GPtrArray           *where,
                   const char          *event,
                   SegPropertyTypeFunc  property_type,
                   gpointer             user_data,
                   GError             **error)
{
  for (guint i = 0; where != NULL && i < where->len; i++)
    if (!check_filter_type (g_ptr_array_index (where, i), event, property_type, user_data, error))
      return FALSE;
  return TRUE;
}

static gboolean
check_types (const SegRule       *r,
             SegPropertyTypeFunc  property_type,
             gpointer             user_data,
             GError             **error)
{
  switch (r->kind)
    {
    case SEG_RULE_GROUP:
      for (guint i = 0; i < r->children->len; i++)
        if (!check_types (g_ptr_array_index (r->children, i), property_type, user_data, error))
          return FALSE;
      return TRUE;
    case SEG_RULE_DID:
    case SEG_RULE_DID_NOT:
    case SEG_RULE_DID_ANY:
      for (guint i = 0; r->events[i] != NULL; i++)
        if (!check_where_types (r->where, r->events[i], property_type, user_data, error))
          return FALSE;
      if (r->aggregate != NULL && r->aggregate->property != NULL &&
          r->aggregate->fn != SEG_AGG_DISTINCT)
        {
          SegValueType t = property_type (r->events[0], r->aggregate->property, user_data);
          if (t != SEG_VALUE_TYPE_NONE && t != SEG_VALUE_TYPE_NUMBER)
            {
              g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_TYPE,
                           _("cannot compute the %s of %s.%s, which is a %s"),
                           agg_names[r->aggregate->fn], r->events[0], r->aggregate->property,
                           seg_value_type_to_string (t));
              return FALSE;
            }
        }
      return TRUE;
    case SEG_RULE_USER:
      return check_filter_type (r->user, NULL, property_type, user_data, error);
    case SEG_RULE_SEQUENCE:
      return check_where_types (r->first.where, r->first.event, property_type, user_data, error) &&
             check_where_types (r->then.where, r->then.event, property_type, user_data, error);
    case SEG_RULE_NEAR:
    case SEG_RULE_REACHABLE:
    default:
      return TRUE;
    }
}

static gboolean
check_refs (SegDefinition            *def,
            GPtrArray                *stack,
            SegDefinitionResolveFunc  resolve,
            gpointer                  user_data,
            GError                  **error)
{
  const char * const *lists[2] = { seg_definition_get_include (def), seg_definition_get_exclude (def) };

  for (guint l = 0; l < 2; l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      {
        const char *id = lists[l][i];
        g_autoptr(SegDefinition) other = NULL;
        SegSegmentKind kind = SEG_SEGMENT_KIND_PAST_BEHAVIOR;
        gboolean ok;

        for (guint s = 0; s < stack->len; s++)
          if (g_strcmp0 (g_ptr_array_index (stack, s), id) == 0)
            {
              g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_CYCLE,
                           _("segment “%s” includes or excludes itself through other segments"),
                           id);
              return FALSE;
            }
        if (!resolve (id, &kind, &other, user_data))
          {
            g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_NOT_FOUND,
                         _("$.%s[%u]: there is no segment “%s”"), l ? "exclude" : "include", i, id);
            return FALSE;
          }
        if (kind == SEG_SEGMENT_KIND_LIVE)
          {
            g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_LIVE,
                         _("$.%s[%u]: “%s” is a live segment; only past-behavior segments can be "
                           "included or excluded"), l ? "exclude" : "include", i, id);
            return FALSE;
          }
        if (other != NULL)
          {
            g_ptr_array_add (stack, (gpointer) id);
            ok = check_refs (other, stack, resolve, user_data, error);
            g_ptr_array_remove_index (stack, stack->len - 1);
            if (!ok)
              return FALSE;
          }
      }
  return TRUE;
}

/**
 * seg_definition_validate:
 * @self: a definition
 * @self_id: (nullable): the id the definition is (or will be) saved under, to catch cycles
 * @resolve: (nullable): looks up included and excluded segments
 * @property_type: (nullable): the known types of properties
 * @user_data: closure for both
 * @error: return location for an error
 *
 * Checks what parsing alone cannot: that operators fit the properties' known types, that
 * included and excluded segments exist, are not live, and do not form a cycle.
 *
 * Returns: %TRUE if the definition can be saved and evaluated
 */
gboolean
seg_definition_validate (SegDefinition            *self,
                         const char               *self_id,
                         SegDefinitionResolveFunc  resolve,
                         SegPropertyTypeFunc       property_type,
                         gpointer                  user_data,
                         GError                  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->match != NULL && property_type != NULL &&
      !check_types (self->match, property_type, user_data, error))
    return FALSE;
  if (resolve != NULL)
    {
      g_autoptr(GPtrArray) stack = g_ptr_array_new ();
      if (self_id != NULL)
        g_ptr_array_add (stack, (gpointer) self_id);
      if (!check_refs (self, stack, resolve, user_data, error))
        return FALSE;
    }
  else if (self->include != NULL || self->exclude != NULL)
    {
      g_set_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_NOT_FOUND,
                   _("included or excluded segments cannot be checked without a store"));
      return FALSE;
    }
  return TRUE;
}

/* The plain-language summary. */

static const char *
unit_word (SegTimeUnit unit,
           gint64      n)
{
  switch (unit)
    {
    case SEG_TIME_UNIT_MINUTES: return n == 1 ? _("minute") : _("minutes");
    case SEG_TIME_UNIT_HOURS: return n == 1 ? _("hour") : _("hours");
    case SEG_TIME_UNIT_DAYS: return n == 1 ? _("day") : _("days");
    case SEG_TIME_UNIT_WEEKS: return n == 1 ? _("week") : _("weeks");
    case SEG_TIME_UNIT_MONTHS:
    default: return n == 1 ? _("month") : _("months");
    }
}

static void
summarize_window (GString             *s,
                  const SegTimeWindow *w)
{
  switch (w->type)
    {
    case SEG_WINDOW_EVER:
      break;
    case SEG_WINDOW_LAST:
      if (w->n == 1)
        g_string_append_printf (s, _(" in the last %s"), unit_word (w->unit, 1));
      else
        g_string_append_printf (s, _(" in the last %" G_GINT64_FORMAT " %s"), w->n,
                                unit_word (w->unit, w->n));
      break;
    case SEG_WINDOW_TODAY:
      g_string_append (s, _(" today"));
      break;
    case SEG_WINDOW_YESTERDAY:
      g_string_append (s, _(" yesterday"));
      break;
    case SEG_WINDOW_DAYS_AGO:
      g_string_append_printf (s, _(" exactly %" G_GINT64_FORMAT " days ago"), w->n);
      break;
    case SEG_WINDOW_BETWEEN_DAYS_AGO:
      g_string_append_printf (s, _(" between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                                   " days ago"), w->from_days, w->to_days);
      break;
    case SEG_WINDOW_BETWEEN:
      g_string_append_printf (s, _(" between %s and %s"), w->dates[0], w->dates[1]);
      break;
    case SEG_WINDOW_BEFORE:
      g_string_append_printf (s, _(" before %s"), w->dates[0]);
      break;
    case SEG_WINDOW_AFTER:
      g_string_append_printf (s, _(" after %s"), w->dates[0]);
      break;
    case SEG_WINDOW_ON:
      g_string_append_printf (s, _(" on %s"), w->dates[0]);
      break;
    case SEG_WINDOW_SINCE:
    default:
      g_string_append_printf (s, _(" since %s"), w->dates[0]);
      break;
    }
}

static void
append_num (GString *s,
            double   v)
{
  if (v == floor (v) && fabs (v) < 9e15)
    g_string_append_printf (s, "%" G_GINT64_FORMAT, (gint64) v);
  else
    g_string_append_printf (s, "%g", v);
}

static void
summarize_comparison (GString *s,
                      SegOp    op,
                      const double *v)
{
  switch (op)
    {
    case SEG_OP_EQ: g_string_append (s, _("is ")); break;
    case SEG_OP_NE: g_string_append (s, _("is not ")); break;
    case SEG_OP_GT: g_string_append (s, _("is more than ")); break;
    case SEG_OP_GE: g_string_append (s, _("is at least ")); break;
    case SEG_OP_LT: g_string_append (s, _("is less than ")); break;
    case SEG_OP_LE: g_string_append (s, _("is at most ")); break;
    case SEG_OP_BETWEEN:
    case SEG_OP_NOT_BETWEEN:
      g_string_append (s, op == SEG_OP_BETWEEN ? _("is between ") : _("is not between "));
      append_num (s, v[0]);
      g_string_append (s, _(" and "));
      append_num (s, v[1]);
      return;
    default: break;
    }
  append_num (s, v[0]);
}

static void
append_quoted_list (GString  *s,
                    char    **strv,
                    const char *joiner)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (s, strv[i + 1] == NULL ? joiner : ", ");
      g_string_append_printf (s, "“%s”", strv[i]);
    }
}

static void
summarize_filter (GString         *s,
                  const SegFilter *f)
{
  g_string_append (s, f->property);
  g_string_append_c (s, ' ');
  switch (f->op)
    {
    case SEG_OP_EQUALS:
      g_string_append (s, _("is "));
      append_quoted_list (s, f->strings, _(" or "));
      break;
    case SEG_OP_NOT_EQUALS:
      g_string_append (s, _("is not "));
      append_quoted_list (s, f->strings, _(" or "));
      break;
    case SEG_OP_CONTAINS: g_string_append_printf (s, _("contains “%s”"), f->strings[0]); break;
    case SEG_OP_NOT_CONTAINS: g_string_append_printf (s, _("does not contain “%s”"), f->strings[0]); break;
    case SEG_OP_STARTS_WITH: g_string_append_printf (s, _("starts with “%s”"), f->strings[0]); break;
    case SEG_OP_ENDS_WITH: g_string_append_printf (s, _("ends with “%s”"), f->strings[0]); break;
    case SEG_OP_MATCHES: g_string_append_printf (s, _("matches /%s/"), f->strings[0]); break;
    case SEG_OP_EXISTS: g_string_append (s, _("is set")); break;
    case SEG_OP_NOT_EXISTS: g_string_append (s, _("is not set")); break;
    case SEG_OP_IS_EMPTY: g_string_append (s, _("is empty")); break;
    case SEG_OP_IS_TRUE: g_string_append (s, _("is true")); break;
    case SEG_OP_IS_FALSE: g_string_append (s, _("is false")); break;
    case SEG_OP_ON: g_string_append_printf (s, _("is on %s"), f->dates[0]); break;
    case SEG_OP_BEFORE: g_string_append_printf (s, _("is before %s"), f->dates[0]); break;
    case SEG_OP_AFTER: g_string_append_printf (s, _("is after %s"), f->dates[0]); break;
    case SEG_OP_DATE_BETWEEN:
      g_string_append_printf (s, _("is between %s and %s"), f->dates[0], f->dates[1]);
      break;
    case SEG_OP_IN_LAST:
      g_string_append_printf (s, _("is in the last %g %s"), f->num[0],
                              unit_word (f->unit, (gint64) f->num[0]));
      break;
    case SEG_OP_MORE_THAN_DAYS_AGO:
      g_string_append_printf (s, _("is more than %g days ago"), f->num[0]);
      break;
    case SEG_OP_DAYS_FROM_TODAY:
      g_string_append_printf (s, _("is %g days from today"), f->num[0]);
      break;
    case SEG_OP_LIST_CONTAINS: g_string_append_printf (s, _("includes “%s”"), f->strings[0]); break;
    case SEG_OP_LIST_NOT_CONTAINS: g_string_append_printf (s, _("does not include “%s”"), f->strings[0]); break;
    case SEG_OP_SET_IS:
      g_string_append (s, _("is exactly "));
      append_quoted_list (s, f->strings, _(" and "));
      break;
    case SEG_OP_EQ:
    case SEG_OP_NE:
    case SEG_OP_GT:
    case SEG_OP_GE:
    case SEG_OP_LT:
    case SEG_OP_LE:
    case SEG_OP_BETWEEN:
    case SEG_OP_NOT_BETWEEN:
    default:
      summarize_comparison (s, f->op, f->num);
      break;
    }
}

static void
summarize_where (GString   *s,
                 GPtrArray *where)
{
  for (guint i = 0; where != NULL && i < where->len; i++)
    {
      g_string_append (s, i == 0 ? _(" where ") : _(" and "));
      summarize_filter (s, g_ptr_array_index (where, i));
    }
}

static void
summarize_within (GString       *s,
                  const SegRule *r)
{
  g_string_append_printf (s, " %" G_GINT64_FORMAT " %s", r->within_n,
                          unit_word (r->within_unit, r->within_n));
}

/* Rules read as clauses of one sentence: "who" is said once for a run of clauses that
 * start with it ("who did A and did not do B"), "whose" for profile filters. */
static void
subject (GString     *s,
         const char  *word,
         const char **last)
{
  if (*last != word)
    {
      g_string_append (s, word);
      g_string_append_c (s, ' ');
    }
  *last = word;
}

static void
summarize_rule (GString       *s,
                const SegRule *r,
                gboolean       nested,
                const char   **last)
{
  const char *who = _("who");
  const char *whose = _("whose");

  static const char *agg_words[] = { "count", "total", "average", "minimum", "maximum",
                                     "number of distinct values" };
  switch (r->kind)
    {
    case SEG_RULE_GROUP:
      if (nested && r->children->len > 1)
        g_string_append_c (s, '(');
      for (guint i = 0; i < r->children->len; i++)
        {
          if (i > 0)
            g_string_append (s, r->any ? _(" or ") : _(" and "));
          summarize_rule (s, g_ptr_array_index (r->children, i), TRUE, last);
        }
      if (nested && r->children->len > 1)
        g_string_append_c (s, ')');
      break;
    case SEG_RULE_DID:
      subject (s, who, last);
      if (r->occurrence == SEG_OCCURRENCE_FIRST)
        g_string_append_printf (s, _("did %s for the first time"), r->events[0]);
      else if (r->occurrence == SEG_OCCURRENCE_LAST)
        g_string_append_printf (s, _("did %s for the last time"), r->events[0]);
      else
        g_string_append_printf (s, _("did %s"), r->events[0]);
      summarize_where (s, r->where);
      summarize_window (s, &r->when);
      if (r->aggregate != NULL)
        {
          const SegAggregate *a = r->aggregate;
          if (a->fn == SEG_AGG_COUNT)
            g_string_append (s, _(", where the number of times "));
          else
            g_string_append_printf (s, _(", where the %s of %s "), _(agg_words[a->fn]), a->property);
          summarize_comparison (s, a->op, a->value);
          if (a->include_non_doers)
            g_string_append_printf (s, _(" (including users who did not do %s)"), r->events[0]);
        }
      break;
    case SEG_RULE_DID_NOT:
      subject (s, who, last);
      g_string_append_printf (s, _("did not do %s"), r->events[0]);
      summarize_where (s, r->where);
      summarize_window (s, &r->when);
      break;
    case SEG_RULE_DID_ANY:
      subject (s, who, last);
      g_string_append (s, _("did any of "));
      for (guint i = 0; r->events[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (s, r->events[i + 1] == NULL ? _(" or ") : ", ");
          g_string_append (s, r->events[i]);
        }
      summarize_where (s, r->where);
      summarize_window (s, &r->when);
      break;
    case SEG_RULE_USER:
      subject (s, whose, last);
      summarize_filter (s, r->user);
      break;
    case SEG_RULE_NEAR:
      subject (s, who, last);
      g_string_append_printf (s, _("are within %g km of %.4f, %.4f"), r->km, r->lat, r->lon);
      break;
    case SEG_RULE_REACHABLE:
      subject (s, who, last);
      g_string_append_printf (s, _("are reachable by %s"), channel_names[r->channel]);
      break;
    case SEG_RULE_SEQUENCE:
    default:
      subject (s, who, last);
      g_string_append_printf (s, _("did %s"), r->first.event);
      summarize_where (s, r->first.where);
      if (r->negate)
        g_string_append_printf (s, _(" and then did not do %s"), r->then.event);
      else
        g_string_append_printf (s, _(" and then did %s"), r->then.event);
      summarize_where (s, r->then.where);
      g_string_append (s, _(" within"));
      summarize_within (s, r);
      summarize_window (s, &r->when);
      break;
    }
}

static void
summarize_ids (GString            *s,
               const char * const *ids,
               const char         *joiner,
               SegSegmentNameFunc  segment_name,
               gpointer            user_data)
{
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *name = segment_name ? segment_name (ids[i], user_data) : NULL;
      if (i > 0)
        g_string_append (s, ids[i + 1] == NULL ? joiner : ", ");
      g_string_append (s, name != NULL ? name : ids[i]);
    }
}

/**
 * seg_definition_summarize:
 * @self: a definition
 * @segment_name: (nullable): names included and excluded segments (else their ids are used)
 * @user_data: closure
 *
 * Returns: (transfer full): a sentence such as "Users who did Added To Cart in the last
 *   30 days and did not do Charged in the last 30 days, excluding Power Users"
 */
char *
seg_definition_summarize (SegDefinition      *self,
                          SegSegmentNameFunc  segment_name,
                          gpointer            user_data)
{
  GString *s = g_string_new (NULL);

  if (self->kind == SEG_SEGMENT_KIND_CUSTOM_LIST)
    {
      guint n = self->users ? g_strv_length (self->users) : 0;
      g_string_append_printf (s, ngettext ("A list of %u user", "A list of %u users", n), n);
      return g_string_free (s, FALSE);
    }
  if (self->kind == SEG_SEGMENT_KIND_LIVE && self->live_trigger != NULL)
    {
      g_string_free (s, TRUE);
      return seg_live_trigger_summarize (self->live_trigger);
    }
  g_string_append (s, _("Users"));
  if (self->match != NULL)
    {
      const char *last = NULL;
      g_string_append_c (s, ' ');
      summarize_rule (s, self->match, FALSE, &last);
    }
  if (self->include != NULL && self->include[0] != NULL)
    {
      g_string_append (s, self->match != NULL ? _(", in ") : _(" in "));
      summarize_ids (s, (const char * const *) self->include, _(" and "), segment_name, user_data);
    }
  if (self->exclude != NULL && self->exclude[0] != NULL)
    {
      g_string_append (s, _(", excluding "));
      summarize_ids (s, (const char * const *) self->exclude, _(" and "), segment_name, user_data);
    }
  return g_string_free (s, FALSE);
}
