/* test-chart.c: the chart page: header and alerts, pages by role, a note
 * written in the editor (autosaved, recovered after the window is gone,
 * signed after confirming), addenda under a signed note, the measures graph,
 * and the client list's filters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gui-test-util.h"

#include <adwaita.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>

#include "tend-billing.h"
#include "tend-break-glass-dialog.h"
#include "tend-grant-access-dialog.h"
#include "tend-chart.h"
#include <poppler.h>

#include "tend-chart-page.h"
#include "tend-messages.h"
#include "tend-chart-plan-tab.h"
#include "tend-plan-client-signature.h"
#include "tend-plan-editor.h"
#include "tend-safety-plan-window.h"
#include "tend-date-row.h"
#include "tend-diagnosis-dialog.h"
#include "tend-client-form.h"
#include "tend-client-list.h"
#include "tend-clients-page.h"
#include "tend-keyring.h"
#include "tend-measure-dialog.h"
#include "tend-measure-graph.h"
#include "tend-money.h"
#include "tend-note-editor.h"
#include "tend-portal-forms.h"
#include "tend-related-people.h"
#include "tend-consent-texts-window.h"
#include "tend-sync-controller.h"

#include <sqlite3.h>

#define CLINICIAN_PASSWORD "cleo signs her notes"

typedef struct
{
  char       *dir;
  GBytes     *key;
  TendStore  *store;
  char       *clinician_id;
  char       *front_desk_id;
  char       *client_id;
  char       *signed_note_id;
  GtkWidget  *window;
  TendChartPage *page;
} Fixture;

static char *
save_staff (TendStore  *store,
            const char *given,
            TendRole    role)
{
  g_autoptr(TendStaff) staff = tend_staff_new (given, "Tester", role);
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_save (store, TEND_RECORD (staff), &error));
  return g_strdup (tend_record_get_id (TEND_RECORD (staff)));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = tend_keyring_generate_key ();
  g_autofree char *path = NULL;
  g_autoptr(TendClient) client = tend_client_new ("Rowan", "Hale");
  g_autoptr(TendClient) other = tend_client_new ("Sasha", "Ibarra");
  g_autoptr(TendClient) gone = tend_client_new ("Ezra", "Kline");
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(TendClinicalNote) signed_note = NULL;
  g_autoptr(TendClinicalNote) addendum = NULL;
  guint phq1[9] = { 2, 2, 2, 2, 2, 1, 1, 1, 0 };
  guint phq2[9] = { 1, 1, 1, 1, 1, 1, 0, 0, 1 };
  g_autoptr(TendMeasure) m1 = tend_measure_new (NULL, TEND_INSTRUMENT_PHQ9, "2026-01-05", phq1, 9);
  g_autoptr(TendMeasure) m2 = tend_measure_new (NULL, TEND_INSTRUMENT_PHQ9, "2026-02-02", phq2, 9);

  f->dir = g_dir_make_tmp ("tend-gui-chart-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "tend.db", NULL);
  f->store = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, &error);
  f->key = g_bytes_ref (key);
  g_assert_no_error (error);

  f->clinician_id = save_staff (f->store, "Cleo", TEND_ROLE_CLINICIAN);
  f->front_desk_id = save_staff (f->store, "Fran", TEND_ROLE_FRONT_DESK);
  /* Signing a note asks for the clinician's own password. */
  g_assert_true (tend_store_set_password (f->store, f->clinician_id, CLINICIAN_PASSWORD, &error));
  tend_record_set_string (TEND_RECORD (client), "pronouns", "they/them");
  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id", f->clinician_id);
  tend_record_set_string (TEND_RECORD (client), "insurance.payer", "Blue Harbor Health");
  tend_record_set_string (TEND_RECORD (gone), "status", "discharged");
  tend_record_set_string (TEND_RECORD (other), "primary_clinician_id", f->clinician_id);
  g_assert_true (tend_store_save (f->store, TEND_RECORD (client), &error));
  g_assert_true (tend_store_save (f->store, TEND_RECORD (other), &error));
  g_assert_true (tend_store_save (f->store, TEND_RECORD (gone), &error));
  f->client_id = g_strdup (tend_record_get_id (TEND_RECORD (client)));

  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
  note = tend_clinical_note_new (f->client_id, f->clinician_id, TEND_NOTE_TEMPLATE_DAP);
  tend_record_set_string (TEND_RECORD (note), "service_date", "2026-01-05");
  tend_clinical_note_set_section (note, "data", "Discussed the move.");
  tend_clinical_note_set_section (note, "assessment", "Adjusting.");
  tend_clinical_note_set_section (note, "plan", "Fortnightly.");
  g_assert_true (tend_chart_save_note (f->store, note, &error));
  signed_note = tend_chart_sign_note (f->store, tend_record_get_id (TEND_RECORD (note)), &error);
  g_assert_no_error (error);
  f->signed_note_id = g_strdup (tend_record_get_id (TEND_RECORD (note)));
  addendum = tend_chart_add_addendum (f->store, f->signed_note_id, "Addendum text for the test.", &error);
  g_assert_no_error (error);
  tend_record_set_string (TEND_RECORD (m1), "client_id", f->client_id);
  tend_record_set_string (TEND_RECORD (m2), "client_id", f->client_id);
  g_assert_true (tend_store_save (f->store, TEND_RECORD (m1), &error));
  g_assert_true (tend_store_save (f->store, TEND_RECORD (m2), &error));

  f->window = gtk_window_new ();
  f->page = TEND_CHART_PAGE (tend_chart_page_new ());
  tend_chart_page_set_store (f->page, f->store, NULL);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  spin_for (100);
}

static void
remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  spin_for (20);
  g_clear_object (&f->store);
  g_clear_pointer (&f->key, g_bytes_unref);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->clinician_id);
  g_free (f->front_desk_id);
  g_free (f->client_id);
  g_free (f->signed_note_id);
}

static gboolean
page_visible (Fixture    *f,
              const char *name)
{
  AdwViewStack *views = tend_chart_page_get_views (f->page);
  GtkWidget *child = adw_view_stack_get_child_by_name (views, name);

  return adw_view_stack_page_get_visible (adw_view_stack_get_page (views, child));
}

/* Whether a label showing @text is somewhere under @root (a label inside
 * a hidden widget shows nothing). */
static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_get_visible (c))
        continue;
      if (GTK_IS_LABEL (c) && strstr (gtk_label_get_text (GTK_LABEL (c)), text) != NULL)
        return TRUE;
      if (has_label (c, text))
        return TRUE;
    }
  return FALSE;
}

static void
test_header_and_pages (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *graph;

  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  spin_for (50);
  g_assert_true (has_label (GTK_WIDGET (f->page), "Rowan Hale"));
  g_assert_true (has_label (GTK_WIDGET (f->page), "they/them"));
  /* The latest PHQ-9 answered item 9: the header says so. */
  g_assert_true (tend_chart_page_has_risk_alert (f->page));
  g_assert_true (has_label (GTK_WIDGET (f->page), "item 9"));
  for (guint i = 0; i < 7; i++)
    {
      static const char * const names[] = { "overview", "notes", "diagnoses", "plan", "measures", "documents", "contacts" };
      g_assert_true (page_visible (f, names[i]));
    }
  g_assert_false (page_visible (f, "audit"));  /* the owner's */
  g_assert_cmpuint (tend_chart_page_get_n_note_rows (f->page), ==, 1);  /* the addendum is under its note */
  graph = tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_PHQ9);
  g_assert_nonnull (graph);
  g_assert_cmpuint (tend_measure_graph_get_n_points (TEND_MEASURE_GRAPH (graph)), ==, 2);
  g_assert_cmpuint (tend_measure_graph_get_n_points (TEND_MEASURE_GRAPH (
                      tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_GAD7))), ==, 0);

  /* The signed note, its signature and its addendum. */
  g_assert_true (tend_chart_page_open_note (f->page, f->signed_note_id, &error));
  g_assert_no_error (error);
  spin_for (50);
  g_assert_cmpstr (tend_chart_page_get_mode (f->page), ==, "note");
  g_assert_true (has_label (GTK_WIDGET (f->page), "Discussed the move."));
  g_assert_true (has_label (GTK_WIDGET (f->page), "Signed by Cleo Tester"));
  g_assert_true (has_label (GTK_WIDGET (f->page), "Addendum text for the test."));
}

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

static AdwMessageDialog *wait_for_dialog (void);

/* Types @password into the sign dialog and signs; returns once the
 * password is checked (the note signed, or an error dialog up). */
static gboolean
note_signed_or_refused (gpointer data)
{
  gpointer *pair = data;
  g_autoptr(TendRecord) stored = tend_store_load (pair[0], TEND_TYPE_CLINICAL_NOTE, pair[1], NULL);

  return (stored != NULL && tend_clinical_note_is_signed (TEND_CLINICAL_NOTE (stored))) || find_dialog () != NULL;
}

static void
sign_with_password (AdwMessageDialog *dialog,
                    TendStore        *store,
                    const char       *note_id,
                    const char       *password)
{
  AdwPasswordEntryRow *row = find_widget (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW);
  gpointer pair[2] = { store, (gpointer) note_id };

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), password);
  adw_message_dialog_response (dialog, "sign");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_for (20);
  spin_until (note_signed_or_refused, pair, 10000);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *hit;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), label) == 0)
        return c;
      if ((hit = find_button (c, label)) != NULL)
        return hit;
    }
  return NULL;
}

/* Runs @sql on the store's file through a connection of its own, going
 * around the store: how a test breaks what the chart reads. */
static void
raw_exec (Fixture    *f,
          const char *sql)
{
  g_autofree char *path = g_build_filename (f->dir, "tend.db", NULL);

  gui_test_raw_exec (path, f->key, sql);
}

/* The status page shown somewhere under @root (a stack's other pages, such
 * as a tab's read error while its content shows, are not shown). */
static AdwStatusPage *
find_status_page (GtkWidget *root)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      AdwStatusPage *hit;

      if (!gtk_widget_get_visible (c) || !gtk_widget_get_child_visible (c))
        continue;
      if (ADW_IS_STATUS_PAGE (c))
        return ADW_STATUS_PAGE (c);
      if ((hit = find_status_page (c)) != NULL)
        return hit;
    }
  return NULL;
}

/* A read that fails (here the measures and diagnoses tables are gone from
 * under the store) shows as an error with the store's message, in the tab
 * and in the overview's group, never as an empty list; the header says it
 * could not check for a risk alert rather than showing none. */
static void
test_read_failure_shown (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwViewStack *views;
  AdwStatusPage *status;
  GtkWidget *measures, *diagnoses, *notes;

  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_true (tend_chart_page_has_risk_alert (f->page));
  views = tend_chart_page_get_views (f->page);
  measures = adw_view_stack_get_child_by_name (views, "measures");
  adw_view_stack_set_visible_child_name (views, "measures");
  spin_for (50);
  g_assert_null (find_status_page (measures));
  g_assert_nonnull (tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_PHQ9));

  raw_exec (f, "DROP TABLE measure; DROP TABLE diagnosis;");
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  spin_for (50);

  /* A tab reads when it is shown: each is shown before it is looked into. */
  adw_view_stack_set_visible_child_name (views, "measures");
  spin_for (50);
  status = find_status_page (measures);
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "This Part of the Chart Could Not Be Read");
  g_test_message ("shown: %s", adw_status_page_get_description (status));
  g_assert_true (adw_status_page_get_description (status) != NULL && adw_status_page_get_description (status)[0] != '\0');
  g_assert_null (tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_PHQ9));
  diagnoses = adw_view_stack_get_child_by_name (views, "diagnoses");
  adw_view_stack_set_visible_child_name (views, "diagnoses");
  spin_for (50);
  g_assert_nonnull (find_status_page (diagnoses));
  g_assert_false (has_label (diagnoses, "No diagnoses recorded"));
  /* The overview's diagnoses group says so; its notes are still there. */
  g_assert_true (has_label (adw_view_stack_get_child_by_name (views, "overview"), "Could not be read"));
  notes = adw_view_stack_get_child_by_name (views, "notes");
  adw_view_stack_set_visible_child_name (views, "notes");
  spin_for (50);
  g_assert_null (find_status_page (notes));
  g_assert_cmpuint (tend_chart_page_get_n_note_rows (f->page), ==, 1);
  /* Not knowing is not "no risk". */
  g_assert_false (tend_chart_page_has_risk_alert (f->page));
  g_assert_true (has_label (GTK_WIDGET (f->page), "could not be read to check for a risk alert"));
  adw_view_stack_set_visible_child_name (views, "measures");
  spin_for (50);
  gui_test_screenshot (f->window, "chart-read-error");
}

static gboolean
status_page_gone (gpointer data)
{
  return find_status_page (data) == NULL;
}

/* A read that fails for a while (the measures table renamed away under the
 * store by a second connection, as a damaged or half-migrated file would
 * make it fail, then put back) shows its error with Retry in the tab, and
 * Retry reads again: the graphs come back.  The failure is the store's own
 * (SQLite re-prepares the statement and finds no table), not a stand-in. */
static void
test_read_failure_retry (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *measures, *retry;
  AdwStatusPage *status;

  raw_exec (f, "ALTER TABLE measure RENAME TO measure_away;");
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  measures = adw_view_stack_get_child_by_name (tend_chart_page_get_views (f->page), "measures");
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "measures");
  spin_for (50);
  status = find_status_page (measures);
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "This Part of the Chart Could Not Be Read");
  g_assert_nonnull (strstr (adw_status_page_get_description (status), "measure"));
  g_assert_null (tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_PHQ9));
  g_assert_false (has_label (measures, "Not given yet."));
  retry = find_button (GTK_WIDGET (status), "_Retry");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_is_visible (retry));
  gui_test_screenshot (f->window, "chart-read-error-retry");

  /* Still failing: Retry shows the error again, not an empty tab. */
  gtk_widget_activate (retry);
  spin_for (300);
  g_assert_nonnull (find_status_page (measures));
  g_assert_null (tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_PHQ9));

  raw_exec (f, "ALTER TABLE measure_away RENAME TO measure;");
  gtk_widget_activate (retry);
  spin_until (status_page_gone, measures, 5000);
  g_assert_null (find_status_page (measures));
  g_assert_nonnull (tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_PHQ9));
  g_assert_cmpuint (tend_measure_graph_get_n_points (TEND_MEASURE_GRAPH (
                      tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_PHQ9))), ==, 2);
}

/* The Notes tab searches the client's notes by words (the store's full-text
 * index): a word from the note, the start of one, a word from nowhere, and
 * back to the list. */
static void
test_note_search (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *notes;

  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  notes = adw_view_stack_get_child_by_name (tend_chart_page_get_views (f->page), "notes");
  g_assert_cmpuint (tend_chart_page_get_n_note_rows (f->page), ==, 1);

  tend_chart_page_search_notes (f->page, "move");
  spin_for (50);
  g_assert_true (has_label (notes, "Notes with “move”"));
  g_assert_cmpuint (tend_chart_page_get_n_note_rows (f->page), ==, 1);
  /* The addendum is found by its own words. */
  tend_chart_page_search_notes (f->page, "addend");
  spin_for (50);
  g_assert_cmpuint (tend_chart_page_get_n_note_rows (f->page), ==, 1);
  g_assert_true (has_label (notes, "Addendum"));
  tend_chart_page_search_notes (f->page, "zebra");
  spin_for (50);
  g_assert_cmpuint (tend_chart_page_get_n_note_rows (f->page), ==, 0);
  g_assert_true (has_label (notes, "No notes match"));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "notes");
  tend_chart_page_search_notes (f->page, "fortnight");
  spin_for (300);
  gui_test_screenshot (f->window, "chart-note-search");
  tend_chart_page_search_notes (f->page, "");
  spin_for (50);
  g_assert_true (has_label (notes, "Show Older Notes") || tend_chart_page_get_n_note_rows (f->page) == 1);
  g_assert_false (has_label (notes, "Notes with"));
}

/* Every button labelled @label under @root, in order. */
static void
find_buttons (GtkWidget  *root,
              const char *label,
              GPtrArray  *out)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), label) == 0)
        g_ptr_array_add (out, c);
      find_buttons (c, label, out);
    }
}

static void
test_write_autosave_sign (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note_id = NULL;
  g_autoptr(TendClinicalNote) reopened = NULL;
  g_autoptr(TendClinicalNote) stored = NULL;
  g_autofree char *text = NULL;
  GtkWidget *editor;
  GtkTextBuffer *buffer;
  AdwMessageDialog *dialog;
  gboolean recovered = FALSE;

  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  editor = tend_chart_page_new_note (f->page, TEND_NOTE_TEMPLATE_SOAP, &error);
  g_assert_no_error (error);
  g_assert_nonnull (editor);
  spin_for (50);
  g_assert_cmpstr (tend_chart_page_get_mode (f->page), ==, "editor");
  note_id = g_strdup (tend_record_get_id (TEND_RECORD (tend_note_editor_get_note (TEND_NOTE_EDITOR (editor)))));

  /* Typing, a word at a time: the draft is written without pressing anything. */
  buffer = tend_note_editor_get_buffer (TEND_NOTE_EDITOR (editor), "subjective");
  g_assert_nonnull (buffer);
  gtk_text_buffer_insert_at_cursor (buffer, "Sleeping better ", -1);
  spin_for (100);
  gtk_text_buffer_insert_at_cursor (buffer, "since the new routine.", -1);
  spin_for (700);
  g_assert_cmpuint (tend_note_editor_get_n_autosaves (TEND_NOTE_EDITOR (editor)), >=, 1);

  /* The window goes away without Done: the words are in the store. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  spin_for (50);
  reopened = tend_chart_load_for_editing (f->store, note_id, &recovered, &error);
  g_assert_no_error (error);
  g_assert_true (recovered);
  text = tend_clinical_note_dup_section (reopened, "subjective");
  g_assert_cmpstr (text, ==, "Sleeping better since the new routine.");

  /* Open it again, sign it: asked first, then locked. */
  f->window = gtk_window_new ();
  f->page = TEND_CHART_PAGE (tend_chart_page_new ());
  tend_chart_page_set_store (f->page, f->store, NULL);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_true (tend_chart_page_open_note (f->page, note_id, &error));
  /* An activated button clicks some 250 ms later. */
  gtk_widget_activate (find_button (GTK_WIDGET (f->page), "_Edit"));
  for (guint i = 0; i < 200 && g_strcmp0 (tend_chart_page_get_mode (f->page), "editor") != 0; i++)
    spin_for (10);
  g_assert_cmpstr (tend_chart_page_get_mode (f->page), ==, "editor");
  editor = tend_chart_page_get_editor (f->page);
  /* The autosaved draft is newer than the note's last save: recovered. */
  g_assert_true (tend_note_editor_get_recovered (TEND_NOTE_EDITOR (editor)));

  /* Assessment and Plan are empty: Sign saves, then says which parts are
   * missing, and signs nothing. */
  gtk_widget_activate (find_button (editor, "_Sign…"));
  for (guint i = 0; i < 200 && (dialog = find_dialog ()) == NULL; i++)
    spin_for (10);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Note Cannot Be Signed Yet");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "Fill in these parts before signing: Assessment, Plan");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_for (20);
  stored = TEND_CLINICAL_NOTE (tend_store_load (f->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error));
  g_assert_false (tend_clinical_note_is_signed (stored));
  g_clear_pointer (&text, g_free);
  text = tend_clinical_note_dup_section (stored, "subjective");
  g_assert_cmpstr (text, ==, "Sleeping better since the new routine.");
  g_clear_object (&stored);

  gtk_text_buffer_set_text (tend_note_editor_get_buffer (TEND_NOTE_EDITOR (editor), "assessment"), "Improving.", -1);
  gtk_text_buffer_set_text (tend_note_editor_get_buffer (TEND_NOTE_EDITOR (editor), "plan"), "Keep the routine.", -1);
  gtk_widget_activate (find_button (editor, "_Sign…"));
  for (guint i = 0; i < 200 && (dialog = find_dialog ()) == NULL; i++)
    spin_for (10);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Sign This Note?");
  /* Nothing is signed until the person says so. */
  stored = TEND_CLINICAL_NOTE (tend_store_load (f->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error));
  g_assert_false (tend_clinical_note_is_signed (stored));
  g_clear_object (&stored);

  gui_test_screenshot (GTK_WIDGET (dialog), "note-sign-password");
  /* Someone else's password at the clinician's computer signs nothing. */
  sign_with_password (dialog, f->store, note_id, "not cleo's password");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Note Was Not Signed");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "The password is not correct");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_for (20);
  stored = TEND_CLINICAL_NOTE (tend_store_load (f->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error));
  g_assert_false (tend_clinical_note_is_signed (stored));
  g_clear_object (&stored);

  gtk_widget_activate (find_button (editor, "_Sign…"));
  dialog = wait_for_dialog ();
  sign_with_password (dialog, f->store, note_id, CLINICIAN_PASSWORD);
  stored = TEND_CLINICAL_NOTE (tend_store_load (f->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error));
  g_assert_true (tend_clinical_note_is_signed (stored));
  g_clear_pointer (&text, g_free);
  text = tend_clinical_note_dup_section (stored, "subjective");
  g_assert_cmpstr (text, ==, "Sleeping better since the new routine.");
  g_assert_cmpstr (tend_chart_page_get_mode (f->page), ==, "chart");
}

/* Scrolls the editor so that @widget is at the top, for a screenshot. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  graphene_point_t at;

  g_assert_true (gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &at));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), at.y - 12);
  spin_for (100);
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

/* A note started from a session: linked to it and prefilled in the
 * practice's zone (America/Chicago, a session the evening the clocks
 * changed); the time, modality, participants, risk assessment and MSE are
 * edited and signed; the note view shows them.  With
 * TEND_TEST_SCREENSHOTS=DIR the editor is saved wide and at 360 px. */
/* A draft is discarded only once the clinician confirms: the note goes
 * (a deletion that syncs) with its autosaved words, and the chart says so. */
static void
test_discard_draft (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note_id = NULL;
  g_autoptr(TendRecord) stored = NULL;
  GtkWidget *editor, *discard = NULL;
  AdwMessageDialog *dialog;
  gboolean recovered = FALSE;

  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  editor = tend_chart_page_new_note (f->page, TEND_NOTE_TEMPLATE_SOAP, &error);
  g_assert_no_error (error);
  note_id = g_strdup (tend_record_get_id (TEND_RECORD (tend_note_editor_get_note (TEND_NOTE_EDITOR (editor)))));
  gtk_text_buffer_insert_at_cursor (tend_note_editor_get_buffer (TEND_NOTE_EDITOR (editor), "subjective"),
                                    "Written in the wrong chart.", -1);
  spin_for (700);
  g_assert_cmpuint (tend_note_editor_get_n_autosaves (TEND_NOTE_EDITOR (editor)), >=, 1);

  /* The trash button asks first; Cancel keeps everything. */
  {
    GQueue queue = G_QUEUE_INIT;

    g_queue_push_tail (&queue, editor);
    while (!g_queue_is_empty (&queue) && discard == NULL)
      {
        GtkWidget *cur = g_queue_pop_head (&queue);

        if (GTK_IS_BUTTON (cur) && g_strcmp0 (gtk_widget_get_tooltip_text (cur), "Discard this draft…") == 0)
          discard = cur;
        for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_queue_push_tail (&queue, c);
      }
    g_queue_clear (&queue);
  }
  g_assert_nonnull (discard);
  g_signal_emit_by_name (discard, "clicked");
  for (guint i = 0; i < 200 && (dialog = find_dialog ()) == NULL; i++)
    spin_for (10);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Discard This Draft?");
  gui_test_screenshot (GTK_WIDGET (dialog), "note-discard-draft");
  adw_message_dialog_response (dialog, "cancel");
  spin_for (50);
  stored = tend_store_load (f->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_clear_object (&stored);
  g_assert_cmpstr (tend_chart_page_get_mode (f->page), ==, "editor");

  /* Confirmed: the note and its draft are gone, the chart is back. */
  g_signal_emit_by_name (discard, "clicked");
  for (guint i = 0; i < 200 && (dialog = find_dialog ()) == NULL; i++)
    spin_for (10);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  spin_for (50);
  g_assert_cmpstr (tend_chart_page_get_mode (f->page), ==, "chart");
  /* A tombstone, which syncs the deletion. */
  stored = tend_store_load (f->store, TEND_TYPE_CLINICAL_NOTE, note_id, NULL);
  g_assert_true (stored == NULL || tend_record_get_deleted (stored));
  g_assert_null (tend_chart_load_for_editing (f->store, note_id, &recovered, NULL));
  g_assert_false (recovered);
}

static void
test_note_from_session (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GTimeZone) chicago = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GDateTime) start = g_date_time_new (chicago, 2026, 3, 8, 18, 30, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 53);
  g_autoptr(TendAppointment) appt = tend_appointment_new (f->clinician_id, start, end);
  g_autoptr(TendClinicalNote) stored = NULL;
  g_autoptr(GError) error = NULL;
  TendNoteSessionGroup *session;
  TendNoteFormGroup *risk, *mse;
  AdwMessageDialog *dialog;
  GtkWidget *editor;
  TendNoteEditor *ed;
  g_autofree char *note_id = NULL;

  tend_record_set_string (TEND_RECORD (appt), "client_id", f->client_id);
  tend_record_set_string (TEND_RECORD (appt), "service_code", "90837");
  tend_record_set_string (TEND_RECORD (appt), "status", "completed");
  g_assert_true (tend_store_save (f->store, TEND_RECORD (appt), &error));
  g_assert_no_error (error);

  tend_chart_page_set_store (f->page, f->store, chicago);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  editor = tend_chart_page_new_note (f->page, TEND_NOTE_TEMPLATE_SOAP, &error);
  g_assert_no_error (error);
  ed = TEND_NOTE_EDITOR (editor);
  spin_for (50);
  note_id = g_strdup (tend_record_get_id (TEND_RECORD (tend_note_editor_get_note (ed))));
  g_assert_cmpstr (tend_clinical_note_get_appointment_id (tend_note_editor_get_note (ed)), ==,
                   tend_record_get_id (TEND_RECORD (appt)));
  g_assert_true (has_label (editor, "Linked to the session of"));
  g_assert_true (has_label (editor, "America/Chicago"));
  g_assert_true (has_label (editor, "Rowan Hale"));
  session = tend_note_editor_get_session_group (ed);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tend_note_session_group_get_time_row (session))), ==, "18:30");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tend_note_session_group_get_participants_row (session))), ==,
                   "Rowan Hale");

  /* The session ran late and by phone, with a parent. */
  gtk_editable_set_text (GTK_EDITABLE (tend_note_session_group_get_time_row (session)), "19:00");
  adw_combo_row_set_selected (tend_note_session_group_get_modality_row (session), 2);
  gtk_editable_set_text (GTK_EDITABLE (tend_note_session_group_get_participants_row (session)), "Rowan Hale and parent");
  gtk_text_buffer_set_text (tend_note_editor_get_buffer (ed, "subjective"), "Low week after the move.", -1);
  gtk_text_buffer_set_text (tend_note_editor_get_buffer (ed, "assessment"), "Depressive symptoms up.", -1);
  gtk_text_buffer_set_text (tend_note_editor_get_buffer (ed, "plan"), "Weekly; safety plan.", -1);
  risk = tend_note_editor_get_form_group (ed, TEND_NOTE_FORM_RISK);
  mse = tend_note_editor_get_form_group (ed, TEND_NOTE_FORM_MSE);
  adw_combo_row_set_selected (tend_note_form_group_get_choice_row (risk, "ideation"), 2);   /* passive */
  adw_combo_row_set_selected (tend_note_form_group_get_choice_row (mse, "mood"), 2);        /* depressed */
  gtk_editable_set_text (GTK_EDITABLE (tend_note_form_group_get_text_row (mse, "mood")), "“flat”");
  spin_for (600);
  gui_test_screenshot (f->window, "note-editor-wide");

  /* A risk assessment without its level: named, marked, not signed. */
  gtk_widget_activate (find_button (editor, "_Sign…"));
  spin_until (dialog_shown, NULL, 3000);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "Fill in these parts before signing: Risk level");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (tend_note_form_group_get_choice_row (risk, "level")), "error"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_for (20);

  adw_combo_row_set_selected (tend_note_form_group_get_choice_row (risk, "level"), 2);      /* moderate */
  gtk_editable_set_text (GTK_EDITABLE (tend_note_form_group_get_text_row (risk, "actions")), "Safety plan written together.");
  spin_for (600);
  scroll_to (GTK_WIDGET (risk));
  gui_test_screenshot (f->window, "note-editor-risk");

  /* The editor itself fits a phone: the same note in a window 360 px wide
   * (the chart around it is issue 15's). */
  g_assert_true (tend_note_editor_flush (ed, &error));
  {
    GtkWidget *narrow = gtk_window_new ();
    GtkWidget *second = tend_note_editor_new (f->store, note_id, chicago, &error);
    int min = 0;

    g_assert_no_error (error);
    gtk_window_set_child (GTK_WINDOW (narrow), second);
    gtk_widget_measure (second, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_assert_cmpint (min, <=, 360);
    gtk_window_set_default_size (GTK_WINDOW (narrow), 360, 740);
    gtk_window_present (GTK_WINDOW (narrow));
    spin_for (300);
    g_assert_cmpint (gtk_widget_get_width (narrow), ==, 360);
    gui_test_screenshot (narrow, "note-editor-narrow");
    scroll_to (GTK_WIDGET (tend_note_editor_get_form_group (TEND_NOTE_EDITOR (second), TEND_NOTE_FORM_RISK)));
    gui_test_screenshot (narrow, "note-editor-narrow-risk");
    gtk_window_destroy (GTK_WINDOW (narrow));
    spin_for (50);
  }

  gtk_widget_activate (find_button (editor, "_Sign…"));
  spin_until (dialog_shown, NULL, 3000);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Sign This Note?");
  sign_with_password (dialog, f->store, note_id, CLINICIAN_PASSWORD);

  stored = TEND_CLINICAL_NOTE (tend_store_load (f->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error));
  g_assert_no_error (error);
  g_assert_true (tend_clinical_note_is_signed (stored));
  /* 19:00 CDT is 00:00 UTC the next day; the note is dated the 8th. */
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (stored), "service_start"), ==, "2026-03-09T00:00:00Z");
  g_assert_cmpstr (tend_clinical_note_get_service_date (stored), ==, "2026-03-08");
  g_assert_cmpint (tend_record_get_int (TEND_RECORD (stored), "duration_minutes"), ==, 53);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (stored), "modality"), ==, "phone");
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (stored), "place_of_service"), ==, "02");
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (stored), "participants"), ==, "Rowan Hale and parent");
  {
    g_autofree char *risk_text = tend_clinical_note_dup_form_text (stored, TEND_NOTE_FORM_RISK);
    g_autofree char *mse_text = tend_clinical_note_dup_form_text (stored, TEND_NOTE_FORM_MSE);

    g_assert_cmpstr (risk_text, ==, "Suicidal ideation: Passive (wishes to be dead)\nRisk level: Moderate\n"
                                    "Actions taken: Safety plan written together.");
    g_assert_cmpstr (mse_text, ==, "Mood: Depressed. “flat”");
  }

  /* The signed note shows its session, risk assessment and MSE. */
  g_assert_true (tend_chart_page_open_note (f->page, note_id, &error));
  spin_for (100);
  g_assert_true (has_label (GTK_WIDGET (f->page), "03/08/26 19:00 CDT") || has_label (GTK_WIDGET (f->page), "19:00 CDT"));
  g_assert_true (has_label (GTK_WIDGET (f->page), "Phone · POS 02"));
  g_assert_true (has_label (GTK_WIDGET (f->page), "Participants: Rowan Hale and parent"));
  g_assert_true (has_label (GTK_WIDGET (f->page), "Risk level: Moderate"));
  g_assert_true (has_label (GTK_WIDGET (f->page), "Mood: Depressed."));
  gui_test_screenshot (f->window, "note-signed-view");
}

static void
test_front_desk (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  tend_store_set_actor (f->store, f->front_desk_id, TEND_ROLE_FRONT_DESK);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  spin_for (50);
  g_assert_true (page_visible (f, "overview"));
  g_assert_true (page_visible (f, "contacts"));
  g_assert_false (page_visible (f, "notes"));
  g_assert_false (page_visible (f, "diagnoses"));
  g_assert_false (page_visible (f, "plan"));
  g_assert_false (page_visible (f, "measures"));
  g_assert_false (page_visible (f, "documents"));
  g_assert_false (tend_chart_page_has_risk_alert (f->page));
  /* Demographics and insurance, yes; note text, no. */
  g_assert_true (has_label (GTK_WIDGET (f->page), "Rowan Hale"));
  g_assert_false (has_label (GTK_WIDGET (f->page), "Discussed the move."));
  g_assert_false (has_label (GTK_WIDGET (f->page), "Recent Notes"));

  /* The front desk keeps demographics current: the same form, filled in. */
  {
    g_autoptr(TendRecord) client = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, &error);
    g_autoptr(TendRecord) saved = NULL;
    TendClientForm *form = tend_client_form_new_for_client (f->store, TEND_CLIENT (client));

    /* Insurance is the client's policies (their own group), not fields. */
    g_assert_null (tend_client_form_get_entry (form, "insurance.payer"));
    g_assert_nonnull (tend_client_form_get_insurance (form));
    gtk_editable_set_text (tend_client_form_get_entry (form, "email"), "rowan@example.org");
    g_assert_true (tend_client_form_save (form));
    saved = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, &error);
    g_assert_cmpstr (tend_client_get_email (TEND_CLIENT (saved)), ==, "rowan@example.org");
    /* What the form does not show is kept. */
    g_assert_cmpstr (tend_client_get_primary_clinician (TEND_CLIENT (saved)), ==, f->clinician_id);
    g_assert_cmpstr (tend_client_get_pronouns (TEND_CLIENT (saved)), ==, "they/them");
    g_assert_cmpint (tend_client_get_status (TEND_CLIENT (saved)), ==, TEND_CLIENT_STATUS_ACTIVE);
    gtk_window_destroy (GTK_WINDOW (form));
  }
  /* Discharging is an edit of the status. */
  {
    g_autoptr(TendRecord) client = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, &error);
    g_autoptr(TendRecord) saved = NULL;
    TendClientForm *form = tend_client_form_new_for_client (f->store, TEND_CLIENT (client));

    tend_client_form_set_status (form, TEND_CLIENT_STATUS_DISCHARGED);
    g_assert_true (tend_client_form_save (form));
    saved = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, &error);
    g_assert_cmpint (tend_client_get_status (TEND_CLIENT (saved)), ==, TEND_CLIENT_STATUS_DISCHARGED);
    gtk_window_destroy (GTK_WINDOW (form));
  }
}

/* Issue 16: a signed plan's co-signature by the client.  With a practice
 * server (one that cannot be reached: the request waits in the outbox), a
 * draft offers nothing, a signed plan asks after showing the exact text,
 * once; the client's signature, arriving as the completed form, shows on
 * the plan. */
static void
test_plan_client_cosign (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendSyncController) sync = tend_sync_controller_new (f->store, "https://127.0.0.1:9", NULL);
  g_autoptr(TendTreatmentPlan) plan = tend_treatment_plan_new (f->client_id, f->clinician_id);
  g_autoptr(JsonNode) problems = tend_treatment_plan_parse_outline ("Problem: Panic attacks\nGoal: Ride the bus again\n"
                                                                    "Objective: One stop with a friend (by 2027-02-01)\n"
                                                                    "Intervention: Interoceptive exposure", NULL);
  g_autoptr(TendTreatmentPlan) signed_plan = NULL;
  g_autoptr(TendRecord) form = NULL;
  g_autofree char *form_id = NULL;
  g_autofree char *expected_text = NULL;
  TendChartPlanTab *tab;
  TendPlanClientSignature *row;
  GtkWidget *dialog;
  guint outbox;

  tend_record_set_json (TEND_RECORD (plan), "problems", problems);
  tend_record_set_string (TEND_RECORD (plan), "review_date", "2027-05-01");
  g_assert_true (tend_store_save (f->store, TEND_RECORD (plan), &error));
  g_assert_no_error (error);
  tend_chart_page_set_sync (f->page, sync);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "plan");
  spin_for (50);
  tab = find_widget (f->page, TEND_TYPE_CHART_PLAN_TAB);
  g_assert_nonnull (tab);
  /* A draft: nothing to ask yet. */
  g_assert_null (tend_chart_plan_tab_get_client_signature (tab));

  signed_plan = tend_chart_sign_plan (f->store, tend_record_get_id (TEND_RECORD (plan)), &error);
  g_assert_no_error (error);
  tend_chart_tab_refresh (TEND_CHART_TAB (tab));
  row = TEND_PLAN_CLIENT_SIGNATURE (tend_chart_plan_tab_get_client_signature (tab));
  g_assert_nonnull (row);
  g_assert_cmpstr (tend_plan_client_signature_get_status (row), ==, "Not asked to co-sign");
  g_assert_true (gtk_widget_get_visible (find_button (GTK_WIDGET (row), "_Ask to Co-sign…")));

  /* The front desk may not ask, even behind the GUI's back. */
  {
    g_autoptr(TendPortalForm) desk = NULL;

    tend_store_set_actor (f->store, f->front_desk_id, TEND_ROLE_FRONT_DESK);
    desk = tend_portal_form_new_plan_request (f->client_id, tend_record_get_id (TEND_RECORD (plan)),
                                              tend_record_get_string (TEND_RECORD (signed_plan), "content_sha256"),
                                              "Plan", "Text", f->front_desk_id);
    g_assert_false (tend_store_save (f->store, TEND_RECORD (desk), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
    tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
  }

  /* Cancel asks nothing; Ask saves the request with the text shown. */
  outbox = tend_store_count_outbox (f->store);
  dialog = tend_plan_client_signature_ask (row);
  spin_for (100);
  gui_test_screenshot (dialog, "plan-cosign-ask");
  expected_text = tend_plan_client_signature_dup_text (signed_plan, tend_chart_tab_get_zone (TEND_CHART_TAB (tab)));
  g_assert_true (has_label (dialog, expected_text));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  form_id = tend_portal_form_plan_request_id (tend_record_get_id (TEND_RECORD (plan)));
  form = tend_store_load (f->store, TEND_TYPE_PORTAL_FORM, form_id, &error);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (form);
  dialog = tend_plan_client_signature_ask (row);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "ask");
  spin_for (50);
  form = tend_store_load (f->store, TEND_TYPE_PORTAL_FORM, form_id, &error);
  g_assert_nonnull (form);
  g_assert_cmpstr (tend_record_get_string (form, "kind"), ==, "plan");
  g_assert_cmpstr (tend_record_get_string (form, "status"), ==, "pending");
  g_assert_cmpstr (tend_record_get_string (form, "plan_id"), ==, tend_record_get_id (TEND_RECORD (plan)));
  g_assert_cmpstr (tend_record_get_string (form, "plan_sha256"), ==,
                   tend_record_get_string (TEND_RECORD (signed_plan), "content_sha256"));
  g_assert_cmpstr (tend_record_get_string (form, "text"), ==, expected_text);
  g_assert_nonnull (strstr (expected_text, "What we will work on: Panic attacks"));
  g_assert_cmpuint (tend_store_count_outbox (f->store), ==, outbox + 1);
  /* The chart read the plan again: a new row, waiting, nothing to ask. */
  row = TEND_PLAN_CLIENT_SIGNATURE (tend_chart_plan_tab_get_client_signature (tab));
  g_assert_true (g_str_has_prefix (tend_plan_client_signature_get_status (row),
                                   "Waiting for the client to co-sign in the portal"));
  g_assert_false (gtk_widget_get_visible (find_button (GTK_WIDGET (row), "_Ask to Co-sign…")));
  /* Asked again behind the GUI's back: the same record, refused. */
  {
    g_autoptr(TendPortalForm) again = tend_portal_form_new_plan_request (f->client_id,
                                                                         tend_record_get_id (TEND_RECORD (plan)),
                                                                         tend_record_get_string (TEND_RECORD (signed_plan),
                                                                                                 "content_sha256"),
                                                                         "Again", "Other text", f->clinician_id);

    g_assert_false (tend_store_save (f->store, TEND_RECORD (again), &error));
    g_clear_error (&error);
  }
  /* The client's signature arrives with a sync (here: written as the
   * server writes it): the plan says so. */
  tend_store_set_actor (f->store, NULL, TEND_ROLE_OWNER);
  tend_record_set_string (form, "status", "completed");
  tend_record_set_string (form, "completed_at", "2026-12-07T15:30:00Z");
  tend_record_set_string (form, "signed_name", "Rowan Hale");
  tend_record_set_string (form, "signed_address", "192.0.2.7");
  tend_record_set_string (form, "signed_user_agent", "Mozilla/5.0");
  {
    g_autofree char *sha = tend_portal_form_text_sha256 (tend_record_get_string (form, "text"));

    tend_record_set_string (form, "text_sha256", sha);
  }
  g_assert_true (tend_store_save (f->store, TEND_RECORD (form), &error));
  g_assert_no_error (error);
  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
  spin_for (100);
  tend_chart_tab_refresh (TEND_CHART_TAB (tab));
  row = TEND_PLAN_CLIENT_SIGNATURE (tend_chart_plan_tab_get_client_signature (tab));
  g_assert_nonnull (row);
  {
    GDate d;
    g_autofree char *day = NULL;
    g_autofree char *expected = NULL;

    g_assert_true (tend_date_parse ("2026-12-07", &d, NULL));
    day = tend_date_format_local (&d);
    expected = g_strdup_printf ("Co-signed by the client on %s as “Rowan Hale”", day);
    g_assert_cmpstr (tend_plan_client_signature_get_status (row), ==, expected);
    g_assert_true (has_label (GTK_WIDGET (f->page), expected));
  }
  scroll_to (GTK_WIDGET (row));
  gui_test_screenshot (f->window, "plan-cosigned-1280");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 740);
  spin_for (300);
  scroll_to (GTK_WIDGET (row));
  gui_test_screenshot (f->window, "plan-cosigned-360");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 800);
}

/* Portal forms with a practice server that cannot be reached: sent all the
 * same (a record waiting in the outbox for the next sync).  The front desk
 * sends consents and intake forms, not questionnaires, and the store
 * refuses one even when the GUI is bypassed; a clinician assigns them and
 * shares a document with the client. */
static void
test_portal_forms_offline (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendSyncController) sync = tend_sync_controller_new (f->store, "https://127.0.0.1:9", NULL);
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(TendPortalForm) measure = NULL;
  g_autoptr(TendRecord) withdrawn = NULL;
  g_autoptr(TendDocument) doc = NULL;
  g_autoptr(TendRecord) shared = NULL;
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n%%EOF\n", 15);
  TendPortalForms *group;
  GtkWidget *dialog, *share;
  guint outbox;

  tend_store_set_actor (f->store, f->front_desk_id, TEND_ROLE_FRONT_DESK);
  tend_chart_page_set_sync (f->page, sync);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  group = find_widget (f->page, TEND_TYPE_PORTAL_FORMS);
  g_assert_nonnull (group);
  g_assert_true (gtk_widget_get_visible (find_button (GTK_WIDGET (group), "_Send Consent…")));
  g_assert_true (gtk_widget_get_visible (find_button (GTK_WIDGET (group), "Send _Intake Form")));
  g_assert_false (gtk_widget_get_visible (find_button (GTK_WIDGET (group), "_Assign Questionnaire…")));

  outbox = tend_store_count_outbox (f->store);
  dialog = tend_portal_forms_send_consent (group);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
  forms = tend_chart_list_portal_forms (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (forms->len, ==, 1);
  g_assert_cmpstr (tend_record_get_string (g_ptr_array_index (forms, 0), "status"), ==, "pending");
  g_assert_cmpstr (tend_record_get_string (g_ptr_array_index (forms, 0), "assigned_by"), ==, f->front_desk_id);
  g_assert_cmpuint (tend_store_count_outbox (f->store), ==, outbox + 1);
  g_assert_cmpuint (tend_portal_forms_get_n_waiting (group), ==, 1);

  measure = tend_portal_form_new (f->client_id, TEND_PORTAL_FORM_MEASURE, "phq9", "PHQ-9", NULL, f->front_desk_id);
  g_assert_false (tend_store_save (f->store, TEND_RECORD (measure), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  dialog = tend_portal_forms_withdraw (group, tend_record_get_id (g_ptr_array_index (forms, 0)));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_assert_cmpuint (tend_portal_forms_get_n_waiting (group), ==, 1);
  dialog = tend_portal_forms_withdraw (group, tend_record_get_id (g_ptr_array_index (forms, 0)));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "withdraw");
  withdrawn = tend_store_load (f->store, TEND_TYPE_PORTAL_FORM, tend_record_get_id (g_ptr_array_index (forms, 0)), &error);
  g_assert_cmpstr (tend_record_get_string (withdrawn, "status"), ==, "withdrawn");
  g_assert_cmpuint (tend_portal_forms_get_n_waiting (group), ==, 0);

  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
  doc = tend_chart_attach_document (f->store, f->client_id, "Referral letter", "application/pdf", pdf, &error);
  g_assert_no_error (error);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  group = find_widget (f->page, TEND_TYPE_PORTAL_FORMS);
  g_assert_true (gtk_widget_get_visible (find_button (GTK_WIDGET (group), "_Assign Questionnaire…")));
  dialog = tend_portal_forms_assign_questionnaire (group);
  gtk_check_button_set_active (g_ptr_array_index ((GPtrArray *) g_object_get_data (G_OBJECT (dialog), "checks"), 0), TRUE);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "assign");
  g_assert_cmpuint (tend_portal_forms_get_n_waiting (group), ==, 1);

  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "documents");
  spin_for (50);
  share = find_button (GTK_WIDGET (f->page), "_Share with Client");
  g_assert_nonnull (share);
  g_signal_emit_by_name (share, "clicked");
  shared = tend_store_load (f->store, TEND_TYPE_DOCUMENT, tend_record_get_id (TEND_RECORD (doc)), &error);
  g_assert_cmpint (tend_record_get_int (shared, "shared_with_client"), ==, 1);
  g_assert_nonnull (find_button (GTK_WIDGET (f->page), "Stop _Sharing"));
  tend_sync_controller_stop (sync);
}

static char *
consent_dialog_text (GtkWidget *dialog)
{
  GtkTextView *view = find_widget (dialog, GTK_TYPE_TEXT_VIEW);
  GtkTextIter start, end;

  g_assert_nonnull (view);
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  return gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
}

/* The practice's consent texts, edited by the owner (Preferences ▸
 * Practice ▸ Consent Texts) in English and Spanish: saved in the practice
 * record (the front desk may not), and the chart's Send Consent starts from
 * them in the client's language; a form keeps the text it was sent with
 * when the practice's changes. */
static void
test_practice_consent_texts (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;
  g_autoptr(TendPractice) practice = tend_practice_new ("Riverbend Counseling", "America/Chicago");
  g_autoptr(TendPractice) stored = NULL;
  g_autoptr(TendSyncController) sync = tend_sync_controller_new (f->store, "https://127.0.0.1:9", NULL);
  g_autoptr(GPtrArray) forms = NULL;
  TendConsentTextsWindow *window;
  TendPortalForms *group;
  GtkWidget *dialog;

  /* The system (no one signed in) adds the owner. */
  tend_store_set_actor (f->store, NULL, TEND_ROLE_OWNER);
  owner = save_staff (f->store, "Olga", TEND_ROLE_OWNER);
  tend_store_set_actor (f->store, owner, TEND_ROLE_OWNER);
  g_assert_true (tend_store_save (f->store, TEND_RECORD (practice), &error));
  window = tend_consent_texts_window_new (f->store);
  gtk_window_present (GTK_WINDOW (window));
  tend_consent_texts_window_select (window, 0, 0);
  gtk_text_buffer_set_text (tend_consent_texts_window_get_buffer (window), "Riverbend's consent, first edition.", -1);
  tend_consent_texts_window_select (window, 0, 1);
  g_assert_cmpint (gtk_text_buffer_get_char_count (tend_consent_texts_window_get_buffer (window)), ==, 0);
  gtk_text_buffer_set_text (tend_consent_texts_window_get_buffer (window), "Consentimiento de Riverbend.", -1);
  tend_consent_texts_window_select (window, 2, 0);
  gtk_text_buffer_set_text (tend_consent_texts_window_get_buffer (window), "I allow Riverbend to share with {recipient}.", -1);
  /* Back to the first: what was typed there is kept. */
  tend_consent_texts_window_select (window, 0, 0);
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (tend_consent_texts_window_get_buffer (window), &start, &end);
    text = gtk_text_buffer_get_text (tend_consent_texts_window_get_buffer (window), &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "Riverbend's consent, first edition.");
  }
  g_assert_true (tend_consent_texts_window_save (window, &error));
  g_assert_no_error (error);
  gui_test_screenshot (GTK_WIDGET (window), "consent-texts");
  gtk_window_destroy (GTK_WINDOW (window));
  stored = tend_store_load_practice (f->store, &error);
  g_assert_cmpstr (tend_practice_get_consent_text (stored, "treatment", "en"), ==, "Riverbend's consent, first edition.");
  g_assert_cmpstr (tend_practice_get_consent_text (stored, "treatment", "es-MX"), ==, "Consentimiento de Riverbend.");
  g_assert_null (tend_practice_get_consent_text (stored, "telehealth", "en"));
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (stored), "consents.release_of_information_en"), ==,
                   "I allow Riverbend to share with {recipient}.");
  g_clear_object (&stored);
  {
    g_autofree char *filled = tend_portal_forms_fill_consent ("Share with {recipient}.", "Dr. Lee");

    g_assert_cmpstr (filled, ==, "Share with Dr. Lee.");
  }

  /* The front desk may not change them. */
  tend_store_set_actor (f->store, f->front_desk_id, TEND_ROLE_FRONT_DESK);
  window = tend_consent_texts_window_new (f->store);
  gtk_text_buffer_set_text (tend_consent_texts_window_get_buffer (window), "Something else.", -1);
  g_assert_false (tend_consent_texts_window_save (window, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  gtk_window_destroy (GTK_WINDOW (window));

  /* The chart sends the practice's text. */
  tend_chart_page_set_sync (f->page, sync);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  group = find_widget (f->page, TEND_TYPE_PORTAL_FORMS);
  g_assert_nonnull (group);
  dialog = tend_portal_forms_send_consent (group);
  {
    g_autofree char *shown = consent_dialog_text (dialog);

    g_assert_cmpstr (shown, ==, "Riverbend's consent, first edition.");
  }
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
  /* A client who reads Spanish gets the Spanish text. */
  {
    g_autoptr(TendRecord) client = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, &error);
    g_autofree char *shown = NULL;

    tend_record_set_string (client, "language", "es");
    g_assert_true (tend_store_save (f->store, client, &error));
    dialog = tend_portal_forms_send_consent (group);
    shown = consent_dialog_text (dialog);
    g_assert_cmpstr (shown, ==, "Consentimiento de Riverbend.");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
    tend_record_set_string (client, "language", "en");
    g_assert_true (tend_store_save (f->store, client, &error));
  }
  /* A new edition: the next form carries it, the first keeps its own. */
  tend_store_set_actor (f->store, owner, TEND_ROLE_OWNER);
  window = tend_consent_texts_window_new (f->store);
  gtk_text_buffer_set_text (tend_consent_texts_window_get_buffer (window), "Riverbend's consent, second edition.", -1);
  g_assert_true (tend_consent_texts_window_save (window, &error));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  group = find_widget (f->page, TEND_TYPE_PORTAL_FORMS);
  dialog = tend_portal_forms_send_consent (group);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
  forms = tend_chart_list_portal_forms (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (forms->len, ==, 2);
  /* Waiting ones first, newest first. */
  g_assert_cmpstr (tend_record_get_string (forms->pdata[0], "text"), ==, "Riverbend's consent, second edition.");
  g_assert_cmpstr (tend_record_get_string (forms->pdata[1], "text"), ==, "Riverbend's consent, first edition.");
  tend_sync_controller_stop (sync);
}

/* Related People in Contacts: added by the front desk in the dialog (the
 * guardian switch follows the relationship, a wrong combination is marked
 * and cannot be saved), "Invite to Portal" offered for a minor's legal
 * guardian with an address and a server, removed after asking;
 * a clinician off the chart and a biller see them without the buttons.
 * With TEND_TEST_SCREENSHOTS=DIR: the group at 1280 and 360 px, and the
 * dialog. */
static void
test_related_people (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendSyncController) sync = tend_sync_controller_new (f->store, "https://127.0.0.1:9", NULL);
  g_autoptr(TendRecord) client = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) birth = g_date_time_add_years (now, -13);
  g_autofree char *dob = g_date_time_format (birth, "%Y-%m-%d");
  g_autofree char *other_clinician = NULL;
  g_autofree char *biller = NULL;
  TendRelatedPeople *group;
  GtkWidget *dialog;

  tend_store_set_actor (f->store, NULL, TEND_ROLE_OWNER);
  other_clinician = save_staff (f->store, "Otto", TEND_ROLE_CLINICIAN);
  biller = save_staff (f->store, "Bill", TEND_ROLE_BILLER);
  tend_store_set_actor (f->store, f->front_desk_id, TEND_ROLE_FRONT_DESK);
  client = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, &error);
  tend_record_set_string (client, "date_of_birth", dob);
  g_assert_true (tend_store_save (f->store, client, &error));
  tend_chart_page_set_sync (f->page, sync);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "contacts");
  group = find_widget (f->page, TEND_TYPE_RELATED_PEOPLE);
  g_assert_nonnull (group);
  g_assert_true (tend_related_people_can_edit (group));
  g_assert_cmpuint (tend_related_people_get_n_people (group), ==, 0);

  /* A partner cannot be the legal guardian: marked, and Save is off. */
  dialog = tend_related_people_edit (group, NULL);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "name"), "Dana Hale");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  adw_combo_row_set_selected (g_object_get_data (G_OBJECT (dialog), "relationship"), TEND_RELATED_PARTNER);
  gtk_switch_set_active (g_object_get_data (G_OBJECT (dialog), "guardian"), TRUE);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  g_assert_true (gtk_widget_get_visible (g_object_get_data (G_OBJECT (dialog), "problem")));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_assert_cmpuint (tend_related_people_get_n_people (group), ==, 0);

  /* The legal guardian, with the client's consent to share. */
  dialog = tend_related_people_edit (group, NULL);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "name"), "Gil Hale");
  adw_combo_row_set_selected (g_object_get_data (G_OBJECT (dialog), "relationship"), TEND_RELATED_LEGAL_GUARDIAN);
  g_assert_true (gtk_switch_get_active (g_object_get_data (G_OBJECT (dialog), "guardian")));
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "email"), "gil@example.org");
  gtk_switch_set_active (g_object_get_data (G_OBJECT (dialog), "consent"), TRUE);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "consent-scope"), "Appointments and attendance");
  spin_for (100);
  gui_test_screenshot (dialog, "related-person-dialog");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_assert_cmpuint (tend_related_people_get_n_people (group), ==, 1);
  people = tend_chart_list_related_people (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 1);
  g_assert_true (tend_related_person_is_legal_guardian (g_ptr_array_index (people, 0)));
  g_assert_cmpstr (tend_record_get_string (g_ptr_array_index (people, 0), "consent.recorded_by"), ==, f->front_desk_id);
  g_assert_cmpstr (tend_record_get_string (g_ptr_array_index (people, 0), "consent.scope"), ==,
                   "Appointments and attendance");
  g_assert_true (tend_related_people_may_invite (group, tend_record_get_id (g_ptr_array_index (people, 0))));
  g_assert_nonnull (find_button (GTK_WIDGET (group), "_Invite to Portal"));

  /* A parent without an address: no invitation. */
  {
    g_autoptr(TendRelatedPerson) mother = tend_related_person_new (f->client_id, "Mara Hale", TEND_RELATED_PARENT);

    tend_record_set_string (TEND_RECORD (mother), "phone", "+1 555 0142");
    g_assert_true (tend_store_save (f->store, TEND_RECORD (mother), &error));
    spin_for (50);
    g_assert_cmpuint (tend_related_people_get_n_people (group), ==, 2);
    g_assert_false (tend_related_people_may_invite (group, tend_record_get_id (TEND_RECORD (mother))));
  }
  spin_for (100);
  scroll_to (GTK_WIDGET (group));
  gui_test_screenshot (f->window, "related-people-1280");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 740);
  spin_for (300);
  scroll_to (GTK_WIDGET (group));
  gui_test_screenshot (f->window, "related-people-360");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 800);

  /* Removed after asking: Cancel keeps the person, Remove removes. */
  dialog = tend_related_people_confirm_remove (group, tend_record_get_id (g_ptr_array_index (people, 0)));
  gui_test_screenshot (dialog, "related-person-remove");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_assert_cmpuint (tend_related_people_get_n_people (group), ==, 2);
  dialog = tend_related_people_confirm_remove (group, tend_record_get_id (g_ptr_array_index (people, 0)));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  spin_for (50);
  g_assert_cmpuint (tend_related_people_get_n_people (group), ==, 1);

  /* A clinician off the chart and a biller read them, with no buttons. */
  tend_store_set_actor (f->store, other_clinician, TEND_ROLE_CLINICIAN);
  tend_related_people_refresh (group);
  g_assert_false (tend_related_people_can_edit (group));
  g_assert_cmpuint (tend_related_people_get_n_people (group), ==, 1);
  g_assert_null (find_button (GTK_WIDGET (group), "_Invite to Portal"));
  tend_store_set_actor (f->store, biller, TEND_ROLE_BILLER);
  tend_related_people_refresh (group);
  g_assert_false (tend_related_people_can_edit (group));
  g_assert_cmpuint (tend_related_people_get_n_people (group), ==, 1);
  tend_sync_controller_stop (sync);
}

static AdwMessageDialog *
wait_for_dialog (void)
{
  AdwMessageDialog *dialog = NULL;

  for (guint i = 0; i < 300 && (dialog = find_dialog ()) == NULL; i++)
    spin_for (10);
  g_assert_nonnull (dialog);
  return dialog;
}

static TendSafetyPlanWindow *
find_safety_plan_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (TEND_IS_SAFETY_PLAN_WINDOW (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return TEND_SAFETY_PLAN_WINDOW (w);
    }
  return NULL;
}

static gboolean
safety_plan_window_shown (gpointer data)
{
  return find_safety_plan_window () != NULL;
}

/* A safety plan written with the client from the Treatment Plan tab: a
 * plan without warning signs is refused in the window, with what was typed
 * kept; then saved, shown in the chart, and revised as the same record. */
static void
test_safety_plan (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  TendSafetyPlanWindow *window;
  GtkTextIter start, end;
  g_autofree char *kept = NULL;
  g_autofree char *id = NULL;

  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "plan");
  spin_for (50);
  g_assert_true (has_label (GTK_WIDGET (f->page), "No safety plan yet"));
  gtk_widget_activate (find_button (GTK_WIDGET (f->page), "New _Safety Plan…"));
  spin_until (safety_plan_window_shown, NULL, 3000);
  window = find_safety_plan_window ();
  g_assert_nonnull (window);

  gtk_text_buffer_set_text (tend_safety_plan_window_get_step (window, "help_contacts"), "Sister Dana 555-0142", -1);
  g_assert_false (tend_safety_plan_window_save (window, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  gtk_text_buffer_get_bounds (tend_safety_plan_window_get_step (window, "help_contacts"), &start, &end);
  kept = gtk_text_buffer_get_text (tend_safety_plan_window_get_step (window, "help_contacts"), &start, &end, FALSE);
  g_assert_cmpstr (kept, ==, "Sister Dana 555-0142");
  plans = tend_chart_list_safety_plans (f->store, f->client_id, &error);
  g_assert_cmpuint (plans->len, ==, 0);
  g_clear_pointer (&plans, g_ptr_array_unref);

  gtk_text_buffer_set_text (tend_safety_plan_window_get_step (window, "warning_signs"),
                            "Not sleeping\nSkipping meals", -1);
  gtk_text_buffer_set_text (tend_safety_plan_window_get_step (window, "coping_strategies"), "Walk the dog", -1);
  gui_test_screenshot (GTK_WIDGET (window), "safety-plan-editor");
  g_assert_true (tend_safety_plan_window_save (window, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (50);
  plans = tend_chart_list_safety_plans (f->store, f->client_id, &error);
  g_assert_cmpuint (plans->len, ==, 1);
  id = g_strdup (tend_record_get_id (plans->pdata[0]));
  g_assert_cmpstr (tend_record_get_string (plans->pdata[0], "author_id"), ==, f->clinician_id);
  g_assert_true (has_label (GTK_WIDGET (f->page), "1. Warning Signs\n  • Not sleeping\n  • Skipping meals\n\n"
                                                  "2. Internal Coping Strategies\n  • Walk the dog\n\n"
                                                  "3. People and Social Settings That Provide Distraction\n  (none yet)\n\n"
                                                  "4. People I Can Ask for Help\n  • Sister Dana 555-0142\n\n"
                                                  "5. Professionals or Agencies I Can Contact During a Crisis\n  (none yet)\n\n"
                                                  "6. Making the Environment Safe\n  (none yet)\n\n"
                                                  "The One Thing Most Important to Me\n  (none yet)\n\n"
                                                  "In an emergency: 988 Suicide & Crisis Lifeline: call or text 988\n"));
  gui_test_screenshot (GTK_WIDGET (f->page), "safety-plan-in-chart");
  g_clear_pointer (&plans, g_ptr_array_unref);

  /* Revised: the same record, now shared with the client. */
  gtk_widget_activate (find_button (GTK_WIDGET (f->page), "Revise _Safety Plan…"));
  spin_until (safety_plan_window_shown, NULL, 3000);
  window = find_safety_plan_window ();
  gtk_text_buffer_get_bounds (tend_safety_plan_window_get_step (window, "warning_signs"), &start, &end);
  g_free (kept);
  kept = gtk_text_buffer_get_text (tend_safety_plan_window_get_step (window, "warning_signs"), &start, &end, FALSE);
  g_assert_cmpstr (kept, ==, "Not sleeping\nSkipping meals");
  gtk_switch_set_active (find_widget (window, GTK_TYPE_SWITCH), TRUE);
  g_assert_true (tend_safety_plan_window_save (window, &error));
  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (50);
  plans = tend_chart_list_safety_plans (f->store, f->client_id, &error);
  g_assert_cmpuint (plans->len, ==, 1);
  g_assert_cmpstr (tend_record_get_id (plans->pdata[0]), ==, id);
  g_assert_true (tend_record_get_int (plans->pdata[0], "shared_with_client"));
}

static TendPlanEditor *
find_plan_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (TEND_IS_PLAN_EDITOR (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return TEND_PLAN_EDITOR (w);
    }
  return NULL;
}

static gboolean
plan_editor_shown (gpointer data)
{
  return find_plan_editor () != NULL;
}

/* Clicks @label's button in the chart and waits for the plan editor. */
static TendPlanEditor *
open_plan_editor (Fixture    *f,
                  const char *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (f->page), label);

  g_assert_nonnull (button);
  gtk_widget_activate (button);
  spin_until (plan_editor_shown, NULL, 3000);
  g_assert_nonnull (find_plan_editor ());
  return find_plan_editor ();
}

typedef struct
{
  TendPlanEditor *editor;
  TendPlanPart    part;
  guint           problem, goal, item;
} PartAt;

static gboolean
part_shown (gpointer data)
{
  PartAt *at = data;

  return tend_plan_editor_get_row (at->editor, at->part, at->problem, at->goal, at->item) != NULL;
}

static gboolean
part_gone (gpointer data)
{
  return !part_shown (data);
}

/* Activates the "Add …" row (as Enter or a click does) and waits for the
 * part it adds, at @item (for goals and interventions: at @goal). */
static GtkWidget *
plan_add (TendPlanEditor *editor,
          TendPlanPart    part,
          guint           problem,
          guint           goal,
          guint           item)
{
  GtkWidget *add = tend_plan_editor_get_add_button (editor, part, problem, goal);
  PartAt at = { editor, part, problem, goal, item };

  g_assert_nonnull (add);
  g_assert_false (part_shown (&at));
  gtk_widget_activate (add);
  spin_until (part_shown, &at, 3000);
  g_assert_true (part_shown (&at));
  /* The new row has the focus, ready to type in. */
  g_assert_true (gtk_widget_has_focus (tend_plan_editor_get_row (editor, part, problem, goal, item)) ||
                 gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (editor)),
                                         tend_plan_editor_get_row (editor, part, problem, goal, item)));
  return tend_plan_editor_get_row (editor, part, problem, goal, item);
}

static void
set_row (TendPlanEditor *editor,
         TendPlanPart    part,
         guint           problem,
         guint           goal,
         guint           item,
         const char     *text)
{
  GtkWidget *row = tend_plan_editor_get_row (editor, part, problem, goal, item);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static const char *
row_text (TendPlanEditor *editor,
          TendPlanPart    part,
          guint           problem,
          guint           goal,
          guint           item)
{
  GtkWidget *row = tend_plan_editor_get_row (editor, part, problem, goal, item);

  g_assert_nonnull (row);
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* What a date row shows for @iso in the test's locale. */
static char *
entry_date (const char *iso)
{
  GDate d;

  g_assert_true (tend_date_parse (iso, &d, NULL));
  return tend_date_format_entry (&d);
}

static char *
plan_problems_json (TendTreatmentPlan *plan)
{
  g_autoptr(JsonNode) problems = tend_treatment_plan_dup_problems (plan);

  g_assert_nonnull (problems);
  return json_to_string (problems, FALSE);
}

/* Pictures of the whole editor, a screen at a time: @name, @name-2, … */
static void
plan_screenshots (TendPlanEditor *editor,
                  const char     *name)
{
  GtkScrolledWindow *scroller = find_widget (editor, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);

  if (g_getenv ("TEND_TEST_SCREENSHOTS") == NULL)
    return;
  gtk_adjustment_set_value (adj, 0);
  gui_test_screenshot (GTK_WIDGET (editor), name);
  for (guint i = 2; gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) < gtk_adjustment_get_upper (adj) && i < 10; i++)
    {
      g_autofree char *more = g_strdup_printf ("%s-%u", name, i);

      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) * 0.9);
      gui_test_screenshot (GTK_WIDGET (editor), more);
    }
  gtk_adjustment_set_value (adj, 0);
}

static gboolean
window_narrow (gpointer data)
{
  return gtk_widget_get_width (data) <= 400;
}

#define ROUND_TRIP_PROBLEMS \
  "[{\"problem\":\"Panic attacks\",\"goals\":[{\"goal\":\"Shop alone\",\"objectives\":[" \
  "{\"objective\":\"Weekly supermarket trip\",\"target_date\":\"2026-06-01\"}," \
  "{\"objective\":\"Panic rating under 3 of 10\",\"target_date\":\"2026-09-15\"}]}]," \
  "\"interventions\":[\"Interoceptive exposure\",\"Breathing retraining\"]}," \
  "{\"problem\":\"Low mood\",\"goals\":[{\"goal\":\"Return to running\",\"objectives\":[" \
  "{\"objective\":\"Run twice a week\",\"target_date\":\"2026-07-01\"}]}," \
  "{\"goal\":\"Sleep before midnight\",\"objectives\":[{\"objective\":\"Lights out by 23:30 five nights a week\"}]}]," \
  "\"interventions\":[\"Behavioural activation\"]}]"

/* The plan editor's round trip: a plan of two problems built row by row
 * (goals, objectives with target dates typed or set, interventions, the
 * frequency and review date) is saved as the stored "problems" list, shown
 * in the chart with its dates the locale's way, opened again exactly as it
 * was, saved again unchanged; then signed, and revised as a new draft. */
static void
test_treatment_plan (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(JsonNode) expected = json_from_string (ROUND_TRIP_PROBLEMS, NULL);
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *json = NULL;
  g_autofree char *plan_id = NULL;
  g_autofree char *june = entry_date ("2026-06-01");
  g_autofree char *review = entry_date ("2027-05-01");
  AdwMessageDialog *dialog;
  TendPlanEditor *editor;
  GDate d;
  g_autofree char *june_shown = NULL;

  g_assert_nonnull (expected);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "plan");
  spin_for (50);
  g_assert_true (has_label (GTK_WIDGET (f->page), "No treatment plan yet"));
  editor = open_plan_editor (f, "_New Plan…");

  /* A new plan starts with one problem, goal, objective and intervention. */
  g_assert_nonnull (tend_plan_editor_get_row (editor, TEND_PLAN_OBJECTIVE, 0, 0, 0));
  g_assert_nonnull (tend_plan_editor_get_row (editor, TEND_PLAN_INTERVENTION, 0, 0, 0));
  g_assert_null (tend_plan_editor_get_row (editor, TEND_PLAN_PROBLEM, 1, 0, 0));
  set_row (editor, TEND_PLAN_PROBLEM, 0, 0, 0, "Panic attacks");
  set_row (editor, TEND_PLAN_GOAL, 0, 0, 0, "Shop alone");
  set_row (editor, TEND_PLAN_OBJECTIVE, 0, 0, 0, "Weekly supermarket trip");
  set_row (editor, TEND_PLAN_TARGET_DATE, 0, 0, 0, june);          /* the locale's way */
  plan_add (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1);
  set_row (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1, "Panic rating under 3 of 10");
  set_row (editor, TEND_PLAN_TARGET_DATE, 0, 0, 1, "2026-09-15");  /* ISO is taken too */
  set_row (editor, TEND_PLAN_INTERVENTION, 0, 0, 0, "Interoceptive exposure");
  plan_add (editor, TEND_PLAN_INTERVENTION, 0, 1, 0);
  set_row (editor, TEND_PLAN_INTERVENTION, 0, 1, 0, "Breathing retraining");

  gtk_widget_activate (find_button (GTK_WIDGET (editor), "Add _Problem"));
  {
    PartAt at = { editor, TEND_PLAN_PROBLEM, 1, 0, 0 };

    spin_until (part_shown, &at, 3000);
  }
  set_row (editor, TEND_PLAN_PROBLEM, 1, 0, 0, "Low mood");
  set_row (editor, TEND_PLAN_GOAL, 1, 0, 0, "Return to running");
  set_row (editor, TEND_PLAN_OBJECTIVE, 1, 0, 0, "Run twice a week");
  tend_date_row_set_date (tend_plan_editor_get_row (editor, TEND_PLAN_TARGET_DATE, 1, 0, 0), "2026-07-01");
  plan_add (editor, TEND_PLAN_GOAL, 1, 1, 0);
  set_row (editor, TEND_PLAN_GOAL, 1, 1, 0, "Sleep before midnight");
  /* A goal added from its row comes with an empty objective. */
  set_row (editor, TEND_PLAN_OBJECTIVE, 1, 1, 0, "Lights out by 23:30 five nights a week");
  set_row (editor, TEND_PLAN_INTERVENTION, 1, 0, 0, "Behavioural activation");
  /* An objective added and left empty is not saved. */
  plan_add (editor, TEND_PLAN_OBJECTIVE, 1, 0, 1);
  gtk_editable_set_text (GTK_EDITABLE (tend_plan_editor_get_frequency_row (editor)), "Weekly, 50 minutes");
  gtk_editable_set_text (GTK_EDITABLE (tend_plan_editor_get_review_row (editor)), review);

  gtk_window_set_default_size (GTK_WINDOW (editor), 1280, 800);
  plan_screenshots (editor, "plan-editor-1280");
  /* At 360 px the window really is that narrow: nothing in it asks for more. */
  gtk_window_set_default_size (GTK_WINDOW (editor), 360, 800);
  spin_until (window_narrow, editor, 3000);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (editor)), <=, 400);
  plan_screenshots (editor, "plan-editor-360");

  g_assert_true (tend_plan_editor_save (editor, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (editor));
  spin_for (50);
  plans = tend_chart_list_plans (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plans->len, ==, 1);
  plan_id = g_strdup (tend_record_get_id (plans->pdata[0]));
  g_assert_cmpint (tend_treatment_plan_get_status (plans->pdata[0]), ==, TEND_SIGN_STATUS_DRAFT);
  g_assert_cmpstr (tend_treatment_plan_get_review_date (plans->pdata[0]), ==, "2027-05-01");
  g_assert_cmpstr (tend_record_get_string (plans->pdata[0], "frequency"), ==, "Weekly, 50 minutes");
  stored = tend_treatment_plan_dup_problems (plans->pdata[0]);
  json = json_to_string (stored, FALSE);
  g_assert_true (json_node_equal (stored, expected));
  /* The chart shows it, each target date the locale's way. */
  g_assert_true (tend_date_parse ("2026-06-01", &d, NULL));
  june_shown = tend_date_format_local (&d);
  {
    g_autofree char *line = g_strdup_printf ("Objective: Weekly supermarket trip (by %s)", june_shown);

    g_assert_true (has_label (GTK_WIDGET (f->page), line));
  }
  g_assert_true (has_label (GTK_WIDGET (f->page), "Weekly, 50 minutes"));
  gui_test_screenshot (GTK_WIDGET (f->page), "plan-in-chart");
  g_clear_pointer (&plans, g_ptr_array_unref);

  /* Opened again: every row as it was typed, the same record saved again
   * with the same content. */
  editor = open_plan_editor (f, "_Edit…");
  g_assert_cmpstr (row_text (editor, TEND_PLAN_PROBLEM, 0, 0, 0), ==, "Panic attacks");
  g_assert_cmpstr (row_text (editor, TEND_PLAN_TARGET_DATE, 0, 0, 0), ==, june);
  g_assert_cmpstr (row_text (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1), ==, "Panic rating under 3 of 10");
  g_assert_cmpstr (row_text (editor, TEND_PLAN_INTERVENTION, 0, 1, 0), ==, "Breathing retraining");
  g_assert_cmpstr (row_text (editor, TEND_PLAN_GOAL, 1, 1, 0), ==, "Sleep before midnight");
  g_assert_cmpstr (row_text (editor, TEND_PLAN_TARGET_DATE, 1, 1, 0), ==, "");
  g_assert_null (tend_plan_editor_get_row (editor, TEND_PLAN_OBJECTIVE, 1, 0, 1));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tend_plan_editor_get_review_row (editor))), ==, review);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tend_plan_editor_get_frequency_row (editor))), ==,
                   "Weekly, 50 minutes");
  g_assert_true (tend_plan_editor_save (editor, &error));
  gtk_window_destroy (GTK_WINDOW (editor));
  spin_for (50);
  plans = tend_chart_list_plans (f->store, f->client_id, &error);
  g_assert_cmpuint (plans->len, ==, 1);
  g_assert_cmpstr (tend_record_get_id (plans->pdata[0]), ==, plan_id);
  {
    g_autofree char *again = plan_problems_json (plans->pdata[0]);

    g_assert_cmpstr (again, ==, json);
  }
  g_clear_pointer (&plans, g_ptr_array_unref);

  /* Signing asks first. */
  gtk_widget_activate (find_button (GTK_WIDGET (f->page), "_Sign…"));
  dialog = wait_for_dialog ();
  adw_message_dialog_response (dialog, "sign");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_for (50);
  plans = tend_chart_list_plans (f->store, f->client_id, &error);
  g_assert_cmpint (tend_treatment_plan_get_status (g_ptr_array_index (plans, 0)), ==, TEND_SIGN_STATUS_SIGNED);
  g_clear_pointer (&plans, g_ptr_array_unref);

  /* Revising a signed plan starts a new draft from it; the signed one stays. */
  editor = open_plan_editor (f, "_Revise…");
  g_assert_cmpstr (row_text (editor, TEND_PLAN_OBJECTIVE, 1, 0, 0), ==, "Run twice a week");
  set_row (editor, TEND_PLAN_OBJECTIVE, 1, 0, 0, "Run three times a week");
  g_assert_true (tend_plan_editor_save (editor, &error));
  gtk_window_destroy (GTK_WINDOW (editor));
  spin_for (50);
  plans = tend_chart_list_plans (f->store, f->client_id, &error);
  g_assert_cmpuint (plans->len, ==, 2);
  for (guint i = 0; i < plans->len; i++)
    {
      g_autofree char *problems = plan_problems_json (plans->pdata[i]);

      if (g_str_equal (tend_record_get_id (plans->pdata[i]), plan_id))
        {
          g_assert_cmpint (tend_treatment_plan_get_status (plans->pdata[i]), ==, TEND_SIGN_STATUS_SIGNED);
          g_assert_cmpstr (problems, ==, json);
        }
      else
        {
          g_assert_cmpint (tend_treatment_plan_get_status (plans->pdata[i]), ==, TEND_SIGN_STATUS_DRAFT);
          g_assert_nonnull (strstr (problems, "Run three times a week"));
          g_assert_cmpstr (tend_record_get_string (plans->pdata[i], "frequency"), ==, "Weekly, 50 minutes");
        }
    }
}

/* A target date that is not one is refused on its own row, with the
 * reason, nothing written and everything typed kept; the same for an
 * objective without a description and a review before the start. */
static void
test_plan_refusals (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  TendPlanEditor *editor;
  GtkWidget *date_row;

  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "plan");
  spin_for (50);
  editor = open_plan_editor (f, "_New Plan…");
  set_row (editor, TEND_PLAN_PROBLEM, 0, 0, 0, "Panic attacks");
  set_row (editor, TEND_PLAN_GOAL, 0, 0, 0, "Shop alone");
  set_row (editor, TEND_PLAN_OBJECTIVE, 0, 0, 0, "Weekly supermarket trip");
  plan_add (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1);
  set_row (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1, "Panic rating under 3 of 10");
  date_row = tend_plan_editor_get_row (editor, TEND_PLAN_TARGET_DATE, 0, 0, 1);
  gtk_editable_set_text (GTK_EDITABLE (date_row), "2026-02-30");

  g_assert_false (tend_plan_editor_save (editor, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (gtk_widget_has_css_class (date_row, "error"));
  g_assert_false (gtk_widget_has_css_class (tend_plan_editor_get_row (editor, TEND_PLAN_TARGET_DATE, 0, 0, 0), "error"));
  g_assert_true (g_str_has_prefix (tend_plan_editor_get_error (editor), "Problem 1, goal 1, objective 2, target date: "));
  g_assert_true (gtk_widget_has_focus (date_row) ||
                 gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (editor)), date_row));
  gui_test_screenshot (GTK_WIDGET (editor), "plan-editor-bad-date");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (date_row)), ==, "2026-02-30");
  g_assert_cmpstr (row_text (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1), ==, "Panic rating under 3 of 10");
  plans = tend_chart_list_plans (f->store, f->client_id, &error);
  g_assert_cmpuint (plans->len, ==, 0);
  g_clear_pointer (&plans, g_ptr_array_unref);

  /* Typing in the row clears its mark; a date without its objective is
   * refused on the objective's row. */
  gtk_editable_set_text (GTK_EDITABLE (date_row), "2026-03-30");
  g_assert_false (gtk_widget_has_css_class (date_row, "error"));
  set_row (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1, "");
  g_assert_false (tend_plan_editor_save (editor, &error));
  g_clear_error (&error);
  g_assert_true (gtk_widget_has_css_class (tend_plan_editor_get_row (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1), "error"));
  g_assert_true (g_str_has_prefix (tend_plan_editor_get_error (editor), "Problem 1, goal 1, objective 2: "));
  set_row (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1, "Panic rating under 3 of 10");

  /* A review date before the plan starts (today) is refused on its row. */
  gtk_editable_set_text (GTK_EDITABLE (tend_plan_editor_get_review_row (editor)), "2001-01-01");
  g_assert_false (tend_plan_editor_save (editor, &error));
  g_clear_error (&error);
  g_assert_true (gtk_widget_has_css_class (tend_plan_editor_get_review_row (editor), "error"));
  g_assert_true (g_str_has_prefix (tend_plan_editor_get_error (editor), "Review date: "));
  plans = tend_chart_list_plans (f->store, f->client_id, &error);
  g_assert_cmpuint (plans->len, ==, 0);
  g_clear_pointer (&plans, g_ptr_array_unref);

  /* Mended, it saves, and the message goes. */
  gtk_editable_set_text (GTK_EDITABLE (tend_plan_editor_get_review_row (editor)), "");
  g_assert_true (tend_plan_editor_save (editor, &error));
  g_assert_no_error (error);
  g_assert_null (tend_plan_editor_get_error (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
  plans = tend_chart_list_plans (f->store, f->client_id, &error);
  g_assert_cmpuint (plans->len, ==, 1);
  {
    g_autofree char *problems = plan_problems_json (plans->pdata[0]);

    g_assert_nonnull (strstr (problems, "\"target_date\":\"2026-03-30\""));
  }
}

static gboolean
button_has_label (gpointer data)
{
  return find_button (GTK_WIDGET (data), "_Undo") != NULL;
}

/* Removing a problem hides it and offers Undo: undone, it is back where it
 * was and saved as before; removing an objective and an intervention and
 * saving takes only those out of the stored plan. */
static void
test_plan_remove_undo (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(TendTreatmentPlan) plan = tend_treatment_plan_new (f->client_id, f->clinician_id);
  g_autoptr(JsonNode) problems = json_from_string (ROUND_TRIP_PROBLEMS, NULL);
  g_autofree char *before = json_to_string (problems, FALSE);
  TendPlanEditor *editor;
  PartAt second = { NULL, TEND_PLAN_PROBLEM, 1, 0, 0 };
  PartAt objective = { NULL, TEND_PLAN_OBJECTIVE, 0, 0, 1 };

  /* A plan as the text outline editor stored it. */
  tend_record_set_json (TEND_RECORD (plan), "problems", problems);
  tend_record_set_string (TEND_RECORD (plan), "start_date", "2026-01-05");
  g_assert_true (tend_store_save (f->store, TEND_RECORD (plan), &error));
  g_assert_no_error (error);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "plan");
  spin_for (50);
  editor = open_plan_editor (f, "_Edit…");
  second.editor = objective.editor = editor;

  gtk_widget_activate (tend_plan_editor_get_remove_button (editor, TEND_PLAN_PROBLEM, 0, 0, 0));
  spin_until (part_gone, &second, 3000);
  g_assert_cmpstr (row_text (editor, TEND_PLAN_PROBLEM, 0, 0, 0), ==, "Low mood");
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (
                     gtk_widget_get_ancestor (tend_plan_editor_get_row (editor, TEND_PLAN_PROBLEM, 0, 0, 0),
                                              ADW_TYPE_PREFERENCES_GROUP))), ==, "Problem 1");
  spin_until (button_has_label, editor, 3000);
  g_assert_nonnull (find_button (GTK_WIDGET (editor), "_Undo"));
  gui_test_screenshot (GTK_WIDGET (editor), "plan-editor-undo");
  gtk_widget_activate (find_button (GTK_WIDGET (editor), "_Undo"));
  spin_until (part_shown, &second, 3000);
  g_assert_cmpstr (row_text (editor, TEND_PLAN_PROBLEM, 0, 0, 0), ==, "Panic attacks");
  g_assert_cmpstr (row_text (editor, TEND_PLAN_PROBLEM, 1, 0, 0), ==, "Low mood");
  g_assert_true (tend_plan_editor_save (editor, &error));
  plans = tend_chart_list_plans (f->store, f->client_id, &error);
  {
    g_autofree char *after = plan_problems_json (plans->pdata[0]);

    g_assert_cmpstr (after, ==, before);
  }
  g_clear_pointer (&plans, g_ptr_array_unref);

  /* Removed and saved: the second objective of the first goal, and the
   * first problem's first intervention. */
  gtk_widget_activate (tend_plan_editor_get_remove_button (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1));
  spin_until (part_gone, &objective, 3000);
  g_assert_null (tend_plan_editor_get_row (editor, TEND_PLAN_OBJECTIVE, 0, 0, 1));
  gtk_widget_activate (tend_plan_editor_get_remove_button (editor, TEND_PLAN_INTERVENTION, 0, 0, 0));
  objective.part = TEND_PLAN_INTERVENTION, objective.goal = 1, objective.item = 0;
  spin_until (part_gone, &objective, 3000);
  g_assert_true (tend_plan_editor_save (editor, &error));

  /* Closing with typing not saved asks; Keep Editing keeps the window,
   * Discard closes it. */
  g_assert_false (tend_plan_editor_has_changes (editor));
  gtk_editable_set_text (GTK_EDITABLE (tend_plan_editor_get_frequency_row (editor)), "Twice a week");
  g_assert_true (tend_plan_editor_has_changes (editor));
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_window_close (GTK_WINDOW (editor));
  spin_for (50);
  g_assert_nonnull (editor);
  g_assert_nonnull (find_dialog ());
  adw_message_dialog_response (find_dialog (), "keep");
  spin_for (50);
  g_assert_nonnull (editor);
  gtk_window_close (GTK_WINDOW (editor));
  spin_for (50);
  g_assert_nonnull (find_dialog ());
  adw_message_dialog_response (find_dialog (), "discard");
  spin_for (100);
  g_assert_null (editor);

  plans = tend_chart_list_plans (f->store, f->client_id, &error);
  {
    g_autofree char *after = plan_problems_json (plans->pdata[0]);

    g_assert_null (strstr (after, "Panic rating"));
    g_assert_null (strstr (after, "Interoceptive exposure"));
    g_assert_nonnull (strstr (after, "\"interventions\":[\"Breathing retraining\"]"));
    g_assert_nonnull (strstr (after, "Weekly supermarket trip"));
  }
}

static gboolean
attach_done (gpointer data)
{
  return !tend_chart_page_is_attaching (data);
}

static gboolean
two_pages_shown (gpointer data)
{
  return tend_chart_page_get_n_document_pages (data) == 2;
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;

  if (!tend_chart_page_export_finish (TEND_CHART_PAGE (source), result, error) && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "failed");
  g_object_set_data (source, "done", GINT_TO_POINTER (1));
}

static gboolean
export_finished (gpointer data)
{
  return g_object_get_data (data, "done") != NULL;
}

/* A document attached from a file, shown with its pages, a damaged PDF
 * refused with a clear message, and the chart exported, in threads. */
/* The text of every page of the PDF at @path, read back with poppler. */
static char *
pdf_text (const char *path)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  PopplerDocument *doc = poppler_document_new_from_file (uri, NULL, NULL);
  GString *out = g_string_new (NULL);

  g_assert_nonnull (doc);
  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      PopplerPage *page = poppler_document_get_page (doc, i);
      g_autofree char *text = poppler_page_get_text (page);

      g_string_append (out, text);
      g_string_append_c (out, '\n');
      g_object_unref (page);
    }
  g_object_unref (doc);
  return g_string_free (out, FALSE);
}

static void
test_documents_and_export (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "referral.pdf", NULL);
  g_autofree char *broken = g_build_filename (f->dir, "broken.pdf", NULL);
  g_autofree char *out = g_build_filename (f->dir, "chart.pdf", NULL);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf);
  g_autoptr(GFile) broken_file = g_file_new_for_path (broken);
  g_autoptr(GFile) out_file = g_file_new_for_path (out);
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  cairo_surface_t *surface = cairo_pdf_surface_create (pdf, 300, 400);
  cairo_t *cr = cairo_create (surface);
  AdwMessageDialog *dialog;

  cairo_move_to (cr, 20, 40);
  cairo_show_text (cr, "Referral letter, page 1");
  cairo_show_page (cr);
  cairo_move_to (cr, 20, 40);
  cairo_show_text (cr, "Page 2");
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_assert_true (g_file_get_contents (pdf, &contents, &len, &error));
  g_assert_true (g_file_set_contents (broken, contents, (gssize) len / 2, &error));

  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  tend_chart_page_attach_file (f->page, pdf_file);
  spin_until (attach_done, f->page, 5000);
  docs = tend_chart_list_documents (f->store, f->client_id, &error);
  g_assert_cmpuint (docs->len, ==, 1);
  g_assert_cmpstr (tend_document_get_mime_type (g_ptr_array_index (docs, 0)), ==, "application/pdf");
  g_assert_true (tend_chart_page_open_document (f->page, tend_record_get_id (g_ptr_array_index (docs, 0)), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tend_chart_page_get_mode (f->page), ==, "document");
  spin_until (two_pages_shown, f->page, 5000);
  g_assert_cmpuint (tend_chart_page_get_n_document_pages (f->page), ==, 2);

  tend_chart_page_attach_file (f->page, broken_file);
  spin_until (attach_done, f->page, 5000);
  g_assert_nonnull (tend_chart_page_get_last_error (f->page));
  g_assert_nonnull (strstr (tend_chart_page_get_last_error (f->page), "damaged"));
  g_clear_pointer (&docs, g_ptr_array_unref);
  docs = tend_chart_list_documents (f->store, f->client_id, &error);
  g_assert_cmpuint (docs->len, ==, 1);
  dialog = wait_for_dialog ();
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A conversation with the client: in the export only when asked for. */
  {
    const char *nobody[] = { NULL };
    g_autoptr(TendConversation) c = tend_messages_start (f->store, nobody, "Scheduling", f->client_id,
                                                         FALSE, TRUE, &error);
    g_autoptr(TendMessage) m = NULL;

    g_assert_no_error (error);
    m = tend_messages_send (f->store, tend_record_get_id (TEND_RECORD (c)), "See you Thursday at 3.", NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (m);
  }
  tend_chart_page_export_async (f->page, out_file, NULL, NULL, NULL, export_done_cb, &error);
  spin_until (export_finished, f->page, 10000);
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_clear_pointer (&contents, g_free);
  contents = pdf_text (out);
  g_assert_null (strstr (contents, "See you Thursday at 3."));

  tend_chart_page_set_export_messages (f->page, TRUE);
  g_object_set_data (G_OBJECT (f->page), "done", NULL);
  tend_chart_page_export_async (f->page, out_file, NULL, NULL, NULL, export_done_cb, &error);
  spin_until (export_finished, f->page, 10000);
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  contents = pdf_text (out);
  g_assert_nonnull (strstr (contents, "Messages with the client"));
  g_assert_nonnull (strstr (contents, "Scheduling"));
  g_assert_nonnull (strstr (contents, "Cleo"));
  g_assert_nonnull (strstr (contents, "See you Thursday at 3."));
}

/* The PHQ-9 form: Save only once every item is answered; item 9 answered
 * raises the header's alert and the graph gains a point. */
static void
test_measure_form (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint zero[9] = { 0 };
  g_autoptr(TendMeasure) calm = tend_measure_new (f->client_id, TEND_INSTRUMENT_PHQ9, "2026-03-01", zero, 9);
  AdwMessageDialog *dialog;
  TendMeasureDialog *form;
  GtkWidget *record;

  /* A later PHQ-9 without item 9: no alert to begin with. */
  g_assert_true (tend_store_save (f->store, TEND_RECORD (calm), &error));
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_false (tend_chart_page_has_risk_alert (f->page));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "measures");
  spin_for (50);
  record = find_button (GTK_WIDGET (f->page), "Record…");
  g_assert_nonnull (record);  /* the first is the PHQ-9's */
  gtk_widget_activate (record);
  dialog = wait_for_dialog ();
  form = TEND_MEASURE_DIALOG (dialog);
  g_assert_cmpuint (tend_measure_dialog_get_n_items (form), ==, 9);
  for (guint i = 0; i < 8; i++)
    gtk_toggle_button_set_active (tend_measure_dialog_get_choice (form, i, 1), TRUE);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_toggle_button_set_active (tend_measure_dialog_get_choice (form, 8, 2), TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  adw_message_dialog_response (dialog, "save");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_for (50);
  g_assert_true (tend_chart_page_has_risk_alert (f->page));
  g_assert_cmpuint (tend_measure_graph_get_n_points (TEND_MEASURE_GRAPH (
                      tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_PHQ9))), ==, 4);
  g_assert_true (has_label (GTK_WIDGET (f->page), "Latest: 10 of 27, Moderate"));

  /* The PCL-5 and the AUDIT-C, from their definitions: five options an
   * item, their own words, their own results. */
  {
    g_autoptr(GPtrArray) records = g_ptr_array_new ();

    find_buttons (GTK_WIDGET (f->page), "Record…", records);
    g_assert_cmpuint (records->len, ==, 4);
    gtk_widget_activate (g_ptr_array_index (records, 2));
    dialog = wait_for_dialog ();
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "PCL-5 (post-traumatic stress)");
    form = TEND_MEASURE_DIALOG (dialog);
    g_assert_cmpuint (tend_measure_dialog_get_n_items (form), ==, 20);
    g_assert_true (has_label (GTK_WIDGET (tend_measure_dialog_get_choice (form, 0, 4)), "4 · Extremely"));
    for (guint i = 0; i < 20; i++)
      gtk_toggle_button_set_active (tend_measure_dialog_get_choice (form, i, 2), TRUE);
    g_assert_true (has_label (GTK_WIDGET (dialog), "Score 40 of 80: Probable PTSD"));
    adw_message_dialog_response (dialog, "save");
    gtk_window_destroy (GTK_WINDOW (dialog));
    spin_for (50);

    g_ptr_array_set_size (records, 0);
    find_buttons (GTK_WIDGET (f->page), "Record…", records);
    gtk_widget_activate (g_ptr_array_index (records, 3));
    dialog = wait_for_dialog ();
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "AUDIT-C (alcohol use)");
    form = TEND_MEASURE_DIALOG (dialog);
    g_assert_cmpuint (tend_measure_dialog_get_n_items (form), ==, 3);
    g_assert_true (has_label (GTK_WIDGET (tend_measure_dialog_get_choice (form, 1, 3)), "3 · 7, 8, or 9"));
    gtk_toggle_button_set_active (tend_measure_dialog_get_choice (form, 0, 2), TRUE);
    gtk_toggle_button_set_active (tend_measure_dialog_get_choice (form, 1, 1), TRUE);
    gtk_toggle_button_set_active (tend_measure_dialog_get_choice (form, 2, 0), TRUE);
    gui_test_screenshot (GTK_WIDGET (dialog), "measure-auditc-form");
    adw_message_dialog_response (dialog, "save");
    gtk_window_destroy (GTK_WINDOW (dialog));
    spin_for (50);
    g_assert_true (has_label (GTK_WIDGET (f->page), "Latest: 40 of 80, Probable PTSD"));
    g_assert_true (has_label (GTK_WIDGET (f->page), "Latest: 3 of 12, Positive screen for women"));
    g_assert_cmpuint (tend_measure_graph_get_n_points (TEND_MEASURE_GRAPH (
                        tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_PCL5))), ==, 1);
    g_assert_cmpuint (tend_measure_graph_get_n_points (TEND_MEASURE_GRAPH (
                        tend_chart_page_get_measure_graph (f->page, TEND_INSTRUMENT_AUDITC))), ==, 1);
    gui_test_screenshot (f->window, "measures-four-instruments");
  }
}

static void
test_owner_audit_trail (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_OWNER);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  g_assert_true (page_visible (f, "audit"));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "audit");
  spin_for (50);
  /* This very open is in the trail, and the signing from the fixture. */
  g_assert_true (has_label (GTK_WIDGET (f->page), "Opened the chart"));
  g_assert_true (has_label (GTK_WIDGET (f->page), "Signed a note"));
  g_assert_true (has_label (GTK_WIDGET (f->page), "Signed an addendum"));
}

static void
test_client_filters (Fixture       *f,
                     gconstpointer  data)
{
  TendClientsPage *clients = g_object_new (TEND_TYPE_CLIENTS_PAGE, NULL);
  g_autoptr(TendClinicalNote) draft = tend_clinical_note_new (f->client_id, f->clinician_id, TEND_NOTE_TEMPLATE_BIRP);
  g_autoptr(GError) error = NULL;
  GListModel *model;
  GtkWidget *queue;

  /* A draft from January: overdue, listed for its author. */
  tend_record_set_string (TEND_RECORD (draft), "service_date", "2026-01-02");
  g_assert_true (tend_chart_save_note (f->store, draft, &error));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (clients));
  f->page = NULL;
  tend_clients_page_set_store (clients, f->store);
  /* The queues follow the list, after its first frame. */
  for (guint i = 0; i < 500 && gtk_widget_get_first_child (GTK_WIDGET (tend_clients_page_get_queues (clients))) == NULL; i++)
    spin_for (10);
  queue = gtk_widget_get_first_child (GTK_WIDGET (tend_clients_page_get_queues (clients)));
  g_assert_nonnull (queue);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tend_clients_page_get_queues (clients))));
  g_assert_nonnull (strstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (queue)), "1 of your notes is unsigned"));
  model = tend_clients_page_get_model (clients);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  gtk_drop_down_set_selected (tend_clients_page_get_filter (clients, "status"), 3);  /* discharged */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  gtk_drop_down_set_selected (tend_clients_page_get_filter (clients, "status"), 1);  /* active */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  gtk_drop_down_set_selected (tend_clients_page_get_filter (clients, "clinician"), 1);  /* Cleo */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  gtk_drop_down_set_selected (tend_clients_page_get_filter (clients, "status"), 0);
  tend_clients_page_set_query (clients, "rowan");
  spin_for (200);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  /* Opening a chart from the list. */
  g_assert_true (tend_clients_page_open_chart (clients, f->client_id));
  g_assert_cmpstr (tend_chart_page_get_client_id (tend_clients_page_get_chart_page (clients)), ==, f->client_id);
}

static void
test_add_diagnosis (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) dxs = NULL;
  AdwMessageDialog *dialog = NULL;
  GtkWidget *add;

  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (f->page), "diagnoses");
  spin_for (50);
  add = find_button (GTK_WIDGET (f->page), "_Add…");
  g_assert_nonnull (add);
  gtk_widget_activate (add);
  for (guint i = 0; i < 200 && (dialog = find_dialog ()) == NULL; i++)
    spin_for (10);
  g_assert_nonnull (dialog);
  /* A code typed without its dot finds it; the first match is chosen. */
  g_assert_true (TEND_IS_DIAGNOSIS_DIALOG (dialog));
  tend_diagnosis_dialog_set_query (TEND_DIAGNOSIS_DIALOG (dialog), "f411");
  spin_for (400);
  g_assert_cmpstr (tend_diagnosis_dialog_get_selected (TEND_DIAGNOSIS_DIALOG (dialog))->code, ==, "F41.1");
  tend_diagnosis_dialog_set_primary (TEND_DIAGNOSIS_DIALOG (dialog), TRUE);
  adw_message_dialog_response (dialog, "add");
  spin_for (50);
  dxs = tend_chart_list_diagnoses (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dxs->len, ==, 1);
  g_assert_cmpstr (tend_diagnosis_get_code (g_ptr_array_index (dxs, 0)), ==, "F41.1");
  g_assert_cmpint (tend_diagnosis_get_rank (g_ptr_array_index (dxs, 0)), ==, TEND_DIAGNOSIS_PRIMARY);
  g_assert_true (has_label (GTK_WIDGET (f->page), "Generalized anxiety disorder"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Resolved today, from its row. */
  gtk_widget_activate (find_button (GTK_WIDGET (f->page), "_Resolved"));
  for (guint i = 0; i < 300 && find_button (GTK_WIDGET (f->page), "_Resolved") != NULL; i++)
    spin_for (10);
  g_clear_pointer (&dxs, g_ptr_array_unref);
  dxs = tend_chart_list_diagnoses (f->store, f->client_id, &error);
  g_assert_false (tend_diagnosis_is_active (g_ptr_array_index (dxs, 0)));

  /* The toast's Undo puts it back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chart.unresolve", "s",
                                             tend_record_get_id (g_ptr_array_index (dxs, 0))));
  g_clear_pointer (&dxs, g_ptr_array_unref);
  dxs = tend_chart_list_diagnoses (f->store, f->client_id, &error);
  g_assert_true (tend_diagnosis_is_active (g_ptr_array_index (dxs, 0)));
}

static void
type_into (TendClientForm *form,
           const char     *field,
           const char     *text)
{
  gtk_editable_set_text (tend_client_form_get_entry (form, field), text);
}

static void
test_intake_form (Fixture       *f,
                  gconstpointer  data)
{
  TendClientForm *form = tend_client_form_new (f->store);
  gint64 before = tend_store_count (f->store, TEND_TYPE_CLIENT, NULL);
  g_autoptr(GPtrArray) clients = NULL;
  TendClient *saved = NULL;

  gtk_window_present (GTK_WINDOW (form));
  type_into (form, "legal_given", "Noor");
  type_into (form, "legal_family", "Haddad");
  type_into (form, "date_of_birth", "1990-02-30");           /* no such day */
  type_into (form, "email", "noor.haddad@example");           /* no dot in the domain */
  type_into (form, "consents.telehealth.date", "2026-03-02");

  /* Both bad fields are marked at once; nothing is saved. */
  g_assert_false (tend_client_form_save (form));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (tend_client_form_get_entry (form, "date_of_birth")), "error"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (tend_client_form_get_entry (form, "email")), "error"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (tend_client_form_get_entry (form, "legal_given")), "error"));
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_CLIENT, NULL), ==, before);

  /* A date in the future: a rule across fields, marked on its row too. */
  type_into (form, "date_of_birth", "2999-01-01");
  type_into (form, "email", "noor.haddad@example.org");
  g_assert_false (tend_client_form_save (form));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (tend_client_form_get_entry (form, "date_of_birth")), "error"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (tend_client_form_get_entry (form, "email")), "error"));
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_CLIENT, NULL), ==, before);

  /* The date typed as the locale writes it.  Insurance is no field of a
   * new client: its policies are added once the client is saved. */
  g_assert_null (tend_client_form_get_entry (form, "insurance.payer"));
  g_assert_null (tend_client_form_get_insurance (form));
  type_into (form, "date_of_birth", "2/28/1990");
  g_assert_true (tend_client_form_save (form));
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_CLIENT, NULL), ==, before + 1);
  clients = tend_store_list (f->store, TEND_TYPE_CLIENT, NULL);
  for (guint i = 0; i < clients->len; i++)
    if (g_strcmp0 (tend_client_get_legal_given (clients->pdata[i]), "Noor") == 0)
      saved = clients->pdata[i];
  g_assert_nonnull (saved);
  g_assert_cmpstr (tend_client_get_email (saved), ==, "noor.haddad@example.org");
  g_assert_cmpstr (tend_client_get_date_of_birth (saved), ==, "1990-02-28");
  /* The consent records who took it: the signed-in clinician. */
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (saved), "consents.telehealth.recorded_by"), ==, f->clinician_id);
  gtk_window_destroy (GTK_WINDOW (form));
}

/* The Overview shows what the client owes, formatted for the locale, to
 * roles the store lets read it; a clinician sees nothing for a client who
 * is not theirs. */
static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_name (c), name) == 0)
        return c;
      if ((found = find_named (c, name)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_named (GtkWidget  *root,
           const char *name)
{
  return find_named (root, name) != NULL;
}

static void
test_overview_balance (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendCharge) charge = tend_charge_new (f->client_id, f->clinician_id, TEND_CHARGE_MANUAL, "2026-10-01", 4250);
  g_autoptr(TendClient) stranger = tend_client_new ("Ines", "Moreau");
  g_autofree char *expected = NULL;
  TendMoney m = tend_money_init (4250, "USD");
  GtkWidget *row;

  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_OWNER);
  tend_record_set_string (TEND_RECORD (charge), "description", "Letter");
  g_assert_true (tend_billing_save_charge (f->store, charge, &error));
  g_assert_no_error (error);
  g_assert_true (tend_store_save (f->store, TEND_RECORD (stranger), &error));
  expected = tend_money_format (&m);

  /* The client's own clinician. */
  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  spin_for (50);
  row = find_named (GTK_WIDGET (f->page), "balance-client");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, expected);
  g_assert_null (find_named (GTK_WIDGET (f->page), "balance-insurance"));

  /* Another clinician's client: no balance, and no error either. */
  g_assert_true (tend_chart_page_set_client (f->page, tend_record_get_id (TEND_RECORD (stranger)), &error));
  g_assert_no_error (error);
  spin_for (50);
  g_assert_false (has_named (GTK_WIDGET (f->page), "balance-group"));
  g_assert_null (tend_chart_page_get_last_error (f->page));

  /* The front desk reads balances. */
  tend_store_set_actor (f->store, f->front_desk_id, TEND_ROLE_FRONT_DESK);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  spin_for (50);
  g_assert_true (has_named (GTK_WIDGET (f->page), "balance-group"));
}

/* The sliding scale: on the client form for those who manage billing; a
 * value that is not a whole number from 0 to 100 is marked and nothing is
 * saved. */
static gint64
stored_fee_percent (Fixture *f)
{
  g_autoptr(TendRecord) client = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, NULL);

  g_assert_nonnull (client);
  return tend_record_get_int (client, "billing.fee_percent");
}

static void
test_sliding_scale (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const bad[] = { "abc", "101", "-5", "50.5", "" };
  g_autoptr(TendRecord) client = NULL;
  TendClientForm *form;
  GtkWidget *row;

  /* A clinician does not see the row. */
  client = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, NULL);
  form = tend_client_form_new_for_client (f->store, TEND_CLIENT (client));
  g_assert_null (tend_client_form_get_entry (form, "billing.fee_percent"));
  gtk_window_destroy (GTK_WINDOW (form));

  /* The owner does, filled from the record. */
  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_OWNER);
  form = tend_client_form_new_for_client (f->store, TEND_CLIENT (client));
  gtk_window_present (GTK_WINDOW (form));
  row = GTK_WIDGET (tend_client_form_get_entry (form, "billing.fee_percent"));
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "100");
  type_into (form, "pronouns", "she/her");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TendRecord) stored = NULL;

      type_into (form, "billing.fee_percent", bad[i]);
      g_assert_false (tend_client_form_save (form));
      g_assert_true (gtk_widget_has_css_class (row, "error"));
      g_assert_nonnull (strstr (tend_client_form_get_error (form), "0 to 100"));
      g_assert_cmpint (stored_fee_percent (f), ==, 100);
      stored = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, NULL);
      g_assert_cmpstr (tend_record_get_string (stored, "pronouns"), ==, "they/them");
    }
  type_into (form, "billing.fee_percent", " 60 ");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_true (tend_client_form_save (form));
  g_assert_cmpint (stored_fee_percent (f), ==, 60);
  gtk_window_destroy (GTK_WINDOW (form));

  /* Reopened, it shows what was saved; 0 is allowed. */
  g_clear_object (&client);
  client = tend_store_load (f->store, TEND_TYPE_CLIENT, f->client_id, NULL);
  form = tend_client_form_new_for_client (f->store, TEND_CLIENT (client));
  g_assert_cmpstr (gtk_editable_get_text (tend_client_form_get_entry (form, "billing.fee_percent")), ==, "60");
  type_into (form, "billing.fee_percent", "0");
  g_assert_true (tend_client_form_save (form));
  g_assert_cmpint (stored_fee_percent (f), ==, 0);
  gtk_window_destroy (GTK_WINDOW (form));
}

/* Privacy between clinicians: a colleague who is not on the chart sees it
 * closed, breaks the glass with a reason (the dialog will not go on
 * without one), then reads it under a banner; the chart's clinician sees
 * who broke the glass and why. */
static void
test_break_the_glass (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *otto = NULL;
  AdwViewStack *views = tend_chart_page_get_views (f->page);
  GtkWidget *notes = adw_view_stack_get_child_by_name (views, "notes");
  AdwMessageDialog *dialog = NULL;
  AdwStatusPage *status;
  GtkWidget *button;

  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_OWNER);
  otto = save_staff (f->store, "Otto", TEND_ROLE_CLINICIAN);
  tend_store_set_actor (f->store, otto, TEND_ROLE_CLINICIAN);
  tend_chart_page_set_store (f->page, f->store, NULL);

  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  adw_view_stack_set_visible_child_name (views, "notes");
  spin_for (50);
  status = find_status_page (notes);
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "You Don’t Have Access to This Chart");
  g_assert_cmpuint (tend_chart_page_get_n_note_rows (f->page), ==, 0);
  g_assert_true (has_label (GTK_WIDGET (f->page), "You are not on this client’s chart"));
  g_assert_false (has_label (GTK_WIDGET (f->page), "Discussed the move."));
  /* The demographics are still his to see. */
  g_assert_true (has_label (GTK_WIDGET (f->page), "Rowan Hale"));
  adw_view_stack_set_visible_child_name (views, "notes");
  spin_for (50);
  gui_test_screenshot (f->window, "chart-locked");

  button = find_button (GTK_WIDGET (status), "_Break the Glass…");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  for (guint i = 0; i < 200 && (dialog = find_dialog ()) == NULL; i++)
    spin_for (10);
  g_assert_nonnull (dialog);
  g_assert_true (TEND_IS_BREAK_GLASS_DIALOG (dialog));
  /* No reason, no access. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "break"));
  tend_break_glass_dialog_set_reason (TEND_BREAK_GLASS_DIALOG (dialog), "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "break"));
  tend_break_glass_dialog_set_reason (TEND_BREAK_GLASS_DIALOG (dialog), "Client called in crisis; Cleo away");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "break"));
  gui_test_screenshot (GTK_WIDGET (dialog), "break-glass-dialog");
  adw_message_dialog_response (dialog, "break");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_for (100);

  /* Open now, under a banner, and audited in his name. */
  g_assert_null (find_status_page (notes));
  g_assert_cmpuint (tend_chart_page_get_n_note_rows (f->page), ==, 1);
  g_assert_true (has_label (GTK_WIDGET (f->page), "Emergency access: you broke the glass"));
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_CHART_ACCESS, NULL), ==, 1);
  adw_view_stack_set_visible_child_name (views, "overview");
  spin_for (50);
  gui_test_screenshot (f->window, "chart-emergency-access");

  /* Cleo sees who broke the glass on her client's chart, and why. */
  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  spin_for (50);
  g_assert_true (has_label (GTK_WIDGET (f->page), "Otto Tester broke the glass on this chart"));
  g_assert_true (has_label (GTK_WIDGET (f->page), "Client called in crisis; Cleo away"));
  g_assert_true (has_label (adw_view_stack_get_child_by_name (views, "overview"), "Access to This Chart"));
  gui_test_screenshot (f->window, "chart-glass-broken-notice");
}

/* The client's own clinician gives a colleague covering access from the
 * chart: only clinicians not on the chart are offered, a date already
 * past is refused before anything is saved, and the grant appears in
 * "Access to This Chart", where she ends it again (after a question).
 * The colleague, who may not give access, is offered no button. */
static void
test_give_access (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 5);
  g_autofree char *until = g_date_time_format (later, "%Y-%m-%d");
  g_autofree char *otto = NULL;
  g_autofree char *sue = NULL;
  g_autoptr(GPtrArray) access = NULL;
  AdwViewStack *views = tend_chart_page_get_views (f->page);
  GtkWidget *overview = adw_view_stack_get_child_by_name (views, "overview");
  AdwMessageDialog *dialog = NULL;
  GtkWidget *button;

  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_OWNER);
  otto = save_staff (f->store, "Otto", TEND_ROLE_CLINICIAN);
  sue = save_staff (f->store, "Sue", TEND_ROLE_SUPERVISOR);
  {
    /* The clinician's supervisor is on the chart already. */
    g_autoptr(TendRecord) me = tend_store_load (f->store, TEND_TYPE_STAFF, f->clinician_id, &error);

    g_assert_no_error (error);
    tend_record_set_string (me, "supervisor_id", sue);
    g_assert_true (tend_store_save (f->store, me, &error));
    g_assert_no_error (error);
  }
  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
  tend_chart_page_set_store (f->page, f->store, NULL);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  spin_for (50);

  button = find_button (overview, "_Give Access…");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  for (guint i = 0; i < 200 && (dialog = find_dialog ()) == NULL; i++)
    spin_for (10);
  g_assert_nonnull (dialog);
  g_assert_true (TEND_IS_GRANT_ACCESS_DIALOG (dialog));
  /* Not the front desk, not the chart's own clinician nor their supervisor. */
  g_assert_false (tend_grant_access_dialog_select (TEND_GRANT_ACCESS_DIALOG (dialog), f->front_desk_id));
  g_assert_false (tend_grant_access_dialog_select (TEND_GRANT_ACCESS_DIALOG (dialog), f->clinician_id));
  g_assert_false (tend_grant_access_dialog_select (TEND_GRANT_ACCESS_DIALOG (dialog), sue));
  g_assert_true (tend_grant_access_dialog_select (TEND_GRANT_ACCESS_DIALOG (dialog), otto));
  /* Covering needs a date still to come. */
  tend_grant_access_dialog_set_covering (TEND_GRANT_ACCESS_DIALOG (dialog), "2020-01-31");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "give"));
  g_assert_true (has_label (GTK_WIDGET (dialog), "covering ends in the future"));
  tend_grant_access_dialog_set_covering (TEND_GRANT_ACCESS_DIALOG (dialog), "next week");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "give"));
  tend_grant_access_dialog_set_covering (TEND_GRANT_ACCESS_DIALOG (dialog), until);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "give"));
  gui_test_screenshot (GTK_WIDGET (dialog), "give-access-dialog");
  adw_message_dialog_response (dialog, "give");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_for (100);

  /* Saved in her name, until the end of that day, and shown. */
  access = tend_chart_list_access (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (access->len, ==, 1);
  g_assert_cmpint (tend_chart_access_get_kind (g_ptr_array_index (access, 0)), ==, TEND_CHART_ACCESS_COVERING);
  g_assert_cmpstr (tend_chart_access_get_staff_id (g_ptr_array_index (access, 0)), ==, otto);
  g_assert_cmpstr (tend_chart_access_get_granted_by (g_ptr_array_index (access, 0)), ==, f->clinician_id);
  g_assert_true (tend_chart_access_is_live (g_ptr_array_index (access, 0), later));
  overview = adw_view_stack_get_child_by_name (views, "overview");
  g_assert_true (has_label (overview, "Otto Tester · Covering"));
  gui_test_screenshot (f->window, "chart-access-given");

  /* Otto reads the chart now, but gives no access himself. */
  tend_store_set_actor (f->store, otto, TEND_ROLE_CLINICIAN);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  spin_for (50);
  overview = adw_view_stack_get_child_by_name (views, "overview");
  g_assert_true (has_label (overview, "Otto Tester · Covering"));
  g_assert_null (find_button (overview, "_Give Access…"));

  /* Cleo ends it, once she has said yes. */
  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
  g_assert_true (tend_chart_page_set_client (f->page, f->client_id, &error));
  g_assert_no_error (error);
  spin_for (50);
  overview = adw_view_stack_get_child_by_name (views, "overview");
  button = find_button (overview, "_End Access");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  dialog = NULL;
  for (guint i = 0; i < 200 && (dialog = find_dialog ()) == NULL; i++)
    spin_for (10);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "end");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_for (100);
  g_clear_pointer (&access, g_ptr_array_unref);
  access = tend_chart_list_access (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (access->len, ==, 1);
  g_assert_false (tend_chart_access_is_live (g_ptr_array_index (access, 0), later));
  overview = adw_view_stack_get_child_by_name (views, "overview");
  g_assert_null (find_button (overview, "_End Access"));
  g_assert_nonnull (find_button (overview, "_Give Access…"));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  adw_init ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/chart/related-people", test_related_people);
  ADD ("/chart/header-and-pages", test_header_and_pages);
  ADD ("/chart/write-autosave-sign", test_write_autosave_sign);
  ADD ("/chart/note-from-session", test_note_from_session);
  ADD ("/chart/discard-draft", test_discard_draft);
  ADD ("/chart/read-failure-shown", test_read_failure_shown);
  ADD ("/chart/read-failure-retry", test_read_failure_retry);
  ADD ("/chart/note-search", test_note_search);
  ADD ("/chart/front-desk", test_front_desk);
  ADD ("/chart/portal-forms-offline", test_portal_forms_offline);
  ADD ("/chart/plan-client-cosign", test_plan_client_cosign);
  ADD ("/chart/practice-consent-texts", test_practice_consent_texts);
  ADD ("/chart/client-filters", test_client_filters);
  ADD ("/chart/intake-form", test_intake_form);
  ADD ("/chart/add-diagnosis", test_add_diagnosis);
  ADD ("/chart/owner-audit-trail", test_owner_audit_trail);
  ADD ("/chart/treatment-plan", test_treatment_plan);
  ADD ("/chart/plan-refusals", test_plan_refusals);
  ADD ("/chart/plan-remove-undo", test_plan_remove_undo);
  ADD ("/chart/safety-plan", test_safety_plan);
  ADD ("/chart/documents-and-export", test_documents_and_export);
  ADD ("/chart/measure-form", test_measure_form);
  ADD ("/chart/overview-balance", test_overview_balance);
  ADD ("/chart/sliding-scale", test_sliding_scale);
  ADD ("/chart/break-the-glass", test_break_the_glass);
  ADD ("/chart/give-access", test_give_access);
#undef ADD
  return g_test_run ();
}
