/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "seg-custom-list-editor.h"
#include "seg-live-trigger-editor.h"
#include "seg-reach-panel.h"
#include "seg-group-rule.h"
#include "seg-segment-chooser.h"
#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_WIZARD (seg_wizard_get_type ())
G_DECLARE_FINAL_TYPE (SegWizard, seg_wizard, SEG, WIZARD, GtkWidget)

GtkWidget            *seg_wizard_new                (SegStore      *store);
void                  seg_wizard_start              (SegWizard     *self);
gboolean              seg_wizard_choose_type        (SegWizard     *self,
                                                     const char    *type_id);
void                  seg_wizard_edit               (SegWizard     *self,
                                                     SegSegment    *segment);
const char           *seg_wizard_get_step           (SegWizard     *self);
const char           *seg_wizard_get_type_id        (SegWizard     *self);
SegGroupRule         *seg_wizard_get_root_group     (SegWizard     *self);
SegSegmentChooser    *seg_wizard_get_include        (SegWizard     *self);
SegSegmentChooser    *seg_wizard_get_exclude        (SegWizard     *self);
SegLiveTriggerEditor *seg_wizard_get_trigger        (SegWizard     *self);
void                  seg_wizard_set_stream_filter  (SegWizard     *self,
                                                     gboolean       filter);
SegCustomListEditor  *seg_wizard_get_custom_list    (SegWizard     *self);
SegReachPanel        *seg_wizard_get_reach_panel    (SegWizard     *self);
GtkWidget            *seg_wizard_get_name_row       (SegWizard     *self);
SegSchemaCache       *seg_wizard_get_cache          (SegWizard     *self);
JsonNode             *seg_wizard_build_json         (SegWizard     *self);
SegDefinition        *seg_wizard_get_definition     (SegWizard     *self);
const char           *seg_wizard_get_summary        (SegWizard     *self);
const char           *seg_wizard_get_error          (SegWizard     *self);
void                  seg_wizard_refresh            (SegWizard     *self);
void                  seg_wizard_set_name           (SegWizard     *self,
                                                     const char    *name,
                                                     const char    *description);
gboolean              seg_wizard_can_save           (SegWizard     *self);
gboolean              seg_wizard_is_refresh_pending (SegWizard     *self);

G_END_DECLS
