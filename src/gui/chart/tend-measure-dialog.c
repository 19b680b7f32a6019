/* tend-measure-dialog.c: one instrument answered item by item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The items and their options come from the instrument's definition
 * (data/instruments/); each option is a toggle showing its points and its
 * words.  The total and the result (tend_measure_dup_result ()) follow
 * the answers, and Save is enabled once every item is answered.  The
 * caller saves the measure on the "save" response.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-measure-dialog.h"

struct _TendMeasureDialog
{
  AdwMessageDialog parent_instance;

  TendInstrument   instrument;
  GPtrArray       *items;        /* (element-type GPtrArray<GtkToggleButton>): each item's options */
  GtkBox          *items_box;
  GtkLabel        *total_label;
};

G_DEFINE_FINAL_TYPE (TendMeasureDialog, tend_measure_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
update_total (TendMeasureDialog *self)
{
  guint answers[TEND_INSTRUMENT_MAX_ITEMS] = { 0 };
  guint score = 0, answered = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < self->items->len; i++)
    {
      GPtrArray *options = g_ptr_array_index (self->items, i);

      for (guint v = 0; v < options->len; v++)
        if (gtk_toggle_button_get_active (g_ptr_array_index (options, v)))
          {
            answers[i] = v;
            score += v;
            answered++;
          }
    }
  if (answered == self->items->len)
    {
      g_autoptr(TendMeasure) m = tend_measure_new (NULL, self->instrument, "2000-01-01", answers, self->items->len);
      g_autofree char *result = tend_measure_dup_result (m);

      /* TRANSLATORS: "Score 12 of 27: Moderate" */
      text = g_strdup_printf (_("Score %u of %u: %s"), score, tend_instrument_get_max_score (self->instrument), result);
    }
  else
    text = g_strdup_printf (_("%u of %u answered"), answered, self->items->len);
  gtk_label_set_text (self->total_label, text);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save", answered == self->items->len);
}

static void
build_items (TendMeasureDialog *self)
{
  TendInstrument inst = self->instrument;

  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), tend_instrument_get_title (inst));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), tend_instrument_get_stem (inst));
  for (guint i = 0; i < tend_instrument_get_n_items (inst); i++)
    {
      g_autofree char *item = g_strdup_printf ("%u. %s", i + 1, tend_instrument_get_item (inst, i));
      GtkWidget *label = gtk_label_new (item);
      GtkWidget *choices = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GPtrArray *options = g_ptr_array_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (choices, "linked");
      gtk_box_set_homogeneous (GTK_BOX (choices), TRUE);
      for (guint v = 0; v < tend_instrument_get_n_options (inst, i); v++)
        {
          /* The option's points, then its words, which wrap in a narrow button. */
          g_autofree char *text = g_strdup_printf ("%u · %s", v, tend_instrument_get_option (inst, i, v));
          GtkWidget *words = gtk_label_new (text);
          GtkWidget *button = gtk_toggle_button_new ();

          gtk_label_set_wrap (GTK_LABEL (words), TRUE);
          gtk_label_set_justify (GTK_LABEL (words), GTK_JUSTIFY_CENTER);
          gtk_label_set_max_width_chars (GTK_LABEL (words), 12);
          gtk_button_set_child (GTK_BUTTON (button), words);
          gtk_widget_set_hexpand (button, TRUE);
          if (v > 0)
            gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), g_ptr_array_index (options, 0));
          g_signal_connect_object (button, "toggled", G_CALLBACK (update_total), self, G_CONNECT_SWAPPED);
          gtk_box_append (GTK_BOX (choices), button);
          g_ptr_array_add (options, button);
        }
      gtk_accessible_update_relation (GTK_ACCESSIBLE (choices), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
      g_ptr_array_add (self->items, options);
      gtk_box_append (self->items_box, label);
      gtk_box_append (self->items_box, choices);
    }
  update_total (self);
}

static void
tend_measure_dialog_dispose (GObject *object)
{
  TendMeasureDialog *self = TEND_MEASURE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_MEASURE_DIALOG);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  G_OBJECT_CLASS (tend_measure_dialog_parent_class)->dispose (object);
}

static void
tend_measure_dialog_class_init (TendMeasureDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_measure_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-measure-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TendMeasureDialog, items_box);
  gtk_widget_class_bind_template_child (widget_class, TendMeasureDialog, total_label);
}

static void
tend_measure_dialog_init (TendMeasureDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

GtkWidget *
tend_measure_dialog_new (GtkWindow      *parent,
                         TendInstrument  instrument)
{
  TendMeasureDialog *self;

  g_return_val_if_fail (instrument < TEND_N_INSTRUMENTS, NULL);
  self = g_object_new (TEND_TYPE_MEASURE_DIALOG, "transient-for", parent, NULL);
  self->instrument = instrument;
  build_items (self);
  return GTK_WIDGET (self);
}

TendInstrument
tend_measure_dialog_get_instrument (TendMeasureDialog *self)
{
  g_return_val_if_fail (TEND_IS_MEASURE_DIALOG (self), 0);
  return self->instrument;
}

guint
tend_measure_dialog_get_n_items (TendMeasureDialog *self)
{
  g_return_val_if_fail (TEND_IS_MEASURE_DIALOG (self), 0);
  return self->items->len;
}

/**
 * tend_measure_dialog_get_choice:
 *
 * Returns: (transfer none): the toggle of @item's @option (its points)
 */
GtkToggleButton *
tend_measure_dialog_get_choice (TendMeasureDialog *self,
                                guint              item,
                                guint              option)
{
  GPtrArray *options;

  g_return_val_if_fail (TEND_IS_MEASURE_DIALOG (self), NULL);
  g_return_val_if_fail (item < self->items->len, NULL);
  options = g_ptr_array_index (self->items, item);
  g_return_val_if_fail (option < options->len, NULL);
  return g_ptr_array_index (options, option);
}

/**
 * tend_measure_dialog_get_answers:
 * @answers: (out caller-allocates) (array fixed-size=20): each item's points
 *
 * Returns: whether every item is answered
 */
gboolean
tend_measure_dialog_get_answers (TendMeasureDialog *self,
                                 guint             *answers)
{
  guint answered = 0;

  g_return_val_if_fail (TEND_IS_MEASURE_DIALOG (self), FALSE);
  for (guint i = 0; i < self->items->len; i++)
    {
      GPtrArray *options = g_ptr_array_index (self->items, i);

      answers[i] = 0;
      for (guint v = 0; v < options->len; v++)
        if (gtk_toggle_button_get_active (g_ptr_array_index (options, v)))
          {
            answers[i] = v;
            answered++;
          }
    }
  return answered == self->items->len;
}
