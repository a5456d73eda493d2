/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-importer.h"

typedef struct
{
  GTimeZone        *timezone;
  char             *event_name;
  char             *file_name;
  SegImportMapping *mapping;
} SegImporterPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SegImporter, seg_importer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_TIMEZONE,
  PROP_EVENT_NAME,
  PROP_FILE_NAME,
  PROP_MAPPING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
seg_importer_finalize (GObject *object)
{
  SegImporter *self = (SegImporter *) object;
  SegImporterPrivate *priv = seg_importer_get_instance_private (self);

  g_clear_pointer (&priv->timezone, g_time_zone_unref);
  g_clear_pointer (&priv->event_name, g_free);
  g_clear_pointer (&priv->file_name, g_free);
  g_clear_object (&priv->mapping);

  G_OBJECT_CLASS (seg_importer_parent_class)->finalize (object);
}

static void
seg_importer_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SegImporter *self = SEG_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, seg_importer_get_id (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, seg_importer_get_name (self));
      break;
    case PROP_TIMEZONE:
      g_value_set_boxed (value, seg_importer_get_timezone (self));
      break;
    case PROP_EVENT_NAME:
      g_value_set_string (value, seg_importer_get_event_name (self));
      break;
    case PROP_FILE_NAME:
      g_value_set_string (value, seg_importer_get_file_name (self));
      break;
    case PROP_MAPPING:
      g_value_set_object (value, seg_importer_get_mapping (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_importer_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SegImporter *self = SEG_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_TIMEZONE:
      seg_importer_set_timezone (self, g_value_get_boxed (value));
      break;
    case PROP_EVENT_NAME:
      seg_importer_set_event_name (self, g_value_get_string (value));
      break;
    case PROP_FILE_NAME:
      seg_importer_set_file_name (self, g_value_get_string (value));
      break;
    case PROP_MAPPING:
      seg_importer_set_mapping (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static int
seg_importer_real_sniff (SegImporter *self,
                         const char  *file_name,
                         const char  *head,
                         gsize        head_len)
{
  return 0;
}

static void
seg_importer_class_init (SegImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = seg_importer_finalize;
  object_class->get_property = seg_importer_get_property;
  object_class->set_property = seg_importer_set_property;

  klass->sniff = seg_importer_real_sniff;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SegImporter:timezone:
   *
   * The timezone of times written without an offset (CleverTap's `ts`, local ISO times).
   */
  properties[PROP_TIMEZONE] =
    g_param_spec_boxed ("timezone", NULL, NULL, G_TYPE_TIME_ZONE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SegImporter:event-name:
   *
   * The event name for formats whose rows do not carry it (CleverTap's Get Events API).
   */
  properties[PROP_EVENT_NAME] =
    g_param_spec_string ("event-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE_NAME] =
    g_param_spec_string ("file-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAPPING] =
    g_param_spec_object ("mapping", NULL, NULL, SEG_TYPE_IMPORT_MAPPING,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_importer_init (SegImporter *self)
{
  SegImporterPrivate *priv = seg_importer_get_instance_private (self);

  priv->timezone = g_time_zone_new_utc ();
}

const char *
seg_importer_get_id (SegImporter *self)
{
  g_return_val_if_fail (SEG_IS_IMPORTER (self), NULL);
  return SEG_IMPORTER_GET_CLASS (self)->id;
}

const char *
seg_importer_get_name (SegImporter *self)
{
  g_return_val_if_fail (SEG_IS_IMPORTER (self), NULL);
  return _(SEG_IMPORTER_GET_CLASS (self)->name);
}

gboolean
seg_importer_needs_mapping (SegImporter *self)
{
  g_return_val_if_fail (SEG_IS_IMPORTER (self), FALSE);
  return SEG_IMPORTER_GET_CLASS (self)->needs_mapping;
}

/**
 * seg_importer_sniff:
 * @file_name: (nullable): the file's base name
 * @head: the first bytes of the decompressed content
 *
 * Returns: 0 to 100, how sure the reader is that it can read the file
 */
int
seg_importer_sniff (SegImporter *self,
                    const char  *file_name,
                    const char  *head,
                    gsize        head_len)
{
  g_return_val_if_fail (SEG_IS_IMPORTER (self), 0);
  return SEG_IMPORTER_GET_CLASS (self)->sniff (self, file_name, head, MIN (head_len, SEG_IMPORTER_SNIFF_SIZE));
}

/**
 * seg_importer_read:
 * @stream: decompressed text
 * @sink: receives records, bad rows and progress
 *
 * Reads the whole stream. Blocking: call it from a worker thread.
 *
 * Returns: %FALSE on an I/O error, cancellation, a stop requested by the sink or a bad
 *   row under the stop policy
 */
gboolean
seg_importer_read (SegImporter    *self,
                   GInputStream   *stream,
                   SegImportSink  *sink,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_return_val_if_fail (SEG_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return SEG_IMPORTER_GET_CLASS (self)->read (self, stream, sink, cancellable, error);
}

/**
 * seg_importer_get_timezone:
 *
 * Returns: (transfer none): the timezone, UTC unless set
 */
GTimeZone *
seg_importer_get_timezone (SegImporter *self)
{
  SegImporterPrivate *priv = seg_importer_get_instance_private (self);

  g_return_val_if_fail (SEG_IS_IMPORTER (self), NULL);
  return priv->timezone;
}

void
seg_importer_set_timezone (SegImporter *self,
                           GTimeZone   *tz)
{
  SegImporterPrivate *priv = seg_importer_get_instance_private (self);

  g_return_if_fail (SEG_IS_IMPORTER (self));

  if (tz == priv->timezone)
    return;
  g_clear_pointer (&priv->timezone, g_time_zone_unref);
  priv->timezone = tz ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEZONE]);
}

const char *
seg_importer_get_event_name (SegImporter *self)
{
  SegImporterPrivate *priv = seg_importer_get_instance_private (self);

  g_return_val_if_fail (SEG_IS_IMPORTER (self), NULL);
  return priv->event_name;
}

void
seg_importer_set_event_name (SegImporter *self,
                             const char  *event_name)
{
  SegImporterPrivate *priv = seg_importer_get_instance_private (self);

  g_return_if_fail (SEG_IS_IMPORTER (self));

  if (g_strcmp0 (priv->event_name, event_name) == 0)
    return;
  g_free (priv->event_name);
  priv->event_name = g_strdup (event_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT_NAME]);
}

const char *
seg_importer_get_file_name (SegImporter *self)
{
  SegImporterPrivate *priv = seg_importer_get_instance_private (self);

  g_return_val_if_fail (SEG_IS_IMPORTER (self), NULL);
  return priv->file_name;
}

void
seg_importer_set_file_name (SegImporter *self,
                            const char  *file_name)
{
  SegImporterPrivate *priv = seg_importer_get_instance_private (self);

  g_return_if_fail (SEG_IS_IMPORTER (self));

  if (g_strcmp0 (priv->file_name, file_name) == 0)
    return;
  g_free (priv->file_name);
  priv->file_name = g_strdup (file_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_NAME]);
}

/**
 * seg_importer_get_mapping:
 *
 * Returns: (transfer none) (nullable): the mapping of a mapped format
 */
SegImportMapping *
seg_importer_get_mapping (SegImporter *self)
{
  SegImporterPrivate *priv = seg_importer_get_instance_private (self);

  g_return_val_if_fail (SEG_IS_IMPORTER (self), NULL);
  return priv->mapping;
}

void
seg_importer_set_mapping (SegImporter      *self,
                          SegImportMapping *mapping)
{
  SegImporterPrivate *priv = seg_importer_get_instance_private (self);

  g_return_if_fail (SEG_IS_IMPORTER (self));

  if (g_set_object (&priv->mapping, mapping))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAPPING]);
}

/**
 * seg_importer_head_first_line:
 *
 * Returns: the first line of @head (without its end), and its length in @line_len
 */
const char *
seg_importer_head_first_line (const char *head,
                              gsize       head_len,
                              gsize      *line_len)
{
  const char *nl;
  gsize len;

  /* Skip a UTF-8 byte order mark and blank lines. */
  if (head_len >= 3 && memcmp (head, "\xef\xbb\xbf", 3) == 0)
    {
      head += 3;
      head_len -= 3;
    }
  while (head_len > 0 && (*head == '\n' || *head == '\r' || *head == ' ' || *head == '\t'))
    {
      head++;
      head_len--;
    }
  nl = memchr (head, '\n', head_len);
  len = nl ? (gsize) (nl - head) : head_len;
  if (len > 0 && head[len - 1] == '\r')
    len--;
  *line_len = len;
  return head;
}

gboolean
seg_importer_head_has_line_prefix (const char *head,
                                   gsize       head_len,
                                   const char *prefix)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);

  return len >= strlen (prefix) && strncmp (line, prefix, strlen (prefix)) == 0;
}
