/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "seg-store.h"
#include "import/seg-import.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORT_ASSISTANT (seg_import_assistant_get_type ())

G_DECLARE_FINAL_TYPE (SegImportAssistant, seg_import_assistant, SEG, IMPORT_ASSISTANT, AdwWindow)

SegImportAssistant *seg_import_assistant_new          (GtkWindow          *parent,
                                                       SegStore           *store);
void                seg_import_assistant_set_file     (SegImportAssistant *self,
                                                       GFile              *file);
GFile              *seg_import_assistant_get_file     (SegImportAssistant *self);
const char         *seg_import_assistant_get_page     (SegImportAssistant *self);
const char         *seg_import_assistant_get_format_id (SegImportAssistant *self);
gboolean            seg_import_assistant_select_format (SegImportAssistant *self,
                                                       const char         *format_id);
void                seg_import_assistant_set_columns  (SegImportAssistant *self,
                                                       const char         *user_column,
                                                       const char         *event_column,
                                                       const char         *ts_column,
                                                       SegTimeFormat       ts_format);
void                seg_import_assistant_set_policy   (SegImportAssistant *self,
                                                       SegImportPolicy     policy);
void                seg_import_assistant_set_timezone (SegImportAssistant *self,
                                                       const char         *timezone);
guint               seg_import_assistant_get_n_preview (SegImportAssistant *self);
gboolean            seg_import_assistant_start        (SegImportAssistant *self);
void                seg_import_assistant_cancel       (SegImportAssistant *self);
SegImportSummary   *seg_import_assistant_get_summary  (SegImportAssistant *self);
SegSegment         *seg_import_assistant_get_list_segment (SegImportAssistant *self);

gboolean    seg_import_assistant_set_column_type (SegImportAssistant *self,
                                                  const char         *column,
                                                  SegValueType        type);
void        seg_import_assistant_save_mapping    (SegImportAssistant *self);
const char *seg_import_assistant_get_mapping_note (SegImportAssistant *self);

G_END_DECLS
