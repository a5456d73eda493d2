/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-types.h"

G_BEGIN_DECLS

/*
 * A record is what every importer and live source produces and every store consumes:
 * one event, or one update of a user's profile. Records are borrowed views: the strings
 * and the property array belong to the producer and stay valid only during the call that
 * hands the record on, so that a reader of a 10M-row file allocates nothing per row.
 */

typedef enum
{
  SEG_RECORD_EVENT = 0,
  SEG_RECORD_PROFILE,
} SegRecordKind;

typedef struct
{
  const char   *key;
  SegValueType  type;
  /* SEG_VALUE_TYPE_STRING: str/str_len (UTF-8, not necessarily NUL-terminated).
   * SEG_VALUE_TYPE_LIST: str/str_len hold the items, each followed by a NUL byte.
   * SEG_VALUE_TYPE_NUMBER: num. SEG_VALUE_TYPE_BOOLEAN: num is 0 or 1.
   * SEG_VALUE_TYPE_DATE: num is milliseconds since the epoch.
   * SEG_VALUE_TYPE_NONE: an explicit null; for a profile it clears the property. */
  const char   *str;
  gsize         str_len;
  double        num;
} SegPropValue;

struct _SegRecord
{
  SegRecordKind  kind;
  const char    *user_id;     /* identity; never NULL or empty */
  const char    *event;       /* event name, for SEG_RECORD_EVENT */
  gint64         ts_ms;       /* event time, or when the profile values were set */
  const char    *insert_id;   /* optional de-duplication key of the source format */
  guint          n_props;
  SegPropValue  *props;
};

/**
 * SegRecordFunc:
 * @record: a record, valid only during the call
 * @user_data: closure
 * @error: return location for an error that stops the producer
 *
 * Returns: %FALSE with @error set to stop the producer.
 */
typedef gboolean (*SegRecordFunc) (const SegRecord  *record,
                                   gpointer          user_data,
                                   GError          **error);

G_END_DECLS
