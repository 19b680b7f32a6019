/* tend-break-glass-dialog.c: asks why a clinician needs a chart they are
 * not on, before emergency access is given
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Break the Glass" is offered only as the destructive response, and only
 * once a reason is typed: the reason is kept with the access (the chart's
 * clinician reads it) and the opening is audited.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-break-glass-dialog.h"
#include "tend-core.h"

struct _TendBreakGlassDialog
{
  AdwMessageDialog parent_instance;

  GtkEntry        *reason;
};

G_DEFINE_FINAL_TYPE (TendBreakGlassDialog, tend_break_glass_dialog, ADW_TYPE_MESSAGE_DIALOG)

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static void
on_reason_changed_cb (TendBreakGlassDialog *self)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "break",
                                           !is_blank (gtk_editable_get_text (GTK_EDITABLE (self->reason))));
}

static void
on_reason_activate_cb (TendBreakGlassDialog *self)
{
  if (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), "break"))
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "break");
}

static void
tend_break_glass_dialog_class_init (TendBreakGlassDialogClass *klass)
{
}

static void
tend_break_glass_dialog_init (TendBreakGlassDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Reason"));

  self->reason = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_max_length (self->reason, 1000);
  gtk_entry_set_placeholder_text (self->reason, _("For example: client called in crisis, their clinician is away"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->reason));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->reason), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->reason));
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_set_heading (dialog, _("Break the Glass?"));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "break", _("_Break the Glass"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "break", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "break", FALSE);
  g_signal_connect_object (self->reason, "changed", G_CALLBACK (on_reason_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reason, "activate", G_CALLBACK (on_reason_activate_cb), self, G_CONNECT_SWAPPED);
}

/**
 * tend_break_glass_dialog_new:
 * @client_name: the client, as the chart shows them
 * @clinician_name: (nullable): the chart's clinician
 */
GtkWidget *
tend_break_glass_dialog_new (GtkWindow  *parent,
                             const char *client_name,
                             const char *clinician_name)
{
  TendBreakGlassDialog *self = g_object_new (TEND_TYPE_BREAK_GLASS_DIALOG,
                                             "transient-for", parent,
                                             "modal", TRUE,
                                             NULL);
  g_autofree char *body = NULL;

  if (clinician_name != NULL)
    /* Translators: the first %s is a client's name, the second their clinician's */
    body = g_strdup_printf (_("You are not on %s’s chart. In an emergency you may open it for %d hours: "
                              "your reason is recorded with your name and shown to %s, and everything "
                              "you read is audited."),
                            client_name, TEND_CHART_ACCESS_EMERGENCY_HOURS, clinician_name);
  else
    /* Translators: %s is a client's name */
    body = g_strdup_printf (_("You are not on %s’s chart. In an emergency you may open it for %d hours: "
                              "your reason is recorded with your name and shown to the practice, and "
                              "everything you read is audited."),
                            client_name, TEND_CHART_ACCESS_EMERGENCY_HOURS);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  return GTK_WIDGET (self);
}

const char *
tend_break_glass_dialog_get_reason (TendBreakGlassDialog *self)
{
  g_return_val_if_fail (TEND_IS_BREAK_GLASS_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->reason));
}

/* For tests: types a reason. */
void
tend_break_glass_dialog_set_reason (TendBreakGlassDialog *self,
                                    const char           *reason)
{
  g_return_if_fail (TEND_IS_BREAK_GLASS_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->reason), reason);
}
