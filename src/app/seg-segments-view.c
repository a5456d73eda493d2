/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-segments-view"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-segment.h"
#include "seg-segments-view.h"
#include "segments/seg-segment-list-page.h"
#include "segments/seg-wizard.h"
#include "reports/seg-segment-report.h"
#include "reports/seg-user-profile-view.h"
#include "live/seg-live-report-section.h"

/*
 * The "segments" page of the main window: the segment list as home, and the pages it
 * leads to — the creation wizard, a segment's report and a user's profile — one at a
 * time in a stack, with a back button above the pages that are not home.
 *
 * The pages take their store at construction, so a new store rebuilds them.
 */
struct _SegSegmentsView
{
  GtkWidget   parent_instance;

  SegStore   *store;
  SegLiveController *live_controller;   /* the window's, for live segments' reports */

  GtkWidget  *box;
  GtkWidget  *back_bar;
  GtkWidget  *back_button;
  GtkWidget  *title_label;
  GtkWidget  *stack;

  GtkWidget  *list_page;
  GtkWidget  *wizard;
  GtkWidget  *report;
  GtkWidget  *user_view;

  /* Where "back" leads from the user profile: the report or the list. */
  char       *user_back_to;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_VISIBLE_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SegSegmentsView, seg_segments_view, GTK_TYPE_WIDGET)

static void
show_page (SegSegmentsView *self,
           const char      *name,
           const char      *title)
{
  gboolean home = g_strcmp0 (name, "list") == 0;

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), name);
  gtk_widget_set_visible (self->back_bar, !home && g_strcmp0 (name, "wizard") != 0);
  gtk_label_set_label (GTK_LABEL (self->title_label), title ? title : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
}

static void
remove_child (SegSegmentsView  *self,
              GtkWidget       **child)
{
  if (*child == NULL)
    return;
  gtk_stack_remove (GTK_STACK (self->stack), *child);
  *child = NULL;
}

static void
open_user_cb (SegSegmentsView *self,
              const char      *user_id)
{
  seg_segments_view_open_user (self, user_id);
}

static void
open_report_cb (SegSegmentListPage *page,
                SegSegment         *segment,
                SegSegmentsView    *self)
{
  seg_segments_view_open_report (self, segment);
}

static void
create_segment_cb (SegSegmentListPage *page,
                   SegSegmentsView    *self)
{
  seg_wizard_start (SEG_WIZARD (self->wizard));
  show_page (self, "wizard", _("New Segment"));
}

static void
edit_segment_cb (SegSegmentListPage *page,
                 SegSegment         *segment,
                 SegSegmentsView    *self)
{
  seg_wizard_edit (SEG_WIZARD (self->wizard), segment);
  show_page (self, "wizard", seg_segment_get_name (segment));
}

static void
import_data_cb (SegSegmentListPage *page,
                SegSegmentsView    *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.import", NULL);
}

static void
wizard_saved_cb (SegWizard       *wizard,
                 SegSegment      *segment,
                 SegSegmentsView *self)
{
  show_page (self, "list", NULL);
  if (segment != NULL)
    seg_segment_list_page_select_id (SEG_SEGMENT_LIST_PAGE (self->list_page),
                                     seg_segment_get_id (segment));
}

static void
wizard_cancelled_cb (SegWizard       *wizard,
                     SegSegmentsView *self)
{
  show_page (self, "list", NULL);
}

static void
rebuild_pages (SegSegmentsView *self)
{
  remove_child (self, &self->report);
  remove_child (self, &self->user_view);
  remove_child (self, &self->wizard);
  remove_child (self, &self->list_page);

  if (self->store == NULL)
    return;

  self->list_page = seg_segment_list_page_new (self->store);
  g_signal_connect_object (self->list_page, "open-report", G_CALLBACK (open_report_cb), self, 0);
  g_signal_connect_object (self->list_page, "create-segment", G_CALLBACK (create_segment_cb),
                           self, 0);
  g_signal_connect_object (self->list_page, "edit-segment", G_CALLBACK (edit_segment_cb), self, 0);
  g_signal_connect_object (self->list_page, "import-data", G_CALLBACK (import_data_cb), self, 0);
  gtk_stack_add_named (GTK_STACK (self->stack), self->list_page, "list");

  self->wizard = seg_wizard_new (self->store);
  g_signal_connect_object (self->wizard, "saved", G_CALLBACK (wizard_saved_cb), self, 0);
  g_signal_connect_object (self->wizard, "cancelled", G_CALLBACK (wizard_cancelled_cb), self, 0);
  gtk_stack_add_named (GTK_STACK (self->stack), self->wizard, "wizard");

  self->user_view = seg_user_profile_view_new (self->store);
  gtk_stack_add_named (GTK_STACK (self->stack), self->user_view, "user");

  show_page (self, "list", NULL);
}

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  seg_segments_view_go_back (SEG_SEGMENTS_VIEW (widget));
}

static void
seg_segments_view_dispose (GObject *object)
{
  SegSegmentsView *self = (SegSegmentsView *)object;

  g_clear_pointer (&self->box, gtk_widget_unparent);
  self->stack = NULL;
  g_clear_object (&self->store);
  g_clear_object (&self->live_controller);
  g_clear_object (&self->store);
  g_clear_pointer (&self->user_back_to, g_free);

  G_OBJECT_CLASS (seg_segments_view_parent_class)->dispose (object);
}

static void
seg_segments_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SegSegmentsView *self = SEG_SEGMENTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, seg_segments_view_get_visible_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_segments_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SegSegmentsView *self = SEG_SEGMENTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      seg_segments_view_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_segments_view_class_init (SegSegmentsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_segments_view_dispose;
  object_class->get_property = seg_segments_view_get_property;
  object_class->set_property = seg_segments_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SEG_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "segmentsview");

  gtk_widget_class_install_action (widget_class, "segments-view.back", NULL, back_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "segments-view.back", NULL);
}

static void
seg_segments_view_init (SegSegmentsView *self)
{
  GtkWidget *image;
  GtkWidget *button_box;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->back_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->back_bar, "toolbar");
  gtk_widget_set_visible (self->back_bar, FALSE);

  button_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  image = gtk_image_new_from_icon_name ("go-previous-symbolic");
  gtk_box_append (GTK_BOX (button_box), image);
  gtk_box_append (GTK_BOX (button_box), gtk_label_new_with_mnemonic (_("_Segments")));
  self->back_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->back_button), button_box);
  gtk_widget_add_css_class (self->back_button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->back_button), "segments-view.back");
  gtk_widget_set_tooltip_text (self->back_button, _("Back (Alt+Left)"));
  gtk_box_append (GTK_BOX (self->back_bar), self->back_button);

  self->title_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->title_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->title_label, "heading");
  gtk_box_append (GTK_BOX (self->back_bar), self->title_label);
  gtk_box_append (GTK_BOX (self->box), self->back_bar);

  self->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->stack);
}

GtkWidget *
seg_segments_view_new (void)
{
  return g_object_new (SEG_TYPE_SEGMENTS_VIEW, NULL);
}

/**
 * seg_segments_view_get_store:
 * Returns: (transfer none) (nullable): the store the pages show
 */
SegStore *
seg_segments_view_get_store (SegSegmentsView *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENTS_VIEW (self), NULL);

  return self->store;
}

void
seg_segments_view_set_store (SegSegmentsView *self,
                             SegStore        *store)
{
  g_return_if_fail (SEG_IS_SEGMENTS_VIEW (self));
  g_return_if_fail (store == NULL || SEG_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  rebuild_pages (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * seg_segments_view_get_visible_page:
 * Returns: (nullable): "list", "wizard", "report" or "user"
 */
const char *
seg_segments_view_get_visible_page (SegSegmentsView *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENTS_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

GtkWidget *
seg_segments_view_get_list_page (SegSegmentsView *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENTS_VIEW (self), NULL);
  return self->list_page;
}

GtkWidget *
seg_segments_view_get_wizard (SegSegmentsView *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENTS_VIEW (self), NULL);
  return self->wizard;
}

GtkWidget *
seg_segments_view_get_report (SegSegmentsView *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENTS_VIEW (self), NULL);
  return self->report;
}

GtkWidget *
seg_segments_view_get_user_view (SegSegmentsView *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENTS_VIEW (self), NULL);
  return self->user_view;
}

/**
 * seg_segments_view_open_report:
 * @self: a #SegSegmentsView
 * @segment: the segment to report on
 *
 * Shows @segment's report; it replaces the report shown before, if any.
 */
void
seg_segments_view_open_report (SegSegmentsView *self,
                               SegSegment      *segment)
{
  g_return_if_fail (SEG_IS_SEGMENTS_VIEW (self));
  g_return_if_fail (SEG_IS_SEGMENT (segment));
  g_return_if_fail (self->store != NULL);

  remove_child (self, &self->report);
  self->report = seg_segment_report_new (self->store, segment);
  g_signal_connect_object (self->report, "open-user", G_CALLBACK (open_user_cb), self,
                           G_CONNECT_SWAPPED);
  /* A live segment's report is live: the streaming chart and the users trickling in come
   * from the window's live controller; it says so plainly when none runs. */
  if (seg_segment_get_kind (segment) == SEG_SEGMENT_KIND_LIVE)
    {
      GtkWidget *section = seg_live_report_section_new (self->live_controller,
                                                        seg_segment_get_id (segment));

      g_signal_connect_object (section, "user-activated", G_CALLBACK (open_user_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (section, "members-changed", G_CALLBACK (seg_segment_report_update),
                               self->report, G_CONNECT_SWAPPED);
      seg_segment_report_set_live_section (SEG_SEGMENT_REPORT (self->report), section);
    }
  gtk_stack_add_named (GTK_STACK (self->stack), self->report, "report");
  show_page (self, "report", seg_segment_get_name (segment));
}

/**
 * seg_segments_view_open_user:
 * @self: a #SegSegmentsView
 * @user_id: a user id or email address
 *
 * Shows a user's profile; "back" returns to the page shown before.
 */
void
seg_segments_view_open_user (SegSegmentsView *self,
                             const char      *user_id)
{
  const char *from;

  g_return_if_fail (SEG_IS_SEGMENTS_VIEW (self));
  g_return_if_fail (user_id != NULL);

  if (self->user_view == NULL)
    return;

  from = seg_segments_view_get_visible_page (self);
  if (g_strcmp0 (from, "user") != 0)
    {
      g_free (self->user_back_to);
      self->user_back_to = g_strdup (from);
    }
  seg_user_profile_view_show_user (SEG_USER_PROFILE_VIEW (self->user_view), user_id);
  show_page (self, "user", user_id);
}

/**
 * seg_segments_view_find_user:
 * @self: a #SegSegmentsView
 *
 * Shows the user profile page ready for a search by user id or email address.
 */
void
seg_segments_view_find_user (SegSegmentsView *self)
{
  const char *from;

  g_return_if_fail (SEG_IS_SEGMENTS_VIEW (self));

  if (self->user_view == NULL)
    return;

  from = seg_segments_view_get_visible_page (self);
  if (g_strcmp0 (from, "user") != 0)
    {
      g_free (self->user_back_to);
      self->user_back_to = g_strdup (from);
    }
  show_page (self, "user", _("Find User"));
  gtk_widget_child_focus (self->user_view, GTK_DIR_TAB_FORWARD);
}

/**
 * seg_segments_view_go_back:
 * @self: a #SegSegmentsView
 *
 * From a user's profile back to the report it came from, else to the segment list.
 */
void
seg_segments_view_go_back (SegSegmentsView *self)
{
  const char *page;

  g_return_if_fail (SEG_IS_SEGMENTS_VIEW (self));

  page = seg_segments_view_get_visible_page (self);
  if (g_strcmp0 (page, "user") == 0 && g_strcmp0 (self->user_back_to, "report") == 0 &&
      self->report != NULL)
    {
      show_page (self, "report", seg_segment_get_name (
                   seg_segment_report_get_segment (SEG_SEGMENT_REPORT (self->report))));
      return;
    }
  if (g_strcmp0 (page, "wizard") == 0)
    return;
  show_page (self, "list", NULL);
}

/**
 * seg_segments_view_set_live_controller:
 * @controller: (nullable): the live controller of the window's store
 *
 * Live segments' reports follow @controller (the one open now too).
 */
void
seg_segments_view_set_live_controller (SegSegmentsView   *self,
                                       SegLiveController *controller)
{
  g_return_if_fail (SEG_IS_SEGMENTS_VIEW (self));

  if (!g_set_object (&self->live_controller, controller))
    return;
  if (self->report != NULL)
    {
      GtkWidget *section = seg_segment_report_get_live_section (SEG_SEGMENT_REPORT (self->report));

      if (section != NULL)
        seg_live_report_section_set_controller (SEG_LIVE_REPORT_SECTION (section), controller);
    }
}
