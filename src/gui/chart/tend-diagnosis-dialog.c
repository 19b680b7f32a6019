/* tend-diagnosis-dialog.c: choosing an ICD-10-CM code for a client's
 * diagnosis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Searches the shipped list as the person types (tend_icd10_search ()),
 * marks a heading that a claim cannot carry, and selects the first match.
 * The caller saves the diagnosis on the "add" response.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart-util.h"
#include "tend-diagnosis-dialog.h"

/* The matches listed. */
#define MAX_HITS 30

struct _TendDiagnosisDialog
{
  AdwMessageDialog parent_instance;

  GtkSearchEntry  *entry;
  GtkListBox      *list;
  GtkCheckButton  *primary;
  GPtrArray       *hits;     /* (element-type TendIcd10Entry): the list's rows, in order */
};

G_DEFINE_FINAL_TYPE (TendDiagnosisDialog, tend_diagnosis_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
fill_results (TendDiagnosisDialog *self)
{
  g_clear_pointer (&self->hits, g_ptr_array_unref);
  self->hits = tend_icd10_search (gtk_editable_get_text (GTK_EDITABLE (self->entry)), MAX_HITS);
  tend_chart_ui_list_clear (self->list);
  for (guint i = 0; i < self->hits->len; i++)
    {
      const TendIcd10Entry *e = g_ptr_array_index (self->hits, i);
      g_autofree char *title = e->billable ? g_strdup (e->code)
                                           /* Translators: an ICD-10-CM code that a claim cannot carry */
                                           : g_strdup_printf (_("%s · heading, not billable"), e->code);

      gtk_list_box_append (self->list, tend_chart_ui_row_new (title, e->description));
    }
  if (self->hits->len > 0)
    gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, 0));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add", self->hits->len > 0);
}

static void
on_search_changed_cb (TendDiagnosisDialog *self)
{
  fill_results (self);
}

static void
tend_diagnosis_dialog_dispose (GObject *object)
{
  TendDiagnosisDialog *self = TEND_DIAGNOSIS_DIALOG (object);

  g_clear_pointer (&self->hits, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_DIAGNOSIS_DIALOG);
  G_OBJECT_CLASS (tend_diagnosis_dialog_parent_class)->dispose (object);
}

static void
tend_diagnosis_dialog_class_init (TendDiagnosisDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_diagnosis_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-diagnosis-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TendDiagnosisDialog, entry);
  gtk_widget_class_bind_template_child (widget_class, TendDiagnosisDialog, list);
  gtk_widget_class_bind_template_child (widget_class, TendDiagnosisDialog, primary);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
}

static void
tend_diagnosis_dialog_init (TendDiagnosisDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_results (self);
}

GtkWidget *
tend_diagnosis_dialog_new (GtkWindow *parent)
{
  return g_object_new (TEND_TYPE_DIAGNOSIS_DIALOG, "transient-for", parent, NULL);
}

/* Searches as typing @text does. */
void
tend_diagnosis_dialog_set_query (TendDiagnosisDialog *self,
                                 const char          *text)
{
  g_return_if_fail (TEND_IS_DIAGNOSIS_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  fill_results (self);
}

void
tend_diagnosis_dialog_set_primary (TendDiagnosisDialog *self,
                                   gboolean             primary)
{
  g_return_if_fail (TEND_IS_DIAGNOSIS_DIALOG (self));
  gtk_check_button_set_active (self->primary, primary);
}

gboolean
tend_diagnosis_dialog_get_primary (TendDiagnosisDialog *self)
{
  g_return_val_if_fail (TEND_IS_DIAGNOSIS_DIALOG (self), FALSE);
  return gtk_check_button_get_active (self->primary);
}

/**
 * tend_diagnosis_dialog_get_selected:
 *
 * Returns: (transfer none) (nullable): the code chosen
 */
const TendIcd10Entry *
tend_diagnosis_dialog_get_selected (TendDiagnosisDialog *self)
{
  GtkListBoxRow *row;
  int i;

  g_return_val_if_fail (TEND_IS_DIAGNOSIS_DIALOG (self), NULL);
  row = gtk_list_box_get_selected_row (self->list);
  i = row != NULL ? gtk_list_box_row_get_index (row) : -1;
  return i >= 0 && self->hits != NULL && (guint) i < self->hits->len ? g_ptr_array_index (self->hits, i) : NULL;
}
