/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-segment-list-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "seg-definition.h"
#include "seg-eval-result.h"
#include "seg-members-export.h"
#include "seg-segment-list-page.h"
#include "seg-segment.h"
#include "seg-segments-util.h"

/*
 * The home of the application: every saved segment in a virtualised GtkColumnView,
 * through a filter (search as you type on name or ID, type, creation date range) and a
 * sorter bound to the column headers. Row actions work on the selection, from the
 * context menu, the toolbar's menu or their shortcuts. Deleting hides the rows at once
 * and offers Undo in a toast; the store deletes when the toast goes away, so that Undo
 * brings back the very same segment (id, created date, last count).
 *
 * Signals for the window: "open-report", "edit-segment" (a SegSegment), "create-segment",
 * "import-data".
 */

struct _SegSegmentListPage
{
  GtkWidget           parent_instance;

  GdkSurface         *surface;        /* watched for its width: compact columns */
  guint               compact_id;
  gboolean            compact;

  SegStore           *store;
  GCancellable       *cancellable;
  GHashTable         *sized;          /* ids whose size was asked for since the list loaded */
  gboolean            sizing;
  GListModel         *segments;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  GtkMultiSelection  *selection;
  GHashTable         *used_by;       /* id → GPtrArray of names of the segments using it */
  GHashTable         *used_by_labels; /* bound "used by" labels → TRUE */
  GHashTable         *pending;       /* ids hidden for a delete that may still be undone */
  GPtrArray          *pending_batch; /* the ids of the last delete, for Undo */
  AdwToast           *delete_toast;
  guint               used_by_id;
  char               *search;
  int                 type_filter;   /* -1 for all, or a SegSegmentKind */
  gint64              from_ms;
  gint64              to_ms;
  gboolean            show_system_when_empty;
  char               *last_message;
  SegMembersExport   *export;
  GCancellable       *export_cancellable;
  GtkFileChooserNative *chooser;
  guint               export_page_size;

  GtkWidget          *toast_overlay;
  GtkWidget          *search_bar;
  GtkWidget          *search_entry;
  GtkWidget          *search_button;
  GtkWidget          *filter_button;
  GtkWidget          *filter_popover;
  GtkWidget          *filter_grid;
  GtkWidget          *type_label;
  GtkWidget          *from_label;
  GtkWidget          *to_label;
  GtkWidget          *type_drop_down;
  GtkWidget          *from_entry;
  GtkWidget          *to_entry;
  GtkWidget          *count_label;
  GtkWidget          *bulk_delete_button;
  GtkWidget          *bulk_delete_content;
  GtkWidget          *actions_button;
  GtkWidget          *list_stack;
  GtkWidget          *column_view;
  GtkWidget          *scroller;
  GtkWidget          *export_revealer;
  GtkWidget          *export_label;
  GtkWidget          *export_progress;
  GtkWidget          *context_menu;
  GMenuModel         *row_menu;
};

G_DEFINE_FINAL_TYPE (SegSegmentListPage, seg_segment_list_page, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STORE, N_PROPS };
enum { OPEN_REPORT, EDIT_SEGMENT, CREATE_SEGMENT, IMPORT_DATA, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef enum
{
  COL_NAME,
  COL_TYPE,
  COL_SIZE,
  COL_CREATED,
  COL_UPDATED,
  COL_USED_BY,
} Column;

static const SegChoice type_choices[] = {
  { "all", N_("All types") },
  { "past-behavior", N_("Past behavior") },
  { "live", N_("Live") },
  { "custom-list", N_("Custom list") },
  { "system", N_("System") },
};

static const char *
kind_label (SegSegmentKind kind)
{
  switch (kind)
    {
    case SEG_SEGMENT_KIND_LIVE: return _("Live");
    case SEG_SEGMENT_KIND_CUSTOM_LIST: return _("Custom list");
    case SEG_SEGMENT_KIND_SYSTEM: return _("System");
    case SEG_SEGMENT_KIND_PAST_BEHAVIOR:
    default: return _("Past behavior");
    }
}

static void
set_message (SegSegmentListPage *self,
             const char         *message)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), toast);
}

/* Selection. */

static GPtrArray *
dup_selected (SegSegmentListPage *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint pos;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &pos); ok; ok = gtk_bitset_iter_next (&iter, &pos))
    g_ptr_array_add (out, g_list_model_get_item (G_LIST_MODEL (self->selection), pos));
  return out;
}

static SegSegment *
dup_single (SegSegmentListPage *self)
{
  g_autoptr(GPtrArray) sel = dup_selected (self);

  return sel->len == 1 ? g_object_ref (g_ptr_array_index (sel, 0)) : NULL;
}

static void
update_actions (SegSegmentListPage *self)
{
  g_autoptr(GPtrArray) sel = dup_selected (self);
  SegSegment *one = sel->len == 1 ? g_ptr_array_index (sel, 0) : NULL;
  gboolean any_user = FALSE;
  gboolean one_user = one != NULL && seg_segment_get_kind (one) != SEG_SEGMENT_KIND_SYSTEM;
  gboolean exportable = one != NULL && seg_segment_get_kind (one) != SEG_SEGMENT_KIND_LIVE &&
                        self->export == NULL;
  GtkWidget *w = GTK_WIDGET (self);

  for (guint i = 0; i < sel->len; i++)
    if (seg_segment_get_kind (g_ptr_array_index (sel, i)) != SEG_SEGMENT_KIND_SYSTEM)
      any_user = TRUE;
  gtk_widget_action_set_enabled (w, "segments.open-report", one != NULL);
  gtk_widget_action_set_enabled (w, "segments.edit", one_user);
  gtk_widget_action_set_enabled (w, "segments.rename", one_user);
  gtk_widget_action_set_enabled (w, "segments.clone", one_user);
  gtk_widget_action_set_enabled (w, "segments.copy-id", sel->len > 0);
  gtk_widget_action_set_enabled (w, "segments.export", exportable);
  gtk_widget_action_set_enabled (w, "segments.engage", exportable);
  gtk_widget_action_set_enabled (w, "segments.delete", any_user);
  gtk_widget_action_set_enabled (w, "segments.cancel-export", self->export != NULL);

  gtk_widget_set_visible (self->bulk_delete_button, sel->len > 1 && any_user);
  if (sel->len > 1)
    {
      g_autofree char *label = g_strdup_printf (_("Delete %u"), sel->len);
      adw_button_content_set_label (ADW_BUTTON_CONTENT (self->bulk_delete_content), label);
    }
}

static void
update_counts (SegSegmentListPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = self->segments ? g_list_model_get_n_items (self->segments) : 0;
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 selected = gtk_bitset_get_size (set);
  g_autofree char *text = NULL;
  gboolean filtering = (self->search && *self->search) || self->type_filter >= 0 ||
                       self->from_ms > 0 || self->to_ms > 0;
  guint user_segments = 0;

  for (guint i = 0; i < total && user_segments == 0; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (self->segments, i);
      if (seg_segment_get_kind (seg) != SEG_SEGMENT_KIND_SYSTEM &&
          !g_hash_table_contains (self->pending, seg_segment_get_id (seg)))
        user_segments++;
    }

  if (selected > 1)
    text = g_strdup_printf (_("%'" G_GUINT64_FORMAT " of %'u selected"), selected, shown);
  else if (filtering)
    text = g_strdup_printf (g_dngettext (NULL, "%'u matching segment", "%'u matching segments", shown), shown);
  else
    text = g_strdup_printf (g_dngettext (NULL, "%'u segment", "%'u segments", shown), shown);
  gtk_label_set_text (GTK_LABEL (self->count_label), text);

  if (self->segments != NULL && user_segments == 0 && !filtering && !self->show_system_when_empty)
    gtk_stack_set_visible_child_name (GTK_STACK (self->list_stack), "empty");
  else if (shown == 0 && filtering)
    gtk_stack_set_visible_child_name (GTK_STACK (self->list_stack), "no-results");
  else
    gtk_stack_set_visible_child_name (GTK_STACK (self->list_stack), "list");
  update_actions (self);
}

/* Filtering. */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  SegSegmentListPage *self = user_data;
  SegSegment *seg = item;
  gint64 created = seg_segment_get_created (seg);

  if (g_hash_table_contains (self->pending, seg_segment_get_id (seg)))
    return FALSE;
  if (self->type_filter >= 0 && (int) seg_segment_get_kind (seg) != self->type_filter)
    return FALSE;
  if (self->from_ms > 0 && created < self->from_ms)
    return FALSE;
  if (self->to_ms > 0 && created >= self->to_ms)
    return FALSE;
  if (self->search != NULL && *self->search != '\0')
    {
      g_autofree char *name = g_utf8_casefold (seg_segment_get_name (seg) ? seg_segment_get_name (seg) : "", -1);
      g_autofree char *id = g_utf8_casefold (seg_segment_get_id (seg), -1);
      if (strstr (name, self->search) == NULL && strstr (id, self->search) == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
refilter (SegSegmentListPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_counts (self);
}

static void search_changed_cb (SegSegmentListPage *self);

void
seg_segment_list_page_set_search (SegSegmentListPage *self,
                                  const char         *text)
{
  g_free (self->search);
  self->search = text != NULL && *text != '\0' ? g_utf8_casefold (text, -1) : NULL;
  /* Setting the entry passes through an empty text, which the entry reports at once. */
  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  refilter (self);
}

static void
search_changed_cb (SegSegmentListPage *self)
{
  seg_segment_list_page_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_activate_cb (SegSegmentListPage *self)
{
  /* Enter in the search opens the first match's row for keyboard work. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    {
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), 0, TRUE);
      gtk_widget_grab_focus (self->column_view);
    }
}

/**
 * seg_segment_list_page_set_type_filter:
 * @kind: a SegSegmentKind, or -1 for every type
 */
void
seg_segment_list_page_set_type_filter (SegSegmentListPage *self,
                                       int                 kind)
{
  self->type_filter = kind;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->type_drop_down), kind < 0 ? 0 : (guint) kind + 1);
  refilter (self);
}

static void
type_changed_cb (SegSegmentListPage *self)
{
  guint pos = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->type_drop_down));
  int kind = pos == 0 || pos == GTK_INVALID_LIST_POSITION ? -1 : (int) pos - 1;

  if (kind != self->type_filter)
    {
      self->type_filter = kind;
      refilter (self);
    }
}

/**
 * seg_segment_list_page_set_created_range:
 * @from_ms: segments created at or after this time, or 0
 * @to_ms: segments created before this time, or 0
 */
void
seg_segment_list_page_set_created_range (SegSegmentListPage *self,
                                         gint64              from_ms,
                                         gint64              to_ms)
{
  self->from_ms = from_ms;
  self->to_ms = to_ms;
  refilter (self);
}

static gint64
date_to_ms (const char *date,
            int         add_days)
{
  int y, m, d;
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) shifted = NULL;

  if (date == NULL || sscanf (date, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return 0;
  dt = g_date_time_new_local (y, m, d, 0, 0, 0);
  shifted = g_date_time_add_days (dt, add_days);
  return g_date_time_to_unix (shifted) * 1000;
}

static void
dates_changed_cb (SegSegmentListPage *self)
{
  g_autofree char *from = seg_date_entry_dup_date (self->from_entry);
  g_autofree char *to = seg_date_entry_dup_date (self->to_entry);

  /* "Until" includes its whole day. */
  seg_segment_list_page_set_created_range (self, date_to_ms (from, 0), date_to_ms (to, 1));
}

/* Used by. */

static void
refresh_used_by_label (SegSegmentListPage *self,
                       GtkWidget          *label)
{
  SegSegment *seg = g_object_get_data (G_OBJECT (label), "seg-segment");
  GPtrArray *users = seg ? g_hash_table_lookup (self->used_by, seg_segment_get_id (seg)) : NULL;

  if (users == NULL || users->len == 0)
    {
      gtk_label_set_text (GTK_LABEL (label), "—");
      gtk_widget_set_tooltip_text (label, NULL);
    }
  else
    {
      g_autoptr(GString) tip = g_string_new (NULL);
      g_autofree char *text = users->len == 1
                                ? g_strdup (g_ptr_array_index (users, 0))
                                : g_strdup_printf (g_dngettext (NULL, "%u segment", "%u segments", users->len), users->len);
      for (guint i = 0; i < users->len; i++)
        g_string_append_printf (tip, "%s%s", i ? "\n" : "", (char *) g_ptr_array_index (users, i));
      gtk_label_set_text (GTK_LABEL (label), text);
      gtk_widget_set_tooltip_text (label, tip->str);
    }
}

static void
add_user (GHashTable *map,
          const char *id,
          const char *name)
{
  GPtrArray *users = g_hash_table_lookup (map, id);

  if (users == NULL)
    {
      users = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (map, g_strdup (id), users);
    }
  g_ptr_array_add (users, g_strdup (name));
}

static gboolean
compute_used_by_cb (gpointer user_data)
{
  SegSegmentListPage *self = user_data;
  guint n = self->segments ? g_list_model_get_n_items (self->segments) : 0;
  GHashTableIter iter;
  gpointer label;

  self->used_by_id = 0;
  g_hash_table_remove_all (self->used_by);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (self->segments, i);
      const char * const *inc = seg_segment_get_includes (seg);
      const char * const *exc = seg_segment_get_excludes (seg);

      for (guint j = 0; inc != NULL && inc[j] != NULL; j++)
        add_user (self->used_by, inc[j], seg_segment_get_name (seg));
      for (guint j = 0; exc != NULL && exc[j] != NULL; j++)
        add_user (self->used_by, exc[j], seg_segment_get_name (seg));
    }
  g_hash_table_iter_init (&iter, self->used_by_labels);
  while (g_hash_table_iter_next (&iter, &label, NULL))
    refresh_used_by_label (self, label);
  return G_SOURCE_REMOVE;
}

static void size_next (SegSegmentListPage *self);

static void
segments_changed_cb (SegSegmentListPage *self)
{
  if (self->used_by_id == 0)
    self->used_by_id = g_idle_add (compute_used_by_cb, self);
  update_counts (self);
  size_next (self);
}

/**
 * seg_segment_list_page_dup_used_by:
 * Returns: (transfer full) (nullable): the names of the segments that include or exclude @id
 */
char *
seg_segment_list_page_dup_used_by (SegSegmentListPage *self,
                                   const char         *id)
{
  GPtrArray *users;
  g_autoptr(GString) out = NULL;

  if (self->used_by_id != 0)
    {
      g_clear_handle_id (&self->used_by_id, g_source_remove);
      compute_used_by_cb (self);
    }
  users = g_hash_table_lookup (self->used_by, id);
  if (users == NULL || users->len == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < users->len; i++)
    g_string_append_printf (out, "%s“%s”", i ? ", " : "", (char *) g_ptr_array_index (users, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Cells. */

typedef struct
{
  SegSegmentListPage *self;
  Column              column;
} ColumnData;

static void context_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, GtkListItem *item);

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               ColumnData               *data)
{
  GtkWidget *child;
  GtkGesture *gesture = gtk_gesture_click_new ();

  if (data->column == COL_NAME || data->column == COL_SIZE)
    {
      GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *main_label = gtk_label_new (NULL);
      GtkWidget *sub = gtk_label_new (NULL);
      GtkWidget *icon = gtk_image_new_from_icon_name ("system-lock-screen-symbolic");

      child = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      gtk_label_set_xalign (GTK_LABEL (main_label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (main_label), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      if (data->column == COL_NAME)
        {
          gtk_widget_add_css_class (main_label, "heading");
          gtk_widget_add_css_class (sub, "seg-id");
          gtk_widget_set_tooltip_text (icon, _("System segment: always present, cannot be changed"));
          gtk_box_append (GTK_BOX (top), main_label);
          gtk_box_append (GTK_BOX (top), icon);
        }
      else
        {
          gtk_widget_add_css_class (main_label, "numeric");
          /* "evaluated 12 minutes ago" takes a second line in the compact list's narrow
           * size column rather than losing its end. */
          gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
          gtk_label_set_natural_wrap_mode (GTK_LABEL (sub), GTK_NATURAL_WRAP_NONE);
          gtk_label_set_lines (GTK_LABEL (sub), 2);
          gtk_box_append (GTK_BOX (top), main_label);
          gtk_widget_set_visible (icon, FALSE);
          gtk_box_append (GTK_BOX (top), icon);
        }
      gtk_box_append (GTK_BOX (child), top);
      gtk_box_append (GTK_BOX (child), sub);
    }
  else
    {
      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), 0);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
    }
  gtk_widget_set_margin_top (child, 4);
  gtk_widget_set_margin_bottom (child, 4);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (context_pressed_cb), item);
  gtk_widget_add_controller (child, GTK_EVENT_CONTROLLER (gesture));
  g_object_set_data (G_OBJECT (child), "seg-page", data->self);
  gtk_list_item_set_child (item, child);
}

static void
cell_refresh (GtkListItem *item,
              ColumnData  *data)
{
  GtkWidget *child = gtk_list_item_get_child (item);
  SegSegment *seg = gtk_list_item_get_item (item);
  gint64 now = g_get_real_time () / 1000;

  if (seg == NULL || child == NULL)
    return;
  switch (data->column)
    {
    case COL_NAME:
      {
        GtkWidget *top = gtk_widget_get_first_child (child);
        gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (top)), seg_segment_get_name (seg));
        gtk_widget_set_visible (gtk_widget_get_last_child (top),
                                seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_SYSTEM);
        gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (child)), seg_segment_get_id (seg));
        break;
      }
    case COL_SIZE:
      {
        GtkWidget *top = gtk_widget_get_first_child (child);
        gint64 count = seg_segment_get_last_count (seg);
        g_autofree char *number = count >= 0 ? seg_format_count (count) : g_strdup ("—");
        g_autofree char *when = NULL;

        if (seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_LIVE && count < 0)
          when = g_strdup (_("fills as users qualify"));
        else if (count < 0)
          when = g_strdup (_("not evaluated yet"));
        else
          {
            g_autofree char *rel = seg_format_relative_time (seg_segment_get_last_evaluated (seg), now);
            when = g_strdup_printf (_("evaluated %s"), rel);
          }
        gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (top)), number);
        gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (child)), when);
        break;
      }
    case COL_TYPE:
      gtk_label_set_text (GTK_LABEL (child), kind_label (seg_segment_get_kind (seg)));
      break;
    case COL_CREATED:
    case COL_UPDATED:
      {
        gint64 t = data->column == COL_CREATED ? seg_segment_get_created (seg) : seg_segment_get_updated (seg);
        g_autofree char *text = seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_SYSTEM ? g_strdup ("—")
                                                                                     : seg_format_relative_time (t, now);
        g_autofree char *tip = seg_format_date (t);
        gtk_label_set_text (GTK_LABEL (child), text);
        gtk_widget_set_tooltip_text (child, tip);
        break;
      }
    case COL_USED_BY:
      refresh_used_by_label (data->self, child);
      break;
    default:
      break;
    }
}

static void
item_notify_cb (SegSegment  *seg,
                GParamSpec  *pspec,
                GtkListItem *item)
{
  cell_refresh (item, g_object_get_data (G_OBJECT (item), "seg-column"));
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              ColumnData               *data)
{
  SegSegment *seg = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  gulong id;

  g_object_set_data (G_OBJECT (item), "seg-column", data);
  g_object_set_data (G_OBJECT (child), "seg-segment", seg);
  if (data->column == COL_USED_BY)
    g_hash_table_add (data->self->used_by_labels, child);
  id = g_signal_connect (seg, "notify", G_CALLBACK (item_notify_cb), item);
  g_object_set_data (G_OBJECT (item), "seg-notify", GSIZE_TO_POINTER (id));
  cell_refresh (item, data);
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                ColumnData               *data)
{
  SegSegment *seg = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  gulong id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "seg-notify"));

  if (seg != NULL && id != 0)
    g_signal_handler_disconnect (seg, id);
  g_object_set_data (G_OBJECT (item), "seg-notify", NULL);
  g_object_set_data (G_OBJECT (child), "seg-segment", NULL);
  if (data->column == COL_USED_BY)
    g_hash_table_remove (data->self->used_by_labels, child);
}

static int
used_by_count (SegSegmentListPage *self,
               SegSegment         *seg)
{
  GPtrArray *users = g_hash_table_lookup (self->used_by, seg_segment_get_id (seg));
  return users ? (int) users->len : 0;
}

static int
used_by_compare (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  SegSegmentListPage *self = user_data;
  int ca = used_by_count (self, (SegSegment *) a);
  int cb = used_by_count (self, (SegSegment *) b);

  return ca < cb ? -1 : ca > cb;
}

static GtkSorter *
numeric_sorter (const char *property)
{
  return GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (SEG_TYPE_SEGMENT, NULL, property)));
}

static void
add_column (SegSegmentListPage *self,
            Column              column,
            const char         *title,
            GtkSorter          *sorter,
            gboolean            expand,
            int                 fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  ColumnData *data = g_new0 (ColumnData, 1);
  GtkColumnViewColumn *col;

  data->self = self;
  data->column = column;
  g_object_set_data_full (G_OBJECT (factory), "seg-data", data, g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), data);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), data);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), data);
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (col, sorter);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (col, fixed_width);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->column_view), col);
  g_object_unref (col);
  g_clear_object (&sorter);
}

/* Context menu. */

static void
context_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkListItem     *item)
{
  GtkWidget *child = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  SegSegmentListPage *self = g_object_get_data (G_OBJECT (child), "seg-page");
  guint pos = gtk_list_item_get_position (item);
  graphene_point_t p;

  if (pos == GTK_INVALID_LIST_POSITION)
    return;
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), pos))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), pos, TRUE);
  if (!gtk_widget_compute_point (child, GTK_WIDGET (self), &GRAPHENE_POINT_INIT ((float) x, (float) y), &p))
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) p.x, (int) p.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
menu_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);

  gtk_menu_button_popup (GTK_MENU_BUTTON (self->actions_button));
}

/* Row actions. */

static void
row_activated_cb (GtkColumnView      *view,
                  guint               position,
                  SegSegmentListPage *self)
{
  g_autoptr(SegSegment) seg = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (seg != NULL)
    g_signal_emit (self, signals[OPEN_REPORT], 0, seg);
}

static void
open_report_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);
  g_autoptr(SegSegment) seg = dup_single (self);

  if (seg != NULL)
    g_signal_emit (self, signals[OPEN_REPORT], 0, seg);
}

static void
edit_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);
  g_autoptr(SegSegment) seg = dup_single (self);

  if (seg == NULL)
    return;
  if (seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_SYSTEM)
    {
      set_message (self, _("System segments cannot be edited"));
      return;
    }
  g_signal_emit (self, signals[EDIT_SEGMENT], 0, seg);
}

static void
new_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[CREATE_SEGMENT], 0);
}

static void
import_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[IMPORT_DATA], 0);
}

static void
search_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);

  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  gtk_widget_grab_focus (self->search_entry);
}

static void
filter_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_menu_button_popup (GTK_MENU_BUTTON (SEG_SEGMENT_LIST_PAGE (widget)->filter_button));
}

static void
clear_filters_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);

  seg_date_entry_set_date (self->from_entry, NULL);
  seg_date_entry_set_date (self->to_entry, NULL);
  seg_segment_list_page_set_type_filter (self, -1);
  seg_segment_list_page_set_search (self, NULL);
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), FALSE);
  gtk_popover_popdown (GTK_POPOVER (self->filter_popover));
}

static void
show_system_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);

  self->show_system_when_empty = TRUE;
  update_counts (self);
}

static void
copy_id_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);
  g_autoptr(GPtrArray) sel = dup_selected (self);
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < sel->len; i++)
    g_string_append_printf (ids, "%s%s", i ? "\n" : "", seg_segment_get_id (g_ptr_array_index (sel, i)));
  if (sel->len == 0)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), ids->str);
  set_message (self, sel->len == 1 ? _("ID copied") : _("IDs copied"));
}

static void
clone_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SegSegmentListPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegSegment) copy = seg_store_clone_segment_finish (SEG_STORE (source), result, &error);
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (copy == NULL)
    {
      set_message (self, error->message);
      return;
    }
  message = g_strdup_printf (_("Created “%s”"), seg_segment_get_name (copy));
  set_message (self, message);
  seg_segment_list_page_select_id (self, seg_segment_get_id (copy));
}

static void
clone_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);
  g_autoptr(SegSegment) seg = dup_single (self);

  if (seg == NULL || seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_SYSTEM)
    return;
  seg_store_clone_segment_async (self->store, seg_segment_get_id (seg), NULL, self->cancellable,
                                 clone_cb, g_object_ref (self));
}

/* Rename. */

static void
rename_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SegSegmentListPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegSegment) saved = seg_store_save_segment_finish (SEG_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (saved == NULL)
    set_message (self, error->message);
  else
    {
      g_autofree char *message = g_strdup_printf (_("Renamed to “%s”"), seg_segment_get_name (saved));
      set_message (self, message);
    }
}

static void
rename_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    SegSegmentListPage *self)
{
  SegSegment *seg = g_object_get_data (G_OBJECT (dialog), "seg-segment");
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autoptr(SegSegment) copy = NULL;

  if (!g_str_equal (response, "rename") || *name == '\0')
    return;
  copy = seg_segment_copy (seg);
  seg_segment_set_name (copy, name);
  seg_store_save_segment_async (self->store, copy, self->cancellable, rename_saved_cb, g_object_ref (self));
}

static void
rename_entry_changed_cb (GtkEditable      *entry,
                         AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "rename", *name != '\0');
}

static void
rename_entry_activate_cb (GtkEntry         *entry,
                          AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "rename"))
    adw_message_dialog_response (dialog, "rename");
}

static void
rename_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);
  g_autoptr(SegSegment) seg = dup_single (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog, *entry;

  if (seg == NULL || seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_SYSTEM)
    return;
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Rename Segment"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), _("Convey the core meaning of the segment while keeping the name brief."));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), seg_segment_get_name (seg));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("New name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "seg-segment", g_object_ref (seg), g_object_unref);
  g_signal_connect (entry, "changed", G_CALLBACK (rename_entry_changed_cb), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (rename_entry_activate_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (rename_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Delete, with undo. */

static void
delete_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;   /* carries the page and the id */
  SegSegmentListPage *self = g_task_get_source_object (task);
  const char *id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!seg_store_delete_segment_finish (SEG_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Refused after all (another segment started using it): bring the row back. */
      g_hash_table_remove (self->pending, id);
      refilter (self);
      set_message (self, error->message);
      return;
    }
  g_hash_table_remove (self->pending, id);
}

static void
noop_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
}

/**
 * seg_segment_list_page_commit_deletes:
 *
 * Deletes from the store the segments whose delete can no longer be undone.
 */
void
seg_segment_list_page_commit_deletes (SegSegmentListPage *self)
{
  if (self->pending_batch == NULL)
    return;
  for (guint i = 0; i < self->pending_batch->len; i++)
    {
      const char *id = g_ptr_array_index (self->pending_batch, i);
      GTask *task = g_task_new (self, NULL, noop_cb, NULL);

      g_task_set_task_data (task, g_strdup (id), g_free);
      seg_store_delete_segment_async (self->store, id, NULL, delete_done_cb, task);
    }
  g_clear_pointer (&self->pending_batch, g_ptr_array_unref);
}

/**
 * seg_segment_list_page_undo_delete:
 * Returns: whether a delete was undone
 */
gboolean
seg_segment_list_page_undo_delete (SegSegmentListPage *self)
{
  if (self->pending_batch == NULL)
    return FALSE;
  for (guint i = 0; i < self->pending_batch->len; i++)
    g_hash_table_remove (self->pending, g_ptr_array_index (self->pending_batch, i));
  g_clear_pointer (&self->pending_batch, g_ptr_array_unref);
  if (self->delete_toast != NULL)
    adw_toast_dismiss (self->delete_toast);
  refilter (self);
  set_message (self, _("Delete undone"));
  return TRUE;
}

static void
toast_dismissed_cb (AdwToast           *toast,
                    SegSegmentListPage *self)
{
  if (self->delete_toast == toast)
    {
      self->delete_toast = NULL;
      seg_segment_list_page_commit_deletes (self);
    }
  g_object_unref (self);
}

static void
undo_clicked_cb (AdwToast           *toast,
                 SegSegmentListPage *self)
{
  seg_segment_list_page_undo_delete (self);
}

static void
refuse_dialog (SegSegmentListPage *self,
               const char         *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("Segment in Use"), body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);
  g_autoptr(GPtrArray) sel = dup_selected (self);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) deleting = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) refused = g_string_new (NULL);
  g_autofree char *message = NULL;
  const char *first_name = NULL;
  guint system = 0;

  /* A new delete makes the previous one final. */
  seg_segment_list_page_commit_deletes (self);
  if (self->delete_toast != NULL)
    {
      AdwToast *old = self->delete_toast;
      self->delete_toast = NULL;
      adw_toast_dismiss (old);
    }

  for (guint i = 0; i < sel->len; i++)
    if (seg_segment_get_kind (g_ptr_array_index (sel, i)) != SEG_SEGMENT_KIND_SYSTEM)
      g_hash_table_add (deleting, (gpointer) seg_segment_get_id (g_ptr_array_index (sel, i)));
  for (guint i = 0; i < sel->len; i++)
    {
      SegSegment *seg = g_ptr_array_index (sel, i);
      GPtrArray *users;
      guint outside = 0;

      if (seg_segment_get_kind (seg) == SEG_SEGMENT_KIND_SYSTEM)
        {
          system++;
          continue;
        }
      g_free (seg_segment_list_page_dup_used_by (self, seg_segment_get_id (seg)));
      users = g_hash_table_lookup (self->used_by, seg_segment_get_id (seg));
      /* Users that are themselves being deleted do not hold it back. */
      for (guint j = 0; users != NULL && j < users->len; j++)
        {
          gboolean also_deleted = FALSE;
          for (guint k = 0; k < sel->len && !also_deleted; k++)
            also_deleted = g_strcmp0 (seg_segment_get_name (g_ptr_array_index (sel, k)),
                                      g_ptr_array_index (users, j)) == 0;
          outside += also_deleted ? 0 : 1;
        }
      if (outside > 0)
        {
          g_autofree char *names = seg_segment_list_page_dup_used_by (self, seg_segment_get_id (seg));
          g_string_append_printf (refused, _("“%s” is used by %s. Remove it from that segment first.\n"),
                                  seg_segment_get_name (seg), names);
          continue;
        }
      g_ptr_array_add (batch, g_strdup (seg_segment_get_id (seg)));
      g_hash_table_add (self->pending, g_strdup (seg_segment_get_id (seg)));
      first_name = first_name ? first_name : seg_segment_get_name (seg);
    }

  if (refused->len > 0)
    {
      g_strchomp (refused->str);
      g_free (self->last_message);
      self->last_message = g_strdup (refused->str);
      refuse_dialog (self, refused->str);
    }
  else if (system > 0 && batch->len == 0)
    set_message (self, _("System segments cannot be deleted"));
  if (batch->len == 0)
    return;

  self->pending_batch = g_steal_pointer (&batch);
  refilter (self);
  if (self->pending_batch->len == 1)
    message = g_strdup_printf (_("“%s” deleted"), first_name);
  else
    message = g_strdup_printf (_("%u segments deleted"), self->pending_batch->len);
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  self->delete_toast = adw_toast_new (message);
  adw_toast_set_button_label (self->delete_toast, _("_Undo"));
  adw_toast_set_priority (self->delete_toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (self->delete_toast, "button-clicked", G_CALLBACK (undo_clicked_cb), self);
  g_signal_connect (self->delete_toast, "dismissed", G_CALLBACK (toast_dismissed_cb), g_object_ref (self));
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), self->delete_toast);
}

/* Export. */

static void
export_progress_cb (SegMembersExport   *export,
                    GParamSpec         *pspec,
                    SegSegmentListPage *self)
{
  guint64 total = seg_members_export_get_total (export);
  guint64 written = seg_members_export_get_written (export);
  g_autofree char *text = g_strdup_printf (_("Exporting members… %'" G_GUINT64_FORMAT " of %'" G_GUINT64_FORMAT),
                                           written, total);

  gtk_label_set_text (GTK_LABEL (self->export_label), text);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->export_progress),
                                 total > 0 ? (double) written / (double) total : 1.0);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SegSegmentListPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 n = seg_members_export_run_finish (SEG_MEMBERS_EXPORT (source), result, &error);
  g_autofree char *message = NULL;

  g_signal_handlers_disconnect_by_data (source, self);
  g_clear_object (&self->export);
  g_clear_object (&self->export_cancellable);
  if (self->export_revealer == NULL)
    return;
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->export_revealer), FALSE);
  if (error != NULL)
    message = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                ? g_strdup (_("Export stopped"))
                : g_strdup_printf (_("Could not export: %s"), error->message);
  else
    message = g_strdup_printf (g_dngettext (NULL, "Exported %'" G_GUINT64_FORMAT " member",
                                            "Exported %'" G_GUINT64_FORMAT " members", n), n);
  set_message (self, message);
  update_actions (self);
}

/**
 * seg_segment_list_page_export_to:
 * @clevertap: write CleverTap's custom list upload ("Identity" column) rather than user_id
 *
 * Exports the members of the selected segment to @file, as the Export and Engage
 * actions do after the file chooser.
 */
void
seg_segment_list_page_export_to (SegSegmentListPage *self,
                                 GFile              *file,
                                 gboolean            clevertap)
{
  g_autoptr(SegSegment) seg = dup_single (self);
  g_autofree char *text = NULL;

  if (seg == NULL || self->export != NULL)
    return;
  self->export = seg_members_export_new (self->store, seg_segment_get_id (seg), file,
                                         clevertap ? SEG_MEMBERS_EXPORT_HEADER_CLEVERTAP
                                                   : SEG_MEMBERS_EXPORT_HEADER_IDS);
  self->export_cancellable = g_cancellable_new ();
  text = g_strdup_printf (_("Exporting members of “%s”…"), seg_segment_get_name (seg));
  gtk_label_set_text (GTK_LABEL (self->export_label), text);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->export_progress), 0);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->export_revealer), TRUE);
  if (self->export_page_size > 0)
    seg_members_export_set_page_size (self->export, self->export_page_size);
  g_signal_connect (self->export, "notify::written", G_CALLBACK (export_progress_cb), self);
  seg_members_export_run_async (self->export, self->export_cancellable, export_done_cb, g_object_ref (self));
  update_actions (self);
}

gboolean
seg_segment_list_page_is_busy (SegSegmentListPage *self)
{
  return self->export != NULL;
}

static void
export_chooser_cb (GtkNativeDialog    *dialog,
                   int                 response,
                   SegSegmentListPage *self)
{
  gboolean clevertap = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "seg-clevertap"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      seg_segment_list_page_export_to (self, file, clevertap);
    }
  g_clear_object (&self->chooser);
}

static void
export_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);
  g_autoptr(SegSegment) seg = dup_single (self);
  gboolean clevertap = g_str_equal (action_name, "segments.engage");
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = NULL;

  if (seg == NULL)
    return;
  name = clevertap ? g_strdup_printf ("%s - CleverTap custom list.csv", seg_segment_get_name (seg))
                   : g_strdup_printf ("%s.csv", seg_segment_get_name (seg));
  g_strdelimit (name, "/\\", '-');
  self->chooser = gtk_file_chooser_native_new (clevertap ? _("Export for CleverTap Custom List Upload")
                                                         : _("Export Members"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_object_set_data (G_OBJECT (self->chooser), "seg-clevertap", GINT_TO_POINTER (clevertap));
  g_signal_connect (self->chooser, "response", G_CALLBACK (export_chooser_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
cancel_export_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

/* Loading. */

/* Sizes nobody has evaluated yet (new stores, a remote store's first visit) are counted
 * in the background, one segment at a time; the store remembers each count and the row
 * updates when it arrives. A failure leaves that row as it is. Only for lists of at most
 * SIZE_BUDGET segments, so a store of thousands does not keep the machine (and the list,
 * which re-sorts on every new count) busy: those get their size when a report opens. */
#define SIZE_BUDGET 200
static void
sized_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SegSegmentListPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) answer = seg_store_evaluate_finish (SEG_STORE (source), result, &error);

  self->sizing = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == NULL)
    g_message ("Could not size a segment: %s", error->message);
  size_next (self);
}

static void
size_next (SegSegmentListPage *self)
{
  guint n;

  if (self->sizing || self->segments == NULL || self->store == NULL)
    return;
  if (self->sized == NULL)
    self->sized = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  n = g_list_model_get_n_items (self->segments);
  if (n > SIZE_BUDGET)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (self->segments, i);
      g_autoptr(SegDefinition) def = NULL;
      SegEvalOptions options = { 0 };

      if (seg_segment_get_last_count (seg) >= 0 ||
          g_hash_table_contains (self->sized, seg_segment_get_id (seg)))
        continue;
      g_hash_table_add (self->sized, g_strdup (seg_segment_get_id (seg)));
      def = seg_segment_dup_size_definition (seg);
      if (def == NULL)
        continue;
      self->sizing = TRUE;
      seg_store_evaluate_async (self->store, def, &options, self->cancellable, sized_cb,
                                g_object_ref (self));
      return;
    }
}

static void
segments_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SegSegmentListPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GListModel *segments = seg_store_list_segments_finish (SEG_STORE (source), result, &error);

  if (segments == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, error->message);
      return;
    }
  self->segments = segments;
  g_signal_connect_swapped (segments, "items-changed", G_CALLBACK (segments_changed_cb), self);
  gtk_filter_list_model_set_model (self->filtered, segments);
  compute_used_by_cb (self);
  update_counts (self);
  size_next (self);
}

static void
selection_changed_cb (SegSegmentListPage *self)
{
  update_counts (self);
}

static void
filtered_changed_cb (SegSegmentListPage *self)
{
  update_counts (self);
}

static void
undo_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  seg_segment_list_page_undo_delete (SEG_SEGMENT_LIST_PAGE (widget));
}

/* GObject. */

static void
seg_segment_list_page_constructed (GObject *object)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (object);

  G_OBJECT_CLASS (seg_segment_list_page_parent_class)->constructed (object);
  seg_store_list_segments_async (self->store, self->cancellable, segments_loaded_cb, g_object_ref (self));
}

/* Narrow windows (a phone's 360 px): only the name and the size stay as columns; the
 * others come back when the window is wide again. */
#define COMPACT_BELOW 700

static void
set_compact (SegSegmentListPage *self,
             gboolean            compact,
             int                 width)
{
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (self->column_view));

  self->compact = compact;
  /* The toolbar keeps its buttons; the segment count is the list itself. */
  gtk_widget_set_visible (self->count_label, !compact);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) col = g_list_model_get_item (columns, i);

      if (i != COL_NAME && i != COL_SIZE)
        gtk_column_view_column_set_visible (col, !compact);
      else if (i == COL_SIZE)
        gtk_column_view_column_set_fixed_width (col, compact ? 140 : 190);
      else
        /* GTK 4.8 does not widen an expanding column again once others are hidden: the
         * name takes what the size column leaves, minus the page's margins. */
        gtk_column_view_column_set_fixed_width (col, compact ? MAX (120, width - 140 - 24) : -1);
    }
  gtk_widget_queue_resize (self->column_view);
}

static gboolean
compact_idle_cb (gpointer user_data)
{
  SegSegmentListPage *self = user_data;
  gboolean compact;

  self->compact_id = 0;
  if (self->surface == NULL)
    return G_SOURCE_REMOVE;
  compact = gdk_surface_get_width (self->surface) < COMPACT_BELOW;
  if (compact || compact != self->compact)
    set_compact (self, compact, gdk_surface_get_width (self->surface));
  return G_SOURCE_REMOVE;
}

/* Columns change outside of the size allocation that reported the new width. */
static void
surface_width_cb (SegSegmentListPage *self)
{
  if (self->compact_id == 0)
    self->compact_id = g_idle_add (compact_idle_cb, self);
}

/**
 * seg_segment_list_page_is_compact:
 *
 * Returns: whether the page shows only the name and size columns (a narrow window)
 */
gboolean
seg_segment_list_page_is_compact (SegSegmentListPage *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT_LIST_PAGE (self), FALSE);
  return self->compact;
}

static void
seg_segment_list_page_realize (GtkWidget *widget)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);

  GTK_WIDGET_CLASS (seg_segment_list_page_parent_class)->realize (widget);
  self->surface = g_object_ref (gtk_native_get_surface (gtk_widget_get_native (widget)));
  g_signal_connect_object (self->surface, "notify::width", G_CALLBACK (surface_width_cb), self,
                           G_CONNECT_SWAPPED);
  surface_width_cb (self);
}

static void
seg_segment_list_page_unrealize (GtkWidget *widget)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (widget);

  if (self->surface != NULL)
    g_signal_handlers_disconnect_by_data (self->surface, self);
  g_clear_object (&self->surface);
  g_clear_handle_id (&self->compact_id, g_source_remove);
  GTK_WIDGET_CLASS (seg_segment_list_page_parent_class)->unrealize (widget);
}

static void
seg_segment_list_page_dispose (GObject *object)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (object);

  /* Deletes waiting for their toast become final when the page goes away. */
  if (self->store != NULL)
    seg_segment_list_page_commit_deletes (self);
  g_cancellable_cancel (self->cancellable);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_handle_id (&self->used_by_id, g_source_remove);
  if (self->segments != NULL)
    g_signal_handlers_disconnect_by_data (self->segments, self);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEG_TYPE_SEGMENT_LIST_PAGE);
  self->export_revealer = NULL;
  g_clear_object (&self->chooser);
  g_clear_object (&self->selection);
  g_clear_object (&self->segments);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (seg_segment_list_page_parent_class)->dispose (object);
}

static void
seg_segment_list_page_finalize (GObject *object)
{
  SegSegmentListPage *self = SEG_SEGMENT_LIST_PAGE (object);

  g_hash_table_unref (self->used_by);
  g_hash_table_unref (self->used_by_labels);
  g_hash_table_unref (self->pending);
  g_clear_pointer (&self->sized, g_hash_table_unref);
  g_clear_pointer (&self->pending_batch, g_ptr_array_unref);
  g_free (self->search);
  g_free (self->last_message);
  G_OBJECT_CLASS (seg_segment_list_page_parent_class)->finalize (object);
}

static void
seg_segment_list_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_STORE:
      SEG_SEGMENT_LIST_PAGE (object)->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_segment_list_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, SEG_SEGMENT_LIST_PAGE (object)->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_segment_list_page_class_init (SegSegmentListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = seg_segment_list_page_constructed;
  object_class->dispose = seg_segment_list_page_dispose;
  object_class->finalize = seg_segment_list_page_finalize;
  object_class->set_property = seg_segment_list_page_set_property;
  object_class->get_property = seg_segment_list_page_get_property;
  widget_class->realize = seg_segment_list_page_realize;
  widget_class->unrealize = seg_segment_list_page_unrealize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SEG_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SegSegmentListPage::open-report:
   * @segment: the segment whose report to show
   */
  signals[OPEN_REPORT] = g_signal_new ("open-report", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, SEG_TYPE_SEGMENT);
  /**
   * SegSegmentListPage::edit-segment:
   * @segment: the segment to open in the wizard
   */
  signals[EDIT_SEGMENT] = g_signal_new ("edit-segment", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, SEG_TYPE_SEGMENT);
  signals[CREATE_SEGMENT] = g_signal_new ("create-segment", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[IMPORT_DATA] = g_signal_new ("import-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  seg_segments_ensure_resources ();
  g_type_ensure (ADW_TYPE_TOAST_OVERLAY);
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  g_type_ensure (ADW_TYPE_CLAMP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/segmentstudio/SegmentStudio/segments/seg-segment-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, search_button);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, filter_popover);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, filter_grid);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, type_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, from_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, to_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, bulk_delete_button);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, bulk_delete_content);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, actions_button);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, export_revealer);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, export_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, export_progress);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentListPage, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "segments.new", NULL, new_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.import", NULL, import_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.search", NULL, search_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.filter", NULL, filter_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.clear-filters", NULL, clear_filters_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.show-system", NULL, show_system_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.open-report", NULL, open_report_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.edit", NULL, edit_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.rename", NULL, rename_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.clone", NULL, clone_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.copy-id", NULL, copy_id_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.export", NULL, export_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.engage", NULL, export_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.cancel-export", NULL, cancel_export_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.delete", NULL, delete_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.menu", NULL, menu_action_cb);
  gtk_widget_class_install_action (widget_class, "segments.undo", NULL, undo_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "segments.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "segments.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "segments.filter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "segments.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "segments.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "segments.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "segments.rename", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "segments.clone", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "segments.copy-id", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "segments.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "segments.engage", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "segments.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "segments.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "segments.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "segments.undo", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "segmentlistpage");
}

static void
seg_segment_list_page_init (SegSegmentListPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkColumnView *view;

  self->cancellable = g_cancellable_new ();
  self->type_filter = -1;
  self->used_by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->used_by_labels = g_hash_table_new (NULL, NULL);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  seg_segments_ensure_style ();
  gtk_widget_init_template (widget);

  gtk_search_bar_set_key_capture_widget (GTK_SEARCH_BAR (self->search_bar), widget);
  gtk_search_bar_connect_entry (GTK_SEARCH_BAR (self->search_bar), GTK_EDITABLE (self->search_entry));

  self->type_drop_down = seg_choice_drop_down_new (type_choices, G_N_ELEMENTS (type_choices));
  self->from_entry = seg_date_entry_new ();
  self->to_entry = seg_date_entry_new ();
  gtk_grid_attach (GTK_GRID (self->filter_grid), self->type_drop_down, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (self->filter_grid), self->from_entry, 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (self->filter_grid), self->to_entry, 1, 2, 1, 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->type_label), self->type_drop_down);
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->from_label), g_object_get_data (G_OBJECT (self->from_entry), "seg-entry"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->to_label), g_object_get_data (G_OBJECT (self->to_entry), "seg-entry"));
  g_signal_connect_swapped (self->type_drop_down, "notify::selected", G_CALLBACK (type_changed_cb), self);
  g_signal_connect_swapped (g_object_get_data (G_OBJECT (self->from_entry), "seg-entry"), "changed",
                            G_CALLBACK (dates_changed_cb), self);
  g_signal_connect_swapped (g_object_get_data (G_OBJECT (self->to_entry), "seg-entry"), "changed",
                            G_CALLBACK (dates_changed_cb), self);

  view = GTK_COLUMN_VIEW (self->column_view);
  add_column (self, COL_NAME, _("Name"),
              GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (SEG_TYPE_SEGMENT, NULL, "name"))),
              TRUE, -1);
  add_column (self, COL_TYPE, _("Type"), numeric_sorter ("kind"), FALSE, 130);
  add_column (self, COL_SIZE, _("Size"), numeric_sorter ("last-count"), FALSE, 190);
  add_column (self, COL_CREATED, _("Created"), numeric_sorter ("created"), FALSE, 120);
  add_column (self, COL_UPDATED, _("Updated"), numeric_sorter ("updated"), FALSE, 120);
  add_column (self, COL_USED_BY, _("Used By"),
              GTK_SORTER (gtk_custom_sorter_new (used_by_compare, self, NULL)), FALSE, 140);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->filtered),
                                          g_object_ref (gtk_column_view_get_sorter (view)));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (self->sorted));
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (view, g_list_model_get_item (gtk_column_view_get_columns (view), 0),
                                  GTK_SORT_ASCENDING);
  /* sort_by_column does not take the column reference it was given. */
  g_object_unref (g_list_model_get_item (gtk_column_view_get_columns (view), 0));
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (filtered_changed_cb), self);

  self->context_menu = gtk_popover_menu_new_from_model (self->row_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, widget);
  update_counts (self);
}

/**
 * seg_segment_list_page_new:
 * @store: the store whose segments to list
 *
 * Returns: (transfer floating): a new list page
 */
GtkWidget *
seg_segment_list_page_new (SegStore *store)
{
  return g_object_new (SEG_TYPE_SEGMENT_LIST_PAGE, "store", store, NULL);
}

SegStore *
seg_segment_list_page_get_store (SegSegmentListPage *self)
{
  return self->store;
}

GtkWidget *
seg_segment_list_page_get_column_view (SegSegmentListPage *self)
{
  return self->column_view;
}

/**
 * seg_segment_list_page_get_model:
 * Returns: (transfer none): the rows as shown: filtered and sorted
 */
GListModel *
seg_segment_list_page_get_model (SegSegmentListPage *self)
{
  return G_LIST_MODEL (self->sorted);
}

GtkSelectionModel *
seg_segment_list_page_get_selection (SegSegmentListPage *self)
{
  return GTK_SELECTION_MODEL (self->selection);
}

guint
seg_segment_list_page_get_n_visible (SegSegmentListPage *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

const char *
seg_segment_list_page_get_visible_child (SegSegmentListPage *self)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (self->list_stack));
}

/**
 * seg_segment_list_page_select_id:
 *
 * Selects (only) the row of segment @id and scrolls to it.
 *
 * Returns: whether the row is shown
 */
gboolean
seg_segment_list_page_select_id (SegSegmentListPage *self,
                                 const char         *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (G_LIST_MODEL (self->sorted), i);
      if (g_strcmp0 (seg_segment_get_id (seg), id) == 0)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
          /* The column view's rows are a GtkListView inside it, which knows how to scroll. */
          for (GtkWidget *c = gtk_widget_get_first_child (self->column_view); c; c = gtk_widget_get_next_sibling (c))
            if (GTK_IS_LIST_VIEW (c))
              gtk_widget_activate_action (c, "list.scroll-to-item", "u", i);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * seg_segment_list_page_get_last_message:
 * Returns: (nullable): the last message shown to the user (toast or dialog text)
 */
const char *
seg_segment_list_page_get_last_message (SegSegmentListPage *self)
{
  return self->last_message;
}

/* The number of members each store evaluation of an export asks for (0: the default). */
void
seg_segment_list_page_set_export_page_size (SegSegmentListPage *self,
                                            guint               page_size)
{
  self->export_page_size = page_size;
}
