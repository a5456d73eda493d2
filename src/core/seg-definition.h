/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "seg-types.h"

G_BEGIN_DECLS

/*
 * A segment definition (docs/segment-format.md): an immutable, reference-counted value
 * parsed from and serialized to the versioned JSON format. The structs below are
 * read-only views for compilers (the engine, the ClickHouse SQL compiler, the wizard);
 * never modify a definition you did not build yourself.
 */

#define SEG_DEFINITION_VERSION 1

#define SEG_DEFINITION_ERROR (seg_definition_error_quark ())

typedef enum
{
  SEG_DEFINITION_ERROR_PARSE,      /* not JSON, or a key/value of the wrong shape */
  SEG_DEFINITION_ERROR_VERSION,    /* written by a newer version of the format */
  SEG_DEFINITION_ERROR_NEGATION,   /* a negation outside an AND with a positive rule */
  SEG_DEFINITION_ERROR_TYPE,       /* an operator that does not fit the property's type */
  SEG_DEFINITION_ERROR_NOT_FOUND,  /* an included/excluded segment does not exist */
  SEG_DEFINITION_ERROR_CYCLE,      /* segments include each other */
  SEG_DEFINITION_ERROR_LIVE,       /* a live segment cannot be included or excluded */
} SegDefinitionError;

typedef enum
{
  /* string */
  SEG_OP_EQUALS,
  SEG_OP_NOT_EQUALS,
  SEG_OP_CONTAINS,
  SEG_OP_NOT_CONTAINS,
  SEG_OP_STARTS_WITH,
  SEG_OP_ENDS_WITH,
  SEG_OP_MATCHES,
  SEG_OP_IS_EMPTY,
  /* every type */
  SEG_OP_EXISTS,
  SEG_OP_NOT_EXISTS,
  /* number (also the aggregate comparisons) */
  SEG_OP_EQ,
  SEG_OP_NE,
  SEG_OP_GT,
  SEG_OP_GE,
  SEG_OP_LT,
  SEG_OP_LE,
  SEG_OP_BETWEEN,
  SEG_OP_NOT_BETWEEN,
  /* boolean */
  SEG_OP_IS_TRUE,
  SEG_OP_IS_FALSE,
  /* date */
  SEG_OP_ON,
  SEG_OP_BEFORE,
  SEG_OP_AFTER,
  SEG_OP_DATE_BETWEEN,
  SEG_OP_IN_LAST,
  SEG_OP_MORE_THAN_DAYS_AGO,
  SEG_OP_DAYS_FROM_TODAY,
  /* list */
  SEG_OP_LIST_CONTAINS,
  SEG_OP_LIST_NOT_CONTAINS,
  SEG_OP_SET_IS,
  SEG_N_OPS
} SegOp;

typedef enum
{
  SEG_TIME_UNIT_MINUTES,
  SEG_TIME_UNIT_HOURS,
  SEG_TIME_UNIT_DAYS,
  SEG_TIME_UNIT_WEEKS,
  SEG_TIME_UNIT_MONTHS,
} SegTimeUnit;

/**
 * SegFilter:
 * @property: the property name
 * @op: the operator
 * @strings: (nullable): string operands (equals/not_equals: any of; contains, starts_with,
 *   ends_with, matches, list_contains, list_not_contains: one; set_is: the set)
 * @num: number operands (eq..le: num[0]; between: num[0..1]; in_last,
 *   more_than_days_ago, days_from_today: num[0] = n)
 * @dates: date operands as written, "YYYY-MM-DD" or an ISO-8601 date-time
 *   (on, before, after: dates[0]; date_between: dates[0..1])
 * @unit: the unit of in_last
 * @value_is_list: the string operand of equals/not_equals was written as a JSON list
 */
typedef struct
{
  char         *property;
  SegOp         op;
  char        **strings;
  double        num[2];
  char         *dates[2];
  SegTimeUnit   unit;
  gboolean      value_is_list;
} SegFilter;

typedef enum
{
  SEG_WINDOW_EVER,
  SEG_WINDOW_LAST,
  SEG_WINDOW_TODAY,
  SEG_WINDOW_YESTERDAY,
  SEG_WINDOW_DAYS_AGO,
  SEG_WINDOW_BETWEEN_DAYS_AGO,
  SEG_WINDOW_BETWEEN,
  SEG_WINDOW_BEFORE,
  SEG_WINDOW_AFTER,
  SEG_WINDOW_ON,
  SEG_WINDOW_SINCE,
} SegWindowType;

typedef struct
{
  SegWindowType  type;
  gint64         n;          /* last (with unit), days_ago */
  SegTimeUnit    unit;
  gint64         from_days;  /* between_days_ago: from >= to */
  gint64         to_days;
  char          *dates[2];   /* between: [from, to]; before/after/on/since: dates[0] */
} SegTimeWindow;

typedef enum
{
  SEG_AGG_COUNT,
  SEG_AGG_SUM,
  SEG_AGG_AVG,
  SEG_AGG_MIN,
  SEG_AGG_MAX,
  SEG_AGG_DISTINCT,
} SegAggFn;

typedef struct
{
  SegAggFn   fn;
  char      *property;         /* NULL for count */
  SegOp      op;               /* SEG_OP_EQ .. SEG_OP_NOT_BETWEEN */
  double     value[2];
  gboolean   include_non_doers;
} SegAggregate;

typedef enum
{
  SEG_OCCURRENCE_ANY,
  SEG_OCCURRENCE_FIRST,
  SEG_OCCURRENCE_LAST,
} SegOccurrence;

typedef enum
{
  SEG_RULE_GROUP,
  SEG_RULE_DID,
  SEG_RULE_DID_NOT,
  SEG_RULE_DID_ANY,
  SEG_RULE_USER,
  SEG_RULE_NEAR,
  SEG_RULE_REACHABLE,
  SEG_RULE_SEQUENCE,
} SegRuleKind;

typedef struct
{
  char      *event;
  GPtrArray *where;            /* of SegFilter */
} SegSequenceStep;

typedef struct _SegRule SegRule;

/**
 * SegRule:
 *
 * One node of the rule tree. Which fields are meaningful depends on @kind.
 */
struct _SegRule
{
  SegRuleKind      kind;

  /* SEG_RULE_GROUP */
  gboolean         any;        /* TRUE: "any" (OR); FALSE: "all" (AND) */
  GPtrArray       *children;   /* of SegRule */

  /* SEG_RULE_DID, _DID_NOT, _DID_ANY (events has one name except for did_any) */
  char           **events;
  GPtrArray       *where;      /* of SegFilter; never NULL */
  SegTimeWindow    when;       /* also used by SEG_RULE_SEQUENCE (for the first step) */
  SegOccurrence    occurrence;
  SegAggregate    *aggregate;  /* nullable */

  /* SEG_RULE_USER */
  SegFilter       *user;

  /* SEG_RULE_NEAR */
  double           lat, lon, km;

  /* SEG_RULE_REACHABLE */
  SegChannel       channel;

  /* SEG_RULE_SEQUENCE */
  SegSequenceStep  first;
  SegSequenceStep  then;
  gint64           within_n;
  SegTimeUnit      within_unit;
  gboolean         negate;
};

/**
 * SegDefinitionResolveFunc:
 * @id: a segment id
 * @kind: (out): the segment's kind
 * @definition: (out) (transfer full) (nullable): its definition (NULL for system segments)
 * @user_data: closure
 *
 * Looks up a saved segment for include/exclude validation and evaluation.
 *
 * Returns: %FALSE if there is no such segment
 */
typedef gboolean (*SegDefinitionResolveFunc) (const char      *id,
                                              SegSegmentKind  *kind,
                                              SegDefinition  **definition,
                                              gpointer         user_data);

/**
 * SegPropertyTypeFunc:
 * @event: (nullable): the event, or %NULL for a user property
 * @property: the property
 * @user_data: closure
 *
 * Returns: the property's known type, or %SEG_VALUE_TYPE_NONE if unknown
 */
typedef SegValueType (*SegPropertyTypeFunc) (const char *event,
                                             const char *property,
                                             gpointer    user_data);

/**
 * SegSegmentNameFunc:
 * Returns: (transfer full) (nullable): the display name of segment @id
 */
typedef char *(*SegSegmentNameFunc) (const char *id,
                                     gpointer    user_data);

#define SEG_TYPE_DEFINITION (seg_definition_get_type ())

GType           seg_definition_get_type        (void) G_GNUC_CONST;
GQuark          seg_definition_error_quark     (void);

SegDefinition  *seg_definition_new_from_json   (const char     *json,
                                                gssize          length,
                                                GError        **error);
SegDefinition  *seg_definition_new_from_node   (JsonNode       *node,
                                                GError        **error);
SegDefinition  *seg_definition_new_from_file   (const char     *path,
                                                GError        **error);
SegDefinition  *seg_definition_ref             (SegDefinition  *self);
void            seg_definition_unref           (SegDefinition  *self);

JsonNode       *seg_definition_to_node         (SegDefinition  *self);
char           *seg_definition_to_json         (SegDefinition  *self,
                                                gboolean        pretty);
gboolean        seg_definition_equal           (SegDefinition  *a,
                                                SegDefinition  *b);

SegSegmentKind  seg_definition_get_kind        (SegDefinition  *self);
const SegRule  *seg_definition_get_match       (SegDefinition  *self);
const SegRule  *seg_definition_get_daily_did   (SegDefinition  *self);
JsonNode       *seg_definition_get_trigger     (SegDefinition  *self);
const char * const *seg_definition_get_include (SegDefinition  *self);
const char * const *seg_definition_get_exclude (SegDefinition  *self);
const char * const *seg_definition_get_users   (SegDefinition  *self);

gboolean        seg_definition_validate        (SegDefinition            *self,
                                                const char               *self_id,
                                                SegDefinitionResolveFunc  resolve,
                                                SegPropertyTypeFunc       property_type,
                                                gpointer                  user_data,
                                                GError                  **error);

char           *seg_definition_summarize       (SegDefinition      *self,
                                                SegSegmentNameFunc  segment_name,
                                                gpointer            user_data);

const char     *seg_op_to_string               (SegOp           op);
gboolean        seg_op_from_string             (const char     *str,
                                                SegOp          *op);
gboolean        seg_op_fits_type               (SegOp           op,
                                                SegValueType    type);
const char     *seg_time_unit_to_string        (SegTimeUnit     unit);
gboolean        seg_rule_is_negation           (const SegRule  *rule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegDefinition, seg_definition_unref)

G_END_DECLS
