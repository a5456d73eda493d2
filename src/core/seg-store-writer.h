/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-record.h"

G_BEGIN_DECLS

#define SEG_TYPE_STORE_WRITER (seg_store_writer_get_type ())
G_DECLARE_DERIVABLE_TYPE (SegStoreWriter, seg_store_writer, SEG, STORE_WRITER, GObject)

/*
 * An all-or-nothing write into a store: an import or a batch of live events. Nothing
 * written through it is visible until commit() returns TRUE; abort(), a failed commit or
 * dropping the last reference without committing leaves the store as it was.
 *
 * Re-importing a file adds nothing: an importer first declares the source's content
 * fingerprint with begin_source(); the store answers whether a committed write already
 * recorded it, and records it itself when this writer commits. Events that carry an
 * insert_id are skipped when the store already holds that id for the same event name.
 *
 * Writers block: they are used from a worker thread (an import's GTask thread) or from
 * the live engine's own thread, never from the UI thread.
 */
struct _SegStoreWriterClass
{
  GObjectClass parent_class;

  gboolean (*add)    (SegStoreWriter   *self,
                      const SegRecord  *record,
                      GError          **error);
  gboolean (*commit) (SegStoreWriter   *self,
                      GCancellable     *cancellable,
                      GError          **error);
  void     (*abort)  (SegStoreWriter   *self);
  gboolean (*begin_source) (SegStoreWriter  *self,
                            const char      *fingerprint,
                            gboolean        *already_imported,
                            GError         **error);

  gpointer padding[8];
};

gboolean seg_store_writer_add    (SegStoreWriter   *self,
                                  const SegRecord  *record,
                                  GError          **error);
gboolean seg_store_writer_commit (SegStoreWriter   *self,
                                  GCancellable     *cancellable,
                                  GError          **error);
void     seg_store_writer_abort  (SegStoreWriter   *self);
gboolean seg_store_writer_begin_source (SegStoreWriter  *self,
                                        const char      *fingerprint,
                                        gboolean        *already_imported,
                                        GError         **error);

G_END_DECLS
