/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-eval-result"

#include "config.h"

#include "seg-eval-result.h"

/**
 * SegEvalResult:
 *
 * The answer to an evaluation: the member count, and what SegEvalFlags asked for: members
 * reachable per channel, a sample of member ids, a page of member ids in a stable order.
 */
struct _SegEvalResult
{
  GObject    parent_instance;
  guint64    count;
  gint64     now_ms;
  gboolean   has_reach;
  guint64    reach[SEG_N_CHANNELS];
  char     **sample;
  char     **members;
  guint64    members_offset;
  double     elapsed_ms;
};

G_DEFINE_FINAL_TYPE (SegEvalResult, seg_eval_result, G_TYPE_OBJECT)

enum { PROP_0, PROP_COUNT, PROP_NOW, PROP_SAMPLE, PROP_MEMBERS, PROP_ELAPSED_MS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
seg_eval_result_finalize (GObject *object)
{
  SegEvalResult *self = SEG_EVAL_RESULT (object);

  g_strfreev (self->sample);
  g_strfreev (self->members);
  G_OBJECT_CLASS (seg_eval_result_parent_class)->finalize (object);
}

static void
seg_eval_result_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SegEvalResult *self = SEG_EVAL_RESULT (object);

  switch (prop_id)
    {
    case PROP_COUNT: g_value_set_uint64 (value, self->count); break;
    case PROP_NOW: g_value_set_int64 (value, self->now_ms); break;
    case PROP_SAMPLE: g_value_set_boxed (value, seg_eval_result_get_sample (self)); break;
    case PROP_MEMBERS: g_value_set_boxed (value, seg_eval_result_get_members (self)); break;
    case PROP_ELAPSED_MS: g_value_set_double (value, self->elapsed_ms); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_eval_result_class_init (SegEvalResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = seg_eval_result_finalize;
  object_class->get_property = seg_eval_result_get_property;
  properties[PROP_COUNT] = g_param_spec_uint64 ("count", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_NOW] = g_param_spec_int64 ("now", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_SAMPLE] = g_param_spec_boxed ("sample", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_MEMBERS] = g_param_spec_boxed ("members", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_ELAPSED_MS] = g_param_spec_double ("elapsed-ms", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_eval_result_init (SegEvalResult *self)
{
}

SegEvalResult *
seg_eval_result_new (guint64 count,
                     gint64  now_ms)
{
  SegEvalResult *self = g_object_new (SEG_TYPE_EVAL_RESULT, NULL);

  self->count = count;
  self->now_ms = now_ms;
  return self;
}

void
seg_eval_result_set_reach (SegEvalResult *self,
                           SegChannel     channel,
                           guint64        count)
{
  g_return_if_fail (channel < SEG_N_CHANNELS);
  self->has_reach = TRUE;
  self->reach[channel] = count;
}

void
seg_eval_result_take_sample (SegEvalResult  *self,
                             char          **ids)
{
  g_strfreev (self->sample);
  self->sample = ids;
}

void
seg_eval_result_take_members (SegEvalResult  *self,
                              guint64         offset,
                              char          **ids)
{
  g_strfreev (self->members);
  self->members = ids;
  self->members_offset = offset;
}

guint64
seg_eval_result_get_count (SegEvalResult *self)
{
  return self->count;
}

/* Returns: the "now" the definition was evaluated at, in ms since the epoch */
gint64
seg_eval_result_get_now (SegEvalResult *self)
{
  return self->now_ms;
}

gboolean
seg_eval_result_has_reach (SegEvalResult *self)
{
  return self->has_reach;
}

guint64
seg_eval_result_get_reach (SegEvalResult *self,
                           SegChannel     channel)
{
  g_return_val_if_fail (channel < SEG_N_CHANNELS, 0);
  return self->reach[channel];
}

/**
 * seg_eval_result_get_sample:
 *
 * Returns: (transfer none): sample member ids (empty unless SEG_EVAL_SAMPLE was asked)
 */
const char * const *
seg_eval_result_get_sample (SegEvalResult *self)
{
  static const char *empty[] = { NULL };
  return self->sample ? (const char * const *) self->sample : empty;
}

/**
 * seg_eval_result_get_members:
 *
 * Returns: (transfer none): the page of member ids (empty unless SEG_EVAL_MEMBERS)
 */
const char * const *
seg_eval_result_get_members (SegEvalResult *self)
{
  static const char *empty[] = { NULL };
  return self->members ? (const char * const *) self->members : empty;
}

guint64
seg_eval_result_get_members_offset (SegEvalResult *self)
{
  return self->members_offset;
}

double
seg_eval_result_get_elapsed_ms (SegEvalResult *self)
{
  return self->elapsed_ms;
}

void
seg_eval_result_set_elapsed_ms (SegEvalResult *self,
                                double         ms)
{
  self->elapsed_ms = ms;
}
