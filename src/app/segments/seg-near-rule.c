/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-near-rule"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-near-rule.h"
#include "seg-segments-util.h"
#include "seg-wrap-layout.h"

/* A geography rule: users whose profile location is within N km of a point. */

struct _SegNearRule
{
  SegRuleEditor  parent_instance;
  GtkWidget     *lat;
  GtkWidget     *lon;
  GtkWidget     *km;
};

G_DEFINE_FINAL_TYPE (SegNearRule, seg_near_rule, SEG_TYPE_RULE_EDITOR)

static JsonNode *
seg_near_rule_build (SegRuleEditor *editor,
                     const char    *path,
                     GHashTable    *paths)
{
  SegNearRule *self = SEG_NEAR_RULE (editor);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->km)) <= 0)
    {
      seg_rule_editor_set_error (editor, _("The distance must be more than 0 km"));
      return NULL;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "near");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "lat");
  json_builder_add_double_value (b, gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->lat)));
  json_builder_set_member_name (b, "lon");
  json_builder_add_double_value (b, gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->lon)));
  json_builder_set_member_name (b, "km");
  json_builder_add_double_value (b, gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->km)));
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
seg_near_rule_set (SegNearRule *self,
                   double       lat,
                   double       lon,
                   double       km)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->lat), lat);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->lon), lon);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->km), km);
}

static void
seg_near_rule_load (SegRuleEditor *editor,
                    const SegRule *rule)
{
  seg_near_rule_set (SEG_NEAR_RULE (editor), rule->lat, rule->lon, rule->km);
}

static GtkWidget *
labelled (GtkWidget  *wrap,
          const char *mnemonic,
          GtkWidget  *spin)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_box_append (GTK_BOX (wrap), label);
  gtk_box_append (GTK_BOX (wrap), spin);
  return spin;
}

static void
seg_near_rule_constructed (GObject *object)
{
  SegNearRule *self = SEG_NEAR_RULE (object);
  SegRuleEditor *editor = SEG_RULE_EDITOR (object);
  GtkWidget *wrap = seg_wrap_box_new (6);

  G_OBJECT_CLASS (seg_near_rule_parent_class)->constructed (object);
  seg_rule_editor_set_title (editor, _("Lives near"));
  self->km = labelled (wrap, _("_Within"), seg_number_spin_new (0, 20000, 1));
  gtk_box_append (GTK_BOX (wrap), gtk_label_new (_("km of")));
  self->lat = labelled (wrap, _("l_atitude"), seg_number_spin_new (-90, 90, 4));
  self->lon = labelled (wrap, _("l_ongitude"), seg_number_spin_new (-180, 180, 4));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->km), 25);
  seg_rule_editor_append (editor, wrap);
  seg_rule_editor_watch (editor, self->km);
  seg_rule_editor_watch (editor, self->lat);
  seg_rule_editor_watch (editor, self->lon);
}

static void
seg_near_rule_class_init (SegNearRuleClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = seg_near_rule_constructed;
  SEG_RULE_EDITOR_CLASS (klass)->build = seg_near_rule_build;
  SEG_RULE_EDITOR_CLASS (klass)->load = seg_near_rule_load;
}

static void
seg_near_rule_init (SegNearRule *self)
{
}

SegRuleEditor *
seg_near_rule_new (SegSchemaCache *cache)
{
  return g_object_new (SEG_TYPE_NEAR_RULE, "cache", cache, NULL);
}
