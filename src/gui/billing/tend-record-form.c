/* tend-record-form.c: rows that edit a record's fields, with a list of records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The billing editors share this: each field gets a row (an entry, a combo
 * or a switch), a list shows the records to pick one to edit, and saving
 * parses every row first, then validates the record, then saves it in one
 * go.  A problem is shown on its row (the "error" style and the message
 * under the group) and nothing is saved.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-date-row.h"
#include "tend-record-form.h"

typedef struct
{
  char          *field;
  char          *title;
  TendFormKind   kind;
  GtkWidget     *row;
  GtkWidget     *toggle;   /* TEND_FORM_SWITCH: the switch */
  GStrv          values;   /* TEND_FORM_CHOICE: what each item stores */
  char          *none;     /* TEND_FORM_CHOICE: item 0's label when nothing is a choice too */
  GtkLabel      *message;  /* under the row's group: its errors */
} Row;

struct _TendRecordForm
{
  TendStore   *store;
  GType        type;
  char        *currency;
  GPtrArray   *rows;          /* Row */
  GPtrArray   *labels;        /* GtkLabel: one error label per group */
  GtkListBox  *list;
  GPtrArray   *list_ids;      /* char *: per list row */
  TendFormDescribe describe;
  char        *filter_field;
  char        *filter_value;
  TendRecord  *record;        /* what is being edited, as shown: never changed */
  gboolean     is_new;        /* not in the store yet */
  const char  *error_field;
  TendFormCheck check;
  TendFormSave save;          /* or NULL: tend_store_save() */
  AdwPreferencesGroup *heading;
  char        *new_title;
  char        *edit_format;   /* a printf format with one %s: the edit field */
  char        *edit_field;
  GCallback    saved_func;
  gpointer     saved_data;
  GCallback    edited_func;   /* void (*) (gpointer data): a record is shown */
  gpointer     edited_data;
  gpointer     data;          /* the owner's, for its callbacks */
};

static void
row_free (Row *row)
{
  g_free (row->field);
  g_free (row->title);
  g_strfreev (row->values);
  g_free (row->none);
  g_free (row);
}

static Row *
find_row (TendRecordForm *form,
          const char     *field)
{
  for (guint i = 0; i < form->rows->len; i++)
    {
      Row *row = g_ptr_array_index (form->rows, i);

      if (g_str_equal (row->field, field))
        return row;
    }
  return NULL;
}

static void
clear_errors (TendRecordForm *form)
{
  for (guint i = 0; i < form->rows->len; i++)
    {
      GtkWidget *row = ((Row *) g_ptr_array_index (form->rows, i))->row;

      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
  for (guint i = 0; i < form->labels->len; i++)
    {
      gtk_label_set_text (g_ptr_array_index (form->labels, i), "");
      gtk_widget_set_visible (g_ptr_array_index (form->labels, i), FALSE);
    }
  form->error_field = NULL;
}

static gboolean
fail (TendRecordForm *form,
      Row            *row,
      GError        **error)
{
  GtkLabel *label;

  if (row != NULL)
    {
      gtk_widget_add_css_class (row->row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row->row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_widget_grab_focus (row->row);
      form->error_field = row->field;
    }
  /* The message goes under the group of the row at fault. */
  label = row != NULL ? row->message : form->labels->len > 0 ? g_ptr_array_index (form->labels, 0) : NULL;
  if (label != NULL && error != NULL && *error != NULL)
    {
      gtk_label_set_text (label, (*error)->message);
      gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
    }
  return FALSE;
}

static void
on_row_changed_cb (GtkWidget *widget)
{
  gtk_widget_remove_css_class (widget, "error");
}

TendRecordForm *
tend_record_form_new (TendStore *store,
                      GType      type)
{
  TendRecordForm *form = g_new0 (TendRecordForm, 1);
  g_autoptr(TendPractice) practice = tend_store_load_practice (store, NULL);

  form->store = g_object_ref (store);
  form->type = type;
  form->currency = g_strdup (practice != NULL ? tend_practice_get_currency (practice) : "USD");
  form->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  form->list_ids = g_ptr_array_new_with_free_func (g_free);
  form->labels = g_ptr_array_new ();
  return form;
}

void
tend_record_form_free (TendRecordForm *form)
{
  if (form == NULL)
    return;
  g_clear_object (&form->store);
  g_clear_object (&form->record);
  g_free (form->currency);
  g_free (form->filter_field);
  g_free (form->filter_value);
  g_free (form->new_title);
  g_free (form->edit_format);
  g_free (form->edit_field);
  g_ptr_array_unref (form->rows);
  g_ptr_array_unref (form->list_ids);
  g_ptr_array_unref (form->labels);
  g_free (form);
}

char *
tend_record_form_format_money (TendRecordForm *form,
                               gint64          minor)
{
  TendMoney m = tend_money_init (minor, form->currency);

  return tend_money_format (&m);
}

/* An amount as it is typed: the locale's digits and marks, without the
 * currency symbol, which tend_money_parse() does not take. */
static char *
money_for_entry (TendRecordForm *form,
                 gint64          minor)
{
  TendMoney m = tend_money_init (minor, form->currency);

  return tend_money_format_entry (&m);
}

/**
 * tend_record_form_add:
 * @field: the record's field name
 * @title: (transfer none): translated
 *
 * Adds a row for @field to @group.  The first row in a group also puts a
 * label for errors under @group.
 *
 * Returns: (transfer none): the row
 */
GtkWidget *
tend_record_form_add (TendRecordForm      *form,
                      AdwPreferencesGroup *group,
                      const char          *field,
                      TendFormKind         kind,
                      const char          *title)
{
  Row *row = g_new0 (Row, 1);

  row->field = g_strdup (field);
  row->title = g_strdup (title);
  row->kind = kind;
  switch (kind)
    {
    case TEND_FORM_CHOICE:
      row->row = adw_combo_row_new ();
      break;
    case TEND_FORM_DATE:
      row->row = tend_date_row_new (title);
      g_signal_connect (row->row, "changed", G_CALLBACK (on_row_changed_cb), NULL);
      break;
    case TEND_FORM_SWITCH:
      row->row = adw_action_row_new ();
      row->toggle = gtk_switch_new ();
      gtk_widget_set_valign (row->toggle, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row->row), row->toggle);
      break;
    case TEND_FORM_TEXT:
    case TEND_FORM_INT:
    case TEND_FORM_MONEY:
    default:
      row->row = adw_entry_row_new ();
      if (kind != TEND_FORM_TEXT)
        gtk_editable_set_alignment (GTK_EDITABLE (row->row), 1.0f);
      g_signal_connect (row->row, "changed", G_CALLBACK (on_row_changed_cb), NULL);
      break;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
  gtk_widget_set_name (row->row, field);
  adw_preferences_group_add (group, row->row);
  row->message = g_object_get_data (G_OBJECT (group), "tend-form-message");
  if (row->message == NULL)
    {
      row->message = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_wrap (row->message, TRUE);
      gtk_label_set_xalign (row->message, 0);
      gtk_widget_add_css_class (GTK_WIDGET (row->message), "error");
      gtk_widget_set_margin_top (GTK_WIDGET (row->message), 6);
      gtk_widget_set_visible (GTK_WIDGET (row->message), FALSE);
      adw_preferences_group_add (group, GTK_WIDGET (row->message));
      g_object_set_data (G_OBJECT (group), "tend-form-message", row->message);
      g_ptr_array_add (form->labels, row->message);
    }
  g_ptr_array_add (form->rows, row);
  return row->row;
}

/* @values: what the record stores (enum nicks or record ids); @labels: what people read. */
void
tend_record_form_set_choices (TendRecordForm     *form,
                              const char         *field,
                              const char * const *values,
                              const char * const *labels)
{
  Row *row = find_row (form, field);
  GtkStringList *model;

  g_return_if_fail (row != NULL && row->kind == TEND_FORM_CHOICE);
  model = gtk_string_list_new (NULL);
  g_strfreev (row->values);
  row->values = g_strdupv ((char **) values);
  /* The first item stands for nothing chosen: a combo row cannot show no
   * item at all once its list has items (GTK 4.10 and later select the
   * first one whatever is asked), so the choices start at 1. */
  gtk_string_list_append (model, row->none != NULL ? row->none : _("Choose…"));
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    gtk_string_list_append (model, labels[i]);
  adw_combo_row_set_model (ADW_COMBO_ROW (row->row), G_LIST_MODEL (model));
  g_object_unref (model);
}

/**
 * tend_record_form_set_optional:
 * @none_label: what item 0 says: "Automatic", "None"
 *
 * Makes the choice row for @field optional: item 0 stores nothing (the
 * field unset) instead of asking for a choice.  Call before
 * tend_record_form_set_choices().
 */
void
tend_record_form_set_optional (TendRecordForm *form,
                               const char     *field,
                               const char     *none_label)
{
  Row *row = find_row (form, field);

  g_return_if_fail (row != NULL && row->kind == TEND_FORM_CHOICE);
  g_free (row->none);
  row->none = g_strdup (none_label);
}

/* Lists only records whose @field is @value; a new record gets it. */
void
tend_record_form_set_filter (TendRecordForm *form,
                             const char     *field,
                             const char     *value)
{
  g_free (form->filter_field);
  g_free (form->filter_value);
  form->filter_field = g_strdup (field);
  form->filter_value = g_strdup (value);
}

static void
on_list_row_activated_cb (GtkListBox    *list,
                          GtkListBoxRow *list_row,
                          gpointer       user_data)
{
  TendRecordForm *form = user_data;
  int i = gtk_list_box_row_get_index (list_row);

  if (i >= 0 && (guint) i < form->list_ids->len)
    tend_record_form_edit_id (form, g_ptr_array_index (form->list_ids, i));
}

/* Returns: (transfer none): the list, added to @group */
GtkWidget *
tend_record_form_add_list (TendRecordForm      *form,
                           AdwPreferencesGroup *group,
                           TendFormDescribe     describe)
{
  form->describe = describe;
  form->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (form->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (form->list), "boxed-list");
  g_signal_connect (form->list, "row-activated", G_CALLBACK (on_list_row_activated_cb), form);
  adw_preferences_group_add (group, GTK_WIDGET (form->list));
  return GTK_WIDGET (form->list);
}

typedef struct
{
  char       *title;
  char       *subtitle;
  TendRecord *record;
} Listed;

static int
compare_listed (gconstpointer a,
                gconstpointer b)
{
  const Listed *x = a, *y = b;

  return g_utf8_collate (x->title, y->title);
}

void
tend_record_form_reload (TendRecordForm *form)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GArray) listed = g_array_new (FALSE, FALSE, sizeof (Listed));
  GtkWidget *child;

  if (form->list == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (form->list))) != NULL)
    gtk_list_box_remove (form->list, child);
  g_ptr_array_set_size (form->list_ids, 0);
  records = tend_store_list (form->store, form->type, NULL);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      TendRecord *r = g_ptr_array_index (records, i);
      Listed l = { NULL, NULL, r };

      if (form->filter_field != NULL &&
          g_strcmp0 (tend_record_get_string (r, form->filter_field), form->filter_value) != 0)
        continue;
      form->describe (form, r, &l.title, &l.subtitle);
      g_array_append_val (listed, l);
    }
  g_array_sort (listed, compare_listed);
  for (guint i = 0; i < listed->len; i++)
    {
      Listed *l = &g_array_index (listed, Listed, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), l->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), l->subtitle != NULL ? l->subtitle : "");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("document-edit-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (form->list, row);
      g_ptr_array_add (form->list_ids, g_strdup (tend_record_get_id (l->record)));
      g_free (l->title);
      g_free (l->subtitle);
    }
  if (listed->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("None yet"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (form->list, row);
    }
}

guint
tend_record_form_get_n_listed (TendRecordForm *form)
{
  return form->list_ids->len;
}

/* The form's group says whether it adds a record or changes which one. */
static void
update_heading (TendRecordForm *form)
{
  g_autofree char *title = NULL;

  if (form->heading == NULL)
    return;
  if (form->is_new)
    title = g_strdup (form->new_title);
  else
    {
      /* The format comes from a translation: only its "%s" is replaced. */
      g_auto(GStrv) parts = g_strsplit (form->edit_format, "%s", 2);

      title = g_strconcat (parts[0], tend_record_get_string (form->record, form->edit_field) ?: "",
                           parts[1], NULL);
    }
  adw_preferences_group_set_title (form->heading, title);
}

/**
 * tend_record_form_edit:
 * @record: (nullable): what to edit (kept, never changed: saving works on
 *   a fresh copy); %NULL for a new record
 *
 * Shows @record in the rows.
 */
void
tend_record_form_edit (TendRecordForm *form,
                       TendRecord     *record)
{
  g_autoptr(TendRecord) stored = NULL;

  g_clear_object (&form->record);
  if (record != NULL)
    {
      form->record = g_object_ref (record);
      /* Settings come as defaults until they are first saved. */
      stored = tend_store_load (form->store, form->type, tend_record_get_id (record), NULL);
      form->is_new = stored == NULL;
    }
  else
    {
      form->record = tend_record_new (form->type);
      form->is_new = TRUE;
      if (form->filter_field != NULL)
        tend_record_set_string (form->record, form->filter_field, form->filter_value);
    }
  clear_errors (form);
  update_heading (form);
  for (guint i = 0; i < form->rows->len; i++)
    {
      Row *row = g_ptr_array_index (form->rows, i);

      switch (row->kind)
        {
        case TEND_FORM_TEXT:
          gtk_editable_set_text (GTK_EDITABLE (row->row), tend_record_get_string (form->record, row->field) ?: "");
          break;
        case TEND_FORM_DATE:
          tend_date_row_set_date (row->row, tend_record_get_string (form->record, row->field));
          break;
        case TEND_FORM_INT:
          {
            gint64 value = tend_record_get_int (form->record, row->field);
            g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

            /* A new record shows its type's default (a room seats 1), not 0. */
            gtk_editable_set_text (GTK_EDITABLE (row->row), record != NULL || value != 0 ? text : "");
          }
          break;
        case TEND_FORM_MONEY:
          {
            g_autofree char *text = money_for_entry (form, tend_record_get_int (form->record, row->field));

            gtk_editable_set_text (GTK_EDITABLE (row->row), record != NULL ? text : "");
          }
          break;
        case TEND_FORM_CHOICE:
          {
            const char *value = tend_record_get_string (form->record, row->field);
            /* Nothing chosen (item 0) rather than the first choice: a new
             * policy gets no payer until someone picks one. */
            guint selected = 0;

            for (guint j = 0; value != NULL && row->values != NULL && row->values[j] != NULL; j++)
              if (g_str_equal (row->values[j], value))
                selected = j + 1;
            adw_combo_row_set_selected (ADW_COMBO_ROW (row->row), selected);
          }
          break;
        case TEND_FORM_SWITCH:
          gtk_switch_set_active (GTK_SWITCH (row->toggle), tend_record_get_int (form->record, row->field) != 0);
          break;
        default:
          break;
        }
    }
  if (form->edited_func != NULL)
    ((void (*) (gpointer)) form->edited_func) (form->edited_data);
}

/* Returns: %FALSE when there is no such record (the form is left as it was) */
gboolean
tend_record_form_edit_id (TendRecordForm *form,
                          const char     *id)
{
  g_autoptr(TendRecord) record = tend_store_load (form->store, form->type, id, NULL);

  if (record == NULL)
    return FALSE;
  tend_record_form_edit (form, record);
  return TRUE;
}

/* Reads every row into @record; stops at the first that does not parse. */
static gboolean
apply_rows (TendRecordForm *form,
            TendRecord     *record,
            GError        **error)
{
  for (guint i = 0; i < form->rows->len; i++)
    {
      Row *row = g_ptr_array_index (form->rows, i);
      const char *text = GTK_IS_EDITABLE (row->row) ? gtk_editable_get_text (GTK_EDITABLE (row->row)) : NULL;
      g_autofree char *trimmed = text != NULL ? g_strstrip (g_strdup (text)) : NULL;

      switch (row->kind)
        {
        case TEND_FORM_TEXT:
          tend_record_set_string (record, row->field, trimmed);
          break;
        case TEND_FORM_DATE:
          {
            g_autofree char *iso = NULL;
            g_autoptr(GError) local = NULL;

            if (!tend_date_row_get_date (row->row, &iso, &local))
              {
                /* TRANSLATORS: "Effective from: <why the date was refused>" */
                g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("%s: %s"), row->title, local->message);
                return fail (form, row, error);
              }
            tend_record_set_string (record, row->field, iso);
          }
          break;
        case TEND_FORM_INT:
          {
            gint64 value = 0;

            if (*trimmed != '\0' && !g_ascii_string_to_signed (trimmed, 10, 0, G_MAXINT32, &value, NULL))
              {
                /* TRANSLATORS: "Default minutes: a whole number, like 53" */
                g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("%s: a whole number, like 53"), row->title);
                return fail (form, row, error);
              }
            tend_record_set_int (record, row->field, value);
          }
          break;
        case TEND_FORM_MONEY:
          {
            TendMoney m = { 0, };
            g_autoptr(GError) local = NULL;

            if (*trimmed != '\0' && !tend_money_parse (trimmed, form->currency, &m, &local))
              {
                /* TRANSLATORS: "Fee: <why the amount was refused>" */
                g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("%s: %s"), row->title, local->message);
                return fail (form, row, error);
              }
            tend_record_set_int (record, row->field, m.minor);
          }
          break;
        case TEND_FORM_CHOICE:
          {
            guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row->row));

            if (selected == 0 && row->none != NULL)
              {
                tend_record_set_string (record, row->field, NULL);
                break;
              }
            if (row->values == NULL || selected == 0 || selected > g_strv_length (row->values))
              {
                g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("%s: choose one"), row->title);
                return fail (form, row, error);
              }
            tend_record_set_string (record, row->field, row->values[selected - 1]);
          }
          break;
        case TEND_FORM_SWITCH:
          tend_record_set_int (record, row->field, gtk_switch_get_active (GTK_SWITCH (row->toggle)));
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/* The row a validation message is about: messages start with the field's label. */
static Row *
row_for_message (TendRecordForm *form,
                 TendRecord     *record,
                 const char     *message)
{
  for (guint i = 0; i < form->rows->len; i++)
    {
      Row *row = g_ptr_array_index (form->rows, i);
      const TendField *f = tend_record_find_field (record, row->field);
      const char *label = f != NULL ? g_dgettext (GETTEXT_PACKAGE, f->label) : NULL;

      if (label != NULL && g_str_has_prefix (message, label) && message[strlen (label)] == ':')
        return row;
    }
  return NULL;
}

/**
 * tend_record_form_save:
 *
 * Parses the rows, validates the record field by field and as a whole,
 * and saves it.  On an error the row at fault is marked and nothing is
 * saved.
 */
gboolean
tend_record_form_save (TendRecordForm *form,
                       GError        **error)
{
  g_autoptr(TendRecord) record = NULL;
  GError *local = NULL;

  g_return_val_if_fail (form->record != NULL, FALSE);
  clear_errors (form);
  /* A copy to change: what is stored now, or a new record with the same id
   * (a record that is not valid yet cannot go through tend_record_copy). */
  if (!form->is_new)
    {
      record = tend_store_load (form->store, form->type, tend_record_get_id (form->record), &local);
      if (record == NULL)
        {
          fail (form, NULL, &local);
          g_propagate_error (error, local);
          return FALSE;
        }
    }
  else
    {
      record = tend_record_new (form->type);
      tend_record_set_id (record, tend_record_get_id (form->record));
      if (form->filter_field != NULL)
        tend_record_set_string (record, form->filter_field, form->filter_value);
    }
  if (!apply_rows (form, record, &local))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  for (guint i = 0; i < form->rows->len; i++)
    {
      Row *row = g_ptr_array_index (form->rows, i);

      if (!tend_record_validate_field (record, row->field, &local))
        {
          const TendField *f = tend_record_find_field (record, row->field);

          /* The store's range is in minor units: say it in money. */
          if (row->kind == TEND_FORM_MONEY && f != NULL && f->kind == TEND_FIELD_INT)
            {
              g_autofree char *min = tend_record_form_format_money (form, f->min);
              g_autofree char *max = tend_record_form_format_money (form, f->max);

              g_clear_error (&local);
              /* TRANSLATORS: "Fee: from $0.00 to $1,000,000.00" */
              g_set_error (&local, TEND_ERROR, TEND_ERROR_INVALID, _("%s: from %s to %s"), row->title, min, max);
            }
          fail (form, row, &local);
          g_propagate_error (error, local);
          return FALSE;
        }
    }
  if (form->check != NULL)
    {
      const char *field = form->check (form, record, &local);

      if (local != NULL)
        {
          fail (form, field != NULL ? find_row (form, field) : NULL, &local);
          g_propagate_error (error, local);
          return FALSE;
        }
    }
  if (!tend_record_validate (record, &local) ||
      !(form->save != NULL ? form->save (form->store, record, &local) : tend_store_save (form->store, record, &local)))
    {
      fail (form, row_for_message (form, record, local->message), &local);
      g_propagate_error (error, local);
      return FALSE;
    }
  g_set_object (&form->record, record);
  form->is_new = FALSE;
  update_heading (form);
  tend_record_form_reload (form);
  if (form->saved_func != NULL)
    ((void (*) (gpointer)) form->saved_func) (form->saved_data);
  return TRUE;
}

GtkWidget *
tend_record_form_get_row (TendRecordForm *form,
                          const char     *field)
{
  Row *row = find_row (form, field);

  return row != NULL ? row->row : NULL;
}

/* The field whose row shows the last error, or %NULL */
const char *
tend_record_form_get_error_field (TendRecordForm *form)
{
  return form->error_field;
}

TendRecord *
tend_record_form_get_record (TendRecordForm *form)
{
  return form->record;
}

void
tend_record_form_set_saved_func (TendRecordForm *form,
                                 GCallback       func,
                                 gpointer        data)
{
  form->saved_func = func;
  form->saved_data = data;
}

/* @func (void (*) (gpointer data)) runs whenever the form shows a record:
 * picked in the list, new, or saved; for what the rows do not hold. */
void
tend_record_form_set_edited_func (TendRecordForm *form,
                                  GCallback       func,
                                  gpointer        data)
{
  form->edited_func = func;
  form->edited_data = data;
}

/* What the form's owner keeps with it, for its check and describe
 * callbacks. */
void
tend_record_form_set_data (TendRecordForm *form,
                           gpointer        data)
{
  form->data = data;
}

gpointer
tend_record_form_get_data (TendRecordForm *form)
{
  return form->data;
}

TendStore *
tend_record_form_get_store (TendRecordForm *form)
{
  return form->store;
}

void
tend_record_form_set_save (TendRecordForm *form,
                           TendFormSave    save)
{
  form->save = save;
}

void
tend_record_form_set_check (TendRecordForm *form,
                            TendFormCheck   check)
{
  form->check = check;
}

/**
 * tend_record_form_set_heading:
 * @new_title: @group's title for a new record
 * @edit_format: its title when a record is edited: a format with one %s,
 *   the value of @edit_field
 */
void
tend_record_form_set_heading (TendRecordForm      *form,
                              AdwPreferencesGroup *group,
                              const char          *new_title,
                              const char          *edit_format,
                              const char          *edit_field)
{
  form->heading = group;
  g_free (form->new_title);
  g_free (form->edit_format);
  g_free (form->edit_field);
  form->new_title = g_strdup (new_title);
  form->edit_format = g_strdup (edit_format);
  form->edit_field = g_strdup (edit_field);
  if (form->record != NULL)
    update_heading (form);
}
