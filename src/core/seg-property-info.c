/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-property-info"

#include "config.h"

#include "seg-property-info.h"

/**
 * SegPropertyInfo:
 *
 * A property of an event (or of user profiles), its type, and its most frequent values
 * with how often each occurs, most frequent first: the wizard's autocompletion.
 */
struct _SegPropertyInfo
{
  GObject       parent_instance;
  char         *name;
  SegValueType  type;
  GPtrArray    *values;   /* NULL-terminated */
  GArray       *counts;
};

G_DEFINE_FINAL_TYPE (SegPropertyInfo, seg_property_info, G_TYPE_OBJECT)

enum { PROP_0, PROP_NAME, PROP_VALUE_TYPE, PROP_TOP_VALUES, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
seg_property_info_finalize (GObject *object)
{
  SegPropertyInfo *self = SEG_PROPERTY_INFO (object);

  g_free (self->name);
  g_ptr_array_unref (self->values);
  g_array_unref (self->counts);
  G_OBJECT_CLASS (seg_property_info_parent_class)->finalize (object);
}

static void
seg_property_info_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SegPropertyInfo *self = SEG_PROPERTY_INFO (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_VALUE_TYPE: g_value_set_int (value, self->type); break;
    case PROP_TOP_VALUES: g_value_set_boxed (value, self->values->pdata); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_property_info_class_init (SegPropertyInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = seg_property_info_finalize;
  object_class->get_property = seg_property_info_get_property;
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_VALUE_TYPE] = g_param_spec_int ("value-type", NULL, NULL, 0, SEG_VALUE_TYPE_LIST, 0, ro);
  properties[PROP_TOP_VALUES] = g_param_spec_boxed ("top-values", NULL, NULL, G_TYPE_STRV, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_property_info_init (SegPropertyInfo *self)
{
  self->values = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->values, NULL);
  self->counts = g_array_new (FALSE, FALSE, sizeof (guint64));
}

SegPropertyInfo *
seg_property_info_new (const char   *name,
                       SegValueType  type)
{
  SegPropertyInfo *self = g_object_new (SEG_TYPE_PROPERTY_INFO, NULL);

  self->name = g_strdup (name);
  self->type = type;
  return self;
}

/* For stores: values are added most frequent first. */
void
seg_property_info_add_top_value (SegPropertyInfo *self,
                                 const char      *value,
                                 guint64          count)
{
  self->values->pdata[self->values->len - 1] = g_strdup (value);
  g_ptr_array_add (self->values, NULL);
  g_array_append_val (self->counts, count);
}

const char *
seg_property_info_get_name (SegPropertyInfo *self)
{
  return self->name;
}

SegValueType
seg_property_info_get_value_type (SegPropertyInfo *self)
{
  return self->type;
}

/**
 * seg_property_info_get_top_values:
 *
 * Returns: (transfer none): the most frequent values, as text
 */
const char * const *
seg_property_info_get_top_values (SegPropertyInfo *self)
{
  return (const char * const *) self->values->pdata;
}

guint64
seg_property_info_get_top_count (SegPropertyInfo *self,
                                 guint            index)
{
  g_return_val_if_fail (index < self->counts->len, 0);
  return g_array_index (self->counts, guint64, index);
}
