/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "seg-canonical-csv"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seg-canonical-csv.h"
#include "seg-dataset.h"
#include "seg-local-writer.h"
#include "seg-record.h"
#include "seg-time.h"

#define BLOCK_SIZE (4 * 1024 * 1024)
#define SAMPLE_ROWS 2000
#define MAX_REJECTS 100

void
seg_canonical_csv_stats_clear (SegCanonicalCsvStats *stats)
{
  g_clear_pointer (&stats->rejects, g_ptr_array_unref);
  memset (stats, 0, sizeof *stats);
}

typedef struct
{
  char   *start;
  gsize   len;
} Field;

/* Growing arrays with inline appends (GArray costs a call and a memcpy per value). */
#define DEFINE_VEC(Name, Type)                                                  \
  typedef struct { Type *data; guint len; guint cap; } Name;                   \
  static inline Type *                                                          \
  Name##_push (Name *v)                                                         \
  {                                                                             \
    if (G_UNLIKELY (v->len == v->cap))                                          \
      {                                                                         \
        v->cap = MAX (v->cap * 2, 64);                                          \
        v->data = g_renew (Type, v->data, v->cap);                              \
      }                                                                         \
    return &v->data[v->len++];                                                  \
  }

DEFINE_VEC (Fields, Field)
DEFINE_VEC (RecVec, SegRecord)
DEFINE_VEC (PropVec, SegPropValue)
DEFINE_VEC (HashVec, guint64)

/* Finds the end of the record at @p (just after its newline) without touching it, so
 * that a record cut by the end of the buffer can be parsed again after more is read. A
 * quote opens a quoted field only at the start of a field. */
static char *
find_record_end (char *p,
                 char *end)
{
  char *nl = memchr (p, '\n', (gsize) (end - p));
  gboolean field_start = TRUE, in_quotes = FALSE;

  if (nl != NULL && memchr (p, '"', (gsize) (nl - p)) == NULL)
    return nl + 1;
  for (; p < end; p++)
    {
      char c = *p;

      if (in_quotes)
        {
          if (c == '"')
            {
              if (p + 1 >= end)
                return NULL;
              if (p[1] == '"')
                p++;
              else
                in_quotes = FALSE;
            }
          continue;
        }
      if (c == '\n')
        return p + 1;
      if (c == '"' && field_start)
        in_quotes = TRUE;
      field_start = c == ',';
    }
  return NULL;
}

/* Splits one record at @p (up to @end) into fields, unquoting in place and
 * NUL-terminating each field. Returns the start of the next record, or NULL when the
 * record is not complete within the buffer. */
static char *
split_record (char   *p,
              char   *end,
              Fields *fields,
              guint  *newlines)
{
  char *rec_end = find_record_end (p, end);

  if (rec_end == NULL)
    return NULL;
  end = rec_end;
  fields->len = 0;
  *newlines = 0;
  while (TRUE)
    {
      Field f;

      if (p < end && *p == '"')
        {
          char *w = p, *r = p + 1;
          f.start = w;
          while (TRUE)
            {
              if (r >= end)
                return NULL;
              if (*r == '"')
                {
                  if (r + 1 < end && r[1] == '"')
                    {
                      *w++ = '"';
                      r += 2;
                      continue;
                    }
                  if (r + 1 >= end)
                    return NULL;
                  r++;
                  break;
                }
              if (*r == '\n')
                (*newlines)++;
              *w++ = *r++;
            }
          f.len = (gsize) (w - f.start);
          /* Anything between the closing quote and the delimiter is kept verbatim. */
          while (r < end && *r != ',' && *r != '\n' && *r != '\r')
            *w++ = *r++, f.len++;
          if (r >= end)
            return NULL;
          p = r;
        }
      else
        {
          char *q = p;
          while (q < end && *q != ',' && *q != '\n')
            q++;
          if (q >= end)
            return NULL;
          f.start = p;
          f.len = (gsize) (q - p);
          if (f.len > 0 && p[f.len - 1] == '\r' && *q == '\n')
            f.len--;
          p = q;
        }
      *Fields_push (fields) = f;
      if (*p == '\r')
        p++;
      if (p >= end)
        return NULL;
      if (*p == ',')
        {
          f.start[f.len] = '\0';
          p++;
          continue;
        }
      /* '\n' */
      f.start[f.len] = '\0';
      (*newlines)++;
      return p + 1;
    }
}

/* A fast decimal parser for the common "123", "-4.25" shapes; others go to strtod. */
static gboolean
parse_number (const char *s,
              gsize       len,
              double     *out)
{
  const char *p = s, *e = s + len;
  gboolean neg = FALSE;
  guint64 mant = 0;
  int digits = 0, frac = 0;

  if (p < e && (*p == '-' || *p == '+'))
    neg = *p++ == '-';
  while (p < e && *p >= '0' && *p <= '9' && digits < 18)
    mant = mant * 10 + (guint64) (*p++ - '0'), digits++;
  if (p < e && *p == '.')
    {
      p++;
      while (p < e && *p >= '0' && *p <= '9' && digits < 18)
        mant = mant * 10 + (guint64) (*p++ - '0'), digits++, frac++;
    }
  if (p == e && digits > 0)
    {
      static const double pow10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                      1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18 };
      double v = (double) mant / pow10[frac];
      *out = neg ? -v : v;
      return TRUE;
    }
  if (len == 0 || len > 60)
    return FALSE;
  {
    char *end = NULL;
    double v;

    /* s is NUL-terminated at len by split_record. */
    v = g_ascii_strtod (s, &end);
    if (end != s + len || !isfinite (v))
      return FALSE;
    if (g_ascii_strncasecmp (s, "nan", 3) == 0 || g_ascii_strncasecmp (s, "inf", 3) == 0)
      return FALSE;
    *out = v;
    return TRUE;
  }
}

static int
parse_bool (const char *s,
            gsize       len)
{
  if (len == 4 && g_ascii_strncasecmp (s, "true", 4) == 0)
    return 1;
  if (len == 5 && g_ascii_strncasecmp (s, "false", 5) == 0)
    return 0;
  return -1;
}

static gboolean
looks_like_date (const char *s,
                 gsize       len)
{
  return len >= 10 && s[4] == '-' && s[7] == '-' && g_ascii_isdigit (s[0]);
}

typedef struct
{
  char          *name;
  SegValueType   type;
  gboolean       seen_any;
  gboolean       all_number;
  gboolean       all_bool;
  gboolean       all_date;
} Column;

static void
infer_cell (Column     *c,
            const char *s,
            gsize       len,
            GTimeZone  *tz)
{
  double d;
  gint64 ms;

  if (len == 0)
    return;
  c->seen_any = TRUE;
  if (c->all_number && !parse_number (s, len, &d))
    c->all_number = FALSE;
  if (c->all_bool && parse_bool (s, len) < 0)
    c->all_bool = FALSE;
  if (c->all_date && !(looks_like_date (s, len) && seg_time_parse_timestamp (s, len, tz, &ms)))
    c->all_date = FALSE;
}

static void
reject (SegCanonicalCsvStats *stats,
        const char           *path,
        guint64               line,
        const char           *reason)
{
  stats->rejected++;
  if (stats->rejects->len < MAX_REJECTS)
    g_ptr_array_add (stats->rejects, g_strdup_printf ("%s:%" G_GUINT64_FORMAT ": %s", path, line, reason));
}

/* A cheap content fingerprint: the size and a SHA-256 over the first and last MiB and
 * 256 samples of 4 KiB in between, so that recognising a 500 MB file costs milliseconds. */
static char *
file_fingerprint (int    fd,
                  gint64 size)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buf = g_malloc (1024 * 1024);
  gint64 positions[258];
  guint n = 0;

  positions[n++] = 0;
  for (guint i = 1; i <= 256; i++)
    positions[n++] = size * i / 257;
  positions[n++] = MAX (0, size - 1024 * 1024);
  for (guint i = 0; i < n; i++)
    {
      gsize want = (i == 0 || i == n - 1) ? 1024 * 1024 : 4096;
      gssize got = pread (fd, buf, want, positions[i]);
      if (got > 0)
        g_checksum_update (sum, buf, got);
    }
  return g_strdup_printf ("canonical-csv:%" G_GINT64_FORMAT ":%s", size, g_checksum_get_string (sum));
}

/* The reader runs as a pipeline: a parser thread reads blocks, splits and converts the
 * rows into batches of SegRecords that point into the block; the calling thread hands
 * them to the writer (interning users and strings, appending columns). On two cores the
 * two halves of the work overlap. Three blocks circulate between the two threads. */

#define N_BATCHES 3

typedef struct
{
  char    *buf;
  gsize    cap;
  RecVec   recs;      /* props holds an index into @props until published */
  PropVec  props;
  HashVec  user_hash; /* per record: seg_intern_hash() of the user id */
  HashVec  prop_hash; /* per property: of its text, for strings */
  guint64  rows_upto; /* rows read and bytes consumed once this batch is written */
  guint64  bytes_upto;
} Batch;

typedef struct
{
  int                    fd;
  const char            *path;
  GTimeZone             *tz;
  gint64                 profile_ts;
  GAsyncQueue           *full;
  GAsyncQueue           *free_q;
  gint                   stop;
  SegCanonicalCsvStats  *stats;
  GError                *error;
  GPtrArray             *columns;    /* their names are the records' keys: freed last */
  Batch                  batches[N_BATCHES];
} Pipe;

static Batch end_marker;

static double
thread_cpu_s (void)
{
  struct rusage ru;

  getrusage (RUSAGE_THREAD, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static gboolean
parse_row (Pipe       *pipe,
           GPtrArray  *columns,
           int         col_user,
           int         col_event,
           int         col_ts,
           Fields     *fields,
           guint64     rec_line,
           Batch      *batch)
{
  SegCanonicalCsvStats *stats = pipe->stats;
  SegRecord rec = { 0 };
  Field *fv = fields->data;
  guint first_prop = batch->props.len;

  if (fields->len > columns->len)
    {
      reject (stats, pipe->path, rec_line, _("more fields than the header has columns"));
      return FALSE;
    }
  if ((guint) col_user >= fields->len || fv[col_user].len == 0)
    {
      reject (stats, pipe->path, rec_line, _("no user_id"));
      return FALSE;
    }
  rec.user_id = fv[col_user].start;
  if (stats->kind == SEG_CANONICAL_CSV_EVENTS)
    {
      if ((guint) col_event >= fields->len || fv[col_event].len == 0)
        {
          reject (stats, pipe->path, rec_line, _("no event name"));
          return FALSE;
        }
      if ((guint) col_ts >= fields->len ||
          !seg_time_parse_timestamp (fv[col_ts].start, fv[col_ts].len, pipe->tz, &rec.ts_ms))
        {
          reject (stats, pipe->path, rec_line, _("the timestamp is not epoch seconds, epoch milliseconds or ISO-8601"));
          return FALSE;
        }
      rec.kind = SEG_RECORD_EVENT;
      rec.event = fv[col_event].start;
    }
  else
    {
      rec.kind = SEG_RECORD_PROFILE;
      rec.ts_ms = pipe->profile_ts;
    }

  for (guint i = 0; i < fields->len; i++)
    {
      Column *c;
      SegPropValue v = { 0 };
      Field *f = &fv[i];

      if ((int) i == col_user || (int) i == col_event || (int) i == col_ts || f->len == 0)
        continue;
      c = g_ptr_array_index (columns, i);
      v.key = c->name;
      v.type = c->type;
      switch (c->type)
        {
        case SEG_VALUE_TYPE_NUMBER:
          if (!parse_number (f->start, f->len, &v.num))
            {
              /* Not a number after all: keep the text. */
              v.type = SEG_VALUE_TYPE_STRING;
              v.str = f->start;
              v.str_len = f->len;
            }
          break;
        case SEG_VALUE_TYPE_BOOLEAN:
          {
            int b = parse_bool (f->start, f->len);
            if (b < 0)
              {
                v.type = SEG_VALUE_TYPE_STRING;
                v.str = f->start;
                v.str_len = f->len;
              }
            else
              v.num = b;
          }
          break;
        case SEG_VALUE_TYPE_DATE:
          {
            gint64 ms;
            if (seg_time_parse_timestamp (f->start, f->len, pipe->tz, &ms))
              v.num = (double) ms;
            else
              {
                v.type = SEG_VALUE_TYPE_STRING;
                v.str = f->start;
                v.str_len = f->len;
              }
          }
          break;
        case SEG_VALUE_TYPE_STRING:
        case SEG_VALUE_TYPE_LIST:
        case SEG_VALUE_TYPE_NONE:
        default:
          v.str = f->start;
          v.str_len = f->len;
          break;
        }
      *PropVec_push (&batch->props) = v;
      *HashVec_push (&batch->prop_hash) = v.type == SEG_VALUE_TYPE_STRING ? seg_intern_hash (v.str, v.str_len) : 0;
    }
  rec.n_props = batch->props.len - first_prop;
  rec.props = GUINT_TO_POINTER (first_prop);
  *RecVec_push (&batch->recs) = rec;
  *HashVec_push (&batch->user_hash) = seg_intern_hash (fv[col_user].start, fv[col_user].len);
  return TRUE;
}

static void
publish (Pipe  *pipe,
         Batch *batch)
{
  SegPropValue *props = batch->props.data;

  for (guint i = 0; i < batch->recs.len; i++)
    {
      SegRecord *r = &batch->recs.data[i];
      r->props = props + GPOINTER_TO_UINT (r->props);
    }
  g_async_queue_push (pipe->full, batch);
}

static void
batch_reset (Batch *b)
{
  b->recs.len = 0;
  b->props.len = 0;
  b->user_hash.len = 0;
  b->prop_hash.len = 0;
}

static gpointer
parser_thread (gpointer data)
{
  Pipe *pipe = data;
  SegCanonicalCsvStats *stats = pipe->stats;
  Fields fields_v = { 0 }, *fields = &fields_v;
  GPtrArray *columns = pipe->columns;
  Batch *cur = g_async_queue_pop (pipe->free_q);
  gsize have = 0, pos = 0;
  gboolean eof = FALSE, header_done = FALSE, inferred = FALSE;
  int col_user = -1, col_event = -1, col_ts = -1;
  guint64 line = 1;
  guint64 total_read = 0;

  batch_reset (cur);
  while (!g_atomic_int_get (&pipe->stop))
    {
      char *p, *end, *next;
      guint nl;

      if (!eof && have < cur->cap)
        {
          gssize got = read (pipe->fd, cur->buf + have, cur->cap - have);
          if (got < 0)
            {
              int errsv = errno;
              if (errsv == EINTR)
                continue;
              g_set_error (&pipe->error, G_IO_ERROR, g_io_error_from_errno (errsv),
                           _("Cannot read %s: %s"), pipe->path, g_strerror (errsv));
              break;
            }
          if (got == 0)
            eof = TRUE;
          have += (gsize) got;
          total_read += (guint64) got;
          if (!eof && have < cur->cap)
            continue;
        }
      if (eof && (have == 0 || cur->buf[have - 1] != '\n'))
        cur->buf[have++] = '\n';   /* the last record may lack its newline; buf has room */
      end = cur->buf + have;
      p = cur->buf + pos;

      if (!header_done)
        {
          next = split_record (p, end, fields, &nl);
          if (next == NULL)
            {
              if (eof)
                {
                  g_set_error (&pipe->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("%s has no header row"), pipe->path);
                  break;
                }
              goto grow;
            }
          for (guint i = 0; i < fields->len; i++)
            {
              Field *f = &fields->data[i];
              Column *c = g_new0 (Column, 1);
              g_autofree char *name = g_strstrip (g_strndup (f->start, f->len));

              /* A UTF-8 byte order mark before the first name is not part of it. */
              if (i == 0 && g_str_has_prefix (name, "\xEF\xBB\xBF"))
                memmove (name, name + 3, strlen (name + 3) + 1);
              c->name = g_steal_pointer (&name);
              c->all_number = c->all_bool = c->all_date = TRUE;
              g_ptr_array_add (columns, c);
              if (g_str_equal (c->name, "user_id") && col_user < 0)
                col_user = (int) i;
              else if (g_str_equal (c->name, "event") && col_event < 0)
                col_event = (int) i;
              else if (g_str_equal (c->name, "ts") && col_ts < 0)
                col_ts = (int) i;
            }
          if (col_user < 0)
            {
              g_set_error (&pipe->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("%s: the header has no “user_id” column"), pipe->path);
              break;
            }
          stats->kind = (col_event >= 0 && col_ts >= 0) ? SEG_CANONICAL_CSV_EVENTS
                                                        : SEG_CANONICAL_CSV_PROFILES;
          if (stats->kind == SEG_CANONICAL_CSV_PROFILES)
            col_event = col_ts = -1;
          header_done = TRUE;
          line += nl;
          pos = (gsize) (next - cur->buf);
          p = next;
        }

      if (!inferred)
        {
          /* Infer column types from the first rows, without consuming them; split_record
           * writes NULs in place, so work on a copy. */
          gsize span = MIN ((gsize) (end - p), (gsize) 4 * 1024 * 1024);
          g_autofree char *copy = g_malloc (span + 1);
          char *q = copy, *qend = copy + span;
          guint rows = 0;

          memcpy (copy, p, span);
          while (rows < SAMPLE_ROWS && (next = split_record (q, qend, fields, &nl)) != NULL)
            {
              for (guint i = 0; i < MIN (fields->len, columns->len); i++)
                {
                  Field *f = &fields->data[i];
                  if ((int) i != col_user && (int) i != col_event && (int) i != col_ts)
                    infer_cell (g_ptr_array_index (columns, i), f->start, f->len, pipe->tz);
                }
              q = next;
              rows++;
            }
          for (guint i = 0; i < columns->len; i++)
            {
              Column *c = g_ptr_array_index (columns, i);
              if (!c->seen_any)
                c->type = SEG_VALUE_TYPE_STRING;
              else if (c->all_number)
                c->type = SEG_VALUE_TYPE_NUMBER;
              else if (c->all_bool)
                c->type = SEG_VALUE_TYPE_BOOLEAN;
              else if (c->all_date)
                c->type = SEG_VALUE_TYPE_DATE;
              else
                c->type = SEG_VALUE_TYPE_STRING;
            }
          inferred = TRUE;
        }

      /* The records. */
      while ((next = split_record (p, end, fields, &nl)) != NULL)
        {
          guint64 rec_line = line;
          Field *fv = fields->data;

          line += nl;
          p = next;
          if (fields->len == 1 && fv[0].len == 0)
            continue;   /* an empty line */
          stats->rows_read++;
          parse_row (pipe, columns, col_user, col_event, col_ts, fields, rec_line, cur);
        }
      pos = (gsize) (p - cur->buf);
      if (eof)
        {
          if (pos < have)
            {
              /* An unterminated quoted field runs to the end of the file. */
              reject (stats, pipe->path, line, _("an unterminated quoted field"));
              stats->rows_read++;
            }
          break;
        }
grow:
      if (pos == 0 && have == cur->cap)
        {
          /* One record fills the block: make the block larger (nothing points into it). */
          cur->cap *= 2;
          cur->buf = g_realloc (cur->buf, cur->cap + 1);
        }
      else if (pos > 0)
        {
          /* Hand the block on; its unfinished tail starts the next one. */
          Batch *nb = g_async_queue_pop (pipe->free_q);
          gsize tail = have - pos;

          batch_reset (nb);
          if (nb->cap < tail + BLOCK_SIZE / 2)
            {
              nb->cap = MAX (nb->cap * 2, tail + BLOCK_SIZE);
              nb->buf = g_realloc (nb->buf, nb->cap + 1);
            }
          memcpy (nb->buf, cur->buf + pos, tail);
          cur->rows_upto = stats->rows_read;
          cur->bytes_upto = total_read - tail;
          publish (pipe, cur);
          cur = nb;
          have = tail;
          pos = 0;
        }
    }
  if (cur->recs.len > 0 && pipe->error == NULL)
    {
      cur->rows_upto = stats->rows_read;
      cur->bytes_upto = total_read;
      publish (pipe, cur);
    }
  else
    g_async_queue_push (pipe->free_q, cur);
  g_async_queue_push (pipe->full, &end_marker);
  g_free (fields_v.data);
  g_debug ("parser thread: %.2f s of CPU", thread_cpu_s ());
  return NULL;
}

/**
 * seg_canonical_csv_import:
 * @writer: where the records go; the caller commits
 * @path: the file
 * @tz: timestamps without an offset are read in this timezone
 * @profile_ts_ms: the time profile values are set at (later imports win)
 * @stats: (out caller-allocates): what was read and what was rejected
 *
 * Rows that cannot be read (no user id, no event, a bad timestamp, too many fields) are
 * rejected and counted; the import goes on.
 *
 * Returns: %FALSE with @error set when the file cannot be read or the writer fails
 */
gboolean
seg_canonical_csv_import (SegStoreWriter        *writer,
                          const char            *path,
                          GTimeZone             *tz,
                          gint64                 profile_ts_ms,
                          SegCanonicalCsvStats  *stats,
                          GCancellable          *cancellable,
                          GError               **error)
{
  return seg_canonical_csv_import_with_progress (writer, path, tz, profile_ts_ms, stats,
                                                 NULL, NULL, cancellable, error);
}

/**
 * seg_canonical_csv_import_with_progress:
 * @progress: (nullable): called on the calling thread after each block of rows is
 *   written (every few MB): rows read so far, bytes of the file consumed, its size
 *
 * seg_canonical_csv_import() with progress reports.
 */
gboolean
seg_canonical_csv_import_with_progress (SegStoreWriter               *writer,
                                        const char                   *path,
                                        GTimeZone                    *tz,
                                        gint64                        profile_ts_ms,
                                        SegCanonicalCsvStats         *stats,
                                        SegCanonicalCsvProgressFunc   progress,
                                        gpointer                      progress_data,
                                        GCancellable                 *cancellable,
                                        GError                      **error)
{
  int fd;
  struct stat st;
  g_autofree char *fingerprint = NULL;
  gboolean already = FALSE, ok = TRUE;
  GError *add_error = NULL;
  GThread *thread;
  SegLocalWriter *local = SEG_IS_LOCAL_WRITER (writer) ? SEG_LOCAL_WRITER (writer) : NULL;
  Pipe pipe = { 0 };
  Batch *b;

  memset (stats, 0, sizeof *stats);
  stats->rejects = g_ptr_array_new_with_free_func (g_free);

  fd = g_open (path, O_RDONLY, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int errsv = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot read %s: %s"), path, g_strerror (errsv));
      return FALSE;
    }
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  fingerprint = file_fingerprint (fd, st.st_size);
  if (!seg_store_writer_begin_source (writer, fingerprint, &already, error))
    {
      close (fd);
      return FALSE;
    }
  if (already)
    {
      stats->already_imported = TRUE;
      close (fd);
      return TRUE;
    }

  pipe.fd = fd;
  pipe.path = path;
  pipe.tz = tz;
  pipe.profile_ts = profile_ts_ms;
  pipe.stats = stats;
  pipe.columns = g_ptr_array_new ();
  pipe.full = g_async_queue_new ();
  pipe.free_q = g_async_queue_new ();
  for (guint i = 0; i < N_BATCHES; i++)
    {
      pipe.batches[i].cap = BLOCK_SIZE;
      pipe.batches[i].buf = g_malloc (BLOCK_SIZE + 1);
      g_async_queue_push (pipe.free_q, &pipe.batches[i]);
    }

  thread = g_thread_new ("seg-csv-parser", parser_thread, &pipe);
  while ((b = g_async_queue_pop (pipe.full)) != &end_marker)
    {
      SegRecord *recs = b->recs.data;

      for (guint i = 0; ok && i < b->recs.len; i++)
        {
          /* Users are looked up in a table far larger than the caches: ask for the slot
           * of a user a few rows ahead. */
          gboolean added;

          if (local != NULL)
            {
              /* The parser thread hashed the user ids and strings already. */
              if (i + 12 < b->recs.len)
                seg_local_writer_prefetch_hashed (local, b->user_hash.data[i + 12]);
              added = seg_local_writer_add_hashed (local, &recs[i], b->user_hash.data[i],
                                                   recs[i].n_props == 0 ? NULL
                                                   : b->prop_hash.data + (recs[i].props - b->props.data),
                                                   &add_error);
            }
          else
            added = seg_store_writer_add (writer, &recs[i], &add_error);
          if (!added)
            ok = FALSE;
          else
            stats->records_added++;
        }
      if (ok && g_cancellable_set_error_if_cancelled (cancellable, &add_error))
        ok = FALSE;
      if (!ok)
        g_atomic_int_set (&pipe.stop, 1);
      else if (progress != NULL)
        progress (b->rows_upto, b->bytes_upto, (guint64) st.st_size, progress_data);
      g_async_queue_push (pipe.free_q, b);
    }
  g_thread_join (thread);
  g_debug ("writer side: %.2f s of CPU", thread_cpu_s ());
  close (fd);

  for (guint i = 0; i < N_BATCHES; i++)
    {
      g_free (pipe.batches[i].buf);
      g_free (pipe.batches[i].recs.data);
      g_free (pipe.batches[i].props.data);
      g_free (pipe.batches[i].user_hash.data);
      g_free (pipe.batches[i].prop_hash.data);
    }
  g_async_queue_unref (pipe.full);
  g_async_queue_unref (pipe.free_q);
  for (guint i = 0; i < pipe.columns->len; i++)
    {
      Column *c = g_ptr_array_index (pipe.columns, i);
      g_free (c->name);
      g_free (c);
    }
  g_ptr_array_unref (pipe.columns);

  if (add_error != NULL)
    {
      g_clear_error (&pipe.error);
      g_propagate_error (error, add_error);
      return FALSE;
    }
  if (pipe.error != NULL)
    {
      g_propagate_error (error, pipe.error);
      return FALSE;
    }
  return TRUE;
}
