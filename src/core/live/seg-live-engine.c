/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seg-eval-result.h"
#include "seg-live-engine.h"
#include "seg-live-match.h"
#include "seg-time.h"

#define N_RECENT_KEYS   16       /* duplicate deliveries are caught among a user's last 16 */
#define TICK_MS         1000
#define FLUSH_AT        1024     /* memberships queued before an early flush */
#define FILTER_MAX_AGE_MS (60 * 1000)

typedef enum
{
  ROLE_ACTION,
  ROLE_INACTION_A,
  ROLE_INACTION_B,
  ROLE_DATE,
  ROLE_PAGE,
  ROLE_NONE,
} Role;

typedef struct
{
  guint seg;
  Role  role;
} Interest;

typedef struct _UserState UserState;

/* A user's state for one segment. Each trigger kind uses one member of the union only
 * (slots are 24 bytes instead of 64: with 100k users the slots are most of the memory,
 * and each event touches them). */
typedef union
{
  struct
  {
    /* inaction */
    guint        timer;       /* the armed window's timer (its seq, low 32 bits, never 0);
                               * 0: none armed */
    gint64       a_ts;
    guint64      a_key;
  };
  struct
  {
    /* page_visit, referrer, page_count per session: the session that qualified */
    gint64       qualified_session;
    /* page_count within a window: the last `count` (≤ 10,000) page view times, a ring */
    gint64      *times;
    guint16      n_times;
    guint16      pos;
    gboolean     in_run;      /* qualified and still N views within the window */
  };
  struct
  {
    /* date */
    guint32      date_day;    /* 0: unknown */
    guint32      indexed_day; /* the day the user is indexed under (0: not indexed) */
    guint32      qualified_day;
  };
} Slot;

struct _UserState
{
  GList    link;              /* in the engine's LRU queue, oldest activity first */
  char    *user_id;           /* stored right after the struct, in the same block */
  guint64  hash;
  gint64   last_ts;
  gint64   queued_ts;         /* last_ts when it was (re)queued: the queue's order */
  gint64   session_start;
  guint    session_pages;
  guint    n_refs;            /* timers and date index entries keeping it alive */
  guint    member_idx;        /* its index in the engine's member ids + 1; 0: not looked up */
  guint64  member_bits;       /* segments 0..63 whose member set holds the user already */
  guint8   key_pos;
  guint64  recent[N_RECENT_KEYS];
  Slot    *slots;             /* n_slots, allocated on first need */
};

typedef struct
{
  char              *segment_id;
  char              *user_id;
  char              *key;         /* for the sink */
  gint64             ts_ms;
  char               tag;         /* waiting for a filter: what the key will be made of */
  guint64            keyval;
} Qualification;

typedef struct
{
  gint64     deadline;
  guint64    seq;
  guint      seg;
  UserState *user;
  Slot      *slot;
} Timer;

typedef struct
{
  guint              index;
  int                slot;           /* index of its per-user slot; -1 if it needs none */
  char              *id;
  SegLiveTrigger    *trigger;
  SegLiveMatch      *where;
  SegLiveMatch      *then_where;
  /* Members: a bit per member id (the engine's dense numbering of the users that ever
   * qualified), so that a qualification costs a bit test, not a string hash. */
  guint64           *member_set;
  gsize              member_words;
  guint64            n_members;
  guint64            n_qualifications;
  /* Inaction windows: a window has the same length for every user, so that windows armed
   * in time order end in time order. They queue here in a ring, oldest first, O(1) in and
   * out; one armed out of order (an event older than the last one) goes to the engine's
   * heap instead. */
  Timer             *fifo;
  gsize              fifo_cap;
  gsize              fifo_head;
  gsize              fifo_len;
  GHashTable        *date_index;     /* day → GHashTable of UserState* */
  GHashTable        *qualified_today;/* date: "user" qualified on the current day, loaded */

  /* The filter's members, evaluated through the store. */
  GHashTable        *filter_members; /* user id → NULL; NULL until evaluated */
  gint64             filter_time;
  gboolean           filter_running;
  GPtrArray         *filter_pending; /* of Qualification */
} LiveSegment;

typedef struct
{
  GSource        source;
  SegLiveEngine *engine;
} DeadlineSource;

/* Users by id: open addressing with linear probing, the id's hash kept next to the
 * pointer so that a probe compares strings only on a full hash match. */
typedef struct
{
  guint64    hash;
  UserState *user;            /* NULL: empty */
} UserBucket;

typedef struct
{
  UserBucket *buckets;
  gsize       mask;
  guint       n;
} UserTable;

/* What the engine knows about an event name, found once per event. */
typedef struct
{
  GArray   *interests;        /* of Interest */
  GArray   *slots;            /* of guint: the per-user slots its interests touch */
  gboolean  is_page;          /* SEG_LIVE_PAGE_EVENT: counts toward session pages */
  guint64   key_seed;         /* record_key() of an event's kind and name, hashed once */
} EventEntry;

struct _SegLiveEngine
{
  GObject        parent_instance;

  SegLiveClock  *clock;
  gulong         clock_changed_id;
  GTimeZone     *tz;
  SegStore      *store;
  SegLiveSink   *sink;
  GCancellable  *cancellable;

  GPtrArray     *segments;          /* of LiveSegment */
  GHashTable    *by_id;             /* id → LiveSegment */
  GHashTable    *interests;         /* event name → EventEntry */
  GArray        *profile_interests; /* of Interest: date triggers on user properties */
  gboolean       has_dates;
  gint64         horizon_ms;

  UserTable      users;             /* user id → UserState */
  GHashTable    *member_ids;        /* user id → its member index + 1, of users that qualified */
  gsize          member_ids_bytes;
  GQueue         lru;               /* of UserState, by last activity */
  guint          n_slots;
  GArray        *timers;            /* of Timer: a 4-ary min-heap by (deadline, seq), of
                                     * the timers that are not in their segment's ring */
  GArray        *timed_segs;        /* of guint: the segments with a ring (inaction) */
  guint          n_armed;           /* timers not cancelled */
  guint64        users_freed;       /* push_many forgets the users it fetched when it moves */
  guint64        timer_seq;

  GSource       *deadline_source;
  gint64         next_tick;
  gint64         next_midnight;
  guint32        today;

  GArray        *queue;             /* of Qualification, waiting for the sink */

  guint64        n_events;
  guint64        n_duplicates;
  guint64        n_qualifications;
  guint64        tick_events;
  guint64        tick_qualifications;
  gint64         tick_start;
  gsize          bytes_held;
};

enum
{
  USER_QUALIFIED,
  RATE_TICK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SegLiveEngine, seg_live_engine, G_TYPE_OBJECT)

static void schedule (SegLiveEngine *self);
static gboolean push_one (SegLiveEngine    *self,
                          const SegRecord  *record,
                          guint64           hash,
                          gsize             id_len,
                          const EventEntry *e,
                          gboolean          have_e);
static guint64 record_key_seed (SegRecordKind  kind,
                                const char    *event);
static void add_interest (SegLiveEngine *self,
                          const char    *event,
                          guint          seg,
                          Role           role);

static void
qualification_clear (gpointer data)
{
  Qualification *q = data;

  g_free (q->segment_id);
  g_free (q->user_id);
  g_free (q->key);
}

static void
qualification_free (gpointer data)
{
  qualification_clear (data);
  g_free (data);
}

static void
live_segment_free (gpointer data)
{
  LiveSegment *s = data;

  g_free (s->id);
  seg_live_trigger_unref (s->trigger);
  g_clear_pointer (&s->where, seg_live_match_free);
  g_clear_pointer (&s->then_where, seg_live_match_free);
  g_free (s->member_set);
  g_free (s->fifo);
  g_hash_table_unref (s->date_index);
  g_hash_table_unref (s->qualified_today);
  g_clear_pointer (&s->filter_members, g_hash_table_unref);
  g_ptr_array_unref (s->filter_pending);
  g_free (s);
}

/* Hashing -------------------------------------------------------------------------------- */

/* FNV-style, eight bytes at a time: a 64-bit identity for de-duplication, not a MAC. */
static inline guint64
fnv (guint64     h,
     const void *data,
     gsize       len)
{
  const guchar *p = data;
  guint64 w;

  for (; len >= 8; p += 8, len -= 8)
    {
      memcpy (&w, p, 8);
      h ^= w;
      h *= 0x100000001b3ULL;
      h ^= h >> 29;
    }
  w = 0;
  memcpy (&w, p, len);
  h ^= w ^ ((guint64) len << 56);
  h *= 0x100000001b3ULL;
  return h ^ (h >> 32);
}

/* Users --------------------------------------------------------------------------------- */

static inline guint64
user_hash (const char *user_id,
           gsize       len)
{
  return fnv (0xcbf29ce484222325ULL, user_id, len);
}

static UserState *
user_table_lookup (const UserTable *t,
                   const char      *user_id,
                   guint64          hash)
{
  gsize i;

  if (t->buckets == NULL)
    return NULL;
  for (i = hash & t->mask; t->buckets[i].user != NULL; i = (i + 1) & t->mask)
    if (t->buckets[i].hash == hash && strcmp (t->buckets[i].user->user_id, user_id) == 0)
      return t->buckets[i].user;
  return NULL;
}

static void
user_table_put (UserTable *t,
                UserState *u)
{
  gsize i;

  for (i = u->hash & t->mask; t->buckets[i].user != NULL; i = (i + 1) & t->mask)
    ;
  t->buckets[i].hash = u->hash;
  t->buckets[i].user = u;
}

static void
user_table_insert (UserTable *t,
                   UserState *u)
{
  /* At most 5/8 full, so that probes stay short. */
  if (t->buckets == NULL || (t->n + 1) * 8 > (t->mask + 1) * 5)
    {
      UserBucket *old = t->buckets;
      gsize old_size = old != NULL ? t->mask + 1 : 0;
      gsize size = old != NULL ? old_size * 2 : 1024;

      t->buckets = g_new0 (UserBucket, size);
      t->mask = size - 1;
      for (gsize i = 0; i < old_size; i++)
        if (old[i].user != NULL)
          user_table_put (t, old[i].user);
      g_free (old);
    }
  user_table_put (t, u);
  t->n++;
}

/* Removes @u, shifting back the entries of its probe run (no tombstones). */
static void
user_table_remove (UserTable *t,
                   UserState *u)
{
  gsize i = u->hash & t->mask, j;

  while (t->buckets[i].user != u)
    i = (i + 1) & t->mask;
  j = i;
  for (;;)
    {
      gsize home;

      t->buckets[i].user = NULL;
      for (;;)
        {
          j = (j + 1) & t->mask;
          if (t->buckets[j].user == NULL)
            {
              /* Empty: the bucket array goes too, so that an idle engine holds nothing. */
              if (--t->n == 0)
                {
                  g_clear_pointer (&t->buckets, g_free);
                  t->mask = 0;
                }
              return;
            }
          home = t->buckets[j].hash & t->mask;
          /* Move j back to i unless its home lies cyclically in (i, j]. */
          if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
            continue;
          break;
        }
      t->buckets[i] = t->buckets[j];
      i = j;
    }
}

static gsize
slot_bytes (const SegLiveTrigger *t)
{
  return t->type == SEG_LIVE_TRIGGER_PAGE_COUNT && t->within_ms > 0 ? t->count * sizeof (gint64) : 0;
}

static void
user_state_free (SegLiveEngine *self,
                 UserState     *u)
{
  gsize bytes = sizeof (UserState) + strlen (u->user_id) + 1;

  if (u->slots != NULL)
    {
      bytes += self->n_slots * sizeof (Slot);
      for (guint i = 0; i < self->segments->len; i++)
        {
          LiveSegment *s = g_ptr_array_index (self->segments, i);
          if (slot_bytes (s->trigger) > 0 && u->slots[s->slot].times != NULL)
            {
              bytes += slot_bytes (s->trigger);
              g_free (u->slots[s->slot].times);
            }
        }
      g_free (u->slots);
    }
  self->bytes_held -= bytes;
  g_free (u);
}

static Slot *
user_slot (SegLiveEngine *self,
           UserState     *u,
           LiveSegment   *s)
{
  g_assert (s->slot >= 0);
  if (u->slots == NULL)
    {
      u->slots = g_new0 (Slot, self->n_slots);
      self->bytes_held += self->n_slots * sizeof (Slot);
    }
  return &u->slots[s->slot];
}

/* Dispatching ------------------------------------------------------------------------ */

static void fire_due (SegLiveEngine *self);

static gboolean
deadline_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  DeadlineSource *ds = (DeadlineSource *) source;

  fire_due (ds->engine);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs deadline_funcs = {
  .dispatch = deadline_dispatch,
};

/* A 4-ary heap: half the levels of a binary one, and the children of a node share
 * cache lines, which matters once it holds 100k windows. */
#define HEAP_D 4

static inline gboolean
timer_before (const Timer *x,
              const Timer *y)
{
  return x->deadline < y->deadline || (x->deadline == y->deadline && x->seq < y->seq);
}

static inline void
heap_put (GArray *heap,
          guint   i,
          Timer  *t)
{
  g_array_index (heap, Timer, i) = *t;
}

static void
heap_sift_up (GArray *heap,
              guint   i)
{
  Timer t = g_array_index (heap, Timer, i);

  while (i > 0)
    {
      guint parent = (i - 1) / HEAP_D;
      Timer *p = &g_array_index (heap, Timer, parent);
      if (!timer_before (&t, p))
        break;
      heap_put (heap, i, p);
      i = parent;
    }
  heap_put (heap, i, &t);
}

static void
heap_sift_down (GArray *heap,
                guint   i)
{
  Timer t = g_array_index (heap, Timer, i);
  guint n = heap->len;

  for (;;)
    {
      guint first = HEAP_D * i + 1, c = first;
      Timer *child;
      if (first >= n)
        break;
      for (guint k = first + 1; k < MIN (first + HEAP_D, n); k++)
        if (timer_before (&g_array_index (heap, Timer, k), &g_array_index (heap, Timer, c)))
          c = k;
      child = &g_array_index (heap, Timer, c);
      if (!timer_before (child, &t))
        break;
      heap_put (heap, i, child);
      i = c;
    }
  heap_put (heap, i, &t);
}

static void
heap_pop (GArray *heap)
{
  guint last = heap->len - 1;

  if (last > 0)
    {
      g_array_index (heap, Timer, 0) = g_array_index (heap, Timer, last);
      g_array_set_size (heap, last);
      heap_sift_down (heap, 0);
    }
  else
    g_array_set_size (heap, 0);
}

/* The timer due first, by (deadline, seq): the top of the heap or the head of a ring
 * (@from: that ring's segment, NULL for the heap). */
static Timer *
earliest_timer (SegLiveEngine  *self,
                LiveSegment   **from)
{
  Timer *best = self->timers->len > 0 ? &g_array_index (self->timers, Timer, 0) : NULL;

  *from = NULL;
  for (guint i = 0; i < self->timed_segs->len; i++)
    {
      LiveSegment *s = g_ptr_array_index (self->segments, g_array_index (self->timed_segs, guint, i));
      Timer *t;

      if (s->fifo_len == 0)
        continue;
      t = &s->fifo[s->fifo_head];
      if (best == NULL || timer_before (t, best))
        {
          best = t;
          *from = s;
        }
    }
  return best;
}

static void
fifo_push (SegLiveEngine *self,
           LiveSegment   *s,
           const Timer   *t)
{
  if (s->fifo_len == s->fifo_cap)
    {
      gsize cap = MAX (s->fifo_cap * 2, 64);
      Timer *ring = g_new (Timer, cap);

      for (gsize i = 0; i < s->fifo_len; i++)
        ring[i] = s->fifo[(s->fifo_head + i) % s->fifo_cap];
      g_free (s->fifo);
      self->bytes_held += (cap - s->fifo_cap) * sizeof (Timer);
      s->fifo = ring;
      s->fifo_cap = cap;
      s->fifo_head = 0;
    }
  s->fifo[(s->fifo_head + s->fifo_len) % s->fifo_cap] = *t;
  s->fifo_len++;
}

static void
fifo_pop (SegLiveEngine *self,
          LiveSegment   *s)
{
  s->fifo_head = (s->fifo_head + 1) % s->fifo_cap;
  /* An empty ring goes, so that an idle engine holds nothing. */
  if (--s->fifo_len == 0)
    {
      self->bytes_held -= s->fifo_cap * sizeof (Timer);
      g_clear_pointer (&s->fifo, g_free);
      s->fifo_cap = 0;
      s->fifo_head = 0;
    }
}

static gint64
next_deadline (SegLiveEngine *self)
{
  gint64 next = self->next_tick;
  LiveSegment *from;
  Timer *t = earliest_timer (self, &from);

  if (t != NULL)
    next = MIN (next, t->deadline);
  if (self->has_dates)
    next = MIN (next, self->next_midnight);
  return next;
}

/* Sets the source's ready time to the earliest deadline, on the clock's scale. */
static void
schedule (SegLiveEngine *self)
{
  if (self->deadline_source != NULL)
    g_source_set_ready_time (self->deadline_source,
                             seg_live_clock_ready_time (self->clock, next_deadline (self)));
}

static void
clock_changed_cb (SegLiveClock  *clock,
                  SegLiveEngine *self)
{
  schedule (self);
}

/* Qualifying ------------------------------------------------------------------------- */

/* What a qualification is, for the sink: a tag and a number ("e:<event key>", "d:<day>"). */
static char *
format_key (char    tag,
            guint64 value)
{
  if (tag == 'd' || tag == 's')
    return g_strdup_printf ("%c:%" G_GINT64_FORMAT, tag, (gint64) value);
  return g_strdup_printf ("%c:%016" G_GINT64_MODIFIER "x", tag, value);
}

/* The dense index of @user_id among the users that ever qualified (assigned on its first
 * qualification); cached in @u, so that a user's state looks it up once. */
static guint
member_index (SegLiveEngine *self,
              UserState     *u,
              const char    *user_id)
{
  gpointer v;

  if (u != NULL && u->member_idx != 0)
    return u->member_idx - 1;
  v = g_hash_table_lookup (self->member_ids, user_id);
  if (v == NULL)
    {
      gsize len = strlen (user_id) + 1;
      v = GUINT_TO_POINTER (g_hash_table_size (self->member_ids) + 1);
      g_hash_table_insert (self->member_ids, g_strdup (user_id), v);
      self->member_ids_bytes += len + 2 * sizeof (gpointer) + sizeof (guint);
    }
  if (u != NULL)
    u->member_idx = GPOINTER_TO_UINT (v);
  return GPOINTER_TO_UINT (v) - 1;
}

static inline gboolean
member_test (const LiveSegment *s,
             guint              idx)
{
  return idx / 64 < s->member_words && (s->member_set[idx / 64] >> (idx % 64)) & 1;
}

static void
member_add (LiveSegment *s,
            guint        idx)
{
  if (idx / 64 >= s->member_words)
    {
      gsize words = MAX (MAX (s->member_words * 2, 16), idx / 64 + 1);
      s->member_set = g_renew (guint64, s->member_set, words);
      memset (s->member_set + s->member_words, 0, (words - s->member_words) * sizeof (guint64));
      s->member_words = words;
    }
  if (!member_test (s, idx))
    {
      s->member_set[idx / 64] |= G_GUINT64_CONSTANT (1) << (idx % 64);
      s->n_members++;
    }
}

static void
emit_qualified (SegLiveEngine *self,
                LiveSegment   *s,
                UserState     *u,
                const char    *user_id,
                char           tag,
                guint64        keyval,
                gint64         ts_ms)
{
  guint64 bit = s->index < 64 ? G_GUINT64_CONSTANT (1) << s->index : 0;
  Qualification q;

  if (u != NULL && (u->member_bits & bit) != 0)
    ;   /* known member: skip the member set */
  else
    member_add (s, member_index (self, u, user_id));
  if (u != NULL)
    u->member_bits |= bit;
  s->n_qualifications++;
  self->n_qualifications++;
  self->tick_qualifications++;

  if (self->sink != NULL)
    {
      q.segment_id = g_strdup (s->id);
      q.user_id = g_strdup (user_id);
      q.key = format_key (tag, keyval);
      q.ts_ms = ts_ms;
      g_array_append_val (self->queue, q);
    }
  g_signal_emit (self, signals[USER_QUALIFIED], 0, s->id, user_id, ts_ms);
  if (self->queue->len >= FLUSH_AT)
    {
      g_autoptr(GError) error = NULL;
      if (!seg_live_engine_flush (self, &error))
        g_warning ("%s", error->message);
    }
}

static void refresh_filter (SegLiveEngine *self,
                            LiveSegment   *s);

static void
qualify (SegLiveEngine *self,
         LiveSegment   *s,
         UserState     *u,
         char           tag,
         guint64        keyval,
         gint64         ts_ms)
{
  if (s->trigger->filter == NULL)
    {
      emit_qualified (self, s, u, u->user_id, tag, keyval, ts_ms);
      return;
    }
  /* The filter is past behavior: decided on the store's answer, at most a minute old. */
  if (s->filter_members != NULL &&
      seg_live_clock_get_now (self->clock) - s->filter_time <= FILTER_MAX_AGE_MS)
    {
      if (g_hash_table_contains (s->filter_members, u->user_id))
        emit_qualified (self, s, u, u->user_id, tag, keyval, ts_ms);
      return;
    }
  {
    Qualification *q = g_new0 (Qualification, 1);
    q->user_id = g_strdup (u->user_id);
    q->tag = tag;
    q->keyval = keyval;
    q->ts_ms = ts_ms;
    g_ptr_array_add (s->filter_pending, q);
    refresh_filter (self, s);
  }
}

typedef struct
{
  SegLiveEngine *engine;
  guint          seg;
  gint64         now;
} FilterData;

static void
filter_evaluated_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FilterData *fd = user_data;
  SegLiveEngine *self = fd->engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) res = seg_store_evaluate_finish (SEG_STORE (source), result, &error);
  LiveSegment *s;
  g_autoptr(GPtrArray) pending = NULL;

  if (res == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      g_free (fd);
      return;
    }
  s = g_ptr_array_index (self->segments, fd->seg);
  s->filter_running = FALSE;
  if (res == NULL)
    {
      g_warning ("live segment %s: its filter could not be evaluated: %s", s->id, error->message);
    }
  else
    {
      const char * const *members = seg_eval_result_get_members (res);
      g_clear_pointer (&s->filter_members, g_hash_table_unref);
      s->filter_members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; members != NULL && members[i] != NULL; i++)
        g_hash_table_add (s->filter_members, g_strdup (members[i]));
      s->filter_time = fd->now;
    }
  pending = g_steal_pointer (&s->filter_pending);
  s->filter_pending = g_ptr_array_new_with_free_func (qualification_free);
  for (guint i = 0; i < pending->len; i++)
    {
      Qualification *q = g_ptr_array_index (pending, i);
      if (s->filter_members != NULL && g_hash_table_contains (s->filter_members, q->user_id))
        emit_qualified (self, s, NULL, q->user_id, q->tag, q->keyval, q->ts_ms);
    }
  g_object_unref (self);
  g_free (fd);
}

static void
refresh_filter (SegLiveEngine *self,
                LiveSegment   *s)
{
  SegEvalOptions opts = { 0 };
  FilterData *fd;

  if (s->filter_running || self->store == NULL)
    return;
  s->filter_running = TRUE;
  fd = g_new0 (FilterData, 1);
  fd->engine = g_object_ref (self);
  fd->seg = s->index;
  fd->now = seg_live_clock_get_now (self->clock);
  opts.now_ms = fd->now;
  opts.flags = SEG_EVAL_MEMBERS;
  opts.members_limit = G_MAXUINT;
  seg_store_evaluate_async (self->store, s->trigger->filter, &opts, self->cancellable,
                            filter_evaluated_cb, fd);
}

/* Timers ------------------------------------------------------------------------------ */

/* Cancelling a window does not take its timer out of the heap (that cost a random
 * access per moved entry): the slot forgets the timer, and the heap drops the entry when
 * its deadline comes. Until then the entry keeps the user's state alive (n_refs), so the
 * memory a cancelled window holds is bounded by its length. */
static void
arm_timer (SegLiveEngine *self,
           LiveSegment   *s,
           UserState     *u,
           Slot          *slot,
           gint64         deadline)
{
  Timer t;
  LiveSegment *from;

  if ((guint) self->timer_seq == 0)
    self->timer_seq++;
  t = (Timer) { deadline, self->timer_seq++, s->index, u, slot };
  u->n_refs++;
  slot->timer = (guint) t.seq;
  self->n_armed++;
  if (s->fifo_len == 0 ||
      deadline >= s->fifo[(s->fifo_head + s->fifo_len - 1) % s->fifo_cap].deadline)
    fifo_push (self, s, &t);
  else
    {
      g_array_append_val (self->timers, t);
      heap_sift_up (self->timers, self->timers->len - 1);
      self->bytes_held += sizeof (Timer);
    }
  if (earliest_timer (self, &from)->seq == t.seq)
    schedule (self);
}

static void
disarm_timer (SegLiveEngine *self,
              Slot          *slot)
{
  slot->timer = 0;
  self->n_armed--;
}

/* Dates -------------------------------------------------------------------------------- */

static void
date_unindex (SegLiveEngine *self,
              LiveSegment   *s,
              UserState     *u,
              Slot          *slot)
{
  GHashTable *set;

  if (slot->indexed_day == 0)
    return;
  set = g_hash_table_lookup (s->date_index, GUINT_TO_POINTER (slot->indexed_day));
  if (set != NULL && g_hash_table_remove (set, u))
    {
      u->n_refs--;
      self->bytes_held -= 3 * sizeof (gpointer);
      if (g_hash_table_size (set) == 0)
        g_hash_table_remove (s->date_index, GUINT_TO_POINTER (slot->indexed_day));
    }
  slot->indexed_day = 0;
}

static void
date_qualify (SegLiveEngine *self,
              LiveSegment   *s,
              UserState     *u,
              Slot          *slot,
              gint64         ts_ms)
{
  if (slot->qualified_day == slot->date_day)
    return;
  if (g_hash_table_contains (s->qualified_today, u->user_id))
    {
      /* Restored from the sink: this user already qualified for this date. */
      slot->qualified_day = slot->date_day;
      return;
    }
  slot->qualified_day = slot->date_day;
  /* Remembered by id until the day ends, as the user's state may expire before that. */
  g_hash_table_add (s->qualified_today, g_strdup (u->user_id));
  qualify (self, s, u, 'd', slot->date_day, ts_ms);
}

/* The user's date property changed (or was first seen): qualify now if it is N days from
 * today, otherwise remember the day on which it will be. */
static void
date_update (SegLiveEngine *self,
             LiveSegment   *s,
             UserState     *u,
             gint64         date_ms,
             gint64         ts_ms)
{
  Slot *slot = user_slot (self, u, s);
  guint32 day = seg_time_day_of (self->tz, date_ms);
  gint64 target = (gint64) day - s->trigger->days_from_today;

  if (slot->date_day == day && slot->indexed_day != 0)
    return;
  date_unindex (self, s, u, slot);
  slot->date_day = day;
  if (target == self->today)
    date_qualify (self, s, u, slot, MAX (ts_ms, seg_live_clock_get_now (self->clock)));
  else if (target > self->today)
    {
      GHashTable *set = g_hash_table_lookup (s->date_index, GUINT_TO_POINTER ((guint32) target));
      if (set == NULL)
        {
          set = g_hash_table_new (NULL, NULL);
          g_hash_table_insert (s->date_index, GUINT_TO_POINTER ((guint32) target), set);
        }
      g_hash_table_add (set, u);
      u->n_refs++;
      self->bytes_held += 3 * sizeof (gpointer);
      slot->indexed_day = (guint32) target;
    }
}

static void
day_rollover (SegLiveEngine *self,
              gint64         now)
{
  guint32 day = seg_time_day_of (self->tz, now);

  if (day == self->today)
    return;
  self->today = day;
  for (guint i = 0; i < self->segments->len; i++)
    {
      LiveSegment *s = g_ptr_array_index (self->segments, i);
      GHashTable *set;
      GHashTableIter it;
      gpointer key;
      g_autoptr(GList) days = NULL;

      if (s->trigger->type != SEG_LIVE_TRIGGER_DATE)
        continue;
      g_hash_table_remove_all (s->qualified_today);
      /* Entries for days that went by while nothing ran are stale: drop them. */
      days = g_hash_table_get_keys (s->date_index);
      for (GList *l = days; l != NULL; l = l->next)
        {
          guint32 d = GPOINTER_TO_UINT (l->data);
          if (d < day)
            {
              GHashTable *stale = g_hash_table_lookup (s->date_index, l->data);
              g_hash_table_iter_init (&it, stale);
              while (g_hash_table_iter_next (&it, &key, NULL))
                {
                  UserState *u = key;
                  u->n_refs--;
                  u->slots[s->slot].indexed_day = 0;
                  self->bytes_held -= 3 * sizeof (gpointer);
                }
              g_hash_table_remove (s->date_index, l->data);
            }
        }
      set = g_hash_table_lookup (s->date_index, GUINT_TO_POINTER (day));
      if (set == NULL)
        continue;
      g_hash_table_steal (s->date_index, GUINT_TO_POINTER (day));
      g_hash_table_iter_init (&it, set);
      while (g_hash_table_iter_next (&it, &key, NULL))
        {
          UserState *u = key;
          Slot *slot = &u->slots[s->slot];
          u->n_refs--;
          slot->indexed_day = 0;
          self->bytes_held -= 3 * sizeof (gpointer);
          date_qualify (self, s, u, slot, seg_time_midnight (self->tz, day));
        }
      g_hash_table_unref (set);
    }
}

/* Ticks and expiry ----------------------------------------------------------------------- */

/* Drops the state of users idle for longer than any window can reach back, oldest first;
 * users with a pending deadline or date go to the back of the queue. The queue is kept
 * lazily: an event does not move its user (that cost a cache miss on two neighbours per
 * event), the user is moved here when it reaches the head having been active since. */
static void
expire_users (SegLiveEngine *self,
              gint64         now)
{
  guint budget = self->lru.length;

  while (budget-- > 0 && self->lru.head != NULL)
    {
      UserState *u = self->lru.head->data;

      if (now - u->queued_ts <= self->horizon_ms)
        break;
      g_queue_unlink (&self->lru, &u->link);
      if (u->n_refs > 0 || now - u->last_ts <= self->horizon_ms)
        {
          u->queued_ts = u->last_ts;
          g_queue_push_tail_link (&self->lru, &u->link);
          continue;
        }
      user_table_remove (&self->users, u);
      user_state_free (self, u);
      self->users_freed++;
    }
}

static void
tick (SegLiveEngine *self,
      gint64         now)
{
  double secs = MAX (now - self->tick_start, 1) / 1000.0;
  g_autoptr(GError) error = NULL;

  if (!seg_live_engine_flush (self, &error))
    g_warning ("%s", error->message);
  expire_users (self, now);
  g_signal_emit (self, signals[RATE_TICK], 0,
                 self->tick_events / secs, self->tick_qualifications / secs);
  self->tick_events = 0;
  self->tick_qualifications = 0;
  self->tick_start = now;
  self->next_tick = MAX (self->next_tick + TICK_MS, now + 1);
  if (self->next_tick <= now)
    self->next_tick = now + TICK_MS;
}

static void
fire_due (SegLiveEngine *self)
{
  gint64 now = seg_live_clock_get_now (self->clock);

  g_object_ref (self);
  for (;;)
    {
      LiveSegment *from, *s;
      Timer *top = earliest_timer (self, &from);
      Timer t;

      if (top == NULL || top->deadline > now)
        break;
      t = *top;
      if (from == NULL)
        {
          heap_pop (self->timers);
          self->bytes_held -= sizeof (Timer);
          /* The next timers due are at the top: fetch their user and slot while this
           * one is decided. */
          for (guint k = 0; k < MIN (self->timers->len, 1 + HEAP_D); k++)
            {
              const Timer *next = &g_array_index (self->timers, Timer, k);
              __builtin_prefetch (next->slot);
              __builtin_prefetch (&next->user->n_refs);
            }
        }
      else
        {
          fifo_pop (self, from);
          /* The ring's next windows end next: fetch their user and slot meanwhile. */
          for (gsize k = 4; k < MIN (from->fifo_len, 8); k++)
            {
              const Timer *next = &from->fifo[(from->fifo_head + k) % from->fifo_cap];
              __builtin_prefetch (next->slot);
              __builtin_prefetch (&next->user->n_refs);
            }
        }
      t.user->n_refs--;
      if (t.slot->timer != (guint) t.seq)
        continue;   /* cancelled */
      s = g_ptr_array_index (self->segments, t.seg);
      disarm_timer (self, t.slot);
      qualify (self, s, t.user, 'a', t.slot->a_key, t.deadline);
    }
  if (self->has_dates && now >= self->next_midnight)
    {
      day_rollover (self, now);
      self->next_midnight = seg_time_midnight (self->tz, self->today + 1);
    }
  if (now >= self->next_tick)
    tick (self, now);
  schedule (self);
  g_object_unref (self);
}

/* GObject ---------------------------------------------------------------------------------- */

static void
seg_live_engine_dispose (GObject *object)
{
  SegLiveEngine *self = SEG_LIVE_ENGINE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sink != NULL)
    {
      g_autoptr(GError) error = NULL;
      if (!seg_live_engine_flush (self, &error))
        g_warning ("%s", error->message);
    }
  if (self->deadline_source != NULL)
    {
      g_source_destroy (self->deadline_source);
      g_clear_pointer (&self->deadline_source, g_source_unref);
    }
  if (self->clock != NULL)
    g_clear_signal_handler (&self->clock_changed_id, self->clock);
  g_clear_object (&self->clock);
  g_clear_object (&self->store);
  g_clear_object (&self->sink);

  G_OBJECT_CLASS (seg_live_engine_parent_class)->dispose (object);
}

static void
seg_live_engine_finalize (GObject *object)
{
  SegLiveEngine *self = SEG_LIVE_ENGINE (object);

  g_array_unref (self->timers);
  g_array_unref (self->timed_segs);
  for (gsize i = 0; self->users.buckets != NULL && i <= self->users.mask; i++)
    if (self->users.buckets[i].user != NULL)
      user_state_free (self, self->users.buckets[i].user);
  g_free (self->users.buckets);
  g_ptr_array_unref (self->segments);
  g_hash_table_unref (self->by_id);
  g_hash_table_unref (self->member_ids);
  g_hash_table_unref (self->interests);
  g_array_unref (self->profile_interests);
  g_array_unref (self->queue);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (seg_live_engine_parent_class)->finalize (object);
}

/* Hand-written marshallers for user-qualified: the generic one goes through libffi and
 * copies both strings, which costs more than deciding the qualification itself. */
typedef void (*QualifiedFunc) (gpointer     instance,
                               const char  *segment_id,
                               const char  *user_id,
                               gint64       ts_ms,
                               gpointer     user_data);

static void
marshal_qualified (GClosure     *closure,
                   GValue       *return_value,
                   guint         n_param_values,
                   const GValue *param_values,
                   gpointer      invocation_hint,
                   gpointer      marshal_data)
{
  GCClosure *cc = (GCClosure *) closure;
  gpointer data1, data2;
  QualifiedFunc callback;

  g_return_if_fail (n_param_values == 4);
  if (G_CCLOSURE_SWAP_DATA (closure))
    {
      data1 = closure->data;
      data2 = g_value_peek_pointer (param_values + 0);
    }
  else
    {
      data1 = g_value_peek_pointer (param_values + 0);
      data2 = closure->data;
    }
  callback = (QualifiedFunc) (marshal_data ? marshal_data : cc->callback);
  callback (data1, g_value_get_string (param_values + 1), g_value_get_string (param_values + 2),
            g_value_get_int64 (param_values + 3), data2);
}

static void
marshal_qualified_v (GClosure *closure,
                     GValue   *return_value,
                     gpointer  instance,
                     va_list   args,
                     gpointer  marshal_data,
                     int       n_params,
                     GType    *param_types)
{
  GCClosure *cc = (GCClosure *) closure;
  gpointer data1, data2;
  QualifiedFunc callback;
  const char *segment_id, *user_id;
  gint64 ts_ms;
  va_list copy;

  G_VA_COPY (copy, args);
  segment_id = va_arg (copy, const char *);
  user_id = va_arg (copy, const char *);
  ts_ms = va_arg (copy, gint64);
  va_end (copy);
  if (G_CCLOSURE_SWAP_DATA (closure))
    {
      data1 = closure->data;
      data2 = instance;
    }
  else
    {
      data1 = instance;
      data2 = closure->data;
    }
  callback = (QualifiedFunc) (marshal_data ? marshal_data : cc->callback);
  callback (data1, segment_id, user_id, ts_ms, data2);
}

static void
seg_live_engine_class_init (SegLiveEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seg_live_engine_dispose;
  object_class->finalize = seg_live_engine_finalize;

  /**
   * SegLiveEngine::user-qualified:
   * @segment_id: the live segment
   * @user_id: the user who qualified
   * @ts_ms: when: the time of the qualifying event, the inaction deadline, or midnight
   */
  signals[USER_QUALIFIED] =
    g_signal_new ("user-qualified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, marshal_qualified, G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_INT64);
  g_signal_set_va_marshaller (signals[USER_QUALIFIED], G_TYPE_FROM_CLASS (klass), marshal_qualified_v);

  /**
   * SegLiveEngine::rate-tick:
   * @events_per_second: records consumed per second since the last tick
   * @qualifications_per_second: qualifications per second since the last tick
   */
  signals[RATE_TICK] =
    g_signal_new ("rate-tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
event_entry_free (gpointer data)
{
  EventEntry *e = data;

  g_array_unref (e->interests);
  g_array_unref (e->slots);
  g_free (e);
}

static void
seg_live_engine_init (SegLiveEngine *self)
{
  self->segments = g_ptr_array_new_with_free_func (live_segment_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->member_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->interests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, event_entry_free);
  self->profile_interests = g_array_new (FALSE, FALSE, sizeof (Interest));
  self->timers = g_array_new (FALSE, FALSE, sizeof (Timer));
  self->timed_segs = g_array_new (FALSE, FALSE, sizeof (guint));
  self->queue = g_array_new (FALSE, FALSE, sizeof (Qualification));
  g_array_set_clear_func (self->queue, qualification_clear);
  self->cancellable = g_cancellable_new ();
  self->horizon_ms = SEG_LIVE_SESSION_GAP_MS;
  /* Page views count toward sessions whether or not a segment watches them. */
  add_interest (self, SEG_LIVE_PAGE_EVENT, 0, ROLE_NONE);
}

/**
 * seg_live_engine_new:
 * @clock: the engine's time
 * @tz: the store's timezone, for calendar days
 *
 * Creates an engine attached to the thread-default main context.
 *
 * Returns: (transfer full): a new engine
 */
SegLiveEngine *
seg_live_engine_new (SegLiveClock *clock,
                     GTimeZone    *tz)
{
  SegLiveEngine *self;
  gint64 now;

  g_return_val_if_fail (SEG_IS_LIVE_CLOCK (clock), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  self = g_object_new (SEG_TYPE_LIVE_ENGINE, NULL);
  self->clock = g_object_ref (clock);
  self->tz = g_time_zone_ref (tz);
  now = seg_live_clock_get_now (clock);
  self->today = seg_time_day_of (tz, now);
  self->next_midnight = seg_time_midnight (tz, self->today + 1);
  self->tick_start = now;
  self->next_tick = now + TICK_MS;
  self->clock_changed_id = g_signal_connect (clock, "changed", G_CALLBACK (clock_changed_cb), self);

  self->deadline_source = g_source_new (&deadline_funcs, sizeof (DeadlineSource));
  ((DeadlineSource *) self->deadline_source)->engine = self;
  g_source_set_static_name (self->deadline_source, "SegLiveEngine deadlines");
  g_source_set_priority (self->deadline_source, G_PRIORITY_DEFAULT);
  g_source_attach (self->deadline_source, g_main_context_get_thread_default ());
  schedule (self);
  return self;
}

SegLiveClock *
seg_live_engine_get_clock (SegLiveEngine *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_ENGINE (self), NULL);
  return self->clock;
}

GTimeZone *
seg_live_engine_get_timezone (SegLiveEngine *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_ENGINE (self), NULL);
  return self->tz;
}

/**
 * seg_live_engine_set_store:
 * @self: an engine
 * @store: (nullable): the store that decides the triggers' past-behavior filters
 */
void
seg_live_engine_set_store (SegLiveEngine *self,
                           SegStore      *store)
{
  g_return_if_fail (SEG_IS_LIVE_ENGINE (self));

  g_set_object (&self->store, store);
}

/**
 * seg_live_engine_set_idle_horizon:
 * @self: an engine
 * @ms: how long the state of a user with no pending deadline is kept after their last
 *   event (at least a session gap and the longest page-count window)
 */
void
seg_live_engine_set_idle_horizon (SegLiveEngine *self,
                                  gint64         ms)
{
  g_return_if_fail (SEG_IS_LIVE_ENGINE (self));

  self->horizon_ms = MAX (self->horizon_ms, ms);
}

static void
load_cb (const SegLiveMembership *m,
         gpointer                 user_data)
{
  SegLiveEngine *self = user_data;
  LiveSegment *s = g_hash_table_lookup (self->by_id, m->segment_id);

  if (s == NULL)
    return;
  member_add (s, member_index (self, NULL, m->user_id));
  s->n_qualifications++;
  if (s->trigger->type == SEG_LIVE_TRIGGER_DATE && g_str_has_prefix (m->key, "d:"))
    {
      guint64 day = g_ascii_strtoull (m->key + 2, NULL, 10);
      /* Only today's date qualifications matter: they must not repeat after a restart. */
      if ((gint64) day - s->trigger->days_from_today == self->today)
        g_hash_table_add (s->qualified_today, g_strdup (m->user_id));
    }
}

/**
 * seg_live_engine_set_sink:
 * @self: an engine
 * @sink: where memberships are kept
 * @error: return location for an error
 *
 * Loads the memberships the sink holds for the segments added so far (add segments
 * first), then keeps every new qualification in it.
 *
 * Returns: %FALSE if the stored memberships could not be read
 */
gboolean
seg_live_engine_set_sink (SegLiveEngine  *self,
                          SegLiveSink    *sink,
                          GError        **error)
{
  g_return_val_if_fail (SEG_IS_LIVE_ENGINE (self), FALSE);
  g_return_val_if_fail (SEG_IS_LIVE_SINK (sink), FALSE);

  if (!seg_live_sink_load (sink, load_cb, self, error))
    return FALSE;
  g_set_object (&self->sink, sink);
  return TRUE;
}

static void
add_interest (SegLiveEngine *self,
              const char    *event,
              guint          seg,
              Role           role)
{
  EventEntry *e = g_hash_table_lookup (self->interests, event);
  Interest in = { seg, role };

  if (e == NULL)
    {
      e = g_new0 (EventEntry, 1);
      e->interests = g_array_new (FALSE, FALSE, sizeof (Interest));
      e->slots = g_array_new (FALSE, FALSE, sizeof (guint));
      e->is_page = strcmp (event, SEG_LIVE_PAGE_EVENT) == 0;
      e->key_seed = record_key_seed (SEG_RECORD_EVENT, event);
      g_hash_table_insert (self->interests, g_strdup (event), e);
    }
  if (role != ROLE_NONE)
    {
      LiveSegment *s = g_ptr_array_index (self->segments, seg);
      g_array_append_val (e->interests, in);
      if (s->slot >= 0 && (e->slots->len == 0 ||
                           g_array_index (e->slots, guint, e->slots->len - 1) != (guint) s->slot))
        {
          guint slot = (guint) s->slot;
          g_array_append_val (e->slots, slot);
        }
    }
}

/**
 * seg_live_engine_add_segment:
 * @self: an engine
 * @segment_id: the live segment's id
 * @trigger: its trigger
 * @error: return location for an error
 *
 * Returns: %FALSE if the id is taken, or the trigger has a filter and no store is set
 */
gboolean
seg_live_engine_add_segment (SegLiveEngine   *self,
                             const char      *segment_id,
                             SegLiveTrigger  *trigger,
                             GError         **error)
{
  LiveSegment *s;
  SegLiveTrigger *t = trigger;

  g_return_val_if_fail (SEG_IS_LIVE_ENGINE (self), FALSE);
  g_return_val_if_fail (segment_id != NULL, FALSE);
  g_return_val_if_fail (trigger != NULL, FALSE);

  if (g_hash_table_contains (self->by_id, segment_id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("live segment “%s” was added twice"), segment_id);
      return FALSE;
    }
  if (t->filter != NULL && self->store == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("live segment “%s” filters by past behavior, which needs a store"), segment_id);
      return FALSE;
    }
  /* Existing users' slot arrays have the old size: drop them rather than resize. */
  if (self->users.n > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("live segments must be added before events arrive"));
      return FALSE;
    }

  s = g_new0 (LiveSegment, 1);
  s->index = self->segments->len;
  s->slot = t->type == SEG_LIVE_TRIGGER_ACTION ? -1 : (int) self->n_slots++;
  s->id = g_strdup (segment_id);
  s->trigger = seg_live_trigger_ref (trigger);
  s->date_index = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_hash_table_unref);
  s->qualified_today = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->filter_pending = g_ptr_array_new_with_free_func (qualification_free);
  s->where = seg_live_match_new (t->where, self->tz);
  s->then_where = seg_live_match_new (t->then_where, self->tz);
  g_ptr_array_add (self->segments, s);
  g_hash_table_insert (self->by_id, s->id, s);

  switch (t->type)
    {
    case SEG_LIVE_TRIGGER_ACTION:
      add_interest (self, t->event, s->index, ROLE_ACTION);
      break;
    case SEG_LIVE_TRIGGER_INACTION:
      g_array_append_val (self->timed_segs, s->index);
      /* B before A, so that an event that is both first ends the old window. */
      add_interest (self, t->then_event, s->index, ROLE_INACTION_B);
      add_interest (self, t->event, s->index, ROLE_INACTION_A);
      break;
    case SEG_LIVE_TRIGGER_DATE:
      self->has_dates = TRUE;
      if (t->event != NULL)
        add_interest (self, t->event, s->index, ROLE_DATE);
      else
        {
          Interest in = { s->index, ROLE_DATE };
          g_array_append_val (self->profile_interests, in);
        }
      break;
    case SEG_LIVE_TRIGGER_PAGE_VISIT:
    case SEG_LIVE_TRIGGER_REFERRER:
    case SEG_LIVE_TRIGGER_PAGE_COUNT:
      add_interest (self, SEG_LIVE_PAGE_EVENT, s->index, ROLE_PAGE);
      self->horizon_ms = MAX (self->horizon_ms, t->within_ms);
      break;
    case SEG_LIVE_N_TRIGGER_TYPES:
    default:
      g_assert_not_reached ();
    }
  schedule (self);
  return TRUE;
}

guint
seg_live_engine_get_n_segments (SegLiveEngine *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_ENGINE (self), 0);
  return self->segments->len;
}

/* Processing ----------------------------------------------------------------------------- */

/* The record's identity: its insert id when the source has one, else all of its content. */
static guint64
record_key_seed (SegRecordKind  kind,
                 const char    *event)
{
  guint64 h = 0xcbf29ce484222325ULL;

  h = fnv (h, &kind, sizeof kind);
  if (event != NULL)
    h = fnv (h, event, strlen (event) + 1);
  return h;
}

/* @e: the record's event entry, if it is an event the engine knows. */
static guint64
record_key (const SegRecord  *r,
            const EventEntry *e)
{
  guint64 h = e != NULL ? e->key_seed : record_key_seed (r->kind, r->event);

  if (r->insert_id != NULL && *r->insert_id != '\0')
    return fnv (h, r->insert_id, strlen (r->insert_id) + 1);
  h = fnv (h, &r->ts_ms, sizeof r->ts_ms);
  for (guint i = 0; i < r->n_props; i++)
    {
      const SegPropValue *v = &r->props[i];
      h = fnv (h, v->key, strlen (v->key) + 1);
      h = fnv (h, &v->type, sizeof v->type);
      if (v->str != NULL)
        h = fnv (h, v->str, v->str_len);
      h = fnv (h, &v->num, sizeof v->num);
    }
  return h | 1;   /* 0 marks an empty place in the ring */
}

static void
process_page (SegLiveEngine   *self,
              LiveSegment     *s,
              UserState       *u,
              const SegRecord *r,
              guint64          key)
{
  SegLiveTrigger *t = s->trigger;
  Slot *slot;
  const SegPropValue *v;

  switch (t->type)
    {
    case SEG_LIVE_TRIGGER_PAGE_VISIT:
    case SEG_LIVE_TRIGGER_REFERRER:
      if (t->type == SEG_LIVE_TRIGGER_REFERRER && u->session_pages != 1)
        return;
      v = seg_live_record_find_prop (r, t->type == SEG_LIVE_TRIGGER_PAGE_VISIT
                                          ? SEG_LIVE_PAGE_URL_PROPERTY
                                          : SEG_LIVE_PAGE_REFERRER_PROPERTY);
      if (v == NULL || v->type != SEG_VALUE_TYPE_STRING || !seg_live_text_match (&t->text, v->str, v->str_len))
        return;
      slot = user_slot (self, u, s);
      if (slot->qualified_session == u->session_start)
        return;
      slot->qualified_session = u->session_start;
      qualify (self, s, u, 's', u->session_start, r->ts_ms);
      break;

    case SEG_LIVE_TRIGGER_PAGE_COUNT:
      slot = user_slot (self, u, s);
      if (t->within_ms == 0)
        {
          if (u->session_pages < t->count || slot->qualified_session == u->session_start)
            return;
          slot->qualified_session = u->session_start;
          qualify (self, s, u, 's', u->session_start, r->ts_ms);
          return;
        }
      if (slot->times == NULL)
        {
          slot->times = g_new (gint64, t->count);
          self->bytes_held += slot_bytes (t);
        }
      slot->times[slot->pos] = r->ts_ms;
      slot->pos = (guint16) ((slot->pos + 1u) % t->count);
      slot->n_times = (guint16) MIN (slot->n_times + 1u, t->count);
      /* The oldest of the last N views sits where the next one goes. */
      if (slot->n_times == t->count &&
          r->ts_ms - slot->times[slot->n_times == t->count ? slot->pos : 0] < t->within_ms)
        {
          if (slot->in_run)
            return;
          slot->in_run = TRUE;
          qualify (self, s, u, 'p', key, r->ts_ms);
        }
      else
        slot->in_run = FALSE;
      break;

    case SEG_LIVE_TRIGGER_ACTION:
    case SEG_LIVE_TRIGGER_INACTION:
    case SEG_LIVE_TRIGGER_DATE:
    case SEG_LIVE_N_TRIGGER_TYPES:
    default:
      break;
    }
}

static void
process_interest (SegLiveEngine   *self,
                  const Interest  *in,
                  UserState       *u,
                  const SegRecord *r,
                  guint64          key,
                  gint64           now)
{
  LiveSegment *s = g_ptr_array_index (self->segments, in->seg);
  SegLiveTrigger *t = s->trigger;
  Slot *slot;

  switch (in->role)
    {
    case ROLE_ACTION:
      if (!seg_live_match_record (s->where, r, now))
        return;
      qualify (self, s, u, 'e', key, r->ts_ms);
      break;

    case ROLE_INACTION_B:
      slot = user_slot (self, u, s);
      if (slot->timer == 0 || r->ts_ms <= slot->a_ts ||
          r->ts_ms > slot->a_ts + t->within_ms ||
          !seg_live_match_record (s->then_where, r, now))
        return;
      disarm_timer (self, slot);
      break;

    case ROLE_INACTION_A:
      slot = user_slot (self, u, s);
      if (slot->timer != 0 || !seg_live_match_record (s->where, r, now))
        return;
      slot->a_ts = r->ts_ms;
      slot->a_key = key;
      arm_timer (self, s, u, slot, r->ts_ms + t->within_ms);
      break;

    case ROLE_DATE:
      {
        const SegPropValue *v = seg_live_record_find_prop (r, t->property);
        gint64 ms;

        if (v == NULL)
          return;
        if (v->type == SEG_VALUE_TYPE_NONE)
          {
            slot = user_slot (self, u, s);
            date_unindex (self, s, u, slot);
            slot->date_day = 0;
            return;
          }
        if (seg_live_prop_to_ms (v, self->tz, &ms))
          date_update (self, s, u, ms, r->ts_ms);
      }
      break;

    case ROLE_PAGE:
      process_page (self, s, u, r, key);
      break;

    default:
      break;
    }
}

/**
 * seg_live_engine_push:
 * @self: an engine
 * @record: an event or a profile update, borrowed for the call
 *
 * Consumes one record: qualifications it causes are emitted before this returns.
 *
 * Returns: %FALSE if the record was a duplicate delivery and was ignored
 */
gboolean
seg_live_engine_push (SegLiveEngine   *self,
                      const SegRecord *record)
{
  gsize id_len;

  g_return_val_if_fail (SEG_IS_LIVE_ENGINE (self), FALSE);
  g_return_val_if_fail (record != NULL && record->user_id != NULL, FALSE);

  id_len = strlen (record->user_id);
  return push_one (self, record, user_hash (record->user_id, id_len), id_len, NULL, FALSE);
}

/* How far ahead push_many works: user ids are fetched PREFETCH_ID records ahead, their
 * buckets PREFETCH_BUCKET ahead and their state PREFETCH_USER ahead, so that the cache
 * misses of a record overlap the work on the records before it. */
#define PREFETCH_ID     24
#define PREFETCH_BUCKET 16
#define PREFETCH_USER   8
#define PREFETCH_SLOTS  3
#define PREFETCH_RING   32

/**
 * seg_live_engine_push_many:
 * @self: an engine
 * @records: (array length=n): records, borrowed for the call
 * @n: how many
 *
 * Consumes @n records in order, exactly as @n calls of seg_live_engine_push() would, but
 * faster: the memory each record needs is fetched while the records before it are
 * processed. Sources that receive records in batches (the ingest endpoint, the file tail)
 * use it. Qualifications are emitted before this returns, in the order of the records.
 *
 * Returns: how many records were consumed (not dropped as duplicate deliveries)
 */
guint
seg_live_engine_push_many (SegLiveEngine   *self,
                           const SegRecord *records,
                           guint            n)
{
  guint64 hashes[PREFETCH_RING];
  gsize lens[PREFETCH_RING];
  UserState *users[PREFETCH_RING] = { NULL };
  const EventEntry *events[PREFETCH_RING] = { NULL };
  guint64 freed = self->users_freed;
  guint consumed = 0;

  g_return_val_if_fail (SEG_IS_LIVE_ENGINE (self), 0);
  g_return_val_if_fail (records != NULL || n == 0, 0);

  for (guint i = 0; i < MIN (n, PREFETCH_BUCKET); i++)
    {
      g_return_val_if_fail (records[i].user_id != NULL, consumed);
      lens[i % PREFETCH_RING] = strlen (records[i].user_id);
      hashes[i % PREFETCH_RING] = user_hash (records[i].user_id, lens[i % PREFETCH_RING]);
    }
  for (guint i = 0; i < n; i++)
    {
      guint j = i + PREFETCH_BUCKET;

      if (i + PREFETCH_ID < n)
        __builtin_prefetch (records[i + PREFETCH_ID].user_id);
      if (j < n)
        {
          const char *id = records[j].user_id;
          g_return_val_if_fail (id != NULL, consumed);
          lens[j % PREFETCH_RING] = strlen (id);
          hashes[j % PREFETCH_RING] = user_hash (id, lens[j % PREFETCH_RING]);
          if (self->users.buckets != NULL)
            __builtin_prefetch (&self->users.buckets[hashes[j % PREFETCH_RING] & self->users.mask]);
        }
      if (i + PREFETCH_USER < n && self->users.buckets != NULL)
        {
          guint k = (i + PREFETCH_USER) % PREFETCH_RING;
          const UserBucket *b = NULL;
          users[k] = NULL;
          /* The first bucket of its probe run with the same hash (the id is compared
           * when it is processed). */
          for (gsize m = hashes[k] & self->users.mask; self->users.buckets[m].user != NULL;
               m = (m + 1) & self->users.mask)
            if (self->users.buckets[m].hash == hashes[k])
              {
                b = &self->users.buckets[m];
                break;
              }
          if (b != NULL)
            {
              users[k] = b->user;
              __builtin_prefetch (b->user);
              __builtin_prefetch ((const char *) b->user + 64);
              __builtin_prefetch ((const char *) b->user + 128);
              __builtin_prefetch ((const char *) b->user + 192);
              /* Its id, compared on lookup, follows the struct. */
              __builtin_prefetch ((const char *) b->user + sizeof (UserState) + 16);
            }
        }
      /* A signal handler may have run the main loop, and expiry freed users. */
      if (G_UNLIKELY (self->users_freed != freed))
        {
          memset (users, 0, sizeof users);
          freed = self->users_freed;
        }
      if (i + PREFETCH_SLOTS < n)
        {
          guint k = (i + PREFETCH_SLOTS) % PREFETCH_RING;
          const SegRecord *r = &records[i + PREFETCH_SLOTS];
          UserState *u = users[k];

          events[k] = r->kind == SEG_RECORD_EVENT && r->event != NULL
            ? g_hash_table_lookup (self->interests, r->event) : NULL;
          if (u != NULL && u->slots != NULL && events[k] != NULL)
            for (guint m = 0; m < events[k]->slots->len; m++)
              __builtin_prefetch (&u->slots[g_array_index (events[k]->slots, guint, m)], 1);
        }
      if (push_one (self, &records[i], hashes[i % PREFETCH_RING], lens[i % PREFETCH_RING],
                    events[i % PREFETCH_RING],
                    i < PREFETCH_SLOTS ? FALSE : records[i].kind == SEG_RECORD_EVENT))
        consumed++;
    }
  return consumed;
}

/* @e is the record's event entry when @have_e (push_many looked it up already). */
static gboolean
push_one (SegLiveEngine    *self,
          const SegRecord  *record,
          guint64           hash,
          gsize             id_len,
          const EventEntry *e,
          gboolean          have_e)
{
  UserState *u;
  guint64 key;
  gint64 now;

  self->n_events++;
  self->tick_events++;
  if (!have_e)
    e = record->kind == SEG_RECORD_EVENT && record->event != NULL
      ? g_hash_table_lookup (self->interests, record->event) : NULL;
  key = record_key (record, e);
  u = user_table_lookup (&self->users, record->user_id, hash);
  if (u == NULL)
    {
      u = g_malloc0 (sizeof (UserState) + id_len + 1);
      u->user_id = (char *) (u + 1);
      memcpy (u->user_id, record->user_id, id_len + 1);
      u->hash = hash;
      u->last_ts = G_MININT64 / 2;
      u->queued_ts = record->ts_ms;
      u->link.data = u;
      user_table_insert (&self->users, u);
      g_queue_push_tail_link (&self->lru, &u->link);
      self->bytes_held += sizeof (UserState) + id_len + 1;
    }
  else
    {
      for (guint i = 0; i < N_RECENT_KEYS; i++)
        if (u->recent[i] == key)
          {
            self->n_duplicates++;
            return FALSE;
          }
    }
  u->recent[u->key_pos] = key;
  u->key_pos = (u->key_pos + 1) % N_RECENT_KEYS;

  now = seg_live_clock_get_now (self->clock);
  if (record->kind == SEG_RECORD_PROFILE)
    {
      u->last_ts = MAX (u->last_ts, record->ts_ms);
      for (guint i = 0; i < self->profile_interests->len; i++)
        process_interest (self, &g_array_index (self->profile_interests, Interest, i),
                          u, record, key, now);
      return TRUE;
    }

  if (record->ts_ms - u->last_ts > SEG_LIVE_SESSION_GAP_MS)
    {
      u->session_start = record->ts_ms;
      u->session_pages = 0;
    }
  u->last_ts = MAX (u->last_ts, record->ts_ms);
  if (e == NULL)
    return TRUE;
  if (e->is_page)
    u->session_pages++;
  for (guint i = 0; i < e->interests->len; i++)
    process_interest (self, &g_array_index (e->interests, Interest, i), u, record, key, now);
  return TRUE;
}

/**
 * seg_live_engine_record_func:
 * @record: a record
 * @engine: (type SegLiveEngine): the engine
 * @error: unused
 *
 * A #SegRecordFunc feeding the engine, for readers that produce records.
 *
 * Returns: %TRUE
 */
gboolean
seg_live_engine_record_func (const SegRecord  *record,
                             gpointer          engine,
                             GError          **error)
{
  seg_live_engine_push (engine, record);
  return TRUE;
}

guint64
seg_live_engine_get_n_members (SegLiveEngine *self,
                               const char    *segment_id)
{
  LiveSegment *s = g_hash_table_lookup (self->by_id, segment_id);

  return s != NULL ? s->n_members : 0;
}

gboolean
seg_live_engine_is_member (SegLiveEngine *self,
                           const char    *segment_id,
                           const char    *user_id)
{
  LiveSegment *s = g_hash_table_lookup (self->by_id, segment_id);
  gpointer v;

  if (s == NULL || (v = g_hash_table_lookup (self->member_ids, user_id)) == NULL)
    return FALSE;
  return member_test (s, GPOINTER_TO_UINT (v) - 1);
}

guint64
seg_live_engine_get_n_qualifications (SegLiveEngine *self,
                                      const char    *segment_id)
{
  LiveSegment *s = g_hash_table_lookup (self->by_id, segment_id);

  return s != NULL ? s->n_qualifications : 0;
}

/**
 * seg_live_engine_get_stats:
 * @self: an engine
 * @stats: (out caller-allocates): counters and the memory held, for a debug view
 */
void
seg_live_engine_get_stats (SegLiveEngine      *self,
                           SegLiveEngineStats *stats)
{
  g_return_if_fail (SEG_IS_LIVE_ENGINE (self));

  stats->events = self->n_events;
  stats->duplicates = self->n_duplicates;
  stats->qualifications = self->n_qualifications;
  stats->n_users = self->users.n;
  stats->bytes_held = self->bytes_held +
                      (self->users.buckets != NULL ? (self->users.mask + 1) * sizeof (UserBucket) : 0);
  stats->pending_timers = self->n_armed;
  stats->bytes_members = self->member_ids_bytes;
  for (guint i = 0; i < self->segments->len; i++)
    stats->bytes_members += ((LiveSegment *) g_ptr_array_index (self->segments, i))->member_words * sizeof (guint64);
}

/**
 * seg_live_engine_count_active_users:
 * @since_ms: a time, at most SEG_LIVE_SESSION_GAP_MS ago (the engine keeps every user
 *   active that recently)
 *
 * Counts the users whose last event is at or after @since_ms: the "active users" of the
 * Today page. A scan of the users the engine holds, for a once-a-second display.
 */
guint
seg_live_engine_count_active_users (SegLiveEngine *self,
                                    gint64         since_ms)
{
  guint n = 0;

  g_return_val_if_fail (SEG_IS_LIVE_ENGINE (self), 0);

  if (self->users.buckets == NULL)
    return 0;
  for (gsize i = 0; i <= self->users.mask; i++)
    {
      const UserState *u = self->users.buckets[i].user;

      if (u != NULL && u->last_ts >= since_ms)
        n++;
    }
  return n;
}

/**
 * seg_live_engine_flush:
 * @self: an engine
 * @error: return location for an error
 *
 * Writes the qualifications queued for the sink now (the engine also does it once a
 * second and when 1,024 are queued).
 *
 * Returns: %FALSE if the sink failed; the qualifications stay queued
 */
gboolean
seg_live_engine_flush (SegLiveEngine  *self,
                       GError        **error)
{
  g_autofree SegLiveMembership *m = NULL;

  if (self->sink == NULL || self->queue->len == 0)
    return TRUE;
  m = g_new (SegLiveMembership, self->queue->len);
  for (guint i = 0; i < self->queue->len; i++)
    {
      Qualification *q = &g_array_index (self->queue, Qualification, i);
      m[i].segment_id = q->segment_id;
      m[i].user_id = q->user_id;
      m[i].key = q->key;
      m[i].ts_ms = q->ts_ms;
    }
  if (!seg_live_sink_add (self->sink, m, self->queue->len, error))
    return FALSE;
  g_array_set_size (self->queue, 0);
  return TRUE;
}
