/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "seg-types.h"

G_BEGIN_DECLS

#define SEG_TYPE_EVAL_RESULT (seg_eval_result_get_type ())
G_DECLARE_FINAL_TYPE (SegEvalResult, seg_eval_result, SEG, EVAL_RESULT, GObject)

SegEvalResult      *seg_eval_result_new                (guint64         count,
                                                        gint64          now_ms);
void                seg_eval_result_set_reach          (SegEvalResult  *self,
                                                        SegChannel      channel,
                                                        guint64         count);
void                seg_eval_result_take_sample        (SegEvalResult  *self,
                                                        char          **ids);
void                seg_eval_result_take_members       (SegEvalResult  *self,
                                                        guint64         offset,
                                                        char          **ids);
guint64             seg_eval_result_get_count          (SegEvalResult  *self);
gint64              seg_eval_result_get_now            (SegEvalResult  *self);
gboolean            seg_eval_result_has_reach          (SegEvalResult  *self);
guint64             seg_eval_result_get_reach          (SegEvalResult  *self,
                                                        SegChannel      channel);
const char * const *seg_eval_result_get_sample         (SegEvalResult  *self);
const char * const *seg_eval_result_get_members        (SegEvalResult  *self);
guint64             seg_eval_result_get_members_offset (SegEvalResult  *self);
double              seg_eval_result_get_elapsed_ms     (SegEvalResult  *self);
void                seg_eval_result_set_elapsed_ms     (SegEvalResult  *self,
                                                        double          ms);

G_END_DECLS
