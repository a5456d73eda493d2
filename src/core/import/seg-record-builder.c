/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-record-builder"

#include "config.h"

#include <string.h>

#include "seg-import-time.h"
#include "seg-json-scan.h"
#include "seg-record-builder.h"

void
seg_record_builder_init (SegRecordBuilder *b)
{
  memset (b, 0, sizeof *b);
  b->props_cap = 64;
  b->props = g_new0 (SegPropValue, b->props_cap);
  b->fixups_cap = 16;
  b->fixups = g_new0 (guint, b->fixups_cap);
  b->arena = g_string_sized_new (1024);
  seg_record_builder_reset (b, SEG_RECORD_EVENT);
}

void
seg_record_builder_clear (SegRecordBuilder *b)
{
  g_clear_pointer (&b->props, g_free);
  g_clear_pointer (&b->fixups, g_free);
  if (b->arena != NULL)
    g_string_free (g_steal_pointer (&b->arena), TRUE);
}

void
seg_record_builder_reset (SegRecordBuilder *b,
                          SegRecordKind     kind)
{
  memset (&b->record, 0, sizeof b->record);
  b->record.kind = kind;
  b->n_props = 0;
  b->n_fixups = 0;
  b->arena->len = 0;
  b->user_off = b->event_off = b->insert_off = -1;
}

static gssize
intern (SegRecordBuilder *b,
        const char       *str,
        gsize             len)
{
  gssize off = b->arena->len;

  g_string_append_len (b->arena, str, len);
  g_string_append_c (b->arena, '\0');
  return off;
}

void
seg_record_builder_set_user_copy (SegRecordBuilder *b,
                                  const char       *str,
                                  gsize             len)
{
  b->user_off = intern (b, str, len);
}

void
seg_record_builder_set_event_copy (SegRecordBuilder *b,
                                   const char       *str,
                                   gsize             len)
{
  b->event_off = intern (b, str, len);
}

void
seg_record_builder_set_insert_copy (SegRecordBuilder *b,
                                    const char       *str,
                                    gsize             len)
{
  b->insert_off = intern (b, str, len);
}

static inline void
add_fixup (SegRecordBuilder *b,
           guint             index)
{
  if (G_UNLIKELY (b->n_fixups == b->fixups_cap))
    {
      b->fixups_cap *= 2;
      b->fixups = g_renew (guint, b->fixups, b->fixups_cap);
    }
  b->fixups[b->n_fixups++] = index;
}

static inline SegPropValue *
push (SegRecordBuilder *b,
      const char       *key,
      SegValueType      type)
{
  SegPropValue *v;

  if (G_UNLIKELY (b->n_props == b->props_cap))
    {
      b->props_cap *= 2;
      b->props = g_renew (SegPropValue, b->props, b->props_cap);
    }
  v = &b->props[b->n_props++];
  v->key = key;
  v->type = type;
  v->str = NULL;
  v->str_len = 0;
  v->num = 0;
  return v;
}

void
seg_record_builder_add_string (SegRecordBuilder *b,
                               const char       *key,
                               const char       *str,
                               gsize             len)
{
  SegPropValue *v = push (b, key, SEG_VALUE_TYPE_STRING);

  v->str = str;
  v->str_len = len;
}

void
seg_record_builder_add_string_copy (SegRecordBuilder *b,
                                    const char       *key,
                                    const char       *str,
                                    gsize             len)
{
  guint index = b->n_props;
  SegPropValue *v = push (b, key, SEG_VALUE_TYPE_STRING);

  v->str = GSIZE_TO_POINTER ((gsize) intern (b, str, len));
  v->str_len = len;
  add_fixup (b, index);
}

void
seg_record_builder_add_list (SegRecordBuilder *b,
                             const char       *key,
                             const char       *items,
                             gsize             len)
{
  SegPropValue *v = push (b, key, SEG_VALUE_TYPE_LIST);

  v->str = items;
  v->str_len = len;
}

void
seg_record_builder_add_list_copy (SegRecordBuilder *b,
                                  const char       *key,
                                  const char       *items,
                                  gsize             len)
{
  guint index = b->n_props;
  SegPropValue *v = push (b, key, SEG_VALUE_TYPE_LIST);
  gssize off = b->arena->len;

  g_string_append_len (b->arena, items, len);
  v->str = GSIZE_TO_POINTER ((gsize) off);
  v->str_len = len;
  add_fixup (b, index);
}

void
seg_record_builder_add_number (SegRecordBuilder *b,
                               const char       *key,
                               double            num)
{
  push (b, key, SEG_VALUE_TYPE_NUMBER)->num = num;
}

void
seg_record_builder_add_boolean (SegRecordBuilder *b,
                                const char       *key,
                                gboolean          value)
{
  push (b, key, SEG_VALUE_TYPE_BOOLEAN)->num = value ? 1 : 0;
}

void
seg_record_builder_add_date (SegRecordBuilder *b,
                             const char       *key,
                             gint64            ms)
{
  push (b, key, SEG_VALUE_TYPE_DATE)->num = (double) ms;
}

void
seg_record_builder_add_null (SegRecordBuilder *b,
                             const char       *key)
{
  push (b, key, SEG_VALUE_TYPE_NONE);
}

static gboolean
parse_bool (const char *str,
            gsize       len,
            gboolean   *out)
{
  if ((len == 4 && g_ascii_strncasecmp (str, "true", 4) == 0))
    {
      *out = TRUE;
      return TRUE;
    }
  if ((len == 5 && g_ascii_strncasecmp (str, "false", 5) == 0))
    {
      *out = FALSE;
      return TRUE;
    }
  return FALSE;
}

/*
 * Inference is deliberately conservative: text that only looks like a number because it
 * is made of digits but is an identifier (a leading zero as in a zip code, a leading '+'
 * as in a phone number) stays a string.
 */
SegValueType
seg_infer_value_type (const char *str,
                      gsize       len,
                      double     *num)
{
  gboolean bval;
  gint64 ms;
  char c;

  *num = 0;
  if (len == 0)
    return SEG_VALUE_TYPE_NONE;

  c = str[0];
  if (g_ascii_isdigit (c) || c == '-')
    {
      gsize i = c == '-' ? 1 : 0;

      if (len >= 10 && str[4] == '-' && seg_parse_iso8601_utc (str, len, &ms))
        {
          *num = (double) ms;
          return SEG_VALUE_TYPE_DATE;
        }
      if (!(i + 1 < len && str[i] == '0' && g_ascii_isdigit (str[i + 1])) &&
          seg_parse_number (str, len, num))
        return SEG_VALUE_TYPE_NUMBER;
      return SEG_VALUE_TYPE_STRING;
    }
  if ((c == 't' || c == 'T' || c == 'f' || c == 'F') && parse_bool (str, len, &bval))
    {
      *num = bval;
      return SEG_VALUE_TYPE_BOOLEAN;
    }
  if (c == '[' && len >= 2 && str[len - 1] == ']')
    return SEG_VALUE_TYPE_LIST;
  return SEG_VALUE_TYPE_STRING;
}

/* Items of a list cell: a JSON array of scalars, or text separated by ';'. */
static void
add_list_from_text (SegRecordBuilder *b,
                    const char       *key,
                    const char       *str,
                    gsize             len)
{
  guint index = b->n_props;
  SegPropValue *v = push (b, key, SEG_VALUE_TYPE_LIST);
  gsize off = b->arena->len;

  if (len >= 2 && str[0] == '[' && str[len - 1] == ']')
    {
      /* ["a", "b", 3] or [a, b]: items separated by commas, quotes and spaces trimmed. */
      gsize i = 1;
      while (i < len - 1)
        {
          gsize s, e;

          while (i < len - 1 && (str[i] == ' ' || str[i] == '\t'))
            i++;
          s = i;
          if (i < len - 1 && str[i] == '"')
            {
              s = ++i;
              while (i < len - 1 && str[i] != '"')
                i++;
              e = i;
              if (i < len - 1)
                i++;
              while (i < len - 1 && str[i] != ',')
                i++;
            }
          else
            {
              while (i < len - 1 && str[i] != ',')
                i++;
              e = i;
              while (e > s && (str[e - 1] == ' ' || str[e - 1] == '\t'))
                e--;
            }
          if (e > s)
            {
              g_string_append_len (b->arena, str + s, e - s);
              g_string_append_c (b->arena, '\0');
            }
          if (i < len - 1 && str[i] == ',')
            i++;
        }
    }
  else
    {
      gsize s = 0;
      for (gsize i = 0; i <= len; i++)
        if (i == len || str[i] == ';')
          {
            if (i > s)
              {
                g_string_append_len (b->arena, str + s, i - s);
                g_string_append_c (b->arena, '\0');
              }
            s = i + 1;
          }
    }

  /* push() may have moved the array: fetch the value again. */
  v = &b->props[index];
  v->str = GSIZE_TO_POINTER (off);
  v->str_len = b->arena->len - off;
  add_fixup (b, index);
}

void
seg_record_builder_add_inferred (SegRecordBuilder *b,
                                 const char       *key,
                                 const char       *str,
                                 gsize             len)
{
  double num;

  switch (seg_infer_value_type (str, len, &num))
    {
    case SEG_VALUE_TYPE_NONE:
      break;
    case SEG_VALUE_TYPE_NUMBER:
      seg_record_builder_add_number (b, key, num);
      break;
    case SEG_VALUE_TYPE_BOOLEAN:
      seg_record_builder_add_boolean (b, key, num != 0);
      break;
    case SEG_VALUE_TYPE_DATE:
      seg_record_builder_add_date (b, key, (gint64) num);
      break;
    case SEG_VALUE_TYPE_LIST:
      add_list_from_text (b, key, str, len);
      break;
    case SEG_VALUE_TYPE_STRING:
    default:
      seg_record_builder_add_string (b, key, str, len);
      break;
    }
}

gboolean
seg_record_builder_add_typed (SegRecordBuilder *b,
                              const char       *key,
                              SegValueType      type,
                              const char       *str,
                              gsize             len)
{
  double num;
  gboolean bval;
  gint64 ms;

  if (len == 0)
    return TRUE;

  switch (type)
    {
    case SEG_VALUE_TYPE_NONE:
      seg_record_builder_add_inferred (b, key, str, len);
      return TRUE;
    case SEG_VALUE_TYPE_STRING:
      seg_record_builder_add_string (b, key, str, len);
      return TRUE;
    case SEG_VALUE_TYPE_NUMBER:
      if (!seg_parse_number (str, len, &num))
        return FALSE;
      seg_record_builder_add_number (b, key, num);
      return TRUE;
    case SEG_VALUE_TYPE_BOOLEAN:
      if (parse_bool (str, len, &bval))
        ;
      else if (len == 1 && (str[0] == '0' || str[0] == '1'))
        bval = str[0] == '1';
      else if ((len == 3 && g_ascii_strncasecmp (str, "yes", 3) == 0) ||
               (len == 2 && g_ascii_strncasecmp (str, "no", 2) == 0))
        bval = len == 3;
      else
        return FALSE;
      seg_record_builder_add_boolean (b, key, bval);
      return TRUE;
    case SEG_VALUE_TYPE_DATE:
      if (seg_parse_iso8601_utc (str, len, &ms))
        ;
      else if (seg_parse_number (str, len, &num))
        ms = num < 1e11 && num > -1e11 ? (gint64) (num * 1000) : (gint64) num;
      else
        return FALSE;
      seg_record_builder_add_date (b, key, ms);
      return TRUE;
    case SEG_VALUE_TYPE_LIST:
      add_list_from_text (b, key, str, len);
      return TRUE;
    default:
      return FALSE;
    }
}

const SegRecord *
seg_record_builder_finish (SegRecordBuilder *b)
{
  for (guint i = 0; i < b->n_fixups; i++)
    {
      SegPropValue *v = &b->props[b->fixups[i]];
      v->str = b->arena->str + GPOINTER_TO_SIZE (v->str);
    }
  b->n_fixups = 0;
  if (b->user_off >= 0)
    b->record.user_id = b->arena->str + b->user_off;
  if (b->event_off >= 0)
    b->record.event = b->arena->str + b->event_off;
  if (b->insert_off >= 0)
    b->record.insert_id = b->arena->str + b->insert_off;
  b->record.n_props = b->n_props;
  b->record.props = b->props;
  return &b->record;
}
