/* tend-chart-overview-tab.c: the chart's Overview tab: sessions to come
 * and past, recent notes, active diagnoses, who else is on the chart,
 * conversations, the balance and the client portal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each group reads on its own; one that fails says so in its group, and
 * the others still show.  Giving access ("overview.give-access") and
 * ending it ("overview.end-access") are here; breaking the glass is the
 * chart page's ("chart.break-glass").
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-billing.h"
#include "tend-chart.h"
#include "tend-chart-overview-tab.h"
#include "tend-chart-util.h"
#include "tend-grant-access-dialog.h"
#include "tend-messages.h"
#include "tend-money.h"
#include "tend-portal-forms.h"

struct _TendChartOverviewTab
{
  TendChartTab        parent_instance;

  TendSyncController *sync;               /* (nullable) the practice server */
  GPtrArray          *access;             /* (nullable) who else is on the chart, as shown */
  char               *ending_access_id;   /* the grant End Access asks about */
  GCancellable       *invite_cancellable; /* while an invitation is being sent */

  GtkStack           *stack;
  TendChartReadError *read_error;
  GtkListBox         *upcoming_list;
  GtkListBox         *past_list;
  GtkWidget          *notes_group;
  GtkListBox         *notes_list;
  GtkWidget          *diagnoses_group;
  GtkListBox         *diagnoses_list;
  GtkBox             *more_box;
};

G_DEFINE_FINAL_TYPE (TendChartOverviewTab, tend_chart_overview_tab, TEND_TYPE_CHART_TAB)

static void
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle)
{
  gtk_list_box_append (list, tend_chart_ui_row_new (title, subtitle));
}

static const char *
access_kind_label (TendChartAccessKind kind)
{
  switch (kind)
    {
    case TEND_CHART_ACCESS_ASSIGNED:
      return _("Assigned");
    case TEND_CHART_ACCESS_COVERING:
      return _("Covering");
    case TEND_CHART_ACCESS_EMERGENCY:
    default:
      return _("Emergency access");
    }
}

/* The colleagues who may be given access to this chart: clinicians and
 * supervisors of the practice not already on it (its clinician, their
 * supervisor, a live assigned or covering grant).  NULL when the staff
 * could not be read. */
static GPtrArray *
grant_candidates (TendChartOverviewTab *self,
                  GError              **error)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  g_autoptr(GPtrArray) staff = tend_store_list (tend_chart_tab_get_store (tab), TEND_TYPE_STAFF, error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *clinician = tend_client_get_primary_clinician (tend_chart_tab_get_client (tab));
  const char *supervisor = NULL;
  GPtrArray *out;

  if (staff == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < staff->len; i++)
    if (g_strcmp0 (tend_record_get_id (g_ptr_array_index (staff, i)), clinician) == 0)
      supervisor = tend_staff_get_supervisor_id (g_ptr_array_index (staff, i));
  for (guint i = 0; i < staff->len; i++)
    {
      TendStaff *s = g_ptr_array_index (staff, i);
      const char *id = tend_record_get_id (TEND_RECORD (s));
      gboolean on_chart = g_strcmp0 (id, clinician) == 0 || g_strcmp0 (id, supervisor) == 0;

      for (guint j = 0; self->access != NULL && j < self->access->len && !on_chart; j++)
        {
          TendChartAccess *a = g_ptr_array_index (self->access, j);

          on_chart = tend_chart_access_get_kind (a) != TEND_CHART_ACCESS_EMERGENCY &&
                     tend_chart_access_is_live (a, now) && g_strcmp0 (tend_chart_access_get_staff_id (a), id) == 0;
        }
      if (!on_chart && tend_staff_get_active (s) && tend_staff_sees_clients (s))
        g_ptr_array_add (out, g_object_ref (s));
    }
  return out;
}

/* Who is on the chart changed here: said, sent to the server at once (with
 * a server, a chart newly reached comes back with that sync), shown. */
static void
access_changed (TendChartOverviewTab *self,
                const char           *message)
{
  tend_chart_ui_toast_text (GTK_WIDGET (self), message);
  if (self->sync != NULL)
    tend_sync_controller_sync_now (self->sync);
  tend_chart_tab_changed (TEND_CHART_TAB (self));
}

static void
on_give_access_response_cb (TendGrantAccessDialog *dialog,
                            const char            *response,
                            TendChartOverviewTab  *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  const char *staff_id = tend_grant_access_dialog_get_staff_id (dialog);
  g_autoptr(TendChartAccess) access = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *until = NULL;

  if (g_strcmp0 (response, "give") != 0 || staff_id == NULL)
    return;
  until = tend_grant_access_dialog_dup_until (dialog);
  access = tend_chart_grant_access (tend_chart_tab_get_store (tab), tend_chart_tab_get_client_id (tab), staff_id,
                                    tend_grant_access_dialog_get_kind (dialog), until, &error);
  if (access == NULL)
    {
      tend_chart_ui_show_error (GTK_WIDGET (self), _("Access Could Not Be Given"), error);
      return;
    }
  access_changed (self, _("Access given"));
}

static void
give_access_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TendChartOverviewTab *self = TEND_CHART_OVERVIEW_TAB (widget);
  TendChartTab *tab = TEND_CHART_TAB (self);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_name = NULL;
  GtkWidget *dialog;

  if (tend_chart_tab_get_client (tab) == NULL)
    return;
  candidates = grant_candidates (self, &error);
  if (candidates == NULL)
    {
      tend_chart_ui_show_error (widget, _("Access Could Not Be Given"), error);
      return;
    }
  client_name = tend_client_dup_display_name (tend_chart_tab_get_client (tab));
  dialog = tend_grant_access_dialog_new (tend_chart_ui_parent_window (widget), client_name, candidates,
                                         tend_chart_tab_get_zone (tab));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_give_access_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static TendChartAccess *
find_access (TendChartOverviewTab *self,
             const char           *id)
{
  for (guint i = 0; self->access != NULL && i < self->access->len; i++)
    if (g_strcmp0 (tend_record_get_id (g_ptr_array_index (self->access, i)), id) == 0)
      return g_ptr_array_index (self->access, i);
  return NULL;
}

static void
on_end_access_response_cb (AdwMessageDialog     *dialog,
                           const char           *response,
                           TendChartOverviewTab *self)
{
  TendChartAccess *access = find_access (self, self->ending_access_id);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "end") != 0 || access == NULL)
    return;
  if (!tend_chart_end_access (tend_chart_tab_get_store (TEND_CHART_TAB (self)), access, FALSE, &error))
    {
      tend_chart_ui_show_error (GTK_WIDGET (self), _("The Access Could Not Be Ended"), error);
      return;
    }
  access_changed (self, _("Access ended"));
}

static void
end_access_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TendChartOverviewTab *self = TEND_CHART_OVERVIEW_TAB (widget);
  TendChartAccess *access = find_access (self, g_variant_get_string (parameter, NULL));
  g_autoptr(GHashTable) names = tend_chart_ui_names_new ();
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (access == NULL)
    return;
  /* Translators: %s is a colleague's name */
  body = g_strdup_printf (_("%s will no longer read this chart. The access stays recorded as ended."),
                          tend_chart_ui_staff_name (tend_chart_tab_get_store (TEND_CHART_TAB (self)), names,
                                                    tend_chart_access_get_staff_id (access)));
  dialog = adw_message_dialog_new (tend_chart_ui_parent_window (widget), _("End Access?"), body);
  g_free (self->ending_access_id);
  self->ending_access_id = g_strdup (g_variant_get_string (parameter, NULL));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "end", _("_End Access"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "end", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_end_access_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
access_row (TendChartOverviewTab *self,
            TendChartAccess      *a,
            GHashTable           *names,
            GDateTime            *now)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendStore *store = tend_chart_tab_get_store (tab);
  GTimeZone *zone = tend_chart_tab_get_zone (tab);
  g_autofree char *from = tend_chart_ui_format_time (tend_chart_access_get_granted_at (a), zone);
  g_autofree char *until = tend_chart_access_get_until (a) != NULL
                           ? tend_chart_ui_format_time (tend_chart_access_get_until (a), zone) : NULL;
  /* Translators: a person's name, then what access they have */
  g_autofree char *title = g_strdup_printf (_("%s · %s"),
                                            tend_chart_ui_staff_name (store, names, tend_chart_access_get_staff_id (a)),
                                            access_kind_label (tend_chart_access_get_kind (a)));
  g_autofree char *when = until != NULL
                          /* Translators: two dates and times */
                          ? g_strdup_printf (_("From %s until %s"), from, until)
                          /* Translators: a date and time */
                          : g_strdup_printf (_("Since %s"), from);
  g_autofree char *sub = tend_chart_access_get_reason (a) != NULL
                         ? g_strdup_printf ("%s · %s", when, tend_chart_access_get_reason (a))
                         : g_strdup (when);
  GtkWidget *row = tend_chart_ui_row_new (title, sub);

  /* A live grant, which the store would let this person end. */
  if (tend_chart_access_get_kind (a) != TEND_CHART_ACCESS_EMERGENCY && tend_chart_access_is_live (a, now) &&
      tend_chart_end_access (store, a, TRUE, NULL))
    {
      GtkWidget *end = gtk_button_new_with_mnemonic (_("_End Access"));

      gtk_widget_set_valign (end, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (end), "overview.end-access");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (end), "s", tend_record_get_id (TEND_RECORD (a)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), end);
    }
  return row;
}

/* Who else is, or was, on this chart, and why: the glass broken,
 * covering, assigned.  Those who may give access (as the store decides)
 * give it here, and end a live grant. */
static void
add_access_group (TendChartOverviewTab *self,
                  GHashTable           *names)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendStore *store = tend_chart_tab_get_store (tab);
  const char *client_id = tend_chart_tab_get_client_id (tab);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) staff_error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean may_grant;
  GtkWidget *group;

  g_clear_pointer (&self->access, g_ptr_array_unref);
  if (!tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_CLINICAL))
    return;
  /* Not on the chart: the header says so and offers to break the glass. */
  if (!tend_store_check_chart (store, client_id, &error) && g_error_matches (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS))
    return;
  g_clear_error (&error);
  self->access = tend_chart_list_access (store, client_id, &error);
  candidates = grant_candidates (self, &staff_error);
  may_grant = candidates != NULL && candidates->len > 0 &&
              tend_chart_may_grant_access (store, client_id, tend_record_get_id (g_ptr_array_index (candidates, 0)), NULL);
  if (self->access != NULL && self->access->len == 0 && !may_grant && staff_error == NULL)
    return;
  group = tend_chart_ui_group_new (self->more_box, _("Access to This Chart"),
                                   _("Besides the client’s clinician and their supervisor."));
  if (may_grant)
    {
      GtkWidget *give = gtk_button_new_with_mnemonic (_("_Give Access…"));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (give), "overview.give-access");
      gtk_widget_set_valign (give, GTK_ALIGN_CENTER);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), give);
    }
  if (self->access == NULL)
    tend_chart_ui_add_error_row (group, error);
  else if (self->access->len == 0 && staff_error == NULL)
    tend_chart_ui_add_row (group, _("No one else"), NULL);
  /* Not knowing who may be given access is said, not taken as no one. */
  if (staff_error != NULL)
    tend_chart_ui_add_error_row (group, staff_error);
  for (guint i = 0; self->access != NULL && i < self->access->len; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               access_row (self, g_ptr_array_index (self->access, i), names, now));
}

/* The client's balance: one indexed query.  Shown only when the store lets
 * the signed-in role read it; a refusal shows nothing. */
static void
add_balance_group (TendChartOverviewTab *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendStore *store = tend_chart_tab_get_store (tab);
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *owed = NULL;
  const char *currency;
  TendBalance balance;
  TendMoney m;
  GtkWidget *group, *row;

  /* A role that may not read the balance sees no group; any other failure
   * says so. */
  if (!tend_billing_client_balance (store, tend_chart_tab_get_client_id (tab), &balance, &error))
    {
      if (!g_error_matches (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED))
        tend_chart_ui_add_error_row (tend_chart_ui_group_new (self->more_box, _("Balance"), NULL), error);
      return;
    }
  practice = tend_store_load_practice (store, &error);
  /* No practice set up yet: amounts in dollars, as the store bills them. */
  if (practice == NULL && !g_error_matches (error, TEND_ERROR, TEND_ERROR_NOT_FOUND))
    {
      tend_chart_ui_add_error_row (tend_chart_ui_group_new (self->more_box, _("Balance"), NULL), error);
      return;
    }
  currency = practice != NULL ? tend_practice_get_currency (practice) : "USD";

  group = tend_chart_ui_group_new (self->more_box, _("Balance"), NULL);
  gtk_widget_set_name (group, "balance-group");
  m = tend_money_init (balance.balance, currency);
  owed = tend_money_format (&m);
  row = tend_chart_ui_row_new (balance.balance < 0 ? _("Client in credit") : _("Client owes"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  gtk_widget_set_name (row, "balance-client");
  if (balance.balance < 0)
    {
      g_autofree char *credit = NULL;

      m = tend_money_init (-balance.balance, currency);
      credit = tend_money_format (&m);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), credit);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), owed);
  if (balance.insurance_due != 0)
    {
      g_autofree char *ins = NULL;

      m = tend_money_init (balance.insurance_due, currency);
      ins = tend_money_format (&m);
      row = tend_chart_ui_row_new (_("Insurance owes"), ins);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      gtk_widget_set_name (row, "balance-insurance");
    }
}

/* The conversations about or with the client that the person is in (their
 * threads are part of the client's record); each opens in Messages. */
static void
add_messages_group (TendChartOverviewTab *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = tend_messages_list_conversations (tend_chart_tab_get_store (tab),
                                                                tend_chart_tab_get_client_id (tab), &error);
  GtkWidget *group;

  if (list != NULL && list->len == 0)
    return;
  group = tend_chart_ui_group_new (self->more_box, _("Messages"), NULL);
  if (list == NULL)
    {
      tend_chart_ui_add_error_row (group, error);
      return;
    }
  for (guint i = 0; i < list->len && i < 5; i++)
    {
      TendConversationSummary *s = list->pdata[i];
      TendConversation *c = s->conversation;
      g_autofree char *subtitle = NULL;
      const char *title = tend_conversation_get_subject (c) != NULL ? tend_conversation_get_subject (c)
                          : tend_conversation_is_with_client (c) ? _("Conversation with the client")
                          : _("Conversation about the client");
      GtkWidget *row;

      if (s->unread > 0)
        /* TRANSLATORS: unread messages in a conversation */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unread", "%u unread", s->unread), s->unread);
      else if (tend_conversation_is_with_client (c))
        subtitle = g_strdup (_("With the client"));
      row = tend_chart_ui_row_new (title, subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "app.show-conversation");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", tend_record_get_id (TEND_RECORD (c)));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

typedef struct
{
  TendSyncEngine *engine;
  char           *client_id;
  char           *email;
  char           *language;
} Invite;

static void
invite_free (Invite *invite)
{
  g_object_unref (invite->engine);
  g_free (invite->client_id);
  g_free (invite->email);
  g_free (invite->language);
  g_free (invite);
}

static void
invite_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Invite *invite = data;
  GError *error = NULL;

  if (tend_sync_engine_invite_to_portal (invite->engine, invite->client_id, invite->email, invite->language,
                                         cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
invite_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TendChartOverviewTab *self = TEND_CHART_OVERVIEW_TAB (source);
  Invite *invite = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      tend_chart_ui_show_error (GTK_WIDGET (self), _("The Invitation Was Not Sent"), error);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Invitation sent to %s"), invite->email);

      tend_chart_ui_toast_text (GTK_WIDGET (self), text);
    }
  g_clear_object (&self->invite_cancellable);
  tend_chart_tab_refresh (TEND_CHART_TAB (self));
}

static void
on_invite_clicked_cb (TendChartOverviewTab *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendRecord *client = TEND_RECORD (tend_chart_tab_get_client (tab));
  TendSyncEngine *engine = self->sync != NULL ? tend_sync_controller_get_engine (self->sync) : NULL;
  const char *email = client != NULL ? tend_record_get_string (client, "email") : NULL;
  const char *language = client != NULL ? tend_record_get_string (client, "language") : NULL;
  g_autoptr(GTask) task = NULL;
  Invite *invite;

  if (engine == NULL || email == NULL || self->invite_cancellable != NULL)
    return;
  invite = g_new0 (Invite, 1);
  invite->engine = g_object_ref (engine);
  invite->client_id = g_strdup (tend_chart_tab_get_client_id (tab));
  invite->email = g_strdup (email);
  invite->language = g_strdup (g_strcmp0 (language, "es") == 0 ? "es" : "en");
  self->invite_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->invite_cancellable, invite_done_cb, NULL);
  g_task_set_source_tag (task, on_invite_clicked_cb);
  g_task_set_task_data (task, invite, (GDestroyNotify) invite_free);
  g_task_run_in_thread (task, invite_thread);
  tend_chart_tab_refresh (tab);
}

/* The client portal: an invitation to the address on file, through the
 * practice server (so only when connected, and for roles that edit
 * demographics, as the server checks); forms for the portal are records,
 * sent offline too, with the next sync. */
static void
add_portal_groups (TendChartOverviewTab *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);

  if (self->sync == NULL)
    return;
  if (tend_chart_tab_can (tab, TEND_PERMISSION_EDIT_DEMOGRAPHICS) && tend_sync_controller_get_engine (self->sync) != NULL)
    {
      const char *email = tend_record_get_string (TEND_RECORD (tend_chart_tab_get_client (tab)), "email");
      GtkWidget *group = tend_chart_ui_group_new (self->more_box, _("Client Portal"), NULL);
      GtkWidget *row = tend_chart_ui_row_new (_("Invitation"),
                                              email != NULL ? email : _("Add the client’s e-mail address first (Contacts)"));
      GtkWidget *invite = gtk_button_new_with_mnemonic (_("_Invite to Portal"));

      gtk_widget_set_name (invite, "invite-button");
      gtk_widget_set_valign (invite, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (invite, email != NULL && self->invite_cancellable == NULL);
      g_signal_connect_object (invite, "clicked", G_CALLBACK (on_invite_clicked_cb), self, G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), invite);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  gtk_box_append (self->more_box, tend_portal_forms_new (tend_chart_tab_get_store (tab), tend_chart_tab_get_client_id (tab)));
}

static void
fill_sessions (TendChartOverviewTab *self,
               GtkListBox           *list,
               gboolean              upcoming,
               GHashTable           *names)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendStore *store = tend_chart_tab_get_store (tab);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = tend_chart_list_sessions (store, tend_chart_tab_get_client_id (tab),
                                                            g_get_real_time (), upcoming, upcoming ? 3 : 5, &error);

  if (sessions == NULL)
    {
      gtk_list_box_append (list, tend_chart_ui_error_row_new (error));
      return;
    }
  for (guint i = 0; i < sessions->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (sessions, i);
      g_autofree char *when = tend_chart_ui_format_session (a, tend_chart_tab_get_zone (tab));
      g_autofree char *sub = g_strdup_printf ("%s · %s",
                                              tend_chart_ui_staff_name (store, names, tend_appointment_get_clinician_id (a)),
                                              tend_appointment_status_get_label (tend_appointment_get_status (a)));

      add_row (list, when, sub);
    }
  if (sessions->len == 0)
    add_row (list, upcoming ? _("None booked") : _("None yet"), NULL);
}

static void
fill_notes (TendChartOverviewTab *self,
            GHashTable           *names)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendStore *store = tend_chart_tab_get_store (tab);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = tend_chart_list_notes (store, tend_chart_tab_get_client_id (tab), 0, 3, &error);

  if (notes == NULL)
    {
      gtk_list_box_append (self->notes_list, tend_chart_ui_error_row_new (error));
      return;
    }
  for (guint i = 0; i < notes->len; i++)
    gtk_list_box_append (self->notes_list,
                         tend_chart_ui_note_row_new (store, tend_chart_tab_get_zone (tab),
                                                     tend_chart_tab_get_overdue_days (tab),
                                                     g_ptr_array_index (notes, i), names));
  if (notes->len == 0)
    add_row (self->notes_list, _("No notes yet"), NULL);
}

static void
fill_diagnoses (TendChartOverviewTab *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) dxs = tend_chart_list_diagnoses (tend_chart_tab_get_store (tab),
                                                        tend_chart_tab_get_client_id (tab), &error);

  if (dxs == NULL)
    {
      gtk_list_box_append (self->diagnoses_list, tend_chart_ui_error_row_new (error));
      return;
    }
  for (guint i = 0; i < dxs->len; i++)
    if (tend_diagnosis_is_active (g_ptr_array_index (dxs, i)))
      {
        TendDiagnosis *dx = g_ptr_array_index (dxs, i);
        g_autofree char *title = g_strdup_printf ("%s %s", tend_diagnosis_get_code (dx), tend_diagnosis_get_description (dx));

        add_row (self->diagnoses_list, title,
                 tend_diagnosis_get_rank (dx) == TEND_DIAGNOSIS_PRIMARY ? _("Primary") : _("Secondary"));
      }
}

static void
tend_chart_overview_tab_refresh (TendChartTab *tab)
{
  TendChartOverviewTab *self = TEND_CHART_OVERVIEW_TAB (tab);
  g_autoptr(GHashTable) names = tend_chart_ui_names_new ();
  GtkListBox *lists[] = { self->upcoming_list, self->past_list, self->notes_list, self->diagnoses_list };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    tend_chart_ui_list_clear (lists[i]);
  tend_chart_ui_clear_box (self->more_box);
  fill_sessions (self, self->upcoming_list, TRUE, names);
  fill_sessions (self, self->past_list, FALSE, names);
  gtk_widget_set_visible (self->notes_group, tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_CLINICAL));
  if (tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_CLINICAL))
    fill_notes (self, names);
  gtk_widget_set_visible (self->diagnoses_group, tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_DIAGNOSES));
  if (tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_DIAGNOSES))
    fill_diagnoses (self);
  add_access_group (self, names);
  add_messages_group (self);
  add_balance_group (self);
  add_portal_groups (self);
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    tend_chart_ui_list_update_visible (lists[i]);
}

static void
tend_chart_overview_tab_dispose (GObject *object)
{
  TendChartOverviewTab *self = TEND_CHART_OVERVIEW_TAB (object);

  if (self->invite_cancellable != NULL)
    g_cancellable_cancel (self->invite_cancellable);
  g_clear_object (&self->invite_cancellable);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->access, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_CHART_OVERVIEW_TAB);
  G_OBJECT_CLASS (tend_chart_overview_tab_parent_class)->dispose (object);
}

static void
tend_chart_overview_tab_finalize (GObject *object)
{
  TendChartOverviewTab *self = TEND_CHART_OVERVIEW_TAB (object);

  g_clear_pointer (&self->ending_access_id, g_free);
  G_OBJECT_CLASS (tend_chart_overview_tab_parent_class)->finalize (object);
}

static void
tend_chart_overview_tab_class_init (TendChartOverviewTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TendChartTabClass *tab_class = TEND_CHART_TAB_CLASS (klass);

  object_class->dispose = tend_chart_overview_tab_dispose;
  object_class->finalize = tend_chart_overview_tab_finalize;
  tab_class->refresh = tend_chart_overview_tab_refresh;
  g_type_ensure (TEND_TYPE_CHART_READ_ERROR);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-overview-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartOverviewTab, stack);
  gtk_widget_class_bind_template_child (widget_class, TendChartOverviewTab, read_error);
  gtk_widget_class_bind_template_child (widget_class, TendChartOverviewTab, upcoming_list);
  gtk_widget_class_bind_template_child (widget_class, TendChartOverviewTab, past_list);
  gtk_widget_class_bind_template_child (widget_class, TendChartOverviewTab, notes_group);
  gtk_widget_class_bind_template_child (widget_class, TendChartOverviewTab, notes_list);
  gtk_widget_class_bind_template_child (widget_class, TendChartOverviewTab, diagnoses_group);
  gtk_widget_class_bind_template_child (widget_class, TendChartOverviewTab, diagnoses_list);
  gtk_widget_class_bind_template_child (widget_class, TendChartOverviewTab, more_box);
  tend_chart_tab_bind_class (widget_class);
  gtk_widget_class_install_action (widget_class, "overview.give-access", NULL, give_access_action);
  gtk_widget_class_install_action (widget_class, "overview.end-access", "s", end_access_action);
}

static void
tend_chart_overview_tab_init (TendChartOverviewTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tend_chart_overview_tab_set_sync:
 * @sync: (nullable): the practice server the store syncs with
 *
 * With a server, the tab offers to invite the client to the portal and
 * lists the forms sent there.
 */
void
tend_chart_overview_tab_set_sync (TendChartOverviewTab *self,
                                  TendSyncController   *sync)
{
  g_return_if_fail (TEND_IS_CHART_OVERVIEW_TAB (self));
  g_set_object (&self->sync, sync);
}
