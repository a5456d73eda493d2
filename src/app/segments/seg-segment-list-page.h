/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_SEGMENT_LIST_PAGE (seg_segment_list_page_get_type ())
G_DECLARE_FINAL_TYPE (SegSegmentListPage, seg_segment_list_page, SEG, SEGMENT_LIST_PAGE, GtkWidget)

GtkWidget   *seg_segment_list_page_new              (SegStore           *store);
SegStore    *seg_segment_list_page_get_store        (SegSegmentListPage *self);
GtkWidget   *seg_segment_list_page_get_column_view  (SegSegmentListPage *self);
GListModel  *seg_segment_list_page_get_model        (SegSegmentListPage *self);
GtkSelectionModel *seg_segment_list_page_get_selection (SegSegmentListPage *self);
void         seg_segment_list_page_set_search       (SegSegmentListPage *self,
                                                     const char         *text);
void         seg_segment_list_page_set_type_filter  (SegSegmentListPage *self,
                                                     int                 kind);
void         seg_segment_list_page_set_created_range (SegSegmentListPage *self,
                                                     gint64              from_ms,
                                                     gint64              to_ms);
gboolean     seg_segment_list_page_select_id        (SegSegmentListPage *self,
                                                     const char         *id);
guint        seg_segment_list_page_get_n_visible    (SegSegmentListPage *self);
const char  *seg_segment_list_page_get_visible_child (SegSegmentListPage *self);
char        *seg_segment_list_page_dup_used_by      (SegSegmentListPage *self,
                                                     const char         *id);
void         seg_segment_list_page_commit_deletes   (SegSegmentListPage *self);
gboolean     seg_segment_list_page_undo_delete      (SegSegmentListPage *self);
const char  *seg_segment_list_page_get_last_message (SegSegmentListPage *self);
void         seg_segment_list_page_export_to        (SegSegmentListPage *self,
                                                     GFile              *file,
                                                     gboolean            clevertap);
void         seg_segment_list_page_set_export_page_size (SegSegmentListPage *self,
                                                     guint               page_size);
gboolean     seg_segment_list_page_is_busy          (SegSegmentListPage *self);

gboolean    seg_segment_list_page_is_compact (SegSegmentListPage *self);

G_END_DECLS
