/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A small JSON scanner for JSON lines formats. It flattens one object into a list of
 * entries in document order with dotted paths ("profile.identity"), reusing its memory
 * from line to line, so that importing a 10M-line file allocates nothing per line.
 *
 * Objects appear as an OBJECT entry followed by their members (entries up to ->end).
 * Arrays of scalars become one ARRAY entry whose str holds the items, each followed by a
 * NUL byte (the SegPropValue list form, list is TRUE); other arrays keep their JSON text
 * in str (list is FALSE).
 */
typedef enum
{
  SEG_JSON_NULL = 0,
  SEG_JSON_BOOLEAN,
  SEG_JSON_NUMBER,
  SEG_JSON_STRING,
  SEG_JSON_OBJECT,
  SEG_JSON_ARRAY,
} SegJsonType;

typedef struct
{
  const char  *key;       /* full dotted path, NUL-terminated */
  const char  *name;      /* the last component of key */
  const char  *str;       /* STRING: unescaped, NUL-terminated; ARRAY: see above */
  gsize        str_len;
  double       num;       /* NUMBER; BOOLEAN: 0 or 1 */
  guint        end;       /* OBJECT: index one past its last member */
  guint16      depth;     /* 0 for members of the top-level object */
  guint8       type;      /* SegJsonType */
  guint8       list;      /* ARRAY: TRUE when str holds NUL-separated items */
  /* private */
  gsize        key_off;
  gsize        name_off;
  gsize        str_off;
} SegJsonEntry;

typedef struct
{
  GArray  *entries;   /* SegJsonEntry */
  GString *arena;
  const char *error;  /* static reason when scan fails */
  gsize    error_pos;
} SegJsonScan;

void                 seg_json_scan_init   (SegJsonScan *scan);
void                 seg_json_scan_clear  (SegJsonScan *scan);
gboolean             seg_json_scan_object (SegJsonScan *scan,
                                           const char  *text,
                                           gsize        len);
/* Like scan_object() but for text that holds one top-level value of any type. */
const SegJsonEntry  *seg_json_scan_find   (SegJsonScan *scan,
                                           const char  *key);

static inline guint
seg_json_scan_n_entries (SegJsonScan *scan)
{
  return scan->entries->len;
}

static inline const SegJsonEntry *
seg_json_scan_entry (SegJsonScan *scan,
                     guint        i)
{
  return &g_array_index (scan->entries, SegJsonEntry, i);
}

/* Fast number parsing shared by the importers: a full JSON number or nothing. */
gboolean seg_parse_number (const char *str,
                           gsize       len,
                           double     *out);

G_END_DECLS
