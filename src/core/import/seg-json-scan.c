/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-json-scan"

#include "config.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "seg-import-util.h"
#include "seg-json-scan.h"

#define MAX_DEPTH 48

#define ONES  G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

/* GString appends without a function call on the common path. */
static inline void
arena_append (GString    *a,
              const char *p,
              gsize       n)
{
  if (G_UNLIKELY (a->len + n + 1 > a->allocated_len))
    {
      g_string_append_len (a, p, n);
      return;
    }
  memcpy (a->str + a->len, p, n);
  a->len += n;
  a->str[a->len] = '\0';
}

static inline void
arena_putc (GString *a,
            char     c)
{
  if (G_UNLIKELY (a->len + 2 > a->allocated_len))
    {
      g_string_append_c (a, c);
      return;
    }
  a->str[a->len++] = c;
  a->str[a->len] = '\0';
}

static inline void
arena_truncate (GString *a,
                gsize    len)
{
  a->len = len;
  a->str[len] = '\0';
}

typedef struct
{
  SegJsonScan *scan;
  const char  *p;
  const char  *end;
  const char  *start;
} Parser;

void
seg_json_scan_init (SegJsonScan *scan)
{
  memset (scan, 0, sizeof *scan);
  scan->entries = g_array_sized_new (FALSE, FALSE, sizeof (SegJsonEntry), 64);
  scan->arena = g_string_sized_new (4096);
}

void
seg_json_scan_clear (SegJsonScan *scan)
{
  g_clear_pointer (&scan->entries, g_array_unref);
  if (scan->arena != NULL)
    g_string_free (g_steal_pointer (&scan->arena), TRUE);
}

static gboolean
fail (Parser     *ps,
      const char *reason)
{
  if (ps->scan->error == NULL)
    {
      ps->scan->error = reason;
      ps->scan->error_pos = ps->p - ps->start;
    }
  return FALSE;
}

static inline void
skip_ws (Parser *ps)
{
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static const double pow10_table[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Returns the length of the JSON number at str, 0 if there is none. */
static gsize
number_span (const char *str,
             gsize       len)
{
  gsize i = 0;

  if (i < len && str[i] == '-')
    i++;
  if (i >= len || !g_ascii_isdigit (str[i]))
    return 0;
  if (str[i] == '0')
    i++;
  else
    while (i < len && g_ascii_isdigit (str[i]))
      i++;
  if (i < len && str[i] == '.')
    {
      i++;
      if (i >= len || !g_ascii_isdigit (str[i]))
        return 0;
      while (i < len && g_ascii_isdigit (str[i]))
        i++;
    }
  if (i < len && (str[i] == 'e' || str[i] == 'E'))
    {
      i++;
      if (i < len && (str[i] == '+' || str[i] == '-'))
        i++;
      if (i >= len || !g_ascii_isdigit (str[i]))
        return 0;
      while (i < len && g_ascii_isdigit (str[i]))
        i++;
    }
  return i;
}

/*
 * Most numbers in exports are short integers or decimals: compute them exactly from a
 * 64-bit mantissa and fall back to g_ascii_strtod() for the rest.
 */
static gboolean
parse_number_prefix (const char *str,
                     gsize       len,
                     double     *out,
                     gsize      *used)
{
  gsize n = number_span (str, len);
  gsize i = 0;
  guint64 mant = 0;
  int digits = 0;
  int frac = 0;
  gboolean neg = FALSE;

  if (n == 0)
    return FALSE;
  *used = n;

  if (str[0] == '-')
    {
      neg = TRUE;
      i++;
    }
  for (; i < n && g_ascii_isdigit (str[i]); i++)
    {
      mant = mant * 10 + (str[i] - '0');
      if (mant != 0)
        digits++;
    }
  if (i < n && str[i] == '.')
    {
      for (i++; i < n && g_ascii_isdigit (str[i]); i++)
        {
          mant = mant * 10 + (str[i] - '0');
          if (mant != 0)
            digits++;
          frac++;
        }
    }
  if (i == n && digits <= 15 && frac <= 22)
    {
      double v = (double) mant / pow10_table[frac];
      *out = neg ? -v : v;
      return TRUE;
    }
  else
    {
      char tmp[64];
      if (n < sizeof tmp)
        {
          memcpy (tmp, str, n);
          tmp[n] = '\0';
          *out = g_ascii_strtod (tmp, NULL);
        }
      else
        {
          g_autofree char *big = g_strndup (str, n);
          *out = g_ascii_strtod (big, NULL);
        }
      return TRUE;
    }
}

gboolean
seg_parse_number (const char *str,
                  gsize       len,
                  double     *out)
{
  gsize used = 0;

  return parse_number_prefix (str, len, out, &used) && used == len;
}

static inline int
hexval (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Parser   *ps,
           gunichar *out)
{
  gunichar v = 0;

  if (ps->end - ps->p < 4)
    return fail (ps, "truncated \\u escape");
  for (int i = 0; i < 4; i++)
    {
      int h = hexval (ps->p[i]);
      if (h < 0)
        return fail (ps, "invalid \\u escape");
      v = (v << 4) | h;
    }
  ps->p += 4;
  *out = v;
  return TRUE;
}

/*
 * Appends the unescaped string at ps->p (just after the opening quote) to the arena,
 * followed by a NUL byte. Returns the offset of the string and its length.
 */
static gboolean
parse_string (Parser *ps,
              gsize  *off,
              gsize  *len)
{
  GString *arena = ps->scan->arena;
  const char *run = ps->p;
  guint high = 0;   /* non-zero when a raw (not escaped) byte is not ASCII */

  *off = arena->len;
  for (;;)
    {
      const char *q = ps->p;

#ifdef __SSE2__
      /* Sixteen bytes at a time: the first quote, backslash or control character. */
      while (q + 16 <= ps->end)
        {
          __m128i v = _mm_loadu_si128 ((const __m128i *) q);
          __m128i stop = _mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 ('"')),
                                                     _mm_cmpeq_epi8 (v, _mm_set1_epi8 ('\\'))),
                                       _mm_cmpeq_epi8 (_mm_max_epu8 (v, _mm_set1_epi8 (0x1f)),
                                                       _mm_set1_epi8 (0x1f)));
          int stop_mask = _mm_movemask_epi8 (stop);
          int high_mask = _mm_movemask_epi8 (v);

          if (stop_mask != 0)
            {
              int at = __builtin_ctz (stop_mask);

              high |= (guint) high_mask & ((1u << at) - 1);
              q += at;
              goto found;
            }
          high |= (guint) high_mask;
          q += 16;
        }
#else
      /* Eight bytes at a time until a quote, a backslash or a control character. */
      while (q + 8 <= ps->end)
        {
          guint64 w, quote, backslash;

          memcpy (&w, q, 8);
          quote = w ^ (ONES * '"');
          backslash = w ^ (ONES * '\\');
          if (((quote - ONES) & ~quote & HIGHS) |
              ((backslash - ONES) & ~backslash & HIGHS) |
              ((w - ONES * 0x20) & ~w & HIGHS))
            break;
          high |= (guint) ((w & HIGHS) != 0);
          q += 8;
        }
#endif
      while (q < ps->end && *q != '"' && *q != '\\' && (guchar) *q >= 0x20)
        {
          high |= (guchar) *q >> 7;
          q++;
        }
#ifdef __SSE2__
    found:
#endif
      if (q >= ps->end)
        {
          ps->p = q;
          return fail (ps, "unterminated string");
        }
      if ((guchar) *q < 0x20)
        {
          ps->p = q;
          return fail (ps, "control character in string");
        }
      arena_append (arena, run, q - run);
      ps->p = q + 1;
      if (*q == '"')
        break;

      /* An escape. */
      if (ps->p >= ps->end)
        return fail (ps, "truncated escape");
      switch (*ps->p++)
        {
        case '"': arena_putc (arena, '"'); break;
        case '\\': arena_putc (arena, '\\'); break;
        case '/': arena_putc (arena, '/'); break;
        case 'b': arena_putc (arena, '\b'); break;
        case 'f': arena_putc (arena, '\f'); break;
        case 'n': arena_putc (arena, '\n'); break;
        case 'r': arena_putc (arena, '\r'); break;
        case 't': arena_putc (arena, '\t'); break;
        case 'u':
          {
            gunichar c;

            if (!read_hex4 (ps, &c))
              return FALSE;
            if (c >= 0xD800 && c <= 0xDBFF)
              {
                gunichar lo;

                if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u')
                  return fail (ps, "unpaired surrogate");
                ps->p += 2;
                if (!read_hex4 (ps, &lo))
                  return FALSE;
                if (lo < 0xDC00 || lo > 0xDFFF)
                  return fail (ps, "unpaired surrogate");
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
              }
            else if (c >= 0xDC00 && c <= 0xDFFF)
              return fail (ps, "unpaired surrogate");
            if (c == 0)
              return fail (ps, "NUL character in string");
            g_string_append_unichar (arena, c);
          }
          break;
        default:
          return fail (ps, "invalid escape");
        }
      run = ps->p;
    }

  *len = arena->len - *off;
  /* No NUL can be in it: raw control bytes and \u0000 were refused above; what escapes
   * produced is valid UTF-8, so only raw bytes beyond ASCII need checking. */
  if (high != 0 && !g_utf8_validate (arena->str + *off, *len, NULL))
    return fail (ps, "invalid UTF-8 in string");
  arena_putc (arena, '\0');
  return TRUE;
}

static gboolean parse_members (Parser *ps,
                               guint   depth,
                               gsize   parent_off,
                               gsize   parent_len);

static gboolean
skip_value (Parser *ps,
            guint   depth)
{
  if (depth > MAX_DEPTH)
    return fail (ps, "nested too deeply");
  skip_ws (ps);
  if (ps->p >= ps->end)
    return fail (ps, "truncated value");

  switch (*ps->p)
    {
    case '"':
      {
        gsize off, len;
        gsize mark = ps->scan->arena->len;

        ps->p++;
        if (!parse_string (ps, &off, &len))
          return FALSE;
        arena_truncate (ps->scan->arena, mark);
        return TRUE;
      }
    case '{':
    case '[':
      {
        char close = *ps->p == '{' ? '}' : ']';
        gboolean obj = *ps->p == '{';

        ps->p++;
        skip_ws (ps);
        if (ps->p < ps->end && *ps->p == close)
          {
            ps->p++;
            return TRUE;
          }
        for (;;)
          {
            if (obj)
              {
                skip_ws (ps);
                if (ps->p >= ps->end || *ps->p != '"')
                  return fail (ps, "expected a member name");
                if (!skip_value (ps, depth + 1))
                  return FALSE;
                skip_ws (ps);
                if (ps->p >= ps->end || *ps->p != ':')
                  return fail (ps, "expected ':'");
                ps->p++;
              }
            if (!skip_value (ps, depth + 1))
              return FALSE;
            skip_ws (ps);
            if (ps->p < ps->end && *ps->p == ',')
              {
                ps->p++;
                continue;
              }
            if (ps->p < ps->end && *ps->p == close)
              {
                ps->p++;
                return TRUE;
              }
            return fail (ps, "expected ',' or a closing bracket");
          }
      }
    case 't':
      if (ps->end - ps->p >= 4 && memcmp (ps->p, "true", 4) == 0)
        {
          ps->p += 4;
          return TRUE;
        }
      return fail (ps, "invalid literal");
    case 'f':
      if (ps->end - ps->p >= 5 && memcmp (ps->p, "false", 5) == 0)
        {
          ps->p += 5;
          return TRUE;
        }
      return fail (ps, "invalid literal");
    case 'n':
      if (ps->end - ps->p >= 4 && memcmp (ps->p, "null", 4) == 0)
        {
          ps->p += 4;
          return TRUE;
        }
      return fail (ps, "invalid literal");
    default:
      {
        gsize n = number_span (ps->p, ps->end - ps->p);
        if (n == 0)
          return fail (ps, "invalid value");
        ps->p += n;
        return TRUE;
      }
    }
}

/* An array: a list of scalar items, or its JSON text when it holds containers. */
static gboolean
parse_array (Parser       *ps,
             SegJsonEntry *e,
             guint         depth)
{
  GString *arena = ps->scan->arena;
  const char *open = ps->p;   /* at '[' */
  gboolean list = TRUE;

  e->str_off = arena->len;
  ps->p++;
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == ']')
    {
      ps->p++;
      goto done;
    }

  for (;;)
    {
      skip_ws (ps);
      if (ps->p >= ps->end)
        return fail (ps, "truncated array");
      if (*ps->p == '"')
        {
          gsize off, len;

          ps->p++;
          if (!parse_string (ps, &off, &len))
            return FALSE;
          if (memchr (arena->str + off, '\0', len) != NULL)
            list = FALSE;
        }
      else if (*ps->p == '{' || *ps->p == '[')
        {
          list = FALSE;
          if (!skip_value (ps, depth + 1))
            return FALSE;
        }
      else
        {
          const char *v = ps->p;
          if (!skip_value (ps, depth + 1))
            return FALSE;
          /* null items are left out of a list. */
          if (!(ps->p - v == 4 && memcmp (v, "null", 4) == 0))
            {
              arena_append (arena, v, ps->p - v);
              arena_putc (arena, '\0');
            }
        }
      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == ']')
        {
          ps->p++;
          break;
        }
      return fail (ps, "expected ',' or ']'");
    }

done:
  e->type = SEG_JSON_ARRAY;
  e->list = list;
  if (!list)
    {
      arena_truncate (arena, e->str_off);
      arena_append (arena, open, ps->p - open);
      e->str_len = ps->p - open;
      arena_putc (arena, '\0');
    }
  else
    e->str_len = arena->len - e->str_off;
  return TRUE;
}

static gboolean
parse_value (Parser *ps,
             guint   index,
             guint   depth,
             gsize   key_off,
             gsize   key_len)
{
  SegJsonEntry *e;

  skip_ws (ps);
  if (ps->p >= ps->end)
    return fail (ps, "truncated value");

  switch (*ps->p)
    {
    case '"':
      {
        gsize off, len;

        ps->p++;
        if (!parse_string (ps, &off, &len))
          return FALSE;
        e = &g_array_index (ps->scan->entries, SegJsonEntry, index);
        e->type = SEG_JSON_STRING;
        e->str_off = off;
        e->str_len = len;
        return TRUE;
      }
    case '{':
      {
        guint end;

        ps->p++;
        e = &g_array_index (ps->scan->entries, SegJsonEntry, index);
        e->type = SEG_JSON_OBJECT;
        if (!parse_members (ps, depth + 1, key_off, key_len))
          return FALSE;
        end = ps->scan->entries->len;
        g_array_index (ps->scan->entries, SegJsonEntry, index).end = end;
        return TRUE;
      }
    case '[':
      {
        if (depth > MAX_DEPTH)
          return fail (ps, "nested too deeply");
        e = &g_array_index (ps->scan->entries, SegJsonEntry, index);
        return parse_array (ps, e, depth);
      }
    case 't':
    case 'f':
    case 'n':
      {
        const char *v = ps->p;

        if (!skip_value (ps, depth))
          return FALSE;
        e = &g_array_index (ps->scan->entries, SegJsonEntry, index);
        if (*v == 'n')
          e->type = SEG_JSON_NULL;
        else
          {
            e->type = SEG_JSON_BOOLEAN;
            e->num = *v == 't';
          }
        return TRUE;
      }
    default:
      {
        double num;
        gsize used;

        if (!parse_number_prefix (ps->p, ps->end - ps->p, &num, &used))
          return fail (ps, "invalid value");
        e = &g_array_index (ps->scan->entries, SegJsonEntry, index);
        e->type = SEG_JSON_NUMBER;
        e->num = num;
        /* Keep the text too, so a number can stand where a string is expected. */
        e->str_off = ps->scan->arena->len;
        e->str_len = used;
        arena_append (ps->scan->arena, ps->p, used);
        arena_putc (ps->scan->arena, '\0');
        ps->p += used;
        return TRUE;
      }
    }
}

/* Parses the members of an object; ps->p is just after '{'. Members of a nested object
 * get the full dotted key: the parent's key (at @parent_off in the arena), a dot, then
 * the name, which parse_string() writes right after, so nothing is copied twice. */
static gboolean
parse_members (Parser *ps,
               guint   depth,
               gsize   parent_off,
               gsize   parent_len)
{
  SegJsonScan *scan = ps->scan;
  GString *arena = scan->arena;

  if (depth > MAX_DEPTH)
    return fail (ps, "nested too deeply");

  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == '}')
    {
      ps->p++;
      return TRUE;
    }

  for (;;)
    {
      SegJsonEntry e = { 0 };
      gsize name_off, name_len;
      guint index;

      skip_ws (ps);
      if (ps->p >= ps->end || *ps->p != '"')
        return fail (ps, "expected a member name");
      ps->p++;

      e.key_off = arena->len;
      if (depth > 1)
        {
          if (G_UNLIKELY (arena->len + parent_len + 2 > arena->allocated_len))
            {
              gsize len = arena->len;

              g_string_set_size (arena, len + parent_len + 2);
              arena_truncate (arena, len);
            }
          memcpy (arena->str + arena->len, arena->str + parent_off, parent_len);
          arena->len += parent_len;
          arena_putc (arena, '.');
        }
      if (!parse_string (ps, &name_off, &name_len))
        return FALSE;
      e.name_off = name_off;
      e.depth = depth - 1;
      e.end = 0;

      skip_ws (ps);
      if (ps->p >= ps->end || *ps->p != ':')
        return fail (ps, "expected ':'");
      ps->p++;

      index = scan->entries->len;
      g_array_append_val (scan->entries, e);
      if (!parse_value (ps, index, depth, e.key_off, name_off + name_len - e.key_off))
        return FALSE;

      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == '}')
        {
          ps->p++;
          return TRUE;
        }
      return fail (ps, "expected ',' or '}'");
    }
}

/**
 * seg_json_scan_object:
 *
 * Scans text holding one JSON object (surrounding white space allowed). On failure
 * scan->error holds the reason.
 */
gboolean
seg_json_scan_object (SegJsonScan *scan,
                      const char  *text,
                      gsize        len)
{
  Parser ps = { scan, text, text + len, text };

  g_array_set_size (scan->entries, 0);
  arena_truncate (scan->arena, 0);
  scan->error = NULL;
  scan->error_pos = 0;

  skip_ws (&ps);
  if (ps.p >= ps.end)
    return fail (&ps, "empty line");
  if (*ps.p != '{')
    return fail (&ps, "not a JSON object");
  ps.p++;
  if (!parse_members (&ps, 1, 0, 0))
    return FALSE;
  skip_ws (&ps);
  if (ps.p != ps.end)
    return fail (&ps, "text after the object");

  /* The arena no longer moves: turn offsets into pointers. */
  for (guint i = 0; i < scan->entries->len; i++)
    {
      SegJsonEntry *e = &g_array_index (scan->entries, SegJsonEntry, i);

      e->key = scan->arena->str + e->key_off;
      e->name = scan->arena->str + e->name_off;
      if (e->type == SEG_JSON_STRING || e->type == SEG_JSON_ARRAY || e->type == SEG_JSON_NUMBER)
        e->str = scan->arena->str + e->str_off;
      else
        {
          e->str = NULL;
          e->str_len = 0;
        }
    }
  return TRUE;
}

const SegJsonEntry *
seg_json_scan_find (SegJsonScan *scan,
                    const char  *key)
{
  for (guint i = 0; i < scan->entries->len; i++)
    {
      const SegJsonEntry *e = &g_array_index (scan->entries, SegJsonEntry, i);

      if (strcmp (e->key, key) == 0)
        return e;
    }
  return NULL;
}
