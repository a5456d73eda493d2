/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Forward declarations, so that headers of the core never include each other in cycles. */

typedef struct _SegDefinition  SegDefinition;   /* a segment definition: an immutable value */
typedef struct _SegRecord      SegRecord;       /* one event or profile update, borrowed view */
typedef struct _SegSegment     SegSegment;      /* a saved segment (GObject) */
typedef struct _SegStore       SegStore;        /* the one seam to data (GInterface) */
typedef struct _SegStoreWriter SegStoreWriter;  /* an all-or-nothing write into a store */
typedef struct _SegEvalResult  SegEvalResult;   /* the answer to an evaluation (GObject) */
typedef struct _SegTrend       SegTrend;        /* members per day over a range (GObject) */
typedef struct _SegUserProfile SegUserProfile;  /* one user's properties and timeline (GObject) */

/**
 * SegValueType:
 *
 * The type of a property value, of users and of events alike.
 */
typedef enum
{
  SEG_VALUE_TYPE_NONE = 0,
  SEG_VALUE_TYPE_STRING,
  SEG_VALUE_TYPE_NUMBER,
  SEG_VALUE_TYPE_BOOLEAN,
  SEG_VALUE_TYPE_DATE,    /* milliseconds since the Unix epoch, UTC */
  SEG_VALUE_TYPE_LIST,    /* a list of strings */
} SegValueType;

/**
 * SegSegmentKind:
 */
typedef enum
{
  SEG_SEGMENT_KIND_PAST_BEHAVIOR = 0,
  SEG_SEGMENT_KIND_LIVE,
  SEG_SEGMENT_KIND_CUSTOM_LIST,
  SEG_SEGMENT_KIND_SYSTEM,
} SegSegmentKind;

/**
 * SegChannel:
 *
 * The channels through which a user can be reached.
 */
typedef enum
{
  SEG_CHANNEL_EMAIL = 0,
  SEG_CHANNEL_PUSH,
  SEG_CHANNEL_SMS,
  SEG_CHANNEL_WHATSAPP,
  SEG_CHANNEL_IN_APP,
  SEG_N_CHANNELS
} SegChannel;

const char *seg_value_type_to_string   (SegValueType    type);
SegValueType seg_value_type_from_string (const char     *str);
const char *seg_segment_kind_to_string (SegSegmentKind  kind);
gboolean    seg_segment_kind_from_string (const char     *str,
                                          SegSegmentKind *kind);
const char *seg_channel_to_string      (SegChannel      channel);

G_END_DECLS
