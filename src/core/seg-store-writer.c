/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-store-writer"

#include "config.h"

#include "seg-store-writer.h"

G_DEFINE_ABSTRACT_TYPE (SegStoreWriter, seg_store_writer, G_TYPE_OBJECT)

static void
seg_store_writer_class_init (SegStoreWriterClass *klass)
{
}

static void
seg_store_writer_init (SegStoreWriter *self)
{
}

/**
 * seg_store_writer_add:
 * @self: a #SegStoreWriter
 * @record: the record to add; borrowed, copied as needed
 * @error: return location for an error
 *
 * Returns: %TRUE if the record was accepted
 */
gboolean
seg_store_writer_add (SegStoreWriter   *self,
                      const SegRecord  *record,
                      GError          **error)
{
  g_return_val_if_fail (SEG_IS_STORE_WRITER (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  return SEG_STORE_WRITER_GET_CLASS (self)->add (self, record, error);
}

/**
 * seg_store_writer_can_add_hashed:
 *
 * Returns: whether the writer takes records with precomputed hashes, from a thread other
 *   than the one that commits (see #SegRecordHashes)
 */
gboolean
seg_store_writer_can_add_hashed (SegStoreWriter *self)
{
  g_return_val_if_fail (SEG_IS_STORE_WRITER (self), FALSE);

  return SEG_STORE_WRITER_GET_CLASS (self)->add_hashed != NULL;
}

/**
 * seg_store_writer_add_hashed:
 * @hashes: what the producer worked out for @record
 *
 * seg_store_writer_add() for a record whose hashes are known.
 */
gboolean
seg_store_writer_add_hashed (SegStoreWriter         *self,
                             const SegRecord        *record,
                             const SegRecordHashes  *hashes,
                             GError                **error)
{
  SegStoreWriterClass *klass;

  g_return_val_if_fail (SEG_IS_STORE_WRITER (self), FALSE);
  g_return_val_if_fail (record != NULL && hashes != NULL, FALSE);

  klass = SEG_STORE_WRITER_GET_CLASS (self);
  if (klass->add_hashed == NULL)
    return klass->add (self, record, error);
  return klass->add_hashed (self, record, hashes, error);
}

void
seg_store_writer_prefetch (SegStoreWriter        *self,
                           const SegRecordHashes *hashes)
{
  SegStoreWriterClass *klass = SEG_STORE_WRITER_GET_CLASS (self);

  if (klass->prefetch != NULL)
    klass->prefetch (self, hashes);
}

/**
 * seg_store_writer_commit:
 * @self: a #SegStoreWriter
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Makes every record added so far visible at once and durable.
 *
 * Returns: %TRUE on success; on failure the store is as it was before the writer began
 */
gboolean
seg_store_writer_commit (SegStoreWriter  *self,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_return_val_if_fail (SEG_IS_STORE_WRITER (self), FALSE);

  return SEG_STORE_WRITER_GET_CLASS (self)->commit (self, cancellable, error);
}

/**
 * seg_store_writer_abort:
 * @self: a #SegStoreWriter
 *
 * Drops everything added so far.
 */
void
seg_store_writer_abort (SegStoreWriter *self)
{
  g_return_if_fail (SEG_IS_STORE_WRITER (self));

  SEG_STORE_WRITER_GET_CLASS (self)->abort (self);
}

/**
 * seg_store_writer_begin_source:
 * @self: a #SegStoreWriter
 * @fingerprint: a digest of the source's content (e.g. SHA-256 of the file)
 * @already_imported: (out): set to %TRUE when a committed write recorded @fingerprint
 * @error: return location for an error
 *
 * Declares where the records that follow come from, so that importing the same file
 * twice adds nothing. The fingerprint is recorded when the writer commits.
 *
 * Returns: %FALSE on error
 */
gboolean
seg_store_writer_begin_source (SegStoreWriter  *self,
                               const char      *fingerprint,
                               gboolean        *already_imported,
                               GError         **error)
{
  g_return_val_if_fail (SEG_IS_STORE_WRITER (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);
  g_return_val_if_fail (already_imported != NULL, FALSE);

  *already_imported = FALSE;
  return SEG_STORE_WRITER_GET_CLASS (self)->begin_source (self, fingerprint, already_imported, error);
}
