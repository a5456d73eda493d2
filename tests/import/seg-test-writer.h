/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-store-writer.h"

G_BEGIN_DECLS

/*
 * A real, in-memory SegStoreWriter for the import tests: a TestStore keeps committed
 * records (as one line of text each, easy to assert on), the fingerprints of committed
 * sources and the insert ids of committed events, across writers, as a store would.
 */
typedef struct
{
  GPtrArray  *records;        /* char *: committed records, in order */
  GHashTable *fingerprints;
  GHashTable *insert_ids;     /* "event\x1finsert_id" */
  guint       commits;
} TestStore;

TestStore *test_store_new  (void);
void       test_store_free (TestStore *store);
/* How many committed records start with prefix. */
guint      test_store_count (TestStore  *store,
                             const char *prefix);
gboolean   test_store_has   (TestStore  *store,
                             const char *record);
void       test_store_dump  (TestStore  *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestStore, test_store_free)

#define SEG_TYPE_TEST_WRITER (seg_test_writer_get_type ())
G_DECLARE_FINAL_TYPE (SegTestWriter, seg_test_writer, SEG, TEST_WRITER, SegStoreWriter)

SegStoreWriter *seg_test_writer_new (TestStore *store);
/* Records added but not yet committed. */
guint           seg_test_writer_get_pending (SegTestWriter *self);
/* Records that came through add_hashed() (the import's writing thread), and from which
 * thread the last one came. */
guint           seg_test_writer_get_hashed_adds (SegTestWriter *self);
GThread        *seg_test_writer_get_add_thread  (SegTestWriter *self);
/* Makes add_hashed() fail after n records. */
void            seg_test_writer_set_fail_after  (SegTestWriter *self,
                                                 guint          n);
/* Whether records came before begin_source() declared the fingerprint. */
gboolean        seg_test_writer_added_before_source (SegTestWriter *self);

/* One record as text: "E|user|event|ts|insert|k=type:value|..." or "P|user|ts|k=...". */
char           *test_record_to_string (const SegRecord *record);

G_END_DECLS

G_BEGIN_DECLS

#include "import/seg-importer.h"

/* The path of a file in tests/import/fixtures. */
char      *test_fixture_path  (const char   *name);
/* Reads a fixture (gzip decompressed) with importer; returns its records as strings. */
GPtrArray *test_read_fixture  (SegImporter  *importer,
                               const char   *name,
                               SegImportSink **sink_out,
                               GError      **error);
/* Reads text with importer. */
GPtrArray *test_read_text     (SegImporter  *importer,
                               const char   *text,
                               SegImportSink **sink_out,
                               GError      **error);
/* Asserts the records are exactly expected (NULL-terminated), in order. */
void       test_assert_records (GPtrArray   *records,
                                const char * const *expected);
/* Asserts the bad row i has line and a reason containing reason_part. */
void       test_assert_bad_row (SegImportSink *sink,
                                guint          i,
                                guint64        line,
                                const char    *reason_part);

G_END_DECLS
