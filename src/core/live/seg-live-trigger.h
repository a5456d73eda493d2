/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "seg-definition.h"

G_BEGIN_DECLS

/*
 * The trigger of a live segment (docs/live-segments.md): what has to happen for a user to
 * join the segment the moment it happens. An immutable, reference-counted value parsed
 * from the "trigger" object of a definition with "kind": "live", and serialised back to
 * the same normalised JSON. The structs are read-only views for the live engine.
 */

#define SEG_LIVE_TRIGGER_ERROR (seg_live_trigger_error_quark ())

typedef enum
{
  SEG_LIVE_TRIGGER_ERROR_PARSE,    /* not an object, unknown key, wrong shape */
  SEG_LIVE_TRIGGER_ERROR_INVALID,  /* well-formed but impossible (count 0, bad regex) */
} SegLiveTriggerError;

typedef enum
{
  SEG_LIVE_TRIGGER_ACTION,         /* did E (with event-property filters) */
  SEG_LIVE_TRIGGER_INACTION,       /* did A and not B within T */
  SEG_LIVE_TRIGGER_DATE,           /* a date property is N days from today */
  SEG_LIVE_TRIGGER_PAGE_VISIT,     /* visited a page whose URL matches */
  SEG_LIVE_TRIGGER_REFERRER,       /* entered the site from a matching referrer */
  SEG_LIVE_TRIGGER_PAGE_COUNT,     /* N page views within a window or a session */
  SEG_LIVE_N_TRIGGER_TYPES
} SegLiveTriggerType;

/* The event a web page view is recorded as, and its URL and referrer properties. */
#define SEG_LIVE_PAGE_EVENT          "Page Visited"
#define SEG_LIVE_PAGE_URL_PROPERTY   "url"
#define SEG_LIVE_PAGE_REFERRER_PROPERTY "referrer"
/* A session ends after this much inactivity (ms), as in CleverTap's web SDK. */
#define SEG_LIVE_SESSION_GAP_MS      (30 * 60 * 1000)

/**
 * SegLiveTextMatch:
 * @op: one of %SEG_OP_EQUALS, %SEG_OP_CONTAINS, %SEG_OP_STARTS_WITH, %SEG_OP_ENDS_WITH,
 *   %SEG_OP_MATCHES
 * @value: the operand
 * @regex: (nullable): the compiled pattern for %SEG_OP_MATCHES
 */
typedef struct
{
  SegOp    op;
  char    *value;
  gsize    value_len;
  GRegex  *regex;
} SegLiveTextMatch;

typedef struct _SegLiveTrigger SegLiveTrigger;

/**
 * SegLiveTrigger:
 *
 * Which fields are meaningful depends on @type.
 */
struct _SegLiveTrigger
{
  gatomicrefcount     ref_count;
  SegLiveTriggerType  type;

  /* action: event/where; inaction: event/where then then_event/then_where */
  char               *event;
  GPtrArray          *where;        /* of SegFilter (borrowed from where_def); never NULL */
  char               *then_event;
  GPtrArray          *then_where;   /* of SegFilter; never NULL */

  /* inaction, page_count with a window: the window length */
  gint64              within_n;
  SegTimeUnit         within_unit;
  gint64              within_ms;    /* 0 for page_count per session */

  /* date: property (of the user, or of @event when set) and days from today */
  char               *property;
  gint64              days_from_today;

  /* page_visit (url), referrer (referrer) */
  SegLiveTextMatch    text;

  /* page_count */
  guint               count;

  /* The optional past-behavior and user-property filter, evaluated through the store
   * when the trigger fires; a past-behavior definition whose match is this group. */
  SegDefinition      *filter;

  /* The definitions the event filters were parsed with (private). */
  SegDefinition      *where_def;
  SegDefinition      *then_where_def;
};

GType           seg_live_trigger_get_type       (void) G_GNUC_CONST;
GQuark          seg_live_trigger_error_quark    (void);

SegLiveTrigger *seg_live_trigger_new_from_node  (JsonNode        *node,
                                                 GError         **error);
SegLiveTrigger *seg_live_trigger_new_from_json  (const char      *json,
                                                 GError         **error);
SegLiveTrigger *seg_live_trigger_new_from_definition_node (JsonNode  *definition,
                                                           GError   **error);
SegLiveTrigger *seg_live_trigger_ref            (SegLiveTrigger  *self);
void            seg_live_trigger_unref          (SegLiveTrigger  *self);

JsonNode       *seg_live_trigger_to_node        (SegLiveTrigger  *self);
char           *seg_live_trigger_to_json        (SegLiveTrigger  *self);
char           *seg_live_trigger_summarize      (SegLiveTrigger  *self);

const char     *seg_live_trigger_type_to_string (SegLiveTriggerType type);

gboolean        seg_live_text_match             (const SegLiveTextMatch *match,
                                                 const char             *str,
                                                 gsize                   len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegLiveTrigger, seg_live_trigger_unref)

G_END_DECLS
