/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-record.h"

G_BEGIN_DECLS

/*
 * Builds one SegRecord after another with the same memory: a property array and an arena
 * for values that must be copied (derived strings, lists). Borrowed strings are used as
 * they are. Keys are always borrowed and must outlive the record.
 */
typedef struct
{
  SegRecord  record;
  SegPropValue *props;
  guint      n_props;
  guint      props_cap;
  guint     *fixups;   /* indexes of props whose str is an arena offset */
  guint      n_fixups;
  guint      fixups_cap;
  GString   *arena;
  gssize     user_off;
  gssize     event_off;
  gssize     insert_off;
} SegRecordBuilder;

void        seg_record_builder_init      (SegRecordBuilder *b);
void        seg_record_builder_clear     (SegRecordBuilder *b);
void        seg_record_builder_reset     (SegRecordBuilder *b,
                                          SegRecordKind     kind);
void        seg_record_builder_set_user_copy   (SegRecordBuilder *b,
                                                const char       *str,
                                                gsize             len);
void        seg_record_builder_set_event_copy  (SegRecordBuilder *b,
                                                const char       *str,
                                                gsize             len);
void        seg_record_builder_set_insert_copy (SegRecordBuilder *b,
                                                const char       *str,
                                                gsize             len);
void        seg_record_builder_add_string      (SegRecordBuilder *b,
                                                const char       *key,
                                                const char       *str,
                                                gsize             len);
void        seg_record_builder_add_string_copy (SegRecordBuilder *b,
                                                const char       *key,
                                                const char       *str,
                                                gsize             len);
void        seg_record_builder_add_list        (SegRecordBuilder *b,
                                                const char       *key,
                                                const char       *items,
                                                gsize             len);
void        seg_record_builder_add_list_copy   (SegRecordBuilder *b,
                                                const char       *key,
                                                const char       *items,
                                                gsize             len);
void        seg_record_builder_add_number      (SegRecordBuilder *b,
                                                const char       *key,
                                                double            num);
void        seg_record_builder_add_boolean     (SegRecordBuilder *b,
                                                const char       *key,
                                                gboolean          value);
void        seg_record_builder_add_date        (SegRecordBuilder *b,
                                                const char       *key,
                                                gint64            ms);
void        seg_record_builder_add_null        (SegRecordBuilder *b,
                                                const char       *key);
/* Adds a text cell with its type inferred (number, boolean, date, list, string). */
void        seg_record_builder_add_inferred    (SegRecordBuilder *b,
                                                const char       *key,
                                                const char       *str,
                                                gsize             len);
/* Adds a text cell converted to type; returns FALSE when it does not fit. */
gboolean    seg_record_builder_add_typed       (SegRecordBuilder *b,
                                                const char       *key,
                                                SegValueType      type,
                                                const char       *str,
                                                gsize             len);
const SegRecord *seg_record_builder_finish     (SegRecordBuilder *b);

/* The type a text cell reads as, and its number (numbers, booleans, dates in ms). */
SegValueType seg_infer_value_type (const char *str,
                                   gsize       len,
                                   double     *num);

G_END_DECLS
