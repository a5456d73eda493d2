/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-preferences-window.h"

struct _SegPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  SegApplication       *application;

  /* Template widgets */
  AdwComboRow          *timezone_row;
  GtkStringList        *timezone_model;
  AdwActionRow         *store_row;
  GtkButton            *reset_store_button;
  GtkButton            *choose_store_button;
};

G_DEFINE_FINAL_TYPE (SegPreferencesWindow, seg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_APPLICATION_OBJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The rows of the time zone choice, in the order of the SegDisplayTimezone enum. */
static const char *timezone_nicks[] = { "store", "local", "utc" };

/**
 * seg_preferences_window_new:
 * @application: the application whose settings the window edits
 *
 * Returns: (transfer none): a new preferences window, owned by @application
 */
SegPreferencesWindow *
seg_preferences_window_new (SegApplication *application)
{
  g_return_val_if_fail (SEG_IS_APPLICATION (application), NULL);

  return g_object_new (SEG_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       "segment-application", application,
                       NULL);
}

static gboolean
timezone_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (timezone_nicks); i++)
    {
      if (g_strcmp0 (nick, timezone_nicks[i]) == 0)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
timezone_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (timezone_nicks))
    return NULL;

  return g_variant_new_string (timezone_nicks[position]);
}

static void
seg_preferences_window_fill_timezones (SegPreferencesWindow *self)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *local_label = NULL;
  const char *identifier = g_time_zone_get_identifier (local);

  /* Name this computer's zone when it has a useful name, so the choice is concrete. */
  if (identifier != NULL && g_strcmp0 (identifier, "localtime") != 0 && identifier[0] != ':')
    /* Translators: %s is a time zone, such as Europe/Berlin */
    local_label = g_strdup_printf (_("This Computer’s (%s)"), identifier);
  else
    local_label = g_strdup (_("This Computer’s"));

  /* Keep in the order of timezone_nicks. */
  gtk_string_list_append (self->timezone_model, _("The Store’s"));
  gtk_string_list_append (self->timezone_model, local_label);
  gtk_string_list_append (self->timezone_model, _("UTC"));
}

static void
seg_preferences_window_update_store (SegPreferencesWindow *self)
{
  const char *path = seg_application_get_store_path (self->application);
  gboolean is_default = seg_application_get_store_path_is_default (self->application);
  g_autofree char *subtitle = NULL;

  if (is_default)
    /* Translators: %s is the path of the default store file */
    subtitle = g_strdup_printf (_("%s (default)"), path);
  else
    subtitle = g_strdup (path);

  adw_action_row_set_subtitle (self->store_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_store_button), !is_default);
}

static void
store_path_notify_cb (SegPreferencesWindow *self,
                      GParamSpec           *pspec,
                      SegApplication       *application)
{
  seg_preferences_window_update_store (self);
}

static void
reset_store_clicked_cb (SegPreferencesWindow *self,
                        GtkButton            *button)
{
  seg_application_set_store_path (self->application, NULL);
}

static void
choose_store_clicked_cb (SegPreferencesWindow *self,
                         GtkButton            *button)
{
  seg_application_choose_store (self->application, GTK_WINDOW (self));
}

static void
seg_preferences_window_constructed (GObject *object)
{
  SegPreferencesWindow *self = SEG_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (seg_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (SEG_IS_APPLICATION (self->application));

  g_settings_bind_with_mapping (seg_application_get_settings (self->application),
                                "display-timezone",
                                self->timezone_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                timezone_get_mapping, timezone_set_mapping,
                                NULL, NULL);

  g_signal_connect_object (self->application, "notify::store-path",
                           G_CALLBACK (store_path_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->application, "notify::store-path-is-default",
                           G_CALLBACK (store_path_notify_cb), self,
                           G_CONNECT_SWAPPED);
  seg_preferences_window_update_store (self);
}

static void
seg_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SegPreferencesWindow *self = SEG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION_OBJECT:
      g_set_object (&self->application, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SegPreferencesWindow *self = SEG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION_OBJECT:
      g_value_set_object (value, self->application);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_preferences_window_dispose (GObject *object)
{
  SegPreferencesWindow *self = SEG_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SEG_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (seg_preferences_window_parent_class)->dispose (object);
}

static void
seg_preferences_window_class_init (SegPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = seg_preferences_window_constructed;
  object_class->dispose = seg_preferences_window_dispose;
  object_class->get_property = seg_preferences_window_get_property;
  object_class->set_property = seg_preferences_window_set_property;

  /**
   * SegPreferencesWindow:segment-application:
   *
   * The application whose settings and store the window edits. (GtkWindow:application
   * is cleared when the window is hidden, so the window keeps its own reference.)
   */
  properties[PROP_APPLICATION_OBJECT] =
    g_param_spec_object ("segment-application", NULL, NULL,
                         SEG_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/seg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SegPreferencesWindow, timezone_row);
  gtk_widget_class_bind_template_child (widget_class, SegPreferencesWindow, timezone_model);
  gtk_widget_class_bind_template_child (widget_class, SegPreferencesWindow, store_row);
  gtk_widget_class_bind_template_child (widget_class, SegPreferencesWindow, reset_store_button);
  gtk_widget_class_bind_template_child (widget_class, SegPreferencesWindow, choose_store_button);
  gtk_widget_class_bind_template_callback (widget_class, reset_store_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_store_clicked_cb);
}

static void
seg_preferences_window_init (SegPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  seg_preferences_window_fill_timezones (self);
}
