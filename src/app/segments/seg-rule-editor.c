/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-rule-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-rule-editor.h"

typedef struct
{
  SegSchemaCache *cache;
  GtkWidget      *header;
  GtkWidget      *title;
  GtkWidget      *header_end;
  GtkWidget      *remove;
  GtkWidget      *content;
  GtkWidget      *error;
  char           *error_text;
  gboolean        touched;   /* changed while on screen: its problems show as errors */
} SegRuleEditorPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (SegRuleEditor, seg_rule_editor, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_CACHE, N_PROPS };
enum { CHANGED, REMOVE, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
seg_rule_editor_dispose (GObject *object)
{
  SegRuleEditor *self = SEG_RULE_EDITOR (object);
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&priv->cache);
  G_OBJECT_CLASS (seg_rule_editor_parent_class)->dispose (object);
}

static void
seg_rule_editor_finalize (GObject *object)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (SEG_RULE_EDITOR (object));

  g_free (priv->error_text);
  G_OBJECT_CLASS (seg_rule_editor_parent_class)->finalize (object);
}

static void
seg_rule_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (SEG_RULE_EDITOR (object));

  switch (prop_id)
    {
    case PROP_CACHE:
      g_value_set_object (value, priv->cache);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_rule_editor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (SEG_RULE_EDITOR (object));

  switch (prop_id)
    {
    case PROP_CACHE:
      priv->cache = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
seg_rule_editor_real_is_negation (SegRuleEditor *self)
{
  return FALSE;
}

static void
seg_rule_editor_class_init (SegRuleEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_rule_editor_dispose;
  object_class->finalize = seg_rule_editor_finalize;
  object_class->get_property = seg_rule_editor_get_property;
  object_class->set_property = seg_rule_editor_set_property;
  klass->is_negation = seg_rule_editor_real_is_negation;

  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL, SEG_TYPE_SCHEMA_CACHE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SegRuleEditor::changed:
   * The rule was edited; the wizard rebuilds the definition.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * SegRuleEditor::remove:
   * The user asked to remove the rule; its group takes it out.
   */
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "segrule");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
remove_clicked_cb (SegRuleEditor *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
seg_rule_editor_init (SegRuleEditor *self)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_add_css_class (GTK_WIDGET (self), "seg-rule");

  priv->header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  priv->title = gtk_label_new (NULL);
  gtk_widget_add_css_class (priv->title, "heading");
  gtk_label_set_xalign (GTK_LABEL (priv->title), 0);
  gtk_label_set_wrap (GTK_LABEL (priv->title), TRUE);
  /* Rules without a title put their first controls here, next to the remove button. */
  priv->header_end = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_hexpand (priv->header_end, TRUE);
  priv->remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_add_css_class (priv->remove, "flat");
  gtk_widget_set_valign (priv->remove, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (priv->remove, _("Remove Rule"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove rule"), -1);
  g_signal_connect_swapped (priv->remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (priv->header), priv->title);
  gtk_box_append (GTK_BOX (priv->header), priv->header_end);
  gtk_box_append (GTK_BOX (priv->header), priv->remove);
  gtk_widget_set_parent (priv->header, GTK_WIDGET (self));

  priv->content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (priv->content, GTK_WIDGET (self));

  priv->error = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (priv->error), 0);
  gtk_label_set_wrap (GTK_LABEL (priv->error), TRUE);
  gtk_widget_add_css_class (priv->error, "dim-label");
  gtk_widget_set_visible (priv->error, FALSE);
  gtk_widget_set_parent (priv->error, GTK_WIDGET (self));
}

SegSchemaCache *
seg_rule_editor_get_cache (SegRuleEditor *self)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);
  return priv->cache;
}

void
seg_rule_editor_set_title (SegRuleEditor *self,
                           const char    *title)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);

  gtk_label_set_text (GTK_LABEL (priv->title), title);
  gtk_widget_set_visible (priv->title, title != NULL);
}

void
seg_rule_editor_add_header (SegRuleEditor *self,
                            GtkWidget     *widget)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);
  gtk_box_append (GTK_BOX (priv->header_end), widget);
}

void
seg_rule_editor_append (SegRuleEditor *self,
                        GtkWidget     *widget)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);
  gtk_box_append (GTK_BOX (priv->content), widget);
}

void
seg_rule_editor_set_removable (SegRuleEditor *self,
                               gboolean       removable)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);
  gtk_widget_set_visible (priv->remove, removable);
}

/**
 * seg_rule_editor_set_error:
 * @message: (nullable): what is wrong with the rule, or %NULL to clear it
 */
void
seg_rule_editor_set_error (SegRuleEditor *self,
                           const char    *message)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);

  g_free (priv->error_text);
  priv->error_text = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (priv->error), message);
  gtk_widget_set_visible (priv->error, message != NULL);
  /* A rule nobody has touched yet ("Choose an event" on a new rule) gets a quiet hint,
   * not a red card: it is what to do next, not a mistake. */
  if (message != NULL && priv->touched)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "seg-rule-invalid");
      gtk_widget_remove_css_class (priv->error, "dim-label");
      gtk_widget_add_css_class (priv->error, "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "seg-rule-invalid");
      gtk_widget_remove_css_class (priv->error, "error");
      gtk_widget_add_css_class (priv->error, "dim-label");
    }
}

/**
 * seg_rule_editor_is_touched:
 *
 * Returns: whether the rule was changed while on screen (its problems then show as
 *   errors rather than as hints)
 */
gboolean
seg_rule_editor_is_touched (SegRuleEditor *self)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);

  return priv->touched;
}

const char *
seg_rule_editor_get_error (SegRuleEditor *self)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);
  return priv->error_text;
}

static void
clear_errors_in (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (SEG_IS_RULE_EDITOR (c))
        seg_rule_editor_set_error (SEG_RULE_EDITOR (c), NULL);
      clear_errors_in (c);
    }
}

/* Clears the error of this rule and of every rule inside it. */
void
seg_rule_editor_clear_errors (SegRuleEditor *self)
{
  seg_rule_editor_set_error (self, NULL);
  clear_errors_in (GTK_WIDGET (self));
}

void
seg_rule_editor_changed (SegRuleEditor *self)
{
  SegRuleEditorPrivate *priv = seg_rule_editor_get_instance_private (self);

  /* Setting a new rule up happens before it is shown; a marketer's edits after. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    priv->touched = TRUE;
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * seg_rule_editor_build:
 * @path: the JSON path of this rule in the definition ("$.match.all[0]")
 * @paths: path → editor, filled so that validation errors find their rule
 *
 * Returns: (transfer full) (nullable): the rule's JSON, or %NULL if it is incomplete
 */
JsonNode *
seg_rule_editor_build (SegRuleEditor *self,
                       const char    *path,
                       GHashTable    *paths)
{
  g_return_val_if_fail (SEG_IS_RULE_EDITOR (self), NULL);

  seg_rule_editor_set_error (self, NULL);
  if (paths != NULL)
    g_hash_table_insert (paths, g_strdup (path), self);
  return SEG_RULE_EDITOR_GET_CLASS (self)->build (self, path, paths);
}

void
seg_rule_editor_load (SegRuleEditor *self,
                      const SegRule *rule)
{
  g_return_if_fail (SEG_IS_RULE_EDITOR (self));
  SEG_RULE_EDITOR_GET_CLASS (self)->load (self, rule);
}

gboolean
seg_rule_editor_is_negation (SegRuleEditor *self)
{
  return SEG_RULE_EDITOR_GET_CLASS (self)->is_negation (self);
}

static void
watched_changed_cb (SegRuleEditor *self)
{
  seg_rule_editor_changed (self);
}

void
seg_rule_editor_watch (SegRuleEditor *self,
                       GtkWidget     *widget)
{
  if (GTK_IS_DROP_DOWN (widget))
    g_signal_connect_swapped (widget, "notify::selected", G_CALLBACK (watched_changed_cb), self);
  else if (GTK_IS_SPIN_BUTTON (widget))
    g_signal_connect_swapped (widget, "value-changed", G_CALLBACK (watched_changed_cb), self);
  else if (GTK_IS_CHECK_BUTTON (widget))
    g_signal_connect_swapped (widget, "toggled", G_CALLBACK (watched_changed_cb), self);
  else if (GTK_IS_SWITCH (widget))
    g_signal_connect_swapped (widget, "notify::active", G_CALLBACK (watched_changed_cb), self);
  else if (GTK_IS_EDITABLE (widget))
    g_signal_connect_swapped (widget, "changed", G_CALLBACK (watched_changed_cb), self);
  else if (g_object_get_data (G_OBJECT (widget), "seg-entry") != NULL)
    g_signal_connect_swapped (g_object_get_data (G_OBJECT (widget), "seg-entry"), "changed",
                              G_CALLBACK (watched_changed_cb), self);
  else if (g_signal_lookup ("changed", G_OBJECT_TYPE (widget)) != 0)
    g_signal_connect_swapped (widget, "changed", G_CALLBACK (watched_changed_cb), self);
}
