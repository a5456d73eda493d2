/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-import-assistant"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <string.h>

#include "seg-format.h"
#include "seg-import-assistant.h"
#include "seg-definition.h"
#include "seg-segment.h"
#include "import/seg-import-mapping.h"
#include "import/seg-import-preview.h"
#include "import/seg-importer-registry.h"

/*
 * The import assistant: choose a file, see the detected format and the first records,
 * adjust the column mapping, time zone and what to do with bad rows, import with progress
 * and Cancel, and end on a summary. Pages of a GtkStack: choose → detecting → options →
 * progress → summary (or failed). Everything that reads the file or writes the store runs
 * off the UI thread.
 */

#define N_PREVIEW 8
#define MAX_REJECTED_SHOWN 100

struct _SegImportAssistant
{
  AdwWindow          parent_instance;

  SegStore          *store;
  GFile             *file;
  GPtrArray         *format_ids;      /* char*, parallel to format_row's model */
  GStrv              columns;         /* of the file, for the mapping; NULL if none */
  SegImportPolicy    policy;
  GCancellable      *file_cancellable;    /* detection and preview */
  GCancellable      *mapping_cancellable; /* reading the mapping saved for the columns */
  GCancellable      *import_cancellable;
  SegImport         *import;
  SegImportSummary  *summary;
  SegSegment        *list_segment;    /* the custom list saved from a Custom List CSV */
  guint              n_preview;
  gboolean           updating;            /* filling combo rows, don't react */

  /* Template widgets */
  AdwWindowTitle    *window_title;
  GtkButton         *back_button;
  GtkButton         *import_button;
  GtkStack          *stack;
  GtkSpinner        *detect_spinner;
  GtkLabel          *notice_label;
  AdwActionRow      *file_row;
  AdwComboRow       *format_row;
  AdwPreferencesGroup *mapping_group;
  AdwPreferencesGroup *types_group;
  GtkWidget         *save_mapping_button;
  GPtrArray         *type_rows;       /* AdwComboRow per column, in column order */
  char              *mapping_note;    /* why the mapping is what it is, for tests */
  AdwComboRow       *user_row;
  AdwComboRow       *event_row;
  AdwComboRow       *ts_row;
  AdwComboRow       *ts_format_row;
  AdwEntryRow       *timezone_row;
  AdwComboRow       *policy_row;
  GtkListBox        *preview_list;
  AdwStatusPage     *progress_page;
  GtkProgressBar    *progress_bar;
  GtkLabel          *progress_label;
  GtkImage          *summary_icon;
  GtkLabel          *summary_title;
  GtkLabel          *summary_description;
  AdwActionRow      *users_row;
  AdwActionRow      *events_row;
  AdwActionRow      *profiles_row;
  AdwActionRow      *range_row;
  AdwExpanderRow    *names_row;
  AdwExpanderRow    *rejected_row;
  AdwStatusPage     *failed_page;
  GList             *expander_children;   /* rows added to the expanders */
};

G_DEFINE_FINAL_TYPE (SegImportAssistant, seg_import_assistant, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SHOW_SEGMENTS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void seg_import_assistant_update_preview (SegImportAssistant *self);

static void
seg_import_assistant_set_page (SegImportAssistant *self,
                               const char         *page)
{
  gboolean options = g_str_equal (page, "options");

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), options);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), options);
  if (g_str_equal (page, "detecting"))
    gtk_spinner_start (self->detect_spinner);
  else
    gtk_spinner_stop (self->detect_spinner);
}

/**
 * seg_import_assistant_get_page:
 *
 * Returns: the step the assistant shows: "choose", "detecting", "options", "progress",
 *   "summary" or "failed"
 */
const char *
seg_import_assistant_get_page (SegImportAssistant *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_ASSISTANT (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static void
seg_import_assistant_fail (SegImportAssistant *self,
                           const char         *title,
                           const GError       *error)
{
  g_autofree char *file_name = self->file ? g_file_get_parse_name (self->file) : NULL;
  g_autofree char *description = NULL;

  /* Translators: the first %s is a file name, the second an error message */
  description = g_strdup_printf (_("%s: %s"), file_name ? file_name : "", error->message);
  adw_status_page_set_title (self->failed_page, title);
  adw_status_page_set_description (self->failed_page, description);
  seg_import_assistant_set_page (self, "failed");
}

static void
seg_import_assistant_show_notice (SegImportAssistant *self,
                                  const char         *notice)
{
  gtk_label_set_label (self->notice_label, notice);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), notice != NULL);
}

/* Options ------------------------------------------------------------------------------- */

/**
 * seg_import_assistant_get_format_id:
 *
 * Returns: (nullable): the id of the format the file will be read as
 */
const char *
seg_import_assistant_get_format_id (SegImportAssistant *self)
{
  guint selected;

  g_return_val_if_fail (SEG_IS_IMPORT_ASSISTANT (self), NULL);

  selected = adw_combo_row_get_selected (self->format_row);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->format_ids->len)
    return NULL;

  return g_ptr_array_index (self->format_ids, selected);
}

static gboolean
format_uses_mapping (const char *id)
{
  return g_strcmp0 (id, "csv") == 0 || g_strcmp0 (id, "jsonl") == 0;
}

static const char *
selected_column (AdwComboRow *row,
                 GStrv        columns)
{
  guint selected = adw_combo_row_get_selected (row);

  /* Item 0 is "Automatic" / "None". */
  if (columns == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > g_strv_length (columns))
    return NULL;

  return columns[selected - 1];
}


/* Property Types: one row per column, Automatic or a type the whole column is read as. */
static const SegValueType column_types[] = {
  SEG_VALUE_TYPE_NONE, SEG_VALUE_TYPE_STRING, SEG_VALUE_TYPE_NUMBER,
  SEG_VALUE_TYPE_BOOLEAN, SEG_VALUE_TYPE_DATE, SEG_VALUE_TYPE_LIST,
};

static SegValueType
row_type (AdwComboRow *row)
{
  guint i = adw_combo_row_get_selected (row);

  return i < G_N_ELEMENTS (column_types) ? column_types[i] : SEG_VALUE_TYPE_NONE;
}

static void
set_row_type (AdwComboRow  *row,
              SegValueType  type)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_types); i++)
    if (column_types[i] == type)
      adw_combo_row_set_selected (row, i);
}

/* The mapping the options ask for, or NULL for the format's own reading. */
static SegImportMapping *
seg_import_assistant_build_mapping (SegImportAssistant *self)
{
  const char *user = selected_column (self->user_row, self->columns);
  const char *event = selected_column (self->event_row, self->columns);
  const char *ts = selected_column (self->ts_row, self->columns);
  SegImportMapping *mapping;

  if (!format_uses_mapping (seg_import_assistant_get_format_id (self)) || user == NULL)
    return NULL;

  mapping = seg_import_mapping_new (event != NULL ? SEG_RECORD_EVENT : SEG_RECORD_PROFILE);
  seg_import_mapping_set_user_column (mapping, user);
  if (event != NULL)
    seg_import_mapping_set_event_column (mapping, event);
  if (ts != NULL)
    seg_import_mapping_set_ts_column (mapping, ts);
  seg_import_mapping_set_ts_format (mapping,
                                    (SegTimeFormat) adw_combo_row_get_selected (self->ts_format_row),
                                    NULL);
  seg_import_mapping_set_include_unmapped (mapping, TRUE);
  for (guint i = 0; self->type_rows != NULL && i < self->type_rows->len; i++)
    {
      AdwComboRow *row = g_ptr_array_index (self->type_rows, i);
      const char *column = self->columns[i];
      SegValueType type = row_type (row);

      if (type != SEG_VALUE_TYPE_NONE && g_strcmp0 (column, user) != 0 &&
          g_strcmp0 (column, event) != 0 && g_strcmp0 (column, ts) != 0)
        seg_import_mapping_set_column (mapping, column, column, type);
    }

  return mapping;
}

static GTimeZone *
seg_import_assistant_dup_timezone (SegImportAssistant *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->timezone_row));
  GTimeZone *tz;

  if (text == NULL || text[0] == '\0')
    return g_time_zone_new_utc ();
  tz = g_time_zone_new_identifier (text);

  return tz;
}

static SegImporter *
seg_import_assistant_create_importer (SegImportAssistant  *self,
                                      GError             **error)
{
  g_autoptr(SegImporter) importer = NULL;
  g_autoptr(SegImportMapping) mapping = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *basename = g_file_get_basename (self->file);
  const char *id = seg_import_assistant_get_format_id (self);

  importer = id ? seg_importer_registry_create (id) : NULL;
  if (importer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Choose the format of the file"));
      return NULL;
    }

  tz = seg_import_assistant_dup_timezone (self);
  if (tz == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a time zone; use a name such as Europe/Berlin or UTC"),
                   gtk_editable_get_text (GTK_EDITABLE (self->timezone_row)));
      return NULL;
    }
  seg_importer_set_timezone (importer, tz);
  seg_importer_set_file_name (importer, basename);

  mapping = seg_import_assistant_build_mapping (self);
  if (mapping != NULL)
    {
      if (!seg_import_mapping_validate (mapping, error))
        return NULL;
      seg_importer_set_mapping (importer, mapping);
    }

  return g_steal_pointer (&importer);
}

static void
fill_column_row (AdwComboRow *row,
                 GStrv        columns,
                 const char  *none_label,
                 const char  *const *guesses)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint selected = 0;

  gtk_string_list_append (model, none_label);
  for (guint i = 0; columns != NULL && columns[i] != NULL; i++)
    {
      gtk_string_list_append (model, columns[i]);
      for (guint g = 0; selected == 0 && guesses[g] != NULL; g++)
        if (g_ascii_strcasecmp (columns[i], guesses[g]) == 0)
          selected = i + 1;
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (row, selected);
}

static void option_changed_cb (SegImportAssistant *self);

static void
fill_type_rows (SegImportAssistant *self)
{
  for (guint i = 0; self->type_rows != NULL && i < self->type_rows->len; i++)
    adw_preferences_group_remove (self->types_group, g_ptr_array_index (self->type_rows, i));
  g_clear_pointer (&self->type_rows, g_ptr_array_unref);
  self->type_rows = g_ptr_array_new ();
  for (guint i = 0; self->columns != NULL && self->columns[i] != NULL; i++)
    {
      GtkWidget *row = adw_combo_row_new ();
      g_autoptr(GtkStringList) model = gtk_string_list_new ((const char * const[]) {
        _("Automatic"), _("Text"), _("Number"), _("True/false"), _("Date"), _("List"), NULL });

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), self->columns[i]);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
      g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (option_changed_cb), self);
      adw_preferences_group_add (self->types_group, row);
      g_ptr_array_add (self->type_rows, row);
    }
}

static gboolean select_column (AdwComboRow *row,
                               GStrv        columns,
                               const char  *column);

static void
mapping_message (SegImportAssistant *self,
                 const char         *text)
{
  g_free (self->mapping_note);
  self->mapping_note = g_strdup (text);
  adw_preferences_group_set_description (self->mapping_group, text);
}

static int
cmp_strings (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Saved mappings: one JSON file (the format segctl --mapping reads) per set of columns,
 * in the user data folder; a file with the same columns gets it back. */
static char *
saved_mapping_path (SegImportAssistant *self)
{
  g_autoptr(GString) key = g_string_new (seg_import_assistant_get_format_id (self));
  g_autofree char *digest = NULL;
  g_auto(GStrv) sorted = g_strdupv (self->columns);
  g_autofree char *name = NULL;

  qsort (sorted, g_strv_length (sorted), sizeof (char *), cmp_strings);
  for (guint i = 0; sorted[i] != NULL; i++)
    g_string_append_printf (key, "\n%s", sorted[i]);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key->str, -1);
  name = g_strdup_printf ("%.16s.json", digest);
  return g_build_filename (g_get_user_data_dir (), "segment-studio", "mappings", name, NULL);
}

typedef struct
{
  SegImportAssistant *self;
  char               *path;
  char               *json;
} MappingIo;

static void
mapping_io_free (MappingIo *io)
{
  g_clear_object (&io->self);
  g_free (io->path);
  g_free (io->json);
  g_free (io);
}

static void
saved_mapping_loaded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  MappingIo *io = user_data;
  SegImportAssistant *self = io->self;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SegImportMapping) mapping = NULL;
  const char * const *users;

  if (!g_file_load_contents_finish (G_FILE (source), result, &text, NULL, NULL, NULL))
    goto out;   /* none saved (or the file changed meanwhile) */
  /* Still the same columns? */
  path = self->columns != NULL ? saved_mapping_path (self) : NULL;
  if (g_strcmp0 (path, io->path) != 0)
    goto out;
  mapping = seg_import_mapping_new_from_json (text, NULL);
  if (mapping == NULL)
    goto out;
  self->updating = TRUE;
  users = seg_import_mapping_get_user_columns (mapping);
  select_column (self->user_row, self->columns, users != NULL ? users[0] : NULL);
  select_column (self->event_row, self->columns, seg_import_mapping_get_event_column (mapping));
  select_column (self->ts_row, self->columns, seg_import_mapping_get_ts_column (mapping));
  adw_combo_row_set_selected (self->ts_format_row, (guint) seg_import_mapping_get_ts_format (mapping));
  for (guint i = 0; i < self->type_rows->len; i++)
    {
      const char *property = NULL;
      SegValueType type = SEG_VALUE_TYPE_NONE;

      if (seg_import_mapping_lookup_column (mapping, self->columns[i], &property, &type))
        set_row_type (g_ptr_array_index (self->type_rows, i), type);
    }
  self->updating = FALSE;
  mapping_message (self, _("The mapping saved for files with these columns is used."));

out:
  mapping_io_free (io);
}

/* Looks for a mapping saved for these columns, off the UI thread. */
static void
apply_saved_mapping (SegImportAssistant *self)
{
  MappingIo *io = g_new0 (MappingIo, 1);
  g_autoptr(GFile) file = NULL;

  g_clear_pointer (&self->mapping_note, g_free);
  adw_preferences_group_set_description (self->mapping_group,
                                         _("Which column names the user, the event and its time. Every other "
                                           "column becomes a property, its type guessed from its values unless "
                                           "you choose it under Property Types."));
  io->self = g_object_ref (self);
  io->path = saved_mapping_path (self);
  file = g_file_new_for_path (io->path);
  if (self->mapping_cancellable != NULL)
    g_cancellable_cancel (self->mapping_cancellable);
  g_clear_object (&self->mapping_cancellable);
  self->mapping_cancellable = g_cancellable_new ();
  g_file_load_contents_async (file, self->mapping_cancellable, saved_mapping_loaded_cb, io);
}

static void
save_mapping_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  MappingIo *io = task_data;
  g_autofree char *dir = g_path_get_dirname (io->path);
  GError *error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errsv),
                               "%s: %s", dir, g_strerror (errsv));
      return;
    }
  if (!g_file_set_contents (io->path, io->json, -1, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
mapping_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SegImportAssistant *self = SEG_IMPORT_ASSISTANT (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *text = g_strdup_printf (_("The mapping could not be saved: %s"), error->message);
      mapping_message (self, text);
      return;
    }
  mapping_message (self, _("Mapping saved: files with these columns will use it."));
}

static void
save_mapping_clicked_cb (SegImportAssistant *self)
{
  g_autoptr(SegImportMapping) mapping = seg_import_assistant_build_mapping (self);
  g_autoptr(GTask) task = NULL;
  MappingIo *io;

  if (mapping == NULL)
    {
      mapping_message (self, _("Choose the user column first"));
      return;
    }
  io = g_new0 (MappingIo, 1);
  io->path = saved_mapping_path (self);
  io->json = seg_import_mapping_to_json (mapping);
  task = g_task_new (self, NULL, mapping_saved_cb, NULL);
  g_task_set_source_tag (task, save_mapping_clicked_cb);
  g_task_set_task_data (task, io, (GDestroyNotify) mapping_io_free);
  g_task_run_in_thread (task, save_mapping_thread);
}


/**
 * seg_import_assistant_get_mapping_note:
 * Returns: (nullable): why the mapping is what it is (a saved one was applied)
 */
const char *
seg_import_assistant_get_mapping_note (SegImportAssistant *self)
{
  return self->mapping_note;
}

/**
 * seg_import_assistant_set_column_type:
 *
 * Reads the whole column @column as @type, as its row under Property Types does.
 */
gboolean
seg_import_assistant_set_column_type (SegImportAssistant *self,
                                      const char         *column,
                                      SegValueType        type)
{
  for (guint i = 0; self->columns != NULL && self->columns[i] != NULL; i++)
    if (g_str_equal (self->columns[i], column))
      {
        set_row_type (g_ptr_array_index (self->type_rows, i), type);
        return TRUE;
      }
  return FALSE;
}

/**
 * seg_import_assistant_save_mapping:
 *
 * Saves the mapping for files with these columns, as Save Mapping does (in the
 * background: the mapping note says when it is done).
 */
void
seg_import_assistant_save_mapping (SegImportAssistant *self)
{
  save_mapping_clicked_cb (self);
}

static void
seg_import_assistant_update_mapping_rows (SegImportAssistant *self)
{
  static const char *const user_guesses[] = { "user_id", "userId", "distinct_id", "identity",
                                              "user", "customer_id", "email", NULL };
  static const char *const event_guesses[] = { "event", "event_name", "eventName",
                                               "event_type", "action", NULL };
  static const char *const ts_guesses[] = { "ts", "timestamp", "time", "event_time",
                                            "date", "created_at", NULL };
  gboolean mapping = format_uses_mapping (seg_import_assistant_get_format_id (self));

  gtk_widget_set_visible (GTK_WIDGET (self->mapping_group), mapping && self->columns != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->types_group), mapping && self->columns != NULL);
  self->updating = TRUE;
  fill_column_row (self->user_row, self->columns, _("Automatic"), user_guesses);
  fill_column_row (self->event_row, self->columns, _("None (profiles)"), event_guesses);
  fill_column_row (self->ts_row, self->columns, _("None"), ts_guesses);
  fill_type_rows (self);
  self->updating = FALSE;
  if (mapping && self->columns != NULL)
    apply_saved_mapping (self);
}

static void
option_changed_cb (SegImportAssistant *self)
{
  if (self->updating || self->file == NULL)
    return;
  seg_import_assistant_update_preview (self);
}

static void
format_changed_cb (SegImportAssistant *self)
{
  if (self->updating || self->file == NULL)
    return;
  seg_import_assistant_update_mapping_rows (self);
  seg_import_assistant_update_preview (self);
}

/**
 * seg_import_assistant_select_format:
 * @format_id: a format id of the importer registry, such as "csv"
 *
 * Overrides the detected format.
 *
 * Returns: whether @format_id is a known format
 */
gboolean
seg_import_assistant_select_format (SegImportAssistant *self,
                                    const char         *format_id)
{
  guint index;

  g_return_val_if_fail (SEG_IS_IMPORT_ASSISTANT (self), FALSE);

  if (!g_ptr_array_find_with_equal_func (self->format_ids, format_id, g_str_equal, &index))
    return FALSE;
  adw_combo_row_set_selected (self->format_row, index);

  return TRUE;
}

static gboolean
select_column (AdwComboRow *row,
               GStrv        columns,
               const char  *column)
{
  if (column == NULL)
    {
      adw_combo_row_set_selected (row, 0);
      return TRUE;
    }
  for (guint i = 0; columns != NULL && columns[i] != NULL; i++)
    if (g_str_equal (columns[i], column))
      {
        adw_combo_row_set_selected (row, i + 1);
        return TRUE;
      }

  return FALSE;
}

/**
 * seg_import_assistant_set_columns:
 * @user_column: (nullable): the column of the user id; %NULL for the format's own reading
 * @event_column: (nullable): the column of the event name; %NULL for profiles
 * @ts_column: (nullable): the column of the time
 *
 * Sets the mapping of a generic CSV or JSON lines file, as its Columns rows do.
 */
void
seg_import_assistant_set_columns (SegImportAssistant *self,
                                  const char         *user_column,
                                  const char         *event_column,
                                  const char         *ts_column,
                                  SegTimeFormat       ts_format)
{
  g_return_if_fail (SEG_IS_IMPORT_ASSISTANT (self));

  self->updating = TRUE;
  if (!select_column (self->user_row, self->columns, user_column) ||
      !select_column (self->event_row, self->columns, event_column) ||
      !select_column (self->ts_row, self->columns, ts_column))
    g_warning ("The file has no such column");
  if (ts_format <= SEG_TIME_FORMAT_CLEVERTAP)
    adw_combo_row_set_selected (self->ts_format_row, ts_format);
  self->updating = FALSE;
  seg_import_assistant_update_preview (self);
}

void
seg_import_assistant_set_policy (SegImportAssistant *self,
                                 SegImportPolicy     policy)
{
  g_return_if_fail (SEG_IS_IMPORT_ASSISTANT (self));

  adw_combo_row_set_selected (self->policy_row, policy == SEG_IMPORT_POLICY_STOP ? 1 : 0);
}

void
seg_import_assistant_set_timezone (SegImportAssistant *self,
                                   const char         *timezone)
{
  g_return_if_fail (SEG_IS_IMPORT_ASSISTANT (self));

  gtk_editable_set_text (GTK_EDITABLE (self->timezone_row), timezone ? timezone : "");
}

/* Preview ------------------------------------------------------------------------------- */

static void
clear_list_box (GtkListBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_list_box_remove (box, child);
}

static char *
describe_properties (JsonObject *props)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) members = props ? json_object_get_members (props) : NULL;
  guint n = 0;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (props, l->data);
      g_autofree char *value = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        value = g_strdup (json_node_get_string (node));
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          /* 47.99, not 47.990000000000002 */
          value = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.12g", json_node_get_double (node)));
        }
      else
        value = json_to_string (node, FALSE);
      if (n++ > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s = %s", (const char *) l->data, value);
      if (n == 6)
        {
          g_string_append (text, ", …");
          break;
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
preview_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SegImportAssistant) self = user_data;
  g_autoptr(JsonNode) preview = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object = NULL;
  JsonArray *array = NULL;
  JsonArray *bad_rows = NULL;

  preview = seg_import_preview_finish (SEG_IMPORTER (source), result, &error);
  if (preview != NULL && JSON_NODE_HOLDS_OBJECT (preview))
    object = json_node_get_object (preview);
  if (object != NULL && json_object_has_member (object, "records"))
    array = json_object_get_array_member (object, "records");
  if (object != NULL && json_object_has_member (object, "bad_rows"))
    bad_rows = json_object_get_array_member (object, "bad_rows");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  clear_list_box (self->preview_list);
  self->n_preview = 0;
  if (array == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      g_debug ("No preview: %s", error ? error->message : "not an array");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("The file cannot be read this way"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error ? error->message : "");
      gtk_widget_add_css_class (row, "error");
      gtk_list_box_append (self->preview_list, row);
      gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
      return;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *record = json_array_get_object_element (array, i);
      GtkWidget *row = adw_action_row_new ();
      const char *kind = json_object_get_string_member_with_default (record, "kind", "event");
      const char *user = json_object_get_string_member_with_default (record, "user_id", "");
      const char *event = json_object_get_string_member_with_default (record, "event", NULL);
      const char *ts = json_object_get_string_member_with_default (record, "ts", "");
      JsonObject *props = json_object_has_member (record, "properties")
                          ? json_object_get_object_member (record, "properties") : NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *props_text = describe_properties (props);

      if (g_str_equal (kind, "profile"))
        /* Translators: %s is a user id */
        title = g_strdup_printf (_("Profile of %s"), user);
      else
        /* Translators: an event name, then a user id */
        title = g_strdup_printf (_("%s by %s"), event ? event : "", user);
      subtitle = props_text[0] ? g_strdup_printf ("%s · %s", ts, props_text) : g_strdup (ts);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_list_box_append (self->preview_list, row);
      self->n_preview++;
    }
  for (guint i = 0; bad_rows != NULL && i < json_array_get_length (bad_rows) && i < 3; i++)
    {
      JsonObject *bad = json_array_get_object_element (bad_rows, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;

      /* Translators: %d is a line number of the file */
      title = g_strdup_printf (_("Line %d would be rejected"),
                               (int) json_object_get_int_member_with_default (bad, "line", 0));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   json_object_get_string_member_with_default (bad, "reason", ""));
      gtk_widget_add_css_class (row, "error");
      gtk_list_box_append (self->preview_list, row);
    }
  if (self->n_preview == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No records found at the start of the file"));
      gtk_list_box_append (self->preview_list, row);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), self->n_preview > 0);
}

/**
 * seg_import_assistant_get_n_preview:
 *
 * Returns: how many records the preview shows
 */
guint
seg_import_assistant_get_n_preview (SegImportAssistant *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_ASSISTANT (self), 0);

  return self->n_preview;
}

static void
seg_import_assistant_update_preview (SegImportAssistant *self)
{
  g_autoptr(SegImporter) importer = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->file_cancellable);
  g_clear_object (&self->file_cancellable);
  self->file_cancellable = g_cancellable_new ();

  importer = seg_import_assistant_create_importer (self, &error);
  clear_list_box (self->preview_list);
  self->n_preview = 0;
  if (importer == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      g_debug ("Cannot preview: %s", error->message);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error->message);
      gtk_widget_add_css_class (row, "error");
      gtk_list_box_append (self->preview_list, row);
      gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
  seg_import_preview_async (importer, self->file, N_PREVIEW, self->file_cancellable,
                            preview_cb, g_object_ref (self));
}

/* Detection ----------------------------------------------------------------------------- */

typedef struct
{
  char   *format_id;
  GStrv   columns;
  guint64 size;
} Detection;

static void
detection_free (Detection *d)
{
  g_free (d->format_id);
  g_strfreev (d->columns);
  g_free (d);
}

static void
detect_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(SegImporter) importer = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  Detection *d;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  d = g_new0 (Detection, 1);
  d->size = g_file_info_get_size (info);
  importer = seg_import_detect (file, cancellable, &error);
  if (importer != NULL)
    d->format_id = g_strdup (seg_importer_get_id (importer));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      detection_free (d);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* An unknown format is not the end: the user may choose one. */
  d->columns = seg_import_list_columns (file, cancellable, NULL);

  g_task_return_pointer (task, d, (GDestroyNotify) detection_free);
}

static void
detect_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SegImportAssistant *self = SEG_IMPORT_ASSISTANT (source);
  g_autoptr(GError) error = NULL;
  Detection *d;
  g_autofree char *size = NULL;
  g_autofree char *subtitle = NULL;

  d = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (d == NULL)
    {
      seg_import_assistant_fail (self, _("The File Could Not Be Read"), error);
      return;
    }

  g_clear_pointer (&self->columns, g_strfreev);
  self->columns = g_steal_pointer (&d->columns);

  size = g_format_size (d->size);
  self->updating = TRUE;
  if (d->format_id == NULL || !seg_import_assistant_select_format (self, d->format_id))
    {
      /* Translators: %s is a file size */
      subtitle = g_strdup_printf (_("%s · format not recognised, choose it below"), size);
      adw_combo_row_set_selected (self->format_row, GTK_INVALID_LIST_POSITION);
    }
  else
    /* Translators: %s is a file size */
    subtitle = g_strdup_printf (_("%s · format detected"), size);
  self->updating = FALSE;
  adw_action_row_set_subtitle (self->file_row, subtitle);

  seg_import_assistant_update_mapping_rows (self);
  seg_import_assistant_set_page (self, "options");
  seg_import_assistant_update_preview (self);
  detection_free (d);
}

/**
 * seg_import_assistant_set_file:
 * @file: the file to import
 *
 * Reads the start of @file (off the UI thread) to detect its format and columns, then shows
 * the options page with a preview.
 */
void
seg_import_assistant_set_file (SegImportAssistant *self,
                               GFile              *file)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *basename = NULL;

  g_return_if_fail (SEG_IS_IMPORT_ASSISTANT (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->import_cancellable != NULL)
    return;   /* importing: the file cannot change under it */

  g_set_object (&self->file, file);
  g_clear_object (&self->summary);
  g_cancellable_cancel (self->file_cancellable);
  g_clear_object (&self->file_cancellable);
  self->file_cancellable = g_cancellable_new ();

  basename = g_file_get_basename (file);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), basename);
  adw_window_title_set_subtitle (self->window_title, basename);
  seg_import_assistant_show_notice (self, NULL);
  seg_import_assistant_set_page (self, "detecting");

  task = g_task_new (self, self->file_cancellable, detect_cb, NULL);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, detect_thread);
}

/**
 * seg_import_assistant_get_file:
 *
 * Returns: (transfer none) (nullable): the file to import
 */
GFile *
seg_import_assistant_get_file (SegImportAssistant *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_ASSISTANT (self), NULL);

  return self->file;
}

static void
file_chosen_cb (GtkNativeDialog    *dialog,
                int                 response,
                SegImportAssistant *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        seg_import_assistant_set_file (self, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_clicked_cb (SegImportAssistant *self)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;

  /* Under Flatpak this is the file chooser portal: the app sees only the chosen file. */
  chooser = gtk_file_chooser_native_new (_("Choose a File to Import"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Data exports and logs"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_suffix (filter, "jsonl");
  gtk_file_filter_add_suffix (filter, "ndjson");
  gtk_file_filter_add_suffix (filter, "log");
  gtk_file_filter_add_suffix (filter, "gz");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);

  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
back_clicked_cb (SegImportAssistant *self)
{
  g_cancellable_cancel (self->file_cancellable);
  seg_import_assistant_set_page (self, "choose");
}

/* Import -------------------------------------------------------------------------------- */

static void
progress_cb (SegImport          *import,
             guint64             rows,
             guint64             bytes,
             guint64             total_bytes,
             double              rate,
             double              seconds_left,
             SegImportAssistant *self)
{
  g_autofree char *done = g_format_size (bytes);
  g_autofree char *total = g_format_size (total_bytes);
  g_autofree char *text = NULL;
  g_autofree char *left = NULL;

  if (total_bytes > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) bytes / total_bytes));
  else
    gtk_progress_bar_pulse (self->progress_bar);

  if (seconds_left >= 0 && rate > 0)
    left = seconds_left < 60 ? g_strdup_printf (_("%.0f s left"), seconds_left)
                             : g_strdup_printf (_("%.0f min left"), seconds_left / 60);
  /* Translators: rows read, bytes read of the total, rows per second, time left */
  {
    g_autofree char *rows_text = seg_format_count (rows);
    g_autofree char *rate_text = seg_format_count ((guint64) MAX (rate, 0));

    text = g_strdup_printf (_("%s rows · %s of %s · %s rows/s%s%s"),
                            rows_text, done, total, rate_text, left ? " · " : "",
                            left ? left : "");
  }
  gtk_label_set_label (self->progress_label, text);
}

static char *
format_time (gint64     ms,
             GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) dt = utc ? g_date_time_to_timezone (utc, tz) : NULL;

  /* Not %x %X: under the C locale that is the ambiguous US 05/01/24. */
  /* TRANSLATORS: first/last event time of an import, see g_date_time_format() */
  return dt ? g_date_time_format (dt, _("%-d %b %Y, %H:%M")) : g_strdup ("?");
}

static char *
format_count (guint64 n)
{
  return seg_format_count (n);
}

/* The value of a summary row, at its end where the eye looks for numbers. */
static void
set_row_value (AdwActionRow *row,
               const char   *value)
{
  GtkLabel *label = g_object_get_data (G_OBJECT (row), "value-label");

  if (label == NULL)
    {
      label = GTK_LABEL (gtk_label_new (NULL));
      gtk_widget_add_css_class (GTK_WIDGET (label), "numeric");
      gtk_widget_add_css_class (GTK_WIDGET (label), "heading");
      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_xalign (label, 1.0);
      adw_action_row_add_suffix (row, GTK_WIDGET (label));
      g_object_set_data (G_OBJECT (row), "value-label", label);
    }
  gtk_label_set_label (label, value);
}

static void
expander_add (SegImportAssistant *self,
              AdwExpanderRow     *expander,
              const char         *title,
              const char         *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_expander_row_add_row (expander, row);
  self->expander_children = g_list_prepend (self->expander_children,
                                            g_object_ref (row));
}

static void
clear_expanders (SegImportAssistant *self)
{
  for (GList *l = self->expander_children; l != NULL; l = l->next)
    {
      GtkWidget *row = l->data;
      GtkWidget *parent = gtk_widget_get_ancestor (row, ADW_TYPE_EXPANDER_ROW);

      if (parent != NULL)
        adw_expander_row_remove (ADW_EXPANDER_ROW (parent), row);
    }
  g_list_free_full (g_steal_pointer (&self->expander_children), g_object_unref);
}

static void
seg_import_assistant_show_summary (SegImportAssistant *self)
{
  SegImportSummary *summary = self->summary;
  g_auto(GStrv) names = seg_import_summary_dup_event_names (summary);
  GPtrArray *bad_rows = seg_import_summary_get_bad_rows (summary);
  GTimeZone *tz = seg_store_get_timezone (self->store);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gint64 first_ms, last_ms;
  g_autofree char *users = format_count (seg_import_summary_get_users (summary));
  g_autofree char *events = format_count (seg_import_summary_get_events (summary));
  g_autofree char *profiles = format_count (seg_import_summary_get_profiles (summary));
  g_autofree char *rejected = format_count (seg_import_summary_get_rejected (summary));
  g_autofree char *description = NULL;
  g_autofree char *rows = format_count (seg_import_summary_get_rows_read (summary));
  g_autofree char *n_names = NULL;
  guint shown = 0;

  clear_expanders (self);

  if (seg_import_summary_get_already_imported (summary))
    {
      gtk_image_set_from_icon_name (self->summary_icon, "emblem-default-symbolic");
      gtk_label_set_label (self->summary_title, _("Already Imported"));
      description = g_strdup (_("This file was imported before, so nothing was added. "
                                "Here is what it holds."));
    }
  else
    {
      gtk_image_set_from_icon_name (self->summary_icon, "emblem-ok-symbolic");
      gtk_label_set_label (self->summary_title, _("Import Complete"));
      /* Translators: %s is a number of rows, %.1f seconds */
      g_autoptr(SegImporter) importer =
        seg_importer_registry_create (seg_import_summary_get_format_id (summary));

      description = g_strdup_printf (_("%s rows read in %.1f s, as %s"), rows,
                                     seg_import_summary_get_seconds (summary),
                                     importer ? seg_importer_get_name (importer)
                                              : seg_import_summary_get_format_id (summary));
    }
  gtk_label_set_label (self->summary_description, description);

  set_row_value (self->users_row, users);
  set_row_value (self->events_row, events);
  set_row_value (self->profiles_row, profiles);
  if (seg_import_summary_get_date_range (summary, &first_ms, &last_ms))
    {
      g_autofree char *first = format_time (first_ms, tz ? tz : utc);
      g_autofree char *last = format_time (last_ms, tz ? tz : utc);
      g_autofree char *range = g_strdup_printf (_("%s to %s"), first, last);

      set_row_value (self->range_row, range);
    }
  else
    set_row_value (self->range_row, _("No events"));

  n_names = format_count (names ? g_strv_length (names) : 0);
  adw_expander_row_set_subtitle (self->names_row, n_names);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *count = format_count (seg_import_summary_get_event_count (summary,
                                                                                 names[i]));
      expander_add (self, self->names_row, names[i], count);
    }
  adw_expander_row_set_enable_expansion (self->names_row, names != NULL && names[0] != NULL);

  adw_expander_row_set_subtitle (self->rejected_row, rejected);
  for (guint i = 0; bad_rows != NULL && i < bad_rows->len && shown < MAX_REJECTED_SHOWN; i++, shown++)
    {
      SegImportBadRow *bad = g_ptr_array_index (bad_rows, i);
      g_autofree char *where = g_strdup_printf (_("Line %" G_GUINT64_FORMAT), bad->line);

      expander_add (self, self->rejected_row, where, bad->reason);
    }
  adw_expander_row_set_enable_expansion (self->rejected_row, shown > 0);

  adw_window_title_set_subtitle (self->window_title, seg_import_summary_get_file_name (summary));
  seg_import_assistant_set_page (self, "summary");
}

static void
list_saved_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SegImportAssistant) self = user_data;
  g_autoptr(SegSegment) segment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  segment = seg_store_save_segment_finish (SEG_STORE (source), result, &error);
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  if (segment == NULL)
    /* Translators: %s is an error message */
    text = g_strdup_printf (_("The list could not be saved as a segment: %s"), error->message);
  else
    {
      g_set_object (&self->list_segment, segment);
      /* Translators: %s is the name of a segment */
      text = g_strdup_printf (_("Saved as the custom list segment “%s”."),
                              seg_segment_get_name (segment));
    }
  gtk_label_set_label (self->summary_description, text);
}

/* A CleverTap Custom List (Type,Identity) becomes a custom-list segment of its users. */
static void
seg_import_assistant_save_list (SegImportAssistant *self)
{
  GPtrArray *ids = seg_import_summary_get_identities (self->summary);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SegDefinition) definition = NULL;
  g_autoptr(SegSegment) segment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_file_get_basename (self->file);
  char *dot = strrchr (basename, '.');

  if (dot != NULL && dot != basename)
    *dot = '\0';

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, "custom-list");
  json_builder_set_member_name (b, "users");
  json_builder_begin_array (b);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (ids, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  definition = seg_definition_new_from_node (root, &error);
  if (definition == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The list could not be saved as a segment: %s"),
                                               error->message);

      gtk_label_set_label (self->summary_description, text);
      return;
    }
  segment = seg_segment_new (NULL, basename, definition);
  seg_segment_set_kind (segment, SEG_SEGMENT_KIND_CUSTOM_LIST);
  seg_segment_set_description (segment, _("Imported from a CleverTap custom list"));
  seg_store_save_segment_async (self->store, segment, NULL, list_saved_cb, g_object_ref (self));
}

/**
 * seg_import_assistant_get_list_segment:
 *
 * Returns: (transfer none) (nullable): the custom-list segment saved from a Custom List
 *   file, once saved
 */
SegSegment *
seg_import_assistant_get_list_segment (SegImportAssistant *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_ASSISTANT (self), NULL);

  return self->list_segment;
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SegImportAssistant) self = user_data;
  g_autoptr(SegImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = seg_import_run_finish (SEG_IMPORT (source), result, &error);
  g_signal_handlers_disconnect_by_func (source, progress_cb, self);
  g_clear_object (&self->import);
  g_clear_object (&self->import_cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->format_row), TRUE);

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  if (summary == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          seg_import_assistant_show_notice (self, _("Import cancelled: nothing was added, "
                                                    "the store is as it was before."));
          seg_import_assistant_set_page (self, "options");
        }
      else
        seg_import_assistant_fail (self, _("The File Could Not Be Imported"), error);
      return;
    }

  g_set_object (&self->summary, summary);
  seg_import_assistant_show_summary (self);

  if (!seg_import_summary_get_already_imported (summary) &&
      seg_import_summary_get_identities (summary) != NULL &&
      seg_import_summary_get_identities (summary)->len > 0)
    seg_import_assistant_save_list (self);
}

static void
begin_write_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  SegStoreWriter *writer;

  /* May wait for the store's lock; never on the UI thread. */
  writer = seg_store_begin_write (task_data, &error);
  if (writer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, writer, g_object_unref);
}

static void
writer_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SegImportAssistant *self = SEG_IMPORT_ASSISTANT (source);
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(SegImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  SegImportMapping *mapping;

  writer = g_task_propagate_pointer (G_TASK (result), &error);
  if (writer == NULL)
    {
      g_clear_object (&self->import_cancellable);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          seg_import_assistant_show_notice (self, _("Import cancelled: nothing was added, "
                                                    "the store is as it was before."));
          seg_import_assistant_set_page (self, "options");
        }
      else
        seg_import_assistant_fail (self, _("The Store Cannot Be Written"), error);
      return;
    }

  importer = seg_import_assistant_create_importer (self, &error);
  if (importer == NULL)
    {
      seg_store_writer_abort (writer);
      g_clear_object (&self->import_cancellable);
      seg_import_assistant_fail (self, _("The File Could Not Be Imported"), error);
      return;
    }

  self->import = seg_import_new (self->file, writer);
  seg_import_set_importer (self->import, importer);
  tz = seg_import_assistant_dup_timezone (self);
  seg_import_set_timezone (self->import, tz);
  mapping = seg_importer_get_mapping (importer);
  if (mapping != NULL)
    seg_import_set_mapping (self->import, mapping);
  seg_import_set_policy (self->import, adw_combo_row_get_selected (self->policy_row) == 1
                                       ? SEG_IMPORT_POLICY_STOP : SEG_IMPORT_POLICY_SKIP);
  g_signal_connect (self->import, "progress", G_CALLBACK (progress_cb), self);
  seg_import_run_async (self->import, self->import_cancellable, import_done_cb,
                        g_object_ref (self));
}

/**
 * seg_import_assistant_start:
 *
 * Starts importing the file with the chosen options (the Import button).
 *
 * Returns: whether the import started
 */
gboolean
seg_import_assistant_start (SegImportAssistant *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SegImporter) importer = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SEG_IS_IMPORT_ASSISTANT (self), FALSE);

  if (self->file == NULL || self->import_cancellable != NULL)
    return FALSE;

  importer = seg_import_assistant_create_importer (self, &error);
  if (importer == NULL)
    {
      seg_import_assistant_show_notice (self, error->message);
      return FALSE;
    }

  g_cancellable_cancel (self->file_cancellable);
  g_clear_object (&self->summary);
  self->import_cancellable = g_cancellable_new ();
  seg_import_assistant_show_notice (self, NULL);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_label (self->progress_label, _("Starting…"));
  seg_import_assistant_set_page (self, "progress");

  task = g_task_new (self, self->import_cancellable, writer_ready_cb, NULL);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, begin_write_thread);

  return TRUE;
}

/**
 * seg_import_assistant_cancel:
 *
 * Cancels a running import (the Cancel button): the store stays as it was.
 */
void
seg_import_assistant_cancel (SegImportAssistant *self)
{
  g_return_if_fail (SEG_IS_IMPORT_ASSISTANT (self));

  g_cancellable_cancel (self->import_cancellable);
}

/**
 * seg_import_assistant_get_summary:
 *
 * Returns: (transfer none) (nullable): the summary of the finished import
 */
SegImportSummary *
seg_import_assistant_get_summary (SegImportAssistant *self)
{
  g_return_val_if_fail (SEG_IS_IMPORT_ASSISTANT (self), NULL);

  return self->summary;
}

static void
import_clicked_cb (SegImportAssistant *self)
{
  seg_import_assistant_start (self);
}

static void
cancel_clicked_cb (SegImportAssistant *self)
{
  seg_import_assistant_cancel (self);
}

static gboolean
import_shortcut_cb (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  SegImportAssistant *self = SEG_IMPORT_ASSISTANT (widget);

  if (g_strcmp0 (seg_import_assistant_get_page (self), "options") != 0 ||
      !gtk_widget_get_sensitive (GTK_WIDGET (self->import_button)))
    return FALSE;

  return seg_import_assistant_start (self);
}

static void
show_segments_clicked_cb (SegImportAssistant *self)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_SEGMENTS], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
seg_import_assistant_close_request (GtkWindow *window)
{
  SegImportAssistant *self = SEG_IMPORT_ASSISTANT (window);

  /* Closing during an import cancels it; the store stays as it was. */
  g_cancellable_cancel (self->import_cancellable);
  g_cancellable_cancel (self->file_cancellable);

  return GTK_WINDOW_CLASS (seg_import_assistant_parent_class)->close_request (window);
}

/* Type ---------------------------------------------------------------------------------- */

/**
 * seg_import_assistant_new:
 * @parent: (nullable): the window the assistant is over
 * @store: the store to import into
 *
 * Returns: (transfer none): a new assistant, on its first page
 */
SegImportAssistant *
seg_import_assistant_new (GtkWindow *parent,
                          SegStore  *store)
{
  SegImportAssistant *self;

  g_return_val_if_fail (SEG_IS_STORE (store), NULL);

  self = g_object_new (SEG_TYPE_IMPORT_ASSISTANT,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);

  return self;
}

static void
seg_import_assistant_dispose (GObject *object)
{
  SegImportAssistant *self = SEG_IMPORT_ASSISTANT (object);

  g_cancellable_cancel (self->file_cancellable);
  g_cancellable_cancel (self->import_cancellable);
  if (self->mapping_cancellable != NULL)
    g_cancellable_cancel (self->mapping_cancellable);
  clear_expanders (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEG_TYPE_IMPORT_ASSISTANT);

  G_OBJECT_CLASS (seg_import_assistant_parent_class)->dispose (object);
}

static void
seg_import_assistant_finalize (GObject *object)
{
  SegImportAssistant *self = SEG_IMPORT_ASSISTANT (object);

  g_clear_pointer (&self->type_rows, g_ptr_array_unref);
  g_free (self->mapping_note);

  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_pointer (&self->format_ids, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_strfreev);
  g_clear_object (&self->file_cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->mapping_cancellable);
  g_clear_object (&self->import);
  g_clear_object (&self->summary);
  g_clear_object (&self->list_segment);

  G_OBJECT_CLASS (seg_import_assistant_parent_class)->finalize (object);
}

static void
seg_import_assistant_class_init (SegImportAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = seg_import_assistant_dispose;
  object_class->finalize = seg_import_assistant_finalize;
  window_class->close_request = seg_import_assistant_close_request;

  /**
   * SegImportAssistant::show-segments:
   *
   * The user asked to see the segments after an import.
   */
  signals[SIGNAL_SHOW_SEGMENTS] =
    g_signal_new ("show-segments", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/import/seg-import-assistant.ui");
  /* Ctrl+Return imports, from the options step. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                import_shortcut_cb, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, SegImportAssistant, name)
  BIND (window_title);
  BIND (back_button);
  BIND (import_button);
  BIND (stack);
  BIND (detect_spinner);
  BIND (notice_label);
  BIND (types_group);
  BIND (save_mapping_button);
  BIND (file_row);
  BIND (format_row);
  BIND (mapping_group);
  BIND (user_row);
  BIND (event_row);
  BIND (ts_row);
  BIND (ts_format_row);
  BIND (timezone_row);
  BIND (policy_row);
  BIND (preview_list);
  BIND (progress_page);
  BIND (progress_bar);
  BIND (progress_label);
  BIND (summary_icon);
  BIND (summary_title);
  BIND (summary_description);
  BIND (users_row);
  BIND (events_row);
  BIND (profiles_row);
  BIND (range_row);
  BIND (names_row);
  BIND (rejected_row);
  BIND (failed_page);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_mapping_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_segments_clicked_cb);
}

static void
seg_import_assistant_init (SegImportAssistant *self)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  const char *local_id = g_time_zone_get_identifier (local);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->format_ids = g_ptr_array_new_with_free_func (g_free);
  ids = seg_importer_registry_list_ids ();
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(SegImporter) importer = seg_importer_registry_create (ids->pdata[i]);

      g_ptr_array_add (self->format_ids, g_strdup (ids->pdata[i]));
      gtk_string_list_append (names, seg_importer_get_name (importer));
    }
  self->updating = TRUE;
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (names));
  self->updating = FALSE;

  /* A time zone name such as Europe/Berlin; "UTC" when this computer's has none. */
  gtk_editable_set_text (GTK_EDITABLE (self->timezone_row),
                         local_id != NULL && g_strcmp0 (local_id, "Local") != 0 &&
                         strchr (local_id, ':') == NULL ? local_id : "UTC");

  g_signal_connect_swapped (self->format_row, "notify::selected",
                            G_CALLBACK (format_changed_cb), self);
  g_signal_connect_swapped (self->user_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->event_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->ts_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->ts_format_row, "notify::selected",
                            G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->timezone_row, "apply",
                            G_CALLBACK (option_changed_cb), self);
  adw_entry_row_set_show_apply_button (self->timezone_row, TRUE);

  seg_import_assistant_set_page (self, "choose");
}
