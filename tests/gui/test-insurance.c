/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-insurance.c: the client's insurance in the chart's Contacts and the
 * client form: policies shown and edited by the front desk and the biller
 * (typed insurance reviewed into policies, coverage ended), read only for
 * a clinician, against a real store */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include "gui-test-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tend-billing-page.h"
#include "tend-chart-insurance.h"
#include "tend-chart-page.h"
#include "tend-client-form.h"
#include "tend-insurance.h"
#include "tend-keyring.h"
#include "tend-policy-window.h"

typedef struct
{
  char          *dir;
  TendStore     *store;
  GtkWidget     *window;
  TendChartPage *page;
  char          *desk;
  char          *bill;
  char          *cleo;
  char          *bhh;
  char          *sunrise;
  char          *client_id;
  char          *policy_id;
  char          *intake_id;
} Fixture;

static char *
save (TendStore  *store,
      TendRecord *record)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_save (store, record, &error));
  g_assert_no_error (error);
  return g_strdup (tend_record_get_id (record));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = tend_keyring_generate_key ();
  g_autofree char *path = NULL;
  g_autoptr(TendPractice) practice = tend_practice_new ("Harbor Counseling", "America/New_York");
  g_autoptr(TendStaff) desk = tend_staff_new ("Fran", "Desk", TEND_ROLE_FRONT_DESK);
  g_autoptr(TendStaff) bill = tend_staff_new ("Bill", "Ng", TEND_ROLE_BILLER);
  g_autoptr(TendStaff) cleo = tend_staff_new ("Cleo", "Tester", TEND_ROLE_CLINICIAN);
  g_autoptr(TendPayer) bhh = tend_payer_new ("Blue Harbor Health", "BHH01", "CI");
  g_autoptr(TendPayer) sunrise = tend_payer_new ("Sunrise Mutual", "SUN01", "CI");
  g_autoptr(TendClient) client = tend_client_new ("Rowan", "Hale");
  g_autoptr(TendPolicy) policy = NULL;
  g_autoptr(TendPortalForm) form = NULL;
  g_autoptr(JsonNode) details = NULL;

  f->dir = g_dir_make_tmp ("tend-gui-insurance-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "tend.db", NULL);
  f->store = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_free (save (f->store, TEND_RECORD (practice)));
  f->desk = save (f->store, TEND_RECORD (desk));
  f->bill = save (f->store, TEND_RECORD (bill));
  f->cleo = save (f->store, TEND_RECORD (cleo));
  f->bhh = save (f->store, TEND_RECORD (bhh));
  f->sunrise = save (f->store, TEND_RECORD (sunrise));
  /* Typed before policies, with a payer name the practice does not use. */
  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id", f->cleo);
  tend_record_set_string (TEND_RECORD (client), "insurance.payer", "Sunrise Mutual Plan");
  tend_record_set_string (TEND_RECORD (client), "insurance.member_number", "SM-1");
  f->client_id = save (f->store, TEND_RECORD (client));
  policy = tend_policy_new (f->client_id, f->bhh, "BH-100");
  tend_record_set_string (TEND_RECORD (policy), "group_number", "G-7");
  tend_record_set_string (TEND_RECORD (policy), "priority", "primary");
  tend_record_set_string (TEND_RECORD (policy), "relationship", "self");
  tend_record_set_string (TEND_RECORD (policy), "effective_from", "2026-01-01");
  f->policy_id = save (f->store, TEND_RECORD (policy));
  /* The client sent more insurance through the portal's intake form. */
  form = tend_portal_form_new (f->client_id, TEND_PORTAL_FORM_INTAKE, NULL, "Contact and Insurance Details", NULL, f->desk);
  details = json_from_string ("{\"insurance.payer\":\"blue harbor health\",\"insurance.member_number\":\"BH-200\","
                              "\"insurance.subscriber\":\"Ana Hale\",\"insurance.subscriber_relationship\":\"mother\"}",
                              NULL);
  tend_record_set_json (TEND_RECORD (form), "details", details);
  tend_record_set_string (TEND_RECORD (form), "status", "completed");
  tend_record_set_string (TEND_RECORD (form), "completed_at", "2026-12-01T15:00:00Z");
  f->intake_id = save (f->store, TEND_RECORD (form));

  f->window = gtk_window_new ();
  f->page = TEND_CHART_PAGE (tend_chart_page_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GList) tops = gtk_window_list_toplevels ();

  for (GList *l = tops; l != NULL; l = l->next)
    if (l->data != f->window)
      gtk_window_destroy (l->data);
  gtk_window_destroy (GTK_WINDOW (f->window));
  spin_for (20);
  g_clear_object (&f->store);
  {
    GDir *d = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (f->dir, name, NULL);
        g_remove (p);
      }
    if (d != NULL)
      g_dir_close (d);
    g_rmdir (f->dir);
  }
  g_free (f->dir);
  g_free (f->desk);
  g_free (f->bill);
  g_free (f->cleo);
  g_free (f->bhh);
  g_free (f->sunrise);
  g_free (f->client_id);
  g_free (f->policy_id);
  g_free (f->intake_id);
}

/* The chart of the client as @staff_id, on Contacts: its Insurance group. */
static TendChartInsurance *
open_chart (Fixture    *f,
            const char *staff_id,
            TendRole    role)
{
  g_autoptr(GError) error = NULL;
  TendChartInsurance *insurance;

  tend_store_set_actor (f->store, staff_id, role);
  tend_chart_page_set_store (f->page, f->store, NULL);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "contacts");
  spin_for (100);
  insurance = find_widget (GTK_WIDGET (f->page), TEND_TYPE_CHART_INSURANCE);
  g_assert_nonnull (insurance);
  return insurance;
}

static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_point_t p;

  spin_for (100);
  if (scroller != NULL &&
      gtk_widget_compute_point (widget, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                &GRAPHENE_POINT_INIT (0, 0), &p))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), p.y - 12);
}

/* The rows of the group's list, in order. */
static GtkWidget *
nth_row (TendChartInsurance *insurance,
         guint               n)
{
  GtkListBox *list = tend_chart_insurance_get_list (insurance);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, (int) n);

  g_assert_nonnull (row);
  return GTK_WIDGET (row);
}

static TendPolicyWindow *
policy_window (void)
{
  g_autoptr(GList) tops = gtk_window_list_toplevels ();

  for (GList *l = tops; l != NULL; l = l->next)
    if (TEND_IS_POLICY_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* Picks @label in the payer row of an open policy window. */
static void
choose_payer (TendPolicyWindow *window,
              const char       *label)
{
  AdwComboRow *row = ADW_COMBO_ROW (tend_record_form_get_row (tend_policy_window_get_form (window), "payer_id"));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static gboolean
no_policy_window (gpointer data)
{
  return policy_window () == NULL;
}

/* The front desk: the policy and both pieces of typed insurance shown;
 * the one without a payer cannot be saved until a payer is chosen; a
 * coverage ended; a new policy added. */
static void
test_front_desk (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) made = NULL;
  g_autoptr(TendRecord) ended = NULL;
  g_autofree char *derived = tend_record_derive_id ("tend-policy", f->client_id, "client-insurance");
  TendChartInsurance *insurance = open_chart (f, f->desk, TEND_ROLE_FRONT_DESK);
  TendPolicyWindow *window;
  GtkWidget *add_button, *end_button, *review;
  AdwMessageDialog *dialog = NULL;

  g_assert_true (tend_chart_insurance_can_edit (insurance));
  g_assert_cmpuint (tend_chart_insurance_get_n_policies (insurance), ==, 1);
  g_assert_cmpuint (tend_chart_insurance_get_n_pending (insurance), ==, 2);
  add_button = tend_chart_insurance_get_add_button (insurance);
  g_assert_true (gtk_widget_get_visible (add_button));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (nth_row (insurance, 0))), ==,
                   "Blue Harbor Health · Primary");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (nth_row (insurance, 0))),
                                  "Member BH-100 · Group G-7 · from "));
  scroll_to (GTK_WIDGET (insurance));
  gui_test_screenshot (f->window, "insurance-chart-front-desk");

  /* The old typed insurance: no payer of that name, so none is chosen and
   * saving says so. */
  review = g_object_get_data (G_OBJECT (nth_row (insurance, 1)), "review-button");
  g_assert_nonnull (review);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (review), "source-id"), ==, f->client_id);
  g_signal_emit_by_name (review, "clicked");
  window = policy_window ();
  g_assert_nonnull (window);
  g_assert_false (tend_policy_window_save (window, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (tend_policy_window_get_form (window)), ==, "payer_id");
  g_assert_null (tend_store_load (f->store, TEND_TYPE_POLICY, derived, NULL));
  gui_test_screenshot (GTK_WIDGET (window), "insurance-review-needs-payer");
  choose_payer (window, "Sunrise Mutual");
  g_assert_true (tend_policy_window_save (window, &error));
  g_assert_no_error (error);
  made = tend_store_load (f->store, TEND_TYPE_POLICY, derived, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (made, "payer_id"), ==, f->sunrise);
  g_assert_cmpstr (tend_record_get_string (made, "member_id"), ==, "SM-1");
  g_assert_cmpstr (tend_record_get_string (made, "priority"), ==, "secondary");
  gtk_window_destroy (GTK_WINDOW (window));
  spin_until (no_policy_window, NULL, 2000);
  g_assert_cmpuint (tend_chart_insurance_get_n_policies (insurance), ==, 2);
  g_assert_cmpuint (tend_chart_insurance_get_n_pending (insurance), ==, 1);

  /* End the primary coverage today, after asking. */
  end_button = g_object_get_data (G_OBJECT (nth_row (insurance, 0)), "end-button");
  g_assert_nonnull (end_button);
  g_signal_emit_by_name (end_button, "clicked");
  {
    g_autoptr(GList) tops = gtk_window_list_toplevels ();

    for (GList *l = tops; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        dialog = l->data;
  }
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "end");
  ended = tend_store_load (f->store, TEND_TYPE_POLICY, f->policy_id, &error);
  g_assert_nonnull (tend_record_get_string (ended, "effective_to"));
  spin_for (50);
  /* It covers today still, and cannot be ended again. */
  g_assert_cmpstr (g_object_get_data (G_OBJECT (nth_row (insurance, 0)), "policy-id"), ==, f->policy_id);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (nth_row (insurance, 0))), " · until "));
  g_assert_null (g_object_get_data (G_OBJECT (nth_row (insurance, 0)), "end-button"));

  /* A new policy from Add Policy. */
  g_signal_emit_by_name (add_button, "clicked");
  window = policy_window ();
  g_assert_nonnull (window);
  choose_payer (window, "Blue Harbor Health");
  gtk_editable_set_text (GTK_EDITABLE (tend_record_form_get_row (tend_policy_window_get_form (window), "member_id")),
                         "BH-300");
  g_assert_true (tend_policy_window_save (window, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (50);
  g_assert_cmpuint (tend_chart_insurance_get_n_policies (insurance), ==, 3);

  /* At a phone's width. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 720);
  spin_for (300);
  scroll_to (GTK_WIDGET (insurance));
  gui_test_screenshot (f->window, "insurance-chart-front-desk-360");
}

/* The biller confirms the intake's insurance: the payer of that name is
 * chosen for them, the subscriber named, and it becomes a policy. */
static void
test_biller_intake (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) made = NULL;
  g_autofree char *derived = tend_record_derive_id ("tend-policy", f->intake_id, "intake-insurance");
  TendChartInsurance *insurance = open_chart (f, f->bill, TEND_ROLE_BILLER);
  GtkWindow *window;

  g_assert_true (tend_chart_insurance_can_edit (insurance));
  g_assert_cmpuint (tend_chart_insurance_get_n_pending (insurance), ==, 2);
  /* The intake's row says what it is. */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (nth_row (insurance, 2))),
                            "Insurance from intake awaiting review"));
  window = tend_chart_insurance_review (insurance, f->intake_id);
  g_assert_nonnull (window);
  gui_test_screenshot (GTK_WIDGET (window), "insurance-review-intake");
  g_assert_true (tend_policy_window_save (TEND_POLICY_WINDOW (window), &error));
  g_assert_no_error (error);
  made = tend_store_load (f->store, TEND_TYPE_POLICY, derived, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (made, "payer_id"), ==, f->bhh);
  g_assert_cmpstr (tend_record_get_string (made, "member_id"), ==, "BH-200");
  g_assert_cmpstr (tend_record_get_string (made, "relationship"), ==, "other");
  g_assert_cmpstr (tend_record_get_string (made, "subscriber.given"), ==, "Ana");
  g_assert_cmpstr (tend_record_get_string (made, "subscriber.family"), ==, "Hale");
  gtk_window_destroy (window);
  spin_for (50);
  g_assert_cmpuint (tend_chart_insurance_get_n_pending (insurance), ==, 1);
  g_assert_cmpuint (tend_chart_insurance_get_n_policies (insurance), ==, 2);
}

/* A clinician reads the client's insurance and changes nothing: no Add,
 * no Review or End, and the store refuses. */
static void
test_clinician_reads (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TendChartInsurance *insurance = open_chart (f, f->cleo, TEND_ROLE_CLINICIAN);
  GtkWidget *add_button = tend_chart_insurance_get_add_button (insurance);

  g_assert_false (tend_chart_insurance_can_edit (insurance));
  g_assert_cmpuint (tend_chart_insurance_get_n_policies (insurance), ==, 1);
  g_assert_cmpuint (tend_chart_insurance_get_n_pending (insurance), ==, 2);
  g_assert_false (gtk_widget_get_visible (add_button));
  for (guint i = 0; i < 3; i++)
    {
      g_assert_null (g_object_get_data (G_OBJECT (nth_row (insurance, i)), "review-button"));
      g_assert_null (g_object_get_data (G_OBJECT (nth_row (insurance, i)), "end-button"));
      g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (nth_row (insurance, i))));
    }
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (nth_row (insurance, 2))),
                            "Billing makes it a policy"));
  scroll_to (GTK_WIDGET (insurance));
  gui_test_screenshot (f->window, "insurance-chart-clinician");
  g_assert_false (tend_chart_insurance_end (insurance, f->policy_id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
}

/* The client form shows the same group for an existing client; editing
 * the client keeps the old typed insurance as it was. */
static void
test_client_form (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) client = NULL;
  g_autoptr(TendRecord) saved = NULL;
  TendClientForm *form;
  GtkWidget *insurance;

  tend_store_set_actor (f->store, f->desk, TEND_ROLE_FRONT_DESK);
  client = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, &error);
  form = tend_client_form_new_for_client (f->store, TEND_CLIENT (client));
  gtk_window_set_default_size (GTK_WINDOW (form), 360, 720);
  gtk_window_present (GTK_WINDOW (form));
  insurance = tend_client_form_get_insurance (form);
  g_assert_nonnull (insurance);
  g_assert_true (tend_chart_insurance_can_edit (TEND_CHART_INSURANCE (insurance)));
  g_assert_cmpuint (tend_chart_insurance_get_n_policies (TEND_CHART_INSURANCE (insurance)), ==, 1);
  scroll_to (insurance);
  gui_test_screenshot (GTK_WIDGET (form), "insurance-client-form-360");
  gtk_editable_set_text (tend_client_form_get_entry (form, "email"), "rowan@example.org");
  g_assert_true (tend_client_form_save (form));
  saved = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, &error);
  g_assert_cmpstr (tend_record_get_string (saved, "email"), ==, "rowan@example.org");
  g_assert_cmpstr (tend_record_get_string (saved, "insurance.payer"), ==, "Sunrise Mutual Plan");
}

/* Whether a label under @root shows text containing @text. */
static gboolean
shows (GtkWidget  *root,
       const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (shows (c, text))
      return TRUE;
  return FALSE;
}

/* The biller's Billing page says that an intake's insurance waits, and
 * stops saying so once it is a policy. */
static void
test_billing_notice (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(TendRecord) draft = NULL;
  GtkWidget *page = tend_billing_page_new ();

  tend_store_set_actor (f->store, f->bill, TEND_ROLE_BILLER);
  gtk_window_set_child (GTK_WINDOW (f->window), page);
  tend_billing_page_set_store (TEND_BILLING_PAGE (page), f->store);
  tend_billing_page_set_role (TEND_BILLING_PAGE (page), TEND_ROLE_BILLER);
  tend_billing_page_reload (TEND_BILLING_PAGE (page));
  g_assert_true (tend_billing_page_show_client (TEND_BILLING_PAGE (page), f->client_id));
  spin_for (100);
  g_assert_true (shows (page, "Insurance from intake awaiting review: 1 form"));
  g_assert_true (shows (page, "2 awaiting review in the chart’s Contacts"));
  gui_test_screenshot (f->window, "insurance-billing-notice");

  pending = tend_insurance_list_pending (f->store, f->client_id, &error);
  for (guint i = 0; i < pending->len; i++)
    if (((TendInsuranceProposal *) pending->pdata[i])->from_intake)
      draft = tend_insurance_proposal_to_policy (f->store, pending->pdata[i]);
  g_assert_true (tend_store_save (f->store, draft, &error));
  g_assert_no_error (error);
  tend_billing_page_reload (TEND_BILLING_PAGE (page));
  g_assert_false (shows (page, "Insurance from intake awaiting review"));
}

/* The message dialog shown, or NULL. */
static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* Dismiss: the front desk sets the intake's insurance aside after being
 * asked (Cancel keeps it); a dismissal record in their name, which syncs,
 * and the row is gone.  A clinician gets no Dismiss, and the store refuses
 * them one behind the GUI's back. */
static void
test_dismiss (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) dismissal = NULL;
  g_autofree char *id = tend_insurance_dismissal_id_for (f->intake_id, TRUE);
  TendChartInsurance *insurance = open_chart (f, f->desk, TEND_ROLE_FRONT_DESK);
  GtkWidget *button, *dialog;
  guint outbox = tend_store_count_outbox (f->store);

  g_assert_cmpuint (tend_chart_insurance_get_n_pending (insurance), ==, 2);
  button = g_object_get_data (G_OBJECT (nth_row (insurance, 2)), "dismiss-button");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  scroll_to (GTK_WIDGET (insurance));
  gui_test_screenshot (f->window, "insurance-dismiss-1280");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 740);
  spin_for (300);
  scroll_to (GTK_WIDGET (insurance));
  gui_test_screenshot (f->window, "insurance-dismiss-360");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  spin_for (100);

  g_signal_emit_by_name (button, "clicked");
  spin_for (100);
  dialog = GTK_WIDGET (find_dialog ());
  g_assert_nonnull (dialog);
  gui_test_screenshot (dialog, "insurance-dismiss-ask");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  spin_for (50);
  g_assert_cmpuint (tend_chart_insurance_get_n_pending (insurance), ==, 2);
  g_assert_null (tend_store_load (f->store, TEND_TYPE_INSURANCE_DISMISSAL, id, NULL));

  dialog = tend_chart_insurance_dismiss (insurance, f->intake_id);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "dismiss");
  spin_for (100);
  g_assert_cmpuint (tend_chart_insurance_get_n_pending (insurance), ==, 1);
  g_assert_cmpuint (tend_chart_insurance_get_n_policies (insurance), ==, 1);
  dismissal = tend_store_load (f->store, TEND_TYPE_INSURANCE_DISMISSAL, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (dismissal, "dismissed_by"), ==, f->desk);
  g_assert_cmpuint (tend_store_count_outbox (f->store), ==, outbox + 1);

  /* A clinician: no Dismiss; the store refuses. */
  insurance = open_chart (f, f->cleo, TEND_ROLE_CLINICIAN);
  g_assert_cmpuint (tend_chart_insurance_get_n_pending (insurance), ==, 1);
  g_assert_null (g_object_get_data (G_OBJECT (nth_row (insurance, 1)), "dismiss-button"));
  g_assert_false (tend_chart_insurance_dismiss_now (insurance, f->client_id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  adw_init ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/insurance/front-desk", test_front_desk);
  ADD ("/insurance/biller-intake", test_biller_intake);
  ADD ("/insurance/clinician-reads", test_clinician_reads);
  ADD ("/insurance/client-form", test_client_form);
  ADD ("/insurance/billing-notice", test_billing_notice);
  ADD ("/insurance/dismiss", test_dismiss);
#undef ADD
  return g_test_run ();
}
