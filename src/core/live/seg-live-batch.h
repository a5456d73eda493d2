/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "seg-record.h"

G_BEGIN_DECLS

/*
 * Records read from JSON, owned: what the ingest endpoint, the file tail and the replay
 * parse. Each element has CleverTap's upload shape:
 *   {"type":"event","identity":"u1","ts":1714557600,"evtName":"Charged","evtData":{...}}
 *   {"type":"profile","identity":"u1","ts":...,"profileData":{...}}
 * with an optional "insert_id". "ts" is epoch seconds, epoch ms or ISO-8601; a string
 * value "$D_<epoch seconds>" is a date, as in CleverTap's API.
 */

typedef struct _SegLiveBatch SegLiveBatch;

SegLiveBatch    *seg_live_batch_new        (GTimeZone        *tz);
void             seg_live_batch_free       (SegLiveBatch     *self);
void             seg_live_batch_clear      (SegLiveBatch     *self);
gboolean         seg_live_batch_add_node   (SegLiveBatch     *self,
                                            JsonNode         *node,
                                            gint64            now_ms,
                                            GError          **error);
gboolean         seg_live_batch_add_line   (SegLiveBatch     *self,
                                            const char       *line,
                                            gsize             len,
                                            gint64            now_ms,
                                            GError          **error);
typedef void (*SegLiveBatchErrorFunc) (guint       index,
                                       const char *message,
                                       gpointer    user_data);

gboolean         seg_live_batch_add_upload (SegLiveBatch           *self,
                                            const char             *data,
                                            gsize                   len,
                                            gint64                  now_ms,
                                            SegLiveBatchErrorFunc   func,
                                            gpointer                user_data,
                                            GError                **error);
guint            seg_live_batch_get_length (SegLiveBatch     *self);
const SegRecord *seg_live_batch_get        (SegLiveBatch     *self,
                                            guint             i);
const SegRecord *seg_live_batch_get_records (SegLiveBatch    *self,
                                            guint            *n);
void             seg_live_batch_sort       (SegLiveBatch     *self);
void             seg_live_batch_add_record (SegLiveBatch     *self,
                                            const SegRecord  *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegLiveBatch, seg_live_batch_free)

G_END_DECLS
