/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-custom-list-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-custom-list-editor.h"

/*
 * A custom list segment: user ids pasted or loaded from a file (one per line, or the
 * first column of a CSV such as CleverTap's "Identity" upload). Loading runs on GIO's
 * async file API, so a large list never blocks the window.
 */

struct _SegCustomListEditor
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkWidget    *text;
  GtkWidget    *count;
  GtkWidget    *choose;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (SegCustomListEditor, seg_custom_list_editor, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
seg_custom_list_editor_dispose (GObject *object)
{
  SegCustomListEditor *self = SEG_CUSTOM_LIST_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (seg_custom_list_editor_parent_class)->dispose (object);
}

static void
seg_custom_list_editor_class_init (SegCustomListEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = seg_custom_list_editor_dispose;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static gboolean
is_header (const char *cell)
{
  return g_ascii_strcasecmp (cell, "identity") == 0 || g_ascii_strcasecmp (cell, "user_id") == 0 ||
         g_ascii_strcasecmp (cell, "id") == 0 || g_ascii_strcasecmp (cell, "email") == 0;
}

/**
 * seg_custom_list_editor_dup_users:
 * Returns: (transfer full): the distinct user ids, in the order given
 */
GStrv
seg_custom_list_editor_dup_users (SegCustomListEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text));
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  lines = g_strsplit_set (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *cell = lines[i];
      char *comma = strchr (cell, ',');

      if (comma != NULL)
        *comma = '\0';
      g_strstrip (cell);
      if (cell[0] == '"' && cell[strlen (cell) - 1] == '"' && strlen (cell) >= 2)
        {
          cell[strlen (cell) - 1] = '\0';
          cell++;
        }
      if (*cell == '\0' || (i == 0 && is_header (cell)) || g_hash_table_contains (seen, cell))
        continue;
      g_hash_table_add (seen, cell);
      g_strv_builder_add (b, cell);
    }
  return g_strv_builder_end (b);
}

static void
buffer_changed_cb (SegCustomListEditor *self)
{
  g_auto(GStrv) users = seg_custom_list_editor_dup_users (self);
  guint n = g_strv_length (users);
  g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%'u user", "%'u users", n), n);

  gtk_label_set_text (GTK_LABEL (self->count), text);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SegCustomListEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->box != NULL)
        gtk_label_set_text (GTK_LABEL (self->count), error->message);
      return;
    }
  if (self->box == NULL)
    return;
  if (!g_utf8_validate (contents, (gssize) length, NULL))
    {
      gtk_label_set_text (GTK_LABEL (self->count), _("The file is not UTF-8 text"));
      return;
    }
  seg_custom_list_editor_set_text (self, contents);
}

void
seg_custom_list_editor_load_file (SegCustomListEditor *self,
                                  GFile               *file)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (GTK_LABEL (self->count), _("Loading…"));
  g_file_load_contents_async (file, self->cancellable, loaded_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog     *dialog,
                     int                  response,
                     SegCustomListEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      seg_custom_list_editor_load_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
choose_clicked_cb (SegCustomListEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  self->chooser = gtk_file_chooser_native_new (_("Load User IDs"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Load"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Lists of users (CSV, text)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_mime_type (filter, "text/plain");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
seg_custom_list_editor_init (SegCustomListEditor *self)
{
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("User _IDs, one per line (or the first column of a CSV)"));

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (self->box), label);

  self->text = gtk_text_view_new ();
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->text), TRUE);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (self->text), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->text), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->text), 6);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->text);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), self->text);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroll), 200);
  gtk_widget_add_css_class (scroll, "card");
  gtk_box_append (GTK_BOX (self->box), scroll);

  self->count = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->count, "dim-label");
  gtk_widget_set_hexpand (self->count, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->count), 0);
  self->choose = gtk_button_new_with_mnemonic (_("_Load From File…"));
  g_signal_connect_swapped (self->choose, "clicked", G_CALLBACK (choose_clicked_cb), self);
  gtk_box_append (GTK_BOX (bar), self->count);
  gtk_box_append (GTK_BOX (bar), self->choose);
  gtk_box_append (GTK_BOX (self->box), bar);
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text)), "changed",
                            G_CALLBACK (buffer_changed_cb), self);
  buffer_changed_cb (self);
}

GtkWidget *
seg_custom_list_editor_new (void)
{
  return g_object_new (SEG_TYPE_CUSTOM_LIST_EDITOR, NULL);
}

void
seg_custom_list_editor_set_text (SegCustomListEditor *self,
                                 const char          *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text)), text, -1);
}

void
seg_custom_list_editor_set_users (SegCustomListEditor *self,
                                  const char * const  *users)
{
  g_autofree char *text = users != NULL ? g_strjoinv ("\n", (char **) users) : g_strdup ("");

  seg_custom_list_editor_set_text (self, text);
}
