/* tend-policy-window.c: a client's insurance policies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reached from the client's ledger in Billing: the client's policies, and
 * a form to add or change one.  The payer comes from the practice's active
 * payers (Billing Set-up).
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-policy-window.h"

struct _TendPolicyWindow
{
  AdwWindow        parent_instance;

  TendStore       *store;
  TendRecordForm  *form;
  AdwToastOverlay *toasts;
};

G_DEFINE_FINAL_TYPE (TendPolicyWindow, tend_policy_window, ADW_TYPE_WINDOW)

static void
describe_policy (TendRecordForm *form,
                 TendRecord     *record,
                 char          **title,
                 char          **subtitle)
{
  TendPolicyWindow *self = g_object_get_data (G_OBJECT (tend_record_form_get_row (form, "payer_id")), "window");
  g_autofree char *payer = tend_store_dup_display_name (self->store, TEND_TYPE_PAYER,
                                                        tend_record_get_string (record, "payer_id"));
  const char *priority = tend_record_get_string (record, "priority");
  const char *to_iso = tend_record_get_string (record, "effective_to");
  GDate day;
  g_autofree char *to = to_iso != NULL && tend_date_parse (to_iso, &day, NULL) ? tend_date_format_local (&day)
                                                                               : g_strdup (to_iso);

  /* TRANSLATORS: "Aetna (primary)" */
  *title = g_strdup_printf (_("%s (%s)"), payer != NULL ? payer : _("Unknown payer"),
                            g_strcmp0 (priority, "primary") == 0 ? _("primary")
                            : g_strcmp0 (priority, "secondary") == 0 ? _("secondary") : _("tertiary"));
  /* TRANSLATORS: a policy's member id and its end date */
  *subtitle = to != NULL ? g_strdup_printf (_("Member %s · until %s"), tend_record_get_string (record, "member_id"), to)
                         : g_strdup_printf (_("Member %s"), tend_record_get_string (record, "member_id"));
}

gboolean
tend_policy_window_save (TendPolicyWindow *self,
                         GError          **error)
{
  g_return_val_if_fail (TEND_IS_POLICY_WINDOW (self), FALSE);
  if (!tend_record_form_save (self->form, error))
    return FALSE;
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Policy saved")));
  return TRUE;
}

static void
on_save_clicked_cb (TendPolicyWindow *self)
{
  /* The message is on the row at fault. */
  tend_policy_window_save (self, NULL);
}

static void
on_new_clicked_cb (TendPolicyWindow *self)
{
  tend_record_form_edit (self->form, NULL);
}

static AdwPreferencesGroup *
group (AdwPreferencesPage *page,
       const char         *title)
{
  GtkWidget *g = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (g));
  return ADW_PREFERENCES_GROUP (g);
}

static void
build (TendPolicyWindow *self,
       const char       *client_id)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *list = group (page, _("Policies"));
  AdwPreferencesGroup *policy = group (page, _("Policy"));
  AdwPreferencesGroup *subscriber = group (page, _("Subscriber"));
  AdwPreferencesGroup *dates = group (page, _("Coverage"));
  TendRecordForm *f = tend_record_form_new (self->store, TEND_TYPE_POLICY);
  g_autoptr(GPtrArray) payers = tend_store_list (self->store, TEND_TYPE_PAYER, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *client = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT, client_id);
  g_autofree char *title = g_strdup_printf (_("Insurance of %s"), client != NULL ? client : "");
  const char *priorities[] = { "primary", "secondary", "tertiary", NULL };
  const char *priority_labels[] = { _("Primary"), _("Secondary"), _("Tertiary"), NULL };
  const char *sexes[] = { "unknown", "female", "male", NULL };
  const char *sex_labels[] = { _("Unknown"), _("Female"), _("Male"), NULL };
  const char *relationships[] = { "self", "spouse", "child", "other", NULL };
  const char *relationship_labels[] = { _("Self"), _("Spouse"), _("Child"), _("Other"), NULL };
  GtkWidget *new_button = gtk_button_new_with_mnemonic (_("_New Policy"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Policy"));

  gtk_window_set_title (GTK_WINDOW (self), title);
  /* Active payers first; inactive ones stay listed so that an old policy
   * still shows its payer. */
  for (int active = 1; active >= 0; active--)
    for (guint i = 0; payers != NULL && i < payers->len; i++)
      if (tend_record_get_int (payers->pdata[i], "active") == active)
        {
          const char *name = tend_record_get_string (payers->pdata[i], "name");

          g_ptr_array_add (ids, g_strdup (tend_record_get_id (payers->pdata[i])));
          /* TRANSLATORS: a payer no longer offered, in the list of payers */
          g_ptr_array_add (names, active ? g_strdup (name) : g_strdup_printf (_("%s (inactive)"), name));
        }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (names, NULL);

  self->form = f;
  tend_record_form_set_filter (f, "client_id", client_id);
  tend_record_form_add (f, policy, "payer_id", TEND_FORM_CHOICE, _("Payer"));
  /* Never a payer nobody chose (a policy from typed insurance whose payer
   * matched none): saving then asks for one. */
  tend_record_form_set_optional (f, "payer_id", _("Choose a payer"));
  g_object_set_data (G_OBJECT (tend_record_form_get_row (f, "payer_id")), "window", self);
  tend_record_form_set_choices (f, "payer_id", (const char * const *) ids->pdata, (const char * const *) names->pdata);
  tend_record_form_add (f, policy, "member_id", TEND_FORM_TEXT, _("Member ID"));
  /* TRANSLATORS: the heading while a policy is changed, with its member id */
  tend_record_form_set_heading (f, policy, _("New Policy"), _("Policy of Member %s"), "member_id");
  tend_record_form_add (f, policy, "group_number", TEND_FORM_TEXT, _("Group number"));
  tend_record_form_add (f, policy, "priority", TEND_FORM_CHOICE, _("Priority"));
  tend_record_form_set_choices (f, "priority", priorities, priority_labels);
  tend_record_form_add (f, policy, "copay", TEND_FORM_MONEY, _("Copay"));
  tend_record_form_add (f, subscriber, "relationship", TEND_FORM_CHOICE, _("Client’s relationship to the subscriber"));
  tend_record_form_set_choices (f, "relationship", relationships, relationship_labels);
  tend_record_form_add (f, subscriber, "subscriber.given", TEND_FORM_TEXT, _("Subscriber first name"));
  tend_record_form_add (f, subscriber, "subscriber.family", TEND_FORM_TEXT, _("Subscriber last name"));
  tend_record_form_add (f, subscriber, "subscriber.date_of_birth", TEND_FORM_DATE, _("Subscriber date of birth"));
  tend_record_form_add (f, subscriber, "subscriber.sex", TEND_FORM_CHOICE, _("Subscriber sex"));
  tend_record_form_set_choices (f, "subscriber.sex", sexes, sex_labels);
  tend_record_form_add (f, dates, "effective_from", TEND_FORM_DATE, _("Effective from"));
  tend_record_form_add (f, dates, "effective_to", TEND_FORM_DATE, _("Effective until (empty if open)"));

  gtk_widget_add_css_class (new_button, "flat");
  g_signal_connect_swapped (new_button, "clicked", G_CALLBACK (on_new_clicked_cb), self);
  adw_preferences_group_set_header_suffix (list, new_button);
  tend_record_form_add_list (f, list, describe_policy);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_add_css_class (save, "pill");
  gtk_widget_set_halign (save, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (save, 12);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_preferences_group_add (dates, save);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (page));
  gtk_widget_set_vexpand (GTK_WIDGET (self->toasts), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->toasts));
  adw_window_set_content (ADW_WINDOW (self), box);
  tend_record_form_reload (f);
  tend_record_form_edit (f, NULL);
}

static void
tend_policy_window_finalize (GObject *object)
{
  TendPolicyWindow *self = TEND_POLICY_WINDOW (object);

  g_clear_pointer (&self->form, tend_record_form_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tend_policy_window_parent_class)->finalize (object);
}

static void
tend_policy_window_class_init (TendPolicyWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tend_policy_window_finalize;
}

static void
tend_policy_window_init (TendPolicyWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self), 600, 760);
}

TendPolicyWindow *
tend_policy_window_new (TendStore  *store,
                        const char *client_id)
{
  TendPolicyWindow *self = g_object_new (TEND_TYPE_POLICY_WINDOW, NULL);

  self->store = g_object_ref (store);
  build (self, client_id);
  return self;
}

/**
 * tend_policy_window_edit_draft:
 * @draft: a policy not saved yet (made from insurance typed as text)
 * @typed_payer: (nullable): the payer's name as it was typed
 *
 * Shows @draft in the form for a person to complete and save, with the
 * payer as typed under the payer row.
 */
void
tend_policy_window_edit_draft (TendPolicyWindow *self,
                               TendRecord       *draft,
                               const char       *typed_payer)
{
  GtkWidget *row;

  g_return_if_fail (TEND_IS_POLICY_WINDOW (self));
  tend_record_form_edit (self->form, draft);
  row = tend_record_form_get_row (self->form, "payer_id");
  if (typed_payer != NULL && ADW_IS_ACTION_ROW (row))
    {
      /* TRANSLATORS: under the payer choice: the payer's name as the client or staff typed it */
      g_autofree char *typed = g_strdup_printf (_("Typed as “%s”"), typed_payer);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), typed);
    }
}

TendRecordForm *
tend_policy_window_get_form (TendPolicyWindow *self)
{
  g_return_val_if_fail (TEND_IS_POLICY_WINDOW (self), NULL);
  return self->form;
}
