/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "seg-record.h"
#include "seg-import-time.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORT_MAPPING (seg_import_mapping_get_type ())
G_DECLARE_FINAL_TYPE (SegImportMapping, seg_import_mapping, SEG, IMPORT_MAPPING, GObject)

/*
 * How the columns of a CSV file (or the dotted paths of JSON lines) become records: which
 * one holds the user (the first non-empty of several), the event name (or one name for
 * all rows), the time and its format, an insert id; which columns are properties, under
 * which name and of which type (SEG_VALUE_TYPE_NONE = inferred per value). Columns not
 * named are properties with inferred types unless include-unmapped is off.
 * A mapping is saved as JSON and read back to reuse it.
 */
SegImportMapping *seg_import_mapping_new              (SegRecordKind      kind);
SegImportMapping *seg_import_mapping_new_canonical    (void);
SegImportMapping *seg_import_mapping_new_profiles     (void);
SegImportMapping *seg_import_mapping_new_from_json    (const char        *json,
                                                       GError           **error);
SegImportMapping *seg_import_mapping_copy             (SegImportMapping  *self);
char             *seg_import_mapping_to_json          (SegImportMapping  *self);
JsonNode         *seg_import_mapping_to_json_node     (SegImportMapping  *self);

SegRecordKind     seg_import_mapping_get_kind         (SegImportMapping  *self);
void              seg_import_mapping_set_kind         (SegImportMapping  *self,
                                                       SegRecordKind      kind);
const char * const *seg_import_mapping_get_user_columns (SegImportMapping *self);
void              seg_import_mapping_set_user_columns (SegImportMapping  *self,
                                                       const char * const *columns);
void              seg_import_mapping_set_user_column  (SegImportMapping  *self,
                                                       const char        *column);
const char       *seg_import_mapping_get_event_column (SegImportMapping  *self);
void              seg_import_mapping_set_event_column (SegImportMapping  *self,
                                                       const char        *column);
const char       *seg_import_mapping_get_event_name   (SegImportMapping  *self);
void              seg_import_mapping_set_event_name   (SegImportMapping  *self,
                                                       const char        *name);
const char       *seg_import_mapping_get_ts_column    (SegImportMapping  *self);
void              seg_import_mapping_set_ts_column    (SegImportMapping  *self,
                                                       const char        *column);
SegTimeFormat     seg_import_mapping_get_ts_format    (SegImportMapping  *self);
const char       *seg_import_mapping_get_ts_pattern   (SegImportMapping  *self);
void              seg_import_mapping_set_ts_format    (SegImportMapping  *self,
                                                       SegTimeFormat      format,
                                                       const char        *pattern);
const char       *seg_import_mapping_get_insert_id_column (SegImportMapping *self);
void              seg_import_mapping_set_insert_id_column (SegImportMapping *self,
                                                           const char       *column);
gboolean          seg_import_mapping_get_include_unmapped (SegImportMapping *self);
void              seg_import_mapping_set_include_unmapped (SegImportMapping *self,
                                                           gboolean          include);
char              seg_import_mapping_get_delimiter    (SegImportMapping  *self);
void              seg_import_mapping_set_delimiter    (SegImportMapping  *self,
                                                       char               delimiter);

void              seg_import_mapping_set_column       (SegImportMapping  *self,
                                                       const char        *column,
                                                       const char        *property,
                                                       SegValueType       type);
void              seg_import_mapping_skip_column      (SegImportMapping  *self,
                                                       const char        *column);
/* Returns FALSE when the column is not a property; property and type are set otherwise. */
gboolean          seg_import_mapping_lookup_column    (SegImportMapping  *self,
                                                       const char        *column,
                                                       const char       **property,
                                                       SegValueType      *type);
gboolean          seg_import_mapping_validate         (SegImportMapping  *self,
                                                       GError           **error);

G_END_DECLS
