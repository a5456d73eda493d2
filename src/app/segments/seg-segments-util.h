/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "seg-definition.h"
#include "seg-format.h"

G_BEGIN_DECLS

/* A choice of a drop-down: a stable id (what goes into the JSON) and its label. */
typedef struct
{
  const char *id;
  const char *label;
} SegChoice;

void         seg_segments_ensure_resources  (void);
void         seg_segments_ensure_style      (void);

GtkWidget   *seg_choice_drop_down_new       (const SegChoice *choices,
                                             guint            n_choices);
void         seg_choice_drop_down_set_choices (GtkWidget   *drop_down,
                                             const SegChoice *choices,
                                             guint            n_choices);
const char  *seg_choice_drop_down_get_id    (GtkWidget       *drop_down);
gboolean     seg_choice_drop_down_set_id    (GtkWidget       *drop_down,
                                             const char      *id);

const SegChoice *seg_time_unit_choices      (guint           *n_choices);
const char  *seg_time_unit_label            (SegTimeUnit      unit);
gboolean     seg_time_unit_from_id          (const char      *id,
                                             SegTimeUnit     *unit);

GtkWidget   *seg_date_entry_new             (void);
char        *seg_date_entry_dup_date        (GtkWidget       *entry);
void         seg_date_entry_set_date        (GtkWidget       *entry,
                                             const char      *date);
gboolean     seg_date_is_valid              (const char      *text);

GtkWidget   *seg_number_spin_new            (double           lower,
                                             double           upper,
                                             guint            digits);

char        *seg_format_relative_time       (gint64           ms,
                                             gint64           now_ms);
char        *seg_format_date                (gint64           ms);

G_END_DECLS
