/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "seg-definition.h"
#include "seg-schema-cache.h"

G_BEGIN_DECLS

#define SEG_TYPE_RULE_EDITOR (seg_rule_editor_get_type ())
G_DECLARE_DERIVABLE_TYPE (SegRuleEditor, seg_rule_editor, SEG, RULE_EDITOR, GtkWidget)

/*
 * The base of every rule of the builder: a card with a title, a remove button, the
 * subclass's content and an inline error. A rule builds its own piece of the definition
 * JSON; the group that holds it passes the JSON path the parser will report errors at,
 * so that a validation error can be shown next to the rule it is about.
 */
struct _SegRuleEditorClass
{
  GtkWidgetClass parent_class;

  /* Returns the rule's JSON, or NULL after calling seg_rule_editor_set_error(). */
  JsonNode *(*build)     (SegRuleEditor  *self,
                          const char     *path,
                          GHashTable     *paths);
  /* Fills the editor from a parsed rule of the kind it edits. */
  void      (*load)      (SegRuleEditor  *self,
                          const SegRule  *rule);
  /* Whether the rule only subtracts users ("did not", "A without B"). */
  gboolean  (*is_negation) (SegRuleEditor *self);
};

SegSchemaCache *seg_rule_editor_get_cache   (SegRuleEditor  *self);
void            seg_rule_editor_set_title   (SegRuleEditor  *self,
                                             const char     *title);
void            seg_rule_editor_add_header  (SegRuleEditor  *self,
                                             GtkWidget      *widget);
void            seg_rule_editor_append      (SegRuleEditor  *self,
                                             GtkWidget      *widget);
void            seg_rule_editor_set_removable (SegRuleEditor *self,
                                             gboolean        removable);
void            seg_rule_editor_set_error   (SegRuleEditor  *self,
                                             const char     *message);
const char     *seg_rule_editor_get_error   (SegRuleEditor  *self);
gboolean        seg_rule_editor_is_touched  (SegRuleEditor  *self);
void            seg_rule_editor_clear_errors (SegRuleEditor *self);
void            seg_rule_editor_changed     (SegRuleEditor  *self);
JsonNode       *seg_rule_editor_build       (SegRuleEditor  *self,
                                             const char     *path,
                                             GHashTable     *paths);
void            seg_rule_editor_load        (SegRuleEditor  *self,
                                             const SegRule  *rule);
gboolean        seg_rule_editor_is_negation (SegRuleEditor  *self);

/* Connects a widget's edit signal so that editing it emits "changed" on @self. */
void            seg_rule_editor_watch       (SegRuleEditor  *self,
                                             GtkWidget      *widget);

G_END_DECLS
