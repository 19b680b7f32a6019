/* tend-grant-access-dialog.c: gives a colleague assigned or covering
 * access to a client's chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A colleague (the clinicians and supervisors the chart page offers), and
 * "Assigned" (open-ended) or "Covering" until a date: covering runs to the
 * end of that day in the practice's time zone, and "Give" is offered only
 * once that end is still to come.  Who may give access is the store's
 * rule: the chart page saves through tend_chart_grant_access ().
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-grant-access-dialog.h"

struct _TendGrantAccessDialog
{
  AdwMessageDialog parent_instance;

  AdwComboRow     *colleague;
  AdwComboRow     *kind;
  AdwEntryRow     *until;
  GtkLabel        *problem;
  GPtrArray       *staff_ids;
  GTimeZone       *zone;
};

G_DEFINE_FINAL_TYPE (TendGrantAccessDialog, tend_grant_access_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The last second of @text's day in the practice's zone (shown as that
 * day, not the next one's midnight), or %NULL when @text is not a date. */
static GDateTime *
until_of (TendGrantAccessDialog *self,
          const char            *text)
{
  g_autofree char *date = g_strstrip (g_strdup (text));
  GDate d;

  if (!tend_date_parse (date, &d, NULL))
    return NULL;
  return g_date_time_new (self->zone, g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d), 23, 59, 59);
}

static void
update (TendGrantAccessDialog *self)
{
  gboolean covering = adw_combo_row_get_selected (self->kind) == 1;
  const char *problem = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->until), covering);
  if (self->staff_ids->len == 0)
    problem = _("Every clinician of the practice is already on this chart.");
  else if (covering)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->until));
      g_autoptr(GDateTime) until = until_of (self, text);
      g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);

      if (until == NULL)
        problem = _("Until: enter the last day of covering as YYYY-MM-DD.");
      else if (g_date_time_compare (until, now) <= 0)
        problem = _("Until: covering ends in the future, today or later.");
    }
  if (covering && problem != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->until)) != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->until), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->until), "error");
  gtk_label_set_text (self->problem, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem), problem != NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "give", problem == NULL);
}

static void
tend_grant_access_dialog_finalize (GObject *object)
{
  TendGrantAccessDialog *self = TEND_GRANT_ACCESS_DIALOG (object);

  g_clear_pointer (&self->staff_ids, g_ptr_array_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (tend_grant_access_dialog_parent_class)->finalize (object);
}

static void
tend_grant_access_dialog_class_init (TendGrantAccessDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tend_grant_access_dialog_finalize;
}

static void
tend_grant_access_dialog_init (TendGrantAccessDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  const char *kinds[] = { _("Assigned"), _("Covering"), NULL };

  self->staff_ids = g_ptr_array_new_with_free_func (g_free);
  self->zone = g_time_zone_new_local ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  self->colleague = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->colleague), _("Colleague"));
  self->kind = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kind), _("Access"));
  adw_combo_row_set_model (self->kind, G_LIST_MODEL (gtk_string_list_new (kinds)));
  self->until = ADW_ENTRY_ROW (adw_entry_row_new ());
  /* Translators: the last day a colleague covers, typed as a date */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->until), _("Covering until (YYYY-MM-DD)"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->colleague));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->kind));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->until));
  self->problem = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->problem, TRUE);
  gtk_label_set_xalign (self->problem, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem), "error");
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->problem));
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_set_heading (dialog, _("Give Access"));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "give", _("_Give Access"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "give", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "give");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (self->kind, "notify::selected", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->until, "changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
}

/**
 * tend_grant_access_dialog_new:
 * @client_name: the client, as the chart shows them
 * @colleagues: (element-type TendStaff): who may be given access
 * @zone: (nullable): the practice's time zone
 */
GtkWidget *
tend_grant_access_dialog_new (GtkWindow  *parent,
                              const char *client_name,
                              GPtrArray  *colleagues,
                              GTimeZone  *zone)
{
  TendGrantAccessDialog *self = g_object_new (TEND_TYPE_GRANT_ACCESS_DIALOG,
                                              "transient-for", parent,
                                              "modal", TRUE,
                                              NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *body = NULL;

  for (guint i = 0; i < colleagues->len; i++)
    {
      TendStaff *staff = g_ptr_array_index (colleagues, i);
      g_autofree char *name = tend_staff_dup_display_name (staff);

      gtk_string_list_append (names, name);
      g_ptr_array_add (self->staff_ids, g_strdup (tend_record_get_id (TEND_RECORD (staff))));
    }
  adw_combo_row_set_model (self->colleague, G_LIST_MODEL (names));
  if (zone != NULL)
    {
      g_time_zone_unref (self->zone);
      self->zone = g_time_zone_ref (zone);
    }
  /* Translators: %s is a client's name */
  body = g_strdup_printf (_("A colleague given access reads and writes %s’s chart: assigned until it is "
                            "ended, covering until the end of the day you choose. It is recorded in your name."),
                          client_name);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  update (self);
  return GTK_WIDGET (self);
}

/* Returns: (nullable): the colleague chosen */
const char *
tend_grant_access_dialog_get_staff_id (TendGrantAccessDialog *self)
{
  guint i;

  g_return_val_if_fail (TEND_IS_GRANT_ACCESS_DIALOG (self), NULL);
  i = adw_combo_row_get_selected (self->colleague);
  return i < self->staff_ids->len ? g_ptr_array_index (self->staff_ids, i) : NULL;
}

TendChartAccessKind
tend_grant_access_dialog_get_kind (TendGrantAccessDialog *self)
{
  g_return_val_if_fail (TEND_IS_GRANT_ACCESS_DIALOG (self), TEND_CHART_ACCESS_ASSIGNED);
  return adw_combo_row_get_selected (self->kind) == 1 ? TEND_CHART_ACCESS_COVERING : TEND_CHART_ACCESS_ASSIGNED;
}

/* Returns: (transfer full) (nullable): when covering ends (RFC 3339), %NULL
 *   for assigned access or no valid date */
char *
tend_grant_access_dialog_dup_until (TendGrantAccessDialog *self)
{
  g_autoptr(GDateTime) until = NULL;

  g_return_val_if_fail (TEND_IS_GRANT_ACCESS_DIALOG (self), NULL);
  if (tend_grant_access_dialog_get_kind (self) != TEND_CHART_ACCESS_COVERING)
    return NULL;
  until = until_of (self, gtk_editable_get_text (GTK_EDITABLE (self->until)));
  return until != NULL ? tend_time_to_iso8601 (until) : NULL;
}

/* For tests: chooses a colleague.  Returns whether they are offered. */
gboolean
tend_grant_access_dialog_select (TendGrantAccessDialog *self,
                                 const char            *staff_id)
{
  guint i;

  g_return_val_if_fail (TEND_IS_GRANT_ACCESS_DIALOG (self), FALSE);
  if (!g_ptr_array_find_with_equal_func (self->staff_ids, staff_id, g_str_equal, &i))
    return FALSE;
  adw_combo_row_set_selected (self->colleague, i);
  return TRUE;
}

/* For tests: chooses "Covering" and types its last day. */
void
tend_grant_access_dialog_set_covering (TendGrantAccessDialog *self,
                                       const char            *until_date)
{
  g_return_if_fail (TEND_IS_GRANT_ACCESS_DIALOG (self));
  adw_combo_row_set_selected (self->kind, 1);
  gtk_editable_set_text (GTK_EDITABLE (self->until), until_date);
}
