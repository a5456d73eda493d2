/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-batch"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "seg-live-batch.h"
#include "seg-time.h"

struct _SegLiveBatch
{
  GTimeZone    *tz;
  GStringChunk *strings;
  GArray       *records;     /* of SegRecord; props resolved in get() */
  GArray       *starts;      /* of guint: first prop of each record */
  GArray       *props;       /* of SegPropValue */
  GArray       *scratch[2];  /* of SegPropValue: evtData and profileData being read */
  GString      *buf;         /* a string being unescaped */
  JsonParser   *parser;
};

SegLiveBatch *
seg_live_batch_new (GTimeZone *tz)
{
  SegLiveBatch *self = g_new0 (SegLiveBatch, 1);

  self->tz = g_time_zone_ref (tz);
  self->strings = g_string_chunk_new (4096);
  self->records = g_array_new (FALSE, FALSE, sizeof (SegRecord));
  self->starts = g_array_new (FALSE, FALSE, sizeof (guint));
  self->props = g_array_new (FALSE, FALSE, sizeof (SegPropValue));
  self->parser = json_parser_new_immutable ();
  self->scratch[0] = g_array_new (FALSE, FALSE, sizeof (SegPropValue));
  self->scratch[1] = g_array_new (FALSE, FALSE, sizeof (SegPropValue));
  self->buf = g_string_new (NULL);
  return self;
}

void
seg_live_batch_free (SegLiveBatch *self)
{
  g_time_zone_unref (self->tz);
  g_string_chunk_free (self->strings);
  g_array_unref (self->records);
  g_array_unref (self->starts);
  g_array_unref (self->props);
  g_object_unref (self->parser);
  g_array_unref (self->scratch[0]);
  g_array_unref (self->scratch[1]);
  g_string_free (self->buf, TRUE);
  g_free (self);
}

void
seg_live_batch_clear (SegLiveBatch *self)
{
  g_string_chunk_clear (self->strings);
  g_array_set_size (self->records, 0);
  g_array_set_size (self->starts, 0);
  g_array_set_size (self->props, 0);
}

#define FAIL(...) \
  G_STMT_START { \
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, __VA_ARGS__); \
    g_array_set_size (self->props, first_prop); \
    return FALSE; \
  } G_STMT_END

static const char *
node_string (JsonObject *obj,
             const char *key)
{
  JsonNode *n = json_object_get_member (obj, key);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
add_props (SegLiveBatch  *self,
           JsonNode      *data,
           const char    *what,
           guint          first_prop,
           GError       **error)
{
  JsonObject *obj;
  JsonObjectIter it;
  const char *key;
  JsonNode *v;

  if (data == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (data))
    FAIL (_("“%s” must be an object"), what);
  obj = json_node_get_object (data);
  json_object_iter_init (&it, obj);
  while (json_object_iter_next (&it, &key, &v))
    {
      SegPropValue p = { 0 };

      p.key = g_string_chunk_insert_const (self->strings, key);
      if (JSON_NODE_HOLDS_NULL (v))
        p.type = SEG_VALUE_TYPE_NONE;
      else if (JSON_NODE_HOLDS_ARRAY (v))
        {
          JsonArray *arr = json_node_get_array (v);
          GString *items = g_string_new (NULL);
          for (guint i = 0; i < json_array_get_length (arr); i++)
            {
              JsonNode *e = json_array_get_element (arr, i);
              if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
                {
                  g_string_free (items, TRUE);
                  FAIL (_("%s.%s: a list may only hold strings"), what, key);
                }
              g_string_append (items, json_node_get_string (e));
              g_string_append_c (items, '\0');
            }
          p.type = SEG_VALUE_TYPE_LIST;
          p.str_len = items->len;
          p.str = g_string_chunk_insert_len (self->strings, items->str, items->len);
          g_string_free (items, TRUE);
        }
      else if (JSON_NODE_HOLDS_VALUE (v))
        {
          GType t = json_node_get_value_type (v);
          if (t == G_TYPE_STRING)
            {
              const char *s = json_node_get_string (v);
              if (g_str_has_prefix (s, "$D_"))
                {
                  char *end = NULL;
                  gint64 secs = g_ascii_strtoll (s + 3, &end, 10);
                  if (end == s + 3 || *end != '\0')
                    FAIL (_("%s.%s: “%s” is not a $D_ date"), what, key, s);
                  p.type = SEG_VALUE_TYPE_DATE;
                  p.num = (double) secs * 1000;
                }
              else
                {
                  p.type = SEG_VALUE_TYPE_STRING;
                  p.str_len = strlen (s);
                  p.str = g_string_chunk_insert_len (self->strings, s, p.str_len);
                }
            }
          else if (t == G_TYPE_BOOLEAN)
            {
              p.type = SEG_VALUE_TYPE_BOOLEAN;
              p.num = json_node_get_boolean (v) ? 1 : 0;
            }
          else
            {
              p.type = SEG_VALUE_TYPE_NUMBER;
              p.num = json_node_get_double (v);
              if (!isfinite (p.num))
                FAIL (_("%s.%s: not a finite number"), what, key);
            }
        }
      else
        FAIL (_("%s.%s: nested objects are not supported"), what, key);
      g_array_append_val (self->props, p);
    }
  return TRUE;
}

/* A small JSON reader for upload elements: it reads straight into the batch without
 * building a document, as json-glib would for every record (ten times the work). */

typedef struct
{
  const char *p;
  const char *end;
  const char *error;   /* why the JSON is malformed */
} Reader;

static inline void
skip_ws (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

static gboolean
expect (Reader *r,
        char    c)
{
  if (r->p < r->end && *r->p == c)
    {
      r->p++;
      return TRUE;
    }
  r->error = r->p < r->end ? "unexpected character" : "unexpected end";
  return FALSE;
}

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int c = p[i];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else return -1;
    }
  return v;
}

/* Reads a string into self->buf (unescaped, valid UTF-8). */
static gboolean
read_string (SegLiveBatch *self,
             Reader       *r)
{
  const char *start;

  g_string_truncate (self->buf, 0);
  if (!expect (r, '"'))
    return FALSE;
  for (;;)
    {
      start = r->p;
      while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (guchar) *r->p >= 0x20)
        r->p++;
      g_string_append_len (self->buf, start, r->p - start);
      if (r->p >= r->end)
        {
          r->error = "unterminated string";
          return FALSE;
        }
      if (*r->p == '"')
        {
          r->p++;
          break;
        }
      if ((guchar) *r->p < 0x20)
        {
          r->error = "control character in a string";
          return FALSE;
        }
      /* An escape. */
      if (r->end - r->p < 2)
        {
          r->error = "unterminated string";
          return FALSE;
        }
      r->p++;
      switch (*r->p++)
        {
        case '"': g_string_append_c (self->buf, '"'); break;
        case '\\': g_string_append_c (self->buf, '\\'); break;
        case '/': g_string_append_c (self->buf, '/'); break;
        case 'b': g_string_append_c (self->buf, '\b'); break;
        case 'f': g_string_append_c (self->buf, '\f'); break;
        case 'n': g_string_append_c (self->buf, '\n'); break;
        case 'r': g_string_append_c (self->buf, '\r'); break;
        case 't': g_string_append_c (self->buf, '\t'); break;
        case 'u':
          {
            int cp = r->end - r->p >= 4 ? hex4 (r->p) : -1;
            if (cp < 0)
              {
                r->error = "bad \\u escape";
                return FALSE;
              }
            r->p += 4;
            if (cp >= 0xd800 && cp <= 0xdbff)
              {
                int lo = r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u' ? hex4 (r->p + 2) : -1;
                if (lo < 0xdc00 || lo > 0xdfff)
                  {
                    r->error = "lone surrogate in a \\u escape";
                    return FALSE;
                  }
                r->p += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              }
            else if (cp >= 0xdc00 && cp <= 0xdfff)
              {
                r->error = "lone surrogate in a \\u escape";
                return FALSE;
              }
            if (cp == 0)
              {
                r->error = "NUL in a string";
                return FALSE;
              }
            g_string_append_unichar (self->buf, (gunichar) cp);
          }
          break;
        default:
          r->error = "bad escape";
          return FALSE;
        }
    }
  if (!g_utf8_validate_len (self->buf->str, self->buf->len, NULL))
    {
      r->error = "invalid UTF-8";
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_number (Reader *r,
             double *out)
{
  char tmp[64];
  const char *start = r->p;
  char *endp;
  gsize n;

  if (r->p < r->end && *r->p == '-')
    r->p++;
  while (r->p < r->end && ((*r->p >= '0' && *r->p <= '9') || *r->p == '.' || *r->p == 'e' ||
                           *r->p == 'E' || *r->p == '+' || *r->p == '-'))
    r->p++;
  n = r->p - start;
  if (n == 0 || n >= sizeof tmp)
    {
      r->error = "bad number";
      return FALSE;
    }
  memcpy (tmp, start, n);
  tmp[n] = '\0';
  *out = g_ascii_strtod (tmp, &endp);
  if (*endp != '\0' || !isfinite (*out) || (tmp[0] == '-' ? tmp[1] : tmp[0]) == '.')
    {
      r->error = "bad number";
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_literal (Reader     *r,
              const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (r->end - r->p) >= n && memcmp (r->p, word, n) == 0)
    {
      r->p += n;
      return TRUE;
    }
  r->error = "unexpected character";
  return FALSE;
}

/* Skips any value; only to check that it is well-formed. */
static gboolean
skip_value (Reader *r,
            guint   depth)
{
  if (depth > 64)
    {
      r->error = "nested too deeply";
      return FALSE;
    }
  skip_ws (r);
  if (r->p >= r->end)
    {
      r->error = "unexpected end";
      return FALSE;
    }
  switch (*r->p)
    {
    case '"':
      {
        /* Scan without unescaping. */
        r->p++;
        while (r->p < r->end && *r->p != '"')
          {
            if ((guchar) *r->p < 0x20)
              {
                r->error = "control character in a string";
                return FALSE;
              }
            r->p += *r->p == '\\' ? 2 : 1;
          }
        return expect (r, '"');
      }
    case '{':
    case '[':
      {
        char close = *r->p == '{' ? '}' : ']';
        gboolean obj = close == '}';
        r->p++;
        skip_ws (r);
        if (r->p < r->end && *r->p == close)
          {
            r->p++;
            return TRUE;
          }
        for (;;)
          {
            skip_ws (r);
            if (obj)
              {
                if (r->p >= r->end || *r->p != '"' || !skip_value (r, depth + 1))
                  {
                    r->error = r->error ? r->error : "expected a key";
                    return FALSE;
                  }
                skip_ws (r);
                if (!expect (r, ':'))
                  return FALSE;
              }
            if (!skip_value (r, depth + 1))
              return FALSE;
            skip_ws (r);
            if (r->p < r->end && *r->p == ',')
              {
                r->p++;
                continue;
              }
            return expect (r, close);
          }
      }
    case 't': return read_literal (r, "true");
    case 'f': return read_literal (r, "false");
    case 'n': return read_literal (r, "null");
    default:
      {
        double d;
        return read_number (r, &d);
      }
    }
}

static void
set_semantic (char       **semantic,
              const char  *fmt,
              ...) G_GNUC_PRINTF (2, 3);

static void
set_semantic (char       **semantic,
              const char  *fmt,
              ...)
{
  va_list ap;

  if (*semantic != NULL)
    return;
  va_start (ap, fmt);
  *semantic = g_strdup_vprintf (fmt, ap);
  va_end (ap);
}

/* Reads evtData/profileData into @out. */
static gboolean
read_props (SegLiveBatch  *self,
            Reader        *r,
            const char    *what,
            GArray        *out,
            char         **semantic)
{
  g_array_set_size (out, 0);
  skip_ws (r);
  if (r->p < r->end && *r->p == 'n')
    return read_literal (r, "null");
  if (r->p >= r->end || *r->p != '{')
    {
      set_semantic (semantic, _("“%s” must be an object"), what);
      return skip_value (r, 1);
    }
  r->p++;
  skip_ws (r);
  if (r->p < r->end && *r->p == '}')
    {
      r->p++;
      return TRUE;
    }
  for (;;)
    {
      SegPropValue v = { 0 };
      const char *key;

      skip_ws (r);
      if (!read_string (self, r))
        return FALSE;
      key = g_string_chunk_insert_const (self->strings, self->buf->str);
      skip_ws (r);
      if (!expect (r, ':'))
        return FALSE;
      skip_ws (r);
      if (r->p >= r->end)
        {
          r->error = "unexpected end";
          return FALSE;
        }
      v.key = key;
      switch (*r->p)
        {
        case '"':
          if (!read_string (self, r))
            return FALSE;
          if (g_str_has_prefix (self->buf->str, "$D_"))
            {
              char *endp = NULL;
              gint64 secs = g_ascii_strtoll (self->buf->str + 3, &endp, 10);
              if (endp == self->buf->str + 3 || *endp != '\0')
                set_semantic (semantic, _("%s.%s: “%s” is not a $D_ date"), what, key, self->buf->str);
              v.type = SEG_VALUE_TYPE_DATE;
              v.num = (double) secs * 1000;
            }
          else
            {
              v.type = SEG_VALUE_TYPE_STRING;
              v.str_len = self->buf->len;
              v.str = g_string_chunk_insert_len (self->strings, self->buf->str, self->buf->len);
            }
          break;
        case 't':
        case 'f':
          v.type = SEG_VALUE_TYPE_BOOLEAN;
          v.num = *r->p == 't';
          if (!read_literal (r, *r->p == 't' ? "true" : "false"))
            return FALSE;
          break;
        case 'n':
          v.type = SEG_VALUE_TYPE_NONE;
          if (!read_literal (r, "null"))
            return FALSE;
          break;
        case '[':
          {
            GString *items = g_string_new (NULL);
            gboolean ok = TRUE, strings_only = TRUE;
            r->p++;
            skip_ws (r);
            if (r->p < r->end && *r->p == ']')
              r->p++;
            else
              for (;;)
                {
                  skip_ws (r);
                  if (r->p < r->end && *r->p == '"')
                    {
                      if (!(ok = read_string (self, r)))
                        break;
                      g_string_append_len (items, self->buf->str, self->buf->len);
                      g_string_append_c (items, '\0');
                    }
                  else
                    {
                      strings_only = FALSE;
                      if (!(ok = skip_value (r, 2)))
                        break;
                    }
                  skip_ws (r);
                  if (r->p < r->end && *r->p == ',')
                    {
                      r->p++;
                      continue;
                    }
                  ok = expect (r, ']');
                  break;
                }
            if (ok && !strings_only)
              set_semantic (semantic, _("%s.%s: a list may only hold strings"), what, key);
            v.type = SEG_VALUE_TYPE_LIST;
            v.str_len = items->len;
            v.str = g_string_chunk_insert_len (self->strings, items->str, items->len);
            g_string_free (items, TRUE);
            if (!ok)
              return FALSE;
          }
          break;
        case '{':
          set_semantic (semantic, _("%s.%s: nested objects are not supported"), what, key);
          if (!skip_value (r, 2))
            return FALSE;
          break;
        default:
          v.type = SEG_VALUE_TYPE_NUMBER;
          if (!read_number (r, &v.num))
            return FALSE;
          break;
        }
      g_array_append_val (out, v);
      skip_ws (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      return expect (r, '}');
    }
}

/* Reads one element. Returns FALSE if the JSON is malformed (r->error says why); a
 * well-formed element that is not a valid record sets @semantic and adds nothing. */
static gboolean
read_element (SegLiveBatch  *self,
              Reader        *r,
              gint64         now_ms,
              char         **semantic)
{
  const char *type = NULL, *identity = NULL, *name = NULL, *insert_id = NULL;
  gboolean has_ts = FALSE, ts_bad = FALSE, has_evt = FALSE, has_profile = FALSE;
  gboolean identity_bad = FALSE;
  SegRecord rec = { 0 };
  guint first_prop = self->props->len;
  GArray *chosen;

  if (r->p >= r->end || *r->p != '{')
    {
      if (!skip_value (r, 1))
        return FALSE;
      set_semantic (semantic, _("each record must be a JSON object"));
      return TRUE;
    }
  r->p++;
  skip_ws (r);
  if (r->p < r->end && *r->p == '}')
    r->p++;
  else
    for (;;)
      {
        char key[16];
        gboolean is_str;

        skip_ws (r);
        if (!read_string (self, r))
          return FALSE;
        g_strlcpy (key, self->buf->len < sizeof key ? self->buf->str : "", sizeof key);
        skip_ws (r);
        if (!expect (r, ':'))
          return FALSE;
        skip_ws (r);
        is_str = r->p < r->end && *r->p == '"';
        if (g_str_equal (key, "evtData"))
          {
            if (!read_props (self, r, "evtData", self->scratch[0], semantic))
              return FALSE;
            has_evt = TRUE;
          }
        else if (g_str_equal (key, "profileData"))
          {
            if (!read_props (self, r, "profileData", self->scratch[1], semantic))
              return FALSE;
            has_profile = TRUE;
          }
        else if (g_str_equal (key, "ts"))
          {
            has_ts = TRUE;
            if (is_str)
              {
                if (!read_string (self, r))
                  return FALSE;
                if (!seg_time_parse_timestamp (self->buf->str, self->buf->len, self->tz, &rec.ts_ms))
                  set_semantic (semantic, _("“ts” is not a time: “%s”"), self->buf->str);
              }
            else if (r->p < r->end && (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')))
              {
                double d;
                if (!read_number (r, &d))
                  return FALSE;
                if (d < 0)
                  ts_bad = TRUE;
                rec.ts_ms = d < 1e11 ? (gint64) (d * 1000) : (gint64) d;
              }
            else
              {
                ts_bad = TRUE;
                if (!skip_value (r, 1))
                  return FALSE;
              }
          }
        else if (is_str && (g_str_equal (key, "type") || g_str_equal (key, "identity") ||
                            g_str_equal (key, "objectId") || g_str_equal (key, "evtName") ||
                            g_str_equal (key, "insert_id") || g_str_equal (key, "$insert_id")))
          {
            const char *v;
            if (!read_string (self, r))
              return FALSE;
            v = g_string_chunk_insert_len (self->strings, self->buf->str, self->buf->len);
            if (key[0] == 't')
              type = v;
            else if (key[0] == 'i' && key[1] == 'd')
              identity = v;
            else if (key[0] == 'o')
              identity = identity ? identity : v;
            else if (key[0] == 'e')
              name = v;
            else
              insert_id = v;
          }
        else if (g_str_equal (key, "identity") && r->p < r->end &&
                 (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')))
          {
            double d;
            char buf[32];
            if (!read_number (r, &d))
              return FALSE;
            if (d != (double) (gint64) d)
              identity_bad = TRUE;
            g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, (gint64) d);
            identity = g_string_chunk_insert (self->strings, buf);
          }
        else if (!skip_value (r, 1))
          return FALSE;
        skip_ws (r);
        if (r->p < r->end && *r->p == ',')
          {
            r->p++;
            continue;
          }
        if (!expect (r, '}'))
          return FALSE;
        break;
      }

  if (type == NULL)
    set_semantic (semantic, _("missing “type” (“event” or “profile”)"));
  else if (g_str_equal (type, "event"))
    rec.kind = SEG_RECORD_EVENT;
  else if (g_str_equal (type, "profile"))
    rec.kind = SEG_RECORD_PROFILE;
  else
    set_semantic (semantic, _("“type” must be “event” or “profile”, not “%s”"), type);
  if (identity == NULL || *identity == '\0' || identity_bad)
    set_semantic (semantic, _("missing “identity”"));
  if (ts_bad)
    set_semantic (semantic, _("“ts” must be epoch seconds, milliseconds or an ISO-8601 time"));
  if (type != NULL && rec.kind == SEG_RECORD_EVENT && (name == NULL || *name == '\0'))
    set_semantic (semantic, _("an event needs “evtName”"));
  if (*semantic != NULL)
    return TRUE;

  rec.user_id = identity;
  rec.event = rec.kind == SEG_RECORD_EVENT ? g_string_chunk_insert_const (self->strings, name) : NULL;
  rec.insert_id = insert_id;
  if (!has_ts)
    rec.ts_ms = now_ms;
  chosen = rec.kind == SEG_RECORD_EVENT ? (has_evt ? self->scratch[0] : NULL)
                                        : (has_profile ? self->scratch[1] : NULL);
  if (chosen != NULL && chosen->len > 0)
    g_array_append_vals (self->props, chosen->data, chosen->len);
  rec.n_props = self->props->len - first_prop;
  g_array_append_val (self->records, rec);
  g_array_append_val (self->starts, first_prop);
  return TRUE;
}

/**
 * seg_live_batch_add_node:
 * @self: a batch
 * @node: one element of an upload
 * @now_ms: the time of elements without "ts"
 * @error: return location for an error saying what is wrong with the element
 *
 * Returns: %FALSE if the element is not a valid event or profile; the batch is unchanged
 */
gboolean
seg_live_batch_add_node (SegLiveBatch  *self,
                         JsonNode      *node,
                         gint64         now_ms,
                         GError       **error)
{
  guint first_prop = self->props->len;
  SegRecord r = { 0 };
  JsonObject *obj;
  const char *type, *identity, *insert_id;
  JsonNode *ts;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    FAIL (_("each record must be a JSON object"));
  obj = json_node_get_object (node);
  type = node_string (obj, "type");
  if (type == NULL)
    FAIL (_("missing “type” (“event” or “profile”)"));
  if (g_str_equal (type, "event"))
    r.kind = SEG_RECORD_EVENT;
  else if (g_str_equal (type, "profile"))
    r.kind = SEG_RECORD_PROFILE;
  else
    FAIL (_("“type” must be “event” or “profile”, not “%s”"), type);

  identity = node_string (obj, "identity");
  if (identity == NULL)
    identity = node_string (obj, "objectId");
  if (identity == NULL)
    {
      JsonNode *n = json_object_get_member (obj, "identity");
      if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
        {
          char buf[32];
          g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (n));
          identity = g_string_chunk_insert (self->strings, buf);
        }
    }
  if (identity == NULL || *identity == '\0')
    FAIL (_("missing “identity”"));
  r.user_id = g_string_chunk_insert (self->strings, identity);

  ts = json_object_get_member (obj, "ts");
  if (ts == NULL)
    r.ts_ms = now_ms;
  else if (JSON_NODE_HOLDS_VALUE (ts) && json_node_get_value_type (ts) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (ts);
      if (!seg_time_parse_timestamp (s, strlen (s), self->tz, &r.ts_ms))
        FAIL (_("“ts” is not a time: “%s”"), s);
    }
  else if (JSON_NODE_HOLDS_VALUE (ts) &&
           (json_node_get_value_type (ts) == G_TYPE_INT64 || json_node_get_value_type (ts) == G_TYPE_DOUBLE))
    {
      double d = json_node_get_double (ts);
      if (!isfinite (d) || d < 0)
        FAIL (_("“ts” must be epoch seconds or milliseconds"));
      r.ts_ms = d < 1e11 ? (gint64) (d * 1000) : (gint64) d;
    }
  else
    FAIL (_("“ts” must be epoch seconds, milliseconds or an ISO-8601 time"));

  insert_id = node_string (obj, "insert_id");
  if (insert_id == NULL)
    insert_id = node_string (obj, "$insert_id");
  if (insert_id != NULL)
    r.insert_id = g_string_chunk_insert (self->strings, insert_id);

  if (r.kind == SEG_RECORD_EVENT)
    {
      const char *name = node_string (obj, "evtName");
      if (name == NULL || *name == '\0')
        FAIL (_("an event needs “evtName”"));
      r.event = g_string_chunk_insert_const (self->strings, name);
      if (!add_props (self, json_object_get_member (obj, "evtData"), "evtData", first_prop, error))
        return FALSE;
    }
  else if (!add_props (self, json_object_get_member (obj, "profileData"), "profileData",
                       first_prop, error))
    return FALSE;

  r.n_props = self->props->len - first_prop;
  g_array_append_val (self->records, r);
  g_array_append_val (self->starts, first_prop);
  return TRUE;
}

/**
 * seg_live_batch_add_line:
 * @self: a batch
 * @line: one JSON line, without its newline
 * @len: its length
 * @now_ms: the time of elements without "ts"
 * @error: return location for an error
 *
 * Returns: %FALSE if the line is not JSON or not a valid element
 */
gboolean
seg_live_batch_add_line (SegLiveBatch  *self,
                         const char    *line,
                         gsize          len,
                         gint64         now_ms,
                         GError       **error)
{
  Reader r = { line, line + len, NULL };
  g_autofree char *semantic = NULL;

  skip_ws (&r);
  if (!read_element (self, &r, now_ms, &semantic))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("not JSON: %s at byte %u"),
                   r.error, (guint) (r.p - line));
      return FALSE;
    }
  skip_ws (&r);
  if (r.p != r.end)
    {
      if (semantic == NULL)
        {
          /* Drop the record just added: the line as a whole is not one record. */
          g_array_set_size (self->props, g_array_index (self->starts, guint, self->starts->len - 1));
          g_array_set_size (self->records, self->records->len - 1);
          g_array_set_size (self->starts, self->starts->len - 1);
        }
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("not JSON: text after the record"));
      return FALSE;
    }
  if (semantic != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, semantic);
      return FALSE;
    }
  return TRUE;
}

/**
 * seg_live_batch_add_upload:
 * @self: a batch
 * @data: an upload body, {"d": [ELEMENT, …]}
 * @len: its length
 * @now_ms: the time of elements without "ts"
 * @func: called with the index and the reason of each element that is not a valid record
 * @user_data: closure
 * @error: return location for an error if the body is not an upload at all
 *
 * Returns: %FALSE if the body is not JSON or has no "d" list; valid records added until
 *   then stay in the batch, so clear it
 */
gboolean
seg_live_batch_add_upload (SegLiveBatch           *self,
                           const char             *data,
                           gsize                   len,
                           gint64                  now_ms,
                           SegLiveBatchErrorFunc   func,
                           gpointer                user_data,
                           GError                **error)
{
  Reader r = { data, data + len, NULL };
  gboolean seen_d = FALSE;

  skip_ws (&r);
  if (!expect (&r, '{'))
    goto not_upload;
  skip_ws (&r);
  if (r.p < r.end && *r.p == '}')
    r.p++;
  else
    for (;;)
      {
        g_autofree char *key = NULL;

        skip_ws (&r);
        if (!read_string (self, &r) || (key = g_strdup (self->buf->str), FALSE))
          goto bad_json;
        skip_ws (&r);
        if (!expect (&r, ':'))
          goto bad_json;
        skip_ws (&r);
        if (g_str_equal (key, "d") && r.p < r.end && *r.p == '[')
          {
            guint index = 0;

            seen_d = TRUE;
            r.p++;
            skip_ws (&r);
            if (r.p < r.end && *r.p == ']')
              r.p++;
            else
              for (;;)
                {
                  g_autofree char *semantic = NULL;

                  skip_ws (&r);
                  if (!read_element (self, &r, now_ms, &semantic))
                    goto bad_json;
                  if (semantic != NULL)
                    func (index, semantic, user_data);
                  index++;
                  skip_ws (&r);
                  if (r.p < r.end && *r.p == ',')
                    {
                      r.p++;
                      continue;
                    }
                  if (!expect (&r, ']'))
                    goto bad_json;
                  break;
                }
          }
        else if (!skip_value (&r, 0))
          goto bad_json;
        skip_ws (&r);
        if (r.p < r.end && *r.p == ',')
          {
            r.p++;
            continue;
          }
        if (!expect (&r, '}'))
          goto bad_json;
        break;
      }
  skip_ws (&r);
  if (r.p != r.end)
    {
      r.error = "text after the body";
      goto bad_json;
    }
  if (!seen_d)
    goto not_upload;
  return TRUE;

bad_json:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("the body is not JSON: %s at byte %u"),
               r.error ? r.error : "unexpected character", (guint) (r.p - data));
  return FALSE;
not_upload:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("the body must be {\"d\": [records…]}"));
  return FALSE;
}

guint
seg_live_batch_get_length (SegLiveBatch *self)
{
  return self->records->len;
}

/**
 * seg_live_batch_get:
 * @self: a batch
 * @i: an index
 *
 * Returns: the record, valid until the batch is changed
 */
const SegRecord *
seg_live_batch_get (SegLiveBatch *self,
                    guint         i)
{
  SegRecord *r = &g_array_index (self->records, SegRecord, i);

  r->props = r->n_props > 0
    ? &g_array_index (self->props, SegPropValue, g_array_index (self->starts, guint, i))
    : NULL;
  return r;
}

/**
 * seg_live_batch_get_records:
 * @self: a batch
 * @n: (out): the number of records
 *
 * Returns: (array length=n) (transfer none): all records, contiguous and with their
 *   properties resolved (for seg_live_engine_push_many()); valid until the batch changes
 */
const SegRecord *
seg_live_batch_get_records (SegLiveBatch *self,
                            guint        *n)
{
  *n = self->records->len;
  for (guint i = 0; i < self->records->len; i++)
    seg_live_batch_get (self, i);
  return (const SegRecord *) self->records->data;
}

typedef struct
{
  SegRecord r;
  guint     start;
  guint     order;
} SortItem;

static gint
sort_cmp (gconstpointer a,
          gconstpointer b)
{
  const SortItem *x = a, *y = b;

  if (x->r.ts_ms != y->r.ts_ms)
    return x->r.ts_ms < y->r.ts_ms ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/**
 * seg_live_batch_sort:
 * @self: a batch
 *
 * Orders the records by time, keeping the file order of records with the same time.
 */
void
seg_live_batch_sort (SegLiveBatch *self)
{
  guint n = self->records->len;
  g_autofree SortItem *items = g_new (SortItem, n);

  for (guint i = 0; i < n; i++)
    {
      items[i].r = g_array_index (self->records, SegRecord, i);
      items[i].start = g_array_index (self->starts, guint, i);
      items[i].order = i;
    }
  qsort (items, n, sizeof (SortItem), sort_cmp);
  for (guint i = 0; i < n; i++)
    {
      g_array_index (self->records, SegRecord, i) = items[i].r;
      g_array_index (self->starts, guint, i) = items[i].start;
    }
}

/**
 * seg_live_batch_add_record:
 * @self: a batch
 * @record: a borrowed record (a store's event, say)
 *
 * Appends a copy of @record: its strings and properties then belong to the batch.
 */
void
seg_live_batch_add_record (SegLiveBatch    *self,
                           const SegRecord *record)
{
  SegRecord rec = *record;
  guint first_prop = self->props->len;

  rec.user_id = g_string_chunk_insert_const (self->strings, record->user_id);
  rec.event = record->event ? g_string_chunk_insert_const (self->strings, record->event) : NULL;
  rec.insert_id = record->insert_id ? g_string_chunk_insert (self->strings, record->insert_id) : NULL;
  for (guint i = 0; i < record->n_props; i++)
    {
      SegPropValue p = record->props[i];

      p.key = g_string_chunk_insert_const (self->strings, p.key);
      if (p.str != NULL)
        p.str = g_string_chunk_insert_len (self->strings, p.str, p.str_len);
      g_array_append_val (self->props, p);
    }
  rec.props = NULL;   /* resolved in get(), the props array may move */
  rec.n_props = self->props->len - first_prop;
  g_array_append_val (self->records, rec);
  g_array_append_val (self->starts, first_prop);
}
