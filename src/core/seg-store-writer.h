/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-key-set.h"
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
/**
 * SegRecordHashes:
 * @user: seg_intern_hash() of the record's user id
 * @props: per property, seg_intern_hash() of its text (read for string values only)
 * @insert_key: (nullable): seg_key128_for_insert_id() of the record, when it has an
 *   insert id
 *
 * What a producer on another thread can work out for a writer in advance.
 */
typedef struct
{
  guint64          user;
  const guint64   *props;
  const SegKey128 *insert_key;
} SegRecordHashes;

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

  /* Optional. A writer that implements them takes records from any one thread at a
   * time (not only the one that began and commits the write), with their hashes
   * worked out by the producer; prefetch() is a hint that @hashes will be added soon. */
  gboolean (*add_hashed) (SegStoreWriter         *self,
                          const SegRecord        *record,
                          const SegRecordHashes  *hashes,
                          GError                **error);
  void     (*prefetch)   (SegStoreWriter         *self,
                          const SegRecordHashes  *hashes);

  gpointer padding[6];
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

gboolean seg_store_writer_can_add_hashed (SegStoreWriter         *self);
gboolean seg_store_writer_add_hashed     (SegStoreWriter         *self,
                                          const SegRecord        *record,
                                          const SegRecordHashes  *hashes,
                                          GError                **error);
void     seg_store_writer_prefetch       (SegStoreWriter         *self,
                                          const SegRecordHashes  *hashes);

G_END_DECLS
