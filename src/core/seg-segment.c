/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-segment"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-segment.h"

/**
 * SegSegment:
 *
 * A saved segment. Times are milliseconds since the epoch; last-count is -1 until the
 * segment was evaluated. Includes and excludes come from the definition.
 */
struct _SegSegment
{
  GObject         parent_instance;
  char           *id;
  char           *name;
  char           *description;
  SegSegmentKind  kind;
  SegDefinition  *definition;
  gint64          created;
  gint64          updated;
  gint64          last_count;
  gint64          last_evaluated;
};

G_DEFINE_FINAL_TYPE (SegSegment, seg_segment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_KIND,
  PROP_DEFINITION,
  PROP_CREATED,
  PROP_UPDATED,
  PROP_LAST_COUNT,
  PROP_LAST_EVALUATED,
  PROP_INCLUDES,
  PROP_EXCLUDES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
seg_segment_finalize (GObject *object)
{
  SegSegment *self = SEG_SEGMENT (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_clear_pointer (&self->definition, seg_definition_unref);
  G_OBJECT_CLASS (seg_segment_parent_class)->finalize (object);
}

static void
seg_segment_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SegSegment *self = SEG_SEGMENT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_KIND: g_value_set_int (value, self->kind); break;
    case PROP_DEFINITION: g_value_set_boxed (value, self->definition); break;
    case PROP_CREATED: g_value_set_int64 (value, self->created); break;
    case PROP_UPDATED: g_value_set_int64 (value, self->updated); break;
    case PROP_LAST_COUNT: g_value_set_int64 (value, self->last_count); break;
    case PROP_LAST_EVALUATED: g_value_set_int64 (value, self->last_evaluated); break;
    case PROP_INCLUDES: g_value_set_boxed (value, seg_segment_get_includes (self)); break;
    case PROP_EXCLUDES: g_value_set_boxed (value, seg_segment_get_excludes (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_segment_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SegSegment *self = SEG_SEGMENT (object);

  switch (prop_id)
    {
    case PROP_ID: seg_segment_set_id (self, g_value_get_string (value)); break;
    case PROP_NAME: seg_segment_set_name (self, g_value_get_string (value)); break;
    case PROP_DESCRIPTION: seg_segment_set_description (self, g_value_get_string (value)); break;
    case PROP_KIND: seg_segment_set_kind (self, g_value_get_int (value)); break;
    case PROP_DEFINITION: seg_segment_set_definition (self, g_value_get_boxed (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_segment_class_init (SegSegmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = seg_segment_finalize;
  object_class->get_property = seg_segment_get_property;
  object_class->set_property = seg_segment_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, rw);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, rw);
  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, SEG_SEGMENT_KIND_SYSTEM, 0, rw);
  properties[PROP_DEFINITION] = g_param_spec_boxed ("definition", NULL, NULL, SEG_TYPE_DEFINITION, rw);
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_UPDATED] = g_param_spec_int64 ("updated", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_LAST_COUNT] = g_param_spec_int64 ("last-count", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_LAST_EVALUATED] = g_param_spec_int64 ("last-evaluated", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_INCLUDES] = g_param_spec_boxed ("includes", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_EXCLUDES] = g_param_spec_boxed ("excludes", NULL, NULL, G_TYPE_STRV, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_segment_init (SegSegment *self)
{
  self->last_count = -1;
}

/**
 * seg_segment_new:
 * @id: (nullable): the id, or %NULL for a segment not saved yet
 * @name: the display name
 * @definition: (nullable): the definition (system segments have none)
 *
 * Returns: (transfer full): a segment whose kind is the definition's kind
 */
SegSegment *
seg_segment_new (const char    *id,
                 const char    *name,
                 SegDefinition *definition)
{
  SegSegment *self = g_object_new (SEG_TYPE_SEGMENT, "id", id, "name", name, NULL);

  if (definition != NULL)
    {
      self->definition = seg_definition_ref (definition);
      self->kind = seg_definition_get_kind (definition);
    }
  return self;
}

/**
 * seg_segment_copy:
 *
 * Returns: (transfer full): a new segment with the same values
 */
SegSegment *
seg_segment_copy (SegSegment *self)
{
  SegSegment *copy = seg_segment_new (self->id, self->name, self->definition);

  seg_segment_update_from (copy, self);
  return copy;
}

/* Copies every value of @other into @self, notifying what changed: the live list model
 * keeps its objects and updates them in place. */
void
seg_segment_update_from (SegSegment *self,
                         SegSegment *other)
{
  g_object_freeze_notify (G_OBJECT (self));
  seg_segment_set_id (self, other->id);
  seg_segment_set_name (self, other->name);
  seg_segment_set_description (self, other->description);
  seg_segment_set_kind (self, other->kind);
  seg_segment_set_definition (self, other->definition);
  seg_segment_set_times (self, other->created, other->updated);
  seg_segment_set_last_count (self, other->last_count, other->last_evaluated);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
seg_segment_get_id (SegSegment *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT (self), NULL);
  return self->id;
}

void
seg_segment_set_id (SegSegment *self,
                    const char *id)
{
  g_return_if_fail (SEG_IS_SEGMENT (self));
  if (g_strcmp0 (self->id, id) == 0)
    return;
  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
seg_segment_get_name (SegSegment *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT (self), NULL);
  return self->name;
}

void
seg_segment_set_name (SegSegment *self,
                      const char *name)
{
  g_return_if_fail (SEG_IS_SEGMENT (self));
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
seg_segment_get_description (SegSegment *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT (self), NULL);
  return self->description;
}

void
seg_segment_set_description (SegSegment *self,
                             const char *description)
{
  g_return_if_fail (SEG_IS_SEGMENT (self));
  if (g_strcmp0 (self->description, description) == 0)
    return;
  g_free (self->description);
  self->description = g_strdup (description);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

SegSegmentKind
seg_segment_get_kind (SegSegment *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT (self), 0);
  return self->kind;
}

void
seg_segment_set_kind (SegSegment     *self,
                      SegSegmentKind  kind)
{
  g_return_if_fail (SEG_IS_SEGMENT (self));
  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

/**
 * seg_segment_get_definition:
 *
 * Returns: (transfer none) (nullable): the definition
 */
SegDefinition *
seg_segment_get_definition (SegSegment *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT (self), NULL);
  return self->definition;
}

/**
 * seg_segment_dup_size_definition:
 *
 * What to evaluate for the segment's size, trend, reach and members: its definition, or
 * for a system segment (which has no rules; the store keeps it) a definition including
 * just that segment, which every store evaluates.
 *
 * Returns: (transfer full) (nullable): a definition, or %NULL for a segment without one
 */
SegDefinition *
seg_segment_dup_size_definition (SegSegment *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT (self), NULL);

  if (self->definition != NULL)
    return seg_definition_ref (self->definition);
  if (self->kind == SEG_SEGMENT_KIND_SYSTEM && self->id != NULL)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "version");
      json_builder_add_int_value (b, 1);
      json_builder_set_member_name (b, "include");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, self->id);
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      return seg_definition_new_from_node (root, NULL);
    }
  return NULL;
}

void
seg_segment_set_definition (SegSegment    *self,
                            SegDefinition *definition)
{
  g_return_if_fail (SEG_IS_SEGMENT (self));
  if (self->definition == definition)
    return;
  if (self->definition != NULL && definition != NULL &&
      seg_definition_equal (self->definition, definition))
    return;
  g_clear_pointer (&self->definition, seg_definition_unref);
  if (definition != NULL)
    self->definition = seg_definition_ref (definition);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFINITION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCLUDES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCLUDES]);
}

gint64
seg_segment_get_created (SegSegment *self)
{
  return self->created;
}

gint64
seg_segment_get_updated (SegSegment *self)
{
  return self->updated;
}

gint64
seg_segment_get_last_count (SegSegment *self)
{
  return self->last_count;
}

gint64
seg_segment_get_last_evaluated (SegSegment *self)
{
  return self->last_evaluated;
}

/* For stores. */
void
seg_segment_set_times (SegSegment *self,
                       gint64      created,
                       gint64      updated)
{
  if (self->created != created)
    {
      self->created = created;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED]);
    }
  if (self->updated != updated)
    {
      self->updated = updated;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED]);
    }
}

/* For stores. */
void
seg_segment_set_last_count (SegSegment *self,
                            gint64      count,
                            gint64      evaluated)
{
  if (self->last_count != count)
    {
      self->last_count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_COUNT]);
    }
  if (self->last_evaluated != evaluated)
    {
      self->last_evaluated = evaluated;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_EVALUATED]);
    }
}

const char * const *
seg_segment_get_includes (SegSegment *self)
{
  static const char *empty[] = { NULL };
  const char * const *v = self->definition ? seg_definition_get_include (self->definition) : NULL;
  return v ? v : empty;
}

const char * const *
seg_segment_get_excludes (SegSegment *self)
{
  static const char *empty[] = { NULL };
  const char * const *v = self->definition ? seg_definition_get_exclude (self->definition) : NULL;
  return v ? v : empty;
}
