/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-schema-cache"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "seg-event-info.h"
#include "seg-property-info.h"
#include "seg-schema-cache.h"
#include "seg-segment.h"

/*
 * What the rule builder knows about a store's schema: its events (with counts), the
 * properties of each event and of users (with types and top values), and its saved
 * segments. The models are handed out at once and filled when the store answers, so that
 * pickers never wait; a name the store does not know yet (a definition loaded for editing
 * that names an event with no data) is added on demand so that it can still be shown.
 */

struct _SegSchemaCache
{
  GObject       parent_instance;

  SegStore     *store;
  GCancellable *cancellable;
  GListStore   *events;
  GHashTable   *properties;   /* event ("" for users) → GListStore of SegPropertyInfo */
  GListModel   *segments;     /* the store's live list, once loaded */
  GListStore   *segments_proxy;
  GListModel   *segments_flat;
  guint         pending;
};

G_DEFINE_FINAL_TYPE (SegSchemaCache, seg_schema_cache, G_TYPE_OBJECT)

static void
seg_schema_cache_dispose (GObject *object)
{
  SegSchemaCache *self = SEG_SCHEMA_CACHE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->events);
  g_clear_object (&self->segments);
  g_clear_object (&self->segments_flat);
  g_clear_object (&self->segments_proxy);
  g_clear_pointer (&self->properties, g_hash_table_unref);
  G_OBJECT_CLASS (seg_schema_cache_parent_class)->dispose (object);
}

static void
seg_schema_cache_class_init (SegSchemaCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = seg_schema_cache_dispose;
}

static void
seg_schema_cache_init (SegSchemaCache *self)
{
  self->cancellable = g_cancellable_new ();
  self->events = g_list_store_new (SEG_TYPE_EVENT_INFO);
  self->segments_proxy = g_list_store_new (G_TYPE_LIST_MODEL);
  self->segments_flat = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_object_ref (self->segments_proxy))));
  self->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

static guint
find_event (GListModel *model,
            const char *name)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegEventInfo) info = g_list_model_get_item (model, i);
      if (g_strcmp0 (seg_event_info_get_name (info), name) == 0)
        return i;
    }
  return G_MAXUINT;
}

static void
events_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SegSchemaCache) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = seg_store_list_events_finish (SEG_STORE (source), result, &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  self->pending--;
  if (events == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list events: %s", error->message);
      return;
    }
  /* Keep the names added on demand that the store does not know. */
  n = g_list_model_get_n_items (events);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (events, i));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegEventInfo) info = g_list_model_get_item (G_LIST_MODEL (self->events), i);
      if (find_event (events, seg_event_info_get_name (info)) == G_MAXUINT)
        g_ptr_array_add (items, g_object_ref (info));
    }
  g_list_store_splice (self->events, 0, n, items->pdata, items->len);
}

static void
segments_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SegSchemaCache) self = user_data;
  g_autoptr(GError) error = NULL;
  GListModel *segments = seg_store_list_segments_finish (SEG_STORE (source), result, &error);

  self->pending--;
  if (segments == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list segments: %s", error->message);
      return;
    }
  self->segments = segments;
  g_list_store_append (self->segments_proxy, segments);
}

/**
 * seg_schema_cache_new:
 * @store: the store whose schema to cache
 *
 * Returns: (transfer full): a cache that starts loading events and segments at once
 */
SegSchemaCache *
seg_schema_cache_new (SegStore *store)
{
  SegSchemaCache *self = g_object_new (SEG_TYPE_SCHEMA_CACHE, NULL);

  self->store = g_object_ref (store);
  self->pending = 2;
  seg_store_list_events_async (store, self->cancellable, events_loaded_cb, g_object_ref (self));
  seg_store_list_segments_async (store, self->cancellable, segments_loaded_cb, g_object_ref (self));
  return self;
}

SegStore *
seg_schema_cache_get_store (SegSchemaCache *self)
{
  g_return_val_if_fail (SEG_IS_SCHEMA_CACHE (self), NULL);
  return self->store;
}

gboolean
seg_schema_cache_is_loading (SegSchemaCache *self)
{
  return self->pending > 0;
}

/**
 * seg_schema_cache_get_events:
 *
 * Returns: (transfer none): the store's events, a GListModel of SegEventInfo
 */
GListModel *
seg_schema_cache_get_events (SegSchemaCache *self)
{
  g_return_val_if_fail (SEG_IS_SCHEMA_CACHE (self), NULL);
  return G_LIST_MODEL (self->events);
}

/**
 * seg_schema_cache_get_segments:
 *
 * Returns: (transfer none): a flattened view of the store's saved segments
 */
GListModel *
seg_schema_cache_get_segments (SegSchemaCache *self)
{
  g_return_val_if_fail (SEG_IS_SCHEMA_CACHE (self), NULL);
  return self->segments_flat;
}

typedef struct
{
  SegSchemaCache *self;
  char           *key;
} PropsLoad;

static void
props_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PropsLoad *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) props = seg_store_list_properties_finish (SEG_STORE (source), result, &error);
  GListStore *target;

  load->self->pending--;
  target = load->self->properties ? g_hash_table_lookup (load->self->properties, load->key) : NULL;
  if (props == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list properties: %s", error->message);
    }
  else if (target != NULL)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      guint n = g_list_model_get_n_items (props);
      guint old = g_list_model_get_n_items (G_LIST_MODEL (target));

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (items, g_list_model_get_item (props, i));
      for (guint i = 0; i < old; i++)
        {
          g_autoptr(SegPropertyInfo) p = g_list_model_get_item (G_LIST_MODEL (target), i);
          gboolean known = FALSE;
          for (guint j = 0; j < n && !known; j++)
            known = g_strcmp0 (seg_property_info_get_name (g_ptr_array_index (items, j)),
                               seg_property_info_get_name (p)) == 0;
          if (!known)
            g_ptr_array_add (items, g_object_ref (p));
        }
      g_list_store_splice (target, 0, old, items->pdata, items->len);
    }
  g_object_unref (load->self);
  g_free (load->key);
  g_free (load);
}

/**
 * seg_schema_cache_get_properties:
 * @event: (nullable): an event, or %NULL for user properties
 *
 * Returns: (transfer none): a GListModel of SegPropertyInfo, filled when the store answers
 */
GListModel *
seg_schema_cache_get_properties (SegSchemaCache *self,
                                 const char     *event)
{
  const char *key = event != NULL ? event : "";
  GListStore *props;

  g_return_val_if_fail (SEG_IS_SCHEMA_CACHE (self), NULL);

  props = g_hash_table_lookup (self->properties, key);
  if (props == NULL)
    {
      PropsLoad *load = g_new0 (PropsLoad, 1);

      props = g_list_store_new (SEG_TYPE_PROPERTY_INFO);
      g_hash_table_insert (self->properties, g_strdup (key), props);
      load->self = g_object_ref (self);
      load->key = g_strdup (key);
      self->pending++;
      seg_store_list_properties_async (self->store, event, self->cancellable, props_loaded_cb, load);
    }
  return G_LIST_MODEL (props);
}

void
seg_schema_cache_ensure_event (SegSchemaCache *self,
                               const char     *event)
{
  g_autoptr(SegEventInfo) info = NULL;

  if (event == NULL || *event == '\0' || find_event (G_LIST_MODEL (self->events), event) != G_MAXUINT)
    return;
  info = seg_event_info_new (event, 0, 0, 0);
  g_list_store_append (self->events, info);
}

static SegPropertyInfo *
find_property (GListModel *model,
               const char *name)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegPropertyInfo) p = g_list_model_get_item (model, i);
      if (g_strcmp0 (seg_property_info_get_name (p), name) == 0)
        return g_steal_pointer (&p);
    }
  return NULL;
}

void
seg_schema_cache_ensure_property (SegSchemaCache *self,
                                  const char     *event,
                                  const char     *property,
                                  SegValueType    type)
{
  GListModel *props = seg_schema_cache_get_properties (self, event);
  g_autoptr(SegPropertyInfo) p = NULL;

  if (property == NULL || *property == '\0')
    return;
  p = find_property (props, property);
  if (p == NULL)
    {
      g_autoptr(SegPropertyInfo) info = seg_property_info_new (property, type);
      g_list_store_append (G_LIST_STORE (props), info);
    }
}

SegValueType
seg_schema_cache_property_type (SegSchemaCache *self,
                                const char     *event,
                                const char     *property)
{
  GListStore *props = g_hash_table_lookup (self->properties, event != NULL ? event : "");
  g_autoptr(SegPropertyInfo) p = NULL;

  if (props == NULL || property == NULL)
    return SEG_VALUE_TYPE_NONE;
  p = find_property (G_LIST_MODEL (props), property);
  return p != NULL ? seg_property_info_get_value_type (p) : SEG_VALUE_TYPE_NONE;
}

static SegSegment *
find_segment (SegSchemaCache *self,
              const char     *id)
{
  guint n;

  if (self->segments == NULL)
    return NULL;
  n = g_list_model_get_n_items (self->segments);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (self->segments, i);
      if (g_strcmp0 (seg_segment_get_id (seg), id) == 0)
        return g_steal_pointer (&seg);
    }
  return NULL;
}

/**
 * seg_schema_cache_segment_name:
 * Returns: (transfer full) (nullable): the name of segment @id
 */
char *
seg_schema_cache_segment_name (SegSchemaCache *self,
                               const char     *id)
{
  g_autoptr(SegSegment) seg = find_segment (self, id);

  return seg != NULL ? g_strdup (seg_segment_get_name (seg)) : NULL;
}

gboolean
seg_schema_cache_resolve (SegSchemaCache  *self,
                          const char      *id,
                          SegSegmentKind  *kind,
                          SegDefinition  **definition)
{
  g_autoptr(SegSegment) seg = find_segment (self, id);

  if (seg == NULL)
    return FALSE;
  *kind = seg_segment_get_kind (seg);
  *definition = seg_segment_get_definition (seg) != NULL
                  ? seg_definition_ref (seg_segment_get_definition (seg)) : NULL;
  return TRUE;
}

gboolean
seg_schema_cache_resolve_cb (const char      *id,
                             SegSegmentKind  *kind,
                             SegDefinition  **definition,
                             gpointer         user_data)
{
  return seg_schema_cache_resolve (user_data, id, kind, definition);
}

SegValueType
seg_schema_cache_property_type_cb (const char *event,
                                   const char *property,
                                   gpointer    user_data)
{
  return seg_schema_cache_property_type (user_data, event, property);
}

char *
seg_schema_cache_segment_name_cb (const char *id,
                                  gpointer    user_data)
{
  return seg_schema_cache_segment_name (user_data, id);
}
