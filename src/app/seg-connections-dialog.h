/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEG_TYPE_CONNECTIONS_DIALOG (seg_connections_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SegConnectionsDialog, seg_connections_dialog, SEG, CONNECTIONS_DIALOG, AdwWindow)

GtkWidget  *seg_connections_dialog_new            (GtkWindow            *parent);
void        seg_connections_dialog_set_fields     (SegConnectionsDialog *self,
                                                   const char           *server,
                                                   const char           *user,
                                                   const char           *password,
                                                   const char           *database);
void        seg_connections_dialog_test           (SegConnectionsDialog *self);
void        seg_connections_dialog_save_and_open  (SegConnectionsDialog *self);
gboolean    seg_connections_dialog_is_busy        (SegConnectionsDialog *self);
const char *seg_connections_dialog_get_status     (SegConnectionsDialog *self);
gboolean    seg_connections_dialog_get_status_ok  (SegConnectionsDialog *self);
guint       seg_connections_dialog_get_n_saved    (SegConnectionsDialog *self);
void        seg_connections_dialog_remove         (SegConnectionsDialog *self,
                                                   const char           *location);

G_END_DECLS
