/* tend-record-form.h: rows that edit a record's fields, with a list of records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_FORM_TEXT,    /* an entry row: a text, NPI... field */
  TEND_FORM_DATE,    /* a date row: typed in the locale's way or picked; stored YYYY-MM-DD */
  TEND_FORM_INT,     /* an entry row holding a whole number */
  TEND_FORM_MONEY,   /* an entry row holding an amount in the locale's format */
  TEND_FORM_CHOICE,  /* a combo row: an enum nick or a record id */
  TEND_FORM_SWITCH,  /* a row with a switch: a boolean field */
} TendFormKind;

typedef struct _TendRecordForm TendRecordForm;

/* Fills @title with the list row's title and @subtitle (both owned by the caller). */
typedef void (*TendFormDescribe) (TendRecordForm *form,
                                  TendRecord     *record,
                                  char          **title,
                                  char          **subtitle);

/* Checks what the record's own validation cannot (uniqueness, say): on a
 * problem, sets @error and returns the field it is about. */
typedef const char *(*TendFormCheck) (TendRecordForm *form,
                                      TendRecord     *record,
                                      GError        **error);

/* Saves the record in place of tend_store_save(), for records the store
 * saves through its own rules (a charge: tend_billing_save_charge()). */
typedef gboolean (*TendFormSave) (TendStore  *store,
                                  TendRecord *record,
                                  GError    **error);

TendRecordForm *tend_record_form_new          (TendStore          *store,
                                               GType               type);
void            tend_record_form_free         (TendRecordForm     *form);
GtkWidget      *tend_record_form_add          (TendRecordForm     *form,
                                               AdwPreferencesGroup *group,
                                               const char         *field,
                                               TendFormKind        kind,
                                               const char         *title);
void            tend_record_form_set_choices  (TendRecordForm     *form,
                                               const char         *field,
                                               const char * const *values,
                                               const char * const *labels);
void            tend_record_form_set_optional (TendRecordForm     *form,
                                               const char         *field,
                                               const char         *none_label);
void            tend_record_form_set_filter   (TendRecordForm     *form,
                                               const char         *field,
                                               const char         *value);
GtkWidget      *tend_record_form_add_list     (TendRecordForm     *form,
                                               AdwPreferencesGroup *group,
                                               TendFormDescribe    describe);
void            tend_record_form_reload       (TendRecordForm     *form);
void            tend_record_form_edit         (TendRecordForm     *form,
                                               TendRecord         *record);
gboolean        tend_record_form_edit_id      (TendRecordForm     *form,
                                               const char         *id);
gboolean        tend_record_form_save         (TendRecordForm     *form,
                                               GError            **error);
GtkWidget      *tend_record_form_get_row      (TendRecordForm     *form,
                                               const char         *field);
const char     *tend_record_form_get_error_field (TendRecordForm  *form);
TendRecord     *tend_record_form_get_record   (TendRecordForm     *form);
guint           tend_record_form_get_n_listed (TendRecordForm     *form);
char           *tend_record_form_format_money (TendRecordForm     *form,
                                               gint64              minor);
void            tend_record_form_set_check    (TendRecordForm     *form,
                                               TendFormCheck       check);
void            tend_record_form_set_heading  (TendRecordForm     *form,
                                               AdwPreferencesGroup *group,
                                               const char         *new_title,
                                               const char         *edit_format,
                                               const char         *edit_field);
void            tend_record_form_set_save    (TendRecordForm     *form,
                                               TendFormSave        save);
void            tend_record_form_set_saved_func (TendRecordForm   *form,
                                                 GCallback         func,
                                                 gpointer          data);
void            tend_record_form_set_edited_func (TendRecordForm  *form,
                                                  GCallback        func,
                                                  gpointer         data);
void            tend_record_form_set_data     (TendRecordForm     *form,
                                               gpointer            data);
gpointer        tend_record_form_get_data     (TendRecordForm     *form);
TendStore      *tend_record_form_get_store    (TendRecordForm     *form);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendRecordForm, tend_record_form_free)

G_END_DECLS
