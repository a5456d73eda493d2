/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-definition.h"
#include "seg-record.h"

G_BEGIN_DECLS

/*
 * Event-property filters (FILTER of the definition format) decided on one record as it
 * arrives, for the live engine. A SegLiveMatch is a list of filters compiled once (regexes,
 * parsed dates) and all of which must hold.
 */

typedef struct _SegLiveMatch SegLiveMatch;

SegLiveMatch       *seg_live_match_new        (GPtrArray          *where,
                                               GTimeZone          *tz);
void                seg_live_match_free       (SegLiveMatch       *self);
gboolean            seg_live_match_is_empty   (const SegLiveMatch *self);
gboolean            seg_live_match_record     (const SegLiveMatch *self,
                                               const SegRecord    *record,
                                               gint64              now_ms);
const SegPropValue *seg_live_record_find_prop (const SegRecord    *record,
                                               const char         *key);
gboolean            seg_live_prop_to_ms       (const SegPropValue *value,
                                               GTimeZone          *tz,
                                               gint64             *ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegLiveMatch, seg_live_match_free)

G_END_DECLS
